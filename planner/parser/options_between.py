"""Options named after "between" or "among" where a choice is said: "pick a logger between A, B and C".

A choice names what it is between with a preposition as often as with a
colon or "or": "choose between Stripe and Adyen", "the decision among three
vendors, X, Y and Z" is not, but "torn between a rewrite and a patch" is.
The list after "between" is joined by "and" as often as by "or", so the list
reader takes it for things all wanted; said after a word of choosing, it
is the options, and the choosing is done once, after the work on each.
"""

from __future__ import annotations

from functools import cache

from planner import tomlcache
from planner.parser.options import (
    Options,
    _as_list,
    _cut,
    _members_ok,
    _span_end,
    _top,
    option_strings,
    option_words,
)
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I470", "chosen-between",
    "'Pick a logger between Pino, Winston and Bunyan': the list after 'between' or 'among', said after a word of choosing, names the options.",
    """A verb of choosing (rules/options.toml ``choosing``) or a noun or
    adjective that says a choice (``between_choosing``: "a choice", "torn")
    a few words before "between"/"among" in the same clause makes the list
    after it, of two or more members joined by "and" or "or", the options.
    The list ends at the clause's edge, before "and" or a comma that opens
    more work, and before a phrase that says what all of them are for
    ("... and Braintree for payments") when the other members have no
    preposition of their own. Numbers alone ("between 2 and 4") are a
    range, not options; "between them", "between the two" name no list.""",
)

doc_only(
    "I471", "choice-made-last",
    "'Pick a logger between A, B and C. Wire up a route with each.': a command to choose, said before the work on the options, is done after all of it.",
    """A step whose verb chooses (``choosing``) and that offers the options
    (I270, I470 ...) is what the work on each option is for: it waits for
    that work and every step after it, instead of being dropped as a
    question the work answers (I276). When a later step already weighs
    the options ("..., then pick one", "compare them"), that step is the
    choice and the command said first is dropped as before.""",
)

doc_only(
    "I472", "counted-ways-named",
    "'Sketch the onboarding email two ways, short vs detailed': work said to be done a counted number of ways (versions, variants), with as many options named after it, is done once per option.",
    """The words between the verb and a list of options count the ways or
    versions the work is to be done in ("two ways", "three variants",
    ``nouns`` of rules/options.toml), and the list names as many options,
    set off after the object ("two ways, A vs B", "two versions: A or B").
    Each option is one piece of the work; the count must match, so "two
    versions of the plan, A, B or C" is not read. A step that joins or
    chooses is never spread.""",
)

doc_only(
    "I473", "one-described-by-participle",
    "'Two versions of the intro - one opening with the sale, one opening with the hire -': 'one' and a participle describe one version, not a clause of what someone does.",
    """Members of a list of options that open with "one" or "another" and
    a finite verb ("one runs against a replica, another deploys it") say
    what different people or things do, and offer no options. With a
    participle in -ing after "one" ("one leading with pay, one leading with
    home time") the member names a version by what it does: it is an
    option like any other (I274, I443, I285).""",
)

_BETWEEN = frozenset({"between", "among", "amongst"})
_REACH = 7  # words between the word of choosing and "between" ("pick a logger for the new service between")
_EDGES = frozenset({",", ";", ":", ".", "?", "!", "(", ")", "—", "–"})
# "compare the latency between the regions": a measure taken across things, no choice among them
_MEASURED = frozenset({"compare", "weigh"})
_MEMBER_WORDS = 6  # words of one option named after "between"; more is a clause


@cache
def _choice_words() -> frozenset[str]:
    data = tomlcache.read_builtin("options.toml", "option words")
    return option_strings(data, "between_choosing")


@cache
def _points() -> frozenset[str]:
    data = tomlcache.read_builtin("options.toml", "option words")
    return option_strings(data, "between_points")


def _range(t: Tree, at: int) -> bool:
    """"a slot between Monday and Friday": a point chosen between two ends, no options."""
    k = at - 1
    while k > 0 and t.words[k].upos in ("ADJ", "NUM"):
        k -= 1
    return t.lemma(k) in _points() or t.low(k) in _points()


