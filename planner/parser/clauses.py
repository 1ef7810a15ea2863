"""Which words ask for work: the step readings (``S``) over one dependency tree.

A step comes from a predicate: a verb the text asks someone to do (an
imperative, a request to "you", a verb under a wish such as "I need to" or
"could you"), or a noun that names work ("an audit of the auth code"). Verbs
that tell a story ("we migrated last year"), describe a thing ("the script
that parses logs"), state a condition ("if it fails") or say what to look
for ("check that the app works") are not steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.parser.assigned import assigned_party
from planner.parser.readings import doc_only, reading
from planner.parser.tree import Tree
from planner.parser.valued_first import priced_command
from planner.parser.words import Words, parse_word_sets

# Relations under which a verb describes something rather than asking for work.
_DESCRIBING = frozenset({"amod", "acl", "csubj", "nsubj", "compound", "nmod", "case", "det", "aux", "cop", "mark", "discourse", "fixed", "flat", "goeswith", "reparandum", "vocative", "expl", "cc", "punct", "nummod", "iobj"})
# Auxiliaries that turn a statement into a request or an obligation.
_MODALS = frozenset({"should", "must", "could", "can", "would", "will", "shall", "ought", "need", "might", "may", "'d", "'ll", "ca", "wo"})
# Subjects that are the one asked to do the work.
_ADDRESSEE = frozenset({"you", "u", "ya", "y'all", "yall", "assistant", "agent", "agents"})
# Subordinators that make a clause a condition, a reason or a concession.
_CONDITION = frozenset({"if", "unless", "because", "since", "although", "though", "whether", "as", "so", "cause", "cuz", "whereas", "lest"})
_PURPOSE = frozenset({"to", "so", "in"})
_WH = frozenset({"what", "which", "who", "whom", "whose", "why", "how", "where", "when", "whether", "is", "are", "does", "do", "did", "can", "could", "should", "would", "will", "was", "were", "has", "have"})


@dataclass
class Pred:
    """A predicate read as a step, before items, order and ids are settled."""

    tree: Tree
    i: int  # the head word: the verb, or the noun that names the work
    verb: str  # lemma of the work
    kind: str  # "verb", "noun", "wanted", "question"
    codes: list[str] = field(default_factory=list)
    sub: str | None = None  # "after", "before" or "purpose": how its clause hangs on its governor
    governor: int | None = None  # word index of the predicate this clause depends on
    refers: bool = False  # the clause only points back at work already asked for ("once it is built")
    markers: set[str] = field(default_factory=set)  # "next", "first", "parallel", "also"
    scope: tuple[int, int] | None = None  # "For DPD: retrain, validate" -> the span of "DPD"
    anchor: int = -1  # the verb heading the clause (the light verb of "do an audit"; the verb itself otherwise)
    wished: bool = False  # the clause sits under a wish ("I need to ...", "we want to ...")
    part: tuple[int, int] | None = None  # a question's words when the sentence asks more than one (S126)

    @property
    def key(self) -> tuple[int, int]:
        return (self.tree.words[self.i].start, self.i)


def _has_modal(t: Tree, i: int, modals: frozenset[str] = _MODALS) -> bool:
    return any(t.low(a) in modals or t.lemma(a) in modals for a in t.children(i, "aux"))


def _first_conjunct(t: Tree, i: int) -> int:
    """The first of coordinated verbs: "build it and ship it" -> "build"."""
    seen = {i}
    while t.rel(i) == "conj" and (h := t.head(i)) is not None and h not in seen and t.words[h].upos in ("VERB", "AUX", "ADJ"):
        seen.add(h)
        i = h
    return i


def _subject(t: Tree, i: int) -> int | None:
    """The subject of ``i``, or of the first verb it is coordinated with (which UD gives it to).

    A "subject" cut off from its verb by a colon or a dash is a heading the
    parser attached ("blue/green vs canary - write the case for each"): none.
    """
    v = i if t.child(i, "nsubj") is not None else _first_conjunct(t, i)
    if v != i and _command_after_told(t, i, v):
        return None
    subj = t.child(v, "nsubj")
    if subj is None:
        return None
    lo, hi = sorted((max(t.subtree(subj)), v))
    if any(t.words[k].text in (":", "—", "–", "-", ";") for k in range(lo + 1, hi)):
        return None
    first = min(t.subtree(subj))
    if first > 0 and t.low(first - 1) in _NOT_SUBJECT_AFTER:
        return None  # "after the translation send it": the noun is the preposition's, not a subject
    if subj > v and not t.children(v, "aux") and all(t.low(k) in _COMMAND_OPENERS or t.words[k].upos == "PUNCT" for k in range(v)):
        return None  # "Ask Claude, ChatGPT and Gemini to ...": a verb that opens the sentence commands; the name after it is its object
    return subj


doc_only(
    "S265", "command-after-told",
    "In 'the nightly export broke, check the logs and fix it' the bare 'check' and 'fix' are commands: a bare verb cannot share the subject of an inflected verb it is coordinated with.",
    """UD gives coordinated verbs the first one's subject, so a command written
    after a sentence of background ("I've attached the log, find the error
    and patch it", "the build fails, check the runner") was read as more of
    that story (S104) and lost. A verb in its bare form, with no subject or
    auxiliary of its own, cannot go on a clause whose verb is inflected
    ("attached", "fails", "was moving"): "I've attached ... and find" is no
    English, so it is a command to the reader. A first verb that is bare
    itself ("I'll write it and send it", "we use it and like it") shares its
    subject as before, and so do bare forms that are also past participles
    (``[told_then_asked] same_participle``: "we've migrated it and run the
    tests").""",
)


def _command_after_told(t: Tree, i: int, v: int) -> bool:
    """S265: ``i``, coordinated after the inflected verb ``v``, is a bare command with no subject of its own."""
    if t.words[i].upos != "VERB" or t.words[v].upos != "VERB":
        return False
    if t.low(i) != t.lemma(i).lower() or t.low(v) == t.lemma(v).lower() or t.children(i, "aux", "aux:pass", "nsubj"):
        return False
    (same,) = parse_word_sets("told_then_asked", "same_participle")
    return t.lemma(i) not in same


def told_before(t: Tree, i: int) -> list[str]:
    """["S265"] when the command ``i`` is coordinated after a verb that tells (S265 kept it a command)."""
    v = _first_conjunct(t, i)
    if v == i or t.child(i, "nsubj") is not None or not _command_after_told(t, i, v):
        return []
    return ["S265"] if t.child(v, "nsubj") is not None and is_narrative(t, v) else []


# Words that may come before a command's verb at the start of a sentence.
_COMMAND_OPENERS = frozenset({"please", "pls", "plz", "kindly", "then", "and", "so", "also", "now", "just", "first", "next", "finally", "ok", "okay"})
# Words after which a noun is a preposition's object even where the parser made it a subject.
_NOT_SUBJECT_AFTER = frozenset({"after", "before", "once", "following", "upon", "until", "till", "then", "with", "without", "during", "for", "per"})


# Modals that make the speaker's own clause an obligation to meet ("we must
# migrate", "I need to rotate the keys"), unlike "I will send you the link",
# which tells what the speaker will do.
_OBLIGATION = frozenset({"should", "must", "need", "ought", "shall"})


def is_narrative(t: Tree, i: int) -> bool:
    """A verb with its own subject tells rather than asks, unless it is addressed or obliged.

    "We migrated the DB last year", "the job fails nightly", "I'll send you
    the link": background. "You should rerun it", "can you check", "we must
    migrate" ask for work.
    """
    subj = _subject(t, i)
    if subj is None:
        return False
    if t.low(subj) in _ADDRESSEE or _asks_to_get(t, i) or _asks_anyone(t, i, subj) or task_frame(t, i, subj):
        return False
    if assigned_party(t, i):
        return False  # S430: "the north crew clears the drains; the south crew trims the hedges"
    return not (_has_modal(t, i, _OBLIGATION) or _has_modal(t, _first_conjunct(t, i), _OBLIGATION))


@reading("S210", "task-frame", "'Your task is to prepare a briefing for each ward': the work a subject naming the reader's task is said to be is asked, not told.")
def task_frame(t: Tree, i: int, subj: int) -> bool:
    """Formal briefs name the work as what the task is: "your task is to
    prepare ...", "the job is to collate the returns", "the brief is to draft
    three options". The infinitive has a subject of its own ("task"), so it
    read as a statement and the request was lost. A subject noun of
    ``[task_frame] nouns`` owned by the reader or this work (``owners``:
    "your", "the", "this") with "is to" before the verb asks for that work;
    "his task was to file the returns" tells what someone else did.
    """
    nouns, owners = parse_word_sets("task_frame", "nouns", "owners")
    if t.lemma(subj) not in nouns or not any(t.low(d) in owners for d in t.children(subj, "nmod:poss", "det")):
        return False
    if not any(t.low(m) == "to" for m in t.children(i, "mark")):
        return False
    return any(t.low(c) in ("is", "'s", "will") for c in t.children(i, "cop", "aux"))


# Whoever reads the request, named as anyone at all ("can someone check", "someone please fix").
_ANYONE = frozenset({"someone", "somebody", "anyone", "anybody", "everyone", "everybody", "pls", "plz", "please"})


def _asks_anyone(t: Tree, i: int, subj: int) -> bool:
    """"Can someone look at the flaky test?", "someone please bump the version",
    "could anybody check the mirror": a request to whoever reads it, like
    "you"; "someone deleted the bucket" tells what happened. ("pls" read as
    a subject is the tagger's mistake for the request word.)"""
    low = t.low(subj)
    if low not in _ANYONE:
        return False
    if low in ("pls", "plz", "please"):
        return True
    form = t.words[i].text.lower()
    v = i if t.child(i, "nsubj") is not None else _first_conjunct(t, i)
    please = any(t.low(k) in ("please", "pls", "plz") for k in t.children(v, "discourse", "advmod", "intj"))
    return _has_modal(t, v, _MODALS) or (please and form == t.lemma(i))


def _mark(t: Tree, i: int) -> str:
    """The subordinator of the clause headed by ``i`` ("after", "as soon as", "to")."""
    marks = t.children(i, "mark")
    if not marks:
        # "after deploying": EWT attaches a bare gerund's preposition as mark too,
        # but a parse may give it as case.
        marks = t.children(i, "case")
    if not marks:
        return ""
    m = marks[0]
    # multi-word subordinators: "as soon as", "so that", "in order to", "prior to"
    fixed = [m, *t.children(m, "fixed")]
    return " ".join(t.low(k) for k in sorted(fixed))


def _after_words(w: Words) -> set[str]:
    return {" ".join(p) for p in w.after}


def _before_words(w: Words) -> set[str]:
    return {" ".join(p) for p in w.before}


@reading("S101", "asked-verb", "A verb the text asks someone to do is a step.")
def asked_verb(t: Tree, i: int, w: Words) -> bool:
    """An imperative ("Find the bug"), a request to the reader ("can you check
    the logs", "you should rerun it"), an obligation ("we must migrate the
    DB"), or a verb under a wish ("I want to translate it") asks for work.
    Everything else a verb can do in a sentence (tell a story, describe a
    thing, state a condition) is read by the readings after this one.
    """
    word = t.words[i]
    if word.upos != "VERB":
        return False
    rel = t.rel(i)
    if rel in _DESCRIBING or rel == "obj":
        return False
    return not is_narrative(t, i)


@reading("S102", "wrapper", "A verb that wraps a request ('I need to', 'help me', 'try to') is not the step; the verb it wraps is.")
def wrapper(t: Tree, i: int, w: Words) -> int | None:
    """"I'd like you to review the PR", "help me find the leak", "we need to
    migrate", "try to reproduce it", "make sure to back up": the wish, help or
    attempt carries no work of its own. Returns the wrapped verb, if any.
    """
    lemma = t.lemma(i)
    if lemma not in w.wish and lemma not in w.light:
        return None
    if lemma == "make" and any(t.low(k) in ("sure", "certain") for k in t.children(i, "xcomp", "ccomp", "obj")):
        sure = next(k for k in t.children(i, "xcomp", "ccomp", "obj") if t.low(k) in ("sure", "certain"))
        inner = next((c for c in t.children(sure, "xcomp", "ccomp") if t.words[c].upos == "VERB"), None)
        if inner is not None and any(t.low(m) == "to" for m in t.children(inner, "mark")):
            return inner  # "make sure to back up first": the backing up is the work
        return i  # "make sure the totals match": a condition on the work, read as no step
    for k in t.children(i, "xcomp", "ccomp"):
        if t.words[k].upos in ("VERB", "AUX"):
            return None if chooses_over_question(t, i, k) else k
        # "make sure to back up": the adjective carries the wrapped verb
        inner = next((c for c in t.children(k, "xcomp", "ccomp") if t.words[c].upos == "VERB"), None)
        if inner is not None:
            return inner
    if lemma in ("start", "begin", "finish", "end"):
        # "start by reading the docs", "begin with a backup"
        for k in t.children(i, "advcl", "obl"):
            if t.words[k].upos == "VERB" and any(t.low(m) in ("by", "with") for m in t.children(k, "mark", "case")):
                return k
    return None


_CHOOSING_WRAPPERS = frozenset({"decide", "choose", "pick"})
_ASKING = frozenset({"which", "whether", "what", "who", "where", "when", "how", "if"})


@reading("S258", "choice-over-question", "'Decide which one to pitch', 'choose whether to rent': a verb of choosing over a question is the work, not a wrapper.")
def chooses_over_question(t: Tree, i: int, k: int) -> bool:
    """"Decide to rent a van" asks for the renting (S102), but "decide which
    to pitch", "choose whether to rent or buy", "help me decide what to
    keep" ask for the choice itself: the clause under the verb is the
    question the choice answers, and its verb ("pitch", "rent") is only
    its content. The clause opens with a question word before its verb.
    """
    if t.lemma(i) not in _CHOOSING_WRAPPERS:
        return False
    lo = min(t.subtree(k))
    return i < lo and t.low(lo) in _ASKING  # "which to pitch", "which one to keep", "whether to rent"


# "keep going until ...", "must keep working": kept at, but naming no work
_NO_WORK_GERUNDS = frozenset({"go", "work", "run", "try"})


@reading("S133", "kept-at", "The verb after 'keep' or 'continue' ('keep tweaking it until it fits') is the repeated work, whatever the step model says.")
def kept_at(t: Tree, i: int, w: Words) -> bool:
    """"Design a flyer and keep tweaking it until it fits on one page": the
    keeping wraps the work (S102) and says it repeats; the gerund under it is
    the reworking step the loop runs. Web text uses "keep doing" for habits,
    so the step model rarely takes the gerund for a request: here the keeping
    is itself asked for (no subject, or "you").
    """
    if t.words[i].upos != "VERB" or t.rel(i) != "xcomp" or not t.low(i).endswith("ing"):
        return False
    lemma = t.lemma(i)
    if lemma in w.repeat_verbs and not iterated_on(t, i, w):
        return False  # "keep going", "keep iterating until ...": the loop itself, no work of its own
    if lemma in w.wish or lemma in w.light or lemma in _NO_WORK_GERUNDS:
        return False
    h = t.head(i)
    if h is None or (t.lemma(h) not in w.repeat_verbs and t.lemma(h) != "continue"):
        return False
    subj = t.child(h, "nsubj")
    return subj is None or t.low(subj) in ("you", "u")


def iterated_on(t: Tree, i: int, w: Words) -> bool:
    """S256: "keep iterating on the banner until ...": a loop verb that also reworks
    (``[loops] rework``: iterate) with the thing it works on after "on" names the rework."""
    return t.lemma(i) in w.rework and any(
        t.low(c) == "on" for n in t.children(i, "obl", "nmod") for c in t.children(n, "case")
    )


doc_only(
    "S256", "kept-iterating-on",
    "'Keep iterating on the banner until it reads at a glance': the iterating, with what it works on, is the repeated rework step.",
    """S133 reads the gerund after "keep" as the reworking step the loop runs,
    but leaves out loop words ("keep going", "keep iterating until it
    passes"): they say only that the work repeats. With the thing worked on
    after "on" ("keep iterating on the water colour of the logo"), "iterate"
    names the rework of that thing, as "keep tweaking it" does, and is the
    step; "keep going on it" (no rework verb) and "keep iterating until ..."
    stay the loop alone.""",
)


@reading("S103", "work-noun", "A noun that names work ('an audit of the auth code') is a step, with its verb's role.")
def work_noun(t: Tree, i: int, w: Words) -> str | None:
    """A verbless line ("Security review of the payment flow"), the object of
    a light verb ("do a final review", "run a benchmark") or of a wish ("I
    need a summary of the thread") names work with a noun. Returns the verb
    of that work, if the noun names work and stands where a request would.
    """
    word = t.words[i]
    if word.upos not in ("NOUN", "PROPN"):
        return None
    verb = noun_verb(t.lemma(i), w)
    if verb is None:
        return None
    rel = t.rel(i)
    head = t.head(i)
    if rel == "root" or (rel in ("list", "parataxis", "appos") and head is not None and t.words[head].upos != "VERB"):
        return verb
    if (
        rel in ("conj", "parataxis")
        and head is not None
        and t.words[head].upos == "VERB"
        and any(t.low(k) in ("then", "finally", "and", "plus", "also") for k in t.children(i, "advmod", "cc"))
    ):
        return verb  # "read the reports ..., then one summary for the risk committee"
    if rel == "obj" and head is not None and (t.lemma(head) in w.light or (t.lemma(head) in w.wish and not own_work(t, head, w))):
        return verb
    return None


def own_work(t: Tree, head: int, w: Words) -> bool:
    """A wish verb with work of its own, said as a command ("plan a fix", "decide
    the schema"), is that work: its object is what it works on, not a request."""
    return w.role_of(t.lemma(head)) is not None and not t.children(head, "nsubj", "nsubj:pass")


def phrasal_work(t: Tree, i: int, w: Words) -> str | None:
    """The verb a phrasal verb means ("come up with" -> brainstorm), from [phrasal] in rules/words.toml."""
    lemma = t.lemma(i)
    for words, verb in w.phrasal.items():
        if words[0] == lemma and i + len(words) <= len(t) and all(t.low(i + k) == words[k] for k in range(1, len(words))):
            return verb
    return None


@reading("S104", "narrative", "A verb with its own subject and no modal tells what happened; it asks for nothing.")
def narrative(t: Tree, i: int, w: Words) -> bool:
    """"We moved to Postgres last year", "the nightly job fails", "Dana wrote
    the first draft": background that explains the task. Subjects that are the
    reader ("you") or a modal ("we should", "you must") keep the request, and
    so does the speaker asking to be given something ("can I get a chart of
    sales?", "could we have the notes translated?").
    """
    return t.words[i].upos == "VERB" and is_narrative(t, i)


# "Can I get ...", "could we have ...", "may I see ...": the speaker asks to be given something.
_GETTING = frozenset({"get", "have", "see", "hear", "receive"})
_ASKING_MODALS = frozenset({"can", "could", "may", "might"})


def _asks_to_get(t: Tree, i: int) -> bool:
    """A question whose modal comes before the speaker ("can I get a chart of
    sales?", "could we have the notes translated?") asks for a thing, unlike
    "I can get the keys tomorrow", which tells what the speaker will do."""
    subj = t.child(i, "nsubj")
    if subj is None or t.low(subj) not in ("i", "we") or t.lemma(i) not in _GETTING:
        return False
    return any(t.low(a) in _ASKING_MODALS and a < subj for a in t.children(i, "aux"))


@reading("S105", "what-to-look-for", "A clause under a checking verb ('check that the app still works') says what to look for, not more work.")
def looked_for(t: Tree, i: int, w: Words) -> bool:
    """The complement of check, verify, make sure, see, confirm is the thing to
    check: "verify that the backup restores", "check the app still working".
    The check is the step; the complement is its object.
    """
    head = t.head(i)
    if head is None or t.rel(i) not in ("ccomp", "xcomp", "advcl", "acl"):
        return False
    if t.lemma(head) not in w.checking:
        return False
    if t.rel(i) == "advcl" and _mark(t, i) not in ("that", "whether", "if", ""):
        return False
    # "make sure to back up" wraps work; "make sure the app works" states a check
    return not (t.rel(i) == "xcomp" and any(t.low(m) == "to" for m in t.children(i, "mark")) and t.lemma(head) != "check")


@reading("S106", "condition", "A clause of condition or reason ('if it fails', 'because we moved') is no step.")
def condition(t: Tree, i: int, w: Words) -> bool:
    """"If the build is red, roll back": the roll-back is the step, the red
    build its condition. Clauses opened by if, unless, because, since,
    although, whether are read the same way.
    """
    return t.rel(i) == "advcl" and _mark(t, i).split(" ")[0] in _CONDITION


@reading("S107", "wish-to-know", "Wanting to know something ('I'd like to know the weather') asks for a look-up.")
def wish_to_know(t: Tree, i: int, w: Words) -> bool:
    """Knowing is a state, but "I want to know which tests are flaky", "tell
    me whether ..." and "let me know the cost" ask someone to find out.
    """
    if t.lemma(i) not in ("know", "learn", "understand", "find", "see"):
        return False
    head = t.head(i)
    return head is not None and t.rel(i) in ("xcomp", "ccomp") and (t.lemma(head) in w.wish or t.lemma(head) in w.light)


@reading("S108", "state-verb", "Verbs of being, thinking and having ('is', 'seems', 'know') are no steps.")
def state_verb(t: Tree, i: int, w: Words) -> bool:
    """"The export is slow", "it seems flaky", "I think it leaks": these say how
    things are. A wrapper reading has already looked under them for work.
    A pricing verb opening a command ("Please cost each and ...") asks for work (I513).
    """
    return t.lemma(i) in w.state and not priced_command(t, i)


@reading("S109", "wanted-thing", "A wish for a thing ('I need a logo for the shop') asks for that thing to be made.")
def wanted_thing(t: Tree, i: int, w: Words) -> int | None:
    """The object of a wish with no verb under it names a result: "I need a
    one-page summary", "could I get a chart of sales by region". The step
    makes it; its role comes from what is wanted. Returns the object.
    """
    if t.lemma(i) not in w.wish and t.lemma(i) not in ("get", "have", "give", "send", "show"):
        return None
    if t.children(i, "xcomp", "ccomp"):
        return None
    obj = t.child(i, "obj")
    if obj is None or t.words[obj].upos not in ("NOUN", "PROPN"):
        return None
    if t.low(obj) in w.pronouns:
        return None
    return obj


@reading("S110", "question", "A question that asks for no action ('why does the job hang?') is one step: answer it.")
def question(t: Tree, w: Words, text: str) -> bool:
    """A direct question names the work by asking: "what does SKIP LOCKED do?",
    "why is checkout slow?", "which queue should we use?". A polite request in
    question form ("could you review it?") is read by S101 instead. Chat
    often leaves out the question mark: a sentence that opens with a
    question word after "also", "and", "so" or a dash ("also whats the
    weather tomorrow", "and how much is parking there") is a question too.
    """
    if not t.words:
        return False
    last = t.words[-1].text
    if last.endswith("?"):
        return True
    f = _question_start(t)
    first = t.low(f)
    if first in _WH_IS:
        return last != "."
    return first in _WH and t.words[f].upos in ("PRON", "ADV", "AUX", "SCONJ", "DET") and t.root != f and last != "."


# Words a question written without its question mark may open with ("also
# whats the weather", "and how much is parking"), and contractions of a
# question word with "is" that the tagger reads as a verb.
_LEADING = frozenset({"also", "and", "oh", "ok", "okay", "so", "btw", "plus", "but", ",", "-", "—", "–"})
_WH_IS = frozenset({"whats", "what's", "hows", "how's", "wheres", "where's", "whens", "when's", "whos", "who's"})


def _question_start(t: Tree) -> int:
    """The first word of the question: after opening words, or after a dash
    that sets a name off before it ("bug.jpg - and how do i get rid of it")."""
    dash = next((k for k in range(min(3, len(t) - 1)) if t.words[k].text in ("-", "—", "–")), -1)
    f = dash + 1
    while f < len(t) - 1 and t.low(f) in _LEADING:
        f += 1
    return f


# Words that open a question of their own after "and" ("... and when does it close?").
_ASKING = frozenset({"how", "what", "why", "where", "which", "when", "who", "whose", "whats", "what's"})


@reading("S126", "joined-questions", "'Where is the pharmacy and when does it close?' asks two things: each question is a step.")
def joined_questions(t: Tree) -> list[int]:
    """A question sentence with a second question after "and" ("what language
    is this and what does it say?", "how long is the talk and what are its
    main points?") asks for two answers; the second may need the first. The
    second question is put as a question: its verb comes right after the
    question words ("and when does it close?", "and how many people live
    there?"); a clause with its subject first ("the cost and how long it
    takes") is a thing asked about inside one question, and so is a name
    set before the question ("bug.jpg - and how do I treat it"): the first
    part needs a verb too. Returns the indices
    of the joining "and"s.
    """
    cuts: list[int] = []
    for j in range(1, len(t) - 2):
        if t.low(j) != "and" or t.low(j + 1) not in _ASKING:
            continue
        k = j + 2
        while k < len(t) and t.words[k].upos in ("ADJ", "ADV"):  # "how long", "how many"
            k += 1
        if k < len(t) and t.words[k].upos == "NOUN":  # "what time", "how many people"
            k += 1
        before = range(cuts[-1] + 1 if cuts else 0, j)
        if k < len(t) and t.words[k].upos in ("AUX", "VERB") and any(t.words[b].upos in ("AUX", "VERB") for b in before):
            cuts.append(j)
    return cuts


@reading("S111", "instrument", "'Use X to do Y': the doing is the step, X its input.")
def instrument(t: Tree, i: int, w: Words) -> int | None:
    """"Use the profiler to find the slow query", "use the old report as a
    template to write the new one": the purpose clause is the work. Returns
    the purpose verb.
    """
    if t.lemma(i) not in w.instrument:
        return None
    for k in t.children(i, "advcl", "xcomp"):
        if t.words[k].upos == "VERB" and _mark(t, k) in ("to", "in order to"):
            return k
    return None


@reading("S112", "refers-back", "A time clause that repeats work already asked for ('once it is built, push it') adds no step; it orders.")
def refers_back(t: Tree, i: int, earlier: set[str]) -> bool:
    """"Build the image; once it is built, push it": the second "built" is the
    first step again, now as a point in time. A passive or perfect form, or a
    verb already asked for, in an after/once/when clause only says when.
    """
    if t.lemma(i) in earlier:
        return True
    passive = any(t.words[a].deprel.endswith(":pass") for a in t.kids[i])
    obj = t.child(i, "obj")
    # "once that is done", "when you have finished": no new work; "after you do the upgrade" names work
    done = t.lemma(i) in ("do", "finish", "complete", "end", "wrap", "land", "merge", "ready") and (
        obj is None or t.low(obj) in ("it", "that", "this", "them", "everything", "all")
    )
    return passive or done


def clause_kind(t: Tree, i: int, w: Words) -> tuple[str | None, str]:
    """How the clause of verb ``i`` hangs on its governor: ("after"|"before"|"purpose"|"until"|None, mark)."""
    if t.rel(i) not in ("advcl", "obl", "xcomp", "ccomp", "acl"):
        return None, ""
    mark = _mark(t, i)
    if not mark:
        return None, ""
    marks = t.children(i, "mark")
    if mark == "after" and marks and marks[0] + 1 < len(t) and t.low(marks[0] + 1) in ("that", "this", "which"):
        return None, mark  # "after that, check ...": a sequence word, read by O301
    if mark == "after" and after_as_then(t, i):
        return None, mark  # "..., after make the chart": "after" said for "then" (O381)
    if mark in _after_words(w):
        return "after", mark
    if mark in ("until", "till", "untill"):
        return "until", mark
    if mark in _before_words(w):
        return "before", mark
    if mark.split(" ")[0] in _PURPOSE or mark in ("in order to", "so that"):
        return "purpose", mark
    return None, mark


def marker_words(t: Tree, i: int) -> list[int]:
    """Adverbs and discourse words on ``i`` that order or frame it (then, first, also, please)."""
    return [k for k in t.children(i, "advmod", "discourse", "cc", "mark", "obl", "nmod") if t.words[k].upos in ("ADV", "INTJ", "CCONJ", "ADP", "SCONJ", "ADJ") and len(t.subtree(k)) <= 3]


_CONTENT_WH = frozenset({"how", "what", "why", "whether", "which", "where", "when", "who", "if"})


@reading("S113", "content-clause", "A clause that says what to find out ('research how X handles Y') is the object of the work, not more work.")
def content_clause(t: Tree, i: int, w: Words) -> bool:
    """"Find out why the job hangs", "research how Postgres stores JSON",
    "ask whether the vendor supports SSO": the verb inside the question is
    the subject matter. The verb that asks (find out, research, ask) is the
    step.
    """
    head = t.head(i)
    if head is None or t.words[i].upos != "VERB" or t.rel(i) not in ("ccomp", "advcl", "csubj", "xcomp"):
        return False
    opener = min(t.subtree(i))
    first = t.low(opener)
    return first in _CONTENT_WH and opener < i and t.words[head].upos in ("VERB", "NOUN", "ADJ")


# O381: what may stand right before an "after" that opens a command ("..., after make the chart").
_AFTER_OPENERS = frozenset({",", ";", ":", "and", "then", "&"})


@reading("O381", "after-as-then", "'clean the data, after make the chart': 'after' before a bare command with no subject orders it next, like 'then'.")
def after_as_then(t: Tree, i: int) -> bool:
    """A subordinator needs a clause or a gerund after it ("after you clean
    it", "after cleaning it"); many writers whose first language is not
    English use "after" as the adverb "afterwards" instead: "export the
    list, then clean it, after make the chart", "and after, update the
    log". The bare command ``i`` with no subject of its own, opened by such
    an "after" right after a comma, "and" or "then" (or at the sentence's
    start), is the next stage in the order given, not work to do before the
    clause it hangs on.
    """
    if t.words[i].upos != "VERB" or t.low(i) != t.lemma(i).lower() or t.low(i).endswith("ing"):
        return False
    m = next((k for k in t.children(i, "mark", "case", "advmod") if t.low(k) == "after" and k < i), None)
    if m is None or t.children(i, "nsubj", "nsubj:pass", "expl"):
        return False
    if any(t.words[k].upos not in ("PUNCT", "ADV") for k in range(m + 1, i)):
        return False
    return m == 0 or t.low(m - 1) in _AFTER_OPENERS


def time_mark(t: Tree, i: int, w: Words) -> str | None:
    """"after"/"before" when the clause of ``i`` opens with such a subordinator, whatever its relation."""
    if after_as_then(t, i):
        return None
    for m in t.children(i, "mark"):
        low = t.low(m)
        nxt = t.low(m + 1) if m + 1 < len(t) else ""
        if low in ("after", "once", "when", "upon") and nxt not in ("that", "this", "which"):
            return "after"
        if low == "before":
            return "before"
    return None


_NOUN_ENDINGS = (("ication", "y"), ("isation", "ise"), ("ization", "ize"), ("ation", "ate"), ("ation", "e"), ("ation", ""), ("tion", "te"), ("sion", "de"), ("ment", ""), ("al", "e"), ("al", ""), ("ing", ""), ("ing", "e"), ("sis", "se"), ("sis", "ze"), ("ure", "e"))


def noun_verb(lemma: str, w: Words) -> str | None:
    """The verb of a noun that names work: from the table, the same word ("a review",
    "an audit"), or a regular derivation ("migration" -> migrate, "deployment" -> deploy)."""
    known = w.noun_verbs
    if lemma in known:
        return known[lemma]
    if len(known) >= _NOUN_VERBS_KEPT:
        known.clear()  # a long run over many texts: start again rather than grow without bound
    verb = known[lemma] = _noun_verb(lemma, w)
    return verb


# Lemmas whose noun_verb() is kept (a few MB at most).
_NOUN_VERBS_KEPT = 20_000


def _noun_verb(lemma: str, w: Words) -> str | None:
    low = lemma.lower()
    if low in w.work_nouns:
        return w.work_nouns[low]
    last = low.rsplit("-", 1)[-1]  # "deep-dive" -> "dive", "re-review" -> "review"
    if last != low and last in w.work_nouns:
        return w.work_nouns[last]
    if last in w.roles and last not in w.not_work_nouns:
        return last
    for ending, base in _NOUN_ENDINGS:
        if last.endswith(ending) and len(last) > len(ending) + 2:
            stem = last[: -len(ending)] + base
            if stem in w.roles and stem not in w.not_work_nouns:
                return stem
    return None


@reading("S114", "goal-then-steps", "A goal followed by the steps that reach it ('Optimise the export: profile, fix, measure again') is not a step of its own.")
def goal_then_steps(t: Tree, i: int, later: int) -> bool:
    """A lead-in that ends with a colon and is followed by two or more
    requests in the same sentence, or a wish ("I need to add returns to the
    model") followed by two or more requests in later sentences, states the
    goal; the requests are the work. ``later`` is how many steps follow it.
    """
    return later >= 2


@reading("S115", "negated", "A request not to do something ('don't book anything yet') is no step.")
def negated(t: Tree, i: int) -> bool:
    """"Don't merge it yet", "do not email the customer", "never restart the
    primary": limits on the work, not work. Written fast without the
    apostrophe ("dont merge it", "they wont pay it"), the contraction is split
    into "do" + "nt", which negates the same way.
    """
    return any(t.low(k) in ("not", "n't", "nt", "never", "no") for k in t.children(i, "advmod", "aux", "neg", "det"))


@reading("S116", "not-a-command-form", "A verb without a subject that is a participle or an -s form ('pasted below', 'attached') is no request.")
def not_command_form(t: Tree, i: int) -> bool:
    """Commands use the base form: "pasted below", "as discussed", "the steps
    listed here" describe. A verb under a wrapper ("keep tuning", "start by
    reading") may be a gerund and is read by S102 instead.
    """
    word = t.words[i]
    form = word.text.lower()
    lemma = word.lemma.lower()
    if form == lemma or form.replace("’", "'") == lemma:
        return False
    return form.endswith(("ed", "en", "s", "ing")) or form in _IRREGULAR_PAST


_IRREGULAR_PAST = frozenset({"built", "written", "wrote", "made", "found", "ran", "sent", "kept", "brought", "done", "did", "given", "gave", "shown", "taken", "took", "got", "gotten", "chosen", "drawn", "spoken", "left", "paid", "bought", "thought", "told", "said", "sold", "held", "led", "met", "set", "put", "cut", "read", "split"})


@reading("S117", "hand-over", "'Take the German manual, translate the safety section': taking hands an input over; it is no step.")
def hand_over(t: Tree, i: int) -> bool:
    """A first clause with take, grab or use and a thing as its object, followed
    by work on it, says what to work on. (With a place, "take the boxes to the
    depot", it is an errand and stays a step.)
    """
    return True


def under_wish(t: Tree, i: int, w: Words) -> bool:
    """Whether the clause of ``i`` is wrapped by a wish of the speaker ("I need to", "we'd like to")."""
    h = t.head(i)
    if h is None or t.rel(i) not in ("xcomp", "ccomp"):
        return False
    return t.lemma(h) in ("want", "need", "like", "love", "wish", "hope", "require", "aim", "plan") and t.child(h, "nsubj") is not None


DELIVER = frozenset({"tell", "show", "give", "send", "email", "text", "message", "let", "report"})
_JUDGEMENT = frozenset({"best", "favourite", "favorite", "recommendation", "recommend", "pick", "choice", "opinion", "verdict", "which", "whether", "should", "better", "worth", "advice", "suggestion", "thoughts", "view", "take", "call", "go/no-go", "arguments", "argument"})
# Verbs that deliver through a channel ("mail me the scans", "text us the address"): the sending is
# an errand of its own, unlike telling, which only ends the work before it (S177).
CHANNEL = frozenset({"send", "email", "mail", "text", "message", "forward", "post"})


@reading("S118", "tell-the-user", "'... and tell me the result' hands the work's result to the user; it is no step of its own.")
def delivers(t: Tree, p: Pred, w: Words) -> bool:
    """"Find my booking email and tell me the reference", "check the logs and
    let me know what you find": the telling ends the work before it. Telling
    a judgement ("tell me which is best") is a decision and stays a step,
    and so is telling a ranking or a comparison ("tell me where it is
    cheapest", "tell me what they agree on"): it weighs the results before
    it against each other, and so is the listener's own choice ("tell me what
    you would do"). After work done for each of several things
    ("check the three shops' prices and give me the gist") the telling
    merges their results and stays a step too. Sending to someone else ("send it to my brother") is an errand.
    """
    if p.kind != "verb" or p.verb not in DELIVER or sent_to_user(t, p):
        return False
    a = p.anchor if p.anchor >= 0 else p.i
    to_user = [k for k in t.children(a, "iobj", "obj", "obl") if t.low(k) in ("me", "us")]
    if not to_user:
        return False
    told = _told(t, a)
    if _asks_a_question(t, a, told):
        return False
    return not any(t.lemma(k) in _JUDGEMENT or t.low(k) in _JUDGEMENT or _ranks(t, k) for k in told)


@reading("S177", "sent-to-user", "'mail me the scans', 'text us the address': sending a result to the user through a channel is an errand, a step.")
def sent_to_user(t: Tree, p: Pred) -> bool:
    """Telling the user ends the work before it (S118), but "mail me the
    scans", "forward us the quote", "text me the address" asks for the result to be sent:
    one more errand, with a channel and a thing sent. The verb is one of
    sending (``CHANNEL``) with the user as who receives it."""
    if p.kind != "verb" or p.verb not in CHANNEL:
        return False
    a = p.anchor if p.anchor >= 0 else p.i
    return any(t.low(k) in ("me", "us") for k in t.children(a, "iobj", "obj", "obl"))


# "let me know what you find", "tell me when it is done": the clause says what the
# work turned up or that it ended; it asks no question of its own
_REPORTING_SUBJECTS = frozenset({"you", "u", "it"})


def _asks_a_question(t: Tree, a: int, told: set[int]) -> bool:
    """"tell me what I can cook tonight", "tell me if other people had the same problem":
    the telling answers a question of its own from the work's results, which is work."""
    for k in t.children(a, "ccomp", "advcl"):
        if t.words[k].upos not in ("VERB", "AUX", "ADJ", "NOUN") or k not in told:
            continue
        opener = min(t.subtree(k))
        if t.low(opener) not in ("what", "if", "whether", "who", "how", "why"):
            continue
        subj = t.child(k, "nsubj")
        if subj is not None and t.low(subj) in _REPORTING_SUBJECTS and not _judged(t, k, opener):
            continue
        return True
    return False


# Modals that put a choice to the listener: "what you would do", "which you'd pick".
_CHOOSING_MODALS = frozenset({"would", "should", "'d", "d"})


def _judged(t: Tree, k: int, opener: int) -> bool:
    """"tell me what you'd do in my place", "say which you would pick": asked with
    "would" or "should", "what" or "which" is the listener's judgement, not what the
    work turned up ("let me know what you find")."""
    return t.low(opener) in ("what", "which") and any(t.low(a) in _CHOOSING_MODALS or t.lemma(a) in ("would", "should") for a in t.children(k, "aux"))


def _told(t: Tree, a: int) -> set[int]:
    """The words of what is told: the telling verb's subtree, and (a parse
    sometimes hangs "what they agree on" elsewhere) the words after it up to
    the next coordinated verb."""
    out = set(t.subtree(a))
    for k in range(a + 1, len(t)):
        if t.rel(k) == "conj" and t.words[k].upos == "VERB" and k not in out:
            break
        out.add(k)
    return out


# Words that weigh several results against each other: telling "what they agree
# on", "what changed between them" or "where it is cheapest" compares what the
# work before found, so the telling is a comparison of its own.
_COMPARING = frozenset({"most", "least", "worst", "between", "agree", "disagree", "differ", "difference", "common", "overlap"})


def _ranks(t: Tree, k: int) -> bool:
    """A superlative ("cheapest", "quickest", "most") or a word that compares
    results; "latest" names what is current, not a choice among results."""
    word = t.words[k]
    if t.lemma(k) in _COMPARING or t.low(k) in _COMPARING:
        return True
    form = word.text.lower()
    return word.upos in ("ADJ", "ADV") and form.endswith("est") and t.lemma(k) not in (form, "late")


# Verbs after which "X + participle" asks for X to be dealt with: "I want the
# podcast trimmed", "get the contract reviewed", "have my CV checked".
_WANT_DONE = frozenset({"want", "need", "like", "love", "prefer", "require", "expect", "would", "get", "have"})
# Participles that say only that the work is over ("I want it done"): no work of their own.
_DONE_ONLY = frozenset({"do", "finish", "complete", "end", "wrap", "go", "be"})


# Participles that point at material rather than ask for work on it: "the
# file attached", "the steps listed below", "the notes pasted above".
_POINTING = frozenset({"attach", "paste", "list", "mention", "show", "include", "give", "describe", "send", "enclose", "link", "quote", "provide", "call", "name"})
_PLACES = frozenset({"below", "above", "here", "earlier", "previously", "before"})


def is_participle(t: Tree, i: int) -> bool:
    """A past participle: "separated", "converted", "written", "read" (as in "read aloud")."""
    form = t.words[i].text.lower()
    lemma = t.words[i].lemma.lower()
    if form != lemma:
        return form.endswith(("ed", "en")) or form in _IRREGULAR_PAST
    return form.endswith(_SAME_FORM)  # "read", "proofread", "set", "reset", "put", "cut", "split"


_SAME_FORM = ("read", "set", "put", "cut", "split", "spread", "shut", "hit", "quit")


@reading("S122", "done-to-object", "'I want the podcast trimmed and uploaded to the feed': each participle after a wish and its object is a step on that object, in order.")
def done_to_object(t: Tree, i: int, w: Words) -> tuple[int, int] | None:
    """A wish or a causative verb with an object and a past participle
    ("I want the slides translated", "get the contract reviewed by legal",
    "I'd like to have my essay checked", "I need a caption for it read aloud")
    asks for the participle's work done to the object; participles coordinated
    with it ("separated and converted into text") are more work on the same
    thing, done in the order given. Returns (object, governing verb) for the
    first participle of the chain, or for a later one (its object may be its
    own: "... identified and their names translated").

    A story ("I had my car repaired last week") is no request, and "I want it
    done" names no work of its own.
    """
    word = t.words[i]
    if word.upos != "VERB" or not is_participle(t, i) or t.lemma(i) in _DONE_ONLY:
        return None
    first = _first_conjunct(t, i) if t.rel(i) == "conj" else i
    comma = comma_participle(t, i)  # S273: "I'd like the newsletter, news.pdf, summarised"
    if comma is not None:
        first = comma
    own = t.child(i, "nsubj") or t.child(i, "nsubj:pass")
    if first != i and t.lemma(first) in _WANT_DONE and own is not None and t.words[own].upos in ("NOUN", "PROPN"):
        # "I want the slides translated and the speaker notes shortened": a second
        # object with its participle, coordinated with the wish by the parse
        if any(is_participle(t, k) for k in t.children(first, "xcomp")) and not negated(t, first):
            return own, first
        return None
    if first != i and not is_participle(t, first):
        return None
    head = t.head(first)
    if head is None:
        return None
    if t.rel(first) == "xcomp":
        gov = head
        obj = t.child(gov, "obj") or subject_as_object(t, first)  # S273: "I want [report.pdf summarised]"
        if obj is None or obj > first:
            return None
    elif comma is not None and first == comma:
        gov, obj = head, t.child(head, "obj")  # S273: hung on the wish by a comma after its object
        if obj is None:
            return None
    elif t.rel(first) == "ccomp" and t.lemma(head) in ("get", "have") and (q := quantified_subject(t, first)) is not None:
        gov, obj = head, q  # S441: "and have each one checked by a native speaker"
    elif t.rel(first) == "acl" and t.rel(head) == "obj" and (g := t.head(head)) is not None:
        # "I'd like a caption for photo.jpg read aloud": the participle hangs on the object
        gov, obj = g, head
        if t.lemma(first) in _POINTING or any(t.low(k) in _PLACES for k in t.children(first, "advmod")):
            return None  # "I need the report attached below" says which report
    else:
        return None
    lemma = t.lemma(gov)
    if lemma not in _WANT_DONE or negated(t, gov):
        return None
    form = t.words[gov].text.lower()
    if form != lemma and form.endswith("s") and lemma not in ("get", "have"):
        return None  # "security wants it rotated": a third person's wish, told as background
    if lemma in ("get", "have") and t.child(gov, "nsubj") is not None and is_narrative(t, gov):
        return None  # "I had my car repaired last week": a story
    subj = _subject(t, gov)
    if lemma not in ("get", "have") and subj is not None and t.low(subj) not in ("i", "we", "you", "u"):
        return None  # "the client wants the logo changed" reports someone else's wish
    return obj, gov


@reading("S273", "done-to-object-reparsed", "'I want report.pdf summarised', 'I'd like the letter, letter.pdf, translated': S122 where the parse made the object the participle's subject, or hung the participle on the wish after the object's comma.")
def object_reparsed(t: Tree, i: int) -> bool:
    """S122 reads "I want the slides translated" as work done to the object.
    The parse does not always show it that way: with a file name as the
    object ("I want report.pdf summarised") it may read the object as the
    subject of a small clause under the wish, and after an apposition ("I'd
    like the newsletter, news.pdf, summarised and then emailed") it may hang
    the participle on the wish itself, after a comma. Both are the same
    request: the participle's work done to the wish's object. The subject
    must be a noun or a name (not "it"), and the participle after the comma
    must have no "and" of its own ("I wanted the car and bought it" is a
    story of two things done)."""
    return comma_participle(t, i) is not None or (
        t.rel(i) == "xcomp" and (h := t.head(i)) is not None and t.child(h, "obj") is None and subject_as_object(t, i) is not None
    )


# S441: words that stand for things named before ("each one", "both", "all three", "them").
_QUANTIFIERS = frozenset({"each", "both", "all", "one", "them", "these", "those", "every"})


def quantified_subject(t: Tree, first: int) -> int | None:
    """S441: the word the parse made the subject of participle ``first`` under "have" or
    "get" when it points back at things named before ("have each one checked", "get
    both signed"): the causative's object, as S122 reads a noun there."""
    subj = t.child(first, "nsubj") or t.child(first, "nsubj:pass")
    if subj is None or subj > first:
        return None
    said = {t.low(subj), *(t.low(k) for k in t.children(subj, "det", "nummod"))}
    return subj if said & _QUANTIFIERS or t.words[subj].upos == "NUM" else None


@reading("S441", "done-to-each", "'..., and have each one checked by a native speaker', 'get both signed off': a causative whose participle the parse gave a subject pointing back at things named before is a step on those things, as S122 reads it on a noun.")
def done_to_each(t: Tree, i: int) -> bool:
    """Whether S122's participle at ``i`` hangs on "have"/"get" as a clause whose subject
    points back ("each one", "both", "them"): the parse read it as a statement about them
    ("each one checked"), and the work on each was lost."""
    head = t.head(i)
    return (t.rel(i) == "ccomp" and head is not None and t.lemma(head) in ("get", "have")
            and quantified_subject(t, i) is not None)


def subject_as_object(t: Tree, first: int) -> int | None:
    """The noun the parse made the subject of the participle ``first`` under a wish: its object."""
    subj = t.child(first, "nsubj") or t.child(first, "nsubj:pass")
    if subj is None or t.words[subj].upos not in ("NOUN", "PROPN"):
        return None
    return subj


def comma_participle(t: Tree, i: int) -> int | None:
    """The participle hung on a wish by a comma after the wish's object, at or above ``i`` in its conjuncts."""
    k = i
    while t.rel(k) == "conj" and (h := t.head(k)) is not None:
        if (
            is_participle(t, k)
            and t.words[k].upos == "VERB"
            and t.lemma(h) in _WANT_DONE
            and t.words[h].upos in ("VERB", "AUX")
            and (obj := t.child(h, "obj")) is not None
            and obj < k
            and not t.children(k, "cc", "det")  # "..., then a read on his tone" is a noun
            and t.child(k, "nsubj") is None
        ):
            return k
        k = h
    return None


def made_thing(t: Tree, k: int, w: Words) -> bool:
    """Whether noun ``k`` names a result work makes ("a transcript", "an edge map", "a chart")."""
    if t.words[k].upos not in ("NOUN", "PROPN"):
        return False
    lemma = t.lemma(k)
    return lemma in w.made or t.low(k) in w.made or noun_verb(lemma, w) is not None


_ALONG = (("along", "with"), ("together", "with"), ("as", "well", "as"), ("plus",), ("and", "also"))


@reading("S123", "each-wanted-thing", "'a summary of the minutes and a list of the action items': each thing a request asks to be made is a step.")
def wanted_things(t: Tree, n: int, anchor: int, w: Words) -> list[int]:
    """Things one makes, coordinated in the object of a request ("give me
    a summary of the minutes and a list of the action items", "I want a sketch
    and a colour study, then a poster from both", "a translation along with a
    short glossary"), are made by separate pieces of work, like coordinated
    requests. Each must be a noun phrase of its own (with its article) and name
    a made thing (rules/words.toml [made], or a noun that names work);
    "milk, eggs and bread" or "the bugs and typos" stay one object. ``n`` is
    the requested object, ``anchor`` the verb of the request; returns the
    further things.
    """
    out: list[int] = []
    seen = {n}
    stack = [n]
    while stack:
        k = stack.pop()
        for c in t.children(k, "conj"):
            if c not in seen:
                seen.add(c)
                stack.append(c)
                out.append(c)
    # "a summary of the report and a translation of it": a new thing to make ("a",
    # "an") coordinated under the object's "of" phrase is the object's sibling
    # (the parser's attachment), while "the report and the appendix" are inputs
    for m in t.children(n, "nmod"):
        for c in t.children(m, "conj"):
            if c not in seen and made_thing(t, c, w) and any(t.low(d) in ("a", "an", "another", "some") for d in t.children(c, "det")):
                seen.add(c)
                out.append(c)
    verb = t.head(n) if t.rel(n) == "obj" else None
    for h in (anchor, *([verb] if verb is not None else [])):
        # "send me a summary of X and a list of Y": a noun the parse coordinated with
        # the request's verb is a second object of it
        for c in t.children(h, "conj"):
            if c not in seen and c > n and t.words[c].upos in ("NOUN", "PROPN"):
                seen.add(c)
                out.append(c)
    for h in (n, anchor, *([verb] if verb is not None else [])):
        for c in t.children(h, "obl", "nmod", "obj", "xcomp", "conj", "parataxis", "appos"):
            if c in seen or c < n:
                continue
            lows = t.lows(sorted(t.children(c, "case", "cc", "advmod")))
            joined = any(tuple(lows[j : j + len(p)]) == p for p in _ALONG for j in range(len(lows)))
            ordered = any(x in ("then", "also", "finally", "next", "plus") for x in lows)
            if joined or ordered:
                seen.add(c)
                out.append(c)
    keep = []
    for c in sorted(out):
        # a new thing has the indefinite article; "the Google Ads report" in a list is an input
        new = any(t.low(d) in ("a", "an", "another", "some") for d in t.children(c, "det"))
        alternative = any(t.low(k) in ("or", "nor") for k in t.children(c, "cc"))
        if new and not alternative and made_thing(t, c, w):
            keep.append(c)
    return keep


@reading("S124", "timed-gerund", "'Record a voice note after shortening its intro': a gerund after 'after', 'before', 'once' or 'upon' is a step, ordered by its word.")
def timed_gerund(t: Tree, i: int, w: Words) -> bool:
    """"after shortening its intro", "before sending it out", "once
    translating the menu": the gerund names work with no subject of its own,
    and the subordinator places it before or after the main request. It
    needs a thing to work on; "after lunch" or "before starting" do not ask
    for work.
    """
    form = t.words[i].text.lower()
    if t.words[i].upos != "VERB" or not form.endswith("ing"):
        return False
    if not {t.low(m) for m in t.children(i, "mark", "case")} & {"after", "before", "once", "upon", "following"}:
        return False
    obj = t.child(i, "obj")
    return obj is not None and t.words[obj].upos in ("NOUN", "PROPN", "PRON") and t.low(obj) not in _INDEFINITE


# "before booking anything": no thing to work on, a limit on the work.
_INDEFINITE = frozenset({"anything", "something", "everything", "nothing", "all", "any"})


@reading("S125", "helped-verb", "'help me pull the tables out of the PDF': the verb under 'help' is the work.")
def helped_verb(t: Tree, i: int, w: Words) -> bool:
    """"Help me find the leak", "could you help me pull the tables out of
    report.pdf", "please assist me to book a room": help wraps a request (S102)
    and the verb it wraps is the step, even a light one ("get X out of Y" is
    an extraction). A verb that wraps another ("help me try to ...") leaves
    it to that one.
    """
    head = t.head(i)
    if head is None or t.words[i].upos != "VERB" or t.rel(i) not in ("xcomp", "ccomp"):
        return False
    if t.lemma(head) not in ("help", "assist") or negated(t, head) or negated(t, i):
        return False
    if is_narrative(t, head) or wrapper(t, i, w) is not None:
        return False  # "a temperature range would help me decide": a thing helps, nobody asks
    obj = t.child(i, "obj")
    if t.lemma(i) in w.light and (obj is None or t.low(obj) in w.pronouns or t.low(obj) in _INDEFINITE):
        return False  # "help me do it in that order" points back at the work
    return t.lemma(i) not in w.state or t.lemma(i) in ("understand", "know", "learn", "see")


@reading("S270", "help-no-step", "'Find the cause, then help me fix it': the 'help' is no step of its own where the verb under it is one (S125).")
def help_no_step(t: Tree, i: int, w: Words) -> bool:
    """"Look at the logs and then help me fix the crash", "check the
    forecast, then help us plan the route": help after other work reads, to
    the step model, like a request of its own, but it wraps the request
    (S102) and the verb under it is the work (S125). One step, the helped
    one; a help with nothing helped under it ("then help me") is left to
    the other readings.
    """
    if t.lemma(i) not in ("help", "assist") or t.words[i].upos != "VERB":
        return False
    k = wrapper(t, i, w)
    return k is not None and k != i and helped_verb(t, k, w)


# Whoever reads a request, named as the one a wish is for ("I need you to ...", "we want someone to ...").
_READER_OBJECTS = frozenset({"you", "u", "someone", "somebody", "anyone", "anybody"})


@reading("S192", "wished-of-the-reader", "'I need someone to figure out the scope': the work a wish asks of the reader is a step, whatever its verb.")
def wished_of_reader(t: Tree, i: int, w: Words) -> bool:
    """"I need you to work out the totals", "we'd like someone to dig up the old
    contracts": the wish (S102) names the reader as who does the work, so the
    verb it wraps is asked for. The verb must name work of a role in the lexicon
    (or a phrasal verb that does), not a state ("I need you to know ..."). The
    step model decides such verbs first; this reading keeps the ones it turns
    down."""
    head = t.head(i)
    if head is None or t.words[i].upos != "VERB" or t.rel(i) != "xcomp":
        return False
    if t.lemma(head) not in w.wish or negated(t, head) or negated(t, i):
        return False
    obj = t.child(head, "obj")
    if obj is None or t.low(obj) not in _READER_OBJECTS or obj > i:
        return False
    lemma = phrasal_work(t, i, w) or t.lemma(i)
    return w.role_of(lemma) is not None and lemma not in w.state


# S161: verbs that hand the work to someone named in their object ("have the security team review it").
_CAUSATIVE = frozenset({"have", "get"})
# Objects that name the user, or the thing worked on, not someone who does the work.
_NOT_AGENTS = frozenset({"me", "us", "it", "them", "this", "that", "everything", "something", "myself", "ourselves"})


def handed_to(t: Tree, i: int) -> int | None:
    """Whom the clause at ``i`` under "have", "get" or "let" hands its work to (S161, S162):
    the wrapper's object, or the clause's own subject, said before the clause's verb."""
    head = t.head(i)
    if head is None:
        return None
    agent = t.child(head, "obj")
    if agent is None:
        agent = t.child(i, "nsubj")
    return agent if agent is not None and agent < i else None


@reading("S161", "caused-work", "'have the security agent review it', 'get the legal team to check the draft': the work someone is had to do is a step.")
def caused_work(t: Tree, i: int, w: Words) -> bool:
    """"have the security agent review it", "get legal to check the contract",
    "have Maria proofread the intro": "have" and "get" only hand the work to
    the person or agent in their object (S102 reads them as wrappers); the verb
    they hand over is the work, whoever is named to do it, and the step model
    has seen too few such clauses to keep it. "have it reviewed" (a participle,
    S122), "let me know" and "get me the numbers" (the user) are not this;
    several agents named together are the parallel workers, read as items.
    """
    head = t.head(i)
    if head is None or t.words[i].upos != "VERB" or t.rel(i) not in ("xcomp", "ccomp"):
        return False
    if t.lemma(head) not in _CAUSATIVE or negated(t, head) or negated(t, i) or is_narrative(t, head):
        return False
    agent = handed_to(t, i)
    if agent is None or t.low(agent) in _NOT_AGENTS or t.words[agent].upos not in ("NOUN", "PROPN", "PRON"):
        return False
    if t.children(agent, "conj"):
        return False  # "have a db reviewer and an SRE reviewer critique it": each named agent is a worker (I readings)
    return t.lemma(i) not in w.state and t.lemma(i) not in w.light


@reading("S162", "let-someone-know", "'let the marketing team know', 'let Sam know': telling someone other than the user is an errand, a step.")
def lets_know(t: Tree, i: int, w: Words) -> bool:
    """"fix the typo and let Sam know", "then let the team know in the channel":
    "let" wraps "know" (S102) and the step model reads "know" as a state, so
    the message to a third person was lost or kept as a bare "let". Telling
    someone is an errand the text asks for; telling the user ("let me know")
    is how the work before it ends (S118) and is not this.
    """
    head = t.head(i)
    if head is None or t.lemma(i) != "know" or t.rel(i) not in ("xcomp", "ccomp") or t.lemma(head) != "let":
        return False
    if negated(t, head) or is_narrative(t, head):
        return False
    agent = handed_to(t, i)
    return agent is not None and t.low(agent) not in _NOT_AGENTS and t.words[agent].upos in ("NOUN", "PROPN")


# S130: who may take a turn in the work besides the reader (also read by turns.py, own_doing.py).
TURN_TAKERS = frozenset({"i", "we", "they", "he", "she"})
# Handing material in ("I'll send you the notes", "I'll paste the log") gives the
# work its input; it is no turn of the work itself.
_HANDING_IN = frozenset({"send", "attach", "paste", "upload", "share", "forward", "provide", "drop", "put", "post", "email", "bring", "get", "have", "give"})
# Giving feedback is a turn: "I'll give comments", "they'll give feedback".
_FEEDBACK = frozenset({"feedback", "comment", "comments", "notes", "review", "reviews", "input", "thoughts", "remarks", "score", "scores", "rating", "ratings"})
# Auxiliaries of the future: "I'll review it", "we will choose".
FUTURE_AUX = frozenset({"will", "'ll", "ll", "shall", "’ll"})


def _addressed_work(t: Tree, k: int) -> bool:
    """Whether verb ``k`` heads a main clause that asks the reader for work: a
    command ("polish the winner") or a clause whose subject is the reader ("you revise")."""
    if t.words[k].upos != "VERB" or t.rel(k) not in ("root", "conj", "parataxis", "ccomp", "list"):
        return False
    subj = t.child(k, "nsubj")
    if subj is not None:
        return t.low(subj) in _ADDRESSEE
    if t.rel(k) == "conj" and t.child(_first_conjunct(t, k), "nsubj") is not None:
        return t.low(t.child(_first_conjunct(t, k), "nsubj") or 0) in _ADDRESSEE
    return t.words[k].text.lower() == t.lemma(k) and not t.children(k, "aux")


@reading("S130", "turn-taking", "'Draft three intros, we'll vote, then polish the winner': a turn the speaker or a third party takes between requests is a step of the work.")
def turn_taking(t: Tree, i: int, w: Words) -> bool:
    """A workflow that hands the work back and forth ("write it, I'll review,
    you revise", "make it shorter, then I send it to HR, they comment, you
    adjust") has turns that are not the reader's: the review or the comments
    are steps the later work waits for. A turn is a main clause of the
    speaker or a third party (I, we, they, he, she) in the future ("I'll
    rate them"), with a request to the reader in the same sentence, or in
    the plain present between other work and a request that follows it
    ("..., then they comment, you adjust"). A story ("we migrated last
    year", "I have been testing it"), a state ("I think"), a wish, a habit
    ("we ship stubs but mypy ignores them"), a clause with a subordinator
    ("so we catch it next time"), the loop itself ("we repeat until he
    agrees", read by the L readings) or material handed in ("I'll send you
    the notes") is no turn; giving feedback is.
    """
    word = t.words[i]
    if word.upos != "VERB" or t.rel(i) not in ("root", "conj", "parataxis") or t.children(i, "mark"):
        return False  # "so we catch it next time", "make sure they pass": no turn of the work
    subj = _subject(t, i)
    if subj is None or t.low(subj) not in TURN_TAKERS or negated(t, i):
        return False
    lemma = t.lemma(i)
    if lemma in w.state or lemma in w.wish or lemma in w.light or lemma in w.repeat_verbs or lemma in ("redo", "continue"):
        return False  # "we repeat until he agrees", "we do it until": the loop, read by the L readings
    if lemma in _HANDING_IN and not any(t.lemma(k) in _FEEDBACK or t.low(k) in _FEEDBACK for k in t.children(i, "obj")):
        return False  # "I'll send you the notes" hands material in; "I'll give comments" is a turn
    v = i if t.child(i, "nsubj") is not None else _first_conjunct(t, i)
    auxes = {t.low(a) for a in t.children(v, "aux")} | {t.low(a) for a in t.children(i, "aux")}
    if auxes & FUTURE_AUX:
        return any(k != i and _addressed_work(t, k) for k in range(len(t)))
    form = word.text.lower()
    present = form == lemma or (t.low(subj) in ("he", "she") and form in (lemma + "s", lemma + "es", lemma[:-1] + "ies"))
    if auxes or not present:
        return False  # past, perfect, progressive or modal: a story or a plan, not a turn
    # the plain present tells habits too ("we ship type stubs, add a marker"): a turn
    # follows other work in its sentence and hands the work back to the reader after it
    # ("then I send it to HR, they comment, you adjust")
    lo, hi = min(t.subtree(i)), max(t.subtree(i))
    return any(t.words[k].upos == "VERB" for k in range(lo)) and any(_addressed_work(t, k) for k in range(hi + 1, len(t)))


_TITLE_WORDS = 12  # an issue or ticket title is a short line; a longer one is a sentence of the request
_TITLE_NO_END = (".", "?", "!", ":", ";", ",")


@reading("S132", "title-line", "A short title line above a body that asks for two or more things ('Rewrite the setup guide', blank line, the steps) names the whole task; it is no step of its own.")
def title_line(text: str) -> int | None:
    """Issues and tickets open with a title ("Move the tests to the new
    runner", "Telemetry opt-out audit") set apart by a blank line, and the
    body then says the work step by step: the title is the goal those steps
    reach, like a lead-in before a colon (S114). A title is one line of at
    most twelve words with no sentence end and a blank line under it; it is
    dropped only where the body asks for two or more things (a title over a
    body of background keeps its step). Returns where the title ends.
    """
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    nl = stripped.find("\n")
    if nl <= 0:
        return None
    first = stripped[:nl].strip().lstrip("#").strip()
    if not first or first.endswith(_TITLE_NO_END) or len(first.split()) > _TITLE_WORDS:
        return None
    rest = stripped[nl + 1 :]
    if rest.split("\n", 1)[0].strip():
        return None  # no blank line under it: the first line of a paragraph or a list
    return offset + nl
