"""Readings: the documented ways the parser turns grammar into steps, items and order.

A reading is a value with a code, a name, a one-line summary and a doc (its
function's docstring, with an example and the reason), and a pure function
that applies it. They are registered in one table, like lint rules, so
``planner parse --explain`` can say which readings placed each step and
``planner reading CODE`` can say what a reading does.

Codes by family:

- ``T`` the text front: size cap, data kept out of the grammar, layout;
- ``S`` steps: which words ask for work;
- ``I`` parallel items, counts and streams;
- ``O`` order: markers, subordinate clauses, hand-offs, defaults;
- ``L`` loops: rounds and stop conditions;
- ``K`` kinds of material: work no verb names (a transcript, a download, a
  conversion into another medium), from ``rules/kinds.toml``;
- ``C`` cues: uncertainty, alternatives and the other cue categories.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Reading:
    code: str
    name: str
    summary: str
    raw_doc: str  # as written; cleaned only when read (hundreds register at every start-up)
    function: Callable[..., Any]

    @property
    def doc(self) -> str:
        """The doc with the source's indentation taken out."""
        return inspect.cleandoc(self.raw_doc)

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "summary": self.summary, "doc": self.doc}


READINGS: dict[str, Reading] = {}


def reading(code: str, name: str, summary: str) -> Callable[[F], F]:
    """Register the decorated function as the reading ``code``."""

    def register(fn: F) -> F:
        if code in READINGS:
            raise ValueError(f"reading {code} registered twice")
        READINGS[code] = Reading(code, name, summary, fn.__doc__ or "", fn)
        return fn

    return register


def doc_only(code: str, name: str, summary: str, doc: str) -> None:
    """Register a reading applied inside a larger function (so it still has a code and a doc)."""
    if code in READINGS:
        raise ValueError(f"reading {code} registered twice")
    READINGS[code] = Reading(code, name, summary, doc, lambda *a: None)


def all_readings() -> list[Reading]:
    """Every reading, by code (importing the modules that define them)."""
    from planner.parser import assemble, grammar, implied, looked_at, options_asked, told_in  # noqa: F401  (register the readings)

    return [READINGS[c] for c in sorted(READINGS)]


def name_of(code: str) -> str:
    r = READINGS.get(code)
    return r.name if r else code
