"""Options said by the work on them: asked as courses of action, tried in turn, or handed to one worker each.

The readers of ``options.py`` find options by what announces them (a noun
that names options, a colon, numbers, "vs"). People just as often offer them
in the grammar of the work itself: a question whose "or" list is courses of
action ("should we quarantine the tests, rewrite them, or retry them?"), a
question of bare names ("Vue or Svelte for the admin panel?"), a verb of
trying whose object is the list ("benchmark libvips, ImageMagick and Pillow
on the sample images, time each one, then pick"), or one worker per option
("have one agent build it with Kotlin and one with Flutter"). These readers
run after those of ``options.py`` and only when none of them read the
sentence.
"""

from __future__ import annotations

from planner.parser.options import (
    _DASHES,
    _STOPS,
    Options,
    Promise,
    _as_list,
    _camel,
    _cut,
    _members_ok,
    _top,
    _trim,
    find_options,
    option_words,
)
from planner.parser.options_between import chosen_between
from planner.parser.options_or import counted_then_named, or_choice
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I340", "courses-question",
    "'Should we quarantine the tests, rewrite them against a stub, or retry them?': a question whose 'or' list after 'should we' is courses of action offers them as the options.",
    """A question that opens with a modal and a person ("should we", "do I",
    "shall we", "could we", after a topic and a colon or not) and goes on with
    an "or" list of verb phrases to its question mark offers those courses
    of action; each member opens with a verb. The topic before a colon is
    part of the question, no step of its own. When a later member opens with
    the preposition the first one used ("host them on Flickr, on SmugMug, or
    hire a designer"), the names after the preposition are the options;
    when only the first member has a verb, one of taking ("should we go
    kubernetes, nomad or just docker compose?", rules/options.toml
    ``taking``), the names it takes are. A
    question about facts ("did the job fail or time out?") names no work
    and is not read: the opener is one of a few modals of choosing. A
    statement says the same with "either" ("we could either rebuild the
    importer, buy a connector, or keep the manual export"): a person, a
    modal and "either" before an "or" list of courses, each opening with a
    verb.""",
)
doc_only(
    "I341", "names-question",
    "'React Native or Flutter for the new app?': a short question that is nothing but names joined by 'or', and what they are for, offers the names as options.",
    """The question opens with the names ("A or B", "A, B or C"), each of a
    word or four, and ends in a phrase that says what they are for ("for
    the session store", "in the new app") or nothing. A capitalised first
    word is read as a name even when the tagger takes it for a verb
    ("React"); a lower-case verb among the names makes it a sentence, not a
    list. Asked alone, the question stays a step; work on the names after
    it answers it (I276).""",
)
doc_only(
    "I342", "one-worker-each",
    "'Have one agent build the login page with Kotlin and one with Flutter': work given to one worker per option names the options after the repeated preposition.",
    """"one (agent) VERB ... P X and one (more) P Y": the clause after "and
    one" ("another", "the other", "a second") drops the verb and keeps the
    preposition, so the names after the preposition are what differs between
    the workers: the options. The first name runs from the last such
    preposition before "and one" to it. A "one" that has a verb of its own
    ("and one reviews it") is another piece of work, not an option.""",
)
doc_only(
    "I343", "tried-list",
    "'Run exact match on VAT number, fuzzy name matching, and a trained classifier on the sample, check 100 pairs from each, then compare': the list a verb of trying takes, weighed after, is the options.",
    """A verb of trying (rules/options.toml ``trying``: run, try, test,
    benchmark, ...) whose object is a list of three or more members, or two
    joined by "or", and work later in the sentence that refers to each of
    them ("from each", "for both") or weighs them ("compare", "which is
    best"): the members are the competing methods. Members before the last
    run from comma to comma, so they keep their own "on" ("exact match on
    VAT number"); the last ends at a phrase that says what all of them run on
    ("on the 20k sample") or at the comma before the next piece of work.""",
)

