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
from functools import cache

from planner.config import Config
from planner.linter.finding import Edit, Fix
from planner.linter.rules import Thresholds, Words, stages, thresholds, verbs, words
from planner.linter.structure import Raw, StepView
from planner.plan.graphcheck import topological_order
from planner.plan.yamlnodes import scalar_value


class _Graph:
    def __init__(
        self,
        steps: list[StepView],
        by_id: dict[str, StepView],
        dependents: dict[str, list[str]],
        config: Config,
        limits: Thresholds,
        task: str | None = None,
        pattern: str | None = None,
    ) -> None:
        self.steps = steps
        self.by_id = by_id
        self.dependents = dependents
        self.config = config
        self.limits = limits
        self.task = task
        self.pattern = pattern
        self.words: Words = words()
        self._shared: set[str] | None = None
        self._own: dict[str, list[str]] = {}
        self._scope: dict[str, frozenset[str]] = {}
        self._surface: dict[str, str] = {}
        self._parts: dict[tuple[str, bool], tuple[str, str]] = {}
        self._groups: dict[tuple[str, ...], list[StepView]] | None = None
        self._order: list[str] | None = None
        self._clauses: dict[tuple[str, int, bool], list[list[str]]] = {}

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

    def groups(self) -> dict[tuple[str, ...], list[StepView]]:
        """Sibling groups: steps with the same dependencies, in plan order (computed once:
        several checks read them, and a 50,000-step plan paid for each reading)."""
        if self._groups is None:
            groups: dict[tuple[str, ...], list[StepView]] = {}
            for s in self.steps:
                groups.setdefault(tuple(sorted(s.depends_on)), []).append(s)
            self._groups = groups
        return self._groups

    def order(self) -> list[str]:
        """The step ids in a topological order (computed once, for the same reason)."""
        if self._order is None:
            self._order = topological_order([s.id for s in self.steps], {s.id: s.depends_on for s in self.steps})
        return self._order

    def stage(self, step: StepView) -> int | None:
        """Where the step's role sits in a lifecycle (PL113), or None for an unknown role."""
        by_kind, by_role = stages()
        if step.role is not None and step.role in by_role:
            return by_role[step.role]
        kind = self.kind(step)
        return by_kind.get(kind) if kind else None

    def _shared_lines(self) -> set[str]:
        """Prompt lines every prompted step has (two or more): context, no one step's own work."""
        if self._shared is None:
            counts: dict[str, int] = {}
            prompted = [s for s in self.steps if s.prompt]
            if len(prompted) > 1:
                for s in prompted:
                    for line in {ln.strip() for ln in (s.prompt or "").splitlines()}:
                        counts[line] = counts.get(line, 0) + 1
            self._shared = {line for line, n in counts.items() if n == len(prompted)}
        return self._shared

    def own_lines(self, step: StepView) -> list[str]:
        """The lines of a step's prompt that say what it does.

        Lines labelled as context ("Inputs: ...", which quotes other steps'
        titles) and lines every step shares (the whole task, repeated for
        context) are left out; in a one-step plan nothing is shared, so the
        task in its prompt is its own work.
        """
        got = self._own.get(step.id)
        if got is None:
            shared = self._shared_lines()
            got = []
            for raw in (step.prompt or "").splitlines():
                line = raw.strip()
                if not line or line in shared:
                    continue
                m = _LABEL.match(line)
                if m and m.group(1).lower() in self.words.context_labels:
                    continue
                got.append(line)
            self._own[step.id] = got
        return got

    def own_text(self, step: StepView) -> str:
        """The step's title and own prompt lines, lowercased, one per line."""
        title, prompt = self.parts(step)
        return f"{title}\n{prompt}"

    def parts(self, step: StepView, work_only: bool = False) -> tuple[str, str]:
        """The step's title and its own prompt lines (list marks removed), lowercased;
        with ``work_only``, without the lines that say what it returns or must not do."""
        key = (step.id, work_only)
        got = self._parts.get(key)
        if got is None:
            lines = [line for line in self.own_lines(step) if not (work_only and self._output_line(line))]
            prompt = "\n".join(_LIST_MARK.sub("", line) for line in lines)
            got = self._parts[key] = ((step.title or "").lower(), prompt.lower())
        return got

    def _output_line(self, line: str) -> bool:
        m = _LABEL.match(line)
        return bool(m and m.group(1).lower() in self.words.output_labels)

    def clauses(self, step: StepView, part: int, work_only: bool = False) -> list[list[str]]:
        """The clauses of the step's title (``part`` 0) or own prompt (1), filler words dropped."""
        key = (step.id, part, work_only)
        got = self._clauses.get(key)
        if got is None:
            fillers = self.words.clause_fillers
            got = []
            for tokens in _clauses(self.parts(step, work_only)[part]):
                start = 0
                while start < len(tokens) and tokens[start] in fillers:
                    start += 1
                if start < len(tokens):
                    got.append(tokens[start:])
            self._clauses[key] = got
        return got

    def scope(self, step: StepView) -> frozenset[str]:
        """What the step works on: the stems of its own words, less verbs, generic words and copy counts."""
        got = self._scope.get(step.id)
        if got is None:
            lines = [step.title or ""]
            lines.extend(line for line in self.own_lines(step) if not self._output_line(line))
            found = _content_words("\n".join(lines).lower(), self.words)
            self._surface.update((k, v) for k, v in found.items() if k not in self._surface)
            got = self._scope[step.id] = frozenset(found)
        return got

    def word(self, stem: str) -> str:
        """A word as a step wrote it, for a stem of ``scope``."""
        return self._surface.get(stem, stem)


