"""Score the syntax model on CoNLL-U files: UPOS, lemma, UAS and LAS.

The gold words are given to the model (its own tokenizer is not scored), as
in the usual "gold tokenization" setting of UD parsing papers. Every word
counts, punctuation included, as in the CoNLL 2018 shared task; LAS needs the
full relation with its subtype ("obl:tmod", not just "obl").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.syntax.conllu import TreeRow
from planner.syntax.model import SyntaxModel


@dataclass(frozen=True)
class SyntaxScores:
    name: str
    sentences: int
    words: int
    upos: int
    lemma: int
    uas: int
    las: int

    def rate(self, part: str) -> float:
        value: int = getattr(self, part)
        return value / self.words if self.words else 0.0

    def line(self) -> str:
        return (
            f"{self.name}: UPOS {self.rate('upos'):.2%}  lemma {self.rate('lemma'):.2%}  "
            f"UAS {self.rate('uas'):.2%}  LAS {self.rate('las'):.2%}  "
            f"({self.sentences} sentences, {self.words} words)"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "sentences": self.sentences,
            "words": self.words,
            "upos": round(self.rate("upos"), 4),
            "lemma": round(self.rate("lemma"), 4),
            "uas": round(self.rate("uas"), 4),
            "las": round(self.rate("las"), 4),
        }


def gold_lemma(form: str, upos: str, lemma: str) -> str:
    """The treebank lemma in this model's convention: lower case except for proper nouns."""
    return lemma if upos == "PROPN" else lemma.lower()


def score(model: SyntaxModel, rows: Sequence[TreeRow], name: str) -> SyntaxScores:
    words = upos = lemma = uas = las = 0
    for row in rows:
        tags = model.tag(row.forms)
        heads = model.parse(row.forms, tags)
        labels = model.label(row.forms, tags, heads)
        lemmas = model.lemmas(row.forms, tags)
        for i in range(len(row)):
            words += 1
            upos += tags[i] == row.upos[i]
            want = gold_lemma(row.forms[i], row.upos[i], row.lemmas[i])
            lemma += lemmas[i] == want or (row.lemmas[i] == "_")
            if heads[i] == row.heads[i]:
                uas += 1
                las += labels[i] == row.deprels[i]
    return SyntaxScores(name, len(rows), words, upos, lemma, uas, las)
