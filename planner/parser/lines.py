"""Separate lines of work as streams (I260): one stream per job the text writes out.

The order passes already find where a new, independent line of work starts
(O317: a request that opens on a file of its own; O307: "and also",
"separately", "meanwhile" before work that waits for nothing). This pass runs
after them and names what they found: each line becomes a stream of the
group, named by the line's label, else the first file the line names, else
the thing its first step works on, its steps being the stream's stages in
order. A step after the lines that waits on them (a join) stays outside.

It only groups: the order the passes settled is not changed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from planner.parser.model import Fired, Group
from planner.parser.readings import doc_only

if TYPE_CHECKING:
    from planner.parser.assemble import Draft, _State
    from planner.parser.tree import Tree

doc_only(
    "I260", "lines-as-streams",
    "Separate lines of work written one after another ('transcribe a.mp3 and summarise it, and also take b.mov, grab stills and caption them') are one stream per line, named by its label or its file.",
    """Where the order readings start a new line of work that waits for
    nothing before it (O317: a request opening on a file of its own after
    work on another file; O307: "also", "separately", "meanwhile"), each
    line is a job of its own: its steps are the stages of one stream, and
    the streams run side by side. A clause of its own whose doer is
    named and differs from the doer of the line before ("the network
    team must patch ...; the database team must copy ...") starts a line
    too, when no reading orders it after the work before. A stream is
    named by the label its line opens with ("(b) audio: ...") when every
    line has one, else by its doer when every line names one, else by
    the first file the line names ("intro.wav"), else by the head of its
    first step's object ("the invite design"). A later step that waits on the lines ("then send
    both to Tom") joins them and belongs to no stream. There must be two
    lines or more, one of them with two steps or more, and no step of the
    lines may already be an item of another group.""",
)

# Words left off the front of a name taken from an object ("the invite" -> "invite").
_LEAD = frozenset({"the", "a", "an", "my", "our", "your", "his", "her", "their", "this", "that", "these", "those", "some"})


def line_streams(st: _State) -> dict[int, tuple[int, int]]:
    """I260: the separate lines of work the order passes found, as one streams group; for each
    draft put in a stream (by ``id``), the span of its stream's name (see ``place_streams``)."""
    named_at: dict[int, tuple[int, int]] = {}
    drafts = st.drafts
    starts = _line_starts(st)
    if len(starts) < 2:
        return named_at
    bounds = [*starts, len(drafts)]
    lines: list[list[int]] = []
    join: int | None = None
    for a, b in itertools.pairwise(bounds):
        members = [a]
        for k in range(a + 1, b):
            # a step that waits on work outside its line joins lines: the line ends before it
            if any(j < a for j in drafts[k].after):
                break
            if b == len(drafts) and _joins(st, k):
                join = k
                break
            members.append(k)
        lines.append(members)
    if any(drafts[k].group is not None for line in lines for k in line):
        return named_at  # items or streams the text names inside a line keep their own group
    if max(len(line) for line in lines) < 2:
        return named_at  # errands of one step each: side by side, but no stages to put in order
    # a label names its line only when every line has one: "Before my trip: find flights ...;
    # separately, book a table" heads the whole request, not its first line
    labelled = [_line_label(st, line) for line in lines]
    if not all(labelled):
        # "the network team must ...; the database team must ...": the doers name the lines
        labelled = [_doer(st, drafts[line[0]]) for line in lines]
    names = labelled if all(labelled) else [_line_name(st, line) for line in lines]
    if any(n is None for n in names):
        return named_at
    named = [(n, line) for n, line in zip(names, lines, strict=True) if n is not None]
    if len({n[0].lower() for n, _ in named}) < len(named):
        return named_at  # two lines named alike would be one stream
    if join is not None:
        # "... Remind me to check both arrived": a new sentence on both results waits on every line
        drafts[join].after |= {line[-1] for line in lines}
        drafts[join].codes.append("I260")
    gid = f"g{len(st.groups) + 1}"
    for (name, span), line in named:
        for stage, k in enumerate(line):
            d = drafts[k]
            # like every stream's stages, each stands where its stream is named (set once the
            # K readings have read the drafts: they look for material at the steps' own words)
            d.item, d.group, d.stage = name, gid, stage
            named_at[id(d)] = span
            d.codes.append("I260")
    first = drafts[starts[0]]
    st.groups.append(Group(id=gid, kind="streams", names=tuple(n for (n, _), _ in named), count=len(named), counted="",
                           verb=first.verb, role=first.role, steps=(), stages=()))
    return named_at


def place_streams(st: _State, named_at: dict[int, tuple[int, int]]) -> None:
    """Each I260 stage stands where its stream is named, like the stages of other streams."""
    for d in st.drafts:
        if id(d) in named_at:
            d.item_span = named_at[id(d)]


def _joins(st: _State, k: int) -> bool:
    """Draft ``k`` opens a new sentence or list item and works on both or all results, or combines them."""
    from planner.parser.assemble import _JOINING, _refers_to_previous, _says_both

    d, prev = st.drafts[k], st.drafts[k - 1]
    t = d.pred.tree
    if t is prev.pred.tree:
        return False
    back, plural = _refers_to_previous(t, d.pred, st.words)
    return (back and plural) or _says_both(t, d.pred, st.words) or d.role in _JOINING


def _apart(st: _State, k: int) -> bool:
    """Work after "also" or "separately" starts a line of its own when it opens on a file of its own,
    or when the text says it runs apart ("separately", "meanwhile"). A bare "also" adds to the job
    at hand: "make the flag optional and also add a test for it", "look at fridge.jpg, list the
    food and also read the dates"."""
    from planner.parser.assemble import _named_inputs

    d = st.drafts[k]
    if "parallel" in d.pred.markers:
        return True
    before = set().union(*(_named_inputs(st, st.drafts[j]) for j in range(k)))
    mine = _named_inputs(st, d)
    return bool(mine) and not mine & before


def _first_of_line(st: _State, starts: set[int], k: int) -> int:
    return max((s for s in starts if s <= k), default=0)


def _opens_clause(st: _State, k: int) -> bool:
    """Draft ``k`` is the first of a new sentence, list item or clause after ";"."""
    d, prev = st.drafts[k], st.drafts[k - 1]
    verb_at = d.pred.tree.words[d.pred.i].start
    return d.pred.tree is not prev.pred.tree or ";" in st.front.view[prev.span[1] : verb_at]


def _doer(st: _State, d: Draft) -> tuple[str, tuple[int, int]] | None:
    """Who the step's clause says does it ("the network team must patch ..."), when it is a named thing."""
    t = d.pred.tree
    if d.pred.kind != "verb":
        return None
    a = d.pred.anchor if d.pred.anchor >= 0 else d.pred.i
    subj = t.child(a, "nsubj")
    if subj is None and t.rel(a) == "conj" and (h := t.head(a)) is not None:
        subj = t.child(h, "nsubj")  # "... must patch the routers and then test": the doer of the first verb
    if subj is None or t.words[subj].upos not in ("NOUN", "PROPN") or t.low(subj) in st.words.pronouns:
        return None
    idx = sorted(k for k in t.subtree(subj) if t.rel(k) not in ("punct", "acl", "acl:relcl", "appos") and k <= subj)
    while idx and t.words[idx[0]].upos == "DET":
        idx.pop(0)
    if not idx:
        return None
    span = (t.words[idx[0]].start, t.words[idx[-1]].end)
    return st.front.text[span[0] : span[1]], span


def _line_starts(st: _State) -> list[int]:
    """The first draft of every line of work, when the order passes found two or more."""
    drafts = st.drafts
    starts: set[int] = set()
    if st.lines:
        starts.add(st.lines[0][0])
        starts.update(k for _, k in st.lines)
    for k, d in enumerate(drafts):
        # "..., and also take clip.mp4, pull out frames": work that waits for nothing before it
        if k > 0 and "O307" in d.codes and not d.after and d.group is None and _apart(st, k):
            starts.add(k)
    # "the network team must patch ...; the database team must copy ...": a clause of its own
    # whose doer is named and differs from the doer before starts a line, when nothing orders it
    doers = [(k, _doer(st, d)) for k, d in enumerate(drafts)]
    for (j, a), (k, b) in itertools.pairwise(doers):
        d = drafts[k]
        if (a is not None and b is not None and a[0].lower() != b[0].lower() and not d.after and d.group is None
                and _opens_clause(st, k) and _doer(st, drafts[_first_of_line(st, starts, j)]) is not None):
            starts.add(k)
    if not starts:
        return []
    # the work before the first new line is a line too
    starts.add(0)
    return sorted(k for k in starts if not drafts[k].after)


def _line_label(st: _State, line: list[int]) -> tuple[str, tuple[int, int]] | None:
    """The label the line opens with ("(b) audio: trim ..."); "Two jobs:" counts the lines, it names none."""
    from planner.parser.assemble import _labels_of

    drafts = st.drafts
    first = drafts[line[0]]
    t = first.pred.tree
    heads = {d.pred.i for d in drafts if d.pred.tree is t}
    lo = _line_opening(st, line[0])
    labels = [(name, span) for mark, name, span in _labels_of(st, t, heads)
              if mark < first.pred.i and span[0] >= lo and not _counts_lines(name, st.words.number_words)]
    return labels[-1] if labels else None


def _line_name(st: _State, line: list[int]) -> tuple[str, tuple[int, int]] | None:
    """The first file the line names, else its first step's object."""
    from planner.parser.assemble import _FILE_NAME

    drafts = st.drafts
    first = drafts[line[0]]
    lo = _line_opening(st, line[0])
    hi = max(drafts[k].span[1] for k in line)
    for s, e in st.front.data:
        if lo <= s and e <= hi:
            name = st.front.text[s:e].strip("`'\"")
            if _FILE_NAME.fullmatch(name.lower()):
                return name, (s, e)
    return _object_name(st.front.text, first)


def _counts_lines(name: str, numbers: Mapping[str, int]) -> bool:
    """A label that counts what follows ("Two jobs", "3 workstreams this sprint") rather than naming it."""
    first = name.split()[0].lower() if name.split() else ""
    return first in numbers or first.isdigit()


def _line_opening(st: _State, k: int) -> int:
    """Where line ``k``'s own words start: after the step before, or at its sentence or list item."""
    d = st.drafts[k]
    t = d.pred.tree
    lo = st.front.units[t.unit].start if k == 0 else st.drafts[k - 1].span[1]
    return max(lo, t.words[0].start) if k == 0 or st.drafts[k - 1].pred.tree is not t else lo


def _object_name(text: str, d: Draft) -> tuple[str, tuple[int, int]] | None:
    """The head of the step's object with the words that make it a name ("the invite design")."""
    t = d.pred.tree
    # "make the invite design": a step named by a noun is about that noun's thing
    obj = d.pred.i if d.pred.kind in ("noun", "wanted") else t.child(d.pred.i, "obj")
    if obj is None or t.words[obj].upos not in ("NOUN", "PROPN", "X"):
        return None
    idx = [obj, *(c for c in t.children(obj, "compound", "flat", "nmod:poss") if c < obj)]
    for c in list(idx):
        idx.extend(x for x in t.subtree(c) if x < obj)
    idx = sorted(set(idx))
    while idx and t.low(idx[0]) in _LEAD:
        idx.pop(0)
    if not idx:
        return None
    lo, hi = t.words[idx[0]].start, t.words[idx[-1]].end
    return re.sub(r"\s+", " ", text[lo:hi]), (lo, hi)


doc_only(
    "I261", "bracketed-stages",
    "Things each followed by their own steps in brackets ('the sales deck (gather numbers, draft, proofread) and the hiring deck (collect quotes, draft, proofread)') are one stream per thing, the bracket's steps its stages.",
    """A bracket right after a name that holds steps says how that thing
    is done: its steps follow each other, and the things named that way
    in one sentence run side by side. The stream is named by the words
    just before the bracket, up to a verb, a preposition or a
    punctuation mark ("Gitlab to Github (export, ...)" is "Gitlab").
    There must be two such brackets or more, one of them with two steps
    or more; a bracket of one thing's details ("Grocery (Snowflake,
    dbt)") holds no steps and names no stream.""",
)

# Words a name before a bracket may hold ("the IT budget report", "Mrs Okafor's letter", "v2").
_NAME_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "DET", "PART", "X", "SYM"})


