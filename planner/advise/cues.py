"""Cue lexicon: phrases in the task text that say what kind of coordination it needs.

Loaded from ``rules/advisor_cues.toml`` (and user rule files with ``[cues.NAME]``
tables, which extend or add categories). Each category compiles to one regular
expression so a 1 MB text is scanned once per category, in linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.advise.rulefile import RuleText, expect_keys

CUE_NAME_RE = re.compile(r"[a-z][a-z0-9_]*\Z")


@dataclass(frozen=True)
class CueCategory:
    name: str
    reason: str
    phrases: tuple[str, ...]
    regexes: tuple[str, ...]
    pattern: re.Pattern[str]

    def find(self, text: str, limit: int = 50) -> tuple[str, ...]:
        """Distinct matched phrases (lower-cased), in order of first appearance."""
        seen: dict[str, None] = {}
        for m in self.pattern.finditer(text):
            seen.setdefault(m.group(0).lower().strip(), None)
            if len(seen) >= limit:
                break
        return tuple(seen)


def _phrase_regex(phrase: str) -> str:
    # Word boundaries only where the phrase starts/ends with a word character,
    # so "vs." and "a table" both behave.
    body = r"\s+".join(re.escape(part) for part in phrase.split())
    start = r"\b" if phrase[:1].isalnum() else ""
    end = r"\b" if phrase[-1:].isalnum() else ""
    return f"{start}{body}{end}"


def compile_category(name: str, reason: str, phrases: tuple[str, ...], regexes: tuple[str, ...]) -> CueCategory:
    parts = [_phrase_regex(p) for p in sorted(set(phrases), key=lambda p: (-len(p), p)) if p.strip()]
    parts.extend(f"(?:{r})" for r in regexes)
    pattern = re.compile("|".join(parts) if parts else r"(?!x)x", re.IGNORECASE)
    return CueCategory(name, reason, phrases, regexes, pattern)


def load_cues(rts: list[RuleText]) -> dict[str, CueCategory]:
    """Merge ``[cues.NAME]`` tables from rule files, later files extending earlier ones."""
    merged: dict[str, tuple[str, list[str], list[str]]] = {}
    for rt in rts:
        cues = rt.data.get("cues")
        if cues is None:
            continue
        if not isinstance(cues, dict):
            raise rt.error("'cues' must be a table of categories", None, key="cues")
        for name, table in cues.items():
            header = f"cues.{name}"
            if not CUE_NAME_RE.match(name):
                raise rt.error(f"cue category '{name}': use lower-case letters, digits and '_'", header)
            expect_keys(rt, table, header=header, optional=("reason", "phrases", "regex"), what=f"cue category '{name}'")
            phrases = table.get("phrases", [])
            regexes = table.get("regex", [])
            for key, values in (("phrases", phrases), ("regex", regexes)):
                if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                    raise rt.error(f"cue category '{name}': key '{key}' must be a list of non-empty strings", header, key=key)
            for rx in regexes:
                try:
                    re.compile(rx)
                except re.error as exc:
                    raise rt.error(f"cue category '{name}': bad regex {rx!r}: {exc}", header, key="regex") from None
            reason = table.get("reason", "")
            if not isinstance(reason, str):
                raise rt.error(f"cue category '{name}': key 'reason' must be a string", header, key="reason")
            if name in merged:
                old_reason, old_phrases, old_regexes = merged[name]
                merged[name] = (reason or old_reason, old_phrases + phrases, old_regexes + regexes)
            else:
                merged[name] = (reason, list(phrases), list(regexes))
    return {
        name: compile_category(name, reason, tuple(phrases), tuple(regexes))
        for name, (reason, phrases, regexes) in merged.items()
    }
