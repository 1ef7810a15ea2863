"""The built wheel works from outside the repository (rules/ and templates/ packed inside)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_repo() -> None:
    script = Path(__file__).with_name("smoke_wheel.py")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "wheel smoke test passed" in proc.stdout
