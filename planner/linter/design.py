"""Design checks: orchestration anti-patterns in a structurally sound plan.

Each check reads the well-formed steps from the structural pass, the
configuration (tiers with their rank, roles with their kind, thresholds) and
the lint thresholds from ``rules/lint.toml``. Checks of one step at a time
always run; checks of the graph's shape run only when it is acyclic and every
dependency resolves, so they never guess around a structural error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from planner.config import Config
from planner.linter.finding import Edit, Fix
from planner.linter.rules import Thresholds, thresholds, verbs
from planner.linter.structure import Raw, StepView
from planner.plan.graphcheck import topological_order


class _Graph:
    def __init__(
        self,
        steps: list[StepView],
        by_id: dict[str, StepView],
        dependents: dict[str, list[str]],
        config: Config,
        limits: Thresholds,
    ) -> None:
        self.steps = steps
        self.by_id = by_id
        self.dependents = dependents
        self.config = config
        self.limits = limits

    def kind(self, step: StepView) -> str | None:
        role = self.config.roles.get(step.role) if step.role else None
        return role.kind if role else None

    def tier(self, step: StepView) -> str | None:
        if step.tier:
            return step.tier
        role = self.config.roles.get(step.role) if step.role else None
        return role.tier if role else None

    def tier_pos(self, step: StepView) -> tuple[int, int]:
        return step.values.get("tier", (step.line, step.column))


Check = Callable[[_Graph], Iterator[Raw]]


def run_design_checks(steps: list[StepView], config: Config, *, graph_ok: bool = True) -> list[Raw]:
    """Run the per-step checks always and the graph checks when the graph is sound."""
    dependents: dict[str, list[str]] = {s.id: [] for s in steps}
    for s in steps:
        for d in s.depends_on:
            if d in dependents:
                dependents[d].append(s.id)
    graph = _Graph(steps, {s.id: s for s in steps}, dependents, config, thresholds())
    raws: list[Raw] = []
    for check in STEP_CHECKS + (GRAPH_CHECKS if graph_ok else ()):
        raws.extend(check(graph))
    return raws


def _quoted(ids: list[str]) -> str:
    return ", ".join(f"'{i}'" for i in ids)


# -- PL101 sequential-everything ---------------------------------------------


def _mentions(step: StepView, other: StepView) -> bool:
    """Does the step's text refer to the other step (a sign it uses its result)?"""
    text = " ".join(t for t in (step.prompt, step.title) if t).lower()
    if not text:
        return False
    names = [other.id.replace("-", " ").replace("_", " "), other.id]
    if other.title:
        names.append(other.title.lower())
    return any(re.search(r"\b" + re.escape(n.lower()) + r"\b", text) for n in names if n)


def check_sequential(g: _Graph) -> Iterator[Raw]:
    nxt: dict[str, str] = {}
    for b in g.steps:
        if len(b.depends_on) != 1:
            continue
        a = g.by_id[b.depends_on[0]]
        if (
            g.dependents[a.id] == [b.id]
            and g.kind(a) == "gather"
            and g.kind(b) == "gather"
            and not _mentions(b, a)
        ):
            nxt[a.id] = b.id
    heads = [s for s in g.steps if s.id in nxt and s.id not in nxt.values()]
    for head in heads:
        chain = [head.id]
        while chain[-1] in nxt:
            chain.append(nxt[chain[-1]])
        if len(chain) < g.limits.min_sequential_chain:
            continue
        second = g.by_id[chain[1]]
        yield Raw(
            "PL101",
            f"gathering steps {' -> '.join(repr(c) for c in chain)} run one after another, "
            "but none uses the previous one's findings; run them in parallel and combine the results",
            *second.keys.get("depends_on", (second.line, second.column)),
            fix=_fan_out_fix(g, chain),
        )


def _fan_out_fix(g: _Graph, chain: list[str]) -> Fix | None:
    head = g.by_id[chain[0]]
    edits = [
        Edit("set", tuple(head.depends_on), step=g.by_id[c].index, key="depends_on")
        for c in chain[1:]
    ]
    consumers = g.dependents[chain[-1]]
    for cid in consumers:
        consumer = g.by_id[cid]
        deps: list[str] = []
        for d in consumer.depends_on:
            deps.extend(chain if d == chain[-1] else [d])
        edits.append(Edit("set", tuple(dict.fromkeys(deps)), step=consumer.index, key="depends_on"))
    if not consumers:
        combine = sorted(r.name for r in g.config.roles.values() if r.kind == "combine")
        if not combine:
            return None
        role = "synthesize" if "synthesize" in combine else combine[0]
        new_id = "combine-findings"
        n = 2
        while new_id in g.by_id:
            new_id, n = f"combine-findings-{n}", n + 1
        edits.append(
            Edit(
                "add-step",
                (
                    ("id", new_id),
                    ("title", "Combine the findings"),
                    ("role", role),
                    ("depends_on", tuple(chain)),
                    (
                        "prompt",
                        "Merge the findings of the steps you depend on into one report: "
                        "what they agree on, where they differ, and what is still unknown.",
                    ),
                ),
            )
        )
    what = "make the chain a fan-out" + (" with a synthesis step" if not consumers else "")
    return Fix(what, "unsafe", tuple(edits))


