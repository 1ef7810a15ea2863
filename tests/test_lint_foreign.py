"""`planner lint` on CrewAI, Claude Code and Google ADK configs.

Cases are folders under tests/foreign_cases/: the files of a config, an
``expect.txt`` listing ``path:line:col CODE`` (paths relative to the folder;
empty means no findings) and, optionally, ``args.txt`` naming what to pass to
``planner lint`` (default: the folder itself).
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from export_helpers import awkward_ids, golden, suggested, write_files
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import lint
from planner.cli import main
from planner.config import default_config
from planner.linter.foreign import format_of, read_plan
from planner.linter.rules import registry
from planner.plan import Plan
from planner.renderer import render
from planner.renderer.export import estimate_for, view_for

CASES = Path(__file__).parent / "foreign_cases"
ALL = sorted(p for p in CASES.iterdir() if p.is_dir())
LINE = re.compile(r"^(.+):(\d+):(\d+) (PL\d{3})$")
REPO = Path(__file__).resolve().parent.parent


def expected(case: Path) -> set[tuple[str, int, int, str]]:
    out = set()
    for line in (case / "expect.txt").read_text(encoding="utf-8").splitlines():
        m = LINE.match(line.strip())
        assert m, f"bad expect line: {line!r}"
        out.add((m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)))
    return out


@pytest.mark.parametrize("case", ALL, ids=lambda p: p.name)
def test_case(case: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(case)
    args = (case / "args.txt").read_text().split() if (case / "args.txt").exists() else ["."]
    code = main(["lint", *args, "--output-format", "json"])
    found = json.loads(capsys.readouterr().out)
    got = {(Path(f["path"]).as_posix().removeprefix("./"), f["line"], f["column"], f["code"]) for f in found}
    want = expected(case)
    assert got == want, [f"{f['path']}:{f['line']}:{f['column']} {f['code']} {f['message']}" for f in found]
    assert code == (1 if want else 0)


def test_every_framework_rule_has_a_case() -> None:
    covered = {code for case in ALL for *_, code in expected(case)}
    assert {c for c in registry() if c.startswith("PL2")} <= covered


# --- round trip: export, lint back, same plan ------------------------------------


def plans() -> list[tuple[str, Plan]]:
    return [*golden(), *suggested(), ("awkward", awkward_ids())]


def _tiers(plan: Plan) -> dict[str, str]:
    config = default_config()
    from planner.plan.estimate import step_tier

    return {s.id: step_tier(s, config) for s in plan.steps}


@pytest.mark.parametrize(("name", "plan"), plans(), ids=lambda v: v if isinstance(v, str) else "")
def test_crewai_round_trip(tmp_path: Path, name: str, plan: Plan) -> None:
    """A crew exported by planner and linted back has the plan's steps, dependencies and tiers
    (task keys are the step ids made identifiers, as CrewBase needs)."""
    write_files(tmp_path, render(plan, "crewai"))
    back = read_plan([str(tmp_path / "config" / "tasks.yaml")])
    assert back is not None
    name_of = view_for(plan, "crewai", default_config())["name_of"]
    assert [s.id for s in back.steps] == [name_of[sid] for sid in _crew_order(plan)]
    by_name = {s.id: s for s in back.steps}
    tiers = _tiers(plan)
    for s in plan.steps:
        got = by_name[name_of[s.id]]
        assert got.depends_on == tuple(name_of[d] for d in s.depends_on)
        assert got.tier == tiers[s.id]
        assert got.role == s.role
        assert got.title == s.label


def _crew_order(plan: Plan) -> list[str]:
    from planner.renderer import schedule

    return [t.id for t in schedule.crew_order(list(plan.ids), {s.id: s.depends_on for s in plan.steps})]


@pytest.mark.parametrize(("name", "plan"), plans(), ids=lambda v: v if isinstance(v, str) else "")
def test_claude_agents_round_trip(tmp_path: Path, name: str, plan: Plan) -> None:
    write_files(tmp_path, render(plan, "claude-agents"))
    back = read_plan([str(tmp_path / ".claude" / "agents" / f"{plan.ids[0]}.md")])
    assert back is not None
    by_id = {s.id: s for s in back.steps}
    tiers = _tiers(plan)
    assert set(by_id) == set(plan.ids)
    for s in plan.steps:
        assert by_id[s.id].depends_on == s.depends_on
        assert by_id[s.id].tier == tiers[s.id]
        assert by_id[s.id].role == s.role


@pytest.mark.parametrize(("name", "plan"), suggested(), ids=lambda v: v if isinstance(v, str) else "")
def test_suggested_plans_lint_clean_in_every_framework(tmp_path: Path, name: str, plan: Plan) -> None:
    """What `suggest` writes lints clean; so do its CrewAI and Claude Code exports,
    and the estimate read back from them is the plan's own."""
    config = default_config()
    if lint(plan):
        pytest.skip("the forced pattern repeats an anti-pattern in the plan itself")
    write_files(tmp_path / "crew", render(plan, "crewai"))
    write_files(tmp_path / "claude", render(plan, "claude-agents"))
    assert lint(str(tmp_path / "crew" / "config" / "tasks.yaml")) == []
    assert lint(str(tmp_path / "claude" / ".claude" / "agents" / f"{plan.ids[0]}.md")) == []
    # The configs do not carry the task as such, so compare with the plan's estimate without it.
    want = estimate_for(replace(plan, estimate=None, task=None), config)
    claude = tmp_path / "claude" / ".claude" / "agents" / f"{plan.ids[0]}.md"
    # CrewAI has no loops: a repeating step runs once there, so its estimate is smaller.
    repeats = any(s.repeats for s in plan.steps)
    for path in [claude] if repeats else [tmp_path / "crew" / "config" / "tasks.yaml", claude]:
        back = read_plan([str(path)])
        assert back is not None
        got = estimate_for(back, config)
        assert want is not None and got is not None
        assert (got.tokens, got.cost_usd) == (want.tokens, want.cost_usd)


