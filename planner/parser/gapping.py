"""Gapped commands: "translate the brochure, then the website" asks for the same work twice.

English leaves out a repeated verb (gapping): after a command with an
object, "then" and a bare noun phrase name one more thing the same work is
done to, in that order ("generate the spec from the app, then the client
from the spec", "write the migration, then the repository layer"). The
tree has no predicate there (the noun phrase hangs on the first verb as an
oblique or an apposition), so without this reading the second thing is
folded into the first step and its order is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from planner.parser.clauses import Pred
from planner.parser.readings import doc_only, reading
from planner.parser.tree import Tree
from planner.parser.words import Words, word_sets

# Words that may stand between "then" and the noun phrase's head: an article,
# a possessive, a number, modifiers and the first parts of a compound.
_NP_TAGS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "PRON"})
# What may end the gapped phrase: a clause or list boundary, or the sentence's end.
_ENDS = frozenset({",", ";", ".", "!", "?", "and", "then", "&", ":", "->", "→"})


@dataclass(frozen=True)
class GapWords:
    not_gapped: frozenset[str]  # head nouns that say when, not what ("then the next day")


@cache
def load_gap_words() -> GapWords:
    """The built-in ``[gapping]`` words (cached for the process)."""
    return GapWords(*word_sets("gapping", "not_gapped"))


def _gapped_head(t: Tree, j: int) -> int | None:
    """The head of the bare noun phrase that "then" at ``j`` opens, when the phrase up to the
    next break has no verb of its own ("then the TS client from it", not "then the tests pass")."""
    before = t.low(j - 1) if j > 0 else ""
    if before not in (",", "and", ";"):
        return None  # "then" after a break in the sentence: ", then the website", "and then the docs"
    k = j + 1
    head = None
    while k < len(t) and t.words[k].upos in _NP_TAGS:
        if t.words[k].upos == "PRON":
            return None  # "then it", "then them": the same thing again, no new one
        if t.words[k].upos in ("NOUN", "PROPN"):
            head = k
        k += 1
    if head is None:
        return None
    while (h := t.head(head)) is not None and j < h < k:
        head = h  # "then 2 review passes": the tree's head of the phrase (T061), not its last noun
    while k < len(t) and t.low(k) not in _ENDS:
        if t.words[k].upos in ("VERB", "AUX"):
            return None
        k += 1
    return head


doc_only(
    "S471", "gapped-hand-over",
    "'run it by the coach, then by the captain': 'then' and the hand-over's own preposition with a person is the same hand-over again, a round of review of its own.",
    """A version handed to one reviewer after another is often written with
    the verb said once: "run it past finance, then past the director",
    "send it to Ana, then to Luis", "check it with the chef, then with the
    owner". The second reviewer hangs on the first verb as one more
    oblique, and the round is folded into the first one. After a command
    with an object whose own oblique opens with a preposition ("by", "to",
    "past", "with"), ", then" (or "and then") followed by that same
    preposition and a noun phrase with no verb of its own, up to the next
    comma or the sentence's end, is the same hand-over to someone else: a
    step of its own, after the first (O330). A different preposition
    ("then by Friday" after "send it to Ana") or a time noun is no second
    reviewer.""",
)


def _handed_again(t: Tree, j: int, verbs: list[Pred]) -> int | None:
    """S471: the head noun of "then PREP NP" at ``j`` when the command before it has an
    oblique with the same preposition ("run it by Legal, then by the union rep")."""
    if t.low(j) != "then" or j + 2 >= len(t) or t.low(j - 1) not in (",", "and", ";"):
        return None
    prep = t.low(j + 1)
    if prep not in _HAND_OVER_PREPS:
        return None
    owner = next((p for p in reversed(verbs) if p.i < j), None)
    if owner is None:
        return None
    verb = owner.anchor if owner.anchor >= 0 else owner.i
    if not any(t.low(c) == prep for o in t.children(verb, "obl") if o < j for c in t.children(o, "case")):
        return None
    k, head = j + 2, None
    while k < len(t) and t.words[k].upos in _NP_TAGS:
        if t.words[k].upos == "PRON" and t.low(k) not in ("me", "us"):
            return None
        if t.words[k].upos in ("NOUN", "PROPN") or t.low(k) in ("me", "us"):
            head = k
        k += 1
    if head is None or (k < len(t) and t.low(k) not in _ENDS):
        return None
    return head


# S471: prepositions that hand a version to a reviewer.
_HAND_OVER_PREPS = frozenset({"by", "to", "past", "with", "through"})


doc_only(
    "O330", "gapped-order",
    "'translate the brochure, then the website': the gapped step comes after the step whose verb it repeats.",
    """The "then" that opens a gapped noun phrase (S160) orders it: the thing
    named after it is worked on after the thing before it, and a second
    gapped phrase after the first ("..., then the website, then the app
    listing").""",
)


