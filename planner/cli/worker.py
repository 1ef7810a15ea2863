"""``planner worker``: serve the dbos engine's queues until stopped."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

import click

from planner.errors import EXIT_INTERRUPTED

# A worker declared dead by the others stops with this status (EX_TEMPFAIL), so
# a supervisor starts it again as a new worker.
EXIT_FENCED = 75


@click.command("worker")
@click.option(
    "--database-url",
    envvar="PLANNER_DATABASE_URL",
    metavar="URL",
    help="postgresql://... shared by every worker (default: SQLite in the state folder).",
)
@click.option(
    "--state",
    "state_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="State folder for the embedded SQLite database (default: .planner).",
)
@click.option(
    "--command",
    "command",
    metavar="CMD",
    help="Command backend: this worker's command (never read from the database).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Use this configuration file.",
)
@click.option(
    "--lease",
    type=click.FloatRange(min=0.1),
    metavar="S",
    help="A worker silent this long is dead and its steps move on (default 30).",
)
@click.option(
    "--poll-interval",
    type=click.FloatRange(min=0.001),
    metavar="S",
    help="How often each queue is asked for work (default 0.05).",
)
@click.option(
    "--drain",
    type=click.FloatRange(min=0),
    metavar="S",
    help="On SIGTERM, wait this long for running steps before handing them back (default 60).",
)
def worker(
    database_url: str | None,
    state_dir: Path | None,
    command: str | None,
    config_path: Path | None,
    lease: float | None,
    poll_interval: float | None,
    drain: float | None,
) -> int:
    """Run the steps of dbos-engine runs, with any number of other workers.

    \b
    planner worker --database-url postgresql://planner@db/planner
    planner worker --database-url "$URL" --command 'claude -p --model {model}'

    API keys come from this worker's environment and the command from its own
    options or configuration: neither is ever stored in or read from the
    database. SIGTERM or Ctrl-C drains the worker: it takes no new steps,
    waits up to --drain seconds for the running ones and hands the rest to the
    other workers; a second signal stops it at once.
    """
    from planner.config import load_config
    from planner.runner import defaults
    from planner.runner.backends import command_argv
    from planner.runner.engines import require_dbos
    from planner.runner.engines.dbos.engine import resolve_url
    from planner.runner.engines.dbos.runtime import Runtime, WorkerBackends, app_version
    from planner.runner.runner import DEFAULT_STATE_DIR

    require_dbos()
    config = load_config(explicit=config_path) if config_path else load_config()
    settings = config.run
    state = state_dir or Path(str(settings.get("state_dir", DEFAULT_STATE_DIR)))
    url = resolve_url(database_url, config, state)
    chosen = command or settings.get("command")
    argv = tuple(command_argv(chosen)) if chosen else None
    if argv:
        from planner.runner.backends.command import check_command

        # A command that is not installed would fail every command step: say so now.
        check_command(list(argv), None)
    stop = threading.Event()
    fenced = threading.Event()

    def on_fenced() -> None:
        fenced.set()
        stop.set()

    runtime = Runtime(
        url=url,
        backends=WorkerBackends(config=config, command=argv),
        work=True,
        lease_s=lease or float(settings.get("lease_s", defaults.LEASE_S)),
        poll_interval_s=poll_interval or float(settings.get("poll_interval_s", defaults.POLL_INTERVAL_S)),
        on_fenced=on_fenced,
    )
    signals = {"count": 0}

    def on_signal(signum: int, frame: FrameType | None) -> None:
        signals["count"] += 1
        if signals["count"] > 1:
            # The others recover this worker's steps once its lease runs out.
            print("planner: stopping now", file=sys.stderr, flush=True)
            os._exit(EXIT_INTERRUPTED)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    runtime.start()
    drain_s = drain if drain is not None else float(settings.get("drain_s", defaults.DRAIN_S))
    click.echo(
        f"planner: worker {runtime.executor_id} ({app_version()}) serving {runtime.store.where}; "
        f"lease {runtime.lease_s:g} s, polling every {runtime.poll_interval_s:g} s"
        + (", with a command" if argv else ""),
        err=True,
    )
    while not stop.wait(0.5):
        pass
    if not fenced.is_set():
        click.echo(
            f"planner: worker {runtime.executor_id} draining: no new steps; waiting up to "
            f"{drain_s:g} s for running ones",
            err=True,
        )
    runtime.stop(0.0 if fenced.is_set() else drain_s)
    click.echo(f"planner: worker {runtime.executor_id} stopped", err=True)
    return EXIT_FENCED if fenced.is_set() else 0
