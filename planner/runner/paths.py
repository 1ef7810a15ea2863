"""Where a run's files go, and the checks that keep every one inside the state folder.

Run ids and step ids name folders and files, and both can come from outside:
a library caller's ``run_id=``, ``--resume`` on the command line, a plan built
in code that never met the YAML loader, or a journal someone else wrote. So
no path is built from an id that :func:`check_run_id` or :func:`output_name`
has not accepted, and a run's folder is resolved and checked against the state
folder before anything is written to it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from planner.errors import InputError, PlanError, PlannerError
from planner.plan.spec import STEP_ID_RE

# Generated ids look like 20260101-120000-a1b2c3; callers may choose their own.
# Letters, digits, '.', '_' and '-', starting with a letter or digit: never a
# path separator, never '.' or '..' on its own.
RUN_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
# Far below any file system's name limit (255 bytes on the common ones).
MAX_RUN_ID = 64
# A step id longer than this is shortened in its output file name: the name
# plus '.md' and the temporary '.NAME.md.tmp' must fit in 255 bytes, and a
# shorter name keeps paths readable. Ids are ASCII, so characters are bytes.
MAX_NAME_STEM = 100
_KEPT_PREFIX = 80


def check_run_id(value: object) -> str:
    """``value`` if it can name a run folder, else an :class:`InputError`.

    >>> check_run_id("20260101-120000-a1b2c3")
    '20260101-120000-a1b2c3'
    """
    if not isinstance(value, str) or not RUN_ID_RE.match(value) or len(value) > MAX_RUN_ID:
        raise InputError(
            f"invalid run id {value!r}: use up to {MAX_RUN_ID} letters, digits, '.', '_' "
            "or '-', starting with a letter or digit"
        )
    return value


def inside(root: Path, path: Path) -> Path:
    """``path`` unchanged, after checking that it resolves to a place under ``root``.

    Symbolic links are followed on both sides, so a link planted in the state
    folder cannot send a write elsewhere.
    """
    base = root.resolve()
    target = path.resolve()
    if target != base and base not in target.parents:
        raise PlannerError(f"{path}: refusing to write outside the state folder {root}")
    return path


def run_folder(state: Path, run_id: str) -> Path:
    """The folder of one run's lock and output files: ``STATE/runs/RUN_ID``."""
    return inside(state, state / "runs" / check_run_id(run_id))


def output_name(step_id: str) -> str:
    """The output file name of a step: ``ID.md``, shortened for very long ids.

    A shortened name keeps the start of the id and adds a hash of all of it
    after a '.', a character step ids cannot contain, so it never equals
    another step's name.
    """
    if not isinstance(step_id, str) or not STEP_ID_RE.match(step_id):
        raise PlanError(
            f"invalid step id {step_id!r}: ids use lower-case letters, digits, '-' and '_'"
        )
    if len(step_id) <= MAX_NAME_STEM:
        return f"{step_id}.md"
    digest = hashlib.sha256(step_id.encode("ascii")).hexdigest()[:16]
    return f"{step_id[:_KEPT_PREFIX]}.{digest}.md"


def output_file(folder: Path, step_id: str) -> Path:
    """Where a step's output is written inside its run folder.

    ``folder`` comes from :func:`run_folder` (resolved and checked once per
    run) and the name has no separator and is never '.' or '..', so the path
    stays inside it without resolving it again for every step; a link planted
    at the name is replaced, never written through (see
    :func:`planner.runner.scheduler.write_output_file`).
    """
    return folder / output_name(step_id)


__all__ = [
    "MAX_NAME_STEM",
    "MAX_RUN_ID",
    "RUN_ID_RE",
    "check_run_id",
    "inside",
    "output_file",
    "output_name",
    "run_folder",
]
