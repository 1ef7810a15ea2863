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
* each call to the backend (each attempt of each round) is a DBOS step,
  ``planner.call``: its reply is checkpointed, so a step replayed after a
  worker died gets the recorded replies back instead of calling again; only a
  call that was in flight when its worker died is repeated (and booked at
  its reservation);
* retry waits are durable sleeps (``DBOS.sleep``), and finishing a step
  (``planner.finish``) records its output, queues the dependents it made
  ready (in one transaction of the record, see store.py) and, on the last
  step, ends the run.

Dependents are queued by the step that finishes their last dependency rather
than by the run workflow, so a chain of steps pays one queue hop per link,
not two.
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
from dbos._error import DBOSException

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
from planner.runner.engines.dbos.store import Claimed, Finish
from planner.runner.estimate import ceiling_usd
from planner.runner.model import DONE, FAILED, SKIPPED, BackendError, CallRequest
from planner.runner.prompt import build_prompt, says_done, strip_status

_NOT_STARTED = "not-started"
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

    def step(self, step_id: str) -> Step:
        for s in self.plan.steps:
            if s.id == step_id:
                return s
        raise PlannerError(f"step '{step_id}' is not in run {self.run_id}'s plan")

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
    steps = rt.store.steps(run_id)
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
        tier_of={sid: r.tier for sid, r in steps.items()},
        model_of={sid: check_model(r.model) for sid, r in steps.items()},
        children={k: tuple(v) for k, v in children.items()},
    )
    if len(_infos) > _INFO_CACHE:
        _infos.clear()
    _infos[key] = info
    return info


async def _info(run_id: str) -> RunInfo:
    rt = current()
    return await asyncio.to_thread(run_info, rt, run_id, _generation_of(DBOS.workflow_id))


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
    every = max(rt.poll_interval_s, END_POLL_S)
    check_at = time.monotonic() + 5.0
    while True:
        row = await asyncio.to_thread(rt.store.run_row, run_id)
        if row is None or row.status != "running" or int(row.generation) != generation:
            return str(row.status) if row is not None else "missing"
        if time.monotonic() >= check_at:
            check_at = time.monotonic() + 5.0
            await _check_stuck(rt, run_id)
        await asyncio.sleep(every)


async def _check_stuck(rt: Runtime, run_id: str) -> None:
    active = await asyncio.to_thread(rt.store.active_step_workflows, run_id)
    if not active:
        return
    statuses = await DBOS.list_workflows_async(workflow_ids=list(active), load_input=False, load_output=False)
    for status in statuses:
        if status.status in _TERMINAL:
            step_id = active[status.workflow_id]
            info = await asyncio.to_thread(run_info, rt, run_id, _generation_of(status.workflow_id))
            await asyncio.to_thread(
                rt.store.fail_step,
                run_id=run_id,
                step_id=step_id,
                workflow_id=status.workflow_id,
                error=f"the engine stopped this step ({status.status.lower()})",
                rounds=0,
                attempts=0,
                downstream=info.downstream(step_id),
            )


@DBOS.step(name="planner.close_queues")
async def _close_queues(run_id: str) -> None:
    rt = current()
    steps = await asyncio.to_thread(rt.store.steps, run_id)
    for tier in sorted({s.tier for s in steps.values()}):
        with contextlib.suppress(DBOSException):  # already gone
            await DBOS.delete_queue_async(tier_queue(run_id, tier))


# -- a step ---------------------------------------------------------------------------


@DBOS.workflow(name=STEP_WORKFLOW)
async def step_workflow(run_id: str, step_id: str) -> str:
    """Run one plan step: its rounds, each call a checkpointed DBOS step, then finish it."""
    _count(1)
    try:
        info = await _info(run_id)
        return await _execute(info, step_id)
    except (DBOSException, asyncio.CancelledError):
        raise
    except Exception as exc:  # a bug or a refused run fails this step, not the worker
        rt = current()
        message = rt.redact(f"{type(exc).__name__}: {exc}" if not isinstance(exc, PlannerError) else exc.message)
        try:
            downstream = (await _info(run_id)).downstream(step_id)
        except Exception:
            downstream = {}
        await _fail(run_id, step_id, message, 0, 0, downstream)
        return FAILED
    finally:
        _count(-1)


async def _execute(info: RunInfo, step_id: str) -> str:
    step = info.step(step_id)
    rt = current()
    outputs = await asyncio.to_thread(rt.store.outputs, info.run_id, step.depends_on)
    inputs = [(d, outputs.get(d, "")) for d in step.depends_on]
    limits = info.settings.limits
    bound = step.max_rounds or (limits.until_max_rounds if step.until else 1)
    previous: str | None = None
    rounds = 0
    number = 0
    for round_no in range(1, bound + 1):
        prompt = build_prompt(info.plan, step, inputs, round_no=round_no, previous=previous)
        tries = 0
        while True:
            tries += 1
            number += 1
            outcome = await _call(info.run_id, step_id, round_no, number, tries, bound, prompt)
            if outcome["kind"] == "stop":
                return _NOT_STARTED
            if outcome["kind"] == "ok":
                break
            delay = outcome.get("retry_delay")
            if delay is None:
                await _fail(info.run_id, step_id, outcome["error"], rounds, number, info.downstream(step_id))
                return FAILED
            await DBOS.sleep_async(float(delay))
        rounds = round_no
        if outcome.get("finished"):
            # Recorded with the call's settle, with the dependents it made ready.
            return DONE
        previous = str(outcome["text"])
    return DONE


