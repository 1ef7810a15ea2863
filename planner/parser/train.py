"""Train the role classifier from ``corpus/*.jsonl`` (a source checkout only).

Two TF-IDF blocks (word 1-2 grams, character 3-5 grams within words) feed a
linear support vector classifier (one-vs-rest). To keep the shipped file small
the model is fitted twice: the first fit ranks features by their largest
absolute weight, the second uses only the top ones (a fixed vocabulary, so
the run-time norms see every feature they need); then each label's weights
below a tenth of its largest are set to zero. Weights and idf values are
rounded and written back into the scikit-learn objects, so the exported JSON
and the in-memory model are the same model.

scikit-learn is imported inside the functions: nothing else in planner pays
for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.errors import InputError
from planner.parser.classifier import FORMAT

CORPUS_DIR = Path(__file__).resolve().parent.parent.parent / "corpus"
WORD_NGRAM = (1, 2)
CHAR_NGRAM = (3, 5)
# Feature budget per block after selection. On this corpus 1200 + 2400 keeps
# cross-validated accuracy within a point of the full vocabulary (about 8000
# features), and the JSON stays near 150 KiB.
KEEP_WORD = 1200
KEEP_CHAR = 2400
C = 0.5  # the best of 0.3 / 0.5 / 1.0 in cross-validation on this corpus
PRUNE = 0.1  # weights below this fraction of a label's largest weight are dropped (-1 point, -70% size)
DIGITS = 4  # significant digits kept in the exported numbers


@dataclass(frozen=True)
class Example:
    text: str
    role: str


@dataclass
class Trained:
    pipeline: Any  # sklearn Pipeline(FeatureUnion, LogisticRegression)
    export: dict[str, Any]
    cv_accuracy: float
    cv_folds: int
    examples: list[Example]


def read_corpus(corpus_dir: Path = CORPUS_DIR, roles: set[str] | None = None) -> list[Example]:
    """Every ``{"text", "role"}`` row under ``corpus_dir``; bad rows are InputErrors."""
    if not corpus_dir.is_dir():
        raise InputError(
            f"no corpus at {corpus_dir.name}/: 'planner train' works from a source checkout"
        )
    out: list[Example] = []
    for path in sorted(corpus_dir.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                example = Example(str(row["text"]), str(row["role"]))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(f"{path.name}:{n}: need an object with 'text' and 'role' ({exc})") from exc
            if roles is not None and example.role not in roles:
                raise InputError(f"{path.name}:{n}: unknown role {example.role!r}")
            out.append(example)
    if not out:
        raise InputError(f"no examples in {corpus_dir.name}/*.jsonl")
    return out


def _round(value: float) -> float:
    return float(f"{value:.{DIGITS}g}")


def _pipeline(word_vocab: list[str] | None = None, char_vocab: list[str] | None = None) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    return Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        ("word", TfidfVectorizer(ngram_range=WORD_NGRAM, sublinear_tf=True, vocabulary=word_vocab)),
                        (
                            "char",
                            TfidfVectorizer(
                                analyzer="char_wb", ngram_range=CHAR_NGRAM, sublinear_tf=True, vocabulary=char_vocab
                            ),
                        ),
                    ]
                ),
            ),
            ("model", LinearSVC(C=C, random_state=0)),
        ]
    )


def _select(pipeline: Any) -> tuple[list[str], list[str]]:
    """The top features of each block by largest absolute weight over all labels."""
    import numpy as np

    union = pipeline.named_steps["features"]
    coef = np.abs(pipeline.named_steps["model"].coef_).max(axis=0)
    chosen: list[list[str]] = []
    offset = 0
    for (_, vec), keep in zip(union.transformer_list, (KEEP_WORD, KEEP_CHAR), strict=True):
        names = vec.get_feature_names_out()
        part = coef[offset : offset + len(names)]
        order = np.argsort(-part, kind="stable")[:keep]
        chosen.append(sorted(str(names[i]) for i in order))
        offset += len(names)
    return chosen[0], chosen[1]


def _round_in_place(pipeline: Any) -> None:
    """Prune and round idf and weights so the exported JSON and the sklearn model agree exactly."""
    import numpy as np

    _prune(pipeline)
    for _, vec in pipeline.named_steps["features"].transformer_list:
        vec.idf_ = np.array([_round(v) for v in vec.idf_])
    model = pipeline.named_steps["model"]
    model.coef_ = np.array([[_round(v) for v in row] for row in model.coef_])
    model.intercept_ = np.array([_round(v) for v in model.intercept_])


def _export(pipeline: Any) -> dict[str, Any]:
    blocks = []
    for name, vec in pipeline.named_steps["features"].transformer_list:
        blocks.append(
            {
                "name": name,
                "analyzer": vec.analyzer,
                "ngram": list(vec.ngram_range),
                "terms": [str(t) for t in vec.get_feature_names_out()],
                "idf": [float(v) for v in vec.idf_],
            }
        )
    model = pipeline.named_steps["model"]
    weights = [[[int(i), float(w)] for i, w in enumerate(row) if w != 0.0] for row in model.coef_]
    return {
        "format": FORMAT,
        "about": "Role classifier for planner's task parser (TF-IDF + linear SVC); retrain with 'planner train'.",
        "labels": [str(c) for c in model.classes_],
        "sublinear_tf": True,
        "blocks": blocks,
        "weights": weights,
        "intercept": [float(v) for v in model.intercept_],
    }


def _prune(pipeline: Any) -> None:
    import numpy as np

    model = pipeline.named_steps["model"]
    coef = np.array(model.coef_)
    threshold = PRUNE * np.abs(coef).max(axis=1, keepdims=True)
    coef[np.abs(coef) < threshold] = 0.0
    model.coef_ = coef


def train(examples: list[Example], *, folds: int = 5) -> Trained:
    """Fit the model and measure it with stratified k-fold cross-validation (``folds`` < 2: skip it).

    The feature selection is redone inside each fold, so the score is honest.
    """
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    texts = [e.text for e in examples]
    labels = [e.role for e in examples]
    if len(set(labels)) < 3:
        raise InputError("the corpus needs examples of at least three roles")
    # One thread: with several BLAS threads on a small shared machine the
    # fits run many times slower, not faster.
    with threadpool_limits(1):
        return _train(texts, labels, examples, folds)


def _train(texts: list[str], labels: list[str], examples: list[Example], folds: int) -> Trained:
    from sklearn.model_selection import StratifiedKFold

    final = _fit_selected(texts, labels)
    _round_in_place(final)
    if folds < 2:  # no cross-validation asked for (the equality test needs only the fit)
        return Trained(final, _export(final), float("nan"), 0, examples)
    smallest = min(labels.count(r) for r in set(labels))
    k = max(2, min(folds, smallest))
    correct = 0
    for train_idx, test_idx in StratifiedKFold(n_splits=k, shuffle=True, random_state=0).split(texts, labels):
        model = _fit_selected([texts[i] for i in train_idx], [labels[i] for i in train_idx])
        _prune(model)
        predicted = model.predict([texts[i] for i in test_idx])
        correct += sum(1 for i, p in zip(test_idx, predicted, strict=True) if p == labels[i])
    return Trained(final, _export(final), correct / len(texts), k, examples)


def _fit_selected(texts: list[str], labels: list[str]) -> Any:
    full = _pipeline().fit(texts, labels)
    return _pipeline(*_select(full)).fit(texts, labels)


def write_model(export: dict[str, Any], path: Path) -> None:
    from planner.outfile import write_text_file

    write_text_file(path, json.dumps(export, separators=(",", ":"), ensure_ascii=False) + "\n", force=True)
