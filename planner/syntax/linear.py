"""Score hashed features with a sparse, quantised linear model.

The weights of one classifier (tagger, parser or labeller) are five arrays:

- ``keys`` (uint32): the CRC-32 of every feature that has a weight, sorted;
- ``buckets`` (uint32): for each value of the top ``bits`` bits of a key, the
  index of its first key with that prefix, plus one final entry (so a look-up
  bisects only the eight or so keys of its bucket);
- ``starts`` (uint32): for each bucket, where its keys' weights start in
  ``entries``, plus one final entry;
- ``rel`` (uint16): for each key, where its weights start, counted from its
  bucket's start (two bytes a key instead of four);
- ``entries`` (int16): the non-zero weights, each packed with its class:
  ``weight << class_bits | class``.

Weights are the trainer's averaged weights divided by a per-model scale and
rounded to what the bits left after the class hold (14 bits for the parser's
4 moves, 11 for the tagger's 17 tags, 10 for the labeller): the scale does not
change which class scores highest, so it is never multiplied back. Weights
that round to zero are dropped.
"""

from __future__ import annotations

import struct
import sys
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable
from zlib import crc32

from planner.errors import ModelError
from planner.syntax.weights import Section, Table

PARTS = ("keys", "buckets", "starts", "rel", "entries")
_BIAS = 1 << 15  # added to every int16 weight: lanes stay non-negative
_MAX_SUM = 1 << 16  # features per call that a 32-bit lane can add up
# Feature strings in one generation of a model's cache (see _Rows): at most two
# generations are held, about 9 MB each for the labeller (the largest rows).
_CACHE_LIMIT = 50_000
_BIG_ENDIAN = sys.byteorder == "big"


def class_bits(n_classes: int) -> int:
    return max(1, (n_classes - 1).bit_length())


def _table(sections: dict[str, Section], name: str) -> Table:
    value = sections.get(name)
    if not isinstance(value, (memoryview, array)):
        raise ModelError(f"syntax model is corrupt (no {name} table)")
    return value


class _Rows(dict[str, int]):
    """Feature string -> row integer, looked up in the tables on first use only.

    ``sum(map(cache.__getitem__, features))`` then runs in C for every feature
    seen before; ``__missing__`` does the hashing and bisecting for new ones.
    When a generation is full, a new one starts (``_next_generation``) and the full one
    is kept beside it as ``old``: a string found there moves to the new one, so
    the features a text keeps using stay cached while rare ones age out, rather
    than every string being forgotten at once in the middle of a long text.
    """

    __slots__ = ("lookup", "old")

    def __init__(self, lookup: Callable[[str], int], old: dict[str, int] | None = None) -> None:
        super().__init__()
        self.lookup = lookup
        self.old = old if old is not None else {}

    def __missing__(self, feature: str) -> int:
        value = self.old.pop(feature, None)
        if value is None:
            value = self.lookup(feature)
        self[feature] = value
        return value


def _next_generation(full: _Rows) -> _Rows:
    full.old = {}  # the generation before it goes
    return _Rows(full.lookup, full)


