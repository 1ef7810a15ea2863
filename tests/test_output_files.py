"""`-o FILE` (suggest, lint): written whole, through symlinks, never over a device, FIFO or folder.

Before this, `suggest -o PATH --force` renamed a temporary file over whatever
PATH was: as root it replaced /dev/full with a regular file, FIFOs and
symlinks were replaced too, and a write error could pass as success.
"""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import planner.advise
from planner.cli import main
from planner.errors import InputError
from planner.outfile import write_text_file

TASK = "Find the bug in the parser, then fix it"
GOOD = "version: 1\nsteps:\n  - id: a\n    prompt: Say hello.\n"


def _suggest(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["suggest", TASK, "--format", "yaml", *args])
    return code, capsys.readouterr().err


def test_a_symlink_is_written_through_and_stays_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "real.plan.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.plan.yaml"
    link.symlink_to(target.name)
    assert _suggest(capsys, "-o", str(link))[0] == 2  # exists: needs --force
    assert target.read_text() == "old\n"
    code, err = _suggest(capsys, "-o", str(link), "--force")
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text().startswith("version: 1")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file keeps its permissions
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_fifo_is_refused_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, force: list[str]
) -> None:
    fifo = tmp_path / "pipe.plan.yaml"
    os.mkfifo(fifo)

    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("the advisor ran although the output could never be written")

    monkeypatch.setattr(planner.advise, "suggest", no_work)
    code, err = _suggest(capsys, "-o", str(fifo), *force)
    assert code == 2
    assert err == f"planner: {fifo} is not a regular file (a device, pipe or socket); leave out -o to write to standard output\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_is_never_replaced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Our own node with /dev/null's numbers, so a regression cannot break the real one.
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    link = tmp_path / "to-device.plan.yaml"
    link.symlink_to(device)
    for target in (device, link):
        code, err = _suggest(capsys, "-o", str(target), "--force")
        assert code == 2 and "is not a regular file" in err
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert main(["lint", "--output-format", "sarif", "-o", str(device), str(tmp_path)]) == 2
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out.yaml").mkdir()
    (tmp_path / "link.yaml").symlink_to("out.yaml")
    for name in ("out.yaml", "link.yaml"):
        code, err = _suggest(capsys, "-o", str(tmp_path / name), "--force")
        assert code == 2 and "is a directory" in err and err.count("Error") <= 1
        with pytest.raises(InputError, match="is a directory"):
            write_text_file(tmp_path / name, "x", force=True)
    assert (tmp_path / "out.yaml").is_dir() and (tmp_path / "link.yaml").is_symlink()


def _limited(size: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE is POSIX")
@pytest.mark.parametrize(
    "argv",
    [
        ["suggest", TASK, "--format", "yaml", "-o", "plan.plan.yaml", "--force"],
        ["lint", "--output-format", "sarif", "-o", "plan.plan.yaml", "good.plan.yaml"],
    ],
)
def test_a_write_error_is_exit_2_and_leaves_the_old_file(tmp_path: Path, argv: list[str]) -> None:
    # A file-size limit makes writes fail the way a full disk does.
    (tmp_path / "good.plan.yaml").write_text(GOOD)
    (tmp_path / "plan.plan.yaml").write_text("old\n")
    proc = subprocess.run(
        [sys.executable, "-m", "planner", *argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        preexec_fn=lambda: _limited(200),
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("planner: plan.plan.yaml: cannot write: ")
    assert proc.stderr.count("\n") == 1
    assert (tmp_path / "plan.plan.yaml").read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.plan.yaml", "plan.plan.yaml"]


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        write_text_file(tmp_path / "new.txt", "text\n", force=False)
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644
