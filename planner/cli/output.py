"""Writing what ``render`` and ``suggest`` produce: one text, or a folder of files.

A format of one file prints it, or writes it to ``-o PATH`` (into PATH when
PATH is a folder). A format of several files writes them under the folder
``-o PATH``; without ``-o`` each file is printed under a header line naming
it, the way ``head`` prints several files.
"""

from __future__ import annotations

from pathlib import Path

import click

from planner.errors import InputError


def header(name: str) -> str:
    return f"==> {name} <=="


def show(files: dict[str, str]) -> str:
    """Several files as one text, each under a header line."""
    parts = []
    for name, text in files.items():
        parts.append(header(name) + "\n" + text + ("" if text.endswith("\n") else "\n"))
    return "\n".join(parts)


def emit(
    result: str | dict[str, str],
    output: Path | None,
    *,
    force: bool,
    default_name: str | None = None,
) -> None:
    """Print ``result`` or write it under ``output`` (see the module doc)."""
    from planner.cli.suggest import write_atomic

    if output is None:
        text = result if isinstance(result, str) else show(result)
        click.echo(text, nl=not text.endswith("\n"))
        return
    if isinstance(result, str):
        target = output
        if default_name and (output.is_dir() or str(output).endswith(("/", "\\"))):
            target = output / default_name
        write_atomic(target, result, force=force)
        click.echo(f"wrote {target}", err=True)
        return
    if output.exists() and not output.is_dir():
        raise InputError(f"{output} is a file; this format writes a folder of files")
    targets = [(output / name, text) for name, text in result.items()]
    if not force:
        existing = [str(t) for t, _ in targets if t.exists()]
        if existing:
            raise InputError(f"{existing[0]} already exists (use --force to overwrite)")
    for target, text in targets:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{target.parent}: cannot create: {exc.strerror or exc}") from None
        write_atomic(target, text, force=True)
    click.echo(f"wrote {len(targets)} files under {output}", err=True)
