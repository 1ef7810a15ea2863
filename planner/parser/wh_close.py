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

from collections.abc import Iterator, Sequence
from functools import cached_property

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
    The question hung from a command coordinated after the asking verb
    ("find out what the fault is and when it happens, then book a repair",
    read as the subject of a passive "is booked") goes back to the asking
    verb when its words hold the command's subject or object; a condition
    or a time said before the command ("and if it's the boiler, call the
    plumber") stays the command's.
    When both verbs are bare ("find out how they build and ship it") the
    clause is left as the parser read it, unless a comma and "then" come
    before the command and the question has a subject of its own ("find out
    what people order most, then stock more of it"): a question clause does
    not go on with ", then" and a bare verb.""",
)

_WH = frozenset({"what", "which", "why", "how", "where", "whether", "who", "when", "if"})
_JOINERS = frozenset({"and", "then", ",", "+", "&", ";"})
_CLAUSE_RELS = frozenset({"ccomp", "advcl", "xcomp", "csubj"})
_INNER_RELS = frozenset({"conj", "parataxis", "advcl", "ccomp", "list"})
_OWN_CLAUSE = frozenset({"nsubj", "nsubj:pass", "aux", "aux:pass", "cop", "expl"})


class _Arcs:
    """The sentence's arcs with an index of each word's dependents, kept up to date as
    words move, so a long run-on sentence is read in time linear in its moves."""

    def __init__(self, arcs: Sequence[tuple[int, str]]) -> None:
        self.arcs = list(arcs)

    @cached_property
    def kids(self) -> list[list[int]]:
        """Each word's dependents, in order: made when first asked (each tree repair makes an
        ``_Arcs`` of every sentence, and most find nothing to repair without looking at them)."""
        kids: list[list[int]] = [[] for _ in self.arcs]
        for k, (h, _) in enumerate(self.arcs):
            if h >= 0:
                kids[h].append(k)
        return kids

    def move(self, k: int, head: int, rel: str) -> None:
        kids = self.kids  # made from the arcs as they were before this move
        old = self.arcs[k][0]
        if old >= 0:
            kids[old].remove(k)
        self.arcs[k] = (head, rel)
        if head >= 0:
            kids[head].append(k)
            kids[head].sort()

    def apply(self, moves: Sequence[tuple[int, int, str]]) -> bool:
        """Make every move (word, new head, relation), or none of them when one would hang a
        word under itself; whether they were made."""
        before = [(k, *self.arcs[k]) for k, _, _ in moves]
        for k, head, rel in moves:
            self.move(k, head, rel)
        if any(_loops(self, k) for k, _, _ in moves):
            for k, head, rel in reversed(before):
                self.move(k, head, rel)
            return False
        return True


def joiner_moves(forms: Sequence[str], joiner: int, v: int) -> list[tuple[int, int, str]]:
    """The words that join a command to what comes before it ("and", "then", commas) hung on
    the command, as its coordinator, its adverb or its punctuation."""
    return [(k, v, "cc" if low in ("and", "&", "+") else "advmod" if low == "then" else "punct")
            for k in range(joiner, v) if (low := forms[k].lower()) in _JOINERS]


def _children(arcs: _Arcs, i: int) -> list[int]:
    return arcs.kids[i]


def _subtree(arcs: _Arcs, i: int) -> set[int]:
    out, todo = {i}, [i]
    while todo:
        for c in arcs.kids[todo.pop()]:
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def _bare(forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], i: int) -> bool:
    return tags[i] == "VERB" and forms[i].lower() == lemmas[i].lower()


def _joined(forms: Sequence[str], v: int) -> int | None:
    """The first of the joiner words right before ``v`` ("and", ", then"), if any."""
    k = v - 1
    while k >= 0 and forms[k].lower() in _JOINERS:
        k -= 1
    return k + 1 if k + 1 < v else None


def _commanded(forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: _Arcs, v: int, joiner: int) -> bool:
    """``v`` reads as a command: bare, no subject or auxiliary of its own after the joiner."""
    if not _bare(forms, tags, lemmas, v):
        return False
    return not any(arcs.arcs[c][1] in _OWN_CLAUSE and joiner <= c < v for c in _children(arcs, v))


def _inflected(forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: _Arcs, h: int) -> bool:
    """The question clause's verb is no bare command form: "is leaking", "went", "are stuck"."""
    if any(arcs.arcs[c][1] in ("aux", "aux:pass", "cop") for c in _children(arcs, h)):
        return True
    return tags[h] in ("VERB", "AUX") and forms[h].lower() != lemmas[h].lower()


# Subjects that are whoever reads the request ("can you find out ...").
_READER = frozenset({"you", "u", "someone", "somebody", "anyone", "anybody"})


def _tells(forms: Sequence[str], arcs: _Arcs, ask: int) -> bool:
    """The asking verb has a subject of its own that is not the reader: it tells, not asks."""
    return any(arcs.arcs[c][1] == "nsubj" and forms[c].lower() not in _READER for c in _children(arcs, ask))


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


def joined_commands(
    forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], tree: _Arcs
) -> Iterator[tuple[int, int, int, str]]:
    """(command, its joiner, its head, its relation) for each bare command after "and",
    "then" or a comma whose head stands before it, read from the tree as it is when the
    caller asks for the next one (a repair made meanwhile counts)."""
    for v in range(1, len(forms)):
        joiner = _joined(forms, v)
        if joiner is None or not _commanded(forms, tags, lemmas, tree, v, joiner):
            continue
        h, rel = tree.arcs[v]
        if 0 <= h < v:
            yield v, joiner, h, rel


