"""Compare a parsed TaskGraph with an annotated corpus row.

Predicted steps are matched to gold steps by the text they came from: a gold
step that covers one item is matched by the item's name, any other by the
words that ask for it. Matching is one to one, best overlap first, so a
parser that reads one step as two (or two as one) loses the extra match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from planner.parser.corpus import GoldRow, graph_shape
from planner.parser.model import TaskGraph


@dataclass(frozen=True)
class RowScore:
    """How one parse compares with its annotation."""

    id: str
    writer: str
    gold_steps: int
    steps: int
    gold_shape: str
    shape: str
    matched: int  # gold steps matched one to one by a predicted step
    gold_edges: int
    edges: int
    edges_right: int  # predicted edges between matched steps that the gold graph also has
    items: int  # named items in the annotation
    items_own: int  # named items that got a step of their own
    roots: int
    gold_roots: int

    @property
    def shape_ok(self) -> bool:
        return self.shape == self.gold_shape

    @property
    def steps_ok(self) -> bool:
        return self.steps == self.gold_steps


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def align(tg: TaskGraph, gold: GoldRow) -> dict[str, str]:
    """Gold step id -> predicted step id, one to one, by overlapping text."""
    pairs: list[tuple[int, int, str, str]] = []
    for g in gold.steps:
        target = g.item if g.item is not None else g.says
        for k, p in enumerate(tg.steps):
            score = _overlap(target, p.span)
            if g.item is not None and p.item is not None and gold.text_of(g.item).lower() in p.item.lower():
                score = max(score, 1)
            if score == 0 and g.item is not None:
                # an item step whose span is the shared verb still names its item
                score = _overlap(g.says, p.span) if p.item is None else 0
            if score > 0:
                pairs.append((-score, k, g.id, p.id))
    pairs.sort()
    out: dict[str, str] = {}
    used: set[str] = set()
    for _, _, gid, pid in pairs:
        if gid not in out and pid not in used:
            out[gid] = pid
            used.add(pid)
    return out


def score_row(tg: TaskGraph, gold: GoldRow) -> RowScore:
    gg = gold.graph
    pg = tg.graph
    if pg.number_of_edges():
        pg = nx.transitive_reduction(pg)
    match = align(tg, gold)
    back = {p: g for g, p in match.items()}
    right = sum(1 for u, v in pg.edges if u in back and v in back and gg.has_edge(back[u], back[v]))
    named = [span for span in gold.items]
    own = 0
    for span in named:
        name = gold.text_of(span).lower()
        hits = [s for s in tg.steps if _overlap(span, s.span) > 0 or (s.item and name in s.item.lower())]
        if len(hits) >= 1 and all(not (s.item and s.item.lower() != name and name in s.item.lower()) for s in hits):
            own += 1
    return RowScore(
        id=gold.id,
        writer=gold.writer,
        gold_steps=len(gold.steps),
        steps=len(tg.steps),
        gold_shape=gold.shape,
        shape=graph_shape(tg.graph),
        matched=len(match),
        gold_edges=gg.number_of_edges(),
        edges=pg.number_of_edges(),
        edges_right=right,
        items=len(named),
        items_own=own,
        roots=sum(1 for v in tg.graph if tg.graph.in_degree(v) == 0),
        gold_roots=sum(1 for v in gg if gg.in_degree(v) == 0),
    )


@dataclass(frozen=True)
class Summary:
    rows: int
    shape: float
    steps_exact: float
    steps_mae: float
    step_f1: float
    edge_f1: float
    items: float | None
    pattern: float | None

    def to_dict(self) -> dict[str, float | int | None]:
        return {
            "rows": self.rows,
            "shape": self.shape,
            "steps_exact": self.steps_exact,
            "steps_mae": self.steps_mae,
            "step_f1": self.step_f1,
            "edge_f1": self.edge_f1,
            "items_own_step": self.items,
            "pattern": self.pattern,
        }


def _f1(right: int, predicted: int, gold: int) -> float:
    if predicted + gold == 0:
        return 1.0
    return 2 * right / (predicted + gold)


def summarise(scores: list[RowScore], patterns: list[bool] | None = None) -> Summary:
    n = len(scores) or 1
    items = sum(s.items for s in scores)
    return Summary(
        rows=len(scores),
        shape=sum(s.shape_ok for s in scores) / n,
        steps_exact=sum(s.steps_ok for s in scores) / n,
        steps_mae=sum(abs(s.steps - s.gold_steps) for s in scores) / n,
        step_f1=_f1(sum(s.matched for s in scores), sum(s.steps for s in scores), sum(s.gold_steps for s in scores)),
        edge_f1=_f1(sum(s.edges_right for s in scores), sum(s.edges for s in scores), sum(s.gold_edges for s in scores)),
        items=(sum(s.items_own for s in scores) / items) if items else None,
        pattern=(sum(patterns) / len(patterns)) if patterns else None,
    )


@dataclass(frozen=True)
class WriterReport:
    """The corpus figures for one writer's tasks."""

    writer: str
    summary: Summary
    branches: float | None  # tasks naming their parallel workers whose plan starts with that many steps
    calibration: tuple[tuple[float, float, int], ...]  # (confidence bin low, accuracy, tasks) of the advisor

    def to_dict(self) -> dict[str, object]:
        return {
            "writer": self.writer,
            **self.summary.to_dict(),
            "branches": self.branches,
            "calibration": [{"from": lo, "accuracy": acc, "tasks": n} for lo, acc, n in self.calibration],
        }


