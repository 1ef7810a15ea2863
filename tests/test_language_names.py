"""Language names spelled like work words ("Polish") name a language where a language fits.

The cue categories match words, lower-cased; "into Czech, Greek and Polish"
must not count as reworking something ("polish"), while "Polish the draft"
still does.
"""

from __future__ import annotations

import pytest

from planner.parser.cues import builtin_cues, language_at, match_cues, tokens


@pytest.mark.parametrize(
    "text",
    [
        "Subtitle the safety video into Czech, Greek and Polish, then upload the files.",
        "The brochure must be printed in Polish for the Gdansk office.",
        "Translate the menu into polish and hungarian for the stall.",
    ],
)
def test_language_is_no_rework_cue(text: str) -> None:
    assert "polish" not in match_cues(builtin_cues(), text).get("revising", ())


@pytest.mark.parametrize(
    "text",
    [
        "Polish the grant application, then send it to the board.",
        "Write the speech and polish it before Friday.",
        "Draft the essay; Polish it tomorrow.",
    ],
)
def test_the_verb_is_still_a_rework_cue(text: str) -> None:
    assert "polish" in match_cues(builtin_cues(), text).get("revising", ())


def test_positions_follow_the_tokens() -> None:
    text = "Dub the trailer into Polish, Welsh and Greek."
    toks = tokens(text)
    assert {toks[i] for i in language_at(text, toks)} == {"polish", "welsh", "greek"}
    assert language_at("Sand and polish the table.", tokens("Sand and polish the table.")) == set()


def test_a_list_of_languages_is_no_competition() -> None:
    import planner

    # same text with a language that is no English word: the two must be advised alike
    a = planner.suggest("Subtitle the safety video into Czech, Greek and Polish, then upload the files.").to_dict()
    b = planner.suggest("Subtitle the safety video into Czech, Greek and French, then upload the files.").to_dict()
    assert a["pattern"] == b["pattern"] != "competitive-evaluation"
