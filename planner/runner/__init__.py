"""Run a plan: scheduler, backends, journal, budget and progress.

Imported only when a plan is run; nothing on the ``suggest`` or ``lint`` path
imports this package.
"""

from __future__ import annotations

from planner.runner.model import BackendError, CallRequest, CallResult, RunResult, StepResult
from planner.runner.runner import run, run_async

__all__ = [
    "BackendError",
    "CallRequest",
    "CallResult",
    "RunResult",
    "StepResult",
    "run",
    "run_async",
]
