"""Lint the configs of other frameworks with planner's rules.

``planner lint`` reads CrewAI crews (``agents.yaml`` + ``tasks.yaml``), Claude
Code subagent folders (``.claude/agents/*.md``, with the ``ORCHESTRATION.md``
planner writes beside them) and Google ADK agent configs (YAML with
``agent_class``), maps them to steps, dependencies and tiers, and applies the
same design checks as to plan files, with positions in the user's own files.

Discovery goes by name and content: a folder walk takes a file only when
both say it is such a config; a file named on the command line is read as
what its name says, and a content that does not fit is a finding (PL202).
``[tool.planner.lint] frameworks`` chooses which of these formats are read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.config import Config
    from planner.linter.finding import Finding
    from planner.linter.foreign.model import ForeignConfig
    from planner.linter.settings import LintSettings
    from planner.plan.model import Plan

FORMATS = ("crewai", "claude-agents", "adk")
CREWAI_NAMES = {"agents.yaml": "agents", "agents.yml": "agents", "tasks.yaml": "tasks", "tasks.yml": "tasks"}
ADK_NAMES = ("root_agent.yaml", "root_agent.yml")
# What marks a YAML file as an ADK agent config in its first few kilobytes:
# a top-level agent_class, or the schema comment ADK's own templates start with.
_ADK_MARK = re.compile(r"^agent_class:\s*\S|AgentConfig\.json", re.MULTILINE)
_SNIFF_BYTES = 4096


def format_of(path: str) -> str | None:
    """The framework a file's name and place say it belongs to (content aside)."""
    p = PurePath(path.replace("\\", "/"))
    if p.name in CREWAI_NAMES:
        return "crewai"
    if p.suffix == ".md" and p.parent.name == "agents" and p.parent.parent.name == ".claude":
        return "claude-agents"
    if p.name in ADK_NAMES:
        return "adk"
    return None


def sniff_adk(path: str) -> bool:
    """Does a YAML file start like an ADK agent config?"""
    if not path.endswith((".yaml", ".yml")) or path.endswith((".plan.yaml", ".plan.yml")):
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        return False
    return bool(_ADK_MARK.search(head.decode("utf-8", "replace")))


def candidate(path: str, formats: Sequence[str]) -> bool:
    """Should a folder walk consider this file (before its content is checked)?"""
    kind = format_of(path)
    if kind is not None:
        return kind in formats
    return "adk" in formats and sniff_adk(path)


@dataclass
class Group:
    """The files of one framework config, linted together."""

    kind: str
    paths: list[str] = field(default_factory=list)
    explicit: bool = False


def partition(
    targets: Sequence[str],
    explicit: set[str],
    formats_for: Callable[[str], Sequence[str]],
) -> tuple[list[str], list[Group]]:
    """Split lint targets into plan files and framework configs (grouped)."""
    plans: list[str] = []
    crews: dict[str, Group] = {}
    claude: dict[str, Group] = {}
    adk: list[Group] = []
    for target in targets:
        kind = format_of(target) if target != "-" else None
        if kind is None and target != "-" and sniff_adk(target):
            kind = "adk"
        if kind is None:
            plans.append(target)
            continue
        if kind not in formats_for(target):
            continue  # a format turned off in [tool.planner.lint] frameworks
        if kind == "crewai":
            folder = str(Path(target).parent)
            group = crews.setdefault(folder, Group("crewai"))
            group.paths.append(target)
            group.explicit |= target in explicit
        elif kind == "claude-agents":
            folder = str(Path(target).parent)
            group = claude.setdefault(folder, Group("claude-agents"))
            group.paths.append(target)
            group.explicit |= target in explicit
        else:
            adk.append(Group("adk", [target], target in explicit))
    # An ADK config that another one reads through config_path is linted as
    # part of that tree, not on its own. Trees start at the files named on the
    # command line, ADK's root_agent.yaml, and files nothing else names; a
    # ring of files that only name each other starts at its first file.
    if len(adk) > 1:
        refs = {str(Path(g.paths[0]).resolve()): _adk_references(g.paths[0]) for g in adk}
        named_by_others = {r for key, found in refs.items() for r in found if r != key}
        key_of = {id(g): str(Path(g.paths[0]).resolve()) for g in adk}
        first = [g for g in adk if g.explicit or Path(g.paths[0]).name in ADK_NAMES]
        order = first + [g for g in adk if g not in first and key_of[id(g)] not in named_by_others]
        order += [g for g in adk if g not in order]
        reached: set[str] = set()
        roots: list[Group] = []
        for g in order:
            if key_of[id(g)] in reached:
                continue
            roots.append(g)
            todo = [key_of[id(g)]]
            while todo:
                key = todo.pop()
                if key in reached:
                    continue
                reached.add(key)
                todo.extend(refs.get(key, []))
        adk = [g for g in adk if g in roots]
    return plans, [*crews.values(), *claude.values(), *adk]


