"""Lists numbered inside one sentence: "pull 1) A, 2) B and 3) C", "(a) A, (b) B" (I251).

A writer who numbers the items of a list marks where each item starts, so
the items can be long noun phrases ("(2) refund requests from the help
desk") that the shape reader of ``distribute`` would cut at their first
preposition, and the parser's trees attach the numbers anywhere. The marks
are read from the words: a number or a letter closed by ")", with or
without "(" before it, counting up from 1 or "a" with no gap.

Items that are courses of action ("(a) rewrite it in Rust, (b) cache it")
are options, read elsewhere; a numbered run whose items start with a verb
of work is left to that reading.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I251", "numbered-inline",
    "'fetch (1) cancelled orders by region, (2) return rates and (3) basket size' lists three items, each from its number to the next.",
    """Numbers or letters closed by ")" that count up from 1 or "a" inside one
    sentence mark where each item of a list starts; an item runs to the
    separator (",", ";", "and", "or") before the next mark, and the last one
    to the end of its phrase (a comma, the end of the sentence, or "and"
    before a verb). The marks themselves are no items. A run whose items
    start with a verb of work offers courses of action and is read as options
    instead; a run of one mark, or marks out of order ("see 2) above"), is no
    list.""",
)

# The longest item read between two marks; a longer stretch is prose, not one item.
_MAX_WORDS = 14
_LETTERS = "abcdefgh"
# Words that end the last numbered item: punctuation that closes its phrase.
_CLOSERS = frozenset({",", ";", ":", ".", "?", "!", "—", "–"})
_JOINERS = frozenset({",", ";", "and", "or", "and/or"})


class Enumerated(NamedTuple):
    """One numbered run: each item's first and last word, and the first mark's index."""

    items: tuple[tuple[int, int], ...]
    start: int
    alternatives: bool


def _mark(t: Tree, k: int) -> tuple[int, int] | None:
    """(the mark's value counted from 1, the index after it) when a mark starts at word ``k``."""
    n = len(t)
    opened = t.low(k) == "("
    at = k + 1 if opened else k
    if at + 1 >= n or t.low(at + 1) != ")":
        return None
    if not opened and k > 0 and t.low(k - 1) not in (":", ",", ";", "and", "or") and t.words[k - 1].upos != "VERB":
        return None  # "version 2) ..." inside a parenthesis of its own
    low = t.low(at)
    if low.isascii() and low.isdigit() and 1 <= int(low) <= 9:
        return int(low), at + 2
    if len(low) == 1 and low in _LETTERS:
        return _LETTERS.index(low) + 1, at + 2
    return None


def _runs(t: Tree) -> list[list[tuple[int, int]]]:
    """Marks that count up without a gap: (mark index, index after the mark) for each."""
    runs: list[list[tuple[int, int]]] = []
    if ")" not in t.lows():
        return runs  # every mark ends with a bracket: most sentences have none to look for
    current: list[tuple[int, int]] = []
    k = 0
    while k < len(t):
        m = _mark(t, k)
        if m is None:
            k += 1
            continue
        value, after = m
        if value == len(current) + 1:
            current.append((k, after))
        else:
            if len(current) >= 2:
                runs.append(current)
            current = [(k, after)] if value == 1 else []
        k = after
    if len(current) >= 2:
        runs.append(current)
    return runs


def enumerated(t: Tree, verb_led: Callable[[Tree, int], bool]) -> list[Enumerated]:
    """The numbered runs of the sentence whose items are things, not courses of action."""
    out: list[Enumerated] = []
    for run in _runs(t):
        items: list[tuple[int, int]] = []
        alternatives = False
        for m, (_, first) in enumerate(run):
            if m + 1 < len(run):
                last = run[m + 1][0] - 1
                while last >= first and t.low(last) in _JOINERS:
                    alternatives = alternatives or t.low(last) == "or"
                    last -= 1
                cut = next((j for j in range(first, last + 1) if t.low(j) in _CLOSERS), last + 1)
                last = cut - 1
            else:
                last = first - 1
                while last + 1 < len(t) and t.low(last + 1) not in _CLOSERS and last + 1 - first < _MAX_WORDS:
                    nxt = last + 1
                    if t.low(nxt) in ("and", "or", "then") and nxt + 1 < len(t) and t.words[nxt + 1].upos in ("VERB", "AUX", "ADV", "PRON"):
                        break  # "..., and 3) refund requests, and summarise": the list ends before the verb
                    last = nxt
            if last < first or last - first + 1 > _MAX_WORDS:
                items = []
                break
            items.append((first, last))
        if len(items) >= 2 and not any(verb_led(t, a) for a, _ in items):
            out.append(Enumerated(tuple(items), run[0][0], alternatives))
    return out
