"""I451-I452: lists whose members one piece of work returns together.

A list after a verb that looks into or works on each thing is one step per
thing (I201): "research Postgres, MySQL and SQLite" is three looks. Two kinds
of list name no such separate pieces of work:

- I451: the members are details of one record or document that a single
  reading returns at once ("pull out the total and the date", "read the names
  and doses off the label", "just names + start dates"): the details come from
  the same source in the same look; splitting them makes a worker per field.
  The nouns are ``[together] details`` in rules/parse.toml.
- I452: the list is an aside in round brackets, in lower-case common nouns,
  that says what the work covers ("find out how the survey was set up
  (questions, lists, anonymity settings)", "scope what it would take (data
  sources, cost, time)"): the brackets elaborate one piece of work, they do
  not hand out several. Names, file names and a count before the brackets
  ("the three vendors (...)") are items as before.
"""

from __future__ import annotations

from functools import cache

from planner.parser.distribute import ItemList
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import parse_word_sets

doc_only(
    "I451", "details-together",
    "'pull out the total and the date', 'read the names and doses': details of one record that a single reading returns are one step, not one per detail.",
    """Totals, dates, amounts, names, doses, addresses and the like
    (``[together] details`` in rules/parse.toml) are fields of the same
    receipt, label, listing or record. Reading one of them means reading the
    others in the same look, so a list of them under a verb that would
    otherwise work on each member is the object of one step. A list with any
    member that is not such a detail ("the price and the reviews") is read
    as before.""",
)
doc_only(
    "I452", "bracketed-aside",
    "A list of lower-case common nouns in round brackets ('scope it (data sources, cost, time)') says what one piece of work covers; it hands out no items.",
    """Writers put in brackets what they mean by the words before: the parts
    a look covers, examples of the data to use. The bracketed members are
    the scope of the step, not separate work. Names (capitalised words,
    file names, numbers) in brackets, or brackets after a count or "each"
    ("the three vendors (...)") still name items.""",
)


@cache
def _words() -> tuple[frozenset[str], frozenset[str]]:
    details, skip = parse_word_sets("together", "details", "skip")
    return details, skip


def _head(name: str, skip: frozenset[str]) -> list[str]:
    return [w for w in name.lower().replace("+", " ").split() if w not in skip]


def _detail(word: str, details: frozenset[str]) -> bool:
    return word in details or (word.endswith("s") and word[:-1] in details) or (word.endswith("es") and word[:-2] in details)


def together(t: Tree, lst: ItemList, text: str, numbers: frozenset[str]) -> str | None:
    """The reading (I451 or I452) under which ``lst`` is the object of one step, or None."""
    details, skip = _words()
    names = [n for n, _ in lst.names(text)]
    if len(names) < 2:
        return None
    heads = [_head(n, skip) for n in names]
    if all(h and _detail(h[-1], details) for h in heads):
        return "I451"
    if lst.start > 0 and lst.end + 1 < len(t) and t.words[lst.start - 1].text == "(" and t.words[lst.end + 1].text == ")":
        if any(_namelike(n) for n in names) or not all(_common_noun(t, lst, span) for _, span in lst.names(text)):
            return None
        if not _counted_before(t, lst.start - 1, numbers):
            return "I452"
    return None


def _namelike(name: str) -> bool:
    """A name, not a common noun: capitalised, or with digits or the marks of identifiers and files."""
    return name[:1].isupper() or any(c.isdigit() or c in "._-/`@#" for c in name)


def _common_noun(t: Tree, lst: ItemList, span: tuple[int, int]) -> bool:
    """The member has a common noun among its words ("data sources"), not only adjectives ("funny")."""
    return any(t.words[k].upos == "NOUN" for k in range(lst.start, lst.end + 1) if span[0] <= t.words[k].start < span[1])


def _counted_before(t: Tree, bracket: int, numbers: frozenset[str]) -> bool:
    """A count or "each" in the clause before the bracket ("3 versions of the description (...)"):
    the bracketed members are the counted things, items as before."""
    for k in range(bracket - 1, max(-1, bracket - 13), -1):
        low = t.low(k)
        if low in (".", ";", ":", "!", "?"):
            break
        if low in numbers or low.isdecimal() or low in ("each", "every", "both", "all"):
            return True
    return False
