"""What options are weighed on, as opposed to the options themselves (reading I383).

"Options: rewrite the module, buy a licence, or isolate it. Assess each option
(cost, timeline, legal risk)": the bracket lists the measures each option is
judged by; the work is split by the options. A list reads as measures when
its members are short and end in a noun of ``rules/words.toml [criteria]
measures`` ("legal risk", "insurance standpoint"), or when it sits right
after "on", "by", "in terms of" or "against" following the words that point
back at the options.
"""

from __future__ import annotations

from functools import cache

from planner import tomlcache
from planner.parser.distribute import ItemList
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I383", "measures-not-items",
    "In 'Options: A, B or C. Assess each option (cost, timeline, risk)' the items are A, B and C: a list of measures said of options named before them says what each is judged on.",
    """A list of nouns that name measures or qualities ("cost, effort and
    compliance risk", "uptime, price and support", rules/words.toml
    [criteria] measures), or a bracket after "each option", names the
    columns of the comparison, not its rows. When options were named before
    it, the work is split by the options and each covers every measure.
    With no options named before, the list stays what it says (a team may
    well split a review by cost, risk and effort).""",
)

# a measure is a word or two ("legal risk", "insurance standpoint")
_MAX_MEASURE_WORDS = 3


@cache
def measure_nouns() -> frozenset[str]:
    """I383: nouns that name what options are judged on (rules/words.toml [criteria])."""
    table = tomlcache.read_builtin("words.toml", "word classes").get("criteria", {})
    return frozenset(str(x).lower() for x in table.get("measures", ()))


def measures(t: Tree, lst: ItemList) -> bool:
    """I383: every member of ``lst`` is a short phrase ending in a noun of measure."""
    text_words: list[tuple[int, int]] = [(w.start, w.end) for w in t.words]
    nouns = measure_nouns()
    for s, e in lst.spans:
        inside = [k for k, (a, b) in enumerate(text_words) if a >= s and b <= e]
        if not inside or len(inside) > _MAX_MEASURE_WORDS:
            return False
        last = inside[-1]
        if t.low(last) not in nouns and t.lemma(last) not in nouns:
            return False
    return True
