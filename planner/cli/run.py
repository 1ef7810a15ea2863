"""``planner run`` and ``planner runs``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import signal
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planner.cli.terminal import emit
from planner.display import columns
from planner.errors import EXIT_INTERRUPTED, InputError, PlannerError

if TYPE_CHECKING:
    from planner.runner.model import RunResult

_BACKEND_NAMES = ("dry-run", "mock", "command", "anthropic")


class _Finite(click.FloatRange):
    """A float option that refuses 'nan' and 'inf' (which every range check lets through)."""

    name = "finite number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


def _pairs(values: tuple[str, ...], what: str, *, integer: bool = False) -> dict[str, float]:
    """Parse ``TIER=VALUE`` items (a bare VALUE applies to every tier, key ``*``)."""
    out: dict[str, float] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        if not sep:
            key, raw = "*", item
        try:
            number = int(raw) if integer else float(raw)
        except ValueError:
            raise click.BadParameter(f"'{item}' is not TIER=NUMBER", param_hint=what) from None
        if not math.isfinite(number):
            raise click.BadParameter(f"'{item}' is not a finite number", param_hint=what)
        if number < 0:
            raise click.BadParameter(f"'{item}' must not be negative", param_hint=what)
        out[key.strip()] = number
    return out


def _resolve_run_id(state: Path, wanted: str) -> str:
    """The run id ``wanted`` names (a whole id or a unique prefix), checked like every run id."""
    from planner.runner.journal import JOURNAL_NAME, Journal
    from planner.runner.paths import check_run_id

    check_run_id(wanted)
    db = state / JOURNAL_NAME
    if not db.exists():
        raise InputError(f"no runs recorded in {state}")
    journal = Journal(db, readonly=True)
    try:
        ids = [] if journal.empty else journal.run_ids()
    finally:
        journal.close()
    if wanted in ids:
        return wanted
    matches = [i for i in ids if i.startswith(wanted)]
    if len(matches) == 1:
        return check_run_id(matches[0])
    if matches:
        raise InputError(f"run id '{wanted}' is ambiguous: {', '.join(sorted(matches)[:5])}")
    raise InputError(f"no run '{wanted}' in {state} (see 'planner runs')")


def _engine_options(func: Any) -> Any:
    """Options of the engine choice, shared by ``run`` (the dbos ones live in planner.cli.dbos)."""
    for option in reversed(
        [
            click.option(
                "--engine",
                type=click.Choice(["local", "dbos"]),
                help="local: this process (default); dbos: DBOS workers sharing a database.",
            ),
            click.option(
                "--database-url",
                envvar="PLANNER_DATABASE_URL",
                metavar="URL",
                help="dbos engine: postgresql://... (default: SQLite in the state folder).",
            ),
            click.option(
                "--no-work", is_flag=True, help="dbos engine: submit and follow; let workers run it."
            ),
            click.option(
                "--poll-interval",
                type=click.FloatRange(min=0.001),
                metavar="S",
                help="dbos engine: how often queues and events are polled (default 0.05).",
            ),
            click.option(
                "--worker-limit",
                type=click.IntRange(min=1),
                metavar="N",
                help=(
                    "dbos engine: steps of one tier running at once on any one worker "
                    "[default: each live worker's share of the tier's limit]."
                ),
            ),
            click.option(
                "--lease",
                type=click.FloatRange(min=0.1),
                metavar="S",
                help="dbos engine: a worker silent this long is dead (default 30).",
            ),
        ]
    ):
        func = option(func)
    return func


def _engine(engine: str | None, settings: Mapping[str, Any]) -> str:
    from planner.runner.engines import DEFAULT_ENGINE, check_engine, require_dbos

    chosen = check_engine(engine or str(settings.get("engine", DEFAULT_ENGINE)))
    if chosen == "dbos":
        require_dbos()
    return chosen


def _resolve_dbos_run_id(url: str, wanted: str) -> str:
    from planner.runner.engines.dbos.store import Store

    store = Store(url)
    try:
        ids = store.run_ids()
    finally:
        store.close()
    return _pick_run_id(ids, wanted, f"the database at {store.where}")


def _pick_run_id(ids: list[str], wanted: str, where: str) -> str:
    if wanted in ids:
        return wanted
    matches = [i for i in ids if i.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InputError(f"run id '{wanted}' is ambiguous: {', '.join(sorted(matches)[:5])}")
    raise InputError(f"no run '{wanted}' in {where} (see 'planner runs')")


@click.command("run")
@click.argument("plan_file", metavar="PLAN")
@click.option(
    "--backend", "-b", type=click.Choice(_BACKEND_NAMES), help="Where steps run (default: dry-run)."
)
@click.option(
    "--max-parallel", "-j", type=click.IntRange(min=1), help="Steps running at once (all tiers)."
)
@click.option(
    "--tier-limit", multiple=True, metavar="TIER=N", help="Steps running at once on one tier."
)
@click.option("--max-cost", type=_Finite(min=0), metavar="USD", help="Stop before spending more.")
@click.option("--yes", "-y", is_flag=True, help="Start a paid backend without asking.")
@click.option(
    "--state",
    "state_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the journal and outputs (default: .planner).",
)
@click.option(
    "--resume", metavar="RUN_ID", help="Continue a recorded run; finished steps never run again."
)
@click.option(
    "--force", is_flag=True, help="With --resume: accept a plan that changed since the run started."
)
@click.option(
    "--retry-failed", is_flag=True, help="With --resume: run failed and skipped steps again."
)
@click.option(
    "--events",
    type=click.Choice(["auto", "tty", "plain", "jsonl"]),
    default="auto",
    show_default=True,
    help="Progress: live line, plain lines (stderr) or JSON lines (stdout).",
)
@click.option(
    "--command",
    "command",
    metavar="CMD",
    help="Command backend: argv with {model} {tier} {step} {round}; prompt on stdin.",
)
@click.option(
    "--mock-latency", multiple=True, metavar="[TIER=]S", help="Mock backend: seconds per call."
)
@click.option(
    "--mock-fail-rate", multiple=True, metavar="[TIER=]P", help="Mock backend: failure probability."
)
@click.option(
    "--mock-time-scale",
    type=_Finite(min=0, min_open=True),
    metavar="F",
    help="Mock backend: each step lasts its estimated seconds times F (what-if timing).",
)
@click.option(
    "--mock-seed", type=int, default=0, show_default=True, help="Mock backend: seed for failures."
)
@click.option(
    "--retries", type=click.IntRange(min=0), help="Extra attempts for errors that can heal."
)
@click.option(
    "--backoff-base", type=_Finite(min=0.001), metavar="S", help="First retry delay bound."
)
@click.option(
    "--timeout",
    "timeout_s",
    type=_Finite(min=0.001),
    metavar="S",
    help="Per-call timeout for steps without timeout_s.",
)
@click.option(
    "--max-tokens", type=click.IntRange(min=1), help="Output bound for steps without max_tokens."
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Use this configuration file.",
)
@_engine_options
def run(
    plan_file: str,
    backend: str | None,
    max_parallel: int | None,
    tier_limit: tuple[str, ...],
    max_cost: float | None,
    yes: bool,
    state_dir: Path | None,
    resume: str | None,
    force: bool,
    retry_failed: bool,
    events: str,
    command: str | None,
    mock_latency: tuple[str, ...],
    mock_fail_rate: tuple[str, ...],
    mock_seed: int,
    mock_time_scale: float | None,
    retries: int | None,
    backoff_base: float | None,
    timeout_s: float | None,
    max_tokens: int | None,
    config_path: Path | None,
    engine: str | None,
    database_url: str | None,
    no_work: bool,
    poll_interval: float | None,
    worker_limit: int | None,
    lease: float | None,
) -> int:
    """Execute a plan file.

    \b
    planner run review.plan.yaml                      # dry run: waves, tiers, estimate
    planner run review.plan.yaml -b mock --mock-latency 0.2
    planner run review.plan.yaml -b command --command 'claude -p --model {model}' --max-cost 2
    planner run review.plan.yaml -b anthropic --max-cost 5
    planner run review.plan.yaml -b anthropic --resume RUN_ID
    planner run review.plan.yaml -b mock --engine dbos --database-url postgresql://...

    Exit status: 0 every step done, 1 a step failed or was skipped or the
    budget stopped the run, 2 bad usage or an invalid plan, 130 interrupted.
    """
    from planner.config import load_config
    from planner.plan.loader import load_plan
    from planner.runner.runner import DEFAULT_STATE_DIR, validate_plan

    if (force or retry_failed) and not resume:
        raise click.UsageError("--force and --retry-failed go with --resume RUN_ID")
    plan_path = Path(plan_file)
    config = (
        load_config(explicit=config_path)
        if config_path
        else load_config(plan_path.parent if plan_path.parent.is_dir() else None)
    )
    plan = load_plan(plan_path, config=config)
    validate_plan(plan, config)
    settings = dict(config.run)
    backend = backend or str(settings.get("backend", "dry-run"))
    if backend not in _BACKEND_NAMES:
        raise InputError(
            f"unknown backend '{backend}' in configuration (known: {', '.join(_BACKEND_NAMES)})"
        )
    if backend == "dry-run":
        emit(_dry_run_text(plan, config, max_cost), nl=False, clean=True)
        return 0

    state = state_dir or Path(DEFAULT_STATE_DIR)
    if state_dir is None and "state_dir" in settings:
        # Like other paths in configuration, relative to the file that sets it.
        base = config.path.parent if config.path else Path.cwd()
        state = base / str(settings["state_dir"])
    engine = _engine(engine, settings)
    if engine == "dbos":
        from planner.cli.dbos import dbos_options

        options_dbos = dbos_options(
            config, state, database_url, no_work, poll_interval, lease, worker_limit
        )
    elif no_work or poll_interval is not None or lease is not None or worker_limit is not None:
        raise click.UsageError(
            "--no-work, --poll-interval, --worker-limit and --lease go with --engine dbos"
        )
    recorded_cap: float | None = None
    if resume and engine == "dbos":
        from planner.cli.dbos import recorded_cap as dbos_recorded_cap

        resume = _resolve_dbos_run_id(options_dbos["database_url"], resume)
        recorded_cap = dbos_recorded_cap(options_dbos["database_url"], resume)
    elif resume:
        resume = _resolve_run_id(state, resume)
        recorded_cap = _recorded_cap(state, resume)
    limits = _pairs(tier_limit, "--tier-limit", integer=True)
    if "*" in limits:
        raise click.BadParameter("write TIER=N", param_hint="--tier-limit")
    options: dict[str, Any] = {
        "config": config,
        "state_dir": state,
        "resume": resume,
        "force": force,
        "retry_failed": retry_failed,
        "max_parallel": max_parallel,
        "tier_limits": {k: int(v) for k, v in limits.items()},
        "max_cost": max_cost,
        "retries": retries,
        "backoff_base_s": backoff_base,
        "timeout_s": timeout_s,
        "max_tokens": max_tokens,
        "seed": mock_seed,
    }
    if backend == "mock":
        options["mock_latency"] = _pairs(mock_latency, "--mock-latency")
        options["mock_failure_rate"] = _pairs(mock_fail_rate, "--mock-fail-rate")
        if mock_time_scale is not None:
            options["mock_time_scale"] = mock_time_scale
        if any(r > 1 for r in options["mock_failure_rate"].values()):
            raise click.BadParameter(
                "a failure rate is between 0 and 1", param_hint="--mock-fail-rate"
            )
    if backend == "command":
        options["command"] = command or settings.get("command")
    if backend in ("command", "anthropic") and not (engine == "dbos" and no_work):
        from planner.runner.backends import preflight

        # A missing key or command fails every step: say so before asking or starting.
        # (A --no-work submitter calls nothing: the workers' keys and commands count.)
        preflight(backend, config, options)
    # A resumed run keeps the cap it was started with (the journal has it).
    cap = max_cost if max_cost is not None else recorded_cap
    if backend in ("command", "anthropic") and not _confirmed(
        plan, config, backend, yes, cap, settings
    ):
        emit("planner: not started", err=True)
        return 1

    reporter = _reporter(events)
    started: dict[str, Any] = {}

    def on_event(event: dict[str, Any]) -> None:
        if event["event"] == "run_start":
            started.update(event)
        reporter(event)

    runner: Any
    if engine == "dbos":
        from planner.runner.engines.dbos import engine as runner

        options.update(options_dbos)
    else:
        from planner.runner import runner

    async def main() -> RunResult:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        if task is not None:
            # SIGTERM stops as cleanly as Ctrl-C.
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signal.SIGTERM, task.cancel)
        result: RunResult = await runner.run_async(plan, backend, on_event=on_event, **options)
        return result

    try:
        result = asyncio.run(main())
    except PlannerError as exc:
        reporter.close()
        rid = started.get("run_id")
        if rid is None:
            raise
        # The run began: say how to carry on once the cause is fixed (a full disk, say).
        raise PlannerError(
            f"{exc.format_message()}; resume with: {_resume_command(plan_file, rid)}"
        ) from None
    except OSError as exc:
        # The machine, not planner: a full disk or quota, a read-only or vanished folder.
        reporter.close()
        where = f"{os.fsdecode(exc.filename)}: " if exc.filename else ""
        raise PlannerError(f"cannot write: {where}{exc.strerror or exc}") from None
    except Exception as exc:
        # Exit 3 as any internal error, but never with a credential in the message.
        from planner.runner.redact import default_redactor

        reporter.close()
        raise RuntimeError(default_redactor()(f"{type(exc).__name__}: {exc}")) from None
    except (KeyboardInterrupt, asyncio.CancelledError):
        reporter.close()
        rid = started.get("run_id")
        hint = f"; resume with: {_resume_command(plan_file, rid)}" if rid else ""
        emit(f"planner: interrupted{hint}", err=True, clean=True)
        return EXIT_INTERRUPTED
    reporter.close()
    if events != "jsonl":
        emit(_summary(result, plan_file), clean=True)
        if mock_time_scale is not None and result.makespan_s:
            emit(
                f"simulated makespan at full scale: {result.makespan_s / mock_time_scale:.0f} s "
                f"(measured {result.makespan_s:.2f} s at scale {mock_time_scale:g})"
            )
    return result.exit_code


def _recorded_cap(state: Path, run_id: str) -> float | None:
    """The --max-cost a recorded run was started (or last resumed) with."""
    from planner.runner.journal import JOURNAL_NAME, Journal

    journal = Journal(state / JOURNAL_NAME)
    try:
        row = journal.get_run(run_id)
    finally:
        journal.close()
    return row.max_cost if row is not None else None


def _interactive() -> bool:
    """True when a person can answer a question (stdin and stderr are terminals)."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def _confirmed(
    plan: Any,
    config: Any,
    backend: str,
    yes: bool,
    max_cost: float | None,
    settings: Mapping[str, Any],
) -> bool:
    from planner.runner.estimate import estimate_steps

    if yes:
        return True
    estimate = sum(c.cost_usd for c in estimate_steps(plan, config).values())
    if not _interactive():
        if max_cost is None and "max_cost" not in settings:
            raise InputError(
                f"the {backend} backend may spend money (estimate ${estimate:.2f}) and there is no terminal "
                "to confirm on: pass --yes or --max-cost USD"
            )
        return True
    from planner.runner.defaults import CONFIRM_ABOVE_USD

    threshold = float(settings.get("confirm_above_usd", CONFIRM_ABOVE_USD))
    if estimate <= threshold:
        return True
    cap = f", capped at ${max_cost:.2f}" if max_cost is not None else ""
    return click.confirm(
        f"This run on {backend} is estimated at ${estimate:.2f}{cap}. Start it?",
        default=False,
        err=True,
    )


