"""Each export proved by its real library (installed by `make test` through the
`frameworks` extra; a missing library skips its tests). Nothing here reaches the
network: models are fakes, CrewAI's telemetry is off, no API key is set."""

from __future__ import annotations

import asyncio
import json
import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from export_helpers import (
    awkward_ids,
    for_each_plan,
    golden,
    import_file,
    n_shape,
    suggested,
    write_files,
)

from planner.config import default_config
from planner.plan import Plan
from planner.renderer import render
from planner.renderer.export import view_for

CONFIG = default_config()
ADK_DEPRECATION = r".*deprecated in favor of Workflow"


def plans() -> list[tuple[str, Plan]]:
    return [*golden(), *suggested(), ("awkward", awkward_ids()), ("n-shape", n_shape())]


PLANS = plans()
IDS = [name for name, _ in PLANS]


@pytest.fixture(autouse=True, scope="module")
def _offline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No telemetry, no keys, and framework state files in a temporary folder."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CREWAI_DISABLE_TELEMETRY", "true")
        mp.setenv("CREWAI_TRACING_ENABLED", "false")
        mp.setenv("OTEL_SDK_DISABLED", "true")
        # CrewAI keeps settings and keys under the home folder (read at import).
        home = tmp_path_factory.mktemp("home")
        mp.setenv("HOME", str(home))
        mp.setenv("XDG_DATA_HOME", str(home / "data"))
        mp.setenv("XDG_CONFIG_HOME", str(home / "config"))
        mp.setenv("CREWAI_STORAGE_DIR", "planner-tests")
        for key in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GOOGLE_API_KEY", "GEMINI_API_KEY"):
            mp.delenv(key, raising=False)
        yield


def reply_for(prompt: str) -> str:
    """What the fake models answer: which step they ran, and when to stop a loop."""
    step = re.search(r"Your step \(([^)]*)\)", prompt)
    assert step is not None, prompt
    done = "\nSTATUS: DONE" if "This is round 2" in prompt else "\nSTATUS: CONTINUE"
    return f"result of {step.group(1)}" + (done if "Stop condition:" in prompt else "")


def check_prompts(plan: Plan, prompts: dict[str, list[str]]) -> None:
    """Every step ran, each round saw its dependencies' results, and a loop ran its rounds."""
    assert set(prompts) == set(plan.ids)
    for s in plan.steps:
        first = prompts[s.id][0]
        for dep in s.depends_on:
            assert f"result of {dep}" in first
        if s.prompt and s.prompt.strip():
            assert s.prompt.strip() in first
        expected_rounds = 2 if s.until else (s.max_rounds or 1)
        assert len(prompts[s.id]) == expected_rounds


# --- LangGraph -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def langgraph() -> ModuleType:
    return pytest.importorskip("langgraph.graph")


def fake_chat_model(prompts: dict[str, list[str]]) -> Any:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage
    from langchain_core.outputs import ChatGeneration, ChatResult

    class Recording(BaseChatModel):
        @property
        def _llm_type(self) -> str:
            return "recording"

        def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kw: Any) -> ChatResult:
            prompt = str(messages[-1].content)
            step = re.search(r"Your step \(([^)]*)\)", prompt)
            assert step is not None
            prompts.setdefault(step.group(1), []).append(prompt)
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=reply_for(prompt)))])

    return Recording()


@pytest.mark.parametrize(("name", "plan"), PLANS, ids=IDS)
def test_langgraph_graph_is_the_plan_and_runs(
    langgraph: ModuleType, tmp_path: Path, name: str, plan: Plan
) -> None:
    path = tmp_path / "graph.py"
    path.write_text(render(plan, "langgraph"), encoding="utf-8")
    module = import_file(path)
    graph = module.build_graph()
    drawn = graph.get_graph()
    assert set(drawn.nodes) == {*plan.ids, "__start__", "__end__"}
    edges = {(e.source, e.target) for e in drawn.edges}
    expected = {(d, s.id) for s in plan.steps for d in s.depends_on}
    expected |= {("__start__", s.id) for s in plan.steps if not s.depends_on}
    expected |= {(s.id, "__end__") for s in plan.steps if not plan.dependents(s.id)}
    assert edges == expected
    assert graph.config["max_concurrency"] == CONFIG.max_parallel
    prompts: dict[str, list[str]] = {}
    outputs = module.run(model=fake_chat_model(prompts))
    assert outputs == {sid: f"result of {sid}" + ("\n" if plan.step(sid).until else "") for sid in plan.ids}
    check_prompts(plan, prompts)


