"""The plan as DBOS workflows.

How a run maps onto DBOS:

* the run is a workflow, ``planner.run``, on the shared ``planner.runs``
  queue (any worker may host it); it queues the steps that can start, waits
  for the run's end and removes the run's queues;
* each plan step is a child workflow, ``planner.step``, on its run's queue for
  its tier (``planner.<run>.<tier>``), whose concurrency is ``--tier-limit``
  (else ``--max-parallel``) across all workers and whose rate limit is the
  tier's ``steps_per_minute``; its workflow id is
  ``planner/<run>/<generation>/<step>``, so queueing it twice is harmless;
* each item of a ``for_each`` step is a child workflow of the same kind on
  the same tier queue (``planner/<run>/<generation>/<step>[<n>]``); the
  record queues a window of them at a time (the step's ``max_parallel``, at
  most what its tier may run at once), and the worker that finishes one
  queues the next (store.py);
* each call to the backend (each attempt of each round) is checkpointed in
  the record, not as a DBOS step (two transactions fewer a call): its settle
  stores what it came to under a key that is the same in every execution of
  its workflow, so a step replayed after a worker died gets the recorded
  replies back instead of calling again; only a call that was in flight when
  its worker died is repeated (and booked at its reservation);
* what a reply means (its output contract, one repair, the rounds) is
  decided by the code the local engine uses (planner.runner.rounds);
* retry waits are durable sleeps (``DBOS.sleep``), and the step's last call
  records its output in the transaction that settles it, with the dependents
  (or next items) it made ready queued and, on the last step, the run ended.

Dependents are queued by the step that finishes their last dependency rather
than by the run workflow, so a chain of steps pays one queue hop per link,
not two; and that hop is taken at once by the worker that queued them, as
soon as its own workflow is recorded (see ``_hand_off``), instead of at the
queue's next poll. A workflow with nothing of its own to go on with takes over
a step waiting on its tier queue, or waits in its slot a moment for one
(``_linger``), so that a join's steps pay no queue hop either; and on
PostgreSQL the transaction that queues steps wakes the workers (runtime.py,
``WAKE_CHANNEL``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dbos import DBOS, DBOSPortableJSONSerializer
from dbos._error import DBOSException, DBOSWorkflowCancelledError

from planner._version import __version__
from planner.errors import PlannerError
from planner.plan.model import Plan, Step
from planner.runner.budget import book, charge_for_error
from planner.runner.engines.dbos.runtime import END_POLL_S, Runtime, current, tier_queue
from planner.runner.engines.dbos.settings import (
    KNOWN_BACKENDS,
    RunSettings,
    check_model,
    parse_settings,
)
from planner.runner.engines.dbos.store import Claimed, Finish, Follow, Inputs
from planner.runner.estimate import ceiling_usd
from planner.runner.model import DONE, FAILED, RUN_RUNNING, SKIPPED, BackendError, CallRequest
from planner.runner.prompt import build_prompt
from planner.runner.rounds import (
    DONE as VERDICT_DONE,
)
from planner.runner.rounds import (
    FAIL,
    REPAIR,
    bound_of,
    item_step,
    judge,
    parse_item_id,
    repair_warning,
)

_NOT_STARTED = "not-started"
# How long a step workflow with nothing to go on with waits in its queue slot for a
# step of its tier (_linger): this many poll intervals, within these bounds. A
# wait that finds nothing costs a transaction per poll interval; one that finds a
# step saves its queue hop (about 20 ms of a 100 ms step on a loaded 2-core machine,
# measured with benchmarks/bench_dbos.py, December 2026).
LINGER_POLLS = 5
LINGER_MIN_S = 0.25
LINGER_MAX_S = 1.0
# Registered names: rows in the database name the workflow to run by these.
RUN_WORKFLOW = "planner.run"
STEP_WORKFLOW = "planner.step"
_INFO_CACHE = 256


def json_serializer() -> DBOSPortableJSONSerializer:
    return DBOSPortableJSONSerializer()


def harden_serialization() -> None:
    """Refuse pickled values in the database.

    This process writes JSON only, but DBOS decodes a value by the format its
    row names, and a row naming Python's pickle would run code while being
    read. Anyone who can write to the database must not be able to run code
    on every worker, so the pickle decoder is replaced by a refusal.
    """
    import dbos._serialization as serialization

    def refuse(serialized: str) -> Any:
        raise PlannerError(
            "refusing a pickled value from the database: planner writes JSON only, "
            "so this row was not written by planner"
        )

    setattr(serialization.DBOSDefaultSerializer, "deserialize", refuse)  # noqa: B010


@dataclass(frozen=True)
class RunInfo:
    """What a worker needs to know about a run, read once per run generation."""

    run_id: str
    generation: int
    backend: str
    version: str
    plan: Plan
    settings: RunSettings
    tier_of: Mapping[str, str]
    model_of: Mapping[str, str]
    children: Mapping[str, tuple[str, ...]]
    by_id: Mapping[str, Step]
    # The run has a --max-cost (set per generation, so fixed for this one).
    capped: bool

    def step(self, step_id: str) -> Step:
        """The plan step ``step_id``, or the step as one item of its fan-out runs it."""
        found = self.by_id.get(step_id)
        if found is None:
            owner = parse_item_id(step_id)
            parent = self.by_id.get(owner[0]) if owner else None
            if parent is None or parent.for_each is None:
                raise PlannerError(f"step '{step_id}' is not in run {self.run_id}'s plan")
            return item_step(parent, step_id)
        return found

    def owner(self, step_id: str) -> str:
        """The plan step a record row belongs to: itself, or an item's step."""
        owner = parse_item_id(step_id)
        return owner[0] if owner and owner[0] in self.by_id else step_id

    def inputs(self, step_id: str) -> list[str]:
        """The dependencies whose outputs the step's prompts carry (an item's source
        gives it its item instead)."""
        plan_step = self.by_id[self.owner(step_id)]
        if plan_step.for_each is None:
            return list(plan_step.depends_on)
        return [d for d in plan_step.depends_on if d != plan_step.for_each.source]

    def downstream(self, root: str) -> dict[str, str]:
        """Every step after ``root``, with the reason it is skipped when ``root`` fails."""
        reasons: dict[str, str] = {}
        stack = [(root, c) for c in self.children.get(root, ())]
        while stack:
            cause, sid = stack.pop()
            if sid in reasons:
                continue
            reasons[sid] = f"dependency '{cause}' {FAILED if cause == root else SKIPPED}"
            stack.extend((sid, c) for c in self.children.get(sid, ()))
        return reasons