def bracket_streams(st: _State) -> None:
    """I261: steps in brackets after two or more names are one stream per name."""
    by_tree: dict[int, list[int]] = {}
    for k, d in enumerate(st.drafts):
        by_tree.setdefault(id(d.pred.tree), []).append(k)
    for ks in by_tree.values():
        t = st.drafts[ks[0]].pred.tree
        found: list[tuple[tuple[str, tuple[int, int]], list[int]]] = []
        for lo, hi in t.brackets():
            members = [k for k in ks if lo < st.drafts[k].pred.i < hi]
            if not members:
                continue
            before = _name_before(st.front.text, t, lo)
            if before is None or any(st.drafts[k].group is not None for k in members):
                found = []
                break
            found.append((before, members))
        if len(found) < 2 or max(len(m) for _, m in found) < 2:
            continue
        if len({n[0].lower() for n, _ in found}) < len(found):
            continue
        gid = f"g{len(st.groups) + 1}"
        for (label, span), members in found:
            for stage, k in enumerate(members):
                d = st.drafts[k]
                d.item, d.item_span, d.group, d.stage = label, span, gid, stage
                d.codes.append("I261")
        first = st.drafts[found[0][1][0]]
        st.groups.append(Group(id=gid, kind="streams", names=tuple(n for (n, _), _ in found), count=len(found), counted="",
                               verb=first.verb, role=first.role, steps=(), stages=()))


