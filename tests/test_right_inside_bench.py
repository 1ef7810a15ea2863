"""The right-inside benchmark never lists a sealed writer's rows."""

from __future__ import annotations

import pytest

from benchmarks import right_inside


def test_sealed_rows_are_never_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert right_inside.main(["--sealed", "-v"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "never shown" in captured.err


def test_a_writer_gets_one_aggregate_line(capsys: pytest.CaptureFixture[str]) -> None:
    if not (right_inside.TASKS / "w5.jsonl").is_file():
        pytest.skip("corpus/tasks/w5.jsonl is not in this checkout")
    assert right_inside.main(["w5"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("w5: right inside ") and "pattern right" in line


def test_starting_steps_are_counted_against_the_named_workers() -> None:
    from planner.advise import suggest
    from planner.advise.inside import names_workers, starts_right
    from planner.parser.corpus import read_row

    raw = {
        "id": "t-1",
        "task": "Ask the bakery, the florist and the caterer for a quote, then put them in one table.",
        "pattern": "fan-out-fan-in",
        "items": ["the bakery", "the florist", "the caterer"],
        "steps": [
            {"id": "s1", "says": "Ask the bakery", "item": "the bakery", "role": "explore"},
            {"id": "s2", "says": "put them in one table", "role": "synthesize", "after": ["s1"]},
        ],
    }
    row = read_row(raw, "test")
    assert names_workers(row)
    plan = suggest(row.task).plan
    starts = sum(1 for s in plan.steps if not s.depends_on)
    assert starts_right(row, plan) == (starts == 3)
    # a plan forced into one chain starts one step, not three
    chain = suggest(row.task, pattern="pipeline").plan
    assert not starts_right(row, chain)


def test_an_item_named_by_a_stop_word_is_found_in_its_step() -> None:
    # "IT" and "US" are keyed by words the title scorer drops as stop words; the step
    # that names them is still theirs, and a step that names neither is not.
    from planner.advise.inside import _own_step, names
    from planner.plan.model import Step

    steps = (Step("ask-it", title="Ask IT"), Step("ask-hr", title="Ask HR"), Step("compare", title="Compare"))
    assert _own_step(steps, "IT", ["IT", "HR"]) is steps[0]
    assert _own_step(steps, "HR", ["IT", "HR"]) is steps[1]
    assert _own_step(steps, "US", ["US", "EU"]) is None
    assert names(Step("price-us", title="Price the US plan"), "US")
    assert not names(Step("price-eu", title="Price the EU plan"), "US")


def test_a_stop_word_item_is_named_only_as_the_builders_name_an_items_step() -> None:
    # "it", "us" and "a" in a title, or inside a longer id, are a pronoun or an article:
    # a step that folds "it" into a report is not the IT step, nor "Write a summary" option A's.
    from planner.advise.inside import _own_step, names
    from planner.plan.model import Step

    fold = Step("fold-it-into-the-report", title="Fold it into the report")
    assert not names(fold, "IT")
    assert not names(Step("write-summary", title="Write a summary"), "A")
    assert names(Step("rate-a", title="Rate option A"), "A")
    assert names(Step("rate-a-2", title="Rate option A again"), "A")
    assert not names(Step("rate-b", title="Rate a second option"), "A")
    # an article the id leaves out is no part of the name: "the US" is named by "call-us",
    # and not by any title with "the" or "us" in it
    assert names(Step("call-us", title="Call the US office"), "the US")
    assert not names(Step("call-office", title="Call us at the office"), "the US")
    # a title names it as the builders write an item's step: after a verb, as written, or beside a colon
    assert names(Step("check", title="Check IT"), "IT")
    assert not names(Step("check", title="Check it"), "IT")
    assert names(Step("time", title="Time A"), "A")
    assert not names(Step("time", title="Time a run"), "A")
    assert names(Step("build", title="A: build it in the demo"), "A")
    assert names(Step("poll", title="Poll the teams: US"), "US")
    assert not names(Step("poll", title="Poll the teams: it"), "US")
    assert names(Step("draft-memo", title="Draft the US memo"), "US")
    assert not names(Step("draft-memo", title="Draft the memo for us"), "US")
    assert not names(Step("summary", title="A summary of the notes"), "A")
    steps = (Step("poll-it", title="Poll IT"), Step("poll-legal", title="Poll Legal"), fold)
    assert _own_step(steps, "IT", ["IT", "Legal"]) is steps[0]
    assert _own_step(steps[1:], "IT", ["IT", "Legal"]) is None
