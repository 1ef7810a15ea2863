"""The word classes behind S140/S141 (terse data requests) are checked when read."""

from __future__ import annotations

from typing import Any

import pytest

from planner import tomlcache
from planner.errors import RuleFileError
from planner.parser import terse


def _with_table(monkeypatch: pytest.MonkeyPatch, table: Any) -> None:
    real = tomlcache.read_builtin

    def fake(name: str, what: str) -> Any:
        data = dict(real(name, what))
        data["data_nouns"] = table
        return data

    monkeypatch.setattr(tomlcache, "read_builtin", fake)
    terse._classes.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_classes() -> Any:
    terse._classes.cache_clear()
    yield
    terse._classes.cache_clear()


@pytest.mark.parametrize("table", [["usage"], {"words": "usage"}, {"words": ["usage"], "joins": [3]}])
def test_a_malformed_table_is_a_rule_file_error(monkeypatch: pytest.MonkeyPatch, table: Any) -> None:
    _with_table(monkeypatch, table)
    with pytest.raises(RuleFileError, match="data_nouns"):
        terse._classes()


def test_the_data_words_decide_the_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.parser import parse

    task = "queue depth for orders, refunds and emails -> one chart"
    assert "S140" not in {f.code for f in parse(task).fired}
    _with_table(monkeypatch, {"words": ["depth"], "joins": ["chart"], "join_verbs": []})
    g = parse(task)
    assert [s.role for s in g.steps] == ["explore", "explore", "explore", "synthesize"]
    assert [n for grp in g.parallel for n in grp.names] == ["orders", "refunds", "emails"]
