"""When to try a failed call again, and how long to wait first."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from planner.runner import defaults


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, bounded by ``cap_s``.

    ``retries`` is the number of extra attempts after the first. A server's
    ``retry-after`` is a floor on the wait (plus a little jitter so that many
    steps throttled together do not come back in the same instant); a
    ``retry-after`` longer than ``max_retry_after_s`` fails the step instead of
    parking the run for that long.
    """

    retries: int = defaults.RETRIES
    base_s: float = defaults.BACKOFF_BASE_S
    cap_s: float = defaults.BACKOFF_CAP_S
    max_retry_after_s: float = defaults.MAX_RETRY_AFTER_S

    def should_retry(self, attempt: int, retryable: bool, retry_after: float | None) -> bool:
        """``attempt`` is the 1-based number of the attempt that just failed."""
        if not retryable or attempt > self.retries:
            return False
        if retry_after is None or not math.isfinite(retry_after):
            return True  # no usable wait asked for: back off as usual
        return retry_after <= self.max_retry_after_s

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait before attempt ``attempt + 1``."""
        ceiling = min(self.cap_s, self.base_s * (2 ** (attempt - 1)))
        backoff = rng.uniform(0.0, ceiling)
        if retry_after is None or not math.isfinite(retry_after):
            return backoff
        return max(retry_after, 0.0) * (1.0 + rng.uniform(0.0, 0.1)) + min(backoff, self.base_s)


def _seconds(raw: object, scale: float) -> float | None:
    """A header's number of seconds, or None when it is not a finite number.

    'NaN' and 'inf' parse as floats but say nothing usable: a NaN compares
    false with every bound and would turn a retryable 429 into a failure.
    """
    try:
        value = float(str(raw)) * scale
    except ValueError:
        return None
    return max(value, 0.0) if math.isfinite(value) else None


def parse_retry_after(headers: object) -> float | None:
    """Seconds from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date).

    A header that is not a finite number (or date) is ignored, as if absent.
    """
    get = getattr(headers, "get", None)
    if get is None:
        return None
    raw_ms = get("retry-after-ms")
    if raw_ms is not None:
        seconds = _seconds(raw_ms, 0.001)
        if seconds is not None:
            return seconds
    raw = get("retry-after")
    if raw is None:
        return None
    seconds = _seconds(raw, 1.0)
    if seconds is not None:
        return seconds
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(str(raw))
    except (TypeError, ValueError):
        return None
    import time

    return max(when.timestamp() - time.time(), 0.0)