def _name_before(text: str, t: Tree, lo: int) -> tuple[str, tuple[int, int]] | None:
    """The name just before the bracket at ``lo``: the nominal words back to a verb or mark; of a
    phrase with prepositions ("Gitlab to Github", "the app for iOS") the first part names the thing."""
    def glued(j: int) -> bool:  # "how-to", "e-mail": pieces of one word written without spaces
        return (j + 1 < len(t) and t.words[j].end == t.words[j + 1].start and t.words[j + 1].text != "(") or (
            j > 0 and t.words[j - 1].end == t.words[j].start and t.words[j - 1].text in ("-", "/"))

    def modifier(j: int) -> bool:  # "the hiring post": a participle the tagger reads as a verb, inside the name
        return t.words[j].upos == "VERB" and t.low(j).endswith("ing") and j + 1 < lo and t.words[j + 1].upos in ("NOUN", "PROPN")

    def last_noun(j: int) -> bool:  # "the cluster runbook (", "the garden shed (": the name's head read as a verb
        return j == lo - 1 and j > 0 and t.words[j].upos == "VERB" and t.words[j - 1].upos in ("NOUN", "PROPN", "ADJ")

    k = lo - 1
    while k >= 0 and (t.words[k].upos in _NAME_POS or t.words[k].upos == "ADP" or t.low(k) in ("-", "/", "'s") or glued(k)
                      or modifier(k) or last_noun(k)) and t.words[k].text not in (")", ":"):
        k -= 1
    first = k + 1
    # "+ the pricing page", "& the app": the mark that adds a thing to the list is no part of its name
    while first < lo and (t.words[first].upos in ("DET", "ADP") or t.low(first) in ("and", "or", "+", "&")):
        first += 1
    last = next((j for j in range(first, lo) if t.words[j].upos == "ADP" and t.low(j) not in ("-", "/", "'s") and not glued(j)), lo)
    if first >= last or not any(t.words[j].upos in ("NOUN", "PROPN", "X") for j in range(first, last)):
        return None
    span = (t.words[first].start, t.words[last - 1].end)
    return text[span[0] : span[1]], span


doc_only(
    "I262", "same-steps-as-before",
    "A label whose part says 'the same steps' or 'the same' ('Blue: drain, upgrade, check. Green: wait for blue, then the same steps') gets a copy of the stages of the stream before it; 'wait for blue' puts the stream after that one.",
    """Under labelled streams (I213), a later label that only says its
    work is the same as the one before (rules/words.toml [parallel]
    same_work: "the same steps", "same again", "likewise") goes through
    those stages itself, in the same order. A step under it that only
    waits for another label ("wait for blue") is no work: the stream
    starts once that stream's last stage is done.""",
)