def _adk_references(path: str) -> list[str]:
    from planner.linter.engine import Unreadable, read_source
    from planner.linter.foreign.adk import references

    try:
        return references(read_source(path), path)
    except Unreadable:
        return []


@dataclass
class Result:
    findings: list[Finding]
    sources: dict[str, str]
    plan: Plan | None  # the config as a plan, for --estimate (None when nothing was read)
    path: str  # where the config is reported (its main file)
    linted: bool = True  # False when a walked file turned out not to be such a config


def lint_group(group: Group, config: Config, settings: LintSettings) -> Result:
    """Read and check one framework config."""
    from planner.linter.engine import Unreadable, read_source

    sources: dict[str, str] = {}
    unreadable: dict[str, str] = {}

    def load(path: str) -> str | None:
        if path in sources:
            return sources[path]
        try:
            sources[path] = read_source(path)
        except Unreadable as exc:
            unreadable[path] = str(exc)
            return None
        return sources[path]

    cfg = _read(group, config, load)
    if cfg is None:
        return Result([], {}, None, group.paths[0], linted=False)
    if group.kind == "adk":
        # The ADK reader reports a sub-config it cannot read where it is named.
        unreadable = {p: r for p, r in unreadable.items() if p == cfg.root}
    findings = _findings(cfg, config, settings, unreadable)
    return Result(findings, dict(cfg.places.texts), _as_plan(cfg, config), cfg.root)


def _read(group: Group, config: Config, load: Callable[[str], str | None]) -> ForeignConfig | None:
    from planner.linter.foreign import adk, claude, crewai
    from planner.renderer.export import words

    role_words = dict(words()["role_words"])
    if group.kind == "crewai":
        folder = Path(group.paths[0]).parent
        tasks = _sibling(folder, "tasks", group.paths)
        agents = _sibling(folder, "agents", group.paths)
        for p in (tasks, agents):
            if p is not None:
                load(p)
        if not group.explicit and not _is_crewai(tasks, agents, load):
            return None
        return crewai.read(tasks, agents, _texts(load, tasks, agents), config, role_words)
    if group.kind == "claude-agents":
        folder = Path(group.paths[0]).parent
        # The whole folder is one team of subagents, whichever of its files changed.
        paths = sorted({*group.paths, *(str(p) for p in folder.glob("*.md"))})
        for p in paths:
            load(p)
        extra = claude.orchestration_file(paths)
        if extra is not None:
            load(str(extra))
        texts = {p: t for p in [*paths, str(extra) if extra else ""] if p and (t := load(p)) is not None}
        return claude.read(paths, texts, config, role_words)
    path = group.paths[0]
    if not group.explicit:
        from planner.linter.foreign.model import ForeignConfig
        from planner.linter.foreign.yamlread import read_yaml

        text = load(path)
        if text is None:
            return None
        ok, root = read_yaml(ForeignConfig("adk", path), path, text)
        if ok and not adk.looks_like(root):
            return None
    return adk.read(path, load, config, role_words)


def _sibling(folder: Path, what: str, named: list[str]) -> str | None:
    for p in named:
        if CREWAI_NAMES.get(Path(p).name) == what:
            return p
    for suffix in ("yaml", "yml"):
        candidate = folder / f"{what}.{suffix}"
        if candidate.is_file():
            return str(candidate)
    return None


def _texts(load: Callable[[str], str | None], *paths: str | None) -> dict[str, str]:
    return {p: t for p in paths if p is not None and (t := load(p)) is not None}


def _is_crewai(tasks: str | None, agents: str | None, load: Callable[[str], str | None]) -> bool:
    """A walked agents.yaml / tasks.yaml is CrewAI's only when its content says so too."""
    from planner.linter.foreign.crewai import looks_like
    from planner.plan.yamlnodes import YamlProblem, compose

    for path, what in ((tasks, "tasks"), (agents, "agents")):
        text = load(path) if path else None
        if text is None:
            continue
        try:
            if looks_like(compose(text), what):
                return True
        except YamlProblem:
            continue
    return False


