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
        # The holder's pid, so that `planner runs cancel` can stop it.
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
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


def holder_pid(folder: Path) -> int | None:
    """The pid written by the process that holds (or last held) the run's lock."""
    try:
        text = (folder / ".lock").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def cancel_local_run(state: Path, run_id: str) -> str:
    """``planner runs cancel`` on the local engine; returns what was done.

    A run some process is executing is stopped like Ctrl-C stops it (SIGTERM:
    the runner books calls in flight and marks the run interrupted); a run
    nobody holds is marked cancelled in the journal.
    """
    import signal

    from planner.errors import PlannerError
    from planner.runner.journal import JOURNAL_NAME, Journal
    from planner.runner.model import RUN_CANCELLED, RUN_DONE

    folder = state / "runs" / run_id
    if is_locked(folder):
        pid = holder_pid(folder)
        if pid is None:
            raise PlannerError(f"run {run_id} is running but its process id is unknown")
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            raise PlannerError(f"run {run_id}: process {pid} is gone") from None
        except PermissionError:
            raise PlannerError(f"run {run_id} runs as process {pid}, which this user cannot stop") from None
        return f"run {run_id}: asked process {pid} to stop (it stops as on Ctrl-C and can be resumed)"
    journal = Journal(state / JOURNAL_NAME)
    try:
        row = journal.get_run(run_id)
        if row is None:
            raise PlannerError(f"no run '{run_id}' in {state}")
        if row.status == RUN_DONE:
            raise PlannerError(f"run {run_id} is done; there is nothing to cancel")
        journal.set_run_status(run_id, RUN_CANCELLED, "cancelled with 'planner runs cancel'", finished=True)
    finally:
        journal.close()
    return f"run {run_id} cancelled (it was {row.status}; resume it with --resume {run_id})"
