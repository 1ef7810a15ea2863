"""The advisor: task text -> features -> scored patterns -> a tiered, estimated plan.

>>> s = suggest("Compare three caching strategies and recommend one")
>>> s.plan.pattern
'competitive-evaluation'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from planner.advise.build import BuildContext, Draft, build_steps
from planner.advise.catalog import load_catalog, pattern_info
from planner.advise.engine import FiredRule, Scores, choose, fired_rules, score
from planner.advise.features import Features, compute_features, feature_meanings
from planner.advise.rules import RuleSet, load_rules
from planner.advise.tiers import StepContext, TierChoice, assign_tiers
from planner.config import Config, load_config
from planner.errors import InputError
from planner.plan.contracts import ForEach
from planner.plan.dump import plan_to_dict
from planner.plan.estimate import estimate_plan
from planner.plan.model import PATTERNS, Plan, Step

# What a step returns when a later step runs once per thing it found.
_LIST_OUTPUT = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "where": {"type": "string"}},
    },
}


def _each_parallel(rules: RuleSet) -> int | None:
    value = rules.builders.get("for_each", {}).get("max_parallel")
    return value if isinstance(value, int) and value > 0 else None


@dataclass(frozen=True)
class Decision:
    """Why the plan looks the way it does (what ``--explain`` prints)."""

    pattern: str
    forced: bool
    features: Features
    fired: tuple[FiredRule, ...]
    scores: Scores
    tiers: tuple[tuple[str, TierChoice], ...]
    notes: tuple[str, ...]
    config_path: Path | None
    rule_files: tuple[str, ...]
    analysed_chars: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "pattern": self.pattern,
            "forced": self.forced,
            "features": self.features.to_dict(),
            "fired_rules": [f.to_dict() for f in self.fired],
            "scores": {p: {"raw": r, "confidence": self.scores.of(p)} for p, r in self.scores.raw},
            "tier_rules": {sid: list(c.rules) for sid, c in self.tiers if c.rules},
            "notes": list(self.notes),
            "config": str(self.config_path) if self.config_path else None,
            "rule_files": list(self.rule_files),
            "analysed_chars": self.analysed_chars,
        }


@dataclass(frozen=True)
class Suggestion:
    """A suggested plan and the decision behind it."""

    plan: Plan
    decision: Decision

    def to_dict(self) -> dict[str, Any]:
        """Exactly the JSON ``planner suggest --format json`` prints."""
        return plan_to_dict(self.plan)


def _contexts(drafts: list[Draft]) -> list[StepContext]:
    g = nx.DiGraph()
    g.add_nodes_from(d.id for d in drafts)
    g.add_edges_from((dep, d.id) for d in drafts for dep in d.depends_on)
    roles = {d.id: d.role for d in drafts}
    out = []
    for d in drafts:
        below = nx.descendants(g, d.id)
        related = below | nx.ancestors(g, d.id) | {d.id}
        out.append(
            StepContext(
                id=d.id,
                role=d.role,
                parallel=len(related) < len(drafts),
                # A revision loop is checked by the review it answers, round by round.
                reviewed=any(roles[x] in ("review", "critique", "compare") for x in below)
                or (d.max_rounds is not None and any(roles[x] in ("review", "critique") for x in d.depends_on)),
            )
        )
    return out


def _rationale(pattern: str, forced: bool, fired: tuple[FiredRule, ...], notes: list[str], tiers_text: list[str]) -> tuple[str, ...]:
    info = pattern_info(pattern)
    lines = []
    if forced:
        lines.append(f"{info.name} was requested explicitly (--pattern); the plan still follows the text.")
    # The three strongest reasons; --explain lists every rule that fired.
    for f in sorted((f for f in fired if f.pattern == pattern and f.weight > 0), key=lambda f: -f.weight)[:3]:
        lines.append(f.reason)
    if not lines:
        lines.append(info.use_when)
    lines.append(f"Pattern: {info.why}")
    lines.extend(notes)
    lines.extend(tiers_text)
    return tuple(dict.fromkeys(lines))


def suggest(
    task: str,
    *,
    pattern: str | None = None,
    max_agents: int | None = None,
    config: Config | None = None,
) -> Suggestion:
    """Recommend a pattern, agents, tiers and an estimate for ``task``.

    ``pattern`` forces a pattern slug (tiers, plan and estimate still follow
    the text); ``max_agents`` caps the number of steps.
    """
    from planner.config import Config
    from planner.errors import check_arg
    from planner.parser import parse

    check_arg("suggest", "task", task, str, "a str")
    if pattern is not None:
        check_arg("suggest", "pattern", pattern, str, "a pattern slug (str) or None")
    if max_agents is not None:
        check_arg("suggest", "max_agents", max_agents, int, "an int or None")
    if config is not None:
        check_arg("suggest", "config", config, Config, "a planner.config.Config or None")
    if not task.strip():
        raise InputError("task is empty")
    if pattern is not None and pattern not in PATTERNS:
        raise InputError(f"unknown pattern '{pattern}' (choose from: {', '.join(PATTERNS)})")
    if max_agents is not None and max_agents < 1:
        raise InputError("max_agents must be at least 1")
    cfg = config if config is not None else load_config()
    rules: RuleSet = load_rules(tuple(cfg.rule_files))
    # The parser reads the text once, under its own size cap (rules/parse.toml);
    # everything below reads the TaskGraph.
    tg = parse(task, cues=rules.cues, role_verbs={name: role.verbs for name, role in cfg.roles.items() if role.verbs})
    features = compute_features(tg, cfg)
    fired = fired_rules(rules.selection, features)
    order = tuple(p.slug for p in load_catalog())
    scores = score(fired, rules, order, features)
    chosen = pattern or choose(scores)
    ctx = BuildContext(
        task=task, tg=tg, features=features, config=cfg, rules=rules, limit=max_agents, forced=pattern is not None
    )
    ctx.notes.extend(tg.notes)
    if features.flag("up") and features.flag("down"):
        ctx.notes.append(
            "The text both stresses stakes or difficulty and asks for quick or cheap work; "
            "the two cancel out, so every step keeps its role's default tier."
        )
    built, drafts, prompts = build_steps(chosen, ctx)
    tier_env = dict(features.values)
    tiers = assign_tiers(_contexts(drafts), built, rules.tier_rules, tier_env, cfg)
    steps = tuple(
        Step(
            id=d.id,
            title=d.title,
            role=d.role,
            tier=tiers[d.id].tier,
            depends_on=d.depends_on,
            prompt=prompts[d.id],
            max_rounds=d.max_rounds,
            until=d.until,
            output=_LIST_OUTPUT if d.gives_list else None,
            for_each=ForEach(d.each_of, _each_parallel(rules)) if d.each_of else None,
        )
        for d in drafts
    )
    tier_rule_by_id = {r.id: r for r in rules.tier_rules}
    tier_notes = []
    for rid in dict.fromkeys(r for c in tiers.values() for r in c.rules):
        moved = [sid for sid, c in tiers.items() if rid in c.rules]
        tier_notes.append(f"Tiers: {tier_rule_by_id[rid].reason} ({', '.join(moved)})")
    estimate = estimate_plan(steps, task, cfg)
    from planner.advise.confidence import alternatives as ranked_alternatives

    # Runner-ups with evidence (rules fired for them) come first, strongest
    # first; a pattern no rule pointed to follows only on a score of its own.
    alternatives = ranked_alternatives(
        scores, fired, built, rules.scoring.max_alternatives, rules.scoring.min_alternative
    )
    plan = Plan(
        steps=steps,
        task=task,
        pattern=built,
        confidence=scores.of(built),
        rationale=_rationale(built, pattern is not None, fired, ctx.notes, tier_notes),
        alternatives=alternatives,
        estimate=estimate,
    )
    decision = Decision(
        pattern=built,
        forced=pattern is not None,
        features=features,
        fired=fired,
        scores=scores,
        tiers=tuple(tiers.items()),
        notes=tuple(ctx.notes),
        config_path=cfg.path,
        rule_files=rules.files,
        analysed_chars=tg.facts.chars,
    )
    return Suggestion(plan=plan, decision=decision)


__all__ = ["Decision", "Suggestion", "feature_meanings", "suggest"]
