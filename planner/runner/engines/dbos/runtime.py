"""One process's part in the dbos engine: DBOS, the record, heartbeats, recovery.

Every process that touches a dbos run (a ``planner worker``, a submitting
``planner run --engine dbos``) holds one :class:`Runtime`: it launches DBOS
with a unique executor id and the planner version as DBOS's application
version (so DBOS itself never hands a workflow to a worker of another
version), registers a worker row, and runs a heartbeat thread.

Self-hosted DBOS recovers a process's workflows only when that same process
(the same executor id) starts again. A machine that never comes back would
strand its steps, so the heartbeat thread also watches the others: a worker
whose heartbeat is older than the lease is declared dead in one transaction
(so exactly one live worker recovers it), its calls in flight are booked at
their reservation, and its pending workflows go back to their queues through
DBOS's own recovery (``DBOS._recover_pending_workflows``, the call DBOS's
admin server and Conductor use), where any live worker picks them up and
replays them: recorded steps return their recorded result, so nothing that
finished is called again.

A worker only judges others after it has itself reached the database without
trouble for a whole lease (and one retry backoff): when the database was away,
everyone's heartbeats are old, and nobody is dead.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from planner._version import __version__
from planner.config import Config, Tier
from planner.errors import InputError, PlannerError
from planner.runner.backends.base import Backend
from planner.runner.engines import require_dbos
from planner.runner.engines.dbos.settings import RunSettings
from planner.runner.engines.dbos.store import BACKOFF_MAX_S, Store, safe_url
from planner.runner.redact import Redactor, default_redactor

APP_NAME = "planner"
RUNS_QUEUE = "planner.runs"
# Every worker polls every queue: a run's own workflow only has to start
# within a fraction of a second, so its queue is polled far less often than
# the step queues (each poll is a transaction on the shared database).
RUNS_QUEUE_POLL_S = 0.5
# How often a submitter reads its run's news, and a run workflow checks for
# its run's end: neither holds up a step, so a human pace is enough.
FOLLOW_POLL_S = 0.1
END_POLL_S = 0.25
EMBEDDED_DB = "dbos.sqlite"
# A step taking the work it queued (Runtime.dequeue_now) tries again this soon
# when another worker is claiming from the same queue; after that, the poll.
_CLAIM_RETRIES_S = (0.005, 0.02, 0.0)


# PostgreSQL channel on which a transaction that puts steps on a queue tells the
# workers, so that an idle one claims them at once instead of at its next poll
# (and a run's new queues are served before DBOS's queue thread notices them,
# which it checks for once a second).
WAKE_CHANNEL = "planner_work"


def _generation(workflow_id: str) -> int:
    parts = workflow_id.split("/")
    try:
        return int(parts[2])
    except (IndexError, ValueError):
        return 0


def app_version() -> str:
    """DBOS's application version: workers only take workflows of their own version."""
    return f"planner-{__version__}"


def new_executor_id() -> str:
    """Unique per process: host, pid and a random part (pids repeat across machines and restarts)."""
    host = socket.gethostname().split(".")[0] or "host"
    return f"{host}-{os.getpid()}-{secrets.token_hex(3)}"


def tier_queue(run_id: str, tier: str) -> str:
    """Each run has a queue per tier, so its limits are its own (as on the local engine)."""
    return f"planner.{run_id}.{tier}"


def database_url(url: str | None, state_dir: Path) -> str:
    """The URL to use: the one given, else an embedded SQLite file in the state folder."""
    if url:
        return url
    from planner.runner.journal import _make_state_dir

    try:
        _make_state_dir(state_dir)
    except OSError as exc:
        raise PlannerError(f"{state_dir}: cannot create state folder: {exc.strerror or exc}") from None
    return f"sqlite:///{(state_dir / EMBEDDED_DB).absolute()}"


@dataclass(frozen=True)
class WorkerBackends:
    """What a worker itself decides about backends: never read from the database.

    ``command`` is this worker's command (``--command`` or its own
    configuration); API keys and base URLs come from its environment.
    """

    config: Config
    command: tuple[str, ...] | None = None


