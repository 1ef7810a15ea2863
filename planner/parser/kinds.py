"""Kinds of things steps read and make: text, images, audio, video, data.

A step that reads a video cannot be using the text the step before it wrote:
it reads an earlier step that made a video, or the video the user brought in.
The builder uses the kinds here to find such readings (see
``_Builder._other_kind_source``). The nouns, file extensions and verbs are data
in ``rules/kinds.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from planner import lazyre, tomlcache
from planner.parser.segment import Token

_FILE_NAME = lazyre.compile(r"[\w-]+\.([A-Za-z][A-Za-z0-9]{1,4})")
# Words that end a noun phrase; the word that ended it is kept as the phrase's lead.
_BREAK = frozenset(
    {"of", "for", "in", "on", "at", "with", "from", "to", "into", "by", "about", "and", "or", "using",
     "based", "that", "which", "so", "as", "then", "if", "while", "after", "before", "within",
     "according", "like", "such"}
)
# Prepositions whose phrase names the thing a step works in or takes from:
# "the text from the image", "the objects in the photo", "based on the audio".
_CONTAINER = frozenset({"from", "in", "of", "within", "on"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "my", "our", "your", "its", "their"})
# Words that are no noun of a phrase ("the", "a", pronouns).
_SKIP = frozenset({"the", "a", "an", "this", "that", "these", "those", "my", "our", "your", "its", "their",
                   "his", "her", "some", "any", "each", "every", "all", "both"})
_PUNCT = frozenset({",", ";", ":", "(", ")", "."})


def words_of(tokens: Sequence[Token]) -> list[str]:
    """Lower-case words with quotes stripped; punctuation that ends a phrase becomes ","."""
    out: list[str] = []
    for t in tokens:
        if t.is_word:
            out.append(t.low.strip("'\"‘’“”"))
        elif t.text in _PUNCT:
            out.append(",")
    return out


def phrases(words: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Noun phrases with the word before each ("" at the start or after a comma).

    "the text from the image" -> ("", [the, text]), ("from", [the, image]).
    """
    out: list[tuple[str, list[str]]] = []
    lead, cur = "", list[str]()
    for w in [*words, ","]:
        if w in _BREAK or w == ",":
            if cur:
                out.append((lead, cur))
            lead, cur = ("" if w == "," else w), []
        else:
            cur.append(w)
    return out


