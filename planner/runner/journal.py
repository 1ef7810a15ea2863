"""The run journal: one SQLite file under the state folder.

WAL mode with ``synchronous=NORMAL`` keeps every committed transaction across
a killed process (only a power cut can lose the last few), and lets
``planner runs`` read while a run writes. A step's completion, output, tokens
and cost are written in one transaction, so a resumed run sees a step either
finished with its output or not finished at all.

Writes from the scheduler are queued and committed together once per turn of
the event loop (group commit): fifty steps finishing in the same instant cost
one commit, not fifty. The scheduler waits for :meth:`Journal.commit` before
anything that must be durable first: calling a backend (so a crash can account
for the call) and announcing a step as done (so its dependents never start on
an output that a crash could lose).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.errors import PlannerError
from planner.runner.model import DONE, FAILED, PENDING, RUNNING, SKIPPED

JOURNAL_NAME = "journal.sqlite"
# Bumped when the tables change, so a later version can migrate old journals.
# 2: attempts.booked (the cost is the call's reservation, not a measurement).
SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    finished_at REAL,
    status TEXT NOT NULL,
    backend TEXT NOT NULL,
    plan_path TEXT,
    plan_hash TEXT NOT NULL,
    plan_json TEXT NOT NULL,
    task TEXT,
    max_cost REAL,
    estimated_cost REAL NOT NULL DEFAULT 0,
    message TEXT
);
CREATE TABLE IF NOT EXISTS steps (
    run_id TEXT NOT NULL REFERENCES runs(id),
    step_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    status TEXT NOT NULL,
    tier TEXT NOT NULL,
    model TEXT NOT NULL,
    rounds INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    output TEXT,
    output_path TEXT,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    estimated_cost REAL NOT NULL DEFAULT 0,
    cost REAL NOT NULL DEFAULT 0,
    error TEXT,
    started_at REAL,
    finished_at REAL,
    PRIMARY KEY (run_id, step_id)
);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    step_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    round INTEGER NOT NULL,
    status TEXT NOT NULL,
    reserved REAL NOT NULL DEFAULT 0,
    cost REAL NOT NULL DEFAULT 0,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    started_at REAL NOT NULL,
    finished_at REAL,
    booked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS attempts_by_step ON attempts(run_id, step_id, attempt);
"""


@dataclass(frozen=True)
class RunRow:
    id: str
    created_at: float
    updated_at: float
    finished_at: float | None
    status: str
    backend: str
    plan_path: str | None
    plan_hash: str
    plan_json: str
    task: str | None
    max_cost: float | None
    estimated_cost: float
    message: str | None


@dataclass(frozen=True)
class StepRow:
    run_id: str
    step_id: str
    position: int
    status: str
    tier: str
    model: str
    rounds: int
    attempts: int
    output: str | None
    output_path: str | None
    input_tokens: int
    output_tokens: int
    estimated_cost: float
    cost: float
    error: str | None
    started_at: float | None
    finished_at: float | None


class JournalError(PlannerError):
    """The run journal cannot be used: not a planner journal, damaged, locked, or a full disk."""


class _Cursor:
    """A cursor whose row fetches (where SQLite finds damaged pages) raise :class:`JournalError`."""

    def __init__(self, cursor: sqlite3.Cursor, fail: Any) -> None:
        self._cursor = cursor
        self._fail = fail
        self.description = cursor.description

    def fetchone(self) -> Any:
        try:
            return self._cursor.fetchone()
        except sqlite3.DatabaseError as exc:
            raise self._fail(exc) from None

    def fetchall(self) -> list[Any]:
        try:
            return self._cursor.fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._fail(exc) from None


class _Connection:
    """The SQLite connection, with every database error (a damaged or foreign file, a full
    disk, a lock held too long) raised as one :class:`JournalError` naming the file."""

    def __init__(self, db: sqlite3.Connection, where: str) -> None:
        self._db = db
        self._where = where

    def fail(self, exc: sqlite3.Error) -> JournalError:
        return JournalError(f"{self._where}: run journal: {exc}")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _Cursor:
        try:
            return _Cursor(self._db.execute(sql, params), self.fail)
        except sqlite3.DatabaseError as exc:
            raise self.fail(exc) from None

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            self._db.executemany(sql, rows)
        except sqlite3.DatabaseError as exc:
            raise self.fail(exc) from None

    def executescript(self, script: str) -> None:
        try:
            self._db.executescript(script)
        except sqlite3.DatabaseError as exc:
            raise self.fail(exc) from None

    def close(self) -> None:
        self._db.close()