# --- CrewAI ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crewai() -> Iterator[ModuleType]:
    # CrewAI's import raises an ImportWarning of its own and replaces
    # warnings.warn for the whole process; keep both inside this fixture.
    original = warnings.warn
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImportWarning)
        module = pytest.importorskip("crewai")
    yield module
    warnings.warn = original


def load_crew(folder: Path) -> Any:
    module = import_file(folder / "crew.py")
    with warnings.catch_warnings():
        # Agent() reads a field pydantic marks deprecated inside CrewAI itself.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"crewai(\.|$)")
        warnings.filterwarnings("ignore", message=r".*function_calling_llm is deprecated", category=DeprecationWarning)
        return module.PlanCrew().crew()


@pytest.mark.parametrize(("name", "plan"), PLANS, ids=IDS)
def test_crewai_yaml_loads_into_a_crew_with_the_plans_dependencies(
    crewai: ModuleType, tmp_path: Path, name: str, plan: Plan
) -> None:
    files = render(plan, "crewai")
    write_files(tmp_path, files)
    crew = load_crew(tmp_path)
    keys = list(yaml.safe_load(files["config/tasks.yaml"]))
    name_of = view_for(plan, "crewai", CONFIG)["name_of"]
    id_of = {n: sid for sid, n in name_of.items()}
    assert sorted(keys) == sorted(name_of.values())
    by_task = {id(t): id_of[k] for k, t in zip(keys, crew.tasks, strict=True)}
    for key, task in zip(keys, crew.tasks, strict=True):
        step = plan.step(id_of[key])
        assert [by_task[id(t)] for t in task.context] == list(step.depends_on)
        assert task.agent is not None
        assert task.agent.llm.model == CONFIG.tiers[step.tier or "sonnet"].model
    assert crew.process.value == "sequential"


# --- Google ADK ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def adk() -> ModuleType:
    return pytest.importorskip("google.adk.agents")


def import_adk(path: Path) -> ModuleType:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=ADK_DEPRECATION, category=DeprecationWarning)
        return import_file(path)


def tree_waits(agent: Any, adk: ModuleType, names: dict[str, str]) -> dict[str, set[str]]:
    """What each step waits for in the agent tree: earlier parts of every enclosing sequence."""
    waits: dict[str, set[str]] = {}

    def walk(node: Any, before: set[str]) -> set[str]:
        if isinstance(node, adk.LlmAgent):
            waits[names[node.name]] = set(before)
            return {names[node.name]}
        if isinstance(node, adk.LoopAgent):
            assert len(node.sub_agents) == 1
            return walk(node.sub_agents[0], before)
        seen: set[str] = set()
        for child in node.sub_agents:
            if isinstance(node, adk.SequentialAgent):
                seen |= walk(child, before | seen)
            else:
                assert isinstance(node, adk.ParallelAgent)
                seen |= walk(child, before)
        return seen

    walk(agent, set())
    return waits


@pytest.mark.parametrize(("name", "plan"), PLANS, ids=IDS)
def test_adk_agent_tree_respects_every_dependency(
    adk: ModuleType, tmp_path: Path, name: str, plan: Plan
) -> None:
    path = tmp_path / "agent.py"
    path.write_text(render(plan, "adk"), encoding="utf-8")
    module = import_adk(path)
    names = {v: k for k, v in module.AGENT_NAMES.items()}
    waits = tree_waits(module.root_agent, adk, names)
    assert set(waits) == set(plan.ids)
    ancestors: dict[str, set[str]] = {}
    for s in plan.steps:  # plans list dependencies before their dependents
        ancestors[s.id] = set(s.depends_on).union(*(ancestors[d] for d in s.depends_on))
        assert ancestors[s.id] <= waits[s.id]
    for s in plan.steps:
        agent = module.root_agent.find_agent(module.AGENT_NAMES[s.id])
        assert agent.model.model == CONFIG.tiers[s.tier or "sonnet"].model
        assert agent.output_key == module.AGENT_NAMES[s.id]


