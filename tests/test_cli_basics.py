"""The CLI shell: version, help, exit codes, error reporting."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import planner
from planner.cli import COMMANDS, main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert planner.__version__ in capsys.readouterr().out



def test_help_lists_commands_without_importing_them() -> None:
    code = (
        "import sys; from planner.cli import main; main(['--help']); "
        "print(sorted(m for m in sys.modules if m.startswith('planner.cli.')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "schema" in proc.stdout and "patterns" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_every_listed_command_resolves(capsys: pytest.CaptureFixture[str]) -> None:
    for name in COMMANDS:
        code = main([name, "--help"])
        out = capsys.readouterr().out
        assert code in (0, 2), name
        if code == 0:
            assert "Usage: planner" in out


def test_unknown_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "No such command" in capsys.readouterr().err


def test_schema_command_prints_the_shipped_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["properties"]["version"] == {"const": 1}


def test_internal_error_is_exit_3_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import planner.plan.schema as schema_module

    def boom() -> str:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(schema_module, "schema_text", boom)
    monkeypatch.delenv("PLANNER_DEBUG", raising=False)
    assert main(["schema"]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: kaboom" in err
    assert "Traceback" not in err
    monkeypatch.setenv("PLANNER_DEBUG", "1")
    assert main(["schema"]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_python_dash_m_works() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert planner.__version__ in proc.stdout


def test_lazy_api_exposes_everything_in_all() -> None:
    assert "suggest" in dir(planner)
    with pytest.raises(AttributeError):
        planner.no_such_thing  # noqa: B018


def test_api_functions_stay_functions_after_every_subpackage_is_imported() -> None:
    code = (
        "import planner, importlib, inspect\n"
        "for m in ('planner.parser.assemble', 'planner.syntax.model', 'planner.linter.engine', 'planner.renderer.views',"
        " 'planner.runner.journal', 'planner.advise'):\n"
        "    importlib.import_module(m)\n"
        "names = ('suggest', 'parse', 'load_plan', 'lint', 'render', 'run', 'run_async')\n"
        "print(all(inspect.isfunction(getattr(planner, n)) for n in names))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.stdout.strip() == "True", proc.stderr


def test_parse_explain_keeps_text_readings_apart_from_words_ruled_out(capsys: pytest.CaptureFixture[str]) -> None:
    # A lower-case opening command gets its capital from T016: the word is a step,
    # so it is listed under how the text was read, never under "no step".
    assert main(["parse", "--explain", "--no-signals", "soak the filters overnight then rinse them"]) == 0
    out = capsys.readouterr().out
    assert "soak-filters" in out
    rest = out.partition("how the text was read:")[2]
    assert '"soak" @0-4: T016' in rest.split("\n\n")[0]
    assert '"soak"' not in out.partition("words that are no step")[2]
