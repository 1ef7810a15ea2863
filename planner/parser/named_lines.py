"""Lines of a list that a later "for each" takes as its things name them: no work (I632).

"Chosen projects:\n- Press line: reduction of die change time\n- Paint shop:
improvement of booth cleaning\nFor each project, gather the data, ...": each
line names a thing (here a project, said by what it improves), and the
sentence after the list says the work to do for each. A line whose only
candidate step is a noun of work ("reduction", "improvement", "review") was
read as a step of its own, the list lost an item, and the stages after "for
each" had no list to go over. When every candidate step read in the lines
of a list is such a noun (no line holds a command) and the first sentence
with work after the list opens on "for each" or "for every", the nouns are
dropped and the lines stay names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.parser.model import Fired
from planner.parser.readings import doc_only

if TYPE_CHECKING:
    from planner.parser.assemble import _State
    from planner.parser.tree import Tree

doc_only(
    "I632", "list-lines-named-for-each",
    "Lines of a list whose only candidate steps are nouns of work ('- Press line: reduction of die change time'), followed by a sentence opening on 'for each', name the things the work is for; the nouns are no steps.",
    """A bulleted or numbered list of two lines or more, in which every
    candidate step is a noun (no line holds a command), and the first
    sentence with work after the list opens (within its first four words)
    on "for each" or "for every": the lines are the things the work after
    "for each" goes over, said by what each one is about, so the nouns of
    work read in them are dropped and the lines stay items. A line with a
    command ("- Paint shop: clean the booth") keeps the list as work.""",
)

_OPENING = 4  # how far into its sentence "for each" may stand ("Please, for each theme: ...")


def _opens_for_each(t: Tree) -> bool:
    return any(t.low(k) == "for" and t.low(k + 1) in ("each", "every") for k in range(min(len(t) - 1, _OPENING)))


def named_lines(st: _State) -> None:
    """I632: drop the nouns of work read in list lines that a later "for each" goes over."""
    units = st.front.units
    lists: dict[int, list[int]] = {}
    for n, u in enumerate(units):
        if u.kind == "item" and u.list_id is not None:
            lists.setdefault(u.list_id, []).append(n)
    drop: set[int] = set()
    for members in lists.values():
        if len(members) < 2:
            continue
        inside = [p for p in st.preds if p.tree.unit in members]
        if not inside or any(p.kind != "noun" or p.tree.words[p.i].upos != "NOUN" for p in inside):
            continue
        after = next((p.tree for p in st.preds if p.tree.unit > members[-1]), None)
        if after is None or not _opens_for_each(after):
            continue
        drop.update(id(p) for p in inside)
    if not drop:
        return
    for p in st.preds:
        if id(p) in drop:
            st.fired.append(Fired("I632", (p.tree.words[p.i].start, p.tree.words[p.i].end)))
    st.preds = [p for p in st.preds if id(p) not in drop]
