"""Layering: every node gets a layer, long edges get chains of dummy vertices.

Vertices are integers: ``0 .. n-1`` are the graph's nodes in order, higher
numbers are dummies standing in for an edge where it crosses a layer. After
this step every edge joins two consecutive layers, which is what crossing
reduction and routing work on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.diagram.graph import Graph, waves


@dataclass
class Layered:
    """A layered graph with dummies; mutable while the layout is computed."""

    n_real: int
    layers: list[list[int]]
    layer_of: list[int]
    ups: list[list[int]]
    downs: list[list[int]]
    # For a dummy: the original edge (from, to) as real vertex numbers.
    edge_of: dict[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.layer_of)

    def is_dummy(self, v: int) -> bool:
        return v >= self.n_real


def count_dummies(graph: Graph) -> int:
    """How many dummy vertices :func:`layer` would add (cheap size check)."""
    level = _levels(graph)
    return sum(level[b] - level[a] - 1 for a, b in graph.edges)


def _levels(graph: Graph) -> dict[str, int]:
    return {nid: i for i, wave in enumerate(waves(graph)) for nid in wave}


def layer(graph: Graph) -> Layered:
    """Layer by longest path from the sources (the plan's execution waves).

    Waves are what a reader of a plan needs to see: boxes on one row can run
    together. Edges that skip waves get one dummy per skipped layer.
    """
    level = _levels(graph)
    index = {n.id: i for i, n in enumerate(graph.nodes)}
    n = len(graph.nodes)
    depth = max(level.values(), default=-1) + 1
    layers: list[list[int]] = [[] for _ in range(depth)]
    layer_of = [level[node.id] for node in graph.nodes]
    for i in range(n):
        layers[layer_of[i]].append(i)
    ups: list[list[int]] = [[] for _ in range(n)]
    downs: list[list[int]] = [[] for _ in range(n)]
    out = Layered(n, layers, layer_of, ups, downs)
    for a_id, b_id in graph.edges:
        a, b = index[a_id], index[b_id]
        prev = a
        for lv in range(layer_of[a] + 1, layer_of[b]):
            d = len(out.layer_of)
            out.layer_of.append(lv)
            out.ups.append([])
            out.downs.append([])
            out.edge_of[d] = (a, b)
            layers[lv].append(d)
            _link(out, prev, d)
            prev = d
        _link(out, prev, b)
    return out


def _link(g: Layered, a: int, b: int) -> None:
    g.downs[a].append(b)
    g.ups[b].append(a)
