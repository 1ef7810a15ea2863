"""Apply the trained role classifier without scikit-learn or numpy.

``rules/role_model.json`` holds what ``planner train`` fitted: two TF-IDF
vocabularies (word 1-2 grams and character 2-4 grams inside word boundaries,
each with its idf weights, sublinear term frequency and L2 normalisation) and
the sparse weights of a multinomial logistic regression over their union. The
functions below redo scikit-learn's arithmetic step by step, so predictions
match it exactly (``tests/test_classifier.py`` checks that on the corpus).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner import lazyre
from planner.errors import RuleFileError
from planner.resources import data_file

MODEL_FILE = "role_model.json"
FORMAT = 1

# scikit-learn's defaults for TfidfVectorizer, which the trainer keeps.
_TOKEN = lazyre.compile(r"(?u)\b\w\w+\b")
_WHITE = lazyre.compile(r"\s\s+")


@dataclass(frozen=True)
class Block:
    """One vectorizer: its vocabulary (term -> column) and idf per column."""

    analyzer: str  # "word" or "char_wb"
    ngram: tuple[int, int]
    vocab: dict[str, int]
    idf: tuple[float, ...]
    offset: int  # first column of this block in the joined feature space


@dataclass(frozen=True)
class RoleModel:
    labels: tuple[str, ...]
    blocks: tuple[Block, ...]
    weights: tuple[dict[int, float], ...]  # per label: column -> weight
    intercept: tuple[float, ...]
    sublinear_tf: bool

    def features(self, text: str) -> dict[int, float]:
        """The TF-IDF vector of ``text`` as column -> value."""
        out: dict[int, float] = {}
        low = text.lower()
        for block in self.blocks:
            terms = word_ngrams(low, block.ngram) if block.analyzer == "word" else char_wb_ngrams(low, block.ngram)
            counts = Counter(t for t in terms if t in block.vocab)
            values: dict[int, float] = {}
            for term, n in counts.items():
                col = block.vocab[term]
                tf = math.log(n) + 1.0 if self.sublinear_tf else float(n)
                values[col] = tf * block.idf[col]
            norm = math.sqrt(sum(v * v for v in values.values()))
            if norm > 0:
                for col, v in values.items():
                    out[block.offset + col] = v / norm
        return out

    def scores(self, text: str) -> list[float]:
        x = self.features(text)
        return [
            sum(v * w.get(col, 0.0) for col, v in x.items()) + b
            for w, b in zip(self.weights, self.intercept, strict=True)
        ]

    def predict(self, text: str) -> str:
        """The most likely role (ties go to the first label, as numpy's argmax does)."""
        s = self.scores(text)
        best = 0
        for i in range(1, len(s)):
            if s[i] > s[best]:
                best = i
        return self.labels[best]


def word_ngrams(text: str, ngram: tuple[int, int]) -> list[str]:
    tokens = _TOKEN.findall(text)
    lo, hi = ngram
    out = list(tokens) if lo == 1 else []
    for n in range(max(lo, 2), min(hi, len(tokens)) + 1):
        out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return out


def char_wb_ngrams(text: str, ngram: tuple[int, int]) -> list[str]:
    lo, hi = ngram
    out: list[str] = []
    for word in _WHITE.sub(" ", text).split():
        w = f" {word} "
        for n in range(lo, hi + 1):
            offset = 0
            out.append(w[offset : offset + n])
            while offset + n < len(w):
                offset += 1
                out.append(w[offset : offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return out


def model_from_dict(data: dict[str, Any]) -> RoleModel:
    if data.get("format") != FORMAT:
        raise ValueError(f"unsupported model format {data.get('format')!r}")
    blocks: list[Block] = []
    offset = 0
    for b in data["blocks"]:
        vocab = {term: i for i, term in enumerate(b["terms"])}
        blocks.append(Block(b["analyzer"], (int(b["ngram"][0]), int(b["ngram"][1])), vocab, tuple(b["idf"]), offset))
        offset += len(vocab)
    weights = tuple({int(col): float(w) for col, w in row} for row in data["weights"])
    return RoleModel(
        labels=tuple(data["labels"]),
        blocks=tuple(blocks),
        weights=weights,
        intercept=tuple(float(v) for v in data["intercept"]),
        sublinear_tf=bool(data["sublinear_tf"]),
    )


@cache
def load_model() -> RoleModel | None:
    """The shipped model, or None when the file is absent (the lexicon then decides alone)."""
    path = data_file("rules", MODEL_FILE)
    if not path.is_file():
        return None
    try:
        return model_from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RuleFileError(f"cannot read the role model: {exc}", path=str(path)) from exc


def classify_role(text: str) -> str | None:
    """The role the classifier gives ``text``, or None without a model or words."""
    model = load_model()
    if model is None or not _TOKEN.search(text.lower()):
        return None
    return model.predict(text)
