"""A character grid where lines are stored as arms and glyphs chosen last.

Each line cell remembers which directions it connects to (up, down, left,
right) and which net drew it; the glyph (``─ │ ┌ ┬ ┼ ...`` or ASCII
``- | +``) follows from the arms only when the grid is printed. Two nets in
one cell is a *bridge* when one passes straight across the other (the
vertical line wins, the crossing line is visibly interrupted) and an
*overlap* otherwise, which the layout is built never to produce.
"""

from __future__ import annotations

from planner.diagram.text import char_width

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
BOX = -2
_EMPTY = -1

_UNICODE = {
    LEFT | RIGHT: "─",
    UP | DOWN: "│",
    RIGHT | DOWN: "┌",
    LEFT | DOWN: "┐",
    RIGHT | UP: "└",
    LEFT | UP: "┘",
    LEFT | RIGHT | DOWN: "┬",
    LEFT | RIGHT | UP: "┴",
    UP | DOWN | RIGHT: "├",
    UP | DOWN | LEFT: "┤",
    UP | DOWN | LEFT | RIGHT: "┼",
    UP: "│",
    DOWN: "│",
    LEFT: "─",
    RIGHT: "─",
}


def glyph(arms: int, ascii: bool) -> str:
    if not ascii:
        return _UNICODE.get(arms, " ")
    if arms == 0:
        return " "
    if arms & (UP | DOWN) == 0:
        return "-"
    if arms & (LEFT | RIGHT) == 0:
        return "|"
    return "+"


class Canvas:
    """A fixed-size grid of line arms and text."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.arms = [[0] * width for _ in range(height)]
        self.owner = [[_EMPTY] * width for _ in range(height)]
        self.shared: dict[tuple[int, int], dict[int, int]] = {}
        self.text: dict[tuple[int, int], str] = {}

    def arm(self, x: int, y: int, mask: int, owner: int) -> None:
        """Add line arms to a cell on behalf of ``owner`` (a net, or BOX)."""
        current = self.owner[y][x]
        if current in (_EMPTY, owner) or BOX in (current, owner):
            if current == _EMPTY or owner == BOX:
                self.owner[y][x] = owner if current == _EMPTY else current
            self.arms[y][x] |= mask
            if (x, y) in self.shared:
                self.shared[(x, y)][owner] = self.shared[(x, y)].get(owner, 0) | mask
            return
        masks = self.shared.setdefault((x, y), {current: self.arms[y][x]})
        masks[owner] = masks.get(owner, 0) | mask
        self.arms[y][x] |= mask

    def put(self, x: int, y: int, text: str) -> None:
        """Write text from column ``x``; wide characters take two cells.

        Cells are counted as :func:`planner.display.display_width` counts them.
        """
        last: tuple[int, int] | None = None  # the cell holding the previous character
        last_w = 0
        joined = False
        for ch in text:
            w = char_width(ch)
            if joined or w == 0:
                # Combining marks, joiners and what a joiner joins ride on the previous character.
                joined = ch == "\u200d"
                if last is not None:
                    self.text[last] += ch
                if ch == "\ufe0f" and last_w == 1 and last is not None:
                    # Emoji presentation: the symbol now takes two columns.
                    if x < self.width:
                        self.text[(x, y)] = ""
                    x += 1
                    last_w = 2
                continue
            if x >= self.width:
                break
            self.text[(x, y)] = ch
            if w == 2 and x + 1 < self.width:
                self.text[(x + 1, y)] = ""
            last, last_w = (x, y), w
            x += w

    def crossings(self) -> tuple[int, int]:
        """(bridges, overlaps) among the cells two nets share."""
        bridges = overlaps = 0
        for masks in self.shared.values():
            kinds = sorted(_straightness(m) for m in masks.values())
            if len(masks) == 2 and kinds == ["h", "v"]:
                bridges += 1
            else:
                overlaps += 1
        return bridges, overlaps

    def render(self, *, ascii: bool, bridge: str) -> str:
        """The grid as text; ``bridge`` is drawn where two nets cross."""
        table = [glyph(arms, ascii) for arms in range(16)]
        grid = [[table[a] for a in row] for row in self.arms]
        for x, y in self.shared:
            grid[y][x] = bridge
        for (x, y), t in self.text.items():
            grid[y][x] = t
        rows = ["".join(row).rstrip() for row in grid]
        while rows and not rows[-1]:
            rows.pop()
        # Room kept above the first boxes (a loop's, on the side it does not use) is not drawn.
        start = 0
        while start < len(rows) and not rows[start]:
            start += 1
        return "\n".join(rows[start:])


def _straightness(mask: int) -> str:
    if mask & (UP | DOWN) == 0:
        return "h"
    if mask & (LEFT | RIGHT) == 0:
        return "v"
    return "x"