Check = Callable[[_Graph], Iterator[Raw]]


def run_design_checks(
    steps: list[StepView],
    config: Config,
    *,
    graph_ok: bool = True,
    task: str | None = None,
    pattern: str | None = None,
) -> list[Raw]:
    """Run the per-step checks always and the graph checks when the graph is sound.

    ``task`` is the plan's ``task`` text, read only for the stakes of the work
    (PL112); ``pattern`` its declared pattern, which a fix that reshapes the
    graph keeps true to the new shape.
    """
    dependents: dict[str, list[str]] = {s.id: [] for s in steps}
    for s in steps:
        for d in s.depends_on:
            if d in dependents:
                dependents[d].append(s.id)
    graph = _Graph(steps, {s.id: s for s in steps}, dependents, config, thresholds(), task, pattern)
    raws: list[Raw] = []
    for check in STEP_CHECKS + (GRAPH_CHECKS if graph_ok else ()):
        raws.extend(check(graph))
    return raws


def _quoted(ids: list[str]) -> str:
    return ", ".join(f"'{i}'" for i in ids)


def _shape_of(deps: dict[str, tuple[str, ...]]) -> str | None:
    """The pattern a dependency graph plainly is, or None when its shape says no one pattern.

    One step is ``direct``; a single chain is ``pipeline``; two or more steps
    with the same inputs whose results one step joins is ``fan-out-fan-in``.
    """
    if len(deps) == 1:
        return "direct"
    users: dict[str, int] = dict.fromkeys(deps, 0)
    for ds in deps.values():
        for d in ds:
            users[d] = users.get(d, 0) + 1
    roots = [s for s, ds in deps.items() if not ds]
    if len(roots) == 1 and all(len(ds) <= 1 for ds in deps.values()) and all(n <= 1 for n in users.values()):
        return "pipeline"
    siblings: dict[tuple[str, ...], set[str]] = {}
    for sid, ds in deps.items():
        siblings.setdefault(tuple(sorted(ds)), set()).add(sid)
    for ds in deps.values():
        joined = set(ds)
        if len(joined) >= 2 and any(len(joined & group) >= 2 for group in siblings.values()):
            return "fan-out-fan-in"
    return None


def _pattern_edit(g: _Graph, deps: dict[str, tuple[str, ...]]) -> Edit | None:
    """The edit that keeps the plan's ``pattern`` true to the graph a fix makes.

    Only a pattern the new shape plainly contradicts is changed: ``direct``
    is one step, ``pipeline`` one chain, ``fan-out-fan-in`` parallel work
    joined; for the others (whose shapes a chain or a fan-out can also take)
    the author's word stands.
    """
    declared = g.pattern
    shape = _shape_of(deps)
    if declared in (None, shape) or shape is None:
        return None
    if declared not in ("direct", "pipeline", "fan-out-fan-in") and shape != "direct":
        return None
    return Edit("set", shape, key="pattern")


