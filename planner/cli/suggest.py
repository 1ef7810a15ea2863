"""`planner suggest`: recommend a pattern, agents, tiers and an estimate for a task."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.errors import InputError
from planner.plan.model import PATTERNS

# The plan's own formats, then the framework exports (see `planner render`).
EXPORTS = ("langgraph", "crewai", "adk", "claude-agents", "claude-sdk")
FORMATS = ("text", "json", "yaml", "markdown", *EXPORTS)
_SUFFIX_FORMAT = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".md": "markdown", ".markdown": "markdown"}
# A task beyond this is refused: descriptions are pages, not archives.
MAX_TASK_BYTES = 5 * 1024 * 1024


def read_task(task: str) -> str:
    """The task text; ``-`` reads standard input as UTF-8."""
    if task == "-":
        data = sys.stdin.buffer.read(MAX_TASK_BYTES + 1)
        if len(data) > MAX_TASK_BYTES:
            raise InputError(f"task on stdin is larger than {MAX_TASK_BYTES // (1024 * 1024)} MB")
        try:
            task = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"stdin is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "convert it first, e.g. with iconv"
            ) from None
    elif len(task.encode("utf-8", "surrogateescape")) > MAX_TASK_BYTES:
        raise InputError(f"task is larger than {MAX_TASK_BYTES // (1024 * 1024)} MB")
    try:
        task.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("task is not valid UTF-8 text") from None
    if not task.strip():
        raise InputError("task is empty")
    return task


@click.command()
@click.argument("task")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: text, or from the -o file's suffix).")
@click.option("--explain", is_flag=True, help="Show features, fired rules, scores and the configuration used.")
@click.option("--pattern", type=click.Choice(PATTERNS), default=None, help="Force a pattern (tiers, plan and estimate still follow the text).")
@click.option("--max-agents", type=click.IntRange(min=1), default=None, help="Upper bound on the number of agents (steps).")
@click.option("--ascii", "ascii_", is_flag=True, help="Draw the diagram with plain ASCII characters.")
@click.option("--direction", type=click.Choice(["TD", "LR"], case_sensitive=False), default="TD", show_default=True,
              help="Diagram direction: top-down or left-right.")
@click.option("--max-width", type=click.IntRange(min=20), default=None, help="Diagram width limit (default: terminal width).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Use this configuration file instead of looking for one.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to PATH instead of standard output (a folder for crewai and claude-agents).")
@click.option("--force", is_flag=True, help="Overwrite the -o file (or the export's files) if they exist.")
def suggest(
    task: str,
    fmt: str | None,
    explain: bool,
    pattern: str | None,
    max_agents: int | None,
    ascii_: bool,
    direction: str,
    max_width: int | None,
    config_path: Path | None,
    output: Path | None,
    force: bool,
) -> None:
    """Recommend how to split TASK across agents ('-' reads the task from stdin).

    \b
    planner suggest "Research how three ORMs handle migrations and summarize"
    planner suggest - --format yaml -o review.plan.yaml < task.txt
    """
    from planner.advise import suggest as advise
    from planner.cli.report import explain_lines, markdown_report, text_report
    from planner.cli.terminal import command_name, default_width, emit
    from planner.config import load_config
    from planner.display import printable
    from planner.gcpause import paused_gc
    from planner.outfile import check_target, write_text_file
    from planner.plan.dump import dump_json, dump_yaml

    text = read_task(task)
    if output is not None:
        # Refuse before the work, not after it.
        if fmt in EXPORTS:
            from planner.cli.output import check_output
            from planner.cli.render import default_file
            from planner.renderer import FOLDER_FORMATS

            check_output(output, folder=fmt in FOLDER_FORMATS, force=force, default_name=default_file(fmt))
        else:
            check_target(output, force=force)
    fmt = fmt or (_SUFFIX_FORMAT.get(output.suffix.lower(), "text") if output is not None else "text")
    config = load_config(explicit=config_path)
    # Loading the syntax model, the word tables and the pattern model makes many
    # objects that live as long as the process; each burst of them made the cyclic
    # collector rescan all the others (a tenth of a cold `suggest`), and so did
    # building the report. What one suggestion leaves in cycles is collected once
    # the collector runs again.
    with paused_gc():
        result = advise(text, pattern=pattern, max_agents=max_agents, config=config)
        direction = direction.upper()
        if fmt in EXPORTS:
            from planner.cli.output import write_result
            from planner.cli.render import default_file
            from planner.renderer import render as render_plan

            exported = render_plan(result.plan, fmt, config=config)
            write_result(exported, output, force=force, default_name=default_file(fmt))
            if explain:
                emit("\n".join(explain_lines(result, config)), err=True, clean=True)
            return
        if fmt == "json":
            out = dump_json(result.plan)
        elif fmt == "yaml":
            out = dump_yaml(result.plan)
        elif fmt == "markdown":
            out = markdown_report(result)
        else:
            if max_width is None and output is None:
                max_width = default_width()
            out = text_report(
                result,
                ascii=ascii_,
                direction=direction,
                max_width=max_width,
                explain=explain,
                config=config,
                command=command_name(),
            )
        if explain and fmt != "text":
            # Keep stdout machine-readable: the explanation goes to stderr.
            emit("\n".join(explain_lines(result, config)), err=True, clean=True)
        if output is not None:
            write_text_file(output, printable(out, keep="\n\t") if fmt == "text" else out, force=force)
            emit(f"wrote {output} ({fmt})", err=True, clean=True)
        else:
            # The text report is for people wherever it goes; other formats are cleaned on a terminal.
            emit(out, nl=False, clean=True if fmt == "text" else None)
