"""S400, S401: the purpose of a verb that only leads to the work is a step for sure.

"Go through the manual and the logs to find where it breaks, then patch it",
"start from the brief to write the outline, then the first chapter": going
through and starting from something say how the work is come at, and the
purpose clause after them is the work. Alone, such a sentence keeps its
purpose as its one step (the step model's best candidate); with other
commands after it, the step model turns the purpose down as part of the verb
it hangs on, and the first stage of a scout-then-build request is lost. The
purpose of a going through (`[for_each_named]` through_verbs and particles in
rules/parse.toml) or of a start from something (`[purpose_work]` in
rules/parse.toml) is read for sure, and the start is then no step (S401).
"Use X to do Y" is left to the step model, which may keep the use as the step.
"""

from __future__ import annotations

from planner.parser import clauses as S
from planner.parser.for_each_named import _asked, _words
from planner.parser.readings import reading
from planner.parser.tree import Tree
from planner.parser.words import Words, parse_word_sets


@reading("S400", "purpose-of-a-means", "'Go through the logs to find the failing job, then patch it': the finding is the first stage, even with more commands after it.")
def purpose_of_means(t: Tree, i: int, w: Words) -> bool:
    """A verb in a "to" clause that hangs on an asked "go through", "go
    over", "run through" or on "start from", "begin with" is the work those
    verbs only lead to: "go through the three contracts to find the notice
    periods", "start from the old plan to draw the new one". Going through
    names no work (a state or motion verb), and a start from something only
    its material, so the purpose is the stage. Narrated ("we go over the
    figures to check them") and negated going through are left to the step
    model.
    """
    if t.words[i].upos != "VERB" or t.rel(i) not in ("advcl", "xcomp", "acl"):
        return False
    if not any(t.low(m) == "to" for m in t.children(i, "mark")):
        return False
    h = _means_verb(t, i)
    if h is None or h > i or t.words[h].upos != "VERB" or t.children(h, "mark"):
        return False
    # a "subject" after the verb is a name the parse misplaced ("go through the procedure QP-7 ...")
    subj = t.child(h, "nsubj")
    if not (_asked(t, h, w) or (subj is not None and subj > h and not S.negated(t, h))):
        return False
    verbs, through, _ = _words()
    if t.lemma(h) in verbs and any(t.low(k) in through for k in range(h + 1, min(h + 3, i))):
        return True
    # "start from the brief to write the outline": starting from something only leads to the work
    starts, sources = parse_word_sets("purpose_work", "start_verbs", "start_from")
    return t.lemma(h) in starts and any(t.low(k) in sources for k in range(h + 1, min(h + 3, i)))


def _means_verb(t: Tree, i: int) -> int | None:
    """The verb the purpose clause ``i`` hangs on; the parser may hang it on the last thing
    gone through instead ("go through the contract and the invoices to find ..."): a thing
    that is that verb's own object, or one listed or set beside it, leads to the verb."""
    h = t.head(i)
    if t.rel(i) != "acl":
        return h
    # up the list of things gone through ("the manual, the logs and the config")
    while h is not None and t.rel(h) in ("conj", "appos") and t.words[h].upos in ("NOUN", "PROPN"):
        h = t.head(h)
    if h is None or t.words[h].upos not in ("NOUN", "PROPN") or t.rel(h) not in ("obj", "obl"):
        return None
    return t.head(h)


@reading("S401", "leads-to-purpose", "'Start from the brief to write the outline': the start only leads to the writing, which is the step (S400); the start is none.")
def leads_to_purpose(t: Tree, i: int, w: Words) -> bool:
    """A verb whose purpose clause is read for sure as the work (S400) is no
    step of its own: "start from the old plan to draw the new one" is one
    stage, the drawing, made from the old plan. Going through and using are
    already no steps (state verbs, S108; instruments, S111); a start is a
    command the step model would otherwise keep beside its purpose.
    """
    if t.words[i].upos != "VERB" or t.lemma(i) not in parse_word_sets("purpose_work", "start_verbs")[0]:
        return False
    return any(purpose_of_means(t, k, w) for k in range(i + 1, len(t)) if t.rel(k) in ("advcl", "xcomp", "acl") and _means_verb(t, k) == i)
