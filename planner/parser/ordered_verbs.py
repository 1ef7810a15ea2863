"""T045, S253: a word that is a noun as often as a verb, right after an order word, is the next stage.

"..., then log it in the issues tab", "-> log who replied", "and finally flag
any that fall short", "then issue the passes to the guests": "log", "flag",
"file", "issue", "chart", "text" name things as often as work ([lists]
clause_verbs in rules/words.toml), so the role lexicon leaves them out, the
tagger often reads them as nouns, and the step model, seeing a verb with no
role, drops them. Said right after an order word ("then", "finally", "next",
an arrow) and before their object, they can only be the command of the next
stage: no noun follows "then" and takes "the" or "it" after it.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.members import clause_verbs
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "T045", "order-word-verb-tag",
    "In '... then log it in the issues tab' the word after 'then' is a verb: a word that is a noun as often as a verb ([lists] clause_verbs) opens the next stage after an order word.",
    """The tagger reads "log", "flag", "file", "issue", "chart" or "text" as
    a noun as often as a verb. Right after an order word ("then",
    "finally", "next", "lastly", an arrow "->" or "→") and before what starts
    an object (a determiner, a pronoun, a name, a number, "who", "what",
    "any"), the word is the command of the next stage, and is tagged a verb.""",
)
doc_only(
    "S253", "order-word-stage",
    "'..., and finally flag any that fall short', '-> log who replied': a word that is a noun as often as a verb, said as a command right after an order word, is a stage.",
    """"Log", "flag", "file", "issue", "chart" and "text" have no role in
    the role lexicon (they label lines and name things too), and the step
    model, trained on them mostly as nouns or inside other work ("check the
    terms and flag anything odd" is one step), drops them. Right after an
    order word that opens its clause ("then", "finally", "next", "lastly",
    an arrow), with an object or a clause of its own, the word commands the
    stage after the work before it: a step.""",
)

# The order words after which a clause opens with its command.
ORDER_WORDS = frozenset({"then", "finally", "next", "lastly", "->", "→", "=>", ">"})
# What starts an object after the command ("log who replied", "flag any that ...").
_OBJECT_WORDS = frozenset({"who", "what", "which", "any", "anyone", "anything", "all", "every", "each", "everything", "everyone"})
_OBJECT_TAGS = frozenset({"DET", "PRON", "PROPN", "NUM"})


def _dual(low: str) -> bool:
    return low in clause_verbs()


def order_word_tags(lows: Sequence[str], out: list[str], why: list[str]) -> None:
    """T045 on the tags (in place)."""
    for i in range(1, len(lows) - 1):
        if out[i] == "VERB" or lows[i - 1] not in ORDER_WORDS or not _dual(lows[i]):
            continue
        if out[i + 1] in _OBJECT_TAGS or lows[i + 1] in _OBJECT_WORDS:
            out[i], why[i] = "VERB", "T045"


def order_word_stage(t: Tree, i: int) -> bool:
    """S253: whether word ``i`` is such a command right after an order word, with an object."""
    if i == 0 or t.words[i].upos != "VERB" or not _dual(t.low(i)) or t.low(i - 1) not in ORDER_WORDS:
        return False
    return bool(t.children(i, "obj", "ccomp", "xcomp", "iobj")) or (i + 1 < len(t) and t.low(i + 1) in _OBJECT_WORDS)
