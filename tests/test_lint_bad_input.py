"""Hostile and broken files: each one is a finding (or a one-line error), never a traceback,
in bounded time, and the other files of the same run are still linted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main
from planner.linter import lint
from planner.linter.engine import config_for_dir
from planner.plan.yamlnodes import MAX_DEPTH, MAX_NODES

GOOD = """version: 1
steps:
  - id: answer
    role: draft
    prompt: Answer the question in the ticket with a short, sourced explanation.
"""
BROKEN = GOOD + "  - id: answer\n    prompt: A second step with the same id as the first one.\n"


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config_for_dir.cache_clear()
    monkeypatch.chdir(tmp_path)


def _json(capsys: pytest.CaptureFixture[str], *paths: str) -> tuple[int, list[dict[str, object]]]:
    code = main(["lint", "--output-format", "json", *paths])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, json.loads(out)


def _codes(findings: list[dict[str, object]], path: str) -> list[tuple[object, object]]:
    return [(f["code"], f["message"]) for f in findings if f["path"] == path]


def _bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_each_bad_file_is_reported_and_the_good_one_still_linted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "binary.plan.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (tmp_path / "latin1.plan.yaml").write_bytes(
        "version: 1\ntask: r\xe9sum\xe9\n".encode("latin-1")
    )
    with open(tmp_path / "huge.plan.yaml", "wb") as fh:  # 50 MB, sparse: cheap to make
        fh.truncate(50 * 1024 * 1024)
    bomb = "".join("  " + line + "\n" for line in _bomb().splitlines())
    (tmp_path / "bomb.plan.yaml").write_text("version: 1\nx-lol:\n" + bomb + GOOD.split("\n", 1)[1])
    (tmp_path / "deep.plan.yaml").write_text(
        "version: 1\nsteps: " + "[" * 10_000 + "]" * 10_000 + "\n"
    )
    os.symlink("loop-b.plan.yaml", tmp_path / "loop-a.plan.yaml")
    os.symlink("loop-a.plan.yaml", tmp_path / "loop-b.plan.yaml")
    (tmp_path / "broken.plan.yaml").write_text(BROKEN)
    (tmp_path / "good.plan.yaml").write_text(GOOD)
    code, found = _json(capsys, ".")
    assert code == 1
    assert _codes(found, "binary.plan.yaml") == [("PL002", "binary file, not a plan")]
    assert _codes(found, "latin1.plan.yaml")[0][0] == "PL002"
    assert "UTF-8" in str(_codes(found, "latin1.plan.yaml")[0][1])
    assert _codes(found, "huge.plan.yaml") == [
        ("PL002", "file is too large for a plan (50 MB; the limit is 20 MB)")
    ]
    assert _codes(found, "bomb.plan.yaml") == [
        ("PL001", f"YAML aliases expand to more than {MAX_NODES:,} nodes (alias bomb?)")
    ]
    assert ("PL001", f"YAML nesting is deeper than {MAX_DEPTH} levels") in _codes(
        found, "deep.plan.yaml"
    )
    for loop in ("loop-a.plan.yaml", "loop-b.plan.yaml"):
        (code_, message) = _codes(found, loop)[0]
        assert code_ == "PL002" and "symbolic links" in str(message)
    assert [c for c, _ in _codes(found, "broken.plan.yaml")] == ["PL009"]
    assert _codes(found, "good.plan.yaml") == []


def test_symlinked_folder_loop_does_not_trap_the_walk(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "good.plan.yaml").write_text(GOOD)
    os.symlink("..", tmp_path / "plans" / "up")
    code, found = _json(capsys, "plans")
    assert code == 0 and found == []


def test_file_vanishing_during_the_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.plan.yaml").write_text(GOOD)
    (tmp_path / "b.plan.yaml").write_text(BROKEN)
    import planner.linter.discover as discover

    real_walk = discover.walk

    def walk_then_delete(top, settings_for, **options):  # type: ignore[no-untyped-def]
        found = list(real_walk(top, settings_for, **options))
        (tmp_path / "a.plan.yaml").unlink()  # gone between discovery and reading
        return iter(found)

    monkeypatch.setattr(discover, "walk", walk_then_delete)
    code, found = _json(capsys, ".")
    assert code == 1
    assert _codes(found, "a.plan.yaml") == [
        ("PL002", "no such file (missing, or removed while linting)")
    ]
    assert [c for c, _ in _codes(found, "b.plan.yaml")] == ["PL009"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    secret = tmp_path / "secret.plan.yaml"
    secret.write_text(GOOD)
    secret.chmod(0)
    (tmp_path / "b.plan.yaml").write_text(BROKEN)
    try:
        code, found = _json(capsys, ".")
    finally:
        secret.chmod(0o644)
    assert code == 1
    assert _codes(found, "secret.plan.yaml") == [("PL002", "permission denied")]
    assert [c for c, _ in _codes(found, "b.plan.yaml")] == ["PL009"]


def test_fifo_is_not_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.plan.yaml")
    code, found = _json(capsys, "pipe.plan.yaml")
    assert code == 1 and _codes(found, "pipe.plan.yaml") == [("PL002", "not a regular file")]


def test_top_level_bomb_and_deep_text_via_api() -> None:
    findings = lint(_bomb())
    assert [f.code for f in findings][:1] == ["PL001"]
    findings = lint("[" * 10_000 + "]" * 10_000)
    assert {f.code for f in findings} <= {"PL001", "PL005"} and findings


def test_cli_subprocess_never_prints_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "x.plan.yaml").write_bytes(b"\xff\xfe\x00v\x00e\x00r")
    (tmp_path / "y.plan.yaml").write_text(
        "version: 1\nsteps:\n  - id: [unhashable, key]\n    : oops\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "planner",
            "lint",
            "x.plan.yaml",
            "y.plan.yaml",
            "--output-format",
            "concise",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "x.plan.yaml:1:1: PL002" in result.stdout
    assert "y.plan.yaml:" in result.stdout
