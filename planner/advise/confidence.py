"""How sure the advisor is, said honestly: alternatives ranked by evidence, and doubt named.

The confidence itself is the chosen pattern's share of the scores (see
``planner.advise.engine.score``). This module decides what to show with it:
which runner-ups have any evidence at all (a pattern no rule pointed to is
not an alternative, however its softmax share rounds), whether the choice is
uncertain (below the threshold in ``rules/thresholds.toml``), and if so what
would decide it: the runner-up, and the features and cue phrases that the
rules for each side rest on.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from planner import tomlcache
from planner.advise.catalog import pattern_info
from planner.advise.engine import FiredRule, Scores
from planner.advise.rules import RuleSet
from planner.errors import RuleFileError
from planner.plan.model import Alternative
from planner.resources import data_file

if TYPE_CHECKING:
    from planner.advise import Decision


@cache
def uncertain_below() -> float:
    """The confidence under which the text output calls the choice uncertain."""
    table = tomlcache.read_builtin("thresholds.toml", "the thresholds").get("confidence", {})
    value = table.get("uncertain_below")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise RuleFileError(
            "[confidence] uncertain_below must be a number between 0 and 1",
            path=str(data_file("rules", "thresholds.toml")),
        )
    return float(value)


def evidence(fired: tuple[FiredRule, ...]) -> dict[str, float]:
    """Each pattern some rule fired for, with the sum of its fired rules' weights."""
    out: dict[str, float] = {}
    for f in fired:
        out[f.pattern] = out.get(f.pattern, 0.0) + f.weight
    return out


def alternatives(
    scores: Scores,
    fired: tuple[FiredRule, ...],
    chosen: str,
    limit: int,
    floor: float = 0.0,
    by_score: bool | None = None,
) -> tuple[Alternative, ...]:
    """The runner-ups, strongest first.

    With the learned pattern model (``by_score``, the default when it is
    installed) they are ranked by its probability, which is the evidence: it
    weighs the rules that fired together with what the parse found, and on
    writers it was not fitted on it puts the right pattern first among the
    runner-ups more often than the hand weights of the fired rules do
    (leave-one-writer-out, of the tasks whose chosen pattern was wrong: 170
    against 140 of 244). A pattern no rule pointed to is still listed only when
    its score reaches ``floor``, and the text report marks it.

    Without the model the scores are the rules' own sums: a pattern has
    evidence when the rules that fired for it add up to more than nothing,
    and those come first, in score order. After them come patterns no rule
    pointed to whose score still reaches ``floor``. Such patterns all share
    one softmax value, so they would only be ties: they are listed only when
    their scores differ.
    """
    if by_score is None:
        from planner.advise.learned import load_pattern_model

        by_score = load_pattern_model() is not None
    support = evidence(fired)
    conf = dict(scores.confidence)
    others = [p for p, _ in scores.raw if p != chosen]
    if by_score:
        shown = [p for p in others if conf[p] >= floor and conf[p] > 0]
        return tuple(Alternative(p, conf[p]) for p in shown)[:limit]
    backed = [p for p in others if support.get(p, 0.0) > 0]
    rest = [p for p in others if support.get(p, 0.0) <= 0 and conf[p] >= floor and conf[p] > 0]
    values = [conf[p] for p in rest]
    rest = [p for p in rest if values.count(conf[p]) == 1]
    return tuple(Alternative(p, conf[p]) for p in (*backed, *rest))[:limit]


def backed(pattern: str, fired: tuple[FiredRule, ...]) -> bool:
    """Whether some rule's evidence points to ``pattern`` (its fired weights add up to more than nothing)."""
    return evidence(fired).get(pattern, 0.0) > 0


def support_note(pattern: str, fired: tuple[FiredRule, ...]) -> str:
    """How a score without the rules' support is marked: "" when rules point to
    the pattern, else whether none fired for it or those that did argue against it."""
    support = evidence(fired)
    if support.get(pattern, 0.0) > 0:
        return ""
    if pattern in support:
        return "the rules that fired argue against it"
    return "no rule fired for it"


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _feature_label(name: str, decision: Decision) -> str:
    """``name = value``, with the cue phrases the text matched for a cue feature."""
    value = decision.features.values.get(name)
    cue = decision.features.cues.get(name)
    phrases = f" ({', '.join(repr(c) for c in cue[:3])})" if cue else ""
    return f"{name} = {_shown(value)}{phrases}"


# How many signals to name on each side of a close call: enough to see the
# difference, few enough to read in one line each.
_SHOWN_SIGNALS = 3


