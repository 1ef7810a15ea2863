"""Run a user's command per step: prompt on stdin, output on stdout.

The command is an argv list, never a shell string: ``{model}``, ``{tier}``,
``{step}``, ``{round}`` and ``{max_tokens}`` are replaced inside each item, so
a value can never split into extra arguments or be read as shell syntax. Any
other braces are left alone (arguments may contain JSON).

``{model}`` is the name the command's program knows the tier's model by: the
tier table's ``models`` entry for the program (``llm`` for ``llm -m {model}``),
else the tier's model id.

Output: plain text is the step's output and the call is booked at its worst
case (the runner cannot see its tokens). The result object of ``claude -p
--output-format json`` (or the last line of ``stream-json``) is read instead:
its ``result`` is the output, its ``total_cost_usd`` and ``usage`` are booked,
and ``is_error`` fails the call.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.config import Tier
from planner.errors import InputError
from planner.runner.budget import valid_cost
from planner.runner.model import BackendError, CallRequest, CallResult

PLACEHOLDERS = ("{model}", "{tier}", "{step}", "{round}", "{max_tokens}")
# Exit statuses that another attempt will not change: 2 is the usual "usage
# error" of command-line tools, 126 "not executable", 127 "not found".
_NO_RETRY_STATUS = frozenset({2, 126, 127})
_STDERR_TAIL = 400

# What a failed command says about itself, read from the end of its stderr or
# from its error result. Money that ran out never heals within a run, even
# when it comes as a 429 ("exceeded your current quota"), so it is tested
# first; then what heals (rate limits, overload, server errors, timeouts,
# dropped connections); then what a retry would repeat (authentication,
# permission, a bad request, an unknown model, a usage error). Anything else
# is retried: an unknown failure may be a passing one.
_SPEND = re.compile(
    r"credit balance|billing|payment|quota|spend(?:ing)? limit|usage limit", re.IGNORECASE
)
_HEALS = re.compile(
    r"rate[ _-]?limit|overloaded|too many requests|timed? ?out|timeout|temporar|try again"
    r"|connection (?:reset|refused|error|aborted)|network|service unavailable|bad gateway"
    r"|\b(?:408|409|429|500|502|503|504|529)\b",
    re.IGNORECASE,
)
_PERMANENT = re.compile(
    r"invalid[ _-]?api[ _-]?key|api key|authenticat|unauthori[sz]ed|forbidden|permission"
    r"|not logged in|/login|invalid[ _]request|bad request|unknown model|model not found"
    r"|no such model|not[ _]found[ _]error|\b(?:400|401|403|404|413)\b|usage:"
    r"|unrecognized (?:option|argument)|no such option|unknown option|invalid option",
    re.IGNORECASE,
)


def heals(text: str) -> bool:
    """Whether another attempt can fix the failure ``text`` describes."""
    if _SPEND.search(text):
        return False
    if _HEALS.search(text):
        return True
    return not _PERMANENT.search(text)


def substitute(argv: Sequence[str], values: Mapping[str, str]) -> list[str]:
    """Replace ``{name}`` placeholders in one pass, so a value is never substituted again."""
    pattern = re.compile(r"\{(" + "|".join(re.escape(k) for k in values) + r")\}")
    return [pattern.sub(lambda m: values[m.group(1)], item) for item in argv]


def _program_names(argv: Sequence[str]) -> list[str]:
    """The base names of argv items that could name the tool (``uvx llm``, ``python -m llm``)."""
    names = []
    for item in argv:
        if item.startswith("-") or "{" in item:
            continue
        name = Path(item).name
        for suffix in (".exe", ".cmd", ".bat", ".py"):
            name = name.removesuffix(suffix)
        names.append(name)
    return names


def model_key(argv: Sequence[str], tiers: Mapping[str, Tier]) -> str | None:
    """The tool whose model names ``{model}`` uses: the first argv item some tier has names for."""
    known = {key for tier in tiers.values() for key in tier.models}
    return next((name for name in _program_names(argv) if name in known), None)


def check_command(argv: Sequence[str], cwd: str | None = None) -> None:
    """Refuse, before a run starts, a command that cannot be started at all."""
    program = argv[0]
    if "{" in program:
        return  # chosen per step: checked when it runs
    if os.sep in program or (os.altsep and os.altsep in program):
        path = Path(cwd or ".") / program
        if not path.is_file() or not os.access(path, os.X_OK):
            raise InputError(f"the command backend cannot run {program}: not an executable file")
        return
    if shutil.which(program) is None:
        raise InputError(f"the command backend cannot run {program}: command not found on PATH")


@dataclass
class CommandBackend:
    """Each call runs ``argv`` (after substitution) as a child process."""

    argv: Sequence[str]
    env: Mapping[str, str] | None = None
    cwd: str | None = None
    tiers: Mapping[str, Tier] = field(default_factory=dict)
    name: str = "command"
    paid: bool = True
    _children: set[asyncio.subprocess.Process] = field(default_factory=set, repr=False)
    _tool: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.argv:
            raise ValueError("the command backend needs a command")
        self._tool = model_key(self.argv, self.tiers)

    def model_name(self, request: CallRequest) -> str:
        tier = self.tiers.get(request.tier)
        return tier.model_for(self._tool) if tier is not None else request.model

    async def call(self, request: CallRequest) -> CallResult:
        argv = substitute(
            self.argv,
            {
                "model": self.model_name(request),
                "tier": request.tier,
                "step": request.step_id,
                "round": str(request.round),
                "max_tokens": str(request.max_tokens),
            },
        )
        env = dict(os.environ if self.env is None else self.env)
        env.update(
            PLANNER_STEP=request.step_id,
            PLANNER_TIER=request.tier,
            PLANNER_MODEL=self.model_name(request),
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
        out = stdout.decode("utf-8", "replace")
        result = agent_result(out)
        if result is not None:
            return _from_agent_result(argv[0], result, proc.returncode)
        status = proc.returncode
        if status != 0:
            tail = stderr.decode("utf-8", "replace").strip()[-_STDERR_TAIL:]
            last = tail.splitlines()[-1] if tail else ""
            detail = f": {last}" if last else ""
            healing = status not in _NO_RETRY_STATUS and heals(tail)
            raise BackendError(
                f"{argv[0]} exited with status {status}{detail}",
                retryable=healing,
                # It may have called a paid model before failing; a refusal before
                # any work (not found, usage, authentication) costs nothing.
                maybe_billed=healing,
            )
        return CallResult(out, cost_known=False)

    async def aclose(self) -> None:
        for proc in list(self._children):
            _kill_group(proc)


def agent_result(stdout: str) -> dict[str, Any] | None:
    """The result object of ``claude -p --output-format json`` or ``stream-json``, if that is what
    ``stdout`` holds.

    ``json`` prints one object (or, with ``--verbose``, a list of messages that
    ends with it); ``stream-json`` prints one object per line, the last being
    the result. It is recognised by ``"type": "result"`` and an ``is_error`` or
    ``subtype`` key, so ordinary JSON output stays plain text.
    """
    text = stdout.strip()
    if not text or text[0] not in "{[":
        return None
    candidates: list[Any] = []
    try:
        candidates.append(json.loads(text))
    except ValueError:
        last = text.splitlines()[-1]
        with contextlib.suppress(ValueError):
            candidates.append(json.loads(last))
    for value in candidates:
        if isinstance(value, list) and value:
            value = value[-1]
        if (
            isinstance(value, dict)
            and value.get("type") == "result"
            and ("is_error" in value or "subtype" in value)
        ):
            return value
    return None


def _from_agent_result(program: str, result: Mapping[str, Any], status: int | None) -> CallResult:
    """A call's text, cost and tokens from an agent CLI's result object (see :func:`agent_result`)."""
    raw_cost = result.get("total_cost_usd", result.get("cost_usd"))
    cost = valid_cost(raw_cost)
    note = None
    if raw_cost is not None and cost is None:
        note = f"{program} reported a cost that cannot be right ({raw_cost!r})"
    usage = result.get("usage")
    usage = usage if isinstance(usage, Mapping) else {}
    counts = [
        usage.get(key, 0) or 0
        for key in (
            "input_tokens",
            "cache_creation_input_tokens",
            "cache_read_input_tokens",
            "output_tokens",
        )
    ]
    if all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in counts):
        input_tokens, output_tokens = sum(counts[:3]), counts[3]
    else:
        input_tokens = output_tokens = 0
    subtype = str(result.get("subtype") or "")
    text = result.get("result")
    failed = (
        result.get("is_error") is True or subtype.startswith("error") or status not in (0, None)
    )
    if failed:
        said = text if isinstance(text, str) and text.strip() else subtype or "no detail"
        first = said.strip().splitlines()[0][:_STDERR_TAIL]
        # max_turns and the like repeat on a retry; a message decides the rest.
        healing = not subtype.startswith("error_max") and heals(said)
        raise BackendError(
            f"{program} reported an error ({subtype or 'is_error'}): {first}",
            retryable=healing,
            cost_usd=cost,
            # Without a reported cost: the worst case, unless it was refused before any work.
            maybe_billed=cost is None and healing,
        )
    return CallResult(
        text if isinstance(text, str) else "",
        input_tokens,
        output_tokens,
        cost if cost is not None else 0.0,
        cost_known=cost is not None or note is not None,
        cost_unbounded=True,
        usage_note=note,
    )


def _kill_group(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