doc_only(
    "S431", "gapped-after-light-verb",
    "'do the site visit first, then the risk list, then the report draft': after a light verb whose object names work, a bare noun phrase after 'then' is one more piece of work, its own step, in order.",
    """A light verb ("do", "run", "carry out") with a noun of work ("do the
    site visit") is a step named by the noun (S103). Gapping (S160) then
    leaves out the light verb before the next objects: ", then the risk
    list, then the report draft". Each such phrase is a step of its own,
    named by its noun's verb where it has one ("draft") and by the light
    verb otherwise ("do the risk list"), after the one before it (O330).""",
)


def _light_noun(t: Tree, p: Pred, w: Words) -> bool:
    """S431: ``p`` is a noun of work carried by a light verb ("do the site visit")."""
    return p.kind == "noun" and "S103" in p.codes and 0 <= p.anchor != p.i and t.lemma(p.anchor) in w.light


@reading(
    "S160", "gapped-command",
    "'translate the brochure, then the website': a bare noun phrase after 'then' is the same work done to one more thing, after the first.",
)
def gapped_commands(t: Tree, found: list[Pred], w: Words, gw: GapWords | None = None) -> list[Pred]:
    """After a command with an object, ", then" or "and then" followed by a
    noun phrase with no verb of its own, up to the next comma, "and", "then"
    or the sentence's end, names one more thing the same verb works on: a step
    of its own with the command's verb, in order after the one before it.
    The command must have an object, so "deploy, then the smoke tests" (no
    object to stand beside) is left to the other readings; a phrase that says
    when ("then the next morning") or points back ("then it") is no new thing.
    Returns ``found`` with the new steps in word order.
    """
    gw = gw or load_gap_words()
    # S471: a draft's journey ("it goes to finance, then to the director") has no object of its own
    verbs = sorted((p for p in found if (p.kind == "verb" or _light_noun(t, p, w))
                    and (t.child(p.anchor if p.anchor >= 0 else p.i, "obj") is not None or "S473" in p.codes)),
                   key=lambda p: p.i)
    if not verbs:
        return found
    taken = {p.i for p in found}
    extra: list[Pred] = []
    last: dict[int, Pred] = {}  # the step each gapped phrase follows, by its verb
    for j in range(1, len(t)):
        handed = _handed_again(t, j, verbs)  # S471: "run it by Legal, then by the union rep"
        head = handed if handed is not None else _gapped_head(t, j) if t.low(j) == "then" else None
        if head is None:
            continue
        c = head
        if c in taken or t.lemma(c) in gw.not_gapped:
            continue
        owner = next((p for p in reversed(verbs) if p.i < j), None)
        # the phrase follows its command's own words: no other step between them
        if owner is None or any(owner.i < k < j for k in taken):
            continue
        prev = last.get(owner.i, owner)
        if handed is not None:
            p = Pred(t, c, owner.verb, "noun", ["S471", "S160"], anchor=c)
        elif owner.kind == "verb":
            p = Pred(t, c, owner.verb, "noun", ["S160"], anchor=c)
        else:
            # S431: "do the site visit, then the risk list": the light verb's next object is its own work
            from planner.parser.clauses import noun_verb

            p = Pred(t, c, noun_verb(t.lemma(c), w) or t.lemma(owner.anchor), "noun", ["S431", "S160"], anchor=c)
        p.sub, p.governor = "then", prev.anchor if prev.anchor >= 0 else prev.i
        extra.append(p)
        last[owner.i] = p
    if not extra:
        return found
    return sorted([*found, *extra], key=lambda p: p.i)
