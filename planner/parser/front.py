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

import dataclasses
import itertools
import re
from dataclasses import dataclass
from typing import Literal

from planner import lazyre
from planner.parser.bare_lines import bare_item_lines
from planner.parser.mask import classify_lines, is_list_item
from planner.parser.members import kept_arrow
from planner.parser.readings import doc_only
from planner.parser.record_lines import record_names
from planner.parser.symbol_chains import numbered_marks, symbol_marks

UnitKind = Literal["text", "item", "heading"]

# Arrows that chain stages: "design -> code -> test", "scrape → clean → load".
_ARROW_CORE = lazyre.compile(r"-+>|=+>|→|⟶|➔|➜|⇒")


def arrow_spans(view: str, start: int, end: int) -> list[tuple[int, int]]:
    """Each arrow with the blanks around it (as far back as ``start`` or the arrow
    before), found in linear time: a pattern with the blanks in it, searched,
    started a match at every blank of a long run and read the rest of the run
    again each time (15,000 blanks after an arrow took seconds)."""
    out: list[tuple[int, int]] = []
    floor = start
    for m in _ARROW_CORE.finditer(view, start, end):
        a, b = m.start(), m.end()
        while a > floor and view[a - 1].isspace():
            a -= 1
        while b < end and view[b].isspace():
            b += 1
        out.append((a, b))
        floor = b
    return out
# Data, not instructions: quoted passages and inline code. Each alternative
# starts with its quote character and is bounded, so the scan stays linear
# even when a quote never closes.
_QUOTED = lazyre.compile(
    r"`[^`\n]{1,400}`"
    r"|(?<![\w'])'(?:[^'\n]|(?<=\w)'(?=\w)){2,400}'(?![\w'])"
    r'|"[^"\n]{2,400}"'
    r"|“[^”\n]{2,400}”"
    r"|‘[^’\n]{2,400}’"
)
# Words that are data: web and mail addresses, paths, file names. Tried on one
# whitespace-free chunk at a time (at most _MAX_CHUNK characters), never across
# the text, so a long run without spaces costs one look.
_WORD_DATA = lazyre.compile(
    r"(?:https?|ftp)://\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?:[.~]?/)?(?:[\w-]+/){2,}[\w.-]*\w"
    r"|(?:[.~]?/)(?:[\w-]+/)*[\w.-]*\w"
    r"|(?:[\w-]+/)+[\w-]*\.[a-z]{1,5}"
    r"|[\w-]+(?:\.[\w-]+)*\.[a-z][a-z0-9]{0,4}",
    re.IGNORECASE,
)
_CHUNK = lazyre.compile(r"\S+")
_MAX_CHUNK = 300
_EDGE = "([{<\"'“‘"
_TRAIL = ")]}>\"'”’.,;:!?"
# File-name-like words that are ordinary English or numbers ("e.g.", "3.12", "Node.js").
_NOT_A_FILE = lazyre.compile(r"(?:e\.g|i\.e|etc|vs|\d+(?:\.\d+)+[a-z]?|[a-z]\.[a-z])", re.IGNORECASE)
# I500 (planner/parser/slashed.py): capitalised names glued by slashes ("Leeds/York/Hull")
# are a list of names, not a path: no part starts lower-case, none has a dot.
_NAMES_RUN = lazyre.compile(r"[A-Z][A-Za-z0-9'-]*(?:/[A-Z][A-Za-z0-9'-]*){2,}")
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
    spoken: tuple[tuple[str, int, int], ...] = ()  # (code, start, end) of the front readings: T018 here, T011-T016 (spoken.py)


def _placeholder(span_text: str) -> str:
    # One capitalised word of the same length: the tagger reads a name.
    n = len(span_text)
    return "Q" + "x" * (n - 1) if n else ""


