"""How a plan's dependency graph fits frameworks that cannot hold any DAG.

Google ADK nests ``SequentialAgent`` and ``ParallelAgent``; CrewAI runs a list
of tasks where a run of ``async_execution`` tasks overlaps until the next
synchronous one. Neither can express every graph exactly. This module finds
the closest shape each can hold and names every wait the shape adds beyond
the plan's own dependencies, so the export can say so in a comment.

Plain Python over step ids; no framework is imported here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Union

from planner.plan.graphcheck import topological_order


@dataclass(frozen=True)
class Leaf:
    id: str


@dataclass(frozen=True)
class Seq:
    parts: tuple[Shape, ...]


@dataclass(frozen=True)
class Par:
    parts: tuple[Shape, ...]


Shape = Union[Leaf, Seq, Par]  # noqa: UP007 - a runtime alias used in isinstance-free code


class Deps:
    """A plan's dependencies with its transitive closure as bit sets."""

    def __init__(self, order: Sequence[str], deps: Mapping[str, Sequence[str]]) -> None:
        self.order = list(order)
        self.deps = {sid: tuple(d for d in deps.get(sid, ()) if d in deps or d in order) for sid in order}
        self.bit = {sid: 1 << i for i, sid in enumerate(self.order)}
        self.topo = topological_order(self.order, self.deps)
        anc: dict[str, int] = {}
        for sid in self.topo:
            mask = 0
            for d in self.deps[sid]:
                mask |= self.bit[d] | anc[d]
            anc[sid] = mask
        self.anc = anc

    def ids(self, mask: int) -> list[str]:
        return [sid for sid in self.order if mask & self.bit[sid]]

    def mask(self, ids: Sequence[str]) -> int:
        out = 0
        for sid in ids:
            out |= self.bit[sid]
        return out


def waves(order: Sequence[str], deps: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Steps by depth (one more than their deepest dependency), in plan order within a wave."""
    depth: dict[str, int] = {}
    for sid in topological_order(order, deps):
        depth[sid] = 1 + max((depth[d] for d in deps.get(sid, ()) if d in depth), default=-1)
    grouped: dict[int, list[str]] = {}
    for sid in order:
        grouped.setdefault(depth[sid], []).append(sid)
    return [grouped[k] for k in sorted(grouped)]


# -- nested sequential / parallel shapes (ADK) ---------------------------------


def nest(order: Sequence[str], deps: Mapping[str, Sequence[str]]) -> Shape:
    """The plan as nested sequences and parallel groups.

    Exact for series-parallel graphs (fan-out/fan-in, pipelines, parallel
    pipelines, scout/build, ...). A part that is not series-parallel (an
    "N": ``c`` after ``a`` and ``b``, ``d`` after ``b`` only) is run in waves;
    :func:`added_waits` names what that costs.
    """
    g = Deps(order, deps)
    return _nest(g, g.mask(g.topo))


def _nest(g: Deps, mask: int) -> Shape:
    members = [sid for sid in g.topo if mask & g.bit[sid]]
    if len(members) == 1:
        return Leaf(members[0])
    parts = _components(g, members)
    if len(parts) > 1:
        return Par(tuple(_nest(g, g.mask(p)) for p in parts))
    for k in range(1, len(members)):
        before = g.mask(members[:k])
        after = members[k:]
        if all(g.anc[b] & before == before for b in after):
            return _seq(_nest(g, before), _nest(g, g.mask(after)))
    # Not series-parallel: waves of this part, each wave a parallel group.
    layers = waves(members, {m: [d for d in g.deps[m] if mask & g.bit[d]] for m in members})
    return Seq(tuple(Leaf(w[0]) if len(w) == 1 else Par(tuple(Leaf(s) for s in w)) for w in layers))


def _seq(a: Shape, b: Shape) -> Seq:
    parts: list[Shape] = []
    for part in (a, b):
        parts.extend(part.parts if isinstance(part, Seq) else (part,))
    return Seq(tuple(parts))


def _components(g: Deps, members: list[str]) -> list[list[str]]:
    """Weakly connected parts of ``members`` (edges inside the set only), in plan order."""
    inside = set(members)
    parent = {m: m for m in members}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in members:
        for d in g.deps[m]:
            if d in inside:
                ra, rb = find(m), find(d)
                if ra != rb:
                    parent[ra] = rb
    groups: dict[str, list[str]] = {}
    for sid in g.order:
        if sid in inside:
            groups.setdefault(find(sid), []).append(sid)
    return list(groups.values())


def shape_waits(shape: Shape, g: Deps) -> dict[str, int]:
    """What each step waits for when ``shape`` runs: everything in earlier parts of every enclosing sequence."""
    out: dict[str, int] = {}

    def walk(node: Shape, before: int) -> int:
        if isinstance(node, Leaf):
            out[node.id] = before
            return g.bit[node.id]
        if isinstance(node, Par):
            seen = 0
            for part in node.parts:
                seen |= walk(part, before)
            return seen
        seen = 0
        for part in node.parts:
            seen |= walk(part, before | seen)
        return seen

    walk(shape, 0)
    return out


# -- CrewAI: a list of tasks, async runs overlapping until a sync task ---------


@dataclass(frozen=True)
class CrewTask:
    id: str
    async_execution: bool


def crew_order(order: Sequence[str], deps: Mapping[str, Sequence[str]]) -> list[CrewTask]:
    """Tasks in waves, with ``async_execution`` where CrewAI allows it.

    CrewAI starts a run of consecutive async tasks together and a synchronous
    task only after all of them; it rejects an async task whose context holds
    an async task of the same run, and a crew ending on two async tasks. So a
    wave of several steps is async when a single step follows it (that step is
    the barrier); otherwise its last step is synchronous and runs after the
    others, which :func:`added_waits` reports.
    """
    layers = waves(order, deps)
    out: list[CrewTask] = []
    for i, wave in enumerate(layers):
        if len(wave) == 1:
            out.append(CrewTask(wave[0], False))
            continue
        next_single = i + 1 < len(layers) and len(layers[i + 1]) == 1
        out.extend(CrewTask(sid, True) for sid in wave[:-1])
        out.append(CrewTask(wave[-1], next_single))
    return out


def crew_waits(tasks: Sequence[CrewTask], g: Deps) -> dict[str, int]:
    """What each task waits for under CrewAI's sequential process."""
    out: dict[str, int] = {}
    before = 0  # every task so far
    barrier = 0  # every task up to the last synchronous one
    for t in tasks:
        out[t.id] = barrier if t.async_execution else before
        before |= g.bit[t.id]
        if not t.async_execution:
            barrier = before
    return out


def added_waits(waits: Mapping[str, int], g: Deps) -> dict[str, list[str]]:
    """For each step, the steps it waits for that it does not need, without
    repeating what those waits already imply (a transitive reduction)."""
    out: dict[str, list[str]] = {}
    for sid in g.order:
        extra = waits.get(sid, 0) & ~g.anc[sid]
        if not extra:
            continue
        implied = 0
        for other in g.ids(waits[sid]):
            implied |= waits.get(other, 0) | g.anc[other]
        direct = extra & ~implied
        if direct:
            out[sid] = g.ids(direct)
    return out
