"""Learned decisions of the task parser: which predicates ask for work (S100) and
which steps wait for which (O300).

Both are logistic models over features of the dependency tree and of the
readings that fired (their evidence), trained by ``planner train steps`` on the
project's annotated corpus (``corpus/tasks``, never the sealed writers of
``corpus/sealed``). The weights are plain data (``rules/step_model.json``,
with the training data's attribution inside); no scikit-learn at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from operator import mul
from typing import Any

from planner.errors import ModelError
from planner.parser import clauses as S
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import Words
from planner.resources import data_file

MODEL_FILE = "step_model.json"
FORMAT = 1

doc_only(
    "S100", "learned-step",
    "A logistic model, trained on the project's annotated corpus, decides which predicates ask for work.",
    """The S readings say what each verb or work noun is doing in its sentence
    (a command, a wish, a story, a condition, a thing to look for); the model
    weighs that evidence with the word's tags, relation, subject, modals,
    neighbours and role, and keeps the predicates that ask for work. It was
    checked on writers it was not trained on (see the README's parser
    figures).""",
)
doc_only(
    "O300", "learned-order",
    "A logistic model, trained on the project's annotated corpus, decides which earlier step a step waits for.",
    """The O readings (markers, subordinate clauses, hand-offs, defaults) are
    the evidence; the model weighs them with the distance, the words between
    the two steps, their roles and what they share, and keeps the waits the
    text implies.""",
)

_PREV_WORDS = frozenset({",", "and", "then", "to", "please", ":", "<s>", "the", "a", "you", "i", "we", "-", "+", "->", "also", "first", "after", "before", "once", "when"})
_MARKER_WORDS = frozenset({"first", "then", "next", "finally", "after", "once", "when", "also", "please", "and", "before", "that"})
_PRONOUNS = frozenset({"it", "them", "this", "that", "these", "those", "they", "its", "their", "both", "everything", "all"})


def _depth(t: Tree, i: int) -> int:
    return sum(1 for _ in t.ancestors(i))


def step_features(t: Tree, i: int, w: Words, blocked: bool, rule: str | None) -> dict[str, float]:
    """Features of candidate predicate ``i`` (a verb, or a noun that names work)."""
    word = t.words[i]
    low = t.low(i)
    # "come up with" is read as the verb it means, as the readings read it
    lemma = (S.phrasal_work(t, i, w) if word.upos == "VERB" else None) or t.lemma(i)
    h = t.head(i)
    f: dict[str, float] = {
        "upos=" + word.upos: 1,
        "rel=" + word.deprel: 1,
        "rule=" + (rule or "none"): 1,
        "role=" + str(w.role_of(lemma)): 1,
        "lem=" + lemma: 1,
    }
    f["blocked"] = float(blocked)
    f["light"] = float(lemma in w.light)
    f["wish"] = float(lemma in w.wish)
    f["state"] = float(lemma in w.state)
    f["base"] = float(low == lemma)
    subj = S._subject(t, i)
    # "can someone check": whoever reads the request is addressed like "you"
    kind = "none" if subj is None else ("you" if t.low(subj) in ("you", "u") or t.low(subj) in S._ANYONE else ("self" if t.low(subj) in ("i", "we") else "other"))
    f["subj=" + kind] = 1
    f["modal"] = float(S._has_modal(t, i))
    f["neg"] = float(S.negated(t, i))
    marks = t.lows(t.children(i, "mark"))
    f["mark=" + (marks[0] if marks else "none")] = 1
    f["hrel=" + (t.words[h].deprel if h is not None else "ROOT")] = 1
    f["hupos=" + (t.words[h].upos if h is not None else "ROOT")] = 1
    if h is not None:
        hl = t.lemma(h)
        f["hlight"] = float(hl in w.light)
        f["hwish"] = float(hl in w.wish)
        f["hcheck"] = float(hl in w.checking)
        f["hstate"] = float(hl in w.state)
    f["first"] = float(i == 0)
    prev = t.low(i - 1) if i > 0 else "<s>"
    f["prev=" + (prev if prev in _PREV_WORDS else "other")] = 1
    f["next=" + (t.words[i + 1].upos if i + 1 < len(t) else "END")] = 1
    f["question"] = float(bool(t.words) and t.words[-1].text == "?")
    f["depth=" + str(min(_depth(t, i), 4))] = 1
    f["hasobj"] = float(t.child(i, "obj") is not None)
    # order words opening the clause ("first you take", "after that you check", "then fix")
    lo = min([i, *(min(t.subtree(k)) for k in t.children(i) if k < i)])
    for k in range(lo, i):
        if t.low(k) in _MARKER_WORDS:
            f["mk=" + t.low(k)] = 1
    f["nounverb"] = float(S.noun_verb(lemma, w) is not None)
    return f


@dataclass(frozen=True)
class LinearModel:
    weights: Mapping[str, float]
    bias: float
    threshold: float

    def probability(self, features: Mapping[str, float]) -> float:
        # the products added in the features' order, as a generator would, in C
        z = self.bias + sum(map(mul, map(self.weights.get, features.keys(), repeat(0.0)), features.values()))
        if z < -40:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def accepts(self, features: Mapping[str, float]) -> bool:
        return self.probability(features) >= self.threshold


@dataclass(frozen=True)
class StepModels:
    steps: LinearModel | None
    order: LinearModel | None
    meta: Mapping[str, Any]


def _linear(data: Any, name: str) -> LinearModel | None:
    if data is None:
        return None
    try:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return LinearModel(weights, float(data["bias"]), float(data.get("threshold", 0.5)))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelError(f"rules/{MODEL_FILE}: the {name} model is corrupt ({exc})") from None


def models_from_json(data: Any) -> StepModels:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(f"rules/{MODEL_FILE}: unknown format (retrain with 'planner train steps')")
    return StepModels(_linear(data.get("steps"), "step"), _linear(data.get("order"), "order"), data.get("meta", {}))


@cache
def load_models() -> StepModels:
    """The shipped models; without the file, no learned model (the readings decide alone)."""
    path = data_file("rules", MODEL_FILE)
    if not path.is_file():
        return StepModels(None, None, {})
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"rules/{MODEL_FILE}: cannot read ({exc})") from None
    return models_from_json(data)


def to_json(steps: tuple[dict[str, float], float, float] | None, order: tuple[dict[str, float], float, float] | None, meta: Mapping[str, Any]) -> str:
    def block(m: tuple[dict[str, float], float, float] | None) -> Any:
        if m is None:
            return None
        weights, bias, threshold = m
        return {"bias": round(bias, 6), "threshold": threshold, "weights": {k: round(v, 6) for k, v in sorted(weights.items()) if abs(v) >= 1e-6}}

    return json.dumps({"format": FORMAT, "meta": dict(meta), "steps": block(steps), "order": block(order)}, indent=1, sort_keys=True) + "\n"


def iter_candidates(t: Tree, w: Words) -> Iterable[int]:
    """Words that may head a step: verbs, and nouns that name work."""
    for i in range(len(t)):
        word = t.words[i]
        if word.upos == "VERB" or (word.upos in ("NOUN", "PROPN") and S.noun_verb(t.lemma(i), w) is not None):
            yield i
