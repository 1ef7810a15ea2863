"""I514: a counted number of workers set to one job ("get three agents to each write a parser").

A writer who wants parallel attempts often names no options at all: they ask
for a number of agents or people and say the job once ("have two people
estimate it independently", "use 3 agents to draft the brief, then pick
one"). The count is on the workers, not on the job's object, so the count
readings of the work (I203) never see it, and the plan loses the attempts.
The job is done once per worker, side by side, before whatever follows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache

from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import nummod_count, parse_word_sets

doc_only(
    "I514", "counted-workers",
    "'Get three agents to each write a parser, then benchmark them': a count of workers set to one job is that job done once per worker.",
    """The workers ([workers] nouns in rules/parse.toml: agents, people,
    models, reviewers ...) carry the count, and the job is the verb a
    setting verb ("have", "get ... to", "use ... to", "ask ... to") puts
    them to, or the verb they are the subject of ("three agents each write
    ..."). Each worker's attempt is a step of its own, named after the job's
    object ("parser 1", "parser 2"). A count of one, or more workers than a
    plan's largest group, is no such request; "the two agents we use are
    slow" sets nobody to work, and "three people patched it over the years"
    tells what was done (the workers as a subject need "each" and a bare
    verb: "three agents each write one").""",
)

_JOB_RELS = frozenset({"xcomp", "advcl", "ccomp"})
# No more workers than a plan's largest group (max_group in rules/parse.toml) is asked for.
_CAP = 20


@cache
def _words() -> tuple[frozenset[str], ...]:
    return parse_word_sets("workers", "nouns", "setting")


def _sets(t: Tree, k: int, setting: frozenset[str]) -> bool:
    """Word ``k`` is a setting verb said as a request: no subject but the reader ("get", "could
    you have ..."); "we have three people working on it" tells how things are."""
    subj = t.child(k, "nsubj")
    return t.lemma(k) in setting and (subj is None or t.low(subj) in ("you", "u"))


def counted_workers(t: Tree, i: int, numbers: Mapping[str, int], cap: int = _CAP) -> tuple[int, int] | None:
    """I514: (how many workers, the workers' noun) when the verb at ``i`` is the job a
    counted number of workers is set to, else None."""
    if t.words[i].upos != "VERB":
        return None
    nouns, setting = _words()
    # "three agents each write one": the workers as the job's subject, a bare verb after "each";
    # "three people patched it over the years", "2 people kept access" tell what happened
    candidates = list(t.children(i, "nsubj")) if i > 0 and t.low(i - 1) == "each" and t.low(i) == t.lemma(i) else []
    head = t.head(i)
    if head is not None and t.rel(i) in _JOB_RELS and _sets(t, head, setting):
        candidates += t.children(head, "obj", "iobj")
    elif head is not None and t.rel(i) == "acl" and (setter := t.head(head)) is not None and _sets(t, setter, setting):
        candidates.append(head)  # "get two agents to write ...": the job hung on the workers
    for k in candidates:
        if t.lemma(k) not in nouns and t.low(k) not in nouns:
            continue
        n = nummod_count(t, k, numbers)
        if n is not None and 2 <= n <= cap:
            return n, k
    return None


def sets_workers(t: Tree, i: int, numbers: Mapping[str, int]) -> bool:
    """I514: the verb at ``i`` ("get", "use", "have") only sets counted workers to a job read on its own."""
    if t.lemma(i) not in _words()[1]:
        return False
    jobs = [*t.children(i, *_JOB_RELS), *(j for o in t.children(i, "obj", "iobj") for j in t.children(o, "acl"))]
    return any(counted_workers(t, j, numbers) is not None for j in jobs)


def workers_each_tags(lows: Sequence[str], out: list[str], why: list[str], verbish: Callable[[str], bool]) -> None:
    """I514: "have three agents each draft a slogan": after a counted worker noun and "each",
    a word the verb lexicon knows is the job's verb, not a noun ("each draft")."""
    nouns = _words()[0]
    for i in range(3, len(lows)):
        if (lows[i - 1] == "each" and lows[i - 2] in nouns and out[i - 3] == "NUM"
                and out[i] in ("NOUN", "ADJ") and verbish(lows[i])):
            out[i], why[i] = "VERB", "I514"
