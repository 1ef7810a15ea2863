"""Structural checks on the composed YAML nodes: every schema problem, with its position.

Unlike the loader, which stops at the first error, this walks the whole
document and reports everything it finds. It never expands aliases beyond
what the schema needs, so alias bombs and deep nesting stay cheap.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NamedTuple

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planner.linter.finding import Fix
from planner.plan.graphcheck import find_cycle, format_cycle
from planner.plan.spec import (
    ESTIMATE_KEYS,
    PATTERNS,
    PLAN_VERSION,
    SHAPES,
    STEP_ESTIMATE_KEYS,
    Field,
    allows_key,
    bound_problem,
    integer_value,
    number_value,
    step_id_problem,
)
from planner.plan.yamlnodes import MAX_DEPTH, MAX_NODES, TOO_DEEP, position, scalar_value

# How many separate cycles to report before giving up (each costs a search).
MAX_CYCLES = 20


class Raw(NamedTuple):
    """A finding before configuration decides its severity and whether it is shown."""

    code: str
    message: str
    line: int
    column: int
    fix: Fix | None = None


class StepView:
    """What the design checks need to know about one well-formed step."""

    __slots__ = (
        "column",
        "depends_on",
        "id",
        "index",
        "items",
        "line",
        "max_rounds",
        "places",
        "prompt",
        "role",
        "tier",
        "title",
        "until",
    )

    def __init__(
        self,
        index: int,
        id: str,
        line: int,
        column: int,
        *,
        title: str | None = None,
        role: str | None = None,
        tier: str | None = None,
        prompt: str | None = None,
        until: str | None = None,
        max_rounds: int | None = None,
        items: dict[str, tuple[Node, Node]] | None = None,
        keys: dict[str, tuple[int, int]] | None = None,
        values: dict[str, tuple[int, int]] | None = None,
    ) -> None:
        self.index = index
        self.id = id
        self.line = line
        self.column = column
        self.title = title
        self.role = role
        self.tier = tier
        self.prompt = prompt
        self.until = until
        self.max_rounds = max_rounds
        self.depends_on: list[str] = []  # resolved dependencies, filled in after all steps are read
        # The step's keys and values as written; positions are worked out only
        # for the few a finding points at (a large plan has hundreds of thousands).
        self.items = items or {}
        # Positions given outright, by readers of other formats (framework configs)
        # whose steps have no YAML nodes of a plan: (keys, values).
        self.places = (keys or {}, values or {})

    def key_at(self, key: str) -> tuple[int, int]:
        """1-based position of ``key`` in the file, or of the step without it."""
        item = self.items.get(key)
        if item:
            return position(item[0])
        return self.places[0].get(key, (self.line, self.column))

    def value_at(self, key: str) -> tuple[int, int]:
        """1-based position of ``key``'s value, or of the step without it."""
        item = self.items.get(key)
        if item:
            return position(item[1])
        return self.places[1].get(key, (self.line, self.column))


class Document:
    """The result of the structural pass."""

    def __init__(self, raws: list[Raw]) -> None:
        self.raws = raws
        self.steps: list[StepView] = []
        self.steps_pos = (1, 1)
        # The plan's task text when it is a string (the design checks read its stakes).
        self.task: str | None = None
        # The plan's pattern when it is a known slug (fixes that reshape the graph keep it true).
        self.pattern: str | None = None
        # True when the dependency graph is sound enough for the graph checks.
        self.graph_ok = False


class _Out:
    def __init__(self) -> None:
        self.raws: list[Raw] = []
        # Step contracts by step number: (step id, output node, for_each node).
        self.contracts: dict[int, tuple[str, Node | None, Node | None]] = {}

    def add(
        self, code: str, message: str, where: Node | tuple[int, int], fix: Fix | None = None
    ) -> None:
        line, column = position(where) if isinstance(where, Node) else where
        self.raws.append(Raw(code, message, line, column, fix))


def _close(word: str, options: Collection[str]) -> list[str]:
    """The nearest known word, for "did you mean" hints (difflib is imported only when needed)."""
    import difflib

    return difflib.get_close_matches(word, list(options), n=1)


# Up to this many step ids, "did you mean" compares an unknown id with all of
# them (difflib, as for keys, roles and tiers). Beyond it, that was quadratic:
# a 5,000-step plan whose references were all misspelt took minutes, since one
# comparison against 50,000 ids takes seconds. Large plans compare only with
# the ids one edit away (a letter added, dropped, changed or two swapped),
# found through an index of each id with one letter deleted.
_ALL_IDS_HINT_LIMIT = 500