def _reporter(kind: str) -> Any:
    from planner.runner.progress import JsonlReporter, PlainReporter, TtyReporter

    if kind == "jsonl":
        return JsonlReporter(sys.stdout)
    from planner.cli.terminal import live_updates, stream_width

    if kind == "tty" or (kind == "auto" and live_updates(sys.stderr)):
        return TtyReporter(sys.stderr, columns=lambda: stream_width(sys.stderr))
    return PlainReporter(sys.stderr)


def _money(value: float) -> str:
    return f"${value:.4f}"


# Costs that include calls booked at their worst case (the backend reported no
# usable usage) carry this mark, explained once below the table.
_BOOKED_MARK = "*"


def _cost_cell(cost: float, booked: float) -> str:
    return _money(cost) + (_BOOKED_MARK if booked > 0 else "")


def _booked_note(booked: float, spent: float) -> str:
    return (
        f"{_BOOKED_MARK} booked, not measured: {_money(booked)} of the {_money(spent)} spent is "
        "calls booked at their worst case (prompt plus max_tokens at the tier's prices) because "
        "the backend reported no usable usage"
    )


def _dry_run_text(plan: Any, config: Any, max_cost: float | None) -> str:
    from planner.runner.estimate import estimate_steps, waves
    from planner.runner.redact import default_redactor

    costs = estimate_steps(plan, config)
    steps = {s.id: s for s in plan.steps}
    lines = [f"Dry run of {plan.source or 'plan'}: {len(plan.steps)} steps; nothing is called."]
    if plan.task:
        lines.append(f"task: {default_redactor()(plan.task)}")
    finish: dict[str, float] = {}
    for n, wave in enumerate(waves(plan), 1):
        items = ", ".join(f"{sid} ({costs[sid].tier})" for sid in wave)
        lines.append(f"wave {n}: {items}")
        for sid in wave:
            start = max((finish[d] for d in steps[sid].depends_on), default=0.0)
            finish[sid] = start + costs[sid].seconds
    lines.append("")
    header = ("step", "tier", "model", "rounds", "est. cost", "est. time")
    rows = [header]
    for s in plan.steps:
        c = costs[s.id]
        rounds = str(s.max_rounds) if s.max_rounds else ("until" if s.until else "1")
        rows.append((s.id, c.tier, c.model, rounds, _money(c.cost_usd), f"{c.seconds:.0f} s"))
    lines.extend(columns(rows))
    total = sum(c.cost_usd for c in costs.values())
    sequential = sum(c.seconds for c in costs.values())
    names = {
        "plan": "the plan's own estimate",
        "model": "the assumptions in rules/estimate.toml, as in suggest",
    }
    source = " and ".join(names[k] for k in names if any(c.source == k for c in costs.values()))
    lines.append("")
    lines.append(
        f"estimate ({source}): {_money(total)}; critical path ~{max(finish.values(), default=0):.0f} s, "
        f"sequential ~{sequential:.0f} s"
    )
    if max_cost is not None:
        lines.append(
            f"budget: {_money(max_cost)}" + (" (below the estimate)" if max_cost < total else "")
        )
    lines.append("Run it with --backend mock, command or anthropic.")
    return "\n".join(lines) + "\n"


