"""Writing what ``render`` and ``suggest`` produce: one text, or a folder of files.

A format of one file prints it, or writes it to ``-o PATH`` (into PATH when
PATH is a folder). A format of several files writes them under the folder
``-o PATH``; without ``-o`` each file is printed under a header line naming
it, the way ``head`` prints several files. Every file is written through
:mod:`planner.outfile` (whole or not at all, only over a regular file).
"""

from __future__ import annotations

from pathlib import Path

from planner.errors import InputError


def header(name: str) -> str:
    return f"==> {name} <=="


def show(files: dict[str, str]) -> str:
    """Several files as one text, each under a header line."""
    parts = []
    for name, text in files.items():
        parts.append(header(name) + "\n" + text + ("" if text.endswith("\n") else "\n"))
    return "\n".join(parts)


def one_file_target(output: Path, default_name: str | None) -> Path:
    """Where a one-file format goes: ``output``, or ``output/default_name`` for a folder."""
    if default_name and (output.is_dir() or str(output).endswith(("/", "\\"))):
        return output / default_name
    return output


def check_output(output: Path, *, folder: bool, force: bool, default_name: str | None = None) -> None:
    """Refuse an unusable ``-o`` before any work is done."""
    from planner.outfile import check_target

    if not folder:
        check_target(one_file_target(output, default_name), force=force)
    elif output.exists() and not output.is_dir():
        raise InputError(f"{output} is a file; this format writes a folder of files")


def write_result(
    result: str | dict[str, str],
    output: Path | None,
    *,
    force: bool,
    default_name: str | None = None,
    clean: bool | None = None,
) -> None:
    """Print ``result`` or write it under ``output`` (see the module doc)."""
    from planner.cli.terminal import emit
    from planner.outfile import check_target, write_text_file

    if output is None:
        text = result if isinstance(result, str) else show(result)
        emit(text, nl=not text.endswith("\n"), clean=clean)
        return
    if isinstance(result, str):
        target = one_file_target(output, default_name)
        write_text_file(target, result, force=force)
        emit(f"wrote {target}", err=True, clean=True)
        return
    check_output(output, folder=True, force=force)
    targets = [(output / name, text) for name, text in result.items()]
    for target, _ in targets:  # every file checked before the first is written
        if target.parent.exists():
            check_target(target, force=force)
    for target, text in targets:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{target.parent}: cannot create: {exc.strerror or exc}") from None
        write_text_file(target, text, force=force)
    emit(f"wrote {len(targets)} files under {output}", err=True, clean=True)
