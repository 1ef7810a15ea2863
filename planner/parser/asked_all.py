"""I502: "do A, B and C all ...?" asks the yes/no question of each member.

A polar question whose subject names several things and says "all" or "both"
after them ("are the Leeds, York and Hull branches all open on Sundays?")
wants the answer for every member: one look per member, as "each" would say
(I202). "All" before a noun ("all branches") or before "of" is a determiner
and says nothing of the sort, and a statement or a wh-question is left to the
other readings.
"""

from __future__ import annotations

from planner.parser.distribute import ItemList
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I502", "asked-of-all",
    "'do the A, B and C branches all open on Sundays?': a yes/no question with 'all' or 'both' after its named subjects is asked of each.",
    """A question that opens with "do", "are", "have" or another auxiliary
    and floats "all" or "both" after a list of named things wants a yes or
    no for every member, so each member is a look of its own. "All" followed
    by a noun or "of" is a determiner, not this.""",
)

# The auxiliaries a yes/no question opens with
_POLAR = frozenset({"do", "does", "did", "are", "is", "were", "was", "have", "has", "can", "will", "would", "could", "should"})
_FLOATING = frozenset({"all", "both"})


def asked_of_all(t: Tree, lst: ItemList) -> bool:
    """I502: ``lst`` is the named subject of a yes/no question with a floating "all"/"both"."""
    n = len(t)
    q = lst.end + 1
    if q + 1 >= n or t.low(q) not in _FLOATING or t.low(q + 1) == "of" or t.words[q + 1].upos in ("NOUN", "PROPN", "PUNCT"):
        return False
    if t.low(0) not in _POLAR or lst.start > 6:
        return False  # the question opens the sentence, its subject right after ("do our ...")
    return any(t.words[k].text == "?" for k in range(q + 1, n))