def close_question_clauses(
    forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: list[tuple[int, str]]
) -> tuple[list[tuple[int, str]], list[int]]:
    """T010 over one sentence: the repaired arcs and the commands moved out."""
    moved: list[int] = []
    tree = _Arcs(arcs)
    for v, joiner, h, rel in joined_commands(forms, tags, lemmas, tree):
        moves: list[tuple[int, int, str]] = []  # (word, new head, relation)
        # "what is leaking and patch ...": the command hangs inside the question clause
        ask = _asking_verb(forms, tags, tree.arcs, h) if rel in _INNER_RELS else None
        if ask is not None and _tells(forms, tree, ask):
            continue  # "I found what was wrong and ...": a story, not a question asked
        if ask is not None:
            wh = tree.arcs[h][0]
            if tree.arcs[wh][0] != ask and forms[wh].lower() in _WH:
                moves.append((wh, ask, "obj"))  # "what | 's going on": the wh-word is what is asked
            mine = _subtree(tree, v)
            own = [k for k in _subtree(tree, h) if k not in mine]
            # the wh-word opens the clause, or a noun phrase the parse hung on the asking
            # verb just before it ("which state | they are stuck in")
            opening = {forms[k].lower() for k in range(max(ask + 1, min(own) - 2), min(own) + 1)}
            if not opening & _WH:
                continue
            if not _inflected(forms, tags, lemmas, tree, h) and not (_comma_then(forms, joiner, v) and _has_subject(tree, h)):
                continue  # both bare, and no ", then" between them: one question
            moves.append((v, ask, "conj"))
            moves.extend((c, h, "dep") for c in _children(tree, v) if c < joiner and forms[c].lower() not in _JOINERS)
        elif (rel in ("ccomp", "xcomp") or (rel in ("conj", "parataxis") and _holds_command_core(tree, v, joiner))) and tags[h] == "VERB":
            # "what bird it is, then suggest ...": the question hangs from the command
            left = [c for c in _children(tree, v) if c < joiner]
            if rel in ("conj", "parataxis"):
                # a condition or a time said before the command is its own ("..., and if it's
                # the cache, clear it"): only the question moves back
                left = [c for c in left if not _conditions(forms, tree, c)]
            if not left:
                continue
            inner = max(left, key=lambda c: len(_subtree(tree, c)))
            span = sorted(k for c in left for k in _subtree(tree, c))
            first = span[1] if tags[span[0]] == "ADP" and len(span) > 1 else span[0]  # "at what's going on"
            said = any(tree.arcs[k][1] in ("cop", "aux", "aux:pass") or (tags[k] == "VERB" and forms[k].lower() != lemmas[k].lower()) for k in span)
            if forms[first].lower() not in _WH or not said:
                continue
            moves.append((inner, h, "obl" if any(tree.arcs[c][1] == "case" for c in _children(tree, inner)) else "ccomp"))
            for c in left:
                if c != inner:
                    r = tree.arcs[c][1]
                    moves.append((c, inner, r.split(":")[0] if r.startswith("nsubj") else r))
            moves.append((v, h, "conj"))
        else:
            continue
        moves.extend(joiner_moves(forms, joiner, v))
        if tree.apply(moves):  # a move never hangs a word under itself
            moved.append(v)
    return tree.arcs, moved


# Subordinators of condition and time: a clause they open before a command is the command's.
_CONDITIONS = frozenset({"if", "once", "unless", "after", "before", "until", "as", "because", "since"})


def _conditions(forms: Sequence[str], arcs: _Arcs, c: int) -> bool:
    """``c`` heads a clause of condition or time ("if it's the cache", "once it's done")."""
    return arcs.arcs[c][1] == "advcl" and any(forms[m].lower() in _CONDITIONS for m in _children(arcs, c) if arcs.arcs[m][1] == "mark")


def _comma_then(forms: Sequence[str], joiner: int, v: int) -> bool:
    """The joiner is a comma followed by "then" (", then", ", and then")."""
    said = [forms[k].lower() for k in range(joiner, v)]
    return "," in said and "then" in said and said.index(",") < said.index("then")


def _has_subject(arcs: _Arcs, h: int) -> bool:
    """The question clause has a subject of its own ("what people order")."""
    return any(arcs.arcs[c][1] in ("nsubj", "nsubj:pass") for c in _children(arcs, h))


def _holds_command_core(arcs: _Arcs, v: int, joiner: int) -> bool:
    """Words before the joiner hang on ``v`` as its subject or object: a command coordinated
    after a joiner cannot have them there, so they are the clause before it."""
    return any(arcs.arcs[c][1] in ("nsubj", "nsubj:pass", "obj") for c in _children(arcs, v) if c < joiner)


def _loops(tree: _Arcs, k: int) -> bool:
    """Walking up from ``k`` comes back to ``k``."""
    h, steps = tree.arcs[k][0], 0
    while h >= 0:
        if h == k or steps > len(tree.arcs):
            return True
        h, steps = tree.arcs[h][0], steps + 1
    return False
