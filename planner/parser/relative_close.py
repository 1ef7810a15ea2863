"""T033: a relative clause ends where a bare command after it begins.

"Pull the orders that were refunded twice, email the buyers", "re-read it for
anything that weakens the claim, cut again": the parser, trained on web text
where commands rarely follow a relative clause, hangs the second command
inside the relative clause (a conjunct of "refunded", of "weakens"). The
command then reads as more of what the noun is, or as the clause's own
narrative, and the request is lost.

The repair works on the arcs, before any reading sees the tree, like T010 for
question clauses (``wh_close.py``). A verb in its bare form with no subject
or auxiliary of its own, right after a joiner, is a command of its own when
the clause it hangs in is a relative clause whose verb cannot share its
subject with a bare verb: an inflected verb ("weakens", "was refunded",
"'s late"). A relative clause in the plain present plural or the perfect
("that run nightly and fail", "who have signed and paid") could go on with a
bare verb, so there only a comma or "then" ends it. The command becomes a
conjunct of the verb the modified noun belongs to.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.readings import doc_only
from planner.parser.wh_close import _JOINERS, _Arcs, _children, joined_commands, joiner_moves

doc_only(
    "T033", "relative-clause-ends",
    "In 'pull the orders that were refunded twice, email the buyers' the bare 'email' after the comma is a command of its own, not more of the relative clause.",
    """The parser hangs a command said after a relative clause inside that
    clause (a conjunct of its verb), and the request is lost in what the noun
    is. A bare verb with no subject or auxiliary of its own, right after
    "and", "then", a comma or "+", is moved out to the verb the modified noun
    belongs to when the relative clause's verb is inflected ("weakens",
    "were refunded"). A relative clause in the plain present or with "have"
    or "are" ("who sign and pay", "who have signed and paid") can go on
    with a bare verb: only a comma or "then" ends it there.""",
)

# Auxiliaries and verbs of the present plural and the perfect: a bare verb can follow
# them inside the same relative clause ("who have signed and paid", "that run and fail").
_PLAIN = frozenset({"are", "'re", "have", "'ve", "do", "can", "will", "'ll", "would", "could", "should", "may", "might", "must"})
_RELCL = frozenset({"acl:relcl"})


def _plain(forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: _Arcs, h: int) -> bool:
    """The relative clause's verb could share its subject with a bare verb."""
    helpers = [c for c in _children(arcs, h) if arcs.arcs[c][1] in ("aux", "aux:pass", "cop")]
    if helpers:
        return any(forms[c].lower() in _PLAIN for c in helpers)
    return forms[h].lower() == lemmas[h].lower() or tags[h] not in ("VERB", "AUX")


def _clause_verb(tags: Sequence[str], arcs: _Arcs, noun: int) -> int | None:
    """The verb whose clause the modified noun belongs to: the first verb above it."""
    k, seen = noun, 0
    while k >= 0 and seen <= len(arcs.arcs):
        if tags[k] == "VERB" and k != noun:
            return k
        k, seen = arcs.arcs[k][0], seen + 1
    return None


def close_relative_clauses(
    forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: list[tuple[int, str]]
) -> tuple[list[tuple[int, str]], list[int]]:
    """T033 over one sentence: the repaired arcs and the commands moved out."""
    moved: list[int] = []
    tree = _Arcs(arcs)
    for v, joiner, h, rel in joined_commands(forms, tags, lemmas, tree):
        if rel not in ("conj", "parataxis", "list") or tree.arcs[h][1] not in _RELCL:
            continue
        noun = tree.arcs[h][0]
        ask = _clause_verb(tags, tree, noun) if noun >= 0 else None
        if ask is None or ask >= h:
            continue
        joined = {forms[k].lower() for k in range(joiner, v)}
        if _plain(forms, tags, lemmas, tree, h) and not joined & {",", ";", "then"}:
            continue
        moves = [(v, ask, "conj")]
        moves.extend((c, h, "dep") for c in _children(tree, v) if c < joiner and forms[c].lower() not in _JOINERS)
        moves.extend(joiner_moves(forms, joiner, v))
        if tree.apply(moves):
            moved.append(v)
    return tree.arcs, moved
