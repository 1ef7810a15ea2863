"""O341: a request written after another that says it goes first runs before it.

"Send the newsletter on Friday. Proofread it first." "Book the hotel. But
first check the flights." "Replace the tyres, but check the tread depth
first." The text names the later request second and then says that it comes
first; the default readings (the step before, a pronoun hand-off, the learned
order model) put it after the request before it, the wrong way round. This
pass runs after them: the request written before waits for the one that says
it goes first, which takes its place in the sequence.

It reads only requests in a sentence of their own, or after "but", ";" or a
dash: after a plain "and" a trailing "first" scopes a place or a version
("propose the fix and try it in staging first"). A "first" on another verb
("whichever finishes first") or on a statement with a subject of its own ("we
will need to ask first") is not this reading. The word lists are
``[order_first]`` in ``rules/parse.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from planner import tomlcache
from planner.errors import RuleFileError
from planner.parser.clauses import Pred
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import PARSE_TOML, word_phrases, word_set

doc_only(
    "O341", "goes-first",
    "A request written after another that says it goes first ('X. Do Y first.', 'X. But first Y.', 'X, but Y first') runs before the request before it.",
    """"Send the newsletter on Friday. Proofread it first": the proofreading
    comes before the sending, though it is written after it. The request
    before waits for this one, and this one takes that request's place after
    the work before both. Only a request in its own sentence or after "but",
    ";" or a dash reads so: "propose the fix and deploy it in staging first"
    keeps its order (the "first" says where, not when).""",
)


doc_only(
    "O382", "before-all-that",
    "A request opened by words that put it ahead of everything said before ('X, Y and Z. But before all that, W', 'before any of this, W') runs before all the requests written before it, not only the last.",
    """"Paint the fence, stain the deck and oil the gate. But before all that,
    sand everything down": the sanding comes before all three jobs, though it
    is written last. O341 reads a request that says it goes first as going
    before the request (or the sentence) just before it; "all that", "any of
    this", "everything else" reach back over all the work written before,
    across sentences, up to a question or a group of parallel work. The
    requests written before wait for this one, and their order among
    themselves stays. The phrases are ``before_all`` in ``[order_first]`` of
    ``rules/parse.toml``.""",
)


@dataclass(frozen=True)
class FirstWords:
    """The word lists of ``[order_first]``."""

    trailing: tuple[tuple[str, ...], ...]
    leading: tuple[tuple[str, ...], ...]
    contrast: frozenset[str]
    before_all: tuple[tuple[str, ...], ...] = ()  # O382: ahead of all the work written before


def first_words_from_table(data: object) -> FirstWords:
    table = data.get("order_first", {}) if isinstance(data, dict) else {}
    if not isinstance(table, dict):
        raise RuleFileError("[order_first] must be a table", path="rules/parse.toml")
    return FirstWords(
        trailing=word_phrases(table, "trailing", "order_first", PARSE_TOML),
        leading=word_phrases(table, "leading", "order_first", PARSE_TOML),
        contrast=word_set(table, "contrast", "order_first", PARSE_TOML),
        before_all=word_phrases(table, "before_all", "order_first", PARSE_TOML),
    )


@cache
def load_first_words() -> FirstWords:
    return first_words_from_table(tomlcache.read_builtin("parse.toml", "parser settings"))


class DraftLike(Protocol):
    """What this pass reads of a draft (``assemble.Draft``)."""

    pred: Pred
    span: tuple[int, int]
    codes: list[str]
    group: str | None
    stage: int | None
    after: set[int]


def _at(lows: Sequence[str], k: int, phrase: tuple[str, ...]) -> bool:
    return tuple(lows[k : k + len(phrase)]) == phrase


def _own_request(t: Tree, v: int, opening: range = range(0)) -> bool:
    """The verb asks for work itself: no subject but "you", no modal ("we will need to ask first").
    A "subject" inside the ``opening`` phrase is the tagger's misreading of it ("before any
    of that, sand it": "any" is no subject)."""
    subj = [s for s in t.children(v, "nsubj", "nsubj:pass") if s not in opening]
    if any(t.low(s) != "you" for s in subj):
        return False
    return not any(t.words[a].upos == "AUX" and t.low(a) not in ("do", "please") for a in t.children(v, "aux"))


