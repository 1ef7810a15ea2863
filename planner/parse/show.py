"""Plain-text view of a TaskGraph: a numbered list and a layered box diagram."""

from __future__ import annotations

import networkx as nx

from planner.parse.model import TaskGraph

_MAX_TEXT = 70
_MAX_BOX = 28


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def layers(graph: TaskGraph) -> list[list[str]]:
    """Step ids by depth (longest path from a root), each layer in text order."""
    depth: dict[str, int] = {}
    for node in nx.topological_sort(graph.graph):
        depth[node] = 1 + max((depth[p] for p in graph.graph.predecessors(node)), default=-1)
    out: list[list[str]] = []
    for step in graph.steps:
        d = depth[step.id]
        while len(out) <= d:
            out.append([])
        out[d].append(step.id)
    return out


def diagram(graph: TaskGraph) -> list[str]:
    """Boxes per layer, an arrow between layers (a compact reading aid)."""
    lines: list[str] = []
    for k, layer in enumerate(layers(graph)):
        labels = [_short(step_id, _MAX_BOX) for step_id in layer]
        if k:
            width = max(len(lines[-1]), 1)
            lines.append(" " * (width // 2) + "│")
            lines.append(" " * (width // 2) + "▼")
        lines.append("  ".join("┌" + "─" * (len(s) + 2) + "┐" for s in labels))
        lines.append("  ".join("│ " + s + " │" for s in labels))
        lines.append("  ".join("└" + "─" * (len(s) + 2) + "┘" for s in labels))
    return lines


def format_text(graph: TaskGraph, *, signals: bool = True) -> str:
    """The ``planner parse`` text output."""
    n = len(graph.steps)
    out = [f"{n} step{'s' if n != 1 else ''}, shape {graph.shape}, branches {graph.branches}"]
    width = max((len(s.id) for s in graph.steps), default=0)
    for i, s in enumerate(graph.steps, 1):
        deps = graph.depends_on(s.id)
        after = f"  after: {', '.join(deps)}" if deps else ""
        group = f"  group {s.group}" if s.group else ""
        out.append(f"{i:>3}. {s.id:<{width}}  [{s.role}]{group}{after}")
        out.append(f"     {'':<{width}}  \"{_short(s.text, _MAX_TEXT)}\" @{s.span[0]}-{s.span[1]}")
        if s.cues:
            out.append(f"     {'':<{width}}  cues: {', '.join(s.cues)}")
    if n:
        out.append("")
        out.extend(diagram(graph))
    if signals:
        found = {k: v for k, v in graph.signals.items() if v}
        if found:
            out.append("")
            out.append("signals:")
            for k, v in found.items():
                out.append(f"  {k}: {', '.join(_short(p, 60) for p in v)}")
    return "\n".join(out) + "\n"
