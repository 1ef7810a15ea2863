"""The parser's limits (``rules/parse.toml``), each with its reason in the rule file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from planner import tomlcache
from planner.errors import RuleFileError


@dataclass(frozen=True)
class ParseSettings:
    max_steps: int
    max_chars: int
    max_group: int
    id_words: int
    id_chars: int
    fallback_role: str


@cache
def load_settings() -> ParseSettings:
    data: dict[str, Any] = tomlcache.read_builtin("parse.toml", "parser settings").get("parse", {})
    try:
        return ParseSettings(
            max_steps=int(data.get("max_steps", 40)),
            max_chars=int(data.get("max_chars", 20_000)),
            max_group=int(data.get("max_group", 20)),
            id_words=int(data.get("id_words", 2)),
            id_chars=int(data.get("id_chars", 32)),
            fallback_role=str(data.get("fallback_role", "implement")),
        )
    except ValueError as exc:  # a setting that is not a number
        raise RuleFileError(f"cannot read parser settings: {exc}", path="rules/parse.toml") from exc
