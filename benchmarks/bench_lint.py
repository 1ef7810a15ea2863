"""`planner lint` side by side with yamllint on the same files.

yamllint is the reference because it is what a team would otherwise put in
pre-commit for these files; it only checks YAML style and syntax, so matching
its speed while doing schema and design checks is the bar. Rows:

* one small plan, cold process start (goal <= 1.0x yamllint);
* 500 plan files in one invocation (goal <= 1.0x yamllint);
* a 5,000-step plan, in-process (goal <= 1 s) and as a command next to yamllint.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.common import BIN, Row, best_of, time_commands

SMALL = """version: 1
task: Understand this codebase
pattern: fan-out-fan-in
steps:
  - id: structure
    title: Map the structure
    role: explore
    tier: haiku
    prompt: Map the folder structure and say what each top-level folder holds.
  - id: conventions
    title: Read the conventions
    role: explore
    tier: haiku
    prompt: Read a sample of modules and list the coding conventions they follow.
  - id: build
    title: Find the build system
    role: explore
    tier: haiku
    prompt: Find how the project is built, tested and released, with the commands.
  - id: synthesis
    title: Write the overview
    role: synthesize
    tier: opus
    depends_on: [structure, conventions, build]
    prompt: Combine the three reports into one overview a newcomer can read in five minutes.
"""

# yamllint's defaults complain about the missing '---'; the comparison is about
# speed, so both tools get files they accept and both exit 0.
YAMLLINT_CONFIG = "extends: default\nrules:\n  document-start: disable\n  line-length: disable\n"


def _big_plan(n: int) -> str:
    lines = ["version: 1", "task: A very large generated plan", "steps:"]
    for i in range(n):
        lines += [
            f"  - id: step-{i}",
            f"    title: Step {i}",
            "    role: implement",
            "    tier: sonnet",
        ]
        if i:
            lines.append(f"    depends_on: [step-{i - 1}]")
        lines.append(f"    prompt: Carry out part {i} of the work and report what changed and why.")
    return "\n".join(lines) + "\n"


@contextmanager
def _bytecode_cache(folder: Path) -> Iterator[None]:
    """Let both tools run from compiled bytecode, as they do after a normal install.

    A development shell may set PYTHONDONTWRITEBYTECODE, which makes every run
    of an editable checkout recompile its sources while the reference, installed
    in site-packages, has its bytecode: an unfair start. A private cache folder
    gives both sides the same footing without writing into the checkout.
    """
    saved = {k: os.environ.get(k) for k in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def rows() -> list[Row]:
    with tempfile.TemporaryDirectory() as cache, _bytecode_cache(Path(cache)):
        return _rows()


def _rows() -> list[Row]:
    planner = str(BIN / "planner")
    yamllint = shutil.which("yamllint", path=str(BIN)) or shutil.which("yamllint")
    out: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / ".yamllint").write_text(YAMLLINT_CONFIG)
        small = root / "small.plan.yaml"
        small.write_text(SMALL)
        many = root / "many"
        many.mkdir()
        (many / ".yamllint").write_text(YAMLLINT_CONFIG)
        for i in range(500):
            (many / f"plan-{i:03}.plan.yaml").write_text(
                SMALL.replace("structure", f"structure-{i}")
            )
        big = root / "big.plan.yaml"
        big.write_text(_big_plan(5000))

        if yamllint:
            # (row, target, yamllint config, repeats, whether the goal is to beat yamllint)
            cases = [
                ("lint: one small plan, cold", small, root / ".yamllint", 9, True),
                ("lint: 500 plan files, one run", many, many / ".yamllint", 3, True),
                ("lint: 5,000-step plan, command", big, root / ".yamllint", 2, False),
            ]
            for name, target, yamllint_config, repeat, compared in cases:
                t_planner, t_yamllint = time_commands(
                    [[planner, "lint", str(target)], [yamllint, "-c", str(yamllint_config), str(target)]],
                    repeat=repeat,
                )
                out.append(
                    Row(
                        name,
                        t_planner,
                        reference=t_yamllint,
                        reference_name="yamllint",
                        goal="<= 1.0x yamllint" if compared else "(for scale)",
                        ok=t_planner <= t_yamllint if compared else None,
                        note="" if compared else "includes process start",
                    )
                )
        else:  # pragma: no cover - yamllint is a dev dependency
            out.append(Row("lint: yamllint missing", 0.0, note="install yamllint to compare"))

        from planner.config import default_config
        from planner.linter.engine import lint_text

        text = big.read_text()
        config = default_config()
        seconds = best_of(lambda: lint_text(text, "big.plan.yaml", config=config), repeat=3)
        out.append(
            Row("lint: 5,000-step plan, in-process", seconds, goal="<= 1 s", ok=seconds <= 1.0)
        )
    return out