class LinearModel:
    """A sparse linear model over up to 255 classes (the tagger's and the labeller's)."""

    __slots__ = (
        "_unpack",
        "_unpack_without",
        "bias",
        "buckets",
        "cache",
        "cbits",
        "entries",
        "keys",
        "mask",
        "n_classes",
        "rel",
        "shift",
        "starts",
    )

    def __init__(
        self,
        keys: Table,
        buckets: Table,
        starts: Table,
        rel: Table,
        entries: Table,
        n_classes: int,
    ) -> None:
        bits = (len(buckets) - 1).bit_length() - 1
        if (
            not 0 <= bits <= 24
            or len(buckets) != (1 << bits) + 1
            or len(starts) != len(buckets)
            or buckets[-1] != len(keys)
            or len(rel) != len(keys)
            or starts[-1] != len(entries)
            or not 1 <= n_classes <= 255
        ):
            raise ModelError("syntax model is corrupt (inconsistent weight tables)")
        self.keys = keys
        self.buckets = buckets
        self.starts = starts
        self.rel = rel
        self.entries = entries
        self.n_classes = n_classes
        self.shift = 32 - bits
        self.cbits = class_bits(n_classes)
        self.mask = (1 << self.cbits) - 1
        # Every class's weight plus _BIAS, one 32-bit lane per class: a zero row.
        self.bias = sum(_BIAS << (32 * c) for c in range(n_classes))
        self.cache = _Rows(self.row)
        # The lanes of a total read in one C call ("<" spells the byte order: no swap on any machine).
        self._unpack = struct.Struct(f"<{n_classes}I").unpack
        # The same with one class's lane skipped (four pad bytes), built when first asked for.
        self._unpack_without: dict[int, Callable[[bytes], tuple[int, ...]]] = {}

    @classmethod
    def from_sections(cls, sections: dict[str, Section], prefix: str, n_classes: int) -> LinearModel:
        keys, buckets, starts, rel, entries = (_table(sections, f"{prefix}.{part}") for part in PARTS)
        return cls(keys, buckets, starts, rel, entries, n_classes=n_classes)

    def row(self, feature: str) -> int:
        """A feature's weights as one integer: weight + _BIAS in a 32-bit lane per class."""
        key = crc32(feature.encode("utf-8", "surrogatepass"))
        bucket = key >> self.shift
        lo = self.buckets[bucket]
        hi = self.buckets[bucket + 1]
        value = self.bias
        if lo < hi:
            keys = self.keys
            j = bisect_left(keys, key, lo, hi)
            if j < hi and keys[j] == key:
                base = self.starts[bucket]
                stop = base + self.rel[j + 1] if j + 1 < hi else self.starts[bucket + 1]
                cbits, mask = self.cbits, self.mask
                for v in self.entries[base + self.rel[j] : stop]:
                    value += (v >> cbits) << (32 * (v & mask))
        return value

    def scores(self, features: Iterable[str]) -> list[int]:
        """The score of every class, all offset by the same amount (compare them, do not read them).

        Rows are added as whole integers, one addition per feature whatever the
        number of classes, and cached by feature string: within a text the same
        features come back (the bias, "t-1=DET", "dp=NOUN").
        """
        return self.lanes(self.total(features))

    def total(self, features: Iterable[str]) -> int:
        """The features' rows added up: totals of disjoint feature lists add up to the total of all.

        The caller keeps to fewer than 65,536 features in all (``lanes`` reads the sum).
        """
        cache = self.cache
        if len(cache) > _CACHE_LIMIT:
            cache = self.cache = _next_generation(cache)
        if not isinstance(features, list):
            features = list(features)
        if len(features) >= _MAX_SUM:
            raise ValueError("too many features for the 32-bit lanes")
        return sum(map(cache.__getitem__, features))

    def best(self, total: int) -> int:
        """The class with the highest score in a total of rows, the first of equals (as ``max`` keeps)."""
        s = self._unpack(total.to_bytes(4 * self.n_classes, "little"))
        return s.index(max(s))

    def best_without(self, total: int, excluded: int) -> int:
        """``best`` among every class but ``excluded``.

        The excluded lane is skipped as it is read (four pad bytes): the same
        class as scoring it below every other lane and taking ``best``.
        """
        unpack = self._unpack_without.get(excluded)
        if unpack is None:
            if not 0 <= excluded < self.n_classes:
                raise ValueError(f"no class {excluded}")
            fmt = f"<{excluded}I4x{self.n_classes - excluded - 1}I"
            unpack = self._unpack_without[excluded] = struct.Struct(fmt).unpack
        s = unpack(total.to_bytes(4 * self.n_classes, "little"))
        k = s.index(max(s))
        return k if k < excluded else k + 1

    def lanes(self, total: int) -> list[int]:
        """The score of every class in a total of rows (see ``scores``)."""
        lanes = array("I")
        lanes.frombytes(total.to_bytes(4 * self.n_classes, "little"))
        if _BIG_ENDIAN:
            lanes.byteswap()
        return lanes.tolist()


def pack(keys: list[int], rows: list[list[tuple[int, int]]], n_classes: int, per_bucket: int = 8) -> dict[str, array[int]]:
    """The five arrays for sorted ``keys`` and their (class, weight) rows (weights already in range)."""
    buckets = _buckets(keys, per_bucket)
    shift = 32 - ((len(buckets) - 1).bit_length() - 1)
    cbits = class_bits(n_classes)
    limit = 1 << (15 - cbits)
    starts = array("I", [0] * len(buckets))
    rel = array("H")
    entries = array("h")
    for key, row in zip(keys, rows, strict=True):
        starts[(key >> shift) + 1] += len(row)
    for i in range(1, len(starts)):
        starts[i] += starts[i - 1]
    for key, row in zip(keys, rows, strict=True):
        rel.append(len(entries) - starts[key >> shift])
        for cls, w in row:
            if not -limit <= w < limit or not 0 <= cls < n_classes:
                raise ValueError(f"weight {w} or class {cls} out of range")
            entries.append((w << cbits) | cls)
    return {"keys": array("I", keys), "buckets": buckets, "starts": starts, "rel": rel, "entries": entries}


# --------------------------------------------------------------------------- four classes in one integer

LANE = 16
LANE_LIMIT = 511  # |weight| <= 511 and at most 64 features: every class total fits a 16-bit lane
MAX_FEATURES = 64


