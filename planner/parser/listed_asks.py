"""S460, S461: a comma list of things to find out is one step per part.

Requests to a personal assistant bundle several look-ups in one sentence,
each said as its own question and set off by commas: "what's on at the
cinema tonight, is the pool open, and any post for me", "how far is the
station, and how far the airport". Each part asks for its own answer
(often from a different service), so each is a step; read as one question
(S110) the sentence gave one step.

The parts are cut where a comma (with or without "and", "also", "plus"
after it) comes before a word that opens a question of its own:

- a question word with a verb or auxiliary in its part ("what's", "how
  long is", "when does"), or the sentence's own first question words said
  again without a verb ("how much is it in yen, and how much in euros");
- an auxiliary with its subject after it ("is the pool open", "did the
  parcel ship", "has she replied");
- "any"/"anything" with a thing after it ("any post for me", "anything
  from the bank").

"which", "who", "where" and "when" open a part only after a joiner word
("..., and which one is nearer"): after a bare comma they open a relative
clause ("the hotel, which is by the sea"). In a question sentence (S460) a
bare command after the comma is a part too ("..., and tell me which is
cheaper"). In a sentence with a command (S461) the question parts that hold
no step of their own are added beside the command ("what's the forecast,
any news from the club, and book a court for six"): a part must hold a
verb, or be an "any" part, and at least two parts are needed; a question
with its subject first ("whether it's open") only under a verb of telling
or finding, and nothing where a list of things or "each" carries the work.
S462 reads a message in a comma list of commands as one step, and S463 (in
``thanks.py``) drops thanks said to the reader.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.clauses import Pred
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import parse_word_sets

doc_only(
    "S460", "listed-questions",
    "'what's on tonight, is the pool open, and any post for me?': a question sentence that lists its questions with commas asks one question per part.",
    """A sentence read as a question (S110) that lists several questions,
    set off by commas, asks for one answer per question: each part is a
    step. A part opens with a question word and holds a verb ("what's the
    forecast", "how long is the drive"), or repeats the sentence's first
    question words without one ("how much in euros"), or opens with an
    auxiliary and its subject ("is the pool open", "did it ship"), or with
    "any"/"anything" and a thing ("any post for me"); a bare command after
    a comma ("and tell me which is cheaper") is a part too. "which", "who",
    "where" and "when" after a bare comma open a relative clause, no part.
    Questions joined by "and" alone stay S126's.""",
)

doc_only(
    "S461", "questions-beside-commands",
    "'what's the forecast, any news from the club, and book a court for six': questions listed with commas beside a command are steps of their own.",
    """A sentence with a command that lists, with commas, questions beside
    it ("what's the forecast, any news from the club, and book a court";
    "can you check the booking, what's the weather there, and how far is
    it from the station") asks for each answer as well as the command: a
    question part (as S460 cuts them) that holds no step already read is
    a step of its own, in the sentence's order. Only parts with a verb of
    their own or an "any" part; a question inside the command's own words
    ("find out where they sleep and what they eat") is no part. A question
    with its subject first ("whether it's open", "what she said") is a part
    only under a verb of telling or finding ("tell me what ..., whether
    ..., and what ..."). Nothing is added where a list of things carries
    the work ("look at A, B and C: how ..., whether ..."), where the
    questions are asked of each thing ("for each of them, check how ...,
    and what ..."), or for a last part after a bare comma ("fix the
    limits, what is needed").""",
)

_WH = frozenset({"what", "what's", "whats", "how", "how's", "hows", "whether"})
# after a bare comma these open a relative clause ("the hotel, which is by the sea")
_WH_JOINED = frozenset({"which", "who", "where", "where's", "when", "when's", "who's"})
_WH_IS = frozenset({"what's", "whats", "how's", "hows", "where's", "when's", "who's"})
_NOMINATIVE = frozenset({"i", "we", "they", "he", "she", "you", "u"})
_AUX = frozenset({"is", "are", "was", "were", "has", "have", "did", "does", "do", "will", "can", "could", "would"})
_ANY = frozenset({"any", "anything", "anyone", "anybody"})
_JOIN = frozenset({"and", "also", "plus", "oh", "then", "&"})
# words after which the first part's question starts ("Sam asks what's ...", "for Friday: is ...")
_BREAKS = frozenset({":", "—", "–", "-", ";"})
_SAYS = frozenset({"says", "asks", "say", "ask", "wonders", "wonder", "know", "me"})
_SUBJECT_TAGS = frozenset({"PRON", "DET", "PROPN", "NOUN", "NUM"})


