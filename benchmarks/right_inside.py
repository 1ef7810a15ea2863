"""Right inside: share of corpus rows whose suggested plan shows the row's items and stage order.

``python -m benchmarks.right_inside [WRITER ...]`` scores ``planner suggest``'s
plan for every row of ``corpus/tasks/<writer>.jsonl`` (all writers when none
is named) with ``planner.advise.inside`` and prints one line per writer, plus
the pattern accuracy beside it (a plan built for the wrong pattern is rarely
right inside), and, of the rows that name their parallel workers (two or more
items under fan-out/fan-in, competitive evaluation or parallel pipelines), how
many plans start that many steps at once. ``-v`` lists the failing rows' problems. ``--sealed`` scores the
sealed writers of ``corpus/sealed/`` instead, for the report only: it prints
the same aggregate lines and never a row (``-v`` is refused with it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from planner.advise import suggest
from planner.advise.inside import InsideResult, names_workers, score_plan, starts_right
from planner.parser.corpus import GoldRow, read_corpus

TASKS = Path(__file__).resolve().parent.parent / "corpus" / "tasks"
SEALED = TASKS.parent / "sealed"


def score_rows(rows: list[GoldRow]) -> list[tuple[GoldRow, InsideResult, str, bool]]:
    out = []
    for row in rows:
        plan = suggest(row.task).plan
        out.append((row, score_plan(row, plan), plan.pattern, starts_right(row, plan)))
    return out


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    sealed = "--sealed" in argv
    if sealed and verbose:
        print("right_inside: -v lists rows, and the sealed writers' rows are never shown", file=sys.stderr)
        return 2
    folder = SEALED if sealed else TASKS
    writers = [a for a in argv if not a.startswith("-")] or sorted(p.stem for p in folder.glob("*.jsonl"))
    for w in writers:
        results = score_rows(read_corpus(folder / f"{w}.jsonl"))
        n = len(results)
        ok = sum(r.ok for _, r, _, _ in results)
        pat = sum(p == row.pattern or p in row.ok for row, _, p, _ in results)
        items = [r for row, r, _, _ in results if row.items]
        workers = [s for row, _, _, s in results if names_workers(row)]
        print(
            f"{w}: right inside {ok}/{n} = {100 * ok / n:.1f}%  "
            f"(rows naming items: {sum(r.ok for r in items)}/{len(items)}; "
            f"pattern right {100 * pat / n:.1f}%; "
            f"as many starting steps as named workers: {sum(workers)}/{len(workers)})"
        )
        if verbose:
            for row, r, p, _ in results:
                if not r.ok:
                    print(f"  {row.id} [{row.pattern} -> {p}] " + "; ".join(r.problems))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
