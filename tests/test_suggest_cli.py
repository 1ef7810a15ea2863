"""`planner suggest` on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import cli
from planner.plan import load_plan

TASK = "Find out how Flask, Spring and Phoenix deal with request validation and sum up how they differ."


def run(*args: str, input: bytes | str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["suggest", *args], input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_text_report_has_every_part() -> None:
    code, out, _ = run(TASK)
    assert code == 0
    for part in ("Pattern: Fan-Out / Fan-In (fan-out-fan-in)", "Why:", "Agents (4):", "depends on",
                 "Estimate", "critical path", "speedup", "all on haiku", "Alternatives:", "Save this plan:"):
        assert part in out, part
    # the report shows every step title
    _, doc, _ = run(TASK, "--format", "json")
    assert all(step["title"] in out for step in json.loads(doc)["steps"])


def test_json_is_the_plan_document() -> None:
    code, out, _ = run(TASK, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["version"] == 1 and data["pattern"] == "fan-out-fan-in"
    for key in ("task", "steps", "rationale", "alternatives", "estimate"):
        assert key in data
    assert all({"id", "role", "tier", "depends_on"} <= set(s) for s in data["steps"])
    assert "x-cheapest-tier-cost-usd" in data["estimate"]


def test_yaml_loads_as_a_plan(tmp_path: Path) -> None:
    code, out, _ = run(TASK, "--format", "yaml")
    assert code == 0
    plan = load_plan(out)
    assert plan.pattern == "fan-out-fan-in"


def test_yaml_lints_clean(tmp_path: Path) -> None:
    lint = pytest.importorskip("planner.linter")
    path = tmp_path / "x.plan.yaml"
    assert run(TASK, "-o", str(path))[0] == 0
    assert lint.lint(path) == []


def test_byte_identical_output() -> None:
    for fmt in ("text", "json", "yaml", "markdown"):
        assert run(TASK, "--format", fmt)[1] == run(TASK, "--format", fmt)[1]


def test_explain_shows_features_rules_scores_and_config() -> None:
    code, out, _ = run(TASK, "--explain")
    assert code == 0
    for part in ("Explanation:", "configuration:", "Features:", "branches", "Rules that fired:",
                 "rules/selection.toml:", "Scores:", "<- chosen", "competitive-evaluation"):
        assert part in out, part


def test_explain_with_json_keeps_stdout_clean() -> None:
    code, out, err = run(TASK, "--format", "json", "--explain")
    assert code == 0
    json.loads(out)
    assert "Rules that fired:" in err


def test_explain_names_the_config_file(tmp_path: Path) -> None:
    cfg = tmp_path / "planner.toml"
    cfg.write_text("fan_out_default = 4\n", encoding="utf-8")
    code, out, _ = run("Survey the market and summarize it.", "--explain", "--config", str(cfg))
    assert code == 0
    assert f"configuration: {cfg}" in out


def test_forced_pattern_and_max_agents() -> None:
    code, out, _ = run(TASK, "--pattern", "pipeline", "--format", "json")
    assert code == 0 and json.loads(out)["pattern"] == "pipeline"
    code, out, _ = run(TASK, "--max-agents", "3", "--format", "json")
    assert code == 0 and len(json.loads(out)["steps"]) <= 3
    code, _, _ = run(TASK, "--pattern", "star")
    assert code == 2


def test_stdin_and_its_errors() -> None:
    code, out, _ = run("-", "--format", "json", input=TASK.encode())
    assert code == 0 and json.loads(out)["task"] == TASK
    code, _, err = run("-", input=b"\xff\xfe bad bytes \xc3")
    assert code == 2 and "not valid UTF-8" in err
    code, _, err = run("-", input=b"  \n\t ")
    assert code == 2 and "task is empty" in err


def test_empty_argument_is_refused() -> None:
    code, _, err = run("   ")
    assert code == 2 and "task is empty" in err


def test_output_file_refuses_overwrite_and_writes_atomically(tmp_path: Path) -> None:
    path = tmp_path / "plan.plan.yaml"
    path.write_text("keep me\n", encoding="utf-8")
    code, _, err = run(TASK, "-o", str(path))
    assert code == 2 and "already exists" in err
    assert path.read_text(encoding="utf-8") == "keep me\n"
    code, _, err = run(TASK, "-o", str(path), "--force")
    assert code == 0 and "wrote" in err
    assert load_plan(path).pattern == "fan-out-fan-in"  # format inferred from the suffix
    assert [p.name for p in tmp_path.iterdir()] == ["plan.plan.yaml"]  # no temporary files left


def test_output_json_suffix_and_missing_folder(tmp_path: Path) -> None:
    code, _, _ = run(TASK, "-o", str(tmp_path / "p.json"))
    assert code == 0 and json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))["version"] == 1
    code, _, err = run(TASK, "-o", str(tmp_path / "missing" / "p.json"))
    assert code == 2 and "no such directory" in err


def test_diagram_options() -> None:
    for direction in ("TD", "LR"):
        code, out, _ = run(TASK, "--ascii", "--direction", direction, "--max-width", "120")
        assert code == 0
        diagram = out.split("depends on")[1].split("Estimate")[0]
        assert diagram.isascii()
        for title in ("Flask", "Spring", "Phoenix"):
            assert title in diagram
    code, _, _ = run(TASK, "--direction", "up")
    assert code == 2


def test_wide_plans_fit_the_terminal_and_long_dependency_lists_are_shortened(monkeypatch: pytest.MonkeyPatch) -> None:
    task = "Translate the help center into twelve languages"
    monkeypatch.setenv("COLUMNS", "100")
    # the drawing is what is tested, so the wide shape is asked for, whatever the advisor's choice
    code, out, _ = run(task, "--pattern", "fan-out-fan-in")
    assert code == 0
    agents, rest = out.split("Agents (", 1)[1].split("\n\n", 1)
    diagram = rest.split("Estimate")[0]
    # twelve boxes side by side do not fit in 100 columns: the diagram follows COLUMNS
    assert max(len(line) for line in diagram.splitlines()) <= 100
    join = [line for line in agents.splitlines() if " and 9 more" in line]
    assert len(join) == 1  # the step after all twelve names three of them and counts the rest
    monkeypatch.delenv("COLUMNS")
    _, piped, _ = run(task)
    assert max(len(line) for line in piped.split("Estimate")[0].splitlines()) > 100  # a pipe is unlimited
    code, wide, _ = run(task, "--max-width", "400")
    assert code == 0 and wide == piped


def test_markdown_format() -> None:
    code, out, _ = run(TASK, "--format", "markdown")
    assert code == 0
    assert out.lstrip().startswith("#")


def test_bad_config_exits_2(tmp_path: Path) -> None:
    cfg = tmp_path / "planner.toml"
    cfg.write_text("colour = 1\n", encoding="utf-8")
    code, _, err = run(TASK, "--config", str(cfg))
    assert code == 2 and "colour" in err


@pytest.mark.slow
def test_real_process_exit_codes_and_one_line_errors() -> None:
    exe = [sys.executable, "-m", "planner", "suggest"]
    bad = subprocess.run([*exe, "-"], input=b"\x80\x81", capture_output=True, timeout=60)
    assert bad.returncode == 2
    assert bad.stderr.decode().count("\n") == 1 and "UTF-8" in bad.stderr.decode()
    big = subprocess.run([*exe, "-", "--format", "json"], input=("Investigate the failing import. " * 33_000).encode(),
                         capture_output=True, timeout=120)
    assert big.returncode == 0
    assert json.loads(big.stdout)["pattern"]


def test_patterns_command_lists_the_catalog() -> None:
    result = CliRunner().invoke(cli, ["patterns"])
    assert result.exit_code == 0
    for slug in ("direct", "fan-out-fan-in", "pipeline", "parallel-pipelines", "scout-build",
                 "competitive-evaluation", "incremental-refinement"):
        assert slug in result.stdout
    data = json.loads(CliRunner().invoke(cli, ["patterns", "--format", "json"]).stdout)
    assert {"slug", "name", "use_when", "why", "shape", "also_known_as"} <= set(data[0])


def test_contradictory_cues_are_explained() -> None:
    code, out, _ = run("Quickly and cheaply fix the critical security hole in login.py.", "--format", "json")
    assert code == 0
    assert any("cancel out" in r for r in json.loads(out)["rationale"])


def test_text_and_json_do_not_import_jinja2() -> None:
    code = (
        "import sys, io, contextlib\nfrom planner.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['suggest', 'Compare Redis and Memcached and recommend one'])\n"
        "    main(['suggest', 'Compare Redis and Memcached and recommend one', '--format', 'json'])\n"
        "print('jinja2' in sys.modules, 'sklearn' in sys.modules, 'planner.runner' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


@pytest.mark.parametrize("args", [[TASK], [TASK, "--format", "json"], [TASK, "--format", "langgraph"]])
def test_collector_is_back_on_after_a_suggestion(args: list[str]) -> None:
    # suggest pauses the cyclic collector while the models load and the report is
    # built; a caller running the command in its own process must get it back on
    import gc

    assert gc.isenabled()
    code, _, _ = run(*args)
    assert code == 0
    assert gc.isenabled()



def test_collector_is_back_on_when_the_paused_work_fails() -> None:
    import gc

    from planner.gcpause import paused_gc

    with pytest.raises(ValueError), paused_gc():
        assert not gc.isenabled()
        raise ValueError("the work failed")
    assert gc.isenabled()
