"""How results flow between steps: what a step produces and what a later one names.

A step's *products* are the words a later step may use for its result (the
participle "preprocessed", a noun like "transcription", its object "the
release notes"); *mentions* are the words a clause puts after a determiner.
Matching the two finds data hand-offs such as "train the model on the
preprocessed data". Step ids are built here too, from the same words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from planner.parser.lexicon import Lexicon
from planner.parser.segment import DETERMINERS, Token

SLUG_SKIP = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "my", "our", "your", "its", "their", "his", "her", "it", "them", "to", "of", "for", "on", "in", "with", "from", "and", "or", "all", "each", "every", "some", "any", "by", "at", "into", "onto", "up", "out", "me", "us", "one", "until"]
)


def singular(noun: str) -> str:
    low = noun
    if low.endswith("ies"):
        return low[:-3] + "y"
    if low.endswith(("ses", "xes", "ches", "shes")):
        return low[:-2]
    return low[:-1] if low.endswith("s") else low


_PARTICIPLE_IRREGULAR = {
    "build": "built", "write": "written", "draw": "drawn", "choose": "chosen", "make": "made",
    "find": "found", "run": "run", "send": "sent", "get": "got", "rewrite": "rewritten",
    "keep": "kept", "read": "read", "set": "set", "put": "put", "cut": "cut", "split": "split",
}


def participle(verb: str) -> str:
    if verb in _PARTICIPLE_IRREGULAR:
        return _PARTICIPLE_IRREGULAR[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def products(lex: Lexicon, verb: str | None, body: tuple[Token, ...]) -> frozenset[str]:
    """Words and phrases a later step may use to refer to this step's output."""
    out: set[str] = set()
    if verb:
        out.add(participle(verb))
        out.update(nominals(verb))  # "estimate the depth" -> "the depth estimation"
        if verb in lex.nouns_too and verb not in lex.other_thing:
            out.add(verb)  # "outline the article" -> "from the outline"; "book a car" makes no book
        if verb in lex.inspect:
            return frozenset(out | _aspect(body))
        if verb in _COMBINING:
            out.update(_joined_kind(body))
    # The object: the words before a preposition or the end, minus determiners.
    obj: list[str] = []
    for t in body:
        if not t.is_word or t.low in {"of", "for", "in", "on", "at", "with", "from", "to", "into", "by", "about"}:
            break
        if t.low not in SLUG_SKIP:
            obj.append(t.low)
    target = _target(body)
    if target:
        # "convert the text into speech" makes speech; "the text" stays the input.
        return frozenset(out | target)
    if obj and len(obj[-1]) > 2:
        out.add(" ".join(obj[-2:]))
        if len(obj) == 1:
            out.add(obj[0])
    for w in obj[:-1]:
        # "get the summarised version" makes a summary: a participle in the
        # object names the work done, and so what a later step may call it.
        base = lex.base_form(w)
        if base is not None and base != w and w.endswith(("ed", "en")):
            out.add(w)
            out.update(nominals(base))
    return frozenset(out)


_SUBJECTS = frozenset({"i", "we", "you", "they", "he", "she"})


def _aspect(body: tuple[Token, ...]) -> set[str]:
    """What an inspection reports when it looks at a part of its input.

    "estimate the depth of the objects" reports the depth, "detect the faces
    in the photo" the faces, "identify the speaker from the call" the
    speaker: the noun before "of"/"in"/"from" is the finding, the rest is the
    input. "classify the photo" names only its input.
    """
    head: list[str] = []
    for t in body:
        if not t.is_word:
            return set()
        if t.low in {"of", "in", "within", "on", "from"} or t.low in _SUBJECTS:
            # "a monument I saw in a photo": a subject pronoun starts a relative clause.
            return {head[-1]} if head and len(head[-1]) > 2 else set()
        if t.low in _OBJECT_STOPS:
            return set()
        if t.low not in SLUG_SKIP:
            head.append(t.low)
    return set()


# Verbs that put things together into one of their kind ("combine it with the
# logo image" makes an image).
_COMBINING = frozenset({"combine", "merge", "stitch", "blend", "overlay", "join", "mix", "attach", "append"})


def _joined_kind(body: tuple[Token, ...]) -> set[str]:
    """The head noun of what is joined in ("it with the given image" -> image)."""
    words = [t.low for t in body if t.is_word]
    for i, w in enumerate(words):
        if w in {"with", "and", "to", "into", "onto"}:
            head = ""
            for x in words[i + 1 : i + 5]:
                if x in _OBJECT_STOPS:
                    break
                if x not in SLUG_SKIP:
                    head = x
            return {head} if len(head) > 2 else set()
    return set()


def worked_on(body: tuple[Token, ...]) -> frozenset[str]:
    """The nouns of a verb's object phrase, "of" phrases included.

    "enhance the audio quality" -> audio, quality; "change the colour of the
    sky" -> colour, sky. Stops at the first other preposition or clause word.
    A conversion ("translate the text into German") makes a new thing and
    leaves its object as it was, so it works on nothing in place.
    """
    if _target(body):
        return frozenset()
    out: set[str] = set()
    for t in body:
        if not t.is_word:
            if t.text in {",", ";", ":", "(", "."}:
                break
            continue
        if t.low in _OBJECT_STOPS:
            break
        if t.low not in SLUG_SKIP and len(t.low) > 2:
            out.add(t.low)
    return frozenset(out)


