"""S463: thanking the reader is no step.

"Good morning, and thank you for yesterday", "thanks so much for the help
last week": thanks said to the one who does the work is politeness, not a
request. The parser reads "thank" as a command with "you" as its object, and
the step model takes it for work. Thanking someone else ("thank the
volunteers for their time", "send a thank-you to the caterers") is a message
to write and stays a step.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.clauses import Pred
from planner.parser.readings import doc_only

doc_only(
    "S463", "thanks-to-the-reader",
    "'Good morning, and thank you for yesterday': thanks said to the reader are politeness, no step.",
    """"Thank you for the help", "thanks for yesterday": a thanks whose
    object is the reader ("you", or none) asks for nothing. Thanking
    someone else ("thank the volunteers for their time") is a message to
    send and stays a step.""",
)

_READER = frozenset({"you", "u", "ya", "yous"})


def thanks_dropped(found: Sequence[Pred]) -> tuple[list[Pred], list[Pred]]:
    """S463: ``found`` without the thanks said to the reader, and the thanks dropped."""
    kept: list[Pred] = []
    dropped: list[Pred] = []
    for p in found:
        t = p.tree
        if p.kind == "verb" and t.lemma(p.i) == "thank" and p.i + 1 < len(t) and t.low(p.i + 1) in _READER:
            dropped.append(p)
        else:
            kept.append(p)
    return kept, dropped
