"""Writing a file the user named (``-o FILE``): whole or not at all, and only over a regular file.

The text goes to a temporary file beside the target, is flushed to disk, and
is renamed over the target, so nobody ever reads half a plan. Renaming
replaces whatever has the name, so the target is checked first:

* a symlink is followed and its target written (the link stays a link);
* anything that is not a regular file (a device such as ``/dev/full``, a
  FIFO, a socket, a folder) is refused before any work is done;
* an existing file keeps its permission bits;
* every write error (a full disk, a quota, a read-only folder) is an
  :class:`~planner.errors.InputError` naming the file: exit 2, never success.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from planner.errors import InputError


def check_target(path: Path, *, force: bool) -> Path:
    """The regular file that writing to ``path`` will replace or create; raises :class:`InputError`.

    Called before the work whose result is written, so a refusal costs nothing.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{path} is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                f"{path} is not a regular file (a device, pipe or socket); "
                "leave out -o to write to standard output"
            )
        if not force:
            raise InputError(f"{path} already exists (use --force to overwrite)")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{folder}: no such directory")
    return target


def write_text_file(path: Path, text: str, *, force: bool) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` as described in the module docstring."""
    target = check_target(path, force=force)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    folder = target.parent if str(target.parent) else Path(".")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        # A file name that is not UTF-8 (in a lint report) becomes a \\udcNN
        # escape, which JSON reads back as the same name.
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            # Some file systems (NFS, quotas) report a full disk only here.
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
