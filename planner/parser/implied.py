"""Work the words imply: the K readings over the drafts of a task.

On requests to an assistant with picture, sound, video, document and web
tools, some work is named by no verb. "What does my landlord say in
voicemail.m4a?" is answered from a transcript; "send my sister the gist of
contract.pdf" sends a summary that has to be written; "tell me in a voice
message" wants the answer spoken. Each reading adds one **implied step**: its
cue names the reading, its text and span are the material it works on, and it
sits before the step that needs it (or after it, for a delivery in another
medium).

The readings are conservative on purpose: they fire only where the text names
the material's kind outright (a file extension, a web address, a noun of
``rules/kinds.toml``), only for a step whose own verb cannot take that kind,
and only once per need. Plain text, documents and code need nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner import lazyre, tomlcache
from planner.errors import RuleFileError
from planner.parser.clauses import Pred, negated
from planner.parser.readings import doc_only, reading
from planner.parser.tree import Tree

_PATH = "rules/kinds.toml"
_URL = lazyre.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_FILE = lazyre.compile(r"[\w~./-]*\.([A-Za-z0-9]{2,5})")
_MEDIA = ("image", "audio", "video")
_POINTING = frozenset({"it", "this", "that", "them", "these", "those"})
# "into" is left out: "combine the clips into a video" names what the verb itself makes
_MEDIUM_CASES = frozenset({"as", "in", "with", "via"})
_INDEFINITE = frozenset({"a", "an", "one", "some"})


def _strings(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleFileError(f"[{where}] {key} must be a list of strings", path=_PATH)
    return tuple(v.lower() for v in value)


def _phrases(values: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """Word tuples, longest first (so "voice note" wins over "note")."""
    return tuple(sorted({tuple(v.split()) for v in values}, key=lambda p: (-len(p), p)))


def _by_kind(table: Mapping[str, Any], where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(table, dict):
        raise RuleFileError(f"[{where}] must be a table", path=_PATH)
    return {kind: _strings(table, kind, where) for kind in table}


def _one_each(table: Mapping[str, Any], where: str) -> dict[str, str]:
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise RuleFileError(f"[{where}] maps a kind to one verb", path=_PATH)
    return {k: v.lower() for k, v in table.items()}


@dataclass(frozen=True)
class Kinds:
    """The kinds table (``rules/kinds.toml``): what material is, and what work needs."""

    extensions: Mapping[str, str]  # "m4a" -> "audio"
    nouns: tuple[tuple[tuple[str, ...], str], ...]  # (("voice", "note"), "audio"), longest first
    speechless: frozenset[str]
    readers: Mapping[str, str]  # kind -> the verb that takes its words out
    takes_out: Mapping[str, frozenset[str]]
    needs_text: frozenset[str]
    says: frozenset[str]
    image_say_needs: frozenset[str]
    image_says: frozenset[str]
    drawn: tuple[tuple[str, ...], ...]
    summary_nouns: frozenset[str]
    summary_writer: str
    deliver: frozenset[str]
    mediums: tuple[tuple[tuple[str, ...], str], ...]
    aloud: tuple[tuple[str, ...], ...]
    makers: Mapping[str, frozenset[str]]
    synthesis: Mapping[str, str]
    modelled_verbs: frozenset[str]
    modelled_things: frozenset[str]
    modelled_links: tuple[tuple[str, ...], ...]
    fetchers: frozenset[str]
    text_bearing: frozenset[str] = frozenset()
    picture_work: frozenset[str] = frozenset()
    about_picture: frozenset[str] = frozenset()
    read_is_answer: frozenset[str] = frozenset()
    content_verbs: frozenset[str] = frozenset()
    the_words: frozenset[str] = frozenset()
    wants: frozenset[str] = frozenset()
    reply_verbs: frozenset[str] = frozenset()
    reply_nouns: frozenset[str] = frozenset()
    composed: tuple[tuple[str, ...], ...] = ()
    composing_verbs: frozenset[str] = frozenset()
    composed_cases: frozenset[str] = frozenset()
    hearing: frozenset[str] = frozenset()
    changers: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    translator: str = "translate"
    from_speech: frozenset[str] = frozenset()
    describer: str = "describe"
    result_languages: frozenset[str] = frozenset()
    finder: str = "find"
    spoken_after: frozenset[str] = frozenset()
    piece_links: frozenset[str] = frozenset()
    piece_link_verbs: frozenset[str] = frozenset()
    piece_question_links: frozenset[str] = frozenset()
    piece_made: frozenset[str] = frozenset()
    piece_maker: str = "make"
    piece_writer: str = "write"
    wish_verbs: frozenset[str] = frozenset()
    piece_results: frozenset[str] = frozenset()
    asked: frozenset[str] = frozenset()  # S330: things a verbless list asks for ("the gist", "the totals")
    not_drawn: frozenset[str] = frozenset()  # K580: of those, things not picked out of words ("a still", "the text")
    written: frozenset[str] = frozenset()  # S332: forms that are short written pieces ("as a few lines")
    layouts: frozenset[str] = frozenset()  # S332: forms that only lay an answer out ("as a list")
    converter: str = "convert"  # S330: a result wanted in another unit or place ("that in euros")
    voiced: tuple[tuple[str, ...], ...] = ()  # S433: a part that only says the result is spoken ("..., spoken")


def kinds_from_table(data: Mapping[str, Any]) -> Kinds:
    ext = _by_kind(data.get("extensions", {}), "extensions")
    nouns = _by_kind(data.get("nouns", {}), "nouns")
    need = data.get("needs_text", {})
    drawn = data.get("drawn_from", {})
    med = dict(_by_kind(data.get("mediums", {}), "mediums"))
    aloud = med.pop("aloud", ())
    hearing = med.pop("hearing", ())
    replies = data.get("replies", {})
    composed = data.get("composed", {})
    foreign = data.get("foreign", {})
    model = data.get("modelled_on", {})
    web = data.get("web", {})
    parts = data.get("piece_parts", {})
    if not isinstance(parts, dict):
        raise RuleFileError("[piece_parts] must be a table", path=_PATH)
    tb = data.get("text_bearing", {})
    if not isinstance(tb, dict):
        raise RuleFileError("[text_bearing] must be a table", path=_PATH)
    return Kinds(
        extensions={e: kind for kind, es in ext.items() for e in es},
        nouns=tuple(
            sorted(
                ((p, kind) for kind, ns in nouns.items() for p in _phrases(ns)),
                key=lambda x: (-len(x[0]), x[0]),
            )
        ),
        speechless=frozenset(
            w for ws in _by_kind(data.get("speechless", {}), "speechless").values() for w in ws
        ),
        readers=_one_each(data.get("readers", {}), "readers"),
        takes_out={
            k: frozenset(v)
            for k, v in _by_kind(data.get("takes_words_out", {}), "takes_words_out").items()
        },
        needs_text=frozenset(_strings(need, "verbs", "needs_text")),
        says=frozenset(_strings(need, "says", "needs_text")),
        image_say_needs=frozenset(_strings(need, "image_say_needs", "needs_text")),
        image_says=frozenset(_strings(need, "image_says", "needs_text")),
        drawn=_phrases(_strings(drawn, "nouns", "drawn_from")),
        summary_nouns=frozenset(_strings(drawn, "summaries", "drawn_from")),
        summary_writer=_one_each({"writer": drawn.get("writer", "summarize")}, "drawn_from")["writer"],
        deliver=frozenset(_strings(drawn, "deliver", "drawn_from")),
        mediums=tuple(
            sorted(
                ((p, kind) for kind, ms in med.items() for p in _phrases(ms)),
                key=lambda x: (-len(x[0]), x[0]),
            )
        ),
        aloud=_phrases(aloud),
        makers={k: frozenset(v) for k, v in _by_kind(data.get("makers", {}), "makers").items()},
        synthesis=_one_each(data.get("synthesis", {}), "synthesis"),
        modelled_verbs=frozenset(_strings(model, "verbs", "modelled_on")),
        modelled_things=frozenset(_strings(model, "things", "modelled_on")),
        modelled_links=_phrases(_strings(model, "links", "modelled_on")),
        fetchers=frozenset(_strings(web, "fetchers", "web")),
        text_bearing=frozenset(_strings(tb, "nouns", "text_bearing")),
        picture_work=frozenset(_strings(tb, "picture_work", "text_bearing")),
        about_picture=frozenset(_strings(tb, "about_the_picture", "text_bearing")),
        read_is_answer=frozenset(_strings(tb, "read_is_answer", "text_bearing")),
        content_verbs=frozenset(_strings(tb, "content_verbs", "text_bearing")),
        the_words=frozenset(_strings(tb, "the_words", "text_bearing")),
        wants=frozenset(_strings(need, "wants", "needs_text")),
        reply_verbs=frozenset(_strings(replies, "verbs", "replies")),
        reply_nouns=frozenset(_strings(replies, "nouns", "replies")),
        composed=_phrases(_strings(composed, "nouns", "composed")),
        composing_verbs=frozenset(_strings(composed, "verbs", "composed")),
        composed_cases=frozenset(_strings(composed, "cases", "composed")),
        hearing=frozenset(hearing),
        changers=frozenset(_strings(model, "changers", "modelled_on")),
        languages=frozenset(_strings(foreign, "languages", "foreign")),
        translator=_one_each({"translator": foreign.get("translator", "translate")}, "foreign")["translator"],
        from_speech=frozenset(_strings(need, "from_speech", "needs_text")) if "from_speech" in need else frozenset(),
        spoken_after=frozenset(_strings(foreign, "spoken_after", "foreign")),
        result_languages=frozenset(_strings(foreign, "languages", "foreign") + _strings(foreign, "results", "foreign")),
        describer=_one_each({"describer": composed.get("describer", "describe")}, "composed")["describer"],
        piece_links=frozenset(_strings(parts, "links", "piece_parts")),
        piece_link_verbs=frozenset(_strings(parts, "link_verbs", "piece_parts")),
        piece_question_links=frozenset(_strings(parts, "question_links", "piece_parts")),
        piece_made=frozenset(_strings(parts, "made", "piece_parts")),
        piece_maker=_one_each({"maker": parts.get("maker", "make")}, "piece_parts")["maker"],
        piece_writer=_one_each({"writer": parts.get("writer", "write")}, "piece_parts")["writer"],
        wish_verbs=frozenset(_strings(parts, "wish_verbs", "piece_parts")),
        piece_results=frozenset(_strings(parts, "results", "piece_parts")),
        asked=frozenset(_strings(data.get("wished_list", {}), "asked", "wished_list")),
        not_drawn=frozenset(_strings(data.get("wished_list", {}), "not_drawn", "wished_list")),
        written=frozenset(_strings(data.get("wished_list", {}), "written", "wished_list")),
        layouts=frozenset(_strings(data.get("wished_list", {}), "layouts", "wished_list")),
        converter=_one_each({"converter": data.get("wished_list", {}).get("converter", "convert")}, "wished_list")["converter"],
        voiced=_phrases(_strings(data.get("wished_list", {}), "voiced", "wished_list")),
    )


@cache
def load_kinds() -> Kinds:
    """The built-in kinds table (cached for the process)."""
    return kinds_from_table(tomlcache.read_builtin("kinds.toml", "kinds of material"))


def kinds_section(name: str) -> dict[str, Any]:
    """The table ``[name]`` of rules/kinds.toml (empty when the file has none)."""
    table = tomlcache.read_builtin("kinds.toml", "kinds of material").get(name, {})
    if not isinstance(table, dict):
        raise RuleFileError(f"[{name}] must be a table", path=_PATH)
    return table


@dataclass(frozen=True)
class Mention:
    """A piece of material the text names: a file, a web address or a noun of a kind."""

    kind: str  # "image", "audio", "video", "text" or "web"
    tree: Tree
    head: int  # word index
    words: tuple[int, ...]  # the words that name it ("voice", "note")
    speechless: bool = False

    @property
    def start(self) -> int:
        return self.tree.words[min(self.words)].start


@cache
def _nouns_by_first(
    nouns: tuple[tuple[tuple[str, ...], str], ...],
) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]] | None:
    """``nouns`` grouped by first word, each group in the original order (None if a phrase is empty)."""
    if any(not phrase for phrase, _ in nouns):
        return None  # an empty phrase matches anywhere: keep scanning them all
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, kind in nouns:
        out.setdefault(phrase[0], []).append((phrase, kind))
    return {first: tuple(group) for first, group in out.items()}


def mentions(text: str, t: Tree, k: Kinds, within: tuple[int, int] | None = None) -> list[Mention]:
    """The material named in ``t`` (only the words inside ``within``, a character span, if given)."""
    if within is not None:
        return _mentions(text, t, k, within)
    # The K readings, the wished results and the looks at material each ask this of every
    # sentence, a long text's trees a few times over: the answer is kept on the (immutable) tree.
    memo = t.__dict__.get("_mentions")
    if memo is None or memo[0] is not k or memo[1] != text:
        memo = t.__dict__["_mentions"] = (k, text, tuple(_mentions(text, t, k, None)))
    return list(memo[2])


def _mentions(text: str, t: Tree, k: Kinds, within: tuple[int, int] | None) -> list[Mention]:
    out: list[Mention] = []
    taken: set[int] = set()
    lows = t.lows()
    by_first = _nouns_by_first(k.nouns)
    for i, w in enumerate(t.words):
        if i in taken or (within is not None and not (within[0] <= w.start and w.end <= within[1])):
            continue
        raw = text[w.start : w.end]
        # (the regular expressions only on words that can match them: most words are plain)
        if raw[:1] in "hHwW" and _URL.match(raw):
            out.append(Mention("web", t, i, (i,)))
            continue
        m = _FILE.fullmatch(raw) if "." in raw else None
        if m and (kind := k.extensions.get(m.group(1).lower())) is not None:
            out.append(Mention(kind, t, i, (i,)))
            continue
        # "voice" in "voice note" may be tagged anything; a phrase of two words decides
        # Only phrases starting with this word can match here (in k.nouns' order).
        candidates = k.nouns if by_first is None else by_first.get(lows[i], ())
        if w.upos not in ("NOUN", "PROPN", "ADJ") and (
            not candidates or not any(tuple(lows[i : i + len(p)]) == p and len(p) > 1 for p, _ in candidates)
        ):
            continue
        for phrase, kind in candidates:
            n = len(phrase)
            if tuple(lows[i : i + n]) == phrase:
                idx = tuple(range(i, i + n))
                taken.update(idx)
                out.append(
                    Mention(
                        kind,
                        t,
                        i + n - 1,
                        idx,
                        speechless=any(lows[j] in k.speechless for j in idx),
                    )
                )
                break
    return out


def _np_span(text: str, m: Mention, stop: set[int]) -> tuple[int, int]:
    """The phrase that names the material: "the sign in IMG_4410.jpg", "my voice memo"."""
    t = m.tree
    head = m.head
    h = t.head(head)
    # a file named inside a noun phrase ("the sign in X.jpg", "the voice memo X.ogg") names that noun's thing
    # ("about the match in X.mp3" is what is asked, not the material: a noun under a preposition stays out)
    if (
        h is not None
        and t.rel(head) in ("nmod", "appos", "compound", "flat")
        and t.words[h].upos in ("NOUN", "PROPN")
        and h not in stop
        and t.child(h, "case") is None
    ):
        head = h
    idx = [
        i
        for i in t.subtree(head, stop)
        if t.rel(i) not in ("punct", "acl", "advcl", "cc") or i == head
    ]
    # "in IMG_4410.jpg" names the file: its preposition belongs to the clause
    idx = [i for i in idx if not (t.rel(i) in ("case", "mark") and t.head(i) == head and i < head)]
    # keep the phrase contiguous around its head
    lo = hi = head
    members = set(idx)
    while lo - 1 in members:
        lo -= 1
    while hi + 1 in members:
        hi += 1
    lo = min(lo, min(m.words))
    hi = max(hi, max(m.words))
    return t.span(list(range(lo, hi + 1)))


@dataclass
class Implied:
    """An implied step to add: next to which draft, before or after it, and what it is."""

    at: int  # index of the draft that needs it
    before: bool
    code: str
    verb: str
    tree: Tree
    head: int
    span: tuple[int, int]
    # side by side with the draft (K542): waits for what it waits for, and what waits for it waits for this too
    beside: bool = False


def _scope(d: Any) -> tuple[int, int]:
    """The characters that ask for a draft's work (the whole question, for a question)."""
    span: tuple[int, int] = d.item_span or d.span
    if d.pred.kind == "question":
        t = d.pred.tree
        return (t.start, t.end)
    return span


