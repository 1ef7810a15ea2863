"""`planner suggest`: cold start against importing its libraries, and advisor accuracy."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import BIN, REPO, SHARED, Row, time_commands

TASK = "Understand this codebase: structure, conventions, build system"
FIXTURES = REPO / "corpus" / "advisor"


def _accuracy(rows: list[dict[str, object]]) -> tuple[float, float]:
    """Share of rows whose pattern (or a listed alternate) comes out, and seconds per row."""
    from planner.advise import suggest

    right = 0
    start = time.perf_counter()
    for row in rows:
        got = suggest(str(row["task"])).plan.pattern
        ok = row.get("ok") or []
        right += got == row["pattern"] or (isinstance(ok, list) and got in ok)
    return 100.0 * right / len(rows), (time.perf_counter() - start) / len(rows)


def _rows_of(paths: list[Path]) -> list[dict[str, object]]:
    return [json.loads(line) for p in paths for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def rows() -> list[Row]:
    planner = str(BIN / "planner")
    # An installed tool has its bytecode compiled (pip does it at install time),
    # just like the reference's libraries; a checkout only gets it once Python
    # may write it. Without this the comparison would time our compiler.
    saved = os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    reference_cmd = [sys.executable, "-c", "import networkx, jinja2, click, yaml"]
    # Run from an empty folder, as in a project without planner settings: in
    # this checkout the tool would also read the repository's own pyproject.toml.
    with tempfile.TemporaryDirectory() as elsewhere:
        try:
            cold, reference = time_commands([[planner, "suggest", TASK], reference_cmd], cwd=Path(elsewhere))
            # The first run after installing or upgrading parses the rule files
            # (the cache is empty); PLANNER_NO_CACHE=1 gives that case every time.
            os.environ["PLANNER_NO_CACHE"] = "1"
            uncached, reference2 = time_commands([[planner, "suggest", TASK], reference_cmd], cwd=Path(elsewhere))
        finally:
            os.environ.pop("PLANNER_NO_CACHE", None)
            if saved is not None:
                os.environ["PYTHONDONTWRITEBYTECODE"] = saved
    out = [
        Row(
            "suggest cold start",
            cold,
            reference=reference,
            reference_name="import networkx, jinja2, click, yaml",
            goal="<= 1.3x",
            ok=cold <= 1.3 * reference,
            note="rule cache filled by an earlier run, as on every run but the first after an install",
        ),
        Row(
            "suggest cold start, empty rule cache",
            uncached,
            reference=reference2,
            reference_name="import networkx, jinja2, click, yaml",
            note="the first run after installing or upgrading (PLANNER_NO_CACHE=1)",
        ),
    ]
    labelled = _rows_of(sorted(p for p in FIXTURES.glob("*.jsonl") if p.name != "reference.jsonl"))
    acc, per_row = _accuracy(labelled)
    out.append(Row("advisor accuracy, own labelled examples", acc, unit="%", goal=">= 95%", ok=acc >= 95,
                   note=f"{len(labelled)} rows; {per_row * 1000:.1f} ms per suggestion in-process"))
    dev = SHARED / "eval" / "dev.jsonl"
    if dev.is_file():
        dev_rows = _rows_of([dev])
        acc, _ = _accuracy(dev_rows)
        out.append(Row("advisor accuracy, shared dev set (training score)", acc, unit="%",
                       note=f"{len(dev_rows)} rows; tuned on by earlier versions, never a target"))
    return out
