"""Progress for people and machines.

* ``tty``: one live status line on a terminal (done / running / failed / cost),
  with failures and retries printed above it as they happen;
* ``plain``: one line per event, for logs and CI;
* ``jsonl``: one JSON object per event, for other tools.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable
from typing import Any, TextIO

from planner.runner.model import DONE, FAILED, SKIPPED


class JsonlReporter:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, event: dict[str, Any]) -> None:
        self.stream.write(json.dumps(event, ensure_ascii=False, sort_keys=False) + "\n")
        self.stream.flush()

    def close(self) -> None:
        return None


def describe(event: dict[str, Any]) -> str:
    """One human line for an event, safe for a terminal: errors quote servers and commands."""
    from planner.display import printable

    return printable(_describe(event))


def _describe(event: dict[str, Any]) -> str:
    kind = event["event"]
    step = event.get("step", "")
    tier = event.get("tier", "")
    if kind == "run_start":
        return (
            f"run {event['run_id']}: {event['steps']} steps on {event['backend']}"
            + (f", {event['resuming']} already done" if event.get("resuming") else "")
            + (
                f", budget ${event['max_cost_usd']:.4f}"
                if event.get("max_cost_usd") is not None
                else ""
            )
        )
    if kind == "step_start":
        return f"start   {step} ({tier}, {event.get('model', '')})"
    if kind == "step_done":
        return (
            f"done    {step} ({tier}) in {event.get('seconds', 0):.2f} s, "
            f"{event.get('rounds', 1)} round(s), ${event.get('cost_usd', 0):.4f}"
            + (" (booked at worst case)" if event.get("booked") else "")
        )
    if kind == "retry":
        return f"retry   {step} after {event.get('delay_s', 0):.2f} s: {event.get('error', '')}"
    if kind == "step_failed":
        return f"FAILED  {step}: {event.get('error', '')}"
    if kind == "step_skipped":
        return f"skipped {step}: {event.get('reason', '')}"
    if kind == "step_interrupted":
        return f"stopped {step} (interrupted; it will run again on resume)"
    if kind == "warning":
        return f"warning {step}: {event.get('message', '')}"
    if kind == "budget_stop":
        return f"budget  not starting {step}: {event.get('reason', '')}"
    if kind == "run_end":
        return (
            f"run {event['run_id']} {event['status']}: {event.get('done', 0)} done, "
            f"{event.get('failed', 0)} failed, {event.get('skipped', 0)} skipped, "
            f"{event.get('pending', 0)} not run; ${event.get('cost_usd', 0):.4f} spent"
            + (
                f", ${event['booked_usd']:.4f} of it booked at worst case"
                if event.get("booked_usd")
                else ""
            )
            + f" (estimated ${event.get('estimated_cost_usd', 0):.4f})"
        )
    return json.dumps(event)


class PlainReporter:
    """One line per event. Lines are written in small batches (every 50 ms, and
    at once for failures and the end of the run): a thousand-step run should
    not spend its time in write calls."""

    _URGENT = frozenset({"step_failed", "budget_stop", "run_end", "step_interrupted"})

    def __init__(self, stream: TextIO, interval_s: float = 0.05) -> None:
        self.stream = stream
        self.interval_s = interval_s
        self._lines: list[str] = []
        self._last = 0.0
        self._stamp_second = -1
        self._stamp = ""

    def __call__(self, event: dict[str, Any]) -> None:
        when = event.get("time", time.time())
        if int(when) != self._stamp_second:
            self._stamp_second = int(when)
            self._stamp = time.strftime("%H:%M:%S", time.localtime(when))
        self._lines.append(f"{self._stamp} {describe(event)}\n")
        now = time.monotonic()
        if event["event"] in self._URGENT or now - self._last >= self.interval_s:
            self._write()
            self._last = now

    def _write(self) -> None:
        if self._lines:
            self.stream.write("".join(self._lines))
            self._lines.clear()
            self.stream.flush()

    def close(self) -> None:
        self._write()


def _terminal_columns(stream: TextIO) -> int | None:
    try:
        return os.get_terminal_size(stream.fileno()).columns or None
    except (AttributeError, ValueError, OSError):
        return None


class TtyReporter:
    """A status line redrawn in place; noteworthy events scroll above it."""

    _NOTEWORTHY = frozenset(
        {"run_start", "step_failed", "step_skipped", "retry", "warning", "budget_stop", "run_end"}
    )
    _BAR, _MIN_BAR = 24, 6  # columns of the progress bar: full, and the least worth drawing

    def __init__(
        self,
        stream: TextIO,
        total: int = 0,
        done: int = 0,
        interval_s: float = 0.05,
        columns: Callable[[], int | None] | None = None,
    ) -> None:
        self.stream = stream
        # The terminal's width, asked at every redraw (windows get resized).
        self.columns = columns or (lambda: _terminal_columns(stream))
        self.interval_s = interval_s
        self._last_draw = 0.0
        self._pending = False
        self._closed = False
        self.total = total
        self.counts = {DONE: done, FAILED: 0, SKIPPED: 0}
        self.running = 0
        self.cost = 0.0
        self._drawn = False

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event["event"]
        if kind == "run_start":
            self.total = event.get("steps", self.total)
            self.counts[DONE] = event.get("resuming", 0)
        elif kind == "step_start":
            self.running += 1
        elif kind == "step_done":
            self.running -= 1
            self.counts[DONE] += 1
            self.cost = float(event.get("spent_usd", self.cost + event.get("cost_usd", 0.0)))
        elif kind == "step_failed":
            self.running -= 1
            self.counts[FAILED] += 1
        elif kind == "step_interrupted":
            self.running -= 1
        elif kind == "step_skipped":
            self.counts[SKIPPED] += 1
        now = time.monotonic()
        if kind in self._NOTEWORTHY:
            self._clear()
            self.stream.write(describe(event) + "\n")
        elif now - self._last_draw < self.interval_s:
            self._redraw_later()  # at most one redraw per interval; counts stay exact
            return
        if kind == "run_end":
            self._closed = True  # no redraw may follow the final line
        else:
            self._draw()
            self._last_draw = now
        self.stream.flush()

    def _redraw_later(self) -> None:
        if self._pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._pending = True
        loop.call_later(self.interval_s, self._redraw_now)

    def _redraw_now(self) -> None:
        self._pending = False
        if not self._closed:
            self._draw()
            self._last_draw = time.monotonic()
            self.stream.flush()

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self._drawn = False

    def _draw(self) -> None:
        finished = self.counts[DONE] + self.counts[FAILED] + self.counts[SKIPPED]
        counts = (
            f"{self.counts[DONE]}/{self.total} done, {self.running} running, "
            f"{self.counts[FAILED]} failed, {self.counts[SKIPPED]} skipped, ${self.cost:.4f}"
        )
        # A line as wide as the terminal wraps, and "\r" then returns only to
        # the start of its last row, leaving a stale row behind at every redraw:
        # the bar shrinks (or goes) and the counts are cut to stay one column short.
        room = (self.columns() or 10_000) - 1
        width = min(self._BAR, room - len(counts) - 3)
        if width >= self._MIN_BAR:
            filled = int(width * finished / self.total) if self.total else width
            line = f"[{'#' * filled}{'-' * (width - filled)}] {counts}"
        else:
            line = counts if len(counts) <= room else counts[: max(room - 1, 0)] + "…"
        self.stream.write(f"\r\x1b[K{line}")
        self._drawn = True

    def close(self) -> None:
        self._closed = True
        self._clear()
        self.stream.flush()
