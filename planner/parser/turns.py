"""Turns other people take in the work, and the rework that answers them (S170, S171, S250-S251, S254-S255).

A request for a draft is often followed by how the draft will go back and
forth: "my editor will look it over", "the landlord will approve it",
"let the coach see it", then "we'll sharpen it". S130 reads such a turn when
the request to the reader is in the same sentence; these readings cover the
turn said in a sentence of its own after the request, the turns whose verb
is otherwise a state or a light verb ("I'll feel the grip in my hand", "I'll
say which lines drag", "I'll leave remarks"), turns of a named third party
("the treasurer will comment", "Ines will try it") and the rework said with
"we" after a turn ("... and we'll rework it"), which is the reader's work
too. The words are
``[turns]`` in rules/parse.toml.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from planner.parser import clauses as S
from planner.parser.readings import doc_only, reading
from planner.parser.tree import Tree
from planner.parser.words import Words, parse_phrases, parse_word_sets

_CLAUSE_RELS = frozenset({"root", "conj", "parataxis"})


@cache
def turn_words() -> tuple[frozenset[str], ...]:
    """``[turns]`` of rules/parse.toml: responses to a draft, feedback nouns, parties who take turns."""
    return parse_word_sets("turns", "responses", "feedback", "parties")


def _future(t: Tree, i: int) -> bool:
    v = i if t.child(i, "nsubj") is not None else S._first_conjunct(t, i)
    return any(t.low(a) in S.FUTURE_AUX for k in {i, v} for a in t.children(k, "aux"))


def _plain_present(t: Tree, i: int, subj: int) -> bool:
    form, lemma = t.words[i].text.lower(), t.lemma(i)
    if form == lemma:
        return True
    return t.low(subj) not in S.TURN_TAKERS - {"he", "she"} and form in (lemma + "s", lemma + "es", lemma[:-1] + "ies")


def _main_clause(t: Tree, i: int) -> bool:
    """A clause of its own: a main or coordinated clause, or one the parser hung on the next
    as an adverbial with no subordinator ("I'll circle the typos, you correct them")."""
    if _subordinated(t, i):
        return False
    return t.rel(i) in _CLAUSE_RELS or (t.rel(i) == "advcl" and t.child(i, "nsubj") is not None)


def _subordinated(t: Tree, i: int) -> bool:
    """A subordinator opens the clause ("so they can review it", "until I'm happy"); a noun
    the parser called a marker is no subordinator."""
    return any(t.words[m].upos in ("SCONJ", "ADP", "ADV", "PRON") for m in t.children(i, "mark"))


def _asks(t: Tree, k: int, w: Words) -> bool:
    """Whether verb ``k`` is a command, a request to "you" or rework said with "we"."""
    subj = t.child(k, "nsubj")
    if subj is None:
        return t.words[k].text.lower() == t.lemma(k) and not t.children(k, "aux", "mark")
    return t.low(subj) in S._ADDRESSEE or (t.low(subj) == "we" and t.lemma(k) in w.rework)


def _work_before(t: Tree, i: int, w: Words) -> bool:
    """A command or a request to "you" earlier in the sentence than clause ``i``. Read in
    word order from where the clause starts (its subject), not from the tree: the parser
    hangs a list of clauses said between commas on any of them ("bake six, I choose two")."""
    subj = t.child(i, "nsubj")
    start = min(t.subtree(subj)) if subj is not None and subj < i else i
    return any(t.words[k].upos == "VERB" and _asks(t, k, w) for k in range(start))


_WH_WORDS = frozenset({"what", "which", "who", "whom", "how", "why", "where", "when", "whether"})


def _content(t: Tree, i: int) -> bool:
    """"what the neighbours think of it": a clause a wh-word opens is a thing to find out, no turn."""
    if says_changes(t, i):
        return False  # S472: "I'll say what to cut"
    first = min(k for k in t.subtree(i) if t.rel(k) not in ("punct", "cc"))
    if any(t.low(k) in _WH_WORDS for k in t.children(i, "obj", "nsubj", "advmod", "mark")) or t.low(first) in _WH_WORDS:
        return True
    return first > 0 and t.low(first - 1) in _WH_WORDS  # the parse hung the wh-word elsewhere


doc_only(
    "S472", "said-what-to-change",
    "'Show me, I'll say what to cut', 'you tell me what is wrong': saying what to change, or what is wrong, about the reader's work is a person's turn (S170), not a question to find out.",
    """A wh-clause after a verb of saying usually names something to find
    out ("I'll say what the neighbours think" reports; S170 leaves such
    clauses out). After a request, a speaker who says what is to be done
    ("what to cut", "what to keep") or what is wrong with it ("what is
    wrong", "what is missing") answers the draft: that is the review turn of a
    loop. So a verb of saying or marking (say, tell, mark, flag, point
    out) whose object is "what" with an infinitive ("to") or with "is",
    "'s" or "needs" right after it does not count as content; the other
    conditions of S170 (work asked before, the speaker or a person as the
    subject, the future or the plain present) still hold.""",
)
# S472: verbs that say what to change.
_SAYING = frozenset({"say", "tell", "mark", "flag", "point", "note", "list"})
# S472: words after "what" that turn it into a verdict or an instruction, not a thing to find out.
_VERDICT_NEXT = frozenset({"to", "'s", "is", "needs", "’s", "s", "isn't", "doesn't"})


def says_changes(t: Tree, i: int) -> bool:
    """S472: verb ``i`` says what to change ("I'll say what to cut", "tell me what is wrong")."""
    if t.lemma(i) not in _SAYING:
        return False
    for k in range(i + 1, min(i + 4, len(t) - 1)):
        low = t.low(k)
        if low in ("what", "whats"):
            return low == "whats" or t.low(k + 1) in _VERDICT_NEXT
        if t.words[k].upos not in ("PRON", "ADP", "ADV"):
            return False
    return False


def let_response(t: Tree, i: int, w: Words, asked_before: bool) -> int | None:
    """S170 under "let": "let the choir director hear it", "let the club vote" after
    work asked for is a person's turn; "let" carries it and the answering verb is
    returned. "let me check" (the user) is an offer, and "let them know" is S162's."""
    if t.lemma(i) != "let" or t.words[i].upos != "VERB" or S.negated(t, i) or t.rel(i) not in _CLAUSE_RELS:
        return None
    agent = t.child(i, "obj")
    if agent is None or t.low(agent) in ("me", "us", "it", "them", "this", "that") or t.words[agent].upos not in ("PRON", "NOUN", "PROPN"):
        return None
    for k in t.children(i, "xcomp", "ccomp", "parataxis", "conj"):
        if k > agent and _responds(t, k) and (asked_before or _work_before(t, i, w)):
            return k
    return None


def _turn_subject(t: Tree, i: int) -> int | None:
    """The subject of clause ``i``; also a pronoun right after "then" ("then I'll go through
    them"), which ``S._subject`` leaves out for nouns ("then the draft send to Maria")."""
    subj = S._subject(t, i)
    if subj is not None:
        return subj
    v = i if t.child(i, "nsubj") is not None else S._first_conjunct(t, i)
    own = t.child(v, "nsubj")
    if own is not None and own < v and t.low(own) in S.TURN_TAKERS and own > 0 and t.low(own - 1) == "then":
        return own
    return None


def _party(t: Tree, subj: int) -> bool:
    """The speaker, someone named, or a person or team the words name ("the landlord", "the committee")."""
    _, _, parties = turn_words()
    if t.low(subj) in S.TURN_TAKERS:
        return True
    if t.words[subj].upos == "PROPN":
        return True
    return t.words[subj].upos in ("NOUN", "PROPN", "ADJ") and t.lemma(subj) in parties


def going_over(t: Tree, i: int) -> bool:
    """S250: "I'll go through them", "my editor will look it over", "she'll read
    through it": a verb of going over with its particle answers a draft, as
    "review" does (the verbs alone, "go", "look", "run", are no response)."""
    if t.lemma(i) not in _GOING_OVER:
        return False
    at = i + 1
    if at < len(t) and t.low(at) in _OVER_OBJECTS:
        at += 1  # "look it over"
    return at < len(t) and t.low(at) in _OVER_PARTICLES


def asks_for_feedback(t: Tree, i: int) -> bool:
    """S251: "I'll ask a maintainer for feedback", "we'll ask the tenants for their
    comments": asking someone for feedback is their turn on the draft."""
    _, feedback, _ = turn_words()
    if t.lemma(i) not in ("ask", "request") or S.negated(t, i):
        return False
    own = set(t.subtree(i))
    return any(
        t.low(k) == "for" and any(t.low(m) in feedback or t.lemma(m) in feedback for m in range(k + 1, min(k + 4, len(t))) if m in own)
        for k in range(i + 1, len(t)) if k in own
    )


@cache
def _handing_words() -> tuple[frozenset[str], ...]:
    """``[turns] handing, handed_to`` of rules/parse.toml: verbs that hand a draft over, and the prepositions of whom to."""
    return parse_word_sets("turns", "handing", "handed_to")


# S255: people a draft may go to that are said with a pronoun ("show it to them").
_HANDED_PRONOUNS = frozenset({"him", "her", "them"})


def handed_over(t: Tree, i: int) -> bool:
    """S255: "I'll show it to the students", "I'll run it by legal", "she'll pass it to
    the editor": handing the draft to a person or a team is their turn on it, as
    "the students will review it" is. The verb (``[turns] handing``) has the draft as
    its object and, after "to", "by" or "past", a person or team: a name, a noun of
    ``[turns] parties`` or "him", "her", "them". Handing over things to places ("send
    it to the printer") or to the reader ("pass it to you") is none, and so is handing
    followed by the answer itself ("I'll send it to Omar, he'll react"): that is the turn."""
    verbs, via = _handing_words()
    if t.lemma(i) not in verbs or S.negated(t, i):
        return False
    obj = t.child(i, "obj")
    if obj is None or t.low(obj) in ("you", "u", "me", "us"):
        return False
    _, _, parties = turn_words()
    for n in t.children(i, "obl", "nmod", "iobj"):
        if n < obj or not any(t.low(c) in via for c in t.children(n, "case")):
            continue
        if t.words[n].upos == "PROPN" or t.lemma(n) in parties or t.low(n) in parties or t.low(n) in _HANDED_PRONOUNS:
            return not _answered_after(t, i)
    return False


@reading("S473", "draft-goes-to-reviewer", "'Write the summary, then it goes to finance': the draft going to a person or team after work asked for is their review, a step.")
def goes_to_reviewer(t: Tree, i: int, asked_before: bool) -> bool:
    """Writers often say the review as the draft's journey: "then it goes to
    Legal", "it goes to the board for sign-off". "Go" with the draft as its
    subject ("it", "this", "that") and, after "to", a person or a team (a
    name or a noun of ``[turns] parties``) hands the version to them: their
    review is a step, after work asked before it in the text or its
    sentence. Things going to places ("the parcel goes to Leeds", a subject
    that is no pronoun), to the user ("then it goes to me": the result is
    delivered) or a negated one are none; a second reviewer said with "then
    to ..." is one more round (S471)."""
    if t.lemma(i) != "go" or t.words[i].upos != "VERB" or S.negated(t, i):
        return False
    subj = t.child(i, "nsubj")
    if subj is None or t.low(subj) not in ("it", "this", "that"):
        return False
    if not (asked_before or any(t.words[k].upos == "VERB" and t.rel(k) in ("root", "conj", "parataxis") for k in range(i))):
        return False
    _, _, parties = turn_words()
    for n in t.children(i, "obl"):
        if n > i and any(t.low(c) == "to" for c in t.children(n, "case")) and (
            t.words[n].upos == "PROPN" or t.lemma(n) in parties or t.low(n) in parties or t.low(n) in _HANDED_PRONOUNS
        ):
            return True
    return False


def _answered_after(t: Tree, i: int) -> bool:
    """"I'll send it to Omar, he'll react": when someone's own answer follows the handing
    in its sentence, the answer is the turn and the handing only delivers the draft."""
    responses, _, _ = turn_words()
    for k in range(i + 1, len(t)):
        if t.words[k].upos != "VERB" or t.rel(k) not in _CLAUSE_RELS or not (t.lemma(k) in responses or going_over(t, k)):
            continue
        subj = t.child(k, "nsubj")
        if subj is not None and t.low(subj) not in S._ADDRESSEE and t.low(subj) != "we":
            return True
    return False


# S250: verbs that, with "through" or "over", go over a draft; and the objects said between.
_GOING_OVER = frozenset({"go", "look", "read", "run", "skim", "work"})
_OVER_PARTICLES = frozenset({"through", "over"})
_OVER_OBJECTS = frozenset({"it", "them", "this", "that", "these", "those"})


def _responds(t: Tree, i: int) -> bool:
    responses, feedback, _ = turn_words()
    if t.lemma(i) in responses or going_over(t, i) or asks_for_feedback(t, i) or handed_over(t, i):
        return True
    # "I'll leave remarks", "they'll give suggestions": the feedback is the turn, "give" only light
    return t.lemma(i) in ("give", "leave", "add") and any(
        t.lemma(k) in feedback or t.low(k) in feedback for k in t.children(i, "obj")
    )


@reading("S170", "response-turn", "'Draft the flyer. The committee will comment.', 'I'll leave remarks', 'let the coach see it': a person's response to the reader's work, said after it, is a step.")
def response_turn(t: Tree, i: int, w: Words, asked_before: bool) -> bool:
    """After the reader is asked for work, the text often says who answers it:
    "Could you plan the picnic menu? I'll leave remarks.", "write it, the
    treasurer will comment", "bake a batch, I taste it", "let the coach see
    it". Each answer is a turn the later rework waits for. A turn is a main
    clause of the speaker, a person named or a person or team named by a
    noun (``[turns] parties``), whose verb answers work (``[turns]
    responses``: review, react, comment, playtest, feel, say ...) or gives
    feedback ("leave remarks"), in the future, the plain present or under
    "let"; it needs work asked before it, in its sentence or earlier in the
    text. A story ("the treasurer looked at it in May"), a clause under a
    subordinator ("so they can review it"), a negated one, or one with no
    request before it ("I'll check the seating plan myself" as the whole task) is none.
    """
    if t.words[i].upos != "VERB" or _subordinated(t, i) or S.negated(t, i) or not _responds(t, i):
        return False
    if not _main_clause(t, i) or _content(t, i):
        return False
    if t.rel(i) == "conj" and t.child(i, "nsubj") is None and not t.children(i, "cc"):
        return False  # "I'll comment, then redo it": a verb after a comma with no subject is a command
    subj = _turn_subject(t, i)
    if subj is None or t.low(subj) in S._ADDRESSEE or not _party(t, subj):
        return False
    if _future(t, i):
        return asked_before or _work_before(t, i, w)
    if t.children(i, "aux") or not _plain_present(t, i, subj):
        return False  # a story, a plan or a habit
    # the plain present also reports ("my aunt says ...") and tells habits: a turn
    # sits between work asked before it and work handed back after it ("bake a
    # batch, I taste it, change the sugar"); the clauses said after it may hang on
    # it ("I choose two, you ice them")
    own = t.subtree(i, t.children(i, "parataxis", "conj", "advcl", "ccomp", "list"))
    after = range(max(k for k in own if t.rel(k) != "punct") + 1, len(t))
    return (asked_before or _work_before(t, i, w)) and any(t.words[k].upos == "VERB" and t.rel(k) in _CLAUSE_RELS and _asks(t, k, w) for k in after)


@reading("S171", "shared-rework", "'I'll leave remarks and we'll rework it': rework said with 'we' after someone's turn is the reader's step.")
def shared_rework(t: Tree, i: int, w: Words, turned_before: bool) -> bool:
    """"I'll leave remarks and we'll rework it", "Ines will try the route,
    and we change it after each ride", "they test it, we rework": once someone
    has answered the draft, the rework said with "we" includes the reader and
    is the step after the turn. The verb must rework a draft (``[loops]
    rework`` in rules/words.toml: adjust, tweak, revise ...), in the future or the plain
    present, after a turn (S130, S170) in its sentence or the one before. A
    "we" clause with no turn before it ("we change the menu monthly") is a
    habit, and a loop word ("we repeat") is read by the L readings.
    """
    # The word checks first: they are set look-ups, and most verbs fail them.
    if t.words[i].upos != "VERB" or t.lemma(i) not in w.rework or t.lemma(i) in w.repeat_verbs:
        return False
    if not _main_clause(t, i) or S.negated(t, i):
        return False
    if not _we_ahead(t, i):
        return False
    if turned_before:
        return True
    return any(k < i and t.rel(k) in _CLAUSE_RELS and (S.turn_taking(t, k, w) or response_turn(t, k, w, True)) for k in range(len(t)))


def _we_ahead(t: Tree, i: int) -> bool:
    """Whether verb ``i``'s clause has "we" as its subject and says what is to come: the
    future, or the plain present with no auxiliary ("then we fix it")."""
    subj = _turn_subject(t, i)
    if subj is None or t.low(subj) != "we":
        return False
    return _future(t, i) or (not t.children(i, "aux") and _plain_present(t, i, subj))


@cache
def _iterating() -> tuple[tuple[str, ...], ...]:
    """``[turns] iterating`` of rules/parse.toml: rounds of rework said as a verb and its words."""
    return parse_phrases("turns", "iterating")


def iterates(t: Tree, i: int) -> bool:
    """Whether verb ``i`` with the words right after it says rounds of rework ("iterate",
    "go back and forth", "go round again"); the first word of a phrase is the verb's lemma."""
    for phrase in _iterating():
        rest = phrase[1:]
        if t.lemma(i) == phrase[0] and tuple(t.low(k) for k in range(i + 1, min(i + 1 + len(rest), len(t)))) == rest:
            return True
    return False


@reading("S254", "shared-iteration", "'Draft the letter and we'll iterate', 'then we go back and forth on it': rounds of rework said with 'we' after work asked for are the reader's step.")
def shared_iteration(t: Tree, i: int, w: Words, asked_before: bool) -> bool:
    """S171 reads rework said with "we" after someone's turn, but leaves loop
    words to the L readings: those put rounds on steps already read. Writers
    often say the rounds themselves as the step: "draft it, I'll send it to
    their lawyer and we'll iterate", "write a first version, then we go back
    and forth on it until it's tight". The "we" takes the reader in, so the
    rounds are the reader's rework, a step after the work asked for (and after
    a turn, when one is said). The clause is a main clause with "we" as its
    subject, in the future or the plain present, whose verb and words are in
    ``[turns] iterating`` (iterate, go back and forth, go round again), after
    a command or a request to "you" in its sentence or earlier. A story ("we
    iterated for weeks"), a habit with no request before it ("we iterate on
    designs every sprint"), a negated clause or one under a subordinator ("so
    we can iterate") is none.
    """
    if t.words[i].upos != "VERB" or not _main_clause(t, i) or S.negated(t, i) or not iterates(t, i):
        return False
    if not _we_ahead(t, i):
        return False
    return asked_before or _work_before(t, i, w)


# "time"/"times" also say when ("at the same time"); the other round words only count rounds.
_NOT_ROUNDS = frozenset({"time", "times"})


def _loop_after(text: str, at: int, w: Words) -> bool:
    """Whether the text after ``at`` says the work goes round ("until ...", "repeat", "two rounds")."""
    words = re.findall(r"[a-z']+", text[at:].lower())
    said = set(words) & ((w.rounds - _NOT_ROUNDS) | w.repeat_verbs)
    if said:
        return True
    joined = " " + " ".join(words) + " "
    return any(f" {' '.join(p)} " in joined for p in w.until) or " and so on " in joined


def answered_turns(preds: list[S.Pred], text: str, w: Words, fallback: Callable[[S.Pred], S.Pred | None]) -> list[S.Pred]:
    """S170: a turn is a step of the work when the work comes back after it: a later
    request ("..., then you fix it", "Rework it once the remarks are in") or rounds
    ("until it sounds right", "three rounds at most"). The speaker's look at the
    results at the end ("I'll go over them at the weekend") is what happens to the work, not a
    turn in it: such a clause is read as the other readings read it (``fallback``)."""
    out: list[S.Pred] = []
    for k, p in enumerate(preds):
        if "S170" in p.codes and not any("S170" not in q.codes for q in preds[k + 1 :]):
            start = p.tree.words[p.i].start
            if not _loop_after(text, start, w):
                again = fallback(p)
                if again is not None:
                    out.append(again)
                continue
        out.append(p)
    return out


doc_only(
    "S250", "going-over-turn",
    "'Write the captions, then I'll go through them and we fix what's off': going over a draft with 'through' or 'over' is someone's turn on it, like 'review'.",
    """S170 reads a person's answer to the reader's work as a turn of it
    when its verb answers a draft (review, comment, try ...). Writers as
    often say the look with a verb and its particle: "I'll go through
    them", "my editor will look it over", "she'll read through it". The
    verbs alone ("go", "look", "run") answer nothing, and "I'll go over
    them at the weekend" with nothing coming back after it is what happens
    to the result (S170's own test): only the verb with "through" or "over"
    counts as the answer.""",
)
doc_only(
    "S255", "handed-over-turn",
    "'Write the poster; I'll show it to the class and we'll improve it': handing the draft to a person or team is their turn on it.",
    """S170 reads a person's answer to the reader's work as a turn when its verb
    answers a draft. Writers as often say only that the draft goes to someone:
    "I'll show it to the students", "I'll run it by legal", "I'll bounce it to
    their lawyer". The one it goes to answers it, and the rework after it waits
    for that answer. The verb (``[turns] handing``: show, pass, send, run, take
    ...) has the draft as its object and a person or team after "to", "by" or
    "past" (a name, a noun of ``[turns] parties``, "him", "her", "them"). As
    for every S170 turn, it is a step only when rework or rounds come back
    after it; "send it to the printer" (a place) or "pass it to you" (the
    reader) is none.""",
)
doc_only(
    "S251", "asked-for-feedback-turn",
    "'Rewrite the page; I'll ask two readers for feedback and we'll revise': asking someone for feedback is their turn on the draft.",
    """Asking a person or a team for feedback, comments or notes ("I'll
    ask a maintainer for feedback", "we'll ask the tenants for their
    comments") hands the draft to them for an answer, as "the tenants will
    comment" does: a turn of the work (S170), and the rework said after it
    (S171) waits for it. Asking for something else ("I'll ask them for the
    keys") is no turn.""",
)
