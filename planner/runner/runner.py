"""``run`` and ``run_async``: load, check, journal, schedule, report."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import math
import os
import random
import secrets
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from planner.config import Config, load_config
from planner.errors import ArgumentError, InputError, PlanError, PlannerError, check_arg
from planner.plan.model import Plan
from planner.runner import defaults
from planner.runner.backends import make_backend
from planner.runner.backends.base import Backend
from planner.runner.budget import Budget
from planner.runner.estimate import StepCost, estimate_steps
from planner.runner.journal import JOURNAL_NAME, Journal, plan_json
from planner.runner.lock import RunLock
from planner.runner.model import (
    DONE,
    PENDING,
    RUN_DRY,
    RUN_FAILED,
    RUN_INTERRUPTED,
    RUN_RUNNING,
    RunResult,
    StepResult,
)
from planner.runner.paths import check_run_id, output_file, run_folder
from planner.runner.redact import Redactor, default_redactor
from planner.runner.retry import RetryPolicy
from planner.runner.scheduler import Limits, Scheduler, write_output_file

DEFAULT_STATE_DIR = ".planner"
_BACKEND_OPTIONS = frozenset(
    {
        "mock_latency",
        "mock_failure_rate",
        "mock_seconds",
        "mock_time_scale",
        "command",
        "cwd",
        "api_key",
        "base_url",
    }
)


def plan_hash(plan: Plan) -> str:
    """A hash of the plan's content (not its formatting or comments)."""
    from planner.plan.dump import plan_to_dict

    return hashlib.sha256(
        plan_json(plan_to_dict(plan)).encode("utf-8", "surrogatepass")
    ).hexdigest()


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + secrets.token_hex(3)


def validate_plan(plan: Plan, config: Config) -> None:
    """Refuse what cannot run: bad or duplicate ids, unknown tiers, dangling deps, cycles."""
    from planner.plan.loader import validate_acyclic
    from planner.plan.spec import STEP_ID_RE

    path = plan.source
    seen: set[str] = set()
    for step in plan.steps:
        # A plan built in code never met the loader's checks, and ids name output files.
        if not isinstance(step.id, str) or not STEP_ID_RE.match(step.id):
            raise PlanError(
                f"invalid step id {step.id!r}: ids use lower-case letters, digits, '-' and '_'",
                path=path,
            )
        if step.id in seen:
            raise PlanError(f"duplicate step id '{step.id}'", path=path)
        seen.add(step.id)
    if not plan.steps:
        raise PlanError("the plan has no steps", path=path)
    for step in plan.steps:
        where = step.key_positions.get("depends_on", step.position)
        line, column = (where.line, where.column) if where else (None, None)
        _check_step_bounds(step, path)
        if step.tier is not None and step.tier not in config.tiers:
            raise PlanError(
                f"unknown tier '{step.tier}' (known: {', '.join(sorted(config.tiers))})", path=path
            )
        for dep in step.depends_on:
            if dep == step.id:
                raise PlanError(
                    f"step '{step.id}' depends on itself", path=path, line=line, column=column
                )
            if dep not in seen:
                raise PlanError(
                    f"step '{step.id}' depends on unknown step '{dep}'",
                    path=path,
                    line=line,
                    column=column,
                )
    validate_acyclic(plan.steps, path)


def _check_step_bounds(step: Any, path: str | None) -> None:
    """The per-step numbers the loader checks, for plans built in code."""
    for key, integer in (("timeout_s", False), ("max_tokens", True), ("max_rounds", True)):
        value = getattr(step, key)
        if value is None:
            continue
        kind = int if integer else (int, float)
        if (
            isinstance(value, bool)
            or not isinstance(value, kind)
            or not math.isfinite(value)
            or value <= 0
        ):
            noun = "a positive integer" if integer else "a finite number above 0"
            raise PlanError(f"step '{step.id}': '{key}' must be {noun}, not {value!r}", path=path)


