"""The trained syntax model at run time: tagger, lemmatiser, parser, labeller.

Built from the sections of the weights file (:mod:`planner.syntax.weights`)
without copying them into Python dictionaries: the look-ups bisect the
arrays and sorted string lists as they come from the file.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from itertools import chain
from pathlib import Path

from planner.errors import ModelError
from planner.syntax.features import (
    NONE,
    ROOT_TAG,
    ROOT_WORD,
    START,
    TagContext,
    labeller_features,
    norm,
    parser_front,
    parser_move,
    parser_top,
    tagger_dynamic,
    tagger_static,
)
from planner.syntax.lemma import Lemmatiser
from planner.syntax.linear import LaneModel, LinearModel
from planner.syntax.transitions import LEFT, REDUCE, RIGHT, SHIFT, State, single_root
from planner.syntax.weights import Section, read_sections

MODEL_FILE = "syntax.model"
# Bumped whenever a template in features.py changes: an old file would still
# load but score features it was never trained on.
TEMPLATES_VERSION = 1


class SyntaxModel:
    """Everything ``planner train syntax`` learned, ready to apply."""

    def __init__(self, sections: dict[str, Section]) -> None:
        meta = _text(sections, "meta")
        self.meta = dict(line.partition("=")[::2] for line in meta.splitlines() if "=" in line)
        version = self.meta.get("templates", "")
        if version != str(TEMPLATES_VERSION):
            raise ModelError(
                f"syntax model was trained with feature templates {version or '?'}, this planner uses "
                f"{TEMPLATES_VERSION} (retrain with 'planner train syntax')"
            )
        self.tags = tuple(self.meta.get("tags", "").split())
        self.labels = tuple(self.meta.get("labels", "").split())
        if not self.tags or not self.labels or "root" not in self.labels:
            raise ModelError("syntax model is corrupt (no tag or label set)")
        self.tagger = LinearModel.from_sections(sections, "tagger", len(self.tags))
        self.parser = LaneModel.from_sections(sections, "parser", 4)
        self.labeller = LinearModel.from_sections(sections, "labeller", len(self.labels))
        self.tagdict_words = _lines(sections, "tagdict.words")
        tagdict_tags = sections.get("tagdict.tags")
        if not isinstance(tagdict_tags, (memoryview, array)) or len(tagdict_tags) != len(self.tagdict_words):
            raise ModelError("syntax model is corrupt (tag dictionary)")
        self.tagdict_tags = tagdict_tags
        self.lemmatiser = Lemmatiser(
            _lines(sections, "lemma.exc.keys"),
            _lines(sections, "lemma.exc.values"),
            _lines(sections, "lemma.rule.keys"),
            _lines(sections, "lemma.rule.values"),
            _lines(sections, "lemma.known"),
        )
        if len(self.lemmatiser.exception_keys) != len(self.lemmatiser.exception_values) or len(
            self.lemmatiser.rule_keys
        ) != len(self.lemmatiser.rule_values):
            raise ModelError("syntax model is corrupt (lemma tables)")
        self.root_label = self.labels.index("root")

    def tag(self, words: Sequence[str]) -> list[str]:
        """UPOS tags, left to right, each seeing the two tags before it."""
        tags = self.tags
        ctx = TagContext(words)
        prev, prev2 = START
        known = self.tagdict_words
        out: list[str] = []
        scores = self.tagger.scores
        for i, word in enumerate(words):
            j = bisect_left(known, word)
            if j < len(known) and known[j] == word:
                tag = tags[self.tagdict_tags[j]]
            else:
                s = scores(chain(tagger_static(ctx, i), tagger_dynamic(ctx, i, prev, prev2)))
                tag = tags[s.index(max(s))]  # the first best, as max() keeps
            out.append(tag)
            prev2, prev = prev, tag
        return out

    def lemmas(self, words: Sequence[str], tags: Sequence[str]) -> list[str]:
        lemma = self.lemmatiser.lemma
        return [lemma(w, t) for w, t in zip(words, tags, strict=True)]

    def parse(self, words: Sequence[str], tags: Sequence[str]) -> list[int]:
        """Head indices (-1 for the root) by greedy arc-eager parsing.

        The score of a move is the sum of the rows of the configuration's
        features (``parser_features``). Two of its three template groups stay
        the same over several moves (those of the word on top of the stack, and
        those of the first words of the buffer), so their sums are kept for the
        sentence: the same sums with a fifth fewer look-ups.
        """
        n = len(words)
        norms = [norm(w) for w in words]
        norms.append(ROOT_WORD)
        ptags = [*tags, ROOT_TAG]
        state = State(n)
        stack, heads, lefts, rights = state.stack, state.heads, state.lefts, state.rights
        total, digits = self.parser.total, self.parser.digits
        tops: dict[int, int] = {}
        fronts: dict[int, int] = {}
        while not state.done:
            move = state.forced()
            if move < 0:
                # forced() leaves a choice only with a word on the stack and one in the buffer
                s0, b = stack[-1], state.b
                top = tops.get(s0)
                if top is None:
                    top = tops[s0] = total(parser_top(norms, ptags, s0, heads, lefts))
                front = fronts.get(b)
                if front is None:
                    front = fronts[b] = total(parser_front(norms, ptags, b))
                move_rows = total(parser_move(norms, ptags, stack, b, heads, lefts, rights))
                s = digits(top + front + move_rows)
                # With a word on the stack and one in the buffer, SHIFT and RIGHT are legal, and
                # one of LEFT (the top has no head yet) and REDUCE (it has one): the first best of them.
                other = REDUCE if heads[s0] != -1 else LEFT
                move = RIGHT if s[RIGHT] > s[SHIFT] else SHIFT
                if s[other] > s[move]:
                    move = other
            state.apply(move)
        return single_root(state.heads, n)

    def label(self, words: Sequence[str], tags: Sequence[str], heads: Sequence[int]) -> list[str]:
        """The relation of every word to its head, labelled top-down from the root."""
        n = len(words)
        norms = [norm(w) for w in words]
        children: list[list[int]] = [[] for _ in range(n)]
        for d, h in enumerate(heads):
            if h >= 0:
                children[h].append(d)
        labels = [NONE] * n
        order = [d for d in range(n) if heads[d] < 0]
        scores = self.labeller.scores
        names = self.labels
        root = self.root_label
        k = 0
        while k < len(order):
            d = order[k]
            k += 1
            order.extend(children[d])
            if heads[d] < 0:
                labels[d] = "root"
                continue
            s = scores(labeller_features(norms, tags, heads, children, labels, d))
            s[root] = min(s) - 1  # one root per sentence: the parser's
            labels[d] = names[s.index(max(s))]
        return labels


def _text(sections: dict[str, Section], name: str) -> str:
    value = sections.get(name)
    if not isinstance(value, str):
        raise ModelError(f"syntax model is corrupt (no {name} section)")
    return value


def _lines(sections: dict[str, Section], name: str) -> list[str]:
    text = _text(sections, name)
    return text.split("\n") if text else []


def load_model(path: Path) -> SyntaxModel:
    """Read a weights file (a ModelError when it is missing, truncated, corrupt or too old)."""
    return SyntaxModel(read_sections(path))
