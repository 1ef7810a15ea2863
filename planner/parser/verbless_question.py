"""T043: a question with only a copula ends before the bare command after it.

"Figure out where the fault is and get it working", "check what the limit
is, then raise it": a question clause whose only verb is a copula ("where
the fault is") gives the parser no verb to head it, and it hangs the
question's words (the wh-word, the subject, the copula) on the command after
the joiner. The command then reads as the question's own verb, and the
asking verb's step runs on into it: two stages read as one.

The repair works on the arcs, before any reading sees the tree. A verb in
its bare form coordinated with an earlier verb, whose own dependents before
the joiner ("and", "then", a comma) hold a wh-word and a copula or an
auxiliary, is a command of its own: those words become a question clause
under the earlier verb, headed by its subject (or its last word), and the
command keeps only what follows the joiner.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.readings import doc_only
from planner.parser.wh_close import _Arcs

doc_only(
    "T043", "copula-question-ends",
    "In 'figure out where the fault is and get it working' the question 'where the fault is' ends at 'and': the parser had hung it on 'get', and the command read as the question's verb.",
    """A question clause whose only verb is a copula ("where the fault
    is", "what the limit is") has no verb to head it, and the parser
    hangs its words on the bare command after "and", "then" or a comma;
    the asking verb and the command are then read as one step. A bare
    verb coordinated with an earlier verb, whose own dependents before the
    joiner hold a wh-word and a copula or an auxiliary, keeps only the
    words after the joiner; the question goes back to the earlier verb,
    headed by its subject or its last word.""",
)

_WH = frozenset({"what", "which", "why", "how", "where", "whether", "who", "when", "if"})
_JOINERS = frozenset({"and", "then", ",", "&", "+", ";"})
_LINKS = frozenset({"cop", "aux", "aux:pass"})
_SUBJECTS = frozenset({"nsubj", "nsubj:outer", "nsubj:pass", "csubj"})


def close_verbless_questions(
    forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: list[tuple[int, str]]
) -> tuple[list[tuple[int, str]], list[int]]:
    """T043 over one sentence: the repaired arcs and the commands set free of the question."""
    lows = [f.lower() for f in forms]
    tree = _Arcs(arcs)
    freed: list[int] = []
    for v in range(2, len(forms)):
        h, rel = tree.arcs[v]
        if rel not in ("conj", "parataxis") or not 0 <= h < v or tags[v] != "VERB" or lows[v] != lemmas[v].lower():
            continue
        if tags[h] != "VERB" or lows[v - 1] not in _JOINERS:
            continue
        joiner = v - 1
        while joiner - 1 > h and lows[joiner - 1] in _JOINERS:
            joiner -= 1  # ", and then get it working"
        inside = [c for c in tree.kids[v] if h < c < joiner and tree.arcs[c][1] not in ("punct", "cc")]
        if not inside or not any(lows[c] in _WH for c in inside) or not any(tree.arcs[c][1] in _LINKS for c in inside):
            continue
        wh = min(c for c in inside if lows[c] in _WH)
        if any(c < wh for c in inside):
            continue  # the wh-word opens the question; words before it are the command's own
        subj = next((c for c in inside if tree.arcs[c][1] in _SUBJECTS), None)
        q = subj if subj is not None else max(inside)
        moves = [(q, h, "ccomp")]
        moves.extend((c, q, "nsubj" if tree.arcs[c][1] == "nsubj:outer" else tree.arcs[c][1]) for c in inside if c != q)
        if tree.apply(moves):
            freed.append(v)
    return tree.arcs, freed
