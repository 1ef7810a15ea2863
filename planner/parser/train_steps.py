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

# The annotated tasks of the checkout (never corpus/sealed/, kept for reporting).
CORPUS_TASKS = Path(__file__).resolve().parents[2] / "corpus" / "tasks"


def _depth(t: Any, i: int) -> int:
    return sum(1 for _ in t.ancestors(i))


def step_examples(rows: Sequence[GoldRow], w: Words) -> tuple[list[Features], list[int]]:
    from planner.parser.assemble import _analyse_unit, _blocked, _pred_at, evidence
    from planner.parser.front import read_front

    xs: list[Features] = []
    ys: list[int] = []
    for row in rows:
        front = read_front(row.task, 20_000)
        cands = []
        trees = [t for k in range(len(front.units)) for t in _analyse_unit(front, k, w)]
        for t in trees:
            blocked = _blocked(t, w)
            for i in iter_candidates(t, w):
                if i in blocked:
                    continue  # the readings rule these out for certain (conditions, questions inside, until)
                cands.append((t, i, step_features(t, i, w, False, evidence(_pred_at(t, i, w), i))))
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


def order_examples(rows: Sequence[GoldRow], w: Words) -> tuple[list[Features], list[int]]:
    """Pairs of parsed steps matched to gold steps: positive when the gold graph orders them."""
    import networkx as nx

    from planner.parser.assemble import _closure, _finish, pair_features, read_state
    from planner.parser.scoring import align

    xs: list[Features] = []
    ys: list[int] = []
    for row in rows:
        st = read_state(row.task, None, words=w, learned_order=False)
        if len(st.drafts) < 2:
            continue
        closure = _closure(st)
        graph = _finish(st, None)
        match = align(graph, row)
        back = {pid: gid for gid, pid in match.items()}
        gold = nx.transitive_closure(row.graph)
        ids = [s.id for s in graph.steps]
        for b in range(len(st.drafts)):
            for a in range(b):
                da, db = st.drafts[a], st.drafts[b]
                if da.group is not None and da.group == db.group:
                    continue
                ga, gb = back.get(ids[a]), back.get(ids[b])
                if ga is None or gb is None:
                    continue
                xs.append(pair_features(st, a, b, closure))
                ys.append(int(gold.has_edge(ga, gb)))
    return xs, ys


def train_all(corpus: Path, output: Path, *, writers: Sequence[str] | None = None) -> dict[str, Any]:
    """Fit the step model, then the order model on parses that use it, and write ``output``."""
    import json

    w = load_words()
    rows = [r for r in read_corpora(sorted(corpus.glob("*.jsonl"))) if writers is None or r.writer in writers]
    xs, ys = step_examples(rows, w)
    sw, sb = fit(xs, ys)
    sp, sr = precision_recall(sw, sb, xs, ys)
    # the order model learns on parses that find steps the way the shipped model will
    output.write_text(to_json((sw, sb, 0.5), None, {}), encoding="utf-8")
    from planner.parser.learned import load_models

    load_models.cache_clear()
    ox, oy = order_examples(rows, w)
    ow, ob = fit(ox, oy)
    op, orr = precision_recall(ow, ob, ox, oy)
    meta = {
        "trained_on": sorted({r.writer for r in rows}),
        "rows": len(rows),
        "step_examples": len(ys),
        "order_examples": len(oy),
        "step_training_precision": round(sp, 4),
        "step_training_recall": round(sr, 4),
        "order_training_precision": round(op, 4),
        "order_training_recall": round(orr, 4),
        "data": "corpus/tasks: task descriptions written and annotated for this project (MIT)",
    }
    output.write_text(to_json((sw, sb, 0.5), (ow, ob, 0.5), meta), encoding="utf-8")
    load_models.cache_clear()
    del json
    return meta