# Verbs that only say a stream waits for another ("wait for blue", "hold until the canary is green").
_WAIT_VERBS = frozenset({"wait", "hold", "pause"})


def copied_stages(st: _State) -> None:
    """I262: "Green: (wait for blue, then) the same steps" copies the stream before it."""
    from dataclasses import replace

    from planner.parser.assemble import _labels_of

    _one_labelled_stream(st)
    for g in [g for g in st.groups if g.kind == "streams"]:
        members = [k for k, d in enumerate(st.drafts) if d.group == g.id and "I213" in d.codes]
        if not members:
            continue
        trees = list(dict.fromkeys(id(st.drafts[k].pred.tree) for k in members))
        first_tree = next(n for n, t in enumerate(st.trees) if id(t) == trees[0])
        for t in st.trees[first_tree + 1 :]:
            heads = {d.pred.i for d in st.drafts if d.pred.tree is t and not _waits(st, d, ())}
            labels = _labels_of(st, t, heads)
            if not labels:
                continue
            mark, name, span = labels[-1]
            if not any(t.lemma(k) in st.words.same_work or t.low(k) in st.words.same_work for k in range(mark + 1, len(t))):
                continue
            here = [k for k, d in enumerate(st.drafts) if d.pred.tree is t]
            if any(not _waits(st, st.drafts[k], g.names) for k in here):
                continue  # work of its own under the label: not a copy
            before = [k for k in members if st.drafts[k].pred.tree.start < t.start]
            if not before:
                continue
            source = st.drafts[before[-1]].item
            stages = [k for k in before if st.drafts[k].item == source]
            if source is None or name.lower() == source.lower() or len(stages) < 1:
                continue
            waited = [w for k in here if (w := _waits(st, st.drafts[k], g.names))] or _waits_in(t, mark, g.names)
            copies = [replace(st.drafts[k], item=name, item_span=span, stage=n, codes=[*st.drafts[k].codes, "I262"], after=set())
                      for n, k in enumerate(stages)]
            at = max([*here, *members]) + 1 if not here else here[0]
            st.drafts[at : at + len(here)] = copies
            if waited:
                st.waits.append((g.id, name, waited[0]))
            names = (*(n for n in g.names if n != name), name)
            st.groups[st.groups.index(g)] = g = replace(g, names=names, count=len(names))
            members = [k for k, d in enumerate(st.drafts) if d.group == g.id]


def _one_labelled_stream(st: _State) -> None:
    """"Orders: freeze, copy, check. Billing: the same steps.": one labelled part with work and
    a later one that only copies it are two streams (I213 needs work under two labels)."""
    from planner.parser.assemble import _labels_of

    for n, t in enumerate(st.trees):
        if n == 0 or any(d.pred.tree is t and not _waits(st, d, ()) for d in st.drafts):
            continue
        labels = _labels_of(st, t, set())
        if not labels or not any(t.lemma(k) in st.words.same_work or t.low(k) in st.words.same_work for k in range(labels[-1][0] + 1, len(t))):
            continue
        src = next((x for x in reversed(st.trees[:n]) if any(d.pred.tree is x for d in st.drafts)), None)
        if src is None:
            return
        here = [k for k, d in enumerate(st.drafts) if d.pred.tree is src]
        own = [(mark, name, span) for mark, name, span in _labels_of(st, src, {st.drafts[k].pred.i for k in here})
               if all(mark < st.drafts[k].pred.i for k in here)]
        if not own or len(here) < 2 or any(st.drafts[k].group is not None for k in here):
            return
        _, name, span = own[-1]
        gid = f"g{len(st.groups) + 1}"
        for stage, k in enumerate(here):
            d = st.drafts[k]
            d.item, d.item_span, d.group, d.stage = name, span, gid, stage
            d.codes.append("I213")
        first = st.drafts[here[0]]
        st.groups.append(Group(id=gid, kind="streams", names=(name,), count=1, counted="",
                               verb=first.verb, role=first.role, steps=(), stages=()))
        return


def _waits_in(t: Tree, lo: int, names: tuple[str, ...]) -> list[str]:
    """The stream name a part says it waits for, where no step of the part was read ("Production:
    wait for staging result, then same steps" with the wait and the name tagged as nouns or verbs)."""
    for k in range(lo + 1, len(t) - 1):
        if t.lemma(k) in _WAIT_VERBS and t.low(k + 1) in ("for", "until", "till", "on"):
            end = next((j for j in range(k + 2, len(t)) if t.words[j].text in (",", ";", ".") or t.low(j) == "then"), len(t))
            words = t.lows(range(k + 2, end))
            return [n for n in names if n.lower() in words or " ".join(words).startswith(n.lower())][:1]
    return []


def _waits(st: _State, d: Draft, names: tuple[str, ...]) -> str:
    """The stream name a step only waits for ("wait for blue"), else ""."""
    t = d.pred.tree
    if d.verb not in _WAIT_VERBS:
        return ""
    for c in t.children(d.pred.i, "obl"):
        said = st.front.text[t.words[min(t.subtree(c))].start : t.words[max(t.subtree(c))].end].lower()
        for n in names:
            if n.lower() in said.split() or said.endswith(n.lower()):
                return n
        if not names:
            return "?"
    # "wait for staging result": the tagger may read the name as a verb and hang no phrase on the
    # wait; the words after "for" up to the clause's next comma or "then" say what it waits for
    k = d.pred.i + 1
    if k < len(t) and t.low(k) in ("for", "until", "till", "on"):
        end = next((j for j in range(k + 1, len(t)) if t.words[j].text in (",", ";", ".") or t.low(j) == "then"), len(t))
        words = t.lows(range(k + 1, end))
        for n in names:
            if n.lower() in words or " ".join(words).startswith(n.lower()):
                return n
    return ""


