"""The parser's output: steps read from a task and the graph that links them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx

Shape = Literal["single", "chain", "dag"]

# Signal categories every TaskGraph carries (possibly empty), so consumers can
# index them without guarding against missing keys.
SIGNAL_CATEGORIES: tuple[str, ...] = (
    "parallel",
    "sequence",
    "join",
    "iteration",
    "stop_condition",
    "alternatives",
    "exploration",
    "count",
    "lifecycle",
)


@dataclass(frozen=True)
class TaskStep:
    """One unit of work read from the task text.

    ``span`` is ``[start, end)`` in characters of the original text, so
    ``graph.text[slice(*step.span)]`` is where the step came from (for steps
    expanded from an enumeration it is the item's own span).
    """

    id: str
    text: str
    span: tuple[int, int]
    verb: str | None
    role: str
    cues: tuple[str, ...]
    group: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "span": [self.span[0], self.span[1]],
            "verb": self.verb,
            "role": self.role,
            "cues": list(self.cues),
            "group": self.group,
        }


@dataclass(frozen=True)
class TaskGraph:
    """Steps of a task and their dependencies.

    ``graph`` has one node per step id; an edge ``u -> v`` means ``v`` needs
    the output of ``u``. ``signals`` maps a cue category (see
    ``SIGNAL_CATEGORIES``) to the phrases found for it in the whole text.

    >>> g = parse("Find the bug, then fix it")
    >>> [s.id for s in g.steps], g.shape
    (['find-bug', 'fix-it'], 'chain')
    """

    text: str
    steps: tuple[TaskStep, ...]
    graph: nx.DiGraph
    signals: Mapping[str, tuple[str, ...]]
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def step(self, step_id: str) -> TaskStep:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def depends_on(self, step_id: str) -> tuple[str, ...]:
        """Ids of the steps whose output ``step_id`` needs, in text order."""
        preds = set(self.graph.predecessors(step_id))
        return tuple(s.id for s in self.steps if s.id in preds)

    @property
    def shape(self) -> Shape:
        """``single`` (one step), ``chain`` (a simple path) or ``dag``."""
        n = len(self.steps)
        if n <= 1:
            return "single"
        g = self.graph
        if g.number_of_edges() == n - 1 and all(
            g.in_degree(s.id) <= 1 and g.out_degree(s.id) <= 1 for s in self.steps
        ):
            return "chain"
        return "dag"

    @property
    def branches(self) -> int:
        """How many independent workers the text names: the widest parallel group.

        Without any group it is the width of the graph's widest layer (1 for a
        chain or a single step).
        """
        widest = max((len(members) for members in self.groups.values()), default=0)
        return max(widest, _widest_layer(self.graph, [s.id for s in self.steps]))

    def to_dict(self) -> dict[str, Any]:
        """The ``planner parse --format json`` object."""
        return {
            "task": self.text,
            "steps": [
                {**s.to_dict(), "depends_on": list(self.depends_on(s.id))} for s in self.steps
            ],
            "shape": self.shape,
            "branches": self.branches,
            "signals": {k: list(v) for k, v in self.signals.items()},
        }


def _widest_layer(graph: nx.DiGraph, order: list[str]) -> int:
    """Largest number of steps at the same depth (longest path from a root)."""
    if not order:
        return 0
    depth: dict[str, int] = {}
    for node in nx.topological_sort(graph):
        preds = list(graph.predecessors(node))
        depth[node] = 1 + max((depth[p] for p in preds), default=-1)
    counts: dict[int, int] = {}
    for d in depth.values():
        counts[d] = counts.get(d, 0) + 1
    return max(counts.values())
