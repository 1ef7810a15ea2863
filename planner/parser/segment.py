"""Split prose into list items, sentences and clauses, keeping offsets.

Everything here is a single left-to-right pass over tokens found by one
regular expression without nested quantifiers, so time grows linearly with
the length of the text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

from planner import lazyre
from planner.parser.lexicon import Lexicon
from planner.parser.mask import is_list_item, prose_paragraphs, sections

# Words, numbers (with inner dots, quotes or hyphens: "example.jpg", "don't"),
# or any single other visible character.
# A quoted passage ('...', "...", “...”) is one token: it is data the task
# talks about (a text to translate, a question to answer), never instructions.
# Each alternative stops at the next quote or line break, so scanning stays
# linear even when quotes never close.
_TOKEN = lazyre.compile(
    r"(?<![\w'])'(?:[^'\n]|(?<=\w)'(?=\w)){1,2000}'(?![\w'])"
    r'|"[^"\n]{1,2000}"'
    r"|“[^”\n]{1,2000}”"
    # A web address is one word: its "://" is no colon that introduces data.
    r"|(?:https?|ftp)://[^\s'\"<>()\[\]]*[^\s'\"<>()\[\].,;:!?]"
    r"|\w+(?:[.'’\-/]\w+)*|\S"
)
_QUOTES = frozenset("'\"“")

# Words after which a dot does not end a sentence.
_ABBREVIATIONS = frozenset(
    ["e.g", "i.e", "etc", "vs", "cf", "approx", "mr", "mrs", "ms", "dr", "st", "no", "fig", "eq", "al", "inc", "ltd", "jr", "sr", "vol", "resp"]
)

# Words that may follow a verb which is also a common noun ("test it", "build
# the ..."), telling the verb reading apart from a compound noun ("build system").
FUNCTION_WORDS = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "it", "its", "them", "their", "they", "my", "our", "your", "his", "her", "all", "each", "every", "both", "any", "some", "what", "how", "why", "where", "whether", "which", "who", "when", "up", "out", "down", "over", "into", "onto", "for", "to", "on", "with", "from", "in", "at", "by", "back", "again", "and", "or", "then", "about", "through", "across", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "many", "few", "more", "most", "me", "us", "him", "you", "everything", "anything", "something", "something", "nothing", "as", "if", "so", "off", "away", "forward", "together", "first", "multiple", "new", "whatever", "whichever", "wherever"]
)

# Prepositions that open a time or place phrase ("During the meeting, ...",
# "Once inside the taxi, ..."): such a word never starts a command, so the
# guess that an unknown sentence-opening word before "the" is a verb skips them.
PREPOSITIONS = frozenset(
    ["during", "inside", "outside", "within", "without", "throughout", "upon", "among", "amid", "amidst", "despite", "beyond", "beneath", "behind", "below", "above", "toward", "towards", "along", "around", "near", "beside", "besides", "except", "via", "per", "unlike", "regarding", "concerning", "against", "underneath", "onboard", "aboard", "amongst"]
)

DETERMINERS = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "my", "your", "his", "her", "each", "every", "both", "all", "any", "some"]
)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    low: str = ""  # lower-cased text, filled in by tokenize()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum() or self.text[:1] == "_" or self.quoted

    @property
    def quoted(self) -> bool:
        return len(self.text) > 2 and self.text[0] in _QUOTES


@dataclass(frozen=True)
class Sentence:
    """A sentence (or one list item) and its tokens."""

    start: int
    end: int
    tokens: tuple[Token, ...]
    index: int
    list_id: int | None = None  # which list the item belongs to
    list_kind: str | None = None  # "bullet" or "numbered"
    first_of_item: bool = False  # first sentence of a list item
    title: bool = False  # a one-line first paragraph without end punctuation, before more text
    section: str = ""  # the heading above it ("steps to reproduce"), lower-cased


@dataclass(frozen=True)
class Clause:
    """A clause: the tokens between two split points in a sentence."""

    tokens: tuple[Token, ...]
    sentence: Sentence
    connector: str | None  # what separated it from the clause before: ",", ";", "and", "or", ...
    lead: tuple[str, ...]  # opener and cue words removed from its start ("then", "please")
    verb_index: int | None  # index into tokens of its verb, if it starts with one
    verb: str | None  # the verb's base form
    ends_with_colon: bool = False  # "Implement the feature: find ..., design ..."
    body_index: int = 0  # index into tokens of the first word after the lead

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


def tokenize(text: str, start: int, end: int) -> list[Token]:
    """Tokens of ``text[start:end]`` with offsets in ``text``."""
    return [Token(m.start(), m.end(), m.group(0), m.group(0).lower()) for m in _TOKEN.finditer(text, start, end)]


def sentences(text: str) -> list[Sentence]:
    """Sentences and list items of the prose in ``text``, in order."""
    out = _sentences(text)
    heads = sections(text)
    if not heads:
        return out
    # Attach each sentence to the heading above it (one merge pass, both in order).
    k = -1
    result: list[Sentence] = []
    for sent in out:
        while k + 1 < len(heads) and heads[k + 1][0] <= sent.start:
            k += 1
        result.append(replace(sent, section=heads[k][1]) if k >= 0 else sent)
    return result


def _sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    list_id = 0
    paragraphs = prose_paragraphs(text)
    for n_par, paragraph in enumerate(paragraphs):
        if n_par == 0 and len(paragraph) == 1 and _is_title(text, paragraph[0].start, paragraph[0].end):
            tokens = tokenize(text, paragraph[0].start, paragraph[0].end)
            if tokens:
                out.append(Sentence(tokens[0].start, tokens[-1].end, tuple(tokens), 0, title=True))
                continue
        in_list = False
        item: list[Token] = []
        item_kind: str | None = None
        plain: list[Token] = []
        for line in paragraph:
            body = text[line.start : line.end]
            marker = is_list_item(body)
            if marker is not None:
                _flush(out, plain)
                _flush(out, item, list_id, item_kind)
                if not in_list:
                    list_id += 1
                    in_list = True
                symbol = marker.group(1)[0]
                item_kind = "numbered" if symbol.isalnum() or symbol == "(" else "bullet"
                item.extend(tokenize(text, line.start + marker.end(1), line.end))
            elif in_list and body[:1].isspace():
                item.extend(tokenize(text, line.start, line.end))  # continuation line
            else:
                _flush(out, item, list_id, item_kind)
                in_list = False
                # A line break inside a paragraph ends a sentence when the next
                # line starts like a new one (capital letter) and the line before
                # did not end mid-phrase: titles and short lines in bug reports.
                if plain and _line_break_ends_sentence(plain[-1], body):
                    _flush(out, plain)
                plain.extend(_drop_data(tokenize(text, line.start, line.end)))
        _flush(out, item, list_id, item_kind)
        _flush(out, plain)
    return out


# Nouns that announce data after a colon ("the following text: ...", "Here is
# the question: ..."): the rest of that line is the data, not instructions.
_DATA_NOUNS = frozenset(
    ["text", "texts", "content", "contents", "message", "sentence", "sentences", "paragraph", "question", "questions", "quote", "script", "description", "statement", "article", "prompt", "email", "letter", "lyrics", "passage", "phrase", "transcript", "caption", "title", "query", "input", "string"]
)


def _drop_data(tokens: list[Token]) -> list[Token]:
    """Remove the data after a colon that introduces it ("the following text: ...").

    The data runs to the end of its sentence, or to the closing bracket when
    the colon sits inside brackets ("(user text: 'a.txt')"); instructions
    after it are kept.
    """
    out: list[Token] = []
    depth = 0
    skipping = False
    quoted_data = False
    skip_depth = 0
    for c, tok in enumerate(tokens):
        if tok.text in {"(", "["}:
            depth += 1
        elif tok.text in {")", "]"}:
            depth = max(0, depth - 1)
            if skipping and depth < skip_depth:
                skipping = False
        if skipping:
            if tok.text in {".", "!", "?"}:
                skipping = False
                out.append(tok)
            continue
        if quoted_data:
            quoted_data = False
            if tok.quoted:
                # "text: 'Hello there.' Please shorten it": the data's own full
                # stop ends the sentence, though the data itself is dropped.
                nxt = tokens[c + 1] if c + 1 < len(tokens) else None
                if tok.text[-2:-1] in {".", "!", "?"} and nxt is not None and nxt.text[:1].isupper():
                    out.append(Token(tok.end - 2, tok.end - 1, tok.text[-2], tok.text[-2]))
                continue  # "text: 'Hello there', and then ...": the data is the quote alone
        out.append(tok)
        if tok.text == ":" and any(t.low in _DATA_NOUNS for t in tokens[max(0, c - 4) : c]):
            nxt = tokens[c + 1] if c + 1 < len(tokens) else None
            if nxt is not None and nxt.quoted:
                quoted_data = True
            else:
                skipping = True
                skip_depth = depth
    return out


def _flush(
    out: list[Sentence], tokens: list[Token], list_id: int | None = None, kind: str | None = None
) -> None:
    """Append the sentences of ``tokens`` (a list item when ``kind`` is set) and clear it."""
    for k, sent in enumerate(_split_sentences(tokens)):
        if kind is None:
            out.append(Sentence(sent[0].start, sent[-1].end, tuple(sent), len(out)))
        else:
            out.append(Sentence(sent[0].start, sent[-1].end, tuple(sent), len(out), list_id, kind, k == 0))
    tokens.clear()


def _is_title(text: str, start: int, end: int) -> bool:
    """A first line that reads like a heading: short, no end punctuation, more text after it."""
    line = text[start:end].strip()
    rest = text[end:].strip()
    return bool(line) and len(line) <= 150 and line[-1] not in ".!?:;," and bool(rest) and is_list_item(line) is None


def _line_break_ends_sentence(last: Token, next_line: str) -> bool:
    first = next_line.lstrip()[:1]
    if not first or not (first.isupper() or not first.isalpha()):
        return False
    return last.text not in {",", "-", "(", "and", "or", "the", "a", "to", "of"}


# Words that open a new sentence, never a name after a title: an abbreviation
# before one of them ends its sentence too.
_SENTENCE_OPENERS = frozenset(
    {"after", "afterwards", "then", "next", "meanwhile", "also", "finally", "lastly", "once", "please",
     "i", "we", "additionally", "subsequently", "however", "following", "upon", "when", "later"}
)


def _split_sentences(tokens: list[Token]) -> list[list[Token]]:
    out: list[list[Token]] = []
    current: list[Token] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        current.append(tok)
        if tok.text in {".", "!", "?", "…"}:
            nxt = tokens[i + 1] if i + 1 < n else None
            if nxt is None:
                continue
            if nxt.text in {".", "!", "?", ")", '"', "'", "”", "’"}:
                continue
            if nxt.start == tok.end:
                continue  # no space after the dot: "v1.2", "x.y"
            prev = current[-2].low if len(current) >= 2 else ""
            abbreviated = prev in _ABBREVIATIONS or (len(prev) == 1 and prev.isalpha())
            # "Dr. Smith", "e.g. cats" go on; "... Main St. After that, ..." ends there.
            if tok.text == "." and abbreviated and not (prev in _ABBREVIATIONS and nxt.low in _SENTENCE_OPENERS):
                continue
            if nxt.text[:1].islower():
                continue
            out.append(current)
            current = []
        elif tok.quoted and tok.text[-2:-1] in {".", "!", "?"} and i + 1 < n and tokens[i + 1].text[:1].isupper():
            out.append(current)  # "... text: 'It works.' I need it shorter."
            current = []
        elif tok.text in {"。", "！", "？"}:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return [s for s in out if any(t.is_word for t in s)]


# ---------------------------------------------------------------- clauses

_SPLIT_PUNCT = frozenset({",", ";", ":", "—", "–", "-"})
_SPLIT_WORDS = frozenset({"and", "then", "or", "but", "before", "after", "once", "so", "while", "plus"})
# Relative words that start a new request only before a wish ("a video that
# I'd like to speed up", "a file on which I want to add reverb").
_RELATIVE_WORDS = frozenset({"that", "which", "where"})
_CUE_WORDS = frozenset(
    ["and", "then", "or", "but", "also", "finally", "next", "afterwards", "afterward", "lastly", "first", "firstly", "second", "secondly", "third", "thirdly", "subsequently", "meanwhile", "additionally", "so", "plus", "eventually", "please", "just", "now", "separately", "independently", "simultaneously"]
)
# Multi-word leads ("after that", "in parallel") checked before single words.
_CUE_PHRASES: tuple[tuple[str, ...], ...] = (
    ("at", "the", "same", "time"),
    ("in", "the", "meantime"),
    ("after", "that"),
    ("after", "this"),
    ("in", "parallel"),
    ("at", "the", "end"),
    ("in", "the", "end"),
    ("only", "then"),
    ("and", "then"),
    ("and", "finally"),
    ("and", "also"),
)
_SEQUENCE_LEADS = frozenset({"then", "next", "finally", "afterwards", "afterward", "lastly", "subsequently"})


def _lead_step(
    lex: Lexicon, tokens: tuple[Token, ...], i: int, before: str, started: bool
) -> tuple[int, str | None] | None:
    """One step of :func:`strip_lead` at ``tokens[i]``: the index after what it
    skips and the lead word it adds (None for skipped punctuation), or None
    where the lead ends. ``started``: whether a lead word came before."""
    if _capitalised_name(tokens, i):
        return None
    n = len(tokens)
    for phrase in _lead_index(lex).get(tokens[i].low, ()):
        k = len(phrase)
        if i + k <= n and all(tokens[i + j].low == phrase[j] for j in range(1, k)):
            return i + k, " ".join(phrase)
    low = tokens[i].low
    if low in _CUE_WORDS:
        return i + 1, low
    if tokens[i].text in {",", ":", "-", "(", ")"} and started:
        return i + 1, None
    if (
        low == "to"
        and ((i > 0 and tokens[i - 1].low in {"and", "then", "also", "or"}) or (i == 0 and before in {"and", "then", "also", "or"}))
        and i + 1 < n
        and lex.base_form(tokens[i + 1].low) == tokens[i + 1].low
    ):
        # "I need to proofread it and then to submit it": the wish's
        # "to" said again before the next verb.
        return i + 1, "to"
    if low.endswith("ly") and i + 1 < n and lex.base_form(tokens[i + 1].low) is not None and lex.base_form(low) is None:
        return i + 1, low  # an adverb before the verb: "carefully check"
    return None


def strip_lead(lex: Lexicon, tokens: tuple[Token, ...], i: int, before: str = "") -> tuple[int, list[str]]:
    """Skip openers and cue words from ``tokens[i]``; return the new index and what was skipped.

    ``before``: the word that split the clause off just before ``tokens[0]``, if any.
    """
    lead: list[str] = []
    n = len(tokens)
    while i < n:
        step = _lead_step(lex, tokens, i, before, bool(lead))
        if step is None:
            break
        i, word = step
        if word is not None:
            lead.append(word)
    return i, lead


class _LeadSummary(NamedTuple):
    end: int  # index of the first token after the lead
    last: str | None  # the last lead word, None when there is none
    sequenced: bool  # whether any lead word is a sequencing word


class _LeadScan:
    """:func:`strip_lead` from many starting points of one sentence, in linear time.

    Splitting tries the lead after every split word; on a run of cue words
    ("and and and ...") each try walks the rest of the run, which made
    parsing quadratic. A step depends only on its position and on whether a
    lead word came before, so the summary from each such state is remembered
    and every state is walked once per sentence.
    """

    def __init__(self, lex: Lexicon, tokens: tuple[Token, ...]) -> None:
        self._lex = lex
        self._tokens = tokens
        self._memo: dict[tuple[int, bool], _LeadSummary] = {}

    def at(self, i: int) -> _LeadSummary:
        """The lead from ``tokens[i]`` (``i > 0``: no split word before the sentence matters)."""
        memo, n = self._memo, len(self._tokens)
        # Walk forward to a known or final state, then fill in backwards.
        path: list[tuple[tuple[int, bool], str | None]] = []
        state = (i, False)
        while state not in memo:
            j, started = state
            step = _lead_step(self._lex, self._tokens, j, "", started) if j < n else None
            if step is None:
                memo[state] = _LeadSummary(j, None, False)
                break
            path.append((state, step[1]))
            state = (step[0], started or step[1] is not None)
        summary = memo[state]
        for key, word in reversed(path):
            if word is not None:
                summary = _LeadSummary(
                    summary.end, summary.last or word, summary.sequenced or word in _SEQUENCE_LEADS
                )
            memo[key] = summary
        return summary


def _proper_name(tokens: tuple[Token, ...], i: int) -> bool:
    """"our Python, JavaScript and Go dependencies": a capitalised word after
    another word, mid-sentence, and followed by a noun-like word is a name."""
    if not (0 < i < len(tokens) - 1 and tokens[i].text[:1].isupper() and tokens[i - 1].is_word):
        return False
    nxt = tokens[i + 1]
    return nxt.is_word and nxt.text[:1].islower() and nxt.low not in FUNCTION_WORDS


def _capitalised_name(tokens: tuple[Token, ...], i: int) -> bool:
    """"React 19 and Next 15": a cue word written with a capital right after
    another word, mid-sentence, and followed by a number or another capital,
    is a name, not a sequencing word."""
    if not (0 < i < len(tokens) - 1 and tokens[i].low in _SEQUENCE_LEADS and tokens[i - 1].is_word):
        return False
    nxt = tokens[i + 1].text[:1]
    return tokens[i].text[:1].isupper() and (nxt.isdigit() or nxt.isupper() or nxt == ".")


_LEAD_CACHE: dict[int, dict[str, list[tuple[str, ...]]]] = {}


def _lead_index(lex: Lexicon) -> dict[str, list[tuple[str, ...]]]:
    """Lead phrases grouped by first word, longest first (built once per lexicon)."""
    index = _LEAD_CACHE.get(id(lex))
    if index is None:
        index = {}
        for phrase in sorted({*_CUE_PHRASES, *lex.openers}, key=lambda p: (-len(p), p)):
            index.setdefault(phrase[0], []).append(phrase)
        _LEAD_CACHE[id(lex)] = index
    return index


def verb_at(
    lex: Lexicon,
    tokens: tuple[Token, ...],
    i: int,
    *,
    gerund: bool = True,
    initial: bool = False,
    expected: bool = False,
    sequenced: bool = False,
) -> str | None:
    """The base form of the verb starting a clause at ``tokens[i]``, if it is one.

    ``initial``: the clause opens a sentence, where a word like "build" or
    "test" is far more often an imperative than the start of a noun phrase.
    ``expected``: the words before demand a verb ("I want to ...", "please
    ..."), so a word the lexicon does not know is taken as one too.
    ``sequenced``: a sequencing word comes before ("then review."), so a
    noun-like verb may end the sentence.
    """
    if i >= len(tokens) or not tokens[i].is_word:
        return None
    word = tokens[i].low
    if _proper_name(tokens, i):
        return None
    base = lex.base_form(word)
    if base is None:
        plain = word.isalpha() and word not in FUNCTION_WORDS and word not in PREPOSITIONS and not word.endswith("ly")
        if expected and plain:
            return word
        # "Afterwards, archive the old tables": a sentence that opens with an
        # unknown word followed by "the"/"a"/... is an imperative far more
        # often than anything else ("The app ..." opens with the determiner).
        next_low = tokens[i + 1].low if i + 1 < len(tokens) else ""
        if (initial or sequenced) and plain and not word.endswith("s") and next_low in _OBJECT_STARTS:
            return word
        return None
    # "rebuild" is "build" done again, not an inflected form of it.
    inflected = word not in {base, "re" + base, "re-" + base}
    if inflected and not (gerund and word.endswith("ing")):
        return None
    if base in lex.nouns_too and not initial:
        if (
            i >= 3
            and tokens[i - 1].low in {"and", "or"}
            and tokens[i - 3].low.endswith(("'s", "’s"))
            and (i + 1 >= len(tokens) or tokens[i + 1].low not in _OBJECT_STARTS | {"it", "them"})
        ):
            return None  # "the voice's tone and pitch to ...": a second noun owned by the same thing
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if nxt is not None and nxt.low in {"and", "or"} and (after is None or lex.base_form(after.low) is None):
            return None  # "billing, search and auth services": a list of nouns
        at_end = nxt is None or nxt.text in {".", "!", "?", ";"}
        # "measure, remove something, re-measure": a comma before another verb
        # still makes a list of actions ("structure, conventions" does not).
        listed = nxt is not None and nxt.text == "," and after is not None and (
            (base2 := lex.base_form(after.low)) is not None and base2 not in lex.nouns_too
        )
        if not listed and not (at_end and sequenced) and (
            nxt is None or nxt.low not in FUNCTION_WORDS or nxt.text in {",", "."}
        ):
            return None
    return base


SUBORDINATORS = frozenset({"before", "after", "once", "when", "while", "until"})
_SUBJECTS = frozenset({"i", "we", "you", "he", "she", "they", "it"})
_OBJECT_STARTS = frozenset({"the", "a", "an", "this", "these", "those", "my", "our", "your", "all", "every"})


def _gerund_lead(lead: list[str]) -> bool:
    """"I need help with ...", "assist me in ...": a gerund names the work."""
    return bool(lead) and lead[-1].endswith((" with", " in", " help", " assistance"))


def expects_verb(lead: list[str]) -> bool:
    """Whether the last lead words demand a verb next ("I need to", "please")."""
    if not lead:
        return False
    last = lead[-1]
    return last.endswith(" to") or last in _VERB_NEXT


_WISHES = frozenset(
    {"i want to", "i would like to", "i'd like to", "i need to", "we need to", "we want to",
     "we'd like to", "we would like to", "i also want to", "i also need to", "i'd also like to"}
)
_WANTS = frozenset({"i need", "i want", "i would like", "i'd like", "i also need", "i also want", "i'd also like"})
_VERB_NEXT = frozenset(
    {"please", "kindly", "can you", "could you", "would you", "will you", "let's", "lets", "let us",
     "help me", "help us", "you should", "we should", "should we", "shall we", "can we", "could we",
     "we must", "you must", "must"}
)


def clauses(lex: Lexicon, sentence: Sentence) -> list[Clause]:
    """Split a sentence where a new verb phrase (or a sequencing word) begins."""
    toks = sentence.tokens
    n = len(toks)
    cuts: list[tuple[int, str]] = [(-1, "")]  # (index of the separator, its text)
    depth = 0
    i = 0
    leads = _LeadScan(lex, toks)
    j0, lead0 = strip_lead(lex, toks, 0)
    clause_has_verb = verb_at(lex, toks, j0, initial=True) is not None
    last_gerund = _gerund_lead(lead0) and verb_at(lex, toks, j0, gerund=True) is not None
    while i < n:
        t = toks[i]
        if t.text in {"(", "[", "{"}:
            depth += 1
        elif t.text in {")", "]", "}"}:
            depth = max(0, depth - 1)
        elif depth == 0 and i > 0 and t.low in _RELATIVE_WORDS:
            j, last, _ = leads.at(i + 1)
            if last in _WISHES and verb_at(lex, toks, j, expected=True) is not None:
                cuts.append((i, t.low))
                clause_has_verb = True
                i = j
                continue
        elif depth == 0 and i > 0 and (t.text in _SPLIT_PUNCT or t.low in _SPLIT_WORDS):
            j, last, lead_sequenced = leads.at(i + 1)
            lead = [last] if last is not None else []  # the checks below read only the last word
            # "help with enhancing the audio, transcribing it and tagging it":
            # after one gerund step, the next gerund starts another.
            gerund = t.low in SUBORDINATORS or last_gerund or _gerund_lead(lead)
            sequenced = t.low == "then" or lead_sequenced
            starts_verb = (
                verb_at(lex, toks, j, gerund=gerund, expected=expects_verb(lead), sequenced=sequenced)
                is not None
            )
            # ", each designed and built on its own": a per-item clause.
            per_item = t.text in _SPLIT_PUNCT and j < n and (
                toks[j].low == "each" or (toks[j].low == "for" and j + 1 < n and toks[j + 1].low == "each")
            )
            # "- provisioning infrastructure": a dash followed by a gerund phrase.
            dash_gerund = t.text in {"-", "—", "–"} and verb_at(lex, toks, j, gerund=True) is not None
            # "Two independent workstreams: the data team ...": a verbless
            # heading before a colon is context for what follows.
            verbless_heading = t.text == ":" and not clause_has_verb and j < n and toks[j].is_word
            # ", and I need a summary of it": a wanted result starts a new request.
            wish = bool(lead) and lead[-1] in _WANTS and j < n and toks[j].is_word and t.low in {",", "and", ";"}
            # ", and while I do that, ...": a clause of time opens after the comma or "and".
            timed = t.low in {",", "and"} and j + 1 < n and toks[j].low in SUBORDINATORS and toks[j + 1].low in _SUBJECTS
            if t.text == ";" or starts_verb or per_item or dash_gerund or verbless_heading or wish or timed or (
                sequenced and j < n and toks[j].is_word
            ):
                cuts.append((i, t.low))
                clause_has_verb = starts_verb
                last_gerund = starts_verb and j < n and toks[j].low.endswith("ing")
                i = j
                continue
        i += 1
    out: list[Clause] = []
    carried: list[str] = []
    prev_gerund = False
    for k, (at, connector) in enumerate(cuts):
        stop = cuts[k + 1][0] if k + 1 < len(cuts) else n
        # Trim punctuation at either end so spans cover words only (moving
        # indices, not re-slicing, which was quadratic on a run of commas).
        first, last_at = at + 1, stop
        while first < last_at and not toks[first].is_word and toks[first].text not in {'"', "'", "`", "“"}:
            first += 1
        while first < last_at and toks[last_at - 1].text in {",", ";", ":", ".", "!", "?", "-", "—", "–"}:
            last_at -= 1
        if first == last_at:
            continue
        body = toks[first:last_at]
        lead = [*carried, connector] if connector and connector[0].isalpha() else list(carried)
        carried = []
        j, more = strip_lead(lex, body, 0, connector)
        lead += more
        if j < len(body) and body[j].low in SUBORDINATORS:
            lead.append(body[j].low)
            j, more = strip_lead(lex, body, j + 1)
            lead += more
        if j >= len(body):
            carried = lead  # "Finally, set an alarm": the cue belongs to what follows
            continue
        gerund = any(w in SUBORDINATORS for w in lead) or _gerund_lead(lead) or prev_gerund
        initial = (k == 0 and sentence.tokens[0] is body[0]) or (k > 0 and cuts[k][1] in {":", ";"})
        sequenced = any(w in _SEQUENCE_LEADS for w in lead)
        verb = verb_at(
            lex, body, j, gerund=gerund, initial=initial, expected=expects_verb(lead), sequenced=sequenced
        )
        prev_gerund = verb is not None and body[j].low.endswith("ing")
        out.append(
            Clause(
                tokens=body,
                sentence=sentence,
                connector=connector or None,
                lead=tuple(lead),
                verb_index=j if verb else None,
                verb=verb,
                ends_with_colon=stop < n and toks[stop].text == ":",
                body_index=min(j, len(body) - 1),
            )
        )
    return _merge_compound_verbs(lex, out)


def _merge_compound_verbs(lex: Lexicon, parts: list[Clause]) -> list[Clause]:
    """"identify and label the objects": two verbs of one kind sharing an object are one step."""
    out: list[Clause] = []
    position: dict[int, int] = {}  # token start offset -> index in the sentence, built on first need
    for clause in parts:
        prev = out[-1] if out else None
        if (
            prev is not None
            and clause.connector == "and"
            and prev.verb is not None
            and clause.verb is not None
            and prev.verb_index == len(prev.tokens) - 1
            and len(clause.lead) == 1
            and _same_kind(lex.role_of(prev.verb), lex.role_of(clause.verb))
        ):
            if not position:
                position = {t.start: i for i, t in enumerate(prev.sentence.tokens)}
            tokens = prev.sentence.tokens[position[prev.start] : position[clause.tokens[-1].start] + 1]
            verb_index = tokens.index(prev.tokens[prev.verb_index])
            out[-1] = Clause(
                tokens, prev.sentence, prev.connector, prev.lead, verb_index, prev.verb,
                clause.ends_with_colon, prev.body_index,
            )
            continue
        out.append(clause)
    return out


_GATHER = frozenset({"explore", "scout"})


def _same_kind(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and (a == b or (a in _GATHER and b in _GATHER))
