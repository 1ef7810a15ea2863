"""Score the parser (and the advisor, when present) on labelled JSONL files.

Each row is a JSON object with a ``task`` and any of these labels:
``shape`` (single/chain/dag), ``branches`` (an int), ``pattern`` (+ ``ok``,
other accepted slugs). A ``domain`` field splits the shape score by domain.
Rows with no label are scored for robustness only: errors, time per row, the
distribution of shapes (and patterns) and steps taken from code or tracebacks.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import InputError
from planner.parser.mask import classify_lines
from planner.parser.model import TaskGraph

SHAPES = ("single", "chain", "dag")
_LABELS = frozenset({"shape", "branches", "pattern"})


@dataclass(frozen=True)
class RowResult:
    id: str
    seconds: float
    shape: str | None = None
    branches: int | None = None
    steps: int = 0
    code_steps: int = 0
    pattern: str | None = None
    error: str | None = None
    gold: dict[str, Any] = field(default_factory=dict)


@dataclass
class FileReport:
    path: str
    rows: list[RowResult]
    advisor_error: str | None = None

    def labelled(self, key: str) -> list[RowResult]:
        return [r for r in self.rows if key in r.gold and r.error is None]

    def accuracy(self, key: str) -> float | None:
        rows = self.labelled(key)
        if not rows:
            return None
        return sum(1 for r in rows if _correct(key, r)) / len(rows)

    def to_dict(self) -> dict[str, Any]:
        times = sorted(r.seconds for r in self.rows)
        out: dict[str, Any] = {
            "path": self.path,
            "rows": len(self.rows),
            "errors": sum(1 for r in self.rows if r.error),
            "ms_mean": 1000 * sum(times) / len(times) if times else 0.0,
            "ms_max": 1000 * times[-1] if times else 0.0,
            "code_steps": sum(r.code_steps for r in self.rows),
        }
        for key in ("shape", "branches", "pattern"):
            acc = self.accuracy(key)
            if acc is not None:
                out[f"{key}_accuracy"] = acc
                out[f"{key}_rows"] = len(self.labelled(key))
        domains = self.by_domain()
        if domains:
            out["shape_by_domain"] = domains
        unlabelled = Counter(r.pattern for r in self.rows if r.pattern and not (_LABELS & r.gold.keys()))
        if unlabelled:
            out["patterns_unlabelled"] = dict(unlabelled.most_common())
        if self.advisor_error:
            out["advisor"] = self.advisor_error
        return out

    def by_domain(self) -> dict[str, float]:
        per: dict[str, list[bool]] = {}
        for r in self.labelled("shape"):
            domain = r.gold.get("domain")
            if isinstance(domain, str):
                per.setdefault(domain, []).append(_correct("shape", r))
        return {d: sum(v) / len(v) for d, v in sorted(per.items())}


def _correct(key: str, r: RowResult) -> bool:
    if key == "shape":
        return bool(r.shape == r.gold["shape"])
    if key == "branches":
        return bool(r.branches == r.gold["branches"])
    if key == "pattern":
        accepted = {r.gold["pattern"], *(r.gold.get("ok") or [])}
        return r.pattern in accepted
    raise KeyError(key)


def expand_paths(paths: Sequence[str]) -> list[Path]:
    """Files as given; directories give every ``*.jsonl`` below them, sorted."""
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(path.rglob("*.jsonl"))
            if not found:
                raise InputError(f"{p}: no .jsonl files in this directory")
            out.extend(found)
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(f"{p}: no such file or directory")
    return out


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSONL file; a bad line is a one-line InputError."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    rows: list[dict[str, Any]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{n}: not JSON: {exc.msg}") from exc
        if not isinstance(row, dict) or not isinstance(row.get("task"), str):
            raise InputError(f"{path}:{n}: each line must be an object with a string 'task'")
        rows.append(row)
    return rows


def code_spans(text: str) -> list[tuple[int, int]]:
    """Spans of lines that are code, tracebacks, prompts, logs or quotes."""
    return [(ln.start, ln.end) for ln in classify_lines(text) if ln.kind not in {"prose", "blank", "heading"}]


def _overlaps(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    a, b = span
    return any(a < e and s < b for s, e in spans)


def _advisor() -> tuple[Callable[[str], str] | None, str | None]:
    """``planner.suggest`` as task -> pattern, or why it is unavailable."""
    try:
        from planner import suggest
    except Exception as exc:  # the advisor is optional here: report, don't fail
        return None, f"advisor unavailable ({type(exc).__name__}: {exc})"

    def pattern_of(task: str) -> str:
        return str(suggest(task).plan.pattern)

    return pattern_of, None


def evaluate_file(
    path: Path,
    parse: Callable[[str], TaskGraph],
    *,
    limit: int | None = None,
    repeat: int = 1,
    advisor: bool = True,
) -> FileReport:
    """Score one JSONL file. ``repeat`` > 1 keeps each row's best time (less noise on a busy machine)."""
    rows = read_rows(path)[:limit] if limit else read_rows(path)
    # Load the lexicon and model once before timing, so the first row does not
    # carry the one-off start-up cost.
    parse("Warm up the parser, then time it.")
    # The advisor scores "pattern" rows and gives unlabelled rows a pattern
    # distribution; ``advisor=False`` skips it (parser figures only).
    needs_advisor = advisor and any("pattern" in r or not (_LABELS & r.keys()) for r in rows)
    pattern_of, advisor_error = _advisor() if needs_advisor else (None, None)
    results: list[RowResult] = []
    for n, row in enumerate(rows, 1):
        task = row["task"]
        gold: dict[str, Any] = {k: row[k] for k in ("shape", "branches", "pattern", "ok", "domain") if k in row}
        rid = str(row.get("id", n))
        start = time.perf_counter()
        try:
            graph = parse(task)
        except Exception as exc:  # a crash on one row is a finding, not the end of the run
            results.append(
                RowResult(rid, time.perf_counter() - start, error=f"{type(exc).__name__}: {exc}", gold=gold)
            )
            continue
        seconds = time.perf_counter() - start
        for _ in range(repeat - 1):
            again = time.perf_counter()
            parse(task)
            seconds = min(seconds, time.perf_counter() - again)
        spans = code_spans(task)
        code_steps = sum(1 for s in graph.steps if _overlaps(s.span, spans))
        pattern: str | None = None
        if pattern_of is not None and ("pattern" in row or not (_LABELS & row.keys())):
            try:
                pattern = pattern_of(task)
            except Exception as exc:
                pattern = f"error: {type(exc).__name__}"
                advisor_error = advisor_error or f"advisor failed: {type(exc).__name__}: {exc}"
        results.append(
            RowResult(
                rid,
                seconds,
                shape=graph.shape,
                branches=graph.branches,
                steps=len(graph.steps),
                code_steps=code_steps,
                pattern=pattern,
                gold=gold,
            )
        )
    report = FileReport(str(path), results, advisor_error)
    if pattern_of is None:
        # Without the advisor, pattern rows still count for shape/branches.
        for r in results:
            r.gold.pop("pattern", None)
    return report


