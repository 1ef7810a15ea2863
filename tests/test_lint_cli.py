"""`planner lint` and `planner rule` from the outside: formats, selection, config, discovery, fixes, exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from planner.cli import main
from planner.linter.engine import config_for_dir

GOOD = """version: 1
steps:
  - id: scan
    role: explore
    prompt: Scan the service logs for errors and count them by component.
  - id: report
    role: synthesize
    depends_on: [scan]
    prompt: Write a short incident report from the error counts you receive.
"""
BAD = """version: 1
steps:
  - id: scan
    role: explore
    tier: opus
    prompt: Scan the service logs for errors and count them by component.
  - id: report
    role: synthesize
    depends_on: [scan, missing]
    prompt: Write a short incident report from the error counts you receive.
"""
REPEAT = """version: 1
steps:
  - id: refine  # keep this comment
    role: draft
    until: the reviewer approves  # planner: noqa: PL110
    prompt: Revise the design document until the reviewer has no objections.
"""


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config_for_dir.cache_clear()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("PLANNER_OUTPUT_FORMAT", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["lint", *args])
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_file_exits_0(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "good.plan.yaml", GOOD)
    code, out, _ = run(capsys, "good.plan.yaml")
    assert code == 0
    assert "All checks passed!" in out


def test_text_output_has_location_source_and_caret(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write(tmp_path / "plans" / "bad.plan.yaml", BAD)
    code, out, _ = run(capsys, "plans/bad.plan.yaml", "--color", "never")
    assert code == 1
    lines = out.splitlines()
    i = lines.index(
        "plans/bad.plan.yaml:9:24: PL010 step 'report' depends on unknown step 'missing'"
    )
    assert lines[i + 1] == "9 |     depends_on: [scan, missing]"
    assert lines[i + 2] == "  |                        ^"
    assert "plans/bad.plan.yaml:5:11: PL108" in out
    assert "Found 2 problems (1 error, 1 warning)." in out


def test_json_output_fields(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "bad.plan.yaml", BAD)
    code, out, _ = run(capsys, "bad.plan.yaml", "--output-format", "json")
    assert code == 1
    data = json.loads(out)
    assert [d["code"] for d in data] == ["PL108", "PL010"]
    first = data[0]
    assert set(first) == {"code", "name", "severity", "message", "path", "line", "column", "fix"}
    assert first["name"] == "gather-on-expensive-tier" and first["severity"] == "warning"
    assert first["fix"]["applicability"] == "unsafe"
    assert first["fix"]["edits"] == [{"op": "set", "step": 0, "key": "tier", "value": "haiku"}]
    assert data[1]["fix"] is None and data[1]["severity"] == "error"


def test_concise_and_github(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "bad.plan.yaml", BAD)
    _, out, _ = run(capsys, "bad.plan.yaml", "--output-format", "concise")
    assert out.splitlines()[0] == (
        "bad.plan.yaml:5:11: PL108 gathering step 'scan' (explore) runs on the most expensive tier "
        "'opus'; gathering is numerous and parallel, so use a cheap tier (e.g. 'haiku')"
    )
    _, out, _ = run(capsys, "bad.plan.yaml", "--output-format", "github")
    lines = out.splitlines()
    assert lines[0].startswith(
        "::warning file=bad.plan.yaml,line=5,col=11,title=PL108 gather-on-expensive-tier::PL108 "
    )
    assert lines[1].startswith(
        "::error file=bad.plan.yaml,line=9,col=24,title=PL010 unknown-dependency::"
    )


def test_github_escapes_newlines_and_commas(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write(tmp_path / "a,b.plan.yaml", "version: 1\nsteps: []\n")
    _, out, _ = run(capsys, "a,b.plan.yaml", "--output-format", "github")
    assert out.startswith("::error file=a%2Cb.plan.yaml,line=2,col=8,")
    assert out.count("\n") == 1


def test_statistics(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "a.plan.yaml", BAD)
    write(tmp_path / "b.plan.yaml", BAD)
    code, out, _ = run(capsys, "--statistics", "a.plan.yaml", "b.plan.yaml")
    assert code == 1
    assert out.splitlines() == [
        "2  PL010  [ ] unknown-dependency",
        "2  PL108  [ ] gather-on-expensive-tier",
    ]
    _, out, _ = run(capsys, "--statistics", "--output-format", "json", "a.plan.yaml", "b.plan.yaml")
    assert json.loads(out)[0] == {
        "code": "PL010",
        "name": "unknown-dependency",
        "count": 2,
        "fixable": False,
    }


def test_color(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "bad.plan.yaml", BAD)
    _, out, _ = run(capsys, "bad.plan.yaml", "--color", "always")
    assert "\x1b[31mPL010\x1b[0m" in out
    _, out, _ = run(capsys, "bad.plan.yaml")  # auto, and stdout is not a terminal here
    assert "\x1b[" not in out
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    _, out, _ = run(capsys, "bad.plan.yaml", "--color", "auto")
    assert "\x1b[" not in out


def test_select_ignore_and_exit_zero(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "bad.plan.yaml", BAD)
    code, out, _ = run(capsys, "bad.plan.yaml", "--select", "PL0", "--output-format", "json")
    assert [d["code"] for d in json.loads(out)] == ["PL010"]
    code, out, _ = run(capsys, "bad.plan.yaml", "--ignore", "unknown-dependency,PL108")
    assert code == 0
    code, _, _ = run(capsys, "bad.plan.yaml", "--exit-zero")
    assert code == 0


def test_unknown_selector_is_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write(tmp_path / "good.plan.yaml", GOOD)
    code, _, err = run(capsys, "good.plan.yaml", "--select", "PL999")
    assert code == 2
    assert "unknown rule selector 'PL999'" in err
    assert "Traceback" not in err


def test_config_found_from_each_file_upward(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write(tmp_path / "strict" / "bad.plan.yaml", BAD)
    write(tmp_path / "relaxed" / "bad.plan.yaml", BAD)
    write(
        tmp_path / "relaxed" / "pyproject.toml",
        '[tool.planner.lint]\nignore = ["PL108"]\nseverity = { PL010 = "info" }\n',
    )
    _, out, _ = run(capsys, "strict", "relaxed", "--output-format", "json")
    got = {(d["path"], d["code"], d["severity"]) for d in json.loads(out)}
    assert got == {
        (os.path.join("strict", "bad.plan.yaml"), "PL108", "warning"),
        (os.path.join("strict", "bad.plan.yaml"), "PL010", "error"),
        (os.path.join("relaxed", "bad.plan.yaml"), "PL010", "info"),
    }


def test_per_file_ignores_and_config_tiers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write(
        tmp_path / "planner.toml",
        '[lint]\nper-file-ignores = { "legacy/*" = ["PL1"] }\n'
        '[tiers.local]\nmodel = "m"\ninput_per_mtok = 0\noutput_per_mtok = 0\nspeed = 1\nrank = 0\nchecked = "2026-11-01"\n',
    )
    write(tmp_path / "legacy" / "old.plan.yaml", BAD.replace("tier: opus", "tier: local"))
    write(
        tmp_path / "new.plan.yaml",
        GOOD.replace("    role: synthesize\n", "    role: synthesize\n    tier: local\n"),
    )
    _, out, _ = run(capsys, ".", "--output-format", "json")
    got = sorted((d["path"], d["code"]) for d in json.loads(out))
    # `local` is a known tier now; it is the cheapest, so a synthesis step on it is flagged.
    assert got == [("legacy/old.plan.yaml", "PL010"), ("new.plan.yaml", "PL107")]


def test_invalid_config_is_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "planner.toml", '[lint]\nselect = ["PL0", "nonsense"]\n')
    write(tmp_path / "good.plan.yaml", GOOD)
    code, _, err = run(capsys, "good.plan.yaml")
    assert code == 2
    assert "planner.toml" in err and "nonsense" in err


def test_directory_discovery_honours_gitignore_and_excludes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".gitignore", "generated/\n*.tmp.plan.yaml\n!keep.tmp.plan.yaml\n")
    for rel in (
        "a.plan.yaml",
        "sub/b.plan.yml",
        "generated/c.plan.yaml",
        "x.tmp.plan.yaml",
        "keep.tmp.plan.yaml",
        "node_modules/d.plan.yaml",
        "vendor/e.plan.yaml",
        "sub/.gitignore",
    ):
        write(tmp_path / rel, "ignored.plan.yaml\n" if rel.endswith(".gitignore") else BAD)
    write(tmp_path / "sub" / "ignored.plan.yaml", BAD)
    write(tmp_path / "notes.yaml", BAD)
    write(tmp_path / "pyproject.toml", '[tool.planner.lint]\nextend-exclude = ["vendor"]\n')
    _, out, _ = run(capsys, "--output-format", "json", "--select", "PL010")
    paths = sorted({d["path"] for d in json.loads(out)})
    assert paths == ["a.plan.yaml", "keep.tmp.plan.yaml", "sub/b.plan.yml"]
    # Explicit files are always linted, excluded or not.
    _, out, _ = run(
        capsys, "--output-format", "json", "vendor/e.plan.yaml", "generated/c.plan.yaml"
    )
    assert sorted({d["path"] for d in json.loads(out)}) == [
        "generated/c.plan.yaml",
        "vendor/e.plan.yaml",
    ]


def test_stdin_with_filename(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    write(tmp_path / "conf" / "planner.toml", '[lint]\nignore = ["PL108"]\n')
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    code, out, _ = run(
        capsys, "-", "--stdin-filename", "conf/x.plan.yaml", "--output-format", "concise"
    )
    assert code == 1
    assert out.startswith("conf/x.plan.yaml:9:24: PL010 ")
    assert "PL108" not in out


def test_stdin_not_utf8_is_one_line_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(b"version: 1\nsteps: \xff\xfe\n"))
    )
    code, _, err = run(capsys, "-")
    assert code == 2
    assert err.strip().count("\n") == 0 and "UTF-8" in err


def test_fix_safe_only_keeps_comments(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plan = write(tmp_path / "r.plan.yaml", REPEAT + BAD.split("steps:\n", 1)[1])
    code, out, _ = run(capsys, "r.plan.yaml", "--fix", "--output-format", "concise")
    text = plan.read_text()
    assert (
        "    until: the reviewer approves  # planner: noqa: PL110\n    max_rounds: 3\n" not in text
    )  # the suppression was unused
    assert "  - id: refine  # keep this comment\n" in text
    assert "max_rounds: 3" in text
    assert "tier: opus" in text  # the tier change is unsafe: not applied
    assert "Fixed 2 problems." in out
    assert code == 1  # the unknown dependency remains


def test_fix_unsafe_and_diff(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plan = write(tmp_path / "b.plan.yaml", BAD)
    code, out, _ = run(capsys, "b.plan.yaml", "--diff", "--unsafe-fixes")
    assert code == 1
    assert "-    tier: opus\n+    tier: haiku\n" in out
    assert out.startswith("--- a/b.plan.yaml\n+++ b/b.plan.yaml\n")
    assert plan.read_text() == BAD  # --diff never writes
    code, out, _ = run(capsys, "b.plan.yaml", "--fix", "--unsafe-fixes")
    assert "tier: haiku" in plan.read_text()
    assert code == 1
    write(tmp_path / "good.plan.yaml", GOOD)
    code, out, _ = run(capsys, "good.plan.yaml", "--diff")
    assert code == 0 and out == ""


def test_fix_stdin_prints_fixed_plan(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(REPEAT.encode())))
    code, out, err = run(capsys, "-", "--fix")
    assert "max_rounds: 3" in out and out.startswith("version: 1\n")
    assert "Fixed" in err
    assert code == 0


def test_noqa_file_level(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "a.plan.yaml", "# planner: noqa-file: PL108, PL010\n" + BAD)
    assert run(capsys, "a.plan.yaml")[0] == 0
    write(tmp_path / "b.plan.yaml", "# planner: noqa-file\n" + BAD)
    assert run(capsys, "b.plan.yaml")[0] == 0


def test_missing_explicit_file_is_a_finding_and_others_still_linted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write(tmp_path / "bad.plan.yaml", BAD)
    code, out, _ = run(capsys, "nope.plan.yaml", "bad.plan.yaml", "--output-format", "concise")
    assert code == 1
    assert "nope.plan.yaml:1:1: PL002 no such file" in out
    assert "bad.plan.yaml:9:24: PL010" in out


def test_rule_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "PL101"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PL101 sequential-everything\n")
    for part in (
        "What it flags",
        "Why it hurts",
        "Better",
        "Example (flagged):",
        "Example (better):",
    ):
        assert part in out
    assert main(["rule", "duplicate-step-id"]) == 0
    assert capsys.readouterr().out.startswith("PL009 duplicate-step-id")
    assert main(["rule", "--all"]) == 0
    out = capsys.readouterr().out
    assert out.count("Why it hurts") == 26
    assert main(["rule"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 26
    assert main(["rule", "PL999"]) == 2
    assert "unknown rule 'PL999'" in capsys.readouterr().err
    assert main(["rule", "PL106", "--output-format", "json"]) == 0
    (doc,) = json.loads(capsys.readouterr().out)
    assert doc["code"] == "PL106" and doc["fix"] == "safe"


def test_fix_keeps_crlf_and_symlinks(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    real = tmp_path / "real" / "r.plan.yaml"
    real.parent.mkdir()
    real.write_bytes(REPEAT.replace("\n", "\r\n").encode())
    link = tmp_path / "link.plan.yaml"
    link.symlink_to(real)
    run(capsys, "link.plan.yaml", "--fix")
    assert link.is_symlink()
    data = real.read_bytes()
    assert b"max_rounds: 3\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")


def test_long_source_lines_are_cut_around_the_caret(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    long_title = "x" * 5000
    write(
        tmp_path / "l.plan.yaml",
        f"version: 1\nsteps:\n  - {{id: a, title: {long_title}, prompt: Say hi to everyone in the room today., bogus: 1}}\n",
    )
    _, out, _ = run(capsys, "l.plan.yaml", "--color", "never")
    head, source, caret = out.splitlines()[:3]
    assert head.startswith("l.plan.yaml:3:") and "PL003 unknown key 'bogus'" in head
    assert len(source) < 200 and source.endswith("bogus: 1}")
    assert source[caret.index("^")] == "b"


def test_explicit_config_and_output_format_from_env(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / "sub" / "pyproject.toml", '[tool.planner.lint]\nignore = ["PL010"]\n'
    )  # not used
    write(tmp_path / "sub" / "bad.plan.yaml", BAD)
    write(tmp_path / "strict.toml", '[lint]\nselect = ["PL010"]\n')
    monkeypatch.setenv("PLANNER_OUTPUT_FORMAT", "json")
    code, out, _ = run(capsys, "--config", "strict.toml", "sub")
    assert code == 1
    assert [d["code"] for d in json.loads(out)] == ["PL010"]
    code, _, err = run(capsys, "--config", "missing.toml", "sub")
    assert code == 2 and "missing.toml" in err


def test_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "bad.plan.yaml", BAD)
    code, out, _ = run(capsys, "bad.plan.yaml", "--output-format", "sarif", "-o", "report.sarif")
    assert code == 1 and out == ""
    assert json.loads((tmp_path / "report.sarif").read_text())["version"] == "2.1.0"
    code, _, err = run(capsys, "bad.plan.yaml", "-o", "no/such/dir/r.txt")
    assert code == 2 and "no/such/dir: no such directory" in err


def test_fix_stdin_with_nothing_to_fix_echoes_the_plan(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode())))
    code, out, err = run(capsys, "-", "--fix")
    assert out == BAD
    assert code == 1 and "PL010" in err


def test_fix_changes_only_the_edited_step(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (
        "version: 1\n"
        "rationale:\n"
        "- 'A long plain reason that a YAML writer folded over two lines: it must stay\n"
        "  exactly as it was written.'\n"
        "steps:\n"
        "-   id: draft   # odd indentation, kept\n"
        "    role: draft\n"
        "    prompt: >\n"
        "      Write the first version of the migration guide for the new API.\n"
        "-   id: review\n"
        "    role: review\n"
        "    depends_on: [draft]\n"
        "    until: no blocking comments remain\n"
        "    prompt: Review the guide and list blocking comments first, then the rest.\n"
        "x-notes: {owner: docs,   due: friday}\n"
    )
    plan = write(tmp_path / "g.plan.yaml", text)
    code, _, _ = run(capsys, "g.plan.yaml", "--fix")
    assert code == 0
    expected = text.replace(
        "    until: no blocking comments remain\n",
        "    until: no blocking comments remain\n    max_rounds: 3\n",
    )
    assert plan.read_text() == expected