def _summary(result: RunResult, plan_file: str) -> str:
    lines: list[str] = []
    header = ("step", "status", "tier", "rounds", "attempts", "cost", "estimate", "note")
    rows = [header]
    for s in result.steps.values():
        rows.append(
            (
                s.id,
                s.status,
                s.tier,
                str(s.rounds),
                str(s.attempts),
                _cost_cell(s.cost_usd, s.booked_usd),
                _money(s.estimated_cost_usd),
                (s.error or "")[:80],
            )
        )
    lines.extend(columns(rows))
    lines.append("")
    budget = f" of {_money(result.max_cost_usd)} budget" if result.max_cost_usd is not None else ""
    lines.append(
        f"run {result.run_id}: {result.status}; spent "
        f"{_cost_cell(result.cost_usd, result.booked_usd)}{budget}, "
        f"estimated {_money(result.estimated_cost_usd)}; {result.makespan_s:.2f} s"
    )
    if result.booked_usd > 0:
        lines.append(_booked_note(result.booked_usd, result.cost_usd))
    if result.message:
        lines.append(f"note: {result.message}")
    if result.state_dir and result.count("done"):
        lines.append(f"outputs: {Path(result.state_dir) / 'runs' / result.run_id}")
    if result.status != "done":
        extra = {"failed": " --retry-failed", "budget": " --max-cost MORE_USD"}.get(
            result.status, ""
        )
        lines.append(f"resume with: {_resume_command(plan_file, result.run_id)}{extra}")
    return "\n".join(lines)


