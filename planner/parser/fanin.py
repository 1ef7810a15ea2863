"""O319-O321: the step that closes parallel work waits for every item of it.

After work done once per item ("check the certs for A, B and C"), a later
request that puts the results together ("list which ones expire", "one table
at the end", "give me a single list", "tell me which is fastest") needs every
item's result, not only the last one's. The order readings before this pass
(hand-offs, lifecycle defaults, the learned order model) often link it to the
item written last, or to nothing. This pass runs after them and adds the
missing waits; it never removes a wait.

A step closes the parallel work when its role joins results (synthesize,
compare, decide, integrate: O319), or when its verb hands results over or
sets them out ("give", "list", "put", "send", "tell", "write", ...) and its own
words name a joined result ("a table", "a single list", "one doc"), ask which
of the items ("which ones", "the winner"), point at all of them ("them",
"everything", "the results") or place it at the end ("at the end") (O320).
A step that starts work of its own after the items ("and also renew the
domain", "separately, book a room") does not wait: the markers that start an
independent line (O307, O316, O317) keep it apart (O321 documents that side).
The word classes are ``[fanin]`` in ``rules/words.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from planner import tomlcache
from planner.errors import RuleFileError
from planner.parser.clauses import Pred
from planner.parser.combining import combines
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import has_phrase, word_phrases, word_set

doc_only(
    "O319", "closing-join",
    "A step that joins results (summarise, compare, decide, combine) after work done once per item waits for every item, not only the last.",
    """"Benchmark A, B and C on our workload and tell me which one is fastest":
    the verdict needs all three results. The learned order model and the
    hand-off readings may link such a step to the item written last only;
    this reading adds the waits on the others (the ends of each item's work,
    where items run in several stages).""",
)
doc_only(
    "O320", "closing-report",
    "After work once per item, a request that sets the results out ('a single list', 'one table at the end', 'list which ones ...', 'send me the results') waits for every item.",
    """Verbs that hand over or set out a result ("give", "list", "put",
    "send", "write", "show") do not join by their meaning; what they are asked
    to produce does: one table, a single list, which of the items, all of
    them, the results, the summary at the end. Such a step closes the parallel
    work and waits for each item's result.""",
)
doc_only(
    "O322", "one-for-all",
    "A step that makes one result for all the items ('write one bug list for all three', 'a single table for the four sites') is one step after them, not one per item.",
    """"For all three", "for the four sites" point at the items, and would
    hand the step to each of them; a result said to be one ("one list", "a
    single table", "a combined sheet") is made once, from every item's
    result. The step waits for all of them (O320). "One table per site" or
    "a summary for each" still makes one per item.""",
)
doc_only(
    "O321", "not-closing",
    "Work started after the items that names no joined result ('check A and B, and also renew the domain') does not wait for them.",
    """The closing readings (O319, O320) need a step that works on the items'
    results. A request marked as separate ("also", "separately", "meanwhile",
    a file of its own) or one whose words name no joined result is a new
    errand: it keeps the order the other readings gave it.""",
)


@dataclass(frozen=True)
class FaninWords:
    """The word classes of ``[fanin]``."""

    verbs: frozenset[str]  # verbs that hand over or set out a result
    results: frozenset[str]  # nouns naming one joined result ("table", "list")
    containers: frozenset[str]  # nouns that hold one only when said to be one ("one doc", "a single sheet")
    single: frozenset[str]  # words that make a result one ("one", "single", "combined")
    which: frozenset[str]  # words asking which of the items ("which", "winner")
    all_of: frozenset[str]  # words pointing at all the results ("them", "everything")
    end: tuple[tuple[str, ...], ...]  # phrases placing the step at the end


def fanin_words_from_table(data: object) -> FaninWords:
    table = data.get("fanin", {}) if isinstance(data, dict) else {}
    if not isinstance(table, dict):
        raise RuleFileError("[fanin] must be a table", path="rules/words.toml")
    return FaninWords(
        verbs=word_set(table, "verbs", "fanin"),
        results=word_set(table, "results", "fanin"),
        containers=word_set(table, "containers", "fanin"),
        single=word_set(table, "single", "fanin"),
        which=word_set(table, "which", "fanin"),
        all_of=word_set(table, "all_of", "fanin"),
        end=word_phrases(table, "end", "fanin"),
    )


@cache
def load_fanin_words() -> FaninWords:
    return fanin_words_from_table(tomlcache.read_builtin("words.toml", "word classes"))


class DraftLike(Protocol):
    """What this pass reads of a draft (``assemble.Draft``)."""

    pred: Pred
    span: tuple[int, int]
    verb: str
    role: str
    codes: list[str]
    group: str | None
    stage: int | None
    after: set[int]


# Roles whose work joins results (as in assemble._JOINING).
_JOINING = frozenset({"synthesize", "compare", "decide", "integrate"})
# Readings that start a line of work of its own: such a step is a new errand (O321).
_OWN_LINE = frozenset({"O307", "O316", "O317", "I206"})


def _own_words(d: DraftLike) -> list[int]:
    """The words of the draft's own request: its span in its tree."""
    t = d.pred.tree
    lo, hi = d.span
    own = [k for k in range(len(t)) if lo <= t.words[k].start and t.words[k].end <= hi]
    return own or [d.pred.i]


def _asks_which(t: Tree, k: int, fw: FaninWords) -> bool:
    """"list which ones expire", "the winner"; not the relative "X, which may matter"."""
    if t.low(k) not in fw.which and t.lemma(k) not in fw.which:
        return False
    if t.low(k) in ("which", "whichever") and k > 0:
        return t.words[k - 1].text not in (",", "(", "-") and t.words[k - 1].upos not in ("NOUN", "PROPN")
    return True