class _IdHints:
    """The nearest step id for a reference to an unknown one."""

    def __init__(self, ids: Collection[str]) -> None:
        self._ids = sorted(ids)
        self._index: dict[str, list[str]] | None = None

    def nearest(self, word: str) -> list[str]:
        if len(self._ids) <= _ALL_IDS_HINT_LIMIT:
            return _close(word, self._ids)
        if self._index is None:
            self._index = {}
            for sid in self._ids:
                for key in _deletions(sid):
                    self._index.setdefault(key, []).append(sid)
        near = {sid for key in _deletions(word) for sid in self._index.get(key, ())}
        return _close(word, sorted(near)) if near else []


def _deletions(word: str) -> set[str]:
    """The word and each way of deleting one character from it (for edit-distance-1 lookups)."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    value = scalar_value(node) if isinstance(node, ScalarNode) else None
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a " + type(value).__name__


def _duplicate_keys(root: Node, out: _Out) -> None:
    """Report repeated keys in every mapping of the document (aliases visited once)."""
    # Only mappings and lists go on the stack: scalars, most of a plan's nodes,
    # are checked where they are met (their depth), which halves the walk.
    seen_nodes: set[int] = set()
    stack: list[tuple[Node, int]] = []
    aliased = too_deep = False

    def meet(node: Node, depth: int) -> None:
        nonlocal too_deep
        if isinstance(node, ScalarNode):
            if depth > MAX_DEPTH and not too_deep:
                out.add("PL001", TOO_DEEP, node)
                too_deep = True
        else:
            stack.append((node, depth))

    meet(root, 0)
    while stack:
        node, depth = stack.pop()
        if id(node) in seen_nodes:
            aliased = True
            continue
        if depth > MAX_DEPTH:
            if not too_deep:
                out.add("PL001", TOO_DEEP, node)
                too_deep = True
            continue
        seen_nodes.add(id(node))
        if isinstance(node, MappingNode):
            first: dict[Any, Node] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode):
                    key = (key_node.tag, key_node.value)
                    if key in first:
                        out.add(
                            "PL008",
                            f"duplicate key '{key_node.value}' (first defined on line "
                            f"{position(first[key])[0]}; YAML readers keep only the last one)",
                            key_node,
                        )
                    else:
                        first[key] = key_node
                meet(value_node, depth + 1)
        elif isinstance(node, SequenceNode):
            for item in node.value:
                meet(item, depth + 1)
    # An alias bomb is measured by what the aliases add, not by the size of
    # the document: a 50,000-step plan has more nodes than the limit on its
    # own, and one anchor in it must not make it a "bomb".
    if aliased and not too_deep:
        limit = MAX_NODES + written_size(root)
        if _expanded_size(root, limit) > limit:
            out.add(
                "PL001", f"YAML aliases expand to more than {MAX_NODES:,} nodes (alias bomb?)", root
            )


def written_size(root: Node) -> int:
    """How many nodes the document has as written (each aliased node once)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return len(seen)


