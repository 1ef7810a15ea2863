"""I652: a sentence's opening command that works on "both" or "each" is a step.

"Model overtime cost for both and recommend": the step model weighs the verb's own
word and the tag of the word after it, and a verb it rarely saw as a command ("model",
"map", "cost") before a word the tagger got wrong drops below its threshold. A verb
that opens the sentence, takes an object and has "both" or "each" in its own clause
is the work done once per option or thing named before; it is kept.
"""

from __future__ import annotations

from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I652", "command-on-each",
    "'Option A: ... Option B: ... Model overtime cost for both and recommend': a verb that opens its sentence, takes an object and works on 'both' or 'each' is a step, whatever the step model makes of its word.",
    """The step model weighs the verb's word and its neighbours' tags; a verb
    it rarely saw as a command, before a word the tagger got wrong, may fall
    below its threshold, and the work done for each option is lost. The
    verb must be the sentence's first word (or follow "please"), have an
    object, and govern "both" or "each" in its own clause (the nearest verb
    above the word is this one); a question is no such command.""",
)

_BACK = frozenset({"both", "each"})


def command_on_each(t: Tree, i: int) -> bool:
    """Whether verb ``i`` opens its sentence, has an object and works on "both" or "each" (I652)."""
    if t.words[i].upos != "VERB" or t.child(i, "obj") is None or t.words[-1].text == "?":
        return False
    if i > 1 or (i == 1 and t.low(0) != "please"):
        return False
    for k in t.subtree(i):
        if t.low(k) not in _BACK or k == i:
            continue
        above = next((a for a in t.ancestors(k) if t.words[a].upos == "VERB"), None)
        if above == i:
            return True
    return False


doc_only(
    "I653", "command-on-both-before-colon",
    "'Please test both layouts for a week: the old menu vs a single page. Compare sales ...': a command on 'both' or 'each' thing before the colon of a sentence that sets options against each other is the work on each option, not a lead-in (S244).",
    """S244 drops the words before such a colon as a heading ("Vendor
    bake-off for email delivery: A vs B"). When they are a command whose
    object is counted by "both", "each", "all" or "the two" ("model both
    cases on line 4", "please run each setup for a month"), or a command
    after "please", the command is the work done for each option and
    stays.""",
)

_COUNTING = frozenset({"both", "each", "all", "two", "three"})


def commands_both(t: Tree, i: int) -> bool:
    """Whether verb ``i`` is a command on "both"/"each" things, or a command after "please" (I653)."""
    if t.words[i].upos != "VERB":
        return False
    if i > 0 and t.low(i - 1) == "please":
        return True
    obj = t.child(i, "obj")
    if obj is None:
        return False
    return t.low(obj) in _COUNTING or any(t.low(d) in _COUNTING for d in t.children(obj, "det", "nummod", "det:predet"))
