"""Split text into sentences of words, the way UD English EWT tokenises.

The tagger and parser were trained on EWT, so the words they see must be cut
the same way: clitics are separate words ("don't" -> "do" + "n't", "John's"
-> "John" + "'s", "cannot" -> "can" + "not", "gonna" -> "gon" + "na"),
hyphens between words are words of their own ("end-to-end" -> "end", "-",
"to", "-", "end") except after the prefixes EWT keeps attached ("e-mail",
"re-run", "non-trivial"), and "$5", "10%", "#4411" are two words each.
Text that is not prose keeps its pieces together so the parser sees one
word: URLs, e-mail addresses, file paths ("src/app/main.py") and folders
("lib/"), dotted names ("config.yaml", "v1.2.3", "os.path", ".env.local"),
and names written as code with hyphens: with a digit ("eu-north-1"), as a
file name ("pre-commit.yaml"), with an image tag ("node:20-alpine"), or in
backticks ("`log-shipper`").

Every word is a slice of the original text: a split clitic covers exactly
the characters it came from ("do" is ``text[0:2]`` of "don't", "n't" is
``text[2:5]``), so ``text[w.start:w.end] == w.text`` holds for every word.

Sentences end at ``.``, ``!``, ``?``, ``;`` (and runs of them), at blank
lines, at a new line that starts with a list marker ("-", "*", "•", "1.",
"2)", "a)", "[ ]"), and at a line break unless the break only wraps prose (the
next line starts in lower case and the line before does not end in a
sentence or clause mark). A list marker is not a word: it is kept as the
sentence's ``marker``.

Everything here runs in time linear in the text: each alternative of the
token pattern either consumes what it scanned or fails within the current
run of word characters, and the whole-chunk patterns (URLs, paths, e-mail)
are tried once per whitespace-separated chunk.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from planner import lazyre


class Token(NamedTuple):
    text: str
    start: int
    end: int


class Chunk(NamedTuple):
    """One sentence before tagging: its words and the list marker that opened its line."""

    tokens: tuple[Token, ...]
    marker: str


# Prefixes EWT writes attached to the rest of the word with a hyphen (counted
# in en_ewt-ud-train: "e-mail" 38 times, "non-" 28, "pre-" 15, ...); any other
# hyphen between two words is a word of its own.
_PREFIXES = (
    "e|non|pre|anti|re|mid|post|co|over|pro|multi|ex|sub|semi|neo|cross|micro|intra|un|vice|"
    "psycho|socio|bi|tri|de|inter|counter|mis|ultra|hyper"
)

_TOKEN = lazyre.compile(
    rf"""
    (?:[A-Za-z]\.){{2,}}(?![A-Za-z0-9])            # e.g. i.e. U.S. a.m.
  | \d+(?:[.,:]\d+)*(?:[A-Za-z]+(?![\w]))?        # 3.5  1,000  10:30  2nd  10k
  | \w+(?:\.(?=[a-z0-9_])\w+)+                    # config.yaml  v1.2.3  os.path
  | (?:(?i:{_PREFIXES})-(?=\w))?\w+(?:['’]\w+)*   # words, with inner apostrophes
  | (?<![\w.])\.[A-Za-z]\w*(?:\.[A-Za-z]\w*)*      # .doc .py .NET .env.local
  | [:;]-?[()\]\[DPp](?![\w])                    # :) :-( ;) :P
  | ->|=>|<-|<=|>=|!=|[!?]{{2,}}|…
  | ([^\w\s])\1+                                 # runs of one mark: ... -- == $$$ >> ***
  | \S
    """,
    re.VERBOSE,
)
_CHUNK = lazyre.compile(r"\S+")
# A whole chunk (its opening and closing punctuation stripped) that is one word.
_WHOLE = lazyre.compile(
    r"""
    (?:https?|ftp|file)://\S+ | www\.\w\S*
  | [\w.+-]+@\w[\w-]*(?:\.[\w-]+)+
  | @[A-Za-z_][\w.]*[A-Za-z0-9_]                   # a handle: @maria  @the.corner.shop
  | (?:~|\.{1,2})?/[\w.@+-]+(?:/[\w.@+-]*)*        # /etc/hosts  ~/bin  ./run.sh
  | [\w.@+-]+(?:/[\w.@+-]+)+/?                     # with a dot, a digit, "_" or two slashes
  | \w[\w.@+-]+/                                  # a folder: lib/  assets/
    """,
    re.VERBOSE,
)
# A name written with hyphens that holds a digit ("eu-north-1", "node-07",
# "gpt-4o"), or any hyphenated name inside backticks ("`log-shipper`"),
# is one identifier, not words and hyphens: prose compounds ("end-to-end",
# "long-running") have no digits and stay split as in EWT.
_IDENT = lazyre.compile(r"[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)+")
_CODE_NAME = lazyre.compile(r"[A-Za-z_][\w.]*(?:-[\w.]+)+")
# A file name with hyphens ("pre-commit.yaml", "lock-v2.json") and an image or
# package tag ("python:3.12-slim", "redis:7") are one name too.
_HYPHEN_FILE = lazyre.compile(r"[A-Za-z0-9][\w.-]*\.[A-Za-z][A-Za-z0-9]{0,5}")  # with a "-" (checked apart)
_TAGGED = lazyre.compile(r"[A-Za-z][\w.-]*:\d[\w.-]*")
_LEADING = "([{<\"'“‘«`"
_TRAILING = ".,;:!?)]}>\"'”’»`"

# Clitics (lower-cased), longest first; each split leaves two slices of the word.
_NT = ("n't", "n’t")
_CLITICS = ("'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m")
# Whole-word splits EWT makes (form -> length of the first part).
_FUSED = {
    "cannot": 3, "gonna": 3, "wanna": 3, "gotta": 3,
    # the apostrophe-less negations of informal and non-native writing ("dont" -> "do" + "nt")
    "dont": 2, "doesnt": 4, "didnt": 3, "isnt": 2, "arent": 3, "wasnt": 3, "werent": 4,
    "havent": 4, "hasnt": 3, "hadnt": 3, "couldnt": 5, "wouldnt": 5, "shouldnt": 6, "aint": 2,
    "cant": 2, "wont": 2,
    # the apostrophe-less "'re", "'s", "'ve" and "'ll" of the same writing ("theyre" -> "they" +
    # "re"): left whole, "theyre stuck in" reads as a noun and its adjective, the clause loses its
    # verb and swallows the command after it. Only forms that are no English word of their own
    # ("its", "ill", "well", "were", "lets", "hes" are words, and stay whole).
    "theyre": 4, "youre": 3, "whats": 4, "thats": 4, "theres": 5, "heres": 4, "wheres": 5,
    "ive": 1, "weve": 2, "youve": 3, "theyve": 4, "youll": 3, "theyll": 4, "shes": 3,
}

_SENTENCE_END = frozenset({".", "!", "?", ";", "…"})
# The last character of every word _ends_sentence says yes to: other words are not asked.
_LAST_OF_ENDS = ".!?;…"
_CLOSERS = frozenset({'"', "'", ")", "]", "}", "”", "’", "»"})
_BULLETS = frozenset({"-", "*", "•", "+", "–", "—", "‣", "◦", "▪", "·", ">", "#"})
_ENUM_CLOSE = frozenset({".", ")"})


def split(text: str, start: int = 0, end: int | None = None) -> tuple[Chunk, ...]:
    """The sentences of ``text[start:end]`` as chunks of tokens with offsets into ``text``."""
    end = len(text) if end is None else min(end, len(text))
    start = max(0, min(start, end))
    tokens = list(_tokens(text, start, end))
    return tuple(_sentences(text, tokens))


def tokenize(text: str, start: int = 0, end: int | None = None) -> tuple[Token, ...]:
    """The words of ``text[start:end]`` (list markers included), ignoring sentences."""
    end = len(text) if end is None else min(end, len(text))
    start = max(0, min(start, end))
    return tuple(_tokens(text, start, end))


def _whole_word(text: str, a: int, span: tuple[int, int], b: int, out: list[Token]) -> None:
    """The chunk ``text[a:b]`` as its ordinary tokens around one whole word at ``span``
    (an address, a path, an identifier), which is kept as one token."""
    lo, hi = span
    out.extend(Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, a, lo))
    out.append(Token(text[lo:hi], lo, hi))
    out.extend(Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, hi, b))


def _tokens(text: str, start: int, end: int) -> list[Token]:
    out: list[Token] = []
    finditer = _TOKEN.finditer
    for chunk in _CHUNK.finditer(text, start, end):
        a, b = chunk.span()
        piece = chunk.group()
        if ("-" in piece or ":" in piece) and len(piece) > 2:
            span = _identifier(text, a, b)
            if span is not None:
                _whole_word(text, a, span, b, out)
                continue
        if ("/" in piece or "@" in piece or "www." in piece) and len(piece) > 2:
            lo, hi = a, b
            while lo < hi and text[lo] in _LEADING:
                lo += 1
            while hi > lo and text[hi - 1] in _TRAILING:
                hi -= 1
            if hi > lo and _WHOLE.fullmatch(text, lo, hi) and _one_word(text[lo:hi]):
                _whole_word(text, a, (lo, hi), b, out)
                continue
        for m in finditer(text, a, b):
            word = m.group()
            s = m.start()
            if len(word) > 2 and word[-1].isalpha() and word[0].isalnum():
                _split_clitics(word, s, out)
            else:
                out.append(Token(word, s, m.end()))
    return _join_abbreviations(text, out)


class _Abbreviations(NamedTuple):
    always: frozenset[str]
    titles: frozenset[str]
    numbered: frozenset[str]


@cache
def _abbreviations() -> _Abbreviations:
    """``[abbreviations]`` of rules/parse.toml (read once per process)."""
    from planner.tomlcache import read_builtin

    data = read_builtin("parse.toml", "parser settings").get("abbreviations", {})
    return _Abbreviations(*(frozenset(data.get(k, ())) for k in _Abbreviations._fields))


def _join_abbreviations(text: str, out: list[Token]) -> list[Token]:
    """An abbreviation and the full stop right after it as one word (EWT: "etc.", "Dr.").

    A stop so kept ends no sentence. Lists of ``[abbreviations]`` in rules/parse.toml:
    ``always`` wherever the word ends at the stop; ``titles`` before a capital (a name:
    "Ing. Ramos"); ``numbered`` before a word with a digit ("no. 4471", "ref. AB/24/7").
    A stop wrongly kept loses a sentence boundary, one wrongly split only costs a word,
    so the lists are short and the last two ask for the word after.
    """
    if len(out) < 2:
        return out
    abbr = _abbreviations()
    joined: list[Token] = []
    n = len(out)
    i = 0
    while i < n:
        tok = out[i]
        if i + 1 < n and out[i + 1].text == "." and out[i + 1].start == tok.end and _keeps_stop(text, tok, out, i, abbr):
            joined.append(Token(text[tok.start : tok.end + 1], tok.start, tok.end + 1))
            i += 2
            continue
        joined.append(tok)
        i += 1
    return joined


def _keeps_stop(text: str, tok: Token, out: list[Token], i: int, abbr: _Abbreviations) -> bool:
    """Whether the full stop after the word ``out[i]`` belongs to it."""
    word = tok.text
    if word not in abbr.always and word not in abbr.titles and word not in abbr.numbered:
        return False
    if tok.start and (text[tok.start - 1].isalnum() or text[tok.start - 1] in "._-"):
        return False  # the end of a longer word or name ("A-No.", "x.Dr.")
    after = tok.end + 1
    if after < len(text) and text[after].isalnum():
        return False  # "No.5" reads as its own word
    if word in abbr.always:
        return True
    if i + 2 >= len(out) or out[i + 2].start == after:
        return False  # at the end, or a mark right after the stop
    nxt = out[i + 2].text
    if word in abbr.titles and nxt[:1].isupper() and "\n" not in text[after : out[i + 2].start]:
        return True
    return word in abbr.numbered and any(c.isdigit() for c in nxt) and "\n" not in text[after : out[i + 2].start]


def _identifier(text: str, a: int, b: int) -> tuple[int, int] | None:
    """The span of a hyphenated identifier in the chunk ``text[a:b]`` (T007), None when there is none."""
    lo, hi = a, b
    while lo < hi and text[lo] in _LEADING:
        lo += 1
    while hi > lo and text[hi - 1] in _TRAILING:
        hi -= 1
    if hi - lo < 3:
        return None
    coded = lo > a and text[lo - 1] == "`" and hi < b and text[hi] == "`"
    if coded and _CODE_NAME.fullmatch(text, lo, hi):
        return lo, hi
    if _IDENT.fullmatch(text, lo, hi) and any(c.isdigit() for c in text[lo:hi]):
        return lo, hi
    if ("-" in text[lo:hi] and _HYPHEN_FILE.fullmatch(text, lo, hi)) or (":" in text[lo:hi] and _TAGGED.fullmatch(text, lo, hi)):
        return lo, hi
    return None


def _one_word(piece: str) -> bool:
    """Whether a chunk that matched a URL, address or path shape is one: "and/or" is three words."""
    if "/" not in piece or "://" in piece or "@" in piece or piece.startswith(("/", "~", ".")):
        return True
    if piece.count("/") == 1 and piece.endswith("/"):
        return True  # a folder ("lib/"); "w/" is too short to get here
    return piece.count("/") >= 2 or any(c in piece for c in "._0123456789")


def _split_clitics(word: str, s: int, out: list[Token]) -> None:
    low = word.lower()
    cut = 0
    if low.endswith(_NT) and len(low) > 3:
        cut = len(word) - 3  # "can't" -> "ca" + "n't", "won't" -> "wo" + "n't", as in EWT
    elif low.endswith(_CLITICS):
        cut = len(word) - (2 if low[-2] in "'’" else 3)
    elif low in _FUSED:
        cut = _FUSED[low]
    if 0 < cut < len(word):
        out.append(Token(word[:cut], s, s + cut))
        out.append(Token(word[cut:], s + cut, s + len(word)))
    else:
        out.append(Token(word, s, s + len(word)))


def _marker_length(text: str, tokens: list[Token], i: int) -> int:
    """How many tokens from ``i`` (the first of a line) form a list marker, 0 when none."""
    n = len(tokens)
    first = tokens[i]
    count = 0
    if (first.text in _BULLETS and _space_after(text, tokens, i)) or (
        first.text.startswith("##") and set(first.text) == {"#"} and _space_after(text, tokens, i)
    ):  # a bullet, or a Markdown heading ("#", "##", ...)
        count = 1
    elif (first.text.isdigit() and len(first.text) <= 3) or (len(first.text) == 1 and first.text.isalpha()):
        if (
            i + 1 < n
            and tokens[i + 1].text in _ENUM_CLOSE
            and tokens[i + 1].start == first.end
            and _space_after(text, tokens, i + 1)
        ):
            count = 2
    elif first.text == "(" and i + 2 < n and tokens[i + 2].text == ")" and (
        tokens[i + 1].text.isdigit() or (len(tokens[i + 1].text) == 1 and tokens[i + 1].text.isalpha())
    ):
        count = 3 if _space_after(text, tokens, i + 2) else 0
    elif first.text == "[" and i + 1 < n and tokens[i + 1].text == "]":
        count = 2 if _space_after(text, tokens, i + 1) else 0
    elif first.text == "[" and i + 2 < n and tokens[i + 2].text == "]" and tokens[i + 1].text in ("x", "X"):
        count = 3 if _space_after(text, tokens, i + 2) else 0
    if count and i + count < n and count < 3 and tokens[i + count].text == "[":
        # "- [ ] task" and "- [x] task": the checkbox belongs to the marker
        j = i + count
        if j + 1 < n and tokens[j + 1].text == "]":
            count += 2
        elif j + 2 < n and tokens[j + 2].text == "]" and tokens[j + 1].text in ("x", "X", " "):
            count += 3
    return count


def _space_after(text: str, tokens: list[Token], i: int) -> bool:
    e = tokens[i].end
    return e >= len(text) or text[e].isspace()


def _newline_between(text: str, a: int, b: int) -> int:
    """The number of line breaks between two offsets (0, 1 or 2 for "two or more")."""
    gap = text.count("\n", a, b)
    return 2 if gap >= 2 else gap


def _sentences(text: str, tokens: list[Token]) -> list[Chunk]:
    out: list[Chunk] = []
    current: list[Token] = []
    marker = ""
    n = len(tokens)
    i = 0
    line_start = True
    while i < n:
        tok = tokens[i]
        if current:
            prev = current[-1]
            breaks = _newline_between(text, prev.end, tok.start)
            if breaks:
                line_start = True
                if (
                    breaks == 2
                    or marker.startswith("#")  # a Markdown heading ends with its line
                    or _hard_break(prev.text, tok.text)
                    or _marker_length(text, tokens, i)
                ):
                    out.append(Chunk(tuple(current), marker))
                    current, marker = [], ""
        elif i and _newline_between(text, tokens[i - 1].end, tok.start):
            line_start = True
        if line_start and not current:
            size = _marker_length(text, tokens, i)
            if size:
                marker = text[tok.start : tokens[i + size - 1].end]
                i += size
                line_start = False
                continue
        line_start = False
        current.append(tok)
        i += 1
        if tok.text[-1:] in _LAST_OF_ENDS and _ends_sentence(tok.text, tokens, i):
            while i < n and tokens[i].text in _CLOSERS and tokens[i].start == current[-1].end:
                current.append(tokens[i])
                i += 1
            out.append(Chunk(tuple(current), marker))
            current, marker = [], ""
    if current:
        out.append(Chunk(tuple(current), marker))
    return out


def _ends_sentence(word: str, tokens: list[Token], nxt: int) -> bool:
    if nxt >= len(tokens):
        return False
    if word in _SENTENCE_END or (len(word) > 1 and word[0] in "!?" and set(word) <= {"!", "?"}):
        return True
    following = tokens[nxt].text
    if (word.startswith("..") and set(word) == {"."}) or word == "…":
        return following[:1].isupper()
    low = word.lower()
    # "..., logs etc. Then ..." ends a sentence; "Dr. Smith" does not.
    return low == "etc." and following[:1].isupper()


def _hard_break(before: str, after: str) -> bool:
    """Whether a single line break between two words separates sentences."""
    if before[-1:] in ".:;!?" or before in _CLOSERS:
        return True
    return not after[:1].islower()
