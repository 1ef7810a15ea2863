"""Framework exports without the frameworks: types, files, valid code, user text as data,
the shapes each framework can hold, and the CLI. The real libraries check the
exports in tests/test_export_frameworks.py."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from export_helpers import awkward_ids, for_each_plan, golden, n_shape, suggested
from hypothesis import given
from hypothesis import strategies as st

from planner.cli import main
from planner.diagram.text import clean
from planner.plan import Plan, Step
from planner.renderer import EXPORT_FORMATS, FOLDER_FORMATS, render, schedule
from planner.renderer.pycode import identifier, py_names, py_str, py_value

PYTHON_FILES = {"langgraph": "graph.py", "adk": "agent.py", "claude-sdk": "run_plan.py"}


def all_plans() -> list[tuple[str, Plan]]:
    return [*golden(), *suggested(), ("awkward", awkward_ids()), ("n-shape", n_shape()), ("for-each", for_each_plan())]


def steps_literal(source: str) -> dict[str, dict[str, Any]]:
    """The STEPS dict of a generated module, read without running it."""
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "STEPS":
            assert node.value is not None
            value: dict[str, dict[str, Any]] = ast.literal_eval(node.value)
            return value
    raise AssertionError("no STEPS in the module")


def task_literal(source: str) -> str:
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "TASK":
            value: str = ast.literal_eval(node.value)
            return value
    raise AssertionError("no TASK in the module")


# --- render() types and files ------------------------------------------------------


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_render_returns_text_or_files(fmt: str) -> None:
    _, plan = golden()[0]
    out = render(plan, fmt)
    if fmt in FOLDER_FORMATS:
        assert isinstance(out, dict) and all(isinstance(v, str) for v in out.values())
    else:
        assert isinstance(out, str)


def test_folder_exports_name_their_files() -> None:
    plan = awkward_ids()
    crew = render(plan, "crewai")
    assert sorted(crew) == ["config/agents.yaml", "config/tasks.yaml", "crew.py"]
    claude = render(plan, "claude-agents")
    assert sorted(claude) == sorted(
        ["ORCHESTRATION.md", *(f".claude/agents/{s.id}.md" for s in plan.steps)]
    )


@pytest.mark.parametrize(("name", "plan"), all_plans(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_plan_exports_to_every_format(name: str, plan: Plan) -> None:
    for fmt in EXPORT_FORMATS:
        out = render(plan, fmt)
        files = out if isinstance(out, dict) else {PYTHON_FILES[fmt]: out}
        for path, text in files.items():
            if path.endswith(".py"):
                compile(text, path, "exec")
            elif path.endswith(".yaml"):
                assert isinstance(yaml.safe_load(text), dict)
        if fmt in PYTHON_FILES:
            found = steps_literal(out)  # type: ignore[arg-type]
            assert list(found) == list(plan.ids)
            assert {k: v["depends_on"] for k, v in found.items()} == {
                s.id: list(s.depends_on) for s in plan.steps
            }


@pytest.mark.parametrize(("name", "plan"), all_plans(), ids=lambda v: v if isinstance(v, str) else "")
def test_exports_carry_the_estimate_and_the_step_ids(name: str, plan: Plan) -> None:
    for fmt in EXPORT_FORMATS:
        out = render(plan, fmt)
        text = "\n".join(out.values()) if isinstance(out, dict) else out
        assert "Estimate (planner, rough): ~" in text
        if fmt != "crewai":  # CrewAI keys are identifiers, checked in the round trip
            for s in plan.steps:
                assert s.id in text


# --- user text stays data ----------------------------------------------------------

NASTY = [
    'quote " and \' both',
    "back\\slash \\n not a newline",
    'triple """ inside',
    "{{ jinja }} {% if %} {state_key} {x?}",
    "line one\nline two\n",
    "trailing quote\"",
    "tab\tand\rreturn",
    "\u2028 separator \x00 nul \x85 nel",
    "emoji 😀 日本",
    "",
]

text = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))


@st.composite
def random_plans(draw: st.DrawFn) -> Plan:
    n = draw(st.integers(min_value=1, max_value=6))
    ids = draw(st.lists(st.from_regex(r"[a-z0-9][a-z0-9_-]{0,8}", fullmatch=True), min_size=n, max_size=n, unique=True))
    steps = []
    for i, sid in enumerate(ids):
        deps = draw(st.lists(st.sampled_from(ids[:i]), unique=True, max_size=3)) if i else []
        steps.append(
            Step(
                sid,
                title=draw(text),
                role=draw(st.sampled_from(["explore", "implement", "review", "synthesize", None])),
                tier=draw(st.sampled_from(["haiku", "sonnet", "opus"])),
                depends_on=tuple(deps),
                prompt=draw(text),
                max_rounds=draw(st.sampled_from([None, 2])),
                until=draw(st.one_of(st.none(), text)),
            )
        )
    return Plan(steps=tuple(steps), task=draw(text))