def stream_waits(st: _State) -> None:
    """I262: a stream that waits for another ("wait for blue") starts after that stream's last stage."""
    for gid, name, other in st.waits:
        mine = [k for k, d in enumerate(st.drafts) if d.group == gid and d.item == name]
        theirs = [k for k, d in enumerate(st.drafts) if d.group == gid and d.item == other]
        if mine and theirs:
            st.drafts[mine[0]].after.add(theirs[-1])


doc_only(
    "I310", "count-over-its-items",
    "In a list of things the text does the same work on, a phrase that only counts the others ('two offices, one in Lima and one in Quito'; 'the two pumps, the north one and the south one, both') names no thing of its own.",
    """A list read as the things each step is done for may open with the
    words that count them ("two new clinics, one in A and one in B") or
    end on a word that points back at them ("both"); the first name may
    also be the noun of such words ("both shops, Leeds and York", where
    the tree kept "shops"). Such a phrase is the
    others seen together: the steps read for it are dropped and the group
    keeps the things themselves. The count must be the number of the
    other names ("two" before two names), and "both" must stand beside
    exactly two; two names or more must remain.""",
)

# Words that point back at every other name of a list ("..., the red one and the blue one, both").
_BACK = {"both": 2}


def counted_heads(st: _State) -> None:
    """I310: a name of a distributed list that only counts the others is no item of its own."""
    from dataclasses import replace

    numbers = st.words.number_words
    for g in list(st.groups):
        if g.kind not in ("items", "streams") or len(g.names) < 3:
            continue
        # the words just before each name ("both shops, A and B": the tree kept "shops" as the name)
        lead: dict[str, int | None] = {}
        for d in st.drafts:
            if d.group == g.id and d.item and d.item_span and d.item not in lead:
                lead[d.item] = _lead_count(st.front.text, d.item_span[0], numbers)
        counts = {n: _count_of(n, numbers) or (lead.get(n) if n == g.names[0] else None) for n in g.names}
        heads = [n for n in g.names if counts[n] is not None]
        others = [n for n in g.names if n not in heads]
        if not heads or len(others) < 2 or any(counts[n] != len(others) for n in heads):
            continue
        drop = {k for k, d in enumerate(st.drafts) if d.group == g.id and d.item in heads}
        if not drop or all(d.group == g.id and d.item in heads for d in st.drafts if d.group == g.id):
            continue
        spans = {st.drafts[k].item or "": st.drafts[k].item_span or st.drafts[k].span for k in sorted(drop)}
        st.fired.extend(Fired("I310", span) for span in spans.values())
        drop_drafts(st, drop)
        st.groups[st.groups.index(g)] = replace(g, names=tuple(others), count=len(others))


def _count_of(name: str, numbers: Mapping[str, int]) -> int | None:
    """How many things the name counts ("two new offices" 2, "both" 2), else None."""
    said = name.lower().split()
    if not said:
        return None
    if said[0] in _BACK:
        return _BACK[said[0]]
    if said[0] in ("the", "our", "my", "your", "these", "those", "all") and len(said) > 1:
        said = said[1:]
    if not said[-1].isalpha():
        return None  # "3 hosts web01": a count, then the first thing's own name
    if said[0] in numbers:
        return numbers[said[0]]
    return int(said[0]) if said[0].isdecimal() and len(said) > 1 else None


def _lead_count(text: str, at: int, numbers: Mapping[str, int]) -> int | None:
    """The count said by one of the words before ``at`` in the same phrase ("both shops", "all
    three sites", "the two public entry points": I399)."""
    phrase = re.split(r"[,;:()\n]", text[max(0, at - 40) : at])[-1]
    before = re.findall(r"[^\W_]+", phrase.lower())[-4:]
    return next((c for w in reversed(before) if w in numbers or w in _BACK for c in [_count_of(w, numbers)] if c), None)


def drop_drafts(st: _State, drop: set[int]) -> None:
    """Remove the drafts ``drop``, keeping every other draft's order pointing at the same drafts."""
    keep = [k for k in range(len(st.drafts)) if k not in drop]
    new_index = {old: new for new, old in enumerate(keep)}
    st.drafts = [st.drafts[k] for k in keep]
    for d in st.drafts:
        d.after = {new_index[a] for a in d.after if a in new_index}


doc_only(
    "I311", "clause-over-its-streams",
    "A request whose clause names every thing a later set of streams works on ('move the api, the worker and the cron box to arm64. Per box: rebuild, test, switch') is the work the streams do, though its step's own words stop short of the last name.",
    """Like I290, read over the words of the request's whole clause rather
    than the words its step kept: where the tree cuts the step's words
    before the end of a list ("move the api, the worker" of "move the api,
    the worker and the cron box"), the clause still names every thing the
    streams after it work on, each with two stages or more. The same
    holds for a request read once per thing over exactly the streams'
    things ("upgrade A, B and C" as three steps). The request must stand
    before the streams and wait for nothing.""",
)


