"""What the commands need to know about the terminal they print to."""

from __future__ import annotations

import os
import shutil
import sys


def default_width() -> int | None:
    """The terminal's width when printing to one; unlimited into a pipe
    unless COLUMNS says otherwise."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else None
