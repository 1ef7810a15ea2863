"""The front of the parser: the size cap, prose apart from code, and the layout of the prose.

Everything after this module reads *units*: runs of prose that the syntax
analyser may read as one or more sentences. A unit is a paragraph, one item
of a bulleted or numbered list, a heading line, or one piece of an arrow
chain ("design -> code -> test"). Units keep their offsets in the original
text, so every step can point back at the words it came from.

Data the text talks about (quoted passages, inline code, web addresses, file
names) is kept out of the grammar: each is replaced, in a copy of the text of
the same length, by one placeholder word, so the tagger reads "translate
'...long quote...' into French" as a verb, a thing and a place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from planner import lazyre
from planner.parser.mask import classify_lines, is_list_item

UnitKind = Literal["text", "item", "heading"]

# Arrows that chain stages: "design -> code -> test", "scrape → clean → load".
_ARROW = lazyre.compile(r"\s*(?:-+>|=+>|→|⟶|➔|➜|⇒)\s*")
# Data, not instructions. Each alternative is bounded and stops at a line break,
# so the scan stays linear even when a quote never closes.
_DATA = lazyre.compile(
    r"`[^`\n]{1,400}`"
    r"|(?<![\w'])'(?:[^'\n]|(?<=\w)'(?=\w)){2,400}'(?![\w'])"
    r'|"[^"\n]{2,400}"'
    r"|“[^”\n]{2,400}”"
    r"|‘[^’\n]{2,400}’"
    r"|(?:https?|ftp)://[^\s'\"<>()\[\]]*[^\s'\"<>()\[\].,;:!?]"
    r"|[\w@.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w/])(?:[.~]?/)?(?:[\w-]+/){2,}[\w.-]*\w|(?<![\w/])(?:[.~]?/)(?:[\w-]+/)*[\w.-]*\w|(?<![\w/])(?:[\w-]+/)+[\w-]*\.[a-z]{1,5}\b"  # paths: src/app/main.py, ./run.sh
    r"|(?<![\w.])[\w-]+(?:\.[\w-]+)*\.(?:[a-z][a-z0-9]{0,4})(?![\w])",  # file names: report.pdf, app.config.json
    re.IGNORECASE,
)
# File-name-like words that are ordinary English or numbers ("e.g.", "3.12", "Node.js").
_NOT_A_FILE = lazyre.compile(r"(?:e\.g|i\.e|etc|vs|\d+(?:\.\d+)+[a-z]?|[a-z]\.[a-z])", re.IGNORECASE)
_HEADING_END = lazyre.compile(r"[:：]\s*$")


@dataclass(frozen=True)
class Unit:
    """A run of prose read as one piece of layout."""

    start: int
    end: int
    kind: UnitKind
    list_id: int | None = None  # items of one list share it
    index: int = 0  # position in its list
    numbered: bool = False  # "1." / "2)" / "(a)" items: their order is the order of the work
    chained: bool = False  # this unit follows the previous one after an arrow
    under: int | None = None  # index (in the unit list) of the heading or lead-in this item belongs to


@dataclass(frozen=True)
class Front:
    """What the front found: the analysed length, the units and a masked copy of the text."""

    text: str  # the original text, cut at the size cap
    view: str  # the same text with data (quotes, code, paths) replaced by placeholders of equal length
    units: tuple[Unit, ...]
    truncated: bool
    data: tuple[tuple[int, int], ...]  # spans replaced in ``view``


def _placeholder(span_text: str) -> str:
    # One capitalised word of the same length: the tagger reads a name.
    n = len(span_text)
    return "Q" + "x" * (n - 1) if n else ""


def mask_data(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` with quoted passages, inline code, addresses and file names replaced."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    last = 0
    for m in _DATA.finditer(text):
        s = m.group(0)
        if _NOT_A_FILE.fullmatch(s):
            continue
        parts.append(text[last : m.start()])
        parts.append(_placeholder(s))
        spans.append((m.start(), m.end()))
        last = m.end()
    parts.append(text[last:])
    return "".join(parts), tuple(spans)


def _split_arrows(view: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """(start, end, chained) pieces of a unit cut at stage arrows."""
    pieces: list[tuple[int, int, bool]] = []
    pos = start
    chained = False
    for m in _ARROW.finditer(view, start, end):
        if m.start() > pos and view[pos : m.start()].strip():
            pieces.append((pos, m.start(), chained))
            chained = True
        pos = m.end()
    if view[pos:end].strip():
        pieces.append((pos, end, chained))
    return pieces


def read_front(text: str, max_chars: int) -> Front:
    """Cut ``text`` at ``max_chars`` and lay its prose out as units."""
    truncated = len(text) > max_chars
    if truncated:
        text = text[:max_chars]
    view, data = mask_data(text)
    units: list[Unit] = []
    list_id = 0
    in_list = False
    last_lead: int | None = None
    paragraph: list[tuple[int, int]] = []

    def add(start: int, end: int, kind: UnitKind, **extra: object) -> None:
        for k, (s, e, chained) in enumerate(_split_arrows(view, start, end)):
            units.append(Unit(s, e, kind, chained=chained or (k > 0), **extra))  # type: ignore[arg-type]

    def flush() -> None:
        nonlocal last_lead
        if paragraph:
            s, e = paragraph[0][0], paragraph[-1][1]
            kind: UnitKind = "heading" if _HEADING_END.search(view[s:e]) else "text"
            add(s, e, kind)
            last_lead = len(units) - 1 if kind == "heading" else last_lead
            paragraph.clear()

    for line in classify_lines(view):
        body = view[line.start : line.end]
        if line.kind == "prose" and (marker := is_list_item(body)) is not None:
            flush()
            if not in_list:
                list_id += 1
                in_list = True
                index = 0
            token = marker.group(1)
            numbered = token[0].isdigit() or token[0] == "(" or (len(token) == 2 and token[1] in ".)")
            add(line.start + marker.end(1), line.end, "item", list_id=list_id, index=index,
                numbered=numbered, under=last_lead)
            index += 1
        elif line.kind in ("prose", "heading"):
            if in_list and body[:1].isspace() and units and units[-1].kind == "item":
                # an indented continuation line of a list item
                last = units.pop()
                units.append(Unit(last.start, line.end, last.kind, last.list_id, last.index,
                                  last.numbered, last.chained, last.under))
                continue
            in_list = False
            stripped = body.strip()
            if line.kind == "heading":
                flush()
                s = line.start + (len(body) - len(body.lstrip(" #*=-")))
                e = line.start + len(body.rstrip(" #*=-:"))
                if e > s:
                    units.append(Unit(s, e, "heading"))
                    last_lead = len(units) - 1
                continue
            paragraph.append((line.start, line.end))
            if _HEADING_END.search(stripped):
                flush()
        else:
            flush()
            if line.kind != "blank":
                in_list = False
                last_lead = None
    flush()
    return Front(text=text, view=view, units=tuple(units), truncated=truncated, data=data)
