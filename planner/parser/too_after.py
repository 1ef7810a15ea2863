"""A request closed by "too" or "as well" runs beside the one before it (O348).

"Caption the photo and make a depth map of it too": "too" at the end of the
second request says it is one more piece of work on the same thing, not work on
what the first request made. Order words are read before a verb ("and then
draft it", "and also check it", O307); "too" and "as well" come at the end of
their clause, after the object, where those are not looked for.
"""

from __future__ import annotations

from planner.parser.clauses import Pred
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "O348", "too-after-request",
    "'caption photo.jpg and make a depth map of it too': a request closed by 'too' or 'as well' is more work on the same thing, beside the request before it.",
    """"Too" and "as well" at the end of a request ("make a depth map of it
    too", "and translate the letter as well") add work beside the request
    before it in the same sentence: the step waits for what that request
    waited for, not for its result, and a later "then" or a step that takes
    them all waits for both (O346). The same verb said again ("find a
    caterer and ask for a price; find a florist and ask for a price as
    well") repeats an earlier request for another thing and keeps its
    order. A "too" inside a phrase ("too big",
    "too formal") says how much and marks nothing.""",
)

# What may follow the closing word inside the clause: punctuation only.
_CLOSING_PUNCT = frozenset({",", ".", "!", "?", ";", ":", "—", "-"})


def closed_by_too(t: Tree, p: Pred) -> bool:
    """O348: the predicate's clause ends on "too" or "as well" said of the predicate itself."""
    a = p.anchor if p.anchor >= 0 else p.i
    for k in t.children(a, "advmod", "obl", "fixed"):
        if k <= a:
            continue
        low = t.low(k)
        if low == "too" or (low == "well" and k > 0 and t.low(k - 1) == "as"):
            end = k
        elif low == "as" and k + 1 < len(t) and t.low(k + 1) == "well":
            end = k + 1
        else:
            continue
        if end + 1 >= len(t) or t.low(end + 1) in _CLOSING_PUNCT or t.low(end + 1) in ("and", "then"):
            return True
    return False
