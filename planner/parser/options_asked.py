"""Options named inside a question that has no verb of work: what is compared, which of a few, how.

Some questions offer the things to weigh without a verb that says what to do
with them: "how do A, B and C compare on price?" (the things are the subject
of "compare"), "which of A, B or C is cheapest for us?" (the things sit
between "which of" and the verb), "should we meet in person, virtually or
hybrid?" (the options are ways of doing it, an adverb, an adjective and a
phrase with a preposition side by side, which no noun list reader takes).
Each reading gives the things as a list of alternatives; the work on each
and the comparison follow from it as for any other options.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from planner import tomlcache
from planner.parser.options import Options, _as_list, _cut, _members_ok, _trim, option_strings
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I410", "compared-subject",
    "'How do A, B and C compare on price?': the list that is the subject of a verb of comparing names the options, one piece of work each.",
    """A question whose verb compares ("compare", "differ", "stack up") and
    whose subject is a list of two or more short names asks for each of them
    to be looked at and then set side by side. The list runs from the word
    after the auxiliary ("do", "does", "would") to the verb; each member is a
    name of at most four words with no verb. One thing alone ("how does the
    new plan compare with the old one?") is no list and stays one step.""",
)
doc_only(
    "I411", "which-of-list",
    "'Which of A, B or C is cheapest for us?': the list between 'which of' and its verb names the options.",
    """"which of" followed by a list of two or more names, up to the verb
    of the question, offers those names as options. "which of the three
    tools ..." counts them without naming them (a list of one) and is left
    to the readings that find the names elsewhere (I270, I277).""",
)
doc_only(
    "I412", "manner-options",
    "'Should we hold it in person, virtually or hybrid?': ways of doing a thing in an 'or' list of a question are the options.",
    """A question (or a sentence with a verb of choosing) that ends with an
    "or" list whose members are ways of doing something ("in person",
    "online", "by post", "by hand", from the manners word class of
    rules/options.toml) offers those ways as the competing options. At
    least two members must be in the class and the others one word long;
    an "and" list of ways ("by post and by email") asks for both and is
    no choice.""",
)

_QUESTION_AUX = frozenset({"do", "does", "did", "would", "will", "could", "might", "should"})
_NAME_WORDS = 4
_CLAUSE_EDGES = frozenset({".", "?", "!", ";", ":", ",", "—", "–"})


@dataclass(frozen=True)
class AskedWords:
    compared_subject: frozenset[str]
    manners: frozenset[str]


@cache
def asked_words() -> AskedWords:
    """The word classes of ``rules/options.toml`` these readings use."""
    data = tomlcache.read_builtin("options.toml", "option words")
    return AskedWords(option_strings(data, "compared_subject"), option_strings(data, "manners"))


def _names(t: Tree, members: list[tuple[int, int]]) -> bool:
    """Every member is a short name: a few words, no verb, not a pronoun alone."""
    return _members_ok(t, members, None) and all(
        b - a + 1 <= _NAME_WORDS and not any(t.words[k].upos in ("VERB", "AUX") for k in range(a, b + 1))
        and not (a == b and t.words[a].upos == "PRON") for a, b in members)


def compared_subject(t: Tree) -> Options | None:
    """I410: "how do A, B and C compare on price?"."""
    w = asked_words()
    n = len(t)
    if not any(t.low(k) == "?" for k in range(n)):
        return None
    for k in range(2, n):
        if t.lemma(k) not in w.compared_subject or t.words[k].upos != "VERB":
            continue
        aux = next((j for j in range(k - 1, -1, -1) if t.low(j) in _QUESTION_AUX), None)
        if aux is None or k - aux < 4:
            continue  # "how does A compare": one thing, one step
        hi = k - 1
        while hi > aux and t.low(hi) in ("all", "each", "both", "really", "actually"):
            hi -= 1
        members, _ = _cut(t, aux + 1, hi, [])
        members = [_trim(t, a, b) for a, b in members]
        if len(members) >= 2 and _names(t, members):
            return Options(_as_list(t, members, True, ("I410",)), aux + 1, hi)
    return None


def which_of(t: Tree) -> Options | None:
    """I411: "which of A, B or C is cheapest for us?"."""
    n = len(t)
    for k in range(n - 3):
        if t.low(k) != "which" or t.low(k + 1) != "of":
            continue
        verb = next((j for j in range(k + 2, n) if t.words[j].upos in ("VERB", "AUX") or t.low(j) in _CLAUSE_EDGES - {","}), None)
        if verb is None or verb - k < 5:
            return None
        members, _ = _cut(t, k + 2, verb - 1, [])
        if len(members) >= 2 and _names(t, members):
            return Options(_as_list(t, members, True, ("I411",)), k + 2, verb - 1)
        return None
    return None


def _manner_ending(t: Tree, end: int, manners: frozenset[str]) -> int | None:
    """The first word of a phrase of the manners class that ends at word ``end``."""
    for size in (3, 2, 1):
        a = end - size + 1
        if a >= 0 and " ".join(t.low(j) for j in range(a, end + 1)) in manners:
            return a
    return None


def manner_options(t: Tree, choosing: frozenset[str]) -> Options | None:
    """I412: "in person, virtually or hybrid?" in a question or a choice."""
    w = asked_words()
    n = len(t)
    asked = any(t.low(k) in ("?", "whether") for k in range(n)) or any(
        t.words[k].upos == "VERB" and t.lemma(k) in choosing for k in range(n))
    if not asked:
        return None
    for o in range(1, n - 1):
        if t.low(o) != "or":
            continue
        # the last way starts right after "or" ("or hybrid this winter": what follows is the rest of the clause)
        end = next((o + size for size in (3, 2, 1) if o + size < n
                    and " ".join(t.low(j) for j in range(o + 1, o + size + 1)) in w.manners), None)
        in_class = 1
        if end is None:
            if t.words[o + 1].upos not in ("ADV", "ADJ"):
                continue
            end, in_class = o + 1, 0
        last_a = o + 1
        members = [(last_a, end)]
        b = o - 1 if t.low(o - 1) != "," else o - 2
        while b >= 0 and (a := _manner_ending(t, b, w.manners)) is not None:
            members.insert(0, (a, b))
            in_class += 1
            if a < 2 or t.low(a - 1) != ",":
                break
            b = a - 2
        if len(members) >= 2 and in_class >= 2:
            return Options(_as_list(t, members, True, ("I412",)), members[0][0], members[-1][1])
    return None
