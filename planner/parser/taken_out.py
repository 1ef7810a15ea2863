"""Taking a part out of a picture, a recording or a video is work (S236).

"Take the German manual and translate it": a first "take" or "grab" hands an
input over and is no step (S117). Taking *out of* material that a tool has to
open is different: "take a frame from the clip", "grab the sound off the
video", "get the words out of the voice note" ask for a frame to be cut, the
sound to be split off, the speech to be turned into text. The thing taken does
not exist yet until that work is done, so the taking is a step.
"""

from __future__ import annotations

import re

from planner.parser.implied import load_kinds
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "S236", "taken-out-of-material",
    "'take a frame from clip.mp4 and make a poster of it': taking something out of a picture, a recording or a video is work, a step, not an input handed over.",
    """"Take", "grab", "get" or "pull" with a thing as its object and a
    phrase "from", "out of" or "off" that names picture, sound or video
    material (a file of that kind, "the clip", "the recording") asks for that
    thing to be cut out of the material: a frame, the audio track, the text of
    a photo, the words of a recording. It is a step, whatever comes after.
    Taking the material itself ("take the photo of the shed, shed.jpg, and
    brighten it") or taking from other things ("take the figures from the
    sheet") hands an input over (S117).""",
)

# Verbs of taking that say nothing of how: the work is in what is taken and from where.
_TAKING = frozenset({"take", "grab", "get", "pull", "lift"})
# Prepositions of a source the thing is taken out of.
_OUT_OF = frozenset({"from", "out", "off"})
_MEDIA = frozenset({"image", "audio", "video"})
_FILE = re.compile(r"[\w~./-]*\.([A-Za-z0-9]{2,5})")


def _media(t: Tree, k: int, text: str) -> bool:
    """Word ``k`` names picture, sound or video material: a file of that kind or a noun for it
    (``text`` holds the file names the parse sees masked)."""
    kinds = load_kinds()
    word = t.words[k]
    m = _FILE.fullmatch(text[word.start : word.end] if text else word.text)
    if m and kinds.extensions.get(m.group(1).lower()) in _MEDIA:
        return True
    low = t.low(k)
    return any(len(phrase) == 1 and phrase[0] == low and kind in _MEDIA for phrase, kind in kinds.nouns)


def taken_out(t: Tree, i: int, text: str = "") -> bool:
    """S236: ``i`` takes a thing out of picture, sound or video material."""
    if t.words[i].upos != "VERB" or t.lemma(i) not in _TAKING:
        return False
    obj = t.child(i, "obj")
    if obj is None or t.words[obj].upos not in ("NOUN", "PROPN"):
        return False
    cases = [c for c in t.children(obj, "case") if t.low(c) in _OUT_OF]
    if cases:
        # a parse that took the source for the object and the thing for a modifier: "a still
        # from clip.mp4" read as "a" + "still" hung on "from clip.mp4"; something is taken
        # only when words stand between the verb and "from"
        return min(cases) > i + 1 and any(_media(t, j, text) for j in t.subtree(obj))
    for k in t.children(i, "obl"):
        if {t.low(c) for c in t.children(k, "case")} & _OUT_OF and any(_media(t, j, text) for j in t.subtree(k)):
            return True
    # a parse that hung the source on the object: "a still from clip.mp4"
    for k in t.children(obj, "nmod"):
        if {t.low(c) for c in t.children(k, "case")} & _OUT_OF and any(_media(t, j, text) for j in t.subtree(k)):
            return True
    return False
