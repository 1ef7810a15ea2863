"""Load and validate plan files (YAML or JSON) into :class:`Plan` values.

The first problem found is raised as a :class:`PlanError` with its line and
column. ``planner lint`` reports every problem instead; it has its own checks.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planner.errors import PlanError
from planner.gcpause import paused_gc
from planner.plan.graphcheck import find_cycle, format_cycle
from planner.plan.model import (
    Alternative,
    Estimate,
    Plan,
    Position,
    Step,
    StepEstimate,
    frozen_mapping,
)
from planner.plan.spec import (
    ESTIMATE_KEYS,
    PATTERNS,
    PLAN_VERSION,
    SHAPES,
    STEP_ESTIMATE_KEYS,
    STEP_KEYS,
    TOP_KEYS,
    Field,
    bound_problem,
    decode,
    integer_value,
    number_value,
    step_id_problem,
)
from planner.plan.yamlnodes import YamlProblem, compose, position, scalar_value, to_python


class _Ctx:
    def __init__(self, path: str | None) -> None:
        self.path = path

    def fail(self, message: str, node: Node | None = None) -> PlanError:
        line, column = position(node) if node is not None else (None, None)
        return PlanError(message, path=self.path, line=line, column=column)


def _pos(node: Node) -> Position:
    mark = node.start_mark  # inlined position(): a large plan has hundreds of thousands
    return Position(mark.line + 1, mark.column + 1)


def _mapping_items(node: Node, what: str, ctx: _Ctx) -> list[tuple[str, Node, Node]]:
    if not isinstance(node, MappingNode):
        raise ctx.fail(f"{what} must be a mapping", node)
    seen: dict[str, Node] = {}
    items: list[tuple[str, Node, Node]] = []
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise ctx.fail(f"{what}: keys must be plain strings", key_node)
        key = str(key_node.value)
        if key in seen:
            line = position(seen[key])[0]
            raise ctx.fail(f"duplicate key '{key}' in {what} (first defined on line {line})", key_node)
        seen[key] = key_node
        items.append((key, key_node, value_node))
    return items


def _scalar(node: Node, key: str, ctx: _Ctx) -> Any:
    if not isinstance(node, ScalarNode):
        raise ctx.fail(f"'{key}' must be a scalar, not a {type(node).__name__[:-4].lower()}", node)
    return scalar_value(node)


def _string(node: Node, key: str, ctx: _Ctx) -> str | None:
    value = _scalar(node, key, ctx)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ctx.fail(f"'{key}' must be a string", node)
    return value


def _int(node: Node, key: str, ctx: _Ctx, field: Field) -> int:
    value = integer_value(_scalar(node, key, ctx))
    if value is None:
        raise ctx.fail(f"'{key}' must be an integer", node)
    problem = bound_problem(field, value)
    if problem:
        raise ctx.fail(f"'{key}' must be {problem}", node)
    return value


def _number(node: Node, key: str, ctx: _Ctx, field: Field) -> float:
    raw = _scalar(node, key, ctx)
    value = number_value(raw)
    if value is None:
        # .nan and .inf are YAML floats; neither is a usable timeout, token count or cost
        finite = " finite" if isinstance(raw, float) else ""
        raise ctx.fail(f"'{key}' must be a{finite} number", node)
    problem = bound_problem(field, value)
    if problem:
        raise ctx.fail(f"'{key}' must be {problem}", node)
    return value


def _required_string(node: Node, key: str, ctx: _Ctx) -> str:
    value = _string(node, key, ctx)
    if value is None:
        raise ctx.fail(f"'{key}' must be a string", node)
    return value


def _string_list(node: Node, key: str, ctx: _Ctx) -> tuple[str, ...]:
    if isinstance(node, ScalarNode) and scalar_value(node) is None:
        return ()
    if not isinstance(node, SequenceNode):
        raise ctx.fail(f"'{key}' must be a list", node)
    out = []
    for item in node.value:
        value = _scalar(item, key, ctx)
        if not isinstance(value, str):
            raise ctx.fail(f"'{key}' items must be strings", item)
        out.append(value)
    return tuple(out)


def _extension(key: str, node: Node, ctx: _Ctx, depth: int) -> Any:
    """An ``x-`` value as plain data; ``depth`` is the node's depth in the document,
    so nesting is measured the way the linter measures it."""
    try:
        return to_python(node, _depth=depth)
    except YamlProblem as exc:
        raise PlanError(exc.message, path=ctx.path, line=exc.line, column=exc.column) from None


def _unknown(key: str, where: str, allowed: Collection[str], node: Node, ctx: _Ctx) -> PlanError:
    import difflib

    hint = difflib.get_close_matches(key, list(allowed), n=1)
    extra = f" (did you mean '{hint[0]}'?)" if hint else ""
    return ctx.fail(f"unknown key '{key}' in {where}{extra}; extension keys start with 'x-'", node)


def _step(node: Node, index: int, ctx: _Ctx, tiers: Collection[str], roles: Collection[str]) -> Step:
    where = f"step {index + 1}"
    items = _mapping_items(node, where, ctx)
    fields: dict[str, Any] = {}
    extensions: dict[str, Any] = {}
    key_positions: dict[str, Position] = {}
    values: dict[str, Node] = {}
    for key, key_node, value_node in items:
        key_positions[key] = _pos(key_node)
        values[key] = value_node
        if key.startswith("x-"):
            extensions[key] = _extension(key, value_node, ctx, 3)
        elif key not in STEP_KEYS:
            raise _unknown(key, where, STEP_KEYS, key_node, ctx)
    if "id" not in values:
        raise ctx.fail(f"{where} has no 'id'", node)
    step_id = _string(values["id"], "id", ctx)
    problem = step_id_problem(step_id)
    if problem:
        raise ctx.fail(problem, values["id"])
    fields["id"] = step_id
    for key in ("title", "prompt", "until"):
        if key in values:
            fields[key] = _string(values[key], key, ctx)
    if "role" in values:
        role = _string(values["role"], "role", ctx)
        if role is not None and role not in roles:
            raise ctx.fail(f"unknown role '{role}' (known: {', '.join(sorted(roles))})", values["role"])
        fields["role"] = role
    if "tier" in values:
        tier = _string(values["tier"], "tier", ctx)
        if tier is not None and tier not in tiers:
            raise ctx.fail(f"unknown tier '{tier}' (known: {', '.join(sorted(tiers))})", values["tier"])
        fields["tier"] = tier
    if "depends_on" in values:
        deps = _string_list(values["depends_on"], "depends_on", ctx)
        seen: set[str] = set()
        for dep in deps:
            if dep in seen:
                raise ctx.fail(f"step '{step_id}' lists '{dep}' more than once in depends_on", values["depends_on"])
            seen.add(dep)
        fields["depends_on"] = deps
    spec = SHAPES["step"].fields
    for key in ("max_rounds", "max_tokens"):
        if key in values:
            fields[key] = _int(values[key], key, ctx, spec[key])
    if "timeout_s" in values:
        fields["timeout_s"] = _number(values["timeout_s"], "timeout_s", ctx, spec["timeout_s"])
    if "output" in values or "for_each" in values:
        fields.update(_contract(values, ctx))
    return Step(
        **fields,
        extensions=frozen_mapping(extensions),
        position=_pos(node),
        key_positions=frozen_mapping(key_positions),
    )


def _estimate(node: Node, ctx: _Ctx) -> Estimate:
    values: dict[str, Node] = {}
    extensions: dict[str, Any] = {}
    for key, key_node, value_node in _mapping_items(node, "estimate", ctx):
        if key.startswith("x-"):
            extensions[key] = _extension(key, value_node, ctx, 2)
        elif key not in ESTIMATE_KEYS:
            raise _unknown(key, "estimate", ESTIMATE_KEYS, key_node, ctx)
        values[key] = value_node
    for key in ESTIMATE_KEYS[:-1]:
        if key not in values:
            raise ctx.fail(f"estimate has no '{key}'", node)
    per_step: list[StepEstimate] = []
    if "per_step" in values:
        seq = values["per_step"]
        if not isinstance(seq, SequenceNode):
            raise ctx.fail("'per_step' must be a list", seq)
        for item in seq.value:
            got = {k: v for k, _, v in _mapping_items(item, "estimate.per_step item", ctx)}
            for k in got:
                if k not in STEP_ESTIMATE_KEYS:
                    raise _unknown(k, "estimate.per_step item", STEP_ESTIMATE_KEYS, got[k], ctx)
            for k in STEP_ESTIMATE_KEYS:
                if k not in got:
                    raise ctx.fail(f"estimate.per_step item has no '{k}'", item)
            item_spec = SHAPES["per_step"].fields
            per_step.append(
                StepEstimate(
                    id=_required_string(got["id"], "id", ctx),
                    tier=_required_string(got["tier"], "tier", ctx),
                    tokens=_int(got["tokens"], "tokens", ctx, item_spec["tokens"]),
                    cost_usd=_number(got["cost_usd"], "cost_usd", ctx, item_spec["cost_usd"]),
                    seconds=_number(got["seconds"], "seconds", ctx, item_spec["seconds"]),
                )
            )
    spec = SHAPES["estimate"].fields
    return Estimate(
        tokens=_int(values["tokens"], "tokens", ctx, spec["tokens"]),
        cost_usd=_number(values["cost_usd"], "cost_usd", ctx, spec["cost_usd"]),
        critical_path_s=_number(values["critical_path_s"], "critical_path_s", ctx, spec["critical_path_s"]),
        sequential_s=_number(values["sequential_s"], "sequential_s", ctx, spec["sequential_s"]),
        speedup=_number(values["speedup"], "speedup", ctx, spec["speedup"]),
        per_step=tuple(per_step),
        extensions=frozen_mapping(extensions),
    )


def _alternatives(node: Node, ctx: _Ctx) -> tuple[Alternative, ...]:
    if not isinstance(node, SequenceNode):
        raise ctx.fail("'alternatives' must be a list", node)
    out = []
    for item in node.value:
        got = {k: v for k, _, v in _mapping_items(item, "alternative", ctx)}
        for k in got:
            if k not in ("pattern", "score"):
                raise _unknown(k, "alternative", ("pattern", "score"), got[k], ctx)
        if "pattern" not in got or "score" not in got:
            raise ctx.fail("each alternative needs 'pattern' and 'score'", item)
        pattern = _string(got["pattern"], "pattern", ctx) or ""
        if pattern not in PATTERNS:
            raise ctx.fail(f"unknown pattern '{pattern}'", got["pattern"])
        out.append(Alternative(pattern, _number(got["score"], "score", ctx, SHAPES["alternative"].fields["score"])))
    return tuple(out)


def plan_from_node(
    root: Node | None,
    *,
    path: str | None = None,
    tiers: Collection[str],
    roles: Collection[str],
) -> Plan:
    ctx = _Ctx(path)
    if root is None:
        raise ctx.fail("plan file is empty")
    items = _mapping_items(root, "the plan", ctx)
    values: dict[str, Node] = {}
    extensions: dict[str, Any] = {}
    key_positions: dict[str, Position] = {}
    for key, key_node, value_node in items:
        key_positions[key] = _pos(key_node)
        if key.startswith("x-"):
            extensions[key] = _extension(key, value_node, ctx, 1)
        elif key not in TOP_KEYS:
            raise _unknown(key, "the plan", TOP_KEYS, key_node, ctx)
        values[key] = value_node
    if "version" not in values:
        raise ctx.fail("plan has no 'version' (add 'version: 1')", root)
    version = _scalar(values["version"], "version", ctx)
    if version != PLAN_VERSION or isinstance(version, bool):
        raise ctx.fail(
            f"unsupported plan version {version} (this planner reads {PLAN_VERSION})", values["version"]
        )
    if "steps" not in values:
        raise ctx.fail("plan has no 'steps'", root)
    steps_node = values["steps"]
    if not isinstance(steps_node, SequenceNode):
        raise ctx.fail("'steps' must be a list of steps", steps_node)
    if not steps_node.value:
        raise ctx.fail("plan has no steps", steps_node)
    steps = [_step(n, i, ctx, tiers, roles) for i, n in enumerate(steps_node.value)]
    seen: dict[str, Step] = {}
    for step in steps:
        if step.id in seen:
            first = seen[step.id].position
            raise PlanError(
                f"duplicate step id '{step.id}'" + (f" (first defined on line {first.line})" if first else ""),
                path=path,
                line=step.key_positions["id"].line,
                column=step.key_positions["id"].column,
            )
        seen[step.id] = step
    _check_dependencies(steps, path)
    check_contracts(steps, path)
    pattern = _string(values["pattern"], "pattern", ctx) if "pattern" in values else None
    if pattern is not None and pattern not in PATTERNS:
        raise ctx.fail(f"unknown pattern '{pattern}' (known: {', '.join(PATTERNS)})", values["pattern"])
    return Plan(
        version=PLAN_VERSION,
        task=_string(values["task"], "task", ctx) if "task" in values else None,
        pattern=pattern,
        confidence=_number(values["confidence"], "confidence", ctx, SHAPES["plan"].fields["confidence"])
        if "confidence" in values
        else None,
        steps=tuple(steps),
        rationale=_string_list(values["rationale"], "rationale", ctx) if "rationale" in values else (),
        alternatives=_alternatives(values["alternatives"], ctx) if "alternatives" in values else (),
        estimate=_estimate(values["estimate"], ctx) if "estimate" in values else None,
        extensions=frozen_mapping(extensions),
        source=path,
        key_positions=frozen_mapping(key_positions),
    )


def _contract(values: dict[str, Node], ctx: _Ctx) -> dict[str, Any]:
    """The step's ``output`` and ``for_each`` (see planner.plan.contracts)."""
    from planner.plan.contracts import FOR_EACH_KEYS, ForEach, schema_error

    fields: dict[str, Any] = {}
    if "output" in values:
        node = values["output"]
        if not isinstance(node, MappingNode):
            raise ctx.fail("'output' must be a mapping holding a JSON Schema", node)
        schema = _extension("output", node, ctx, 3)
        problem = schema_error(schema)
        if problem is not None:
            raise ctx.fail(f"'output' {problem}", node)
        fields["output"] = schema
    if "for_each" in values:
        got = {k: v for k, _, v in _mapping_items(values["for_each"], "for_each", ctx)}
        for key in got:
            if key not in FOR_EACH_KEYS:
                raise _unknown(key, "for_each", FOR_EACH_KEYS, got[key], ctx)
        if "from" not in got:
            raise ctx.fail("for_each has no 'from' (the dependency whose list it runs over)", values["for_each"])
        source = _string(got["from"], "from", ctx) or ""
        bound = _int(got["max_parallel"], "max_parallel", ctx, SHAPES["for_each"].fields["max_parallel"]) if "max_parallel" in got else None
        fields["for_each"] = ForEach(source, bound)
    return fields


