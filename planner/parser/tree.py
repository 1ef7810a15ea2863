"""A dependency tree of one sentence, with the small queries the readings need.

The syntax model (``planner.syntax``) gives each word its tag, lemma, head and
relation; this view adds children lists and the questions asked again and
again (the subtree of a word, its children by relation, its words' span).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol


class WordLike(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def lemma(self) -> str: ...
    @property
    def upos(self) -> str: ...
    @property
    def head(self) -> int: ...
    @property
    def deprel(self) -> str: ...


@dataclass(frozen=True)
class Tree:
    words: tuple[WordLike, ...]
    unit: int  # index of the layout unit the sentence came from

    # The readings ask for words' children, relations, lower-cased forms and lemmas
    # tens of thousands of times per long text, and every tree is read: each is
    # worked out once, when the tree is made (set in __post_init__, never compared).
    kids: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    root: int = field(init=False, repr=False, compare=False)
    _rels: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _deprels: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _lows: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _lemmas: tuple[str, ...] = field(init=False, repr=False, compare=False)
    # subtree(i) of every word asked for so far (the common question, asked again and again)
    _whole: dict[int, tuple[int, ...]] = field(init=False, repr=False, compare=False)
    # children(i, *rels) of every question asked so far: the readings ask the same few
    # questions of a clause's verb again and again ("advmod", "aux", "mark")
    _asked: dict[tuple[int, tuple[str, ...]], tuple[int, ...]] = field(init=False, repr=False, compare=False)
    # ``t.low(i)``, ``t.lemma(i)``, ``t.rel(i)`` and ``t.head(i)`` are the tuples' own
    # look-ups, called without a Python frame.
    low: Callable[[int], str] = field(init=False, repr=False, compare=False)
    """The lower-cased form of word ``i``."""
    lemma: Callable[[int], str] = field(init=False, repr=False, compare=False)
    """The lower-cased lemma of word ``i``."""
    rel: Callable[[int], str] = field(init=False, repr=False, compare=False)
    """The relation of word ``i`` without its subtype ("obl:tmod" -> "obl")."""
    head: Callable[[int], int | None] = field(init=False, repr=False, compare=False)
    """The head of word ``i``, or None for the root (and for a head outside the sentence)."""

    def __post_init__(self) -> None:
        words = self.words
        n = len(words)
        kids: list[list[int]] = [[] for _ in words]
        for i, w in enumerate(words):
            if 0 <= w.head < n and w.head != i:
                kids[w.head].append(i)
        deprels = tuple(w.deprel for w in words)
        rels = tuple(d.split(":")[0] for d in deprels)
        lows = tuple(w.text.lower() for w in words)
        lemmas = tuple(w.lemma.lower() for w in words)
        root = next((i for i, w in enumerate(words) if w.head < 0 or w.deprel == "root"), 0)
        heads = tuple(w.head if 0 <= w.head < n and w.head != i else None for i, w in enumerate(words))
        put = object.__setattr__  # the dataclass is frozen
        put(self, "kids", tuple(tuple(k) for k in kids))
        put(self, "root", root)
        put(self, "_rels", rels)
        put(self, "_deprels", deprels)
        put(self, "_lows", lows)
        put(self, "_lemmas", lemmas)
        put(self, "_whole", {})
        put(self, "_asked", {})
        put(self, "low", lows.__getitem__)
        put(self, "lemma", lemmas.__getitem__)
        put(self, "rel", rels.__getitem__)
        put(self, "head", heads.__getitem__)

    @property
    def start(self) -> int:
        return self.words[0].start if self.words else 0

    @property
    def end(self) -> int:
        return self.words[-1].end if self.words else 0

    def __len__(self) -> int:
        return len(self.words)

    def lows(self, indices: Iterable[int] | None = None) -> list[str]:
        """The lower-cased forms of words ``indices``, in that order (of every word when None)."""
        if indices is None:
            return list(self._lows)
        return [self._lows[i] for i in indices]

    def any_of(self, words: frozenset[str], lo: int, hi: int) -> bool:
        """Whether one of the words ``lo..hi`` (lower-cased; 0 <= lo, hi < len) is in ``words``."""
        return not words.isdisjoint(self._lows[lo : hi + 1])

    def brackets(self) -> list[tuple[int, int]]:
        """(open, close) word indices of the sentence's outermost round brackets."""
        out: list[tuple[int, int]] = []
        depth, start = 0, -1
        for k, word in enumerate(self.words):
            if word.text == "(":
                if depth == 0:
                    start = k
                depth += 1
            elif word.text == ")" and depth > 0:
                depth -= 1
                if depth == 0:
                    out.append((start, k))
        return out

    def children(self, i: int, *rels: str) -> list[int]:
        """Children of ``i``, only those with one of ``rels`` (subtypes ignored) if given."""
        kids = self.kids[i]
        if not rels or not kids:
            return list(kids)  # half the words are leaves: no filter to run
        key = (i, rels)
        got = self._asked.get(key)
        if got is None:
            base, full = self._rels, self._deprels
            got = self._asked[key] = tuple([k for k in kids if base[k] in rels or full[k] in rels])
        return list(got)

    def child(self, i: int, *rels: str) -> int | None:
        """The first of ``children(i, *rels)``, or None (asked thousands of times per long text)."""
        kids = self.kids[i]
        if not rels or not kids:
            return kids[0] if kids else None
        key = (i, rels)
        got = self._asked.get(key)
        if got is None:
            base, full = self._rels, self._deprels
            got = self._asked[key] = tuple([k for k in kids if base[k] in rels or full[k] in rels])
        return got[0] if got else None

    def ancestors(self, i: int) -> Iterator[int]:
        seen = {i}
        h = self.head(i)
        while h is not None and h not in seen:
            yield h
            seen.add(h)
            h = self.head(h)

    def subtree(self, i: int, skip: Iterable[int] = ()) -> list[int]:
        """Indices under ``i`` (itself included), in order, leaving out the subtrees of ``skip``."""
        if isinstance(skip, (tuple, list, set, frozenset)) and not skip:
            # The common question, asked again and again of the same words.
            whole = self._whole.get(i)
            if whole is None:
                whole = self._whole[i] = tuple(self._subtree(i, set()))
            return list(whole)
        return self._subtree(i, set(skip) - {i})

    def _subtree(self, i: int, blocked: set[int]) -> list[int]:
        out: list[int] = []
        stack = [i]
        kids = self.kids
        while stack:
            k = stack.pop()
            out.append(k)
            if blocked:
                stack.extend([c for c in kids[k] if c not in blocked])
            else:
                stack.extend(kids[k])  # the whole subtree: no generator per word to filter nothing
        return sorted(out)

    def span(self, indices: Sequence[int]) -> tuple[int, int]:
        """Character span from the first to the last of ``indices``."""
        if not indices:
            return (0, 0)
        return (self.words[min(indices)].start, self.words[max(indices)].end)

    def phrase(self, text: str, indices: Sequence[int]) -> str:
        s, e = self.span(indices)
        return text[s:e]

    def find_phrase(self, phrases: Iterable[tuple[str, ...]], lo: int = 0, hi: int | None = None) -> tuple[int, tuple[str, ...]] | None:
        """The first (position, phrase) of ``phrases`` among the words ``lo..hi`` (lower-cased)."""
        hi = len(self.words) if hi is None else hi
        lows = self._lows
        for k in range(lo, hi):
            for p in phrases:
                if tuple(lows[k : k + len(p)]) == p and k + len(p) <= hi:
                    return k, p
        return None
