"""Command-line pieces of the dbos engine: options, the record, cancel.

Imported only when ``--engine dbos`` (or its configuration) is chosen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.config import Config
from planner.errors import PlannerError
from planner.runner import defaults


def dbos_options(
    config: Config,
    state: Path,
    database_url: str | None,
    no_work: bool,
    poll_interval: float | None,
    lease: float | None,
    worker_limit: int | None = None,
) -> dict[str, Any]:
    """``planner run`` options for the dbos engine's ``run_async``."""
    from planner.runner.engines.dbos.engine import resolve_url

    settings = config.run
    return {
        "database_url": resolve_url(database_url, config, state),
        "work": not no_work,
        "poll_interval_s": poll_interval or float(settings.get("poll_interval_s", defaults.POLL_INTERVAL_S)),
        "lease_s": lease or float(settings.get("lease_s", defaults.LEASE_S)),
        "worker_limit": worker_limit or settings.get("worker_limit"),
    }


def recorded_cap(url: str, run_id: str) -> float | None:
    """The --max-cost a dbos run was started (or last resumed) with."""
    from planner.runner.engines.dbos.store import Store

    store = Store(url)
    try:
        row = store.run_row(run_id)
    finally:
        store.close()
    return float(row.max_cost) if row is not None and row.max_cost is not None else None


def open_store(url: str) -> Any:
    """The dbos record at ``url``, or None when no run was ever recorded there."""
    from planner.runner.engines.dbos.store import Store

    store = Store(url)
    if not store.has_schema():
        store.close()
        return None
    return store


def record_note(store: Any, run_id: str) -> dict[str, Any]:
    """Where ``runs show`` read a dbos run from, and which workers ran its steps."""
    from planner.runner.engines.dbos.store import run_workflow_id

    row = store.run_row(run_id)
    generation = int(row.generation) if row is not None else 1
    workers = {sid: w for sid, w in store.step_workers(run_id).items() if w}
    text = (
        f"the dbos engine's tables ({'file' if store.sqlite else 'schema planner'} in "
        f"{store.where}), written by the workers; DBOS workflow {run_workflow_id(run_id, generation)} "
        f"and its steps' workflows {run_workflow_id(run_id, generation)}/<step>"
    )
    return {
        "engine": "dbos",
        "database": store.where,
        "workflow": run_workflow_id(run_id, generation),
        "generation": generation,
        "submitted_by": row.submitted_by if row is not None else None,
        "version": row.version if row is not None else None,
        "step_workers": workers,
        "text": text,
    }


def cancel_dbos_run(url: str, run_id: str) -> str:
    """Cancel a dbos run: final in the record at once, then its workflows in DBOS."""
    from planner.runner.engines.dbos.store import Store

    store = Store(url)
    try:
        if not store.has_schema():
            raise PlannerError(f"no runs recorded in the database at {store.where}")
        ids = store.cancel_run(run_id, "cancelled with 'planner runs cancel'")
        where = store.where
    finally:
        store.close()
    _cancel_workflows(url, ids)
    return f"run {run_id} cancelled in {where}; {len(ids)} workflow(s) stopped"


def _cancel_workflows(url: str, ids: list[str]) -> None:
    from dbos import DBOSClient

    from planner.runner.engines.dbos.runtime import APP_NAME
    from planner.runner.engines.dbos.store import normalize_url
    from planner.runner.engines.dbos.workflows import harden_serialization, json_serializer

    harden_serialization()
    try:
        client = DBOSClient(
            system_database_url=normalize_url(url),
            application_name=APP_NAME,
            serializer=json_serializer(),
            retry_connection_errors=False,
        )
    except Exception:
        # No DBOS tables yet (nothing was ever dequeued): the record is final anyway.
        return
    try:
        client.cancel_workflows(ids)
    finally:
        client.destroy()
