"""The dbos engine on its embedded default (SQLite in the state folder), and its guards.

What needs several machines is proved on PostgreSQL in test_dbos_pg.py; here
one process submits and works, as on a laptop, and the security rules are
checked directly: what travels in the database, what a worker refuses.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("dbos", reason="the dbos extra is not installed")

PLAN = """version: 1
task: embedded dbos test
steps:
  - id: scan
    tier: haiku
  - id: left
    tier: sonnet
    depends_on: [scan]
  - id: right
    tier: haiku
    depends_on: [scan]
  - id: merge
    tier: opus
    depends_on: [left, right]
"""


def planner(tmp: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        cwd=tmp,
        timeout=timeout,
        env={**os.environ, "PLANNER_DATABASE_URL": ""},
        check=False,
    )


def store(tmp: Path) -> Any:
    from planner.runner.engines.dbos.store import Store

    return Store(f"sqlite:///{tmp / '.planner' / 'dbos.sqlite'}")


def test_embedded_run_reports_like_the_local_engine_and_records_in_sqlite(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PLAN, encoding="utf-8")
    proc = planner(tmp_path, "run", "p.yaml", "-b", "mock", "--engine", "dbos", "--events", "jsonl")
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "run_start" and kinds[-1] == "run_end" and events[-1]["status"] == "done"
    assert sorted(e["step"] for e in events if e["event"] == "step_done") == ["left", "merge", "right", "scan"]
    order = [e["step"] for e in events if e["event"] == "step_start"]
    assert order[0] == "scan" and order[-1] == "merge"
    rid = events[0]["run_id"]
    assert (tmp_path / ".planner" / "runs" / rid / "merge.md").read_text(encoding="utf-8").startswith("[mock")
    listed = planner(tmp_path, "runs", "--engine", "dbos", "--format", "json")
    assert [r["run_id"] for r in json.loads(listed.stdout)] == [rid]
    shown = json.loads(planner(tmp_path, "runs", "show", rid, "--engine", "dbos", "--format", "json").stdout)
    assert shown["status"] == "done" and shown["record"]["engine"] == "dbos"
    assert shown["record"]["workflow"] == f"planner/{rid}/1"
    assert {s["status"] for s in shown["steps"]} == {"done"}
    # The local journal knows nothing of it: each engine has its own record.
    assert "no runs recorded" in planner(tmp_path, "runs").stdout


def test_a_failed_step_skips_its_dependents_and_resume_retries_it(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PLAN, encoding="utf-8")
    failing = planner(
        tmp_path, "run", "p.yaml", "-b", "mock", "--engine", "dbos", "--events", "jsonl",
        "--mock-fail-rate", "sonnet=1", "--retries", "1", "--backoff-base", "0.01",
    )
    assert failing.returncode == 1, failing.stderr
    events = [json.loads(line) for line in failing.stdout.splitlines()]
    rid = events[0]["run_id"]
    assert [e["step"] for e in events if e["event"] == "step_failed"] == ["left"]
    assert [e["step"] for e in events if e["event"] == "retry"] == ["left"]
    assert [e["step"] for e in events if e["event"] == "step_skipped"] == ["merge"]
    assert events[-1]["status"] == "failed"
    again = planner(
        tmp_path, "run", "p.yaml", "-b", "mock", "--engine", "dbos", "--events", "jsonl",
        "--resume", rid, "--retry-failed",
    )
    assert again.returncode == 0, again.stderr
    resumed = [json.loads(line) for line in again.stdout.splitlines()]
    assert resumed[0]["resuming"] == 2
    # Finished steps are never run again; the failed one and the skipped one are.
    assert sorted(e["step"] for e in resumed if e["event"] == "step_start") == ["left", "merge"]
    s = store(tmp_path)
    try:
        assert s.run_row(rid).generation == 2
        assert {r.status for r in s.steps(rid).values()} == {"done"}
    finally:
        s.close()


def test_budget_stops_the_run_and_a_resume_with_more_budget_finishes_it(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PLAN, encoding="utf-8")
    # The first call reserves about $0.0005 (haiku); the opus step's call alone needs more than the cap.
    stopped = planner(
        tmp_path, "run", "p.yaml", "-b", "mock", "--engine", "dbos", "--events", "jsonl",
        "--max-cost", "0.003", "--max-tokens", "100",
    )
    assert stopped.returncode == 1, stopped.stderr
    events = [json.loads(line) for line in stopped.stdout.splitlines()]
    rid = events[0]["run_id"]
    assert events[-1]["status"] == "budget"
    assert any(e["event"] == "budget_stop" for e in events)
    assert events[-1]["cost_usd"] <= 0.003
    more = planner(
        tmp_path, "run", "p.yaml", "-b", "mock", "--engine", "dbos", "--events", "jsonl",
        "--resume", rid, "--max-cost", "1", "--max-tokens", "100",
    )
    assert more.returncode == 0, more.stderr


def test_runs_cancel_stops_a_dbos_run_at_once_and_books_it(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PLAN, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "planner", "run", "p.yaml", "-b", "mock", "--engine", "dbos",
         "--events", "jsonl", "--mock-latency", "30"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PLANNER_DATABASE_URL": ""},
    )
    try:
        deadline = time.monotonic() + 60
        rid = None
        while time.monotonic() < deadline and rid is None:
            time.sleep(0.2)
            if (tmp_path / ".planner" / "dbos.sqlite").exists():
                s = store(tmp_path)
                try:
                    if s.has_schema():
                        runs = s.runs()
                        if runs and any(r.status == "running" for r in s.steps(runs[0].id).values()):
                            rid = runs[0].id
                finally:
                    s.close()
        assert rid is not None, "the run started"
        cancel = planner(tmp_path, "runs", "cancel", rid, "--engine", "dbos")
        assert cancel.returncode == 0, cancel.stderr
        assert "cancelled" in cancel.stdout
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 1, err
    end = [json.loads(line) for line in out.splitlines()][-1]
    assert end["event"] == "run_end" and end["status"] == "cancelled"
    s = store(tmp_path)
    try:
        attempts = s.attempts(rid)
        row = s.run_row(rid)
    finally:
        s.close()
    assert [a["status"] for a in attempts] == ["interrupted"]
    assert float(row.reserved) == 0.0
    again = planner(tmp_path, "runs", "cancel", rid, "--engine", "dbos")
    assert again.returncode == 2 and "not running" in again.stderr


def test_local_runs_cancel_marks_a_run_nobody_holds(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PLAN, encoding="utf-8")
    failing = planner(tmp_path, "run", "p.yaml", "-b", "mock", "--mock-fail-rate", "sonnet=1", "--retries", "0")
    assert failing.returncode == 1
    rid = json.loads(planner(tmp_path, "runs", "--format", "json").stdout)[0]["run_id"]
    cancel = planner(tmp_path, "runs", "cancel", rid)
    assert cancel.returncode == 0 and "cancelled" in cancel.stdout
    assert json.loads(planner(tmp_path, "runs", "--format", "json").stdout)[0]["status"] == "cancelled"


# -- what travels in the database, and what a worker refuses ---------------------------


def _settings() -> dict[str, Any]:
    from planner.config import default_config
    from planner.runner.engines.dbos.settings import build_settings
    from planner.runner.retry import RetryPolicy
    from planner.runner.scheduler import Limits

    return build_settings(
        tiers=default_config().tiers,
        limits=Limits(),
        retry=RetryPolicy(),
        backend_options={"mock_latency": {"*": 0.1}},
        seed=3,
        poll_interval_s=0.05,
    )


def test_run_settings_carry_no_command_key_or_url_and_round_trip() -> None:
    from planner.runner.engines.dbos.settings import parse_settings

    data = _settings()
    text = json.dumps(data)
    for word in ("command", "api_key", "base_url", "cwd"):
        assert word not in text
    parsed = parse_settings(json.loads(text))
    assert parsed.seed == 3 and parsed.mock["mock_latency"] == {"*": 0.1}
    # A command written into the row by someone else is not read.
    hostile = {**data, "command": ["sh", "-c", "echo pwned"], "api_key": "sk-ant-xxxxxxxxxxxx"}
    assert not hasattr(parse_settings(hostile), "command")


@pytest.mark.parametrize(
    "path, value, message",
    [
        (("tiers", "opus", "model"), "--upload=/etc/passwd", "model id"),
        (("tiers", "opus", "input_per_mtok"), float("nan"), "out of range"),
        (("tiers", "opus", "input_per_mtok"), -1, "out of range"),
        (("limits", "max_parallel"), 0, "out of range"),
        (("retry", "retries"), "3", "not a number"),
        (("mock", "mock_failure_rate"), {"*": 2}, "failure rate"),
    ],
)
def test_a_hostile_settings_row_is_refused_clearly(
    path: tuple[str, ...], value: Any, message: str
) -> None:
    from planner.errors import PlannerError
    from planner.runner.engines.dbos.settings import parse_settings

    data = _settings()
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(PlannerError, match=message):
        parse_settings(data)


def test_a_worker_never_takes_a_command_from_the_run(tmp_path: Path) -> None:
    from planner.config import default_config
    from planner.errors import InputError
    from planner.runner.engines.dbos.runtime import Runtime, WorkerBackends
    from planner.runner.engines.dbos.settings import parse_settings

    rt = Runtime(
        url=f"sqlite:///{tmp_path / 'x.sqlite'}",
        backends=WorkerBackends(config=default_config(), command=None),
        work=True,
        lease_s=5,
        poll_interval_s=0.05,
    )
    try:
        with pytest.raises(InputError, match="never taken from the database"):
            rt.backend_for("r1", "command", parse_settings(_settings()))
        mine = Runtime(
            url=f"sqlite:///{tmp_path / 'y.sqlite'}",
            backends=WorkerBackends(config=default_config(), command=(sys.executable, "-c", "print(1)")),
            work=True,
            lease_s=5,
            poll_interval_s=0.05,
        )
        backend = mine.backend_for("r1", "command", parse_settings(_settings()))
        assert list(backend.argv) == [sys.executable, "-c", "print(1)"]  # type: ignore[attr-defined]
        mine.store.close()
    finally:
        rt.store.close()


def test_pickled_values_in_the_database_are_refused() -> None:
    import base64
    import pickle

    import dbos._serialization as serialization

    from planner.errors import PlannerError
    from planner.runner.engines.dbos.workflows import harden_serialization, json_serializer

    harden_serialization()
    payload = base64.b64encode(pickle.dumps({"x": 1})).decode()
    with pytest.raises(PlannerError, match="refusing a pickled value"):
        serialization.deserialize_value(payload, "py_pickle", json_serializer())
    # JSON, which is all planner writes, still reads.
    assert serialization.deserialize_value('{"x": 1}', "portable_json", json_serializer()) == {"x": 1}


def test_a_run_of_another_version_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PLAN, encoding="utf-8")
    assert planner(tmp_path, "run", "p.yaml", "-b", "mock", "--engine", "dbos").returncode == 0
    from planner.config import default_config
    from planner.errors import PlannerError
    from planner.runner.engines.dbos.runtime import Runtime, WorkerBackends
    from planner.runner.engines.dbos.workflows import run_info

    s = store(tmp_path)
    rid = s.runs()[0].id
    with s.engine.begin() as conn:
        conn.execute(s.t["runs"].update().values(version="0.0.1-other"))
    s.close()
    rt = Runtime(
        url=f"sqlite:///{tmp_path / '.planner' / 'dbos.sqlite'}",
        backends=WorkerBackends(config=default_config()),
        work=True,
        lease_s=5,
        poll_interval_s=0.05,
    )
    try:
        with pytest.raises(PlannerError, match=r"submitted by planner 0\.0\.1-other.*refuses it"):
            run_info(rt, rid, 7)
    finally:
        rt.store.close()


def test_a_no_work_submitter_says_when_no_worker_of_its_version_is_alive(tmp_path: Path) -> None:
    from planner.config import default_config
    from planner.runner.engines.dbos.engine import _warn_about_workers
    from planner.runner.engines.dbos.runtime import Runtime, WorkerBackends

    said: list[str] = []
    rt = Runtime(
        url=f"sqlite:///{tmp_path / 'w.sqlite'}",
        backends=WorkerBackends(config=default_config()),
        work=False,
        lease_s=5,
        poll_interval_s=0.05,
        report=said.append,
    )
    try:
        rt.store.create_schema()
        assert _warn_about_workers(rt, 5.0)
        assert "no worker is running" in said[-1]
        rt.store.register_worker("old-1", "host", 1, "0.0.1-other", True)
        assert _warn_about_workers(rt, 5.0)
        assert "live workers run planner 0.0.1-other" in said[-1] and "refuse" in said[-1]
    finally:
        rt.store.close()


# -- step contracts: output schemas and for_each fan-outs --------------------------------

FAN = """version: 1
task: migrate the services
steps:
  - id: find
    prompt: list the services
    output: {type: array, items: {type: string}}
  - id: migrate
    depends_on: [find]
    for_each: {from: find, max_parallel: 2}
    prompt: migrate the service
    output: {type: object, required: [service], properties: {service: {type: string}}}
  - id: verify
    depends_on: [migrate]
    prompt: check the reports
