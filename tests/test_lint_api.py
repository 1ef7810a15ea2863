"""The library API, the lint path's imports, suggested plans, and properties over random plans."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import planner
from planner.linter import Finding, lint
from planner.linter.engine import lint_text
from planner.plan import Plan, Step, dump_yaml
from planner.plan.model import PATTERNS

PLAN = """version: 1
steps:
  - id: scan
    role: explore
    prompt: Scan the service logs for errors and count them by component.
  - id: scan
    prompt: Scan again.
"""


def test_public_api_and_finding_is_frozen(tmp_path: Path) -> None:
    assert planner.Finding is Finding
    assert planner.lint(PLAN) == lint(PLAN)
    path = tmp_path / "p.plan.yaml"
    path.write_text(PLAN)
    by_path = lint(path)
    assert by_path == lint(str(path))
    assert [(f.code, f.line, f.column, f.path) for f in by_path] == [("PL009", 6, 9, str(path))]
    by_text = lint(PLAN)
    assert [f.path for f in by_text] == ["<plan>"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        by_text[0].line = 3  # type: ignore[misc]
    assert hash(by_text[0]) == hash(dataclasses.replace(by_text[0]))
    with pytest.raises(TypeError):
        lint(42)


def test_lint_a_plan_object() -> None:
    plan = Plan(
        steps=(
            Step(
                id="a", role="explore", tier="opus", prompt="Read every module and list its owners."
            ),
        )
    )
    (finding,) = lint(plan)
    assert finding.code == "PL108"
    assert finding.fix is not None and finding.fix.applicability == "unsafe"


LINT_PATH_FORBIDDEN = (
    "networkx",
    "jinja2",
    "jsonschema",
    "ruamel",
    "sklearn",
    "anthropic",
    "planner.runner",
    "planner.advise",
)


@pytest.mark.parametrize("extra", [[], ["--fix"]])
def test_lint_path_imports_only_click_yaml_and_planner(tmp_path: Path, extra: list[str]) -> None:
    (tmp_path / "p.plan.yaml").write_text(
        PLAN.replace("  - id: scan\n    prompt: Scan again.\n", "").replace(
            "    prompt:", "    until: done\n    prompt:"
        )
    )
    code = (
        "import sys, click, yaml\n"
        "base = set(sys.modules)\n"
        "from planner.cli import main\n"
        f"rc = main(['lint', 'p.plan.yaml', *{extra!r}])\n"
        "print(rc)\n"
        "print(' '.join(sorted(set(sys.modules) - base)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    lines = result.stdout.splitlines()
    modules = set(lines[-1].split())
    # Beyond click and PyYAML (and what they load), only the stdlib and planner itself.
    third_party = {m.split(".")[0] for m in modules} - set(sys.stdlib_module_names) - {"planner"}
    if extra:  # --fix splices the text itself: no other YAML library
        assert "max_rounds: 3" in (tmp_path / "p.plan.yaml").read_text()
    else:
        assert lines[-2] == "1"
    assert third_party == set(), third_party
    forbidden = [
        m
        for m in modules
        if m.split(".")[0] in LINT_PATH_FORBIDDEN or m.startswith(LINT_PATH_FORBIDDEN)
    ]
    assert forbidden == []


@pytest.mark.parametrize(
    "task",
    [
        "Understand this codebase: structure, conventions, build system",
        "Fix the login bug reported by users, then add a regression test",
        "Compare three caching strategies and recommend one",
        "Find, read, collect and summarize all TODO comments",
    ],
)
def test_every_suggested_plan_lints_clean(task: str) -> None:
    """A plan suggest writes on its own judgement has no findings at all; a
    plan forced into a pattern (--pattern) is always well-formed, though its
    shape may rightly repeat an anti-pattern (see the next test)."""
    advise = pytest.importorskip("planner.advise")
    chosen = advise.suggest(task)
    findings = lint_text(dump_yaml(chosen.plan), "chosen.plan.yaml")
    assert findings == [], [f"{f.code} {f.line}:{f.column} {f.message}" for f in findings]
    for pattern in PATTERNS:
        suggestion = advise.suggest(task, pattern=pattern)
        text = dump_yaml(suggestion.plan)
        findings = lint_text(text, f"{pattern}.plan.yaml")
        structural = [f for f in findings if f.code.startswith("PL0")]
        assert structural == [], (pattern, [f"{f.code} {f.message}" for f in structural])


@pytest.mark.parametrize(
    ("task", "pattern", "code"),
    [
        # A chain of independent gatherers: each stage's prompt names the one
        # before in its "Inputs:" line, which no longer hides the anti-pattern.
        ("Research SQLAlchemy, Django ORM and Prisma, then summarize the differences", "pipeline", "PL101"),
        ("Understand the auth, billing and search modules and write one summary", "pipeline", "PL101"),
    ],
)
def test_a_forced_shape_that_repeats_an_anti_pattern_is_flagged(task: str, pattern: str, code: str) -> None:
    advise = pytest.importorskip("planner.advise")
    suggestion = advise.suggest(task, pattern=pattern)
    assert suggestion.plan.pattern == pattern
    codes = {f.code for f in lint_text(dump_yaml(suggestion.plan), "forced.plan.yaml")}
    assert code in codes


# -- properties -------------------------------------------------------------

ids = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
roles = st.sampled_from(
    [None, "explore", "scout", "design", "implement", "review", "synthesize", "compare"]
)
tiers = st.sampled_from([None, "haiku", "sonnet", "opus"])
words = st.lists(
    st.sampled_from(["read", "the", "logs", "and", "report", "errors", "fix", "tests"]), max_size=14
)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    names = draw(st.lists(ids, min_size=1, max_size=8, unique=True))
    steps = []
    for i, name in enumerate(names):
        deps = draw(st.lists(st.sampled_from(names[:i]), unique=True, max_size=3)) if i else []
        prompt = " ".join(draw(words)) or None
        until = draw(st.sampled_from([None, "no blocking issues remain"]))
        rounds = draw(st.sampled_from([None, 2]))
        steps.append(
            Step(
                id=name,
                role=draw(roles),
                tier=draw(tiers),
                depends_on=tuple(deps),
                prompt=prompt,
                until=until,
                max_rounds=rounds,
            )
        )
    return Plan(steps=tuple(steps), pattern=draw(st.sampled_from([None, *PATTERNS])))


@given(plans())
def test_valid_plans_have_no_structural_findings(plan: Plan) -> None:
    findings = lint(plan)
    assert [f for f in findings if f.code.startswith("PL0")] == []
    assert all(f.line >= 1 and f.column >= 1 for f in findings)


@settings(max_examples=40)
@given(plans())
def test_safe_fixes_converge_and_never_break_the_plan(plan: Plan) -> None:
    from planner.linter.fix import fix_text

    text = dump_yaml(plan)
    _, _, left = fix_text(text, lambda t: lint_text(t), unsafe=True)
    assert [f for f in left if f.code.startswith("PL0")] == []
    assert not [f for f in left if f.fix and f.code in ("PL106", "PL107", "PL108")]


@given(st.text(max_size=300))
def test_any_text_gives_findings_not_exceptions(text: str) -> None:
    for f in lint_text(text):
        assert f.line >= 1 and f.column >= 1 and f.severity in ("error", "warning", "info")


def test_readme_rules_table_matches_the_registry() -> None:
    from planner.linter.rules import registry

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section:lint -->", 1)[1].split("<!-- /section:lint -->", 1)[0]
    rows = [line.split("|")[1:-1] for line in section.splitlines() if line.startswith("| `PL")]
    table = {cells[0].strip(" `"): [c.strip() for c in cells[1:]] for cells in rows}
    assert list(table) == list(registry())
    for code, rule in registry().items():
        name, severity, summary, fixable = table[code]
        assert (name, severity) == (f"`{rule.name}`", rule.severity)
        assert summary == rule.summary.replace("|", "/")
        assert fixable == {"safe": "yes", "unsafe": "unsafe"}.get(rule.fix or "", "")


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=True)
    | st.sampled_from(["", "a", "explore", "opus", "x-y"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "version",
                    "steps",
                    "id",
                    "depends_on",
                    "role",
                    "tier",
                    "prompt",
                    "until",
                    "max_rounds",
                    "x-a",
                    "bogus",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "version",
                "task",
                "pattern",
                "steps",
                "rationale",
                "alternatives",
                "estimate",
                "x-e",
                "junk",
            ]
        ),
        json_values,
        max_size=6,
    )
)
def test_any_yaml_shape_gives_located_findings(document: dict[str, object]) -> None:
    import yaml

    text = yaml.safe_dump(document)
    for f in lint_text(text):
        assert 1 <= f.line <= text.count("\n") + 1
        assert f.column >= 1


SEED_PLAN = """version: 1  # planner: noqa: PL007
steps:
  - id: a  # first
    role: explore
    prompt: Read the module and list its public functions and their callers.
  - id: b
    role: explore
    depends_on: [a]
    prompt: Read the tests and list what the public functions are tested for.
  - id: c
    role: synthesize
    tier: haiku
    depends_on:
      - b
    until: the summary is complete
    prompt: |
      Combine both lists into one table.
