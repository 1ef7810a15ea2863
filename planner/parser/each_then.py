"""I482: "Each one separately, then ...": the per-item word closes the work before "then".

A writer who has named the items and the work often adds how to do it and
what comes after in one short sentence: "Each one separately, then a single
table.", "One at a time, then give me the totals." The words before "then"
hold no verb: they say of the work already asked that it is done per item,
and "then" opens what follows it. So the per-item word scopes nothing after
"then": the request there is one step after every item's work, not one per
item. "For each site: get quotes, then compare them" is different: there a
request stands between the scope word and "then", and the scope runs on.
"""

from __future__ import annotations

from planner.parser.readings import reading
from planner.parser.tree import Tree

# Words that open what follows the per-item work (after a comma or dash, or none).
_THEN = frozenset({"then", "afterwards", "after"})
_BREAKS = frozenset({",", "-", "–", "—", ";"})
# Words that make the work after "then" per item again ("then a summary for each").
_PER_ITEM = frozenset({"each", "every", "per"})


@reading("I482", "each-apart-then", "A verbless per-item phrase closed by 'then' ('Each one separately, then give me one table') says how the work before it is done; the request after 'then' is one step over all the items, not one per item.")
def each_then(t: Tree, opener: int, first: int) -> int | None:
    """"Check the three timetables. Each one separately, then give me one list of
    departures." The words from the per-item word ``opener`` to the first
    request ``first`` hold no verb and end with a break and "then": the phrase
    restates that the work before is per item, and what "then" opens follows
    it once. Returns the index of "then", or None.
    """
    if not 0 <= opener < first <= len(t):
        return None
    for k in range(opener, first):
        if t.words[k].upos in ("VERB", "AUX") and t.rel(k) not in ("amod", "compound"):
            return None  # "each of them checks X, then ...": a clause of its own
        before = k - 1 if k > 0 and t.low(k - 1) == "and" else k  # ", and then ..."
        if t.low(k) in _THEN and before > opener + 1 and t.words[before - 1].text in _BREAKS:
            if any(t.low(j) in _PER_ITEM for j in range(k + 1, len(t))):
                return None  # "..., then a summary for each": the work after "then" is per item too
            return k
    return None