def _material(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], at: int, k: Kinds, kinds: Sequence[str]
) -> Mention | None:
    """The material of ``kinds`` the draft ``at`` works on: named in its own words, or
    pointed at ("translate it") in a first step, where "it" can only be the user's."""
    d = drafts[at]
    t = d.pred.tree
    # "explain it with a short video": a thing after "with" or "as" is the result's medium, not the material
    own = [m for m in mentions(text, t, k, _scope(d)) if m.kind in kinds and not _medium_case(t, m.head)]
    if own:
        return own[0]
    # "I need it in English" (S275): the wish's object is what the step works on
    over = t.child(d.pred.anchor, "obj") if "S275" in d.pred.codes and d.pred.anchor >= 0 else None
    near = [*t.subtree(d.pred.i), *([over] if over is not None else [])]
    if at > 0 or (d.pred.kind != "question" and not any(t.low(i) in _POINTING for i in near)):
        return None
    # a first step that points at a thing ("what does this say? (label.jpg)"): the user's
    # material, when all the text names is of one kind (a document beside it makes "it" unclear)
    # "as a Word document" is the form the result is wanted in, not material beside it
    found = [
        m for tr in trees for m in mentions(text, tr, k)
        if m.kind != "web" and not (m.kind == "text" and _medium_case(tr, m.head))
    ]
    return found[0] if found and len({m.kind for m in found}) == 1 and found[0].kind in kinds else None


def _is_file(text: str, m: Mention) -> bool:
    w = m.tree.words[m.head]
    return _FILE.fullmatch(text[w.start : w.end]) is not None


def _named_file(text: str, m: Mention, others: Sequence[Mention]) -> Mention:
    """The file that names the same thing as the noun ``m`` ("this voice note (vn.ogg)",
    "this photo wifi.jpg"): the file is what the work opens."""
    if _is_file(text, m):
        return m
    t = m.tree
    for f in others:
        if (
            f.tree is t
            and f.kind == m.kind
            and _is_file(text, f)
            and (m.head in t.subtree(f.head) or f.head in t.subtree(m.head))
        ):
            return f
    # "this photo ... wifi.jpg": "this" points at the one file of its kind the text gives
    files = [f for f in others if f.kind == m.kind and _is_file(text, f)]
    det = t.child(m.head, "det")
    if len(files) == 1 and det is not None and t.low(det) in ("this", "these"):
        return files[0]
    return m


def _medium_case(t: Tree, i: int) -> bool:
    case = t.child(i, "case")
    return case is not None and t.low(case) in _MEDIUM_CASES - {"in"}


def _words_out_before(drafts: Sequence[Any], at: int, kind: str, k: Kinds) -> bool:
    """Some step up to ``at`` already takes the words out, or works on words already, or an
    earlier stage of the same stream wrote the words the step works on ("write captions
    for a.jpg and b.jpg, then translate them": the captions are translated, not the pictures)."""
    takes = k.takes_out.get(kind, frozenset())
    d = drafts[at]
    return any(
        dj.verb in takes or (j < at and dj.verb in k.needs_text) or (j < at and _wrote_for(dj, d))
        for j, dj in enumerate(drafts[: at + 1])
    )


def _wrote_for(dj: Any, d: Any) -> bool:
    """``dj`` is an earlier stage of ``d``'s stream that writes (drafts) words of its own."""
    return (d.group is not None and d.item is not None and dj.group == d.group and dj.item == d.item
            and getattr(dj, "role", "") == "draft")


def _asks_words(t: Tree, d: Any, kind: str, k: Kinds, text: str) -> bool:
    """The draft works on words: its verb needs text, or a question asks what someone says."""
    if d.verb in k.needs_text:
        return True
    question = d.pred.kind == "question"
    for i in range(len(t)):
        lemma = t.lemma(i)
        # "what does he want us to do?" asks what a message says; "what do I need?" does not
        wanted = kind != "image" and lemma in k.wants and _someone_else(t, i)
        if t.words[i].upos not in ("VERB", "AUX") or not (
            wanted or lemma in (k.image_says if kind == "image" else k.says)
        ):
            continue
        if not question and not (t.rel(i) == "ccomp" and t.head(i) == d.pred.i):
            continue  # outside a question, only a clause the step asks about: "tell me what the guide says"
        if kind != "image":
            return True
        # "what does the sign say in English / about the deadline": more than the words themselves
        for c in t.children(i, "obl", "advmod", "nmod"):
            case = t.child(c, "case")
            if (
                case is not None
                and t.low(case) in k.image_say_needs
                and not mentions(text, t, k, (t.words[c].start, t.words[c].end))
            ):
                return True
    return False


_SPEAKER = frozenset({"i", "we", "you", "u", "me", "us"})


def _someone_else(t: Tree, i: int) -> bool:
    """The verb ``i`` has a subject other than the speaker or the reader."""
    subj = t.child(i, "nsubj")
    return subj is not None and t.low(subj) not in _SPEAKER


def _replies(t: Tree, d: Any, k: Kinds) -> bool:
    """The draft writes a reply ("reply to her", "draft a friendly answer")."""
    if d.pred.kind == "question":
        return False  # a question's "answer" step answers the question itself
    if d.verb in k.reply_verbs:
        return True
    if d.pred.kind != "verb":
        return False
    # "draft a short reply", also where the parse hangs the noun one clause down
    v = d.pred.i
    return any(
        t.words[c].upos == "NOUN" and t.lemma(c) in k.reply_nouns and (t.head(c) == v or t.head(t.head(c) or 0) == v)
        for c in t.subtree(v)
        if c != v
    )


def _only_material(text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds) -> Mention | None:
    """The one picture, recording or video the whole text names (a file before a noun), or None.
    A medium the work makes ("make audio", "as a voice note") is a result, not material."""
    makers = frozenset().union(*k.makers.values())
    made = {(id(d.pred.tree), d.pred.i) for d in drafts if d.verb in makers}
    found = [
        m
        for tr in trees
        for m in mentions(text, tr, k)
        if m.kind in _MEDIA
        and not m.speechless
        and not _medium_case(tr, m.head)
        and not (tr.rel(m.head) == "obj" and (id(tr), tr.head(m.head)) in made)
    ]
    if not found or len({m.kind for m in found}) != 1:
        return None
    files = [m for m in found if _FILE.fullmatch(text[m.tree.words[m.head].start : m.tree.words[m.head].end])]
    if len(files) > 1:
        return None  # two files: which one is answered is unclear
    return (files or found)[0]


