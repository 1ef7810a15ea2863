"""Tell prose from code, tracebacks, logs and quotes in a task text.

Bug reports paste code blocks, interpreter sessions, tracebacks and logs; none
of that is work to plan. This module classifies each line once (a linear scan)
and returns the prose lines grouped into paragraphs, with their offsets in the
original text, so later stages never see the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner import lazyre

_FENCE = lazyre.compile(r"[ \t]{0,3}(```|~~~)")
_PROMPT = lazyre.compile(r"\s*(>>>|\.\.\.\s|\$ |% |In \[\d*\]:|Out\[\d*\]:|#\s*>)")
_QUOTE = lazyre.compile(r"\s*>")
_TRACEBACK_START = lazyre.compile(r"\s*Traceback \(most recent call last\)")
_TRACE_FRAME = lazyre.compile(r'\s*File "[^"\n]*", line \d+')
_EXCEPTION_LINE = lazyre.compile(r"\s*[A-Za-z_][\w.]*(Error|Exception|Warning|Exit|Interrupt|Fault)\b:?")
_LOG_LINE = lazyre.compile(
    r"\s*(\[?\d{4}-\d{2}-\d{2}|\[?\d{1,2}:\d{2}:\d{2}|(DEBUG|INFO|WARN|WARNING|ERROR|CRITICAL|FATAL|TRACE)\b[\s:\]])"
)
_CODE_START = lazyre.compile(
    r"\s*(def |class |import |from \S+ import |return\b|raise\b|print\(|@\w|#include|"
    r"for \w+ in |if .*:\s*$|elif |else:|try:|except\b|with .*:\s*$|while .*:\s*$|"
    r"[\w.\[\]'\"]+\s*(=|\+=|-=|==)\s*\S|[\w.]+\(.*\)\s*;?\s*$|[{}\[\]();]+\s*$|</?\w+[^>]*>\s*$)"
)
_HEADING = lazyre.compile(r"\s*(#{1,6}\s|={3,}\s*$|-{3,}\s*$|\*{3,}\s*$)")
_TABLE = lazyre.compile(r"\s*\|")
_HTML_COMMENT_START = "<!--"
_HTML_COMMENT_END = "-->"
_PLAIN_WORDS = lazyre.compile(r"(?:^|\s)[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}(?:\s|$|[.,;:!?)])")
_SYMBOLS = frozenset("(){}[]=<>;_/\\|@#$%^&*+~`\"'")


@dataclass(frozen=True)
class Line:
    start: int  # offset of the first character
    end: int  # offset after the last character, line break excluded
    kind: str  # "prose", "blank", "code", "traceback", "prompt", "log", "quote", "heading", ...


def classify_lines(text: str) -> list[Line]:
    """Every line of ``text`` with its kind, in order."""
    lines: list[Line] = []
    pos = 0
    in_fence: str | None = None
    in_traceback = False
    in_comment = False
    lines_seen = False
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        start, end = pos, pos + len(body)
        pos += len(raw)
        kind: str
        if in_comment:
            kind = "comment"
            if _HTML_COMMENT_END in body:
                in_comment = False
        elif in_fence is not None:
            kind = "code"
            fence = _FENCE.match(body)
            if fence and fence.group(1) == in_fence:
                in_fence = None
        elif (fence := _FENCE.match(body)) is not None:
            kind = "code"
            in_fence = fence.group(1)
        elif body.lstrip().startswith(_HTML_COMMENT_START):
            kind = "comment"
            in_comment = _HTML_COMMENT_END not in body
        elif not body.strip():
            kind = "blank"
            in_traceback = False
        elif _TRACEBACK_START.match(body):
            kind = "traceback"
            in_traceback = True
        elif in_traceback:
            kind = "traceback"
            if _EXCEPTION_LINE.match(body) and not body[:1].isspace():
                in_traceback = False
        else:
            kind = _line_kind(body)
            if kind == "code" and not lines_seen and _PLAIN_WORDS.search(body):
                # The first line of a bug report is its title, even when it
                # quotes code: "simplify(cos(x)**I): Invalid comparison of ..."
                kind = "prose"
        if kind != "blank":
            lines_seen = True
        lines.append(Line(start, end, kind))
    return lines


# lower-case roman numerals past "i" ("ii.", "iv)", "(iii)") number a list as figures do
_LIST_ITEM = lazyre.compile(
    r"\s*([-*+•‣▪◦]|\d{1,3}[.)]|(?:ii|iii|iv|vi|vii|viii|ix)[.)]|[a-zA-Z][.)]|\(\d{1,3}\)|\((?:ii|iii|iv|vi|vii|viii|ix)\)|\([a-z]\))\s+\S"
)


def _line_kind(body: str) -> str:
    stripped = body.strip()
    if _TRACE_FRAME.match(body):
        return "traceback"
    if _PROMPT.match(body):
        return "prompt"
    if _QUOTE.match(body):
        return "quote"
    if _HEADING.match(body):
        return "heading"
    if _TABLE.match(body):
        return "table"
    if _LOG_LINE.match(body):
        return "log"
    if _EXCEPTION_LINE.fullmatch(stripped.split(" ", 1)[0]) and ":" in stripped[:80]:
        return "traceback"
    is_item = _LIST_ITEM.match(body) is not None
    if not is_item and (body.startswith("    ") or body.startswith("\t")):
        return "code"
    if not is_item and _CODE_START.match(body):
        return "code"
    if len(stripped) >= 8:
        symbols = sum(1 for ch in stripped if ch in _SYMBOLS)
        if symbols / len(stripped) > 0.2:
            return "code"
    return "prose"


def is_list_item(text: str) -> re.Match[str] | None:
    """The list marker at the start of ``text`` ("- ", "2. ", "(b) "), if any."""
    return _LIST_ITEM.match(text)


_LABEL_LINE = lazyre.compile(r"\s*(?:\*\*[^*\n]{2,60}\*\*:?|__[^_\n]{2,60}__:?|[A-Z][\w /&()-]{1,50}:)\s*$")


def sections(text: str, lines: list[Line] | None = None) -> list[tuple[int, str]]:
    """(offset, heading) for each heading-like line: "### Steps to reproduce",
    "**Expected behavior**", "Environment:". Later text belongs to the last one."""
    out: list[tuple[int, str]] = []
    label_open = False  # a "Label:" line governs only the block right under it
    seen_content = False
    for line in lines if lines is not None else classify_lines(text):
        body = text[line.start : line.end]
        if line.kind == "heading":
            out.append((line.start, body.strip(" #*_:=-\t").lower()))
            label_open = False
        elif line.kind in {"prose", "code"} and _LABEL_LINE.match(body):
            out.append((line.start, body.strip(" #*_:\t").lower()))
            label_open, seen_content = True, False
        elif label_open and line.kind == "blank" and seen_content:
            out.append((line.start, ""))
            label_open = False
        elif line.kind != "blank":
            seen_content = True
    return out


def prose_paragraphs(text: str) -> list[list[Line]]:
    """Runs of consecutive prose lines; anything else ends a paragraph."""
    paragraphs: list[list[Line]] = []
    current: list[Line] = []
    for line in classify_lines(text):
        if line.kind == "prose":
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs
