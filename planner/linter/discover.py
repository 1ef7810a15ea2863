"""Find plan files under directories, honouring ``.gitignore`` files and excludes.

Explicit file arguments are always linted; directories are walked (never
through symlinked folders, so symlink loops cannot trap the walk) for files
matching the include patterns (``*.plan.yaml`` and ``*.plan.yml`` by default).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from planner.linter.settings import LintSettings, matches_any


class _Rule(NamedTuple):
    base: str  # folder the .gitignore lives in, absolute, '/'-separated
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool


def _translate(pattern: str) -> str:
    """A gitignore glob as a regular expression over '/'-separated relative paths."""
    anchored = "/" in pattern.rstrip("/")
    pattern = pattern.lstrip("/")
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape("["))
                i += 1
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end + 1
        elif pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    body = "".join(out)
    return ("" if anchored else "(?:.*/)?") + body + r"(?:/.*)?\Z"


def parse_gitignore(text: str, base: str) -> list[_Rule]:
    rules: list[_Rule] = []
    for raw in text.splitlines():
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        if not line.endswith("\\ "):
            line = line.rstrip()
        negate = line.startswith("!")
        if negate:
            line = line[1:]
        if line.startswith("\\"):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        try:
            rules.append(_Rule(base, re.compile(_translate(line)), negate, dir_only))
        except re.error:
            continue  # git ignores patterns it cannot read, so do we
    return rules


class GitIgnore:
    """The .gitignore rules in force for one walk (parents of the root, then each folder)."""

    def __init__(self) -> None:
        self.rules: list[_Rule] = []

    def load(self, folder: Path) -> None:
        for name in (".gitignore",):
            try:
                text = (folder / name).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            self.rules.extend(parse_gitignore(text, folder.as_posix()))

    def load_parents(self, root: Path) -> None:
        """Rules from the enclosing git work tree's folders above ``root``."""
        chain: list[Path] = []
        for folder in (root, *root.parents):
            chain.append(folder)
            if (folder / ".git").exists():
                exclude = folder / ".git" / "info" / "exclude"
                if exclude.is_file():
                    with contextlib.suppress(OSError):
                        self.rules.extend(
                            parse_gitignore(exclude.read_text(errors="replace"), folder.as_posix())
                        )
                for parent in reversed(chain[1:]):
                    self.load(parent)
                return

    def ignored(self, path: Path, is_dir: bool) -> bool:
        full = path.as_posix()
        result = False
        for rule in self.rules:
            if rule.dir_only and not is_dir:
                # A folder-only rule still hides files below a matching folder,
                # but those folders are pruned before we reach their files.
                continue
            if not full.startswith(rule.base + "/"):
                continue
            rel = full[len(rule.base) + 1 :]
            if rule.regex.match(rel):
                result = not rule.negate
        return result


def walk(
    top: str,
    settings_for: Callable[[Path], LintSettings],
    on_skip: Callable[[str, str], None] | None = None,
) -> Iterator[str]:
    """Plan files under ``top`` in sorted order, as paths starting with ``top``.

    A folder that cannot be read is passed to ``on_skip(path, reason)`` (shown
    like the files, starting with ``top``): its plans are not linted, and
    nobody should have to guess that.
    """
    root = Path(top).resolve()
    settings = settings_for(root)
    ignore = GitIgnore()
    ignore.load_parents(root)

    def unreadable(exc: OSError) -> None:
        if on_skip is not None and exc.filename is not None:
            where = Path(os.fsdecode(exc.filename))
            shown = os.path.normpath(os.path.join(top, where.relative_to(root))) if where != root else top
            on_skip(shown, exc.strerror or str(exc))

    for folder, dirs, files in os.walk(root, onerror=unreadable, followlinks=False):
        here = Path(folder)
        ignore.load(here)
        rel_folder = here.relative_to(root)
        keep = []
        for d in sorted(dirs):
            rel = (rel_folder / d).as_posix()
            if matches_any(d, rel, settings.exclude) or ignore.ignored(here / d, True):
                continue
            keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            rel = (rel_folder / name).as_posix()
            if not matches_any(name, rel, settings.include) or matches_any(
                name, rel, settings.exclude
            ):
                continue
            if ignore.ignored(here / name, False):
                continue
            yield os.path.normpath(os.path.join(top, rel))
