"""The layout pipeline: layer, order, size, place, route, draw.

Coordinates are kept in two axes that do not depend on the direction: ``u``
runs along a layer (across the page in top-down drawings, down the page in
left-right ones) and ``v`` runs with the arrows. Only the final drawing maps
``(u, v)`` to screen columns and rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from planner.diagram.canvas import BOX, DOWN, LEFT, RIGHT, UP, Canvas
from planner.diagram.graph import Graph
from planner.diagram.layers import Layered, layer
from planner.diagram.order import order
from planner.diagram.place import place
from planner.diagram.route import Net, assign_levels, choose_cells, decompose
from planner.diagram.text import clean, display_width, pad_center, truncate, wrap

TITLE_LINES = 3
# A repeating step's stop condition is wrapped to this many lines in its box.
UNTIL_LINES = 2
# Drawing anything larger than this many cells is not useful on a terminal.
MAX_CELLS = 4_000_000


@dataclass(frozen=True)
class Drawing:
    """A finished drawing and the figures the benchmark reports."""

    text: str
    width: int
    height: int
    crossings: int  # exact count in the layered graph (straight-line model)
    bridges: int  # crossings as drawn (a trunk interrupted by a line)
    overlaps: int  # cells where unrelated lines merge; always 0 by design


@dataclass
class _Prepared:
    graph: Graph
    g: Layered
    crossings: int
    nets: list[list[Net]]  # per channel (between layer i and i + 1)
    k_in: list[int]
    k_out: list[int]


def prepare(graph: Graph) -> _Prepared:
    """Layering, crossing reduction and nets: independent of text widths."""
    g = layer(graph)
    crossings = order(g)
    nets: list[list[Net]] = []
    k_in = [0] * g.size
    k_out = [0] * g.size
    next_id = 0
    for li in range(len(g.layers) - 1):
        edges = [(a, b) for a in g.layers[li] for b in g.downs[a]]
        chan = decompose(edges, next_id)
        next_id += len(chan)
        for net in chan:
            for s in net.sources:
                k_out[s] += 1
            for t in net.targets:
                k_in[t] += 1
        nets.append(chan)
    return _Prepared(graph, g, crossings, nets, k_in, k_out)


def box_lines(
    title: str, notes: Sequence[str], wrap_width: int, ascii: bool, loop: Sequence[str] = ()
) -> list[str]:
    lines = wrap(clean(title, ascii=ascii) or "?", wrap_width, TITLE_LINES)
    for note in notes:
        text = clean(note, ascii=ascii)
        if text:
            lines.append(truncate(text, wrap_width))
    for k, label in enumerate(loop):
        text = clean(label, ascii=ascii)
        if text:
            # The stop condition (the last line) is a phrase worth two lines; the bound is short.
            lines.extend(wrap(text, wrap_width, UNTIL_LINES) if k == len(loop) - 1 else [truncate(text, wrap_width)])
    return lines


# Room a looping box keeps on each side of its u axis for the arrow back into
# itself: two columns in top-down drawings (a line out of the right side and
# down, an arrow in at the top), one row in left-right ones (a line under the
# box). Both sides, so the box stays centred on its ports.
LOOP_ROOM = {"TD": 2, "LR": 1}


def draw(
    prep: _Prepared,
    *,
    direction: str = "TD",
    ascii: bool = False,
    wrap_width: int = 24,
    max_width: int | None = None,
) -> Drawing | None:
    """Lay out and draw; ``None`` when wider than ``max_width`` or too big."""
    g = prep.g
    lr = direction == "LR"
    n = g.size
    lines: list[list[str]] = [[] for _ in range(n)]
    u_size = [1] * n
    v_size = [0] * n
    inset = [0] * n  # columns (rows in LR) kept free on each side of a box for its loop
    for i, node in enumerate(prep.graph.nodes):
        lines[i] = box_lines(node.title, node.notes, wrap_width, ascii, node.loop)
        text_w = max(display_width(s) for s in lines[i])
        k = max(prep.k_in[i], prep.k_out[i])
        if lr:
            interior = max(len(lines[i]), 2 if k >= 1 else 1, 2 * k + 1 if k >= 2 else 0)
            u_size[i] = interior + 2
            v_size[i] = text_w + 4
        else:
            # Odd widths put the port exactly under the middle of the text.
            u_size[i] = max(text_w + 4, 2 * k + 3 if k >= 2 else 0, 5) | 1
            v_size[i] = len(lines[i]) + 2
            if node.stacked:
                # Room for the box behind: one column to the right, one row below.
                u_size[i] = (u_size[i] + 2) | 1
                v_size[i] += 1
        if node.loop:
            inset[i] = LOOP_ROOM["LR" if lr else "TD"]
            u_size[i] += 2 * inset[i]

    def gap(a: int, b: int) -> int:
        if lr:
            return 1
        return 4 if a < g.n_real and b < g.n_real else 2

    left = place(g, u_size, gap)
    total_u = max((left[v] + u_size[v] for v in range(n)), default=0)
    if not lr and max_width is not None and total_u > max_width:
        return None

    def centre(v: int) -> int:
        return left[v] + (u_size[v] - 1) // 2

    # Ports and trunk rows, channel by channel.
    ch_size: list[int] = []
    for chan in prep.nets:
        _assign_ports(chan, g, left, u_size, centre, inset)
        must_above: set[tuple[int, int]] = set()
        src_at = {p: net.id for net in chan for p in net.src_port.values()}
        for net in chan:
            for p in net.tgt_port.values():
                if p in src_at and src_at[p] != net.id:
                    must_above.add((src_at[p], net.id))
        levels = assign_levels(chan, must_above)
        ch_size.append(levels + 3 if levels else (3 if lr else 2))

    band = [max((v_size[v] for v in layer_ if v < g.n_real), default=1) for layer_ in g.layers]
    band_start: list[int] = []
    pos = 0
    for li, size in enumerate(band):
        band_start.append(pos)
        pos += size + (ch_size[li] if li < len(ch_size) else 0)
    total_v = pos
    width, height = (total_v, total_u) if lr else (total_u, total_v)
    if max_width is not None and width > max_width:
        return None
    if width * height > MAX_CELLS:
        return None

    canvas = Canvas(width, height)

    def cell(u: int, v: int) -> tuple[int, int]:
        return (v, u) if lr else (u, v)

    # uv arm directions mapped to the screen.
    v_minus, v_plus, u_minus, u_plus = (LEFT, RIGHT, UP, DOWN) if lr else (UP, DOWN, LEFT, RIGHT)

    def vline(
        u: int, v0: int, v1: int, owner: int, *, up: bool = False, down: bool = False
    ) -> None:
        for v in range(v0, v1 + 1):
            mask = 0
            if v > v0 or up:
                mask |= v_minus
            if v < v1 or down:
                mask |= v_plus
            x, y = cell(u, v)
            canvas.arm(x, y, mask, owner)

    def uline(v: int, u0: int, u1: int, owner: int) -> None:
        for u in range(u0, u1 + 1):
            mask = (u_minus if u > u0 else 0) | (u_plus if u < u1 else 0)
            x, y = cell(u, v)
            canvas.arm(x, y, mask, owner)

    back = ("^" if lr else "<") if ascii else ("▲" if lr else "◀")
    for li, layer_ in enumerate(g.layers):
        for v in layer_:
            if v < g.n_real:
                origin = cell(left[v] + inset[v], band_start[li])
                size = u_size[v] - 2 * inset[v]
                _draw_box(
                    canvas, origin, size, v_size[v], lines[v], lr,
                    stacked=prep.graph.nodes[v].stacked,
                )
                if inset[v]:
                    _draw_loop(canvas, origin, size, v_size[v], lr, back)

    arrow = (">" if lr else "v") if ascii else ("▶" if lr else "▼")
    for li, chan in enumerate(prep.nets):
        ch0 = band_start[li] + band[li]
        ch_last = ch0 + ch_size[li] - 1
        for net in chan:
            trunk = ch_last if net.straight else ch0 + net.level
            for s, p in net.src_port.items():
                if s < g.n_real:
                    vline(p, band_start[li] + v_size[s] - 1, trunk, net.id)
                else:
                    vline(p, band_start[li], trunk, net.id, up=True)
            if not net.straight:
                lo, hi = net.span
                uline(trunk, lo, hi, net.id)
            for t, p in net.tgt_port.items():
                if not net.straight:
                    vline(p, trunk, ch_last, net.id, down=t >= g.n_real)
                elif t >= g.n_real:
                    x, y = cell(p, ch_last)
                    canvas.arm(x, y, v_plus, net.id)
                if t < g.n_real:
                    x, y = cell(p, ch_last)
                    canvas.text[(x, y)] = arrow
    bridges, overlaps = canvas.crossings()
    bridge = ("-" if lr else "|") if ascii else ("─" if lr else "│")
    text = canvas.render(ascii=ascii, bridge=bridge)
    return Drawing(text, width, height, prep.crossings, bridges, overlaps)


def _assign_ports(
    chan: list[Net],
    g: Layered,
    left: Sequence[int],
    u_size: Sequence[int],
    centre: Callable[[int], int],
    inset: Sequence[int],
) -> None:
    n_real = g.n_real

    def interior(v: int) -> tuple[int, int]:
        return left[v] + inset[v] + 1, left[v] + u_size[v] - inset[v] - 2

    # Dummies have one column: their ports are fixed.
    for net in chan:
        for s in net.sources:
            if s >= n_real:
                net.src_port[s] = left[s]
        for t in net.targets:
            if t >= n_real:
                net.tgt_port[t] = left[t]
    fixed_tgt = {p: net.id for net in chan for p in net.tgt_port.values()}

    out_nets: dict[int, list[Net]] = {}
    in_nets: dict[int, list[Net]] = {}
    for net in chan:
        for s in net.sources:
            if s < n_real:
                out_nets.setdefault(s, []).append(net)
        for t in net.targets:
            if t < n_real:
                in_nets.setdefault(t, []).append(net)

    def spread(lo: int, hi: int, k: int) -> list[float]:
        if k == 1:
            return [(lo + hi) / 2]
        step = (hi - lo) / (k - 1)
        return [lo + j * step for j in range(k)]

    # Sources: the box centre, or straight above a lone target; several nets
    # leave a box side by side in the order of where they go.
    for s, nets_ in out_nets.items():
        lo, hi = interior(s)
        nets_.sort(key=lambda net: sum(centre(t) for t in net.targets) / len(net.targets))
        if len(nets_) == 1:
            net = nets_[0]
            want = float(centre(s))
            if len(net.targets) == 1:
                t = net.targets[0]
                col = left[t] if t >= n_real else centre(t)
                if _near_centre(col, lo, hi):
                    want = float(col)
            desired = [want]
        else:
            desired = spread(lo, hi, len(nets_))
        allowed = [
            {c for c in range(lo, hi + 1) if fixed_tgt.get(c, net.id) == net.id} for net in nets_
        ]
        own = {net.id for net in nets_}
        near = {c + d for c, owner in fixed_tgt.items() for d in (-1, 1) if owner not in own}
        for net, col in zip(
            nets_, choose_cells(desired, lo, hi, list(allowed), avoid=near), strict=True
        ):
            net.src_port[s] = col

    src_owner: dict[int, int] = {}
    for net in chan:
        for p in net.src_port.values():
            src_owner[p] = net.id
    # Targets: under one of their own sources when possible, never under a
    # stranger's source (the two lines would run into each other).
    for t, nets_ in in_nets.items():
        lo, hi = interior(t)
        nets_.sort(key=lambda net: sum(net.src_port.values()) / len(net.src_port))
        if len(nets_) == 1:
            net = nets_[0]
            mine = [p for p in net.src_port.values() if _near_centre(p, lo, hi)]
            c = centre(t)
            desired = [float(min(mine, key=lambda p: (abs(p - c), p))) if mine else float(c)]
        else:
            desired = spread(lo, hi, len(nets_))
        allowed = [
            {c for c in range(lo, hi + 1) if src_owner.get(c, net.id) == net.id} for net in nets_
        ]
        # Side by side with a stranger's line is legal but reads badly.
        near = {
            c + d
            for c, owner in src_owner.items()
            for d in (-1, 1)
            if owner not in {n.id for n in nets_}
        }
        for net, col in zip(
            nets_, choose_cells(desired, lo, hi, list(allowed), avoid=near), strict=True
        ):
            net.tgt_port[t] = col


def _near_centre(col: int, lo: int, hi: int) -> bool:
    """Close enough to the middle of ``[lo, hi]`` to take a straight line
    there rather than a kink; far off-centre ports look accidental."""
    slack = max((hi - lo) // 4, 1)
    return abs(2 * col - (lo + hi)) <= 2 * slack


def _draw_loop(canvas: Canvas, origin: tuple[int, int], u_size: int, v_size: int, lr: bool, arrow: str) -> None:
    """The arrow from a repeating step's end back into its start, beside its box.

    Top-down, out of the right side at the last row and in at the first::

        │ title  │◀┐
        │ sonnet │ │
        │ up to… ├─┘

    Left to right, out of the bottom at the right end and in at the left::

        │ title │
        └──────┬┘
         ▲─────┘
    """
    x0, y0 = origin
    if lr:
        w, h = v_size, u_size
        x1, y1 = x0 + w - 1, y0 + h - 1
        canvas.arm(x1 - 1, y1, DOWN, BOX)  # the border gets a tee
        canvas.arm(x1 - 1, y1 + 1, UP | LEFT, BOX)
        for x in range(x0 + 2, x1 - 1):
            canvas.arm(x, y1 + 1, LEFT | RIGHT, BOX)
        canvas.arm(x0 + 1, y1 + 1, RIGHT, BOX)
        canvas.text[(x0 + 1, y1 + 1)] = arrow
        return
    w, h = u_size, v_size
    x1, y1 = x0 + w - 1, y0 + h - 1
    canvas.arm(x1, y1 - 1, RIGHT, BOX)  # the border gets a tee
    canvas.arm(x1 + 1, y1 - 1, LEFT | RIGHT, BOX)
    canvas.arm(x1 + 2, y1 - 1, LEFT | UP, BOX)
    for y in range(y0 + 2, y1 - 1):
        canvas.arm(x1 + 2, y, UP | DOWN, BOX)
    canvas.arm(x1 + 2, y0 + 1, LEFT | DOWN, BOX)
    canvas.arm(x1 + 1, y0 + 1, RIGHT, BOX)
    canvas.text[(x1 + 1, y0 + 1)] = arrow


def _draw_box(
    canvas: Canvas,
    origin: tuple[int, int],
    u_size: int,
    v_size: int,
    lines: list[str],
    lr: bool,
    *,
    stacked: bool = False,
) -> None:
    x0, y0 = origin
    w, h = (v_size, u_size) if lr else (u_size, v_size)
    if stacked and not lr:
        # The box behind shows as an edge to the right and one below:
        #   ┌──────┐
        #   │ text ├┐
        #   └┬─────┘│
        #    └──────┘
        bx, by = x0 + w - 1, y0 + h - 1
        canvas.arm(bx - 1, y0 + 1, RIGHT, BOX)
        canvas.arm(bx, y0 + 1, LEFT | DOWN, BOX)
        for y in range(y0 + 2, by):
            canvas.arm(bx, y, UP | DOWN, BOX)
        canvas.arm(x0 + 1, by - 1, DOWN, BOX)
        canvas.arm(x0 + 1, by, UP | RIGHT, BOX)
        for x in range(x0 + 2, bx):
            canvas.arm(x, by, LEFT | RIGHT, BOX)
        canvas.arm(bx, by, LEFT | UP, BOX)
        w, h = w - 1, h - 1
    x1, y1 = x0 + w - 1, y0 + h - 1
    for x in range(x0 + 1, x1):
        canvas.arm(x, y0, LEFT | RIGHT, BOX)
        canvas.arm(x, y1, LEFT | RIGHT, BOX)
    for y in range(y0 + 1, y1):
        canvas.arm(x0, y, UP | DOWN, BOX)
        canvas.arm(x1, y, UP | DOWN, BOX)
    canvas.arm(x0, y0, RIGHT | DOWN, BOX)
    canvas.arm(x1, y0, LEFT | DOWN, BOX)
    canvas.arm(x0, y1, RIGHT | UP, BOX)
    canvas.arm(x1, y1, LEFT | UP, BOX)
    inner = w - 2
    for k, line in enumerate(lines):
        canvas.put(x0 + 1, y0 + 1 + k, pad_center(line, inner))
