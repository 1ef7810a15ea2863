"""Inline suppressions: ``# planner: noqa: PL001`` on a line, ``# planner: noqa-file`` for a file.

Without codes a comment suppresses everything on its line (or in the file).
Codes may also be rule names. Suppressions that suppress nothing are
reported as ``PL111 unused-suppression`` with a safe fix that removes them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from planner.linter.finding import Edit, Fix
from planner.linter.rules import lookup
from planner.linter.structure import Raw

# Codes follow a colon; bare codes without one ("noqa PL007") are accepted too
# when they look like rule codes, so a forgotten colon does not turn a specific
# suppression into a blanket one.
NOQA_RE = re.compile(
    r"#\s*planner:\s*noqa(?P<file>-file)?"
    r"(?:\s*:\s*(?P<codes>[A-Za-z][A-Za-z0-9-]*(?:\s*,\s*[A-Za-z][A-Za-z0-9-]*)*)"
    r"|\s+(?P<bare>PL\d{3}(?:\s*,\s*PL\d{3})*)\b)?",
    re.IGNORECASE,
)


class Suppression(NamedTuple):
    line: int
    column: int
    start: int  # 0-based offsets of the comment within its line
    end: int
    whole_file: bool
    # Written codes as given, and the rule code each names (None when unknown).
    codes: list[tuple[str, str | None]] | None
    used: set[str]  # codes it suppressed (filled in while suppressing)

    def covers(self, code: str) -> bool:
        return self.codes is None or any(c == code for _, c in self.codes)


def find_suppressions(lines: list[str]) -> list[Suppression]:
    found: list[Suppression] = []
    for number, text in enumerate(lines, start=1):
        if "noqa" not in text:
            continue
        for m in NOQA_RE.finditer(text):
            codes = None
            listed = m.group("codes") or m.group("bare")
            if listed:
                written = [c.strip() for c in listed.split(",")]
                codes = [(w, r.code if (r := lookup(w)) else None) for w in written]
            found.append(
                Suppression(
                    number, m.start() + 1, m.start(), m.end(), bool(m.group("file")), codes, set()
                )
            )
    return found


def apply_suppressions(raws: list[Raw], sups: list[Suppression]) -> list[Raw]:
    """Drop suppressed findings, recording which suppression was used."""
    if not sups:
        return raws
    by_line: dict[int, list[Suppression]] = {}
    whole = [s for s in sups if s.whole_file]
    for s in sups:
        if not s.whole_file:
            by_line.setdefault(s.line, []).append(s)
    # The first file-wide suppression covering each code, found once: looking
    # through all of them for every finding was quadratic in a large plan.
    blanket = next((s for s in whole if s.codes is None), None)
    first_for: dict[str, Suppression] = {}
    for s in whole:
        if blanket is not None and s is blanket:
            break
        for _, code in s.codes or ():
            if code is not None:
                first_for.setdefault(code, s)
    kept: list[Raw] = []
    for raw in raws:
        hit = next((s for s in by_line.get(raw.line, ()) if s.covers(raw.code)), None)
        if hit is None:
            hit = first_for.get(raw.code, blanket)
        if hit is None:
            kept.append(raw)
        else:
            hit.used.add(raw.code)
    return kept


def unused(sups: list[Suppression], lines: list[str], enabled: frozenset[str]) -> list[Raw]:
    """PL111 findings for suppressions (or codes in them) that matched nothing."""
    out: list[Raw] = []
    for s in sups:
        if s.codes is None:
            if s.used:
                continue
            message = "unused suppression: nothing to suppress here"
            remaining: list[str] | None = []
        else:
            stale = [w for w, c in s.codes if c is None or (c not in s.used and c in enabled)]
            if not stale:
                continue
            unknown = [w for w, c in s.codes if c is None]
            detail = "unknown rule " + ", ".join(unknown) if unknown else "nothing to suppress"
            message = f"unused suppression of {', '.join(stale)} ({detail})"
            remaining = [w for w, c in s.codes if w not in stale]
        text = lines[s.line - 1]
        out.append(Raw("PL111", message, s.line, s.column, fix=_removal(s, text, remaining)))
    return out


def _removal(s: Suppression, text: str, remaining: list[str] | None) -> Fix:
    if remaining:
        tag = "noqa-file" if s.whole_file else "noqa"
        new = f"{text[: s.start]}# planner: {tag}: {', '.join(remaining)}{text[s.end :]}"
        what = "drop the unused codes"
    else:
        head, tail = text[: s.start].rstrip(), text[s.end :]
        # Whatever follows ours up to the next '#' is part of our comment and goes
        # with it; a later comment ("# planner: noqa  # why") stays.
        hash_at = tail.find("#")
        tail = tail[hash_at:] if hash_at >= 0 else ""
        new = head + ("  " + tail if head and tail else tail)
        what = "remove the unused suppression"
    return Fix(what, "safe", (Edit("replace-line", new, line=s.line),))
