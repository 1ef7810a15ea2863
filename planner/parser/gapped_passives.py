"""T038: participles listed after a first one, each with its own subject, are coordinated with it.

"Each lease needs the rent checked, the break clause noted and a summary
written": writers say the wish ("needs") once, and every later stage is a
thing and what is to be done to it. The parser, which has no word to hang
such a segment on, makes each one a clause beside the sentence's root, or
coordinates it with a verb it does not belong to, and the reading of a
wish's object and participle (S122) sees only the first stage: each item's
stream loses the rest. (A list of passives with the auxiliary said once,
"should be checked, the actions listed", is S215's.)

The repair works on the arcs, before any reading sees the tree. After a
first past participle that hangs on a verb's object ("needs the rent
checked"), each later comma segment that is nothing but a noun phrase and a
past participle ("the break clause noted", "and then a summary written") has
that participle coordinated with the first one, its noun phrase its subject.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.readings import doc_only

doc_only(
    "T038", "gapped-passive-list",
    "In 'each lease needs the rent checked, the break clause noted, and a summary written' each later 'noun + participle' segment is one more thing to have done, coordinated with the first participle, though 'needs' is said once.",
    """The wish before a list of things to have done ("needs the rent
    checked, the clause noted and a summary written") is said once; every
    later segment is a noun phrase and a past participle. The parser hangs
    those segments anywhere, and the stages after the first are lost. After
    a first participle that hangs on a verb's object (S122's reading; a
    passive with its auxiliary is S215's), a comma segment that holds only
    a noun phrase and a participle (after "and" or "then", before its
    own objects and phrases) is coordinated with the first participle,
    the noun phrase as its subject. A wish before a colon takes the first
    such segment after the colon as its object and participle ("both
    listings need: screenshots uploaded, the blurb translated, then ...").""",
)

# Tags the noun phrase of a later segment may hold ("the break clause", "a facilitator's note").
_PHRASE_TAGS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "PRON", "PART"})
# Words between the comma and the segment's noun phrase, or between the phrase and its participle.
_OPENERS = frozenset({"and", "then", "finally", "also"})
# Wishes whose object and participle may follow a colon ("both need: the rent checked, ...").
_WISHES = frozenset({"need", "needs", "want", "wants", "require", "requires"})
# Marks that end the list.
_ENDS = frozenset({".", ";", ":", "!", "?"})
# Irregular past participles (the regular ones end in -ed or -en).
_IRREGULAR = frozenset({"built", "made", "found", "sent", "kept", "brought", "done", "given", "shown", "taken", "got", "chosen", "drawn", "left", "paid", "bought", "told", "sold", "held", "led", "set", "put", "cut", "read", "split", "sought", "run", "written", "proofread"})


def _participle(form: str, tag: str, lemma: str) -> bool:
    low = form.lower()
    if tag != "VERB" or not low.isalpha():
        return False
    return low in _IRREGULAR or (low != lemma.lower() and low.endswith(("ed", "en")))


def _first(tags: Sequence[str], forms: Sequence[str], lemmas: Sequence[str], arcs: Sequence[tuple[int, str]], k: int) -> bool:
    """A participle on a verb's object that opens a list ("needs the rent checked, ..."). A passive
    with its auxiliary ("should be checked, ...") is left to S215, which reads its gapped list."""
    if not _participle(forms[k], tags[k], lemmas[k]):
        return False
    h, rel = arcs[k]
    if rel in ("acl", "xcomp") and 0 <= h < len(arcs):
        return arcs[h][1] in ("obj", "iobj") or (rel == "xcomp" and tags[h] == "VERB")
    return False


def gapped_passives(
    forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: list[tuple[int, str]]
) -> tuple[list[tuple[int, str]], list[int]]:
    """T038 over one sentence: the repaired arcs and the participles coordinated with a first one."""
    lows = [f.lower() for f in forms]
    n = len(forms)
    new = list(arcs)
    moved: list[int] = []
    for k in range(n - 3):
        # "both need: the screenshots uploaded, ...": the wish's object and participle after its colon
        if lows[k] in _WISHES and tags[k] == "VERB" and lows[k + 1] in (":", "："):
            got = _segment(lows, tags, forms, lemmas, k + 2)
            if got is not None:
                head, v = got
                new[head], new[v] = (k, "obj"), (k, "xcomp")
                moved.append(v)
    first: int | None = None
    for k in range(n):
        if lows[k] in _ENDS:
            first = None
            continue
        if first is None:
            if _first(tags, forms, lemmas, new, k):
                first = k
            continue
        if lows[k] != ",":
            continue
        got = _segment(lows, tags, forms, lemmas, k + 1)
        if got is None:
            continue
        head, v = got
        if new[v] != (first, "conj"):
            new[v] = (first, "conj")
            moved.append(v)
        if new[head][0] != v or not new[head][1].startswith("nsubj"):
            new[head] = (v, "nsubj:pass")
        for j in range(k, v):
            if j != head and lows[j] in (",", *_OPENERS):
                new[j] = (v, "punct" if lows[j] == "," else ("cc" if lows[j] == "and" else "advmod"))
    return new, moved


def _segment(lows: Sequence[str], tags: Sequence[str], forms: Sequence[str], lemmas: Sequence[str], s: int) -> tuple[int, int] | None:
    """(head noun, participle) when the segment from ``s`` is only a noun phrase and a participle."""
    n = len(lows)
    while s < n and lows[s] in _OPENERS:
        s += 1
    v = s
    while v < n and tags[v] in _PHRASE_TAGS and lows[v] not in _OPENERS:
        v += 1
    phrase = [j for j in range(s, v) if tags[j] in ("NOUN", "PROPN")]
    while v < n and lows[v] in _OPENERS:
        v += 1  # "and a reply then drafted"
    if not phrase or v >= n or not _participle(forms[v], tags[v], lemmas[v]):
        return None
    return phrase[-1], v