_BINS = (0.0, 0.5, 0.7, 0.9)


def evaluate_corpus(
    rows: list[GoldRow], parse: Callable[[str], TaskGraph], advise: Callable[[str], tuple[str, float, int]] | None
) -> list[WriterReport]:
    """Per writer: parse figures, and with ``advise`` (task -> pattern, confidence, starting steps) the advisor's."""
    from planner.parser.corpus import by_writer

    out: list[WriterReport] = []
    for writer, group in by_writer(rows).items():
        scores = [score_row(parse(r.task), r) for r in group]
        patterns: list[bool] | None = None
        branches: list[bool] = []
        bins: dict[float, list[bool]] = {b: [] for b in _BINS}
        if advise is not None:
            patterns = []
            for r in group:
                chosen, confidence, starts = advise(r.task)
                right = chosen == r.pattern or chosen in r.ok
                patterns.append(right)
                lo = max(b for b in _BINS if confidence >= b)
                bins[lo].append(right)
                if r.branches >= 2:
                    branches.append(starts == r.branches)
        out.append(
            WriterReport(
                writer=writer,
                summary=summarise(scores, patterns),
                branches=(sum(branches) / len(branches)) if branches else None,
                calibration=tuple((b, sum(v) / len(v), len(v)) for b, v in bins.items() if v),
            )
        )
    return out


def format_corpus(reports: list[WriterReport]) -> list[str]:
    """A table: one line per writer, then the calibration of the advisor's confidence."""
    head = f"{'writer':<8} {'tasks':>5} {'shape':>6} {'steps=':>6} {'err':>5} {'stepF1':>6} {'edgeF1':>6} {'items':>6} {'pattern':>7} {'branch':>6}"
    lines = [head, "-" * len(head)]

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{100 * x:.1f}"

    for r in reports:
        s = r.summary
        lines.append(
            f"{r.writer:<8} {s.rows:>5} {pct(s.shape):>6} {pct(s.steps_exact):>6} {s.steps_mae:>5.2f} "
            f"{pct(s.step_f1):>6} {pct(s.edge_f1):>6} {pct(s.items):>6} {pct(s.pattern):>7} {pct(r.branches):>6}"
        )
    if any(r.calibration for r in reports):
        lines.append("")
        lines.append("advisor confidence vs accuracy (all writers above):")
        merged: dict[float, list[float]] = {}
        for r in reports:
            for lo, acc, n in r.calibration:
                merged.setdefault(lo, [0.0, 0.0])
                merged[lo][0] += acc * n
                merged[lo][1] += n
        for lo in sorted(merged):
            right, total = merged[lo]
            lines.append(f"  confidence >= {lo:.1f}: {100 * right / total:.1f}% right over {int(total)} tasks")
    return lines
