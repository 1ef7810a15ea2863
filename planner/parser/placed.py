"""Work implied by where a thing has to end up (S374, S375).

People often ask for an errand by naming only the place a thing must reach:
"the dentist appointment needs to be in my calendar", "a short reply to the
landlord should be in his inbox by noon", "I want the train times in my
diary", "tomorrow's forecast in my inbox, please". No verb asks for the
putting, yet the place names it: a calendar is added to, an inbox is sent
to, a website is posted on. The place nouns and the work each one implies
are ``[placed]`` in ``rules/kinds.toml``.

When the thing placed is itself a result that has to be made or found first
("a short reply", "the forecast", "the tide times") and nothing else in the
sentence asks for it, that making is a step too, before the placing (S375).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner import tomlcache
from planner.errors import RuleFileError
from planner.parser.clauses import Pred, negated
from planner.parser.readings import doc_only, reading
from planner.parser.tree import Tree

_PATH = "rules/kinds.toml"
# Words a destination phrase may hold between its preposition and its noun:
# "in my calendar", "on the club website", "in the guests' inboxes".
_INSIDE = frozenset({"DET", "PRON", "ADJ", "NOUN", "PROPN", "PART", "PUNCT"})
# Words that say whose place it is: a place of one's own, not "a calendar" in general.
_OWNED = frozenset({"my", "our", "your", "his", "her", "their", "the", "'s", "'", "its"})
# Politeness a verbless request may end in.
_FILLER = frozenset({"please", "pls", "plz", "thanks", "ta", "cheers"})
_POINTING = frozenset({"it", "this", "that", "them", "these", "those"})
# A thing named by a choice still to make ("whichever day is drier"): a question first.
_FREE_RELATIVES = frozenset({"whichever", "whichever's", "whatever", "whoever"})


@dataclass(frozen=True)
class Places:
    """``[placed]``: the place nouns, the verb each implies, and the words of a placing."""

    verbs_by_place: Mapping[str, str]  # "calendar" -> "add"
    placing: frozenset[str]  # "be", "go", "end" (up)
    wanting: frozenset[str]  # "should", "must", "need", ...
    wishes: frozenset[str]  # "need", "want", "like", "love"
    cases: frozenset[str]  # "in", "on", "into", "onto"
    results: frozenset[str]  # things that are made or found before they are placed


def _strings(table: Mapping[str, Any], key: str) -> frozenset[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleFileError(f"[placed] {key} must be a list of strings", path=_PATH)
    return frozenset(v.lower() for v in value)


def places_from_table(data: Mapping[str, Any]) -> Places:
    table = data.get("placed", {})
    if not isinstance(table, dict):
        raise RuleFileError("[placed] must be a table", path=_PATH)
    where = table.get("places", {})
    if not isinstance(where, dict):
        raise RuleFileError("[placed.places] must be a table", path=_PATH)
    by_place = {noun: verb.lower() for verb in where for noun in _strings(where, verb)}
    return Places(
        verbs_by_place=by_place,
        placing=_strings(table, "placing"),
        wanting=_strings(table, "wanting"),
        wishes=_strings(table, "wishes"),
        cases=_strings(table, "cases"),
        results=_strings(table, "results"),
    )


@cache
def load_places() -> Places:
    return places_from_table(tomlcache.read_builtin("kinds.toml", "kinds of material"))


def _destination(t: Tree, d: int, pl: Places) -> int | None:
    """The preposition opening the destination phrase that ends at the place noun ``d``
    ("in my calendar"), when the place is someone's own; else None."""
    owned = False
    j = d - 1
    while j >= 0 and t.words[j].upos in _INSIDE and t.low(j) not in pl.cases and (t.words[j].upos != "PUNCT" or t.low(j) in ("'", "’")):
        owned = owned or t.low(j) in _OWNED or t.low(j).endswith("'s")
        if d - j > 5:
            return None
        j -= 1
    if j < 0 or t.low(j) not in pl.cases or not owned:
        return None
    return j


def _clause_verbs(t: Tree, lo: int, hi: int) -> list[int]:
    """Verbs and auxiliaries in ``lo..hi`` that are not inside a relative clause or a
    participle describing a noun ("the times that suit", "the letter attached")."""
    return [
        i
        for i in range(lo, hi)
        if t.words[i].upos in ("VERB", "AUX")
        and not any(t.rel(a) in ("acl", "acl:relcl", "amod") for a in [i, *t.ancestors(i)])
    ]


