"""Small helpers for reading framework YAML with positions (see planner.plan.yamlnodes)."""

from __future__ import annotations

from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planner.linter.foreign.model import ForeignConfig
from planner.plan.yamlnodes import YamlProblem, compose, position, scalar_value


def read_yaml(config: ForeignConfig, path: str, text: str, *, line_offset: int = 0) -> tuple[bool, Node | None]:
    """Compose ``text``; a YAML error becomes a PL001 finding and ``(False, None)``."""
    try:
        return True, compose(text)
    except YamlProblem as exc:
        config.problem("PL001", exc.message, path, (exc.line or 1) + line_offset, exc.column or 1)
        return False, None


def items(node: MappingNode) -> dict[str, tuple[Node, Node]]:
    """Key -> (key node, value node) for plain string keys; the last duplicate wins, as in YAML readers."""
    out: dict[str, tuple[Node, Node]] = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode):
            out[str(key_node.value)] = (key_node, value_node)
    return out


def value(node: Node) -> Any:
    return scalar_value(node) if isinstance(node, ScalarNode) else None


def text(node: Node) -> str | None:
    """A scalar as text (numbers and booleans as written); ``None`` for null or a collection."""
    if not isinstance(node, ScalarNode):
        return None
    v = scalar_value(node)
    if v is None:
        return None
    return v if isinstance(v, str) else str(node.value)


def strings(node: Node) -> list[tuple[str, Node]] | None:
    """A list of scalars as (text, node); ``None`` when the node is not a list."""
    if isinstance(node, ScalarNode) and scalar_value(node) is None:
        return []
    if not isinstance(node, SequenceNode):
        return None
    return [(t, item) for item in node.value if (t := text(item)) is not None]


def pos(node: Node, line_offset: int = 0) -> tuple[int, int]:
    line, column = position(node)
    return line + line_offset, column


def kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    v = value(node)
    return "null" if v is None else f"a {type(v).__name__}".replace("a str", "a string").replace("a int", "an integer")