def clause_umbrellas(st: _State) -> None:
    """I311: I290 over the whole clause of a request, for steps whose words the tree cut short."""
    from planner.parser.umbrella import _WORD, _mentions

    streams: dict[str, list[int]] = {}
    for k, d in enumerate(st.drafts):
        if d.group is not None and d.item is not None and d.stage is not None:
            streams.setdefault(d.group, []).append(k)
    drop: set[int] = set()
    for ks in streams.values():
        names = list(dict.fromkeys(st.drafts[k].item or "" for k in ks))
        if len(names) < 2 or min(sum(1 for k in ks if st.drafts[k].item == n) for n in names) < 2:
            continue
        first = min(st.drafts[k].span[0] for k in ks)
        gid = st.drafts[ks[0]].group
        for j, d in enumerate(st.drafts[: min(ks)]):
            if d.after or d.span[1] > first or d.pred.kind != "verb" or d.group == gid:
                continue
            if d.group is not None:
                # "Upgrade A, B and C. Per box: ...": the request read item by item over the
                # same things, one step each, is the streams' work said once per thing
                mine = [e for e in st.drafts if e.group == d.group]
                if d.stage is not None or sorted(e.item or "" for e in mine) != sorted(names):
                    continue
                drop.add(j)
                continue
            t = d.pred.tree
            idx = t.subtree(d.pred.i)
            said = set(_WORD.findall(st.front.text[t.words[min(idx)].start : t.words[max(idx)].end].lower()))
            if all(_mentions(said, n) for n in names):
                drop.add(j)
    counted = _counted_umbrellas(st, streams)
    if drop or counted:
        for k in sorted(drop):
            st.fired.append(Fired("I311", st.drafts[k].span))
        for k in sorted(counted - drop):
            st.fired.append(Fired("I314", st.drafts[k].span))
        drop_drafts(st, drop | counted)


doc_only(
    "I314", "counted-work-over-its-streams",
    "A request for a number of things ('prepare two posters') before that many streams each named as one of them ('Poster for the fair: ...; poster for the gala: ...') is the work the streams do.",
    """A counted request (I203: "write three letters") is read as one step
    per thing counted. When the text then gives exactly that many streams
    (two stages or more in one of them at least), each named with the
    counted noun ("Letter to the bank: ...", "Letter to the landlord:
    ..."), the request only announced them: its steps are dropped. The
    count must equal the number of streams, every stream's name must say
    the counted noun, and the request must wait for nothing.""",
)


def _counted_umbrellas(st: _State, streams: dict[str, list[int]]) -> set[int]:
    """I314: the steps of a counted request whose count the later streams, named by its noun, fill."""
    out: set[int] = set()
    for ks in streams.values():
        names = list(dict.fromkeys(st.drafts[k].item or "" for k in ks))
        if len(names) < 2 or max(sum(1 for k in ks if st.drafts[k].item == n) for n in names) < 2:
            continue
        found: list[tuple[list[int], str]] = []
        for g in st.groups:
            mine = [j for j, d in enumerate(st.drafts) if d.group == g.id]
            if not g.names and g.counted and g.count == len(names) and mine and all("I203" in st.drafts[j].codes for j in mine):
                found.append((mine, g.counted))  # "prepare two reports", read one step per report
        for j, d in enumerate(st.drafts):
            said = d.obj.lower().split()
            if d.group is None and len(said) >= 2 and st.words.number_words.get(said[0]) == len(names):
                found.append(([j], said[-1]))  # "write two letters", read as one step
        for mine, counted in found:
            if max(mine) >= min(ks) or any(st.drafts[j].after for j in mine):
                continue
            noun = counted.lower().split()[-1]
            stem = noun[:-1] if noun.endswith("s") and len(noun) > 3 else noun
            if all(stem in re.findall(r"[^\W_]+", n.lower()) for n in names):
                out.update(mine)
    return out


doc_only(
    "I312", "first-step-for-each",
    "A step that names the things a next step is then done for each of ('extract the tables from north.pdf and south.pdf, then check each') is done for each of them too: each thing is a stream of both steps.",
    """When the step right before a set of items (I202, I207: "then check
    each") names every one of those items in its own clause, or points
    back at them with "both" or "each", the work is done thing by thing
    from the start: the step is copied for each item as the first stage
    of that item's stream, and the item's own step waits on its copy
    only. A step that joins things ("merge A and B, then check each") is
    one piece of work over all of them and stays as it is.""",
)

# Words by which a step's clause points back at every thing of a list ("clean up the sound on both").
_EVERY = frozenset({"both", "each"})


