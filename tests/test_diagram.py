"""The box diagram: text measuring, drawing behaviour, bad input, read-back."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.diagram import BoxNode, Graph, GraphError, draw_graph, draw_plan, loop_lines
from planner.diagram.text import clean, display_width, truncate, wrap
from planner.errors import InputError, PlanError
from planner.plan import Plan, Step
from tests.diagram_checker import check_diagram, read_diagram

TO_ASCII = str.maketrans(
    {"─": "-", "│": "|", "▼": "v", "▶": ">", "◀": "<", "▲": "^", **dict.fromkeys("┌┐└┘┬┴├┤┼", "+")}
)


def _plan(*steps: tuple[str, str, tuple[str, ...]], tier: str | None = "haiku") -> Plan:
    return Plan(
        steps=tuple(Step(sid, title, tier=tier, depends_on=deps) for sid, title, deps in steps)
    )


FAN = _plan(
    ("req", "Request", ()),
    ("a1", "Agent 1", ("req",)),
    ("a2", "Agent 2", ("req",)),
    ("a3", "Agent 3", ("req",)),
    ("syn", "Synthesize", ("a1", "a2", "a3")),
)


def _labels(plan: Plan) -> dict[str, str]:
    return {s.id: f"{s.label} {s.tier or ''}".strip() for s in plan.steps}


def _edges(plan: Plan) -> list[tuple[str, str]]:
    return [(d, s.id) for s in plan.steps for d in s.depends_on]


# --- text ------------------------------------------------------------------


def test_display_width_counts_wide_and_zero_width_characters() -> None:
    assert display_width("abc") == 3
    assert display_width("日本語") == 6
    assert display_width("e\u0301") == 1  # combining accent
    assert display_width("😀") == 2
    assert display_width("👩\u200d💻") == 2  # joined emoji sequence


def test_wrap_respects_display_width_and_line_limit() -> None:
    lines = wrap("設計 と 実装 を 分ける 作業", 8, 3)
    assert all(display_width(line) <= 8 for line in lines)
    long = wrap("word " * 50, 10, 3)
    assert len(long) == 3 and long[-1].endswith("…")
    assert wrap("x" * 25, 10, 3) == ["x" * 10, "x" * 10, "x" * 5]


def test_truncate_adds_ellipsis_only_when_cut() -> None:
    assert truncate("short", 10) == "short"
    assert truncate("a much longer title", 8) == "a much…"
    assert display_width(truncate("日本語のタイトル", 7)) <= 7


def test_clean_removes_controls_and_drawing_characters() -> None:
    assert clean("a\nb\tc\x00d\x1b[31m") == "a b c d [31m"
    assert clean("┌─┐ ▼ ▶ █") == "+-+ v > #"
    assert clean("café 日本", ascii=True) == "cafe ??"


# --- drawing ---------------------------------------------------------------


def test_fan_out_fan_in_shares_trunks_with_junctions() -> None:
    text = draw_plan(FAN)
    lines = text.splitlines()
    assert sum("┼" in line for line in lines) == 2  # one trunk down, one join
    assert any(
        line.strip().startswith("┌") and line.strip().endswith("┐") and "┼" in line
        for line in lines
    )
    assert any(
        line.strip().startswith("└") and line.strip().endswith("┘") and "┼" in line
        for line in lines
    )
    assert text.count("▼") == 4
    assert check_diagram(text, _labels(FAN), _edges(FAN)) == []


def test_boxes_show_title_then_tier() -> None:
    text = draw_plan(FAN)
    rows = text.splitlines()
    i = next(k for k, row in enumerate(rows) if "Request" in row)
    assert "haiku" in rows[i + 1]


def test_parents_sit_over_children() -> None:
    rows = draw_plan(FAN).splitlines()
    col = {
        name: next(r.index(name) + len(name) // 2 for r in rows if name in r)
        for name in ("Request", "Agent 2", "Synthesize")
    }
    assert abs(col["Request"] - col["Agent 2"]) <= 1
    assert abs(col["Synthesize"] - col["Agent 2"]) <= 1


@pytest.mark.parametrize("direction", ["TD", "LR"])
def test_ascii_is_the_same_drawing_in_plain_characters(direction: str) -> None:
    uni = draw_plan(FAN, direction=direction)
    asc = draw_plan(FAN, direction=direction, ascii=True)
    assert asc == uni.translate(TO_ASCII)
    assert all(ord(ch) < 128 for ch in asc)


def test_left_right_uses_right_arrows() -> None:
    text = draw_plan(FAN, direction="LR")
    assert "▶" in text and "▼" not in text
    assert check_diagram(text, _labels(FAN), _edges(FAN), direction="LR") == []


def test_wide_characters_keep_borders_aligned() -> None:
    plan = _plan(("a", "設計を確認する", ()), ("b", "実装 🚀", ("a",)))
    text = draw_plan(plan)
    widths = {
        display_width(line)
        for line in text.splitlines()
        if line.strip().startswith(("┌", "│", "└"))
    }
    # Every row of the (centred, stacked) boxes ends exactly at its border.
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("│"):
            assert stripped.endswith("│")
    assert widths
    assert check_diagram(text, _labels(plan), _edges(plan)) == []


def test_unrelated_edges_never_merge() -> None:
    # a -> c and b -> d, with a and b also both feeding e: no false a -> d.
    plan = _plan(
        ("a", "A", ()),
        ("b", "B", ()),
        ("c", "C", ("a",)),
        ("d", "D", ("b",)),
        ("e", "E", ("a", "b")),
    )
    for direction in ("TD", "LR"):
        text = draw_plan(plan, direction=direction)
        assert check_diagram(text, _labels(plan), _edges(plan), direction=direction) == []


def test_long_edges_pass_between_boxes() -> None:
    plan = _plan(("a", "A", ()), ("b", "B", ("a",)), ("c", "C", ("b",)), ("d", "D", ("a", "c")))
    for direction in ("TD", "LR"):
        text = draw_plan(plan, direction=direction)
        assert check_diagram(text, _labels(plan), _edges(plan), direction=direction) == []


def test_max_width_wraps_titles_before_giving_up() -> None:
    plan = _plan(*((f"s{i}", f"Gather the facts about area number {i}", ()) for i in range(3)))
    wide = draw_plan(plan)
    narrow = draw_plan(plan, max_width=60)
    assert max(display_width(line) for line in narrow.splitlines()) <= 60
    assert len(narrow.splitlines()) > len(wide.splitlines())
    assert "┌" in narrow


def test_too_wide_falls_back_to_a_list_by_wave() -> None:
    plan = _plan(
        *((f"s{i}", f"Step {i}", ()) for i in range(12)),
        ("join", "Join", tuple(f"s{i}" for i in range(12))),
    )
    text = draw_plan(plan, max_width=40)
    lines = text.splitlines()
    assert lines[0].startswith("(too wide for 40 columns")
    assert all(display_width(line) <= 40 for line in lines)
    assert any(line.startswith("wave 2") for line in lines)
    assert "Join" in text and "Step 11" in text


def test_left_right_too_wide_is_drawn_top_down() -> None:
    plan = _plan(*((f"s{i}", f"Stage number {i}", (f"s{i - 1}",) if i else ()) for i in range(8)))
    text = draw_plan(plan, direction="LR", max_width=60)
    assert "▼" in text and "▶" not in text
    assert max(display_width(line) for line in text.splitlines()) <= 60
    assert check_diagram(text, _labels(plan), _edges(plan)) == []


def test_empty_graph_and_single_node() -> None:
    assert draw_graph(Graph.build([], [])) == "(no steps)"
    text = draw_plan(_plan(("only", "Only step", ())))
    assert text.count("┌") == 1 and "▼" not in text


def test_bad_direction_is_an_input_error() -> None:
    with pytest.raises(InputError, match="direction"):
        draw_plan(FAN, direction="BT")


# --- bad input -------------------------------------------------------------


def test_cycle_in_code_built_plan_names_the_cycle() -> None:
    plan = _plan(("a", "A", ("c",)), ("b", "B", ("a",)), ("c", "C", ("b",)))
    with pytest.raises(PlanError, match='cycle: "a" -> "b" -> "c" -> "a"'):
        draw_plan(plan)


def test_self_loop_and_unknown_dependency() -> None:
    with pytest.raises(PlanError, match="cycle"):
        draw_plan(_plan(("a", "A", ("a",))))
    with pytest.raises(PlanError, match="unknown node 'ghost'"):
        draw_plan(_plan(("a", "A", ("ghost",))))
    with pytest.raises(GraphError, match="duplicate"):
        Graph.build([BoxNode("a", "A"), BoxNode("a", "B")], [])


def test_500_character_titles_stay_readable() -> None:
    title = "analyse " * 62 + "end"
    plan = _plan(("a", title, ()), ("b", title.upper(), ("a",)))
    text = draw_plan(plan)
    assert max(display_width(line) for line in text.splitlines()) <= 40
    assert "…" in text
    rb = read_diagram(text)
    assert len(rb.boxes) == 2 and not rb.problems and rb.edges == {(0, 1)}


def test_newlines_controls_and_drawing_characters_in_titles() -> None:
    plan = _plan(
        ("a", "line one\nline two\r\n\ttabbed", ()),
        ("b", "bell\x07 escape\x1b[2J null\x00", ("a",)),
        ("c", "┌──┐ fake │box│ └──┘ ▼", ("a",)),
    )
    for direction in ("TD", "LR"):
        for ascii in (False, True):
            text = draw_plan(plan, direction=direction, ascii=ascii)
            assert (
                "\x1b" not in text and "\x00" not in text and "\t" not in text and "\r" not in text
            )
            rb = read_diagram(text, direction=direction, ascii=ascii)
            assert len(rb.boxes) == 3, text
            assert not rb.problems
            assert len(rb.edges) == 2


def test_thousand_nodes_is_bounded_and_readable() -> None:
    steps = [("root", "Root", ())]
    steps += [(f"w{i}", f"Worker {i}", ("root",)) for i in range(998)]
    steps += [("join", "Join", tuple(f"w{i}" for i in range(998)))]
    plan = _plan(*steps)
    text = draw_plan(plan, max_width=120)
    assert "Worker 997" in text and all(display_width(line) <= 120 for line in text.splitlines())
    unlimited = draw_plan(plan)  # drawn in full when nobody limits the width
    assert unlimited.count("▼") == 999


def test_thousand_node_random_dag_falls_back_quickly() -> None:
    import random

    rng = random.Random(7)
    steps = [
        (f"n{i}", f"N{i}", tuple(f"n{j}" for j in rng.sample(range(i), min(i, 2))))
        for i in range(1000)
    ]
    text = draw_plan(_plan(*steps))
    assert text.startswith("(too many steps")
    assert "N999" in text


# --- property: whatever the DAG, the drawing reads back exactly -------------


@st.composite
def dags(draw: st.DrawFn) -> tuple[Graph, dict[str, str]]:
    n = draw(st.integers(1, 11))
    edges = [
        (f"n{i}", f"n{j}")
        for i in range(n)
        for j in range(i + 1, n)
        if draw(st.booleans()) and draw(st.booleans())
    ]
    tiers = draw(st.lists(st.sampled_from(["haiku", "opus", ""]), min_size=n, max_size=n))
    words = draw(
        st.lists(
            st.sampled_from(["Scan", "Build the", "Review all of it", "日本"]),
            min_size=n,
            max_size=n,
        )
    )
    # Some steps repeat: their loop is drawn beside the box, labelled inside it.
    loops = draw(st.lists(st.sampled_from([(), ("up to 3 rounds", "until it passes"), ("repeats",)]), min_size=n, max_size=n))
    nodes = [
        BoxNode(f"n{i}", f"{words[i]} {i}", (tiers[i],) if tiers[i] else (), loop=loops[i]) for i in range(n)
    ]
    labels = {nd.id: " ".join((nd.title, *nd.notes, *nd.loop)) for nd in nodes}
    return Graph.build(nodes, edges), labels


@given(dags(), st.sampled_from(["TD", "LR"]))
def test_random_dags_read_back_exactly(case: tuple[Graph, dict[str, str]], direction: str) -> None:
    graph, labels = case
    text = draw_graph(graph, direction=direction)
    loops = [nd.id for nd in graph.nodes if nd.loop]
    assert check_diagram(text, labels, graph.edges, direction=direction, loops=loops) == [], text
    plain = draw_graph(graph, direction=direction, ascii=True)
    if all(label.isascii() for label in labels.values()):
        assert plain == text.translate(TO_ASCII)
    else:  # folded wide characters change box widths, so only check the alphabet
        assert plain.isascii()


def test_import_planner_diagram_stays_light() -> None:
    code = "import sys, planner.diagram; print(sorted(m for m in ('jinja2', 'networkx', 'grandalf') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- a repeating step draws its loop ----------------------------------------

REFINE = Plan(
    steps=(
        Step("draft", "Draft the guide", tier="sonnet"),
        Step("review", "Review it", tier="opus", depends_on=("draft",)),
        Step("revise", "Revise it", tier="sonnet", depends_on=("draft", "review"), max_rounds=2,
             until="the reviewer has no blocking comments"),
        Step("final", "Final review", tier="opus", depends_on=("revise",)),
    )
)


@pytest.mark.parametrize("direction", ["TD", "LR"])
@pytest.mark.parametrize("ascii", [False, True])
def test_a_repeating_step_is_drawn_with_its_loop_and_stop_condition(direction: str, ascii: bool) -> None:
    text = draw_plan(REFINE, direction=direction, ascii=ascii)
    assert "up to 2 rounds" in text and "until the" in text
    labels = {s.id: " ".join((s.label, s.tier or "", *loop_lines(s.max_rounds, s.until))) for s in REFINE.steps}
    problems = check_diagram(text, labels, _edges(REFINE), direction=direction, ascii=ascii, loops=["revise"])
    assert problems == [], text
    # The same plan without the loop draws no loop (and reads back as such).
    plain = Plan(steps=tuple(dataclasses.replace(s, max_rounds=None, until=None) for s in REFINE.steps))
    flat = draw_plan(plain, direction=direction, ascii=ascii)
    assert ("◀" not in flat and "▲" not in flat) and "rounds" not in flat


def test_loop_labels() -> None:
    assert loop_lines(1, None) == ("up to 1 round",)
    assert loop_lines(3, "  done ") == ("up to 3 rounds", "until done")
    assert loop_lines(None, "done") == ("until done",)
    assert loop_lines(None, "") == ("repeats",)


def test_checker_notices_a_loop_that_is_not_drawn() -> None:
    text = draw_plan(REFINE)
    broken = text.replace("◀", " ", 1)
    labels = {s.id: " ".join((s.label, s.tier or "", *loop_lines(s.max_rounds, s.until))) for s in REFINE.steps}
    assert check_diagram(broken, labels, _edges(REFINE), loops=["revise"]) != []
    assert check_diagram(text, labels, _edges(REFINE), loops=[]) != []


def test_a_long_list_names_the_loop_too() -> None:
    graph = Graph.build([BoxNode("a", "Revise", ("sonnet",), loop=("up to 2 rounds", "until done"))], [])
    from planner.diagram.fallback import draw_list

    assert "up to 2 rounds, until done" in draw_list(graph)


# --- the checker itself must catch broken drawings ---------------------------


def test_checker_notices_a_missing_arrow() -> None:
    text = draw_plan(FAN)
    broken = text.replace("▼", " ", 1)
    problems = check_diagram(broken, _labels(FAN), _edges(FAN))
    assert any("req -> " in p and "not drawn" in p for p in problems)


def test_checker_notices_merged_lines() -> None:
    plan = _plan(
        ("a", "A", ()),
        ("b", "B", ()),
        ("c", "C", ("a",)),
        ("d", "D", ("a", "b")),
        ("e", "E", ("b",)),
    )
    text = draw_plan(plan)
    assert check_diagram(text, _labels(plan), _edges(plan)) == []
    # Join the two fan-out bars into one: A and B now appear to feed all three.
    rows = text.splitlines()
    k = next(i for i, row in enumerate(rows) if "┴" in row)
    rows[k] = re.sub(r"┐( +)┌", lambda m: "┬" + "─" * len(m.group(1)) + "┬", rows[k])
    joined = "\n".join(rows)
    assert joined != text
    problems = check_diagram(joined, _labels(plan), _edges(plan))
    assert "edge a -> e is drawn but not in the graph" in problems
    assert "edge b -> c is drawn but not in the graph" in problems


def test_checker_notices_a_missing_or_duplicated_box() -> None:
    text = draw_plan(FAN)
    assert any(
        "'Agent 2 haiku'" in p and "0 boxes" in p
        for p in check_diagram(text.replace("Agent 2", "Agent 9"), _labels(FAN), _edges(FAN))
    )
    problems = check_diagram(text, {**_labels(FAN), "x": "Missing"}, _edges(FAN))
    assert any("'Missing'" in p for p in problems)


def test_checker_notices_a_dangling_line() -> None:
    text = draw_plan(FAN)
    rows = text.splitlines()
    i = next(k for k, r in enumerate(rows) if "┼" in r and "┌" in r)
    rows[i] = rows[i].replace("┐", "─", 1) + "─"  # the trunk now runs off into nothing
    assert any("points" in p for p in check_diagram("\n".join(rows), _labels(FAN), _edges(FAN)))


@given(
    st.lists(st.text(max_size=60), min_size=2, max_size=5),
    st.sampled_from(["TD", "LR"]),
    st.booleans(),
)
def test_any_title_text_keeps_the_drawing_intact(
    titles: list[str], direction: str, ascii: bool
) -> None:
    # A fan-out from the first step to all the others, whatever the titles say.
    steps = [
        Step(f"s{i}", title=t or None, tier="haiku", depends_on=("s0",) if i else ())
        for i, t in enumerate(titles)
    ]
    text = draw_plan(Plan(steps=tuple(steps)), direction=direction, ascii=ascii)
    rb = read_diagram(text, direction=direction, ascii=ascii)
    assert not rb.problems, text
    assert len(rb.boxes) == len(titles), text
    assert len(rb.edges) == len(titles) - 1, text


def test_blank_title_shows_the_step_id() -> None:
    text = draw_plan(Plan(steps=(Step("gather-notes", title="  \n\t "),)))
    assert "gather-notes" in text
