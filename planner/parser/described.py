"""Clauses that describe the thing worked on or the user's situation, and ask for nothing (S155, S156).

Short requests to a tool-using assistant often end with a clause about the
input or about why the user wants it: "sharpen the scan, you can hardly read
the date", "it's for a framed print". They have the shape of a request (an
addressee with "can", a noun that names work) but ask for no work of their
own; the step is the request before them. The words are ``[described]`` in
rules/parse.toml.
"""

from __future__ import annotations

from functools import cache

from planner.parser.readings import reading
from planner.parser.tree import Tree
from planner.parser.words import parse_word_sets


@cache
def _words() -> tuple[frozenset[str], ...]:
    return parse_word_sets("described", "scarcely", "about", "pointing")


@reading("S155", "scarcely-able", "'Sharpen the scan, you can hardly read the date': what can scarcely be done with the input describes it; it asks for nothing.")
def scarcely_able(t: Tree, i: int) -> bool:
    """A verb with an adverb of near-negation ("hardly", "barely",
    "scarcely") says what the input does not let anyone do ("you can barely
    hear me over the wind", "I can hardly read his writing"): the reason for
    the request, never a piece of work. A command with such an adverb is
    all but unheard of."""
    scarcely, _, _ = _words()
    return t.words[i].upos == "VERB" and any(t.low(k) in scarcely for k in t.children(i, "advmod"))


@reading("S156", "said-of-a-thing", "'Upscale the photo, it's for a canvas print', 'review PR 88, it's the fix for X': a noun said of a subject with 'be' tells what a thing is or is for; it is no work.")
def said_of_a_thing(t: Tree, i: int) -> bool:
    """A noun that is the predicate of "be" and opens with a preposition
    ("it's for a canvas print", "this is about the review", "that's in the
    summary") says what something is for, about or part of. Even a noun that
    names work elsewhere ("print", "review", "summary") names no work here:
    it has a subject of its own and no verb asks for it. So does such a
    noun after a request whose subject points back at what the request
    works on ("review PR 88, it's the small fix for the timeout"). "This is
    a review of the API" on its own is not this."""
    _, about, pointing = _words()
    subj = t.child(i, "nsubj")
    if not t.children(i, "cop") or subj is None:
        return False
    if any(t.low(k) in about for k in t.children(i, "case")):
        return True
    # "review PR 88, it's the small fix for the timeout": a pointing subject after the
    # request says what the thing worked on is
    return t.low(subj) in pointing and any(t.words[k].upos == "VERB" for k in range(subj))


def described(t: Tree, i: int) -> str | None:
    """The code of the reading that finds candidate ``i`` describes rather than asks, or None."""
    if scarcely_able(t, i):
        return "S155"
    if t.words[i].upos in ("NOUN", "PROPN") and said_of_a_thing(t, i):
        return "S156"
    return None
