"""Submit a run to the dbos engine and follow it to its end.

``run_async`` takes the same plan and options as the local engine's and
returns the same :class:`RunResult`: it records the run and its steps,
creates the run's per-tier queues, enqueues the run's workflow, then follows
the run's events in the database (which any worker writes) and reports them
through ``on_event``, exactly as the local engine would. Unless ``work`` is
False (``--no-work``) this process is also a worker for its own run.

The submitter can leave at any time (Ctrl-C, SIGTERM): the run is durable
and goes on on the workers; ``planner runs show`` follows it and
``planner runs cancel`` stops it.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from planner._version import __version__
from planner.config import Config
from planner.errors import InputError, PlannerError
from planner.plan.model import Plan
from planner.runner import defaults
from planner.runner.backends.base import Backend
from planner.runner.engines.dbos.runtime import (
    FOLLOW_POLL_S,
    RUNS_QUEUE,
    Runtime,
    WorkerBackends,
    database_url,
    tier_queue,
)
from planner.runner.engines.dbos.settings import build_settings
from planner.runner.engines.dbos.store import StepSpec, Store, fan_out_spec, run_workflow_id
from planner.runner.estimate import StepCost, estimate_steps
from planner.runner.journal import plan_json
from planner.runner.model import RUN_RUNNING, RunResult, StepResult
from planner.runner.paths import check_run_id, output_file, run_folder
from planner.runner.redact import default_redactor
from planner.runner.retry import RetryPolicy
from planner.runner.runner import (
    DEFAULT_STATE_DIR,
    _load,
    _positive,
    _safe_emit,
    new_run_id,
    validate_plan,
)
from planner.runner.scheduler import Limits, write_output_file

URL_ENV = "PLANNER_DATABASE_URL"
# How long a follower keeps re-reading recent event ids for ones committed late
# (a transaction takes milliseconds; seconds leave room for a busy server).
_LATE_COMMIT_S = 5.0
_BACKEND_OPTIONS = frozenset({"mock_latency", "mock_failure_rate", "mock_seconds", "mock_time_scale"})


def resolve_url(url: str | None, config: Config | None, state_dir: Path) -> str:
    """``url``, else ``$PLANNER_DATABASE_URL``, else configuration, else SQLite in the state folder."""
    chosen = url or os.environ.get(URL_ENV) or (config.run.get("database_url") if config else None)
    return database_url(str(chosen) if chosen else None, state_dir)


def _priorities(plan: Plan, costs: Mapping[str, StepCost]) -> dict[str, tuple[int, float]]:
    """Queue priority (1 = first) and estimated seconds ahead: steps with the longest
    estimated path ahead start first."""
    from planner.plan.graphcheck import topological_order

    children: dict[str, list[str]] = {s.id: [] for s in plan.steps}
    for s in plan.steps:
        for d in s.depends_on:
            children[d].append(s.id)
    longest: dict[str, float] = {}
    for sid in reversed(topological_order(plan.ids, {s.id: s.depends_on for s in plan.steps})):
        longest[sid] = costs[sid].seconds + max((longest[c] for c in children[sid]), default=0.0)
    order = sorted(plan.ids, key=lambda sid: (-longest[sid], plan.ids.index(sid)))
    return {sid: (i + 1, longest[sid]) for i, sid in enumerate(order)}


async def run_async(
    plan: Plan | str | os.PathLike[str],
    backend: str | Backend = "mock",
    *,
    config: Config | None = None,
    database_url: str | None = None,
    state_dir: str | os.PathLike[str] | None = None,
    work: bool = True,
    resume: str | None = None,
    force: bool = False,
    retry_failed: bool = False,
    max_parallel: int | None = None,
    tier_limits: Mapping[str, int] | None = None,
    max_cost: float | None = None,
    retries: int | None = None,
    backoff_base_s: float | None = None,
    backoff_cap_s: float | None = None,
    timeout_s: float | None = None,
    max_tokens: int | None = None,
    until_max_rounds: int | None = None,
    on_event: Callable[[dict[str, Any]], None] | None = None,
    seed: int = 0,
    run_id: str | None = None,
    poll_interval_s: float | None = None,
    lease_s: float | None = None,
    worker_limit: int | None = None,
    command: str | list[str] | None = None,
    report: Callable[[str], None] | None = None,
    **backend_options: Any,
) -> RunResult:
    """Run a plan on the dbos engine (same options as the local engine, plus the database's)."""
    unknown = set(backend_options) - _BACKEND_OPTIONS
    if unknown:
        raise TypeError(f"run() got unexpected options: {', '.join(sorted(unknown))}")
    if not isinstance(backend, str):
        raise InputError(
            "the dbos engine builds the backend on each worker: pass its name "
            "(mock, command or anthropic), not an object"
        )
    plan_obj, cfg = _load(plan, config)
    validate_plan(plan_obj, cfg)
    settings = dict(cfg.run)
    costs = estimate_steps(plan_obj, cfg)
    if backend not in ("mock", "command", "anthropic"):
        raise InputError(f"the dbos engine runs the mock, command or anthropic backend, not '{backend}'")
    limits = Limits(
        max_parallel=_positive(
            "max_parallel", max_parallel or settings.get("max_parallel") or cfg.max_parallel, integer=True
        ),
        tier_limits={
            k: _positive(f"tier limit for {k}", v, integer=True)
            for k, v in {**settings.get("tier_limits", {}), **(tier_limits or {})}.items()
        },
        default_timeout_s=_positive("timeout_s", timeout_s or settings.get("timeout_s", defaults.TIMEOUT_S)),
        default_max_tokens=_positive(
            "max_tokens", max_tokens or settings.get("max_tokens", defaults.MAX_TOKENS), integer=True
        ),
        until_max_rounds=_positive(
            "until_max_rounds",
            until_max_rounds or settings.get("until_max_rounds", defaults.UNTIL_MAX_ROUNDS),
            integer=True,
        ),
    )
    n_retries = retries if retries is not None else settings.get("retries", defaults.RETRIES)
    if isinstance(n_retries, bool) or not isinstance(n_retries, int) or n_retries < 0:
        raise InputError(f"retries must be a whole number, not {n_retries!r}")
    policy = RetryPolicy(
        retries=n_retries,
        base_s=_positive("backoff_base_s", backoff_base_s or settings.get("backoff_base_s", defaults.BACKOFF_BASE_S)),
        cap_s=_positive("backoff_cap_s", backoff_cap_s or settings.get("backoff_cap_s", defaults.BACKOFF_CAP_S)),
    )
    if max_cost is None and "max_cost" in settings and resume is None:
        max_cost = float(settings["max_cost"])
    if max_cost is not None and (
        isinstance(max_cost, bool) or not isinstance(max_cost, int | float) or max_cost < 0
    ):
        raise InputError(f"max_cost must be a number of USD >= 0, not {max_cost!r}")
    poll = float(_positive("poll_interval_s", poll_interval_s or settings.get("poll_interval_s", defaults.POLL_INTERVAL_S)))
    lease = float(_positive("lease_s", lease_s or settings.get("lease_s", defaults.LEASE_S)))
    per_worker = worker_limit or settings.get("worker_limit")
    if per_worker is not None:
        per_worker = int(_positive("worker_limit", per_worker, integer=True))
    scale = backend_options.pop("mock_time_scale", None)
    if scale is not None:
        _positive("mock_time_scale", scale)
        backend_options["mock_seconds"] = {sid: c.seconds * scale for sid, c in costs.items()}
    argv: tuple[str, ...] | None = None
    if backend == "command" and work:
        # This process runs steps too, with its own command; a --no-work
        # submitter needs none (the workers use theirs).
        from planner.runner.backends import command_argv

        argv = tuple(command_argv(command or settings.get("command")))

    state = Path(state_dir) if state_dir is not None else Path(DEFAULT_STATE_DIR)
    url = resolve_url(database_url, cfg, state)
    rid = check_run_id(resume or run_id or new_run_id())
    tiers_used = sorted({costs[s.id].tier for s in plan_obj.steps})
    run_settings = build_settings(
        tiers=cfg.tiers,
        limits=limits,
        retry=policy,
        backend_options=backend_options,
        seed=seed,
        poll_interval_s=poll,
    )
    redact = default_redactor()
    from planner.plan.dump import plan_to_dict

    canonical = plan_json(plan_to_dict(plan_obj))
    digest = hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
    priorities = _priorities(plan_obj, costs)
    children: dict[str, list[str]] = {s.id: [] for s in plan_obj.steps}
    for s in plan_obj.steps:
        for d in s.depends_on:
            children[d].append(s.id)
    step_rows = [
        StepSpec(
            step_id=s.id,
            tier=costs[s.id].tier,
            model=costs[s.id].model,
            estimated_cost=costs[s.id].cost_usd,
            depends_on=list(s.depends_on),
            priority=priorities[s.id][0],
            path_s=priorities[s.id][1],
            fan_out=fan_out_spec(
                s.for_each.source,
                min(
                    s.for_each.max_parallel or limits.max_parallel,
                    limits.tier_limits.get(costs[s.id].tier, limits.max_parallel),
                ),
                s.output is not None,
                children[s.id],
            )
            if s.for_each is not None
            else None,
        )
        for s in plan_obj.steps
    ]
    emit = _safe_emit(on_event)
    start_event = {
        "event": "run_start",
        "backend": backend,
        "engine": "dbos",
        "steps": len(plan_obj.steps),
        "resuming": 0,
        "max_cost_usd": max_cost,
        "estimated_cost_usd": round(sum(c.cost_usd for c in costs.values()), 6),
        "state_dir": str(state),
    }
    rt = Runtime(
        url=url,
        backends=WorkerBackends(config=cfg, command=argv),
        work=work,
        listen=[RUNS_QUEUE, *(tier_queue(rid, t) for t in tiers_used)],
        lease_s=lease,
        poll_interval_s=poll,
        report=report,
    )
    started = False
    try:
        await asyncio.to_thread(rt.start)
        started = True
        store = rt.store
        cursor = await asyncio.to_thread(store.last_event_id, rid)
        if resume is None:
            await asyncio.to_thread(
                lambda: store.create_run(
                    run_id=rid,
                    backend=backend,
                    plan_path=plan_obj.source,
                    plan_hash=digest,
                    plan_json=redact(canonical),
                    task=plan_obj.task,
                    max_cost=max_cost,
                    version=__version__,
                    settings=run_settings,
                    submitted_by=rt.executor_id,
                    steps=step_rows,
                    start_event={**start_event, "start_id": rt.executor_id},
                )
            )
            generation = 1
        else:
            generation = await asyncio.to_thread(
                lambda: _reopen(rt, rid, digest, redact(canonical), step_rows, force, retry_failed,
                                max_cost, run_settings, start_event)
            )
        shares = 1 if per_worker is not None else await asyncio.to_thread(_live_workers, rt, lease)
        await _register_queues(rid, tiers_used, limits, cfg, poll, per_worker, shares)
        from dbos import DBOS, SetWorkflowID

        from planner.runner.engines.dbos.workflows import run_workflow

        with SetWorkflowID(run_workflow_id(rid, generation)):
            await DBOS.enqueue_workflow_async(RUNS_QUEUE, run_workflow, rid, generation)
        if work:
            # Start it here now rather than at the runs queue's next poll (a second or
            # more after launch, while DBOS starts the queue's thread).
            await asyncio.to_thread(rt.dequeue_now, [RUNS_QUEUE])
        else:
            # A worker starts it now rather than at its next poll of the runs queue.
            await asyncio.to_thread(rt.wake_workers, [RUNS_QUEUE])
        end = await _follow(rt, rid, cursor, emit, work, lease, poll)
        if work:
            # Let the run's own workflow (perhaps hosted here) finish its last step.
            await _settle_run_workflow(run_workflow_id(rid, generation))
        result = await asyncio.to_thread(_result, store, rid, backend, state, end)
        await asyncio.to_thread(_write_outputs, result, state)
        return result
    except asyncio.CancelledError:
        if started:
            rt.report(
                f"run {rid} goes on on the workers: follow it with 'planner runs show {rid} --engine dbos', "
                f"stop it with 'planner runs cancel {rid} --engine dbos'"
            )
        raise
    finally:
        if started:
            # The run is over (or goes on elsewhere): anything this process still
            # holds is handed back at once.
            await asyncio.to_thread(rt.stop, 2.0)


async def _settle_run_workflow(workflow_id: str, within_s: float = 3.0) -> None:
    from dbos import DBOS

    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        status = await DBOS.get_workflow_status_async(workflow_id)
        if status is None or status.status not in ("PENDING", "ENQUEUED"):
            return
        await asyncio.sleep(0.05)


def _reopen(
    rt: Runtime,
    rid: str,
    digest: str,
    text: str,
    step_rows: list[StepSpec],
    force: bool,
    retry_failed: bool,
    max_cost: float | None,
    settings: Mapping[str, Any],
    start_event: Mapping[str, Any],
) -> int:
    store = rt.store
    row = store.run_row(rid)
    if row is None:
        raise InputError(f"no run '{rid}' in the database at {store.where} (see 'planner runs --engine dbos')")
    if row.plan_hash != digest and not force:
        raise InputError(
            f"the plan changed since run {rid} started; refusing to resume it "
            "(--force resumes it with the new plan; finished steps are kept as they are)"
        )
    if row.status == RUN_RUNNING:
        live = [w for w in store.workers() if w["state"] in ("alive", "draining") and w["age"] < rt.lease_s and w["id"] != rt.executor_id]
        if live:
            raise InputError(
                f"run {rid} is still running on the workers; cancel it first with "
                f"'planner runs cancel {rid} --engine dbos'"
            )
        # Every worker that ran it is gone: stop what is left of it, then resume.
        cancel_run(store, rid, "resumed after every worker running it stopped")
    return store.reopen_run(
        rid,
        plan_hash=digest,
        plan_json=text,
        steps=step_rows,
        replace_plan=row.plan_hash != digest,
        retry_failed=retry_failed,
        max_cost=max_cost,
        set_max_cost=max_cost is not None,
        settings=settings,
        version=__version__,
        submitted_by=rt.executor_id,
        start_event=start_event,
    )


def _live_workers(rt: Runtime, lease: float) -> int:
    """Live workers of this version that take steps (this process among them if it works)."""
    return sum(
        1
        for w in rt.store.workers()
        if w["works"] and w["state"] == "alive" and float(w["age"]) < lease and w["version"] == __version__
    )


def default_worker_limit(limit: int, workers: int) -> int | None:
    """Each worker's share of a tier's limit when ``--worker-limit`` is not given.

    DBOS lets one worker claim as much of a queue as the queue's limit allows,
    and the worker that finishes a step takes what it queued at once (its
    workflow goes on with it, or claims it), so without a share one worker
    tends to run nearly everything while the others poll an empty queue. A
    share of ``ceil(limit / workers)`` (counted when the run, or its resume,
    starts) spreads the steps over the workers and still lets them run the
    whole limit together; one worker alone keeps the whole limit.
    """
    if workers <= 1:
        return None
    return max(1, -(-limit // workers))


async def _register_queues(
    rid: str,
    tiers: list[str],
    limits: Limits,
    cfg: Config,
    poll: float,
    per_worker: int | None,
    workers: int = 1,
) -> None:
    """The run's tier queues: ``limit`` steps of a tier at once over all workers, at
    most ``per_worker`` of them on one worker (DBOS's worker concurrency, which each
    worker checks against its own running workflows when it claims); without
    ``per_worker``, each of the ``workers`` live workers' share of the limit
    (default_worker_limit)."""
    from dbos import DBOS

    for tier in tiers:
        limit = limits.tier_limits.get(tier, limits.max_parallel)
        share = per_worker if per_worker is not None else default_worker_limit(limit, workers)
        rate = cfg.tiers[tier].steps_per_minute if tier in cfg.tiers else None
        limiter = None
        if rate is not None:
            # DBOS counts starts per window; a window of one minute with the
            # tier's rate, rounded up so a rate below one still lets one through.
            limiter = {"limit": max(1, int(rate)), "period": 60.0 * max(1, int(rate)) / rate}
        await DBOS.register_queue_async(
            tier_queue(rid, tier),
            global_concurrency=limit,
            worker_concurrency=min(share, limit) if share is not None else None,
            limiter=limiter,  # type: ignore[arg-type]
            polling_interval_sec=poll,
            on_conflict="always_update",
        )


async def _follow(
    rt: Runtime,
    rid: str,
    cursor: int,
    emit: Callable[[dict[str, Any]], None],
    work: bool,
    lease: float,
    poll: float,
) -> dict[str, Any]:
    """Report the run's events until its end; say so when no worker can take it."""
    store = rt.store
    checked_workers = time.monotonic() + min(lease, 5.0)
    warned = False
    every = FOLLOW_POLL_S
    # Event ids come from a sequence but transactions commit in their own
    # order, so an event can appear after a later id was read. Each read goes
    # back over the ids of the last few seconds (skipping those already
    # shown); the run's end is written after every other event is committed.
    seen: set[int] = set()
    low = cursor
    marks: list[tuple[float, int]] = []
    while True:
        events = await asyncio.to_thread(store.events_after, rid, low)
        end: dict[str, Any] | None = None
        fresh = False
        for eid, event in events:
            if eid in seen:
                continue
            seen.add(eid)
            fresh = True
            if event.get("event") == "run_end":
                end = event
                continue
            emit(event)
        if end is not None:
            emit(end)
            return end
        now = time.monotonic()
        if events:
            marks.append((now, max(eid for eid, _ in events)))
        while marks and now - marks[0][0] > _LATE_COMMIT_S:
            low = max(low, marks.pop(0)[1])
        seen = {eid for eid in seen if eid > low}
        if not work and not warned and now >= checked_workers:
            warned = _warn_about_workers(rt, lease)
            checked_workers = now + lease
        if not fresh:
            await asyncio.sleep(every)


def _warn_about_workers(rt: Runtime, lease: float) -> bool:
    """Tell the user when no live worker of this version could take the run."""
    live = [
        w
        for w in rt.store.workers()
        if w["works"] and w["state"] == "alive" and float(w["age"]) < lease
    ]
    mine = [w for w in live if w["version"] == __version__]
    if mine:
        return False
    if live:
        others = ", ".join(sorted({str(w["version"]) for w in live}))
        rt.report(
            f"no live worker runs planner {__version__}; the live workers run planner {others} "
            "and refuse runs of another version: start a worker of this version"
        )
    else:
        rt.report(
            f"no worker is running on {rt.store.where}: start one with 'planner worker "
            "--database-url URL'; the run waits for it"
        )
    return True


def cancel_run(store: Store, rid: str, reason: str) -> list[str]:
    """Stop a run in the record and in DBOS (its workflows and calls in flight)."""
    ids = store.cancel_run(rid, reason)
    try:
        from dbos import DBOS

        DBOS.cancel_workflows(ids)
    except Exception:
        # Without a launched DBOS here the record is still final; workers check
        # it before every call, and their workflows find nothing left to do.
        pass
    return ids


def _result(store: Store, rid: str, backend: str, state: Path, end: Mapping[str, Any]) -> RunResult:
    row = store.run_row(rid)
    assert row is not None
    # The plan's steps, as the local engine reports them (items are rows of the record only).
    plan_ids = store.plan_tiers(rid)
    rows = {sid: r for sid, r in store.steps(rid).items() if sid in plan_ids}
    booked = store.booked(rid)
    steps = {
        sid: StepResult(
            id=sid,
            status=r.status,
            tier=r.tier,
            model=r.model,
            output=r.output,
            output_path=r.output_path,
            rounds=r.rounds,
            attempts=r.attempts,
            input_tokens=r.input_tokens,
            output_tokens=r.output_tokens,
            cost_usd=r.cost,
            estimated_cost_usd=r.estimated_cost,
            error=r.error,
            started_at=r.started_at,
            finished_at=r.finished_at,
            booked_usd=booked.get(sid, 0.0),
        )
        for sid, r in rows.items()
    }
    return RunResult(
        run_id=rid,
        status=str(end.get("status", row.status)),
        backend=backend,
        steps=MappingProxyType(steps),
        cost_usd=store.spent(rid),
        estimated_cost_usd=float(row.estimated_cost),
        max_cost_usd=row.max_cost,
        makespan_s=float(end.get("makespan_s") or 0.0),
        state_dir=str(state),
        message=row.message,
        booked_usd=sum(booked.values()),
    )


def _write_outputs(result: RunResult, state: Path) -> None:
    """Copy finished outputs to the state folder, like the local engine (the record keeps them too)."""
    outputs = result.outputs
    if not outputs:
        return
    try:
        folder = run_folder(state.absolute(), result.run_id)
        folder.mkdir(parents=True, exist_ok=True)
        for sid, text in outputs.items():
            write_output_file(output_file(folder, sid), text)
    except OSError as exc:
        raise PlannerError(
            f"cannot write an output file ({exc.strerror or exc}: {exc.filename}); the outputs "
            "are safe in the database: see 'planner runs show RUN_ID --outputs --engine dbos'"
        ) from None


def run(plan: Plan | str | os.PathLike[str], backend: str = "mock", **options: Any) -> RunResult:
    """Synchronous :func:`run_async`."""
    return asyncio.run(run_async(plan, backend, **options))
