"""CrewAI crews: ``agents.yaml`` and ``tasks.yaml`` (the CrewBase project layout).

Tasks become steps in the order CrewAI runs them. A task's ``context`` is its
dependencies; a task without ``context`` gets what CrewAI gives it: a
synchronous task every earlier output (so it follows the task before it), an
async one the last synchronous task's output. A task's tier comes from its
agent's ``llm``; its role from the agent's key and role text.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node

from planner.config import Config
from planner.linter.foreign.mapping import role_for, tier_for_model
from planner.linter.foreign.model import ForeignConfig, ForeignStep
from planner.linter.foreign.yamlread import items, kind, pos, read_yaml, strings, text, value

AGENT_REQUIRED = ("role", "goal", "backstory")
TASK_REQUIRED = ("description", "expected_output")


def looks_like(root: Node | None, what: str) -> bool:
    """A mapping whose values are mappings with the keys CrewAI's files have."""
    if not isinstance(root, MappingNode) or not root.value:
        return False
    wanted = set(AGENT_REQUIRED if what == "agents" else TASK_REQUIRED)
    entries = [v for _, v in root.value if isinstance(v, MappingNode)]
    return bool(entries) and all(wanted & set(items(v)) for v in entries)


class _Agent:
    def __init__(self, key: str, role_text: str | None, tier: str | None, model: str | None, described: str | None = None) -> None:
        self.key = key
        self.role_text = role_text
        self.described = described
        self.tier = tier
        self.model = model


def _agents(cfg: ForeignConfig, path: str, source: str, config: Config, words: dict[str, str]) -> dict[str, _Agent] | None:
    ok, root = read_yaml(cfg, path, source)
    if not ok:
        return None
    if root is None or not isinstance(root, MappingNode):
        shown = "empty" if root is None else kind(root)
        cfg.problem("PL202", f"not a CrewAI agents file: expected a mapping of agent names to settings, found {shown}", path, *(pos(root) if root else (1, 1)))
        return None
    out: dict[str, _Agent] = {}
    for name, (key_node, node) in items(root).items():
        if not isinstance(node, MappingNode):
            cfg.problem("PL202", f"agent '{name}' must be a mapping of settings (role, goal, backstory, llm), not {kind(node)}", path, *pos(node))
            continue
        got = items(node)
        for key in AGENT_REQUIRED:
            if key not in got:
                cfg.problem("PL004", f"agent '{name}' has no '{key}' (CrewAI requires role, goal and backstory)", path, *pos(key_node))
        tier = model = None
        if "llm" in got:
            model = text(got["llm"][1])
            if model is not None:
                tier = tier_for_model(model, config)
                if tier is None:
                    cfg.problem("PL201", _unknown_model(model, config), path, *pos(got["llm"][1]))
        role_text = text(got["role"][1]) if "role" in got else None
        described = " ".join(t for k in ("goal", "backstory") if k in got and (t := text(got[k][1])))
        out[name] = _Agent(name, role_text, tier, model, described)
    return out


def _unknown_model(model: str, config: Config) -> str:
    known = ", ".join(f"{t.name} = {t.model}" for t in sorted(config.tiers.values(), key=lambda t: t.rank))
    return (
        f"model '{model}' is not in the tier table ({known}); add it as a tier under "
        "[tool.planner.tiers] to get its estimate and tier checks"
    )


