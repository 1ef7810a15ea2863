"""A stream's label whose first word the tagger read as a verb is a name, not work (I540).

Engineers head each line of parallel work with a short name and a colon:
"rate limiter: design -> build", "audit log: schema -> backfill". Many such
names are compounds whose first word is also a verb ("rate", "audit",
"load", "order"), so the tagger reads the label as a command with an object,
the label becomes a step, the stream loses its name, and the next label
joins the stages of the line before it.

When two parts of the text or more (sentences, list lines) each open on a
short label and its colon, a label of two or three words that is a bare verb
followed by nouns ending on a singular noun ("audit log", not "fix tests"),
with work after its colon (a step of its own part, or a part after an arrow),
names its stream: the step read at the label is dropped, and the label
readings (I213) name the stream by it. A label with a determiner ("review
the docs:") or a plural object ("update docs:") is a command and stays.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.clauses import Pred
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I540", "label-read-as-work",
    "A short label before a colon whose first word the tagger read as a verb ('audit log: schema -> backfill', 'rate limiter: design -> build') names its stream when two parts or more open on labels; its step is dropped.",
    """Two parts of the text or more (sentences or list lines) open on a
    label of up to five words and a colon. A label of two or three words
    that is a bare verb followed by nouns, the last one singular, with work
    after the colon (a step of the same part, or a part after an arrow), is
    a name: the step read at its first word is dropped, so the label names a
    stream (I213). "review the docs:" (a determiner) and "update docs:" (a
    plural object) are commands and stay steps.""",
)

# The longest label that may open a part ("the billing api:", "our login page:").
_LABEL_WORDS = 5
# Tags of the words after the verb of a label read as work: a compound noun ("audit log", "rate limiter").
_NOUNS = frozenset({"NOUN", "PROPN"})


def _colon(t: Tree) -> int | None:
    """The colon that closes a short label opening ``t``, if any."""
    return next((k for k in range(1, min(len(t), _LABEL_WORDS + 1)) if t.words[k].text in (":", "：")), None)


def _opens_on_label(t: Tree) -> bool:
    colon = _colon(t)
    return colon is not None and any(t.words[k].upos in ("NOUN", "PROPN", "X", "VERB") for k in range(colon))


def _verb_label(t: Tree) -> int | None:
    """The colon of a label ``t`` opens on that reads as a verb and its object ("audit log:")."""
    colon = _colon(t)
    if colon is None or not 2 <= colon <= 3 or t.words[0].upos != "VERB":
        return None
    if t.words[0].text.lower() != (t.lemma(0) or "").lower():
        return None  # "Updated docs:", "Fixing tests:": an inflected verb is no noun of a name
    nouns = range(1, colon)
    if any(t.words[k].upos not in _NOUNS for k in nouns):
        return None
    last = colon - 1
    if t.words[last].text.lower() != (t.lemma(last) or t.low(last)).lower():
        return None  # "fix tests:", "update docs:": a plural object, the label is a command
    return colon


def label_heads(trees: Sequence[Tree], preds: Sequence[Pred], chained: Sequence[bool]) -> list[Pred]:
    """The predicates without the steps read at labels that name streams (I540).

    ``chained[n]`` says the n-th tree follows the one before it after an arrow."""
    labelled = [n for n, t in enumerate(trees) if len(t) and _opens_on_label(t)]
    if len(labelled) < 2:
        return list(preds)
    drop: set[int] = set()
    for n in labelled:
        t = trees[n]
        colon = _verb_label(t)
        if colon is None:
            continue
        mine = [p for p in preds if p.tree is t]
        work_after = any(p.i > colon for p in mine) or (n + 1 < len(trees) and chained[n + 1])
        if not work_after:
            continue
        drop.update(id(p) for p in mine if p.i < colon)
    if not drop:
        return list(preds)
    return [p for p in preds if id(p) not in drop]
