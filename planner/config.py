"""Configuration: ``[tool.planner]`` in ``pyproject.toml`` or ``planner.toml``.

The nearest file from a start directory upward wins, like ruff: in each
directory ``planner.toml`` is read first, then a ``pyproject.toml`` that has a
``[tool.planner]`` table. Defaults come from ``rules/`` so that prices and
thresholds live as data with their sources beside them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from planner import lazyre, tomlcache
from planner.errors import ConfigError, RuleFileError
from planner.frozen import frozen_mapping
from planner.resources import data_file


@dataclass(frozen=True)
class Tier:
    name: str
    model: str
    input_per_mtok: float
    output_per_mtok: float
    speed: float
    rank: int
    checked: str
    # The name other tools know this tier's model by, keyed by the tool (the
    # command backend's program name, such as "llm") or by a backend name
    # ("anthropic"); {model} is `model` for a tool without an entry.
    models: Mapping[str, str] = field(default_factory=lambda: frozen_mapping({}))
    # Steps of this tier that may start per minute on the dbos engine's queue
    # (None: no rate limit). A provider's rate limit is per model, so the
    # queue spreads a fan-out over time instead of collecting 429s.
    steps_per_minute: float | None = None

    def model_for(self, tool: str | None) -> str:
        """The model name ``tool`` knows this tier by."""
        return self.models.get(tool, self.model) if tool else self.model


@dataclass(frozen=True)
class Role:
    name: str
    meaning: str
    tier: str
    kind: str
    verbs: tuple[str, ...] = ()  # verbs the parser reads as this role's work (a configured role's own)


@dataclass(frozen=True)
class Config:
    """Effective configuration: built-in defaults with the user's file applied."""

    tiers: Mapping[str, Tier]
    roles: Mapping[str, Role]
    fan_out_default: int = 3
    fan_out_cap: int = 20
    max_parallel: int = 20
    rule_files: tuple[Path, ...] = ()
    lint: Mapping[str, Any] = field(default_factory=dict)
    run: Mapping[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def cheapest_tier(self) -> str:
        return min(self.tiers.values(), key=lambda t: (t.rank, t.name)).name

    @property
    def strongest_tier(self) -> str:
        return max(self.tiers.values(), key=lambda t: (t.rank, t.name)).name


# Allowed keys and their types. A tuple of types means any of them; a dict
# means a sub-table whose keys are checked in turn; ("table-of", spec) is a
# table of named entries each checked against spec.
_NUM = (int, float)
_TIER_SPEC: dict[str, Any] = {
    "model": str,
    "input_per_mtok": _NUM,
    "output_per_mtok": _NUM,
    "speed": _NUM,
    "rank": int,
    "checked": str,
    "models": ("table-of", str),
    "steps_per_minute": _NUM,
}
# Keys a new tier may leave out.
_TIER_OPTIONAL = frozenset({"models", "steps_per_minute"})
_ROLE_SPEC: dict[str, Any] = {"meaning": str, "tier": str, "kind": str, "verbs": ("list", str)}
_STR_LIST = ("list", str)
SCHEMA: dict[str, Any] = {
    "fan_out_default": int,
    "fan_out_cap": int,
    "max_parallel": int,
    "rule_files": _STR_LIST,
    "tiers": ("table-of", _TIER_SPEC),
    "roles": ("table-of", _ROLE_SPEC),
    "lint": {
        "select": _STR_LIST,
        "ignore": _STR_LIST,
        "extend-select": _STR_LIST,
        "per-file-ignores": ("table-of", _STR_LIST),
        "severity": ("table-of", str),
        "include": _STR_LIST,
        "exclude": _STR_LIST,
        "extend-exclude": _STR_LIST,
        "frameworks": _STR_LIST,
    },
    "run": {
        "max_parallel": int,
        "tier_limits": ("table-of", int),
        "confirm_above_usd": _NUM,
        "max_cost": _NUM,
        "state_dir": str,
        "backend": str,
        "command": _STR_LIST,
        "retries": int,
        "backoff_base_s": _NUM,
        "backoff_cap_s": _NUM,
        "timeout_s": _NUM,
        "max_tokens": int,
        "until_max_rounds": int,
        "engine": str,
        "database_url": str,
        "poll_interval_s": _NUM,
        "lease_s": _NUM,
        "worker_limit": int,
        "drain_s": _NUM,
    },
}

_ROLE_KINDS = ("gather", "make", "judge", "combine")


def _type_name(spec: Any) -> str:
    if isinstance(spec, tuple) and spec and spec[0] == "list":
        return "a list of strings"
    if isinstance(spec, tuple) and spec and spec[0] == "table-of":
        return "a table"
    if isinstance(spec, dict):
        return "a table"
    if spec == _NUM:
        return "a number"
    return {int: "an integer", str: "a string", float: "a number"}.get(spec, str(spec))


def _check(value: Any, spec: Any, key: str, path: Path) -> None:
    def bad(msg: str | None = None) -> ConfigError:
        return ConfigError(f"{path}: key '{key}' {msg or 'must be ' + _type_name(spec)}")

    if isinstance(spec, dict):
        if not isinstance(value, dict):
            raise bad()
        for sub, subvalue in value.items():
            if sub not in spec:
                raise ConfigError(f"{path}: unknown key '{key}.{sub}'")
            _check(subvalue, spec[sub], f"{key}.{sub}", path)
    elif isinstance(spec, tuple) and spec and spec[0] == "list":
        if not isinstance(value, list) or not all(isinstance(v, spec[1]) for v in value):
            raise bad()
    elif isinstance(spec, tuple) and spec and spec[0] == "table-of":
        if not isinstance(value, dict):
            raise bad()
        for name, entry in value.items():
            _check(entry, spec[1], f"{key}.{name}", path)
    else:
        types = spec if isinstance(spec, tuple) else (spec,)
        if isinstance(value, bool) or not isinstance(value, types):
            raise bad()
        # TOML has nan and inf; no price, cap, timeout or threshold can be either.
        if isinstance(value, float) and not math.isfinite(value):
            raise bad("must be a finite number")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomlcache.loads(path.read_bytes().decode("utf-8-sig"), cache=False)
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


# Every way TOML can spell a [tool.planner] table: its header (or a subtable's),
# a dotted key at the top level, or a bare [tool] table / inline `tool = {...}`
# that could hold it. Other pyproject.toml files are not parsed at all.
_MAY_HOLD_PLANNER = lazyre.compile(
    r"""^[ \t]*(?:\[[ \t]*tool[ \t]*\.[ \t]*["']?planner["']?[ \t]*[.\]]"""
    r"""|tool[ \t]*\.[ \t]*["']?planner["']?[ \t]*[.=]"""
    r"""|\[[ \t]*tool[ \t]*\]|tool[ \t]*=)""",
    re.MULTILINE,
)


def find_config_file(start: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """Return the nearest configuration file from ``start`` upward and its table."""
    here = (start or Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        planner_toml = folder / "planner.toml"
        if planner_toml.is_file():
            return planner_toml, _read_toml(planner_toml)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8-sig")
                if not _MAY_HOLD_PLANNER.search(text):
                    continue  # no [tool.planner] table in it: spare parsing it
                data = tomlcache.loads(text, cache=False)
            except (ValueError, OSError):  # TOMLDecodeError and UnicodeDecodeError are ValueErrors
                # A broken pyproject.toml without our table is not ours to report.
                text = pyproject.read_text(encoding="utf-8", errors="replace")
                if "[tool.planner" in text:
                    _read_toml(pyproject)
                continue
            table = data.get("tool", {}).get("planner")
            if isinstance(table, dict):
                return pyproject, table
    return None


@cache
def _defaults() -> tuple[dict[str, Tier], dict[str, Role], dict[str, int]]:
    try:
        tiers_raw = tomlcache.read_builtin("tiers.toml", "the tier table")["tiers"]
        roles_raw = tomlcache.read_builtin("roles.toml", "the roles")["roles"]
        thresholds = tomlcache.read_builtin("thresholds.toml", "the thresholds")["thresholds"]
    except KeyError as exc:
        raise RuleFileError(f"built-in rule data is broken: missing table {exc}", path=str(data_file("rules", "tiers.toml").parent)) from None
    tiers = {
        name: Tier(name=name, **{**spec, "models": frozen_mapping(spec.get("models", {}))})
        for name, spec in tiers_raw.items()
    }
    roles = {name: Role(name=name, **spec) for name, spec in roles_raw.items()}
    return tiers, roles, dict(thresholds)


def _merge_tiers(base: dict[str, Tier], user: dict[str, Any], path: Path) -> dict[str, Tier]:
    tiers = dict(base)
    for name, spec in user.items():
        if name in tiers:
            current = tiers[name].__dict__ | spec
            # A user's model names add to the built-in ones rather than replacing them all.
            models = {**tiers[name].models, **spec.get("models", {})}
        else:
            missing = [k for k in _TIER_SPEC if k not in spec and k not in _TIER_OPTIONAL]
            if missing:
                raise ConfigError(f"{path}: new tier 'tiers.{name}' needs key '{missing[0]}'")
            current = {"name": name, **spec}
            models = dict(spec.get("models", {}))
        rate = current.get("steps_per_minute")
        if rate is not None and rate <= 0:
            raise ConfigError(f"{path}: key 'tiers.{name}.steps_per_minute' must be above 0")
        tiers[name] = Tier(**{**current, "name": name, "models": frozen_mapping(models)})
    return tiers


def _merge_roles(
    base: dict[str, Role], user: dict[str, Any], tiers: Mapping[str, Tier], path: Path
) -> dict[str, Role]:
    roles = dict(base)
    for name, spec in user.items():
        current = roles[name].__dict__ | spec if name in roles else {"kind": "make", **spec}
        for required in ("meaning", "tier"):
            if required not in current:
                raise ConfigError(f"{path}: new role 'roles.{name}' needs key '{required}'")
        if current["tier"] not in tiers:
            raise ConfigError(f"{path}: key 'roles.{name}.tier' names unknown tier '{current['tier']}'")
        if current["kind"] not in _ROLE_KINDS:
            raise ConfigError(
                f"{path}: key 'roles.{name}.kind' must be one of {', '.join(_ROLE_KINDS)}"
            )
        current["verbs"] = tuple(str(v).lower() for v in current.get("verbs", ()))
        roles[name] = Role(**{**current, "name": name})
    return roles


def config_from_table(table: Mapping[str, Any], path: Path | None) -> Config:
    """Validate a ``[tool.planner]`` table and apply it over the defaults."""
    where = path or Path("<config>")
    for key, value in table.items():
        if key not in SCHEMA:
            raise ConfigError(f"{where}: unknown key '{key}'")
        _check(value, SCHEMA[key], key, where)
    base_tiers, base_roles, thresholds = _defaults()
    tiers = _merge_tiers(base_tiers, table.get("tiers", {}), where)
    roles = _merge_roles(base_roles, table.get("roles", {}), tiers, where)
    numbers = {k: table.get(k, thresholds[k]) for k in ("fan_out_default", "fan_out_cap", "max_parallel")}
    for key, value in numbers.items():
        if value < 1:
            raise ConfigError(f"{where}: key '{key}' must be at least 1")
    base_dir = where.parent
    rule_files = tuple((base_dir / p).resolve() for p in table.get("rule_files", []))
    return Config(
        tiers=frozen_mapping(tiers),
        roles=frozen_mapping(roles),
        rule_files=rule_files,
        lint=frozen_mapping(table.get("lint")),
        run=frozen_mapping(table.get("run")),
        path=path,
        **numbers,
    )


def load_config(start: Path | None = None, *, explicit: Path | None = None) -> Config:
    """Load the effective configuration.

    ``explicit`` names a file to use (``--config``); otherwise the nearest one
    from ``start`` (default: the working directory) upward, or the defaults.
    """
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: configuration file not found")
        data = _read_toml(explicit)
        table = data.get("tool", {}).get("planner", {}) if explicit.name == "pyproject.toml" else data
        return config_from_table(table, explicit)
    found = find_config_file(start)
    if found is None:
        return default_config()
    return config_from_table(found[1], found[0])


@cache
def default_config() -> Config:
    return config_from_table({}, None)