def _placing_verb(t: Tree, c: int, pl: Places) -> int | None:
    """'needs to be | should go | must end up' right before the destination at ``c``:
    the placing verb, when a modal or a need before it asks for it."""
    j = c - 1
    if j >= 0 and t.low(j) == "up":
        j -= 1  # "end up in"
    if j < 0 or t.lemma(j) not in pl.placing:
        return None
    before = [t.low(i) for i in range(max(0, j - 4), j)] + [t.lemma(i) for i in range(max(0, j - 4), j)]
    if not pl.wanting & set(before) or negated(t, j):
        return None
    # "I need to be on site by nine": a person placed is no errand
    if any(t.rel(i) == "nsubj" and t.low(i) in _PEOPLE and not _in_relative(t, i) for i in range(j)):
        return None
    return j


_SOURCES = frozenset({"from", "off", "at"})
_PEOPLE = frozenset({"i", "we", "you", "he", "she", "they", "u"})


def _in_relative(t: Tree, i: int) -> bool:
    return any(t.rel(a) in ("acl", "acl:relcl", "amod") for a in t.ancestors(i))


def _wish_verb(t: Tree, c: int, d: int, pl: Places) -> int | None:
    """'I need | I'd like | we want <thing> in DEST': the wish verb whose thing is placed
    (the place hangs on the wish or on its object itself: "the photos from the page on
    our website" names where the photos are, not where they go)."""
    for i in range(c - 1, -1, -1):
        if t.words[i].upos not in ("VERB", "AUX"):
            continue
        if t.lemma(i) in pl.wishes and not negated(t, i):
            subj = t.child(i, "nsubj")
            obj = t.child(i, "obj")
            if subj is not None and t.low(subj) in ("i", "we") and obj is not None and t.head(d) in (i, obj):
                # "the photos from the page on our website": after a source, a place says where it is
                return None if any(t.low(k) in _SOURCES for k in range(obj, c)) else i
        if not any(t.rel(a) in ("acl", "acl:relcl", "amod") for a in [i, *t.ancestors(i)]):
            return None  # another verb between the wish and the place
    return None


def _verbless(t: Tree, c: int) -> bool:
    """No verb before the destination at ``c``: a request named by its thing alone
    ("Friday's forecast in my inbox, please")."""
    return not _clause_verbs(t, 0, c) and any(t.words[i].upos in ("NOUN", "PROPN") for i in range(c))


def _thing_head(t: Tree, lo: int, hi: int, pl: Places) -> int | None:
    """The noun a thing is named by: the last noun before its first preposition or clause
    (a result noun counts whatever its tag: "the weekend forecast" read as a verb)."""
    head = None
    for i in range(lo, hi):
        result = t.low(i) in pl.results
        if not result and (t.words[i].upos in ("ADP", "SCONJ", "VERB", "AUX") or t.low(i) in ("that", "which")):
            break
        if (result or t.words[i].upos in ("NOUN", "PROPN")) and not (i + 1 < hi and t.low(i + 1) in ("'s", "'")):
            head = i
    return head


