"""The options of a choice: competing approaches the text offers, read by what announces them.

A list of options is often not a list of short noun phrases: people offer
courses of action ("shard the table, add a replica, or cache the hot rows"),
long names with their means ("a Sony body with the kit lens and a tracker"),
or numbered clauses. Their shape is too loose for the list reader
(``distribute.py``); what marks them is what comes before them: a noun
that names options ("three ideas:", "the candidates are"), a verb of
choosing before a colon, numbers "(1) ... (2) ...", a counted noun with the
names in brackets, or a question between two phrases with the same
preposition ("in Go with templ or in TypeScript with Next.js?").

The members are cut at the separators outside brackets; verbs inside them
are the options' own words, not steps to do one after another (I272).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from planner import tomlcache
from planner.errors import RuleFileError
from planner.parser.distribute import ItemList
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I270", "options-after-colon",
    "After a noun that names options ('three ideas:', 'Options:') or a verb of choosing ('decide how to ...:'), the list after the colon is the competing approaches, whatever their form.",
    """"We have three ideas: shard the table by tenant, add a read replica, or
    cache the hot rows." The noun says what the list is, so its members are
    options even when they are clauses or long phrases. A singular noun with
    no count ("Approach: ...") describes one plan and is not read this way,
    unless the list says "or"; a verb of choosing needs an "or" list. When
    the noun is counted, the list must have as many members. A question that
    opens with "which" sets its options off with a comma just as well ("Which
    is better for the wiki, Notion or Confluence?"), when an "or" follows.""",
)
doc_only(
    "I271", "options-after-copula",
    "'The candidates are A, B, or C': a list said to be the options is the competing approaches.",
    """An option noun as the subject of "are", "is" or "include" names what
    follows: "The options on the table are (1) ..., (2) ..., or (3) ...".""",
)
doc_only(
    "I272", "clause-options",
    "Verb phrases that are the members of a list of options are options, not steps done one after another.",
    """"three ideas: partition by year, add covering indexes, or archive old
    rows. Try each on a copy": the verbs name the approaches; the work is
    trying each of them, then comparing.""",
)
doc_only(
    "I273", "numbered-options",
    "'(1) a cron job, (2) a queue worker, (3) a managed scheduler' and '(a) ..., (b) ...': numbered members are the items, cut at the numbers.",
    """Numbers or letters in brackets in sequence cut the members, so commas
    and "and" inside a member stay in it ("precompute nightly and serve from
    cache"). They are options after an option noun or a verb of choosing,
    when "or" comes before the last number, or when the numbers open the
    sentence; a labelled line of numbered needs ("Requirements: (1) ...")
    is not.""",
)
doc_only(
    "I591", "numbered-options-inline",
    "'we can (1) buy it, (2) lease it, or (3) rent it': numbers in brackets inside a sentence, with 'or' before the last, mark options that start at the first number.",
    """With no option noun or verb of choosing before them, numbers or
    letters in brackets that count up from one ("(1)", "(a)") in the middle
    of a sentence, with "or" before the last one, offer a choice: each
    member, from its number to the next, is an option, a course of action
    as often as a name, and the words before the first number ("for the
    new press we can") are no option. A modal of possibility before the
    first number ("we could offer: (a) ..., (b) ...") offers a choice as
    the "or" does. Without either ("we need to (1) clean it, (2) fit it,
    (3) write it up") the numbers order stages.""",
)
doc_only(
    "I274", "bracketed-options",
    "'in three tones (cheeky, earnest, and aimed at teenagers)': names in brackets right after a counted plural noun are its items.",
    """The count must match the names. They are competing versions when the
    noun names options or the sentence goes on to choose ("and pick the
    best"); otherwise they are items of the work.""",
)
doc_only(
    "I275", "prepositional-alternatives",
    "'Should it be in Go with templ or in TypeScript with Next.js?': two phrases with the same preposition joined by 'or' in a choice are the options.",
    """In a question or after a verb of choosing, "P X or P Y" offers X and Y
    as the ways to do the work. Each phrase is short and names a thing.""",
)

doc_only(
    "I396", "prepositional-alternatives-run",
    "'on a kiosk at the desk, on their own laptop, or on paper?': every comma-led phrase with the preposition of the last two is an option, not only the two beside 'or'.",
    """I275 reads the two phrases around "or"; a writer offering three ways
    repeats the preposition before each ("in Go, in Rust, or in Zig"), so
    the phrases before them with the same preposition, each ending at a
    comma, are options too. A phrase in between with no comma ends the run.""",
)

doc_only(
    "I276", "choice-question",
    "'Which is cheaper: A, B or C? Try each and compare': a question or a request to choose that offers options is answered by the work on them that follows; it is no step of its own.",
    """The question ("which is faster: ...?") or the request to choose ("help us
    decide how to heat the shed: ...") states the choice, and the sentences
    after it say how to make it (try each, compare, pick one). Asked alone, with no work after it,
    the question stays a step: answering it is the work.""",
)

doc_only(
    "I277", "options-named-next",
    "'Three approaches come to mind. Rewrite it in numpy, port it to Rust, or cache the results.': the sentence after a count of options names them.",
    """A sentence that counts options without naming them ("two candidates
    stand out", "I see three ways") is followed by their names; the next
    sentence is read as the options when it is a list of as many members,
    whole or offering a choice with "or".""",
)

doc_only(
    "I278", "options-weighed-once",
    "After work said for each option, a step that weighs them ('see which gives ...', 'compare accuracy at both levels', 'write a comparison with your pick') is done once, not once per option.",
    """Options compete: the work on each is done side by side, and the step
    that compares them, picks one or says which is best joins them. Such a
    step is never the first one said for each option ("benchmark each to see
    which is faster" benchmarks each).""",
)

doc_only(
    "I474", "named-then-asked",
    "'Mailgun, Postmark or our own SMTP box - which is cheaper for us?': an 'or' list that opens a question, before a dash or a colon and 'which is better', names the options.",
    """The sentence opens with names joined by "or" (the last may be a course
    of action, "or staying where we are"), each of at most seven words, then
    a dash or a colon, then a question that asks which or what is better,
    cheaper, faster (``comparing``). The names are the options the question
    asks about; the work after it is done on each (I276, I383). A list of
    facts before a question of facts ("logs, traces or metrics - what did the
    alert say?") has no word that compares and is not read.""",
)
doc_only(
    "I279", "versus-options",
    "'pgbouncer in transaction mode vs just bumping max_connections to 500': 'vs' offers options whatever their form, each running to the clause's edge or the next 'vs'.",
    """"vs" and "versus" only ever join alternatives, so the options around them
    may be long phrases or clauses the list reader would cut short. The first
    option starts after the clause's edge (a colon, a dash, a comma, the verb
    that weighs them); the last ends before the clause's edge or a phrase that
    says what the options are for ("... for the segment reader"). An option of
    more than eight words is no option.""",
)

doc_only(
    "I672", "versus-action-complement",
    "'Django 5 vs staying on 4.2 for the shop': a last option that opens with a verb keeps the preposition right after that verb ('staying on 4.2'); a later 'for ...' still says what the options are for.",
    """The "vs" reader (I279) ends the last option before "for", "on", "in",
    "as" or "when", which usually say what the options are for ("A vs B
    for the segment reader"). An option that is a course of action, a verb
    (after "just", "simply", "only", "still" or "rather", if one stands
    first: "vs just waiting for the stdlib"), takes its preposition right
    after that verb as its own ("staying on", "waiting for", "building
    in"): the option runs on through it to the next edge. A noun option
    ("vs Borg for the backups") ends before its "for" as before, and so does
    a verb option at a second preposition ("staying on 4.2 for the
    shop").""",
)

doc_only(
    "I510", "remark-inside-versus",
    "'budget ($40 a head) vs premium ($95 a head)': a short remark in brackets right after an option's words says something of that option; it ends neither the option nor the 'vs' chain.",
    """Writers put a price, a size or a caveat in brackets right after each
    option they set against another. The brackets are no clause edge for
    the "vs" reader (I279): the remark stays with the option before it, and
    its words do not count towards the option's length. Only a remark of a
    few words, glued to a word (not after a comma or colon), with no "vs"
    inside it; the brackets of a function's name ("read()") are as before.""",
)

doc_only(
    "I280", "one-each-named",
    "'two versions of the toast, one funny, one heartfelt': after a counted plural noun, members that each open with 'one' ('another', 'the other') name its items, as many as counted.",
    """The members are cut at each "one", so an "and" inside a member stays
    in it ("one funny, one short and sweet"); the last member ends at the
    clause's edge, a dash or a spaced hyphen included, or before "and" and
    a verb. A member whose "one" is the subject of a verb inside the member
    ("one parks on the verge, one blocks the drive") says what someone does
    and offers no option; a verb the parser hangs the last "one" on beyond
    the member's end does not count.""",
)

