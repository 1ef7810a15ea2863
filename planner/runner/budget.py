"""The ``--max-cost`` ledger: reserve before a call, settle after it."""

from __future__ import annotations

import asyncio

# Float sums drift; a cent's millionth is far below any price step.
_EPS = 1e-9


class BudgetExhausted(Exception):
    """The next call cannot fit under the cap even with nothing else running."""


class Budget:
    """Spent plus reserved never exceeds ``limit``.

    A call reserves its worst-case cost before it starts and settles with its
    actual cost when it ends. A reservation that does not fit waits while
    other calls hold reservations (their actual cost may come in lower), and
    fails with :class:`BudgetExhausted` once nothing else is outstanding.
    """

    def __init__(self, limit: float | None, spent: float = 0.0) -> None:
        self.limit = limit
        self.spent = spent
        self.reserved = 0.0
        self._changed = asyncio.Condition()

    @property
    def available(self) -> float | None:
        return None if self.limit is None else self.limit - self.spent - self.reserved

    def fits(self, amount: float) -> bool:
        return self.limit is None or self.spent + self.reserved + amount <= self.limit + _EPS

    async def reserve(self, amount: float) -> None:
        async with self._changed:
            while not self.fits(amount):
                if self.reserved <= _EPS:
                    raise BudgetExhausted(
                        f"its next call may cost up to ${amount:.4f} (prompt plus max_tokens at the "
                        f"tier's prices) and ${self.spent:.4f} of ${self.limit:.4f} is already spent"
                    )
                await self._changed.wait()
            self.reserved += amount

    async def settle(self, reserved: float, actual: float) -> None:
        async with self._changed:
            self.settle_now(reserved, actual)
            self._changed.notify_all()

    def settle_now(self, reserved: float, actual: float) -> None:
        """Settle without waking waiters (for cancellation paths, where nothing may await)."""
        self.reserved = max(self.reserved - reserved, 0.0)
        self.spent += actual
