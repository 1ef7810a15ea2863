"""S300: "a cost study first, then a pilot, then a memo": stages named by nouns after "then".

A request can list its stages as things, with the order said by "first",
"then" or "finally" and no verb after the first: "we want a cost study
first, then a pilot, then a memo for the board", "we need a budget, then a
venue booking, then invitations". S123 reads each further thing after an
order word as a step when a word list knows it as a made thing or a work
noun ("a summary", "a review"). The order word is itself the evidence that
a stage is meant: after a thing asked for, a new noun phrase that "then"
opens is the next stage, whatever its noun ("a pilot", "a venue booking").

It is a stage only when the request before it asks for a thing (a wish or a
light verb with a noun, or an earlier noun stage): after a command with an
object ("call the bank, then a plumber") the noun is the object of the
same verb said once (S160's gapping). A definite noun ("then the venue")
points at a thing already there; a name is an item, not work.
"""

from __future__ import annotations

from planner.parser.readings import reading
from planner.parser.tree import Tree

# Determiners of a new thing to make or do.
_NEW = frozenset({"a", "an", "another", "one"})


@reading("S300", "then-stage-noun", "'we want a cost study first, then a pilot, then a memo': a new noun phrase after 'then', following a thing asked for, is the next stage, whatever its noun.")
def then_stage(t: Tree, c: int, after_thing: bool) -> bool:
    """Whether noun ``c``, which an order word opens, names the next stage of a
    request whose stage before it is a thing asked for (``after_thing``): a
    new thing ("a pilot", "another round") or a bare plural ("invitations to
    the guests"); "the venue", "our list" and names are not.
    """
    if not after_thing or t.words[c].upos != "NOUN":
        return False
    dets = t.lows(t.children(c, "det", "nmod:poss"))
    if dets:
        return all(d in _NEW for d in dets)
    if t.children(c, "nummod"):
        return any(t.low(d) == "one" for d in t.children(c, "nummod"))
    return t.low(c) != t.lemma(c).lower()  # a bare plural: "then invitations to the guests"
