"""The asyncio scheduler: start each step as soon as its dependencies are done.

Limits: a global slot count (``max_parallel``) and one per tier (a fan-out of
many cheap agents all draws on one model's rate bucket). Ready steps queue by
the length of the path still ahead of them, so the critical path starts first.
A failure stays local: independent branches carry on, and every step that
depends on the failed one, directly or not, is marked skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import random
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.config import Config
from planner.errors import PlannerError
from planner.plan.model import Plan, Step
from planner.runner import defaults
from planner.runner.backends.base import Backend
from planner.runner.budget import Booking, Budget, BudgetExhausted, book, charge_for_error
from planner.runner.estimate import StepCost, ceiling_usd
from planner.runner.journal import Journal, StepRow
from planner.runner.model import (
    DONE,
    FAILED,
    PENDING,
    RUN_BUDGET,
    RUN_DONE,
    RUN_FAILED,
    RUNNING,
    SKIPPED,
    BackendError,
    CallRequest,
)
from planner.runner.paths import output_file
from planner.runner.prompt import build_prompt
from planner.runner.redact import Redactor
from planner.runner.retry import RetryPolicy
from planner.runner.rounds import (
    FAIL,
    REPAIR,
    bound_of,
    fan_out_error,
    fan_out_output,
    item_id,
    item_step,
    judge,
    repair_warning,
)

Emit = Callable[[dict[str, Any]], None]
_NOT_STARTED = "not-started"


@dataclass(frozen=True)
class Limits:
    max_parallel: int = 20
    tier_limits: Mapping[str, int] = field(default_factory=dict)
    default_timeout_s: float = defaults.TIMEOUT_S
    default_max_tokens: int = defaults.MAX_TOKENS
    until_max_rounds: int = defaults.UNTIL_MAX_ROUNDS


class Scheduler:
    """Runs the pending steps of one journaled run."""

    def __init__(
        self,
        *,
        plan: Plan,
        config: Config,
        backend: Backend,
        journal: Journal,
        run_id: str,
        rows: Mapping[str, StepRow],
        costs: Mapping[str, StepCost],
        limits: Limits,
        retry: RetryPolicy,
        budget: Budget,
        emit: Emit,
        redact: Redactor,
        out_dir: Path | None,
        rng: random.Random,
    ) -> None:
        self.plan = plan
        self.config = config
        self.backend = backend
        self.journal = journal
        self.run_id = run_id
        self.limits = limits
        self.retry = retry
        self.budget = budget
        self.emit = emit
        self.redact = redact
        self.out_dir = out_dir
        self.rng = rng
        self.steps = {s.id: s for s in plan.steps}
        self.rows = rows
        # Runs of for_each steps: item id -> (step id, item number from 1).
        self.item_of: dict[str, tuple[str, int]] = {}
        self.costs = dict(costs)
        self.status = {sid: rows[sid].status if sid in rows else PENDING for sid in self.steps}
        self.outputs = {
            sid: rows[sid].output or "" for sid in self.steps if self.status[sid] == DONE
        }
        self.children: dict[str, list[str]] = {sid: [] for sid in self.steps}
        for s in plan.steps:
            for d in s.depends_on:
                self.children[d].append(s.id)
        self.waiting = {
            sid: sum(1 for d in s.depends_on if self.status[d] != DONE)
            for sid, s in self.steps.items()
        }
        self.priority = self._remaining_path()
        self.tier_sems: dict[str, asyncio.Semaphore] = {}
        self.global_sem = asyncio.Semaphore(max(limits.max_parallel, 1))
        self.cooldown: dict[str, float] = {}
        self.spent = {sid: rows[sid].cost if sid in rows else 0.0 for sid in self.steps}
        # This run's part of each step's cost booked at a worst case (see budget.book).
        self.booked = dict.fromkeys(self.steps, 0.0)
        # Attempt numbers continue across resumes so every attempt row stays unique.
        self.prior_attempts = {sid: rows[sid].attempts if sid in rows else 0 for sid in self.steps}
        self.started_at: dict[str, float] = {}
        self._files: ThreadPoolExecutor | None = None
        self._file_jobs: list[tuple[Path, Future[None]]] = []
        self.stopping: str | None = None
        self.first_start: float | None = None
        self.last_finish: float | None = None

    # -- graph bookkeeping ----------------------------------------------------

    def _remaining_path(self) -> dict[str, float]:
        """Estimated seconds from a step's start to the end of its longest downstream path."""
        from planner.plan.graphcheck import topological_order

        order = topological_order(self.plan.ids, {s.id: s.depends_on for s in self.plan.steps})
        longest: dict[str, float] = {}
        for sid in reversed(order):
            own = self.costs[sid].seconds if sid in self.costs else 1.0
            longest[sid] = own + max((longest[c] for c in self.children[sid]), default=0.0)
        return longest

    def _tier_sem(self, tier: str) -> asyncio.Semaphore:
        sem = self.tier_sems.get(tier)
        if sem is None:
            limit = self.limits.tier_limits.get(tier, self.limits.max_parallel)
            sem = self.tier_sems[tier] = asyncio.Semaphore(max(limit, 1))
        return sem

    def _initially_ready(self) -> list[str]:
        return [sid for sid in self.steps if self.status[sid] == PENDING and self.waiting[sid] == 0]

    def _skip_downstream(self, root: str) -> None:
        """Mark every pending step that depends on ``root``, directly or not, as skipped."""
        reasons: dict[str, str] = {}
        stack = [(root, c) for c in self.children[root]]
        while stack:
            cause, sid = stack.pop()
            if self.status[sid] != PENDING or sid in reasons:
                continue
            reasons[sid] = (
                f"dependency '{cause}' {self.status[cause] if cause == root else SKIPPED}"
            )
            self.status[sid] = SKIPPED
            stack.extend((sid, c) for c in self.children[sid])
        if reasons:
            self.journal.skip_steps(self.run_id, reasons)
            for sid, why in reasons.items():
                self._emit("step_skipped", sid, reason=why)

    def _emit(self, kind: str, step_id: str | None = None, **data: Any) -> None:
        event: dict[str, Any] = {
            "event": kind,
            "time": round(time.time(), 3),
            "run_id": self.run_id,
        }
        if step_id is not None:
            event["step"] = step_id
            event["tier"] = self.costs[step_id].tier
        for key, value in data.items():
            event[key] = self.redact(value) if isinstance(value, str) else value
        self.emit(event)

    # -- the loop -------------------------------------------------------------

    async def execute(self) -> str:
        """Run until nothing more can start; returns the run state."""
        for sid in self.steps:
            if self.status[sid] in (FAILED, SKIPPED):
                self._skip_downstream(sid)
        tasks: set[asyncio.Task[None]] = set()
        finished: asyncio.Queue[tuple[str, str]] = asyncio.Queue()

        crashed: list[BaseException] = []

        async def worker(sid: str) -> None:
            outcome = "crash"
            try:
                outcome = await self._run_step(sid)
            except Exception as exc:  # journal or disk trouble: stop the run, keep the cause
                crashed.append(exc)
            finally:
                finished.put_nowait((sid, outcome))

        def launch(ids: list[str]) -> None:
            for sid in sorted(ids, key=lambda s: -self.priority[s]):
                task = asyncio.create_task(worker(sid), name=f"step:{sid}")
                tasks.add(task)
                task.add_done_callback(tasks.discard)

        launch(self._initially_ready())
        outstanding = len(tasks)
        try:
            while outstanding:
                sid, outcome = await finished.get()
                outstanding -= 1
                if crashed:
                    raise crashed[0]
                ready: list[str] = []
                if outcome == DONE:
                    for child in self.children[sid]:
                        self.waiting[child] -= 1
                        if self.waiting[child] == 0 and self.status[child] == PENDING:
                            ready.append(child)
                elif outcome == FAILED:
                    self._skip_downstream(sid)
                if ready and not self.stopping:
                    launch(ready)
                    outstanding += len(ready)
        except BaseException:
            running = list(tasks)
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            raise
        if self.stopping:
            return RUN_BUDGET
        if all(s == DONE for s in self.status.values()):
            return RUN_DONE
        return RUN_FAILED

    async def _run_step(self, sid: str) -> str:
        cost = self.costs[sid]
        step = self.steps[sid]
        if step.for_each is not None:
            # Its items take the slots, one each (see _fan_out).
            return await self._fan_out(step, cost)
        async with self._tier_sem(cost.tier), self.global_sem:
            if self.stopping:
                return _NOT_STARTED
            return await self._execute_step(step, cost)

    async def _produce(
        self,
        step: Step,
        cost: StepCost,
        inputs: list[tuple[str, str]],
        item: tuple[int, int, str] | None = None,
    ) -> _Made:
        """Every round of one step (or one item of a for_each step), with its output contract:
        a reply that does not satisfy ``output`` is asked for once more with the reason."""
        sid = step.id
        bound = bound_of(step, self.limits.until_max_rounds)
        previous: str | None = None
        repair: str | None = None
        text = ""
        rounds = 0
        attempts = self.prior_attempts[sid]
        round_no = 1
        while round_no <= bound:
            prompt = build_prompt(
                self.plan, step, inputs, round_no=round_no, previous=previous, item=item, repair=repair
            )
            outcome = await self._call_with_retries(step, cost, prompt, round_no, attempts)
            attempts = outcome.attempts
            if outcome.error is not None:
                return _Made(FAILED, error=outcome.error, rounds=rounds, attempts=attempts)
            if outcome.budget_stop:
                return _Made(_NOT_STARTED, rounds=rounds, attempts=attempts)
            verdict = judge(step, outcome.text, round_no=round_no, bound=bound, repairing=repair is not None)
            if verdict.kind == REPAIR:
                repair = verdict.text
                self._emit("warning", self._owner(sid), message=repair_warning(sid, verdict.text))
                continue
            if verdict.kind == FAIL:
                return _Made(FAILED, error=verdict.text, rounds=rounds, attempts=attempts)
            repair = None
            rounds = round_no
            text = previous = verdict.text
            if verdict.kind == DONE:
                break
            round_no += 1
        return _Made(DONE, text=text, rounds=rounds, attempts=attempts)

    def _owner(self, sid: str) -> str:
        """The plan step an id belongs to (itself, or the step of an item)."""
        return self.item_of[sid][0] if sid in self.item_of else sid

    async def _execute_step(self, step: Step, cost: StepCost) -> str:
        sid = step.id
        inputs = [(d, self.outputs.get(d, "")) for d in step.depends_on]
        try:
            made = await self._produce(step, cost, inputs)
        except asyncio.CancelledError:
            if sid in self.started_at:
                self.status[sid] = PENDING
                self.journal.release_step(self.run_id, sid)
                self.journal.flush()
                self._emit("step_interrupted", sid)
            raise
        rounds, attempts, text = made.rounds, made.attempts, made.text
        if made.status == FAILED:
            return await self._fail(step, made.error or "failed", rounds, attempts)
        if made.status == _NOT_STARTED:
            if sid in self.started_at:
                self.status[sid] = PENDING
                self.journal.release_step(self.run_id, sid)
                await self.journal.commit()
            return _NOT_STARTED
        started = self.started_at[sid]
        path = self._write_output(sid, text)
        self.journal.finish_step(
            self.run_id, sid, status=DONE, output=text, output_path=path, rounds=rounds
        )
        await self.journal.commit()
        self.status[sid] = DONE
        self.outputs[sid] = text
        self.last_finish = time.perf_counter()
        self._emit(
            "step_done",
            sid,
            rounds=rounds,
            attempts=attempts,
            cost_usd=round(self.spent[sid], 6),
            booked=self.booked[sid] > 0,
            seconds=round(self.last_finish - started, 3),
            spent_usd=round(self.budget.spent, 6),
        )
        return DONE

    async def _fan_out(self, step: Step, cost: StepCost) -> str:
        """Run a for_each step once per item of its source's JSON list.

        Every item is a row of its own in the journal (``STEP[N]``), committed
        with its output when it finishes, so a resume runs only the items not
        done. Items take one slot each of the run's limits, and at most the
        step's own ``max_parallel`` run at once. The step's output is the JSON
        list of its items' results, in item order.
        """
        from planner.plan.contracts import item_text, items_of

        assert step.for_each is not None
        sid = step.id
        source = step.for_each.source
        try:
            items = items_of(self.outputs.get(source, ""))
        except ValueError as exc:
            return await self._fail(step, f"for_each: the output of '{source}' is not a JSON list ({exc})", 0, 0)
        ids = [item_id(sid, n) for n in range(1, len(items) + 1)]
        for n, iid in enumerate(ids, start=1):
            self.item_of[iid] = (sid, n)
            self.costs[iid] = cost
            row = self.rows.get(iid)
            self.spent[iid] = row.cost if row else 0.0
            self.booked[iid] = 0.0
            self.prior_attempts[iid] = row.attempts if row else 0
        self.journal.add_items(self.run_id, sid, ids, cost.tier, cost.model)
        await self.journal.commit()
        results: dict[int, str] = {
            n: row.output or ""
            for n, iid in enumerate(ids, start=1)
            if (row := self.rows.get(iid)) is not None and row.status == DONE
        }
        inputs = [(d, self.outputs.get(d, "")) for d in step.depends_on if d != source]
        limit = asyncio.Semaphore(step.for_each.max_parallel or max(len(items), 1))
        errors: dict[int, str] = {}
        stopped = False

        async def one(n: int) -> None:
            nonlocal stopped
            iid = ids[n - 1]
            async with limit, self._tier_sem(cost.tier), self.global_sem:
                if self.stopping:
                    stopped = True
                    return
                istep = item_step(step, iid)
                try:
                    made = await self._produce(istep, cost, inputs, item=(n, len(items), item_text(items[n - 1])))
                except asyncio.CancelledError:
                    if iid in self.started_at:
                        self.journal.release_step(self.run_id, iid)
                        self.journal.flush()
                    raise
                self.prior_attempts[iid] = made.attempts
                if made.status == DONE:
                    self.journal.finish_step(self.run_id, iid, status=DONE, output=made.text, rounds=made.rounds)
                    await self.journal.commit()
                    results[n] = made.text
                    self._emit("item_done", sid, item=n, cost_usd=round(self.spent[iid], 6))
                elif made.status == FAILED:
                    error = made.error or "failed"
                    self.journal.finish_step(self.run_id, iid, status=FAILED, error=error, rounds=made.rounds)
                    await self.journal.commit()
                    errors[n] = error
                    self._emit("item_failed", sid, item=n, error=error)
                else:
                    stopped = True
                    if iid in self.started_at:
                        self.journal.release_step(self.run_id, iid)
                        await self.journal.commit()

        try:
            await asyncio.gather(*(one(n) for n in range(1, len(items) + 1) if n not in results))
        except asyncio.CancelledError:
            if sid in self.started_at:
                self.status[sid] = PENDING
                self.journal.release_step(self.run_id, sid)
                self.journal.flush()
                self._emit("step_interrupted", sid)
            raise
        attempts = sum(self.prior_attempts[i] for i in ids)
        if errors:
            return await self._fail(step, fan_out_error(errors, len(items)), 1, attempts)
        if stopped and len(results) < len(items):
            if sid in self.started_at:
                self.status[sid] = PENDING
                self.journal.release_step(self.run_id, sid)
                await self.journal.commit()
            return _NOT_STARTED
        if sid not in self.started_at:  # every item was done before a resume
            self._mark_started(step, cost)
        text = fan_out_output([results[n] for n in range(1, len(items) + 1)], step.output is not None)
        started = self.started_at[sid]
        path = self._write_output(sid, text)
        self.journal.finish_step(self.run_id, sid, status=DONE, output=text, output_path=path, rounds=1)
        await self.journal.commit()
        self.status[sid] = DONE
        self.outputs[sid] = text
        self.last_finish = time.perf_counter()
        self._emit(
            "step_done",
            sid,
            rounds=1,
            items=len(items),
            attempts=attempts,
            cost_usd=round(sum(self.spent[i] for i in ids), 6),
            booked=any(self.booked[i] > 0 for i in ids),
            seconds=round(self.last_finish - started, 3),
            spent_usd=round(self.budget.spent, 6),
        )
        return DONE

    def _mark_started(self, step: Step, cost: StepCost) -> None:
        """A step starts when its first call has its budget: not before."""
        now = time.perf_counter()
        self.started_at[step.id] = now
        if step.id in self.item_of:
            parent, number = self.item_of[step.id]
            self.journal.start_step(self.run_id, step.id, time.time())
            if parent not in self.started_at:
                self._mark_started(self.steps[parent], cost)
            self._emit("item_start", parent, item=number, model=cost.model)
            return
        if self.first_start is None:
            self.first_start = now
        self.status[step.id] = RUNNING
        self.journal.start_step(self.run_id, step.id, time.time())
        self._emit("step_start", step.id, model=cost.model)

    async def _fail(self, step: Step, error: str, rounds: int, attempts: int) -> str:
        self.journal.finish_step(self.run_id, step.id, status=FAILED, error=error, rounds=rounds)
        await self.journal.commit()
        self.status[step.id] = FAILED
        self.last_finish = time.perf_counter()
        self._emit("step_failed", step.id, error=error, attempts=attempts)
        return FAILED

    def _write_output(self, sid: str, text: str) -> str | None:
        """Queue the step's output file; returns its path.

        The journal, committed with the step's completion, is the record; the
        file is a copy written by a background thread so that slow file
        creation never holds up dependents. A resume rewrites any file that a
        crash left missing or incomplete.
        """
        if self.out_dir is None:
            return None
        if self._files is None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            # Two threads: creating a file mostly waits on the file system, and more
            # threads would compete with the event loop for the CPU in bursts.
            self._files = ThreadPoolExecutor(max_workers=2, thread_name_prefix="planner-output")
        final = output_file(self.out_dir, sid)
        self._file_jobs.append((final, self._files.submit(write_output_file, final, text)))
        return str(final)

    def finish_files(self) -> None:
        """Wait for queued output files; raise the first write error."""
        if self._files is None:
            return
        self._files.shutdown(wait=True)
        self._files = None
        jobs, self._file_jobs = self._file_jobs, []
        for path, job in jobs:
            try:
                job.result()
            except OSError as exc:
                raise PlannerError(
                    f"{path}: cannot write the output file: {exc.strerror or exc}; finished "
                    f"steps' outputs are in the journal: see 'planner runs show {self.run_id} --outputs'"
                ) from None

    async def _call_with_retries(
        self, step: Step, cost: StepCost, prompt: str, round_no: int, attempts: int
    ) -> _CallOutcome:
        tier = self.config.tiers[cost.tier]
        max_tokens = step.max_tokens or self.limits.default_max_tokens
        timeout = step.timeout_s or self.limits.default_timeout_s
        ceiling = ceiling_usd(tier, prompt, max_tokens)
        tries = 0
        while True:
            tries += 1
            attempts += 1
            wait = self.cooldown.get(cost.tier, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                await self.budget.reserve(ceiling)
            except BudgetExhausted as exc:
                if not self.stopping:
                    verb = "continue" if step.id in self.started_at else "start"
                    self.stopping = self.redact(f"step '{step.id}' could not {verb}: {exc}")
                    self._emit("budget_stop", step.id, reason=self.redact(str(exc)))
                return _CallOutcome(attempts=attempts - 1, budget_stop=True)
            if step.id not in self.started_at:
                self._mark_started(step, cost)
            request = CallRequest(
                step_id=step.id,
                tier=cost.tier,
                model=cost.model,
                prompt=prompt,
                max_tokens=max_tokens,
                timeout_s=timeout,
                round=round_no,
                attempt=attempts,
                wants_status=step.until is not None,
                output_schema=step.output,
            )
            self.journal.start_attempt(self.run_id, step.id, attempts, round_no, ceiling)
            try:
                if self.backend.paid:
                    # The attempt is on disk before any money can be spent on it,
                    # so a crash mid-call is booked on resume. A free backend's
                    # attempt rides along with the next commit instead.
                    await self.journal.commit()
                result = await asyncio.wait_for(self.backend.call(request), timeout)
            except asyncio.CancelledError:
                charged = ceiling if self.backend.paid else 0.0
                self.journal.end_attempt(
                    self.run_id,
                    step.id,
                    attempts,
                    status="interrupted",
                    cost=charged,
                    booked=True,
                )
                self.journal.flush()
                self.budget.settle_now(ceiling, charged)
                raise
            except TimeoutError:
                error = BackendError(
                    f"no reply within {timeout:g} s", retryable=True, maybe_billed=True
                )
            except BackendError as exc:
                error = exc
            except Exception as exc:
                # A backend bug, or a reply it could not read, fails this step, not
                # the run; a paid call may have been billed all the same.
                error = BackendError(
                    f"{type(exc).__name__}: {exc}", retryable=False, maybe_billed=True
                )
            else:
                booking = book(result, ceiling)
                self.journal.end_attempt(
                    self.run_id,
                    step.id,
                    attempts,
                    status="ok",
                    cost=booking.cost,
                    input_tokens=booking.input_tokens,
                    output_tokens=booking.output_tokens,
                    booked=not booking.measured,
                )
                await self.budget.settle(ceiling, booking.cost)
                self.spent[step.id] += booking.cost
                if not booking.measured:
                    self.booked[step.id] += booking.cost
                if booking.warning:
                    self._emit("warning", step.id, message=booking.warning)
                if result.truncated:
                    self._emit(
                        "warning",
                        step.id,
                        message=f"the reply was cut at max_tokens ({max_tokens}); raise it in the plan if that matters",
                    )
                text = result.text if isinstance(result.text, str) else str(result.text)
                return _CallOutcome(attempts=attempts, text=self.redact(text))
            charge = self._error_charge(error, ceiling)
            message = self.redact(error.message)
            self.journal.end_attempt(
                self.run_id,
                step.id,
                attempts,
                status="error",
                cost=charge.cost,
                error=message,
                booked=not charge.measured,
            )
            await self.budget.settle(ceiling, charge.cost)
            self.spent[step.id] += charge.cost
            if not charge.measured:
                self.booked[step.id] += charge.cost
            if charge.warning:
                self._emit("warning", step.id, message=charge.warning)
            if error.retry_after is not None and math.isfinite(error.retry_after):
                until = time.monotonic() + error.retry_after
                self.cooldown[cost.tier] = max(self.cooldown.get(cost.tier, 0.0), until)
            if not self.retry.should_retry(tries, error.retryable, error.retry_after):
                why = (
                    ""
                    if error.retryable
                    else " (not retried: another attempt would fail the same way)"
                )
                if error.retryable and tries > self.retry.retries:
                    why = f" (after {tries} attempts)"
                return _CallOutcome(attempts=attempts, error=message + why)
            delay = self.retry.delay(tries, error.retry_after, self.rng)
            self._emit("retry", step.id, attempt=attempts, error=message, delay_s=round(delay, 3))
            await asyncio.sleep(delay)

    def _error_charge(self, error: BackendError, ceiling: float) -> Booking:
        """What a failed call costs (shared with the dbos engine: budget.charge_for_error)."""
        return charge_for_error(error, ceiling, self.backend.paid)


def write_output_file(path: Path, text: str) -> None:
    """Write a step's output file atomically.

    A temporary file renamed into place means an output file, once it exists,
    is always complete: someone reading the run folder after a crash never sees
    half an answer. Files a crash lost are rewritten from the journal on resume.
    """
    tmp = path.with_name(f".{path.name}.tmp")
    # A leftover temporary file (or a link planted in its place) is removed,
    # never written through: the new one is created exclusively.
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        with open(os.open(tmp, flags, 0o600), "w", encoding="utf-8", errors="surrogatepass") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)  # a full disk must not keep half a file
        raise


@dataclass(frozen=True)
class _Made:
    """What the rounds of one step (or item) came to: DONE, FAILED or not started (budget)."""

    status: str
    text: str = ""
    error: str | None = None
    rounds: int = 0
    attempts: int = 0


@dataclass(frozen=True)
class _CallOutcome:
    attempts: int
    text: str = ""
    error: str | None = None
    budget_stop: bool = False
