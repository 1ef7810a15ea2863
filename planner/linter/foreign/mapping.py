"""Framework names read back to planner's: models to tiers, agent names to roles."""

from __future__ import annotations

import re

from planner.config import Config

# Where a model id carries its provider: LiteLLM and CrewAI write
# "anthropic/claude-...", LangChain's init_chat_model "anthropic:claude-...",
# cloud catalogues add their own ("bedrock/", "vertex_ai/", ...).
_PROVIDER = re.compile(r"^(?:[a-z][a-z0-9_.-]*/|[a-z][a-z0-9_-]*:(?!\d))+", re.IGNORECASE)
# A dated snapshot of a model ("claude-sonnet-4-5-20250929") is that model.
_SNAPSHOT = re.compile(r"[-@]\d{8}$|-v\d+(?::\d+)?$|-latest$")
# Claude Code's "inherit": the subagent runs on whatever model the session uses.
INHERIT = "inherit"


def tier_for_model(model: str, config: Config) -> str | None:
    """The configured tier whose model this is, or ``None`` when no tier has it.

    ``anthropic/claude-haiku-4-5``, ``claude-haiku-4-5-20251001`` and the
    Claude Code alias ``haiku`` are all the ``haiku`` tier of the default
    table (an alias is a tier's name).
    """
    name = model.strip()
    if name in config.tiers:
        return name
    bare = _PROVIDER.sub("", name).lower()
    if bare in config.tiers:
        return bare
    bare = _SNAPSHOT.sub("", bare)
    for tier in sorted(config.tiers.values(), key=lambda t: t.name):
        # A tier's model by its API id, or by a name another tool knows it by (its `models`).
        for known in (tier.model, *tier.models.values()):
            if name == known or bare == _SNAPSHOT.sub("", _PROVIDER.sub("", known).lower()):
                return tier.name
    return None


_WORD = re.compile(r"[a-z]+")


_MARKER = re.compile(r"\(role: ([a-z][a-z0-9_-]*)\)")


def role_for(
    names: list[str | None],
    config: Config,
    words: dict[str, str],
    *,
    described: str | None = None,
    role_text: str | None = None,
) -> str | None:
    """The planner role an agent's names point to.

    An explicit ``(role: NAME)`` in its description (planner's exports write
    one) decides. Otherwise a name that is a role's own name (``review``), then
    an agent noun of ``rules/exports.toml`` among its words (``reviewer``,
    ``senior_researcher``). Verbs inside longer names (``review-history``)
    are not read: they name the task, not the kind of agent.
    """
    if described:
        marked = _MARKER.search(described)
        if marked and marked.group(1) in config.roles:
            return marked.group(1)
    for name in names:
        if name and name.strip().lower() in config.roles:
            return name.strip().lower()
    tokens = [t for n in names if n for t in _WORD.findall(_split_camel(n).lower())]
    if role_text:
        # A CrewAI agent's `role` is a job title, so a role's name in it counts ("Review lead").
        for token in _WORD.findall(_split_camel(role_text).lower()):
            if token in config.roles:
                return str(token)
        tokens += _WORD.findall(_split_camel(role_text).lower())
    for token in tokens:
        role = words.get(token)
        if role is not None and role in config.roles:
            return role
    return None


def _split_camel(text: str) -> str:
    return re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