doc_only(
    "I512", "counted-then-one-each",
    "'Mock up two flyers for the fair, one bold and one calm': work on a counted plural noun, with as many 'one X' members set off after it (I280), is done once per member, whatever the noun.",
    """The counted ways of I472 need a noun of options ("two versions",
    "three ways"); members that each open with "one" ("one bold, one calm")
    say by themselves that the things counted differ one from another, so
    any counted plural noun between the verb and the members will do
    ("two flyers", "3 mockups"), when its count equals the members'. A step
    that joins or chooses is never spread.""",
)

_SEPARATOR = frozenset({",", ";", "or", "vs", "vs.", "versus"})
_ALTERNATIVE = frozenset({"or", "vs", "vs.", "versus"})
_DETERMINERS = frozenset({"the", "a", "an"})
_OPEN = frozenset({"(", "["})
_CLOSE = frozenset({")", "]"})
_COLONS = frozenset({":", "："})
_DASHES = frozenset({"—", "–", "--"})
_STOPS = frozenset({".", "?", "!"})
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_LETTERS = "abcdefgh"
# Modals that say what might be done, not what is to be done ("we could (a) ..., (b) ...", I591).
_MAYBE = frozenset({"could", "might"})
# An enumerator at the very start of a sentence is often taken by the front as a list marker:
# the words before the tree in the text tell whether one stood there.
_LEADING_MARK = re.compile(r"(?:\(\s*(?:1|a|i)\s*\)|(?:1|a|i)\s*\))\s*$", re.IGNORECASE)
# The most words between an option noun and its colon ("Which of the three CI options is
# faster for our monorepo:" has six); further back the noun belongs to another thought.
_NOUN_REACH = 8
# The most words between a counted noun and a dash that sets off its names ("three
# versions of the note to the council - polite, firm, and very firm -").
_BRACKET_REACH = 10
# The most words of one name set off after a counted noun and a comma ("two names for the
# puppy, 'Pickle' and 'Waffles'"); longer members are clauses, not names.
_NAME_WORDS = 4
# The most words of what one person vouches for ("a real tutor on a video site"); more is
# an account of what they do, not an option's name.
_VOUCHED_WORDS = 7
_POSSESSIVES = frozenset({"my", "our", "his", "her", "their", "your"})
_PLACE_PREPS = frozenset({"in", "with", "on", "at", "via", "using", "through", "by"})


@dataclass(frozen=True)
class OptionWords:
    nouns: frozenset[str]
    choosing: frozenset[str]
    copulas: frozenset[str]
    ends: frozenset[str]
    max_words: int
    weighing: frozenset[str]
    choice_nouns: frozenset[str]  # nouns that name options only in a list that offers a choice
    vouching: frozenset[str]  # verbs by which people take sides ("swears by", "recommends")
    vouching_weak: frozenset[str]  # verbs that take a side only beside those ("uses")
    comparing: frozenset[str]  # words of a question that asks which way is better
    trying: frozenset[str]  # verbs whose object may be the methods tried side by side (I343)
    taking: frozenset[str]  # verbs of taking one thing of several ("should we use A, B or C?", I340)


def option_strings(data: dict[str, object], key: str) -> frozenset[str]:
    """One word class of ``rules/options.toml``, lower-cased."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleFileError(f"{key} must be a list of strings", path="rules/options.toml")
    return frozenset(v.lower() for v in value)


@cache
def option_words() -> OptionWords:
    """The word classes of ``rules/options.toml``."""
    data = tomlcache.read_builtin("options.toml", "option words")

    def strings(key: str) -> frozenset[str]:
        return option_strings(data, key)

    most = data.get("max_words", 16)
    if not isinstance(most, int) or most < 1:
        raise RuleFileError("max_words must be a positive integer", path="rules/options.toml")
    return OptionWords(strings("nouns") | strings("choice_nouns"), strings("choosing"), strings("copulas"), strings("ends"), most,
                       strings("weighing"), strings("choice_nouns"), strings("vouching"),
                       strings("vouching_weak"), strings("comparing"), strings("trying"),
                       strings("taking"))


@dataclass(frozen=True)
class Options:
    """A list of options read from one sentence, and the words it covers (predicates there are options)."""

    items: ItemList
    start: int
    end: int


def _count(t: Tree, noun: int) -> int | None:
    """The number said with a noun ("three ideas", "2 candidates"), if any."""
    for k in range(max(0, noun - 3), noun):
        low = t.low(k)
        if low in _NUMBERS:
            return _NUMBERS[low]
        if low.isascii() and low.isdigit() and len(low) <= 2 and t.words[k].upos == "NUM":
            return int(low)
    return None


def _plural(t: Tree, k: int) -> bool:
    return t.words[k].upos == "NOUN" and t.lemma(k) != t.low(k)


def _enumerators(t: Tree, lo: int, hi: int) -> list[tuple[int, int]]:
    """Numbers or letters in sequence that mark members ("(1)", "2)", "(b)"): (first word, first word after)."""
    marks: list[tuple[int, int, str]] = []
    k = lo
    while k <= hi:
        if k + 1 <= hi and t.low(k + 1) == ")" and ((t.low(k).isascii() and t.low(k).isdigit()) or (len(t.low(k)) == 1 and t.low(k) in _LETTERS)):
            if k > lo and t.low(k - 1) == "(":
                marks.append((k - 1, k + 2, t.low(k)))
            elif k == lo or t.low(k - 1) in (",", ";", ":", "or", "and"):
                marks.append((k, k + 2, t.low(k)))
            k += 2
            continue
        k += 1
    # they must count up from one letter or number to the next
    out: list[tuple[int, int]] = []
    for a, b, label in marks:
        if not out:
            out.append((a, b))
            prev = label
            continue
        want = str(int(prev) + 1) if prev.isascii() and prev.isdigit() else chr(ord(prev) + 1)
        if label != want:
            break
        out.append((a, b))
        prev = label
    return out


def _cut(t: Tree, lo: int, hi: int, enum: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], bool]:
    """The members of words ``lo..hi`` (word index ranges) and whether "or"/"vs" separates them."""
    if enum:
        bounds = [b for _, b in enum]
        ends = [a - 1 for a, _ in enum[1:]] + [hi]
        said_or = any(t.low(k) in _ALTERNATIVE for a, _ in enum[1:] for k in range(max(lo, a - 2), a))
        return [_trim(t, a, b) for a, b in zip(bounds, ends, strict=True)], said_or
    top = _top(t, lo, hi)
    top_or = any(t.low(k) in _ALTERNATIVE for k in top)
    seps = _SEPARATOR if top_or else frozenset({",", ";", "and"})
    out = _split(lo, hi, [k for k in top if t.low(k) in seps])
    if not top_or:
        # an "and" list: "and" cuts only where it closes the list (", and C", "A and B")
        out = _and_members(t, lo, hi, out)
    return [_trim(t, a, b) for a, b in out], top_or


def _and_members(t: Tree, lo: int, hi: int, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    commas = [k for k in _top(t, lo, hi) if t.low(k) in (",", ";")]
    ands = [k for k in _top(t, lo, hi) if t.low(k) == "and"]
    if not ands:
        return parts
    last = commas[-1] if commas else lo - 1
    closing = [k for k in ands if k > last]
    if len(closing) != 1 or any(k < last for k in ands):
        return []  # "and" inside members as well as between them: no telling where they end
    return _split(lo, hi, sorted(commas + closing))


def _split(lo: int, hi: int, cuts: list[int]) -> list[tuple[int, int]]:
    """The word ranges of ``lo..hi`` between the separators at ``cuts`` (empty ranges left out)."""
    out: list[tuple[int, int]] = []
    start = lo
    for k in cuts:
        if k > start:
            out.append((start, k - 1))
        start = k + 1
    if hi >= start:
        out.append((start, hi))
    return out


_BRACKETS = _OPEN | _CLOSE


def _top(t: Tree, lo: int, hi: int) -> list[int]:
    """Word indices of ``lo..hi`` outside brackets."""
    if lo >= 0 and hi < len(t.words) and not t.any_of(_BRACKETS, lo, hi):
        return list(range(lo, hi + 1))  # no bracket: every word (most spans)
    out: list[int] = []
    depth = 0
    for k in range(lo, hi + 1):
        low = t.low(k)
        if low in _OPEN:
            depth += 1
        elif low in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(k)
    return out


def _trim(t: Tree, a: int, b: int) -> tuple[int, int]:
    """A member without the separators and punctuation at its edges, nor a remark in brackets at its end."""
    while a <= b and t.low(a) in (_SEPARATOR | {"and", "either", ":"}):
        a += 1
    if a < b and t.low(a) == "to" and t.words[a + 1].upos == "VERB":
        a += 1  # "the options are to rent a van, ...": the option is renting the van
    if a + 1 < b and t.low(a) == "one" and t.low(a + 1) in ("where", "in", "that", "which"):
        # "two ways: one where you crop it, one where you blur it": the option is what is done
        k = a + 1
        while k < b and t.low(k) in ("where", "in", "which", "that", "you", "we", "i", "they", "just"):
            k += 1
        if k <= b and t.words[k].upos == "VERB":
            a = k
    while b >= a and (t.low(b) in (_SEPARATOR | {"and", ".", "?", "!", ":"})):
        b -= 1
    if b >= a and t.low(b) in _CLOSE:
        opening = next((k for k in range(b - 1, a - 1, -1) if t.low(k) in _OPEN), None)
        # "tomllib (stdlib, 3.11+ only)": a remark, not part of the name; "Unleash (self-hosted)" qualifies it
        if opening is not None and opening > a and (b - opening - 1 > 4 or any(t.low(k) in (",", ";") for k in range(opening, b))):
            b = opening - 1
    return a, b


def _span_end(t: Tree, lo: int, enum: bool) -> int:
    """The last word of the stretch of options that starts at ``lo``: the clause's end."""
    w = option_words()
    depth = 0
    for k in range(lo, len(t)):
        low = t.low(k)
        if low in _OPEN:
            depth += 1
        elif low in _CLOSE:
            depth = max(0, depth - 1)
        if depth:
            continue
        if low in _STOPS or low in _DASHES or (low == ";" and not enum) or (low == "-" and not _glued(t, k)):
            return k - 1
        if low == "," and k + 1 < len(t) and t.low(k + 1) in w.ends and not enum:
            return k - 1  # "A, B or C, then ...", "..., each with its own tests"
        if low == "then" and k > lo:
            return k - 2 if t.low(k - 1) in ("and", ",") else k - 1  # "A or B and then benchmark them"
    return len(t) - 1


