"""Which earlier step's product a step takes, read from what the steps make and what "it" is (O343).

Requests to an assistant with picture, sound and writing tools often make
several things from one piece of material: "write a story, make three
pictures to go with it, and have it read aloud"; "with the video: make
subtitles for it, and pull out a still from it"; "an audio version of the
newsletter, and a Polish translation of it". The second "it" is the same
thing as the first, the material, not what the step before made: three
pictures are no "it", and "a translation of it" beside "a version of the
newsletter" says the newsletter again in the same slot. Such steps work side
by side on the one source. A plain "write a summary of the report and
translate it" still hands the summary on: "it" is the summary, the one thing
just made, taken as the object.
"""

from __future__ import annotations

from planner.parser.clauses import Pred
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "O343", "same-source-again",
    "'write a story, make three pictures to go with it, and have it read aloud': an 'it' after a step that made something else from 'it' is the same source, so the two steps run side by side.",
    """A step that makes a new thing from a source names the source in a
    phrase ("pictures to go with it", "subtitles for it", "a version of the
    newsletter"); a following singular "it" is that source again when the
    thing just made cannot be "it" (it is plural: "three pictures",
    "subtitles") or when the "it" stands in the same kind of phrase ("a
    translation of it"). The step then waits for what the step before waited
    for, not for that step. An "it" taken as the object after a single new
    thing ("write a summary of the report and translate it") is that thing,
    handed on as before (O304).""",
)

# Causative verbs whose object is the thing the next verb works on ("have it read aloud").
_CAUSATIVE = frozenset({"have", "get", "make", "let"})
# Prepositions that name the source a thing is made from or for.
_SOURCE_CASES = frozenset({"of", "from", "for", "with", "about"})
_SINGULAR = frozenset({"it"})
_PLURAL = frozenset({"them", "they", "these", "those", "both", "all"})
_PHRASE_RELS = ("obj", "obl", "nmod", "iobj", "xcomp", "advcl")


def _phrases(t: Tree, i: int) -> list[int]:
    """The words of the predicate's own phrases (not other clauses' verbs)."""
    out: list[int] = []
    for rel in _PHRASE_RELS:
        for k in t.children(i, rel):
            if rel in ("xcomp", "advcl") and t.words[k].upos not in ("VERB",):
                continue
            out.extend(t.subtree(k))
    return out


def _case(t: Tree, j: int) -> str | None:
    """The preposition of the phrase word ``j`` heads, if any."""
    cases = [t.low(c) for c in t.children(j, "case")]
    return cases[0] if cases else None


def _pronouns(t: Tree, p: Pred) -> list[tuple[int, str | None]]:
    """(word, preposition) for each pointing pronoun of the predicate, the object of a causative
    verb above it included ("have it read aloud")."""
    words = set(_phrases(t, p.i))
    if p.kind == "noun" or t.words[p.i].upos == "NOUN":
        words.update(t.subtree(p.i))
    h = t.head(p.i)
    if t.rel(p.i) == "xcomp" and h is not None and t.lemma(h) in _CAUSATIVE:
        words.update(t.children(h, "obj"))
    return [(j, _case(t, j)) for j in sorted(words)
            if t.low(j) in _SINGULAR | _PLURAL and t.words[j].upos in ("PRON", "DET")]


def _product(t: Tree, p: Pred) -> int | None:
    """The thing the predicate makes or works on: its object noun, or the noun that names the work."""
    if t.words[p.i].upos == "NOUN":
        return p.i
    objs = [k for k in t.children(p.i, "obj") if t.words[k].upos in ("NOUN", "PROPN")]
    return objs[0] if objs else None


def _plural(t: Tree, k: int) -> bool:
    """A plural noun: a counted one ("three pictures") or one whose lemma drops an "s"."""
    low, lemma = t.low(k), t.lemma(k)
    counted = any(t.words[c].upos == "NUM" and t.low(c) not in ("one", "1") for c in t.children(k, "nummod"))
    return counted or (low != lemma and low.endswith("s"))


def _source_pronoun(t: Tree, p: Pred) -> bool:
    """The predicate names its source with a pointing "it" in a phrase ("subtitles for it", "to go
    with it", "a still from it")."""
    return any(t.low(j) in _SINGULAR and case in _SOURCE_CASES for j, case in _pronouns(t, p))


def _made_of(t: Tree, product: int) -> bool:
    """The product is made of a named thing: "an audio version of the newsletter"."""
    return any(_case(t, k) == "of" and t.words[k].upos in ("NOUN", "PROPN") for k in t.children(product, "nmod"))


def same_source(prev: Pred, cur: Pred) -> bool:
    """O343: ``cur``'s "it" is the source ``prev`` made something else from, not ``prev``'s product."""
    t = cur.tree
    if prev.tree is not t or prev.i >= cur.i:
        return False
    mine = _pronouns(t, cur)
    if not mine or any(t.low(j) in _PLURAL for j, _ in mine):
        return False
    product = _product(t, prev)
    if product is None:
        return False
    if _plural(t, product):
        # "make three pictures to go with it, and have it read aloud": pictures are no "it"
        return _source_pronoun(t, prev)
    # "an audio version of the newsletter, and a Polish translation of it": the same slot
    return _made_of(t, product) and any(case == "of" for _, case in mine)


doc_only(
    "O344", "made-apart-then-joined",
    "'generate a picture of a unicorn, write a verse for inside, and put them together': things made each from their own material, listed before a step that takes them all, are made side by side; that step waits for every one.",
    """A list of requests with commas is a procedure when each hands its
    result on (O311). When every request in the list makes a new thing ("a
    picture", "a verse") or works on a material of its own (a file, a named
    folder) and none points back at the one before, while the list ends on a
    step that takes them all ("put them together", "lay it all out",
    "combine both"), nothing flows between the requests: they run side by
    side and the last step waits for each. Without such a closing step the
    list keeps its order ("run the suite, fix the worst test, rerun").""",
)

_INDEFINITE = frozenset({"a", "an", "another", "some"})
# words that take every result made before them: "put them together", "lay it all out"
_ALL = frozenset({"them", "both", "everything", "together"})


def _data(t: Tree, k: int) -> bool:
    text = t.words[k].text
    return len(text) >= 2 and text[0] == "Q" and text[1:] == "x" * (len(text) - 1)


def own_input(t: Tree, p: Pred) -> bool:
    """The predicate makes a new thing ("a verse") or works on a material named in its own words
    (a file, a proper name), and no pronoun points back."""
    words = set(_phrases(t, p.i))
    if t.words[p.i].upos == "NOUN":
        words.update(t.subtree(p.i))
    if any(t.low(j) in _SINGULAR | _PLURAL and t.words[j].upos in ("PRON", "DET") for j in words):
        return False
    product = _product(t, p)
    if product is not None and any(t.low(c) in _INDEFINITE for c in t.children(product, "det")):
        return True
    return any(_data(t, j) or t.words[j].upos == "PROPN" for j in words)


def takes_all(t: Tree, p: Pred) -> bool:
    """The predicate takes every result before it: "put them together", "lay it all out",
    "combine both"."""
    words = set(_phrases(t, p.i)) | set(t.children(p.i, "advmod", "compound:prt"))
    for j in sorted(words):
        low = t.low(j)
        if low in _ALL:
            return True
        if low == "all" and j > 0 and t.low(j - 1) in ("it", "them"):
            return True
    return False
