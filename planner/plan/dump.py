"""Write plans as plain data, YAML and JSON (same document, same key order)."""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

from planner.plan.model import Estimate, Plan, Step

if TYPE_CHECKING:
    import yaml


def step_to_dict(step: Step) -> dict[str, Any]:
    out: dict[str, Any] = {"id": step.id}
    for key in ("title", "role", "tier"):
        value = getattr(step, key)
        if value is not None:
            out[key] = value
    out["depends_on"] = list(step.depends_on)
    for key in ("prompt", "max_rounds", "until", "timeout_s", "max_tokens"):
        value = getattr(step, key)
        if value is not None:
            out[key] = value
    if step.output is not None:
        out["output"] = _plain(step.output)
    if step.for_each is not None:
        out["for_each"] = step.for_each.to_dict()
    out.update(_plain(dict(step.extensions)))
    return out


def estimate_to_dict(estimate: Estimate) -> dict[str, Any]:
    return {
        "tokens": estimate.tokens,
        "cost_usd": estimate.cost_usd,
        "critical_path_s": estimate.critical_path_s,
        "sequential_s": estimate.sequential_s,
        "speedup": estimate.speedup,
        "per_step": [
            {"id": s.id, "tier": s.tier, "tokens": s.tokens, "cost_usd": s.cost_usd, "seconds": s.seconds}
            for s in estimate.per_step
        ],
        **_plain(dict(estimate.extensions)),
    }


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data in the file's canonical key order."""
    out: dict[str, Any] = {"version": plan.version}
    if plan.task is not None:
        out["task"] = plan.task
    if plan.pattern is not None:
        out["pattern"] = plan.pattern
    if plan.confidence is not None:
        out["confidence"] = plan.confidence
    if plan.rationale:
        out["rationale"] = list(plan.rationale)
    # A plan with a confidence is the advisor's, which always says what else it
    # weighed, even when nothing else had any evidence (an empty list).
    if plan.alternatives or plan.confidence is not None:
        out["alternatives"] = [{"pattern": a.pattern, "score": a.score} for a in plan.alternatives]
    out["steps"] = [step_to_dict(s) for s in plan.steps]
    if plan.estimate is not None:
        out["estimate"] = estimate_to_dict(plan.estimate)
    out.update(_plain(dict(plan.extensions)))
    return out


def _plain(value: Any) -> Any:
    """Mapping proxies and tuples from extension values back to dicts and lists."""
    if isinstance(value, dict) or hasattr(value, "keys"):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@cache
def yaml_dumper() -> type[yaml.SafeDumper]:
    """Block style, literal blocks for multi-line text, no aliases.

    Built on first use: ``planner suggest`` prints text and JSON far more
    often than YAML, and PyYAML costs as much to import as the advisor's rules.
    """
    import yaml

    from planner.plan.yamlnodes import EXPONENT_FLOAT_FIRST, EXPONENT_FLOAT_RE

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    _Dumper.add_representer(str, _str_representer)
    # The loader reads "1e5" as a number (JSON does); a string that looks so is quoted.
    _Dumper.add_implicit_resolver("tag:yaml.org,2002:float", EXPONENT_FLOAT_RE, EXPONENT_FLOAT_FIRST)
    return _Dumper


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # Literal blocks keep prompts readable; PyYAML falls back to quoting when a
    # literal block cannot represent the text (trailing spaces, tabs, etc.).
    if "\n" in data.rstrip("\n") or len(data) > 100:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


def dump_yaml(plan: Plan | dict[str, Any]) -> str:
    """The plan as a YAML plan file."""
    import yaml

    from planner.errors import check_arg

    check_arg("dump_yaml", "plan", plan, (Plan, dict), "a Plan or a plan dict")

    data = plan_to_dict(plan) if isinstance(plan, Plan) else plan
    return yaml.dump(
        data, Dumper=yaml_dumper(), sort_keys=False, allow_unicode=True, width=88, default_flow_style=False
    )


def dump_json(plan: Plan | dict[str, Any], *, indent: int | None = 2) -> str:
    """The plan as one JSON object."""
    from planner.errors import check_arg

    check_arg("dump_json", "plan", plan, (Plan, dict), "a Plan or a plan dict")
    data = plan_to_dict(plan) if isinstance(plan, Plan) else plan
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"
