"""Train the learned pattern model (``planner train patterns``; needs scikit-learn).

Examples: every task of the annotated corpus (``corpus/tasks``: its
``pattern``) and the advisor's labelled examples (``corpus/advisor``), each
parsed and featurised exactly as ``planner suggest`` does. ``corpus/sealed``
is never read here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planner.advise.learned import pattern_features, to_json

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def labelled_tasks(corpus: Path, writers: Sequence[str] | None = None) -> list[tuple[str, str, str]]:
    """(task, pattern, source) for the tasks under ``corpus/tasks`` and ``corpus/advisor``."""
    from planner.parser.corpus import read_corpora

    out: list[tuple[str, str, str]] = []
    rows = read_corpora(sorted((corpus / "tasks").glob("*.jsonl")))
    out.extend((r.task, r.pattern, r.writer) for r in rows if writers is None or r.writer in writers)
    if writers is None or "advisor" in writers:
        for path in sorted((corpus / "advisor").glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    out.append((str(row["task"]), str(row["pattern"]), "advisor"))
    return out


def featurise(task: str) -> dict[str, float]:
    from planner.advise.engine import fired_rules
    from planner.advise.features import compute_features
    from planner.advise.rules import load_rules
    from planner.config import default_config
    from planner.parser import parse

    rules = load_rules(())
    features = compute_features(parse(task, cues=rules.cues), default_config())
    return pattern_features(features, fired_rules(rules.selection, features))


# A lemma or step verb is weighed only when this many sources (writers, and the
# advisor's examples) use it: words every writer uses say how people ask for a kind
# of work; words of one writer say who wrote the task (their domain, their habits),
# and a model that learns those does not carry to a new writer. Leave-one-writer-out
# accuracy did not tell the settings apart (measured on surface words before the
# lemmas: 85.9% at three and at five sources, 86.2% with every word kept); three
# keeps the rule's reason with a model of about two thousand rows instead of five.
MIN_SOURCES = 3


def shared_words(xs: Sequence[dict[str, float]], sources: Sequence[str], min_sources: int = MIN_SOURCES) -> set[str]:
    """The word features ('w:', 'v:') used by at least ``min_sources`` sources."""
    seen: dict[str, set[str]] = {}
    for x, source in zip(xs, sources, strict=True):
        for name in x:
            if name[:2] in ("w:", "v:"):
                seen.setdefault(name, set()).add(source)
    return {name for name, who in seen.items() if len(who) >= min_sources}


def _keep(x: dict[str, float], words: set[str]) -> dict[str, float]:
    return {k: v for k, v in x.items() if k[:2] not in ("w:", "v:") or k in words}


def _fit(xs: Sequence[dict[str, float]], ys: Sequence[str], sources: Sequence[str], c: float) -> tuple[Any, Any, Any, set[str]]:
    """The vectoriser, the fitted model, the training matrix and the words kept."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    words = shared_words(xs, sources)
    vec = DictVectorizer()
    matrix = vec.fit_transform([_keep(x, words) for x in xs])
    model = LogisticRegression(C=c, max_iter=5000, random_state=0).fit(matrix, list(ys))
    return vec, model, matrix, words


def cross_validate(corpus: Path, *, writers: Sequence[str] | None = None, c: float = 1.0) -> dict[str, tuple[int, int]]:
    """Leave one writer out: for each writer of corpus/tasks, (right, tasks) of a model fitted without them.

    The figure that says how the model does on a writer it never saw; the
    advisor's examples, when among the sources, are always in the training side.
    """
    tasks = labelled_tasks(corpus, writers)
    xs = [featurise(t) for t, _, _ in tasks]
    out: dict[str, tuple[int, int]] = {}
    for held in sorted({s for _, _, s in tasks} - {"advisor"}):
        train_i = [i for i, (_, _, s) in enumerate(tasks) if s != held]
        test_i = [i for i, (_, _, s) in enumerate(tasks) if s == held]
        vec, model, _, words = _fit([xs[i] for i in train_i], [tasks[i][1] for i in train_i],
                                    [tasks[i][2] for i in train_i], c)
        guess = model.predict(vec.transform([_keep(xs[i], words) for i in test_i]))
        out[held] = (sum(1 for g, i in zip(guess, test_i, strict=True) if g == tasks[i][1]), len(test_i))
    return out


def train(corpus: Path, output: Path, *, writers: Sequence[str] | None = None, c: float = 1.0) -> dict[str, Any]:
    tasks = labelled_tasks(corpus, writers)
    xs = [featurise(t) for t, _, _ in tasks]
    ys = [p for _, p, _ in tasks]
    vec, model, matrix, words = _fit(xs, ys, [s for _, _, s in tasks], c)
    classes = [str(k) for k in model.classes_]
    names = vec.get_feature_names_out()
    weights = {str(n): [float(model.coef_[k][j]) for k in range(len(classes))] for j, n in enumerate(names)}
    accuracy = float(model.score(matrix, ys))
    meta = {
        "trained_on": sorted({s for _, _, s in tasks}),
        "examples": len(tasks),
        "training_accuracy": round(accuracy, 4),
        "words": f"lemmas and step verbs used by {MIN_SOURCES} or more sources ({len(words)} kept)",
        "data": "corpus/tasks and corpus/advisor: task descriptions written and labelled for this project (MIT)",
    }
    output.write_text(to_json(classes, weights, [float(b) for b in model.intercept_], meta), encoding="utf-8")
    from planner.advise.learned import load_pattern_model

    load_pattern_model.cache_clear()
    return meta
