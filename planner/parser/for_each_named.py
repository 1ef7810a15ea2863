"""Gathering asked for each of several named things, said with a verb that is no step alone (S178-S180).

"Go through the notes from the forum, the inbox and the call log and tell me
the themes": going through one draft is how its marking is done ("go through
the draft and mark the typos" is one step), but going through several named
sources is a gathering per source that the telling joins. "I need to know the
entry rules for each country: Japan, Korea, Vietnam" and "I need attendance
figures from each club: Chess, Drama and Debate" are wishes the step model often
reads as background; when the wish is for something per named thing, it asks
for that gathering once per thing. The words are ``[for_each_named]`` in
rules/parse.toml.
"""

from __future__ import annotations

from functools import cache

from planner.parser import clauses as S
from planner.parser.distribute import ItemList, find_lists
from planner.parser.readings import doc_only, reading
from planner.parser.tree import Tree
from planner.parser.words import Words, parse_word_sets


@cache
def _words() -> tuple[frozenset[str], ...]:
    """[for_each_named]: the verbs and particles of going through (S178), the words of obligation (S180)."""
    return parse_word_sets("for_each_named", "through_verbs", "through", "obliged")


def _asked(t: Tree, i: int, w: Words) -> bool:
    """A command or the clause under a wish, never a narrated or negated verb ("we go over it weekly")."""
    if S.negated(t, i):
        return False
    subj = t.child(i, "nsubj")
    return subj is None or t.low(subj) in ("you", "u") or S.under_wish(t, i, w)


def next_verb(t: Tree, i: int) -> int:
    """The next verb coordinated with ``i`` ("... and tell me"), where its own words end."""
    return min((k for k in t.subtree(i) if k > i and t.rel(k) == "conj" and t.words[k].upos == "VERB"), default=len(t))


def names_several(t: Tree, i: int, lo: int) -> bool:
    """Whether a list of two or more things (no alternatives) sits among the words of ``i``,
    after word ``lo`` and before the next verb coordinated with ``i``."""
    words = set(t.subtree(i))
    end = next_verb(t, i)
    return any(not lst.alternatives and lo < lst.start and lst.end < end and lst.start in words for lst in find_lists(t))


@reading("S178", "going-through-several", "'Go through the notes from the forum, the inbox and the call log and tell me the themes': going through several named things is a gathering per thing, a step.")
def going_through_several(t: Tree, i: int, w: Words) -> bool:
    """"go through", "go over", "run through", "read through" say how other
    work is done when they go through one thing ("go through the draft and mark
    the typos" is one step, the marking). When what is gone through names
    several things ("the feedback from the forum, the inbox and the call log",
    "each team's sheet - Sales, Legal, Support") each is read on its own, and
    the work after it ("tell me the themes") joins what was found: the going
    through is a step, read as reading, and the list its items. Narrated
    ("we go over the numbers each week") or negated going through, and going
    through as the means of other work ("explain it by going through A and
    B") or for a purpose ("go through A and B to find ...") are no step.
    """
    verbs, through, _ = _words()
    if t.words[i].upos != "VERB" or t.lemma(i) not in verbs or not _asked(t, i, w):
        return False
    if t.children(i, "mark") or t.low(i).endswith("ing"):
        return False  # "investigate it by going through A and B": the means of other work
    if any(t.low(k) == "to" and t.rel(k) == "mark" for k in range(i + 1, next_verb(t, i))):
        return False  # "go through A and B to find what players liked": the finding is the work
    # the particle: "go through X" (a case under the object) or "go over X" (a particle of the verb)
    marks = [k for k in range(i + 1, min(i + 3, len(t))) if t.low(k) in through]
    if not marks:
        return False
    return names_several(t, i, marks[0])


@reading("S179", "wished-for-each-named", "'I need to know the entry rules for each country: Japan, Korea, Vietnam': a wish to know or to have something for each of several named things asks for that gathering, a step.")
def wished_for_each(t: Tree, i: int, anchor: int, w: Words) -> bool:
    """A wish to know (S107) or for a thing (S109) is often background ("I
    need to know by Friday", "we need the figures"), and the step model may
    turn it down. When the wish is for something per named thing ("for each
    country we visit: Japan, Korea, Vietnam", "from each club: Chess, Drama
    and Debate") the writer has said both what to gather and what to gather
    it for: the wish asks for that gathering, once per thing. A wish with no
    "each", "every" or "per" before its list, with no list set off after it
    (by a colon, a dash or a bracket), or whose list is inside the phrase
    ("every producer and consumer"), is left to the model.
    """
    if S.negated(t, anchor):
        return False
    distributive = w.distributive - {"all"}
    end = next_verb(t, anchor)
    each = next((k for k in range(anchor + 1, end) if t.low(k) in distributive), None)
    if each is None or each + 1 >= len(t) or t.words[each + 1].upos == "PUNCT":
        return False  # "the same benchmark for each (put, get, scan)": a bare "each" names no things of its own
    if t.words[-1].text in (":", "：") and end == len(t):
        return True  # "... for each country we visit:" and the list on the lines below
    if t.words[-1].text in (":", "：") and remark_before_colon(t, end):
        return True  # S211: "... for each one, they all go out separately:"
    # the list names the things the distributive phrase counts, set off after it ("each club:
    # Chess, Drama", "each office — Leeds, York"), not a coordination inside the phrase
    # ("every producer and consumer", "per section and a diagram")
    return any(
        not lst.alternatives and each < lst.start and lst.end < end
        and any(t.words[k].text in _LIST_OPENERS for k in range(max(each + 1, lst.start - 2), lst.start))
        for lst in find_lists(t)
    )


