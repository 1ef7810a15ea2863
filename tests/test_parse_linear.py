"""The clause splitter stays linear on runs of cue words ("and and and ...").

Trying the lead after every split word once walked the whole rest of such a
run each time, so 16,000 characters of "and" took a minute. These tests count
work, not seconds (``make bench`` times it): the lead steps taken grow in
proportion to the text, and the remembered scan gives the same answers as
the plain one.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.parser import parse, segment
from planner.parser.lexicon import load_lexicon
from planner.parser.segment import Token, strip_lead, tokenize

# Words and marks the lead scan reacts to, plus a few it stops at.
_LEAD_WORDS = [
    "and", "then", "or", "also", "finally", "next", "please", "to", "check", "carefully",
    "at", "the", "same", "time", "after", "that", "in", "parallel", ",", ":", "-", "(", ")",
    "React", "19", "I", "want", "would", "like", "we", "need", "logs",
]


def _tokens(words: list[str]) -> tuple[Token, ...]:
    text = " ".join(words)
    return tuple(tokenize(text, 0, len(text)))


@given(st.lists(st.sampled_from(_LEAD_WORDS), min_size=2, max_size=40))
def test_remembered_scan_matches_the_plain_scan(words: list[str]) -> None:
    lex = load_lexicon()
    toks = _tokens(words)
    scan = segment._LeadScan(lex, toks)
    # Visit the start points in an order that reuses remembered states.
    for i in [*range(len(toks) - 1, 0, -1), *range(1, len(toks))]:
        end, lead = strip_lead(lex, toks, i)
        summary = scan.at(i)
        assert summary.end == end
        assert summary.last == (lead[-1] if lead else None)
        assert summary.sequenced == any(w in segment._SEQUENCE_LEADS for w in lead)


@pytest.mark.parametrize("unit", ["and ", "and then ", "and, ", "or also ", "check it and "])
def test_lead_steps_grow_linearly_with_a_run_of_cue_words(unit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    plain = segment._lead_step

    def counted(*args: object) -> object:
        nonlocal calls
        calls += 1
        return plain(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(segment, "_lead_step", counted)
    counts = []
    for n in (500, 1000, 2000):
        calls = 0
        parse(unit * n)
        counts.append(calls)
    # Quadratic work would quadruple with each doubling; linear work doubles.
    assert counts[1] <= 2.5 * counts[0] and counts[2] <= 2.5 * counts[1], counts
