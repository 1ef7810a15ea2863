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
    # a capitalised word inside the sentence is a name that may end in "s" ("Leeds", "Athens")
    named = k > 0 and w.text[:1].isupper() and not w.text.isupper()
    return w.upos == "NOUN" and not named and t.lemma(k) != t.low(k) and t.low(k).endswith("s") and len(t.low(k)) > 3


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


doc_only(
    "I381", "shared-head-phrase",
    "In 'what the Leeds and Bristol branch managers think' the items are 'Leeds' and 'Bristol': a noun phrase after the last of the members that tell things apart is said once for all of them.",
    """I371 reads one plural noun said once after one-word members. The noun
    said once may be longer ("branch managers", "help files", "store
    pages"), an acronym plural ("the Oslo and Bergen DCs") or, after members
    that are names ending in a capital or a digit, a singular or mass noun
    ("the Q1 and Q2 figures", "year 9 and year 11 promotion"), and it may
    take an "of" phrase of its own ("the Polish and Czech versions of the
    guide"). The shared
    phrase is the run of lowercase common nouns ending the last member, no
    longer than the words it has beyond the other members; what remains
    must be about as long as the others. The members before the last must
    be words that only tell things apart: names, codes or adjectives
    ("german, polish and brazilian portuguese help files"), or modifiers
    after a determiner said once for all of them. A list of plain nouns
    ("milk, bread and chocolate cookies") or members with determiners of
    their own keeps its words.""",
)


# a noun said once for a list is a head and at most one noun before it ("site managers");
# a longer run of lowercase nouns more likely holds a member word the tagger took for a noun
_LONGEST_SHARED = 2


def _acronym_plural(t: Tree, k: int) -> bool:
    text = t.words[k].text
    return len(text) >= 3 and text.endswith("s") and text[:-1].isupper() and text[:-1].isalpha()


def _common(t: Tree, k: int) -> bool:
    """A lowercase common noun that can be part of a phrase said once ("branch", "managers")."""
    text = t.words[k].text
    return t.words[k].upos == "NOUN" and text.isalpha() and text.islower()


def _telling(t: Tree, k: int) -> bool:
    """A word that tells members apart on its own: a name or code, or an adjective."""
    return _namelike(t, k) or (t.words[k].upos == "ADJ" and t.low(k).isalpha())


def unshared_phrase(t: Tree, items: list[tuple[int, int]], not_heads: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """I381: the members of ``items`` without a noun phrase said once after the last of them."""
    if len(items) < 2:
        return items
    a, b = items[-1]
    of = next((k for k in range(a + 2, b) if t.low(k) == "of"), None)
    if of is not None:
        # "the Spanish and Vietnamese versions of the handbook": the shared noun has its own "of"
        shortened = unshared_phrase(t, [*items[:-1], (a, of - 1)], not_heads)
        return shortened if shortened[-1] != (a, of - 1) else items
    a, b = items[-1]
    if b <= a or t.low(b) in _NOT_HEADS or t.low(b) in not_heads or t.lemma(b) in not_heads:
        return items
    plural = _acronym_plural(t, b) or (_common(t, b) and _plural_noun(t, b))
    if not plural and not _common(t, b):
        return items
    opened = items[0][0] > 0 and t.low(items[0][0] - 1) in _OPENERS
    lengths: list[int] = []
    ends: list[int] = []
    for n, (x, y) in enumerate(items[:-1]):
        if t.low(x) in _OPENERS or t.words[x].upos == "DET":
            if n > 0 or x == y:
                return items  # "the kitchen, the lobby and the gym floors": each member has its own
            opened, x = True, x + 1
        if any(t.words[k].upos in ("VERB", "AUX", "ADP", "PRON") or _plural_noun(t, k) for k in range(x, y + 1)):
            return items
        lengths.append(y - x + 1)
        ends.append(y)
    # the shared phrase: lowercase common nouns ending the last member, no more of them than
    # the words the last member has beyond the longest other member
    if (t.words[a].upos in ("DET", "PRON") or t.low(a) in _OPENERS) and t.low(a) != t.low(items[0][0]):
        # "Lambda or our own Nomad cluster": a member with a determiner the others lack names its
        # own thing ("the UK and the DE storefronts" repeats the first member's)
        return items
    cut = b if plural or _common(t, b) else b + 1
    while cut - 1 > a and b - cut < _LONGEST_SHARED - 1 and _common(t, cut - 1) and (b - (cut - 1) + 1) <= (b - a + 1) - min(lengths):
        cut -= 1
    if cut <= a or (b - cut + 1) > (b - a + 1) - min(lengths) or cut - a > max(lengths) + 1:
        return items
    rest_end = cut - 1
    if not plural:
        # a singular or mass noun is shared only by names that end in a capital or digit ("Q1 and Q2 figures")
        if not all(_namelike(t, y) for y in [*ends, rest_end]):
            return items
    elif not (all(_telling(t, y) for y in [*ends, rest_end]) or (opened and all(_modifier(t, y) for y in [*ends, rest_end]))):
        return items
    if _namelike(t, b) and not _acronym_plural(t, b):
        return items
    return [*items[:-1], (a, rest_end)]


doc_only(
    "I387", "phrase-on-the-last-member",
    "In 'blueprints for Unit 1, Unit 2 and Unit 3 of Year 11' the items are Unit 1, Unit 2 and Unit 3: a phrase after the last member, when the members are alike and none of the others has one, is said of all of them.",
    """Members of a list are alike in form ("Unit 1", "Unit 2"; "one video,
    one simulation, one worksheet"); a prepositional phrase that only the
    last member carries ("Unit 3 of Year 11", "one worksheet for teaching
    gas laws") says something of the whole list, as a shared noun does
    (I371, I381). The member is named without it when what remains has the
    same first or last word as another member, so the phrase cannot be
    what tells it apart ("Paris, Rome and the south of France" keeps its
    last member whole).""",
)

_TAIL_PREPS = frozenset({"of", "for", "on", "in", "at"})


def unshared_tail(t: Tree, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """I387: the last member of ``items`` without a phrase that none of the others has."""
    if len(items) < 2:
        return items
    a, b = items[-1]
    p = next((k for k in range(a + 1, b) if t.low(k) in _TAIL_PREPS and t.words[k].upos in ("ADP", "SCONJ")), None)
    if p is None:
        return items
    others = items[:-1]
    if any(t.words[k].upos in ("ADP", "SCONJ") for x, y in others for k in range(x, y + 1)):
        return items
    def first(x: int, y: int) -> str:
        while x < y and t.words[x].upos == "DET" and t.low(x) not in ("one",):
            x += 1
        return t.low(x)

    alike = any(first(x, y) == first(a, p - 1) or t.low(y) == t.low(p - 1) for x, y in others)
    if not alike or (p - a) > max(y - x + 1 for x, y in others) + 1:
        return items
    return [*others, (a, p - 1)]