def worked_on_all(words: Sequence[Token]) -> frozenset[str]:
    """The content nouns of a phrase, prepositions skipped: "the speed of this clip" -> speed, clip."""
    return frozenset(
        t.low for t in words if t.is_word and t.low not in SLUG_SKIP and t.low not in _OBJECT_STOPS and len(t.low) > 2
    )


_OBJECT_STOPS = frozenset(
    {"for", "in", "on", "at", "with", "from", "to", "into", "by", "about", "using", "and", "or",
     "that", "which", "so", "as", "based", "according", "then", "if", "while", "after", "before"}
)


def _target(body: tuple[Token, ...]) -> set[str]:
    """What a conversion makes: "convert the audio into a waveform image" -> waveform image, image.

    Only "into X" and "to a/an X": "to the team" names a receiver, not a product.
    """
    words = [t.low for t in body if t.is_word]
    for i, w in enumerate(words):
        if w == "into" or (w == "to" and words[i + 1 : i + 2] in (["a"], ["an"])):
            np: list[str] = []
            for x in words[i + 1 : i + 5]:
                if x in {"of", "for", "in", "on", "at", "with", "from", "to", "by", "and", "using", "that", "which"}:
                    break
                if x not in SLUG_SKIP:
                    np.append(x)
            if np and len(np[-1]) > 2:
                return {" ".join(np[-2:]), np[-1]}
            return set()
    return set()


def nominals(verb: str) -> set[str]:
    """Likely nouns for a verb's result: classify -> classification, detect -> detection."""
    out = {verb + "ion", verb + "ation", verb + "ment", verb + "s"}
    if verb.endswith("e"):
        out |= {verb[:-1] + "ion", verb[:-1] + "ation", verb + "ment"}
    if verb.endswith("y"):
        out |= {verb[:-1] + "ication", verb[:-1] + "ies"}
    if verb.endswith(("ize", "ise")):
        out |= {verb[:-3] + "y", verb[:-3] + "ies", verb[:-1] + "ation"}
    if verb.endswith("be"):
        out |= {verb[:-2] + "ption", verb[:-2] + "pt"}  # transcribe -> transcription, transcript
    if verb.endswith("yze") or verb.endswith("yse"):
        out.add(verb[:-3] + "ysis")
    return out


def mention_words(text: str, *, results_only: bool = False) -> set[str]:
    """What follows a determiner: "the preprocessed data" -> preprocessed, preprocessed data, data.

    ``results_only`` keeps only what could be a step's result: it leaves out
    the user's own things ("my car", "our invoices") and names ("the Visa
    Application Tool").
    """
    out: set[str] = set()
    raw = re.findall(r"\w+", text)
    words = [w.lower() for w in raw]
    for i, w in enumerate(words):
        if results_only and w in _OWNERS:
            continue
        if w in DETERMINERS or w in {"both", "from", "using"}:
            nxt = words[i + 1 : i + 3]
            if results_only and raw[i + 1 : i + 2] and _is_name(raw[i + 1]):
                continue  # "the Visa Application Tool": a name, not a step's result
            if nxt:
                out.add(nxt[0])
            if len(nxt) == 2:
                out.add(" ".join(nxt))
                out.add(nxt[1])
    return out


def mention_phrases(words: Sequence[str]) -> list[tuple[str, ...]]:
    """The noun phrase (one or two words) after each definite determiner.

    "check the translated text for the team" -> (translated, text), (team,);
    "the outline and draft" -> (outline,), (draft,). Indefinite phrases ("a
    new image", "any links") bring in something new, so they name no earlier
    result. ``words`` are lower-case words in text order.
    """
    out: list[tuple[str, ...]] = []
    for i, w in enumerate(words):
        if w not in _DEFINITE or i + 1 >= len(words) or words[i + 1] in _PHRASE_END | DETERMINERS:
            continue
        end = i + 2 if i + 2 < len(words) and words[i + 2] not in _PHRASE_END | DETERMINERS else i + 1
        out.append(tuple(words[i + 1 : end + 1]))
        if words[end + 1 : end + 2] == ["and"] and end + 2 < len(words):
            nxt = words[end + 2]
            if nxt not in _PHRASE_END and nxt not in DETERMINERS:
                out.append((nxt,))  # "the found image and collage": a second result named
    return out


# "my video", "our notes" are the user's own input, not a step's result.
_DEFINITE = DETERMINERS - {"a", "an", "each", "every", "any", "some", "all", "my", "our", "your"}
# Words that end a noun phrase: prepositions, linking verbs, "based on".
_PHRASE_END = frozenset(
    {"of", "for", "in", "on", "at", "with", "from", "to", "into", "by", "about", "and", "or", "using", "based",
     "is", "are", "was", "were", "that", "which", "who", "as", "than", "so"}
)
_OWNERS = frozenset({"my", "our"})


def _is_name(word: str) -> bool:
    """A capitalised word ("Visa", "Hilton") rather than a lower-case noun or an acronym ("API")."""
    return len(word) > 1 and word[0].isupper() and word[1:].islower()


def slug(words: Sequence[str | None], n_words: int, max_chars: int, *, has_verb: bool) -> str:
    """A short id from the verb and the first content words after it."""
    clean = [
        re.sub(r"[^a-z0-9]+", "", unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode().lower())
        for w in words
        if w
    ]
    clean = [w for w in clean if w]
    head = clean[:1] if has_verb else []
    rest = clean[1:] if has_verb else clean
    content = [w for w in rest if w not in SLUG_SKIP] or rest  # "US" alone is still a name
    picked = head + content[: n_words if has_verb else n_words + 1]
    return "-".join(picked)[:max_chars].strip("-")
