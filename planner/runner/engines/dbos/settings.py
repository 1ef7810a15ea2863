"""What travels with a dbos run, and what never does.

A run's row carries the choices the submitter made: tiers (model ids and
prices, so every worker reserves the same worst case), limits, the retry
policy and the mock backend's settings. It never carries a credential, a
command, a working directory or an API base URL: anyone who can write to the
database could otherwise make every worker run their program, or send the
worker's API key to their server. Those come from each worker's own
configuration and environment.

Workers read the settings back with :func:`parse_settings`, which accepts
only the shapes written here (numbers finite and in range, names that are
plain identifiers), so a hostile row fails one run clearly instead of
steering a worker.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.config import Tier
from planner.errors import PlannerError
from planner.frozen import frozen_mapping
from planner.runner.retry import RetryPolicy
from planner.runner.scheduler import Limits

# Backends a worker builds by name; a run naming anything else is refused.
KNOWN_BACKENDS = frozenset({"mock", "command", "anthropic"})
# Mock settings are plain numbers and may travel; nothing else does.
_MOCK_TABLES = ("mock_latency", "mock_failure_rate", "mock_seconds")
# Model ids reach a command's argv ({model}) and an API request: letters,
# digits and a little punctuation, never starting with '-' (an option).
_MODEL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}\Z")
_NAME_RE = re.compile(r"[A-Za-z0-9*][A-Za-z0-9._-]{0,63}\Z")


@dataclass(frozen=True)
class RunSettings:
    tiers: Mapping[str, Tier]
    limits: Limits
    retry: RetryPolicy
    mock: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    seed: int = 0
    poll_interval_s: float = 0.05


def build_settings(
    *,
    tiers: Mapping[str, Tier],
    limits: Limits,
    retry: RetryPolicy,
    backend_options: Mapping[str, Any],
    seed: int,
    poll_interval_s: float,
) -> dict[str, Any]:
    """The run's settings as JSON data (no secrets: see the module docstring)."""
    return {
        "tiers": {
            name: {
                "model": t.model,
                "input_per_mtok": t.input_per_mtok,
                "output_per_mtok": t.output_per_mtok,
                "speed": t.speed,
                "rank": t.rank,
                "models": dict(t.models),
                "steps_per_minute": t.steps_per_minute,
            }
            for name, t in tiers.items()
        },
        "limits": {
            "max_parallel": limits.max_parallel,
            "tier_limits": dict(limits.tier_limits),
            "timeout_s": limits.default_timeout_s,
            "max_tokens": limits.default_max_tokens,
            "until_max_rounds": limits.until_max_rounds,
        },
        "retry": {
            "retries": retry.retries,
            "base_s": retry.base_s,
            "cap_s": retry.cap_s,
            "max_retry_after_s": retry.max_retry_after_s,
        },
        "mock": {
            k: {str(t): float(v) for t, v in dict(backend_options.get(k) or {}).items()}
            for k in _MOCK_TABLES
        },
        "seed": int(seed),
        "poll_interval_s": float(poll_interval_s),
    }


def _bad(what: str) -> PlannerError:
    return PlannerError(f"the run's settings in the database are not valid: {what}")


def _num(value: Any, what: str, *, low: float = 0.0, integer: bool = False) -> Any:
    kind = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kind):
        raise _bad(f"{what} is not a number")
    if not math.isfinite(float(value)) or value < low:
        raise _bad(f"{what} is out of range")
    return value


def _name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _NAME_RE.match(value):
        raise _bad(f"{what} {value!r} is not a plain name")
    return value


def check_model(value: Any) -> str:
    if not isinstance(value, str) or not _MODEL_RE.match(value):
        raise _bad(f"model id {value!r} is not a plain model name")
    return value


def parse_settings(data: Any) -> RunSettings:
    """Read settings written by :func:`build_settings`, refusing anything else."""
    if not isinstance(data, dict):
        raise _bad("not a table")
    try:
        tiers: dict[str, Tier] = {}
        for name, t in dict(data["tiers"]).items():
            _name(name, "tier")
            rate = t.get("steps_per_minute")
            tiers[name] = Tier(
                name=name,
                model=check_model(t["model"]),
                input_per_mtok=float(_num(t["input_per_mtok"], "a price")),
                output_per_mtok=float(_num(t["output_per_mtok"], "a price")),
                speed=float(_num(t.get("speed", 1.0), "a speed")),
                rank=int(_num(t.get("rank", 0), "a rank", integer=True)),
                checked="",
                models=frozen_mapping(
                    {_name(k, "tool"): check_model(v) for k, v in dict(t.get("models") or {}).items()}
                ),
                steps_per_minute=None if rate is None else float(_num(rate, "a rate", low=1e-9)),
            )
        lim = dict(data["limits"])
        limits = Limits(
            max_parallel=int(_num(lim["max_parallel"], "max_parallel", low=1, integer=True)),
            tier_limits={
                _name(k, "tier"): int(_num(v, "a tier limit", low=1, integer=True))
                for k, v in dict(lim.get("tier_limits") or {}).items()
            },
            default_timeout_s=float(_num(lim["timeout_s"], "timeout_s", low=1e-3)),
            default_max_tokens=int(_num(lim["max_tokens"], "max_tokens", low=1, integer=True)),
            until_max_rounds=int(_num(lim["until_max_rounds"], "until_max_rounds", low=1, integer=True)),
        )
        rt = dict(data["retry"])
        retry = RetryPolicy(
            retries=int(_num(rt["retries"], "retries", integer=True)),
            base_s=float(_num(rt["base_s"], "backoff_base_s", low=1e-6)),
            cap_s=float(_num(rt["cap_s"], "backoff_cap_s", low=1e-6)),
            max_retry_after_s=float(_num(rt["max_retry_after_s"], "max_retry_after_s")),
        )
        mock = {
            k: {_name(t, "tier"): float(_num(v, k)) for t, v in dict(data["mock"].get(k) or {}).items()}
            for k in _MOCK_TABLES
        }
        for rate in mock["mock_failure_rate"].values():
            if rate > 1:
                raise _bad("a mock failure rate above 1")
        return RunSettings(
            tiers=tiers,
            limits=limits,
            retry=retry,
            mock=mock,
            seed=int(_num(data.get("seed", 0), "seed", low=-(2**63), integer=True)),
            poll_interval_s=float(_num(data.get("poll_interval_s", 0.05), "poll_interval_s", low=1e-3)),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _bad(f"{type(exc).__name__}: {exc}") from None
