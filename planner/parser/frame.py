"""Text that frames the work but is not work: greetings, a goal question, a counted announcement.

People open a request the way they open a message: "Hello team,", "Bom dia!",
"Namaste all." They ask the question the work answers before the work
("Which of our services still log in plain text? Check api, worker and
cron."), and they count the jobs before giving them ("Please prepare two
reports in parallel. Report for finance: ... Report for security: ...").
None of these is a piece of work beside the ones that follow: left in, each
becomes one more agent starting at the same time as the parallel workers.

The readings here look at the drafts once their items and streams are known
(a goal question is dropped only where work follows it, an announcement only
where the parts it counts follow it) and name the drafts to drop, each with
the reading that drops it. Their word lists are ``[frame]`` in
``rules/words.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from planner import lazyre, tomlcache
from planner.errors import RuleFileError
from planner.parser import clauses as S
from planner.parser.clauses import Pred
from planner.parser.readings import reading
from planner.parser.tree import Tree
from planner.parser.words import Words, word_phrases


class _Draft(Protocol):
    pred: Pred
    span: tuple[int, int]
    role: str
    item: str | None
    item_span: tuple[int, int] | None
    group: str | None


@dataclass(frozen=True)
class FrameWords:
    """``[frame]`` of rules/words.toml: the words that open, address and close a message."""

    greetings: tuple[tuple[str, ...], ...]
    addressees: tuple[tuple[str, ...], ...]
    answering_roles: frozenset[str]
    english: frozenset[str]
    restating_verbs: frozenset[str]


def _phrases(table: Mapping[str, Any], key: str) -> tuple[tuple[str, ...], ...]:
    # longest first, so "bom dia" wins over a one-word greeting it starts with
    return word_phrases(table, key, "frame")


def frame_words_from_table(data: Mapping[str, Any]) -> FrameWords:
    table = data.get("frame", {})
    if not isinstance(table, dict):
        raise RuleFileError("[frame] must be a table", path="rules/words.toml")
    return FrameWords(
        greetings=_phrases(table, "greetings"),
        addressees=_phrases(table, "addressees"),
        answering_roles=frozenset(" ".join(p) for p in _phrases(table, "answering_roles")),
        english=frozenset(" ".join(p) for p in _phrases(table, "english")),
        restating_verbs=frozenset(" ".join(p) for p in _phrases(table, "restating_verbs")),
    )


@cache
def load_frame_words() -> FrameWords:
    """The built-in ``[frame]`` word lists (cached for the process)."""
    return frame_words_from_table(tomlcache.read_builtin("words.toml", "word classes"))


# --- greetings ------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?|\S", re.UNICODE)
# Marks that close a greeting ("Hello team,", "Bom dia!", "Namaste all."); a dash only with a space before it.
_CLOSERS = frozenset({",", "!", ".", ":", ";", "…", "—", "–", "-"})
_GREETING_CHARS = 160  # a greeting and whom it addresses sit in the first line or two
_NAME_WORDS = 2  # "Dear Ana Lima,": a name after the greeting is one or two capitalised words


def _match(toks: Sequence[tuple[str, int, int]], k: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    for p in phrases:
        if tuple(x for x, _, _ in toks[k : k + len(p)]) == p:
            return len(p)
    return 0


@reading("S151", "greeting", "A greeting and whom it greets ('Hello team,', 'Namaste all.', 'Bom dia a todos!', 'Oi pessoal,') is no step.")
def greeting_span(text: str, fw: FrameWords) -> tuple[int, int] | None:
    """A message opens with a greeting in whatever language its writer
    greets in ("Hi all,", "Dear team, good morning.", "Hallo zusammen,",
    "Namaste all."), then the people it greets or their names. The tagger
    may read the greeting word as a verb ("Namaste" as a command): a step
    made of it is dropped. A greeting ends at a comma, a stop, a "!" or
    a colon (or the end of its line); a greeting word that runs straight
    into the work ("hey check the logs", "hi-res scans") greets nobody and is
    left to the other readings. Returns the characters of the greetings,
    from the first to the last (several in a row: "Dear team, good morning.").
    """
    head = text[:_GREETING_CHARS]
    toks = [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(head)]
    k = 0
    end: int | None = None
    while k < len(toks):
        n = _match(toks, k, fw.greetings)
        if n == 0:
            break
        j = k + n
        while (a := _match(toks, j, fw.addressees)) > 0:
            j += a
        names = 0
        while (j < len(toks) and names < _NAME_WORDS and head[toks[j][1]].isupper() and toks[j][0].isalpha()
               and "\n" not in head[toks[j - 1][2] : toks[j][1]] and not _match(toks, j, fw.greetings)):
            j += 1
            names += 1
        if j < len(toks) and toks[j][0] in _CLOSERS and _closes(head, toks, j):
            while j < len(toks) and toks[j][0] in _CLOSERS and _closes(head, toks, j):
                j += 1
            end = toks[j - 1][2]
        elif j >= len(toks) or "\n" in head[toks[j - 1][2] : toks[j][1]]:
            end = toks[j - 1][2]
        else:
            break  # "hey check the logs": the word runs into the request
        k = j
    return (toks[0][1], end) if end is not None else None


def _closes(head: str, toks: Sequence[tuple[str, int, int]], j: int) -> bool:
    """A mark ends the greeting where a space or the end of the text follows it (not "hi-res", "hello.py")."""
    _, a, b = toks[j]
    after_ok = b >= len(head) or head[b].isspace() or head[b] in "!.,:;…"
    before_ok = toks[j][0] not in ("-", "—", "–") or (a > 0 and head[a - 1].isspace())
    return after_ok and before_ok


@reading("S152", "greeting-sentence", "In the sentence a greeting opens, words in another language ('Oi pessoal, sou Rafael, gerente de TI') introduce the writer; a word of them read as a verb is no step.")
def introduces(p: Pred, rest: str, fw: FrameWords, w: Words) -> bool:
    """After the greeting the writer often says who they are in their own
    language ("Olá equipe, sou Joana, gerente de vendas numa loja."). The
    tagger reads such words as best it can and may call one of them a verb
    that the step model or the imperative reading takes for work. The rest
    of the greeting's sentence (``rest``) is read as another language when
    none of the common English words of ``[frame] english`` is in it; a
    predicate there is dropped when no word list of the parser knows its
    verb and no reading but those two supports it. A request in English in
    the same sentence stays ("Hi team, please rotate the keys", "Dear
    team, can you ask each country lead ...").
    """
    if not set(p.codes) <= {"S100", "S101"} or p.kind != "verb":
        return False
    if any(word.lower() in fw.english for word in _WORD.findall(rest)):
        return False
    lemma = p.verb.lower()
    return not (w.role_of(lemma) is not None or lemma in w.light or lemma in w.wish or lemma in w.state
                or lemma in w.instrument or lemma in w.checking)


_WORD = lazyre.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


# --- goal question ----------------------------------------------------------------

# Openings that make a question a request to the reader ("can you check", "could someone look").
_ASKING_MODALS = frozenset({"can", "could", "would", "will", "may", "wo", "ca"})
_ASKED = frozenset({"you", "u", "ya", "someone", "somebody", "anyone", "anybody", "i", "we"})
_YOU = frozenset({"you", "u", "ya", "y'all", "yall"})


def is_goal_form(t: Tree, w: Words, text: str) -> bool:
    """A direct question that asks the reader for nothing: "which of our services log in
    plain text?", "how should retry() decide what to retry?" (not "can you check X?")."""
    if not S.question(t, w, text):
        return False
    f = S._question_start(t)
    if f + 1 < len(t) and t.low(f) in _ASKING_MODALS and t.low(f + 1) in _ASKED:
        return False  # "could you look at it?", "can I get the logs?": a request put as a question
    return not any(t.low(k) in _YOU for k in range(len(t)))


@reading("S150", "goal-question", "A question before the work that answers it ('Which of our services still log in plain text? Check api, worker and cron.') is the goal, not a step beside that work.")
def goal_question(question: Sequence[_Draft], later: Sequence[_Draft], fw: FrameWords) -> bool:
    """The question says what the work is for; the requests after it are
    how it is answered, and the last of them (or the step that joins their
    results) delivers the answer. The question is dropped when it comes
    before all the work, holds no list of its own ("what's the weather at
    home, in Cardiff and in Brecon?" asks once per place: the question is
    the work, unless the work after it asks other sources in parallel,
    "which tools hold the invoices and receipts? ask finance and IT") and offers no courses of action ("stream it, or render it to
    S3? prototype both": those are the options), and the work after it is
    two or more steps that open by finding the answer out: the first of
    them looks into the matter (checks, researches, finds out, investigates:
    the ``answering_roles`` of ``[frame]``), or is one of several things
    looked at in parallel. Comparing or deciding right after a question
    weighs what the question itself names ("which of these two flats should
    we rent? compare the commutes and decide"), so the question stays;
    requests that only use the answer ("what are the key dates in the
    lease? put them in my calendar", "... if it's open, book a table") and a
    question that is the only work leave the question as a step too; a
    request that only says how to answer ("what does this error mean?
    explain it simply") is the question's own step (S241).
    """
    if not question or len(later) < 2:
        return False
    first = later[0]
    if any(d.group is not None for d in question):
        # "which tools hold the invoices, receipts and contracts? ask finance, the office
        # manager and IT": a list in the question is what it is about when the work after it
        # asks several other sources in parallel; they answer it, once for all its things
        named = {d.item for d in question}
        sources = {d.item for d in later if first.group is not None and d.group == first.group}
        return first.role in fw.answering_roles and len(sources) >= 2 and not sources & named
    if first.role in fw.answering_roles:
        return True
    if first.group is None or first.item is None:
        return False
    return len({d.item for d in later if d.group == first.group}) >= 2


def offers_actions(t: Tree, question: Sequence[_Draft]) -> bool:
    """Courses of action joined by "or" in the question ("stream it, or render it to S3?")."""
    heads = sorted(d.pred.i for d in question if d.pred.tree is t)
    return len(heads) >= 2 and any(t.low(k) == "or" for k in range(heads[0], heads[-1]))


_WH_OPENERS = frozenset({"how", "what", "which", "whether", "why", "where", "who", "when", "if"})


def asks_indirectly(t: Tree, p: Pred) -> bool:
    """The request's object is a question: "research how other firms run on-call", "find out which apps still use it"."""
    if p.kind != "verb":
        return False
    for c in t.children(p.i, "ccomp", "xcomp", "obj", "advcl"):
        first = min(t.subtree(c))
        if first > p.i and t.low(first) in _WH_OPENERS:
            return True
    # "find out which ...", "look into how ...": the particle comes between (a parse may hang it anywhere)
    k = p.i + 1
    while k < len(t) and t.low(k) in _PARTICLES:
        k += 1
    return k > p.i + 1 and k < len(t) and t.low(k) in _WH_OPENERS and k in t.subtree(p.i)


_PARTICLES = frozenset({"out", "up", "into", "about", "over"})


@reading("S154", "goal-request", "A request to find something out ('Research how other firms run on-call.') before the looks at several things that find it ('Look at A, B and C') is the goal of those looks, not a step beside them.")
def goal_request(d: _Draft, later: Sequence[_Draft], fw: FrameWords) -> bool:
    """Like a goal question (S150), put as a request: "Please research how
    other firms run the on-call rotation. Look at the PagerDuty blog, the
    Atlassian guides and the SRE book, and make me a proposal." The
    research is done by the looks; left in, it is one more agent starting
    beside them, doing their work alone. The request must open the work,
    be the only work of its sentence, look into something (the
    ``answering_roles`` of ``[frame]``) with a question as its object
    ("how ...", "which ...", "whether ..."), and the work right after it
    must look at two or more things in parallel. A request over a question
    followed by other work ("research how our rivals price it, then draft
    a price list") is work of its own.
    """
    if d.group is not None or d.role not in fw.answering_roles or not asks_indirectly(d.pred.tree, d.pred):
        return False
    if not later or later[0].group is None or later[0].role not in fw.answering_roles:
        return False
    return len({e.item for e in later if e.group == later[0].group}) >= 2


# --- counted announcement ---------------------------------------------------------


def _count(t: Tree, p: Pred, w: Words) -> int | None:
    """How many things the predicate's object counts: "two reports" -> 2, "3 jobs" -> 3."""
    obj = t.child(p.i, "obj") if p.kind == "verb" else p.i
    if obj is None:
        return None
    for c in t.children(obj, "nummod"):
        low = t.low(c)
        if low in w.number_words:
            return w.number_words[low]
        if low.isdecimal() and 2 <= int(low) <= 20:
            return int(low)
    return None


@reading("S153", "counted-announcement", "A sentence that counts the jobs ('Please prepare two reports in parallel.') before a labelled part for each ('Report for finance: ...') announces them; it is no step beside them.")
def counted_announcement(d: _Draft, later: Sequence[_Draft], w: Words) -> bool:
    """Writers count the work before they give it: "Two jobs.", "Please
    prepare two reports in parallel.", "Write two short essays at the same
    time." When each counted part then follows under a label of its own
    ("Report for finance: collect ..., then ...", "For the video: trim
    ..."), the parts are the work and the count only announced them. The
    announcement is dropped when the number it counts is the number of
    labelled parts that follow (each label written before its work). A
    count with no parts after it is the work ("Write two poems.", "Write
    two essays. Then translate them into French and German": the languages
    come after the work, they are no labels).
    """
    if d.pred.kind == "verb" and d.pred.tree.lemma(d.pred.i) not in w.light:
        # "write two letters. Bank: ...": writing is work the parts do not say; counted
        # parts under labels that repeat the counted noun are I314's (lines.py)
        return False
    n = _count(d.pred.tree, d.pred, w)
    if n is None:
        return False
    labels: dict[str, set[str]] = {}
    for e in later:
        if e.group is None or e.item is None or e.item_span is None:
            continue
        at = e.pred.tree.words[e.pred.i].start
        if e.item_span[0] >= at:
            labels.setdefault(e.group, set()).add("\0")  # an item after its work: no label
        labels.setdefault(e.group, set()).add(e.item)
    return any(len(names) == n and "\0" not in names for names in labels.values())


# --- the pass ---------------------------------------------------------------------


def frame_drafts(drafts: Sequence[_Draft], text: str, w: Words, fw: FrameWords | None = None) -> dict[int, str]:
    """Indices of the drafts that frame the work rather than do it, with the reading that says so."""
    fw = fw or load_frame_words()
    out: dict[int, str] = {}
    if len(drafts) < 2:
        return out  # a frame is only a frame around work
    greet = greeting_span(text, fw)
    if greet is not None:
        g_tree = next((d.pred.tree for d in drafts if d.pred.tree.start <= greet[1] and d.pred.tree.end > greet[0]), None)
        rest = text[greet[1] : g_tree.end] if g_tree is not None else ""
        for k, d in enumerate(drafts):
            at = d.pred.tree.words[d.pred.i].start
            if greet[0] <= at < greet[1]:
                out[k] = "S151"
            elif d.pred.tree is g_tree and introduces(d.pred, rest, fw, w):
                out[k] = "S152"
    _goal_questions(drafts, text, w, fw, out)
    _goal_request(drafts, fw, out)
    _announcements(drafts, w, out)
    if len(out) >= len(drafts):
        return {}  # nothing would be left: what frames it is the work after all
    return out


def _goal_questions(drafts: Sequence[_Draft], text: str, w: Words, fw: FrameWords, out: dict[int, str]) -> None:
    """S150: question sentences before the first draft of any other sentence."""
    trees: list[Tree] = []
    for k, d in enumerate(drafts):
        if k in out:
            continue
        t = d.pred.tree
        if trees and t is trees[-1]:
            continue
        if not is_goal_form(t, w, text):
            break
        trees.append(t)
    if not trees:
        return
    asked = [k for k, d in enumerate(drafts) if k not in out and any(d.pred.tree is t for t in trees)]
    last_end = trees[-1].end
    # where the work is asked, not where its span starts: work on each of the options a statement
    # named before the question ("offered me A or B. which is better? work out ... for each") spans
    # the names it works on
    later = [d for k, d in enumerate(drafts) if k not in out and k not in asked and _asked_at(d) >= last_end]
    if len(later) + len(asked) + len(out) < len(drafts):
        return  # work before or among the questions: they are not its opening
    if any(offers_actions(t, [drafts[k] for k in asked]) for t in trees):
        return
    if goal_question([drafts[k] for k in asked], later, fw):
        for k in asked:
            out[k] = "S150"
    elif restated_question([drafts[k] for k in asked], later, fw):
        for k in asked:
            out[k] = "S287"


@reading("S287", "question-restated", "A question before work that asks for its answer again ('Which plan is cheapest? Summarise each and tell me which.') is the goal of that work, not a step beside it.")
def restated_question(question: Sequence[_Draft], later: Sequence[_Draft], fw: FrameWords) -> bool:
    """"What's the difference between the two tariffs? Summarise each and
    tell me which suits a small flat." The request after the question asks
    for the question's answer once more, as a clause ("tell me which ...",
    "report whether ...", "find out why ..."): that request delivers the
    answer, so the question is what the work is for, not a step of its own
    that would run beside it and answer alone. The question is a question
    of its own (not a request with a bracketed "(a leak? a bad config?)"),
    holds no list (a list asks once per thing, S150 decides those), and the
    restating request hands an answer back (``[frame] restating_verbs``:
    "tell", "report", "explain"). "What are the key dates? put them in my
    calendar" only uses the answer, and "... check whether I'll need an
    umbrella" looks into a new matter: the question stays.
    """
    if not question or not later or any(d.group is not None or d.pred.kind != "question" for d in question):
        return False
    return any(d.pred.verb in fw.restating_verbs and asks_indirectly(d.pred.tree, d.pred) for d in later)


def _asked_at(d: _Draft) -> int:
    """Where the words asking for a draft's work stand in the text."""
    return d.pred.tree.words[d.pred.i].start if 0 <= d.pred.i < len(d.pred.tree) else d.span[0]


def _goal_request(drafts: Sequence[_Draft], fw: FrameWords, out: dict[int, str]) -> None:
    """S154: the first work of the text, alone in its sentence, asks to find out what the looks after it find."""
    first = next((k for k in range(len(drafts)) if k not in out), None)
    if first is None:
        return
    d = drafts[first]
    t = d.pred.tree
    if any(e.pred.tree is t for j, e in enumerate(drafts) if j != first and j not in out):
        return
    later = [e for j, e in enumerate(drafts) if j not in out and e.span[0] >= t.end]
    if goal_request(d, later, fw):
        out[first] = "S154"


def _announcements(drafts: Sequence[_Draft], w: Words, out: dict[int, str]) -> None:
    """S153: the only work of its sentence counts the parts that follow under labels."""
    for k, d in enumerate(drafts):
        if k in out:
            continue
        t = d.pred.tree
        same = [j for j, e in enumerate(drafts) if e.pred.tree is t and j not in out]
        if any(drafts[j].pred is not d.pred for j in same):
            continue  # other work in the sentence: the count is part of that work
        later = [e for e in drafts if e.span[0] >= t.end]
        if counted_announcement(d, later, w):
            for j in same:
                out[j] = "S153"
