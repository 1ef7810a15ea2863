"""SARIF output: valid against the official 2.1.0 schema and complete enough for GitHub code scanning."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

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


def _sarif_in(folder: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    config_for_dir.cache_clear()
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        main(["lint", *args, "--output-format", "sarif"])
    finally:
        os.chdir(cwd)
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    schema_file = Path(__file__).resolve().parent.parent.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
    if schema_file.is_file():  # every variant is valid SARIF, not only the first
        import jsonschema

        schema = json.loads(schema_file.read_text())
        errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(data))
        assert errors == [], errors[0].message
    return data


def _locations(log: dict[str, Any]) -> list[dict[str, Any]]:
    return [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]


def test_uris_are_relative_to_the_repository_root_from_any_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    plans = repo / "services" / "api" / "plans"
    plans.mkdir(parents=True)
    (plans / "review.plan.yaml").write_text(BAD)
    expected = {"uri": "services/api/plans/review.plan.yaml", "uriBaseId": "%SRCROOT%"}
    for folder, arg in [
        (repo, "services/api/plans"),
        (repo / "services", "api/plans/review.plan.yaml"),
        (plans, "review.plan.yaml"),
        (plans, "."),
    ]:
        log = _sarif_in(folder, capsys, arg)
        assert {json.dumps(loc, sort_keys=True) for loc in _locations(log)} == {json.dumps(expected, sort_keys=True)}, folder
        base = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        assert base == repo.as_uri() + "/"
    # A git worktree has a .git file, not a folder.
    (repo / ".git").rmdir()
    (repo / ".git").write_text("gitdir: /elsewhere\n")
    assert _locations(_sarif_in(plans, capsys, "review.plan.yaml")) == [expected] * 4


def test_a_file_outside_the_repository_gets_an_absolute_uri(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    outside = tmp_path / "elsewhere" / "x.plan.yaml"
    outside.parent.mkdir()
    outside.write_text(BAD)
    (location, *_) = _locations(_sarif_in(repo, capsys, str(outside)))
    assert location == {"uri": outside.as_uri()}


@pytest.mark.skipif(os.name != "posix", reason="file names are bytes on POSIX only")
def test_a_file_name_that_is_not_utf8_is_percent_encoded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = os.fsdecode(b"caf\xe9.plan.yaml")
    try:
        (tmp_path / name).write_text(BAD)
    except OSError:
        pytest.skip("the file system refuses names that are not UTF-8")
    (location, *_) = _locations(_sarif_in(tmp_path, capsys, name))
    assert location["uri"] == "caf%E9.plan.yaml"


def test_each_rule_links_its_documentation(sarif: dict[str, Any]) -> None:
    from urllib.parse import urlparse

    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    uris = [r["helpUri"] for r in rules]
    assert len(set(uris)) == len(rules)
    for rule, uri in zip(rules, uris, strict=True):
        parsed = urlparse(uri)
        assert parsed.scheme == "https" and parsed.netloc and rule["id"] in uri


def test_fingerprints_follow_the_finding_not_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "p.plan.yaml"
    plan.write_text(BAD)
    before = _sarif_in(tmp_path, capsys, "p.plan.yaml")["runs"][0]["results"]
    plan.write_text("# a comment\n# and another, pushing every line down\n" + BAD)
    after = _sarif_in(tmp_path, capsys, "p.plan.yaml")["runs"][0]["results"]

    def prints(results: list[dict[str, Any]]) -> dict[str, str]:
        return {r["message"]["text"]: r["partialFingerprints"]["plannerFinding/v1"] for r in results}

    assert prints(before) == prints(after)
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] == [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] + 2 for r in before
    ]
    values = list(prints(before).values())
    assert len(set(values)) == len(values)
    # The same finding twice in one file: told apart by its order.
    from planner.linter.finding import Finding
    from planner.linter.report import render_sarif

    same = [Finding("PL110", "missing-prompt", "warning", "step 'a' has no prompt", "p.plan.yaml", n, 5) for n in (3, 9)]
    twice = [r["partialFingerprints"]["plannerFinding/v1"] for r in json.loads(render_sarif(same))["runs"][0]["results"]]
    assert twice[0].split(":")[0] == twice[1].split(":")[0]
    assert [t.split(":")[1] for t in twice] == ["1", "2"]