@reading(
    "K501",
    "words-of-media",
    "A step that works on the words of a picture, recording or video ('what does he say in voicemail.m4a', 'translate the menu in dinner.jpg') gets a step that takes the words out first.",
)
def words_of_media(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """Translating, summarising, quoting or answering questions about what is said
    works on words. When the words sit in a picture, a recording or a video of
    the user's, they are taken out first: a recording or a video is
    transcribed, a picture's text is read. "What does the coach say about the
    match in team_talk.mp3?" is a transcription, then the answer; "translate
    the menu in dinner.jpg into English" reads the menu, then translates it
    (a step that itself translates or summarises a recording's speech needs
    no transcription before it: S228); "email my boss the key figures from call.mp3" transcribes the call before
    the email. Nothing is added when a step already takes the words out
    ("transcribe it, then translate it"), for a song or a hum (no words to
    transcribe), or for work on the picture or sound itself ("describe
    photo.jpg", "count the cars in street.jpg"). A picture's words are short
    and reading them is the answer to "what does this sign say?": only a
    question that does more with them ("say in English") reads them first.
    A picture whose point is its words (a menu, a receipt, a sign, a letter,
    a form: ``[text_bearing]`` in ``rules/kinds.toml``, named as a noun or by
    its file) is read first for any question or operation about what it
    says: "which dishes on menu.jpg are vegetarian?", "add up the receipt in
    scan.png", "put the date on the flyer in fair.jpg in my calendar". Not
    for work on the picture itself ("crop the receipt photo", "print the
    ticket in ticket.png"), a question about how it looks ("what colour is
    the sign?"), or when a step already takes the text out. "X is in
    shot.png" names a picture of X as "a photo of X" does.
    What someone wants of the listener is what their message says ("she
    left this voice note, what does he want us to do?"), and a reply is
    written to the words it answers: "the landlord's message is in
    chat.png, draft a friendly answer" reads the picture first, and a reply
    to a voice note transcribes it, when the text names that one piece of
    material (``[replies]`` in ``rules/kinds.toml``).
    """
    out: list[Implied] = []
    for at, d in enumerate(drafts):
        t = d.pred.tree
        m = _material(text, trees, drafts, at, k, _MEDIA)
        replying = _replies(t, d, k)
        if m is None and replying and not any(x.kind == "text" for x in mentions(text, t, k, _scope(d))):
            # "her voice note (vn.ogg) ... reply to her": the one message the text presents
            # (not one a step works on: "trim podcast.mp3 and answer the emails")
            m = _only_material(text, trees, drafts, k)
            if m is not None and any(dj.span[0] <= m.start < dj.span[1] for dj in drafts):
                m = None
        if m is None or m.speechless:
            continue
        drawn = _drawn_object(t, d, k)
        if not (
            _asks_words(t, d, m.kind, k, text)
            or (replying and (m.kind != "image" or _text_bearing(text, m, k) is not None))
            or (drawn is not None and d.verb in k.deliver)
            or (
                m.kind == "image"
                and _about_its_words(text, t, d, m, k)
                and not _takes_the_words(drafts, at, k)
            )
        ):
            continue
        if _words_out_before(drafts, at, m.kind, k):
            continue
        stop = {d.pred.i} if d.pred.kind != "question" else set()
        said = m.kind in ("audio", "video") and d.verb in k.from_speech and _what_is_said(t, d, k)
        if m.kind in ("audio", "video") and d.verb in k.from_speech and d.pred.kind != "question" and not said:
            # S228: the step itself translates or summarises the speech; only a marker, no step
            out.append(Implied(at, True, "S228", k.readers[m.kind], m.tree, m.head, _np_span(text, m, stop)))
            continue
        m = _named_file(text, m, mentions(text, m.tree, k, _scope(d) if m.tree is t else None))
        each = _listed_files(text, m, k) if d.item_span is None else []
        if each:
            # K520: "3 voice notes (a.m4a, b.m4a, c.m4a) ... into one set of minutes"
            out.extend(Implied(at, True, "K520", k.readers[m.kind], f.tree, f.head, f.tree.span(list(f.words))) for f in each)
            continue
        out.append(
            Implied(at, True, "K509" if said else "K501", k.readers[m.kind], m.tree, m.head, _np_span(text, m, stop))
        )
    return out


def _what_is_said(t: Tree, d: Any, k: Kinds) -> bool:
    """K509: the step works on "what someone says" in a recording ("summarise what Sam says in
    his video message"): a question about what is said inside the step, answered from a transcript."""
    i = d.pred.i
    return any(
        t.lemma(c) in k.says and c > i and any(t.low(w) in ("what", "everything", "anything") for w in range(i + 1, c))
        for c in t.children(i, "ccomp", "obj", "xcomp")
    )


doc_only(
    "K509", "what-is-said-in-it",
    "'summarise what Sam says in his video message, msg.mp4': work on what someone says in a recording is work on a question about what is said, so the words are taken out first, even for a summary or a translation.",
    """A summary or a translation of a recording is one step for speech tools
    (S228), but a step whose object is "what someone says" ("summarise what
    the coach says in talk.m4a", "translate what she said in the voice
    note") asks about what is said first, as a question does (K501): the
    recording is transcribed, then the step works on the words. The verbs of
    saying are ``[needs_text] says`` in rules/kinds.toml.""",
)


doc_only(
    "S228", "speech-worked-directly",
    "'translate the voice note into English', 'summarise call.mp3': a step that itself translates or summarises a recording's speech needs no transcription step before it.",
    """Speech tools translate and summarise spoken words in one pass, and
    people asking for a translation or a summary of a recording ask for one
    piece of work; the transcript is inside that step. The verbs are
    ``[needs_text] from_speech`` in rules/kinds.toml. A question about what
    is said ("what does she say about the rent in vn.m4a?") is still answered
    from a transcript (K501), and so is work on the words of a picture ("translate
    the menu in dinner.jpg"), whose text is read first.""",
)


doc_only(
    "K520", "words-of-each-file",
    "When the material whose words a step needs is a list of files ('3 voice notes (a.m4a, b.m4a, c.m4a)'), the words are taken out of each file in a step of its own, and the step that uses them waits for all.",
    """"I have two recordings of the talk (am.mp3, pm.mp3); write one summary
    of both" transcribes am.mp3 and pm.mp3 side by side, then summarises:
    one transcription per file, not one for the first file only. The files
    must be a list (commas, "and", or spaces between file names: I240) of
    the same kind as the material K501 found, and the step that needs them
    must not already be done once per file (then each stream takes its own
    file's words out).""",
)


def _listed_files(text: str, m: Mention, k: Kinds) -> list[Mention]:
    """K520: the files of ``m``'s kind in the list ``m`` belongs to, when there are two or more."""
    if not _is_file(text, m):
        return []
    from planner.parser.distribute import find_lists

    t = m.tree
    at = t.words[m.head]
    files = {(x.tree.words[x.head].start, x.tree.words[x.head].end): x for x in mentions(text, t, k) if x.kind == m.kind and _is_file(text, x)}
    for lst in find_lists(t):
        if (at.start, at.end) in lst.spans:
            found = [files[s] for s in lst.spans if s in files]
            return found if len(found) == len(lst.spans) and len(found) >= 2 else []
    return []


def _text_bearing(text: str, m: Mention, k: Kinds) -> int | None:
    """The word that says a picture is of words ("the menu in IMG_1.jpg", "this receipt
    photo", "a photo of the invoice", "IMG_1.jpg is a menu", "receipt_0934.jpg"), or None."""
    t = m.tree
    w = t.words[m.head]
    raw = text[w.start : w.end]
    if _FILE.fullmatch(raw) and "." in raw:
        stem = raw.rsplit(".", 1)[0].lower()
        if any(part in k.text_bearing for part in re.split(r"[^a-z]+", stem)):
            return m.head
    near = list(m.words)
    h = t.head(m.head)
    if h is not None and t.words[h].upos in ("NOUN", "PROPN"):
        if t.rel(m.head) in ("nmod", "appos", "compound", "flat"):
            near.append(h)  # "the menu in IMG_1.jpg", "on the menu in IMG_1.jpg", "the receipt scan.png"
        elif t.rel(m.head) == "nsubj" and t.child(h, "cop") is not None:
            near.append(h)  # "IMG_1.jpg is a menu from ..."
    if t.child(m.head, "cop") is not None and (subj := t.child(m.head, "nsubj")) is not None:
        near.append(subj)  # "the clerk's email is in shot.png"
    if h is not None and t.rel(m.head) == "obl" and (obj := t.child(h, "obj")) is not None and obj < m.head:
        near.append(obj)  # "add up the receipt in scan.png", the file read as the verb's place
    # "the receipt photo", "a photo of the invoice" (a tagger may read the noun as an adjective)
    near += t.children(m.head, "compound", "nmod", "amod")
    # "reply to the photo with a sweet message": the message is the result, not what is shown
    return next((i for i in near if t.low(i) in k.text_bearing and not _medium_case(t, i)), None)


def _takes_the_words(drafts: Sequence[Any], at: int, k: Kinds) -> bool:
    """Some step up to ``at`` has the words as its object ("pull out the text"): it reads them."""
    for d in drafts[: at + 1]:
        t = d.pred.tree
        obj = t.child(d.pred.i, "obj")
        if obj is not None and t.lemma(obj) in k.the_words:
            return True
    return False


def _about_its_words(text: str, t: Tree, d: Any, m: Mention, k: Kinds) -> bool:
    """The draft asks about, or works with, what a picture of words says: "which dishes
    on menu.jpg are vegetarian?", "add up the receipt in scan.png", "put the date on the
    flyer in fair.jpg in my calendar". Work on the picture itself, a question about how
    it looks, and a question that reading alone answers ("what does the sign say?") do not."""
    named = _text_bearing(text, m, k)
    if named is None or d.verb in k.picture_work:
        return False
    if d.pred.kind == "question":
        lo, hi = _scope(d)
        for i in range(len(t)):
            if not lo <= t.words[i].start < hi:
                continue
            if t.low(i) in k.about_picture:
                return False  # "what colour is the sign in X.jpg?"
            if t.words[i].upos in ("VERB", "AUX") and t.lemma(i) in k.read_is_answer:
                return False  # "what does the sign say?": reading is the answer
        return True
    obj = t.child(d.pred.i, "obj")
    if obj is None:
        return True  # "add up what I spent on receipt.jpg"
    if m.tree is not t:
        # the object points back at the picture ("here is ticket.png. Print it"): work on
        # the picture, unless the verb works on what it says ("... Add it up")
        return d.verb in k.content_verbs
    itself = {m.head, named}
    h = t.head(m.head)
    if h is not None and t.rel(m.head) in ("nmod", "appos", "compound", "flat"):
        itself.add(h)
    # "print the ticket in ticket.png" works on the picture; "add up the receipt" on its words
    return obj not in itself or d.verb in k.content_verbs


@reading(
    "K506",
    "written-piece-from-media",
    "A recording, video or picture turned into a written piece ('make my voice memo into a thank-you note', 'I want seminar.mp4 as revision notes') has its words taken out first.",
)
def written_from_media(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """Turning a recording into a transcript or subtitles copies its words
    and is one step; turning it into an email, a blog post, minutes or
    study notes composes a new piece from those words, which are taken out
    first: "make my voice memo into a thank-you note for the caterer"
    transcribes the memo, then writes the note; "I want seminar.mp4 as
    revision notes" transcribes the seminar, then writes the notes;
    "turn whiteboard.jpg into meeting minutes" reads the picture first. The
    result must be a written piece of ``[composed]`` in ``rules/kinds.toml``
    named after "into" or "as" on the step's verb (or on the wish, for a
    wanted thing), and the material must be the step's object. A medium
    ("into a watercolour", "as audio") is not a written piece, and nothing
    is added when an earlier step already takes the words out.
    """
    out: list[Implied] = []
    for at, d in enumerate(drafts):
        t = d.pred.tree
        if d.pred.kind == "wanted":
            verb, obj = d.pred.anchor, t.child(d.pred.anchor, "obj")
        elif d.pred.kind == "verb" and d.verb in k.composing_verbs:
            verb, obj = d.pred.i, t.child(d.pred.i, "obj")
        else:
            continue
        if verb < 0 or obj is None or _composed_result(t, verb, k) is None:
            continue
        inside = set(t.subtree(obj))
        mats = [m for m in mentions(text, t, k) if m.kind in _MEDIA and not m.speechless and m.head in inside]
        if not mats:
            continue
        m = mats[0]
        takes = k.takes_out.get(m.kind, frozenset()) | k.needs_text
        if any(dj.verb in takes for dj in drafts[:at]) or _takes_the_words(drafts, at - 1, k):
            continue  # "transcribe memo.m4a, then turn it into an email"
        out.append(Implied(at, True, "K506", k.readers[m.kind], t, m.head, _np_span(text, m, {verb, obj} - {m.head})))
    return out


@reading(
    "K536",
    "wanted-piece-from-media",
    "A written piece wanted out of the user's recording, video or picture ('I want a short blurb out of ep4.mp3', 'a written version of it') has the material's words or contents taken out first.",
)
def wanted_from_media(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """A wish for a written piece ("I need a tight blurb out of ep4.mp3", "we'd
    like a short written version of it") asks for a piece composed from
    the user's material, as "turn ep4.mp3 into a blurb" does (K506): a
    recording or a video is transcribed, a picture of words is read and any
    other picture described, then the piece is written. The wished thing
    must be a written piece (``[composed]`` in ``rules/kinds.toml``) and the
    material either named inside it ("out of ep4.mp3", "of the talk in
    talk.m4a") or, when it names none or points back ("of it"), the one
    picture, recording or video the text names, in words no step works on.
    Nothing is added when a step already takes the words out, for a copy of
    the words ("a transcript"), or for a piece in a medium ("an audio
    version", K502's).
    """
    out: list[Implied] = []
    for at, d, t, c in _wanted_pieces(drafts, k):
        if d.pred.anchor >= 0 and _composed_result(t, d.pred.anchor, k) is not None:
            continue  # "I want talk.mp4 as notes" is K506's
        inside = set(t.subtree(c))
        # "the photo book page": a noun of a kind that only modifies another names no material
        mats = [
            m for m in mentions(text, t, k)
            if m.kind in _MEDIA and not m.speechless and m.head in inside and t.rel(m.head) != "compound"
            and m.head != c  # "a memo for the board": the piece wished for is not its own material
        ]
        m = mats[0] if mats else None
        if m is None:
            if any(x.head in inside and (_is_file(text, x) or x.kind == "web") for x in mentions(text, t, k)):
                continue  # "a recap of notes.txt": its own material, which needs nothing
            each = _files_for_piece(text, trees, drafts, k)
            if len(each) >= 2 and not any(dj.verb in k.needs_text or dj.verb in _readers(k) for dj in drafts[:at]):
                # K538: "three photos, a.jpg, b.jpg and c.jpg ... one paragraph that goes with
                # all of them": each file is looked at on its own, side by side
                for f in each:
                    out.append(Implied(at, True, "K538", _reader_for(text, f, k), f.tree, f.head, f.tree.span(list(f.words))))
                continue
            # "a written version of it", "a paragraph for the page": the one material the
            # text names, where no step works on it already
            m = _only_material(text, trees, drafts, k)
            if m is None or any(dj.span[0] <= m.start < dj.span[1] for dj in drafts):
                continue
        if m.speechless or (m.kind != "image" and t.lemma(c) in k.summary_nouns):
            continue  # a summary of speech is made from the sound in one pass (S228)
        takes = k.takes_out.get(m.kind, frozenset()) | k.needs_text
        if any(dj.verb in takes for dj in drafts[:at]) or _takes_the_words(drafts, at - 1, k):
            continue
        verb = _reader_for(text, m, k)
        m = _named_file(text, m, mentions(text, m.tree, k))
        stop = {c} - {m.head} if m.tree is t else set()
        out.append(Implied(at, True, "K536", verb, m.tree, m.head, _np_span(text, m, stop)))
    return out


doc_only(
    "K538", "each-file-for-a-piece",
    "A written piece wished for with two or more of the user's picture, recording or video files named and no step on them ('three photos, a.jpg, b.jpg and c.jpg ... one paragraph that goes with all of them') has each file looked at in a step of its own, side by side, before it.",
    """The piece is written from what every file holds, so each file is
    transcribed, read or described on its own (K536's verbs) and the piece
    waits for all of them, as K520 does for the words of a list of
    recordings. Only files the text names outside any step's words count,
    and only when the piece names no material of its own.""",
)


@reading(
    "K541",
    "each-file-for-a-question",
    "A question, or a written piece asked for as a thing, about two or more of the user's picture, recording or video files named outside every step ('two photos, a.jpg and b.jpg. Which one is brighter?') has each file taken in by a step of its own, side by side, before it.",
)
def each_file_for_question(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """"I filmed both rehearsals, r1.mp4 and r2.mp4. Which one is tighter?",
    "the class should get one email of feedback on what happens in each":
    the answer or the piece is drawn from every file, and each file is
    transcribed, read or described on its own (K536's verbs) before it, as
    K538 does for a wished piece. The files are the user's (a picture,
    recording or video by extension), two or more, named outside every
    step's words and in no medium phrase; the step is a question or a
    written piece (``[composed]``) asked for as a thing (S103), with no step
    before it that takes words out or reads already, and no other K reading
    on it. Work on the files themselves ("merge a.jpg and b.jpg into a
    PDF") is a verb's step, whose files are inside its own words.
    """
    taken = {imp.at for fn in (words_of_media, wanted_from_media) for imp in fn(text, trees, drafts, k)}
    for at, d in enumerate(drafts):
        if at in taken:
            continue
        t = d.pred.tree
        if d.pred.kind == "noun":
            if d.pred.i < 0 or not _is_composed(t, d.pred.i, k):
                continue
        elif d.pred.kind != "question":
            continue
        if any(dj.verb in k.needs_text or dj.verb in _readers(k) for dj in drafts[: at + 1]):
            continue
        each = _files_for_piece(text, trees, drafts, k)
        if len(each) < 2:
            return []
        return [Implied(at, True, "K541", _reader_for(text, f, k), f.tree, f.head, f.tree.span(list(f.words))) for f in each]
    return []


def _wanted_pieces(drafts: Sequence[Any], k: Kinds) -> Iterator[tuple[int, Any, Tree, int]]:
    """The drafts wished for as a written piece (``[composed]``), with their index, tree and
    the piece's word: where K536 and K539 start."""
    for at, d in enumerate(drafts):
        if d.pred.kind == "wanted" and _is_composed(d.pred.tree, d.pred.i, k):
            yield at, d, d.pred.tree, d.pred.i


def _reader_for(text: str, m: Mention, k: Kinds) -> str:
    """How the contents of ``m`` are taken out: transcribed, read, or (a picture not of words) described."""
    if m.kind == "image" and _text_bearing(text, m, k) is None:
        return k.describer
    return k.readers[m.kind]


def _readers(k: Kinds) -> frozenset[str]:
    return frozenset().union(*k.takes_out.values())


def _files_for_piece(text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds) -> list[Mention]:
    """The user's picture, recording and video files the text names outside every step's words."""
    return [
        m
        for tr in trees
        for m in mentions(text, tr, k)
        if m.kind in _MEDIA
        and not m.speechless
        and _is_file(text, m)
        and not _medium_case(tr, m.head)
        and not any(dj.span[0] <= m.start < dj.span[1] for dj in drafts)
    ]


_NOUN_RUN_STOP = frozenset({"ADP", "DET", "PRON", "SCONJ", "CCONJ", "AUX", "NUM"})


def _is_composed(t: Tree, c: int, k: Kinds) -> bool:
    """The noun ``c`` names a written piece of ``[composed]`` ("a recap email", "a written
    version"), also as the first word of a hyphened run the parse splits ("a show-notes blurb")."""
    lows = t.lows()
    ends = [c]
    j = c + 1
    while j < len(t) and j <= c + 4 and t.words[j].upos not in _NOUN_RUN_STOP:
        if t.words[j].upos == "PUNCT" and lows[j] != "-":
            break
        ends.append(j)
        j += 1
    # only the phrases that end in the word at ``e`` can end there (asked of many nouns per text)
    by_last = _composed_by_last(k.composed)
    if by_last is None:
        return True  # an empty phrase ends anywhere
    return any(e - len(p) + 1 >= 0 and tuple(lows[e - len(p) + 1 : e + 1]) == p for e in ends for p in by_last.get(lows[e], ()))


def _composed_by_last(composed: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]] | None:
    """``[composed]`` phrases by their last word (None if one is empty), worked out once per table
    (kept by identity: hashing the table's tuples on every call would cost what the index saves)."""
    kept = _BY_LAST.get(id(composed))
    if kept is not None and kept[0] is composed:
        return kept[1]
    out: dict[str, list[tuple[str, ...]]] = {}
    found: dict[str, tuple[tuple[str, ...], ...]] | None = None
    if all(composed):
        for p in composed:
            out.setdefault(p[-1], []).append(p)
        found = {last: tuple(ps) for last, ps in out.items()}
    _BY_LAST[id(composed)] = (composed, found)
    return found


_BY_LAST: dict[int, tuple[tuple[tuple[str, ...], ...], dict[str, tuple[tuple[str, ...], ...]] | None]] = {}


_WH = frozenset({"what", "how", "whether", "which", "where", "when", "who", "why", "what's"})
# words that end a wh-part: the sentence's end, or a clause told apart by a comma
_PART_END = frozenset({".", "!", "?", ";", ":"})


@reading(
    "K539",
    "parts-of-a-wanted-piece",
    "A written piece wished for that covers two questions ('a blog intro that covers how long the drive is and what the weather will be like') has each question found in a step of its own, side by side, before the piece is written.",
)
def parts_of_piece(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """"I want a short notice telling parents what weather to expect and how
    to get here from the station": the notice is written from two answers
    nobody has yet, each a look-up of its own that needs nothing from the
    other. Each question joined by "and" after the piece ("covering",
    "telling ...", "with", "on") is a step, side by side, and the piece
    waits for both. The piece must be wished for (S109, S276) and be a
    written piece (``[composed]`` in rules/kinds.toml), and both parts must
    open with a question word, right after the piece's words and after
    "and": a list of things ("with the forecast and the route") is the
    piece's content, not a question to answer.
    """
    out: list[Implied] = []
    for at, _d, t, c in _wanted_pieces(drafts, k):
        lows = t.lows()
        first = next((i for i in range(c + 1, min(len(t), c + 6)) if lows[i] in _WH), None)
        if first is None or any(lows[j] in _PART_END or lows[j] == "," for j in range(c + 1, first)):
            continue
        end = next((j for j in range(first, len(t)) if lows[j] in _PART_END), len(t))
        joins = [j for j in range(first + 2, end - 1) if lows[j] == "and" and lows[j + 1] in _WH]
        if len(joins) != 1:
            continue
        j = joins[0]
        stop = j - 1 if lows[j - 1] == "," else j
        tail = next((x for x in range(j + 2, end) if lows[x] == ","), end)
        parts = ((first, stop - 1), (j + 1, tail - 1))
        if all(hi > lo for lo, hi in parts):  # a question word alone ("what and how") asks nothing
            out.extend(Implied(at, True, "K539", k.finder, t, lo, t.span(list(range(lo, hi + 1)))) for lo, hi in parts)
    return out


# words that open one part of a new piece: "a graph ...", "the week's forecast", "two charts"
_PART_DETS = frozenset({"a", "an", "the", "one", "some"})
# a part that is the speaker's or the reader's own thing ("with my CV and ...") is sent, not made
_OWN = frozenset({"my", "our", "your"})


@reading(
    "K540",
    "parts-of-a-new-piece",
    "A new written piece asked for with two or more parts joined by 'and' ('an email with a graph of the scores and a short paragraph on how the class did', 'a message with the week's forecast and the driving route') has each part made, written or found in a step of its own, side by side, before the piece.",
)
def parts_of_new_piece(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """A piece asked for with its parts ("the team should get a short
    message with the average rating and the overall feeling of the
    comments", "Sam wants an email with a chart of the sales and a
    paragraph on the trend") is put together from pieces of work nobody has
    done yet: each part is made (a graph, a chart: ``[piece_parts] made``),
    written (a paragraph, a summary: ``[composed]``) or found (anything
    else, and a question: "what the weather will be"), side by side, and the
    piece waits for all of them. The piece must be new ("a", "an", "one" or
    a number before it) and asked for as a thing (wished for, S109, or a work
    noun, S103), its parts opened right after it by a word of ``[piece_parts]
    links`` ("with", "covering", "telling families") or a relative clause
    of ``link_verbs`` ("that mentions"), or by "on" when every part is a
    question; each part must open with "a", "the", a number or a question
    word and be joined to the next by "and", "plus" or a comma. Not for a
    piece already there ("the email with ..."), a topic ("an email about
    the delay and the refund"), things of the speaker's own ("with my CV and
    my references": sent as they are), bare nouns ("with dates and times":
    one list), or parts another step already does. K539 reads a wished
    piece that covers two questions.
    """
    done = {imp.at for imp in parts_of_piece(text, trees, drafts, k)}
    out: list[Implied] = []
    for at, d in enumerate(drafts):
        if at in done or d.pred.kind not in ("wanted", "noun") or d.pred.i < 0:
            continue
        t = d.pred.tree
        c = d.pred.i
        if t.words[c].upos != "NOUN" or not _is_composed(t, c, k) or not _new_piece(t, c):
            continue
        lows = t.lows()
        opened = _parts_open(t, c, lows, k)
        if opened is None:
            continue
        first, questions_only = opened
        parts = _piece_parts(t, first, lows)
        if len(parts) < 2 or any(lows[lo] in _OWN for lo, _ in parts):
            continue
        asked = [lows[lo] in _WH for lo, _ in parts]
        if questions_only and not all(asked):
            continue
        spans = [t.span(list(range(lo, hi + 1))) for lo, hi in parts]
        if any(dj is not d and dj.span[0] < hi and lo < dj.span[1] for dj in drafts for lo, hi in spans):
            continue  # another step does a part already: "... and look up the route"
        for (lo, hi), span, q in zip(parts, spans, asked, strict=True):
            verb = k.finder if q else _part_verb(t, lo, hi, k)
            out.append(Implied(at, True, "K540", verb, t, lo, span))
    return out


def _new_piece(t: Tree, c: int) -> bool:
    """The piece ``c`` is a new one: "a short message", "one email", "two notes"."""
    det = t.child(c, "det")
    return (det is not None and t.low(det) in _INDEFINITE) or t.child(c, "nummod") is not None


def _part_open(t: Tree, i: int, lows: Sequence[str]) -> bool:
    """Word ``i`` can open a part: "a", "the", a number, a question word, "Friday's", "my"."""
    if i >= len(t):
        return False
    w = t.words[i]
    if lows[i] in _WH or lows[i] in _OWN or w.upos == "NUM":
        return True
    if w.upos == "DET" and lows[i] in _PART_DETS:
        return True
    return w.upos in ("PROPN", "NOUN") and i + 1 < len(t) and lows[i + 1] == "'s"  # "Friday's", "tomorrow's"


def _parts_open(t: Tree, c: int, lows: Sequence[str], k: Kinds) -> tuple[int, bool] | None:
    """(the first word of the first part, whether only questions may follow) after the piece
    ``c``: "with a graph", "telling families what", "that mentions the", "on how"."""
    j = c + 1
    if j >= len(t):
        return None
    questions_only = False
    if lows[j] in k.piece_links:
        j += 1
    elif lows[j] in ("that", "which") and j + 1 < len(t) and t.lemma(j + 1) in k.piece_link_verbs:
        j += 2
    elif lows[j] in k.piece_question_links:
        j += 1
        questions_only = True
    else:
        return None
    # "telling families what ...", "on roughly how big ...": a listener or an adverb before the first part
    for x in range(j, min(j + 3, len(t))):
        if _part_open(t, x, lows):
            if x > j and lows[x] not in _WH:
                return None  # "with the team a report": no part right after the link
            return x, questions_only
        if t.words[x].upos not in ("NOUN", "PRON", "ADV", "PROPN"):
            return None
    return None


def _piece_parts(t: Tree, first: int, lows: Sequence[str]) -> list[tuple[int, int]]:
    """The parts from ``first`` to the end of the clause, cut where "and", "plus" or a comma
    comes before a word that opens a part; a comma before anything else ends them."""
    parts: list[tuple[int, int]] = []
    lo = first
    i = first + 1
    while i < len(t):
        if lows[i] in _PART_END:
            break
        nxt = i + 1
        if lows[i] == "," and nxt < len(t) and lows[nxt] in ("and", "plus"):
            nxt += 1
        if lows[i] in ("and", "plus", ",") and _part_open(t, nxt, lows):
            parts.append((lo, i - 1))
            lo = nxt
            i = nxt + 1
            continue
        if lows[i] == ",":
            break
        i += 1
    parts.append((lo, i - 1))
    return [(a, b) for a, b in parts if b > a]  # a part is more than its first word


def _thing_head(t: Tree, lo: int, hi: int) -> int | None:
    """The noun a part names: the last noun before its first preposition or clause
    ("a bar chart of ..." -> chart, "the week's forecast there" -> forecast)."""
    head = None
    for i in range(lo, hi + 1):
        if t.words[i].upos in ("ADP", "SCONJ", "PRON") or t.low(i) in ("that", "which"):
            break
        if t.words[i].upos in ("NOUN", "PROPN") and not (i + 1 <= hi and t.low(i + 1) == "'s"):
            head = i
    return head


def _part_verb(t: Tree, lo: int, hi: int, k: Kinds) -> str:
    """How a part that is a thing is done: a picture made, a written piece written, else found."""
    head = _thing_head(t, lo, hi)
    if head is None:
        return k.finder
    if t.low(head) in k.piece_made:
        return k.piece_maker
    if _is_composed(t, head, k):
        return k.piece_writer
    return k.finder


@reading(
    "K542",
    "each-wished-thing",
    "Two or more new things asked for in one list ('I'd like a bar chart of the orders and a short paragraph on the busiest weeks', 'a written version for me, a spoken one for the kids, and a short summary for my mum') are each a step of their own, side by side.",
)
def each_wished_thing(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """A thing asked for as a noun is one step (S109, S103, S276); a list of
    them joined by "and" or commas ("I need a chart of X and a paragraph
    on Y") asks for one piece of work per thing, none of which needs the
    other: each is a step beside the one read, waiting for what it waits
    for, and whatever uses the result ("then turn the lot into a voice
    note") uses them all. The list must come right after a verb of wanting
    or getting (``[piece_parts] wish_verbs``), and each thing open with
    "a", "an", "one", "the" or a number and name a noun; the list ends at the
    sentence's end or at "then". Things of the speaker's own ("my notes
    and my slides"), a choice ("a chart or a table": options), things
    already a step or a parallel item are left alone. Each is made, written
    or found as K540's parts are (the parse's own joins are not trusted:
    it often hangs the second thing inside the first).
    """
    out: list[Implied] = []
    seen: set[tuple[int, int]] = set()
    parted = {imp.at for fn in (parts_of_piece, parts_of_new_piece) for imp in fn(text, trees, drafts, k)}
    for at, d in enumerate(drafts):
        if d.pred.kind not in ("wanted", "noun") or d.pred.i < 0 or d.group is not None or d.item is not None:
            continue
        if at in parted:
            continue  # the piece's parts (K539, K540), not things of their own
        t = d.pred.tree
        c = d.pred.i
        lows = t.lows()
        v = next((a for a in t.ancestors(c) if t.words[a].upos in ("VERB", "AUX")), None)
        if v is None or t.lemma(v) not in k.wish_verbs or not _part_open(t, v + 1, lows) or lows[v + 1] in _OWN:
            continue
        if (id(t), v) in seen:
            continue
        seen.add((id(t), v))
        things: list[tuple[int, int]] = []
        for lo, hi in _wished_things(t, v + 1, lows):
            if things and not _is_result(t, lo, hi, k):
                things[-1] = (things[-1][0], hi)  # "a garden with foxgloves and a brick path": one thing
            else:
                things.append((lo, hi))
        if len(things) < 2 or not any(lo <= c <= hi for lo, hi in things):
            continue
        if any(lows[lo] in _OWN or lows[lo] in _WH or not _is_result(t, lo, hi, k) for lo, hi in things):
            continue
        for lo, hi in things:
            if lo <= c <= hi:
                continue
            span = t.span(list(range(lo, hi + 1)))
            if any(dj is not d and dj.span[0] < span[1] and span[0] < dj.span[1] for dj in drafts):
                continue  # already a step of its own
            out.append(Implied(at, True, "K542", _part_verb(t, lo, hi, k), t, lo, span, beside=True))
    return out


def _is_result(t: Tree, lo: int, hi: int, k: Kinds) -> bool:
    """The thing ``lo..hi`` is a product of work: a written piece (``[composed]``), a picture
    made (``[piece_parts] made``) or a result found or made (``[piece_parts] results``)."""
    # any noun before the first preposition: the tagger may read a participle after the
    # head as a noun ("a short piece drawn from ...")
    for i in range(lo, hi + 1):
        if t.words[i].upos in ("ADP", "SCONJ", "PRON") or t.low(i) in ("that", "which"):
            break
        low = t.low(i)
        if t.words[i].upos == "NOUN" and (low in k.piece_made or low in k.piece_results or _is_composed(t, i, k)):
            return True
    return False


def _wished_things(t: Tree, first: int, lows: Sequence[str]) -> list[tuple[int, int]]:
    """The things of a list from ``first``: cut at "and", "plus" or a comma before a word
    that opens a thing; ended by the sentence's end, "then", or "or" (a choice: no list)."""
    things: list[tuple[int, int]] = []
    lo = first
    i = first + 1
    while i < len(t) and lows[i] not in _PART_END and lows[i] != "then":
        if lows[i] == "or":
            return []
        nxt = i + 1
        if lows[i] == "," and nxt < len(t) and lows[nxt] in ("and", "plus"):
            nxt += 1
        if lows[i] in ("and", "plus", ",") and nxt < len(t) and lows[nxt] == "then":
            break
        if lows[i] in ("and", "plus", ",") and _part_open(t, nxt, lows):
            things.append((lo, i - 1))
            lo = nxt
            i = nxt + 1
            continue
        i += 1
    hi = i - 1
    while hi > lo and lows[hi] in (",", "and", "plus"):
        hi -= 1
    things.append((lo, hi))
    # each thing names a noun and is more than its first word
    return [(a, b) for a, b in things if b > a and any(t.words[j].upos == "NOUN" for j in range(a, b + 1))]


@reading(
    "K507",
    "document-in-another-language",
    "A question about what a document says, where the text names the document's language ('the notice is in Polish, what do they need?'), has the document translated first.",
)
def foreign_document(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """"The notice from the council (notice.pdf) is in Polish, what do they
    need me to send?": the asker cannot read the document, so it is
    translated before the question is answered. The text must name the
    document's language outright ("is in Polish", "a letter in Greek";
    ``[foreign]`` in ``rules/kinds.toml``), and the step must ask what the
    document says or wants or work on its words ("explain", "reply"). A
    step that translates is that step already. Recordings and pictures are
    K501's: their words are taken out and the answer drawn from them.
    """
    out: list[Implied] = []
    for at, d in enumerate(drafts):
        t = d.pred.tree
        if d.verb == k.translator or any(dj.verb == k.translator for dj in drafts[:at]):
            continue
        if d.verb in k.hearing:
            continue  # "hear the letter in Polish" names the language it is heard in (K574)
        m = _material(text, trees, drafts, at, k, ("text",))
        if m is None:
            continue
        said = _in_language(m, k)
        told = said or _language_adjective(m, k)
        if not told:
            continue
        # K573: a question in the sentence that names a foreign document by its language
        # ("the Spanish lease in lease.txt: is there a deposit?") asks about what it says
        asked_here = not said and d.pred.kind == "question" and m.tree is t
        if not said and d.verb in k.needs_text:
            continue  # "summarise the German report": a summary is written from any language
        if not (asked_here or _asks_words(t, d, "text", k, text) or d.verb in k.content_verbs or _replies(t, d, k)):
            continue
        stop = {d.pred.i} if d.pred.kind != "question" else set()
        m = _named_file(text, m, mentions(text, m.tree, k))
        out.append(Implied(at, True, "K507" if said else "K573", k.translator, m.tree, m.head, _np_span(text, m, stop)))
    return out


doc_only(
    "K573", "document-named-by-its-language",
    "'this Polish letter from the bank, what do they want?', 'the Croatian contract (c.txt): is there a fee?': a document named with its language as an adjective is translated before a question about it is answered.",
    """The language of a document can be named as an adjective on the
    noun that names it ("this German letter", "the Croatian contract,
    c_hr.txt", "our Spanish lease") instead of "in Polish" after it (K507).
    A question whose own sentence names such a document asks about what it
    says ("..., is there a cancellation fee?"), and so does a question about
    what it says or wants, a reply to it, or work on its words: the
    document is translated first. The adjective must be a language of
    ``[foreign] languages`` in rules/kinds.toml modifying the document noun
    itself (or the noun its file names): a sender's nationality ("the Polish
    client's letter") says nothing about the language of the letter, and
    English is no foreign language. A step that translates is that step
    already.""",
)


def _naming_words(m: Mention) -> set[int]:
    """The words of ``m`` and of the nouns it is named beside or under (the chain of
    appositions, modifiers and compounds above it): "the notice from the council (notice.pdf)"."""
    t = m.tree
    named = set(m.words)
    j: int | None = m.head
    while j is not None and t.rel(j) in ("appos", "nmod", "compound", "flat"):
        j = t.head(j)
        if j is not None:
            named.add(j)
    return named


def _language_adjective(m: Mention, k: Kinds) -> bool:
    """K573: the noun that names ``m`` (or the noun its file is named beside) carries a
    language as an adjective: "this Polish letter", "the Croatian contract, c.txt"."""
    t = m.tree
    named = _naming_words(m)
    return any(
        t.low(c) in k.languages and t.child(c, "case") is None and c < n
        for n in named
        for c in t.children(n, "amod", "compound")
    )


@reading(
    "K537",
    "result-in-another-language",
    "A result wanted 'in English' (or another language) where the text names material in a language, and no step translates, gets a translation step.",
)
def result_in_language(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """"I'd love what she says written out in English", "I just need the gist
    of it in English", "her answers in English, as a voice track": the
    language the result is wanted in is a piece of work of its own, a
    translation. The language must be named after a bare "in" on the step's
    verb or on the thing it makes (``[foreign] languages`` in
    ``rules/kinds.toml``), the text must name another language the
    material is in ("came in Welsh", "a voice message in French"), and no
    step may translate already. A summary or the gist of the material
    is made from the translation (the translation comes first); any other
    result is translated after it is made. A step whose verb writes, says or
    sends words itself ("summarise it in English", "read it out in
    English", "send her the address in Tagalog", "subtitles in Spanish"),
    and any verb the text asks for outright ("write the report in
    English"), makes them in that language: one step. Only a wished-for
    result, or a step guessed where nothing is asked outright (S119),
    leaves the translation unnamed. "Translate it into English" is
    that step already, and "a letter in Greek" names the material's
    language, not a result's.
    """
    if any(d.verb == k.translator for d in drafts):
        return []
    asked = {(id(d.pred.tree), j) for d in drafts for j in (d.pred.i, d.pred.anchor)}
    # the languages the text says something is in: not one a step is asked to write in
    # ("in English and Spanish", "send it in Polish" name results, not material)
    named = {
        t.low(i)
        for t in trees
        for i in range(len(t))
        if t.low(i) in k.result_languages and t.rel(i) != "conj" and (id(t), t.head(i)) not in asked
    }
    out: list[Implied] = []
    for at, d in enumerate(drafts):
        t = d.pred.tree
        if d.pred.kind not in ("verb", "wanted") or (d.pred.kind == "verb" and d.verb in _wordsmiths(k)):
            continue  # "summarise it in English", "send her the address in Tagalog": one step
        if d.pred.kind == "verb" and "S119" not in d.pred.codes:
            continue  # "write the report in English": a verb asked for does the work in that language
        own = {d.pred.i, d.pred.anchor} | (set(t.subtree(d.pred.i)) if d.pred.kind == "verb" else set())
        steps_here = {dj.pred.i for dj in drafts if dj.pred.tree is t and dj is not d}
        found = None
        for i in range(len(t)):
            case = t.child(i, "case")
            h = t.head(i)
            if t.low(i) not in k.result_languages or case is None or t.low(case) != "in" or case != i - 1 or h not in own:
                continue
            if h != d.pred.i and t.words[h].upos not in ("VERB", "AUX"):
                continue  # "a voice memo in Urdu": the material's language
            if _under_other_step(t, h, d.pred.i, steps_here):
                continue  # "find a mass and send her the address in Tagalog": another step's words
            if any(t.low(x) in k.result_languages for x in t.children(i, "conj")):
                break  # "in English and Spanish": versions, asked for as they are
            found = (case, i)
            break
        if found is None:
            continue
        foreign = bool(named - {t.low(found[1])})
        summary = d.pred.kind == "wanted" and t.lemma(d.pred.i) in k.summary_nouns
        if (summary or d.verb in k.needs_text) and not foreign:
            continue  # "summarise report.pdf in Spanish": a summary is written in any language
        if not foreign:
            continue  # "write the notes in English": nothing says anything is in another language
        before = summary
        out.append(Implied(at, before, "K537", k.translator, t, found[1], t.span(list(range(found[0], found[1] + 1)))))
        break  # one translation per task
    return out


def _under_other_step(t: Tree, h: int, top: int, steps: set[int]) -> bool:
    """Word ``h`` hangs on another step's verb on its way up to ``top``."""
    for j in [h, *t.ancestors(h)]:
        if j == top:
            return False
        if j in steps:
            return True
    return False


def _wordsmiths(k: Kinds) -> frozenset[str]:
    """Verbs that write, say or send words themselves, in whatever language is asked
    ("summarise it in English", "read it out in English", "subtitles in Spanish")."""
    return k.needs_text | k.deliver | k.spoken_after | _readers(k) | k.reply_verbs


def _in_language(m: Mention, k: Kinds) -> bool:
    """The text names the language of ``m``: "a letter in Greek", "the notice ... is in Polish"."""
    t = m.tree
    # the phrase the file sits in: "the notice from the council (notice.pdf)"
    named = _naming_words(m)
    for i in range(len(t)):
        case = t.child(i, "case")
        if t.low(i) not in k.languages or case is None or t.low(case) != "in":
            continue
        if t.head(i) in named or t.child(i, "nsubj") in named:
            return True
    return False


def _speaker_wishes(trees: Sequence[Tree], wish: frozenset[str]) -> Iterator[tuple[Tree, int, int]]:
    """(tree, verb, object) for each wish verb of the speaker's ("I", "we") with an object:
    where S109, S275 and S276 look for a wish that asks for work."""
    for t in trees:
        for i in range(len(t)):
            if t.words[i].upos != "VERB" or t.lemma(i) not in wish:
                continue
            subj = t.child(i, "nsubj")
            obj = t.child(i, "obj")
            if subj is not None and t.low(subj) in ("i", "we") and obj is not None:
                yield t, i, obj


def wished_from_material(text: str, trees: Sequence[Tree], wish: frozenset[str], k: Kinds | None = None) -> Pred | None:
    """S109 for a text whose one request is a wish for the user's own material made into
    something else: "I want seminar.mp4 as revision notes", "we'd love scan.png as a
    poster". A wished result made out of the user's material is work even where the
    step model reads the sentence as a statement; the step makes the result, and K506
    adds what its making needs. The wish must be the speaker's, its object the material
    (a file or a noun of ``rules/kinds.toml``), and the result a noun after "as" or "into"."""
    kinds = k or load_kinds()
    for t, i, obj in _speaker_wishes(trees, wish):
        if not any(m.head == obj for m in mentions(text, t, kinds)):
            continue
        for c in t.children(i, "obl", "advcl", "xcomp"):
            case = t.child(c, "case") if t.child(c, "case") is not None else t.child(c, "mark")
            if case is not None and t.low(case) in kinds.composed_cases and t.words[c].upos == "NOUN":
                return Pred(t, c, "make", "wanted", ["S109"], anchor=i)  # the step makes the result
    return None


def wished_piece(text: str, trees: Sequence[Tree], wish: frozenset[str], k: Kinds | None = None) -> Pred | None:
    """S276 for a text whose one request is the speaker's wish for a written piece ("...,
    and I'd like one short paragraph for the album page"), where the step model reads the
    wish as part of a story: the piece (``[composed]`` in rules/kinds.toml) is made."""
    kinds = k or load_kinds()
    for t, i, obj in _speaker_wishes(trees, wish):
        if negated(t, i) or t.words[obj].upos != "NOUN":
            continue
        if t.children(i, "xcomp", "ccomp") or not _is_composed(t, obj, kinds):
            continue
        det = t.child(obj, "det")
        if (det is None or t.low(det) not in _INDEFINITE) and t.child(obj, "nummod") is None:
            continue  # "the introduction in intro.txt" is a piece the user has, not one to write
        return Pred(t, obj, "make", "wanted", ["S276"], anchor=i)
    return None


doc_only(
    "S276", "wished-piece",
    "'I've got three photos, a.jpg, b.jpg and c.jpg, and I'd like one paragraph to go with them': the speaker's wish for a written piece is work, even inside a story.",
    """The step model reads a wish joined to a story ("I've got ... and I'd
    like ...") as part of the story. Where nothing else reads as work, a
    wish of the speaker's ("I", "we") whose object is a written piece
    (``[composed]`` in rules/kinds.toml: a paragraph, an email, notes) asks
    for that piece, as S109 does; the K readings add what making it needs.""",
)


_OVER = frozenset({"it", "them", "this", "these", "that", "those"})


def wished_over(text: str, trees: Sequence[Tree], wish: frozenset[str], k: Kinds | None = None) -> Pred | None:
    """S275 for a text whose one request is a wish for something already named, made
    over in a language or a medium: "I need it in English", "we'd like them as audio".
    A wish of the speaker's whose object points back has no thing to make (S109 wants a
    noun), but the language or the medium after it names the work: a translation, or
    the medium's making (``[foreign]`` and ``[mediums]`` in rules/kinds.toml)."""
    kinds = k or load_kinds()
    for t, i, obj in _speaker_wishes(trees, wish):
        if t.low(obj) not in _OVER or negated(t, i):
            continue
        for c in sorted([*t.children(i, "obl", "advcl", "xcomp"), *t.children(obj, "nmod")]):
            case = t.child(c, "case")
            if case is None or t.low(case) != "in" or case != c - 1:
                continue
            if t.low(c) in kinds.result_languages:
                return Pred(t, c, kinds.translator, "wanted", ["S275"], anchor=i)
        span = (t.words[i].start, t.words[max(t.subtree(i))].end)
        found = _medium_phrase(t, span, kinds)
        if found is not None and (verb := kinds.synthesis.get(found[0])) is not None:
            return Pred(t, found[2], verb, "wanted", ["S275"], anchor=i)
    return None


doc_only(
    "S275", "wished-made-over",
    "'I need it in English', 'we'd like them as audio': a wish for a thing already named, in a language or a medium, asks for the translation or the medium's making.",
    """A text that names its material and then wishes it "in English" or "as
    a voice recording" asks for one piece of work even though no verb names
    it: a translation, or turning it into the medium. Read only where
    nothing else in the text reads as work (the S119 fallback), for a wish of
    the speaker's ("I", "we") whose object points back ("it", "them"), with
    the language after a bare "in" (``[foreign]`` in rules/kinds.toml) or
    the medium after "as", "in" or "with" (``[mediums]``). The K readings
    then add what the step needs (a picture's words read first, K501).""",
)


def _composed_result(t: Tree, verb: int, k: Kinds) -> int | None:
    """The written piece "into"/"as" names on ``verb`` ("into a nice email", "as short notes"), or None."""
    lows = t.lows()
    for c in t.children(verb, "obl", "advcl", "xcomp", "obj"):
        case = t.child(c, "case") if t.child(c, "case") is not None else t.child(c, "mark")
        if case is None or lows[case] not in k.composed_cases:
            continue
        if any(c - len(p) + 1 >= 0 and tuple(lows[c - len(p) + 1 : c + 1]) == p for p in k.composed):
            return c
    return None


def _drawn_object(t: Tree, d: Any, k: Kinds) -> int | None:
    """A thing drawn out of material in the draft's object ("the gist of X", "the key dates from X")."""
    lows = t.lows()
    lo, hi = _scope(d)
    for i in range(len(t)):
        if not (lo <= t.words[i].start < hi):
            continue
        for p in k.drawn:
            n = len(p)
            if tuple(lows[i : i + n]) == p:
                head = i + n - 1
                if any(
                    t.low(c) in ("of", "from", "in", "on")
                    for x in t.children(head, "nmod")
                    for c in t.children(x, "case")
                ):
                    return head
    return None


@reading(
    "K505",
    "summary-to-deliver",
    "A summary of a document asked to be sent ('send my sister the gist of contract.pdf') is written first, then sent.",
)
def summary_to_deliver(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """Sending, emailing or telling someone "the gist", "a summary" or "the
    main points" of a document asks for two pieces of work: the summary is
    written, then it goes to them. Only a delivering verb whose own object is
    the summary, drawn from a document the text names ("of contract.pdf",
    "from the report"), gets the step; "summarise the notes and email them"
    names both already, and a summary of a recording or picture is K501's.
    """
    out: list[Implied] = []
    for at, d in enumerate(drafts):
        if d.verb not in k.deliver or d.pred.kind == "question":
            continue
        t = d.pred.tree
        head = _drawn_object(t, d, k)
        if head is None or t.low(head) not in k.summary_nouns:
            continue
        src = [m for m in mentions(text, t, k, _scope(d)) if m.kind == "text"]
        if not src or any(dj.verb in k.needs_text for dj in drafts[:at]):
            continue  # an earlier step already works on the words: the summary may be its
        lo = min(t.subtree(head))
        hi = max(max(t.subtree(head)), max(src[0].words))
        out.append(Implied(at, True, "K505", k.summary_writer, t, head, t.span(list(range(lo, hi + 1)))))
    return out


@reading(
    "K502",
    "result-in-another-medium",
    "A result wanted in a medium no step makes ('tell me in a voice message', 'answer it with a short video') gets a step that turns it into that medium.",
)
def result_in_medium(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """ "Tell me in a voice message what the weather will be", "answer my
    question with a short video", "summarise it as audio": the work makes
    words, and the user wants them spoken, filmed or drawn. A step after it
    turns the result into that medium (speech, a video, a picture). The
    medium must be named after "as", "in", "with" or "into", or be "aloud";
    a verb that makes the medium itself ("read it aloud", "say it", "film
    it", "turn it into a podcast") is that step already, and so is any
    other step of the task that makes it. A wish that someone hear or
    listen to the result ("rewrite warranty.pdf in plain English, my
    grandfather would like to hear it") wants it spoken just the same: the
    hearing verb must point back at the result ("hear it", "listen to
    them") and be no step of its own.
    """
    out: list[Implied] = []
    for at, d in enumerate(drafts):
        t = d.pred.tree
        if d.pred.kind == "question":
            continue
        span = d.span
        if d.pred.kind == "wanted" and d.pred.anchor >= 0:
            # "needs her answers in English, as a voice track": the wish's words after the thing
            span = (span[0], max(span[1], t.words[max(t.subtree(d.pred.anchor))].end))
        found = _medium_phrase(t, span, k) or _medium_before(t, d, k)
        if found is None:
            continue
        kind, a, b = found
        if a != b and _verb_over(t, a, b) not in (d.pred.i, d.pred.anchor):
            continue  # "names they will say out loud": the medium of another clause's verb
        makers = k.makers.get(kind, frozenset())
        # a wished thing's "make" names the thing, not its medium ("her answers ..., as a voice track")
        if any(dj.verb in makers and not (dj.pred.kind == "wanted" and dj.verb == "make") for dj in drafts):
            continue
        # "send me the report as a PDF": the file is made before it is sent
        before = kind == "document" and d.verb in k.deliver
        out.append(
            Implied(at, before, "K502", k.synthesis[kind], t, b, t.span(list(range(a, b + 1))))
        )
    if not out and "audio" in k.synthesis and not any(dj.verb in k.makers.get("audio", ()) for dj in drafts):
        heard = _heard(trees, drafts, k)
        if heard is not None:
            at, t, i, a, b = heard
            out.append(Implied(at, False, "K502", k.synthesis["audio"], t, i, t.span(list(range(a, b + 1)))))
    return out


def _heard(trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds) -> tuple[int, Tree, int, int, int] | None:
    """(the draft whose result is to be heard, tree, verb, first and last word) of "wants to
    hear it", "I'd like to listen to them": a hearing verb pointing back, no step of its own."""
    steps = {(id(d.pred.tree), d.pred.i) for d in drafts} | {(id(d.pred.tree), d.pred.anchor) for d in drafts}
    for t in trees:
        for i in range(len(t)):
            if t.words[i].upos != "VERB" or t.lemma(i) not in k.hearing or (id(t), i) in steps:
                continue
            back = [c for c in t.children(i, "obj", "obl") if t.low(c) in _POINTING]
            h = t.head(i)
            if not back or negated(t, i) or (h is not None and negated(t, h)):
                continue  # "she can't hear it" says why, it wants nothing
            start = t.words[i].start
            earlier = [a for a, d in enumerate(drafts) if d.span[1] <= start]
            if not earlier:
                continue
            lo = h if h is not None and t.rel(i) == "xcomp" and h < i else i
            return earlier[-1], t, i, lo, max(back)
    return None


def _medium_phrase(t: Tree, span: tuple[int, int], k: Kinds) -> tuple[str, int, int] | None:
    """(kind, first word, last word) of "aloud" or "as/in/with <a short> <medium>" inside ``span``."""
    lows = t.lows()
    for i in range(len(t)):
        if not (span[0] <= t.words[i].start < span[1]):
            continue
        for p in k.aloud:
            if tuple(lows[i : i + len(p)]) == p:
                return ("audio", i, i + len(p) - 1)
        if lows[i] not in _MEDIUM_CASES:
            continue
        j = i + 1
        while j < len(t) and j <= i + 2 and t.words[j].upos in ("DET", "ADJ", "NUM", "PRON"):
            if t.words[j].upos in ("DET", "PRON") and lows[j] not in _INDEFINITE:
                break  # "in the picture", "with my video": the material, not a medium asked for
            j += 1
        for p, kind in k.mediums:
            if tuple(lows[j : j + len(p)]) == p:
                return (kind, i, j + len(p) - 1)
    return None


def _medium_before(t: Tree, d: Any, k: Kinds) -> tuple[str, int, int] | None:
    """(kind, word, word) of a medium named before a wished thing ("a two-minute audio
    explainer", "a spoken summary"): the words are written, then turned into the medium.
    Not when the thing is the medium itself ("an audio clip", "a video file")."""
    if d.pred.kind != "wanted":
        return None
    c = d.pred.i
    if any((t.low(c),) == p for p, _ in k.mediums):
        return None
    for m in t.children(c, "compound", "amod"):
        for p, kind in k.mediums:
            if len(p) == 1 and t.low(m) == p[0] and kind in ("audio", "video"):
                return (kind, m, m)
    return None


def _verb_over(t: Tree, a: int, b: int) -> int | None:
    """The verb the phrase ``a..b`` hangs on: the nearest verb above its outermost word."""
    top = next((i for i in range(a, b + 1) if (h := t.head(i)) is None or not a <= h <= b), a)
    for h in t.ancestors(top):
        if t.words[h].upos in ("VERB", "AUX"):
            return h
    return None


@reading(
    "K503",
    "picture-from-picture",
    "A new picture made like a picture of the user's ('a picture like photo.png but as a watercolour') has that picture described first.",
)
def picture_from_picture(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """Making a new picture, logo or poster "like", "based on" or "in the
    style of" a picture of the user's makes it from words: the model picture
    is described first, and the description guides the new one. Changing
    the picture itself ("turn photo.png into a watercolour", "make photo.png
    black and white") is one edit and gets nothing; changing it after a
    second picture ("turn cat.png into a cartoon in the style of
    comic.jpg") has that second picture described first.
    """
    out: list[Implied] = []
    for at, d in enumerate(drafts):
        if d.verb not in k.modelled_verbs and d.verb not in k.changers:
            continue
        t = d.pred.tree
        obj = t.child(d.pred.i, "obj")
        if obj is None:
            continue
        # "turn cat.png into a cartoon in the style of comic.jpg": the user's picture changed
        changed = d.verb in k.changers and any(
            m.kind == "image" and m.head in t.subtree(obj) for m in mentions(text, t, k)
        )
        if not changed and (d.verb not in k.modelled_verbs or t.lemma(obj) not in k.modelled_things):
            continue
        lows = t.lows()
        lo, hi = _scope(d)
        for i in range(obj + 1, len(t)):
            if not (lo <= t.words[i].start < hi):
                break
            link = next((p for p in k.modelled_links if tuple(lows[i : i + len(p)]) == p), None)
            if link is None:
                continue
            after = (t.words[i + len(link)].start if i + len(link) < len(t) else hi, hi)
            pics = [
                m
                for m in mentions(text, t, k, after)
                if m.kind == "image" and m.head <= i + len(link) + 3
            ]
            if pics:
                m = pics[0]
                out.append(
                    Implied(
                        at, True, "K503", "describe", t, m.head, _np_span(text, m, {d.pred.i, obj})
                    )
                )
            break
    return out


@reading(
    "K504",
    "web-page-first",
    "Words at a web address that a step reads ('summarize the article at https://...') are downloaded first.",
)
def web_page_first(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """A page at a web address is fetched before its words can be summarised,
    translated or asked about. A step that fetches, opens or visits the
    address itself ("download https://...", "go to ...") is that step, and
    an address only passed on ("email the link https://... to Bob") needs
    nothing.
    """
    out: list[Implied] = []
    for at, d in enumerate(drafts):
        t = d.pred.tree
        if not (d.verb in k.needs_text or (d.pred.kind == "question" and _asks_words(t, d, "web", k, text))):
            continue  # "is https://... down?" checks the address, it reads nothing there
        urls = [m for m in mentions(text, t, k, _scope(d)) if m.kind == "web"]
        if not urls or any(dj.verb in k.fetchers for dj in drafts[: at + 1]):
            continue
        m = urls[0]
        out.append(Implied(at, True, "K504", "download", t, m.head, t.span(list(m.words))))
    return out


# Verbs that voice words ("read it out", "say it", "narrate"): told in a language, the words are
# put into that language first (K526). "dub" and "record" are left out: a dub or a recording may
# be made in the language the material is in already.
_VOICING = frozenset({"read", "say", "speak", "narrate", "recite", "voice"})


@reading(
    "K526",
    "voiced-in-a-language",
    "Words to be read out or spoken in a named language ('read the directions out to me in Italian') are translated first, when no step translates them.",
)
def voiced_in_language(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """ "Could I hear this bit read out in English?", "read the forecast out
    to me in Spanish": speaking words in a language they are not in needs
    them translated first, a step of its own before the voicing. The
    language is a noun of ``[foreign] languages`` (or English, ``told_in``)
    after "in" on the voicing verb itself, with no adjective ("in plain
    English" is a manner); nothing is added when a step up to it translates
    ("translate it and read it back to me in English"), when the voicing
    step itself tells in a language (S272), or for a question ("how do you
    say thank you in Welsh?" is one answer).
    """
    from planner.parser.told_in import language_named

    out: list[Implied] = []
    for at, d in enumerate(drafts):
        t = d.pred.tree
        asked = _hearing_asked(t, d, k)
        heard = d.verb in k.hearing or asked is not None
        if (d.pred.kind != "verb" and asked is None) or not (d.verb in _VOICING or heard) or "S272" in d.pred.codes:
            continue
        if any(dj.verb == k.translator for dj in drafts[: at + 1]):
            continue
        v = asked if asked is not None else d.pred.anchor if d.pred.anchor >= 0 else d.pred.i
        if any(t.low(c) in ("how", "what") for c in t.children(v)):
            continue  # "how do you say it in Greek?" asks for the translation itself
        lang = language_named(t, v)
        if heard:
            # K574: "hear the newsletter in news.pdf in French": the language may hang on the thing heard
            things = t.children(v, "obj", "obl")
            lang = lang if lang is not None else next((x for o in things if (x := language_named(t, o)) is not None), None)
            sounds = [m for m in mentions(text, t, k, _scope(d)) if m.kind in ("audio", "video")]
            if lang is None or sounds:
                continue  # "listen to the podcast in Spanish": a recording is heard in its own language
        if lang is None:
            continue
        case = t.child(lang, "case")
        lo = case if case is not None else lang
        code = "K581" if asked is not None else "K574" if heard else "K526"
        out.append(Implied(at, True, code, k.translator, t, lang, t.span([lo, lang])))
    return out


def _hearing_asked(t: Tree, d: Any, k: Kinds) -> int | None:
    """K581: the hearing verb of a question that asks whether someone can hear a thing
    ("could he hear it in Turkish?", "can my gran listen to it in Welsh?"): the
    question is a request for it spoken."""
    if d.pred.kind != "question":
        return None
    for i in range(len(t)):
        if t.words[i].upos != "VERB" or t.lemma(i) not in k.hearing or negated(t, i):
            continue
        subj = t.child(i, "nsubj")
        # the modal before its subject asks ("could she hear them?"); "if she can hear" does not
        if subj is not None and any(t.low(a) in ("can", "could") and a < subj for a in t.children(i, "aux")):
            return i
    return None


doc_only(
    "K581", "hearing-asked",
    "'The ferry timetable is in ferry.txt. Could my uncle hear it in Turkish?': a question whether someone can hear a written thing in a named language asks for it translated first, then heard.",
    """A question put to the assistant with "can" or "could" on a hearing
    verb ("could he hear it in Turkish?", "can my gran listen to the
    letter in Welsh?") asks for the thing to be made hearable, as "she'd
    love to hear it" does (K574): with a language named on the hearing verb
    or the thing heard, the words are translated before the step that
    answers it. Not for a recording (heard in its own language), a negated
    question ("can't she hear it?"), or where a step translates already.""",
)


doc_only(
    "K574", "heard-in-a-language",
    "'I'd like to hear the newsletter in news.pdf in French', 'the choir would love to listen to the letter in Polish': a written thing to be heard in a named language is translated first, then voiced by the hearing step.",
    """A wish to hear or listen to something written is a wish for it
    spoken (the hearing step voices it, as K502 reads "would like to hear
    it"); with a language named after "in", on the hearing verb or on the
    thing heard, the words are translated before they are voiced, as K526
    does for "read it out in Italian". A recording or a video heard "in
    Spanish" is in that language already ("listen to the podcast in
    Spanish"): nothing is added, nor where a step up to it translates.""",
)


@dataclass(frozen=True)
class PictureText:
    """``[picture_text]``: where words are set on a picture, and the verb that sets them."""

    nouns: frozenset[str]  # "words", "title", "slogan"
    places: frozenset[str]  # "across", "along", "in" ...
    spots: frozenset[str]  # "top", "bottom", "corner" ...
    laid: frozenset[str]  # "written", "printed", "saying"
    pictures: frozenset[str]  # "picture", "poster", "cartoon" ...
    setter: str
    overlays: frozenset[str] = frozenset()  # K582: "logo", "frame", "watermark" ...


@cache
def load_picture_text() -> PictureText:
    table = kinds_section("picture_text")
    return PictureText(
        nouns=frozenset(_strings(table, "nouns", "picture_text")),
        places=frozenset(_strings(table, "places", "picture_text")),
        spots=frozenset(_strings(table, "spots", "picture_text")),
        laid=frozenset(_strings(table, "laid", "picture_text")),
        pictures=frozenset(_strings(table, "pictures", "picture_text")),
        setter=_one_each({"setter": table.get("setter", "add")}, "picture_text")["setter"],
        overlays=frozenset(_strings(table, "overlays", "picture_text")),
    )


_QUOTES = ("'", '"', "\u2018", "\u201c")


@reading(
    "K575",
    "words-set-on-a-picture",
    "A new picture asked for with quoted words placed on it ('a fox reading, with \'Story Time\' across the top') is made, then the words are set on it: a step after the picture.",
)
def words_on_picture(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds
) -> list[Implied]:
    """Picture makers draw scenes, and words set on a picture in a given
    place are laid over it afterwards: "draw a fox reading a book, with
    'Story Time' written across the top" makes the picture, then sets the
    title on it. The step must make a new picture (a verb of ``[makers]
    image``, or a wished picture noun of ``[picture_text] pictures``), and
    its words must hold, after "with", the quoted words (optionally named
    "the words", "a title", ...) and where they go: "across the top", "in the
    bottom corner", or "written"/"saying" (``[picture_text]`` in
    rules/kinds.toml). Words without quotes ("with a fox on it") are part of
    the scene, and a picture of the user's given words to carry ("add
    'Sold' to photo.jpg") names its one step already.
    """
    pt = load_picture_text()
    out: list[Implied] = []
    for at, d in enumerate(drafts):
        t = d.pred.tree
        makes = d.pred.kind == "verb" and d.verb in k.makers.get("image", frozenset()) and d.verb not in ("turn", "convert")
        wished = d.pred.kind in ("wanted", "noun") and t.low(d.pred.i) in pt.pictures
        if d.pred.kind == "verb" and d.verb in ("make", "create", "generate", "design"):
            obj = t.child(d.pred.i, "obj")
            makes = obj is not None and t.low(obj) in pt.pictures
        if not (makes or wished):
            continue
        # the words may follow the picture's own phrase in its sentence ("an image for the
        # sign: a tractor in a field, with 'Oak Farm' across the top"), up to the next step
        lo = d.span[0]
        hi = min((dj.span[0] for dj in drafts if dj.pred.tree is t and dj.span[0] > lo), default=t.end)
        idx = [i for i in range(len(t)) if lo <= t.words[i].start < hi]
        for i in idx:
            if t.low(i) != "with":
                continue
            j = i + 1
            while j < len(t) and j <= i + 3 and not text[t.words[j].start : t.words[j].end].startswith(_QUOTES):
                if t.words[j].upos not in ("DET", "ADJ") and t.low(j) not in pt.nouns | _OWN:
                    break
                j += 1
            head = j
            while head + 1 < len(t) and head < i + 5 and t.words[head].upos in ("NOUN", "PROPN", "ADJ") and t.words[head + 1].upos == "NOUN":
                head += 1  # "our club logo": the last noun of the run
            if j < len(t) and t.low(head) in pt.overlays and t.words[head].upos == "NOUN":
                # K582: "with our club logo in the bottom corner": a thing laid on the picture
                end = _overlay_place(t, head, pt)
                if end is not None:
                    out.append(Implied(at, False, "K582", pt.setter, t, head, t.span(list(range(i, end + 1)))))
                    break
                continue
            if j >= len(t) or not text[t.words[j].start : t.words[j].end].startswith(_QUOTES):
                continue
            end = next(
                (
                    e
                    for e in range(j + 1, min(len(t), j + 6))
                    if t.low(e) in pt.spots and any(t.low(x) in pt.places for x in range(j + 1, e))
                ),
                None,
            )
            if end is None and not (j + 1 < len(t) and t.low(j + 1) in pt.laid):
                continue
            stop = end if end is not None else j + 1
            out.append(Implied(at, False, "K575", pt.setter, t, j, t.span(list(range(i, stop + 1)))))
            break
    return out


def _overlay_place(t: Tree, j: int, pt: PictureText) -> int | None:
    """The last word of where the thing ``j`` goes on the picture, right after it: "in the
    bottom corner", "across the top" (a place and a spot within three words)."""
    if j + 1 >= len(t) or t.low(j + 1) not in pt.places:
        return None
    e = next((e for e in range(j + 2, min(len(t), j + 5)) if t.low(e) in pt.spots), None)
    while e is not None and e + 1 < len(t) and t.low(e + 1) in pt.spots:
        e += 1  # "the bottom corner"
    return e


doc_only(
    "K582", "thing-set-on-a-picture",
    "'Draw a lighthouse at dusk, with our club logo in the bottom corner': a logo, a frame or a watermark set in a place on a new picture is laid on after the picture is made.",
    """As K575 does for quoted words, a thing that is laid over a whole
    picture rather than drawn in its scene (``[picture_text] overlays``: a
    logo, a watermark, a border, a badge) named after "with" on a new
    picture, with where it goes right after it ("in the bottom corner",
    "across the top"), is set on the picture after it is made: a step of
    its own. A thing of the scene ("with a fox in the corner") is drawn
    with it, and an overlay with no place ("a logo with a gold border") is
    the picture itself.""",
)


READERS = (
    web_page_first,
    picture_from_picture,
    words_of_media,
    written_from_media,
    wanted_from_media,
    each_file_for_question,
    parts_of_piece,
    parts_of_new_piece,
    each_wished_thing,
    foreign_document,
    result_in_language,
    summary_to_deliver,
    result_in_medium,
    voiced_in_language,
    words_on_picture,
)


def implied_steps(
    text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds | None = None
) -> list[Implied]:
    """Every implied step the K readings find, at most one per reading and draft."""
    kinds = k or load_kinds()
    out: list[Implied] = []
    for fn in READERS:
        out.extend(fn(text, trees, drafts, kinds))
    return out


def implied_pred(imp: Implied) -> Pred:
    return Pred(imp.tree, imp.head, imp.verb, "implied", [imp.code])
