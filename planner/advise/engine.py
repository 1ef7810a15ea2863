"""Score every pattern from the selection rules and pick one."""

from __future__ import annotations

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
    constraint: bool = False

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
            out.append(FiredRule(r.id, r.pattern, r.weight, r.reason, r.source, where, r.constraint))
    return tuple(out)


def score(
    fired: tuple[FiredRule, ...],
    ruleset: RuleSet,
    order: tuple[str, ...] = PATTERNS,
    features: Features | None = None,
) -> Scores:
    """Every pattern's score: the learned pattern model's probability when it is installed
    (``raw`` is then its log-odds), else the rules' weights summed and softmaxed.

    A user's own rules (from rule files outside ``rules/``) add their weight to
    their pattern either way. Ties keep ``order`` (the catalog order), so the
    result is deterministic.
    """
    from planner.advise.learned import load_pattern_model, pattern_features, softmax

    model = load_pattern_model() if features is not None else None
    rank = {p: i for i, p in enumerate(order)}
    if model is not None and features is not None:
        logits = model.logits(pattern_features(features, fired))
        raw = {p: logits.get(p, -30.0) for p in order}
        for f in fired:
            if f.constraint or not f.where.startswith("rules/"):
                raw[f.pattern] = raw.get(f.pattern, 0.0) + f.weight
        probs = softmax(raw)
    else:
        raw = dict.fromkeys(order, 0.0)
        for f in fired:
            raw[f.pattern] = raw.get(f.pattern, 0.0) + f.weight
        t = ruleset.scoring.temperature
        probs = softmax({p: v / t for p, v in raw.items()})
    ordered = sorted(raw, key=lambda p: (-raw[p], rank.get(p, len(rank))))
    return Scores(
        raw=tuple((p, round(raw[p], 3)) for p in ordered),
        confidence=tuple((p, round(probs[p], 2)) for p in ordered),
    )


def choose(scores: Scores) -> str:
    """The best pattern; with no rule firing at all the task is small enough for one agent."""
    best, best_raw = scores.raw[0]
    if best_raw <= 0 and all(v == best_raw for _, v in scores.raw):
        return "direct"
    return best
