"""The parser's word classes (``rules/words.toml``), loaded once.

Grammar comes from the trained syntax model; these classes say what a lemma
means for planning work: which role a verb's work has, which verbs only wrap
a request, which words order or parallelise work, what a count may count.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from planner import tomlcache
from planner.errors import RuleFileError
from planner.resources import data_file

if TYPE_CHECKING:
    from planner.parser.tree import Tree

# Where the parser's settings live, for the rule-file errors of lists read from there.
PARSE_TOML = "rules/parse.toml"

ROLE_ORDER = ("explore", "scout", "design", "implement", "draft", "test", "review", "critique", "compare", "decide", "synthesize", "integrate")


def _set(table: Mapping[str, Any], key: str, where: str, path: str = "rules/words.toml") -> frozenset[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleFileError(f"[{where}] {key} must be a list of strings", path=path)
    return frozenset(v.lower() for v in value)


def word_set(table: Mapping[str, Any], key: str, where: str, path: str = "rules/words.toml") -> frozenset[str]:
    """The lower-cased words of ``[where] key`` in a table of the rule file ``path``, or a
    rule-file error naming that file."""
    return _set(table, key, where, path)


def word_sets(section: str, *keys: str) -> tuple[frozenset[str], ...]:
    """The lower-cased word sets of ``[section] key`` in rules/words.toml, one per key, in
    order, or a rule-file error when the section is not a table or a key not a word list."""
    table = tomlcache.read_builtin("words.toml", "word classes").get(section, {})
    if not isinstance(table, dict):
        raise RuleFileError(f"[{section}] must be a table", path="rules/words.toml")
    return tuple(_set(table, key, section) for key in keys)


def parse_section(section: str) -> Mapping[str, Any]:
    """The table ``[section]`` of rules/parse.toml (empty when absent), or a rule-file error
    when it is not a table: one loader for the parser modules that keep their words there."""
    table = tomlcache.read_builtin("parse.toml", "parser settings").get(section, {})
    if not isinstance(table, dict):
        raise RuleFileError(f"[{section}] must be a table", path=PARSE_TOML)
    return table


# Word sets and phrases already read from rules/parse.toml, by what was asked and the
# file's version: the parser's readings ask for them once per sentence, and reading and
# decoding the file each time was a tenth of a long text's parse. The values are frozen,
# so one copy serves every caller; an edited file has a new stamp and is read again.
_READ: dict[tuple[object, ...], Any] = {}


def _stamp() -> tuple[int, int] | None:
    if _held:
        return _held[-1]
    try:
        st = os.stat(data_file("rules", "parse.toml"))
    except OSError:
        return None  # the loader itself reports the missing file
    return st.st_mtime_ns, st.st_size


# The stamp one parse holds (see ``one_reading``): empty outside a parse.
_held: list[tuple[int, int] | None] = []


@contextmanager
def one_reading() -> Iterator[None]:
    """Inside the block every word set is read from rules/parse.toml as it was when the block
    began: the file is looked at once instead of once per sentence (a sentence asked for its
    sets several times over, and each look was a system call)."""
    if _held:
        yield  # an enclosing block holds the stamp already
        return
    _held.append(_stamp())
    try:
        yield
    finally:
        _held.clear()


def parse_word_sets(section: str, *keys: str) -> tuple[frozenset[str], ...]:
    """The lower-cased word sets of ``[section] key`` in rules/parse.toml, one per key, in order."""
    stamp = _stamp()
    memo = ("sets", section, keys, stamp)
    hit: tuple[frozenset[str], ...] | None = _READ.get(memo) if stamp else None
    if hit is None:
        table = parse_section(section)
        hit = tuple(_set(table, key, section, PARSE_TOML) for key in keys)
        if stamp:
            _READ[memo] = hit
    return hit


def parse_phrases(section: str, key: str) -> tuple[tuple[str, ...], ...]:
    """The phrases of ``[section] key`` in rules/parse.toml as word tuples, longest first."""
    stamp = _stamp()
    memo = ("phrases", section, key, stamp)
    hit: tuple[tuple[str, ...], ...] | None = _READ.get(memo) if stamp else None
    if hit is None:
        hit = _phrases(parse_section(section), key, section, PARSE_TOML)
        if stamp:
            _READ[memo] = hit
    return hit


# phrases_by_first's answers, by the identity of the phrase tuple they were worked out for
# (the tuple kept beside its answer, so a new tuple at a reused id is never mistaken for it).
_BY_FIRST: dict[int, tuple[tuple[tuple[str, ...], ...], dict[str, tuple[tuple[str, ...], ...]] | None]] = {}


def phrases_by_first(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]] | None:
    """``phrases`` by their first word, each group in the original order, or None if one is
    empty (it starts anywhere)."""
    kept = _BY_FIRST.get(id(phrases))
    if kept is not None and kept[0] is phrases:
        return kept[1]
    found: dict[str, tuple[tuple[str, ...], ...]] | None = None
    if all(phrases):
        groups: dict[str, list[tuple[str, ...]]] = {}
        for p in phrases:
            groups.setdefault(p[0], []).append(p)
        found = {first: tuple(group) for first, group in groups.items()}
    _BY_FIRST[id(phrases)] = (phrases, found)
    return found


def holds_any(words: Sequence[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``words`` hold one of ``phrases`` as a run: ``has_phrase`` of each, looking at a
    position only with the phrases that start with its word (the readings ask this of every
    step and clause, with tables of dozens of phrases)."""
    by_first = phrases_by_first(phrases)
    if by_first is None:
        return any(has_phrase(words, p) for p in phrases)
    for k, word in enumerate(words):
        for p in by_first.get(word, ()):
            if tuple(words[k : k + len(p)]) == p:
                return True
    return False


