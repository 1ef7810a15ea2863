"""`planner render`: draw a plan file in any output format."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.cli.terminal import default_width, emit
from planner.renderer import FORMATS


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
def render(
    plan_file: str, fmt: str, direction: str, use_ascii: bool, max_width: int | None
) -> None:
    """Draw PLAN as a diagram, Mermaid, DOT, a Markdown playbook, YAML or JSON.

    \b
    planner render review.plan.yaml
    planner render review.plan.yaml --format mermaid --direction LR
    cat plan.yaml | planner render - --format dot | dot -Tsvg -o plan.svg
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
    width = default_width() if max_width is None else (max_width or None)
    out = render_plan(
        plan, fmt, direction=direction.upper(), ascii=use_ascii, max_width=width, config=config
    )
    # The diagram is for people wherever it goes; the other formats are cleaned on a terminal.
    emit(out, nl=not out.endswith("\n"), clean=True if fmt == "diagram" else None)
