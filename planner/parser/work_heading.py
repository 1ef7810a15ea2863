"""A verbless heading whose noun names work is that work on each thing listed under it (S440).

"Risk assessments for the trip:" over lines naming the canal walk, the
climbing wall and the camp kitchen asks for an assessment of each; so does
"Security reviews: the billing page, the login page and the export job."
The heading has no verb, and the step model, which sees few verbless
headings among the requests of a longer text, takes its noun for a title
when the text asks for more work below ("Then send one summary to the
head"): the work the heading names, on every thing listed, was lost, and
only the later request was read. Alone, such a text was read (S119), as
the one thing it asks for.

Read here: the noun of a heading line (the sentence's root, no verb or
auxiliary anywhere, no "for" before it) that names work (S103) and ends its
words at a colon or lists names after it. It is a step only if things are listed under it or after its colon,
each a name with no verb (I204, I201): a heading over lines that ask for
work of their own ("Test plan:" over "log in", "pay") is a title, and its
step is dropped again (``drop_lone_headings``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "S440", "work-heading-over-list",
    "A verbless heading whose noun names work ('Risk assessments for the trip:') over things listed below it or after its colon is that work on each thing, though the text asks for more work after the list.",
    """"Risk assessments for the trip:" and three lines naming places, then
    "Then send one summary to the head": the heading asks for an assessment
    of each place, and the summary joins them. The step model reads a
    verbless line as a title when other requests follow; this reading keeps
    the heading's work noun (S103) as a step when the noun is the heading's
    root, no verb or auxiliary stands before its colon, and the colon ends
    the heading or opens a list of names. Unless the things listed under it
    or after its colon are names that become its items (I204, I201), the
    heading stays a title: "Test plan:" over lines that ask for work of their
    own is no step.""",
)

_COLONS = frozenset({":", "："})


def work_heading(t: Tree, i: int) -> bool:
    """S440: whether the work noun at word ``i`` heads a verbless line that ends at a colon."""
    if t.rel(i) != "root" or t.words[i].upos not in ("NOUN", "PROPN") or t.children(i, "case"):
        return False  # "For the spend report: ..." labels what follows, it asks for no report
    colon = next((k for k in range(i + 1, len(t)) if t.words[k].text in _COLONS), None)
    if colon is None:
        return False
    if any(t.words[k].upos in ("VERB", "AUX") for k in range(colon)):
        return False
    after = [t.low(k) for k in range(colon + 1, len(t)) if t.words[k].upos != "PUNCT" or t.low(k) in (",", "->", "→", ">")]
    if after and (not {",", "and", "or"} & set(after) or {"->", "→", ">"} & set(after)):
        return False  # after the colon a list of things, not stages ("schema -> migration") or one thing
    # after it only the things listed ("...: A, B and C."), no clause or question; a verb
    # form after an article names a thing ("the climbing wall")
    return not any(
        t.words[k].text == "?" or (t.words[k].upos in ("VERB", "AUX") and t.words[k - 1].upos not in ("DET", "ADJ"))
        for k in range(colon + 1, len(t))
    )


class DraftLike(Protocol):
    """What this pass reads of a draft (``assemble.Draft``)."""

    codes: list[str]
    group: str | None
    item: str | None
    stage: int | None


def drop_lone_headings(drafts: Sequence[DraftLike]) -> list[int]:
    """The indices of drafts read by S440 that stay a title, not a step: no list made
    work on each of its things (a heading over lines of their own work), or the things
    get work of their own elsewhere ("Quality audits: A and B. For each: pull the logs,
    ..."), which the heading only names, or its work became a stage of a stream.
    The stages after a dropped one move up a place."""
    heading = [k for k, d in enumerate(drafts) if "S440" in d.codes]
    if not heading:
        return []
    worked = {d.item for d in drafts if "S440" not in d.codes and d.item is not None}
    drop = [k for k in heading if drafts[k].group is None or drafts[k].stage is not None or drafts[k].item in worked]
    for k in drop:
        d = drafts[k]
        if d.stage is None:
            continue
        for e in drafts:
            if e.group == d.group and e.item == d.item and e.stage is not None and e.stage > d.stage:
                e.stage -= 1
    return drop