@DBOS.step(name="planner.call", preemptible=True)
async def _call(
    run_id: str, step_id: str, round_no: int, number: int, tries: int, bound: int, prompt: str
) -> dict[str, Any]:
    """One attempt: reserve, call the backend, settle. Checkpointed: never repeated once recorded.

    The step's last successful call also finishes the step in the settle's
    transaction: output recorded, dependents queued, the run ended after its
    last step. One transaction and one checkpoint per step, not three.
    """
    rt = current()
    info = await _info(run_id)
    step = info.step(step_id)
    settings = info.settings
    tier_name = info.tier_of[step_id]
    tier = settings.tiers[tier_name]
    model = info.model_of[step_id]
    max_tokens = step.max_tokens or settings.limits.default_max_tokens
    timeout = step.timeout_s or settings.limits.default_timeout_s
    ceiling = ceiling_usd(tier, prompt, max_tokens)
    # Unique per execution of this call: a transaction retried after a lost
    # connection finds its own attempt, while a replay after a worker died
    # opens a new one (the old one is booked as lost).
    key = f"{DBOS.workflow_id}:{round_no}:{number}:{secrets.token_hex(4)}"
    try:
        backend = rt.backend_for(run_id, info.backend, settings)
    except PlannerError as exc:
        return {"kind": "error", "error": rt.redact(exc.message) + " (not retried)"}
    while True:
        reservation = await asyncio.to_thread(
            lambda: rt.store.reserve(
                run_id=run_id,
                step_id=step_id,
                workflow_id=str(DBOS.workflow_id),
                key=key,
                round_no=round_no,
                amount=ceiling,
                paid=backend.paid,
                worker=rt.executor_id,
                model=model,
            )
        )
        if reservation.outcome != "wait":
            break
        # Other calls hold budget; their actual cost may free enough for this one.
        await asyncio.sleep(settings.poll_interval_s)
    if reservation.outcome == "stop":
        return {"kind": "stop"}
    if reservation.outcome == "done":
        return {"kind": "ok", "text": reservation.reason or "", "finished": True}
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
    )

    def settle(status: str, cost: float, **more: Any) -> Any:
        return asyncio.to_thread(
            lambda: rt.store.settle(
                run_id=run_id,
                step_id=step_id,
                key=key,
                status=status,
                cost=cost,
                capped=reservation.capped,
                **more,
            )
        )

    try:
        result = await asyncio.wait_for(backend.call(request), timeout)
    except asyncio.CancelledError:
        # Cancelled (`planner runs cancel`) or shutting down: book what the call may have cost.
        # The record may be closing; then the next worker books the call instead.
        with contextlib.suppress(BaseException):
            await asyncio.shield(
                settle("interrupted", ceiling if backend.paid else 0.0, booked=backend.paid)
            )
        raise
    except TimeoutError:
        error = BackendError(f"no reply within {timeout:g} s", retryable=True, maybe_billed=True)
    except BackendError as exc:
        error = exc
    except Exception as exc:
        # A backend bug, or a reply it could not read, fails this step, not the
        # run; a paid call may have been billed all the same.
        error = BackendError(f"{type(exc).__name__}: {exc}", retryable=False, maybe_billed=True)
    else:
        booking = book(result, ceiling)
        events: list[dict[str, Any]] = []
        for note in (
            booking.warning,
            f"the reply was cut at max_tokens ({max_tokens}); raise it in the plan if that matters"
            if result.truncated
            else None,
        ):
            if note:
                events.append(
                    {"event": "warning", "step": step_id, "tier": tier_name, "message": rt.redact(note)}
                )
        raw = rt.redact(result.text if isinstance(result.text, str) else str(result.text))
        text = strip_status(raw) if step.until else raw
        last = round_no >= bound or (step.until is not None and says_done(raw))
        finish = (
            Finish(
                output=text,
                rounds=round_no,
                attempts=number,
                children=list(info.children.get(step_id, ())),
                worker=rt.executor_id,
            )
            if last
            else None
        )
        await settle(
            "ok",
            booking.cost,
            input_tokens=booking.input_tokens,
            output_tokens=booking.output_tokens,
            booked=not booking.measured,
            events=events,
            finish=finish,
        )
        return {"kind": "ok", "text": text, "finished": last}
    charge = charge_for_error(error, ceiling, backend.paid)
    message = rt.redact(error.message)
    policy = settings.retry
    retry = policy.should_retry(tries, error.retryable, error.retry_after)
    rng = random.Random(f"{settings.seed}:{DBOS.workflow_id}:{round_no}:{number}")
    delay = policy.delay(tries, error.retry_after, rng) if retry else None
    events = []
    if charge.warning:
        events.append({"event": "warning", "step": step_id, "tier": tier_name, "message": rt.redact(charge.warning)})
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
    await settle("error", charge.cost, error=message, booked=not charge.measured, events=events)
    if delay is not None:
        return {"kind": "error", "error": message, "retry_delay": delay}
    why = "" if error.retryable else " (not retried: another attempt would fail the same way)"
    if error.retryable and tries > policy.retries:
        why = f" (after {tries} attempts)"
    return {"kind": "error", "error": message + why}


@DBOS.step(name="planner.fail")
async def _fail(
    run_id: str, step_id: str, error: str, rounds: int, attempts: int, downstream: dict[str, str]
) -> None:
    rt = current()
    await asyncio.to_thread(
        lambda: rt.store.fail_step(
            run_id=run_id,
            step_id=step_id,
            workflow_id=DBOS.workflow_id,
            error=error,
            rounds=rounds,
            attempts=attempts,
            downstream=downstream,
        )
    )