def _resume_command(plan_file: str, run_id: str) -> str:
    """The command that resumes a run, spelled to work as printed (quoted, and the way
    planner was started when ``planner`` is not on the PATH)."""
    import shlex

    from planner.cli.terminal import command_name

    return f"{command_name()} run {shlex.quote(plan_file)} --resume {shlex.quote(run_id)}"


# -- planner runs ---------------------------------------------------------------


def _open_journal(state: Path, url: str | None = None) -> Any:
    """The record to read: the local journal, or the dbos engine's tables when ``url`` is set."""
    if url is not None:
        from planner.cli.dbos import open_store

        return open_store(url)
    from planner.runner.journal import JOURNAL_NAME, Journal

    db = state / JOURNAL_NAME
    if not db.exists():
        return None
    # Listing reads only: it works where one may not write, and never sets up a journal.
    journal = Journal(db, readonly=True)
    if journal.empty:
        journal.close()
        return None
    return journal


def _shown_status(state: Path, row: Any, url: str | None = None) -> str:
    from planner.runner.lock import is_locked
    from planner.runner.paths import run_folder

    if row.status != "running" or url is not None:
        return str(row.status)
    try:
        folder = run_folder(state, row.id)
    except PlannerError:
        return "crashed"  # a journal row no run of ours could have written: nothing holds it
    return "running" if is_locked(folder) else "crashed"


