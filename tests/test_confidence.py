"""The advisor's confidence: the plan field, its display, and doubt said out loud."""

from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner

from planner.advise import Suggestion, suggest
from planner.advise import confidence as conf
from planner.advise.engine import FiredRule, Scores
from planner.advise.rules import load_rules
from planner.cli import cli
from planner.cli.report import text_report
from planner.plan import load_plan
from planner.plan.dump import dump_json, dump_yaml
from planner.plan.model import Plan, Step

TASKS = [
    "Understand this codebase: structure, conventions, build system",
    "Compare three caching strategies and recommend one",
    "Draft the migration guide, have the platform lead review it, and revise it based on the comments.",
    "Localise the FAQ into Korean, Dutch and Polish",
    "Refactor the payment module",
]


def _fired(pattern: str, weight: float, rule: str = "r") -> FiredRule:
    return FiredRule(rule, pattern, weight, f"because of {rule}", "test", "rules/x.toml:1")


@pytest.mark.parametrize("task", TASKS)
def test_suggest_writes_the_chosen_patterns_confidence(task: str) -> None:
    s = suggest(task)
    assert s.plan.confidence == s.decision.scores.of(s.plan.pattern or "")
    assert 0 <= (s.plan.confidence or 0) <= 1
    data = json.loads(dump_json(s.plan))
    assert data["confidence"] == s.plan.confidence
    assert "alternatives" in data  # always stated, even when nothing else had evidence
    assert load_plan(dump_yaml(s.plan)) == s.plan


@pytest.mark.parametrize("task", TASKS)
def test_alternatives_are_ranked_by_the_models_probability(task: str) -> None:
    s = suggest(task)
    scores = [a.score for a in s.plan.alternatives]
    assert scores == sorted(scores, reverse=True)  # the learned model's probability is the evidence
    assert all(a.score >= 0.02 for a in s.plan.alternatives)  # min_alternative holds for every one
    assert s.plan.pattern not in {a.pattern for a in s.plan.alternatives}


def test_alternatives_rank_evidence_over_score() -> None:
    scores = Scores(
        raw=(("pipeline", 2.0), ("direct", 1.0), ("scout-build", 0.5), ("fan-out-fan-in", 0.2), ("parallel-pipelines", 0.2)),
        confidence=(("pipeline", 0.5), ("direct", 0.2), ("scout-build", 0.15), ("fan-out-fan-in", 0.07), ("parallel-pipelines", 0.07)),
    )
    fired = (_fired("pipeline", 3.0), _fired("scout-build", 1.5, "s"), _fired("direct", -2.0, "d"))
    got = conf.alternatives(scores, fired, "pipeline", limit=5, floor=0.02, by_score=False)
    # Without the learned model: scout-build has a rule behind it; direct (argued against) and the two
    # tied patterns no rule pointed to do not outrank it, and ties are dropped.
    assert [a.pattern for a in got] == ["scout-build", "direct"]
    assert conf.alternatives(scores, fired, "pipeline", limit=1, floor=0.02, by_score=False)[0].pattern == "scout-build"
    assert conf.alternatives(scores, fired, "pipeline", limit=5, floor=0.3, by_score=False) == (got[0],)
    # With it, the probability ranks them (direct before scout-build), and the floor holds for all.
    ranked = conf.alternatives(scores, fired, "pipeline", limit=5, floor=0.1, by_score=True)
    assert [a.pattern for a in ranked] == ["direct", "scout-build"]


def test_text_report_shows_confidence_and_marks_unsupported_alternatives() -> None:
    s = suggest("Localise the FAQ into Korean, Dutch and Polish")
    out = text_report(s)
    first = out.splitlines()[0]
    assert first.endswith(f"confidence {s.plan.confidence:.2f}")
    for a in s.plan.alternatives:
        line = next(ln for ln in out.splitlines() if ln.startswith(f"  - {a.pattern} ("))
        marked = "no rule fired for it" in line or "the rules that fired argue against it" in line
        assert marked == (not conf.backed(a.pattern, s.decision.fired))


def _close_call() -> tuple[Suggestion, str]:
    """A suggestion whose runner-up has some score, and that runner-up."""
    for task in TASKS:
        s = suggest(task)
        runner = next(p for p, _ in s.decision.scores.raw if p != s.plan.pattern)
        if s.decision.scores.of(runner) > 0:
            return s, runner
    raise AssertionError("no task with a scored runner-up")


