"""The project's own nesting limit runs before any YAML reader, so every PyYAML gives one answer.

PyYAML 6.0.4's libyaml stops at 1,000 levels with an error of its own, the
pure-Python reader runs out of recursion, and older libyaml has no limit.
Each case here is read with libyaml (when present), with the pure-Python
reader, and with a stand-in for a libyaml that fails on nesting by its own
rules; the loader and the linter must say the same thing at the same place.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from planner.errors import PlanError
from planner.linter.engine import lint_text
from planner.plan import yamlnodes
from planner.plan.loader import parse_plan_text
from planner.plan.yamlnodes import MAX_DEPTH, TOO_DEEP

HEAD = "version: 1\nsteps: [{id: a, prompt: p}]\n"


class _PurePython(yaml.SafeLoader):  # type: ignore[misc]
    pass


class _StrictLibyaml(yaml.SafeLoader):  # type: ignore[misc]
    """Fails like libyaml 0.2.5+ does on deep text, but already at 120 levels."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        depth = getattr(self, "_depth", 0)
        if depth > 120:
            raise yaml.MarkedYAMLError(
                "while increasing flow level", None, "exceeded maximum nesting depth", self.peek_event().start_mark
            )
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth


READERS = [yamlnodes._Loader, _PurePython, _StrictLibyaml]


def _deep_block(levels: int) -> str:
    return "x-deep:\n" + "".join("  " * i + "k:\n" for i in range(1, levels)) + "  " * levels + "v\n"


CASES = {
    "flow, 5,000 levels": HEAD + "x-deep: " + "[" * 5000 + "]" * 5000 + "\n",
    "flow, 202 levels": HEAD + "x-deep: " + "[" * 202 + "]" * 202 + "\n",
    "block, 1,200 levels": HEAD + _deep_block(1200),
    "compact sequences, 1,200 levels": HEAD + "x-deep:\n  " + "- " * 1200 + "a\n",
    # Brackets inside a quoted string fool a naive bracket count: 101 + 101 real levels.
    "quoted brackets": HEAD + 'x-deep: ' + "[" * 101 + '"' + "]" * 101 + '", ' + "[" * 101 + "x" + "]" * 202 + "\n",
    "anchors in front of keys": HEAD + "x-deep:\n" + "".join("  " * i + "- &n" + "x" * 40 + f"{i} k:\n" for i in range(1, 260)),
}


def _answer(text: str) -> tuple[str, int | None, int | None]:
    try:
        parse_plan_text(text)
    except PlanError as exc:
        return exc.reason, exc.line, exc.column
    return "ok", None, None


@pytest.mark.parametrize("name", list(CASES))
def test_every_reader_gives_the_same_answer(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = CASES[name]
    answers = set()
    for reader in READERS:
        monkeypatch.setattr(yamlnodes, "_Loader", reader)
        loaded = _answer(text)
        linted = [(f.message, f.line, f.column) for f in lint_text(text) if f.code == "PL001"]
        assert loaded[0] == TOO_DEEP, (name, reader.__name__, loaded)
        assert linted == [loaded], (name, reader.__name__)
        answers.add(loaded)
    assert len(answers) == 1, answers


def test_the_limit_itself_is_exact() -> None:
    # The root mapping is level 0, so the innermost of MAX_DEPTH brackets is at level MAX_DEPTH.
    fits = HEAD + "x-deep: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    assert _answer(fits)[0] == "ok"
    assert not [f for f in lint_text(fits) if f.code == "PL001"]
    over = HEAD + "x-deep: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n"
    assert _answer(over)[0] == TOO_DEEP


def test_other_reader_errors_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlnodes, "_Loader", _StrictLibyaml)
    shallow_but_broken = HEAD + "x-a: [1, 2\n"
    reason = _answer(shallow_but_broken)[0]
    assert reason.startswith("invalid YAML") and reason != TOO_DEEP


def test_large_ordinary_plans_never_need_the_exact_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str) -> None:
        raise AssertionError("the exact scan ran on an ordinary plan")

    monkeypatch.setattr(yamlnodes, "_exact_depth_check", fail)
    steps = "".join(
        f"  - id: s{i}\n    depends_on: [s{i - 1}]\n    x-meta: {{owner: team-{i % 5}, tags: [a, b]}}\n"
        f"    prompt: |\n      Look at part {i}; keep [brackets] and {{braces}} in prose.\n"
        + ("          indented code in the prompt\n" if i % 3 else "")
        for i in range(1, 3000)
    )
    text = "version: 1\nsteps:\n  - id: s0\n" + steps
    assert len(parse_plan_text(text).steps) == 3000


def test_a_huge_integer_is_a_located_error_not_a_crash() -> None:
    text = "version: 1\nsteps:\n  - id: a\n    max_tokens: " + "9" * 5000 + "\n"
    with pytest.raises(PlanError) as info:
        parse_plan_text(text)
    assert (info.value.line, info.value.column) == (4, 17)
    assert "as a number" in info.value.reason and "5,000 characters" in info.value.reason
    (finding,) = [f for f in lint_text(text) if f.code == "PL001"]
    assert (finding.line, finding.column) == (4, 17)