_LIST_OPENERS = frozenset({":", "：", "—", "–", "-", "("})

doc_only(
    "S211", "remark-before-list-colon",
    "In 'I need a caption for each one, they all go out as separate posts:' the wish still announces the list under the colon: a told remark between the wish and the colon does not end it.",
    """S179 reads a wish "for each" that ends in a colon as a gathering
    once per thing listed below. Writers often add why before the colon
    ("..., they're all going out separately:", "..., we launch them in
    turn:"). A clause with a subject of its own, told rather than asked,
    after the wish and before the colon is such a remark: the colon still
    sets off the wish's list. A command there ("..., and write them up:")
    is asked work of its own, and the colon is its.""",
)


def remark_before_colon(t: Tree, k: int) -> bool:
    """S211: the verb ``k`` after a wish is a told remark: a subject of its own that is not the
    reader, and no modal that would ask ("they're all going out", not "could you write them")."""
    if k >= len(t):
        return False
    subj = t.child(k, "nsubj") or t.child(k, "nsubj:pass")
    if subj is None or t.low(subj) in ("you", "u"):
        return False
    return not any(t.low(a) in _ASKING_MODALS for a in t.children(k, "aux"))


_ASKING_MODALS = frozenset({"could", "can", "would", "will", "should", "must"})


@reading("S181", "wished-list-after-colon", "'For the review I need: sign-ups by day, refunds by week and page views': a wish whose colon sets off several things asks for each of them, a gathering per thing.")
def wished_list(t: Tree, anchor: int) -> ItemList | None:
    """A wish that stops at a colon ("I need:", "we'd want:") announces what
    it wants as a list; when that list names two or more things (no
    alternatives), the writer asks for each of them to be got, a gathering
    per thing like a wish "for each" of them (S179). A wish with its own
    object before the colon ("I need the figures: ...") is S179's to judge,
    and a colon followed by a single thing or by options is left to the
    model.

    S181: the list a wish at ``anchor`` sets off with its colon, or None."""
    if anchor + 2 >= len(t) or t.words[anchor + 1].text not in (":", "："):
        return None
    return next((lst for lst in find_lists(t) if not lst.alternatives and lst.start == anchor + 2 and len(lst.spans) >= 2), None)


@reading("S180", "each-in-the-subject", "'The replies from A, B and C should each be summarised': a subject that names several things, with 'each' and a modal before the verb, asks for the work once per thing.")
def subject_list(t: Tree, i: int, w: Words) -> ItemList | None:
    """Formal requests put the things to work on in the subject: "the replies
    from Leeds, York and Hull should each be summarised", "the three reports
    are each to be checked". The step model reads a verb with its own subject
    as told rather than asked; a modal of obligation ("should", "must", "are
    to") and a floating "each" or "both" after the subject's list say the work
    is asked, once per thing listed. Without the modal ("A, B and C each send
    their figures monthly") it is told and no step.

    S180: the list of named things in the subject of ``i`` that "each" hands the work to
    ("the replies from A, B and C should each be summarised"), or None."""
    if t.words[i].upos != "VERB" or S.negated(t, i) or t.lemma(i) in S.DELIVER | S.CHANNEL:
        return None  # "the figures from A and B should both be sent to me": one delivery
    # "each"/"both" must come right before the verb, with only auxiliaries between:
    # checked first, so the lists are read only for the few verbs it can be
    k = i - 1
    while k >= 0 and t.words[k].upos in ("AUX", "PART", "ADV") and t.low(k) not in ("each", "both"):
        k -= 1
    if k < 0 or t.low(k) not in ("each", "both"):
        return None
    _, _, obliged = _words()
    for lst in find_lists(t):
        if lst.alternatives or lst.end >= i:
            continue
        gap = range(lst.end + 1, i)
        each = [k for k in gap if t.low(k) in ("each", "both")]
        if len(each) != 1:
            continue
        # between the list and "each" only the rest of the subject's noun phrase; after it only auxiliaries
        if any(t.words[k].upos in ("VERB", "PUNCT", "SCONJ", "CCONJ") or t.low(k) in (",", ";", ":") for k in range(lst.end + 1, each[0])):
            continue
        after = range(each[0] + 1, i)
        if any(t.words[k].upos not in ("AUX", "PART", "ADV") for k in after):
            continue
        if not {t.low(k) for k in gap} & obliged:
            continue  # "A, B and C each send their figures monthly": told, not asked
        return lst
    return None
