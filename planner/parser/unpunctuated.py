"""Members of a list written without commas (reading I373).

Dictated or hurried text drops the commas: "check the lobby the pool and the
gym and then send me a list". Each member still opens with its article, and
in English one noun phrase never runs straight into another's article, so an
article (or "our", "my") right after a noun starts the next member. A list so
read must still close with "and" or "or" and hold three or more members: two
noun phrases side by side with nothing after them are the two objects of a
verb of giving ("send the client the invoice"), which the verbs of
``[unpunctuated] giving`` in rules/parse.toml say as well.
"""

from __future__ import annotations

from functools import cache

from planner.parser.members import time_words
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import parse_word_sets

doc_only(
    "I373", "unpunctuated-members",
    "In 'check the lobby the pool and the gym' the items are the lobby, the pool and the gym: an article right after a noun opens the next member of a list written without commas.",
    """A noun phrase does not run on into another article: "the lobby the
    pool" is two things with the comma left out, as dictated and hurried
    text leaves it out. Inside a list, an article or "our"/"my"/"your"
    right after a noun or a name ends one member and opens the next. The
    list must close with "and"/"or" and have three or more members, and
    its first member must not follow a verb of giving ("send the client
    the invoice and the receipt", rules/parse.toml [unpunctuated]): there
    the first phrase is whom the thing goes to. A phrase followed by a verb
    is a clause on the noun before it ("the files the vendor shared"), and
    after the closing "and" the list is over. A list that has a comma
    between two of its members is punctuated, so a missing comma there is
    no separator, and a phrase of time ("the oven the night before") says
    when, not what.""",
)

_ARTICLES = frozenset({"the", "our", "my", "your", "their"})
# words after an article that say when or how, not what ("the day before", "the same way")
_NOT_THINGS = frozenset({"day", "time", "same", "whole", "first", "way", "rest", "end", "start", "moment"})


@cache
def giving_verbs() -> frozenset[str]:
    """Verbs whose two objects stand side by side (rules/parse.toml [unpunctuated] giving)."""
    (giving,) = parse_word_sets("unpunctuated", "giving")
    return giving


def article_after_noun(t: Tree, j: int) -> bool:
    """I373: word ``j`` is an article straight after a noun or name (no comma between) that
    opens a thing, not a time ("the oven the night before": when, not one more member)."""
    if not (0 < j < len(t.words) - 1 and t.low(j) in _ARTICLES and t.words[j - 1].upos in ("NOUN", "PROPN")
            and t.words[j + 1].upos in ("NOUN", "PROPN", "ADJ") and t.words[j - 1].end < t.words[j].start):
        return False
    openers, units, _ = time_words()
    k = j + 1
    while k < len(t) - 1 and t.words[k].upos == "ADJ":
        k += 1
    return t.low(j + 1) not in openers and t.low(j + 1) not in _NOT_THINGS and t.lemma(k) not in units and t.lemma(k) not in _NOT_THINGS


def after_giving(t: Tree, first: int) -> bool:
    """I373: the list's first member follows a verb of giving ("send the client the invoice")."""
    k = first - 1
    while k >= 0 and t.low(k) in ("me", "us", "them", "him", "her"):
        k -= 1
    return k >= 0 and t.lemma(k) in giving_verbs()


def relative_after(t: Tree, j: int) -> bool:
    """I373: the phrase opened at ``j`` is the subject of a clause on the noun before it ("the
    files the vendor shared", "the report our client sent"): a verb follows its noun."""
    k = j + 1
    while k < len(t) and t.words[k].upos in ("NOUN", "PROPN", "ADJ"):
        k += 1
    return k < len(t) and t.words[k].upos in ("VERB", "AUX")
