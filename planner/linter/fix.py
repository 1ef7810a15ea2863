"""Apply fixes to plan text by splicing: every line a fix does not edit stays byte for byte.

A fix never re-writes the document. The text is composed once (PyYAML keeps
where every key and value starts and ends), each edit becomes a splice of the
original text (a value replaced where it stands, a key's line inserted after
the key it follows, an entry's lines removed, a step's lines appended after
the last step) written in the style around it (block or flow, quoting,
indentation, line endings), and all splices are made at once. Comments,
anchors, blank lines and the formatting of everything else are never touched,
because nothing else is ever written.

Every result is checked: the new text must mean exactly the old document with
the edits made (the same data, compared with aliases expanded) and keep every
suppression comment. A fix whose splice would mean anything else (an aliased
value, a shape the splicer does not handle) is not made and stays reported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planner.linter.finding import Edit, Finding, Fix

MAX_PASSES = 10


def applicable(findings: Sequence[Finding], *, unsafe: bool) -> list[Fix]:
    return [f.fix for f in findings if f.fix and (f.fix.applicability == "safe" or unsafe)]


# ------------------------------------------------------------------ line edits


def _line_edits(text: str, fixes: list[Fix]) -> tuple[str, list[Fix]]:
    """Replace whole lines (suppression comments); the document must mean the same after."""
    lines = text.splitlines(keepends=True)
    chosen: list[Fix] = []
    touched: set[int] = set()
    for fix in fixes:
        targets = {e.line for e in fix.edits if e.line is not None}
        if targets & touched or any(not (1 <= t <= len(lines)) for t in targets):
            continue
        touched |= targets
        chosen.append(fix)

    def apply(selected: list[Fix]) -> str:
        trial = list(lines)
        for fix in selected:
            for edit in fix.edits:
                assert edit.line is not None
                old = trial[edit.line - 1]
                trial[edit.line - 1] = str(edit.value) + old[len(old.rstrip("\r\n")) :]
        return "".join(trial)

    # Line edits only touch comments: if the document would mean anything else
    # afterwards, an edit is wrong and is not made. All are tried together
    # first (one check, however many stale suppressions), then one at a time.
    if not chosen:
        return text, []
    meaning = _meaning(text)
    together = apply(chosen)
    if _meaning(together) == meaning:
        return together, chosen
    done = [fix for fix in chosen if _meaning(apply([fix])) == meaning]
    return apply(done), done


def _meaning(text: str, root: Node | None = None) -> object:
    """The data a YAML text stands for, or a marker when it does not parse.

    Built with the guarded converter, so an alias bomb costs nothing here either.
    ``root``: the text's composed nodes, when the caller has them.
    """
    from planner.plan.yamlnodes import MAX_NODES, YamlProblem, compose, to_python

    try:
        if root is None:
            root = compose(text)
        if root is None:
            return None
        # The converter's budget is its alias-bomb guard; a large plan written
        # out has more nodes than that on its own, so what aliases may add is
        # measured above the document's own size (as the linter does). Without
        # a '*' there is no alias, and nothing to measure.
        if "*" in text:
            from planner.linter.structure import written_size

            budget = MAX_NODES + written_size(root)
        else:
            budget = 1 << 62
        return to_python(root, [budget])
    except YamlProblem:
        return _UNPARSABLE


_UNPARSABLE = object()


# ------------------------------------------------------------- the splicer


class _Splice(NamedTuple):
    start: int
    end: int
    text: str
    order: tuple[int, int]  # (fix, edit): ties at one position keep the order the edits came in


class _Unfixable(Exception):
    """This edit cannot be spliced safely here; its fix is left undone."""


class _Text:
    """The original text, its nodes, and how it writes lines."""

    def __init__(self, text: str, root: MappingNode, steps: SequenceNode) -> None:
        self.text = text
        self.root = root
        self.steps = steps
        self.eol = "\r\n" if "\r\n" in text else "\n"
        self.shared = _shared_nodes(root)

    def line_start(self, at: int) -> int:
        return self.text.rfind("\n", 0, at) + 1

    def line_end(self, at: int) -> int:
        """Index just after the line break of the line holding ``at`` (or the end of the text)."""
        nl = self.text.find("\n", at)
        return len(self.text) if nl < 0 else nl + 1

    def eol_before(self, at: int) -> str:
        """The line break of the line that ends at ``at`` (the file's own, as written there)."""
        if at >= 2 and self.text[at - 2 : at] == "\r\n":
            return "\r\n"
        return "\n" if at >= 1 and self.text[at - 1] == "\n" else self.eol

    def after_key(self, key: Node) -> int:
        """Where the value of a mapping key starts to be written: past the colon and spaces."""
        at = int(key.end_mark.index)
        text = self.text
        while at < len(text) and text[at] in " \t":
            at += 1
        if at < len(text) and text[at] == ":":
            at += 1
        while at < len(text) and text[at] in " \t":
            at += 1
        return at

    def alias_after(self, key: Node) -> tuple[int, int] | None:
        """The span of ``*name`` written as this key's value, if it is an alias."""
        at = self.after_key(key)
        if not self.text.startswith("*", at):
            return None
        end = at + 1
        while end < len(self.text) and self.text[end] not in " \t\r\n,[]{}#":
            end += 1
        return at, end

    def _own(self, key: Node | None, node: Node) -> tuple[int, int] | None:
        """The alias span when ``node`` is written here as an alias; None when its
        own marks tell where it is. Marks of an aliased node point at its anchor,
        so anything else shared cannot be located and is refused."""
        if key is not None and id(key) in self.shared:
            raise _Unfixable("an aliased key")
        if id(node) not in self.shared:
            return None
        if key is not None:
            alias = self.alias_after(key)
            if alias is not None:
                return alias
            if self.text.startswith("&", self.after_key(key)):
                return None  # the anchor itself
        raise _Unfixable("an aliased node with no key to find it by")

    def tail(self, key: Node | None, node: Node) -> tuple[int, bool]:
        """Where the text of a value ends, and whether it ends with a block scalar
        (which ends at the start of the line after it). A block collection ends
        with its last item."""
        alias = self._own(key, node)
        if alias is not None:
            return alias[1], False
        if isinstance(node, MappingNode) and not node.flow_style and node.value:
            k, v = node.value[-1]
            return self.tail(k, v)
        if isinstance(node, SequenceNode) and not node.flow_style and node.value:
            return self.tail(None, node.value[-1])
        return int(node.end_mark.index), isinstance(node, ScalarNode) and node.style in ("|", ">")

    def content_end(self, key: Node | None, node: Node) -> int:
        return self.tail(key, node)[0]

    def entry_end(self, key: Node | None, node: Node) -> int:
        """Just after the last line of a value: its line break, end-of-line comment included."""
        end, block = self.tail(key, node)
        return end if block else self.line_end(end)

    def first_on_line(self, at: int) -> bool:
        start = self.line_start(at)
        return self.text[start:at].strip() == ""

    def value_span(self, key: Node, node: Node) -> tuple[int, int]:
        """The text a new value replaces: the alias, or the value after its anchor (kept)
        or tag (replaced with it)."""
        alias = self._own(key, node)
        if alias is not None:
            return alias
        if id(node) in self.shared:
            raise _Unfixable("the anchor of an alias: changing it would change the alias too")
        at = int(node.start_mark.index)
        if self.text.startswith("&", at):
            while at < len(self.text) and not self.text[at].isspace():
                at += 1
            while at < len(self.text) and self.text[at] in " \t":
                at += 1
        return at, self.content_end(key, node)


def _shared_nodes(root: Node) -> set[int]:
    """Nodes reached more than once (aliases): their marks point at the anchor, not the alias."""
    seen: set[int] = set()
    shared: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            shared.add(id(node))
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return shared


def _parse(text: str) -> _Text | None:
    from planner.plan.yamlnodes import YamlProblem, compose

    try:
        root = compose(text)
    except YamlProblem:
        return None
    if not isinstance(root, MappingNode):
        return None
    steps = [v for k, v in root.value if isinstance(k, ScalarNode) and k.value == "steps"]
    if not steps or not isinstance(steps[-1], SequenceNode):
        return None
    return _Text(text, root, steps[-1])


# -- writing values in the style around them


def _dump(value: Any, *, style: str | None = None, flow: bool = False) -> str:
    """One value as YAML text on one line (plain when it can be, quoted when it must)."""
    import yaml

    from planner.plan.dump import yaml_dumper

    if isinstance(value, tuple | list) and all(_plain_id(v) for v in value):
        return "[" + ", ".join(value) + "]"  # ids: the emitter is slow on a list of 50,000
    if isinstance(value, tuple):
        value = list(value)
    if flow and isinstance(value, str):
        # Inside [ ] or { } a plain scalar may not hold , [ ] { }: let the
        # emitter decide by writing it as a flow list item, then unwrap it.
        inner = _dump([value], flow=True)
        return inner[1:-1]
    text = yaml.dump(
        value,
        Dumper=yaml_dumper(),
        default_style=style,
        default_flow_style=True,
        allow_unicode=True,
        width=1 << 30,
        sort_keys=False,
    )
    text = text.removesuffix("\n").removesuffix("\n...").removesuffix("...")
    return text.rstrip("\n")


def _plain_id(value: object) -> bool:
    """A step id that reads back as the same string when written plain (not "null", "123", "1e5")."""
    from planner.plan.spec import STEP_ID_RE
    from planner.plan.yamlnodes import resolves_to_str

    return isinstance(value, str) and STEP_ID_RE.match(value) is not None and resolves_to_str(value)


def _scalar_like(old: Node | None, value: Any) -> str:
    """A new scalar, quoted as the one it replaces was (plain, 'single' or "double")."""
    style = old.style if isinstance(old, ScalarNode) and old.style in ("'", '"') else None
    if style and isinstance(value, str):
        return _dump(value, style=style)
    return _dump(value)


class _Editor:
    """Turns edits into splices of the original text."""

    def __init__(self, doc: _Text) -> None:
        self.doc = doc
        self.splices: list[_Splice] = []

    def _add(self, start: int, end: int, text: str) -> None:
        self.splices.append(_Splice(start, end, text, (0, len(self.splices))))

    def edit(self, edit: Edit) -> None:
        if edit.op == "set" and edit.step is None and edit.key is not None:
            # A key of the plan itself (a fix that reshapes the graph keeps `pattern` true to it).
            if id(self.doc.root) in self.doc.shared:
                raise _Unfixable("not a plan of its own")
            self._set(self.doc.root, edit.key, edit.value, edit.after)
        elif edit.op == "set":
            if edit.step is None or not (0 <= edit.step < len(self.doc.steps.value)):
                raise _Unfixable("no such step")
            step = self.doc.steps.value[edit.step]
            if not isinstance(step, MappingNode) or edit.key is None or id(step) in self.doc.shared:
                raise _Unfixable("not a step of its own")
            self._set(step, edit.key, edit.value, edit.after)
        elif edit.op == "add-step":
            self._add_step(dict(edit.value))
        else:
            raise _Unfixable(f"unknown edit {edit.op}")

    # -- set one key of a step

    def _set(self, step: MappingNode, key: str, value: Any, after: str | None) -> None:
        entries: list[tuple[ScalarNode, Node]] = [(k, v) for k, v in step.value if isinstance(k, ScalarNode)]
        found = [i for i, (k, _) in enumerate(entries) if k.value == key]
        if value == ():
            if found:
                self._delete(step, entries, found[-1])
            return
        if found:
            self._replace(step, *entries[found[-1]], value)
            return
        self._insert(step, entries, key, value, after)

    def _replace(self, step: MappingNode, key: Node, old: Node, value: Any) -> None:
        doc = self.doc
        start, end = doc.value_span(key, old)
        if doc.text.startswith("*", start):
            old = ScalarNode("tag:yaml.org,2002:str", "")  # an alias: write the value as if new
        elif isinstance(value, tuple) and isinstance(old, SequenceNode) and not old.flow_style and old.value:
            self._replace_block_list(old, value)
            return
        quoted = isinstance(old, ScalarNode) and old.style in ("'", '"')
        if isinstance(value, tuple):
            new = _dump(value)  # a flow list, whatever was there
        elif quoted or not step.flow_style:
            new = _scalar_like(old, value)
        else:
            new = _dump(value, flow=True)
        if doc.text[start - 1 : start] == ":":
            new = " " + new  # an empty value ("depends_on:") ends right at the colon
        if isinstance(old, ScalarNode) and old.style in ("|", ">"):
            # A block scalar owns the lines under its key: replace them with one
            # line (the new value), keeping the line break that ended the key's line.
            self._add(start, end, new + doc.eol_before(end))
            return
        self._add(start, end, new)

    def _replace_block_list(self, old: SequenceNode, values: tuple[Any, ...]) -> None:
        """A block list of ids: keep the lines (and comments) of the items that stay."""
        doc = self.doc
        items = old.value
        if any(not isinstance(i, ScalarNode) or i.style in ("|", ">") or id(i) in doc.shared for i in items):
            raise _Unfixable("a list of other things than plain ids")
        first = doc.line_start(int(items[0].start_mark.index))
        prefix = doc.text[first : int(items[0].start_mark.index)]  # "      - "
        if prefix.strip() != "-":
            raise _Unfixable("items not one to a line")
        segments: dict[str, str] = {}
        cursor = first
        for item in items:
            end = doc.entry_end(None, item)
            segments.setdefault(str(item.value), doc.text[cursor:end])
            cursor = end
        eol = doc.eol_before(cursor)
        pieces = [segments.get(str(v)) or f"{prefix}{_dump(v)}" for v in values]
        body = eol.join(p.removesuffix("\n").removesuffix("\r") for p in pieces)
        if doc.text[first:cursor].endswith("\n"):
            body += eol
        self._add(first, cursor, body)

    def _delete(self, step: MappingNode, entries: list[tuple[ScalarNode, Node]], index: int) -> None:
        doc = self.doc
        key, value = entries[index]
        if step.flow_style:
            if index > 0:
                start = doc.content_end(*entries[index - 1])
                self._add(start, doc.content_end(key, value), "")
            elif index + 1 < len(entries):
                self._add(int(key.start_mark.index), int(entries[index + 1][0].start_mark.index), "")
            else:
                raise _Unfixable("the only key of a flow mapping")
            return
        k_start = int(key.start_mark.index)
        if doc.first_on_line(k_start):
            self._add(doc.line_start(k_start), doc.entry_end(key, value), "")
        elif index + 1 < len(entries):
            # The key shares the dash's line ("- depends_on: [a]"): the next key moves up.
            self._add(k_start, int(entries[index + 1][0].start_mark.index), "")
        else:
            raise _Unfixable("the only key of a step")

    def _insert(
        self, step: MappingNode, entries: list[tuple[ScalarNode, Node]], key: str, value: Any, after: str | None
    ) -> None:
        doc = self.doc
        names = [k.value for k, _ in entries]
        at = names.index(after) if after in names else len(entries) - 1
        before = entries[at]
        if step.flow_style:
            text = f", {_dump(key, flow=True)}: {_dump(value, flow=True)}"
            end = doc.content_end(*before)
            self._add(end, end, text)
            return
        column = int(entries[0][0].start_mark.column)
        end = doc.entry_end(*before)
        line = f"{' ' * column}{_dump(key)}: {_dump(value)}"
        if end == len(doc.text) and not doc.text.endswith("\n"):
            self._add(end, end, doc.eol + line)  # a last line without a line break
        else:
            self._add(end, end, line + doc.eol_before(end))

    # -- append a step

    def _add_step(self, fields: dict[str, Any]) -> None:
        doc = self.doc
        steps = doc.steps
        if not steps.value:
            raise _Unfixable("no step to follow")
        last = steps.value[-1]
        if steps.flow_style:
            body = ", ".join(f"{_dump(k, flow=True)}: {_dump(v, flow=True)}" for k, v in fields.items())
            end = doc.content_end(None, last)
            self._add(end, end, f", {{{body}}}")
            return
        if not isinstance(last, MappingNode):
            raise _Unfixable("the last step is not a mapping")
        item_at = int(last.start_mark.index)
        line_start = doc.line_start(item_at)
        head = doc.text[line_start:item_at]  # "  - " before the first key
        if "-" not in head or head.replace("-", " ").strip():
            raise _Unfixable("the last step does not start on its dash's line")
        if last.flow_style:
            body = ", ".join(f"{_dump(k, flow=True)}: {_dump(v, flow=True)}" for k, v in fields.items())
            lines = [f"{head}{{{body}}}"]
        else:
            indent = " " * len(head)
            lines = [
                f"{head if i == 0 else indent}{_dump(k)}: {_dump(v)}" for i, (k, v) in enumerate(fields.items())
            ]
        end = doc.entry_end(None, last)
        eol = doc.eol_before(end)
        if end == len(doc.text) and not doc.text.endswith("\n"):
            self._add(end, end, "".join(doc.eol + line for line in lines))
        else:
            self._add(end, end, "".join(line + eol for line in lines))


def _splice(text: str, splices: list[_Splice]) -> str | None:
    """Make all splices (positions in the original text); None if two overlap."""
    ordered = sorted(splices, key=lambda s: (s.start, s.end, s.order))
    out: list[str] = []
    cursor = 0
    for s in ordered:
        if s.start < cursor:
            return None
        out.append(text[cursor : s.start])
        out.append(s.text)
        cursor = s.end
    out.append(text[cursor:])
    return "".join(out)


def _expected(data: Any, fixes: list[Fix]) -> Any:
    """What the document must mean once ``fixes`` are made."""
    import copy

    data = copy.deepcopy(data)
    steps = data["steps"]
    for fix in fixes:
        for edit in fix.edits:
            if edit.op == "set" and edit.step is None:
                assert edit.key is not None
                data[edit.key] = edit.value  # a key of the plan itself
            elif edit.op == "set":
                assert edit.step is not None and edit.key is not None
                step = steps[edit.step]
                if edit.value == ():
                    step.pop(edit.key, None)
                else:
                    step[edit.key] = list(edit.value) if isinstance(edit.value, tuple) else edit.value
            elif edit.op == "add-step":
                steps.append({k: list(v) if isinstance(v, tuple) else v for k, v in edit.value})
    return data


def _structural(text: str, fixes: list[Fix]) -> tuple[str, list[Fix]]:
    doc = _parse(text)
    before = _meaning(text, doc.root) if doc is not None else _UNPARSABLE
    if doc is None or not isinstance(before, dict) or not isinstance(before.get("steps"), list):
        return text, []
    splices: dict[int, list[_Splice]] = {}
    chosen: list[Fix] = []
    touched: set[tuple[int | None, str | None]] = set()
    for n, fix in enumerate(fixes):
        targets = {(e.step, e.key) for e in fix.edits}
        if targets & touched:
            continue
        editor = _Editor(doc)
        try:
            for edit in fix.edits:
                editor.edit(edit)
        except _Unfixable:
            continue
        touched |= targets
        chosen.append(fix)
        splices[n] = [s._replace(order=(n, s.order[1])) for s in editor.splices]

    def attempt(selected: list[Fix]) -> str | None:
        picked = [s for n, fix in enumerate(fixes) if fix in selected for s in splices.get(n, [])]
        new = _splice(text, picked)
        if new is None or _meaning(new) != _expected(before, selected):
            return None
        return new if _suppressions(new) == _suppressions(text) else None

    if not chosen:
        return text, []
    new = attempt(chosen)
    if new is not None:
        return new, chosen
    # Something did not splice as meant: keep the fixes that are right alone.
    done: list[Fix] = []
    for fix in chosen:
        if attempt([*done, fix]) is not None:
            done.append(fix)
    result = attempt(done) if done else None
    return (result, done) if result is not None else (text, [])


def _suppressions(text: str) -> list[str]:
    from planner.linter.noqa import NOQA_RE

    return sorted(m.group(0) for m in NOQA_RE.finditer(text))


def apply_fixes(text: str, fixes: list[Fix]) -> tuple[str, int]:
    """Apply as many non-overlapping fixes as possible; return the text and how many applied."""
    line_fixes = [f for f in fixes if all(e.op == "replace-line" for e in f.edits)]
    tree_fixes = [f for f in fixes if f not in line_fixes]
    text, done_lines = _line_edits(text, line_fixes)
    done_tree: list[Fix] = []
    if tree_fixes:
        text, done_tree = _structural(text, tree_fixes)
    return text, len(done_lines) + len(done_tree)


def fix_text(
    text: str, lint_fn: Callable[[str], list[Finding]], *, unsafe: bool = False
) -> tuple[str, int, list[Finding]]:
    """Fix until nothing more applies: (new text, fixes applied, findings left)."""
    from planner.gcpause import paused_gc

    with paused_gc():  # a large plan's checks make many objects and no cycles
        return _fix_text(text, lint_fn, unsafe=unsafe)


def _fix_text(
    text: str, lint_fn: Callable[[str], list[Finding]], *, unsafe: bool
) -> tuple[str, int, list[Finding]]:
    total = 0
    findings = lint_fn(text)
    for _ in range(MAX_PASSES):
        fixes = applicable(findings, unsafe=unsafe)
        if not fixes:
            break
        new, count = apply_fixes(text, fixes)
        if count == 0 or new == text:
            break
        text, total = new, total + count
        findings = lint_fn(text)
    return text, total, findings