def _said_choice(t: Tree, at: int) -> bool:
    """A word of choosing a few words before ``at``, with no clause edge or other verb between."""
    for k in range(at - 1, max(-1, at - 1 - _REACH), -1):
        low = t.low(k)
        if low in _EDGES:
            return False
        if (t.lemma(k) in option_words().choosing and t.lemma(k) not in _MEASURED) or low in _choice_words():
            return True
        if t.words[k].upos in ("VERB", "AUX") and low != "to" and t.lemma(k) != "be":
            return False  # "use it between meetings": another verb's phrase
    return False


def _list_end(t: Tree, lo: int) -> int:
    """The last word of the list after "between": the clause's end, or before more work."""
    hi = _span_end(t, lo, enum=False)
    for k in range(lo + 1, hi + 1):
        nxt = t.words[k + 1] if k + 1 <= hi else None
        if t.low(k) in ("and", ",", "or") and nxt is not None and nxt.upos == "VERB" and nxt.text.islower() and not nxt.text.endswith("ing"):
            return k - 1  # "between A and B and write it up": a command, where "or paying for it" is a course
    return hi


def _purpose_cut(t: Tree, members: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The last member without a phrase that says what all of them are for ("and C for payments")."""
    *rest, (a, b) = members
    if t.words[a].upos == "VERB" or any(t.words[k].upos == "ADP" for m in rest for k in range(m[0], m[1] + 1)):
        return members  # "or paying for Datadog": a course of action keeps its own phrase
    prep = next((k for k in range(a + 1, b + 1) if t.words[k].upos == "ADP" and t.low(k) != "of"), None)
    return members if prep is None else [*rest, (a, prep - 1)]


_CLAUSE_SUBJECTS = frozenset({"we", "i", "you", "they", "he", "she"})


def _unremarked(t: Tree, members: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """I674: each member without the remark after its name: a bracket ("tote bags (lovely
    but £3 each)" is "tote bags") and what follows it, or a clause said of it ("the pencils
    we already have" is "the pencils"), when words name the member before the remark."""
    out = []
    for a, b in members:
        cut = next((k for k in range(a + 1, b + 1) if t.low(k) == "(" or (
            t.low(k) in _CLAUSE_SUBJECTS and t.words[k].upos == "PRON" and _verb_next(t, k, b))), None)
        out.append((a, cut - 1) if cut is not None else (a, b))
    return out


def _verb_next(t: Tree, k: int, b: int) -> bool:
    """A verb after word ``k`` (an adverb may stand between), within ``b``: "we already have"."""
    v = k + 2 if k + 2 <= b and t.words[k + 1].upos == "ADV" else k + 1
    return v <= b and t.words[v].upos in ("VERB", "AUX")


def chosen_between(t: Tree) -> Options | None:
    """I470: the options of a choice named after "between"/"among"."""
    for at in range(1, len(t) - 3):
        if t.low(at) not in _BETWEEN or not _said_choice(t, at) or _range(t, at):
            continue
        hi = _list_end(t, at + 1)
        top = _top(t, at + 1, hi)
        if not any(t.low(k) in ("and", "or", "vs", "versus", "vs.") for k in top):
            continue
        members, _ = _cut(t, at + 1, hi, [])
        if len(members) < 2:
            continue
        bare = _unremarked(t, members)  # I674: "tote bags (lovely but £3 each), ...": the remark is no part of the name
        members = _purpose_cut(t, bare)
        if any(b - a + 1 > _MEMBER_WORDS for a, b in members) or not _members_ok(t, members, None):
            continue
        if all(all(t.words[k].upos in ("NUM", "SYM", "PUNCT") for k in range(a, b + 1)) for a, b in members):
            continue  # "between 2 and 4": a range
        codes = ("I470", "I674") if bare != _cut(t, at + 1, hi, [])[0] else ("I470",)
        return Options(_as_list(t, members, True, codes), at + 1, members[-1][1])
    return None
