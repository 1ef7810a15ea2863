"""Box diagrams of plans: a layered layout engine drawn with box characters.

``draw_plan`` draws a plan; ``draw_graph`` draws any DAG of :class:`BoxNode`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.diagram.graph import BoxNode, Graph, GraphError

if TYPE_CHECKING:
    from planner.plan.model import Plan

__all__ = ["DIRECTIONS", "BoxNode", "Graph", "GraphError", "draw_graph", "draw_plan", "loop_lines", "plan_graph"]


def plan_graph(plan: Plan) -> Graph:
    """The plan's steps as boxes (title, then tier) and dependency edges.

    Raises :class:`planner.errors.PlanError` naming the cycle or the unknown
    step when the plan cannot be drawn.
    """
    from planner.diagram.text import clean
    from planner.errors import PlanError

    # A blank title would draw an empty box: show the id instead.
    nodes = [
        BoxNode(
            s.id,
            s.label if clean(s.label) else s.id,
            ((s.tier,) if s.tier else ()) + ((f"for each of {s.for_each.source}",) if s.for_each else ()),
            stacked=s.for_each is not None,
            loop=loop_lines(s.max_rounds, s.until),
        )
        for s in plan.steps
    ]
    edges = [(d, s.id) for s in plan.steps for d in s.depends_on]
    try:
        return Graph.build(nodes, edges)
    except GraphError as exc:
        raise PlanError(str(exc)) from None


def loop_lines(max_rounds: int | None, until: str | None) -> tuple[str, ...]:
    """How a repeating step is labelled in every drawing: its bound, then its stop condition.

    >>> loop_lines(3, "the reviewer has no blocking comments")
    ('up to 3 rounds', 'until the reviewer has no blocking comments')
    >>> loop_lines(None, None)
    ()
    """
    lines: list[str] = []
    if max_rounds is not None:
        lines.append(f"up to {max_rounds} round{'' if max_rounds == 1 else 's'}")
    if until is not None and until.strip():
        lines.append(f"until {until.strip()}")
    elif max_rounds is None and until is not None:
        lines.append("repeats")
    return tuple(lines)


# Title wrap widths tried in turn until the drawing fits ``max_width``.
WRAP_WIDTHS = (24, 18, 14, 10)
# Beyond this many boxes plus dummies a drawing is unreadable and slow.
MAX_VERTICES = 3000
DIRECTIONS = ("TD", "LR")


def draw_graph(
    graph: Graph, *, ascii: bool = False, direction: str = "TD", max_width: int | None = None
) -> str:
    """Draw ``graph`` as boxes and arrows; see :func:`draw_plan`."""
    from planner.diagram.engine import draw, prepare
    from planner.diagram.fallback import draw_list
    from planner.diagram.layers import count_dummies
    from planner.errors import InputError

    direction = direction.upper()
    if max_width is not None and max_width <= 0:
        max_width = None  # as on the command line: 0 means no limit
    if direction not in DIRECTIONS:
        raise InputError(f"unknown direction {direction!r} (use TD or LR)")
    if not graph.nodes:
        return "(no steps)"
    if len(graph.nodes) + count_dummies(graph) > MAX_VERTICES:
        return draw_list(
            graph, ascii=ascii, max_width=max_width, reason="too many steps to draw; steps by wave"
        )
    # A left-to-right drawing that does not fit is still better drawn
    # top-down (long chains fold into height) than listed.
    tries = [direction] if direction == "TD" or max_width is None else [direction, "TD"]
    if max_width is not None:
        tries = [d for d in tries if _narrowest(graph, d) <= max_width]
    prep = prepare(graph) if tries else None
    for attempt in tries:
        for wrap_width in WRAP_WIDTHS:
            assert prep is not None
            drawing = draw(
                prep, direction=attempt, ascii=ascii, wrap_width=wrap_width, max_width=max_width
            )
            if drawing is not None:
                return drawing.text
            if max_width is None:
                break
    reason = (
        f"too wide for {max_width} columns; steps by wave"
        if max_width is not None
        else "too large to draw; steps by wave"
    )
    return draw_list(graph, ascii=ascii, max_width=max_width, reason=reason)


def draw_plan(
    plan: Plan, *, ascii: bool = False, direction: str = "TD", max_width: int | None = None
) -> str:
    """Draw a plan's steps as boxes joined by arrows.

    ``direction`` is ``"TD"`` (top-down) or ``"LR"`` (left to right);
    ``ascii`` uses ``+ - | v >`` instead of box-drawing characters;
    ``max_width`` wraps titles and, when even that is too wide, lists the
    steps by wave instead of drawing them.
    """
    return draw_graph(plan_graph(plan), ascii=ascii, direction=direction, max_width=max_width)


def _narrowest(graph: Graph, direction: str) -> int:
    """A lower bound on the drawing's width, to give up early on graphs that
    cannot fit (boxes are at least 5 columns, with gaps between them)."""
    from planner.diagram.graph import waves

    layers = waves(graph)
    if direction == "LR":
        return len(layers) * 5 + (len(layers) - 1) * 3
    return max(len(wave) * 5 + (len(wave) - 1) * 4 for wave in layers)
