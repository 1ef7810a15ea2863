"""`planner eval`: score the parser and the advisor on JSONL files."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--show-errors", default=5, show_default=True, help="Misses listed per label and file.")
@click.option("--limit", type=int, default=None, help="Score only the first N rows of each file.")
@click.option("--repeat", default=1, show_default=True, help="Parse each row N times and keep the best time.")
@click.option("--advisor/--no-advisor", default=True, show_default=True, help="Also run planner.suggest for patterns.")
def evaluate(
    paths: tuple[str, ...], fmt: str, show_errors: int, limit: int | None, repeat: int, advisor: bool
) -> None:
    """Score the parser and advisor on labelled JSONL files (directories: every *.jsonl below).

    Rows carry a "task" and any of: "shape" (single/chain/dag), "branches",
    "pattern" (+ "ok"), "domain". Unlabelled rows are checked for errors,
    time per row and steps taken from code or tracebacks.

    CoNLL-U files (*.conllu, a treebank split or corpus/syntax/sealed.conllu)
    score the syntax model instead: UPOS, lemma, UAS and LAS on their words.
    """
    from planner.parser import parse
    from planner.parser.evaluate import evaluate_file, expand_paths, format_report, summary_table

    if repeat < 1:
        raise click.BadParameter("must be at least 1", param_hint="--repeat")
    treebanks = [p for p in paths if p.endswith(".conllu")]
    if treebanks:
        _syntax(treebanks, fmt, limit)
        paths = tuple(p for p in paths if not p.endswith(".conllu"))
        if not paths:
            return
    files = expand_paths(paths)
    from planner.parser.corpus import is_annotated_file

    annotated = [p for p in files if is_annotated_file(p)]
    if annotated:
        _corpus(annotated, fmt, limit, advisor)
        files = [p for p in files if p not in annotated]
        if not files:
            return
    reports = [evaluate_file(p, parse, limit=limit, repeat=repeat, advisor=advisor) for p in files]
    from planner.cli.terminal import emit

    if fmt == "json":
        emit(json.dumps([r.to_dict() for r in reports], indent=2))
        return
    lines: list[str] = []
    for rep in reports:
        lines.extend(format_report(rep, show_errors=show_errors))
        lines.append("")
    lines.extend(summary_table(reports))
    # The report quotes the rows' tasks: cleaned of control characters.
    emit("\n".join(lines), clean=True)


def _syntax(paths: list[str], fmt: str, limit: int | None) -> None:
    from pathlib import Path

    from planner.cli.terminal import emit
    from planner.errors import InputError
    from planner.syntax import default_model
    from planner.syntax.conllu import read_conllu
    from planner.syntax.evaluate import score

    m = default_model()
    results = []
    for p in paths:
        path = Path(p)
        if not path.is_file():
            raise InputError(f"{p}: no such file")
        rows = read_conllu(path)
        results.append(score(m, rows[:limit] if limit else rows, path.name))
    if fmt == "json":
        emit(json.dumps([r.to_dict() for r in results], indent=2))
        return
    for r in results:
        emit(r.line())


def _corpus(paths: list[Path], fmt: str, limit: int | None, advisor: bool) -> None:
    """Annotated tasks (corpus/tasks, corpus/sealed): parse and advisor figures per writer."""
    from planner.cli.terminal import emit
    from planner.parser import parse
    from planner.parser.corpus import read_corpus
    from planner.parser.scoring import evaluate_corpus, format_corpus

    rows = [r for p in paths for r in (read_corpus(p)[:limit] if limit else read_corpus(p))]
    advise = None
    if advisor:
        from planner.advise import suggest

        def advise(task: str) -> tuple[str, float, int]:
            s = suggest(task)
            starts = sum(1 for st in s.plan.steps if not st.depends_on)
            chosen = s.plan.pattern or "direct"
            return chosen, s.decision.scores.of(chosen), starts

    reports = evaluate_corpus(rows, parse, advise)
    if fmt == "json":
        emit(json.dumps([r.to_dict() for r in reports], indent=2))
        return
    emit("\n".join([f"annotated tasks: {', '.join(str(p) for p in paths)}", *format_corpus(reports), ""]))
