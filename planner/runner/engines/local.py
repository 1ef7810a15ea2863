"""The ``local`` engine: today's in-process scheduler, unchanged.

Kept as its own name so that callers choose an engine the same way for both;
everything lives in :mod:`planner.runner.runner` and
:mod:`planner.runner.scheduler`.
"""

from __future__ import annotations

from planner.runner.runner import run, run_async

NAME = "local"

__all__ = ["NAME", "run", "run_async"]