def _glued(t: Tree, k: int) -> bool:
    return 0 < k < len(t) - 1 and t.words[k - 1].end == t.words[k].start and t.words[k].end == t.words[k + 1].start


def _members_ok(t: Tree, members: list[tuple[int, int]], count: int | None) -> bool:
    w = option_words()
    if len(members) < 2 or any(b < a or b - a + 1 > w.max_words for a, b in members):
        return False
    if count is not None and count != len(members):
        return False
    # "one runs against a replica, another deploys ...": a clause with its own subject tells
    # what someone does; it offers no option
    for a, b in members:
        if b > a + 1 and (t.words[a].upos == "PRON" or t.low(a) in ("one", "another")) and t.words[a + 1].upos in ("VERB", "AUX"):
            if t.low(a) in ("one", "another") and t.low(a + 1).endswith("ing") and t.words[a + 1].upos == "VERB":
                continue  # I473: "one leading with the price": a participle says which version, no clause
            return False
    # a member is a name or a course of action, never a bare function word; a word with a
    # capital inside it ("LaunchDarkly", "iTalki") is a name whatever the tagger made of it
    return all(any(t.words[k].upos in ("NOUN", "PROPN", "VERB", "ADJ", "NUM", "X", "SYM") or _camel(t.words[k].text) for k in range(a, b + 1))
               for a, b in members)


def _camel(word: str) -> bool:
    return len(word) > 2 and word.isalpha() and any(c.isupper() for c in word[1:]) and not word.isupper()


def _as_list(t: Tree, members: list[tuple[int, int]], alternatives: bool, codes: tuple[str, ...]) -> ItemList:
    spans = []
    for a, b in members:
        while a < b and t.low(a) in _DETERMINERS and t.words[a].end < t.words[a + 1].start:
            a += 1  # "the", "a"; not the letter of a name glued to what follows ("A*")
        spans.append((t.words[a].start, t.words[b].end))
    if any(b > a + 1 and t.low(a) in ("one", "another") and t.low(a + 1).endswith("ing") and t.words[a + 1].upos == "VERB" for a, b in members):
        codes = (*codes, "I473")  # "one leading with the price": a version named by what it does
    return ItemList(tuple(spans), members[0][0], members[-1][1], alternatives, codes)


def _announced(t: Tree, text: str) -> Options | None:
    """I270/I271/I273: options after an option noun or a verb of choosing (a colon or a copula), or numbered."""
    w = option_words()
    n = len(t)
    for k in range(n):
        lo: int | None = None
        code = ""
        noun: int | None = None
        choosing = False
        if t.low(k) in _COLONS or _question_comma(t, k) or _question_dash(t, k):
            before = range(0, k)
            # the noun says what the list after the colon is: it stands near the colon
            noun = next((j for j in reversed(before) if k - j <= _NOUN_REACH and t.words[j].upos in ("NOUN", "PROPN") and t.lemma(j) in w.nouns), None)
            choosing = noun is None and any((t.words[j].upos == "VERB" and t.lemma(j) in w.choosing) or t.low(j) in ("which", "whether")
                                            for j in before)  # "Which is faster for the dump: A, B, or C?"
            if noun is not None or choosing:
                lo, code = k + 1, "I270"
        elif t.lemma(k) in w.copulas and t.words[k].upos in ("AUX", "VERB") and t.rel(k) != "aux" and k > 0:
            # "the candidates are", "the options on the table are", "the choices we are weighing are"
            noun = next((j for j in range(k - 1, max(-1, k - 9), -1) if t.words[j].upos == "NOUN" and t.lemma(j) in w.nouns
                         and (k - j <= 4 or t.rel(j) == "nsubj")), None)
            modal = any(t.words[j].upos == "AUX" and t.lemma(j) not in ("be", "have") for j in range(max(0, k - 3), k))  # "should the tool be in Go": a question, not a list
            said = noun is not None and (_plural(t, noun) or _count(t, noun) is not None)
            # the noun is what the copula says something of ("Which of the options is cheaper" is about "which")
            if said and not modal and noun is not None and t.words[noun].deprel in ("nsubj", "nsubj:pass") and t.head(noun) in (k, t.head(k)):
                lo, code = k + 1, "I271"
                if lo < n and t.low(lo) in _COLONS:
                    lo += 1
        if lo is None or lo >= n:
            continue
        if lo + 1 < n and t.low(lo) in ("should", "shall", "do", "could", "can", "would", "must") and t.low(lo + 1) in ("we", "i", "they"):
            continue  # "decide: should I learn guitar, piano or ukulele?": the question says the options (I340)
        hi = _span_end(t, lo, enum=False)
        enum = _enumerators(t, lo, hi)
        if enum:
            hi = _span_end(t, lo, enum=True)
            enum = _enumerators(t, lo, hi)
            if enum[0][0] != lo:
                enum = []
        if choosing and any(t.low(j) in w.comparing and j + 1 < n and t.low(j + 1) in ("to", "than") for j in range(lo, hi)):
            continue  # "Need to choose: for X, is better to use A, B or C?": the question says the options (I289)
        members, said_or = _cut(t, lo, hi, enum)
        if noun is not None and not (_plural(t, noun) or _count(t, noun) or said_or or enum):
            continue  # "Approach: scrape, then parse" is one plan
        if (choosing or (noun is not None and t.lemma(noun) in w.choice_nouns)) and not (said_or or enum):
            continue  # "decide ...: A and B", "two fixes: A and B": things wanted together, no choice
        count = _count(t, noun) if noun is not None else None
        if not _members_ok(t, members, count):
            continue
        codes = (code, "I273") if enum else (code,)
        if code == "I270" and _spaced_dash(t, lo - 1):
            codes = (*codes, "I386")
        return Options(_as_list(t, members, True, codes), lo, hi)
    return _numbered(t, text)


doc_only(
    "I386", "options-after-a-dash",
    "In 'which is the best tool for the board - Trello, Asana or Notion?' the options are Trello, Asana and Notion: a dash in a question that asks which sets off the options like a colon.",
    """A question that asks which one, or what is best, often names what is
    chosen first and the options after a dash ("what's the best way to
    reach parents - SMS, the app or email?"). The dash is the edge of the
    options: the first one starts after it, not at the question's verb, and
    a comma after the first option is no longer taken for the mark that
    sets them off. Only the first dash or colon of the question counts,
    and an "or" must follow it before the question ends.""",
)


def _spaced_dash(t: Tree, k: int) -> bool:
    return t.low(k) in ("—", "–") or (t.low(k) == "-" and 0 < k < len(t) - 1 and t.words[k - 1].end < t.words[k].start
                                      and t.words[k].end < t.words[k + 1].start)