def first_step_for_each(st: _State) -> None:
    """I312: the step before "... each" that names the things is their first stage."""
    from dataclasses import replace

    from planner.parser.assemble import _JOINING
    from planner.parser.umbrella import _WORD, _mentions

    for g in [g for g in st.groups if g.kind == "items"]:
        ks = [k for k, d in enumerate(st.drafts) if d.group == g.id]
        names = list(dict.fromkeys(st.drafts[k].item or "" for k in ks))
        if len(ks) < 2 or len(names) != len(ks) or ks != list(range(ks[0], ks[0] + len(ks))) or ks[0] == 0:
            continue
        at = ks[0] - 1
        d = st.drafts[at]
        if d.group is not None or d.item is not None or d.role in _JOINING or d.pred.kind != "verb":
            continue
        if any(at not in st.drafts[k].after for k in ks):
            continue
        # a later step may wait on the step only as it waits on every item after it (a join)
        if any(at in e.after and not set(ks) <= e.after for e in st.drafts if e.group != g.id):
            continue
        # the step's words up to the next step's verb: the tree may leave "on both" off its span
        t, nxt = d.pred.tree, st.drafts[ks[0]].pred
        end = nxt.tree.words[nxt.i].start if nxt.tree is t else t.words[-1].end
        said_words = _WORD.findall(st.front.text[d.span[0] : max(end, d.span[1])].lower())
        named = all(_mentions(set(said_words), n) for n in names)
        back = bool(_EVERY & set(said_words)) and (len(names) == 2 or "both" not in said_words)
        if not (named or back):
            continue
        # stream by stream: the copy of the step for the thing, then the thing's own step
        new: list[Draft] = []
        index: dict[int, int] = {}
        for j in range(at):
            index[j] = len(new)
            new.append(st.drafts[j])
        copies: list[int] = []
        obj = _before_names(d.obj, names)
        for k in ks:
            e = st.drafts[k]
            copies.append(len(new))
            new.append(replace(d, obj=obj, item=e.item, item_span=e.item_span, group=g.id, stage=0, codes=[*d.codes, "I312"],
                               after=set(d.after)))
            index[k] = len(new)
            new.append(e)
        for j in range(ks[-1] + 1, len(st.drafts)):
            index[j] = len(new)
            new.append(st.drafts[j])
        for n, k in enumerate(ks):
            e = st.drafts[k]
            e.stage = 1
            e.after = {index[j] for j in e.after if j != at} | {copies[n]}
        for e in new:
            if e.after and e.group != g.id:
                e.after = {index[j] for j in e.after if j != at}
        for c in copies:
            new[c].after = {index[j] for j in new[c].after}
        st.drafts = new
        st.groups[st.groups.index(g)] = replace(g, kind="streams")


doc_only(
    "I313", "list-of-separate-jobs",
    "List items under a lead that says they are separate ('Do these in parallel:', 'Two jobs, unrelated:', 'independent tasks:') are separate lines of work, though the list is numbered or lettered.",
    """A numbered list is a procedure (O310), unless the line that leads
    into it says its items are apart: a word of running side by side
    (rules/words.toml [order] parallel: "in parallel", "at the same
    time", "separately", ...) or of having nothing to do with each other
    ("unrelated", "independent", "no overlap", "separate"), or that counts
    as many jobs, tasks or tracks as the list has items ("three
    workstreams this sprint:"; "three steps:" counts a procedure). Then every
    item that opens on work of its own starts a line (I260) instead of
    waiting for the item before it; so does an item that says so itself
    ("(2) meanwhile write the notes"). An item that points back at the one
    before ("then send it to her") still waits for it.""",
)

# Order readings that tie a step to earlier work outright ("after the tags are in", "before X"): a
# pronoun ("post them") in a list item points at that item's own work.
_STATED_BACK = frozenset({"O302", "O303"})

# Words of a lead-in that say its items do not touch each other ("two unrelated jobs:", "no overlap").
_APART = frozenset({"unrelated", "independent", "separate", "overlap"})
# Nouns for lines of work a lead-in counts ("two jobs:", "three workstreams:"); "steps" or "stages"
# would count the parts of one procedure, so they are not here.
_LINE_NOUNS = frozenset({"jobs", "tasks", "errands", "things", "workstreams", "streams", "tracks", "projects"})


def parallel_list_lines(st: _State) -> None:
    """I313: the items of a numbered list under a lead that says they are apart start lines of their own."""
    from planner.parser.assemble import _names_earlier, _refers_to_previous

    units = st.front.units
    opened: dict[int, int] = {}  # list item (unit index) -> its first draft
    for k, d in enumerate(st.drafts):
        opened.setdefault(d.pred.tree.unit, k)
    for k, d in enumerate(st.drafts):
        u = units[d.pred.tree.unit]
        if "O310" not in d.codes or opened[d.pred.tree.unit] != k or d.group is not None:
            continue
        # "(2) meanwhile write the notes": the item itself says it runs beside the one before
        if "parallel" not in d.pred.markers:
            items = len({x.index for x in units if x.list_id == u.list_id and x.kind == u.kind})
            if u.under is None or not _says_apart(st, units[u.under].start, units[u.under].end, items):
                continue
        if _refers_to_previous(d.pred.tree, d.pred, st.words)[0] or _names_earlier(st, k):
            continue
        before = [j for j in range(k) if units[st.drafts[j].pred.tree.unit].list_id == u.list_id]
        if not before:
            continue
        start = opened[st.drafts[before[-1]].pred.tree.unit]
        d.after = set()
        d.codes.remove("O310")
        d.codes.append("I313")
        st.lines.append((start, k))
        # the item's later steps wait on its own work, unless the text ties one to earlier work
        for e in st.drafts[k + 1 :]:
            if e.pred.tree.unit == d.pred.tree.unit and not _STATED_BACK & set(e.codes):
                e.after = {j for j in e.after if j >= k}


def _says_apart(st: _State, lo: int, hi: int, items: int) -> bool:
    """The lead-in between ``lo`` and ``hi`` says the ``items`` list items after it run apart."""
    said = tuple(re.findall(r"[^\W_]+", st.front.view[lo:hi].lower()))
    if _APART & set(said):
        return True
    # "three workstreams this sprint:" over three items: it counts the lines, each item is one
    numbers = st.words.number_words
    if any((numbers.get(w) or (int(w) if w.isdecimal() else 0)) == items and _LINE_NOUNS & set(said[j + 1 : j + 3])
           for j, w in enumerate(said)):
        return True
    return any(said[j : j + len(ph)] == ph for ph in st.words.parallel for j in range(len(said) - len(ph) + 1))


# Words that link an object to the names after it ("the tables from A and B"): cut with the names.
_LINKS = frozenset({"from", "in", "of", "for", "on", "to", "with", "and", "or", "the", "both", "each", "all"})


