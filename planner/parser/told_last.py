"""S301: "read the hours off it, enter them in the sheet, and tell me the total": the telling that ends a chain.

Telling the user a result is how the work before it ends ("find my booking
email and tell me the reference", S118): one command and its answer are one
step. After a chain of two or more commands, the telling names what the
chain was for, a thing of its own found from what the stages made: "the
total" of the entered hours, "what it says" once the dump is decoded, "the
model" once the plate is read. It is the chain's last stage, a step.

What is told must be a thing of its own: a definite noun ("the total", "the
line") or a question with a subject of its own ("what it says", "which
ones ..."). Telling what the work turned up in general ("what you find",
"the results", "how it went", "when it's done") names nothing new and
stays the end of the work before it (S118).
"""

from __future__ import annotations

from planner.parser.clauses import Pred
from planner.parser.readings import reading
from planner.parser.tree import Tree

# Nouns that name whatever the work turned up, not a thing of its own.
_GENERAL = frozenset(
    {"result", "results", "outcome", "findings", "finding", "answer", "answers", "status", "progress",
     "update", "gist", "details", "detail", "info", "information", "news", "output", "everything", "anything"}
)
# Subjects of a told clause that report on the work itself ("what you find", "how it went").
_WORKER = frozenset({"you", "u", "ya", "we"})
# Openers of a told clause that say when the work ends ("when it's done", "once it's live").
_WHEN = frozenset({"when", "once", "after", "as", "how"})


@reading("S301", "told-after-a-chain", "'read the hours off it, enter them in the sheet, and tell me the total': telling the user a thing of its own after two or more stages is the chain's last stage.")
def told_after_chain(t: Tree, p: Pred, stages_before: int) -> bool:
    """Whether telling ``p`` (S118's delivery to the user) names a thing of its
    own at the end of ``stages_before`` (two or more) stages in its sentence:
    a definite noun told ("tell me the total") or a question with a subject
    of its own ("tell me what it says"). "tell me what you find", "tell me
    the results" and "let me know when it's done" stay the end of the work.
    """
    if stages_before < 2:
        return False
    a = p.anchor if p.anchor >= 0 else p.i
    for k in t.children(a, "obj"):
        if t.low(k) in ("me", "us") or t.words[k].upos != "NOUN":
            continue
        if t.lemma(k) in _GENERAL or t.low(k) in _GENERAL:
            return False
        return any(t.low(d) == "the" for d in t.children(k, "det"))
    for k in t.children(a, "ccomp"):
        opener = t.low(min(t.subtree(k)))
        if opener in _WHEN or opener not in ("what", "which", "who", "where", "if", "whether", "why"):
            continue
        subj = t.child(k, "nsubj")
        if subj is not None and t.low(subj) not in _WORKER:
            return True
    return False