class CallWatch:
    """Stops this process's calls in flight for runs that were cancelled.

    ``planner runs cancel`` makes the record final at once (and books every
    call in flight at its reservation); a call it caught on a worker is then
    stopped here within ``every`` seconds, not left to run (and bill) to its
    end. One record query per interval for all of them, only while calls are
    in flight. Runs on the event loop the workflows run on.
    """

    def __init__(self, store: Store, every: float = 1.0) -> None:
        self.store = store
        self.every = every
        self._calls: dict[str, set[Any]] = {}
        self._stopped: set[Any] = set()
        self._poller: Any = None

    def watch(self, run_id: str, call: Any) -> None:
        import asyncio

        self._calls.setdefault(run_id, set()).add(call)
        if self._poller is None or self._poller.done():
            self._poller = asyncio.get_running_loop().create_task(self._poll())

    def forget(self, run_id: str, call: Any) -> None:
        calls = self._calls.get(run_id)
        if calls is not None:
            calls.discard(call)
            if not calls:
                del self._calls[run_id]
        self._stopped.discard(call)

    def stopped(self, call: Any) -> bool:
        """Was ``call`` stopped here (rather than its workflow being cancelled)?"""
        return call in self._stopped

    async def _poll(self) -> None:
        import asyncio

        while self._calls:
            await asyncio.sleep(self.every)
            ids = list(self._calls)
            try:
                live = await asyncio.to_thread(self.store.running_runs, ids)
            except Exception:  # the database is away: the calls go on, as they would
                continue
            for run_id in ids:
                if run_id not in live:
                    for call in list(self._calls.get(run_id, ())):
                        if not call.done():
                            self._stopped.add(call)
                            call.cancel()


class ClaimLedger:
    """Keeps a queue's per-worker limit (``--worker-limit``, DBOS's worker concurrency)
    in this process, whichever of its two claimers takes the work.

    DBOS checks the limit against the queue's workflows this process runs,
    counted from those that have started. A claimed workflow starts a little
    later, on the event loop, and two claimers take from one queue here:
    DBOS's queue thread and a step handing off what it queued
    (``Runtime.dequeue_now``). Each could claim again before the other's
    claims started and so exceed the limit. Every claim on a queue with a
    per-worker limit therefore goes through ``claim`` below: one at a time per
    queue, counting the workflows claimed here that have not started yet.
    Queues without that limit pass straight through.
    """

    # A claimed workflow that neither started nor ended this long after (DBOS
    # could not start it) stops counting.
    FORGET_S = 60.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue_locks: dict[str, threading.Lock] = {}
        # workflow id -> (queue, when claimed): claimed here, not yet seen running.
        self._claimed: dict[str, tuple[str, float]] = {}

    def install(self, dbos: Any) -> None:
        """Route this process's queue claims (DBOS's sys_db, pinned version) through ``claim``."""
        sys_db = dbos._sys_db
        original = sys_db.start_queued_workflows

        def start_queued_workflows(
            queue: Any,
            executor_id: str,
            app_version: str,
            partition_key: str | None,
            local_running_count: int = 0,
            partition_local_running_count: int = 0,
            **kw: Any,
        ) -> Any:
            def call(running: int) -> Any:
                return original(
                    queue, executor_id, app_version, partition_key,
                    max(running, local_running_count), partition_local_running_count, **kw,
                )

            if getattr(queue, "_worker_concurrency", None) is None or partition_key is not None:
                return call(0)
            return self.claim(dbos, queue.name, call)

        sys_db.start_queued_workflows = start_queued_workflows

    def claim(self, dbos: Any, queue: str, call: Callable[[int], Any]) -> Any:
        with self._lock:
            lock = self._queue_locks.setdefault(queue, threading.Lock())
        with lock:
            ids, reason = call(self._running(dbos, queue))
            now = time.monotonic()
            with self._lock:
                for wid in ids:
                    self._claimed[wid] = (queue, now)
            return ids, reason

    def ended(self, workflow_id: str) -> None:
        """A workflow of this process ended (it may never have been seen running)."""
        with self._lock:
            self._claimed.pop(workflow_id, None)

    def _running(self, dbos: Any, queue: str) -> int:
        """This process's workflows of ``queue`` started or claimed and not yet ended."""
        active = dbos._active_workflows_set
        with active._lock:
            started = {wid for wid, buckets in active._m.items() if any(b and b[0] == queue for b in buckets)}
        now = time.monotonic()
        with self._lock:
            for wid, (_, at) in list(self._claimed.items()):
                # Seen running: counted there from now on, until it ends.
                if wid in started or now - at > self.FORGET_S:
                    del self._claimed[wid]
            waiting = sum(1 for q, _ in self._claimed.values() if q == queue)
        return len(started) + waiting