# "Inputs: ...", "Expected output: ...": a short label opening a prompt line.
_LABEL = re.compile(r"([A-Za-z][A-Za-z ]{0,30}):")
_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
# Words and clause breaks in one pass: punctuation and list separators end a
# clause, as do "and" and "then" (handled by the caller); a full stop ends one
# only before a space, so "requirements.txt" stays whole.
_CLAUSE_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*|[,;:&+\n]|[.!?](?=\s|$)")
_BREAK_WORDS = frozenset(("and", "then"))
_LIST_MARK = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")


def _clauses(text: str) -> list[list[str]]:
    """The clauses of a lowercased text, each as its words."""
    out: list[list[str]] = [[]]
    for tok in _CLAUSE_TOKEN.findall(text):
        if tok in _BREAK_WORDS or not tok[0].isalnum():
            if out[-1]:
                out.append([])
        else:
            out[-1].append(tok)
    if not out[-1]:
        out.pop()
    return out


def _stem(word: str) -> str:
    """A crude stem, enough to match "cache" with "caching" and "test" with "tests"."""
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _inflections(word: str) -> tuple[str, ...]:
    """A verb and its -s, -es and -ing forms ("design", "designs", "designing"; "write", "writing")."""
    stem = word[:-1] if word.endswith("e") and len(word) > 3 else word
    return (word, word + "s", word + "es", word + "ing", stem + "ing")


@cache
def _verb_forms() -> dict[str, str]:
    """Every form of a responsibility verb -> its role kind (one lookup per word,
    where trying suffixes per word was a fifth of the lint of a large plan)."""
    out: dict[str, str] = {}
    for verb, kind in verbs().items():
        for form in _inflections(verb):
            out.setdefault(form, kind)
    return out


@cache
def _processing_forms() -> frozenset[str]:
    return frozenset(f for v in words().processing_verbs for f in _inflections(v))


@cache
def _action_re() -> re.Pattern[str]:
    """Any form of a responsibility or processing verb, as a word: a quick test
    before reading a text clause by clause (most prompts name one action)."""
    forms = sorted({*_verb_forms(), *_processing_forms()}, key=lambda f: (-len(f), f))
    return re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")\b")


def _verb_kind(word: str) -> str | None:
    """The role kind of a responsibility verb, in its plain, -s, -es or -ing form."""
    return _verb_forms().get(word)


def _content_words(text: str, w: Words) -> dict[str, str]:
    """Stems of the words that say what a text works on (see ``scope``), each
    with the first word that gave it (messages show words, not stems)."""
    tokens = _TOKEN.findall(text)
    out: dict[str, str] = {}
    for i, tok in enumerate(tokens):
        if tok.isdigit():
            before = tokens[i - 1] if i else ""
            if before in w.copy_nouns or before == "of" or (i + 1 < len(tokens) and tokens[i + 1] == "of"):
                continue  # "agent 3", "3 of 10": a count of copies, not a different thing
        elif tok in w.generic or tok in w.copy_nouns or _verb_kind(tok):
            continue
        out.setdefault(_stem(tok), tok)
    return out


def _contains_any(text: str, phrases: tuple[str, ...]) -> str | None:
    """The first phrase of ``phrases`` found in ``text`` as whole words (``text`` lowercased)."""
    for phrase in phrases:
        if phrase in text and _has_phrase(text, phrase):
            return phrase
    return None


def _joined_by_judge(g: _Graph, members: list[StepView]) -> bool:
    """Whether one judging step (a comparison, a decision) takes every member's result.

    Competing attempts at the same brief are the point of best-of-N
    evaluation: their copies are judged against each other, not merged.
    """
    common: set[str] | None = None
    for m in members:
        judges = {c for c in g.dependents[m.id] if g.kind(g.by_id[c]) == "judge"}
        common = judges if common is None else common & judges
        if not common:
            return False
    return bool(common)


# -- PL101 sequential-everything ---------------------------------------------

