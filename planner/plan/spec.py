"""What a v1 plan file may contain: the one description the schema, the loader and the linter share.

Every key of every mapping of a plan, with its type and its bounds, is
written once here, as data. ``plan-v1.schema.json`` is generated from it
(``python -m planner.plan.schema`` writes it; a test checks the shipped file is
what it generates), and the loader and the linter decide what is valid with
the functions below, each in its own words: the loader stops at the first
problem with a located error, the linter reports them all as findings. A test
feeds generated documents to all three and checks they agree.

Plain constants and functions, no dataclasses: the linter checks files
against this without paying for the plan model.
"""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

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

# Step ids name things on disk (the runner writes each step's output to
# ID.md, through a temporary .ID.md.tmp) and in other formats (Mermaid and
# DOT node ids), so they are lowercase ASCII slugs, and short enough for any
# file system: eCryptfs (encrypted home folders) allows 143-byte file names,
# the tightest of the common ones (ext4, APFS, NTFS allow 255); 128 leaves
# room for what the runner adds.
STEP_ID_PATTERN = "[a-z0-9][a-z0-9_-]*"
STEP_ID_RE = re.compile(STEP_ID_PATTERN + r"\Z")
MAX_STEP_ID_LENGTH = 128
STEP_ID_RULE = (
    f"[a-z0-9][a-z0-9_-]* (lowercase letters, digits, '-' and '_'), at most {MAX_STEP_ID_LENGTH} characters"
)


def step_id_problem(value: object) -> str | None:
    """Why ``value`` cannot be a step id, or None when it can.

    >>> step_id_problem("collect-logs") is None
    True
    >>> step_id_problem("../x")
    "step id '../x' must match [a-z0-9][a-z0-9_-]* (lowercase letters, digits, '-' and '_'), at most 128 characters"
    """
    if not isinstance(value, str):
        return f"step id must be a string, not {type(value).__name__}"
    if len(value) > MAX_STEP_ID_LENGTH:
        return f"step id '{value[:40]}...' is {len(value)} characters long; the limit is {MAX_STEP_ID_LENGTH}"
    if not STEP_ID_RE.match(value):
        return f"step id {value!r} must match {STEP_ID_RULE}"
    return None


class Field(NamedTuple):
    """One key of a plan mapping: its type, whether null is allowed, its bounds.

    ``kind``: "string", "strings" (a list of strings), "integer", "number",
    "const" (equal to ``const``), "id" (a step id), "object" (any mapping,
    checked by its own module), or the name of a nested
    mapping ("step", "alternative", "estimate", "per_step") or a list of them
    ("steps", "alternatives", "per_steps").
    """

    kind: str
    required: bool = False
    nullable: bool = False
    minimum: float | None = None
    exclusive: bool = False  # the minimum itself is not allowed
    maximum: float | None = None
    unique: bool = False  # list items may not repeat
    min_items: int = 0
    enum: tuple[str, ...] = ()
    const: Any = None
    description: str = ""


class Shape(NamedTuple):
    """A mapping of a plan: its keys and whether ``x-`` extension keys may be added."""

    fields: dict[str, Field]
    extensions: bool


