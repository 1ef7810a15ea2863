"""Commands numbered by ordinal words in running text are stages (S390).

"For each launch: first make the timeline, second identify the risky items,
third prepare the risk list": the writer numbers the stages with ordinal
words instead of "then". The tagger reads "second" and "third" as adjectives
and the step model, which has seen few of them before a verb, may take the
command after one as no work, so the stream loses a stage. A verb in its
base form right after an ordinal word ("second", "thirdly", "3rd") that
opens a segment of the sentence (after a comma, a semicolon, a colon, "and"
or "then", or at the sentence start) is a command said as the next stage.
"""

from __future__ import annotations

from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "S390", "ordinal-stages",
    "A command right after an ordinal word that opens a segment ('first make the timeline, second identify the risks, third prepare the list') is a stage, however the step model reads it.",
    """Writers number the stages of a job with ordinal words in running
    text ("first ..., second ..., third ..."). A verb in its base form right
    after "second", "third", "fourth", "fifth" (or "secondly", "2nd" ...),
    the ordinal opening its segment (sentence start, or after a comma, a
    semicolon, a colon, "and" or "then"), with an optional comma between,
    is read as a command. "The second batch", "a third look" (the ordinal
    after a determiner) and "second-hand" name things and are not read.""",
)

# Ordinal words that number a stage after the first one (the first is read as "first" already).
_ORDINALS = frozenset({
    "second", "third", "fourth", "fifth", "sixth",
    "secondly", "thirdly", "fourthly", "fifthly",
    "2nd", "3rd", "4th", "5th", "6th",
})
# What may stand before the ordinal: the start of its segment.
_OPENERS = frozenset({",", ";", ":", "：", "and", "then", "-", "–", "—"})


def ordinal_stage(t: Tree, i: int) -> bool:
    """S390: whether word ``i`` is a command numbered by an ordinal word just before it."""
    w = t.words[i]
    if w.upos != "VERB" or i == 0 or t.low(i) != t.lemma(i):
        return False
    k = i - 1
    if t.low(k) == ",":
        k -= 1
    if k < 0 or t.low(k) not in _ORDINALS:
        return False
    return k == 0 or t.low(k - 1) in _OPENERS
