"""Options whose work is said with different verbs: "try A and B on one chapter and ask C for a quote".

The options of a choice are often not all worked on the same way: two tools
can be tried, a contractor can only be asked for a quote. The sentence then
says the work on some options with one verb (a group of steps, one per
option) and the work on the rest with another. The step for the rest is one
more competitor, not a step after the others: it starts with them, and what
waited for them waits for it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol

from planner import lazyre
from planner.parser.model import Group
from planner.parser.options_work import sentence_options
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I344", "options-split-over-verbs",
    "'Is it better to use A, B or pay a contractor? Try A and B on one chapter and ask the contractor for a quote, then compare': the step that names the option the group of steps left out is one more option's work, side by side with theirs.",
    """After options are offered, a sentence whose group of steps covers some of
    them (two or more, fewer than all) and whose other step names one of the
    rest by its words ("ask the contractor") does that option's work. It
    waits for what the group's steps wait for, not for them, and every step
    that waits for the group waits for it too. Only steps of the same
    sentence, with no group of their own, are read so.""",
)

_WORD = lazyre.compile(r"[a-z0-9][a-z0-9+#.-]*")
# Words of an option's name that do not tell it apart ("pay a contractor", "use DeepL").
_PLAIN = frozenset({"a", "an", "the", "to", "of", "for", "with", "and", "or", "in", "on", "our", "my", "use", "using",
                    "pay", "hire", "get", "go", "just", "some", "one", "new"})


class _Draft(Protocol):
    pred: Any
    text: str
    codes: list[str]
    item: str | None
    group: str | None
    after: set[int]


class _Parse(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def trees(self) -> Sequence[Tree]: ...
    @property
    def drafts(self) -> Sequence[_Draft]: ...
    @property
    def groups(self) -> list[Group]: ...


def _keys(name: str) -> set[str]:
    return {w for w in _WORD.findall(name.lower()) if w not in _PLAIN}


def _offered(st: _Parse) -> list[list[str]]:
    """The names of every list of options the text offers, sentence by sentence."""
    out = []
    for t in st.trees:
        found = sentence_options(t, st.text)
        if found is not None and found.items.alternatives and len(found.items.spans) >= 3:
            out.append([n for n, _ in found.items.names(st.text)])
    return out


def split_over_verbs(st: _Parse) -> None:
    """I344: the step that names an option its sentence's group of steps left out starts beside them."""
    offered = _offered(st)
    if not offered:
        return
    for names in offered:
        keys = {n: _keys(n) for n in names}
        for gi, grp in enumerate(st.groups):
            members = [k for k, d in enumerate(st.drafts) if d.group == grp.id]
            items = {st.drafts[k].item for k in members}
            matched = {n for n in names if any(item is not None and keys[n] & _keys(item) for item in items)}
            if len(matched) < 2 or len(matched) >= len(names) or len(items) != len(matched):
                continue
            tree = st.drafts[members[0]].pred.tree
            rest = [n for n in names if n not in matched]
            for k, d in enumerate(st.drafts):
                if d.group is not None or d.pred.tree is not tree or not rest:
                    continue
                option = next((n for n in rest if keys[n] & _keys(d.text)), None)
                if option is None:
                    continue
                common = set.intersection(*(st.drafts[m].after for m in members))
                d.after = common - {k}
                d.item, d.group = option, grp.id
                d.codes.append("I344")
                for j, e in enumerate(st.drafts):
                    if j != k and e.after & set(members):
                        e.after.add(k)
                rest.remove(option)
                st.groups[gi] = grp = replace(grp, kind="approaches", names=(*grp.names, option),
                                              count=grp.count + 1 if grp.count == len(grp.names) else grp.count)
