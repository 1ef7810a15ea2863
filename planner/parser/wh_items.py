"""I469: several questions about different things, joined after one verb, are the items.

"find out what the bakery charges, what the caterer quotes and what the
florist needs" asks one verb of three things, each named as the subject of
its own question. The syntax model rarely reads such a run as one list (the
question words hang anywhere), so the run is read on the words: right after
the verb, a question word opening a clause, then more clauses each opened
by a question word after a comma or "and"/"or". Each clause is one item,
named by its words up to a bracket or the end of the clause.

Only clauses whose subject is a noun phrase count: "how it works, how we
import old data and what it costs" asks three things about one thing (its
aspects), said with pronouns, and stays one step; so does a question word
that is itself the subject ("what is causing it and what we should do").
The subjects must differ, and there must be at least three clauses: two
questions are as often two sides of one look as two looks.
"""

from __future__ import annotations

from planner.parser.distribute import ItemList
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I469", "questions-about-each",
    "'find out what the bakery charges, what the caterer quotes and what the florist needs': three questions, each about a different named thing, after one verb are three looks.",
    """A verb of finding out followed by three or more clauses, each opened
    by a question word ("what", "how", "which", ...) and each with a noun
    phrase of its own as subject, asks about several things side by side:
    one step per clause, named by the clause up to a bracket or its end.
    Clauses whose subjects are pronouns or the same words ("how it works,
    how we import data and what it costs") ask about aspects of one thing
    and stay one step; so does a question word that is itself the subject
    ("what is causing it").""",
)

# Question words that open a clause naming what is asked about.
_WH = frozenset({"what", "how", "which", "where", "who", "whom", "whose", "why", "when"})
# Words after a question word that make it no question about a named subject:
# pronoun subjects (aspects of one thing), or the question word as subject ("what is ...").
_NOT_SUBJECT = frozenset({
    "it", "we", "they", "you", "i", "he", "she", "this", "that", "these", "those", "each", "one",
    "is", "are", "was", "were", "does", "do", "did", "can", "could", "should", "would", "will",
    "has", "have", "had", "much", "many", "long", "often", "far", "to", "if",
})
# Particles that may stand between the verb and the first question ("find out what ...").
_PARTICLES = frozenset({"out", "up", "into", "at", "together"})
# Possessives open a noun phrase though the tagger calls them pronouns ("what our team thinks").
_POSSESSIVE = frozenset({"our", "their", "my", "your", "his", "her", "its"})
# Where the last clause ends at the outer level.
_CLAUSE_END = frozenset({",", ";", ".", ":", "!", "?", "—", "–", "-", "then"})
_MIN = 3
# The longest bracket read as the source a question's answer is taken from (words).
_SOURCE_WORDS = 8


def _opens(t: Tree, k: int) -> bool:
    """A question word at ``k`` opening a clause about a noun-phrase subject."""
    if k + 1 >= len(t) or t.low(k) not in _WH:
        return False
    nxt = t.words[k + 1]
    if t.low(k + 1) in _POSSESSIVE:
        return True
    return t.low(k + 1) not in _NOT_SUBJECT and nxt.upos not in ("PRON", "AUX", "VERB", "PUNCT", "ADP", "PART")


def wh_items(t: Tree, verb_at: int) -> ItemList | None:
    """I469: the clauses after the verb at ``verb_at`` when they ask about several things, or None."""
    k = verb_at + 1
    if k < len(t) and t.low(k) in _PARTICLES:
        k += 1
    if k < len(t) and t.low(k) in (":", "："):
        k += 1  # "pull together: what A shipped, what B finished and what C did"
    if not _opens(t, k):
        return None
    members: list[tuple[int, int]] = []  # first and last word of each clause's name
    a, last, depth, j = k, k, 0, k + 1
    while j < len(t):
        low = t.low(j)
        if low == "(":
            depth += 1
        elif low == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            # a new clause after ", " / "and" / "or" / ", and"
            nxt = j + 1 if low in (",", "and", "or") else j
            if low == "," and nxt < len(t) and t.low(nxt) in ("and", "or"):
                nxt += 1
            if nxt != j and _opens(t, nxt):
                members.append((a, last))
                a, last, j = nxt, nxt, nxt + 1
                continue
            if low in _CLAUSE_END or (low in ("and", "or") and t.words[j + 1].upos == "VERB" if j + 1 < len(t) else False):
                break
            last = j
        j += 1
    members.append((a, last))
    if len(members) < _MIN:
        return None
    subjects = [" ".join(t.low(x) for x in range(m0 + 1, min(m0 + 4, m1 + 1))) for m0, m1 in members]
    if len(set(subjects)) < len(subjects):
        return None
    sources = [_source(t, m1 + 1) for _, m1 in members]
    if all(sources):
        # "what A shipped (the commit log), what B finished (the board)": each bracket names
        # where that answer is read from, the thing each step works on
        spans = tuple((t.words[b[0]].start, t.words[b[1]].end) for b in sources if b)
        return ItemList(spans, members[0][0], members[-1][1], False, ("I469",))
    spans = tuple((t.words[m0].start, t.words[m1].end) for m0, m1 in members)
    return ItemList(spans, members[0][0], members[-1][1], False, ("I469",))


def _source(t: Tree, k: int) -> tuple[int, int] | None:
    """The words of a bracket at ``k`` when it is a short noun phrase with no verb, or None."""
    if k >= len(t) or t.low(k) != "(":
        return None
    j = k + 1
    while j < len(t) and t.low(j) != ")":
        if t.words[j].upos in ("VERB", "AUX") or t.low(j) in _NOT_SUBJECT or t.low(j) in ("(", ":", ";"):
            return None
        j += 1
    if j >= len(t) or j == k + 1 or j - k - 1 > _SOURCE_WORDS:
        return None
    return (k + 1, j - 1)
