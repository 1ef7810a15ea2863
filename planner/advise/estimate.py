"""Cost and latency estimate of a plan, from the assumptions in ``rules/estimate.toml``.

Per step: tokens by role kind plus the outputs of its dependencies (which it
reads), repeated for the expected rounds of a repeating step; cost from the
tier's prices; seconds from overhead plus reading and writing speed scaled by
the tier's relative speed. The plan's latency is its critical path (the
slowest chain of dependencies); running every step one after another gives the
sequential time, and their ratio is the speedup parallelism buys.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.advise.rules import EstimateModel
from planner.config import Config
from planner.plan.graphcheck import topological_order
from planner.plan.model import Estimate, Step, StepEstimate, frozen_mapping

CHEAPEST_KEY = "x-cheapest-tier-cost-usd"
CHEAPEST_TIER_KEY = "x-cheapest-tier"


def _kind(step: Step, config: Config) -> str:
    role = config.roles.get(step.role or "")
    return role.kind if role is not None else "make"


def _round_tokens(n: float, to: int) -> int:
    return int(round(n / to) * to) if n > 0 else 0


def estimate_plan(steps: Sequence[Step], task: str, model: EstimateModel, config: Config) -> Estimate:
    """Tokens, cost and latency of ``steps`` (already tiered)."""
    by_id = {s.id: s for s in steps}
    order = [by_id[i] for i in topological_order([s.id for s in steps], {s.id: s.depends_on for s in steps})]
    task_tokens = min(len(task) / model.chars_per_token, model.task_tokens_cap)
    out_tokens: dict[str, float] = {}
    rows: dict[str, tuple[float, float, float, float, float]] = {}  # in, out, cost, cheap cost, seconds
    cheapest = config.tiers[config.cheapest_tier]
    for step in order:
        base_in, base_out = model.tokens.get(_kind(step, config), model.tokens["make"])
        reads = sum(out_tokens[d] for d in step.depends_on if d in out_tokens) * model.dependency_output_factor
        rounds = min(model.expected_rounds, step.max_rounds) if step.max_rounds else 1
        tin = (base_in + reads + task_tokens) * rounds
        tout = float(base_out * rounds)
        out_tokens[step.id] = float(base_out)
        tier = config.tiers.get(step.tier or "") or config.tiers[config.cheapest_tier]
        cost = (tin * tier.input_per_mtok + tout * tier.output_per_mtok) / 1e6
        cheap = (tin * cheapest.input_per_mtok + tout * cheapest.output_per_mtok) / 1e6
        speed = tier.speed if tier.speed > 0 else 1.0
        seconds = rounds * model.overhead_s + (tin / model.input_tokens_per_s + tout / model.output_tokens_per_s) / speed
        rows[step.id] = (tin, tout, cost, cheap, seconds)
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
        for s in steps
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
