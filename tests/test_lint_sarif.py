"""SARIF output: valid against the official 2.1.0 schema and complete enough for GitHub code scanning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli import main
from planner.linter.engine import config_for_dir
from planner.linter.rules import registry

BAD = """version: 1
steps:
  - id: scan
    role: explore
    tier: opus
    prompt: Scan the service logs for errors and count them by component.
  - id: report
    role: synthesize
    depends_on: [scan, missing]
  - id: loop
    until: done
    prompt: Say hello to the world in a short and friendly sentence.
"""


@pytest.fixture
def sarif(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    config_for_dir.cache_clear()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "my plan.plan.yaml").write_text(BAD)
    assert main(["lint", "plans", "--output-format", "sarif"]) == 1
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


@pytest.mark.shared
def test_sarif_validates_against_the_official_schema(sarif: dict[str, object], shared_dir: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((shared_dir / "schemas" / "sarif-schema-2.1.0.json").read_text())
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    errors = sorted(validator_cls(schema).iter_errors(sarif), key=str)
    assert errors == []


def test_sarif_has_what_github_code_scanning_reads(sarif: dict[str, object]) -> None:
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]  # type: ignore[misc]
    driver = run["tool"]["driver"]
    assert driver["name"] == "planner"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == list(registry())
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"PL108", "PL010", "PL110", "PL106"}
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "plans/my%20plan.plan.yaml"
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
    unknown = next(r for r in results if r["ruleId"] == "PL010")
    assert unknown["level"] == "error"
    assert unknown["locations"][0]["physicalLocation"]["region"] == {"startLine": 9, "startColumn": 24}
