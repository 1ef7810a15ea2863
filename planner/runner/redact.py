"""Keep credentials out of everything the runner writes or prints.

The plan's task and prompts, outputs, error messages, events, the journal,
``planner runs`` and the dry run all pass through :func:`Redactor.__call__`.
It hides the values of credential-looking environment variables, and
anything shaped like a key or token (:data:`SHAPES`), so a key pasted into a
task, or echoed back by a server, a command or an exception message, never
reaches disk or the terminal. What is sent to the model is not changed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping

_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL", re.IGNORECASE)
# Shorter values are too likely to be ordinary words or numbers.
_MIN_SECRET_LEN = 8
MASK = "[redacted]"


def _looks_random(value: str) -> bool:
    """A value assigned to a credential-named key that looks like a secret, not a word.

    Digits, or mixed case in a long value: 'hunter22', 'CorrectHorseBatteryStaple'
    and 'AKxy...' are hidden; 'password: required' and 'secret: simplicity' are prose.
    """
    if len(value) < _MIN_SECRET_LEN:
        return False
    if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
        return True
    return len(value) >= 16 and any(c.isupper() for c in value) and any(c.islower() for c in value)


def _whole(match: re.Match[str]) -> str:
    return MASK


def _mask_group(match: re.Match[str], group: str) -> str:
    """The match with only ``group`` masked."""
    start, end = match.span(group)
    base = match.start()
    whole = match.group(0)
    return whole[: start - base] + MASK + whole[end - base :]


def _value_group(match: re.Match[str]) -> str:
    """Mask the ``value`` group, when it looks random (see :func:`_looks_random`)."""
    return _mask_group(match, "value") if _looks_random(match.group("value")) else match.group(0)


# (name, pattern, replacement): every shape a test in tests/test_run_redact.py covers.
# Lengths are the documented or observed minimums of each vendor's format, so
# that ordinary words such as 'sk-learn' or 'ghost_writer' are left alone.
SHAPES: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        "private key block",
        re.compile(
            r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?-----END [A-Z0-9 ]*PRIVATE KEY-----", re.S
        ),
        _whole,
    ),
    ("Anthropic key", re.compile(r"sk-ant-[A-Za-z0-9_\-]{8,}"), _whole),
    (
        "OpenAI key",
        re.compile(r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{20,}|\bsk-[A-Za-z0-9]{20,}"),
        _whole,
    ),
    ("AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"), _whole),
    (
        "GitHub token",
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
        _whole,
    ),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_\-]{35}"), _whole),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), _whole),
    ("Stripe key", re.compile(r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}"), _whole),
    ("Hugging Face token", re.compile(r"\bhf_[A-Za-z0-9]{30,}"), _whole),
    (
        "JSON web token",
        re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
        _whole,
    ),
    (
        "bearer token",
        re.compile(r"\b(?:Bearer|Basic|Token)\s+(?P<value>[A-Za-z0-9\-._~+/]{16,}=*)"),
        _value_group,
    ),
    (
        "password in a URL",
        re.compile(r"://[^/\s:@]{1,256}:(?P<value>[^/\s@]{1,256})@"),
        lambda m: _mask_group(m, "value"),
    ),
    (
        "credential assignment",
        # Any 'name = value' or 'name: value' (quoted or not, as in JSON); the
        # name is judged afterwards (:func:`_assignment`). Anchored at the start
        # of a name and bounded, so even a megabyte of prose takes linear time.
        re.compile(
            r"(?<![A-Za-z0-9_.-])[\"']?(?P<name>[A-Za-z0-9_.-]{1,64})[\"']?\s*(?P<sep>[:=])"
            r"\s*[\"']?(?P<value>[^\s\"'`,;&<>]+)"
        ),
        lambda m: _assignment(m),
    ),
)

# Names a credential goes by: ending in one of these words (any case), an
# upper-case environment variable ending in _KEY, or a bare 'key' with '='.
_CRED_NAME = re.compile(
    r"(?i:.*(?:api[_-]?key|apikey|secret|secret[_-]?key|access[_-]?key|private[_-]?key|token"
    r"|passw(?:or)?d|pwd|passphrase|credentials?))\Z|[A-Z0-9_]*_KEY\Z"
)


def _assignment(match: re.Match[str]) -> str:
    name = match.group("name")
    credential = _CRED_NAME.match(name) is not None or (
        name.lower() == "key" and match.group("sep") == "="
    )
    return _value_group(match) if credential else match.group(0)


# Text every match of a shape contains: most text holds none of them, and a
# substring test is far cheaper than a regex pass (every step's output, error
# and event goes through here).
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "private key block": ("PRIVATE KEY",),
    "Anthropic key": ("sk-ant-",),
    "OpenAI key": ("sk-",),
    "AWS access key id": ("AKIA", "ASIA"),
    "GitHub token": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    "Google API key": ("AIza",),
    "Slack token": ("xox",),
    "Stripe key": ("_live_", "_test_"),
    "Hugging Face token": ("hf_",),
    "JSON web token": ("eyJ",),
    "bearer token": ("Bearer", "Basic", "Token"),
    "password in a URL": ("://",),
    "credential assignment": (":", "="),
}


def mask_shapes(text: str) -> str:
    """``text`` with every key-shaped string (:data:`SHAPES`) replaced by the mask."""
    for name, pattern, replace in SHAPES:
        if any(trigger in text for trigger in _TRIGGERS[name]):
            text = pattern.sub(replace, text)
    return text


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
        return mask_shapes(text)

    def optional(self, text: str | None) -> str | None:
        return None if text is None else self(text)


def default_redactor() -> Redactor:
    return Redactor(secret_values())
