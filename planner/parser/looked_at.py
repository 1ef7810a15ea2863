"""S271: "look at photo.jpg and describe it": looking is how the describing starts, no step of its own.

On requests to an assistant with picture, sound and video tools, people often
open with the material ("look at the photo of the rash, describe it, ..."):
the look is the taking in of the picture, and the tool step that does the
work on it (describing, detecting, counting, reading, transcribing) comes
right after. Read as a step of its own the look doubles that work. Where no
such step follows ("look at fridge.jpg and tell me what I can cook"), the
look is the only work on the picture and stays a step.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import cache

from planner import tomlcache
from planner.errors import RuleFileError
from planner.parser.clauses import Pred, negated
from planner.parser.implied import load_kinds, mentions
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import word_set

doc_only(
    "S271", "looked-at-first",
    "'Look at rash.jpg, describe it': looking at the user's picture, recording or video just before a step that works on it (describe, detect, count, read, transcribe) is that step's start, not a step of its own.",
    """A look at the user's material (``[looked_at] verbs`` in rules/kinds.toml:
    "look at", "view", "watch", "open"), whose object names a picture, a
    recording or a video (a file or a noun of ``[nouns]``), followed at once
    by a step that only looks at the material without changing it
    (``[leaves_material]``: describe, caption, detect, count, identify,
    read, transcribe) and names no other material of its own, is read into
    that step: "look at fridge.jpg - detect what food is in there", "watch
    match.mp4 and count the goals". A look followed by other work ("look at
    the photo and tell me what I can cook") is the only work done on the
    picture and stays a step; so does a look at something that is not the
    user's material ("look at the reviews and pick one").""",
)

_MEDIA = frozenset({"image", "audio", "video"})
_PATH = "rules/kinds.toml"


@cache
def _words() -> tuple[frozenset[str], frozenset[str]]:
    """(the looking verbs, the verbs that work on material without changing it)."""
    data = tomlcache.read_builtin("kinds.toml", "kinds of material")
    looked, leaves = data.get("looked_at", {}), data.get("leaves_material", {})
    if not isinstance(looked, dict) or not isinstance(leaves, dict):
        raise RuleFileError("[looked_at] and [leaves_material] must be tables", path=_PATH)
    looking = word_set(looked, "verbs", "looked_at", _PATH)
    working = frozenset().union(*(word_set(leaves, key, "leaves_material", _PATH) for key in ("describes", "finds", "words_out")))
    return looking, working


def _clause_of(t: Tree, i: int) -> int | None:
    """The verb whose clause word ``i`` sits in (the nearest verb above it)."""
    for h in t.ancestors(i):
        if t.words[h].upos in ("VERB", "AUX"):
            return h
    return None


def _material_of(text: str, p: Pred) -> bool:
    """The clause of ``p`` names a picture, recording or video of the user's."""
    t = p.tree
    return any(m.kind in _MEDIA and not m.speechless and _clause_of(t, m.head) == p.i for m in mentions(text, t, load_kinds()))


def _works_on_it(text: str, p: Pred, q: Pred, looking: frozenset[str], working: frozenset[str]) -> bool:
    """``q`` works on what ``p`` looked at: a verb that leaves the material as it was, naming no material of its own."""
    t = q.tree
    if q.kind != "verb" or negated(t, q.i) or (q.verb not in working and t.lemma(q.i) not in working):
        return False
    if q.verb in looking or t.lemma(q.i) in looking:
        return False
    return not any(m.kind in _MEDIA and _clause_of(t, m.head) == q.i for m in mentions(text, t, load_kinds()))


def looked_first(text: str, preds: Sequence[Pred], trees: Sequence[Tree]) -> list[Pred]:
    """The looks (S271) among ``preds`` that only start the step right after them."""
    looking, working = _words()
    order = {id(t): n for n, t in enumerate(trees)}
    out: list[Pred] = []
    for p, q in itertools.pairwise(preds):
        if p.kind != "verb" or (p.verb not in looking and p.tree.lemma(p.i) not in looking) or negated(p.tree, p.i):
            continue
        if p.tree is not q.tree and order.get(id(q.tree), -1) != order.get(id(p.tree), -2) + 1:
            continue  # the step that works on it comes in the same sentence or the next one
        if _material_of(text, p) and _works_on_it(text, p, q, looking, working):
            out.append(p)
    return out
