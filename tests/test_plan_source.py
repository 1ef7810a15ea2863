"""A plan is read only from a small regular file or bounded stdin: FIFOs and devices are refused at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import planner
from planner.cli import main

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def _planner(*args: str, stdin: object = subprocess.DEVNULL, cwd: Path) -> subprocess.CompletedProcess[str]:
    # A subprocess with a timeout: a regression here hangs rather than fails.
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        cwd=cwd,
        stdin=stdin,  # type: ignore[arg-type]
        capture_output=True,
        text=True,
        timeout=60,
    )


@needs_fifo
@pytest.mark.parametrize("command", [["render"], ["run"], ["run", "-b", "mock"], ["render", "-f", "json"]])
def test_a_fifo_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    os.mkfifo(tmp_path / "pipe.plan.yaml")
    proc = _planner(*command, "pipe.plan.yaml", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == "planner: pipe.plan.yaml: not a regular file\n"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_an_endless_device_is_refused(tmp_path: Path) -> None:
    proc = _planner("render", "/dev/zero", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (2, "planner: /dev/zero: not a regular file\n")
    with open("/dev/zero", "rb") as zero:
        proc = _planner("render", "-", stdin=zero, cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (2, "planner: the plan on stdin is larger than 20 MB\n")
    with open("/dev/zero", "rb") as zero:
        proc = _planner("parse", "-", stdin=zero, cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (2, "planner: the task on stdin is larger than 5 MB\n")


@needs_fifo
def test_the_library_refuses_them_too(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.plan.yaml")
    for source in (tmp_path / "pipe.plan.yaml", str(tmp_path / "pipe.plan.yaml")):
        with pytest.raises(planner.PlanError, match="not a regular file"):
            planner.load_plan(source)
        with pytest.raises(planner.PlanError, match="not a regular file"):
            planner.run(source, backend="mock")


def test_the_usual_read_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "folder.plan.yaml").mkdir()
    assert main(["render", str(tmp_path / "folder.plan.yaml")]) == 2
    assert capsys.readouterr().err.endswith("folder.plan.yaml: is a directory, not a plan file\n")
    assert main(["render", str(tmp_path / "missing.plan.yaml")]) == 2
    assert capsys.readouterr().err.endswith("missing.plan.yaml: no such file\n")


@needs_fifo
def test_a_fifo_named_as_a_rule_file_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "rules.toml")
    (tmp_path / "pyproject.toml").write_text('[tool.planner]\nrule_files = ["rules.toml"]\n')
    proc = _planner("suggest", "Find the bug, then fix it", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (2, f"planner: {tmp_path / 'rules.toml'}: rule file is not a regular file\n")
