"""Read a rendered box diagram back and check it against its graph.

Independent of the layout code on purpose: it sees only the text a user
sees. Boxes are found by their borders; lines are followed glyph by glyph
using the directions each glyph connects to (``┬`` joins left, right and
down), jumping over a line that crosses straight through (a bridge). Every
connected set of lines joins the boxes it leaves (sources) to the boxes it
points at (targets), so it stands for the edges sources x targets.

A repeating step's loop is a line that leaves its box at the side (top-down:
the right border, ``├``; left to right: the bottom border, ``┬``) and comes
back into the same box through a sideways arrow (``◀`` right of the box,
``▲`` under it); it is read as a loop on that box, never as an edge.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

U, D, L, R = "U", "D", "L", "R"
_STEP = {U: (0, -1), D: (0, 1), L: (-1, 0), R: (1, 0)}
_OPP = {U: D, D: U, L: R, R: L}

_ARMS = {
    "─": {L, R},
    "│": {U, D},
    "┌": {R, D},
    "┐": {L, D},
    "└": {R, U},
    "┘": {L, U},
    "┬": {L, R, D},
    "┴": {L, R, U},
    "├": {U, D, R},
    "┤": {U, D, L},
    "┼": {U, D, L, R},
    "▼": {U},
    "▶": {L},
    # Loop arrows: the line reaches them from the right.
    "◀": {R},
    "▲": {R},
    "<": {R},
    "^": {R},
    "-": {L, R},
    "|": {U, D},
    "v": {U},
    ">": {L},
}


def _width(ch: str) -> int:
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def to_grid(text: str) -> list[list[str]]:
    """Rows of display cells; a wide character's second cell is ''."""
    grid: list[list[str]] = []
    for line in text.split("\n"):
        row: list[str] = []
        for ch in line:
            w = _width(ch)
            if w == 0 and row:
                row[-1] += ch
            elif w == 2:
                row.extend([ch, ""])
            elif w == 1:
                row.append(ch)
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    for r in grid:
        r.extend(" " * (width - len(r)))
    return grid


@dataclass
class Box:
    top: int
    left: int
    bottom: int
    right: int
    rows: list[str]

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.rows).split())


@dataclass
class ReadBack:
    boxes: list[Box]
    edges: set[tuple[int, int]] = field(default_factory=set)
    loops: set[int] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def _find_boxes(grid: list[list[str]], ascii: bool) -> list[Box]:
    h = len(grid)
    w = len(grid[0]) if grid else 0
    corner_tl, corner_tr, corner_bl, corner_br = (
        ("+", "+", "+", "+") if ascii else ("┌", "┐", "└", "┘")
    )
    horiz, vert = ("-", "|") if ascii else ("─", "│")
    bottom_ok = {"-", "+"} if ascii else {"─", "┬"}
    right_ok = {"|", "+"} if ascii else {"│", "├"}
    boxes: list[Box] = []
    for y in range(h):
        for x in range(w):
            if grid[y][x] != corner_tl:
                continue
            xr = x + 1
            while xr < w and grid[y][xr] == horiz:
                xr += 1
            if xr >= w or xr == x + 1 or grid[y][xr] != corner_tr:
                continue
            yb = y + 1
            while yb < h and grid[yb][x] == vert:
                yb += 1
            if yb >= h or yb < y + 2 or grid[yb][x] != corner_bl or grid[yb][xr] != corner_br:
                continue
            if not all(grid[yy][xr] in right_ok for yy in range(y + 1, yb)):
                continue
            if not all(grid[yb][xx] in bottom_ok for xx in range(x + 1, xr)):
                continue
            rows = ["".join(grid[yy][x + 1 : xr]) for yy in range(y + 1, yb)]
            if not "".join(rows).strip():
                continue  # a rectangle of lines, not a box
            boxes.append(Box(y, x, yb, xr, rows))
    # A rectangle drawn by lines around real boxes is not a box itself.
    return [b for b in boxes if not any(o is not b and _inside(o, b) for o in boxes)]


def _inside(inner: Box, outer: Box) -> bool:
    return (
        outer.top < inner.top
        and inner.bottom < outer.bottom
        and outer.left < inner.left
        and inner.right < outer.right
    )


