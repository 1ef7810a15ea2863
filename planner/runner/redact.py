"""Keep credentials out of everything the runner writes or prints.

Outputs, error messages, events and the journal all pass through
:func:`redact`. It hides the values of credential-looking environment
variables and anything shaped like an Anthropic key, so a key echoed back by
a server, a command or an exception message never reaches disk.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

# Key shapes worth hiding even when the key did not come from our environment.
_KEY_SHAPES = re.compile(r"sk-ant-[A-Za-z0-9_\-]{8,}|sk-[A-Za-z0-9]{20,}")
_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL", re.IGNORECASE)
# Shorter values are too likely to be ordinary words or numbers.
_MIN_SECRET_LEN = 8
MASK = "[redacted]"


def secret_values(
    env: Mapping[str, str] | None = None, extra: Iterable[str] = ()
) -> tuple[str, ...]:
    """Values of credential-looking variables in ``env`` plus ``extra``, longest first."""
    env = os.environ if env is None else env
    found = {v for k, v in env.items() if _SECRET_NAME.search(k) and len(v) >= _MIN_SECRET_LEN}
    found.update(v for v in extra if v and len(v) >= _MIN_SECRET_LEN)
    return tuple(sorted(found, key=len, reverse=True))


class Redactor:
    """Replace known secret values and key-shaped strings with a mask."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = tuple(sorted(set(secrets), key=len, reverse=True))

    def add(self, *values: str) -> None:
        merged = set(self._secrets) | {v for v in values if v and len(v) >= _MIN_SECRET_LEN}
        self._secrets = tuple(sorted(merged, key=len, reverse=True))

    def __call__(self, text: str) -> str:
        for value in self._secrets:
            if value in text:
                text = text.replace(value, MASK)
        return _KEY_SHAPES.sub(MASK, text)

    def optional(self, text: str | None) -> str | None:
        return None if text is None else self(text)


def default_redactor() -> Redactor:
    return Redactor(secret_values())
