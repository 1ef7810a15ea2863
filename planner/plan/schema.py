"""The JSON Schema of plan files, shipped inside the package and generated from :mod:`planner.plan.spec`.

``python -m planner.plan.schema`` rewrites ``plan-v1.schema.json`` from the
spec; a test checks the shipped file is exactly what this generates, so the
schema cannot drift from what the loader and the linter accept.

What a JSON Schema cannot say is left to the loader and the linter: that
step ids are unique, that dependencies name steps of the plan and do not
loop, which roles and tiers the configuration knows, and that numbers are
finite (JSON has no NaN or infinity, YAML does).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from planner.plan.spec import LISTS, MAX_STEP_ID_LENGTH, SHAPES, STEP_ID_PATTERN, Field

SCHEMA_PATH = Path(__file__).with_name("plan-v1.schema.json")


def schema_text() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(schema_text())
    return data


def _field(field: Field) -> dict[str, Any]:
    kind = field.kind
    out: dict[str, Any]
    if kind == "const":
        out = {"const": field.const}
    elif kind == "id":
        # (?![\s\S]) is "the end of the text" in every regex dialect: '$' also
        # matches before a final line break in Python's re (and jsonschema).
        out = {"type": "string", "pattern": f"^{STEP_ID_PATTERN}(?![\\s\\S])", "maxLength": MAX_STEP_ID_LENGTH}
    elif kind == "string" and field.enum:
        out = {"enum": [*field.enum, None] if field.nullable else list(field.enum)}
    elif kind in ("string", "integer", "number"):
        out = {"type": [kind, "null"] if field.nullable else kind}
        if field.minimum is not None:
            out["exclusiveMinimum" if field.exclusive else "minimum"] = _plain_number(field.minimum)
        if field.maximum is not None:
            out["maximum"] = _plain_number(field.maximum)
    elif kind == "object":
        out = {"type": "object"}
    elif kind == "strings":
        out = {"type": ["array", "null"] if field.nullable else "array", "items": {"type": "string"}}
        if field.unique:
            out["uniqueItems"] = True
    elif kind in LISTS:
        out = {"type": "array"}
        if field.min_items:
            out["minItems"] = field.min_items
        out["items"] = _mapping(LISTS[kind])
    else:
        out = _mapping(kind)
    if field.description:
        out["description"] = field.description
    return out


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _mapping(shape_name: str) -> dict[str, Any]:
    shape = SHAPES[shape_name]
    out: dict[str, Any] = {"type": "object", "additionalProperties": False}
    required = [k for k, f in shape.fields.items() if f.required]
    if required:
        out["required"] = required
    if shape.extensions:
        out["patternProperties"] = {"^x-": {}}
    out["properties"] = {key: _field(f) for key, f in shape.fields.items()}
    return out


def build_schema() -> dict[str, Any]:
    """The plan file's JSON Schema, from the spec."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://pattern-planner.dev/schema/plan-v1.json",
        "title": "planner plan file, version 1",
        **_mapping("plan"),
    }


def build_schema_text() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    SCHEMA_PATH.write_text(build_schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH.name}", file=sys.stderr)