def read_diagram(text: str, *, direction: str = "TD", ascii: bool = False) -> ReadBack:
    """Boxes and the edges the lines between them stand for."""
    grid = to_grid(text)
    boxes = _find_boxes(grid, ascii)
    out = ReadBack(boxes)
    h = len(grid)
    w = len(grid[0]) if grid else 0
    in_box: dict[tuple[int, int], int] = {}
    for i, b in enumerate(boxes):
        for y in range(b.top, b.bottom + 1):
            for x in range(b.left, b.right + 1):
                in_box[(x, y)] = i

    def glyph(x: int, y: int) -> str | None:
        if 0 <= x < w and 0 <= y < h and (x, y) not in in_box:
            return grid[y][x]
        return None

    def arms(x: int, y: int) -> set[str]:
        g = glyph(x, y)
        if g is None:
            return set()
        if ascii and g == "+":
            found = set()
            for d, (dx, dy) in _STEP.items():
                n = glyph(x + dx, y + dy)
                if n == "+" or (n is not None and _OPP[d] in _ARMS.get(n, set())):
                    found.add(d)
                else:
                    k = 1
                    while glyph(x + k * dx, y + k * dy) == _perpendicular(d, ascii):
                        k += 1
                    m = glyph(x + k * dx, y + k * dy)
                    if k > 1 and (m == "+" or (m is not None and _OPP[d] in _ARMS.get(m, set()))):
                        found.add(d)
            return found
        return _ARMS.get(g, set())

    # Where lines leave boxes and where arrows enter them.
    starts: dict[tuple[int, int], int] = {}
    ends: dict[tuple[int, int], int] = {}
    port = "+" if ascii else ("├" if direction == "LR" else "┬")
    arrow = (">" if ascii else "▶") if direction == "LR" else ("v" if ascii else "▼")
    # Loops: out of the side a box's edges never use, back in by a sideways arrow.
    loop_starts: dict[tuple[int, int], int] = {}
    loop_ends: dict[tuple[int, int], int] = {}
    back = ("^" if ascii else "▲") if direction == "LR" else ("<" if ascii else "◀")
    for i, b in enumerate(boxes):
        if direction == "LR":
            for y in range(b.top + 1, b.bottom):
                if grid[y][b.right] == port:
                    starts[(b.right + 1, y)] = i
                if glyph(b.left - 1, y) == arrow:
                    ends[(b.left - 1, y)] = i
            for x in range(b.left + 1, b.right):
                if grid[b.bottom][x] == ("+" if ascii else "┬"):
                    loop_starts[(x, b.bottom + 1)] = i
                if glyph(x, b.bottom + 1) == back:
                    loop_ends[(x, b.bottom + 1)] = i
        else:
            for x in range(b.left + 1, b.right):
                if grid[b.bottom][x] == port:
                    starts[(x, b.bottom + 1)] = i
                if glyph(x, b.top - 1) == arrow:
                    ends[(x, b.top - 1)] = i
            for y in range(b.top + 1, b.bottom):
                if grid[y][b.right] == ("+" if ascii else "├"):
                    loop_starts[(b.right + 1, y)] = i
                if glyph(b.right + 1, y) == back:
                    loop_ends[(b.right + 1, y)] = i

    forward = _outward(direction)
    backward = _OPP[forward]

    def step(x: int, y: int, d: str) -> tuple[int, int] | None:
        """The line cell reached from (x, y) going ``d``, jumping bridges."""
        dx, dy = _STEP[d]
        nx, ny = x + dx, y + dy
        if _OPP[d] in arms(nx, ny):
            return (nx, ny)
        # Bridges: lines crossing straight through; several may lie side by side.
        while glyph(nx, ny) == _perpendicular(d, ascii):
            nx, ny = nx + dx, ny + dy
            if _OPP[d] in arms(nx, ny):
                return (nx, ny)
        return None

    # Structure: every arm of every line cell meets a matching arm.
    line_cells = [
        (x, y)
        for y in range(h)
        for x in range(w)
        if ((x, y) not in in_box and grid[y][x] in _ARMS) or (ascii and glyph(x, y) == "+")
    ]
    for x, y in line_cells:
        for d in arms(x, y):
            if step(x, y, d) is not None:
                continue
            if (x, y) in starts and d == backward:
                continue  # a stub meeting its own box's border
            if (x, y) in loop_starts and d == (U if direction == "LR" else L):
                continue  # a loop leaving its box's side
            out.problems.append(f"line at column {x}, row {y} points {d} at nothing")

    # Reading: lines are followed along the arrows' direction or across,
    # never backwards, as a reader traces them.
    reached: set[tuple[int, int]] = set()
    for start, src in starts.items():
        if glyph(*start) in (None, " ", ""):
            out.problems.append(f"box {boxes[src].text!r} has a port with no line at {start}")
            continue
        seen_here = {start}
        stack = [start]
        while stack:
            x, y = stack.pop()
            for d in arms(x, y):
                if d == backward:
                    continue
                nxt = step(x, y, d)
                if nxt is not None and nxt not in seen_here:
                    seen_here.add(nxt)
                    stack.append(nxt)
        targets = {ends[c] for c in seen_here if c in ends}
        if not targets:
            out.problems.append(f"line from {boxes[src].text!r} reaches no arrow")
        out.edges |= {(src, t) for t in targets}
        reached |= seen_here
    for pos, t in ends.items():
        if pos not in reached:
            out.problems.append(f"arrow into {boxes[t].text!r} at {pos} comes from no box")
    # A loop is followed every way but back, and must come home to its own box.
    for start, src in loop_starts.items():
        seen_loop = {start}
        stack = [start]
        while stack:
            x, y = stack.pop()
            for d in arms(x, y):
                nxt = step(x, y, d)
                if nxt is not None and nxt not in seen_loop:
                    seen_loop.add(nxt)
                    stack.append(nxt)
        homes = {loop_ends[c] for c in seen_loop if c in loop_ends}
        if homes != {src}:
            out.problems.append(f"loop from {boxes[src].text!r} comes back into {sorted(homes)}")
        elif seen_loop & reached:
            out.problems.append(f"loop of {boxes[src].text!r} runs into an edge")
        else:
            out.loops.add(src)
    for pos, t in loop_ends.items():
        if t not in out.loops:
            out.problems.append(f"loop arrow into {boxes[t].text!r} at {pos} comes from no loop")
    return out


