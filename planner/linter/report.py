"""Reporters: render findings as text, concise lines, JSON, SARIF or GitHub annotations.

Detection never formats anything; these functions only read
:class:`~planner.linter.finding.Finding` values (and source lines for context).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

from planner._version import __version__
from planner.display import display_width, printable
from planner.linter.finding import Finding
from planner.linter.rules import Rule, registry

FORMATS = ("text", "concise", "json", "sarif", "github")

_COLORS = {"error": "31", "warning": "33", "info": "36", "bold": "1", "dim": "2", "green": "32"}


class Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, what: str) -> str:
        if not self.color:
            return text
        return f"\x1b[{_COLORS[what]}m{text}\x1b[0m"


def _marker(f: Finding) -> str:
    return " [*]" if f.fix and f.fix.applicability == "safe" else ""


def _head(f: Finding, style: Style) -> str:
    # Paths and messages quote the file (keys, ids, names): cleaned before colour is added.
    where = style(f"{printable(f.path)}:{f.line}:{f.column}:", "bold")
    return f"{where} {style(f.code, f.severity)}{_marker(f)} {printable(f.message)}"


def _caret_prefix(source: str, column: int) -> str:
    """Blanks as wide as the source before ``column`` (tabs kept), so the caret lands under it
    also after Chinese, Japanese or Korean text and emoji, which take two columns each."""
    before = source[: max(column - 1, 0)]
    return "\t".join(" " * display_width(part) for part in before.split("\t"))


# Source lines longer than this are cut to a window around the caret.
_MAX_SOURCE = 160


def _window(source: str, column: int) -> tuple[str, int]:
    """The part of a long source line around ``column``, and the column within it."""
    if len(source) <= _MAX_SOURCE:
        return source, column
    start = max(0, min(column - 1 - _MAX_SOURCE // 2, len(source) - _MAX_SOURCE))
    text = source[start : start + _MAX_SOURCE]
    prefix = "…" if start else ""
    suffix = "…" if start + _MAX_SOURCE < len(source) else ""
    return prefix + text + suffix, column - start + len(prefix)


def render_text(findings: Sequence[Finding], sources: Mapping[str, list[str]], style: Style) -> str:
    """``path:line:col: CODE message`` with the source line and a caret under the spot."""
    out: list[str] = []
    for f in findings:
        out.append(_head(f, style))
        lines = sources.get(f.path) or []
        if 1 <= f.line <= len(lines):
            src, column = _window(printable(lines[f.line - 1], keep="\t"), f.column)
            gutter = " " * len(str(f.line))
            out.append(style(f"{f.line} | ", "dim") + src)
            out.append(
                style(f"{gutter} | ", "dim") + _caret_prefix(src, column) + style("^", f.severity)
            )
        out.append("")
    return "\n".join(out)


def render_concise(findings: Sequence[Finding], style: Style) -> str:
    return "".join(_head(f, style) + "\n" for f in findings)


def summary(
    findings: Sequence[Finding], style: Style, *, fixed: int = 0, unsafe_shown: bool = False
) -> str:
    """The closing lines of text output: counts and how many problems --fix would solve."""
    lines: list[str] = []
    if fixed:
        lines.append(f"Fixed {fixed} problem{'s' if fixed != 1 else ''}.")
    if not findings:
        lines.append(style("All checks passed!", "green") if not fixed else "No problems left.")
        return "\n".join(lines) + "\n"
    counts = Counter(f.severity for f in findings)
    detail = ", ".join(
        f"{n} {sev}{'s' if n != 1 else ''}"
        for sev in ("error", "warning", "info")
        if (n := counts[sev])
    )
    total = len(findings)
    lines.append(f"Found {total} problem{'s' if total != 1 else ''} ({detail}).")
    safe = sum(1 for f in findings if f.fix and f.fix.applicability == "safe")
    unsafe = sum(1 for f in findings if f.fix and f.fix.applicability == "unsafe")
    if safe:
        lines.append(f"[*] {safe} fixable with the --fix option.")
    if unsafe and not unsafe_shown:
        lines.append(
            f"{unsafe} more fix{'es' if unsafe != 1 else ''} available with --fix --unsafe-fixes."
        )
    return "\n".join(lines) + "\n"


def render_statistics(findings: Sequence[Finding], *, as_json: bool = False) -> str:
    """A count per rule, most frequent first; ``[*]`` marks what --fix alone repairs."""
    counts = Counter(f.code for f in findings)
    names = {f.code: f.name for f in findings}
    fixable = {f.code for f in findings if f.fix and f.fix.applicability == "safe"}
    width = max((len(str(n)) for n in counts.values()), default=1)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if as_json:
        import json

        table = [
            {"code": c, "name": names[c], "count": n, "fixable": c in fixable} for c, n in rows
        ]
        return json.dumps(table, indent=2) + "\n"
    return "".join(
        f"{n:>{width}}  {code}  {'[*]' if code in fixable else '[ ]'} {names[code]}\n"
        for code, n in rows
    )


def render_json(findings: Sequence[Finding]) -> str:
    import json

    return json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding]) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    return "".join(
        f"::{level[f.severity]} file={_escape_property(f.path)},line={f.line},col={f.column},"
        f"title={_escape_property(f'{f.code} {f.name}')}::{_escape_data(f'{f.code} {f.message}')}\n"
        for f in findings
    )


def _uri(path: str) -> str:
    from urllib.parse import quote

    p = PurePath(path)
    if p.is_absolute():
        return Path(path).as_uri()
    # The file name's own bytes, percent-encoded: also right for a name that is not UTF-8.
    return quote(p.as_posix().encode("utf-8", "surrogateescape"))


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    doc, d = rule.doc(), rule.docs
    markdown = (
        f"**{rule.summary}**\n\n**What it flags.** {d.bad}\n\n**Why it hurts.** {d.why}\n\n"
        f"**Better.** {d.better}\n"
    )
    if d.better_example.strip():
        markdown += f"\n```yaml\n{d.better_example.strip(chr(10))}\n```\n"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{d.bad} {d.why}"},
        "help": {"text": doc, "markdown": markdown},
        "defaultConfiguration": {"level": {"info": "note"}.get(rule.severity, rule.severity)},
        "properties": {"tags": ["structure" if rule.structural else "design"]},
    }


def render_sarif(findings: Sequence[Finding]) -> str:
    """SARIF 2.1.0 with the fields GitHub code scanning reads."""
    import json

    rules = list(registry().values())
    index = {r.code: i for i, r in enumerate(rules)}
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": {"info": "note"}.get(f.severity, f.severity),
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.path)},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        for f in findings
    ]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "planner",
                        "semanticVersion": __version__,
                        "version": __version__,
                        "rules": [_sarif_rule(r) for r in rules],
                    }
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


MACHINE: dict[str, Callable[[Sequence[Finding]], str]] = {
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
}
