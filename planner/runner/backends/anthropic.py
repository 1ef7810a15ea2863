"""The Anthropic Messages API through the official SDK (optional extra).

The SDK's own retries are switched off (``max_retries=0``): the scheduler's
policy decides, so that budget, journal and progress see every attempt.
``ANTHROPIC_BASE_URL`` is honoured by the SDK itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.config import Tier
from planner.errors import InputError, PlannerError
from planner.plan.estimate import price
from planner.runner.model import BackendError, CallRequest, CallResult
from planner.runner.retry import parse_retry_after

# Statuses another attempt can fix: request timeout, conflict, rate limit,
# and server-side trouble (5xx, 529 overloaded). Everything else in 4xx
# (bad request, authentication, permission, payment or spend limit, not
# found, too large) will fail the same way again.
_HEALING = frozenset({408, 409, 429})
# Messages that mean money ran out whatever the status code says.
_SPEND_WORDS = ("credit balance", "spend limit", "usage limit", "billing")

INSTALL_HINT = (
    "the anthropic backend needs the optional extra: pip install 'pattern-planner[anthropic]'"
)
# The SDK reads either; without one every call fails with the same 401-like error.
_KEY_VARIABLES = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")


def check_credentials(api_key: str | None) -> None:
    """The SDK is installed and a key is given or set in the environment (else exit 2)."""
    try:
        import anthropic  # noqa: F401
    except ImportError:
        raise PlannerError(INSTALL_HINT) from None
    if api_key or any(os.environ.get(name) for name in _KEY_VARIABLES):
        return
    raise InputError(
        "the anthropic backend needs an API key: set ANTHROPIC_API_KEY (or pass api_key=...)"
    )


@dataclass
class AnthropicBackend:
    tiers: Mapping[str, Tier]
    api_key: str | None = None
    base_url: str | None = None
    name: str = "anthropic"
    paid: bool = True
    _client: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        try:
            import anthropic  # noqa: F401
        except ImportError:
            raise PlannerError(INSTALL_HINT) from None
        if self.api_key is None:
            self.api_key = os.environ.get("ANTHROPIC_API_KEY") or None

    def _make_client(self) -> Any:
        import anthropic

        try:
            return anthropic.AsyncAnthropic(
                api_key=self.api_key, base_url=self.base_url, max_retries=0
            )
        except anthropic.AnthropicError as exc:
            raise BackendError(
                f"cannot set up the Anthropic client: {exc}", retryable=False
            ) from None

    async def call(self, request: CallRequest) -> CallResult:
        import anthropic

        if self._client is None:
            self._client = self._make_client()
        try:
            tier = self.tiers.get(request.tier)
            message = await self._client.messages.create(
                # A gateway may know the model by another name (the tier table's models.anthropic).
                model=tier.model_for("anthropic") if tier is not None else request.model,
                max_tokens=request.max_tokens,
                messages=[{"role": "user", "content": request.prompt}],
                timeout=request.timeout_s,
            )
        except anthropic.APITimeoutError:
            raise BackendError(
                f"no response within {request.timeout_s:g} s", retryable=True, maybe_billed=True
            ) from None
        except anthropic.APIConnectionError as exc:
            raise BackendError(f"connection failed: {exc}", retryable=True) from None
        except anthropic.APIStatusError as exc:
            raise _status_error(exc) from None
        except (anthropic.APIResponseValidationError, ValueError) as exc:
            # The server answered (and may have billed the call), but not readably:
            # a body that is not JSON reaches us as the SDK's JSONDecodeError.
            raise BackendError(
                f"the reply could not be read ({type(exc).__name__}: {exc})",
                retryable=False,
                maybe_billed=True,
            ) from None
        except anthropic.AnthropicError as exc:
            raise BackendError(f"{type(exc).__name__}: {exc}", retryable=False) from None
        return _reply(message, self.tiers.get(request.tier))

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None


def _reply(message: Any, tier: Tier | None) -> CallResult:
    """Text and usage from a Messages reply, trusting nothing in it.

    The SDK builds replies without validating them, so a gateway's body can
    put anything in any field. A reply with no readable content fails the
    call (it may have been billed: booked at its worst case); usage that is
    missing or not a count of tokens is booked at the worst case, with a note.
    """
    content = getattr(message, "content", None)
    if not isinstance(content, list):
        raise BackendError(
            f"the reply could not be read (no message content: {str(message)[:80]!r})",
            retryable=False,
            maybe_billed=True,
        )
    text = "".join(
        block_text
        for block in content
        if isinstance(block_text := getattr(block, "text", None), str)
    )
    truncated = getattr(message, "stop_reason", None) == "max_tokens"
    usage = getattr(message, "usage", None)
    names = (
        "input_tokens",
        "output_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
    )
    raw: dict[str, Any] = {name: getattr(usage, name, None) for name in names}
    # Cache counts are optional (None when no cache was used); the two main ones are not.
    for name in names[2:]:
        if raw[name] is None:
            raw[name] = 0
    counts = {
        name: value
        for name, value in raw.items()
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0
    }
    if usage is None or len(counts) < len(names) or tier is None:
        bad = ", ".join(f"{name}={value!r}" for name, value in raw.items() if name not in counts)
        why = "no usage" if usage is None else bad or "no price for the tier"
        return CallResult(
            text,
            truncated=truncated,
            cost_known=False,
            usage_note=f"the reply's usage is unusable ({why})",
        )
    # Cache reads and writes are billed around the input price; this backend
    # sets no cache breakpoints, so they are normally zero. A reply that counts
    # more than the call could cost is clamped when it is booked.
    input_tokens = (
        counts["input_tokens"]
        + counts["cache_creation_input_tokens"]
        + counts["cache_read_input_tokens"]
    )
    output_tokens = counts["output_tokens"]
    cost = price(tier, input_tokens, output_tokens)
    return CallResult(text, input_tokens, output_tokens, cost, truncated=truncated)


def _status_error(exc: Any) -> BackendError:
    status = int(exc.status_code)
    detail = exc.api_message or exc.type or "error"
    text = f"HTTP {status} from the API: {detail}"
    spend = any(w in str(detail).lower() for w in _SPEND_WORDS)
    retryable = (status in _HEALING or status >= 500) and not spend
    retry_after = parse_retry_after(exc.response.headers) if retryable else None
    return BackendError(text, retryable=retryable, retry_after=retry_after)
