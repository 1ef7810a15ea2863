"""`make bench`: run every benchmarks/bench_*.py and print one table.

Each module exposes ``rows() -> list[Row]``. ``python -m benchmarks NAME``
runs only the modules whose name contains NAME.
"""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

from benchmarks.common import Row


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "%":
        return f"{value:.1f} %"
    return f"{value:g} {unit}".strip()


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = sorted(p.stem for p in here.glob("bench_*.py"))
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    rows: list[Row] = []
    failed = 0
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            rows.extend(module.rows())
        except Exception:  # a broken benchmark must not hide the others
            failed += 1
            traceback.print_exc()
    header = ("benchmark", "value", "reference", "ratio", "goal", "met")
    table = [header]
    for r in rows:
        ratio = r.ratio
        ref = f"{_fmt(r.reference, r.unit)} ({r.reference_name})" if r.reference is not None else ""
        met = "" if r.ok is None else ("yes" if r.ok else "NO")
        table.append(
            (r.name, _fmt(r.value, r.unit), ref, f"{ratio:.2f}x" if ratio is not None else "", r.goal, met)
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    for r in rows:
        if r.note:
            print(f"* {r.name}: {r.note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
