"""One process per run: a lock file in the run folder.

The lock is an OS file lock (``flock``), so it is released automatically when
the process dies, even by ``kill -9``; a run whose lock is free but whose
journal still says "running" was interrupted or crashed.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

from planner.errors import InputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock; runs are then unguarded
    fcntl = None  # type: ignore[assignment]


class RunLock:
    def __init__(self, folder: Path, run_id: str) -> None:
        self.path = folder / ".lock"
        self.run_id = run_id
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise InputError(f"run {self.run_id} is being run by another process") from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def is_locked(folder: Path) -> bool:
    """True while some process holds the run's lock (or when that cannot be checked:
    a lock file one may not open; the journal's own word then stands)."""
    path = folder / ".lock"
    if fcntl is None or not path.exists():
        return False
    try:
        # Read-only: flock needs no write access, and `planner runs` must not need it either.
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False
