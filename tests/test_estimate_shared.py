"""One cost model: suggest's estimate and the runner's figures and reservations share their numbers."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

import planner
from planner.config import default_config
from planner.plan import Plan, Step
from planner.plan.estimate import estimate_plan, load_estimate_model, price
from planner.resources import data_file
from planner.runner import run
from planner.runner.estimate import ceiling_usd, estimate_steps
from planner.runner.journal import Journal
from tests.run_helpers import Recorder

TASKS = [
    "Find the config loader, then fix the bug and add a test",
    "Compare three caching strategies and recommend one",
    "Research the five largest competitors, summarise each, then write a market overview",
    "Draft a design doc, review it, and revise it until the reviewer approves",
]


@pytest.mark.parametrize("task", TASKS)
def test_runner_figures_equal_suggests_per_step_estimate(task: str) -> None:
    suggested = planner.suggest(task).plan
    assert suggested.estimate is not None
    bare = replace(suggested, estimate=None)  # the runner must derive every figure itself
    costs = estimate_steps(bare, default_config())
    for shown in suggested.estimate.per_step:
        cost = costs[shown.id]
        assert cost.source == "model"
        assert (cost.tier, cost.tokens, cost.cost_usd, cost.seconds) == (
            shown.tier,
            shown.tokens,
            shown.cost_usd,
            shown.seconds,
        )


def test_the_numbers_are_the_ones_in_rules_estimate_toml() -> None:
    data = tomllib.loads(data_file("rules", "estimate.toml").read_text(encoding="utf-8"))
    config = default_config()
    kinds = {role.kind: name for name, role in config.roles.items()}
    for kind, tokens in data["tokens"].items():
        step = Step(id="only", role=kinds[kind], tier="haiku")
        (cost,) = estimate_steps(Plan(steps=(step,)), config).values()
        expected = price(config.tiers["haiku"], tokens["input"], tokens["output"])
        assert cost.cost_usd == pytest.approx(expected, abs=1e-4), kind
        assert cost.tokens == round((tokens["input"] + tokens["output"]) / 100) * 100


def test_a_changed_assumption_moves_suggest_and_the_runner_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = load_estimate_model()
    doubled = model._replace(tokens={k: (i * 2, o * 2) for k, (i, o) in model.tokens.items()})
    monkeypatch.setattr("planner.plan.estimate.load_estimate_model", lambda: doubled)
    suggested = planner.suggest(TASKS[0]).plan
    assert suggested.estimate is not None
    costs = estimate_steps(replace(suggested, estimate=None), default_config())
    original = estimate_plan(suggested.steps, suggested.task or "", default_config(), model)
    for shown, before in zip(suggested.estimate.per_step, original.per_step, strict=True):
        assert costs[shown.id].cost_usd == shown.cost_usd > before.cost_usd


def test_reservations_use_the_tiers_and_prices_of_the_estimate(tmp_path: Path) -> None:
    suggested = planner.suggest(TASKS[2]).plan
    assert suggested.estimate is not None
    config = default_config()
    recorder = Recorder()
    result = run(replace(suggested, estimate=None), recorder, state_dir=tmp_path, max_cost=100.0)
    assert result.status == "done"
    journal = Journal(tmp_path / "journal.sqlite")
    reserved = {(a["step_id"], a["round"]): a["reserved"] for a in journal.attempts(result.run_id)}
    journal.close()
    tiers = {e.id: e.tier for e in suggested.estimate.per_step}
    for request in recorder.calls:
        assert request.tier == tiers[request.step_id]
        expected = ceiling_usd(config.tiers[request.tier], request.prompt, request.max_tokens)
        assert reserved[(request.step_id, request.round)] == pytest.approx(expected)
        # The same price table: the reservation is the estimate's price of the call's bounds.
        tokens_in = len(request.prompt.encode("utf-8")) + 32
        assert expected == pytest.approx(
            price(config.tiers[request.tier], tokens_in, request.max_tokens)
        )


def test_a_steps_max_tokens_bounds_its_estimated_output() -> None:
    config = default_config()
    free = Step(
        id="w", role="implementer" if "implementer" in config.roles else None, tier="sonnet"
    )
    bounded = replace(free, max_tokens=100)
    loose = estimate_steps(Plan(steps=(free,)), config)["w"]
    tight = estimate_steps(Plan(steps=(bounded,)), config)["w"]
    assert tight.cost_usd < loose.cost_usd and tight.seconds < loose.seconds
