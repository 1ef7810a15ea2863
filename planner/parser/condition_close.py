"""T035: a condition ends before the bare command that follows it.

"Run the check, and if it is not, draft the request", "look up the rate, and
if it's over 10% write a note": a short condition with no verb of its own
("if all ok", "if so") or with only a copula ("if it is not") leaves the
parser looking for the clause's verb, and it takes the command after it. The
command then hangs under "if" as the condition's own verb, and the readings
see a condition (S106), no step.

The repair works on the arcs, before any reading sees the tree. A verb in
its bare form that heads a clause opened by "if", "once", "when" or
"unless", and has, between the subordinator and itself, a copula or an
auxiliary, or a subject it cannot agree with in its bare form ("it",
"its", "this"), is the command after the condition: the condition keeps its
own words under its last one, and the command becomes a clause coordinated
with the verb the condition hung on.

A modal or "do" right before the verb, with no mark between the
subordinator and the verb ("if none can deliver by Friday", "if they don't
reply"), is the condition's own auxiliary: the bare form is what a modal
asks for, so the verb is the condition's, not a command after it. With the
reader as its subject ("I'd be grateful if you would check each one") the
condition is a polite request, and the verb is freed as before.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.readings import doc_only
from planner.parser.wh_close import _Arcs, _children
from planner.parser.words import parse_word_sets

doc_only(
    "T035", "condition-ends",
    "In 'check it, and if it is not, draft the request' the parser takes 'draft' for the condition's verb; the condition ends at 'not' and 'draft' is the next command.",
    """A condition with no verb of its own ("if all ok", "if so") or only a
    copula ("if it is not") makes the parser take the bare command after it
    for the condition's verb, and the command is read as a condition. A bare
    verb heading a clause opened by "if", "once", "when" or "unless" that
    holds, before the verb, a copula, an auxiliary or a subject the bare form
    cannot agree with ("it", "this") is the command after the condition: the
    condition keeps its words, and the command is coordinated with the verb
    the condition hung on.""",
)

_OPENERS = frozenset({"if", "once", "when", "unless"})
# T044: the tags of a condition said without a verb ("all ok", "so", "ready", "not").
_VERBLESS = frozenset({"ADJ", "ADV", "DET", "INTJ", "PART"})
# Subjects a bare verb cannot agree with: "if it over 10% write" is no clause of "write".
_SINGULAR = frozenset({"it", "its", "it's", "this", "that", "he", "she"})
# Auxiliaries that take a bare verb after them: "if none can deliver" is a whole condition.
_MODALS = frozenset({"can", "ca", "could", "will", "wo", "would", "shall", "should", "may", "might", "must",
                     "do", "does", "did", "'ll", "'d"})
# Words that may stand between a modal and its verb ("can not deliver", "don't even reply").
_BETWEEN = frozenset({"PART", "ADV"})
# The reader as the condition's subject: "I'd be grateful if you could check it" asks for the check.
_READER = frozenset({"you", "u", "ya"})


def _modal_clause(forms: Sequence[str], tags: Sequence[str], inside: Sequence[int], v: int) -> bool:
    """A modal right before the verb and no punctuation in the condition: the verb is the condition's own."""
    if any(forms[c].lower() in _READER for c in inside):
        return False  # "if you would check each one": a polite request, the command after "if"
    k = v - 1
    while k > 0 and tags[k] in _BETWEEN and forms[k].lower() not in _MODALS:
        k -= 1
    return k in inside and forms[k].lower() in _MODALS and not any(tags[c] == "PUNCT" for c in range(min(inside), v))


def close_conditions(
    forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: list[tuple[int, str]]
) -> tuple[list[tuple[int, str]], list[int]]:
    """T035 over one sentence: the repaired arcs and the commands set free of their condition."""
    tree = _Arcs(arcs)
    moved: list[int] = []
    for v in range(1, len(forms)):
        h, rel = tree.arcs[v]
        if rel != "advcl" or h < 0 or tags[v] != "VERB" or forms[v].lower() != lemmas[v].lower():
            continue
        kids = _children(tree, v)
        mark = next((c for c in kids if tree.arcs[c][1] == "mark" and forms[c].lower() in _OPENERS and c < v), None)
        if mark is None:
            continue
        inside = [c for c in kids if mark < c < v and tree.arcs[c][1] != "punct"]
        broken = any(tree.arcs[c][1] in ("cop", "aux") for c in inside) or any(
            tree.arcs[c][1].startswith("nsubj") and forms[c].lower() in _SINGULAR for c in inside
        )
        # T044: "if all ok inform them", "if so print it": a condition of one or two words and no verb
        short = 0 < len(inside) <= 2 and all(tags[c] in _VERBLESS for c in inside)
        if not (broken or short) or not inside or _modal_clause(forms, tags, inside, v):
            continue
        if _free(tree, v, h, mark, inside, kids):
            moved.append(v)
    return tree.arcs, moved


