"""I513: a verb that asks for a price opens its clause as a command ("Price both and advise").

"price", "cost" and "value" are nouns far more often than verbs, so the tagger
reads a sentence-opening "Price both and advise which to buy" as a noun phrase
("price both" and "advice"), and the work on the things named before is lost.
A noun is never followed by an object word of its own ("both", "them", "each",
"the"): right before one, at the opening of a clause, the word is the verb,
and the commands joined to it are read as commands again (T002).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import word_sets

doc_only(
    "I513", "valued-first",
    "'Price both and advise which to buy': a verb of pricing opening a clause before an object word is the command, not the noun 'price'.",
    """The verbs that ask for a price ([getting] valuing in rules/words.toml)
    are read as nouns by the tagger when they open a sentence. An object
    word right after them ("both", "each", "them", "all", an article or an
    owner word) cannot follow a noun there, so the word is the command, and
    the things it points back at each get their own pricing. Opening a
    command with no subject, such a verb is work, not the state verb of "it
    costs a lot" (S108 gives way). "Price is not
    the issue", "Price per seat:" and "the price of both" keep the noun.""",
)

# Words that open the object of a command and never follow a bare noun that opens a clause.
_OBJECT_WORDS = frozenset({"both", "each", "them", "all", "these", "those", "it", "every",
                           "the", "our", "my", "your", "their", "this", "that"})
# What may stand right before a clause's first word.
_OPENERS = frozenset({".", "!", "?", ";", ":", "then", "please", "pls", "kindly", "now", "also", "—", "–"})


@cache
def _verbs() -> frozenset[str]:
    return word_sets("getting", "valuing")[0]


def valued_first(lows: Sequence[str], out: list[str], why: list[str]) -> None:
    """I513: retag a clause-opening pricing verb read as a noun before its object word."""
    verbs = _verbs()
    for i in range(len(lows) - 1):
        if (
            lows[i] in verbs
            and out[i] in ("NOUN", "PROPN", "ADJ")
            and (i == 0 or lows[i - 1] in _OPENERS)
            and lows[i + 1] in _OBJECT_WORDS
        ):
            out[i], why[i] = "VERB", "I513"


def priced_command(t: Tree, i: int) -> bool:
    """I513: word ``i`` is a pricing verb opening a command with no subject ("cost each and
    ..."), work rather than the state verb of "it costs a lot"."""
    return (
        t.lemma(i) in _verbs()
        and t.words[i].upos == "VERB"
        and (i == 0 or t.low(i - 1) in _OPENERS)
        and t.child(i, "nsubj") is None
        and t.child(i, "obj") is not None
    )
