"""S266: taking a thing from a system, a person or a place is a fetch, a stage of its own.

S117 drops a first "take" or "grab" whose object is the input of the work
after it: "take the manual and translate it", "take the totals from
budget.xlsx and chart them" hand over material that is at hand. Taken from
somewhere that must be reached ("take the new joiners' list from HR", "grab
the crash counts from the crash reporter", "take the leads from last week's
campaign"), the taking is work: someone has to go and get it from that
source, and the pipeline's first stage is that fetch. A source written as a
file name, a path or code is at hand and stays a hand-over.
"""

from __future__ import annotations

from planner.parser.apposed import _data
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "S266", "fetched-from-a-source",
    "'Take the new joiners' list from HR, create their accounts': taking from a system, a person or a place is a fetch, the first stage, not an input handed over.",
    """S117 drops a first "take" or "grab" whose object is what the next
    work works on. With a "from" (or "off", "out of") phrase naming a
    system, a person, a place or an earlier run ("from HR", "from the crash
    reporter", "from yesterday's export job"), the thing must be fetched
    before the work can start: the taking stays a step, the first of the
    chain. A source written as a file name or a path ("from budget.xlsx")
    is at hand and the taking still hands it over.""",
)

_FETCHING = frozenset({"take", "grab"})
_FROM = frozenset({"from", "off"})


def fetched_from_source(t: Tree, i: int) -> bool:
    """S266: the taking verb ``i`` (or its object) has a "from" phrase whose noun is no file name."""
    if t.lemma(i) not in _FETCHING:
        return False
    obj = t.child(i, "obj")
    holders = [i] if obj is None else [i, obj]
    for h in holders:
        for n in t.children(h, "obl", "nmod"):
            if n <= i or not any(t.low(c) in _FROM for c in t.children(n, "case")):
                continue
            if t.words[n].upos not in ("NOUN", "PROPN"):
                continue
            if not _data(t, n):  # "from budget.xlsx": a file is at hand (the front masked it as data)
                return True
    return False
