"""Items named after the work, in common nouns (reading I370).

"Check each service's error budget. billing, search and auth were the ones
that paged last week": the work says "each service" and names none; the next
sentence names them, in lower case, as the subject of a statement about them.
I360 takes such a list only when its members are names (capitalised or
written as identifiers); lower-case words are just as often the names of
teams, services, rooms or departments ("billing", "the lobby", "sales"), and
the shape of the sentence says what the list is: it opens the sentence, its
verb follows it, and the sentence asks for no work of its own.
"""

from __future__ import annotations

from planner.parser.distribute import ItemList
from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I370", "each-common-next",
    "'check each team's backlog. design, support and finance are the ones behind': a list of common nouns that opens the next sentence as its subject, in a sentence that asks for no work, names the things 'each team' means.",
    """Like I360, for lists of common nouns. A distributive phrase with a noun
    ("each service", "every room") and no list before it looks one sentence
    ahead; when that sentence opens with a list of two or more short
    members (up to three words each, not offered as options) that is the
    subject of its verb ("billing, search and auth were the ones that
    paged", "the kitchen, the lobby and the laundry failed the check"), and
    the sentence asks for no work of its own, the members are the things
    the work is done for. A sentence that asks for work ("tests, docs and
    the changelog must be updated") or whose list comes later ("we paged
    billing, search and auth") is about something else.""",
)

# words that may come before a subject list opening a sentence: a bullet's dash, a linking word
_LEADS = frozenset({"-", "*", "•", "so", "and", "but", "also", "well", "basically", "mainly", "especially"})
# words that make the sentence a requirement on the things it lists, not a statement about them
_DUTY = frozenset({"must", "should", "need", "needs", "shall", "ought", "required", "mandatory"})
_MAX_WORDS = 3  # a member longer than this is a description, not a name for the thing


def subject_list_ahead(nt: Tree, lst: ItemList, text: str, opens: int = 0) -> bool:
    """I370: ``lst`` opens ``nt`` (or its clause from word ``opens`` on) as the subject of its
    verb, with short members."""
    if lst.alternatives or len(lst.spans) < 2 or lst.start < opens:
        return False
    if not all(nt.low(k) in _LEADS or nt.words[k].upos == "PUNCT" for k in range(opens, lst.start)):
        return False
    if any(len(text[s:e].split()) > _MAX_WORDS for s, e in lst.spans):
        return False
    after = lst.end + 1
    while after < len(nt) and (nt.words[after].upos == "ADV" or nt.low(after) in ("all", "both")):
        after += 1  # "billing and search both paged", "A and B also failed"
    if after >= len(nt) or any(nt.low(k) in _DUTY or (nt.low(k) in ("have", "has") and nt.low(k + 1) == "to")
                               for k in range(after, len(nt) - 1)):
        return False  # "tests, docs and the changelog must be updated": what is asked, not what each is
    subject = any(nt.rel(k) in ("nsubj", "nsubj:pass") for k in range(lst.start, lst.end + 1))
    return nt.words[after].upos in ("VERB", "AUX") and (subject or nt.words[after].upos == "AUX" or nt.words[after].text.endswith("ed"))


# marks after which a sentence goes on with a clause of its own ("...; billing and auth paged")
_CLAUSE_MARKS = frozenset({";", "—", "–", "-"})


def subject_list_after(t: Tree, lst: ItemList, text: str, trig: int) -> bool:
    """I370: ``lst`` opens the clause after a semicolon or a dash later in ``t`` than the
    distributive word at ``trig`` ("review each store's count; downtown and uptown were off")."""
    k = lst.start - 1
    while k > trig and t.low(k) in _LEADS - _CLAUSE_MARKS:
        k -= 1  # "; so billing and auth ..."
    if k <= trig or t.low(k) not in _CLAUSE_MARKS:
        return False
    if t.words[k - 1].end == t.words[k].start:
        return False  # a hyphen inside a word ("on-call"), not a dash between clauses
    return subject_list_ahead(t, lst, text, opens=k + 1)
