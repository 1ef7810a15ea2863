"""A plural noun said once after a list of modifiers (reading I371).

"the core, cli and wasm crates", "the iOS and Android apps", "our pricing,
onboarding and checkout pages": the plural noun at the end belongs to every
member, and the members are the words that tell the crates, apps or pages
apart. The shape reader of ``distribute`` sees the noun only on the last
member ("wasm crates"), so that member would be named unlike the others and
the step titles would disagree ("test-ios", "test-android-apps"). The items
are named without the shared noun, as the corpus annotates them ("core",
"cli", "wasm"); the list still ends after the noun, so what the sentence says
after the list is read as before.
"""

from __future__ import annotations

from planner.parser.readings import doc_only
from planner.parser.tree import Tree

doc_only(
    "I371", "shared-plural-head",
    "In 'test the iOS and Android apps' the items are 'iOS' and 'Android': a plural noun after the last of one-word members is said once for all of them.",
    """A list whose members before the last are single words that are not
    plural nouns themselves ("core", "cli", "iOS", "billing") and whose last
    member is one such word followed by a plural noun ("wasm crates",
    "Android apps") shares that noun: it names what every member is. The
    items are named without it, like the others. The list must say it is
    one phrase: a determiner or possessive before the first member only
    ("the core, cli and wasm crates", "our pricing and checkout pages"), or
    members that are all names ("iOS and Android apps"). Members with
    their own determiner ("the kitchen, the lobby and the gym floors") or
    plural nouns of their own ("podcasts, newsletters and conference
    talks") keep their words, and so does a list of plain nouns with no
    determiner ("milk, bread and chocolate cookies"), where the last noun
    may be a member of its own.""",
)

# words that open a phrase said once for the whole list
_OPENERS = frozenset({"the", "our", "my", "your", "their", "its", "both", "all", "these", "those"})
# plural nouns that name no kind: a time or a quantity after a list says when or how much
# ("the first and second weeks"), and "ones", "others", "things" stand in for the members
_NOT_HEADS = frozenset({"days", "weeks", "months", "years", "hours", "minutes", "times", "ones", "others", "things"})


def _plural_noun(t: Tree, k: int) -> bool:
    w = t.words[k]
    return w.upos == "NOUN" and t.lemma(k) != t.low(k) and t.low(k).endswith("s") and len(t.low(k)) > 3


def _namelike(t: Tree, k: int) -> bool:
    text = t.words[k].text
    return text[:1].isupper() or any(c.isdigit() or c in "`._-/" for c in text)


def _modifier(t: Tree, k: int) -> bool:
    """One word that can tell members apart: a name, a noun used as a modifier or an adjective."""
    return t.words[k].upos in ("NOUN", "PROPN", "ADJ", "X") and not _plural_noun(t, k) and any(c.isalpha() for c in t.low(k))


def _one_word(t: Tree, x: int, y: int) -> bool:
    """Words ``x..y`` are written as one ("R&D", "T-Mobile", "auth-kit"): no space between them."""
    return all(t.words[k].end == t.words[k + 1].start for k in range(x, y))


def unshared_head(t: Tree, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """I371: the members of ``items`` (word spans) without a plural noun said once after them."""
    if len(items) < 2:
        return items
    a, b = items[-1]
    if b - a < 1 or not _one_word(t, a, b - 1) or not _plural_noun(t, b) or t.low(b) in _NOT_HEADS or not _modifier(t, b - 1):
        return items
    firsts: list[int] = []
    opened = False
    for n, (x, y) in enumerate(items[:-1]):
        if n == 0 and x < y and t.low(x) in _OPENERS:
            opened, x = True, x + 1
        if not _one_word(t, x, y) or not _modifier(t, y):
            return items
        firsts.append(x)
    if items[0][0] > 0 and t.low(items[0][0] - 1) in _OPENERS:
        opened = True
    if not opened and not all(_namelike(t, k) for k in [*firsts, a]):
        return items
    return [*items[:-1], (a, b - 1)]