def _runs_where(ctx: click.Context, state_dir: Path | None, engine: str | None, url: str | None) -> tuple[Path, str | None]:
    """(state folder, database URL or None for the local journal) from a subcommand and its group."""
    parent = ctx.obj if isinstance(ctx.obj, dict) else {}
    state = state_dir or parent.get("state") or Path(".planner")
    from planner.config import load_config

    settings = dict(load_config().run)
    chosen = _engine(engine or parent.get("engine"), settings)
    if chosen != "dbos":
        return state, None
    from planner.runner.engines.dbos.engine import resolve_url

    return state, resolve_url(url or parent.get("url"), load_config(), state)


_RUNS_ENGINE_OPTIONS = [
    click.option("--engine", type=click.Choice(["local", "dbos"]), help="Which engine's record to read (default: configuration, else local)."),
    click.option("--database-url", "url", envvar="PLANNER_DATABASE_URL", metavar="URL", help="dbos engine: the database (default: SQLite in the state folder)."),
]


def _runs_engine(func: Any) -> Any:
    for option in reversed(_RUNS_ENGINE_OPTIONS):
        func = option(func)
    return func


def _when(ts: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts)) if ts else ""


_STATE_OPTION = click.option(
    "--state",
    "state_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".planner"),
    show_default=True,
    help="Folder holding the journal.",
)
_FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)


