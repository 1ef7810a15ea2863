"""I614: a count right before a colon names as many members after it, cut at the commas alone.

"Please check these three: the east gate hinge, welding of frame F-2, and
the roof drain" — the count says how many things follow, so the commas (and
the "and" before the last) are where the members part, whatever the tagger
makes of the words inside them ("welding" read as a verb, "of frame F-2"
hung elsewhere). The list reader cuts members by their shape and may find
pieces; when the count and the comma parts agree, the comma parts are the
list. A count that disagrees with the parts ("two things: A, B and C"), or
parts too long to be names (clauses), leave the list to the shape reader.
"""

from __future__ import annotations

from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import load_words, small_count

# How far before the colon the count may stand: right before it, or before its one noun
# ("these three:", "three sites:"); "two gaps last month:" counts things a later phrase may name.
_REACH = 2
# The most words a member may hold (longer parts are clauses, not names).
_MEMBER_WORDS = 8
# What ends the sentence's list.
_ENDS = frozenset({".", "?", "!", ";"})

doc_only(
    "I614", "counted-colon-members",
    "In 'check these three: A, B, and C' the count says how many members follow the colon: when the comma parts (and the 'and' before the last) are as many, they are the members, however the tagger read the words in them.",
    __doc__ or "",
)


def counted_colon(t: Tree) -> tuple[int, list[tuple[int, int]]] | None:
    """(colon index, members as word ranges) when a count of two or more stands right before
    a colon, or before its one noun and the colon, and the words after it, to the sentence's end, part at commas into
    exactly that many members of one to eight words."""
    numbers = load_words().number_words
    for k in range(1, len(t)):
        if t.words[k].text not in (":", "："):
            continue
        n = next((c for j in range(max(0, k - _REACH), k) if (c := small_count(t.low(j), numbers)) is not None), None)
        if n is None or n < 2:
            continue
        end = next((j for j in range(k + 1, len(t)) if t.words[j].text in _ENDS or t.words[j].text in (":", "：")), len(t))
        parts: list[tuple[int, int]] = []
        a = k + 1
        for j in range(k + 1, end + 1):
            if j == end or t.words[j].text == ",":
                if j > a:
                    parts.append((a, j - 1))
                a = j + 1
        if len(parts) == n - 1 and parts:
            # "A, B and C": the last part holds two members joined by its one "and"
            lo, hi = parts[-1]
            ands = [j for j in range(lo + 1, hi) if t.low(j) in ("and", "&")]
            if len(ands) == 1:
                parts[-1:] = [(lo, ands[0] - 1), (ands[0] + 1, hi)]
        parts = [(a + 1, b) if t.low(a) in ("and", "&", "or") and b > a else (a, b) for a, b in parts]
        if len(parts) == n and all(b - a + 1 <= _MEMBER_WORDS for a, b in parts):
            return k, parts
    return None
