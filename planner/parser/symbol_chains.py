"""Stage separators other than arrows: "pull it > clean it > chart it", "1) pull 2) clean 3) chart".

The front cuts a unit at its arrows (front.py); these are more marks of the
same cut, read from the word classes of ``[symbol_chains]`` in rules/parse.toml.
A symbol that also compares (">") breaks a stage only where it stands spaced
between two words, neither a number, a single letter nor a word with digits,
and not inside a condition ("if churn > budget").
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from functools import cache

from planner import lazyre, tomlcache
from planner.parser.readings import doc_only

doc_only(
    "T020", "symbol-chain",
    "A spaced '>', '>>', '|>', '—>' or '/ then' between two words chains stages like an arrow ('pull the data > clean it > chart it'); never before a number, beside a single letter or inside a condition ('if p95 > 300 ms', 'a > b').",
    """Chat writers draw the arrow between stages with whatever is at hand:
    a bare arrow head, a doubled one, a pipe operator, a dash the editor
    turned long, or a slash before "then". Each is a stage break only where
    it separates two phrases: spaced, with a word of two or more letters on
    each side, no digits in the word before, and no word that opens a
    condition or compares ("if", "where", "is") earlier in its clause.
    Comparisons, ">=" and mail quote markers are thereby kept.""",
)
doc_only(
    "T021", "inline-numbered-stages",
    "Numbers in one line with nothing else between the members ('1) pull the data 2) clean it 3) chart it', '(a) ... (b) ...') are stages in that order; with commas, 'or' or a choosing word the list readings decide (I273).",
    """A numbered list written into one line is a procedure when only the
    numbers separate its members and the first opens the line or follows a
    colon: each member becomes a unit chained after
    the one before, as after an arrow. Members separated by commas or "or",
    a question, a command that looks into things just before the colon
    ("verify:"), or a word that announces choices or conditions before the
    first number ("options", "requirements", "pick") are left to the option
    and item readings; members that open with a name and a colon are parts
    of their own (I332).""",
)


@cache
def _table() -> dict[str, list[str]]:
    t = tomlcache.read_builtin("parse.toml", "parser settings").get("symbol_chains", {})
    return {k: [str(x) for x in v] for k, v in t.items()}


@cache
def _spaced_re() -> re.Pattern[str]:
    syms = sorted(_table().get("spaced", ()), key=len, reverse=True)
    alts = "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in syms)
    # starts only where a run of blanks starts, so a long run is scanned once
    return re.compile(rf"(?<![ \t])[ \t]+(?:{alts})[ \t]+")


_WORD_BEFORE = lazyre.compile(r"(?:^|[\s(])([^\W\d_][^\W\d_'’-]+)[)\]]?$")
_WORD_AFTER = lazyre.compile(r"^[(\[]?[^\W\d_]{2}")
_CLAUSE_END = lazyre.compile(r"[.;:!?,\n]|->|=>|→")
_WORDS = lazyre.compile(r"[^\W\d_]+")


def symbol_marks(view: str, start: int, end: int) -> list[tuple[int, int]]:
    """T020: spans of ``view[start:end]`` where a spaced symbol chains two stages."""
    if ">" not in view[start:end] and "/" not in view[start:end]:
        return []
    comparing = frozenset(_table().get("comparing", ()))
    out: list[tuple[int, int]] = []
    last = start  # end of the symbol before: each symbol looks back no further (linear in the unit)
    for m in _spaced_re().finditer(view, start, end):
        since = max(last, view.rfind("\n", last, m.start()) + 1)
        last = m.end()
        before = view[since : m.start()]
        if not _WORD_BEFORE.search(before) or not _WORD_AFTER.match(view[m.end() : min(end, m.end() + 4)]):
            continue  # a number, a single letter, a quote marker at the line start
        cut = max((x.end() for x in _CLAUSE_END.finditer(before)), default=0)
        if any(w in comparing for w in _WORDS.findall(before[cut:].lower())):
            continue  # "if churn > budget": a condition compares
        out.append((m.start(), m.end()))
    # a symbol of "twice" said once in its line compares; twice or more it draws a chain
    twice = frozenset(_table().get("twice", ()))
    said: list[tuple[int, str]] = []
    line, at = 0, start
    for a, b in out:
        line, at = line + view.count("\n", at, a), a
        said.append((line, view[a:b].strip()))
    times = Counter(said)
    return [m for m, k in zip(out, said, strict=True) if k[1] not in twice or times[k] >= 2]


# "1) ", "(2) ", "a) ", "(b) " inside a line: a space (or the unit start) before it.
_MARKER = lazyre.compile(r"(?:(?<=\s)|^)\(?(\d{1,2}|[a-h])\)\s+(?=\S)")


_OPENED = lazyre.compile(r"^\s*\(?(?:1|a)\)\s*$")


def _rank(token: str) -> int:
    return int(token) if token.isdigit() else ord(token) - ord("a") + 1


def numbered_marks(view: str, start: int, end: int) -> list[tuple[int, int]]:
    """T021: spans of the numbers of a numbered procedure written in one line (none if it is no procedure)."""
    body = view[start:end]
    if ")" not in body or "?" in body or "\n" in body.strip():
        return []
    marks = list(_MARKER.finditer(view, start, end))
    # a line that opens with "1) " is a list item whose first number the front has taken
    first = 2 if _OPENED.search(view[view.rfind("\n", 0, start) + 1 : start]) else 1
    if len(marks) < 3 - first or not marks or _rank(marks[0].group(1)) != first:
        return []
    if any(_rank(b.group(1)) != _rank(a.group(1)) + 1 for a, b in itertools.pairwise(marks)):
        return []
    lead = view[start : marks[0].start()].rstrip()
    if first == 1 and lead and not lead.endswith((":", "-", "—")):
        return []  # "fix 1) the login bug and 2) the logout bug": numbered objects of one command
    said_before = _WORDS.findall(lead.lower())
    if said_before and said_before[-1] in frozenset(_table().get("looking_into", ())):
        return []  # "please verify: (1) ... (2) ...": things the one command looks into
    for m in marks[1:]:
        gap = " " + view[max(start, m.start() - 5) : m.start()].rstrip().lower()
        if gap.endswith((",", ";", " or", " and")):
            return []  # "(1) a cron job, (2) a queue": members of a list, for the list readings
    if ":" in view[marks[0].end() : end]:
        return []  # "a) web: build it b) docs: fix links": labelled parts, each its own stream (I332)
    choosing = frozenset(_table().get("choosing", ()))
    if any(w in choosing for w in _WORDS.findall(view[start : marks[0].start()].lower())):
        return []  # "two options: (a) ... (b) ...": choices, I273
    return [(start + len(view[start : m.start()].rstrip()) if m.start() > start else m.start(), m.end()) for m in marks]
