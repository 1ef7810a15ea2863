"""Human-readable output of ``planner suggest`` (the report and ``--explain``), kept with the
command line: the advisor hands over a Suggestion and never draws it."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from planner.advise.catalog import pattern_info
from planner.advise.confidence import doubt_lines, support_note
from planner.advise.features import feature_meanings
from planner.advise.rules import load_rules
from planner.config import Config
from planner.display import columns, printable
from planner.plan.estimate import CHEAPEST_KEY, CHEAPEST_TIER_KEY
from planner.plan.model import Plan

if TYPE_CHECKING:
    from planner.advise import Suggestion


def diagram(plan: Plan, *, ascii: bool = False, direction: str = "TD", max_width: int | None = None) -> str:
    """The box diagram from the layout engine, or an indented list if it is unavailable."""
    try:
        from planner.diagram import draw_plan
    except ImportError:
        return _plain_list(plan)
    return draw_plan(plan, ascii=ascii, direction=direction, max_width=max_width).rstrip("\n")


def _plain_list(plan: Plan) -> str:
    lines = []
    for s in plan.steps:
        after = f"  (after {', '.join(s.depends_on)})" if s.depends_on else ""
        lines.append(f"  - {s.label} [{s.tier}]{after}")
    return "\n".join(lines)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    # Cells quote the task (titles, cue phrases): one line each, measured in display columns.
    return columns([tuple(printable(c) for c in row) for row in rows], indent="  ", rule=True)


def _money(x: float) -> str:
    return f"${x:,.2f}" if x >= 1 else f"${x:.4f}".rstrip("0").rstrip(".") if x > 0 else "$0"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.1f} min"


# A join after twenty streams would make the table as wide as twenty ids; the
# diagram and the plan file still show every edge.
_SHOWN_DEPENDENCIES = 3


def _dependencies(ids: tuple[str, ...]) -> str:
    if not ids:
        return "-"
    if len(ids) <= _SHOWN_DEPENDENCIES + 1:
        return ", ".join(ids)
    return f"{', '.join(ids[:_SHOWN_DEPENDENCIES])} and {len(ids) - _SHOWN_DEPENDENCIES} more"


def text_report(
    suggestion: Suggestion,
    *,
    ascii: bool = False,
    direction: str = "TD",
    max_width: int | None = None,
    explain: bool = False,
    config: Config | None = None,
    command: str = "planner",
) -> str:
    """The report ``planner suggest`` prints; ``command`` is how the closing hint runs planner."""
    plan = suggestion.plan
    info = pattern_info(plan.pattern or "direct")
    sure = f", confidence {plan.confidence:.2f}" if plan.confidence is not None else ""
    lines = [f"Pattern: {info.name} ({info.slug}){sure}", "", "Why:"]
    lines.extend(f"  - {r}" for r in plan.rationale)
    task = plan.task or ""
    rerun = _rerun(command, task)
    doubt = doubt_lines(
        suggestion.decision,
        plan.confidence,
        load_rules(tuple(config.rule_files) if config is not None else ()),
        rerun,
    )
    if doubt:
        lines += ["", *doubt]
    lines += ["", f"Agents ({len(plan.steps)}):"]
    rows: list[tuple[str, ...]] = [("id", "title", "role", "tier", "depends on")]
    for s in plan.steps:
        extra = f" (up to {s.max_rounds} rounds)" if s.max_rounds else ""
        rows.append((s.id, s.label + extra, s.role or "", s.tier or "", _dependencies(s.depends_on)))
    lines += _table(rows)
    lines += ["", diagram(plan, ascii=ascii, direction=direction, max_width=max_width), ""]
    est = plan.estimate
    if est is not None:
        cheap = est.extensions.get(CHEAPEST_KEY)
        cheap_tier = est.extensions.get(CHEAPEST_TIER_KEY, "cheapest tier")
        lines.append("Estimate (rough; assumptions in rules/estimate.toml):")
        lines.append(f"  tokens        ~{est.tokens:,}")
        lines.append(f"  cost          ~{_money(est.cost_usd)}")
        lines.append(
            f"  time          ~{_duration(est.critical_path_s)} on the critical path, "
            f"~{_duration(est.sequential_s)} if run one after another ({est.speedup:g}x speedup)"
        )
        if isinstance(cheap, int | float):
            lines.append(f"  all on {cheap_tier}  ~{_money(float(cheap))} (cheaper, but weaker where judgement matters)")
        lines.append("")
    lines.append("Alternatives:")
    fired = suggestion.decision.fired
    for a in plan.alternatives:
        note = support_note(a.pattern, fired)
        tag = f", {note}" if note else ""
        lines.append(f"  - {a.pattern} ({a.score:.2f}{tag}): {pattern_info(a.pattern).use_when}")
    if not plan.alternatives:
        lines.append("  none with any evidence (--explain shows every pattern's score)")
    lines.append("")
    if explain:
        lines += explain_lines(suggestion, config)
    lines.append(f"Save this plan:  {_rerun(command, task, ' --format yaml -o plan.plan.yaml')}")
    return "\n".join(lines) + "\n"


def _rerun(command: str, task: str, options: str = "") -> str:
    """The command that runs ``planner suggest`` on ``task`` again, with ``options``."""
    if len(task) <= 200 and task.isprintable():
        return f"{command} suggest {shlex.quote(task)}{options}"
    # Long, multi-line or control characters: a command line would not show it as it is.
    return f"{command} suggest -{options} < task.txt"


def explain_lines(suggestion: Suggestion, config: Config | None = None) -> list[str]:
    d = suggestion.decision
    rules = load_rules(tuple(config.rule_files) if config is not None else ())
    meanings = feature_meanings(rules.cues)
    lines = ["Explanation:", f"  configuration: {d.config_path or 'built-in defaults (no planner.toml or [tool.planner] found)'}"]
    lines.append(f"  rule files: {', '.join(d.rule_files)}")
    if d.analysed_chars < len(suggestion.plan.task or ""):
        lines.append(f"  analysed: first {d.analysed_chars:,} characters")
    lines += ["", "  Features:"]
    rows: list[tuple[str, ...]] = [("name", "value", "meaning")]
    for name, value in d.features.to_dict().items():
        if name.endswith("_hits"):
            continue
        shown = str(value).lower() if isinstance(value, bool) else f"{value:g}" if isinstance(value, float) else str(value)
        cue = d.features.cues.get(name)
        if cue:
            shown += f" ({', '.join(cue[:4])}{', ...' if len(cue) > 4 else ''})"
        rows.append((name, shown, meanings.get(name, "")))
    lines += ["  " + r for r in _table(rows)]
    lines += ["", "  Rules that fired:"]
    if not d.fired:
        lines.append("    (none: with nothing pointing elsewhere, one agent is the default)")
    for f in d.fired:
        lines.append(f"    {f.weight:+5.1f}  {f.pattern:<24} {f.id}  [{f.where}]")
        lines.append(f"           {f.reason}")
    lines += ["", "  Scores:"]
    for p, raw in d.scores.raw:
        mark = "  <- chosen" if p == d.pattern else ""
        lines.append(f"    {p:<24} {raw:+6.2f}  confidence {d.scores.of(p):.2f}{mark}")
    if any(c.rules for _, c in d.tiers):
        lines += ["", "  Tier adjustments:"]
        for sid, c in d.tiers:
            if c.rules:
                lines.append(f"    {sid}: {c.tier} ({', '.join(c.rules)})")
    lines.append("")
    return lines


def markdown_report(suggestion: Suggestion) -> str:
    """The Markdown playbook (the renderer's template when available)."""
    from importlib import import_module

    try:
        render_module = import_module("planner.renderer")
    except ImportError:
        return _markdown_fallback(suggestion.plan)
    render = getattr(render_module, "render", None)
    if render is None:
        return _markdown_fallback(suggestion.plan)
    return str(render(suggestion.plan, format="markdown"))


def _markdown_fallback(plan: Plan) -> str:
    info = pattern_info(plan.pattern or "direct")
    out = [f"# Plan: {info.name}", "", f"**Task:** {plan.task or ''}", "", "## Why", ""]
    out += [f"- {r}" for r in plan.rationale]
    out += ["", "## Agents", ""]
    for s in plan.steps:
        deps = ", ".join(f"`{d}`" for d in s.depends_on) or "nothing"
        out += [f"### `{s.id}`: {s.label} ({s.tier})", "", f"Role: {s.role}. Starts after: {deps}.", ""]
        if s.prompt:
            out += ["```text", s.prompt, "```", ""]
    return "\n".join(out) + "\n"
