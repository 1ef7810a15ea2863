"""Text as people dictate it or type it fast in chat, read like written text.

Dictated and chat requests come as lowercase run-ons with little or no
punctuation ("ok so pull the sales numbers compare them with march and then
like send me a chart"), with fillers, self-corrections ("send it to dave no
wait to maria"), spoken numbers ("room four twelve") and polite wrappers
("can you like", "i need you to"). The syntax model learned English from
edited web text: it reads such a run-on as one long sentence and loses the
second and third commands inside it.

This module edits the front's *view* of the text, never the text: every edit
keeps the length, so each word keeps its offsets and every step still quotes
the user's own words. The edits, each a reading with a code:

- T011 fillers and openers are blanked ("um", "basically", a leading "so"/"okay",
  "like" or "you know" where a command follows them);
- T012 a self-correction is resolved: the words it takes back are blanked,
  with the cue, so the repair stands where the slip stood;
- T013 a polite wrapper before a command is blanked ("can you", "i need you
  to"), so the command reads as one;
- T014 a clause boundary is written where speech leaves it out: before a cue
  ("and then", "also", "so", "okay") that a command follows, and between two
  commands said one after the other ("vacuum the stairs mop the kitchen"); the
  space before becomes a line break and the next word gets a capital, which
  the tokenizer reads as a new sentence;
- T015 a spoken number right after a noun that names things by number ("room
  four twelve", "gate seven") is one name, not a count;
- T016 a lone lowercase "i" is read as the pronoun "I", and a unit's first
  word gets the capital edited text would give it (unless it is a verb of
  the lexicon, which the parser reads as a command in lower case already).

Only *spoken* units get T011-T014 and T016: every unit of a text that opens
most of its sentences in lower case, and any unit that holds a filler or a
repair cue. Text written with capitals and punctuation is
read as before (T015 applies to all text: a number after "room" is a name however
it is written). Word lists are data: ``[spoken]`` in ``rules/parse.toml``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from planner import lazyre
from planner.parser.front import Front
from planner.parser.readings import doc_only
from planner.parser.words import Words, parse_phrases

doc_only(
    "T011", "spoken-filler",
    "Fillers and openers of speech ('um', 'basically', a leading 'ok so', 'like' before a command) are no words of the request.",
    """Dictated and chat text carries hesitation sounds, hedges and turn openers
    that the treebank rarely has; the tagger reads "like" as a verb or
    preposition and "so" as a joiner, and the command after them is lost or
    quoted with them. They are blanked in the parser's view (the text and its
    offsets are kept): "um can you like water the plants" reads as "water the
    plants". "like" and "you know" are blanked only where a command follows
    them ("things like logs" keeps its "like").""",
)
doc_only(
    "T012", "self-correction",
    "A spoken repair ('to dave no wait to maria', 'the blue one I mean the red one') replaces the words it takes back.",
    """Speech corrects itself in passing: the words after a cue ("no wait",
    "scratch that", "I mean") replace the last phrase of the same kind before
    it, found by the word the repair starts with ("to ... to", "the ... the",
    "table nine ... table ten"). The slip and the cue are blanked, so the parser
    reads only the repaired request. Weak cues ("I mean", "sorry", "wait") repair only
    when the words after them start with the very word a phrase before them started
    with; otherwise they are left as words ("needs to wait on it").""",
)
doc_only(
    "T013", "polite-wrapper",
    "In spoken text a polite wrapper before a command ('can you', 'i need you to', 'let's') is not part of the work: the command is.",
    """"could you maybe draft the newsletter and then send it" asks for the
    draft and the send. The treebank reads the wrapper's verb ("need", "want")
    as the root and the commands as its complements, and a command joined to
    the wrapper by "and also" can be dropped. The wrapper is blanked where a
    verb phrase follows it, at the start of a clause of a spoken unit.""",
)
doc_only(
    "T014", "spoken-clause-boundary",
    "Unpunctuated speech is cut into sentences before a cue that a command follows ('... and then order a filter') and between commands said back to back.",
    """A dictated request has no full stops: "pull the sales numbers compare
    them with march tell me what changed" is three commands. A clause starts
    before a cue ("also", "so", "okay"; "and then", "after that" only in a
    clause that opened with its command) when a verb phrase follows it ("so I
    can swap it" is a purpose, no new clause), and
    before a lexicon verb followed by an object ("the", "it", "me") right
    after a noun, in a stretch that opened with a command and has no
    subordinate clause ("make sure the users report it" stays one), and at a
    line break before a line that opens with a command. Only spoken units are
    cut, never text written with capitals.""",
)
doc_only(
    "T015", "spoken-number-name",
    "A spoken number right after a noun that names things by number ('room four twelve', 'gate seven') is a name, not a count.",
    """"book room four twelve" books one room; read as a count, "twelve rooms"
    or "table nine" made nine parallel steps. After a noun of
    ``numbered_nouns`` (rules/parse.toml), a run of number words ("two oh
    five") is read as one proper name, unless it counts something after it
    ("three of them", "two chairs") or the noun opens the clause as its verb
    ("order three of them").""",
)
doc_only(
    "T016", "spoken-capitals",
    "In spoken text a lone lowercase 'i' is the pronoun 'I', and the first word of a unit is read with its capital.",
    """Chat and dictation write in lower case; the tagger learned the pronoun
    and sentence openings capitalised. It reads a lone "i" as a symbol or a
    list label, and a lowercase opening command ("water the plants", "feed
    the cat") as a noun, and the command is lost. The view gives them the
    capitals edited text would have (the text keeps its own).""",
)


# Phrases by their first word, longest first: a lookup per word, not a scan of every phrase.
Phrases = Mapping[str, tuple[tuple[str, ...], ...]]


@dataclass(frozen=True)
class SpokenWords:
    fillers: frozenset[str]
    soft: Phrases
    openers: Phrases
    strong: Phrases
    weak: Phrases
    wrappers: Phrases
    requests: Phrases
    cues: Phrases
    order_cues: Phrases
    no_clause_after: frozenset[str]
    object_starts: frozenset[str]
    subordinators: frozenset[str]
    numbered: frozenset[str]
    numbers: frozenset[str]


def _by_first(key: str) -> Phrases:
    out: dict[str, list[tuple[str, ...]]] = {}
    # longest first, so "and then" is found before "then"
    for p in parse_phrases("spoken", key):
        out.setdefault(p[0], []).append(p)
    return {k: tuple(v) for k, v in out.items()}


@cache
def spoken_words() -> SpokenWords:
    """The word lists of ``[spoken]`` in rules/parse.toml (cached for the process)."""
    def words(key: str) -> frozenset[str]:
        return frozenset(" ".join(p) for p in parse_phrases("spoken", key))

    return SpokenWords(
        fillers=words("fillers"),
        soft=_by_first("soft_fillers"),
        openers=_by_first("openers"),
        strong=_by_first("strong_corrections"),
        weak=_by_first("weak_corrections"),
        wrappers=_by_first("wrappers"),
        requests=_by_first("request_openers"),
        cues=_by_first("clause_cues"),
        order_cues=_by_first("order_cues"),
        no_clause_after=words("no_clause_after"),
        object_starts=words("object_starts"),
        subordinators=words("subordinators"),
        numbered=words("numbered_nouns"),
        numbers=words("number_words"),
    )


class _Word(NamedTuple):
    low: str
    start: int
    end: int


# Words as the edits see them: letters with inner apostrophes, numbers, or one mark.
_TOKEN = lazyre.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d\w*(?:[.,:]\d\w*)*|\w+|[^\w\s]")
# Marks that end a stretch: the writer's own punctuation is kept as written.
_MARKS = frozenset(",;:.!?()[]{}\"“”—–")
# Determiners and prepositions: a repair that starts with one replaces the last
# phrase that starts with one of the same class ("to dave no wait from maria").
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "my", "your", "our", "their", "his", "her"})
_PREPOSITIONS = frozenset({"to", "from", "for", "at", "in", "on", "with", "by", "into", "onto", "near", "before", "after"})
# How far back (in words) a repair looks for the phrase it replaces: speech
# repairs the last phrase or two, never a clause said long before.
_REPAIR_REACH = 8


@dataclass
class _Edits:
    view: list[str]
    fired: list[tuple[str, int, int]] = dataclasses.field(default_factory=list)

    def blank(self, start: int, end: int, code: str) -> None:
        for k in range(start, end):
            if self.view[k] != "\n":
                self.view[k] = " "
        self.fired.append((code, start, end))

    def name(self, start: int, end: int) -> None:
        self.view[start] = "Q"
        for k in range(start + 1, end):
            self.view[k] = "x"
        self.fired.append(("T015", start, end))


def _match(words: Sequence[_Word], i: int, phrases: Phrases, live: list[bool]) -> int:
    """Length (in words) of the longest phrase of ``phrases`` at ``i``, 0 when none."""
    if i >= len(words):
        return 0
    for p in phrases.get(words[i].low, ()):
        n = len(p)
        if i + n <= len(words) and all(live[i + k] and words[i + k].low == p[k] for k in range(n)):
            return n
    return 0


def _verb_start(words: Sequence[_Word], k: int, sw: SpokenWords, w: Words, strict: bool) -> bool:
    """Whether a verb phrase can start at word ``k``: a lexicon verb, or (loosely) a word no noun phrase opens with."""
    if k >= len(words):
        return False
    low = words[k].low
    if w.role_of(low) is not None:
        return True
    if strict or not low.isalpha() or len(low) < 2:
        return False
    return low not in sw.no_clause_after and low not in sw.object_starts and low not in sw.numbers and low not in sw.fillers


def _openings(words: Sequence[_Word], view: str) -> tuple[int, int]:
    """How many sentences of a unit open in lower case, and how many with a capital."""
    low = high = 0
    opening = True
    for x in words:
        if opening and x.low[0].isalpha():
            if view[x.start].islower():
                low += 1
            elif x.low != "i":
                high += 1
            opening = False
        if x.low in _SENTENCE_MARKS:
            opening = True
    return low, high


def _is_spoken(words: Sequence[_Word], sw: SpokenWords, lower_text: bool) -> bool:
    """A unit written as speech: the text opens its sentences in lower case, or the unit holds a filler or a repair cue."""
    if lower_text:
        return True
    lows = [x.low for x in words]
    if any(x in sw.fillers for x in lows):
        return True
    joined = " " + " ".join(lows) + " "
    return any(" " + " ".join(p) + " " in joined for ps in sw.strong.values() for p in ps)


def _next_live(live: list[bool], k: int) -> int:
    while k < len(live) and not live[k]:
        k += 1
    return k


def _resolve_repairs(words: Sequence[_Word], live: list[bool], ed: _Edits, sw: SpokenWords, w: Words) -> None:
    """T012: blank the slip and the cue of each self-correction."""
    i = 1
    while i < len(words):
        strong = _match(words, i, sw.strong, live)
        n = strong or _match(words, i, sw.weak, live)
        if not n or not live[i - 1] or words[i - 1].low in _MARKS:
            i += 1
            continue
        y = _next_live(live, i + n)
        if y >= len(words) or words[y].low in _MARKS:
            i += n
            continue
        first = words[y].low
        reach = range(i - 1, max(-1, i - 1 - _REPAIR_REACH), -1)
        back = None
        for k in reach:
            if words[k].low in _MARKS:
                break
            if live[k] and words[k].low == first:
                back = k
                break
        if back is None and strong and first in _DETERMINERS | _PREPOSITIONS:
            same = _DETERMINERS if first in _DETERMINERS else _PREPOSITIONS
            back = next((k for k in reach if live[k] and words[k].low in same), None)
        if back is None and strong:
            if w.role_of(first) is not None:  # "call dave no wait email him": the command is taken back
                back = next((k for k in reach if live[k] and w.role_of(words[k].low) is not None), None)
            if back is None:
                back = i - 1  # "to dave no wait maria": the last word
        if back is None:
            i += n
            continue
        ed.blank(words[back].start, words[i + n - 1].end, "T012")
        for k in range(back, i + n):
            live[k] = False
        i += n


def _blank_fillers(words: Sequence[_Word], live: list[bool], ed: _Edits, sw: SpokenWords, w: Words, view: str) -> None:
    """T011: hesitation words anywhere, and soft fillers where a command follows them."""
    for k, x in enumerate(words):
        # a filler written in capitals is an acronym ("ERM", "UM" for a unit of measure)
        if live[k] and x.low in sw.fillers and not (len(x.low) > 1 and view[x.start : x.end].isupper()):
            ed.blank(x.start, x.end, "T011")
            live[k] = False
    k = 0
    while k < len(words):
        n = _match(words, k, sw.soft, live) if live[k] else 0
        if not n:
            k += 1
            continue
        prev = next((j for j in range(k - 1, -1, -1) if live[j]), None)
        after = _next_live(live, k + n)
        opens = prev is None or words[prev].low in _MARKS or words[prev].low in _CLAUSE_EDGE
        head = words[k].low
        # "the price list you know the one from april": an aside, wherever it stands,
        # unless a word before asks or knows ("do you know", "if you know", "what you know")
        aside = head == "you" and prev is not None and words[prev].low not in _KNOWING and after < len(words)
        if head in ("like", "you") and not opens and not aside:
            k += n
            continue
        if aside or _verb_start(words, after, sw, w, strict=head == "just"):
            ed.blank(words[k].start, words[k + n - 1].end, "T011")
            for j in range(k, k + n):
                live[j] = False
        k += n


# Words before "you know" that make it a question or a clause of its own ("do you
# know", "if you know", "what you know", "as you know").
_KNOWING = frozenset({
    "do", "does", "did", "don't", "dont", "didn't", "didnt", "if", "whether", "what", "who", "whoever",
    "how", "as", "that", "because", "will", "would", "can", "could", "might", "may", "should", "whatever",
})
# Words after which a soft filler stands at the edge of a clause ("and then like
# print it", "can you like water them", "need you to like fix it").
_CLAUSE_EDGE = frozenset({"and", "then", "also", "so", "you", "u", "to", "please", "pls", "just", "maybe", "ok", "okay"})


def _clause_start(words: Sequence[_Word], live: list[bool], k: int, ed: _Edits, sw: SpokenWords, w: Words, plain: bool) -> None:
    """T011/T013: blank openers and polite wrappers at the start of the clause at ``k``
    (the start of a unit, of a sentence or of a clause cut by T014; never after a comma,
    where "so" and "then" join the clause to the one before). A wrapper is blanked
    only when ``plain``: its clause ends with no question mark or colon, which the
    parser's own question and list readings need ("can you pull numbers from: ...")."""
    while True:
        k = _next_live(live, k)
        if k >= len(words):
            return
        n = _match(words, k, sw.openers, live)
        code = "T011"
        if n:
            # an opener needs a clause after it ("ok" alone is an answer)
            after = _next_live(live, k + n)
            rest = sum(1 for j in range(k + n, min(len(words), k + n + 3)) if live[j] and words[j].low not in _MARKS)
            if rest < 2 or (after < len(words) and words[after].low in _MARKS):  # "ok, ..." keeps its own mark
                return
        else:
            n = _match(words, k, sw.wrappers, live) or _match(words, k, sw.requests, live)
            code = "T013"
            if not n or not plain or not _verb_start(words, _next_live(live, k + n), sw, w, strict=False):
                return
        ed.blank(words[k].start, words[k + n - 1].end, code)
        for j in range(k, k + n):
            live[j] = False
        k += n


def _break_before(words: Sequence[_Word], k: int, ed: _Edits) -> bool:
    """T014: a line break in the view before word ``k`` and a capital on it."""
    s = words[k].start
    if s == 0 or ed.view[s - 1] not in " \n":
        return False
    ed.view[s - 1] = "\n"  # a line break the text may already have: the capital makes it a sentence break
    ed.view[s] = ed.view[s].upper()
    ed.fired.append(("T014", s, words[k].end))
    return True


def _stretches(words: Sequence[_Word]) -> list[tuple[int, int, bool]]:
    """Runs of words between the writer's own marks, and whether each opens a sentence."""
    out: list[tuple[int, int, bool]] = []
    a = 0
    opens = True
    for k, x in enumerate(words):
        if not x.low[0].isalnum():  # the writer's own marks: "," ";" "+" "-" "/" ...
            if k > a:
                out.append((a, k, opens))
            a = k + 1
            opens = x.low in _SENTENCE_MARKS
    if len(words) > a:
        out.append((a, len(words), opens))
    return out


_SENTENCE_MARKS = frozenset(".!?")


def _cut_clauses(words: Sequence[_Word], live: list[bool], ed: _Edits, sw: SpokenWords, w: Words) -> None:
    """T014 (and T011/T013 at each clause start): cut unpunctuated stretches into clauses."""
    for a, b, opens in _stretches(words):
        plain = b >= len(words) or words[b].low in (".", "!")
        if opens:
            _clause_start(words, live, a, ed, sw, w, plain)
        begun = _next_live(live, a)
        command = begun < b and w.role_of(words[begun].low) is not None
        subordinate = False
        stated = False  # a clause with its own verb came first ("the party is saturday order the cake")
        k = begun + 1
        while k < b:
            if not live[k]:
                k += 1
                continue
            prev = next((j for j in range(k - 1, a - 1, -1) if live[j]), None)
            n = _match(words, k, sw.cues, live)
            if not n and _verb_start(words, begun, sw, w, strict=False):
                n = _match(words, k, sw.order_cues, live)
            if n and prev is not None and k - begun >= 2 and (n > 1 or words[prev].low not in sw.no_clause_after):
                after = _next_live(live, k + n)
                # "so" and "okay" must be followed by a command; "and then", "also" by any verb phrase
                strict = words[k].low in ("so", "okay", "ok")
                wrapped = _match(words, after, sw.wrappers, live) > 0 or _match(words, after, sw.requests, live) > 0
                opener = _match(words, k, sw.openers, live) == n
                obj = _next_live(live, after + 1)
                if opener and obj < b and words[obj].low in _BACK:
                    # "so start that first", "so do it after": a remark on work named before,
                    # which the parser reads from its "So" (a consequence, no new step)
                    opener = False
                if after < b and (wrapped or _verb_start(words, after, sw, w, strict=strict)) and (opener or _break_before(words, k, ed)):
                    _clause_start(words, live, k + n, ed, sw, w, plain)
                    begun, subordinate = _next_live(live, k + n), False
                    if opener:
                        # "... the shared drive so delete the old drafts": the turn's "so" or
                        # "okay" only opens the clause (the parser reads "So delete ..." as a
                        # consequence, not a command), so it goes and the command opens it
                        ed.blank(words[k].start, words[k + n - 1].end, "T011")
                        for j in range(k, k + n):
                            live[j] = False
                        _break_before(words, begun, ed)
                    command = begun < b and w.role_of(words[begun].low) is not None
                    k = begun + 1
                    continue
            low = words[k].low
            if (
                prev is not None
                and "\n" in ed.view[words[prev].end : words[k].start]
                and words[prev].low not in sw.no_clause_after
                and _verb_start(words, k, sw, w, strict=False)
                and _break_before(words, k, ed)
            ):  # a line of its own that opens with a command: "buy dog food" under "call the vet"
                _clause_start(words, live, k, ed, sw, w, plain)
                begun, subordinate = _next_live(live, k), False
                command = begun < b and w.role_of(words[begun].low) is not None
                k = begun + 1
                continue
            if low in sw.subordinators:
                subordinate = True
            elif low in _FINITE:
                stated = True
            elif (
                (command or stated)
                and not subordinate
                and prev is not None
                and k - begun >= 2
                and words[prev].low not in sw.no_clause_after
                and words[prev].low not in sw.numbers
                and w.role_of(low) is not None
                and low not in w.not_work_nouns
                and low not in w.ambiguous
                and (nxt := _next_live(live, k + 1)) < b
                and words[nxt].low in sw.object_starts
                and _break_before(words, k, ed)
            ):
                begun, command, stated = k, True, False  # "vacuum the stairs mop the kitchen": a second command
            k += 1


# Words that can follow a name said as a number: a joiner, a preposition, a repair
# or a time word. Anything else after the number is what it counts.
_NAME_ENDS = frozenset({"and", "or", "then", "so", "but", "no", "wait", "please", "pls", "today", "tomorrow", "tonight", "now"}) | _PREPOSITIONS


# Objects that point back at work already named.
_BACK = frozenset({"that", "it", "this", "them", "those", "these"})
# Copulas and auxiliaries that make a statement of their own: a command after its
# complement, with no joiner, starts a new clause ("the party is saturday order the cake").
_FINITE = frozenset({"is", "are", "was", "were", "isnt", "isn't", "arent", "aren't", "wasnt", "wasn't", "weren't", "werent", "'s", "'re"})


def _name_numbers(words: Sequence[_Word], live: list[bool], ed: _Edits, sw: SpokenWords) -> None:
    """T015: "room four twelve", "gate seven": the number names the thing."""
    k = 1
    while k < len(words) - 1:
        prev = next((j for j in range(k - 1, -1, -1) if live[j]), None)
        if not (
            live[k]
            and words[k].low in sw.numbered
            and prev is not None
            and words[prev].low not in _MARKS
            and words[prev].low not in _CLAUSE_EDGE  # "please order two chairs": the noun is a verb there
        ):
            k += 1
            continue
        j = k + 1
        while j < len(words) and live[j] and (words[j].low in sw.numbers or (words[j].low == "oh" and j > k + 1)):
            j += 1
        if words[j - 1].low == "oh":
            j -= 1
        after = words[j].low if j < len(words) else ""
        # a name ends its phrase ("room four twelve for the standup", "gate seven and then ...");
        # a count goes on to what it counts ("three of them", "two new chairs")
        named = not after or after in _MARKS or after in _NAME_ENDS
        if j > k + 1 and named:
            ed.name(words[k + 1].start, words[j - 1].end)
            for m in range(k + 1, j):
                live[m] = False
        k = j


def respeak(
    view: str, units: Sequence[tuple[int, int]], w: Words, chained: Sequence[bool] = ()
) -> tuple[str, tuple[tuple[str, int, int], ...]]:
    """``view`` with the spoken readings applied inside each unit, and what fired where.

    ``chained[k]`` says that unit ``k`` follows an arrow: it is no sentence
    start of its own, so it gets no capital."""
    sw = spoken_words()
    ed = _Edits(list(view))
    unit_words = [[_Word(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(view, s, e)] for s, e in units]
    # The text's own style: lower-case sentence openings in most of its sentences
    # (units after an arrow are no sentence openings and are not counted).
    low = high = 0
    for k, words in enumerate(unit_words):
        if not (k < len(chained) and chained[k]):
            a, b = _openings(words, view)
            low, high = low + a, high + b
    lower_text = low > high
    for k, words in enumerate(unit_words):
        if not words:
            continue
        live = [True] * len(words)
        if _is_spoken(words, sw, lower_text):
            _resolve_repairs(words, live, ed, sw, w)
            _blank_fillers(words, live, ed, sw, w, view)
            _cut_clauses(words, live, ed, sw, w)
            for k, x in enumerate(words):
                if live[k] and x.low == "i" and view[x.start] == "i":
                    ed.view[x.start] = "I"
                    ed.fired.append(("T016", x.start, x.end))
            first = _next_live(live, 0)
            if (
                not (k < len(chained) and chained[k])
                and first < len(words)
                and words[first].low.isalpha()
                and ed.view[words[first].start].islower()
                # a lexicon verb is read as a command in lower case already (T002), and
                # "Benchmark" or "Test" with a capital reads as a noun
                and w.role_of(words[first].low) is None
            ):
                ed.view[words[first].start] = ed.view[words[first].start].upper()
                ed.fired.append(("T016", words[first].start, words[first].end))
        _name_numbers(words, live, ed, sw)
    if not ed.fired:
        return view, ()
    return "".join(ed.view), tuple(sorted(ed.fired, key=lambda f: (f[1], f[0])))


def spoken_front(front: Front, w: Words) -> Front:
    """``front`` with its view read as speech where its units are spoken (T011-T016)."""
    kept = [u for u in front.units if u.kind != "heading"]
    view, fired = respeak(front.view, [(u.start, u.end) for u in kept], w, [u.chained for u in kept])
    if not fired:
        return front
    return dataclasses.replace(front, view=view, spoken=tuple(sorted((*front.spoken, *fired), key=lambda f: (f[1], f[0]))))