def word_phrases(
    table: Mapping[str, Any], key: str, where: str, path: str = "rules/words.toml"
) -> tuple[tuple[str, ...], ...]:
    """The phrases of ``[where] key`` (in the rule file ``path``) as lower-cased word
    tuples, longest first, or a rule-file error."""
    return _phrases(table, key, where, path)


def has_phrase(lows: Sequence[str], phrase: tuple[str, ...]) -> bool:
    """Whether the words ``lows`` hold ``phrase`` (a tuple ``word_phrases`` gives) as a run."""
    n = len(phrase)
    return any(tuple(lows[k : k + n]) == phrase for k in range(len(lows) - n + 1))


def _phrases(
    table: Mapping[str, Any], key: str, where: str, path: str = "rules/words.toml"
) -> tuple[tuple[str, ...], ...]:
    """Phrases as word tuples, longest first (so "after that" wins over "after"); a
    blank entry is no phrase."""
    words = sorted({tuple(p.split()) for p in _set(table, key, where, path) if p.split()}, key=lambda p: (-len(p), p))
    return tuple(words)


@dataclass(frozen=True)
class Words:
    roles: Mapping[str, str]  # verb lemma -> role
    ambiguous: frozenset[str]
    wish: frozenset[str]
    light: frozenset[str]
    instrument: frozenset[str]
    state: frozenset[str]
    checking: frozenset[str]
    work_nouns: Mapping[str, str]  # noun lemma -> the verb lemma of its work
    not_work_nouns: frozenset[str]  # nouns spelled like work verbs that name things ("a book", "the set")
    made: frozenset[str]  # things work makes ("a transcript", "a chart"): in a request, the work that makes them
    create_verbs: frozenset[str]  # verbs that bring their object into being ("write", "draw")
    next: tuple[tuple[str, ...], ...]
    first: tuple[tuple[str, ...], ...]
    after: tuple[tuple[str, ...], ...]
    before: tuple[tuple[str, ...], ...]
    parallel: tuple[tuple[str, ...], ...]
    also: tuple[tuple[str, ...], ...]
    pronouns: frozenset[str]
    results: frozenset[str]
    back_adjectives: frozenset[str]
    distributive: frozenset[str]
    collective: tuple[tuple[str, ...], ...]
    into: frozenset[str]
    single: tuple[tuple[str, ...], ...]
    fan_verbs: frozenset[str]
    file_verbs: frozenset[str]
    ask_verbs: frozenset[str]
    units: frozenset[str]
    not_counts: frozenset[str]
    ranks: frozenset[str]
    number_words: Mapping[str, int]
    until: tuple[tuple[str, ...], ...]
    ends: tuple[tuple[str, ...], ...]
    rounds: frozenset[str]
    repeat_verbs: frozenset[str]
    times: Mapping[str, int]
    rework: frozenset[str]
    phrasal: Mapping[tuple[str, ...], str]  # ("come", "up", "with") -> "brainstorm"
    same_work: frozenset[str] = frozenset()  # "A and B need the same treatment: ..." (I211)
    apart_scope: frozenset[str] = frozenset()  # "A and B are independent: ..." (I402)
    apart_remark: frozenset[str] = frozenset()  # "Separate for each lab." after the work (I493)
    scope_openers: frozenset[str] = frozenset()  # "for the three databases (A, B, C): ..." (I205)
    frame_labels: frozenset[str] = frozenset()  # "Context:", "Steps:": labels that name no item (I213)
    option_words: frozenset[str] = frozenset()  # "Options:" over bullets makes them approaches (I217)
    apart_words: frozenset[str] = frozenset()  # "keep them separate": no join of the parallel work (O318)
    suspects: Mapping[str, frozenset[str]] = field(default_factory=dict)  # C200's word classes ([suspects])
    # What clauses.noun_verb found for each lemma asked about: the readings ask about the same
    # nouns again and again. Not an argument (a copy made with replace() starts empty) and not compared.
    noun_verbs: dict[str, str | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    def role_of(self, lemma: str | None) -> str | None:
        if not lemma:
            return None
        low = lemma.lower()
        if low in self.roles:
            return self.roles[low]
        # "re-run", "redesign": the action done again keeps its role.
        for prefix in ("re-", "re"):
            if low.startswith(prefix) and len(low) > len(prefix) + 3 and low[len(prefix):] in self.roles:
                return self.roles[low[len(prefix):]]
        return None


def words_from_table(data: Mapping[str, Any], extra_roles: Mapping[str, tuple[str, ...]] | None = None) -> Words:
    roles: dict[str, str] = {}
    table = data.get("roles", {})
    if not isinstance(table, dict):
        raise RuleFileError("[roles] must be a table", path="rules/words.toml")
    for role in table:
        for v in _set(table, role, "roles"):
            roles.setdefault(v, role)
    for role, verbs in (extra_roles or {}).items():
        for v in verbs:
            roles[v.lower()] = role
    wr = data.get("wrappers", {})
    order = data.get("order", {})
    refs = data.get("refs", {})
    par = data.get("parallel", {})
    loops = data.get("loops", {})
    nouns = data.get("work_nouns", {})
    if not isinstance(nouns, dict) or not all(isinstance(v, str) for v in nouns.values()):
        raise RuleFileError("[work_nouns] maps nouns to verbs", path="rules/words.toml")
    times = loops.get("times", {})
    phrasal = data.get("phrasal", {})
    if not isinstance(phrasal, dict) or not all(isinstance(v, str) and len(str(k).split()) >= 2 for k, v in phrasal.items()):
        raise RuleFileError("[phrasal] maps a verb with its particles to a verb", path="rules/words.toml")
    return Words(
        roles=roles,
        ambiguous=_set(data.get("ambiguous", {}), "words", "ambiguous"),
        wish=_set(wr, "wish", "wrappers"),
        light=_set(wr, "light", "wrappers"),
        instrument=_set(wr, "instrument", "wrappers"),
        state=_set(wr, "state", "wrappers"),
        checking=_set(wr, "checking", "wrappers"),
        work_nouns={k.lower(): v.lower() for k, v in nouns.items()},
        not_work_nouns=_set(data.get("not_work_nouns", {}), "words", "not_work_nouns"),
        made=_set(data.get("made", {}), "things", "made"),
        create_verbs=_set(data.get("made", {}), "create_verbs", "made"),
        next=_phrases(order, "next", "order"),
        first=_phrases(order, "first", "order"),
        after=_phrases(order, "after", "order"),
        before=_phrases(order, "before", "order"),
        parallel=_phrases(order, "parallel", "order"),
        also=_phrases(order, "also", "order"),
        pronouns=_set(refs, "pronouns", "refs"),
        results=_set(refs, "results", "refs"),
        back_adjectives=_set(refs, "adjectives", "refs"),
        distributive=_set(par, "distributive", "parallel"),
        collective=_phrases(par, "collective", "parallel"),
        into=_set(par, "into", "parallel"),
        single=_phrases(par, "single", "parallel"),
        fan_verbs=_set(par, "fan_verbs", "parallel"),
        file_verbs=_set(par, "file_verbs", "parallel"),
        ask_verbs=_set(par, "ask_verbs", "parallel"),
        same_work=_set(par, "same_work", "parallel"),
        apart_scope=_set(par, "apart_scope", "parallel"),
        apart_remark=_set(par, "apart_remark", "parallel"),
        scope_openers=_set(par, "scope_openers", "parallel"),
        frame_labels=_set(par, "frame_labels", "parallel"),
        option_words=_set(par, "option_words", "parallel"),
        apart_words=_set(par, "apart_words", "parallel"),
        suspects={k: _set(data.get("suspects", {}), k, "suspects") for k in ("hedges", "doubt", "verbs", "openers", "not_names")},
        units=_set(par, "units", "parallel"),
        not_counts=_set(par, "not_counts", "parallel"),
        ranks=_set(par, "ranks", "parallel"),
        number_words={w: _NUMBER_ORDER.index(w) + 2 for w in _set(par, "number_words", "parallel") if w in _NUMBER_ORDER},
        until=_phrases(loops, "until", "loops"),
        ends=_phrases(loops, "ends", "loops"),
        rounds=_set(loops, "rounds", "loops"),
        repeat_verbs=_set(loops, "repeat_verbs", "loops"),
        times={str(k).lower(): int(v) for k, v in times.items()} if isinstance(times, dict) else {},
        rework=_set(loops, "rework", "loops"),
        phrasal=MappingProxyType({tuple(str(k).lower().split()): v.lower() for k, v in phrasal.items()}),
    )


_NUMBER_ORDER = (
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
)  # fmt: skip


@cache
def load_words() -> Words:
    """The built-in word classes (cached for the process)."""
    return words_from_table(tomlcache.read_builtin("words.toml", "word classes"))


@cache
def words_with_roles(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> Words:
    """The built-in word classes with roles' own verbs added (a user's configured roles)."""
    if not extra:
        return load_words()
    return words_from_table(tomlcache.read_builtin("words.toml", "word classes"), dict(extra))


def small_count(low: str, numbers: Mapping[str, int], figures: int = 2) -> int | None:
    """A count of work said as a number word (``numbers``: "three") or in at most
    ``figures`` figures ("12"); None for anything else ("2024", "v2"). A reading that
    counts things of its own kind says how many figures it takes ("3 fairs" but not
    "12 fairs" in I466; "the 120 shop logs" in a count of units)."""
    if low in numbers:
        return numbers[low]
    return int(low) if low.isdecimal() and len(low) <= figures else None


def nummod_count(t: Tree, k: int, numbers: Mapping[str, int]) -> int | None:
    """The count (as :func:`small_count` reads it) that word ``k`` has as a number modifier
    ("three drafts", "2 agents"), or None."""
    for m in t.children(k, "nummod"):
        value = small_count(t.low(m), numbers)
        if value is not None:
            return value
    return None
