"""I432: "..., each one then checked by a fluent speaker": a later stage said of each item as its subject.

Writers add a stage to work done per item by naming "each one" and a
participle after a comma, with no verb of command: "translate it into Welsh
and Polish, each one then checked by a fluent speaker", "draw the three
posters, each then signed off by the client". The participle's clause is a
request (the checking is asked for), and "each" before it hands it to every
item; the tree hangs "each one" anywhere (a conjunct of the verb before, a
subject), so the request's own words start after it and the distributive word
is not among them. It is read from the words right before the request.
"""

from __future__ import annotations

from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I432", "each-as-subject-before",
    "'Translate it into Welsh and Polish, each one then checked by a fluent speaker': 'each one' right before a request, after a comma, hands that request to every item, though the tree leaves it out of the request's words.",
    """"Each one", "each" or "every one" opened by a comma or a semicolon
    and followed, with at most "then" between, by the request's first word
    names the item each run of the request works on. The request is a
    stage of every item's stream, like "check each one" (I207).""",
)

_BETWEEN = frozenset({"then", "also", "later", "next"})
_OPENS = frozenset({",", ";", ":", "-", "—", "–"})


def each_before(t: Tree, lo: int) -> int | None:
    """I432: the index of "each"/"every" in "..., each one (then) <request at ``lo``>", or None."""
    j = lo - 1
    while j >= 0 and t.low(j) in _BETWEEN:
        j -= 1
    if j >= 1 and t.low(j) == "one" and t.low(j - 1) in ("each", "every"):
        k = j - 1
    elif j >= 0 and t.low(j) == "each":
        k = j
    else:
        return None
    return k if k >= 1 and t.low(k - 1) in _OPENS else None
