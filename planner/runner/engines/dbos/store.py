"""The dbos engine's record: runs, steps, attempts, events and workers.

These tables live in the same database as DBOS's own (schema ``planner`` on
PostgreSQL, beside schema ``dbos``; the same file on SQLite). They are the
record ``planner runs`` reads for a dbos run, with the columns of the local
journal, plus what many workers need to share:

* the run's budget (``spent`` and ``reserved`` on its row): a call reserves
  its worst case in one transaction before it starts and settles in another
  after it ends, each an atomic update of the run row, so any number of
  workers together never pass ``--max-cost``;
* each step's count of unfinished dependencies, so the worker that finishes a
  step's last dependency queues it, and the worker that finishes the last
  step ends the run;
* the items of a ``for_each`` step, a row each (``migrate[3]``) holding its
  input and then its result, queued a window at a time (the step's
  ``max_parallel``, and no more than its tier may run at once): the worker
  that finishes an item queues the next one, and the one that finishes the
  last item puts the step's result together;
* heartbeats, so a live worker can tell a dead one and recover its work;
* events, which the submitter follows to show progress.

Many workers write one run at once, so nothing a step does as a matter of
course writes a row every step shares: a run's end is found by asking whether
any step is still queued or running, and only when few are (the last steps,
see ``_LAST_FEW``) do their transactions take the run row's lock, so that of
two steps ending together exactly one sees the other finished. A capped run's
budget is the exception: every reservation and settle updates its ledger row,
as late in its transaction as it can, to hold the lock briefly.

Transactions that lose the database connection are retried until it returns
(a worker pauses, it does not fail), and each one is written so that running
it twice does no harm: an attempt has a unique key, a settle only closes an
attempt that is still open, a step finishes once. The statements on the path
of every step are built once per process (building a SQLAlchemy statement
costs several times what executing a prepared one does).
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
# When at most this many steps of a run (or items of a fan-out) are still
# queued or running, a finishing one takes the run's (the fan-out's) row lock
# and looks again: two finishing together then see each other's result, so
# one of them ends the run. Above it, nobody can be the last, and nobody
# queues behind a lock. More finishing at the very same moment than this is
# what the run workflow's check (poll_end) is there for.
_LAST_FEW = 32

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
        # Longest estimated path from here to the end: its rank is the queue priority.
        sa.Column("priority", sa.Integer, nullable=False, server_default="0"),
        sa.Column("path_s", sa.Float, nullable=False, server_default="0"),
        sa.Column("workflow_id", sa.Text),
        # The step (or item) whose workflow went on with this one (see Store._dispatch).
        sa.Column("follows", sa.Text),
        sa.Column("worker", sa.Text),
        # The part of ``cost`` booked at a call's worst case rather than measured.
        sa.Column("booked_cost", sa.Float, nullable=False, server_default="0"),
        # A for_each step: JSON {"from", "window", "structured", "children"} (fan_out_spec);
        # ``item_count`` is how many items its source's list had when it was expanded.
        sa.Column("fan_out", sa.Text),
        sa.Column("item_count", sa.Integer),
        # An item of a for_each step: its step, its number (from 1) and its input.
        sa.Column("parent", sa.Text),
        sa.Column("item", sa.Integer),
        sa.Column("item_input", sa.Text),
        # Finding what is still queued or running (the run's end), and a fan-out's next items.
        sa.Index("steps_by_status", "run_id", "status"),
        sa.Index("steps_by_parent", "run_id", "parent", "status", "item"),
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
        # The call this attempt made, the same in every execution of its step's
        # workflow (workflow/round/number), and what the call came to (JSON): a
        # replay of the workflow gets it back instead of calling again.
        sa.Column("call_key", sa.Text),
        sa.Column("outcome", sa.Text),
        sa.Index("attempts_by_step", "run_id", "step_id"),
        sa.Index("attempts_by_call", "call_key"),
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
        # The worker's own lease: others judge its silence by it, not by theirs (a
        # submitter on the default lease beside workers on a short one is not dead
        # between its heartbeats). Empty for rows of an older planner.
        sa.Column("lease_s", sa.Float),
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
class StepSpec:
    """A plan step as the record keeps it."""

    step_id: str
    tier: str
    model: str
    estimated_cost: float
    depends_on: Sequence[str]
    # Queue priority: 1 starts first (the longest estimated path ahead, ``path_s``).
    priority: int
    path_s: float = 0.0
    # A for_each step: {"from", "window", "structured", "children"} (see fan_out_spec).
    fan_out: Mapping[str, Any] | None = None


def fan_out_spec(source: str, window: int, structured: bool, children: Sequence[str]) -> dict[str, Any]:
    """What the record needs to run a for_each step's items without its plan.

    ``window``: how many of its items are queued at once, the step's
    ``max_parallel`` and at most what its tier may run at once (more would
    only wait on the queue, each a DBOS workflow written for nothing).
    """
    return {"from": source, "window": window, "structured": structured, "children": list(children)}


@dataclass(frozen=True)
class Claimed:
    """A step (or item) a transaction moved to the queue: the workflow to enqueue for it."""

    step_id: str
    tier: str
    workflow_id: str
    priority: int
    # The workflow that queued it may go on with it (see Store._dispatch).
    followable: bool = False


@dataclass(frozen=True)
class Inputs:
    """What a call's prompt is built from, read in its reservation's transaction:
    the outputs of the dependencies asked for and, for an item, (number, count, input)."""

    outputs: Mapping[str, str]
    item: tuple[int, int, str] | None = None


@dataclass(frozen=True)
class Reservation:
    """The answer to a reservation: ``ok``, ``wait`` (others hold budget), ``stop`` or ``done``."""

    outcome: str
    attempt: int = 0
    reason: str | None = None
    # The run has a --max-cost: its settle updates the shared ledger.
    capped: bool = False
    # What was reserved, and the value ``price`` returned with it (the prompt).
    amount: float = 0.0
    priced: Any = None


@dataclass(frozen=True)
class Finish:
    """A step's completion, recorded with its last call's settle."""

    output: str
    rounds: int
    attempts: int
    children: Sequence[str]
    worker: str


@dataclass(frozen=True)
class Settled:
    """A settle's outcome: whether it closed its attempt, and what it queued."""

    closed: bool
    claimed: Sequence[Claimed] = ()
    # The step (or item) the settling workflow goes on with itself (see Store._dispatch).
    follow: str | None = None
    # It goes on with none (none was waiting to be adopted): when its slot frees, its
    # worker should claim from the queue at once rather than leave a step queued
    # meanwhile to a poll.
    waiting: bool = False


@dataclass(frozen=True)
class Follow:
    """A workflow that may go on with a step it queues: its id and its queue's tier."""

    workflow_id: str
    tier: str
    # The step (or item) it has just finished.
    after: str = ""


class _NoFit(Exception):
    """A capped reservation that does not fit: its transaction is rolled back."""


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




_ATTEMPT_COLUMNS = (
    "key", "call_key", "run_id", "step_id", "attempt", "round", "status", "reserved", "started_at", "worker", "paid"
)


def _bp(name: str, type_: Any = None) -> Any:
    return sa.bindparam(name, type_=type_)


