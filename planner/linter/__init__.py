"""Lint plan files: structural errors and orchestration anti-patterns.

>>> from planner.linter import lint
>>> [f.code for f in lint("version: 1\\nsteps:\\n  - id: a\\n    depends_on: [a]\\n")]
['PL110', 'PL011']

Findings are immutable :class:`Finding` values; reporters in
:mod:`planner.linter.report` render them. Rules are listed by ``planner rule --all``.
"""

from __future__ import annotations

import os
from typing import Any

from planner.linter.finding import Edit, Finding, Fix, Severity
from planner.linter.rules import Rule, registry

__all__ = ["Edit", "Finding", "Fix", "Rule", "Severity", "lint", "registry"]


def lint(plan_or_path: Any, *, config: Any = None) -> list[Finding]:
    """Lint a plan and return every finding, sorted by position.

    ``plan_or_path`` is a :class:`planner.plan.Plan` (linted as the YAML it
    dumps to), a path to a plan file, or plan text. ``config`` is a
    :class:`planner.config.Config`; by default the configuration is found
    from the file's folder upward (from the working directory for text).
    """
    from planner.config import Config
    from planner.errors import check_arg
    from planner.linter.engine import lint_path, lint_text
    from planner.plan.model import Plan

    check_arg("lint", "plan_or_path", plan_or_path, (Plan, str, os.PathLike), "a Plan, a path or plan text")
    if config is not None:
        check_arg("lint", "config", config, Config, "a planner.config.Config or None")
    if isinstance(plan_or_path, Plan):
        from planner.plan.dump import dump_yaml

        return lint_text(dump_yaml(plan_or_path), plan_or_path.source or "<plan>", config=config)
    if isinstance(plan_or_path, os.PathLike) or (
        isinstance(plan_or_path, str) and "\n" not in plan_or_path and _is_path(plan_or_path)
    ):
        return lint_path(os.fspath(plan_or_path), config=config)
    assert isinstance(plan_or_path, str)
    return lint_text(plan_or_path, config=config)


def _is_path(text: str) -> bool:
    return os.path.exists(text) or text.endswith((".yaml", ".yml", ".json"))

