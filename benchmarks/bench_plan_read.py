"""Reading plans: what the nesting-depth pre-scan costs next to composing the same text.

The pre-scan runs before every YAML read (loader and linter), so PyYAML's own
nesting limits never answer first. Its cheap bounds must clear ordinary plans,
large ones included, for a small fraction of the compose they precede. Rows:

* a 5,000-step plan (goal <= 0.05x composing it);
* the same with prompts full of unclosed brackets and deeply indented code,
  which no cheap bound clears, so the exact scan (libyaml's events) runs
  (goal <= 0.5x composing it).
"""

from __future__ import annotations

import yaml

from benchmarks.common import Row, best_of


def _plan(n: int, *, awkward: bool) -> str:
    lines = ["version: 1", "task: A very large generated plan", "steps:"]
    for i in range(n):
        lines += [f"  - id: step-{i}", f"    title: Step {i}", "    role: implement", "    tier: sonnet"]
        if i:
            lines.append(f"    depends_on: [step-{i - 1}]")
        lines.append("    prompt: |")
        lines.append(f"      Carry out part {i} of the work and report what changed and why.")
        if awkward:
            lines.append("      Keep [every [bracket] as {written}] in [[[the notes.")
            lines.append(" " * 60 + "indented_code(block, [1, 2, {'a': 3}])")
    return "\n".join(lines) + "\n"


def rows() -> list[Row]:
    from planner.plan.yamlnodes import _Loader, check_depth

    out = []
    cases = (
        ("5,000-step plan", False, 0.05),
        ("5,000-step plan, unclosed brackets and deep code in prompts", True, 0.5),
    )
    for name, awkward, goal in cases:
        text = _plan(5000, awkward=awkward)
        assert check_depth(text) is awkward, "the exact scan ran (or not) unexpectedly"
        scan = best_of(lambda text=text: check_depth(text), repeat=5)
        compose = best_of(lambda text=text: yaml.compose(text, Loader=_Loader), repeat=3)
        out.append(
            Row(
                f"plan read: depth pre-scan, {name}",
                scan,
                reference=compose,
                reference_name="compose",
                goal=f"<= {goal:g}x compose",
                ok=scan / compose <= goal,
            )
        )
    return out
