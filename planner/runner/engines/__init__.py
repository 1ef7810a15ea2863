"""Engines: where a plan's steps run.

* ``local``: the in-process asyncio scheduler with a SQLite journal in the
  state folder (the default, unchanged);
* ``dbos``: DBOS durable workflows and queues on PostgreSQL (or SQLite on one
  machine), so any number of ``planner worker`` processes share one queue,
  one budget and one durable record (optional extra ``pattern-planner[dbos]``).

Both take the same plan, options and backends and give the same
:class:`planner.runner.model.RunResult`, events and exit codes. Each engine's
module is imported only when it is chosen.
"""

from __future__ import annotations

from planner.errors import InputError

# name -> one-line help
ENGINES: dict[str, str] = {
    "local": "one process: asyncio scheduler, SQLite journal in the state folder",
    "dbos": "DBOS workflows and queues on PostgreSQL: many workers, one budget and record",
}
DEFAULT_ENGINE = "local"

DBOS_INSTALL_HINT = "the dbos engine needs the optional extra: pip install 'pattern-planner[dbos]'"


def check_engine(name: str) -> str:
    """``name`` if it is an engine, else a one-line :class:`InputError`."""
    if name not in ENGINES:
        raise InputError(f"unknown engine '{name}' (known: {', '.join(ENGINES)})")
    return name


def require_dbos() -> None:
    """Fail with the install hint when DBOS is not installed."""
    from importlib.util import find_spec

    if find_spec("dbos") is None:
        raise InputError(DBOS_INSTALL_HINT)


__all__ = ["DBOS_INSTALL_HINT", "DEFAULT_ENGINE", "ENGINES", "check_engine", "require_dbos"]