def check_contracts(steps: list[Step], path: str | None) -> None:
    """A for_each runs over one of the step's dependencies, and that one gives a list."""
    by_id = {s.id: s for s in steps}
    for step in steps:
        if step.for_each is None:
            continue
        where = step.key_positions.get("for_each", step.position)
        line, column = (where.line, where.column) if where else (None, None)
        source = step.for_each.source
        if source not in step.depends_on:
            raise PlanError(
                f"step '{step.id}': for_each.from '{source}' must be one of its depends_on",
                path=path, line=line, column=column,
            )
        if not by_id[source].gives_list:
            raise PlanError(
                f"step '{step.id}' runs for each item of '{source}', whose output is not a list "
                f"(give '{source}' an output schema with type: array)",
                path=path, line=line, column=column,
            )


def _check_dependencies(steps: list[Step], path: str | None) -> None:
    ids = {s.id for s in steps}
    for step in steps:
        where = step.key_positions.get("depends_on", step.position)
        line, column = (where.line, where.column) if where else (None, None)
        for dep in step.depends_on:
            if dep == step.id:
                raise PlanError(f"step '{step.id}' depends on itself", path=path, line=line, column=column)
            if dep not in ids:
                raise PlanError(
                    f"step '{step.id}' depends on unknown step '{dep}'", path=path, line=line, column=column
                )
    validate_acyclic(steps, path)


