"""The rule registry: codes, names, severities (``rules/lint.toml``) and docs (``rules/lint-docs.toml``).

Values are NamedTuples: cheap to define, which matters because every
``planner lint`` process pays for its imports before it checks anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, NamedTuple

from planner import tomlcache
from planner.errors import RuleFileError
from planner.linter.finding import SEVERITIES, Applicability, Severity
from planner.resources import data_file


class RuleDoc(NamedTuple):
    bad: str
    why: str
    better: str
    bad_example: str = ""
    better_example: str = ""


class Rule(NamedTuple):
    code: str
    name: str
    severity: Severity
    summary: str
    fix: Applicability | None = None

    @property
    def structural(self) -> bool:
        return self.code.startswith("PL0")

    @property
    def docs(self) -> RuleDoc:
        return docs()[self.code]

    def doc(self) -> str:
        """The rule's documentation as plain text (what `planner rule CODE` prints)."""
        d = self.docs
        fix = {"safe": "yes (safe)", "unsafe": "yes (unsafe: needs --unsafe-fixes)"}.get(
            self.fix or "", "no"
        )
        parts = [
            f"{self.code} {self.name}",
            "",
            self.summary,
            "",
            f"Default severity: {self.severity}. Fixable: {fix}.",
            "",
            "What it flags",
            _indent(d.bad),
            "",
            "Why it hurts",
            _indent(d.why),
            "",
            "Better",
            _indent(d.better),
        ]
        if d.bad_example.strip():
            parts += ["", "Example (flagged):", _block(d.bad_example)]
        if d.better_example.strip():
            parts += ["", "Example (better):", _block(d.better_example)]
        return "\n".join(parts) + "\n"

    @property
    def help_uri(self) -> str:
        return help_uri_template().format(code=self.code, name=self.name)

    def to_dict(self) -> dict[str, Any]:
        return {**self._asdict(), **self.docs._asdict()}


class Thresholds(NamedTuple):
    default_max_rounds: int
    tiny_prompt_words: int
    min_tiny_steps: int
    tiny_share: float
    min_responsibilities: int
    min_separate_jobs: int
    min_sequential_chain: int
    min_copies_fan_out: int


def _indent(text: str) -> str:
    import textwrap

    return "\n".join(
        textwrap.fill(line, 78, initial_indent="  ", subsequent_indent="  ")
        for line in text.strip("\n").splitlines()
    )


def _block(text: str) -> str:
    return "\n".join("    " + line for line in text.strip("\n").splitlines())


@cache
def _data() -> dict[str, Any]:
    return tomlcache.read_builtin("lint.toml", "lint rules")


@cache
def registry() -> Mapping[str, Rule]:
    """All rules by code, in code order."""
    path = str(data_file("rules", "lint.toml"))
    rules: dict[str, Rule] = {}
    for code, spec in sorted(_data().get("rules", {}).items()):
        try:
            rule = Rule(code=code, **spec)
        except TypeError as exc:
            raise RuleFileError(f"rule {code}: {exc}", path=path) from None
        if rule.severity not in SEVERITIES or rule.fix not in (None, "safe", "unsafe"):
            raise RuleFileError(f"rule {code}: bad severity or fix", path=path)
        rules[code] = rule
    return rules


@cache
def docs() -> Mapping[str, RuleDoc]:
    """Every rule's documentation; read only by `planner rule` and SARIF output."""
    path = str(data_file("rules", "lint-docs.toml"))
    raw = tomlcache.read_builtin("lint-docs.toml", "lint rules")
    out: dict[str, RuleDoc] = {}
    for code in registry():
        if code not in raw:
            raise RuleFileError(f"rule {code} has no documentation", path=path)
        try:
            out[code] = RuleDoc(**raw[code])
        except TypeError as exc:
            raise RuleFileError(f"rule {code}: {exc}", path=path) from None
    return out


@cache
def help_uri_template() -> str:
    """The web address of a rule's documentation, with ``{code}`` and ``{name}`` to fill in."""
    raw = tomlcache.read_builtin("lint-docs.toml", "lint rules")
    template = raw.get("help_uri")
    if not isinstance(template, str) or "{code}" not in template:
        raise RuleFileError("help_uri must be a string with {code} in it", path=str(data_file("rules", "lint-docs.toml")))
    return template


@cache
def by_name() -> Mapping[str, Rule]:
    return {r.name: r for r in registry().values()}


def lookup(code_or_name: str) -> Rule | None:
    """Find a rule by code (``PL006``, any case) or by name (``duplicate-step-id``)."""
    return registry().get(code_or_name.upper()) or by_name().get(code_or_name.lower())


@cache
def thresholds() -> Thresholds:
    raw = _data().get("thresholds", {})
    try:
        return Thresholds(**raw)
    except TypeError as exc:
        raise RuleFileError(
            f"lint thresholds: {exc}", path=str(data_file("rules", "lint.toml"))
        ) from None


class Words(NamedTuple):
    """The word lists of ``[words]`` in ``rules/lint.toml`` (each documented there)."""

    clause_fillers: frozenset[str]
    directing_roles: frozenset[str]
    context_labels: frozenset[str]
    output_labels: frozenset[str]
    uses_previous: tuple[str, ...]
    processing_verbs: frozenset[str]
    back_references: tuple[str, ...]
    object_references: frozenset[str]
    stakes: tuple[str, ...]
    copy_nouns: frozenset[str]
    generic: frozenset[str]


@cache
def words() -> Words:
    raw = _data().get("words", {})
    path = str(data_file("rules", "lint.toml"))
    lists: dict[str, list[str]] = {}
    for name in Words._fields:
        value = raw.get(name)
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise RuleFileError(f"[words] {name} must be a list of words", path=path)
        lists[name] = [w.lower() for w in value]
    return Words(
        clause_fillers=frozenset(lists["clause_fillers"]),
        directing_roles=frozenset(lists["directing_roles"]),
        context_labels=frozenset(lists["context_labels"]),
        output_labels=frozenset(lists["output_labels"]),
        uses_previous=tuple(lists["uses_previous"]),
        processing_verbs=frozenset(lists["processing_verbs"]),
        back_references=tuple(lists["back_references"]),
        object_references=frozenset(lists["object_references"]),
        stakes=tuple(lists["stakes"]),
        copy_nouns=frozenset(lists["copy_nouns"]),
        generic=frozenset(lists["generic"]),
    )


@cache
def stages() -> tuple[Mapping[str, int], Mapping[str, int]]:
    """Lifecycle stage numbers (by role kind, and by role where it differs) for PL113."""
    raw = dict(_data().get("stages", {}))
    by_role = raw.pop("roles", {})
    for table in (raw, by_role):
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in table.values()):
            raise RuleFileError("[stages] values must be integers", path=str(data_file("rules", "lint.toml")))
    return raw, by_role


@cache
def verbs() -> Mapping[str, str]:
    """Verb -> role kind, for spotting several responsibilities in one step."""
    out: dict[str, str] = {}
    for kind, words in _data().get("verbs", {}).items():
        for word in words:
            out[word] = kind
    return out
