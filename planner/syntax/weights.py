"""The binary weights file: named arrays behind a small header.

Layout (all integers little-endian)::

    magic        8 bytes   b"PLSYNTAX"
    version      u16       FORMAT_VERSION
    sections     u16       number of sections
    size         u32       length of the whole file (a truncated copy fails here)
    checksum     u32       CRC-32 of every byte after this header
    table        sections x (name 24 bytes, typecode 1 byte, 3 bytes padding, offset u32, length u32)
    data         each section's bytes, at an offset that is a multiple of 8

A section is an ``array.array`` of one typecode ("B", "b", "H", "h", "I", "i", "q")
or UTF-8 text ("s"). Loading reads the file once and views each numeric
section in place (``memoryview.cast``: no copy, no per-entry Python work), so
the whole file loads in about the time it takes to read and checksum it. Anything wrong (another file, another version, a short read, a
flipped bit) is a :class:`planner.errors.ModelError`, never a crash.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from pathlib import Path
from typing import Union

from planner.errors import ModelError

MAGIC = b"PLSYNTAX"
FORMAT_VERSION = 1
_HEADER = struct.Struct("<8sHHII")
_ENTRY = struct.Struct("<24sc3xII")
_ARRAY_CODES = frozenset("BbHhIiq")
_SIZES = {"B": 1, "b": 1, "H": 2, "h": 2, "I": 4, "i": 4, "q": 8}

# A numeric section is read as a typed memoryview on the file's bytes (no
# copy) on little-endian machines, as a byte-swapped array elsewhere; both
# index, slice and bisect the same way.
Table = Union[memoryview, "array[int]"]
Section = Union[memoryview, "array[int]", str]


def write_sections(path: Path, sections: dict[str, Section]) -> None:
    """Write ``sections`` (in sorted name order, so the bytes depend only on the content)."""
    names = sorted(sections)
    table_end = _HEADER.size + _ENTRY.size * len(names)
    offset = _align(table_end)
    entries: list[bytes] = []
    blobs: list[bytes] = []
    for name in names:
        value = sections[name]
        raw = name.encode("ascii")
        if len(raw) > 24:
            raise ValueError(f"section name too long: {name}")
        if isinstance(value, str):
            code, data = "s", value.encode("utf-8")
        elif isinstance(value, memoryview):
            raise ValueError(f"section {name}: write arrays, not views")
        else:
            code = value.typecode
            if code not in _ARRAY_CODES or value.itemsize != _SIZES[code]:
                raise ValueError(f"section {name}: unsupported array type {code!r}")
            if sys.byteorder != "little":
                value = array(code, value)
                value.byteswap()
            data = value.tobytes()
        entries.append(_ENTRY.pack(raw, code.encode("ascii"), offset, len(data)))
        pad = _align(offset + len(data)) - (offset + len(data))
        blobs.append(data + b"\0" * pad)
        offset += len(data) + pad
    body = b"".join(entries) + b"\0" * (_align(table_end) - table_end) + b"".join(blobs)
    header = _HEADER.pack(MAGIC, FORMAT_VERSION, len(names), _HEADER.size + len(body), zlib.crc32(body))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(header + body)
    tmp.replace(path)


def read_sections(path: Path) -> dict[str, Section]:
    """Every section of a weights file; a bad file is a ModelError naming it."""
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read the syntax model {path.name}: {exc.strerror or exc}") from exc
    return parse_sections(blob, path.name)


def parse_sections(blob: bytes, name: str = "syntax model") -> dict[str, Section]:
    if len(blob) < _HEADER.size or blob[:8] != MAGIC:
        raise ModelError(f"{name} is not a planner syntax model (bad magic bytes)")
    _, version, count, size, checksum = _HEADER.unpack_from(blob)
    if version != FORMAT_VERSION:
        raise ModelError(
            f"{name} has format version {version}; this planner reads version {FORMAT_VERSION} "
            "(retrain with 'planner train syntax' or reinstall)"
        )
    if size != len(blob):
        raise ModelError(f"{name} is truncated or padded: {len(blob)} bytes, the header says {size}")
    view = memoryview(blob)
    if zlib.crc32(view[_HEADER.size :]) != checksum:
        raise ModelError(f"{name} is corrupt (checksum mismatch); retrain with 'planner train syntax' or reinstall")
    out: dict[str, Section] = {}
    table = _HEADER.size
    if table + count * _ENTRY.size > size:
        raise ModelError(f"{name} is corrupt (section table past the end)")
    for i in range(count):
        raw, code_b, offset, length = _ENTRY.unpack_from(blob, table + i * _ENTRY.size)
        key = raw.rstrip(b"\0").decode("ascii", "replace")
        code = code_b.decode("ascii", "replace")
        if offset + length > size:
            raise ModelError(f"{name} is corrupt (section {key} past the end)")
        data = view[offset : offset + length]
        if code == "s":
            try:
                out[key] = str(data, "utf-8")
            except UnicodeDecodeError as exc:
                raise ModelError(f"{name} is corrupt (section {key} is not UTF-8)") from exc
        elif code in _ARRAY_CODES and length % _SIZES[code] == 0:
            if sys.byteorder == "little" and array(code).itemsize == _SIZES[code]:
                out[key] = data.cast(code)
            else:
                values = array(code)
                values.frombytes(data)
                values.byteswap()
                out[key] = values
        else:
            raise ModelError(f"{name} is corrupt (section {key} has type {code!r} and {length} bytes)")
    return out


def _align(n: int) -> int:
    return (n + 7) & ~7
