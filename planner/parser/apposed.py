"""A file name set off by commas beside a noun names that same material (K508).

People who ask an assistant for work on their files name the thing and then
its file, set off by commas: "translate the letter from my aunt, aunt.pdf,
into English", "summarise the statement, stmt_2024.pdf". The two phrases are
one piece of material said twice (an apposition), not two things to work
on. A list of things is joined by "and", "or" or the like somewhere, or all
its members are of one shape ("a.jpg, b.jpg"); two phrases joined by a bare
comma where exactly one is a file name are the thing and its file.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "K508", "file-beside-its-noun",
    "'translate the letter from my aunt, aunt.pdf, into English': a file name set off by a bare comma beside a noun is that noun's file, one piece of material, not a second item.",
    """Two phrases joined by a bare comma, one of them a file name or an
    address alone and the other no data at all, name one thing twice: the
    material and the file it is in. A real list is joined by "and", "or",
    "&", "plus" or "vs" somewhere, or its members share a shape ("a.jpg,
    b.jpg" are two files). Only two members are read this way, and the noun
    must name one thing: "two new packages, `a` (...) and `b`" and "the
    photos, a.jpg, b.jpg and c.jpg" are lists with their heading.""",
)

_JOINERS = frozenset({"and", "or", "&", "+", "plus", "vs", "vs.", "versus", "nor", "/", "and/or"})


def _data(t: Tree, k: int) -> bool:
    """A word the front masked as data (a file name, an address): "Qxxx" as long as what it hides."""
    text = t.words[k].text
    return len(text) >= 2 and text[0] == "Q" and text[1:] == "x" * (len(text) - 1)


def file_apposed(t: Tree, members: Sequence[tuple[int, int]], seps: Sequence[str]) -> bool:
    """K508: the two ``members`` (first and last word of each), joined by ``seps``, are a thing and its file."""
    if len(members) != 2 or not seps or any(s in _JOINERS for s in seps):
        return False
    lone = [a == b and _data(t, a) for a, b in members]
    some = [any(_data(t, k) for k in range(a, b + 1)) for a, b in members]
    if sum(lone) != 1 or sum(some) != 1:
        return False
    a, b = members[lone.index(False)]
    f = members[lone.index(True)][0]
    return _one_thing(t, a, b) and _set_off(t, f)


# What may follow a file name set off beside its noun: the closing comma or bracket, the end of
# the sentence, or the next phrase of the clause ("aunt.pdf, into English", "aunt.pdf in full").
_AFTER = frozenset({",", ")", ".", "?", "!", ";", ":", "-", "—"})


def _set_off(t: Tree, k: int) -> bool:
    """The file name at ``k`` ends its phrase: "`users` drop a column" goes on with a verb."""
    return k + 1 >= len(t) or t.low(k + 1) in _AFTER or t.words[k + 1].upos == "ADP"


def _one_thing(t: Tree, a: int, b: int) -> bool:
    """Words ``a``..``b`` name one thing: no number, no plural noun ("two new packages, `a` and
    `b`" heads a list of names; "the letter from my aunt, aunt.pdf" is one thing and its file)."""
    for k in range(a, b + 1):
        if t.words[k].upos == "NUM":
            return False
        if t.words[k].upos == "NOUN" and t.low(k) != t.lemma(k) and t.low(k).endswith("s"):
            return False
    return True


def file_apposed_heads(t: Tree, heads: Sequence[int]) -> bool:
    """K508 for nouns the parse coordinated (``heads``): no joiner stands anywhere between them, and
    a file name set off by a comma stands among them beside a noun that is no data ("the letter
    from Anna, anna.pdf, from German"; the parse may have joined the file to either side)."""
    if len(heads) < 2 or all(_data(t, h) for h in heads):
        return False
    lo, hi = min(heads), max(heads)
    if any(t.low(k) in _JOINERS for k in range(lo + 1, hi)):
        return False
    nouns = [h for h in heads if not _data(t, h)]
    if any(not _one_thing(t, h, h) for h in nouns):
        return False
    return any(_data(t, k) and t.low(k - 1) == "," and _set_off(t, k) for k in range(lo + 1, hi + 1))
