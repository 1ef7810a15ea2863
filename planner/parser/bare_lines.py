"""I611: short bare lines under a lead-in that ends in a colon are the lead-in's list, as bullets are.

"The rooms to paint are:" and then "Kitchen", "Back bedroom", "Landing" one
to a line: writers often drop the bullets and let the line breaks list the
things. The front reads bulleted and numbered lines under a lead-in as items
(I204); a run of two or more short lines with no marker, each a name and not
a sentence (no closing full stop, question mark or colon, at most a few
words), right under a line that ends in a colon, is the same list. A lone
line after a colon, or lines that read as sentences ("Paint it white.",
"Then sand the door."), stay prose.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.mask import Line, is_list_item
from planner.parser.readings import doc_only

# The most words a bare line may hold to be read as a name (with its short details).
_MAX_WORDS = 7
# What a sentence ends on; a name on its own line does not.
_SENTENCE_END = (".", "?", "!", ":", "：", ";", ",")

doc_only(
    "I611", "bare-lines-under-a-lead-in",
    "Two or more short lines with no bullets right under a line that ends in a colon ('The rooms are:' then 'Kitchen', 'Landing' one to a line) are the lead-in's list, as bulleted lines are.",
    __doc__ or "",
)


def _bare(view: str, line: Line) -> bool:
    body = view[line.start : line.end].strip()
    return (
        line.kind == "prose"
        and bool(body)
        and is_list_item(view[line.start : line.end]) is None
        and not body.endswith(_SENTENCE_END)
        and len(body.split()) <= _MAX_WORDS
    )


def bare_item_lines(view: str, lines: Sequence[Line]) -> frozenset[int]:
    """Indices into ``lines`` of the bare lines read as list items (I611)."""
    out: set[int] = set()
    k = 0
    while k < len(lines):
        lead = lines[k]
        if lead.kind not in ("prose", "heading") or not view[lead.start : lead.end].rstrip().endswith((":", "：")):
            k += 1
            continue
        j = k + 1
        while j < len(lines) and _bare(view, lines[j]):
            j += 1
        if j - (k + 1) >= 2:
            out.update(range(k + 1, j))
        k = max(j, k + 1)
    return frozenset(out)
