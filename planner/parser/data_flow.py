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

import re
from functools import cache

from planner.parser.clauses import Pred
from planner.parser.implied import kinds_section, load_kinds, mentions
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import load_words, word_set

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
    cases = t.lows(t.children(j, "case"))
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
    if prev.tree is not t or prev.i >= cur.i or "next" in cur.markers:
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


_IDENTIFIER = re.compile(r"^(?=.*[A-Za-z])(?=.*[0-9_/]).{3,}$")


def _identifier(text: str) -> bool:
    """A name written like a folder or a file of the user's ("Show_2024", "Q3_scans")."""
    return bool(_IDENTIFIER.match(text)) and not text.isdigit()


def own_input(t: Tree, p: Pred) -> bool:
    """The predicate makes a new thing ("a verse") or works on a material named in its own words
    (a file or a folder), and no pronoun points back."""
    words = set(_phrases(t, p.i))
    if t.words[p.i].upos == "NOUN":
        words.update(t.subtree(p.i))
    if any(t.low(j) in _SINGULAR | _PLURAL and t.words[j].upos in ("PRON", "DET") for j in words):
        return False
    product = _product(t, p)
    if product is not None and any(t.low(c) in _INDEFINITE for c in t.children(product, "det")):
        return True
    # a file or folder of its own ("from results.xlsx"); a proper name may only label the
    # fields of the thing before ("parse the SKU fields")
    return any(_data(t, j) or _identifier(t.words[j].text) for j in words)


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


doc_only(
    "O345", "material-named-again",
    "'caption beach.jpg and classify it', 'transcribe the lyrics off demo.wav and work out the genre from the audio': after a step that only looks at the user's material, another look at 'it', or the material named again by its kind, is that material, so the two steps run side by side.",
    """Captioning, describing, detecting, counting or transcribing make a new
    thing from a picture or a recording and leave the material as it was
    (``[leaves_material]`` in rules/kinds.toml). A following step that names
    the material again by its kind with "the" ("from the audio", "the
    photo") works on the user's material, not on the caption or the
    transcript: it waits for what the step before waited for. So does a
    second look at "it" after a caption or a description ("caption x.jpg
    and classify it"), or after a detection when "also"/"too" says so. Work
    that builds on what was made ("caption x.jpg and make it into a card",
    "detect the faces in x.jpg and blur them", "transcribe x.m4a and tidy
    it up", "describe x.jpg and translate it") takes the product, as before
    (O304).""",
)

doc_only(
    "O346", "then-after-side-by-side",
    "'caption beach.jpg and classify it, then give me a title from both': a step put after work that runs side by side in the same sentence (O343-O345) waits for every one of them.",
    """When the steps just before were read as side by side on one source
    (O343, O345) or made apart (O344), a later request of the same sentence
    marked "then", or one that takes them all ("from both", "put them
    together"), waits for the end of each, not only for the last one
    written.""",
)

_MEDIA = frozenset({"image", "audio", "video"})
_DEFINITE = frozenset({"the", "this", "that", "my", "our", "your"})


@cache
def _leaves() -> dict[str, frozenset[str]]:
    """``[leaves_material]``: what looks at the material without changing it, by how (rules/kinds.toml)."""
    table = kinds_section("leaves_material")
    return {key: word_set(table, key, "leaves_material", "rules/kinds.toml") for key in ("describes", "finds", "words_out")}


def material_again(text: str, prev: Pred, cur: Pred) -> bool:
    """O345: ``cur`` works on the user's material that ``prev`` only looked at."""
    t = cur.tree
    leaves = _leaves()
    if prev.tree is not t or prev.i >= cur.i or "next" in cur.markers or not any(prev.verb in v for v in leaves.values()):
        return False  # "detect the text on the stone in x.jpg, then search for the name on it": stated order
    k = load_kinds()
    found = [m for m in mentions(text, t, k) if m.kind in _MEDIA]
    before = set(range(prev.i, cur.i))  # what is named between the two verbs is what ``prev`` works on
    kinds = {m.kind for m in found if m.head in before}
    if not kinds:
        return False
    mine = set(_phrases(t, cur.i))
    if t.words[cur.i].upos == "NOUN":
        mine.update(t.subtree(cur.i))
    for m in found:
        # "work out the genre from the audio": the material again, by its kind
        if m.head in mine and m.kind in kinds and any(
            t.low(d) in _DEFINITE for d in t.children(m.head, "det", "nmod:poss")
        ):
            return True
    if prev.verb in leaves["words_out"]:
        return False  # "transcribe x.m4a and tidy it up": after the words are out, "it" is the words
    if prev.verb in leaves["finds"] and not cur.markers & {"also", "parallel"}:
        return False  # "detect the faces in x.jpg and make a blurred copy of it": what was found is used
    if cur.verb not in leaves["describes"] | leaves["finds"]:
        return False  # "caption x.jpg and make it into a card": what is made may carry the caption
    if cur.verb in k.needs_text or cur.verb in k.deliver or cur.verb in k.says or cur.verb in k.wants:
        return False  # "describe x.jpg and translate it", "... and email it", "I need it ...": the product
    # "caption beach.jpg and classify it": work on the material takes the material
    return any(t.low(j) in _SINGULAR and case in (None, "of", "in", "on") for j, case in _pronouns(t, cur))