@dataclass(frozen=True)
class Kinds:
    nouns: dict[str, str]  # noun -> kind
    extensions: dict[str, str]  # file extension -> kind
    makes_text: frozenset[str]
    makes: frozenset[str]
    takes_out: frozenset[str]
    uses_only: frozenset[str]
    held_in: dict[str, str]  # a written thing -> the kind it is picked out of ("url" -> text)
    readers: dict[str, str]  # kind -> the verb that turns a thing of that kind into words
    describes: dict[str, str] = field(default_factory=dict)  # "alt text" -> "image", the kind it puts into words

    def of_word(self, word: str) -> str | None:
        """The kind a word names: a listed noun, or a file name by its extension."""
        if word in self.nouns:
            return self.nouns[word]
        m = _FILE_NAME.fullmatch(word)
        return self.extensions.get(m.group(1).lower()) if m is not None else None

    def of_phrase(self, words: Sequence[str]) -> str | None:
        """The kind of a noun phrase: its owner's ("the video's sound"), else its head noun's.

        "the video URL" is a URL (no kind); "the audio file" takes the kind of
        the word before "file" or "version" ("an audio version" is audio); a
        participle after the noun ("the audio extracted") is not its head.
        """
        for w in words:
            if w.endswith("'s") and self.of_word(w[:-2]):
                return self.of_word(w[:-2])
        content = [w for w in words if w not in _SKIP]
        while len(content) > 1 and content[-1].endswith("ed"):
            content.pop()
        if not content:
            return None
        if content[-1] in {"file", "files", "version", "versions"}:
            return next((k for k in map(self.of_word, reversed(content[:-1])) if k), None)
        return self.of_word(content[-1])

    def made(self, verb: str | None, tokens: Sequence[Token], *, inspects: bool, before: str | None) -> str | None:
        """The kind of thing a step makes from its verb and the words after it.

        A conversion's target ("into an audio file"), text for verbs that
        write or report, else its object ("generate an image"), or the thing it
        changes ("reduce the noise in the audio"); "it" keeps ``before``, the
        kind of the step before. A making verb's other phrases name what its
        product is about, not its kind ("a representation of the audio").
        """
        if verb is None or verb in self.uses_only:
            return None
        parts = phrases(words_of(tokens))
        for lead, words in parts:
            if (lead == "into" or (lead == "to" and words[0] in {"a", "an"})) and self.of_phrase(words):
                return self.of_phrase(words)  # "into Spanish" names no kind: read on
        if verb in self.makes_text or inspects:
            return "text"
        if parts and parts[0][0] == "":
            words = parts[0][1]
            if words[0] in {"it", "them"}:
                return before
            if self.of_phrase(words):
                return self.of_phrase(words)
        if verb in self.makes:
            return None  # "create a visual representation of the audio": the "of" phrase is its subject
        return next((self.of_phrase(w) for lead, w in parts if lead in _CONTAINER | {"to"} and self.of_phrase(w)), None)

    def source(self, verb: str | None, tokens: Sequence[Token], *, inspects: bool, ordered: bool = False) -> str | None:
        """The kind of thing a step reads, when its words say so.

        A container phrase ("from the video", "in the photo", "based on the
        text") first; else a definite object ("stabilise the video"), unless
        the verb inspects or takes a part out (its object is what it finds)
        or makes things (its object is what it makes), or the step is
        ``ordered`` by a cue like "then": "write a summary, then update the
        table" may update it as the summary says. A written thing taken out
        ("extract the links") is read from text.
        """
        parts = phrases(words_of(tokens))
        for lead, words in parts:
            if lead in _CONTAINER and self.of_phrase(words):
                return self.of_phrase(words)
        if (inspects or verb in self.takes_out) and parts and parts[0][0] == "":
            # "extract any URLs mentioned": a written thing is taken out of text.
            content = [w for w in parts[0][1] if w not in _SKIP]
            while len(content) > 1 and content[-1].endswith("ed"):
                content.pop()  # "any URLs mentioned"
            if content and content[-1] in self.held_in:
                return self.held_in[content[-1]]
        if not ordered and parts and parts[0][0] == "":
            # "provide alternative text": alt text puts a picture into words, so it is read from one.
            said = parts[0][1]
            for name, kind in self.describes.items():
                n = name.split()
                if any(said[i : i + len(n)] == n for i in range(len(said) - len(n) + 1)):
                    return kind
        if ordered or inspects or verb in self.takes_out or verb in self.makes or not parts or parts[0][0] != "":
            return None
        words = parts[0][1]
        if words[0] in _DEFINITE or _FILE_NAME.fullmatch(words[-1]):
            return self.of_phrase(words)
        return None


@cache
def load_kinds() -> Kinds:
    """Read ``rules/kinds.toml`` (cached)."""
    data = tomlcache.read_builtin("kinds.toml", "the kinds of things")
    verbs = data.get("verbs", {})
    return Kinds(
        nouns={str(w).lower(): kind for kind, ws in data.get("nouns", {}).items() for w in ws},
        extensions={str(e).lower(): kind for kind, es in data.get("extensions", {}).items() for e in es},
        makes_text=frozenset(str(v).lower() for v in verbs.get("makes_text", [])),
        makes=frozenset(str(v).lower() for v in verbs.get("makes", [])),
        takes_out=frozenset(str(v).lower() for v in verbs.get("takes_out", [])),
        uses_only=frozenset(str(v).lower() for v in verbs.get("uses_only", [])),
        held_in={str(w).lower(): kind for kind, ws in data.get("held_in", {}).items() for w in ws},
        readers={str(k): str(v).lower() for k, v in data.get("readers", {}).items()},
        describes={str(w).lower(): kind for kind, ws in data.get("describes", {}).items() for w in ws},
    )
