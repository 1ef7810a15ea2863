"""Runner defaults, read from ``rules/run.toml`` where each has its reason.

Configuration (``[tool.planner.run]``) and command-line options override them.
"""

from __future__ import annotations

from typing import Any

from planner import tomlcache


def _load() -> dict[str, Any]:
    table: dict[str, Any] = tomlcache.read_builtin("run.toml", "the runner defaults")["run"]
    return table


_RUN = _load()

TIMEOUT_S: float = float(_RUN["timeout_s"])
MAX_TOKENS: int = int(_RUN["max_tokens"])
RETRIES: int = int(_RUN["retries"])
BACKOFF_BASE_S: float = float(_RUN["backoff_base_s"])
BACKOFF_CAP_S: float = float(_RUN["backoff_cap_s"])
MAX_RETRY_AFTER_S: float = float(_RUN["max_retry_after_s"])
UNTIL_MAX_ROUNDS: int = int(_RUN["until_max_rounds"])
CONFIRM_ABOVE_USD: float = float(_RUN["confirm_above_usd"])
MAX_REPORTED_CALL_USD: float = float(_RUN["max_reported_call_usd"])
POLL_INTERVAL_S: float = float(_RUN["poll_interval_s"])
LEASE_S: float = float(_RUN["lease_s"])
DRAIN_S: float = float(_RUN["drain_s"])