doc_only(
    "K570", "apart-before-join",
    "'find the train times, get a quote for a hotel, then draft an email combining the two': a step that takes two (or three) results at once joins separate lines of work, so the requests before it that do not point back start lines of their own.",
    """A comma list is a procedure (O311) because each request usually works
    on what the one before left. A later request that takes a counted
    number of results at once ("using both", "combining the two", "with
    all three") says how many lines of work meet there. Walking back from
    it, each request that neither points back ("it", "that", "the
    summary") nor is put in order by "then" starts a new line, until there
    are as many line ends as results taken; the taking step waits for
    those ends, and the requests that start a line wait only for what the
    list as a whole waited for. A request that points back stays on its
    line ("fetch the share price, multiply it by my shares, read the tax
    rules, and join both in a memo": the product and the rules meet). With too few
    independent requests ("transcribe it, summarise it, then send both")
    nothing changes.""",
)

doc_only(
    "K571", "starts-own-line",
    "A request cut off from the one before by K570: it starts its own line of work, and the order model adds no wait before it.",
    """Marked on the requests K570 parts from the list before a step that
    takes several results, so the learned order (O300) keeps them apart.""",
)

doc_only(
    "K572", "also-on-same-material",
    "'get the words out of a talk, find the titles in them, and separately write a digest of it': work marked 'also' or 'separately' that works on the same material as the step before it is a second branch from that material, not a fresh start.",
    """"Also", "separately" and "meanwhile" say a request does not wait for
    the step just before (O307). When that step itself worked on an earlier
    result, and the new request has no material of its own (no file, no new
    thing of its own) but points back ("summarise it", "from it"), repeats
    the same work ("plot the costs, and separately plot the income"),
    only looks at material (a detection, an extraction, a description) or
    makes a summary ("and also do a short summary"), it
    works on what that step worked on: it waits for what that step waited
    for, side by side with it. Unrelated errands ("and also book a table")
    still start fresh.""",
)

def _with_noun(t: Tree, j: int) -> bool:
    """The number counts a noun next to it ("two hours"), whatever the parse made its head."""
    h = t.head(j)
    return (h is not None and t.words[h].upos == "NOUN") or any(t.words[c].upos == "NOUN" for c in t.children(j))


def results_taken(t: Tree, p: Pred) -> int:
    """K570: how many results the predicate takes at once ("using both", "combining the two",
    "with all three"); 0 when it names no count."""
    words = set(_phrases(t, p.i))
    if t.words[p.i].upos == "NOUN":
        words.update(t.subtree(p.i))
    for j in sorted(words):
        low = t.low(j)
        if t.rel(j).startswith("nsubj"):
            continue  # "until both sign off": people who act, not results taken
        if low == "both":
            # not "both the logs and the metrics": the pair is named right there ("with both and
            # email it" still stands for two results)
            named_pair = j + 1 < len(t) and t.low(j + 1) not in ("and", "&", ",", ".")
            if named_pair and any(t.low(x) in ("and", "&") for x in range(j + 1, min(j + 6, len(t)))):
                continue
            return 2
        # "the two", "all three": a number word stands for the results ("two charts" counts
        # charts); figures are left out ("a reminder 2 hours before" counts hours)
        if (n := load_words().number_words.get(low)) is not None and t.rel(j) != "nummod" and not _with_noun(t, j):
            return n
    return 0


def looks_at_material(t: Tree, p: Pred) -> bool:
    """K572: the predicate only looks at material, by its verb ("extract the dates") or by the
    work it names ("run text detection")."""
    leaves = _leaves()
    looking = leaves["describes"] | leaves["finds"] | leaves["words_out"]
    if p.verb in looking:
        return True
    objs = [k for k in t.children(p.i, "obj") if t.words[k].upos == "NOUN"]
    # the noun of the work: the verb's stem and a suffix that names doing it ("detection", "counting")
    return any(t.lemma(k) == v.removesuffix("e") + end for k in objs for v in looking for end in _WORK_ENDINGS)


_WORK_ENDINGS = ("ion", "ing", "ation")


def drawn_from(t: Tree, p: Pred) -> bool:
    """K572: the predicate makes a summary, which is drawn from material ("do a short summary")."""
    product = _product(t, p)
    return product is not None and t.lemma(product) in load_kinds().summary_nouns
