"""T034: a clause spliced on with a comma and a subject of its own is no complement.

"Tighten it up, I'll read it, you fix it again", "reword them; we'll test
with users, you adjust": people write the turns of a loop as clauses side by
side, joined by nothing but commas. The parser, trained on web text, hangs
the second clause under the first verb as its complement (a clause "I'll
read" under "tighten", "you adjust" under "test"), and the turn is lost in
the request before it: the step's words run on into the next clause.

The repair works on the arcs, before any reading sees the tree. A verb
that has a subject of its own (I, we, you, they, he, she) right after a
comma or a semicolon, no subordinator, and hangs as a complement under a
verb before it, is a clause of its own beside that verb (parataxis), unless
the verb before it takes a clause ("tell him, we'll be late"; [spliced]
clause_verbs in rules/parse.toml).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from planner.parser.readings import doc_only
from planner.parser.words import parse_word_sets

doc_only(
    "T034", "spliced-clause",
    "In 'tighten it up, I'll read it' the clause after the comma, with a subject of its own, is a turn beside the request, not its complement.",
    """The parser hangs a clause spliced on with a comma under the verb
    before it as its complement, and the turn it says is read into the
    request ("tighten it up, I'll read"). A verb with a subject of its own
    (I, we, you, they, he, she) right after a comma or a semicolon, no
    subordinator, hanging as a complement of an earlier verb that takes no
    clause, becomes a clause of its own beside that verb. Verbs that take a
    clause ("tell him, we'll be late", "I think, we should wait") keep it.""",
)


# Auxiliaries of work still to come: "we'll test it, you adjust" is a turn, not a story.
_AHEAD = frozenset({"'ll", "will", "can", "could", "should", "must", "shall", "'d", "would"})


@cache
def _words() -> tuple[frozenset[str], frozenset[str]]:
    verbs, subjects = parse_word_sets("spliced", "clause_verbs", "subjects")
    return verbs, subjects


def unsplice(
    forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: list[tuple[int, str]]
) -> tuple[list[tuple[int, str]], list[int]]:
    """T034 over one sentence: the repaired arcs and the clauses set beside their verb."""
    verbs, subjects = _words()
    kids: list[list[int]] = [[] for _ in arcs]
    for k, (h, _) in enumerate(arcs):
        if h >= 0:
            kids[h].append(k)
    out = list(arcs)
    moved: list[int] = []
    for v, (h, rel) in enumerate(arcs):
        if rel != "ccomp" or h < 0 or h >= v or tags[v] != "VERB" or tags[h] != "VERB":
            continue
        if lemmas[h].lower() in verbs or any(arcs[c][1] == "mark" for c in kids[v]):
            continue
        subj = next((c for c in kids[v] if arcs[c][1] in ("nsubj", "nsubj:pass") and c < v), None)
        if subj is None or forms[subj].lower() not in subjects or subj == 0 or forms[subj - 1] not in (",", ";"):
            continue
        told = any(arcs[c][1] == "nsubj" and forms[c].lower() not in ("you", "u") for c in kids[h])
        if told and not any(arcs[c][1] == "aux" and forms[c].lower() in _AHEAD for c in kids[h]):
            continue  # "we found, they'd left": the first clause tells; "we'll test, you adjust" are turns
        out[v] = (h, "parataxis")
        moved.append(v)
    return out, moved
