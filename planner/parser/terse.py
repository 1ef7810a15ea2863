"""Verbless requests that name data to get for a list of things (S140, S141).

Engineers write requests as noun phrases: "<figures> for A, B and C + put them
in one table", "<versions> across X / Y / Z -> one table, flag drift". No verb
asks for the work, so the clause readings find one step or none, yet the line
asks for the data to be fetched once per thing, then joined. The noun phrase
that opens the line names the data ([data_nouns] in rules/words.toml); the list
right after it (behind "for", "across", "of", "on", "in", "from" or a colon)
names the things; whatever follows a separator ("->", "+", a colon after the
list, a comma, the next short line) joins the results.

A statement that opens with a noun ("Coverage is low on the API") has a verb in
its line and is left to the clause readings; a lookup of one thing ("p95
latency for the API last week") has no list and stays one step.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from planner import tomlcache
from planner.errors import RuleFileError
from planner.parser.clauses import Pred
from planner.parser.distribute import ItemList, find_lists
from planner.parser.readings import reading
from planner.parser.tree import Tree

# "p95", "p50/p99", "p99.9": a percentile names a measurement whatever its tag.
_PERCENTILE = re.compile(r"^p\d{2,3}(?:\.\d+)?(?:/p\d{2,3}(?:\.\d+)?)*$", re.IGNORECASE)
# Words of the opening noun phrase (the tagger reads "node" or "p95" as an adjective or a number).
_PHRASE_TAGS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "DET", "X"})
# Words between the data and its list: "for", "across", "of the", ":".
_LINKS = frozenset({"for", "across", "of", "on", "in", "from", "per", "over", "at", ":", "the", "all", "our", "each", "every"})
# Separators that end the fetching part of a terse line and start the joining part.
_STAGE_MARKS = frozenset({"->", "→", "=>", "+", "⇒"})
# A following line this short, with no verb, can only be a note on the result ("one CSV").
_SHORT_TAIL = 8
# A note that names the result, then what to do with it ("-> one table, call out the drift"): a few words more.
_LONG_TAIL = 12
# Words of the place phrase before a colon and its list ("for the backend: A, B, C").
_PLACE_WORDS = 5
# The verbs the steps are read with: fetching data is exploring; joining the results is synthesis.
FETCH_VERB = "collect"
JOIN_VERB = "tabulate"


@cache
def _classes() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    table = tomlcache.read_builtin("words.toml", "word classes").get("data_nouns", {})
    if not isinstance(table, dict):
        raise RuleFileError("[data_nouns] must be a table", path="rules/words.toml")
    out: list[frozenset[str]] = []
    for key in ("words", "joins", "join_verbs"):
        vals = table.get(key, [])
        if not isinstance(vals, list) or not all(isinstance(v, str) for v in vals):
            raise RuleFileError(f"[data_nouns] {key} must be a list of words", path="rules/words.toml")
        out.append(frozenset(v.lower() for v in vals))
    return out[0], out[1], out[2]


def _said(t: Tree, k: int, text: str) -> str:
    """The word as written (the tree's own text masks identifiers such as "p50/p99")."""
    return text[t.words[k].start : t.words[k].end] if text else t.words[k].text


def _data_word(t: Tree, k: int, text: str) -> bool:
    data, _, _ = _classes()
    return t.low(k) in data or t.lemma(k) in data or bool(_PERCENTILE.match(_said(t, k, text)))


def _opening_phrase(t: Tree, text: str) -> int:
    """The end (exclusive) of the noun phrase that opens the sentence, 0 if it opens with something else."""
    j = 0
    while j < len(t) and (t.words[j].upos in _PHRASE_TAGS or _PERCENTILE.match(_said(t, j, text))) and t.low(j) not in _LINKS:
        j += 1
    return j


def _stage_end(t: Tree, after: int) -> int:
    """The first separator after word ``after`` that ends the fetching part (the sentence's end if none)."""
    return next((k for k in range(after + 1, len(t)) if t.words[k].text in _STAGE_MARKS), len(t))


def _after_opening(t: Tree, lst: ItemList, j: int) -> ItemList | None:
    """``lst`` if it starts after the opening phrase; a list whose first item took the
    opening phrase in ("p95 latency for cache-a, cache-b and cache-c") without it."""
    if lst.start >= j:
        return lst
    k = j
    while k < len(t) and t.low(k) in _LINKS:
        k += 1
    if k == j or k >= len(t) or t.words[k].start >= lst.spans[0][1]:
        return None
    return replace(lst, spans=((t.words[k].start, lst.spans[0][1]), *lst.spans[1:]), start=k)


def _glued_text(t: Tree, k: int) -> str:
    """The word at ``k`` with the words glued to it by hyphens ("side-by-side"), lower case."""
    out = t.low(k)
    while k + 2 < len(t) and t.words[k + 1].text == "-" and t.words[k + 1].start == t.words[k].end and t.words[k + 2].start == t.words[k + 1].end:
        out += "-" + t.low(k + 2)
        k += 2
    return out


def _list_after(t: Tree, head: int, j: int, text: str) -> tuple[ItemList, int] | None:
    """(the list, end of the fetching part) for data named by ``head`` whose phrase ends
    before word ``j``: a list right behind a preposition ("for A, B and C") or behind a
    colon after a short place phrase ("for the backend: A, B, C"), and no verb but the
    list's own words up to the separator that ends the part."""
    lst = next((x for x in (_after_opening(t, x, j) for x in find_lists(t)) if x is not None), None)
    if lst is None or lst.start == j:
        return None
    links = range(j, lst.start)
    placed = t.low(lst.start - 1) == ":" and lst.start - j <= _PLACE_WORDS and t.low(j) in _LINKS
    if not (all(t.low(k) in _LINKS for k in links) or placed):
        return None
    end = _stage_end(t, lst.end)
    listed = set(range(lst.start, lst.end + 1))
    if any(t.words[k].upos in ("VERB", "AUX") for k in range(head + 1, end) if k not in listed):
        return None  # "Latency for A and B is fine": a statement, not a request
    return lst, end


@reading("S140", "data-for-each", "A verbless line that opens with data or a measurement to get ('versions across A, B and C'), or a wish for such data, asks to fetch it for each thing listed.")
def data_request(t: Tree, text: str = "") -> tuple[int, ItemList, int] | None:
    """(head noun, the list, end of the fetching part) when the sentence opens
    with a noun phrase naming data ([data_nouns]: "coverage numbers", "p95
    latency", "a dependency inventory") and a list follows it behind a
    preposition or a colon, with no verb in the part before a separator.
    "Coverage is low on A and B" has a verb; "latency for the API" no list.
    """
    j = _opening_phrase(t, text)
    if j == 0:
        return None
    head = j - 1
    if t.words[head].upos == "DET" or not _data_word(t, head, text):
        return None  # "metrics exporters: A and B" names things to build, not data
    if any(t.words[k].upos in ("VERB", "AUX") for k in range(head)):
        return None
    found = _list_after(t, head, j, text)
    return None if found is None else (head, *found)


def _wished_data(t: Tree, p: Pred, text: str) -> tuple[ItemList, int] | None:
    """The list and the end of the fetching part when ``p`` is data a wish asks for
    ("need the versions for A, B and C", S109) and nothing but the wish comes before it."""
    if p.kind != "wanted" or "S109" not in p.codes or not _data_word(t, p.i, text):
        return None
    j = p.i + 1
    return _list_after(t, p.i, j, text)


@reading("S141", "joined-after-data", "After a verbless line of data fetched for each thing, a verbless note on the result ('-> one table', '. one CSV', ', side-by-side') is the step that joins them.")
def join_at(t: Tree, lo: int, hi: int) -> int | None:
    """After "python versions across A, B and C", a note with no verb of its
    own ("-> one table", ", side-by-side", "one CSV" on the next line) names
    the result that combines what was fetched for each thing: that is the
    joining step. A verb with a joining particle ("+ sum it up") is read as
    that step too. Returns the word of ``t[lo:hi]`` that names the result."""
    _, joins, _ = _classes()
    if lo >= hi or any(t.words[k].upos in ("VERB", "AUX") for k in range(lo, hi)):
        return None
    # the last such word heads the phrase ("a side-by-side table")
    return max((k for k in range(lo, hi) if t.low(k) in joins or t.lemma(k) in joins or _glued_text(t, k) in joins), default=None)


def _tail_join(trees: Sequence[Tree], at: int, end: int, lst: ItemList, taken: set[tuple[int, int]]) -> Pred | None:
    """The joining step after the fetching part of ``trees[at]``: after its separator,
    after a comma behind the list, else the next sentence when it is a short verbless note."""
    t = trees[at]
    if any((at, k) in taken for k in range(end, len(t))):
        return None  # the line says its joining step with a verb ("+ put them in one table")
    spots: list[tuple[Tree, int, int]] = []
    if end < len(t):
        spots.append((t, end + 1, len(t)))
    else:
        comma = next((k for k in range(lst.end + 1, len(t)) if t.words[k].text == ","), None)
        if comma is not None:
            spots.append((t, comma + 1, len(t)))
        if at + 1 < len(trees) and len(trees[at + 1]) <= _SHORT_TAIL and not any((at + 1, k) in taken for k in range(len(trees[at + 1]))):
            spots.append((trees[at + 1], 0, len(trees[at + 1])))
    for tree, lo, hi in spots:
        k = join_at(tree, lo, hi)
        if k is not None:
            return Pred(tree, k, JOIN_VERB, "wanted", ["S141"], anchor=k)
    return None


def _named_result_then_verb(trees: Sequence[Tree], at: int, end: int, preds: Sequence[Pred]) -> None:
    """"-> one table, call out the mismatches": the note names the joined result, then
    says what to do with it; the one step after the result's name joins the results."""
    t = trees[at]
    lo, tree = (end + 1, t) if end < len(t) else (0, trees[at + 1] if at + 1 < len(trees) else None)
    if tree is None or len(tree) - lo > _LONG_TAIL:
        return
    after = sorted((p for p in preds if p.tree is tree and p.i >= lo), key=lambda p: p.i)
    if len(after) == 1 and after[0].kind == "verb" and join_at(tree, lo, after[0].i) is not None:
        after[0].verb = JOIN_VERB
        after[0].codes.append("S141")


def _joins_up(t: Tree, i: int) -> bool:
    """A verb with its particle ("roll them up", "sum it up") that means joining results ([data_nouns] join_verbs)."""
    _, _, verbs = _classes()
    return any(f"{t.lemma(i)} {t.low(c)}" in verbs for c in t.children(i, "compound"))


def terse_requests(trees: Sequence[Tree], preds: Sequence[Pred], text: str) -> list[Pred]:
    """The predicates with S140/S141 steps added, in text order.

    A line the clause readings already read a step in before its separator
    keeps its reading: only verbless data lines are read here.
    """
    index = {id(t): n for n, t in enumerate(trees)}
    guess = next((p for p in preds if p.codes[:1] == ["S119"] and data_request(p.tree, text) is not None), None)
    if guess is not None:
        preds = [p for p in preds if p is not guess]  # the likeliest word of a line with no step: this reading reads it
    taken = {(index[id(p.tree)], p.i) for p in preds if id(p.tree) in index}
    added: list[Pred] = []
    wished = {id(p.tree): p for p in preds if "S109" in p.codes}
    for at, t in enumerate(trees):
        found = data_request(t, text)
        if found is not None:
            head, lst, end = found
            listed = range(lst.start, lst.end + 1)
            if any((at, k) in taken for k in range(end) if k not in listed):
                continue
            if all(t.low(k) == ":" for k in range(head + 1, lst.start)) and any(i != at for i, _ in taken):
                continue  # "Latency: A, B and C" over text that asks for work elsewhere is a heading or a label
            added.append(Pred(t, head, FETCH_VERB, "noun", ["S140"], anchor=head))
            taken.add((at, head))
        elif (p := wished.get(id(t))) is not None and "I560" not in p.codes and (got := _wished_data(t, p, text)) is not None:
            # (I560: "two versions of the invite: a formal one and a casual one" are made, not fetched)
            lst, end = got
            listed = range(lst.start, lst.end + 1)
            if any((at, k) in taken for k in range(p.i + 1, end) if k not in listed):
                continue
            p.verb = FETCH_VERB  # "I need the versions for A, B and C": fetched, not made
            p.codes.append("S140")
        else:
            continue
        for p in preds:
            if p.tree is t and p.i > end and p.kind == "verb" and _joins_up(t, p.i):
                p.verb = JOIN_VERB  # "+ roll them up": the results are combined
                p.codes.append("S141")
        join = _tail_join(trees, at, end, lst, taken)
        if join is None:
            _named_result_then_verb(trees, at, end, preds)
        if join is not None:
            added.append(join)
            taken.add((index[id(join.tree)], join.i))
    if not added:
        return list(preds)
    return sorted([*preds, *added], key=lambda p: (index.get(id(p.tree), -1), p.i))
