"""I650: a measure noun joined to a command's object is a noun, not a second command.

"Estimate cost and time for both routes", "check price and risk per supplier": the
tagger, trained on web text, reads the second measure ("time", "risk") as a verb joined
to the command, so the clause gets a step that times or risks something and the
command's object loses a member. A word of the ``measure_nouns`` class
(``[measure_nouns]`` in rules/parse.toml) right after "and", "or" or a comma that follows
a noun, in a clause whose command came before it, and with no object of its own after it
(a preposition, a joiner or a comma follows), is one more thing measured: a noun.
"time the runs", "and cost it out" keep their verb: an object or a particle follows.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.readings import doc_only
from planner.parser.words import parse_word_sets

doc_only(
    "I650", "measure-noun-in-object",
    "'Estimate cost and time for both routes': a measure noun ('time', 'risk', 'cost') joined to the noun a command works on, with no object of its own, is one more thing measured, not a second command.",
    """The tagger reads such a word as a verb joined to the command, and the
    parse then has a step that times or risks something. The words are the
    measure_nouns class of rules/parse.toml; the word must follow "and",
    "or" or a comma after a noun, in a clause a command opened before it, and
    what follows it must be a preposition, a joiner or a comma (an object,
    a particle or the end after it keeps the verb: "and time the runs",
    "and cost it out", "read both and rate.").""",
)

_JOINERS = frozenset({"and", "or", ",", "&", "/"})
# After the measure: what shows it takes no object of its own. Not the end of the
# sentence: "read the drafts and rate." ends on a bare command.
_AFTER_TAGS = frozenset({"ADP", "CCONJ", "SCONJ"})
_PARTICLES = frozenset({"out", "up", "down", "off", "in"})
# A clause ends at these: a command before them opens no object list that reaches past them.
_CLAUSE_ENDS = frozenset({".", ";", ":", "!", "?", "then", "and"})


def _measures() -> frozenset[str]:
    (words,) = parse_word_sets("measure_nouns", "words")
    return words


def measure_noun_tags(lows: Sequence[str], out: list[str], why: list[str]) -> None:
    """Re-tag measure nouns read as verbs after a command's object (I650), in place."""
    n = len(lows)
    measures = _measures()
    for i in range(2, n):
        if out[i] != "VERB" or lows[i] not in measures or lows[i - 1] not in _JOINERS:
            continue
        if out[i - 2] not in ("NOUN", "PROPN") and why[i - 2] != "I650":
            continue
        if i + 1 >= n or (out[i + 1] not in _AFTER_TAGS and lows[i + 1] != ",") or lows[i + 1] in _PARTICLES:
            continue
        # the command that takes the list as its object, earlier in the same clause
        k = i - 3
        while k >= 0 and lows[k] not in _CLAUSE_ENDS and out[k] != "VERB":
            k -= 1
        if k >= 0 and out[k] == "VERB":
            out[i], why[i] = "NOUN", "I650"
