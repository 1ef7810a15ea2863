"""The README's promises: two quick-start commands, CI runs the test one, the example is real."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
CI = README.parent / ".ci" / "run"


def _section(text: str, heading: str) -> str:
    match = re.search(rf"^## {heading}\n(.*?)(?=^## )", text, flags=re.S | re.M)
    assert match, heading
    return match.group(1)


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    quick = _section(README.read_text(encoding="utf-8"), "Quick start")
    blocks = re.findall(r"```sh\n(.*?)```", quick, flags=re.S)
    assert len(blocks) == 1
    commands = [line for line in blocks[0].splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[0].startswith("make suggest")
    assert commands[1] == "make test"
    ci_lines = [
        line for line in CI.read_text(encoding="utf-8").splitlines() if line and not line.startswith(("#", "set ", "cd "))
    ]
    assert ci_lines == ["exec make test"]


def test_readme_example_is_the_real_output() -> None:
    text = README.read_text(encoding="utf-8")
    example = re.search(r"<!-- section:example -->.*?```text\n(.*?)```", text, flags=re.S)
    assert example
    task = "Understand this codebase: structure, conventions, build system"
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "suggest", task],
        capture_output=True,
        text=True,
        check=True,
        # As after activating the virtualenv: `planner` on the PATH is this one.
        env={"COLUMNS": "100", "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"},
    )
    assert proc.stdout == example.group(1), "README example is stale: paste the new output of make suggest"
