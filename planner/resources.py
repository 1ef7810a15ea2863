"""Find the data folders ``rules/`` and ``templates/``.

In a source or editable checkout they sit at the repository root, next to the
``planner`` package; in an installed wheel they are packed inside the package
as ``planner/_data/``. One resolver serves both so the tool works from any
directory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

DataFolder = Literal["rules", "templates"]

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: DataFolder) -> Path:
    """Return the folder holding ``name`` data, wheel layout first."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"planner data folder {name!r} not found (broken installation?)")


def data_file(name: DataFolder, relative: str) -> Path:
    return data_dir(name) / relative