"""

# A command backend for the fan-out: it logs every call, answers 'find' with five
# services, breaks the contract once for 'orders' (prose instead of JSON) and fails
# 'mail' while a marker file exists (status 2: a usage error, not retried).
AGENT = r"""
import json, pathlib, sys, time
step, state = sys.argv[1], pathlib.Path(sys.argv[2])
prompt = sys.stdin.read()
with open(state / "calls.log", "a") as log:
    log.write(step + "\n")
time.sleep(0.05)
if step == "find":
    print(json.dumps(["billing", "orders", "search", "mail", "auth"]))
elif step.startswith("migrate["):
    item = prompt.split("-----BEGIN INPUT ITEM ", 1)[1].split("\n", 2)[1]
    if item == "orders" and "did not satisfy that schema" not in prompt:
        print("Sure! I migrated orders, all went well.")
    elif item == "mail" and (state / "fail-mail").exists():
        print("mail cannot be migrated", file=sys.stderr)
        sys.exit(2)
    else:
        print(json.dumps({"service": item}))
else:
    print("verified " + str(prompt.count("service")))
"""


def peak_items(events: list[dict[str, Any]], step: str) -> int:
    """The most items of ``step`` between their item_start and item_done (or item_failed)."""
    marks = sorted(
        (e["time"], 1 if e["event"] == "item_start" else -1)
        for e in events
        if e.get("step") == step and e["event"] in ("item_start", "item_done", "item_failed")
    )
    running = peak = 0
    for _, delta in sorted(marks, key=lambda m: (m[0], m[1])):
        running += delta
        peak = max(peak, running)
    return peak


def test_for_each_items_run_within_max_parallel_with_contracts_and_resume_only_what_is_left(
    tmp_path: Path,
) -> None:
    (tmp_path / "fan.yaml").write_text(FAN, encoding="utf-8")
    (tmp_path / "agent.py").write_text(AGENT, encoding="utf-8")
    (tmp_path / "fail-mail").write_text("", encoding="utf-8")
    command = f"{sys.executable} {tmp_path / 'agent.py'} {{step}} {tmp_path}"
    first = planner(
        tmp_path, "run", "fan.yaml", "-b", "command", "--command", command, "--engine", "dbos", "--yes",
        "--events", "jsonl",
    )
    assert first.returncode == 1, first.stderr
    events = [json.loads(line) for line in first.stdout.splitlines()]
    rid = events[0]["run_id"]
    # Each item is a record row of its own, at most max_parallel at once; one failed item fails the step.
    assert sorted(e["item"] for e in events if e["event"] == "item_done") == [1, 2, 3, 5]
    assert [(e["item"], e["step"]) for e in events if e["event"] == "item_failed"] == [(4, "migrate")]
    assert peak_items(events, "migrate") == 2
    failed = next(e for e in events if e["event"] == "step_failed")
    assert failed["step"] == "migrate" and "1 of 5 items failed; item 4" in failed["error"]
    assert [e["step"] for e in events if e["event"] == "step_skipped"] == ["verify"]
    # The reply that broke the contract was asked for once more, with the reason.
    warnings = [e for e in events if e["event"] == "warning"]
    assert len(warnings) == 1 and "migrate[2]" in warnings[0]["message"] and warnings[0]["step"] == "migrate"
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8").split()
    assert sorted(calls) == sorted(["find", "migrate[1]", "migrate[2]", "migrate[2]", "migrate[3]", "migrate[4]", "migrate[5]"])
    s = store(tmp_path)
    try:
        rows = {sid: r.status for sid, r in s.steps(rid).items()}
    finally:
        s.close()
    assert rows["migrate[4]"] == "failed" and rows["migrate[2]"] == "done" and rows["find"] == "done"

    # A resume runs only what is not done: the failed item, then the step after it.
    (tmp_path / "fail-mail").unlink()
    (tmp_path / "calls.log").unlink()
    again = planner(
        tmp_path, "run", "fan.yaml", "-b", "command", "--command", command, "--engine", "dbos", "--yes",
        "--events", "jsonl", "--resume", rid, "--retry-failed",
    )
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "calls.log").read_text(encoding="utf-8").split() == ["migrate[4]", "verify"]
    out = json.loads((tmp_path / ".planner" / "runs" / rid / "migrate.md").read_text(encoding="utf-8"))
    assert out == [{"service": s} for s in ["billing", "orders", "search", "mail", "auth"]]
    assert not (tmp_path / ".planner" / "runs" / rid / "migrate[1].md").exists()
    shown = json.loads(planner(tmp_path, "runs", "show", rid, "--engine", "dbos", "--format", "json").stdout)
    assert [s["id"] for s in shown["steps"]][-5:] == [f"migrate[{n}]" for n in range(1, 6)]


def test_a_step_takes_the_work_it_queued_without_waiting_for_a_poll(tmp_path: Path) -> None:
    """With queues polled every 30 s, a run of a step and two dependents still takes well
    under a second a link: the finishing step goes on with one dependent in its own
    workflow and hands the other to its worker at once (Runtime.dequeue_now, which uses
    DBOS's own claim: pinned with the dbos version)."""
    plan = """version: 1
task: hand-off
steps:
  - {id: a, tier: haiku}
  - {id: b, tier: haiku, depends_on: [a]}
  - {id: c, tier: haiku, depends_on: [a]}
"""
    (tmp_path / "p.yaml").write_text(plan, encoding="utf-8")
    proc = planner(
        tmp_path, "run", "p.yaml", "-b", "mock", "--engine", "dbos", "--events", "jsonl",
        "--poll-interval", "30", "--mock-latency", "0.2",
    )
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    at = {(e["event"], e.get("step")): e["time"] for e in events}
    for child in ("b", "c"):
        assert at[("step_start", child)] - at[("step_done", "a")] < 3.0, events
    s = store(tmp_path)
    try:
        with s.engine.begin() as conn:
            rows = dict(conn.execute(s.t["steps"].select().with_only_columns(s.t["steps"].c.step_id, s.t["steps"].c.workflow_id)).fetchall())
    finally:
        s.close()
    # One of the two ran in a's workflow, after it; the other in its own.
    assert sorted([rows["b"], rows["c"]]) == sorted([rows["a"], rows["a"][:-1] + ("c" if rows["b"] == rows["a"] else "b")])


def test_an_older_record_gets_the_columns_a_newer_planner_needs(tmp_path: Path) -> None:
    from planner.runner.engines.dbos.store import Store

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    s = Store(url)
    try:
        s.create_schema()
        with s.engine.begin() as conn:
            conn.exec_driver_sql("DROP INDEX steps_by_parent")
            for column in ("item_input", "fan_out", "parent", "path_s"):
                conn.exec_driver_sql(f"ALTER TABLE steps DROP COLUMN {column}")
            conn.exec_driver_sql("ALTER TABLE attempts DROP COLUMN outcome")
        s.create_schema()
        import sqlalchemy as sa

        inspector = sa.inspect(s.engine)
        assert {"item_input", "fan_out", "parent", "path_s"} <= {c["name"] for c in inspector.get_columns("steps")}
        assert "outcome" in {c["name"] for c in inspector.get_columns("attempts")}
        assert "steps_by_parent" in {i["name"] for i in inspector.get_indexes("steps")}
    finally:
        s.close()


def test_a_finishing_step_goes_on_with_its_dependent_only_when_nothing_waiting_is_more_urgent(
    tmp_path: Path,
) -> None:
    """One slot: c -> d -> e is the longest chain, so c starts first and d goes on in its
    workflow (a, waiting, has no longer a path ahead). After d, the waiting a (two steps
    ahead) is more urgent than e (one): e goes to the queue, and d's workflow takes over
    what the queue would start first, a, rather than e. Going on with e in d's slot would
    have run it before a, lengthening the run."""
    plan = """version: 1
task: priorities
steps:
  - {id: a, tier: haiku}
  - {id: b, tier: haiku, depends_on: [a]}
  - {id: c, tier: haiku}
  - {id: d, tier: haiku, depends_on: [c]}
  - {id: e, tier: haiku, depends_on: [d]}
"""
    (tmp_path / "p.yaml").write_text(plan, encoding="utf-8")
    proc = planner(
        tmp_path, "run", "p.yaml", "-b", "mock", "--engine", "dbos", "--events", "jsonl",
        "--max-parallel", "1", "--poll-interval", "0.05",
    )
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [e["step"] for e in events if e["event"] == "step_start"] == ["c", "d", "a", "b", "e"]
    s = store(tmp_path)
    try:
        with s.engine.begin() as conn:
            st = s.t["steps"]
            rows = dict(conn.execute(st.select().with_only_columns(st.c.step_id, st.c.workflow_id)).fetchall())
    finally:
        s.close()
    # d went on in c's workflow; a, queued from the start, was taken over from the queue
    # by that workflow once d was done (nothing of its own left to go on with).
    assert rows["d"] == rows["c"] and rows["a"] == rows["c"]


def test_worker_limit_holds_on_one_worker_with_both_of_its_claimers(tmp_path: Path) -> None:
    """--worker-limit 2 under a tier limit of 6: this process never runs more than two
    haiku steps at once (DBOS's queue poll and a finishing step's hand-off both claim
    through Runtime.claims), and it does reach two. Across workers, on PostgreSQL:
    test_max_cost_holds_across_three_workers."""
    lines = ["version: 1", "task: worker limit", "steps:", "  - {id: root, tier: haiku}"]
    lines += [f"  - {{id: m{i}, tier: haiku, depends_on: [root]}}" for i in range(8)]
    (tmp_path / "p.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = planner(
        tmp_path, "run", "p.yaml", "-b", "mock", "--engine", "dbos", "--events", "jsonl",
        "--mock-latency", "0.2", "--poll-interval", "0.01", "--tier-limit", "haiku=6", "--worker-limit", "2",
    )
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    marks = [
        (e["time"], 1 if e["event"] == "step_start" else -1)
        for e in events
        if e["event"] in ("step_start", "step_done")
    ]
    running = peak = 0
    for _, delta in sorted(marks):
        running += delta
        peak = max(peak, running)
    assert peak == 2, events
    local = planner(tmp_path, "run", "p.yaml", "-b", "mock", "--worker-limit", "2")
    assert local.returncode == 2 and "go with --engine dbos" in local.stderr


@pytest.mark.parametrize(
    ("limit", "workers", "share"),
    [
        (4, 4, 1),  # the grid benchmark: one chain per worker
        (3, 2, 2),  # rounded up: together they still reach the limit
        (100, 2, 50),
        (1, 3, 1),  # never below one
        (4, 1, None),  # one worker keeps the whole limit
        (4, 0, None),  # no live worker yet: whoever comes takes what the queue allows
    ],
)
def test_without_worker_limit_each_worker_gets_its_share_of_a_tier(
    limit: int, workers: int, share: int | None
) -> None:
    from planner.runner.engines.dbos.engine import default_worker_limit

    assert default_worker_limit(limit, workers) == share


def test_the_end_watch_fails_a_step_whose_workflow_ended_or_vanished_only_when_seen_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A step still open whose workflow is gone or finished would keep its run waiting
    forever: the run's end-watch fails it, but only when the next check still finds it
    so (a step finishing between the two reads looks orphaned once)."""
    import asyncio
    from types import SimpleNamespace

    from planner.runner.engines.dbos import workflows

    open_steps = {"wf-gone": "a", "wf-ended": "b", "wf-busy": "c", "wf-stopped": "d"}
    failed: list[tuple[str, str]] = []

    class FakeStore:
        def active_step_workflows(self, run_id: str) -> dict[str, str]:
            return {w: s for w, s in open_steps.items() if s not in {f for f, _ in failed}}

        def fail_step(self, *, step_id: str, error: str, **_: Any) -> tuple[list[Any], None]:
            failed.append((step_id, error))
            return [], None

    async def listed(workflow_ids: list[str], **_: Any) -> list[Any]:
        known = {"wf-ended": "SUCCESS", "wf-busy": "PENDING", "wf-stopped": "MAX_RECOVERY_ATTEMPTS_EXCEEDED"}
        return [SimpleNamespace(workflow_id=w, status=known[w]) for w in workflow_ids if w in known]

    monkeypatch.setattr(workflows.DBOS, "list_workflows_async", listed)
    rt: Any = SimpleNamespace(store=FakeStore())
    seen = asyncio.run(workflows._check_stuck(rt, "run", set()))
    # A stopped workflow fails its step at once; the others only once seen twice.
    assert [s for s, _ in failed] == ["d"]
    assert seen == {("wf-gone", "a"), ("wf-ended", "b")}
    asyncio.run(workflows._check_stuck(rt, "run", seen))
    assert sorted(s for s, _ in failed) == ["a", "b", "d"]
    assert all("ended without finishing it" in e for s, e in failed if s in "ab")
    # A step whose workflow is still running is never touched.
    assert "c" not in [s for s, _ in failed]
    # Seen once and then finished normally: nothing failed.
    failed.clear()
    open_steps.clear()
    assert asyncio.run(workflows._check_stuck(rt, "run", {("wf-x", "x")})) == set()
    assert failed == []
