"""Clauses beside a request that ask for no step of their own (S225-S229, S240-S243).

People writing to an assistant surround the request with what happened
("after updating the app, the photos went blurry"), with the limits they want
kept ("check with me before deleting anything paid for") and with what to
report in a case the work may meet ("if none can deliver by Friday, tell me").
Each of these reads like work in the grammar: a gerund after "after" or
"before" (S124 reads it as a step), an imperative "tell me". They are not
separate pieces of work:

- S225: a timed gerund whose clause is a statement with a subject of its own
  (not the reader, not the speaker) or a noun ("a crash after updating the
  driver"): it says when something happened, it asks for nothing;
- S226: a gerund after "before" under a verb that consults the speaker ("check
  with me before cancelling the plan"): the gerund is work held for approval
  inside the main work, and the consulting is how that work is done;
- S229: the infinitive under a reminder ("remind me in two hours to check
  the oven", "set an alarm for 7 to call the bank"): what the reminder will
  say, done by the user when it goes off, not work for the reader;
- S227: a report (tell, note, say, let know, flag, mention) under "if",
  "unless" or "in case", when work was asked for earlier in the text: what to
  report in one outcome of that work is part of it, not a step after it;
- S241: commands right after a question that only say how to answer it
  ("what does this warning mean? explain simply", "... ? Just check and
  tell."): the question is the work;
- S242: a choice someone else is weighing ("the team is split on whether
  to ship it or make it optional"): each course in it is background, not
  work asked of the reader;
- S243: a heading before a colon ("Plan for tomorrow's class: ...") titles
  what follows, where other work is asked;
- S240: a command that limits the other work ("ignore the Tuesday rows",
  "keep the public signature", "use the card ending 42"): it says how that
  work is done, and adds no step where other work is asked in the text.
"""

from __future__ import annotations

from planner.parser import clauses as S
from planner.parser.readings import reading
from planner.parser.tree import Tree
from planner.parser.words import Words, parse_word_sets

# Subjects under which a clause may still ask the reader for work ("you", "u") or
# say the speaker's own wish or turn ("I", "we"); any other subject makes a statement.
_ASKING_SUBJECTS = frozenset({"you", "u", "ya", "i", "we"})
# Verbs that consult the speaker ("check with me", "ask me", "confirm with us").
_CONSULT = frozenset({"check", "ask", "confirm", "clear", "run", "verify"})
_SPEAKER = frozenset({"me", "us"})
# Verbs that report to the speaker what the work found.
_REPORT = frozenset({"tell", "note", "say", "let", "flag", "mention", "warn", "message", "text"})
_CONDITION = frozenset({"if", "unless", "whether"})
# Marks of a purpose clause: "use the table to find the gaps", "so that it fits".
_PURPOSE = frozenset({"to", "so", "for"})


def _timed(t: Tree, i: int, w: Words) -> bool:
    return S.timed_gerund(t, i, w)


@reading("S225", "background-gerund", "'the app crashes after updating the driver': a timed gerund in a statement about what happened, or on a noun, is background, not a step.")
def background_gerund(t: Tree, i: int, w: Words) -> bool:
    """A gerund after "after", "before", "once" or "upon" is a step where it
    times work the reader is asked for (S124). When its clause is a
    statement, with a subject that is neither the reader nor the speaker
    ("the player falls through the floor after using the ladder"), or it
    hangs on a noun ("a build error after updating the compiler"), it tells
    when something happened: background to the request."""
    if not _timed(t, i, w):
        return False
    head = t.head(i)
    if head is None:
        return False
    if t.words[head].upos in ("NOUN", "PROPN"):
        return True
    subj = t.child(head, "nsubj") or t.child(head, "nsubj:pass")
    return t.words[head].upos in ("VERB", "AUX") and subj is not None and t.low(subj) not in _ASKING_SUBJECTS