def _load(plan: Plan | str | os.PathLike[str], config: Config | None) -> tuple[Plan, Config]:
    from planner.plan.loader import load_plan

    if isinstance(plan, Plan):
        return plan, config or load_config()
    if config is None:
        source = Path(plan)
        config = load_config(
            source.parent if "\n" not in str(plan) and source.parent.is_dir() else None
        )
    return load_plan(plan, config=config), config


def _positive(name: str, value: Any, *, integer: bool = False) -> Any:
    kind = int if integer else (int, float)
    # NaN passes every comparison check, and an infinite timeout or backoff is a hang.
    if (
        isinstance(value, bool)
        or not isinstance(value, kind)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InputError(
            f"{name} must be a positive {'integer' if integer else 'number'}, not {value!r}"
        )
    return value


def check_max_cost(value: Any) -> float | None:
    """``max_cost`` as a finite number of USD >= 0 (None: no cap)."""
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
    ):
        raise InputError(
            f"max_cost must be a finite number of USD >= 0, not {value!r} (leave it out for no cap)"
        )
    return float(value)


def run(
    plan: Plan | str | os.PathLike[str], backend: str | Backend = "mock", **options: Any
) -> RunResult:
    """Run a plan and wait for it.

    >>> result = planner.run("review.plan.yaml", backend="mock")   # doctest: +SKIP
    >>> result.status, result.outputs["review"]                      # doctest: +SKIP

    Options: ``max_parallel``, ``tier_limits``, ``max_cost``, ``state_dir`` (a
    folder for the journal and output files; default: none, in memory),
    ``resume`` (a run id), ``force``, ``retry_failed``, ``retries``,
    ``backoff_base_s``, ``backoff_cap_s``, ``timeout_s``, ``max_tokens``,
    ``until_max_rounds``, ``on_event`` (a callable receiving event dicts),
    ``config``, and backend settings (``mock_latency``, ``mock_failure_rate``,
    ``seed``, ``command``, ``api_key``, ``base_url``).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run_async(plan, backend, **options))
    raise RuntimeError(
        "planner.run() cannot be called from a running event loop; await planner.run_async() instead"
    )


async def run_async(
    plan: Plan | str | os.PathLike[str],
    backend: str | Backend = "mock",
    *,
    config: Config | None = None,
    state_dir: str | os.PathLike[str] | None = None,
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
    jitter_seed: int | None = None,
    run_id: str | None = None,
    **backend_options: Any,
) -> RunResult:
    """The async form of :func:`run` (same options)."""
    _check_arguments(plan, backend, config, state_dir, resume, run_id, on_event)
    unknown = set(backend_options) - _BACKEND_OPTIONS
    if unknown:
        raise ArgumentError(f"run(): unexpected options: {', '.join(sorted(unknown))}")
    # Run ids name folders: check them before anything can be built from them.
    if resume is not None:
        check_run_id(resume)
    if run_id is not None:
        check_run_id(run_id)
    plan_obj, cfg = _load(plan, config)
    validate_plan(plan_obj, cfg)
    settings = dict(cfg.run)
    costs = estimate_steps(plan_obj, cfg)
    backend_name = backend if isinstance(backend, str) else backend.name
    if backend_name == "dry-run":
        return _dry_result(plan_obj, costs)

    limits = Limits(
        max_parallel=_positive(
            "max_parallel",
            max_parallel or settings.get("max_parallel") or cfg.max_parallel,
            integer=True,
        ),
        tier_limits={
            k: _positive(f"tier limit for {k}", v, integer=True)
            for k, v in {**settings.get("tier_limits", {}), **(tier_limits or {})}.items()
        },
        default_timeout_s=_positive(
            "timeout_s", timeout_s or settings.get("timeout_s", defaults.TIMEOUT_S)
        ),
        default_max_tokens=_positive(
            "max_tokens",
            max_tokens or settings.get("max_tokens", defaults.MAX_TOKENS),
            integer=True,
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
        base_s=_positive(
            "backoff_base_s",
            backoff_base_s or settings.get("backoff_base_s", defaults.BACKOFF_BASE_S),
        ),
        cap_s=_positive(
            "backoff_cap_s", backoff_cap_s or settings.get("backoff_cap_s", defaults.BACKOFF_CAP_S)
        ),
    )
    if max_cost is None and "max_cost" in settings and resume is None:
        max_cost = settings["max_cost"]
    max_cost = check_max_cost(max_cost)

    owned = isinstance(backend, str)
    scale = backend_options.pop("mock_time_scale", None)
    if scale is not None:
        # What-if timing: each mock call lasts its estimated seconds times the scale.
        _positive("mock_time_scale", scale)
        backend_options["mock_seconds"] = {sid: c.seconds * scale for sid, c in costs.items()}
    backend_obj = (
        make_backend(backend, cfg, {**backend_options, "seed": seed})
        if isinstance(backend, str)
        else backend
    )
    redact = default_redactor()
    if backend_options.get("api_key"):
        redact.add(str(backend_options["api_key"]))

    state = Path(state_dir) if state_dir is not None else None
    journal = Journal(state / JOURNAL_NAME if state else None)
    lock: RunLock | None = None
    emit = _safe_emit(on_event)
    try:
        if state is not None:
            # Take the run's lock before touching its journal rows: resuming a run
            # that another process is still executing must change nothing.
            rid_to_lock = resume or run_id or new_run_id()
            if resume is not None and journal.get_run(resume) is None:
                raise InputError(f"no run '{resume}' in {state} (see 'planner runs')")
            lock = RunLock(run_folder(state, rid_to_lock), rid_to_lock)
            lock.acquire()
            run_id = run_id or rid_to_lock
        rid, resumed_done = _open_run(
            journal,
            plan_obj,
            costs,
            backend_obj,
            resume=resume,
            force=force,
            retry_failed=retry_failed,
            max_cost=max_cost,
            run_id=run_id,
            redact=redact,
        )
        if resume is not None and max_cost is None:
            # The cap the run was started with, else the configuration's.
            row = journal.get_run(rid)
            recorded = row.max_cost if row else None
            max_cost = (
                recorded if recorded is not None else check_max_cost(settings.get("max_cost"))
            )
            if recorded is None and max_cost is not None:
                journal.set_max_cost(rid, max_cost)
        # Absolute, so recorded output paths stay valid from any working directory.
        out_dir = run_folder(state, rid).absolute() if state else None
        if out_dir is not None and resume is not None:
            _restore_missing_files(journal, rid, out_dir)
        journal.set_run_status(rid, RUN_RUNNING, finished=False)
        budget = Budget(max_cost, spent=journal.spent(rid))
        scheduler = Scheduler(
            plan=plan_obj,
            config=cfg,
            backend=backend_obj,
            journal=journal,
            run_id=rid,
            rows=journal.steps(rid),
            costs=costs,
            limits=limits,
            retry=policy,
            budget=budget,
            emit=emit,
            redact=redact,
            out_dir=out_dir,
            rng=random.Random(jitter_seed),
        )
        emit(
            {
                "event": "run_start",
                "time": round(time.time(), 3),
                "run_id": rid,
                "backend": backend_obj.name,
                "steps": len(plan_obj.steps),
                "resuming": resumed_done,
                "max_cost_usd": max_cost,
                "estimated_cost_usd": round(sum(c.cost_usd for c in costs.values()), 6),
                "state_dir": str(state) if state else None,
            }
        )
        try:
            try:
                status = await scheduler.execute()
            except BaseException:
                # The first failure (often the journal on a full disk) is the one to report.
                with contextlib.suppress(PlannerError):
                    scheduler.finish_files()
                raise
            scheduler.finish_files()
        except asyncio.CancelledError:
            journal.end_run(rid, RUN_INTERRUPTED, "interrupted")
            _end_event(
                emit,
                _result(
                    journal,
                    rid,
                    plan_obj,
                    backend_obj.name,
                    RUN_INTERRUPTED,
                    max_cost,
                    scheduler,
                    state,
                ),
            )
            raise
        except Exception as exc:
            # Also when the journal itself failed (a full disk): the run must not
            # stay recorded as running.
            why = str(exc) if isinstance(exc, PlannerError) else f"{type(exc).__name__}: {exc}"
            journal.end_run(rid, RUN_FAILED, redact(why))
            raise
        journal.set_run_status(rid, status, scheduler.stopping, finished=True)
        result = _result(
            journal, rid, plan_obj, backend_obj.name, status, max_cost, scheduler, state
        )
        _end_event(emit, result)
        return result
    finally:
        if owned:
            await backend_obj.aclose()
        if lock is not None:
            lock.release()
        journal.close()


def _check_arguments(
    plan: Any,
    backend: Any,
    config: Any,
    state_dir: Any,
    resume: Any,
    run_id: Any,
    on_event: Any,
) -> None:
    """Wrong types are a :class:`~planner.errors.ArgumentError`, not a crash deep inside."""
    check_arg("run", "plan", plan, (Plan, str, os.PathLike), "a Plan, a path or plan text")
    if not isinstance(backend, str):
        missing = [a for a in ("name", "paid", "call", "aclose") if not hasattr(backend, a)]
        if missing:
            raise ArgumentError(
                f"run(): backend must be a backend name or an object with name, paid, "
                f"call() and aclose(); {type(backend).__name__} has no {missing[0]}"
            )
    if config is not None:
        check_arg("run", "config", config, Config, "a planner.config.Config or None")
    if state_dir is not None:
        check_arg("run", "state_dir", state_dir, (str, os.PathLike), "a folder path or None")
    for name, value in (("resume", resume), ("run_id", run_id)):
        if value is not None:
            check_arg("run", name, value, str, "a run id (str) or None")
    if on_event is not None and not callable(on_event):
        raise ArgumentError(f"run(): on_event must be callable, not {type(on_event).__name__}")


def _open_run(
    journal: Journal,
    plan: Plan,
    costs: Mapping[str, StepCost],
    backend: Backend,
    *,
    resume: str | None,
    force: bool,
    retry_failed: bool,
    max_cost: float | None,
    run_id: str | None,
    redact: Redactor,
) -> tuple[str, int]:
    """Create the run, or reopen it for ``--resume``; returns (run id, steps already done)."""
    from planner.plan.dump import plan_to_dict

    document = plan_to_dict(plan)
    canonical = plan_json(document)
    digest = hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
    # Masked value by value, before JSON escaping hides a key's quotes from the shapes.
    text = plan_json(_masked(document, redact))
    step_rows = [
        (s.id, costs[s.id].tier, costs[s.id].model, costs[s.id].cost_usd) for s in plan.steps
    ]
    if resume is None:
        rid = run_id or new_run_id()
        journal.create_run(
            run_id=rid,
            backend=backend.name,
            plan_path=plan.source,
            plan_hash=digest,
            plan_json=text,
            task=redact.optional(plan.task),
            max_cost=max_cost,
            steps=step_rows,
        )
        return rid, 0
    row = journal.get_run(resume)
    if row is None:
        where = f" in {journal.path.parent}" if journal.path else ""
        raise InputError(f"no run '{resume}'{where} (see 'planner runs')")
    if row.plan_hash != digest:
        if not force:
            raise InputError(
                f"the plan changed since run {resume} started; refusing to resume it "
                "(--force resumes it with the new plan; finished steps are kept as they are)"
            )
        journal.replace_plan(resume, plan_hash=digest, plan_json=text, steps=step_rows)
    if max_cost is not None:
        journal.set_max_cost(resume, max_cost)
    journal.recover_lost_attempts(resume, charge=backend.paid)
    if retry_failed:
        journal.reset_failed(resume)
    done = sum(1 for s in journal.steps(resume).values() if s.status == DONE)
    return resume, done


def _masked(value: Any, redact: Redactor) -> Any:
    """``value`` (plan data) with every string in it passed through ``redact``."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _masked(v, redact) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(v, redact) for v in value]
    return value


