"""Exports to the frameworks people already run: LangGraph, CrewAI, Google ADK,
Claude Code subagents and the Claude Agent SDK.

Each export is a Jinja template (or several) under ``templates/export/``;
this module works out what they show: one view per step with its model id
from the tier table, the waves, the shapes a framework can hold
(:mod:`planner.renderer.schedule`), the waits a shape adds, and the estimate
for the header comment. Nothing here imports a framework.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from planner import tomlcache
from planner.plan.contracts import plain
from planner.renderer import schedule
from planner.renderer.pycode import identifier, py_names

if TYPE_CHECKING:
    from planner.config import Config
    from planner.plan.model import Estimate, Plan

# name -> files it writes (one file prints as text; several make a folder)
EXPORTS: dict[str, tuple[str, ...]] = {
    "langgraph": ("graph.py",),
    "crewai": ("config/agents.yaml", "config/tasks.yaml", "crew.py"),
    "adk": ("agent.py",),
    "claude-agents": ("ORCHESTRATION.md",),  # plus .claude/agents/<id>.md per step
    "claude-sdk": ("run_plan.py",),
}
ONE_FILE = ("langgraph", "adk", "claude-sdk")
MULTI_FILE = ("crewai", "claude-agents")


@cache
def words() -> dict[str, Any]:
    """``rules/exports.toml``: what each kind of step returns, and agent words read back to roles."""
    return tomlcache.read_builtin("exports.toml", "the export words")


@dataclass(frozen=True)
class ExportStep:
    id: str
    name: str  # a Python identifier for the step (ADK agent names, CrewAI keys)
    title: str
    role: str | None
    role_meaning: str | None
    kind: str | None
    tier: str
    model: str
    prompt: str
    depends_on: tuple[str, ...]
    dependents: tuple[str, ...]
    wave: int
    max_rounds: int | None
    until: str | None
    rounds: int  # how many rounds the export allows (1 for a step that does not repeat)
    returns: str
    max_tokens: int | None
    timeout_s: float | None
    output: Any = None  # the step's output schema, as plain data
    for_each: str | None = None  # the step whose JSON list it runs over
    for_each_max: int | None = None


def estimate_for(plan: Plan, config: Config) -> Estimate | None:
    """The plan's own estimate, else the plan layer's estimate of it (``None`` if its rules cannot load)."""
    if plan.estimate is not None:
        return plan.estimate
    from planner.errors import PlannerError
    from planner.plan.estimate import estimate_plan

    try:
        return estimate_plan(plan.steps, plan.task or "", config)
    except (KeyError, PlannerError):
        return None


def _money(x: float) -> str:
    return f"${x:,.2f}" if x >= 1 else (f"${x:.4f}".rstrip("0").rstrip(".") if x > 0 else "$0")


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def estimate_lines(estimate: Estimate | None, steps: list[ExportStep], *, by_name: bool = False) -> list[str]:
    """The estimate as comment lines (no user text in them)."""
    if estimate is None:
        return ["Estimate: not available (the advisor's rules could not be loaded)."]
    lines = [
        f"Estimate (planner, rough): ~{estimate.tokens:,} tokens, ~{_money(estimate.cost_usd)}, "
        f"~{_duration(estimate.critical_path_s)} on the critical path",
        f"  (~{_duration(estimate.sequential_s)} one step after another, {estimate.speedup:g}x speedup).",
    ]
    per = {e.id: e for e in estimate.per_step}
    for s in steps:
        e = per.get(s.id)
        if e is not None:
            lines.append(f"  {s.name if by_name else s.id}: {s.model}, ~{e.tokens:,} tokens, ~{_money(e.cost_usd)}, ~{_duration(e.seconds)}")
    return lines


def estimate_summary(estimate: Estimate | None, steps: int) -> str:
    """The estimate in one line (``planner lint --estimate``)."""
    if estimate is None:
        return "no estimate (the advisor's rules could not be loaded)"
    return (
        f"{steps} step{'s' if steps != 1 else ''}, ~{estimate.tokens:,} tokens, ~{_money(estimate.cost_usd)}, "
        f"~{_duration(estimate.critical_path_s)} on the critical path "
        f"(~{_duration(estimate.sequential_s)} one after another)"
    )


# The key under a tier's `models` table that names its model for each export
# ([tool.planner.tiers.NAME.models] in the configuration); without one, the
# tier's `model` (an Anthropic API id) is used.
TOOL_NAMES = {
    "langgraph": "langgraph",
    "crewai": "crewai",
    "adk": "adk",
    "claude-agents": "claude-code",
    "claude-sdk": "claude-code",
}


def export_steps(plan: Plan, config: Config, fmt: str, *, taken: tuple[str, ...] = ()) -> list[ExportStep]:
    from planner.plan.estimate import step_tier
    from planner.runner.defaults import UNTIL_MAX_ROUNDS

    until_bound = int(config.run.get("until_max_rounds", UNTIL_MAX_ROUNDS))
    names = py_names(plan.ids, taken=taken)
    order = list(plan.ids)
    deps = {s.id: s.depends_on for s in plan.steps}
    wave_of = {sid: i for i, wave in enumerate(schedule.waves(order, deps), start=1) for sid in wave}
    returns = words()["returns"]
    out = []
    for s in plan.steps:
        role = config.roles.get(s.role) if s.role else None
        tier = step_tier(s, config)
        rounds = s.max_rounds or (until_bound if s.until else 1)
        out.append(
            ExportStep(
                id=s.id,
                name=names[s.id],
                title=s.label,
                role=s.role,
                role_meaning=role.meaning if role else None,
                kind=role.kind if role else None,
                tier=tier,
                model=config.tiers[tier].model_for(TOOL_NAMES.get(fmt)),
                prompt=s.prompt or "",
                depends_on=s.depends_on,
                dependents=plan.dependents(s.id),
                wave=wave_of[s.id],
                max_rounds=s.max_rounds,
                until=s.until,
                rounds=rounds,
                returns=returns.get(role.kind if role else "", returns["default"]),
                max_tokens=s.max_tokens,
                timeout_s=s.timeout_s,
                output=plain(s.output) if s.output is not None else None,
                for_each=s.for_each.source if s.for_each else None,
                for_each_max=s.for_each.max_parallel if s.for_each else None,
            )
        )
    return out


def max_parallel(config: Config) -> int:
    """The concurrency cap the exports carry: the runner's, else the plan-wide one."""
    value = config.run.get("max_parallel", config.max_parallel)
    return int(value)


