"""I500: names glued by slashes in one word ("the Leeds/York/Hull libraries") are a list.

The syntax model reads a slash written without spaces as part of one word, so
the list reader, which reads lists by their separators between words, never
sees "Oslo/Bergen/Tromso offices" as three offices. Such a word is a list of
names when its parts are names (each carries a capital letter) and either a
plural noun after it says there are several of them ("the Mac/Linux builds"),
or there are three or more parts. Two parts alone stay one thing said two
ways ("TCP/IP", "the names/descriptions", I388), as do all-capital pairs and
one-letter parts ("A/B test", "CI/CD") and paths or file names (dots, a
leading slash).
"""

from __future__ import annotations

import re

from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I500", "slashed-names",
    "In 'check the Oslo/Bergen/Tromso offices' the items are Oslo, Bergen and Tromso: names glued by slashes before a plural noun are a list.",
    """A writer in a hurry joins names with slashes and no spaces, and the
    syntax model keeps the whole run as one word. When every part carries a
    capital letter (a name) and a plural noun after it counts them, or there
    are three or more parts, each part is a member. Two parts with no plural
    noun after them, all-capital pairs ("CI/CD") and one-letter parts
    ("A/B") stay one thing; a word with dots or a leading slash is a path.""",
)

# A part: a name of two or more letters, digits or hyphens, with a capital letter in it.
_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]+")
_NOMINAL = frozenset({"PROPN", "NOUN", "ADJ", "X", "NUM"})


def _plural(t: Tree, k: int) -> bool:
    """A plural noun: its lemma differs from the word and the word ends in "s" ("libraries")."""
    return t.words[k].upos == "NOUN" and t.lemma(k) != t.low(k) and t.low(k).endswith("s")


def _glued_slash(t: Tree, k: int) -> bool:
    """Word ``k`` is a slash written with no space on either side."""
    return (0 < k < len(t) - 1 and t.words[k].text == "/" and t.words[k - 1].end == t.words[k].start
            and t.words[k].end == t.words[k + 1].start)


# Punctuation that may touch a name without making it part of a longer word
_MARKS = frozenset({",", ".", ";", ":", "?", "!", "(", ")", "[", "]", '"', "'", "’", "“", "”"})


def _touches(t: Tree, a: int, b: int) -> bool:
    """Words ``a`` and ``b`` (in order) are written as one word ("Oslo/Bergen-based"); a
    comma or a full stop after a name does not count."""
    return (0 <= a < b < len(t) and t.words[a].end == t.words[b].start
            and t.words[a].text not in _MARKS and t.words[b].text not in _MARKS)


def _name(t: Tree, k: int) -> bool:
    w = t.words[k]
    return w.upos in _NOMINAL and _PART.fullmatch(w.text) is not None and any(c.isupper() for c in w.text)


def _in_word(t: Tree, k: int) -> tuple[int, int, tuple[tuple[int, int], ...]] | None:
    """A run of names the tokenizer kept as one word ("Leeds/York/Hull"), read as slashed_names."""
    w = t.words[k]
    if w.upos not in _NOMINAL or "/" not in w.text or _touches(t, k - 1, k) or _touches(t, k, k + 1):
        return None
    parts = w.text.split("/")
    if not all(_PART.fullmatch(p) and any(c.isupper() for c in p) for p in parts):
        return None  # a path, a URL, a date or a lower-case "read/write"
    if len(parts) == 2 and all(p.isupper() for p in parts):
        return None
    counted = k + 1 < len(t) and _plural(t, k + 1)
    if len(parts) < 3 and not counted:
        return None
    spans: list[tuple[int, int]] = []
    at = w.start
    for p in parts:
        spans.append((at, at + len(p)))
        at += len(p) + 1
    return (k, k + 1 if counted else k, tuple(spans))


def slashed_names(t: Tree) -> list[tuple[int, int, tuple[tuple[int, int], ...]]]:
    """I500: each run of names glued by slashes in ``t``, as (first word, last word of the
    list, the names' character spans)."""
    out: list[tuple[int, int, tuple[tuple[int, int], ...]]] = []
    n = len(t)
    k = 0
    while k < n:
        if (inner := _in_word(t, k)) is not None:
            out.append(inner)
            k += 1
            continue
        if not _name(t, k) or _touches(t, k - 1, k):
            k += 1
            continue
        parts = [k]
        while parts[-1] + 2 < n and _glued_slash(t, parts[-1] + 1) and _name(t, parts[-1] + 2):
            parts.append(parts[-1] + 2)
        last = parts[-1]
        k = last + 1
        if len(parts) < 2 or _touches(t, last, last + 1):
            continue  # one name, or a run that goes on glued ("Oslo/Bergen-based"): no list
        if len(parts) == 2 and all(t.words[p].text.isupper() for p in parts):
            continue  # "CI/CD", "UK/EU": an acronym pair is as often one thing as two
        counted = last + 1 < n and _plural(t, last + 1)
        if len(parts) < 3 and not counted:
            continue
        end = last + 1 if counted else last
        out.append((parts[0], end, tuple((t.words[p].start, t.words[p].end) for p in parts)))
    return out
