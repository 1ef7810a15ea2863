"""I651: pieces in a row headed by the same label and a counter ("Layout 1: ...",
"Layout 2: ...", "Plan A - ...", "Plan B - ...") offer options, named by their labels.

A writer who sets out alternatives one to a line (or one to a sentence) heads each
with a name and a counter, and later refers to them by that heading ("I lean to
plan B"). Any noun may head them, not only the option nouns of I281; so the run must
be followed by a choice or by work on each (``chosen_after``), and the heading must
not be one of the nouns that count parts of one piece of work (``not_option_labels``
in rules/options.toml: "Step 1:", "Day 2:", "Q3:" are stages or sections).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from planner import tomlcache
from planner.errors import RuleFileError
from planner.parser.options_lines import chosen_after
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I651", "counted-label-options",
    "'Layout 1: a big number per client / Layout 2: a chart of faults / Layout 3: both. Which is most useful?': pieces in a row headed by the same words and a counter offer options, each named by its heading.",
    """Two or more pieces in a row (lines or sentences) that open with the
    same one to three words, a counter that runs 1, 2, 3 or A, B, C, and a
    colon or a dash, followed within two sentences by a choice or by work on
    each ("which", "compare", "each", "both"), are one list of options, each
    named by its heading ("Layout 2"), as the writer refers to it; the words
    after each heading describe it and start no step. A heading that
    counts parts of one piece of work ("Step 1:", "Day 2:", "Phase 3 -",
    not_option_labels in rules/options.toml) offers no options.""",
)

_LETTERS = "abcdefgh"
_WORD_RANKS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_ENDS = frozenset({":", "：", "-", "–", "—"})
_LABEL_WORDS = 3


@cache
def _not_labels() -> frozenset[str]:
    value = tomlcache.read_builtin("options.toml", "option words").get("not_option_labels", [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleFileError("not_option_labels must be a list of strings", path="rules/options.toml")
    return frozenset(v.lower() for v in value)


def _rank(low: str) -> int | None:
    if low.isascii() and low.isdigit() and len(low) <= 2:
        return int(low)
    if len(low) == 1 and low in _LETTERS:
        return _LETTERS.index(low) + 1
    return _WORD_RANKS.get(low)


def _heading(t: Tree) -> tuple[str, int, int] | None:
    """(the heading's words, lower-cased; its counter's rank; the first word after the colon) of piece ``t``."""
    for r in range(1, min(_LABEL_WORDS, len(t) - 2) + 1):
        if t.low(r + 1) not in _ENDS:
            continue
        rank = _rank(t.low(r))
        words = [t.low(k) for k in range(r)]
        # a hyphenated heading is cut at its hyphens ("mock", "-", "up")
        if rank is None or not all(w == "-" or w.replace("-", "").isalpha() for w in words) or words[0] == "-":
            return None
        if any(w.removesuffix("s") in _not_labels() or w in _not_labels() for w in words if w != "-"):
            return None
        if r + 2 >= len(t) or all(t.words[k].upos == "PUNCT" for k in range(r + 2, len(t))):
            return None
        return " ".join(words), rank, r + 2
    return None


def counted_label_runs(trees: Sequence[Tree], text: str, taken: set[int]) -> list[tuple[tuple[tuple[int, int, int], ...], tuple[tuple[int, int], ...]]]:
    """I651: (the pieces each run covers, whole; the options' spans) for every run of counted headings."""
    out: list[tuple[tuple[tuple[int, int, int], ...], tuple[tuple[int, int], ...]]] = []
    k = 0
    while k < len(trees):
        first = _heading(trees[k]) if k not in taken else None
        if first is None or first[1] != 1:
            k += 1
            continue
        run = [k]
        while (j := run[-1] + 1) < len(trees) and j not in taken and (h := _heading(trees[j])) is not None \
                and h[0] == first[0] and h[1] == len(run) + 1:
            run.append(j)
        if len(run) >= 2 and chosen_after(list(trees[run[-1] + 1 :])):
            # each is named by its heading ("Layout 2"), as the writer refers to it; the words
            # after the colon describe it (as I413 names an offer by who made it)
            spans = []
            for p in run:
                t = trees[p]
                head = _heading(t)
                assert head is not None  # every piece of the run has one
                spans.append((t.words[0].start, t.words[head[2] - 2].end))  # up to the counter
            out.append((tuple((p, 0, len(trees[p]) - 1) for p in run), tuple(spans)))
        k = run[-1] + 1
    return out