def _expected(step: ExportStep) -> str:
    """CrewAI's expected_output: what the step returns, with its output contract spelled out."""
    import json

    if step.output is None:
        return step.returns if not step.for_each else f"For each item of {step.for_each}'s list: {step.returns}"
    schema = json.dumps(step.output, ensure_ascii=False)
    if step.for_each:
        return f"A JSON list with one result per item of {step.for_each}'s list, each matching this JSON Schema: {schema}"
    return f"JSON only, matching this JSON Schema: {schema}"


def _file_name(source: str | None) -> str | None:
    if not source or source.startswith("<"):
        return None
    from pathlib import PurePath

    return PurePath(source).name


def _free_name(base: str, ids: tuple[str, ...]) -> str:
    """A state key or wrapper name that no step id can take."""
    name, n = base, 2
    while name in ids:
        name, n = f"{base}_{n}", n + 1
    return name


def _waits_text(added: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    return [(sid, others) for sid, others in added.items()]


def base_view(plan: Plan, config: Config, fmt: str, *, taken: tuple[str, ...] = ()) -> dict[str, Any]:
    steps = export_steps(plan, config, fmt, taken=taken)
    by_id = {s.id: s for s in steps}
    order = list(plan.ids)
    deps = {s.id: s.depends_on for s in plan.steps}
    wave_ids = schedule.waves(order, deps)
    return {
        "plan": plan,
        "format": fmt,
        "task": plan.task or "",
        "pattern": plan.pattern,
        "steps": steps,
        "by_id": by_id,
        "name_of": {s.id: s.name for s in steps},
        "waves": [[by_id[sid] for sid in wave] for wave in wave_ids],
        "finals": [s for s in steps if not s.dependents],
        "estimate_lines": estimate_lines(estimate_for(plan, config), steps, by_name=fmt == "crewai"),
        "max_parallel": max_parallel(config),
        # The file's name only: a path from the user's machine has no place in generated code.
        "source": _file_name(plan.source),
        "cheapest_model": config.tiers[config.cheapest_tier].model,
    }


def _adk_tree(parts: tuple[schedule.Shape, ...], taken: set[str]) -> list[dict[str, Any]]:
    """The nested shape as plain data for the ADK template's recursive macro;
    wrapper agents are numbered ``sequence_N`` / ``parallel_N`` in reading order."""
    counter = {"seq": 0, "par": 0}

    def name(kind: str) -> str:
        counter[kind] += 1
        base = f"{'sequence' if kind == 'seq' else 'parallel'}_{counter[kind]}"
        out, n = base, 2
        while out in taken:
            out, n = f"{base}_{n}", n + 1
        taken.add(out)
        return out

    def walk(node: schedule.Shape) -> dict[str, Any]:
        if isinstance(node, schedule.Leaf):
            return {"kind": "step", "id": node.id}
        kind = "seq" if isinstance(node, schedule.Seq) else "par"
        return {"kind": kind, "name": name(kind), "parts": [walk(p) for p in node.parts]}

    return [walk(p) for p in parts]


# Names a CrewBase class holds or crew.py imports (crewai.project and its
# injected methods); a task or agent key never takes one of them.
CREWBASE_NAMES = (
    "agent", "task", "crew", "agents", "tasks", "agents_config", "tasks_config",
    "Agent", "Crew", "Process", "Task", "CrewBase", "annotations",
    "base_directory", "original_agents_config_path", "original_tasks_config_path",
    "load_configurations", "load_yaml", "map_all_agent_variables", "map_all_task_variables",
    "close_mcp_server", "get_mcp_tools", "mcp_server_params", "mcp_connect_timeout",
    "kickoff", "before_kickoff", "after_kickoff",
)


def view_for(plan: Plan, fmt: str, config: Config) -> dict[str, Any]:
    """Everything the templates of ``fmt`` need."""
    ids = plan.ids
    deps = {s.id: s.depends_on for s in plan.steps}
    if fmt == "adk":
        # Agent names are identifiers unique in the tree; wrappers never take a step's name.
        # "user" is reserved by ADK; a loop wrapper is named "<step>_loop".
        view = base_view(plan, config, fmt, taken=("user",))
        names = {s.id: s.name for s in view["steps"]}
        taken = set(names.values()) | {"user"} | {f"{n}_loop" for n in names.values()}
        root_name = _free_name("plan", tuple(taken))
        taken.add(root_name)
        g = schedule.Deps(list(ids), deps)
        shape = schedule.nest(list(ids), deps)
        parts = shape.parts if isinstance(shape, schedule.Seq) else (shape,)
        view["tree"] = _adk_tree(parts, taken)
        view["root_name"] = root_name
        view["added_waits"] = _waits_text(schedule.added_waits(schedule.shape_waits(shape, g), g))
        return view
    if fmt == "crewai":
        # CrewBase names a method after every task and agent key, so keys are
        # identifiers, and none may take a name the class or crew.py already uses.
        reserved = CREWBASE_NAMES
        view = base_view(plan, config, fmt, taken=reserved)
        g = schedule.Deps(list(ids), deps)
        order = schedule.crew_order(list(ids), deps)
        view["crew_tasks"] = [(view["by_id"][t.id], t.async_execution) for t in order]
        view["added_waits"] = _waits_text(schedule.added_waits(schedule.crew_waits(order, g), g))
        agents: dict[tuple[str, str], dict[str, Any]] = {}
        for s in view["steps"]:
            key = (s.role or "agent", s.tier)
            if key not in agents:
                # LiteLLM's provider/model form, unless the tier names its CrewAI model itself.
                tier = config.tiers[s.tier]
                llm = tier.models.get("crewai") or f"anthropic/{tier.model}"
                agents[key] = {"role": s.role, "tier": s.tier, "model": s.model, "llm": llm, "meaning": s.role_meaning, "steps": []}
            agents[key]["steps"].append(s)
        agent_keys = py_names([f"{r}_{t}" for r, t in agents], taken=(*reserved, *(s.name for s in view["steps"])))
        view["agents"] = [{**a, "key": agent_keys[f"{r}_{t}"]} for (r, t), a in agents.items()]
        view["agent_of"] = {s.id: a["key"] for a in view["agents"] for s in a["steps"]}
        view["class_name"] = "PlanCrew"
        view["expected"] = {s.id: _expected(s) for s in view["steps"]}
        return view
    if fmt == "langgraph":
        view = base_view(plan, config, fmt)
        view["task_key"] = _free_name("task", ids)
        view["outputs_key"] = _free_name("outputs", ids)
        return view
    if fmt == "claude-agents":
        view = base_view(plan, config, fmt)
        return view
    if fmt == "claude-sdk":
        view = base_view(plan, config, fmt)
        return view
    raise KeyError(fmt)


def export(plan: Plan, fmt: str, config: Config) -> dict[str, str]:
    """The files of one export, relative path -> text."""
    from planner.renderer.templating import render_template

    view = view_for(plan, fmt, config)
    if fmt == "langgraph":
        return {"graph.py": render_template("export/langgraph.py.j2", **view)}
    if fmt == "adk":
        return {"agent.py": render_template("export/adk.py.j2", **view)}
    if fmt == "claude-sdk":
        return {"run_plan.py": render_template("export/claude_sdk.py.j2", **view)}
    if fmt == "crewai":
        return {
            "config/agents.yaml": render_template("export/crewai/agents.yaml.j2", **view),
            "config/tasks.yaml": render_template("export/crewai/tasks.yaml.j2", **view),
            "crew.py": render_template("export/crewai/crew.py.j2", **view),
        }
    if fmt == "claude-agents":
        files = {
            f".claude/agents/{s.id}.md": render_template("export/claude/agent.md.j2", step=s, **view)
            for s in view["steps"]
        }
        files["ORCHESTRATION.md"] = render_template("export/claude/ORCHESTRATION.md.j2", **view)
        return files
    raise KeyError(fmt)


__all__ = ["EXPORTS", "MULTI_FILE", "ONE_FILE", "ExportStep", "export", "identifier", "view_for"]
