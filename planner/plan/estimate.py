"""The one cost and latency model of a plan, from the assumptions in ``rules/estimate.toml``.

``suggest`` writes it into the plans it builds, and the runner uses it for
every step a plan carries no figures for (the dry run, the confirmation
before a paid run, ``runs show``), so the two can never disagree.

Per step: tokens by role kind plus the outputs of its dependencies (which it
reads), repeated for the expected rounds of a repeating step (``max_rounds``
or ``until``); output per
round never above the step's ``max_tokens``; cost from the tier's prices;
seconds from overhead plus reading and writing speed scaled by the tier's
relative speed. The plan's latency is its critical path (the slowest chain of
dependencies); running every step one after another gives the sequential
time, and their ratio is the speedup parallelism buys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache
from typing import NamedTuple

from planner.config import Config, Tier
from planner.plan.graphcheck import topological_order
from planner.plan.model import Estimate, Step, StepEstimate, frozen_mapping
from planner.resources import data_file

CHEAPEST_KEY = "x-cheapest-tier-cost-usd"
CHEAPEST_TIER_KEY = "x-cheapest-tier"
ROLE_KINDS = ("gather", "make", "judge", "combine")


class EstimateModel(NamedTuple):
    """The numbers in ``rules/estimate.toml``."""

    tokens: Mapping[str, tuple[int, int]]  # role kind -> (input, output)
    dependency_output_factor: float
    chars_per_token: float
    task_tokens_cap: int
    output_tokens_per_s: float
    input_tokens_per_s: float
    overhead_s: float
    expected_rounds: int
    tokens_to: int
    cost_decimals: int
    seconds_decimals: int


@cache
def load_estimate_model() -> EstimateModel:
    """The assumptions in ``rules/estimate.toml`` (read once; any problem is a RuleFileError)."""
    from planner.rulefile import expect_type, read_rule_file

    rt = read_rule_file(data_file("rules", "estimate.toml"))
    d = rt.data

    def num(section: str, key: str, *, integer: bool = False, minimum: float = 0.0) -> float:
        table = d.get(section)
        if not isinstance(table, dict) or key not in table:
            raise rt.error(f"missing key '{section}.{key}'", section)
        value = table[key]
        types: tuple[type, ...] = (int,) if integer else (int, float)
        noun = "an integer" if integer else "a number"
        expect_type(
            rt, value, types, header=section, index=0, key=key, what=f"[{section}]", noun=noun
        )
        if value < minimum:
            raise rt.error(
                f"[{section}]: key '{key}' must be at least {minimum:g}", section, key=key
            )
        return float(value)

    tokens: dict[str, tuple[int, int]] = {}
    for kind in ROLE_KINDS:
        section = f"tokens.{kind}"
        table = d.get("tokens", {}).get(kind) if isinstance(d.get("tokens"), dict) else None
        if not isinstance(table, dict):
            raise rt.error(f"missing table [{section}]", None)
        for key in ("input", "output"):
            value = table.get(key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise rt.error(
                    f"[{section}]: key '{key}' must be a non-negative integer", section, key=key
                )
        tokens[kind] = (int(table["input"]), int(table["output"]))
    return EstimateModel(
        tokens=tokens,
        dependency_output_factor=num("context", "dependency_output_factor"),
        chars_per_token=num("context", "chars_per_token", minimum=1),
        task_tokens_cap=int(num("context", "task_tokens_cap", integer=True)),
        output_tokens_per_s=num("latency", "output_tokens_per_s", minimum=1),
        input_tokens_per_s=num("latency", "input_tokens_per_s", minimum=1),
        overhead_s=num("latency", "overhead_s"),
        expected_rounds=int(num("rounds", "expected", integer=True, minimum=1)),
        tokens_to=int(num("rounding", "tokens_to", integer=True, minimum=1)),
        cost_decimals=int(num("rounding", "cost_decimals", integer=True)),
        seconds_decimals=int(num("rounding", "seconds_decimals", integer=True)),
    )


def price(tier: Tier, input_tokens: float, output_tokens: float) -> float:
    """USD for this many tokens at the tier's list prices."""
    return (input_tokens * tier.input_per_mtok + output_tokens * tier.output_per_mtok) / 1_000_000


