"""I422: a counted heading before a colon, and as many parts after it.

"Analyse the tickets from three angles: by category (hardware, software,
access), by time of day, and by which engineer closed them", "I'd like three
separate pieces of research: how ...; what ...; and how ...". The writer
says how many things follow, then writes each as a phrase or a clause, too
long for the list reader's short noun phrases, and often with a list of its
own inside a bracket. When the parts after the colon, cut at the commas or
semicolons outside brackets, are exactly as many as the count, they are the
things the work is done for, one each. Parts joined by "or" are options
(left to the option readings), parts that open with a verb are commands, and
counted stages ("in three stages: ...", ``[counted_parts] sequence`` in
rules/parse.toml) follow one another.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import cache

from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import parse_word_sets, small_count

doc_only(
    "I422", "counted-parts-after-colon",
    "In 'look at it from three angles: by region (north, south), by month, and by which team filed it' the items are the three parts: a count before a colon names how many parts follow, however long.",
    """The list reader takes short noun phrases; parts written as phrases
    with clauses or brackets of their own ("by which engineer closed them",
    "how the snow affected deliveries in 2021, 2022 and 2023") are too long
    for it, and a bracket inside the first part ("by category (hardware,
    software, access)") passes for the list. When a number and its noun
    stand right before a colon and the rest of the sentence cuts, at commas
    or semicolons outside brackets (semicolons alone when there are any),
    into exactly that many parts, those parts are the work's items. Parts
    joined by "or", parts that open with a verb (commands), and counted
    stages or steps (a sequence) are left to the other readings.""",
)

# Words between the number and the colon: the counted noun and what describes it ("separate pieces of research").
_HEADING_TAGS = frozenset({"ADJ", "NOUN", "PROPN", "ADP", "DET"})
# Words that open a part only to join it to the one before.
_JOINERS = frozenset({"and", "plus", "&"})
_END = frozenset({".", "!", "?"})


@cache
def _sequence() -> frozenset[str]:
    return parse_word_sets("counted_parts", "sequence")[0]


def _count_before(t: Tree, colon: int, verb: int, numbers: Mapping[str, int]) -> int | None:
    """The count of the noun phrase right before ``colon`` ("three angles", "three separate pieces of research")."""
    for k in range(colon - 1, max(verb, colon - 7), -1):
        low = t.low(k)
        value = small_count(low, numbers)
        if value is not None:
            nouns = [j for j in range(k + 1, colon) if t.words[j].upos in ("NOUN", "PROPN")]
            if not nouns or any(t.lemma(j) in _sequence() for j in nouns):
                return None
            return value if value >= 2 else None
        if t.words[k].upos not in _HEADING_TAGS:
            return None
    return None


def _parts(t: Tree, lo: int, hi: int) -> list[tuple[int, int]] | None:
    """The parts of words ``lo..hi`` cut at separators outside brackets (semicolons when there are any)."""
    depth = 0
    top: list[tuple[int, str]] = []
    for k in range(lo, hi):
        text = t.words[k].text
        if text in ("(", "["):
            depth += 1
        elif text in (")", "]"):
            depth = max(0, depth - 1)
        elif depth == 0 and text in (",", ";"):
            top.append((k, text))
    cuts = [k for k, s in top if s == ";"] or [k for k, _ in top]
    out: list[tuple[int, int]] = []
    start = lo
    for k in [*cuts, hi]:
        a = start
        while a < k and t.low(a) in _JOINERS:
            a += 1
        if a >= k:
            return None
        if t.low(a) == "or" or t.low(a) in ("then", "next", "finally"):
            return None  # options, or a sequence of stages
        out.append((a, k - 1))
        start = k + 1
    return out


def counted_parts(t: Tree, verb: int, others: Collection[int], numbers: Mapping[str, int]) -> list[tuple[int, int]] | None:
    """I422: the character spans of the parts after a counted heading's colon, or None
    (``numbers``: the number words, ``Words.number_words``)."""
    colon = next((k for k in range(verb + 1, len(t)) if t.words[k].text in (":", "：")), None)
    if colon is None or any(verb < q < colon for q in others) or any(q > colon for q in others):
        return None
    n = _count_before(t, colon, verb, numbers)
    if n is None:
        return None
    hi = len(t)
    while hi > colon + 1 and t.words[hi - 1].text in _END:
        hi -= 1
    parts = _parts(t, colon + 1, hi)
    if parts is None or len(parts) != n:
        return None
    if any(t.words[a].upos in ("VERB", "AUX") for a, _ in parts):
        return None  # "three things: renew the licence, add Kim, print the index": commands
    return [(t.words[a].start, t.words[b].end) for a, b in parts]