def _question_dash(t: Tree, k: int) -> bool:
    """I386: "which is the best tool for the board - Trello, Asana or Notion?": a dash in a
    question that asks which, before an "or" list that ends the question, sets off its options."""
    if not _spaced_dash(t, k) or not len(t) or (t.low(0) != "which" and not any(t.low(j) in option_words().comparing for j in range(k))):
        return False
    if any(_spaced_dash(t, j) or t.low(j) in _COLONS for j in range(k)):
        return False
    end = next((j for j in range(k + 1, len(t)) if t.low(j) in _STOPS), len(t))
    return end < len(t) and t.low(end) == "?" and any(t.low(j) == "or" for j in range(k + 1, end))


def _question_comma(t: Tree, k: int) -> bool:
    """I270 with a comma: "Which is better for the wiki, Notion or Confluence?": the first
    comma of a question that opens with "which" sets off its options, when an "or" follows."""
    if t.low(k) != "," or not len(t) or t.low(0) != "which" or any(t.low(j) == "," or _spaced_dash(t, j) for j in range(k)):
        return False
    end = next((j for j in range(k + 1, len(t)) if t.low(j) in _STOPS), len(t))
    return end < len(t) and t.low(end) == "?" and any(t.low(j) == "or" for j in range(k + 1, end))


def _numbered(t: Tree, text: str) -> Options | None:
    """I273 without an announcing word: numbered members that open the sentence, or with "or" before the last."""
    n = len(t)
    lead = bool(_LEADING_MARK.search(text[max(0, t.start - 8) : t.start]))
    lo = 0
    enum = _enumerators(t, 0, n - 1)
    if not enum:
        return None
    codes: tuple[str, ...] = ("I273",)
    if lead:
        enum = [(0, 0), *enum]  # the first number was taken as the line's marker
    elif enum[0][0] != 0:
        if not _inline_marks(t, enum):
            return None
        lo, codes = enum[0][0], ("I273", "I591")
    hi = _span_end(t, lo, enum=True)
    members, said_or = _cut(t, lo, hi, enum)
    if not _members_ok(t, members, None):
        return None
    return Options(_as_list(t, members, said_or or lead or enum[0][0] == lo, codes), lo, hi)


def _inline_marks(t: Tree, enum: list[tuple[int, int]]) -> bool:
    """I591: "we can (1) buy it, (2) lease it, or (3) rent it": marks in brackets inside the
    sentence, counting from the first, with "or" before the last, offer the courses after them."""
    first = enum[0][0]
    if len(enum) < 2 or t.low(first) != "(" or t.low(first + 1) not in ("1", "a"):
        return False
    if any(t.low(a) != "(" for a, _ in enum):
        return False
    last = enum[-1][0]
    if any(t.low(k) in _ALTERNATIVE for k in range(max(first, last - 2), last)):
        return True
    # "we could offer: (a) ..., (b) ...": a modal of possibility before them says what might be
    # done; "could you go through (1) ..., (2) ..." asks for all of it
    return any(t.low(k) in _MAYBE and t.words[k].upos == "AUX" and (t.low(k - 1) in ("we", "i", "they") if k > 0 else t.low(k + 1) not in ("you", "u"))
               for k in range(first))


def _bracketed(t: Tree) -> Options | None:
    """I274: "in three tones (cheeky, earnest, and aimed at teenagers)", "three versions of
    the note - polite, firm, and very firm - ": names set off after a counted plural noun."""
    w = option_words()
    for k in range(1, len(t) - 1):
        low = t.low(k)
        dash = low in _DASHES or (low == "-" and not _glued(t, k))
        if low not in _OPEN and not dash:
            continue
        # the counted noun right before a bracket, or a few words before a dash; as far back
        # as an option's length when a second dash closes the names ("3 versions of a note to
        # the neighbour asking to trim the hedge - polite, firm, and very firm -")
        reach = 1 if low in _OPEN else _BRACKET_REACH
        noun = next((j for j in range(k - 1, max(-1, k - 1 - reach), -1) if _plural(t, j) and _count(t, j) is not None), None)
        paired = False
        close: int | None = None
        if dash:
            close = next((j for j in range(k + 1, len(t)) if t.low(j) in _DASHES or (t.low(j) == "-" and not _glued(t, j)) or t.low(j) in _STOPS), None)
            paired = close is not None and t.low(close) not in _STOPS
        if noun is None and paired:
            noun = next((j for j in range(k - 1, max(-1, k - 1 - w.max_words), -1) if _plural(t, j) and _count(t, j) is not None
                         and not any(t.low(x) in _STOPS | _COLONS for x in range(j, k))), None)
        if noun is None:
            continue
        count = _count(t, noun)
        if not dash:
            close = next((j for j in range(k + 1, len(t)) if t.low(j) in _CLOSE), None)
        if close is None or close == k + 1:
            continue
        members, said_or = _cut(t, k + 1, close - 1, [])
        if not _members_ok(t, members, count):
            continue
        alternatives = said_or or _chosen_later(t, close, noun)
        return Options(_as_list(t, members, alternatives, ("I274",)), k + 1, close - 1)
    return None


_ONE_MARKS = frozenset({"one", "another"})
_ONE_OPENERS = frozenset({",", ":", ";", "(", "-"}) | _DASHES


def _one_mark(t: Tree, k: int) -> bool:
    """Word ``k`` opens a member of "one X, one Y" ("one formal", "another in prose", "the other casual")."""
    if t.low(k) in _ONE_MARKS:
        return True
    return t.low(k) == "the" and k + 1 < len(t) and t.low(k + 1) == "other"


def _chosen_later(t: Tree, after: int, noun: int) -> bool:
    """The things named after a counted noun compete: the noun names options or the sentence goes on to choose."""
    w = option_words()
    later = {t.lemma(j) for j in range(after + 1, len(t))} | {t.low(j) for j in range(after + 1, len(t))}
    return t.lemma(noun) in w.nouns or bool(later & (w.choosing | {"best", "which", "winner", "rank"}))


def _one_each(t: Tree) -> Options | None:
    """I280: "two versions of the note, one formal, one casual": after a counted plural noun,
    members that each open with "one" ("another", "the other") name its items, as many as counted."""
    n = len(t)
    for noun in range(n):
        count = _count(t, noun) if _plural(t, noun) and t.rel(noun) != "nsubj" else None
        if count is None or count < 2:
            continue  # "two neighbours complained: one ..., another ...": the subject's people, no options
        # after a dash or a colon the noun's phrase may run as long as an option ("three versions of a
        # note to the neighbours for feeding the fish - one formal, ...")
        first = next((j for j in range(noun + 1, min(n, noun + 2 + option_words().max_words)) if t.low(j) == "one" and t.low(j - 1) in _ONE_OPENERS
                      and (j - noun <= _BRACKET_REACH + 1 or t.low(j - 1) in _DASHES | _COLONS | {"-"})), None)
        if first is None or any(t.low(j) in _STOPS for j in range(noun, first)):
            continue
        marks = [first]
        k = first + 1
        while k < n and t.low(k) not in _STOPS:
            if _one_mark(t, k) and t.low(k - 1) in (",", ";", "and", "or"):
                marks.append(k)
            k += 1
        if len(marks) != count:
            continue  # "two versions: one for the board, one for staff, one for press" is no match
        ends = []
        for m, nxt in zip(marks, [*marks[1:], None], strict=True):
            if nxt is not None:
                ends.append(nxt - 1)
                continue
            # the last member runs to the clause's edge ("..., one casual, and I'll pick"); a
            # spaced hyphen closes it as a dash does ("- one formal, one short and sweet - and ...")
            e = m + 1
            while e < n and t.low(e) not in _STOPS | {",", ";", ":"} | _DASHES and not (t.low(e) == "-" and not _glued(t, e)) and not (
                t.low(e) in ("and", "then") and e + 1 < n and t.words[e + 1].upos in ("VERB", "PRON", "AUX")):
                e += 1
            ends.append(e - 1)
        # "two neighbours: one parks on the verge, another ...": what people do. Only a verb
        # inside the member makes it a clause; the parser may hang the last "one" on the
        # sentence's next verb ("..., one short and sweet - and pick the best")
        if any(t.rel(m) == "nsubj" and (h := t.head(m)) is not None and t.words[h].upos == "VERB" and m < h <= e
               for m, e in zip(marks, ends, strict=True)):
            continue
        members = [_trim(t, a, b) for a, b in zip(marks, ends, strict=True)]
        if any(b <= a for a, b in members) or not _members_ok(t, members, count):
            continue  # a bare "one" names nothing
        return Options(_as_list(t, members, _chosen_later(t, members[-1][1], noun), ("I280",)), marks[0], members[-1][1])
    return None


