"""Plain-text view of a TaskGraph for ``planner parse``: a numbered list, a box diagram, and with
``--explain`` the readings that placed each step and those that ruled words out."""

from __future__ import annotations

from planner.display import display_width, ljust, truncate
from planner.parser.model import TaskGraph
from planner.parser.readings import name_of

_MAX_TEXT = 70


def _short(text: str, limit: int, ascii: bool = False) -> str:
    """One line of at most ``limit`` display columns (CJK characters count two)."""
    flat = " ".join(text.split())
    if display_width(flat) <= limit:
        return flat
    if ascii:
        return truncate(flat, limit - 2)[:-1] + "..."
    return truncate(flat, limit)


def box_diagram(graph: TaskGraph, *, ascii: bool = False) -> list[str]:
    """The steps drawn by the shared layered layout engine (one box per step, role below)."""
    from planner.diagram import BoxNode, Graph, draw_graph

    nodes = [BoxNode(s.id, s.id, (s.role,)) for s in graph.steps]
    edges = [(u, v) for u, v in graph.graph.edges]
    return draw_graph(Graph.build(nodes, edges), ascii=ascii).splitlines()


def format_text(graph: TaskGraph, *, signals: bool = True, ascii: bool = False, explain: bool = False) -> str:
    """The ``planner parse`` text output."""
    n = len(graph.steps)
    out = [f"{n} step{'s' if n != 1 else ''}, shape {graph.shape}, branches {graph.branches}"]
    width = max((display_width(s.id) for s in graph.steps), default=0)
    blank = " " * width
    for i, s in enumerate(graph.steps, 1):
        deps = graph.depends_on(s.id)
        after = f"  after: {', '.join(deps)}" if deps else ""
        group = f"  group {s.group}" if s.group else ""
        out.append(f"{i:>3}. {ljust(s.id, width)}  [{s.role}]{group}{after}")
        out.append(f"     {blank}  \"{_short(s.text, _MAX_TEXT, ascii)}\" @{s.span[0]}-{s.span[1]}")
        if s.cues and not explain:
            out.append(f"     {blank}  cues: {', '.join(s.cues)}")
        if explain:
            for code in s.cues:
                out.append(f"     {blank}  {code} {name_of(code)}")
            if s.item:
                out.append(f"     {blank}  item: {_short(s.item, 40, ascii)}")
    if n:
        out.append("")
        out.extend(box_diagram(graph, ascii=ascii))
    if explain:
        out.extend(_explain(graph, ascii))
    if signals:
        found = {k: v for k, v in graph.signals.items() if v}
        if found:
            out.append("")
            out.append("signals:")
            for k, v in found.items():
                out.append(f"  {k}: {', '.join(_short(p, 60, ascii) for p in v)}")
    return "\n".join(out) + "\n"


def _explain(graph: TaskGraph, ascii: bool) -> list[str]:
    """Groups, loops, notes, and the readings that ruled words out (with the words)."""
    out: list[str] = []
    for g in graph.parallel:
        names = ", ".join(g.names) if g.names else f"{g.count} {g.counted}".strip()
        out.append(f"group {g.id} ({g.kind}): {_short(names, 70, ascii)}")
    for lp in graph.loops:
        bound = f"up to {lp.rounds} rounds" if lp.rounds else "repeats"
        until = f" until {lp.until}" if lp.until else ""
        out.append(f"loop over {', '.join(lp.steps)}: {bound}{until}")
    unplaced = [f for f in graph.fired if f.step is None]
    # The text front's readings (T codes) change how words are seen (a capital
    # given, a line kept out of the grammar), not whether they are work: listed
    # under "no step" they would name words that are steps.
    sections = (
        ("how the text was read:", [f for f in unplaced if f.code.startswith("T")]),
        ("words that are no step, and why:", [f for f in unplaced if not f.code.startswith("T")]),
    )
    for heading, fired in sections:
        if not fired:
            continue
        out.append("")
        out.append(heading)
        for f in fired:
            words = _short(graph.text[f.span[0] : f.span[1]], 30, ascii)
            out.append(f"  \"{words}\" @{f.span[0]}-{f.span[1]}: {f.code} {name_of(f.code)}")
    for note in graph.notes:
        out.append(f"note: {note}")
    if out:
        out.insert(0, "")
    out.append("")
    out.append("'planner reading CODE' explains a reading.")
    return out