# Words that hand the result out once per item ("one table per site", "a summary for each").
_PER_ITEM = frozenset({"each", "per", "every", "respectively", "individually", "separately"})
# Words that take the items as one whole: "for all three", "for both", "across them".
_WHOLE = frozenset({"all", "both", "them", "together", "across", "everything", "combined", "whole"})


def _joined(t: Tree, own: Sequence[int], fw: FaninWords) -> bool:
    """The words name one result made of all the items' results ("a summary", "one doc")."""
    lemmas = {t.lemma(k) for k in own} | {t.low(k) for k in own}
    return (bool(lemmas & fw.results) and bool(lemmas & fw.single)) or (
        bool(lemmas & fw.containers) and bool(lemmas & (fw.single - {"a", "an"}))
    )


def one_for_all(d: DraftLike, fw: FaninWords | None = None) -> bool:
    """O322: "write one bug list for all three": a step that makes one result of every
    item is one step over the items, not one per item, though it names them."""
    fw = fw or load_fanin_words()
    t = d.pred.tree
    own = _own_words(d)
    if any(t.low(k) in _PER_ITEM for k in own):
        return False
    strong = fw.single - {"a", "an"}
    # the step names the items as one whole ("for all three", "for both", "across them"):
    # a list reference read by other means may still be work for each item
    whole = any(t.low(k) in _WHOLE for k in own)
    return whole and _joined(t, own, fw) and any(t.low(k) in strong for k in own) and (d.verb in fw.verbs or d.role in _JOINING)


def _closing(d: DraftLike, fw: FaninWords) -> str | None:
    """The code of the reading that makes ``d`` close parallel work, if one does."""
    if d.group is not None or d.stage is not None:
        return None
    if d.pred.markers & {"parallel", "also"} or any(c in _OWN_LINE for c in d.codes):
        return None  # O321: "and also renew the domain", "separately, ..."
    t = d.pred.tree
    own = _own_words(d)
    lows = t.lows(own)
    lemmas = {t.lemma(k) for k in own} | set(lows)
    # "a summary", "one table"; a container only when said to be one: "one doc", not "a doc"
    joined = _joined(t, own, fw)
    asks = any(_asks_which(t, k, fw) for k in own) or bool(lemmas & fw.all_of) or any(has_phrase(lows, p) for p in fw.end)
    if d.role in _JOINING:
        return "O319"
    if {"I430", "I431"} & set(d.codes):
        return next(c for c in ("I430", "I431") if c in d.codes)  # "once both are out, ...": it meets them all
    if "I390" in d.codes or combines(t, own, d.verb):
        return "I390"  # "..., score them and recommend": its work combines all of them
    head = t.words[d.pred.i]
    if d.verb in fw.verbs and (joined or asks):
        return "O320"
    if d.pred.kind == "question" and any(_asks_which(t, k, fw) for k in own):
        return "O320"  # "...; which is fastest?": the question asks which of the items
    if head.upos in ("NOUN", "PROPN") and t.lemma(d.pred.i) in fw.results | fw.containers and (joined or asks):
        return "O320"  # a verbless line: "one table at the end"
    return None


def _ancestors(drafts: Sequence[DraftLike], k: int) -> set[int]:
    seen: set[int] = set()
    todo = list(drafts[k].after)
    while todo:
        j = todo.pop()
        if j in seen or j >= len(drafts):
            continue
        seen.add(j)
        todo.extend(drafts[j].after)
    return seen


def _item_ends(drafts: Sequence[DraftLike], k: int, group: str) -> list[int]:
    """The open ends of the group's work before draft ``k``: each item's last step,
    or a later step that already works on it and that nothing before ``k`` waits for."""
    members = [j for j in range(k) if drafts[j].group == group]
    reach = set(members)
    for j in range(members[0], k):
        if j not in reach and drafts[j].after & reach and not any(c in _OWN_LINE for c in drafts[j].codes):
            reach.add(j)
    waited = {a for j in range(members[0], k) for a in drafts[j].after}
    return [j for j in sorted(reach) if j not in waited]


def closing_waits(drafts: Sequence[DraftLike], fw: FaninWords | None = None) -> list[tuple[int, str]]:
    """Add the waits of steps that close parallel work; (draft, code) for each one changed."""
    fw = fw or load_fanin_words()
    changed: list[tuple[int, str]] = []
    for k, d in enumerate(drafts):
        if k == 0:
            continue
        group = next((drafts[j].group for j in range(k - 1, -1, -1) if drafts[j].group is not None), None)
        if group is None or sum(1 for j in range(k) if drafts[j].group == group) < 2:
            continue
        code = _closing(d, fw)
        if code is None:
            if d.group is None and any(c in _OWN_LINE for c in d.codes) and not d.after & set(range(k)):
                d.codes.append("O321")  # a new errand after the items: it waits for none of them
                changed.append((k, "O321"))
            continue
        before = _ancestors(drafts, k)
        ends = [j for j in _item_ends(drafts, k, group) if j not in before]
        members = [j for j in range(k) if drafts[j].group == group]
        if not ends or all(j in before for j in members):
            if code == "I390" and code not in d.codes:
                d.codes.append(code)  # it waits for every item already; the code still says it joins them
                changed.append((k, code))
            continue
        d.after.update(ends)
        if code not in d.codes:
            d.codes.append(code)
        changed.append((k, code))
    return changed