# ---------------------------------------------------------------- text report


def confusion(rows: list[RowResult], key: str, labels: Sequence[str] | None = None) -> list[str]:
    """A confusion matrix as text lines: rows are gold labels, columns predictions."""
    pairs = [(str(r.gold[key]), str(_predicted(key, r))) for r in rows]
    gold_labels = labels or sorted({g for g, _ in pairs})
    pred_labels = list(labels or []) or sorted({p for _, p in pairs} | set(gold_labels))
    for _, p in pairs:
        if p not in pred_labels:
            pred_labels.append(p)
    counts = Counter(pairs)
    width = max([len("gold \\ predicted"), *(len(g) for g in gold_labels)])
    cols = [max(len(p), 4) for p in pred_labels]
    lines = ["  " + "gold \\ predicted".ljust(width) + "  " + "  ".join(p.rjust(c) for p, c in zip(pred_labels, cols, strict=True))]
    for g in gold_labels:
        cells = "  ".join(str(counts.get((g, p), 0)).rjust(c) for p, c in zip(pred_labels, cols, strict=True))
        lines.append("  " + g.ljust(width) + "  " + cells)
    return lines


def _predicted(key: str, r: RowResult) -> object:
    if key == "pattern" and r.pattern is not None and r.pattern in {r.gold["pattern"], *(r.gold.get("ok") or [])}:
        return r.gold["pattern"]  # an accepted alternative counts as the gold label
    return {"shape": r.shape, "branches": r.branches, "pattern": r.pattern}[key]


