"""Builder cases as data: every case in tests/builder_cases/*.yaml (see its README).

Each case is a task and what the plan ``suggest`` builds for it must show:
items with steps of their own, stages in order along a dependency path, the
revise step that sees both the draft and the review, the loop's bound, a
for_each over things found at run time, prompts that carry the task's words.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from planner.advise import suggest
from planner.advise.inside import _own_step
from planner.plan import load_plan
from planner.plan.dump import dump_yaml
from planner.plan.model import STEP_ID_RE, Plan, Step

CASES = Path(__file__).parent / "builder_cases"


def _cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for n, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")), 1):
            out.append((f"{path.stem}-{n}", case))
    return out


CASES_ALL = _cases()


def _one(plan: Plan, fragment: str) -> Step:
    frag = fragment.lower()
    hits = [s for s in plan.steps if frag in (s.title or "").lower() or frag.replace(" ", "-") in s.id]
    assert len(hits) == 1, f"{fragment!r} picks {[s.id for s in hits]} in {[s.title for s in plan.steps]}"
    return hits[0]


def _graph(plan: Plan) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(s.id for s in plan.steps)
    g.add_edges_from((d, s.id) for s in plan.steps for d in s.depends_on)
    return g


@pytest.mark.parametrize(("name", "case"), CASES_ALL, ids=[c[0] for c in CASES_ALL])
def test_builder_case(name: str, case: dict[str, Any]) -> None:
    s = suggest(case["task"], pattern=case.get("pattern"), max_agents=case.get("max_agents"))
    plan = s.plan
    shown = [(st.id, st.title, list(st.depends_on)) for st in plan.steps]
    assert load_plan(dump_yaml(plan)) == plan
    if "pattern" not in case:
        from planner.linter import lint

        assert lint(load_plan(dump_yaml(plan))) == [], shown
    if "built" in case:
        assert plan.pattern == case["built"], shown
    if "steps" in case:
        assert len(plan.steps) == case["steps"], shown
    if "max_agents" in case:
        assert len(plan.steps) <= case["max_agents"]
    g = _graph(plan)
    if "roots" in case:
        assert sum(1 for n in g if g.in_degree(n) == 0) == case["roots"], shown
    items = case.get("items", [])
    for item in items:
        own = _own_step(plan.steps, item, items)
        assert own is not None, (item, shown)
        assert item.lower() in (own.title or "").lower() and item.lower().split()[0] in own.id, (item, shown)
    for path in case.get("paths", []):
        ids = [_one(plan, f).id for f in path]
        assert len(set(ids)) == len(ids), (path, shown)
        for a, b in pairwise(ids):
            assert nx.has_path(g, a, b), (a, b, shown)
    for a, b in case.get("apart", []):
        x, y = _one(plan, a).id, _one(plan, b).id
        assert not nx.has_path(g, x, y) and not nx.has_path(g, y, x), (a, b, shown)
    for step, needs in case.get("needs", {}).items():
        have = _one(plan, step).depends_on
        for need in needs:
            assert _one(plan, need).id in have, (step, need, shown)
    for step, only in case.get("needs_only", {}).items():
        have = set(_one(plan, step).depends_on)
        assert have == {_one(plan, need).id for need in only}, (step, shown)
    for step, title in case.get("titles", {}).items():
        assert _one(plan, step).title == title, (step, shown)
    for text in case.get("no_titles", []):
        assert not any(text.lower() in (st.title or "").lower() for st in plan.steps), (text, shown)
    for step, role in case.get("roles", {}).items():
        assert _one(plan, step).role == role, (step, shown)
    if "loop" in case:
        loop = case["loop"]
        repeating = [st for st in plan.steps if st.repeats]
        assert len(repeating) == 1, shown
        if "step" in loop:
            assert repeating[0] is _one(plan, loop["step"])
        assert repeating[0].max_rounds is not None
        if "rounds" in loop:
            assert repeating[0].max_rounds == loop["rounds"]
        if "until" in loop:
            assert loop["until"] in (repeating[0].until or "")
    if "for_each" in case:
        each = _one(plan, case["for_each"]["step"])
        source = _one(plan, case["for_each"]["from"])
        assert each.for_each is not None and each.for_each.source == source.id, shown
        assert source.gives_list and source.id in each.depends_on
    for step, texts in case.get("prompt", {}).items():
        prompt = _one(plan, step).prompt or ""
        for text in texts:
            assert text in prompt, (text, prompt)
    for text in case.get("no_prompt", []):
        assert not any(text in (st.prompt or "") for st in plan.steps), text
    for text in case.get("notes", []):
        assert any(text in r for r in plan.rationale), (text, plan.rationale)
    for text in case.get("no_notes", []):
        assert not any(text in r for r in plan.rationale), (text, plan.rationale)


def test_every_prompt_says_objective_inputs_output_and_boundaries() -> None:
    for _, case in CASES_ALL:
        for st_ in suggest(case["task"], pattern=case.get("pattern")).plan.steps:
            lines = (st_.prompt or "").splitlines()
            heads = [line.split(":", 1)[0] for line in lines]
            assert heads[0] == "Objective"
            for head in ("Inputs", "Expected output", "Boundaries"):
                assert heads.count(head) == 1, (head, st_.prompt)
            assert ("Repeat" in heads) == st_.repeats
            objective = lines[0].removeprefix("Objective: ")
            assert objective and not objective.rstrip(".").endswith(":")


def test_ids_are_valid_unique_and_end_on_a_whole_word() -> None:
    stops = {"and", "the", "a", "an", "of", "to", "for", "with", "or"}
    for _, case in CASES_ALL:
        ids = [s.id for s in suggest(case["task"]).plan.steps]
        assert len(ids) == len(set(ids))
        for step_id in ids:
            assert STEP_ID_RE.match(step_id), step_id
            assert step_id.split("-")[-1] not in stops, step_id


@given(st.text(alphabet="abc and the of, vs-", min_size=1, max_size=60))
def test_ids_stay_valid_for_any_title(title: str) -> None:
    from planner.advise.build import ID_MAX, BuildContext

    ctx = BuildContext.__new__(BuildContext)
    ctx.used_ids = set()
    first, second = ctx.new_id(title), ctx.new_id(title)
    for step_id in (first, second):
        assert STEP_ID_RE.match(step_id)
        assert len(step_id) <= ID_MAX + 3
    assert first != second


def test_item_words_that_name_a_sibling_are_left_out() -> None:
    from planner.advise.build import _names_sibling

    names = ["node-pool-a", "node-pool-b", "gpu-pool"]
    assert _names_sibling("the metrics for node-pool", names, "gpu-pool")
    # its own leading words, or words naming no item, are no sibling's name
    assert not _names_sibling("the metrics for node-pool", names, "node-pool-a")
    assert not _names_sibling("the metrics for the pool", names, "gpu-pool")
