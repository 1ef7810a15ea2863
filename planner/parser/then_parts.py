"""I216 with an order: parts said for each thing one after the other ("each needs a draft,
then a review, then a sign-off", "each need: outline -> draft -> edit").

The list reader finds "a parser, fixtures and tests" after "each needs", but
"then" and arrows between the parts are no list joiners to it, so the first
part or two became the stages and the rest was lost. This reads the parts
after the part verb (or the colon) as a chain: noun phrases or gerunds cut at
"then", an arrow or a comma, up to the end of the clause, at least one cut
being "then" or an arrow (without one the list reader decides, as before).
A part that says it is made from the one before ("a caption based on the
script", "frames to go with it"; ``[then_parts] built_on`` in rules/parse.toml)
says the order as well, so "a script, a caption based on the script, and two
frames to go with it" is a chain of three; a list of things to buy has no such
phrase and is left to the list reader.
"""

from __future__ import annotations

from functools import cache

from planner.parser.distribute import ItemList
from planner.parser.tree import Tree
from planner.parser.words import (
    load_words,
    parse_phrases,
)

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


@cache
def _built_on() -> tuple[tuple[str, ...], ...]:
    """[then_parts] built_on: phrases that make a part from the part before it, as word tuples."""
    return parse_phrases("then_parts", "built_on")


def _built_on_at(t: Tree, a: int, b: int) -> int | None:
    """Where in words ``a``..``b`` a phrase starts that makes this part from an earlier one
    ("a flyer built off the menu": "built"), or None."""
    lows = tuple(t.low(x) for x in range(a, b + 1))
    return next((a + k for k in range(1, len(lows)) for p in _built_on() if lows[k : k + len(p)] == p), None)


def _names_made(t: Tree, a: int, b: int) -> bool:
    """Words ``a``..``b`` hold a noun of a made thing or of work ("a script", "a review"):
    "a blanket to match" is a thing to bring, "a caption to match" a thing to make."""
    w = load_words()
    return any(t.words[x].upos == "NOUN" and (t.lemma(x) in w.made or t.lemma(x) in w.work_nouns) for x in range(a, b + 1))


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
    # "a caption based on the script": a later part made from an earlier one orders the list
    if not ordered:
        # the part is the thing made ("a flyer"); the phrase only says what it is made from
        built = [
            (a, c - 1) if (c := _built_on_at(t, a, b)) is not None and (_names_made(t, a, c - 1) or _names_made(t, *spans[n])) else None
            for n, (a, b) in enumerate(spans[1:])
        ]
        if any(built):
            ordered = True
            spans = [spans[0], *(cut or span for cut, span in zip(built, spans[1:], strict=True))]
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
