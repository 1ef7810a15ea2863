"""Streams over a counted list of things each said with its own clause (I333).

"Three tables, independent: `orders` add a column, `users` drop a column,
`events` add a partition. Each: write it, test it, ship." The list "each"
points back to is a list of clauses, one per thing, and the list reader cuts
it at the wrong words ("column", "`events`"): the streams come out fewer than
the things the text counted. When the text counts its things ("three
tables", "two fixes") and the part after the count's colon holds exactly
that many pieces cut by commas or semicolons, each opening with a name
followed by its own verb or nothing, those names are the streams, each with
the stages the streams had.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from planner.parser.readings import doc_only
from planner.parser.words import small_count

if TYPE_CHECKING:
    from planner.parser.assemble import Draft, _State
    from planner.parser.tree import Tree

doc_only(
    "I333", "counted-things-by-clause",
    "A counted list of things each said with its own clause ('three tables: `orders` add a column, `users` drop one, `events` add a partition. each: write, test, ship') gives one stream per thing, though the list reader cut the clauses elsewhere.",
    """Streams read from a list (I205, I207) whose sentence counts its
    things before a colon ("three tables", "2 fixes, unrelated:") while
    the streams are fewer or more than that count are read again: when
    the words after the colon are exactly that many pieces cut by commas
    or semicolons, and each piece opens with a name (a word in back
    quotes, or a noun phrase of up to four words) followed by a verb or by
    nothing, those names are the streams, each going through the stages
    the streams had, in the same order. Where the streams are as many as
    the count, they are read again only when every piece is a clause of
    its own and the streams' names are other words of it.""",
)

# The longest name that opens a piece ("the signup page"); a longer one is prose.
_MAX_NAME = 4
_NAME_TAGS = frozenset({"NOUN", "PROPN", "ADJ", "X", "NUM"})


def _count_before(st: _State, t: Tree, colon: int) -> int | None:
    """The number the words before the colon count things with ("three tables", "3 migrations")."""
    for k in range(colon):
        low = t.low(k)
        n = small_count(low, st.words.number_words, figures=1)
        if n is not None and k + 1 < colon and t.words[k + 1].upos in ("NOUN", "PROPN"):
            return n
    return None


def _pieces(t: Tree, lo: int) -> list[tuple[int, int]]:
    """The pieces of ``t[lo:]`` cut at commas and semicolons (an "and" after the cut is no word of a piece)."""
    out: list[tuple[int, int]] = []
    s = lo
    for k in range(lo, len(t)):
        if t.words[k].text in (",", ";") or (t.words[k].upos == "PUNCT" and k == len(t) - 1):
            if k > s:
                out.append((s, k))
            s = k + 1
            while s < len(t) and t.low(s) in ("and", "&"):
                s += 1
    if s < len(t):
        out.append((s, len(t)))
    return out


def _name(st: _State, t: Tree, lo: int, hi: int) -> tuple[str, tuple[int, int]] | None:
    """The name a piece opens with, when a verb or nothing follows it."""
    text = st.front.text
    k = lo
    while k < hi and t.words[k].upos == "DET":
        k += 1
    first = k
    if k < hi and text[t.words[k].start] == "`":
        k += 1  # "`orders` add a column": a name in back quotes is one word
    else:
        while k < hi and t.words[k].upos in _NAME_TAGS and k - first < _MAX_NAME:
            k += 1
    if k == first or (k < hi and t.words[k].upos not in ("VERB", "AUX")):
        return None
    span = (t.words[first].start, t.words[k - 1].end)
    return text[span[0] : span[1]], span


def _clause(t: Tree, lo: int, hi: int) -> bool:
    """The piece says something of its name with a verb of its own."""
    return any(t.words[k].upos in ("VERB", "AUX") for k in range(lo, hi))


def counted_clause_streams(st: _State) -> None:
    """I333: streams over the things a counted list names clause by clause."""
    for g in [g for g in st.groups if g.kind == "streams"]:
        ks = [k for k, d in enumerate(st.drafts) if d.group == g.id]
        if not ks or ks != list(range(ks[0], ks[-1] + 1)):
            continue
        ds = [st.drafts[k] for k in ks]
        if not all({"I205", "I207"} & set(d.codes) for d in ds):
            continue
        names = list(dict.fromkeys(d.item or "" for d in ds))
        first = [d for d in ds if d.item == names[0]]
        spans = [d.item_span for d in ds if d.item_span is not None]
        if len(first) < 2 or not spans:
            continue
        at = min(s[0] for s in spans)
        t = next((x for x in st.trees if x.words and x.words[0].start <= at <= x.words[-1].end), None)
        if t is None:
            continue
        colon = next((k for k in range(len(t)) if t.words[k].text in (":", "：")), None)
        if colon is None or colon + 1 >= len(t):
            continue
        count = _count_before(st, t, colon)
        pieces = _pieces(t, colon + 1)
        if count is None or len(pieces) != count:
            continue
        found = [_name(st, t, a, b) for a, b in pieces]
        said = [n for n in found if n is not None]
        if len(said) != count or len({re.sub(r"\W", "", n.lower()) for n, _ in said}) < count:
            continue
        # as many streams as things counted: read again only where every piece is a clause of its
        # own ("the login page needs a captcha, the signup page needs a consent box") and the
        # streams took other words of it for names
        if count == len(names) and (sorted(names) == sorted(n for n, _ in said) or not all(_clause(t, a, b) for a, b in pieces)):
            continue
        made: list[Draft] = []
        for name, span in said:
            made.extend(replace(d, item=name, item_span=span, stage=n, after=set(), codes=[*d.codes, "I333"])
                        for n, d in enumerate(first))
        st.drafts[ks[0] : ks[-1] + 1] = made
        st.groups[st.groups.index(g)] = replace(g, names=tuple(n for n, _ in said), count=count)
