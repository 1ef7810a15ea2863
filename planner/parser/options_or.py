"""Options offered by "or" where a choice is posed, their edges found by the shape of the later ones.

The readers of ``options.py`` and ``options_work.py`` find options by what
announces them (an option noun, a colon after one, "vs", numbers) or by a
fixed shape of question ("should we V ..., V ... or V ...?", a question of
bare names). People pose a choice in freer grammar just as often: "is it
better to keep it in a wiki or a shared drive?", "we could hire a firm, a
freelancer, or train someone in-house", "the question is whether the meeting
should be a webinar or a town hall", "the storage: S3, a NAS, or tape". What
these share is an "or" list in a clause that poses the choice: a question
that is not about facts, "whether" or "either" before the list, a tentative
modal ("could", "might") of the person choosing, or a colon the list runs
on from to the sentence's end.

Where such a list starts is not marked: the members after "or" are cut at
the commas and the "or"s, and the first member is read back from the "or"
until a word the later members show is no part of an option: a verb or a
preposition that governs the whole list, unless the later members open with
one of their own (then the first opens with its own as well).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from planner import tomlcache
from planner.parser.options import (
    _DASHES,
    _STOPS,
    Options,
    _as_list,
    _glued,
    _split,
    _top,
    _trim,
    fact_question,
    option_strings,
    option_words,
)
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I440", "or-choice",
    "'Is it better to keep the notes in a wiki or a shared drive?', 'we could hire a firm, a freelancer, or train someone': an 'or' list where a choice is posed offers its members as the options.",
    """The clause poses the choice when it is a question that does not ask
    for facts nor for work from "you", when "whether" (with "to" or a modal:
    "whether to ...", "whether it should be ...") or "either" opens the
    list, when the person choosing says "could" or "might" ("we could ..."),
    or when the list runs from a colon to the sentence's end ("Storage: S3,
    a NAS, or tape."). The members after "or" are cut at the commas and the
    "or"s; the last ends before a phrase of what they are all for ("... for
    the archive"). The first member is read back from the "or" to the word
    that governs the whole list: a preposition or a verb, unless the later
    members open with one of their own ("keep it in the office or move it to
    the cloud": a course of action each, so the first takes its verb too).
    "or not", "or so", "two or more" offer nothing (rules/options.toml
    ``or_closers``); a first member with no edge in eight words is not read.""",
)

# Words that open a list posed as a choice and are no part of its first member.
_OPENERS = frozenset({"whether", "either", "between"})
# Edges of the clause that holds the list.
_COLONS = frozenset({":", "："})
_LEFT_EDGES = frozenset({";", *_STOPS, *_COLONS, *_DASHES, *_OPENERS})
_RIGHT_EDGES = frozenset({";", *_STOPS, *_COLONS, *_DASHES})
# Question words that ask for a reason, a time or a person: "why does it fail on Linux or
# macOS?" names where to look, not a choice.
_NOT_CHOICE_WH = frozenset({"why", "when", "who", "how"})
_REQUEST_MODALS = frozenset({"could", "can", "would", "will"})
# After "whether", a choice is said with "to" or a modal of what should be ("whether to
# rebuild it or ...", "whether it should be A or B"); a plain verb asks what is the case.
_WHETHER_CHOOSING = frozenset({"to", "should", "shall", "could", "would", "must", "ought"})
_PEOPLE = frozenset({"we", "i", "they"})
_POSSESSIVES = frozenset({"our", "my", "your", "their", "his", "her", "its"})
# Word classes that are no content of an option on their own ("the", "of", "and").
_FUNCTION = frozenset({"DET", "ADP", "CCONJ", "SCONJ", "PRON", "PART", "AUX", "PUNCT"})
# Glue inside a name ("CBSE-style", "Q&A", "git's", "A/B", "C++").
_GLUE = frozenset({"-", "+", "&", "/", "'s", "'", "’s", "*"})
# Irregular participles that follow a noun to say which one ("the one made by ...").
_PARTICIPLES = frozenset({"made", "led", "run", "built", "written", "held", "kept", "done", "paid", "sent", "given", "taken"})
_REACH = 8  # words read back for the first member; further, its start is not to be seen
_LAST_WORDS = 10  # words of the last member; more is a sentence going on after the list


@dataclass(frozen=True)
class OrWords:
    closers: frozenset[str]
    tentative: frozenset[str]
    attention: frozenset[str]


@cache
def or_words() -> OrWords:
    """The word classes of ``rules/options.toml`` this reading uses."""
    data = tomlcache.read_builtin("options.toml", "option words")
    return OrWords(option_strings(data, "or_closers"), option_strings(data, "tentative"), option_strings(data, "attention"))


def _offers(t: Tree, k: int) -> bool:
    """Word ``k`` is an "or" that offers another member ("or not", "one or two" do not)."""
    if t.low(k) != "or" or k == 0 or k + 1 >= len(t):
        return False
    nxt = t.low(k + 1)
    return nxt not in or_words().closers and nxt not in _STOPS and t.low(k - 1) not in ("and", "/")


def _poses_choice(t: Tree, left: int, o: int, right: int) -> str | None:
    """How the clause around the "or" at ``o`` (between ``left`` and ``right``) poses a choice, if it does."""
    n = len(t)
    if left >= 0 and t.low(left) in _OPENERS - {"between"}:
        if t.low(left) == "whether" and not any(t.low(k) in _WHETHER_CHOOSING for k in range(left + 1, o)):
            return None  # "check whether it is the sheets or the pencil", "whether that version is under A or B": what is the case
        return "opener"  # "whether to ... or ...", "either A or B"
    if left >= 0 and t.low(left) in _COLONS and (right >= n or t.low(right) in _STOPS):
        # "Storage: S3, a NAS, or tape."; an "and" list after a colon ("covering: cost, risk and
        # any title or legal issue") holds its "or" inside a member
        ands = [k for k in _top(t, left + 1, right - 1) if t.low(k) == "and"]
        if ands and all(k > o for k in ands) and o + 1 < n and _opens_with_verb(t, o + 1) and t.low(right if right < n else n - 1) == "?":
            return "joined"  # I676: "...: A, or patch it and check it?": one course of two actions, asked as a choice
        return None if ands else "colon"
    if _tentative(t, left, o) is not None:
        return "tentative"
    if t.low(n - 1) != "?" or (right < n - 1 and t.low(right) != "?" and t.low(right) not in _DASHES):
        return None
    if any(t.low(k) in _NOT_CHOICE_WH for k in range(n)):
        return None
    opener = left + 1
    if t.low(opener) in _REQUEST_MODALS and opener + 1 < n and t.low(opener + 1) == "you":
        return None  # "could you fix it or find out why?" asks for work
    if fact_question(t) and not (t.low(0) in ("do", "does") and n > 1 and t.low(1) in _PEOPLE):
        return None  # "is it the cache or the network?" asks what is the case
    return "question"


def _tentative(t: Tree, left: int, o: int) -> int | None:
    """The last tentative modal of the person choosing before the "or" ("we could", "it could be")."""
    tentative = or_words().tentative
    found = None
    for k in range(max(left, 0) + 1, o):
        if t.low(k) in tentative and (t.low(k - 1) in _PEOPLE or (k + 1 < o and t.low(k + 1) == "be")):
            found = k
    return found


def _content(t: Tree, a: int, b: int) -> bool:
    return any(t.words[k].upos not in _FUNCTION for k in range(a, b + 1))


def _opens_with_verb(t: Tree, a: int, clause_start: int = -1) -> bool:
    """A course of action: a verb, in lower case unless it opens the clause ("Stay with A or ...")."""
    return t.words[a].upos == "VERB" and (t.words[a].text.islower() or a == clause_start)


doc_only(
    "I675", "named-first-after-colon",
    "'Storage for the archive: tape in the basement, or a cloud bucket?': when the 'or' list runs from a colon, a preposition inside the first option's words is the option's, not the word that governs the list.",
    """The first member of an "or" list (I440) is read back from the "or" to
    the word that governs the list, and a preposition is such a word ("keep
    it in the office or the cloud"). A list that runs from a colon has no
    governing word: the topic before the colon names what is chosen, and
    the options follow it. When the words from the colon (or a spaced
    dash) to the preposition are a name only (nouns, adjectives,
    determiners, numbers: no verb, no pronoun), the first option starts at
    the colon: "tape in the basement", not "basement". A preposition every
    option opens with ("...: in the basement, or in the cloud") still
    governs the list as before.""",
)


doc_only(
    "I676", "joined-course-option",
    "'Fix for the roof: a new roof by a roofer, or patch it ourselves and check it after rain?': an 'and' inside the last option, a course of action, does not make the colon's list one of 'and'.",
    """An "or" list that runs from a colon (I440) is no choice when an "and"
    joins the list's members ("covering: cost, risk and any title or legal
    issue": the "or" sits inside one member). When every such "and" comes
    after the "or", the member after the "or" opens with a verb, and the
    clause ends in a question mark, the "and" joins the two actions of the
    last option ("patch it ourselves and check it after rain"), and the
    list offers its options as before.""",
)


_NAME_TAGS = frozenset({"NOUN", "PROPN", "ADJ", "DET", "NUM", "SYM", "X"})


def _named_from_colon(t: Tree, lo: int, j: int) -> bool:
    """I675: the words from the clause's start ``lo``, right after a colon or a dash, up to the
    preposition ``j`` are a thing's name and no verb governs them ("Storage: tape in the
    basement, or ..."): the preposition is inside the first member, not before the list."""
    return (0 < lo < j and t.low(lo - 1) in (":", "：", "-", "—", "–")
            and all(t.words[k].upos in _NAME_TAGS for k in range(lo, j)))


def _first_start(t: Tree, lo: int, end: int, later: list[tuple[int, int]], why: list[str] | None = None) -> int | None:
    """Where the first member, ending at ``end``, starts: read back to the word that governs the list
    (``why`` gets the codes of the readings that placed it)."""
    verbal = any(_opens_with_verb(t, a) for a, _ in later)
    opening_preps = {t.low(a) for a, _ in later if t.words[a].upos == "ADP"}
    inner_preps = {t.low(k) for a, b in later for k in range(a + 1, b + 1) if t.words[k].upos == "ADP"}
    crossed = False
    k = end
    if t.low(end) in (")", "]"):
        # "the 4m slot (40 a day) or ...": a remark in brackets stays with its name
        k = next((i for i in range(end - 1, lo - 1, -1) if t.low(i) in ("(", "[")), end)
    last = k if k == end else k - 1  # words read back count from the name's end, a remark in brackets left out
    while k > lo:
        j = k - 1
        if last - j + 1 > _REACH:
            return None
        w = t.words[j]
        low = t.low(j)
        if low in (")", "]"):
            opening = next((i for i in range(j - 1, lo - 1, -1) if t.low(i) in ("(", "[")), None)
            if opening is None:
                break
            k = opening  # "the 4m slot (40 a day)": a remark in brackets stays with its name
            continue
        if w.upos == "PUNCT":
            if low in _GLUE and _glued(t, j):
                k = j
                continue
            break
        if low in _OPENERS or low in ("to", "than", "be") or w.upos in ("AUX", "SCONJ", "CCONJ"):
            break
        if w.upos == "PRON" and low not in _POSSESSIVES:
            break
        if verbal and _opens_with_verb(t, j, lo):
            return j  # "keep it here or move it": a course of action each
        if w.upos == "ADP" and not verbal:
            if j - 1 > lo and _participle_after_noun(t, j - 1, lo):
                k = j  # "a tour led by a buddy": the agent of a participle in the name
                continue
            if low in opening_preps:
                return j  # "via A, via B or just C": each with its own preposition
            if low in inner_preps and not crossed:
                crossed = True  # "a review on the code, or a rewrite on a branch"
                k = j
                continue
            if _named_from_colon(t, lo, j):
                if why is not None:
                    why.append("I675")
                return lo  # I675: "Storage: tape in the basement, or a cloud bucket?": the place is the member's
            break
        if w.upos == "VERB" and t.rel(j) not in ("amod", "compound") and not _participle_after_noun(t, j, lo):
            break  # the verb that governs the list ("revised" in "a revised plan" is the name's)
        k = j
    return k


def _plain(t: Tree, a: int, b: int, verbal: bool) -> bool:
    """A chunk between commas that is a member as it stands: no auxiliary nor subject in it,
    and no verb unless it opens the chunk and the members are courses of action."""
    if b - a + 1 > option_words().max_words:
        return False
    for k in range(a, b + 1):
        upos = t.words[k].upos
        if upos == "AUX" or (upos == "PRON" and t.low(k) not in _POSSESSIVES):
            return False
        if upos == "VERB" and not (verbal and k == a) and not _participle_after_noun(t, k, a) and t.rel(k) not in ("amod", "compound"):
            return False
    return True


def _participle_after_noun(t: Tree, j: int, lo: int) -> bool:
    """"a tour led by a buddy", "the draft written by legal": a participle after a noun says
    which one; it is part of the option's name, not the verb that governs the list."""
    low = t.low(j)
    return (j > lo and (low.endswith("ed") or low in _PARTICIPLES) and t.words[j - 1].upos in ("NOUN", "PROPN")
            and (t.rel(j) == "acl" or (j + 1 < len(t) and t.low(j + 1) == "by")))


def or_choice(t: Tree) -> Options | None:
    """I440: the options of an "or" list in a clause that poses a choice."""
    n = len(t)
    top = _top(t, 0, n - 1)
    o = next((k for k in top if _offers(t, k)), None)
    if o is None:
        return None
    left = max((k for k in top if k < o and (t.low(k) in _LEFT_EDGES or (t.low(k) == "-" and not _glued(t, k)))), default=-1)
    right = min((k for k in top if k > o and (t.low(k) in _RIGHT_EDGES or (t.low(k) == "-" and not _glued(t, k)))), default=n)
    posed = _poses_choice(t, left, o, right)
    if posed is None:
        return None
    lo, hi = left + 1, right - 1
    # chunks of the clause cut at its commas and "or"s
    cuts = [k for k in top if lo <= k <= hi and (t.low(k) == "," or (t.low(k) == "or" and _offers(t, k)))]
    chunks = _split(lo, hi, cuts)
    commas_after = [k for k in cuts if k > o and t.low(k) == ","]
    if commas_after and not any(t.low(k) == "or" for k in cuts if k > commas_after[-1]):
        return None  # "a = refund or replacement, b = no": the "or" sits inside one member of a comma list
    if posed == "opener" and t.low(left) == "either" and any(t.words[k].upos == "AUX" for k in range(left + 1, o)):
        return None  # "either it should be cleansed in full, or ...": clauses, not named options
    if (posed == "question" and any(t.low(k) == "which" for k in range(max(left, 0), o))
            and not any(t.low(k) in option_words().comparing for k in range(n))):
        return None  # "which of my listings are missing tags or have too few?": which things are so, a fact
    first_after = next(i for i, (a, _) in enumerate(chunks) if a > o)
    later = chunks[first_after:]
    # the members before the "or": back over chunks that are names or phrases alone to the
    # chunk that holds the words governing the list (or the clause's first): its start is read back
    before = chunks[:first_after]
    if not before or not later:
        return None
    verbal = any(_opens_with_verb(t, a) for a, _ in later)
    if verbal and posed == "opener" and t.low(left) == "either":
        return None  # "then either update it or draft one": a step that decides as it goes (I340 has the person's)
    m = len(before) - 1
    while m > 0 and _plain(t, *before[m], verbal):
        m -= 1
    a0, b0 = before[m]
    why: list[str] = ["I676"] if posed == "joined" else []
    s0 = _first_start(t, a0, b0, [*before[m + 1:], *later], why)
    if s0 is None:
        return None
    if any(t.lemma(k) in or_words().attention and t.words[k].upos == "VERB" for k in range(max(left, 0), s0)):
        return None  # "should we worry about A or B?": where to look, not which way to go
    modal = _tentative(t, left, o)
    if posed == "tentative" and modal is not None and s0 - modal > 4:
        return None  # the modal is another clause's ("the homes that could be let, ... or ...")
    members = [(s0, b0), *before[m + 1:], *later]
    al, bl = members[-1]
    purpose = next((k for k in range(al + 1, bl + 1) if t.low(k) == "for"), None)
    if purpose is not None and not any(t.low(k) == "for" for k in range(s0, b0 + 1)):
        members[-1] = (al, purpose - 1)  # "... or the local printers for the labels": what they are all for
    members = [_trim(t, a, b) for a, b in members]
    al, bl = members[-1]
    aux = next((k for k in range(al + 1, bl + 1) if t.words[k].upos == "AUX"), None)
    if aux is not None:
        members[-1] = (al, aux - 1)  # "... or C would be the best tool": the clause goes on after the list
    if any(t.words[a].upos == "AUX" for a, _ in members):
        return None  # "... or does it need approval?": a question of its own, no option
    if (len(members) == 2 and members[0][0] == members[0][1] == o - 1 and t.words[o - 1].upos in ("ADJ", "ADV")
            and members[1][1] > members[1][0] and t.words[members[1][0]].upos in ("ADJ", "ADV")):
        members[1] = (members[1][0], members[1][0])  # "weekly or fortnightly bulletins": the options are the modifiers
    if len(members) < 2 or any(b < a or not _content(t, a, b) or b - a + 1 > option_words().max_words for a, b in members):
        return None
    if members[-1][1] - members[-1][0] + 1 > _LAST_WORDS:
        return None
    for a, b in members:
        if b > a and t.words[a].upos == "PRON" and t.low(a) not in _POSSESSIVES and t.words[a + 1].upos in ("VERB", "AUX"):
            return None  # "we stay or they go": clauses with their own subjects
    texts = [" ".join(t.low(k) for k in range(a, b + 1)) for a, b in members]
    if len(set(texts)) < len(texts):
        return None
    return Options(_as_list(t, members, True, ("I440", *why)), members[0][0], members[-1][1])


doc_only(
    "I443", "counted-then-named",
    "'I have two drafts of the summary, the one from finance and the one from the agency. Score both ...': a counted noun and, later in its sentence, a list of as many members, weighed after, are the options.",
    """A plural noun counted with a number ("two drafts", "3 ideas", "four
    formats") announces things that the same sentence names later: after
    the last colon that follows the noun, or else after the comma that
    closes its phrase. The members are cut at the commas and the last "and"
    or "or"; they must be exactly as many as counted, each of a few words.
    The things compete only when the work chooses among them: a word of
    weighing (rules/options.toml ``weighing``, "which", "pick", "best", ...;
    not "compare", which as often sets one thing against a plan) in the
    rest of the sentence or in the next one; "both" and "each" say only that
    the work is done for every one of them. "Pull the three reports for the
    board: sales, churn and support." weighs nothing: its list stays items.""",
)

_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6}
# "compare with the plan" sets one thing against a yardstick, and "both", "each" say the work
# is done for every named thing: neither makes the named things compete.
_SETTING_AGAINST = frozenset({"compare", "comparison"})
_NAMED_WORDS = 10  # written words of one named thing after a counted noun; more is a clause


def _counted_noun(t: Tree) -> tuple[int, int] | None:
    """The first plural noun counted with a number ("two drafts", "3 candidate titles"): (noun, count)."""
    for k in range(len(t) - 1):
        count = _NUMBER_WORDS.get(t.low(k))
        if count is None:
            continue
        j = k + 1
        while j < len(t) and j - k <= 3 and t.words[j].upos in ("ADJ", "NOUN", "PROPN") and not t.low(j).endswith("s"):
            j += 1  # "3 candidate titles", "two rough drafts"
        if j < len(t) and t.words[j].upos in ("NOUN", "VERB", "PROPN") and t.low(j).endswith("s") and t.low(j) != "is":
            return j, count  # after a number a word in -s is a plural noun, whatever the tagger says ("three models")
    return None


def _written_words(t: Tree, a: int, b: int) -> int:
    """Words ``a..b`` as written: "twice-a-year" is one word, not five tokens."""
    return 1 + sum(1 for k in range(a + 1, b + 1) if t.words[k].start > t.words[k - 1].end)


def _weighed_after(t: Tree, text: str, after: int, listed: tuple[int, int]) -> bool:
    """The rest of the sentence or the next one, the list's own words left out, chooses among the things."""
    tail_end = len(text)
    for stop in (".", "?", "!", "\n"):
        at = text.find(stop, t.end + 1)
        if at != -1:
            tail_end = min(tail_end, at)
    said = text[t.words[after].end:t.words[listed[0]].start] + " " + text[t.words[listed[1]].end:tail_end]
    words = {w.lower() for w in said.replace(",", " ").split()}
    return bool(words & (option_words().weighing - _SETTING_AGAINST))


def counted_then_named(t: Tree, text: str) -> Options | None:
    """I443: a counted plural noun, then as many names later in the sentence, weighed after."""
    found = _counted_noun(t)
    if found is None:
        return None
    noun, count = found
    n = len(t)
    top = _top(t, noun + 1, n - 1)
    colon = max((k for k in top if t.low(k) in _COLONS), default=None)
    if colon is not None:
        lo = colon + 1
    else:
        comma = next((k for k in top if t.low(k) == ","), None)
        if comma is None:
            return None
        lo = comma + 1
    hi = next((k - 1 for k in top if k >= lo and (t.low(k) in _RIGHT_EDGES or (t.low(k) == "-" and not _glued(t, k)))), n - 1)
    if lo > hi:
        return None
    seps = [k for k in _top(t, lo, hi) if t.low(k) == ","]
    joins = [k for k in _top(t, lo, hi) if t.low(k) in ("and", "or")]
    if len(joins) > 1 or (not joins and colon is None) or (joins and seps and joins[0] < seps[-1]):
        return None  # one "and"/"or" closes the list (after a colon commas alone may); more sit inside members
    cuts = sorted([*seps, *joins])
    members = [_trim(t, a, b) for a, b in _split(lo, hi, cuts)]
    if len(members) != count or any(b < a or _written_words(t, a, b) > _NAMED_WORDS or not _content(t, a, b) for a, b in members):
        return None
    if any(t.words[a].upos == "VERB" and t.words[a].text.islower() for a, _ in members):
        return None  # courses of action after a count are work to do, unless announced as options (I270)
    if not _weighed_after(t, text, noun, (members[0][0], members[-1][1])):
        return None
    return Options(_as_list(t, members, True, ("I443",)), members[0][0], members[-1][1])
