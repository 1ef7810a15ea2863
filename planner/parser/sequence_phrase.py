"""T040: "after that" and a bare command: the pronoun is the earlier work, not a subject.

"Back up the share, after that wipe the old disk", "draft it, and only after
this send it out": "after that" is an order phrase, like "then"; the command
after it opens a clause of its own. The tagger, meeting "that" + a lexicon
verb, reads the verb as a noun ("after that assess the harm": "assess" a
noun under "after"), or the parser takes "that" for the verb's subject and
"after" for the clause's subordinator, and the step model sees a time
clause with a subject other than the reader: the command was lost.

Two repairs, before any reading sees the tree. On the tags: a lexicon verb
right after "after that", "after this", "following that" or "following
this", where that phrase opens a clause (the sentence's start, an order word,
"and", a comma, "only"), and before an object or a phrase rather than a
clause's own verb, is a verb. On the arcs: a bare verb whose subject is that
"that" or "this" with "after" or "following" right before it is a command;
the pronoun becomes an oblique of the command ("after that" says when), and
the command is coordinated with the verb its clause hung on. "After that is
done, ship it" (the pronoun a subject of an inflected verb or an auxiliary)
and "after that meeting" (a noun) are left alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.readings import doc_only
from planner.parser.wh_close import _Arcs

doc_only(
    "T040", "after-that-command",
    "In 'restore the dump, after that give the testers access' the bare 'give' is a command: 'after that' orders it, and 'that' is no subject.",
    """"After that", "after this", "following that" say the same as "then":
    the earlier work is done, and the command after the phrase is the next
    step. The tagger reads a lexicon verb after the pronoun as a noun ("after
    that assess ..."), or the parser takes the pronoun for the verb's subject
    and "after" for a subordinator, and the step model sees a time clause
    with someone else's verb. A lexicon verb right after the phrase, where
    the phrase opens a clause, is a verb when an object or a phrase follows
    it; a bare verb with the pronoun as its subject is a command coordinated
    with the verb its clause hung on, the pronoun its oblique. "After that
    is done, ship it" (an auxiliary or an inflected verb) and "after that
    meeting" (a noun) are left as they are.""",
)

# The words that make an order phrase with a pronoun for the earlier work.
_ORDER_PREPS = frozenset({"after", "following"})
_EARLIER = frozenset({"that", "this"})
# What may stand before the phrase when it opens a clause.
_BEFORE_PHRASE = frozenset({",", ";", ":", "and", "then", "only", "just", "right", "immediately", "-", "—", "–", "->", "(", "&", "+"})
# The tags a command's next word may have (its object, a particle, a phrase); not a verb,
# which would make the word a noun subject ("after this release the app crashed").
_COMMAND_NEXT = frozenset({"DET", "PRON", "NUM", "ADP", "PART", "PROPN", "NOUN", "ADJ", "ADV", "SCONJ", "X", "SYM"})


def _opens_phrase(lows: Sequence[str], at: int) -> bool:
    """Whether the order phrase starting at ``at`` opens a clause."""
    return at == 0 or lows[at - 1] in _BEFORE_PHRASE


def command_tags(lows: Sequence[str], out: list[str], why: list[str], verbish: object) -> None:
    """T040 on the tags: a lexicon verb after an opening "after that" is a verb (in place).
    ``verbish(low)`` says whether a word is a lexicon verb."""
    n = len(lows)
    for i in range(2, n - 1):
        if out[i] in ("VERB", "AUX") or lows[i - 1] not in _EARLIER or lows[i - 2] not in _ORDER_PREPS:
            continue
        if not _opens_phrase(lows, i - 2) or not callable(verbish) or not verbish(lows[i]):
            continue
        if out[i + 1] not in _COMMAND_NEXT or lows[i + 1] in ("of", "'s", "is", "was", "are", "were"):
            continue
        # no verb of a clause close after it: the word would be that clause's subject
        if any(out[k] in ("VERB", "AUX") for k in range(i + 1, min(n, i + 4))):
            continue
        out[i], why[i] = "VERB", "T040"


def free_commands(
    forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: list[tuple[int, str]]
) -> tuple[list[tuple[int, str]], list[int]]:
    """T040 on the arcs: the repaired arcs and the commands freed from "after that" as subject."""
    lows = [f.lower() for f in forms]
    tree = _Arcs(arcs)
    freed: list[int] = []
    for v in range(2, len(forms)):
        pron, prep = v - 1, v - 2
        if tags[v] != "VERB" or lows[v] != lemmas[v].lower():
            continue
        if lows[pron] not in _EARLIER or lows[prep] not in _ORDER_PREPS or not _opens_phrase(lows, prep):
            continue
        h, rel = tree.arcs[v]
        if tree.arcs[pron][0] != v or not tree.arcs[pron][1].startswith("nsubj"):
            continue
        if any(tree.arcs[k][1] in ("aux", "aux:pass", "cop") for k in tree.kids[v] if k < v):
            continue
        moves = [(pron, v, "obl"), (prep, pron, "case")]
        if rel in ("advcl", "ccomp", "csubj", "acl", "acl:relcl") and 0 <= h < v:
            moves.append((v, h, "conj"))
        if tree.apply(moves):
            freed.append(v)
    return tree.arcs, freed