@given(random_plans())
def test_generated_python_compiles_and_keeps_the_text(plan: Plan) -> None:
    for fmt, name in PYTHON_FILES.items():
        source = render(plan, fmt)
        compile(source, name, "exec")
        found = steps_literal(source)
        assert task_literal(source) == (plan.task or "")
        for s in plan.steps:
            assert found[s.id]["prompt"] == (s.prompt or "")
            assert found[s.id]["title"] == s.label
            assert found[s.id]["until"] == s.until


@given(random_plans())
def test_yaml_and_markdown_exports_keep_the_text(plan: Plan) -> None:
    tasks = yaml.safe_load(render(plan, "crewai")["config/tasks.yaml"])
    by_title = {t["name"]: t for t in tasks.values()}
    for s in plan.steps:
        if s.label in by_title and sum(x.label == s.label for x in plan.steps) == 1:
            expected = s.prompt if (s.prompt or "").strip() else s.label
            assert by_title[s.label]["description"] == expected
    files = render(plan, "claude-agents")
    for s in plan.steps:
        text = files[f".claude/agents/{s.id}.md"]
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        assert meta["name"] == s.id
        assert body == ((s.prompt if (s.prompt or "").strip() else clean(s.label)) + "\n")


@pytest.mark.parametrize("value", NASTY)
def test_py_str_is_exact(value: str) -> None:
    assert eval(py_str(value)) == value


@given(st.text())
def test_py_str_is_exact_for_any_text(value: str) -> None:
    assert ast.literal_eval(py_str(value)) == value


def test_py_value_writes_json_data() -> None:
    data = {"a": [1, 2.5, None, True], "b": {"c": 'q"'}}
    assert ast.literal_eval(py_value(data)) == data
    with pytest.raises(ValueError):
        py_value(float("nan"))


def test_ids_become_distinct_identifiers() -> None:
    names = py_names(["2nd-pass", "class", "a-b", "a_b", "match", "ok"])
    assert names == {
        "2nd-pass": "step_2nd_pass",
        "class": "class_",
        "a-b": "a_b",
        "a_b": "a_b_2",
        "match": "match_",
        "ok": "ok",
    }
    assert all(n.isidentifier() for n in names.values())
    assert identifier("x-y") == "x_y"


# --- shapes the frameworks can hold -------------------------------------------------


def _deps(plan: Plan) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    return list(plan.ids), {s.id: s.depends_on for s in plan.steps}


def _waits_respect(waits: dict[str, int], g: schedule.Deps) -> bool:
    return all(waits[s] & g.anc[s] == g.anc[s] for s in g.order)


@pytest.mark.parametrize(("name", "plan"), golden(), ids=lambda v: v if isinstance(v, str) else "")
def test_nesting_is_exact_for_the_pattern_plans(name: str, plan: Plan) -> None:
    order, deps = _deps(plan)
    g = schedule.Deps(order, deps)
    shape = schedule.nest(order, deps)
    waits = schedule.shape_waits(shape, g)
    assert _waits_respect(waits, g)
    assert schedule.added_waits(waits, g) == {}


def test_nesting_an_n_shape_adds_named_waits() -> None:
    order, deps = _deps(n_shape())
    g = schedule.Deps(order, deps)
    shape = schedule.nest(order, deps)
    assert shape == schedule.Seq(
        (schedule.Par((schedule.Leaf("a"), schedule.Leaf("b"))), schedule.Par((schedule.Leaf("c"), schedule.Leaf("d"))))
    )
    waits = schedule.shape_waits(shape, g)
    assert _waits_respect(waits, g)
    assert schedule.added_waits(waits, g) == {"d": ["a"]}
    assert "#   d also waits for a" in render(n_shape(), "adk")


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[str], dict[str, list[str]]]:
    n = draw(st.integers(min_value=1, max_value=9))
    order = [f"s{i}" for i in range(n)]
    deps = {sid: draw(st.lists(st.sampled_from(order[:i]), unique=True, max_size=3)) if i else [] for i, sid in enumerate(order)}
    return order, deps


def _leaves(shape: schedule.Shape) -> list[str]:
    if isinstance(shape, schedule.Leaf):
        return [shape.id]
    return [leaf for part in shape.parts for leaf in _leaves(part)]


