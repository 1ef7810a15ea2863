"""Lint one plan: read it, run the checks, apply configuration and suppressions."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml
from yaml.nodes import Node

from planner.config import Config, load_config
from planner.errors import PlanError
from planner.gcpause import paused_gc
from planner.linter.design import run_design_checks
from planner.linter.finding import Finding
from planner.linter.rules import registry
from planner.linter.settings import LintSettings, Overrides, settings_from
from planner.linter.structure import Raw, check_document
from planner.plan.spec import decode
from planner.plan.yamlnodes import YamlProblem, YamlTooDeep, compose


def check_text(text: str, config: Config) -> list[Raw]:
    """Every finding in a plan's text, before configuration and suppressions."""
    # A large plan composes into hundreds of thousands of acyclic node objects;
    # the cyclic garbage collector would rescan them over and over for nothing.
    with paused_gc():
        return _check_text(text, config)


def _check_text(text: str, config: Config) -> list[Raw]:
    try:
        root = _compose(text)
        doc = check_document(root, tiers=config.tiers, roles=config.roles)
    except YamlProblem as exc:  # unreadable, too deep, or a value no reader converts
        return [Raw("PL001", exc.message, exc.line or 1, exc.column or 1)]
    raws = list(doc.raws)
    if doc.steps:
        raws.extend(run_design_checks(doc.steps, config, graph_ok=doc.graph_ok, task=doc.task, pattern=doc.pattern))
    return raws


def finalize(raws: list[Raw], text: str, path: str, settings: LintSettings) -> list[Finding]:
    """Apply selection, suppressions and severities; turn raw findings into :class:`Finding`s."""
    enabled = settings.enabled_for(path)
    kept = [r for r in raws if r.code in enabled]
    if "noqa" in text:
        # Most plans have no suppressions; the module is only loaded for those that do.
        from planner.linter.noqa import apply_suppressions, find_suppressions, unused

        lines = text.splitlines()
        sups = find_suppressions(lines)
        kept = apply_suppressions(kept, sups)
        if sups and "PL111" in enabled:
            whole = [s for s in sups if s.whole_file]
            kept.extend(apply_suppressions(unused(sups, lines, enabled), whole))
    rules = registry()
    findings = [
        Finding(
            code=r.code,
            name=rules[r.code].name,
            severity=settings.severity.get(r.code, rules[r.code].severity),
            message=r.message,
            path=path,
            line=r.line,
            column=r.column,
            fix=r.fix,
        )
        for r in kept
    ]
    return sorted(set(findings), key=lambda f: f.sort_key)


def lint_text(
    text: str,
    path: str = "<plan>",
    *,
    config: Config | None = None,
    settings: LintSettings | None = None,
) -> list[Finding]:
    """Lint plan text; ``path`` is only used in the findings and for per-file ignores."""
    cfg = config if config is not None else load_config()
    sets = settings if settings is not None else settings_from(cfg.lint, cfg.path)
    return finalize(check_text(text, cfg), text, path, sets)


def _compose(text: str) -> Node | None:
    """Compose like :func:`planner.plan.yamlnodes.compose`, keeping where an error's context began."""
    try:
        return compose(text)
    except YamlTooDeep:
        raise  # the project's own limit: not PyYAML's words for it
    except YamlProblem:
        pass
    try:
        yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"invalid YAML: {exc.problem or exc.context or 'syntax error'}"
        if exc.context and exc.problem and exc.context_mark and exc.context_mark is not mark:
            # PyYAML's own order: what it was doing (and where that began), then what went wrong.
            c = exc.context_mark
            message = f"invalid YAML: {exc.context} at line {c.line + 1}, column {c.column + 1}: {exc.problem}"
        raise YamlProblem(
            message, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1
        ) from None
    except Exception:
        pass
    return compose(text)  # raises the original problem again


class Unreadable(Exception):
    """A file we could not turn into text; the message becomes a PL002 finding."""


def read_source(path: str | os.PathLike[str]) -> str:
    """Read a plan file as text, refusing what is not a small regular UTF-8 file."""
    return decode_source(read_source_bytes(path))


def read_source_bytes(path: str | os.PathLike[str]) -> bytes:
    """A plan file's bytes (``lint --fix`` splices its edits into them), through the one plan reader."""
    from planner.plan.source import NO_SUCH_FILE, read_plan_bytes

    try:
        return read_plan_bytes(path)
    except PlanError as exc:
        if exc.reason == NO_SUCH_FILE:
            raise Unreadable("no such file (missing, or removed while linting)") from None
        raise Unreadable(exc.reason) from None


def decode_source(data: bytes) -> str:
    try:
        return decode(data, None)
    except PlanError as exc:
        raise Unreadable(exc.reason) from None


@lru_cache(maxsize=256)
def config_for_dir(directory: Path) -> Config:
    """The configuration governing files in ``directory`` (nearest file upward)."""
    return load_config(directory)


# Configs hold mapping proxies (unhashable), so settings are cached by identity;
# the config object is kept in the value so its id cannot be reused.
_SETTINGS: dict[tuple[int, Overrides], tuple[Config, LintSettings]] = {}


def settings_for(config: Config, overrides: Overrides | None = None) -> LintSettings:
    key = (id(config), overrides or Overrides())
    hit = _SETTINGS.get(key)
    if hit is None:
        hit = _SETTINGS[key] = (config, settings_from(config.lint, config.path, key[1]))
    return hit[1]


def lint_path(
    path: str,
    *,
    config: Config | None = None,
    overrides: Overrides | None = None,
    text: str | None = None,
) -> list[Finding]:
    """Lint one file (or ``text`` shown as ``path``), with the configuration found from its folder."""
    p = Path(path)
    cfg = (
        config
        if config is not None
        else config_for_dir(p.parent.resolve() if str(p.parent) else Path.cwd())
    )
    settings = settings_for(cfg, overrides)
    if text is None:
        try:
            text = read_source(p)
        except Unreadable as exc:
            return finalize([Raw("PL002", str(exc), 1, 1)], "", path, settings)
    return finalize(check_text(text, cfg), text, path, settings)
