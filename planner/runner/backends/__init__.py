"""Backends by name. Each module is imported only when its backend is chosen."""

from __future__ import annotations

import math
import shlex
from collections.abc import Mapping, Sequence
from typing import Any

from planner.config import Config
from planner.errors import InputError
from planner.runner.backends.base import Backend

# name -> one-line help; "dry-run" calls nothing and is handled by the runner.
BACKENDS: dict[str, str] = {
    "dry-run": "show the waves of parallel steps, tiers and the estimate; call nothing",
    "mock": "deterministic fake outputs with per-tier latency and failure rate",
    "command": "run a command per step (prompt on stdin, output on stdout)",
    "anthropic": "the Anthropic Messages API through the official SDK",
}


def preflight(name: str, config: Config, options: Mapping[str, Any]) -> None:
    """Refuse, before a run starts, a backend that would fail every step.

    A paid run that starts, journals itself and then fails each step with the
    same error (no API key, a command that is not installed) wastes a resume
    and hides the one-line fix; this says it at once (exit 2).
    """
    if name == "command":
        from planner.runner.backends.command import check_command

        check_command(
            command_argv(options.get("command") or config.run.get("command")), options.get("cwd")
        )
    elif name == "anthropic":
        from planner.runner.backends.anthropic import check_credentials

        check_credentials(options.get("api_key"))


def make_backend(name: str, config: Config, options: Mapping[str, Any]) -> Backend:
    """Build the named backend from runner options (after :func:`preflight`)."""
    preflight(name, config, options)
    if name == "mock":
        from planner.runner.backends.mock import MockBackend

        return MockBackend(
            tiers=config.tiers,
            latency=_per_tier("mock_latency", options.get("mock_latency"), upper=None),
            failure_rate=_per_tier(
                "mock_failure_rate", options.get("mock_failure_rate"), upper=1.0
            ),
            seconds=dict(options.get("mock_seconds") or {}),
            seed=int(options.get("seed") or 0),
        )
    if name == "command":
        from planner.runner.backends.command import CommandBackend

        argv = command_argv(options.get("command") or config.run.get("command"))
        return CommandBackend(argv=argv, cwd=options.get("cwd"), tiers=config.tiers)
    if name == "anthropic":
        from planner.runner.backends.anthropic import AnthropicBackend

        return AnthropicBackend(
            tiers=config.tiers, api_key=options.get("api_key"), base_url=options.get("base_url")
        )
    known = ", ".join(BACKENDS)
    raise InputError(f"unknown backend '{name}' (known: {known})")


def _per_tier(name: str, table: Any, *, upper: float | None) -> dict[str, float]:
    """A ``{tier: number}`` option, every number finite, >= 0 and at most ``upper``."""
    if not table:
        return {}
    if not isinstance(table, Mapping):
        raise InputError(f"{name} must be a mapping of tier to number, not {table!r}")
    out: dict[str, float] = {}
    for tier, value in table.items():
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value < 0
            or (upper is not None and value > upper)
        ):
            bound = f"between 0 and {upper:g}" if upper is not None else "a finite number >= 0"
            raise InputError(f"{name} for {tier!r} must be {bound}, not {value!r}")
        out[str(tier)] = float(value)
    return out


def command_argv(command: str | Sequence[str] | None) -> list[str]:
    """A command as argv: a list as given, a string split like a shell would (but never run by one)."""
    if command is None or command == "" or command == []:
        raise InputError(
            "the command backend needs --command (or [tool.planner.run] command = [...])"
        )
    if isinstance(command, str):
        try:
            argv = shlex.split(command)
        except ValueError as exc:
            raise InputError(f"cannot split --command: {exc}") from None
    else:
        argv = [str(a) for a in command]
    if not argv:
        raise InputError("the command backend needs a non-empty command")
    return argv


__all__ = ["BACKENDS", "Backend", "command_argv", "make_backend", "preflight"]
