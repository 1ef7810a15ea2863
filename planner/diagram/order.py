"""Crossing reduction: order the vertices inside each layer.

Layer-by-layer sweeps (median and barycenter, downwards then upwards) with a
transpose pass that swaps neighbours when that removes crossings. Every
ordering is scored with an exact crossing count and the best one seen is
kept, so a sweep that makes things worse never survives.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.diagram.layers import Layered


def count_between(
    upper: Sequence[int], lower: Sequence[int], downs: Sequence[Sequence[int]]
) -> int:
    """Exact number of edge crossings between two consecutive layers.

    Edges sorted by their upper end, then inversions among their lower ends
    counted with a Fenwick tree: O(E log V).
    """
    pos = {v: i for i, v in enumerate(lower)}
    ends: list[int] = []
    for u in upper:
        ends.extend(sorted(pos[w] for w in downs[u] if w in pos))
    size = len(lower)
    tree = [0] * (size + 1)
    crossings = 0
    for seen, p in enumerate(ends):
        # Number of earlier edges ending strictly right of p.
        i = p + 1
        le = 0
        while i > 0:
            le += tree[i]
            i -= i & -i
        crossings += seen - le
        i = p + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return crossings


def count_crossings(g: Layered, layers: Sequence[Sequence[int]] | None = None) -> int:
    """Total crossings of an ordering (the layered graph's own by default)."""
    layers = g.layers if layers is None else layers
    return sum(count_between(layers[i], layers[i + 1], g.downs) for i in range(len(layers) - 1))


def _initial(g: Layered) -> list[list[int]]:
    """Depth-first order from the sources, so children start near parents."""
    placed: set[int] = set()
    layers: list[list[int]] = [[] for _ in g.layers]
    stack: list[int] = []
    for root in reversed(g.layers[0] if g.layers else []):
        stack.append(root)
    roots_left = [v for layer in g.layers for v in layer if not g.ups[v]]
    while True:
        while stack:
            v = stack.pop()
            if v in placed:
                continue
            placed.add(v)
            layers[g.layer_of[v]].append(v)
            stack.extend(reversed(g.downs[v]))
        rest = [v for v in roots_left if v not in placed]
        if not rest:
            break
        stack.append(rest[0])
    return layers


def _median(values: list[float]) -> float:
    values.sort()
    m = len(values)
    if m % 2:
        return values[m // 2]
    if m == 2:
        return (values[0] + values[1]) / 2
    # Weighted median (Gansner et al.): lean towards the denser side.
    left = values[m // 2 - 1] - values[0]
    right = values[-1] - values[m // 2]
    if left + right == 0:
        return (values[m // 2 - 1] + values[m // 2]) / 2
    return (values[m // 2 - 1] * right + values[m // 2] * left) / (left + right)


def _sort_layer(
    layer: list[int], neighbours: Sequence[Sequence[int]], pos: dict[int, int], median: bool
) -> list[int]:
    keyed: list[tuple[float, int, int]] = []
    for i, v in enumerate(layer):
        ns = [float(pos[w]) for w in neighbours[v]]
        if not ns:
            key = float(i)  # no neighbours: stay where it is
        elif median:
            key = _median(ns)
        else:
            key = sum(ns) / len(ns)
        keyed.append((key, i, v))
    keyed.sort()
    return [v for _, _, v in keyed]


# Pair evaluations sifting may spend in one ordering (about a second of
# Python on a slow machine); small plans never come near it.
SIFT_BUDGET = 300_000


def _cross(xs: Sequence[int], ys: Sequence[int]) -> int:
    """Pairs (x, y) with x > y, for sorted ``xs`` and ``ys`` (two pointers)."""
    count = 0
    j = 0
    for x in xs:
        while j < len(ys) and ys[j] < x:
            j += 1
        count += j
    return count


class _Sides:
    """Sorted neighbour positions of one layer's vertices, both sides."""

    def __init__(self, g: Layered, layer: Sequence[int], pos: dict[int, int]) -> None:
        self.up = {v: sorted(pos[w] for w in g.ups[v]) for v in layer}
        self.down = {v: sorted(pos[w] for w in g.downs[v]) for v in layer}

    def both(self, v: int, others: Sequence[int]) -> tuple[list[int], list[int]]:
        """For each ``w``: crossings with ``v`` left of ``w``, and right of it."""
        before: list[int] = []
        after: list[int] = []
        uv, dv = self.up[v], self.down[v]
        for w in others:
            b = a = 0
            for xs, ys in ((uv, self.up[w]), (dv, self.down[w])):
                if not xs or not ys:
                    continue
                if len(xs) == 1 and len(ys) == 1:
                    b += xs[0] > ys[0]
                    a += ys[0] > xs[0]
                else:
                    b += _cross(xs, ys)
                    a += _cross(ys, xs)
            before.append(b)
            after.append(a)
        return before, after

    def cost(self, a: int, b: int) -> int:
        """Crossings among edges of ``a`` and ``b`` when ``a`` is left of ``b``."""
        total = 0
        for side in (self.up, self.down):
            xs, ys = side[a], side[b]
            if not xs or not ys:
                continue
            if len(xs) == 1 and len(ys) == 1:  # dummies and chains: the common case
                total += xs[0] > ys[0]
            else:
                total += _cross(xs, ys)
        return total


def _transpose(g: Layered, layers: list[list[int]]) -> None:
    pos = {v: i for layer in layers for i, v in enumerate(layer)}
    for _ in range(8):
        improved = False
        for layer in layers:
            if len(layer) < 2:
                continue
            sides = _Sides(g, layer, pos)
            for i in range(len(layer) - 1):
                a, b = layer[i], layer[i + 1]
                if sides.cost(b, a) < sides.cost(a, b):
                    layer[i], layer[i + 1] = b, a
                    pos[a], pos[b] = i + 1, i
                    improved = True
        if not improved:
            break


def _sift(g: Layered, layers: list[list[int]], budget: list[int]) -> None:
    """Move each vertex to the position in its layer with fewest crossings
    against both neighbouring layers (sifting, after Matuszewski et al.).

    ``budget[0]`` counts down the pair evaluations allowed, so dense graphs
    stay fast and the result stays deterministic.
    """
    pos = {v: i for layer in layers for i, v in enumerate(layer)}
    for layer in layers:
        if not 3 <= len(layer) <= 150:  # quadratic in the layer's length
            continue
        budget[0] -= 2 * len(layer) * len(layer)
        if budget[0] < 0:
            return
        sides = _Sides(g, layer, pos)
        for v in list(layer):
            if not g.ups[v] and not g.downs[v]:
                continue
            others = [w for w in layer if w != v]
            # Crossings with others[k] when v is left of it / right of it.
            before, after = sides.both(v, others)
            cost = sum(before)
            best_k, best = 0, cost
            for k in range(len(others)):
                cost += after[k] - before[k]
                if cost < best:
                    best_k, best = k + 1, cost
            layer[:] = [*others[:best_k], v, *others[best_k:]]
        pos.update((w, i) for i, w in enumerate(layer))


def order(g: Layered, *, max_rounds: int = 24) -> int:
    """Reorder ``g.layers`` in place to reduce crossings; return the count.

    Several starting orders are tried (depth-first, as defined, and a few
    seeded shuffles for small graphs); each is improved by median and
    barycenter sweeps, transposition and sifting. Deterministic.
    """
    import random

    size = g.size
    rounds = 6 if size > 1500 else max_rounds
    local = size <= 1500
    starts = [_initial(g), [list(layer) for layer in g.layers]]
    rng = random.Random(size)
    extra = 4 if size <= 150 else (1 if size <= 300 else 0)
    for _ in range(extra):
        shuffled = [list(layer) for layer in g.layers]
        for layer in shuffled:
            rng.shuffle(layer)
        starts.append(shuffled)
    best_layers = [list(layer) for layer in g.layers]
    best = count_crossings(g, best_layers)
    budget = [SIFT_BUDGET]
    for start in starts:
        if best == 0:
            break
        layers = start
        cost = count_crossings(g, layers)
        if cost < best:
            best, best_layers = cost, [list(layer) for layer in layers]
        stale = 0
        for r in range(rounds):
            median = r % 2 == 0
            pos = {v: i for layer in layers for i, v in enumerate(layer)}
            # Down then up: each layer follows its already-placed neighbours.
            for i in range(1, len(layers)):
                layers[i] = _sort_layer(layers[i], g.ups, pos, median)
                pos.update((v, k) for k, v in enumerate(layers[i]))
            for i in range(len(layers) - 2, -1, -1):
                layers[i] = _sort_layer(layers[i], g.downs, pos, median)
                pos.update((v, k) for k, v in enumerate(layers[i]))
            if local:
                _transpose(g, layers)
                if size <= 300 or r % 3 == 0:
                    _sift(g, layers, budget)
            cost = count_crossings(g, layers)
            if cost < best:
                best, best_layers = cost, [list(layer) for layer in layers]
                stale = 0
            else:
                stale += 1
            if best == 0 or stale >= 4:
                break
    # Polish the winner: sifting and transposition until nothing improves.
    if local:
        for _ in range(4):
            trial = [list(layer) for layer in best_layers]
            _sift(g, trial, budget)
            _transpose(g, trial)
            cost = count_crossings(g, trial)
            if cost >= best:
                break
            best, best_layers = cost, trial
    g.layers = best_layers
    return best