def _counted_names(t: Tree) -> Options | None:
    """I285: "stuck between two names for the puppy, 'Pickle' and 'Waffles'": after a counted
    plural noun and a comma, a list of as many names to the clause's end names the options,
    when the sentence offers a choice (items all worked on are I242's)."""
    n = len(t)
    for noun in range(n):
        count = _count(t, noun) if _plural(t, noun) else None
        if count is None or count < 2:
            continue
        comma = next((j for j in range(noun + 1, min(n, noun + 2 + _BRACKET_REACH)) if t.low(j) in (",", ";") or t.low(j) in _STOPS), None)
        if comma is None or t.low(comma) != "," or any(t.words[j].upos in ("VERB", "AUX") for j in range(noun + 1, comma)):
            continue  # "two names for the puppy, which ...": the noun's phrase is no clause
        lo = comma + 1
        hi = _span_end(t, lo, enum=False)
        members, said_or = _cut(t, lo, hi, [])
        if not _members_ok(t, members, count) or any(b - a + 1 > _NAME_WORDS for a, b in members):
            continue
        if any(t.words[k].upos in ("VERB", "AUX") for a, b in members for k in range(a, b + 1)):
            continue  # "two bugs, one fixed and one open" or clauses: no names
        if said_or or _chosen_later(t, hi, noun) or any(t.low(j) == "between" for j in range(max(0, noun - 4), noun)):
            return Options(_as_list(t, members, True, ("I285",)), lo, hi)
        # names of things all worked on are the list reader's (I242)
    return None


doc_only(
    "I561", "sides-with-glued-subject",
    "'Tom suggested Redis and Ana suggested Memcached': what each person takes a side for is an option, though the parser joined the second person to the first option.",
    """Two clauses of the same shape, each a person and a verb of taking a
    side ("suggest", "prefer", "recommend", rules/options.toml [vouching]),
    are often read as one: the second person becomes a conj of the first
    person's object ("Redis and Ana") and the second verb loses its subject.
    A noun joined that way right before a side-taking verb with no subject
    of its own is that verb's subject, so the options are the things taken
    sides for (Redis, Memcached), and "both" after them means those, not
    the person.""",
)


def _glued_subject(t: Tree, v: int) -> int | None:
    """I561: the first word of the person right before the side-taking verb at ``v`` when the
    parser joined that person to the object before ("Tom suggested Redis and Ana suggested
    Memcached": "Ana" read as a conj of "Redis", the second verb left without a subject)."""
    s = v - 1
    if s < 2 or t.words[s].upos not in ("NOUN", "PROPN") or t.rel(s) not in ("conj", "appos") or t.child(v, "nsubj") is not None:
        return None
    h = t.head(s)
    sides = option_words().vouching | option_words().vouching_weak
    if h is None or h >= s:
        return None
    # I595: "Tom says it's the chain, Ana says ...": "Ana" hung on the side said to be, a clause of "says"
    verb = h if t.words[h].upos == "VERB" else (t.head(h) if t.rel(h) in ("obj", "obl", "ccomp") else None)
    if verb is None or t.lemma(verb) not in sides:
        return None  # joined to an earlier side-taking verb or to what it takes
    return min(k for k in t.subtree(s) if k <= s and t.rel(k) not in ("cc", "punct"))


def _vouched(t: Tree) -> Options | None:
    """I286: "My brother says CrossFit, my wife swears by yoga, and my doctor recommends a
    walking club": what different people each vouch for are the options."""
    w = option_words()
    n = len(t)
    clauses: list[tuple[int, int]] = []  # (subject's first word, verb)
    for v in range(1, n):
        if t.lemma(v) not in w.vouching | w.vouching_weak:
            continue
        glued = _glued_subject(t, v)
        if glued is not None:
            first = glued  # I561: "Tom suggested Redis and Ana suggested Memcached"
        elif t.words[v].upos == "VERB":
            subj = t.child(v, "nsubj")
            if subj is None or t.words[subj].upos not in ("NOUN", "PROPN") or subj > v:
                continue
            first = min(t.subtree(subj))
        else:
            # "our neighbour uses a tutor" with "uses" tagged a noun: a person said with a
            # possessive right before a verb's -s form
            owner = next((j for j in range(max(0, v - 3), v - 1) if t.low(j) in _POSSESSIVES), None)
            if owner is None or not t.low(v).endswith("s") or t.words[v - 1].upos not in ("NOUN", "PROPN"):
                continue
            first = owner
        if clauses and first <= clauses[-1][1]:
            return None
        clauses.append((first, v))
    who = {" ".join(t.low(j) for j in range(first, v)) for first, v in clauses}
    if len(clauses) < 2 or len(who) < len(clauses):
        return None  # one person naming things is a list, not people taking sides
    if not any(t.lemma(v) in w.vouching for _, v in clauses):
        return None  # "my manager uses Jira and my team uses Trello": facts, no sides taken
    members: list[tuple[int, int]] = []
    framed = False
    for k, (_, v) in enumerate(clauses):
        a = v + 1
        while a < n and t.words[a].upos == "ADP":
            a += 1  # "swears by", "votes for"
        said = _said_to_be(t, a)
        if said > a:
            a = said  # I595: "Tom says it's the chain": the side is what "it" is said to be
            framed = True
        b = clauses[k + 1][0] - 1 if k + 1 < len(clauses) else _span_end(t, a, enum=False)
        while b > a and t.low(b) in (",", ";", "and", "but", "while", "whereas"):
            b -= 1
        members.append(_trim(t, a, b))
    if not _members_ok(t, members, None) or any(b - a + 1 > _VOUCHED_WORDS or any(t.words[k].upos in ("VERB", "AUX") for k in range(a, b + 1))
                                                  for a, b in members):
        return None
    glued_code: tuple[str, ...] = ("I561",) if any(_glued_subject(t, v) is not None for _, v in clauses) else ()
    framed_code: tuple[str, ...] = ("I595",) if framed else ()
    return Options(_as_list(t, members, True, ("I286", *glued_code, *framed_code)), clauses[0][0], members[-1][1])


doc_only(
    "I595", "sides-said-to-be",
    "'Tom says it's the chain, Ana says it's the pads, and the dealer says the frame itself': each person's theory of what a thing is, is an option (I286), without 'it's'.",
    """People taking sides often say what they think the cause or the
    answer is: "says it's the chain", "thinks that it is the pads". Before
    what each person vouches for, "that", and "it" or "they" with a form
    of "be" ("it's", "it is", "it was", "they are"), or the misspelt "its",
    frame the side and are no part of it; the option is what comes after
    them, and the clause is still read as a side taken (I286).""",
)


def _said_to_be(t: Tree, a: int) -> int:
    """I595: the first word after "that it's", "it is", "they are" opening a side at ``a``."""
    n = len(t)
    if a < n and t.low(a) == "that":
        a += 1
    if a + 1 < n and t.low(a) == "its" and t.words[a + 1].upos in ("DET", "NOUN", "ADJ", "PROPN"):
        return a + 1
    if a + 2 < n and t.low(a) in ("it", "they") and t.lemma(a + 1) == "be" and t.words[a + 1].upos in ("AUX", "VERB"):
        return a + 2
    return a


def _or_sentence(t: Tree) -> Options | None:
    """I288: "Restic, Borg, Kopia, or write our own with rsync.": a sentence that is nothing but
    an "or" list of names offers them as options, a course of action among them included."""
    n = len(t)
    if n < 4 or t.words[0].upos in ("VERB", "AUX", "PRON", "ADP", "SCONJ"):
        return None
    hi = _span_end(t, 0, enum=False)
    if hi < n - 2:
        return None
    members, said_or = _cut(t, 0, hi, [])
    if not said_or or len(members) < 3 or t.low(n - 1) == "?" or not _members_ok(t, members, None):
        return None  # "A or B for the ledger?" is the list reader's (I222-I224) and the question's
    # a verb in brackets is a remark on a name ("Unleash (self-hosted)")
    named = [m for m in members if not any(t.words[k].upos in ("VERB", "AUX") for k in _top(t, m[0], m[1]))]
    if any(m not in named for m in members[:-1]) or t.low(n - 1) in _COLONS:
        return None  # names, the last alone may be a course of action: "A, B, or roll our own"
    colon = next((k for k in _top(t, *members[0]) if t.low(k) in _COLONS), None)
    if colon is not None and colon < members[0][1]:
        # I441: "Storage for the backups: S3, a NAS, or tape.": the words before the colon are the topic
        members[0] = (colon + 1, members[0][1])
        return Options(_as_list(t, members, True, ("I288", "I441")), 0, hi)
    return Options(_as_list(t, members, True, ("I288",)), 0, hi)


