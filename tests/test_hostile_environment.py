"""A damaged or foreign journal, a full disk, read-only folders, odd configuration files and
wrong types from library callers: each a one-line exit 2 (or a PlannerError), never exit 3."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import planner
from planner.cli import main
from planner.config import load_config
from planner.errors import ConfigError
from planner.runner.journal import SCHEMA_VERSION, Journal, JournalError

PLAN = "version: 1\nsteps:\n  - id: a\n    prompt: Say hello.\n  - id: b\n    prompt: Say more.\n    depends_on: [a]\n"


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.plan.yaml").write_text(PLAN)
    return tmp_path


# -- the journal -------------------------------------------------------------------------------


def _foreign(path: Path, sql: str) -> None:
    path.parent.mkdir(exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript(sql)
    db.commit()
    db.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"this is not a database" * 100), "file is not a database"),
        (lambda p: _foreign(p, "CREATE TABLE users (name TEXT);"), "not a planner run journal (no table 'attempts')"),
        (
            lambda p: _foreign(p, "CREATE TABLE runs (x); CREATE TABLE steps (y); CREATE TABLE attempts (z);"),
            "not a planner run journal (table 'runs' has no column 'id')",
        ),
        (lambda p: _foreign(p, f"PRAGMA user_version = {SCHEMA_VERSION + 1};"), "written by a newer planner"),
    ],
)
def test_a_journal_that_is_not_ours_is_refused_and_left_alone(
    project: Path, capsys: pytest.CaptureFixture[str], make: Any, message: str
) -> None:
    journal = project / ".planner" / "journal.sqlite"
    journal.parent.mkdir()
    make(journal)
    before = journal.read_bytes()
    for args in (["runs"], ["runs", "--format", "json"], ["runs", "show", "x"], ["run", "p.plan.yaml", "-b", "mock"]):
        code, out, err = _cli(capsys, *args)
        assert code == 2, (args, err)
        assert message in err and err.count("\n") == 1 and out == "", (args, err)
    assert journal.read_bytes() == before
    with pytest.raises(JournalError, match="run journal"):
        planner.run(project / "p.plan.yaml", backend="mock", state_dir=project / ".planner")


def test_an_empty_journal_file_is_no_runs_yet(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / ".planner").mkdir()
    (project / ".planner" / "journal.sqlite").write_bytes(b"")
    assert _cli(capsys, "runs") == (0, "no runs recorded in .planner\n", "")
    assert _cli(capsys, "run", "p.plan.yaml", "-b", "mock")[0] == 0
    assert "1/1" not in _cli(capsys, "runs")[1] and "2/2" in _cli(capsys, "runs")[1]


def test_damage_found_while_reading_is_a_journal_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(capsys, "run", "p.plan.yaml", "-b", "mock")[0] == 0
    path = project / ".planner" / "journal.sqlite"
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page, len(data), page):  # every page but the header page
        data[start : start + page] = b"\xff" * min(page, len(data) - start)
    path.write_bytes(bytes(data))
    code, _, err = _cli(capsys, "runs")
    assert code == 2 and "run journal" in err and err.count("\n") == 1


def test_listing_runs_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(capsys, "run", "p.plan.yaml", "-b", "mock")[0] == 0
    state = project / ".planner"
    before = {p.name: p.read_bytes() for p in state.iterdir() if p.is_file()}
    run_id = json.loads(_cli(capsys, "runs", "--format", "json")[1])[0]["run_id"]
    assert _cli(capsys, "runs", "show", run_id)[0] == 0
    assert {p.name: p.read_bytes() for p in state.iterdir() if p.is_file()} == before
    journal = Journal(state / "journal.sqlite", readonly=True)
    try:
        with pytest.raises(JournalError, match="readonly"):
            journal.set_run_status(run_id, "failed", finished=True)
    finally:
        journal.close()


def _unprivileged() -> list[str]:
    """A prefix that runs a command as a user without root's power to read anything."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot drop the rights to test this")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another user can reach, outside pytest's own temporary root: pytest makes
    that root private (0700) again whenever another pytest session starts, so a test
    that runs a command as another user there fails whenever suites overlap."""
    folder = Path(tempfile.mkdtemp(prefix="planner-shared-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(folder, ignore_errors=True)


def _world_readable(path: Path) -> None:
    for folder in (path, *path.parents):
        if not os.access(folder, os.X_OK, effective_ids=False) or (folder.stat().st_mode & 0o005) != 0o005:
            try:
                folder.chmod(folder.stat().st_mode | 0o005)
            except PermissionError:
                pytest.skip(f"{folder} cannot be made readable for another user")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_runs_lists_a_read_only_folder(shared_tmp: Path) -> None:
    prefix = _unprivileged()
    work = shared_tmp / "ro"
    work.mkdir()
    (work / "p.plan.yaml").write_text(PLAN)
    subprocess.run([sys.executable, "-m", "planner", "run", "p.plan.yaml", "-b", "mock"], cwd=work, check=True, capture_output=True)
    for path in [*sorted(work.rglob("*"), reverse=True), work]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    _world_readable(shared_tmp)
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "planner", "runs"], cwd=work, capture_output=True, text=True, timeout=120,
            env={**os.environ, "PLANNER_NO_CACHE": "1"},
        )
    finally:
        for path in [work, *work.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert proc.returncode == 0, proc.stderr
    assert "2/2" in proc.stdout and "done" in proc.stdout


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_ends_the_run_as_failed_not_running(tmp_path: Path) -> None:
    (tmp_path / "p.plan.yaml").write_text(PLAN.replace("Say more.", "Write a lot."))
    (tmp_path / "reply.py").write_text(
        "import sys\nprint('x' * (3_000_000 if 'Write a lot' in sys.stdin.read() else 100))\n"
    )

    def limited() -> None:  # a full disk, for files over 2 MB
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, 2_000_000))

    proc = subprocess.run(
        [sys.executable, "-m", "planner", "run", "p.plan.yaml", "-b", "command", "--yes",
         "--command", f"{sys.executable} reply.py"],
        cwd=tmp_path, capture_output=True, text=True, preexec_fn=limited, timeout=300,
    )
    assert proc.returncode == 2, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("planner: ") and "resume with: " in last and "--resume" in last
    listed = subprocess.run(
        [sys.executable, "-m", "planner", "runs", "--format", "json"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    (run,) = json.loads(listed.stdout)
    assert run["status"] == "failed" and run["steps"].get("done") == 1


# -- configuration files -------------------------------------------------------------------------


def test_a_byte_order_mark_does_not_hide_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b"\xef\xbb\xbf[tool.planner]\nfan_out_cap = 7\n")
    assert load_config(tmp_path).fan_out_cap == 7
    (tmp_path / "pyproject.toml").write_bytes(b"\xef\xbb\xbf[tool.planner]\nfan_out_cap = 'x'\n")
    with pytest.raises(ConfigError, match="fan_out_cap"):
        load_config(tmp_path)
    (tmp_path / "planner.toml").write_bytes(b"\xef\xbb\xbffan_out_cap = 5\n")
    assert load_config(tmp_path).fan_out_cap == 5


@pytest.mark.parametrize(
    "body",
    [
        "x = " + "[" * 5000 + "]" * 5000,
        "x = " + "{a = " * 3000 + "1" + "}" * 3000,
        "fan_out_cap = " + "9" * 5000,
    ],
)
def test_hostile_toml_is_a_config_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.planner]\n" + body + "\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, _, err = _cli(capsys, "suggest", "fix the bug")
    assert code == 2 and err.startswith("planner: ") and err.count("\n") == 1


# -- library entry points ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: planner.suggest(123), "suggest(): task must be a str, not int"),
        (lambda: planner.suggest("x", max_agents="3"), "max_agents must be an int"),
        (lambda: planner.suggest("x", max_agents=True), "max_agents must be an int"),
        (lambda: planner.suggest("x", pattern=1), "pattern must be"),
        (lambda: planner.parse(b"text"), "parse(): task must be a str, not bytes"),
        (lambda: planner.load_plan({"version": 1}), "load_plan(): source must be a path or YAML/JSON text"),
        (lambda: planner.load_plan("version: 1\nsteps: [{id: a}]", config={}), "config must be a planner.config.Config"),
        (lambda: planner.lint(42), "lint(): plan_or_path must be"),
        (lambda: planner.render({"version": 1}), "render(): plan must be a Plan"),
        (lambda: planner.render(planner.load_plan("version: 1\nsteps: [{id: a}]"), max_width="80"), "max_width must be"),
        (lambda: planner.render(planner.load_plan("version: 1\nsteps: [{id: a}]"), format=None), "format must be a str"),
        (lambda: planner.dump_yaml("plan"), "dump_yaml(): plan must be"),
        (lambda: planner.dump_json(None), "dump_json(): plan must be"),
        (lambda: planner.run({"version": 1}), "run(): plan must be"),
        (lambda: planner.run("version: 1\nsteps: [{id: a}]", backend=object()), "backend must be a backend name"),
        (lambda: planner.run("version: 1\nsteps: [{id: a}]", state_dir=1), "state_dir must be"),
        (lambda: planner.run("version: 1\nsteps: [{id: a}]", on_event="print"), "on_event must be callable"),
        (lambda: planner.run("version: 1\nsteps: [{id: a}]", colour=True), "unexpected options: colour"),
    ],
)
def test_wrong_types_raise_a_planner_error(call: Any, message: str) -> None:
    with pytest.raises(planner.ArgumentError) as info:
        call()
    assert message in str(info.value)
    # Callers can catch it as either: it is the library's error and a TypeError.
    assert isinstance(info.value, planner.PlannerError) and isinstance(info.value, TypeError)
    assert info.value.exit_code == 2


def test_the_empty_task_is_still_its_own_message() -> None:
    with pytest.raises(planner.PlannerError, match="task is empty"):
        planner.suggest("   ")


# -- lint . with folders it cannot read ----------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_lint_says_which_folders_it_could_not_read(shared_tmp: Path) -> None:
    prefix = _unprivileged()
    work = shared_tmp / "repo"
    (work / "open").mkdir(parents=True)
    (work / "closed").mkdir()
    (work / "open" / "a.plan.yaml").write_text(PLAN)
    (work / "closed" / "b.plan.yaml").write_text(PLAN)
    (work / "closed").chmod(0o700 if prefix else 0o000)
    _world_readable(work / "open")
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "planner", "lint", "--output-format", "json", "."],
            cwd=work, capture_output=True, text=True, timeout=120, env={**os.environ, "PLANNER_NO_CACHE": "1"},
        )
    finally:
        (work / "closed").chmod(0o755)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []  # only the document on stdout
    assert proc.stderr == "planner: skipped closed: permission denied\n"


# -- file names that are not UTF-8 ---------------------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="file names of arbitrary bytes are a Linux thing")
def test_a_file_name_that_is_not_utf8_in_every_lint_format(tmp_path: Path) -> None:
    name = b"caf\xe9.plan.yaml"
    try:
        with open(os.path.join(os.fsencode(tmp_path), name), "w") as fh:
            fh.write("version: 1\nsteps:\n  - id: a\n")  # PL110: no prompt
    except OSError:
        pytest.skip("this file system refuses the name")

    def lint(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "planner", "lint", *args], cwd=tmp_path, capture_output=True, timeout=120)

    text = lint()
    assert text.returncode == 1 and b"caf\\xe9.plan.yaml:3:5: PL110" in text.stdout, text.stderr
    found = lint("--output-format", "json")
    assert found.returncode == 1, found.stderr
    (finding,) = json.loads(found.stdout)
    # The JSON names the file so that it reads back as the very same name.
    assert os.fsencode(finding["path"]) == name
    sarif = lint("--output-format", "sarif")
    assert sarif.returncode == 1, sarif.stderr
    location = json.loads(sarif.stdout)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "caf%E9.plan.yaml"
    assert lint("--output-format", "github").returncode == 1
    assert lint("--output-format", "sarif", "-o", "report.sarif").returncode == 1
    assert json.loads((tmp_path / "report.sarif").read_text())["version"] == "2.1.0"


def test_machine_formats_keep_notes_off_stdout(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for args in (["lint", "--output-format", "json", "empty"], ["lint", "--output-format", "sarif", "empty"]):
        proc = subprocess.run([sys.executable, "-m", "planner", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0 and "no plan files found" in proc.stderr
        json.loads(proc.stdout)  # the document, and only it
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "suggest", "fix the bug", "--format", "yaml", "--explain"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0 and "Explanation:" in proc.stderr
    assert planner.load_plan(proc.stdout).steps
