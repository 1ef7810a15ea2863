"""What a v1 plan file may contain: versions, keys, slugs, limits.

Plain constants with no dataclasses, so the linter can check files against the
schema without paying for the plan model.
"""

from __future__ import annotations

import re

from planner.errors import PlanError

PLAN_VERSION = 1

PATTERNS: tuple[str, ...] = (
    "fan-out-fan-in",
    "pipeline",
    "parallel-pipelines",
    "scout-build",
    "competitive-evaluation",
    "incremental-refinement",
    "direct",
)

STEP_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")

TOP_KEYS = ("version", "task", "pattern", "steps", "rationale", "alternatives", "estimate")
STEP_KEYS = (
    "id",
    "title",
    "role",
    "tier",
    "depends_on",
    "prompt",
    "max_rounds",
    "until",
    "timeout_s",
    "max_tokens",
    # Step contracts (planner/plan/contracts.py): optional, so v1 plans without them are unchanged.
    "output",
    "for_each",
)
ESTIMATE_KEYS = ("tokens", "cost_usd", "critical_path_s", "sequential_s", "speedup", "per_step")
STEP_ESTIMATE_KEYS = ("id", "tier", "tokens", "cost_usd", "seconds")

# Plans are small documents; anything near this is a mistake or an attack.
MAX_PLAN_BYTES = 20 * 1024 * 1024


def decode(data: bytes, path: str | None) -> str:
    """Plan bytes as text: UTF-8 (a BOM is allowed), never binary."""
    if b"\x00" in data[:8192]:
        raise PlanError("binary file, not a plan", path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanError(f"not valid UTF-8 (byte {exc.start})", path=path) from None
