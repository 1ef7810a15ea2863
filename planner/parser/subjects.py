"""Parts of the text that each open on a different doer or thing as subject are streams (I542).

"The web team must move the forms and then delete the old pages; the data
team must copy the reports and then archive the old tables": each part
opens on its own subject, the one who does the work or the thing it is done
to, and says a chain of work; the parts run side by side, one stream per
subject, as parts opened by a label (I213) or a place (I332) do.

Two parts or more in a row (sentences, or clauses after ";"), the first
opening its sentence, must each open on a subject noun phrase of the part's first step, all different, one part
must hold two steps or more, and no later part may open on work that points
back at the one before ("...; Lee must then review it": a hand-off, the
order the parts are said in).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.parser.readings import doc_only
from planner.parser.scoped import _streams

if TYPE_CHECKING:
    from planner.parser.assemble import _State
    from planner.parser.tree import Tree

doc_only(
    "I542", "subjects-as-streams",
    "Parts that each open on a different subject and say their own chain of work ('the web team must move the forms and then delete the old pages; the data team must copy the reports and then archive the tables') are one stream per subject.",
    """Two parts or more in a row (sentences, or clauses after ";") each
    open on a noun phrase of up to six words that is the subject of the
    part's first step, with nothing but auxiliaries between it and the
    verb ("the data team must copy ..."). The subjects differ, one part
    holds two steps or more, and no later part's first step takes a
    pronoun object ("it", "them") that points back at the part before: such
    parts hand work on and stay in the order they are said.""",
)

# Words a subject may hold ("the data team", "our two interns", "Sam's crew").
_SUBJECT_TAGS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "DET", "PART", "X"})
_MAX_SUBJECT = 6
# Relations of a time phrase the tagger may hang on the subject ("This week the team ...").
_TIME_RELS = frozenset({"nmod:unmarked", "obl:tmod", "obl:unmarked", "nmod:tmod"})
# Words before a part's subject that open the part without being the subject.
_OPENERS = frozenset({"and", "then", "also", "meanwhile", "while", ",", "-", "—", "–"})


def _subject(st: _State, t: Tree, s: int, verb: int) -> tuple[str, tuple[int, int]] | None:
    """(name, span) of the subject that opens the part at ``s`` before its first step at ``verb``."""
    while s < verb and (t.low(s) in _OPENERS or t.words[s].upos == "CCONJ"):
        s += 1
    subj = t.child(verb, "nsubj")
    if subj is None or not s <= subj < verb:
        return None
    end = subj + 1
    if any(t.words[k].upos not in ("AUX", "PART", "ADV") for k in range(end, verb)):
        return None  # only auxiliaries between the subject and its verb ("must", "will then")
    # "This week the data team must ...": words before the subject's own phrase hang on the verb
    def timed(k: int) -> bool:  # "this week", tagged as a modifier of the subject or of the verb
        for a in (k, *t.ancestors(k)):
            if a in (subj, verb):
                return False
            if t.words[a].deprel in _TIME_RELS:
                return True
        return False

    lo = next(k for k in range(s, subj + 1) if k == subj or (subj in t.ancestors(k) and not timed(k)))
    if any(k != verb and verb not in t.ancestors(k) and not timed(k) for k in range(s, lo)) or any(
            subj not in t.ancestors(k) for k in range(lo, subj)):
        return None
    words = range(lo, end)
    if len(words) > _MAX_SUBJECT or any(t.words[k].upos not in _SUBJECT_TAGS for k in words):
        return None
    if t.words[subj].upos not in ("NOUN", "PROPN"):
        return None  # "we", "I", "they": the writer or a pronoun, no thing of its own
    while lo < subj and t.words[lo].upos == "DET":
        lo += 1
    span = (t.words[lo].start, t.words[subj].end)
    return st.front.text[span[0] : span[1]], span


def _points_back(t: Tree, verb: int) -> bool:
    return any(t.words[k].upos == "PRON" and t.low(k) in ("it", "them", "this", "that", "those", "these")
               for k in t.children(verb, "obj"))


def subject_streams(st: _State) -> None:
    """I542: parts that each open on a different subject of their first step are one stream per subject."""
    drafts = st.drafts
    parts: list[tuple[tuple[str, tuple[int, int]], list[int]] | None] = []
    opens: list[bool] = []  # the part opens its sentence: a run starts there, not after a lead
    prev: Tree | None = None
    for t in st.trees:
        if not len(t):
            continue
        # the parser cuts sentences at ";" too: a tree after one goes on the sentence before it
        goes_on = prev is not None and prev.words[-1].text == ";"
        prev = t
        starts = [0, *(k + 1 for k in range(len(t) - 1) if t.words[k].text == ";")]
        for a, b in zip(starts, [*starts[1:], len(t)], strict=True):
            opens.append(a == 0 and not goes_on)
            mine = [n for n, d in enumerate(drafts) if d.pred.tree is t and a <= d.pred.i < b]
            if not mine:
                parts.append(None)
                continue
            first = drafts[mine[0]].pred
            subject = _subject(st, t, a, first.i)
            parts.append((subject, mine) if subject is not None else None)
    k = 0
    while k < len(parts):
        if parts[k] is None or not opens[k]:
            k += 1
            continue
        j = k
        while j < len(parts) and parts[j] is not None:
            j += 1
        run = [p for p in parts[k:j] if p is not None]
        k = j
        if len(run) < 2:
            continue
        if any(_points_back(drafts[m[0]].pred.tree, drafts[m[0]].pred.i) for _, m in run[1:]):
            continue
        before = len(st.groups)
        _streams(st, [name for name, _ in run], [m for _, m in run], [False] * len(run))
        if len(st.groups) > before:
            own = {n for _, m in run for n in m}
            lowest = min(own)
            for _, m in run:
                for n in m:
                    # a stream waits on nothing another stream of the run does
                    st.drafts[n].after = {x for x in st.drafts[n].after if x < lowest or x in m}
            for _, m in run:
                for n in m:
                    codes = st.drafts[n].codes
                    codes[:] = ["I542" if c == "I332" else c for c in codes]
