"""The parser stays linear on run-on text ("and and and ...", "then then ...").

These tests count work, not seconds (``make bench`` times it): the tree
queries the readings make grow in proportion to the text.
"""

from __future__ import annotations

import pytest

from planner.parser import parse
from planner.parser import tree as tree_module


@pytest.mark.parametrize("unit", ["and ", "and then ", "and, ", "or also ", "check it and ", "then fix it "])
def test_tree_queries_grow_linearly_with_a_run_of_cue_words(unit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    plain = tree_module.Tree.subtree

    def counted(self: tree_module.Tree, i: int, skip: object = ()) -> list[int]:
        nonlocal calls
        calls += 1
        return plain(self, i, skip)  # type: ignore[arg-type]

    monkeypatch.setattr(tree_module.Tree, "subtree", counted)
    counts = []
    for n in (250, 500, 1000):
        calls = 0
        parse(unit * n)
        counts.append(max(calls, 1))
    # Doubling the text at most doubles the work (with room for fixed costs), never squares it.
    assert counts[2] <= 2.5 * counts[1] + 50, counts
    assert counts[1] <= 2.5 * counts[0] + 50, counts


def test_a_long_run_of_requests_stops_at_the_step_cap() -> None:
    g = parse("Review the code and " * 800)
    assert len(g.steps) <= 40
    assert any("only the first" in n for n in g.notes)


def test_arrow_spans_take_the_blanks_around_each_arrow() -> None:
    from planner.parser.front import arrow_spans

    view = "draft" + " " * 50 + "-> review  =>  ship"
    assert arrow_spans(view, 0, len(view)) == [(5, 58), (64, 70)]
    assert arrow_spans(view, 20, len(view)) == [(20, 58), (64, 70)]  # never before the start
    assert arrow_spans("no arrows " * 3000, 0, 30000) == []


def test_a_long_run_of_blanks_after_an_arrow_still_parses() -> None:
    # read in linear time (make bench times it); the stage after the blanks is kept
    g = parse("go >>" + " " * 20000 + "then test it")
    assert g.steps
