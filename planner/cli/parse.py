"""`planner parse`: show the steps and dependencies read from a task."""

from __future__ import annotations

import json
import sys

import click

from planner.errors import InputError


def read_task(task: str | None) -> str:
    """The task from the argument, or from stdin when it is ``-`` or missing."""
    if task is None or task == "-":
        if task is None and sys.stdin.isatty():
            raise InputError("give a task as an argument, or pipe it on stdin with '-'")
        from planner.cli.suggest import MAX_TASK_BYTES
        from planner.plan.source import read_stdin_bytes

        data = read_stdin_bytes(sys.stdin.buffer, limit=MAX_TASK_BYTES, what="task")
        try:
            task = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"stdin is not UTF-8 text (byte {exc.start})") from exc
    if not task.strip():
        raise InputError("the task is empty")
    return task


@click.command()
@click.argument("task", required=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a numbered list and a layered diagram; json: one object.",
)
@click.option("--signals/--no-signals", default=True, show_default=True, help="Show text-level cues (text format).")
@click.option("--ascii", "ascii_only", is_flag=True, help="Draw the diagram with ASCII characters only.")
@click.option("--explain", is_flag=True, help="Name the readings behind each step, the groups and loops, and why other words are no step.")
def parse(task: str | None, fmt: str, signals: bool, ascii_only: bool, explain: bool) -> None:
    """Show the steps and dependencies read from TASK ('-' reads stdin).

    \b
    planner parse "Look for similar code, plan the change, write it, then have it reviewed"
    planner parse --format json "Research Django, Rails and Laravel and summarize the differences"
    """
    from planner.cli.parse_view import format_text
    from planner.cli.terminal import emit
    from planner.parser import parse as parse_task

    graph = parse_task(read_task(task))
    if fmt == "json":
        data = graph.to_dict()
        if explain:
            data["readings"] = [f.to_dict() for f in graph.fired]
        emit(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        # Quotes the task: cleaned of control characters wherever it goes.
        emit(format_text(graph, signals=signals, ascii=ascii_only, explain=explain), nl=False, clean=True)


@click.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Every reading.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def reading(code: str | None, show_all: bool, fmt: str) -> None:
    """Explain a parser reading (or all of them): what it reads, and why.

    \b
    planner reading O302
    planner reading --all
    """
    from planner.cli.terminal import emit
    from planner.parser.readings import all_readings

    readings = all_readings()
    if not show_all:
        if code is None:
            raise InputError("give a reading code (e.g. S101) or --all")
        wanted = code.upper()
        readings = [r for r in readings if r.code == wanted]
        if not readings:
            raise InputError(f"no reading {code!r} ('planner reading --all' lists them)")
    if fmt == "json":
        emit(json.dumps([r.to_dict() for r in readings], indent=2, ensure_ascii=False))
        return
    blocks = [f"{r.code} {r.name}\n  {r.summary}\n\n" + "\n".join("  " + line for line in r.doc.splitlines()) for r in readings]
    emit("\n\n".join(blocks), clean=True)
