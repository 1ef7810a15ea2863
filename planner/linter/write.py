"""Write a fixed plan back into its file, in place.

Why in place, and how it stays safe
-----------------------------------
Writing a new file and renaming it over the old one is atomic, but it makes a
new file: hard links to the old one keep the old text, and the owner, group,
ACLs and extended attributes of the original are lost (a fix run as root
would hand the file to root). So the fixed text is written into the file
itself, and the risks of doing that are handled one by one:

* **Read-only files are refused**, never made writable: a file with no write
  permission (for root too, who could write it anyway) is someone's decision.
* **A file that changed since it was read is refused**: the bytes are read
  again under the open handle and must be the ones that were linted.
* **A write that fails (disk full, quota, I/O error) is undone**: the space
  for a longer file is reserved before a byte changes (``posix_fallocate``),
  and if writing still fails the original bytes are put back.
* **A crash in the middle** (power loss, ``kill -9``) cannot be undone by the
  process itself, so before it writes, it leaves a complete copy of the
  original beside the file (``.NAME.planner-fix-backup``), synced to disk, and
  removes it only once the new text is synced. A fix that finds such a copy
  refuses to touch the file until someone has looked at it.

The text keeps the file's byte order mark if it had one; line endings are the
fixer's business (it keeps each line's own).
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

from planner.errors import PlannerError

BACKUP_SUFFIX = ".planner-fix-backup"


class NotWritten(PlannerError):
    """The fixed plan was not written; the file is as it was."""


def backup_path(path: Path) -> Path:
    target = Path(os.path.realpath(path))
    return target.with_name(f".{target.name}{BACKUP_SUFFIX}")


def encode_like(original: bytes, text: str) -> bytes:
    """The fixed text as bytes, with the original's byte order mark if it had one."""
    data = text.encode("utf-8", errors="surrogatepass")
    return codecs.BOM_UTF8 + data if original.startswith(codecs.BOM_UTF8) else data


def read_only(info: os.stat_result) -> bool:
    """Whether the file's permissions say it must not be written.

    Root may write any file, so the bits are read as the file's owner would
    (no write bit for anyone means read-only whoever runs the fix); anyone
    else gets what the system would allow them.
    """
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    if root:
        return not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    return False  # the open() below answers for everyone else, ACLs included


def write_fixed(path: Path, original: bytes, text: str) -> None:
    """Write ``text`` into ``path`` in place, where ``original`` is what was read from it."""
    new = encode_like(original, text)
    backup = backup_path(path)
    if backup.exists():
        raise NotWritten(
            f"{path}: not fixed: {backup.name} is left from a fix that was interrupted; "
            "compare it with the file, keep the right one and delete the backup"
        )
    try:
        info = os.stat(path)
    except OSError as exc:
        raise NotWritten(f"{path}: not fixed: {exc.strerror or exc}") from None
    if read_only(info):
        raise NotWritten(f"{path}: not fixed: the file is read-only (make it writable to fix it, or use --diff)")
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise NotWritten(
                f"{path}: not fixed: the file is read-only (make it writable to fix it, or use --diff)"
            ) from None
        raise NotWritten(f"{path}: not fixed: {exc.strerror or exc}") from None
    try:
        _write(fd, path, backup, original, new)
    finally:
        os.close(fd)


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    offset = 0
    while True:
        chunk = os.pread(fd, 1 << 20, offset)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        offset += len(chunk)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    offset = 0
    while offset < len(data):
        offset += os.pwrite(fd, view[offset:], offset)
    os.ftruncate(fd, len(data))
    os.fsync(fd)


def _write(fd: int, path: Path, backup: Path, original: bytes, new: bytes) -> None:
    if _read_all(fd) != original:
        raise NotWritten(f"{path}: not fixed: the file changed while it was being linted; run again")
    kept = _keep_backup(backup, original)
    if len(new) > len(original) and hasattr(os, "posix_fallocate"):
        try:
            os.posix_fallocate(fd, 0, len(new))
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.EOPNOTSUPP, errno.ENOSYS):
                _drop(backup, kept)
                raise NotWritten(f"{path}: not fixed: {exc.strerror or exc}") from None
    try:
        _write_all(fd, new)
    except OSError as exc:
        try:
            _write_all(fd, original)
        except OSError:
            where = f"; the original is in {backup}" if kept else ""
            raise NotWritten(f"{path}: writing the fix failed ({exc.strerror or exc}){where}") from None
        _drop(backup, kept)
        raise NotWritten(f"{path}: not fixed: {exc.strerror or exc}") from None
    _drop(backup, kept)


def _keep_backup(backup: Path, original: bytes) -> bool:
    """Leave a synced copy of the original beside the file; False if the folder will not take one."""
    try:
        fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except OSError:
        # A folder that takes no new file (read-only folder, full disk): the
        # write below is still reserved and undone on error, only a crash
        # in its middle could not be recovered from.
        return False
    try:
        _write_all(fd, original)
    except OSError:
        os.close(fd)
        backup.unlink(missing_ok=True)
        return False
    os.close(fd)
    return True


def _drop(backup: Path, kept: bool) -> None:
    if kept:
        backup.unlink(missing_ok=True)