@reading("S226", "held-for-approval", "'check with me before cancelling any paid plan': work after 'before' under a verb that consults the speaker is held inside the main work, not a step.")
def held_for_approval(t: Tree, i: int, w: Words) -> bool:
    """"Check with me before deleting anything that costs money", "ask us
    before booking the expensive one": the gerund names work the main request
    may lead to, and the clause says it waits for the speaker's yes. It is a
    limit on that work, so it adds no step of its own."""
    if not _timed(t, i, w) or "before" not in {t.low(m) for m in t.children(i, "mark", "case")}:
        return False
    head = t.head(i)
    if head is None or t.lemma(head) not in _CONSULT:
        return False
    return any(t.low(k) in _SPEAKER for k in t.subtree(head) if k < i and k != head)


@reading("S227", "conditional-report", "'..., and if none can deliver by Friday, just tell me': a report asked for one outcome of earlier work is part of that work, not a step.")
def conditional_report(t: Tree, i: int, w: Words, asked_before: bool) -> bool:
    """A telling, noting or flagging verb whose clause opens with "if",
    "unless" or "in case" reports what the work met in one of its outcomes
    ("if there's no slot that suits everyone, tell me before booking", "if
    he mentions a fee, note that too"). With work asked for before it, the
    report belongs to that work. A text whose only request is the
    conditional report ("if the price drops, let me know") keeps it: it is
    the whole task."""
    if t.lemma(i) not in _REPORT or t.words[i].upos != "VERB":
        return False
    inside = t.subtree(i)
    asked_here = any(k < i and k not in inside and t.words[k].upos == "VERB" and S.asked_verb(t, k, w) for k in range(len(t)))
    if not (asked_before or asked_here):
        return False
    if t.rel(i) not in ("root", "parataxis", "conj"):
        return False
    conds = [c for c in t.children(i, "advcl") if c < i and {t.low(m) for m in t.children(c, "mark")} & _CONDITION]
    return bool(conds) and not any(t.words[k].upos == "VERB" and t.rel(k) == "conj" for k in t.children(i))


@reading("S229", "reminded-content", "'remind me in two hours to check the oven': the infinitive under a reminder is what it will say, not a step.")
def reminded_content(t: Tree, i: int, w: Words) -> bool:
    """A reminder carries a message: "remind me at six to call the dentist",
    "set an alarm for 7 to take my pills". The verb after "to" is what the
    user will do when the reminder goes off; setting the reminder is the
    whole request. The words that make reminders are ``[asides] reminders``
    in rules/parse.toml. The verb must hang on the reminder, within a few
    words and with no other verb between ("remind me to book it, then book
    the taxi" keeps "book the taxi")."""
    if t.words[i].upos != "VERB" or not any(t.low(m) == "to" for m in t.children(i, "mark")):
        return False
    (reminders,) = parse_word_sets("asides", "reminders")
    k: int | None = i
    for _ in range(3):
        k = t.head(k) if k is not None else None
        if k is None:
            return False
        if t.lemma(k) in reminders or t.low(k) in reminders:
            return True
        if t.words[k].upos == "VERB":
            return False
    return False


# Words that make what is kept one chosen among several: "keep the better one", "keep the winner".
_CHOSEN = frozenset({"best", "better", "worse", "worst", "winner", "one", "ones"})


# Words before "keep" that set several results side by side: "try both and keep the faster".
_SEVERAL = frozenset({"both", "either", "each", "or", "vs", "versus", "all"})


def _chosen(t: Tree, obj: int) -> bool:
    """The object of "keep" picks one of several results: "one", "the best", or a comparative
    or superlative after work on several ("prototype both and keep the faster")."""
    several = any(t.low(k) in _SEVERAL for k in range(obj))
    for k in t.subtree(obj):
        form = t.low(k)
        graded = t.words[k].upos in ("ADJ", "ADV", "NOUN") and form.endswith(("er", "est"))
        if form in _CHOSEN or (graded and (t.lemma(k) != form or several)):
            return True
    return False


