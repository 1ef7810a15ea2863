"""S372: an arrow chain of noun phrases after "needs" names its stages ("needs a licence check -> a review -> ...").

A writer who states what something needs can write the stages as nouns joined
by arrows: "the plugin needs a licence check -> a security review -> sign-off
from legal". Cut at the arrows, each part is a sentence of its own: the first
is a clause whose verb only says the need (the step model drops it, and its
object with it), the others are bare noun phrases with an article, which no
clause reading makes steps (a part with an article names a result, I330). The
arrows say each part follows the one before it, and the need's object names
work: every part is a stage.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.chain import _pieces
from planner.parser.clauses import Pred, noun_verb
from planner.parser.readings import reading
from planner.parser.tree import Tree
from planner.parser.words import Words

# Verbs that state a need of the subject (or the speaker) rather than ask for work themselves.
_NEED_VERBS = frozenset({"need", "require", "want"})
# Relations of a word that would make a part a clause of its own rather than a noun phrase.
_CLAUSE_RELS = frozenset({"root", "conj", "advcl", "ccomp", "xcomp", "parataxis", "acl"})


def _phrase_head(t: Tree) -> int | None:
    """The head noun of a part that is a bare noun phrase, or None when the part has a verb of its own."""
    root = t.root
    if root < 0 or t.words[root].upos not in ("NOUN", "PROPN"):
        return None
    if any(t.words[k].upos in ("VERB", "AUX") and t.rel(k) in _CLAUSE_RELS for k in range(len(t))):
        return None
    return root


def _needed_work(t: Tree, w: Words) -> int | None:
    """The object of a need verb that ends the first part and names work ("... needs a licence check")."""
    root = t.root
    if root < 0 or t.words[root].upos != "VERB" or t.lemma(root) not in _NEED_VERBS:
        return None
    obj = t.child(root, "obj")
    if obj is None or max(t.subtree(obj)) < len(t) - 1 - (t.words[-1].upos == "PUNCT"):
        return None  # the object must close the part, right before the arrow
    return obj if noun_verb(t.lemma(obj), w) is not None else None


@reading("S372", "needed-stage-chain", "'The plugin needs a licence check -> a security review -> sign-off from legal': noun phrases joined by arrows after a need whose object names work are the stages of a chain.")
def needed_chain(trees: Sequence[Tree], preds: Sequence[Pred], text: str, w: Words) -> list[Pred]:
    """The predicates with a step for every part of such a chain that has none.

    The first part must end on the object of "need", "require" or "want"
    naming work ("a licence check", "a security review"); every later part
    must be a noun phrase with no verb of its own or a clause the other
    readings read as a step ("-> send it to legal"). A chain whose first
    part needs a result, not work ("needs a table -> a chart"), is left
    alone, and so is one with a part that is neither ("-> it fails")."""
    index = {id(t): n for n, t in enumerate(trees)}
    added: list[Pred] = []
    for chain in _pieces(trees, text):
        first = chain[0][0]
        needed = _needed_work(first, w)
        if needed is None:
            continue
        parts = [(first, needed)]
        whole = True
        for t, _, _ in chain[1:]:
            if any(p.tree is t for p in preds):
                continue  # a clause after the arrow is read as one
            h = _phrase_head(t)
            if h is None:
                whole = False
                break
            parts.append((t, h))
        if not whole:
            continue
        for t, h in parts:
            if any(p.tree is t and p.i in t.subtree(h) for p in preds):
                continue
            verb = noun_verb(t.lemma(h), w)
            added.append(Pred(t, h, verb or "make", "noun" if verb else "wanted", ["S372"], anchor=h))
    if not added:
        return list(preds)
    return sorted([*preds, *added], key=lambda p: (index.get(id(p.tree), -1), p.i))
