"""I562: a count that points back at things named before ("the three of them", "those 4 suppliers").

A writer names the things once, in a question or a sentence of their own
("Should we host with A, B or C?", "We shortlisted A, B, C and D."), and the
command after it takes them by their number: "price the three of them",
"email those 4 suppliers", "try these two". The count with a demonstrative, or
"the N of them", says the things are known already, so the work is done once
per thing of the earlier list with that many members; without such a list the
other readings decide (a bare "email four suppliers" is counted work, I203).
"""

from __future__ import annotations

from collections.abc import Mapping

from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import small_count

doc_only(
    "I562", "counted-back",
    "'Should we host with A, B or C? Price the three of them': a count said with 'these', 'those' or 'the ... of them' points back at the earlier list of that many things, and the work is done for each.",
    """"The three of them", "those 4 suppliers", "these two", "the two of
    these" name things already said, by their number. The work is
    distributed over the latest list before it, in an earlier sentence or
    earlier in the same one, with exactly that many members; a list said
    after the phrase ("these three vendors: A, B, C") is the phrase's own
    (I241, I204), and with no list of that size the count is read as
    counted work.""",
)

# words before a count that make it point back at things said ("those 4", "these three")
_DEMONSTRATIVES = frozenset({"these", "those"})
_BACK = frozenset({"them", "these", "those"})


def _option_noun_after(t: Tree, k: int, option_nouns: frozenset[str]) -> bool:
    """The count at ``k`` counts a plural option noun ("the two access options", "the three approaches")."""
    j = k + 1
    while j < len(t) and t.words[j].upos in ("ADJ", "NOUN") and t.rel(j) in ("amod", "compound"):
        j += 1
    return j < len(t) and t.words[j].upos == "NOUN" and t.lemma(j) in option_nouns and t.low(j) != t.lemma(j)


def counted_back(
    t: Tree, lo: int, hi: int, numbers: Mapping[str, int], option_nouns: frozenset[str] = frozenset()
) -> tuple[int, int] | None:
    """I562: (index of the phrase's first word, count) of a count among words ``lo..hi`` that
    points back ("the three of them", "those 4 suppliers", "these two", "the two options":
    ``option_nouns``), else None."""
    n = len(t)
    for k in range(max(lo, 1), min(hi + 2, n)):  # the phrase opens in the span, its count may end it
        low = t.low(k)
        count = small_count(low, numbers)
        if count is None or not 2 <= count <= 12:
            continue
        before = t.low(k - 1)
        of_them = k + 2 < n and t.low(k + 1) == "of" and t.low(k + 2) in _BACK
        if before == "the" and of_them:
            return k - 1, count  # "the three of them"
        if before == "the" and option_nouns and _option_noun_after(t, k, option_nouns):
            return k - 1, count  # "the two access options": options said before
        if before not in _DEMONSTRATIVES:
            continue
        j = k + 1
        while j < n and t.words[j].upos == "ADJ":
            j += 1
        if of_them or j >= n or t.words[j].upos in ("NOUN", "PROPN", "PUNCT", "CCONJ", "ADP"):
            if j < n and t.low(j) in (":", "："):
                return None  # "these three vendors: A, B, C" names its own
            nxt = j + 1
            if j < n and t.words[j].upos in ("NOUN", "PROPN") and nxt < n and t.low(nxt) in (":", "：", "("):
                return None
            return k - 1, count  # "those 4 suppliers", "these two"
    return None
