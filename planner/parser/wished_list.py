"""S330: a verbless list of wanted results and questions is one step per part.

Requests to an assistant with tools are often written without a verb at all:
the material first, then what the writer wants from it, as a list of things
and questions ("the meeting recording, notes.m4a - what the chair decided,
and a short email for the staff from that"; "Old ledger page, ledger.jpg.
The totals on it, then what they come to in euros."). Nothing reads as work
(no imperative, no wish verb), so the whole text used to be one step (S199).

Each part of such a list asks for one piece of work: a question is answered,
a thing that is a product of work (``[composed]``, ``[piece_parts]`` and
``[wished_list] asked`` in ``rules/kinds.toml``) is made, written or found.
The parts are cut where a hard break (";", ":", a dash, a sentence end) or a
soft one ("and", "plus", "then", a comma) comes before a word that opens a
part; a phrase after a comma that opens with "in" or "as" ("..., in
English") stays with the part before it, where the K readings read the
language or the medium. The material itself ("Mrs X's voice note, a.m4a")
is no part: a part must be a question or name a product of work. Read only
where nothing else reads as work, and only for two or more parts: a single
wished thing is left to S109/S275/S276.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.parser.clauses import Pred, negated, noun_verb
from planner.parser.implied import Kinds, _is_composed, _part_verb, load_kinds, mentions
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import Words

doc_only(
    "S330", "wished-list",
    "'the recording, a.m4a - what the chair decided, and a short email for the staff from that': a verbless list of questions and wanted results is one step per part.",
    """Where nothing reads as work, a text that lists what it wants from its
    material without a verb (questions, and things that are products of work:
    a summary, a table, the gist, the totals) asks for one piece of work per
    part. Parts are cut at ";", ":", a dash or a sentence end, and at "and",
    "plus", "then" or a comma before a word that opens a part (a question
    word, "a", "the", a number, "my", "just"); a phrase after a comma that
    opens with "in" or "as" ("in English", "as a table") belongs to the part
    before it. Only for two or more parts; the material named before them is
    no part.""",
)

_WH = frozenset({"what", "how", "whether", "which", "where", "when", "who", "why", "what's", "whats", "how's"})
# a yes/no question opens with its auxiliary ("is it good or bad?")
_AUX_Q = frozenset({"is", "are", "was", "were", "does", "do", "did", "has", "have", "will", "would", "can", "could", "should"})
_HARD = frozenset({";", ":", "—", "–", "-", ".", "?", "!", "…"})
_ARROWS = frozenset({"→", "->", "=>", "⇒"})
_SOFT = frozenset({",", "and", "plus", "then", "&", "+"})
# words before a part's first word that belong to no part ("and then just the ...")
_LEAD = frozenset({"and", "plus", "then", "also", "just", "only", "please", "pls", "next", "finally", "after", "that", "&", "+", ","})
# "my", "our", "your" are left out: the speaker's own thing is material, not a result (as K540)
_OPEN_DETS = frozenset({"a", "an", "the", "one", "some", "any", "every", "each", "those", "these", "that", "this", "his", "her", "their"})
# words that bring in a new thing ("a short email", "one line")
_NEW = frozenset({"a", "an", "one", "another", "some"})
# a part glued to the one before it: its language or medium
_GLUE = frozenset({"in", "as", "into"})


@dataclass(frozen=True)
class _Part:
    lo: int
    hi: int  # inclusive
    question: bool
    voiced: bool = False  # S433: "..., spoken": the part before it said aloud


def _chunks(t: Tree, lows: Sequence[str]) -> list[tuple[int, int]]:
    """Word ranges between breaks: every hard break, and every soft one."""
    out: list[tuple[int, int]] = []
    lo = 0
    for i, w in enumerate(lows):
        if w in ("-", "/") and not _spaced(t, i):
            continue  # "a one-line verdict", "mid-run": a word split by the tokenizer
        if w in _HARD or w in _SOFT or _emoji(w):
            if i > lo:
                out.append((lo, i - 1))
            lo = i + 1
    if lo < len(lows):
        out.append((lo, len(lows) - 1))
    return out


def _emoji(w: str) -> bool:
    """A word of pictographs ("3 hours 😩 the key points"): it closes what comes before it
    as a sentence end does."""
    return bool(w) and all(ord(c) >= 0x2600 and not c.isalnum() for c in w)


def _spaced(t: Tree, i: int) -> bool:
    """A dash set off by a space on either side ("notes.m4a - what she said")."""
    w = t.words[i]
    return (i > 0 and t.words[i - 1].end < w.start) or (i + 1 < len(t) and w.end < t.words[i + 1].start)


def _strip(lows: Sequence[str], lo: int, hi: int) -> int:
    while lo <= hi and lows[lo] in _LEAD and not (lows[lo] == "that" and lo + 1 <= hi and lows[lo + 1] in ("in", "as")):
        lo += 1
    return lo


def _strip_please(lows: Sequence[str], lo: int, hi: int) -> int:
    """The last word of a part before a closing "please" ("out loud please")."""
    while hi > lo and lows[hi] in ("please", "pls", "thanks"):
        hi -= 1
    return hi


def _opens_question(t: Tree, lows: Sequence[str], lo: int, hi: int) -> bool:
    if lows[lo] in ("which", "who") and lo > 0 and lows[lo - 1] == ",":
        return False  # "the draft, which should then be reviewed": a relative clause
    if lows[lo] in _WH:
        # "what is wanted is a draft": a pseudo-cleft names a thing, it asks nothing
        # ("what he thinks is wrong" asks: a subject stands between the wh-word and the verb)
        return not any(
            t.words[i].upos == "VERB" and lows[i + 1] in ("is", "are", "was", "were")
            and all(t.words[x].upos == "AUX" for x in range(lo + 1, i))
            for i in range(lo + 1, hi)
        )
    # "is it good or bad?": an auxiliary first, and the sentence asks
    return lows[lo] in _AUX_Q and hi + 1 < len(lows) and lows[hi + 1] == "?" and lo + 1 <= hi


def _asked_noun(t: Tree, lo: int, hi: int, k: Kinds) -> int | None:
    """The noun of a part that names a product of work, before its first preposition or clause."""
    for i in range(lo, hi + 1):
        w = t.words[i]
        if w.upos in ("ADP", "SCONJ", "VERB", "AUX") or (t.low(i) in ("that", "which", "who") and i > lo):
            return _as_made(t, lo, i, hi, k)
        low = t.low(i)
        if w.upos in ("NOUN", "PROPN", "ADJ") and (
            low in k.piece_made or low in k.piece_results or low in k.asked or _is_composed(t, i, k)
        ):
            # the head is the last noun of the run that starts here ("a bar graph": graph)
            j = i
            while j + 1 <= hi and t.words[j + 1].upos in ("NOUN",) and t.low(j + 1) != "'s":
                j += 1
            return j if t.words[j].upos == "NOUN" else i
    return None


_FROM = frozenset({"on", "in", "from", "of", "off"})
_BACK = frozenset({"it", "them", "that", "this", "those", "these", "both"})


def _as_made(t: Tree, lo: int, i: int, hi: int, k: Kinds) -> int | None:
    """The noun of a part that asks for a thing in a made form: "the measurements as a
    table", "the figures as a bar graph" (the thing before "as"/"into" a picture or a
    written piece)."""
    if t.low(i) not in ("as", "into"):
        return None
    nxt = next((j for j in range(i + 1, hi + 1) if t.words[j].upos in ("NOUN", "PROPN")), None)
    if nxt is None or not (t.low(nxt) in k.piece_made or _is_composed(t, nxt, k)):
        return None
    nouns = [j for j in range(lo, i) if t.words[j].upos in ("NOUN", "PROPN")]
    return nouns[-1] if nouns else None


def _drawn_back(t: Tree, lo: int, hi: int) -> int | None:
    """The noun of a part that picks a thing out of what came before: "the doses on it",
    "a tidy handover from them", "the key terms from that" (the noun right before a
    preposition whose object points back)."""
    for i in range(lo + 1, hi):
        if t.low(i) in _FROM and t.low(i + 1) in _BACK and (i + 2 > hi or t.words[i + 2].upos in ("PUNCT", "ADP", "SCONJ", "PRON", "ADV")):
            nouns = [j for j in range(lo, i) if t.words[j].upos == "NOUN"]
            return nouns[-1] if nouns else None
        if t.words[i].upos in ("VERB", "AUX"):
            return None
    return None


_POINTERS = frozenset({"that", "those", "it", "them", "this", "these"})


def _pointed_form(t: Tree, lows: Sequence[str], lo: int, hi: int, k: Kinds) -> int | None:
    """The form's noun of a part that wants a result named before in another form: "that in
    euros", "those prices as a bar graph", "that time in my calendar" (a pointer, at most
    two nouns, then "in", "as" or "into" and the form)."""
    if lows[lo] not in _POINTERS:
        return None
    i = lo + 1
    while i <= hi and i <= lo + 2 and t.words[i].upos in ("NOUN", "PROPN"):
        i += 1
    if i > hi or lows[i] not in _FORM_CASES:
        return None
    return next((j for j in range(i + 1, hi + 1) if t.words[j].upos in ("NOUN", "PROPN")), None)


def _points_back(lows: Sequence[str], lo: int, hi: int) -> bool:
    """The part names what it is drawn from by a word that points back ("of that clause",
    "out of that", "from them")."""
    return any(lows[i] in _FROM | {"out"} and lows[i + 1] in _BACK for i in range(lo + 1, hi))


def _opens_thing(t: Tree, lows: Sequence[str], lo: int) -> bool:
    w = t.words[lo]
    return lows[lo] in _OPEN_DETS or (w.upos in ("NUM", "NOUN", "ADJ", "PROPN") and lows[lo] not in ("my", "our", "your"))


def _parts(text: str, t: Tree, k: Kinds) -> list[_Part]:
    lows = t.lows()
    named = {i for m in mentions(text, t, k) for i in m.words}
    parts: list[_Part] = []
    chunks = _chunks(t, lows)
    for n, (lo, hi) in enumerate(chunks):
        start = _strip(lows, lo, hi)
        if start > hi:
            continue
        before = lows[lo - 1] if lo > 0 else ""
        if lows[start] in _GLUE and parts and before == "," and parts[-1].hi + 2 >= lo - 1:
            last = parts[-1]
            parts[-1] = _Part(last.lo, hi, last.question)  # "..., in English": the part's language
            continue
        if parts and before == "," and tuple(lows[start : _strip_please(lows, start, hi) + 1]) in k.voiced:
            parts.append(_Part(start, hi, False, voiced=True))  # "..., spoken": the part before, said aloud
            continue
        if _opens_question(t, lows, start, hi):
            parts.append(_Part(start, hi, True))
            continue
        form = _pointed_form(t, lows, start, hi, k)
        if form is not None and parts:
            parts.append(_Part(start, hi, False))  # "..., and that in euros": the result before, in a form
            continue
        # a part is more than one word: a lone noun in a list ("cost, turnaround") is a field, not a thing
        noun = (_asked_noun(t, start, hi, k) or _drawn_back(t, start, hi)) if hi > start and _opens_thing(t, lows, start) else None
        if noun is None or _material(t, lows, chunks, n, named, noun):
            continue
        parts.append(_Part(start, hi, False))
    return parts


def _material(t: Tree, lows: Sequence[str], chunks: Sequence[tuple[int, int]], n: int, named: set[int], noun: int) -> bool:
    """The part names the user's material, not a result: it names a kind of material or a
    file itself ("drug chart photo from the ward"), a file follows it after a comma ("the
    handwritten notes, notes.jpg"), or it is the subject of a statement ("the newsletter
    ... is massive")."""
    lo, hi = chunks[n]
    lo = _strip(lows, lo, hi)
    # a new thing of a kind of material ("a short email", "one voice note") is a result
    if any(i in named for i in range(lo, hi + 1)) and not (lows[lo] in _NEW or t.words[lo].upos == "NUM"):
        return True
    if n + 1 < len(chunks) and hi + 1 < len(lows) and lows[hi + 1] in (",", "(") and chunks[n + 1][0] in named:
        return True
    h = t.head(noun)
    return t.rel(noun) in ("nsubj", "nsubj:pass") and h is not None and (
        t.words[h].upos in ("VERB", "AUX") or t.child(h, "cop") is not None
    )


def _wished_before(t: Tree, lo: int, k: Kinds) -> bool:
    """A verb of wanting or getting comes before the list: the list is its object."""
    return any(t.words[i].upos in ("VERB", "AUX") and t.lemma(i) in k.wish_verbs for i in range(lo))


def _verbal(t: Tree, lo: int, hi: int) -> bool:
    """The part is a clause with a verb of its own that asks for work (not the list's)."""
    return any(t.words[i].upos == "VERB" and t.rel(i) == "root" for i in range(lo, hi + 1))


def verbless_wishes(text: str, trees: Sequence[Tree], w: Words, k: Kinds | None = None) -> list[Pred]:
    """S330: one predicate per part of a verbless list of wanted results and questions."""
    kinds = k or load_kinds()
    if any(a in text for a in _ARROWS):
        return []  # "costs for A, B and C => one chart": a terse line of stages (S140, S141)
    found: list[tuple[Tree, _Part]] = []
    for t in trees:
        parts = _parts(text, t, kinds)
        if parts and _wished_before(t, parts[0].lo, kinds):
            # "I want a written version, a spoken one and ...": the wish's list (S109, K542);
            # "we'd like just the headlines" of the one recording: S432's
            continue
        for p in parts:
            if not p.question and _verbal(t, p.lo, p.hi):
                continue
            found.append((t, p))
    if not found:
        found = _wished_digest(text, trees, kinds)
    if len(found) == 1 and not _one_digest(text, trees, found[0], kinds):
        return []
    if not found:
        return []
    code = "S330" if len(found) >= 2 else "S432"
    out: list[Pred] = []
    for t, p in found:
        part = range(p.lo, p.hi + 1)
        if p.question:
            head = next((i for i in part if t.head(i) not in part and t.rel(i) not in ("punct", "cc")), p.lo)
            out.append(Pred(t, head, "answer", "question", [code], part=(p.lo, p.hi + 1)))
        else:
            out.append(_thing_pred(t, p, kinds, w, code))
    return out


doc_only(
    "S433", "wished-spoken",
    "'only what concerns bell ringers, spoken, for my commute': a part of a verbless list that only says the result is spoken is the voicing of the part before it.",
    """In a verbless list of wishes (S330), a part set off by a comma that is
    only "spoken", "aloud", "out loud" or "read out" (``[wished_list]
    voiced``) names no new thing: the part before it is wanted said aloud,
    so the part is a step that voices it (``[synthesis] audio``), after it.
    Such a word inside a part ("a spoken summary", "the names read out")
    stays with that part, and a lone "spoken" with nothing before it is no
    part.""",
)


doc_only(
    "S432", "wished-digest",
    "'briefing.m4a lasts forty minutes. Only the headlines.': one verbless wish for a digest of the one recording or video the text names is a step.",
    """S330 reads a verbless list only for two or more parts; one part is
    enough where it names a thing picked out of words (the gist, the
    headlines, the dates, the totals: ``[drawn_from] summaries`` or
    ``[wished_list] asked``) and the text names one recording or video of
    the user's outside the part: what is wished for is
    drawn from that material, and K580 takes its words out first. A lone
    question, a thing that names no digest ("a nice tone"), or a text with
    no such material stays one step (S199).""",
)


def _wished_digest(text: str, trees: Sequence[Tree], k: Kinds) -> list[tuple[Tree, _Part]]:
    """S432: "we'd like just the headlines": the object of the speaker's wish, as one part,
    when it names a digest of the one recording the text names."""
    from planner.parser.picked_out import is_digest

    for t in trees:
        for v in range(len(t)):
            subj = t.child(v, "nsubj")
            if t.words[v].upos != "VERB" or t.lemma(v) not in k.wish_verbs or negated(t, v):
                continue
            if subj is None or t.low(subj) not in ("i", "we"):
                continue
            obj = t.child(v, "obj")
            if obj is None or not is_digest(t, obj, k):
                continue
            words = [i for i in t.subtree(obj) if t.low(i) not in ("just", "only")]
            part = (t, _Part(min(words), max(words), False))
            return [part] if _one_digest(text, trees, part, k) else []
    return []


def _one_digest(text: str, trees: Sequence[Tree], found: tuple[Tree, _Part], k: Kinds) -> bool:
    """S432: the one part found names a digest of the one piece of material the text names."""
    from planner.parser.implied import _only_material
    from planner.parser.picked_out import is_digest

    t, p = found
    if p.question:
        return False
    noun = _asked_noun(t, p.lo, p.hi, k) or _drawn_back(t, p.lo, p.hi)
    if noun is None or not is_digest(t, noun, k):
        return False
    m = _only_material(text, trees, [], k)
    if m is None or m.speechless or (m.tree is t and p.lo <= m.head <= p.hi):
        return False
    return m.kind in ("audio", "video")


doc_only(
    "S331", "wished-sentence",
    "'Which draft reads better? A one-line verdict I can forward.': a verbless sentence that asks for a new result, or one drawn from what came before, is a step of its own beside the work.",
    """A sentence without a verb that names a product of work (as S330's parts
    do) and brings it in as new ("a", "an", "one", a number) or draws it from
    what came before ("the short version of that clause", "a couple of
    lines out of that") asks for that work even where the sentences around
    it read as work already: each of its parts is a step, after the work
    before it. Questions in such a sentence are left to S110.""",
)

def _thing_pred(t: Tree, p: _Part, k: Kinds, w: Words, code: str) -> Pred:
    """The step of a part that is a thing: its noun and the work that makes it."""
    lows = t.lows()
    if p.voiced:
        return Pred(t, p.lo, k.synthesis.get("audio", "speak"), "wanted", [code, "S433"], anchor=p.lo, part=(p.lo, p.hi + 1))
    form = _pointed_form(t, lows, p.lo, p.hi, k)
    if form is not None:
        verb = _form_verb(t, lows, form, form, k) or k.converter
        return Pred(t, form, verb, "wanted", [code], anchor=form, part=(p.lo, p.hi + 1))
    noun = _asked_noun(t, p.lo, p.hi, k) or _drawn_back(t, p.lo, p.hi)
    assert noun is not None
    return Pred(t, noun, _verb(t, p.lo, p.hi, noun, k, w), "wanted", [code], anchor=noun, part=(p.lo, p.hi + 1))


def _verb(t: Tree, lo: int, hi: int, noun: int, k: Kinds, w: Words) -> str:
    """A picture is made and a written piece written (as K540's parts); else the work its
    noun names ("the gist": summarize, "a description": describe), or found."""
    verb = _part_verb(t, lo, hi, k)
    if verb != k.finder:
        return verb
    if t.low(noun) in k.written:
        return k.piece_writer
    return noun_verb(t.lemma(noun), w) or verb


def wished_sentences(text: str, trees: Sequence[Tree], asked: set[int], w: Words, k: Kinds | None = None) -> list[Pred]:
    """S331: the parts of verbless sentences (trees with no step, ``asked`` being the ids of
    trees that have one) that each bring in a new result or draw one from what came before."""
    kinds = k or load_kinds()
    out: list[Pred] = []
    for t in trees:
        if id(t) in asked or any(t.words[i].upos == "VERB" and t.rel(i) == "root" for i in range(len(t))):
            continue
        parts = [p for p in _parts(text, t, kinds) if not p.question and not _verbal(t, p.lo, p.hi)]
        lows = t.lows()
        # the sentence is the wish: it opens with the part, or with a short lead-in ("If so,",
        # "From that,"); a thing inside a longer remark ("Bonus points if ...") is no request
        if len(parts) != 1 or _strip(lows, 0, len(t) - 1) + 3 < parts[0].lo:
            continue
        for p in parts:
            # a new thing ("a one-line verdict", "one summary"), or one drawn from what came
            # before ("the short version of that clause", "a couple of lines out of that")
            new = lows[p.lo] in _NEW or t.words[p.lo].upos == "NUM"
            if not (new or (lows[p.lo] == "the" and _points_back(lows, p.lo, p.hi))):
                continue
            noun = _asked_noun(t, p.lo, p.hi, kinds)
            if noun is None and lows[p.lo] in _NEW | {"the"}:
                noun = _drawn_back(t, p.lo, p.hi)
            if noun is None:
                continue
            out.append(Pred(t, noun, _verb(t, p.lo, p.hi, noun, kinds, w), "wanted", ["S331"], anchor=noun, part=(p.lo, p.hi + 1)))
    return out


doc_only(
    "S332", "wished-forms",
    "'I need it as a few lines for my file, as a PDF': a wish for a thing already named, in one form after another, is one step per form, each made from the one before.",
    """A wish whose object points back ("I need it", "we'd like them", "and
    need it") followed by forms after "as", "in" or "into" ("as a bar
    graph", "in English", "as a PDF") asks for the thing made over into each
    form in turn: a language is a translation, a medium its making
    (``[mediums]``/``[synthesis]`` in rules/kinds.toml), a written piece is
    written, a picture made. Each form must follow the object or the form
    before it (after a comma or "and"); a form that is none of these ("in a
    shape they accept", "as soon as") is no step. Read where the sentence has
    no other step; the first form is made from the work before it.""",
)

_OVER = frozenset({"it", "them", "this", "that", "these", "those"})
_FORM_CASES = frozenset({"as", "in", "into"})


def _form_verb(t: Tree, lows: Sequence[str], j: int, h: int, k: Kinds) -> str | None:
    """The work of making a thing into the form named from word ``j`` to its noun ``h``."""
    if lows[h] in k.result_languages:
        return k.translator
    for p, kind in k.mediums:
        if tuple(lows[j : j + len(p)]) == p or tuple(lows[h - len(p) + 1 : h + 1]) == p:
            return k.synthesis.get(kind)
    if lows[h] in k.piece_made:
        return k.piece_maker
    if _is_composed(t, h, k) or lows[h] in k.written:
        return k.piece_writer
    return None


def laid_out(p: Pred, k: Kinds | None = None) -> bool:
    """The form is only how an answer is laid out ("as a list", "in a table"): after a
    question it is how the question is answered, no work of its own (as S286)."""
    kinds = k or load_kinds()
    return p.tree.low(p.i) in kinds.layouts


def _one_reader(text: str, trees: Sequence[Tree], kinds: Kinds) -> str | None:
    """The verb that takes the words out of the material, when the text names one kind of
    it (a recording, a picture). Looked for only when a form needs it: it reads every
    sentence's material, and S332 is asked of every sentence."""
    named = {m.kind for tr in trees for m in mentions(text, tr, kinds) if m.kind in kinds.readers}
    return kinds.readers[next(iter(named))] if len(named) == 1 else None


def wished_forms(text: str, trees: Sequence[Tree], t: Tree, k: Kinds | None = None) -> list[Pred]:
    """S332: one predicate per form a pointed-at thing is wished in ("I need it as a few
    lines, as a PDF"), in the order given."""
    kinds = k or load_kinds()
    lows = t.lows()
    for v in range(len(t)):
        if t.words[v].upos != "VERB" or t.lemma(v) not in kinds.wish_verbs or negated(t, v):
            continue
        subj = t.child(v, "nsubj")
        obj = t.child(v, "obj")
        if (subj is not None and lows[subj] in ("you", "u")) or obj is None or obj != v + 1 or lows[obj] not in _OVER:
            continue
        end = next((j for j in range(obj + 1, len(t)) if lows[j] in (".", "?", "!", ";")), len(t))
        out: list[Pred] = []
        prev = obj  # the last word of the object or the form before
        i = obj + 1
        while i < end:
            joined = i == prev + 1 or all(lows[x] in (",", "and", "then") for x in range(prev + 1, i))
            if lows[i] not in _FORM_CASES or not joined:
                i += 1
                continue
            j = i + 1
            while j < end and t.words[j].upos in ("DET", "ADJ", "NUM"):
                j += 1
            h = j
            if h >= end or t.words[h].upos not in ("NOUN", "PROPN"):
                break
            while h + 1 < end and t.words[h + 1].upos == "NOUN":
                h += 1
            verb = _form_verb(t, lows, j, h, kinds)
            if verb is None and lows[h] in kinds.the_words:
                verb = _one_reader(text, trees, kinds)  # "as proper text": the words taken out of the one recording or picture
            if verb is None:
                break
            stop = next((x for x in range(h + 1, end) if lows[x] in (",", "and", "then")), end)
            # the first form's step is asked for by the wish itself ("need it in Spanish")
            q = Pred(t, h, verb, "wanted", ["S332"], anchor=v, part=(i if out else v, stop))
            out.append(q)
            prev = stop - 1
            i = stop
        if out:
            return out
    return []


doc_only(
    "S333", "question-then-wished",
    "'what's the total for March, and that in dollars?', 'what is she asking, and the date she wants in my calendar': a question followed by wanted things in the same sentence is a step per part.",
    """A question read as one step (S110) may go on, after a comma and "and"
    or "then", with things wanted from its answer ("and that in euros", "and
    a short reply I can send"): each part, cut as S330 cuts them, is a step
    after the question. Not when the sentence is split already (S126), when
    a second question follows (S126's to read), or when nothing after the
    question is a part.""",
)


def question_parts(text: str, p: Pred, w: Words, k: Kinds | None = None) -> list[Pred]:
    """S333: the parts after a question's first part in its sentence; ``p``'s words are cut
    down to that first part."""
    kinds = k or load_kinds()
    t = p.tree
    parts = _parts(text, t, kinds)
    if len(parts) < 2 or not parts[0].question or not parts[0].lo <= p.i <= parts[0].hi:
        return []
    if any(t.low(i) in ("each", "every", "both") for i in range(parts[0].lo, parts[0].hi + 1)):
        return []  # "which protocol each one allows, one table": asked of each item (S118, S173)
    rest = parts[1:]
    # a second question is S126's to split, or one question asked in two ("what's the rent and how far it is")
    if any(q.question or _verbal(t, q.lo, q.hi) for q in rest):
        return []
    p.part = (parts[0].lo, parts[0].hi + 1)
    out: list[Pred] = []
    for q in rest:
        if q.question:
            head = next((i for i in range(q.lo, q.hi + 1) if t.head(i) is None or not q.lo <= (t.head(i) or 0) <= q.hi), q.lo)
            out.append(Pred(t, head, "answer", "question", ["S333"], part=(q.lo, q.hi + 1)))
        else:
            out.append(_thing_pred(t, q, kinds, w, "S333"))
    return out


def names_material(text: str, trees: Sequence[Tree], k: Kinds | None = None) -> bool:
    """The text names a file, a web address or a kind of material of ``rules/kinds.toml``."""
    kinds = k or load_kinds()
    return any(mentions(text, t, kinds) for t in trees)
