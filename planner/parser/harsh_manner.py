"""S421: "be brutal about them": a request for a harsh judgement said as a manner is a critique.

"Write four openings, then be brutal about them, then rework the best two",
"sketch the logo and be ruthless with it": the writer asks for the work to be
judged hard, but says so with "be" and an adjective of harshness, not a verb
of judging. The tree has no verb there (the adjective heads the clause), so
no step is read and the loop loses its critique. An imperative "be" (no
subject, no auxiliary) with such an adjective ([harsh_manner] in
rules/parse.toml) and what it is harsh about ("about them", "on the draft",
"with it") is a critique of that thing. Where the sentence already asks for
a judgement with a verb ("review my essay and be brutal about the grammar"),
the adjective says how that judgement is made and is no step.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from planner.parser.readings import reading
from planner.parser.tree import Tree
from planner.parser.words import Words, parse_word_sets

# The roles of a verb that already asks for a judgement.
_JUDGING = frozenset({"review", "critique"})


@cache
def _words() -> tuple[frozenset[str], frozenset[str]]:
    """``[harsh_manner]``: adjectives of a harsh judgement; prepositions naming what is judged."""
    adjectives, about = parse_word_sets("harsh_manner", "adjectives", "about")
    return adjectives, about


@reading("S421", "harsh-manner-as-critique", "'Write four openings, then be brutal about them, then rework the best two': an imperative 'be' with an adjective of harsh judgement and what it is about is a critique step.")
def harsh_manners(t: Tree, w: Words) -> Iterator[int]:
    """The adjectives heading an imperative "be brutal about X", "be ruthless with
    it" (``[harsh_manner]`` in rules/parse.toml): each is a critique of X, unless a
    verb of the sentence already asks for a review or a critique."""
    adjectives, about = _words()
    for i in range(len(t)):
        if t.words[i].upos != "ADJ" or t.lemma(i) not in adjectives:
            continue
        cop = t.child(i, "cop")
        if cop is None or t.low(cop) != "be" or t.child(i, "nsubj") is not None or t.children(i, "aux"):
            continue  # "it is harsh", "you'll be brutal": no request for a judgement
        said = any(t.low(c) in about for k in t.children(i, "obl") for c in t.children(k, "case"))
        if not said:
            continue
        if any(t.words[k].upos == "VERB" and w.role_of(t.lemma(k)) in _JUDGING for k in range(len(t))):
            continue  # "review it and be brutal about the grammar": how the review is done
        yield i