SHAPES: dict[str, Shape] = {
    "plan": Shape(
        {
            "version": Field("const", required=True, const=PLAN_VERSION),
            "task": Field("string", nullable=True),
            "pattern": Field("string", nullable=True, enum=PATTERNS),
            "confidence": Field(
                "number",
                minimum=0,
                maximum=1,
                description="How sure the advisor is that the pattern fits the task, 0..1 (written by suggest).",
            ),
            "steps": Field("steps", required=True, min_items=1),
            "rationale": Field("strings", nullable=True),
            "alternatives": Field("alternatives"),
            "estimate": Field("estimate"),
        },
        extensions=True,
    ),
    "step": Shape(
        {
            "id": Field("id", required=True, description="Unique step id."),
            "title": Field("string", nullable=True, description="Short human title, shown in diagrams."),
            "role": Field("string", nullable=True, description="A role from rules/roles.toml or the configuration."),
            "tier": Field("string", nullable=True, description="A model tier: haiku, sonnet, opus or a configured tier."),
            "depends_on": Field(
                "strings", nullable=True, unique=True, description="Ids of the steps whose outputs this step receives."
            ),
            "prompt": Field("string", nullable=True),
            "max_rounds": Field("integer", minimum=1, description="Upper bound on repetitions of a draft/review step."),
            "until": Field("string", nullable=True, description="Stop condition for a repeating step."),
            "timeout_s": Field("number", minimum=0, exclusive=True),
            "max_tokens": Field("integer", minimum=1),
            # Step contracts (planner/plan/contracts.py): optional, so v1 plans without them are unchanged.
            "output": Field(
                "object", description="A JSON Schema the step's result must satisfy (for a for_each step: each item's result)."
            ),
            "for_each": Field("for_each", description="Run the step once per item of a dependency's output (a JSON list)."),
        },
        extensions=True,
    ),
    "for_each": Shape(
        {
            "from": Field("id", required=True),
            "max_parallel": Field("integer", minimum=1),
        },
        extensions=False,
    ),
    "alternative": Shape(
        {
            "pattern": Field("string", required=True, enum=PATTERNS),
            "score": Field("number", required=True, minimum=0, maximum=1),
        },
        extensions=False,
    ),
    "estimate": Shape(
        {
            "tokens": Field("integer", required=True, minimum=0),
            "cost_usd": Field("number", required=True, minimum=0),
            "critical_path_s": Field("number", required=True, minimum=0),
            "sequential_s": Field("number", required=True, minimum=0),
            "speedup": Field("number", required=True, minimum=0),
            "per_step": Field("per_steps"),
        },
        extensions=True,
    ),
    "per_step": Shape(
        {
            "id": Field("string", required=True),
            "tier": Field("string", required=True),
            "tokens": Field("integer", required=True, minimum=0),
            "cost_usd": Field("number", required=True, minimum=0),
            "seconds": Field("number", required=True, minimum=0),
        },
        extensions=False,
    ),
}
# A list of mappings, by the kind that names it.
LISTS = {"steps": "step", "alternatives": "alternative", "per_steps": "per_step"}

TOP_KEYS = tuple(SHAPES["plan"].fields)
STEP_KEYS = tuple(SHAPES["step"].fields)
ESTIMATE_KEYS = tuple(SHAPES["estimate"].fields)
STEP_ESTIMATE_KEYS = tuple(SHAPES["per_step"].fields)
ALTERNATIVE_KEYS = tuple(SHAPES["alternative"].fields)


def allows_key(shape: str, key: str) -> bool:
    s = SHAPES[shape]
    return key in s.fields or (s.extensions and key.startswith("x-"))


def integer_value(value: object) -> int | None:
    """``value`` as an integer when it is one, as JSON Schema counts them (``3.0`` is 3), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def number_value(value: object) -> float | None:
    """``value`` as a finite number, else None (booleans, NaN and infinities are not numbers here).

    JSON has no NaN or infinity, so no plan written as JSON can hold one; YAML
    can (``.nan``, ``.inf``), and a cap or a timeout of NaN silently compares
    false with everything, so they are refused.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float is no sensible plan number
        return None
    return number if math.isfinite(number) else None


def bound_problem(field: Field, number: float) -> str | None:
    """Why ``number`` is out of the field's bounds, or None."""
    low, high = field.minimum, field.maximum
    if low is not None and (number <= low if field.exclusive else number < low):
        if high is not None:
            return f"between {low:g} and {high:g}"
        return f"greater than {low:g}" if field.exclusive else f"at least {low:g}"
    if high is not None and number > high:
        return f"between {low:g} and {high:g}" if low is not None else f"at most {high:g}"
    return None


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