# The modals that open a question of choosing between courses of action ("should we", "do
# I"); "did", "was" and "is" ask about facts ("did it fail or time out?").
_CHOICE_MODALS = frozenset({"should", "shall", "do", "could", "can", "would", "must"})
# "could you fix it or find out why?" asks for work, not which course: people choosing only.
_PEOPLE = frozenset({"we", "i", "they"})
# Adverbs between the person and the first course ("should we just ...", "do we first ...").
_HEDGES = frozenset({"just", "rather", "maybe", "perhaps", "first", "instead", "simply", "still", "also"})
# Words that open what the names of a question are for ("for the session store?").
_PURPOSE = frozenset({"for", "in", "on", "as", "to", "with", "at"})
_WH = frozenset({"which", "what", "who", "whose", "where", "when", "why", "how", "whether"})
_NAMES_WORDS = 4  # words in one name of a bare question ("Kotlin Multiplatform", "a van from Hertz")
_PURPOSE_WORDS = 8  # words in what the names are for; more is a sentence, not a question of names
# "and one with Flutter", "and another by hand", "and the other in Go", "and a second one on ..."
_SECOND = (("one",), ("another",), ("the", "other"), ("a", "second"), ("a", "second", "one"), ("one", "more"))
_TRIED_WORDS = 6  # words of one tried method ("exact match on normalised VAT number")
# Words after a tried list that say it is run on something, not a member ("on the sample").
_SETTING = frozenset({"on", "against", "over", "across", "using", "with", "for", "in", "at", "from"})
_BACK = frozenset({"each", "both", "all", "every", "either"})
# Prepositions that say what the work is done for or with ("coverage per package for X"), not
# what a method goes by ("exact match on VAT number", "median by category").
_COMPLEMENT = frozenset({"for", "per", "to", "with", "into"})
# A tried list opens with a bare or indefinite name ("exact match", "a trained classifier");
# "the survey", "our tests" is one thing worked on, whatever list follows it.
_DEFINITE = frozenset({"the", "our", "my", "your", "their", "his", "her", "this", "that", "these", "those"})


def _question_end(t: Tree) -> int | None:
    n = len(t)
    return n - 1 if n and t.low(n - 1) == "?" else None


def _opens_with_verb(t: Tree, a: int, b: int) -> bool:
    k = a
    while k < b and t.low(k) in _HEDGES:
        k += 1
    return t.words[k].upos == "VERB" and t.words[k].text.islower()


def _courses_question(t: Tree) -> Options | None:
    """I340: "Should we quarantine them, rewrite them, or retry them?": the courses of action."""
    end = _question_end(t)
    if end is None:
        return None
    # the opener: the first modal of choosing at the clause's start, with a person after it
    start = next((k for k in range(end) if t.low(k) in _CHOICE_MODALS and (k == 0 or t.low(k - 1) in (":", ",", "-", "—", "so", "or"))
                  and k + 1 < end and t.low(k + 1) in _PEOPLE), None)
    topic = False  # "Label noise in the images: should we ...?": the words before the colon name what is asked about
    if start is not None:
        lo = start + 2
        topic = start > 0 and t.low(start - 1) in (":", "：")
    else:
        # "CSV export: stream it with a generator, or render it async and mail a link?": a topic,
        # a colon, and the courses with no modal before them
        colon = next((k for k in range(1, end) if t.low(k) in (":", "：")), None)
        if colon is None or colon + 1 >= end or t.words[colon + 1].upos != "VERB" or not t.words[colon + 1].text.islower():
            return None
        lo = colon + 1
        topic = True
    while lo < end and t.low(lo) in _HEDGES:
        lo += 1
    hi = end - 1
    if lo >= hi or any(t.low(k) in _STOPS | {";", ":"} | _DASHES for k in range(lo, hi + 1)):
        return None
    members, said_or = _cut(t, lo, hi, [])
    if not said_or or not _members_ok(t, members, None):
        return None
    if not _opens_with_verb(t, *members[0]):
        return None
    if len(members) >= 3 and not all(_opens_with_verb(t, a, b) or t.words[a].upos == "ADP" for a, b in members[1:]):
        # "should we go kubernetes, nomad or just docker compose?": one verb of taking for all the names
        v = members[0][0]
        while t.low(v) in _HEDGES:
            v += 1
        if t.lemma(v) not in option_words().taking:
            return None
        a0 = v + 1
        while a0 < members[0][1] and t.words[a0].upos in ("ADP", "ADV"):
            a0 += 1  # "go with", "switch to"
        al, bl = members[-1]
        bl = next((k - 1 for k in range(al + 1, bl + 1) if t.words[k].upos == "ADP" and t.low(k) in ("for", "in", "on", "at", "as")), bl)
        members = [(a0, members[0][1]), *members[1:-1], (al, bl)]  # "... or SQLite for the prototype": what all are for
        return Options(_as_list(t, members, True, ("I340",)), 0 if topic else lo, hi)
    prep = t.low(members[1][0]) if t.words[members[1][0]].upos == "ADP" else None
    if prep is not None:
        # "host the photos on Flickr, on SmugMug, or hire a designer": the names after the preposition
        first = next((k for k in range(members[0][1], members[0][0], -1) if t.low(k) == prep), None)
        if first is None:
            return None
        members = [(first + 1, members[0][1])] + [(a + 1, b) if t.low(a) == prep else (a, b) for a, b in members[1:]]
    if not all(t.low(a) == prep or _opens_with_verb(t, a, b) or (prep is not None and t.words[a].upos != "VERB") for a, b in members[1:]):
        return None  # "should we keep the cron job, or the queue?": the rest must be courses too
    if prep is None and not all(_opens_with_verb(t, a, b) for a, b in members):
        return None
    return Options(_as_list(t, members, True, ("I340",)), 0 if topic else lo, hi)


