"""The step that waits for every stream is done once (I430, I431).

Writers close a set of streams with one step for all of them, and say so in
two ways. A time clause whose subject counts every item says when the step
may start: "once both are live, update the status page", "after all three are
merged, cut the release". Its "both" or "all three" hands no work to each item;
it says the step waits for the last of them. And a request whose object takes
every item at once ("..., then add all three to the archive", "then ship both
together") after a stage list said for each item is one step over their
results, not one more stage of each stream.

"Each" keeps its sense: "once each is translated, have it reviewed" is still
work per item, and so is a quantifier that is not the subject of a time clause
("review both", "for both: ...").
"""

from __future__ import annotations

import re
from functools import cache

from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import parse_word_sets

doc_only(
    "I430", "waits-for-all-clause",
    "'Once both are live, update the status page', 'after all three are merged, tag the release': a count of every item as the subject of a time clause says the step waits for all of them; it is one step, not one per item.",
    """A time clause ("once", "when", "after", "as soon as", "until") whose
    subject is "both", "all three", "all of them" or "the two" names the
    moment every stream is finished: the work after it meets them. Read as
    the distributive "both" of "review both", it would split the meeting
    step into one per item and leave nothing where the streams meet. "Once
    each is done" still hands the work to every item.""",
)
doc_only(
    "I431", "all-at-once-after-stages",
    "'For A, B and C: build it, test it, then add all three to the archive': after stages said for each item, a request whose object is every item at once ('all three', 'both of them') ends the streams and is one step over their results.",
    """A scope word ("for A and B:", "for each X:") hands every request after
    it to each item. A later request that counts all the items as its object
    ("add all three to the release", "publish both together") cannot be
    done per item: it takes them as a set. It ends the streams there, as a
    joining word does (I404), and the parser reads it as one step after
    every item's last stage.""",
)


@cache
def _words() -> tuple[frozenset[str], ...]:
    return parse_word_sets("all_done", "time_marks", "every_item", "numbers")


_NUMBER = re.compile(r"^\d+$")
# A plural pronoun and the verb the count floats after ("they are both", "they've all").
_PLURAL_PRONOUNS = frozenset({"they", "these", "those"})
_FLOATED_AUX = frozenset({"are", "'re", "have", "'ve", "were", "had", "'d", "will", "'ll"})


def _counts_all(t: Tree, k: int) -> int | None:
    """The last word of a count of every item starting at ``k`` ("both", "all three",
    "all 3", "all of them", "the two", "both of them"), or None."""
    _, every, numbers = _words()
    low = t.low(k)
    nxt = t.low(k + 1) if k + 1 < len(t) else ""
    if low == "both":
        return k + 2 if nxt == "of" and k + 2 < len(t) and t.low(k + 2) in ("them", "these", "those") else k
    if low == "all" and (nxt in numbers or _NUMBER.match(nxt)):
        return k + 1
    if low == "all" and nxt == "of" and k + 2 < len(t) and t.low(k + 2) in ("them", "these", "those"):
        return k + 2
    if low in every and nxt in numbers:  # "the two", "the three"
        return k + 1
    return None


def waits_for_all(t: Tree, k: int) -> bool:
    """I430: the count at word ``k`` is the subject of a time clause ("once both are out")."""
    marks = _words()[0]
    if _counts_all(t, k) is None:
        return False
    j = k - 1
    if j >= 0 and t.low(j) in ("the",):
        j -= 1
    # "once they are both done", "when they're all live": the count floats after its pronoun
    if j >= 1 and t.low(j) in _FLOATED_AUX and t.low(j - 1) in _PLURAL_PRONOUNS:
        j -= 2
    elif j >= 0 and t.low(j) in _PLURAL_PRONOUNS:
        j -= 1
    if j >= 0 and t.low(j) in marks:
        return True
    # "as soon as both are done"
    return j >= 2 and (t.low(j - 2), t.low(j - 1), t.low(j)) == ("as", "soon", "as")


def takes_all_at_once(t: Tree, lo: int, hi: int, pred: int) -> int | None:
    """I431: the index of a count of every item that is the object of the request whose verb
    is ``pred`` (words ``lo..hi``): after the verb, not inside a time clause, not "each"."""
    for k in range(max(lo, pred + 1), min(hi + 1, len(t))):
        end = _counts_all(t, k)
        if end is None or waits_for_all(t, k):
            continue
        if t.low(k) == "the" and t.rel(k + 1) not in ("obj", "nummod", "det"):
            continue
        # the count hangs on the request's own verb ("add all three", "ship both of them")
        heads = {t.head(x) for x in range(k, end + 1)}
        if pred in heads or any(h is not None and t.head(h) == pred for h in heads):
            return k
    return None
