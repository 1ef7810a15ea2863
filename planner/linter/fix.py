"""Apply fixes to plan text, keeping comments, key order and formatting.

Line edits (removing stale suppressions) are plain text changes. Structural
edits go through ruamel.yaml's round-trip mode, which keeps comments, key
order, quoting and block scalars; it is imported only here, so plain linting
never pays for it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Any

from planner.linter.finding import Edit, Finding, Fix

MAX_PASSES = 10


def applicable(findings: Sequence[Finding], *, unsafe: bool) -> list[Fix]:
    return [f.fix for f in findings if f.fix and (f.fix.applicability == "safe" or unsafe)]


def _line_edits(text: str, fixes: list[Fix]) -> tuple[str, list[Fix]]:
    lines = text.splitlines(keepends=True)
    done: list[Fix] = []
    touched: set[int] = set()
    meaning = _meaning(text)
    for fix in fixes:
        targets = {e.line for e in fix.edits if e.line is not None}
        if targets & touched or any(not (1 <= t <= len(lines)) for t in targets if t):
            continue
        trial = list(lines)
        for edit in fix.edits:
            assert edit.line is not None
            old = trial[edit.line - 1]
            ending = old[len(old.rstrip("\r\n")) :]
            trial[edit.line - 1] = str(edit.value) + ending
        # Line edits only touch comments: if the document would mean anything
        # else afterwards, the edit is wrong and is not made.
        if _meaning("".join(trial)) != meaning:
            continue
        lines = trial
        touched |= {t for t in targets if t}
        done.append(fix)
    return "".join(lines), done


def _meaning(text: str) -> object:
    """The data a YAML text stands for, or a marker when it does not parse.

    Built with the guarded converter, so an alias bomb costs nothing here either.
    """
    from planner.plan.yamlnodes import YamlProblem, compose, to_python

    try:
        root = compose(text)
        return None if root is None else to_python(root)
    except YamlProblem:
        return _UNPARSABLE


_UNPARSABLE = object()


def _detect_indent(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) indentation as ruamel.yaml wants it, read from the file.

    ``offset`` is where the dash sits relative to ``steps:``, ``sequence``
    where a step's keys start: ``-   id:`` under ``steps:`` is offset 0, sequence 4.
    """
    m = re.search(
        r"^( *)steps:[ \t]*(?:#.*)?\n(?:[ \t]*(?:#.*)?\n)*( *)-( +)\S", text, re.MULTILINE
    )
    if not m:
        return 2, 4, 2
    offset = max(len(m.group(2)) - len(m.group(1)), 0)
    return 2, offset + 1 + len(m.group(3)), offset


def _structural(text: str, fixes: list[Fix]) -> tuple[str, list[Fix]]:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    mapping, sequence, offset = _detect_indent(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    try:
        data = yaml.load(text)
    except Exception:  # ruamel raises many types; an unloadable file gets no fixes
        return text, []
    steps = data.get("steps") if isinstance(data, CommentedMap) else None
    if not isinstance(steps, CommentedSeq):
        return text, []

    def flow(values: Sequence[Any]) -> CommentedSeq:
        seq = CommentedSeq(list(values))
        seq.fa.set_flow_style()
        return seq

    def set_key(step: CommentedMap, edit: Edit) -> None:
        assert edit.key is not None
        value = edit.value
        current = step.get(edit.key)
        if value == () and edit.key in step:
            del step[edit.key]  # no dependencies: say nothing rather than `[]`
            return
        if isinstance(value, tuple):
            if isinstance(current, CommentedSeq):
                # Keep the list's own style (block or flow) and its comments.
                current[:] = list(value)
                return
            value = flow(value)
        if edit.key in step:
            step[edit.key] = value
            return
        keys = list(step.keys())
        at = keys.index(edit.after) + 1 if edit.after in keys else len(keys)
        step.insert(at, edit.key, value)

    done: list[Fix] = []
    touched: set[tuple[int | None, str | None]] = set()
    for fix in fixes:
        targets = {(e.step, e.key) for e in fix.edits}
        if targets & touched:
            continue
        if any(
            e.op == "set" and not (e.step is not None and 0 <= e.step < len(steps))
            for e in fix.edits
        ):
            continue
        for edit in fix.edits:
            if edit.op == "set":
                set_key(steps[edit.step], edit)
            elif edit.op == "add-step":
                steps.append(
                    CommentedMap((k, flow(v) if isinstance(v, tuple) else v) for k, v in edit.value)
                )
        touched |= targets
        done.append(fix)
    if not done:
        return text, []
    out = io.StringIO()
    yaml.dump(data, out)
    new = _keep_untouched(text, out.getvalue(), [e.step for f in done for e in f.edits])
    if "\r\n" in text:
        new = new.replace("\r\n", "\n").replace("\n", "\r\n")  # keep Windows line ends
    if _suppressions(new) != _suppressions(text):
        # A rewrite that would drop a suppression comment is not worth making.
        return text, []
    return new, done


def _step_lines(text: str) -> list[tuple[int, int]] | None:
    """0-based [first, last] line of each step in the original text, or None."""
    import yaml
    from yaml.nodes import MappingNode, SequenceNode

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    if not isinstance(root, MappingNode):
        return None
    for key, value in root.value:
        if key.value == "steps" and isinstance(value, SequenceNode):
            spans = []
            for item in value.value:
                end = item.end_mark.line - (1 if item.end_mark.column == 0 else 0)
                spans.append((item.start_mark.line, max(end, item.start_mark.line)))
            return spans
    return None


def _keep_untouched(original: str, rewritten: str, steps: list[int | None]) -> str:
    """Undo ruamel's reformatting outside the steps a fix edited.

    ruamel keeps comments and key order but re-flows some scalars (a long plain
    string folded over two lines comes back as one) and re-indents. Only the
    edited steps (and steps a fix appended) are taken from its output; every
    other line stays byte for byte as it was. If the merge would not mean the
    same document as ruamel's output, ruamel's output is used as it is.
    """

    old, new = _step_lines(original), _step_lines(rewritten)
    appended = len(new) - len(old) if old is not None and new is not None else -1
    if old is None or new is None or not old or appended < 0 or (appended and None not in steps):
        return rewritten
    edited = {s for s in steps if s is not None}
    old_lines = original.splitlines(keepends=True)
    new_lines = rewritten.splitlines(keepends=True)
    if old_lines and not old_lines[-1].endswith("\n"):
        old_lines[-1] += "\n"
    out: list[str] = []
    cursor = 0
    for index, (first, last) in enumerate(old):
        if index in edited:
            out += old_lines[cursor:first]
            out += new_lines[new[index][0] : new[index][1] + 1]
            cursor = last + 1
    if appended:
        end = old[-1][1] + 1
        out += old_lines[cursor:end]
        out += new_lines[new[len(old)][0] : new[-1][1] + 1]
        cursor = end
    out += old_lines[cursor:]
    result = "".join(out)
    meaning = _meaning(rewritten)
    return result if meaning is not _UNPARSABLE and _meaning(result) == meaning else rewritten


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
