"""The command backend with real command-line tools, played by small fake CLIs (no network).

`claude -p --output-format json` and `llm -m MODEL` are written here as
scripts with the same interface: argv, prompt on stdin, a result on stdout, an
error on stderr or in the result, an exit status.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from planner.cli import main
from planner.errors import InputError
from planner.runner import run
from planner.runner.backends.command import agent_result, heals
from planner.runner.journal import Journal
from tests.run_helpers import plan_from, steps_yaml

PLAN = steps_yaml(
    "  - {id: a, tier: haiku, max_tokens: 200}",
    "  - {id: b, tier: sonnet, max_tokens: 300, depends_on: [a]}",
)

# Plays `claude -p`: FAKE_MODES is a comma-separated script of replies, one per call.
FAKE_CLAUDE = r"""
import json, os, sys
args = sys.argv[1:]
sys.stdin.read()
log = os.environ["FAKE_LOG"]
with open(log, "a") as fh:
    fh.write(json.dumps(args) + "\n")
calls = sum(1 for _ in open(log))
modes = os.environ.get("FAKE_MODES", "ok").split(",")
mode = modes[min(calls, len(modes)) - 1]
model = args[args.index("--model") + 1] if "--model" in args else "default"
fmt = args[args.index("--output-format") + 1] if "--output-format" in args else "text"
result = {
    "type": "result", "subtype": "success", "is_error": False, "duration_ms": 5,
    "num_turns": 3, "session_id": "s1", "total_cost_usd": 0.0123,
    "usage": {"input_tokens": 10, "cache_creation_input_tokens": 5,
              "cache_read_input_tokens": 20, "output_tokens": 30},
    "result": "answer from " + model,
}
code = 0
if mode == "auth":
    result.update(is_error=True, result="Invalid API key \u00b7 Please run /login", total_cost_usd=0)
    code = 1
elif mode == "overloaded":
    result.update(is_error=True, result="API Error: 529 Overloaded", total_cost_usd=0.001)
    code = 1
elif mode == "max_turns":
    result.update(subtype="error_max_turns", total_cost_usd=0.02)
    del result["result"]
    code = 1
elif mode == "nan":
    result["total_cost_usd"] = float("nan")
elif mode == "crash":
    sys.stderr.write("Segmentation fault\n")
    sys.exit(139)
if fmt == "text":
    print(result.get("result", ""))
elif fmt == "stream-json":
    print(json.dumps({"type": "system", "subtype": "init", "session_id": "s1"}))
    print(json.dumps({"type": "assistant", "message": {"content": [{"type": "text", "text": "thinking"}]}}))
    print(json.dumps(result))
else:
    print(json.dumps(result))
sys.exit(code)
"""

# Plays `llm -m MODEL` with the llm-anthropic plugin: it knows its own names only.
FAKE_LLM = r"""
import json, os, sys
args = sys.argv[1:]
prompt = sys.stdin.read()
with open(os.environ["FAKE_LOG"], "a") as fh:
    fh.write(json.dumps(args) + "\n")
model = args[args.index("-m") + 1]
known = {"claude-haiku-4.5", "claude-sonnet-4.5", "claude-opus-4.5", "my-haiku"}
if model not in known:
    sys.stderr.write(f"Error: Unknown model: {model}\n")
    sys.exit(1)
