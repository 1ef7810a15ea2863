"""A counted lead that names its things before a colon scopes the work after it (I541).

"Two new chapters, bike storage and car sharing: research, write, then draft":
the writer counts the things, names them in apposition (after a comma or in a
bracket) and closes the lead with a colon; the commands after the colon are
the stages each of them goes through, as after "For A and B:" (I205). The
count must match the names, so a lead that only sets the scene ("Two days
left, Monday and Tuesday are busy: ...") has no colon right after the names,
and a count of something else ("Three files, a.csv and b.csv:") names no such
list.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from planner.parser.readings import doc_only
from planner.parser.words import small_count

if TYPE_CHECKING:
    from planner.parser.distribute import ItemList
    from planner.parser.tree import Tree
    from planner.parser.words import Words

doc_only(
    "I541", "counted-lead-names-streams",
    "'Two new chapters, bike storage and car sharing: research, write, then draft': a counted lead that names its things in apposition before a colon scopes every stage after the colon to each thing.",
    """A sentence opens on a count and a plural noun ("Two new chapters",
    "three sites"), then names that many things after a comma or in a
    bracket, and a colon closes the names; the commands after the colon
    are the stages of one stream per thing, as under "For A and B:"
    (I205). The count must equal the number of names, and the words before
    the names must be only the count, adjectives and nouns ending on a
    plural noun.""",
)

# Words a counted lead may hold between its count and its plural noun ("two new handbook chapters").
_LEAD_TAGS = frozenset({"ADJ", "NOUN", "PROPN"})
_OPENERS = frozenset({"the", "our", "my", "these", "those"})
_CLOSERS = frozenset({":", "："})


def counted_lead(t: Tree, lst: ItemList, first_pred: int, w: Words) -> ItemList | None:
    """I541: the things ``lst`` names when the sentence opens on a count of them, closed by a colon
    before the work; the list finder may have taken the counted lead as its first member."""
    gap = [t.words[j].text for j in range(lst.end + 1, first_pred)]
    if not gap or gap[-1] not in _CLOSERS or any(x not in (")", *_CLOSERS) for x in gap):
        return None
    names = lst
    if lst.spans[0][0] <= t.words[0].start + 4 and len(lst.spans) >= 3:
        # "Two new chapters, A and B": the lead read as the list's first member
        after = next((j for j in range(len(t)) if t.words[j].start >= lst.spans[1][0]), None)
        if after is None:
            return None
        names = replace(lst, spans=lst.spans[1:], start=after)
    sep = names.start - 1
    if sep < 2 or t.words[sep].text not in (",", "("):
        return None
    if (t.words[sep].text == "(") != (gap[0] == ")"):
        return None
    k = 0
    while k < sep and t.low(k) in _OPENERS:
        k += 1
    low = t.low(k)
    count = small_count(low, w.number_words)
    if count is None or count != len(names.spans):
        return None
    words = range(k + 1, sep)
    if not words or any(t.words[j].upos not in _LEAD_TAGS for j in words):
        return None
    last = sep - 1
    if t.words[last].upos != "NOUN" or t.low(last) == (t.lemma(last) or t.low(last)):
        return None
    return names
