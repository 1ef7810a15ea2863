"""I612: list lines cut into fields by one spaced dash are records; the first field names the thing.

"- Flat 2 — boiler — water leak — urgent" on each line of a list: the writer
lays out a table without its grid. The first field says which thing the
line is about, the others are its details (a part, a fault, a count, a
priority). Read as prose, a detail field may look like a command ("paint
peel on ceiling") and become a step of its own, and the lines stop being
the list of things the work is done for. So when every line of a list of two
or more is cut by the same spaced dash (" — ", " – ", " - ") or bar (" | ")
into three fields or more, and each first field is a short name, each line
is read as its first field alone. Lines with two fields ("- Leeds - check
the alarms") are labels and their work (I213) and stay whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.readings import doc_only

# Spaced separators that cut a line into fields.
_SEPARATORS = (" — ", " – ", " - ", " | ")
# The least number of fields that make a line a record (a label and its work have two).
_MIN_FIELDS = 3
# The most words the first field may hold to be a name.
_NAME_WORDS = 6

doc_only(
    "I612", "record-lines-named-by-first-field",
    "Every line of a list cut by one spaced dash or bar into three fields or more ('- Flat 2 — boiler — leak — urgent') is a record: the first field names the thing, the rest are details and ask for no work.",
    __doc__ or "",
)


def record_names(view: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """The first field of each list line in ``spans`` when all of them are records cut by one
    separator, else None."""
    if len(spans) < 2:
        return None
    for sep in _SEPARATORS:
        out: list[tuple[int, int]] = []
        for s, e in spans:
            body = view[s:e]
            fields = body.split(sep)
            first = fields[0].rstrip()
            if len(fields) < _MIN_FIELDS or not first.strip() or len(first.split()) > _NAME_WORDS:
                break
            out.append((s, s + len(first)))
        else:
            return out
    return None