# -- PL102 single-agent -------------------------------------------------------

_SPLIT = re.compile(r",|;|\band\b|\bthen\b|&|\+", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.*)$")


def _responsibilities(clauses: list[str]) -> list[str]:
    lexicon = verbs()
    kinds: list[str] = []
    for clause in clauses:
        words = _WORD.findall(clause.lower())
        while words and words[0] in ("also", "finally", "first", "next", "then", "and", "to"):
            words.pop(0)
        if words and words[0] in lexicon:
            kinds.append(lexicon[words[0]])
    return kinds


def check_single_agent(g: _Graph) -> Iterator[Raw]:
    need = g.limits.min_responsibilities
    for s in g.steps:
        candidates = []
        if s.title:
            candidates.append(_responsibilities(_SPLIT.split(s.title)))
        if s.prompt:
            items = [m.group(1) for line in s.prompt.splitlines() if (m := _LIST_ITEM.match(line))]
            candidates.append(_responsibilities(items))
        for kinds in candidates:
            distinct = set(kinds)
            if len(kinds) >= need and (len(distinct) >= 3 or {"make", "judge"} <= distinct):
                yield Raw(
                    "PL102",
                    f"step '{s.id}' carries {len(kinds)} separate responsibilities "
                    f"({', '.join(dict.fromkeys(kinds))}); split it into one step per responsibility",
                    s.line,
                    s.column,
                )
                break


# -- PL103 over-orchestration -------------------------------------------------


def check_over_orchestration(g: _Graph) -> Iterator[Raw]:
    words = {s.id: len(s.prompt.split()) for s in g.steps if s.prompt and s.prompt.strip()}
    prompted = [s for s in g.steps if s.id in words]
    tiny = [s for s in prompted if words[s.id] < g.limits.tiny_prompt_words]
    if len(tiny) >= g.limits.min_tiny_steps and len(tiny) >= g.limits.tiny_share * len(prompted):
        first = tiny[0]
        yield Raw(
            "PL103",
            f"{len(tiny)} of {len(g.steps)} steps are tiny tasks (prompts under "
            f"{g.limits.tiny_prompt_words} words: {_quoted([s.id for s in tiny[:4]])}"
            f"{', ...' if len(tiny) > 4 else ''}); batch related small tasks into fewer agents",
            first.line,
            first.column,
        )


# -- PL104 fan-out-too-wide and PL109 too-parallel ----------------------------


def _groups(g: _Graph) -> dict[tuple[str, ...], list[StepView]]:
    groups: dict[tuple[str, ...], list[StepView]] = {}
    for s in g.steps:
        groups.setdefault(tuple(sorted(s.depends_on)), []).append(s)
    return groups


def _wide_groups(g: _Graph) -> list[list[StepView]]:
    return [m for m in _groups(g).values() if len(m) > g.config.fan_out_cap]


def check_fan_out_width(g: _Graph) -> Iterator[Raw]:
    for members in _wide_groups(g):
        after = sorted(set(members[0].depends_on))
        source = f"after {_quoted(after)}" if after else "at the start"
        yield Raw(
            "PL104",
            f"{len(members)} steps fan out in parallel {source}, more than fan_out_cap = "
            f"{g.config.fan_out_cap}; batch related items so each agent handles several",
            members[0].line,
            members[0].column,
        )


def check_parallel_width(g: _Graph) -> Iterator[Raw]:
    order = topological_order([s.id for s in g.steps], {s.id: s.depends_on for s in g.steps})
    level: dict[str, int] = {}
    for sid in order:
        level[sid] = 1 + max((level[d] for d in g.by_id[sid].depends_on), default=-1)
    layers: dict[int, list[StepView]] = {}
    for s in g.steps:
        layers.setdefault(level[s.id], []).append(s)
    flagged = {s.id for members in _wide_groups(g) for s in members}
    widest = max(layers.values(), key=len)
    if len(widest) > g.config.max_parallel and not flagged.intersection(s.id for s in widest):
        yield Raw(
            "PL109",
            f"{len(widest)} steps can run at once here, more than max_parallel = "
            f"{g.config.max_parallel}; the rest will queue: batch work or raise max_parallel",
            widest[0].line,
            widest[0].column,
        )


