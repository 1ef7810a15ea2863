"""S420: a command before a dash that opens a list of the reader's stages leads in to them.

"Tidy the shed - sort the tins, sweep the floor, then take the scrap to the
tip", "tune the bass - try a setting, I listen, you adjust, go again": the
first command of the sentence, closed by a dash with no comma before it,
names what the stages after the dash achieve, the way a lead-in before a
colon does (S114). T103 reads a spaced hyphen before a verb as a dash, so
the command after it is a command of its own; the lead-in before it is then
no step beside the stages.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.clauses import Pred
from planner.parser.first_stage import opens_stage_list
from planner.parser.readings import reading
from planner.parser.tree import Tree

# Dashes typed or spaced ("-" between spaces, T036/T103), and the real ones.
DASHES = frozenset({"-", "--", "—", "–"})
# A comma or semicolon before the dash: the dash closes a later clause, and the command
# after it is the next of the sentence's commands (T103: "have it read - fix what they flag").
_CLAUSE_MARKS = frozenset({",", ";", ":"})


def _spaced_dash(t: Tree, k: int) -> bool:
    w = t.words[k]
    if w.text not in DASHES or k == 0 or k + 1 >= len(t):
        return False
    return t.words[k - 1].end < w.start and w.end < t.words[k + 1].start


@reading("S420", "lead-in-before-a-dash", "'Tidy the shed - sort the tins, sweep the floor, then take the scrap to the tip': the sentence's first command, closed by a dash before a list of the reader's stages, is their lead-in, no step of its own.")
def dash_lead(t: Tree, preds: Sequence[Pred]) -> Pred | None:
    """The first command of a sentence, closed by a spaced dash with no comma
    before it, is the lead-in of the stages after the dash when the dash opens
    a stage list of the reader's own: a base-form verb right after it that is
    a request, a later comma segment opening with a base-form verb too, and two
    or more requests after the dash in all. It names the goal the stages reach
    ("tune the bass - try a setting, I listen, you adjust"), like a colon's
    lead-in (S114). One request after the dash ("refine the icons - test
    them on a phone after each change") keeps the first command as the work;
    a turn of someone else right after the dash ("draft the toast - I'll read
    it, you fix it") answers that command and keeps it too. Returns the lead-in,
    or None.
    """
    dash = next((k for k in range(1, len(t) - 1) if _spaced_dash(t, k)), None)
    if dash is None or any(t.low(k) in _CLAUSE_MARKS for k in range(dash)):
        return None
    lead = [p for p in preds if p.tree is t and p.i < dash]
    rest = [p for p in preds if p.tree is t and p.i > dash]
    if len(lead) != 1 or len(rest) < 2:
        return None
    first = lead[0]
    if first.kind != "verb" or t.child(first.i, "nsubj") is not None or t.low(first.i) != t.lemma(first.i):
        return None  # a statement or a story before the dash, not a command
    if rest[0].i != dash + 1 or not opens_stage_list(t, dash + 1):
        return None
    return first
