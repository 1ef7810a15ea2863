"""Step contracts at run time: output schemas checked (one retry), for_each fanned out
per item, journaled per item, resumed without repeating a finished item."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from planner.errors import PlanError
from planner.plan import Plan, Step
from planner.plan.contracts import ForEach, check_reply, parse_reply, sample
from planner.runner import CallResult, run
from planner.runner.model import BackendError, CallRequest
from tests.run_helpers import Recorder, plan_from

FAN = """version: 1
task: migrate the services
steps:
  - id: find
    prompt: list the services
    output: {type: array, items: {type: string}}
  - id: migrate
    depends_on: [find]
    for_each: {from: find, max_parallel: 2}
    prompt: migrate the service
    output: {type: object, required: [service], properties: {service: {type: string}}}
  - id: verify
    depends_on: [migrate]
    prompt: check the reports
"""
SERVICES = ["billing", "orders", "search", "mail", "auth"]


def answers(request: CallRequest) -> CallResult:
    if request.step_id == "find":
        return CallResult(json.dumps(SERVICES), 10, 5, 0.001)
    if request.step_id.startswith("migrate["):
        item = request.prompt.split("-----BEGIN INPUT ITEM ", 1)[1].split("\n", 2)[1]
        return CallResult(json.dumps({"service": item}), 10, 5, 0.001)
    return CallResult(f"out:{request.step_id}", 10, 5, 0.001)


def recorder(**script: object) -> Recorder:
    rec = Recorder(latency=0.005)
    for sid in ("find", "verify", *[f"migrate[{n}]" for n in range(1, 6)]):
        rec.script[sid] = script.get(sid, answers)  # type: ignore[assignment]
    return rec


def test_for_each_runs_once_per_item_within_its_own_limit(tmp_path: Path) -> None:
    rec = recorder()
    result = run(plan_from(FAN), rec, state_dir=tmp_path)
    assert result.status == "done"
    called = Counter(c.step_id for c in rec.calls)
    assert called == Counter({"find": 1, "verify": 1, **{f"migrate[{n}]": 1 for n in range(1, 6)}})
    assert rec.peak <= 2  # the step's max_parallel, though the run allows 20
    assert json.loads(result.outputs["migrate"]) == [{"service": s} for s in SERVICES]
    # Each item saw its own item and the prompt asked for JSON by the item schema.
    prompt = next(c.prompt for c in rec.calls if c.step_id == "migrate[3]")
    assert "item 3 of 5" in prompt and "search" in prompt and '"required"' in prompt
    # The step after it reads the whole list.
    assert "orders" in next(c.prompt for c in rec.calls if c.step_id == "verify")


def test_each_item_is_journaled_and_a_resume_never_repeats_a_finished_one(tmp_path: Path) -> None:
    def fail_search(request: CallRequest) -> CallResult:
        raise BackendError("bad request for this item", retryable=False)

    first = recorder(**{"migrate[3]": fail_search})
    result = run(plan_from(FAN), first, state_dir=tmp_path)
    assert result.status == "failed"
    assert result.steps["migrate"].status == "failed"
    assert "item 3" in (result.steps["migrate"].error or "")
    assert result.steps["verify"].status == "skipped"
    import sqlite3

    rows = dict(
        sqlite3.connect(tmp_path / "journal.sqlite").execute(
            "SELECT step_id, status FROM steps WHERE step_id LIKE 'migrate[%'"
        ).fetchall()
    )
    assert rows == {"migrate[1]": "done", "migrate[2]": "done", "migrate[3]": "failed", "migrate[4]": "done", "migrate[5]": "done"}

    second = recorder()
    resumed = run(plan_from(FAN), second, state_dir=tmp_path, resume=result.run_id, retry_failed=True)
    assert resumed.status == "done"
    assert Counter(c.step_id for c in second.calls) == Counter({"migrate[3]": 1, "verify": 1})
    assert json.loads(resumed.outputs["migrate"])[2] == {"service": "search"}


def test_a_budget_stop_mid_fan_out_resumes_with_the_items_left(tmp_path: Path) -> None:
    # Calls cost $0.001 and reserve about $0.0025 (100 output tokens at sonnet plus
    # the prompt), so $0.005 pays for the list and two items, not a third.
    plan = plan_from(FAN.replace("max_parallel: 2", "max_parallel: 1").replace("    prompt:", "    max_tokens: 100\n    prompt:"))
    rec = recorder()
    stopped = run(plan, rec, state_dir=tmp_path, max_cost=0.005, max_parallel=1)
    assert stopped.status == "budget"
    done_items = {c.step_id for c in rec.calls if c.step_id.startswith("migrate[")}
    assert 0 < len(done_items) < 5
    again = recorder()
    resumed = run(plan, again, state_dir=tmp_path, resume=stopped.run_id, max_cost=10.0)
    assert resumed.status == "done"
    rerun = {c.step_id for c in again.calls if c.step_id.startswith("migrate[")}
    assert rerun.isdisjoint(done_items - {max(done_items)})  # at most the one cut off mid-call runs again
    assert len(json.loads(resumed.outputs["migrate"])) == 5


def test_output_contract_retries_once_with_the_reason_then_succeeds() -> None:
    replies = iter(["Sure! Here are the services: billing, orders", json.dumps(["billing", "orders"])])

    def find(request: CallRequest) -> CallResult:
        return CallResult(next(replies), 10, 5, 0.001)

    rec = Recorder(script={"find": find})
    plan = plan_from(FAN.split("  - id: migrate")[0])
    result = run(plan, rec)
    assert result.status == "done"
    assert [c.step_id for c in rec.calls] == ["find", "find"]
    assert "did not satisfy that schema" in rec.calls[1].prompt
    assert rec.calls[0].output_schema == {"type": "array", "items": {"type": "string"}}
    assert json.loads(result.outputs["find"]) == ["billing", "orders"]


def test_output_contract_fails_the_step_after_a_second_bad_reply() -> None:
    rec = Recorder(script={"find": lambda r: CallResult('{"services": "all of them"}', 10, 5, 0.001)})
    result = run(plan_from(FAN), rec)
    assert result.steps["find"].status == "failed"
    assert "does not satisfy the output schema" in (result.steps["find"].error or "")
    assert result.steps["migrate"].status == "skipped"
    assert len(rec.calls) == 2


def test_mock_backend_answers_contracts() -> None:
    result = run(plan_from(FAN), "mock")
    assert result.status == "done"
    assert len(json.loads(result.outputs["migrate"])) == len(json.loads(result.outputs["find"]))


def test_plans_built_in_code_get_the_loaders_contract_checks() -> None:
    rec = Recorder()
    no_list = Plan(steps=(Step("a"), Step("b", depends_on=("a",), for_each=ForEach("a"))))
    with pytest.raises(PlanError, match="not a list"):
        run(no_list, rec)
    not_dep = Plan(steps=(Step("a", output={"type": "array"}), Step("b", for_each=ForEach("a"))))
    with pytest.raises(PlanError, match="must be one of its depends_on"):
        run(not_dep, rec)
    bad_schema = Plan(steps=(Step("a", output={"type": "lots"}),))
    with pytest.raises(PlanError, match="not a valid JSON Schema"):
        run(bad_schema, rec)
    assert rec.calls == []


@pytest.mark.parametrize(
    ("reply", "value"),
    [
        ('["a"]', ["a"]),
        ('Here you go:\n```json\n{"x": 1}\n```\nDone.', {"x": 1}),
        ('The list is [1, 2, 3] as asked.', [1, 2, 3]),
    ],
)
def test_json_is_found_in_a_reply(reply: str, value: object) -> None:
    assert parse_reply(reply) == value


def test_sample_satisfies_its_schema() -> None:
    schema = {
        "type": "object",
        "required": ["name", "tags", "n", "kind"],
        "properties": {
            "name": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "n": {"type": "integer", "minimum": 3},
            "kind": {"enum": ["a", "b"]},
        },
    }
    assert check_reply(schema, json.dumps(sample(schema)))[1] is None