def _either_courses(t: Tree) -> Options | None:
    """I340 as a statement: "We could either rebuild the importer, buy a connector, or keep the
    manual export.": a person, a modal of choosing and "either" before an "or" list of courses."""
    n = len(t)
    k = next((k for k in range(1, n - 2) if t.low(k) in _CHOICE_MODALS | {"might", "may"} and t.low(k - 1) in _PEOPLE
              and t.low(k + 1) == "either"), None)
    if k is None:
        return None
    lo = k + 2
    hi = next((j - 1 for j in range(lo, n) if t.low(j) in (".", "!", ";", "?")), n - 1)
    if lo >= hi or any(t.low(j) in (":", *_DASHES) for j in range(lo, hi + 1)):
        return None
    members, said_or = _cut(t, lo, hi, [])
    if not said_or or len(members) < 2 or not _members_ok(t, members, None):
        return None
    if not all(_opens_with_verb(t, a, b) for a, b in members):
        return None
    return Options(_as_list(t, members, True, ("I340",)), lo, hi)


def _name_word(t: Tree, k: int) -> bool:
    """Word ``k`` may be part of a name: no lower-case verb, no pronoun (a capitalised first word is a name)."""
    w = t.words[k]
    if t.low(k) in _WH:
        return False
    if w.upos == "VERB":
        return not w.text.islower()
    return w.upos not in ("AUX", "PRON", "SCONJ", "PART", "INTJ")


def _names_question(t: Tree) -> Options | None:
    """I341: "React Native or Flutter for the new app?": names joined by "or" and what they are for."""
    end = _question_end(t)
    if end is None or end < 3:
        return None
    hi = next((k - 1 for k in range(1, end) if t.low(k) in _PURPOSE or (t.low(k) in (",", ":") and not any(t.low(j) == "or" for j in range(k, end)))), end - 1)
    if hi >= end or not any(t.low(k) == "or" for k in range(0, hi + 1)):
        return None
    if end - 1 - hi > _PURPOSE_WORDS or any(t.words[k].upos in ("VERB", "AUX") and t.words[k].text.islower() for k in range(hi + 1, end)):
        return None  # "A or B for X, should we ...?": a sentence with its own verb
    members, said_or = _cut(t, 0, hi, [])
    if not said_or or not _members_ok(t, members, None) or any(b - a + 1 > _NAMES_WORDS for a, b in members):
        return None
    if not all(_name_word(t, k) for a, b in members for k in range(a, b + 1)):
        return None
    return Options(_as_list(t, members, True, ("I341",)), 0, hi)


def _second_at(t: Tree, k: int) -> int | None:
    """The first word after "one", "another", "the other" at word ``k``, if one opens there."""
    for words in sorted(_SECOND, key=len, reverse=True):
        if all(k + j < len(t) and t.low(k + j) == word for j, word in enumerate(words)):
            return k + len(words)
    return None


def _one_each_worker(t: Tree) -> Options | None:
    """I342: "have one agent build it with Kotlin and one with Flutter": the names after the repeated preposition."""
    n = len(t)
    opener = next((k for k in range(n - 1) if t.low(k) == "one" and k + 1 < n and t.words[k + 1].upos in ("NOUN", "PROPN")), None)
    if opener is None:
        return None
    for k in range(opener + 2, n - 2):
        if t.low(k) not in ("and", ",") or (after := _second_at(t, k + 1)) is None:
            continue
        j = after
        while j < n and t.words[j].upos == "NOUN" and t.low(j) in ("agent", "person", "team", "model", "worker", "dev", "developer"):
            j += 1  # "and one agent with Flutter"
        if j >= n or t.words[j].upos != "ADP":
            continue
        prep = t.low(j)
        first = next((x for x in range(k - 1, opener + 1, -1) if t.low(x) == prep), None)
        # "write it with ANTLR and another by hand": another preposition, kept with each name
        same = first is not None
        if first is None:
            first = next((x for x in range(k - 1, opener + 1, -1) if t.words[x].upos == "ADP"), None)
        if first is None or not any(t.words[x].upos == "VERB" for x in range(opener + 1, first)):
            continue
        e = j + 1
        while e < n and t.low(e) not in _STOPS | {",", ";", ":", "and", "then", "or"} | _DASHES:
            e += 1
        members = [_trim(t, first + 1, k - 1), _trim(t, j + 1, e - 1)] if same else [(first, k - 1), (j, e - 1)]
        if any(b - a + 1 > _NAMES_WORDS or any(t.words[x].upos in ("VERB", "AUX") and t.words[x].text.islower() for x in range(a, b + 1))
               for a, b in members) or not _members_ok(t, members, None):
            continue
        return Options(_as_list(t, members, True, ("I342",)), members[0][0], e - 1)
    return None


