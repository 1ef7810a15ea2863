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


def train(corpus: Path, output: Path, *, writers: Sequence[str] | None = None, c: float = 1.0) -> dict[str, Any]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    tasks = labelled_tasks(corpus, writers)
    xs = [featurise(t) for t, _, _ in tasks]
    ys = [p for _, p, _ in tasks]
    vec = DictVectorizer()
    matrix = vec.fit_transform(xs)
    model = LogisticRegression(C=c, max_iter=5000, random_state=0).fit(matrix, ys)
    classes = [str(k) for k in model.classes_]
    names = vec.get_feature_names_out()
    weights = {str(n): [float(model.coef_[k][j]) for k in range(len(classes))] for j, n in enumerate(names)}
    accuracy = float(model.score(matrix, ys))
    meta = {
        "trained_on": sorted({s for _, _, s in tasks}),
        "examples": len(tasks),
        "training_accuracy": round(accuracy, 4),
        "data": "corpus/tasks and corpus/advisor: task descriptions written and labelled for this project (MIT)",
    }
    output.write_text(to_json(classes, weights, [float(b) for b in model.intercept_], meta), encoding="utf-8")
    from planner.advise.learned import load_pattern_model

    load_pattern_model.cache_clear()
    return meta