def _uses_previous(g: _Graph, b: StepView, a: StepView) -> bool:
    """Does gathering step ``b`` work on what ``a`` found? Decided from structure
    (``a`` is a scout, ``b`` runs once per item of ``a``'s list) and, failing
    that, from ``b``'s own words: a phrase such as "for each ... found by", a
    word pointing back ("them", "each"), a verb that processes material at hand
    ("extract", "analyze"), or a gathering verb with no object of its own. Never
    from ``b`` merely naming ``a``: every generated prompt names its inputs.
    The word lists are ``[words]`` in ``rules/lint.toml``."""
    if a.role in g.words.directing_roles or _for_each_from(b) == a.id:
        return True
    # what it returns ("a findings list: each finding with ...") says nothing of its inputs
    text = "\n".join(g.parts(b, work_only=True))
    w = g.words
    if _contains_any(text, w.uses_previous) or _contains_any(text, w.back_references):
        return True
    processing = _processing_forms()
    for part in (0, 1):
        for tokens in g.clauses(b, part, work_only=True):
            if tokens[0] in processing:
                return True
            if _verb_kind(tokens[0]) == "gather" and (len(tokens) == 1 or tokens[1] in w.object_references):
                return True
    return False


def _for_each_from(step: StepView) -> str | None:
    item = step.items.get("for_each")
    if item is None or not hasattr(item[1], "value") or not isinstance(item[1].value, list):
        return None
    for key, value in item[1].value:
        if getattr(key, "value", None) == "from":
            found = scalar_value(value)
            return found if isinstance(found, str) else None
    return None


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what \w means in a str pattern


def _has_phrase(text: str, phrase: str) -> bool:
    """``re.search(r"\b" + re.escape(phrase) + r"\b", text)`` without compiling a
    pattern per phrase and text (a long chain compiled one per step, which cost
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
            and not _uses_previous(g, b, a)
        ):
            nxt[a.id] = b.id
    tails = set(nxt.values())
    heads = [s for s in g.steps if s.id in nxt and s.id not in tails]
    chains: list[list[str]] = []
    for head in heads:
        chain = [head.id]
        while chain[-1] in nxt:
            chain.append(nxt[chain[-1]])
        if len(chain) >= g.limits.min_sequential_chain:
            chains.append(chain)
    fixes = [_fan_out_fix(g, chain) for chain in chains]
    if fixes and fixes[0] is not None and g.pattern is not None:
        # The first fix also keeps `pattern` true to the graph all of them make
        # (one fix carries it, so the fixes never edit the same key).
        changed = _deps_after(g, [f for f in fixes if f is not None])
        keep = _pattern_edit(g, changed)
        if keep is not None:
            fixes[0] = fixes[0]._replace(edits=(*fixes[0].edits, keep))
    for chain, fix in zip(chains, fixes, strict=True):
        second = g.by_id[chain[1]]
        yield Raw(
            "PL101",
            f"gathering steps {_chain_text(chain)} run one after another, "
            "but none uses the previous one's findings; run them in parallel and combine the results",
            *second.key_at("depends_on"),
            fix=fix,
        )


def _deps_after(g: _Graph, fixes: list[Fix]) -> dict[str, tuple[str, ...]]:
    """Every step's dependencies once ``fixes`` are applied (steps they add included)."""
    deps = {s.id: tuple(s.depends_on) for s in g.steps}
    ids = [s.id for s in g.steps]
    for fix in fixes:
        for e in fix.edits:
            if e.op == "set" and e.key == "depends_on" and e.step is not None:
                deps[ids[e.step]] = tuple(e.value)
            elif e.op == "add-step":
                fields = dict(e.value)
                deps[str(fields["id"])] = tuple(fields.get("depends_on", ()))
    return deps


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

_BREAK_CHARS = str.maketrans(dict.fromkeys(",;:&+\n!?"))


def _most_clauses(text: str) -> int:
    """An upper bound on the clauses of a lowercased text, from counting its breaks
    (cheap string counts that spare most one-action prompts the clause reader)."""
    breaks = len(text) - len(text.translate(_BREAK_CHARS)) + text.count(". ")
    return 1 + breaks + text.count(" and ") + text.count(" then ")


def _responsibilities(clauses: list[list[str]], w: Words) -> tuple[list[str], int]:
    """The kinds of the actions a text names, one per clause that opens with a
    responsibility verb, and how many of those actions have an object of their own."""
    kinds: list[str] = []
    separate = 0
    for tokens in clauses:
        kind = _verb_kind(tokens[0])
        if kind is None:
            continue
        kinds.append(kind)
        if any(t not in w.generic for t in tokens[1:]):
            separate += 1
    return kinds, separate