def says_first(t: Tree, p: Pred, fw: FirstWords) -> bool:
    """The request's own words say it goes first: a trailing "first" on its verb, or an
    opening "but first" / "before that"."""
    v = p.anchor if p.anchor >= 0 else p.i
    lows = t.lows()
    sub = sorted(t.subtree(v))
    lo = sub[0]
    opening = next((range(k, k + len(ph)) for ph in fw.before_all for k in range(lo, v) if _at(lows, k, ph)), range(0))
    if p.kind not in ("verb", "noun") or not _own_request(t, v, opening):
        return False
    # an opening phrase, from the clause's first word up to the verb
    if any(_at(lows, k, ph) for ph in (*fw.leading, *fw.before_all) for k in range(lo, v)):
        return True
    # a trailing word hung on the verb itself, after it ("proofread it first")
    for c in t.children(v, "advmod", "obl", "advcl"):
        if c < v:
            continue
        start = min(t.subtree(c))
        if any(_at(lows, start, ph) for ph in fw.trailing):
            return True
    return False


def says_before_all(t: Tree, p: Pred, fw: FirstWords) -> bool:
    """O382: the request opens with words that put it ahead of all the work written before
    it ("But before all that, sand it down"), not only the request just before."""
    v = p.anchor if p.anchor >= 0 else p.i
    lows = t.lows()
    lo = min(t.subtree(v))
    return any(_at(lows, k, ph) for ph in fw.before_all for k in range(lo, v))


def _apart(text: str, prev: DraftLike, d: DraftLike, fw: FirstWords) -> bool:
    """The request stands apart from the one before: its own sentence, or after "but", ";", a dash."""
    if d.pred.tree is not prev.pred.tree:
        return True
    gap = text[prev.span[1] : d.span[0]].lower().replace(",", " ").split()
    return any(g in fw.contrast for g in gap)


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


def goes_first(drafts: Sequence[DraftLike], text: str, fw: FirstWords | None = None) -> list[int]:
    """Turn round the wait between a request that says it goes first and the work before it (O341).

    After "but" or ";" in one sentence the work before is the request just before; after a
    sentence of requests, the whole sentence ("Write the report and send it. Collect the
    figures first."). The requests chained on in the request's own sentence ("Measure the
    room first, then pick a supplier") go first with it.
    """
    fw = fw or load_first_words()
    changed: list[int] = []
    for k in range(1, len(drafts)):
        d, prev = drafts[k], drafts[k - 1]
        if any(x.group is not None or x.stage is not None for x in (d, prev)):
            continue
        if not says_first(d.pred.tree, d.pred, fw) or not _apart(text, prev, d, fw):
            continue
        if prev.pred.kind == "question":
            continue  # "Is it X or Y? Figure that out first": the work answers the question
        own = d.pred.tree is not prev.pred.tree
        every = says_before_all(d.pred.tree, d.pred, fw)
        lo = k - 1
        while lo > 0 and drafts[lo - 1].group is None and (
            (own and drafts[lo - 1].pred.tree is prev.pred.tree)
            # O382: "... but before all that, X": X goes ahead of every request written before it
            or (every and drafts[lo - 1].stage is None and drafts[lo - 1].pred.kind != "question")
        ):
            lo -= 1
        went = set(range(lo, k))  # the work this request goes before
        roots = [j for j in sorted(went) if not drafts[j].after & went]
        earlier = set().union(*(drafts[j].after for j in roots)) - went
        mine = (d.after - went) | earlier
        if went & _ancestors_of(drafts, mine):
            continue  # the request still uses that work through other steps: leave it
        end = k  # the last request chained on in this request's own sentence
        while end + 1 < len(drafts) and _chained(drafts[end + 1], d, end, went):
            end += 1
            drafts[end].after = {end - 1}  # "..., then pick a supplier": in order, before the work
        d.after = mine
        for j in roots:
            drafts[j].after = (drafts[j].after - earlier) | {end}
        d.codes.append("O341")
        if every and lo < k - 1:
            d.codes.append("O382")
        changed.append(k)
    return changed


def _chained(nxt: DraftLike, d: DraftLike, end: int, went: set[int]) -> bool:
    """The next request follows on from the one that goes first ("first, then pick a
    supplier", "Figure it out first; then retrain"): it goes before the work too."""
    if end not in nxt.after or not nxt.after <= went | {end}:
        return False
    return nxt.pred.tree is d.pred.tree or "next" in nxt.pred.markers


def _ancestors_of(drafts: Sequence[DraftLike], start: set[int]) -> set[int]:
    out = set(start)
    for j in start:
        out |= _ancestors(drafts, j)
    return out
