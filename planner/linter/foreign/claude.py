"""Claude Code subagents: ``.claude/agents/*.md`` (YAML frontmatter, prompt body).

Each file is a step named by its frontmatter ``name``; ``model`` (an alias such
as ``haiku`` or a model id) gives its tier. Subagents have no dependencies of
their own: when an ``ORCHESTRATION.md`` sits beside the ``.claude`` folder (as
``planner render --format claude-agents`` writes it), its "waits for" tables
give them.
"""

from __future__ import annotations

import re
from pathlib import Path

from yaml.nodes import MappingNode

from planner.config import Config
from planner.linter.foreign.mapping import INHERIT, role_for, tier_for_model
from planner.linter.foreign.model import ForeignConfig, ForeignStep
from planner.linter.foreign.yamlread import items, kind, pos, read_yaml, text

REQUIRED = ("name", "description")
_FENCE = re.compile(r"^---[ \t]*$")
_ROW = re.compile(r"^\|\s*`?([^`|]+?)`?\s*\|[^|]*\|\s*(.*?)\s*\|\s*$")
_REPEATS = re.compile(r"^`([^`]+)` repeats: .*?up to (\d+) rounds(?:, until (.*))?\.\s*$")
_HEADER = re.compile(r"^\|\s*agent\s*\|\s*model\s*\|\s*waits for\s*\|\s*$", re.IGNORECASE)


def split_frontmatter(source: str) -> tuple[str, str] | None:
    """(frontmatter, body) of a Markdown file that starts with a ``---`` block."""
    lines = source.splitlines(keepends=True)
    if not lines or not _FENCE.match(lines[0].rstrip("\r\n")):
        return None
    for i in range(1, len(lines)):
        if _FENCE.match(lines[i].rstrip("\r\n")):
            return "".join(lines[1:i]), "".join(lines[i + 1 :])
    return None


def read(paths: list[str], sources: dict[str, str], config: Config, words: dict[str, str]) -> ForeignConfig:
    """Read the subagent files of one ``.claude/agents`` folder (and its ORCHESTRATION.md)."""
    cfg = ForeignConfig("claude-agents", str(Path(paths[0]).parent) if paths else "")
    by_name: dict[str, ForeignStep] = {}
    for path in paths:
        if path not in sources:
            continue
        source = sources[path]
        cfg.add_file(path, source)
        parts = split_frontmatter(source)
        if parts is None:
            cfg.problem("PL202", "subagent file has no frontmatter: it must start with a '---' block holding name and description", path)
            continue
        front, body = parts
        ok, root = read_yaml(cfg, path, front, line_offset=1)
        if not ok:
            continue
        if not isinstance(root, MappingNode):
            cfg.problem("PL202", f"subagent frontmatter must be a mapping (name, description, model), not {'empty' if root is None else kind(root)}", path, 2, 1)
            continue
        got = items(root)
        for key in REQUIRED:
            if key not in got:
                cfg.problem("PL004", f"subagent has no '{key}' in its frontmatter (Claude Code requires name and description)", path, 1, 1)
        name = text(got["name"][1]) if "name" in got else None
        if not name:
            continue
        line, column = pos(got["name"][1], 1)
        step = ForeignStep(name, path, line, column, title=name, prompt=body.strip() or None)
        step.keys = {k: (path, *pos(kn, 1)) for k, (kn, _) in got.items()}
        step.values = {k: (path, *pos(vn, 1)) for k, (_, vn) in got.items()}
        if "model" in got:
            model = text(got["model"][1])
            if model and model.strip().lower() != INHERIT:
                step.model = model
                step.values["tier"] = step.values["model"]
                step.tier = tier_for_model(model, config)
                if step.tier is None:
                    known = ", ".join(sorted(config.tiers))
                    cfg.problem("PL201", f"model '{model}' is neither a tier ({known}) nor a tier's model id; add it under [tool.planner.tiers]", path, *pos(got["model"][1], 1))
        description = text(got["description"][1]) if "description" in got else None
        step.role = role_for([name], config, words, described=description)
        if name in by_name:
            first = by_name[name]
            cfg.problem("PL009", f"two subagents are named '{name}' (the other is {first.path}); Claude Code keeps only one", path, line, column)
            continue
        by_name[name] = step
        cfg.steps.append(step)
    _orchestration(cfg, paths, sources, by_name)
    return cfg


def orchestration_file(agent_paths: list[str]) -> Path | None:
    """``ORCHESTRATION.md`` beside the ``.claude`` folder of these subagents, if there is one."""
    if not agent_paths:
        return None
    folder = Path(agent_paths[0]).parent  # .claude/agents
    candidate = folder.parent.parent / "ORCHESTRATION.md"
    return candidate if folder.name == "agents" and folder.parent.name == ".claude" and candidate.is_file() else None


def _orchestration(cfg: ForeignConfig, paths: list[str], sources: dict[str, str], by_name: dict[str, ForeignStep]) -> None:
    found = orchestration_file(paths)
    if found is None or str(found) not in sources:
        return
    path = str(found)
    source = sources[path]
    cfg.add_file(path, source)
    in_table = False
    for number, line in enumerate(source.splitlines(), start=1):
        repeats = _REPEATS.match(line)
        if repeats and repeats.group(1) in by_name:
            looped = by_name[repeats.group(1)]
            looped.max_rounds = int(repeats.group(2))
            if repeats.group(3):
                looped.until = re.sub(r"\\(.)", r"\1", repeats.group(3))
            continue
        if _HEADER.match(line):
            in_table = True
            continue
        if not line.startswith("|"):
            in_table = False
            continue
        match = _ROW.match(line) if in_table else None
        if match is None or set(match.group(1)) <= set("-: "):
            continue
        name, waits = match.group(1).strip(), match.group(2)
        step = by_name.get(name)
        if step is None:
            cfg.problem("PL010", f"ORCHESTRATION.md names agent '{name}', but no subagent file defines it", path, number, 3)
            continue
        if waits.strip().lower() in ("nothing", "-", ""):
            continue
        for dep in re.findall(r"`([^`]+)`", waits) or [w.strip() for w in waits.split(",")]:
            column = line.find(dep) + 1
            step.depends_on.append((dep, path, number, max(column, 1)))
