"""The parser's output: steps read from a task, the graph that links them, and
everything else the advisor needs to know about the text.

The TaskGraph is the only reader of the task text: every later stage (features,
rules, builders) reads these fields, never the text itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx

Shape = Literal["single", "chain", "dag"]
GroupKind = Literal["items", "streams", "approaches"]

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
    ``graph.text[slice(*step.span)]`` is where the step came from (for a step
    that covers one parallel item it is the item's own span). ``cues`` names
    the readings that placed the step (``planner reading --all`` documents
    them). ``object`` is what the work is done to, as written; ``item`` the
    parallel item the step covers, if any; ``stage`` the step's place in its
    stream (0 for the first stage), if it belongs to one.
    """

    id: str
    text: str
    span: tuple[int, int]
    verb: str | None
    role: str
    cues: tuple[str, ...]
    group: str | None = None
    object: str = ""
    item: str | None = None
    stage: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "span": [self.span[0], self.span[1]],
            "verb": self.verb,
            "role": self.role,
            "cues": list(self.cues),
            "group": self.group,
            "object": self.object,
            "item": self.item,
            "stage": self.stage,
        }


@dataclass(frozen=True)
class Group:
    """Parallel work the text names: items, streams or competing approaches.

    ``names`` are the items as written ("Korean", "Dutch", "Polish"), empty
    when the text only counts them ("each of our five services": ``count`` 5,
    ``counted`` "services"). ``steps`` holds one step id per item (the first
    stage, for streams); ``stages`` the step ids of each stream's stages in
    order (empty for items and approaches).
    """

    id: str
    kind: GroupKind
    names: tuple[str, ...]
    count: int
    counted: str
    verb: str | None
    role: str
    steps: tuple[str, ...]
    stages: tuple[tuple[str, ...], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "names": list(self.names),
            "count": self.count,
            "counted": self.counted,
            "verb": self.verb,
            "role": self.role,
            "steps": list(self.steps),
            "stages": [list(s) for s in self.stages],
        }


@dataclass(frozen=True)
class Loop:
    """Repeated work: the steps that repeat, at most ``rounds`` times, ``until`` a condition."""

    steps: tuple[str, ...]
    rounds: int | None
    until: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"steps": list(self.steps), "rounds": self.rounds, "until": self.until}


@dataclass(frozen=True)
class Fired:
    """One reading that applied, where, and to which step (if any)."""

    code: str
    span: tuple[int, int]
    step: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "span": [self.span[0], self.span[1]], "step": self.step}


@dataclass(frozen=True)
class TextFacts:
    """Plain measurements of the prose that was read (code and logs excluded)."""

    chars: int = 0  # characters of the original text that were analysed (after the size cap)
    words: int = 0
    sentences: int = 0
    question: bool = False  # the task is one short question
    truncated: bool = False  # the text was longer than the size cap
    actions: int = 0  # the most requests in one sentence ("scrape, parse, then store": 3)
    # The distinct lemmas of the prose's words, lower-cased and sorted: the advisor's learned
    # pattern model weighs them beside the structure (it never reads the text itself).
    lemmas: tuple[str, ...] = ()
    # The distinct pairs of neighbouring lemmas in a sentence ("each of", "which one",
    # "then test"), punctuation skipped, sorted: word order the single lemmas lose.
    lemma_pairs: tuple[str, ...] = ()
    apart: bool = False  # the text says the parallel work is not to be joined (O318)
    # Steps that ask for several versions or options of one thing, with how many
    # ("write two versions of the reply", "sketch 3 logo options"): (step id, count).
    versions: tuple[tuple[str, int], ...] = ()
    # Possible causes the text lists as a guess ("it might be A, B or C": C200), for the
    # builder's scouts; no steps or items of their own.
    suspects: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "chars": self.chars,
            "words": self.words,
            "sentences": self.sentences,
            "question": self.question,
            "truncated": self.truncated,
            "actions": self.actions,
        }


@dataclass(frozen=True)
class TaskGraph:
    """Steps of a task and their dependencies, plus what else the text says.

    ``graph`` has one node per step id; an edge ``u -> v`` means ``v`` needs
    the output of ``u``. ``signals`` maps a cue category (see
    ``SIGNAL_CATEGORIES``) to the phrases found for it; ``cues`` maps each
    advisor cue category (rules/cues.toml) to the phrases that matched.

    >>> g = parse("Find the bug, then fix it")
    >>> [s.id for s in g.steps], g.shape
    (['find-bug', 'fix-bug'], 'chain')
    """

    text: str
    steps: tuple[TaskStep, ...]
    graph: nx.DiGraph
    signals: Mapping[str, tuple[str, ...]]
    parallel: tuple[Group, ...] = ()
    loops: tuple[Loop, ...] = ()
    cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    facts: TextFacts = field(default_factory=TextFacts)
    fired: tuple[Fired, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def groups(self) -> Mapping[str, tuple[str, ...]]:
        """Parallel group id -> its step ids (one per item)."""
        return {g.id: g.steps for g in self.parallel}

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
        widest = max((len(g.steps) for g in self.parallel), default=0)
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
            "groups": [g.to_dict() for g in self.parallel],
            "loops": [lp.to_dict() for lp in self.loops],
            "cues": {k: list(v) for k, v in self.cues.items() if v},
            "facts": self.facts.to_dict(),
            "notes": list(self.notes),
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
