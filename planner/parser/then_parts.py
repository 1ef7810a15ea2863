"""I216 with an order: parts said for each thing one after the other ("each needs a draft,
then a review, then a sign-off", "each need: outline -> draft -> edit").

The list reader finds "a parser, fixtures and tests" after "each needs", but
"then" and arrows between the parts are no list joiners to it, so the first
part or two became the stages and the rest was lost. This reads the parts
after the part verb (or the colon) as a chain: noun phrases or gerunds cut at
"then", an arrow or a comma, up to the end of the clause, at least one cut
being "then" or an arrow (without one the list reader decides, as before).
"""

from __future__ import annotations

from planner.parser.distribute import ItemList
from planner.parser.tree import Tree

_ARROWS = frozenset({"->", "=>", "→", "⇒", "-->", ">>"})
# Cuts between two parts; "then" and an arrow also say the order.
_ORDERED = frozenset({"then", *_ARROWS})
_CUTS = frozenset({",", *_ORDERED})
# Words that may follow a cut before the part starts (", and then a review"); a bare "and"
# joins words inside one part ("a check in Chrome and Safari").
_AFTER_CUT = frozenset({"and", *_CUTS})
# Where the parts end: the sentence's or clause's end.
_ENDS = frozenset({".", ";", "?", "!", ":", "：", "(", ")"})
# Words a part may hold: a noun phrase, a gerund or participle with its object ("adding to
# the list", "a bracket set up"), numbers and the particles of both.
_PART_TAGS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "ADP", "VERB", "PART", "ADV", "X", "SYM", "CCONJ", "PRON", "PUNCT"})
# A part opens with a noun phrase or a gerund, never with a finite clause ("..., then we ship").
_SUBJECTS = frozenset({"i", "we", "you", "they", "he", "she", "it"})


def then_parts(t: Tree, j: int) -> ItemList | None:
    """The parts after word ``j`` (the part verb, or the colon of a heading) when they are
    cut by "then" or arrows; None when there are fewer than two, or no cut says an order."""
    k = j + 1
    n = len(t)
    if k < n and t.low(k) in (":", "："):
        k += 1  # "each need: outline -> draft -> edit"
    spans: list[tuple[int, int]] = []
    ordered = False
    first = k
    start = k
    while k <= n:
        low = t.low(k) if k < n else "."
        if low in _ENDS or k == n:
            if start < k:
                spans.append((start, k - 1))
            break
        if low in _CUTS:
            if low in _ORDERED:
                ordered = True
            if start < k:
                spans.append((start, k - 1))
            # ", and then", ", then": one cut
            while k + 1 < n and t.low(k + 1) in _AFTER_CUT:
                k += 1
                ordered = ordered or t.low(k) in _ORDERED
            start = k + 1
        elif t.words[k].upos not in _PART_TAGS:
            return None
        k += 1
    if not ordered or len(spans) < 2 or spans[0][0] != first:
        return None
    for a, b in spans:
        if t.low(a) in _SUBJECTS or (a + 1 <= b and t.words[a + 1].upos in ("AUX",)):
            return None  # "then we ship it": a clause, not a part
        if t.words[a].upos in ("VERB", "AUX") and not t.low(a).endswith("ing"):
            return None  # "translate it, then merge": commands, which the clause readings read
        if t.words[b].upos in ("CCONJ", "DET"):
            return None  # a part cut short
    text_spans = tuple((t.words[a].start, t.words[b].end) for a, b in spans)
    return ItemList(text_spans, spans[0][0], spans[-1][1], False, ("I216",))
