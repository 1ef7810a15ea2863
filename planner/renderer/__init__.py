"""``planner.render(plan, format=...)``: one plan, every output format.

``diagram`` is the box drawing (see :mod:`planner.diagram`); ``mermaid``,
``dot`` and ``markdown`` come from the Jinja templates in ``templates/``
(Jinja is imported only for those); ``yaml`` and ``json`` are the plan file
itself, as :mod:`planner.plan.dump` writes it. The framework exports
(``langgraph``, ``crewai``, ``adk``, ``claude-agents``, ``claude-sdk``) come
from ``templates/export/`` (see :mod:`planner.renderer.export`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from planner.errors import InputError

if TYPE_CHECKING:
    from planner.config import Config
    from planner.diagram.graph import Graph
    from planner.plan.model import Plan

# Formats of one text, then the framework exports (one file or a folder of files).
VIEWS = ("diagram", "mermaid", "dot", "markdown", "yaml", "json")
EXPORT_FORMATS = ("langgraph", "crewai", "adk", "claude-agents", "claude-sdk")
FORMATS = VIEWS + EXPORT_FORMATS
# Exports that are a folder of files: render() returns {relative path: text}.
FOLDER_FORMATS = ("crewai", "claude-agents")
_TEMPLATES = {"mermaid": "mermaid.mmd.j2", "dot": "plan.dot.j2", "markdown": "playbook.md.j2"}

TextFormat = Literal[
    "diagram", "mermaid", "dot", "markdown", "yaml", "json", "langgraph", "adk", "claude-sdk"
]
FolderFormat = Literal["crewai", "claude-agents"]

__all__ = ["EXPORT_FORMATS", "FOLDER_FORMATS", "FORMATS", "mermaid_edge_warning", "plan_file", "render"]


@overload
def render(
    plan: Plan,
    format: TextFormat = "diagram",
    *,
    direction: str = "TD",
    ascii: bool = False,
    max_width: int | None = None,
    config: Config | None = None,
) -> str: ...


@overload
def render(
    plan: Plan,
    format: FolderFormat,
    *,
    direction: str = "TD",
    ascii: bool = False,
    max_width: int | None = None,
    config: Config | None = None,
) -> dict[str, str]: ...


@overload
def render(
    plan: Plan,
    format: str,
    *,
    direction: str = "TD",
    ascii: bool = False,
    max_width: int | None = None,
    config: Config | None = None,
) -> str | dict[str, str]: ...


def render(
    plan: Plan,
    format: str = "diagram",
    *,
    direction: str = "TD",
    ascii: bool = False,
    max_width: int | None = None,
    config: Config | None = None,
) -> str | dict[str, str]:
    """Render ``plan`` as ``format`` (one of :data:`FORMATS`).

    Returns ``str`` for every format of one file (the views, ``langgraph``,
    ``adk``, ``claude-sdk``) and ``dict[str, str]`` (relative path -> text)
    for the folder exports ``crewai`` and ``claude-agents``.

    ``direction`` (``TD`` or ``LR``) applies to the diagram, Mermaid and DOT;
    ``ascii`` and ``max_width`` to the diagram. ``config`` supplies the tier
    to model-id table for the playbook and the exports (default: the nearest
    configuration). A plan whose dependencies loop raises
    :class:`~planner.errors.PlanError` naming the cycle.

    >>> print(render(plan, "mermaid"))  # doctest: +SKIP
    flowchart TD
        n_find["Find existing patterns<br/>haiku"]
    ...
    """
    from planner.config import Config
    from planner.diagram import DIRECTIONS
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
    from planner.gcpause import paused_gc

    with paused_gc():  # a large plan renders into many objects and no cycles
        return _render(plan, format, direction=direction, ascii=ascii, max_width=max_width, config=config)


def _render(
    plan: Plan, format: str, *, direction: str, ascii: bool, max_width: int | None, config: Config | None
) -> str | dict[str, str]:
    from planner.diagram import draw_plan, plan_graph

    graph = plan_graph(plan)  # the same checks for every format: cycles, unknown steps
    if format == "diagram":
        return draw_plan(plan, ascii=ascii, direction=direction, max_width=max_width)
    if format == "yaml":
        from planner.plan.dump import dump_yaml

        return dump_yaml(plan)
    if format == "json":
        from planner.plan.dump import dump_json

        return dump_json(plan)
    if format in EXPORT_FORMATS:
        from planner.config import load_config
        from planner.renderer.export import export

        files = export(plan, format, config or load_config())
        return files if format in FOLDER_FORMATS else next(iter(files.values()))
    return _templated(_TEMPLATES[format], plan, config=config, direction=direction, graph=graph)


def limits() -> dict[str, Any]:
    """``rules/render.toml``: label wrapping for DOT, the edge limit for Mermaid."""
    from planner import tomlcache

    return tomlcache.read_builtin("render.toml", "the rendering limits")


def mermaid_edge_warning(plan: Plan) -> str | None:
    """Why GitHub would not draw this plan's Mermaid diagram, or None.

    GitHub (Mermaid's default ``maxEdges``) draws at most 500 edges; past
    that the diagram shows an error instead. The Mermaid text carries this as
    a ``%%`` comment, and ``planner render`` prints it on stderr.
    """
    # A repeating step's loop is an edge too (from the step back into itself).
    edges = sum(len(dict.fromkeys(s.depends_on)) + s.repeats for s in plan.steps)
    limit = int(limits()["mermaid"]["max_edges"])
    if edges <= limit:
        return None
    return (
        f"the diagram has {edges:,} edges; GitHub draws Mermaid diagrams of at most {limit} "
        "and shows an error instead (use --format dot, or split the plan)"
    )


def plan_file(plan: Plan, *, config: Config | None = None) -> str:
    """The plan as a commented plan file (``templates/plan.yaml.j2``) that
    loads back to an equal plan."""
    return _templated("plan.yaml.j2", plan, config=config)


def _templated(
    name: str, plan: Plan, *, config: Config | None, direction: str = "TD", graph: Graph | None = None
) -> str:
    from planner.config import load_config
    from planner.renderer.templating import render_template
    from planner.renderer.views import plan_view

    view = plan_view(plan, config=config or load_config(), direction=direction, graph=graph)
    view["limits"] = limits()
    view["edge_warning"] = mermaid_edge_warning(plan)
    if name == "plan.yaml.j2":  # only the plan file shows the whole document
        from planner.plan.dump import plan_to_dict

        view["data"] = plan_to_dict(plan)
    return render_template(name, **view)
