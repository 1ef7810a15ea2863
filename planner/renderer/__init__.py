"""``planner.render(plan, format=...)``: one plan, every output format.

``diagram`` is the box drawing (see :mod:`planner.diagram`); ``mermaid``,
``dot`` and ``markdown`` come from the Jinja templates in ``templates/``
(Jinja is imported only for those); ``yaml`` and ``json`` are the plan file
itself, as :mod:`planner.plan.dump` writes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.errors import InputError

if TYPE_CHECKING:
    from planner.config import Config
    from planner.plan.model import Plan

FORMATS = ("diagram", "mermaid", "dot", "markdown", "yaml", "json")
_TEMPLATES = {"mermaid": "mermaid.mmd.j2", "dot": "plan.dot.j2", "markdown": "playbook.md.j2"}

__all__ = ["FORMATS", "plan_file", "render"]


def render(
    plan: Plan,
    format: str = "diagram",
    *,
    direction: str = "TD",
    ascii: bool = False,
    max_width: int | None = None,
    config: Config | None = None,
) -> str:
    """Render ``plan`` as ``format`` (one of :data:`FORMATS`).

    ``direction`` (``TD`` or ``LR``) applies to the diagram, Mermaid and DOT;
    ``ascii`` and ``max_width`` to the diagram. ``config`` supplies the tier
    to model-id table for the playbook (default: the nearest configuration).
    A plan whose dependencies loop raises :class:`~planner.errors.PlanError`
    naming the cycle.

    >>> print(render(plan, "mermaid"))  # doctest: +SKIP
    flowchart TD
        n_find["Find existing patterns<br/>haiku"]
    ...
    """
    from planner.config import Config
    from planner.diagram import DIRECTIONS, draw_plan, plan_graph
    from planner.errors import check_arg
    from planner.plan.model import Plan as PlanType

    check_arg("render", "plan", plan, PlanType, "a Plan (load one with planner.load_plan)")
    check_arg("render", "format", format, str, "a str")
    check_arg("render", "direction", direction, str, "a str")
    check_arg("render", "ascii", ascii, bool, "a bool")
    if max_width is not None:
        check_arg("render", "max_width", max_width, int, "an int or None")
        if max_width < 0:
            raise InputError("render(): max_width must be 0 (no limit) or more")
    if config is not None:
        check_arg("render", "config", config, Config, "a planner.config.Config or None")
    if format not in FORMATS:
        raise InputError(f"unknown format {format!r} (choose from {', '.join(FORMATS)})")
    if direction.upper() not in DIRECTIONS:
        raise InputError(f"unknown direction {direction!r} (use TD or LR)")
    plan_graph(plan)  # the same checks for every format: cycles, unknown steps
    if format == "diagram":
        return draw_plan(plan, ascii=ascii, direction=direction, max_width=max_width)
    if format == "yaml":
        from planner.plan.dump import dump_yaml

        return dump_yaml(plan)
    if format == "json":
        from planner.plan.dump import dump_json

        return dump_json(plan)
    return _templated(_TEMPLATES[format], plan, config=config, direction=direction)


def plan_file(plan: Plan, *, config: Config | None = None) -> str:
    """The plan as a commented plan file (``templates/plan.yaml.j2``) that
    loads back to an equal plan."""
    return _templated("plan.yaml.j2", plan, config=config)


def _templated(name: str, plan: Plan, *, config: Config | None, direction: str = "TD") -> str:
    from planner.config import load_config
    from planner.renderer.templating import render_template
    from planner.renderer.views import plan_view

    view = plan_view(plan, config=config or load_config(), direction=direction)
    return render_template(name, **view)
