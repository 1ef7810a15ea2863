"""Read YAML into nodes that keep their positions, safely.

PyYAML's composer gives every scalar, sequence and mapping its start mark,
which is what lets plan errors point at a line and column. Composing (not
constructing) also keeps alias bombs cheap: an alias is a reference to an
existing node, and :func:`to_python` bounds how many nodes it will expand.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planner.gcpause import paused_gc

# The C loader is several times faster; fall back when PyYAML lacks libyaml.
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """Safe loader that also reads JSON-style floats such as ``5e-324``.

    YAML 1.1 (PyYAML) needs a dot in a float; JSON does not, and plans are
    also written as JSON, so a plan must survive ``dump_json`` -> load.
    """


# Shared with the dumper, which must quote a string like "0e0" that this reads as a number.
EXPONENT_FLOAT_RE = re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$")
EXPONENT_FLOAT_FIRST = list("-+0123456789.")
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", EXPONENT_FLOAT_RE, EXPONENT_FLOAT_FIRST)

# Guards against hostile files: expansion of aliases and nesting depth.
MAX_NODES = 200_000
MAX_DEPTH = 200


class YamlProblem(Exception):
    """A YAML document we refuse to read, with a 1-based position when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def position(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def compose(text: str) -> Node | None:
    """Compose one YAML document into a node tree (``None`` for an empty file)."""
    try:
        with paused_gc():
            node: Node | None = yaml.compose(text, Loader=_Loader)
        return node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        reason = exc.problem or exc.context or "invalid YAML"
        raise YamlProblem(f"invalid YAML: {reason}", line, column) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem("YAML nesting is too deep") from None


def resolves_to_str(value: str) -> bool:
    """Whether ``value`` written as a plain scalar reads back as this string
    (not as null, a boolean or a number)."""
    return bool(_Loader.resolve(_Loader, ScalarNode, value, (True, False)) == _STR_TAG)


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


_STR_TAG = "tag:yaml.org,2002:str"


def scalar_value(node: ScalarNode) -> Any:
    """Resolve a scalar the way the safe loader would (int, float, bool, null, str)."""
    if node.tag == _STR_TAG:
        # Most scalars in a plan are strings, and the constructor's own path for
        # them (two calls and a type check) was a tenth of linting a large plan.
        return node.value
    construct = _CONSTRUCTOR.yaml_constructors.get(node.tag)
    if construct is None:
        return node.value
    return construct(_CONSTRUCTOR, node)


def to_python(node: Node, _budget: list[int] | None = None, _depth: int = 0) -> Any:
    """Convert a node to plain Python, refusing alias bombs and deep nesting."""
    budget = _budget if _budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlProblem("YAML document expands to too many nodes (alias bomb?)", *position(node))
    if _depth > MAX_DEPTH:
        raise YamlProblem("YAML nesting is too deep", *position(node))
    if isinstance(node, ScalarNode):
        return scalar_value(node)
    if isinstance(node, SequenceNode):
        return [to_python(item, budget, _depth + 1) for item in node.value]
    if isinstance(node, MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = to_python(key_node, budget, _depth + 1)
            try:
                result[key] = to_python(value_node, budget, _depth + 1)
            except TypeError:
                raise YamlProblem("mapping key must be a scalar", *position(key_node)) from None
        return result
    raise YamlProblem("unsupported YAML node", *position(node))  # pragma: no cover