def _better_question(t: Tree) -> Options | None:
    """I289: "is it better to use Mailchimp, Buttondown or hire a freelancer?": a question that
    asks which way is better offers the "or" list after its verb as the options."""
    w = option_words()
    n = len(t)
    if n < 5 or t.low(n - 1) != "?":
        return None
    cmp_ = next((k for k in range(n) if t.low(k) in w.comparing), None)
    if cmp_ is None:
        return None
    verb = next((k for k in range(cmp_ + 1, min(n, cmp_ + 4)) if t.words[k].upos == "VERB"), None)
    lo = (verb if verb is not None else cmp_) + 1
    hi = n - 2
    first_sep = next((k for k in range(lo, hi) if t.low(k) in (",", "or")), hi)
    edges = [k for k in range(lo, first_sep) if t.low(k) in (":", "：", "—", "–")
             or (t.low(k) == "-" and t.words[k - 1].end < t.words[k].start)]
    if edges:
        lo = edges[-1] + 1  # I386: "the best channel for urgent notes - SMS, the app or email?": the options follow the dash
    members, said_or = _cut(t, lo, hi, [])
    if not said_or or not _members_ok(t, members, None) or any(b - a + 1 > _VOUCHED_WORDS for a, b in members):
        return None
    return Options(_as_list(t, members, True, ("I289", "I386") if edges else ("I289",)), lo, hi)


def _named_then_asked(t: Tree) -> Options | None:
    """I474: "Mailgun, Postmark or our own SMTP box - which is cheaper?": an "or" list that
    opens the sentence, then a dash or a colon and a question of which is better, offers the list."""
    w = option_words()
    n = len(t)
    if n < 6 or t.low(n - 1) != "?" or t.words[0].upos in ("VERB", "AUX", "PRON", "ADP", "SCONJ"):
        return None
    edge = next((k for k in range(2, n - 2) if t.low(k) in _COLONS | _DASHES or (t.low(k) == "-" and not _glued(t, k))), None)
    if edge is None or t.low(edge + 1) not in ("which", "what") or not any(t.low(k) in w.comparing for k in range(edge + 1, n)):
        return None
    members, said_or = _cut(t, 0, edge - 1, [])
    if not said_or or not _members_ok(t, members, None) or any(b - a + 1 > _VOUCHED_WORDS for a, b in members):
        return None
    if any(t.words[k].upos in ("VERB", "AUX") for a, b in members[:-1] for k in range(a, b + 1)):
        return None  # names, the last alone may be a course of action ("or stay where we are")
    return Options(_as_list(t, members, True, ("I474",)), 0, edge - 1)


def _prepositional(t: Tree) -> Options | None:
    """I275: "be in Go with templ or in TypeScript with Next.js?" in a question or a choice."""
    # the "or" before a preposition first: most sentences have none, and then the scan of
    # every word for a question or a choice (asked of every sentence) is spared
    ors = [o for o in range(2, len(t) - 2) if t.low(o) == "or" and t.low(o + 1) in _PLACE_PREPS]
    if not ors:
        return None
    w = option_words()
    asked = any(t.low(k) == "?" for k in range(len(t))) or any(t.lemma(k) in w.choosing or t.low(k) in ("which", "whether") for k in range(len(t)))
    if not asked or fact_question(t):
        return None
    for o in ors:
        prep = t.low(o + 1)
        first = next((k for k in range(o - 1, max(-1, o - 10), -1) if t.low(k) == prep and k + 1 < o), None)
        if first is None:
            continue
        # the first phrase ends before "or" (and its comma); the second at the clause's end
        a = _trim(t, first + 1, o - 1)
        end = o + 2
        while end < len(t) and t.low(end) not in _STOPS and t.low(end) not in (",", ";") and end - (o + 2) < 8:
            end += 1
        b = _trim(t, o + 2, end - 1)
        members = [a, b]
        codes: tuple[str, ...] = ("I275",)
        # I396: "on a kiosk at the desk, on their own laptop, or on paper": earlier phrases with
        # the same preposition, each after a comma, are options too
        while (k := _same_prep_before(t, first, prep)) is not None:
            members.insert(0, _trim(t, k + 1, first - 2))
            first, codes = k, ("I275", "I396")
        if not _members_ok(t, members, None) or any(b_ - a_ > 7 for a_, b_ in members):
            continue
        if any(t.words[m[0]].upos not in ("NOUN", "PROPN", "ADJ", "NUM", "X", "DET") for m in members):
            continue
        return Options(_as_list(t, members, True, codes), first, b[1])
    return None


def _same_prep_before(t: Tree, first: int, prep: str) -> int | None:
    """I396: the preposition of a phrase that ends with a comma right before the phrase at ``first``."""
    if first < 3 or t.low(first - 1) != ",":
        return None
    return next((k for k in range(first - 3, max(-1, first - 10), -1) if t.low(k) == prep and t.low(k - 1) not in (prep,)
                 and not any(t.low(j) in (",", ";", "or", "and") for j in range(k + 1, first - 1))), None)


# Openers of a question about what is or was the case ("did sales go up in March or in
# April?", "is the outage caused by DNS or by the balancer?"): it names no work to choose.
_FACT_OPENERS = frozenset({"did", "was", "were", "is", "are", "does", "has", "have", "had"})


def fact_question(t: Tree) -> bool:
    """A question that asks what is the case, not which way to go: it opens with a form of
    "be", "do" or "have" and no word of it compares ("is it better to ...?" does)."""
    w = option_words()
    return bool(len(t)) and t.low(0) in _FACT_OPENERS and not any(t.low(k) in w.comparing for k in range(len(t)))


class Promise(NamedTuple):
    """Options a sentence counts without naming them: how many (0: any number), and the reading that counted them."""

    size: int
    code: str


def promised_options(t: Tree) -> Promise | None:
    """I277: a sentence that counts options without naming them ("Three approaches come to mind."): the count.
    I283: a question that asks which of a counted set ("Which of these 2 flats should we rent?"),
    or which thing of a kind ("Which diff algorithm should we use?"), named next."""
    w = option_words()
    if any(t.low(k) in _COLONS for k in range(len(t))):
        return None
    asked = len(t) > 0 and t.low(len(t) - 1) == "?" and any(t.low(k) in ("which", "between") for k in range(len(t)))
    for k in range(len(t)):
        if t.words[k].upos == "NOUN" and _plural(t, k) and (count := _count(t, k)) is not None and count >= 2:
            if t.lemma(k) in w.nouns - w.choice_nouns:
                return Promise(count, "I277")
            if asked:
                return Promise(count, "I283")
    kind = next((k for k in range(1, min(len(t), 4)) if t.words[k].upos == "NOUN"), None)
    if asked and t.low(0) == "which" and kind is not None and not _plural(t, kind):
        return Promise(0, "I283")  # "Which diff algorithm should we use?": any number of names, next
    return None


def _tried_on(t: Tree) -> Options | None:
    """I283: "Which runtime should we use? Prototype the pool on tokio, async-std and smol,
    measure ...": the list after the first "on"/"with"/"in" of the work after the question
    is the things it asks between; it ends where a comma opens the next verb."""
    prep = next((k for k in range(1, len(t)) if t.low(k) in ("on", "with", "in", "using") and t.words[k].upos == "ADP"), None)
    if prep is None or not any(t.words[k].upos == "VERB" for k in range(prep)):
        return None
    lo = prep + 1
    hi = lo
    closed = False  # an "and"/"or" closes the list: the next comma ends it ("..., and smol, measure ...")
    while hi + 1 < len(t) and t.low(hi + 1) not in _STOPS | {";", ":"} | _DASHES and not (
            t.low(hi + 1) == "," and (closed or (hi + 2 < len(t) and t.words[hi + 2].upos == "VERB"))):
        hi += 1
        closed = closed or t.low(hi) in ("and", "or")
    members, _ = _cut(t, lo, hi, [])
    if not _members_ok(t, members, None) or any(b - a + 1 > 3 or any(t.words[k].upos == "VERB" for k in range(a, b + 1)) for a, b in members):
        return None  # names only: a word or three each
    return Options(_as_list(t, members, True, ("I283",)), lo, hi)


