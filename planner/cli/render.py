"""`planner render`: draw a plan file in any output format."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.cli.terminal import default_width, emit
from planner.renderer import EXPORT_FORMATS, FOLDER_FORMATS, FORMATS


@click.command()
@click.argument("plan_file", metavar="PLAN", type=click.Path(dir_okay=True, allow_dash=True))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMATS),
    default="diagram",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--direction",
    "-d",
    type=click.Choice(["TD", "LR"], case_sensitive=False),
    default="TD",
    show_default=True,
    help="Top-down or left-to-right (diagram, Mermaid, DOT).",
)
@click.option("--ascii", "use_ascii", is_flag=True, help="Draw with + - | v > only.")
@click.option(
    "--max-width",
    type=click.IntRange(min=0),
    default=None,
    help="Widest diagram to draw [default: terminal width; 0 = no limit].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to PATH (a folder for crewai and claude-agents) instead of standard output.",
)
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
def render(
    plan_file: str,
    fmt: str,
    direction: str,
    use_ascii: bool,
    max_width: int | None,
    output: Path | None,
    force: bool,
) -> None:
    """Draw PLAN as a diagram, Mermaid, DOT, a Markdown playbook, YAML or JSON,
    or export it to LangGraph, CrewAI, Google ADK or Claude Code.

    \b
    planner render review.plan.yaml
    planner render review.plan.yaml --format mermaid --direction LR
    cat plan.yaml | planner render - --format dot | dot -Tsvg -o plan.svg
    planner render review.plan.yaml --format crewai -o my_crew/
    """
    from planner.config import load_config
    from planner.plan.loader import load_plan, parse_plan_text
    from planner.plan.spec import decode
    from planner.renderer import render as render_plan

    if plan_file == "-":
        config = load_config()
        from planner.plan.source import read_stdin_bytes

        text = decode(read_stdin_bytes(sys.stdin.buffer), "<stdin>")
        plan = parse_plan_text(text, path="<stdin>", tiers=config.tiers, roles=config.roles)
    else:
        path = Path(plan_file)
        config = load_config(path.parent if path.parent.is_dir() else None)
        plan = load_plan(path, config=config)
    from planner.cli.output import check_output, write_result

    if output is not None:
        check_output(output, folder=fmt in FOLDER_FORMATS, force=force, default_name=default_file(fmt))

    if max_width is None and output is None and fmt == "diagram":
        width: int | None = default_width()
    else:
        width = max_width or None
    out = render_plan(
        plan, fmt, direction=direction.upper(), ascii=use_ascii, max_width=width, config=config
    )
    # The diagram is for people wherever it goes; the other formats are cleaned on a terminal.
    write_result(
        out, output, force=force, default_name=default_file(fmt), clean=True if fmt == "diagram" else None
    )
    if fmt in ("mermaid", "markdown"):  # the playbook embeds the Mermaid diagram
        from planner.renderer import mermaid_edge_warning

        warning = mermaid_edge_warning(plan)
        if warning:
            emit(f"planner: warning: {warning}", err=True, clean=True)


def default_file(fmt: str) -> str | None:
    """The file name a one-file export takes inside a folder given to -o."""
    if fmt not in EXPORT_FORMATS:
        return None
    from planner.renderer.export import EXPORTS

    return EXPORTS[fmt][0]