_infos: dict[tuple[str, int], RunInfo] = {}
_info_lock = threading.Lock()
# Step workflows executing in this process: a draining worker waits for these
# (a run workflow only waits for its run's end, so it is handed back at once).
_active_steps = 0
_active_lock = threading.Lock()


def active_steps() -> int:
    return _active_steps


def _count(delta: int) -> None:
    global _active_steps
    with _active_lock:
        _active_steps += delta


def _generation_of(workflow_id: str | None) -> int:
    """The generation in a workflow id ``planner/<run>/<generation>[/<step>]``."""
    parts = (workflow_id or "").split("/")
    try:
        return int(parts[2])
    except (IndexError, ValueError):
        return 0


def run_info(rt: Runtime, run_id: str, generation: int) -> RunInfo:
    key = (run_id, generation)
    found = _infos.get(key)
    if found is not None:
        return found
    # One reader per process: the hundred steps a worker starts at once for a
    # new run would otherwise each parse its plan and read its steps.
    with _info_lock:
        found = _infos.get(key)
        if found is not None:
            return found
        return _read_info(rt, run_id, key)


def _read_info(rt: Runtime, run_id: str, key: tuple[str, int]) -> RunInfo:
    row = rt.store.run_row(run_id)
    if row is None:
        raise PlannerError(f"no run '{run_id}' in the database")
    if row.version != __version__:
        raise PlannerError(
            f"run {run_id} was submitted by planner {row.version}; this worker runs planner "
            f"{__version__} and refuses it (run workers of the submitter's version)"
        )
    if row.backend not in KNOWN_BACKENDS:
        raise PlannerError(f"run {run_id} names an unknown backend {row.backend!r}")
    settings = parse_settings(json.loads(row.settings))
    plan = rt.plan_for(run_id, row.plan_hash, row.plan_json)
    steps = rt.store.plan_tiers(run_id)
    children: dict[str, list[str]] = {s.id: [] for s in plan.steps}
    for s in plan.steps:
        for d in s.depends_on:
            children.setdefault(d, []).append(s.id)
    info = RunInfo(
        run_id=run_id,
        generation=int(row.generation),
        backend=row.backend,
        version=row.version,
        plan=plan,
        settings=settings,
        tier_of={sid: tier for sid, (tier, _) in steps.items()},
        model_of={sid: check_model(model) for sid, (_, model) in steps.items()},
        children={k: tuple(v) for k, v in children.items()},
        by_id={s.id: s for s in plan.steps},
        capped=row.max_cost is not None,
    )
    if len(_infos) > _INFO_CACHE:
        _infos.clear()
    _infos[key] = info
    return info


