"""Find enumerations inside a clause: "A, B and C", "(EU, US, APAC)", ": x, y, z", counts.

An enumeration becomes a group of parallel steps (or lanes), one per item, so
the items must be short noun phrases; anything longer is treated as prose.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.parser.lexicon import Lexicon
from planner.parser.segment import Token

NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "a pair of": 2,
    "dozen": 12, "both": 2, "pair": 2,
}
# Words that end an item on its right or start one on its left: prepositions,
# question words and relative words that begin a different phrase.
_STOPPERS = frozenset(
    ["of", "for", "in", "on", "at", "with", "from", "to", "about", "across", "into", "onto", "by", "under", "over", "within", "without", "between", "against", "how", "what", "why", "where", "whether", "which", "who", "that", "when", "while", "until", "than", "per", "via", "handle", "handles", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "can", "could", "should", "would", "will", "shall", "may", "might", "must"]
)
_CONJ = frozenset({"and", "or", "vs", "versus", "vs."})
MAX_ITEM_TOKENS = 8
MAX_WINDOW = 200  # tokens after the verb searched for an enumeration


@dataclass(frozen=True)
class Item:
    start: int  # character offsets in the task text
    end: int
    text: str


@dataclass(frozen=True)
class Enumeration:
    items: tuple[Item, ...]
    kind: str  # "colon", "paren", "dash", "comma", "pair"
    conjunction: str  # "and", "or", "vs" or ","
    first_token: int  # token range covered inside the clause
    last_token: int


def _depth_marks(tokens: tuple[Token, ...]) -> list[int]:
    depth = 0
    marks: list[int] = []
    for t in tokens:
        if t.text in {")", "]", "}"}:
            depth = max(0, depth - 1)
        marks.append(depth)
        if t.text in {"(", "[", "{"}:
            depth += 1
    return marks


def _split_items(
    tokens: tuple[Token, ...], lo: int, hi: int, marks: list[int] | None = None
) -> list[tuple[int, int]] | None:
    """Split ``tokens[lo:hi]`` on commas and the last conjunction into item ranges."""
    marks = marks if marks is not None else _depth_marks(tokens)
    base = marks[lo] if lo < len(marks) else 0
    commas = [i for i in range(lo, hi) if tokens[i].text == "," and marks[i] == base]
    ranges: list[tuple[int, int]] = []
    prev = lo
    for c in commas:
        ranges.append((prev, c))
        prev = c + 1
    ranges.append((prev, hi))
    oxford = len(ranges) >= 3 and tokens[ranges[-1][0]].low in _CONJ if ranges[-1][0] < hi else False
    if oxford:
        ranges[-1] = (ranges[-1][0] + 1, ranges[-1][1])
    else:
        a, b = ranges[-1]
        conj = [i for i in range(a, b) if tokens[i].low in _CONJ and marks[i] == base]
        if conj:
            k = conj[-1] if len(ranges) > 1 else conj[0]
            ranges[-1:] = [(a, k), (k + 1, b)]
    # Drop leading conjunctions left on items ("and C" after a comma).
    cleaned: list[tuple[int, int]] = []
    for a, b in ranges:
        while a < b and tokens[a].low in _CONJ:
            a += 1
        if a >= b:
            return None
        cleaned.append((a, b))
    return cleaned if len(cleaned) >= 2 else None


def _trim_last(lex: Lexicon, tokens: tuple[Token, ...], a: int, b: int) -> int:
    """Cut the last item where another phrase begins ("Laravel handle ...")."""
    for i in range(a + 1, b):
        t = tokens[i]
        if (not t.is_word and t.text not in {"'", "’", "-"}) or t.low in _STOPPERS:
            return i
        if t.low.endswith("ly") and len(t.low) > 4:
            return i  # "French and German separately": the adverb is not part of the item
    return b


def _trim_first(tokens: tuple[Token, ...], a: int, b: int, floor: int) -> int:
    """Start the first item after the last stopper before its comma."""
    i = b - 1
    while i >= max(a, floor):
        t = tokens[i]
        if t.low in _STOPPERS or t.text in {":", "(", "-", "—", "–"}:
            return i + 1
        i -= 1
    return max(a, floor)


def _items(tokens: tuple[Token, ...], ranges: list[tuple[int, int]]) -> tuple[Item, ...] | None:
    out: list[Item] = []
    for a, b in ranges:
        while a < b and not tokens[a].is_word and tokens[a].text not in {'"', "'", "`"}:
            a += 1
        while b > a and not tokens[b - 1].is_word and tokens[b - 1].text not in {'"', "'", "`", ")"}:
            b -= 1
        if a >= b or b - a > MAX_ITEM_TOKENS:
            return None
        out.append(Item(tokens[a].start, tokens[b - 1].end, ""))
    return tuple(out)


def find_enumeration(
    lex: Lexicon, tokens: tuple[Token, ...], lo: int, *, allow_pair: bool, whole_first: bool = False
) -> Enumeration | None:
    """The first enumeration in ``tokens[lo:]``.

    ``allow_pair``: also accept two items joined only by "and"/"or" ("compare
    GraphQL and REST"), which is otherwise too often one thing ("salt and
    pepper") to split. ``whole_first``: the first item starts at ``lo`` ("I
    want the memo put into French, a reply and a short digest").
    """
    # Enumerations sit near the verb; looking at a bounded window keeps a
    # pathological clause (thousands of commas or colons) linear.
    tokens = tokens[: lo + MAX_WINDOW]
    n = len(tokens)
    marks = _depth_marks(tokens)
    # 1. A parenthesised list: "dashboards (EU, US, APAC, LATAM)".
    for i in range(lo, n):
        if tokens[i].text == "(":
            close = next((k for k in range(i + 1, n) if tokens[k].text == ")" and marks[k] == marks[i]), None)
            if close is not None:
                ranges = _split_items(tokens, i + 1, close, marks)
                if ranges and all(b - a <= 4 for a, b in ranges):
                    items = _items(tokens, ranges)
                    if items:
                        return Enumeration(items, "paren", _conj(tokens, i + 1, close), i, close)
    # 2. After a colon or a dash: "codebase: structure, conventions, build system".
    for i in range(lo, n):
        if tokens[i].text in {":", "-", "—", "–"} and marks[i] == 0 and tokens[i].start > 0:
            end = next(
                (k for k in range(i + 1, n) if tokens[k].text in {"-", "—", "–", ";", "?", "!"} and marks[k] == 0),
                n,
            )
            ranges = _split_items(tokens, i + 1, end, marks)
            if ranges and (len(ranges) >= 3 or _conj(tokens, i + 1, end) != "and" or allow_pair):
                last_a, last_b = ranges[-1]
                ranges[-1] = (last_a, _trim_last(lex, tokens, last_a, last_b))
                items = _items(tokens, ranges)
                if items:
                    kind = "colon" if tokens[i].text == ":" else "dash"
                    return Enumeration(items, kind, _conj(tokens, i + 1, end), i, ranges[-1][1])
    # 3. A plain run "A, B and C" (or "A and B" when pairs are allowed).
    commas = [i for i in range(lo, n) if tokens[i].text == "," and marks[i] == 0]
    # "its tokens, detecting entities such as dates, people, and places": a
    # list that goes on after "such as" inside one of its items is the
    # examples, so the run starts there.
    if commas and not whole_first:
        marker = next(
            (i + 1 for i in range(commas[0] + 1, n - 1)
             if marks[i] == 0 and (tokens[i].low, tokens[i + 1].low) == ("such", "as")),
            None,
        )
        # A list closed before "such as" ("A, B, and providers such as X, Y") keeps its own items.
        closed = marker is not None and any(tokens[i].low in _CONJ and marks[i] == 0 for i in range(lo, marker))
        if marker is not None and not closed and any(c > marker for c in commas):
            lo = marker + 1
            commas = [c for c in commas if c > lo]
    conjs = [i for i in range(lo, n) if tokens[i].low in _CONJ and marks[i] == 0]
    if commas and conjs and conjs[-1] > commas[0]:
        first_comma = commas[0]
        # "the frontend, backend and infrastructure for accessibility, security and
        # cost": a conjunction between two commas closes the first list there.
        for k in range(1, len(commas)):
            if any(commas[k - 1] < c < commas[k] for c in conjs):
                commas = commas[:k]
                break
        last_conj = next(c for c in conjs if c > commas[-1]) if any(c > commas[-1] for c in conjs) else None
        if last_conj is not None:
            start = lo if whole_first else _trim_first(tokens, lo, first_comma, lo)
            end = _trim_last(lex, tokens, last_conj + 1, n)
            ranges = _split_items(tokens, start, end, marks)
            if ranges and len(ranges) >= 3:
                items = _items(tokens, ranges)
                if items:
                    return Enumeration(items, "comma", _conj(tokens, start, end), start, end)
    if allow_pair and conjs:
        c = conjs[0]
        start = lo if whole_first else _trim_first(tokens, lo, c, lo)
        end = _trim_last(lex, tokens, c + 1, n)
        if start < c < end - 0 and c + 1 < end:
            items = _items(tokens, [(start, c), (c + 1, end)])
            if items:
                return Enumeration(items, "pair", tokens[c].low.rstrip("."), start, end)
    if allow_pair:
        # "a summary along with an image of it", "a report as well as a chart":
        # two things joined by a phrase that works like "and".
        for c in range(lo + 1, n - 2):
            width = _AND_PHRASES.get((tokens[c].low, tokens[c + 1].low), 0)
            if not width or (width == 3 and tokens[c + 2].low != "as") or marks[c] != 0:
                continue
            start = lo if whole_first else _trim_first(tokens, lo, c, lo)
            end = _trim_last(lex, tokens, c + width, n)
            if start < c and c + width < end:
                items = _items(tokens, [(start, c), (c + width, end)])
                if items:
                    return Enumeration(items, "pair", "and", start, end)
            break
    return None


# Phrases that join two things the way "and" does: (first word, second word) -> length.
_AND_PHRASES = {("along", "with"): 2, ("together", "with"): 2, ("as", "well"): 3}


def _conj(tokens: tuple[Token, ...], a: int, b: int) -> str:
    for i in range(b - 1, a - 1, -1):
        if tokens[i].low in _CONJ:
            return "vs" if tokens[i].low.startswith("v") else tokens[i].low
    return ","


@dataclass(frozen=True)
class Count:
    value: int
    noun: str
    start: int
    end: int
    token: int  # index of the number token


def find_count(tokens: tuple[Token, ...], lo: int = 0) -> Count | None:
    """A number of things: "three approaches", "each of the 5 interviews"."""
    n = len(tokens)
    for i in range(lo, n):
        word = tokens[i].low
        value: int | None = None
        if word.isascii() and word.isdigit() and len(word) <= 3:
            value = int(word)
        elif word in NUMBER_WORDS and word not in {"both", "pair", "dozen"}:
            value = NUMBER_WORDS[word]
        if value is None or not 2 <= value <= 999:
            continue
        if i > 0 and tokens[i - 1].text in {"#", "."} and tokens[i - 1].end == tokens[i].start:
            continue  # "PR #482", "Python 3.12": a name, not a count
        # The counted noun: a plural within the next three words, before any preposition.
        for k in range(i + 1, min(n, i + 5)):
            t = tokens[k]
            if k == i + 1 and t.low == "of":
                continue  # "3 of our services"
            if not t.is_word or t.low in _STOPPERS:
                break
            if t.low.endswith("s") and not t.low.endswith("ss") and len(t.low) > 2:
                return Count(value, t.text, tokens[i].start, t.end, i)
    return None