@click.group("runs", invoke_without_command=True)
@_STATE_OPTION
@_FORMAT_OPTION
@_runs_engine
@click.pass_context
def runs(ctx: click.Context, state_dir: Path, fmt: str, engine: str | None, url: str | None) -> int:
    """List recorded runs (newest first); 'planner runs show RUN_ID' for one run.

    With --engine dbos (or [tool.planner.run] engine = "dbos") the record is
    the dbos engine's tables in its database.
    """
    ctx.obj = {"state": state_dir, "engine": engine, "url": url}
    if ctx.invoked_subcommand is not None:
        return 0
    state_dir, url = _runs_where(ctx, state_dir, engine, url)
    journal = _open_journal(state_dir, url)
    if journal is None:
        if fmt == "json":
            emit("[]")
        else:
            emit(f"no runs recorded in {state_dir}", clean=True)
        return 0
    from planner.runner.redact import default_redactor

    # Journals written before tasks were masked may still hold a key: mask on the way out too.
    redact = default_redactor()
    try:
        items = []
        for row in journal.runs():
            totals = journal.totals(row.id)
            booked = sum(journal.booked(row.id).values())
            items.append(
                {
                    "run_id": row.id,
                    "status": _shown_status(state_dir, row, url),
                    "backend": row.backend,
                    "created_at": row.created_at,
                    "plan": row.plan_path,
                    "task": redact.optional(row.task),
                    "steps": totals["counts"],
                    "cost_usd": round(journal.spent(row.id), 6),
                    "booked_usd": round(booked, 6),
                    "estimated_cost_usd": round(totals["estimated_cost_usd"], 6),
                    "max_cost_usd": row.max_cost,
                }
            )
    finally:
        journal.close()
    if fmt == "json":
        emit(json.dumps(items, indent=2))
        return 0
    rows = [("run", "status", "backend", "started", "steps done", "cost", "estimate", "plan")]
    for it in items:
        counts = it["steps"]
        total = sum(counts.values())
        rows.append(
            (
                it["run_id"],
                it["status"],
                it["backend"],
                _when(it["created_at"]),
                f"{counts.get('done', 0)}/{total}",
                _cost_cell(it["cost_usd"], it["booked_usd"]),
                _money(it["estimated_cost_usd"]),
                it["plan"] or "",
            )
        )
    lines = columns(rows)
    if any(it["booked_usd"] > 0 for it in items):
        lines.append(
            f"\n{_BOOKED_MARK} includes calls booked at their worst case, not measured "
            "(see 'planner runs show RUN_ID')"
        )
    emit("\n".join(lines), clean=True)
    return 0


