"""Gapped "another": "make a chart of the rain, and another of the heat" makes two things (S237).

English leaves out the verb and the noun when a second thing of the same kind is
asked for: "draw a chart of the sales, and another of the costs", "make a
poster for the fair and another for the concert". The tree has no predicate
there ("another" hangs on the first verb or its object), so without this
reading the second thing is folded into the first step.
"""

from __future__ import annotations

from planner.parser.clauses import Pred
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "S237", "gapped-another",
    "'draw a chart of the sales, and another of the costs': 'another' with a phrase of its own after a command that makes one thing is one more thing made the same way, a step of its own.",
    """After a command whose object is one new thing ("a chart", "a poster"),
    ", and another" or "and another" followed by a phrase of its own ("of the
    costs", "for the concert", "from b.csv") and no verb up to the next comma,
    "and", "then" or the end asks for one more thing of the same kind, made by
    the same verb from what that phrase names: a step beside the first. A
    bare "another" ("make one, then another") or one that is a verb's own
    object ("and print another") is left to the other readings.""",
)

_INDEFINITE = frozenset({"a", "an", "one"})
_PHRASE_CASES = frozenset({"of", "for", "from", "about", "with", "on"})
_ENDS = frozenset({",", ";", ".", "!", "?", "and", "then", "&", ":", "—"})
_NP_TAGS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "ADP", "PRON", "PART", "CCONJ", "X", "SYM"})


def _own_phrase(t: Tree, j: int) -> bool:
    """Right after "another" at ``j``: a preposition, then words with no verb up to a break."""
    k = j + 1
    if k < len(t) and t.low(k) == "one":
        k += 1
    if k >= len(t) or t.low(k) not in _PHRASE_CASES:
        return False
    k += 1
    while k < len(t) and t.low(k) not in _ENDS:
        if t.words[k].upos in ("VERB", "AUX"):
            return False
        k += 1
    return True


def another_of(t: Tree, found: list[Pred]) -> list[Pred]:
    """S237: one more step per gapped "another" after a command that makes one new thing.
    Returns ``found`` with the new steps in word order."""
    verbs = [p for p in found if p.kind == "verb"]
    taken = {p.i for p in found}
    extra: list[Pred] = []
    for j in range(2, len(t)):
        if t.low(j) != "another" or t.low(j - 1) not in (",", "and") or j in taken:
            continue
        if t.low(j - 1) == "and" and t.rel(j) == "obj" and t.head(j) not in {p.anchor for p in verbs}:
            continue
        owner = next((p for p in reversed(verbs) if p.i < j), None)
        if owner is None or any(owner.i < k < j for k in taken) or not _own_phrase(t, j):
            continue
        obj = t.child(owner.anchor if owner.anchor >= 0 else owner.i, "obj")
        if obj is None or obj > j or not any(t.low(d) in _INDEFINITE for d in t.children(obj, "det", "nummod")):
            continue
        head = j + 1 if t.low(j + 1) == "one" and t.head(j) == j + 1 else j  # "another one for the concert"
        extra.append(Pred(t, head, owner.verb, "noun", ["S237"], anchor=head))
    if not extra:
        return found
    return sorted([*found, *extra], key=lambda p: p.i)


doc_only(
    "O349", "another-beside",
    "'draw a chart of the sales, and another of the costs': the thing asked for with a gapped 'another' is made beside the first, from its own material.",
    """The step read from a gapped "another" (S237) makes its thing from what
    its own phrase names, not from the first thing: it waits for what the
    first step waited for, and a later step that takes them all ("put them
    side by side", "then compare them") waits for both (O346).""",
)
