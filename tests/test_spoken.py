"""The spoken front (planner/parser/spoken.py): edits keep the view's length and offsets."""

from __future__ import annotations

import pytest

from planner.parser import parse
from planner.parser.front import read_front
from planner.parser.spoken import respeak, spoken_front, spoken_words
from planner.parser.words import load_words


def _view(text: str) -> str:
    front = spoken_front(read_front(text, 20_000), load_words())
    assert len(front.view) == len(text)
    assert front.text == text
    return front.view


@pytest.mark.parametrize(
    "text",
    [
        "um so basically i need you to back up the photos and then like wipe the old laptop",
        "send the invoice to dave no wait to maria and then file the receipt",
        "book room four twelve for the standup and then email the team the link",
        "- sort the receipts\n- total each month and then make a chart\n",
    ],
)
def test_view_keeps_length_and_offsets(text: str) -> None:
    view = _view(text)
    for a, b in zip(text, view, strict=True):
        # a character is kept, blanked, capitalised, turned into a line break or into a name
        assert b in (a, " ", "\n", a.upper(), "Q", "x")


def test_fillers_and_wrappers_are_blanked() -> None:
    view = _view("um can you like water the tomatoes")
    assert view.split() == ["Water", "the", "tomatoes"]


def test_a_repair_blanks_the_slip_and_the_cue() -> None:
    view = _view("send the invoice to dave no wait to maria")
    assert view.split() == ["send", "the", "invoice", "to", "maria"]


def test_a_weak_cue_without_a_like_phrase_stays() -> None:
    view = _view("restart the printer sorry to bother you")
    assert "printer sorry to bother" in view


def test_clause_breaks_before_a_cue_that_a_command_follows() -> None:
    view = _view("check the pool pump and then order a new filter so i can swap it")
    assert view.splitlines() == ["check the pool pump", "And then order a new filter so I can swap it"]


def test_commands_said_back_to_back_are_cut() -> None:
    view = _view("pull the sales numbers for march compare them with february")
    assert view.splitlines() == ["pull the sales numbers for march", "Compare them with february"]


def test_a_scope_said_first_stays_over_both_commands() -> None:
    view = _view("in the ios app swap the icon then rebuild it")
    assert "\n" not in view


def test_a_line_that_opens_with_a_command_is_a_sentence() -> None:
    view = _view("call the vet about rex\nbuy dog food")
    assert view.splitlines() == ["call the vet about rex", "Buy dog food"]


def test_spoken_number_after_a_numbered_noun_is_a_name() -> None:
    view = _view("Book room four twelve for the standup.")
    assert view == "Book room Qxxxxxxxxxx for the standup."


def test_a_count_is_no_name() -> None:
    text = "Print page three copies and five of them in colour."
    assert _view(text) == text


def test_written_text_is_left_alone() -> None:
    text = "Can you check the pool pump and then order a new filter? I can swap it tomorrow."
    view, fired = respeak(text, [(0, len(text))], load_words())
    assert view == text and fired == ()


def test_steps_quote_the_users_words() -> None:
    g = parse("um could you like draft the newsletter and then uh send it to the list")
    assert [s.text for s in g.steps] == ["draft the newsletter", "send it to the list"]
    for s in g.steps:
        assert g.text[s.span[0] : s.span[1]] == s.text


def test_every_phrase_is_lower_case() -> None:
    sw = spoken_words()
    for group in (sw.soft, sw.openers, sw.strong, sw.weak, sw.wrappers, sw.cues):
        for phrase in (p for ps in group.values() for p in ps):
            assert all(word == word.lower() and word for word in phrase)