def _before_names(obj: str, names: list[str]) -> str:
    """The object without the list of things it names ("the tables from A and B" -> "the tables")."""
    low = obj.lower()
    cuts = [low.find(n.lower()) for n in names if n and n.lower() in low]
    if not cuts:
        return obj
    said = obj[: min(cuts)].split()
    while said and said[-1].lower().strip(",;:") in _LINKS:
        said.pop()
    return " ".join(said) or obj


doc_only(
    "I315", "parts-after-for-each",
    "'For each language: a sample app, a CI job and a docs link' or 'Per dialect: type mapping, an emitter, tests' after a list of things: the parts after the colon are the stages of one stream per thing.",
    """Like I216 ("each needs a parser, fixtures and tests"), written as a
    heading: "for each" or "per" with a noun, then a colon, then a list
    of parts that names no verb. Each part is a stage, in the order
    written, of one stream per thing of the list "each" points back to;
    a part is done by the verb its noun names ("tests": test), else it
    is made. Without a colon right after the noun ("per tier", "for
    each of them, ...") nothing is read here.""",
)


def parts_after_colon(t: Tree, k: int) -> int | None:
    """I315: the colon after "for each <noun>" / "per <noun>" at word ``k``, when one follows within three words."""
    if t.low(k) not in ("each", "per") or (t.low(k) == "each" and (k == 0 or t.low(k - 1) != "for")):
        return None
    if t.low(k) == "per" and k > 0 and t.words[k - 1].upos not in ("PUNCT",):
        return None  # "the cost per seat": a rate inside a clause, not a heading
    for c in range(k + 1, min(len(t), k + 4)):
        if t.words[c].text in (":", "：") and c + 1 < len(t):
            return c
        if t.words[c].upos not in ("NOUN", "PROPN", "ADJ", "NUM", "X"):
            return None
    return None


doc_only(
    "I433", "inline-separate-jobs",
    "'Two things in parallel: (a) patch the form and add a test; (b) rotate the keys and update the vault': clauses after a lead that says its parts are apart, cut at semicolons or lettered, are lines of work of their own.",
    """I313 reads list items on lines of their own under such a lead; writers
    put the same jobs on one line too, each opened by a letter or a number
    in brackets or cut off by a semicolon. When the words before the colon
    say the parts run apart (a word of running side by side, of having
    nothing to do with each other, or a count of jobs, tasks or errands that
    matches the parts), every part after the first starts a line (I260) and
    waits for nothing the part before it does; its later steps wait only on
    its own work. Without such a lead, semicolons and letters keep the order
    the other readings give them.""",
)

# A letter or a number closed by a bracket right before a part's words: "(b) ", "2) ".
_INLINE_MARK = re.compile(r"(?:^|[\s;,:])\(?(?:[a-h]|[1-9])\)\s*$")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")


def inline_apart_lines(st: _State) -> None:
    """I433: parts of one line cut at semicolons or lettered, under a lead that says they are apart."""
    drafts = st.drafts
    view = st.front.view
    k = 1
    while k < len(drafts):
        parts = _inline_parts(st, k)
        if not parts:
            k += 1
            continue
        first = parts[0]
        unit = st.front.units[drafts[first].pred.tree.unit]
        colon = view.rfind(":", unit.start, drafts[first].span[0])
        lo = max([unit.start, *(m.end() for m in _SENTENCE_END.finditer(view, unit.start, max(colon, unit.start)))])
        if colon < 0 or not _says_apart(st, lo, colon, len(parts)):
            k = parts[-1] + 1
            continue
        for n, s in enumerate(parts[1:], start=1):
            d = drafts[s]
            d.after = {j for j in d.after if j < first}
            d.codes.append("I433")
            st.fired.append(Fired("I433", (d.span[0], d.span[1])))
            st.lines.append((first, s))
            nxt = parts[n + 1] if n + 1 < len(parts) else len(drafts)
            for e in range(s + 1, nxt):
                if _SENTENCE_END.search(view, d.span[1], drafts[e].span[0]):
                    break
                drafts[e].after = {j for j in drafts[e].after if j >= s or j < first}
        k = parts[-1] + 1


def _inline_parts(st: _State, k: int) -> list[int]:
    """The drafts that open the parts of the run of parts draft ``k`` opens (the one before
    ``k`` included), when ``k`` opens a part: after a semicolon or a letter in brackets in the
    same sentence as the draft before it."""
    drafts = st.drafts
    view = st.front.view

    def opens(j: int) -> bool:
        if j == 0 or drafts[j].group is not None:
            return False
        gap = view[drafts[j - 1].span[1] : drafts[j].span[0]]
        if _SENTENCE_END.search(gap) or drafts[j].pred.tree.unit != drafts[j - 1].pred.tree.unit:
            return False
        return ";" in gap or bool(_INLINE_MARK.search(gap))

    if not opens(k):
        return []
    # the first part: back to the draft after the colon that leads the run
    a = k - 1
    while a > 0 and not _SENTENCE_END.search(view, drafts[a - 1].span[1], drafts[a].span[0]) and ":" not in view[drafts[a - 1].span[1] : drafts[a].span[0]] and drafts[a - 1].pred.tree.unit == drafts[a].pred.tree.unit:
        a -= 1
    if drafts[a].group is not None:
        return []
    parts = [a] + [j for j in range(a + 1, len(drafts)) if opens(j) and not _SENTENCE_END.search(view, drafts[a].span[1], drafts[j].span[0])]
    return parts if len(parts) >= 2 else []
