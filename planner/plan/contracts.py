"""Step contracts: ``output`` (a JSON Schema the step's result must satisfy) and
``for_each`` (run the step once per item of a dependency's JSON list).

Both are optional keys of a v1 step, so plans without them are unchanged. The
loader, the linter and the runner all read them through this module, and the
JSON Schema of plan files describes the same shapes:

```yaml
- id: find-services
  output: {type: array, items: {type: string}}      # a JSON list of names
- id: migrate
  depends_on: [find-services]
  for_each: {from: find-services, max_parallel: 4}  # one run per name
  output: {type: object, required: [service, done]} # each item's result
```

A ``for_each`` step's result is the JSON list of its items' results, so it
can feed another ``for_each``. ``jsonschema`` is imported only when a plan
has an ``output``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planner import lazyre

FOR_EACH_KEYS = ("from", "max_parallel")
CONTRACT_KEYS = ("output", "for_each")


@dataclass(frozen=True)
class ForEach:
    """Fan a step out over the items of ``source``'s output (a JSON list)."""

    source: str
    # Items running at once; None: the run's own limits only.
    max_parallel: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"from": self.source}
        if self.max_parallel is not None:
            out["max_parallel"] = self.max_parallel
        return out


def plain(value: Any) -> Any:
    """Mapping proxies and tuples (how plans hold data) back to dicts and lists."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def is_list_schema(schema: Any) -> bool:
    """Does the schema say the value is a JSON list (``type: array``)?"""
    if not isinstance(schema, Mapping):
        return False
    kind = schema.get("type")
    return kind == "array" or (isinstance(kind, list | tuple) and list(kind) == ["array"])


def gives_list(output: Any, for_each: ForEach | None) -> bool:
    """Is a step's result a JSON list another step can fan out over?"""
    return for_each is not None or is_list_schema(output)


def schema_error(schema: Any) -> str | None:
    """Why ``schema`` is not a valid JSON Schema, or None when it is.

    Checked against its own ``$schema`` draft (2020-12 when it names none).
    Without the ``jsonschema`` package only the outer shape is checked.
    """
    if not isinstance(schema, Mapping):
        return "must be a mapping holding a JSON Schema"
    try:
        from jsonschema import exceptions, validators
    except ImportError:  # pragma: no cover - a dependency; kept soft for trimmed installs
        return None
    data = plain(schema)
    cls = validators.validator_for(data, default=validators.Draft202012Validator)
    try:
        cls.check_schema(data)
    except exceptions.SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path)
        return f"is not a valid JSON Schema: {exc.message}" + (f" (at {where})" if where else "")
    return None


_FENCE = lazyre.compile(r"```(?:json)?\s*\n(.*?)\n```", re.DOTALL | re.IGNORECASE)


def parse_reply(text: str) -> Any:
    """The JSON value in a model's reply: the whole reply, else its one fenced
    block, else the span from the first ``{``/``[`` to the last ``}``/``]``.
    Raises ``ValueError`` when none of them is JSON."""
    candidates = [text.strip()]
    candidates += [m.group(1).strip() for m in _FENCE.finditer(text)]
    starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
    if starts:
        end = max(text.rfind("}"), text.rfind("]"))
        if end > min(starts):
            candidates.append(text[min(starts) : end + 1])
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    raise ValueError("the reply holds no JSON")


def check_reply(schema: Any, text: str) -> tuple[Any, str | None]:
    """(value, None) when ``text`` holds JSON satisfying ``schema``, else (None, why not)."""
    try:
        value = parse_reply(text)
    except ValueError as exc:
        return None, str(exc)
    from jsonschema import validators
    from jsonschema.exceptions import best_match

    data = plain(schema)
    cls = validators.validator_for(data, default=validators.Draft202012Validator)
    error = best_match(cls(data).iter_errors(value))
    if error is None:
        return value, None
    where = "/".join(str(p) for p in error.absolute_path)
    return None, error.message + (f" (at /{where})" if where else "")


def instructions(schema: Any) -> str:
    """What a prompt says about a step's output contract."""
    return (
        "Reply with JSON only (no prose before or after it), matching this JSON Schema:\n"
        + json.dumps(plain(schema), ensure_ascii=False, indent=2)
    )


def items_of(text: str) -> list[Any]:
    """The items a ``for_each`` step fans out over: the source's output as a JSON list."""
    value = parse_reply(text)
    if not isinstance(value, list):
        raise ValueError(f"the output is JSON {type(value).__name__}, not a list")
    return value


def item_text(item: Any) -> str:
    """An item as the text its run receives (strings as they are, anything else as JSON)."""
    return item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)


def sample(schema: Any, label: str = "item", items: int = 3) -> Any:
    """A small value that satisfies common schemas (for the mock backend's replies
    and for demos): required properties, ``items`` list entries, enums' first value."""
    if not isinstance(schema, Mapping):
        return label
    if "const" in schema:
        return plain(schema["const"])
    if schema.get("enum"):
        return plain(schema["enum"][0])
    for key in ("anyOf", "oneOf", "allOf"):
        if schema.get(key):
            return sample(schema[key][0], label, items)
    kind = schema.get("type")
    if isinstance(kind, list | tuple):
        kind = next((k for k in kind if k != "null"), kind[0] if kind else None)
    if kind == "object" or (kind is None and "properties" in schema):
        props = schema.get("properties") or {}
        wanted = list(schema.get("required") or props)
        return {name: sample(props.get(name, {}), f"{label}-{name}", items) for name in wanted}
    if kind == "array":
        count = max(int(schema.get("minItems", items)), 1 if items else 0)
        count = min(count, int(schema.get("maxItems", count)))
        return [sample(schema.get("items", {}), f"{label}-{i + 1}", items) for i in range(count)]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1.0))
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return label
