"""The readable fallback when a graph is too wide (or too big) to draw.

Steps are listed by wave, each with what it waits for, and every line is cut
to the width available so the text never wraps into a mess.
"""

from __future__ import annotations

from planner.diagram.graph import Graph, waves
from planner.diagram.text import clean, truncate


def draw_list(
    graph: Graph, *, ascii: bool = False, max_width: int | None = None, reason: str = ""
) -> str:
    """Steps wave by wave with their inputs, one line each."""
    preds = graph.predecessors()
    nodes = {n.id: n for n in graph.nodes}
    bullet, arrow = ("*", "<-") if ascii else ("•", "◀")
    lines: list[str] = []
    if reason:
        lines.append(f"({reason})")
    for i, wave in enumerate(waves(graph), start=1):
        together = " (run together)" if len(wave) > 1 else ""
        lines.append(f"wave {i}{together}")
        for nid in wave:
            node = nodes[nid]
            title = clean(node.title, ascii=ascii) or nid
            notes = ", ".join(clean(n, ascii=ascii) for n in (*node.notes, *node.loop) if n)
            text = f"  {bullet} {title}" + (f" [{notes}]" if notes else "")
            if title != nid:
                text += f" ({nid})"
            if preds[nid]:
                text += f"  {arrow} " + ", ".join(preds[nid])
            lines.append(text)
    if max_width is not None:
        lines = [truncate(line, max(max_width, 8)) for line in lines]
    return "\n".join(lines)
