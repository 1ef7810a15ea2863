"""A dependency tree of one sentence, with the small queries the readings need.

The syntax model (``planner.syntax``) gives each word its tag, lemma, head and
relation; this view adds children lists and the questions asked again and
again (the subtree of a word, its children by relation, its words' span).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
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

    @cached_property
    def kids(self) -> tuple[tuple[int, ...], ...]:
        out: list[list[int]] = [[] for _ in self.words]
        for i, w in enumerate(self.words):
            if 0 <= w.head < len(self.words) and w.head != i:
                out[w.head].append(i)
        return tuple(tuple(k) for k in out)

    # The readings ask for words' relations, lower-cased forms and lemmas tens
    # of thousands of times per long text: each is worked out once per tree.
    @cached_property
    def _rels(self) -> tuple[str, ...]:
        return tuple(w.deprel.split(":")[0] for w in self.words)

    @cached_property
    def _deprels(self) -> tuple[str, ...]:
        return tuple(w.deprel for w in self.words)

    @cached_property
    def _lows(self) -> tuple[str, ...]:
        return tuple(w.text.lower() for w in self.words)

    @cached_property
    def _lemmas(self) -> tuple[str, ...]:
        return tuple(w.lemma.lower() for w in self.words)

    @cached_property
    def root(self) -> int:
        return next((i for i, w in enumerate(self.words) if w.head < 0 or w.deprel == "root"), 0)

    @property
    def start(self) -> int:
        return self.words[0].start if self.words else 0

    @property
    def end(self) -> int:
        return self.words[-1].end if self.words else 0

    def __len__(self) -> int:
        return len(self.words)

    # ``t.low(i)``, ``t.lemma(i)`` and ``t.rel(i)`` are the tuples' own look-ups,
    # called without a Python frame: the readings ask for them tens of thousands of times.
    @cached_property
    def low(self) -> Callable[[int], str]:
        """The lower-cased form of word ``i``."""
        return self._lows.__getitem__

    @cached_property
    def lemma(self) -> Callable[[int], str]:
        """The lower-cased lemma of word ``i``."""
        return self._lemmas.__getitem__

    @cached_property
    def rel(self) -> Callable[[int], str]:
        """The relation of word ``i`` without its subtype ("obl:tmod" -> "obl")."""
        return self._rels.__getitem__

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
        if not rels:
            return list(self.kids[i])
        base, full = self._rels, self._deprels
        return [k for k in self.kids[i] if base[k] in rels or full[k] in rels]

    def child(self, i: int, *rels: str) -> int | None:
        found = self.children(i, *rels)
        return found[0] if found else None

    def head(self, i: int) -> int | None:
        h = self.words[i].head
        return h if 0 <= h < len(self.words) and h != i else None

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

    @cached_property
    def _whole(self) -> dict[int, tuple[int, ...]]:
        return {}

    def _subtree(self, i: int, blocked: set[int]) -> list[int]:
        out: list[int] = []
        stack = [i]
        while stack:
            k = stack.pop()
            out.append(k)
            stack.extend(c for c in self.kids[k] if c not in blocked)
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
