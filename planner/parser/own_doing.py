"""What the speaker or someone else will do with the result, beside a request (S157).

"Check the forecast for the three towns and tell me which is driest, then
we'll spend longest there": the last clause says what the user will do once
the work is done. It has a subject of its own in the future, and no work
comes back to the reader after it. Turns the work waits for (S130, S170: "I'll
review, you revise", "then we'll choose", "I'll say what to tweak, repeat")
are read before this one and are not it: a response to a draft ([turns]
responses in rules/parse.toml), work said after the clause, or rounds in the
same sentence keep the clause a turn.
"""

from __future__ import annotations

from planner.parser import clauses as S
from planner.parser.readings import reading
from planner.parser.tree import Tree
from planner.parser.turns import asks_for_feedback, going_over, turn_words
from planner.parser.words import Words, has_phrase


def _rounds(t: Tree, w: Words) -> bool:
    """Words of repetition anywhere in the sentence ("repeat", "until", "again", "rounds")."""
    lows = t.lows()
    if any(t.lemma(k) in w.repeat_verbs or t.low(k) in w.rounds or t.low(k) in ("again", "twice") for k in range(len(t))):
        return True
    return any(has_phrase(lows, ph) for ph in w.until)


@reading("S157", "own-doing", "'Tell me which town is driest, then we'll spend longest there': what the speaker will do with the result, after the request, is no step.")
def own_doing(t: Tree, i: int, w: Words) -> bool:
    """A main clause at the end of a request whose own subject is the
    speaker or someone else (I, we, he, she, they), in the future ("then
    we'll drive there", "then I'll frame it"), tells what happens once the
    work is done. It is read only where the reader is asked for work before
    it in the same sentence and for none after it, its verb is no response
    to a draft ([turns] responses: review, choose, say ...) and the sentence
    has no rounds ("repeat", "until"): those are turns of the work (S130)."""
    if t.words[i].upos != "VERB" or t.rel(i) not in ("root", "conj", "parataxis") or t.children(i, "mark"):
        return False
    subj = t.child(i, "nsubj")
    if subj is None or t.low(subj) not in S.TURN_TAKERS or subj > i:
        return False
    if not {t.low(a) for a in t.children(i, "aux")} & S.FUTURE_AUX or S.negated(t, i):
        return False
    if t.lemma(i) in turn_words()[0] or going_over(t, i) or asks_for_feedback(t, i) or _rounds(t, w):
        return False
    asked = [k for k in range(len(t)) if k != i and t.words[k].upos == "VERB" and k not in t.subtree(i) and S.asked_verb(t, k, w)]
    return bool(asked) and all(k < subj for k in asked)
