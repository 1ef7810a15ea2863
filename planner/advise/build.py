"""Pattern builders: one small function per pattern turns the parsed task into steps.

Builders shape the plan after the text (one gatherer per named branch, the
stages the text lists) and fall back to the defaults in ``rules/builders.toml``
when the text names nothing. They return draft steps without tiers; tiers are
assigned afterwards by the tier rules. Every step gets a title short enough for
a diagram box and a prompt stating objective, inputs, expected output and
boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx

from planner import lazyre
from planner.advise.features import Features
from planner.advise.lists import verb_base, verb_checker, verb_role
from planner.advise.rules import RuleSet
from planner.advise.streams import Stage, read_streams, shared_head
from planner.config import Config

if TYPE_CHECKING:
    from planner.parser.model import TaskGraph, TaskStep

TITLE_MAX = 40
ID_MAX = 32  # long enough to read in a diagram box and a log line, short enough to type
# Determiners and possessives say nothing in an id ("update-its-examples" -> "update-examples").
_ID_ARTICLES = frozenset(["the", "a", "an", "its", "their", "our", "your", "my", "his", "her", "this", "these", "those"])
# An id that ends on one of these reads as cut off mid-phrase ("compare-redis-and").
_ID_TAIL_STOPS = frozenset(["and", "the", "a", "an", "of", "to", "for", "with", "or", "in", "on", "at", "by", "from", "into", "vs", "then"])
EXCERPT_MAX = 400
_WS_RE = lazyre.compile(r"\s+")
_SLUG_RE = lazyre.compile(r"[^a-z0-9]+")
_ROUNDS_RE = lazyre.compile(
    r"\b(?:at most\s+|up to\s+|no more than\s+|max(?:imum)?\s+(?:of\s+)?)?"
    r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of)"
    r"(?:\s+or\s+(\d{1,3}|two|three|four|five|six|seven|eight|nine|ten))?\s+"
    r"(?:review\s+|feedback\s+|revision\s+|refinement\s+)?(rounds|passes|iterations|cycles|revisions|times)\b",
    re.IGNORECASE,
)
_UNTIL_RE = lazyre.compile(r"\b(?:until|till|unless)\s+([^.;:!?\n]{3,120})", re.IGNORECASE)
_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "a few": 3, "a couple of": 2,
}  # fmt: skip


class Draft(NamedTuple):
    """A step before its tier is known."""

    id: str
    title: str
    role: str
    depends_on: tuple[str, ...]
    objective: str
    output: str
    boundaries: str
    max_rounds: int | None = None
    until: str | None = None


@dataclass
class BuildContext:
    task: str
    tg: TaskGraph
    features: Features
    config: Config
    rules: RuleSet
    limit: int | None  # --max-agents
    notes: list[str] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)

    def section(self, name: str) -> dict[str, Any]:
        value = self.rules.builders.get(name, {})
        return dict(value) if isinstance(value, dict) else {}

    def new_id(self, title: str, prefix: str = "") -> str:
        """A unique, valid step id from ``title``: whole words up to ID_MAX
        characters, articles dropped, never ending on a joining word."""
        head = [w for w in _SLUG_RE.sub("-", prefix.lower()).split("-") if w]
        words = [w for w in _SLUG_RE.sub("-", title.lower()).split("-") if w]
        if words[: len(head)] != head:  # "Approach A" under the prefix "approach"
            words = head + words
        # Articles say nothing in an id, except as a label at the end ("approach-a").
        words = [w for k, w in enumerate(words) if w not in _ID_ARTICLES or k == len(words) - 1] or words
        base = ""
        for w in words:
            if base and len(base) + 1 + len(w) > ID_MAX:
                break
            base = f"{base}-{w}" if base else w[:ID_MAX]
        kept = base.split("-") if base else []
        while len(kept) > 1 and kept[-1] in _ID_TAIL_STOPS:
            kept.pop()
        base = "-".join(kept) or "step"
        candidate, n = base, 2
        while candidate in self.used_ids:
            candidate = f"{base}-{n}"
            n += 1
        self.used_ids.add(candidate)
        return candidate

    def kind(self, role: str) -> str:
        r = self.config.roles.get(role)
        return r.kind if r is not None else "make"


# --- text helpers ---------------------------------------------------------


def clean(text: str) -> str:
    return _WS_RE.sub(" ", text).strip().strip(" ,;:.-–—").strip()


def short(text: str, limit: int = TITLE_MAX) -> str:
    """A diagram-friendly title: one line, capitalised, cut at a word boundary."""
    t = clean(text)
    if not t:
        return "Step"
    first = t.split()[0]
    if not any(c.isupper() for c in first[1:]):  # keep names like "gRPC", "iOS", "eBPF"
        t = t[0].upper() + t[1:]
    if len(t) <= limit:
        return t
    cut = t[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


def excerpt(text: str, limit: int = EXCERPT_MAX) -> str:
    t = clean(text)
    return t if len(t) <= limit else t[: limit - 1].rstrip() + "…"


def branch_title(step: TaskStep, verb: str | None = None) -> str:
    """A title for a branch step: its text, with the verb put back when the parser split it off."""
    text = clean(step.text)
    verb = verb or step.verb
    if verb and not text.lower().startswith(verb.lower()[:4]):
        text = f"{verb} {text}"
    return short(text)


_ARTICLE_RE = lazyre.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def branch_object(step: TaskStep) -> str:
    """The thing a branch is about: its text without a leading verb ("check the EU site" -> "EU site")."""
    text = clean(step.text)
    if step.verb:
        m = re.match(rf"(?i)\s*{re.escape(step.verb)}\w*\s+", text)
        if m and len(text) > m.end() + 1:
            text = text[m.end() :]
    return _ARTICLE_RE.sub("", text) or text


# "revise it twice"; "twice as slow" compares, it counts no rounds.
_TWICE_RE = lazyre.compile(r"\b(twice|thrice)\b(?!\s+(?:as|more|the|a|an|per|over|that)\b)", re.IGNORECASE)


def parse_rounds(text: str, maximum: int) -> int | None:
    """Rounds the text asks for ("at most three rounds", "two or three passes", "twice"), capped."""
    best: int | None = None
    for m in _TWICE_RE.finditer(text):
        best = max(best or 0, 2 if m.group(1).lower() == "twice" else 3)
    for m in _ROUNDS_RE.finditer(text):
        values = [g for g in (m.group(1), m.group(2)) if g]
        nums = [int(v) if v.isdigit() else _NUMBERS.get(v.lower(), 0) for v in values]
        if nums and max(nums) > 0:
            best = max(best or 0, max(nums))
    return min(best, maximum) if best is not None else None


def parse_until(text: str) -> str | None:
    m = _UNTIL_RE.search(text)
    return clean(m.group(1)) if m else None


def _text_order(tg: TaskGraph) -> list[TaskStep]:
    index = {s.id: i for i, s in enumerate(tg.steps)}
    order = list(nx.lexicographical_topological_sort(tg.graph, key=lambda n: index.get(n, 0)))
    return [tg.step(i) for i in order if i in index]


_NUMBERED_RE = lazyre.compile(r"^(?P<thing>.*\S)\s+(?P<n>\d+)$")


def _batch(labels: Sequence[str], size: int) -> list[str]:
    """Group ``labels`` into ``size`` batches (round-robin keeps batches even)."""
    groups: list[list[str]] = [[] for _ in range(size)]
    for i, label in enumerate(labels):
        groups[i * size // len(labels)].append(label)
    return [_batch_label(g) for g in groups if g]


def _batch_label(group: Sequence[str]) -> str:
    """"service 1", "service 2", "service 3" -> "services 1-3"; named things are listed."""
    numbered = [_NUMBERED_RE.match(label) for label in group]
    if len(group) > 1 and all(numbered):
        things = {m.group("thing") for m in numbered if m}
        first, last = numbered[0], numbered[-1]
        if len(things) == 1 and first and last:
            thing = things.pop()
            plural = thing if thing.endswith("s") else f"{thing}s"
            joint = " and " if len(group) == 2 else "-"  # "emails 11-20": short enough for an id
            return f"{plural} {first.group('n')}{joint}{last.group('n')}"
    return ", ".join(group)


def _fit(ctx: BuildContext, labels: list[str], room: int, what: str, cap: int | None = None) -> list[str]:
    """Keep at most ``room`` parallel workers, batching the rest (and saying so)."""
    cap = min(room, cap) if cap is not None else room
    if len(labels) <= cap:
        return labels
    ctx.notes.append(
        f"The text names {len(labels)} {what}; they are batched into {cap} {what} "
        f"(limit {cap}) to avoid the over-orchestration anti-pattern."
    )
    return _batch(labels, cap)


def _room(ctx: BuildContext, fixed: int, per_item: int = 1) -> int:
    """How many parallel items fit in --max-agents beside ``fixed`` other steps."""
    if ctx.limit is None:
        return 10**6
    return max(1, (ctx.limit - fixed) // per_item)


def _prompt(ctx: BuildContext, d: Draft, titles: dict[str, str]) -> str:
    if d.depends_on:
        inputs = "the outputs of " + ", ".join(f"'{titles[x]}' ({x})" for x in d.depends_on) + "."
    else:
        inputs = "the task description and whatever it points to (repository, documents, data)."
    lines = [
        f"Objective: {d.objective}",
        f"Overall task: {excerpt(ctx.task)}",
        f"Inputs: {inputs}",
        f"Expected output: {d.output}",
        f"Boundaries: {d.boundaries}",
    ]
    if d.max_rounds is not None:
        lines.append(f"Repeat at most {d.max_rounds} rounds; stop as soon as {d.until}.")
    return "\n".join(lines)


# --- builders -------------------------------------------------------------


def _join_title(ctx: BuildContext, kinds: tuple[str, ...], default: str, cue: str | None = None) -> str:
    """The title of the text's own join step ("write one overview"), else ``default``."""
    members = set(ctx.features.branch_ids)
    pattern = ctx.rules.cues[cue].pattern if cue is not None and cue in ctx.rules.cues else None

    def fits(step: TaskStep) -> bool:
        return ctx.kind(step.role) in kinds or (pattern is not None and bool(pattern.search(step.text)))

    # Prefer a step the parser already placed after the branches (it waits on them) ...
    graph = ctx.tg.graph
    for step in reversed(_text_order(ctx.tg)):
        if step.id not in members and any(p in members for p in graph.predecessors(step.id)) and fits(step):
            return short(step.text)
    # ... else the text's last step after the branches.
    for step in reversed(_text_order(ctx.tg)):
        if step.id in members:
            break
        if fits(step):
            return short(step.text)
    return default


