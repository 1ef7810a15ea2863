"""A name set off by commas after the last member of a list is that member's name (I594).

"Acme Springs and a newcomer, Delta Wire, sent samples": the list reader goes
on over the comma after "a newcomer" and reads three members. The comma after
a list already closed by "and" or "or" does not add a member; it opens an
apposition: the name after it says who "a newcomer" is, and the two are one
member, named by the name.
"""

from __future__ import annotations

from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I594", "apposed-name-after-the-list",
    "'Acme and a newcomer, Bolt Wire, both quoted': a name set off by commas after a list closed by 'and' names the member before it; the list is Acme and Bolt Wire.",
    """After a list closed by "and" or "or", a comma and a proper name do
    not add a member when the member before the comma is a common noun
    with "a", "an" or no article ("a new supplier", "a newcomer") and the
    name ends at a comma, a verb or the sentence's end: the name is that
    member's, said in apposition, and the member is named by the name.
    "Tea, coffee and a cake, Battenberg" keeps no such member either way;
    "Anna and Bo, Cy" (names on both sides) is left as it was read.""",
)

_INDEFINITE = frozenset({"a", "an"})


def _common(t: Tree, a: int, b: int) -> bool:
    """A member that describes rather than names: "a newcomer", "a new shop", "another vendor"."""
    words = [k for k in range(a, b + 1) if t.low(k) not in _INDEFINITE and t.low(k) != "another"]
    if not words or t.words[words[-1]].upos != "NOUN" or any(t.words[k].upos == "PROPN" for k in words):
        return False
    return t.low(a) in _INDEFINITE or t.low(a) == "another" or t.words[a].upos in ("ADJ", "NOUN")


def apposed_last(t: Tree, items: list[tuple[int, int]], between: list[list[str]]) -> list[tuple[int, int]]:
    """The members with the describing member before an apposed name left out (I594)."""
    if len(items) < 3 or len(between) < len(items) - 1 or between[len(items) - 2] != [","]:
        return items
    if not any(x in ("and", "or") for x in between[len(items) - 3]):
        return items
    (a, b), (c, d) = items[-2], items[-1]
    if not _common(t, a, b) or not any(t.words[k].upos == "PROPN" for k in range(c, d + 1)):
        return items
    after = d + 1
    if after < len(t) and not (t.low(after) in (",", ".", "!", "?") or t.words[after].upos in ("VERB", "AUX")):
        return items
    return [*items[:-2], items[-1]]
