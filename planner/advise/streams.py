"""Read the streams and per-stream stages a parallel-pipelines task names.

"Localize the app into German, French and Japanese; for each language translate
the strings, have a native speaker review them, and fix layout issues; then ship"
names three streams (the languages), three stages (the clause after "for each")
and a join (the clause after "then"). The parser reads such texts as one long
group; this module reads the three parts directly so the plan can use them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from planner import lazyre
from planner.advise.lists import VerbTest, find_lists, lead_verb, verb_base

# Where the per-stream stages start: "for each (language)", "for each of them,",
# "each have to", "each with", "each needs to".
# "for each of our five apps", "in every one of the services": the words up to
# the counted noun belong to the anchor.
_FOR_EACH_RE = lazyre.compile(
    r"\b(?:for|in)\s+(?:each|every)\b(?:\s+one)?(?:\s+of\s+(?:them|these|those|the|our|your|my|their|its|all)"
    r"(?:\s+(?:\d{1,4}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b)?)?",
    re.IGNORECASE,
)
# "The payments squad and the fraud squad must each prototype, ...": modal first.
_MODAL_EACH_RE = lazyre.compile(r"\b(?:must|should|will|shall|can|(?:need|needs|have|has)\s+to)\s+each\s+", re.IGNORECASE)
_EACH_MODAL_RE = lazyre.compile(
    r"\beach\s+(?:(?:one|of\s+them|[a-z]+)\s+)?(?:(?:has|have|needs?|is|are|goes|go)\s+(?:to|through)|must|should|will|shall|can|with|gets?|undergoes"
    r"|needs|requires|(?=[a-z]+ed\b(?!\s+(?:to|through|with|by\s+(?:the\s+)?(?:team|agent)))))\s*"
    r"(?:(?:be|a|an|the|its|their|own|separate|separately)\s+)*",
    re.IGNORECASE,
)
# The stage clause ends at a sentence or clause break, or where the join begins.
_CLAUSE_END_RE = lazyre.compile(r"[;.!?\n]|\s(?:before|after|once|so that|and finally|finally)\s", re.IGNORECASE)
_PIECE_RE = lazyre.compile(r"(\s*,\s*(?:and\s+|then\s+|and\s+then\s+)?|\s+and\s+then\s+|\s+then\s+|\s+and\s+)", re.IGNORECASE)
_DETERMINERS = frozenset(["the", "a", "an", "it", "them", "its", "their", "our", "each", "all", "every", "this", "that", "these", "those"])
_PRONOUN_OBJECT_RE = lazyre.compile(r"^(?P<verb>\S+)\s+(?:it|them|each|both)\b\s*", re.IGNORECASE)
# "have a native speaker review them": the work is the inner verb, done by someone named.
_DELEGATE_RE = lazyre.compile(
    r"^(?:have|get|let|ask)\s+(?:(?:a|an|the|some|our|their)\s+)?(?P<who>[\w-]+(?:\s+[\w-]+)?)\s+(?:to\s+)?(?P<verb>[a-z]+)\b", re.IGNORECASE
)
_JOIN_LEAD_RE = lazyre.compile(
    r"^[\s,;.:]*(?:and\s+)?(?:then|finally|afterwards|after that|before|once done|at the end)?[\s,]*"
    r"(?:(?:we|they|you|i|the team)\s+(?:will\s+|can\s+|should\s+|must\s+)?)?",
    re.IGNORECASE,
)
# "then both are published on the help site": the set as subject of a passive verb.
_PASSIVE_JOIN_RE = lazyre.compile(
    r"^(?:both|all(?:\s+(?:of\s+them|[\w-]+))?|everything|they|the\s+[\w-]+)\s+(?:are|is|get|gets|will\s+be|can\s+be|be)\s+"
    r"(?P<verb>[a-z]+)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_SUBJECT_SPLIT_RE = lazyre.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", re.IGNORECASE)
_ARTICLE_RE = lazyre.compile(r"^(?:the|a|an|our|their|both)\s+", re.IGNORECASE)
# "into Spanish and Portuguese", "for iOS and Android": two named streams.
_NAME_PAIR_RE = lazyre.compile(r"\b(?:into|for|in|to|on|across)\s+(?P<a>[A-Z][\w+#.-]*)\s+and\s+(?P<b>[A-Z][\w+#.-]*)\b")
_PAREN_RE = lazyre.compile(r"\(([^()]{3,200})\)")
_WORD_RE = lazyre.compile(r"[\w'’.+#-]+")
_STAGE_WORDS = frozenset(["stage", "stages", "step", "steps", "phase", "phases"])
MAX_LABEL_WORDS = 4


class Stage(NamedTuple):
    title: str
    verb: str  # the word that says what kind of work it is
    text: str = ""  # the text's own words for it


class StreamReading(NamedTuple):
    labels: tuple[str, ...]
    stages: tuple[Stage, ...]
    join: str | None  # the text's own joining step, when it follows the stages
    lead: str | None = None  # the sentence's main verb ("Port the modules ..., each with its own test run")
    nouns: bool = False  # the stages are named by nouns ("each with its own copy review")


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def _stage_start(text: str, is_verb: VerbTest) -> tuple[int, int] | None:
    """(anchor start, clause start) of the per-stream stage clause, if any."""
    for regex in (_EACH_MODAL_RE, _MODAL_EACH_RE):
        m = regex.search(text)
        if m is not None:
            return m.start(), m.end()
    m = _FOR_EACH_RE.search(text)
    if m is None:
        return None
    rest = text[m.end() :]
    if re.match(r"^\s*(?:$|[.;!?]|(?:,\s*)?(?:and|or|then|but)\b)", rest, re.IGNORECASE):
        return None  # "implement the styles for each and test ...": the stages came before
    # "for each, update ..." / "for each service: ..."
    sep = re.match(r"^((?:\s+[\w-]+){0,3}?)(?:\s*\([^()]*\))?\s*[,:]\s*", rest)
    if sep is not None:
        return m.start(), m.end() + sep.end()
    # "for each language translate the strings": skip the noun up to the first verb.
    words = list(re.finditer(r"\S+", rest))
    for k, w in enumerate(words[:3]):
        token = w.group().strip(",:")
        if k and is_verb(token, False):
            return m.start(), m.end() + w.start()
        if not k and is_verb(token, False) and len(words) > 1 and not is_verb(words[1].group(), False):
            return m.start(), m.end() + w.start()
    return None


_SUBJECT_START = frozenset(["we", "they", "both", "all", "everything", "then", "it", "one", "at", "finally", "afterwards", "when"])
_OWN_RE = lazyre.compile(r"^(?:(?:its|their|his|her|own|a|an|the|some)\s+)+", re.IGNORECASE)


def _noun_pieces(clause: str) -> tuple[list[str], str]:
    """ "its own component, styles and tests": each part names a stage; a part
    with its own subject ("and then we deploy them") ends the clause."""
    clause = _PAREN_RE.sub(" ", clause)
    split = _PIECE_RE.split(clause)
    out: list[str] = []
    for k in range(0, len(split), 2):
        words = _words(split[k])
        if not words:
            continue
        if out and words[0].lower() in _SUBJECT_START:
            return out, "".join(split[k:])
        piece = _OWN_RE.sub("", split[k].strip()).strip()
        if piece and piece.lower() not in ("separately", "independently", "on its own"):
            out.append(piece)
    return out, ""


def _pieces(clause: str, is_verb: VerbTest) -> tuple[list[str], str]:
    """The clause's actions (split at commas, "and" and "then", re-joining a part
    that does not start with a verb: "write docs and examples"), and the text
    after them when a new clause with its own subject starts ("then both are published")."""
    clause = _PAREN_RE.sub(" ", clause)  # a bracketed list names the streams, not steps
    split = _PIECE_RE.split(clause)
    out: list[str] = []
    for k in range(0, len(split), 2):
        p = split[k].strip()
        sep = split[k - 1] if k else ""
        words = _words(p)
        if not words or all(w.lower() in _DETERMINERS or w.lower() in ("then", "and", "or") for w in words):
            continue  # "..., then" with nothing after it, or a dangling article
        # A word the lexicon lacks still acts as a verb in a verb list ("harden",
        # "load-test their service") when an object or another step follows it;
        # a lone word after "and" that ends a longer action is its object ("docs and examples").
        lone = len(words) == 1 and words[0].islower()
        verbish = (
            is_verb(words[0], False)
            or (len(words) > 1 and words[1].lower() in _DETERMINERS)
            or (lone and ("," in sep or not out or all(len(_words(o)) == 1 for o in out)))
        )
        if out and not verbish and ("then" in sep.lower() or "," in sep):
            return out, "".join(split[k:])
        if out and not verbish:
            out[-1] = f"{out[-1]}{sep}{p}"
        else:
            out.append(p)
    return out, ""


def _stage(piece: str) -> Stage:
    words = _words(piece)
    if len(words) == 2 and words[0].lower() in ("have", "get", "let") and words[1].lower() not in _DETERMINERS:
        return Stage(words[1], words[1])  # "have them proofread" (pronoun already dropped)
    m = _DELEGATE_RE.match(piece)
    if m is not None:
        return Stage(f"{m.group('who')} {m.group('verb')}", m.group("verb"))
    return Stage(piece, words[0] if words else piece)


def _stages(pieces: list[str]) -> list[Stage]:
    # "evaluate it", "test them against the sandbox": the pronoun says nothing.
    raw = pieces
    pieces = [_PRONOUN_OBJECT_RE.sub(lambda m: f"{m.group('verb')} ", p).strip() for p in pieces]
    stages = [_stage(p)._replace(text=r) for p, r in zip(pieces, raw, strict=True)]
    # "design, implement and test their part": bare verbs share the next one's
    # object, so each of those stages is the verb alone.
    lone = next((k for k, p in enumerate(raw) if len(_words(p)) > 1), len(raw))
    if lone >= 1:
        stages = [Stage(s.verb, s.verb, s.text) if k <= lone else s for k, s in enumerate(stages)]
    return [Stage(s.title[:1].upper() + s.title[1:], s.verb, s.text) for s in stages if s.title.lower() not in _STAGE_WORDS]


def _labels(items: list[str]) -> list[str]:
    labels = [_ARTICLE_RE.sub("", i.strip(" ,;:.")).strip() for i in items]
    return labels if len(labels) >= 2 and all(labels) and all(len(_words(x)) <= MAX_LABEL_WORDS for x in labels) else []


def _sentence_start(text: str, at: int, also: str = "") -> int:
    """Where the sentence holding ``at`` starts ("3.12" has no sentence break)."""
    breaks = [m.end() for m in re.finditer(rf"[.!?{also}](?=\s)|\n", text[:at])]
    return breaks[-1] if breaks else 0


def shared_head(labels: list[str]) -> list[str]:
    """ "search, billing and reporting services": the last item's plural noun is
    every item's head, so the labels are "search", "billing", "reporting"."""
    if len(labels) < 2:
        return labels
    sizes = {len(_words(x)) for x in labels[:-1]}
    last = _words(labels[-1])
    if len(sizes) == 1 and len(last) == sizes.pop() + 1 and (last[-1].islower() or re.fullmatch(r"[A-Z]{2,}s", last[-1]) is not None) and last[-1].endswith("s"):
        return [*labels[:-1], " ".join(last[:-1])]
    return labels