# Columns that every version of the journal has had: a file without them was
# written by some other program, and is not ours to write into. (A column added
# later is the business of a migration, not of this check.)
_COLUMNS = {
    "runs": ("id", "status", "plan_hash", "plan_json"),
    "steps": ("run_id", "step_id", "position", "status"),
    "attempts": ("run_id", "step_id", "attempt", "reserved"),
}


class Journal:
    """Read and write runs, steps and attempts. ``path=None`` keeps it in memory.

    ``readonly=True`` only reads an existing journal (``planner runs``): it
    changes nothing, so listing works in a folder one may not write to.
    """

    def __init__(self, path: Path | None, *, readonly: bool = False) -> None:
        self.path = path
        target = ":memory:"
        if path is not None and not readonly:
            try:
                _make_state_dir(path.parent)
            except OSError as exc:
                raise PlannerError(
                    f"{path.parent}: cannot create state folder: {exc.strerror or exc}"
                ) from None
            target = str(path)
        elif path is not None:
            target = str(path)
        try:
            if readonly and path is not None:
                raw = _connect_readonly(path)
            else:
                raw = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"{target}: cannot open the run journal: {exc}") from None
        self._db = _Connection(raw, target)
        self.empty = False
        try:
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._check_schema(target, readonly=readonly)
            if not readonly:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._db.executescript(_SCHEMA)
                _migrate(self._db)
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except JournalError:
            raw.close()
            raise
        self._queue: list[tuple[str, tuple[Any, ...]]] = []
        self._waiter: asyncio.Future[None] | None = None

    def _check_schema(self, where: str, *, readonly: bool) -> None:
        """Refuse a database that some other program (or a newer planner) wrote."""
        (version,) = self._db.execute("PRAGMA user_version").fetchone()
        tables = {
            name
            for (name,) in self._db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            ).fetchall()
        }
        self.empty = not tables and version == 0
        if self.empty:
            return  # a new, empty file: ours to set up, or (read-only) no runs yet
        if version > SCHEMA_VERSION:
            raise JournalError(
                f"{where}: the run journal was written by a newer planner (format {version}; "
                f"this one reads {SCHEMA_VERSION})"
            )
        missing = sorted(set(_COLUMNS) - tables)
        if missing:
            raise JournalError(
                f"{where}: not a planner run journal (no table '{missing[0]}'); "
                "move it away or give --state another folder"
            )
        for table, wanted in _COLUMNS.items():
            have = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})").fetchall()}
            lost = [c for c in wanted if c not in have]
            if lost:
                raise JournalError(
                    f"{where}: not a planner run journal (table '{table}' has no column "
                    f"'{lost[0]}'); move it away or give --state another folder"
                )

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[_Connection]:
        """One transaction that also commits everything queued before it.

        If it fails, the queued writes stay queued (in order) for the next try.
        """
        queued, self._queue = self._queue, []
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._queue[:0] = queued
            raise
        try:
            for sql, params in queued:
                self._db.execute(sql, params)
            yield self._db
            self._db.execute("COMMIT")
        except BaseException:
            with suppress(JournalError):  # a failed COMMIT may have rolled back already
                self._db.execute("ROLLBACK")
            self._queue[:0] = queued
            raise

    # -- group commit ---------------------------------------------------------

    def _enqueue(self, sql: str, params: tuple[Any, ...]) -> None:
        self._queue.append((sql, params))

    def flush(self) -> None:
        """Commit what is queued now."""
        if self._queue:
            with self.transaction():
                pass

    async def commit(self) -> None:
        """Wait until every write queued so far is committed (shared with other waiters)."""
        if not self._queue and self._waiter is None:
            return
        if self._waiter is None:
            loop = asyncio.get_running_loop()
            self._waiter = loop.create_future()
            loop.call_soon(self._flush_for_waiters)
        await asyncio.shield(self._waiter)

    def _flush_for_waiters(self) -> None:
        waiter, self._waiter = self._waiter, None
        assert waiter is not None
        try:
            self.flush()
        except Exception as exc:
            waiter.set_exception(exc)
            waiter.exception()  # mark retrieved: every waiter re-raises it anyway
        else:
            waiter.set_result(None)

    # -- runs ---------------------------------------------------------------

    def create_run(
        self,
        *,
        run_id: str,
        backend: str,
        plan_path: str | None,
        plan_hash: str,
        plan_json: str,
        task: str | None,
        max_cost: float | None,
        steps: Sequence[tuple[str, str, str, float]],
    ) -> None:
        """Record a new run and its steps (id, tier, model, estimated cost), all pending."""
        now = time.time()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO runs (id, created_at, updated_at, status, backend, plan_path, plan_hash,"
                " plan_json, task, max_cost, estimated_cost) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    run_id,
                    now,
                    now,
                    "running",
                    backend,
                    plan_path,
                    plan_hash,
                    plan_json,
                    task,
                    max_cost,
                    sum(s[3] for s in steps),
                ),
            )
            self._insert_steps(db, run_id, steps, 0)

    def _insert_steps(
        self,
        db: _Connection,
        run_id: str,
        steps: Sequence[tuple[str, str, str, float]],
        start: int,
    ) -> None:
        db.executemany(
            "INSERT INTO steps (run_id, step_id, position, status, tier, model, estimated_cost)"
            " VALUES (?,?,?,?,?,?,?)",
            [
                (run_id, sid, start + i, PENDING, tier, model, est)
                for i, (sid, tier, model, est) in enumerate(steps)
            ],
        )

    def replace_plan(
        self,
        run_id: str,
        *,
        plan_hash: str,
        plan_json: str,
        steps: Sequence[tuple[str, str, str, float]],
    ) -> None:
        """After ``--force`` on a changed plan: finished steps stay finished, new steps are added, the rest reset."""
        existing = self.steps(run_id)
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET plan_hash = ?, plan_json = ?, updated_at = ?, estimated_cost = ? WHERE id = ?",
                (plan_hash, plan_json, time.time(), sum(s[3] for s in steps), run_id),
            )
            new = [s for s in steps if s[0] not in existing]
            for sid, tier, model, est in steps:
                if sid in existing and existing[sid].status != DONE:
                    db.execute(
                        "UPDATE steps SET status = ?, tier = ?, model = ?, estimated_cost = ?, error = NULL"
                        " WHERE run_id = ? AND step_id = ?",
                        (PENDING, tier, model, est, run_id, sid),
                    )
            self._insert_steps(db, run_id, new, len(existing))

    def set_run_status(
        self, run_id: str, status: str, message: str | None = None, *, finished: bool
    ) -> None:
        now = time.time()
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET status = ?, message = ?, updated_at = ?, finished_at = ? WHERE id = ?",
                (status, message, now, now if finished else None, run_id),
            )

    def end_run(self, run_id: str, status: str, message: str | None) -> bool:
        """Record how a run ended, also when the writes queued before cannot be made.

        With a full disk the queued writes (a step's output, say) fail again at
        every try and would keep the run shown as running: they are dropped and
        the status alone is written, which a few free pages allow. A resume
        then treats what was lost like a crash. Returns whether it was recorded.
        """
        try:
            self.set_run_status(run_id, status, message, finished=True)
            return True
        except JournalError:
            self._queue.clear()
        try:
            self.set_run_status(run_id, status, message, finished=True)
            return True
        except JournalError:
            return False

    def set_max_cost(self, run_id: str, max_cost: float | None) -> None:
        with self.transaction() as db:
            db.execute("UPDATE runs SET max_cost = ? WHERE id = ?", (max_cost, run_id))

    def get_run(self, run_id: str) -> RunRow | None:
        self.flush()
        row = self._db.execute(f"SELECT {_RUN_COLS} FROM runs WHERE id = ?", (run_id,)).fetchone()
        return RunRow(*row) if row else None

    def runs(self, limit: int | None = None) -> list[RunRow]:
        self.flush()
        sql = f"SELECT {_RUN_COLS} FROM runs ORDER BY created_at DESC, id DESC"
        rows = self._db.execute(sql + (f" LIMIT {int(limit)}" if limit else "")).fetchall()
        return [RunRow(*r) for r in rows]

    def run_ids(self) -> list[str]:
        self.flush()
        return [r[0] for r in self._db.execute("SELECT id FROM runs").fetchall()]

    def totals(self, run_id: str) -> dict[str, Any]:
        """Counts by step state and summed costs for one run."""
        self.flush()
        counts = dict(
            self._db.execute(
                "SELECT status, COUNT(*) FROM steps WHERE run_id = ? GROUP BY status", (run_id,)
            ).fetchall()
        )
        cost, est = self._db.execute(
            "SELECT COALESCE(SUM(cost), 0), COALESCE(SUM(estimated_cost), 0) FROM steps WHERE run_id = ?",
            (run_id,),
        ).fetchone()
        return {"counts": counts, "cost_usd": float(cost), "estimated_cost_usd": float(est)}

    # -- steps --------------------------------------------------------------

    def steps(self, run_id: str) -> dict[str, StepRow]:
        self.flush()
        rows = self._db.execute(
            f"SELECT {_STEP_COLS} FROM steps WHERE run_id = ? ORDER BY position", (run_id,)
        ).fetchall()
        return {r[1]: StepRow(*r) for r in rows}

    def spent(self, run_id: str) -> float:
        self.flush()
        (total,) = self._db.execute(
            "SELECT COALESCE(SUM(cost), 0) FROM attempts WHERE run_id = ?", (run_id,)
        ).fetchone()
        return float(total)

    def booked(self, run_id: str) -> dict[str, float]:
        """Per step, the part of its cost booked at a call's worst case rather than measured."""
        self.flush()
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(attempts)").fetchall()}
        if "booked" not in columns:
            return {}  # a version 1 journal opened read-only: it never recorded bookings
        rows = self._db.execute(
            "SELECT step_id, SUM(cost) FROM attempts WHERE run_id = ? AND booked = 1 GROUP BY step_id",
            (run_id,),
        ).fetchall()
        return {sid: float(total) for sid, total in rows}

    def recover_lost_attempts(self, run_id: str, *, charge: bool = True) -> int:
        """Close attempts a killed process left open, booking their reservation as spent.

        Whether a call that was in flight got billed is unknowable, so the
        budget assumes the worst; the affected steps go back to pending.
        """
        now = time.time()
        with self.transaction() as db:
            lost = db.execute(
                "SELECT id, step_id, reserved FROM attempts WHERE run_id = ? AND status = ?",
                (run_id, RUNNING),
            ).fetchall()
            for attempt_id, step_id, held in lost:
                reserved = held if charge else 0.0
                db.execute(
                    "UPDATE attempts SET status = 'lost', cost = ?, booked = ?, finished_at = ?,"
                    " error = 'the runner stopped during this call' WHERE id = ?",
                    (reserved, int(charge), now, attempt_id),
                )
                db.execute(
                    "UPDATE steps SET cost = cost + ? WHERE run_id = ? AND step_id = ?",
                    (reserved, run_id, step_id),
                )
            db.execute(
                "UPDATE steps SET status = ? WHERE run_id = ? AND status = ?",
                (PENDING, run_id, RUNNING),
            )
        return len(lost)

    def reset_failed(self, run_id: str) -> list[str]:
        """``--retry-failed``: failed and skipped steps go back to pending."""
        with self.transaction() as db:
            ids = [
                r[0]
                for r in db.execute(
                    "SELECT step_id FROM steps WHERE run_id = ? AND status IN (?, ?)",
                    (run_id, FAILED, SKIPPED),
                ).fetchall()
            ]
            db.execute(
                "UPDATE steps SET status = ?, error = NULL, finished_at = NULL"
                " WHERE run_id = ? AND status IN (?, ?)",
                (PENDING, run_id, FAILED, SKIPPED),
            )
        return ids

    # Queued writes: the scheduler commits them with commit() or flush().

    def start_step(self, run_id: str, step_id: str, when: float) -> None:
        self._enqueue(
            "UPDATE steps SET status = ?, started_at = COALESCE(started_at, ?), error = NULL"
            " WHERE run_id = ? AND step_id = ?",
            (RUNNING, when, run_id, step_id),
        )

    def start_attempt(
        self, run_id: str, step_id: str, attempt: int, round_no: int, reserved: float
    ) -> None:
        """``attempt`` numbers a step's attempts across rounds and resumes (unique per step)."""
        self._enqueue(
            "INSERT INTO attempts (run_id, step_id, attempt, round, status, reserved, started_at)"
            " VALUES (?,?,?,?,?,?,?)",
            (run_id, step_id, attempt, round_no, RUNNING, reserved, time.time()),
        )
        self._enqueue(
            "UPDATE steps SET attempts = attempts + 1 WHERE run_id = ? AND step_id = ?",
            (run_id, step_id),
        )

    def end_attempt(
        self,
        run_id: str,
        step_id: str,
        attempt: int,
        *,
        status: str,
        cost: float,
        input_tokens: int = 0,
        output_tokens: int = 0,
        error: str | None = None,
        booked: bool = False,
    ) -> None:
        """``booked``: the cost is the call's reservation (its worst case), not a measurement."""
        self._enqueue(
            "UPDATE attempts SET status = ?, cost = ?, input_tokens = ?, output_tokens = ?, error = ?,"
            " booked = ?, finished_at = ? WHERE run_id = ? AND step_id = ? AND attempt = ?",
            (
                status,
                cost,
                input_tokens,
                output_tokens,
                error,
                int(booked and cost > 0),
                time.time(),
                run_id,
                step_id,
                attempt,
            ),
        )
        self._enqueue(
            "UPDATE steps SET cost = cost + ?, input_tokens = input_tokens + ?,"
            " output_tokens = output_tokens + ? WHERE run_id = ? AND step_id = ?",
            (cost, input_tokens, output_tokens, run_id, step_id),
        )

    def finish_step(
        self,
        run_id: str,
        step_id: str,
        *,
        status: str,
        output: str | None = None,
        output_path: str | None = None,
        rounds: int = 0,
        error: str | None = None,
        when: float | None = None,
    ) -> None:
        """A step's final state; queued behind its last attempt, so both land in one commit."""
        self._enqueue(
            "UPDATE steps SET status = ?, output = ?, output_path = ?, rounds = ?, error = ?, finished_at = ?"
            " WHERE run_id = ? AND step_id = ?",
            (status, output, output_path, rounds, error, when or time.time(), run_id, step_id),
        )

    def skip_steps(self, run_id: str, reasons: dict[str, str]) -> None:
        now = time.time()
        for sid, why in reasons.items():
            self._enqueue(
                "UPDATE steps SET status = ?, error = ?, finished_at = ? WHERE run_id = ? AND step_id = ?",
                (SKIPPED, why, now, run_id, sid),
            )

    def release_step(self, run_id: str, step_id: str) -> None:
        """An interrupted step goes back to pending so a resume runs it."""
        self._enqueue(
            "UPDATE steps SET status = ? WHERE run_id = ? AND step_id = ? AND status = ?",
            (PENDING, run_id, step_id, RUNNING),
        )

    def attempts(self, run_id: str) -> list[dict[str, Any]]:
        self.flush()
        cur = self._db.execute(
            "SELECT step_id, attempt, round, status, reserved, cost, booked, input_tokens, output_tokens,"
            " error, started_at, finished_at FROM attempts WHERE run_id = ? ORDER BY id",
            (run_id,),
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


_RUN_COLS = (
    "id, created_at, updated_at, finished_at, status, backend, plan_path, plan_hash, plan_json, task,"
    " max_cost, estimated_cost, message"
)
_STEP_COLS = (
    "run_id, step_id, position, status, tier, model, rounds, attempts, output, output_path, input_tokens,"
    " output_tokens, estimated_cost, cost, error, started_at, finished_at"
)


def _migrate(db: _Connection) -> None:
    """Bring a journal written by an older version up to the current tables."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(attempts)").fetchall()}
    if "booked" not in columns:
        # Version 1 did not record it; its worst-case bookings read as measured.
        db.execute("ALTER TABLE attempts ADD COLUMN booked INTEGER NOT NULL DEFAULT 0")


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """Open an existing journal without writing anything, not even SQLite's side files.

    A journal with no ``-wal`` file holds every commit in the main file (the
    last connection of a run checkpoints and removes it), so it is opened as
    immutable: no ``-shm`` to create, which also works in a read-only folder.
    With a ``-wal`` file (a run in progress, or one that crashed) the commits
    in it are wanted, so it is opened read-only through SQLite's locking, and
    as immutable only where that cannot be (a folder one may not write to).
    """
    if not path.is_file():
        raise sqlite3.DatabaseError("no such file")
    uri = path.absolute().as_uri()
    if Path(f"{path}-wal").exists():
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError:
            db.close()
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)


def _make_state_dir(folder: Path) -> None:
    """Create the state folder private to the user, and keep it out of version control.

    It holds model outputs, which can be as sensitive as the code they are about.
    """
    if folder.is_dir():
        return
    folder.mkdir(parents=True, mode=0o700)
    (folder / ".gitignore").write_text(
        "# Created by planner run: run journal and outputs.\n*\n", encoding="utf-8"
    )


def plan_json(plan_dict: dict[str, Any]) -> str:
    return json.dumps(plan_dict, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