def _findings(cfg: ForeignConfig, config: Config, settings: LintSettings, unreadable: dict[str, str]) -> list[Finding]:
    from planner.linter.design import run_design_checks
    from planner.linter.engine import finalize
    from planner.linter.structure import Raw, StepView
    from planner.plan.graphcheck import find_cycle, format_cycle

    places = cfg.places
    by_file: dict[str, list[Raw]] = {}
    for f in cfg.findings:
        by_file.setdefault(f.path, []).append(Raw(f.code, f.message, f.line, f.column))
    for path, reason in unreadable.items():
        by_file.setdefault(path, []).append(Raw("PL002", reason, 1, 1))

    carried: list[Raw] = []
    views: list[StepView] = []
    ids = [s.id for s in cfg.steps]
    known = set(ids)
    graph_ok = True
    for index, s in enumerate(cfg.steps):
        line, column = places.at(s.path, s.line, s.column)
        view = StepView(
            index, s.id, line, column,
            title=s.title,
            role=s.role if s.role in config.roles else None,
            tier=s.tier if s.tier in config.tiers else None,
            prompt=s.prompt, until=s.until, max_rounds=s.max_rounds,
            keys={k: places.at(*v) for k, v in s.keys.items()},
            values={k: places.at(*v) for k, v in s.values.items()},
        )
        seen: set[str] = set()
        for dep, path, dline, dcol in s.depends_on:
            if dep in seen:
                continue
            seen.add(dep)
            if dep == s.id:
                carried.append(cfg.raw("PL011", f"'{s.id}' depends on itself", path, dline, dcol))
                graph_ok = False
            elif dep not in known:
                import difflib

                close = difflib.get_close_matches(dep, ids, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                carried.append(cfg.raw("PL010", f"'{s.id}' depends on unknown '{dep}'{hint}", path, dline, dcol))
                graph_ok = False
            else:
                view.depends_on.append(dep)
        views.append(view)
    deps = {v.id: list(v.depends_on) for v in views}
    for _ in range(20):
        cycle = find_cycle(ids, deps)
        if cycle is None:
            break
        graph_ok = False
        first = cfg.steps[ids.index(cycle[0])]
        carried.append(cfg.raw("PL012", f"dependency cycle: {format_cycle(cycle)}", first.path, first.line, first.column))
        deps[cycle[-2]].remove(cycle[-1])
    if views:
        carried.extend(run_design_checks(views, config, graph_ok=graph_ok))
    for raw in carried:
        path, line = places.where(raw.line)
        # Fixes edit plan files; a framework's file is the user's to change.
        by_file.setdefault(path, []).append(Raw(raw.code, raw.message, line, raw.column))
    out: list[Finding] = []
    for path, raws in by_file.items():
        out.extend(finalize(raws, places.texts.get(path, ""), path, settings))
    return out


def _as_plan(cfg: ForeignConfig, config: Config) -> Plan | None:
    """The config as a plan (for its estimate), or None when it has no steps or its dependencies loop."""
    from planner.plan.graphcheck import find_cycle
    from planner.plan.model import Plan, Step

    if not cfg.steps:
        return None
    known = {s.id for s in cfg.steps}
    steps = []
    for s in cfg.steps:
        deps = tuple(dict.fromkeys(d for d, *_ in s.depends_on if d in known and d != s.id))
        steps.append(
            Step(
                s.id,
                title=s.title,
                role=s.role if s.role in config.roles else None,
                tier=s.tier if s.tier in config.tiers else None,
                depends_on=deps,
                prompt=s.prompt,
                max_rounds=s.max_rounds,
                until=s.until,
            )
        )
    if find_cycle([s.id for s in steps], {s.id: s.depends_on for s in steps}):
        return None
    return Plan(steps=tuple(steps), source=cfg.root)


def read_plan(paths: Sequence[str], config: Config | None = None) -> Plan | None:
    """A framework config as a plan (steps, dependencies, tiers), for code that
    wants to compare it with the plan it came from. ``paths`` are the files
    (or one file) of one config."""
    from planner.config import load_config
    from planner.linter.settings import settings_from

    cfg = config or load_config()
    _, groups = partition(list(paths), set(paths), lambda _: FORMATS)
    if not groups:
        return None
    return lint_group(groups[0], cfg, settings_from(cfg.lint, cfg.path)).plan
