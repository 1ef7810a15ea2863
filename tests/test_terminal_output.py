"""What reaches a terminal: no escape sequences from task text or files, widths in display
columns, colour and live updates as NO_COLOR, FORCE_COLOR and TERM=dumb ask, and output
errors as one line with exit 2."""

from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from planner.cli import main
from planner.cli.terminal import live_updates, use_color
from planner.display import display_width, printable
from planner.runner.progress import TtyReporter

# An OSC that retitles the window, a screen clear, a one-byte CSI (C1), a bell,
# a carriage return that would overwrite the line, and a bidi override.
EVIL = "\x1b]0;pwned\x07\x1b[2J\x9b31m\r\u202eevil"
TASK = f"Research Redis{EVIL}, Memcached and Hazelcast, then summarize the differences"
HOSTILE = re.compile("[\x1b\x07\x9b\x9d\u202e]|\r(?!\n)")


def _tty(args: list[str], *, columns: int = 100, env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[int, str]:
    """Run planner with stdout and stderr on a pseudo-terminal; its output, \r\n made \n."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    full_env.update({"TERM": "xterm", **(env or {})})
    proc = subprocess.Popen(
        [sys.executable, "-m", "planner", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env=full_env,
        cwd=cwd,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    code = proc.wait(timeout=120)
    return code, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def _pipe(args: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=120
    )


def _hostile_plan(tmp_path: Path) -> Path:
    path = tmp_path / "evil.plan.yaml"
    quoted = json.dumps(EVIL)  # a YAML double-quoted string with the control characters escaped
    path.write_text(
        f"version: 1\ntask: {quoted}\nsteps:\n"
        f"  - id: a\n    title: {quoted}\n    prompt: {quoted}\n"
        f"  - id: b\n    depends_on: [a]\n    prompt: Combine.\n    x-note: {quoted}\n"
    )
    return path


def test_suggest_text_is_clean_in_a_pipe_and_on_a_terminal() -> None:
    piped = _pipe(["suggest", TASK])
    assert piped.returncode == 0 and not HOSTILE.search(piped.stdout), piped.stdout
    code, shown = _tty(["suggest", TASK])
    assert code == 0 and not HOSTILE.search(shown)
    # The task could not be shown on a command line as it is: the hint reads it from a file.
    assert "suggest - --format yaml -o plan.plan.yaml < task.txt" in shown


def test_markdown_and_json_stay_documents_in_a_pipe_but_are_cleaned_on_a_terminal() -> None:
    piped = _pipe(["suggest", TASK, "--format", "markdown"])
    assert "\x1b]0;pwned" in piped.stdout  # the document keeps the user's text
    code, shown = _tty(["suggest", TASK, "--format", "markdown"])
    assert code == 0 and "pwned" in shown and not HOSTILE.search(shown)
    code, shown = _tty(["suggest", TASK, "--format", "json"])
    assert code == 0 and not HOSTILE.search(shown)


def test_parse_text_is_clean() -> None:
    piped = _pipe(["parse", TASK])
    assert piped.returncode == 0 and "Research Redis" in piped.stdout and not HOSTILE.search(piped.stdout)


def test_plan_files_cannot_reach_the_terminal_through_any_command(tmp_path: Path) -> None:
    plan = _hostile_plan(tmp_path)
    for args in (
        ["render", str(plan)],
        ["render", str(plan), "-f", "markdown"],
        ["render", str(plan), "-f", "mermaid"],
        ["run", str(plan)],
        ["lint", str(plan), "--select", "ALL"],
    ):
        code, shown = _tty(args, cwd=tmp_path)
        assert code in (0, 1), (args, shown)
        # lint colours its own output on a terminal; nothing else may drive the terminal
        assert not HOSTILE.search(re.sub(r"\x1b\[[0-9;]*m", "", shown)), (args, shown)
        assert "\x1b]" not in shown and "\x1b[2J" not in shown


def test_a_run_and_its_listing_are_clean(tmp_path: Path) -> None:
    plan = _hostile_plan(tmp_path)
    code, shown = _tty(["run", str(plan), "-b", "mock"], cwd=tmp_path)
    assert code == 0 and not HOSTILE.search(shown.replace("\r\x1b[K", "")), shown
    for args in (["runs"], ["runs", "--format", "json"]):
        code, shown = _tty(args, cwd=tmp_path)
        assert code == 0 and not HOSTILE.search(shown)
    run_id = json.loads(_pipe(["runs", "--format", "json"], cwd=tmp_path).stdout)[0]["run_id"]
    code, shown = _tty(["runs", "show", run_id, "--outputs"], cwd=tmp_path)
    assert code == 0 and not HOSTILE.search(shown)


def test_error_messages_are_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.plan.yaml"
    bad.write_text(f"version: 1\nsteps:\n  - id: a\n    {json.dumps('key' + EVIL)}: 1\n")
    assert main(["render", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "unknown key" in err and not HOSTILE.search(err) and err.count("\n") == 1


def test_printable_keeps_columns_and_shows_undecodable_bytes() -> None:
    assert printable("a\x1bb\tc") == "a b c"
    assert printable("a\x1bb\tc\r\nd", keep="\n\t") == "a b\tc\nd"
    assert printable("caf\udce9") == "caf\\xe9"
    assert printable("日本\u200d語") == "日本\u200d語"  # joiners and wide characters are text


def test_full_stdout_is_one_line_and_exit_2() -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    for args in (["suggest", "fix the bug"], ["suggest", "fix the bug", "--format", "json"], ["patterns"]):
        with open("/dev/full", "w") as full:
            proc = subprocess.run(
                [sys.executable, "-m", "planner", *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120
            )
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr == "planner: cannot write to standard output: No space left on device\n"


# -- colour and live updates ---------------------------------------------------------------


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.mark.parametrize(
    ("env", "tty", "expected"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),  # set but empty: no effect, as the convention says
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, True, False),
        ({"TERM": "dumb"}, True, False),
        ({"TERM": "dumb", "FORCE_COLOR": "1"}, True, True),
    ],
)
def test_colour_follows_the_conventions(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tty: bool, expected: bool
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert use_color(_Stream(tty)) is expected
    assert use_color(_Stream(tty), "never") is False and use_color(_Stream(tty), "always") is True


def test_lint_colour_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "x.plan.yaml").write_text("version: 1\nsteps:\n  - id: a\n")
    assert "\x1b[" in _pipe(["lint", "x.plan.yaml"], env={"FORCE_COLOR": "1"}, cwd=tmp_path).stdout
    assert "\x1b[" not in _pipe(["lint", "x.plan.yaml"], cwd=tmp_path).stdout
    assert "\x1b[" in _tty(["lint", "x.plan.yaml"], cwd=tmp_path)[1]
    assert "\x1b[" not in _tty(["lint", "x.plan.yaml"], env={"NO_COLOR": "1"}, cwd=tmp_path)[1]
    assert "\x1b[" not in _tty(["lint", "x.plan.yaml"], env={"TERM": "dumb"}, cwd=tmp_path)[1]


def test_a_dumb_terminal_gets_plain_progress_lines(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TERM", "dumb")
    assert not live_updates(_Stream(True))
    monkeypatch.setenv("TERM", "xterm")
    assert live_updates(_Stream(True)) and not live_updates(_Stream(False))
    (tmp_path / "p.plan.yaml").write_text("version: 1\nsteps:\n  - id: a\n    prompt: p\n")
    code, shown = _tty(["run", "p.plan.yaml", "-b", "mock"], env={"TERM": "dumb"}, cwd=tmp_path)
    assert code == 0 and "\x1b" not in shown and "\r" not in shown and "done    a" in shown


@pytest.mark.parametrize("columns", [20, 40, 60, 200])
def test_the_status_line_fits_the_terminal(columns: int) -> None:
    stream = _Stream(True)
    reporter = TtyReporter(stream, columns=lambda: columns, interval_s=0)
    reporter({"event": "run_start", "run_id": "r", "steps": 1234, "backend": "mock"})
    for i in range(30):
        reporter({"event": "step_start", "step": f"s{i}", "tier": "haiku"})
        reporter({"event": "step_done", "step": f"s{i}", "tier": "haiku", "cost_usd": 12.5, "spent_usd": 1000.0 * i})
    drawn = [part for part in stream.getvalue().split("\r\x1b[K") if part and "\n" not in part]
    assert drawn, stream.getvalue()
    assert all(len(line) < columns for line in drawn), max(drawn, key=len)
    if columns >= 80:
        assert all(line.startswith("[") for line in drawn)  # room for the bar


# -- display width ---------------------------------------------------------------------------


def _at_column(line: str, column: int) -> int:
    """The index in ``line`` where display column ``column`` starts (-1 inside a wide character)."""
    used = 0
    for index, ch in enumerate(line):
        if used == column:
            return index
        if used > column:
            return -1
        used += display_width(ch)
    return len(line) if used == column else -1


def _columns_line_up(table: list[str], names: tuple[str, ...]) -> None:
    header = table[0]
    for name in names:
        column = display_width(header[: header.index(name)])
        for row in table[1:]:
            index = _at_column(row, column)
            assert index > 0 and row[index - 1] == " " and row[index] != " ", (name, row)


def test_suggest_table_columns_line_up_in_display_columns() -> None:
    out = _pipe(["suggest", "调研 Redis、Memcached 和 Hazelcast 🚀，然后总结它们的差异"]).stdout
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("id "))
    end = lines.index("", start)
    table = [lines[start], *lines[start + 2:end]]
    assert any(display_width(row) != len(row) for row in table), table  # wide text is in it
    _columns_line_up(table, ("role", "tier", "depends on"))


def test_run_tables_line_up_in_display_columns(tmp_path: Path) -> None:
    plan = tmp_path / "cjk.plan.yaml"
    plan.write_text(
        "version: 1\nsteps:\n  - id: a\n    prompt: p\n  - id: b\n    prompt: p\n    depends_on: [a]\n"
    )
    # The command backend's error text (wide characters here) lands in the "note" column.
    code, _ = _tty(["run", str(plan), "-b", "command", "--command", "false 错误", "--yes", "--retries", "0"], cwd=tmp_path)
    assert code == 1
    run_id = json.loads(_pipe(["runs", "--format", "json"], cwd=tmp_path).stdout)[0]["run_id"]
    out = _pipe(["runs", "show", run_id], cwd=tmp_path).stdout.splitlines()
    start = next(i for i, line in enumerate(out) if line.startswith("step "))
    # the table ends at the first blank line (a note on booked costs may follow it)
    end = next((i for i in range(start, len(out)) if not out[i].strip()), len(out))
    _columns_line_up(out[start:end], ("status", "tier", "cost"))


def test_the_lint_caret_sits_under_the_spot_after_wide_characters(tmp_path: Path) -> None:
    (tmp_path / "w.plan.yaml").write_text(
        "version: 1\nsteps:\n  - id: a\n    prompt: p\n    x-注意事项: {depends_on: [q]}\n  - {id: b, 标题: 1, prompt: p}\n"
    )
    out = _pipe(["lint", "w.plan.yaml"], cwd=tmp_path).stdout
    lines = out.splitlines()
    for i, line in enumerate(lines):
        match = re.match(r"w\.plan\.yaml:(\d+):(\d+): PL003", line)
        if not match:
            continue
        column = int(match.group(2))
        source = lines[i + 1].split(" | ", 1)[1]
        caret = lines[i + 2].split(" | ", 1)[1]
        assert display_width(caret[: caret.index("^")]) == display_width(source[: column - 1])
        assert source[column - 1 :].startswith("标题")
        break
    else:
        raise AssertionError(out)
