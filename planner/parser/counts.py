"""I350-I353: numbers that count no parallel work.

A number is a count of parallel work only where it counts work items (I203:
"audit our 5 microservices"). The readings before this one already refuse a
time span, a measure hyphened to its unit, a ranking on the noun ("the 10
most recent orders") and nouns that only measure ([parallel] not_counts).
This pass refuses the other counts that name no work items, when the items
are not named (a list that names them, "two ways: one where ..., one where
...", is read before it and keeps them):

- I350: the count is how many results one search or choice returns ("find
  me 3 beginner apps", "pick 3 shots", "shortlist four venues"): one piece of
  work that returns several things, not several pieces of work;
- I351: the count is a batch of data the user already has ("upscale the 9
  photos", "squash the 14 migration files", "the 12 old scans"): one worker
  goes through the batch; nobody hands one photo to each of nine agents;
- I352: the count sits in a phrase beside the work's own object ("score the
  draft against 4 rubrics", "test it with 3 fixtures"): it measures how the
  work on that object is done;
- I353: the count is larger than any plan's group of parallel steps may be
  (``max_group`` in rules/parse.toml): it counts data, not workers;
- I354: the count is how many shares one division makes ("split it 3
  ways");
- I450: the count is how many things one comparison or choice spans ("the
  difference between the three plans", "choose between 4 venues");
- I375: the count is how many short pieces one writer makes in one go ("make
  three logo ideas", "give me 5 title options", "brainstorm ten slogans"):
  one sitting that returns a handful of ideas, not a team of agents.

The word classes are ``[counts]`` in ``rules/words.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from planner import tomlcache
from planner.errors import RuleFileError
from planner.parser.clauses import Pred
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import parse_word_sets, word_set

doc_only(
    "I350", "count-of-results",
    "A number on what one search or choice returns ('find me 3 apps', 'pick 3 shots', 'shortlist four venues') counts results, not parallel work.",
    """Finding, picking or shortlisting N things is one piece of work that
    returns N things; the count says how many to bring back. Unless the
    text names the things (then they are items), the step stays one.""",
)
doc_only(
    "I351", "count-of-data",
    "A number on data the user already has ('upscale the 9 photos', 'squash the 14 migration files') is a batch for one worker, not one agent per file.",
    """Photos, scans, files, receipts, recordings: the user's own data,
    counted with "the", "my", "our", "these" or "all", is the input of one
    piece of work. The count says how much data there is; it names no items
    to hand out. Work on named files ("describe a.jpg and b.jpg") is read
    from the names (I243), not from a count.""",
)
doc_only(
    "I352", "count-beside-object",
    "A number in a phrase beside the work's own object ('run each prompt against the 500 examples', 'split it 3 ways') measures the work; it counts no items.",
    """When the verb already has an object of its own, a count in another
    of its phrases ("against", "with", "using", "among") says what the work
    on that object is measured against or done with. A count of what the work
    makes or where it goes ("translate the help centre into twelve
    languages") is not such a phrase: it may count work items.""",
)
doc_only(
    "I353", "count-beyond-group",
    "A count larger than a plan's biggest group of parallel steps ('label the 300 images') is an amount of data, not a team of agents.",
    """A plan caps a group of parallel steps (``max_group`` in
    rules/parse.toml). A count above it is not a number of workers anyone
    means to start; it is how much there is to do.""",
)

doc_only(
    "I450", "count-between",
    "A number on what 'between' joins ('the difference between the three plans', 'choose between 4 venues') counts the things one comparison spans, not parallel work.",
    """"Between" takes the whole set a comparison, a choice or a difference
    is made among: the things are weighed against each other in one piece of
    work. When the text names them ("between A, B and C"), a list reading
    reads the names first; a bare count says only how many there are.""",
)

doc_only(
    "I375", "count-of-ideas",
    "A number on short things one writer makes in one go ('make three logo ideas', 'give me 5 title options', 'brainstorm ten slogans') counts what one step returns, not parallel work.",
    """Ideas, options, names, titles, taglines, slogans, headlines, captions
    and suggestions (rules/parse.toml [ideas] nouns) are made several at a
    time: asking for five of them is one piece of work that returns five,
    as finding or picking N things is (I350). The verb must make or offer
    them ([ideas] verbs: make, write, give, brainstorm, come up with ...).
    The count stays a count of work when the text hands the pieces out
    ("have three agents each draft one", "sketch 3 taglines separately",
    "in parallel") or names them (a list that names them is read first), and
    for larger pieces one writer makes one at a time (versions, drafts,
    designs, layouts, prototypes), which are not in the list.""",
)

doc_only(
    "I354", "count-of-shares",
    "'Total the bill and split it 4 ways' divides one result into four shares: a count of ways or shares says how a division comes out, not how many pieces of work there are.",
    """"Split it 3 ways", "divide the tips five ways", "in equal shares": the
    count says how many parts one division makes, and making them is one
    piece of work. The verbs are ``dividing`` and the nouns ``shares`` in
    ``[counts]`` of rules/words.toml; a count of ways under any other verb
    ("try it 3 ways", "solve it two ways") is read by the other count
    readings.""",
)