def read(tasks_path: str | None, agents_path: str | None, sources: dict[str, str], config: Config, words: dict[str, str]) -> ForeignConfig:
    """Read one crew; ``sources`` holds the text of each path that could be read."""
    root_path = tasks_path or agents_path or ""
    cfg = ForeignConfig("crewai", root_path)
    for p in (agents_path, tasks_path):
        if p is not None and p in sources:
            cfg.add_file(p, sources[p])
    agents = _agents(cfg, agents_path, sources[agents_path], config, words) if agents_path in sources and agents_path else None
    if tasks_path is None or tasks_path not in sources:
        return cfg
    ok, root = read_yaml(cfg, tasks_path, sources[tasks_path])
    if not ok:
        return cfg
    if root is None or not isinstance(root, MappingNode):
        shown = "empty" if root is None else kind(root)
        cfg.problem("PL202", f"not a CrewAI tasks file: expected a mapping of task names to settings, found {shown}", tasks_path, *(pos(root) if root else (1, 1)))
        return cfg
    order: list[str] = []
    nodes: dict[str, tuple[Node, MappingNode]] = {}
    for name, (key_node, node) in items(root).items():
        if not isinstance(node, MappingNode):
            cfg.problem("PL202", f"task '{name}' must be a mapping of settings (description, expected_output, agent, ...), not {kind(node)}", tasks_path, *pos(node))
            continue
        order.append(name)
        nodes[name] = (key_node, node)
    index = {name: i for i, name in enumerate(order)}
    last_sync: str | None = None
    previous: str | None = None
    for name in order:
        key_node, node = nodes[name]
        got = items(node)
        line, column = pos(key_node)
        step = ForeignStep(name, tasks_path, line, column)
        step.keys = {k: (tasks_path, *pos(kn)) for k, (kn, _) in got.items()}
        step.values = {k: (tasks_path, *pos(vn)) for k, (_, vn) in got.items()}
        for key in TASK_REQUIRED:
            if key not in got:
                cfg.problem("PL004", f"task '{name}' has no '{key}' (CrewAI requires description and expected_output)", tasks_path, line, column)
        step.prompt = text(got["description"][1]) if "description" in got else None
        step.title = (text(got["name"][1]) if "name" in got else None) or name
        if "async_execution" in got:
            flag = value(got["async_execution"][1])
            if not isinstance(flag, bool):
                cfg.problem("PL005", f"task '{name}': 'async_execution' must be true or false, not {kind(got['async_execution'][1])}", tasks_path, *pos(got["async_execution"][1]))
            step.async_execution = flag is True
        agent_name = text(got["agent"][1]) if "agent" in got else None
        if agent_name is None:
            cfg.problem("PL004", f"task '{name}' has no 'agent' (CrewAI's sequential process needs one per task)", tasks_path, line, column)
        elif agents is not None:
            agent = agents.get(agent_name)
            if agent is None:
                cfg.problem("PL203", f"task '{name}' names agent '{agent_name}', which {_where(agents_path)} does not define{_hint(agent_name, list(agents))}", tasks_path, *pos(got["agent"][1]))
            else:
                step.tier, step.model = agent.tier, agent.model
                step.role = role_for([agent.key], config, words, described=agent.described, role_text=agent.role_text)
                step.values["tier"] = step.values["agent"]
        if "context" in got:
            listed = strings(got["context"][1])
            if listed is None:
                cfg.problem("PL005", f"task '{name}': 'context' must be a list of task names, not {kind(got['context'][1])}", tasks_path, *pos(got["context"][1]))
                listed = []
            for dep, dep_node in listed:
                if dep in index and index[dep] > index[name]:
                    cfg.problem("PL204", f"task '{name}' has '{dep}' in its context, but CrewAI runs '{dep}' later; list '{dep}' before '{name}'", tasks_path, *pos(dep_node))
                step.depends_on.append((dep, tasks_path, *pos(dep_node)))
        else:
            implied = previous if not step.async_execution else last_sync
            if implied is not None:
                step.depends_on.append((implied, tasks_path, line, column))
        cfg.steps.append(step)
        previous = name
        if not step.async_execution:
            last_sync = name
    _async_rules(cfg, tasks_path)
    return cfg


def _where(agents_path: str | None) -> str:
    return "agents.yaml" if agents_path is None else agents_path.replace("\\", "/").rsplit("/", 1)[-1]


def _hint(name: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _async_rules(cfg: ForeignConfig, path: str) -> None:
    """The two async checks CrewAI makes when it builds the crew."""
    steps = cfg.steps
    position = {s.id: i for i, s in enumerate(steps)}
    for i, s in enumerate(steps):
        if not s.async_execution:
            continue
        for dep, dpath, line, column in s.depends_on:
            j = position.get(dep)
            if j is None or j >= i or not steps[j].async_execution:
                continue
            if all(steps[k].async_execution for k in range(j + 1, i)):
                cfg.problem(
                    "PL205",
                    f"async task '{s.id}' has async task '{dep}' of the same run in its context; CrewAI "
                    f"rejects this: make '{s.id}' synchronous or put a synchronous task between them",
                    dpath, line, column,
                )
    trailing = []
    for s in reversed(steps):
        if not s.async_execution:
            break
        trailing.append(s)
    if len(trailing) > 1:
        last = trailing[0]
        where = last.values.get("async_execution", (path, last.line, last.column))
        cfg.problem(
            "PL205",
            f"the crew ends on {len(trailing)} async tasks ({', '.join(repr(s.id) for s in reversed(trailing))}); "
            "CrewAI accepts at most one: make the last one synchronous",
            *where,
        )


__all__ = ["looks_like", "read"]
