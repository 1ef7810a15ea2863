"""What the commands need to know about the terminal they print to, and how they print.

Every command writes through :func:`emit`: text for a terminal is cleaned of
control characters (see :mod:`planner.display`), and a failed write (a full
disk behind ``> file``, a terminal that went away) is a one-line error with
exit 2 instead of a traceback.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path
from typing import TextIO

import click

from planner.display import printable
from planner.errors import PlannerError


class OutputError(PlannerError):
    """Standard output or standard error cannot be written."""

    def __init__(self, message: str, *, stdout: bool) -> None:
        super().__init__(message)
        self.stdout = stdout


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False


def default_width() -> int | None:
    """The terminal's width when printing to one; unlimited into a pipe
    unless COLUMNS says otherwise."""
    if _isatty(sys.stdout):
        return shutil.get_terminal_size().columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


def stream_width(stream: TextIO) -> int | None:
    """Columns of the terminal ``stream`` writes to (COLUMNS wins), or None if it is not one."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(stream.fileno()).columns or None
    except (AttributeError, ValueError, OSError):
        return None


def use_color(stream: TextIO, choice: str = "auto") -> bool:
    """Whether to colour output on ``stream``.

    ``--color always|never`` decides; otherwise NO_COLOR (set and not empty)
    turns colour off, FORCE_COLOR (set and not empty) turns it on even into a
    pipe, TERM=dumb turns it off, and a terminal gets it. The order is the
    one CPython's own colour support uses.
    """
    if choice in ("always", "never"):
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return _isatty(stream)


def live_updates(stream: TextIO) -> bool:
    """Whether a status line may be redrawn in place (a terminal that understands cursor moves)."""
    return _isatty(stream) and os.environ.get("TERM") != "dumb"


def emit(
    text: str,
    *,
    err: bool = False,
    nl: bool = True,
    clean: bool | None = None,
    color: bool | None = None,
) -> None:
    """Write command output.

    ``clean`` (default: when the stream is a terminal) removes control
    characters; pass True for text meant for people wherever it goes, and
    False for text whose own escape sequences (colour) are already cleaned
    around. Undecodable bytes of file names in machine formats become
    ``\\udcNN`` escapes, which JSON and YAML read back as the same name.
    """
    stream = sys.stderr if err else sys.stdout
    if clean is None:
        clean = _isatty(stream)
    if clean:
        text = printable(text, keep="\n\t")
    elif not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    try:
        click.echo(text, nl=nl, err=err, color=color)
    except BrokenPipeError:
        raise
    except OSError as exc:
        where = "standard error" if err else "standard output"
        raise OutputError(f"cannot write to {where}: {exc.strerror or exc}", stdout=not err) from None


def command_name() -> str:
    """How to run this planner again, spelled so that it works as printed.

    ``planner`` when that name on the PATH is this installation; otherwise
    the way it was started: a virtualenv's ``.venv/bin/planner`` (the quick
    start leaves ``planner`` off the PATH), or ``python -m planner``.
    """
    scripts = Path(sys.prefix) / ("Scripts" if os.name == "nt" else "bin")
    found = shutil.which("planner")
    if found and _same_folder(Path(found).parent, scripts):
        return "planner"
    argv0 = sys.argv[0] if sys.argv else ""
    if Path(argv0).name == "__main__.py":
        return f"{_python()} -m planner"
    if Path(argv0).name.startswith("planner") and os.sep in argv0:
        return shlex.quote(argv0)
    script = scripts / "planner"
    return shlex.quote(_shown(script)) if script.exists() else "planner"


def _python() -> str:
    """The interpreter running now, by its short name when the PATH finds this one."""
    here = Path(sys.executable)
    for name in ("python3", "python"):
        found = shutil.which(name)
        if found and Path(found).parent == here.parent:
            return name
    return shlex.quote(_shown(here))


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _shown(path: Path) -> str:
    """``path`` relative to the working folder when it lies inside it, else absolute."""
    try:
        relative = path.relative_to(Path.cwd())
    except (ValueError, OSError):
        return str(path)
    # Without a folder in it, a shell would look the name up on the PATH instead.
    return str(relative) if len(relative.parts) > 1 else f".{os.sep}{relative}"
