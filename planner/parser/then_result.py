"""S263: "..., then one paragraph on X": a result named after "then" with no verb.

A sentence that adds how the work is done often ends with what it ends in,
named without a verb: "Each one separately, then one paragraph on the
verdict.", "A line for each then a combined table I can print.", "Then a
short memo pulling out the worst delays." The words after "then" are one
noun phrase headed by a result noun ("table", "summary", ``[fanin]
results``) or a container said to be one thing ("one paragraph", "a combined
section", ``[fanin] containers`` with ``single``). A verb inside the phrase
only describes the result (a participle, "pulling out ...", or a relative
clause, "... I can print"). The tagger often makes such a participle the
root with the result noun its subject: the noun is still the head. A verb
of its own after "then" ("then write one memo") is a request, read as such.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.fanin import FaninWords
from planner.parser.readings import reading
from planner.parser.tree import Tree

_BREAKS = frozenset({",", "-", "–", "—", ";", ":"})
# Determiners of a thing already there ("then the report"), not one to make.
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "our", "my", "your", "their", "his", "her", "its"})
# Relations under the result noun that describe it rather than ask for work.
_DESCRIBES = frozenset({"acl", "acl:relcl", "amod", "compound", "nmod", "obl", "appos"})
# Politeness and filler at the end ("... pls").
_FILLER = frozenset({"pls", "plz", "please", "thanks", "thx"})


def _phrase_head(t: Tree, lo: int, hi: int) -> int | None:
    """The one word of ``lo..hi`` whose head lies outside the phrase, if there is one."""
    tops = [k for k in range(lo, hi) if t.words[k].upos != "PUNCT" and t.low(k) not in _FILLER
            and ((h := t.head(k)) is None or not lo <= h < hi)]
    return tops[0] if len(tops) == 1 else None


@reading("S263", "result-after-then", "A verbless noun phrase after 'then' that names one result ('Each one separately, then one paragraph on the verdict.') is the step that makes it from the work before.")
def then_result(t: Tree, fw: FaninWords) -> int | None:
    """The head noun of a result named after the last "then" of ``t`` with no verb
    asking for it, or None. "then" opens the sentence or follows a break or a
    per-item word ("a line for each then a combined table"); the phrase runs to
    the sentence's end. "then the report" names one already there; "then one
    for each" is per item; "then a table is fine" has a verb of its own.
    """
    end = len(t)
    while end > 0 and (t.words[end - 1].upos == "PUNCT" or t.low(end - 1) in _FILLER):
        end -= 1
    at = next((k for k in range(end - 2, -1, -1) if t.low(k) == "then"), None)
    if at is None or not (at == 0 or t.words[at - 1].text in _BREAKS or t.low(at - 1) in ("each", "and")):
        return None
    head = _phrase_head(t, at + 1, end)
    if head is None:
        return None
    if t.words[head].upos == "VERB" and t.low(head).endswith("ing") and not t.children(head, "aux"):
        # "a short memo pulling out ...": the tagger's root is the participle describing the noun
        head = next((c for c in t.children(head, "nsubj") if at < c < head), -1)
        if head < 0:
            return None
        described = {k for c in t.children(t.head(head) or head) if c != head for k in t.subtree(c)} | {t.head(head) or head}
    else:
        described = {k for c in t.children(head) if t.rel(c) in _DESCRIBES for k in t.subtree(c)}
    if t.words[head].upos not in ("NOUN", "PROPN"):
        return None
    for k in range(at + 1, end):
        if t.words[k].upos in ("VERB", "AUX") and k not in described and t.rel(k) not in ("amod", "compound"):
            return None  # "then a table is fine": a clause of its own
        if t.low(k) in ("each", "per", "every"):
            return None  # "then one paragraph for each": per item, no join
    if any(t.low(d) in _DEFINITE for d in t.children(head, "det", "nmod:poss")):
        return None
    lemma, low = t.lemma(head), t.low(head)
    marks = {t.low(c) for c in t.children(head, "det", "nummod", "amod", "compound")}
    if lemma in fw.results or low in fw.results or any(t.lemma(c) in fw.results for c in t.children(head, "compound")):
        return head
    if (lemma in fw.containers or low in fw.containers) and marks & fw.single:
        return head
    return None


# Prepositions that put things into a result ("put them in a table", "drop it all into a list").
_INTO = frozenset({"in", "into", "on", "onto"})
# Words that point back at everything the work found.
_BACK = frozenset({"them", "everything", "all"})


@reading("I485", "gathered-into-a-result", "A request that puts what the work found, pointed back at ('them', 'everything'), into a result noun ('put them in a table', 'drop it all into a list') is one step over every item, not one per item.")
def gathered_into(t: Tree, own: Sequence[int], fw: FaninWords) -> bool:
    """"Look up the hours of each shop (A, B, C) and put them in a table." The
    object points back at what the work before found ("them", "everything",
    "it all"), and a phrase puts it into a result noun ("in a table", "into
    one list", ``[fanin] results``) with no article of a thing already there:
    one result made of every item's, so one step after them. "put each in a
    table" says per item; "put them in the shared folder" names no result.
    """
    lows = t.lows(own)
    if any(w in ("each", "per", "every") for w in lows):
        return False
    back = next((x for x, k in enumerate(own) if t.low(k) in _BACK), None)
    if back is None:
        return False
    for x in range(back + 1, len(own)):
        if lows[x] not in _INTO:
            continue
        for y in range(x + 1, min(x + 4, len(own))):
            k = own[y]
            if t.words[k].upos in ("NOUN", "PROPN"):
                return (t.lemma(k) in fw.results or t.low(k) in fw.results) and not any(lows[z] in _DEFINITE for z in range(x + 1, y))
    return False
