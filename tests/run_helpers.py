"""Shared pieces for the runner tests: plans as text and a recording backend."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from planner.plan import Plan, parse_plan_text
from planner.runner.model import BackendError, CallRequest, CallResult


def plan_from(text: str) -> Plan:
    return parse_plan_text(text)


def steps_yaml(*lines: str) -> str:
    return "version: 1\ntask: test task\nsteps:\n" + "\n".join(lines) + "\n"


@dataclass
class Recorder:
    """A backend that records every call and answers from a script.

    ``script`` maps a step id to a callable (request -> CallResult or raising
    BackendError); unscripted steps answer ``out:<step>``.
    """

    latency: float = 0.0
    delays: dict[str, float] = field(default_factory=dict)
    script: dict[str, Callable[[CallRequest], CallResult]] = field(default_factory=dict)
    name: str = "recorder"
    paid: bool = False
    calls: list[CallRequest] = field(default_factory=list)
    times: list[tuple[str, float, float]] = field(default_factory=list)
    running: int = 0
    peak: int = 0
    peak_by_tier: dict[str, int] = field(default_factory=dict)
    _by_tier: dict[str, int] = field(default_factory=dict)

    async def call(self, request: CallRequest) -> CallResult:
        self.calls.append(request)
        self.running += 1
        self._by_tier[request.tier] = self._by_tier.get(request.tier, 0) + 1
        self.peak = max(self.peak, self.running)
        self.peak_by_tier[request.tier] = max(
            self.peak_by_tier.get(request.tier, 0), self._by_tier[request.tier]
        )
        start = time.monotonic()
        try:
            delay = self.delays.get(request.step_id, self.latency)
            if delay:
                await asyncio.sleep(delay)
            handler = self.script.get(request.step_id)
            if handler is not None:
                return handler(request)
            return CallResult(f"out:{request.step_id}", 10, 5, 0.001)
        finally:
            self.running -= 1
            self._by_tier[request.tier] -= 1
            self.times.append((request.step_id, start, time.monotonic()))

    async def aclose(self) -> None:
        return None

    def called(self) -> list[str]:
        return [c.step_id for c in self.calls]


def failing(message: str = "boom", *, retryable: bool = True, retry_after: float | None = None):  # type: ignore[no-untyped-def]
    def handler(request: CallRequest) -> CallResult:
        raise BackendError(message, retryable=retryable, retry_after=retry_after)

    return handler


def sequence(*outcomes: CallResult | BackendError) -> Callable[[CallRequest], CallResult]:
    """Answer each call with the next outcome (the last one repeats)."""
    items = list(outcomes)

    def handler(request: CallRequest) -> CallResult:
        item = items.pop(0) if len(items) > 1 else items[0]
        if isinstance(item, BackendError):
            raise item
        return item

    return handler