def validate_acyclic(steps: tuple[Step, ...] | list[Step], path: str | None = None) -> None:
    """Raise :class:`PlanError` naming the cycle if the steps' dependencies loop."""
    cycle = find_cycle([s.id for s in steps], {s.id: s.depends_on for s in steps})
    if cycle:
        first = next(s for s in steps if s.id == cycle[0])
        pos = first.key_positions.get("depends_on", first.position)
        raise PlanError(
            f"dependency cycle: {format_cycle(cycle)}",
            path=path,
            line=pos.line if pos else None,
            column=pos.column if pos else None,
        )


def read_text(path: Path) -> str:
    """Read a plan file as UTF-8 with clear errors for the usual failures.

    Only a regular file is read (a FIFO or a device is refused at once), and
    at most :data:`~planner.plan.spec.MAX_PLAN_BYTES` of it.
    """
    from planner.plan.source import read_plan_bytes

    return decode(read_plan_bytes(path), str(path))


def parse_plan_text(
    text: str,
    *,
    path: str | None = None,
    tiers: Collection[str] | None = None,
    roles: Collection[str] | None = None,
) -> Plan:
    """Validate plan text; tiers and roles default to the built-in configuration."""
    if tiers is None or roles is None:
        from planner.config import default_config

        cfg = default_config()
        tiers = cfg.tiers if tiers is None else tiers
        roles = cfg.roles if roles is None else roles
    with paused_gc():  # a large plan makes many objects and no cycles (see paused_gc)
        try:
            return plan_from_node(compose(text), path=path, tiers=tiers, roles=roles)
        except YamlProblem as exc:
            raise PlanError(exc.message, path=path, line=exc.line, column=exc.column) from None