def _separation(decision: Decision, chosen: str, runner: str, ruleset: RuleSet) -> tuple[list[str], list[str]]:
    """What argues for ``chosen`` over ``runner`` and for ``runner`` over ``chosen``.

    With the learned pattern model, each input's share of the difference
    between the two patterns' scores (its weight for one minus its weight for
    the other, times its value), largest first: exactly what moved the
    choice. Without it, the features the fired rules' conditions read.
    """
    from planner.advise.learned import load_pattern_model, pattern_features

    reasons = {f.id: f.reason.rstrip(".") for f in decision.fired}
    model = load_pattern_model()
    if model is not None and chosen in model.classes and runner in model.classes:
        a, b = model.classes.index(chosen), model.classes.index(runner)
        shares: list[tuple[float, str]] = []
        for name, value in pattern_features(decision.features, decision.fired).items():
            row = model.weights.get(name)
            if row is not None and value:
                shares.append(((row[a] - row[b]) * value, name))
        shares.sort(key=lambda t: (-abs(t[0]), t[1]))

        def label(name: str) -> str:
            kind, _, key = name.partition(":")
            if kind == "r":
                return f"rule {key}: {reasons.get(key, '')}".rstrip(": ")
            if kind == "c":
                return f"reading {key}"
            if kind == "v":
                return f"step verb '{key}'"
            if kind == "w":
                return f"word '{key}'"
            if kind == "b":  # a small count seen on its own ("steps=1"): the feature and its value
                return _feature_label(key.partition("=")[0], decision)
            return _feature_label(key, decision)

        mine = [label(n) for v, n in shares if v > 0][:_SHOWN_SIGNALS]
        theirs = [label(n) for v, n in shares if v < 0][:_SHOWN_SIGNALS]
        return mine, theirs
    rules = {r.id: r for r in ruleset.selection}

    def grounds(pattern: str) -> list[str]:
        out: list[str] = []
        for f in sorted((f for f in decision.fired if f.pattern == pattern and f.weight > 0), key=lambda f: -f.weight):
            out.append(f"rule {f.id}: {f.reason.rstrip('.')}")
            rule = rules.get(f.id)
            if rule is not None:
                out.extend(_feature_label(n, decision) for n in sorted(rule.when.names()) if n in decision.features.values)
        return list(dict.fromkeys(out))[:_SHOWN_SIGNALS]

    return grounds(chosen), grounds(runner)


def doubt_lines(decision: Decision, confidence: float | None, ruleset: RuleSet, try_command: str) -> list[str]:
    """What the text report says when the choice is uncertain (empty when it is not).

    ``try_command`` is the command that reruns the task, to which
    ``--pattern SLUG`` is appended for the runner-up.
    """
    threshold = uncertain_below()
    if confidence is None or confidence >= threshold:
        return []
    chosen = decision.pattern
    lines = [f"Uncertain: confidence {confidence:.2f}, below {threshold:.2f}."]
    if not backed(chosen, decision.fired):
        from planner.advise.learned import load_pattern_model

        lines[0] += (
            f" No rule points to {chosen}: its score comes from the learned weights of the features."
            if load_pattern_model() is not None
            else f" No rule points to {chosen}: with nothing pointing anywhere, one agent is the default."
        )
    if decision.forced:
        runner: str | None = decision.scores.raw[0][0]
    else:
        # The strongest other pattern, in the same order as the alternatives
        # (without the model, a pattern whose score only ties with others is no runner-up).
        ranked = alternatives(decision.scores, decision.fired, chosen, limit=1)
        runner = ranked[0].pattern if ranked else None
    if runner is None or runner == chosen or decision.scores.of(runner) == 0:
        lines.append("  No other pattern has a score of its own; the doubt is in how much the text says.")
        lines.append("  Saying which parts of the work can run side by side and which need another's result")
        lines.append("  would settle it.")
        return lines
    note = support_note(runner, decision.fired)
    tag = f", {note}" if note else ""
    who = "The advisor's own pick" if decision.forced else "The runner-up"
    if decision.forced:
        lines.append(f"  {chosen} was chosen with --pattern.")
    lines.append(f"  {who} is {runner} ({decision.scores.of(runner):.2f}{tag}). What separates them:")
    mine, theirs = _separation(decision, chosen, runner, ruleset)
    for pattern, signals in ((chosen, mine), (runner, theirs)):
        lines.append(f"    for {pattern}: " + ("; ".join(signals) if signals else "nothing in particular"))
    lines.append(f"  {runner} fits better when: {pattern_info(runner).use_when} Then run:")
    lines.append(f"    {try_command}" if decision.forced else f"    {try_command} --pattern {runner}")
    return lines
