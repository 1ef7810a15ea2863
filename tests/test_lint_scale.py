"""Large plans: the linear algorithms give the answers the simple ones gave.

Linting and rendering once did quadratic work on long chains and wide fan-ins
(``make bench`` times them: benchmarks/bench_scale.py). These tests check the
replacements against brute-force references on random graphs, and the cases
that only show at size (a "did you mean" hint among thousands of ids, one
anchor in a plan larger than the alias-bomb limit) with the limits made small.
"""

from __future__ import annotations

import difflib
import random
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.config import default_config
from planner.linter import design, structure
from planner.linter.engine import lint_text
from planner.plan import Plan, Step
from planner.plan.graphcheck import find_cycle

ROLES = ("explore", "scout", "implement", "synthesize")


@st.composite
def dags(draw: st.DrawFn) -> list[tuple[str, str, list[str]]]:
    """(id, role, dependencies) in definition order; dependencies come earlier."""
    n = draw(st.integers(1, 14))
    steps = []
    for i in range(n):
        deps = draw(st.lists(st.integers(0, i - 1), max_size=3, unique=True)) if i else []
        steps.append((f"s{i}", draw(st.sampled_from(ROLES)), [f"s{d}" for d in sorted(deps)]))
    # Shuffle the file order: the checks must not rely on dependencies coming first.
    order = draw(st.permutations(range(n)))
    return [steps[k] for k in order]


def _views(steps: list[tuple[str, str, list[str]]]) -> list[structure.StepView]:
    views = []
    for index, (sid, role, deps) in enumerate(steps):
        view = structure.StepView(index, sid, index + 1, 1, role=role, prompt="Do the work and report.")
        view.depends_on = list(deps)
        views.append(view)
    return views


def _brute_fan_in(steps: list[tuple[str, str, list[str]]]) -> list[list[str]]:
    """PL105 by definition: groups of 2+ gathering steps with the same
    dependencies, no step depending (directly or not) on two of them."""
    kids: dict[str, list[str]] = {sid: [] for sid, _, _ in steps}
    for sid, _, deps in steps:
        for d in deps:
            kids[d].append(sid)

    def below(sid: str) -> set[str]:
        seen: set[str] = set()
        todo = list(kids[sid])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(kids[x])
        return seen

    groups: dict[tuple[str, ...], list[str]] = {}
    role = {sid: r for sid, r, _ in steps}
    for sid, _, deps in steps:
        groups.setdefault(tuple(sorted(deps)), []).append(sid)
    flagged = []
    for members in groups.values():
        if len(members) < 2 or any(role[m] not in ("explore", "scout") for m in members):
            continue
        sets = [below(m) for m in members]
        if not any(sets[i] & sets[j] for i in range(len(sets)) for j in range(i)):
            flagged.append(members)
    return flagged


@settings(max_examples=300)
@given(dags())
def test_fan_in_check_matches_the_definition(steps: list[tuple[str, str, list[str]]]) -> None:
    views = _views(steps)
    raws = [r for r in design.run_design_checks(views, default_config()) if r.code == "PL105"]
    found = [[v.id for v in views if f"'{v.id}'" in r.message.split(" are never")[0]] for r in raws]
    assert sorted(map(sorted, found)) == sorted(map(sorted, _brute_fan_in(steps)))


def _brute_has_cycle(order: list[str], deps: dict[str, list[str]]) -> bool:
    color: dict[str, int] = {}

    def visit(x: str) -> bool:
        color[x] = 1
        for d in deps.get(x, ()):
            if d in deps and (color.get(d) == 1 or (not color.get(d) and visit(d))):
                return True
        color[x] = 2
        return False

    return any(not color.get(x) and visit(x) for x in order)


@settings(max_examples=300)
@given(st.integers(1, 10).flatmap(lambda n: st.lists(st.lists(st.integers(0, n), max_size=4), min_size=n, max_size=n)))
def test_find_cycle_finds_a_real_cycle_exactly_when_there_is_one(lists: list[list[int]]) -> None:
    order = [f"s{i}" for i in range(len(lists))]
    deps = {f"s{i}": [f"s{d}" for d in ds] for i, ds in enumerate(lists)}  # s{n} is unknown: skipped
    cycle = find_cycle(order, deps)
    assert (cycle is not None) == _brute_has_cycle(order, deps)
    if cycle is not None:
        assert cycle[0] == cycle[-1] and len(set(cycle[:-1])) == len(cycle) - 1
        for a, b in pairwise(cycle):
            assert b in deps[a]
        # Rotated to start at the earliest-defined member.
        assert cycle[0] == min(cycle[:-1], key=order.index)


def test_a_step_with_many_dependencies_is_walked_once() -> None:
    # The search re-listed a step's dependencies at every visit: a 10,000-step
    # fan-in took 13 s. Count the reads of the wide step's list.
    reads = 0

    class Counted(list[str]):
        def __getitem__(self, i):  # type: ignore[no-untyped-def]
            nonlocal reads
            reads += 1
            return super().__getitem__(i)

        def __iter__(self):  # type: ignore[no-untyped-def]
            nonlocal reads
            reads += len(self)
            return super().__iter__()

    n = 2000
    order = [f"s{i}" for i in range(n)] + ["join"]
    deps: dict[str, list[str]] = {f"s{i}": [] for i in range(n)}
    deps["join"] = Counted(f"s{i}" for i in range(n))
    assert find_cycle(order, deps) is None
    assert reads <= 3 * n  # linear: each dependency is looked at a few times, not once per visit