@reading(
    "S374",
    "placed-thing",
    "A thing said to be wanted in a place of the user's ('X needs to be in my calendar', 'X should go on the club website', 'I want X in my diary', 'X in my inbox, please') is a step that puts it there: added, sent or posted.",
)
def placed_things(text: str, trees: Sequence[Tree], preds: list[Pred], pl: Places | None = None) -> list[Pred]:
    """The place a thing must end up in names the errand that puts it there:
    a calendar or a diary is added to, an inbox is sent to, a website, a
    blog or a page is posted on (``[placed] places``). The place must be
    someone's own ("my calendar", "the guests' inboxes", "the club
    website"; not "a calendar") after "in", "on", "into" or "onto", and the
    sentence must ask for the placing: a modal or a need before a verb of
    being or going ("needs to be in", "should go on", "must end up in"), a
    wish of the speaker's with the thing as its object ("I need that time
    in my calendar"), or no verb at all before the place ("Sunday's
    forecast in my inbox, please"). A question ("what's in my diary
    today?"), a place the work reads from ("check what's in my calendar"),
    a negation, and a sentence whose verb puts the thing there already
    ("add it to my calendar") add nothing. The step waits for the work
    before it: what it puts there is that work's result.
    """
    places = pl or load_places()
    out = list(preds)
    for t in trees:
        if any(t.words[i].text == "?" for i in range(len(t))):
            continue
        heads = {p.i for p in preds if p.tree is t} | {p.anchor for p in preds if p.tree is t}
        # "..., and is anyone's birthday on my calendar": the words of a question step ask
        asked = [p.part for p in preds if p.tree is t and p.part is not None and p.kind == "question"]
        for d in range(len(t)):
            verb = places.verbs_by_place.get(t.low(d))
            if verb is None or t.words[d].upos not in ("NOUN", "PROPN") or d in heads:
                continue
            if any(a <= d < b for a, b in asked):
                continue
            if t.rel(d) == "compound" or (d + 1 < len(t) and t.words[d + 1].upos == "NOUN"):
                continue  # "in the calendar view", "on the website footer": a part of it, no place
            c = _destination(t, d, places)
            if c is None:
                continue
            at = _placing_verb(t, c, places)
            wish = None if at is not None else _wish_verb(t, c, d, places)
            if at is None and wish is None and not _verbless(t, c):
                continue
            if any(h is not None and h >= 0 and h != at and t.lemma(h) not in places.wishes and h in _clause_verbs(t, 0, c) for h in heads):
                continue  # "add the times to my calendar": a step's own verb puts it there
            out = [p for p in out if not (p.tree is t and p.i == at)]  # "go" read as a step of its own
            placing = Pred(t, d, verb, "verb", ["S374"], anchor=d)
            placing.markers = {"next"}
            thing = _made_first(trees, t, c, wish, out, places)
            if thing is not None:
                out.append(thing)
            out.append(placing)
            break
    out.sort(key=lambda p: p.key)
    return out


doc_only(
    "S375", "made-then-placed",
    "'a short reply to the landlord needs to be in his inbox by noon', 'tomorrow's forecast in my inbox, please': a result that is placed, and that nothing else asks for, is made or found first.",
    """When the thing a sentence wants in a place (S374) is a result that
    does not exist yet, a reply, a summary, a forecast, times or prices
    (``[placed] results`` in rules/kinds.toml), and no other step of the
    sentence asks for it, it is written, made or found first, and the placing
    waits for it: two steps. A thing the user has already ("the dentist
    appointment", "my flight") is only put in place, and a pointer ("I need
    that in my diary") takes the result of the work before it.""",
)


def _asked_before(trees: Sequence[Tree], t: Tree, preds: Sequence[Pred]) -> Pred | None:
    """The question just before ``t`` that a free relative answers ("Will it be dry on
    Saturday or Sunday? Whichever is drier ..."), when no step asks it yet; else None."""
    at = next((n for n, x in enumerate(trees) if x is t), 0)
    if at == 0:
        return None
    q = trees[at - 1]
    if not any(q.words[i].text == "?" for i in range(len(q))) or any(p.tree is q for p in preds):
        return None
    root = next((i for i in range(len(q)) if q.head(i) is None), None)
    return None if root is None else Pred(q, root, "answer", "question", ["S375"])


def _made_first(
    trees: Sequence[Tree], t: Tree, c: int, wish: int | None, preds: Sequence[Pred], pl: Places
) -> Pred | None:
    """S375: the step that makes the placed thing, when it is a result no step asks for."""
    if any(p.tree is t and (p.i < c or (p.anchor >= 0 and p.anchor < c)) for p in preds):
        return None  # "I want the train times in my calendar": the wanted thing is a step already
    lo = wish + 1 if wish is not None else 0
    while lo < c and (t.words[lo].upos in ("PUNCT", "CCONJ", "INTJ") or t.low(lo) in _FILLER):
        lo += 1
    if lo < c and t.low(lo) in _FREE_RELATIVES:
        # "whichever day is drier should go in the diary": which one is a question answered
        # first, the one the sentence before asked if it did
        if (asked := _asked_before(trees, t, preds)) is not None:
            return asked
        if any(p.tree is not t and p.kind == "question" for p in preds):
            return None  # the question is a step already: the placing waits for it
        end = next((k for k in range(lo + 1, c) if t.low(k) in pl.wanting or t.lemma(k) in pl.placing), c)
        return Pred(t, lo, "answer", "question", ["S375"], part=(lo, end))
    head = _thing_head(t, lo, c, pl)
    if head is None or (t.lemma(head) not in pl.results and t.low(head) not in pl.results):
        return None
    if any(t.low(x) in _POINTING for x in range(lo, head)):
        return None
    from planner.parser.implied import _part_verb, load_kinds

    verb = _part_verb(t, lo, head + 1, load_kinds())
    return Pred(t, head, verb, "wanted", ["S375"], anchor=head)