def check_single_agent(g: _Graph) -> Iterator[Raw]:
    need = g.limits.min_responsibilities
    jobs = g.limits.min_separate_jobs
    fewest = min(need, jobs)
    action = _action_re()
    for s in g.steps:
        for part, where in enumerate(("title", "prompt")):
            # what a step returns or must not do ("Boundaries: test and report; do not fix") is no job of its own
            text = g.parts(s, work_only=True)[part]
            if not text or _most_clauses(text) < fewest or len(action.findall(text)) < fewest:
                continue  # too few clauses or actions to be several jobs
            kinds, separate = _responsibilities(g.clauses(s, part, work_only=True), g.words)
            distinct = set(kinds)
            if len(kinds) >= need and (len(distinct) >= 3 or {"make", "judge"} <= distinct):
                what = f"{len(kinds)} separate responsibilities ({', '.join(dict.fromkeys(kinds))})"
            elif separate >= jobs:
                what = f"{separate} separate pieces of work ({', '.join(dict.fromkeys(kinds))})"
            else:
                continue
            yield Raw(
                "PL102",
                f"step '{s.id}' carries {what} in its {where}; split it into one step per responsibility",
                s.line,
                s.column,
            )
            break


# -- PL103 over-orchestration and PL114 repeated-step -------------------------


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


def _same_scope(g: _Graph, members: list[StepView]) -> list[list[StepView]]:
    """Members grouped by scope (the role, or its kind, and what it works on), in plan order.

    A member whose words name nothing (no title, no prompt of its own) is its
    own group: the linter cannot tell what it does, so it does not guess."""
    by_scope: dict[tuple[str | None, frozenset[str]], list[StepView]] = {}
    alone: list[list[StepView]] = []
    for m in members:
        scope = g.scope(m)
        if scope:
            by_scope.setdefault((m.role or g.kind(m), scope), []).append(m)
        else:
            alone.append([m])
    return [*by_scope.values(), *alone]


def check_repeated_work(g: _Graph) -> Iterator[Raw]:
    """PL103 for a fan-out of copies, PL114 for a repeated sibling."""
    for members in _groups(g).values():
        if len(members) < 2 or _joined_by_judge(g, members):
            continue
        clusters = _same_scope(g, members)
        if len(members) >= g.limits.min_copies_fan_out and 2 * len(clusters) < len(members):
            biggest = max(clusters, key=len)
            after = sorted(set(members[0].depends_on))
            source = f"after {_quoted(after)}" if after else "at the start"
            yield Raw(
                "PL103",
                f"{len(members)} parallel steps {source} name only {len(clusters)} distinct "
                f"piece{'s' if len(clusters) != 1 else ''} of work ({len(biggest)} do the same as "
                f"'{biggest[0].id}'); give each agent its own part of the work or use fewer agents",
                members[0].line,
                members[0].column,
            )
            continue
        for cluster in clusters:
            first = cluster[0]
            for other in cluster[1:]:
                shown = ", ".join(g.word(w) for w in sorted(g.scope(first))[:5])
                work = f"role '{first.role}'" if first.role else "kind of work"
                yield Raw(
                    "PL114",
                    f"step '{other.id}' has the same scope as its parallel sibling '{first.id}' "
                    f"(the same {work} on: {shown}); merge them, or give each its own part",
                    other.line,
                    other.column,
                )


# -- PL112 unverified-merge ---------------------------------------------------


def _judged(g: _Graph) -> set[str]:
    """Steps that are judged: a judging step (review, critique, comparison,
    decision) is the step itself or comes after it."""
    order = g.order()
    judged: set[str] = set()
    for sid in reversed(order):
        if g.kind(g.by_id[sid]) == "judge" or any(c in judged for c in g.dependents[sid]):
            judged.add(sid)
    return judged


def _stakes_word(g: _Graph, steps: list[StepView]) -> str | None:
    """A word marking the work as high-stakes, in the plan's task or the steps' titles and prompts."""
    texts = [g.task or ""] + [f"{s.title or ''}\n{s.prompt or ''}" for s in steps]
    for text in texts:
        found = _contains_any(text.lower(), g.words.stakes)
        if found:
            return found
    return None


