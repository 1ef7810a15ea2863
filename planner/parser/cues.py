"""Cue phrases: words in the task text that say what kind of coordination it needs.

The categories come from ``rules/advisor_cues.toml`` and user rule files
(``[cues.NAME]`` tables, loaded by ``planner.advise.rules``); matching them is
reading the text, so it happens here, in the parser, and the advisor reads
the matches from the TaskGraph. Each category is scanned once, in linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import NamedTuple

from planner.parser.regexhint import hints

CUE_NAME_RE = re.compile(r"[a-z][a-z0-9_]*\Z")


# Hyphens are tokens of their own, so "security-critical" contains "critical"
# while the phrase "off-by-one" still matches itself.
_TOKEN_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-case word and punctuation tokens: the unit phrases are matched on."""
    return _TOKEN_RE.findall(text.lower().replace("’", "'"))


class CueCategory(NamedTuple):
    """Phrases (matched as token sequences) and regular expressions of one cue."""

    name: str
    reason: str
    phrases: tuple[str, ...]
    regexes: tuple[str, ...]
    by_first: dict[str, tuple[tuple[str, ...], ...]]  # first token -> phrase token tuples, longest first
    compiled: tuple[LazyRegex, ...]

    def find(
        self,
        text: str,
        limit: int = 50,
        toks: list[str] | None = None,
        lower: str | None = None,
        where: Mapping[str, list[int]] | None = None,
    ) -> tuple[str, ...]:
        """Distinct matched phrases (lower-cased), phrases first, in text order.

        ``where`` (token -> its positions in ``toks``, see :func:`match_cues`)
        lets a long text be searched only where a phrase of this category
        could start, instead of token by token once per category.
        """
        seen: dict[str, None] = {}
        words = toks if toks is not None else tokens(text)
        by_first = self.by_first
        starts: Iterable[int]
        if where is not None and limit > 0:
            # Skipping a token that starts no phrase skips no match, and the
            # count of matches (checked below) only changes on a match.
            # (``where`` leaves out language names already: see match_cues.)
            starts = sorted(i for first in by_first.keys() & where.keys() for i in where[first])
        else:
            named = language_at(text, words)  # "into Greek and Polish": a language, not a cue word
            starts = [i for i in range(len(words)) if i not in named]
        for i in starts:
            for phrase in by_first.get(words[i], ()):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    seen.setdefault(_join(phrase), None)
                    break
            if len(seen) >= limit:
                return tuple(seen)
        for lazy in self.compiled:
            if lower is None:
                lower = text.lower()
            if lazy.required and not all(any(h in lower for h in alts) for alts in lazy.required):
                continue  # cannot match: spare compiling it
            rx, on_lower = lazy.get()
            for m in rx.finditer(lower if on_lower else text):
                seen.setdefault(" ".join(m.group(0).lower().split()), None)
                if len(seen) >= limit:
                    return tuple(seen)
        return tuple(seen)

    @property
    def pattern(self) -> _Matcher:
        return _Matcher(self)


class _Matcher:
    """``pattern.search(text)``-style access for callers that only need a yes/no."""

    def __init__(self, category: CueCategory) -> None:
        self.category = category

    def search(self, text: str) -> bool:
        return bool(self.category.find(text, limit=1))


def _join(phrase: tuple[str, ...]) -> str:
    out = ""
    for tok in phrase:
        out += tok if not out or not tok[0].isalnum() else f" {tok}"
    return out


_ESCAPE_RE = re.compile(r"\\.")


def matches_lowered(rx: str) -> bool:
    """Whether a cue regex is matched against lower-cased text, without ``re.IGNORECASE``.

    Case-insensitive compilation is markedly slower; a pattern without
    upper-case letters (escapes aside) matches lower-cased text without it.
    """
    plain = _ESCAPE_RE.sub("", rx)
    return "(?-i" not in rx and plain == plain.lower()


def compile_regex(rx: str) -> tuple[re.Pattern[str], bool]:
    """Compile a cue regex; (pattern, whether to match it against lower-cased text)."""
    if matches_lowered(rx):
        return re.compile(rx), True
    return re.compile(rx, re.IGNORECASE), False


