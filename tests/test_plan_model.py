"""Plan model v1: loading with positions, validation errors, dump round-trips."""

from __future__ import annotations

import json
import string
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import PlanError
from planner.plan import (
    PATTERNS,
    Alternative,
    Estimate,
    Plan,
    Step,
    StepEstimate,
    dump_json,
    dump_yaml,
    load_plan,
    plan_to_dict,
)
from planner.plan.schema import schema

GOOD = """\
version: 1
task: Understand this codebase
pattern: fan-out-fan-in
steps:
  - id: structure
    title: Structure and entry points
    role: explore
    tier: haiku
  - id: synth
    role: synthesize
    tier: opus
    depends_on: [structure]
    prompt: |
      Combine the findings.
    x-owner: docs-team
x-team: platform
"""


def test_load_keeps_positions_and_values() -> None:
    plan = load_plan(GOOD)
    assert plan.pattern == "fan-out-fan-in"
    assert plan.ids == ("structure", "synth")
    synth = plan.step("synth")
    assert synth.depends_on == ("structure",)
    assert synth.prompt == "Combine the findings.\n"
    assert synth.extensions["x-owner"] == "docs-team"
    assert plan.extensions["x-team"] == "platform"
    assert synth.position is not None and synth.position.line == 9
    assert synth.key_positions["depends_on"].line == 12
    assert synth.key_positions["depends_on"].column == 5
    assert plan.dependents("structure") == ("synth",)


def test_load_from_path_and_text_agree(tmp_path: Path) -> None:
    path = tmp_path / "a.plan.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_plan(path) == load_plan(GOOD) == load_plan(str(path))
    assert load_plan(path).source == str(path)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("version: 2\nsteps: [{id: a}]\n", "unsupported plan version 2 (this planner reads 1)", 1),
        ("steps: [{id: a}]\n", "plan has no 'version'", 1),
        ("version: 1\n", "plan has no 'steps'", 1),
        ("version: 1\nsteps: []\n", "plan has no steps", 2),
        ("version: 1\nstep: []\n", "unknown key 'step' in the plan (did you mean 'steps'?)", 2),
        ("version: 1\nversion: 1\nsteps: [{id: a}]\n", "duplicate key 'version'", 2),
        ("version: 1\nsteps:\n  - title: x\n", "step 1 has no 'id'", 3),
        ("version: 1\nsteps:\n  - id: Bad Id\n", "must match", 3),
        ("version: 1\nsteps:\n  - id: a\n  - id: a\n", "duplicate step id 'a'", 4),
        ("version: 1\nsteps:\n  - id: a\n    depends_on: [zz]\n", "depends on unknown step 'zz'", 4),
        ("version: 1\nsteps:\n  - id: a\n    depends_on: [a]\n", "depends on itself", 4),
        (
            "version: 1\nsteps:\n  - id: a\n    depends_on: [b]\n  - id: b\n    depends_on: [a]\n",
            'dependency cycle: "a" -> "b" -> "a"',
            4,
        ),
        ("version: 1\nsteps:\n  - id: a\n    tier: gpt-9\n", "unknown tier 'gpt-9'", 4),
        ("version: 1\nsteps:\n  - id: a\n    role: wizard\n", "unknown role 'wizard'", 4),
        ("version: 1\nsteps:\n  - id: a\n    max_rounds: 0\n", "'max_rounds' must be at least 1", 4),
        ("version: 1\nsteps:\n  - id: a\n    max_rounds: true\n", "'max_rounds' must be an integer", 4),
        ("version: 1\nsteps:\n  - id: a\n    depends_on: b\n", "'depends_on' must be a list", 4),
        ("version: 1\npattern: swarm\nsteps: [{id: a}]\n", "unknown pattern 'swarm'", 2),
        (
            "version: 1\nalternatives: [{pattern: direct, score: 1.5}]\nsteps: [{id: a}]\n",
            "'score' must be between 0 and 1",
            2,
        ),
        ("version: 1\nsteps: [\n", "invalid YAML", 3),
        ("- just\n- a list\n", "the plan must be a mapping", 1),
        ("", "plan file is empty", None),
    ],
)
def test_invalid_plans_give_one_located_error(text: str, message: str, line: int | None) -> None:
    with pytest.raises(PlanError) as info:
        load_plan(text)
    assert message in str(info.value)
    assert info.value.line == line
    assert info.value.exit_code == 2