def format_report(report: FileReport, *, show_errors: int = 5) -> list[str]:
    lines = [f"== {report.path}  ({len(report.rows)} rows)"]
    errors = [r for r in report.rows if r.error]
    times = sorted(r.seconds for r in report.rows)
    if times:
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        lines.append(
            f"time per row: mean {1000 * sum(times) / len(times):.1f} ms, "
            f"p95 {1000 * p95:.1f} ms, max {1000 * times[-1]:.1f} ms"
        )
    lines.append(f"errors: {len(errors)}")
    for r in errors[:show_errors]:
        lines.append(f"  {r.id}: {r.error}")
    if report.advisor_error:
        lines.append(f"pattern: not scored, {report.advisor_error}")
    for key, labels in (("shape", SHAPES), ("branches", None), ("pattern", None)):
        rows = report.labelled(key)
        if not rows:
            continue
        acc = report.accuracy(key) or 0.0
        lines.append(f"{key}: {acc:.1%} correct ({sum(1 for r in rows if _correct(key, r))}/{len(rows)})")
        lines.extend(confusion(rows, key, labels))
        if key == "shape":
            for domain, value in report.by_domain().items():
                lines.append(f"  {domain}: {value:.1%}")
        wrong = [r for r in rows if not _correct(key, r)]
        for r in wrong[:show_errors]:
            lines.append(f"  miss {r.id}: gold {r.gold[key]}, got {_predicted(key, r)}")
    unlabelled = [r for r in report.rows if not ({"shape", "branches", "pattern"} & r.gold.keys()) and not r.error]
    if unlabelled:
        shapes = Counter(r.shape for r in unlabelled)
        lines.append(
            "unlabelled rows: shapes " + ", ".join(f"{s} {shapes.get(s, 0)}" for s in SHAPES)
            + f"; steps per row mean {sum(r.steps for r in unlabelled) / len(unlabelled):.1f}"
        )
        patterns = Counter(r.pattern for r in unlabelled if r.pattern is not None)
        if patterns:
            lines.append(
                "unlabelled rows: patterns " + ", ".join(f"{p} {n}" for p, n in patterns.most_common())
            )
    code = sum(r.code_steps for r in report.rows)
    lines.append(f"steps taken from code/tracebacks: {code}")
    return lines


def summary_table(reports: Sequence[FileReport]) -> list[str]:
    header = ("file", "rows", "errors", "shape", "branches", "pattern", "mean ms", "max ms", "code steps")
    table: list[tuple[str, ...]] = [header]
    for rep in reports:
        d = rep.to_dict()

        def pct(key: str, d: dict[str, Any] = d) -> str:
            return f"{100 * d[key]:.1f}%" if key in d else "-"

        table.append(
            (
                Path(rep.path).name,
                str(d["rows"]),
                str(d["errors"]),
                pct("shape_accuracy"),
                pct("branches_accuracy"),
                pct("pattern_accuracy"),
                f"{d['ms_mean']:.1f}",
                f"{d['ms_max']:.1f}",
                str(d["code_steps"]),
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    out = []
    for k, row in enumerate(table):
        out.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return out
