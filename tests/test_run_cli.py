"""`planner run` and `planner runs` from the command line, including real crashes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.cli import main
from planner.errors import PlanError
from planner.plan import load_plan

PLANNER = [sys.executable, "-m", "planner"]

THREE_WAVES = """version: 1
task: crash test
steps:
  - {id: a1, tier: haiku, prompt: first}
  - {id: a2, tier: haiku, prompt: second}
  - {id: b1, tier: sonnet, depends_on: [a1, a2]}
  - {id: b2, tier: sonnet, depends_on: [a1]}
  - {id: c, tier: opus, depends_on: [b1, b2]}
"""


def _write(tmp_path: Path, text: str = THREE_WAVES, name: str = "p.plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_dry_run_is_the_default_and_calls_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    plan = _write(tmp_path)
    code, out, _ = _cli(["run", str(plan)], capsys)
    assert code == 0
    assert "wave 1: a1 (haiku), a2 (haiku)" in out
    assert "wave 2: b1 (sonnet), b2 (sonnet)" in out
    assert "wave 3: c (opus)" in out
    assert "estimate" in out
    assert not (tmp_path / ".planner").exists()


def test_invalid_plan_exits_2_with_the_loader_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write(
        tmp_path, "version: 1\nsteps:\n  - {id: a, depends_on: [b]}\n  - {id: b, depends_on: [a]}\n"
    )
    with pytest.raises(PlanError) as info:
        load_plan(plan)
    code, _out, err = _cli(
        ["run", str(plan), "-b", "mock", "--state", str(tmp_path / "st")], capsys
    )
    assert code == 2
    assert info.value.format_message() in err
    assert not (tmp_path / "st").exists()
    dangling = _write(tmp_path, "version: 1\nsteps:\n  - {id: a, depends_on: [ghost]}\n", "d.yaml")
    code, _, err = _cli(["run", str(dangling), "-b", "mock"], capsys)
    assert code == 2 and "unknown step 'ghost'" in err


def test_mock_run_success_and_failure_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write(tmp_path)
    state = str(tmp_path / "st")
    code, out, _ = _cli(
        ["run", str(plan), "-b", "mock", "--state", state, "--events", "plain"], capsys
    )
    assert code == 0 and "done" in out
    code, out, _ = _cli(
        [
            "run",
            str(plan),
            "-b",
            "mock",
            "--state",
            state,
            "--mock-fail-rate",
            "sonnet=1",
            "--retries",
            "0",
        ],
        capsys,
    )
    assert code == 1
    assert "--retry-failed" in out


def test_events_jsonl_is_one_object_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write(tmp_path)
    code, out, _ = _cli(
        ["run", str(plan), "-b", "mock", "--state", str(tmp_path / "st"), "--events", "jsonl"],
        capsys,
    )
    events = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert events[0]["event"] == "run_start" and events[-1]["event"] == "run_end"
    assert sum(1 for e in events if e["event"] == "step_done") == 5
    assert events[-1]["status"] == "done"


@pytest.mark.parametrize("backend", ["command", "anthropic"])
def test_paid_backends_need_consent_without_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend == "anthropic":
        pytest.importorskip("anthropic")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-api03-consent-test-0000")
    plan = _write(tmp_path)
    args = ["run", str(plan), "-b", backend, "--state", str(tmp_path / "st"), "--command", "true"]
    code, _, err = _cli(args, capsys)
    assert code == 2
    assert "--yes or --max-cost" in err
    assert not (tmp_path / "st").exists()


def test_command_backend_substitutes_argv_items_and_feeds_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "agent.py"
    script.write_text(
        "import json, sys\nprint(json.dumps({'argv': sys.argv[1:], 'stdin': sys.stdin.read()}))\n",
        encoding="utf-8",
    )
    plan = _write(
        tmp_path, "version: 1\nsteps:\n  - {id: only, tier: haiku, prompt: 'hello; rm -rf /'}\n"
    )
    state = tmp_path / "st"
    cmd = f"{sys.executable} {script} --model {{model}} 'tier is {{tier}}' {{step}}"
    code, _out, err = _cli(
        ["run", str(plan), "-b", "command", "--command", cmd, "--yes", "--state", str(state)],
        capsys,
    )
    assert code == 0, err
    (output_file,) = (state / "runs").glob("*/only.md")
    reply = json.loads(output_file.read_text(encoding="utf-8"))
    assert reply["argv"] == ["--model", "claude-haiku-4-5", "tier is haiku", "only"]
    assert "hello; rm -rf /" in reply["stdin"]


def test_command_backend_failure_and_timeout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write(
        tmp_path,
        "version: 1\nsteps:\n  - {id: bad, tier: haiku}\n  - {id: slow, tier: haiku, timeout_s: 0.3}\n",
    )
    script = tmp_path / "agent.py"
    script.write_text(
        "import sys, time\n"
        "if sys.argv[1] == 'bad':\n    sys.stderr.write('usage problem\\n'); sys.exit(2)\n"
        "time.sleep(30)\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    code, out, _ = _cli(
        [
            "run",
            str(plan),
            "-b",
            "command",
            "--command",
            f"{sys.executable} {script} {{step}}",
            "--max-cost",
            "1",
            "--retries",
            "1",
            "--backoff-base",
            "0.01",
            "--state",
            str(tmp_path / "st"),
        ],
        capsys,
    )
    assert code == 1
    assert time.monotonic() - started < 20  # the sleeping command was killed, not waited for
    assert "status 2: usage problem" in out
    assert "no reply within 0.3 s" in out


def test_runs_list_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = _write(tmp_path)
    state = str(tmp_path / "st")
    code, out, _ = _cli(
        ["run", str(plan), "-b", "mock", "--state", state, "--events", "jsonl"], capsys
    )
    run_id = json.loads(out.splitlines()[0])["run_id"]
    code, out, _ = _cli(["runs", "--state", state], capsys)
    assert code == 0 and run_id in out and "5/5" in out
    code, out, _ = _cli(["runs", "--state", state, "--format", "json"], capsys)
    (listed,) = json.loads(out)
    assert listed["run_id"] == run_id and listed["status"] == "done" and listed["steps"] == {"done": 5}
    code, out, _ = _cli(["runs", "--state", state, "show", run_id, "--format", "json"], capsys)
    data = json.loads(out)
    assert data["status"] == "done"
    assert [s["id"] for s in data["steps"]] == ["a1", "a2", "b1", "b2", "c"]
    assert all(s["status"] == "done" and s["estimated_cost_usd"] > 0 for s in data["steps"])
    assert data["cost_usd"] == pytest.approx(sum(s["cost_usd"] for s in data["steps"]))
    code, out, _ = _cli(["runs", "show", run_id[:15], "--state", state], capsys)
    assert code == 0 and "spent vs" in out and "booked" not in out
    code, _, err = _cli(["runs", "show", "nope", "--state", state], capsys)
    assert code == 2 and "no run 'nope'" in err


def test_resume_refuses_a_changed_plan_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write(tmp_path)
    state = str(tmp_path / "st")
    code, out, _ = _cli(
        [
            "run",
            str(plan),
            "-b",
            "mock",
            "--state",
            state,
            "--events",
            "jsonl",
            "--mock-fail-rate",
            "opus=1",
            "--retries",
            "0",
        ],
        capsys,
    )
    assert code == 1
    run_id = json.loads(out.splitlines()[0])["run_id"]
    _write(tmp_path, THREE_WAVES.replace("prompt: second", "prompt: changed"))
    code, _, err = _cli(
        ["run", str(plan), "-b", "mock", "--state", state, "--resume", run_id], capsys
    )
    assert code == 2 and "plan changed" in err
    code, out, _ = _cli(
        [
            "run",
            str(plan),
            "-b",
            "mock",
            "--state",
            state,
            "--resume",
            run_id,
            "--force",
            "--retry-failed",
            "--events",
            "jsonl",
        ],
        capsys,
    )
    started = [json.loads(line)["step"] for line in out.splitlines() if '"step_start"' in line]
    assert code == 0
    # a2's prompt changed but it had finished: kept. Only the failed step runs again.
    assert started == ["c"]


def _spawn(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [*PLANNER, *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # Ctrl-C as at a terminal: a suite started in the background by a shell
        # without job control inherits SIGINT ignored, and so would the run.
        preexec_fn=_sigint_default,
    )


def _sigint_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _read_until(
    proc: subprocess.Popen[str], predicate: object, limit_s: float = 30
) -> list[dict[str, object]]:
    assert proc.stdout is not None
    seen: list[dict[str, object]] = []
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(json.loads(line))
        if predicate(seen):  # type: ignore[operator]
            return seen
    raise AssertionError(f"condition not reached; events: {seen}")


def test_kill_9_mid_run_then_resume_loses_nothing(tmp_path: Path) -> None:
    plan = _write(tmp_path)
    state = tmp_path / "st"
    args = [
        "run",
        str(plan),
        "-b",
        "mock",
        "--mock-latency",
        "0.4",
        "--state",
        str(state),
        "--events",
        "jsonl",
    ]
    proc = _spawn(args, tmp_path)
    try:
        events = _read_until(proc, lambda ev: sum(e["event"] == "step_done" for e in ev) >= 2)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.communicate(timeout=30)  # reaps it and closes the pipes
    assert proc.returncode == -signal.SIGKILL
    run_id = str(events[0]["run_id"])
    db = sqlite3.connect(state / "journal.sqlite")
    done_before = {
        r[0]: r[1] for r in db.execute("SELECT step_id, output FROM steps WHERE status = 'done'")
    }
    assert db.execute("SELECT status FROM runs").fetchone() == ("running",)
    db.close()
    assert {"a1", "a2"} <= set(done_before)
    # Output files are copies written in the background: some may not exist yet.
    files_before = {
        p.stem: p.read_text(encoding="utf-8") for p in (state / "runs" / run_id).glob("*.md")
    }

    listing = subprocess.run(
        [*PLANNER, "runs", "--state", str(state)], capture_output=True, text=True, check=True
    )
    assert "crashed" in listing.stdout

    resumed = subprocess.run(
        [
            *PLANNER,
            "run",
            str(plan),
            "-b",
            "mock",
            "--state",
            str(state),
            "--resume",
            run_id,
            "--events",
            "jsonl",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert resumed.returncode == 0, resumed.stderr
    after = [json.loads(line) for line in resumed.stdout.splitlines()]
    restarted = {e["step"] for e in after if e["event"] == "step_start"}
    assert restarted.isdisjoint(done_before)
    assert restarted | set(done_before) == {"a1", "a2", "b1", "b2", "c"}
    db = sqlite3.connect(state / "journal.sqlite")
    rows = dict(db.execute("SELECT step_id, output FROM steps").fetchall())
    assert set(db.execute("SELECT status FROM steps").fetchall()) == {("done",)}
    assert db.execute("SELECT status FROM runs").fetchone() == ("done",)
    db.close()
    for sid, output in done_before.items():
        assert rows[sid] == output
    for sid, text in files_before.items():
        assert text == rows[sid]
    for sid in rows:
        assert (state / "runs" / run_id / f"{sid}.md").read_text(encoding="utf-8") == rows[sid]


def test_sigint_stops_cleanly_with_exit_130(tmp_path: Path) -> None:
    plan = _write(tmp_path)
    state = tmp_path / "st"
    proc = _spawn(
        [
            "run",
            str(plan),
            "-b",
            "mock",
            # Long, so that even on a starved machine the run is surely mid-call when
            # the signal lands; an interrupted run does not wait for it.
            "--mock-latency",
            "10",
            "--state",
            str(state),
            "--events",
            "jsonl",
        ],
        tmp_path,
    )
    try:
        events = _read_until(proc, lambda ev: any(e["event"] == "step_start" for e in ev))
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    assert "--resume" in err and str(events[0]["run_id"]) in err
    db = sqlite3.connect(state / "journal.sqlite")
    assert db.execute("SELECT status FROM runs").fetchone() == ("interrupted",)
    assert "running" not in {r[0] for r in db.execute("SELECT status FROM steps")}
    assert "running" not in {r[0] for r in db.execute("SELECT status FROM attempts")}
    db.close()


def test_runs_with_no_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(["runs", "--state", str(tmp_path / "none")], capsys)
    assert code == 0 and "no runs" in out
    assert not (tmp_path / "none").exists()


def test_configuration_sets_backend_and_limits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path.parent)
    (tmp_path / "planner.toml").write_text(
        '[run]\nbackend = "mock"\nmax_parallel = 1\nstate_dir = "journal-here"\nretries = 0\n',
        encoding="utf-8",
    )
    plan = _write(tmp_path)
    code, out, _ = _cli(["run", str(plan), "--events", "jsonl"], capsys)
    events = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and events[0]["backend"] == "mock"
    assert events[0]["state_dir"] == str(tmp_path / "journal-here")
    assert (tmp_path / "journal-here" / "journal.sqlite").is_file()
    # max_parallel = 1: every start follows the previous step's end.
    order = [e["event"] for e in events if e["event"] in ("step_start", "step_done")]
    assert order == ["step_start", "step_done"] * 5


def test_paid_run_asks_on_a_terminal_above_the_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import planner.cli.run as cli_run

    asked: list[str] = []

    def answer_no(text: str, **_: object) -> bool:
        asked.append(text)
        return False

    monkeypatch.setattr(cli_run, "_interactive", lambda: True)
    monkeypatch.setattr(cli_run.click, "confirm", answer_no)
    plan = _write(tmp_path)
    state = tmp_path / "st"
    args = ["run", str(plan), "-b", "command", "--command", "true", "--state", str(state)]
    (tmp_path / "planner.toml").write_text("[run]\nconfirm_above_usd = 0.0001\n", encoding="utf-8")
    code, _, err = _cli(args, capsys)
    assert code == 1 and "not started" in err
    assert len(asked) == 1 and "estimated at $" in asked[0]
    assert not state.exists()
    # Below the threshold nothing is asked and the run goes ahead.
    (tmp_path / "planner.toml").write_text("[run]\nconfirm_above_usd = 1000\n", encoding="utf-8")
    code, _, _ = _cli(args, capsys)
    assert code == 0 and len(asked) == 1


def test_run_and_lint_agree_on_structural_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("planner.linter")
    plan = _write(
        tmp_path, "version: 1\nsteps:\n  - {id: a, depends_on: [b]}\n  - {id: b, depends_on: [a]}\n"
    )
    code, _, err = _cli(["run", str(plan), "-b", "mock"], capsys)
    assert code == 2
    reason = err.strip().split(": ", 2)[-1]  # after "planner: PATH:LINE:COL: "
    assert reason == 'dependency cycle: "a" -> "b" -> "a"'
    _, lint_out, _ = _cli(["lint", str(plan)], capsys)
    assert reason in lint_out


def test_missing_sdk_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "anthropic", None)  # as if the extra were not installed
    plan = _write(tmp_path)
    code, _, err = _cli(["run", str(plan), "-b", "anthropic", "--yes", "--state", str(tmp_path / "st")], capsys)
    assert code == 2
    assert "pip install 'pattern-planner[anthropic]'" in err


def test_dry_and_mock_runs_never_import_the_sdk(tmp_path: Path) -> None:
    plan = _write(tmp_path)
    code = (
        "import sys, json, contextlib, io\n"
        "from planner.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    main(['run', {str(plan)!r}])\n"
        f"    main(['run', {str(plan)!r}, '-b', 'mock', '--state', {str(tmp_path / 'st')!r}])\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('anthropic', 'httpx', 'httpx2'))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []
