"""The anthropic backend: the real SDK against a stub server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("anthropic")

from planner.config import default_config
from planner.runner import run
from tests.run_helpers import plan_from, steps_yaml
from tests.stub_anthropic import StubServer, error, ok, slow, stub_server

KEY = "sk-ant-api03-STUBKEY-0123456789abcdefXYZ"
ONE = steps_yaml("  - {id: a, tier: haiku, max_tokens: 64, prompt: say hi}")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[StubServer]:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    with stub_server() as s:
        yield s


def _run(server: StubServer, plan_text: str = ONE, **options: object):  # type: ignore[no-untyped-def]
    opts: dict[str, object] = {"base_url": server.url, "backoff_base_s": 0.001, "retries": 2}
    opts.update(options)
    return run(plan_from(plan_text), "anthropic", **opts)


def test_request_uses_the_tier_model_and_step_bounds(server: StubServer) -> None:
    server.queue(ok("hi!", input_tokens=40, output_tokens=60))
    result = _run(server)
    assert result.status == "done" and result.outputs["a"] == "hi!"
    (req,) = server.requests
    assert req.path == "/v1/messages"
    assert req.body["model"] == default_config().tiers["haiku"].model
    assert req.body["max_tokens"] == 64
    assert "say hi" in req.body["messages"][0]["content"]
    haiku = default_config().tiers["haiku"]
    expected = (40 * haiku.input_per_mtok + 60 * haiku.output_per_mtok) / 1e6
    assert result.cost_usd == pytest.approx(expected)
    assert result.steps["a"].input_tokens == 40 and result.steps["a"].output_tokens == 60


def test_base_url_comes_from_the_environment(
    server: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
    server.queue(ok("via env"))
    result = run(plan_from(ONE), "anthropic", retries=0)
    assert result.outputs["a"] == "via env" and len(server.requests) == 1


def test_429_waits_for_retry_after_then_succeeds(server: StubServer) -> None:
    server.queue(
        error(429, "rate_limit_error", "slow down", {"retry-after": "0.3"}), ok("after wait")
    )
    result = _run(server)
    assert result.status == "done" and result.steps["a"].attempts == 2
    first, second = server.requests
    assert second.at - first.at >= 0.3


def test_retry_after_ms_is_preferred(server: StubServer) -> None:
    server.queue(
        error(
            429, "rate_limit_error", "slow down", {"retry-after-ms": "250", "retry-after": "100"}
        ),
        ok(),
    )
    result = _run(server)
    first, second = server.requests
    assert 0.25 <= second.at - first.at < 50
    assert result.status == "done"


def test_sdk_retries_are_off_so_the_runner_policy_decides(server: StubServer) -> None:
    server.default = error(429, "rate_limit_error", "slow down", {"retry-after": "0"})
    result = _run(server, retries=0)
    assert len(server.requests) == 1
    assert result.steps["a"].status == "failed"
    result = _run(server, retries=2)
    assert len(server.requests) == 1 + 3


def test_500_is_retried(server: StubServer) -> None:
    server.queue(
        error(500, "api_error", "internal"),
        error(529, "overloaded_error", "busy"),
        ok("third time"),
    )
    result = _run(server)
    assert result.outputs["a"] == "third time" and len(server.requests) == 3


@pytest.mark.parametrize(
    ("status", "kind", "message"),
    [
        (400, "invalid_request_error", "max_tokens: too large"),
        (401, "authentication_error", "invalid x-api-key"),
        (402, "billing_error", "payment required"),
        (400, "invalid_request_error", "Your credit balance is too low"),
        (429, "rate_limit_error", "You have reached your specified API usage limits"),
    ],
)
def test_errors_that_will_not_heal_are_not_retried(
    server: StubServer, status: int, kind: str, message: str
) -> None:
    server.default = error(status, kind, message)
    result = _run(server, retries=3)
    assert len(server.requests) == 1
    assert result.steps["a"].status == "failed"
    assert str(status) in (result.steps["a"].error or "")
    assert result.exit_code == 1


def test_slow_response_times_out_and_is_retried(server: StubServer) -> None:
    plan = steps_yaml("  - {id: a, tier: haiku, max_tokens: 64, timeout_s: 0.3}")
    server.queue(slow(1.5), ok("fast enough"))
    result = _run(server, plan)
    assert result.status == "done" and result.outputs["a"] == "fast enough"
    assert result.steps["a"].attempts == 2
    # A request that timed out may still be billed: its worst case is booked.
    assert result.cost_usd > (20 * 1.0 + 10 * 5.0) / 1e6


def test_slow_responses_exhaust_retries(server: StubServer) -> None:
    plan = steps_yaml("  - {id: a, tier: haiku, max_tokens: 64, timeout_s: 0.2}")
    server.default = slow(1.0)
    result = _run(server, plan, retries=1)
    assert result.steps["a"].status == "failed"
    assert "0.2 s" in (result.steps["a"].error or "")
    # Count attempts on the runner's side: on a loaded machine a retry can time
    # out before its request reaches the stub server.
    assert result.steps["a"].attempts == 2
    assert 1 <= len(server.requests) <= 2


@pytest.mark.parametrize("max_cost", [0.0005, 0.002, 0.004])
def test_cost_never_exceeds_max_cost(server: StubServer, max_cost: float) -> None:
    plan = steps_yaml(
        *[f"  - {{id: s{i}, tier: haiku, max_tokens: 300, timeout_s: 0.3}}" for i in range(10)]
    )
    # Each reply reports the most it could: the output bound, plus a slow one that times out.
    server.queue(slow(1.0))
    server.default = ok("x", input_tokens=120, output_tokens=300)
    result = _run(server, plan, max_cost=max_cost, max_parallel=3, retries=1)
    assert result.cost_usd <= max_cost + 1e-12
    assert result.status in ("budget", "done")
    if result.status == "budget":
        assert result.count("pending") > 0


def test_api_key_never_leaks(server: StubServer, tmp_path: Path) -> None:
    plan = steps_yaml("  - {id: a, tier: haiku}", "  - {id: b, tier: haiku}")
    server.queue(ok(f"echo {KEY}"), error(401, "authentication_error", f"invalid x-api-key: {KEY}"))
    events: list[dict[str, object]] = []
    result = _run(server, plan, state_dir=tmp_path, on_event=events.append, max_parallel=1)
    assert {s.status for s in result.steps.values()} == {"done", "failed"}
    assert any(KEY in v for v in server.requests[0].headers.values())  # it was really sent
    blob = json.dumps(events) + json.dumps(result.to_dict()) + json.dumps(result.outputs)
    assert KEY not in blob
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_key_given_as_an_option_is_redacted_too(
    server: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    other = "plain-secret-value-42"
    server.queue(ok(f"the key was {other}"))
    result = _run(server, api_key=other)
    assert other not in result.outputs["a"]


def test_a_reply_cut_at_max_tokens_is_flagged_not_altered(server: StubServer) -> None:
    server.queue(ok("partial answer", output_tokens=64, stop_reason="max_tokens"))
    events: list[dict[str, object]] = []
    result = _run(server, on_event=events.append)
    assert result.outputs["a"] == "partial answer"
    warnings = [e for e in events if e["event"] == "warning"]
    assert len(warnings) == 1 and "max_tokens (64)" in str(warnings[0]["message"])


def test_cancelling_mid_call_books_the_worst_case_and_resumes(
    server: StubServer, tmp_path: Path
) -> None:
    import asyncio

    from planner.runner import run_async

    server.queue(slow(2.0))
    events: list[dict[str, object]] = []

    async def cancel_soon() -> None:
        task = asyncio.create_task(
            run_async(
                plan_from(ONE),
                "anthropic",
                base_url=server.url,
                state_dir=tmp_path,
                on_event=events.append,
            )
        )
        while not server.requests:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancel_soon())
    run_id = str(events[0]["run_id"])
    server.queue(ok("done now", input_tokens=10, output_tokens=5))
    result = run(
        plan_from(ONE), "anthropic", base_url=server.url, state_dir=tmp_path, resume=run_id
    )
    assert result.status == "done" and result.outputs["a"] == "done now"
    from planner.runner.journal import Journal

    journal = Journal(tmp_path / "journal.sqlite")
    first, second = journal.attempts(run_id)
    journal.close()
    assert first["status"] == "interrupted" and first["reserved"] > 0
    assert first["cost"] == pytest.approx(first["reserved"])
    assert second["status"] == "ok"
    assert result.cost_usd == pytest.approx(first["cost"] + second["cost"])
