"""Reading a plan's bytes: small regular files and bounded standard input only.

Every way into a plan (``load_plan``, ``planner render``, ``planner run``,
``planner lint``) reads through here, so a FIFO that never sends anything, a
device such as ``/dev/zero`` that never ends, or a socket is refused at once
instead of hanging or filling memory.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from planner.errors import InputError, PlanError
from planner.plan.spec import MAX_PLAN_BYTES

NO_SUCH_FILE = "no such file"
NOT_REGULAR = "not a regular file"
_MB = 1024 * 1024


def _too_large(size: int | None = None) -> str:
    got = f"{size // _MB} MB; " if size is not None else ""
    return f"file is too large for a plan ({got}the limit is {MAX_PLAN_BYTES // _MB} MB)"


def read_plan_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a plan file, or a :class:`PlanError` naming what is wrong with it."""
    shown = os.fspath(path)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise PlanError("is a directory, not a plan file", path=shown)
        if not stat.S_ISREG(info.st_mode):
            raise PlanError(NOT_REGULAR, path=shown)
        if info.st_size > MAX_PLAN_BYTES:
            raise PlanError(_too_large(info.st_size), path=shown)
        # Non-blocking, and checked again on the open file: a FIFO swapped in
        # after the stat above must not block the open or the read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise PlanError(NOT_REGULAR, path=shown)
            with os.fdopen(fd, "rb", closefd=False) as fh:
                data = fh.read(MAX_PLAN_BYTES + 1)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise PlanError(NO_SUCH_FILE, path=shown) from None
    except PermissionError:
        raise PlanError("permission denied", path=shown) from None
    except OSError as exc:
        raise PlanError(f"cannot read: {exc.strerror or exc}", path=shown) from None
    if len(data) > MAX_PLAN_BYTES:
        raise PlanError(_too_large(), path=shown)
    return data


def read_stdin_bytes(stream: BinaryIO, *, limit: int = MAX_PLAN_BYTES, what: str = "plan") -> bytes:
    """Standard input up to ``limit`` bytes; more is an :class:`InputError`, not a full memory."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"the {what} on stdin is larger than {limit // _MB} MB")
    return data
