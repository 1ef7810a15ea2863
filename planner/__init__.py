"""planner: decide how to split work across LLM agents.

The public API is small and loaded lazily, so ``import planner`` costs almost
nothing until a function is used::

    import planner
    s = planner.suggest("Compare three caching strategies and recommend one")
    print(s.plan.pattern)            # competitive-evaluation
    plan = planner.load_plan("review.plan.yaml")
    findings = planner.lint(plan)
    print(planner.render(plan, format="mermaid"))
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from planner._version import __version__

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from planner.advise import Suggestion, suggest
    from planner.errors import ArgumentError, ConfigError, PlanError, PlannerError
    from planner.linter import Finding, lint
    from planner.parser import TaskGraph, parse
    from planner.plan import Plan, Step, dump_json, dump_yaml, load_plan
    from planner.renderer import render
    from planner.runner import RunResult, run, run_async

__all__ = [
    "ArgumentError",
    "ConfigError",
    "Finding",
    "Plan",
    "PlanError",
    "PlannerError",
    "RunResult",
    "Step",
    "Suggestion",
    "TaskGraph",
    "__version__",
    "dump_json",
    "dump_yaml",
    "lint",
    "load_plan",
    "parse",
    "render",
    "run",
    "run_async",
    "suggest",
]

# name -> module that defines it; resolved on first attribute access (PEP 562).
_LAZY = {
    "suggest": "planner.advise",
    "Suggestion": "planner.advise",
    "parse": "planner.parser",
    "TaskGraph": "planner.parser",
    "Plan": "planner.plan",
    "Step": "planner.plan",
    "load_plan": "planner.plan",
    "dump_yaml": "planner.plan",
    "dump_json": "planner.plan",
    "lint": "planner.linter",
    "Finding": "planner.linter",
    "render": "planner.renderer",
    "run": "planner.runner",
    "run_async": "planner.runner",
    "RunResult": "planner.runner",
    "PlannerError": "planner.errors",
    "PlanError": "planner.errors",
    "ConfigError": "planner.errors",
    "ArgumentError": "planner.errors",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
