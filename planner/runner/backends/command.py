"""Run a user's command per step: prompt on stdin, output on stdout.

The command is an argv list, never a shell string: ``{model}``, ``{tier}``,
``{step}`` and ``{round}`` are replaced inside each item, so a value can never
split into extra arguments or be read as shell syntax. Any other braces are
left alone (arguments may contain JSON).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from planner.runner.model import BackendError, CallRequest, CallResult

PLACEHOLDERS = ("{model}", "{tier}", "{step}", "{round}")
# Exit statuses that another attempt will not change: 2 is the usual "usage
# error" of command-line tools, 126 "not executable", 127 "not found".
_NO_RETRY_STATUS = frozenset({2, 126, 127})
_STDERR_TAIL = 400


def substitute(argv: Sequence[str], values: Mapping[str, str]) -> list[str]:
    """Replace ``{name}`` placeholders in one pass, so a value is never substituted again."""
    pattern = re.compile(r"\{(" + "|".join(re.escape(k) for k in values) + r")\}")
    return [pattern.sub(lambda m: values[m.group(1)], item) for item in argv]


@dataclass
class CommandBackend:
    """Each call runs ``argv`` (after substitution) as a child process."""

    argv: Sequence[str]
    env: Mapping[str, str] | None = None
    cwd: str | None = None
    name: str = "command"
    paid: bool = True
    _children: set[asyncio.subprocess.Process] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        if not self.argv:
            raise ValueError("the command backend needs a command")

    async def call(self, request: CallRequest) -> CallResult:
        argv = substitute(
            self.argv,
            {
                "model": request.model,
                "tier": request.tier,
                "step": request.step_id,
                "round": str(request.round),
            },
        )
        env = dict(os.environ if self.env is None else self.env)
        env.update(
            PLANNER_STEP=request.step_id,
            PLANNER_TIER=request.tier,
            PLANNER_MODEL=request.model,
            PLANNER_ROUND=str(request.round),
            PLANNER_MAX_TOKENS=str(request.max_tokens),
        )
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=env,
                cwd=self.cwd,
                # Own process group, so a timeout or Ctrl-C can stop the
                # command and everything it started.
                start_new_session=True,
            )
        except FileNotFoundError:
            raise BackendError(f"command not found: {argv[0]}", retryable=False) from None
        except PermissionError:
            raise BackendError(f"command is not executable: {argv[0]}", retryable=False) from None
        except OSError as exc:
            raise BackendError(
                f"cannot start {argv[0]}: {exc.strerror or exc}", retryable=False
            ) from None
        self._children.add(proc)
        try:
            stdout, stderr = await proc.communicate(request.prompt.encode("utf-8", "surrogatepass"))
        except BaseException:
            _kill_group(proc)
            with contextlib.suppress(Exception):
                await asyncio.shield(proc.wait())
            raise
        finally:
            self._children.discard(proc)
        status = proc.returncode
        if status != 0:
            tail = stderr.decode("utf-8", "replace").strip()[-_STDERR_TAIL:]
            detail = f": {tail.splitlines()[-1]}" if tail else ""
            raise BackendError(
                f"{argv[0]} exited with status {status}{detail}",
                retryable=status not in _NO_RETRY_STATUS,
            )
        return CallResult(stdout.decode("utf-8", "replace"), cost_known=False)

    async def aclose(self) -> None:
        for proc in list(self._children):
            _kill_group(proc)


def _kill_group(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
