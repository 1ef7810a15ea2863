"""Python source pieces for the framework exports: literals, names, comments.

User text (titles, prompts, the task) reaches generated Python only through
:func:`py_str`, which always yields a literal that evaluates back to the same
string, and through :func:`py_comment`, which keeps it on one comment line.
Step ids become names through :func:`py_names`, so an id that is not a Python
identifier (``build-system``, ``2nd-pass``, ``class``) still gives valid code.
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Iterable, Mapping
from typing import Any

from planner.diagram.text import clean

# Characters that would make a triple-quoted literal mean something else (a
# backslash starts an escape, a quote next to the delimiters closes it early)
# or that Python's tokenizer rewrites (a carriage return becomes a newline).
_UNSAFE_IN_TRIPLE = re.compile(r'\\|"""|\r|^"|"$|[^\S\n ]|[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]')


def py_str(text: str, indent: int = 0) -> str:
    """A Python literal equal to ``text``.

    Text of several lines that is safe to hold verbatim becomes a readable
    triple-quoted block; anything else is ``repr``, which is exact for every
    string. ``indent`` does not change the value: a block never indents its
    continuation lines (they are part of the string).
    """
    if "\n" in text and not _UNSAFE_IN_TRIPLE.search(text):
        # The backslash after the opening quotes drops the first newline so
        # the block starts on a line of its own.
        return '"""\\\n' + text + '"""'
    return _quoted(text)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _quoted(text: str) -> str:
    """A double-quoted literal (the quote style of formatted Python code); every
    character that is not printable is spelled as an escape."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1])
    return '"' + "".join(out) + '"'


def py_value(value: Any) -> str:
    """A Python literal for JSON-like data (``None``, bools, numbers, strings, lists, dicts)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("JSON data has no NaN or infinity")
        return repr(value)
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(py_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{py_value(str(k))}: {py_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as a Python literal")


def py_comment(text: str) -> str:
    """``text`` on one line, safe after ``#`` (control characters and line breaks become spaces)."""
    return clean(text).replace("\r", " ")


def py_json(value: Any) -> str:
    """JSON text for a value (used for schemas shown in comments and prompts)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def identifier(name: str, *, prefix: str = "step_") -> str:
    """A Python identifier close to ``name``: ``-`` and other characters become
    ``_``, a leading digit gets ``prefix``, a keyword gets a trailing ``_``."""
    out = re.sub(r"\W", "_", name, flags=re.ASCII)
    if not out or out[0].isdigit():
        out = prefix + out
    if keyword.iskeyword(out) or keyword.issoftkeyword(out):
        out += "_"
    return out


def py_names(ids: Iterable[str], *, taken: Iterable[str] = (), prefix: str = "step_") -> dict[str, str]:
    """A distinct identifier for each id, avoiding ``taken`` names.

    Ids that differ only in characters an identifier cannot hold (``a-b`` and
    ``a_b``) get numbered suffixes in plan order, so the mapping is stable.
    """
    used = set(taken)
    out: dict[str, str] = {}
    for sid in ids:
        base = identifier(sid, prefix=prefix)
        name, n = base, 2
        while name in used:
            name, n = f"{base}_{n}", n + 1
        used.add(name)
        out[sid] = name
    return out
