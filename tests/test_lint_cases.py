"""Rule cases as data: every file under tests/lint_cases/ is one case.

* ``pass-*.plan.yaml``: lints with no findings at all;
* ``fail-*.plan.yaml``: ``# expect: CODE LINE:COL`` comments list exactly the findings;
* ``fix-*.plan.yaml``: fixing gives the sibling ``.fixed.yaml`` byte for byte
  (``# unsafe-fixes`` in the file enables unsafe fixes).

``# config: {...}`` (JSON) applies a ``[tool.planner]`` table to a case.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from planner.config import config_from_table
from planner.linter.engine import lint_text
from planner.linter.fix import fix_text
from planner.linter.rules import registry

CASES = Path(__file__).parent / "lint_cases"
ALL = sorted(CASES.rglob("*.plan.yaml"))
EXPECT_RE = re.compile(r"^# expect: (PL\d{3}) (\d+):(\d+)\s*$", re.MULTILINE)


def _config(text: str):  # type: ignore[no-untyped-def]
    m = re.search(r"^# config: (.*)$", text, re.MULTILINE)
    return config_from_table(json.loads(m.group(1)) if m else {}, None)


def _id(path: Path) -> str:
    return path.relative_to(CASES).as_posix()


@pytest.mark.parametrize("case", ALL, ids=_id)
def test_case(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    cfg = _config(text)
    findings = lint_text(text, str(case), config=cfg)
    got = sorted((f.code, f.line, f.column) for f in findings)
    kind = case.name.split("-", 1)[0]
    if kind == "pass":
        assert got == [], [f"{f.code} {f.line}:{f.column} {f.message}" for f in findings]
    elif kind == "fail":
        want = sorted((c, int(line), int(col)) for c, line, col in EXPECT_RE.findall(text))
        assert want, "a fail case needs '# expect:' lines"
        assert got == want, [f"{f.code} {f.line}:{f.column} {f.message}" for f in findings]
    elif kind == "fix":
        expected = case.with_name(case.name.replace(".plan.yaml", ".fixed.yaml")).read_text(
            encoding="utf-8"
        )
        unsafe = "# unsafe-fixes" in text
        fixed, count, _ = fix_text(
            text, lambda t: lint_text(t, str(case), config=cfg), unsafe=unsafe
        )
        assert count > 0
        assert fixed == expected
    else:  # pragma: no cover - a misnamed case file
        pytest.fail(f"case file name must start with pass-, fail- or fix-: {case.name}")


def test_every_rule_has_a_failing_case() -> None:
    covered = {
        c
        for path in ALL
        if path.name.startswith("fail-")
        for c, _, _ in EXPECT_RE.findall(path.read_text())
    }
    # PL002 (unreadable files) is exercised with real bytes in test_lint_bad_input.py;
    # the framework-config rules (PL2xx) by the folders of tests/foreign_cases/.
    assert {c for c in registry() if not c.startswith("PL2")} - covered == {"PL002"}


def test_every_fixable_rule_has_a_fix_case() -> None:
    fixable = {r.code for r in registry().values() if r.fix}
    with_case = {p.parent.name.split("-")[0] for p in ALL if p.name.startswith("fix-")}
    assert fixable <= with_case
