"""T010: a question clause ends where a bare command after it begins.

"Find out what is leaking and patch the pipe", "work out where the rows went,
restore them", "check what bird it is, then suggest a fence": the parser,
trained on web text where such commands are rare, hangs the second command
inside the question clause (a conjunct of "leaking", or the head that "what
bird it is" hangs from). The question then swallows the next request: it is
read as part of what to find out (S113) or as the clause's own narrative.

The repair works on the arcs, before any reading sees the tree. A verb in its
bare form (its word is its lemma), with no subject or auxiliary of its own,
right after a joiner ("and", "then", a comma, "+"), is a command of its own
when the clause it hangs in is a question clause (it opens with a wh-word)
whose own verb is inflected or carries an auxiliary ("is leaking", "went",
"'s going"): a command cannot be coordinated inside such a clause. Both bare
("find out how they build and ship it") stays one clause: nothing tells the
forms apart there.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.readings import doc_only

doc_only(
    "T010", "question-clause-ends",
    "In 'figure out what is leaking and patch the pipe' the bare 'patch' after 'and' is a command of its own: a question clause whose verb is inflected ends where a bare command begins.",
    """The parser, trained on web text, hangs a second command inside the
    question clause before it (a conjunct of "leaking"), or hangs the question
    from the command ("what bird it is, then suggest ..."), and the request is
    lost inside what to find out. A verb in its bare form with no subject or
    auxiliary of its own, right after "and", "then", a comma or "+", is
    moved out to the verb that asks the question when that question's own
    verb is inflected or has an auxiliary ("is leaking", "went", "'s going").
    When both verbs are bare ("find out how they build and ship it") the
    clause is left as the parser read it.""",
)

_WH = frozenset({"what", "which", "why", "how", "where", "whether", "who", "when", "if"})
_JOINERS = frozenset({"and", "then", ",", "+", "&", ";"})
_CLAUSE_RELS = frozenset({"ccomp", "advcl", "xcomp", "csubj"})
_INNER_RELS = frozenset({"conj", "parataxis", "advcl", "ccomp", "list"})
_OWN_CLAUSE = frozenset({"nsubj", "nsubj:pass", "aux", "aux:pass", "cop", "expl"})


def _children(arcs: Sequence[tuple[int, str]], i: int) -> list[int]:
    return [k for k, (h, _) in enumerate(arcs) if h == i]


def _subtree(arcs: Sequence[tuple[int, str]], i: int) -> list[int]:
    out, todo = [i], [i]
    while todo:
        k = todo.pop()
        for c in _children(arcs, k):
            if c not in out:
                out.append(c)
                todo.append(c)
    return out


def _bare(forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], i: int) -> bool:
    return tags[i] == "VERB" and forms[i].lower() == lemmas[i].lower()


def _joined(forms: Sequence[str], arcs: Sequence[tuple[int, str]], v: int) -> int | None:
    """The first of the joiner words right before ``v`` ("and", ", then"), if any."""
    k = v - 1
    while k >= 0 and forms[k].lower() in _JOINERS:
        k -= 1
    return k + 1 if k + 1 < v else None


def _commanded(forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: Sequence[tuple[int, str]], v: int, joiner: int) -> bool:
    """``v`` reads as a command: bare, no subject or auxiliary of its own after the joiner."""
    if not _bare(forms, tags, lemmas, v):
        return False
    return not any(arcs[c][1] in _OWN_CLAUSE and joiner <= c < v for c in _children(arcs, v))


def _inflected(forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: Sequence[tuple[int, str]], h: int) -> bool:
    """The question clause's verb is no bare command form: "is leaking", "went", "are stuck"."""
    if any(arcs[c][1] in ("aux", "aux:pass", "cop") for c in _children(arcs, h)):
        return True
    return tags[h] in ("VERB", "AUX") and forms[h].lower() != lemmas[h].lower()


# Subjects that are whoever reads the request ("can you find out ...").
_READER = frozenset({"you", "u", "someone", "somebody", "anyone", "anybody"})


def _tells(forms: Sequence[str], arcs: Sequence[tuple[int, str]], ask: int) -> bool:
    """The asking verb has a subject of its own that is not the reader: it tells, not asks."""
    return any(arcs[c][1] == "nsubj" and forms[c].lower() not in _READER for c in _children(arcs, ask))


