"""Layout internals: crossing counts, ordering, placement, routing nets."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.diagram import BoxNode, Graph
from planner.diagram.engine import draw, prepare
from planner.diagram.layers import Layered, count_dummies, layer
from planner.diagram.order import count_between, count_crossings, order
from planner.diagram.place import _isotonic, place
from planner.diagram.route import Net, assign_levels, choose_cells, decompose


def _graph(n: int, edges: list[tuple[int, int]]) -> Graph:
    return Graph.build(
        [BoxNode(f"n{i}", f"N{i}") for i in range(n)], [(f"n{a}", f"n{b}") for a, b in edges]
    )


def _brute_crossings(upper: list[int], lower: list[int], downs: list[list[int]]) -> int:
    pu = {v: i for i, v in enumerate(upper)}
    pl = {v: i for i, v in enumerate(lower)}
    segs = [(pu[a], pl[b]) for a in upper for b in downs[a] if b in pl]
    return sum(
        1 for (a1, b1), (a2, b2) in itertools.combinations(segs, 2) if (a1 - a2) * (b1 - b2) < 0
    )


@given(st.integers(1, 6), st.integers(1, 6), st.data())
def test_crossing_count_matches_brute_force(nu: int, nl: int, data: st.DataObject) -> None:
    upper = list(range(nu))
    lower = list(range(nu, nu + nl))
    downs: list[list[int]] = [[] for _ in range(nu + nl)]
    for a in upper:
        downs[a] = data.draw(st.lists(st.sampled_from(lower), unique=True))
    data.draw(st.randoms()).shuffle(lower)
    assert count_between(upper, lower, downs) == _brute_crossings(upper, lower, downs)


def test_layering_puts_every_edge_between_neighbouring_layers() -> None:
    g = layer(_graph(4, [(0, 1), (1, 2), (0, 3), (2, 3), (0, 2)]))
    assert g.layer_of[:4] == [0, 1, 2, 3]
    assert count_dummies(_graph(4, [(0, 1), (1, 2), (0, 3), (2, 3), (0, 2)])) == g.size - 4 == 3
    for v in range(g.size):
        for w in g.downs[v]:
            assert g.layer_of[w] == g.layer_of[v] + 1


def test_ordering_removes_avoidable_crossings() -> None:
    # Two chains drawn crossed on purpose: a -> d, b -> c with c before d.
    g = layer(_graph(4, [(0, 3), (1, 2)]))
    g.layers = [[0, 1], [2, 3]]
    assert count_crossings(g) == 1
    assert order(g) == 0
    assert count_crossings(g) == 0


def test_ordering_never_worse_than_the_start_on_random_graphs() -> None:
    rng = random.Random(3)
    for _ in range(30):
        n = rng.randint(4, 25)
        edges = [
            (i, j) for i in range(n) for j in range(i + 1, min(n, i + 5)) if rng.random() < 0.3
        ]
        g = layer(_graph(n, edges))
        before = count_crossings(g)
        after = order(g)
        assert after <= before
        assert after == count_crossings(g)
        assert sorted(v for lay in g.layers for v in lay) == list(range(g.size))


def test_isotonic_regression_is_the_least_squares_fit() -> None:
    rng = random.Random(5)
    for _ in range(50):
        k = rng.randint(1, 6)
        t = [rng.uniform(-5, 5) for _ in range(k)]
        w = [rng.uniform(0.1, 3) for _ in range(k)]
        fit = _isotonic(t, w)
        assert all(a <= b + 1e-9 for a, b in itertools.pairwise(fit))
        cost = sum(wi * (f - ti) ** 2 for f, ti, wi in zip(fit, t, w, strict=True))
        # No monotone perturbation of the fit does better.
        for _ in range(50):
            trial = sorted(f + rng.uniform(-0.5, 0.5) for f in fit)
            assert (
                cost
                <= sum(wi * (f - ti) ** 2 for f, ti, wi in zip(trial, t, w, strict=True)) + 1e-9
            )


def test_placement_keeps_order_and_gaps() -> None:
    rng = random.Random(11)
    for _ in range(20):
        n = rng.randint(3, 20)
        edges = [(i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.2]
        g = layer(_graph(n, edges))
        order(g)
        sizes = [rng.randint(5, 15) if v < g.n_real else 1 for v in range(g.size)]
        left = place(g, sizes, lambda a, b: 3)
        assert min(left) == 0
        for lay in g.layers:
            for a, b in itertools.pairwise(lay):
                assert left[b] >= left[a] + sizes[a] + 3


def test_placement_centres_a_parent_over_its_children() -> None:
    g = layer(_graph(4, [(0, 1), (0, 2), (0, 3)]))
    order(g)
    sizes = [9, 9, 9, 9]
    left = place(g, sizes, lambda a, b: 4)
    centre = [x + 4 for x in left]
    assert centre[0] == centre[g.layers[1][1]]


def test_nets_group_fan_out_and_fan_in() -> None:
    fan_out = decompose([(0, 1), (0, 2), (0, 3)])
    assert [(n.sources, sorted(n.targets)) for n in fan_out] == [([0], [1, 2, 3])]
    fan_in = decompose([(1, 9), (2, 9), (3, 9)])
    assert [(sorted(n.sources), n.targets) for n in fan_in] == [([1, 2, 3], [9])]
    # A complete bipartite block is one net; a partial one is not merged.
    assert len(decompose([(0, 2), (0, 3), (1, 2), (1, 3)])) == 1
    mixed = decompose([(0, 2), (0, 3), (1, 3)])
    for net in mixed:
        edges = {(s, t) for s in net.sources for t in net.targets}
        assert edges <= {(0, 2), (0, 3), (1, 3)}


def test_choose_cells_avoids_forbidden_cells_and_keeps_spacing() -> None:
    cells = choose_cells([5.0, 6.0], 1, 10, [{c for c in range(1, 11) if c != 5}, None])
    assert cells[0] != 5 and cells[1] - cells[0] >= 2


def test_overlapping_trunks_get_different_rows() -> None:
    a = Net(0, [0], [1, 2], src_port={0: 5}, tgt_port={1: 1, 2: 9})
    b = Net(1, [3], [4, 5], src_port={3: 7}, tgt_port={4: 6, 5: 12})
    c = Net(2, [6], [7, 8], src_port={6: 20}, tgt_port={7: 18, 8: 22})
    assert assign_levels([a, b, c], set()) == 2
    assert a.level != b.level
    assert c.level == 1  # far away from the others: shares the first row


@st.composite
def random_graphs(draw: st.DrawFn) -> Graph:
    n = draw(st.integers(2, 12))
    edges = [(i, j) for i in range(n) for j in range(i + 1, n) if draw(st.integers(0, 3)) == 0]
    return _graph(n, edges)


@settings(max_examples=30)
@given(random_graphs(), st.sampled_from(["TD", "LR"]))
def test_unrelated_lines_never_share_a_cell(graph: Graph, direction: str) -> None:
    drawing = draw(prepare(graph), direction=direction)
    assert drawing is not None
    assert drawing.overlaps == 0
    assert drawing.crossings == count_crossings(layer_and_order(graph))


def layer_and_order(graph: Graph) -> Layered:
    g = layer(graph)
    order(g)
    return g


def test_trunk_order_respects_must_above() -> None:
    a = Net(0, [0], [1, 2], src_port={0: 5}, tgt_port={1: 1, 2: 9})
    b = Net(1, [3], [4, 5], src_port={3: 7}, tgt_port={4: 6, 5: 12})
    assign_levels([a, b], {(1, 0)})
    assert b.level < a.level
    assign_levels([a, b], {(0, 1)})
    assert a.level < b.level
