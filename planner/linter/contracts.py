"""Lint step contracts (``output``, ``for_each``: see planner.plan.contracts).

The same rules the loader enforces, every problem reported: an ``output`` that
is not a valid JSON Schema (PL021), a ``for_each`` over something that is not
one of the step's dependencies (PL022), or over a step whose output is not a
list (PL023); a malformed ``for_each`` mapping is PL003/PL004/PL005/PL006 like
any other key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from yaml.nodes import MappingNode, Node, ScalarNode

from planner.plan.contracts import ForEach
from planner.plan.yamlnodes import YamlProblem, scalar_value, to_python

if TYPE_CHECKING:
    from planner.linter.structure import StepView


class _Sink(Protocol):
    def add(self, code: str, message: str, where: Node | tuple[int, int]) -> None: ...


def check_contracts(
    views: list[StepView], nodes: dict[int, tuple[str, Node | None, Node | None]], out: _Sink
) -> None:
    from planner.plan.contracts import FOR_EACH_KEYS, gives_list, schema_error

    by_index = {v.index: v for v in views}
    outputs: dict[str, object] = {}
    fans: dict[str, tuple[str, Node, Node]] = {}  # step -> (source, for_each node, from node)
    for index, (step_id, output, for_each) in nodes.items():
        if output is not None:
            if not isinstance(output, MappingNode):
                out.add("PL021", f"step '{step_id}': 'output' must be a mapping holding a JSON Schema", output)
            else:
                try:
                    schema = to_python(output, _depth=3)
                except YamlProblem:
                    schema = None  # reported as PL001 by the structural pass
                if schema is not None:
                    problem = schema_error(schema)
                    if problem is not None:
                        out.add("PL021", f"step '{step_id}': 'output' {problem}", output)
                    else:
                        outputs[step_id] = schema
        if for_each is None:
            continue
        if not isinstance(for_each, MappingNode):
            out.add("PL005", f"step '{step_id}': 'for_each' must be a mapping with 'from' (and 'max_parallel')", for_each)
            continue
        got = {str(k.value): (k, v) for k, v in for_each.value if isinstance(k, ScalarNode)}
        for key, (key_node, _) in got.items():
            if key not in FOR_EACH_KEYS and not key.startswith("x-"):
                out.add("PL003", f"unknown key '{key}' in for_each (known: from, max_parallel)", key_node)
        if "max_parallel" in got:
            bound = scalar_value(got["max_parallel"][1]) if isinstance(got["max_parallel"][1], ScalarNode) else None
            if isinstance(bound, bool) or not isinstance(bound, int):
                out.add("PL005", "'max_parallel' must be an integer", got["max_parallel"][1])
            elif bound < 1:
                out.add("PL006", f"'max_parallel' must be at least 1 (got {bound})", got["max_parallel"][1])
        if "from" not in got:
            out.add("PL004", f"step '{step_id}': for_each has no 'from' (the dependency whose list it runs over)", for_each)
            continue
        source_node = got["from"][1]
        source = scalar_value(source_node) if isinstance(source_node, ScalarNode) else None
        if not isinstance(source, str):
            out.add("PL005", "'for_each.from' must be a step id", source_node)
            continue
        fans[step_id] = (source, for_each, source_node)
        view = by_index.get(index)
        if view is not None and source not in view.depends_on:
            out.add(
                "PL022",
                f"step '{step_id}' runs for each item of '{source}', which is not one of its depends_on",
                source_node,
            )
            del fans[step_id]
    for step_id, (source, _, source_node) in fans.items():
        if not gives_list(outputs.get(source), _fan_marker(source, fans)):
            out.add(
                "PL023",
                f"step '{step_id}' runs for each item of '{source}', whose output is not a list; "
                f"give '{source}' an output schema with type: array",
                source_node,
            )


def _fan_marker(source: str, fans: dict[str, tuple[str, Node, Node]]) -> ForEach | None:
    """A stand-in for the source's own for_each: its result is a list whatever its schema says."""
    if source not in fans:
        return None
    return ForEach(fans[source][0])