"""


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(SEED_PLAN)),
            st.sampled_from(["", " ", "\n", "-", ":", "[", "#", "'", "x", "\t"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mangled_plans_lint_and_fix_without_exceptions(edits: list[tuple[int, str]]) -> None:
    from planner.linter.fix import fix_text

    text = SEED_PLAN
    for at, insert in edits:
        text = text[:at] + insert + text[at + 1 :]
    findings = lint_text(text)
    assert all(f.line >= 1 and f.column >= 1 for f in findings)
    _, _, left = fix_text(text, lambda t: lint_text(t), unsafe=True)
    assert all(f.line >= 1 for f in left)


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(SEED_PLAN)),
            st.sampled_from(["", " ", "\n", "-", ":", "#", "x", ",", "P"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_safe_fixes_change_nothing_but_max_rounds(edits: list[tuple[int, str]]) -> None:
    import yaml

    from planner.linter.fix import fix_text

    text = SEED_PLAN
    for at, insert in edits:
        text = text[:at] + insert + text[at + 1 :]
    try:
        before = yaml.safe_load(text)
    except yaml.YAMLError:
        return
    fixed, _, _ = fix_text(text, lambda t: lint_text(t), unsafe=False)
    after = yaml.safe_load(fixed)
    steps_after = after.get("steps") if isinstance(after, dict) else None
    steps_before = before.get("steps") if isinstance(before, dict) else None
    if isinstance(steps_after, list) and isinstance(steps_before, list):
        for new, old in zip(steps_after, steps_before, strict=True):
            if isinstance(new, dict) and "max_rounds" in new and "max_rounds" not in old:
                del new["max_rounds"]
    assert after == before
