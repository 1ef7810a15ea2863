"""I610: a counted noun anywhere in the work's object phrase, named by a bracket of as many names.

"Check the 4 pump seals on deck two (bow, stern, port and starboard)": the
count says how many things, the bracket right after says which, one name per
thing. That the writer both counts the things and names each one is what
makes them separate pieces of work, whatever the noun: the count reading of
``_count_of`` only takes nouns that are units of work ("reports", "sites")
and only the verb's own object, so "the 3 work instructions (...)" or "the
cost of the 4 boxes (...)" stayed one step. The bracket must hold exactly as
many names as the count (``counted_in_brackets``, I484); a bracket of another
size, or of options ("(A or B)"), names nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from planner.parser.distribute import ItemList
from planner.parser.each_then import counted_in_brackets
from planner.parser.readings import reading
from planner.parser.tree import Tree


def _count(t: Tree, m: int, number_words: Mapping[str, int]) -> int | None:
    """The value of the number word ``m`` when it counts things (two or more, not "a 3-day trial")."""
    raw = t.low(m)
    value = number_words.get(raw)
    if value is None and raw.isdecimal() and len(raw) <= 3:
        value = int(raw)
    if value is None or value < 2:
        return None
    if m + 1 < len(t) and t.words[m + 1].text == "-":
        return None  # "a 3-day trial", "the 12-month trend": a measure, not a count
    return value


# Words that may join the last member of a bracketed list to the one before it.
_JOINS = frozenset({"and", "&"})
# The longest member, in words, a counted bracket is read as names of (longer parts are clauses).
_MEMBER_WORDS = 5
# How many words may stand between the counted noun and its bracket ("that we changed last week").
_GAP = 8


def _bracket(t: Tree, noun: int, n: int) -> ItemList | None:
    """The bracket after the counted noun ``noun`` read by its separators alone, when it holds
    exactly ``n`` members of one to five words: the tagger may read lower-case names in it as
    verbs ("(cutting, taping, labelling)"), and the list reader then finds no list."""
    gap_end = next((k for k in range(noun + 1, min(noun + _GAP + 2, len(t))) if t.words[k].text == "("), None)
    if gap_end is None or any(t.words[k].text in (",", ".", ";", ":", ")") or t.low(k) in ("and", "or", "but")
                              for k in range(noun + 1, gap_end)):
        return None
    close = next((k for k in range(gap_end + 1, len(t)) if t.words[k].text in (")", "(")), None)
    if close is None or t.words[close].text != ")":
        return None
    members: list[tuple[int, int]] = []
    a = gap_end + 1
    for k in range(gap_end + 1, close + 1):
        word = t.low(k)
        if word == "or" or word in (";", ":"):
            return None  # options, or a bracket of remarks
        if k == close or word == "," or word in _JOINS:
            if k > a:
                members.append((a, k - 1))
            a = k + 1
    if len(members) != n or any(b - a + 1 > _MEMBER_WORDS for a, b in members):
        return None
    spans = tuple((t.words[a].start, t.words[b].end) for a, b in members)
    return ItemList(spans, members[0][0], members[-1][1], False, ())


@reading("I610", "counted-things-named-in-brackets", "In 'review the 3 work instructions we changed (cutting, taping, labelling)' the items are the three names: a count in the work's object phrase followed by a bracket of as many names makes them the things worked on, whatever the noun.")
def counted_bracket(
    t: Tree, lists: Sequence[ItemList], verb: int, stop: int, number_words: Mapping[str, int]
) -> tuple[int, int, ItemList] | None:
    """(count, counted noun, the bracket's list) for the first noun after the verb ``verb`` and
    before ``stop`` (the next step's word, or the sentence's end) that carries a count of two
    or more and is followed, directly or after a short phrase on it, by a bracket of as many
    names. "Weigh the 3 crates from the van (red, blue, green)" names three crates; "(red or
    blue)", "(two of them)" or a bracket of two names after "3 crates" name none."""
    for noun in range(verb + 1, min(stop, len(t))):
        if t.words[noun].upos not in ("NOUN", "PROPN"):
            continue
        holders = [noun, *t.children(noun, "compound")]
        for m in sorted(x for h in holders for x in t.children(h, "nummod") if x < noun):
            n = _count(t, m, number_words)
            if n is None:
                continue
            lst = counted_in_brackets(t, lists, noun, n) or _bracket(t, noun, n)
            if lst is not None and lst.end < stop:
                return n, noun, lst
    return None
