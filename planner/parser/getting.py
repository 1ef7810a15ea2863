"""I468: getting a quote or data from several named things is one look-up each.

"get me quotes for 300 flyers from A, B and C" asks each of the three for its
quote. "get" alone is too light a verb to fan out ("get the milk, the eggs and
the bread" is one errand), so only when its object is an answer each named thing
gives on its own: a quote, an estimate, a bid ([getting] nouns in
rules/words.toml) or data ([data_nouns]: prices, figures, availability).
"""

from __future__ import annotations

from functools import cache

from planner.parser.readings import doc_only
from planner.parser.terse import _data_word
from planner.parser.tree import Tree
from planner.parser.words import word_sets

doc_only(
    "I468", "getting-from-each",
    "'get me quotes for 300 flyers from three printers - A, B, C -': a verb of getting whose object is a quote or data is a look-up per named thing.",
    """Prices, quotes and figures are answered by each supplier, site or
    source on its own, so getting them from several named things is
    several look-ups that run side by side, as "find prices at A, B and C"
    is. The verb must be one of [getting] verbs in rules/words.toml, its
    object a [getting] noun or a [data_nouns] word, and the list names
    (capitalised, data, or three or more). "Get the milk, eggs and bread"
    asks for no answer from anyone: one errand.""",
)


doc_only(
    "I501", "priced-at-each",
    "'price the sofa at A, B and C': a verb asking for a price, with named places after 'at', 'from' or 'in', is a look-up per place.",
    """A price is answered by each shop, site or valuer on its own, so
    pricing one thing at several named places is several look-ups that run
    side by side, as "get prices from A, B and C" is (I468). The verb must be
    one of [getting] valuing in rules/words.toml and the list must follow a
    preposition of place ([getting] at); "cost the trip to A, B and C" is
    one trip, and a list with no such preposition is what is priced.""",
)


@cache
def _valuing() -> tuple[frozenset[str], ...]:
    return word_sets("getting", "valuing", "at")


def priced_at(t: Tree, verb_at: int, verb: str, list_start: int) -> bool:
    """I501: the verb at ``verb_at`` asks for a price and the list at ``list_start`` names the
    places after a preposition of place ("price the sofa at A, B and C")."""
    verbs, preps = _valuing()
    if verb not in verbs or t.words[verb_at].upos != "VERB" or list_start <= verb_at + 1:
        return False
    return t.low(list_start - 1) in preps and t.child(verb_at, "obj") is not None


@cache
def _words() -> tuple[frozenset[str], ...]:
    return word_sets("getting", "verbs", "nouns")


def gets_answers(t: Tree, verb_at: int, verb: str, text: str) -> bool:
    """I468: the verb at ``verb_at`` gets quotes or data (its object names them)."""
    verbs, nouns = _words()
    if verb not in verbs:
        return False
    objs = [c for c in t.children(verb_at, "obj")]
    return any(t.low(o) in nouns or t.lemma(o) in nouns or _data_word(t, o, text) for o in objs)
