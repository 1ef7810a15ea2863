"""Small pieces of the runner: retry policy, retry-after parsing, redaction, progress lines."""

from __future__ import annotations

import io
import random
from email.utils import formatdate

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.runner.progress import JsonlReporter, PlainReporter, TtyReporter
from planner.runner.redact import MASK, Redactor, secret_values
from planner.runner.retry import RetryPolicy, parse_retry_after


@given(
    attempt=st.integers(min_value=1, max_value=30),
    base=st.floats(min_value=0.001, max_value=5),
    cap=st.floats(min_value=0.01, max_value=120),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_backoff_is_jittered_within_the_exponential_bound(
    attempt: int, base: float, cap: float, seed: int
) -> None:
    policy = RetryPolicy(retries=5, base_s=base, cap_s=cap)
    delay = policy.delay(attempt, None, random.Random(seed))
    assert 0.0 <= delay <= min(cap, base * 2 ** (attempt - 1)) + 1e-9


@given(
    retry_after=st.floats(min_value=0, max_value=300), seed=st.integers(min_value=0, max_value=1000)
)
def test_retry_after_is_a_floor(retry_after: float, seed: int) -> None:
    policy = RetryPolicy(retries=3, base_s=0.5, cap_s=10)
    delay = policy.delay(1, retry_after, random.Random(seed))
    assert retry_after <= delay <= retry_after * 1.1 + 0.5 + 1e-9


def test_retry_decisions() -> None:
    policy = RetryPolicy(retries=2, max_retry_after_s=60)
    assert policy.should_retry(1, True, None)
    assert policy.should_retry(2, True, 5.0)
    assert not policy.should_retry(3, True, None)  # out of retries
    assert not policy.should_retry(1, False, None)  # will not heal
    assert not policy.should_retry(1, True, 3600)  # asks for too long a wait


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after": "2"}) == 2.0
    assert parse_retry_after({"retry-after": "1.5"}) == 1.5
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None
    import time

    future = parse_retry_after({"retry-after": formatdate(time.time() + 30, usegmt=True)})
    assert future is not None and 25 <= future <= 31


def test_redactor_masks_env_secrets_and_key_shapes() -> None:
    env = {
        "ANTHROPIC_API_KEY": "abcdefgh12345678",
        "MY_TOKEN": "tok-0000-1111",
        "HOME": "/home/someone",
        "K": "x",
    }
    found = secret_values(env)
    assert "abcdefgh12345678" in found and "tok-0000-1111" in found and "/home/someone" not in found
    redact = Redactor(found)
    text = "key abcdefgh12345678 and tok-0000-1111 and sk-ant-api03-ZZZZZZZZZZZZ in /home/someone"
    masked = redact(text)
    assert (
        "abcdefgh12345678" not in masked
        and "tok-0000-1111" not in masked
        and "sk-ant-api03" not in masked
    )
    assert masked.count(MASK) == 3 and "/home/someone" in masked


def test_reporters() -> None:
    events = [
        {
            "event": "run_start",
            "run_id": "r1",
            "steps": 2,
            "backend": "mock",
            "resuming": 0,
            "max_cost_usd": None,
        },
        {"event": "step_start", "run_id": "r1", "step": "a", "tier": "haiku", "model": "m"},
        {
            "event": "retry",
            "run_id": "r1",
            "step": "a",
            "tier": "haiku",
            "error": "HTTP 429",
            "delay_s": 0.5,
        },
        {
            "event": "step_done",
            "run_id": "r1",
            "step": "a",
            "tier": "haiku",
            "seconds": 1.0,
            "rounds": 1,
            "cost_usd": 0.01,
            "spent_usd": 0.01,
        },
        {
            "event": "step_skipped",
            "run_id": "r1",
            "step": "b",
            "tier": "haiku",
            "reason": "dependency 'x' failed",
        },
        {
            "event": "run_end",
            "run_id": "r1",
            "status": "failed",
            "done": 1,
            "failed": 0,
            "skipped": 1,
        },
    ]
    plain, tty, jsonl = io.StringIO(), io.StringIO(), io.StringIO()
    reporters = [PlainReporter(plain), TtyReporter(tty), JsonlReporter(jsonl)]
    for event in events:
        for r in reporters:
            r(dict(event))
    for r in reporters:
        r.close()
    lines = plain.getvalue().splitlines()
    assert len(lines) == len(events)
    assert "retry   a after 0.50 s: HTTP 429" in lines[2]
    assert "1/2 done, 0 running, 0 failed, 1 skipped, $0.0100" in tty.getvalue()
    assert "skipped b: dependency 'x' failed" in tty.getvalue()
    assert len(jsonl.getvalue().splitlines()) == len(events)


@pytest.mark.parametrize("value", ["a b", "a;b", "$(x)", "{model}", "{step}"])
def test_command_substitution_keeps_one_argv_item(value: str) -> None:
    from planner.runner.backends.command import substitute

    argv = substitute(
        ["tool", "--model", "{model}", "pre-{step}-post"], {"model": value, "step": value}
    )
    assert argv == ["tool", "--model", value, f"pre-{value}-post"]
