"""K576: a look wanted for a picture already asked for is a second step on it.

Picture tools make a picture (or take a still, or open the user's photo), and
giving it a look ("looking like an oil painting", "done up like a
watercolour") is another tool's work on that picture: "a still of the finish
from race.mp4, and that still looking like a pencil sketch" takes the still,
then restyles it. The look is read from the words after the picture's own
step, up to the next step of the sentence; ``[picture_looks]`` in
rules/kinds.toml names the links and the art forms a whole picture may be
made to look like.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner.parser.clauses import Pred, negated
from planner.parser.implied import (
    Implied,
    Kinds,
    _one_each,
    _phrases,
    _strings,
    kinds_section,
    load_picture_text,
    mentions,
)
from planner.parser.readings import doc_only, reading
from planner.parser.tree import Tree

# words that may stand between the link and the art form: "like an old oil painting"
_BETWEEN = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "PUNCT"})


@dataclass(frozen=True)
class PictureLooks:
    """``[picture_looks]``: the words that give a picture a look, the looks, and the step's verb."""

    links: tuple[tuple[str, ...], ...]  # ("looking", "like"), ("done", "up", "like"), longest first
    styles: frozenset[str]
    setter: str
    changes: frozenset[str] = frozenset()  # K577: verbs that change a picture already there
    maker: str = "draw"


@cache
def load_picture_looks() -> PictureLooks:
    table = kinds_section("picture_looks")
    return PictureLooks(
        links=_phrases(_strings(table, "links", "picture_looks")),
        styles=frozenset(_strings(table, "styles", "picture_looks")),
        setter=_one_each({"setter": table.get("setter", "stylize")}, "picture_looks")["setter"],
        changes=frozenset(_strings(table, "changes", "picture_looks")),
        maker=_one_each({"maker": table.get("maker", "draw")}, "picture_looks")["maker"],
    )


def _is_picture(text: str, t: Tree, d: Any, k: Kinds) -> bool:
    """The draft's work yields a picture: a picture drawn or made, a picture or still
    wished for, or work on a picture of the user's (named by its file or a picture noun)."""
    pictures = load_picture_text().pictures
    i = d.pred.i
    if d.pred.kind == "verb":
        if d.verb in ("make", "create", "generate", "design", "produce"):
            obj = t.child(i, "obj")
            return obj is not None and t.lemma(obj) in pictures
        if d.verb in k.makers.get("image", frozenset()) and d.verb not in ("turn", "convert", "make"):
            return True
    if d.pred.kind in ("wanted", "noun"):
        # "a still of the goal": the tagger may take "still" for an adverb, so the words
        # of the draft up to its head are looked at, not the head alone
        lo = d.span[0]
        if any(lo <= t.words[j].start and t.lemma(j) in pictures for j in range(i + 1)):
            return True
        # "the finish at the end as a still": what the wished thing is made into
        stop = next((x for x in range(i + 1, len(t)) if t.low(x) in (",", ";", ".")), len(t))
        if any(t.low(x) == "as" and _picture_after(t, x + 1, pictures) is not None for x in range(i + 1, stop)):
            return True
    return any(
        m.kind == "image" and d.span[0] <= m.start < d.span[1] and t.head(m.head) in (i, None)
        for m in mentions(text, t, k)
    )


def _look_at(t: Tree, i: int, pl: PictureLooks) -> tuple[int, int] | None:
    """(first, last) words of a look starting at ``i`` ("looking like an oil painting"), or None."""
    lows = [t.low(j) for j in range(len(t))]
    link = next((p for p in pl.links if tuple(lows[i : i + len(p)]) == p), None)
    if link is None:
        return None
    for j in range(i + len(link), min(len(t), i + len(link) + 5)):
        if t.words[j].upos not in _BETWEEN or (t.words[j].upos == "PUNCT" and lows[j] != "-"):
            return None  # "looking like it rained": a clause, not a look
        if t.lemma(j) in pl.styles or lows[j] in pl.styles:
            # the art form or the noun it modifies ends the look ("an oil painting")
            end = j
            while end + 1 < len(t) and t.words[end + 1].upos in ("NOUN",) and t.head(end) == end + 1:
                end += 1
            if t.child(end, "nmod:poss") is not None:
                return None  # "like his dad's drawing" compares with a thing, not a finish
            return (i, end)
    return None