class LaneModel:
    """A linear model for at most four classes, one 64-bit integer per feature.

    Each key's weights are stored as ``w0 + w1 * 2**16 + w2 * 2**32 + w3 * 2**48``
    (signed lanes, each weight within +-511), so scoring a feature is one
    integer addition instead of a loop over classes; with at most 64 features
    every class total stays within a lane and the lanes are read back exactly.
    The parser uses it: its four moves and 61 templates fit, and 10-bit weights
    parse the dev split as well as 14-bit ones did (86.6% UAS either way).
    """

    __slots__ = ("_digits", "_offset", "buckets", "cache", "keys", "n_classes", "rows", "shift")

    def __init__(self, keys: Table, buckets: Table, rows: Table, n_classes: int) -> None:
        bits = (len(buckets) - 1).bit_length() - 1
        if (
            not 0 <= bits <= 24
            or len(buckets) != (1 << bits) + 1
            or buckets[-1] != len(keys)
            or len(rows) != len(keys)
            or not 1 <= n_classes <= 4
        ):
            raise ModelError("syntax model is corrupt (inconsistent weight tables)")
        self.keys = keys
        self.buckets = buckets
        self.rows = rows
        self.n_classes = n_classes
        self.shift = 32 - bits
        self.cache = _Rows(self.row)
        self._offset = sum(1 << (LANE * c + LANE - 1) for c in range(n_classes))
        self._digits = struct.Struct(f"<{n_classes}H").unpack

    @classmethod
    def from_sections(cls, sections: dict[str, Section], prefix: str, n_classes: int) -> LaneModel:
        keys, buckets, rows = (_table(sections, f"{prefix}.{part}") for part in ("keys", "buckets", "rows"))
        if (rows.format if isinstance(rows, memoryview) else rows.typecode) != "q":
            raise ModelError(f"syntax model is corrupt ({prefix}.rows is not 64-bit)")
        return cls(keys, buckets, rows, n_classes=n_classes)

    def row(self, feature: str) -> int:
        key = crc32(feature.encode("utf-8", "surrogatepass"))
        bucket = key >> self.shift
        lo = self.buckets[bucket]
        hi = self.buckets[bucket + 1]
        if lo < hi:
            keys = self.keys
            j = bisect_left(keys, key, lo, hi)
            if j < hi and keys[j] == key:
                return int(self.rows[j])
        return 0

    def scores(self, features: list[str]) -> list[int]:
        """The four scores, exactly (cached rows, one addition per feature)."""
        if len(features) > MAX_FEATURES:
            raise ValueError("more features than the lanes can add up")
        return self.lanes(self.total(features))

    def total(self, features: Iterable[str]) -> int:
        """The features' rows added up: totals of disjoint feature lists add up to the total of all.

        The caller keeps to MAX_FEATURES in all (``lanes`` reads the sum).
        """
        cache = self.cache
        if len(cache) > _CACHE_LIMIT:
            cache = self.cache = _next_generation(cache)
        return sum(map(cache.__getitem__, features))

    def digits(self, total: int) -> tuple[int, ...]:
        """The scores in a sum of at most MAX_FEATURES rows, each plus 2**15 (compare them, do not read them).

        Every class total lies within a signed 16-bit lane, so adding 2**15 to
        each lane leaves the plain base-2**16 digits of a non-negative number:
        ``lanes`` without its loop.
        """
        return self._digits((total + self._offset).to_bytes(2 * self.n_classes, "little"))

    def digit_parts(self) -> tuple[int, Callable[[bytes], tuple[int, ...]], int]:
        """What ``digits`` does, for a caller's loop to do it without a call:
        ``unpack((total + offset).to_bytes(width, "little"))`` is ``digits(total)``."""
        return self._offset, self._digits, 2 * self.n_classes

    def lanes(self, total: int) -> list[int]:
        """The scores in a sum of at most MAX_FEATURES rows."""
        out = []
        half = 1 << (LANE - 1)
        mask = (1 << LANE) - 1
        for _ in range(self.n_classes):
            lane = ((total + half) & mask) - half
            out.append(lane)
            total = (total - lane) >> LANE
        return out


def pack_lanes(keys: list[int], rows: list[list[int]], per_bucket: int = 8) -> dict[str, array[int]]:
    """Keys, buckets and one packed integer per key (weights within +-LANE_LIMIT)."""
    buckets = _buckets(keys, per_bucket)
    packed = array("q")
    for row in rows:
        value = 0
        for c, w in enumerate(row):
            if not -LANE_LIMIT <= w <= LANE_LIMIT:
                raise ValueError(f"weight {w} out of lane range")
            value += w << (LANE * c)
        packed.append(value)
    return {"keys": array("I", keys), "buckets": buckets, "rows": packed}


def _buckets(keys: list[int], per_bucket: int) -> array[int]:
    n = len(keys)
    bits = 0
    while (1 << (bits + 1)) * per_bucket <= n and bits < 24:
        bits += 1
    shift = 32 - bits
    buckets = array("I", [0] * ((1 << bits) + 1))
    for key in keys:
        buckets[(key >> shift) + 1] += 1
    for i in range(1, len(buckets)):
        buckets[i] += buckets[i - 1]
    return buckets
