"""S257: a bare command said with "after each" round or change is the work done in every round.

"Take a photo after each change", "rerun the linter after every pass, stop when
it's clean": in a refinement the writer often names a check done in each round
by a verb and when it comes, with no subject and no "please". The step model,
trained on web text, often reads such a clause as a note. A clause that opens
with a verb, has no subject, and says "after each" or "after every" with a
round or change word (``[each_round]`` in rules/parse.toml) right after its
object asks for that step.
"""

from __future__ import annotations

from functools import cache

from planner.parser import clauses as S
from planner.parser.readings import reading
from planner.parser.tree import Tree
from planner.parser.words import Words, parse_word_sets

# Words that end the clause before the verb: what a clause may open after.
_OPENERS = frozenset({",", ";", ".", "-", "—", "–", ":", "and", "then"})
# How far past the verb "after each" may stand (the verb's object between).
_REACH = 6


@cache
def _words() -> tuple[frozenset[str], ...]:
    """``[each_round]``: the quantifiers after "after", and the nouns of a round or a change."""
    return parse_word_sets("each_round", "each", "rounds")


def _opens_clause(t: Tree, i: int) -> bool:
    return i == 0 or t.low(i - 1) in _OPENERS


def _after_each(t: Tree, i: int) -> bool:
    each, rounds = _words()
    for k in range(i + 1, min(i + 1 + _REACH, len(t) - 1)):
        if t.low(k) in _OPENERS - {"-"}:
            return False  # the clause ended first
        if t.low(k) == "after" and t.low(k + 1) in each:
            nxt = t.low(k + 2) if k + 2 < len(t) else ""
            return nxt in rounds or nxt in _OPENERS or nxt == ""
    return False


@reading("S257", "each-round-step", "'Sketch the logo, take a photo after each change': a bare command said with 'after each' round or change is a step of every round.")
def each_round_step(t: Tree, i: int, w: Words) -> bool:
    """Whether word ``i`` is a command that opens its clause, has no subject, is
    not negated, and is followed (past its object) by "after each" or "after
    every" with a round or change word or the clause's end ("after each one",
    "after every change", "after each"). "After each round, I rest" (no verb
    first), "we test after each change" (a subject) and "don't rerun it after
    each change" are none."""
    if t.words[i].upos != "VERB" or not _opens_clause(t, i) or S.negated(t, i):
        return False
    if t.child(i, "nsubj") is not None or t.children(i, "aux"):
        return False
    form = t.words[i].text.lower()
    if form != t.lemma(i) and not form.endswith("ing"):
        return False  # a past or third-person form tells, it does not ask
    return _after_each(t, i)