def _direct(t: Tree, j: int, hi: int) -> bool:
    """A question in its own word order: the verb right after the question words ("what's
    the forecast", "how long is the drive", "which one is nearer", "when does it open")."""
    if t.low(j) in _WH_IS:
        return True
    k = j + 1
    while k < hi and k <= j + 2 and t.words[k].upos in ("ADJ", "ADV", "NOUN", "DET") and t.low(k) not in _AUX:
        k += 1  # "how long", "how many people", "which one"
    return k < hi and (t.words[k].upos == "AUX" or t.low(k) in ("'s", "'re"))


def _opener(t: Tree, j: int, hi: int, joined: bool, first_wh: tuple[str, ...]) -> str | None:
    """What kind of part opens at word ``j`` (its part ends before ``hi``): "direct" (a
    question in its own word order), "indirect" ("whether it's open", "what she said"),
    "any", "command", or None."""
    low = t.low(j)
    has_verb = any(t.words[k].upos in ("VERB", "AUX") for k in range(j + 1, hi)) or low in _WH_IS
    if low in _WH or (joined and low in _WH_JOINED):
        if has_verb and _direct(t, j, hi):
            return "direct"
        if has_verb and low in _WH:
            return "indirect"
        # "how much is it in yen, and how much in euros": the first question's words again
        # (two words, "how much", "how long": a lone "what" may open a clause whose verb was missed)
        size = len(first_wh)
        if size == 2 and tuple(t.low(k) for k in range(j, min(j + size, hi))) == first_wh:
            return "direct"
        return None
    # "has the parcel shipped", "did it ship": the auxiliary may be tagged a verb; a verb of
    # its own later in the part shows it is one ("do that twice" has none)
    # ("did", "does", "has" never open a command; "have the kids ready" may)
    inverted = t.words[j].upos == "AUX" or low in ("did", "does", "has") or (
        low == "have" and any(t.words[k].upos == "VERB" for k in range(j + 2, hi)))
    if inverted and low == "have" and j + 1 < hi and t.low(j + 1) not in _NOMINATIVE and "?" not in t.lows():
        # "have it reviewed for issues": "have" is also the causative command, so with no
        # question mark it asks only before a subject that cannot be an object ("have they paid")
        inverted = False
    if low == "do" and not (j + 1 < hi and t.words[j + 1].upos == "PRON"):
        inverted = False  # "then do the first chunk": a command; "do we have ..." asks
    if low in _AUX and inverted and j + 1 < hi and t.words[j + 1].upos in _SUBJECT_TAGS and t.low(j + 1) not in ("you", "u"):
        return "direct"  # "is the pool open", "did the parcel ship"
    if low in _ANY and t.words[j].upos != "VERB" and _any_thing(t, j, hi):
        return "any"
    if low == "if" and joined and has_verb and hi >= _end(t):
        # "..., and if the parcel has come": the last of a list of questions, nothing after it
        return "indirect"
    word = t.words[j]
    if word.upos == "VERB" and t.lemma(j) == low and t.rel(j) in ("conj", "parataxis", "root", "list"):
        return "command"
    return None


def _any_thing(t: Tree, j: int, hi: int) -> bool:
    """"any new emails", "any post for me", "anything in my inbox": a thing asked after
    ("anything like that", "anything else" ask for nothing of their own)."""
    if t.low(j) == "any":
        k = j + 1
        while k < hi and t.words[k].upos == "ADJ":
            k += 1
        return k < hi and t.words[k].upos == "NOUN"
    return j + 2 < hi and t.low(j + 1) not in ("like", "else") and t.words[j + 1].upos in ("ADP", "ADJ")


_QUESTIONS = frozenset({"direct", "indirect", "any"})
# verbs that ask to be told, under which a list of indirect questions is a list of look-ups
_TELLING = frozenset({"tell", "know", "let", "look", "see", "check", "find", "wonder", "ask", "answer"})


def _end(t: Tree) -> int:
    end = len(t)
    while end > 0 and t.words[end - 1].upos == "PUNCT":
        end -= 1
    return end


def _first_wh(t: Tree) -> tuple[str, ...]:
    """The words of the sentence's first question: "how much", "what time", "how"."""
    k = next((k for k in range(len(t)) if t.low(k) in _WH and t.low(k) != "whether"), len(t))
    if k >= len(t):
        return ()
    if k + 1 < len(t) and t.words[k + 1].upos in ("ADJ", "ADV", "NOUN") and t.low(k + 1) not in _AUX:
        return (t.low(k), t.low(k + 1))
    return (t.low(k),)


