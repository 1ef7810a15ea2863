"""Pattern builders: the parsed task, shaped into one pattern's plan.

Every builder starts from the steps the parser read (``TaskGraph``): one unit
per step, carrying the user's words (its span as the objective, its parallel
item in its id and title, its stage order along the parse's dependencies).
The builder then gives those units the pattern's shape: gatherers side by side
and a join (fan-out), streams of stages and an integration (parallel
pipelines), scouts before a decision before the builds (scout-build),
approaches before a comparison (competitive evaluation), a draft, its review
and a revision that sees both (incremental refinement), one path (pipeline),
or one agent (direct). A step the text asks for is never dropped; the only
steps added are the pattern's own structural ones the text leaves out (a
synthesis, a comparison, a decision, a revision), with their wording in
``rules/builders.toml``. Nothing here interprets the task text: the TaskGraph
is the only reader. An item's stage quotes the words at the span the parser's
step readings give it (``_stage_words``), since its ``text`` is the item's name.

Builders return draft steps without tiers; tiers are assigned afterwards by
the tier rules. Prompts are assembled from the wording in ``[prompts]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx

from planner.advise.features import Features
from planner.advise.rules import RuleSet
from planner.advise.stakes import stakes_word
from planner.config import Config

if TYPE_CHECKING:
    from planner.parser.model import Group, TaskGraph, TaskStep

TITLE_MAX = 40
ID_MAX = 32  # long enough to read in a diagram box and a log line, short enough to type
# Determiners and possessives say nothing in an id ("update-its-examples" -> "update-examples").
_ID_ARTICLES = frozenset(["the", "a", "an", "its", "their", "our", "your", "my", "his", "her", "this", "these", "those"])
# An id that ends on one of these reads as cut off mid-phrase ("compare-redis-and").
_ID_TAIL_STOPS = frozenset(["and", "the", "a", "an", "of", "to", "for", "with", "or", "in", "on", "at", "by", "from", "into", "vs", "then"])
EXCERPT_MAX = 400
_EDGE_PUNCT = " \t\r\n,;:.-–—"


class Draft(NamedTuple):
    """A step before its tier is known.

    ``objective`` is the step's work in the task's own words; ``item`` the
    parallel item it covers (with ``others``, how many siblings share the
    work); ``place`` a key of ``[prompts.places]`` saying where the pattern
    put it. ``each_of`` names the step whose JSON list this one runs over
    (a ``for_each``); ``gives_list`` marks a step whose result is that list.
    """

    id: str
    title: str
    role: str
    depends_on: tuple[str, ...]
    objective: str
    item: str | None = None
    others: str = ""
    place: str = ""
    max_rounds: int | None = None
    until: str | None = None
    each_of: str | None = None
    gives_list: bool = False


@dataclass
class BuildContext:
    task: str
    tg: TaskGraph
    features: Features
    config: Config
    rules: RuleSet
    limit: int | None  # --max-agents
    forced: bool = False  # the pattern was asked for (--pattern): its shape wins over the text's
    notes: list[str] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)
    made: int = 0  # structural units made so far (their keys)
    merged: tuple[Group, ...] | None = None  # groups_of(), once computed

    def section(self, name: str) -> dict[str, Any]:
        value = self.rules.builders.get(name, {})
        return dict(value) if isinstance(value, dict) else {}

    def new_id(self, title: str, prefix: str = "") -> str:
        """A unique, valid step id from ``title``: whole words up to ID_MAX
        characters, articles dropped, never ending on a joining word."""
        head = _slug_words(prefix)
        words = _slug_words(title)
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


# --- text helpers (on the parser's fields, never on the task text) ---------


def _slug_words(text: str) -> list[str]:
    out, word = [], []
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def clean(text: str, *, name: bool = False) -> str:
    """One line, no edge punctuation, no leading filler ("so just regenerate it"
    -> "regenerate it"), brackets closed when the span cut one open. An item's
    ``name`` keeps its first words: "just waiting for the stdlib" is an option
    of its own, and "waiting for the stdlib" another (C203)."""
    t = " ".join(text.split()).strip(_EDGE_PUNCT).strip()
    words = t.split(" ")
    lead = frozenset() if name else _lead_words()
    while len(words) > 2 and words[0].lower().strip(",") in lead:
        words.pop(0)
    t = " ".join(words).strip(_EDGE_PUNCT).strip()
    if t.count("(") > t.count(")"):
        t += ")"
    return t


def _lead_words() -> frozenset[str]:
    from planner.advise.rules import load_rules

    # load_rules(()) as suggest calls it: load_rules() is another cache key
    # and would read and compile every rule file a second time.
    value = load_rules(()).builders.get("titles", {}).get("lead_words", [])
    return frozenset(str(v).lower() for v in value)


def _cap(text: str) -> str:
    """First letter upper-cased, unless the first word is a name like "gRPC" or "iOS"."""
    if not text:
        return text
    first = text.split()[0]
    if any(c.isupper() for c in first[1:]):
        return text
    return text[0].upper() + text[1:]


def short(text: str, limit: int = TITLE_MAX, *, name: bool = False) -> str:
    """A diagram-friendly title: one line, capitalised, cut at a word boundary."""
    t = _cap(clean(text, name=name))
    if not t:
        return "Step"
    if len(t) <= limit:
        return t
    cut = t[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


def _fit_words(text: str, room: int) -> str:
    """The longest run of whole leading words of ``text`` within ``room`` characters."""
    out = ""
    for w in text.split():
        if len(out) + len(w) + (1 if out else 0) > room:
            break
        out = f"{out} {w}" if out else w
    return out.rstrip(" ,;:")


def sentence(text: str) -> str:
    """The words as a sentence: cleaned, capitalised, one full stop."""
    t = _cap(clean(text))
    if len(t) > EXCERPT_MAX:
        t = t[: EXCERPT_MAX - 1].rstrip() + "…"
    return t if t.endswith(("?", "!", "…", ".")) else f"{t}."


# --- units: the parsed steps as plan steps ---------------------------------


@dataclass
class Unit:
    """A parsed step (or a structural one) on its way to a Draft."""

    key: str  # the TaskStep id, or a fresh key for a structural step
    title: str
    role: str
    objective: str
    deps: list[str]
    item: str | None = None
    others: str = ""
    place: str = ""
    max_rounds: int | None = None
    until: str | None = None
    each_of: str | None = None
    gives_list: bool = False
    id_hint: str = ""
    phrase: str = ""  # an item step's own words, without the item (see _item_title)
    leans: bool = False  # ... and they point back at the item ("turn it into a chart")
    noun: bool = False  # ... and they are a noun naming the stage ("a data pull"), no verb phrase


def _item_name(item: str) -> str:
    """The item as a name: "one for security" (one of several passes) is "security"."""
    words = item.split()
    for lead in _title_words("item_leads"):
        n = len(lead.split())
        if len(words) > n and " ".join(words[:n]).lower() == lead:
            return " ".join(words[n:])
    return item


def _verb_phrase(step: TaskStep, avoid: Iterable[str], names: Sequence[str] = ()) -> str:
    """The step's verb and what it acts on ("localise the FAQ"); the object is
    left out when it is the list of items itself ("research how A, B and C")."""
    verb = step.verb or ""
    obj = clean(step.object)
    low = obj.lower()
    own = _own_part(obj, names, step.item or "")
    if step.item and len(names) >= 2 and not own:
        # "proofread the three reports" said of each report: one of them, not three.
        counts = {str(len(names)), *(w for w, n in _NUMBER_WORDS.items() if n == len(names))}
        obj = " ".join(w for w in obj.split() if w.lower() not in counts)
        low = obj.lower()
    if own:
        obj = own
    elif obj and (any(a and a.lower() in low for a in avoid) or _names_sibling(obj, avoid, step.item or "")):
        # The verb's particle stays with it ("look at A, B and C" -> "Look at A").
        head = obj.split()[0].lower()
        obj = head if head in _title_words("particles") else ""
    if low in _say_nothing():  # "build each one: auth routes" -> "Build auth routes"
        obj = ""
    return clean(f"{verb} {_drop_pointing_tail(obj)}")


_NUMBER_WORDS = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _own_part(obj: str, names: Iterable[str], own: str) -> str:
    """The object with the list of items in it cut down to this step's own item:
    "whether it is the proxy, the cache or the pool" for the cache is "whether it
    is the cache", "the worksheet for year 7 and for year 8" for year 8 is "the
    worksheet for year 8". The words after the list, up to a comma, stay ("the
    A, B and C modules" is "the B modules"), unless they only count the items
    (``[titles] list_tail_drops``: "both", "each").
    "" when the object does not name this item among its siblings."""
    low, mine = obj.lower(), own.lower()
    listed = [n for n in names if n]
    if not mine or len(listed) < 2:
        return ""
    if all(n.lower() in low for n in listed):
        start = min(low.find(n.lower()) for n in listed)
        end = max(low.find(n.lower()) + len(n) for n in listed)
    elif low.endswith(listed[0].lower()) and not any(n.lower() in low for n in listed[1:]):
        # The parse's object stops at the first item ("whether it is the proxy"): the
        # list starts there.
        start, end = len(low) - len(listed[0]), len(low)
    else:
        # Some of the items only: the list is not the one the items came from.
        return ""
    # Words that belong to no item between the start and the item ("the", "for") stay
    # only in front of the first; the item replaces the whole list.
    before = obj[:start]
    # What follows the list up to the next comma says more of each item ("... and C
    # modules for SQL injection"), unless it only counts them ("both", "each").
    after = obj[end:].split(",")[0].split(";")[0].strip()
    first = after.split()[0].lower().strip(",;:") if after else ""
    tail = f" {after}" if after and first not in _title_words("list_tail_drops") else ""
    if after.startswith(")"):
        tail = after[:1]  # "... (A, B, C)": the bracket closes on this item alone
    # "the three pull requests (A, B, C)": one item's share is no longer three of them.
    counts = {str(len(listed)), *(w for w, n in _NUMBER_WORDS.items() if n == len(listed))}
    kept = [w for w in before.split() if w.lower() not in counts]
    if len(kept) != len(before.split()):
        before = " ".join(kept) + ("" if not kept or before.endswith("(") else " ")
    head = before.split()
    if not tail and head and head[-1].lower() in _title_words("question_words"):
        # "how A, B and C" with the clause's verb left outside the object: "how A"
        # asks nothing, so the question word goes ("Research A"); with the verb
        # inside ("what A, B and C charge") the question stands ("what B charge").
        before = " ".join(head[:-1]) + " " if len(head) > 1 else ""
    return clean(f"{before}{own}{tail}")


def _names_sibling(words: str, names: Iterable[str], own: str) -> bool:
    """``words`` name another item by its leading words ("for es-cluster" beside
    the items es-cluster-a and es-cluster-b): an item's title names no sibling."""
    said = _slug_words(words)
    mine = set(_slug_words(own))
    for name in names:
        if not name or name.lower() == own.lower():
            continue
        head = [w for w in _slug_words(name) if w not in _ID_ARTICLES][:2]
        if len(head) < 2 or set(head) <= mine:
            continue
        if any(said[k : k + 2] == head for k in range(len(said) - 1)):
            return True
    return False


def _noun_stage(ctx: BuildContext, step: TaskStep, avoid: Iterable[str]) -> str:
    """A stage the text names by a noun ("each gets a data pull, a fit and an
    evaluation"), as the parse's readings in ``[titles] noun_stage_readings`` say:
    its verb is the parser's, not the text's, so the noun is its title ("Data
    pull: North", "Fit: North"), not "Pull data pull" or "Make fit"."""
    codes = _title_words("noun_stage_readings")
    tg = ctx.tg
    nouns = [clean(tg.text[f.span[0] : f.span[1]]) for f in tg.fired if f.step == step.id and f.code.lower() in codes]
    noun = max(nouns, key=len, default="")
    if not noun or any(a and a.lower() in noun.lower() for a in avoid):
        return ""
    words = noun.split()
    if len(words) > 1 and words[0].lower() in ("a", "an", "the"):
        noun = " ".join(words[1:])  # "a colour pass" -> "Colour pass: docs"
    return _drop_pointing_tail(noun)


def _drop_pointing_tail(words: str) -> str:
    """"look for savings in each" -> "look for savings": the item is named beside it."""
    for tail in _say_nothing():
        for joint in (" in ", " for ", " of ", " on ", " to ", " with ", " "):
            if words.lower().endswith(f"{joint}{tail}") and len(words) > len(joint) + len(tail):
                words = words[: -len(joint) - len(tail)]
    return words


def _stage_words(ctx: BuildContext, step: TaskStep, avoid: Iterable[str]) -> str:
    """The words the parser read an item's step from, when they say more than the
    item: a stream's stage keeps "turn it into a chart", not just its verb and a
    pronoun. The span is the one the parse's step readings (S1xx) give the step
    (``TaskGraph.fired``); a span naming a sibling item is the clause all items
    share ("separate the vocals from A and B"), and the verb and object say it
    better."""
    tg = ctx.tg
    said = ""
    for f in tg.fired:
        if f.step == step.id and f.code.startswith("S") and f.span != step.span:
            words = clean(tg.text[f.span[0] : f.span[1]])
            said = words if len(words) > len(said) else said
    # The stage starts at its verb: a label before it ("For each one,", "For DPD:") is left out.
    verb = (step.verb or "").lower()
    at = next((k for k, w in enumerate(said.split()) if verb and w.lower().startswith(verb)), None)
    if at is None:
        return ""
    said = clean(" ".join(said.split()[at:]))
    low = said.lower()
    if any(a and a.lower() in low for a in avoid if a.lower() != (step.item or "").lower()):
        return ""
    return _drop_pointing_tail(said)


def _leans(words: str) -> bool:
    """The words point back at the item instead of naming it ("turn it into a chart")."""
    pointing = _title_words("pointing_words")
    return any(w.strip(",.;:'\"").lower() in pointing for w in words.split())


def _say_nothing() -> frozenset[str]:
    return _title_words("empty_objects")


def _title_words(key: str) -> frozenset[str]:
    from planner.advise.rules import load_rules

    value = load_rules(()).builders.get("titles", {}).get(key, [])  # (()): see _lead_words
    return frozenset(str(v).lower() for v in value)


