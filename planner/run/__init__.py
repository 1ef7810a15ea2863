"""Run a plan: scheduler, backends, journal, budget and progress.

Imported only when a plan is run; nothing on the ``suggest`` or ``lint`` path
imports this package.

``planner.run`` names both this package and the public function. Importing a
submodule (``planner.run.journal``) makes Python bind the package to the
``run`` attribute of ``planner``, so the package itself is callable and does
exactly what the function does: ``planner.run(plan, ...)`` works either way.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from planner.run.model import BackendError, CallRequest, CallResult, RunResult, StepResult
from planner.run.runner import run, run_async


class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> RunResult:
        return run(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = [
    "BackendError",
    "CallRequest",
    "CallResult",
    "RunResult",
    "StepResult",
    "run",
    "run_async",
]