# -- PL105 fan-out-without-fan-in ---------------------------------------------


def check_fan_in(g: _Graph) -> Iterator[Raw]:
    groups = [
        m for m in _groups(g).values() if len(m) >= 2 and all(g.kind(s) == "gather" for s in m)
    ]
    if not groups:
        return
    bit = {s.id: 1 << i for i, s in enumerate(g.steps)}
    desc: dict[str, int] = {}
    order = topological_order([s.id for s in g.steps], {s.id: s.depends_on for s in g.steps})
    for sid in reversed(order):
        mask = 0
        for child in g.dependents[sid]:
            mask |= bit[child] | desc[child]
        desc[sid] = mask
    for members in groups:
        seen = twice = 0
        for s in members:
            twice |= seen & desc[s.id]
            seen |= desc[s.id]
        if not twice:
            yield Raw(
                "PL105",
                f"parallel gathering steps {_quoted([s.id for s in members])} are never combined: "
                "no later step uses the results of more than one of them; add a synthesis step "
                "that depends on all of them",
                members[0].line,
                members[0].column,
            )


# -- PL106 unbounded-repeat ---------------------------------------------------


def check_repeat(g: _Graph) -> Iterator[Raw]:
    rounds = g.limits.default_max_rounds
    for s in g.steps:
        if s.until is not None and s.max_rounds is None:
            yield Raw(
                "PL106",
                f"step '{s.id}' repeats until a condition holds but has no max_rounds; "
                "bound it so a condition that never holds cannot loop forever",
                *s.keys.get("until", (s.line, s.column)),
                fix=Fix(
                    f"add 'max_rounds: {rounds}'",
                    "safe",
                    (Edit("set", rounds, step=s.index, key="max_rounds", after="until"),),
                ),
            )


# -- PL107 judge-on-cheapest-tier and PL108 gather-on-expensive-tier ----------


def check_tiers(g: _Graph) -> Iterator[Raw]:
    tiers = g.config.tiers
    ranks = sorted({t.rank for t in tiers.values()})
    if len(ranks) < 2:
        return
    low, high = ranks[0], ranks[-1]
    for s in g.steps:
        tier, kind = g.tier(s), g.kind(s)
        if tier is None or kind is None or tier not in tiers:
            continue
        rank = tiers[tier].rank
        role = g.config.roles[s.role] if s.role else None
        default = role.tier if role and role.tier in tiers else None
        if kind in ("judge", "combine") and rank == low:
            better = default if default and tiers[default].rank > low else g.config.strongest_tier
            what = "synthesis" if kind == "combine" else "judging"
            yield Raw(
                "PL107",
                f"{what} step '{s.id}' ({s.role}) runs on the cheapest tier '{tier}'; "
                f"combining and judging other agents' work needs a capable model (e.g. '{better}')",
                *g.tier_pos(s),
                fix=_set_tier(s.index, better),
            )
        elif kind == "gather" and rank == high:
            better = default if default and tiers[default].rank < high else g.config.cheapest_tier
            yield Raw(
                "PL108",
                f"gathering step '{s.id}' ({s.role}) runs on the most expensive tier '{tier}'; "
                f"gathering is numerous and parallel, so use a cheap tier (e.g. '{better}')",
                *g.tier_pos(s),
                fix=_set_tier(s.index, better),
            )


# -- PL110 missing-prompt -----------------------------------------------------


def check_prompt(g: _Graph) -> Iterator[Raw]:
    for s in g.steps:
        if not (s.prompt and s.prompt.strip()):
            yield Raw(
                "PL110",
                f"step '{s.id}' has no prompt; say what it must do, what it receives and what it returns",
                s.line,
                s.column,
            )


# Checks of one step at a time run even when the dependency graph is broken.
STEP_CHECKS: tuple[Check, ...] = (
    check_single_agent,
    check_over_orchestration,
    check_repeat,
    check_tiers,
    check_prompt,
)
GRAPH_CHECKS: tuple[Check, ...] = (
    check_sequential,
    check_fan_out_width,
    check_fan_in,
    check_parallel_width,
)


def _set_tier(step: int, tier: str) -> Fix:
    """The unsafe fix of PL107/PL108: move a step to a tier that suits its role."""
    return Fix(f"set tier to '{tier}'", "unsafe", (Edit("set", tier, step=step, key="tier", after="role"),))
