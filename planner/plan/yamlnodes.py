"""Read YAML into nodes that keep their positions, safely.

PyYAML's composer gives every scalar, sequence and mapping its start mark,
which is what lets plan errors point at a line and column. Composing (not
constructing) also keeps alias bombs cheap: an alias is a reference to an
existing node, and :func:`to_python` bounds how many nodes it will expand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, Event, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planner import lazyre

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
TOO_DEEP = f"YAML nesting is deeper than {MAX_DEPTH} levels"


class YamlProblem(Exception):
    """A YAML document we refuse to read, with a 1-based position when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class YamlTooDeep(YamlProblem):
    """Nesting beyond :data:`MAX_DEPTH`: the same answer whichever PyYAML reads the file."""

    def __init__(self, line: int | None = None, column: int | None = None) -> None:
        super().__init__(TOO_DEEP, line, column)


# -- the depth pre-scan -------------------------------------------------------
#
# libyaml (PyYAML 6.0.4 and later) stops at 1,000 levels with an error of its
# own, and the pure-Python reader recurses until Python's recursion limit;
# older libyaml has no limit at all. So the project's limit is checked on the
# text, before any reader sees it. Reading the whole document with the
# pure-Python parser would do, but costs more than composing it, so cheap
# bounds come first and nearly every plan stops there (a few milliseconds for
# a 50,000-step plan):
#
# * Block collections: a nested one starts at a larger column than the one
#   holding it (a sequence written flush under its key shares the key's
#   column, hence the factor 2), and on one line new ones start only after
#   the "- ", "? " and ": " of its leading run. So if no line starts with
#   LEAD or more of indentation and indicators, block nesting is below
#   3 * LEAD. Otherwise the distinct columns where a leading run can end
#   (after indentation, indicators, anchors and tags) bound it.
# * Flow collections: at most the number of "[" and "{" in the text; when
#   there are many (each `depends_on: [a]` is one), the depth found by
#   matching brackets naively. Brackets inside quoted text can fool that
#   count, so when a reader fails on a text the bound did not clear, the exact
#   scan runs before the reader's error is believed.

LEAD = 32
_LONG_LEAD_RE = lazyre.compile(rf"\n[ \t?:&!-]{{{LEAD}}}")
# The leading run of a line: indentation, then indicators and node properties.
_LEAD_RE = lazyre.compile(r"^[ \t]*(?:(?:[-?:]|[&!][^ \t\r\n]*)(?:[ \t]+|$))*", re.MULTILINE)
_LEAD_PART_RE = lazyre.compile(r"(?:[-?:]|[&!][^ \t\r\n]*)[ \t]+")
_SQUARE = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKET = bytes(c for c in range(256) if c not in b"[]{}")


def _block_bound(text: str) -> int:
    if not _LONG_LEAD_RE.search(text) and not _LONG_LEAD_RE.match("\n" + text[:LEAD]):
        return 3 * LEAD
    columns: set[int] = set()
    for lead in set(_LEAD_RE.findall(text)):
        column = len(lead) - len(lead.lstrip(" \t"))
        columns.add(column)
        for part in _LEAD_PART_RE.finditer(lead, column):
            columns.add(part.end())
    return 2 * len(columns) + 2


def _naive_flow_depth(text: str, limit: int) -> int:
    """Bracket depth counting every bracket, or ``limit + 1`` once it is known to pass ``limit``."""
    brackets = text.encode("utf-8", "surrogatepass").translate(_SQUARE, _NOT_BRACKET)
    for depth in range(limit + 1):
        if b"[]" not in brackets:
            # What is left is closers, then openers never closed.
            return depth + brackets.count(b"[")
        brackets = brackets.replace(b"[]", b"")
    return limit + 1


def _flow_count(text: str) -> int:
    return text.count("[") + text.count("{")


