"""A limit on the form of the result, said with "keep" (S174).

"Write the toast. Keep it below three minutes.", "keep it brief and warm",
"keep each answer plain": such a clause says how the result must look, not
one more piece of work; the work it limits is the step before it. "keep
sanding it" (S133), "keep the spare key with the neighbour" and "keep a
diary" ask for work and are not this. The limit words are ``[kept_form]`` in rules/parse.toml.
"""

from __future__ import annotations

from functools import cache

from planner.parser import clauses as S
from planner.parser.readings import reading
from planner.parser.tree import Tree
from planner.parser.words import Words, parse_word_sets


@cache
def _limits() -> tuple[frozenset[str], ...]:
    return parse_word_sets("kept_form", "verbs", "bounds")


@reading("S174", "kept-form", "'Keep it below three minutes', 'keep it brief': a limit on how the result looks is no step; it limits the work before it.")
def kept_form(t: Tree, i: int, w: Words) -> bool:
    """"keep" with an object and a second predicate that is an adjective
    ("keep it brief", "keep each answer plain") or a bound with a number
    ("keep it below three minutes", "keep the deck to ten slides") tells how the
    result must look. The clause is a limit on the step it follows, never a
    step. "keep the spare key with the neighbour", "keep a diary" (no second
    predicate, or one without a number), "keep the new recipe if tastier" (a
    condition) and "keep sanding it" ask for work.
    """
    verbs, bounds = _limits()
    if t.words[i].upos != "VERB" or t.lemma(i) not in verbs or t.children(i, "mark") or S.negated(t, i):
        return False
    obj = t.child(i, "obj")
    if obj is None:
        return False
    inside = {i, *t.subtree(obj)}
    for k in t.subtree(i):
        if t.rel(k) == "xcomp" and t.words[k].upos == "ADJ" and t.head(k) in inside and not t.children(k, "mark"):
            return True  # "keep it brief", "keep the hand-out brief"
        if k > obj and t.low(k) in bounds and k + 1 < len(t) and t.words[k + 1].upos == "NUM":
            return True  # "keep it below three minutes", "keep it to two pages"
    return False
