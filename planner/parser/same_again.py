"""A request to do the same work again on the other things (T028, S195).

"Rewrite the intro of the first chapter, then do the same for the other four",
"fix this test and repeat it for the rest", "apply that to the remaining files":
the user asks for the work just described once more, on the things the scope
names. That is one more step after the first thing's work, with that work's
role. A statement that the others are alike ("it's the same for the rest", "the
others are the same") has no verb of doing and asks for nothing. The words are
``[same_again]`` in rules/parse.toml.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Protocol

from planner.parser import clauses as S
from planner.parser.readings import doc_only, reading
from planner.parser.tree import Tree
from planner.parser.words import Words, parse_word_sets


@cache
def _words() -> tuple[frozenset[str], ...]:
    """[same_again]: verbs of doing again, words that point back at the work, scope words, bare-repeat verbs."""
    return parse_word_sets("same_again", "verbs", "back", "scope", "bare")


doc_only("T028", "do-the-same",
         "'Then do the same for the others', 'do that for the rest': 'do' right before 'the same' or 'it'/'that' and a preposition is the verb, not an auxiliary.",
         """The tagger reads "do" before a determiner as the auxiliary of a
         question ("do the tests pass?"), and then hangs the sentence on "same".
         An auxiliary is never followed by "the same" and a preposition or the
         sentence's end, so there "do" is the verb and "the same" its object.
         So is "do the same settings on the rest" (a noun, then a preposition);
         "Do the same rules apply?" (a noun, then a verb) keeps its auxiliary.""")

# Clauses under the verb: their words are not its scope.
_CLAUSES = frozenset({"advcl", "ccomp", "conj", "parataxis", "xcomp", "acl", "acl:relcl"})
# Prepositions that put the repeated work on other things (not "in that order", "after my approval").
_ON_THINGS = frozenset({"for", "to", "on", "with", "across"})
_AFTER_SAME = frozenset({"for", "to", "with", "on", "in", "across", "again", "here", "there", ".", "!", ",", ";", "and", "then"})


def retag_do(lows: Sequence[str], out: list[str], why: list[str]) -> None:
    """T028: "do the same for ..." read with "do" as the verb. Changes ``out`` and ``why`` in place."""
    # the pronouns of [same_again] back ("do that for the rest"); "the same" is matched as two words
    pointers = _words()[1] - {"same"}
    n = len(lows)
    for i in range(n - 1):
        if lows[i] != "do" or out[i] != "AUX":
            continue
        # "do the same for ...", "do that for ...": what follows the pointer ends or opens a scope
        k = i + 3 if lows[i + 1 : i + 3] == ["the", "same"] else i + 2 if lows[i + 1] in pointers else -1
        if k == i + 3 and k + 1 < n and out[k] == "NOUN" and lows[k + 1] in _AFTER_SAME:
            k += 1  # "do the same settings on the rest"
        if k > 0 and (k >= n or lows[k] in _AFTER_SAME):
            out[i], why[i] = "VERB", "T028"


def _scope(t: Tree, i: int, scope: frozenset[str], named: bool) -> bool:
    """Whether the words under ``i`` name the other things: "the others", "the rest",
    "the remaining files", "the other four", or (``named``) a named thing after a
    preposition; a counted one ("for three rounds") says how often, not on what."""
    # the verb's own phrases: not a clause under it ("... repeated until none remain")
    clauses = [c for c in t.children(i) if t.rel(c) in _CLAUSES]
    for k in t.subtree(i, clauses):
        if k == i:
            continue
        if t.low(k) in scope or t.lemma(k) in scope:
            return True
        # "for B and C", "to the staging cluster": a phrase of its own after the work
        case = t.child(k, "case")
        if named and t.rel(k) == "obl" and t.head(k) in (i, t.child(i, "obj")) and t.words[k].upos in ("PROPN", "NOUN") \
                and case is not None and t.low(case) in _ON_THINGS and t.child(k, "nummod") is None:
            return True
    return False


def _asked_question(t: Tree, i: int) -> bool:
    """"Do the same rules apply to the others?": "do" heads a question, not a request."""
    return t.lemma(i) == "do" and any(t.low(k) == "?" for k in t.subtree(i))


@reading("S195", "same-again", "'Then do the same for the other four', 'repeat it for the rest': a request to do the work again on the other things is one more step, with that work's role.")
def same_again(t: Tree, i: int, w: Words) -> bool:
    """"Do", "repeat", "apply", "redo" with words that point back at the work
    ("the same", "it", "that") and a scope that names the other things ("the
    others", "the rest", "the remaining X", "the other N", or named things after
    a preposition) ask for the work once more; the step model often reads a
    bare "do the same" as no work. "Repeat" needs no pointer ("repeat for the
    rest"). Only a command or "you" counts: "we did the same for the others"
    tells what happened, and "it's the same for the rest" has no verb of doing.
    """
    verbs, back, scope, bare = _words()
    if t.words[i].upos != "VERB" or t.lemma(i) not in verbs or S.negated(t, i):
        return False
    subj = t.child(i, "nsubj")
    if subj is not None and t.low(subj) not in ("you", "u"):
        return False
    obj = t.child(i, "obj")
    # "do the same", "repeat it", "apply the same settings"
    pointed = obj is not None and (t.low(obj) in back or (any(t.low(a) == "same" for a in t.children(obj, "amod")) and not _asked_question(t, i)))
    if not pointed and not (t.lemma(i) in bare and obj is None):
        return False
    # "do the same for B and C" is new work on B and C; "do it for A and B" hands the work
    # just described to A and B (the list readings), no work of its own
    return _scope(t, i, scope, named=obj is not None and t.low(obj) == "same")


def is_same_again(codes: Sequence[str]) -> bool:
    """Whether a draft's codes say it repeats the work before it (S195)."""
    return "S195" in codes


def role_before(start: int, earlier: Sequence[tuple[int, str]]) -> str | None:
    """S195: the role of the work the request repeats, the last step that ends before it
    (``earlier``: each step's end and role); None when no step comes before it."""
    before = [(end, role) for end, role in earlier if end <= start]
    return max(before)[1] if before else None


class _Draft(Protocol):
    codes: list[str]
    span: tuple[int, int]
    after: set[int]


def waits_on_repeated(drafts: Sequence[_Draft]) -> None:
    """S195: the request to do the same again waits for the work it repeats, the step just
    before it, when nothing else orders it ("Resize the banner. Do the same for A and B.").
    Changes the drafts' waits in place."""
    for b, d in enumerate(drafts):
        if not is_same_again(d.codes) or d.after or b == 0:
            continue
        a = max((k for k in range(b) if drafts[k].span[1] <= d.span[0]), default=None, key=lambda k: drafts[k].span[1])
        if a is not None:
            d.after.add(a)
