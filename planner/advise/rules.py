"""Load the advisor's rule data: selection rules, tier rules, cues, builder
defaults and effort thresholds. (The estimate's assumptions belong to the plan
layer, :mod:`planner.plan.estimate`, which the runner reads too.)

Built-in files come from ``rules/``; the user's ``rule_files`` (configuration)
are read after them and may add cue phrases, add selection or tier rules, or
replace a built-in rule by reusing its ``id``. Every problem is a
:class:`RuleFileError` naming the file, the line and the key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from planner.advise.conditions import Condition, ConditionError, Kind, compile_condition
from planner.advise.features import BASE_FEATURES, feature_kinds
from planner.parser.cues import CUE_NAME_RE, CueCategory, compile_category, compile_regex
from planner.plan.model import PATTERNS, STEP_ID_RE
from planner.resources import data_file
from planner.rulefile import RuleText, expect_keys, expect_type, read_rule_file

# Names a tier rule sees besides the task features.
STEP_NAMES: dict[str, Kind] = {
    "role": "str",
    "kind": "str",
    "pattern": "str",
    "reviewed": "bool",
    "parallel": "bool",
    "rank": "num",
}


class SelectionRule(NamedTuple):
    id: str
    pattern: str
    when: Condition
    weight: float
    reason: str
    source: str
    path: str
    line: int | None
    # A constraint states what a pattern's shape cannot be: its weight is added on
    # top of the learned model's score too, never left for the model to weigh.
    constraint: bool = False


class TierRule(NamedTuple):
    id: str
    when: Condition
    shift: int
    tier: str | None
    min_rank: int | None
    reason: str
    source: str
    path: str
    line: int | None


class Scoring(NamedTuple):
    temperature: float = 1.5
    min_alternative: float = 0.05
    max_alternatives: int = 3


class RuleSet(NamedTuple):
    cues: Mapping[str, CueCategory]
    selection: tuple[SelectionRule, ...]
    tier_rules: tuple[TierRule, ...]
    scoring: Scoring
    builders: Mapping[str, Any]
    effort: Mapping[str, int]
    refinement: Mapping[str, int]
    files: tuple[str, ...]
    count_ignore: frozenset[str] = frozenset()



def load_cues(rts: list[RuleText]) -> dict[str, CueCategory]:
    """Merge ``[cues.NAME]`` tables from rule files, later files extending earlier ones."""
    merged: dict[str, tuple[str, list[str], list[str]]] = {}
    for rt in rts:
        cues = rt.data.get("cues")
        if cues is None:
            continue
        if not isinstance(cues, dict):
            raise rt.error("'cues' must be a table of categories", None, key="cues")
        for name, table in cues.items():
            header = f"cues.{name}"
            if not CUE_NAME_RE.match(name):
                raise rt.error(f"cue category '{name}': use lower-case letters, digits and '_'", header)
            expect_keys(rt, table, header=header, optional=("reason", "phrases", "regex"), what=f"cue category '{name}'")
            phrases = table.get("phrases", [])
            regexes = table.get("regex", [])
            for key, values in (("phrases", phrases), ("regex", regexes)):
                if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                    raise rt.error(f"cue category '{name}': key '{key}' must be a list of non-empty strings", header, key=key)
            for rx in regexes if not rt.builtin else ():
                try:
                    compile_regex(rx)  # same flags as compile_category: compiled once
                except re.error as exc:
                    raise rt.error(f"cue category '{name}': bad regex {rx!r}: {exc}", header, key="regex") from None
            reason = table.get("reason", "")
            if not isinstance(reason, str):
                raise rt.error(f"cue category '{name}': key 'reason' must be a string", header, key="reason")
            if name in merged:
                old_reason, old_phrases, old_regexes = merged[name]
                merged[name] = (reason or old_reason, old_phrases + phrases, old_regexes + regexes)
            else:
                merged[name] = (reason, list(phrases), list(regexes))
    return {
        name: compile_category(name, reason, tuple(phrases), tuple(regexes))
        for name, (reason, phrases, regexes) in merged.items()
    }


def _builtin(name: str) -> RuleText:
    return read_rule_file(data_file("rules", name))


def _str_key(rt: RuleText, table: dict[str, Any], key: str, header: str, index: int, what: str, *, default: str | None = None) -> str:
    if key not in table and default is not None:
        return default
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise rt.error(f"{what}: key '{key}' must be a non-empty string", header, index, key)
    return value


def _condition(rt: RuleText, text: Any, names: Mapping[str, Kind], header: str, index: int, what: str) -> Condition:
    if not isinstance(text, str):
        raise rt.error(f"{what}: key 'when' must be a string", header, index, "when")
    try:
        return compile_condition(text, names)
    except ConditionError as exc:
        raise rt.error(f"{what}: key 'when': {exc}", header, index, "when") from None


def _selection_rules(rts: list[RuleText], names: Mapping[str, Kind]) -> tuple[tuple[SelectionRule, ...], Scoring]:
    rules: dict[str, SelectionRule] = {}
    scoring = Scoring()
    for rt in rts:
        raw_scoring = rt.data.get("scoring")
        if raw_scoring is not None:
            table = expect_keys(rt, raw_scoring, header="scoring", optional=("temperature", "min_alternative", "max_alternatives"), what="[scoring]")
            temperature = expect_type(rt, table.get("temperature", scoring.temperature), (int, float), header="scoring", index=0, key="temperature", what="[scoring]", noun="a number")
            min_alt = expect_type(rt, table.get("min_alternative", scoring.min_alternative), (int, float), header="scoring", index=0, key="min_alternative", what="[scoring]", noun="a number")
            max_alt = expect_type(rt, table.get("max_alternatives", scoring.max_alternatives), int, header="scoring", index=0, key="max_alternatives", what="[scoring]", noun="an integer")
            if temperature <= 0:
                raise rt.error("[scoring]: key 'temperature' must be above 0", "scoring", key="temperature")
            if not 0 <= min_alt <= 1:
                raise rt.error("[scoring]: key 'min_alternative' must be between 0 and 1", "scoring", key="min_alternative")
            if max_alt < 0:
                raise rt.error("[scoring]: key 'max_alternatives' must be 0 or more", "scoring", key="max_alternatives")
            scoring = Scoring(float(temperature), float(min_alt), int(max_alt))
        entries = rt.data.get("rule", [])
        if not isinstance(entries, list):
            raise rt.error("'rule' must be written as [[rule]] tables", None, key="rule")
        for i, entry in enumerate(entries):
            what = f"rule #{i + 1}"
            table = expect_keys(rt, entry, header="rule", index=i, required=("id", "pattern", "when", "weight", "reason"), optional=("source", "constraint"), what=what)
            rule_id = _str_key(rt, table, "id", "rule", i, what)
            what = f"rule '{rule_id}'"
            if not STEP_ID_RE.match(rule_id):
                raise rt.error(f"{what}: ids use lower-case letters, digits, '-' and '_'", "rule", i, "id")
            pattern = _str_key(rt, table, "pattern", "rule", i, what)
            if pattern not in PATTERNS:
                raise rt.error(f"{what}: unknown pattern '{pattern}' (known: {', '.join(PATTERNS)})", "rule", i, "pattern")
            weight = expect_type(rt, table["weight"], (int, float), header="rule", index=i, key="weight", what=what, noun="a number")
            if abs(weight) > 100:
                raise rt.error(f"{what}: key 'weight' must be between -100 and 100", "rule", i, "weight")
            rules[rule_id] = SelectionRule(
                id=rule_id,
                pattern=pattern,
                when=_condition(rt, table["when"], names, "rule", i, what),
                weight=float(weight),
                reason=_str_key(rt, table, "reason", "rule", i, what),
                source=_str_key(rt, table, "source", "rule", i, what, default=""),
                path=rt.name,
                line=rt.line_of("rule", i),
                constraint=table.get("constraint", False) is True,
            )
    return tuple(rules.values()), scoring


def _tier_rules(rts: list[RuleText], names: Mapping[str, Kind]) -> tuple[TierRule, ...]:
    rules: dict[str, TierRule] = {}
    for rt in rts:
        entries = rt.data.get("tier_rule", [])
        if not isinstance(entries, list):
            raise rt.error("'tier_rule' must be written as [[tier_rule]] tables", None, key="tier_rule")
        for i, entry in enumerate(entries):
            what = f"tier rule #{i + 1}"
            table = expect_keys(rt, entry, header="tier_rule", index=i, required=("id", "when", "reason"), optional=("shift", "tier", "min_rank", "source"), what=what)
            rule_id = _str_key(rt, table, "id", "tier_rule", i, what)
            what = f"tier rule '{rule_id}'"
            shift = expect_type(rt, table.get("shift", 0), int, header="tier_rule", index=i, key="shift", what=what, noun="an integer")
            tier = table.get("tier")
            if tier is not None and (not isinstance(tier, str) or not tier.strip()):
                raise rt.error(f"{what}: key 'tier' must be a tier name or '@strongest'/'@cheapest'", "tier_rule", i, "tier")
            if (tier is None) == (shift == 0):
                raise rt.error(f"{what}: give exactly one of 'shift' (non-zero) or 'tier'", "tier_rule", i)
            min_rank = table.get("min_rank")
            if min_rank is not None:
                expect_type(rt, min_rank, int, header="tier_rule", index=i, key="min_rank", what=what, noun="an integer")
            rules[rule_id] = TierRule(
                id=rule_id,
                when=_condition(rt, table["when"], names, "tier_rule", i, what),
                shift=int(shift),
                tier=tier,
                min_rank=min_rank,
                reason=_str_key(rt, table, "reason", "tier_rule", i, what),
                source=_str_key(rt, table, "source", "tier_rule", i, what, default=""),
                path=rt.name,
                line=rt.line_of("tier_rule", i),
            )
    return tuple(rules.values())


def _int_table(rt: RuleText, name: str) -> dict[str, int]:
    table = rt.data.get(name)
    if not isinstance(table, dict):
        raise rt.error(f"missing table [{name}]", None)
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise rt.error(f"[{name}]: key '{key}' must be a positive integer", name, key=key)
    return dict(table)


@cache
def load_rules(user_files: tuple[Path, ...] = ()) -> RuleSet:
    """The advisor's rules: built-ins, then the user's rule files in order."""
    builtin_cues = _builtin("advisor_cues.toml")
    selection = _builtin("selection.toml")
    tiers = _builtin("tier_rules.toml")
    builders = _builtin("builders.toml")
    thresholds = _builtin("thresholds.toml")
    users = [read_rule_file(p) for p in user_files]
    for rt in users:
        for key in rt.data:
            if key not in ("cues", "rule", "tier_rule", "scoring", "counting"):
                raise rt.error(f"unknown table '{key}' (a rule file may hold cues, rule, tier_rule, scoring, counting)", key)
    cues = load_cues([builtin_cues, *users])
    for name in cues:
        if name in BASE_FEATURES or name.removesuffix("_hits") in BASE_FEATURES or name in STEP_NAMES:
            rt = next((r for r in users if name in r.data.get("cues", {})), builtin_cues)
            raise rt.error(f"cue category '{name}' clashes with a built-in feature name", f"cues.{name}")
    names = feature_kinds(cues)
    count_ignore: set[str] = set()
    for rt in (builtin_cues, *users):
        counting = rt.data.get("counting")
        if counting is None:
            continue
        table = expect_keys(rt, counting, header="counting", optional=("ignore_nouns",), what="[counting]")
        nouns = table.get("ignore_nouns", [])
        if not isinstance(nouns, list) or not all(isinstance(w, str) for w in nouns):
            raise rt.error("[counting]: key 'ignore_nouns' must be a list of strings", "counting", key="ignore_nouns")
        count_ignore.update(w.lower() for w in nouns)
    selection_rules, scoring = _selection_rules([selection, *users], names)
    tier_rules = _tier_rules([tiers, *users], {**names, **STEP_NAMES})
    return RuleSet(
        cues=cues,
        selection=selection_rules,
        tier_rules=tier_rules,
        scoring=scoring,
        builders=builders.data,
        effort=_int_table(thresholds, "effort"),
        refinement=_int_table(thresholds, "refinement"),
        files=(
            *(rt.name for rt in (builtin_cues, selection, tiers)),
            "rules/estimate.toml",  # read by planner.plan.estimate
            *(rt.name for rt in (builders, thresholds, *users)),
        ),
        count_ignore=frozenset(count_ignore),
    )
