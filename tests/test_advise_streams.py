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

FIXTURE = Path(__file__).parent.parent / "corpus" / "advisor" / "pipelines-streams.jsonl"
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


@pytest.mark.parametrize(
    ("text", "streams", "stages"),
    [
        (
            "For each of our four storefronts, refresh the product feed, rebuild the search index and purge the cache",
            ["storefront-1-", "storefront-2-", "storefront-3-", "storefront-4-"],
            3,
        ),
        ("For each of the two client libraries, rewrite the retry logic and then update its tests", ["client-library-1-", "client-library-2-"], 2),
    ],
)
def test_a_counted_set_of_unnamed_streams_is_named_after_what_is_counted(text: str, streams: list[str], stages: int) -> None:
    plan = suggest(text).plan
    assert plan.pattern == "parallel-pipelines"
    starts = [st for st in plan.steps if not st.depends_on]
    assert [st.id[: len(prefix)] for st, prefix in zip(starts, streams, strict=True)] == streams
    # each stream runs every stage once, then one step joins them all
    assert len(plan.steps) == len(streams) * stages + 1
    assert all(not any(w in st.id.split("-") for w in ("its", "our", "the")) for st in plan.steps)
    assert lint(dump_yaml(plan)) == []


def test_more_counted_streams_than_the_cap_are_batched_into_numbered_ranges() -> None:
    plan = suggest("Port our 30 data pipelines from Airflow 1 to Airflow 2").plan
    starts = [st for st in plan.steps if not st.depends_on]
    assert len(starts) == 20  # fan_out_cap in rules/thresholds.toml
    assert starts[0].id.startswith("data-pipelines-1-and-2-")
    # every pipeline is in exactly one batch, and batches are named by their numbers
    numbers = [int(w) for st in starts for w in st.id.split("-") if w.isdigit()]
    assert sorted(numbers) == list(range(1, 31))
    assert any("30 workstreams" in r and "batched" in r for r in plan.rationale)


@pytest.mark.parametrize(("text", "verb"), [("Localize the help center into 4 languages", "Localize"), ("Port our 6 plugins to the new API", "Port")])
def test_the_texts_own_verb_names_the_making_stage(text: str, verb: str) -> None:
    plan = suggest(text).plan
    assert plan.pattern == "parallel-pipelines"
    starts = [st for st in plan.steps if not st.depends_on]
    assert starts and all(st.title.startswith(verb) and ": " in st.title for st in starts)


def test_a_making_stage_keeps_a_short_object_that_is_not_the_streams() -> None:
    plan = suggest("Add structured logging to the billing, search and auth services").plan
    starts = [st for st in plan.steps if not st.depends_on]
    assert [st.title for st in starts] == [f"Add structured logging: {s}" for s in ("billing", "search", "auth")]


def test_cleaning_up_counted_things_is_work_on_code_in_batches() -> None:
    # Removing things is changing code: makers, not haiku readers, in batches under the cap.
    plan = suggest("Remove the 200 dead feature toggles from our codebase").plan
    assert plan.pattern == "parallel-pipelines"
    starts = [st for st in plan.steps if not st.depends_on]
    assert len(starts) == 20 and all(st.tier != "haiku" and st.title.startswith("Remove: ") for st in starts)
    plan = suggest("Clean up the 300 stale feature flags in our codebase").plan
    assert all(st.title.startswith("Clean up: ") for st in plan.steps if not st.depends_on)