class Runtime:
    """DBOS plus the record for this process. One per process (DBOS is a singleton)."""

    def __init__(
        self,
        *,
        url: str,
        backends: WorkerBackends,
        work: bool,
        listen: list[str] | None = None,
        lease_s: float,
        poll_interval_s: float,
        executor_id: str | None = None,
        report: Callable[[str], None] | None = None,
        on_fenced: Callable[[], None] | None = None,
    ) -> None:
        require_dbos()
        self.url = url
        self.backends = backends
        self.work = work
        self.listen = listen
        self.lease_s = lease_s
        self.poll_interval_s = poll_interval_s
        self.executor_id = executor_id or new_executor_id()
        self.report = report or _stderr
        self.on_fenced = on_fenced
        self.store = Store(url, report=self.report)
        self.calls = CallWatch(self.store)
        self.redact: Redactor = default_redactor()
        self._backends: dict[tuple[str, str], Backend] = {}
        self._plans: dict[tuple[str, str], Any] = {}
        self._queues: dict[tuple[str, int], Any] = {}
        self.claims = ClaimLedger()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None
        self._waker: threading.Thread | None = None
        self._healthy_since = time.monotonic()
        self._client: Any = None
        self.launched = False
        self.draining = False
        # Step workflows of this process waiting in their slot for work of their
        # queue (workflows._linger): queue -> their wake events and event loops.
        self._lingering: dict[str, set[tuple[Any, Any]]] = {}

    # -- lifecycle ----------------------------------------------------------------

    def start(self) -> None:
        """Create the tables, launch DBOS, register this worker and start heartbeats."""
        global _CURRENT
        if _CURRENT is not None:
            raise PlannerError("a dbos engine runtime is already running in this process")
        self.store.create_schema()
        # From here on the database may come and go: wait for it instead of failing.
        self.store.patient = True
        from dbos import DBOS

        from planner.runner.engines.dbos import workflows  # registers the workflows

        workflows.harden_serialization()
        config: dict[str, Any] = {
            "name": APP_NAME,
            "system_database_url": self.store.url,
            "application_version": app_version(),
            "executor_id": self.executor_id,
            # JSON only: a pickled value read from the database could run code here.
            "serializer": workflows.json_serializer(),
            "log_level": os.environ.get("PLANNER_DBOS_LOG_LEVEL", "WARNING"),
            # Bounded: DBOS waits up to about this long for the listener when it stops.
            "notification_listener_polling_interval_sec": min(self.poll_interval_s, 1.0),
        }
        _CURRENT = self
        try:
            DBOS(config=config)  # type: ignore[arg-type]
            if not self.work:
                DBOS.listen_queues([])
            elif self.listen is not None:
                DBOS.listen_queues(self.listen)
            DBOS.launch()
            self.launched = True
            from dbos import _dbos

            self.claims.install(_dbos._dbos_global_instance)
            DBOS.register_queue(
                RUNS_QUEUE, polling_interval_sec=RUNS_QUEUE_POLL_S, on_conflict="always_update"
            )
        except BaseException:
            _CURRENT = None
            self._destroy_dbos(0)
            raise
        self._enqueue_in_transactions(workflows)
        self.store.register_worker(
            self.executor_id, socket.gethostname(), os.getpid(), __version__, self.work, self.lease_s
        )
        self._healthy_since = time.monotonic()
        self._beat = threading.Thread(target=self._heartbeats, name="planner-heartbeat", daemon=True)
        self._beat.start()
        if self.work and self.store.url.startswith("postgresql"):
            self._waker = threading.Thread(target=self._listen, name="planner-wakeups", daemon=True)
            self._waker.start()

    def _enqueue_in_transactions(self, workflows: Any) -> None:
        """Let the record enqueue step workflows inside its own transactions.

        DBOS's client writes a queued workflow's row on a connection the
        caller owns; the record's database is DBOS's, so claiming a step and
        putting its workflow on the tier's queue commit together (a thousand
        at once for a wide fan-out, instead of one DBOS call each).
        """
        from dbos import DBOSClient

        client = DBOSClient(
            system_database_url=self.store.url,
            application_name=APP_NAME,
            serializer=workflows.json_serializer(),
            lazy=True,
            system_database_pool_size=1,
        )
        self._client = client
        version = app_version()

        def enqueue(conn: Any, run_id: str, claimed: list[Any]) -> None:
            for c in claimed:
                client.enqueue_in_transaction(
                    conn,
                    {
                        "workflow_name": workflows.STEP_WORKFLOW,
                        "queue_name": tier_queue(run_id, c.tier),
                        "workflow_id": c.workflow_id,
                        "priority": max(1, min(int(c.priority), 2**31 - 1)),
                        "app_version": version,
                        "application_name": APP_NAME,
                    },
                    run_id,
                    c.step_id,
                )

        sys_db = client._sys_db
        postgres = self.store.url.startswith("postgresql")

        def enqueue_and_wake(conn: Any, run_id: str, claimed: list[Any]) -> None:
            enqueue(conn, run_id, claimed)
            if postgres and claimed:
                # Delivered when this transaction commits (see _listen).
                import json

                import sqlalchemy as sa

                body = {
                    "from": self.executor_id,
                    "queues": sorted({tier_queue(run_id, c.tier) for c in claimed}),
                    "generation": _generation(claimed[0].workflow_id),
                }
                conn.execute(sa.text("SELECT pg_notify(:c, :p)"), {"c": WAKE_CHANNEL, "p": json.dumps(body)})

        def adopt(conn: Any, run_id: str, tier: str) -> str | None:
            """Remove the entry a poll of the tier queue would claim next, if no worker is
            claiming it right now (its row locked) and none ever started it; the caller
            runs its step instead."""
            import sqlalchemy as sa

            sys_db._apply_caller_schema(conn)
            ws, wi = sys_db.tables.workflow_status, sys_db.tables.workflow_input
            first = (
                sa.select(ws.c.workflow_uuid)
                .where(
                    ws.c.queue_name == tier_queue(run_id, tier),
                    ws.c.status == "ENQUEUED",
                    ws.c.application_version == version,
                    # Never started: a workflow sent back to the queue after its worker
                    # died has a history (recorded calls, steps it went on with) that
                    # only running it again as itself resumes; run in this slot, the
                    # steps it went on with would wait for it forever.
                    ws.c.recovery_attempts == 0,
                )
                .order_by(ws.c.priority.asc(), ws.c.created_at.asc())
                .limit(1)
                .with_for_update(skip_locked=True)
                .scalar_subquery()
            )
            taken = conn.execute(
                sa.delete(ws)
                .where(ws.c.workflow_uuid == first, ws.c.status == "ENQUEUED")
                .returning(ws.c.workflow_uuid)
            ).scalar()
            if taken is None:
                return None
            conn.execute(sa.delete(wi).where(wi.c.workflow_uuid == taken))
            return str(taken)

        self.store.enqueuer = enqueue_and_wake
        self.store.adopter = adopt

    def stop(self, drain_s: float = 0.0) -> None:
        """Stop taking work, wait up to ``drain_s`` for running steps, hand back the rest."""
        global _CURRENT
        self.draining = True
        self.wake()
        if self.launched:
            with contextlib.suppress(PlannerError):
                self.store.heartbeat(self.executor_id, state="draining")
            self._destroy_dbos(drain_s)
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=5)
        if self._waker is not None:
            self._waker.join(timeout=5)
        # Whatever this process still held is free for the others now, not after a lease.
        with contextlib.suppress(PlannerError):
            self.store.leave(self.executor_id)
        self._close_backends()
        if self._client is not None:
            self._client.destroy()
            self._client = None
        self.store.close()
        _CURRENT = None

    def _destroy_dbos(self, drain_s: float) -> None:
        """Stop dequeuing, wait up to ``drain_s`` for this process's steps, then shut DBOS down.

        DBOS's own drain waits for every workflow, including a run workflow
        that only waits for its run's end (hours, maybe), and checks once a
        second; this one waits for step workflows only. Setting DBOS's
        background stop events is the first thing ``DBOS.destroy`` does itself.
        """
        from dbos import DBOS, _dbos

        from planner.runner.engines.dbos.workflows import active_steps

        instance = _dbos._dbos_global_instance
        if instance is not None and drain_s > 0:
            for event in instance.background_thread_stop_events:
                event.set()
            deadline = time.monotonic() + drain_s
            while active_steps() > 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            if active_steps() > 0:
                self.report(f"{active_steps()} step(s) still running after {drain_s:g} s: handing them back")
        DBOS.destroy(workflow_completion_timeout_sec=0)
        self.launched = False

    # -- heartbeats and recovery ----------------------------------------------------

    def _heartbeats(self) -> None:
        interval = max(self.lease_s / 5.0, 0.05)
        while not self._stop.wait(interval):
            try:
                alive = self.store.heartbeat(self.executor_id)
            except Exception as exc:  # a bug must not silence the heartbeat for good
                self.report(f"heartbeat failed: {type(exc).__name__}: {exc}")
                continue
            if self.store.last_trouble_end is not None:
                self._healthy_since = max(self._healthy_since, self.store.last_trouble_end)
            if not alive:
                self.report(
                    f"worker {self.executor_id} was declared dead by another worker (its "
                    f"heartbeats stopped for longer than the {self.lease_s:g} s lease) and its "
                    "steps moved on; stopping"
                )
                if self.on_fenced is not None:
                    self.on_fenced()
                return
            # After an outage every worker retries on its own backoff: give the
            # others a whole lease plus one backoff and one beat to be heard again.
            if time.monotonic() - self._healthy_since >= self.lease_s + BACKOFF_MAX_S + interval:
                self.recover_dead()

    def recover_dead(self) -> list[str]:
        """Declare workers past their lease dead and send their workflows back to the queues."""
        try:
            dead = self.store.claim_dead(self.executor_id, self.lease_s, __version__)
        except Exception as exc:
            self.report(f"could not check for dead workers: {type(exc).__name__}: {exc}")
            return []
        if not dead:
            return []
        from dbos import DBOS

        ids = [d for d, _ in dead]
        try:
            handles = DBOS._recover_pending_workflows(ids)
        except Exception as exc:
            self.report(f"could not recover the work of {', '.join(ids)}: {type(exc).__name__}: {exc}")
            return ids
        silent = [d for d, quiet in dead if quiet]
        if silent or handles:
            what = (
                f"worker(s) {', '.join(silent)} stopped answering"
                if silent
                else f"worker(s) {', '.join(ids)} left"
            )
            self.report(f"{what}; {len(handles)} of their workflow(s) went back to the queues")
        return ids

    # -- taking work at once ---------------------------------------------------------

    @contextlib.contextmanager
    def lingering(self, queue: str) -> Iterator[Any]:
        """An event set when steps are put on ``queue`` (a wakeup) or the worker drains."""
        import asyncio

        entry = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._lingering.setdefault(queue, set()).add(entry)
        try:
            yield entry[1]
        finally:
            with self._lock:
                waiting = self._lingering.get(queue)
                if waiting is not None:
                    waiting.discard(entry)
                    if not waiting:
                        del self._lingering[queue]

    def wake(self, queues: list[str] | None = None) -> bool:
        """Wake the workflows lingering on ``queues`` (all of them: None); were there any?"""
        with self._lock:
            entries = [
                e for q, found in self._lingering.items() if queues is None or q in queues for e in found
            ]
        for loop, event in entries:
            with contextlib.suppress(RuntimeError):  # its loop has closed
                loop.call_soon_threadsafe(event.set)
        return bool(entries)

    def wake_workers(self, queues: list[str]) -> None:
        """Tell the workers that ``queues`` have work (PostgreSQL; best effort: the polls serve)."""
        if not self.store.url.startswith("postgresql"):
            return
        import json

        import sqlalchemy as sa

        body = json.dumps({"from": self.executor_id, "queues": queues, "generation": 0})
        with contextlib.suppress(Exception), self.store.engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_notify(:c, :p)"), {"c": WAKE_CHANNEL, "p": body})

    def _listen(self) -> None:
        """Claim from a queue as soon as another process puts steps on it (WAKE_CHANNEL).

        DBOS offers no wakeup for its queues (its LISTEN channels carry
        workflow notifications, events and streams), so a worker would see
        new work only at its next poll of that queue, and a new run's queues
        only once its queue thread lists them (every second). This thread
        holds one connection listening on the channel; each wakeup is one
        claim (``dequeue_now``, DBOS's own claim with the queue's limits) on
        the queues it names, only when this worker is free to take them. A
        lost connection is opened again; meanwhile the polls serve.
        """
        import json

        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(self.store.url).set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {WAKE_CHANNEL}")
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            body = json.loads(note.payload)
                            queues = [str(q) for q in body.get("queues") or []]
                            # A workflow lingering here takes the step itself (no queue hop);
                            # else claim, unless this process queued it (it claims its own).
                            if not self.wake(queues) and body.get("from") != self.executor_id:
                                self.dequeue_now(queues, int(body.get("generation") or 0))
                            if self._stop.is_set():
                                break
            except Exception:  # the database is away or the payload is not ours: the polls serve
                self._stop.wait(1.0)

    def dequeue_now(self, queues: list[str], generation: int = 0) -> int:
        """Claim and start work from ``queues`` now, as a poll of DBOS's would; returns how many.

        Called by a step that has just queued others (its dependents, the next
        items of a fan-out) once its own workflow is recorded: a chain of steps
        then moves on at once rather than at the next poll. The claim is
        DBOS's own (``SystemDatabase.start_queued_workflows``, the call its
        queue threads make, with the queue's limits checked in its
        transaction), so nothing here can start more than the queue allows.
        Pinned with the dbos version and covered by a test. When another worker
        is claiming from the queue at that moment, the queue's next poll (here
        or elsewhere) takes the work instead.

        A run's queues are registered, with their limits, before its
        generation starts, so the queue is read once per run generation here.
        Only workflows of this worker's version are claimed (planner names the
        version of every workflow it enqueues).
        """
        if not queues or not self.work or self._stop.is_set() or self.draining:
            return 0
        from dbos import _dbos
        from dbos._core import execute_dequeued_workflow
        from dbos._utils import GlobalParams, generate_uuid
        from sqlalchemy.exc import DBAPIError

        dbos = _dbos._dbos_global_instance
        if dbos is None or any(e.is_set() for e in dbos.background_thread_stop_events):
            return 0
        started = 0
        for name in queues:
            if self.listen is not None and name not in self.listen:
                continue
            for pause in _CLAIM_RETRIES_S:
                try:
                    queue = self._queue(dbos, name, generation)
                    if queue is None:
                        break
                    owner = generate_uuid()
                    ids, _ = dbos._sys_db.start_queued_workflows(
                        queue,
                        GlobalParams.executor_id,
                        GlobalParams.app_version,
                        None,
                        dbos._active_workflows_set.count_for_queue(name),
                        owner_xid=owner,
                        is_latest_version=False,
                    )
                    for status in dbos._sys_db.get_workflow_statuses(ids):
                        execute_dequeued_workflow(dbos, status, owner)
                        started += 1
                    break
                except DBAPIError as exc:
                    # Another worker is claiming from this queue right now.
                    if not (dbos._sys_db.is_lock_conflict(exc) or dbos._sys_db.is_serialization_conflict(exc)):
                        break
                    time.sleep(pause)
                except Exception:  # the queue's poll takes the work; never fail a step for this
                    break
        return started

    def _queue(self, dbos: Any, name: str, generation: int) -> Any:
        key = (name, generation)
        with self._lock:
            found = self._queues.get(key)
        if found is None:
            found = dbos._sys_db.get_queue(name)
            if found is not None and generation:
                with self._lock:
                    if len(self._queues) > 256:
                        self._queues.clear()
                    self._queues[key] = found
        return found

    # -- what the workflows need ------------------------------------------------------

    def plan_for(self, run_id: str, plan_hash: str, plan_json: str) -> Any:
        """The run's plan, parsed once per process and plan version."""
        from planner.plan.loader import parse_plan_text

        key = (run_id, plan_hash)
        with self._lock:
            cached = self._plans.get(key)
        if cached is not None:
            return cached
        import json

        raw = json.loads(plan_json)
        roles = {s.get("role") for s in raw.get("steps", []) if isinstance(s, dict)}
        tiers = {s.get("tier") for s in raw.get("steps", []) if isinstance(s, dict)}
        plan = parse_plan_text(
            plan_json,
            tiers={t for t in tiers if isinstance(t, str)},
            roles={r for r in roles if isinstance(r, str)},
        )
        with self._lock:
            if len(self._plans) > 64:
                self._plans.clear()
            self._plans[key] = plan
        return plan

    def backend_for(self, run_id: str, backend: str, settings: RunSettings) -> Backend:
        """This worker's backend for a run: the run chooses which and its tiers; keys and commands are ours."""
        from planner.runner.backends import make_backend

        key = (run_id, backend)
        with self._lock:
            found = self._backends.get(key)
        if found is not None:
            return found
        if backend == "command" and not self.backends.command:
            raise InputError(
                f"worker {self.executor_id} has no command configured: start it with --command "
                "or set [tool.planner.run] command in its configuration (a command is never "
                "taken from the database)"
            )
        tiers: Mapping[str, Tier] = settings.tiers
        cfg = replace(self.backends.config, tiers=tiers)
        options: dict[str, Any] = {"seed": settings.seed}
        if backend == "mock":
            options.update(settings.mock)
        elif backend == "command":
            options["command"] = list(self.backends.command or ())
        elif backend == "anthropic":
            options["base_url"] = os.environ.get("ANTHROPIC_BASE_URL") or None
        made = make_backend(backend, cfg, options)
        with self._lock:
            self._backends.setdefault(key, made)
            return self._backends[key]

    def _close_backends(self) -> None:
        import asyncio

        with self._lock:
            backends, self._backends = list(self._backends.values()), {}
        for b in backends:
            with contextlib.suppress(Exception):  # closing is best effort at exit
                asyncio.run(b.aclose())


_CURRENT: Runtime | None = None


def current() -> Runtime:
    if _CURRENT is None:
        raise PlannerError("no dbos engine runtime in this process")
    return _CURRENT


def _stderr(message: str) -> None:
    print(f"planner: {message}", file=sys.stderr, flush=True)


__all__ = [
    "APP_NAME",
    "RUNS_QUEUE",
    "Runtime",
    "WorkerBackends",
    "app_version",
    "current",
    "database_url",
    "new_executor_id",
    "safe_url",
    "tier_queue",
]