def _restore_missing_files(journal: Journal, run_id: str, out_dir: Path) -> None:
    """The journal holds every finished step's output: rewrite files a crash lost or cut short."""
    for row in journal.steps(run_id).values():
        if row.status != DONE or row.output is None:
            continue
        path = output_file(out_dir, row.step_id)
        try:
            if path.read_text(encoding="utf-8", errors="surrogatepass") == row.output:
                continue
        except (OSError, UnicodeDecodeError):
            pass
        out_dir.mkdir(parents=True, exist_ok=True)
        write_output_file(path, row.output)


def _result(
    journal: Journal,
    rid: str,
    plan: Plan,
    backend: str,
    status: str,
    max_cost: float | None,
    scheduler: Scheduler,
    state: Path | None,
) -> RunResult:
    rows = journal.steps(rid)
    booked = journal.booked(rid)
    steps = {}
    for s in plan.steps:
        r = rows[s.id]
        steps[s.id] = StepResult(
            id=s.id,
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
            booked_usd=booked.get(s.id, 0.0),
        )
    makespan = 0.0
    if scheduler.first_start is not None and scheduler.last_finish is not None:
        makespan = max(scheduler.last_finish - scheduler.first_start, 0.0)
    run_row = journal.get_run(rid)
    return RunResult(
        run_id=rid,
        status=status,
        backend=backend,
        steps=MappingProxyType(steps),
        cost_usd=journal.spent(rid),
        estimated_cost_usd=sum(s.estimated_cost_usd for s in steps.values()),
        max_cost_usd=max_cost,
        makespan_s=makespan,
        state_dir=str(state) if state else None,
        message=run_row.message if run_row else None,
        booked_usd=sum(booked.values()),
    )


