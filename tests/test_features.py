"""Advisor features: graph structure, lists, counts and cues, on graphs built by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from planner.advise.features import compute_features, largest_antichain
from planner.config import default_config
from planner.parser import parse
from planner.parser.cues import builtin_cues, match_cues
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
    return TaskGraph(
        text=text, steps=tuple(objs), graph=g, signals={c: () for c in SIGNAL_CATEGORIES}, parallel=parallel,
        cues=match_cues(builtin_cues(), text),
    )


def features(tg: TaskGraph):  # type: ignore[no-untyped-def]
    return compute_features(tg, default_config())


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
        ("Propose three designs for the cache and compare them", 3),
        ("Audit each of the 12 microservices", 12),
        # A batch of data the user has (I351): one reader, not twelve; this read
        # 12 while "logs" was not lemmatised to "log".
        ("Read each of the 12 service logs", 0),
        ("It takes 20 seconds to load; make it faster", 0),
        ("Run the migration 3 times", 0),
        ("Review PR #482 for security issues", 0),
        ("Upgrade the wheels to Python 3.12", 0),
        ("Benchmark 3 of our services", 3),
    ],
)
def test_stated_count_comes_from_the_parse(text: str, count: int) -> None:
    assert features(parse(text)).stated_count == count


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("Research how Flask, Spring and Phoenix validate requests", ("Flask", "Spring", "Phoenix")),
        ("Understand the code: structure, conventions, build system", ("structure", "conventions", "build system")),
        ("Check each of the dashboards (EU, US, APAC, LATAM) for anomalies", ("EU", "US", "APAC", "LATAM")),
    ],
)
def test_listed_items_come_from_the_parse(text: str, items: tuple[str, ...]) -> None:
    f = features(parse(text))
    assert f.list_items == items
    assert f["listed"] == len(items)


def test_lists_ignore_code_blocks() -> None:
    text = "Fix this:\n```\nfoo(a, b, c, d)\nbar(x, y and z)\n```\n"
    assert features(parse(text)).list_items == ()


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
