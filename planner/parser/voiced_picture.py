"""K583: a picture of words to be read aloud or heard has its words read off it first.

"Read the parking notice to me out loud, I only have it as a picture, parking.png":
reading a thing aloud voices its words, and the words of a picture are first
taken off it (a picture's text is read, K501). "Read" names both jobs: with
"aloud", "out" or someone it is read to, it is the voicing, and the picture's
words still have to be read off it before. A wish to hear the picture ("we'd
love to hear it at the reunion") voices it the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planner.parser.clauses import negated
from planner.parser.implied import (
    Implied,
    Kinds,
    Mention,
    _is_file,
    _named_file,
    _np_span,
    _scope,
    _takes_the_words,
    _text_bearing,
    mentions,
)
from planner.parser.readings import reading
from planner.parser.tree import Tree

# verbs that voice words only with a word saying so ("read it aloud", "play the label out loud")
_VOICED_WITH = frozenset({"read", "play", "recite"})
# verbs that voice words by themselves
_VOICING = frozenset({"speak", "narrate", "voice"})
_TO = frozenset({"me", "him", "her", "them", "us"})


def _aloud(t: Tree, v: int, k: Kinds) -> bool:
    """The verb ``v`` is said aloud: "aloud"/"out loud" in its clause, an "out" particle, or
    someone it is done to ("read me the notice", "read it to her")."""
    lows = t.lows()
    # "aloud" or "out loud" right on the verb, not in a clause below it
    if any(tuple(lows[i : i + len(p)]) == p for c in t.children(v) for i in (c - 1, c) if i >= 0 for p in k.aloud):
        return True
    if any(lows[c] == "out" for c in t.children(v, "compound:prt", "advmod")):
        return True
    return any(lows[c] in _TO for c in t.children(v, "iobj", "obl"))


@reading(
    "K583",
    "picture-of-words-voiced",
    "A picture of words read aloud or heard ('read the parking notice to me out loud, I only have it as a picture, parking.png') has its words read off it first.",
)
def voiced_picture(text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds) -> list[Implied]:
    """A step that voices words ("read ... aloud", "read it out to him", "play
    me ... aloud", "speak", or a hearing verb, ``[mediums] hearing``) whose
    material is a picture of words (``[text_bearing]``: a notice, a letter, a
    recipe, named as a noun or by its file), named in its words or the one
    picture the text names, has the picture's words read off it first
    (``[readers] image``). Nothing is added when a step before it takes the
    words out ("take the text from letter.jpg and read it out") or asks
    about the picture before it ("what does this say? read it out"), for a
    picture not of words, or for a recording or a document (heard as it is).
    """
    reader = k.readers.get("image")
    if reader is None:
        return []
    takes = k.takes_out.get("image", frozenset()) | k.needs_text
    out: list[Implied] = []
    for at, d in enumerate(drafts):
        t = d.pred.tree
        v = d.pred.i
        if d.pred.kind != "verb" or negated_or_question(d):
            continue
        voicing = d.verb in k.hearing or d.verb in _VOICING or (d.verb in _VOICED_WITH and _aloud(t, v, k))
        if not voicing or any(dj.verb in takes for dj in drafts[:at]) or _takes_the_words(drafts, at - 1, k):
            continue
        if any(dj.pred.kind == "question" for dj in drafts[:at]):
            continue  # "what does this say? ... read it out": the question has it read already
        named = mentions(text, t, k, _scope(d))
        if any(x.kind == "text" and _is_file(text, x) for x in named):
            continue  # "read me notes.txt aloud": a document of its own
        # "for my vlog", "as a voice note": where the voicing goes, not what is voiced
        own = [m for m in named if m.kind in ("image", "audio", "video", "web") and not _goes_to(t, m.head)]
        if own and d.verb in k.content_verbs:
            continue  # "let me hear the menu in menu.jpg": the picture in the hearing's own words is K501's
        m = own[0] if own else _one_picture(text, trees, k)
        if m is None or m.kind != "image":
            continue
        obj = t.child(v, "obj")
        # "play the instructions on the care label (care.jpg) aloud": the thing voiced is of words
        # (or the one picture the text names, when the step names none: "read the notice out
        # loud, I only have it as a picture, n.png")
        voiced_words = obj is not None and t.lemma(obj) in k.text_bearing and (not own or (m.tree is t and m.head in t.subtree(obj)))
        if not voiced_words and _text_bearing(text, m, k) is None:
            continue
        m = _named_file(text, m, mentions(text, m.tree, k))
        span = m.tree.span(list(m.words)) if _is_file(text, m) else _np_span(text, m, {v})
        out.append(Implied(at, True, "K583", reader, m.tree, m.head, span))
        break
    return out


def _goes_to(t: Tree, i: int) -> bool:
    case = t.child(i, "case")
    return case is not None and t.low(case) in ("for", "to", "as", "into", "with", "via", "onto")


def _one_picture(text: str, trees: Sequence[Tree], k: Kinds) -> Mention | None:
    """The one picture file the text names, when it names no recording or video ("I only have
    it as a picture, parking.png": a file after "as" is the material here)."""
    found = [m for tr in trees for m in mentions(text, tr, k) if m.kind in ("image", "audio", "video") and _is_file(text, m)]
    names = {text[m.start : m.tree.words[max(m.words)].end].lower() for m in found}
    return found[0] if len(names) == 1 and found[0].kind == "image" else None


def negated_or_question(d: Any) -> bool:
    """A step that is a question, or whose verb is negated ("don't read it out"), voices nothing."""
    return d.pred.kind == "question" or negated(d.pred.tree, d.pred.i)
