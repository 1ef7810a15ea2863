"""A size, time or amount after a bare comma is a spec of the work, not a second item (I355).

Short requests put the details of the result after the object with a bare
comma: "document the setting in the README, one paragraph", "a notice about
sports day on the 3rd, 9 am to 1 pm", "a test paper for year 9, 40 marks".
Read as a list, the two phrases would be two things to work on. A list of
things is joined by "and", "or", "&", "+", "plus" or "vs" somewhere, or its
members share a shape (all numbers: "orders 4488, 4491, 4503"); a run of
comma-joined phrases where a later one opens with a number and a unit and
the first does not says how much, how long or when.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I355", "spec-after-object",
    "'Document the setting in the README, one paragraph': a phrase after a bare comma that opens with a number and a unit is a spec of the work, not a second item.",
    """A list of things to work on is joined by "and", "or", "&", "+",
    "plus" or "vs" somewhere ("check A, B and C"), or its members share a
    shape ("4488, 4491, 4503"). Phrases joined by commas alone, where the
    first opens with a word and a later one with a number and a unit ("one
    paragraph", "40 marks", "9 am to 1 pm", "15 min timer"), are the object
    and how much, how long or when it is: one piece of work.""",
)

# Words that join the members of a real list.
_JOINERS = frozenset({"and", "or", "&", "+", "plus", "vs", "vs.", "versus", "nor", "/", "n", "&&"})
# Number words that open a measure ("one paragraph", "two pages"); "a"/"an" are not counted.
_NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "single"})


def _opens_with_number(t: Tree, a: int, b: int) -> bool:
    """The phrase of words ``a``..``b`` opens with a number followed by a word ("40 marks", "one paragraph")."""
    numeric = t.words[a].upos == "NUM" or t.low(a) in _NUMBER_WORDS
    return numeric and a < b and t.words[a + 1].upos in ("NOUN", "PROPN", "ADJ", "X")


def spec_run(t: Tree, members: Sequence[tuple[int, int]], seps: Sequence[str]) -> bool:
    """I355: phrases ``members`` (first and last word of each) joined by ``seps`` are an object and its spec."""
    if len(members) < 2 or any(s in _JOINERS for s in seps):
        return False
    if t.words[members[0][0]].upos == "NUM" or t.low(members[0][0]) in _NUMBER_WORDS:
        return False  # "9 am, 1 pm", "4488, 4491": all of one shape
    return any(_opens_with_number(t, a, b) for a, b in members[1:])


def spec_heads(t: Tree, heads: Sequence[int]) -> bool:
    """I355 for nouns the parse coordinated (``heads``, in order): each member is its own words."""
    if len(heads) < 2:
        return False
    members = []
    for h in heads:
        words = t.subtree(h, [o for o in heads if o != h])
        words = [k for k in words if t.rel(k) not in ("cc", "punct", "case") or k == h]
        members.append((min(words), max(words)))
    seps = [t.low(k) for k in range(min(heads), max(heads) + 1) if t.rel(k) in ("cc", "punct")]
    return spec_run(t, members, seps)
