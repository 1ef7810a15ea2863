"""Escapers that make user text safe data in each output format.

Templates never see user text as template source: titles, prompts and the
task reach Jinja only as values, and every value passes through the escaper
of the format it lands in, so ``{{``, ``{%`` and backticks come out as typed.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from planner.diagram.text import clean
from planner.plan.dump import yaml_dumper

_MERMAID_ENTITY = {'"': "#34;", "#": "#35;", "&": "#38;", "<": "#60;", ">": "#62;", "`": "#96;"}
_MERMAID_TABLE = str.maketrans(_MERMAID_ENTITY)
_MARKDOWN_SPECIAL = set("\\`*_[]<>|#~&!{}")


def mermaid_id(step_id: str, taken: set[str]) -> str:
    """A Mermaid node id for a step: letters, digits and ``_`` only, never a
    keyword (``end`` and friends), unique within ``taken``."""
    base = "n_" + re.sub(r"[^A-Za-z0-9_]", "_", step_id)
    out, k = base, 2
    while out in taken:
        out, k = f"{base}_{k}", k + 1
    taken.add(out)
    return out


def mermaid_text(text: str) -> str:
    """Text for inside a quoted Mermaid label: quotes, markup and entity
    starters become numeric entity codes; one line."""
    return clean(text).translate(_MERMAID_TABLE)


def loop_label(loop: tuple[str, ...] | list[str], width: int, lines: int) -> list[str]:
    """A repeating step's loop label as lines: the bound on one line, the stop
    condition wrapped to the rest (the last cut with "…")."""
    import textwrap

    out: list[str] = []
    for k, part in enumerate(loop):
        text = clean(part)
        room = lines - len(out)
        if room <= 0 or not text:
            continue
        wrapped = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
        if k < len(loop) - 1:
            wrapped = wrapped[:1]  # the bound: one line
        if len(wrapped) > room:
            wrapped = wrapped[:room]
            wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
        out.extend(wrapped)
    return out


def mermaid_loop(loop: tuple[str, ...] | list[str], width: int, lines: int) -> str:
    """A loop label for between a Mermaid edge's pipes: entity-coded lines joined by ``<br/>``
    (``|`` is coded too, since it would end the label)."""
    return "<br/>".join(mermaid_text(line).replace("|", "#124;") for line in loop_label(loop, width, lines))


def dot_loop(loop: tuple[str, ...] | list[str], width: int, lines: int) -> str:
    """A loop label for a Graphviz edge: escaped lines joined by ``\\n``."""
    return "\\n".join(dot_string(line) for line in loop_label(loop, width, lines))


def dot_string(text: str) -> str:
    """A Graphviz double-quoted string body: backslashes (which start escapes
    like ``\\N`` in labels) and quotes are escaped; one line."""
    return clean(text).replace("\\", "\\\\").replace('"', '\\"')


def dot_wrapped(text: str, width: int, lines: int) -> str:
    """A Graphviz label body: ``text`` on one line cleaned, wrapped at ``width``
    characters into at most ``lines`` centred lines (the last cut with "…").

    Graphviz never wraps a label itself, so a long task as the graph label
    made a picture as wide as the task (1,130 characters: 10,437 pixels).
    """
    import textwrap

    flat = clean(text)[: width * lines + 1]  # wrap only what can be shown
    out = textwrap.wrap(flat, width, break_long_words=True, break_on_hyphens=False) or [""]
    if len(out) > lines or len(flat) > width * lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return "\\n".join(dot_string(line) for line in out)


def css_name(name: str) -> str:
    """A class or cluster name made of safe characters."""
    return re.sub(r"[^A-Za-z0-9_]", "_", name) or "_"


def md_inline(text: str) -> str:
    """Markdown text that renders exactly as typed (punctuation that
    Markdown would act on is backslash-escaped); one line."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in clean(text))


def md_code(text: str) -> str:
    """An inline code span holding ``text`` verbatim, whatever backticks it has."""
    text = clean(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_fence(text: str, info: str = "text") -> str:
    """A fenced code block holding ``text`` verbatim (the fence is longer than
    any run of backticks or tildes inside)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") else text + "\n"
    return f"{fence}{info}\n{body}{fence}"


class _Dumper(yaml_dumper()):  # type: ignore[misc]
    """The plan file's dumper (no aliases; text that reads as a number, like
    "1e5", is quoted), with unprintable characters spelled in double quotes."""


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # Literal blocks keep multi-line prompts readable; PyYAML itself falls
    # back to a quoted style when a block cannot hold the text exactly.
    style = "|" if "\n" in data.rstrip("\n") else None
    if any(ch in "\x85\u2028\u2029" or (not ch.isprintable() and ch != "\n") for ch in data):
        style = '"'  # only double quotes can spell every character exactly
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def yaml_value(value: Any, indent: int = 0) -> str:
    """``value`` as YAML to follow ``key:`` at column ``indent``.

    Scalars come back as `` "text"``-style on the same line, collections and
    blocks as following lines indented under the key. The YAML library does
    the quoting, so any string survives a round trip.
    """
    if isinstance(value, tuple):
        value = list(value)
    dumped = yaml.dump(
        {"k": value},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=88,
        default_flow_style=False,
    )
    assert dumped.startswith("k:")
    rest = dumped[2:].rstrip("\n")
    lines = rest.split("\n")
    pad = " " * indent
    return "\n".join([lines[0]] + [pad + line if line else line for line in lines[1:]])


def yaml_key(key: str) -> str:
    """A mapping key, quoted only when YAML needs it."""
    return yaml_value(key).strip()


def yaml_flow(items: list[str] | tuple[str, ...]) -> str:
    """A short list of strings in flow style: ``[a, b]``."""
    return "[" + ", ".join(yaml_value(str(i)).strip() for i in items) + "]"
