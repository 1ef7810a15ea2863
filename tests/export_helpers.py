"""Plans to export and ways to load what the exports write."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from planner.plan import PATTERNS, Plan, Step, load_plan

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "plans"
TASKS = HERE / "fixtures" / "exports" / "tasks.txt"
_counter = itertools.count()


def tasks() -> list[str]:
    lines = TASKS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


@cache
def suggested() -> tuple[tuple[str, Plan], ...]:
    """What `planner suggest --pattern P` writes for each task and pattern."""
    import planner

    out = []
    for i, task in enumerate(tasks()):
        for pattern in PATTERNS:
            out.append((f"task{i + 1}-{pattern}", planner.suggest(task, pattern=pattern).plan))
    return tuple(out)


def golden() -> list[tuple[str, Plan]]:
    return [(p, load_plan(GOLDEN / f"{p}.yaml")) for p in PATTERNS]


def awkward_ids() -> Plan:
    """Ids that are keywords, start with a digit, collide once made identifiers,
    or match names the frameworks and the exports use themselves."""
    return Plan(
        task='Awkward "ids" {{ x }}',
        pattern="scout-build",
        steps=(
            Step("2nd-pass", title="Second pass", role="explore", tier="haiku", prompt="look"),
            Step("class", title="Class", role="explore", tier="haiku", prompt="look"),
            Step("a-b", title="A dash B", role="explore", tier="haiku", prompt="look"),
            Step("a_b", title="A underscore B", role="explore", tier="haiku", prompt="look"),
            Step("task", title="Task", role="decide", tier="opus", prompt="decide",
                 depends_on=("2nd-pass", "class", "a-b", "a_b")),
            Step("outputs", title="Outputs", role="implement", tier="sonnet", prompt="build",
                 depends_on=("task",)),
            Step("user", title="User", role="test", tier="sonnet", prompt="test", depends_on=("task",)),
            Step("plan", title="Plan", role="review", tier="opus", prompt="review",
                 depends_on=("outputs", "user"), max_rounds=2, until="no blocking issues"),
            Step("crew", title="Crew", role="synthesize", tier="opus", prompt="sum up", depends_on=("plan",)),
        ),
    )


def n_shape() -> Plan:
    """Not series-parallel: c needs a and b, d needs b only."""
    return Plan(
        task="N",
        steps=(
            Step("a", role="explore", tier="haiku", prompt="a"),
            Step("b", role="explore", tier="haiku", prompt="b"),
            Step("c", role="synthesize", tier="opus", prompt="c", depends_on=("a", "b")),
            Step("d", role="synthesize", tier="opus", prompt="d", depends_on=("b",)),
        ),
    )


def for_each_plan() -> Plan:
    """Step contracts: a list found at run time, one run per item, a schema on each result."""
    return load_plan(HERE / "fixtures" / "exports" / "for-each.plan.yaml")


def write_files(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def import_file(path: Path) -> ModuleType:
    """Import a generated module under a fresh name (its folder first on sys.path)."""
    name = f"planner_export_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module
