"""Read TOML rule files and point at the line of a bad key.

``tomllib`` returns plain data without positions, so errors are located by a
light scan of the text: the n-th ``[[table]]`` or ``[table]`` header, then the
``key =`` line inside it. That is enough for messages like
``rules/selection.toml:42: rule 'x': key 'when': unknown feature 'wdth'``.
"""

from __future__ import annotations

import math
import os
import re
import stat
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from planner import lazyre, tomlcache
from planner.errors import RuleFileError
from planner.resources import data_dir

_HEADER_RE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_LOCATION_RE = lazyre.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class RuleText:
    """A parsed rule file that remembers its text for error positions."""

    path: Path
    text: str
    data: dict[str, Any]
    builtin: bool = False  # one of the rule files shipped with planner (checked by its tests)

    @cached_property
    def name(self) -> str:
        """Built-in files as ``rules/NAME`` (the same on every machine), others as given."""
        return display_path(self.path)

    @cached_property
    def _lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def _headers(self) -> dict[str, list[int]]:
        """Normalised table header -> 0-based line numbers, in file order (one pass)."""
        found: dict[str, list[int]] = {}
        for i, line in enumerate(self._lines):
            if line.lstrip().startswith("["):
                m = _HEADER_RE.match(line)
                if m:
                    found.setdefault(_norm(m.group(1)), []).append(i)
        return found

    @cached_property
    def _header_lines(self) -> list[int]:
        """Every header's 0-based line, ascending: where the table before it ends."""
        return sorted(p for ps in self._headers.values() for p in ps)

    def line_of(self, header: str | None, index: int = 0, key: str | None = None) -> int | None:
        """1-based line of ``key`` in the ``index``-th ``[header]``/``[[header]]`` table."""
        lines = self._lines
        start, end = 0, len(lines)
        if header is not None:
            positions = self._headers.get(_norm(header), [])
            if index >= len(positions):
                return None
            start = positions[index]
            starts = self._header_lines
            after = bisect_right(starts, start)
            end = starts[after] if after < len(starts) else len(lines)
        if key is None:
            return start + 1
        key_re = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for i in range(start, end):
            if key_re.match(lines[i]):
                return i + 1
        return start + 1 if header is not None else None

    def error(self, message: str, header: str | None = None, index: int = 0, key: str | None = None) -> RuleFileError:
        return RuleFileError(message, path=self.name, line=self.line_of(header, index, key))


def display_path(path: Path) -> str:
    inside = _builtin_name(path)
    return f"rules/{inside}" if inside is not None else str(path)


def _builtin_name(path: Path) -> str | None:
    """The path inside the built-in ``rules/`` folder, or None for any other file."""
    try:
        return path.resolve().relative_to(data_dir("rules").resolve()).as_posix()
    except (ValueError, OSError, FileNotFoundError):
        return None


def _norm(header: str) -> str:
    return re.sub(r"\s+", "", header).replace('"', "").replace("'", "")


def read_rule_file(path: Path) -> RuleText:
    """Read and parse one TOML rule file; any problem is a :class:`RuleFileError`."""
    try:
        # A FIFO or a device named in rule_files would hang the read or fill memory.
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise RuleFileError("rule file is not a regular file", path=display_path(path))
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleFileError(f"cannot read rule file: {exc.strerror or exc}", path=display_path(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleFileError(
            "rule file is not valid UTF-8", path=display_path(path), line=raw[: exc.start].count(b"\n") + 1
        ) from None
    builtin = _builtin_name(path) is not None
    try:
        # Shipped files never change under an installation: parse them once.
        data = tomlcache.loads(text, cache=builtin)
    except ValueError as exc:  # tomllib.TOMLDecodeError
        message = str(exc)
        m = _LOCATION_RE.search(message)
        message = _LOCATION_RE.sub("", message).strip()
        raise RuleFileError(
            f"invalid TOML: {message}", path=display_path(path), line=int(m.group(1)) if m else None
        ) from None
    return RuleText(path, text, data, builtin)


def expect_keys(
    rt: RuleText,
    table: Any,
    *,
    header: str,
    index: int = 0,
    required: tuple[str, ...] = (),
    optional: tuple[str, ...] = (),
    what: str,
) -> dict[str, Any]:
    """Check a table's keys: all ``required`` present, nothing unknown."""
    if not isinstance(table, dict):
        raise rt.error(f"{what} must be a table", header, index)
    for key in table:
        if key not in required and key not in optional:
            allowed = ", ".join((*required, *optional))
            raise rt.error(f"{what}: unknown key '{key}' (allowed: {allowed})", header, index, key)
    for key in required:
        if key not in table:
            raise rt.error(f"{what}: missing key '{key}'", header, index)
    return table


def expect_type(rt: RuleText, value: Any, types: type | tuple[type, ...], *, header: str, index: int, key: str, what: str, noun: str) -> Any:
    """Check one value's type (booleans never pass as numbers)."""
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in _as_tuple(types))
    if not ok:
        raise rt.error(f"{what}: key '{key}' must be {noun}", header, index, key)
    # TOML has nan and inf: a NaN weight or bound passes every range check after this one.
    if isinstance(value, float) and not math.isfinite(value):
        raise rt.error(f"{what}: key '{key}' must be a finite number", header, index, key)
    return value


def _as_tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)