@pytest.mark.parametrize(("name", "plan"), [*golden()[:3], ("awkward", awkward_ids()), ("n-shape", n_shape())])
def test_adk_agent_tree_runs_on_a_fake_model(adk: ModuleType, tmp_path: Path, name: str, plan: Plan) -> None:
    from google.adk.models.base_llm import BaseLlm
    from google.adk.models.llm_response import LlmResponse
    from google.adk.runners import InMemoryRunner
    from google.genai import types

    prompts: dict[str, list[str]] = {}

    class Fake(BaseLlm):
        model: str = "fake"

        async def generate_content_async(self, llm_request: Any, stream: bool = False) -> Any:
            prompt = str(llm_request.config.system_instruction)
            step = re.search(r"Your step \(([^)]*)\)", prompt)
            assert step is not None
            prompts.setdefault(step.group(1), []).append(prompt)
            yield LlmResponse(content=types.Content(role="model", parts=[types.Part(text=reply_for(prompt))]))

    path = tmp_path / "agent.py"
    path.write_text(render(plan, "adk"), encoding="utf-8")
    module = import_adk(path)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=ADK_DEPRECATION, category=DeprecationWarning)
        root = module.build_agent(model=Fake())

    async def go() -> dict[str, Any]:
        runner = InMemoryRunner(agent=root, app_name="plan")
        session = await runner.session_service.create_session(app_name="plan", user_id="u")
        message = types.Content(role="user", parts=[types.Part(text="start")])
        async for _ in runner.run_async(user_id="u", session_id=session.id, new_message=message):
            pass
        done = await runner.session_service.get_session(app_name="plan", user_id="u", session_id=session.id)
        assert done is not None
        return dict(done.state)

    state = asyncio.run(go())
    check_prompts(plan, prompts)
    for s in plan.steps:
        assert state[module.AGENT_NAMES[s.id]].startswith(f"result of {s.id}")


# --- Claude Agent SDK ------------------------------------------------------------------


@pytest.fixture(scope="module")
def claude_sdk() -> ModuleType:
    return pytest.importorskip("claude_agent_sdk")


@pytest.mark.parametrize(("name", "plan"), PLANS, ids=IDS)
def test_claude_sdk_script_builds_its_options_offline(
    claude_sdk: ModuleType, tmp_path: Path, name: str, plan: Plan
) -> None:
    path = tmp_path / "run_plan.py"
    path.write_text(render(plan, "claude-sdk"), encoding="utf-8")
    module = import_file(path)
    for s in plan.steps:
        options = module.build_options(s.id)
        assert isinstance(options, claude_sdk.ClaudeAgentOptions)
        assert set(options.agents) == set(plan.ids)
        agent = options.agents[s.id]
        assert isinstance(agent, claude_sdk.AgentDefinition)
        assert agent.model == CONFIG.tiers[s.tier or "sonnet"].model
        assert agent.prompt == (s.prompt if (s.prompt or "").strip() else s.label)
    assert [step for wave in module.WAVES for step in wave] == sorted(
        plan.ids, key=lambda sid: [sid in w for w in module.WAVES].index(True)
    )


def test_claude_sdk_script_runs_the_waves(claude_sdk: ModuleType, tmp_path: Path) -> None:
    """run_plan() with query() replaced: waves in order, inputs passed on, loops bounded."""
    plan = awkward_ids()
    path = tmp_path / "run_plan.py"
    path.write_text(render(plan, "claude-sdk"), encoding="utf-8")
    module = import_file(path)
    prompts: dict[str, list[str]] = {}

    async def fake_query(*, prompt: str, options: Any) -> Any:
        step = re.search(r"Your step \(([^)]*)\)", prompt)
        assert step is not None and step.group(1) in options.system_prompt
        prompts.setdefault(step.group(1), []).append(prompt)
        yield claude_sdk.ResultMessage(
            subtype="success", duration_ms=1, duration_api_ms=1, is_error=False, num_turns=1,
            session_id="s", result=reply_for(prompt),
        )

    module.query = fake_query
    outputs = asyncio.run(module.run_plan())
    check_prompts(plan, prompts)
    assert set(outputs) == set(plan.ids)
    assert main_writes(module, tmp_path / "out") == {f"{sid}.md" for sid in plan.ids}


