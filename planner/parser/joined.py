"""Members joined by longer words than "and" (reading I374).

"the billing service as well as the search service", "the library and also
the museum", "the api docs, and also the sdk docs": writers add a member with
words that say "and" at more length. The shape reader of ``distribute`` knows
one-word separators only, so the list ended before the added member, and the
work was handed to the members after it alone. The words are
``[joined] alike`` in rules/parse.toml.
"""

from __future__ import annotations

from functools import cache

from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import parse_phrases

doc_only(
    "I374", "joined-alike",
    "In 'the billing service as well as the search service' both services are members: 'as well as' and 'and also' join one more member of a list, like 'and'.",
    """"As well as", "and also", "and even" (rules/parse.toml [joined] alike)
    between two noun phrases join them as "and" does: the phrase after them
    is one more member of the list. After them a verb opens a clause of its
    own ("check the logs and also fix the typo"), which is no member.""",
)


@cache
def _phrases() -> tuple[tuple[str, ...], ...]:
    return parse_phrases("joined", "alike")


@cache
def _first_words() -> frozenset[str] | None:
    """The words a phrase starts with (None if a phrase is empty: then every word may start one)."""
    phrases = _phrases()
    return frozenset(phrase[0] for phrase in phrases) if all(phrases) else None


def joining_words() -> frozenset[str] | None:
    """The words a joining phrase may start with (None when any word may)."""
    return _first_words()


def joined_alike(t: Tree, s: int) -> int:
    """I374: how many words of a phrase that joins like "and" start at word ``s`` (0 if none)."""
    # The list reader asks this after nearly every member: most words start no phrase.
    firsts = _first_words()
    if firsts is not None and 0 <= s < len(t) and t.low(s) not in firsts:
        return 0
    for phrase in _phrases():
        end = s + len(phrase)
        if end < len(t) and tuple(t.low(k) for k in range(s, end)) == phrase and _phrase_starts(t, end):
            return len(phrase)
    return 0


def _phrase_starts(t: Tree, k: int) -> bool:
    """A noun phrase starts at ``k``: not "as well as possible", "and also fix the typo"."""
    w = t.words[k]
    if w.upos in ("NOUN", "PROPN", "DET", "NUM", "X") or t.low(k) in ("our", "my", "your", "their"):
        return True
    return w.upos == "ADJ" and k + 1 < len(t) and t.words[k + 1].upos in ("NOUN", "PROPN")
