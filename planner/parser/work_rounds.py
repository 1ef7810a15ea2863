"""T061: "three critique passes", "2 review rounds": a counted round of work is the work, counted.

Writers name repeated work by its rounds: "then 2 review passes from a
senior engineer", "get three critique rounds from the editor". The tagger
reads "passes" and "rounds" after a noun as verbs ("review passes" as a
subject and its verb), so the work is lost; even read as a noun, the phrase
is headed by "passes", which names no work. After a count ("2", "three",
"a couple of", "several") and a noun that names work, a round noun is a
noun, and in the tree the work noun heads the phrase: it takes the round
noun's place and its dependents, so the readings of work nouns (S103) see
"review" where the writer asked for reviewing. The count itself is read as
the loop's bound by the readings of rounds (L402), as before.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.clauses import noun_verb
from planner.parser.readings import doc_only
from planner.parser.words import Words

doc_only(
    "T061", "counted-work-rounds",
    "In 'then 2 review passes from a senior engineer' the round noun after a count and a work noun is a noun, and the work noun heads the phrase: the rounds are that work, counted.",
    """Repeated work is often named by its rounds: "three critique passes
    from the editor", "a couple of review rounds". The tagger takes "passes"
    or "rounds" after a noun for a verb, and even as a noun the phrase is
    headed by a word that names no work. After a count (a number, a number
    word, "a couple of", "a few", "several") and a noun that names work, the
    round noun is read as a noun and the work noun heads the phrase, taking
    its place and dependents, so the work is a step; the count bounds the
    loop as other counted rounds do. A round noun with no work noun before
    it ("two passes", "a couple of rounds") is left as it is.""",
)

# Plural nouns of a round of work (the count before them makes them plural).
_ROUNDS = frozenset({"passes", "rounds", "iterations", "cycles", "sweeps"})
# Words that count the rounds, besides numbers.
_COUNTS = frozenset({"two", "three", "four", "five", "six", "several", "few", "couple", "multiple", "more", "some", "2", "3", "4", "5"})


def work_rounds(forms: Sequence[str], tags: Sequence[str], w: Words) -> list[int]:
    """T061: the round nouns after a count and a work noun ("2 review passes": "passes")."""
    lows = [f.lower() for f in forms]
    out: list[int] = []
    for k in range(2, len(forms)):
        if lows[k] not in _ROUNDS or tags[k - 1] not in ("NOUN", "VERB", "PROPN"):
            continue
        work = lows[k - 1]
        if not work.isalpha() or noun_verb(work, w) is None:
            continue
        c = lows[k - 2]
        if tags[k - 2] == "NUM" or c in _COUNTS or (c == "of" and k >= 3 and lows[k - 3] in ("couple", "few")):
            out.append(k)
    return out


def work_rounds_tags(found: Sequence[int], tags: list[str], why: list[str]) -> None:
    """The round noun and its work noun are nouns (T061)."""
    for k in found:
        for i in (k - 1, k):
            if tags[i] != "NOUN":
                tags[i] = "NOUN"
                why[i] = why[i] or "T061"


def work_rounds_arcs(found: Sequence[int], arcs: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], list[int]]:
    """The work noun heads the phrase: it takes the round noun's place and dependents."""
    new = list(arcs)
    moved: list[int] = []
    for r in found:
        c = r - 1
        if new[c][0] != r:
            continue  # the parse did not put the work noun inside the round noun's phrase
        for k, (h, rel) in enumerate(new):
            if h == r and k != c:
                new[k] = (c, rel)
        new[c] = new[r]
        new[r] = (c, "compound")
        moved.append(c)
    return new, moved
