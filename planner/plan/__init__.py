"""The plan model, plan files and their schema (v1)."""

from planner.plan.dump import dump_json, dump_yaml, plan_to_dict
from planner.plan.loader import load_plan, parse_plan_text, validate_acyclic
from planner.plan.model import (
    PATTERNS,
    PLAN_VERSION,
    Alternative,
    Estimate,
    Plan,
    Position,
    Step,
    StepEstimate,
)

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