def _looks_like_path(source: str) -> bool:
    return "\n" not in source and (
        os.path.exists(source) or source.endswith((".yaml", ".yml", ".json"))
    )


def load_plan(source: str | os.PathLike[str], *, config: Any = None) -> Plan:
    """Load a plan from a path or from YAML/JSON text.

    >>> plan = load_plan("version: 1\\nsteps:\\n  - id: only\\n")
    >>> plan.steps[0].id
    'only'

    Unknown tiers and roles are checked against ``config`` (a
    :class:`planner.config.Config`), by default the configuration found from
    the plan file's folder upward.
    """
    from planner.config import Config, load_config
    from planner.errors import check_arg

    check_arg("load_plan", "source", source, (str, os.PathLike), "a path or YAML/JSON text (str)")
    if config is not None:
        check_arg("load_plan", "config", config, Config, "a planner.config.Config or None")
    cfg: Config
    if isinstance(source, os.PathLike) or _looks_like_path(str(source)):
        path = Path(source)
        cfg = config if config is not None else load_config(path.parent if path.parent.is_dir() else None)
        text = read_text(path)
        return parse_plan_text(text, path=str(source), tiers=cfg.tiers, roles=cfg.roles)
    cfg = config if config is not None else load_config()
    return parse_plan_text(str(source), tiers=cfg.tiers, roles=cfg.roles)


