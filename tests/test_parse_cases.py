"""Parse cases as data: every file under tests/parse_cases/ is a YAML list of cases.

Each case has a ``task`` and any of these expectations (all optional):

- ``steps``: the number of steps; ``shape``: single, chain or dag;
- ``verbs``: the steps' verbs in order; ``roles``: their roles in order;
- ``texts``: the words each step was read from, in order;
- ``edges``: dependencies as ``[from, to]`` pairs of step positions (0-based),
  compared with the graph's transitive reduction;
- ``items``: names of the parallel items the text names (any group), in order;
- ``group``: the kind of the first parallel group (items, streams, approaches);
- ``count``: the count of the first counted group;
- ``rounds`` / ``until``: the first loop's bound and stop condition (substring);
- ``readings``: codes that must have fired; ``not_readings``: codes that must not;
- ``note``: a substring of one of the graph's notes;
- ``repeat``: the task is the text repeated this many times (long inputs).

The sentences are the project's own, written to show one reading each; they
are never taken from evaluation data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml

from planner.parser import parse

CASES = Path(__file__).parent / "parse_cases"


def _load() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for k, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            out.append((f"{path.stem}-{k + 1}", case))
    return out


ALL = _load()


@pytest.mark.parametrize(("name", "case"), ALL, ids=[n for n, _ in ALL])
def test_parse_case(name: str, case: dict[str, Any]) -> None:
    task = case["task"] * int(case.get("repeat", 1))
    g = parse(task)
    where = f"{name}: {case['task'][:80]!r} -> {[s.id for s in g.steps]}"
    if "steps" in case:
        assert len(g.steps) == case["steps"], where
    if "shape" in case:
        assert g.shape == case["shape"], where
    if "verbs" in case:
        assert [s.verb for s in g.steps] == case["verbs"], where
    if "roles" in case:
        assert [s.role for s in g.steps] == case["roles"], where
    if "texts" in case:
        assert [s.text for s in g.steps] == case["texts"], where
    if "edges" in case:
        pos = {s.id: k for k, s in enumerate(g.steps)}
        reduced = nx.transitive_reduction(g.graph) if g.graph.number_of_edges() else g.graph
        got = sorted([pos[u], pos[v]] for u, v in reduced.edges)
        assert got == sorted(case["edges"]), where
    if "items" in case:
        names = [n for grp in g.parallel for n in grp.names]
        assert names == case["items"], where
    if "group" in case:
        assert g.parallel and g.parallel[0].kind == case["group"], where
    if "count" in case:
        assert g.parallel and g.parallel[0].count == case["count"], where
    if "rounds" in case:
        assert g.loops and g.loops[0].rounds == case["rounds"], where
    if "until" in case:
        assert g.loops and case["until"] in (g.loops[0].until or ""), where
    fired = {f.code for f in g.fired}
    for code in case.get("readings", []):
        assert code in fired, f"{where}: {code} did not fire ({sorted(fired)})"
    for code in case.get("not_readings", []):
        assert code not in fired, f"{where}: {code} fired"
    if "note" in case:
        assert any(case["note"] in n for n in g.notes), where


def test_cases_exist_for_every_reading() -> None:
    from planner.parser.readings import all_readings

    shown = {code for _, case in ALL for code in case.get("readings", [])}
    missing = [r.code for r in all_readings() if r.code not in shown]
    assert not missing, f"readings without a parse case: {missing}"