def _subject_labels(text: str, anchor: int) -> list[str]:
    """ "The billing team and the identity team each have to ...": the subject names the streams."""
    start = _sentence_start(text, anchor, ";:")
    subject = text[start:anchor].strip()
    if not subject or len(_words(subject)) > 12:
        return []
    return _labels(_SUBJECT_SPLIT_RE.split(subject))


def _paren_labels(text: str) -> list[str]:
    """ "the three services (orders, inventory, shipping)": a bracketed list names the streams."""
    for m in _PAREN_RE.finditer(text):
        labels = _labels(_SUBJECT_SPLIT_RE.split(m.group(1)))
        if len(labels) >= 2:
            return labels
    return []


# "Write the A, B and C SDKs, test each SDK against the sandbox, and publish them":
# one more stage after the sentence's own verb.
_POSTFIX_EACH_RE = lazyre.compile(
    r"(?:^|[,;:]\s*(?:and\s+)?(?:then\s+)?)(?P<verb>[a-z][a-z-]+)\s+each\s+(?:one\b|(?P<noun>[\w-]+)(?:['’]s)?\b)?(?P<rest>[^,;.!?]*)",
    re.IGNORECASE,
)
_ALONE_RE = lazyre.compile(r"\b(?:separately|independently|on its own|on their own|in parallel)\b", re.IGNORECASE)


