"""The Jinja environment for ``templates/`` (imported only when needed).

``StrictUndefined`` turns a misspelt variable into an error instead of an
empty string; autoescaping is on for HTML-like templates; user text only
ever arrives as values, through the escaping filters in
:mod:`planner.renderer.escape`.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from planner.renderer import escape, pycode
from planner.resources import data_dir

if TYPE_CHECKING:
    import jinja2


@cache
def environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "svg"], default=False),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        mermaid_text=escape.mermaid_text,
        dot_string=escape.dot_string,
        dot_wrapped=escape.dot_wrapped,
        mermaid_loop=escape.mermaid_loop,
        dot_loop=escape.dot_loop,
        css_name=escape.css_name,
        md_inline=escape.md_inline,
        md_code=escape.md_code,
        md_fence=escape.md_fence,
        yaml_value=escape.yaml_value,
        yaml_key=escape.yaml_key,
        yaml_flow=escape.yaml_flow,
        oneline=pycode.py_comment,
        py_str=pycode.py_str,
        py_value=pycode.py_value,
        py_comment=pycode.py_comment,
        py_json=pycode.py_json,
    )
    return env


def render_template(name: str, **context: Any) -> str:
    """Render ``templates/NAME`` with ``context`` as its variables."""
    return environment().get_template(name).render(**context)
