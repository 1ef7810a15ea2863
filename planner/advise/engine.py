"""Score every pattern from the selection rules and pick one."""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from planner.advise.features import Features
from planner.advise.rules import RuleSet, SelectionRule
from planner.plan.model import PATTERNS


class FiredRule(NamedTuple):
    id: str
    pattern: str
    weight: float
    reason: str
    source: str
    where: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "pattern": self.pattern,
            "weight": self.weight,
            "reason": self.reason,
            "source": self.source,
            "where": self.where,
        }


class Scores(NamedTuple):
    """Raw rule sums and 0..1 confidences for every pattern, best first."""

    raw: tuple[tuple[str, float], ...]
    confidence: tuple[tuple[str, float], ...]

    def of(self, pattern: str) -> float:
        return dict(self.confidence)[pattern]


def fired_rules(rules: tuple[SelectionRule, ...], features: Features) -> tuple[FiredRule, ...]:
    env = dict(features.values)
    out = []
    for r in rules:
        if r.weight != 0 and r.when.holds(env):
            where = f"{r.path}:{r.line}" if r.line else r.path
            out.append(FiredRule(r.id, r.pattern, r.weight, r.reason, r.source, where))
    return tuple(out)


def score(fired: tuple[FiredRule, ...], ruleset: RuleSet, order: tuple[str, ...] = PATTERNS) -> Scores:
    """Sum weights per pattern; softmax them into confidences.

    Ties keep ``order`` (the catalog order), so the result is deterministic.
    """
    raw = dict.fromkeys(order, 0.0)
    for f in fired:
        raw[f.pattern] = raw.get(f.pattern, 0.0) + f.weight
    t = ruleset.scoring.temperature
    top = max(raw.values())
    exp = {p: math.exp((v - top) / t) for p, v in raw.items()}
    total = sum(exp.values())
    conf = {p: round(e / total, 2) for p, e in exp.items()}
    rank = {p: i for i, p in enumerate(order)}
    ordered = sorted(raw, key=lambda p: (-raw[p], rank.get(p, len(rank))))
    return Scores(
        raw=tuple((p, round(raw[p], 3)) for p in ordered),
        confidence=tuple((p, conf[p]) for p in ordered),
    )


def choose(scores: Scores) -> str:
    """The best pattern; with no rule firing at all the task is small enough for one agent."""
    best, best_raw = scores.raw[0]
    if best_raw <= 0 and all(v == best_raw for _, v in scores.raw):
        return "direct"
    return best
