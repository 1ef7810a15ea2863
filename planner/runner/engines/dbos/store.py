"""The dbos engine's record: runs, steps, attempts, events and workers.

These tables live in the same database as DBOS's own (schema ``planner`` on
PostgreSQL, beside schema ``dbos``; the same file on SQLite). They are the
record ``planner runs`` reads for a dbos run, with the columns of the local
journal, plus what many workers need to share:

* the run's budget (``spent`` and ``reserved`` on its row): a call reserves
  its worst case in one transaction before it starts and settles in another
  after it ends, each guarded by the run row's lock, so any number of workers
  together never pass ``--max-cost``;
* each step's count of unfinished dependencies, so the worker that finishes a
  step's last dependency queues it, and the worker that finishes the last
  step ends the run;
* heartbeats, so a live worker can tell a dead one and recover its work;
* events, which the submitter follows to show progress.

Every transaction that changes money or a step's state starts by updating the
run row, which takes its lock on PostgreSQL and the write lock on SQLite, so
the transactions of one run are serialized whatever worker runs them.
Transactions that lose the database connection are retried until it returns
(a worker pauses, it does not fail), and each one is written so that running
it twice does no harm: an attempt has a unique key, a settle only closes an
attempt that is still open, a step finishes once.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from planner.errors import PlannerError
from planner.runner.journal import RunRow, StepRow
from planner.runner.model import (
    DONE,
    FAILED,
    PENDING,
    RUN_BUDGET,
    RUN_CANCELLED,
    RUN_DONE,
    RUN_FAILED,
    RUN_RUNNING,
    RUNNING,
    SKIPPED,
)

# A step handed to a queue but not yet started by a worker.
QUEUED = "queued"
# Worker states: alive and taking work, draining (SIGTERM: finishing what it
# has), gone (left on its own; its unfinished work is free at once), dead
# (declared so by a live worker after its lease ran out).
ALIVE = "alive"
DRAINING = "draining"
GONE = "gone"
DEAD = "dead"

_EPS = 1e-9
# Backoff while the database is away: quick first retries for a blip, then
# every few seconds, so a worker notices within seconds that it is back.
_BACKOFF_FIRST_S = 0.1
BACKOFF_MAX_S = 2.0

T = TypeVar("T")


def _tables(schema: str | None) -> tuple[sa.MetaData, dict[str, sa.Table]]:
    md = sa.MetaData(schema=schema)
    runs = sa.Table(
        "runs",
        md,
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("finished_at", sa.Float),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("backend", sa.Text, nullable=False),
        sa.Column("plan_path", sa.Text),
        sa.Column("plan_hash", sa.Text, nullable=False),
        sa.Column("plan_json", sa.Text, nullable=False),
        sa.Column("task", sa.Text),
        sa.Column("max_cost", sa.Float),
        sa.Column("estimated_cost", sa.Float, nullable=False, server_default="0"),
        sa.Column("message", sa.Text),
        # planner version of the submitter: workers of another version refuse the run.
        sa.Column("version", sa.Text, nullable=False),
        # Bumped by every resume, so the resumed steps get new workflow ids.
        sa.Column("generation", sa.Integer, nullable=False, server_default="1"),
        sa.Column("spent", sa.Float, nullable=False, server_default="0"),
        sa.Column("reserved", sa.Float, nullable=False, server_default="0"),
        # Steps queued or running: the transaction that brings it to 0 ends the run.
        sa.Column("active", sa.Integer, nullable=False, server_default="0"),
        # Why no new call may start (the budget ran out, or the run was cancelled).
        sa.Column("stopping", sa.Text),
        # Tiers, limits and backend settings the submitter chose (no secrets: see settings.py).
        sa.Column("settings", sa.Text, nullable=False),
        sa.Column("submitted_by", sa.Text),
    )
    steps = sa.Table(
        "steps",
        md,
        sa.Column("run_id", sa.Text, primary_key=True),
        sa.Column("step_id", sa.Text, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("tier", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("rounds", sa.Integer, nullable=False, server_default="0"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("output", sa.Text),
        sa.Column("output_path", sa.Text),
        sa.Column("input_tokens", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("output_tokens", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("estimated_cost", sa.Float, nullable=False, server_default="0"),
        sa.Column("cost", sa.Float, nullable=False, server_default="0"),
        sa.Column("error", sa.Text),
        sa.Column("started_at", sa.Float),
        sa.Column("finished_at", sa.Float),
        # Dependencies not yet done; the step is queued when it reaches 0.
        sa.Column("waiting", sa.Integer, nullable=False, server_default="0"),
        sa.Column("depends_on", sa.Text, nullable=False, server_default="[]"),
        # Longest estimated path from here to the end: queue priority.
        sa.Column("priority", sa.Integer, nullable=False, server_default="0"),
        sa.Column("workflow_id", sa.Text),
        sa.Column("worker", sa.Text),
    )
    attempts = sa.Table(
        "attempts",
        md,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        # Unique per attempt of a workflow: the same transaction run twice finds it.
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("run_id", sa.Text, nullable=False),
        sa.Column("step_id", sa.Text, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("reserved", sa.Float, nullable=False, server_default="0"),
        sa.Column("cost", sa.Float, nullable=False, server_default="0"),
        sa.Column("input_tokens", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("output_tokens", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("error", sa.Text),
        sa.Column("started_at", sa.Float, nullable=False),
        sa.Column("finished_at", sa.Float),
        sa.Column("worker", sa.Text),
        # A paid backend's lost call is booked at its reservation; a free one's at 0.
        sa.Column("paid", sa.Boolean, nullable=False, server_default=sa.false()),
        # The cost is the call's reservation (its worst case), not a measurement.
        sa.Column("booked", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Index("attempts_by_step", "run_id", "step_id"),
    )
    events = sa.Table(
        "events",
        md,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("run_id", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Index("events_by_run", "run_id", "id"),
    )
    workers = sa.Table(
        "workers",
        md,
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("host", sa.Text, nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("version", sa.Text, nullable=False),
        sa.Column("started_at", sa.Float, nullable=False),
        # Database time (seconds since the epoch): machines' clocks never compare.
        sa.Column("beat_at", sa.Float, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("works", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("recovered_by", sa.Text),
        sa.Column("recovered_at", sa.Float),
    )
    return md, {
        "runs": runs,
        "steps": steps,
        "attempts": attempts,
        "events": events,
        "workers": workers,
    }


@dataclass(frozen=True)
class Claimed:
    """A step a transaction moved to the queue: the workflow to enqueue for it."""

    step_id: str
    tier: str
    workflow_id: str
    priority: int


@dataclass(frozen=True)
class Reservation:
    """The answer to a reservation: ``ok``, ``wait`` (others hold budget), ``stop`` or ``done``."""

    outcome: str
    attempt: int = 0
    reason: str | None = None
    # The run has a --max-cost: its settle updates the shared ledger.
    capped: bool = False


@dataclass(frozen=True)
class Finish:
    """A step's completion, recorded with its last call's settle."""

    output: str
    rounds: int
    attempts: int
    children: Sequence[str]
    worker: str


def normalize_url(url: str) -> str:
    """SQLAlchemy URL for ``url``: ``postgresql://`` uses psycopg 3, the driver DBOS brings."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def safe_url(url: str) -> str:
    """``url`` with its password hidden, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<unreadable database URL>"


def transient(exc: BaseException) -> bool:
    """True for errors that another try can fix: a lost connection, a busy or restarting server."""
    if isinstance(exc, sa.exc.TimeoutError):  # pool checkout
        return True
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    text = str(orig).lower()
    if "database is locked" in text or "database is busy" in text:
        return True
    code = str(getattr(orig, "sqlstate", "") or "")
    if code == "57014":  # a cancelled statement: retrying would undo the cancel
        return False
    if code[:2] in ("08", "53", "57") or code in ("40001", "40P01", "25P03"):
        return True
    return isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError) and any(
        w in text
        for w in ("connection", "server closed", "could not connect", "shutting down", "starting up")
    )


def _stderr(message: str) -> None:
    print(f"planner: {message}", file=sys.stderr, flush=True)


class Store:
    """The record on one database. Thread-safe; every method is one transaction.

    ``patient`` decides what a lost connection does: a worker waits for the
    database to return (reporting it once, and again when it is back); a
    one-off command such as ``planner runs`` fails with a clear message.
    """

    def __init__(
        self,
        url: str,
        *,
        patient: bool = False,
        report: Callable[[str], None] = _stderr,
    ) -> None:
        self.url = normalize_url(url)
        self.patient = patient
        self.report = report
        try:
            parsed = sa.make_url(self.url)
        except sa.exc.ArgumentError:
            raise PlannerError(f"cannot read the database URL {safe_url(url)!r}") from None
        self.sqlite = parsed.get_backend_name() == "sqlite"
        if not self.sqlite and parsed.get_backend_name() != "postgresql":
            raise PlannerError(
                f"the dbos engine runs on PostgreSQL or SQLite, not {parsed.get_backend_name()}"
            )
        self.schema = None if self.sqlite else "planner"
        self.md, self.t = _tables(self.schema)
        self.engine = self._make_engine()
        self._trouble_since: float | None = None
        self._trouble_lock = threading.Lock()
        # When the database last came back after being unreachable (monotonic clock).
        self.last_trouble_end: float | None = None
        # Enqueues claimed steps' workflows inside the claiming transaction (set by
        # the runtime, which owns DBOS): a step is queued in the record exactly
        # when its workflow is on a DBOS queue.
        self.enqueuer: Callable[[Connection, str, list[Claimed]], None] | None = None

    # -- plumbing ---------------------------------------------------------------

    def _make_engine(self) -> Engine:
        if self.sqlite:
            engine = sa.create_engine(self.url, connect_args={"timeout": 30})

            @sa.event.listens_for(engine, "connect")
            def _sqlite_setup(dbapi_conn: Any, record: Any) -> None:
                # Writers take the lock at their first write, and wait for each other.
                dbapi_conn.isolation_level = "IMMEDIATE"
                dbapi_conn.execute("PRAGMA busy_timeout = 30000")
                dbapi_conn.execute("PRAGMA journal_mode = WAL")

            return engine
        return sa.create_engine(
            self.url,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=20,
            connect_args={"connect_timeout": 10, "application_name": "planner"},
        )

    def close(self) -> None:
        self.engine.dispose()

    @property
    def where(self) -> str:
        return safe_url(self.url)

    def _tx(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn`` in one transaction; retry it while the database is unreachable."""
        delay = _BACKOFF_FIRST_S
        while True:
            try:
                with self.engine.begin() as conn:
                    value = fn(conn)
            except Exception as exc:
                if not transient(exc):
                    raise
                if not self.patient:
                    raise PlannerError(
                        f"cannot reach the database at {self.where}: {_first_line(exc)}"
                    ) from None
                self._trouble(exc)
                time.sleep(delay)
                delay = min(delay * 2, BACKOFF_MAX_S)
                continue
            self._recovered()
            return value

    def _trouble(self, exc: BaseException) -> None:
        with self._trouble_lock:
            if self._trouble_since is not None:
                return
            self._trouble_since = time.monotonic()
        self.report(
            f"the database at {self.where} is unreachable ({_first_line(exc)}); "
            "work pauses and resumes when it is back, nothing recorded is lost"
        )

    def _recovered(self) -> None:
        if self._trouble_since is None:
            return
        with self._trouble_lock:
            since, self._trouble_since = self._trouble_since, None
            self.last_trouble_end = time.monotonic()
        if since is not None:
            self.report(
                f"the database at {self.where} is reachable again after "
                f"{time.monotonic() - since:.1f} s; resuming"
            )

    def _now_sql(self) -> Any:
        """The database's clock in seconds since the epoch (one clock for every machine)."""
        if self.sqlite:
            return sa.literal_column("((julianday('now') - 2440587.5) * 86400.0)")
        return sa.literal_column("extract(epoch from clock_timestamp())")

    def has_schema(self) -> bool:
        """True when the tables exist (a run was recorded here at some point)."""

        def fn(conn: Connection) -> bool:
            return sa.inspect(conn).has_table("runs", schema=self.schema)

        return self._tx(fn)

    def create_schema(self) -> None:
        """Create the tables when missing (safe with many workers starting at once)."""

        def fn(conn: Connection) -> None:
            if not self.sqlite:
                # One creator at a time: concurrent CREATEs of one type collide in PostgreSQL.
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7151612)"))
                conn.execute(sa.text("CREATE SCHEMA IF NOT EXISTS planner"))
            self.md.create_all(conn)

        self._tx(fn)

    def _event(self, conn: Connection, run_id: str, body: Mapping[str, Any]) -> None:
        payload = {"time": round(time.time(), 3), "run_id": run_id, **body}
        conn.execute(
            self.t["events"].insert().values(run_id=run_id, body=json.dumps(payload, ensure_ascii=False))
        )

    def _lock_run(self, conn: Connection, run_id: str) -> Any:
        """Touch the run row first: its lock serializes the run's transactions."""
        runs = self.t["runs"]
        row = conn.execute(
            runs.update()
            .where(runs.c.id == run_id)
            .values(updated_at=time.time())
            .returning(
                runs.c.status,
                runs.c.stopping,
                runs.c.spent,
                runs.c.reserved,
                runs.c.max_cost,
                runs.c.generation,
                runs.c.message,
            )
        ).first()
        if row is None:
            raise PlannerError(f"no run '{run_id}' in the database at {self.where}")
        return row

    # -- runs -------------------------------------------------------------------

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
        version: str,
        settings: Mapping[str, Any],
        submitted_by: str,
        steps: Sequence[tuple[str, str, str, float, Sequence[str], int]],
        start_event: Mapping[str, Any],
    ) -> None:
        """A new run with its steps (id, tier, model, estimate, dependencies, priority), all pending."""
        now = time.time()

        def fn(conn: Connection) -> None:
            exists = conn.execute(
                sa.select(self.t["runs"].c.id).where(self.t["runs"].c.id == run_id)
            ).first()
            if exists is not None:
                raise PlannerError(f"run '{run_id}' already exists in the database at {self.where}")
            conn.execute(
                self.t["runs"]
                .insert()
                .values(
                    id=run_id,
                    created_at=now,
                    updated_at=now,
                    status=RUN_RUNNING,
                    backend=backend,
                    plan_path=plan_path,
                    plan_hash=plan_hash,
                    plan_json=plan_json,
                    task=task,
                    max_cost=max_cost,
                    estimated_cost=sum(s[3] for s in steps),
                    version=version,
                    generation=1,
                    settings=json.dumps(settings, sort_keys=True),
                    submitted_by=submitted_by,
                )
            )
            conn.execute(
                self.t["steps"].insert(),
                [
                    {
                        "run_id": run_id,
                        "step_id": sid,
                        "position": i,
                        "status": PENDING,
                        "tier": tier,
                        "model": model,
                        "estimated_cost": est,
                        "waiting": len(deps),
                        "depends_on": json.dumps(list(deps)),
                        "priority": prio,
                    }
                    for i, (sid, tier, model, est, deps, prio) in enumerate(steps)
                ],
            )
            self._event(conn, run_id, start_event)

        self._tx(fn)

    def reopen_run(
        self,
        run_id: str,
        *,
        plan_hash: str,
        plan_json: str,
        steps: Sequence[tuple[str, str, str, float, Sequence[str], int]],
        replace_plan: bool,
        retry_failed: bool,
        max_cost: float | None,
        set_max_cost: bool,
        settings: Mapping[str, Any],
        version: str,
        submitted_by: str,
        start_event: Mapping[str, Any],
    ) -> int:
        """``--resume``: a new generation of the run; returns it.

        Finished steps stay finished; with ``retry_failed``, failed and skipped
        steps run again; every other step goes back to pending with its count
        of unfinished dependencies recomputed. Attempts left open by a worker
        that is gone are booked at their reservation (a paid call in flight may
        have been billed).
        """
        runs, st, at = self.t["runs"], self.t["steps"], self.t["attempts"]

        def fn(conn: Connection) -> int:
            head = self._lock_run(conn, run_id)
            if head.status == RUN_RUNNING:
                raise PlannerError(
                    f"run '{run_id}' is still running on the workers; "
                    f"cancel it first with 'planner runs cancel {run_id}'"
                )
            self._book_open_attempts(conn, sa.and_(at.c.run_id == run_id), "lost")
            existing = {
                r.step_id: r
                for r in conn.execute(sa.select(st).where(st.c.run_id == run_id)).fetchall()
            }
            if replace_plan:
                for i, (sid, tier, model, est, deps, prio) in enumerate(steps):
                    changes = {
                        "tier": tier,
                        "model": model,
                        "estimated_cost": est,
                        "depends_on": json.dumps(list(deps)),
                        "priority": prio,
                    }
                    if sid in existing:
                        conn.execute(
                            st.update()
                            .where(st.c.run_id == run_id, st.c.step_id == sid)
                            .values(**changes)
                        )
                    else:
                        conn.execute(
                            st.insert().values(
                                run_id=run_id,
                                step_id=sid,
                                position=len(existing) + i,
                                status=PENDING,
                                **changes,
                            )
                        )
            again = {PENDING, QUEUED, RUNNING} | ({FAILED, SKIPPED} if retry_failed else set())
            rows = conn.execute(sa.select(st).where(st.c.run_id == run_id)).fetchall()
            status = {r.step_id: r.status for r in rows}
            for r in rows:
                if r.status in again:
                    status[r.step_id] = PENDING
            for r in rows:
                deps = json.loads(r.depends_on)
                conn.execute(
                    st.update()
                    .where(st.c.run_id == run_id, st.c.step_id == r.step_id)
                    .values(
                        status=status[r.step_id],
                        waiting=sum(1 for d in deps if status.get(d) != DONE),
                        **(
                            {"error": None, "finished_at": None}
                            if r.status != status[r.step_id]
                            else {}
                        ),
                    )
                )
            generation = int(head.generation) + 1
            spent = conn.execute(
                sa.select(sa.func.coalesce(sa.func.sum(at.c.cost), 0.0)).where(at.c.run_id == run_id)
            ).scalar()
            values: dict[str, Any] = {
                "status": RUN_RUNNING,
                "active": 0,
                "reserved": 0.0,
                "spent": float(spent or 0.0),
                "finished_at": None,
                "stopping": None,
                "message": None,
                "generation": generation,
                "plan_hash": plan_hash,
                "plan_json": plan_json,
                "estimated_cost": sum(s[3] for s in steps),
                "version": version,
                "settings": json.dumps(settings, sort_keys=True),
                "submitted_by": submitted_by,
            }
            if set_max_cost:
                values["max_cost"] = max_cost
            conn.execute(runs.update().where(runs.c.id == run_id).values(**values))
            done = sum(1 for s in status.values() if s == DONE)
            self._event(conn, run_id, {**start_event, "resuming": done})
            return generation

        return self._tx(fn)

    def claim_ready(self, run_id: str, generation: int) -> list[Claimed]:
        """Queue every pending step whose dependencies are done (the start of a generation).

        The steps are enqueued in DBOS in the same transaction (see
        ``enqueuer``), so a step is never claimed without being enqueued; run
        again after a crash, it finds them queued already and does nothing.
        """
        runs = self.t["runs"]

        def fn(conn: Connection) -> list[Claimed]:
            head = conn.execute(
                sa.select(runs.c.status, runs.c.stopping).where(runs.c.id == run_id)
            ).first()
            if head is None or head.status != RUN_RUNNING or head.stopping:
                return []
            ready = self._claim(conn, run_id, generation, None)
            active = self._add_active(conn, run_id, len(ready))
            if active == 0:
                self._end(conn, run_id)
            return ready

        return self._tx(fn)

    def _claim(
        self, conn: Connection, run_id: str, generation: int, among: Sequence[str] | None
    ) -> list[Claimed]:
        """Move ready pending steps (all, or ``among``) to the queue and enqueue their workflows."""
        st = self.t["steps"]
        where = [st.c.run_id == run_id, st.c.status == PENDING, st.c.waiting <= 0]
        if among is not None:
            if not among:
                return []
            where.append(st.c.step_id.in_(list(among)))
        rows = conn.execute(
            st.update()
            .where(*where)
            .values(
                status=QUEUED,
                workflow_id=sa.literal(workflow_prefix(run_id, generation)) + st.c.step_id,
            )
            .returning(st.c.step_id, st.c.tier, st.c.workflow_id, st.c.priority)
        ).fetchall()
        claimed = [Claimed(r.step_id, r.tier, r.workflow_id, int(r.priority)) for r in rows]
        if claimed and self.enqueuer is not None:
            self.enqueuer(conn, run_id, claimed)
        return claimed

    def _add_active(self, conn: Connection, run_id: str, delta: int) -> int:
        """Change the run's count of queued and running steps; returns the new count."""
        runs = self.t["runs"]
        value = conn.execute(
            runs.update()
            .where(runs.c.id == run_id)
            .values(active=runs.c.active + delta, updated_at=time.time())
            .returning(runs.c.active)
        ).scalar()
        return int(value or 0)

    def run_row(self, run_id: str) -> Any:
        runs = self.t["runs"]

        def fn(conn: Connection) -> Any:
            return conn.execute(sa.select(runs).where(runs.c.id == run_id)).first()

        return self._tx(fn)

    def outputs(self, run_id: str, step_ids: Iterable[str]) -> dict[str, str]:
        st = self.t["steps"]
        ids = list(step_ids)
        if not ids:
            return {}

        def fn(conn: Connection) -> dict[str, str]:
            rows = conn.execute(
                sa.select(st.c.step_id, st.c.output).where(
                    st.c.run_id == run_id, st.c.step_id.in_(ids), st.c.status == DONE
                )
            ).fetchall()
            return {r.step_id: r.output or "" for r in rows}

        return self._tx(fn)

    # -- the budget and attempts -------------------------------------------------

    def reserve(
        self,
        *,
        run_id: str,
        step_id: str,
        workflow_id: str,
        key: str,
        round_no: int,
        amount: float,
        paid: bool,
        worker: str,
        model: str,
    ) -> Reservation:
        """Reserve ``amount`` for one call and open its attempt, in one transaction.

        ``stop`` when the run no longer starts calls (cancelled, or the budget
        already stopped it) or when this call cannot fit even with nothing else
        outstanding (then the run stops for the budget, as the local engine
        does); ``wait`` when it does not fit while other calls hold reservations
        (their actual cost may come in lower); ``done`` when the step finished
        already (a replay after a crash between the record and DBOS's checkpoint).

        An uncapped run's row is only read here, so calls of one run do not
        queue behind each other; a capped run's reservation is one atomic
        update of its ledger.
        """
        runs, st, at = self.t["runs"], self.t["steps"], self.t["attempts"]

        def fn(conn: Connection) -> Reservation:
            mine = conn.execute(sa.select(at.c.attempt).where(at.c.key == key)).first()
            if mine is not None:  # this very transaction committed before its connection broke
                return Reservation("ok", int(mine.attempt))
            step = conn.execute(
                sa.select(
                    st.c.status, st.c.workflow_id, st.c.tier, st.c.output, runs.c.max_cost
                )
                .join(runs, runs.c.id == st.c.run_id)
                .where(st.c.run_id == run_id, st.c.step_id == step_id)
            ).first()
            if step is None or step.workflow_id != workflow_id:
                return Reservation("stop", reason="superseded by a newer run of this step")
            if step.status == DONE:
                return Reservation("done", reason=step.output or "")
            if step.status == RUNNING:
                # An attempt of this step still open was cut off by a worker that died
                # (the step is running again, here): book it as lost first. (Earlier
                # attempts of this execution were settled before this one.)
                self._book_open_attempts(
                    conn, sa.and_(at.c.run_id == run_id, at.c.step_id == step_id), "lost"
                )
            cap = step.max_cost
            if cap is None:
                # No lock: every step of a run would queue behind the run row's
                # lock. A cancel that commits while this call starts finds the
                # call's attempt settled normally (and booked) when it ends.
                head = conn.execute(
                    sa.select(runs.c.status, runs.c.stopping).where(runs.c.id == run_id)
                ).first()
                assert head is not None
                if head.status != RUN_RUNNING or head.stopping:
                    self._release(conn, run_id, step_id)
                    return Reservation("stop", reason=head.stopping or head.status)
            else:
                fitted = conn.execute(
                    runs.update()
                    .where(
                        runs.c.id == run_id,
                        runs.c.status == RUN_RUNNING,
                        runs.c.stopping.is_(None),
                        runs.c.spent + runs.c.reserved + amount <= runs.c.max_cost + _EPS,
                    )
                    .values(reserved=runs.c.reserved + amount)
                    .returning(runs.c.id)
                ).first()
                if fitted is None:
                    return self._no_fit(conn, run_id, step_id, amount, step.status, step.tier)
            now = time.time()
            number = conn.execute(
                st.update()
                .where(st.c.run_id == run_id, st.c.step_id == step_id)
                .values(
                    attempts=st.c.attempts + 1,
                    status=RUNNING,
                    started_at=sa.func.coalesce(st.c.started_at, now),
                    error=None,
                    worker=worker,
                )
                .returning(st.c.attempts)
            ).scalar()
            if step.status != RUNNING:
                self._event(
                    conn,
                    run_id,
                    {"event": "step_start", "step": step_id, "tier": step.tier, "model": model, "worker": worker},
                )
            conn.execute(
                at.insert().values(
                    key=key,
                    run_id=run_id,
                    step_id=step_id,
                    attempt=int(number or 1),
                    round=round_no,
                    status=RUNNING,
                    reserved=amount,
                    started_at=now,
                    worker=worker,
                    paid=paid,
                )
            )
            return Reservation("ok", int(number or 1), capped=cap is not None)

        return self._tx(fn)

    def _no_fit(
        self, conn: Connection, run_id: str, step_id: str, amount: float, status: str, tier: str
    ) -> Reservation:
        """A capped call that does not fit now: wait for others' reservations, or stop the run."""
        runs = self.t["runs"]
        head = conn.execute(
            sa.select(runs.c.status, runs.c.stopping, runs.c.spent, runs.c.reserved, runs.c.max_cost)
            .where(runs.c.id == run_id)
            .with_for_update()
        ).first()
        assert head is not None
        if head.status != RUN_RUNNING or head.stopping:
            self._release(conn, run_id, step_id)
            return Reservation("stop", reason=head.stopping or head.status)
        spent, held, cap = float(head.spent), float(head.reserved), float(head.max_cost)
        if spent + held + amount <= cap + _EPS:
            return Reservation("wait")  # it fits now: try again
        if held > _EPS:
            return Reservation("wait")
        verb = "continue" if status == RUNNING else "start"
        why = (
            f"its next call may cost up to ${amount:.4f} (prompt plus max_tokens at the "
            f"tier's prices) and ${spent:.4f} of ${cap:.4f} is already spent"
        )
        conn.execute(
            runs.update()
            .where(runs.c.id == run_id)
            .values(stopping=f"step '{step_id}' could not {verb}: {why}")
        )
        self._event(conn, run_id, {"event": "budget_stop", "step": step_id, "tier": tier, "reason": why})
        self._release(conn, run_id, step_id)
        return Reservation("stop", reason=why)

    def settle(
        self,
        *,
        run_id: str,
        step_id: str,
        key: str,
        status: str,
        cost: float,
        capped: bool,
        input_tokens: int = 0,
        output_tokens: int = 0,
        error: str | None = None,
        booked: bool = False,
        events: Sequence[Mapping[str, Any]] = (),
        finish: Finish | None = None,
    ) -> bool:
        """Close an attempt and settle its reservation at ``cost``, in one transaction.

        With ``finish``, the step is done in the same transaction: its output
        recorded, the dependents it made ready queued (and enqueued), the run
        ended when this was its last step. False when the attempt was already
        closed (a live worker declared this one dead and booked the call at its
        reservation): then nothing changes, and the step's new run decides.
        """
        runs, st, at = self.t["runs"], self.t["steps"], self.t["attempts"]

        def fn(conn: Connection) -> bool:
            row = conn.execute(
                at.update()
                .where(at.c.key == key, at.c.status == RUNNING)
                .values(
                    status=status,
                    cost=cost,
                    input_tokens=input_tokens,
                    output_tokens=output_tokens,
                    error=error,
                    booked=booked and cost > 0,
                    finished_at=time.time(),
                )
                .returning(at.c.reserved)
            ).first()
            if row is None:
                return False
            conn.execute(
                st.update()
                .where(st.c.run_id == run_id, st.c.step_id == step_id)
                .values(
                    cost=st.c.cost + cost,
                    input_tokens=st.c.input_tokens + input_tokens,
                    output_tokens=st.c.output_tokens + output_tokens,
                )
            )
            for body in events:
                self._event(conn, run_id, body)
            if capped:
                conn.execute(
                    runs.update()
                    .where(runs.c.id == run_id)
                    .values(
                        reserved=self._greatest(runs.c.reserved - row.reserved, 0.0),
                        spent=runs.c.spent + cost,
                    )
                )
            if finish is not None:
                self._finish(conn, run_id, step_id, finish)
            return True

        return self._tx(fn)

    def _greatest(self, a: Any, b: Any) -> Any:
        return sa.func.max(a, b) if self.sqlite else sa.func.greatest(a, b)

    def _book_open_attempts(self, conn: Connection, where: Any, status: str) -> int:
        """Close open attempts matching ``where``: a paid call at its reservation, a free one at 0."""
        runs, st, at = self.t["runs"], self.t["steps"], self.t["attempts"]
        rows = conn.execute(
            at.update()
            .where(where, at.c.status == RUNNING)
            .values(
                status=status,
                cost=sa.case((at.c.paid, at.c.reserved), else_=0.0),
                booked=sa.and_(at.c.paid, at.c.reserved > 0),
                finished_at=time.time(),
                error="the worker running this call stopped before it ended",
            )
            .returning(at.c.run_id, at.c.step_id, at.c.reserved, at.c.cost)
        ).fetchall()
        for r in rows:
            conn.execute(
                runs.update()
                .where(runs.c.id == r.run_id, runs.c.max_cost.is_not(None))
                .values(
                    reserved=self._greatest(runs.c.reserved - r.reserved, 0.0),
                    spent=runs.c.spent + r.cost,
                )
            )
            conn.execute(
                st.update()
                .where(st.c.run_id == r.run_id, st.c.step_id == r.step_id)
                .values(cost=st.c.cost + r.cost)
            )
        return len(rows)

    # -- step outcomes -----------------------------------------------------------

    def _finish(self, conn: Connection, run_id: str, step_id: str, finish: Finish) -> None:
        """The step is done: record it, queue what it made ready, end the run after the last step."""
        runs, st = self.t["runs"], self.t["steps"]
        now = time.time()
        row = conn.execute(
            st.update()
            .where(
                st.c.run_id == run_id,
                st.c.step_id == step_id,
                st.c.status.in_([QUEUED, RUNNING]),
            )
            .values(status=DONE, output=finish.output, rounds=finish.rounds, error=None, finished_at=now)
            .returning(st.c.tier, st.c.cost, st.c.started_at)
        ).first()
        if row is None:
            return
        self._event(
            conn,
            run_id,
            {
                "event": "step_done",
                "step": step_id,
                "tier": row.tier,
                "rounds": finish.rounds,
                "attempts": finish.attempts,
                "cost_usd": round(float(row.cost), 6),
                "booked": self._booked_step(conn, run_id, step_id),
                "seconds": round(now - float(row.started_at or now), 3),
                "worker": finish.worker,
            },
        )
        ready: list[str] = []
        if finish.children:
            for r in conn.execute(
                st.update()
                .where(st.c.run_id == run_id, st.c.step_id.in_(list(finish.children)))
                .values(waiting=st.c.waiting - 1)
                .returning(st.c.step_id, st.c.waiting, st.c.status)
            ).fetchall():
                if r.waiting <= 0 and r.status == PENDING:
                    ready.append(r.step_id)
        claimed: list[Claimed] = []
        if ready:
            head = conn.execute(
                sa.select(runs.c.status, runs.c.stopping, runs.c.generation).where(runs.c.id == run_id)
            ).first()
            if head is not None and head.status == RUN_RUNNING and not head.stopping:
                claimed = self._claim(conn, run_id, int(head.generation), ready)
        if self._add_active(conn, run_id, len(claimed) - 1) <= 0:
            self._end(conn, run_id)

    def _booked_step(self, conn: Connection, run_id: str, step_id: str) -> bool:
        at = self.t["attempts"]
        return (
            conn.execute(
                sa.select(at.c.id)
                .where(at.c.run_id == run_id, at.c.step_id == step_id, at.c.booked == sa.true())
                .limit(1)
            ).first()
            is not None
        )

    def fail_step(
        self,
        *,
        run_id: str,
        step_id: str,
        workflow_id: str | None,
        error: str,
        rounds: int,
        attempts: int,
        downstream: Mapping[str, str],
    ) -> None:
        """A step failed: it and every pending step after it (``downstream``: id -> reason) are final."""
        st = self.t["steps"]

        def fn(conn: Connection) -> None:
            where = [st.c.run_id == run_id, st.c.step_id == step_id, st.c.status.in_([QUEUED, RUNNING])]
            if workflow_id is not None:
                where.append(st.c.workflow_id == workflow_id)
            now = time.time()
            row = conn.execute(
                st.update()
                .where(*where)
                .values(status=FAILED, error=error, rounds=rounds, finished_at=now)
                .returning(st.c.tier)
            ).first()
            if row is None:
                return
            self._event(
                conn,
                run_id,
                {"event": "step_failed", "step": step_id, "tier": row.tier, "error": error, "attempts": attempts},
            )
            if downstream:
                for r in conn.execute(
                    st.update()
                    .where(
                        st.c.run_id == run_id,
                        st.c.step_id.in_(list(downstream)),
                        st.c.status == PENDING,
                    )
                    .values(status=SKIPPED, finished_at=now)
                    .returning(st.c.step_id, st.c.tier)
                ).fetchall():
                    conn.execute(
                        st.update()
                        .where(st.c.run_id == run_id, st.c.step_id == r.step_id)
                        .values(error=downstream[r.step_id])
                    )
                    self._event(
                        conn,
                        run_id,
                        {"event": "step_skipped", "step": r.step_id, "tier": r.tier, "reason": downstream[r.step_id]},
                    )
            if self._add_active(conn, run_id, -1) <= 0:
                self._end(conn, run_id)

        self._tx(fn)

    def _release(self, conn: Connection, run_id: str, step_id: str) -> None:
        """A step that may not start (budget or cancel) goes back to pending; the run may end."""
        st = self.t["steps"]
        row = conn.execute(
            st.update()
            .where(
                st.c.run_id == run_id,
                st.c.step_id == step_id,
                st.c.status.in_([QUEUED, RUNNING]),
            )
            .values(status=PENDING)
            .returning(st.c.tier, st.c.started_at)
        ).first()
        if row is None:
            return
        if row.started_at is not None:
            self._event(
                conn, run_id, {"event": "step_interrupted", "step": step_id, "tier": row.tier}
            )
        if self._add_active(conn, run_id, -1) <= 0:
            self._end(conn, run_id)

    def _end(self, conn: Connection, run_id: str) -> str | None:
        """End the run (no step is queued or running any more); returns its final state."""
        runs, st = self.t["runs"], self.t["steps"]
        head = conn.execute(
            sa.select(runs.c.status, runs.c.stopping).where(runs.c.id == run_id).with_for_update()
        ).first()
        if head is None or head.status != RUN_RUNNING:
            return None
        counts: dict[str, int] = {
            str(k): int(v)
            for k, v in conn.execute(
                sa.select(st.c.status, sa.func.count())
                .where(st.c.run_id == run_id)
                .group_by(st.c.status)
            ).fetchall()
        }
        if counts.get(QUEUED, 0) or counts.get(RUNNING, 0):
            return None  # the count says idle, the steps do not: trust the steps
        total = sum(counts.values())
        if head.stopping:
            status = RUN_BUDGET
        elif counts.get(DONE, 0) == total:
            status = RUN_DONE
        else:
            status = RUN_FAILED
        conn.execute(
            runs.update()
            .where(runs.c.id == run_id)
            .values(status=status, finished_at=time.time(), message=head.stopping, active=0)
        )
        self._end_event(conn, run_id, status, counts, head.stopping)
        return status

    def _end_event(
        self,
        conn: Connection,
        run_id: str,
        status: str,
        counts: Mapping[str, int],
        message: str | None,
    ) -> None:
        runs, st, at = self.t["runs"], self.t["steps"], self.t["attempts"]
        est = conn.execute(sa.select(runs.c.estimated_cost).where(runs.c.id == run_id)).scalar()
        spent, booked = conn.execute(
            sa.select(
                sa.func.coalesce(sa.func.sum(at.c.cost), 0.0),
                sa.func.coalesce(sa.func.sum(sa.case((at.c.booked, at.c.cost), else_=0.0)), 0.0),
            ).where(at.c.run_id == run_id)
        ).first() or (0.0, 0.0)
        span = conn.execute(
            sa.select(sa.func.min(st.c.started_at), sa.func.max(st.c.finished_at)).where(
                st.c.run_id == run_id
            )
        ).first()
        makespan = (
            max(float(span[1]) - float(span[0]), 0.0)
            if span is not None and span[0] is not None and span[1] is not None
            else 0.0
        )
        self._event(
            conn,
            run_id,
            {
                "event": "run_end",
                "status": status,
                "done": counts.get(DONE, 0),
                "failed": counts.get(FAILED, 0),
                "skipped": counts.get(SKIPPED, 0),
                "pending": counts.get(PENDING, 0) + counts.get(QUEUED, 0) + counts.get(RUNNING, 0),
                "cost_usd": round(float(spent), 6),
                "booked_usd": round(float(booked), 6),
                "estimated_cost_usd": round(float(est or 0.0), 6),
                "makespan_s": round(makespan, 3),
                "message": message,
            },
        )

    def cancel_run(self, run_id: str, reason: str) -> list[str]:
        """Stop a run for good; returns the workflow ids to cancel in DBOS.

        Queued and running steps go back to pending (a resume runs them) and
        calls in flight are booked at their reservation, all in one
        transaction, so the run's record and budget are final at once even if
        a worker running one of its steps is gone.
        """
        runs, st, at = self.t["runs"], self.t["steps"], self.t["attempts"]

        def fn(conn: Connection) -> list[str]:
            head = self._lock_run(conn, run_id)
            if head.status != RUN_RUNNING:
                raise PlannerError(f"run '{run_id}' is not running (it is {head.status})")
            gen = int(head.generation)
            self._book_open_attempts(conn, at.c.run_id == run_id, "interrupted")
            rows = conn.execute(
                st.update()
                .where(st.c.run_id == run_id, st.c.status.in_([QUEUED, RUNNING]))
                .values(status=PENDING)
                .returning(st.c.step_id, st.c.tier, st.c.workflow_id, st.c.started_at)
            ).fetchall()
            for r in rows:
                if r.started_at is not None:
                    self._event(
                        conn, run_id, {"event": "step_interrupted", "step": r.step_id, "tier": r.tier}
                    )
            conn.execute(
                runs.update()
                .where(runs.c.id == run_id)
                .values(
                    status=RUN_CANCELLED,
                    stopping=reason,
                    message=reason,
                    finished_at=time.time(),
                    active=0,
                    reserved=0.0,
                )
            )
            counts: dict[str, int] = {
                str(k): int(v)
                for k, v in conn.execute(
                    sa.select(st.c.status, sa.func.count())
                    .where(st.c.run_id == run_id)
                    .group_by(st.c.status)
                ).fetchall()
            }
            self._end_event(conn, run_id, RUN_CANCELLED, counts, reason)
            ids = [run_workflow_id(run_id, gen)]
            ids.extend(r.workflow_id for r in rows if r.workflow_id)
            return ids

        return self._tx(fn)

    def active_step_workflows(self, run_id: str) -> dict[str, str]:
        """Workflow id -> step id for the run's queued and running steps."""
        st = self.t["steps"]

        def fn(conn: Connection) -> dict[str, str]:
            rows = conn.execute(
                sa.select(st.c.step_id, st.c.workflow_id).where(
                    st.c.run_id == run_id, st.c.status.in_([QUEUED, RUNNING])
                )
            ).fetchall()
            return {r.workflow_id: r.step_id for r in rows if r.workflow_id}

        return self._tx(fn)

    # -- events -------------------------------------------------------------------

    def events_after(self, run_id: str, cursor: int, limit: int = 20000) -> list[tuple[int, dict[str, Any]]]:
        ev = self.t["events"]

        def fn(conn: Connection) -> list[tuple[int, dict[str, Any]]]:
            rows = conn.execute(
                sa.select(ev.c.id, ev.c.body)
                .where(ev.c.run_id == run_id, ev.c.id > cursor)
                .order_by(ev.c.id)
                .limit(limit)
            ).fetchall()
            return [(int(r.id), json.loads(r.body)) for r in rows]

        return self._tx(fn)

    def last_event_id(self, run_id: str) -> int:
        ev = self.t["events"]

        def fn(conn: Connection) -> int:
            value = conn.execute(
                sa.select(sa.func.max(ev.c.id)).where(ev.c.run_id == run_id)
            ).scalar()
            return int(value or 0)

        return self._tx(fn)

    # -- workers --------------------------------------------------------------------

    def register_worker(self, worker_id: str, host: str, pid: int, version: str, works: bool) -> None:
        wk = self.t["workers"]

        def fn(conn: Connection) -> None:
            conn.execute(wk.delete().where(wk.c.id == worker_id))
            conn.execute(
                wk.insert().values(
                    id=worker_id,
                    host=host,
                    pid=pid,
                    version=version,
                    started_at=time.time(),
                    beat_at=self._now_sql(),
                    state=ALIVE,
                    works=works,
                )
            )

        self._tx(fn)

    def heartbeat(self, worker_id: str, state: str | None = None) -> bool:
        """Renew this worker's lease; False when another worker has declared it dead."""
        wk = self.t["workers"]

        def fn(conn: Connection) -> bool:
            values: dict[str, Any] = {"beat_at": self._now_sql()}
            if state is not None:
                values["state"] = state
            row = conn.execute(
                wk.update()
                .where(wk.c.id == worker_id, wk.c.state.in_([ALIVE, DRAINING]))
                .values(**values)
                .returning(wk.c.id)
            ).first()
            return row is not None

        return self._tx(fn)

    def leave(self, worker_id: str) -> None:
        """This worker stops for good: what it still holds is free for the others at once."""
        wk = self.t["workers"]

        def fn(conn: Connection) -> None:
            conn.execute(
                wk.update()
                .where(wk.c.id == worker_id, wk.c.state.in_([ALIVE, DRAINING]))
                .values(state=GONE, beat_at=self._now_sql())
            )

        self._tx(fn)

    def claim_dead(self, worker_id: str, lease_s: float, version: str) -> list[tuple[str, bool]]:
        """Declare workers whose lease ran out (or who left) dead, and book their open calls.

        One transaction, so of several live workers exactly one recovers each
        dead one. Returns (id, silent) pairs, ``silent`` False for a worker
        that left on its own; the caller hands their pending workflows to
        DBOS's recovery.
        """
        wk, at = self.t["workers"], self.t["attempts"]

        def fn(conn: Connection) -> list[tuple[str, bool]]:
            now = self._now_sql()
            rows = conn.execute(
                wk.update()
                .where(
                    wk.c.id != worker_id,
                    # DBOS recovers only workflows of its own version: leave the others'
                    # dead to a worker that can take their work.
                    wk.c.version == version,
                    sa.or_(
                        sa.and_(wk.c.state.in_([ALIVE, DRAINING]), wk.c.beat_at < now - lease_s),
                        wk.c.state == GONE,
                    ),
                )
                .values(state=DEAD, recovered_by=worker_id, recovered_at=time.time())
                .returning(wk.c.id, wk.c.beat_at < now - lease_s)
            ).fetchall()
            dead = [(str(r[0]), bool(r[1])) for r in rows]
            if dead:
                self._book_open_attempts(conn, at.c.worker.in_([d for d, _ in dead]), "lost")
            return dead

        return self._tx(fn)

    def workers(self) -> list[dict[str, Any]]:
        """Every worker row, with the age of its heartbeat in seconds."""
        wk = self.t["workers"]

        def fn(conn: Connection) -> list[dict[str, Any]]:
            now = self._now_sql()
            rows = conn.execute(
                sa.select(wk, (now - wk.c.beat_at).label("age")).order_by(wk.c.started_at)
            ).fetchall()
            return [dict(r._mapping) for r in rows]

        return self._tx(fn)

    # -- reads for `planner runs` (the local journal's interface) -----------------

    def get_run(self, run_id: str) -> RunRow | None:
        row = self.run_row(run_id)
        return _run_row(row) if row is not None else None

    def runs(self, limit: int | None = None) -> list[RunRow]:
        runs = self.t["runs"]

        def fn(conn: Connection) -> list[RunRow]:
            q = sa.select(runs).order_by(runs.c.created_at.desc(), runs.c.id.desc())
            if limit:
                q = q.limit(limit)
            return [_run_row(r) for r in conn.execute(q).fetchall()]

        return self._tx(fn)

    def run_ids(self) -> list[str]:
        runs = self.t["runs"]

        def fn(conn: Connection) -> list[str]:
            return [str(r.id) for r in conn.execute(sa.select(runs.c.id)).fetchall()]

        return self._tx(fn)

    def steps(self, run_id: str) -> dict[str, StepRow]:
        st = self.t["steps"]

        def fn(conn: Connection) -> dict[str, StepRow]:
            rows = conn.execute(
                sa.select(st).where(st.c.run_id == run_id).order_by(st.c.position)
            ).fetchall()
            return {
                r.step_id: StepRow(
                    run_id=r.run_id,
                    step_id=r.step_id,
                    position=r.position,
                    # A queued step is pending to everyone but the engine.
                    status=PENDING if r.status == QUEUED else r.status,
                    tier=r.tier,
                    model=r.model,
                    rounds=r.rounds,
                    attempts=r.attempts,
                    output=r.output,
                    output_path=r.output_path,
                    input_tokens=int(r.input_tokens),
                    output_tokens=int(r.output_tokens),
                    estimated_cost=float(r.estimated_cost),
                    cost=float(r.cost),
                    error=r.error,
                    started_at=r.started_at,
                    finished_at=r.finished_at,
                )
                for r in rows
            }

        return self._tx(fn)

    def step_workers(self, run_id: str) -> dict[str, str | None]:
        st = self.t["steps"]

        def fn(conn: Connection) -> dict[str, str | None]:
            rows = conn.execute(
                sa.select(st.c.step_id, st.c.worker).where(st.c.run_id == run_id)
            ).fetchall()
            return {r.step_id: r.worker for r in rows}

        return self._tx(fn)

    def attempts(self, run_id: str) -> list[dict[str, Any]]:
        at = self.t["attempts"]
        cols = [
            at.c.step_id,
            at.c.attempt,
            at.c.round,
            at.c.status,
            at.c.reserved,
            at.c.cost,
            at.c.input_tokens,
            at.c.output_tokens,
            at.c.error,
            at.c.started_at,
            at.c.finished_at,
            at.c.worker,
            at.c.booked,
        ]

        def fn(conn: Connection) -> list[dict[str, Any]]:
            rows = conn.execute(sa.select(*cols).where(at.c.run_id == run_id).order_by(at.c.id))
            return [dict(r._mapping) for r in rows.fetchall()]

        return self._tx(fn)

    def booked(self, run_id: str) -> dict[str, float]:
        """Per step, the part of its cost booked at a call's worst case rather than measured."""
        at = self.t["attempts"]

        def fn(conn: Connection) -> dict[str, float]:
            rows = conn.execute(
                sa.select(at.c.step_id, sa.func.sum(at.c.cost))
                .where(at.c.run_id == run_id, at.c.booked == sa.true())
                .group_by(at.c.step_id)
            ).fetchall()
            return {str(r[0]): float(r[1]) for r in rows}

        return self._tx(fn)

    def spent(self, run_id: str) -> float:
        """What the run's calls cost, booked or measured (the ledger's ``spent`` for capped runs)."""
        at = self.t["attempts"]

        def fn(conn: Connection) -> float:
            value = conn.execute(
                sa.select(sa.func.coalesce(sa.func.sum(at.c.cost), 0.0)).where(at.c.run_id == run_id)
            ).scalar()
            return float(value or 0.0)

        return self._tx(fn)

    def totals(self, run_id: str) -> dict[str, Any]:
        st = self.t["steps"]

        def fn(conn: Connection) -> dict[str, Any]:
            counts: dict[str, int] = {}
            for status, n in conn.execute(
                sa.select(st.c.status, sa.func.count())
                .where(st.c.run_id == run_id)
                .group_by(st.c.status)
            ).fetchall():
                key = PENDING if status == QUEUED else status
                counts[key] = counts.get(key, 0) + int(n)
            cost, est = conn.execute(
                sa.select(
                    sa.func.coalesce(sa.func.sum(st.c.cost), 0.0),
                    sa.func.coalesce(sa.func.sum(st.c.estimated_cost), 0.0),
                ).where(st.c.run_id == run_id)
            ).first() or (0.0, 0.0)
            return {"counts": counts, "cost_usd": float(cost), "estimated_cost_usd": float(est)}

        return self._tx(fn)


def _run_row(r: Any) -> RunRow:
    return RunRow(
        id=r.id,
        created_at=r.created_at,
        updated_at=r.updated_at,
        finished_at=r.finished_at,
        status=r.status,
        backend=r.backend,
        plan_path=r.plan_path,
        plan_hash=r.plan_hash,
        plan_json=r.plan_json,
        task=r.task,
        max_cost=r.max_cost,
        estimated_cost=float(r.estimated_cost),
        message=r.message,
    )


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(exc).__name__


def workflow_prefix(run_id: str, generation: int) -> str:
    return f"planner/{run_id}/{generation}/"


def run_workflow_id(run_id: str, generation: int) -> str:
    """The run's own workflow: one per generation (each resume starts a new one)."""
    return f"planner/{run_id}/{generation}"


def step_workflow_id(run_id: str, generation: int, step_id: str) -> str:
    return f"{workflow_prefix(run_id, generation)}{step_id}"
