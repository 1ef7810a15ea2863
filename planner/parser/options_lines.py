"""Options written one per line under a lead-in, when the lines are courses of action (I592).

A list of options on lines of their own ("Options I see:" then "- move two
parts to line 1", "- ask the customer to wait") is read by I217 only when no
line asks for work: a line that opens with a verb is taken for a step. Under
a lead-in that announces options and before a sentence that works on each of
them or chooses among them, such a line is an option worded as what would be
done, and its verb is the option's word (as I272 says of verbs in an inline
list of options).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from planner.parser.options import asks_which, option_words
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import load_words, small_count

if TYPE_CHECKING:
    from planner.parser.assemble import Draft

doc_only(
    "I592", "options-on-lines",
    "'Fixes we could try:' then '1. raise the heat', '2. change the primer', and 'evaluate each one, pick one': lines that are courses of action are the options, not steps.",
    """Under a lead-in that ends with a colon and announces options (an
    option noun such as "options", "proposals", "ways", or a counted plural
    noun such as "three countermeasures" whose count is the number of
    lines), lines written as what would be done are the options when the
    sentence after them works on each one ("simulate each", "both") or
    chooses ("which is cheaper", "pick one", "recommend"). Each line is an
    option named by its own words, and its verb is no step. Without the
    choice after them ("Next steps: - call the bank - pay the fee") the
    lines are steps.""",
)

# Words of the sentence after the lines that work on every line or choose among them.
_BACK = frozenset({"each", "both", "either", "which", "whichever"})
# How many sentences after the lines may hold that word: the request follows the list.
_AFTER = 2


def _count(t: Tree, k: int) -> int | None:
    """The count said in the three words before noun ``k`` ("three possible fixes")."""
    numbers = load_words().number_words
    for j in range(max(0, k - 3), k):
        value = small_count(t.low(j), numbers, figures=1)
        if value is not None:
            return value
    return None


def announces(head: Tree, lines: int) -> bool:
    """The lead-in names options: an option noun, or a plural noun counted as many as the lines."""
    w = option_words()
    for k in range(len(head)):
        if head.words[k].upos not in ("NOUN", "PROPN"):
            continue
        lemma = head.lemma(k)
        plural = lemma != head.low(k)
        if lemma in w.nouns and (plural or _count(head, k) is not None):
            return True
        if plural and _count(head, k) == lines:
            return True
    return False


def chosen_after(trees: list[Tree], strictly: bool = False) -> bool:
    """A sentence right after the lines works on each of them or chooses among them (``strictly``:
    chooses or weighs; "for each" alone also follows a list of things to work on, not options)."""
    w = option_words()
    back = _BACK - {"each", "both"} if strictly else _BACK
    for t in trees[:_AFTER]:
        for k in range(len(t)):
            low = t.low(k)
            if strictly and k + 1 < len(t) and t.low(k + 1) == "against":
                continue  # "compare against the limit" weighs each thing alone (I630), choosing none
            if low in back or low in w.weighing or low in w.comparing or (t.words[k].upos == "VERB" and t.lemma(k) in w.choosing):
                return True
    return False


def without_remark(raw: str) -> str:
    """A line's name without the remark in brackets at its end ("move two parts to line 1
    (needs a fixture change)" -> "move two parts to line 1"): the remark says what the option
    costs or risks, it is no part of its name. One word in brackets ("Calendly") names it."""
    body = raw.rstrip(" \t.;,")
    if not body.endswith(")") or "(" not in body:
        return raw
    cut = body.rindex("(")
    remark, name = body[cut + 1 : -1], body[:cut].rstrip(" \t-–—:,")
    if len(remark.split()) < 2 or len(name.split()) < 2 or "(" in remark or ")" in remark:
        return raw
    return name


doc_only(
    "I596", "each-one-judged-on",
    "'evaluate each one with: cost, space and risk' after options: the list after 'each one' and a preposition or participle is what each option is judged on; 'each one' points back at the options.",
    """"Each one", "each of them" point back (I210); a list right after them
    with a colon usually names them ("each of them: A and B"). When a
    preposition or a participle stands between ("each one with: ...",
    "each one evaluated: ...", "each of them on: ...") and options were
    offered before, the list says what each option is judged on, as a list
    of measures after "each option" does (I383): the work is done once per
    option, not once per measure.""",
)


def judged_on(t: Tree, after: int, start: int, offered: bool) -> bool:
    """I596: the list at word ``start``, after "each one" ending before word ``after``, follows a
    preposition or participle and a colon, and options were ``offered`` before."""
    return offered and start == after + 2 and t.low(after + 1) in (":", "：") and (
        t.words[after].upos == "ADP" or (t.words[after].upos == "VERB" and t.low(after).endswith(("ed", "en"))))


doc_only(
    "I597", "work-after-the-which-question",
    "'We could offer: (a) ..., (b) ..., (c) .... Which of these is cheapest? Evaluate and pick.': the comparison after the question weighs the options, once per option.",
    """A comparison with no object of its own right after a line of options
    weighs those options (I207). A question that asks which of them between
    the options and the comparison ("Which of these is cheapest for us?")
    is answered by that work (I284) and does not stand between them: the
    comparison still points back at the options.""",
)


def asked_between(t: Tree, by_tree: Mapping[int, Sequence[Draft]]) -> bool:
    """I597: the sentence ``t`` between the options and the work is only a question asking which."""
    drafts = by_tree.get(id(t), ())
    return bool(drafts) and all(d.pred.kind == "question" for d in drafts) and asks_which(t)
