"""An averaged multi-class perceptron for training (Collins 2002), on numpy.

Training only: nothing at run time imports this module. Weights are integer
counts of updates, so training is exact and repeatable; the averaged weight of
a feature is the mean of its value over every training step, kept lazily
(each cell remembers when it last changed) so that an update touches only the
features of the example at hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

_GROW = 1 << 16


class Perceptron:
    """Weights for hashed features (32-bit keys) over ``n_classes`` classes."""

    def __init__(self, n_classes: int, allowed: set[int] | None = None) -> None:
        import numpy as np

        self.allowed = allowed  # when given, features outside it never get a weight
        self.np: Any = np
        self.n_classes = n_classes
        self.index: dict[int, int] = {}
        self.weights = np.zeros((_GROW, n_classes), dtype=np.int64)
        self.totals = np.zeros((_GROW, n_classes), dtype=np.int64)
        self.stamps = np.zeros((_GROW, n_classes), dtype=np.int64)
        self.step = 0  # examples seen: the clock of the running average

    def rows(self, keys: Iterable[int]) -> list[int]:
        get = self.index.get
        return [r for r in (get(k) for k in keys) if r is not None]

    def scores(self, keys: Sequence[int]) -> Any:
        rows = self.rows(keys)
        if not rows:
            return self.np.zeros(self.n_classes, dtype=self.np.int64)
        return self.weights[rows].sum(axis=0)

    def _rows_adding(self, keys: Sequence[int]) -> list[int]:
        index = self.index
        allowed = self.allowed
        out = []
        for k in keys:
            r = index.get(k)
            if r is None:
                if allowed is not None and k not in allowed:
                    continue
                r = len(index)
                index[k] = r
            out.append(r)
        if len(index) > self.weights.shape[0]:
            self._grow(len(index))
        return out

    def _grow(self, need: int) -> None:
        np = self.np
        size = self.weights.shape[0]
        while size < need:
            size *= 2
        for name in ("weights", "totals", "stamps"):
            old = getattr(self, name)
            new = np.zeros((size, self.n_classes), dtype=np.int64)
            new[: old.shape[0]] = old
            setattr(self, name, new)

    def tick(self) -> None:
        """One example has been seen (call once per example, updated or not)."""
        self.step += 1

    def update(self, truth: int, guess: int, keys: Sequence[int]) -> None:
        """Move weight from ``guess`` to ``truth`` on every feature of the example."""
        if truth == guess:
            return
        rows = self._rows_adding(keys)
        np = self.np
        for cls, delta in ((truth, 1), (guess, -1)):
            w = self.weights[rows, cls]
            self.totals[rows, cls] += (self.step - self.stamps[rows, cls]) * w
            self.stamps[rows, cls] = self.step
            np.add.at(self.weights[:, cls], rows, delta)

    def averaged(self) -> tuple[list[int], Any]:
        """The keys (sorted) and their averaged weights as a float array (rows in key order)."""
        n = len(self.index)
        step = max(self.step, 1)
        avg = (self.totals[:n] + (step - self.stamps[:n]) * self.weights[:n]) / step
        keys = sorted(self.index)
        order = [self.index[k] for k in keys]
        return keys, avg[order]
