"""S200: the first command of a stage list said right after its scope is a stage.

"For each one find the order, draft the complaint, then log it", "payroll -
get the export, map the fields, run a test", "both need the same: pull the
data, code it, chart it". The stage list opens right after the words that say
whose stages they are: a colon, a dash, or "for each one". There the first
command stands where the tree expects a subject's verb ("each one find"), a
label's apposition or a fragment, and the step model, which weighs that
place, may read a story or nothing at all; the later stages, each after a
comma, are read as commands. A base-form verb that opens the list, with at
least one more comma segment after it opening with a base-form verb, is the
list's first stage.
"""

from __future__ import annotations

from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "S200", "first-stage-after-scope",
    "'For each one find the order, draft the complaint, then log it', 'payroll - get the export, map the fields, run a test': a base-form verb right after a stage list's scope (a colon, a dash, 'for each one', 'for each,') with more commands after commas is the list's first stage.",
    """The first command of a list sits where the tree expects something
    else: after "each one" it reads like that subject's verb (a statement,
    "each one finds ..."), after a label and a dash like an apposition. The
    commands after it, each opened by a comma, are read as requests, and the
    stream loses its first stage. When the word right after the scope is a
    verb in its base form and a later comma segment of the same sentence
    opens with one too, the word is a command: the first stage.""",
)

# Marks that close a stage list's scope ("for A and B:", "payroll -").
_SCOPE_MARKS = frozenset({":", "-", "--", "—", "–"})
# Words between a comma and the command of the next segment (", then pull", ", and send").
_OPENERS = frozenset({"then", "and", "finally", "next", "also"})
# Marks that end the run of segments.
_ENDS = frozenset({".", ";", "!", "?"})


def _base_verb(t: Tree, k: int) -> bool:
    low = t.low(k)
    return t.words[k].upos == "VERB" and low.isalpha() and low == t.lemma(k) and t.words[k].text[:1].islower()


def _after_scope(t: Tree, i: int) -> bool:
    """Word ``i`` stands right after a colon or dash, or after "for each one" / "for each <noun>"."""
    if i == 0:
        return False
    if t.low(i - 1) in _SCOPE_MARKS:
        return True
    j = i - 1 if t.low(i - 1) == "," else i  # "for each, redraft ...", "for each one, find ..."
    if j >= 2 and t.low(j - 2) == "for" and t.low(j - 1) == "each":
        return j < i  # "for each find" is no scope of its own
    # "for each one find ...", "for each file update ..."
    return j >= 3 and t.low(j - 3) == "for" and t.low(j - 2) == "each" and t.words[j - 1].upos in ("NUM", "NOUN", "PRON")


doc_only(
    "I481", "command-inside-a-stage-list",
    "'For both shops: pull the sales, take off the refunds, then give me the total': a base-form verb opening a comma segment of a stage list, between segments that open with commands, is a stage, whatever the step model says of it.",
    """The step model weighs each verb on its own, and a plain verb ("take
    off the refunds", "let it rest") can read to it as no work. Inside a
    stage list said right after its scope (a colon, a dash, "for each
    one"), whose first segment opens with a command and whose next
    segments open with commands too, every segment that opens with a
    base-form verb is one stage of the list: dropping it would merge two
    stages or lose one for every item. A verb that does not open its
    segment ("pull the data and see what it says") is left to the model, and
    so is a verb of repeating ("fix a batch, rerun, repeat"), which says the
    work loops rather than naming a stage.""",
)


def _segment_verb(t: Tree, k: int) -> int | None:
    """The word that opens the comma segment starting at ``k`` (past "then", "and")."""
    while k < len(t) and t.low(k) in _OPENERS:
        k += 1
    return k if k < len(t) else None


def inside_stage_list(t: Tree, i: int) -> bool:
    """I481: word ``i`` opens a later comma segment of a stage list said right after its scope,
    whose first segment and one more segment open with base-form verbs."""
    if not _base_verb(t, i) or (i + 1 < len(t) and t.words[i + 1].upos == "VERB"):
        return False  # "burn test them": one command of two words, not a stage before a stage
    if i + 2 < len(t) and t.words[i + 1].upos == "NUM" and t.words[i + 2].upos == "VERB":
        return False  # "pass 2 add examples": a numbered label before its command
    k = i - 1
    while k >= 0 and t.low(k) in _OPENERS:
        k -= 1
    if k < 0 or t.low(k) != ",":
        return False
    # back to the start of the list: the first segment opens right after its scope
    starts: list[int] = []
    s = i
    for j in range(i - 1, -1, -1):
        if _after_scope(t, j + 1):
            s = j + 1
            break
        low = t.low(j)
        if low in _ENDS:
            return False
        if low == "," and (v := _segment_verb(t, j + 1)) is not None:
            starts.append(v)
    else:
        return False
    first = _segment_verb(t, s)
    if first is None or not opens_stage_list(t, first):
        return False
    # the segments between the first and this one, and one after it at most, open with commands
    return all(_base_verb(t, v) for v in starts if v != i)


def opens_stage_list(t: Tree, i: int) -> bool:
    """S200: word ``i`` is the first command of a stage list said right after its scope."""
    if not _base_verb(t, i) or not _after_scope(t, i):
        return False
    for k in range(i + 1, len(t)):
        low = t.low(k)
        if low in _ENDS or low in _SCOPE_MARKS:
            return False
        if low != ",":
            continue
        m = k + 1
        while m < len(t) and t.low(m) in _OPENERS:
            m += 1
        if m < len(t) and _base_verb(t, m):
            return True
    return False