def _promised(t: Tree, promise: Promise) -> Options | None:
    """I277/I283: the sentence after a count of options is their names, as many as were counted."""
    if not promise.size and any(t.words[k].upos == "VERB" for k in range(len(t))):
        return _tried_on(t)
    hi = _span_end(t, 0, enum=False)
    enum = _enumerators(t, 0, hi)
    if enum and enum[0][0] != 0:
        return None
    if enum:
        hi = _span_end(t, 0, enum=True)
    said = next((k for k in _top(t, 0, hi) if t.lemma(k) == "be" and t.words[k].upos == "AUX" and t.rel(k) == "cop"), None)
    if said is not None and not enum and promise.code == "I283":
        hi = said - 1  # "a.pdf and b.pdf are the listings": the names are the subject
    members, said_or = _cut(t, 0, hi, enum)
    if hi < len(t) - 2 and not said_or and said is None:
        return None  # the list must be the sentence, or offer a choice
    if not promise.size and (hi < len(t) - 2 or any(t.words[k].upos in ("VERB", "AUX") for k in range(len(t)))):
        return None  # names not counted before: the sentence is nothing but them
    if not _members_ok(t, members, promise.size or None):
        return None
    return Options(_as_list(t, members, True, (promise.code, "I273") if enum else (promise.code,)), 0, hi)


_VERSUS = frozenset({"vs", "vs.", "versus"})
# Words that end the last option of a "vs" chain: what follows says what the options are for
# ("mmap vs read() vs io_uring for the segment reader").
_VERSUS_AFTER = frozenset({"for", "on", "in", "as", "when"})
_VERSUS_MAX = 8  # words in one option of a "vs" chain; past that the chain is no list


def _call(t: Tree, j: int) -> bool:
    """Word ``j`` is a bracket of "name()": an empty pair glued to the word before it."""
    if t.low(j) == "(":
        return 0 < j < len(t) - 1 and t.low(j + 1) == ")" and t.words[j - 1].end == t.words[j].start
    return j > 1 and t.low(j - 1) == "(" and _call(t, j - 1)


def _participle_in_name(t: Tree, k: int) -> bool:
    """"GH encrypted secrets": a participle between a name and a noun is part of the name, not
    the verb that weighs the options."""
    low = t.low(k)
    return (0 < k < len(t) - 1 and (low.endswith("ed") or low.endswith("ing")) and t.words[k - 1].upos in ("PROPN", "NOUN", "ADJ")
            and t.words[k + 1].upos in ("NOUN", "PROPN"))


def _versus(t: Tree) -> Options | None:
    """I279: "pgbouncer in transaction mode vs just bumping max_connections": "vs" offers
    options whatever their form; each runs to the clause's edge or the next "vs"."""
    n = len(t)
    top = _top(t, 0, n - 1)
    marks = [k for k in top if t.low(k) in _VERSUS]
    if not marks:
        return None
    # the chain: marks with no clause edge between them
    edges = {":", ";", ".", "?", "!", ",", "(", ")"} | _DASHES

    aside = _remarks(t, edges)

    def edge(j: int) -> bool:
        low = t.low(j)
        if low in ("(", ")") and _call(t, j):
            return False  # "read()": brackets of a function's name
        if j in aside:
            return False  # I510: "basic ($10/month) vs pro ($25/month)": a remark on the option before it
        return low in edges or (low == "-" and not _glued(t, j))

    first = marks[0]
    chain = [first]
    for k in marks[1:]:
        if any(edge(j) for j in range(chain[-1] + 1, k)):
            break
        chain.append(k)
    def reach(a: int, b: int) -> int:
        """Words from ``a`` to ``b``, a bracketed remark not counted."""
        return sum(1 for k in range(a, b + 1) if k not in aside)

    lo = first - 1
    while lo >= 0 and reach(lo, first - 1) <= _VERSUS_MAX:
        low = t.low(lo)
        # a verb that weighs them ends the first option; a word in capitals is a name or
        # code ("SELECT ... FOR UPDATE"), whatever the tagger makes of it
        if lo not in aside and (edge(lo) or low == "between" or (t.words[lo].upos == "VERB" and reach(lo, first - 1) > 1 and not t.words[lo].text.isupper()
                                and t.rel(lo) in ("root", "conj", "parataxis") and not _participle_in_name(t, lo))):
            break
        lo -= 1
    if lo >= 0 and reach(lo, first - 1) > _VERSUS_MAX:
        return None  # no edge in reach: the first option's start is not to be seen
    lo += 1
    hi = chain[-1] + 1
    led = _action_verb(t, hi)  # I672: the verb a last option of action opens with ("staying on ...")
    complement = False
    while hi < n and reach(chain[-1] + 1, hi) <= _VERSUS_MAX:
        low = t.low(hi)
        if hi in aside:
            hi += 1
            continue
        if low in _VERSUS_AFTER and hi == led + 1 and not edge(hi):
            complement = True  # I672: "vs staying on 4.2": the verb's own preposition, not what the options are for
            hi += 1
            continue
        if edge(hi) or (low in _VERSUS_AFTER and hi > chain[-1] + 1 and not (t.low(hi - 1) == "-" and _glued(t, hi - 1))):
            break  # "built-in", "add-on": a word glued to a hyphen is the compound's, not "in"/"on"
        if low == "and" and hi + 1 < n and t.words[hi + 1].upos == "VERB":
            break  # "A vs B and benchmark them"
        hi += 1
    if hi < n and reach(chain[-1] + 1, hi) > _VERSUS_MAX:
        return None
    hi -= 1
    bounds = [lo, *[k + 1 for k in chain]]
    ends = [k - 1 for k in chain] + [hi]
    members = [_trim(t, a, b) for a, b in zip(bounds, ends, strict=True)]
    if any(reach(a, b) > _VERSUS_MAX for a, b in members):
        return None
    codes: tuple[str, ...] = ("I279", "I672") if complement else ("I279",)
    if any(b in aside for _, b in members):
        # I510: the option is named by its words; the remark after them stays in the task's text
        members = [(a, min((k for k in range(a, b + 1) if k in aside), default=b + 1) - 1) for a, b in members]
        codes = ("I279", "I510")
    if not _members_ok(t, members, None):
        # I442: a member that is one written word is a name whatever the tagger made of it
        named = [m for m in members if _one_written_word(t, *m)]
        rest = [m for m in members if m not in named]
        if not named or len(members) < 2 or (rest and not _members_ok(t, [*rest, *rest], None)):
            return None
        codes = ("I279", "I442")
    if _versus_in_noun(t, members):
        return None
    return Options(_as_list(t, members, True, codes), lo, hi)


_REMARK_MAX = 6  # words inside a bracketed remark on one option ("($40 a head)")
# I672: adverbs that may stand before the verb of an option of action ("just waiting for ...")
_ACTION_ADVERBS = frozenset({"just", "simply", "only", "still", "rather"})


def _action_verb(t: Tree, a: int) -> int:
    """I672: the word that opens an option of action starting at ``a`` ("staying on 4.2",
    "just waiting for the stdlib"), an adverb before it skipped; -1 when the option opens
    with no verb."""
    k = a + 1 if a < len(t) and t.low(a) in _ACTION_ADVERBS else a
    return k if k < len(t) and t.words[k].upos == "VERB" else -1


def _remarks(t: Tree, edges: set[str]) -> frozenset[int]:
    """I510: the words (brackets included) of short bracketed remarks that follow a word of an
    option directly: "budget ($40 a head) vs premium ($95 a head)". The remark says something
    of the option before it (a price, a size, a caveat); it neither ends the option nor the
    "vs" chain. A remark holding a "vs" of its own, a long one, or one after punctuation is
    no such remark."""
    out: set[int] = set()
    n = len(t)
    k = 0
    while k < n:
        if t.low(k) != "(" or k == 0 or t.low(k - 1) in edges or _call(t, k):
            k += 1
            continue
        close = next((j for j in range(k + 1, min(n, k + _REMARK_MAX + 2)) if t.low(j) in (")", "(")), None)
        if close is None or t.low(close) != ")" or close == k + 1 or any(t.low(j) in _VERSUS for j in range(k + 1, close)):
            k += 1
            continue
        out.update(range(k, close + 1))
        k = close + 1
    return frozenset(out)


# Words that are never an option's name alone, whatever a "vs" beside them says.
_NO_NAME = frozenset({"it", "this", "that", "them", "they", "both", "each", "all", "one", "the", "a", "an", "us", "we", "me"})


def _one_written_word(t: Tree, a: int, b: int) -> bool:
    """Words ``a..b`` are written as one word ("plotly", "A*", "vega-lite") that is no function word."""
    if any(t.words[k].end != t.words[k + 1].start for k in range(a, b)):
        return False
    text = "".join(t.words[k].text for k in range(a, b + 1))
    return any(c.isalnum() for c in text) and text.lower() not in _NO_NAME and (len(text) > 1 or b > a)


_NOUN_OPENERS = frozenset({"the", "a", "an", "our", "my", "your", "their", "this", "that", "its"})