@given(dags())
def test_nesting_always_respects_every_dependency(dag: tuple[list[str], dict[str, list[str]]]) -> None:
    order, deps = dag
    g = schedule.Deps(order, deps)
    shape = schedule.nest(order, deps)
    assert sorted(_leaves(shape)) == sorted(order)
    waits = schedule.shape_waits(shape, g)
    assert _waits_respect(waits, g)
    added = schedule.added_waits(waits, g)
    assert all(waits[s] & g.mask(others) == g.mask(others) for s, others in added.items())


def _crew_valid(tasks: list[schedule.CrewTask], deps: dict[str, list[str]]) -> None:
    """CrewAI's own rules: context never names a later task, an async task's
    context holds no async task of its run, and the crew ends on at most one async task."""
    pos = {t.id: i for i, t in enumerate(tasks)}
    for i, t in enumerate(tasks):
        for d in deps[t.id]:
            assert pos[d] < i
            if t.async_execution and tasks[pos[d]].async_execution:
                assert any(not tasks[j].async_execution for j in range(pos[d] + 1, i))
    trailing = 0
    for t in reversed(tasks):
        if not t.async_execution:
            break
        trailing += 1
    assert trailing <= 1


@given(dags())
def test_crew_order_is_valid_and_respects_every_dependency(dag: tuple[list[str], dict[str, list[str]]]) -> None:
    order, deps = dag
    tasks = schedule.crew_order(order, deps)
    assert sorted(t.id for t in tasks) == sorted(order)
    _crew_valid(tasks, deps)
    g = schedule.Deps(order, deps)
    assert _waits_respect(schedule.crew_waits(tasks, g), g)


def test_crew_order_of_a_fan_out_is_exact() -> None:
    plan = golden()[0][1]  # competitive-evaluation: three approaches, then a comparison
    order, deps = _deps(plan)
    tasks = schedule.crew_order(order, deps)
    assert [t.async_execution for t in tasks] == [True, True, True, False]
    g = schedule.Deps(order, deps)
    assert schedule.added_waits(schedule.crew_waits(tasks, g), g) == {}
    assert "adds no wait" in render(plan, "crewai")["config/tasks.yaml"]


# --- the command line ----------------------------------------------------------------


def test_cli_prints_a_folder_export_under_file_headers(capsys: pytest.CaptureFixture[str]) -> None:
    plan_path = str(Path(__file__).parent / "golden" / "plans" / "fan-out-fan-in.yaml")
    assert main(["render", plan_path, "--format", "crewai"]) == 0
    out = capsys.readouterr().out
    assert re.findall(r"^==> (.+) <==$", out, re.M) == ["config/agents.yaml", "config/tasks.yaml", "crew.py"]


def test_cli_writes_folders_and_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan_path = str(Path(__file__).parent / "golden" / "plans" / "scout-build.yaml")
    assert main(["render", plan_path, "-f", "claude-agents", "-o", str(tmp_path / "repo")]) == 0
    assert (tmp_path / "repo" / ".claude" / "agents" / "decide.md").is_file()
    assert (tmp_path / "repo" / "ORCHESTRATION.md").is_file()
    # Existing files are kept unless --force.
    assert main(["render", plan_path, "-f", "claude-agents", "-o", str(tmp_path / "repo")]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["render", plan_path, "-f", "claude-agents", "-o", str(tmp_path / "repo"), "--force"]) == 0
    # A one-file export goes into a folder under its own name.
    assert main(["render", plan_path, "-f", "langgraph", "-o", str(tmp_path)]) == 0
    compile((tmp_path / "graph.py").read_text(encoding="utf-8"), "graph.py", "exec")
    # A folder export cannot replace a file.
    assert main(["render", plan_path, "-f", "crewai", "-o", str(tmp_path / "graph.py")]) == 2


def test_cli_suggest_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    task = "Compare Redis, Postgres and signed cookies for sessions and recommend one"
    assert main(["suggest", task, "--format", "adk", "-o", str(tmp_path / "agent.py")]) == 0
    source = (tmp_path / "agent.py").read_text(encoding="utf-8")
    compile(source, "agent.py", "exec")
    assert task_literal(source) == task
    assert main(["suggest", task, "--format", "crewai", "-o", str(tmp_path / "crew")]) == 0
    assert (tmp_path / "crew" / "config" / "tasks.yaml").is_file()
    capsys.readouterr()
    assert main(["suggest", task, "--format", "claude-sdk"]) == 0
    assert "AgentDefinition" in capsys.readouterr().out