async def _info(run_id: str) -> RunInfo:
    generation = _generation_of(DBOS.workflow_id)
    found = _infos.get((run_id, generation))
    if found is not None:  # the usual case: no thread hop
        return found
    return await asyncio.to_thread(run_info, current(), run_id, generation)


# -- the run --------------------------------------------------------------------------


@DBOS.workflow(name=RUN_WORKFLOW)
async def run_workflow(run_id: str, generation: int) -> str:
    """Queue the steps that can start, then wait for the last step to end the run."""
    await _claim(run_id, generation)
    status = await _await_end(run_id, generation)
    await _close_queues(run_id)
    return status


@DBOS.step(name="planner.claim")
async def _claim(run_id: str, generation: int) -> int:
    """Queue the steps that can start; they are enqueued in the same transaction."""
    rt = current()
    rows: list[Claimed] = await asyncio.to_thread(rt.store.claim_ready, run_id, generation)
    # This workflow is on the runs queue, not theirs: take some of them at once.
    asyncio.get_running_loop().run_in_executor(None, rt.dequeue_now, _queues(run_id, rows), generation)
    return len(rows)


_TERMINAL = frozenset({"ERROR", "CANCELLED", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"})


@DBOS.step(name="planner.await_end")
async def _await_end(run_id: str, generation: int) -> str:
    """Wait until the run has ended (its last step ends it); return its state.

    Every few seconds it also asks DBOS whether a step workflow stopped
    without telling the record (a bug, or a step past DBOS's recovery limit),
    and fails that step, so a run can never wait forever.
    """
    rt = current()
    every = END_POLL_S
    check_at = time.monotonic() + 5.0
    orphans: set[tuple[str, str]] = set()
    while True:
        status = await asyncio.to_thread(rt.store.poll_end, run_id, generation)
        if status != RUN_RUNNING:
            return status
        if time.monotonic() >= check_at:
            check_at = time.monotonic() + 5.0
            orphans = await _check_stuck(rt, run_id, orphans)
        await asyncio.sleep(every)


async def _check_stuck(rt: Runtime, run_id: str, orphans: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Fail the steps whose workflow stopped (past DBOS's recovery limit, cancelled) or
    ended or vanished while the step was still open; returns the (workflow, step) pairs
    seen ended or vanished this time.

    An ended or vanished workflow is only failed when the next check, five seconds
    later, still finds its step open: the step list and DBOS's list are read apart,
    so a step that finished between the two reads looks orphaned once.
    """
    active = await asyncio.to_thread(rt.store.active_step_workflows, run_id)
    if not active:
        return set()
    statuses = await DBOS.list_workflows_async(workflow_ids=list(active), load_input=False, load_output=False)
    seen = {s.workflow_id: s.status for s in statuses}
    now_orphaned: set[tuple[str, str]] = set()
    for workflow_id, step_id in active.items():
        state = seen.get(workflow_id)
        if state in _TERMINAL:
            error = f"the engine stopped this step ({str(state).lower()})"
        elif state is None or state == "SUCCESS":
            if (workflow_id, step_id) not in orphans:
                now_orphaned.add((workflow_id, step_id))
                continue
            error = "the workflow running this step ended without finishing it (an engine bug)"
        else:
            continue
        await asyncio.to_thread(
            rt.store.fail_step,
            run_id=run_id,
            step_id=step_id,
            workflow_id=workflow_id,
            error=error,
            rounds=0,
            attempts=0,
        )
    return now_orphaned


@DBOS.step(name="planner.close_queues")
async def _close_queues(run_id: str) -> None:
    rt = current()
    steps = await asyncio.to_thread(rt.store.plan_tiers, run_id)
    for tier in sorted({tier for tier, _ in steps.values()}):
        with contextlib.suppress(DBOSException):  # already gone
            await DBOS.delete_queue_async(tier_queue(run_id, tier))


# -- a step ---------------------------------------------------------------------------


@DBOS.workflow(name=STEP_WORKFLOW)
async def step_workflow(run_id: str, step_id: str) -> str:
    """Run one plan step (or one item of a for_each step): its rounds, the last call
    finishing it; then, perhaps, a step (or item) it queued, in the same workflow
    and queue slot (see Store._dispatch)."""
    _count(1)
    current_id: str | None = step_id
    status = DONE
    try:
        info = await _info(run_id)
        while current_id is not None:
            status, nxt = await _execute(info, current_id)
            if nxt is None and status != _NOT_STARTED:
                nxt = await _linger(info, current_id)
            current_id = nxt
        return status
    except (DBOSException, asyncio.CancelledError):
        raise
    except Exception as exc:  # a bug or a refused run fails this step, not the worker
        rt = current()
        message = rt.redact(f"{type(exc).__name__}: {exc}" if not isinstance(exc, PlannerError) else exc.message)
        queues, _ = await _fail(run_id, current_id or step_id, message, 0, 0, False)
        _hand_off(queues)
        return FAILED
    finally:
        _count(-1)
        current().claims.ended(str(DBOS.workflow_id))


async def _linger(info: RunInfo, after: str) -> str | None:
    """Wait a little in this workflow's queue slot for a step of its tier to be queued,
    and go on with it (see Store.adopt); returns it, or None to end the workflow.

    In a plan whose steps wait on several others (a grid, a join), the step
    whose workflow finishes first often makes nothing ready, and the one that
    finishes last makes two ready: it goes on with one and queues the other.
    Without this, the first workflow ends and the queued step pays a queue
    hop (a claim, a workflow start and end, on whichever worker claims it),
    several times what going on in a held slot costs. The wait ends when a
    step of the tier is queued (a wakeup, WAKE_CHANNEL, or the check after
    each poll interval), when none of the tier is left to come, when the
    worker drains, and after a few poll intervals (within LINGER_MIN_S and
    LINGER_MAX_S): a slot held that long with nothing to do is better given
    back to the queue.
    """
    follow = _follow(info, after)
    if follow is None:
        return None
    rt = current()
    here = Follow(follow.workflow_id, follow.tier, after)
    poll = info.settings.poll_interval_s
    deadline = time.monotonic() + min(max(LINGER_MIN_S, LINGER_POLLS * poll), LINGER_MAX_S)
    with rt.lingering(tier_queue(info.run_id, follow.tier)) as woken:
        while True:
            woken.clear()  # before the look: a step queued after it wakes the wait below
            nxt, more = await asyncio.to_thread(rt.store.adopt, info.run_id, here)
            left = deadline - time.monotonic()
            if nxt is not None or not more or rt.draining or left <= 0:
                return nxt
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), timeout=min(poll, left))


def _follow(info: RunInfo, step_id: str) -> Follow | None:
    """Whether this workflow may go on with a step it queues (see Store._dispatch):
    not while its worker drains, and not on a rate-limited tier (DBOS counts a
    tier's starts by the workflows its queue starts)."""
    rt = current()
    tier = info.tier_of[info.owner(step_id)]
    if rt.draining or info.settings.tiers[tier].steps_per_minute is not None:
        return None
    return Follow(str(DBOS.workflow_id), tier)


async def _execute(info: RunInfo, step_id: str) -> tuple[str, str | None]:
    """The step's rounds, each reply judged as the local engine judges it (rounds.judge);
    returns its state and the step this workflow goes on with, if any."""
    step = info.step(step_id)
    bound = bound_of(step, info.settings.limits.until_max_rounds)
    previous: str | None = None
    repair: str | None = None
    rounds = 0
    number = 0
    round_no = 1
    while round_no <= bound:
        tries = 0
        while True:
            tries += 1
            number += 1
            outcome = await _call(info.run_id, step_id, round_no, number, tries, previous, repair)
            if outcome["kind"] == "stop":
                return _NOT_STARTED, None
            if outcome["kind"] == "ok":
                break
            delay = outcome.get("retry_delay")
            if delay is None:
                return FAILED, await _failed(info, step_id, str(outcome["error"]), rounds, number)
            await DBOS.sleep_async(float(delay))
        verdict = str(outcome["verdict"])
        if verdict == REPAIR:
            repair = str(outcome["text"])
            continue
        if verdict == FAIL:
            return FAILED, await _failed(info, step_id, str(outcome["text"]), rounds, number)
        repair = None
        rounds = round_no
        if verdict == VERDICT_DONE:
            # Recorded with the call's settle, with the steps it made ready.
            nxt = outcome.get("next")
            _hand_off(outcome.get("queues") or [], now=bool(nxt))
            return DONE, str(nxt) if nxt else None
        previous = str(outcome["text"])
        round_no += 1
    return DONE, None


async def _failed(info: RunInfo, step_id: str, error: str, rounds: int, attempts: int) -> str | None:
    queues, nxt = await _fail(info.run_id, step_id, error, rounds, attempts, _follow(info, step_id) is not None)
    _hand_off(queues, now=bool(nxt))
    return nxt


def _queues(run_id: str, claimed: list[Claimed]) -> list[str]:
    return sorted({tier_queue(run_id, c.tier) for c in claimed})


def _hand_off(queues: list[str], *, now: bool = False) -> None:
    """Start what this step queued as soon as its own workflow is recorded.

    Every worker polls every queue, but a poll is up to an interval away; the
    worker that finished a dependent's last dependency (or an item that makes
    room for the next) is free right now. It takes from those queues once
    DBOS has recorded this workflow's end, so that the queue's concurrency,
    counted by DBOS from the workflows it has not seen end, has this step's
    slot back; ``now`` when the workflow goes on with another step in that
    slot (then nothing frees it soon). DBOS's own claim does the taking, with
    the queue's limits; if another worker is claiming at that moment, or the
    queue is full, its next poll takes the work.
    """
    if not queues:
        return
    rt = current()
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    generation = _generation_of(DBOS.workflow_id)
    if now or task is None:
        loop.run_in_executor(None, rt.dequeue_now, queues, generation)
        return
    task.add_done_callback(lambda _: loop.run_in_executor(None, rt.dequeue_now, queues, generation))


async def _call(
    run_id: str,
    step_id: str,
    round_no: int,
    number: int,
    tries: int,
    previous: str | None,
    repair: str | None,
) -> dict[str, Any]:
    """One attempt: reserve, call the backend, judge the reply, settle. Never repeated
    once recorded.

    The record is the call's checkpoint: the settle stores what the call
    came to under a key that is the same in every execution of the step's
    workflow (``call_key``), and the reservation of a replayed workflow finds
    it there and returns it instead of calling again; a call that was in
    flight when its worker died is made again (and its first attempt booked
    at its reservation). DBOS checkpointing it too would cost two more
    transactions a call.

    The prompt is built inside the reservation's transaction, from the
    dependencies' outputs (or the item) it reads, so a call costs one
    transaction before it starts and one after. The step's last call
    finishes the step in the settle's transaction: output recorded,
    dependents (or next items) queued, the run ended after its last step.
    """
    rt = current()
    info = await _info(run_id)
    step = info.step(step_id)
    owner = info.owner(step_id)
    settings = info.settings
    tier_name = info.tier_of[owner]
    tier = settings.tiers[tier_name]
    model = info.model_of[owner]
    bound = bound_of(step, settings.limits.until_max_rounds)
    max_tokens = step.max_tokens or settings.limits.default_max_tokens
    timeout = step.timeout_s or settings.limits.default_timeout_s
    deps = info.inputs(step_id)
    # The same in every execution of the workflow; the attempt's own key is unique
    # per execution: a transaction retried after a lost connection finds its own
    # attempt, while a replay after a worker died opens a new one. (A workflow
    # may run several steps: see Store._dispatch.)
    call_key = f"{DBOS.workflow_id}:{step_id}:{round_no}:{number}"
    key = f"{call_key}:{secrets.token_hex(4)}"
    try:
        backend = rt.backend_for(run_id, info.backend, settings)
    except PlannerError as exc:
        return {"kind": "error", "error": rt.redact(exc.message) + " (not retried)"}

    def price(found: Inputs) -> tuple[float, str]:
        pairs = [(d, found.outputs.get(d, "")) for d in deps]
        prompt = build_prompt(
            info.plan, step, pairs, round_no=round_no, previous=previous, item=found.item, repair=repair
        )
        return ceiling_usd(tier, prompt, max_tokens), prompt

    while True:
        reservation = await asyncio.to_thread(
            lambda: rt.store.reserve(
                run_id=run_id,
                step_id=step_id,
                workflow_id=str(DBOS.workflow_id),
                key=key,
                call_key=call_key,
                round_no=round_no,
                paid=backend.paid,
                worker=rt.executor_id,
                model=model,
                capped=info.capped,
                inputs=deps,
                price=price,
            )
        )
        if reservation.outcome != "wait":
            break
        # Other calls hold budget; their actual cost may free enough for this one.
        await asyncio.sleep(settings.poll_interval_s)
    if reservation.outcome == "stop":
        return {"kind": "stop"}
    if reservation.outcome == "recorded":
        return dict(reservation.priced)
    if reservation.outcome == "done":
        return {"kind": "ok", "verdict": VERDICT_DONE, "text": reservation.reason or ""}
    prompt = str(reservation.priced)
    ceiling = reservation.amount
    request = CallRequest(
        step_id=step_id,
        tier=tier_name,
        model=model,
        prompt=prompt,
        max_tokens=max_tokens,
        timeout_s=timeout,
        round=round_no,
        attempt=reservation.attempt,
        wants_status=step.until is not None,
        output_schema=step.output,
    )

    def settle(status: str, cost: float, outcome: dict[str, Any] | None = None, **more: Any) -> Any:
        return asyncio.to_thread(
            lambda: rt.store.settle(
                run_id=run_id,
                step_id=step_id,
                key=key,
                status=status,
                cost=cost,
                capped=reservation.capped,
                outcome=outcome,
                **more,
            )
        )

    call = asyncio.ensure_future(backend.call(request))
    rt.calls.watch(run_id, call)
    error: BackendError | None = None
    result = None
    try:
        result = await asyncio.wait_for(call, timeout)
    except asyncio.CancelledError:
        # Cancelled (`planner runs cancel`) or shutting down: book what the call may have cost.
        # The record may be closing; then the next worker books the call instead.
        with contextlib.suppress(BaseException):
            await asyncio.shield(
                settle("interrupted", ceiling if backend.paid else 0.0, booked=backend.paid)
            )
        if rt.calls.stopped(call):
            raise DBOSWorkflowCancelledError(f"run {run_id} was cancelled; its call stopped") from None
        raise
    except TimeoutError:
        error = BackendError(f"no reply within {timeout:g} s", retryable=True, maybe_billed=True)
    except BackendError as exc:
        error = exc
    except Exception as exc:
        # A backend bug, or a reply it could not read, fails this step, not the
        # run; a paid call may have been billed all the same.
        error = BackendError(f"{type(exc).__name__}: {exc}", retryable=False, maybe_billed=True)
    finally:
        rt.calls.forget(run_id, call)
    if error is None:
        assert result is not None
        booking = book(result, ceiling)
        events: list[dict[str, Any]] = []
        raw = rt.redact(result.text if isinstance(result.text, str) else str(result.text))
        verdict = judge(step, raw, round_no=round_no, bound=bound, repairing=repair is not None)
        for note in (
            booking.warning,
            f"the reply was cut at max_tokens ({max_tokens}); raise it in the plan if that matters"
            if result.truncated
            else None,
            repair_warning(step_id, verdict.text) if verdict.kind == REPAIR else None,
        ):
            if note:
                events.append({"event": "warning", "step": owner, "tier": tier_name, "message": rt.redact(note)})
        finish = (
            Finish(
                output=verdict.text,
                rounds=round_no,
                attempts=number,
                children=list(info.children.get(step_id, ())),
                worker=rt.executor_id,
            )
            if verdict.kind == VERDICT_DONE
            else None
        )
        outcome = {"kind": "ok", "verdict": verdict.kind, "text": verdict.text}
        if finish is not None:
            outcome["text"] = ""  # the step's output, in its row; a replay only needs to know it is done
        settled = await settle(
            "ok",
            booking.cost,
            outcome,
            input_tokens=booking.input_tokens,
            output_tokens=booking.output_tokens,
            booked=not booking.measured,
            events=events,
            finish=finish,
            follow=_follow(info, step_id) if finish is not None else None,
        )
        queues = _queues(run_id, list(settled.claimed))
        if settled.waiting:
            queues = sorted({*queues, tier_queue(run_id, tier_name)})
        return {**outcome, "text": verdict.text, "queues": queues, "next": settled.follow}
    charge = charge_for_error(error, ceiling, backend.paid)
    message = rt.redact(error.message)
    policy = settings.retry
    retry = policy.should_retry(tries, error.retryable, error.retry_after)
    rng = random.Random(f"{settings.seed}:{DBOS.workflow_id}:{round_no}:{number}")
    delay = policy.delay(tries, error.retry_after, rng) if retry else None
    events = []
    if charge.warning:
        events.append({"event": "warning", "step": owner, "tier": tier_name, "message": rt.redact(charge.warning)})
    if delay is not None:
        events.append(
            {
                "event": "retry",
                "step": step_id,
                "tier": tier_name,
                "attempt": reservation.attempt,
                "error": message,
                "delay_s": round(delay, 3),
            }
        )
    if delay is not None:
        failed: dict[str, Any] = {"kind": "error", "error": message, "retry_delay": delay}
    else:
        why = "" if error.retryable else " (not retried: another attempt would fail the same way)"
        if error.retryable and tries > policy.retries:
            why = f" (after {tries} attempts)"
        failed = {"kind": "error", "error": message + why}
    await settle("error", charge.cost, failed, error=message, booked=not charge.measured, events=events)
    return failed


@DBOS.step(name="planner.fail")
async def _fail(
    run_id: str, step_id: str, error: str, rounds: int, attempts: int, may_follow: bool
) -> tuple[list[str], str | None]:
    """Record the step's (or item's) failure; returns the queues of what it queued (an
    item's failure makes room for the next item) and the one this workflow goes on with.
    A DBOS step: a replay gets the same answer."""
    rt = current()
    info = await _info(run_id)
    follow = Follow(str(DBOS.workflow_id), info.tier_of[info.owner(step_id)]) if may_follow else None
    claimed, nxt = await asyncio.to_thread(
        lambda: rt.store.fail_step(
            run_id=run_id,
            step_id=step_id,
            workflow_id=DBOS.workflow_id,
            error=error,
            rounds=rounds,
            attempts=attempts,
            follow=follow,
        )
    )
    return _queues(run_id, claimed), nxt
