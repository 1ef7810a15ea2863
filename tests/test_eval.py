"""planner eval: scores, confusion matrices and error handling on a fixture of our own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli import main
from planner.parser import parse
from planner.parser.evaluate import FileReport, RowResult, confusion, evaluate_file, summary_table

FIXTURE = Path(__file__).parent / "fixtures" / "parse" / "tasks.jsonl"


def test_fixture_scores_and_code_check() -> None:
    report = evaluate_file(FIXTURE, parse)
    assert len(report.rows) == sum(1 for line in FIXTURE.read_text().splitlines() if line.strip())
    assert all(r.error is None for r in report.rows)
    shape = report.accuracy("shape")
    assert shape is not None and shape >= 0.8
    branches = report.accuracy("branches")
    assert branches is not None and branches >= 0.8
    # The bug report row has a code block and a traceback: no step may come from them.
    assert sum(r.code_steps for r in report.rows) == 0
    assert report.to_dict()["shape_rows"] == 12


def test_accuracy_and_confusion_from_known_rows() -> None:
    rows = [
        RowResult("a", 0.001, shape="chain", gold={"shape": "chain"}),
        RowResult("b", 0.001, shape="dag", gold={"shape": "chain"}),
        RowResult("c", 0.001, shape="single", gold={"shape": "single"}),
        RowResult("d", 0.001, pattern="pipeline", gold={"pattern": "scout-build", "ok": ["pipeline"]}),
    ]
    report = FileReport("x.jsonl", rows)
    assert report.accuracy("shape") == pytest.approx(2 / 3)
    assert report.accuracy("pattern") == 1.0  # an accepted alternative counts
    lines = confusion(report.labelled("shape"), "shape", ("single", "chain", "dag"))
    assert lines[2].split()[-3:] == ["0", "1", "1"]  # gold chain: 1 chain, 1 dag
    table = summary_table([report])
    assert "x.jsonl" in table[2] and "66.7%" in table[2]


def test_cli_eval_directory_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.jsonl").write_text(FIXTURE.read_text())
    assert main(["eval", str(tmp_path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 1 and data[0]["rows"] == 13 and "shape_accuracy" in data[0]


def test_cli_eval_text_has_summary_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(FIXTURE)]) == 0
    out = capsys.readouterr().out
    assert "gold \\ predicted" in out and out.rstrip().splitlines()[-1].startswith("tasks.jsonl")


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json\n", "not JSON"), ('{"id": 1}\n', "string 'task'"), ("[1, 2]\n", "string 'task'")],
)
def test_cli_eval_bad_file_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content)
    assert main(["eval", str(bad)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_eval_missing_path_is_exit_2(tmp_path: Path) -> None:
    assert main(["eval", str(tmp_path / "nope.jsonl")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["eval", str(tmp_path / "empty")]) == 2


@pytest.mark.shared
def test_shared_dev_set_is_scored_without_errors(shared_dir: Path) -> None:
    # The shared rows measure; they are never a target to tune to (their figures
    # are printed by `make eval`, beside the corpus's held-out writers).
    report = evaluate_file(shared_dir / "eval" / "dev.jsonl", parse)
    assert report.rows and all(r.error is None for r in report.rows)
    assert report.accuracy("branches") is not None and report.accuracy("pattern") is not None


def test_shared_swebench_rows_parse_and_get_advice(shared_dir: Path) -> None:
    # Real bug reports: every one parses with no step from code, and the advisor
    # gives each a plan (a failure here once came from a list reading of "`\]`").
    from planner.advise import suggest

    report = evaluate_file(shared_dir / "eval" / "external" / "swebench-lite.jsonl", parse)
    assert len(report.rows) == 274 and all(r.error is None for r in report.rows)
    assert sum(r.code_steps for r in report.rows) == 0
    for line in (shared_dir / "eval" / "external" / "swebench-lite.jsonl").read_text(encoding="utf-8").splitlines():
        assert suggest(json.loads(line)["task"]).plan.steps