def check_unverified_merge(g: _Graph) -> Iterator[Raw]:
    judged: set[str] | None = None
    flagged: set[str] = set()
    for members in _groups(g).values():
        if len(members) < 2 or not all(g.kind(m) == "gather" for m in members):
            continue
        fed: dict[str, int] = {}
        for m in members:
            for c in g.dependents[m.id]:
                fed[c] = fed.get(c, 0) + 1
        merges = [g.by_id[c] for c, n in fed.items() if n >= 2 and c not in flagged]
        merges = [c for c in merges if g.kind(c) == "combine"]
        if not merges:
            continue
        if judged is None:
            judged = _judged(g)
        for merge in merges:
            if merge.id in judged:
                continue
            word = _stakes_word(g, [merge, *members])
            if word is None:
                continue
            flagged.add(merge.id)
            inputs = [m.id for m in members if merge.id in g.dependents[m.id]]
            shown = _quoted(inputs[:4]) + (", ..." if len(inputs) > 4 else "")
            yield Raw(
                "PL112",
                f"step '{merge.id}' merges parallel gathering steps ({shown}) on high-stakes work "
                f"('{word}') and nothing checks the result; add a review or critique step after it",
                merge.line,
                merge.column,
            )


# -- PL113 parallel-sequence --------------------------------------------------


def check_parallel_sequence(g: _Graph) -> Iterator[Raw]:
    raws = list(_parallel_sequences(g))
    if raws and g.pattern is not None:
        fixes = [r.fix for r in raws if r.fix is not None]
        keep = _pattern_edit(g, _deps_after(g, fixes))
        first = raws[0]
        if keep is not None and first.fix is not None:
            raws[0] = first._replace(fix=first.fix._replace(edits=(*first.fix.edits, keep)))
    yield from raws


def _parallel_sequences(g: _Graph) -> Iterator[Raw]:
    for members in _groups(g).values():
        if len(members) < 2:
            continue
        staged = [(m, g.stage(m)) for m in members]
        if len({st for _, st in staged if st is not None}) < 2:
            continue
        # What the siblings all receive is no sign that one needs another:
        # a review and a summary of the same draft both name the draft.
        given: set[str] = set()
        for d in members[0].depends_on:
            given |= g.scope(g.by_id[d])
        common: frozenset[str] | None = None
        if len(members) >= 3:
            for m in members:
                common = g.scope(m) if common is None else common & g.scope(m)
        ignored = given | (common or frozenset())
        # word -> stage -> the first sibling (in plan order) at that stage naming it
        index: dict[str, dict[int, StepView]] = {}
        for m, st in staged:
            if st is None:
                continue
            for w in g.scope(m) - ignored:
                index.setdefault(w, {}).setdefault(st, m)
        for b, sb in staged:
            if sb is None:
                continue
            best: tuple[int, int, StepView, str] | None = None
            for w in sorted(g.scope(b) - ignored):
                for sa, a in index.get(w, {}).items():
                    if sa < sb and (best is None or (-sa, a.index) < (-best[0], best[1])):
                        best = (sa, a.index, a, w)
            if best is None:
                continue
            a, word = best[2], g.word(best[3])
            yield Raw(
                "PL113",
                f"step '{b.id}' ({b.role}) runs in parallel with '{a.id}' ({a.role}) but works on "
                f"what it produces ('{word}'); make '{b.id}' depend on '{a.id}'",
                *b.key_at("depends_on"),
                fix=Fix(
                    f"make '{b.id}' depend on '{a.id}'",
                    "unsafe",
                    (Edit("set", (*b.depends_on, a.id), step=b.index, key="depends_on", after="role"),),
                ),
            )


# -- PL104 fan-out-too-wide and PL109 too-parallel ----------------------------


def _groups(g: _Graph) -> dict[tuple[str, ...], list[StepView]]:
    return g.groups()


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
    order = g.order()
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
                order = g.order()
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
    check_repeated_work,
    check_unverified_merge,
    check_parallel_sequence,
)


def _set_tier(step: int, tier: str) -> Fix:
    """The unsafe fix of PL107/PL108: move a step to a tier that suits its role."""
    return Fix(f"set tier to '{tier}'", "unsafe", (Edit("set", tier, step=step, key="tier", after="role"),))
