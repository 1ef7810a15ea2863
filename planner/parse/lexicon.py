"""The verb lexicon and cue phrases (``rules/lexicon.toml``), loaded once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner.errors import RuleFileError
from planner.resources import data_file

CUE_CATEGORIES = ("sequence", "parallel", "join", "iteration", "alternatives", "exploration")

# Irregular past forms the suffix rules below cannot undo.
_IRREGULAR = {
    "built": "build", "written": "write", "wrote": "write", "made": "make", "found": "find",
    "ran": "run", "drawn": "draw", "drew": "draw", "chosen": "choose", "chose": "choose",
    "taken": "take", "took": "take", "got": "get", "gotten": "get", "read": "read",
    "set": "set", "sent": "send", "kept": "keep", "brought": "bring", "began": "begin",
    "begun": "begin", "done": "do", "did": "do", "given": "give", "gave": "give",
    "put": "put", "cut": "cut", "split": "split", "understood": "understand",
    "thought": "think", "bought": "buy", "paid": "pay", "left": "leave", "shown": "show",
    "proofread": "proofread", "rewritten": "rewrite", "rewrote": "rewrite", "redone": "redo",
}


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, str]  # base form -> role ("" for light verbs such as "have")
    nouns_too: frozenset[str]
    openers: tuple[tuple[str, ...], ...]  # token sequences, longest first
    cue_patterns: dict[str, re.Pattern[str]]
    inspect: frozenset[str] = frozenset()  # verbs that report on their input without changing it
    ambiguous: frozenset[str] = frozenset()  # verbs whose role the classifier decides

    def base_form(self, word: str) -> str | None:
        """The lexicon's base form of ``word`` if it is a known verb, else None."""
        w = word.lower()
        if w in self.verbs:
            return w
        if w in _IRREGULAR and _IRREGULAR[w] in self.verbs:
            return _IRREGULAR[w]
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
        pattern = self.cue_patterns[category]
        return [(m.start(), m.end(), m.group(0).lower()) for m in pattern.finditer(text)]


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


def _phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    # One alternation, longest first, anchored on word boundaries: matching is
    # a single linear scan of the text whatever the number of phrases.
    ordered = sorted({p.lower() for p in phrases}, key=lambda p: (-len(p), p))
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


@cache
def load_lexicon() -> Lexicon:
    """Read ``rules/lexicon.toml`` (cached)."""
    path = data_file("rules", "lexicon.toml")
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleFileError(f"cannot read the lexicon: {exc}", path=str(path)) from exc
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
        raise RuleFileError(f"missing cue categories: {', '.join(missing)}", path=str(path))
    return Lexicon(
        verbs=verbs,
        nouns_too=frozenset(w.lower() for w in data.get("nouns_too", {}).get("words", [])),
        openers=openers,
        cue_patterns={c: _phrase_pattern(list(cues[c])) for c in CUE_CATEGORIES},
        inspect=frozenset(w.lower() for w in data.get("flow", {}).get("inspect", [])),
        ambiguous=frozenset(w.lower() for w in data.get("ambiguous", {}).get("words", [])),
    )
