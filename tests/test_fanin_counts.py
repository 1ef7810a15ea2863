"""The word tables of the closing-step (O319-O321) and count (I350-I353) readings."""

from __future__ import annotations

import pytest

from planner.errors import RuleFileError
from planner.parser.counts import count_words_from_table, load_count_words
from planner.parser.fanin import fanin_words_from_table, load_fanin_words


def test_builtin_tables_load() -> None:
    fw = load_fanin_words()
    assert "table" in fw.results and "give" in fw.verbs
    assert fw.end and all(isinstance(p, tuple) for p in fw.end)
    # longest phrase first, so "at the very end" wins over "at the end"
    assert [len(p) for p in fw.end] == sorted((len(p) for p in fw.end), reverse=True)
    cw = load_count_words()
    assert "photo" in cw.data and "find" in cw.pick_verbs and "against" in cw.measure_cases


@pytest.mark.parametrize("bad", [{"fanin": []}, {"fanin": {"verbs": "give"}}, {"fanin": {"results": [1]}}])
def test_bad_fanin_table_is_a_rule_error(bad: dict[str, object]) -> None:
    with pytest.raises(RuleFileError):
        fanin_words_from_table(bad)


@pytest.mark.parametrize("bad", [{"counts": "x"}, {"counts": {"data": "photo"}}])
def test_bad_counts_table_is_a_rule_error(bad: dict[str, object]) -> None:
    with pytest.raises(RuleFileError):
        count_words_from_table(bad)