def step_tier(step: Step, config: Config) -> str:
    """The step's tier: its own, else its role's default, else the middle tier."""
    if step.tier and step.tier in config.tiers:
        return step.tier
    if step.role and step.role in config.roles and config.roles[step.role].tier in config.tiers:
        return config.roles[step.role].tier
    ranked = sorted(config.tiers.values(), key=lambda t: (t.rank, t.name))
    return ranked[len(ranked) // 2].name


def _kind(step: Step, config: Config) -> str:
    role = config.roles.get(step.role or "")
    return role.kind if role is not None else "make"


def _round_tokens(n: float, to: int) -> int:
    return int(round(n / to) * to) if n > 0 else 0


def estimate_plan(
    steps: Sequence[Step], task: str, config: Config, model: EstimateModel | None = None
) -> Estimate:
    """Tokens, cost and latency of ``steps``, each on :func:`step_tier`'s tier."""
    model = model or load_estimate_model()
    tiered = [s if s.tier in config.tiers else replace(s, tier=step_tier(s, config)) for s in steps]
    by_id = {s.id: s for s in tiered}
    order = [
        by_id[i]
        for i in topological_order([s.id for s in tiered], {s.id: s.depends_on for s in tiered})
    ]
    task_tokens = min(len(task) / model.chars_per_token, model.task_tokens_cap)
    out_tokens: dict[str, float] = {}
    # in, out, cost, cost on the cheapest tier, seconds
    rows: dict[str, tuple[float, float, float, float, float]] = {}
    cheapest = config.tiers[config.cheapest_tier]
    for step in order:
        base_in, base_out = model.tokens.get(_kind(step, config), model.tokens["make"])
        if step.max_tokens is not None:
            # A reply never runs past its bound (the runner passes it to every call).
            base_out = min(base_out, step.max_tokens)
        reads = (
            sum(out_tokens[d] for d in step.depends_on if d in out_tokens)
            * model.dependency_output_factor
        )
        if step.max_rounds:
            rounds = min(model.expected_rounds, step.max_rounds)
        else:
            # A stop condition without a bound repeats too (up to until_max_rounds).
            rounds = model.expected_rounds if step.until else 1
        tin = (base_in + reads + task_tokens) * rounds
        tout = float(base_out * rounds)
        out_tokens[step.id] = float(base_out)
        tier = config.tiers[step.tier or config.cheapest_tier]
        speed = tier.speed if tier.speed > 0 else 1.0
        seconds = (
            rounds * model.overhead_s
            + (tin / model.input_tokens_per_s + tout / model.output_tokens_per_s) / speed
        )
        rows[step.id] = (tin, tout, price(tier, tin, tout), price(cheapest, tin, tout), seconds)
    finish: dict[str, float] = {}
    for step in order:
        start = max((finish[d] for d in step.depends_on if d in finish), default=0.0)
        finish[step.id] = start + rows[step.id][4]
    critical = max(finish.values(), default=0.0)
    sequential = sum(r[4] for r in rows.values())
    sd, cd = model.seconds_decimals, model.cost_decimals
    per_step = tuple(
        StepEstimate(
            id=s.id,
            tier=s.tier or config.cheapest_tier,
            tokens=_round_tokens(rows[s.id][0] + rows[s.id][1], model.tokens_to),
            cost_usd=round(rows[s.id][2], cd),
            seconds=round(rows[s.id][4], sd),
        )
        for s in tiered
    )
    return Estimate(
        tokens=sum(p.tokens for p in per_step),
        cost_usd=round(sum(r[2] for r in rows.values()), cd),
        critical_path_s=round(critical, sd),
        sequential_s=round(sequential, sd),
        speedup=round(sequential / critical, 2) if critical > 0 else 1.0,
        per_step=per_step,
        extensions=frozen_mapping(
            {
                CHEAPEST_TIER_KEY: cheapest.name,
                CHEAPEST_KEY: round(sum(r[3] for r in rows.values()), cd),
            }
        ),
    )


__all__ = [
    "CHEAPEST_KEY",
    "CHEAPEST_TIER_KEY",
    "EstimateModel",
    "estimate_plan",
    "load_estimate_model",
    "price",
    "step_tier",
]
