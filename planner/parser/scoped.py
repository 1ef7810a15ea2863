"""Work under places named by a preposition is one stream per place (I332).

"In the Python SDK rename the client then update the docs; in the Go SDK, the
same", "On the Android app, swap the icon and rebuild. On the iOS app, swap the
icon, rebuild and resubmit": each part opens with the same preposition and a
name, then says its work. Like labels with a colon (I213), each name is a
thing the work is done on, and the parts run side by side. A part that only
says its work is the same ("the same", "likewise", "same thing") goes
through the stages of the part before it.

Parts that open on a time ("on Monday", "in the morning") are done one after
another, and phrases that frame the text ("in parallel", "in short", "at the
end") name nothing: [scopes] in rules/words.toml lists both, with the
prepositions that open a part.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from planner import lazyre
from planner.parser.model import Group
from planner.parser.readings import doc_only
from planner.parser.words import word_sets

if TYPE_CHECKING:
    from planner.parser.assemble import _State
    from planner.parser.tree import Tree

doc_only(
    "I332", "places-as-streams",
    "Parts that each open with the same preposition and a name ('in the Python SDK rename X then update Y; in the Go SDK, the same'), or with a list mark and a name ('a) site: ... b) docs: ...'), are one stream per name; a part that says 'the same' copies the stages before it.",
    """Two parts or more of the text (sentences, clauses after ";", or
    after a comma before the preposition that opened the sentence) open
    with the same preposition ([scopes] openers in rules/words.toml:
    "in", "on", "at", "inside", "within", "for") and a name of
    up to six words, closed by a comma or by the part's first step; or
    they are parts of a list marked inside one sentence ("a) marketing
    site: update ..., then redeploy b) docs site: fix ..."), the marks
    counting up from "a" or "1", each mark followed by a name and a
    colon. The
    steps of each part are the stages of one stream named by that name,
    in order. A part with no step of its own whose words say the work is
    the same ([parallel] same_work: "the same", "same thing", "likewise")
    goes through the stages of the part before it. Lines that each open
    on a bare name before an arrow ("kitchen -> get quotes -> pick a
    builder", two lines or more in a row) are streams named so too. Names of times ("on
    Monday", "in the morning") and framing phrases ("in parallel", "at
    the end") are no names ([scopes] not_names); names must differ, one
    part must have two steps or more, and no step may already belong to
    another group.""",
)

# Words a place name may hold ("the Go SDK", "our staging cluster", "`billing`", "v2 of the app").
_NAME_TAGS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "DET", "X", "SYM", "PART"})
# A name longer than this is a clause, not a place.
_MAX_NAME = 6


@cache
def _scopes() -> tuple[frozenset[str], ...]:
    return word_sets("scopes", "openers", "not_names")


# The marks of a list written inside a sentence, in the order they count ("a)", "(2)").
_MARKS = ("abcdefgh", "12345678")


def _inline_marks(t: Tree, opened: str = "") -> list[int]:
    """Where the parts of a list marked inside the sentence start ("a) site: ... b) docs: ..."),
    when its marks count up from "a" or "1" with no gap: the word after each mark. ``opened`` is
    the mark the layout took off the sentence's start ("a" of "a) site: ..."), if any."""
    found: list[tuple[int, str]] = [(0, opened)] if opened else []
    for k in range(len(t) - 1):
        x = t.low(k)
        if len(x) == 1 and x.isalnum() and t.words[k + 1].text == ")":
            found.append((k + 2, x))
    for marks in _MARKS:
        run = [at for at, x in found if x in marks]
        said = [x for _, x in found if x in marks]
        if len(run) >= 2 and "".join(said) == marks[: len(said)]:
            return run
    return []


# The mark of a list item the layout took off before the item's words ("a) ", "(1) ", "2. ").
_OPENING_MARK = lazyre.compile(r"\(?([a-h1-8])[).]\s*$", re.IGNORECASE)


def _marks_of(st: _State, t: Tree) -> list[int]:
    unit = st.front.units[t.unit]
    opened = ""
    if unit.numbered and t.words and st.front.text[unit.start : t.words[0].start].strip() == "":
        m = _OPENING_MARK.search(st.front.text[max(0, unit.start - 5) : unit.start])
        opened = m.group(1).lower() if m else ""
    return _inline_marks(t, opened)


def _part_starts(st: _State, t: Tree) -> list[int]:
    """Where the sentence's parts start: its first word, the word after each ";", and each inline mark."""
    openers, _ = _scopes()
    # "Before 2.0: in the Python SDK, ...": after a heading's colon, a part opened by a preposition
    headed = [k + 1 for k in range(len(t) - 1) if t.words[k].text in (":", "-", "—", "–") and t.low(k + 1) in openers]
    # "in staging restart X then check Y, in prod do the same": a comma before the preposition that
    # opened the sentence (or its first part after a heading) starts a part too
    opened = {t.low(k) for k in [0, *headed[:1]] if k < len(t) and t.low(k) in openers}
    again = (k + 1 for k in range(len(t) - 1) if t.words[k].text == "," and t.low(k + 1) in opened)
    starts = {0, *(k + 1 for k in range(len(t) - 1) if t.words[k].text == ";"), *headed, *again, *_marks_of(st, t)}
    return sorted(s for s in starts if s < len(t))


def _place(st: _State, t: Tree, s: int, heads: set[int]) -> tuple[str, str, tuple[int, int], int] | None:
    """(preposition, name, span of the name, word after the name) of a part opening at ``s``."""
    openers, not_names = _scopes()
    marked = s in _marks_of(st, t)
    while s < len(t) and (t.words[s].upos in ("CCONJ", "PUNCT") or t.low(s) in ("and", "then", "also")):
        s += 1
    if marked and s < len(t):
        s -= 1  # "b) docs site: fix ...": the mark opens the part, the name follows it
        prep = ")"
    elif s >= len(t) or t.low(s) not in openers:
        return None
    else:
        prep = t.low(s)
    k = s + 1
    while k < len(t) and k - s <= _MAX_NAME and k not in heads and t.words[k].text not in (",", ":", ";"):
        if t.words[k].upos not in _NAME_TAGS and st.front.text[t.words[k].start] != "`":
            return None
        k += 1
    if k >= len(t) or k == s + 1 or k - s > _MAX_NAME + 1:
        return None
    if t.words[k].text not in (",", ":") and k not in heads:
        return None
    if prep == ")" and t.words[k].text != ":":
        return None  # a marked part names its thing before a colon ("b) docs site: ...")
    lo = s + 1
    while lo < k and t.words[lo].upos == "DET":
        lo += 1
    if lo >= k or not any(t.words[j].upos in ("NOUN", "PROPN", "X") or st.front.text[t.words[j].start] == "`" for j in range(lo, k)):
        return None
    said = " ".join(t.low(j) for j in range(s + 1, k))
    if said in not_names or any(t.low(j) in not_names or t.lemma(j) in not_names for j in range(lo, k)):
        return None
    span = (t.words[lo].start, t.words[k - 1].end)
    return prep, st.front.text[span[0] : span[1]], span, k


def _says_same(st: _State, t: Tree, lo: int, hi: int) -> bool:
    same = st.words.same_work
    return any(t.low(k) in same or t.lemma(k) in same for k in range(lo, hi))


def scoped_streams(st: _State) -> None:
    """I332: parts opened by the same preposition and a name are one stream per name."""
    drafts = st.drafts
    # every part of the text, in order: (tree, first word, end word, place or None)
    parts: list[tuple[Tree, int, int, tuple[str, str, tuple[int, int], int] | None]] = []
    for t in st.trees:
        heads = {d.pred.i for d in drafts if d.pred.tree is t}
        starts = _part_starts(st, t)
        for a, b in zip(starts, [*starts[1:], len(t)], strict=True):
            parts.append((t, a, b, _place(st, t, a, heads)))
    k = 0
    while k < len(parts):
        opening = parts[k][3]
        if opening is None:
            k += 1
            continue
        prep = opening[0]
        run = [k]
        j = k + 1
        while j < len(parts) and (p := parts[j][3]) is not None and p[0] == prep:
            run.append(j)
            j += 1
        k = j
        if len(run) >= 2:
            _make(st, [parts[x] for x in run])
    chain_heads(st)


def _make(st: _State, run: list[tuple[Tree, int, int, tuple[str, str, tuple[int, int], int] | None]]) -> None:
    drafts = st.drafts
    names: list[tuple[str, tuple[int, int]]] = []
    members: list[list[int]] = []
    same: list[bool] = []
    for t, _, b, place in run:
        assert place is not None
        _, name, span, after = place
        mine = [n for n, d in enumerate(drafts) if d.pred.tree is t and after <= d.pred.i < b]
        names.append((name, span))
        members.append(mine)
        same.append(not mine and _says_same(st, t, after, b))
    _streams(st, names, members, same)


def chain_heads(st: _State) -> None:
    """I332: lines that each open on a bare name before an arrow ("kitchen -> get quotes -> pick a
    builder") are one stream per name, when two lines or more in a row do so."""
    trees = [t for t in st.trees if t.words]
    heads: list[tuple[tuple[str, tuple[int, int]], list[int]]] = []
    for n, t in enumerate(trees):
        units = st.front.units
        nxt = trees[n + 1] if n + 1 < len(trees) else None
        if units[t.unit].chained or nxt is None or not units[nxt.unit].chained:
            continue
        name = _bare_name(st, t, len(t))
        chain = [t]
        for x in trees[n + 1 :]:
            if not units[x.unit].chained:
                break
            chain.append(x)
        ids = {id(x) for x in chain[1:]}
        if name is None and n > 0 and trees[n - 1].unit == t.unit and (colon := _label_colon(trees[n - 1])) is not None:
            # "- frontend: 1. lint -> 2. build": the label and its first mark are a sentence of their own
            name = _bare_name(st, trees[n - 1], colon)
            ids.add(id(t))
        mine = [k for k, d in enumerate(st.drafts) if id(d.pred.tree) in ids]
        if name is None or not mine:
            if len(heads) >= 2:
                _streams(st, [h for h, _ in heads], [m for _, m in heads], [False] * len(heads))
            heads = []
            continue
        heads.append((name, mine))
    if len(heads) >= 2:
        _streams(st, [h for h, _ in heads], [m for _, m in heads], [False] * len(heads))


def _label_colon(t: Tree) -> int | None:
    """The colon of a sentence that is only a label, its colon and a list mark ("frontend: 1.")."""
    colon = next((k for k in range(len(t)) if t.words[k].text in (":", "：")), None)
    if colon is None or colon == 0:
        return None
    rest = [k for k in range(colon + 1, len(t)) if t.words[k].upos != "PUNCT"]
    if len(rest) > 1 or any(len(t.words[k].text) > 2 or not t.words[k].text.isalnum() for k in rest):
        return None
    return colon


def _bare_name(st: _State, t: Tree, end: int) -> tuple[str, tuple[int, int]] | None:
    """``t[:end]`` is only a name of a few words ("kitchen", "the `billing` service") and no step."""
    if any(d.pred.tree is t for d in st.drafts):
        return None
    idx = [k for k in range(end) if t.words[k].upos != "PUNCT" or st.front.text[t.words[k].start] == "`"]
    while idx and t.words[idx[0]].upos == "DET":
        idx.pop(0)
    if not idx or len(idx) > _MAX_NAME - 2:
        return None
    if any(t.words[k].upos not in _NAME_TAGS for k in idx):
        return None
    if not any(t.words[k].upos in ("NOUN", "PROPN", "X") for k in idx):
        return None
    span = (t.words[idx[0]].start, t.words[idx[-1]].end)
    return st.front.text[span[0] : span[1]].strip(), span


def _streams(st: _State, names: list[tuple[str, tuple[int, int]]], members: list[list[int]], same: list[bool]) -> None:
    """One stream per name over its parts' steps; a part that says "the same" copies the part before."""
    drafts = st.drafts
    if len({n.lower() for n, _ in names}) < len(names):
        return
    if any(drafts[n].group is not None for m in members for n in m):
        return
    if any(not m and not s for m, s in zip(members, same, strict=True)) or same[0]:
        return  # a part with no work that does not copy the work before it: not a stream
    if max(len(m) for m in members) < 2:
        return  # one step each: items side by side, read elsewhere
    # no step may stand between the parts: the run covers every step from its first to its last
    flat = [n for m in members for n in m]
    if flat != list(range(flat[0], flat[-1] + 1)):
        return
    gid = f"g{len(st.groups) + 1}"
    out = list(drafts[: flat[0]])
    source: list[int] = []
    for (name, span), mine, copy in zip(names, members, same, strict=True):
        if copy:
            out.extend(replace(drafts[n], item=name, item_span=span, group=gid, stage=stage, after=set(),
                               codes=[*drafts[n].codes, "I332"]) for stage, n in enumerate(source))
            continue
        for stage, n in enumerate(mine):
            d = drafts[n]
            d.item, d.item_span, d.group, d.stage = name, span, gid, stage
            d.codes.append("I332")
            out.append(d)
        source = mine
    out.extend(drafts[flat[-1] + 1 :])
    st.drafts = out
    first = drafts[flat[0]]
    st.groups.append(Group(id=gid, kind="streams", names=tuple(n for n, _ in names), count=len(names), counted="",
                           verb=first.verb, role=first.role, steps=(), stages=()))
