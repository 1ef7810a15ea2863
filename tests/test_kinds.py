"""The kinds table behind the K readings (rules/kinds.toml)."""

from __future__ import annotations

import pytest

from planner.errors import RuleFileError
from planner.parser.implied import kinds_from_table, load_kinds


def test_builtin_kinds_read_files_by_extension() -> None:
    k = load_kinds()
    assert k.extensions["m4a"] == "audio"
    assert k.extensions["jpg"] == "image"
    assert k.extensions["pdf"] == "text"  # documents are words already: nothing is implied for them
    assert set(k.readers) == {"audio", "video", "image"}
    # a document's format ("as a PDF") is a medium a result can be wanted in (K502)
    assert set(k.synthesis) == {"audio", "video", "image", "document"}
    assert k.synthesis["document"] == "export"


@pytest.mark.parametrize(
    "table",
    [
        {"extensions": {"audio": "m4a"}},  # a list is expected
        {"readers": {"audio": ["transcribe"]}},  # one verb per kind
        {"needs_text": {"verbs": [1, 2]}},
        {"nouns": ["photo"]},
    ],
)
def test_a_malformed_kinds_table_is_a_rule_file_error(table: dict[str, object]) -> None:
    with pytest.raises(RuleFileError):
        kinds_from_table(table)
