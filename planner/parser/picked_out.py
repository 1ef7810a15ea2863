"""K580: a digest wished for without a verb is picked out of the words of the one recording.

"Coach Reyes recorded the team briefing, briefing.m4a. Only the dates he gives."
names no work by a verb: the wish is for things picked out of what the coach
says (the dates, the headlines, the times he sets), and they are picked out of
his words, so the recording is transcribed first. A step whose own verb
summarises the recording ("summarise briefing.m4a") is one
piece of work for speech tools (S228); a wish for what the words hold, with no
verb on the recording, is answered from a transcript, as a question about what
is said is (K501).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planner.parser.implied import (
    Implied,
    Kinds,
    _is_file,
    _named_file,
    _np_span,
    _only_material,
    _takes_the_words,
    mentions,
)
from planner.parser.readings import reading
from planner.parser.tree import Tree

# readings that make a step of a thing wished for without a verb
_VERBLESS = frozenset({"S330", "S331", "S333", "S432"})


def is_digest(t: Tree, i: int, k: Kinds) -> bool:
    """Word ``i`` names a thing picked out of material's words: a digest ("the gist",
    "the headlines", "the takeaways") or figures and facts ("the totals", "the dates")."""
    low = t.low(i)
    return t.words[i].upos == "NOUN" and (low in k.summary_nouns or (low in k.asked and low not in k.not_drawn))


@reading(
    "K580",
    "digest-of-the-words",
    "A digest or figures wished for without a verb ('Coach Reyes recorded the briefing, b.m4a. Only the dates he gives.') from the one recording or video the text names has its words transcribed first.",
)
def picked_out(text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds) -> list[Implied]:
    """A step that is a thing wished for without a verb (S330, S331, S333,
    S432) and names something picked out of words (``[drawn_from]
    summaries`` or ``[wished_list] asked``: "only the headlines", "the
    dates he gives", "the times he sets") is drawn from
    the words of the material: the one recording or video the text names
    outside every step's words is transcribed first. Nothing is added when
    a step up to it takes the words out or works on words already, for a
    picture (its words are short: reading them is the answer, K501), a
    song, or a thing that is itself a picture ("a still", "a logo").
    """
    takes = frozenset().union(*k.takes_out.values()) | k.needs_text
    out: list[Implied] = []
    for at, d in enumerate(drafts):
        p = d.pred
        if p.kind != "wanted" or not _VERBLESS & set(p.codes) or not is_digest(p.tree, p.i, k):
            continue
        if any(dj.verb in takes for dj in drafts[:at]) or _takes_the_words(drafts, at - 1, k):
            continue
        m = _only_material(text, trees, drafts, k)
        if m is None or m.speechless or any(dj.span[0] <= m.start < dj.span[1] for dj in drafts if dj is not d):
            continue
        if m.kind == "image":
            continue  # a picture's words are short, and reading them is the answer (K501)
        verb = k.readers[m.kind]
        m = _named_file(text, m, mentions(text, m.tree, k))
        span = m.tree.span(list(m.words)) if _is_file(text, m) else _np_span(text, m, set())
        out.append(Implied(at, True, "K580", verb, m.tree, m.head, span))
    return out