def listed_parts(t: Tree) -> list[tuple[int, int, str]]:
    """The parts of a comma list of questions: (first word, end, kind) for each, the
    first part's kind "" (what it is is read elsewhere). Empty when no comma opens a part."""
    lows = [t.low(k) for k in range(len(t))]
    end = _end(t)
    first_wh = _first_wh(t)
    commas = [k for k in range(1, end - 1) if lows[k] == ","]
    size = len(first_wh) if len(first_wh) == 2 else 0
    # "how much is it in yen and how much in euros": the first question's words again after "and"
    first = next((k for k in range(end) if tuple(lows[k:k + size]) == first_wh), end) if size else end
    again = [k for k in range(first + size, end - size) if lows[k] == "and" and lows[k - 1] != ","
             and tuple(lows[k + 1:k + 1 + size]) == first_wh]
    if not commas and not again:
        return []
    starts: list[tuple[int, int, bool]] = []  # (the comma, the part's first word, joined)
    for c in sorted(commas + again):
        j = c + 1
        joined = lows[c] == "and"
        while j < end and lows[j] in _JOIN:
            joined = True
            j += 1
        if j < end - 1:
            starts.append((c, j, joined))
    cuts: list[tuple[int, int, str]] = []
    bounds = [c for c, _, _ in starts] + [end]
    for c, j, joined in starts:
        hi = next(b for b in bounds if b > j)
        kind = _opener(t, j, hi, joined, first_wh)
        if lows[c] == "and" and any(t.words[k].upos in ("VERB", "AUX") for k in range(j, hi)):
            kind = None  # "... and what's stale" with a verb: S126's, or a clause of the work
        if kind and t.low(j) == "if" and not any(k in _QUESTIONS for _, _, k in cuts):
            kind = None  # "if" asks only after other questions ("..., what ..., and if ...")
        if kind is not None:
            cuts.append((c, j, kind))
    if not cuts:
        return []
    parts: list[tuple[int, int, str]] = []
    lo = 0
    kind = ""
    for c, j, k in cuts:
        if c > lo:
            parts.append((lo, c, kind))
        lo, kind = j, k
    parts.append((lo, end, kind))
    return [p for p in parts if p[1] - p[0] >= 2 or p[2]]


def question_list(t: Tree) -> list[tuple[int, int]]:
    """S460: the parts of a question sentence that lists its questions with commas
    (at least two parts, each but the first opened as a question or a command)."""
    parts = listed_parts(t)
    if len(parts) < 2 or not any(k in _QUESTIONS for _, _, k in parts):
        return []
    if t.low(parts[0][0]) not in _WH | _WH_JOINED | _AUX and _first_question(t, parts[0][0], parts[0][1]) is None:
        return []  # "the views dropped last week, any idea why?": what happened, then one question
    return [(a, b) for a, b, _ in parts]


def _head_of(t: Tree, a: int, b: int) -> int:
    return t.root if a <= t.root < b else next((k for k in range(a, b) if not (a <= (t.head(k) or -1) < b) and t.rel(k) not in ("punct", "cc")), a)


def _first_question(t: Tree, a: int, b: int) -> tuple[int, str] | None:
    """The question the first part opens, at its start or after a lead ("Sam asks what's
    ...", "for Friday: is ...", "I'd like to know whether ...")."""
    for k in range(a, b - 1):
        lead = k == a or t.low(k - 1) in _BREAKS or (k < a + 8 and t.low(k - 1) in _SAYS)
        kind = _opener(t, k, b, True, ()) if lead else None
        if kind in _QUESTIONS:
            return k, kind or ""
    return None


def questions_beside(t: Tree, found: Sequence[Pred]) -> list[Pred]:
    """S461: ``found`` with a question step added for each listed question part that
    holds none of its steps, in word order."""
    if "," not in (t.low(k) for k in range(len(t))):
        return list(found)
    parts = listed_parts(t)
    if len(parts) < 2:
        return list(found)
    from planner.parser.distribute import find_lists

    if any(t.low(k) in ("each", "both", "every") for k in range(parts[1][0])):
        return list(found)  # "for each of the three, check how ..., and what ...": asked of each thing
    for lst in find_lists(t):
        # "look at A, B and C: how ..., whether ...": the list's items carry the work, the
        # questions are asked of each; "gather the weather, my diary, and any emails": the
        # parts are members of a list of things to fetch, not questions of their own
        inside = next(((a, b) for a, b, _ in parts if a <= lst.start and lst.end <= b), None)
        if inside is not None:
            return list(found)
        first = next(((a, b) for a, b, _ in parts if a <= lst.start < b), None)
        if first is not None and first == (parts[0][0], parts[0][1]) and _first_question(t, *first) is None:
            return list(found)
        if first is not None and first != (parts[0][0], parts[0][1]) and not any(k in _QUESTIONS for a, b, k in parts if (a, b) == first):
            return list(found)
    taken = {k for p in found for k in (p.i, p.anchor) if k >= 0}
    # "tell me what ..., whether ..., and what ...": questions said as what is to be told
    telling = not found or any(p.verb in _TELLING for p in found)
    extra: list[Pred] = []
    for n, (a, b, kind) in enumerate(parts):
        if any(a <= k < b for k in taken):
            continue
        if not kind:
            # the first part has no comma before it: it must open as a question itself
            nxt = parts[n + 1][2] if n + 1 < len(parts) else ""
            opened = _first_question(t, a, b) if nxt in _QUESTIONS else None
            if opened is None:
                continue
            a, kind = opened
        if kind not in _QUESTIONS or (kind == "indirect" and not telling):
            continue
        if n == len(parts) - 1 and n > 0 and t.low(a - 1) == ",":
            continue  # "fix the limits, what is needed": a bare comma before the last part adds to it
        head = _head_of(t, a, b)
        extra.append(Pred(t, head, "answer", "question", ["S461"], part=(a, b)))
    if not extra or (not found and (len(extra) < 2 or extra[0].part is None or extra[0].part[1] != parts[0][1])):
        # with no command, only a list of two or more questions that opens the sentence
        # ("I'd like to know whether ..., whether ..., and what ...") is read here
        return list(found)
    out = list(found)
    for q in extra:
        at = next((n for n, p in enumerate(out) if p.i > q.part[0]), len(out)) if q.part else len(out)
        out.insert(at, q)
    return out


