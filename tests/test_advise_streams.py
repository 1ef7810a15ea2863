"""Parallel pipelines take their streams, stage order, stage titles and join
from the text ("for each, A, B and C"; "X and Y each have to A, B and C")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from planner.advise import suggest
from planner.advise.lists import verb_checker
from planner.advise.streams import read_streams
from planner.linter import lint
from planner.plan.dump import dump_yaml
from planner.plan.model import STEP_ID_RE

FIXTURE = Path(__file__).parent / "fixtures" / "advisor" / "pipelines-streams.jsonl"
ROWS: list[dict[str, Any]] = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("row", ROWS, ids=[r["task"][:40] for r in ROWS])
def test_streams_stages_and_join_come_from_the_text(row: dict[str, Any]) -> None:
    s = suggest(row["task"])
    plan = s.plan
    assert plan.pattern == row["pattern"]
    ids = [st.id for st in plan.steps]
    assert len(set(ids)) == len(ids) and all(STEP_ID_RE.match(i) for i in ids)
    by_id = {st.id: st for st in plan.steps}
    joins = [st for st in plan.steps if len(st.depends_on) >= 2]
    assert [j.title for j in joins] == [row["join"]]
    # Walk each stream back from the join: its titles, in order, are "Stage: stream".
    streams: list[list[str]] = []
    for end in joins[0].depends_on:
        chain: list[str] = []
        step = by_id[end]
        while True:
            chain.append(step.title)
            if not step.depends_on:
                break
            step = by_id[step.depends_on[0]]
        streams.append(chain[::-1])
    assert [c[0].split(": ", 1)[1] for c in streams] == row["streams"]
    for chain, label in zip(streams, row["streams"], strict=True):
        assert chain == [f"{stage}: {label}" for stage in row["stages"]]
        # the stream label appears once per title, never folded into the stage name
        assert all(t.count(label) == 1 for t in chain)
    assert lint(dump_yaml(plan)) == []


def test_stage_clause_reading() -> None:
    r = read_streams("Upgrade the services (a, b, c): for each, patch it, then run the tests; then ship", verb_checker())
    assert r is not None
    assert r.labels == ("a", "b", "c")
    assert [st.title for st in r.stages] == ["Patch", "Run the tests"]
    assert r.join == "ship"


@pytest.mark.parametrize(
    "text",
    [
        "Write the report and send it to the team",
        "Research Redis, Memcached and Hazelcast and summarise each one",
        "Build the app",
    ],
)
def test_no_stage_clause_reads_nothing(text: str) -> None:
    r = read_streams(text, verb_checker())
    assert r is None or len(r.stages) < 2


@pytest.mark.parametrize(
    "text",
    [
        "for each,,,",
        "each have to , , and",
        "for each: have a , get the",
        "Do A, B, C. For each one: design, build and test it, then",
        "X each have to build and test; then both are",
        "(a, b) for each, build it, test it;",
    ],
)
def test_odd_stage_clauses_still_give_clean_plans(text: str) -> None:
    r = read_streams(text, verb_checker())
    if r is not None:
        assert all(st.title and st.title.lower() not in ("then", "a", "the") for st in r.stages)
    s = suggest(text)
    ids = [st.id for st in s.plan.steps]
    assert len(set(ids)) == len(ids) and all(STEP_ID_RE.match(i) for i in ids)
    assert lint(dump_yaml(s.plan)) == []
