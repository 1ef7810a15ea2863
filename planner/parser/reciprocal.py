"""I670: a reciprocal ("each other", "one another", "each against the other") joins the items.

"Benchmark the two ports and compare them with each other": the "each" of
"each other" distributes nothing; it says the items are weighed side by side,
which needs every item's result. So a reciprocal is no trigger of work per
item (I210, I403), and "them against each other" is no standard each item is
held against (I416): the request is one step after all the items' work.
"""

from __future__ import annotations

from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I670", "reciprocal-joins",
    "A request that weighs the items against each other ('compare them with each other', 'against one another', 'compare each against the other') is one step after every item's work: the 'each' of a reciprocal is not work per item.",
    """"Summarise the two reports and compare them with each other": the
    summaries are per report, the comparison needs both, so it is done once,
    after both. "Each other", "one another", and "each" with "the other(s)"
    a few words on ("rank each against the others") are reciprocals: they
    name no item to work on one at a time. The "each" of a reciprocal no
    longer makes the request a stage of every item's stream (I403), is no
    distributive trigger, and "them against each other" holds the items
    against no standard (I416).""",
)

# After "each" or "one", the words that make the phrase a reciprocal.
_PARTNER = frozenset({"other", "another", "others"})
# How far after a lone "each" its partner may stand ("compare each one against the other").
_REACH = 5


def reciprocal_at(t: Tree, k: int) -> bool:
    """I670: the word at ``k`` ("each", "one", or a pronoun before "against") starts a reciprocal."""
    low = t.low(k)
    nxt = t.low(k + 1) if k + 1 < len(t) else ""
    if low in ("each", "one") and nxt in _PARTNER:
        return True
    if low == "each":
        # "compare each against the other", "each one with the others": the partner closes it
        for j in range(k + 1, min(k + 1 + _REACH, len(t))):
            w = t.low(j)
            if w in (".", ";", ",", "and", "then"):
                return False
            if w in ("other", "others") and t.low(j - 1) == "the":
                return True
    return False


def reciprocal_after(t: Tree, k: int) -> bool:
    """I670: the words right after ``k`` ("them against ...") are a reciprocal ("each other", "one another")."""
    return k + 1 < len(t) and reciprocal_at(t, k + 1)