@runs.command("show")
@click.argument("run_id")
@click.option(
    "--state",
    "state_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding the journal (default: .planner).",
)
@_FORMAT_OPTION
@click.option("--outputs", is_flag=True, help="Include step outputs.")
@_runs_engine
@click.pass_context
def show(
    ctx: click.Context,
    run_id: str,
    state_dir: Path | None,
    fmt: str,
    outputs: bool,
    engine: str | None,
    url: str | None,
) -> int:
    """Show one run: step states, attempts, estimated vs spent cost (measured or booked).

    For a dbos run this reads the dbos engine's record (the run, step and
    attempt rows the workers write, in the same transactions as the budget)
    and names the DBOS workflows behind it.
    """
    state, url = _runs_where(ctx, state_dir, engine, url)
    rid = _resolve_dbos_run_id(url, run_id) if url is not None else _resolve_run_id(state, run_id)
    journal = _open_journal(state, url)
    if journal is None:
        raise PlannerError(f"no runs recorded in {state}")
    try:
        row = journal.get_run(rid)
        assert row is not None
        steps = journal.steps(rid)
        attempts = journal.attempts(rid)
        spent = journal.spent(rid)
        booked = journal.booked(rid)
        record = None
        if url is not None:
            from planner.cli.dbos import record_note

            record = record_note(journal, rid)
    finally:
        journal.close()
    from planner.runner.redact import default_redactor

    redact = default_redactor()
    data: dict[str, Any] = {
        "run_id": row.id,
        "status": _shown_status(state, row, url),
        "backend": row.backend,
        "plan": row.plan_path,
        "plan_hash": row.plan_hash,
        "task": redact.optional(row.task),
        "created_at": row.created_at,
        "finished_at": row.finished_at,
        "max_cost_usd": row.max_cost,
        "cost_usd": round(spent, 6),
        "booked_usd": round(sum(booked.values()), 6),
        "estimated_cost_usd": round(sum(s.estimated_cost for s in steps.values()), 6),
        "message": redact.optional(row.message),
        "steps": [
            {
                "id": s.step_id,
                "status": s.status,
                "tier": s.tier,
                "model": s.model,
                "rounds": s.rounds,
                "attempts": s.attempts,
                "input_tokens": s.input_tokens,
                "output_tokens": s.output_tokens,
                "cost_usd": round(s.cost, 6),
                "booked_usd": round(booked.get(s.step_id, 0.0), 6),
                "estimated_cost_usd": round(s.estimated_cost, 6),
                "error": redact.optional(s.error),
                "started_at": s.started_at,
                "finished_at": s.finished_at,
                "output_path": s.output_path,
                **({"output": redact.optional(s.output)} if outputs else {}),
            }
            for s in steps.values()
        ],
        "attempts": attempts,
    }
    if record is not None:
        data["record"] = record
    if fmt == "json":
        emit(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    lines = [f"run {row.id}: {data['status']} on {row.backend}, started {_when(row.created_at)}"]
    if record is not None:
        lines.append(f"record: {record['text']}")
    if row.plan_path:
        lines.append(f"plan: {row.plan_path}")
    budget = f" (budget {_money(row.max_cost)})" if row.max_cost is not None else ""
    total_booked = float(data["booked_usd"])
    split = (
        f" ({_money(spent - total_booked)} measured, {_money(total_booked)} booked at worst case)"
        if total_booked > 0
        else ""
    )
    lines.append(
        f"cost: {_money(spent)} spent{split} vs {_money(data['estimated_cost_usd'])} "
        f"estimated{budget}"
    )
    if data["message"]:
        lines.append(f"note: {data['message']}")
    table = [
        (
            "step",
            "status",
            "tier",
            "rounds",
            "attempts",
            "tokens in/out",
            "cost",
            "estimate",
            "note",
        )
    ]
    for s, shown in zip(steps.values(), data["steps"], strict=True):
        table.append(
            (
                s.step_id,
                s.status,
                s.tier,
                str(s.rounds),
                str(s.attempts),
                f"{s.input_tokens}/{s.output_tokens}",
                _cost_cell(s.cost, booked.get(s.step_id, 0.0)),
                _money(s.estimated_cost),
                (shown["error"] or "")[:80],
            )
        )
    lines.append("")
    lines.extend(columns(table))
    if total_booked > 0:
        lines.append("\n" + _booked_note(total_booked, spent))
    if outputs:
        for shown in data["steps"]:
            if shown["output"] is not None:
                lines.append(f"\n----- {shown['id']} -----\n{shown['output'].rstrip()}")
    # Model replies and server errors are quoted here: cleaned of control characters.
    emit("\n".join(lines), clean=True)
    return 0


@runs.command("cancel")
@click.argument("run_id")
@click.option(
    "--state",
    "state_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding the journal (default: .planner).",
)
@_runs_engine
@click.pass_context
def cancel(
    ctx: click.Context, run_id: str, state_dir: Path | None, engine: str | None, url: str | None
) -> int:
    """Stop a run for good; 'planner run PLAN --resume RUN_ID' can still pick it up.

    Local engine: the process running it is stopped as by Ctrl-C (its calls in
    flight are booked at their reservation); a run no process holds is marked
    cancelled. dbos engine: the record is final at once (calls in flight are
    booked at their reservation) and the run's DBOS workflows are cancelled on
    every worker.
    """
    state, url = _runs_where(ctx, state_dir, engine, url)
    if url is not None:
        from planner.cli.dbos import cancel_dbos_run

        rid = _resolve_dbos_run_id(url, run_id)
        click.echo(cancel_dbos_run(url, rid))
        return 0
    from planner.runner.lock import cancel_local_run

    rid = _resolve_run_id(state, run_id)
    click.echo(cancel_local_run(state, rid))
    return 0
