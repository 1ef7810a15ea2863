"""Runner throughput: scheduling overhead against the plan's own critical path.

* 50 independent mock steps of 100 ms each with ``--max-parallel 50``: the
  makespan measured inside the run (first step start to last step finish)
  against the critical path (100 ms). Goal: at most 1.3x.
* A 1,000-step plan on the zero-latency mock, end to end through the CLI with
  the on-disk journal (load, check, schedule, journal, output files). Goal:
  at most 2 s. Python's own start-up is shown beside it for scale.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from benchmarks.common import REPO, Row, best_of, time_commands


def _wide_plan(n: int) -> str:
    lines = ["version: 1", "task: benchmark", "steps:"]
    lines += [f"  - {{id: s{i}, tier: haiku, prompt: step {i}}}" for i in range(n)]
    return "\n".join(lines) + "\n"


def _layered_plan(layers: int, width: int) -> str:
    lines = ["version: 1", "task: benchmark", "steps:"]
    for k in range(layers):
        for i in range(width):
            deps = "" if k == 0 else f", depends_on: [l{k - 1}-{i}, l{k - 1}-{(i + 1) % width}]"
            lines.append(f"  - {{id: l{k}-{i}, tier: haiku{deps}}}")
    return "\n".join(lines) + "\n"


def _create_files(folder: Path, n: int) -> None:
    """Create ``n`` small files in a fresh folder: the file system's share of the run."""
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for i in range(n):
        (folder / f"s{i}.md").write_text("output\n", encoding="utf-8")


def rows() -> list[Row]:
    from planner.plan import parse_plan_text
    from planner.runner import run

    out: list[Row] = []
    # The state folder lives in the working tree, as the default `.planner/` does
    # (some machines' /tmp is far slower at creating the per-step output files).
    with tempfile.TemporaryDirectory(dir=REPO, prefix=".bench-run-") as tmp:
        folder = Path(tmp)
        plan = parse_plan_text(_wide_plan(50))
        spans: list[float] = []

        def wide() -> None:
            result = run(
                plan, "mock", mock_latency={"*": 0.1}, max_parallel=50, state_dir=folder / "wide"
            )
            assert result.status == "done"
            spans.append(result.makespan_s)

        best_of(wide, repeat=5)
        makespan = min(spans)
        out.append(
            Row(
                name="run: 50 parallel 100 ms mock steps, makespan",
                value=makespan,
                reference=0.1,
                reference_name="critical path",
                goal="<= 1.3x",
                ok=makespan <= 0.13,
            )
        )

        big = folder / "big.plan.yaml"
        big.write_text(_layered_plan(10, 100), encoding="utf-8")
        cli, python = time_commands(
            [
                [
                    sys.executable,
                    "-m",
                    "planner",
                    "run",
                    str(big),
                    "-b",
                    "mock",
                    "--state",
                    str(folder / "big"),
                    "--events",
                    "plain",
                ],
                [sys.executable, "-c", "pass"],
            ],
            repeat=5,
        )
        files_s = best_of(lambda: _create_files(folder / "probe", 1000), repeat=3)
        out.append(
            Row(
                name="run: 1,000-step zero-latency mock plan, CLI end to end",
                value=cli,
                reference=python,
                reference_name="python start-up",
                goal="<= 2 s",
                ok=cli <= 2.0,
                note=(
                    "10 layers x 100 steps, each depending on two of the previous layer; journal and "
                    "one output file per step on disk; the plan has no estimate, so this includes "
                    "loading the plan layer's estimate model. For scale, merely creating 1,000 small files "
                    f"in the same folder took {files_s:.2f} s just before"
                ),
            )
        )
    return out