def _end_event(emit: Callable[[dict[str, Any]], None], result: RunResult) -> None:
    emit(
        {
            "event": "run_end",
            "time": round(time.time(), 3),
            "run_id": result.run_id,
            "status": result.status,
            "done": result.count(DONE),
            "failed": result.count("failed"),
            "skipped": result.count("skipped"),
            "pending": result.count(PENDING),
            "cost_usd": round(result.cost_usd, 6),
            "booked_usd": round(result.booked_usd, 6),
            "estimated_cost_usd": round(result.estimated_cost_usd, 6),
            "makespan_s": round(result.makespan_s, 3),
            "message": result.message,
        }
    )


def _dry_result(plan: Plan, costs: Mapping[str, StepCost]) -> RunResult:
    steps = {
        s.id: StepResult(
            id=s.id,
            status=PENDING,
            tier=costs[s.id].tier,
            model=costs[s.id].model,
            estimated_cost_usd=costs[s.id].cost_usd,
        )
        for s in plan.steps
    }
    return RunResult(
        run_id="dry-run",
        status=RUN_DRY,
        backend="dry-run",
        steps=MappingProxyType(steps),
        estimated_cost_usd=sum(c.cost_usd for c in costs.values()),
    )


def _safe_emit(
    callback: Callable[[dict[str, Any]], None] | None,
) -> Callable[[dict[str, Any]], None]:
    if callback is None:
        return lambda event: None

    def emit(event: dict[str, Any]) -> None:
        # A closed progress pipe must not stop a paid run halfway.
        with contextlib.suppress(BrokenPipeError):
            callback(event)

    return emit


__all__ = [
    "DEFAULT_STATE_DIR",
    "Redactor",
    "new_run_id",
    "plan_hash",
    "run",
    "run_async",
    "validate_plan",
]
