"""I390: the request that combines the items' results is one step after them.

"Get the availability from all three teams - A, B and C - and prepare the final
rota": the getting is done once per team, the rota once, from every team's
answer. The distribution readings carry the items over to the requests said
after the distributed one ("prototype each, then measure throughput": the
measuring goes on per item), and stop at a joining role. A request whose role
the classifier reads as making ("prepare", "write", "build") still combines
when its verb does (``[combining] verbs``: summarise, compile, merge, rank,
pick, ...), when its object is said to be one thing for all of them ("the
final chart", "one overview", ``whole`` and ``single``), or when it points back
at all the results ("merge them", "summarise the differences", ``back``).
Words that keep the result per item ("a summary of each", "one chart per
site", ``per_item``) keep it per item, whatever the verb.

Where the work after a list was scoped to each item by the list itself ("for A
and B: review the contract, then summarise the red flags"), every request
after the colon is per item by how the text is laid out; only a result said
to be whole ("final", "overall", "combined") stops the streams there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from planner import tomlcache
from planner.errors import RuleFileError
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import has_phrase, word_phrases, word_set

doc_only(
    "I390", "combining-after-items",
    "After work done once per item, a request that combines the results ('and prepare the final chart', 'compile them', 'write one overview', 'summarise the differences') is one step after all the items, not one per item.",
    """"Ask each of the three leads (web, mobile, data) for their goals and
    write a single overview for the board": the asking is done per lead, the
    overview once, from every answer. The work said after a distributed
    request goes on per item unless its role joins; this reading also stops
    the items at a request whose verb combines (``[combining] verbs``:
    summarise, compile, merge, rank, pick), whose object is one thing for all
    ("the final chart", "one overview") or that points back at every result
    ("merge them", "the differences"). "Write a summary of each", "one chart
    per site" stay per item. After a list scoped by a colon ("for A and B:
    review, then summarise the red flags") only a whole result ("the final
    combined forecast") stops the streams.""",
)


@dataclass(frozen=True)
class CombiningWords:
    """The word classes of ``[combining]``."""

    verbs: frozenset[str]  # verbs whose work takes several results and returns one
    whole: frozenset[str]  # modifiers that make the result one thing for all the items
    single: frozenset[str]  # "one", "single": one for all, unless the work was scoped per item
    back: tuple[tuple[str, ...], ...]  # phrases pointing back at every item's result
    per_item: frozenset[str]  # words that keep the result per item
    praise: frozenset[str] = frozenset()  # "... would be great": a hoped-for result (I391)
    wish: frozenset[str] = frozenset()  # "I need one overall view": a wanted result (I391)
    across: frozenset[str] = frozenset()  # verbs that need several things side by side (I401)
    back_to_items: frozenset[str] = frozenset()  # objects that only point back at the items (I401)
    over_all: tuple[tuple[str, ...], ...] = ()  # a question asked of the whole set (I590)


def combining_words_from_table(data: object) -> CombiningWords:
    table = data.get("combining", {}) if isinstance(data, dict) else {}
    if not isinstance(table, dict):
        raise RuleFileError("[combining] must be a table", path="rules/words.toml")
    return CombiningWords(
        verbs=word_set(table, "verbs", "combining"),
        whole=word_set(table, "whole", "combining"),
        single=word_set(table, "single", "combining"),
        back=word_phrases(table, "back", "combining"),
        per_item=word_set(table, "per_item", "combining"),
        praise=word_set(table, "praise", "combining"),
        wish=word_set(table, "wish", "combining"),
        across=word_set(table, "across", "combining"),
        back_to_items=word_set(table, "back_to_items", "combining"),
        over_all=word_phrases(table, "over_all", "combining"),
    )


@cache
def load_combining_words() -> CombiningWords:
    return combining_words_from_table(tomlcache.read_builtin("words.toml", "word classes"))