class LazyRegex:
    """A cue regex compiled on first use, with a substring test that rules most texts out.

    Validation (``load_cues``) compiles user patterns at load time so a bad
    one is reported with its file and line; built-in ones are checked by the
    test suite and compiled only when a task could match them.
    """

    __slots__ = ("_compiled", "required", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: tuple[re.Pattern[str], bool] | None = None
        # The hints are substring tests on lower-cased text, exact only for
        # patterns matched that way.
        self.required = hints(source) if matches_lowered(source) else ()

    @property
    def hint(self) -> tuple[str, ...] | None:
        """The strongest of the required atoms (the others are tested too)."""
        return self.required[0] if self.required else None

    def get(self) -> tuple[re.Pattern[str], bool]:
        if self._compiled is None:
            self._compiled = compile_regex(self.source)
        return self._compiled


def compile_category(name: str, reason: str, phrases: tuple[str, ...], regexes: tuple[str, ...]) -> CueCategory:
    index: dict[str, list[tuple[str, ...]]] = {}
    for p in sorted({tuple(tokens(p)) for p in phrases if p.strip()}, key=lambda t: (-len(t), t)):
        if p:
            index.setdefault(p[0], []).append(p)
    compiled = tuple(LazyRegex(r) for r in regexes)
    return CueCategory(name, reason, phrases, regexes, {k: tuple(v) for k, v in index.items()}, compiled)


# Words that lead to a language: "into Polish", "translate to Polish", "a letter in Polish".
_TO_LANGUAGE = frozenset({"into", "to", "in", "from"})


@cache
def _languages() -> frozenset[str]:
    """Language names (``[foreign]`` in ``rules/kinds.toml``): some are spelled like verbs ("Polish")."""
    from planner import tomlcache

    foreign = tomlcache.read_builtin("kinds.toml", "kinds of material").get("foreign", {})
    names = foreign.get("languages", []) if isinstance(foreign, dict) else []
    return frozenset(str(n).lower() for n in names)


def language_at(text: str, toks: list[str]) -> set[int]:
    """Positions of tokens that name a language, not the word spelled like it.

    "into Czech, Greek and Polish": a language name after "into"/"to"/"in"/
    "from", in a list with another language, or capitalised inside a sentence
    is the language; "Polish the draft" at the start of a sentence is the verb.
    """
    names = _languages()
    if not any(tok in names for tok in toks):
        return set()
    raw = _TOKEN_RE.findall(text.replace("’", "'"))
    if len(raw) != len(toks):
        return set()  # a case mapping changed the tokens: say nothing rather than guess
    out: set[int] = set()
    for i, tok in enumerate(toks):
        if tok not in names:
            continue
        prev = toks[i - 1] if i else ""
        inside = i > 0 and (prev[:1].isalnum() or prev == ",")
        listed = prev in (",", "and", "or") and i >= 2 and toks[i - 2] in names
        if prev in _TO_LANGUAGE or listed or (raw[i][:1].isupper() and inside):
            out.add(i)
    return out


def match_cues(categories: Mapping[str, CueCategory], text: str) -> dict[str, tuple[str, ...]]:
    """Every category's matched phrases in ``text`` (lower-cased, distinct, in text order)."""
    toks = tokens(text)
    lower = text.lower()
    named = language_at(text, toks)
    where: dict[str, list[int]] = {}
    for i, tok in enumerate(toks):
        if i in named:
            continue  # "into Greek and Polish" names a language, not the work of polishing
        where.setdefault(tok, []).append(i)
    return {name: cat.find(text, toks=toks, lower=lower, where=where) for name, cat in categories.items()}


@cache
def builtin_cues() -> dict[str, CueCategory]:
    """The shipped cue categories (``rules/advisor_cues.toml``), for parsing without an advisor."""
    from planner import tomlcache

    data = tomlcache.read_builtin("advisor_cues.toml", "cue phrases").get("cues", {})
    return {
        name: compile_category(name, str(t.get("reason", "")), tuple(t.get("phrases", [])), tuple(t.get("regex", [])))
        for name, t in data.items()
        if isinstance(t, dict)
    }