def _use_group(ctx: BuildContext) -> bool:
    """Branches from the parser's group, unless the advisor's own list reads the
    same text more coarsely ("dependencies and build system" as one item)."""
    f = ctx.features
    if len(f.branch_ids) < 2:
        return False
    if len(f.list_items) < 2:
        return True
    if not f.grouped:
        return False
    items = [i.lower() for i in f.list_items]
    texts = [ctx.tg.step(i).text.lower() for i in f.branch_ids]
    coarser = len(items) < len(texts) and all(any(t in i for i in items) for t in texts)
    # The parser may merge two named items into one branch ("RabbitMQ vs NATS"):
    # a longer list whose items cover every branch's words reads the text finer.
    finer = len(items) > len(texts) and all(set(_SLUG_RE.split(t)) & {w for i in items for w in _SLUG_RE.split(i) if w} for t in texts)
    return not (coarser or finer)


def _distinct(labels: Sequence[str]) -> bool:
    return len({label.lower() for label in labels}) == len(labels)


def _labels_or_count(ctx: BuildContext, defaults: Sequence[str], default_n: int, noun: str) -> list[tuple[str, str]]:
    """(label, title) of each parallel worker: the named branches, a stated count, or defaults."""
    tg = ctx.tg
    f = ctx.features
    if _use_group(ctx):
        steps = [tg.step(i) for i in f.branch_ids]
        # One verb governs the whole enumeration ("research A, B and C").
        verb = next((st.verb for st in steps if st.verb), None)
        pairs = [(branch_object(st), branch_title(st, st.verb or verb)) for st in steps]
        if _distinct([p[0] for p in pairs]):
            return pairs
        if len(f.list_items) < 2 and f.stated_count < 2:
            return pairs  # nothing better to name them by
        # "Port our 30 pipelines": one text for every branch; name them by the count below.
    if len(f.list_items) >= 2:
        return [(clean(item), short(item)) for item in f.list_items]
    n = f.stated_count
    if n >= 2:
        return _count_labels(f, noun)
    names = list(defaults[:default_n]) if len(defaults) >= default_n else [f"{noun} {i + 1}" for i in range(default_n)]
    return [(name, short(name)) for name in names]


