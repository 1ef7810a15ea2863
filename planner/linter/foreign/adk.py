"""Google ADK agent configs: YAML files with ``agent_class``, ``name``,
``instruction``, ``model`` and ``sub_agents`` (ADK's Agent Config).

Every ``LlmAgent`` is a step named by its ``name``. ``SequentialAgent``
children run one after another (each part waits for the one before),
``ParallelAgent`` children side by side, ``LoopAgent`` children repeat up to
``max_iterations`` (without it, until an agent escalates). Sub-agents come
inline or from other files through ``config_path``; a chain of files that
names itself again is a cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planner.config import Config
from planner.linter.foreign.mapping import role_for, tier_for_model
from planner.linter.foreign.model import ForeignConfig, ForeignStep
from planner.linter.foreign.yamlread import items, kind, pos, read_yaml, text, value

CLASSES = ("LlmAgent", "SequentialAgent", "ParallelAgent", "LoopAgent")
LOOP_UNTIL = "an agent in the loop escalates (exit_loop)"


def looks_like(root: Node | None) -> bool:
    """A mapping with ``agent_class``, or with ``name`` and what an LlmAgent has."""
    if not isinstance(root, MappingNode):
        return False
    got = items(root)
    if "agent_class" in got:
        return True
    return "name" in got and ("instruction" in got or "sub_agents" in got) and "version" not in got


@dataclass
class _Part:
    entry: list[str] = field(default_factory=list)
    exit: list[str] = field(default_factory=list)


Loader = Callable[[str], "str | None"]


class _Reader:
    def __init__(self, cfg: ForeignConfig, load: Loader, config: Config, words: dict[str, str]) -> None:
        self.cfg = cfg
        self.load = load
        self.config = config
        self.words = words
        self.names: dict[str, ForeignStep] = {}

    def file(self, path: str, visiting: list[str], where: tuple[str, int, int] | None) -> _Part:
        source = self.load(path)
        if source is None:
            if where is not None:
                self.cfg.problem("PL002", f"sub-agent config '{Path(path).name}' cannot be read (missing or unreadable)", *where)
            return _Part()
        self.cfg.add_file(path, source)
        ok, root = read_yaml(self.cfg, path, source)
        if not ok:
            return _Part()
        if not isinstance(root, MappingNode):
            shown = "empty" if root is None else kind(root)
            self.cfg.problem("PL202", f"not an ADK agent config: expected a mapping with agent_class and name, found {shown}", path, *(pos(root) if root else (1, 1)))
            return _Part()
        return self.agent(root, path, [*visiting, path])

    def agent(self, node: MappingNode, path: str, visiting: list[str]) -> _Part:
        got = items(node)
        cls = (text(got["agent_class"][1]) if "agent_class" in got else None) or "LlmAgent"
        name = text(got["name"][1]) if "name" in got else None
        if name is None:
            self.cfg.problem("PL004", f"{cls} has no 'name' (ADK requires one)", path, *pos(node))
        start = len(self.cfg.steps)
        children = self.children(got, path, visiting)
        if cls == "SequentialAgent" or cls == "LoopAgent":
            part = _Part()
            for child in children:
                if not child.entry:
                    continue
                for sid in child.entry:
                    step = self.names[sid]
                    step.depends_on.extend((d, step.path, step.line, step.column) for d in part.exit if d not in (x[0] for x in step.depends_on))
                part.entry = part.entry or child.entry
                part.exit = child.exit
            if cls == "LoopAgent":
                bound = value(got["max_iterations"][1]) if "max_iterations" in got else None
                for step in self.cfg.steps[start:]:
                    if isinstance(bound, int) and not isinstance(bound, bool) and bound >= 1:
                        step.max_rounds = bound
                    else:
                        step.until = LOOP_UNTIL
                        if "until" not in step.keys:
                            step.keys["until"] = (path, *pos(got["name"][1] if "name" in got else node))
            return part
        if cls == "ParallelAgent":
            part = _Part()
            for child in children:
                part.entry += child.entry
                part.exit += child.exit
            return part
        # An LlmAgent (or a custom class): one step; its sub-agents are
        # transfer targets the model may hand over to, not ordered work.
        if name is None:
            return _Part()
        line, column = pos(got["name"][1])
        step = ForeignStep(name, path, line, column, title=(text(got["description"][1]) if "description" in got else None) or name)
        step.keys = {k: (path, *pos(kn)) for k, (kn, _) in got.items()}
        step.values = {k: (path, *pos(vn)) for k, (_, vn) in got.items()}
        step.prompt = text(got["instruction"][1]) if "instruction" in got else None
        if "model" in got:
            model = text(got["model"][1])
            if model:
                step.model = model
                step.values["tier"] = step.values["model"]
                step.tier = tier_for_model(model, self.config)
                if step.tier is None:
                    self.cfg.problem(
                        "PL201",
                        f"model '{model}' is not in the tier table ({', '.join(sorted(self.config.tiers))}); "
                        "add it under [tool.planner.tiers] to get its estimate and tier checks",
                        path, *pos(got["model"][1]),
                    )
        step.role = role_for([name], self.config, self.words, described=step.title)
        if name in self.names:
            first = self.names[name]
            self.cfg.problem("PL009", f"two agents are named '{name}' (the first on line {first.line} of {Path(first.path).name}); ADK needs unique names", path, line, column)
            return _Part()
        self.names[name] = step
        self.cfg.steps.append(step)
        return _Part([name], [name])

    def children(self, got: dict[str, tuple[Node, Node]], path: str, visiting: list[str]) -> list[_Part]:
        if "sub_agents" not in got:
            return []
        node = got["sub_agents"][1]
        if isinstance(node, ScalarNode) and value(node) is None:
            return []
        if not isinstance(node, SequenceNode):
            self.cfg.problem("PL005", f"'sub_agents' must be a list, not {kind(node)}", path, *pos(node))
            return []
        out = []
        for item in node.value:
            ref: Node | None = None
            if isinstance(item, ScalarNode):
                ref = item
            elif isinstance(item, MappingNode):
                sub = items(item)
                if "config_path" in sub:
                    ref = sub["config_path"][1]
                elif "code" in sub and len(sub) == 1:
                    continue  # an agent built in Python: nothing to read here
                else:
                    out.append(self.agent(item, path, visiting))
                    continue
            else:
                self.cfg.problem("PL005", f"a sub-agent must be a config_path or a mapping, not {kind(item)}", path, *pos(item))
                continue
            target = text(ref) if ref is not None else None
            if not target:
                continue
            resolved = str(Path(path).parent / target)
            where = (path, *pos(ref))
            if any(Path(v).resolve() == Path(resolved).resolve() for v in visiting):
                chain = [Path(v).name for v in visiting[[Path(v).resolve() for v in visiting].index(Path(resolved).resolve()):]]
                self.cfg.problem("PL012", "sub-agent configs loop: " + " -> ".join(f'"{c}"' for c in [*chain, Path(resolved).name]), *where)
                continue
            out.append(self.file(resolved, visiting, where))
        return out


def read(root: str, load: Loader, config: Config, words: dict[str, str]) -> ForeignConfig:
    """Read the agent tree whose root config is ``root``; ``load`` returns a file's text or None."""
    cfg = ForeignConfig("adk", root)
    reader = _Reader(cfg, load, config, words)
    reader.file(root, [], None)
    return cfg


def references(source: str, path: str) -> list[str]:
    """The config files one ADK config names through ``config_path`` (for discovery)."""
    try:
        from planner.plan.yamlnodes import compose

        root = compose(source)
    except Exception:
        return []
    found: list[str] = []

    def walk(node: Node | None) -> None:
        if isinstance(node, MappingNode):
            for key, val in node.value:
                if isinstance(key, ScalarNode) and key.value == "config_path" and isinstance(val, ScalarNode):
                    found.append(str((Path(path).parent / str(val.value)).resolve()))
                walk(val)
        elif isinstance(node, SequenceNode):
            for item in node.value:
                if isinstance(item, ScalarNode) and str(item.value).endswith((".yaml", ".yml")):
                    found.append(str((Path(path).parent / str(item.value)).resolve()))
                walk(item)

    walk(root)
    return found
