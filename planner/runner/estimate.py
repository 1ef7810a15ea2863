"""Cost figures the runner needs before it calls anything.

Two numbers per step:

* the *estimate* (what the step will probably cost), used by the dry run, the
  confirmation prompt and ``runs show``. It comes from the plan's own
  ``estimate.per_step`` when the advisor wrote one, else from the advisor's
  estimator and its assumptions in ``rules/estimate.toml`` (imported only
  then), else from a small per-role-kind fallback below;
* the *ceiling* (what one call can cost at most), used to reserve budget under
  ``--max-cost``. Input tokens cannot exceed the prompt's UTF-8 byte count (every
  token covers at least one byte) and output tokens cannot exceed
  ``max_tokens``, so reserving the ceiling means actual spend never passes the cap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from planner.config import Config, Tier
from planner.errors import PlannerError
from planner.plan.model import Plan, Step, StepEstimate

# Last-resort token assumptions per role kind, used only when the advisor's
# estimator cannot be loaded:
# (input tokens, output tokens). Rough orders of magnitude from typical agent
# turns: gatherers read a lot and report briefly, makers write the most,
# judges and combiners read several inputs and answer at medium length.
# Only used for the dry-run figures and the confirmation prompt, never for
# budget reservation (that uses the ceiling above).
_KIND_TOKENS: Mapping[str, tuple[int, int]] = {
    "gather": (6000, 1500),
    "make": (4000, 3000),
    "judge": (8000, 1500),
    "combine": (8000, 2000),
}
_DEFAULT_TOKENS = (4000, 2000)
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
    # Where the figures came from: "plan", "advisor" (rules/estimate.toml) or "fallback".
    source: str = "fallback"


def step_tier(step: Step, config: Config) -> str:
    """The step's tier: its own, else its role's default, else the middle tier."""
    if step.tier and step.tier in config.tiers:
        return step.tier
    if step.role and step.role in config.roles and config.roles[step.role].tier in config.tiers:
        return config.roles[step.role].tier
    ranked = sorted(config.tiers.values(), key=lambda t: (t.rank, t.name))
    return ranked[len(ranked) // 2].name


def price(tier: Tier, input_tokens: int, output_tokens: int) -> float:
    return (input_tokens * tier.input_per_mtok + output_tokens * tier.output_per_mtok) / 1_000_000


def ceiling_usd(tier: Tier, prompt: str, max_tokens: int) -> float:
    """The most one call with this prompt and output bound can cost."""
    return price(tier, len(prompt.encode("utf-8", "surrogatepass")) + _ENVELOPE_TOKENS, max_tokens)


def estimate_steps(plan: Plan, config: Config) -> dict[str, StepCost]:
    """Per-step estimate: the plan's own figures when present, else the fallback."""
    given = {s.id: s for s in plan.estimate.per_step} if plan.estimate else {}
    derived: dict[str, StepEstimate] = {}
    if any(s.id not in given for s in plan.steps):
        derived = _advisor_estimate(plan, config) or {}
    out: dict[str, StepCost] = {}
    for step in plan.steps:
        tier_name = step_tier(step, config)
        tier = config.tiers[tier_name]
        rounds = step.max_rounds or 1
        found = given.get(step.id) or derived.get(step.id)
        if found is not None:
            source = "plan" if step.id in given else "advisor"
            out[step.id] = StepCost(
                step.id, tier_name, tier.model, found.tokens, found.cost_usd, found.seconds, source
            )
            continue
        role = config.roles.get(step.role or "")
        kind = role.kind if role else ""
        tin, tout = _KIND_TOKENS.get(kind, _DEFAULT_TOKENS)
        if step.max_tokens is not None:
            tout = min(tout, step.max_tokens)
        # Output speed ~ 50 tokens/s at speed 1.0; only scales the what-if timing.
        seconds = rounds * (2.0 + tout / (50.0 * max(tier.speed, 0.01)))
        out[step.id] = StepCost(
            step.id,
            tier_name,
            tier.model,
            rounds * (tin + tout),
            rounds * price(tier, tin, tout),
            seconds,
        )
    return out


def _advisor_estimate(plan: Plan, config: Config) -> dict[str, StepEstimate] | None:
    """Per-step figures from the advisor's estimator, or None when it cannot load."""
    try:
        from planner.advise.estimate import estimate_plan
        from planner.advise.rules import load_rules

        model = load_rules(tuple(config.rule_files)).estimate
        tiered = [replace(s, tier=step_tier(s, config)) for s in plan.steps]
        estimate = estimate_plan(tiered, plan.task or "", model, config)
    except (ImportError, AttributeError, TypeError, KeyError, PlannerError):
        # The runner must not depend on the advisor's rule files being sound.
        return None
    return {e.id: e for e in estimate.per_step}


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
