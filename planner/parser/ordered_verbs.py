"""T045, S253: a word that is a noun as often as a verb, right after an order word, is the next stage.

"..., then log it in the issues tab", "-> log who replied", "and finally flag
any that fall short", "then issue the passes to the guests": "log", "flag",
"file", "issue", "chart", "text" name things as often as work ([lists]
clause_verbs in rules/words.toml), so the role lexicon leaves them out, the
tagger often reads them as nouns, and the step model, seeing a verb with no
role, drops them. Said right after an order word ("then", "finally", "next",
an arrow) and before their object, they can only be the command of the next
stage: no noun follows "then" and takes "the" or "it" after it.

T100 and S370 read the same words where the order is said by the layout
rather than a word: as the first word of a stage cut at an arrow ("pull the
list -> message each one -> log who replied", the arrow is not in the
stage's sentence), and as the last command of a comma series of three or
more ("collect the sheets, type them up, and flag anyone who ...").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from planner.parser.members import clause_verbs
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import parse_phrases

doc_only(
    "T045", "order-word-verb-tag",
    "In '... then log it in the issues tab' the word after 'then' is a verb: a word that is a noun as often as a verb ([lists] clause_verbs) opens the next stage after an order word.",
    """The tagger reads "log", "flag", "file", "issue", "chart" or "text" as
    a noun as often as a verb. Right after an order word ("then",
    "finally", "next", "lastly", an arrow "->" or "→", or an order phrase
    of several words, "at the end", "in the end", `[ordered_verbs]` in
    rules/parse.toml) and before what starts
    an object (a determiner, a pronoun, a name, a number, "who", "what",
    "any"), the word is the command of the next stage, and is tagged a verb.""",
)
doc_only(
    "S253", "order-word-stage",
    "'..., and finally flag any that fall short', '-> log who replied': a word that is a noun as often as a verb, said as a command right after an order word, is a stage.",
    """"Log", "flag", "file", "issue", "chart" and "text" have no role in
    the role lexicon (they label lines and name things too), and the step
    model, trained on them mostly as nouns or inside other work ("check the
    terms and flag anything odd" is one step), drops them. Right after an
    order word that opens its clause ("then", "finally", "next", "lastly",
    an arrow), with an object or a clause of its own, the word commands the
    stage after the work before it: a step.""",
)

doc_only(
    "T100", "arrow-stage-verb-tag",
    "In 'pull the list -> message each one -> log who replied' the stage after the arrow opens with a verb: a word that is a noun as often as a verb ([lists] clause_verbs), first in a stage cut at an arrow and before its object, is a verb.",
    """A task written as a chain of arrows is cut into one sentence per
    stage, so the arrow that T045 reads as an order word is no longer in
    the sentence of the stage after it, and "log", "flag", "file" or
    "chart" opening that stage is tagged a noun with the rest of the stage
    hung on it. The stage's first word, when it is such a word and what
    follows starts an object (a determiner, a pronoun, a name, a number,
    "who", "what", "any"), is the stage's command.""",
)
doc_only(
    "S370", "series-last-stage",
    "'Collect the sheets, type them into the tracker, and flag anyone who asked for a visit': a word that is a noun as often as a verb, commanded with an object after a comma in a series of three or more commands, is a stage.",
    """The step model, trained on "flag" and "log" mostly as nouns or as
    how one check is reported ("check the lease and flag anything odd" is
    one step), drops them even at the end of a comma series of commands.
    After a comma (", and", ", then") in a series of three or more commands
    joined as one list, with an object of its own, the word is one more
    stage of the series, like the commands before it. Two commands joined
    by a bare "and" are left to the other readings.""",
)

doc_only(
    "T102", "series-verb-tag",
    "In 'make a list of the packages, flag unusual licences, and open a ticket for each' the word after the comma is a command: a word that is a noun as often as a verb ([lists] clause_verbs), opening a comma segment with an object in a series of commands, is a verb.",
    """The tagger reads "flag", "log" or "chart" before an adjective or a
    noun as a noun ("flag unusual licences"), and the parse hangs the
    segment on the object before the comma as one more thing in a list.
    When the sentence (or a label's colon) opened the series with a
    command, the word opens its comma segment (after ",", ", and" or ",
    then"), what follows it can start an object, and either the segment
    after it opens with a command or two command segments came before it,
    the word is one more command. A list of things after one command
    ("buy paint, chart paper, and tape") has no command after it.""",
)

# The order words after which a clause opens with its command.
ORDER_WORDS = frozenset({"then", "finally", "next", "lastly", "->", "→", "=>", ">"})
# What starts an object after the command ("log who replied", "flag any that ...").
_OBJECT_WORDS = frozenset({"who", "what", "which", "any", "anyone", "anything", "all", "every", "each", "everything", "everyone"})
_OBJECT_TAGS = frozenset({"DET", "PRON", "PROPN", "NUM"})


def _dual(low: str) -> bool:
    return low in clause_verbs()


def _order_phrases() -> tuple[tuple[str, ...], ...]:
    """Order phrases of several words that open a clause like "then" ("at the end", "in the end")."""
    return parse_phrases("ordered_verbs", "order_phrases")


def after_order(lows: Sequence[str], i: int) -> bool:
    """Whether word ``i`` comes right after an order word, or an order phrase ("at the end")."""
    return (i > 0 and lows[i - 1] in ORDER_WORDS) or _after_phrase(lows, i)


def _objects_next(lows: Sequence[str], out: Sequence[str], i: int) -> bool:
    return i + 1 < len(lows) and (out[i + 1] in _OBJECT_TAGS or lows[i + 1] in _OBJECT_WORDS)


