"""Coordinate assignment: where each vertex sits along its layer.

A balanced method in the spirit of Brandes–Köpf, solved exactly per layer:
each vertex wants to sit at the weighted mean of its neighbours' centres (so
a parent sits over its children and a join under its inputs), subject to the
layer's order and minimum gaps. For one layer that is a weighted isotonic
regression, solved exactly by pool-adjacent-violators; alternating downward
and upward passes then settle the whole drawing. Dummy chains weigh more so
long edges run straight.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

from planner.diagram.layers import Layered

# Edge weights (after Gansner et al.): keep long edges straight first.
_W_REAL, _W_MIXED, _W_DUMMY = 1.0, 2.0, 8.0


def _weight(g: Layered, a: int, b: int) -> float:
    da, db = g.is_dummy(a), g.is_dummy(b)
    if da and db:
        return _W_DUMMY
    return _W_MIXED if da or db else _W_REAL


def _isotonic(targets: Sequence[float], weights: Sequence[float]) -> list[float]:
    """Weighted least-squares non-decreasing fit (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for t, w in zip(targets, weights, strict=True):
        blocks.append([t, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            total = w1 + w2
            blocks.append([(m1 * w1 + m2 * w2) / total, total, c1 + c2])
    out: list[float] = []
    for mean, _, count in blocks:
        out.extend([mean] * int(count))
    return out


def place(
    g: Layered,
    sizes: Sequence[int],
    gap: Callable[[int, int], int],
    *,
    rounds: int = 6,
) -> list[int]:
    """Return the left (or top) coordinate of every vertex, smallest 0.

    ``sizes`` is each vertex's extent along the layer; ``gap(a, b)`` the
    empty cells required between neighbours ``a`` and ``b``.
    """
    # The centre is the middle cell, or the upper of two middles (so a
    # left-right box joins on its title row, not the tier row below it).
    half = [(s - 1) // 2 for s in sizes]
    centre = [0.0] * g.size
    seps: list[list[int]] = []
    for layer in g.layers:
        sep = [(sizes[a] - half[a]) + gap(a, b) + half[b] for a, b in pairwise(layer)]
        seps.append(sep)
        x = 0
        for k, v in enumerate(layer):
            centre[v] = float(x)
            if k < len(sep):
                x += sep[k]

    def solve(li: int, neighbours: Sequence[Sequence[int]] | None) -> None:
        layer = g.layers[li]
        if not layer:
            return
        targets: list[float] = []
        weights: list[float] = []
        offset = 0
        for k, v in enumerate(layer):
            ns = (list(g.ups[v]) + list(g.downs[v])) if neighbours is None else list(neighbours[v])
            if ns:
                ws = [_weight(g, v, w) for w in ns]
                total = sum(ws)
                desired = sum(centre[w] * wt for w, wt in zip(ns, ws, strict=True)) / total
            else:
                # Free vertices keep their place but yield to everyone else.
                desired, total = centre[v], 0.01
            targets.append(desired - offset)
            weights.append(total)
            if k < len(seps[li]):
                offset += seps[li][k]
        fitted = _isotonic(targets, weights)
        offset = 0
        for k, v in enumerate(layer):
            centre[v] = fitted[k] + offset
            if k < len(seps[li]):
                offset += seps[li][k]

    depth = len(g.layers)
    for _ in range(rounds):
        for li in range(1, depth):
            solve(li, g.ups)
        for li in range(depth - 2, -1, -1):
            solve(li, g.downs)
    # End going down: each vertex settles under its inputs, which keeps
    # chains straight and joins centred under what they join.
    for li in range(1, depth):
        solve(li, g.ups)

    # Integer centres: rounding a non-decreasing fit keeps the gaps exact.
    cint = [0] * g.size
    for li, layer in enumerate(g.layers):
        offset = 0
        base = [centre[v] for v in layer]
        shifted = []
        for k in range(len(layer)):
            shifted.append(base[k] - offset)
            if k < len(seps[li]):
                offset += seps[li][k]
        offset = 0
        prev = None
        for k, v in enumerate(layer):
            y = round(shifted[k])
            if prev is not None and y < prev:
                y = prev
            prev = y
            cint[v] = y + offset
            if k < len(seps[li]):
                offset += seps[li][k]
    _compact_free(g, cint, seps)
    left = [cint[v] - half[v] for v in range(g.size)]
    _separate_dummy_ends(g, left, sizes, gap)
    lo = min(left, default=0)
    return [x - lo for x in left]


def _compact_free(g: Layered, cint: list[int], seps: Sequence[Sequence[int]]) -> None:
    """Vertices with no edges slide next to their neighbour instead of being
    left wherever the others pushed them."""
    for li, layer in enumerate(g.layers):
        sep = seps[li]
        free = [not g.ups[v] and not g.downs[v] for v in layer]
        for k in range(1, len(layer)):
            if free[k]:
                cint[layer[k]] = min(cint[layer[k]], cint[layer[k - 1]] + sep[k - 1])
        for k in range(len(layer) - 2, -1, -1):
            if free[k] and all(free[: k + 1]):
                cint[layer[k]] = max(cint[layer[k]], cint[layer[k + 1]] - sep[k])


def _separate_dummy_ends(
    g: Layered, left: list[int], sizes: Sequence[int], gap: Callable[[int, int], int]
) -> None:
    """A dummy leaving one layer and an unrelated dummy arriving in the next
    must not share a column, or their vertical lines would overlap in the
    channel between. Nudge the lower one (and what lies right of it)."""
    for li in range(len(g.layers) - 1):
        upper = {left[v]: v for v in g.layers[li] if g.is_dummy(v)}
        for _ in range(len(g.layers[li + 1]) + 1):
            clash = None
            for k, v in enumerate(g.layers[li + 1]):
                if g.is_dummy(v) and left[v] in upper and upper[left[v]] not in g.ups[v]:
                    clash = k
                    break
            if clash is None:
                break
            layer = g.layers[li + 1]
            left[layer[clash]] += 1
            for k in range(clash + 1, len(layer)):
                a, b = layer[k - 1], layer[k]
                need = left[a] + sizes[a] + gap(a, b)
                if left[b] < need:
                    left[b] = need
