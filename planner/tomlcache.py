"""Parsed built-in TOML files, kept as JSON between runs.

``tomllib`` is written in Python: parsing the rule files shipped with planner
takes longer than everything else a first ``planner suggest`` call does
after its imports, while the C ``json`` module reads the same data about
twenty times faster. The parsed data is stored under a key that hashes the
file's text and stores that text too, so an edited or upgraded file is
simply a new entry and a stale or colliding one is never used.

The cache is only an optimisation: when it cannot be read or written the
text is parsed as usual. It lives in ``$PLANNER_CACHE_DIR``, else
``$XDG_CACHE_HOME/planner``, else ``~/.cache/planner``; ``PLANNER_NO_CACHE=1``
turns it off. Deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import zlib
from pathlib import Path
from typing import Any

from planner.errors import RuleFileError
from planner.resources import data_file

# Bump when the stored form changes, so older entries are ignored.
_FORMAT = 1

# A shipped file's text -> its parsed data, marshalled, for the rest of the
# process. The parser's modules each read the file they need (parse.toml two
# dozen times and words.toml nine on the way to one answer); unmarshalling a
# copy is several times faster than reading and decoding the JSON entry
# (or, with the disk cache off, parsing the TOML) again, and every caller
# still gets data of its own that it may change.
_SEEN: dict[str, bytes] = {}


def cache_dir() -> Path | None:
    """Where cached data lives, or ``None`` when caching is turned off."""
    if os.environ.get("PLANNER_NO_CACHE", "").strip() not in {"", "0"}:
        return None
    explicit = os.environ.get("PLANNER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    # The XDG spec ignores a relative XDG_CACHE_HOME; without a home folder
    # "~" stays unexpanded, and a cache must never land in the working directory.
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "planner"
    home = os.path.expanduser("~")
    return Path(home) / ".cache" / "planner" if os.path.isabs(home) else None


def loads(text: str, *, cache: bool = True) -> dict[str, Any]:
    """``tomllib.loads(text)``, read from the cache when this exact text was parsed before.

    Parse errors propagate exactly as from ``tomllib`` (``TOMLDecodeError``, a
    ``ValueError``); nothing is cached for them. ``cache=False`` only parses,
    for files that change often (a user's own).
    """
    folder = cache_dir() if cache else None
    if folder is None:
        return _parse(text)
    # hashlib would cost more to import than it saves; the text stored in
    # the entry makes a weak hash safe.
    raw = text.encode("utf-8")
    entry = folder / f"toml{_FORMAT}-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}-{len(raw)}.json"
    try:
        with entry.open(encoding="utf-8") as fh:
            cached = json.load(fh)
        if isinstance(cached, dict) and cached.get("text") == text and isinstance(cached.get("data"), dict):
            return cached["data"]  # type: ignore[no-any-return]
    except (OSError, ValueError):
        pass  # missing, unreadable or damaged: parse again and rewrite it
    data = _parse(text)
    _store(entry, text, data)
    return data


def read_builtin(name: str, what: str) -> dict[str, Any]:
    """A rule file shipped with planner (``rules/NAME``), parsed through the cache.

    A missing or broken file means a broken installation: a
    :class:`RuleFileError` that names ``what`` was being read.
    """
    path = data_file("rules", name)
    try:
        text = path.read_text(encoding="utf-8")
        seen = _SEEN.get(text)
        if seen is not None:
            return marshal.loads(seen)  # type: ignore[no-any-return]
        data = loads(text)
    except (OSError, ValueError) as exc:  # ValueError: tomllib.TOMLDecodeError, bad UTF-8
        raise RuleFileError(f"cannot read {what}: {exc}", path=str(path)) from None
    # Dates and times (from tomllib, when the disk cache is off) have no
    # marshalled form: such a file is parsed every time.
    with contextlib.suppress(ValueError):
        _SEEN[text] = marshal.dumps(data)
    return data


def _parse(text: str) -> dict[str, Any]:
    import tomllib  # its own regexes cost a couple of milliseconds: only when parsing

    try:
        # A byte order mark is how some editors start a UTF-8 file; tomllib refuses it.
        return tomllib.loads(text.removeprefix("\ufeff"))
    except RecursionError:
        # tomllib recurses once per nested array or inline table.
        raise tomllib.TOMLDecodeError("nesting is too deep") from None


def _store(entry: Path, text: str, data: dict[str, Any]) -> None:
    import tempfile  # only when writing, which happens once per file version

    try:
        payload = json.dumps({"text": text, "data": data}, ensure_ascii=False)
    except (TypeError, ValueError):
        return  # dates and times have no JSON form: keep parsing this file
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the entry and renamed into place, so a reader never
        # sees half a file even with several planner processes at once.
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only or full disk only costs speed
