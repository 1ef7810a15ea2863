"""The parts a single step's words list (planner.advise.facets), with the rules' own word lists."""

from __future__ import annotations

import pytest

from planner.advise.facets import facets
from planner.advise.rules import load_rules

SEC = dict(load_rules(()).builders["fan_out"]["facets"])


@pytest.mark.parametrize(
    ("text", "verb", "parts"),
    [
        ("collect the invoices from the vendor portal, the shared drive and the old wiki for March", "collect",
         ["the vendor portal", "the shared drive", "the old wiki"]),
        ("tidy the garage, the loft, and the shed", "tidy", ["the garage", "the loft", "the shed"]),
        # a remark in brackets is no part of the list
        ("price the plans from Alpha, Beta (annual, monthly) or Gamma", "price", ["Alpha", "Beta", "Gamma"]),
    ],
)
def test_parts_listed(text: str, verb: str, parts: list[str]) -> None:
    assert facets(text, SEC, verb) == parts


@pytest.mark.parametrize(
    "text",
    [
        "read it, fix it and ship it",  # actions on one thing, in order
        "search and replace the old name",  # two words joined are as often one thing
        "look at the five newest failed builds",  # nothing listed
        "ask whether the venue is free",  # one question is no split
        # questions side by side are not split on (see facets.py)
        "find out who maintains the parser, when it last shipped, and why the build is red",
        "write a long essay about the war, the peace that followed and everything the treaty changed for farmers",
    ],
)
def test_no_parts(text: str) -> None:
    assert facets(text, SEC, text.split()[0]) == []
