"""C200: the possible causes a text names ("it might be the cache, the CDN rules or the pool").

A defect report often guesses at its cause with a list of suspects the writer
cannot tell apart. No step asks for them ("find the cause and fix it" is the
request), so they are no parallel items of the parse; but a scout-build plan
checks each of them with a scout of its own before the decision. The reading
finds them in the grammar and the TaskGraph carries their names
(``TextFacts.suspects``); the builder, not the parser, turns them into scouts.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.readings import reading
from planner.parser.tree import Tree
from planner.parser.words import Words


def _chain(t: Tree, i: int) -> list[int]:
    """``i`` and the words joined to it by coordination, in order."""
    out, stack = [], [i]
    while stack:
        k = stack.pop()
        out.append(k)
        stack.extend(t.children(k, "conj"))
    return sorted(out)


def _guessed(t: Tree, i: int, w: Words) -> bool:
    if t.child(i, "cop") is not None:
        said = {t.low(k) for k in t.children(i, "aux", "advmod", "mark")}
        return bool(said & (w.suspects.get("hedges", frozenset()) | w.suspects.get("doubt", frozenset())))
    h = t.head(i)
    return h is not None and t.rel(i) == "obj" and t.lemma(h) in w.suspects.get("verbs", frozenset())


def _name(t: Tree, w: Words, text: str, k: int, head: int) -> str:
    # The head of the list carries the clause around it ("it might be ..."); the others only their own words.
    rels = ("conj", "cc", "punct", "cop", "aux", "nsubj", "mark", "advmod", "obl") if k == head else ("conj", "cc", "punct")
    words = [x for x in t.subtree(k, t.children(k, *rels)) if t.rel(x) != "punct"]
    while words and t.low(words[0]) in w.suspects.get("openers", frozenset()):
        words.pop(0)
    return t.phrase(text, words).strip(" ,;") if words else ""


@reading("C200", "named-suspects", "Possible causes the text lists as a guess ('it might be the cache, the CDN rules or the pool', 'not sure if it's A or B'): each is a suspect a scout-build plan checks on its own.")
def named_suspects(t: Tree, w: Words, text: str) -> tuple[tuple[int, int], tuple[str, ...]] | None:
    """The span and the names of the suspects sentence ``t`` lists, if it lists any.

    Two or more nouns joined by "or" as the predicate of a hedged copular clause
    ("might be", "could be", "probably"), of one under "if" or "whether" ("not
    sure if it's A or B"), or as the object of "suspect". "And" lists no
    suspects: "it is the cache and the pool" names two causes at once.
    """
    for i in range(len(t)):
        if t.rel(i) == "conj" or t.words[i].upos not in ("NOUN", "PROPN"):
            continue
        chain = _chain(t, i)
        if len(chain) < 2 or not any(t.low(c) == "or" for k in chain for c in t.children(k, "cc")):
            continue
        if not _guessed(t, i, w):
            continue
        # A remark in brackets is no part of a name ("the file (it's 2 GB)"); a name with a
        # comma left in it is a clause the tree ran together, and "both" or "neither" names nothing.
        cut = (_name(t, w, text, k, i).split("(")[0].strip(" ,;") for k in chain)
        names = tuple(n for n in cut if n and "," not in n and n.lower() not in w.suspects.get("not_names", frozenset()))
        if len(names) >= 2:
            return t.span(chain), names
    return None


def suspects_in(trees: Sequence[Tree], w: Words, text: str) -> tuple[tuple[int, int], tuple[str, ...]] | None:
    """The first list of suspects in the text (C200); the word classes are ``[suspects]`` of ``rules/words.toml``."""
    for t in trees:
        found = named_suspects(t, w, text)
        if found is not None:
            return found
    return None