_OBJECT_END = frozenset(["to", "into", "in", "on", "for", "from", "across", "with", "of", "at", "by", ",", "and", "then"])


def _stage_verb_title(verb: str, text: str, streams: str) -> str:
    """The making stage named by the text's verb and, when it says what is made,
    its object: "Add OpenTelemetry tracing to the services" -> "Add OpenTelemetry
    tracing". An object that is the streams themselves ("our 30 pipelines") or
    longer than three words leaves the verb alone ("Port")."""
    words = re.findall(r"[\w'.+#-]+|,", text)
    if not words or (words[0].lower() != verb.lower() and verb_base(words[0].lower()) != verb):
        return verb.capitalize()
    # "clean up", "set up", "tear down": the particle belongs to the verb
    particle = words[1] if len(words) > 1 and words[1].lower() in ("up", "out", "down", "off", "over") else ""
    head = f"{verb} {particle}".strip()
    obj: list[str] = []
    for w in words[2 if particle else 1 :]:
        if w.lower() in _OBJECT_END:
            break
        obj.append(w)
    thing = [w for w in obj if w.lower() not in ("the", "a", "an", "our", "my", "your", "their")]
    stream_words = {w.lower() for w in streams.split()}
    if not thing or len(thing) > 3 or any(w.lower() in stream_words or w.isdigit() for w in thing):
        return head.capitalize()
    return short(f"{head} {' '.join(obj)}")


def _id_label(label: str) -> str:
    """The part of a stream label that names it in an id: "blog post announcing
    the 2.0 release" -> "blog post" (a description after an -ing word is dropped)."""
    words = label.split()
    cut = next((i for i, w in enumerate(words) if i and w.lower().endswith("ing") and len(w) > 5), len(words))
    return " ".join(words[:cut])


def _count_labels(f: Features, noun: str) -> list[tuple[str, str]]:
    """One (label, title) per counted thing, named after what the text counts:
    "our five mobile apps" -> "mobile app 1" .. "mobile app 5"; "Part 1 of 5" when
    the counted words are not usable as a name."""
    n = f.stated_count
    words = f.counted.split()
    if words and all(w.replace("-", "").isalnum() for w in words):
        thing = " ".join([*words[:-1], _singular(words[-1])])
        return [(f"{thing} {i + 1}", f"{thing[:1].upper()}{thing[1:]} {i + 1}") for i in range(min(n, 10_000))]
    return [(f"{noun.lower()} {i + 1} of {n}", f"{noun} {i + 1} of {n}") for i in range(min(n, 10_000))]


def _fit_pairs(ctx: BuildContext, pairs: list[tuple[str, str]], room: int, what: str, cap: int | None = None) -> list[tuple[str, str]]:
    labels = _fit(ctx, [p[0] for p in pairs], room, what, cap)
    if len(labels) == len(pairs):
        return pairs
    return [(label, short(label)) for label in labels]


def build_fan_out(ctx: BuildContext) -> list[Draft]:
    sec = ctx.section("fan_out")
    pairs = _labels_or_count(ctx, sec.get("default_angles", []), ctx.config.fan_out_default, "Part")
    pairs = _fit_pairs(ctx, pairs, _room(ctx, 1), "branches", ctx.config.fan_out_cap)
    gatherers = []
    for label, title in pairs:
        gatherers.append(
            Draft(
                ctx.new_id(label),
                title,
                "explore",
                (),
                f"Find out everything the task needs about: {clean(label)}.",
                "Concise findings with evidence (file paths, links, figures) and open questions.",
                "Stay within this branch; do not draw conclusions about the other branches.",
            )
        )
    synth_title = _join_title(ctx, ("combine",), str(sec.get("synthesis_title", "Synthesize findings")))
    if ctx.features.flag("joining") and synth_title == sec.get("synthesis_title"):
        last = _text_order(ctx.tg)[-1] if ctx.tg.steps else None
        if last is not None and last.id not in ctx.features.branch_ids and ctx.kind(last.role) in ("combine", "make"):
            synth_title = short(last.text)
        else:
            # The text names the result ("one comparison memo") even when no step says it.
            named = [c for c in ctx.features.cues.get("joining", ()) if c.split()[0] in ("one", "a", "an")]
            if named:
                synth_title = short(f"Combine into {max(named, key=len)}")
    synth = Draft(
        ctx.new_id(synth_title),
        synth_title,
        "synthesize",
        tuple(g.id for g in gatherers),
        "Merge the findings of every branch into one answer to the task.",
        "One coherent result: agreements, differences, gaps, and a clear conclusion.",
        "Use only the branch findings; flag contradictions instead of guessing.",
    )
    return [*gatherers, synth]


