"""Large plans: linting and rendering stay linear in the number of steps.

A 50,000-step chain of gathering steps once took 95 s to lint (PL101 looked
for chain heads with a scan per step, and compiled a pattern per pair), 875 MB
of memory (PL105 kept a bitset of descendants per step), and Mermaid of a
20,000-step chain took 18.5 s (each step's dependents came from a scan of the
whole plan). Each row here times the large plan next to a plan a tenth its
size in the same run: linear work gives a ratio near 1 against ten times the
small one, quadratic work a ratio near 10. Memory is compared the same way,
from the peak resident size of a child process, less that of an empty run.
The rows also hold the issue's absolute goals (under 5 s), in processor
time: the machines this runs on are shared, and a single-threaded call takes
as long on an idle machine as the processor time it uses.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import Row, best_cpu_of

BIG = 50_000
SMALL = BIG // 10


def chain_plan(n: int, role: str = "explore") -> str:
    """``n`` gathering steps, each waiting for the one before (PL101's shape),
    and one more beside the first, so PL105 has a fan-out to check (its bitset
    of descendants per step was what grew quadratically)."""
    lines = ["version: 1", "task: A long chain of gathering steps", "steps:"]
    lines += ["  - id: side", "    role: explore", "    prompt: Read the side system and report what you find there."]
    for i in range(n):
        lines += [f"  - id: step-{i}", f"    title: Look into part {i}", f"    role: {role}", "    tier: haiku"]
        if i:
            lines.append(f"    depends_on: [step-{i - 1}]")
        lines.append(f"    prompt: Read part {i} of the system and report what you find there.")
    return "\n".join(lines) + "\n"


def _linear_row(name: str, big: float, small: float, goal_s: float) -> Row:
    reference = 10 * small
    return Row(
        name,
        big,
        reference=reference,
        reference_name=f"10 x {SMALL:,} steps",
        goal=f"< {goal_s:g} s and <= 1.5x",
        ok=big < goal_s and big <= 1.5 * reference,
    )


# Runs `planner ARGS...` and then reports its own peak resident memory. A
# child's rusage would count the pages it shared with this (large) process
# before exec; VmHWM is the new program's own high-water mark.
_DRIVER = """
import sys
from planner.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
finally:
    with open('/proc/self/status') as fh:
        hwm = [line.split()[1] for line in fh if line.startswith('VmHWM:')][0]
    sys.stderr.write('VmHWM ' + hwm + '\\n')
"""


def _peak_rss_mb(args: list[str]) -> float:
    """Peak resident memory of `planner ARGS...` run in a fresh process, in MB."""
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False
    )
    kb = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("VmHWM ")][-1]
    return int(kb) / 1024


def rows() -> list[Row]:
    from planner.config import default_config
    from planner.linter.engine import lint_text
    from planner.plan.loader import parse_plan_text
    from planner.renderer import render

    config = default_config()
    texts = {n: chain_plan(n) for n in (SMALL, BIG)}
    out: list[Row] = []

    lint = {n: best_cpu_of(lambda n=n: lint_text(texts[n], "chain.plan.yaml", config=config), repeat=2) for n in texts}
    out.append(_linear_row(f"lint: {BIG:,}-step gathering chain", lint[BIG], lint[SMALL], 5.0))

    def mermaid(n: int) -> None:
        render(parse_plan_text(texts[n], tiers=config.tiers, roles=config.roles), "mermaid", config=config)

    merm = {n: best_cpu_of(lambda n=n: mermaid(n), repeat=2) for n in texts}
    out.append(_linear_row(f"render: {BIG:,}-step chain to Mermaid (load + render)", merm[BIG], merm[SMALL], 5.0))

    from planner.linter.fix import fix_text

    def fix(n: int) -> None:
        fix_text(texts[n], lambda t: lint_text(t, "chain.plan.yaml", config=config), unsafe=True)

    fixing = {n: best_cpu_of(lambda n=n: fix(n), repeat=1) for n in texts}
    out.append(
        Row(
            f"lint --fix --unsafe-fixes: {BIG:,}-step chain",
            fixing[BIG],
            reference=10 * fixing[SMALL],
            reference_name=f"10 x {SMALL:,} steps",
            goal="<= 1.5x (linear)",
            ok=fixing[BIG] <= 1.5 * 10 * fixing[SMALL],
            note="one fix of 50,000 edits (the chain becomes a fan-out with a synthesis step), checked and linted again",
        )
    )

    if not Path("/proc/self/status").is_file():  # pragma: no cover - not Linux
        return out
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for n, text in [(1, chain_plan(1)), *texts.items()]:
            files[n] = Path(tmp) / f"chain-{n}.plan.yaml"
            files[n].write_text(text, encoding="utf-8")
        rss = {n: min(_peak_rss_mb(["lint", str(p)]) for _ in range(2)) for n, p in files.items()}
    base = rss[1]
    big, small = rss[BIG] - base, rss[SMALL] - base
    out.append(
        Row(
            f"lint memory: {BIG:,}-step chain, above an empty run",
            big,
            unit="MB",
            reference=10 * small,
            reference_name=f"10 x {SMALL:,} steps",
            goal="<= 1.5x (linear)",
            ok=big <= 1.5 * 10 * small,
            note=f"peak {rss[BIG]:.0f} MB in all; an empty run takes {base:.0f} MB",
        )
    )
    return out
