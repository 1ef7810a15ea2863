"""The published pre-commit hook, run by the real pre-commit tool against a scratch repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
GOOD = """version: 1
steps:
  - id: answer
    role: draft
    prompt: Answer the question in the ticket with a short, sourced explanation.
"""
BAD = """version: 1
steps:
  - id: answer
    role: draft
    prompt: Answer the question in the ticket with a short, sourced explanation.
  - id: answer
    prompt: A copy of the step above that somebody forgot to rename.
"""
# pip's words for "the package index is unreachable": the only reason to skip.
OFFLINE = (
    "Temporary failure in name resolution",
    "Failed to establish a new connection",
    "No matching distribution",
)


def test_hook_definition() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "planner-lint"
    assert hook["language"] == "python"
    assert hook["entry"].split()[0] == "planner"
    assert hook["files"] == r"\.plan\.ya?ml$"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.slow
def test_try_repo_passes_good_and_fails_bad(tmp_path: Path) -> None:
    if not PRE_COMMIT.exists() or shutil.which("git") is None:
        pytest.skip("pre-commit or git is not installed")
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout (try-repo needs one)")
    work = tmp_path / "project"
    work.mkdir()
    _git(work, "init", "-q")
    _git(work, "config", "user.email", "test@example.invalid")
    _git(work, "config", "user.name", "test")
    (work / "good.plan.yaml").write_text(GOOD)
    (work / "bad.plan.yaml").write_text(BAD)
    for n in range(2, 9):  # enough files that pre-commit would split them into batches
        (work / f"bad{n}.plan.yaml").write_text(BAD)
    (work / "notes.yaml").write_text("steps: not a plan, and not linted\n")
    _git(work, "add", ".")
    _git(work, "commit", "-q", "-m", "init")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("PRE_COMMIT_COLOR", None)

    def try_repo(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(PRE_COMMIT), "try-repo", str(REPO), "planner-lint", "--color", "never", *args],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    both = try_repo("--all-files")
    if both.returncode != 0 and any(s in both.stdout + both.stderr for s in OFFLINE):
        pytest.skip("the package index is unreachable, so pre-commit cannot build the hook")
    assert both.returncode == 1, both.stdout + both.stderr
    assert "bad.plan.yaml:6:9: PL009 duplicate step id 'answer'" in both.stdout
    # One planner process for all the files: one summary, counting all of them.
    assert both.stdout.count("Found ") == 1, both.stdout
    assert "Found 8 problems" in both.stdout
    assert "good.plan.yaml" not in both.stdout
    assert "notes.yaml" not in both.stdout
    # The environment is built once; this second run reuses it.
    good = try_repo("--files", "good.plan.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
