"""K578: the gist of a document someone wants to hear is written first.

"I'd like to hear the council report in report.pdf on the drive, just the gist"
asks for two pieces of work: the gist is written from the document, then it
is voiced for the hearing. A document heard whole needs no summary, and a
recording's gist is K501's (its words are taken out first).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planner.parser.implied import Implied, Kinds, _scope, mentions
from planner.parser.readings import reading
from planner.parser.tree import Tree

# words that narrow what is heard to a part of it: "just the gist", "only the main points"
_NARROW = frozenset({"just", "only", "the", "a", "its", "their", "short", "quick", "brief"})


@reading(
    "K578",
    "gist-heard",
    "The gist of a document someone wants to hear ('hear the report in report.pdf, just the gist') is written first, then heard.",
)
def gist_heard(text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds) -> list[Implied]:
    """A hearing step ("hear", "listen to": ``[mediums] hearing``) whose words
    name a document of the user's (a text file or a noun of ``[nouns] text``)
    and narrow it to a summary ("just the gist", "only the main points", "a
    short recap": ``[drawn_from] summaries``) has the summary written from
    the document first (``[drawn_from] writer``), as K505 does for a summary
    sent to someone. A document heard whole needs nothing, a step before it
    that already works on the words ("summarise report.pdf, then I'd like to
    hear it") names the summary itself, and a recording is K501's.
    """
    out: list[Implied] = []
    for at, d in enumerate(drafts):
        if d.verb not in k.hearing or d.pred.kind == "question":
            continue
        t = d.pred.tree
        lo, hi = _scope(d)
        # the summary may come after a dash at the end of the hearing's sentence
        hi = max(hi, min((dj.span[0] for dj in drafts if dj.pred.tree is t and dj.span[0] > lo), default=t.end))
        if not any(m.kind == "text" for m in mentions(text, t, k, (lo, hi))):
            continue
        if any(dj.verb in k.needs_text or dj.verb == k.summary_writer for dj in drafts[:at]):
            continue
        head = next(
            (i for i in range(len(t)) if lo <= t.words[i].start < hi and t.low(i) in k.summary_nouns and t.words[i].upos == "NOUN"),
            None,
        )
        if head is None:
            continue
        first = head
        while first - 1 >= 0 and t.low(first - 1) in _NARROW | {"main", "key"} and t.words[first - 1].start >= lo:
            first -= 1
        out.append(Implied(at, True, "K578", k.summary_writer, t, head, t.span(list(range(first, head + 1)))))
    return out