def _exact_depth_check(text: str) -> None:
    """Walk the parser's events: raise :class:`YamlTooDeep` at the first node nested
    deeper than :data:`MAX_DEPTH` (the node :func:`to_python` would stop at).

    libyaml's parser does it in about a quarter of the time a compose takes.
    Where libyaml stops on nesting of its own accord (or is missing), the
    pure-Python parser, which has no limit and does not recurse, walks it
    instead. A syntax error before any deep node ends the walk, for the reader
    to report.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            _walk_events(yaml.parse(text, Loader=fast))
            return
        except yaml.MarkedYAMLError as exc:
            said = f"{exc.context or ''} {exc.problem or ''}".lower()
            if "nest" not in said and "depth" not in said:
                return
        except yaml.YAMLError:
            pass
    try:
        _walk_events(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return


def _walk_events(events: Iterator[Event]) -> None:
    depth = 0
    for event in events:
        if isinstance(event, CollectionStartEvent | ScalarEvent | AliasEvent):
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise YamlTooDeep(*((mark.line + 1, mark.column + 1) if mark else ()))
            if isinstance(event, CollectionStartEvent):
                depth += 1
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def check_depth(text: str) -> bool:
    """Raise :class:`YamlTooDeep` if ``text`` nests deeper than :data:`MAX_DEPTH`.

    Linear in the text. Returns True when the exact scan ran (and passed).
    """
    flow = _flow_count(text)
    block = _block_bound(text)
    if block + flow <= MAX_DEPTH:
        return False
    if block + _naive_flow_depth(text, MAX_DEPTH - block) <= MAX_DEPTH:
        return False
    _exact_depth_check(text)
    return True


def position(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def compose(text: str) -> Node | None:
    """Compose one YAML document into a node tree (``None`` for an empty file).

    Nesting deeper than :data:`MAX_DEPTH` is refused before PyYAML reads the
    text, so every PyYAML version (with or without libyaml) gives the same answer.
    """
    exact = check_depth(text)
    try:
        node: Node | None = yaml.compose(text, Loader=_Loader)
        return node
    except yaml.MarkedYAMLError as exc:
        _deep_after_all(text, exact)
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        reason = exc.problem or exc.context or "invalid YAML"
        raise YamlProblem(f"invalid YAML: {reason}", line, column) from None
    except yaml.YAMLError as exc:
        _deep_after_all(text, exact)
        raise YamlProblem(f"invalid YAML: {exc}") from None
    except RecursionError:
        _deep_after_all(text, exact)
        raise YamlTooDeep() from None


def _deep_after_all(text: str, exact: bool) -> None:
    """A reader's own error where the naive bracket count may have been fooled: is it the depth?"""
    if not exact and _block_bound(text) + _flow_count(text) > MAX_DEPTH:
        _exact_depth_check(text)


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def scalar_value(node: ScalarNode) -> Any:
    """Resolve a scalar the way the safe loader would (int, float, bool, null, str).

    A number Python will not convert (more than 4,300 digits: its guard against
    quadratic conversion) or a malformed timestamp is a :class:`YamlProblem`.
    """
    construct = _CONSTRUCTOR.yaml_constructors.get(node.tag)
    if construct is None:
        return node.value
    try:
        return construct(_CONSTRUCTOR, node)
    except (ValueError, OverflowError, yaml.YAMLError):
        what = "number" if node.tag.endswith(("int", "float")) else node.tag.rsplit(":", 1)[-1]
        shown = node.value if len(node.value) <= 40 else f"{node.value[:20]}…({len(node.value):,} characters)"
        raise YamlProblem(f"cannot read {shown!r} as a {what}", *position(node)) from None


def to_python(node: Node, _budget: list[int] | None = None, _depth: int = 0) -> Any:
    """Convert a node to plain Python, refusing alias bombs and deep nesting."""
    budget = _budget if _budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlProblem("YAML document expands to too many nodes (alias bomb?)", *position(node))
    if _depth > MAX_DEPTH:
        raise YamlTooDeep(*position(node))
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