# words that set a look apart from the picture as a wish of its own: "..., and that still
# looking like ...", "..., but looking like ..."
_APART = frozenset({"and", "but", "then", "plus"})
_POINTERS = frozenset({"that", "this", "it", "the"})


def _set_apart(t: Tree, head: int, look: int, pictures: frozenset[str]) -> bool:
    """The look at ``look`` is a further wish, not a description of the picture made at
    ``head``: a coordinator ("and", "but", "then") stands between them, or the look's
    subject points back at the picture ("that still looking like ...")."""
    if any(t.low(x) in _APART for x in range(head + 1, look)):
        return True
    subj = t.child(look, "nsubj")
    before = [x for x in range(max(head + 1, look - 3), look) if t.low(x) in _POINTERS]
    return (subj is not None and t.low(subj) in _POINTERS) or any(t.low(x + 1) in pictures for x in before)


@reading(
    "K576",
    "look-given-to-a-picture",
    "A look wanted for a picture already asked for ('a still of the finish, and that still looking like a pencil sketch') is given to it after the picture is made or taken: a step after it.",
)
def looks_on_picture(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """A picture made, taken as a still, or the user's own, wanted "looking
    like an oil painting", "done up like a watercolour" or "made to look like
    a postcard", is first made or taken, then restyled: one step after the
    picture's. The look must name an art form or finish of a whole picture
    (``[picture_looks] styles``), so a scene ("a cartoon of me looking like a
    pirate") is the picture itself; it must follow the picture's step in its
    sentence, before any next step, and must not hang on a thing the picture
    shows ("a photo of my cat looking like a lion"). It must be set apart as
    a wish of its own, after "and", "but" or "then", or with its subject
    pointing back at the picture ("that still looking like ..."): a look
    given right after the picture's words ("draw a castle, looking like a
    watercolour") describes the picture to be made, in one step. A step that is itself
    the look ("I'd love cat.jpg looking like a painting") needs nothing more,
    and a negated look ("not looking like a cartoon") is no work.
    """
    pl = load_picture_looks()
    pictures = load_picture_text().pictures
    out: list[Implied] = []
    heads = {(id(d.pred.tree), d.pred.i) for d in drafts}
    for at, d in enumerate(drafts):
        t = d.pred.tree
        if not _is_picture(text, t, d, k):
            continue
        lo = d.span[0]
        hi = min((dj.span[0] for dj in drafts if dj.pred.tree is t and dj.span[0] > lo), default=t.end)
        shown = {x for c in t.children(d.pred.i, "nmod") for x in t.subtree(c)}
        for i in range(len(t)):
            if not (lo <= t.words[i].start < hi) or i == d.pred.i or (id(t), i) in heads:
                continue
            look = _look_at(t, i, pl)
            if look is None or negated(t, i) or t.head(i) in shown or not _set_apart(t, d.pred.i, i, pictures):
                continue
            out.append(Implied(at, False, "K576", pl.setter, t, look[1], t.span(list(range(look[0], look[1] + 1)))))
            break
    return out


# what may stand between a wish and the picture it asks for: "a lovely big poster"
_BEFORE_PICTURE = frozenset({"a", "an", "one", "some", "another", "new"})
# what a label line names after its picture noun: "Poster for the fete: ...", "Flyer - ..."
_LABEL_AFTER = frozenset({"for", ":", "-", "\u2013", "\u2014"})
# where a picture's own words end before the change that follows: "a fox in a hat, then ..."
_BREAKS = frozenset({",", ";", "then", "-", "\u2013", "\u2014"})


def _picture_after(t: Tree, j: int, pictures: frozenset[str]) -> int | None:
    """The picture noun at ``j`` or after an article and up to two describing words, or None."""
    if j < len(t) and t.low(j) in _BEFORE_PICTURE:
        j += 1
    for k in range(j, min(len(t), j + 3)):
        if t.low(k) in pictures:
            # "one feedback sheet drawing together ...": a verb, not a picture
            return k if t.words[k].upos != "VERB" else None
        if t.words[k].upos not in ("ADJ", "ADV", "NOUN"):
            return None
    return None


def wished_picture(text: str, trees: Sequence[Tree], wish: frozenset[str]) -> Pred | None:
    """S376 for a text whose one request is a new picture named without a verb: the
    speaker's wish for one ("I'd love a still of the finish, ...": the tagger may take
    "still" for an adverb, so the wish's object is not trusted) or a line that opens
    with a picture and what it is for ("Flyer for the fete: a cartoon cake, with
    'Saturday' across the top"). The picture is made; K575 and K576 add what is set
    on it. A line whose verb states something ("Picture for the insurer is attached")
    is material, not a wish."""
    pictures = load_picture_text().pictures
    for t in trees:
        for i in range(len(t)):
            if t.words[i].upos != "VERB" or t.lemma(i) not in wish or negated(t, i):
                continue
            subj = t.child(i, "nsubj")
            if subj is None or t.low(subj) not in ("i", "we"):
                continue
            c = _picture_after(t, i + 1, pictures)
            if c is None:
                # "I want the finish as a still": the picture is what the wished thing becomes
                stop = next((x for x in range(i + 1, len(t)) if t.low(x) in (",", ";", ".")), len(t))
                c = next((p for x in range(i + 2, stop) if t.low(x) == "as" and (p := _picture_after(t, x + 1, pictures)) is not None), None)
            if c is not None and t.words[c].upos != "PROPN":
                return Pred(t, c, "make", "wanted", ["S376"], anchor=i)
        first = 1 if len(t) and t.low(0) in _BEFORE_PICTURE else 0
        if len(t) > first + 1 and t.low(first) in pictures and t.low(first + 1) in _LABEL_AFTER:
            if any(t.words[x].upos == "AUX" or t.lemma(x) in ("attach", "enclose") for x in range(len(t))):
                continue
            return Pred(t, first, "make", "wanted", ["S376"], anchor=first)
    return None


doc_only(
    "S376", "wished-picture",
    "'I'd love a still of the finish, ...', 'Flyer for the fete: a cartoon cake, ...': a new picture named without a verb is work, made by the picture step.",
    """Where nothing else reads as work, a new picture the speaker wishes for
    ("I", "we" with a wish verb, then "a" and the picture noun of
    ``[picture_text] pictures``) or a line that opens with a picture noun
    and "for" or a colon (a label of what to make) asks for that picture to
    be made. The K readings then add the words set on it (K575) and the look
    given to it (K576). A line with a verb that states something ("the
    poster for the fete is attached") names material, and a name ("Poster
    Shop") is no picture.""",
)


@reading(
    "K577",
    "picture-named-before-its-change",
    "A new picture named without a verb at the head of a sentence, before a step that changes it ('a cartoon of a fox in a hat, then the background swapped to snow'), is made first: a step before the change.",
)
def picture_before_change(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """A sentence may open with the picture it wants, as a bare noun phrase
    ("a cartoon of a fox in a hat"), and go on with a change to it ("then the
    background swapped to snow", "then the sky made darker"): the change
    needs the picture, so the picture is made first. The noun phrase must be
    the sentence's head and open it (an article and describing words at
    most before a picture noun of ``[picture_text]``), lie outside every
    step, and the step after it must be a change of ``[picture_looks]
    changes`` whose own object is no picture of the user's. A picture the
    user has ("photo.jpg, then the background swapped") is there already.
    """
    pl = load_picture_looks()
    pictures = load_picture_text().pictures
    out: list[Implied] = []
    for at, d in enumerate(drafts):
        t = d.pred.tree
        if d.pred.kind != "verb" or d.verb not in pl.changes:
            continue
        c = _picture_after(t, 0, pictures)
        if c is None or t.words[c].upos != "NOUN":
            continue
        # the picture heads the sentence; the tagger may hang it on the change as a subject
        # when only a comma or "then" parts them ("a sketch of the barn, then the sky made darker")
        parted = any(t.low(x) in _BREAKS for x in range(c + 1, d.pred.i))
        if t.head(c) is not None and not (t.head(c) == d.pred.i and parted):
            continue
        if any(dj.pred.tree is t and dj.span[0] <= t.words[c].start < dj.span[1] for dj in drafts):
            continue
        if any(m.kind == "image" and m.start < d.span[1] for m in mentions(text, t, k)):
            continue  # the user's own picture: there already
        # the picture's words: up to the comma (or "then") before the change
        end = c
        while end + 1 < len(t) and t.words[end + 1].end <= d.span[0] and t.low(end + 1) not in _BREAKS:
            end += 1
        out.append(Implied(at, True, "K577", pl.maker, t, c, (t.words[0].start, t.words[end].end)))
    return out
