"""No evaluation text is quoted in the project.

The rows under ``../shared/eval`` are for measuring, never for building: a parser
tuned to them scores well there and worse on text nobody has seen. The rule is
the one ``../shared/hooks/leak-scan`` applies: lower-case the text into
``[a-z0-9']+`` words; no run of eight consecutive words from any evaluation row
may appear in ``planner/``, ``rules/``, ``corpus/``, ``tests/`` or the README,
unless the run occurs in three or more evaluation rows (common phrasing) or in
the reference text.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

WORD = re.compile(r"[a-z0-9']+")
RUN = 8
SCANNED = ("planner", "rules", "corpus", "tests", "README.md")
SUFFIXES = {".py", ".toml", ".jsonl", ".json", ".md", ".yaml", ".yml", ".txt", ".conllu", ".j2"}


def runs(text: str, n: int = RUN) -> set[str]:
    words = WORD.findall(text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def _eval_rows(shared: Path) -> Iterator[tuple[str, str]]:
    for path in sorted((shared / "eval").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                task = json.loads(line).get("task")
            except ValueError:
                continue
            if isinstance(task, str) and task:
                yield path.name, task


def _project_files() -> Iterator[Path]:
    for name in SCANNED:
        root = REPO / name
        if root.is_file():
            yield root
        elif root.is_dir():
            yield from (p for p in sorted(root.rglob("*")) if p.is_file() and p.suffix in SUFFIXES)


def test_runs_are_lowercased_words() -> None:
    assert runs("One two, THREE four five six seven eight nine") == {
        "one two three four five six seven eight",
        "two three four five six seven eight nine",
    }
    assert runs("too short to count") == set()


@pytest.mark.shared
def test_no_evaluation_text_in_the_project(shared_dir: Path) -> None:
    rows = list(_eval_rows(shared_dir))
    assert rows, "no evaluation rows found"
    seen_in = Counter(run for _, task in rows for run in runs(task))
    allowed = {run for run, n in seen_in.items() if n >= 3}
    seed = shared_dir / "seed" / "orchestration-patterns.md"
    if seed.exists():
        allowed |= runs(seed.read_text(encoding="utf-8"))
    source: dict[str, str] = {}
    for name, task in rows:
        for run in runs(task) - allowed:
            source.setdefault(run, f"{name}: {task[:60]}")
    leaks = []
    for path in _project_files():
        found = runs(path.read_text(encoding="utf-8", errors="replace")) & source.keys()
        leaks.extend(f"{path.relative_to(REPO)} quotes {source[run]!r}" for run in sorted(found)[:1])
    assert not leaks, "evaluation text quoted in the project:\n" + "\n".join(leaks)
