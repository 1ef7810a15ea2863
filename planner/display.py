"""Text meant for a terminal: its display width, and cleaning it of what could drive the terminal.

Terminals give East Asian wide and fullwidth characters (and most emoji) two
columns, combining marks and zero-width format characters none. Tables,
boxes and carets are measured and padded in those columns, never in code
points, or they drift out of line.

Task text, plan files, file names, model replies and server errors all end
up on the screen. An escape sequence among them could recolour the terminal,
move the cursor to forge or hide lines, set the window title or, with some
terminals, write files; a carriage return can overwrite what a line said.
Every terminal output passes through :func:`printable` (the box diagram
too), so none of that gets through.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

ELLIPSIS = "…"

# C0 controls, DEL, C1 controls (CSI and OSC have one-byte forms there), the
# Unicode line and paragraph separators, the bidirectional embeddings,
# overrides and isolates (which can show text in an order it is not in), and
# lone surrogates: the undecodable bytes of a file name.
_UNSAFE = "\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_RE: dict[str, re.Pattern[str]] = {}  # by the characters kept; compiled on first use


def _unsafe_re(keep: str) -> re.Pattern[str]:
    pattern = _UNSAFE_RE.get(keep)
    if pattern is None:
        allowed = "".join(f"\\x{ord(c):02x}" for c in keep)
        exempt = f"(?![{allowed}])" if keep else ""
        pattern = _UNSAFE_RE[keep] = re.compile(f"{exempt}[{_UNSAFE}]")
    return pattern


def _replacement(match: re.Match[str]) -> str:
    ch = match.group()
    if "\ud800" <= ch <= "\udfff":
        # os.fsdecode keeps an undecodable byte 0xNN of a file name as U+DCNN.
        code = ord(ch)
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"
    return " "


def printable(text: str, *, keep: str = "") -> str:
    """``text`` safe to write to a terminal.

    Control characters become spaces (one for one, so columns stay where they
    were), except those in ``keep`` (such as ``"\\n\\t"`` for a block of text,
    where a ``\\r\\n`` line end also becomes ``\\n``); undecodable bytes of a
    file name are shown as ``\\xNN``.

    >>> printable("red \\x1b[31mtext\\x1b[0m")
    'red  [31mtext [0m'
    >>> printable("caf\\udce9.plan.yaml")
    'caf\\\\xe9.plan.yaml'
    """
    pattern = _unsafe_re(keep)
    if pattern.search(text) is None:
        return text
    if "\n" in keep:
        text = text.replace("\r\n", "\n")
    return pattern.sub(_replacement, text)


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """Columns one code point takes in a terminal (0, 1 or 2)."""
    if ch in ("\u200d", "\u200b") or "\ufe00" <= ch <= "\ufe0f":
        return 0
    category = unicodedata.category(ch)
    if category in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal.

    >>> display_width("abc"), display_width("日本"), display_width("e\\u0301"), display_width("☀\\ufe0f")
    (3, 4, 1, 2)
    """
    if text.isascii():
        return len(text)
    width = 0
    joined = False
    previous = 0
    for ch in text:
        # The character after a zero-width joiner is drawn inside the same
        # emoji glyph (family, profession and flag sequences).
        if joined:
            joined = False
            continue
        if ch == "\u200d":
            joined = True
            continue
        if ch == "\ufe0f" and previous == 1:
            # Emoji presentation: a text-style symbol drawn as a two-column emoji.
            width += 1
            previous = 2
            continue
        previous = char_width(ch)
        width += previous
    return width


def ljust(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` display columns."""
    return text + " " * max(width - display_width(text), 0)


def rjust(text: str, width: int) -> str:
    return " " * max(width - display_width(text), 0) + text


def columns(rows: Sequence[Sequence[str]], *, indent: str = "", rule: bool = False) -> list[str]:
    """Rows of cells aligned in columns of display width; ``rule`` underlines the first row.

    >>> columns([("id", "title"), ("a", "日本語")], rule=True)
    ['id  title', '--  ------', 'a   日本語']
    """
    if not rows:
        return []
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for k, row in enumerate(rows):
        out.append(indent + "  ".join(ljust(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
        if rule and k == 0:
            out.append(indent + "  ".join("-" * w for w in widths))
    return out


def truncate(text: str, width: int) -> str:
    """Cut ``text`` to at most ``width`` columns, ending with an ellipsis if cut."""
    if display_width(text) <= width:
        return text
    if width <= 0:
        return ""
    out: list[str] = []
    used = 0
    for ch in text:
        w = char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + ELLIPSIS