@reading("S240", "limit-command", "'..., and ignore the Tuesday rows', 'use the card ending 42': a command that only limits the other work asked in the text is no step of its own.")
def limit_command(t: Tree, i: int) -> bool:
    """Beside the work they ask for, people give commands that only say how
    it is to be done: what to leave out ("ignore the rows from the test
    till", "avoid the toll roads"), what to hold as it is ("keep the public
    signature", "preserve the headings") and what to do it with ("use the
    card ending 42", "pay with the office account"). Each reads as an
    imperative, and left in it becomes one more agent starting beside the
    real work, with nothing to do. The verbs are ``[asides] limit_verbs``
    and ``means_verbs`` in rules/parse.toml; the caller keeps the step when
    no other work is asked in the text ("ignore all mail from this sender"
    is the whole task).

    A purpose after the verb makes it work ("use the cleaned table to find
    the gaps"), as does an object "keep" makes rather than holds ("keep a
    log of each call": ``kept_records``), a condition ("keep the change
    only if it is faster" decides on a result, as in a loop of trials), a
    place to keep it in ("keep the spare key with the neighbour") and
    a means verb whose object is not a means ("use text to speech", "pay
    the invoice with the card").
    """
    if t.words[i].upos != "VERB" or t.rel(i) not in ("root", "conj", "parataxis"):
        return False
    if any(t.words[c].upos == "VERB" for c in t.children(i, "xcomp", "ccomp")) or any(
        t.words[c].upos == "VERB" and {t.low(m) for m in t.children(c, "mark")} & _PURPOSE for c in t.children(i, "advcl")
    ):
        return False  # "use the data to find the gaps", "keep trying": the clause under it is work
    # (a participle with no mark describes the object: "the card ending 42")
    if any(t.rel(c) == "aux" or (t.rel(c).startswith("nsubj") and t.low(c) not in ("you", "u")) for c in t.children(i)):
        return False  # "we keep the old headings": a statement, not a command
    limits, records, means_verbs, means = parse_word_sets("asides", "limit_verbs", "kept_records", "means_verbs", "means")
    lemma = t.lemma(i)
    obj = t.child(i, "obj")
    if lemma in limits:
        if obj is None:
            return False  # "keep going", "avoid": nothing named to leave out or hold
        if any({t.low(m) for m in t.children(c, "mark")} & _CONDITION for c in t.children(i, "advcl", "xcomp")):
            return False  # "keep the change if it is faster": a decision on the work's result
        if lemma == "keep" and t.children(i, "obl"):
            return False  # "keep the spare key with the neighbour": keeping it somewhere is work
        if lemma == "keep" and _chosen(t, obj):
            return False  # "keep the faster", "keep the best one": a choice among results
        return not (lemma == "keep" and t.lemma(obj) in records)
    if lemma not in means_verbs:
        return False
    if obj is not None:
        return t.lemma(obj) in means  # "use the card" (a means); "pay the invoice" is work
    # "pay with the office account": what it is paid with, and nothing paid named
    return any(t.lemma(c) in means for c in t.children(i, "obl"))


@reading("S241", "answer-manner", "'What does this warning mean? Explain simply.': commands after a question that only say how to answer it are the question's step, not steps of their own.")
def answer_manner(t: Tree, i: int) -> bool:
    """People put a question, then say how they want it answered: "What
    does this warning mean? explain simple", "Is the certificate expiring
    this month? Just check and tell.", "Is the letter needed? Revert." The
    commands find the answer out or send it back; left in, each is one more
    step beside the question, which already asks for exactly that. The
    caller applies this to every command of the sentence right after a
    question read as a step (S110), and only when all of them answer.

    A command answers when its verb is one of ``[asides] answer_verbs``
    and it names nothing new: no object, or a pronoun of the question
    (``answer_objects``), and no clause under it. "Why is the build red?
    Fix it." asks for a fix beyond the answer, and "... ? Check the logs"
    names where to look: both stay steps.
    """
    if t.words[i].upos != "VERB":
        return False
    verbs, objects = parse_word_sets("asides", "answer_verbs", "answer_objects")
    if t.lemma(i) not in verbs:
        return False
    for c in t.children(i):
        rel = t.rel(c)
        if rel in ("obj", "iobj", "obl", "nsubj") and t.low(c) not in objects and t.lemma(c) not in ("you", "u"):
            return False
        if rel in ("ccomp", "xcomp", "advcl") and t.words[c].upos in ("VERB", "AUX"):
            return False  # "tell me which names drop out": what to tell is work of its own
    return True