# _order_phrases() by their last word (None if one is empty: it ends anywhere), kept with the
# tuple they were worked out for: asked of nearly every word, most of which end no phrase.
_BY_LAST: list[tuple[tuple[tuple[str, ...], ...], dict[str, tuple[tuple[str, ...], ...]] | None]] = []


def _after_phrase(lows: Sequence[str], i: int) -> bool:
    phrases = _order_phrases()
    if not _BY_LAST or _BY_LAST[0][0] is not phrases:
        by_last: dict[str, tuple[tuple[str, ...], ...]] | None = None
        if all(phrases):
            groups: dict[str, list[tuple[str, ...]]] = {}
            for p in phrases:
                groups.setdefault(p[-1], []).append(p)
            by_last = {last: tuple(group) for last, group in groups.items()}
        _BY_LAST[:] = [(phrases, by_last)]
    ends = _BY_LAST[0][1]
    if ends is not None:
        if not 0 < i <= len(lows):
            return False  # no word before i: no phrase ends there
        phrases = ends.get(lows[i - 1], ())
    return any(i >= len(p) and tuple(lows[i - len(p):i]) == p for p in phrases)


def order_word_tags(
    lows: Sequence[str], out: list[str], why: list[str], chained: bool = False, verbish: Callable[[str], bool] | None = None
) -> None:
    """T045 on the tags (in place); T100 on the first word when the sentence opens a stage after an arrow.
    ``verbish(low)``: whether a word is a lexicon verb, which after an order phrase of several
    words ("at the end list what is missing") opens the stage as well."""
    if chained and len(lows) > 1 and _dual(lows[0]) and _objects_next(lows, out, 0):
        out[0], why[0] = "VERB", why[0] or "T100"
    for i in range(1, len(lows) - 1):
        if out[i] == "VERB" or not after_order(lows, i):
            continue
        if not (_dual(lows[i]) or (verbish is not None and out[i] == "NOUN" and _after_phrase(lows, i) and verbish(lows[i]))):
            continue
        if out[i + 1] in _OBJECT_TAGS or lows[i + 1] in _OBJECT_WORDS:
            out[i], why[i] = "VERB", "T045"


def _with_object(t: Tree, i: int) -> bool:
    return bool(t.children(i, "obj", "ccomp", "xcomp", "iobj")) or (i + 1 < len(t) and t.low(i + 1) in _OBJECT_WORDS)


_OBJECT_START_TAGS = frozenset({"DET", "PRON", "PROPN", "NUM", "NOUN", "ADJ"})
_RUN_STARTS = frozenset({":", "：", ";"})


def series_verb_tags(lows: Sequence[str], out: list[str], why: list[str]) -> None:
    """T102 on the tags (in place)."""
    n = len(lows)
    commands = 0  # command segments in the current run
    for i in range(n - 1):
        prev = lows[i - 1] if i else ""
        if i == 0 or prev in _RUN_STARTS:
            commands = int(out[i] == "VERB")
            continue
        if lows[i] in (".", "!", "?"):
            commands = 0
            continue
        k = i - 1
        while k > 0 and lows[k] in _SERIES_JOINS:
            k -= 1
        if not commands or lows[k] != ",":
            continue
        if out[i] == "VERB":
            commands += 1
            continue
        if not (_dual(lows[i]) and (out[i + 1] in _OBJECT_START_TAGS or lows[i + 1] in _OBJECT_WORDS)):
            continue
        j = i + 1
        while j < n and lows[j] not in (",", ".", ";", "!", "?", ":"):
            j += 1
        m = j + 1
        while m < n and lows[m] in _SERIES_JOINS:
            m += 1
        if (j < n and lows[j] == "," and m < n and out[m] == "VERB") or commands >= 2:
            out[i], why[i] = "VERB", "T102"
            commands += 1


def order_word_stage(t: Tree, i: int) -> bool:
    """S253: whether word ``i`` is such a command right after an order word (or opening a stage
    after an arrow, T100), with an object."""
    # a lexicon verb the tagger took for a noun after an order phrase ("at the end list ...") is tagged by T045 too
    if t.words[i].upos != "VERB" or not (_dual(t.low(i)) or getattr(t.words[i], "retagged", "") == "T045"):
        return False
    lows = [t.low(k) for k in range(max(0, i - 4), i + 1)]
    ordered = after_order(lows, len(lows) - 1) if i > 0 else getattr(t.words[0], "retagged", "") == "T100"
    return ordered and _with_object(t, i)


# What may stand between the series' comma and its last command (", and flag", ", then log").
_SERIES_JOINS = frozenset({"and", "then", "&"})


def _commands_in_series(t: Tree, top: int) -> int:
    """How many commands the list headed at ``top`` holds (nested conjuncts, and commands the
    parse set side by side after a comma, included)."""
    seen, todo = 0, [top]
    while todo:
        k = todo.pop()
        seen += t.words[k].upos == "VERB"
        todo.extend(c for c in t.children(k, "conj", "parataxis"))
    return seen


def series_stage(t: Tree, i: int) -> bool:
    """S370: whether word ``i`` is such a command after a comma in a series of three or more commands."""
    if t.words[i].upos != "VERB" or not _dual(t.low(i)) or t.rel(i) != "conj" or i < 2 or not _with_object(t, i):
        return False
    k = i - 1
    while k > 0 and t.low(k) in _SERIES_JOINS:
        k -= 1
    if t.low(k) != ",":
        return False
    top = i
    while t.rel(top) in ("conj", "parataxis") and (h := t.head(top)) is not None:
        top = h
    return t.words[top].upos == "VERB" and _commands_in_series(t, top) >= 3