print(f"{model} says hi ({len(prompt)} chars in)")
"""


@pytest.fixture
def tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bin folder holding `claude` and `llm`, first on PATH; calls are logged to FAKE_LOG."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in (("claude", FAKE_CLAUDE), ("llm", FAKE_LLM)):
        path = bin_dir / name
        path.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
        path.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_LOG", str(tmp_path / "calls.log"))
    return tmp_path


def _calls(tools: Path) -> list[list[str]]:
    log = tools / "calls.log"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def _cli(
    tools: Path, capsys: pytest.CaptureFixture[str], command: str, *extra: str, plan: str = PLAN
) -> tuple[int, str, str]:
    path = tools / "p.yaml"
    path.write_text(plan, encoding="utf-8")
    args = ["run", str(path), "-b", "command", "--command", command, "--state", str(tools / "st")]
    code = main([*args, "--backoff-base", "0.001", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def _show(tools: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["runs", "--state", str(tools / "st"), "--format", "json"]) == 0
    run_id = json.loads(capsys.readouterr().out)[0]["run_id"]
    assert main(["runs", "--state", str(tools / "st"), "show", run_id, "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


CLAUDE = "claude -p --model {model} --output-format json"


@pytest.mark.parametrize("fmt", ["json", "stream-json"])
def test_claude_json_result_is_the_output_and_its_cost_is_booked(
    tools: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, err = _cli(tools, capsys, CLAUDE.replace("json", fmt), "--yes")
    assert code == 0, out + err
    data = _show(tools, capsys)
    outputs = {p.stem: p.read_text(encoding="utf-8") for p in (tools / "st").rglob("*.md")}
    assert outputs == {"a": "answer from claude-haiku-4-5", "b": "answer from claude-sonnet-4-5"}
    for step in data["steps"]:
        assert step["cost_usd"] == pytest.approx(0.0123) and step["booked_usd"] == 0
        assert step["input_tokens"] == 35 and step["output_tokens"] == 30
    assert data["cost_usd"] == pytest.approx(0.0246) and data["booked_usd"] == 0


def test_plain_text_output_is_booked_at_worst_case_and_labelled_so(
    tools: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _cli(tools, capsys, "claude -p --model {model}", "--yes", "--events", "plain")
    assert code == 0
    assert "booked, not measured" in out and "actual" not in out
    assert "(booked at worst case)" in err and "of it booked at worst case" in err
    data = _show(tools, capsys)
    assert data["booked_usd"] == pytest.approx(data["cost_usd"]) and data["cost_usd"] > 0
    assert all(a["booked"] == 1 and a["cost"] == a["reserved"] for a in data["attempts"])
    assert main(["runs", "--state", str(tools / "st"), "show", data["run_id"]]) == 0
    assert "booked at worst case" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("modes", "calls", "status", "cost"),
    [
        ("auth", 1, "failed", 0.0),  # authentication never heals
        (
            "max_turns",
            1,
            "failed",
            0.02,
        ),  # the same turn limit would stop it again; its spend is booked
        ("overloaded,ok", 2, "done", 0.001 + 0.0123),  # overload heals
    ],
)
def test_claude_errors_are_retried_only_when_they_can_heal(
    tools: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    modes: str,
    calls: int,
    status: str,
    cost: float,
) -> None:
    monkeypatch.setenv("FAKE_MODES", modes)
    plan = steps_yaml("  - {id: a, tier: haiku, max_tokens: 200}")
    _cli(tools, capsys, CLAUDE, "--yes", "--retries", "3", plan=plan)
    assert len(_calls(tools)) == calls
    data = _show(tools, capsys)
    assert data["steps"][0]["status"] == status
    assert data["cost_usd"] == pytest.approx(cost)


def test_a_nan_cost_from_the_tool_is_booked_at_worst_case(
    tools: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MODES", "nan")
    code, _, _ = _cli(tools, capsys, CLAUDE, "--yes", "--events", "jsonl")
    assert code == 0
    data = _show(tools, capsys)
    assert data["booked_usd"] == pytest.approx(data["cost_usd"]) and data["cost_usd"] > 0


def test_a_crash_that_may_have_called_a_model_is_retried_and_booked(
    tools: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MODES", "crash,ok")
    plan = steps_yaml("  - {id: a, tier: haiku, max_tokens: 200}")
    code, _, _ = _cli(tools, capsys, CLAUDE, "--yes", plan=plan)
    assert code == 0 and len(_calls(tools)) == 2
    first, second = _show(tools, capsys)["attempts"]
    assert (
        first["status"] == "error" and first["booked"] == 1 and first["cost"] == first["reserved"]
    )
    assert second["cost"] == pytest.approx(0.0123) and second["booked"] == 0


def test_llm_gets_its_own_model_names_and_max_tokens(
    tools: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _cli(
        tools, capsys, "llm -m {model} -o max_tokens {max_tokens}", "--yes", "--retries", "0"
    )
    assert code == 0, out + err
    assert sorted(_calls(tools)) == [
        ["-m", "claude-haiku-4.5", "-o", "max_tokens", "200"],
        ["-m", "claude-sonnet-4.5", "-o", "max_tokens", "300"],
    ]


def test_model_names_come_from_configuration_and_a_wrong_one_is_not_retried(
    tools: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tools / "planner.toml").write_text(
        '[tiers.haiku.models]\nllm = "my-haiku"\n[tiers.sonnet.models]\nllm = "no-such-model"\n',
        encoding="utf-8",
    )
    code, out, _ = _cli(tools, capsys, "llm -m {model}", "--yes", "--retries", "3")
    assert code == 1
    assert [c[1] for c in _calls(tools)] == ["my-haiku", "no-such-model"]  # no retry
    assert "Unknown model: no-such-model" in out


def test_a_command_that_is_not_installed_stops_before_the_run(
    tools: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _cli(tools, capsys, "no-such-tool-4f2a -m {model}", "--yes")
    assert code == 2
    assert "no-such-tool-4f2a" in err and "not found" in err and len(err.strip().splitlines()) == 1
    assert not (tools / "st").exists()


def test_anthropic_without_a_key_stops_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("anthropic")
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    plan = tmp_path / "p.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    state = tmp_path / "st"
    code = main(["run", str(plan), "-b", "anthropic", "--yes", "--state", str(state)])
    err = capsys.readouterr().err
    assert code == 2 and "ANTHROPIC_API_KEY" in err and len(err.strip().splitlines()) == 1
    assert not state.exists()
    with pytest.raises(InputError, match="API key"):
        run(plan_from(PLAN), "anthropic", state_dir=state)
    assert not state.exists()


def test_resuming_a_capped_paid_run_without_a_terminal_uses_the_recorded_cap(
    tools: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MODES", "ok,auth,ok")
    code, out, _ = _cli(tools, capsys, CLAUDE, "--max-cost", "1.5")
    assert code == 1 and "of $1.5000 budget" in out
    run_id = _show(tools, capsys)["run_id"]
    # No --max-cost, no --yes, no terminal: the journal's cap is the consent.
    code, out, err = _cli(tools, capsys, CLAUDE, "--resume", run_id, "--retry-failed")
    assert code == 0, err
    assert "of $1.5000 budget" in out
    assert _show(tools, capsys)["max_cost_usd"] == 1.5


def test_a_library_resume_keeps_the_recorded_cap(tools: Path) -> None:
    plan = plan_from(steps_yaml("  - {id: a, tier: haiku, max_tokens: 200}"))
    first = run(plan, "command", command=CLAUDE.split(), max_cost=0.5, state_dir=tools / "st")
    again = run(
        plan, "command", command=CLAUDE.split(), state_dir=tools / "st", resume=first.run_id
    )
    assert first.max_cost_usd == again.max_cost_usd == 0.5


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Invalid API key · Please run /login", False),
        ("Error: Unknown model: claude-haiku-4-5", False),
        ("HTTP 401 Unauthorized", False),
        ("400 Bad Request: max_tokens too large", False),
        ("usage: llm [OPTIONS] PROMPT", False),
        ("Error: No such option: --bogus", False),
        ("429 You exceeded your current quota, please check your plan and billing", False),
        ("Your credit balance is too low", False),
        ("API Error: 529 Overloaded", True),
        ("Rate limit reached for requests", True),
        ("503 Service Unavailable", True),
        ("Connection reset by peer", True),
        ("Request timed out", True),
        ("Segmentation fault", True),  # unknown: may pass
        ("", True),
    ],
)
def test_which_failures_heal(message: str, expected: bool) -> None:
    assert heals(message) is expected


@pytest.mark.parametrize(
    "text",
    [
        '{"type": "result", "value": 1}',  # a command's own JSON, not claude's result
        '{"answer": 42}',
        "[1, 2, 3]",
        "plain text",
        "{not json",
    ],
)
def test_other_output_stays_plain_text(text: str) -> None:
    assert agent_result(text) is None


def test_a_v1_journal_gains_the_booked_column(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    Journal(path).close()
    # the same journal as version 1 wrote it: no booked column, user_version 1
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE attempts DROP COLUMN booked")
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO attempts (run_id, step_id, attempt, round, status, cost, started_at)"
            " VALUES ('r', 'a', 1, 1, 'ok', 0.5, 0)"
        )
    journal = Journal(path)
    try:
        assert journal.booked("r") == {}
        assert journal.attempts("r")[0]["booked"] == 0
    finally:
        journal.close()