def mask_data(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` with quoted passages, inline code, addresses and file names replaced."""
    spans: list[tuple[int, int]] = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    quoted = 0
    for m in _CHUNK.finditer(text):
        s, e = m.start(), m.end()
        if e - s > _MAX_CHUNK:
            continue
        while quoted < len(spans) and spans[quoted][1] <= s:
            quoted += 1
        if quoted < len(spans) and spans[quoted][0] < e:
            continue  # inside or touching a quoted passage
        while s < e and text[s] in _EDGE:
            s += 1
        while e > s and text[e - 1] in _TRAIL:
            e -= 1
        word = text[s:e]
        if word and _WORD_DATA.fullmatch(word) and not _NOT_A_FILE.fullmatch(word) and not _NAMES_RUN.fullmatch(word):
            spans.append((s, e))
    spans.sort()
    parts: list[str] = []
    last = 0
    kept: list[tuple[int, int]] = []
    for s, e in spans:
        if s < last:
            continue
        parts.append(text[last:s])
        parts.append(_placeholder(text[s:e]))
        kept.append((s, e))
        last = e
    parts.append(text[last:])
    return "".join(parts), tuple(kept)


# I252: an arrow between two version numbers ("flask 2.x -> 3.0") is a range, one thing, no stage break.
_VERSION_BEFORE = lazyre.compile(r"(?:^|[\s(])v?\d+(?:\.(?:\d+|x))*$")
_VERSION_AFTER = lazyre.compile(r"^v?\d+(?:\.(?:\d+|x))*(?:$|[\s,;.)])")


def _split_arrows(
    view: str, start: int, end: int, text: str = "", fired: list[tuple[str, int, int]] | None = None
) -> list[tuple[int, int, bool]]:
    """(start, end, chained) pieces of a unit cut at stage arrows."""
    pieces: list[tuple[int, int, bool]] = []
    pos = start
    chained = False
    for a, b, code in _stage_marks(view, start, end):
        if text and _VERSION_BEFORE.search(text[max(start, a - 12) : a]) and _VERSION_AFTER.match(text[b : b + 12]):
            continue  # "celery 5.3 -> 5.4": versions are read from the text as written (the view masks "4.x")
        if kept_arrow(view, start, end, a, b):
            continue  # I305: "A vs B -> C vs D", "(opened -> closed)": the arrow is inside a member
        if code and fired is not None:
            fired.append((code, a, b))
        if a > pos and view[pos:a].strip():
            pieces.append((pos, a, chained))
            chained = True
        pos = max(pos, b)
    if view[pos:end].strip():
        pieces.append((pos, end, chained))
    return pieces


def _stage_marks(view: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Where a unit is cut into stages: its arrows, the spaced symbols that stand for one
    (T020) and the numbers of a procedure written in one line (T021), in text order."""
    marks = [(a, b, "") for a, b in arrow_spans(view, start, end)]
    marks += [(a, b, "T020") for a, b in symbol_marks(view, start, end)]
    marks += [(a, b, "T021") for a, b in numbered_marks(view, start, end)]
    return sorted(marks)


def _has_stages(view: str, start: int, end: int) -> bool:
    return bool(_ARROW_CORE.search(view, start, end) or symbol_marks(view, start, end))


doc_only(
    "T018", "arrow-lines",
    "Lines of a paragraph that each hold arrows ('kitchen -> get quotes -> pick a builder' above 'bathroom -> get quotes -> pick a plumber') are units of their own: the line break ends a chain of stages.",
    """A paragraph is read as one unit and cut at its arrows, so a chain of
    stages written on one line ran on into the next line's first words
    ("pick a builder\nbathroom"), and the name that opens the next chain
    was read as part of the last stage. When a line and the line before it
    both hold a stage arrow, the line break is where one chain ends and the
    next begins; other line breaks inside a paragraph stay as they were.""",
)


def _arrow_lines(view: str, paragraph: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """T018: the paragraph's lines grouped into units, a new unit at each line with an arrow
    whose line before it has one too."""
    if not paragraph:
        return []
    runs: list[tuple[int, int]] = []
    start = paragraph[0][0]
    for (s0, e0), (s1, _) in itertools.pairwise(paragraph):
        if _has_stages(view, s0, e0) and _has_stages(view, s1, _line_end(view, s1)):
            runs.append((start, e0))
            start = s1
    runs.append((start, paragraph[-1][1]))
    return runs


def _line_end(view: str, s: int) -> int:
    end = view.find("\n", s)
    return len(view) if end < 0 else end


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

    cut: list[tuple[str, int, int]] = []  # T018: where a line of stages ended a unit; T020/T021: symbol cuts

    def add(start: int, end: int, kind: UnitKind, **extra: object) -> None:
        for k, (s, e, chained) in enumerate(_split_arrows(view, start, end, text, cut)):
            units.append(Unit(s, e, kind, chained=chained or (k > 0), **extra))  # type: ignore[arg-type]

    def flush() -> None:
        nonlocal last_lead
        runs = _arrow_lines(view, paragraph)
        cut.extend(("T018", s, e) for s, e in runs[1:])
        for s, e in runs:
            kind: UnitKind = "heading" if _HEADING_END.search(view[s:e]) else "text"
            add(s, e, kind)
            last_lead = len(units) - 1 if kind == "heading" else last_lead
        paragraph.clear()

    # Lines are told apart on the text as written: masking a path must not make a
    # traceback frame look like prose.
    lines = classify_lines(text)
    bare = bare_item_lines(view, lines)  # I611: short lines with no bullets under a colon are items too
    for n_line, line in enumerate(lines):
        body = view[line.start : line.end]
        if n_line in bare:
            flush()
            if not in_list:
                list_id += 1
                in_list = True
                index = 0
            lead = len(body) - len(body.lstrip())
            add(line.start + lead, line.start + len(body.rstrip()), "item", list_id=list_id, index=index,
                numbered=False, under=last_lead)
            cut.append(("I611", line.start + lead, line.start + len(body.rstrip())))
            index += 1
        elif line.kind == "prose" and (marker := is_list_item(body)) is not None:
            flush()
            if not in_list:
                list_id += 1
                in_list = True
                index = 0
            token = marker.group(1)
            numbered = token[0].isdigit() or token[0] == "(" or (token[-1] in ".)" and token[:-1].isalpha())  # "b)", "iii."
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
    units = _records(view, units, cut)
    return Front(text=text, view=view, units=tuple(units), truncated=truncated, data=data, spoken=tuple(cut))


def _records(view: str, units: list[Unit], cut: list[tuple[str, int, int]]) -> list[Unit]:
    """I612: the items of a list whose every line is a record cut into fields keep their first field."""
    lists: dict[int, list[int]] = {}
    for k, u in enumerate(units):
        if u.kind == "item" and u.list_id is not None and not u.chained:
            lists.setdefault(u.list_id, []).append(k)
    out = list(units)
    for members in lists.values():
        names = record_names(view, [(units[k].start, units[k].end) for k in members])
        if names is None:
            continue
        for k, (s, e) in zip(members, names, strict=True):
            out[k] = dataclasses.replace(units[k], start=s, end=e)
            cut.append(("I612", s, e))
    return out
