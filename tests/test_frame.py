"""The greeting reading (S151) on its own, and the [frame] word lists' checks."""

from __future__ import annotations

import pytest

from planner.errors import RuleFileError
from planner.parser.frame import frame_words_from_table, greeting_span, load_frame_words


@pytest.mark.parametrize(
    ("text", "greeting"),
    [
        ("Hello team, please sort the invoices.", "Hello team,"),
        ("Dear team, good morning. Sort the invoices.", "Dear team, good morning."),
        ("Bom dia a todos! Sort the invoices.", "Bom dia a todos!"),
        ("Hi Ana Lima, sort the invoices.", "Hi Ana Lima,"),
        ("Hallo zusammen\nSort the invoices.", "Hallo zusammen"),
        ("Namaste all.", "Namaste all."),
    ],
)
def test_greeting_is_found(text: str, greeting: str) -> None:
    span = greeting_span(text, load_frame_words())
    assert span is not None
    assert text[span[0] : span[1]] == greeting


@pytest.mark.parametrize(
    "text",
    [
        "hey check the logs from last night",  # the word runs into the request
        "Hi-res scans of the deeds are in /scans: rename them.",  # a word glued to a hyphen
        "hello.py crashes on start, fix it.",  # a file name
        "Morning standup notes: summarise them.",  # a word that greets only on its own
        "Sort the invoices, hello.",  # not at the start
    ],
)
def test_no_greeting(text: str) -> None:
    assert greeting_span(text, load_frame_words()) is None


def test_frame_lists_are_checked() -> None:
    with pytest.raises(RuleFileError):
        frame_words_from_table({"frame": {"greetings": "hello"}})
    with pytest.raises(RuleFileError):
        frame_words_from_table({"frame": ["hello"]})
    fw = frame_words_from_table({"frame": {"greetings": ["good day", "hi"], "answering_roles": ["explore"]}})
    assert fw.greetings[0] == ("good", "day")  # longest phrase first
    assert fw.answering_roles == frozenset({"explore"})
