"""The learned pattern model: the selection rules' verdicts and the features, weighed from labelled tasks.

The selection rules (``rules/selection.toml``) say, each with its reason,
what argues for or against a pattern; which of them matter how much is
learned: a multinomial logistic model over the rules that fired and the
feature values, fitted by ``planner train patterns`` on the annotated corpus
(``corpus/tasks``, never ``corpus/sealed``) and the advisor's labelled
examples (``corpus/advisor``). Its probabilities are the advisor's
confidence. The weights are plain data (``rules/pattern_model.json``, with
the training data's attribution inside); no scikit-learn at run time.

A user's own selection rules (rule files in ``[tool.planner]``) still count:
their weights are added to the model's score for their pattern.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner.advise.features import Features
from planner.errors import ModelError
from planner.resources import data_file

MODEL_FILE = "pattern_model.json"
# 2: the weight rows as one string of names and one base64 block of little-endian
# float32, read with array in about a millisecond at every cold start (format 1, a
# JSON list per row, took several: two thousand word rows are parsed on every run).
FORMAT = 2


class _FiredLike:  # the two attributes of engine.FiredRule read here (no import cycle)
    id: str


# Small counts the model also sees one by one ("b:steps=1", ..., "b:steps=4+"): on a log
# scale alone one step and two steps differ by as little as two and three, yet one
# step is the line between one agent and a pipeline, and one step per item the line
# between fanning out and parallel pipelines. A linear weight on the log cannot bend there.
BUCKETED = ("steps", "depth", "roots", "items", "item_steps", "after_join")
BUCKET_TOP = 4


def pattern_features(features: Features, fired: Iterable[Any]) -> dict[str, float]:
    """The model's inputs: true/false features, counts on a log scale (and small counts one
    by one), each rule that fired, and the parse's words: the readings that fired, the
    steps' verbs, the text's lemmas and its pairs of neighbouring lemmas.

    Only the lemmas the model was trained to weigh count (the others have no weight row).
    """
    out: dict[str, float] = {}
    for name, value in features.values.items():
        if isinstance(value, bool):
            if value:
                out["f:" + name] = 1.0
        elif isinstance(value, int | float):
            out["n:" + name] = math.log1p(max(0.0, float(value)))
            if name in BUCKETED:
                k = int(value)
                out[f"b:{name}={k}" if k < BUCKET_TOP else f"b:{name}={BUCKET_TOP}+"] = 1.0
    for rule in fired:
        out["r:" + rule.id] = 1.0
    for code in features.readings:
        out["c:" + code] = 1.0
    for verb in features.verbs:
        out["v:" + verb] = 1.0
    for lemma in features.lemmas:
        out["w:" + lemma] = 1.0
    for pair in features.lemma_pairs:
        out["p:" + pair] = 1.0
    return out


class _Rows(Mapping[str, tuple[float, ...]]):
    """Feature name -> its weight per class, read from one flat array only when asked for."""

    def __init__(self, names: tuple[str, ...], flat: Sequence[float], width: int) -> None:
        self._index = {n: k for k, n in enumerate(names)}
        self._flat = flat
        self._width = width

    def __getitem__(self, name: str) -> tuple[float, ...]:
        k = self._index[name] * self._width
        return tuple(self._flat[k : k + self._width])

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


@dataclass(frozen=True)
class PatternModel:
    classes: tuple[str, ...]
    weights: Mapping[str, tuple[float, ...]]  # feature -> one weight per class
    bias: tuple[float, ...]
    meta: Mapping[str, Any]

    def logits(self, features: Mapping[str, float]) -> dict[str, float]:
        z = list(self.bias)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None:
                for k, wk in enumerate(row):
                    z[k] += wk * value
        return dict(zip(self.classes, z, strict=True))


def softmax(logits: Mapping[str, float]) -> dict[str, float]:
    top = max(logits.values())
    exp = {k: math.exp(v - top) for k, v in logits.items()}
    total = sum(exp.values())
    return {k: v / total for k, v in exp.items()}


def model_from_json(data: Any) -> PatternModel:
    try:
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}")
        classes = tuple(str(c) for c in data["classes"])
        names = tuple(str(data["names"]).split("\n")) if data["names"] else ()
        flat = array("f")
        flat.frombytes(base64.b64decode(str(data["weights"]), validate=True))
        if sys.byteorder != "little":
            flat.byteswap()
        if len(flat) != len(names) * len(classes):
            raise ValueError("the weights do not match the names and classes")
        weights = _Rows(names, flat, len(classes))
        bias = tuple(float(x) for x in data["bias"])
        if len(bias) != len(classes):
            raise ValueError("the bias has the wrong length")
    except (AttributeError, KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise ModelError(f"rules/{MODEL_FILE} is corrupt ({exc}); retrain with 'planner train patterns'") from None
    return PatternModel(classes, weights, bias, data.get("meta", {}))


@cache
def load_pattern_model() -> PatternModel | None:
    """The shipped model, or None without the file (the rules' own weights decide then)."""
    path = data_file("rules", MODEL_FILE)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"rules/{MODEL_FILE}: cannot read ({exc})") from None
    return model_from_json(data)


def to_json(classes: list[str], weights: dict[str, list[float]], bias: list[float], meta: Mapping[str, Any]) -> str:
    # float32: no prediction on the corpus changes at that precision.
    rows = {k: v for k, v in sorted(weights.items()) if any(abs(x) >= 1e-4 for x in v)}
    flat = array("f", [x for v in rows.values() for x in v])
    if sys.byteorder != "little":
        flat.byteswap()
    data = {
        "format": FORMAT, "meta": dict(meta), "classes": classes, "bias": [round(b, 4) for b in bias],
        "names": "\n".join(rows), "weights": base64.b64encode(flat.tobytes()).decode("ascii"),
    }
    return json.dumps(data, sort_keys=True, indent=1) + "\n"
