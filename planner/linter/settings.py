"""Which rules run on a file and at what severity: ``[tool.planner.lint]`` plus flags.

Rule selectors are codes (``PL006``), code prefixes (``PL1`` for every design
check), rule names (``duplicate-step-id``) or ``ALL``, as in ruff.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from planner.errors import ConfigError
from planner.linter.finding import SEVERITIES, Severity
from planner.linter.rules import lookup, registry

DEFAULT_INCLUDE = ("*.plan.yaml", "*.plan.yml")
# Framework configs `planner lint` reads besides plan files (planner.linter.foreign).
FRAMEWORKS = ("crewai", "claude-agents", "adk")
# Folders no one wants linted; `exclude` replaces this list, `extend-exclude` adds to it.
DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".planner",
    "build",
    "dist",
    "site-packages",
)


class Overrides(NamedTuple):
    """Rule selection given on the command line; it wins over the configuration."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


class LintSettings(NamedTuple):
    enabled: frozenset[str]
    severity: Mapping[str, Severity]
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    base: Path | None = None
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    frameworks: tuple[str, ...] = FRAMEWORKS

    def enabled_for(self, path: str | None) -> frozenset[str]:
        """The codes enabled for one file, after its per-file ignores."""
        if not path or not self.per_file_ignores:
            return self.enabled
        rel = _relative(path, self.base)
        name = Path(path).name
        drop: set[str] = set()
        for pattern, codes in self.per_file_ignores:
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(name, pattern):
                drop |= codes
        return self.enabled - drop


def _relative(path: str, base: Path | None) -> str:
    p = Path(path)
    if base is not None:
        try:
            return p.resolve().relative_to(base.resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return p.as_posix()


def expand(selectors: Iterable[str], where: str) -> set[str]:
    """Turn selectors into rule codes; an unknown selector is a configuration error."""
    codes = list(registry())
    out: set[str] = set()
    for sel in selectors:
        sel = sel.strip()
        if sel.upper() == "ALL":
            out.update(codes)
            continue
        rule = lookup(sel)
        if rule is not None:
            out.add(rule.code)
            continue
        matched = [c for c in codes if c.startswith(sel.upper())] if sel[:2].upper() == "PL" else []
        if not matched:
            raise ConfigError(f"{where}: unknown rule selector '{sel}' (see 'planner rule --all')")
        out.update(matched)
    return out


def _list(table: Mapping[str, Any], key: str) -> list[str] | None:
    value = table.get(key)
    return list(value) if value is not None else None


def settings_from(
    table: Mapping[str, Any], config_path: Path | None, overrides: Overrides | None = None
) -> LintSettings:
    """Build the settings for files governed by one configuration file."""
    where = f"{config_path or '<config>'}: [lint]"
    ov = overrides or Overrides()
    select = ov.select if ov.select is not None else _list(table, "select")
    enabled = expand(select, where) if select is not None else set(registry())
    enabled |= expand(_list(table, "extend-select") or [], where)
    enabled |= expand(ov.extend_select, "--extend-select")
    enabled -= expand(_list(table, "ignore") or [], where)
    enabled -= expand(ov.ignore, "--ignore")
    severity: dict[str, Severity] = {}
    for sel, level in dict(table.get("severity") or {}).items():
        if level not in SEVERITIES:
            raise ConfigError(f"{where} severity '{sel}' must be one of {', '.join(SEVERITIES)}")
        for code in expand([sel], where):
            severity[code] = level
    pfi = tuple(
        (pattern, frozenset(expand(codes, f"{where} per-file-ignores")))
        for pattern, codes in dict(table.get("per-file-ignores") or {}).items()
    )
    exclude = tuple(_list(table, "exclude") or DEFAULT_EXCLUDE) + tuple(
        _list(table, "extend-exclude") or ()
    )
    frameworks = tuple(_list(table, "frameworks") or ()) if "frameworks" in table else FRAMEWORKS
    for name in frameworks:
        if name not in FRAMEWORKS:
            raise ConfigError(f"{where} frameworks: unknown format '{name}' (known: {', '.join(FRAMEWORKS)})")
    return LintSettings(
        enabled=frozenset(enabled),
        severity=severity,
        per_file_ignores=pfi,
        base=config_path.parent if config_path else None,
        include=tuple(_list(table, "include") or DEFAULT_INCLUDE),
        exclude=exclude,
        frameworks=frameworks,
    )


def matches_any(name: str, rel: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(rel, p) for p in patterns)
