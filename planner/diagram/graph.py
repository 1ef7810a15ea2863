"""The engine's input: any DAG of boxes with a few lines of text each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planner.plan.graphcheck import find_cycle, format_cycle


class GraphError(ValueError):
    """The graph cannot be drawn (unknown node, duplicate id, or a cycle)."""


@dataclass(frozen=True)
class BoxNode:
    """A box: ``title`` is word-wrapped, ``notes`` are one line each (a tier).

    ``stacked`` draws it as a stack of boxes (a step that runs once per item).
    ``loop`` marks a step that repeats: its lines ("up to 3 rounds", "until
    ...") go in the box under the notes, the last one wrapped to two lines,
    and an arrow runs from the box's end back into its start."""

    id: str
    title: str
    notes: tuple[str, ...] = ()
    stacked: bool = False
    loop: tuple[str, ...] = ()


@dataclass(frozen=True)
class Graph:
    """Nodes in a stable order and edges as ``(from_id, to_id)`` pairs."""

    nodes: tuple[BoxNode, ...]
    edges: tuple[tuple[str, str], ...]

    @classmethod
    def build(cls, nodes: Iterable[BoxNode], edges: Iterable[tuple[str, str]]) -> Graph:
        """Check ids and edges, drop duplicate edges, refuse cycles."""
        node_list = tuple(nodes)
        ids = [n.id for n in node_list]
        seen: set[str] = set()
        for nid in ids:
            if nid in seen:
                raise GraphError(f"duplicate node id '{nid}'")
            seen.add(nid)
        unique: dict[tuple[str, str], None] = {}
        for a, b in edges:
            for end in (a, b):
                if end not in seen:
                    raise GraphError(f"edge {a!r} -> {b!r} names an unknown node '{end}'")
            if a == b:
                raise GraphError(f"dependency cycle: {format_cycle([a, a])}")
            unique[(a, b)] = None
        deps: dict[str, list[str]] = {}
        for a, b in unique:
            deps.setdefault(b, []).append(a)
        cycle = find_cycle(ids, deps)
        if cycle:
            # find_cycle walks dependencies, so reverse it to read along the arrows.
            raise GraphError(f"dependency cycle: {format_cycle(cycle[::-1])}")
        return cls(node_list, tuple(unique))

    def successors(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {n.id: [] for n in self.nodes}
        for a, b in self.edges:
            out[a].append(b)
        return out

    def predecessors(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {n.id: [] for n in self.nodes}
        for a, b in self.edges:
            out[b].append(a)
        return out


def waves(graph: Graph) -> list[list[str]]:
    """Nodes by longest path from a source: wave 0 has no predecessors.

    For a plan these are the execution waves: steps in one wave can be
    launched together once the previous waves are done.
    """
    preds = graph.predecessors()
    succs = graph.successors()
    indegree = {nid: len(p) for nid, p in preds.items()}
    level = {nid: 0 for nid in indegree}
    order = [n.id for n in graph.nodes]
    ready = [nid for nid in order if indegree[nid] == 0]
    seen = 0
    while ready:
        nid = ready.pop()
        seen += 1
        for child in succs[nid]:
            level[child] = max(level[child], level[nid] + 1)
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    depth = max(level.values(), default=-1) + 1
    out: list[list[str]] = [[] for _ in range(depth)]
    for nid in order:
        out[level[nid]].append(nid)
    return out


def edges_of(nodes: Sequence[BoxNode], deps: dict[str, Sequence[str]]) -> list[tuple[str, str]]:
    """Edges from a ``node -> its dependencies`` mapping, in node order."""
    return [(d, n.id) for n in nodes for d in deps.get(n.id, ())]
