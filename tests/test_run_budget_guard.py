"""--max-cost holds whatever a server reports, and no number that enters can be NaN or infinite."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.config import default_config
from planner.errors import ConfigError, InputError, PlanError, RuleFileError
from planner.plan import Plan, Step
from planner.runner import run
from planner.runner.budget import Budget, book
from planner.runner.journal import Journal
from planner.runner.model import BackendError, CallRequest, CallResult
from planner.runner.retry import parse_retry_after
from tests.run_helpers import plan_from, steps_yaml
from tests.stub_anthropic import Reply, StubServer, error, ok, stub_server

CAP = 0.05
KEY = "sk-ant-api03-STUBKEY-budget-0123456789"
# Six haiku steps; each call reserves about $0.02 (max_tokens 4000 at $5/Mtok
# plus a short prompt), so two fit under the cap and the third does not.
SIX = steps_yaml(*[f"  - {{id: s{i}, tier: haiku, max_tokens: 4000}}" for i in range(6)])


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[StubServer]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    with stub_server() as s:
        yield s


def _usage(**usage: Any) -> Reply:
    reply = ok("fine")
    reply.body["usage"] = usage
    return reply


# The five over- and under-reports from the hostile review (a $0.05 cap ended
# at $0.05002, $0.10, $4,000, $12,000,000 and -$42,000), then replies whose
# usage cannot be read at all.
SCENARIOS = {
    "a hair over the ceiling": _usage(input_tokens=200, output_tokens=4005),
    "double the ceiling": _usage(input_tokens=40_000, output_tokens=8000),
    "four thousand dollars": _usage(input_tokens=4_000_000_000, output_tokens=10),
    "cache counts in the trillions": _usage(
        input_tokens=10, output_tokens=10, cache_read_input_tokens=12_000_000_000_000
    ),
    "negative tokens": _usage(input_tokens=-42_000_000_000, output_tokens=10),
    "NaN tokens": _usage(input_tokens=float("nan"), output_tokens=10),
    "tokens as text": _usage(input_tokens="many", output_tokens=10),
    "no usage": _usage(),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_reported_usage_never_takes_spend_past_the_cap(
    server: StubServer, tmp_path: Path, name: str
) -> None:
    server.default = SCENARIOS[name]
    events: list[dict[str, Any]] = []
    result = run(
        plan_from(SIX),
        "anthropic",
        base_url=server.url,
        max_cost=CAP,
        max_parallel=1,
        retries=0,
        state_dir=tmp_path,
        on_event=events.append,
    )
    assert 0.0 <= result.cost_usd <= CAP + 1e-12, name
    journal = Journal(tmp_path / "journal.sqlite")
    attempts = journal.attempts(result.run_id)
    journal.close()
    assert attempts and all(0.0 <= a["cost"] <= a["reserved"] + 1e-12 for a in attempts)
    # Booked at the reservation: two calls fit, the third would break the cap.
    assert result.status == "budget" and result.count("done") == 2
    assert all(a["booked"] == 1 and a["cost"] == pytest.approx(a["reserved"]) for a in attempts)
    assert result.booked_usd == pytest.approx(result.cost_usd)
    warnings = [e for e in events if e["event"] == "warning"]
    assert len(warnings) == len(attempts)
    assert all("booked at" in str(w["message"]) for w in warnings)


def test_a_reply_that_cannot_be_read_is_booked_at_its_reservation(
    server: StubServer, tmp_path: Path
) -> None:
    server.default = Reply(200, raw=b"<html>gateway says hi</html>")
    result = run(
        plan_from(steps_yaml("  - {id: a, tier: haiku, max_tokens: 4000}")),
        "anthropic",
        base_url=server.url,
        max_cost=CAP,
        retries=2,
        state_dir=tmp_path,
    )
    assert result.steps["a"].status == "failed"
    assert "could not be read" in (result.steps["a"].error or "")
    assert len(server.requests) == 1  # the same gateway would answer the same way
    journal = Journal(tmp_path / "journal.sqlite")
    (attempt,) = journal.attempts(result.run_id)
    journal.close()
    assert attempt["cost"] == pytest.approx(attempt["reserved"]) and attempt["cost"] > 0
    assert result.cost_usd == pytest.approx(attempt["reserved"])


def test_retry_after_ms_nan_keeps_a_429_retryable(server: StubServer) -> None:
    server.queue(
        error(429, "rate_limit_error", "slow down", {"retry-after-ms": "NaN"}), ok("after")
    )
    result = run(
        plan_from(steps_yaml("  - {id: a, tier: haiku, max_tokens: 64}")),
        "anthropic",
        base_url=server.url,
        backoff_base_s=0.001,
        retries=2,
    )
    assert result.status == "done" and result.outputs["a"] == "after"
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "NaN"}, None),
        ({"retry-after-ms": "nan", "retry-after": "2"}, 2.0),
        ({"retry-after-ms": "inf"}, None),
        ({"retry-after": "-inf"}, None),
        ({"retry-after": "Infinity"}, None),
        ({"retry-after": "1e400"}, None),
        ({"retry-after-ms": "-5"}, 0.0),
    ],
)
def test_retry_after_that_is_not_a_finite_number_is_ignored(
    headers: dict[str, str], expected: float | None
) -> None:
    assert parse_retry_after(headers) == expected


# -- hypothesis over reported usage --------------------------------------------

_ANY_NUMBER = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.text(max_size=5),
    st.booleans(),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    input_tokens=_ANY_NUMBER,
    output_tokens=_ANY_NUMBER,
    cache_write=_ANY_NUMBER,
    cache_read=_ANY_NUMBER,
    reserved=st.floats(min_value=1e-6, max_value=10.0),
)
def test_any_reported_usage_books_between_zero_and_the_reservation(
    input_tokens: Any, output_tokens: Any, cache_write: Any, cache_read: Any, reserved: float
) -> None:
    from planner.runner.backends.anthropic import _reply

    usage = SimpleNamespace(
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cache_creation_input_tokens=cache_write,
        cache_read_input_tokens=cache_read,
    )
    message = SimpleNamespace(content=[SimpleNamespace(text="hi")], usage=usage, stop_reason=None)
    booking = book(_reply(message, default_config().tiers["haiku"]), reserved)
    assert math.isfinite(booking.cost) and 0.0 <= booking.cost <= reserved + 1e-9
    assert isinstance(booking.input_tokens, int) and 0 <= booking.input_tokens <= 2**53
    assert isinstance(booking.output_tokens, int) and 0 <= booking.output_tokens <= 2**53


@dataclass
class _Reporting:
    """A paid backend that reports whatever usage it is given."""

    costs: list[Any]
    unbounded: bool = False
    name: str = "reporting"
    paid: bool = True
    calls: list[CallRequest] = field(default_factory=list)

    async def call(self, request: CallRequest) -> CallResult:
        cost = self.costs[len(self.calls) % len(self.costs)]
        self.calls.append(request)
        return CallResult("x", 1, 1, cost, cost_unbounded=self.unbounded)

    async def aclose(self) -> None:
        return None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    costs=st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.integers(min_value=-(10**9), max_value=10**9),
        ),
        min_size=1,
        max_size=6,
    ),
    cap=st.floats(min_value=0.0, max_value=0.2),
)
def test_the_cap_holds_for_any_reported_costs(costs: list[Any], cap: float) -> None:
    plan = plan_from(SIX)
    result = run(plan, _Reporting(costs), max_cost=cap, max_parallel=2, retries=0)
    assert math.isfinite(result.cost_usd) and 0.0 <= result.cost_usd <= cap + 1e-9


def test_an_agent_cli_total_above_the_reservation_is_booked_as_reported_and_stops_the_run() -> None:
    # A tool's own total (claude -p) is real money even above one call's worst case.
    backend = _Reporting([0.04], unbounded=True)
    events: list[dict[str, Any]] = []
    plan = plan_from(
        steps_yaml(*[f"  - {{id: s{i}, tier: haiku, max_tokens: 100}}" for i in range(4)])
    )
    result = run(plan, backend, max_cost=CAP, max_parallel=1, on_event=events.append)
    assert result.status == "budget"
    assert result.cost_usd == pytest.approx(0.08)  # the second call started under the cap
    assert len(backend.calls) == 2
    assert any("booked as reported" in str(e.get("message")) for e in events)


def test_an_unbelievable_tool_total_is_booked_at_the_reservation() -> None:
    backend = _Reporting([1e9], unbounded=True)
    result = run(plan_from(SIX), backend, max_cost=CAP, max_parallel=1)
    assert 0 < result.cost_usd <= CAP


def test_a_failed_call_with_a_known_cost_is_booked() -> None:
    class Fails(_Reporting):
        async def call(self, request: CallRequest) -> CallResult:
            self.calls.append(request)
            raise BackendError("agent gave up", retryable=False, cost_usd=0.003)

    result = run(plan_from(steps_yaml("  - {id: a, tier: haiku}")), Fails([0]), max_cost=CAP)
    assert result.steps["a"].status == "failed"
    assert result.cost_usd == pytest.approx(0.003) and result.booked_usd == 0.0


def test_the_ledger_never_books_a_negative_or_nan_amount() -> None:
    async def go() -> Budget:
        budget = Budget(1.0)
        for actual in (-5.0, float("nan"), float("inf")):
            await budget.reserve(0.1)
            await budget.settle(0.1, actual)
        return budget

    budget = asyncio.run(go())
    assert budget.spent == pytest.approx(0.3) and budget.reserved == 0.0


# -- NaN and infinity wherever a number enters -----------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--max-cost", "nan"],
        ["--max-cost", "inf"],
        ["--mock-latency", "nan"],
        ["--mock-latency", "haiku=inf"],
        ["--mock-fail-rate", "nan"],
        ["--timeout", "nan"],
        ["--timeout", "inf"],
        ["--backoff-base", "nan"],
        ["--mock-time-scale", "nan"],
    ],
)
def test_cli_refuses_non_finite_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(steps_yaml("  - {id: a}"), encoding="utf-8")
    state = tmp_path / "st"
    code = main(["run", str(plan), "-b", "mock", "--state", str(state), *args])
    assert code == 2
    assert "finite" in capsys.readouterr().err
    assert not state.exists()


@pytest.mark.parametrize(
    "options",
    [
        {"max_cost": float("nan")},
        {"max_cost": float("inf")},
        {"max_cost": -1},
        {"timeout_s": float("nan")},
        {"timeout_s": float("inf")},
        {"backoff_base_s": float("nan")},
        {"mock_latency": {"*": float("nan")}},
        {"mock_failure_rate": {"haiku": float("inf")}},
        {"mock_time_scale": float("nan")},
    ],
)
def test_library_refuses_non_finite_numbers(tmp_path: Path, options: dict[str, Any]) -> None:
    with pytest.raises(InputError):
        run(plan_from(steps_yaml("  - {id: a}")), "mock", state_dir=tmp_path / "st", **options)
    assert not (tmp_path / "st").exists()


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_plan_files_refuse_non_finite_timeouts(value: str) -> None:
    with pytest.raises(PlanError, match="finite"):
        plan_from(steps_yaml(f"  - {{id: a, timeout_s: {value}}}"))


@pytest.mark.parametrize(
    "step",
    [
        Step(id="a", timeout_s=float("nan")),
        Step(id="a", timeout_s=float("inf")),
        Step(id="a", max_tokens=0),
        Step(id="a", max_rounds=-1),
    ],
)
def test_plans_built_in_code_get_the_same_checks(step: Step) -> None:
    with pytest.raises(PlanError):
        run(Plan(steps=(step,)), "mock")


@pytest.mark.parametrize(
    "table",
    [
        "[run]\nmax_cost = nan\n",
        "[run]\ntimeout_s = inf\n",
        "[run]\nconfirm_above_usd = nan\n",
        "[tiers.haiku]\ninput_per_mtok = nan\n",
    ],
)
def test_configuration_refuses_non_finite_numbers(tmp_path: Path, table: str) -> None:
    from planner.config import load_config

    (tmp_path / "planner.toml").write_text(table, encoding="utf-8")
    with pytest.raises(ConfigError, match="finite"):
        load_config(tmp_path)


@pytest.mark.parametrize("weight", ["nan", "inf", "-inf"])
def test_rule_files_refuse_a_non_finite_weight(tmp_path: Path, weight: str) -> None:
    from planner.advise.rules import load_rules

    rules = tmp_path / "extra.toml"
    rules.write_text(
        f'[[rule]]\nid = "x"\npattern = "pipeline"\nwhen = "steps <= 1"\nweight = {weight}\n'
        'reason = "because"\n',
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match="finite"):
        load_rules((rules,))