def _postfix_each(text: str, is_verb: VerbTest) -> StreamReading | None:
    m = _POSTFIX_EACH_RE.search(text)
    if m is None or m.start() == 0 or not is_verb(m.group("verb"), False):
        return None
    sentence = _sentence_start(text, m.start())
    lead = lead_verb(text[sentence : m.start()], is_verb)
    if lead is None or lead.lower() == m.group("verb").lower():
        return None
    rest = _ALONE_RE.sub("", m.group("rest")).strip()
    title = f"{m.group('verb')} {rest}".strip()
    outside = f"{text[: m.start()].rstrip(' ,;:')}.\n{text[m.end():]}"
    things = [lst for lst in find_lists(outside, is_verb) if not lst.actions]
    best = max(things, key=lambda lst: len(lst.items), default=None)
    labels = shared_head(_labels(list(best.items))) if best is not None else []
    tail = re.split(r"[.!?\n]", _JOIN_LEAD_RE.sub("", text[m.end() :], count=1), maxsplit=1)[0].strip(" ,;")
    join = tail if tail and is_verb(_words(tail)[0], False) else None
    stages = (Stage(lead, lead, lead), Stage(title[:1].upper() + title[1:], m.group("verb"), title))
    return StreamReading(tuple(labels), stages, join, lead)


