"""O318: the text says the parallel work stays apart ("don't merge them").

Parallel pipelines end, in the reference text, with one step that
integrates the streams; the advisor adds that step when the text gives none.
Some texts say the opposite: "Don't merge them", "do not combine the two
reports", "keep the two models separate". Then a joining step would be work
the user ruled out. The reading finds a negated verb whose role joins
things (the synthesize and integrate roles of ``rules/words.toml``: merge,
combine, consolidate, bundle, ...) or "keep" with one of ``apart_words``
(``[parallel]`` of ``rules/words.toml``: "keep them separate"), and the
TaskGraph says so (``facts.apart``); the builder then adds no join of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser import clauses as S
from planner.parser.readings import reading
from planner.parser.tree import Tree
from planner.parser.words import Words

# Roles whose verbs make one thing of several: negated, they keep the work apart.
_JOINING_ROLES = frozenset({"synthesize", "integrate"})


@reading("O318", "kept-apart", "The text says the parallel work is not to be joined ('don't merge them', 'keep the two reports separate'): the plan adds no joining step of its own.")
def kept_apart(t: Tree, w: Words) -> tuple[int, int] | None:
    """The span of the words that keep the work apart in sentence ``t``, if any.

    Only a request does: "we don't merge often" has a subject of its own and
    says how things are, "don't merge them" has none and asks.
    """
    for i in range(len(t)):
        word = t.words[i]
        if word.upos != "VERB" or t.child(i, "nsubj") is not None:
            continue
        lemma = t.lemma(i)
        if w.role_of(lemma) in _JOINING_ROLES and S.negated(t, i):
            return (t.words[min(t.subtree(i))].start, word.end)
        if lemma == "keep":
            for k in t.children(i, "xcomp", "advmod", "obl"):
                if t.low(k) in w.apart_words:
                    return (word.start, t.words[k].end)
    return None


def apart_span(trees: Sequence[Tree], w: Words) -> tuple[int, int] | None:
    """The first place in the text that keeps the parallel work apart."""
    for t in trees:
        span = kept_apart(t, w)
        if span is not None:
            return span
    return None
