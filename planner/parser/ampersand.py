"""I414: a spaced "&" inside a list separated otherwise is part of one member's name.

Shops, firms and products are often named with "&" ("Rose & Thorn", "Hart &
Sons", "salt & sage"). Where a list already shows how it separates its members
(commas, "and", "or", "vs"), an "&" between two names is no separator: it joins
the words of one name, as "+" joins one stack (I224). A list written with "&"
alone ("Tesco & Aldi") keeps "&" as its separator.

The list reader (``distribute.find_lists``) reads its lists this way in
``_combined``; this module does the same for items the syntax tree coordinates
(a verb's object, several people asked), whose spans come one per conjunct.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from planner.parser.readings import doc_only

doc_only(
    "I414", "ampersand-name",
    "In 'email Rose & Thorn, Pine Books and Hart & Sons' the members are 'Rose & Thorn', 'Pine Books' and 'Hart & Sons': a spaced '&' in a list separated otherwise joins one name.",
    """A list that separates its members with commas, "and", "or" or "vs"
    shows its separators; an "&" between two of its words then belongs to a
    name (a shop, a firm, a product: "Rose & Thorn", "Bloom & Co"), as "+"
    joins the parts of one stack (I224). A list whose only separator is "&"
    ("Tesco & Aldi") keeps it as the separator, and "&" written without
    spaces ("Q&A", "R&D") is one word already.""",
)

Named = tuple[str, tuple[int, int] | None]


def _gap(text: str, a: Named, b: Named) -> str | None:
    """The text between two members, when both have spans in order."""
    sa, sb = a[1], b[1]
    if sa is None or sb is None or sa[1] > sb[0]:
        return None
    return text[sa[1]:sb[0]]


def ampersand_joined(text: str, names: Sequence[Named]) -> list[Named]:
    """``names`` with members joined where only a spaced "&" stands between them (I414),
    when some other gap of the list shows a separator of its own; else ``names`` unchanged."""
    if len(names) < 3:
        return list(names)
    gaps = [_gap(text, a, b) for a, b in itertools.pairwise(names)]
    joins = [g is not None and g.strip() == "&" and g != "&" for g in gaps]
    if not any(joins) or all(joins) or any(g is None for g in gaps):
        return list(names)
    out: list[Named] = [names[0]]
    for joined, nxt in zip(joins, names[1:], strict=True):
        last = out[-1]
        if joined and last[1] is not None and nxt[1] is not None:
            span = (last[1][0], nxt[1][1])
            out[-1] = (text[span[0]:span[1]], span)
        else:
            out.append(nxt)
    return out if len(out) >= 2 else list(names)
