"""`lint --fix` changes only what its edits name: every other byte stays as written.

Plans are generated with the same content in many formattings (indentation,
block and flow steps and lists, comments on their own lines and at line ends,
anchors and aliases, plain, quoted and block scalars, blank lines, LF and
CRLF) and fixed with every fix allowed. The fixed text must mean the plan with
the edits made, keep every step no fix edited byte for byte (and the text
before and after the steps), keep every comment that is not on a removed
line, and leave no fixable finding behind. The file layer (byte order mark,
read-only files, hard links, a file changed meanwhile, an interrupted fix) is
tested through the command.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.linter.engine import lint_text
from planner.linter.fix import fix_text
from planner.linter.write import BACKUP_SUFFIX, NotWritten, write_fixed

ROLES = ["explore", "scout", "implement", "synthesize", "review", "draft"]
PROMPTS = [
    "Read the auth module and list its public functions.",
    "Scan the logs of last week and count the errors by component.",
    "Combine the findings into one table: what agrees, what differs.",
    "Write the migration guide for the new API, with examples.",
]


class Writer:
    """Writes one plan in a drawn formatting, remembering what it put where."""

    def __init__(self, draw: st.DrawFn, eol: str) -> None:
        self.draw = draw
        self.eol = eol
        self.lines: list[str] = []
        self.tags = 0

    def comment(self) -> str:
        self.tags += 1
        return f"# note {self.tags}"

    def maybe_eol_comment(self) -> str:
        return ("  " + self.comment()) if self.draw(st.booleans()) else ""

    def scalar(self, value: str, *, flow: bool = False) -> str:
        style = self.draw(st.sampled_from(["plain", "single", "double"]))
        if style == "single" or (style == "plain" and flow and re.search(r"[,:\[\]{}#]", value)):
            return "'" + value.replace("'", "''") + "'"
        if style == "double":
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if ": " in value or " #" in value:
            return "'" + value.replace("'", "''") + "'"
        return value


@st.composite
def formatted_plans(draw: st.DrawFn) -> tuple[str, list[dict[str, Any]]]:
    n = draw(st.integers(2, 5))
    steps: list[dict[str, Any]] = []
    for i in range(n):
        step: dict[str, Any] = {"id": f"s{i}", "role": draw(st.sampled_from(ROLES))}
        if draw(st.booleans()):
            step["tier"] = draw(st.sampled_from(["haiku", "sonnet", "opus"]))
        deps = draw(st.lists(st.sampled_from([f"s{j}" for j in range(i)]), unique=True, max_size=2)) if i else []
        step["depends_on"] = deps
        if draw(st.integers(0, 3)) == 0:
            step["until"] = "the reviewer approves"
        step["prompt"] = draw(st.sampled_from(PROMPTS))
        steps.append(step)

    eol = draw(st.sampled_from(["\n", "\r\n"]))
    w = Writer(draw, eol)
    dash = " " * draw(st.sampled_from([0, 2, 4]))
    gap = " " * draw(st.sampled_from([1, 3]))
    key_col = " " * (len(dash) + 1 + len(gap))
    out: list[str] = []
    if draw(st.booleans()):
        out.append(w.comment())
    out.append("version: 1" + w.maybe_eol_comment())
    out.append("task: >")
    out.append("  Review the code base and")
    out.append("  report what needs work.")
    out.append("steps:" + w.maybe_eol_comment())
    anchors: dict[str, str] = {}
    form = ""
    for step in steps:
        if draw(st.booleans()):
            out.append("")
        if draw(st.booleans()):
            out.append(dash + w.comment())
        role = step["role"]
        if role in anchors and draw(st.booleans()):
            role_text = "*" + anchors[role]
        elif role not in anchors and draw(st.booleans()):
            anchors[role] = f"r{len(anchors)}"
            role_text = f"&{anchors[role]} {role}"
        else:
            role_text = w.scalar(role)
        if draw(st.integers(0, 3)) == 0:  # a flow mapping on one line
            parts = [f"id: {step['id']}", f"role: {role_text}"]
            if "tier" in step:
                parts.append(f"tier: {w.scalar(step['tier'], flow=True)}")
            if step["depends_on"] or draw(st.booleans()):
                parts.append(f"depends_on: [{', '.join(step['depends_on'])}]")
            if "until" in step:
                parts.append(f"until: {w.scalar(step['until'], flow=True)}")
            parts.append(f"prompt: {w.scalar(step['prompt'], flow=True)}")
            out.append(f"{dash}-{gap}{{{', '.join(parts)}}}" + w.maybe_eol_comment())
            form = ""
            continue
        out.append(f"{dash}-{gap}id: {w.scalar(step['id'])}" + w.maybe_eol_comment())
        out.append(f"{key_col}role: {role_text}" + w.maybe_eol_comment())
        if "tier" in step:
            out.append(f"{key_col}tier: {w.scalar(step['tier'])}" + w.maybe_eol_comment())
        deps = step["depends_on"]
        if deps and draw(st.booleans()):
            out.append(f"{key_col}depends_on:" + w.maybe_eol_comment())
            for d in deps:
                if draw(st.integers(0, 3)) == 0:
                    out.append(f"{key_col}  {w.comment()}")
                out.append(f"{key_col}  - {d}" + w.maybe_eol_comment())
        elif deps or draw(st.booleans()):
            out.append(f"{key_col}depends_on: [{', '.join(deps)}]" + w.maybe_eol_comment())
        if draw(st.booleans()):
            out.append(f"{key_col}{w.comment()}")
        if "until" in step:
            out.append(f"{key_col}until: {w.scalar(step['until'])}" + w.maybe_eol_comment())
        prompt = step["prompt"]
        form = draw(st.sampled_from(["line", "literal", "folded", "two lines"]))
        if form == "line":
            out.append(f"{key_col}prompt: {w.scalar(prompt)}" + w.maybe_eol_comment())
        elif form in ("literal", "folded"):
            out.append(f"{key_col}prompt: {'|' if form == 'literal' else '>'}")
            head, _, tail = prompt.partition(" and ")
            out.append(f"{key_col}  {head}")
            if tail:
                out.append(f"{key_col}  and {tail}")
        else:  # a plain scalar folded over two lines
            head, sep, tail = prompt.partition(" the ")
            if sep and ": " not in prompt and " #" not in prompt:
                out.append(f"{key_col}prompt: {head}")
                out.append(f"{key_col}  the {tail}")
            else:
                out.append(f"{key_col}prompt: {w.scalar(prompt)}")
    trailer = draw(st.booleans())
    if trailer:
        out.append(w.comment())
    # A file may end without a line break, except right after a block scalar:
    # a step appended there would give that scalar a final line break (the
    # splicer refuses such a fix rather than change the step before it).
    ends_in_block = not trailer and out[-1].startswith(f"{key_col}  ") and form in ("literal", "folded")
    text = eol.join(out) + (eol if ends_in_block or draw(st.integers(0, 5)) else "")
    return text, steps


def _step_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each step's lines in the text."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    seq = next(v for k, v in root.value if k.value == "steps")
    spans = []
    for item in seq.value:
        start = text.rfind("\n", 0, item.start_mark.index) + 1
        last = item
        while isinstance(last, yaml.MappingNode) and not last.flow_style:
            last = last.value[-1][1]
        end = last.end_mark.index
        if not (isinstance(last, yaml.ScalarNode) and last.style in ("|", ">")):
            nl = text.find("\n", end)
            end = len(text) if nl < 0 else nl + 1
        spans.append((start, end))
    return spans


def _edited(before: Any, after: Any) -> set[int]:
    return {i for i, (a, b) in enumerate(zip(before["steps"], after["steps"], strict=False)) if a != b}


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(formatted_plans())
def test_fix_keeps_every_line_it_does_not_edit(case: tuple[str, list[dict[str, Any]]]) -> None:
    text, _ = case
    before = yaml.safe_load(text)
    fixed, _, left = fix_text(text, lambda t: lint_text(t), unsafe=True)
    after = yaml.safe_load(fixed)

    # Every fix that was offered was made (none of these shapes defeats the splicer) ...
    assert [f.code for f in left if f.fix] == []
    # ... and it means the plan with the edits made: nothing else changed.
    assert after["version"] == before["version"] and after["task"] == before["task"]
    assert len(after["steps"]) >= len(before["steps"])
    edited = _edited(before, after)
    for i, (old, new) in enumerate(zip(before["steps"], after["steps"], strict=False)):
        if i in edited:
            assert {k: v for k, v in old.items() if k not in ("depends_on", "tier", "max_rounds")} == {
                k: v for k, v in new.items() if k not in ("depends_on", "tier", "max_rounds")
            }

    # Steps no fix edited, and the text around the steps, are there byte for byte.
    spans = _step_spans(text)
    for i, (start, end) in enumerate(spans):
        if i not in edited:
            assert text[start:end] in fixed, (i, text[start:end])
    assert fixed.startswith(text[: spans[0][0]])
    assert fixed.endswith(text[spans[-1][1] :])

    # Every comment stays, except those on the lines of a removed dependency list.
    removed = {
        i for i in edited if before["steps"][i].get("depends_on") and not after["steps"][i].get("depends_on")
    }
    lost = set()
    for i in removed:
        start, end = spans[i]
        chunk = text[start:end]
        at = chunk.find("depends_on:")
        stop = chunk.find("prompt:", at) if chunk.find("until:", at) < 0 else chunk.find("until:", at)
        lost |= set(re.findall(r"# note \d+", chunk[at:stop]))
    for tag in set(re.findall(r"# note \d+", text)) - lost:
        assert re.search(re.escape(tag) + r"(?!\d)", fixed), tag
    # Anchors and aliases stay where they were written.
    assert sorted(re.findall(r"[&*]r\d+", fixed)) == sorted(re.findall(r"[&*]r\d+", text))
    # The file's line endings are kept, on new lines too.
    if "\r\n" in text:
        assert fixed.count("\n") == fixed.count("\r\n")
    else:
        assert "\r" not in fixed


def test_indented_steps_keep_comments_anchors_and_unedited_steps() -> None:
    # The shape the hostile review found: steps indented under "steps:", with comments and anchors.
    text = (
        "# Team plan\n"
        "version: 1\n"
        "steps:\n"
        "  # gather first\n"
        "  - id: auth   # the first area\n"
        "    role: &g explore\n"
        "    prompt: Read the authentication module and\n"
        "      list its public functions.\n"
        "  - id: users\n"
        "    role: *g\n"
        "    depends_on: [auth]  # chained for no reason\n"
        "    prompt: Read the users module and list its callers.\n"
        "  - id: report\n"
        "    role: synthesize\n"
        "    tier: haiku   # cheap on purpose?\n"
        "    depends_on: [users]\n"
        "    prompt: Combine both lists into one table.\n"
    )
    fixed, count, left = fix_text(text, lambda t: lint_text(t), unsafe=True)
    assert count == 2 and not [f for f in left if f.fix]
    assert fixed == (
        "# Team plan\n"
        "version: 1\n"
        "steps:\n"
        "  # gather first\n"
        "  - id: auth   # the first area\n"
        "    role: &g explore\n"
        "    prompt: Read the authentication module and\n"
        "      list its public functions.\n"
        "  - id: users\n"
        "    role: *g\n"
        "    prompt: Read the users module and list its callers.\n"
        "  - id: report\n"
        "    role: synthesize\n"
        "    tier: opus   # cheap on purpose?\n"
        "    depends_on: [auth, users]\n"
        "    prompt: Combine both lists into one table.\n"
    )


def test_an_alias_is_replaced_where_it_stands_and_an_anchor_is_left_alone() -> None:
    text = (
        "version: 1\n"
        "steps:\n"
        "  - id: scan\n"
        "    role: explore\n"
        "    tier: &cheap haiku\n"
        "    prompt: Scan the logs for errors and count them by component.\n"
        "  - id: merge\n"
        "    role: synthesize\n"
        "    tier: *cheap   # same as the scan\n"
        "    depends_on: [scan]\n"
        "    prompt: Merge the counts into one table with a short summary.\n"
    )
    fixed, count, _ = fix_text(text, lambda t: lint_text(t), unsafe=True)
    assert count == 1
    assert fixed == text.replace("tier: *cheap   #", "tier: opus   #")
    # Changing the anchor's own value would change every alias of it too: refused.
    text = (
        "version: 1\n"
        "steps:\n"
        "  - id: scan\n"
        "    role: explore\n"
        "    tier: &big opus\n"
        "    prompt: Scan the logs for errors and count them by component.\n"
        "  - id: merge\n"
        "    role: synthesize\n"
        "    tier: *big\n"
        "    depends_on: [scan]\n"
        "    prompt: Merge the counts into one table with a short summary.\n"
    )
    fixed, count, left = fix_text(text, lambda t: lint_text(t), unsafe=True)
    assert fixed == text and count == 0
    assert [f.code for f in left] == ["PL108"]


# ----------------------------------------------------------- the file layer

PLAN = (
    "version: 1\n"
    "steps:\n"
    "  - id: refine  # the loop\n"
    "    role: draft\n"
    "    until: the reviewer approves\n"
    "    prompt: Revise the design document until the reviewer has no objections.\n"
)


def _fix(tmp_path: Path, capsys: pytest.CaptureFixture[str], *names: str) -> tuple[int, str]:
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        code = main(["lint", *names, "--fix"])
    finally:
        os.chdir(cwd)
    return code, capsys.readouterr().err


def test_fix_keeps_a_byte_order_mark(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "b.plan.yaml"
    plan.write_bytes(codecs.BOM_UTF8 + PLAN.encode())
    assert _fix(tmp_path, capsys, "b.plan.yaml")[0] == 0
    data = plan.read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and data.count(codecs.BOM_UTF8) == 1
    assert b"    max_rounds: 3\n" in data


def test_fix_writes_through_hard_links(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "h.plan.yaml"
    plan.write_text(PLAN)
    other = tmp_path / "elsewhere.yaml"
    os.link(plan, other)
    before = plan.stat().st_ino
    assert _fix(tmp_path, capsys, "h.plan.yaml")[0] == 0
    assert plan.stat().st_ino == before and plan.stat().st_nlink == 2
    assert other.read_text() == plan.read_text() and "max_rounds: 3" in other.read_text()
    assert not list(tmp_path.glob("*" + BACKUP_SUFFIX))


def test_fix_refuses_a_read_only_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "r.plan.yaml"
    plan.write_text(PLAN)
    good = tmp_path / "w.plan.yaml"
    good.write_text(PLAN)
    plan.chmod(0o444)
    code, err = _fix(tmp_path, capsys, "r.plan.yaml", "w.plan.yaml")
    assert code == 2
    assert "r.plan.yaml: not fixed: the file is read-only" in err
    assert plan.read_text() == PLAN and stat.S_IMODE(plan.stat().st_mode) == 0o444  # never chmod-ed
    assert "max_rounds: 3" in good.read_text()  # the other file was still fixed


def test_fix_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    plan = tmp_path / "c.plan.yaml"
    plan.write_text(PLAN)
    original = plan.read_bytes()
    plan.write_text(PLAN + "# edited meanwhile\n")
    with pytest.raises(NotWritten, match="changed while it was being linted"):
        write_fixed(plan, original, PLAN.replace("until", "max_rounds: 3\n    until"))
    assert plan.read_text().endswith("# edited meanwhile\n")


def test_fix_refuses_a_file_with_a_backup_left_by_a_crash(tmp_path: Path) -> None:
    plan = tmp_path / "k.plan.yaml"
    plan.write_text(PLAN)
    (tmp_path / f".k.plan.yaml{BACKUP_SUFFIX}").write_text("the text before the crash")
    with pytest.raises(NotWritten, match="interrupted"):
        write_fixed(plan, plan.read_bytes(), PLAN + "# fixed\n")
    assert plan.read_text() == PLAN


def test_a_failed_write_puts_the_original_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.linter import write

    plan = tmp_path / "f.plan.yaml"
    plan.write_text(PLAN)
    real = write._write_all
    calls = 0

    def failing(fd: int, data: bytes) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:  # the first call writes the backup; the second is the fix itself
            os.pwrite(fd, data[:10], 0)  # half of it lands, then the disk is full
            raise OSError(28, "No space left on device")
        real(fd, data)

    monkeypatch.setattr(write, "_write_all", failing)
    with pytest.raises(NotWritten, match="No space left"):
        write_fixed(plan, plan.read_bytes(), PLAN + "# a longer text that no longer fits\n")
    assert plan.read_text() == PLAN
    assert not list(tmp_path.glob("*" + BACKUP_SUFFIX))
