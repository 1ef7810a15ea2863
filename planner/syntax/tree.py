"""The analysed text: words with tags, lemmas and a dependency tree."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    """One syntactic word (UD tokenisation: "don't" is two words, "do" and "n't").

    ``start`` and ``end`` are character offsets into the text given to
    :func:`planner.syntax.analyse`, and ``text == original[start:end]`` for
    every word, split clitics included ("n't" covers the three characters it
    came from). ``head`` is the index of the head word in the sentence, -1 for
    the root; ``deprel`` the Universal Dependencies relation with its subtype
    ("obl:tmod", "compound:prt"). ``lemma`` is lower case except for proper
    nouns.
    """

    text: str
    start: int
    end: int
    lemma: str
    upos: str
    head: int
    deprel: str


@dataclass(frozen=True)
class Sentence:
    """The words of one sentence and their tree.

    ``start``/``end`` span the words (a list marker before them, such as "-"
    or "2.", is not a word: it is ``marker``, empty when there is none).
    """

    words: tuple[Word, ...]
    start: int
    end: int
    marker: str = ""
    _children: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        kids: list[list[int]] = [[] for _ in self.words]
        for i, w in enumerate(self.words):
            if 0 <= w.head < len(kids):
                kids[w.head].append(i)
        object.__setattr__(self, "_children", tuple(tuple(k) for k in kids))

    def __len__(self) -> int:
        return len(self.words)

    @property
    def root(self) -> int:
        """Index of the root word (the main predicate, usually)."""
        for i, w in enumerate(self.words):
            if w.head == -1:
                return i
        return 0

    def children(self, i: int) -> tuple[int, ...]:
        """Indices of the words that depend on word ``i``, left to right."""
        return self._children[i]

    def subtree(self, i: int) -> tuple[int, int]:
        """The first and last word index of the phrase headed by word ``i``."""
        first = last = i
        todo = [i]
        while todo:
            j = todo.pop()
            first = min(first, j)
            last = max(last, j)
            todo.extend(self._children[j])
        return first, last

    def span(self, i: int) -> tuple[int, int]:
        """Character offsets of the phrase headed by word ``i``."""
        first, last = self.subtree(i)
        return self.words[first].start, self.words[last].end
