"""Part-of-speech tags, lemmas and dependency trees for English text.

A small, trained linguistic base for the task parser: an averaged-perceptron
tagger, a lemmatiser learned from the treebank, and a greedy arc-eager
dependency parser with an arc labeller, all trained on Universal Dependencies
English EWT (see ``docs/syntax.md``; weights in ``rules/syntax.model``).

    >>> from planner.syntax import analyse
    >>> (s,) = analyse("Polish the release notes, then publish them.")
    >>> [(w.text, w.upos, w.deprel) for w in s.words][:2]
    [('Polish', 'VERB', 'root'), ('the', 'DET', 'det')]

The weights are read on first use (never on ``import planner``), in a few
milliseconds. Output depends only on the input text and the weights file:
no randomness, no ``hash()``, the same under any ``PYTHONHASHSEED``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from planner.syntax.tree import Sentence, Word

if TYPE_CHECKING:  # pragma: no cover
    from planner.syntax.model import SyntaxModel

__all__ = ["Sentence", "Word", "analyse", "default_model", "lemmatise", "load", "parse", "tag"]


def analyse(text: str, start: int = 0, end: int | None = None) -> tuple[Sentence, ...]:
    """Split ``text[start:end]`` into sentences and words, tag, lemmatise and parse them.

    Offsets in the result are offsets into ``text``.
    """
    from planner.syntax.tokenize import split

    chunks = split(text, start, end)
    if not chunks:
        return ()
    m = default_model()
    out = []
    for chunk in chunks:
        forms = [t.text for t in chunk.tokens]
        tags = m.tag(forms)
        heads = m.parse(forms, tags)
        labels = m.label(forms, tags, heads)
        lemmas = m.lemmas(forms, tags)
        words = tuple(
            Word(t.text, t.start, t.end, lemma, upos, head, deprel)
            for t, lemma, upos, head, deprel in zip(chunk.tokens, lemmas, tags, heads, labels, strict=True)
        )
        out.append(Sentence(words, words[0].start, words[-1].end, chunk.marker))
    return tuple(out)


def tag(words: Sequence[str]) -> tuple[str, ...]:
    """UPOS tags for already-split words (one sentence)."""
    return tuple(default_model().tag(list(words))) if words else ()


def lemmatise(words: Sequence[str], tags: Sequence[str]) -> tuple[str, ...]:
    """Lemmas for words and their UPOS tags."""
    if len(words) != len(tags):
        raise ValueError("need one tag per word")
    return tuple(default_model().lemmas(list(words), list(tags)))


def parse(words: Sequence[str], tags: Sequence[str] | None = None) -> tuple[tuple[int, str], ...]:
    """(head, relation) for each word of one sentence; head -1 is the root. Tags are predicted when not given."""
    if not words:
        return ()
    m = default_model()
    forms = list(words)
    upos = list(tags) if tags is not None else m.tag(forms)
    if len(upos) != len(forms):
        raise ValueError("need one tag per word")
    heads = m.parse(forms, upos)
    return tuple(zip(heads, m.label(forms, upos, heads), strict=True))


@cache
def default_model() -> SyntaxModel:
    """The shipped model (``rules/syntax.model``), read once per process."""
    from planner.resources import data_file
    from planner.syntax.model import MODEL_FILE

    path = data_file("rules", MODEL_FILE)
    if not path.is_file():
        from planner.errors import ModelError

        raise ModelError(f"no syntax model at rules/{MODEL_FILE} (run 'planner train syntax' in a checkout)")
    return load(path)


def load(path: Path) -> SyntaxModel:
    """A model from a weights file (for a retrained or experimental model)."""
    from planner.syntax.model import load_model

    return load_model(path)