def _item_title(phrase: str, item: str, leans: bool = False, noun: bool = False) -> str:
    """"Localise the FAQ: Korean"; the item always survives the length cap.
    Words that point back at the item follow it ("costs.xlsx: turn it into a
    chart"), so the pronoun reads after what it stands for."""
    item = clean(item, name=True)
    if not phrase:
        return short(item, name=True)
    if item.lower() in phrase.lower():
        if len(phrase) <= TITLE_MAX:
            return _cap(phrase)  # "fix the tests in auth" names its item already
        head = _whole_head(phrase, TITLE_MAX)
        if head and item.lower() in head.lower():
            return _cap(head)  # "review the auth modules | for SQL injection"
    if leans:
        if len(phrase) + 2 + len(item) <= TITLE_MAX:
            return f"{item}: {phrase}"
        room = TITLE_MAX - 3 - len(item)
        tail = _fit_words(phrase, room) if room >= 6 else ""
        return f"{item}: {tail}…" if tail else short(item, name=True)
    if _bare(phrase) and not noun:  # a bare verb reads as one phrase with its item: "Research Redis"
        return _item_title_bare(phrase, item)
    # What follows a colon in the step's words is a list or a detail ("from four
    # angles: by region ..."): the title keeps the words before it.
    head_words, colon, _ = phrase.partition(":")
    if colon and head_words.strip():
        phrase = clean(head_words)
    if len(phrase) + 2 + len(item) <= TITLE_MAX:
        return _cap(f"{phrase}: {item}")
    # Too long: the verb phrase is shortened, never the item, and only where a
    # phrase ends ("check how it works", not "check how it works with our").
    room = TITLE_MAX - 2 - len(item)
    head = _whole_head(phrase, room) if not noun else ""
    if head:
        return _cap(f"{head}: {item}")
    if noun:
        return short(item, name=True) if len(item) + 2 >= TITLE_MAX else _cap(f"{_fit_words(phrase, room)}…: {item}") if room >= 8 else short(item, name=True)
    return _item_title_bare(_verb_head(phrase), item)


def _whole_head(phrase: str, room: int) -> str:
    """The longest run of leading words of ``phrase`` within ``room`` characters
    that stops where a phrase ends: before a joining word (``[titles] cut_before``),
    two words at least (a verb and what it acts on)."""
    words = phrase.split()
    cuts = _title_words("cut_before")
    best = ""
    for k in range(2, len(words)):
        if words[k].lower().strip(",;:()") not in cuts and not words[k - 1].endswith((",", ";")):
            continue
        head = " ".join(words[:k]).rstrip(",;: ")
        if len(head) > room:
            break
        if words[k - 1].lower() not in _ID_TAIL_STOPS:
            best = head
    return best


def _verb_head(phrase: str) -> str:
    """The verb of ``phrase`` with its particle ("look at", "go through"): what a
    title keeps of the words when no whole phrase of them fits beside the item."""
    words = phrase.split()
    if len(words) >= 2 and words[1].lower() in _title_words("particles"):
        return " ".join(words[:2])
    return words[0] if words else ""


def _bare(phrase: str) -> bool:
    """A verb alone, or with its particle ("look at"): it reads as one phrase with the item."""
    words = phrase.split()
    return len(words) == 1 or (len(words) == 2 and words[1].lower() in _title_words("particles"))


def _item_title_bare(verb: str, item: str) -> str:
    if len(verb) + 1 + len(item) <= TITLE_MAX:
        return _cap(f"{verb} {item}")
    return short(item, name=True)


def _item_objective(phrase: str, item: str, leans: bool = False, noun: bool = False) -> str:
    if not phrase:
        return sentence(item)
    if item.lower() in phrase.lower():
        return sentence(phrase)
    if leans:  # the item's name as written: "costs.xlsx", not "Costs.xlsx"
        return f"{clean(item, name=True)}: {_lower(sentence(phrase))}"
    if _bare(phrase) and not noun:
        return sentence(f"{phrase} {clean(item, name=True)}")
    return sentence(f"{phrase} ({clean(item, name=True)})")


def groups_of(ctx: BuildContext) -> tuple[Group, ...]:
    """The parse's parallel groups, with groups naming the same items merged
    into streams: "audit A, B and C, then look for savings in each" gives
    each item its own stream of two stages, in the text's order."""
    from dataclasses import replace

    if ctx.merged is not None:
        return ctx.merged
    tg = ctx.tg
    index = {s.id: i for i, s in enumerate(tg.steps)}
    families: dict[tuple[str, ...], list[Group]] = {}
    collective = {g.id for g in _collective_groups(ctx)}
    for g in tg.parallel:
        # A joining verb spread over the items ("merge both into the CMS") joins them; it is no stage.
        if len(g.names) >= 2 and len(g.steps) == len(g.names) and ctx.kind(g.role) != "combine" and g.id not in collective:
            families.setdefault(tuple(sorted(n.lower() for n in g.names)), []).append(g)
    merged: dict[str, Group] = {}
    dropped: set[str] = set()
    for family in families.values():
        if len(family) < 2:
            continue
        family.sort(key=lambda g: min(index.get(k, 0) for k in g.steps))
        first = family[0]
        chains = []
        for name in first.names:
            chain: list[str] = []
            for g in family:
                at = [n.lower() for n in g.names].index(name.lower())
                chain.extend(g.stages[at] if g.stages else (g.steps[at],))
            chains.append(tuple(chain))
        merged[first.id] = replace(first, kind="streams", steps=tuple(c[0] for c in chains), stages=tuple(chains))
        dropped.update(g.id for g in family[1:])
    ctx.merged = tuple(merged.get(g.id, g) for g in tg.parallel if g.id not in dropped and g.id not in collective)
    return ctx.merged


def _collective_groups(ctx: BuildContext) -> list[Group]:
    """Groups of one step per item, said after other work on the same items, whose
    object takes all the items at once ("..., then test all three", "email both to
    the client": ``[titles] collective_objects``): one step over every item, after
    their work, not one more stage per item ("Test all three: BCA" asks nothing one
    agent can do alone). A first group is never one: "review both drafts" there is
    the work on each."""
    tg = ctx.tg
    words = _title_words("collective_objects")
    index = {s.id: i for i, s in enumerate(tg.steps)}
    steps = {s.id: s for s in tg.steps}
    out: list[Group] = []
    for g in tg.parallel:
        if len(g.names) < 2 or len(g.steps) != len(g.names) or g.stages:
            continue
        said = [(steps[k].object or "").lower().split()[:1] for k in g.steps if k in steps]
        if not said or any(s_[:1] != said[0] or not s_ or s_[0] not in words for s_ in said):
            continue
        names = sorted(n.lower() for n in g.names)
        start = min(index.get(k, 0) for k in g.steps)
        earlier = any(
            o is not g and sorted(n.lower() for n in o.names) == names and min(index.get(k, 0) for k in o.steps or ("",)) < start
            for o in tg.parallel if o.steps
        )
        if earlier:
            out.append(g)
    return out


def _collapse_collective(ctx: BuildContext, units: list[Unit]) -> None:
    """Each collective group (``_collective_groups``) as one step after the work on
    every item: the text's verb and object ("Test all three"), waiting for each
    item's last step."""
    by_key = _by_key(units)
    for g in _collective_groups(ctx):
        mine = [by_key[k] for k in g.steps if k in by_key]
        if len(mine) < 2:
            continue
        st = ctx.tg.step(mine[0].key)
        keys = {u.key for u in mine}
        same = [o for o in groups_of(ctx) if sorted(n.lower() for n in o.names) == sorted(n.lower() for n in g.names)]
        ends = [k for o in same for k in _ends(units, _group_keys(o) & set(by_key))]
        # The words the parse read the step from, when they say more ("test all three with a student login").
        said = clean(f"{st.verb or ''} {st.object}")
        spoken = _stage_words(ctx, st, ())
        if len(spoken) > len(said) and st.object and st.object.lower() in spoken.lower():
            said = spoken
        join = Unit(
            mine[0].key, short(said), st.role, sentence(said),
            list(dict.fromkeys([*ends, *(d for u in mine for d in u.deps if d not in keys)])),
            id_hint=said,
        )
        at = units.index(mine[0])
        for u in mine:
            units.remove(u)
        units.insert(at, join)
        for u in units:
            if u is not join:
                u.deps = list(dict.fromkeys(join.key if d in keys else d for d in u.deps))


def _group_of(ctx: BuildContext, step: TaskStep) -> Group | None:
    for g in groups_of(ctx):
        if step.id in g.steps or any(step.id in s for s in g.stages) or (step.group and g.id == step.group):
            return g
    return None


def _others(group: Group | None, item: str) -> str:
    if group is None:
        return ""
    n = max(len(group.names), group.count) - 1
    if n < 1:
        return ""
    noun = clean(group.counted) if group.counted else ("item" if n == 1 else "items")
    if n == 1 and noun.endswith("s") and group.counted:
        noun = noun[:-1]
    return noun if n == 1 else f"{n} {noun}"  # "the other item", not "the other 1 item"


def text_order(tg: TaskGraph) -> list[TaskStep]:
    index = {s.id: i for i, s in enumerate(tg.steps)}
    order = list(nx.lexicographical_topological_sort(tg.graph, key=lambda n: index.get(n, 0)))
    return [tg.step(i) for i in order if i in index]


def _handed_over(tg: TaskGraph) -> set[str]:
    """Steps the text hands an earlier step's result to ("fix it", "the translated text": O304, O305)."""
    return {st.id for st in tg.steps if {"O304", "O305"} & set(st.cues)}


def _ordered_outright(tg: TaskGraph) -> set[str]:
    """Steps a clause or a list puts after other work ("after X, Y", "before Y, X", a
    numbered list: O302, O303, O310). A bare "then" (O301) is left out: after "scout
    first - read X, look at Y" it is as often the order of the telling as of the work."""
    return {st.id for st in tg.steps if {"O302", "O303", "O310"} & set(st.cues)}


_PARTICLES = frozenset({"out", "up", "down", "over", "through"})


def _asks(ctx: BuildContext, u: Unit, question: tuple[str, ...]) -> bool:
    """The parsed step's object opens with one of ``question`` ("what changed", "which is best")."""
    if u.key not in {st.id for st in ctx.tg.steps}:
        return False
    st = ctx.tg.step(u.key)
    said = (st.object or "").lower().split()
    words = clean(st.text).lower().split()
    if not said and st.item is None and words and st.verb and words[0].startswith(st.verb.lower()):
        said = words[1:]  # no object read ("work out whether it's X"): the step's words after its verb
    elif not said and st.item is None and words and words[0] in question:
        said = words  # a question with no verb of its own ("Which is best for us?")
    while said and said[0] in _PARTICLES:
        said.pop(0)  # "work out which one": the object after the verb's particle
    # "what's going on", "where’s it stuck": the question word with its verb written on
    return bool(said) and re.split(r"['’]", said[0])[0] in question


# Words before an object's noun that do not name it ("the root cause", "its likely culprit").
_ANSWER_LEADS = frozenset({"the", "a", "an", "its", "their", "this", "that", "any", "root", "real", "likely", "most", "probable", "main", "actual", "underlying", "common"})


def _answers(ctx: BuildContext, u: Unit, nouns: frozenset[str]) -> bool:
    """The parsed step's object names the answer the looking is for ("find the cause",
    "track down the culprit commit"): its first word past the leads is one of ``nouns``."""
    if not nouns or u.item is not None or u.key not in {st.id for st in ctx.tg.steps}:
        return False
    said = [w.strip(",.;:'\"") for w in (ctx.tg.step(u.key).object or "").lower().split()]
    while said and (said[0] in _PARTICLES or said[0] in _ANSWER_LEADS):
        said.pop(0)
    return bool(said) and any(said[0] in (n, n + "s") for n in nouns)


def _verbs(tg: TaskGraph) -> dict[str, str]:
    """Each parsed step's verb, lower-cased ("" when it has none)."""
    return {st.id: (st.verb or "").lower() for st in tg.steps}


def units_from_parse(ctx: BuildContext) -> list[Unit]:
    """One unit per parsed step, in dependency-respecting text order."""
    tg = ctx.tg
    out: list[Unit] = []
    for st in text_order(tg):
        group = _group_of(ctx, st)
        avoid = [*(group.names if group else ()), *([group.counted] if group and group.counted else [])]
        if st.item:
            words = _stage_words(ctx, st, avoid)
            noun = "" if words else _noun_stage(ctx, st, avoid)
            phrase = words or noun or _verb_phrase(st, avoid, group.names if group else ())
            leans = bool(words) and _leans(words)
            name = _item_name(st.item)
            if name != st.item and phrase.lower().endswith(st.item.lower()):
                phrase = clean(phrase[: -len(st.item)])
            unit = Unit(
                st.id,
                _item_title(phrase, name, leans, noun=bool(noun)),
                st.role,
                _relayed(ctx, st, phrase, name) or _item_objective(phrase, name, leans, noun=bool(noun)),
                list(tg.depends_on(st.id)),
                item=clean(name, name=True),
                others=_others(group, st.item),
                place="branch",
                id_hint=f"{noun or st.verb or ''} {name}",
                phrase=phrase,
                leans=leans,
                noun=bool(noun),
            )
        else:
            unit = Unit(st.id, short(st.text), st.role, _objective(ctx, st), list(tg.depends_on(st.id)))
        out.append(unit)
    _chain_streams(ctx, out)
    _same_work_same_role(ctx, out)
    _collapse_collective(ctx, out)
    return out


def _same_work_same_role(ctx: BuildContext, units: list[Unit]) -> None:
    """One role for the same work done per item: the steps of one stage, one per
    item, with the same verb ("build a quick version of each") are the same
    work, though the parse read each item's words on its own and may have given
    them different roles (one a build, one a look). Left so, the siblings sit at
    different stages of the lifecycle, as if one needed the other (PL113), and
    the items are not done alike. The role most of them have wins; on a tie,
    the first item's (the text's order)."""
    by_key = _by_key(units)
    steps = {st.id: st for st in ctx.tg.steps}
    for g in groups_of(ctx):
        if g.stages and len({len(c) for c in g.stages}) != 1:
            continue
        columns = zip(*g.stages, strict=True) if g.stages else [g.steps]
        for column in columns:
            same = [by_key[k] for k in column if k in by_key]
            verbs = {(steps[u.key].verb or "").lower() if u.key in steps else "" for u in same}
            if len(same) < 2 or len(verbs) != 1 or "" in verbs:
                continue
            roles = [u.role for u in same]
            if len(set(roles)) == 1:
                continue
            role = max(dict.fromkeys(roles), key=roles.count)  # ties: the first item's
            for u in same:
                u.role = role


