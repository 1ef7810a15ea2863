"""I466: a sentence that is only the names of the things the sentence before counted.

"Booked 3 fairs! york (5th), leeds (12th), hull (19th). Each one needs: ..."
names the three fairs in a sentence of their own. Written in lower case, the
tagger reads such names as verbs or adverbs ("leeds", "hull"), so no list is
found and "each one" has nothing to point back to. A sentence with no step
of its own whose parts between commas and "and" are short, as many as the
count of a plural noun in the sentence right before it, names those things:
the count says how many members to expect, so the commas can be trusted
whatever the tags. A bracket after a member ("(5th)") is a remark on it.
"""

from __future__ import annotations

from collections.abc import Mapping

from planner.parser.distribute import ItemList
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import small_count

doc_only(
    "I466", "counted-then-listed",
    "'Booked 3 fairs! york (5th), leeds (12th), hull (19th). Each one needs: ...': a verbless sentence of as many short parts as the sentence before counted names the counted things.",
    """The count before ("3 fairs", "two suppliers") says how many names
    follow, so a sentence with no step of its own cut by commas and "and"
    into exactly that many parts of one to four words is the list of
    them, whatever the tagger made of lower-case names. A bracket after a
    part is a remark on it and no part of the name. A sentence whose parts
    are more or fewer than the count, or long, is read as before.""",
)

_MAX_WORDS = 4


def _count_before(prev: Tree, numbers: Mapping[str, int]) -> int | None:
    """The count of a plural noun in ``prev`` ("3 fairs", "two old laptops"), if exactly one."""
    found: list[int] = []
    for k in range(len(prev) - 1):
        low = prev.low(k)
        n = small_count(low, numbers, figures=1)  # in figures, one: "3 fairs"
        if n is None or n < 2:
            continue
        for j in range(k + 1, min(k + 4, len(prev))):
            if prev.words[j].upos == "NOUN" and prev.lemma(j) != prev.low(j):
                found.append(n)
                break
            if prev.words[j].upos not in ("ADJ", "NOUN", "PROPN"):
                break
    return found[0] if len(found) == 1 else None


def counted_run(prev: Tree | None, t: Tree, numbers: Mapping[str, int]) -> ItemList | None:
    """I466: the members of ``t`` when it names the things ``prev`` counted, or None."""
    if prev is None or not len(t):
        return None
    count = _count_before(prev, numbers)
    if count is None:
        return None
    members: list[tuple[int, int]] = []
    a, depth, end = 0, 0, len(t)
    while end > 0 and t.words[end - 1].text in (".", "!", "?", ";"):
        end -= 1
    k = 0
    last_word = -1
    for k in range(end + 1):
        low = t.low(k) if k < end else ","
        if low == "(":
            depth += 1
            continue
        if low == ")":
            depth = max(0, depth - 1)
            continue
        if depth:
            continue
        if low in (",", "and", "&"):
            if last_word >= a:
                members.append((a, last_word))
            a = k + 1
            continue
        if t.words[k].upos == "PUNCT" or low in ("or", ":"):
            return None
        last_word = k
    if len(members) != count or any(b - a0 >= _MAX_WORDS for a0, b in members):
        return None
    spans = tuple((t.words[a0].start, t.words[b].end) for a0, b in members)
    return ItemList(spans, members[0][0], members[-1][1], False, ("I466",))
