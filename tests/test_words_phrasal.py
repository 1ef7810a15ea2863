"""The [phrasal] table of rules/words.toml: verbs whose particles make them name work."""

from __future__ import annotations

import pytest

from planner.errors import RuleFileError
from planner.parser.words import load_words, words_from_table


def test_builtin_phrasal_verbs_map_to_verbs_with_a_role() -> None:
    w = load_words()
    assert w.phrasal[("come", "up", "with")] == "brainstorm"
    assert all(w.role_of(verb) is not None for verb in w.phrasal.values())


@pytest.mark.parametrize("table", [{"phrasal": ["come up with"]}, {"phrasal": {"come": "brainstorm"}}, {"phrasal": {"think up": 3}}])
def test_a_malformed_phrasal_table_is_a_rule_file_error(table: dict[str, object]) -> None:
    with pytest.raises(RuleFileError):
        words_from_table(table)
