"""The journal: durability settings, resume rules, output files, crash accounting."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.errors import InputError
from planner.runner import run
from planner.runner.journal import Journal
from tests.run_helpers import Recorder, failing, plan_from, steps_yaml

CHAIN = steps_yaml(
    "  - {id: a, tier: haiku}",
    "  - {id: b, tier: haiku, depends_on: [a]}",
    "  - {id: c, tier: haiku}",
)


def test_journal_uses_wal_and_normal_sync(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite")
    db = journal._db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    journal.close()


def test_outputs_are_files_and_journal_rows(tmp_path: Path) -> None:
    result = run(plan_from(CHAIN), "mock", state_dir=tmp_path)
    folder = tmp_path / "runs" / result.run_id
    for sid, step in result.steps.items():
        assert step.output_path == str(folder / f"{sid}.md")
        assert (folder / f"{sid}.md").read_text(encoding="utf-8") == step.output


def test_resume_reruns_nothing_that_finished_and_retry_failed_reruns_failures(
    tmp_path: Path,
) -> None:
    plan = plan_from(CHAIN)
    first = run(plan, Recorder(script={"a": failing("nope", retryable=False)}), state_dir=tmp_path)
    assert {k: v.status for k, v in first.steps.items()} == {
        "a": "failed",
        "b": "skipped",
        "c": "done",
    }

    again = Recorder()
    second = run(plan, again, state_dir=tmp_path, resume=first.run_id)
    assert again.calls == [] and second.status == "failed"

    fixed = Recorder()
    third = run(plan, fixed, state_dir=tmp_path, resume=first.run_id, retry_failed=True)
    assert fixed.called() == ["a", "b"]
    assert third.status == "done" and third.run_id == first.run_id
    assert third.outputs["c"] == first.outputs["c"]


def test_missing_or_cut_output_files_are_restored_on_resume(tmp_path: Path) -> None:
    plan = plan_from(CHAIN)
    first = run(plan, Recorder(script={"b": failing("x", retryable=False)}), state_dir=tmp_path)
    lost = Path(first.steps["a"].output_path or "")
    lost.unlink()
    cut = Path(first.steps["c"].output_path or "")
    cut.write_text(first.outputs["c"][:3], encoding="utf-8")  # as if killed mid-write
    run(plan, Recorder(), state_dir=tmp_path, resume=first.run_id, retry_failed=True)
    assert lost.read_text(encoding="utf-8") == first.outputs["a"]
    assert cut.read_text(encoding="utf-8") == first.outputs["c"]


def test_unknown_run_and_changed_plan_are_refused(tmp_path: Path) -> None:
    plan = plan_from(CHAIN)
    with pytest.raises(InputError, match="no run 'missing'"):
        run(plan, "mock", state_dir=tmp_path, resume="missing")
    first = run(plan, "mock", state_dir=tmp_path)
    changed = plan_from(CHAIN + "  - {id: d, tier: haiku, depends_on: [b]}\n")
    with pytest.raises(InputError, match="plan changed"):
        run(changed, "mock", state_dir=tmp_path, resume=first.run_id)
    rec = Recorder()
    forced = run(changed, rec, state_dir=tmp_path, resume=first.run_id, force=True)
    assert rec.called() == ["d"] and forced.status == "done"


def test_a_call_lost_in_a_crash_counts_against_the_budget(tmp_path: Path) -> None:
    plan = plan_from(CHAIN)
    first = run(plan, Recorder(script={"a": failing("x", retryable=False)}), state_dir=tmp_path)
    journal = Journal(tmp_path / "journal.sqlite")
    # What a killed process leaves behind: an attempt that started and never ended.
    journal.start_step(first.run_id, "a", 0.0)
    journal.start_attempt(first.run_id, "a", 2, 1, reserved=0.25)
    journal.close()
    paid = Recorder(paid=True)
    result = run(
        plan, paid, state_dir=tmp_path, resume=first.run_id, retry_failed=True, max_cost=10
    )
    assert result.cost_usd == pytest.approx(first.cost_usd + 0.25 + 0.001 * len(paid.calls))
    assert result.steps["a"].status == "done"


def test_a_second_process_cannot_run_the_same_run(tmp_path: Path) -> None:
    from planner.runner.lock import RunLock, is_locked

    first = run(
        plan_from(CHAIN), Recorder(script={"a": failing("x", retryable=False)}), state_dir=tmp_path
    )
    folder = tmp_path / "runs" / first.run_id
    assert not is_locked(folder)
    with RunLock(folder, first.run_id):
        assert is_locked(folder)
        # The holder is mid-call on step a: a second process must not touch that.
        journal = Journal(tmp_path / "journal.sqlite")
        journal.start_step(first.run_id, "a", 0.0)
        journal.start_attempt(first.run_id, "a", 2, 1, reserved=0.5)
        journal.close()
        with pytest.raises(InputError, match="another process"):
            run(
                plan_from(CHAIN), "mock", state_dir=tmp_path, resume=first.run_id, retry_failed=True
            )
        journal = Journal(tmp_path / "journal.sqlite")
        assert journal.steps(first.run_id)["a"].status == "running"
        assert [a["status"] for a in journal.attempts(first.run_id)][-1] == "running"
        journal.close()


def test_state_folder_is_private_and_ignored_by_git(tmp_path: Path) -> None:
    state = tmp_path / "state"
    run(plan_from(CHAIN), "mock", state_dir=state)
    assert (state.stat().st_mode & 0o777) == 0o700
    assert (state / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_a_budget_stopped_run_resumes_with_a_larger_budget(tmp_path: Path) -> None:
    plan = plan_from(
        steps_yaml(*[f"  - {{id: s{i}, tier: opus, max_tokens: 100}}" for i in range(4)])
    )
    first = run(plan, "mock", max_cost=0.003, max_parallel=1, state_dir=tmp_path)
    assert first.status == "budget" and first.count("pending") > 0
    done_before = {sid for sid, s in first.steps.items() if s.status == "done"}
    again = run(plan, "mock", state_dir=tmp_path, resume=first.run_id)  # same cap: still stuck
    assert again.status == "budget" and again.cost_usd == pytest.approx(first.cost_usd)
    events: list[dict[str, object]] = []
    final = run(
        plan, "mock", state_dir=tmp_path, resume=first.run_id, max_cost=0.05, on_event=events.append
    )
    assert final.status == "done" and final.cost_usd <= 0.05
    restarted = {e["step"] for e in events if e["event"] == "step_start"}
    assert restarted.isdisjoint(done_before)


def test_queued_writes_survive_a_failed_transaction(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite")
    journal.create_run(
        run_id="r",
        backend="mock",
        plan_path=None,
        plan_hash="h",
        plan_json="{}",
        task=None,
        max_cost=None,
        steps=[("a", "haiku", "m", 0.0)],
    )
    journal.start_step("r", "a", 1.0)  # queued, not yet committed
    with pytest.raises(RuntimeError), journal.transaction():
        raise RuntimeError("disk trouble")
    other = Journal(tmp_path / "j.sqlite")
    assert other._db.execute("SELECT status FROM steps").fetchone() == ("pending",)
    journal.flush()
    assert other._db.execute("SELECT status FROM steps").fetchone() == ("running",)
    other.close()
    journal.close()
