"""The verb lexicon and cue phrases (``rules/lexicon.toml``), loaded once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from planner import lazyre, tomlcache
from planner.errors import RuleFileError
from planner.resources import data_file

CUE_CATEGORIES = ("sequence", "parallel", "join", "iteration", "alternatives", "exploration")

# Irregular past forms the suffix rules below cannot undo (also used to spot a
# participle after its noun: "the text read aloud").
IRREGULAR_PAST = {
    "built": "build", "written": "write", "wrote": "write", "made": "make", "found": "find",
    "ran": "run", "drawn": "draw", "drew": "draw", "chosen": "choose", "chose": "choose",
    "taken": "take", "took": "take", "got": "get", "gotten": "get", "read": "read",
    "set": "set", "sent": "send", "kept": "keep", "brought": "bring", "began": "begin",
    "begun": "begin", "done": "do", "did": "do", "given": "give", "gave": "give",
    "put": "put", "cut": "cut", "split": "split", "understood": "understand",
    "thought": "think", "bought": "buy", "paid": "pay", "left": "leave", "shown": "show",
    "proofread": "proofread", "rewritten": "rewrite", "rewrote": "rewrite", "redone": "redo",
    "sped": "speed", "shot": "shoot", "spoken": "speak", "drove": "drive", "driven": "drive",
}


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, str]  # base form -> role ("" for light verbs such as "have")
    nouns_too: frozenset[str]
    openers: tuple[tuple[str, ...], ...]  # token sequences, longest first
    cue_matcher: PhraseMatcher
    inspect: frozenset[str] = frozenset()  # verbs that report on their input without changing it
    ambiguous: frozenset[str] = frozenset()  # verbs whose role the classifier decides
    refers_back: frozenset[str] = frozenset()  # words that point at something already in play
    deliver: frozenset[str] = frozenset()  # verbs that hand a result to the user
    kind_finders: frozenset[str] = frozenset()  # verbs that look for kinds of things in one input
    rework: frozenset[str] = frozenset()  # verbs that act on a review's findings ("revise", "address")
    forms: dict[str, frozenset[str]] = field(default_factory=dict)  # word lists of [forms]: media, text_results, ...
    findings: dict[str, str] = field(default_factory=dict)  # a finding -> the verb of the reading that gives it
    parts: dict[str, str] = field(default_factory=dict)  # a part of a media file -> the verb that takes it out
    other_thing: frozenset[str] = frozenset()  # nouns_too whose noun is not what the work makes ("book")

    def base_form(self, word: str) -> str | None:
        """The lexicon's base form of ``word`` if it is a known verb, else None."""
        w = word.lower()
        if w in self.verbs:
            return w
        if w in IRREGULAR_PAST and IRREGULAR_PAST[w] in self.verbs:
            return IRREGULAR_PAST[w]
        for stem in _candidate_stems(w):
            if stem in self.verbs:
                return stem
        # "redesign", "re-run": a repeated action keeps the role of the action.
        for prefix in ("re-", "re"):
            if w.startswith(prefix) and len(w) > len(prefix) + 3:
                inner = self.base_form(w[len(prefix) :])
                if inner is not None:
                    return inner
        return None

    def role_of(self, verb: str) -> str | None:
        """The lexicon's role for a base form; None for light or unknown verbs."""
        return self.verbs.get(verb) or None

    def cues(self, category: str, text: str) -> list[tuple[int, int, str]]:
        """Every cue of ``category`` in ``text`` as (start, end, phrase)."""
        return self.cue_matcher.find(text, (category,)).get(category, [])

    def all_cues(self, text: str) -> dict[str, list[tuple[int, int, str]]]:
        """Cues of every category in one pass over ``text``."""
        return self.cue_matcher.find(text)


def _candidate_stems(w: str) -> list[str]:
    out: list[str] = []
    if w.endswith("ies") and len(w) > 4:
        out.append(w[:-3] + "y")
    if w.endswith("es") and len(w) > 3:
        out.append(w[:-2])
    if w.endswith("s") and len(w) > 3:
        out.append(w[:-1])
    if w.endswith("ied") and len(w) > 4:
        out.append(w[:-3] + "y")
    if w.endswith("ed") and len(w) > 3:
        out += [w[:-2], w[:-1]]
        if len(w) > 4 and w[-3] == w[-4]:  # planned -> plan
            out.append(w[:-3])
    if w.endswith("ing") and len(w) > 4:
        out += [w[:-3], w[:-3] + "e"]
        if len(w) > 5 and w[-4] == w[-5]:  # running -> run
            out.append(w[:-4])
    return out


