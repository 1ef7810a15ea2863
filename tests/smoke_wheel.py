"""Build the wheel, install it into a fresh virtualenv, run it from outside the repo.

Run by `make wheel-smoke` and by tests/test_wheel.py. Exits non-zero with a
one-line reason on the first failure.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run(argv: list[str], cwd: Path, **kw: object) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False, **kw)  # type: ignore[call-overload]
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}\n{proc.stdout}\n{proc.stderr}")
    return proc  # type: ignore[no-any-return]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dist = work / "dist"
        _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)], REPO)
        wheel = next(dist.glob("pattern_planner-*.whl"))
        env_dir = work / "venv"
        venv.EnvBuilder(with_pip=True).create(env_dir)
        py = env_dir / "bin" / "python"
        _run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)], work)
        outside = work / "elsewhere"
        outside.mkdir()
        planner = env_dir / "bin" / "planner"
        _run([str(planner), "--version"], outside)
        _run([str(planner), "patterns"], outside)
        out = _run(
            [str(planner), "suggest", "Understand this codebase: structure, conventions, build system", "--format", "json"],
            outside,
        ).stdout
        data = json.loads(out)
        assert data["version"] == 1 and data["steps"], data
        where = _run([str(py), "-c", "import planner.resources as r; print(r.data_dir('rules'))"], outside).stdout
        assert "site-packages" in where, where
        # The syntax weights load from the wheel, and the metadata names both licenses.
        tagged = _run([str(py), "-c", "from planner.syntax import tag; print(*tag(['Fix', 'the', 'bug']))"], outside)
        assert tagged.stdout.split() == ["VERB", "DET", "NOUN"], tagged.stdout
        meta = _run([str(py), "-c", "import importlib.metadata as m; print(m.metadata('pattern-planner')['License-Expression'])"], outside)
        assert meta.stdout.strip() == "MIT AND CC-BY-SA-4.0", meta.stdout
        print(f"wheel smoke test passed: {wheel.name}, pattern {data['pattern']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