def read_streams(text: str, is_verb: VerbTest) -> StreamReading | None:
    """Streams, stages and join the text names, or None when it names no stage clause."""
    found = _stage_start(text, is_verb)
    if found is None:
        return _postfix_each(text, is_verb)
    anchor, begin = found
    end_m = _CLAUSE_END_RE.search(text, begin)
    end = end_m.start() if end_m is not None else len(text)
    nouns = bool(_EACH_MODAL_RE.match(text, anchor)) and not re.match(
        r"each\s+(?:[a-z]+\s+)?(?:(?:has|have|needs?|is|are)\s+to|must|should|will|shall|can)\b", text[anchor:], re.IGNORECASE
    )
    if nouns:
        # "each with its own tests", "each page needs its CSS reworked", "each designed and implemented"
        pieces, leftover = _noun_pieces(text[begin:end])
        if not pieces:
            return None
        stages = _stages(pieces)
    else:
        pieces, leftover = _pieces(text[begin:end], is_verb)
        if len(pieces) < 2:
            return None
        heads = [_words(p)[0] if _words(p) else "" for p in pieces]
        # The clause must read as actions: it starts with a verb, or with a lone
        # word the lexicon lacks followed by known verbs ("scripted, recorded and checked").
        first = _words(pieces[0])
        lone_start = len(first) == 1 and heads[0].islower() and any(is_verb(h, False) for h in heads[1:])
        # ... or with a word the lexicon lacks before a determiner ("refresh the feed,
        # rebuild the index"), when a later piece starts with a known verb.
        object_start = len(first) > 1 and first[1].lower() in _DETERMINERS and any(is_verb(h, False) for h in heads[1:])
        if not (is_verb(heads[0], False) or lone_start or object_start):
            return None
        stages = _stages(pieces)
    subject_led = bool(_EACH_MODAL_RE.match(text, anchor) or _MODAL_EACH_RE.match(text, anchor))
    labels = _subject_labels(text, anchor) if subject_led else []
    if labels and is_verb(_words(labels[0])[0], False) and len(_words(labels[0])) > 1:
        labels = []  # "Build the login, signup and profile pages, each with ...": not a subject
    labels = shared_head(labels or _paren_labels(text))
    if not labels:
        # A list of things outside the stage clause ("into German, French and Japanese").
        outside = f"{text[:anchor].rstrip(' ,;:')}.\n{text[end:]}"
        things = [lst for lst in find_lists(outside, is_verb) if not lst.actions]
        best = max(things, key=lambda lst: len(lst.items), default=None)
        labels = shared_head(_labels(list(best.items))) if best is not None else []
        pair = _NAME_PAIR_RE.search(text[:anchor])
        if not labels and pair is not None:
            labels = [pair.group("a"), pair.group("b")]
    join = None
    if leftover or end < len(text):
        rest = f"{leftover} {text[end:]}".strip()
        rest = re.split(r"[.!?\n]", _JOIN_LEAD_RE.sub("", rest, count=1), maxsplit=1)[0].strip(" ,;")
        passive = _PASSIVE_JOIN_RE.match(rest)
        if passive is not None:
            rest = f"{verb_base(passive.group('verb').lower())}{passive.group('rest')}".strip()
        join = rest if rest and is_verb(_words(rest)[0], False) else None
    sentence = _sentence_start(text, anchor)
    head = text[sentence:anchor]
    lead = lead_verb(head, is_verb)
    words = _words(head)
    if lead is None and len(words) >= 2 and words[0][:1].isupper() and words[1].lower() in _DETERMINERS:
        lead = words[0]  # an imperative the lexicon lacks: "Port the modules ..."
    return StreamReading(tuple(labels), tuple(stages), join, lead, nouns)
