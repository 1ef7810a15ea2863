"""User-facing errors and the exit codes they map to.

Every error a user can cause is a :class:`PlannerError`: the CLI prints its
one-line message and exits with its code, never a traceback. Anything else that
escapes is a bug and exits 3 (``PLANNER_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import click

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class PlannerError(click.ClickException):
    """A problem with the user's input, files or configuration (exit 2)."""

    exit_code = EXIT_USAGE

    def format_message(self) -> str:
        return self.message


class InputError(PlannerError):
    """Bad command input: an empty task, undecodable stdin, a refused overwrite."""


class PlanError(PlannerError):
    """A plan file that cannot be read as a valid v1 plan.

    ``path``, ``line`` and ``column`` (1-based) locate the problem when known.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.reason = message
        self.path = path
        self.line = line
        self.column = column
        super().__init__(_located(message, path, line, column))


class ConfigError(PlannerError):
    """Invalid configuration (``[tool.planner]`` or ``planner.toml``)."""


class ModelError(PlannerError):
    """A learned model file (the syntax weights) that is missing, truncated or corrupt."""


class RuleFileError(PlannerError):
    """A rule file under ``rules/`` (or a user's rule file) is invalid."""

    def __init__(self, message: str, *, path: str, line: int | None = None) -> None:
        self.reason = message
        self.path = path
        self.line = line
        super().__init__(_located(message, path, line, None))


def _located(message: str, path: str | None, line: int | None, column: int | None) -> str:
    where = path or ""
    if line is not None:
        where = f"{where}:{line}" if where else f"line {line}"
        if column is not None:
            where = f"{where}:{column}"
    return f"{where}: {message}" if where else message