# --- the command line and the API ----------------------------------------------------


def test_estimate_is_printed_for_plans_and_frameworks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    plan = golden()[2][1]
    (tmp_path / "a.plan.yaml").write_text(render(plan, "yaml"), encoding="utf-8")
    write_files(tmp_path / "crew", render(plan, "crewai"))
    main(["lint", ".", "--estimate", "--exit-zero"])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "on the critical path" in line]
    assert [line.split(":")[0] for line in lines] == ["crew/config/tasks.yaml", "a.plan.yaml"]
    assert len({line.split(": ", 1)[1].split(", ~")[1] for line in lines}) == 1  # same tokens
    # Machine formats keep stdout for the document.
    main(["lint", ".", "--estimate", "--output-format", "json", "--exit-zero"])
    captured = capsys.readouterr()
    json.loads(captured.out)
    assert "on the critical path" in captured.err


def test_library_lint_reads_framework_configs() -> None:
    findings = lint(str(CASES / "claude-bad" / ".claude" / "agents" / "reviewer.md"))
    assert {f.code for f in findings} >= {"PL202", "PL201", "PL004"}
    assert all(f.path.endswith(".md") for f in findings)


def test_unreadable_framework_file_is_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "tasks.yaml").write_bytes(b"\x00\x01binary")
    assert main(["lint", str(tmp_path / "tasks.yaml"), "--output-format", "concise"]) == 1
    assert "PL002" in capsys.readouterr().out


def test_format_of_names() -> None:
    assert format_of("proj/src/crew/config/tasks.yaml") == "crewai"
    assert format_of("agents.yml") == "crewai"
    assert format_of("repo/.claude/agents/reviewer.md") == "claude-agents"
    assert format_of("repo/.claude/reviewer.md") is None
    assert format_of("my_agent/root_agent.yaml") == "adk"
    assert format_of("review.plan.yaml") is None


def test_pre_commit_hook_covers_framework_files() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    pattern = re.compile(hook["files"])
    for path in (
        "plans/review.plan.yaml",
        "review.plan.yml",
        "src/crew/config/agents.yaml",
        "tasks.yml",
        ".claude/agents/reviewer.md",
        "sub/.claude/agents/test-runner.md",
        "my_agent/root_agent.yaml",
    ):
        assert pattern.search(path), path
    for path in ("README.md", ".claude/settings.json", "docs/agents.md", "ci/deploy.yaml", "my_tasks.yaml"):
        assert not pattern.search(path), path


# --- bad input never gives a traceback -------------------------------------------------

NAMES = ["config/tasks.yaml", "config/agents.yaml", ".claude/agents/x.md", "root_agent.yaml"]
FRAGMENTS = st.sampled_from(
    [
        "", "---\n", "---\nname: x\n---\n", "a: [1, 2", "- 1\n- 2\n", "x:\n  context: [y]\n",
        "x:\n  context: 5\n  agent: [a]\n", "agent_class: LoopAgent\nsub_agents: [{config_path: root_agent.yaml}]\n",
        "sub_agents: 7\nname: n\ninstruction: i\n", "name:\n  - a\ndescription: {}\nmodel: 3\n",
        "x: &a [*a]\n", "\ufeffk: v\n", "\x00\x01", "!!python/object:os.system\n",
        "x:\n  description: d\n  expected_output: e\n  agent: a\n  async_execution: yes\n",
    ]
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(NAMES), st.one_of(FRAGMENTS, st.text(max_size=80))), min_size=1, max_size=4))
def test_any_content_gives_findings_never_a_traceback(files: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, text in files:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        targets = sorted({str(root / name) for name, _ in files})
        for args in (targets, [str(root)]):
            assert main(["lint", *args, "--output-format", "json", "--estimate"]) in (0, 1)
