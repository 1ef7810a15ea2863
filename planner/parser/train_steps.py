"""Train the parser's learned decisions (``planner train steps``; needs scikit-learn).

Examples come from the annotated corpus: every candidate predicate of a task
is positive when it heads the words a gold step says (the candidate highest
in the tree inside that span), negative otherwise. Only the writers under
``corpus/tasks`` are used; ``corpus/sealed`` is kept for reporting.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planner.parser.corpus import GoldRow, read_corpora
from planner.parser.learned import iter_candidates, step_features, to_json
from planner.parser.words import Words, load_words

Features = dict[str, float]


def _depth(t: Any, i: int) -> int:
    return sum(1 for _ in t.ancestors(i))


def step_examples(rows: Sequence[GoldRow], w: Words) -> tuple[list[Features], list[int]]:
    from planner.parser.assemble import _analyse, _blocked, _pred_at
    from planner.parser.front import read_front

    xs: list[Features] = []
    ys: list[int] = []
    for row in rows:
        front = read_front(row.task, 20_000)
        cands = []
        for t in _analyse(front, w):
            blocked = _blocked(t, w)
            for i in iter_candidates(t, w):
                p = _pred_at(t, i, w)
                rule = p.codes[0] if p is not None and p.i == i else ("via" if p is not None else None)
                cands.append((t, i, step_features(t, i, w, i in blocked, rule)))
        positive = set()
        for step in row.steps:
            lo, hi = step.says
            inside = [(_depth(t, i), k) for k, (t, i, _) in enumerate(cands) if lo <= t.words[i].start < hi]
            if inside:
                positive.add(min(inside)[1])
        for k, (_, _, f) in enumerate(cands):
            xs.append(f)
            ys.append(int(k in positive))
    return xs, ys


def fit(xs: list[Features], ys: list[int], c: float = 0.5) -> tuple[dict[str, float], float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    matrix = vec.fit_transform(xs)
    model = LogisticRegression(C=c, max_iter=5000, random_state=0).fit(matrix, ys)
    names = vec.get_feature_names_out()
    weights = {str(n): float(v) for n, v in zip(names, model.coef_[0], strict=True)}
    return weights, float(model.intercept_[0])


def precision_recall(weights: dict[str, float], bias: float, xs: list[Features], ys: list[int], threshold: float = 0.5) -> tuple[float, float]:
    import math

    tp = fp = fn = 0
    for f, y in zip(xs, ys, strict=True):
        z = bias + sum(weights.get(k, 0.0) * v for k, v in f.items())
        pred = 1 / (1 + math.exp(-max(min(z, 40), -40))) >= threshold
        tp += pred and y == 1
        fp += pred and y == 0
        fn += (not pred) and y == 1
    return (tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)


def train(corpus: Path, output: Path, *, writers: Sequence[str] | None = None) -> dict[str, Any]:
    """Fit the step model on the corpus files under ``corpus`` and write ``output``."""
    w = load_words()
    paths = sorted(corpus.glob("*.jsonl"))
    rows = [r for r in read_corpora(paths) if writers is None or r.writer in writers]
    xs, ys = step_examples(rows, w)
    weights, bias = fit(xs, ys)
    p, r = precision_recall(weights, bias, xs, ys)
    meta = {
        "trained_on": sorted({r.writer for r in rows}),
        "rows": len(rows),
        "examples": len(ys),
        "training_precision": round(p, 4),
        "training_recall": round(r, 4),
        "data": "corpus/tasks: task descriptions written and annotated for this project (MIT)",
    }
    output.write_text(to_json((weights, bias, 0.5), None, meta), encoding="utf-8")
    return meta
