"""Task parsing: time per KB of text, and the issue's evaluation figures.

Speed is measured side by side with a naive reference on the same text: a
regular-expression sentence split plus word tokenization, the least any
parser has to do. The ratio says how much the real work (clauses, cues,
enumerations, graph, roles) costs on top. A second row checks that time per
KB stays flat from 10 KB to 100 KB (linear time), and a third that a run of
"and" costs no more than prose of its length. The evaluation rows need
../shared and are skipped without it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import SHARED, Row, best_of
from planner.parser import parse

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "parse" / "tasks.jsonl"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"\w+")


def naive_split(text: str) -> int:
    return sum(len(_WORD.findall(s)) for s in _SENTENCE.split(text))


def _per_kb(fn: object, texts: list[str]) -> float:
    total = sum(len(t) for t in texts) / 1024
    assert callable(fn)
    return best_of(lambda: [fn(t) for t in texts], repeat=5) / total


def _prose(kb: int) -> str:
    parts = [
        "Collect the access logs from each region, then summarize the error spikes.",
        "Compare the two caching options and recommend one.",
        "Investigate why the export drops rows.",
        "- audit the billing service\n- audit the search service\n",
        "```\nstack = trace()\n```\n",
    ]
    out: list[str] = []
    size = 0
    i = 0
    while size < kb * 1024:
        out.append(parts[i % len(parts)])
        size += len(out[-1]) + 1
        i += 1
    return "\n".join(out)


def rows() -> list[Row]:
    parse("warm up the lexicon and model")
    tasks = [json.loads(line)["task"] for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = [
        Row(
            "parse: short tasks, time per KB",
            _per_kb(parse, tasks),
            reference=_per_kb(naive_split, tasks),
            reference_name="regex split",
            note="the fixture tasks (tests/fixtures/parse); short texts, so per-call overhead dominates",
        )
    ]
    small, large = _prose(10), _prose(100)
    per_small = _per_kb(parse, [small])
    per_large = _per_kb(parse, [large])
    out.append(
        Row(
            "parse: 100 KB vs 10 KB, time per KB",
            per_large,
            reference=per_small,
            reference_name="10 KB",
            goal="ratio <= 1.5 (linear)",
            ok=per_large <= 1.5 * per_small,
        )
    )
    out.append(_cue_run_row())
    out.extend(_eval_rows())
    return out


# Times one parse in a fresh interpreter, after the imports: what a user's single
# `planner parse` pays, first-time look-ups and set-up included.
_FIRST_PARSE = (
    "import sys, time\n"
    "from planner.parser import parse\n"
    "text = open(sys.argv[1], encoding='utf-8').read()\n"
    "start = time.process_time(); parse(text); print(time.process_time() - start)\n"
)


def _row_times(texts: Sequence[str], repeat: int = 3) -> tuple[list[float], list[float]]:
    """Each text's best processor time and best wall time over ``repeat`` parses."""
    cpu: list[float] = []
    wall: list[float] = []
    for text in texts:
        best_cpu = best_wall = float("inf")
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            parse(text)
            best_cpu = min(best_cpu, time.process_time() - start_cpu)
            best_wall = min(best_wall, time.perf_counter() - start)
        cpu.append(best_cpu)
        wall.append(best_wall)
    return cpu, wall


def _first_parse_row(text: str, repeat_best: float) -> Row:
    import subprocess
    import sys
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as fh:
        fh.write(text)
    try:
        best = min(
            float(subprocess.run([sys.executable, "-c", _FIRST_PARSE, fh.name], capture_output=True, text=True, check=True).stdout)
            for _ in range(3)
        )
    finally:
        Path(fh.name).unlink()
    return Row(
        "eval: SWE-bench Lite slowest text, first parse in a fresh process",
        best,
        note=f"after the imports, best of 3 processes (processor time); the same text's repeat parse above: {1000 * repeat_best:.1f} ms",
    )


def _cue_run_row() -> Row:
    """16,000 characters of "and and ...", next to prose of the same length.

    Each split word once re-read the rest of the run of cue words after it
    (60 s for this input, over 1,000x prose). Every word of the run is a split
    point and a lead word, so it costs a few times what prose does, no more.
    """
    run = "and " * 4000
    prose = _prose(16)[: len(run)]
    seconds = best_of(lambda: parse(run), repeat=3)
    reference = best_of(lambda: parse(prose), repeat=3)
    return Row(
        'parse: 16,000 chars of "and and ..."',
        seconds,
        reference=reference,
        reference_name="same length of prose",
        goal="< 2 s and <= 10x prose",
        ok=seconds < 2.0 and seconds <= 10 * reference,
    )


def _eval_rows() -> list[Row]:
    eval_dir = SHARED / "eval"
    if not eval_dir.is_dir():
        return []
    from planner.parser.evaluate import evaluate_file, read_rows

    out: list[Row] = []
    taskbench = eval_dir / "external" / "taskbench-shapes.jsonl"
    if taskbench.is_file():
        rep = evaluate_file(taskbench, parse)
        acc = 100 * (rep.accuracy("shape") or 0.0)
        by_domain = ", ".join(f"{d} {100 * v:.1f}%" for d, v in rep.by_domain().items())
        # Earlier versions of the parser were tuned on these rows: a training score,
        # shown for comparison and never a target (the held-out and sealed writers' are).
        out.append(Row("eval: TaskBench shape accuracy (training score)", acc, unit="%", note=by_domain))
    swe = eval_dir / "external" / "swebench-lite.jsonl"
    if swe.is_file():
        rep = evaluate_file(swe, parse)
        texts = [str(r["task"]) for r in read_rows(swe)]
        cpu, wall = _row_times(texts)
        slowest = max(range(len(texts)), key=cpu.__getitem__)
        by_cpu, by_wall = sorted(cpu), sorted(wall)
        code = sum(r.code_steps for r in rep.rows)
        errors = sum(1 for r in rep.rows if r.error)
        out.append(
            Row(
                "eval: SWE-bench Lite slowest parse (processor time)",
                cpu[slowest],
                reference=by_cpu[len(by_cpu) // 2],
                reference_name="median row",
                goal="< 50 ms, no errors",
                ok=cpu[slowest] < 0.05 and errors == 0,
                note=(
                    f"{len(texts)} rows, {errors} errors; each row's best of three parses, the first of which also fills "
                    "the syntax model's caches; processor time, to which waiting for a busy machine's cores adds "
                    f"nothing (the goal is an idle machine's). Wall clock in the same run: slowest {1000 * by_wall[-1]:.1f} ms, "
                    f"median {1000 * by_wall[len(by_wall) // 2]:.1f} ms"
                ),
            )
        )
        out.append(Row("eval: SWE-bench steps from code/tracebacks", code, unit="", goal="0", ok=code == 0))
        out.append(_first_parse_row(texts[slowest], cpu[slowest]))
    dev = eval_dir / "dev.jsonl"
    if dev.is_file():
        start = time.perf_counter()
        rep = evaluate_file(dev, parse)
        acc = 100 * (rep.accuracy("branches") or 0.0)
        out.append(
            Row(
                "eval: dev branch count exact (training score)",
                acc,
                unit="%",
                note=f"{len(rep.labelled('branches'))} labelled rows ({time.perf_counter() - start:.1f} s with the advisor)",
            )
        )
    return out