_AND_GAP_RE = lazyre.compile(r"\s*,?\s*(?:and|&)\s*\Z", re.IGNORECASE)


def _joined_stages(ctx: BuildContext) -> list[tuple[str, str]]:
    """(title, role) per parser step, with "review and polish" kept as one stage.

    Two bare verbs joined by "and" act on the same thing, so one agent does both
    (the Over-Orchestration anti-pattern: an agent per tiny task).
    """
    text = ctx.tg.text
    stages: list[tuple[str, str, tuple[int, int]]] = []
    for s in _text_order(ctx.tg):
        if stages:
            _, role, (a, b) = stages[-1]
            gap = text[b : s.span[0]] if b <= s.span[0] else "x"
            if _AND_GAP_RE.fullmatch(gap) and len(text[a:b].split()) <= 2:
                stages[-1] = (short(text[a : s.span[1]]), role, (a, s.span[1]))
                continue
        stages.append((short(s.text), s.role, s.span))
    return [(t, r) for t, r, _ in stages]


def build_pipeline(ctx: BuildContext) -> list[Draft]:
    stages = _joined_stages(ctx)
    if len(stages) < 2:
        defaults = ctx.section("pipeline").get("default_stages", [])
        stages = [(str(d["title"]), str(d["role"])) for d in defaults]
    limit = ctx.limit if ctx.limit is not None else 8
    if len(stages) > limit:
        ctx.notes.append(
            f"The text lists {len(stages)} stages; adjacent stages are merged into {limit} agents "
            "so each agent carries a meaningful share of the work."
        )
        while len(stages) > limit:
            # Merge adjacent stages doing the same kind of work first, then a
            # gathering stage into its neighbour; making and judging stay apart
            # as long as possible (one agent should not mark its own work).
            kinds = [ctx.kind(role) for _, role in stages]
            pairs = range(len(stages) - 1)
            i = next((k for k in pairs if kinds[k] == kinds[k + 1]), None)
            if i is None:
                i = next((k for k in pairs if "gather" in kinds[k : k + 2] and "judge" not in kinds[k : k + 2]), None)
            if i is None:
                i = len(stages) - 2
            role = stages[i][1] if kinds[i + 1] == "gather" else stages[i + 1][1]
            stages[i : i + 2] = [(short(f"{stages[i][0].rstrip('…')}; {stages[i + 1][0].rstrip('…')}"), role)]
    out: list[Draft] = []
    for k, (title, role) in enumerate(stages):
        last = k == len(stages) - 1
        out.append(
            Draft(
                ctx.new_id(title),
                title,
                role,
                (out[-1].id,) if out else (),
                f"Stage {k + 1} of {len(stages)}: {title.rstrip('…')}.",
                "The finished result of the task." if last else "A hand-off the next stage can build on directly.",
                "Build on the previous stage's output; do not redo earlier stages or start later ones.",
            )
        )
    return out


_EACH_RE = lazyre.compile(r"\b(?:for each|for every|each|every)\b[,]?\s*", re.IGNORECASE)


def _matches(ctx: BuildContext, cue: str, text: str) -> bool:
    category = ctx.rules.cues.get(cue)
    return category is not None and bool(category.find(text, limit=1))


def _stage_role(verb: str) -> str:

    role = verb_role(verb)
    return role if role in ("design", "draft", "implement", "test", "review", "critique") else "implement"


def _stage_title(title: str) -> str:
    """A one-word stage is a verb, in its base form ("designed" -> "Design")."""
    if " " in title.strip():
        return short(title)
    word = title.lower()
    base = verb_base(word)
    if base == word and word.endswith("ed") and len(word) > 5:
        base = word[:-2]  # a participle the lexicon lacks ("scripted" -> "script")
    return short(base.capitalize())


def _read_role(verb: str, title: str, noun: bool = False) -> str:
    if noun:
        # "copy review", "test run": the head noun (its last word with a role) says the work.
        for word in reversed(re.findall(r"[a-z-]+", title.lower())):
            if verb_role(word) in ("design", "test", "review", "critique"):
                return _stage_role(word)
    # "run the tests": a light verb whose object says the work is testing.
    if verb_role(verb_base(verb.lower())) is None and re.search(r"\btests?\b", title, re.IGNORECASE):
        return "test"
    return _stage_role(verb_base(verb.lower()))


