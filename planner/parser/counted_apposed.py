"""I515: a counted work noun restated by as many "a ... one" members ("two drafts, a short one and a long one").

When the work is named by a noun ("give me two drafts", S103), the members that
say what each of the counted things is stand after it in apposition (after its own phrase, "two layouts for the
flyer, a busy one and a calm one"), so the
list reader takes the counted noun phrase for the list's first member and the
work noun sits inside the list rather than before it: no list is the work's
own, and the two drafts become one step. The members after the counted
phrase, as many as the count and each a "one" standing for the noun, are the
versions to make, one step each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from planner.parser.distribute import ItemList
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import nummod_count

doc_only(
    "I515", "counted-apposed-ones",
    "'Give me two drafts, a short one and a long one': a counted work noun restated by as many 'a ... one' members is one step per member.",
    """The count on the work noun says how many things to make and the
    members after the comma say which, each as "a/an ... one" (a formal
    one, a chatty one). Then the counted phrase is no member of its own and
    each member is a version made side by side. With a different number of
    members, or members that are names rather than "one", the other list
    readings decide.""",
)


def counted_apposed(t: Tree, i: int, lists: Sequence[ItemList], numbers: Mapping[str, int], text: str) -> ItemList | None:
    """I515: the members after the counted work noun at ``i`` that restate it as "... one"."""
    n = nummod_count(t, i, numbers)
    if n is None or n < 2:
        return None
    w = t.words[i]
    phrase = set(t.subtree(i))
    mine = {t.words[k].start for k in phrase}
    for lst in lists:
        first = lst.spans[0]
        if len(lst.spans) == n + 1 and ((first[0] <= w.start and w.end <= first[1]) or first[0] in mine):
            rest = lst.spans[1:]  # the first member holds the counted noun, or is a phrase of it ("two layouts for the flyer")
        elif (len(lst.spans) == n and lst.start > i + 1 and t.low(lst.start - 1) == ","
              and all(k in phrase for k in range(i + 1, lst.start - 1))):
            rest = lst.spans  # the list reader already left the counted phrase out
        else:
            continue
        if not all(text[s:e].lower().split()[-1] == "one" for s, e in rest):
            continue
        return ItemList(rest, lst.start, lst.end, True, (*lst.codes, "I515"))
    return None


doc_only(
    "I560", "wished-counted-versions",
    "'I need two logos, a round one and a square one': a wish for a counted result restated by as many 'a ... one' members asks for each version, one step per member.",
    """A wish ("I need", "I want", "we'd like") whose object is a counted
    plural noun asks for those things to be made, and the members after the
    comma ("a round one and a square one") say which versions: the wish is
    work even where the step model turns a bare wish down, and each member
    is made side by side, as I515 reads "give me two drafts, a short one and
    a long one". The members must be as many as the count and each a "one"
    standing for the noun.""",
)


def apposed_ones(t: Tree, i: int, numbers: Mapping[str, int]) -> list[int]:
    """I560: the "one" heads that restate the counted noun at ``i`` in apposition ("two logos,
    a round one and a square one"), when they are as many as the count; else []."""
    n = nummod_count(t, i, numbers)
    if n is None or n < 2:
        return []
    first = next((k for k in t.children(i, "appos") if t.low(k) == "one"), None)
    if first is None:
        # the parser may hang the first member on the wish's verb ("three posters for the fair, a
        # bright one, ...", "three taglines - a funny one, ..."): the first "one" after the noun's
        # phrase and a comma, colon or dash, the verb's too
        after = max(t.subtree(i)) + 1
        first = next((k for k in range(after, len(t)) if t.low(k) == "one"), None)
        if (first is None or after >= len(t) or t.low(after) not in (",", ":", "-", "—", "–") or t.head(first) != t.head(i)
                or any(t.words[j].upos in ("VERB", "AUX") for j in range(after, first))):
            return []
    ones = [first]
    stack = [first]
    while stack:
        for c in t.children(stack.pop(), "conj", "appos"):  # "a bright one, a plain one and a retro one"
            if t.low(c) == "one":
                ones.append(c)
                stack.append(c)
    if len(ones) != n or any(not t.children(k, "amod", "compound", "nmod", "acl") for k in ones):
        return []  # a bare "one" names no version
    return sorted(ones)
