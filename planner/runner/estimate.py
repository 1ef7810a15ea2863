"""Cost figures the runner needs before it calls anything.

Two numbers per step:

* the *estimate* (what the step will probably cost), used by the dry run, the
  confirmation prompt and ``runs show``. It is the plan's own
  ``estimate.per_step`` when the plan carries one, else the plan layer's
  model (:mod:`planner.plan.estimate`, the same numbers ``suggest`` prints);
* the *ceiling* (what one call can cost at most), used to reserve budget under
  ``--max-cost``. Input tokens cannot exceed the prompt's UTF-8 byte count (every
  token covers at least one byte) and output tokens cannot exceed
  ``max_tokens``, so reserving the ceiling means actual spend never passes the cap.
  It is priced with the same tier prices and :func:`price` as the estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.config import Config, Tier
from planner.plan.estimate import estimate_plan, price, step_tier
from planner.plan.model import Plan

# Framing the API adds around a message (role markers, stop sequences).
_ENVELOPE_TOKENS = 32


@dataclass(frozen=True)
class StepCost:
    id: str
    tier: str
    model: str
    tokens: int
    cost_usd: float
    seconds: float
    # Where the figures came from: "plan" (its own estimate) or "model" (rules/estimate.toml).
    source: str = "model"


def ceiling_usd(tier: Tier, prompt: str, max_tokens: int) -> float:
    """The most one call with this prompt and output bound can cost."""
    return price(tier, len(prompt.encode("utf-8", "surrogatepass")) + _ENVELOPE_TOKENS, max_tokens)


def estimate_steps(plan: Plan, config: Config) -> dict[str, StepCost]:
    """Per-step estimate: the plan's own figures when present, else the plan layer's model."""
    given = {s.id: s for s in plan.estimate.per_step} if plan.estimate else {}
    derived = {}
    if any(s.id not in given for s in plan.steps):
        derived = {e.id: e for e in estimate_plan(plan.steps, plan.task or "", config).per_step}
    out: dict[str, StepCost] = {}
    for step in plan.steps:
        tier_name = step_tier(step, config)
        found = given.get(step.id) or derived[step.id]
        out[step.id] = StepCost(
            step.id,
            tier_name,
            config.tiers[tier_name].model,
            found.tokens,
            found.cost_usd,
            found.seconds,
            "plan" if step.id in given else "model",
        )
    return out


def waves(plan: Plan) -> list[list[str]]:
    """Steps grouped by depth: every step of a wave can run at the same time."""
    from planner.plan.graphcheck import topological_order

    deps_of = {s.id: s.depends_on for s in plan.steps}
    depth: dict[str, int] = {}
    for sid in topological_order(plan.ids, deps_of):
        deps = deps_of[sid]
        depth[sid] = 1 + max((depth[d] for d in deps), default=-1)
    grouped: dict[int, list[str]] = {}
    for sid in plan.ids:
        grouped.setdefault(depth[sid], []).append(sid)
    return [grouped[k] for k in sorted(grouped)]
