"""The first ten minutes: a fresh clone installs exactly what was tested, and the commands
planner prints for the user to run next work as printed."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "constraints.txt"
SCRIPT = Path(sys.executable).parent / "planner"
NO_PLANNER_PATH = "/usr/bin:/bin"


def _pins() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, version = line.partition("==")
        assert sep and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name), line
        assert re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", version), line
        pins[canonicalize_name(name)] = version
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [*project["project"]["dependencies"], *project["project"]["optional-dependencies"]["dev"]]
    wanted += project["build-system"]["requires"]
    return [Requirement(r) for r in wanted]


def test_the_lock_pins_every_requirement_within_its_range() -> None:
    pins = _pins()
    for req in _requirements():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in constraints.txt: run 'make lock'"
        assert req.specifier.contains(pins[name], prereleases=True), f"{req} but the lock has {pins[name]}"


def test_the_lock_names_versions_only() -> None:
    text = LOCK.read_text(encoding="utf-8")
    # No URLs, index hosts or paths of the machine that made it.
    assert "://" not in text and "@" not in text and "/" not in text.replace("# ", "")


def test_pyyaml_without_wheels_for_this_python_is_excluded() -> None:
    (pyyaml,) = [r for r in _requirements() if canonicalize_name(r.name) == "pyyaml"]
    assert not pyyaml.specifier.contains("6.0") and pyyaml.specifier.contains("6.0.1")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_installs_from_the_lock() -> None:
    dry = subprocess.run(
        ["make", "-n", "-B", ".venv/.installed"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    installs = [line for line in dry.splitlines() if "pip install" in line]
    assert len(installs) == 2
    for line in installs:
        assert f'PIP_CONSTRAINT="{REPO}/constraints.txt"' in line, line
    rule = subprocess.run(["make", "-n", "-p", "-q"], cwd=REPO, capture_output=True, text=True).stdout
    assert re.search(r"^\.venv/\.installed: .*constraints\.txt", rule, re.M), "a new lock must reinstall"


@pytest.mark.skipif(
    Path(sys.prefix).resolve() != (REPO / ".venv").resolve(), reason="not the checkout's own virtualenv"
)
def test_the_virtualenv_has_the_locked_versions() -> None:
    drift = {}
    for name, version in _pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # pinned for another platform or Python
        if installed != version:
            drift[name] = (installed, version)
    assert drift == {}, f"installed vs locked: {drift}; run 'make .venv/.installed'"


# -- hints that work as printed ------------------------------------------------------------------


def _save_hint(argv: list[str], cwd: Path, env_path: str) -> str:
    proc = subprocess.run(
        [*argv, "suggest", "Find the bug, then fix it"],
        cwd=cwd, capture_output=True, text=True, check=True, env={**os.environ, "PATH": env_path},
    )
    last = proc.stdout.splitlines()[-1]
    assert last.startswith("Save this plan:  "), last
    return last.removeprefix("Save this plan:  ")


def _run_hint(hint: str, cwd: Path, env_path: str) -> None:
    subprocess.run(["/bin/sh", "-c", hint], cwd=cwd, check=True, capture_output=True, env={**os.environ, "PATH": env_path})
    from planner.linter import lint

    assert lint(cwd / "plan.plan.yaml") == []


@pytest.mark.skipif(not SCRIPT.exists() or not Path("/bin/sh").exists(), reason="no planner script or sh")
@pytest.mark.parametrize("spelling", ["absolute", "relative"])
def test_the_save_hint_works_when_planner_is_not_on_the_path(tmp_path: Path, spelling: str) -> None:
    typed = str(SCRIPT) if spelling == "absolute" else os.path.relpath(SCRIPT, tmp_path)
    hint = _save_hint([typed], tmp_path, NO_PLANNER_PATH)
    assert shlex.split(hint)[0] == typed
    _run_hint(hint, tmp_path, NO_PLANNER_PATH)


@pytest.mark.skipif(not Path("/bin/sh").exists(), reason="no sh")
def test_the_save_hint_after_python_m(tmp_path: Path) -> None:
    hint = _save_hint([sys.executable, "-m", "planner"], tmp_path, NO_PLANNER_PATH)
    assert shlex.split(hint)[1:3] == ["-m", "planner"]
    _run_hint(hint, tmp_path, NO_PLANNER_PATH)


@pytest.mark.skipif(not SCRIPT.exists(), reason="no planner script")
def test_the_save_hint_says_planner_when_that_is_this_one(tmp_path: Path) -> None:
    on_path = f"{SCRIPT.parent}:{NO_PLANNER_PATH}"
    assert _save_hint([str(SCRIPT)], tmp_path, on_path).startswith("planner suggest ")
    assert _save_hint([sys.executable, "-m", "planner"], tmp_path, on_path).startswith("planner suggest ")


def test_the_readme_says_how_to_run_planner_after_the_quick_start() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert ".venv/bin/planner" in quick and "source .venv/bin/activate" in quick
