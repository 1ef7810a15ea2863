"""Shared helpers for `make bench`: rows, side-by-side timing.

Every figure is measured in the same run as its reference (interleaved, best
of N) so that a busy shared machine slows both sides alike; the table reports
the ratio and the goal, never a bare number of seconds to be trusted alone.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SHARED = REPO.parent / "shared"


@dataclass(frozen=True)
class Row:
    """One line of the benchmark table.

    ``value`` and ``reference`` are in ``unit``; ``ratio`` is value/reference
    when there is a reference. ``goal`` is the issue's target in words and
    ``ok`` whether it was met (None when there is no target).
    """

    name: str
    value: float
    unit: str = "s"
    reference: float | None = None
    reference_name: str = ""
    goal: str = ""
    ok: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.reference in (None, 0):
            return None
        assert self.reference is not None
        return self.value / self.reference


def time_commands(
    commands: Sequence[Sequence[str]], *, repeat: int = 7, cwd: Path | None = None
) -> list[float]:
    """Best wall time of each command, run interleaved ``repeat`` times."""
    best = [float("inf")] * len(commands)
    for _ in range(repeat):
        for i, argv in enumerate(commands):
            start = time.perf_counter()
            subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def best_of(fn: Callable[[], object], *, repeat: int = 5) -> float:
    """Best wall time of an in-process callable."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def best_cpu_of(fn: Callable[[], object], *, repeat: int = 5) -> float:
    """Best processor time of an in-process callable.

    For rows with an absolute goal on a machine shared with other work: a
    single-threaded call takes as long on an idle machine as the processor
    time it uses, while its wall time also counts the time others held the
    processor.
    """
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best
