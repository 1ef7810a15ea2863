"""Values the runner passes around: requests, replies, step and run results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

# Step states in the journal and in results.
PENDING = "pending"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
SKIPPED = "skipped"
STEP_STATES = (PENDING, RUNNING, DONE, FAILED, SKIPPED)

# Run states. "budget" means the run stopped because the next step would have
# broken --max-cost; "interrupted" covers Ctrl-C and SIGTERM; a run left
# "running" by a killed process is shown as "crashed" when listed.
RUN_RUNNING = "running"
RUN_DONE = "done"
RUN_FAILED = "failed"
RUN_BUDGET = "budget"
RUN_INTERRUPTED = "interrupted"
RUN_DRY = "dry-run"
# Stopped for good by `planner runs cancel` (a resume can still pick it up).
RUN_CANCELLED = "cancelled"


@dataclass(frozen=True)
class CallRequest:
    """One model call: a step's prompt for one round of one attempt."""

    step_id: str
    tier: str
    model: str
    prompt: str
    max_tokens: int
    timeout_s: float
    round: int = 1
    attempt: int = 1
    # True when the prompt asks for a closing STATUS line (a step with `until`).
    wants_status: bool = False
    # The JSON Schema the reply must satisfy (the step's `output`), or None for free text.
    output_schema: Any = None


@dataclass(frozen=True)
class CallResult:
    """What a backend returns for a successful call.

    ``cost_known`` is False when the backend cannot measure spend (a user
    command that prints only text); the runner then books the call's worst
    case (its reservation) instead. ``usage_note`` says why the reply's usage
    could not be read (the call is then booked at its worst case, with a
    warning). ``cost_unbounded`` marks a cost the tool reports for work it may
    have spread over many model calls (an agent CLI such as ``claude -p``): it
    can honestly exceed one call's reservation, so it is booked as reported
    rather than clamped. Numbers are checked by :func:`planner.runner.budget.book`
    before anything is booked, whatever a backend puts here.
    """

    text: str
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    cost_known: bool = True
    # True when the model stopped at max_tokens rather than finishing.
    truncated: bool = False
    cost_unbounded: bool = False
    usage_note: str | None = None


class BackendError(Exception):
    """A failed call, classified for the retry policy.

    ``retryable`` says whether trying again can help (rate limits, overload,
    timeouts) or not (bad request, authentication, spend limit).
    ``retry_after`` is the server's requested wait in seconds, when given.
    ``maybe_billed`` marks a call that may have been billed although it failed
    (a request that timed out after it was sent, a reply that could not be
    read): the budget then keeps the call's reservation as spent.
    ``cost_usd`` is what the failed call is known to have cost, when the tool
    says (an agent CLI reports its spend even when it fails); it is booked
    like a successful call's cost.
    """

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        retry_after: float | None = None,
        maybe_billed: bool = False,
        cost_usd: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.retry_after = retry_after
        self.maybe_billed = maybe_billed
        self.cost_usd = cost_usd


@dataclass(frozen=True)
class StepResult:
    """The outcome of one step, as recorded in the journal."""

    id: str
    status: str
    tier: str
    model: str
    output: str | None = None
    output_path: str | None = None
    rounds: int = 0
    attempts: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    estimated_cost_usd: float = 0.0
    error: str | None = None
    started_at: float | None = None
    finished_at: float | None = None
    # The part of cost_usd booked at a call's worst case (its reservation)
    # because the backend reported no usable usage, rather than measured.
    booked_usd: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "tier": self.tier,
            "model": self.model,
            "rounds": self.rounds,
            "attempts": self.attempts,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": self.cost_usd,
            "booked_usd": self.booked_usd,
            "estimated_cost_usd": self.estimated_cost_usd,
            "error": self.error,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "output_path": self.output_path,
        }


_NO_STEPS: Mapping[str, StepResult] = MappingProxyType({})


@dataclass(frozen=True)
class RunResult:
    """The outcome of a run: every step's result, cost and timing.

    >>> result.status in ("done", "failed", "budget", "interrupted")  # doctest: +SKIP
    """

    run_id: str
    status: str
    backend: str
    steps: Mapping[str, StepResult] = field(default_factory=lambda: _NO_STEPS)
    cost_usd: float = 0.0
    estimated_cost_usd: float = 0.0
    max_cost_usd: float | None = None
    makespan_s: float = 0.0
    state_dir: str | None = None
    message: str | None = None
    # The part of cost_usd booked at worst case rather than measured (see StepResult).
    booked_usd: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == RUN_DONE

    @property
    def exit_code(self) -> int:
        """0 all done, 1 a step failed or was skipped or the budget stopped it, 130 interrupted."""
        if self.status in (RUN_DONE, RUN_DRY):
            return 0
        if self.status == RUN_INTERRUPTED:
            return 130
        return 1

    @property
    def outputs(self) -> dict[str, str]:
        """Outputs of the steps that finished, by step id."""
        return {
            sid: s.output
            for sid, s in self.steps.items()
            if s.status == DONE and s.output is not None
        }

    def count(self, status: str) -> int:
        return sum(1 for s in self.steps.values() if s.status == status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "backend": self.backend,
            "cost_usd": self.cost_usd,
            "booked_usd": self.booked_usd,
            "estimated_cost_usd": self.estimated_cost_usd,
            "max_cost_usd": self.max_cost_usd,
            "makespan_s": self.makespan_s,
            "message": self.message,
            "steps": [s.to_dict() for s in self.steps.values()],
        }
