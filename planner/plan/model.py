"""The plan: the one document every stage reads and writes (schema v1).

Values are frozen dataclasses. Positions (1-based line and column in the file
a plan was loaded from) ride along for error messages but never take part in
equality, so a plan loaded from YAML equals the same plan built in code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from planner.errors import PlanError
from planner.frozen import EMPTY as _EMPTY
from planner.frozen import frozen_mapping
from planner.plan.contracts import ForEach
from planner.plan.spec import PATTERNS, PLAN_VERSION, STEP_ID_RE, step_id_problem

# Re-exported: the schema's constants live in spec.py so the linter can use
# them without building these dataclasses.
__all__ = [
    "PATTERNS",
    "PLAN_VERSION",
    "STEP_ID_RE",
    "Alternative",
    "Estimate",
    "ForEach",
    "Plan",
    "Position",
    "Step",
    "StepEstimate",
    "frozen_mapping",
]


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a source file."""

    line: int
    column: int


@dataclass(frozen=True)
class Step:
    """One agent's job in a plan."""

    id: str
    title: str | None = None
    role: str | None = None
    tier: str | None = None
    depends_on: tuple[str, ...] = ()
    prompt: str | None = None
    max_rounds: int | None = None
    until: str | None = None
    timeout_s: float | None = None
    max_tokens: int | None = None
    # Step contracts (planner.plan.contracts): a JSON Schema for the result, and a fan-out.
    output: Any = None
    for_each: ForEach | None = None
    extensions: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    position: Position | None = field(default=None, compare=False, repr=False)
    key_positions: Mapping[str, Position] = field(default_factory=lambda: _EMPTY, compare=False, repr=False)

    def __post_init__(self) -> None:
        # The id rule holds for steps built in code too: ids name files on disk
        # (the runner's outputs), so "../x" or a 300-character id must never
        # get as far as a run.
        problem = step_id_problem(self.id)
        if problem:
            raise PlanError(problem)

    @property
    def label(self) -> str:
        """The title when there is one, else the id."""
        return self.title or self.id

    @property
    def repeats(self) -> bool:
        return self.max_rounds is not None or self.until is not None

    @property
    def gives_list(self) -> bool:
        """Is the result a JSON list another step can fan out over?"""
        from planner.plan.contracts import gives_list

        return gives_list(self.output, self.for_each)


@dataclass(frozen=True)
class Alternative:
    pattern: str
    score: float


@dataclass(frozen=True)
class StepEstimate:
    id: str
    tier: str
    tokens: int
    cost_usd: float
    seconds: float


@dataclass(frozen=True)
class Estimate:
    tokens: int
    cost_usd: float
    critical_path_s: float
    sequential_s: float
    speedup: float
    per_step: tuple[StepEstimate, ...] = ()
    # Extra figures the advisor may add (for example the cost on the cheapest tier).
    extensions: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True)
class Plan:
    """A whole plan file."""

    steps: tuple[Step, ...]
    version: int = PLAN_VERSION
    task: str | None = None
    pattern: str | None = None
    # How sure the advisor is of ``pattern`` (0..1), when suggest wrote the plan.
    confidence: float | None = None
    rationale: tuple[str, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    estimate: Estimate | None = None
    extensions: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    source: str | None = field(default=None, compare=False, repr=False)
    key_positions: Mapping[str, Position] = field(default_factory=lambda: _EMPTY, compare=False, repr=False)

    def step(self, step_id: str) -> Step:
        return self._by_id[step_id]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.steps)

    def dependents(self, step_id: str) -> tuple[str, ...]:
        """The steps that list ``step_id`` in ``depends_on``, in plan order."""
        return self._dependents.get(step_id, ())

    # Indexes built on first use: a scan of every step per call made each
    # renderer that asks for every step's dependents quadratic (a 20,000-step
    # chain took 30 s to write as DOT). The plan is frozen, so they never go stale.
    @cached_property
    def _by_id(self) -> Mapping[str, Step]:
        index: dict[str, Step] = {}
        for s in self.steps:
            index.setdefault(s.id, s)  # the first of a duplicated id, as the scan found
        return index

    @cached_property
    def _dependents(self) -> Mapping[str, tuple[str, ...]]:
        index: dict[str, list[str]] = {}
        for s in self.steps:
            for d in dict.fromkeys(s.depends_on):
                index.setdefault(d, []).append(s.id)
        return {k: tuple(v) for k, v in index.items()}

