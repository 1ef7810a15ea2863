"""Orthogonal edge routing in the channel between two layers.

Edges between two layers are grouped into *nets*: a set of sources all
joined to the same set of targets (a fan-out, a fan-in, or both at once).
A net is drawn as stubs from its sources to one horizontal trunk and drops
from the trunk to its targets, so the reader sees exactly the edges
``sources x targets`` and nothing more. Different nets never touch: their
ports use different columns, and where a trunk meets another net's vertical
line the vertical line wins and the trunk is visibly interrupted (a bridge,
counted as a crossing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Net:
    """Edges ``sources x targets`` in one channel, drawn with one trunk."""

    id: int
    sources: list[int]
    targets: list[int]
    src_port: dict[int, int] = field(default_factory=dict)
    tgt_port: dict[int, int] = field(default_factory=dict)
    level: int = 0  # trunk row inside the channel, 1-based; 0 = a straight line

    @property
    def columns(self) -> list[int]:
        return list(self.src_port.values()) + list(self.tgt_port.values())

    @property
    def span(self) -> tuple[int, int]:
        cols = self.columns
        return min(cols), max(cols)

    @property
    def straight(self) -> bool:
        cols = self.columns
        return min(cols) == max(cols)


def decompose(edges: Sequence[tuple[int, int]], first_id: int = 0) -> list[Net]:
    """Group a channel's edges into complete bipartite nets.

    Sources with identical target sets share a net (fan-in joins), or targets
    with identical source sets do (fan-out trunks), whichever needs fewer
    nets; a tie keeps fan-outs together, as in the reference drawings.
    """
    by_src: dict[int, list[int]] = {}
    by_tgt: dict[int, list[int]] = {}
    for a, b in edges:
        by_src.setdefault(a, []).append(b)
        by_tgt.setdefault(b, []).append(a)
    groups_a: dict[tuple[int, ...], list[int]] = {}
    for a, ts in by_src.items():
        groups_a.setdefault(tuple(sorted(ts)), []).append(a)
    groups_b: dict[tuple[int, ...], list[int]] = {}
    for b, ss in by_tgt.items():
        groups_b.setdefault(tuple(sorted(ss)), []).append(b)
    nets: list[Net] = []
    if len(groups_b) < len(groups_a):
        for src_key, tgt_list in groups_b.items():
            nets.append(Net(first_id + len(nets), list(src_key), tgt_list))
    else:
        for tgt_key, src_list in groups_a.items():
            nets.append(Net(first_id + len(nets), src_list, list(tgt_key)))
    return nets


def choose_cells(
    desired: Sequence[float],
    lo: int,
    hi: int,
    allowed: Sequence[set[int] | None],
    spacing: int = 2,
    avoid: set[int] | frozenset[int] = frozenset(),
) -> list[int]:
    """Pick increasing cells in ``[lo, hi]`` near ``desired`` (already sorted).

    ``allowed[j]`` is the set of cells port ``j`` may use (``None``: any);
    ports keep ``spacing`` apart when the interval is long enough, and stay
    off the cells in ``avoid`` when there is a choice.
    """
    k = len(desired)
    if k == 0:
        return []
    if hi - lo + 1 < spacing * (k - 1) + 1:
        spacing = 1
    out: list[int] = []
    prev = lo - spacing
    for j, want in enumerate(desired):
        first = prev + spacing
        last = hi - spacing * (k - 1 - j)
        if last < first:
            last = first
        cells = range(first, last + 1)
        ok = allowed[j]
        candidates = [c for c in cells if ok is None or c in ok] or list(cells)
        best = min(candidates, key=lambda c: (c in avoid, abs(c - want), c))
        out.append(best)
        prev = best
    return out


def assign_levels(nets: Sequence[Net], must_above: set[tuple[int, int]]) -> int:
    """Give every trunk a row so overlapping trunks never share one.

    Trunks are ordered to avoid bridges (a source stub or a target drop of
    one net crossing the other's trunk), then each takes the first row below
    every earlier trunk it overlaps. ``must_above`` holds (a, b) net-id pairs
    where a's trunk has to be above b's. Returns the number of rows used.
    """
    barred = [n for n in nets if not n.straight]
    if not barred:
        return 0
    spans = {n.id: n.span for n in barred}

    def inside(cols: Sequence[int], span: tuple[int, int]) -> int:
        return sum(1 for c in cols if span[0] < c < span[1])

    memo: dict[tuple[int, int], int] = {}

    def cost(a: Net, b: Net) -> int:
        """Bridges when ``a``'s trunk is above ``b``'s."""
        key = (a.id, b.id)
        if key not in memo:
            if (b.id, a.id) in must_above:
                memo[key] = 10**6
            else:
                memo[key] = inside(list(b.src_port.values()), spans[a.id]) + inside(
                    list(a.tgt_port.values()), spans[b.id]
                )
        return memo[key]

    ordered = sorted(barred, key=lambda n: (spans[n.id][0], spans[n.id][1]))
    if len(ordered) <= 30:
        # Insertion then adjacent swaps; channels hold few nets.
        placed: list[Net] = []
        for net in ordered:
            best_i, best_c = 0, None
            for i in range(len(placed) + 1):
                c = sum(cost(p, net) for p in placed[:i]) + sum(cost(net, p) for p in placed[i:])
                if best_c is None or c < best_c:
                    best_i, best_c = i, c
            placed.insert(best_i, net)
        for _ in range(len(placed)):
            changed = False
            for i in range(len(placed) - 1):
                a, b = placed[i], placed[i + 1]
                if cost(b, a) < cost(a, b):
                    placed[i], placed[i + 1] = b, a
                    changed = True
            if not changed:
                break
        ordered = placed
    if must_above:
        ordered = _respect(ordered, must_above)
    levels = 0
    done: list[Net] = []
    for net in ordered:
        lo, hi = spans[net.id]
        level = 1
        for other in done:
            olo, ohi = spans[other.id]
            overlap = not (hi + 1 < olo or ohi + 1 < lo)
            if overlap or (other.id, net.id) in must_above:
                level = max(level, other.level + 1)
        net.level = level
        levels = max(levels, level)
        done.append(net)
    return levels


def _respect(ordered: list[Net], must_above: set[tuple[int, int]]) -> list[Net]:
    """Reorder so every (a, b) in ``must_above`` has a before b, otherwise
    keeping the given order (Kahn's algorithm, earliest first). A cycle,
    which port choice makes all but impossible, keeps the remaining order."""
    import heapq

    rank = {net.id: i for i, net in enumerate(ordered)}
    by_id = {net.id: net for net in ordered}
    indegree = dict.fromkeys(rank, 0)
    after: dict[int, list[int]] = {}
    for a, b in must_above:
        if a in rank and b in rank:
            indegree[b] += 1
            after.setdefault(a, []).append(b)
    ready = [rank[i] for i, d in indegree.items() if d == 0]
    heapq.heapify(ready)
    out: list[Net] = []
    while ready:
        net = ordered[heapq.heappop(ready)]
        out.append(net)
        for b in after.get(net.id, ()):
            indegree[b] -= 1
            if indegree[b] == 0:
                heapq.heappush(ready, rank[b])
    placed = {net.id for net in out}
    return out + [by_id[i] for i in rank if i not in placed]
