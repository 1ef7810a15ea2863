"""Keep the common paths light: what `import planner`, suggest and lint load.

Each check runs in a fresh interpreter so earlier tests' imports don't count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Never on the suggest or lint paths: training, HTTP clients and SDKs, the runner.
HEAVY = (
    "sklearn",
    "numpy",
    "scipy",
    "anthropic",
    "httpx",
    "requests",
    "urllib3",
    "planner.runner",
    "jsonschema",
    # The dbos engine's optional extra and what it brings.
    "dbos",
    "sqlalchemy",
    "psycopg",
)


def _modules_after(code: str, cwd: Path | None = None) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def _heavy(mods: set[str], extra: tuple[str, ...] = ()) -> list[str]:
    banned = HEAVY + extra
    return sorted(m for m in mods if any(m == b or m.startswith(b + ".") for b in banned))


def test_import_planner_loads_almost_nothing() -> None:
    mods = _modules_after("import planner")
    assert _heavy(mods, ("networkx", "jinja2", "click", "yaml")) == []
    assert {m for m in mods if m.startswith("planner")} == {"planner", "planner._version"}


def test_suggest_path_is_light() -> None:
    mods = _modules_after(
        "from planner.cli import main\n"
        "main(['suggest', 'Find the config loader, then fix the bug and add a test', '--format', 'json'])"
    )
    assert "planner.advise" in mods
    assert _heavy(mods) == []


def test_suggest_text_and_json_output_need_no_yaml_or_templates(tmp_path: Path) -> None:
    code = (
        "import contextlib, io\n"
        "from planner.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['suggest', 'Compare three caching approaches and pick the best'])\n"
        "    main(['suggest', 'Summarize this article', '--format', 'json'])\n"
    )
    _modules_after(code, cwd=tmp_path)  # the first run fills the rule cache
    mods = _modules_after(code, cwd=tmp_path)  # outside any project: no pyproject.toml to read
    assert "planner.advise" in mods
    assert _heavy(mods, ("yaml", "jinja2", "tomllib")) == []


def test_lint_path_imports_only_click_yaml_and_planner(tmp_path: Path) -> None:
    plan = tmp_path / "a.plan.yaml"
    plan.write_text("version: 1\nsteps:\n  - id: a\n    prompt: do it\n", encoding="utf-8")
    mods = _modules_after(
        "import contextlib, io\n"
        "from planner.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['lint', '--output-format', 'json', {str(plan)!r}])\n"
    )
    assert "planner.linter" in mods
    assert _heavy(mods, ("networkx", "jinja2", "ruamel")) == []
