"""Read an English task description as a graph of steps.

>>> from planner.parser import parse
>>> g = parse("Search for existing code patterns, design an approach, implement it, then review")
>>> [s.role for s in g.steps], g.shape
(['explore', 'design', 'implement', 'review'], 'chain')

Parsing is deterministic and explainable: every step keeps the span of text it
came from and the cue words that placed it. See ``planner.parser.build`` for
how clauses become steps and edges.
"""

from __future__ import annotations

from planner.parser.model import SIGNAL_CATEGORIES, Shape, TaskGraph, TaskStep

__all__ = ["SIGNAL_CATEGORIES", "Shape", "TaskGraph", "TaskStep", "parse"]


def parse(task: str) -> TaskGraph:
    """Parse a task description into a :class:`TaskGraph`.

    Never raises on odd text: empty or whitespace-only text gives a graph
    with no steps; text with nothing to do (only code, only punctuation)
    gives one step covering it.
    """
    from planner.errors import check_arg

    check_arg("parse", "task", task, str, "a str")
    from planner.parser.build import build_graph
    from planner.parser.classifier import classify_role

    return build_graph(task, classify_role)
