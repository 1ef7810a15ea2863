"""Compiled code for the methods ``dataclasses`` writes, kept between runs.

Every ``@dataclass`` writes the source of its ``__init__``, ``__repr__``,
``__eq__`` (and for frozen ones ``__hash__``, ``__setattr__`` and
``__delattr__``) and compiles it with ``exec`` while the module is imported.
About fifty of planner's value classes are built on the way to a
``planner suggest`` answer, and compiling their methods took about a sixth
of that command's processor time, more than parsing the task. The generated
source is the same on every run, so its code objects are kept like Python
keeps bytecode: marshalled, in one file per Python version and planner
version under planner's cache folder (:func:`planner.tomlcache.cache_dir`).

How: :func:`install` points the ``exec`` name that ``dataclasses`` looks up
at :func:`_exec`. For source run in the namespace of a planner module it
runs the cached code object for that exact text (the text is the key, so
an edited class is simply new text), else it compiles it as ``exec`` would
and remembers it; everything else is passed to the built-in ``exec``
untouched. Running a code object compiled from a text is what ``exec`` does
with the text, so the classes come out the same. The file is written once,
at exit, only when something new was compiled, and never when Python is
told not to write bytecode (``PYTHONDONTWRITEBYTECODE``);
``PLANNER_NO_CACHE=1`` turns the whole cache off. Deleting it is always safe.
"""

from __future__ import annotations

import atexit
import builtins
import marshal
import os
import sys
from pathlib import Path
from types import CodeType
from typing import Any

from planner._version import __version__

_REAL_EXEC = builtins.exec
_OWN = "planner"  # module names whose dataclasses are cached: planner and planner.*


class _Store:
    """The code objects of one process: loaded on first use, written at exit."""

    def __init__(self) -> None:
        self.codes: dict[str, CodeType] | None = None
        self.path: Path | None = None
        self.added = 0

    def code_for(self, source: str) -> CodeType:
        codes = self.codes if self.codes is not None else self._load()
        code = codes.get(source)
        if code is None:
            code = codes[source] = compile(source, "<string>", "exec")
            if not self.added:
                atexit.register(self.save)
            self.added += 1
        return code

    def _load(self) -> dict[str, CodeType]:
        from planner.tomlcache import cache_dir

        self.codes = {}
        folder = cache_dir()
        if folder is None:
            return self.codes
        tag = sys.implementation.cache_tag or "python"
        self.path = folder / f"classes-{tag}-{__version__}.marshal"
        try:
            data = marshal.loads(self.path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return self.codes  # missing or damaged: compile as usual and rewrite it
        if isinstance(data, dict):
            self.codes.update(
                (k, v) for k, v in data.items() if isinstance(k, str) and isinstance(v, CodeType)
            )
        return self.codes

    def save(self) -> None:
        if self.path is None or self.codes is None or sys.dont_write_bytecode:
            return
        import tempfile  # only when something new was compiled

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Written beside the file and renamed into place, so a reader never
            # sees half a file even with several planner processes at once.
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".marshal")
            try:
                with os.fdopen(fd, "wb") as fh:
                    marshal.dump(self.codes, fh)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, ValueError):
            pass  # a read-only or full disk only costs speed


_STORE = _Store()


def _exec(source: Any, namespace: Any = None, local_ns: Any = None, /) -> None:
    """``exec`` for ``dataclasses``: cached code for planner's own classes.

    ``dataclasses`` always passes the namespaces; a bare ``exec(text)`` from
    anywhere else would not run in its caller's namespace here.
    """
    if isinstance(source, str) and isinstance(namespace, dict) and _is_own(namespace.get("__name__")):
        source = _STORE.code_for(source)
    _REAL_EXEC(source, namespace, local_ns)


def _is_own(module: object) -> bool:
    return isinstance(module, str) and (module == _OWN or module.startswith(_OWN + "."))


def install() -> None:
    """Serve ``dataclasses``' generated methods from the cache (once per process)."""
    if os.environ.get("PLANNER_NO_CACHE", "").strip() not in {"", "0"}:
        return
    import dataclasses

    if getattr(dataclasses, "exec", None) is not _exec:
        dataclasses.exec = _exec  # type: ignore[attr-defined]
