"""Read an English task description as a graph of steps.

>>> from planner.parser import parse
>>> g = parse("Search for existing code patterns, design an approach, implement it, then review")
>>> [s.role for s in g.steps], g.shape
(['explore', 'design', 'implement', 'review'], 'chain')

Parsing is deterministic and explainable: a trained tagger and dependency
parser (``planner.syntax``) give each sentence its grammar; registered
readings (``planner reading --all``) and two small learned models turn it into
steps, parallel items, streams, loops and order. Every step keeps the span of
text it came from and the readings that placed it. See
``planner.parser.assemble`` for the passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from planner.parser.model import (
    SIGNAL_CATEGORIES,
    Fired,
    Group,
    Loop,
    Shape,
    TaskGraph,
    TaskStep,
    TextFacts,
)

if TYPE_CHECKING:
    from planner.parser.cues import CueCategory

__all__ = ["SIGNAL_CATEGORIES", "Fired", "Group", "Loop", "Shape", "TaskGraph", "TaskStep", "TextFacts", "parse"]


def parse(
    task: str, *, cues: Mapping[str, CueCategory] | None = None, role_verbs: Mapping[str, tuple[str, ...]] | None = None
) -> TaskGraph:
    """Parse a task description into a :class:`TaskGraph`.

    ``cues`` are the cue categories to match (default: the built-in ones of
    ``rules/advisor_cues.toml``; the advisor passes its own, user rule files
    included); ``role_verbs`` maps a role to verbs the parser reads as its work
    (roles a user configures with ``verbs``). Never raises on odd text: empty or whitespace-only text gives
    a graph with no steps; text in which nothing reads as work (only code,
    only punctuation, a statement) gives one step covering it and a note.
    """
    from planner.errors import check_arg

    check_arg("parse", "task", task, str, "a str")
    from planner.parser.assemble import build_graph
    from planner.parser.classifier import classify_role
    from planner.parser.cues import builtin_cues, match_cues
    from planner.parser.words import words_with_roles

    categories = builtin_cues() if cues is None else cues
    words = words_with_roles(tuple(sorted((r, tuple(v)) for r, v in (role_verbs or {}).items() if v)))
    return build_graph(task, classify_role, lambda prose: match_cues(categories, prose), words=words)
