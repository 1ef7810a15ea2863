"""T060: "the invoices need sorting, checking and filing": gerunds after "need" are stages to have done.

English says what a thing needs done with a gerund of passive sense after
"need", "want" or "require": "the roof needs fixing", "the draft needs
proofreading and then sending on". A list of such gerunds is a list of
stages in the order written, with "need" said once. The tagger reads the
gerunds as nouns ("sorting", "checking" as things), so the sentence becomes
one wanted thing and the stages are lost.

The repair runs before the parse and on its arcs: a gerund of a known work
verb right after the wish verb, and each gerund after it that opens a list
segment (after a comma, "and", "then" or "and then"), become verbs; the
first is the wish's complement, the others its conjuncts. Gerunds with a
determiner ("needs the sorting done") or a person as the wish's subject ("I
need sorting out") are left as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from planner.parser import clauses as S
from planner.parser.readings import doc_only, reading
from planner.parser.tree import Tree
from planner.parser.words import Words

doc_only(
    "T060", "needs-doing-list",
    "In 'the invoices need sorting, checking and filing' each gerund after 'need' is a stage to have done, in the order written: the gerunds are verbs, the first the wish's complement and the rest its conjuncts.",
    """"The roof needs fixing", "the draft needs proofreading and then
    sending on": after "need", "want" or "require" a gerund has a passive
    sense, a thing to have done, and a list of them is a list of stages with
    the wish said once. The tagger takes the gerunds for nouns and the
    stages are lost in one wanted thing. A gerund of a known work verb right
    after the wish, and each later gerund that opens a list segment (after a
    comma, "and", "then"), are read as verbs: the first the wish's
    complement, the others its conjuncts. A determiner before the gerund
    ("needs the sorting done") or a person wishing ("I need sorting out",
    "we want planning help") leaves the words as they are.""",
)

# The wish verbs whose gerund complement has a passive sense ("needs doing", "wants doing").
_WISHES = frozenset({"need", "needs", "want", "wants", "require", "requires"})
# Subjects that make the gerund an activity of the speaker's, not a thing to have done.
_PEOPLE = frozenset({"i", "we", "you", "he", "she", "they", "someone", "somebody", "everyone"})
# Words ending in "-ing" that are no gerund of a verb in a list after "need".
_NOT_GERUNDS = frozenset({
    "nothing", "something", "anything", "everything",  # pronouns
    "morning", "evening", "ceiling", "during", "pending", "including", "according", "following", "regarding",
    "building", "meeting", "wedding", "clothing", "string", "spring", "bring",  # nouns and words read as nouns first
})
# Lemmas of the wish verbs.
_WISH_LEMMAS = frozenset({"need", "want", "require"})
# Words that open a later segment of the list.
_JOINERS = frozenset({",", "and", "then", "&"})
# Words that end the list.
_ENDS = frozenset({".", ";", ":", "!", "?"})


def _stem(low: str, w: Words) -> str | None:
    """The work verb of a gerund ("sorting" -> "sort", "filing" -> "file", "planning" -> "plan")."""
    if not low.isalpha() or not low.endswith("ing") or len(low) < 6:
        return None
    base = low[:-3]
    stems = [base, base + "e"]
    if len(base) > 2 and base[-1] == base[-2]:
        stems.append(base[:-1])
    return next((s for s in stems if w.role_of(s) is not None), None)


def _gerund(low: str) -> bool:
    """A later member of the list: any gerund, known to the lexicon or not ("filing")."""
    return low.isalpha() and low.endswith("ing") and len(low) >= 6 and low not in _NOT_GERUNDS


def _bare(tags: Sequence[str], k: int) -> bool:
    """Nothing the gerund could take as an object or modify follows it: "needs training data" is
    a noun phrase, "needs checking by Friday" a thing to have done."""
    return k + 1 >= len(tags) or tags[k + 1] not in ("NOUN", "PROPN", "ADJ", "DET", "NUM", "PRON")


def _subject_is_person(lows: Sequence[str], tags: Sequence[str], k: int) -> bool:
    """A person pronoun just before the wish (past any auxiliary or adverb): "I really need ..."."""
    j = k - 1
    while j >= 0 and tags[j] in ("AUX", "ADV", "PART"):
        j -= 1
    return j >= 0 and lows[j] in _PEOPLE


def needs_doing(forms: Sequence[str], tags: Sequence[str], w: Words) -> list[tuple[int, list[int]]]:
    """T060: each wish and the gerunds after it that are stages to have done (at least one)."""
    lows = [f.lower() for f in forms]
    n = len(forms)
    out: list[tuple[int, list[int]]] = []
    for k in range(n - 1):
        if lows[k] not in _WISHES or tags[k] not in ("VERB", "NOUN") or _subject_is_person(lows, tags, k):
            continue
        if tags[k] == "NOUN" and (k == 0 or tags[k - 1] not in ("NOUN", "PROPN", "PRON")):
            continue  # "the needs of users": a noun, not a wish after its subject
        if lows[k + 1] in _NOT_GERUNDS or _stem(lows[k + 1], w) is None or tags[k + 1] not in ("NOUN", "VERB") or not _bare(tags, k + 1):
            continue
        got = [k + 1]
        j = k + 2
        while j < n and lows[j] not in _ENDS:
            if lows[j] in _JOINERS:
                s = j
                while s < n and lows[s] in _JOINERS:
                    s += 1
                if s < n and _gerund(lows[s]) and tags[s] in ("NOUN", "VERB") and _bare(tags, s):
                    got.append(s)
                    j = s + 1
                    continue
                j = s
                continue
            j += 1
        out.append((k, got))
    return out


def needs_doing_tags(found: Sequence[tuple[int, list[int]]], tags: list[str], why: list[str]) -> None:
    """The wish and its gerunds are verbs (T060)."""
    for k, got in found:
        for i in (k, *got):
            if tags[i] != "VERB":
                tags[i] = "VERB"
                why[i] = why[i] or "T060"


def needs_doing_arcs(found: Sequence[tuple[int, list[int]]], forms: Sequence[str], arcs: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], list[int]]:
    """The first gerund is the wish's complement, the later ones its conjuncts, their joiners theirs."""
    lows = [f.lower() for f in forms]
    new = list(arcs)
    moved: list[int] = []
    for k, got in found:
        first = got[0]
        if new[k][0] == first:
            new[k] = new[first]  # the parse made the gerund the head of the wish: give the wish its place
        if new[first] != (k, "xcomp"):
            new[first] = (k, "xcomp")
            moved.append(first)
        for prev, g in pairwise(got):
            if new[g] != (first, "conj"):
                new[g] = (first, "conj")
                moved.append(g)
            j = g - 1
            while j > prev and lows[j] in _JOINERS:  # only the joiners right before the segment
                new[j] = (g, "punct" if lows[j] == "," else "advmod" if lows[j] == "then" else "cc")
                j -= 1
    return new, moved


