"""I482: "Each one separately, then ...": the per-item word closes the work before "then"; I484: counted names in brackets.

A writer who has named the items and the work often adds how to do it and
what comes after in one short sentence: "Each one separately, then a single
table.", "One at a time, then give me the totals." The words before "then"
hold no verb: they say of the work already asked that it is done per item,
and "then" opens what follows it. So the per-item word scopes nothing after
"then": the request there is one step after every item's work, not one per
item. "For each site: get quotes, then compare them" is different: there a
request stands between the scope word and "then", and the scope runs on.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.distribute import ItemList
from planner.parser.readings import reading
from planner.parser.tree import Tree

# Words that open what follows the per-item work (after a comma or dash, or none).
_THEN = frozenset({"then", "afterwards", "after"})
_BREAKS = frozenset({",", "-", "–", "—", ";"})
# Words that make the work after "then" per item again ("then a summary for each").
_PER_ITEM = frozenset({"each", "every", "per"})


@reading("I482", "each-apart-then", "A verbless per-item phrase closed by 'then' ('Each one separately, then give me one table') says how the work before it is done; the request after 'then' is one step over all the items, not one per item.")
def each_then(t: Tree, opener: int, first: int) -> int | None:
    """"Check the three timetables. Each one separately, then give me one list of
    departures." The per-item word ``opener`` opens the sentence or a part
    after a break, and the words from it to the first
    request ``first`` hold no verb and end with a break and "then": the phrase
    restates that the work before is per item, and what "then" opens follows
    it once. Returns the index of "then", or None.
    """
    if not 0 <= opener < first <= len(t):
        return None
    if not (opener == 0 or t.words[opener - 1].text in _BREAKS or (opener == 1 and t.words[0].upos in ("CCONJ", "ADV"))):
        return None  # "I need a rota for each of them, then ...": the per-item words belong to a clause of their own
    for k in range(opener, first):
        if t.words[k].upos in ("VERB", "AUX") and t.rel(k) not in ("amod", "compound"):
            return None  # "each of them checks X, then ...": a clause of its own
        before = k - 1 if k > 0 and t.low(k - 1) == "and" else k  # ", and then ..."
        if t.low(k) in _THEN and before > opener + 1 and t.words[before - 1].text in _BREAKS:
            if any(t.low(j) in _PER_ITEM for j in range(k + 1, len(t))):
                return None  # "..., then a summary for each": the work after "then" is per item too
            return k
    return None


@reading("I484", "counted-names-in-brackets", "In 'email the three suppliers (A, B and C)' the items are A, B and C: a bracket after a counted noun, or after the short clause on it, holding as many names as the count names the counted things.")
def counted_in_brackets(t: Tree, lists: Sequence[ItemList], noun: int, n: int) -> ItemList | None:
    """"Email the two suppliers we used last year (Oakline and Brightwood) about
    the prices." The count says how many; the bracket after the counted noun
    ``noun`` (directly, or after a relative clause of up to eight words on
    it) says which, one name per counted thing. The work is once per name,
    named by it, not "supplier 1" and "supplier 2". A bracket holding another
    number of names, or coming after the sentence moved on (a comma, a
    verb of a new clause after "and"), is not the count's list.
    """
    for lst in lists:
        if len(lst.spans) != n or lst.alternatives or lst.start - 1 <= noun or t.words[lst.start - 1].text != "(":
            continue
        gap = range(noun + 1, lst.start - 1)
        if len(gap) > 8 or any(t.words[k].text in (",", ".", ";", ":", "(", ")") or t.low(k) in ("and", "or", "but") for k in gap):
            continue
        if lst.end + 1 < len(t) and t.words[lst.end + 1].text != ")":
            continue  # "(A and B, both in Leeds)": more than the names in the bracket
        return lst
    return None


# Verbs that state what a plural subject is: "the stores are A, B and C".
_COPULAS = frozenset({"are", "were", "include", "includes", "be"})
# Subjects that point at the things just counted without naming their kind.
_POINTERS = frozenset({"they", "these", "those"})


def _class_noun(t: Tree, trig: int) -> str | None:
    """The noun a distributive word is said of ("each store", "every one of our stores")."""
    for k in range(trig + 1, min(trig + 5, len(t))):
        if t.words[k].upos in ("NOUN", "PROPN"):
            return t.lemma(k)
    return None


@reading("I486", "each-defined-next", "'Pull the sales for each store. The stores are A, B and C.': a next sentence that says what the things are, its subject the noun 'each' is said of (or 'they') and a list closing it, names them.")
def defined_next(t: Tree, trig: int, nt: Tree, lst: ItemList) -> bool:
    """"Pull last month's sales for each store. The stores are Leeds, York and
    Hull." The work is said for "each store" with no list before it; the
    next sentence states what the stores are: its subject is that noun in the
    plural (with an article or an owner, "our stores") or "they"/"these", its
    verb "are" or "include", and the list closes it. "The stores are busy on
    Sundays" names nothing; "The shops are A and B" after "each store" is
    about other things.
    """
    if lst.alternatives or lst.end < len(nt) - 2 or any(nt.words[k].text in (".", ";", ":") for k in range(lst.end + 1, len(nt) - 1)):
        return False
    head = lst.start - 1
    if head < 1 or nt.low(head) not in _COPULAS:
        return False
    noun = _class_noun(t, trig)
    subject = head - 1
    if nt.low(subject) in _POINTERS:
        return subject == 0
    if noun is None or nt.lemma(subject) != noun or nt.low(subject) == noun:
        return False  # the plural of the noun "each" was said of
    return all(nt.words[k].upos in ("DET", "PRON", "ADJ", "NUM") for k in range(0, subject))
