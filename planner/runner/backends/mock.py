"""A backend that calls nothing: deterministic text, simulated latency and failures.

Everything it does is a pure function of the seed, the step, the round and the
attempt, so a test or a what-if timing gives the same answer every time.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from planner.config import Tier
from planner.plan.estimate import price
from planner.runner.model import BackendError, CallRequest, CallResult
from planner.runner.prompt import CONTINUE_MARK, DONE_MARK


def _unit(*parts: object) -> float:
    """A stable number in [0, 1) from the parts."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass
class MockBackend:
    """Deterministic stand-in for a model.

    ``latency`` and ``failure_rate`` are per tier (key ``"*"`` for the rest).
    A failed attempt raises a retryable error, so retries can be exercised.
    Steps with a stop condition answer DONE from round ``done_after_rounds``.
    ``seconds`` overrides latency per step id (what-if timing from an estimate).
    """

    tiers: Mapping[str, Tier]
    latency: Mapping[str, float] = field(default_factory=dict)
    failure_rate: Mapping[str, float] = field(default_factory=dict)
    seconds: Mapping[str, float] = field(default_factory=dict)
    seed: int = 0
    done_after_rounds: int = 2
    name: str = "mock"
    paid: bool = False

    def _for_tier(self, table: Mapping[str, float], tier: str) -> float:
        return float(table.get(tier, table.get("*", 0.0)))

    async def call(self, request: CallRequest) -> CallResult:
        delay = self.seconds.get(request.step_id, self._for_tier(self.latency, request.tier))
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            await asyncio.sleep(0)
        rate = self._for_tier(self.failure_rate, request.tier)
        if rate > 0 and _unit(self.seed, request.step_id, request.round, request.attempt) < rate:
            raise BackendError(
                f"mock failure (tier {request.tier}, attempt {request.attempt})", retryable=True
            )
        digest = hashlib.sha256(request.prompt.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        text = f"[mock {request.model}] {request.step_id} round {request.round}: output {digest}\n"
        if request.wants_status:
            text += (DONE_MARK if request.round >= self.done_after_rounds else CONTINUE_MARK) + "\n"
        input_tokens = len(request.prompt.encode("utf-8", "surrogatepass")) // 4 + 1
        output_tokens = min(len(text) // 4 + 1, request.max_tokens)
        tier = self.tiers.get(request.tier)
        cost = price(tier, input_tokens, output_tokens) if tier else 0.0
        return CallResult(text, input_tokens, output_tokens, cost)

    async def aclose(self) -> None:
        return None
