"""Findings and fixes: immutable values that detection produces and reporters render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
Applicability = Literal["safe", "unsafe"]


class Edit(NamedTuple):
    """One change a fix makes.

    ``op`` is ``"set"`` (set ``key`` of step number ``step`` to ``value``,
    placed after the key ``after`` when it is new; with no ``step``, a key of
    the plan itself), ``"add-step"`` (append a
    step whose keys and values are ``value``, a tuple of pairs) or
    ``"replace-line"`` (replace 1-based ``line`` of the text with ``value``).
    Values are tuples rather than lists so that findings stay hashable.
    """

    op: Literal["set", "add-step", "replace-line"]
    value: Any
    step: int | None = None
    key: str | None = None
    after: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op}
        for name in ("step", "key", "line"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        out["value"] = _plain(self.value)
        return out


class Fix(NamedTuple):
    """An automatic correction: what it does in words, how safe it is, and its edits."""

    message: str
    applicability: Applicability
    edits: tuple[Edit, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "applicability": self.applicability,
            "edits": [e.to_dict() for e in self.edits],
        }


@dataclass(frozen=True)
class Finding:
    """One problem in one plan file, at a 1-based line and column."""

    code: str
    name: str
    severity: Severity
    message: str
    path: str
    line: int
    column: int
    fix: Fix | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "fix": self.fix.to_dict() if self.fix else None,
        }

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        if value and all(
            isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) for v in value
        ):
            return {k: _plain(v) for k, v in value}
        return [_plain(v) for v in value]
    return value
