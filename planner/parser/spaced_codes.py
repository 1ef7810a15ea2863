"""I613: codes of one shape written one after another with spaces ("lines B2 B3 B4") are a list.

Writers in a hurry, or used to forms and labels, list codes with nothing but
a space between them: "check pumps P1 P2 P3", "the bays DK-04 DK-05". The
list reader cuts members at commas and "and", so a run like that was one
member (or none). A run of two or more words, each letters then digits (an
optional hyphen between, an optional letter after), all with the same
letters, side by side with only spaces between (and an optional "and" or "&"
before the last), names one thing per code. Codes with different letters
("A4 B12") or glued by hyphens ("L4-L6", a range) are not such a run.
"""

from __future__ import annotations

import re

from planner.parser.readings import doc_only
from planner.parser.tree import Tree

_CODE = re.compile(r"([A-Za-z]{1,4})-?\d{1,4}[A-Za-z]?")
_JOINS = frozenset({"and", "&"})

doc_only(
    "I613", "spaced-codes",
    "Codes of one shape written one after another with only spaces between ('pumps P1 P2 P3', 'bays DK-04 DK-05 and DK-06') are one thing each, a list.",
    __doc__ or "",
)


def _prefix(t: Tree, k: int) -> str | None:
    m = _CODE.fullmatch(t.words[k].text)
    return m.group(1) if m else None


def _spaced(t: Tree, a: int, b: int) -> bool:
    return t.words[b].start > t.words[a].end


def spaced_codes(t: Tree) -> list[tuple[int, int]]:
    """(first, last) word index of every run of spaced codes of one shape in ``t``."""
    out: list[tuple[int, int]] = []
    k = 0
    n = len(t)
    while k < n:
        head = _prefix(t, k)
        if head is None or (k > 0 and _prefix(t, k - 1) == head):
            k += 1
            continue
        members = [k]
        j = k + 1
        while j < n:
            nxt = j + 1 if t.low(j) in _JOINS and j + 1 < n else j
            if _prefix(t, nxt) != head or not _spaced(t, j - 1, j):
                break
            members.append(nxt)
            if nxt != j:
                break  # the member after "and" closes the run
            j = nxt + 1
        if len(members) >= 2 and members[1] == members[0] + 1 and len({t.low(m) for m in members}) == len(members):
            # at least two codes side by side: "L2 and L3" alone is the list reader's
            out.append((members[0], members[-1]))
        k = members[-1] + 1
    return out
