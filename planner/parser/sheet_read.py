"""K585: figures said to be in a spreadsheet are read out of it before the work made from them.

"The members' payments are listed in subs.xlsx. The treasurer should get a
message with a pie chart of them and a line on who owes." names the spreadsheet
only to say where the figures are; the chart and the line are wished for without a verb
on the file. An assistant with tools opens the spreadsheet and reads the figures
first (a step of its own), and the pieces are made from what it read. A step
whose own verb works on the file ("chart sales.csv", "add up hours.xlsx") takes
it in itself, and so does a question that asks what the file holds ("what's in
it?").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner import lazyre
from planner.parser.implied import Implied, Kinds, _strings, kinds_section
from planner.parser.readings import reading
from planner.parser.tree import Tree

_FILE = lazyre.compile(r"[\w~./\\:-]*\.([A-Za-z0-9]{2,5})")
# a question that points at the file itself asks what it holds: the reading is the answer
_HOLDS = frozenset({"it", "this", "there", "them"})


@dataclass(frozen=True)
class Sheets:
    """``[sheets]`` in rules/kinds.toml: the files that hold figures, and the verb that reads them."""

    extensions: frozenset[str]
    reader: str


@cache
def load_sheets() -> Sheets:
    table = kinds_section("sheets")
    reader = table.get("reader", "read")
    return Sheets(frozenset(_strings(table, "extensions", "sheets")), str(reader).lower())


def _sheet_files(text: str, trees: Sequence[Tree], sheets: Sheets) -> list[tuple[Tree, int]]:
    out: list[tuple[Tree, int]] = []
    for t in trees:
        for i, w in enumerate(t.words):
            raw = text[w.start : w.end]
            m = _FILE.fullmatch(raw) if "." in raw else None  # every word of every text comes here
            if m is not None and m.group(1).lower() in sheets.extensions:
                out.append((t, i))
    return out


def _asks_what_it_holds(d: Any) -> bool:
    t = d.pred.tree
    lows = t.lows()
    return d.pred.kind == "question" and any(lows[i] == "in" and lows[i + 1] in _HOLDS for i in range(len(t) - 1))


@reading(
    "K585",
    "figures-in-a-sheet",
    "Figures said to be in a spreadsheet ('the payments are listed in subs.xlsx. The treasurer should get a pie chart of them') are read out of it first, when no step's own verb works on it.",
)
def sheet_read(text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds) -> list[Implied]:
    """The text names one spreadsheet (``[sheets] extensions``) outside every
    step's words, where it only says where the figures are ("the results
    are listed in subs.xlsx", "fares list in fares.csv:", "out of stock.ods we need ..."),
    and every step is a thing wished for or a question rather than a verb
    of the user's (a wished graph, the parts of an email, "how much did we
    spend?"): the figures are read out of the file first (``[sheets]
    reader``), and each step that starts the work waits for that reading.
    Nothing is added where a step's verb works on the data ("plot the
    scrap rate as one chart; the data is in scrap.xlsx", "email the committee,
    their addresses are in committee.csv"), for a question that asks what the file
    holds ("what's in it?"), or for two spreadsheets.
    """
    sheets = load_sheets()
    files = _sheet_files(text, trees, sheets)
    if len({text[t.words[i].start : t.words[i].end].lower() for t, i in files}) != 1 or not drafts:
        return []
    t, i = files[0]
    at_char = t.words[i].start
    if any(d.span[0] <= at_char < d.span[1] for d in drafts):
        return []
    if any(d.pred.kind == "verb" or _asks_what_it_holds(d) for d in drafts):
        return []
    span = (t.words[i].start, t.words[i].end)
    return [Implied(at, True, "K585", sheets.reader, t, i, span) for at, d in enumerate(drafts) if not d.after]