_WORD = lazyre.compile(r"\w+(?:['’-]\w+)*|[^\w\s]")


class PhraseMatcher:
    """Find word sequences of several categories in one pass over the words.

    Phrases are indexed by their first word, so the cost per word does not
    grow with the number of phrases (a regular-expression alternation of
    hundreds of phrases would be tried at every character).
    """

    def __init__(self, phrases: dict[str, list[str]]) -> None:
        index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for category, items in phrases.items():
            for phrase in sorted({p.lower() for p in items}, key=lambda p: (-len(p), p)):
                words = tuple(_WORD.findall(phrase))
                if words:
                    index.setdefault(words[0], []).append((category, words))
        for entries in index.values():
            entries.sort(key=lambda e: -len(e[1]))  # longest first within each category
        self._index = index

    def find(self, text: str, categories: tuple[str, ...] | None = None) -> dict[str, list[tuple[int, int, str]]]:
        """Per category, non-overlapping matches as (start, end, phrase) in text order."""
        out: dict[str, list[tuple[int, int, str]]] = {}
        free: dict[str, int] = {}
        spans: list[tuple[int, int]] = []
        words: list[str] = []
        for m in _WORD.finditer(text):
            spans.append(m.span())
            words.append(m.group(0).lower())
        n = len(words)
        for i, word in enumerate(words):
            entries = self._index.get(word)
            if not entries:
                continue
            for category, phrase in entries:
                if (categories is not None and category not in categories) or free.get(category, 0) > i:
                    continue
                k = len(phrase)
                if i + k <= n and all(words[i + j] == phrase[j] for j in range(1, k)):
                    joined = " ".join(phrase).replace(" .", ".")
                    out.setdefault(category, []).append((spans[i][0], spans[i + k - 1][1], joined))
                    free[category] = i + k
        return out


@cache
def load_lexicon() -> Lexicon:
    """Read ``rules/lexicon.toml`` (cached)."""
    data = tomlcache.read_builtin("lexicon.toml", "the lexicon")
    verbs: dict[str, str] = {}
    for role, words in data.get("verbs", {}).items():
        for word in words:
            # The first role listed for a word wins; duplicates are a data slip,
            # not worth failing a parse over.
            verbs.setdefault(str(word).lower(), "" if role == "light" else str(role))
    openers = tuple(
        sorted(
            (tuple(p.lower().split()) for p in data.get("openers", {}).get("phrases", [])),
            key=lambda t: -len(t),
        )
    )
    cues = data.get("cues", {})
    missing = [c for c in CUE_CATEGORIES if c not in cues]
    if missing:
        raise RuleFileError(f"missing cue categories: {', '.join(missing)}", path=str(data_file("rules", "lexicon.toml")))
    return Lexicon(
        verbs=verbs,
        nouns_too=frozenset(w.lower() for w in data.get("nouns_too", {}).get("words", [])),
        openers=openers,
        cue_matcher=PhraseMatcher({c: list(cues[c]) for c in CUE_CATEGORIES}),
        inspect=frozenset(w.lower() for w in data.get("flow", {}).get("inspect", [])),
        ambiguous=frozenset(w.lower() for w in data.get("ambiguous", {}).get("words", [])),
        refers_back=frozenset(w.lower() for w in data.get("flow", {}).get("refers_back", [])),
        deliver=frozenset(w.lower() for w in data.get("flow", {}).get("deliver", [])),
        kind_finders=frozenset(w.lower() for w in data.get("flow", {}).get("kind_finders", [])),
        rework=frozenset(w.lower() for w in data.get("flow", {}).get("rework", [])),
        forms={str(k): frozenset(str(w).lower() for w in v) for k, v in data.get("forms", {}).items()},
        findings=_word_to_verb(data, "findings"),
        parts=_word_to_verb(data, "parts"),
        other_thing=frozenset(w.lower() for w in data.get("nouns_too", {}).get("other_thing", [])),
    )


def _word_to_verb(data: dict[str, object], table: str) -> dict[str, str]:
    """A table of noun = "verb" pairs, checked: a slip in the data is a rule-file error."""
    raw = data.get(table, {})
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise RuleFileError(f"[{table}] must map words to verbs", path=str(data_file("rules", "lexicon.toml")))
    return {str(k).lower(): v.lower() for k, v in raw.items()}
