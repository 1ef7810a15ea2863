"""S272: "find the opening hours and give them to me in Dutch": the telling translates.

Telling the user a result ends the work before it (S118) and is no step. Told
in a language the text names ("tell me in Polish", "give them to me in
Dutch"), the result is put into that language first: the telling is a
translation, a step of its own. The language must be a noun of ``[foreign]
languages`` (or of ``results``, English) in rules/kinds.toml after "in"
or "into" on the telling verb; "tell me in plain English" names a manner,
not a language (an adjective on it), and "tell me in a minute" no language.
"""

from __future__ import annotations

from functools import cache

from planner.parser.clauses import Pred
from planner.parser.implied import kinds_section, load_kinds
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import word_set

doc_only(
    "S272", "told-in-a-language",
    "'Find the opening hours and give them to me in Dutch': a result told to the user in a named language is translated, a step of its own (not S118).",
    """Telling the user what the work found ends that work (S118), but told
    "in Dutch", "in Polish" or "into Welsh" the result has to be put into
    that language: the telling is a translation step, after the work whose
    result it tells. The language is one of ``[foreign] languages`` in
    rules/kinds.toml or English (``[foreign] results``), after "in" or
    "into" on the telling verb itself, with no adjective on it ("in plain
    English" says how simply, not which language).""",
)


@cache
def _languages() -> frozenset[str]:
    table = kinds_section("foreign")
    return load_kinds().languages | word_set(table, "results", "foreign", "rules/kinds.toml")


def language_named(t: Tree, a: int) -> int | None:
    """The language word "in Dutch" / "into Welsh" names on the verb ``a``, if any."""
    languages = _languages()
    for k in t.children(a, "obl", "advcl", "nmod", "obj"):
        case = t.child(k, "case")
        if t.low(k) in languages and case is not None and t.low(case) in ("in", "into") and not t.children(k, "amod"):
            return k
    return None


def told_in_language(p: Pred) -> bool:
    """The telling ``p`` names the language its result is told in ("tell me in Dutch")."""
    if p.kind != "verb":
        return False
    return language_named(p.tree, p.anchor if p.anchor >= 0 else p.i) is not None
