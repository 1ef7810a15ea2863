"""Display width and cleaning of text that goes inside boxes.

Terminals give East Asian wide and fullwidth characters (and most emoji) two
columns, combining marks and zero-width format characters none. Box contents
are measured and padded in those columns, never in code points, or borders
drift out of line.
"""

from __future__ import annotations

import unicodedata

from planner.display import ELLIPSIS, char_width, display_width, printable, truncate

__all__ = ["ELLIPSIS", "char_width", "clean", "display_width", "pad_center", "truncate", "wrap"]

# Characters the diagram itself draws with. Inside a title they would be read
# as lines or arrows, so they are swapped for plain look-alikes.
_DRAWING_LOOKALIKE = {"▼": "v", "▶": ">", "▲": "^", "◀": "<", "►": ">", "▸": ">", "▾": "v"}


def clean(text: str, *, ascii: bool = False) -> str:
    """One line of printable text: control characters and newlines become
    spaces, runs of spaces collapse, and characters the diagram draws with
    (box drawing, block elements, arrowheads) become plain look-alikes so a
    title can never forge a line or a box."""
    if text.isascii() and text.isprintable():
        return " ".join(text.split())  # nothing to replace: most titles, at a fraction of the cost
    out: list[str] = []
    for ch in printable(text):
        code = ord(ch)
        if ch in _DRAWING_LOOKALIKE:
            ch = _DRAWING_LOOKALIKE[ch]
        elif 0x2500 <= code <= 0x257F:
            ch = _box_lookalike(ch)
        elif 0x2580 <= code <= 0x259F:
            ch = "#"
        elif ascii and code > 0x7E:
            ch = _ascii_fold(ch)
        out.append(ch)
    words = "".join(out).split()
    # A zero-width joiner joins two characters of one glyph; at either end of
    # a word it joins a space, which terminals draw as a space while widths
    # count it as part of the joiner's glyph, and the box would be drawn too wide.
    return " ".join(w for w in (word.strip("\u200d") for word in words) if w)


def _box_lookalike(ch: str) -> str:
    name = unicodedata.name(ch, "")
    has_h = "HORIZONTAL" in name or "LEFT" in name or "RIGHT" in name
    has_v = "VERTICAL" in name or "UP" in name or "DOWN" in name
    if has_h and has_v:
        return "+"
    return "|" if has_v else "-"


def _ascii_fold(ch: str) -> str:
    """Nearest ASCII for ``--ascii`` output: accents dropped, the rest '?'."""
    decomposed = unicodedata.normalize("NFKD", ch)
    kept = "".join(c for c in decomposed if ord(c) < 0x7F and c.isprintable())
    if kept:
        return kept
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return ""
    return "?"


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Word-wrap ``text`` into at most ``max_lines`` lines of ``width`` columns.

    Words longer than a line are split; text that does not fit ends with an
    ellipsis. Widths are display columns, so CJK text wraps correctly.
    """
    width = max(width, 1)
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if display_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        while display_width(word) > width:
            head, word = _split_at(word, width)
            lines.append(head)
        current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        kept[-1] = last + ELLIPSIS if display_width(last) < width else truncate(last, width)
        return kept
    return lines or [""]


def _split_at(word: str, width: int) -> tuple[str, str]:
    used = 0
    for i, ch in enumerate(word):
        w = char_width(ch)
        if used + w > width:
            return word[:i] or word[:1], word[i:] if i else word[1:]
        used += w
    return word, ""


def pad_center(text: str, width: int) -> str:
    """Centre ``text`` in ``width`` columns (extra space goes right)."""
    gap = max(width - display_width(text), 0)
    left = gap // 2
    return " " * left + text + " " * (gap - left)