def _chain_streams(ctx: BuildContext, units: list[Unit]) -> None:
    """Each stream's stages one after another, and no stage waiting on another
    stream's: the stages of a merged family follow their item, not the group."""
    by_key = _by_key(units)
    for g in groups_of(ctx):
        if not g.stages or g in ctx.tg.parallel:
            continue
        keys = _group_keys(g)
        for chain in g.stages:
            for k, key in enumerate(chain):
                u = by_key.get(key)
                if u is None:
                    continue
                u.deps = [d for d in u.deps if d not in keys] + ([chain[k - 1]] if k else [])


def _objective(ctx: BuildContext, st: TaskStep) -> str:
    """The step's own words as its objective; a question is something to find
    out, and work handed to someone else ("have the platform lead review it")
    is done by this agent in that role."""
    words = ctx.section("prompts")
    said = clean(st.text)
    if said.endswith("?"):
        return str(words.get("question", "{words}")).format(words=_lower(said))
    return _relayed(ctx, st, said, None) or sentence(said)


def _relayed(ctx: BuildContext, st: TaskStep, said: str, item: str | None, role: str | None = None) -> str | None:
    words = ctx.section("prompts")
    relay = {str(v) for v in words.get("relay_verbs", [])}
    action = words.get("relay_roles", {}).get(role or st.role)
    if (st.verb or "").lower() not in relay or not action:
        return None
    if item is not None:
        action = f"{action} ({clean(item)})"
    return str(words.get("relay", "{words}")).format(action=action, words=said)


def _by_key(units: Sequence[Unit]) -> dict[str, Unit]:
    return {u.key: u for u in units}


def _successors(units: Sequence[Unit], key: str) -> list[Unit]:
    return [u for u in units if key in u.deps]


def _ends(units: Sequence[Unit], keys: set[str]) -> list[str]:
    """The members of ``keys`` no other member depends on (a stream's last stage)."""
    used = {d for u in units if u.key in keys for d in u.deps}
    return [u.key for u in units if u.key in keys and u.key not in used]


def _fresh(ctx: BuildContext, title: str) -> str:
    ctx.made += 1
    return f"_{ctx.made}_{title}"  # a unit key no parsed step id can take (ids never start with "_")


def _add_join(
    ctx: BuildContext,
    units: list[Unit],
    members: set[str],
    kinds: tuple[str, ...],
    make: Callable[[list[str]], Unit],
    own: Unit | None = None,
) -> Unit:
    """Join the ends of ``members``: the text's own step after them when it
    fits ``kinds`` (it then waits for every end), or ``own``, the text's step
    already known to join them; else a new step from ``make``.
    Steps that waited on a member now wait on the join."""
    ends = _ends(units, members)
    after = [u for u in units if u.key not in members and any(d in members for d in u.deps)]
    join = own or next((u for u in after if ctx.kind(u.role) in kinds or text_join(ctx, u)), None)
    if join is None:
        join = make(ends)
        at = max((i for i, u in enumerate(units) if u.key in members), default=len(units) - 1) + 1
        units.insert(at, join)
    join.deps = list(dict.fromkeys([*(d for d in join.deps if d not in members), *ends]))
    feeding = _ancestors(units, join.key)  # steps the join waits for cannot wait for it
    for u in units:
        if u is not join and u.key not in members and u.key not in feeding and any(d in members for d in u.deps):
            u.deps = list(dict.fromkeys(join.key if d in members else d for d in u.deps))
    return join


def text_join(ctx: BuildContext, u: Unit) -> bool:
    """C201: the parse read ``u``'s step as combining the parallel work (``[joins]
    text_join_readings``): it is the join, in the text's own words and role."""
    if u.item is not None or u.key.startswith("_"):
        return False
    wanted = {str(c) for c in ctx.section("joins").get("text_join_readings", [])}
    st = next((s for s in ctx.tg.steps if s.id == u.key), None)
    return st is not None and bool(wanted & set(st.cues))


def _waits_for_parallel(ctx: BuildContext, units: list[Unit], members: set[str], kinds: Iterable[str]) -> None:
    """A step the text asks for after the parallel work ("then one table", "and a
    decision on the numbers", "tell me which") that the parse left needing nothing,
    or only some of that work, combines what the parallel steps found: it waits
    for each of them (their last steps) instead of starting beside them. It combines them when its role
    is of one of ``kinds`` (``[joins] after_parallel_kinds``) or the parse read
    joining words in it (its ``joining`` cues); other work the text adds
    afterwards ("use the card ending 42") keeps starting on its own."""
    if len(members) < 2:
        return
    at = [i for i, u in enumerate(units) if u.key in members]
    if not at:
        return
    steps = {st.id: st for st in ctx.tg.steps}
    joining = [c.lower() for c in ctx.tg.cues.get("joining", ())]
    wanted = set(kinds)
    ends = _ends(units, members)
    for u in units[max(at) + 1 :]:
        # Needing nothing, or some of the parallel steps and nothing else (the parse
        # saw it read several of them, not all): one parallel step alone is that
        # step's own follow-up.
        if u.key in members or u.item is not None or len(u.deps) == 1 or any(d not in members for d in u.deps):
            continue
        st = steps.get(u.key)
        said = " ".join(st.text.lower().split()) if st is not None else ""
        if ctx.kind(u.role) in wanted or (said and any(c in said for c in joining)) or text_join(ctx, u):
            u.deps = list(ends)


def _after_parallel(ctx: BuildContext) -> tuple[str, ...]:
    return tuple(str(k) for k in ctx.section("joins").get("after_parallel_kinds", []))


def _ancestors(units: Sequence[Unit], key: str) -> set[str]:
    deps = {u.key: u.deps for u in units}
    seen: set[str] = set()
    stack = list(deps.get(key, []))
    while stack:
        k = stack.pop()
        if k not in seen:
            seen.add(k)
            stack.extend(deps.get(k, []))
    return seen


def _reduce(units: list[Unit]) -> None:
    """Keep only direct needs: a dependency already reached through another one is dropped."""
    g = nx.DiGraph()
    g.add_nodes_from(u.key for u in units)
    g.add_edges_from((d, u.key) for u in units for d in u.deps if d in g)
    if not nx.is_directed_acyclic_graph(g):
        return
    kept = set(nx.transitive_reduction(g).edges)
    for u in units:
        u.deps = [d for d in u.deps if (d, u.key) in kept]


def _see_through_judges(ctx: BuildContext, units: list[Unit]) -> None:
    """A verdict is not the work: a step that makes something after a review
    also receives what was reviewed ("translate, have it checked, then build
    the page": the build needs the translation and the review of it)."""
    by_key = _by_key(units)
    for u in units:
        if ctx.kind(u.role) not in ("make", "combine"):
            continue
        # A step that meets several items' streams waits for each stream's last
        # stage: the text's own join says what it takes from them ("combine the
        # scores"), and the stages before are that stream's own business. The
        # pattern's own join ("bring the finished workstreams together") needs the
        # checked work as well: a reviewer returns a verdict, never the work.
        meets = len({by_key[d].item for d in u.deps if d in by_key and by_key[d].item is not None}) >= 2
        own = not u.key.startswith("_")
        extra = [
            d2
            for d in u.deps
            if d in by_key and ctx.kind(by_key[d].role) == "judge"
            and not (meets and own and u.item is None and by_key[d].item is not None)
            for d2 in by_key[d].deps
            if d2 in by_key and ctx.kind(by_key[d2].role) == "make"
        ]
        if extra:
            u.deps = list(dict.fromkeys([*extra, *u.deps]))


def _close_gatherers(ctx: BuildContext, units: list[Unit]) -> None:
    """Parallel gatherers whose findings nobody combines are wasted (the
    fan-out-without-fan-in anti-pattern): the first step after them reads them
    all, or, with none after them, a synthesis step is added."""
    by_deps: dict[tuple[str, ...], list[Unit]] = {}
    for u in units:
        by_deps.setdefault(tuple(sorted(u.deps)), []).append(u)
    g = nx.DiGraph()
    g.add_nodes_from(u.key for u in units)
    g.add_edges_from((d, u.key) for u in units for d in u.deps)
    for members in by_deps.values():
        if len(members) < 2 or not all(ctx.kind(u.role) == "gather" for u in members):
            continue
        keys = {u.key for u in members}
        reach = [nx.descendants(g, k) for k in keys]
        if any(sum(x in r for r in reach) >= 2 for x in g.nodes):
            continue
        later = [u for u in units if u.key not in keys and any(d in keys for d in u.deps)]
        if later:
            join = later[0]
            join.deps = list(dict.fromkeys([*join.deps, *(k for k in keys if join.key not in nx.ancestors(g, k))]))
        else:
            title = str(ctx.section("fan_out").get("synthesis_title", "Synthesize findings"))
            join = _structural(ctx, title, "synthesize", _says(ctx, "combine_findings"), [u.key for u in members])
            units.insert(max(units.index(m) for m in members) + 1, join)
        g.add_edges_from((d, join.key) for d in join.deps)


def _acyclic(units: list[Unit]) -> None:
    """Drop any dependency that would close a cycle (on a later step in the list):
    a safety net under the rewiring, so a plan always runs."""
    keys = {u.key for u in units}
    for u in units:
        u.deps = [d for d in dict.fromkeys(u.deps) if d in keys and d != u.key]
    g = nx.DiGraph()
    g.add_nodes_from(keys)
    g.add_edges_from((d, u.key) for u in units for d in u.deps)
    if nx.is_directed_acyclic_graph(g):
        return
    where = {u.key: i for i, u in enumerate(units)}
    for u in units:
        u.deps = [d for d in u.deps if where[d] < where[u.key]]


def _widest(ctx: BuildContext, kinds: tuple[str, ...] = ("items", "streams", "approaches")) -> Group | None:
    every = groups_of(ctx)
    groups = [g for g in every if g.kind in kinds and len(g.steps) >= 2]
    return max(groups, key=lambda g: (len(g.steps), -every.index(g)), default=None)


def _group_keys(group: Group) -> set[str]:
    keys = set(group.steps)
    for stream in group.stages:
        keys.update(stream)
    return keys


# --- fitting to --max-agents and the fan-out cap ---------------------------


