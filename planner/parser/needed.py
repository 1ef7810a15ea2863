"""S230: a need stated in one sentence, fetched by a pronoun in the next.

"For the audit we need every invoice from Xero, Stripe and the old database.
Can you gather them and build one sheet?" names the sources in a sentence
that asks for no work ("we need ..."), and the request after it fetches
"them" or "it": the sources the need named. Fetching from each source is a
look of its own, as "gather the invoices from Xero, Stripe and the old
database" would be (I201); the pronoun only carries the list across the
sentence break.
"""

from __future__ import annotations

from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "S230", "needed-then-fetched",
    "'We need the logs from A, B and C. Can you pull them and ...': a need naming sources, then a fetching verb whose object is 'it' or 'them', is one fetch per source.",
    """A sentence that states a need ("we need", "I want", "we require")
    with a list of three or more things, or of names, and no step of its
    own, followed right away by a verb of looking or gathering whose object
    is a pronoun ("collect it", "pull them together", "gather those"):
    the pronoun points back at what the need named, so the gathering is
    done once per named thing, before the work after it. A need with no
    list, or a fetching verb with an object of its own ("collect the
    receipts"), is read as before.""",
)

# Verbs that state a need or a wish without asking for work themselves.
_NEEDS = frozenset({"need", "want", "require", "needs", "wants", "requires", "needed", "wanted", "required"})
# Objects that point back at what was just named.
_BACK = frozenset({"it", "them", "these", "those", "everything", "all"})
# Particles between a verb and its object ("pull them together", "round up all of it").
_PARTICLES = frozenset({"up", "out", "together", "in"})


def needed_before(t: Tree, list_at: int) -> bool:
    """S230: sentence ``t`` states a need before its list at ``list_at``."""
    return any(t.low(k) in _NEEDS or t.lemma(k) in _NEEDS for k in range(list_at))


def fetches_them(t: Tree, verb_at: int) -> bool:
    """S230: the verb at ``verb_at`` takes a pronoun pointing back as its object."""
    k = verb_at + 1
    if k < len(t) and t.low(k) in _PARTICLES:
        k += 1
    return k < len(t) and t.low(k) in _BACK
