"""A cheap necessary condition for a regular expression to match.

Compiling a pattern with the standard ``re`` module runs its pure-Python
parser, which costs more than scanning a short task for a word. Most cue
patterns never match a given task, so each gets a *hint*: a few lower-case
strings of which at least one occurs in every text the pattern matches.
A text without any of them is skipped and the pattern is never compiled.

The analysis reads only the top level of the pattern (a sequence of atoms):
a run of literal characters, or a group of alternatives that each start
with literal characters. Anything it does not understand gives no hint,
never a wrong one; a top-level ``|`` gives none at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_SPECIAL = frozenset("\\()[]{}.^$|?*+")
_PLAIN = re.compile(r"[^\\()\[\]{}.^$|?*+]*")  # a run of literal characters
_OPTIONAL = frozenset("?*")  # a quantifier that allows zero repetitions
# Where _scan stops: escapes and classes (stepped over), then what its caller looks at.
_GROUPS_AND_BARS = re.compile(r"[\\\[()|]")
_GROUPS = re.compile(r"[\\\[()]")


def hint(rx: str) -> tuple[str, ...] | None:
    """Strings of which one must occur in the lower-cased text for ``rx`` to match.

    Only for patterns matched case-sensitively against lower-cased text:
    with ``re.IGNORECASE`` a few non-ASCII letters match ASCII ones, which a
    plain substring test would miss.
    """
    found = hints(rx)
    return found[0] if found else None


def hints(rx: str) -> tuple[tuple[str, ...], ...]:
    """Every required atom's strings, strongest first: ``rx`` can only match a
    lower-cased text that contains one string of *each* (``()``: no hint).

    Each atom alone is what :func:`hint` would offer; testing them all rules
    out more texts ("do not ... understand" needs both words) for the price
    of a few more substring tests. Same conditions as :func:`hint`.
    """
    if "(?i" in rx:
        return ()  # case-insensitive after all
    try:
        atoms = _atoms(rx)
    except _Unknown:
        return ()
    usable = {alts: None for alts in atoms if alts and all(len(a) >= 2 for a in alts)}
    # sorted() is stable: of equal strength, the earlier atom first.
    return tuple(sorted(usable, key=_strength, reverse=True))


def _strength(alts: tuple[str, ...]) -> tuple[int, int]:
    # One long literal rules out more texts than several short alternatives.
    return (-len(alts), min(len(a) for a in alts))


class _Unknown(Exception):
    """The pattern has a shape this analysis does not cover."""


def _atoms(rx: str) -> list[tuple[str, ...]]:
    """Required alternatives of each top-level atom, in order."""
    out: list[tuple[str, ...]] = []
    i = 0
    n = len(rx)
    while i < n:
        c = rx[i]
        if c not in _SPECIAL:
            run = _PLAIN.match(rx, i).group(0)  # type: ignore[union-attr]  # c itself is plain
            i += len(run)
            if rx[i : i + 1] in _OPTIONAL or rx.startswith("{0", i):
                run = run[:-1]  # "feels?" requires only "feel"
            out.append((run,))
            continue
        if c == "|":
            raise _Unknown  # a top-level alternative: nothing is required
        if c == "\\":
            i += _escape_length(rx, i)
        elif c == "[":
            i = _class_end(rx, i)
        elif c == "(":
            end = _group_end(rx, i)
            body = rx[i + 1 : end]
            i = end + 1
            optional = i < n and (rx[i] in _OPTIONAL or rx.startswith("{0", i))
            if body.startswith("?"):
                if body.startswith("?:"):
                    body = body[2:]
                else:
                    continue  # look-around or inline flags: matches no text of its own
            if not optional:
                out.append(_leading_literals(body))
        elif c == "{":
            i = rx.find("}", i) + 1  # a counted repeat of the atom before
            if i == 0:
                raise _Unknown
        else:
            i += 1  # '.', '^', '$' or a quantifier
    return out


def _escape_length(rx: str, i: int) -> int:
    """Length of the escape at ``i``; unusual ones (\\u, \\N, octal) are not analysed."""
    kind = rx[i + 1 : i + 2]
    if kind == "x":
        return 4
    if not kind or kind in "uUN0123456789":
        raise _Unknown
    return 2


def _leading_literals(body: str) -> tuple[str, ...]:
    """The literal start of each alternative of a group; () when one has none."""
    alts: list[str] = []
    simple = not any(c in body for c in "\\[(")
    for alt in body.split("|") if simple else _split_top(body):
        lead = _PLAIN.match(alt).group(0)  # type: ignore[union-attr]  # matches the empty string at worst
        k = len(lead)
        if alt[k : k + 1] in _OPTIONAL or alt.startswith("{0", k):
            lead = lead[:-1]  # "tests?" requires only "test"
        if not lead:
            return ()
        alts.append(lead)
    return tuple(alts)


def _split_top(body: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    start = 0
    for i, c in _scan(body, 0):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts


def _scan(rx: str, i: int, stops: re.Pattern[str] = _GROUPS_AND_BARS) -> Iterator[tuple[int, str]]:
    """Positions of the group brackets (and bars) from ``i`` on, stepping over escapes and classes.

    Its callers look at nothing else, so what lies between is skipped in one
    search instead of a step of Python per character: the hints of every
    built-in cue are worked out on each start.
    """
    while (m := stops.search(rx, i)) is not None:
        j = m.start()
        c = rx[j]
        if c == "\\":
            i = j + 2
        elif c == "[":
            i = _class_end(rx, j)
        else:
            yield j, c
            i = j + 1


def _class_end(rx: str, i: int) -> int:
    """Index just past the character class opening at ``i``."""
    j = i + 1
    if rx[j : j + 1] == "^":
        j += 1
    if rx[j : j + 1] == "]":
        j += 1
    while j < len(rx) and rx[j] != "]":
        j += 2 if rx[j] == "\\" else 1
    if j >= len(rx):
        raise _Unknown
    return j + 1


def _group_end(rx: str, i: int) -> int:
    """Index of the ``)`` closing the group opening at ``i``."""
    depth = 0
    for j, c in _scan(rx, i, _GROUPS):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j
    raise _Unknown