doc_only(
    "S462", "listed-messages",
    "'text Sam I'm running late, message Jo the keys are under the mat, and book a table': each message in a comma list of commands is a step, its words the message.",
    """A message to send, said as a command with its recipient and then
    its words ("text Sam I'm running late", "email the landlord the boiler
    is fixed"), holds a clause of its own that the parser takes for the
    sentence's work: the messaging verb (often tagged a noun) is lost, or
    the message's words become steps. In a sentence of two or more parts
    set off by commas, a part that opens with a messaging verb
    (`[listed_asks] message_verbs` in `rules/parse.toml`) and a recipient
    is one step: sending the message; the steps read inside its words are
    none of their own.""",
)

# a recipient after a messaging verb: a name, "him", "my mum", "the landlord"
_RECIPIENT_TAGS = frozenset({"PROPN", "PRON", "NOUN", "DET"})
_OWNERS = frozenset({"my", "our", "the", "his", "her", "their"})
_PLEASE = frozenset({"please", "pls", "just", "and", "also", "then", "oh"})


def _message_part(t: Tree, a: int, b: int, verbs: frozenset[str]) -> bool:
    """Whether the part ``[a, b)`` opens with a messaging verb and its recipient."""
    while a < b and t.low(a) in _PLEASE:
        a += 1
    if a + 2 >= b or t.low(a) not in verbs:
        return False
    r = a + 1
    if t.low(r) in _OWNERS:
        r += 1
    return r < b and t.words[r].upos in _RECIPIENT_TAGS and t.low(r) not in ("it", "this", "that", "me", "each", "every", "all", "both")


def _comma_parts(t: Tree) -> list[tuple[int, int]]:
    end = _end(t)
    parts: list[tuple[int, int]] = []
    lo = 0
    for k in range(end):
        if t.low(k) == ",":
            if k > lo:
                parts.append((lo, k))
            lo = k + 1
    if lo < end:
        parts.append((lo, end))
    return parts


def listed_messages(t: Tree, found: Sequence[Pred]) -> list[Pred]:
    """S462: ``found`` with one sending step per message part of a comma list of commands."""
    if "," not in (t.low(k) for k in range(len(t))):
        return list(found)
    verbs, says = parse_word_sets("listed_asks", "message_verbs", "message_says")
    parts = _comma_parts(t)
    if len(parts) < 2:
        return list(found)
    out = list(found)
    for a, b in parts:
        if not _message_part(t, a, b, verbs):
            continue
        while t.low(a) in _PLEASE:
            a += 1
        # "email the landlord and book a van": the message ends before a command joined to it
        # ("email the landlord and ask for a refund" says what the message says: one step)
        b = next((k for k in range(a + 2, b - 1) if t.low(k) in ("and", "then") and t.words[k + 1].upos == "VERB"
                  and t.lemma(k + 1) == t.low(k + 1) and t.lemma(k + 1) not in says), b)
        inside = [p for p in out if a <= p.i < b or a <= p.anchor < b]
        if any(p.kind == "question" for p in inside) or [p.i for p in inside] == [a]:
            continue  # the message read as its one step already (and its list of recipients kept)
        sent = Pred(t, a, t.low(a), "verb", ["S462"], anchor=a, part=(a, b))
        at = next((n for n, p in enumerate(out) if p in inside or p.i > a), len(out))
        out = [p for p in out if p not in inside]
        out.insert(min(at, len(out)), sent)
    return out
