"""O367: rework said right after a look at the work waits for that look.

"Write the memo, then run it past HR; make changes; ...", "send it to the
leads. Make edits.": a clause that only asks to change the work, with no
pronoun or order word of its own, follows the step that had someone look at
the work: the changes are what that look asked for. The step model, seeing a
clause with nothing pointing back ("make changes" after a semicolon or a full
stop), leaves it with no wait, and a refinement round falls apart.
"""

from __future__ import annotations

from functools import cache

from planner.parser.clauses import Pred
from planner.parser.readings import doc_only
from planner.parser.words import Words, parse_word_sets

doc_only(
    "O367", "rework-after-a-look",
    "'Run it past HR; make changes; ...': a request that only reworks the work ('make changes', 'revise', 'fix it'), said right after a step that reviews it or hands it to someone, waits for that step.",
    """Writers spell a round of review as a look and a rework, often in
    separate clauses with nothing pointing back ("send it to the leads.
    Make edits.", "run it past Legal; make changes"). The changes answer
    the look just before them, so the rework waits for it. Only a request
    whose verb reworks (the [rework] verbs of rules/words.toml) or a light
    verb whose object is a noun of change ("make changes", "do the
    corrections"; [rework_after_look] in rules/parse.toml) counts, and only
    right after a step that reviews, critiques or tests the work or hands it
    over to someone (a verb of handing, or any verb that takes it "past"
    people: "run it past the drivers"); a rework with no look before it, or one the other
    readings already placed, is left as it was.""",
)

# Roles of a step that looks at the work.
_LOOKS = frozenset({"review", "critique", "test"})


@cache
def _words() -> tuple[frozenset[str], frozenset[str]]:
    """``[rework_after_look]``: nouns of change after a light verb; verbs handing the work over."""
    nouns, hands = parse_word_sets("rework_after_look", "nouns", "hand_over")
    return nouns, hands


def reworks(p: Pred, w: Words) -> bool:
    """Whether ``p`` only asks to change the work: a rework verb, or a light verb with a noun of change."""
    if p.kind == "question":
        return False
    if p.verb in w.rework:
        return True  # "revise", and "make edits" read as the edit it names
    t = p.tree
    obj = t.child(p.anchor if p.anchor >= 0 else p.i, "obj")
    return t.lemma(p.i) in w.light and obj is not None and t.lemma(obj) in _words()[0]


def looks_at_work(p: Pred, role: str) -> bool:
    """Whether step ``p`` (of ``role``) has the work looked at: it reviews, critiques or
    tests it, or hands it over to someone ("send it to the leads", "show HR")."""
    if role in _LOOKS:
        return True
    t = p.tree
    if p.kind != "verb":
        return False
    if t.lemma(p.i) in _words()[1] and bool(t.children(p.i, "obj", "obl", "iobj")):
        return True
    # "run it past the drivers": the work taken past people is put before them to look at
    return any(t.low(c) == "past" for k in t.children(p.i, "obl") for c in t.children(k, "case"))
