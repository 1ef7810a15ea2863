"""Step contracts agree across the JSON Schema of plan files, the loader and the linter."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from planner import lint
from planner.errors import PlanError
from planner.plan import load_plan
from planner.plan.schema import schema

PLAN = (Path(__file__).parent / "fixtures" / "exports" / "for-each.plan.yaml").read_text(encoding="utf-8")

# (what to change in the plan, whether the JSON Schema catches it too)
BAD = [
    ("for_each: {from: find, max_parallel: 2}", "for_each: {from: find, max_parallel: 0}", True),
    ("for_each: {from: find, max_parallel: 2}", "for_each: {from: find, fanout: 2}", True),
    ("for_each: {from: find, max_parallel: 2}", "for_each: {max_parallel: 2}", True),
    ("for_each: {from: find, max_parallel: 2}", "for_each: find", True),
    ("      items: {type: string}", "      items: {type: strings}", False),  # a schema inside a schema: jsonschema's job
    ("    depends_on: [find]\n    for_each", "    depends_on: []\n    for_each", False),  # cross-step: loader and linter
]


def test_the_contract_plan_is_valid_everywhere() -> None:
    jsonschema.validate(yaml.safe_load(PLAN), schema())
    assert load_plan(PLAN).step("migrate").for_each is not None
    assert lint(PLAN) == []


@pytest.mark.parametrize(("old", "new", "by_schema"), BAD)
def test_loader_linter_and_schema_agree_on_bad_contracts(old: str, new: str, by_schema: bool) -> None:
    text = PLAN.replace(old, new)
    assert text != PLAN
    with pytest.raises(PlanError):
        load_plan(text)
    assert [f for f in lint(text) if f.severity == "error"]
    if by_schema:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(yaml.safe_load(text), schema())
