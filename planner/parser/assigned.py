"""S430: present-tense work split between named groups is asked, not told.

"Two crews this weekend: the north crew clears the drains and then relays the
path; the south crew trims the hedges and then paints the fence." Each clause
has its own subject and no modal, which reads as a story (S104). But the
present simple said of two or more different groups handed work (``nouns`` of
``[assigned_parties]`` in rules/parse.toml: team, crew, squad, ...) in one
sentence divides the work between them: it is the plan, the way "the web team
must move the forms" is (I542 then makes one stream per group).

A past or progressive verb ("the north crew cleared", "is clearing"), a group
named alone ("the data team owns the tables"), or two clauses about one group
stay background.
"""

from __future__ import annotations

from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import parse_word_sets

doc_only(
    "S430", "work-split-between-groups",
    "Present-tense clauses that hand work to two or more different groups in one sentence ('the north crew clears the drains; the south crew trims the hedges') ask for that work: they divide it, they do not tell what happened.",
    """A verb with its own subject and no modal tells (S104), unless the
    subjects are two or more different groups that work is handed to
    (``[assigned_parties] nouns``: team, crew, squad, group, department,
    unit, desk) and each one's verb is in the present simple ("clears",
    "moves"): the sentence is an assignment of work, as with "must". The
    verbs coordinated after each ("and then relays the path") share their
    group and are asked too. "The north crew cleared the drains" (past), a
    single group, or "is clearing" stay background.""",
)


def _present_s(t: Tree, v: int) -> bool:
    """The verb at ``v`` is a present third-person form ("moves", "clears", "applies"), not its lemma or past."""
    if t.words[v].upos != "VERB":
        return False
    text, lemma = t.words[v].text.lower(), t.lemma(v).lower()
    return text in (lemma + "s", lemma + "es") or (lemma.endswith("y") and text == lemma[:-1] + "ies")


def _party(t: Tree, subj: int) -> str | None:
    """The group the subject at ``subj`` names ("the Linux team" -> "linux team"), or None."""
    (nouns,) = parse_word_sets("assigned_parties", "nouns")
    if t.lemma(subj).lower() not in nouns:
        return None
    mods = [k for k in t.subtree(subj) if k < subj and t.words[k].upos in ("NOUN", "PROPN", "ADJ", "NUM", "X")]
    return " ".join(t.low(k) for k in (*mods, subj)) if mods else None


def _first(t: Tree, v: int) -> int:
    """The first verb of the coordination ``v`` is in (which UD gives the shared subject)."""
    while t.rel(v) == "conj" and (h := t.head(v)) is not None:
        v = h
    return v


def _party_subject(t: Tree, v: int) -> int | None:
    """The subject of ``v`` (or of its first conjunct) closest before it that names a group."""
    first = _first(t, v)
    subjects = [k for k in t.children(first, "nsubj") if k < first and _party(t, k) is not None]
    return max(subjects) if subjects else None


# Words that make present-tense work a habit told ("exports the file every Monday"), not a plan.
_HABIT = frozenset({"every", "usually", "always", "normally", "often", "typically", "sometimes", "never",
                    "daily", "weekly", "nightly", "monthly", "currently", "already", "still"})


def assigned_party(t: Tree, v: int) -> bool:
    """S430: the verb at ``v``, whose subject names a group, is one of two or more present-tense
    verbs in ``t`` handing work to different named groups, or of a chain of them joined by
    "then"; a word of habit ("every Monday", "usually") tells a routine instead."""
    if not _present_s(t, v):
        return False
    subj = _party_subject(t, v)
    if subj is None:
        return False
    first = _first(t, v)
    if any(t.low(k) in _HABIT for k in t.subtree(first)):
        return False
    mine = _party(t, subj)
    others: set[str] = set()
    for k in range(len(t)):
        # another group right before a present-tense verb ("... and the design team draws ..."),
        # however the tagger hung it (a second subject is often read as a conjunct of the first)
        if k == subj or t.words[k].upos not in ("NOUN", "PROPN"):
            continue
        j = k + 1
        while j < len(t) and t.words[j].upos in ("ADV", "AUX"):
            j += 1
        if j < len(t) and _present_s(t, j) and (name := _party(t, k)) is not None and name != mine:
            others.add(name)
    return bool(others) or _then_chain(t, first)


def _then_chain(t: Tree, v: int) -> bool:
    """The present-tense verb at ``v`` and another joined to it by "then" ("clears the drains and
    then relays the path") say a sequence of work handed to the group: a plan, not a habit told."""
    first = _first(t, v)
    verbs = [first, *(k for k in t.children(first, "conj") if t.words[k].upos == "VERB")]
    if len(verbs) < 2 or not all(_present_s(t, k) for k in verbs):
        return False
    return any(t.low(a) == "then" for k in verbs[1:] for a in t.children(k, "advmod"))
