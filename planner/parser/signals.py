"""Text-level signals: cue phrases by category, stop conditions, counts, lifecycle."""

from __future__ import annotations

import itertools
import re

from planner import lazyre
from planner.parser.enumerate import find_count
from planner.parser.lexicon import Lexicon
from planner.parser.model import SIGNAL_CATEGORIES
from planner.parser.order import STAGE
from planner.parser.segment import Sentence

_STOP_CONDITION = lazyre.compile(
    r"\b(?:until|till|as long as|unless|up to the point where)\b\s+([^.;!?\n]{1,200})", re.IGNORECASE
)


def lifecycle_roles(roles: list[str]) -> tuple[str, ...]:
    stages = [(STAGE.get(r, -1), r) for r in roles if r in STAGE]
    distinct = list(dict.fromkeys(r for _, r in stages))
    if len({s for s, _ in stages}) < 2:
        return ()
    values = [s for s, _ in stages]
    if all(a <= b for a, b in itertools.pairwise(values)):
        return tuple(distinct)
    return ()


def compute_signals(lex: Lexicon, prose: str, sents: list[Sentence]) -> dict[str, tuple[str, ...]]:
    """Text-level cues by category, from the prose only (never from code)."""
    out: dict[str, tuple[str, ...]] = {c: () for c in SIGNAL_CATEGORIES}
    for category, found in lex.all_cues(prose).items():
        out[category] = tuple(dict.fromkeys(p for _, _, p in found))
    out["stop_condition"] = tuple(
        dict.fromkeys(m.group(1).strip().rstrip(",") for m in _STOP_CONDITION.finditer(prose))
    )
    counts: list[str] = []
    for s in sents:
        c = find_count(s.tokens)
        if c is not None:
            counts.append(str(c.value))
    out["count"] = tuple(dict.fromkeys(counts))
    return out
