"""``planner lint`` and ``planner rule``: the linter's command line, shaped like ruff's."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from planner.errors import EXIT_FINDINGS, EXIT_OK, InputError, PlannerError
from planner.linter.finding import Finding
from planner.linter.report import FORMATS


def _split(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _write_atomic(path: Path, text: str) -> None:
    """Replace a file's content without a window where it is half written.

    A symlink is followed, so the link stays a link and its target gets the fix.
    """
    target = Path(os.path.realpath(path))
    tmp = target.with_name(f".{target.name}.planner-fix.tmp")
    try:
        mode = target.stat().st_mode
        tmp.write_text(text, encoding="utf-8", newline="")
        os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PlannerError(f"{path}: cannot write the fixed plan: {exc.strerror or exc}") from None


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=True, file_okay=True, allow_dash=True))
@click.option(
    "--output-format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    envvar="PLANNER_OUTPUT_FORMAT",
    help="How to print findings.",
)
@click.option(
    "--select",
    "select",
    multiple=True,
    help="Only these rules (codes, prefixes like PL1, names, or ALL).",
)
@click.option("--extend-select", multiple=True, help="Rules to enable on top of the selection.")
@click.option("--ignore", multiple=True, help="Rules to turn off.")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Also apply fixes that change what runs (with --fix or --diff).",
)
@click.option(
    "--diff",
    is_flag=True,
    help="Show the fixes as a diff instead of writing them; exit 1 if there are any.",
)
@click.option("--statistics", is_flag=True, help="Print a count per rule instead of each finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour output (auto: on a terminal, unless NO_COLOR or TERM=dumb; FORCE_COLOR forces it).",
)
@click.option("--stdin-filename", help="The file name to show (and configure by) when reading '-'.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Use this configuration file instead of looking upward from each plan.",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of stdout (e.g. a SARIF file for CI).",
)
def lint(
    paths: tuple[str, ...],
    output_format: str,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    statistics: bool,
    exit_zero: bool,
    color: str,
    stdin_filename: str | None,
    config_file: Path | None,
    output_file: Path | None,
) -> int:
    """Check plan files for errors and orchestration anti-patterns.

    PATHS are plan files or folders (searched for *.plan.yaml and *.plan.yml,
    honouring .gitignore); '-' reads stdin. With no PATHS, the current folder.

    \b
    Exit status: 0 no findings, 1 findings, 2 usage or configuration error.
    Suppress a finding with a comment on its line: '# planner: noqa: PL110';
    a whole file with '# planner: noqa-file' (optionally with codes).
    """
    from planner.cli.terminal import emit, use_color
    from planner.config import Config, load_config
    from planner.linter.engine import (
        Unreadable,
        config_for_dir,
        decode_source,
        lint_path,
        read_source,
        settings_for,
    )
    from planner.linter.report import Style, render_concise, render_statistics, render_text, summary
    from planner.linter.settings import Overrides
    from planner.outfile import check_target, write_text_file
    from planner.plan.spec import MAX_PLAN_BYTES

    if output_file is not None:
        check_target(output_file, force=True)  # a device or a folder is refused before linting

    overrides = Overrides(
        select=_split(select) if select else None,
        extend_select=_split(extend_select),
        ignore=_split(ignore),
    )
    explicit: Config | None = load_config(explicit=config_file) if config_file else None

    def config_at(folder: Path) -> Config:
        return explicit if explicit is not None else config_for_dir(folder)

    # Validate selectors early so a typo is a usage error even with no files.
    settings_for(config_at(Path.cwd()), overrides)

    targets: list[str] = []
    for arg in paths or (".",):
        if arg != "-" and os.path.isdir(arg):
            from planner.linter.discover import walk

            def skipped(folder: str, reason: str) -> None:
                emit(f"planner: skipped {folder}: {reason.lower()}", err=True, clean=True)

            targets.extend(
                walk(arg, lambda root: settings_for(config_at(root), overrides), on_skip=skipped)
            )
        else:
            targets.append(arg)

    if not targets:
        emit(
            "planner: no plan files found (looked for "
            + ", ".join(settings_for(config_at(Path.cwd()), overrides).include)
            + ")",
            err=True,
            clean=True,
        )
    findings: list[Finding] = []
    sources: dict[str, list[str]] = {}
    diffs: list[str] = []
    fixed = 0
    fixing = fix or diff
    for target in targets:
        text: str | None = None
        if target == "-":
            shown = stdin_filename or "-"
            data = sys.stdin.buffer.read(MAX_PLAN_BYTES + 1)
            try:
                if len(data) > MAX_PLAN_BYTES:
                    raise Unreadable("input is too large for a plan")
                text = decode_source(data)
            except Unreadable as exc:
                raise InputError(f"stdin: {exc}") from None
        else:
            shown = target
            try:
                text = read_source(target)
            except Unreadable:
                text = None  # lint_path reports it as PL002
        folder = Path(shown).parent if shown != "-" else Path.cwd()
        cfg = config_at(folder.resolve() if str(folder) else Path.cwd())
        if fixing and text is not None:
            from planner.linter.fix import fix_text

            def lint_fn(t: str, shown: str = shown, cfg: Config = cfg) -> list[Finding]:
                return lint_path(shown, config=cfg, overrides=overrides, text=t)

            new, count, file_findings = fix_text(text, lint_fn, unsafe=unsafe_fixes)
            if target == "-" and not diff:
                # Editors pipe a buffer through `--fix -`: always hand the text back.
                sys.stdout.write(new)
            if new != text:
                if diff:
                    diffs.append(_unified(text, new, shown))
                elif target != "-":
                    _write_atomic(Path(target), new)
                fixed += count
            if diff:
                file_findings = lint_fn(text)
            text = new if not diff else text
        else:
            file_findings = lint_path(shown, config=cfg, overrides=overrides, text=text)
        if text is not None:
            sources[shown] = text.splitlines()
        findings.extend(file_findings)

    if diff:
        emit("".join(diffs), nl=False)
        if diffs:
            emit(f"Would fix {fixed} problem{'s' if fixed != 1 else ''}.", err=True)
        return EXIT_FINDINGS if diffs and not exit_zero else EXIT_OK

    # With '-' and --fix the fixed plan owns stdout, so findings go to stderr.
    to_err = fix and "-" in targets
    style = Style(use_color(sys.stderr if to_err else sys.stdout, color) and output_file is None)
    if statistics:
        out = render_statistics(findings, as_json=output_format == "json")
    elif output_format == "text":
        out = render_text(findings, sources, style) + summary(
            findings, style, fixed=fixed, unsafe_shown=unsafe_fixes
        )
    elif output_format == "concise":
        out = render_concise(findings, style) + summary(
            findings, style, fixed=fixed, unsafe_shown=unsafe_fixes
        )
    else:
        from planner.linter.report import MACHINE

        out = MACHINE[output_format](findings)
    human = output_format in ("text", "concise") or (statistics and output_format != "json")
    if output_file is not None:
        write_text_file(output_file, out, force=True)
    elif human:
        # Text reports clean what they quote themselves, around their own colours.
        emit(out, nl=False, err=to_err, clean=False, color=style.color)
    else:
        emit(out, nl=False, err=to_err)
    return EXIT_FINDINGS if findings and not exit_zero else EXIT_OK


def _unified(old: str, new: str, path: str) -> str:
    import difflib

    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("codes", nargs=-1)
@click.option("--all", "show_all", is_flag=True, help="Print the documentation of every rule.")
@click.option(
    "--output-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Plain text or JSON.",
)
def rule(codes: tuple[str, ...], show_all: bool, output_format: str) -> int:
    """Explain lint rules: CODE (or name) prints one rule's documentation.

    With no CODE, prints the table of rules; --all prints every rule's documentation.
    """
    import json

    from planner.linter.rules import lookup, registry

    rules = list(registry().values())
    if codes:
        chosen = []
        for code in codes:
            found = lookup(code)
            if found is None:
                raise InputError(f"unknown rule '{code}' (see 'planner rule' for the list)")
            chosen.append(found)
        rules = chosen
    from planner.cli.terminal import emit

    if output_format == "json":
        emit(json.dumps([r.to_dict() for r in rules], indent=2, ensure_ascii=False))
        return EXIT_OK
    if codes or show_all:
        emit("\n".join(r.doc() for r in rules), nl=False, clean=True)
        return EXIT_OK
    width = max(len(r.name) for r in rules)
    lines = []
    for r in rules:
        fix = {"safe": "fix", "unsafe": "unsafe fix"}.get(r.fix or "", "")
        lines.append(f"{r.code}  {r.name:<{width}}  {r.severity:<7}  {fix:<10}  {r.summary}")
    emit("\n".join(lines), clean=True)
    return EXIT_OK