def test_pl101_names_a_long_chain_by_its_ends() -> None:
    lines = ["version: 1", "steps:"]
    for i in range(40):
        lines += [f"  - id: look-{i}", "    role: explore", "    prompt: Read the logs of one service and list the errors."]
        if i:
            lines.append(f"    depends_on: [look-{i - 1}]")
    found = [f for f in lint_text("\n".join(lines) + "\n") if f.code == "PL101"]
    assert len(found) == 1
    message = found[0].message
    assert "'look-0' -> 'look-1' -> 'look-2' -> 'look-3' -> ... -> 'look-39' (40 steps)" in message
    assert "look-20" not in message
    # The fix still moves every step of the chain.
    assert found[0].fix is not None and len(found[0].fix.edits) == 40


def test_did_you_mean_among_many_ids_uses_one_edit_neighbours(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [f"collect-logs-{i}" for i in range(30)] + ["summarise-findings", "deploy"]
    for limit in (1000, 3):  # all ids compared, then only the neighbours one edit away
        monkeypatch.setattr(structure, "_ALL_IDS_HINT_LIMIT", limit)
        hints = structure._IdHints(ids)
        assert hints.nearest("summarize-findings") == ["summarise-findings"]
        assert hints.nearest("colelct-logs-7") == ["collect-logs-7"]  # two letters swapped
        assert hints.nearest("depoly") == ["deploy"]
        assert hints.nearest("publish-report") == []
    # Among neighbours the choice is difflib's, as for small plans.
    word = "collect-logs-1"
    assert structure._IdHints(ids).nearest(word + "x") == difflib.get_close_matches(word + "x", ids, n=1)


def test_many_misspelt_references_each_get_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(structure, "_ALL_IDS_HINT_LIMIT", 5)
    lines = ["version: 1", "steps:"]
    for i in range(30):
        lines += [f"  - id: step-{i}", "    role: implement", "    prompt: Change one module and say what changed and why."]
        if i:
            lines.append(f"    depends_on: [stpe-{i - 1}]")
    found = [f for f in lint_text("\n".join(lines) + "\n") if f.code == "PL010"]
    assert len(found) == 29
    for f in found:
        wrong = f.message.split("unknown step '")[1].split("'")[0]
        assert f.message.endswith(f"(did you mean '{wrong.replace('stpe', 'step')}'?)"), f.message


def test_one_anchor_in_a_plan_larger_than_the_alias_limit_is_no_bomb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(structure, "MAX_NODES", 50)
    lines = ["version: 1", "steps:"]
    for i in range(30):  # about 250 nodes as written, five times the limit
        prompt = "&p Read one part and report." if i == 0 else "*p"
        lines += [f"  - id: step-{i}", "    role: implement", f"    prompt: {prompt}"]
    assert not [f for f in lint_text("\n".join(lines) + "\n") if f.code == "PL001"]
    bomb = "version: 1\na: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\nsteps: [{id: s}]\n"
    assert any("alias bomb" in f.message for f in lint_text(bomb) if f.code == "PL001")


@given(st.lists(st.tuples(st.integers(0, 5), st.lists(st.integers(0, 5), max_size=3)), min_size=1, max_size=8))
def test_plan_indexes_answer_as_a_scan_would(rows: list[tuple[int, list[int]]]) -> None:
    plan = Plan(steps=tuple(Step(f"s{i}", depends_on=tuple(f"s{d}" for d in deps)) for i, deps in rows))
    for k in range(6):
        sid = f"s{k}"
        assert plan.dependents(sid) == tuple(s.id for s in plan.steps if sid in s.depends_on)
        first = next((s for s in plan.steps if s.id == sid), None)
        if first is None:
            with pytest.raises(KeyError):
                plan.step(sid)
        else:
            assert plan.step(sid) is first


def test_random_large_dag_lints_the_same_with_the_bitset_reference() -> None:
    rng = random.Random(7)
    steps = []
    for i in range(300):
        window = list(range(max(0, i - 20), i))
        deps = sorted(rng.sample(window, min(len(window), rng.choice([0, 1, 1, 2, 3])))) if i else []
        steps.append((f"s{i}", rng.choice(ROLES[:2] * 3 + ROLES[2:]), [f"s{d}" for d in deps]))
    views = _views(steps)
    raws = [r for r in design.run_design_checks(views, default_config()) if r.code == "PL105"]
    assert len(raws) == len(_brute_fan_in(steps))


@given(
    st.lists(st.tuples(st.integers(1, 4), st.booleans(), st.none() | st.lists(st.sampled_from(["PL101", "PL110", "PL999"]), min_size=1, max_size=2)), max_size=8),
    st.lists(st.tuples(st.integers(1, 4), st.sampled_from(["PL101", "PL110", "PL106"])), max_size=8),
)
def test_suppressions_pick_the_same_comment_as_a_scan_would(
    sups_spec: list[tuple[int, bool, list[str] | None]], raws_spec: list[tuple[int, str]]
) -> None:
    from planner.linter.noqa import Suppression, apply_suppressions

    def build() -> list[Suppression]:
        return [
            Suppression(line, 1, 0, 1, whole, None if codes is None else [(c, c if c != "PL999" else None) for c in codes], set())
            for line, whole, codes in sups_spec
        ]

    raws = [structure.Raw(code, "m", line, 1) for line, code in raws_spec]
    fast = build()
    kept = apply_suppressions(raws, fast)
    # The definition: a finding goes to the first covering comment on its line, else in the file.
    slow = build()
    expected = []
    for raw in raws:
        pool = [s for s in slow if not s.whole_file and s.line == raw.line] + [s for s in slow if s.whole_file]
        hit = next((s for s in pool if s.covers(raw.code)), None)
        if hit is None:
            expected.append(raw)
        else:
            hit.used.add(raw.code)
    assert kept == expected
    assert [s.used for s in fast] == [s.used for s in slow]
