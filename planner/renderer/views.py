"""Plain values the templates display: computed here, laid out there.

Templates stay free of logic beyond loops and conditions; everything that
needs the plan's graph (waves, joins, parallel streams) is worked out here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from planner.diagram import loop_lines, plan_graph
from planner.diagram.graph import Graph, waves
from planner.renderer.escape import mermaid_id

if TYPE_CHECKING:
    from planner.config import Config
    from planner.plan.model import Plan


@dataclass(frozen=True)
class StepView:
    id: str
    node: str  # the id used in Mermaid and DOT sources
    title: str
    role: str | None
    role_meaning: str | None
    kind: str | None
    tier: str | None
    model: str | None
    prompt: str | None
    depends_on: tuple[str, ...]
    dependents: tuple[str, ...]
    wave: int
    max_rounds: int | None
    until: str | None
    for_each: str | None = None  # the step whose list it runs over
    for_each_max: int | None = None
    output_json: str | None = None  # the output schema as JSON text
    loop: tuple[str, ...] = ()  # a repeating step's label lines (planner.diagram.loop_lines)


@dataclass(frozen=True)
class Cluster:
    label: str
    members: tuple[str, ...]  # node ids


def streams(plan: Plan) -> list[list[str]]:
    """Parallel pipelines: maximal chains ``a -> b -> ...`` where each link is
    the only way out of ``a`` and the only way into ``b``. Returned only when
    there are two or more chains of two or more steps."""
    out_deg = {s.id: 0 for s in plan.steps}
    for s in plan.steps:
        for d in s.depends_on:
            out_deg[d] += 1
    nxt: dict[str, str] = {}
    has_prev: set[str] = set()
    for s in plan.steps:
        if len(s.depends_on) == 1 and out_deg[s.depends_on[0]] == 1:
            nxt[s.depends_on[0]] = s.id
            has_prev.add(s.id)
    chains: list[list[str]] = []
    for s in plan.steps:
        if s.id in nxt and s.id not in has_prev:
            chain = [s.id]
            while chain[-1] in nxt:
                chain.append(nxt[chain[-1]])
            chains.append(chain)
    return chains if len(chains) >= 2 else []


def _schema_json(schema: Any) -> str | None:
    if schema is None:
        return None
    import json

    from planner.plan.contracts import plain

    return json.dumps(plain(schema), ensure_ascii=False, indent=2)


def _letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else str(i + 1)


def plan_view(
    plan: Plan, *, config: Config, direction: str = "TD", graph: Graph | None = None
) -> dict[str, Any]:
    """Everything the templates need, derived from one plan (``graph``: its
    :func:`plan_graph`, when the caller has it already)."""
    if graph is None:
        graph = plan_graph(plan)  # raises PlanError on cycles and unknown steps
    wave_of = {sid: i for i, wave in enumerate(waves(graph), start=1) for sid in wave}
    taken: set[str] = set()
    node = {s.id: mermaid_id(s.id, taken) for s in plan.steps}
    steps = []
    for s in plan.steps:
        role = config.roles.get(s.role) if s.role else None
        tier = config.tiers.get(s.tier) if s.tier else None
        steps.append(
            StepView(
                id=s.id,
                node=node[s.id],
                title=s.label,
                role=s.role,
                role_meaning=role.meaning if role else None,
                kind=role.kind if role else None,
                tier=s.tier,
                model=tier.model if tier else None,
                prompt=s.prompt,
                depends_on=s.depends_on,
                dependents=plan.dependents(s.id),
                wave=wave_of[s.id],
                max_rounds=s.max_rounds,
                until=s.until,
                for_each=s.for_each.source if s.for_each else None,
                for_each_max=s.for_each.max_parallel if s.for_each else None,
                output_json=_schema_json(s.output),
                loop=loop_lines(s.max_rounds, s.until),
            )
        )
    by_wave: dict[int, list[StepView]] = {}
    for sv in steps:
        by_wave.setdefault(sv.wave, []).append(sv)
    clusters = [
        Cluster(f"pipeline {_letter(i)}", tuple(node[sid] for sid in chain))
        for i, chain in enumerate(streams(plan))
    ]
    tiers_used: dict[str, list[str]] = {}
    for sv in steps:
        if sv.tier:
            tiers_used.setdefault(sv.tier, []).append(sv.node)
    return {
        "plan": plan,
        "direction": "LR" if direction.upper() == "LR" else "TD",
        "steps": steps,
        "waves": [by_wave[k] for k in sorted(by_wave)],
        "edges": [(node[d], node[s.id]) for s in plan.steps for d in s.depends_on],
        "joins": [sv for sv in steps if len(sv.depends_on) > 1],
        "finals": [sv for sv in steps if not sv.dependents],
        "clusters": clusters,
        "tiers_used": tiers_used,
        "models": {name: t.model for name, t in config.tiers.items()},
    }
