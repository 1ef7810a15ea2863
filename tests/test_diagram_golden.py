"""Golden snapshots: each pattern's example plan drawn four ways, compared exactly.

Regenerate after an intended change and review the difference by eye::

    PLANNER_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_diagram_golden.py
    git diff tests/golden/diagrams
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.diagram import draw_plan, loop_lines
from planner.plan import PATTERNS, load_plan
from tests.diagram_checker import check_diagram

GOLDEN = Path(__file__).parent / "golden"
UPDATE = bool(os.environ.get("PLANNER_UPDATE_GOLDEN"))
VARIANTS = [(d, a) for d in ("TD", "LR") for a in (False, True)]


def _name(pattern: str, direction: str, ascii: bool) -> str:
    return f"{pattern}.{direction.lower()}.{'ascii' if ascii else 'unicode'}.txt"


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize(("direction", "ascii"), VARIANTS)
def test_golden_diagram(pattern: str, direction: str, ascii: bool) -> None:
    plan = load_plan(GOLDEN / "plans" / f"{pattern}.yaml")
    assert plan.pattern == pattern
    text = draw_plan(plan, direction=direction, ascii=ascii) + "\n"
    path = GOLDEN / "diagrams" / _name(pattern, direction, ascii)
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing snapshot {path.name}: run with PLANNER_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize(("direction", "ascii"), VARIANTS)
def test_golden_diagram_reads_back(pattern: str, direction: str, ascii: bool) -> None:
    plan = load_plan(GOLDEN / "plans" / f"{pattern}.yaml")
    text = draw_plan(plan, direction=direction, ascii=ascii)
    labels = {s.id: " ".join((s.label, s.tier or "", *loop_lines(s.max_rounds, s.until))) for s in plan.steps}
    edges = [(d, s.id) for s in plan.steps for d in s.depends_on]
    loops = [s.id for s in plan.steps if s.repeats]
    assert check_diagram(text, labels, edges, direction=direction, ascii=ascii, loops=loops) == []


def test_snapshot_folder_has_no_strays() -> None:
    expected = {_name(p, d, a) for p in PATTERNS for d, a in VARIANTS}
    assert {p.name for p in (GOLDEN / "diagrams").glob("*.txt")} == expected
