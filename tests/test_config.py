"""Configuration discovery, validation and defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.config import default_config, find_config_file, load_config
from planner.errors import ConfigError


def test_defaults_come_from_rules() -> None:
    cfg = default_config()
    assert {"haiku", "sonnet", "opus"} <= set(cfg.tiers)
    assert cfg.tiers["haiku"].input_per_mtok < cfg.tiers["opus"].input_per_mtok
    assert cfg.cheapest_tier == "haiku" and cfg.strongest_tier == "opus"
    assert cfg.roles["explore"].tier == "haiku"
    assert cfg.roles["synthesize"].tier == "opus"
    assert (cfg.fan_out_default, cfg.fan_out_cap, cfg.max_parallel) == (3, 20, 20)
    assert cfg.path is None


def test_nearest_file_upward_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.planner]\nfan_out_cap = 7\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert load_config(deep).fan_out_cap == 7
    (tmp_path / "a" / "planner.toml").write_text("fan_out_cap = 5\n")
    cfg = load_config(deep)
    assert cfg.fan_out_cap == 5
    assert cfg.path == (tmp_path / "a" / "planner.toml").resolve()


def test_pyproject_without_our_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "planner.toml").write_text("max_parallel = 4\n")
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert load_config(inner).max_parallel == 4


@pytest.mark.parametrize(
    "body",
    [
        "[tool.planner]\nfan_out_cap = 9\n",
        '[ tool . "planner" ]\nfan_out_cap = 9\n',
        "[tool]\nplanner = { fan_out_cap = 9 }\n",
        "tool.planner.fan_out_cap = 9\n",
        "tool = { planner = { fan_out_cap = 9 } }\n",
        "[tool.planner.lint]\nignore = []\n[tool.planner]\nfan_out_cap = 9\n",
    ],
)
def test_every_toml_spelling_of_the_table_is_found(tmp_path: Path, body: str) -> None:
    # pyproject.toml files are only parsed when they may hold the table; none may be missed.
    (tmp_path / "pyproject.toml").write_text(body)
    assert load_config(tmp_path).fan_out_cap == 9


def test_pyproject_naming_planner_elsewhere_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "planner.toml").write_text("max_parallel = 4\n")
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "planner"\n[project.scripts]\nplanner = "planner.cli:main"\n')
    assert load_config(inner).max_parallel == 4


def test_tier_override_and_new_tier_and_role(tmp_path: Path) -> None:
    (tmp_path / "planner.toml").write_text(
        """
[tiers.haiku]
input_per_mtok = 0.25
[tiers.local]
model = "llama-local"
input_per_mtok = 0
output_per_mtok = 0
speed = 0.5
rank = 0
checked = "2026-11-20"
[roles.translate]
meaning = "Translate text."
tier = "local"
"""
    )
    cfg = load_config(tmp_path)
    assert cfg.tiers["haiku"].input_per_mtok == 0.25
    assert cfg.tiers["haiku"].model == default_config().tiers["haiku"].model
    assert cfg.cheapest_tier == "local"
    assert cfg.roles["translate"].tier == "local"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("fan_out_kap = 3\n", "unknown key 'fan_out_kap'"),
        ("fan_out_cap = 'many'\n", "key 'fan_out_cap' must be an integer"),
        ("fan_out_cap = true\n", "key 'fan_out_cap' must be an integer"),
        ("fan_out_cap = 0\n", "key 'fan_out_cap' must be at least 1"),
        ("[lint]\nselect = 'PL001'\n", "key 'lint.select' must be a list of strings"),
        ("[lint]\nfrobnicate = 1\n", "unknown key 'lint.frobnicate'"),
        ("[tiers.haiku]\ninput_per_mtok = 'cheap'\n", "key 'tiers.haiku.input_per_mtok' must be a number"),
        ("[tiers.new]\nmodel = 'x'\n", "new tier 'tiers.new' needs key"),
        ("[roles.x]\nmeaning = 'm'\ntier = 'gpt'\n", "unknown tier 'gpt'"),
        ("fan_out_cap = [\n", "invalid TOML"),
    ],
)
def test_invalid_config_names_file_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "planner.toml"
    path.write_text(body)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert message in str(info.value)
    assert str(path.resolve()) in str(info.value)
    assert info.value.exit_code == 2


def test_explicit_config_file(tmp_path: Path) -> None:
    path = tmp_path / "custom.toml"
    path.write_text("max_parallel = 2\n")
    assert load_config(explicit=path).max_parallel == 2
    with pytest.raises(ConfigError, match="not found"):
        load_config(explicit=tmp_path / "nope.toml")


def test_find_config_file_none_when_absent(tmp_path: Path) -> None:
    # tmp_path has no configuration of its own; anything found must lie above it.
    found = find_config_file(tmp_path)
    assert found is None or tmp_path.resolve() not in found[0].parents