def _first_gerund(t: Tree, i: int) -> int:
    """The first of the gerunds joined to ``i`` ("sorting" for "filing" in "need sorting,
    checking and filing"): the one that hangs on the wish."""
    first = i
    while t.rel(first) == "conj" and (h := t.head(first)) is not None and t.low(h).endswith("ing"):
        first = h
    return first


@reading("S280", "needs-doing", "'The invoices need sorting, checking and filing': a gerund after 'need', 'want' or 'require', and each gerund joined to it, is a stage to have done to the subject.")
def needs_doing_step(t: Tree, i: int, w: Words) -> bool:
    """A gerund of passive sense after a wish ("the roof needs fixing", "the
    files want renaming and then archiving") is work asked for, done to the
    wish's subject, like "needs to be fixed" (S185); each gerund coordinated
    with it is more of that work, in the order written. A negated wish ("it
    doesn't need checking"), a person wishing ("I need sorting out"), or a
    gerund with "to" before it ("need to start planning") asks nothing here.
    """
    if t.words[i].upos != "VERB" or not t.low(i).endswith("ing") or S.negated(t, i):
        return False
    first = _first_gerund(t, i)
    head = t.head(first)
    if head is None or t.rel(first) != "xcomp" or t.lemma(head) not in _WISH_LEMMAS or S.negated(t, head):
        return False
    if t.children(first, "mark") or t.children(first, "aux"):
        return False  # "need to start planning": the infinitive is the complement
    if first == i and t.children(i, "obj"):
        return False  # "need having a look at": an activity with its own object, not a thing to have done
    subj = t.child(head, "nsubj")
    return subj is None or (t.low(subj) not in _PEOPLE and t.words[subj].upos != "PROPN")


def needs_doing_subject(t: Tree, i: int) -> int | None:
    """The thing an S280 gerund ``i`` is done to: the wish's subject ("the invoices" in
    "the invoices need sorting, checking and filing"), for the first gerund and each one
    joined to it."""
    first = _first_gerund(t, i)
    head = t.head(first)
    return t.child(head, "nsubj") if head is not None else None
