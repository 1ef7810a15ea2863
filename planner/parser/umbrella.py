"""I290: the sentence that names the work before its streams spell it out.

"Add Protobuf and Thrift codecs. Each needs a schema mapper, an encoder and
round-trip tests." The first sentence is not a step of its own beside the six
the second one gives: it names, for both items at once, the work their stages
do. Left in, it becomes one more agent starting at the same time as the
streams, doing all of their work alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from planner import lazyre
from planner.parser.readings import doc_only

doc_only(
    "I290", "work-over-its-streams",
    "A step before a set of streams that names every one of their items ('Add the Protobuf and Thrift codecs. Each needs ...') is the work the streams do, not a step of its own.",
    """Streams give each item its own stages. A request that first names the
    whole job over all the items ("ship the WASM and Python builds", "run the
    close for both offices"), and then the stages per item, states the goal the
    stages reach: the step is dropped, and its words stay in the plan through
    the streams' items. A pronoun of every item at the step's start ("both must be
    wiped", "all of them are to be checked") names them all. Only streams count (two or more stages per item): a
    gathering step before one step per item ("collect the logs from A, B and
    C, then for each one find the errors") is work of its own.""",
)

_WORD = lazyre.compile(r"[^\W_]+", re.UNICODE)


class _Draft(Protocol):
    span: tuple[int, int]
    text: str
    item: str | None
    group: str | None
    stage: int | None


def _mentions(words: set[str], name: str) -> bool:
    own = [w for w in _WORD.findall(name.lower()) if len(w) > 1]
    return bool(own) and all(w in words for w in own)


def umbrella_drafts(drafts: Sequence[_Draft]) -> set[int]:
    """Indices of drafts that name the whole work of a later set of streams (I290)."""
    streams: dict[str, list[int]] = {}
    for k, d in enumerate(drafts):
        if d.group is not None and d.item is not None and d.stage is not None:
            streams.setdefault(d.group, []).append(k)
    out: set[int] = set()
    for ks in streams.values():
        names = list(dict.fromkeys(drafts[k].item or "" for k in ks))
        per_item = max(sum(1 for k in ks if drafts[k].item == n) for n in names)
        if len(names) < 2 or per_item < 2:
            continue
        first = min(drafts[k].span[0] for k in ks)
        for j, d in enumerate(drafts):
            if d.group is None and d.span[1] <= first:
                said = {w for w in _WORD.findall(d.text.lower())}
                if all(_mentions(said, n) for n in names) or _all_of_them(d.text, len(names)):
                    out.add(j)
    return out


# Pronouns that stand for every item at once ("both must be wiped", "all of them are to be checked").
_EVERY = frozenset({"all", "each", "every", "everything"})


def _all_of_them(text: str, n: int) -> bool:
    """A step said of the items by a pronoun of them all, at its start: "both must be
    wiped" (two items), "all of them should be checked", "each is to be renewed"."""
    first = next(iter(_WORD.findall(text.lower())), "")
    return (first == "both" and n == 2) or first in _EVERY
