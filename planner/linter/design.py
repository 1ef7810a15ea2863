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
        return step.value_at("tier")


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
    return any(_has_phrase(text, n.lower()) for n in names if n)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what \w means in a str pattern


def _has_phrase(text: str, phrase: str) -> bool:
    """``re.search(r"\b" + re.escape(phrase) + r"\b", text)`` without compiling a
    pattern per pair of steps (a long chain compiled one per step, which cost
    more than the rest of the lint together)."""
    at = text.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        before = at > 0 and _is_word_char(text[at - 1])
        after = end < len(text) and _is_word_char(text[end])
        if before != _is_word_char(phrase[0]) and after != _is_word_char(phrase[-1]):
            return True
        at = text.find(phrase, at + 1)
    return False


# A chain longer than this is named by its ends in PL101's message (the
# message stays one readable line; the fix still covers every step).
_CHAIN_SHOWN = 6


def _chain_text(chain: list[str]) -> str:
    if len(chain) <= _CHAIN_SHOWN:
        return " -> ".join(repr(c) for c in chain)
    head = " -> ".join(repr(c) for c in chain[: _CHAIN_SHOWN - 2])
    return f"{head} -> ... -> {chain[-1]!r} ({len(chain):,} steps)"


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
    tails = set(nxt.values())
    heads = [s for s in g.steps if s.id in nxt and s.id not in tails]
    for head in heads:
        chain = [head.id]
        while chain[-1] in nxt:
            chain.append(nxt[chain[-1]])
        if len(chain) < g.limits.min_sequential_chain:
            continue
        second = g.by_id[chain[1]]
        yield Raw(
            "PL101",
            f"gathering steps {_chain_text(chain)} run one after another, "
            "but none uses the previous one's findings; run them in parallel and combine the results",
            *second.key_at("depends_on"),
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
    rank: dict[str, int] | None = None
    for members in groups:
        # Only members that something depends on can ever be combined.
        used = [s.id for s in members if g.dependents[s.id]]
        if len(used) >= 2:
            if rank is None:
                order = topological_order([s.id for s in g.steps], {s.id: s.depends_on for s in g.steps})
                rank = {sid: i for i, sid in enumerate(order)}
            if _combined(g, used, rank):
                continue
        yield Raw(
            "PL105",
            f"parallel gathering steps {_quoted([s.id for s in members])} are never combined: "
            "no later step uses the results of more than one of them; add a synthesis step "
            "that depends on all of them",
            members[0].line,
            members[0].column,
        )


def _combined(g: _Graph, members: list[str], rank: dict[str, int]) -> bool:
    """Whether some step depends, directly or not, on two of ``members``.

    A bitset of descendants per step answered this for every group at once,
    but took memory quadratic in the number of steps (875 MB for a chain of
    50,000). Here each member explores its own descendants, one step per
    turn; meeting another member's ground answers yes. Once every member but
    one has run out, only that one's descendants are left to check, and a
    two-ended search settles it: forward from it, and backward from the
    ground the others own, each kept to the window of the topological order
    between them, stopping when they meet or either side runs out. Memory is
    linear; the time of one group is bounded by what its smaller sides cover.
    """
    owner: dict[str, int] = {m: i for i, m in enumerate(members)}
    stacks = [[m] for m in members]
    active = list(range(len(members)))
    while len(active) > 1:
        still: list[int] = []
        for i in active:
            stack = stacks[i]
            for child in g.dependents[stack.pop()]:
                other = owner.get(child)
                if other is None:
                    owner[child] = i
                    stack.append(child)
                elif other != i:
                    return True
            if stack:
                still.append(i)
        active = still
    if not active:
        return False
    return _reaches_others(g, active[0], stacks[active[0]], owner, rank, members)


def _reaches_others(
    g: _Graph, last: int, frontier: list[str], owner: dict[str, int], rank: dict[str, int], members: list[str]
) -> bool:
    """Whether member ``last``, whose exploration stopped at ``frontier``, reaches ground the
    other members own (they have run out, so their ground holds all their descendants)."""
    others = [sid for sid, o in owner.items() if o != last]
    low = rank[members[last]]  # whatever ``last`` reaches comes after it ...
    high = max(rank[sid] for sid in others)  # ... and whatever reaches the others, before them
    forward = list(frontier)
    backward = others
    behind: set[str] = set(others)
    while forward and backward:
        for child in g.dependents[forward.pop()]:
            if child in behind or owner.get(child, last) != last:
                return True
            if child not in owner and rank[child] <= high:
                owner[child] = last
                forward.append(child)
        for parent in g.by_id[backward.pop()].depends_on:
            if owner.get(parent) == last:
                return True
            if parent not in behind and rank[parent] > low:
                behind.add(parent)
                backward.append(parent)
    return False


# -- PL106 unbounded-repeat ---------------------------------------------------


def check_repeat(g: _Graph) -> Iterator[Raw]:
    rounds = g.limits.default_max_rounds
    for s in g.steps:
        if s.until is not None and s.max_rounds is None:
            yield Raw(
                "PL106",
                f"step '{s.id}' repeats until a condition holds but has no max_rounds; "
                "bound it so a condition that never holds cannot loop forever",
                *s.key_at("until"),
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