def _tidy_stages(ctx: BuildContext, stages: list[tuple[str, str]], join: str | None, defaults: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each stage once per stream (the parser repeats a per-stream step once per
    stream), never the join itself, and at least two stages when one is left."""
    unique: dict[str, tuple[str, str]] = {}
    for st in stages:
        if join is None or st[0].lower() != join.lower():
            unique.setdefault(st[0].lower(), st)
    out = list(unique.values())
    if len(out) == 1 and len(defaults) >= 2:
        checks = ctx.kind(out[0][1]) == "judge" or out[0][1] == "test"
        if out[0][1] in ("draft", "design"):
            out = [out[0], ("Review", "review")]  # a written piece is checked by a reader, not a test
        else:
            out = [defaults[0], out[0]] if checks else [out[0], defaults[1]]
    return out or stages


def build_parallel_pipelines(ctx: BuildContext) -> list[Draft]:
    sec = ctx.section("parallel_pipelines")
    defaults = [(str(d["title"]), str(d["role"])) for d in sec.get("default_stages", [])]
    max_stages = int(sec.get("max_stages", 3))
    members = set(ctx.features.branch_ids)
    member_roles = [ctx.tg.step(i).role for i in ctx.features.branch_ids]
    stages: list[tuple[str, str]] = []
    list_role = ctx.features.list_role
    first_role = (
        member_roles[0] if member_roles and ctx.kind(member_roles[0]) == "make"
        else list_role if not member_roles and list_role and ctx.kind(list_role) == "make"
        else "implement"
    )
    other_roles = [
        s.role for s in _text_order(ctx.tg) if s.id not in members and ctx.kind(s.role) in ("make", "judge")
    ]
    titles = {"implement": "Build", "design": "Design", "draft": "Write", "test": "Test", "review": "Review", "critique": "Critique"}
    # "Localize the app into 8 languages": the one making verb of the text names
    # the stage better than a generic "Build".
    makers = [st for st in _text_order(ctx.tg) if st.id not in members and ctx.kind(st.role) == "make" and st.verb]
    verbs = {ctx.tg.step(i).verb for i in members} if members else {makers[0].verb} if len(makers) == 1 else set()
    verb = verbs.pop() if len(verbs) == 1 else None
    if verb and verb_role(verb) == first_role:
        streams = " ".join([ctx.features.counted, *ctx.features.list_items, *(ctx.tg.step(i).text for i in members)])
        titles[first_role] = _stage_verb_title(verb, makers[0].text if len(makers) == 1 else "", streams)
    for role in (first_role, *other_roles):
        if role in ("decide", "compare"):
            continue
        if role not in [r for _, r in stages]:
            stages.append((titles.get(role, role.capitalize()), role))
    if "test" not in [r for _, r in stages] and ctx.features.flag("staging") and len(stages) < 2:
        stages.append(("Test", "test"))
    if len(stages) == 1 and stages[0][1] in ("draft", "design"):
        stages.append(("Review", "review"))  # a written piece is checked by a reader, not a test
    if len(stages) < 2:
        # keep the text's own verb for the making stage ("Localize", "Port")
        keep = bool(stages) and bool(defaults) and stages[0][1] == defaults[0][1]
        stages = [stages[0], *defaults[1:]] if keep else list(defaults)
    order = ["design", "draft", "implement", "test", "review", "critique"]
    stages.sort(key=lambda s: order.index(s[1]) if s[1] in order else len(order))
    # When the text spells out each stream's own stages ("for each: back up,
    # upgrade, verify, then switch over"), use them; the last one joins.
    join_text: str | None = None
    spelled = [s for s in _text_order(ctx.tg) if s.id not in members and ctx.kind(s.role) != "combine"]
    if spelled and (len(spelled) >= 3 or _matches(ctx, "integrating", spelled[-1].text)):
        join_text = spelled.pop().text
    named = ctx.features.list_stages
    if named:
        # "the web team builds X while the mobile team builds Y; each team tests its
        # version": every stream goes through the named verbs, then the steps left
        # that do not describe several streams at once.
        items = [i.lower() for i in ctx.features.list_items]
        rest = [s for s in spelled if sum(i in s.text.lower() for i in items) < 2]
        if len(named) + len(rest) >= 2:
            stages = [(verb_base(verb).capitalize(), _stage_role(verb)) for verb in named]
            stages += [(short(_EACH_RE.sub("", s.text)), s.role) for s in rest]
    elif len(spelled) >= 2:
        stages = [(short(_EACH_RE.sub("", s.text)), s.role) for s in spelled]
    stages = stages[:max_stages]
    # "the iOS and Android apps": the last label's plural noun is every label's head.
    labels = shared_head([p[0] for p in _labels_or_count(ctx, [f"Stream {c}" for c in "ABCDEFGH"], ctx.config.fan_out_default, "Stream")])
    # The text's own stage clause ("for each, A, B and C"; "X and Y each have to
    # A, B and C") says what every stream goes through, and often which streams.
    reading = read_streams(ctx.task, verb_checker())
    if reading is not None and (len(reading.stages) >= 2 or reading.nouns):
        # "run the tests": a light verb whose object says the work is testing.
        whole_set = re.compile(str(sec.get("whole_set_regex", r"(?!)")), re.IGNORECASE)
        read_stages = list(reading.stages)
        read_join = reading.join
        last = read_stages[-1].text
        if _matches(ctx, "integrating", last) or _matches(ctx, "joining", last) or whole_set.search(last):
            read_stages.pop()  # "..., then merge them all": the last step joins the streams
            read_join = read_join or last
        lead = reading.lead if reading.lead and verb_role(verb_base(reading.lead.lower())) is not None else None
        if len(read_stages) == 1 and lead and lead.lower() != read_stages[0].verb.lower():
            # "Port A, B and C, each with its own test run": the sentence's verb is the first stage.
            read_stages.insert(0, Stage(lead, lead, lead))
        # One named check ("each with its own review") still gets a making stage before it (below).
        if len(read_stages) >= 2 or (reading.nouns and read_stages and len(reading.labels) >= 2):
            stages = [(_stage_title(st.title), _read_role(st.verb, st.title, reading.nouns)) for st in read_stages][: max(max_stages, len(read_stages))]
            if reading.nouns and lead and not any(r in ("implement", "draft", "design") for _, r in stages):
                # "Build A, B and C, each with its own tests and a review": the making comes first.
                stages.insert(0, (_stage_title(lead), _stage_role(verb_base(lead.lower()))))
            if len(reading.labels) >= 2:
                labels = list(reading.labels)
            elif ctx.features.stated_count >= 2 and not _use_group(ctx):
                # "For each of our five apps, update, test and publish": the count
                # names the streams; a list the text has is the stages, not streams.
                labels = [p[0] for p in _count_labels(ctx.features, "Stream")]
            # Steps the parser saw may be these stages, so only the text's own join is used.
            join_text = read_join
    stages = _tidy_stages(ctx, stages, short(join_text) if join_text else None, defaults)
    if ctx.limit is not None:
        while len(stages) > 1 and len(labels) * len(stages) + 1 > ctx.limit:
            stages.pop()
    labels = _fit(ctx, labels, _room(ctx, 1, len(stages)), "workstreams", ctx.config.fan_out_cap)
    out: list[Draft] = []
    ends: list[str] = []
    for label in labels:
        prev: str | None = None
        for k, (stage, role) in enumerate(stages):
            title = short(f"{stage}: {label}")
            d = Draft(
                ctx.new_id(f"{_id_label(label)} {stage}"),
                title,
                role,
                (prev,) if prev else (),
                f"{stage} stage of the '{clean(label)}' workstream.",
                "The stream's finished, tested part, ready to integrate." if k == len(stages) - 1 else f"Output the '{stages[k + 1][0]}' stage of this stream can take over.",
                "Touch only this workstream; agree interfaces through the task description, not with other streams.",
            )
            out.append(d)
            prev = d.id
        assert prev is not None
        ends.append(prev)
    # Written pieces are brought into line with each other, not wired together.
    writing = all(role in ("draft", "review", "critique") for _, role in stages)
    default_join = str(sec.get("integrate_writing_title" if writing else "integrate_title", "Integrate"))
    title = short(join_text) if join_text else _join_title(ctx, ("combine",), default_join, "integrating")
    out.append(
        Draft(
            ctx.new_id(title),
            title,
            "integrate",
            tuple(ends),
            "Wire the finished workstreams together and make them work as one.",
            "The integrated result, with a note of every interface mismatch found and how it was resolved.",
            "Change stream internals only where integration requires it.",
        )
    )
    return out


def build_scout_build(ctx: BuildContext) -> list[Draft]:
    sec = ctx.section("scout")
    effort = ctx.rules.effort
    defect = ctx.features.flag("defect")
    decide_words = [str(w).lower() for w in sec.get("decide_words", [])]
    verify_verbs = {str(w).lower() for w in sec.get("verify_verbs", [])}
    steps = _text_order(ctx.tg)

    def builds_something(s: TaskStep) -> bool:
        if ctx.kind(s.role) == "make":
            return s.role != "design"
        # The parser may file "make it fast" under another role; the building cue decides.
        return s.role != "decide" and _matches(ctx, "building", s.text) and not _matches(ctx, "exploring", s.text)

    first_make = next((i for i, s in enumerate(steps) if builds_something(s)), len(steps))
    scouts_txt: list[str] = []
    decide_txt: list[str] = []
    for s in steps[:first_make]:
        lowered = s.text.lower()
        if s.role in ("decide", "design", "compare") or any(w in lowered for w in decide_words):
            decide_txt.append(s.text)
        elif ctx.kind(s.role) in ("gather", "judge"):
            scouts_txt.append(s.text)
    builds_txt = [
        s for s in steps[first_make:] if (builds_something(s) or ctx.kind(s.role) == "judge") and s.role != "decide"
    ]
    verify_txt = None
    if builds_txt and (builds_txt[-1].verb or "").lower() in verify_verbs | {"test"} and len(builds_txt) >= 2:
        verify_txt = builds_txt.pop()
    builds_txt = [s for s in builds_txt if builds_something(s)]
    defaults = [str(x) for x in sec.get("defect_scouts" if defect else "explore_scouts", [])]
    scouts = [short(t) for t in scouts_txt]
    # Scouting named in the text comes first; defaults fill the swarm up to its usual size.
    for extra in defaults:
        if len(scouts) >= effort.get("scouts_default", 3):
            break
        scouts.append(extra)
    # Build steps the text orders ("then migrate the callers, then delete the old
    # code") keep that order; the others start together once the decision is made.
    build_after: dict[int, list[int]] = {}
    if builds_txt:
        where = {st.id: k for k, st in enumerate(builds_txt)}
        for k, st in enumerate(builds_txt):
            ancestors = nx.ancestors(ctx.tg.graph, st.id)
            build_after[k] = [where[a] for a in ctx.tg.graph.predecessors(st.id) if a in where] or [
                where[a] for a in sorted(ancestors, key=lambda a: -where.get(a, -1)) if a in where
            ][:1]
        builds = [(short(s.text), "implement" if ctx.kind(s.role) != "make" else s.role) for s in builds_txt]
        if defect and not any(b[1] == "test" for b in builds):
            builds.append((str(sec.get("regression_test_title", "Add a regression test")), "test"))
    else:
        names = [str(x) for x in sec.get("defect_builds" if defect else "explore_builds", [])]
        builds = [(n, "test" if i == len(names) - 1 and len(names) > 1 else "implement") for i, n in enumerate(names)]
    scout_cap = effort.get("scouts_max", 5)
    if ctx.limit is not None:
        while len(builds) > 1 and len(scouts) + len(builds) + 2 > ctx.limit:
            builds.pop()
    scouts = _fit(ctx, scouts, _room(ctx, 2 + len(builds)), "things to scout", scout_cap)
    out = [
        Draft(
            ctx.new_id(s),
            s,
            "scout",
            (),
            f"Scout: {s.rstrip('…')}.",
            "Short findings: what you saw, where (paths, lines, commits), and how sure you are.",
            "Read and run read-only commands only; do not change anything.",
        )
        for s in scouts
    ]
    default_decide = str(sec.get("decide_defect" if defect else "decide_explore", "Decide"))
    decide_title = short(", ".join(clean(t) for t in decide_txt)) if decide_txt else default_decide
    decide = Draft(
        ctx.new_id(decide_title),
        decide_title,
        "decide",
        tuple(s.id for s in out),
        "Weigh the scouts' findings and commit to one approach (for a defect: the root cause and the fix).",
        "A short decision record: the chosen approach, why, and the concrete work for each builder.",
        "Decide from the findings; send scouts back only if a finding is missing.",
    )
    out.append(decide)
    build_ids: list[str] = []
    for k, (title, role) in enumerate(builds):
        after = tuple(build_ids[j] for j in build_after.get(k, []) if j < len(build_ids))
        d = Draft(
            ctx.new_id(title),
            title,
            role,
            after or (decide.id,),
            f"{title.rstrip('…')}, following the decision.",
            "The change itself, with a summary of what was changed and why.",
            "Implement only what the decision asks for.",
        )
        out.append(d)
        build_ids.append(d.id)
    if ctx.limit is None or len(out) < ctx.limit:
        verify_title = short(verify_txt.text) if verify_txt is not None else str(sec.get("verify_title", "Verify and review"))
        out.append(
            Draft(
                ctx.new_id(verify_title),
                verify_title,
                "review",
                tuple(b for b in build_ids if not any(b in o.depends_on for o in out)),
                "Check that the built changes do what the decision intended and nothing else broke.",
                "A verdict (ready / not ready) with the specific problems to fix.",
                "Review and run checks; do not rewrite the work yourself.",
            )
        )
    return out


_KIND_RE = lazyre.compile(
    r"\b(?P<n>a few|a couple of|a handful of|several|some|multiple|many|two|three|four|five|\d{1,2})\s+"
    r"(?:(?:different|alternative|competing|candidate|possible|distinct|rival|separate)\s+)+"
    r"(?P<kind>(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*s)\b",
    re.IGNORECASE,
)


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return f"{word[:-3]}y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


# "5 variations of the headline", "three versions of the intro": the noun says
# they are alternatives without an adjective like "different".
_VARIANT_RE = lazyre.compile(
    r"\b(?P<n>a few|a couple of|several|multiple|two|three|four|five|six|\d{1,2})\s+"
    r"(?P<kind>variations|variants|versions|drafts|takes|mock-?ups|prototypes|layouts|concepts|sketches|designs|proposals)\b",
    re.IGNORECASE,
)


_PAIRED_WAYS_RE = lazyre.compile(
    r"\b(?P<p>with|using|via|in|on)\s+(?P<a>[\w+#.-]+(?:\s+[\w+#.-]+){0,3}?)\s*,?\s+and\s+(?:once\s+)?(?P=p)\s+"
    r"(?P<b>[\w+#.-]+(?:\s+[\w+#.-]+){0,3}?)(?=\s*(?:[,.;:!?]|\band\b|\bthen\b|$))",
    re.IGNORECASE,
)


def _alternatives_phrase(text: str) -> re.Match[str] | None:
    return _KIND_RE.search(text) or _VARIANT_RE.search(text)


def _alternative_kind(text: str, sec: dict[str, Any]) -> str | None:
    """What the alternatives are ("a few different prompt designs" -> "Prompt design"),
    or None when the text only says "ways" or "options" (the defaults read better)."""
    m = _alternatives_phrase(text)
    if m is None:
        return None
    words = m.group("kind").split()
    generic = {str(w).lower() for w in sec.get("generic_kinds", [])}
    if words[-1].lower() in generic:
        return None
    label = " ".join([*words[:-1], _singular(words[-1])])
    return label[:1].upper() + label[1:]


def build_competitive(ctx: BuildContext) -> list[Draft]:
    sec = ctx.section("competitive")
    effort = ctx.rules.effort
    lo, hi = effort.get("compare_min", 2), effort.get("compare_max", 4)
    f = ctx.features
    labels = [branch_object(ctx.tg.step(i)) for i in f.branch_ids] if _use_group(ctx) else []
    if len(labels) < 2 or not _distinct(labels):
        labels = [clean(item) for item in f.list_items] or labels
    if len(labels) < 2 or not _distinct(labels):
        # "two ways, with embeddings and with collaborative filtering": each way named by its own "with"
        m = _PAIRED_WAYS_RE.search(ctx.task)
        if m is not None:
            labels = [clean(m.group("a")), clean(m.group("b"))]
    if len(labels) < 2 or not _distinct(labels):
        # No names, or the same text repeated ("three agents each write their own"):
        # number the approaches, after the kind the text asks for ("prompt designs").
        # "two different prompt designs ... the 50 sample tickets": the count of the
        # alternatives themselves wins over the largest count in the text.
        m = _alternatives_phrase(ctx.task)
        said = m.group("n").lower() if m is not None else ""
        n = int(said) if said.isdigit() else _NUMBERS.get(said, 0)
        n = n or ctx.features.stated_count or len(labels)
        if n > hi:
            ctx.notes.append(
                f"The text asks for {n} alternatives; {hi} compete (compare_max in rules/thresholds.toml): "
                "past that, judging them costs more than the extra options are likely to add."
            )
        n = min(max(n, lo), hi) if n >= 2 else effort.get("compare_default", 3)
        kind = _alternative_kind(ctx.task, sec)
        defaults = [str(x) for x in sec.get("default_approaches", [])]
        labels = [f"{kind} {i + 1}" for i in range(n)] if kind else defaults[:n]
        while len(labels) < n:
            labels.append(f"Approach {len(labels) + 1}")
    labels = _fit(ctx, labels, _room(ctx, 1), "approaches", hi)
    out = [
        Draft(
            ctx.new_id(label, "approach"),
            short(label),
            "design",
            (),
            f"Work out the approach '{clean(label)}' as well as it can be done.",
            "The approach in enough detail to judge: how it works, cost, risks, and where it is weak.",
            "Develop only this approach; do not compare it with the others.",
        )
        for label in labels
    ]
    default = str(sec.get("compare_title", "Compare and recommend"))
    title = _join_title(ctx, ("judge",), default, "choosing")
    last = _text_order(ctx.tg)[-1] if ctx.tg.steps else None
    if title == default and last is not None and last.role == "test" and len(ctx.tg.steps) > 1:
        title = short(last.text)  # "... and A/B test them": testing the variants is how one is chosen
    out.append(
        Draft(
            ctx.new_id(title),
            title,
            "compare",
            tuple(d.id for d in out),
            "Compare the approaches side by side against the task's criteria and recommend one.",
            "A trade-off table, the recommendation, and what would change the recommendation.",
            "Judge the approaches as given; do not invent a new one.",
        )
    )
    # "..., pick one, and then build it": the text's own work on the chosen
    # approach follows the decision, in the text's order.
    order = _text_order(ctx.tg)
    judged = next((k for k, st in enumerate(order) if short(st.text) == title), None)
    if judged is not None:
        for st in order[judged + 1 :]:
            if ctx.limit is not None and len(out) >= ctx.limit:
                break
            if ctx.kind(st.role) != "make":
                continue
            after = short(st.text)
            out.append(
                Draft(
                    ctx.new_id(after),
                    after,
                    st.role,
                    (out[-1].id,),
                    f"{after.rstrip('…')}, following the chosen approach.",
                    "The finished work, built on the approach the comparison chose.",
                    "Build only the chosen approach; the others are set aside.",
                )
            )
    return out


def build_refinement(ctx: BuildContext) -> list[Draft]:
    sec = ctx.section("refinement")
    bounds = ctx.rules.refinement
    rounds = parse_rounds(ctx.task, bounds.get("max_rounds", 5)) or bounds.get("default_rounds", 3)
    until = parse_until(ctx.task) or str(sec.get("default_until", "the reviewer reports no blocking issues"))
    first = next((s for s in _text_order(ctx.tg) if ctx.kind(s.role) == "make"), None)
    role = first.role if first is not None and first.role in ("implement", "draft", "design") else (
        "implement" if ctx.features.flag("building") else "draft"
    )
    # The text's own first making step names the work ("Write the grant proposal").
    draft_title = short(first.text) if first is not None else str(sec.get("draft_title", "Initial version"))
    review_title = str(sec.get("review_title", "Review for issues"))
    revise_title = str(sec.get("revise_title", "Refine"))
    final_title = str(sec.get("final_title", "Final review"))
    # "get it reviewed by the SRE and security teams in parallel, then finalize
    # it": the text's own reviewers check side by side, and its own revising
    # step names the rework.
    order = _text_order(ctx.tg)
    after = order[order.index(first) + 1 :] if first is not None else []
    reviewers = [s for s in after if ctx.kind(s.role) == "judge" and s.group is not None]
    reviewers = [s for s in reviewers if s.group == reviewers[0].group] if len(reviewers) >= 2 else []
    if ctx.limit is not None and ctx.limit < 3 + len(reviewers):
        reviewers = []
    last_review = max((order.index(s) for s in reviewers), default=-1)
    reviser = next((s for s in order[last_review + 1 :] if s.role == role or _matches(ctx, "revising", s.text)), None) if reviewers else None
    if reviser is not None:
        revise_title = short(reviser.text)
    d1 = Draft(ctx.new_id(draft_title), draft_title, role, (), "Produce a complete first version of the work.",
               "A complete first version, with notes on known weak spots.", "Aim for complete, not perfect; the review comes next.")
    checks = [
        Draft(ctx.new_id(f"{st.verb or 'review'} {branch_object(st)}"), short(f"{st.verb or 'review'}: {branch_object(st)}"), "review", (d1.id,),
              f"Review the first version from the point of view of: {branch_object(st)}.",
              "A prioritised list of issues, each with what to change.", "Review only; do not rewrite; other reviewers cover other angles.")
        for st in reviewers
    ] or [
        Draft(ctx.new_id(review_title), review_title, "review", (d1.id,), "Review the first version for defects and gaps.",
              "A prioritised list of issues, each with what to change.", "Review only; do not rewrite.")
    ]
    d2 = Draft(ctx.new_id(revise_title), revise_title, role, tuple(c.id for c in checks), "Revise the work to address the review, round by round.",
               "The revised version and a list of the review points addressed.", "Change what the review asks for; keep what works.",
               max_rounds=rounds, until=until)
    r2 = Draft(ctx.new_id(final_title), final_title, "review", (d2.id,), "Give the refined work a final review and sign-off.",
               "Approve, or list the remaining blocking issues.", "Review only; do not rewrite.")
    if ctx.limit is not None and ctx.limit < 4:
        ctx.notes.append(f"--max-agents {ctx.limit}: drafting and revising share one repeating step before the final review.")
        loop = d1._replace(title=short(f"Draft and {revise_title.lower()}"), objective="Produce the work, then revise it after each self-review round.",
                       max_rounds=rounds, until=until)
        return [loop, r2._replace(depends_on=(loop.id,))]
    return [d1, *checks, d2, r2]


def build_direct(ctx: BuildContext) -> list[Draft]:
    steps = _text_order(ctx.tg)
    role = steps[0].role if len(steps) == 1 else "implement"
    if role not in ctx.config.roles:
        role = "implement"
    title = short(ctx.tg.steps[0].text if len(steps) == 1 else ctx.task)
    return [
        Draft(
            ctx.new_id(title),
            title,
            role,
            (),
            "Do the whole task in one go.",
            "The finished result, with a one-paragraph summary of what was done.",
            "Keep to the task as stated; ask before widening its scope.",
        )
    ]


BUILDERS: dict[str, Callable[[BuildContext], list[Draft]]] = {
    "direct": build_direct,
    "fan-out-fan-in": build_fan_out,
    "pipeline": build_pipeline,
    "parallel-pipelines": build_parallel_pipelines,
    "scout-build": build_scout_build,
    "competitive-evaluation": build_competitive,
    "incremental-refinement": build_refinement,
}


def build_steps(pattern: str, ctx: BuildContext) -> tuple[str, list[Draft], dict[str, str]]:
    """The pattern actually built, its draft steps and the prompt of each (by id)."""
    if ctx.limit is not None and ctx.limit < 2 and pattern != "direct":
        ctx.notes.append(f"--max-agents {ctx.limit} leaves room for one agent, so the work is not split.")
        pattern = "direct"
    drafts = BUILDERS[pattern](ctx)
    titles = {d.id: d.title for d in drafts}
    return pattern, drafts, {d.id: _prompt(ctx, d, titles) for d in drafts}