def combines(
    t: Tree, own: Sequence[int], verb: str, scoped: bool = False, cw: CombiningWords | None = None, listed: bool = False
) -> bool:
    """I390: the request whose words are ``own`` (word indices of ``t``) and whose verb
    is ``verb`` combines every item's result; ``scoped`` when a list before it scoped
    the work to each item ("for A and B: ..."); ``listed`` when that scope was the
    plain list, with no "each" (I401)."""
    cw = cw or load_combining_words()
    lows = t.lows(own)
    if any(w in cw.per_item for w in lows):
        return False
    if any(w in cw.whole for w in lows):
        return True
    if scoped:
        return listed and weighs_the_items(lows, verb, cw)
    return verb.lower() in cw.verbs or any(w in cw.single for w in lows) or any(has_phrase(lows, p) for p in cw.back)


doc_only(
    "I401", "weighing-after-listed-scope",
    "After a plain list scoped the work to each item ('For A and B: collect X, then check Y'), a request whose verb needs several things ('compare', 'rank', 'choose') and whose object only points back at them ('then compare them', 'rank both', 'compare the results') is one step over every stream, not a stage of each.",
    """Under "for A and B:" every request is a stage of each item's stream
    (I390), but comparing or ranking one thing alone is no work: "then
    compare them" weighs the items' results against each other. The verbs
    are ``[combining] across`` and the pointing-back objects
    ``back_to_items`` in rules/words.toml. Under "for each X:" the scope is
    said to be per item, so "then compare them" there compares what each
    item holds ("for each site: get two quotes, then compare them") and
    stays a stage.""",
)


def weighs_the_items(lows: Sequence[str], verb: str, cw: CombiningWords) -> bool:
    """I401: a verb of weighing whose object is only a word pointing back at the items."""
    return verb.lower() in cw.across and any(w in cw.back_to_items for w in lows[1:])



doc_only(
    "I590", "question-over-the-set",
    "After work done once per item, a request that asks a question of the whole set ('and say which ones still need it', 'and see if there is a pattern', 'and tell me if any of them are late') is one step after all the items, not one per item.",
    """"Look at each of the three services and say which ones still log
    passwords": the looking is done per service, the answer once, from every
    service's findings; asked of one service alone, "which ones" has nothing to
    choose among. The phrases (``[combining] over_all`` in rules/words.toml)
    ask which of the items, whether any of them, or what they share; a word
    that keeps the result per item ("each", ``per_item``) keeps it per item.
    Under a list that scoped the work to each item first ("for A and B: ...")
    the question may be about one item's own parts, and the items go on.""",
)


def asks_over_all(t: Tree, own: Sequence[int], cw: CombiningWords | None = None) -> bool:
    """I590: the request whose words are ``own`` asks a question of every item together."""
    cw = cw or load_combining_words()
    lows = t.lows(own)
    if any(w in cw.per_item for w in lows):
        return False
    return any(has_phrase(lows, p) for p in cw.over_all)


doc_only(
    "I630", "weighed-against-a-standard",
    "After work done once per item, a request that weighs each result against a fixed standard ('compare against the spec window', 'rank them against our targets') is a stage of each item's stream, not one step over all of them.",
    """A verb of combining (``[combining] verbs``: compare, rank, ...)
    joins the items' results when it weighs them against each other; with
    "against" and a standard that is not the items ("compare against the
    limits", "check against the spec"), each item's result is weighed on
    its own, so the request goes on per item. "Compare them against each
    other", "against one another", "against the others" still weigh the
    items together.""",
)

# Words after "against" that point back at the items: the weighing is across them.
_AGAINST_ITEMS = frozenset({"each", "one", "them", "these", "those", "both", "all", "other", "others", "another", "themselves"})
_AGAINST_SKIP = frozenset({"the", "a", "an", "our", "their", "its", "my", "your"})


def measured_against(lows: Sequence[str]) -> bool:
    """I630: the request's words (lower-cased) weigh one thing against a standard ("against the spec")."""
    for k, low in enumerate(lows):
        if low != "against":
            continue
        j = k + 1
        while j < len(lows) and lows[j] in _AGAINST_SKIP:
            j += 1
        if j < len(lows) and lows[j] not in _AGAINST_ITEMS:
            return True
    return False