def _batch_group(ctx: BuildContext, units: list[Unit], group: Group, cap: int, what: str) -> set[str]:
    """More items than ``cap``: items share agents, ``cap`` batches of them (and
    say so). Returns the keys of the group's units afterwards."""
    names = [clean(n) for n in group.names] or [
        clean(u.item or "") for u in units if u.key in group.steps
    ]
    total = max(len(group.steps), len(names))
    if total <= cap or cap < 1:
        return _group_keys(group) & set(_by_key(units))
    ctx.notes.append(
        f"The text names {total} {what}; they are batched into {cap} {what} "
        f"(limit {cap}) to avoid the over-orchestration anti-pattern."
    )
    streams = [list(s) for s in group.stages] or [[s] for s in group.steps]
    # Past the parser's step cap the group keeps the names only: theirs is the same work.
    streams += [streams[-1]] * (len(names) - len(streams))
    batches: list[list[int]] = [[] for _ in range(cap)]
    for i in range(len(streams)):
        batches[i * cap // len(streams)].append(i)
    keys = _group_keys(group)
    by_key = _by_key(units)
    new: list[Unit] = []
    renamed: dict[str, str] = {}
    for batch in batches:
        label = _batch_label([names[i] if i < len(names) else f"part {i + 1}" for i in batch])
        first = streams[batch[0]]
        prev: str | None = None
        for depth, key in enumerate(first):
            u = by_key[key]
            deps = [d for d in u.deps if d not in keys]
            phrase = u.phrase
            nu = Unit(
                _fresh(ctx, f"{label}{depth}"),
                _item_title(phrase, label, u.leans, noun=u.noun),
                u.role,
                _item_objective(phrase, label, u.leans, noun=u.noun),
                [*deps, *([prev] if prev else [])],
                item=label,
                others=f"{total - len(batch)} items",
                place=u.place,
                id_hint=f"{phrase.split()[0] if phrase else ''} {label}",
                phrase=phrase,
                leans=u.leans,
                noun=u.noun,
            )
            new.append(nu)
            for i in batch:
                if depth < len(streams[i]):
                    renamed[streams[i][depth]] = nu.key
            prev = nu.key
    at = min(i for i, u in enumerate(units) if u.key in keys)
    rest = [u for u in units if u.key not in keys]
    for u in rest:
        u.deps = list(dict.fromkeys(renamed.get(d, d) for d in u.deps))
    units[:] = rest[:at] + new + rest[at:]
    return {u.key for u in new}


def _batch_label(group: Sequence[str]) -> str:
    """"service 1", "service 2", "service 3" -> "services 1-3"; named things are listed."""
    parts = [g.rsplit(" ", 1) for g in group]
    if len(group) > 1 and all(len(p) == 2 and p[1].isdigit() for p in parts) and len({p[0] for p in parts}) == 1:
        thing = parts[0][0]
        plural = thing if thing.endswith("s") else f"{thing}s"
        joint = " and " if len(group) == 2 else "-"
        return f"{plural} {parts[0][1]}{joint}{parts[-1][1]}"
    return ", ".join(group)


def _merge_chain(ctx: BuildContext, units: list[Unit]) -> bool:
    """Merge one pair of steps where the second only waits for the first (same
    kind of work first; a judge is merged last: no one should mark their own work)."""
    succ: dict[str, list[Unit]] = {u.key: [] for u in units}
    for u in units:
        for d in u.deps:
            if d in succ:
                succ[d].append(u)
    pairs = [
        (a, succ[a.key][0])
        for a in units
        if len(succ[a.key]) == 1 and succ[a.key][0].deps == [a.key] and succ[a.key][0].item == a.item
    ]
    if not pairs:
        return False

    def cost(p: tuple[Unit, Unit]) -> int:
        ka, kb = ctx.kind(p[0].role), ctx.kind(p[1].role)
        return 0 if ka == kb else 2 if "judge" in (ka, kb) else 1

    # A maker never marks its own work: a judge is not merged into another kind.
    pairs = [p for p in pairs if cost(p) < 2]
    if not pairs:
        return False
    a, b = min(pairs, key=cost)
    a.title = short(f"{a.title.rstrip('…')}, then {b.title[:1].lower()}{b.title[1:].rstrip('…')}")
    a.objective = f"{a.objective} Then: {b.objective}"
    a.role = b.role if ctx.kind(a.role) == "gather" else a.role
    a.max_rounds, a.until = a.max_rounds or b.max_rounds, a.until or b.until
    for u in units:
        u.deps = list(dict.fromkeys(a.key if d == b.key else d for d in u.deps if not (u is a and d == b.key)))
    units.remove(b)
    return True


def _fit_limit(ctx: BuildContext, units: list[Unit], fixed: int = 0) -> None:
    """Keep at most --max-agents steps: batch the widest group, then merge chains."""
    limit = ctx.limit
    if limit is None or len(units) <= limit:
        return
    group = _widest(ctx)
    if group is not None and all(k in _by_key(units) for k in group.steps):
        per = max(1, max((len(s) for s in group.stages), default=1))
        outside = len(units) - len(_group_keys(group) & set(_by_key(units)))
        room = max(1, (limit - outside) // per)
        _batch_group(ctx, units, group, room, "parallel items")
    before = len(units)
    while len(units) > limit and _merge_chain(ctx, units):
        pass
    reviser = next((u for u in units if u.place == "revise"), None)
    if len(units) > limit and reviser is not None:
        # Too few agents for a separate rework: the first version revises
        # itself round by round, and the review checks the result.
        draft = next((u for u in units if u.key in reviser.deps and ctx.kind(u.role) == "make"), None)
        if draft is not None:
            draft.max_rounds, draft.until, draft.place = reviser.max_rounds, reviser.until, "revise"
            draft.objective = f"{draft.objective} {ctx.section('prompts').get('self_revise', '')}".strip()
            units.remove(reviser)
            for u in units:
                if u is not draft:
                    u.deps = list(dict.fromkeys(draft.key if d == reviser.key else d for d in u.deps))
            # A review that only fed the rework is now the draft's own each round,
            # when a later review still checks the result.
            fed = [u for u in units if u.key in reviser.deps and u is not draft and ctx.kind(u.role) == "judge"
                   and not any(u.key in v.deps for v in units)]
            later = [u for u in units if ctx.kind(u.role) == "judge" and u not in fed]
            if later:
                for u in fed:
                    units.remove(u)
            ctx.notes.append(f"--max-agents {limit}: the first version revises itself round by round before the review.")
    while len(units) > limit and _merge_chain(ctx, units):
        pass
    if len(units) < before:
        ctx.notes.append(f"--max-agents {limit}: adjacent steps share an agent.")


# --- builders -------------------------------------------------------------


def _says(ctx: BuildContext, key: str, **values: str) -> str:
    """The objective of a step the pattern adds, from ``[prompts.objectives]``."""
    template = str(ctx.section("prompts").get("objectives", {}).get(key, key))
    return sentence(template.format(**values))


def _structural(ctx: BuildContext, title: str, role: str, objective: str, deps: list[str], place: str = "") -> Unit:
    return Unit(_fresh(ctx, title), title, role, objective, deps, place=place)


def build_fan_out(ctx: BuildContext) -> list[Unit]:
    sec = ctx.section("fan_out")
    units = units_from_parse(ctx)
    group = _widest(ctx)
    stakes = stakes_word(ctx.task)
    if group is not None:
        fixed = 2 if stakes else 1  # the join, and on high-stakes work the check after it
        members = _batch_group(ctx, units, group, min(ctx.config.fan_out_cap, _room(ctx, fixed)), "branches")
    else:
        members = _spread(ctx, units, sec)
    _waits_for_parallel(ctx, units, members, _after_parallel(ctx))
    title = str(sec.get("synthesis_title", "Synthesize findings"))
    named = [c for c in ctx.features.cues.get("joining", ()) if c.split()[0].lower() in ("one", "a", "an")]
    if named:
        title = short(f"Combine into {max(named, key=len)}")
    joined = _spread_join(ctx, units, members, sec)
    # Verdicts side by side ("review A, B and C") are findings too: a synthesis merges
    # them; an integration would wire together work nobody built.
    gathering = all(ctx.kind(u.role) in ("gather", "judge") for u in units if u.key in members)
    if not gathering and not named:
        title = str(ctx.section("parallel_pipelines").get("integrate_title", "Integrate"))
    role, objective = ("synthesize", _says(ctx, "synthesize")) if gathering else ("integrate", _says(ctx, "integrate_branches"))
    if gathering and not joined and not named and (said := _said_join(ctx, sec)) is not None:
        title = said  # "..., short summary pls": the join in the text's own word
    if joined and not named:
        # "compare the rules in A vs B vs C": the fan-in does the verb the parse read per item.
        title = short(str(sec.get("join_title", "{verb} what the branches found")).format(verb=_cap(joined[0])))
        role = joined[1]
        objective = _says(ctx, "join_compare", verb=_cap(joined[0])) if ctx.kind(role) == "judge" else _says(ctx, "synthesize")
    # The text's own next step reads every branch ("..., and write one report"); a
    # looking step that reads all of them ("and pull out the common themes") merges them.
    ends = set(_ends(units, members))
    for u in units:
        if u.key not in members and len(ends) >= 2 and ends <= set(u.deps) and ctx.kind(u.role) == "gather":
            u.role = role
            break
    join = _add_join(ctx, units, members, ("combine", "judge", "make"), lambda ends: _structural(ctx, title, role, objective, ends))
    _join_in_text_words(ctx, join, members)
    if stakes:
        _check_merge(ctx, units, members, join, sec)
    return units


def _join_in_text_words(ctx: BuildContext, join: Unit, members: set[str]) -> None:
    """A join the pattern added (no step of the text joins the work) quotes what the
    text asks the joining to give: from a joining or choosing cue the parse read
    after the parallel work (``[joins] said_join_cues``: "..., all in one message I
    can forward", "tell me what you would do") to the end of its clause. A clause
    that holds a step of the text is that step's own words; a cue before the parallel
    work names the work, not its result. The generic title stays."""
    if not join.key.startswith("_") or not members:
        return
    sec = ctx.section("joins")
    tg = ctx.tg
    spans = [st.span for st in tg.steps if st.id in members]
    if not spans:
        return
    after = min(a for a, _ in spans)
    owned = [st.span for st in tg.steps if st.item is None]
    low = tg.text.lower()
    ends = [str(e) for e in sec.get("said_join_ends", [".", "?", "!", ";", "\n"])]
    most = int(sec.get("said_join_words", 14))
    found: list[tuple[int, str]] = []
    for kind in sec.get("said_join_cues", []):
        for cue in tg.cues.get(str(kind), ()):
            at = low.rfind(cue.lower())
            if at < after or any(a <= at < e for a, e in _quoted_spans(found)):
                continue
            stop = min((i for e in ends if (i := tg.text.find(e, at)) >= 0), default=len(tg.text))
            if any(a < stop and at < b for a, b in owned):
                continue  # "... and give me a hire recommendation": a step of the text says it
            said = clean(" ".join(tg.text[at:stop].split()[:most]))
            if said:
                found.append((at, said))
    if not found:
        return
    said = "; ".join(w for _, w in sorted(found))
    template = str(sec.get("said_join", "{objective}. In the task's words: \"{said}\"."))
    join.objective = template.format(objective=join.objective.rstrip("."), said=said.rstrip(".?!"))


def _quoted_spans(found: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """The text spans the quoted clauses cover (start, start + length)."""
    return [(at, at + len(said)) for at, said in found]


def _said_join(ctx: BuildContext, sec: dict[str, Any]) -> str | None:
    """The join's title in the word the text used for it (a joining cue that is one summing
    verb or noun, ``[fan_out] summing_verbs`` / ``summing_nouns``), or None."""
    verbs = {str(v) for v in sec.get("summing_verbs", [])}
    nouns = {str(v) for v in sec.get("summing_nouns", [])}
    for cue in ctx.features.cues.get("joining", ()):
        word = cue.strip().lower()
        if word in verbs:
            return short(str(sec.get("join_title", "{verb} what the branches found")).format(verb=_cap(word)))
        if word in nouns:
            return short(str(sec.get("summing_noun_title", "A {noun} of what the branches found")).format(noun=word))
    return None


def _check_merge(ctx: BuildContext, units: list[Unit], members: set[str], join: Unit, sec: dict[str, Any]) -> None:
    """On high-stakes work (a word of ``rules/lint.toml``'s ``stakes`` in the task), a
    merge of parallel gatherers gets a check after it: merging drops, blends and
    overstates what the branches found, and there a wrong merged answer costs money,
    safety or legal standing (the linter's PL112). Nothing is added when a judging
    step already follows the merge, when the branches do more than gather, or when
    the step limit leaves no room."""
    if ctx.kind(join.role) != "combine":
        return
    if not all(ctx.kind(u.role) == "gather" for u in units if u.key in members):
        return
    if ctx.limit is not None and len(units) >= ctx.limit:
        return
    later = _after(units, join.key)
    if any(ctx.kind(u.role) == "judge" for u in units if u.key in later):
        return
    check = _structural(ctx, str(sec.get("check_title", "Check the merged answer")), "review", _says(ctx, "check_merge"), [join.key])
    for u in units:
        if join.key in u.deps:
            u.deps = [*u.deps, check.key]  # what comes after the merge takes it checked
    units.insert(units.index(join) + 1, check)


def _after(units: Sequence[Unit], key: str) -> set[str]:
    """The keys of every unit that waits, directly or not, for ``key``."""
    found: set[str] = set()
    todo = [key]
    while todo:
        k = todo.pop()
        for u in units:
            if k in u.deps and u.key not in found:
                found.add(u.key)
                todo.append(u.key)
    return found


def _spread_join(ctx: BuildContext, units: list[Unit], members: set[str], sec: dict[str, Any]) -> tuple[str, str] | None:
    """The joining verb the parse read once per item (``[fan_out] join_verbs``), and its
    role, when no step of the text joins the branches: (verb, role), else None. A
    comparing verb's branches gather their own item's facts for the fan-in instead."""
    branch = [u for u in units if u.key in members]
    steps = {st.id: st for st in ctx.tg.steps}
    verbs = {(steps[u.key].verb or "").lower() if u.key in steps else "" for u in branch}
    roles = {u.role for u in branch}
    wanted = {str(v).lower() for v in sec.get("join_verbs", [])}
    if len(branch) < 2 or len(verbs) != 1 or len(roles) != 1 or not verbs <= wanted:
        return None
    role = next(iter(roles))
    if ctx.kind(role) not in ("judge", "combine"):
        return None
    ends = set(_ends(units, members))
    if any(u.key not in members and ends & set(u.deps) for u in units):
        return None  # the text's own step after the branches joins them
    verb = next(iter(verbs))
    if ctx.kind(role) == "judge":
        for u in branch:
            item = u.item or u.title
            u.role = "explore"
            said = str(sec.get("join_branch_title", "{item}: facts to {verb}")).format(item=clean(item), verb=verb)
            u.title = said if len(said) <= TITLE_MAX else short(said)  # the item as written: "ps5", not "Ps5"
            said = _lower(u.phrase or verb)
            if _bare(said):  # "compare" alone: what it compares is the task's to say
                said = str(sec.get("join_branch_bare", "{verb}")).format(verb=said)
            u.objective = _says(ctx, "join_branch", what=item, subject=said)
    return verb, role


def _room(ctx: BuildContext, fixed: int) -> int:
    return 10**6 if ctx.limit is None else max(1, ctx.limit - fixed)


def _spread(ctx: BuildContext, units: list[Unit], sec: dict[str, Any]) -> set[str]:
    """No parallel group: the text's own independent starting steps are the
    branches; failing that, every step but a final joining one runs side by
    side; failing that (one step), the default angles on that step's work."""
    roots = [u for u in units if not u.deps]
    if len(roots) >= 2:
        return {u.key for u in roots}
    body = [u for u in units if ctx.kind(u.role) != "combine"] if len(units) > 2 else list(units[:-1] if len(units) == 2 and ctx.kind(units[-1].role) == "combine" else units)
    if len(body) >= 2 and not ctx.forced and any(d in {b.key for b in body} for u in body for d in u.deps):
        # On its own judgement the advisor never cuts an order the text gives
        # ("summarise it, then translate the summary"): the chain stays, its
        # start is the one branch.
        return {u.key for u in units if not u.deps}
    if len(body) >= 2:
        for u in body:
            u.deps = [d for d in u.deps if d not in {b.key for b in body}]
            u.place = "branch"
        return {u.key for u in body}
    work = units[0] if units else None
    new = _facet_branches(ctx, work, sec) if work is not None else []
    if not new:
        angles = [str(a) for a in sec.get("default_angles", [])][: max(2, min(len(sec.get("default_angles", [])), _room(ctx, 1)))]
        # Words too few to say the work ("look into why") are no subject for an angle: the task is.
        thin = work is None or len(clean(work.objective).split()) <= 3
        new = [
            Unit(
                _fresh(ctx, angle), short(angle), "explore",
                _says(ctx, "angle_task", what=angle.lower()) if thin or work is None
                else _says(ctx, "angle", subject=work.objective.rstrip("."), what=angle.lower()),
                [], place="branch", id_hint=angle,
            )
            for angle in angles
        ]
        ctx.notes.append(str(sec.get("generic_note", "")).format(angles=", ".join(a.lower() for a in angles)))
    keys = [u.key for u in new]
    if work is None:
        units[:] = new
        return set(keys)
    rest = [u for u in units if u is not work]
    if ctx.kind(work.role) == "gather" or (new[0].item is not None and new[0].role == work.role):
        # The angles are the looking the step asked for; what waited on it waits on them.
        for u in rest:
            if work.key in u.deps:
                u.deps = list(dict.fromkeys(k for d in u.deps for k in (keys if d == work.key else [d])))
        units[:] = [*new, *rest]
    else:
        # "Prepare a comparison of ...": the task's own work uses what the angles find,
        # so it waits for them (and joins them) instead of starting beside them.
        work.deps = list(dict.fromkeys([*work.deps, *keys]))
        units[:] = [*new, work, *rest]
    return set(keys)


def _facet_branches(ctx: BuildContext, work: Unit, sec: dict[str, Any]) -> list[Unit]:
    """Branches for the things the one step's own words list (``facets.py``). Gathering or making
    is done once per part (the part's own branch does the step's work); a
    comparison or summary of the parts waits for them."""
    from planner.advise.facets import facets

    st = next((s for s in ctx.tg.steps if s.id == work.key), None)
    if st is None or st.item is not None:
        return []
    parts = facets(st.text, dict(sec.get("facets", {})), st.verb or "")[: _room(ctx, 1)]
    if len(parts) < 2:
        return []
    per_part = ctx.kind(work.role) in ("gather", "make")
    role = work.role if per_part else "explore"
    subject = work.objective.rstrip(".")
    # Each branch's words name its own part only ("the rules from the council for the
    # office"): a brief naming its siblings too would read as the same work for all.
    start, end = subject.find(parts[0]), subject.rfind(parts[-1])
    listed = (subject[:start], subject[end + len(parts[-1]) :]) if 0 <= start < end else None

    def own(part: str) -> str:
        return f"{listed[0]}{part}{listed[1]}" if listed is not None else subject

    return [
        Unit(
            _fresh(ctx, part), short(part), role,
            _says(ctx, ("facet_own" if per_part else "facet_gather_own") if listed is not None
                  else "facet" if per_part else "facet_gather",
                  subject=own(part) if per_part else _lower(own(part)), what=part),
            [], item=clean(part), others=_count_of(len(parts) - 1, "part"), place="branch", id_hint=part,
        )
        for part in parts
    ]


def build_parallel_pipelines(ctx: BuildContext) -> list[Unit]:
    sec = ctx.section("parallel_pipelines")
    units = units_from_parse(ctx)
    group = _widest(ctx, ("streams",)) or _widest(ctx)
    if group is not None:
        _fold_umbrella(ctx, units, group, sec)
    _fold_spelled_out(ctx, units, sec)
    if group is not None:
        per = max(1, max((len(s) for s in group.stages), default=1))
        members = _batch_group(ctx, units, group, min(ctx.config.fan_out_cap, max(1, _room(ctx, 1) // per)), "workstreams")
        for u in units:
            if u.key in members:
                u.place = "stage"
    else:
        members = _chains(units)
    said_apart = {str(c).lower() for c in sec.get("apart_cues", [])}
    # The text keeps the streams apart ("don't merge them", O318; "do each one
    # separately"): unless a step of its own follows them, they end apart.
    apart = ctx.tg.facts.apart or any(c.lower() in said_apart for c in ctx.features.cues.get("independent", ()))
    members |= _check_single_stages(ctx, units, members, sec, apart)
    _waits_for_parallel(ctx, units, members, _after_parallel(ctx))
    writing = all(ctx.kind(u.role) in ("judge",) or u.role == "draft" for u in units if u.key in members)
    title = str(sec.get("integrate_writing_title" if writing else "integrate_title", "Integrate"))
    # The text's own next step that waits for every stream ("then send both to the
    # client", "put them in one folder") is where the streams meet, whatever its verb:
    # an Integrate step before it would only restate it. Only when the text gives no
    # such step does the pattern add its own.
    ends = set(_ends(units, members))
    # A step for one item is that item's work, never the meeting point of them all.
    own = next((u for u in units if u.key not in members and u.item is None and len(ends) >= 2 and ends <= set(u.deps)), None)
    starts = [u for u in units if not u.deps]
    if own is None and apart and not all(ctx.kind(u.role) == "gather" for u in starts):
        # "don't merge them" (O318), "separately": streams that make things end apart, as the text says;
        # findings gathered side by side are still combined (PL105, fan-out without fan-in)
        return units
    _add_join(
        ctx, units, members, ("combine",),
        lambda ends: _structural(ctx, title, "integrate", _says(ctx, "integrate_streams"), ends),
        own=own,
    )
    return units


def _fold_umbrella(ctx: BuildContext, units: list[Unit], group: Group, sec: dict[str, Any]) -> None:
    """The text's first step, said before the streams with a verb that names a whole
    job (``umbrella_verbs``: "handle the two refund requests"), needing nothing and
    needed by no stream, is the job the streams do: it is left out (and said so in
    the rationale), instead of starting as one more agent beside them."""
    verbs = {str(v).lower() for v in sec.get("umbrella_verbs", [])}
    if not ctx.tg.steps or not units:
        return
    st = ctx.tg.steps[0]
    keys = _group_keys(group)
    u = next((x for x in units if x.key == st.id), None)
    if u is None or u.item is not None or u.deps or st.id in keys or (st.verb or "").lower() not in verbs:
        return
    if set(_slug_words(st.text)) & {str(w).lower() for w in sec.get("umbrella_keeps", [])}:
        return
    spans = [s.span[0] for s in ctx.tg.steps if s.id in keys]
    if not spans or st.span[1] > min(spans) or any(st.id in x.deps for x in units if x.key in keys):
        return
    units.remove(u)
    for x in units:
        x.deps = [d for d in x.deps if d != u.key]
    ctx.notes.append(str(sec.get("umbrella_note", "")).format(title=short(st.text, 80).rstrip("…")))


def _fold_spelled_out(ctx: BuildContext, units: list[Unit], sec: dict[str, Any]) -> None:
    """"Prepare the board pack - pull the numbers, write the commentary, format the
    slides": a first stage whose words end on a dash (``spelled_out_marks``)
    with two or more stages said right after it names the job those stages do. Kept,
    it would send one agent to do all of it before the others redo its parts; it is
    left out and said so in the rationale. An arrow ("export -> clean -> load") is a
    sequence, not an elaboration."""
    tg = ctx.tg
    led = next((x for x in tg.steps if "S420" in x.cues), None)
    if led is not None:
        # S420: the parser already left the lead-in out; the rationale still names it
        head = tg.text[: led.span[0]].rstrip(" \t-—–")
        lead = head[max(head.rfind(c) for c in ".!?\n") + 1 :].strip()
        if lead:
            ctx.notes.append(str(sec.get("umbrella_note", "")).format(title=short(lead, 80).rstrip("…")))
        return
    if len(tg.steps) < 3 or not units:
        return
    st = tg.steps[0]
    u = next((x for x in units if x.key == st.id), None)
    if u is None or u.item is not None or u.deps:
        return
    after = tg.text[st.span[1]:]
    rest = after.lstrip(" \t")
    marks = [str(m) for m in sec.get("spelled_out_marks", [])]
    mark = next((m for m in marks if rest.startswith(m)), None)
    if mark is None or rest.startswith(("->", "-->", "—>")):
        return
    gap = len(after) - len(rest) + len(mark)
    later = sorted(s.span[0] for s in tg.steps[1:])
    # The stages start right after the mark (a few words at most: "- first, pull ..."),
    # not after an explanation ("- now we get fifty false alerts a day").
    room = int(sec.get("spelled_out_gap", 12))
    if len(later) < 2 or later[0] - (st.span[1] + gap) > room:
        return
    units.remove(u)
    for x in units:
        x.deps = [d for d in x.deps if d != u.key]
    ctx.notes.append(str(sec.get("umbrella_note", "")).format(title=short(st.text, 80).rstrip("…")))


def _check_single_stages(ctx: BuildContext, units: list[Unit], members: set[str], sec: dict[str, Any], apart: bool = False) -> set[str]:
    """A stream of one building stage gets a check stage of its own (``stream_check_*``);
    ``apart``: no join follows the streams, and the check says nothing of one."""
    role = str(sec.get("stream_check_role", "test"))
    label = str(sec.get("stream_check_title", "Test"))
    checked = {str(v).lower() for v in sec.get("stream_check_verbs", [])}
    verbs = _verbs(ctx.tg)
    inside = {d for u in units if u.key in members for d in u.deps if d in members}
    added: set[str] = set()
    for at in range(len(units) - 1, -1, -1):
        u = units[at]
        if u.key not in members or u.key in inside or any(d in members for d in u.deps) or ctx.kind(u.role) != "make":
            continue
        if u.role == role or verbs.get(u.key, "") not in checked:
            continue
        subject = clean(u.item or u.title)
        check = Unit(
            _fresh(ctx, label), _item_title_bare(label, subject), role, _says(ctx, "stream_check_apart" if apart else "stream_check", what=subject),
            [u.key], item=u.item, others=u.others, place="stage", id_hint=f"{label} {subject}",
        )
        for v in units:  # what waited on the stage now waits on its check
            if v.key not in members:
                v.deps = [check.key if d == u.key else d for d in v.deps]
        units.insert(at + 1, check)
        added.add(check.key)
    return added


def _chains(units: list[Unit]) -> set[str]:
    """Without a group: each independent starting step and the steps only it leads to is a stream."""
    roots = [u for u in units if not u.deps]
    members: set[str] = set()
    if len(roots) >= 2:
        for r in roots:
            members.add(r.key)
            cur = r
            while True:
                nxt = [u for u in units if u.deps == [cur.key]]
                if len(nxt) != 1:
                    break
                cur = nxt[0]
                members.add(cur.key)
        return members
    # One path only: every step stands as its own stream (the shape was asked for).
    for u in units:
        u.deps = []
    return {u.key for u in units}


def build_competitive(ctx: BuildContext) -> list[Unit]:
    sec = ctx.section("competitive")
    effort = ctx.rules.effort
    hi = int(effort.get("compare_max", 4))
    units = units_from_parse(ctx)
    _options_apart(ctx, units)
    group = _widest(ctx, ("approaches",)) or _widest(ctx)
    if group is not None:
        per = max(1, max((len(s) for s in group.stages), default=1))
        members = _batch_group(ctx, units, group, min(hi, max(1, _room(ctx, 1) // per)), "alternatives")
    else:
        n = int(effort.get("compare_default", 3))
        pair_words = {str(x).lower() for x in sec.get("pair_words", [])}
        said = {st.id: set(st.text.lower().split()[1:]) for st in ctx.tg.steps}
        steps_text = {st.id: st.text for st in ctx.tg.steps}
        each = next(
            (u for u in units if ctx.kind(u.role) not in ("judge", "combine") and said.get(u.key, set()) & pair_words),
            None,
        )
        if any(said.get(u.key, set()) & pair_words for u in units):
            n = 2  # "compare both" too: the text counts two options
        versions = dict(ctx.tg.facts.versions)  # the parse's count of versions a step asks for
        counted = next(((u, versions[u.key]) for u in units if ctx.kind(u.role) not in ("judge", "combine")
                        and u.key in versions), None)
        if each is None and counted is not None:
            # "write two versions of the reply": as many approaches as the text counts, and
            # the counting step is the work on each
            each, n = counted[0], counted[1]
        listed = next((g for g in ctx.tg.parallel if g.kind == "approaches" and not g.steps and len(g.names) >= 2), None)
        if each is None and listed is not None:
            # "three slogans - one cheeky, one warm, one short - and pick the best": the
            # step whose own words list the named options is the work on each of them
            each = next((u for u in units if ctx.kind(u.role) not in ("judge", "combine")
                         and sum(n_.lower() in steps_text.get(u.key, "").lower() for n_ in listed.names) >= 2), None)
        counted_by_text = each is not None or listed is not None or n == 2
        if each is None:
            # "try a couple of designs", "what's the best way to shard it?": see approaches.py
            from planner.advise.approaches import work_on_each

            each, vague = work_on_each(ctx, units, sec)
            if vague is not None:
                n, counted_by_text = vague, True
        if each is not None:
            units.remove(each)  # "prototype both": the work on each approach
            for u in units:
                u.deps = [d for d in u.deps if d != each.key]
        n = min(n, _room(ctx, 1 + len(units)))
        # The work each approach does: the text's step for it, or the text's first step
        # that is not the judging (never "Recommend one: work out one way to do it").
        # A step after the judging ("pick one, then build it") is work on the winner, not on each.
        first_judge = next((k for k, u in enumerate(units) if ctx.kind(u.role) in ("judge", "combine")), len(units))
        source = each or (units[0] if units and first_judge > 0 else None)
        work = source.objective.rstrip(".") if source is not None else None
        if listed is not None:
            # "three ideas: A, B or C. Which is best?": the text names the options, with no work said for each
            labels = list(listed.names[: max(2, _room(ctx, 1 + len(units)))])
            option = str(ctx.section("prompts").get("option", "{item}"))
            objectives = [_says(ctx, "approach", work=work) if work else sentence(option.format(item=label, among="")) for label in labels]
        else:
            from planner.advise.approaches import open_approaches

            made = open_approaches(ctx, max(2, n), work, counted_by_text)
            labels, objectives = made.labels, made.objectives
            if made.note:
                ctx.notes.append(made.note)
        # Versions of a piece of writing or a build are that work ("write two versions of
        # the email": drafts, returned as written pieces); other options are designs.
        role = each.role if each is not None and ctx.kind(each.role) == "make" else "design"
        new = [
            Unit(_fresh(ctx, label), label, role, objective, [],
                 item=label, others=_count_of(len(labels) - 1, "approach"), id_hint=label)
            for label, objective in zip(labels, objectives, strict=True)
        ]
        for u in units:
            if not u.deps:
                u.deps = [n_.key for n_ in new]
        units[:0] = new
        members = {u.key for u in new}
    steps = {st.id: st for st in ctx.tg.steps}
    words = ctx.section("prompts")
    judged: set[str] = set()  # the judging verbs the text spread over the options
    judged_what: dict[str, str] = {}  # what each of them asks, in the text's words ("which to ship")
    for u in units:
        if u.key in members:
            u.place = "approach"
            if ctx.kind(u.role) in ("judge", "combine"):
                # "Compare three caching strategies": each option is worked out
                # on its own; the comparing is the join's.
                u.role = "design"
                st = steps.get(u.key)
                if st is not None and st.verb:
                    judged.add(st.verb.lower())
                    asked = clean(st.object)
                    names_ = group.names if group is not None else ()
                    if asked.lower().startswith(_ASKED_WORDS) and not any(n and n.lower() in asked.lower() for n in names_):
                        judged_what[st.verb.lower()] = asked  # "tell me which to ship": the question the judgement answers
                obj_words = clean(st.object) if st is not None else ""
                names = group.names if group is not None else ()
                context = _before_names(obj_words, names)
                if context.lower() in _say_nothing():
                    context = ""  # "recommend one": no set the option belongs to
                u.title = short(u.item, name=True) if u.item else short(u.title)
                u.id_hint = u.item or u.title
                counted_noun = clean(group.counted).lower() if group is not None and group.counted else ""
                if (obj_words and st is not None and st.verb and names and not any(n and n.lower() in obj_words.lower() for n in names)
                        and not (counted_noun and counted_noun in obj_words.lower()) and obj_words.lower() not in _say_nothing()):
                    # "evaluate each against: cost, docs, support": the object is what the
                    # option is judged on, not the set it belongs to; the text's verb and
                    # criteria stay in the objective.
                    u.objective = str(words.get("option_on", "{words}")).format(
                        words=_cap(_drop_pointing_tail(clean(f"{st.verb} {u.item or u.title} {obj_words}"))))
                else:
                    # "compare A, B and C for our session cache": the option with what the
                    # text says of all of them ("Work out B for our session cache").
                    own = _own_part(obj_words, names, u.item or "") if not context else ""
                    u.objective = str(words.get("option", "{item}")).format(
                        item=own or u.item or u.title, among=f" (one of {context})" if context else ""
                    )
    for u in units:
        if u.key in members and u.item and (st := steps.get(u.key)) is not None and st.item == u.item:
            label = option_label(ctx.tg.text, st.span[0])
            if label and label.lower() not in u.title.lower():
                # C202: "Option A: rent a van. Option B: ...": the options go by their labels
                u.title = short(f"{label}: {u.item}", name=True)
                u.id_hint = f"{label} {u.item}"
    choice = tuple(str(x).lower() for x in sec.get("choice_words", []))
    members |= _tried_on_each(ctx, units, members, sec, choice)
    _waits_for_parallel(ctx, units, members, _after_parallel(ctx))
    for u in units:
        if u.key not in members and any(d in members for d in u.deps) and _asks(ctx, u, choice):
            # "figure out which suits us best": the text's own comparison, whatever its verb
            u.role = "compare"
    title = str(sec.get("compare_title", "Compare and recommend"))
    if len(judged) == 1 and not judged & {str(v).lower() for v in sec.get("compare_verbs", [])}:
        # "LaunchDarkly, Unleash or Flipt: cost and risk for each, then decide": the
        # verb said over the options is the one judgement after them, in the text's word.
        verb = next(iter(judged))
        judgement = f"{verb} {judged_what[verb]}" if verb in judged_what else verb
        title = short(str(sec.get("judged_title", "Compare and {verb}")).format(verb=judgement))
    join = _add_join(
        ctx, units, members, ("judge", "combine"),
        lambda ends: _structural(ctx, title, "compare", _says(ctx, "compare"), ends),
        own=_judge_said_first(ctx, units, members, group),
    )
    _join_in_text_words(ctx, join, members)
    return units


_LABEL_MARKS = r"(?:[A-Za-z]|\d{1,2}|one|two|three|four|five|six)"


@cache
def _label_re() -> re.Pattern[str]:
    from planner.parser.options import option_words

    nouns = "|".join(sorted((re.escape(n) for n in option_words().nouns), key=len, reverse=True))
    # "Option A:", "option 2 is", "Alternative B -": the label right before an option's words
    return re.compile(rf"\b((?:{nouns})\s+{_LABEL_MARKS})\s*(?::|-|–|—|\bis\b)(?:\s+(?:a|an|the))?\s*$", re.IGNORECASE)


def option_label(text: str, start: int) -> str:
    """C202: the label an option's words follow in ``text`` ("Option A: rent a van" gives
    "Option A"), or "". The writer names the options by their labels, and the plan should too."""
    m = _label_re().search(text[max(0, start - 24) : start])
    return m.group(1) if m else ""


def _option_ends(units: Sequence[Unit], members: set[str]) -> dict[str, str] | None:
    """Each option's last stage (item -> unit key), when every option is one chain of
    stages; None when a member has no item or an option's stages branch."""
    work = [u for u in units if u.key in members]
    ends: dict[str, str] = {}
    for u in work:
        if u.item is None:
            return None
        if any(u.key in v.deps for v in work if v.item == u.item):
            continue
        if u.item in ends:
            return None
        ends[u.item] = u.key
    return ends


def _tried_on_each(
    ctx: BuildContext, units: list[Unit], members: set[str], sec: dict[str, Any], choice: tuple[str, ...]
) -> set[str]:
    """C210: a trying or measuring step the text says right after the work on the
    options ("build it on A, B and C, time the throughput, recommend one") that the
    parse left as one step waiting for all of them is done on each option: one copy
    per option, after that option's own work, and what waited on the step waits on
    every copy. Each option is tried on its own before any judging, so the judge
    reads a result per option; one shared step would have to try them all in one
    go. Only verbs of trying (``[competitive] tried_verbs``), not a step that asks
    which option wins ("try them and see which holds up") or tries them together
    (``tried_together``: "run them side by side"). Returns the copies' keys."""
    tried = {str(v).lower() for v in sec.get("tried_verbs", [])}
    together = tuple(str(v).lower() for v in sec.get("tried_together", []))
    ends = _option_ends(units, members)
    if not tried or ends is None or len(ends) < 2:
        return set()
    steps = {st.id: st for st in ctx.tg.steps}
    u = next((v for v in units if v.key not in members and any(d in members for d in v.deps)), None)
    st = steps.get(u.key) if u is not None else None
    if u is None or st is None or u.item is not None or set(u.deps) != set(ends.values()):
        return set()
    said = " ".join(clean(st.text).lower().split())
    if (st.verb or "").lower() not in tried or _asks(ctx, u, choice) or any(w in said for w in together):
        return set()
    words = clean(st.text).split()
    # "time them on the dump": the pronoun stood for the options, each copy names its own
    rest = [w for w in words[1:] if w.lower().strip(",;:") not in _say_nothing()] if words else []
    phrase = _drop_pointing_tail(clean(" ".join([*words[:1], *rest])))
    role = u.role if ctx.kind(u.role) not in ("judge", "combine") else str(sec.get("tried_role", "test"))
    copies = [
        Unit(_fresh(ctx, f"{phrase} {item}"), _item_title(phrase, item), role, _item_objective(phrase, item), [end],
             item=item, others=_count_of(len(ends) - 1, "approach"), place="stage", id_hint=f"{words[0] if words else ''} {item}",
             phrase=phrase)
        for item, end in ends.items()
    ]
    keys = [c.key for c in copies]
    for v in units:
        if u.key in v.deps:
            v.deps = list(dict.fromkeys(k for d in v.deps for k in (keys if d == u.key else [d])))
    at = units.index(u)
    units[at : at + 1] = copies
    return set(keys)


# Words that open the question a judgement answers ("which to ship", "whether to switch").
_ASKED_WORDS = ("which ", "whichever ", "whether ", "what ", "who ", "where ")


def _judge_said_first(ctx: BuildContext, units: list[Unit], members: set[str], group: Group | None) -> Unit | None:
    """The text's own judgement, said before the work on the options ("Pick between
    A and B for the panels. Try a mock panel on each first."): a judging step whose
    words name two or more of the options and that waits for none of the work on
    them (the parse may even have put that work after it). It is the join, in the
    text's words: it waits for every option, and the options no longer wait for it."""
    if group is None or len(group.names) < 2:
        return None
    for u in units:
        if u.key in members or u.item is not None or u.key.startswith("_") or ctx.kind(u.role) != "judge":
            continue
        said = f"{u.title} {u.objective}".lower()
        if sum(1 for n in group.names if n and n.lower() in said) < 2:
            continue
        if any(d in members for d in u.deps):
            continue  # already after the work: _add_join finds it
        for m in units:
            if m.key in members:
                m.deps = [d for d in m.deps if d != u.key]
        u.deps = [d for d in u.deps if d not in members]
        units.remove(u)  # listed where it runs: after the work on the options
        units.insert(max(i for i, m in enumerate(units) if m.key in members) + 1, u)
        return u
    return None


def _count_of(n: int, noun: str) -> str:
    """"approach" (the other one), "2 approaches"."""
    return noun if n == 1 else f"{n} {noun}es" if noun.endswith(("s", "sh", "ch", "x")) else f"{n} {noun}s"


def _option_key(name: str) -> str:
    """An option's name without a remark in brackets after it ("Myers (current)" is "myers")."""
    return clean(name.split("(", 1)[0] if not name.startswith("(") else name).lower()


def _options_apart(ctx: BuildContext, units: list[Unit]) -> None:
    """Options compete, so the work on one never waits for the work on another: "implement
    B and C, then run A, B and C" runs A at once and B after B's own implementation.
    Items of one group are options of one choice; the text's order between the work on
    two of them is only the order it was said in."""
    groups = [{_option_key(n) for n in g.names} for g in groups_of(ctx) if len(g.names) >= 2]
    by_key = {u.key: u for u in units}
    for u in units:
        if u.item is None:
            continue
        mine = _option_key(u.item)
        kept = []
        for d in u.deps:
            other = by_key.get(d)
            theirs = _option_key(other.item) if other is not None and other.item is not None else None
            if theirs is not None and theirs != mine and any(mine in g and theirs in g for g in groups):
                continue
            kept.append(d)
        u.deps = kept


def _before_names(words: str, names: Iterable[str]) -> str:
    """The words before the first of ``names``: "two ways to speed up the build:
    A or B" -> "two ways to speed up the build"; "A, B and C" -> "" (the options'
    own list says nothing the item line does not)."""
    low = words.lower()
    at = min((low.find(n.lower()) for n in names if n and n.lower() in low), default=-1)
    if at < 0:
        return words
    kept = clean(words[:at]).split()
    while kept and kept[-1].lower().strip(",;:") in _ID_TAIL_STOPS:
        kept.pop()
    return clean(" ".join(kept))


def build_scout_build(ctx: BuildContext) -> list[Unit]:
    sec = ctx.section("scout")
    defect = ctx.features.flag("defect")
    units = units_from_parse(ctx)
    decide_words = [str(x).lower() for x in sec.get("decide_words", [])]
    verify_verbs = {str(x).lower() for x in sec.get("verify_verbs", [])}
    verbs = _verbs(ctx.tg)
    handed = _handed_over(ctx.tg)
    ordered = _ordered_outright(ctx.tg)
    question = tuple(str(x).lower() for x in sec.get("question_words", []))
    answers = frozenset(str(x).lower() for x in sec.get("answer_nouns", []))

    decision_things = [tuple(str(x).lower().split()) for x in sec.get("decision_things", [])]

    def deciding(u: Unit) -> bool:
        said = f"{u.title} {u.objective}".lower()
        return u.role in ("decide", "design", "compare") or any(x in said for x in decide_words) or _makes_one(ctx, u, decision_things)

    def builds(u: Unit) -> bool:
        return ctx.kind(u.role) == "make" and not deciding(u)

    def looks(u: Unit) -> bool:
        return ctx.kind(u.role) in ("gather", "judge") and not deciding(u)

    # Scouting and deciding come before the first step that builds: "pin down the
    # cause and plan a fix" is the decision, whatever verbs say it. Making said
    # before any looking ("it keeps dropping the cart; look into it and fix it",
    # a report the parse read as work) does not end a scouting the text has not
    # started yet: it waits with the building, and the text's look is the scout.
    look_at = next((i for i, u in enumerate(units) if looks(u)), len(units))
    early = [u for u in units[:look_at] if builds(u)]
    rest = [u for u in units if u not in early]
    first = next((i for i, u in enumerate(rest) if builds(u)), len(rest))
    head = rest[:first]
    tail = [u for u in units if u not in head]
    # Scouting ends at the first step of the head that decides: a look the text puts
    # after it ("tell me what it would take, then write up the plan" read as a look)
    # works on the decision, in the text's order, not beside the first scouts.
    decided_at = next((k for k, u in enumerate(head) if not looks(u)), len(head))
    scouts = [u for u in head[:decided_at] if looks(u)]
    # A look the parse makes wait for two or more of the others reads what they
    # found ("check A, B and C, then work out which one it is"): it is the
    # decision's, not one more scout beside them.
    keys = {u.key for u in scouts}
    scouts = [u for u in scouts if sum(d in keys for d in u.deps) < 2]
    deciders = [u for u in head if u not in scouts]
    scout_set = [u.key for u in scouts]
    for u in scouts:
        u.role = "scout" if u.role not in ctx.config.roles or ctx.kind(u.role) != "gather" else u.role
        if u.role != "scout" and u.item is None:
            u.role = "scout"
        # side by side unless the text hands one scout's findings to the next ("find X,
        # then read it"), orders them outright ("map the code, then find where ..."), or
        # the scout answers a question ("figure out why", "work out whether"): answering
        # reasons over what the look the text put before it turned up
        keep = u.key in handed | ordered or _asks(ctx, u, question) or _answers(ctx, u, answers)
        u.deps = [d for d in u.deps if d in scout_set] if keep else []
        u.place = u.place or "branch"
    scouts = _suspect_scouts(ctx, scouts, deciders or tail or units, sec)
    if not scouts:
        names = [str(x) for x in sec.get("defect_scouts" if defect else "explore_scouts", [])]
        room = max(1, min(len(names), _room(ctx, 2 + len(tail))))
        subject = (deciders or tail or units)[0].objective.rstrip(".") if units else ""
        scouts = [
            Unit(_fresh(ctx, n), n, "scout", _says(ctx, "default_scout", what=n, subject=_lower(subject)) if subject else sentence(n), [], place="branch", id_hint=n)
            for n in names[:room]
        ]
    scout_ends = [u.key for u in scouts if not any(u.key in v.deps for v in scouts)]
    if deciders:
        for k, u in enumerate(deciders):
            u.deps = list(scout_ends) if k == 0 else [deciders[k - 1].key]
            if k == 0:
                u.role = "decide"
            elif ctx.kind(u.role) == "make" and u.role != "design":
                u.role = "design"  # a later part of the decision plans; it builds nothing yet
    else:
        title = str(sec.get("decide_defect" if defect else "decide_explore", "Decide"))
        deciders = [
            _structural(ctx, title, "decide",
                        _says(ctx, "decide_defect" if defect else "decide_explore"),
                        list(scout_ends))
        ]
    decided = deciders[-1].key
    if not tail:
        title = str(sec.get("build_defect" if defect else "build_explore", "Implement"))
        tail = [_structural(ctx, title, "implement", _says(ctx, "default_build"), [])]
    inside = {u.key for u in tail}
    for u in tail:
        u.deps = [d for d in u.deps if d in inside] or [decided]
    # The build phase ends in a check of what was built: the text's own last
    # verifying step, made the plan's judge, or one the pattern adds.
    last = tail[-1]
    if len(tail) >= 2 and verbs.get(last.key, "") in verify_verbs:
        last.role = "review"
    elif ctx.limit is None or len(scouts) + len(deciders) + len(tail) < ctx.limit:
        title = str(sec.get("verify_title", "Verify and review"))
        ends = [u.key for u in tail if not any(u.key in v.deps for v in tail)]
        tail.append(_structural(ctx, title, "review", _says(ctx, "review", what="the built change"), ends))
    return [*scouts, *deciders, *tail]


def _makes_one(ctx: BuildContext, u: Unit, things: Sequence[tuple[str, ...]]) -> bool:
    """The parsed step makes a new thing of one of ``things`` ("work out a remediation
    plan", "make a list of fixes", "come back with a fix proposal"): the article says
    the thing is new, and the thing follows it within a few words."""
    if not things or u.item is not None or u.key not in {st.id for st in ctx.tg.steps}:
        return False
    said = [w.strip(",.;:'\"()") for w in clean(ctx.tg.step(u.key).text).lower().split()]
    for k, word in enumerate(said):
        if word not in ("a", "an"):
            continue
        near = said[k + 1 : k + 5]
        if any(tuple(near[j : j + len(x)]) == x for x in things for j in range(len(near) - len(x) + 1)):
            return True
    return False


def _suspect_scouts(ctx: BuildContext, scouts: list[Unit], later: Sequence[Unit], sec: dict[str, Any]) -> list[Unit]:
    """The possible causes the text guesses at (``TextFacts.suspects``, C200: "it might
    be the cache, the CDN rules or the pool") get a scout each, side by side. The
    text's one look ("find the cause") is what each of them does for its suspect, so
    it gives them its words and is not kept beside them; several looks of the text's
    own stay, with the suspects' scouts beside them. Suspects the scouts already name
    (an item each) add nothing."""
    named = [n for n in ctx.tg.facts.suspects if n]
    if len(named) < 2:
        return scouts
    have = {clean(u.item).lower() for u in scouts if u.item}
    if any(n.lower() in have or any(n.lower() in h or h in n.lower() for h in have) for n in named):
        return scouts
    room = _room(ctx, 2 + len(later))
    named = named[: max(2, room)]
    one = scouts[0] if len(scouts) == 1 else None
    subject = (one or (later[0] if later else None))
    said = _lower(subject.objective.rstrip(".")) if subject is not None else ""
    made = [
        Unit(
            _fresh(ctx, n), short(str(sec.get("suspect_title", "Check {what}")).format(what=n)), "scout",
            _says(ctx, "suspect" if said else "suspect_alone", what=n, subject=said), [],
            item=clean(n), others=_count_of(len(named) - 1, "suspect"), place="branch", id_hint=f"check {n}",
        )
        for n in named
    ]
    return made if one is not None else [*made, *scouts]


def build_refinement(ctx: BuildContext) -> list[Unit]:
    """The text's first version, what happens to it before the rework (its
    review), and the rework, which repeats and sees both the draft and the review."""
    sec = ctx.section("refinement")
    bounds = ctx.rules.refinement
    units = units_from_parse(ctx)
    loop = ctx.tg.loops[0] if ctx.tg.loops else None
    cap = int(bounds.get("max_rounds", 5))
    rounds = min(loop.rounds, cap) if loop is not None and loop.rounds else int(bounds.get("default_rounds", 3))
    until = clean(loop.until) if loop is not None and loop.until else str(sec.get("default_until", "the reviewer reports no blocking issues"))
    looped = set(loop.steps) if loop is not None else set()

    # O367: "run it past HR; make changes": the parser read the request as the rework that
    # answers the look before it, whatever role its words guessed ("make changes" as scouting)
    answers = {st.id for st in ctx.tg.steps if "O367" in st.cues}
    for u in units:
        if u.key in answers and (u.role == "test" or ctx.kind(u.role) != "make"):
            u.role = "draft"  # (testing is judging here: see kind() below)
    made = next((k for k, u in enumerate(units) if ctx.kind(u.role) == "make"), len(units))

    def kind(u: Unit) -> str:
        # testing a version is judging it: "draft it, test it with a user, revise"; so is
        # looking at it once something was made ("change it, rebuild, check the size")
        k = ctx.kind(u.role)
        if u.role == "test" or (k == "gather" and units.index(u) > made):
            return "judge"
        return k

    draft: Unit | None = next((u for u in units if kind(u) == "make"), None)
    first_judge = next((i for i, u in enumerate(units) if kind(u) == "judge"), None)
    if first_judge is not None and (draft is None or units.index(draft) > first_judge):
        # "Tighten up the FAQ, pass it to Legal, fix what they flag": a first
        # judging step followed by another one before any making is the work itself.
        second = next((u for u in units[first_judge + 1 :] if kind(u) == "judge"), None)
        if second is not None and (draft is None or units.index(second) < units.index(draft)):
            draft = units[first_judge]
            draft.role = "draft"
        else:
            draft = None
    start = units.index(draft) + 1 if draft is not None else 0
    handed = _handed_over(ctx.tg)
    # Making steps chained after the draft, before the text's own check, make the same
    # version ("change something, rebuild, check the size, until ..."): they stay in order
    # and the last of them is the version the check and the rework see.
    while (
        draft is not None
        and start < len(units)
        and kind(units[start]) == "make"
        and units[start].item is None
        and draft.key in units[start].deps
        and units[start].key not in handed  # "refine it" reworks the version; it is no part of it
        and any(kind(v) == "judge" for v in units[start + 1 :])
    ):
        draft = units[start]
        start += 1
    if draft is None:
        # Gathering before any making or judging is the first version's input:
        # "research X, Y and Z" under a forced refinement gets a draft after it.
        prelude = []
        for u in units:
            if kind(u) != "gather":
                break
            prelude.append(u)
        start = len(prelude)
        if prelude and (start == len(units) or kind(units[start]) != "judge"):
            title = str(sec.get("draft_title", "Initial version"))
            draft = _structural(ctx, title, "draft", _says(ctx, "first_version"),
                                _ends(units, {u.key for u in prelude}))
            units.insert(start, draft)
            start += 1
    reviews: list[Unit] = []
    reviser: Unit | None = None
    steps = {st.id: st for st in ctx.tg.steps}
    relay = {str(v) for v in ctx.section("prompts").get("relay_verbs", [])}
    # Making that works on the draft itself ("refine it", "polish the draft") reworks it.
    for k, u in enumerate(units[start:]):
        reworks = draft is not None and u.key in handed and draft.key in u.deps
        # Handing the first version over ("send it to Priya for comments", "pass it to
        # Legal") with the text's own making after it is the review, not the rework.
        relayed = (
            draft is not None and not reviews and u.item is None and u.key in steps
            and (steps[u.key].verb or "").lower() in relay and bool(steps[u.key].object)
            and any(kind(v) == "make" for v in units[start + k + 1 :])
        )
        if kind(u) == "make" and not relayed and (reviews or reworks or u.key in looped or u.role == (draft.role if draft else "")):
            reviser = u
            break
        # A step that takes the draft to people ("run it past me and the platform
        # team") may read as gathering their views together; with the text's own
        # rework after it, it is the review, and no review is invented beside it.
        hands_on = kind(u) == "combine" and draft is not None and any(kind(v) == "make" for v in units[start + k + 1 :])
        if (kind(u) in ("judge", "make", "gather") or hands_on or relayed) and u is not draft:
            # Whatever the text does to the draft before the rework is its review
            # ("send it to Priya for a review", "I react").
            reviews.append(u)
            continue
        break
    if reviser is None and reviews and kind(reviews[-1]) == "make" and len(reviews) >= 2:
        reviser = reviews.pop()
    for r in reviews:
        st = steps.get(r.key)
        # Handing the draft to people ("show them to support and the PM") is their
        # review, whatever the words read as on their own: the agent stands in for them.
        handed_to = st is not None and (st.verb or "").lower() in relay and ctx.kind(r.role) != "judge"
        if kind(r) != "judge" or handed_to:
            r.role = "review"
            if st is not None:
                r.objective = _relayed(ctx, st, clean(st.text), r.item, role="review") or r.objective
        handing = _handing_words(ctx, st, relay) if st is not None and r.item is None else ""
        if handing:
            # "get a tester to try it", "have it read by a lawyer": who the version goes to
            # is part of the stage the user named; the title keeps it.
            r.title = short(f"{_cap(handing)} {clean(st.text) if st is not None else ''}")
    # "..., until the tests pass", "repeat until it survives a dry run": a check the stop
    # condition names and no step of the text runs is a step of its own, the test the loop ends on.
    check = _stop_check(ctx, units, loop.until if loop is not None else None, sec)
    if not reviews:
        named = _review_said(ctx, units, steps, {str(v) for v in sec.get("review_nouns", [])})
        title = named or str(sec.get("review_title", "Review for issues"))
        what = f"the result of '{draft.title}'" if draft else "the work"
        objective = _says(ctx, "review_said", what=what, said=_lower(named)) if named else _says(ctx, "review", what=what)
        role = "review"
        if check and not named:
            # with no review of its own, the text's check is how each version is judged
            title, role, objective, check = short(f"Check that {check}"), "test", _says(ctx, "stop_check", what=what, until=check), ""
        review = _structural(ctx, title, role, objective, [draft.key] if draft else [])
        units.insert(start, review)
        reviews = [review]
    if reviser is None:
        title = str(sec.get("revise_title", "Revise"))
        role = draft.role if draft is not None and draft.role in ("draft", "implement", "design") else "draft"
        what = f"the result of '{draft.title}'" if draft else "the work"
        reviser = _structural(ctx, title, role, _says(ctx, "revise", what=what), [])
        units.insert(units.index(reviews[-1]) + 1, reviser)
    if kind(reviser) != "make":
        reviser.role = "draft"
    for k, r in enumerate(reviews):
        inside = [d for d in r.deps if d in {x.key for x in reviews[:k]}]
        # With no first version, what the text put before the review is what it reads
        # ("read the essay, point out the mistakes, ..."): that order stays.
        before = {u.key for u in units[: units.index(r)]}
        r.deps = inside or ([draft.key] if draft is not None else [d for d in r.deps if d in before])
    review_ends = _ends(units, {r.key for r in reviews})
    reviser.deps = list(dict.fromkeys([*([draft.key] if draft is not None else []), *review_ends]))
    reviser.max_rounds, reviser.until, reviser.place = rounds, until, "revise"
    if check:
        # after the text's own review and rework, the check the loop stops on runs on the new version
        what = f"the result of '{reviser.title}'"
        units.insert(units.index(reviser) + 1, _structural(ctx, short(f"Check that {check}"), "test", _says(ctx, "stop_check", what=what, until=check), [reviser.key]))
    said = steps.get(reviser.key)
    if said is not None and draft is not None and not said.object and clean(said.text).lower() == (said.verb or "").lower():
        # A bare "revise" says nothing of what it reworks: the objective names the
        # version and its review, in the text's own verb.
        reviser.objective = _says(ctx, "rework", verb=_cap(said.verb or "revise"), what=f"'{draft.title.rstrip('…')}'")
    # The text's later steps build on the revised work, never on the draft it replaced.
    at = units.index(reviser)
    behind = _ancestors(units, reviser.key) | {reviser.key}
    for u in units[at + 1 :]:
        if not any(d not in behind for d in u.deps):
            u.deps = [reviser.key]
    # Steps the text put before the draft stay where they are.
    return units


# Where a clause ends before a handed-over step: what precedes it is another step's.
_CLAUSE_END = re.compile(r"[,;:.!?()\n]|\s(?:then|and|or|but|so)\s", re.IGNORECASE)


def _stop_check(ctx: BuildContext, units: Sequence[Unit], until: str | None, sec: Mapping[str, Any]) -> str:
    """The stop condition of a loop when it names a check ("the tests pass", "it survives
    a dry run on staging"); empty when it names none of ``[refinement] check_nouns``, or
    when a step of the text already tests the work or names that check."""
    if not until:
        return ""
    nouns = sorted((str(v) for v in sec.get("check_nouns", [])), key=len, reverse=True)
    said = clean(until).rstrip(".")
    noun = re.search(r"\b(?:" + "|".join(re.escape(n) for n in nouns) + r")\b", said, re.IGNORECASE) if nouns else None
    if noun is None:
        return ""
    key = re.compile(rf"\b{re.escape(noun.group(0))}", re.IGNORECASE)
    if any(u.role == "test" or key.search(f"{u.title} {u.objective}") for u in units):
        return ""
    return said


def _handing_words(ctx: BuildContext, st: TaskStep, relay: set[str]) -> str:
    """The words handing a version to someone, just before the step they do with it:
    "get a tester to" (try it), "have it" (checked by Legal), "ask the team to" (react).
    The parse reads the wrapped verb as the step and leaves the hand-over out of its
    words; empty when the step's clause starts with no relaying verb, or the words
    run long (then they are more than a hand-over)."""
    before = ctx.tg.text[: st.span[0]]
    ends = [m.end() for m in _CLAUSE_END.finditer(before)]
    gap = before[ends[-1] if ends else 0 :].strip()
    said = gap.split()
    if not said or said[0].lower() not in relay or len(said) > 6:
        return ""
    # another step's words are no hand-over
    if any(o.span[0] < st.span[0] and o.span[1] > st.span[0] - len(gap) - 1 and o.id != st.id for o in ctx.tg.steps):
        return ""
    return gap


def _review_said(ctx: BuildContext, units: Sequence[Unit], steps: Mapping[str, TaskStep], nouns: set[str]) -> str:
    """The review a making step names in a noun phrase, as a title: "refine it with
    feedback from each intake" -> "Feedback from each intake" (the noun, who gives it,
    up to where the clause or the loop's condition starts), taken out of the making
    step's title and objective; empty when none does."""
    if not nouns:
        return ""
    said = "|".join(sorted((re.escape(n) for n in nouns), key=len, reverse=True))
    pattern = re.compile(
        rf"\b(?:with|after|from|using|on|per|taking in|based on)\s+(?:(?:the|their|some)\s+)?((?:{said})\s+(?:from|of|by)\s+[^,;:.!?()\n]+?)"
        r"(?=\s+(?:until|till|til|then|and then|each time|every time|before|after)\b|[,;:.!?()\n]|$)",
        re.IGNORECASE,
    )
    for u in units:
        st = steps.get(u.key)
        if st is None or ctx.kind(u.role) != "make":
            continue
        m = pattern.search(st.text)
        if m is not None and len(m.group(1).split()) <= 8:
            # The review is a step of its own now: the making step no longer gathers it.
            u.objective = re.sub(r"\s+([.;,])", r"\1", u.objective.replace(m.group(0), "").replace("  ", " "))
            u.title = short(clean(st.text.replace(m.group(0), "")))
            return short(_cap(clean(m.group(1))))
    return ""


def _lower(title: str) -> str:
    t = title.rstrip("…")
    return t[:1].lower() + t[1:] if t and not any(c.isupper() for c in t.split()[0][1:]) else t


def build_pipeline(ctx: BuildContext) -> list[Unit]:
    sec = ctx.section("pipeline")
    units = units_from_parse(ctx)
    _fold_spelled_out(ctx, units, ctx.section("parallel_pipelines"))
    if len(units) < 2:
        own = units[0] if units else None
        work = own.objective.rstrip(".") if own is not None else ""
        defaults = [(str(d["title"]), str(d["role"])) for d in sec.get("default_stages", [])]
        # The text's one step is never dropped for the generic stages: it takes the
        # place of the stage doing its kind of work (the making stage when none does),
        # and the stages around it are said to be the advisor's.
        at = -1
        if own is not None:
            kinds = [ctx.kind(r) for _, r in defaults]
            mine = ctx.kind(own.role) if ctx.kind(own.role) in kinds else "make"
            # the last stage of its kind: a making step is the build, after the design
            at = max((k for k, x in enumerate(kinds) if x == mine), default=len(kinds) - 1)
        units = [
            own if k == at and own is not None
            else Unit(_fresh(ctx, t), t, r, _says(ctx, "default_stage", what=t, subject=_lower(work)) if work else sentence(t), [])
            for k, (t, r) in enumerate(defaults)
        ]
        if own is not None:
            ctx.notes.append(str(sec.get("generic_note", "")).format(step=own.title))
    # One path: every step waits for the step before it (the parse's own needs
    # kept); the items of one group stay side by side after the same step.
    group_of = {k: g.id for g in groups_of(ctx) for k in _group_keys(g)}
    prev: Unit | None = None
    before_group: dict[str, list[str]] = {}
    for u in units:
        g = group_of.get(u.key)
        if prev is not None:
            if ctx.forced:
                # Asked for a pipeline: one path through every step, items one after another.
                if prev.key not in u.deps:
                    u.deps = [*u.deps, prev.key]
            elif g is not None and g in before_group:
                if not u.deps:
                    u.deps = list(before_group[g])
            elif prev.key not in u.deps:
                ends = _ends(units, {k for k, x in group_of.items() if x == group_of.get(prev.key)}) if group_of.get(prev.key) else [prev.key]
                u.deps = list(dict.fromkeys([*u.deps, *ends]))
        if g is not None and g not in before_group:
            before_group[g] = list(u.deps)
        u.place = u.place or "stage"
        prev = u
    _reduce(units)
    _join_bare_verbs(ctx, units)
    limit = ctx.limit if ctx.limit is not None else int(sec.get("max_stages", 8))
    if ctx.limit is None and len(units) > limit and not ctx.tg.parallel:
        ctx.notes.append(
            f"The text lists {len(units)} stages; adjacent stages share agents so each carries a meaningful share of the work."
        )
        while len(units) > limit and _merge_chain(ctx, units):
            pass
    return units


def _join_bare_verbs(ctx: BuildContext, units: list[Unit]) -> None:
    """"review and polish the result": a bare judging verb before a making one
    on the same object is one stage, a check and its fixes (the reference text's
    own "Review and polish"); other stages the text names stay steps of their own."""
    steps = {st.id: st for st in ctx.tg.steps}
    k = 0
    while k < len(units) - 1:
        a, b = units[k], units[k + 1]
        st = steps.get(a.key)
        bare = st is not None and not st.object and st.item is None and clean(st.text).lower() == (st.verb or "").lower()
        nxt = steps.get(b.key)
        # the two verbs share the object only when "and" alone joins them; after a comma
        # ("export it, de-dupe, and hand it over") the bare verb is a stage of the list
        between = ctx.tg.text[st.span[1] : nxt.span[0]].strip().lower() if st is not None and nxt is not None else ""
        bare = bare and between in ("and", "&", "+")
        if bare and ctx.kind(a.role) == "judge" and ctx.kind(b.role) == "make" and b.deps == [a.key] and a.item is None and b.item is None and [u for u in units if a.key in u.deps] == [b]:
            b.title = short(f"{a.title} and {_lower(b.title)}")
            b.objective = sentence(f"{a.title} and {_lower(b.objective)}")
            b.role = a.role
            b.deps = list(a.deps)
            units.pop(k)
            continue
        k += 1


def build_direct(ctx: BuildContext) -> list[Unit]:
    steps = text_order(ctx.tg)
    if not steps:
        ctx.notes.append("Nothing in the text reads as a step of work; one agent takes the task as written.")
        return [Unit("_direct", short(ctx.task), "implement", sentence(ctx.task), [])]
    role = steps[0].role if len(steps) == 1 and steps[0].role in ctx.config.roles else "implement"
    units = units_from_parse(ctx)
    title = units[0].title if len(units) == 1 else short(ctx.task)
    # Several steps for one agent: the task as the user wrote it is its one
    # request (a list of the parser's steps would read as several jobs). So is
    # a task that says more than its one parsed step ("go through last month's
    # alerts and tell me which fired most" read as "tell me which fired most"):
    # the one agent gets all of it, or it would do less than was asked.
    whole = len(units) > 1 or bool(set(_slug_words(ctx.task)) - set(_slug_words(units[0].objective)))
    objective = sentence(ctx.task) if whole else units[0].objective
    return [Unit(units[0].key, title, role, objective, [], id_hint=title)]


BUILDERS: dict[str, Callable[[BuildContext], list[Unit]]] = {
    "direct": build_direct,
    "fan-out-fan-in": build_fan_out,
    "pipeline": build_pipeline,
    "parallel-pipelines": build_parallel_pipelines,
    "scout-build": build_scout_build,
    "competitive-evaluation": build_competitive,
    "incremental-refinement": build_refinement,
}


# --- for_each: work over things found at run time ---------------------------


def _opens_with(text: str, phrases: Iterable[str]) -> bool:
    low = " ".join(text.lower().split())
    return any(low == p or low.startswith(f"{p} ") for p in phrases)


def _mark_for_each(ctx: BuildContext, units: list[Unit]) -> None:
    """"find every service that calls the old API, then migrate each one": the
    later step runs once per thing the earlier gathering step finds."""
    sec = ctx.section("for_each")
    each = [str(w) for w in sec.get("each", [])]
    every = [str(w) for w in sec.get("every", [])]
    steps = {s.id: s for s in ctx.tg.steps}
    by_key = _by_key(units)
    for u in units:
        st = steps.get(u.key)
        if st is None or st.item is not None or not _opens_with(st.object, each):
            continue
        for d in ctx.tg.depends_on(st.id):
            src = steps.get(d)
            if src is not None and d in by_key and ctx.kind(src.role) == "gather" and _opens_with(src.object, every):
                u.each_of = d
                if d not in u.deps:  # the list reaches the step directly, past any step between
                    u.deps.append(d)
                by_key[d].gives_list = True
                break


# --- drafts and prompts ----------------------------------------------------


def _to_drafts(ctx: BuildContext, units: list[Unit]) -> list[Draft]:
    ids: dict[str, str] = {}
    for u in units:
        hint = u.id_hint or u.title
        if u.item is not None:
            # The item's name must survive the id's length cap.
            words = _slug_words(hint)
            item_words = _slug_words(u.item)
            if len("-".join(words)) > ID_MAX:
                hint = " ".join(item_words)
        ids[u.key] = ctx.new_id(hint)
    drafts = []
    for u in units:
        drafts.append(
            Draft(
                ids[u.key],
                u.title,
                u.role if u.role in ctx.config.roles else "implement",
                tuple(dict.fromkeys(ids[d] for d in u.deps if d in ids)),
                u.objective,
                item=u.item,
                others=u.others,
                place=u.place,
                max_rounds=u.max_rounds,
                until=u.until,
                each_of=ids.get(u.each_of) if u.each_of else None,
                gives_list=u.gives_list,
            )
        )
    return drafts


def _wording(ctx: BuildContext) -> dict[str, Any]:
    return ctx.section("prompts")


def _role_words(words: Mapping[str, Any], ctx: BuildContext, role: str) -> Mapping[str, Any]:
    roles = words.get("roles", {})
    if role in roles:
        return roles[role]  # type: ignore[no-any-return]
    kinds = words.get("kinds", {})
    return kinds.get(ctx.kind(role), {})  # type: ignore[no-any-return]


def _thin(ctx: BuildContext, objective: str) -> bool:
    """An objective that is the text's verb alone, or with only a particle or a word
    pointing back ("Compare.", "Find out.", "Look into it.")."""
    said = [w.strip(".,;:!?").lower() for w in objective.split()]
    verbs = {(st.verb or "").lower() for st in ctx.tg.steps} - {""}
    rest = _title_words("particles") | _title_words("pointing_words") | {"into", "about", "on", "in"}
    return bool(said) and said[0] in verbs and len(said) <= 3 and all(w in rest for w in said[1:])


def _prompt(ctx: BuildContext, d: Draft, by_id: Mapping[str, Draft]) -> str:
    words = _wording(ctx)
    mine = _role_words(words, ctx, d.role)
    lines = [str(words["objective"]).format(objective=d.objective)]
    if _thin(ctx, d.objective):
        # "Compare.", "Look into it.": the text's words alone say too little to act on.
        lines.append(str(words.get("thin_inputs" if d.depends_on else "thin", "")))
    before = [by_id[x] for x in d.depends_on if x in by_id]
    if d.item is not None and ctx.kind(d.role) == "gather" and len(before) == 1 and before[0].item == d.item and ctx.kind(before[0].role) == "gather":
        lines.append(str(words.get("builds_on", "")).format(title=before[0].title))
    if d.item is not None and d.others:
        lines.append(str(words["item"]).format(item=d.item, others=d.others))
    inputs = []
    for dep in d.depends_on:
        src = by_id[dep]
        if dep == d.each_of:
            inputs.append(str(words["each_item"]).format(title=src.title, id=dep))
        else:
            what = str(_role_words(words, ctx, src.role).get("what", "result"))
            inputs.append(str(words["input"]).format(what=what, title=src.title, id=dep))
    lines.append(str(words["inputs"]).format(inputs="; ".join(inputs)) if inputs else str(words["inputs_none"]))
    output = str(words["list_output"]) if d.gives_list else str(mine.get("output", ""))
    lines.append(str(words["output"]).format(output=output))
    bounds = [str(mine.get("boundaries", ""))]
    places = words.get("places", {})
    place = d.place
    if place == "stage":
        place = "stage_later" if d.depends_on else ""
    if place == "revise" and not d.depends_on:
        place = "loop_alone"
    if place == "branch" and (
        (d.item is not None and d.others)  # the item line already says it
        or not any(o.id != d.id and o.depends_on == d.depends_on for o in by_id.values())
    ):
        place = ""
    if place and place in places:
        bounds.append(str(places[place]))
    # A decision or a comparison is no review of this step's input: nothing to apply.
    verdicts = [by_id[x] for x in d.depends_on if x in by_id and ctx.kind(by_id[x].role) == "judge" and by_id[x].role not in ("decide", "compare")]
    if d.place != "revise" and ctx.kind(d.role) == "make" and d.role != "design" and verdicts:
        # "write it, get it proofread, then schedule it": the verdict comes with changes
        # nobody else makes; the step after it makes them before its own work.
        bounds.append(str(words.get("after_review", "")))
    lines.append(str(words["boundaries"]).format(boundaries=" ".join(b for b in bounds if b)))
    if d.max_rounds is not None:
        lines.append(str(words["loop"]).format(rounds=d.max_rounds, until=d.until or "the work is done"))
    return "\n".join(lines)


def build_steps(pattern: str, ctx: BuildContext) -> tuple[str, list[Draft], dict[str, str]]:
    """The pattern actually built, its draft steps and the prompt of each (by id)."""
    if ctx.limit is not None and ctx.limit < 2 and pattern != "direct":
        ctx.notes.append(f"--max-agents {ctx.limit} leaves room for one agent, so the work is not split.")
        pattern = "direct"
    if not ctx.tg.steps and pattern != "direct":
        ctx.notes.append("Nothing in the text reads as a step of work, so the work is not split.")
        pattern = "direct"
    units = BUILDERS[pattern](ctx)
    _acyclic(units)
    if pattern != "direct":
        _close_gatherers(ctx, units)
        _acyclic(units)
    _fit_limit(ctx, units)
    if pattern != "direct":
        _close_gatherers(ctx, units)
        _see_through_judges(ctx, units)
        _acyclic(units)
    if ctx.limit is not None and len(units) > ctx.limit:
        ctx.notes.append(f"--max-agents {ctx.limit} is fewer than the steps this pattern needs, so one agent does the work.")
        pattern, units = "direct", build_direct(ctx)
    if pattern != "direct":
        _mark_for_each(ctx, units)
    drafts = _to_drafts(ctx, units)
    by_id = {d.id: d for d in drafts}
    return pattern, drafts, {d.id: _prompt(ctx, d, by_id) for d in drafts}