def test_file_errors_are_plan_errors(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="no such file"):
        load_plan(tmp_path / "missing.plan.yaml")
    binary = tmp_path / "bin.plan.yaml"
    binary.write_bytes(b"\x00\x01\x02version: 1")
    with pytest.raises(PlanError, match="binary file"):
        load_plan(binary)
    latin = tmp_path / "latin.plan.yaml"
    latin.write_bytes("version: 1\ntask: caf\xe9\n".encode("latin-1"))
    with pytest.raises(PlanError, match="not valid UTF-8"):
        load_plan(latin)
    with pytest.raises(PlanError, match="is a directory"):
        load_plan(tmp_path)


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["version: 1", "steps: [{id: a}]", "x-0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"x-{i}: &a{i} [{refs}]")
    with pytest.raises(PlanError, match="too many nodes"):
        load_plan("\n".join(lines) + "\n")


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    text = "version: 1\nsteps: [{id: a}]\nx-deep: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(PlanError, match="nesting is deeper than 200 levels"):
        load_plan(text)


# --- round trip --------------------------------------------------------------

_ids = st.text(alphabet=string.ascii_lowercase + string.digits + "-_", min_size=1, max_size=12).filter(
    lambda s: s[0].isalnum()
)
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\x85\u2028\u2029"),
    max_size=60,
)
_multiline = st.lists(_text, max_size=3).map("\n".join)
_money = st.floats(min_value=0, max_value=1e4, allow_nan=False, allow_infinity=False)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    ids = draw(st.lists(_ids, min_size=1, max_size=8, unique=True))
    steps = []
    for i, sid in enumerate(ids):
        deps = draw(st.lists(st.sampled_from(ids[:i]), unique=True)) if i else []
        steps.append(
            Step(
                id=sid,
                title=draw(st.none() | _text),
                role=draw(st.none() | st.sampled_from(["explore", "design", "review", "synthesize"])),
                tier=draw(st.none() | st.sampled_from(["haiku", "sonnet", "opus"])),
                depends_on=tuple(deps),
                prompt=draw(st.none() | _multiline),
                max_rounds=draw(st.none() | st.integers(1, 10)),
                until=draw(st.none() | _text),
                timeout_s=draw(st.none() | st.floats(0.5, 3600)),
                max_tokens=draw(st.none() | st.integers(1, 100_000)),
            )
        )
    estimate = draw(
        st.none()
        | st.builds(
            Estimate,
            tokens=st.integers(0, 10**7),
            cost_usd=_money,
            critical_path_s=_money,
            sequential_s=_money,
            speedup=_money,
            per_step=st.just(
                tuple(StepEstimate(id=s.id, tier=s.tier or "haiku", tokens=1, cost_usd=0.5, seconds=2.0) for s in steps)
            ),
        )
    )
    return Plan(
        steps=tuple(steps),
        task=draw(st.none() | _multiline),
        pattern=draw(st.none() | st.sampled_from(PATTERNS)),
        rationale=tuple(draw(st.lists(_text, max_size=3))),
        alternatives=tuple(
            draw(st.lists(st.builds(Alternative, st.sampled_from(PATTERNS), st.floats(0, 1)), max_size=3))
        ),
        estimate=estimate,
    )


@given(plans())
def test_any_valid_plan_survives_yaml_round_trip(plan: Plan) -> None:
    assert load_plan(dump_yaml(plan)) == plan


@given(plans())
def test_any_valid_plan_survives_json_round_trip_and_matches_schema(plan: Plan) -> None:
    text = dump_json(plan)
    assert load_plan(text) == plan
    jsonschema.validate(json.loads(text), schema())


def test_dump_is_deterministic_and_ordered() -> None:
    plan = load_plan(GOOD)
    assert dump_yaml(plan) == dump_yaml(load_plan(dump_yaml(plan)))
    assert list(plan_to_dict(plan)) == ["version", "task", "pattern", "steps", "x-team"]
    assert plan_to_dict(plan)["steps"][0]["depends_on"] == []


def test_schema_rejects_what_the_loader_rejects() -> None:
    bad = {"version": 1, "steps": [{"id": "a", "colour": "red"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema())
    jsonschema.Draft202012Validator.check_schema(schema())


@pytest.mark.parametrize("text", ["0e0", "1E5", "-2.5e-3", ".5e1"])
def test_strings_that_read_as_exponent_floats_are_quoted_in_yaml(text: str) -> None:
    # The loader reads JSON-style exponents as numbers, so the dumper must quote them.
    plan = load_plan(dump_yaml({"version": 1, "steps": [{"id": "a", "title": text}]}))
    assert plan.steps[0].title == text