def _expanded_size(root: Node, limit: int) -> int:
    """How many nodes the document would have with every alias expanded (memoised),
    counted up to ``limit + 1``."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[Node] = []
        if isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, SequenceNode):
            children = list(node.value)
        if done:
            sizes[id(node)] = min(1 + sum(sizes[id(c)] for c in children), limit + 1)
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def _items(node: MappingNode, where: str, out: _Out) -> dict[str, tuple[Node, Node]]:
    """Key -> (key node, value node), first occurrence wins (duplicates are PL008)."""
    items: dict[str, tuple[Node, Node]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            out.add(
                "PL005", f"keys in {where} must be plain strings, not {_kind(key_node)}", key_node
            )
            continue
        # The last one wins, as in every YAML reader (the duplicate itself is PL008).
        items[str(key_node.value)] = (key_node, value_node)
    return items


def _unknown_keys(items: dict[str, tuple[Node, Node]], shape: str, where: str, out: _Out) -> None:
    allowed = SHAPES[shape].fields
    for key, (key_node, _) in items.items():
        if allows_key(shape, key):
            continue
        hint = _close(key, list(allowed))
        extra = f" (did you mean '{hint[0]}'?)" if hint else ""
        tail = "; extension keys start with 'x-'" if SHAPES[shape].extensions else ""
        out.add("PL003", f"unknown key '{key}' in {where}{extra}{tail}", key_node)


def _string(node: Node, key: str, out: _Out, *, nullable: bool = True) -> tuple[bool, str | None]:
    """(ok, value): a string (or null when ``nullable``); anything else is reported."""
    if isinstance(node, ScalarNode):
        value = scalar_value(node)
        if isinstance(value, str) or (value is None and nullable):
            return True, value
    out.add("PL005", f"'{key}' must be a string, not {_kind(node)}", node)
    return False, None


def _integer(node: Node, key: str, out: _Out, field: Field) -> int | None:
    raw = scalar_value(node) if isinstance(node, ScalarNode) else None
    value = integer_value(raw) if isinstance(node, ScalarNode) else None
    if value is None:
        out.add("PL005", f"'{key}' must be an integer, not {_kind(node)}", node)
        return None
    problem = bound_problem(field, value)
    if problem:
        out.add("PL006", f"'{key}' must be {problem} (got {value})", node)
        return None
    return value


def _number(node: Node, key: str, out: _Out, field: Field) -> None:
    raw = scalar_value(node) if isinstance(node, ScalarNode) else None
    value = number_value(raw) if isinstance(node, ScalarNode) else None
    if value is None:
        if isinstance(raw, float):  # .nan, .inf: JSON has neither, and NaN compares false with every bound
            out.add("PL006", f"'{key}' must be a finite number (got {raw})", node)
        else:
            out.add("PL005", f"'{key}' must be a number, not {_kind(node)}", node)
        return
    problem = bound_problem(field, value)
    if problem:
        out.add("PL006", f"'{key}' must be {problem} (got {raw})", node)


def _string_list(node: Node, key: str, out: _Out) -> list[tuple[str, ScalarNode]] | None:
    if isinstance(node, ScalarNode) and scalar_value(node) is None:
        return []
    if not isinstance(node, SequenceNode):
        out.add("PL005", f"'{key}' must be a list of strings, not {_kind(node)}", node)
        return None
    result: list[tuple[str, ScalarNode]] = []
    for item in node.value:
        value = scalar_value(item) if isinstance(item, ScalarNode) else None
        if not isinstance(item, ScalarNode) or not isinstance(value, str):
            out.add("PL005", f"'{key}' items must be strings, not {_kind(item)}", item)
        else:
            result.append((value, item))
    return result


def check_document(
    root: Node | None, *, tiers: Collection[str], roles: Collection[str]
) -> Document:
    """Run every structural check and collect the well-formed steps."""
    out = _Out()
    doc = Document(out.raws)
    if root is None:
        out.add("PL013", "plan file is empty (add 'version: 1' and at least one step)", (1, 1))
        return doc
    _duplicate_keys(root, out)
    if not isinstance(root, MappingNode):
        out.add(
            "PL005", f"a plan must be a mapping with 'version' and 'steps', not {_kind(root)}", root
        )
        return doc
    top = _items(root, "the plan", out)
    _unknown_keys(top, "plan", "the plan", out)
    if "version" not in top:
        out.add("PL004", "plan has no 'version' (add 'version: 1')", root)
    else:
        vnode = top["version"][1]
        version = scalar_value(vnode) if isinstance(vnode, ScalarNode) else None
        if isinstance(version, bool) or version != PLAN_VERSION:
            if isinstance(version, int) and not isinstance(version, bool):
                shown = str(version)
            else:
                shown = (
                    f"{_kind(vnode)} {vnode.value!r}"
                    if isinstance(vnode, ScalarNode)
                    else _kind(vnode)
                )
            out.add(
                "PL007",
                f"unsupported plan version {shown} (this planner reads {PLAN_VERSION})",
                vnode,
            )
    if "task" in top:
        ok, task = _string(top["task"][1], "task", out)
        doc.task = task if ok else None
    if "pattern" in top:
        ok, pattern = _string(top["pattern"][1], "pattern", out)
        if ok and pattern is not None and pattern not in PATTERNS:
            hint = _close(pattern, PATTERNS)
            extra = f" (did you mean '{hint[0]}'?)" if hint else f" (known: {', '.join(PATTERNS)})"
            out.add("PL006", f"unknown pattern '{pattern}'{extra}", top["pattern"][1])
        elif ok:
            doc.pattern = pattern
    if "confidence" in top:
        _number(top["confidence"][1], "confidence", out, SHAPES["plan"].fields["confidence"])
    if "rationale" in top:
        _string_list(top["rationale"][1], "rationale", out)
    if "alternatives" in top:
        _alternatives(top["alternatives"][1], out)
    if "estimate" in top:
        _estimate(top["estimate"][1], out)
    if "steps" not in top:
        out.add("PL004", "plan has no 'steps'", root)
        return doc
    steps_node = top["steps"][1]
    doc.steps_pos = position(top["steps"][0])
    if isinstance(steps_node, ScalarNode) and scalar_value(steps_node) is None:
        out.add("PL013", "plan has no steps", top["steps"][0])
        return doc
    if not isinstance(steps_node, SequenceNode):
        out.add("PL005", f"'steps' must be a list of steps, not {_kind(steps_node)}", steps_node)
        return doc
    if not steps_node.value:
        out.add("PL013", "plan has no steps", steps_node)
        return doc
    views: list[StepView] = []
    dep_nodes: dict[int, list[tuple[str, ScalarNode]]] = {}
    id_nodes: dict[str, Node] = {}
    all_ids: set[str] = set()
    for index, node in enumerate(steps_node.value):
        view = _step(node, index, tiers, roles, out, dep_nodes)
        if view is None:
            continue
        all_ids.add(view.id)
        if view.id in id_nodes:
            first = position(id_nodes[view.id])[0]
            out.add(
                "PL009",
                f"duplicate step id '{view.id}' (first defined on line {first})",
                view.value_at("id"),
            )
            continue
        id_nodes[view.id] = node
        views.append(view)
    doc.steps = views
    graph_ok = len(views) == len(steps_node.value)
    hints = _IdHints(all_ids)
    for view in views:
        listed: set[str] = set()
        for dep, item in dep_nodes.get(view.index, []):
            if dep in listed:
                out.add(
                    "PL006", f"step '{view.id}' lists '{dep}' more than once in depends_on", item
                )
                continue
            listed.add(dep)
            if dep == view.id:
                out.add("PL011", f"step '{view.id}' depends on itself", item)
                graph_ok = False
            elif dep not in all_ids:
                hint = hints.nearest(dep)
                extra = f" (did you mean '{hint[0]}'?)" if hint else ""
                out.add("PL010", f"step '{view.id}' depends on unknown step '{dep}'{extra}", item)
                graph_ok = False
            else:
                view.depends_on.append(dep)
    if out.contracts:
        from planner.linter.contracts import check_contracts

        check_contracts(views, out.contracts, out)
    if _cycles(views, out):
        graph_ok = False
    doc.graph_ok = graph_ok
    return doc


def _cycles(views: list[StepView], out: _Out) -> bool:
    order = [v.id for v in views]
    deps = {v.id: list(v.depends_on) for v in views}
    by_id = {v.id: v for v in views}
    found = False
    for _ in range(MAX_CYCLES):
        cycle = find_cycle(order, deps)
        if cycle is None:
            break
        found = True
        first = by_id[cycle[0]]
        where = first.key_at("depends_on")
        out.add("PL012", f"dependency cycle: {format_cycle(cycle)}", where)
        # Cut the edge that closes this cycle and look for another one.
        deps[cycle[-2]].remove(cycle[-1])
    return found


def _step(
    node: Node,
    index: int,
    tiers: Collection[str],
    roles: Collection[str],
    out: _Out,
    dep_nodes: dict[int, list[tuple[str, ScalarNode]]],
) -> StepView | None:
    where = f"step {index + 1}"
    if not isinstance(node, MappingNode):
        out.add(
            "PL005", f"{where} must be a mapping with at least an 'id', not {_kind(node)}", node
        )
        return None
    items = _items(node, where, out)
    _unknown_keys(items, "step", where, out)
    values = {k: v for k, (_, v) in items.items()}
    step_id: str | None = None
    if "id" not in values:
        out.add("PL004", f"{where} has no 'id'", node)
    else:
        ok, step_id = _string(values["id"], "id", out)
        problem = step_id_problem(step_id) if ok else None
        if problem:
            out.add("PL006", problem, values["id"])
            step_id = None
    texts: dict[str, str | None] = {}
    for key in ("title", "prompt", "until", "role", "tier"):
        if key in values:
            texts[key] = _string(values[key], key, out)[1]
    role, tier = texts.get("role"), texts.get("tier")
    if role is not None and role not in roles:
        hint = _close(role, sorted(roles))
        extra = f"did you mean '{hint[0]}'?" if hint else f"known: {', '.join(sorted(roles))}"
        out.add("PL015", f"unknown role '{role}' ({extra})", values["role"])
        role = None
    if tier is not None and tier not in tiers:
        hint = _close(tier, sorted(tiers))
        extra = f"did you mean '{hint[0]}'?" if hint else f"known: {', '.join(sorted(tiers))}"
        out.add("PL014", f"unknown tier '{tier}' ({extra})", values["tier"])
        tier = None
    spec = SHAPES["step"].fields
    max_rounds = (
        _integer(values["max_rounds"], "max_rounds", out, spec["max_rounds"]) if "max_rounds" in values else None
    )
    if "max_tokens" in values:
        _integer(values["max_tokens"], "max_tokens", out, spec["max_tokens"])
    if "timeout_s" in values:
        _number(values["timeout_s"], "timeout_s", out, spec["timeout_s"])
    deps = _string_list(values["depends_on"], "depends_on", out) if "depends_on" in values else []
    if step_id is None:
        return None
    dep_nodes[index] = deps or []
    if "output" in values or "for_each" in values:
        out.contracts[index] = (step_id, values.get("output"), values.get("for_each"))
    line, column = position(node)
    return StepView(
        index=index,
        id=step_id,
        line=line,
        column=column,
        title=texts.get("title"),
        role=role,
        tier=tier,
        prompt=texts.get("prompt"),
        until=texts.get("until"),
        max_rounds=max_rounds,
        items=items,
    )


def _alternatives(node: Node, out: _Out) -> None:
    if not isinstance(node, SequenceNode):
        out.add("PL005", f"'alternatives' must be a list, not {_kind(node)}", node)
        return
    for item in node.value:
        if not isinstance(item, MappingNode):
            out.add("PL005", f"each alternative must be a mapping, not {_kind(item)}", item)
            continue
        got = _items(item, "an alternative", out)
        _unknown_keys(got, "alternative", "an alternative", out)
        for key in ("pattern", "score"):
            if key not in got:
                out.add("PL004", f"alternative has no '{key}'", item)
        if "pattern" in got:
            ok, pattern = _string(got["pattern"][1], "pattern", out)
            if ok and pattern not in PATTERNS:
                out.add("PL006", f"unknown pattern '{pattern}' in alternatives", got["pattern"][1])
        if "score" in got:
            _number(got["score"][1], "score", out, SHAPES["alternative"].fields["score"])


def _estimate(node: Node, out: _Out) -> None:
    if not isinstance(node, MappingNode):
        out.add("PL005", f"'estimate' must be a mapping, not {_kind(node)}", node)
        return
    got = _items(node, "estimate", out)
    _unknown_keys(got, "estimate", "estimate", out)
    spec = SHAPES["estimate"].fields
    for key in ESTIMATE_KEYS[:-1]:
        if key not in got:
            out.add("PL004", f"estimate has no '{key}'", node)
        elif key == "tokens":
            _integer(got[key][1], key, out, spec[key])
        else:
            _number(got[key][1], key, out, spec[key])
    if "per_step" not in got:
        return
    seq = got["per_step"][1]
    if not isinstance(seq, SequenceNode):
        out.add("PL005", f"'per_step' must be a list, not {_kind(seq)}", seq)
        return
    for item in seq.value:
        if not isinstance(item, MappingNode):
            out.add("PL005", f"estimate.per_step items must be mappings, not {_kind(item)}", item)
            continue
        entry = _items(item, "an estimate.per_step item", out)
        _unknown_keys(entry, "per_step", "an estimate.per_step item", out)
        item_spec = SHAPES["per_step"].fields
        for key in STEP_ESTIMATE_KEYS:
            if key not in entry:
                out.add("PL004", f"estimate.per_step item has no '{key}'", item)
            elif key in ("id", "tier"):
                _string(entry[key][1], key, out, nullable=False)
            elif key == "tokens":
                _integer(entry[key][1], key, out, item_spec[key])
            else:
                _number(entry[key][1], key, out, item_spec[key])
