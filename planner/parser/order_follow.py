"""O340: the requests a "then" puts after a finding each wait for the finding.

"Find out why the heater trips, then replace the part and order a spare":
the answer to the question is what both requests act on; ordering the spare
does not wait for the replacing. The hand-off readings and the learned order
model link each request to the one written just before it, which is right for
a procedure ("build it and push it") and wrong here. This pass runs after
them and moves the wait of such a follow-up from the request before it to the
finding. It never touches a request that hands work on (a pronoun or a result
noun as its object, the same thing as the request before), that has no object
of its own ("and retest"), that checks or weighs ("and test the oven again",
"and pick one"), that carries an order word of its own, or that follows a
plan (a design is built after it is made). The word classes are
``[order_follow]`` in ``rules/parse.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from planner import tomlcache
from planner.errors import RuleFileError
from planner.parser.clauses import Pred
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import PARSE_TOML, Words, word_set

doc_only(
    "O340", "follow-ups-of-finding",
    "After a step that finds something out, the requests a 'then' or 'once you know' puts after it each wait for the finding, not for each other.",
    """"Figure out what broke the backup, then restore the snapshot and write
    an incident note": both requests use the answer; the note does not wait
    for the restore. The finding is a verb of finding out with a clause
    saying what ("why", "whether", "that", "who"), and the requests after the
    sequence word are joined by "and" or commas. A request that hands work on
    from the one before ("fix it and deploy the patch"), names no object of
    its own ("replace them and retest"), checks or weighs ("and test it
    again", "and pick one"), follows a plan ("propose a plan and run a
    pilot") or carries its own order word keeps its place after the request
    before it.""",
)


doc_only(
    "O342", "follow-ups-in-one-sentence",
    "'Work out where the damp comes from, patch the wall, and order a dehumidifier': requests listed right after a finding in its sentence each wait for the finding.",
    """The list of requests that follows a finding in the same sentence,
    joined by commas and "and" with no order word, acts on what was found,
    as after "then" (O340): ordering the dehumidifier does not wait for the
    patching. The same exceptions hold: a request that hands work
    on ("fix it and deploy the patch"), has no object of its own, checks or
    weighs, follows a plan or carries its own order word keeps its place.""",
)


doc_only(
    "O347", "follow-ups-of-transcript",
    "'Transcribe call.wav, then check the caller's mood and pull out any product names': the requests a 'then' puts after a transcription each work on the transcript, not on each other.",
    """Taking the words out of a recording or a picture makes the material the
    requests after it read, as a finding is what the requests after it act
    on (O340): pulling out the product names does not wait for the mood. The
    verbs are ``[order_follow] words_out`` in rules/parse.toml; the requests
    must come after a stated "then" (or "once", "after that"), be joined by
    "and" or commas, and keep the O340 exceptions: a request that hands work
    on ("summarise it and email it"), has no object of its own, checks or
    weighs, or carries its own order word keeps its place.""",
)


@dataclass(frozen=True)
class FollowWords:
    """The word classes of ``[order_follow]``."""

    finding: frozenset[str]  # verbs that find something out when they take a clause
    question: frozenset[str]  # words opening the clause of what to find out
    sequence: frozenset[str]  # words putting a request after the work before it
    uses_previous: frozenset[str]  # roles that check or weigh the step before them
    plans: frozenset[str]  # roles whose result the next request carries out
    words_out: frozenset[str] = frozenset()  # verbs that take the words out of a recording (O347)


def follow_words_from_table(data: object) -> FollowWords:
    table = data.get("order_follow", {}) if isinstance(data, dict) else {}
    if not isinstance(table, dict):
        raise RuleFileError("[order_follow] must be a table", path="rules/parse.toml")
    return FollowWords(
        finding=word_set(table, "finding", "order_follow", PARSE_TOML),
        question=word_set(table, "question", "order_follow", PARSE_TOML),
        sequence=word_set(table, "sequence", "order_follow", PARSE_TOML),
        uses_previous=word_set(table, "uses_previous", "order_follow", PARSE_TOML),
        plans=word_set(table, "plans", "order_follow", PARSE_TOML),
        words_out=word_set(table, "words_out", "order_follow", PARSE_TOML) if "words_out" in table else frozenset(),
    )


@cache
def load_follow_words() -> FollowWords:
    return follow_words_from_table(tomlcache.read_builtin("parse.toml", "parser settings"))


class DraftLike(Protocol):
    """What this pass reads of a draft (``assemble.Draft``)."""

    pred: Pred
    span: tuple[int, int]
    role: str
    codes: list[str]
    group: str | None
    stage: int | None
    after: set[int]


# Relations under which a clause says what to find out ("figure out why ...").
_CLAUSE = ("ccomp", "csubj", "xcomp", "advcl")
# Relations of a request's own things (its object and the phrases on it).
_OWN = ("obj", "iobj", "obl", "nsubj:pass")
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "your", "our", "my", "its", "their"})


def finds_out(t: Tree, i: int, fw: FollowWords) -> bool:
    """The verb at ``i`` finds something out: a finding verb with a clause of what."""
    if t.lemma(i) not in fw.finding:
        return False
    for c in t.children(i):
        # the clause's first word, past a particle the parse hung on it ("out which ...")
        words = [k for k in sorted(t.subtree(c)) if not (t.rel(k) in ("case", "compound:prt") and t.low(k) in ("out", "up"))]
        first = t.low(words[0]) if words else ""
        if t.rel(c) in _CLAUSE and (first in fw.question or any(t.low(m) in fw.question for m in t.children(c, "mark", "advmod"))):
            return True
        # "find out who, why"; "work out which invoices ...": a question word opens the
        # object (the tagger may read the clause as a noun phrase); a nominal "that" or
        # "if" does not ("check that file")
        if t.rel(c) in ("obj", "obl", "dep", "parataxis") and first in fw.question - {"that", "if"}:
            return True
        # "find out where, why": bare question words on the verb itself
        if t.rel(c) == "advmod" and c > i and t.low(c) in fw.question - {"that", "if", "when"}:
            return True
    return False


def _hands_on(t: Tree, i: int, w: Words) -> bool:
    """The request's own things point back ("fix it", "deploy the patch", "send the results")."""
    for c in t.children(i, *_OWN):
        if t.low(c) in w.pronouns and t.words[c].upos in ("PRON", "DET"):
            return True
        if t.lemma(c) in w.results and any(t.low(d) in _DEFINITE for d in t.children(c, "det", "nmod:poss")):
            return True
        if any(t.low(d) in w.pronouns and t.words[d].upos in ("PRON", "DET") for d in t.children(c, "nmod", "nmod:poss")):
            return True  # "the end of it", "its owner"
    return False


def _own_things(t: Tree, i: int) -> set[str]:
    """The lemmas of the nouns in the request's object phrases."""
    out: set[str] = set()
    for c in t.children(i, "obj", "iobj", "obl"):
        out |= {t.lemma(k) for k in t.subtree(c) if t.words[k].upos in ("NOUN", "PROPN")}
    return out


def _sequence_before(text: str, lo: int, hi: int, fw: FollowWords) -> bool:
    """A sequence word stands in ``text[lo:hi]`` ("..., then", "? Once you know,")."""
    return any(tok.strip(".,;:!?()'\"").lower() in fw.sequence for tok in text[lo:hi].split())


def _joined(t: Tree, a: Pred, b: Pred) -> bool:
    """The two requests are joined by "and" or a comma, with no order word between."""
    ai = a.anchor if a.anchor >= 0 else a.i
    bi = b.anchor if b.anchor >= 0 else b.i
    lo = max((k for k in t.subtree(ai, [bi]) if k < bi), default=ai)
    gap = t.lows(range(lo + 1, bi))
    allowed = {",", "and", "&", "also", "please", "pls", "plus"}
    return bool(gap) and all(x in allowed for x in gap) and ("and" in gap or "," in gap or "&" in gap or "plus" in gap)


def follow_ups(drafts: Sequence[DraftLike], text: str, w: Words, fw: FollowWords | None = None) -> list[int]:
    """Move the waits of follow-ups onto the finding (O340); the drafts changed."""
    fw = fw or load_follow_words()
    changed: list[int] = []
    for b in range(2, len(drafts)):
        db = drafts[b]
        if db.group is not None or db.stage is not None or db.pred.kind != "verb":
            continue
        # the run of follow-ups before ``b`` back to the first one, which waits on the finding
        k = b - 1
        while k > 0 and k in changed:
            k -= 1
        first = drafts[k]
        if first.group is not None or first.stage is not None or len(first.after) != 1:
            continue
        (p,) = first.after
        dp = drafts[p]
        transcript = dp.pred.verb in fw.words_out and dp.pred.kind == "verb"
        if p >= k or dp.group is not None or not (finds_out(dp.pred.tree, dp.pred.i, fw) or transcript):
            continue
        if first.role in fw.plans or finds_out(first.pred.tree, first.pred.i, fw):
            continue
        verb_at = first.pred.tree.words[first.pred.anchor if first.pred.anchor >= 0 else first.pred.i].start
        said = "next" in first.pred.markers or _sequence_before(text, dp.span[1], verb_at, fw)
        # O342: "work out where the damp comes from, patch it, and order a dehumidifier": the list of
        # requests said right after the finding in its sentence, with no order word
        listed = dp.pred.tree is first.pred.tree and _joined(first.pred.tree, dp.pred, first.pred)
        if not (said or listed) or (transcript and not said):
            continue  # O347 only after a stated "then": "transcribe it, summarise it" is a procedure
        t = db.pred.tree
        a = drafts[b - 1]
        if a.pred.tree is not t or not _joined(t, a.pred, db.pred):
            continue
        if db.pred.markers & {"next", "first", "parallel"} or db.role in fw.uses_previous:
            continue
        mine = _own_things(t, db.pred.i)
        if not t.children(db.pred.i, "obj", "iobj") or _hands_on(t, db.pred.i, w):
            continue
        if any(mine & _own_things(drafts[j].pred.tree, drafts[j].pred.i) for j in range(k, b)):
            continue  # "update the ledger and print the ledger": the same thing, in order
        db.after = (db.after - set(range(k, b))) | {p}
        db.codes.append("O347" if transcript else "O340" if said else "O342")
        changed.append(b)
    return changed