class _Sql:
    """The statements on every step's path, built once (see the module docstring).

    Parameters are named ``p_*``: SQLAlchemy keeps column names for the
    values it binds itself.
    """

    def __init__(self, t: Mapping[str, sa.Table], sqlite: bool) -> None:
        runs, st, at, ev = t["runs"], t["steps"], t["attempts"], t["events"]
        run, step = st.c.run_id == _bp("p_run"), st.c.step_id == _bp("p_step")
        live = [runs.c.id == st.c.run_id, runs.c.status == RUN_RUNNING, runs.c.stopping.is_(None)]
        started = dict(
            attempts=st.c.attempts + 1,
            status=RUNNING,
            started_at=sa.func.coalesce(st.c.started_at, _bp("p_now", sa.Float)),
            error=None,
            worker=_bp("p_worker"),
        )
        out = (st.c.attempts, st.c.tier, st.c.parent, st.c.item, st.c.item_input)
        # A reservation opens the step: its first call (queued) or a later one (running).
        # The run must still be starting calls; only its row is read for that.
        self.open_first = (
            st.update()
            .where(run, step, st.c.workflow_id == _bp("p_wf"), st.c.status == QUEUED, *live)
            .values(**started)
            .returning(*out)
        )
        self.open_again = (
            st.update()
            .where(run, step, st.c.workflow_id == _bp("p_wf"), st.c.status == RUNNING, *live)
            .values(**started)
            .returning(*out)
        )
        self.step_and_run = (
            sa.select(
                st.c.status,
                st.c.workflow_id,
                st.c.output,
                runs.c.status.label("run_status"),
                runs.c.stopping,
            )
            .join(runs, runs.c.id == st.c.run_id)
            .where(run, step)
        )
        # A for_each step starts with its first item in a generation: its ``worker`` is
        # cleared when it is expanded (the start time of its first generation is kept).
        self.parent_start = (
            st.update()
            .where(run, st.c.step_id == _bp("p_parent"), st.c.worker.is_(None))
            .values(
                started_at=sa.func.coalesce(st.c.started_at, _bp("p_now", sa.Float)),
                worker=_bp("p_worker"),
            )
            .returning(st.c.tier)
        )
        self.inputs = sa.select(st.c.step_id, st.c.output, st.c.item_count).where(
            run, st.c.step_id.in_(sa.bindparam("p_ids", expanding=True))
        )
        self.attempt_by_key = sa.select(at.c.attempt).where(at.c.key == _bp("p_key"))
        self.recorded = (
            sa.select(at.c.status, at.c.outcome)
            .where(at.c.call_key == _bp("p_call"))
            .order_by(at.c.id.desc())
            .limit(1)
        )
        self.item_row = sa.select(st.c.parent, st.c.item, st.c.item_input).where(run, step)
        self.fit = (
            runs.update()
            .where(
                runs.c.id == _bp("p_run"),
                runs.c.status == RUN_RUNNING,
                runs.c.stopping.is_(None),
                runs.c.spent + runs.c.reserved + _bp("p_amount", sa.Float) <= runs.c.max_cost + _EPS,
            )
            .values(reserved=runs.c.reserved + _bp("p_amount", sa.Float))
            .returning(runs.c.id)
        )
        self.insert_attempt = at.insert()
        self.insert_event = ev.insert()
        # An attempt and an event in one statement (PostgreSQL runs an INSERT inside WITH).
        self.attempt_and_event: Any = None
        if not sqlite:
            opened = at.insert().values({c: _bp(f"a_{c}") for c in _ATTEMPT_COLUMNS}).cte("opened")
            self.attempt_and_event = (
                ev.insert().values(run_id=_bp("e_run_id"), body=_bp("e_body")).add_cte(opened)
            )
        # Settling: close the attempt, add its cost to the step (finishing it, on the last call).
        self.close = (
            at.update()
            .where(at.c.key == _bp("p_key"), at.c.status == RUNNING)
            .values(
                status=_bp("p_status"),
                cost=_bp("p_cost", sa.Float),
                input_tokens=_bp("p_in", sa.BigInteger),
                output_tokens=_bp("p_out", sa.BigInteger),
                error=_bp("p_error"),
                booked=_bp("p_booked", sa.Boolean),
                finished_at=_bp("p_now", sa.Float),
                outcome=_bp("p_outcome"),
            )
            .returning(at.c.reserved)
        )
        self.followed_by = sa.select(st.c.step_id).where(
            run, st.c.follows == _bp("p_after"), st.c.workflow_id == _bp("p_wf")
        )
        costs = dict(
            cost=st.c.cost + _bp("p_cost", sa.Float),
            input_tokens=st.c.input_tokens + _bp("p_in", sa.BigInteger),
            output_tokens=st.c.output_tokens + _bp("p_out", sa.BigInteger),
            booked_cost=st.c.booked_cost + _bp("p_booked_cost", sa.Float),
        )
        self.add_cost = st.update().where(run, step).values(**costs)
        self.finish = (
            st.update()
            .where(run, step, st.c.status.in_([QUEUED, RUNNING]))
            .values(
                **costs,
                status=DONE,
                output=_bp("p_output"),
                rounds=_bp("p_rounds", sa.Integer),
                error=None,
                finished_at=_bp("p_now", sa.Float),
            )
            .returning(st.c.tier, st.c.cost, st.c.started_at, st.c.booked_cost, st.c.parent, st.c.item)
        )
        self.settle_ledger = (
            runs.update()
            .where(runs.c.id == _bp("p_run"))
            .values(
                reserved=sa.case(
                    (runs.c.reserved > _bp("p_reserved", sa.Float), runs.c.reserved - _bp("p_reserved", sa.Float)),
                    else_=0.0,
                ),
                spent=runs.c.spent + _bp("p_cost", sa.Float),
            )
        )
        # The longest path ahead of any step of the row's tier waiting on its queue: a
        # workflow goes on with a step it queued only when none waiting is more urgent.
        waiter = st.alias("waiter")
        waiting_path = (
            sa.select(sa.func.max(waiter.c.path_s))
            .where(waiter.c.run_id == st.c.run_id, waiter.c.status == QUEUED, waiter.c.tier == st.c.tier)
            .scalar_subquery()
            .label("waiting_path")
        )
        # After a step: its dependents one dependency closer; those at none are queued.
        self.children = (
            st.update()
            .where(run, st.c.step_id.in_(sa.bindparam("p_ids", expanding=True)))
            .values(waiting=st.c.waiting - 1)
            .returning(
                st.c.step_id,
                st.c.waiting,
                st.c.status,
                st.c.tier,
                st.c.priority,
                st.c.fan_out,
                st.c.path_s,
                waiting_path,
            )
        )
        self.head = sa.select(runs.c.status, runs.c.stopping, runs.c.generation).where(
            runs.c.id == _bp("p_run")
        )
        # Only while the run starts steps; the workflow ids carry its generation (workflow_prefix).
        ready = [run, st.c.status == PENDING, st.c.waiting <= 0, st.c.parent.is_(None), *live]
        prefix = sa.literal("planner/") + st.c.run_id + "/" + sa.cast(runs.c.generation, sa.Text) + "/"
        # A for_each step is not queued itself: it goes straight to running and its items are.
        # One step may be picked to run in the workflow that queues it (Store._dispatch).
        picked = st.c.step_id == _bp("p_pick")
        claim_values = dict(
            status=sa.case((st.c.fan_out.is_(None), QUEUED), else_=RUNNING),
            workflow_id=sa.case(
                (st.c.fan_out.is_not(None), None), (picked, _bp("p_wf")), else_=prefix + st.c.step_id
            ),
            follows=sa.case((picked, _bp("p_after")), else_=None),
        )
        claim_out = (
            st.c.step_id, st.c.tier, st.c.model, st.c.workflow_id, st.c.priority, st.c.fan_out, st.c.path_s
        )
        self.claim_all = st.update().where(*ready).values(**claim_values).returning(*claim_out)
        self.claim_among = (
            st.update()
            .where(*ready, st.c.step_id.in_(sa.bindparam("p_ids", expanding=True)))
            .values(**claim_values)
            .returning(*claim_out)
        )
        active = st.c.status.in_([QUEUED, RUNNING])
        self.few_active = sa.select(sa.func.count()).select_from(
            sa.select(sa.literal(1)).where(run, active).limit(_LAST_FEW + 1).subquery()
        )
        self.any_active = sa.select(st.c.step_id).where(run, active).limit(1)
        # Below a fan-out (see poll_end): anything queued or running that is not a for_each step itself.
        self.any_leaf_active = sa.select(st.c.step_id).where(run, active, st.c.fan_out.is_(None)).limit(1)
        self.lock_run = sa.select(runs.c.status, runs.c.stopping).where(runs.c.id == _bp("p_run")).with_for_update()
        # Items of a for_each step.
        parent = st.c.parent == _bp("p_parent")
        self.fan_row = sa.select(
            st.c.status, st.c.fan_out, st.c.item_count, st.c.tier, st.c.started_at
        ).where(run, st.c.step_id == _bp("p_parent"))
        self.lock_fan_row = self.fan_row.with_for_update()
        self.item_counts = sa.select(
            sa.select(sa.func.count()).where(run, parent, active).scalar_subquery(),
            sa.select(sa.func.count())
            .select_from(
                sa.select(sa.literal(1)).where(run, parent, st.c.status == PENDING).limit(1).subquery()
            )
            .scalar_subquery(),
        )
        inner = st.alias("pick")
        pick = (
            sa.select(inner.c.step_id.label("sid"))
            .where(
                inner.c.run_id == _bp("p_run"),
                inner.c.parent == _bp("p_parent"),
                inner.c.status == PENDING,
                inner.c.item <= _bp("p_count", sa.Integer),
            )
            .order_by(inner.c.item)
            .limit(_bp("p_n", sa.Integer))
            # Two workers finishing items at once take different next ones.
            .with_for_update(skip_locked=True)
            # Picked once: as a subquery of the UPDATE, PostgreSQL may run it again
            # for each row and pick past the limit.
            .cte("picked")
            .prefix_with("MATERIALIZED", dialect="postgresql")
        )
        self.claim_items = (
            st.update()
            .where(run, st.c.status == PENDING, st.c.step_id == pick.c.sid)
            .values(status=QUEUED, workflow_id=_bp("p_prefix") + st.c.step_id)
            .returning(st.c.step_id, st.c.tier, st.c.workflow_id, st.c.priority, st.c.path_s, waiting_path)
        )


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
        self.q = _Sql(self.t, self.sqlite)
        self.engine = self._make_engine()
        self._trouble_since: float | None = None
        self._trouble_lock = threading.Lock()
        # When the database last came back after being unreachable (monotonic clock).
        self.last_trouble_end: float | None = None
        # Enqueues claimed steps' workflows inside the claiming transaction (set by
        # the runtime, which owns DBOS): a step is queued in the record exactly
        # when its workflow is on a DBOS queue.
        self.enqueuer: Callable[[Connection, str, list[Claimed]], None] | None = None
        # Removes the next not-yet-claimed entry from a run's tier queue, in the
        # caller's transaction; returns its workflow id (see _adopt).
        self.adopter: Callable[[Connection, str, str], str | None] | None = None

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
        # No ping before each checkout (a round trip per transaction): a
        # connection the server dropped fails its statement, the pool is
        # invalidated, and _tx runs the transaction again on a fresh one.
        return sa.create_engine(
            self.url,
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
        """Create the tables when missing, and add what a newer planner needs to older ones
        (safe with many workers starting at once)."""

        def fn(conn: Connection) -> None:
            if not self.sqlite:
                # One creator at a time: concurrent CREATEs of one type collide in PostgreSQL.
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7151612)"))
                conn.execute(sa.text("CREATE SCHEMA IF NOT EXISTS planner"))
            self.md.create_all(conn)
            inspector = sa.inspect(conn)
            for table in self.md.sorted_tables:
                have = {c["name"] for c in inspector.get_columns(table.name, schema=self.schema)}
                for column in table.columns:
                    if column.name not in have:
                        ddl = sa.schema.CreateColumn(column).compile(dialect=conn.dialect)
                        conn.execute(sa.text(f"ALTER TABLE {self._qualified(table)} ADD COLUMN {ddl}"))
                for index in table.indexes:
                    index.create(conn, checkfirst=True)

        self._tx(fn)

    def _qualified(self, table: sa.Table) -> str:
        prep = self.engine.dialect.identifier_preparer
        return prep.format_table(table)


    def _event(self, conn: Connection, run_id: str, body: Mapping[str, Any]) -> None:
        self._events(conn, run_id, [body])

    def _events(self, conn: Connection, run_id: str, bodies: Sequence[Mapping[str, Any]]) -> None:
        if bodies:
            conn.execute(self.q.insert_event, [self._event_row(run_id, b) for b in bodies])

    @staticmethod
    def _event_row(run_id: str, body: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
        payload = {"time": round(time.time(), 3), "run_id": run_id, **body}
        return {f"{prefix}run_id": run_id, f"{prefix}body": json.dumps(payload, ensure_ascii=False)}

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
        steps: Sequence[StepSpec],
        start_event: Mapping[str, Any],
    ) -> None:
        """A new run with its steps, all pending."""
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
                    estimated_cost=sum(s.estimated_cost for s in steps),
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
                        "step_id": s.step_id,
                        "position": i,
                        "status": PENDING,
                        "tier": s.tier,
                        "model": s.model,
                        "estimated_cost": s.estimated_cost,
                        "waiting": len(s.depends_on),
                        "depends_on": json.dumps(list(s.depends_on)),
                        "priority": s.priority,
                        "path_s": s.path_s,
                        "fan_out": _spec_json(s.fan_out),
                    }
                    for i, s in enumerate(steps)
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
        steps: Sequence[StepSpec],
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

        Finished steps (and finished items of a for_each step) stay finished;
        with ``retry_failed``, failed and skipped ones run again; every other
        step goes back to pending with its count of unfinished dependencies
        recomputed. Attempts left open by a worker that is gone are booked at
        their reservation (a paid call in flight may have been billed).
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
                for i, s in enumerate(steps):
                    changes = {
                        "tier": s.tier,
                        "model": s.model,
                        "estimated_cost": s.estimated_cost,
                        "depends_on": json.dumps(list(s.depends_on)),
                        "priority": s.priority,
                        "path_s": s.path_s,
                        "fan_out": _spec_json(s.fan_out),
                    }
                    if s.step_id in existing:
                        conn.execute(
                            st.update()
                            .where(st.c.run_id == run_id, st.c.step_id == s.step_id)
                            .values(**changes)
                        )
                    else:
                        conn.execute(
                            st.insert().values(
                                run_id=run_id,
                                step_id=s.step_id,
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
                waiting = sum(1 for d in deps if status.get(d) != DONE)
                if r.status == status[r.step_id] and r.waiting == waiting:
                    continue
                conn.execute(
                    st.update()
                    .where(st.c.run_id == run_id, st.c.step_id == r.step_id)
                    .values(
                        status=status[r.step_id],
                        waiting=waiting,
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
                "estimated_cost": sum(s.estimated_cost for s in steps),
                "version": version,
                "settings": json.dumps(settings, sort_keys=True),
                "submitted_by": submitted_by,
            }
            if set_max_cost:
                values["max_cost"] = max_cost
            conn.execute(runs.update().where(runs.c.id == run_id).values(**values))
            done = sum(1 for r in rows if status[r.step_id] == DONE and r.parent is None)
            self._event(conn, run_id, {**start_event, "resuming": done})
            return generation

        return self._tx(fn)

    def claim_ready(self, run_id: str, generation: int) -> list[Claimed]:
        """Queue every pending step whose dependencies are done (the start of a generation).

        The steps are enqueued in DBOS in the same transaction (see
        ``enqueuer``), so a step is never claimed without being enqueued; run
        again after a crash, it finds them queued already and does nothing.
        """

        def fn(conn: Connection) -> list[Claimed]:
            head = conn.execute(self.q.head, {"p_run": run_id}).first()
            if head is None or head.status != RUN_RUNNING or head.stopping:
                return []
            ready = self._claim(conn, run_id, None)
            if not ready:
                self._maybe_end(conn, run_id)
            return self._dispatch(conn, run_id, ready, None)[0]

        return self._tx(fn)

    def _claim(
        self,
        conn: Connection,
        run_id: str,
        among: Sequence[str] | None,
        pick: tuple[str, Follow, str] | None = None,
    ) -> list[Claimed]:
        """Queue ready pending steps (all, or ``among``); a for_each step among them is
        expanded into its items instead. The caller dispatches them (``_dispatch``).
        ``pick``: (step, workflow, after): that step runs in that workflow, after that one."""
        if among is not None and not among:
            return []
        params: dict[str, Any] = {
            "p_run": run_id,
            "p_pick": pick[0] if pick else None,
            "p_wf": pick[1].workflow_id if pick else None,
            "p_after": pick[2] if pick else None,
        }
        if among is None:
            rows = conn.execute(self.q.claim_all, params).fetchall()
        else:
            rows = conn.execute(self.q.claim_among, {**params, "p_ids": list(among)}).fetchall()
        claimed = [
            Claimed(r.step_id, r.tier, r.workflow_id, int(r.priority)) for r in rows if r.fan_out is None
        ]
        fans = [r for r in rows if r.fan_out is not None]
        if fans:
            head = conn.execute(self.q.head, {"p_run": run_id}).one()
            for r in fans:
                claimed.extend(self._expand(conn, run_id, int(head.generation), r))
        return claimed

    def _dispatch(
        self, conn: Connection, run_id: str, claimed: list[Claimed], follow: Follow | None
    ) -> tuple[list[Claimed], str | None]:
        """Put what a transaction queued on the DBOS queues; returns those and the step the
        finishing workflow goes on with itself, if any.

        ``follow``: the workflow whose step (or item) just ended, and its
        tier. It may run one of what it queued on the same tier queue itself,
        in the queue slot it holds, instead of handing it to the queue and
        waiting for it to come round (a chain of steps, the next item of a
        fan-out): that one's row names this workflow, and no DBOS workflow is
        enqueued for it. The one with the longest path ahead is taken, and
        only when no step waiting on that queue has a longer one (the queue
        would start that one first).
        """
        nxt: str | None = None
        if follow is not None:
            taken = [c for c in claimed if c.workflow_id == follow.workflow_id]
            mine = taken or [c for c in claimed if c.tier == follow.tier and c.followable]
            if mine:
                pick = min(mine, key=lambda c: c.priority)
                if not taken:
                    st = self.t["steps"]
                    conn.execute(
                        st.update()
                        .where(st.c.run_id == run_id, st.c.step_id == pick.step_id)
                        .values(workflow_id=follow.workflow_id, follows=follow.after)
                    )
                nxt = pick.step_id
                claimed = [c for c in claimed if c is not pick]
        if claimed and self.enqueuer is not None:
            self.enqueuer(conn, run_id, claimed)
        if follow is not None and nxt is None:
            nxt = self._adopt(conn, run_id, follow)
        return claimed, nxt

    def adopt(self, run_id: str, follow: Follow) -> tuple[str | None, bool]:
        """A workflow waiting in its slot for work of its tier (workflows._linger): take
        the step its queue would start next, if any (``_adopt``). Returns that step,
        and whether any step of the tier is still to come (else it need not wait)."""
        st = self.t["steps"]

        def fn(conn: Connection) -> tuple[str | None, bool]:
            head = conn.execute(self.q.head, {"p_run": run_id}).first()
            if head is None or head.status != RUN_RUNNING or head.stopping:
                return None, False
            nxt = self._adopt(conn, run_id, follow)
            if nxt is not None:
                return nxt, True
            more = conn.execute(
                sa.select(st.c.step_id)
                .where(st.c.run_id == run_id, st.c.tier == follow.tier, st.c.status == PENDING)
                .limit(1)
            ).first()
            return None, more is not None

        return self._tx(fn)

    def _adopt(self, conn: Connection, run_id: str, follow: Follow) -> str | None:
        """The finishing workflow has nothing of its own to go on with: take over the step
        (or item) its tier queue would start next, if one waits there not yet claimed.

        Its DBOS entry is removed in this transaction (``adopter``; a worker
        claiming it at this moment holds its row, and then it is left to that
        worker) and its row names this workflow, as when a workflow goes on
        with a step it queued itself: it starts in the slot this workflow
        holds, with no queue hop (claim, start, end) and no wait for a poll.
        """
        if self.adopter is None:
            return None
        taken = self.adopter(conn, run_id, follow.tier)
        if taken is None:
            return None
        st = self.t["steps"]
        row = conn.execute(
            st.update()
            .where(st.c.run_id == run_id, st.c.workflow_id == taken, st.c.status == QUEUED)
            .values(workflow_id=follow.workflow_id, follows=follow.after)
            .returning(st.c.step_id)
        ).first()
        # No queued row: a stale entry (its step ended otherwise); removing it lost nothing.
        return str(row.step_id) if row is not None else None

    # -- for_each steps -------------------------------------------------------------

    def _expand(self, conn: Connection, run_id: str, generation: int, row: Any) -> list[Claimed]:
        """A for_each step became ready: a row per item of its source's list, the first
        ``window`` of them queued. Items finished before (a resume) stay finished."""
        from planner.plan.contracts import item_text, items_of
        from planner.runner.rounds import item_id

        st = self.t["steps"]
        spec = json.loads(row.fan_out)
        source = str(spec["from"])
        text = conn.execute(
            sa.select(st.c.output).where(st.c.run_id == run_id, st.c.step_id == source)
        ).scalar()
        try:
            items = items_of(text or "")
        except ValueError as exc:
            self._fail_row(
                conn,
                run_id,
                row.step_id,
                row.tier,
                f"for_each: the output of '{source}' is not a JSON list ({exc})",
                rounds=0,
                attempts=0,
            )
            return []
        count = len(items)
        have = {
            int(r.item): r.status
            for r in conn.execute(
                sa.select(st.c.item, st.c.status).where(st.c.run_id == run_id, st.c.parent == row.step_id)
            ).fetchall()
        }
        base = int(
            conn.execute(sa.select(sa.func.coalesce(sa.func.max(st.c.position), 0)).where(st.c.run_id == run_id)).scalar()
            or 0
        )
        fresh = [
            {
                "run_id": run_id,
                "step_id": item_id(row.step_id, n),
                "position": base + n,
                "status": PENDING,
                "tier": row.tier,
                "model": row.model,
                "estimated_cost": 0.0,
                "waiting": 0,
                "depends_on": "[]",
                "priority": row.priority,
                "path_s": row.path_s,
                "parent": row.step_id,
                "item": n,
                "item_input": item_text(items[n - 1]),
            }
            for n in range(1, count + 1)
            if n not in have
        ]
        if fresh:
            conn.execute(st.insert(), fresh)
        for n, status in have.items():
            if n <= count and status != DONE:
                conn.execute(
                    st.update()
                    .where(st.c.run_id == run_id, st.c.step_id == item_id(row.step_id, n))
                    .values(status=PENDING, item_input=item_text(items[n - 1]), error=None, finished_at=None)
                )
        conn.execute(
            st.update()
            .where(st.c.run_id == run_id, st.c.step_id == row.step_id)
            .values(item_count=count, worker=None)
        )
        limit = int(_window(spec) or count or 1)
        claimed = self._claim_items(conn, run_id, generation, row.step_id, count, int(limit))
        if not claimed:
            # Nothing left to run (an empty list, or every item done before a resume).
            return self._complete_fan_out(conn, run_id, row.step_id)
        return claimed

    def _claim_items(
        self, conn: Connection, run_id: str, generation: int, parent: str, count: int, n: int
    ) -> list[Claimed]:
        if n <= 0:
            return []
        rows = conn.execute(
            self.q.claim_items,
            {
                "p_run": run_id,
                "p_parent": parent,
                "p_count": count,
                "p_n": n,
                "p_prefix": workflow_prefix(run_id, generation),
            },
        ).fetchall()
        return [
            Claimed(r.step_id, r.tier, r.workflow_id, int(r.priority), _not_overtaken(r)) for r in rows
        ]

    def _after_item(self, conn: Connection, run_id: str, parent: str) -> list[Claimed]:
        """An item ended (done, failed or handed back): queue the next ones within the
        step's window; after the last, put the step's result together."""
        q = self.q
        fan = conn.execute(q.fan_row, {"p_run": run_id, "p_parent": parent}).first()
        if fan is None or fan.status != RUNNING:
            return []
        spec = json.loads(fan.fan_out)
        count = int(fan.item_count or 0)
        active, pending = conn.execute(q.item_counts, {"p_run": run_id, "p_parent": parent}).one()
        claimed: list[Claimed] = []
        stopping = False
        if pending:
            head = conn.execute(q.head, {"p_run": run_id}).first()
            stopping = head is None or head.status != RUN_RUNNING or bool(head.stopping)
            if head is not None and not stopping:
                room = int(_window(spec) or count) - int(active)
                claimed = self._claim_items(conn, run_id, int(head.generation), parent, count, room)
                active += len(claimed)
        # Pending items while the run goes on: the window is full, or another worker is
        # queueing them right now; either way an item still running comes back here.
        if active > _LAST_FEW or (pending and not stopping):
            return claimed
        # One of the last items: take the step's row and look again (see _LAST_FEW).
        conn.execute(q.lock_fan_row, {"p_run": run_id, "p_parent": parent}).first()
        active, pending = conn.execute(q.item_counts, {"p_run": run_id, "p_parent": parent}).one()
        if active or (pending and not stopping):
            return claimed
        return claimed + self._complete_fan_out(conn, run_id, parent)

    def _complete_fan_out(self, conn: Connection, run_id: str, parent: str) -> list[Claimed]:
        """No item of the step is queued or running: it is done, failed, or (the run is
        stopping) back to pending with the items left for a resume."""
        from planner.runner.rounds import fan_out_error, fan_out_output

        st = self.t["steps"]
        fan = conn.execute(self.q.fan_row, {"p_run": run_id, "p_parent": parent}).first()
        if fan is None or fan.status != RUNNING:
            return []
        spec = json.loads(fan.fan_out)
        count = int(fan.item_count or 0)
        rows = conn.execute(
            sa.select(st.c.item, st.c.status, st.c.output, st.c.error, st.c.attempts, st.c.cost, st.c.booked_cost)
            .where(st.c.run_id == run_id, st.c.parent == parent, st.c.item <= count)
            .order_by(st.c.item)
        ).fetchall()
        attempts = sum(int(r.attempts) for r in rows)
        errors = {int(r.item): str(r.error or "failed") for r in rows if r.status == FAILED}
        if errors:
            self._fail_row(conn, run_id, parent, fan.tier, fan_out_error(errors, count), rounds=1, attempts=attempts)
            return []
        done = [r for r in rows if r.status == DONE]
        now = time.time()
        if len(done) < count:
            conn.execute(
                st.update().where(st.c.run_id == run_id, st.c.step_id == parent).values(status=PENDING)
            )
            if fan.started_at is not None:
                self._event(conn, run_id, {"event": "step_interrupted", "step": parent, "tier": fan.tier})
            self._maybe_end(conn, run_id)
            return []
        text = fan_out_output([r.output or "" for r in done], bool(spec.get("structured")))
        started = float(fan.started_at) if fan.started_at is not None else now
        conn.execute(
            st.update()
            .where(st.c.run_id == run_id, st.c.step_id == parent)
            .values(status=DONE, output=text, rounds=1, error=None, started_at=started, finished_at=now)
        )
        self._event(
            conn,
            run_id,
            {
                "event": "step_done",
                "step": parent,
                "tier": fan.tier,
                "rounds": 1,
                "items": count,
                "attempts": attempts,
                "cost_usd": round(sum(float(r.cost) for r in rows), 6),
                "booked": any(float(r.booked_cost) > 0 for r in rows),
                "seconds": round(now - started, 3),
            },
        )
        return self._after_done(conn, run_id, spec.get("children") or ())

    # -- reads --------------------------------------------------------------------

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
        call_key: str,
        round_no: int,
        paid: bool,
        worker: str,
        model: str,
        capped: bool,
        inputs: Sequence[str],
        price: Callable[[Inputs], tuple[float, Any]],
    ) -> Reservation:
        """Open one call's attempt and reserve its worst case, in one transaction.

        ``recorded`` (with the call's outcome as ``priced``) when this call
        (``call_key``) was made and settled before: a replay of the step's
        workflow after its worker died gets what the call came to instead of
        calling again. A call whose attempt is still open was cut off: it is
        booked as lost and made again.

        ``inputs`` are the dependencies whose outputs the prompt needs; they
        are read here, and ``price`` turns them (and an item's input) into the
        amount to reserve and the prompt, so a call costs one transaction
        before it starts.

        ``stop`` when the run no longer starts calls (cancelled, or the budget
        already stopped it) or when this call cannot fit even with nothing else
        outstanding (then the run stops for the budget, as the local engine
        does); ``wait`` when it does not fit while other calls hold reservations
        (their actual cost may come in lower); ``done`` when the step finished
        already (a replay after a crash between the record and DBOS's checkpoint).

        Only a capped run's row is written here (one atomic update of its
        ledger, last, so its lock is held briefly); an uncapped run's is read.
        """
        q = self.q
        tries = 0

        def fn(conn: Connection) -> Reservation:
            nonlocal tries
            tries += 1
            ids = {"p_run": run_id, "p_step": step_id}
            if tries > 1:
                mine = conn.execute(q.attempt_by_key, {"p_key": key}).first()
                if mine is not None:  # this very transaction committed before its connection broke
                    row = conn.execute(q.item_row, ids).first()
                    amount, priced = price(self._inputs(conn, run_id, inputs, row))
                    return Reservation("ok", int(mine.attempt), capped=capped, amount=amount, priced=priced)
            now = time.time()
            opened = {**ids, "p_wf": workflow_id, "p_now": now, "p_worker": worker}
            first = True
            row = conn.execute(q.open_first, opened).first()
            if row is None:
                # Not the step's first call: was this one made already?
                rec = conn.execute(q.recorded, {"p_call": call_key}).first()
                if rec is not None and rec.outcome is not None:
                    outcome = json.loads(rec.outcome)
                    if outcome.get("verdict") == DONE:
                        # The step finished: did its workflow go on with another (_dispatch)?
                        nxt = conn.execute(
                            q.followed_by, {"p_run": run_id, "p_after": step_id, "p_wf": workflow_id}
                        ).first()
                        outcome["next"] = nxt.step_id if nxt is not None else None
                    return Reservation("recorded", priced=outcome)
                first = False
                row = conn.execute(q.open_again, opened).first()
                if row is None:
                    return self._not_reserved(conn, run_id, step_id, workflow_id)
                # An attempt of this step still open was cut off by a worker that died
                # (the step is running again, here): book it as lost first. (Earlier
                # attempts of this execution were settled before this one.)
                at = self.t["attempts"]
                self._book_open_attempts(conn, sa.and_(at.c.run_id == run_id, at.c.step_id == step_id), "lost")
            amount, priced = price(self._inputs(conn, run_id, inputs, row))
            attempt = {
                "key": key,
                "call_key": call_key,
                "run_id": run_id,
                "step_id": step_id,
                "attempt": int(row.attempts),
                "round": round_no,
                "status": RUNNING,
                "reserved": amount,
                "started_at": now,
                "worker": worker,
                "paid": paid,
            }
            events = self._start_events(conn, run_id, step_id, row, model, worker, now) if first else []
            if len(events) == 1 and q.attempt_and_event is not None:
                # One round trip for both (PostgreSQL): the step's start is on every step's path.
                conn.execute(
                    q.attempt_and_event,
                    {**{f"a_{k}": v for k, v in attempt.items()}, **self._event_row(run_id, events[0], "e_")},
                )
            else:
                conn.execute(q.insert_attempt, attempt)
                self._events(conn, run_id, events)
            if capped and conn.execute(q.fit, {"p_run": run_id, "p_amount": amount}).first() is None:
                raise _NoFit
            return Reservation("ok", int(row.attempts), capped=capped, amount=amount, priced=priced)

        try:
            return self._tx(fn)
        except _NoFit:
            pass
        # It does not fit now: everything above was rolled back; decide under the run's lock.
        amount = 0.0

        def priced_amount(conn: Connection) -> float:
            row = conn.execute(q.item_row, {"p_run": run_id, "p_step": step_id}).first()
            return price(self._inputs(conn, run_id, inputs, row))[0]

        def no_fit(conn: Connection) -> Reservation:
            nonlocal amount
            amount = priced_amount(conn)
            return self._no_fit(conn, run_id, step_id, amount)

        return self._tx(no_fit)

    def _inputs(self, conn: Connection, run_id: str, deps: Sequence[str], row: Any) -> Inputs:
        """The dependencies' outputs a prompt needs, and an item's own input."""
        ids = list(deps)
        if row is not None and row.parent is not None:
            ids.append(row.parent)
        if not ids:
            return Inputs({})
        found = {r.step_id: r for r in conn.execute(self.q.inputs, {"p_run": run_id, "p_ids": ids}).fetchall()}
        outputs = {d: (found[d].output or "") if d in found else "" for d in deps}
        item = None
        if row is not None and row.parent is not None:
            count = int(found[row.parent].item_count or 0) if row.parent in found else 0
            item = (int(row.item), count, row.item_input or "")
        return Inputs(outputs, item)

    def _start_events(
        self, conn: Connection, run_id: str, step_id: str, row: Any, model: str, worker: str, now: float
    ) -> list[dict[str, Any]]:
        """step_start for a step; item_start for an item, after its step's step_start
        when it is the step's first item to start (a step starts with its first call)."""
        if row.parent is None:
            return [{"event": "step_start", "step": step_id, "tier": row.tier, "model": model, "worker": worker}]
        events = []
        if conn.execute(
            self.q.parent_start, {"p_run": run_id, "p_parent": row.parent, "p_now": now, "p_worker": worker}
        ).first():
            events.append({"event": "step_start", "step": row.parent, "tier": row.tier, "model": model, "worker": worker})
        events.append(
            {"event": "item_start", "step": row.parent, "tier": row.tier, "item": int(row.item), "model": model, "worker": worker}
        )
        return events

    def _not_reserved(self, conn: Connection, run_id: str, step_id: str, workflow_id: str) -> Reservation:
        """Why a call may not start: superseded, finished already, or the run stopped."""
        row = conn.execute(self.q.step_and_run, {"p_run": run_id, "p_step": step_id}).first()
        if row is None or row.workflow_id != workflow_id:
            return Reservation("stop", reason="superseded by a newer run of this step")
        if row.status == DONE:
            return Reservation("done", reason=row.output or "")
        if row.status in (QUEUED, RUNNING) and (row.run_status != RUN_RUNNING or row.stopping):
            self._dispatch(conn, run_id, self._release(conn, run_id, step_id), None)
            return Reservation("stop", reason=row.stopping or row.run_status)
        return Reservation("stop", reason=f"the step is {row.status}")

    def _no_fit(self, conn: Connection, run_id: str, step_id: str, amount: float) -> Reservation:
        """A capped call that does not fit now: wait for others' reservations, or stop the run."""
        runs, st = self.t["runs"], self.t["steps"]
        head = conn.execute(
            sa.select(runs.c.status, runs.c.stopping, runs.c.spent, runs.c.reserved, runs.c.max_cost)
            .where(runs.c.id == run_id)
            .with_for_update()
        ).first()
        assert head is not None
        step = conn.execute(
            sa.select(st.c.status, st.c.tier).where(st.c.run_id == run_id, st.c.step_id == step_id)
        ).first()
        if head.status != RUN_RUNNING or head.stopping or step is None:
            self._dispatch(conn, run_id, self._release(conn, run_id, step_id), None)
            return Reservation("stop", reason=head.stopping or head.status)
        spent, held, cap = float(head.spent), float(head.reserved), float(head.max_cost)
        if spent + held + amount <= cap + _EPS:
            return Reservation("wait")  # it fits now: try again
        if held > _EPS:
            return Reservation("wait")
        verb = "continue" if step.status == RUNNING else "start"
        why = (
            f"its next call may cost up to ${amount:.4f} (prompt plus max_tokens at the "
            f"tier's prices) and ${spent:.4f} of ${cap:.4f} is already spent"
        )
        conn.execute(
            runs.update()
            .where(runs.c.id == run_id)
            .values(stopping=f"step '{step_id}' could not {verb}: {why}")
        )
        self._event(conn, run_id, {"event": "budget_stop", "step": step_id, "tier": step.tier, "reason": why})
        self._dispatch(conn, run_id, self._release(conn, run_id, step_id), None)
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
        outcome: Mapping[str, Any] | None = None,
        follow: Follow | None = None,
    ) -> Settled:
        """Close an attempt and settle its reservation at ``cost``, in one transaction.

        ``outcome`` is what the call came to for its workflow (see reserve);
        with ``follow``, the workflow may go on with one of the steps it
        queued (see ``_dispatch``), and the outcome says which (``next``).

        With ``finish``, the step is done in the same transaction: its output
        recorded, the dependents it made ready queued (and enqueued), the run
        ended when this was its last step. Not ``closed`` when the attempt was
        already closed (a live worker declared this one dead and booked the
        call at its reservation): then nothing changes, and the step's new run
        decides.
        """
        q = self.q
        booked_cost = cost if booked and cost > 0 else 0.0

        def fn(conn: Connection) -> Settled:
            now = time.time()
            waiting = False
            row = conn.execute(
                q.close,
                {
                    "p_key": key,
                    "p_status": status,
                    "p_cost": cost,
                    "p_in": input_tokens,
                    "p_out": output_tokens,
                    "p_error": error,
                    "p_booked": booked_cost > 0,
                    "p_now": now,
                    "p_outcome": json.dumps(dict(outcome), ensure_ascii=False) if outcome is not None else None,
                },
            ).first()
            if row is None:
                return Settled(False)
            amounts = {
                "p_run": run_id,
                "p_step": step_id,
                "p_cost": cost,
                "p_in": input_tokens,
                "p_out": output_tokens,
                "p_booked_cost": booked_cost,
            }
            done = None
            if finish is not None:
                done = conn.execute(
                    q.finish, {**amounts, "p_output": finish.output, "p_rounds": finish.rounds, "p_now": now}
                ).first()
            if done is None:
                conn.execute(q.add_cost, amounts)
            self._events(conn, run_id, events)
            claimed: list[Claimed] = []
            nxt = None
            if done is not None and finish is not None:
                follow_here = Follow(follow.workflow_id, follow.tier, step_id) if follow else None
                claimed, nxt = self._dispatch(
                    conn,
                    run_id,
                    self._finished(conn, run_id, step_id, done, finish, now, follow_here),
                    follow_here,
                )
                if follow_here is not None and not claimed and nxt is None and done.parent is None:
                    self._maybe_end(conn, run_id)
                # Nothing to go on with, not even a queued step to adopt: when its slot
                # frees, its worker claims from the queue once more, for a step queued
                # after this transaction while its workflow was ending (a wakeup sent
                # meanwhile found the slot still taken).
                waiting = follow is not None and nxt is None
            if capped:
                conn.execute(q.settle_ledger, {"p_run": run_id, "p_reserved": float(row.reserved), "p_cost": cost})
            return Settled(True, claimed, nxt, waiting)

        return self._tx(fn)

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
                st.update()
                .where(st.c.run_id == r.run_id, st.c.step_id == r.step_id)
                .values(cost=st.c.cost + r.cost, booked_cost=st.c.booked_cost + r.cost)
            )
            conn.execute(
                runs.update()
                .where(runs.c.id == r.run_id, runs.c.max_cost.is_not(None))
                .values(
                    reserved=sa.case((runs.c.reserved > r.reserved, runs.c.reserved - r.reserved), else_=0.0),
                    spent=runs.c.spent + r.cost,
                )
            )
        return len(rows)

    # -- step outcomes -----------------------------------------------------------

    def _finished(
        self,
        conn: Connection,
        run_id: str,
        step_id: str,
        row: Any,
        finish: Finish,
        now: float,
        follow: Follow | None,
    ) -> list[Claimed]:
        """A step (or item) is done: say so, and queue what it made ready."""
        if row.parent is not None:
            self._event(
                conn,
                run_id,
                {
                    "event": "item_done",
                    "step": row.parent,
                    "tier": row.tier,
                    "item": int(row.item),
                    "cost_usd": round(float(row.cost), 6),
                    "worker": finish.worker,
                },
            )
            return self._after_item(conn, run_id, row.parent)
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
                "booked": float(row.booked_cost) > 0,
                "seconds": round(now - float(row.started_at or now), 3),
                "worker": finish.worker,
            },
        )
        return self._after_done(conn, run_id, finish.children, follow)

    def _after_done(
        self, conn: Connection, run_id: str, children: Sequence[str], follow: Follow | None = None
    ) -> list[Claimed]:
        """A plan step is done: its dependents are a dependency closer; queue those at none
        (one of them, with ``follow``, picked to run in the finishing workflow)."""
        q = self.q
        ready = []
        if children:
            for r in conn.execute(q.children, {"p_run": run_id, "p_ids": list(children)}).fetchall():
                if r.waiting <= 0 and r.status == PENDING:
                    ready.append(r)
        pick = None
        if follow is not None:
            mine = [r for r in ready if r.fan_out is None and r.tier == follow.tier and _not_overtaken(r)]
            if mine:
                pick = (min(mine, key=lambda r: int(r.priority)).step_id, follow, follow.after)
        claimed = self._claim(conn, run_id, [r.step_id for r in ready], pick) if ready else []
        if not claimed and follow is None:
            # With ``follow``, the settle looks after taking over a queued step (the
            # run goes on then), as its last statement: the run row's lock that the
            # look may take is held for as short a time as it can be.
            self._maybe_end(conn, run_id)
        return claimed

    def fail_step(
        self,
        *,
        run_id: str,
        step_id: str,
        workflow_id: str | None,
        error: str,
        rounds: int,
        attempts: int,
        follow: Follow | None = None,
    ) -> tuple[list[Claimed], str | None]:
        """A step (or item) failed. A step's failure is final for it and every pending step
        after it; an item's is its step's once the other items have ended (and may make
        room for the next item: what was queued, and the one ``follow`` goes on with)."""
        st = self.t["steps"]

        def fn(conn: Connection) -> tuple[list[Claimed], str | None]:
            where = [st.c.run_id == run_id, st.c.step_id == step_id, st.c.status.in_([QUEUED, RUNNING])]
            if workflow_id is not None:
                where.append(st.c.workflow_id == workflow_id)
            row = conn.execute(
                st.update()
                .where(*where)
                .values(status=FAILED, error=error, rounds=rounds, finished_at=time.time())
                .returning(st.c.tier, st.c.parent, st.c.item)
            ).first()
            if row is None:
                return [], None
            if row.parent is not None:
                self._event(
                    conn,
                    run_id,
                    {"event": "item_failed", "step": row.parent, "tier": row.tier, "item": int(row.item), "error": error},
                )
                here = Follow(follow.workflow_id, follow.tier, step_id) if follow else None
                return self._dispatch(conn, run_id, self._after_item(conn, run_id, row.parent), here)
            self._failed(conn, run_id, step_id, row.tier, error, attempts)
            return [], None

        return self._tx(fn)

    def _fail_row(
        self, conn: Connection, run_id: str, step_id: str, tier: str, error: str, *, rounds: int, attempts: int
    ) -> None:
        st = self.t["steps"]
        conn.execute(
            st.update()
            .where(st.c.run_id == run_id, st.c.step_id == step_id)
            .values(status=FAILED, error=error, rounds=rounds, finished_at=time.time())
        )
        self._failed(conn, run_id, step_id, tier, error, attempts)

    def _failed(self, conn: Connection, run_id: str, step_id: str, tier: str, error: str, attempts: int) -> None:
        """After a step failed: every pending step after it is skipped; the run may end."""
        st = self.t["steps"]
        self._event(
            conn,
            run_id,
            {"event": "step_failed", "step": step_id, "tier": tier, "error": error, "attempts": attempts},
        )
        plan = conn.execute(
            sa.select(st.c.step_id, st.c.depends_on).where(st.c.run_id == run_id, st.c.parent.is_(None))
        ).fetchall()
        children: dict[str, list[str]] = {}
        for r in plan:
            for d in json.loads(r.depends_on):
                children.setdefault(d, []).append(r.step_id)
        reasons: dict[str, str] = {}
        stack = [(step_id, c) for c in children.get(step_id, ())]
        while stack:
            cause, sid = stack.pop()
            if sid in reasons:
                continue
            reasons[sid] = f"dependency '{cause}' {FAILED if cause == step_id else SKIPPED}"
            stack.extend((sid, c) for c in children.get(sid, ()))
        now = time.time()
        if reasons:
            skipped = conn.execute(
                st.update()
                .where(st.c.run_id == run_id, st.c.step_id.in_(list(reasons)), st.c.status == PENDING)
                .values(status=SKIPPED, finished_at=now)
                .returning(st.c.step_id, st.c.tier)
            ).fetchall()
            for r in skipped:
                conn.execute(
                    st.update()
                    .where(st.c.run_id == run_id, st.c.step_id == r.step_id)
                    .values(error=reasons[r.step_id])
                )
            self._events(
                conn,
                run_id,
                [
                    {"event": "step_skipped", "step": r.step_id, "tier": r.tier, "reason": reasons[r.step_id]}
                    for r in skipped
                ],
            )
        self._maybe_end(conn, run_id)

    def _release(self, conn: Connection, run_id: str, step_id: str) -> list[Claimed]:
        """A step (or item) that may not start (budget or cancel) goes back to pending."""
        st = self.t["steps"]
        row = conn.execute(
            st.update()
            .where(
                st.c.run_id == run_id,
                st.c.step_id == step_id,
                st.c.status.in_([QUEUED, RUNNING]),
            )
            .values(status=PENDING)
            .returning(st.c.tier, st.c.started_at, st.c.parent)
        ).first()
        if row is None:
            return []
        if row.parent is not None:
            return self._after_item(conn, run_id, row.parent)
        if row.started_at is not None:
            self._event(
                conn, run_id, {"event": "step_interrupted", "step": step_id, "tier": row.tier}
            )
        self._maybe_end(conn, run_id)
        return []

    def _maybe_end(self, conn: Connection, run_id: str) -> None:
        """End the run if nothing of it is queued or running any more (see _LAST_FEW)."""
        few = int(conn.execute(self.q.few_active, {"p_run": run_id}).scalar() or 0)
        if few <= _LAST_FEW:
            self._end(conn, run_id)

    def _end(self, conn: Connection, run_id: str) -> str | None:
        """End the run unless a step is still queued or running; returns its final state."""
        runs, st = self.t["runs"], self.t["steps"]
        head = conn.execute(self.q.lock_run, {"p_run": run_id}).first()
        if head is None or head.status != RUN_RUNNING:
            return None
        if conn.execute(self.q.any_active, {"p_run": run_id}).first() is not None:
            return None
        counts: dict[str, int] = {
            str(k): int(v)
            for k, v in conn.execute(
                sa.select(st.c.status, sa.func.count())
                .where(st.c.run_id == run_id, st.c.parent.is_(None))
                .group_by(st.c.status)
            ).fetchall()
        }
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

    def poll_end(self, run_id: str, generation: int) -> str:
        """The run's state, for the run workflow that waits for its end.

        The last steps to finish end the run themselves; this is the safety
        net for when more of them finished at the same moment than
        ``_LAST_FEW`` lets see each other: with nothing queued or running
        below it, a for_each step is completed and the run ended here.
        """
        q = self.q
        st = self.t["steps"]

        def look(conn: Connection) -> tuple[str, bool]:
            row = conn.execute(q.head, {"p_run": run_id}).first()
            if row is None:
                return "missing", False
            if row.status != RUN_RUNNING or int(row.generation) != generation:
                return str(row.status), False
            return str(row.status), conn.execute(q.any_leaf_active, {"p_run": run_id}).first() is None

        status, idle = self._tx(look)
        if not idle:
            return status

        def settle_idle(conn: Connection) -> str:
            if conn.execute(q.any_leaf_active, {"p_run": run_id}).first() is not None:
                return RUN_RUNNING
            fans = conn.execute(
                sa.select(st.c.step_id).where(
                    st.c.run_id == run_id, st.c.status == RUNNING, st.c.fan_out.is_not(None)
                )
            ).fetchall()
            claimed: list[Claimed] = []
            for f in fans:
                claimed.extend(self._after_item(conn, run_id, f.step_id))
            self._dispatch(conn, run_id, claimed, None)
            if not claimed:
                self._end(conn, run_id)
            head = conn.execute(q.head, {"p_run": run_id}).first()
            return str(head.status) if head is not None else "missing"

        return self._tx(settle_idle)

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
                    .where(st.c.run_id == run_id, st.c.parent.is_(None))
                    .group_by(st.c.status)
                ).fetchall()
            }
            self._end_event(conn, run_id, RUN_CANCELLED, counts, reason)
            ids = [run_workflow_id(run_id, gen)]
            ids.extend(r.workflow_id for r in rows if r.workflow_id)
            return ids

        return self._tx(fn)

    def running_runs(self, run_ids: Iterable[str]) -> set[str]:
        """Those of ``run_ids`` still running (not cancelled, not ended)."""
        runs = self.t["runs"]
        ids = list(run_ids)

        def fn(conn: Connection) -> set[str]:
            rows = conn.execute(
                sa.select(runs.c.id).where(runs.c.id.in_(ids), runs.c.status == RUN_RUNNING)
            ).fetchall()
            return {str(r.id) for r in rows}

        return self._tx(fn) if ids else set()

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

    def register_worker(
        self, worker_id: str, host: str, pid: int, version: str, works: bool, lease_s: float | None = None
    ) -> None:
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
                    lease_s=lease_s,
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
            # Each worker by its own lease; a row of an older planner by the caller's.
            silent = wk.c.beat_at < now - sa.func.coalesce(wk.c.lease_s, lease_s)
            rows = conn.execute(
                wk.update()
                .where(
                    wk.c.id != worker_id,
                    # DBOS recovers only workflows of its own version: leave the others'
                    # dead to a worker that can take their work.
                    wk.c.version == version,
                    sa.or_(
                        sa.and_(wk.c.state.in_([ALIVE, DRAINING]), silent),
                        wk.c.state == GONE,
                    ),
                )
                .values(state=DEAD, recovered_by=worker_id, recovered_at=time.time())
                .returning(wk.c.id, silent)
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

    def plan_tiers(self, run_id: str) -> dict[str, tuple[str, str]]:
        """Each plan step's (tier, model), as the submitter chose them."""
        st = self.t["steps"]

        def fn(conn: Connection) -> dict[str, tuple[str, str]]:
            rows = conn.execute(
                sa.select(st.c.step_id, st.c.tier, st.c.model).where(st.c.run_id == run_id, st.c.parent.is_(None))
            ).fetchall()
            return {r.step_id: (r.tier, r.model) for r in rows}

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



def _not_overtaken(row: Any) -> bool:
    """No step waiting on the row's queue has a longer path ahead than the row (see _dispatch)."""
    return row.waiting_path is None or float(row.waiting_path) <= float(row.path_s) + _EPS


def _window(spec: Mapping[str, Any]) -> int | None:
    """How many of a for_each step's items are queued at once; a record written before
    the window was computed holds the step's own ``max_parallel`` (None: all of them)."""
    value = spec.get("window", spec.get("max_parallel"))
    return int(value) if value else None


def _spec_json(spec: Mapping[str, Any] | None) -> str | None:
    return json.dumps(dict(spec), sort_keys=True) if spec is not None else None
