"""A goal of improvement said before the procedure that reaches it (S176).

"Improve the shop's page load. Time it, shrink the photos, time it again",
"refine the choir's warm-up - try a version, I sing it, swap the scales",
"Could you polish the speech with me? A draft by Friday, then rework it
after each read-through": the first request names how much better the thing
should get; the requests after it are the work that gets it there, like a
lead-in before a colon (S114). The verbs are ``[goals] improve`` in
rules/parse.toml.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from planner.parser.clauses import Pred
from planner.parser.readings import reading
from planner.parser.words import parse_word_sets

# Marks that end a goal said in the sentence of its procedure ("refine the warm-up - try a version, ...").
_LEAD_ENDS = frozenset({"-", "—", "–", ":"})
# Turns of other people are no work of the reader's (S130, S170, S171 read them); rounds said
# with "we" (S254) repeat the first request's own work, no procedure after it.
_TURNS = frozenset({"S130", "S170", "S254"})


@cache
def _goal_verbs() -> frozenset[str]:
    (improve,) = parse_word_sets("goals", "improve")
    return improve


@reading("S176", "improvement-goal", "'Improve the page load. Time it, shrink the photos, time it again': a first request to improve something, before two or more requests that do it, is their goal.")
def improvement_goal(preds: Sequence[Pred]) -> Pred | None:
    """The text's first request, when it asks to make a thing better
    (``[goals] improve``: improve, optimise, tune, polish, refine, iterate)
    and two or more of the reader's requests follow it in later sentences or
    after a dash or colon in its own, names the goal those requests reach;
    it is no step beside them. Turns of others after it (S130, S170) do not
    count: "Polish the speech — my brother will hear it and comment" keeps the
    polishing as the work. Returns the goal, or None.
    """
    if len(preds) < 3:
        return None
    first = preds[0]
    if first.kind != "verb" or first.verb not in _goal_verbs():
        return None
    t = first.tree
    ends = [k for k in range(first.i + 1, len(t)) if t.words[k].text in _LEAD_ENDS]
    later = [q for q in preds[1:] if (q.tree is not t or (ends and q.i > ends[0])) and not set(q.codes) & _TURNS]
    return first if len(later) >= 2 else None
