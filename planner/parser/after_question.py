"""S193: a command coordinated after a question clause is the reader's next step.

"Find out where the files went, restore them", "work out what is filling the
disk and archive the old logs", "check what is blocking the drain and clear it": the
parser hangs the second command on the verb inside the question ("went",
"filling", "blocking"), as a conjunct, and Universal Dependencies gives a
conjunct the subject of its first conjunct. Read that way, "restore" would
have the subject "the files" and tell a story (S104), and its work would be
lost inside the finding step. A conjunct in the bare form, with no subject of
its own, cannot share the subject of a clause whose verb is inflected or
carries an auxiliary ("the files went", "what is filling", "the tap drips"): it
is a command, coordinated with the command that asked the question.
"""

from __future__ import annotations

from planner.parser import clauses as S
from planner.parser.readings import reading
from planner.parser.tree import Tree
from planner.parser.words import Words

# Words that open a clause naming what to find out ("where the water gets in", "what is running").
_QUESTION_WORDS = frozenset({"how", "what", "why", "whether", "which", "where", "when", "who", "if"})
# Relations a question clause has under the verb that asks it ("find out where ...",
# "look into where ...": the parser gives the second an oblique).
_QUESTION_RELS = frozenset({"ccomp", "advcl", "csubj", "xcomp", "obl"})
# Auxiliaries and copulas that mark the question clause's verb as inflected for its subject.
_INFLECTING = frozenset({"aux", "aux:pass", "cop"})


def _bare(t: Tree, i: int) -> bool:
    form = t.low(i).replace("’", "'")
    return form == t.lemma(i).lower() and not form.endswith(("ing", "ed"))


def _question_clause(t: Tree, v: int) -> bool:
    """Whether ``v`` heads a clause that opens with a question word and hangs on a verb that
    asks for work ("find out where the keys went", "check what is using the disk")."""
    head = t.head(v)
    if head is None or t.rel(v) not in _QUESTION_RELS or t.words[head].upos != "VERB":
        return False
    opener = min(t.subtree(v, [c for c in t.children(v, "conj")]))
    # the question word opens the clause, or stands right before it where the parser hung it
    # on the asking verb ("look into where the water gets in")
    asked = t.low(opener) in _QUESTION_WORDS or (opener > 0 and t.low(opener - 1) in _QUESTION_WORDS)
    if opener > v or not asked:
        return False
    # the verb that asks is a command, not a story ("we found out where the keys went, and cut a new set")
    return not S.is_narrative(t, head)


def _inflected(t: Tree, v: int) -> bool:
    """The question clause's verb agrees with its own subject: it has an auxiliary or a copula,
    or it is no bare form ("went", "drips"), or its subject is the question word ("what runs")."""
    if t.children(v, *_INFLECTING) or not _bare(t, v) or t.words[v].upos != "VERB":
        return True
    subj = t.child(v, "nsubj", "nsubj:pass")
    return subj is not None and t.low(subj) in _QUESTION_WORDS


@reading("S193", "command-after-a-question", "A bare verb coordinated after a question clause ('find out where the keys went, cut a new set') is the reader's next command, not part of the question.")
def command_after_question(t: Tree, i: int, w: Words) -> bool:
    """"Find out where the files went, restore them", "check what is using the
    disk and clear some space", "see what is blocking the drain and clear it":
    the parser hangs the second verb inside the question clause, so it
    would share the clause's subject and read as part of what to find out.
    A bare verb with no subject of its own cannot share the subject of an
    inflected verb ("went", "is using", "drips"): it is a command of its
    own, after the finding. "Find out where they go and what they eat"
    (a second question) and "find out who lives there and works nights"
    (an inflected conjunct) stay inside the question.
    """
    if t.words[i].upos != "VERB" or t.rel(i) not in ("conj", "advcl") or not _bare(t, i):
        return False
    if t.child(i, "nsubj", "nsubj:pass") is not None or t.children(i, "aux", "aux:pass", "mark"):
        return False
    # a wrapper ("let me know which ...", "have Sam pick") is not work of its own: the
    # readings of wrappers and closing steps (S118, S190) decide what it asks for
    if t.lemma(i) in w.wish:
        return False
    # a conjunct of the question's verb, or a clause the parser hung on it with no
    # subordinator ("work out where the keys went, cut a new set")
    first = S._first_conjunct(t, i) if t.rel(i) == "conj" else (t.head(i) if i > 0 and t.low(i - 1) in (",", "then") else None)
    return first is not None and first != i and _question_clause(t, first) and _inflected(t, first)