def _asking_verb(forms: Sequence[str], tags: Sequence[str], arcs: Sequence[tuple[int, str]], h: int) -> int | None:
    """The verb that asks the question clause headed by ``h``: its head, or, where the
    parse made the clause a relative clause on its wh-word ("what | 's going on"), the
    first verb above that word."""
    head, rel = arcs[h]
    if rel in _CLAUSE_RELS and head >= 0 and tags[head] == "VERB":
        return head
    if rel != "acl:relcl" or head < 0 or forms[head].lower() not in _WH:
        return None
    k = arcs[head][0]
    for _ in range(3):
        if k < 0:
            return None
        if tags[k] == "VERB":
            return k if k < head else None
        k = arcs[k][0]
    return None


def close_question_clauses(
    forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: list[tuple[int, str]]
) -> tuple[list[tuple[int, str]], list[int]]:
    """T010 over one sentence: the repaired arcs and the commands moved out."""
    moved: list[int] = []
    for v in range(1, len(forms)):
        joiner = _joined(forms, arcs, v)
        if joiner is None or not _commanded(forms, tags, lemmas, arcs, v, joiner):
            continue
        h, rel = arcs[v]
        if h < 0 or h >= v:
            continue
        new = list(arcs)
        # "what is leaking and patch ...": the command hangs inside the question clause
        ask = _asking_verb(forms, tags, arcs, h) if rel in _INNER_RELS else None
        if ask is not None and _tells(forms, arcs, ask):
            continue  # "I found what was wrong and ...": a story, not a question asked
        if ask is not None:
            if arcs[arcs[h][0]][0] != ask and forms[arcs[h][0]].lower() in _WH:
                new[arcs[h][0]] = (ask, "obj")  # "what | 's going on": the wh-word is what is asked
            own = [k for k in _subtree(arcs, h) if k not in _subtree(arcs, v)]
            # the wh-word opens the clause, or a noun phrase the parse hung on the asking
            # verb just before it ("which state | they are stuck in")
            opening = {forms[k].lower() for k in range(max(ask + 1, min(own) - 2), min(own) + 1)}
            if not opening & _WH or not _inflected(forms, tags, lemmas, arcs, h):
                continue
            new[v] = (ask, "conj")
            for c in _children(arcs, v):
                if c < joiner and forms[c].lower() not in _JOINERS:
                    new[c] = (h, "dep")  # "stuck in, then repair": the particle is the clause's
        elif rel in ("ccomp", "xcomp") and tags[h] == "VERB":
            # "what bird it is, then suggest ...": the question hangs from the command
            left = [c for c in _children(arcs, v) if c < joiner]
            if not left:
                continue
            inner = max(left, key=lambda c: len(_subtree(arcs, c)))
            span = sorted(k for c in left for k in _subtree(arcs, c))
            first = span[1] if tags[span[0]] == "ADP" and len(span) > 1 else span[0]  # "at what's going on"
            said = any(arcs[k][1] in ("cop", "aux", "aux:pass") or (tags[k] == "VERB" and forms[k].lower() != lemmas[k].lower()) for k in span)
            if forms[first].lower() not in _WH or not said:
                continue
            new[inner] = (h, "obl" if any(arcs[c][1] == "case" for c in _children(arcs, inner)) else "ccomp")
            for c in left:
                if c != inner:
                    new[c] = (inner, arcs[c][1].split(":")[0] if arcs[c][1].startswith("nsubj") else arcs[c][1])
            new[v] = (h, "conj")
        else:
            continue
        for k in range(joiner, v):
            if forms[k].lower() in _JOINERS:
                new[k] = (v, "cc" if forms[k].lower() in ("and", "&", "+") else "advmod" if forms[k].lower() == "then" else "punct")
        if _acyclic(new):
            arcs = new
            moved.append(v)
    return arcs, moved


def _acyclic(arcs: Sequence[tuple[int, str]]) -> bool:
    for k in range(len(arcs)):
        seen = 0
        h = arcs[k][0]
        while h >= 0:
            seen += 1
            if seen > len(arcs):
                return False
            h = arcs[h][0]
    return True
