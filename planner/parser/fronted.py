"""T032: a phrase fronted before the request is no noun its verb describes.

"For the Q4 report I need completion rates from each course: A, B and C",
"In the board pack we want the totals per region": a sentence that opens with
a preposition and its noun, with no comma before its subject, reads to the
parser as a noun with a relative clause ("the report [that] I need"), and the
noun becomes the sentence's root. The request under it ("I need the rates")
is then a description, and the readings that look for a wish find none. A
relative clause without its relative word leaves a gap for its object ("the
report I need _"); a verb that has its own object has no such gap, so it is
the main verb and the fronted phrase says what it is for.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.readings import doc_only

doc_only(
    "T032", "fronted-phrase",
    "In 'For the Q4 report I need the completion rates ...' the verb is 'need': a phrase before the subject is what the request is for, not a noun the request describes.",
    """The parser reads "For the report I need the rates" like "the report
    I need", a noun with a relative clause, and makes the noun the root. A
    relative clause with no relative word ("the report I need") lacks its
    object; when the clause's verb has an object of its own ("need ... the
    rates") and a pronoun subject, and the sentence opens with the
    preposition of that noun, the verb is the sentence's main verb and the
    fronted phrase hangs on it.""",
)

_OPENING = frozenset({"for", "in", "on", "at", "from", "after", "before", "by", "with", "during", "ahead"})
_SUBJECTS = frozenset({"i", "we", "you", "they"})
_RELATIVES = frozenset({"that", "which", "who", "whom", "whose", "where", "when"})


def fronted_phrase(forms: Sequence[str], tags: Sequence[str], arcs: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], int | None]:
    """T032 over one sentence: the repaired arcs, and the verb made the root (or None)."""
    if len(forms) < 5 or forms[0].lower() not in _OPENING or tags[0] != "ADP":
        return arcs, None
    root = next((k for k, (h, _) in enumerate(arcs) if h < 0), None)
    if root is None or tags[root] not in ("NOUN", "PROPN") or arcs[0][0] != root:
        return arcs, None
    kids = [[k for k, (h, _) in enumerate(arcs) if h == x] for x in range(len(arcs))]
    for v in kids[root]:
        if arcs[v][1] != "acl:relcl" or tags[v] != "VERB" or v < root:
            continue
        subj = [k for k in kids[v] if arcs[k][1] == "nsubj"]
        if not subj or forms[subj[0]].lower() not in _SUBJECTS or subj[0] != root + 1:
            continue
        if any(forms[k].lower() in _RELATIVES for k in kids[v]) or not any(arcs[k][1] == "obj" for k in kids[v]):
            continue
        out = list(arcs)
        out[v] = (-1, "root")
        out[root] = (v, "obl")
        for k in kids[root]:
            if k > v and arcs[k][1] == "punct":
                out[k] = (v, "punct")  # the sentence's last mark closes the request, not the phrase
        return out, v
    return arcs, None
