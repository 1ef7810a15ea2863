"""Advisor features: graph structure, lists, counts and cues, on graphs built by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from planner.advise.features import compute_features, largest_antichain, stated_count
from planner.advise.lists import find_lists, verb_checker
from planner.advise.rules import load_rules
from planner.config import default_config
from planner.parser.model import SIGNAL_CATEGORIES, Group, TaskGraph, TaskStep


def graph(text: str, steps: list[tuple[str, str, str | None]], edges: list[tuple[str, str]]) -> TaskGraph:
    """A TaskGraph from (id, role, group) triples and dependency edges."""
    objs = [
        TaskStep(id=sid, text=sid.replace("-", " "), span=(pos, pos + 1), verb=None, role=role, cues=(), group=group)
        for pos, (sid, role, group) in enumerate(steps)
    ]
    g = nx.DiGraph()
    g.add_nodes_from(s[0] for s in steps)
    g.add_edges_from(edges)
    groups: dict[str, tuple[str, ...]] = {}
    for sid, _, group in steps:
        if group:
            groups[group] = (*groups.get(group, ()), sid)
    parallel = tuple(
        Group(id=k, kind="items", names=(), count=len(v), counted="", verb=None, role="", steps=v) for k, v in groups.items()
    )
    return TaskGraph(text=text, steps=tuple(objs), graph=g, signals={c: () for c in SIGNAL_CATEGORIES}, parallel=parallel)


def features(tg: TaskGraph):  # type: ignore[no-untyped-def]
    rules = load_rules(())
    return compute_features(tg, tg.text, rules.cues, default_config(), rules.count_ignore)


def test_fan_out_structure() -> None:
    tg = graph(
        "Look into a, b and c and summarize",
        [("a", "explore", "g"), ("b", "explore", "g"), ("c", "explore", "g"), ("sum", "synthesize", None)],
        [("a", "sum"), ("b", "sum"), ("c", "sum")],
    )
    f = features(tg)
    assert f["steps"] == 4
    assert f["width"] == 3
    assert f["depth"] == 2
    assert f["branches"] == 3
    assert f["converges"] is True
    assert f["branch_gather"] is True and f["branch_make"] is False
    assert f["chain"] is False
    assert f.branch_ids == ("a", "b", "c")


def test_chain_structure() -> None:
    tg = graph("find, design, build, review", [("f", "explore", None), ("d", "design", None), ("b", "implement", None), ("r", "review", None)],
               [("f", "d"), ("d", "b"), ("b", "r")])
    f = features(tg)
    assert f["chain"] is True
    assert f["depth"] == 4 and f["width"] == 1
    assert f["branches"] == 0
    assert f["stages"] == 4
    assert f["review_cycle"] is False


def test_multi_stage_branches() -> None:
    tg = graph(
        "streams",
        [("a1", "implement", "g"), ("b1", "implement", "g"), ("a2", "test", None), ("b2", "test", None), ("join", "integrate", None)],
        [("a1", "a2"), ("b1", "b2"), ("a2", "join"), ("b2", "join")],
    )
    f = features(tg)
    assert f["branch_make"] is True
    assert f["multi_stage"] is True


def test_review_cycle_follows_dependencies() -> None:
    cycle = graph("x", [("d", "draft", None), ("r", "review", None), ("revise", "draft", None)], [("d", "r"), ("r", "revise")])
    assert features(cycle)["review_cycle"] is True
    # "review and polish": both work on the draft; the polish does not act on the review.
    side = graph("x", [("d", "draft", None), ("r", "review", None), ("polish", "draft", None)], [("d", "r"), ("d", "polish")])
    assert features(side)["review_cycle"] is False
    # After a review, handing the work on ("release") is not a revision.
    hand_on = graph("x", [("d", "draft", None), ("r", "review", None), ("release", "implement", None)], [("d", "r"), ("r", "release")])
    assert features(hand_on)["review_cycle"] is False


def test_largest_antichain_is_exact() -> None:
    # Two chains of three plus a node after both: the width is 2, though one layer has 2
    # and a naive count of roots would say 2 as well; a diamond inside raises it to 3.
    g = nx.DiGraph([("a", "b"), ("b", "c"), ("x", "y"), ("y", "z"), ("c", "end"), ("z", "end"), ("a", "q")])
    assert largest_antichain(g) == 3
    assert largest_antichain(nx.DiGraph()) == 0
    assert largest_antichain(nx.path_graph(5, create_using=nx.DiGraph)) == 1


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Propose three designs", 3),
        ("read the 12 service logs", 12),
        ("it takes 20 seconds", 0),
        ("both proposals", 2),
        ("run it 3 times", 0),
        ("nothing counted here", 0),
        ("Review PR #482 for security issues", 0),
        ("upgrade to Python 3.12 wheels", 0),
        ("check 40 for broken links", 0),
        ("benchmark 3 of our services", 3),
    ],
)
def test_stated_count(text: str, count: int) -> None:
    assert stated_count(text, load_rules(()).count_ignore) == count


@pytest.mark.parametrize(
    ("text", "items", "actions"),
    [
        ("Research how Django, Rails and Laravel handle migrations", ("Django", "Rails", "Laravel"), False),
        ("Understand the code: structure, conventions, build system", ("structure", "conventions", "build system"), False),
        ("Check the dashboards (EU, US, APAC, LATAM) today", ("EU", "US", "APAC", "LATAM"), False),
        ("Scrape the pages, parse the prices, normalize the currencies and then store them",
         ("Scrape the pages", "parse the prices", "normalize the currencies", "store them"), True),
        ("Plan:\n- gather the logs\n- find the error\n- write the fix\n", ("gather the logs", "find the error", "write the fix"), True),
    ],
)
def test_find_lists(text: str, items: tuple[str, ...], actions: bool) -> None:
    found = find_lists(text, verb_checker())
    assert found, text
    best = max(found, key=lambda lst: len(lst.items))
    assert best.items == items
    assert best.actions is actions


def test_lists_ignore_code_blocks() -> None:
    text = "Fix this:\n```\nfoo(a, b, c, d)\nbar(x, y and z)\n```\n"
    assert find_lists(text, verb_checker()) == ()


def test_cue_features() -> None:
    tg = graph("We have no idea why the export fails; figure out the cause and fix it.", [("x", "implement", None)], [])
    f = features(tg)
    assert f["exploring"] is True
    assert f["defect"] is True
    assert any("no idea" in c for c in f.cues["exploring"])
    assert f["iterating"] is False


def test_features_to_dict_is_sorted_and_plain() -> None:
    tg = graph("Rename x", [("x", "implement", None)], [])
    d = features(tg).to_dict()
    assert list(d) == sorted(d)
    assert all(isinstance(v, bool | int | float | str) for v in d.values())
