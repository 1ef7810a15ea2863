"""The syntax model: load time, analysis speed, linear time, and its share of a cold start.

Every row is a ratio against a reference measured in the same run:

- loading the weights file against reading its bytes (what is left is the
  checksum, the views on the tables and splitting the string tables);
- a first analysis in a fresh interpreter (import planner.syntax, load the
  weights, analyse a 40-word task, after the imports ``suggest`` makes anyway)
  against the suggest cold-start reference, ``import networkx, jinja2, click,
  yaml``: the issue gives the parser about 25-40 ms of a budget of 1.3x that
  reference, so the goal is at most 0.2x;
- time per 1,000 words against a regex word split (how many times slower
  than only cutting words the full analysis is), with words per second;
- time per KB on 100 KB of text against 10 KB (linear time).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from benchmarks.common import Row, best_of, time_commands
from planner.resources import data_file
from planner.syntax.model import MODEL_FILE, load_model

TASK = (
    "Scrape the product pages from the three regional stores, clean the data and remove duplicates, "
    "then load it into Postgres. Once the import finishes, compare the prices per region and write "
    "a short summary for the team."
)
_WORD = re.compile(r"\w+")


def _prose(kb: int) -> str:
    parts = [
        "Collect the access logs from each region, then summarize the error spikes.",
        "Compare the two caching options and recommend one.",
        "- audit the billing service\n- audit the search service",
        "After you do the migration, check the app still working.",
    ]
    out: list[str] = []
    size = 0
    i = 0
    while size < kb * 1024:
        out.append(parts[i % len(parts)])
        size += len(out[-1]) + 1
        i += 1
    return "\n".join(out)


def _cold_first_analysis() -> tuple[float, float]:
    """The parser's share of a cold start, and the reference import, in fresh interpreters.

    The fresh process first imports what ``planner suggest`` has imported
    anyway (click, pathlib, dataclasses, re, planner.errors, ...), then times
    importing planner.syntax, loading the weights and analysing a 40-word
    task: what the parser adds to a cold ``suggest``.
    """
    code = (
        "import click, pathlib, dataclasses, typing, re, json, functools, zlib, struct, bisect, array\n"
        "import planner, planner.errors, planner.resources\n"
        "import time; t = time.perf_counter()\n"
        "from planner.syntax import analyse\n"
        f"analyse({TASK!r})\n"
        "print(time.perf_counter() - t)\n"
    )
    # Bytecode as an installed package has it (see bench_suggest).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, env=env)
    best = float("inf")
    for _ in range(7):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        best = min(best, float(out.stdout.strip()))
    (reference,) = time_commands([[sys.executable, "-c", "import networkx, jinja2, click, yaml"]], repeat=7)
    return best, reference


def rows() -> list[Row]:
    from planner.syntax import analyse

    path = data_file("rules", MODEL_FILE)
    load = best_of(lambda: load_model(path), repeat=7)
    read = best_of(path.read_bytes, repeat=7)
    out = [
        Row(
            "syntax: load the weights",
            load,
            reference=read,
            reference_name="read the file's bytes",
            note=f"{path.stat().st_size / 1024 / 1024:.2f} MB file; lazily on first analysis, never on import",
        )
    ]
    cold, reference = _cold_first_analysis()
    n_words = len(_WORD.findall(TASK))
    out.append(
        Row(
            f"syntax: share of a cold start (import, load, analyse {n_words} words)",
            cold,
            reference=reference,
            reference_name="import networkx, jinja2, click, yaml",
            goal="<= 0.2x (25-40 ms of the 1.3x cold-start budget)",
            ok=cold <= 0.2 * reference,
        )
    )
    analyse(TASK)
    one = best_of(lambda: analyse(TASK), repeat=7)
    words = sum(len(s.words) for s in analyse(TASK))
    text = _prose(10)
    total_words = sum(len(s.words) for s in analyse(text))
    per_text = best_of(lambda: analyse(text), repeat=5)
    naive = best_of(lambda: [_WORD.findall(line) for line in text.splitlines()], repeat=3)
    out.append(
        Row(
            "syntax: time per 1,000 words",
            per_text / total_words * 1000,
            reference=naive / total_words * 1000,
            reference_name="regex word split",
            note=f"{total_words / per_text:,.0f} words/s; the {words}-word task analysed in {one * 1000:.1f} ms (warm)",
        )
    )
    large = _prose(100)
    per_large = best_of(lambda: analyse(large), repeat=3) / (len(large) / 1024)
    per_small = per_text / (len(text) / 1024)
    out.append(
        Row(
            "syntax: 100 KB vs 10 KB, time per KB",
            per_large,
            reference=per_small,
            reference_name="10 KB",
            goal="ratio <= 1.5 (linear)",
            ok=per_large <= 1.5 * per_small,
        )
    )
    return out
