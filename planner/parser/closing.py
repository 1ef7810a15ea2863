"""The closing step of a request said without a command of its own (S188, S190).

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
from planner.parser.clauses import Pred
from planner.parser.fanin import load_fanin_words
from planner.parser.readings import reading
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


def _weighs(t: Tree, f: int) -> bool:
    """Whether the question from ``f`` weighs the results of the work before: it asks
    which, compares ("cheaper", "the most"), or asks the listener's choice ("what would
    you do"). "What's the checkout time?" asks one more fact, part of the same look-up."""
    for x in range(f, len(t)):
        low, word = t.low(x), t.words[x]
        if low in _WEIGHING or low in _CHOICE_MODALS:
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
    if not preds or not len(t) or any(p.kind == "question" for p in preds):
        return None  # a sentence read as a question already (S110) is answered once
    marked = t.words[-1].text.endswith("?")
    last = max(max(p.i, p.anchor) for p in preds)
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
        if head is None or t.rel(head).startswith("acl") or t.words[head].upos not in ("VERB", "AUX", "ADJ", "NOUN", "PRON"):
            return None
        return (f, head) if _weighs(t, f) else None
    return None


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


def _weighed_knowing(t: Tree, k: int, which: frozenset[str]) -> int | None:
    """"let me know which ones say yes", "let me know the closest one", "let me know if
    any look like a blocker": what the user is to know weighs the results (a word of
    ``which``, "any", a superlative), so the telling is a judgement; "let me know when
    it is done" ends the work (S118). Returns "let", or None."""
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
            return k
    return None


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
        if lemma in choose:
            return k
        if lemma in _HANDING and any(t.lemma(c) in choose for c in t.children(k, "xcomp", "ccomp", "obj")):
            return k
        if lemma in take_one and _points_at_one(t, k, which):
            return k
        if lemma == "let" and (know := _weighed_knowing(t, k, which)) is not None:
            return know
        back = any(t.low(a) == "back" for a in t.children(k, "advmod", "compound:prt"))
        if lemma in ("come", "get") and back and any(t.lemma(c) in results for c in t.children(k, "obl", "obj")):
            return k
    return None


def closing_steps(trees: Sequence[Tree], preds: list[Pred]) -> list[Pred]:
    """``preds`` with a step for each closing question (S188) and choice (S190)."""
    if not preds:
        return preds
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
            unmarked = [] if t.words[-1].text.endswith("?") else ["S212"]  # the question known by its word order
            added.append(Pred(t, head, "answer", "question", ["S188", *unmarked], part=(f, len(t))))
            continue
        chosen = closing_choice(t, mine) if mine or t.start > first else None
        if chosen is not None:
            lemma = t.lemma(chosen)
            handed = next((t.lemma(c) for c in t.children(chosen, "xcomp", "ccomp", "obj") if t.lemma(c) in _choosing()[0]), None)
            verb = lemma if lemma in _choosing()[0] else handed or ("tell" if lemma == "let" else "choose")
            added.append(Pred(t, chosen, verb, "verb", ["S190"], anchor=chosen))
            continue
    if not added:
        return preds
    return sorted([*preds, *added], key=lambda p: p.tree.words[p.i].start)