def test_uncertain_choice_names_the_runner_up_and_how_to_pick_it(monkeypatch: pytest.MonkeyPatch) -> None:
    s, runner = _close_call()
    monkeypatch.setattr(conf, "uncertain_below", lambda: 1.01)  # everything is uncertain now
    out = text_report(s, command="planner")
    plan = s.plan
    assert f"Uncertain: confidence {plan.confidence:.2f}, below 1.01." in out
    assert f"The runner-up is {runner}" in out
    assert f"    for {plan.pattern}: " in out and f"    for {runner}: " in out
    assert f"--pattern {runner}\n" in out
    monkeypatch.setattr(conf, "uncertain_below", lambda: 0.0)
    assert "Uncertain" not in text_report(s)


def test_when_nothing_else_scores_the_doubt_is_in_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    s = suggest("Draft the migration guide, have the platform lead review it, and revise it based on the comments.")
    monkeypatch.setattr(conf, "uncertain_below", lambda: 1.01)
    scores = Scores(raw=tuple((p, 0.0 if p == s.plan.pattern else -9.0) for p, _ in s.decision.scores.raw),
                    confidence=tuple((p, 1.0 if p == s.plan.pattern else 0.0) for p, _ in s.decision.scores.raw))
    decision = dataclasses.replace(s.decision, scores=scores)
    lines = conf.doubt_lines(decision, 0.4, load_rules(), "planner suggest x")
    assert lines[0] == "Uncertain: confidence 0.40, below 1.01."
    assert "No other pattern has a score of its own" in lines[1]


def test_a_confident_choice_says_nothing_more() -> None:
    s = suggest("Draft the migration guide, have the platform lead review it, and revise it based on the comments.")
    assert (s.plan.confidence or 0) >= conf.uncertain_below()
    assert "Uncertain" not in text_report(s)


def test_a_forced_pattern_shows_the_advisors_own_pick(monkeypatch: pytest.MonkeyPatch) -> None:
    s = suggest("Compare three caching strategies and recommend one", pattern="pipeline")
    own = s.decision.scores.raw[0][0]
    assert own != "pipeline" and s.plan.confidence == s.decision.scores.of("pipeline")
    out = text_report(s, command="planner")
    assert "pipeline was chosen with --pattern." in out
    assert f"The advisor's own pick is {own}" in out
    # Following the advisor means running without --pattern.
    assert "    planner suggest 'Compare three caching strategies and recommend one'\n" in out


def test_separation_names_what_moved_the_choice() -> None:
    s = suggest("Localise the FAQ into Korean, Dutch and Polish")
    runner = next(p for p, _ in s.decision.scores.raw if p != s.plan.pattern)
    mine, theirs = conf._separation(s.decision, s.plan.pattern or "", runner, load_rules())
    names = set(s.decision.features.values)
    lemmas = s.decision.features.lemmas
    for signal in (*mine, *theirs):
        head = signal.split(" = ")[0]
        if head.startswith("word "):
            assert head.split("'")[1] in lemmas, signal  # a word the text uses, not one it lacks
            continue
        assert head.startswith(("rule ", "reading ", "step verb ")) or head in names, signal


def test_the_threshold_is_data() -> None:
    assert 0 < conf.uncertain_below() <= 1


def test_cli_json_and_yaml_carry_confidence() -> None:
    task = "Compare three caching strategies and recommend one"
    result = CliRunner().invoke(cli, ["suggest", task, "--format", "json"])
    assert result.exit_code == 0
    assert 0 < json.loads(result.stdout)["confidence"] <= 1
    result = CliRunner().invoke(cli, ["suggest", task, "--format", "yaml"])
    assert result.exit_code == 0
    assert load_plan(result.stdout).confidence == json.loads(dump_json(suggest(task).plan))["confidence"]


def test_a_plan_without_confidence_is_dumped_as_written() -> None:
    plan = Plan(steps=(Step("a", prompt="Do it."),))
    assert "confidence" not in json.loads(dump_json(plan))
    assert "alternatives" not in json.loads(dump_json(plan))


def test_without_the_learned_model_ties_name_no_runner_up(monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.advise import learned

    monkeypatch.setattr(learned, "load_pattern_model", lambda: None)
    s = suggest("Tidy up")  # the rules' own weights: every pattern no rule fired for has one tied score
    assert s.plan.alternatives == ()
    monkeypatch.setattr(conf, "uncertain_below", lambda: 1.01)
    lines = conf.doubt_lines(s.decision, 0.3, load_rules(), "planner suggest 'Tidy up'")
    assert "No other pattern has a score of its own" in lines[1]
