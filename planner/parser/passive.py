"""S185-S187: work asked for in the passive, as formal writers ask for it.

Council officers, lawyers and civil servants write "the data should be
collated and then summarised", "a report is to be prepared", "it would be
appreciated if the counts could be analysed and the findings written up".
Nobody is named to do the work, but the modal, the "is to be" or the request
frame makes the passive a request; the participles coordinated with it, with or
without their own auxiliary, are more work asked for in the same breath. A
passive that tells a fact ("the data was collected last year", "the report has
been approved") has none of these and stays no step.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from planner import tomlcache
from planner.parser import clauses as S
from planner.parser.readings import reading
from planner.parser.tree import Tree
from planner.parser.words import Words, word_set


@dataclass(frozen=True)
class PassiveWords:
    obliging: frozenset[str]
    needing: frozenset[str]
    polite: frozenset[str]
    request_frames: frozenset[str]
    asking: frozenset[str]
    habitual: frozenset[str]
    asked_to: frozenset[str]
    scheduled: frozenset[str]
    frame: frozenset[str]  # words of the request's frame, left out of a step's id
    sequenced_modals: frozenset[str]
    sequence_adverbs: frozenset[str]
    sequence_relatives: frozenset[str]
    sequence_marks: frozenset[str]


@cache
def load_passive_words() -> PassiveWords:
    table = tomlcache.read_builtin("passive.toml", "passive request words").get("passive", {})
    path = "rules/passive.toml"

    def get(key: str) -> frozenset[str]:
        return word_set(table, key, "passive", path)

    return PassiveWords(
        get("obliging"), get("needing"), get("polite"), get("request_frames"), get("asking"), get("habitual"), get("asked_to"), get("scheduled"), get("frame"),
        get("sequenced_modals"), get("sequence_adverbs"), get("sequence_relatives"), get("sequence_marks"),
    )


# Present forms of "be" before "to be done": "is to be prepared" asks; "was to be" tells a plan of the past.
_BE_NOW = frozenset({"is", "are", "am", "'s", "'re"})
# Subjects that make "could be analysed" a question to the reader ("could the list be sorted?").
_QUESTION_END = "?"


def _participle_form(t: Tree, i: int) -> bool:
    """A past participle as the tagger gave it: a verb, or a verb it took for an adjective
    ("is to be prepared")."""
    upos = t.words[i].upos
    if upos == "VERB":
        return S.is_participle(t, i)
    if upos != "ADJ":
        return False
    form = t.low(i)
    return form.endswith(("ed", "en")) or form in S._IRREGULAR_PAST


def verb_lemma(t: Tree, i: int, w: Words) -> str:
    """The verb of participle ``i``: its lemma, or for one tagged as an adjective the work
    verb its form comes from ("prepared" -> "prepare", "planned" -> "plan")."""
    if t.words[i].upos == "VERB":
        return t.lemma(i)
    form = t.low(i)
    stems = [form[:-1], form[:-2], form[:-3]] if form.endswith("ed") else [form[:-1], form[:-2]]
    for stem in stems:
        if w.role_of(stem) is not None:
            return stem
    return t.lemma(i)


def _auxes(t: Tree, i: int) -> list[int]:
    return t.children(i, "aux", "cop")


def _is_passive(t: Tree, i: int, w: Words) -> bool:
    """A participle with a "be" auxiliary of its own ("should be collated"), or one the
    tagger read as an adjective after "be" that names work ("is to be prepared")."""
    if t.words[i].upos == "VERB":
        # the parse's own passive auxiliary: "be redone", whose form the lemmatiser kept
        return any(t.words[a].deprel == "aux:pass" for a in t.children(i, "aux"))
    if not _participle_form(t, i):
        return False
    if t.children(i, "xcomp", "ccomp"):
        return False  # "should be prepared to answer questions": ready, not worked on
    return any(t.lemma(a) == "be" for a in _auxes(t, i)) and w.role_of(verb_lemma(t, i, w)) is not None


def _no_subject(t: Tree, i: int) -> bool:
    """"No changes are to be made", "none of the files should be moved": a limit on the work."""
    subj = t.child(i, "nsubj:pass") or t.child(i, "nsubj")
    head = t.head(i)
    if subj is None and head is not None and t.rel(i) == "xcomp":
        subj = t.child(head, "nsubj")  # "nothing needs to be merged"
    if subj is None:
        return False
    return t.low(subj) in ("none", "nothing") or any(t.low(d) in ("no", "neither") for d in t.children(subj, "det"))


def _reported(t: Tree, i: int, w: Words) -> bool:
    """"Members agreed that a policy should be written", "the inspector said the plan
    must be revised": what someone else decided or said, told as background. Only a
    verb of asking said by the writer or to the reader (S185's "that" clause) asks."""
    head = t.head(i)
    if head is None:
        return False
    if t.rel(i) == "acl":
        return True  # "the group that agreed a policy should be written", "the plan which must be met": a description
    if t.rel(i) != "ccomp":
        return False
    return S.is_narrative(t, head) and t.lemma(head) not in load_passive_words().asking


def _beside_a_command(t: Tree, i: int) -> bool:
    """Whether the sentence of ``i`` also asks in the imperative (a bare verb with no subject
    or auxiliary heading a clause): there "should" with a passive states what the asked
    work must meet ("draft the letter, which should be signed by the head"), as casual
    writers put it; formal memos that ask in the passive ask in it throughout."""
    for k in range(len(t)):
        if k == i or t.words[k].upos != "VERB" or t.rel(k) not in ("root", "conj", "parataxis"):
            continue
        if t.child(k, "nsubj") is None and not t.children(k, "aux") and t.low(k) == t.lemma(k):
            return True
    return False


def _scheduled(t: Tree, i: int, pw: PassiveWords) -> bool:
    """A day, a date or a clock time on the verb: "are to be printed today", "is now to be
    submitted by 5pm on the 31st"."""
    for k in t.children(i, "advmod", "obl", "obl:tmod", "nmod"):
        for m in t.subtree(k):
            low = t.low(m)
            if low in pw.scheduled or (low.endswith(("am", "pm")) and low[:-2].isdigit()):
                return True
    return False


def _habitual(t: Tree, i: int, pw: PassiveWords) -> bool:
    """"must be locked at night", "should always be encrypted": a standing rule."""
    for k in t.children(i, "advmod", "obl", "obl:tmod", "advcl"):
        if any(t.low(m) in pw.habitual for m in t.subtree(k)):
            return True
    return False


def _obliged(t: Tree, i: int, w: Words, pw: PassiveWords) -> bool:
    """A modal of obligation, "is/are to be", or "needs/has to be" over the passive ``i``."""
    auxes = _auxes(t, i)
    lows = {t.low(a) for a in auxes}
    if any(t.low(a) in pw.obliging or t.lemma(a) in pw.obliging for a in auxes):
        if "should" in lows and _beside_a_command(t, i):
            return False  # "summarise the report; it should be kept short": a requirement on that work
        return "have" not in {t.lemma(a) for a in auxes}  # "should have been done": a reproach, after the fact
    to = any(t.low(m) == "to" for m in t.children(i, "mark"))
    if to and lows & _BE_NOW:
        # "a report is to be prepared", "the forms are to be returned"; "the cards are to be
        # handed out on Saturday" tells a schedule
        return not _scheduled(t, i, pw)
    head = t.head(i)
    if to and head is not None and t.rel(i) == "xcomp" and t.lemma(head) in pw.needing:
        # "the survey needs to be redone", "the invoices have to be sent": the thing's need is
        # the writer's request, unless it is a standing rule (checked by the caller)
        return not S.negated(t, head) and t.low(head) not in ("needed", "had")
    return False


def _polite(t: Tree, i: int, pw: PassiveWords) -> bool:
    """"could", "can", "would" over the passive inside a request frame: "it would be
    appreciated if the counts could be analysed", or a question put to the reader
    ("could the minutes be circulated?")."""
    modals = [a for a in t.children(i, "aux") if t.low(a) in pw.polite or t.lemma(a) in pw.polite]
    if not modals:
        return False
    subj = t.child(i, "nsubj:pass") or t.child(i, "nsubj")
    if subj is not None and modals[0] < subj and t.words[-1].text.endswith(_QUESTION_END):
        return True  # "could the list be sorted by date?"
    return _in_request_frame(t, i, pw)


def _in_request_frame(t: Tree, i: int, pw: PassiveWords) -> bool:
    """S187: the clause under "if" of "it would be appreciated if", "I would be grateful if"."""
    head = t.head(i)
    if head is None or t.rel(i) != "advcl" or not any(t.low(m) == "if" for m in t.children(i, "mark")):
        return False
    return t.lemma(head) in pw.request_frames or t.low(head) in pw.request_frames


def _asked_that(t: Tree, i: int, pw: PassiveWords) -> bool:
    """"we would ask that the forms be returned", "please ensure that the rooms are
    booked": a clause under a verb of asking, said by the writer or to the reader."""
    head = t.head(i)
    if head is None or t.rel(i) != "ccomp" or t.lemma(head) not in pw.asking or S.negated(t, head):
        return False
    if any(t.low(m) not in ("that",) for m in t.children(i, "mark")) or any(t.low(k) in S._WH for k in t.subtree(i)[:1]):
        return False  # "ask why the trees are being felled": a question about what happens
    bare = any(t.low(a) == "be" and t.words[a].deprel == "aux:pass" for a in t.children(i, "aux"))
    if not bare and not any(t.low(a) in pw.obliging for a in t.children(i, "aux")):
        return False  # "ask that ... be returned", "ask that ... should be returned"; "are felled" tells
    subj = t.child(head, "nsubj")
    if subj is None:
        return t.rel(head) not in ("xcomp", "advcl", "acl", "ccomp")  # "kindly ask that ...", not "wrote in to ask"
    if t.low(subj) in ("i", "we", "you", "it"):
        # "we would ask", "I recommend", "it is requested that" (passive frame with "it")
        told = t.words[head].text.lower() != t.lemma(head) and t.low(head).endswith("ed") and not any(t.words[a].deprel == "aux:pass" for a in t.children(head, "aux"))
        return not told  # "we asked that it be sent" tells what happened
    return False


@reading("S185", "passive-request", "'The data should be collated', 'a report is to be prepared': a passive under a modal of obligation or a request frame asks for work.")
def passive_request(t: Tree, i: int, w: Words) -> bool:
    """Formal writers ask for work without naming who does it: a passive (a
    participle with "be") is a request when it is obliged ("should", "must",
    "shall", "is to be", "needs to be"), asked politely inside a request frame
    ("it would be appreciated if the counts could be analysed", "could the
    minutes be circulated?"), or asked or ensured in a "that" clause ("we would
    ask that the forms be returned", "please ensure the rooms are booked").

    A passive that tells ("the data was collected last year", "the report has
    been approved"), reproaches ("should have been done"), is negated, or states
    a standing rule ("the door must be locked at night", "files should always be
    encrypted") asks for nothing now.
    """
    if t.words[i].upos not in ("VERB", "ADJ") or not _is_passive(t, i, w) or S.negated(t, i):
        return False
    if _no_subject(t, i) or _reported(t, i, w):
        return False
    pw = load_passive_words()
    if _obliged(t, i, w, pw) or _polite(t, i, pw) or _asked_that(t, i, pw):
        head = t.head(i)
        rule = _habitual(t, i, pw) or (head is not None and t.rel(i) == "xcomp" and _habitual(t, head, pw))
        return not rule
    return False


@reading("S186", "passive-conjunct", "'collated and then summarised', 'analysed and the findings written up': a participle coordinated with a requested passive is more work asked for.")
def passive_conjunct(t: Tree, i: int, w: Words) -> bool:
    """A participle coordinated with a passive request (S185) is asked for in
    the same breath: "should be collated and then summarised", and a gapped
    passive that leaves out its auxiliary and names its own object ("could be
    analysed and the findings written up"). A conjunct with an auxiliary of its
    own is judged on its own ("... and the report has been approved" tells).
    Order between them follows the same markers as active requests ("then").
    """
    if t.rel(i) != "conj" or not _participle_form(t, i) or S.negated(t, i):
        return False
    if _auxes(t, i):
        return False
    if t.words[i].upos == "ADJ" and w.role_of(verb_lemma(t, i, w)) is None:
        return False  # "should be checked and ready": a state, no work
    first = S._first_conjunct(t, i)
    if first == i:
        return False
    if passive_request(t, first, w):
        return True
    # "the survey needs to be redone, and then the results published": the parse joins the
    # gapped passive to "needs", whose own "to be" clause is the request
    pw = load_passive_words()
    return t.lemma(first) in pw.needing and any(passive_request(t, k, w) for k in t.children(first, "xcomp"))


@reading("S470", "passive-listed-stage", "'The budget is to be drafted, checked by finance, revised, and ...': a bare participle between commas that the parse hung loose on a requested passive is one more stage asked for.")
def passive_listed(t: Tree, i: int, w: Words) -> bool:
    """A review loop written in the passive lists its stages after one
    request: "the menu is to be costed from last month's invoices, checked
    against the supplier list, revised, and checked once more". The parse
    often hangs each later participle loose on the request (parataxis, not a
    conjunct), so S186 does not see it, and a lone one ("corrected") reads as
    no command form: the rework of the loop is lost. A participle right after
    a comma, with no subject, auxiliary or negation of its own, whose verb the
    lexicon knows and whose head is a passive request (S185) before it, is
    asked for like it. A participle with its own subject ("..., the draft
    approved") is S215's; one describing a noun has a noun, not the request,
    as its head.
    """
    if t.rel(i) != "parataxis" or i < 2 or t.low(i - 1) != "," or not _participle_form(t, i):
        return False
    if _auxes(t, i) or S.negated(t, i) or t.children(i, "nsubj", "nsubj:pass"):
        return False
    head = t.head(i)
    if head is None or head >= i or w.role_of(verb_lemma(t, i, w)) is None:
        return False
    return passive_request(t, head, w)


# Words that join a gapped passive to the request before it.
_GAP_JOINERS = frozenset({",", ";", "and", "then", "&"})


@reading("S215", "gapped-passive", "'Could the ledger be checked, a summary prepared, and the totals sent on?': a noun and a participle after a requested passive, its auxiliary left out, is more work asked for.")
def gapped_passive(t: Tree, i: int, w: Words) -> bool:
    """Formal writers list passive requests with the auxiliary said once: "the
    file should be read, a chronology prepared and the risks listed". Each later
    participle has a subject of its own and no auxiliary; the parser hangs it
    anywhere (a clause under the first verb, a participle on its own noun), so
    S186 does not see a conjunct. A participle whose own subject opens right
    after a comma, "and" or "then", with a passive request (S185) earlier in
    the sentence, is asked for like it. A participle on a noun with no joiner
    before it ("send the files listed below") describes the noun; one with an
    auxiliary of its own ("... and the report has been approved") tells.
    """
    if not _participle_form(t, i) or _auxes(t, i) or S.negated(t, i):
        return False
    if t.words[i].upos == "ADJ" and w.role_of(verb_lemma(t, i, w)) is None:
        return False  # "the room checked and ready": a state
    subj = next((c for c in t.children(i, "nsubj", "nsubj:pass") if c < i), None)
    head = t.head(i)
    if subj is None and t.rel(i) == "acl" and head is not None and head < i and t.rel(head) == "nsubj":
        subj = head  # "the risks listed": the parse hung the participle on its own subject
    if subj is None or t.words[subj].upos not in ("NOUN", "PROPN"):
        return False
    first = min(t.subtree(subj))
    if first == 0 or t.low(first - 1) not in _GAP_JOINERS:
        return False
    if any(t.low(k) in _GAP_JOINERS or t.words[k].upos == "VERB" for k in range(first, i) if k not in t.subtree(subj)):
        return False  # the noun and its participle are next to each other
    return any(passive_request(t, k, w) or sequenced_passive(t, k, w) for k in range(first) if t.words[k].upos in ("VERB", "ADJ"))


def _sequenced(t: Tree, i: int, pw: PassiveWords) -> bool:
    """The clause of ``i`` says it comes after other work: "after which ...", a clause of
    time before it ("once it is read, ..."), or "then" on the verb or its "have"."""
    head = t.head(i)
    verbs = [i, head] if head is not None and t.rel(i) == "xcomp" else [i]
    if any(t.low(a) in pw.sequence_adverbs for v in verbs for a in t.children(v, "advmod")):
        return True
    if t.words[i].deprel.endswith("relcl"):
        for k in t.children(i, "obl"):
            if t.low(k) == "which" and any(t.low(c) in pw.sequence_relatives for c in t.children(k, "case")):
                return True
    return any(
        c < i and any(t.low(m) in pw.sequence_marks for m in t.children(c, "mark"))
        for v in verbs for c in t.children(v, "advcl")
    )


@reading("S216", "passive-in-sequence", "'..., after which the figures can be entered', 'it then has to be geocoded': a passive placed after other work is the next piece of it, even with 'can' or 'have to'.")
def sequenced_passive(t: Tree, i: int, w: Words) -> bool:
    """Formal writers lay out a procedure in the passive and let the order do
    the asking: "the data should first be reconciled, after which the tables can
    be updated", "once the review has been read, the section can be rewritten",
    "it then has to be geocoded". Alone, "can be" tells what is possible and
    "has to be" explains a constraint (S185 leaves both out); placed after other
    work by "after which", a clause of time or "then", the passive is the next
    step. Negated, habitual ("can always be ...") or subjectless ("nothing can
    be ...") passives stay what they are.
    """
    if t.words[i].upos not in ("VERB", "ADJ") or not _is_passive(t, i, w) or S.negated(t, i):
        return False
    if _no_subject(t, i) or _reported(t, i, w):
        return False
    pw = load_passive_words()
    head = t.head(i)
    modal = any(t.low(a) in pw.sequenced_modals for a in t.children(i, "aux"))
    if not modal and head is not None and t.rel(i) == "xcomp" and t.lemma(head) in pw.sequenced_modals:
        modal = any(t.low(m) == "to" for m in t.children(i, "mark")) and not S.negated(t, head)
    if not modal or _habitual(t, i, pw):
        return False
    return _sequenced(t, i, pw)


def passive_adjectives(t: Tree, w: Words) -> list[int]:
    """Participles the tagger read as adjectives that S185 or S186 read as requests: the
    step candidates (verbs and work nouns) do not include them."""
    return [
        i
        for i in range(len(t))
        if t.words[i].upos == "ADJ" and (passive_request(t, i, w) or passive_conjunct(t, i, w) or gapped_passive(t, i, w) or sequenced_passive(t, i, w))
    ]


@reading("S187", "asked-in-passive", "'Officers are asked to review the objections': the verb under a passive of asking is the work.")
def asked_in_passive(t: Tree, i: int, w: Words) -> bool:
    """"members are asked to note", "the committee is invited to approve", "staff
    are required to return the forms": the asking verb is passive and names who
    does the work, so the verb it takes with "to" is asked for (the asking is the
    frame, S102). Told in the past ("we were asked to review it") it is background.
    """
    head = t.head(i)
    if head is None or t.words[i].upos != "VERB" or t.rel(i) != "xcomp" or S.negated(t, i) or S.negated(t, head):
        return False
    if not any(t.low(m) == "to" for m in t.children(i, "mark")):
        return False
    pw = load_passive_words()
    if t.lemma(head) not in pw.asked_to:
        return False
    passive = [a for a in t.children(head, "aux") if t.words[a].deprel == "aux:pass"]
    if not passive:
        return False
    auxes = t.children(head, "aux")
    now = any(t.low(a) in _BE_NOW for a in passive)
    obliged = any(t.low(a) in pw.obliging or t.low(a) in pw.polite for a in auxes) and "have" not in {t.lemma(a) for a in auxes}
    return (now or obliged) and t.lemma(i) not in w.state