def _free(tree: _Arcs, v: int, h: int, mark: int, inside: Sequence[int], kids: Sequence[int]) -> bool:
    """End the condition before the command ``v``: its words go under its last one, and the
    command is set beside the verb ``h`` the condition hung on; whether the moves were made."""
    # the condition's last word heads what it says ("not", "%", "ok")
    last = max(inside)
    moves = [(last, v, "advcl"), (mark, last, "mark")]
    moves.extend((c, last, tree.arcs[c][1]) for c in inside if c != last)
    moves.extend((c, last, "punct") for c in kids if tree.arcs[c][1] == "punct" and mark < c < v)
    moves.append((v, h, "conj" if h < v else "parataxis"))
    return tree.apply(moves)


doc_only(
    "T130", "compared-condition-ends",
    "In 'measure the voltage and if under 3 volts replace the cell' the condition is a comparison with no verb; 'replace' is the next command, not the condition's verb.",
    """After a measurement, writers put the threshold in a condition with no
    verb: "if below 1.5 ...", "if over the limit ...", "if more than five
    ...". The parser takes the bare command after it for the condition's
    verb (with the number as its subject), and the command is read as a
    condition (S106), so the stage is lost. A condition that opens with a
    word of comparison (`[condition_close]` in `rules/parse.toml`: a
    preposition of range, or a comparative followed by "than"), has no verb
    or auxiliary before the bare verb, and hangs on a verb before it, ends
    before that verb: the verb is the next command, set beside the one the
    condition hung on (as T035 does). "If more than three fail, stop the
    run", where the condition comes first and has a clause of its own
    after it, stays.""",
)


def close_compared_conditions(
    forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: list[tuple[int, str]]
) -> tuple[list[tuple[int, str]], list[int]]:
    """T130 over one sentence: the repaired arcs and the commands set free of a comparison."""
    ranges, comparatives = parse_word_sets("condition_close", "ranges", "comparatives")
    lows = [f.lower() for f in forms]
    if not any(low in ranges or low in comparatives for low in lows):
        return arcs, []
    tree = _Arcs(arcs)
    moved: list[int] = []
    for v in range(2, len(forms)):
        h, rel = tree.arcs[v]
        if rel != "advcl" or h < 0 or tags[v] != "VERB" or lows[v] != lemmas[v].lower():
            continue
        stop = h if tags[h] == "PUNCT" and h > v else None
        if stop is not None:
            h = tree.arcs[stop][0]  # the parser hung the clause on the full stop: it goes with the stop's verb
        # only a condition that hangs on a verb before it: one said first has its own clause after it
        if not 0 <= h < v:
            continue
        kids = _children(tree, v)
        mark = next((c for c in kids if tree.arcs[c][1] == "mark" and lows[c] in _OPENERS and c < v), None)
        if mark is None or mark + 1 >= v:
            continue
        first = lows[mark + 1]
        compared = first in ranges or (first in comparatives and lows[mark + 2] == "than")
        if not compared or any(tags[k] in ("VERB", "AUX") for k in range(mark + 1, v)):
            continue
        inside = [c for c in kids if mark < c < v and tree.arcs[c][1] != "punct"]
        if not inside:
            continue
        # the joiner and comma before "if" that the parser hung on the stop join the command
        joiners = [] if stop is None else [(c, v, tree.arcs[c][1]) for c in _children(tree, stop)
                                             if c < mark and tree.arcs[c][1] in ("cc", "punct") and c > h]
        if _free(tree, v, h, mark, inside, kids):
            tree.apply(joiners)
            moved.append(v)
    return tree.arcs, moved
