"""The right-inside benchmark never lists a sealed writer's rows."""

from __future__ import annotations

import pytest

from benchmarks import right_inside


def test_sealed_rows_are_never_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert right_inside.main(["--sealed", "-v"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "never shown" in captured.err


def test_a_writer_gets_one_aggregate_line(capsys: pytest.CaptureFixture[str]) -> None:
    if not (right_inside.TASKS / "w5.jsonl").is_file():
        pytest.skip("corpus/tasks/w5.jsonl is not in this checkout")
    assert right_inside.main(["w5"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("w5: right inside ") and "pattern right" in line
