"""render(): every format, template safety, Graphviz check, plan-file round trip, CLI."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.config import default_config
from planner.errors import InputError, PlanError
from planner.plan import PATTERNS, Plan, Step, dump_json, dump_yaml, load_plan
from planner.renderer import FORMATS, plan_file, render

GOLDEN = Path(__file__).parent / "golden" / "plans"
NASTY = 'say "hi" {{ 7*7 }} {% if x %} `tick` <b>&amp;</b> # end \\N é 日本 😀'
DOT = shutil.which("dot")


def golden(pattern: str) -> Plan:
    return load_plan(GOLDEN / f"{pattern}.yaml")


def nasty_plan() -> Plan:
    return Plan(
        task=NASTY,
        pattern="pipeline",
        steps=(
            Step(
                "end",
                title=NASTY,
                role="explore",
                tier="haiku",
                prompt="Use ```code``` and {{ var }}\n{% raw %}",
            ),
            Step(
                "graph", title="node", role="review", tier="opus", depends_on=("end",), prompt="`x`"
            ),
            Step("subgraph", title="edge -> x", tier="sonnet", depends_on=("end", "graph")),
        ),
    )


def cyclic_plan() -> Plan:
    return Plan(steps=(Step("a", depends_on=("b",)), Step("b", depends_on=("a",))))


# --- the API -------------------------------------------------------------------


def test_yaml_and_json_are_the_plan_file() -> None:
    plan = golden("scout-build")
    assert render(plan, "yaml") == dump_yaml(plan)
    assert render(plan, "json") == dump_json(plan)
    assert load_plan(render(plan, "yaml")) == plan


@pytest.mark.parametrize("fmt", FORMATS)
def test_cycles_are_refused_in_every_format(fmt: str) -> None:
    with pytest.raises(PlanError, match=r'cycle: "a" -> "b" -> "a"'):
        render(cyclic_plan(), fmt)


def test_unknown_format_and_direction() -> None:
    with pytest.raises(InputError, match="unknown format 'svg'"):
        render(golden("pipeline"), "svg")
    with pytest.raises(InputError, match="direction"):
        render(golden("pipeline"), "mermaid", direction="RL")


def test_diagram_format_is_the_box_drawing() -> None:
    text = render(golden("fan-out-fan-in"), "diagram", direction="LR", ascii=True, max_width=200)
    assert "+-" in text and ">" in text and "┌" not in text


# --- Mermaid ------------------------------------------------------------------


def test_mermaid_escapes_labels_and_avoids_keywords() -> None:
    text = render(nasty_plan(), "mermaid", direction="LR")
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    nodes = [line.strip() for line in lines if "[" in line]
    assert len(nodes) == 3
    for line in nodes:
        assert re.fullmatch(r'n_\w+\["[^"`<>]*(<br/>[^"`<>]*)?"\]', line), line
    assert "n_end[" in text and not re.search(r"^\s*end\b", text, re.M)
    assert "{{ 7*7 }}" in text and "49" not in text  # user text is data
    assert "#34;hi#34;" in text and "#96;tick#96;" in text and "#60;b#62;" in text
    assert "日本 😀" in text
    assert "n_end --> n_graph" in text


def test_mermaid_groups_parallel_pipelines() -> None:
    text = render(golden("parallel-pipelines"), "mermaid")
    assert text.count("subgraph pipeline_") == 3
    assert (
        '    subgraph pipeline_1["pipeline A"]\n        n_auth_design\n        n_auth_build\n    end\n'
        in text
    )
    assert "subgraph" not in render(golden("scout-build"), "mermaid")


def test_mermaid_colours_tiers() -> None:
    text = render(golden("fan-out-fan-in"), "mermaid")
    assert "classDef tier_haiku" in text and "classDef tier_opus" in text
    assert re.search(r"class n_structure,n_conventions,n_build tier_haiku", text)


# --- DOT ----------------------------------------------------------------------

needs_dot = pytest.mark.skipif(
    DOT is None, reason="Graphviz 'dot' is not installed (make test installs it)"
)


def _dot_ok(source: str) -> None:
    assert DOT is not None
    done = subprocess.run(
        [DOT, "-Tsvg"], input=source.encode(), capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0 and not done.stderr, done.stderr.decode()


@needs_dot
@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("direction", ["TD", "LR"])
def test_graphviz_accepts_every_pattern(pattern: str, direction: str) -> None:
    source = render(golden(pattern), "dot", direction=direction)
    assert ("rankdir=LR" if direction == "LR" else "rankdir=TB") in source
    _dot_ok(source)


@needs_dot
def test_graphviz_accepts_hostile_text() -> None:
    source = render(nasty_plan(), "dot")
    assert '\\"hi\\"' in source and "{{ 7*7 }}" in source and "\\\\N" in source
    _dot_ok(source)


@needs_dot
@settings(max_examples=20)
@given(st.text(min_size=1, max_size=40))
def test_graphviz_accepts_any_title(title: str) -> None:
    plan = Plan(
        steps=(
            Step("a", title=title, tier="haiku"),
            Step("b", title=title[::-1], depends_on=("a",)),
        )
    )
    _dot_ok(render(plan, "dot"))


def test_dot_clusters_parallel_pipelines_only() -> None:
    text = render(golden("parallel-pipelines"), "dot")
    assert text.count("subgraph cluster_") == 3
    assert "n_auth_design; n_auth_build;" in text
    assert "subgraph" not in render(golden("fan-out-fan-in"), "dot")
    assert "subgraph" not in render(golden("pipeline"), "dot")


# --- Markdown playbook ------------------------------------------------------------


def test_playbook_lists_waves_models_prompts_and_joins() -> None:
    text = render(golden("fan-out-fan-in"), "markdown")
    model = default_config().tiers["haiku"].model
    assert text.startswith("# Playbook: Understand this codebase")
    assert "### Wave 1: launch these 3 agents together" in text
    assert "### Wave 2: one agent" in text
    assert f"`{model}`" in text
    assert "Map the top-level layout" in text
    assert (
        "- `synthesize` (Synthesize overview) receives `structure`, `conventions`, `build`." in text
    )
    assert "```mermaid\nflowchart TD\n" in text
    assert "Returns: findings" in text


def test_playbook_keeps_user_text_verbatim() -> None:
    text = render(nasty_plan(), "markdown")
    # Prompts sit in fences longer than any backtick run inside them.
    assert "````text\nUse ```code``` and {{ var }}\n{% raw %}\n````" in text
    assert "``` `x` ```" not in text and "```text\n`x`\n```" in text
    assert "49" not in text
    assert r"\{\{ 7\*7 \}\}" in text  # escaped so Markdown shows it as typed
    assert "## Where results combine" in text and "`subgraph` (edge -\\> x) receives" in text


def test_templates_use_strict_undefined() -> None:
    import jinja2

    from planner.renderer.templating import environment

    assert environment().undefined is jinja2.StrictUndefined
    with pytest.raises(jinja2.UndefinedError):
        environment().get_template("mermaid.mmd.j2").render(direction="TD")


def test_template_formats_import_jinja_only_when_used() -> None:
    code = (
        "import sys; from planner.plan import load_plan; from planner.renderer import render; "
        f"p = load_plan({str(GOLDEN / 'pipeline.yaml')!r}); "
        "[render(p, f) for f in ('diagram', 'yaml', 'json')]; a = 'jinja2' in sys.modules; "
        "render(p, 'mermaid'); print(a, 'jinja2' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


# --- plan file template -----------------------------------------------------------


@pytest.mark.parametrize("pattern", PATTERNS)
def test_plan_file_round_trips(pattern: str) -> None:
    plan = golden(pattern)
    text = plan_file(plan)
    assert load_plan(text) == plan
    assert "# claude-" in text  # tiers annotated with their model id


def test_plan_file_round_trips_hostile_text() -> None:
    plan = nasty_plan()
    assert load_plan(plan_file(plan)) == plan


@given(
    st.text(min_size=1, max_size=60),
    st.text(max_size=200),
    st.lists(st.sampled_from(["a", "b"]), unique=True),
)
def test_plan_file_round_trips_any_text(title: str, prompt: str, deps: list[str]) -> None:
    plan = Plan(
        task=title,
        steps=(
            Step("a", title=title),
            Step("b", prompt=prompt or None),
            Step("c", title=prompt or None, depends_on=tuple(deps)),
        ),
    )
    assert load_plan(plan_file(plan)) == plan


@pytest.mark.parametrize("text", ["0E0", "1e5", ".5E-3", "1_000", "0x1F", "yes", "null", "2024-01-01"])
def test_plan_file_keeps_text_that_reads_like_a_number_or_a_date(text: str) -> None:
    # hypothesis found "0E0": the plan file wrote it bare and the loader read a number
    plan = Plan(task=text, steps=(Step("a", title=text, prompt=text),))
    assert load_plan(plan_file(plan)) == plan


# --- CLI --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_renders_every_format(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["render", str(GOLDEN / "pipeline.yaml"), "--format", fmt, "--max-width", "0"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.endswith("\n") and not out.endswith("\n\n")
    if fmt == "json":
        assert json.loads(out)["pattern"] == "pipeline"


def test_cli_direction_ascii_and_width(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["render", str(GOLDEN / "pipeline.yaml"), "-d", "lr", "--ascii", "--max-width", "200"]
    )
    out = capsys.readouterr().out
    assert code == 0 and "-->" in out and out.isascii()
    main(["render", str(GOLDEN / "scout-build.yaml"), "--max-width", "35"])
    narrow = capsys.readouterr().out
    assert narrow.startswith("(too wide for 35 columns")


def test_cli_reads_stdin() -> None:
    text = (GOLDEN / "fan-out-fan-in.yaml").read_text()
    done = subprocess.run(
        [sys.executable, "-m", "planner", "render", "-", "--format", "mermaid"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.startswith("flowchart TD")


def test_cli_invalid_plan_exits_2_with_the_loader_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\nsteps:\n  - id: a\n    depends_on: [b]\n  - id: b\n    depends_on: [a]\n"
    )
    assert main(["render", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "cycle" in err and "Traceback" not in err
    assert main(["render", str(tmp_path / "missing.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_every_format_copes_with_a_thousand_hostile_steps() -> None:
    steps = [Step("root", title="Root " * 100, tier="opus")]
    steps += [
        Step(f"w{i}", title=f"Worker {i}\n\x07┌─┐ {{{{ x }}}}", tier="haiku", depends_on=("root",))
        for i in range(998)
    ]
    steps.append(Step("join", title="Join", depends_on=tuple(f"w{i}" for i in range(998))))
    plan = Plan(steps=tuple(steps), task="big")
    for fmt in FORMATS:
        rendered = render(plan, fmt, max_width=100)
        out = rendered if isinstance(rendered, str) else "\n".join(rendered.values())
        assert "Worker 997" in out or "w997" in out
        assert "\x07" not in out or fmt in ("yaml", "json")
    if DOT is not None:
        _dot_ok(render(plan, "dot"))


def test_dot_wraps_and_shortens_long_labels() -> None:
    from planner.renderer.escape import dot_wrapped

    task = " ".join(f"word{i}" for i in range(300))  # about 2,000 characters
    label = dot_wrapped(task, 60, 3)
    lines = label.split("\\n")
    assert len(lines) == 3 and all(len(line) <= 60 for line in lines)
    assert lines[0].startswith("word0 word1") and lines[-1].endswith("…")
    assert dot_wrapped("Review the code", 60, 3) == "Review the code"
    assert dot_wrapped('say "hi"\nand \\N', 60, 3) == 'say \\"hi\\" and \\\\N'
    # One very long word is cut, not left to stretch the picture.
    assert [len(x) for x in dot_wrapped("x" * 500, 28, 4).split("\\n")] == [28, 28, 28, 28]


@needs_dot
def test_a_long_task_and_long_titles_make_a_picture_of_normal_width() -> None:
    # A 1,130-character task as the graph label once gave a 10,437-pixel-wide PNG.
    task = ("Audit every service for places where user input reaches a shell or a query unescaped. " * 13)[:1130]
    title = "Inventory every endpoint that accepts user input in the billing and search services"
    plan = Plan(
        task=task,
        steps=(
            Step("a", title=title, tier="haiku"),
            Step("b", title=title, tier="haiku"),
            Step("c", title="Combine", tier="opus", depends_on=("a", "b")),
        ),
    )
    assert DOT is not None
    done = subprocess.run([DOT, "-Tplain"], input=render(plan, "dot").encode(), capture_output=True, timeout=60, check=True)
    width_inches = float(done.stdout.split()[2])
    assert width_inches < 8, width_inches  # about 600 pixels at 72 dpi


def _fan_in(edges: int) -> Plan:
    sources = tuple(Step(f"s{i}", title=f"Source {i}") for i in range(edges))
    return Plan(steps=(*sources, Step("join", depends_on=tuple(s.id for s in sources))))


def test_mermaid_says_when_github_would_not_draw_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # GitHub draws at most 500 edges (Mermaid's default maxEdges); past that it shows an error.
    at_limit = render(_fan_in(500), "mermaid")
    assert "%%" not in at_limit
    over = render(_fan_in(501), "mermaid").splitlines()
    assert over[0] == "flowchart TD"
    assert over[1] == (
        "    %% planner: the diagram has 501 edges; GitHub draws Mermaid diagrams of at most 500 "
        "and shows an error instead (use --format dot, or split the plan)"
    )
    assert sum(line.lstrip().startswith("%%") for line in over) == 1
    assert sum("-->" in line for line in over) == 501
    assert "%% planner: the diagram has 501 edges" in render(_fan_in(501), "markdown")
    # On the command line the warning also goes to stderr; stdout is only the diagram.
    (tmp_path / "big.plan.yaml").write_text(dump_yaml(_fan_in(501)))
    for fmt in ("mermaid", "markdown", "dot"):
        assert main(["render", str(tmp_path / "big.plan.yaml"), "--format", fmt]) == 0
        out, err = capsys.readouterr()
        assert ("warning: the diagram has 501 edges" in err) == (fmt != "dot")
        assert "planner: warning" not in out.replace("%% planner: the diagram", "")


# --- a repeating step's loop, in every format -------------------------------------


def looping_plan(until: str = "the reviewer has no blocking comments | or \"done\"") -> Plan:
    return Plan(
        pattern="incremental-refinement",
        steps=(
            Step("draft", title="Draft the guide", role="draft", tier="sonnet"),
            Step("review", title="Review it", role="review", tier="opus", depends_on=("draft",)),
            Step("revise", title="Revise it", role="draft", tier="sonnet", depends_on=("draft", "review"),
                 max_rounds=3, until=until),
        ),
    )


def test_mermaid_draws_the_loop_with_its_bound_and_stop_condition() -> None:
    text = render(looping_plan(), "mermaid")
    loops = [line.strip() for line in text.splitlines() if "-.->" in line]
    assert loops == ['n_revise -.->|"up to 3 rounds<br/>until the reviewer has no<br/>blocking comments #124; or…"| n_revise']
    # A plan without a repeating step has no loop edge.
    assert "-.->" not in render(golden("pipeline"), "mermaid")


@needs_dot
def test_dot_draws_the_loop_with_its_bound_and_stop_condition() -> None:
    text = render(looping_plan(), "dot")
    loops = [line.strip() for line in text.splitlines() if "n_revise -> n_revise" in line]
    assert loops == ['n_revise -> n_revise [label="up to 3 rounds\\nuntil the reviewer has no\\nblocking comments | or…", style=dashed, fontsize=10];']
    _dot_ok(text)
    _dot_ok(render(looping_plan('say "hi" \\N {{ x }}'), "dot"))
    assert "style=dashed" not in render(golden("pipeline"), "dot")


def test_playbook_says_how_to_run_the_loop() -> None:
    text = render(looping_plan("all tests pass"), "markdown")
    assert (
        "- Repeats: up to 3 rounds, until all tests pass. Run it as a loop: each round, launch this agent again "
        "with the same inputs and its own previous result, and have it end its reply by saying whether the stop "
        'condition ("all tests pass") now holds; stop after the round where it does, or after round 3 at the latest. '
        "Pass only the last round's result on."
    ) in text
    bounded = Plan(steps=(Step("a", title="Polish", max_rounds=2), Step("b", depends_on=("a",))))
    assert "stop after round 2. Pass only the last round's result on to `b`." in render(bounded, "markdown")


def test_a_loop_counts_as_a_mermaid_edge() -> None:
    from planner.renderer import mermaid_edge_warning

    steps = [Step(f"s{i}", max_rounds=2) for i in range(501)]
    assert mermaid_edge_warning(Plan(steps=tuple(steps))) is not None
    assert mermaid_edge_warning(Plan(steps=tuple(steps[:500]))) is None