# Subordinators of a choice being weighed: "whether to ship it or make it optional".
_WEIGHED = frozenset({"whether"})


@reading("S242", "weighed-choice", "'the team is split on whether to ship it as is or make it optional': the courses of a choice someone else is weighing are background, not steps.")
def weighed_choice(t: Tree, i: int) -> bool:
    """People explain why they ask by saying what others are deciding: "the
    board is split on whether to keep the old logo or make a new one",
    "finance is debating whether to lease the vans or buy them". Each course
    reads like a command, the second often coordinated after "or" where it
    looks like a clause of its own; neither is work asked of the reader. A
    verb whose clause (or whose first conjunct's clause) opens with
    "whether" is background when that clause hangs on a statement with a
    subject that is neither the reader nor the speaker. "Decide whether to
    lease or buy", "I can't tell whether to lease or buy" and "can you find
    out whether to lease" put the choice to the reader and are left to the
    other readings.
    """
    if t.words[i].upos != "VERB":
        return False
    first = i
    while t.rel(first) == "conj" and (h := t.head(first)) is not None and t.words[h].upos == "VERB":
        first = h
    if not {t.low(m) for m in t.children(first, "mark")} & _WEIGHED:
        return False
    gov = t.head(first)
    if gov is None or t.rel(first) not in ("ccomp", "advcl", "acl", "xcomp"):
        return False
    subj = t.child(gov, "nsubj") or t.child(gov, "nsubj:pass")
    return subj is not None and t.low(subj) not in _ASKING_SUBJECTS


# Relations by which a heading names what it is for: "plan for Monday", "agenda of the meeting".
_TITLED = frozenset({"for", "of", "on"})


@reading("S243", "heading", "'Plan for tomorrow's class: ...': a heading noun with what it is for, before a colon, titles the lines after it; it is no step where other work is asked.")
def heading(t: Tree, i: int) -> bool:
    """Messages open with a title: "Plan for tomorrow's class: electrochemistry,
    40 minutes", "Agenda for the offsite: ...", "Update for the team: ...".
    The first word can be a verb ("plan", "schedule", "update"), and the
    tagger, which has seen few titles, reads it as a command; left in, it is
    a step beside the work the text asks for after the colon or in a later
    sentence. The word (``[asides] heading_words``) must open its sentence,
    name what it is for ("for", "of", "on" and a noun) with no object and
    no other verb before the colon that ends the title. The caller keeps it
    when nothing else is asked: "Plan for tomorrow's class: electrochemistry,
    40 minutes." alone asks for the plan. "Plan the trip: flights, hotel"
    names its object, and "Plan for the worst." has no colon: both stay.
    """
    first = next((k for k in range(len(t)) if t.words[k].upos != "PUNCT"), None)
    if i != first or t.words[i].upos not in ("VERB", "NOUN"):
        return False
    (words,) = parse_word_sets("asides", "heading_words")
    if t.lemma(i) not in words and t.low(i) not in words:
        return False
    colon = next((k for k in range(i + 1, min(len(t), i + 10)) if t.words[k].text == ":"), None)
    if colon is None or t.child(i, "obj") is not None:
        return False
    if any(t.words[k].upos in ("VERB", "AUX") for k in range(i + 1, colon)):
        return False
    return t.low(i + 1) in _TITLED