def _refers_back(t: Tree, j: int) -> bool:
    """Word ``j`` points back at a list ("from each", "each one", "both", "all three"), not at
    a noun of its own ("on each branch")."""
    if t.low(j) not in _BACK:
        return False
    nxt = t.words[j + 1] if j + 1 < len(t) else None
    return nxt is None or nxt.upos in ("PUNCT", "ADP", "NUM", "CCONJ", "ADV", "VERB") or nxt.text.lower() in ("one", "of", "option", "method")


def _tried(t: Tree) -> Options | None:
    """I343: "run A, B and C on the sample, check 100 pairs from each, then compare": the tried methods."""
    w = option_words()
    n = len(t)
    for v in range(n - 3):
        if t.lemma(v) not in w.trying or not (v == 0 or t.words[v].text.islower()):
            continue
        if v > 0 and t.low(v - 1) not in (",", ";", ":", "then", "and", "please", "first", "also", "now", "just"):
            continue  # the verb opens its clause: an imperative, not "the tests we run"
        if t.words[v].upos != "VERB" and not (t.words[v].upos == "NOUN" and (v == 0 or t.low(v - 1) in (",", ";", ":"))
                                              and t.words[v + 1].upos in ("PROPN", "NOUN", "X")):
            continue  # "For the thumbnails, test libvips, ...": the tagger may take the verb for a noun
        lo = v + 1
        top = set(_top(t, lo, n - 1))
        closing: int | None = None
        hi = lo
        k = lo
        while k < n:
            low = t.low(k)
            if k in top and (low in _STOPS | {";", ":"} | _DASHES):
                break
            if k in top and low in ("and", "or") and closing is None and k > lo:
                closing = k
            elif k in top and closing is not None and k > closing + 1 and (low in _SETTING or low == ","):
                break  # the last member ends at what they all run on, or the next piece of work
            elif k in top and low == "," and closing is None and k + 1 < n and t.low(k + 1) == "then":
                break
            hi = k
            k += 1
        if closing is None:
            continue
        members, said_or = _cut(t, lo, hi, [])
        if len(members) < (2 if said_or else 3) or any(b - a + 1 > _TRIED_WORDS for a, b in members) or not _members_ok(t, members, None):
            continue
        if any(t.words[a].upos in ("VERB", "PRON") and not _camel(t.words[a].text) for a, _ in members):
            continue  # members that open with a verb are steps; "them", "it" refer
        if any(t.low(k) in _COMPLEMENT for a, b in members[:-1] for k in range(a, b + 1)):
            continue  # "run coverage per package for A, B and C": the list is after the verb's complement
        if t.low(members[0][0]) in _DEFINITE:
            continue  # "run the survey with students, staff and alumni": one thing run, its items after
        if not any(_refers_back(t, j) or t.lemma(j) in w.weighing or t.low(j) in w.weighing for j in range(hi + 1, n)):
            continue  # nothing said for each of them, nothing weighs them: a list of work
        return Options(_as_list(t, members, True, ("I343",)), lo, hi)
    return None


def sentence_options(t: Tree, text: str, promised: Promise | None = None) -> Options | None:
    """The options a sentence offers: the I270-I277 readings (``find_options``), then those
    of its work (``options_in_work``). With no count promised the answer is kept on the
    tree, since the item pass and I344 both ask it of every sentence."""
    if promised is not None:
        return find_options(t, text, promised) or options_in_work(t) or counted_then_named(t, text)
    memo = t.__dict__.get("_offered")
    if memo is not None and memo[0] == text:
        found: Options | None = memo[1]
        return found
    found = find_options(t, text) or options_in_work(t) or counted_then_named(t, text)
    t.__dict__["_offered"] = (text, found)
    return found


def options_in_work(t: Tree) -> Options | None:
    """The options one sentence offers in the grammar of its work (I340-I343), if any."""
    return (_courses_question(t) or _either_courses(t) or _names_question(t) or _one_each_worker(t) or _tried(t) or or_choice(t)
            or chosen_between(t))
