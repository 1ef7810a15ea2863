"""Model tiers per step: the role's default tier, then the tier rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from planner.advise.conditions import Value
from planner.advise.rules import TierRule
from planner.config import Config


class StepContext(NamedTuple):
    """What a tier rule can see about one step."""

    id: str
    role: str
    parallel: bool
    reviewed: bool


class TierChoice(NamedTuple):
    tier: str
    rules: tuple[str, ...]  # ids of the tier rules that changed it


def _ranked(config: Config) -> list[str]:
    return [t.name for t in sorted(config.tiers.values(), key=lambda t: (t.rank, t.name))]


def assign_tiers(
    steps: Sequence[StepContext],
    pattern: str,
    rules: Sequence[TierRule],
    task_env: Mapping[str, Value],
    config: Config,
) -> dict[str, TierChoice]:
    """Tier of each step id, with the rules that moved it off its role's default."""
    ladder = _ranked(config)
    out: dict[str, TierChoice] = {}
    for step in steps:
        role = config.roles.get(step.role)
        tier = role.tier if role is not None and role.tier in config.tiers else ladder[len(ladder) // 2]
        kind = role.kind if role is not None else "make"
        applied: list[str] = []
        for rule in rules:
            env: dict[str, Value] = {
                **task_env,
                "role": step.role,
                "kind": kind,
                "pattern": pattern,
                "reviewed": step.reviewed,
                "parallel": step.parallel,
                "rank": ladder.index(tier) + 1,
            }
            if not rule.when.holds(env):
                continue
            if rule.tier is not None:
                new = {"@strongest": ladder[-1], "@cheapest": ladder[0]}.get(rule.tier, rule.tier)
                if new not in config.tiers:
                    continue  # a rule naming a tier this configuration lacks has no effect
            else:
                index = min(max(ladder.index(tier) + rule.shift, 0), len(ladder) - 1)
                if rule.min_rank is not None:
                    index = max(index, min(rule.min_rank, len(ladder)) - 1)
                new = ladder[index]
            if new != tier:
                tier = new
                applied.append(rule.id)
        out[step.id] = TierChoice(tier, tuple(applied))
    return out
