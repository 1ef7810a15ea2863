"""Run and step ids never take a write outside the state folder, from any entry point."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.cli import main
from planner.errors import InputError, PlanError, PlannerError
from planner.plan import Plan, Step
from planner.runner import run
from planner.runner.paths import (
    MAX_NAME_STEM,
    check_run_id,
    output_file,
    output_name,
    run_folder,
)
from planner.runner.scheduler import write_output_file
from tests.run_helpers import plan_from, steps_yaml

ONE = steps_yaml("  - {id: a, tier: haiku}")
ESCAPES = ["../../x", "..", ".", "a/b", "/abs", "x\x00y", "", " lead", "-dash", "a" * 65, "ü"]


def _everything_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@pytest.mark.parametrize("bad", ESCAPES)
def test_run_id_check_refuses_anything_that_is_not_one_name(bad: str) -> None:
    with pytest.raises(InputError, match="invalid run id"):
        check_run_id(bad)


@pytest.mark.parametrize("good", ["20260101-120000-a1b2c3", "nightly.v2", "A_1", "x" * 64])
def test_run_id_check_accepts_ordinary_ids(good: str) -> None:
    assert check_run_id(good) == good


@pytest.mark.parametrize("option", ["run_id", "resume"])
def test_library_run_refuses_a_run_id_that_escapes(tmp_path: Path, option: str) -> None:
    state = tmp_path / "deep" / "st"
    with pytest.raises(InputError, match="invalid run id"):
        run(plan_from(ONE), "mock", state_dir=state, **{option: "../../x"})
    assert _everything_under(tmp_path) == set()


def test_a_step_id_from_code_that_escapes_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    plan = Plan(steps=(Step(id="../../../escaped"),), task="t")
    with pytest.raises(PlanError, match="invalid step id"):
        run(plan, "mock", state_dir=tmp_path / "st")
    assert _everything_under(tmp_path) == set()


def test_cli_resume_and_runs_show_refuse_a_bad_run_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(ONE, encoding="utf-8")
    state = tmp_path / "st"
    assert main(["run", str(plan), "-b", "mock", "--state", str(state)]) == 0
    capsys.readouterr()
    code = main(["run", str(plan), "-b", "mock", "--state", str(state), "--resume", "../../x"])
    assert code == 2 and "invalid run id" in capsys.readouterr().err
    code = main(["runs", "--state", str(state), "show", "../x"])
    assert code == 2 and "invalid run id" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_long_step_ids_get_short_distinct_file_names() -> None:
    short = "s" * MAX_NAME_STEM
    assert output_name(short) == short + ".md"
    one, two = "a" * 300, "a" * 299 + "b"
    assert output_name(one) != output_name(two)
    for name in (output_name(one), output_name(two)):
        # The name and its temporary twin fit the common 255-byte limit.
        assert len(f".{name}.tmp".encode()) <= 255
        assert name.startswith("a" * 80 + ".")


def test_a_300_character_step_id_runs_stores_and_resumes(tmp_path: Path) -> None:
    long_id = "gather-" + "x" * 293
    plan = Plan(steps=(Step(id=long_id, tier="haiku"), Step(id="b", depends_on=(long_id,))))
    state = tmp_path / "st"
    try:
        result = run(plan, "mock", state_dir=state, run_id="long")
    except PlanError as exc:
        # The plan layer may cap id length; then it must say so before writing anything.
        assert "id" in str(exc)
        assert not state.exists()
        return
    assert result.status == "done"
    written = Path(result.steps[long_id].output_path or "")
    assert written.parent == (state / "runs" / "long").absolute()
    assert written.read_text(encoding="utf-8") == result.outputs[long_id]
    written.unlink()
    again = run(plan, "mock", state_dir=state, resume="long")
    assert again.status == "done"
    assert (
        written.read_text(encoding="utf-8") == result.outputs[long_id]
    )  # rewritten from the journal


def test_a_symlink_in_the_state_folder_cannot_send_outputs_elsewhere(tmp_path: Path) -> None:
    state = tmp_path / "st"
    outside = tmp_path / "outside"
    outside.mkdir()
    state.mkdir()
    os.symlink(outside, state / "runs")
    with pytest.raises(PlannerError, match="outside the state folder"):
        run(plan_from(ONE), "mock", state_dir=state, run_id="r1")
    assert list(outside.iterdir()) == []


def test_run_folder_and_output_file_resolve_inside(tmp_path: Path) -> None:
    folder = run_folder(tmp_path, "r1")
    assert folder == tmp_path / "runs" / "r1"
    assert output_file(folder, "a") == folder / "a.md"
    with pytest.raises(PlanError):
        output_file(folder, "../a")


def test_output_file_is_never_written_through_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    target = tmp_path / "a.md"
    os.symlink(victim, tmp_path / ".a.md.tmp")
    write_output_file(target, "new text")
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert target.read_text(encoding="utf-8") == "new text" and not target.is_symlink()
    # A link at the output's own name is replaced by the file, not followed.
    target.unlink()
    os.symlink(victim, target)
    write_output_file(target, "newer text")
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert target.read_text(encoding="utf-8") == "newer text" and not target.is_symlink()
