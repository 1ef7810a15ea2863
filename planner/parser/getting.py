"""I468: getting a quote or data from several named things is one look-up each.

"get me quotes for 300 flyers from A, B and C" asks each of the three for its
quote. "get" alone is too light a verb to fan out ("get the milk, the eggs and
the bread" is one errand), so only when its object is an answer each named thing
gives on its own: a quote, an estimate, a bid ([getting] nouns in
rules/words.toml) or data ([data_nouns]: prices, figures, availability).
"""

from __future__ import annotations

from functools import cache

from planner import tomlcache
from planner.errors import RuleFileError
from planner.parser.readings import doc_only
from planner.parser.terse import _data_word
from planner.parser.tree import Tree
from planner.parser.words import word_set

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


@cache
def _words() -> tuple[frozenset[str], frozenset[str]]:
    table = tomlcache.read_builtin("words.toml", "word classes").get("getting", {})
    if not isinstance(table, dict):
        raise RuleFileError("[getting] must be a table", path="rules/words.toml")
    return word_set(table, "verbs", "getting"), word_set(table, "nouns", "getting")


def gets_answers(t: Tree, verb_at: int, verb: str, text: str) -> bool:
    """I468: the verb at ``verb_at`` gets quotes or data (its object names them)."""
    verbs, nouns = _words()
    if verb not in verbs:
        return False
    objs = [c for c in t.children(verb_at, "obj")]
    return any(t.low(o) in nouns or t.lemma(o) in nouns or _data_word(t, o, text) for o in objs)
