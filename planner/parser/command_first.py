"""T041: a command that opens the sentence is its main clause, not an adverbial of a later turn.

"Do a first draft of the rules, I'll send it to Omar, he'll react", "draft
it, I'll mark changes, you update it": people write a request and the turns
after it as clauses side by side, joined by commas. The parser, trained on
web text, reads the opening command as an adverbial clause ("do X" as if it
said "if you do X") of the next clause that has a subject of its own, and
makes that clause the sentence's root. The request is then read as a
subordinate clause, and the step model drops it.

The repair works on the arcs, before any reading sees the tree. A verb in
its bare form that opens the sentence (its first word, or after openers
such as "please", "first", a heading's colon or dash), with no subject,
auxiliary or subordinator of its own, hung as an adverbial clause on a later
verb with a subject of its own said after a comma or a semicolon, is the
main clause: it becomes the root, and the clause it hung on is set beside
it (parataxis), when those clauses are turns in the work (one answers a
draft, or work comes back to the reader after them: "you update it", "try
again"; "keep it short, she'll add her notes" is left alone), as are the
clauses with a subject of their own that were
hung the same way in the chain between them, and a bare verb after a comma
coordinated with one of those clauses ("I'll react, try again": the next
command to the reader).
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.readings import doc_only
from planner.parser.turns import turn_words
from planner.parser.wh_close import _Arcs

doc_only(
    "T041", "command-opens-sentence",
    "In 'draft it, I'll mark changes, you update it' the opening 'draft' is the request: the parser hung it as an adverbial of 'mark', and it becomes the main clause.",
    """The parser reads a command that opens a sentence as an adverbial
    clause of the next clause with a subject of its own ("do a first draft,
    I'll send it on" read like "if you do a first draft, I'll ..."), and the
    request is lost as a subordinate clause. A bare verb at the start of
    the sentence (after openers such as "please", "first" or a heading's
    colon or dash) with no subject, auxiliary or subordinator, hung as an
    adverbial on a later verb whose own subject comes after a comma or a
    semicolon, becomes the main clause, and the clauses it was hung on are
    set beside it. A subordinate clause ("if you do it, I'll pay") and a
    participle ("having read it, I ...") are left alone.""",
)

# Words that may come before the command at the start of the sentence.
_OPENERS = frozenset({"please", "pls", "plz", "kindly", "first", "firstly", "then", "so", "ok", "okay", "now", "just", "also", "and", "next"})
# Punctuation that ends a heading before the command ("Newsletter for May - draft it").
_HEADING_ENDS = frozenset({":", "-", "—", "–"})
_OWN_CLAUSE = frozenset({"nsubj", "nsubj:pass", "aux", "aux:pass", "mark", "expl", "cop"})
_SPLICES = frozenset({",", ";"})


def _opens(forms: Sequence[str], v: int) -> bool:
    """Whether verb ``v`` opens its sentence: nothing before it but openers, or a heading ended by a colon or dash."""
    lows = [f.lower() for f in forms[:v]]
    if all(low in _OPENERS for low in lows):
        return True
    return v >= 2 and lows[-1] in _HEADING_ENDS and not any(low in _SPLICES for low in lows)


def _subject_after_splice(tree: _Arcs, forms: Sequence[str], h: int) -> bool:
    """Whether verb ``h`` has a subject of its own said right after a comma or a semicolon."""
    subj = next((c for c in tree.kids[h] if tree.arcs[c][1] in ("nsubj", "nsubj:pass") and c < h), None)
    return subj is not None and subj > 0 and forms[subj - 1] in _SPLICES


def _turns_in_work(
    forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], tree: _Arcs, v: int, chain: Sequence[int]
) -> bool:
    """Whether the clauses after the command are turns in the work: one answers a draft
    ([turns] responses: "he'll react", "I'll mark changes"), or work comes back to the reader
    after them (a bare command, or "you" with a verb: "you update it", "try again")."""
    responses = turn_words()[0]
    if any(tags[k] == "VERB" and lemmas[k].lower() in responses for k in range(v + 1, len(forms))):
        return True
    last = max(chain)
    for k in range(last + 1, len(forms)):
        if tags[k] != "VERB":
            continue
        subj = next((c for c in tree.kids[k] if tree.arcs[c][1] in ("nsubj", "nsubj:pass")), None)
        if subj is None and forms[k].lower() == lemmas[k].lower() and forms[k - 1] in (",", ";", "then", "and"):
            return True
        if subj is not None and forms[subj].lower() in ("you", "u"):
            return True
    return False


def root_commands(
    forms: Sequence[str], tags: Sequence[str], lemmas: Sequence[str], arcs: list[tuple[int, str]]
) -> tuple[list[tuple[int, str]], list[int]]:
    """T041 over one sentence: the repaired arcs and the opening command made the main clause."""
    tree = _Arcs(arcs)
    for v in range(len(forms)):
        if tags[v] == "VERB":
            break
    else:
        return tree.arcs, []
    h, rel = tree.arcs[v]
    if rel != "advcl" or h <= v or forms[v].lower() != lemmas[v].lower() or not _opens(forms, v):
        return tree.arcs, []
    # a heading's words the parser hung on the command ("Newsletter for May - draft it") are not its own
    start = max((k + 1 for k in range(v) if forms[k] in _HEADING_ENDS), default=0)
    if any(tree.arcs[c][1] in _OWN_CLAUSE for c in tree.kids[v] if c >= start):
        return tree.arcs, []
    if tags[h] not in ("VERB", "AUX") or not _subject_after_splice(tree, forms, h):
        return tree.arcs, []
    # climb from the head to the root through clauses hung the same way (a subject after a splice)
    chain = [h]
    while True:
        up, up_rel = tree.arcs[chain[-1]]
        if up < 0:
            break
        if up_rel not in ("advcl", "parataxis", "conj", "ccomp") or not _subject_after_splice(tree, forms, up):
            return tree.arcs, []
        chain.append(up)
    top = chain[-1]
    if not _turns_in_work(forms, tags, lemmas, tree, v, chain):
        return tree.arcs, []  # "keep it neutral, she'll add her notes": what happens after, no turn
    moves = [(v, -1, "root"), (top, v, "parataxis")]
    # the clauses of the chain below the top hang beside the command too, in their order
    moves.extend((k, v, "parataxis") for k in chain[:-1] if tree.arcs[k][1] == "advcl")
    # "I'll react, try again": a bare verb after a comma, coordinated with a clause of the
    # chain, is the next command to the reader, not one more verb of that clause's subject
    for k in chain:
        for c in list(tree.kids[k]):
            if (
                tree.arcs[c][1] == "conj" and tags[c] == "VERB" and forms[c].lower() == lemmas[c].lower()
                and c > 0 and forms[c - 1] in _SPLICES
                and not any(tree.arcs[g][1] in _OWN_CLAUSE for g in tree.kids[c])
            ):
                moves.append((c, v, "parataxis"))
    if tree.apply(moves):
        return tree.arcs, [v]
    return tree.arcs, []
