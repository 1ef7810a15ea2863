"""The closing step of a request said without a command of its own (S188, S190, S450-S454, S458).

Writers often end a request with the judgement they want, not with a verb that
asks for it: a question put after a comma ("benchmark Kafka and NATS on our
load, which one holds up better?") or a choice the step model reads as
narrative ("..., pick one", "and let the team vote"). The work before is asked
for by its verbs; the closing words name the step that reads every result and
answers or chooses once. Without these readings the plan lost its last step
and a builder put a generic join in its place, in none of the text's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from planner import tomlcache
from planner.parser.all_done import takes_all_at_once
from planner.parser.clauses import Pred
from planner.parser.fanin import load_fanin_words
from planner.parser.readings import doc_only, reading
from planner.parser.tree import Tree
from planner.parser.words import word_set

# Marks after which a sentence's last clause starts: a comma, a dash, an arrow.
_BREAKS = frozenset({",", "-", "—", "–", "->", "→", "=>", ">", ";"})
# Words that may open the clause before its question word ("..., and which one is cheaper?").
_OPENERS = frozenset({"and", "so", "but", "plus", "then", "also", "ok", "okay"})
# Question words that ask about the results of the work before ("which one", "what would you do").
_ASKING = frozenset({"which", "whichever", "what", "whats", "what's", "who", "where", "how"})


def _clause_head(t: Tree, lo: int) -> int | None:
    """The word of ``lo..end`` the rest of that clause hangs on."""
    inside = range(lo, len(t))
    heads = [k for k in inside if t.rel(k) != "punct" and (t.head(k) is None or t.head(k) not in inside)]
    return heads[0] if len(heads) == 1 else None


# Words of a question that weigh results against each other ("which one", "better", "most").
_WEIGHING = frozenset({"which", "whichever", "better", "worse", "best", "worst", "more", "most", "less", "least", "rather", "prefer"})
# Modals that put a choice to the listener ("what would you do", "which should we keep").
_CHOICE_MODALS = frozenset({"would", "should", "'d"})


def _weighs(t: Tree, f: int, modals: bool = True) -> bool:
    """Whether the question from ``f`` weighs the results of the work before: it asks
    which, compares ("cheaper", "the most"), or asks the listener's choice ("what would
    you do"; not with ``modals`` False). "What's the checkout time?" asks one more fact,
    part of the same look-up."""
    for x in range(f, len(t)):
        low, word = t.low(x), t.words[x]
        if low in _WEIGHING or (modals and low in _CHOICE_MODALS):
            return True
        if word.upos in ("ADJ", "ADV") and len(low) > 4 and low.endswith(("er", "est")) and t.lemma(x) != low:
            return True
    return False


@reading("S188", "closing-question", "A question put after a comma or dash at the end of a request ('benchmark A and B on our load, which one holds up better?') is the step that answers it from the work before.")
def closing_question(t: Tree, preds: Sequence[Pred]) -> tuple[int, int] | None:
    """"Try the two editors on our repo, which would you keep?" The sentence asks
    for work by its first verb and ends with a question about that work's
    results. The question has its own subject, so it reads as a statement, and
    a question of a whole sentence (S110) only counts when nothing else in it
    asks for work. The sentence must end with a question mark, the clause must
    open with a question word (after "and", "so" or "plus" at most) right after
    a comma, dash or arrow, hold no step of its own, and come after every step
    of the sentence, and it must weigh the results: ask which, compare
    ("cheaper", "the most") or ask the listener's choice ("what would you do");
    "..., what's the checkout time?" asks one more fact of the same look-up. A
    relative clause ("the three vendors, which we used last year?") describes a
    noun and asks nothing, and a sentence read as one
    question already ("my uncle left a voice note, what does he want?") is
    answered once. Returns the question's first
    word and its head.
    """
    if not preds or not len(t):
        return None
    asked = any(p.kind == "question" for p in preds)  # S451 below; else S110 answers it once
    marked = t.words[-1].text.endswith("?")
    # a question read of the whole sentence (S110) may have its head in the closing clause
    # ("the boot time of A, B and C - which one is slowest?"): S451 splits it there
    work = [p for p in preds if not (p.kind == "question" and p.part is None)] if asked else list(preds)
    last = max((max(p.i, p.anchor) for p in work), default=-1)
    for c in range(last + 1, len(t) - 2):
        if t.words[c].text not in _BREAKS:
            continue
        f = c + 1
        while f < len(t) - 1 and t.low(f) in _OPENERS:
            f += 1
        if t.low(f) not in _ASKING:
            continue
        if not marked and not _inverted(t, f):
            return None  # "..., which we used last year": no question without its mark or its word order
        head = _clause_head(t, f)
        if head is None or (t.rel(head).startswith("acl") and not _asked_with_subject(t, f, head)) or t.words[head].upos not in ("VERB", "AUX", "ADJ", "NOUN", "PRON"):
            return None
        if asked and (not _weighs_items(t, f, c) or any(p.kind == "question" and p.i >= c and p.part is None and _part_head(t, 0, c) is None for p in preds)):
            return None  # "my uncle left a voice note, what does he want?": one question, answered once
        return (f, head) if _weighs(t, f) else None
    return None


@reading("S451", "closing-question-after-asked", "'the load time of the three pages A, B and C - which one is slowest?': a sentence read as a question for each thing that ends with a question weighing them asks that once more, over all the answers.")
def _weighs_items(t: Tree, f: int, c: int) -> bool:
    """A sentence may be read as a question as a whole (S110: "the load time of the
    three pages A, B and C"), its first part asking a fact of each thing, and end
    after a comma or dash with a question that weighs those facts ("which one is
    slowest?"). The closing question is then a step of its own, after every answer:
    it must weigh by its words ("which", a comparative or superlative), not by a
    modal ("what would you do?" is the one question), and the sentence before the
    break must name two or more things (a list or a count). "My uncle left a voice
    note, what does he want?" names one thing and is answered once."""
    if not _weighs(t, f, modals=False):
        return False
    before = range(c)
    several = sum(1 for k in before if t.rel(k) == "conj") >= 1 or any(t.words[k].upos == "NUM" for k in before)
    return several


def _part_head(t: Tree, lo: int, hi: int) -> int | None:
    """The one word of ``lo..hi`` (not punctuation) the rest of those words hang on."""
    inside = range(lo, hi)
    heads = [k for k in inside if t.rel(k) != "punct" and (t.head(k) is None or t.head(k) not in inside)]
    return heads[0] if len(heads) == 1 else None


@reading("S452", "closing-question-on-a-noun", "'skim the forum, the tickets and the reviews, what are users asking for most': a closing question the parse hung on a noun as a describing clause is still asked when its auxiliary comes right after the question word and it has a subject of its own.")
def _asked_with_subject(t: Tree, f: int, head: int) -> bool:
    """"..., what are users asking for most": the parse may hang a closing question on a
    noun of the work as a clause describing it (acl). A relative clause keeps the question
    word as its subject ("the vendors, which are cheap"); a question puts its auxiliary
    right after the question word and has a subject of its own besides it: a noun or
    pronoun between that auxiliary and the verb, whatever label the parse gave it."""
    if not _inverted(t, f):
        return False
    aux = next((k for k in range(f + 1, head) if t.low(k) in _INVERTING), head)
    return any(t.words[k].upos in ("NOUN", "PROPN", "PRON") and t.low(k) not in _ASKING for k in range(aux + 1, head))


# S212: auxiliaries whose place right after the question word (or its noun) shows a question.
_INVERTING = frozenset({"is", "are", "was", "were", "do", "does", "did", "has", "have", "would", "should", "could", "can", "will"})


@reading("S212", "closing-question-unmarked", "'skim the reviews from A, B and C, what are people asking for most': a closing question typed without its question mark is still asked when its auxiliary comes before its subject.")
def _inverted(t: Tree, f: int) -> bool:
    """Chat drops the question mark ("..., what are ppl asking for most", "... -> which
    is cheapest"). The closing question (S188) is then known by its word order: an
    auxiliary right after the question word, or after "which" and its noun ("which
    one is ...", "which of them has ..."), before the subject or the rest of the
    clause. A relative clause keeps its subject first ("..., which we used last
    year") and asks nothing."""
    k = f + 1
    if t.low(f) in ("which", "whichever", "what") and k < len(t) and t.low(k) in ("one", "ones", "of"):
        k += 1 if t.low(k) != "of" else 2  # "which one is", "which of them has"
    return k < len(t) - 1 and t.low(k) in _INVERTING


@cache
def _choosing() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """``[fanin]`` choose, take_one, which and results (rules/words.toml)."""
    fw = load_fanin_words()
    table = tomlcache.read_builtin("words.toml", "word classes").get("fanin", {})
    return word_set(table, "choose", "fanin"), word_set(table, "take_one", "fanin"), fw.which, fw.results


# Words that make a clause no request of its own: a negation, a condition's subordinator.
_NOT = frozenset({"not", "n't", "never"})
# Determiners that point at one result already named ("that one", "the one").
_POINTING = frozenset({"that", "the", "this"})
# Verbs through which the user hands the choice to someone ("let the team vote", "have Sam pick").
_HANDING = frozenset({"let", "have"})


def _points_at_one(t: Tree, k: int, which: frozenset[str]) -> bool:
    """Whether the object of ``k`` is the one result chosen: "whichever wins",
    "the winner", "that one"."""
    for c in t.children(k, "obj", "obl", "ccomp"):
        if t.low(c) in which or t.lemma(c) in which or any(t.low(x) in which for x in t.children(c, "det", "amod", "nsubj")):
            return True
        if t.lemma(c) == "one" and any(t.low(d) in _POINTING for d in t.children(c, "det")):
            return True
    return False


# Words of "let me know ..." that weigh the results against each other, besides ``[fanin] which``:
# "if any of them", "whether none".
_OVER_RESULTS = frozenset({"any", "none"})


def _weighed_knowing(t: Tree, k: int, which: frozenset[str]) -> tuple[int, bool] | None:
    """"let me know which ones say yes", "let me know the closest one", "let me know if
    any look like a blocker": what the user is to know weighs the results (a word of
    ``which``, "any", a superlative), so the telling is a judgement; "let me know when
    it is done" ends the work (S118). Returns "let" and whether S453 read it, or None."""
    if not any(t.low(c) in ("me", "us") for c in t.children(k, "obj", "iobj")) and not any(
        t.low(c) in ("me", "us") for x in t.children(k, "xcomp", "ccomp") for c in t.children(x, "nsubj")
    ):
        return None
    know = next((c for c in t.children(k, "xcomp", "ccomp") if t.lemma(c) == "know"), None)
    if know is None:
        return None
    for x in t.subtree(k):  # the parse may hang "if any ..." on "let" rather than on "know"
        if x <= know:
            continue
        low, word = t.low(x), t.words[x]
        if low in which or low in _OVER_RESULTS or (word.upos in ("ADJ", "ADV") and low.endswith("est") and low not in ("latest", "rest", "interest")):
            return k, False
    return (k, True) if _knowing_tail(t, know) else None


# S453: question words of "let me know ..." that ask which of the people or things the work
# covered ("who is still missing", "whose numbers are late").
_WHO = frozenset({"who", "whom", "whose"})
# Marks that end the clause of what the user is to know.
_CLAUSE_END = frozenset({".", ";", "!", "?"})


@reading("S453", "let-know-who-or-any", "'ask Ana, Ben and Cy for their hours and let me know who is still short': what the user is to know asks who among the people the work covered, or the parse hung 'if any ...' outside 'know'; the telling still weighs every result.")
def _knowing_tail(t: Tree, know: int) -> bool:
    """"Check with A, B and C and let me know who has not replied", "search the three
    registers and let me know if any look risky": the words after "know", up to the end
    of its clause, ask who among the people or things the work covered, or whether any of
    them fits, wherever the parse hung them (a tagger that makes "look" a noun hangs
    "if any look ..." on the sentence's first verb). "Let me know who to send it to"
    after one errand ("book the venue and let me know who to invoice") asks a fact of
    it: the sentence must name two or more things before "know" (a list or a count).
    Returns whether the telling weighs the results."""
    if not any((t.rel(x) == "conj" and t.words[x].upos in ("NOUN", "PROPN")) or t.words[x].upos == "NUM" for x in range(know)):
        return False
    for x in range(know + 1, len(t)):
        low = t.low(x)
        if t.words[x].text in _CLAUSE_END:
            return False
        if low in _WHO and x == know + 1:
            return True
        if low in _OVER_RESULTS and x <= know + 2:
            return True  # "know if any", "know whether none"
    return False


@reading("S190", "closing-choice", "A choice said after the work ('..., pick one', 'and let the maintainers vote', 'go with whichever wins') is the step that makes it from every result.")
def closing_choice(t: Tree, preds: Sequence[Pred]) -> int | None:
    """"Build the docs with each theme on its own branch and let the team vote":
    the choosing comes after the work and reads all of it. The step model often
    reads such a clause as narrative or its verb as a noun, so the last step was
    lost. The verb must choose (``[fanin] choose``: "pick", "decide", "vote"),
    hand the choice on ("let the team vote", "have Sam pick"), or take the one
    chosen ("go with whichever wins", "use that one": ``take_one`` with an
    object that points at it, ``which``), come back with a result ("come back
    with a recommendation"), or let the user know a judgement over the results
    ("let me know which ones say yes", "the closest one", "if any look risky"). It must come after every step of its sentence, have
    no subject, modal or subordinator of its own ("should we go with A?" is the
    question, "if it fits, use it" a condition), and not be negated. Returns
    the verb.
    """
    choose, take_one, which, results = _choosing()
    steps = {p.i for p in preds} | {p.anchor for p in preds}
    last = max(steps, default=-1)
    for k in range(last + 1, len(t)):
        if t.words[k].upos != "VERB" or t.rel(k) not in ("conj", "parataxis", "advcl", "root"):
            continue
        if t.children(k, "nsubj", "aux", "mark") or any(t.low(a) in _NOT for a in t.children(k, "advmod")):
            continue
        lemma = t.lemma(k)
        if lemma in choose or lemma in _tallying():
            return k
        if lemma in _HANDING and any(t.lemma(c) in choose for c in t.children(k, "xcomp", "ccomp", "obj")):
            return k
        if lemma in take_one and _points_at_one(t, k, which):
            return k
        if lemma == "let" and _weighed_knowing(t, k, which) is not None:
            return k
        back = any(t.low(a) == "back" for a in t.children(k, "advmod", "compound:prt"))
        if lemma in ("come", "get") and back and any(t.lemma(c) in results for c in t.children(k, "obl", "obj")):
            return k
    return None


@cache
def _tallying() -> frozenset[str]:
    """``[fanin] tally`` (rules/words.toml): S454."""
    table = tomlcache.read_builtin("words.toml", "word classes").get("fanin", {})
    return word_set(table, "tally", "fanin")


doc_only(
    "S454", "closing-tally",
    "'ask the four shift leads how many spare lockers they have and total it up': a verb that adds every result into one figure ('total', 'tally', 'sum up'), said after the work with no subject of its own, is the step that joins it.",
    """The closing choice (S190) has a sibling: the writer asks for one
    figure made of every answer ("..., and total it up", "tally the
    replies", "sum them up"). The step model often reads the short clause
    as narrative, and the plan's join then says nothing of the total. The
    verb must be one of ``[fanin] tally`` and pass the same checks as
    S190: after every step of its sentence, no subject, modal or
    subordinator of its own, not negated.""",
)


# Words that offer options side by side ("A or B", "A vs B").
_OFFERING = frozenset({"or", "vs", "vs.", "versus"})


@reading("S458", "question-after-options", "'two grinders for the cafe, the Eureka or the Baratza - which suits our volume better?': options offered with no verb, then a question weighing them after a comma or dash, is the step that decides between them.")
def _offered_question(trees: Sequence[Tree]) -> list[Pred]:
    """A request may name its options with no verb at all ("the Eureka or the Baratza")
    and end, after a comma or dash, with the question that weighs them ("which suits our
    volume better?"). No step was read, so the text became one step in its own words
    and the plan's comparison said nothing of the question. The part before the break
    must offer options ("or", "vs"), and the question must weigh them by its words
    ("which", a comparative or superlative; not "what would you do?") and be marked as
    a question by its mark or word order. "Tea or coffee, what time is it?" asks
    nothing of the options. Returns the question as the only step, or no steps."""
    for t in trees:
        marked = bool(len(t)) and t.words[-1].text.endswith("?")
        for c in range(1, len(t) - 2):
            if t.words[c].text not in _BREAKS or not any(t.low(k) in _OFFERING for k in range(c)):
                continue
            f = c + 1
            while f < len(t) - 1 and t.low(f) in _OPENERS:
                f += 1
            if t.low(f) not in _ASKING or not (marked or _inverted(t, f)) or not _weighs(t, f, modals=False):
                continue
            head = _part_head(t, f, len(t))
            if head is None or t.words[head].upos not in ("VERB", "AUX", "ADJ", "NOUN", "PRON"):
                continue
            return [Pred(t, head, "answer", "question", ["S188", "S458"], part=(f, len(t)))]
    return []


def closing_steps(trees: Sequence[Tree], preds: list[Pred]) -> list[Pred]:
    """``preds`` with a step for each closing question (S188, S451, S452), choice or telling
    (S190, S453) and tally (S454); with no step at all, the question after offered options (S458)."""
    if not preds:
        return _offered_question(trees)
    by_tree: dict[int, list[Pred]] = {}
    for p in preds:
        by_tree.setdefault(id(p.tree), []).append(p)
    added: list[Pred] = []
    first = min(p.tree.words[p.i].start for p in preds)
    for t in trees:
        mine = by_tree.get(id(t), [])
        if not len(t) or t.words[-1].end <= first:
            continue
        asked = closing_question(t, mine)
        if asked is not None:
            f, head = asked
            c = f - 1
            while t.words[c].text not in _BREAKS:
                c -= 1
            for p in mine:
                if p.kind == "question" and p.part is None:
                    # S451: the question of the whole sentence asks what comes before the break
                    p.part = (0, c)
                    if p.i >= c:
                        p.i = _part_head(t, 0, c) or p.i
            unmarked = [] if t.words[-1].text.endswith("?") else ["S212"]  # the question known by its word order
            unmarked += ["S451"] if any(p.kind == "question" for p in mine) else []
            unmarked += ["S452"] if t.rel(head).startswith("acl") else []
            added.append(Pred(t, head, "answer", "question", ["S188", *unmarked], part=(f, len(t))))
            continue
        chosen = closing_choice(t, mine) if mine or t.start > first else None
        if chosen is not None:
            lemma = t.lemma(chosen)
            handed = next((t.lemma(c) for c in t.children(chosen, "xcomp", "ccomp", "obj") if t.lemma(c) in _choosing()[0]), None)
            verb = lemma if lemma in _choosing()[0] or lemma in _tallying() else handed or ("tell" if lemma == "let" else "choose")
            told = _weighed_knowing(t, chosen, _choosing()[2]) if lemma == "let" else None
            if told is not None:
                # the telling is what the user is to know: "let me know if any look risky"
                end = next((x for x in range(chosen, len(t)) if t.words[x].text in _CLAUSE_END), len(t))
                codes = ["S190", "S453"] if told[1] else ["S190"]
                added.append(Pred(t, chosen, verb, "verb", codes, anchor=chosen, part=(chosen, end)))
                continue
            codes = ["S454"] if lemma in _tallying() else ["S190"]
            added.append(Pred(t, chosen, verb, "verb", codes, anchor=chosen))
            continue
    if not added:
        return preds
    return sorted([*preds, *added], key=lambda p: p.tree.words[p.i].start)


doc_only(
    "S450", "count-named-join",
    "'Draft each menu, price each, then print all three on card stock', 'Put all three in the tracker after': after work handed to each item, a request whose object counts every item is one step over all their results.",
    """The work before was handed to each item, by a scope ("for A and B:"),
    an "each" ("test each in a container") or a sentence of its own. A
    later request whose object counts every item ("all three", "all of
    them", "the two") takes them as a set: it cannot be done per item, so
    it is one step that waits for every item's last stage (as I431 reads
    it under a scope). Bare "both" also says "each of the two" ("review
    both"), so it counts only for a joining verb or with a word of doing
    them together ("publish both on the same day").""",
)

# Words that say a request over "both" is done to the two together ("publish both on the
# same day", "ship both in one go"), not to each in turn as "review both" is.
_TOGETHER = frozenset({"same", "together", "one", "single", "jointly"})


def count_named_join(t: Tree, lo: int, hi: int, verb: int, joining: bool) -> int | None:
    """S450: the count of every item ("all three", "all of them", "both") that is the object of
    the request at ``verb`` (words ``lo..hi``), where that request comes after work already
    handed to each item. Bare "both" counts only for a joining verb or work said to be done
    together. Returns the count's first word, or None."""
    at = takes_all_at_once(t, lo, hi, verb)
    if at is None:
        return None
    if t.low(at) == "both" and not joining and not any(t.low(k) in _TOGETHER for k in range(lo, min(hi + 1, len(t)))):
        return None  # "review both": each in turn
    return at
