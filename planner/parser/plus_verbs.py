"""T053: "+" between two bare verbs joins two commands, as "and" would.

Terse requests join stages with "+" ("investigate + fix", "draft + send
it", "write the parser, then implement + test it"). The parser, trained on
prose where "+" joins numbers and names, hangs the second verb under the
first as a modifier or a complement ("fix" an adjective of what follows,
"test" the complement of "implement") and the two stages become one step
whose title names both. A "+" with a bare verb on each side (the word is its
own lemma, tagged as a verb) is read as "and": the second verb is a conjunct
of the first, with "+" as its coordinator. A "+" between tools or names
("pylint + black") has no verb on both sides and is left to the list
readings.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.readings import doc_only
from planner.parser.wh_close import _Arcs

doc_only(
    "T053", "plus-joined-verbs",
    "In 'investigate + fix' or 'implement + test it' the '+' joins two commands as 'and' would: each is a step.",
    """Terse requests join stages with "+". The parser hangs the verb after
    "+" under the one before it (as an adjective of the next word or as its
    complement), and the two stages become one step named for both. A "+"
    with a bare verb on each side makes the second a conjunct of the first,
    "+" its coordinator; a "+" between names or tools ("pylint + black") is
    left to the list readings.""",
)


def _bare_verb(forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], k: int) -> bool:
    return 0 <= k < len(forms) and tags[k] == "VERB" and forms[k].lower() == lemmas[k].lower()


def plus_joined_verbs(
    forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: list[tuple[int, str]]
) -> tuple[list[tuple[int, str]], list[int]]:
    """T053 on the arcs: the repaired arcs and the verbs made conjuncts."""
    if "+" not in forms:
        return arcs, []
    tree = _Arcs(arcs)
    joined: list[int] = []
    for k in range(1, len(forms) - 1):
        a, b = k - 1, k + 1
        if forms[k] != "+" or not _bare_verb(forms, tags, lemmas, a) or not _bare_verb(forms, tags, lemmas, b):
            continue
        if tree.arcs[b] == (a, "conj"):
            continue
        moves = [(b, a, "conj"), (k, b, "cc")]
        # what the second verb's old head took from it stays with that head; words after "+"
        # the parse hung on the verb before ("investigate + fix | pls") go with the second
        moves.extend((c, b, tree.arcs[c][1]) for c in tree.kids[a] if c > b and tree.arcs[c][1] in ("obj", "obl", "advmod"))
        if tree.apply(moves):
            joined.append(b)
    return tree.arcs, joined
