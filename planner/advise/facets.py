"""The parts a single step's own words split into, for a fan-out with no items.

A fan-out whose items the parse did not find has one step of work and needs
branches. Before falling back on generic angles, the builder looks in that
step's words (``TaskStep.text``, the parser's span, never the task text) for
the parts the user listed:

- **a list**: "from the vendor portal, the shared drive and the old wiki" gives
  one branch per thing listed (three or more, with commas, since "A and B"
  alone is as often one thing: "search and replace").

Questions asked side by side ("if X, whether Y and how Z") were tried as parts
too and left out: on held-out writers they split work the annotators kept as
one, and gained no plan.

The words that open and end a list part are data in
``[fan_out.facets]`` of ``rules/builders.toml``.
"""

from __future__ import annotations

import re
from typing import Any


def _words(part: str) -> list[str]:
    return part.split()


def listed(text: str, sec: dict[str, Any], verb: str = "") -> list[str]:
    """Things listed with commas and a last "and"/"or": each cut to the words that name it."""
    before = {str(w).lower() for w in sec.get("list_opens_after", [])}
    after = {str(w).lower() for w in sec.get("list_ends_before", [])}
    pointing = {str(w).lower() for w in sec.get("pointing_words", [])}
    longest = int(sec.get("part_words_max", 6))
    # A remark in brackets ("(min 500 Mbps, static IP)") is no part of the list.
    t = re.sub(r"\s*\([^()]*\)", "", text).strip().rstrip(".?!")
    if "," not in t:
        return []
    pieces = [p.strip() for p in re.split(r"\s*,\s*", t)]
    # The last piece holds "X and Y" (or "and Y" after an Oxford comma).
    last = re.split(r"^(?:and|or)\s+|\s+(?:and|or)\s+", pieces[-1], maxsplit=1)
    if len(last) != 2:
        return []
    middle = pieces[1:-1]
    head = _words(pieces[0])
    # The first thing listed starts after the last word that opens a list ("from", "to", ...).
    at = max((k for k, w in enumerate(head) if w.lower() in before), default=-1)
    if at < 0 and head and verb and head[0].lower().startswith(verb.lower()):
        at = 0  # "summarise the logs, the metrics and the traces": the list starts after the verb
    first = " ".join(head[at + 1 :])
    parts = [first, *middle, *(p for p in last if p)]
    tail = _words(parts[-1])
    cut = next((k for k, w in enumerate(tail) if k and w.lower() in after), len(tail))
    parts[-1] = " ".join(tail[:cut])
    parts = [p.strip(" -–—:;\"'") for p in parts]
    if len(parts) < 3 or any(not p or len(_words(p)) > longest for p in parts):
        return []
    # "..., whether the hotel has parking, and what ...": questions, not things listed
    opens = {str(w).lower() for w in sec.get("question_words", [])}
    if any(_words(p)[0].lower() in opens for p in parts[1:]):
        return []
    # "read it, fix it and ship it" lists actions on one thing, in order: no parts of it
    if any(w.lower().strip(",.") in pointing for p in parts for w in _words(p)):
        return []
    return parts


def facets(text: str, sec: dict[str, Any], verb: str = "") -> list[str]:
    """The things a step's words list; [] when they list none."""
    return listed(text, sec, verb)