def main_writes(module: ModuleType, folder: Path) -> set[str]:
    cwd = os.getcwd()
    try:
        os.chdir(folder.parent)
        assert module.main(["--out", str(folder)]) == 0
    finally:
        os.chdir(cwd)
    return {p.name for p in folder.iterdir()}


# --- step contracts: output schemas and for_each ----------------------------------------

SERVICES = ["billing", "orders", "search"]


def contract_reply(prompt: str) -> str:
    step = re.search(r"Your step \(([^)]*)\)", prompt)
    assert step is not None
    if step.group(1) == "find":
        return json.dumps(SERVICES)
    if step.group(1) == "migrate":
        item = prompt.split("-----BEGIN INPUT ITEM ", 1)[1].split("\n", 2)[1]
        return json.dumps({"service": item, "changed": True})
    return "verified"


def test_langgraph_runs_for_each_and_checks_json(langgraph: ModuleType, tmp_path: Path) -> None:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage
    from langchain_core.outputs import ChatGeneration, ChatResult

    class Fake(BaseChatModel):
        @property
        def _llm_type(self) -> str:
            return "fake"

        def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kw: Any) -> ChatResult:
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=contract_reply(str(messages[-1].content))))])

    plan = for_each_plan()
    path = tmp_path / "graph.py"
    path.write_text(render(plan, "langgraph"), encoding="utf-8")
    module = import_file(path)
    edges = {(e.source, e.target) for e in module.build_graph().get_graph().edges}
    assert ("find", "migrate") in edges and ("migrate", "verify") in edges
    outputs = module.run(model=Fake())
    assert json.loads(outputs["migrate"]) == [{"service": s, "changed": True} for s in SERVICES]
    assert module.STEPS["migrate"]["for_each"] == {"from": "find", "max_parallel": 2}


def test_claude_sdk_carries_structured_output_and_fans_out(claude_sdk: ModuleType, tmp_path: Path) -> None:
    plan = for_each_plan()
    path = tmp_path / "run_plan.py"
    path.write_text(render(plan, "claude-sdk"), encoding="utf-8")
    module = import_file(path)
    assert module.build_options("find").output_format == {
        "type": "json_schema",
        "schema": {"type": "array", "items": {"type": "string"}},
    }
    assert module.build_options("verify").output_format is None
    calls: list[str] = []

    async def fake_query(*, prompt: str, options: Any) -> Any:
        reply = contract_reply(prompt)
        calls.append(re.search(r"Your step \(([^)]*)\)", prompt).group(1))  # type: ignore[union-attr]
        structured = json.loads(reply) if options.output_format else None
        yield claude_sdk.ResultMessage(
            subtype="success", duration_ms=1, duration_api_ms=1, is_error=False, num_turns=1,
            session_id="s", result=reply, structured_output=structured,
        )

    module.query = fake_query
    outputs = asyncio.run(module.run_plan())
    assert calls.count("migrate") == len(SERVICES)
    assert json.loads(outputs["migrate"]) == [{"service": s, "changed": True} for s in SERVICES]


def test_adk_and_crewai_carry_the_contracts(adk: ModuleType, crewai: ModuleType, tmp_path: Path) -> None:
    plan = for_each_plan()
    path = tmp_path / "agent.py"
    path.write_text(render(plan, "adk"), encoding="utf-8")
    module = import_adk(path)
    find = module.root_agent.find_agent("find")
    assert find.output_schema is not None
    write_files(tmp_path / "crew", render(plan, "crewai"))
    crew = load_crew(tmp_path / "crew")
    assert "JSON Schema" in crew.tasks[0].expected_output
