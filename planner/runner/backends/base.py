"""The one small interface every backend implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from planner.runner.model import CallRequest, CallResult


@runtime_checkable
class Backend(Protocol):
    """Something that turns a prompt into text.

    ``paid`` backends spend money, so the CLI asks before starting them.
    ``call`` raises :class:`planner.runner.model.BackendError` on failure, with
    ``retryable`` saying whether another attempt can help. The scheduler owns
    timeouts (it cancels ``call``) and retries; a backend tries exactly once.
    """

    name: str
    paid: bool

    async def call(self, request: CallRequest) -> CallResult: ...

    async def aclose(self) -> None: ...