def _versus_in_noun(t: Tree, members: list[tuple[int, int]]) -> bool:
    """"the home vs away split", "a chart of the weekday vs weekend traffic": one word on each
    side of "vs" between a determiner and the noun they both modify name one thing, not options."""
    (_, b0), (al, bl) = members[0], members[-1]
    if b0 < 1 or t.low(b0 - 1) not in _NOUN_OPENERS or any(b != a for a, b in members[1:-1]):
        return False
    if t.words[b0 - 1].end == t.words[b0].start:
        return False  # "A*": a letter glued to a symbol is a name, not the article "a"
    tail = range(al + 1, bl + 1)
    return 0 < len(tail) <= 3 and t.low(al) not in _NOUN_OPENERS and all(t.words[k].upos in ("NOUN", "VERB") for k in tail)


def find_options(t: Tree, text: str, promised: Promise | None = None) -> Options | None:
    """The options one sentence offers, if it offers any (the I270-I277 readings);
    ``promised`` is the count of options the sentence before announced without naming them."""
    # the readings of questions with no verb of work (I410-I412) live apart; they use this module's helpers
    from planner.parser.options_asked import compared_subject, manner_options, which_of

    counted = promised is not None and promised.size > 0
    return ((_promised(t, promised) if promised is not None and counted else None) or which_of(t) or _announced(t, text) or _bracketed(t)
            or _one_each(t) or _counted_names(t) or _vouched(t) or _prepositional(t) or _versus(t) or _or_sentence(t) or _better_question(t) or _named_then_asked(t)
            or compared_subject(t) or manner_options(t, option_words().choosing)
            or (_promised(t, promised) if promised is not None and not counted else None))


def with_options(lists: list[ItemList], found: Options) -> list[ItemList]:
    """The sentence's lists with the options in place of the lists they cover."""
    # readings by the shape of the whole sentence ("vs", a question of names, a tried list)
    # leave the members to the list reader when it read as many; they make them alternatives
    by_shape = found.items.codes[0] in ("I279", "I341", "I343")
    same = next((lst for lst in lists if (lst.alternatives or found.items.codes[0] != "I279") and len(lst.spans) == len(found.items.spans)
                 and not (lst.end < found.start or lst.start > found.end)), None)
    if by_shape and same is not None:
        # "try mean imputation vs ...": the list reader may leave out a word the tagger took for a verb
        spans = found.items.spans if _cut_short(same, found.items) else same.spans
        chosen = ItemList(spans, same.start, same.end, True, same.codes)
        return [chosen if lst is same else lst for lst in lists]  # the list reader says how it read them (I220-I224)
    kept = [lst for lst in lists if lst.end < found.start or lst.start > found.end]
    return sorted([*kept, found.items], key=lambda lst: lst.start)


def _cut_short(read: ItemList, options: ItemList) -> bool:
    """Each option holds the list reader's member, and one of them is longer."""
    pairs = list(zip(read.spans, options.spans, strict=True))
    return all(a0 <= a1 and b1 <= b0 for (a1, b1), (a0, b0) in pairs) and any((a1, b1) != (a0, b0) for (a1, b1), (a0, b0) in pairs)


doc_only(
    "I287", "measures-for-each",
    "'cost / effort / risk for each, then decide': a list followed by 'for each' names what to find out for each of an earlier list, not items of its own.",
    """A list cannot be "for each" of itself: "X, Y and Z for each" (or "on
    each", "per option") after a list of options or items names the measures,
    and "each" points back to the earlier list (I210). Only when an earlier
    list was named; short members only (a measure is a word or two). A list
    in brackets in a sentence that works "with each option" describes the
    work ("build the same flow (read the form, add a row) with each
    option"): it is no list of items either.""",
)

doc_only(
    "I288", "sentence-of-alternatives",
    "'Restic, Borg, Kopia, or write our own with rsync.': a sentence that is nothing but an 'or' list of names offers them as options, one course of action among them included.",
    """The list is the whole sentence, not a question, has three members or more
    and opens with a name, not a verb; its
    members are cut at the commas and the "or", so a last member that is a
    course of action ("or roll our own on the database") stays whole. Only
    the last member may be a clause, and a sentence that ends in a colon
    introduces something else.""",
)

doc_only(
    "I442", "versus-names-any-tag",
    "'fmod vs wwise vs the engine's built-in audio', 'A* vs flow fields': a member of a 'vs' chain written as one word is a name, whatever the tagger made of it.",
    """"vs" only joins alternatives (I279), so a member that is one written
    word ("plotly", "wwise", "A*", "vega-lite") names an option even when
    the tagger takes it for an adverb or a determiner; pronouns and words
    like "both" or "each" never do. A word glued to a hyphen ("built-in",
    "add-on") belongs to its compound and does not end the last member as
    "in" or "on" would.""",
)

doc_only(
    "I441", "topic-before-alternatives",
    "'Storage for the backups: S3, a NAS, or tape.': in a sentence of alternatives, the words before a colon name the topic, not part of the first option.",
    """A sentence that is an "or" list of names (I288) may open with what the
    choice is about and a colon; the first option starts after the colon, so
    the topic is neither an option's name nor a step.""",
)

doc_only(
    "I289", "better-question",
    "'Is it better to use Mailchimp, Buttondown or hire a freelancer?': a question that asks which way is better offers the 'or' list after its verb as the options, courses of action included.",
    """The question holds a word that compares ("better", "cheaper", "best",
    words in rules/options.toml); the list runs from after the verb that
    follows it to the question mark. Each option is short (seven words at
    most); the question is then answered by the work on them (I276).""",
)

_EACH_WORDS = frozenset({"each", "both", "every", "all"})


def _inside_brackets(t: Tree, lo: int, hi: int) -> bool:
    opening = next((j for j in range(lo - 1, -1, -1) if t.low(j) in _OPEN | _CLOSE), None)
    closing = next((j for j in range(hi + 1, len(t)) if t.low(j) in _OPEN | _CLOSE), None)
    return opening is not None and closing is not None and t.low(opening) in _OPEN and t.low(closing) in _CLOSE


def said_for_each(t: Tree, lst: ItemList) -> bool:
    """I287: the list is what is said for each of another ("cost / effort / risk for each"),
    or a remark in brackets on work done "with each option" ("the same flow (read the form,
    add a row) with each option")."""
    w = option_words()
    if _inside_brackets(t, lst.start, lst.end):
        return any(t.low(j) in _EACH_WORDS and j + 1 < len(t) and t.lemma(j + 1) in w.nouns for j in range(len(t)))
    k = lst.end + 1
    if k + 1 >= len(t) or t.low(k) not in ("for", "on", "per") or t.low(k + 1) not in _EACH_WORDS:
        return False
    # a measure is a word or two: the list's words, separators included, are few per member
    return lst.end - lst.start + 1 <= 4 * len(lst.spans)


_COUNT_WORD = re.compile(r"\b(two|three|four|five|six|[2-9])\s+(?:[a-z-]+\s+)?([a-z]+s)\b", re.IGNORECASE)


def counted_options(text: str) -> int | None:
    """How many versions or options a step's words ask for ("write two versions of the
    email", "sketch 3 logo options"), when it says so with a noun of options."""
    w = option_words()
    for m in _COUNT_WORD.finditer(text):
        noun = m.group(2).lower()
        if noun.removesuffix("es") in w.nouns or noun.removesuffix("s") in w.nouns:
            raw = m.group(1).lower()
            return int(raw) if raw.isdigit() else _NUMBERS[raw]
    return None


def counted_things(text: str) -> set[int]:
    """I512: the counts said with any plural noun in ``text`` ("two flyers", "3 mockups")."""
    return {int(m.group(1)) if m.group(1).isdigit() else _NUMBERS[m.group(1).lower()] for m in _COUNT_WORD.finditer(text)}


def asks_which(t: Tree) -> bool:
    """A question that asks which one: "which", a word that compares, or a question of a
    few words ("Which is best?", "Qual é melhor?"), not a question about one thing."""
    w = option_words()
    words = [t.low(k) for k in range(len(t)) if t.words[k].upos != "PUNCT"]
    return bool(words) and ("which" in words or bool(set(words) & w.comparing) or len(words) <= 3)


def weighs_options(text: str, role: str) -> bool:
    """I278: work that weighs the options against each other ("see which gives the
    stabler fit", "compare accuracy at both levels") is done once, after each option's."""
    if role in ("compare", "decide"):
        return True
    return bool(set(re.findall(r"[a-z]+", text.lower())) & option_words().weighing)


def chooses(verb: str) -> bool:
    """Whether a step's verb asks for the choice itself ("decide how we heat it: A, B or C")."""
    return verb in option_words().choosing
