"""`planner patterns` and `planner schema`: reference information."""

from __future__ import annotations

import json

import click


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def patterns(fmt: str) -> None:
    """List the orchestration patterns and when to use them."""
    from planner.advise.catalog import load_catalog
    from planner.cli.terminal import emit

    catalog = load_catalog()
    if fmt == "json":
        emit(json.dumps([p.to_dict() for p in catalog], indent=2, ensure_ascii=False))
        return
    width = max(len(p.slug) for p in catalog)
    lines = []
    for p in catalog:
        lines.append(f"{p.slug:<{width}}  {p.name}")
        lines.append(f"{'':<{width}}  use when: {p.use_when}")
    emit("\n".join(lines), clean=True)


@click.command()
def schema() -> None:
    """Print the JSON Schema of plan files (version 1)."""
    from planner.cli.terminal import emit
    from planner.plan.schema import schema_text

    emit(schema_text(), nl=False)
