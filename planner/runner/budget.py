"""The ``--max-cost`` ledger: reserve before a call, settle after it.

What a call settles at is decided by :func:`book`, never taken straight from
a backend: a server or gateway can report usage that is wrong (more than the
call could cost, cache counts, negative or non-numbers), and a ledger that
believed it could pass the cap, or hand back budget that was spent.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass

from planner.runner import defaults
from planner.runner.model import BackendError, CallResult

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
        # Callers book through book(); this guard keeps the ledger sane whatever they pass.
        self.spent += actual if math.isfinite(actual) and actual >= 0 else reserved


# Token counts above this cannot be stored exactly in the journal (SQLite
# integers) or in JSON numbers; no real call comes near it.
_MAX_TOKENS = 2**53


@dataclass(frozen=True)
class Booking:
    """What the ledger and the journal record for one call."""

    cost: float
    input_tokens: int = 0
    output_tokens: int = 0
    # False when the cost is the call's reservation (its worst case), not a measurement.
    measured: bool = True
    warning: str | None = None


def _tokens(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_TOKENS:
        return None
    return value


def valid_cost(value: object) -> float | None:
    """``value`` as a cost in USD, or None when it is not a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and number >= 0 else None


def book(result: CallResult, reserved: float) -> Booking:
    """What a successful call costs the budget.

    * no usage (``cost_known`` False): the reservation, labelled as booked;
    * usage that cannot be right (negative, not a number, unreadable): the
      reservation, with a warning;
    * a cost above the reservation from one API call, which cannot happen
      (input tokens are at most the prompt's bytes, output at most
      max_tokens): the reservation, with a warning, so an over-reporting
      gateway cannot push spend past the cap;
    * a tool's own total (``cost_unbounded``) above the reservation: booked as
      reported with a warning (it is real money, and the budget stops the
      next call), unless it is beyond belief (``max_reported_call_usd``).
    """
    tin, tout = _tokens(result.input_tokens), _tokens(result.output_tokens)
    tokens_ok = tin is not None and tout is not None
    tin, tout = tin or 0, tout or 0
    if not result.cost_known and result.usage_note is None:
        return Booking(reserved, tin, tout, measured=False)
    cost = valid_cost(result.cost_usd) if result.cost_known else None
    problem = result.usage_note
    if problem is None and (cost is None or not tokens_ok):
        shown = (
            f"{result.input_tokens!r} in, {result.output_tokens!r} out, cost {result.cost_usd!r}"
        )
        problem = f"the reply reports usage that cannot be right ({shown})"
    if problem is not None or cost is None:
        return Booking(
            reserved,
            tin,
            tout,
            measured=False,
            warning=f"{problem}; booked at its reservation, ${reserved:.4f}",
        )
    if cost <= reserved + _EPS:
        return Booking(cost, tin, tout)
    if result.cost_unbounded and cost <= defaults.MAX_REPORTED_CALL_USD:
        return Booking(
            cost,
            tin,
            tout,
            warning=(
                f"the command reports ${cost:.4f} for this call, above the ${reserved:.4f} "
                "reserved for it; booked as reported (bound each call with the tool's own "
                "limits, for example claude's --max-turns)"
            ),
        )
    return Booking(
        reserved,
        tin,
        tout,
        measured=False,
        warning=(
            f"the reply reports usage worth ${cost:.4f}, more than one call can cost "
            f"(${reserved:.4f}: the prompt plus max_tokens at the tier's prices); "
            f"booked at ${reserved:.4f}"
        ),
    )


def charge_for_error(error: BackendError, reserved: float, paid: bool) -> Booking:
    """What a failed call costs the budget.

    What the tool says it spent (an agent CLI reports its spend even when it
    fails), else the call's reservation when it may have been billed (a paid
    call that timed out after it was sent), else nothing. Both engines settle
    failed calls with this.
    """
    if error.cost_usd is not None:
        return book(CallResult("", cost_usd=error.cost_usd, cost_unbounded=True), reserved)
    if error.maybe_billed and paid:
        return Booking(reserved, measured=False)
    return Booking(0.0)