@dataclass(frozen=True)
class IdeaWords:
    """The word classes of ``[ideas]`` in rules/parse.toml (I375)."""

    verbs: frozenset[str]  # verbs that make or offer a handful of ideas at once
    nouns: frozenset[str]  # short things made several at a time
    apart: frozenset[str]  # words that hand the pieces out to several workers


@cache
def load_idea_words() -> IdeaWords:
    return IdeaWords(*parse_word_sets("ideas", "verbs", "nouns", "apart"))


def _ideas_in_one_go(t: Tree, p: Pred, noun: int) -> bool:
    """I375: ``noun`` counts short things ``p``'s verb makes in one go, with no word handing them out."""
    iw = load_idea_words()
    if p.verb not in iw.verbs or (t.lemma(noun) not in iw.nouns and t.low(noun) not in iw.nouns):
        return False
    return not any(t.low(k) in iw.apart or t.lemma(k) in iw.apart for k in range(len(t)))


@dataclass(frozen=True)
class CountWords:
    """The word classes of ``[counts]``."""

    pick_verbs: frozenset[str]  # verbs whose count is the number of results returned (I350)
    data: frozenset[str]  # nouns naming data the user has (I351)
    owned: frozenset[str]  # determiners that say the data is already there (I351)
    measure_cases: frozenset[str]  # prepositions of a phrase that measures the work (I352)
    shares: frozenset[str]  # nouns that count the shares one division makes (I354)
    dividing: frozenset[str]  # verbs that divide one thing into shares (I354)


def count_words_from_table(data: object) -> CountWords:
    table = data.get("counts", {}) if isinstance(data, dict) else {}
    if not isinstance(table, dict):
        raise RuleFileError("[counts] must be a table", path="rules/words.toml")
    return CountWords(
        pick_verbs=word_set(table, "pick_verbs", "counts"),
        data=word_set(table, "data", "counts"),
        owned=word_set(table, "owned", "counts"),
        measure_cases=word_set(table, "measure_cases", "counts"),
        shares=word_set(table, "shares", "counts") if "shares" in table else frozenset(),
        dividing=word_set(table, "dividing", "counts") if "dividing" in table else frozenset(),
    )


@cache
def load_count_words() -> CountWords:
    return count_words_from_table(tomlcache.read_builtin("words.toml", "word classes"))


def refused_count(
    t: Tree, p: Pred, value: int, noun: int, cap: int, cw: CountWords | None = None
) -> str | None:
    """The reading that refuses the count ``value`` on word ``noun`` of ``p``'s
    phrases as a count of parallel work, or None when it may count work items."""
    cw = cw or load_count_words()
    if value > cap:
        return "I353"
    if p.verb in cw.dividing and (t.lemma(noun) in cw.shares or t.low(noun) in cw.shares):
        return "I354"
    if p.verb in cw.pick_verbs and t.head(noun) == p.i and t.rel(noun) == "obj":
        return "I350"
    if _ideas_in_one_go(t, p, noun):
        return "I375"
    if _case(t, noun) == "between" or any(t.low(k) == "between" for k in range(max(0, noun - 4), noun)):
        return "I450"  # "the difference between the three plans": one comparison spans them all
    counted_here = bool(t.children(noun, "nummod")) or any(t.children(c, "nummod") for c in t.children(noun, "compound"))
    partitive = _case(t, noun) == "of"  # "each of my 3 voicemails", "3 of the photos"
    if (t.lemma(noun) in cw.data or t.low(noun) in cw.data) and (counted_here or partitive):
        mods = t.children(noun, "det", "nmod:poss", "amod", "advmod")
        before = {t.low(k) for k in range(max(0, noun - 4), noun)}
        if any(t.low(m) in cw.owned for m in mods) or before & cw.owned:
            return "I351"
    if any(_a_file(t, k) for k in t.children(noun, "nmod", "obl") if _case(t, k) in ("in", "inside", "from", "within")):
        return "I351"  # "the three plans in plans.pdf": parts of one file the user has
    if t.rel(noun) != "obj" and _case(t, noun) in cw.measure_cases:
        own = [k for k in t.children(p.i, "obj") if k != noun and noun not in t.subtree(k)]
        if own:
            return "I352"
    return None


def _case(t: Tree, k: int) -> str:
    cases = t.children(k, "case")
    return t.low(cases[0]) if cases else ""


def _a_file(t: Tree, k: int) -> bool:
    """A file's name ("plans.pdf", "q3.xlsx"): a word with a dot before a short extension."""
    name, _, ext = t.low(k).rpartition(".")
    return bool(name) and 2 <= len(ext) <= 4 and ext.isalnum() and not ext.isdigit()
