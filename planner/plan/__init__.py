"""The plan model, plan files and their schema (v1).

Names load on first use, so importing one submodule (the linter uses only
``spec`` and ``yamlnodes``) does not build the whole model.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from planner.plan.dump import dump_json, dump_yaml, plan_to_dict
    from planner.plan.loader import load_plan, parse_plan_text, validate_acyclic
    from planner.plan.model import (
        Alternative,
        Estimate,
        Plan,
        Position,
        Step,
        StepEstimate,
    )
    from planner.plan.spec import PATTERNS, PLAN_VERSION

_LAZY = {
    "PATTERNS": "planner.plan.spec",
    "PLAN_VERSION": "planner.plan.spec",
    "Alternative": "planner.plan.model",
    "Estimate": "planner.plan.model",
    "Plan": "planner.plan.model",
    "Position": "planner.plan.model",
    "Step": "planner.plan.model",
    "StepEstimate": "planner.plan.model",
    "dump_json": "planner.plan.dump",
    "dump_yaml": "planner.plan.dump",
    "plan_to_dict": "planner.plan.dump",
    "load_plan": "planner.plan.loader",
    "parse_plan_text": "planner.plan.loader",
    "validate_acyclic": "planner.plan.loader",
}

__all__ = [
    "PATTERNS",
    "PLAN_VERSION",
    "Alternative",
    "Estimate",
    "Plan",
    "Position",
    "Step",
    "StepEstimate",
    "dump_json",
    "dump_yaml",
    "load_plan",
    "parse_plan_text",
    "plan_to_dict",
    "validate_acyclic",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'planner.plan' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