def _perpendicular(d: str, ascii: bool) -> str:
    if d in (L, R):
        return "|" if ascii else "│"
    return "-" if ascii else "─"


def _outward(direction: str) -> str:
    return R if direction == "LR" else D


def check_diagram(
    text: str,
    labels: Mapping[str, str],
    edges: Iterable[tuple[str, str]],
    *,
    direction: str = "TD",
    ascii: bool = False,
    loops: Iterable[str] = (),
) -> list[str]:
    """Problems found reading ``text`` back; empty when it is faithful.

    ``labels`` maps node ids to the text expected in their box (lines joined
    by single spaces); each must appear in exactly one box, the drawn edges
    must be exactly ``edges``, and the boxes drawn with a loop exactly ``loops``.
    """
    rb = read_diagram(text, direction=direction, ascii=ascii)
    problems = list(rb.problems)
    box_of: dict[int, str] = {}
    for nid, label in labels.items():
        want = " ".join(label.split())
        found = [i for i, b in enumerate(rb.boxes) if b.text == want]
        if len(found) != 1:
            problems.append(f"node {nid!r} ({want!r}) appears in {len(found)} boxes")
        else:
            box_of[found[0]] = nid
    for i, b in enumerate(rb.boxes):
        if i not in box_of:
            problems.append(f"box {b.text!r} matches no node")
    drawn = {(box_of.get(a, f"?{a}"), box_of.get(b, f"?{b}")) for a, b in rb.edges}
    expected = set(edges)
    for e in sorted(expected - drawn):
        problems.append(f"edge {e[0]} -> {e[1]} is not drawn")
    for e in sorted(drawn - expected):
        problems.append(f"edge {e[0]} -> {e[1]} is drawn but not in the graph")
    looped = {box_of.get(i, f"?{i}") for i in rb.loops}
    for nid in sorted(set(loops) ^ looped):
        problems.append(f"step {nid} {'has no loop drawn' if nid in set(loops) else 'is drawn with a loop it does not have'}")
    return problems
