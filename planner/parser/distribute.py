"""Lists of things, and work said once for each of them (the I readings on lists).

A list is found by shape, not by the tree: short noun phrases (names, nouns,
numbers, quoted or coded words) separated by commas, "and", "or", "+", "&"
or "vs". The parser's trees attach such lists in many ways, especially in
terse or fragmentary text ("ios + android repos: ...", "blue/green vs canary
for payments deploys - ..."), while their shape is plain to see.

Work is *distributed* over a list when the text says so: "each", "every",
"per env", "in each", "for both", "all three", "respectively", "separately",
or a lead-in "For A, B and C:". Several pieces of work said once for each
item make one stream per item, their stages in order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from planner import lazyre
from planner.parser.apposed import file_apposed
from planner.parser.apposed_last import apposed_last
from planner.parser.counted_colon import counted_colon
from planner.parser.enumerated import enumerated
from planner.parser.heads import unshared_head, unshared_phrase, unshared_tail
from planner.parser.joined import joined_alike, joining_words
from planner.parser.readings import doc_only
from planner.parser.reciprocal import reciprocal_after, reciprocal_at
from planner.parser.slashed import slashed_names
from planner.parser.spaced_codes import spaced_codes
from planner.parser.spec_tail import spec_run
from planner.parser.tree import Tree
from planner.parser.unpunctuated import after_giving, article_after_noun, relative_after
from planner.parser.words import load_words, small_count

doc_only(
    "I207", "each-refers-to-a-list",
    "'each', 'per env', 'for both', 'all three' hand work to every item of the list just named.",
    """"Redis Streams vs SQS vs Kafka. Prototype each, measure throughput,
    recommend one": the prototypes and the measurements are done once per
    option; the recommendation, a joining step, is done once. The list is the
    work's own objects, else the nearest list before it (same or previous
    sentence). A comparison said right after a verbless line of options
    ("Candidates: A, B or C. Weigh the trade-offs") weighs those options.""",
)
doc_only(
    "I209", "alternative-actions",
    "Courses of action offered with 'or' in a question ('should we keep the cron scheduler or move to a queue?') are competing approaches, not a step.",
    """The question states the choice; the work is weighing the options
    ("weigh both and recommend one"), and "both" or "each" later hands that
    work to each option.""",
)
doc_only(
    "I208", "alternatives-list",
    "Options joined by 'vs', 'versus' or 'or' are competing approaches.",
    """"Postgres vs DynamoDB vs Spanner", "a modular monolith or microservices":
    the options are the approaches a comparison weighs.""",
)

doc_only(
    "I304", "contrasted-member",
    "In 'renders well in Firefox but badly in Safari and Edge ... in each of the three' the three are Firefox, Safari and Edge: a member set against the list with 'but' joins it when a count asks for one more.",
    """A writer who contrasts one thing with the others ("works in Chrome but
    fails in Safari and Edge") names it with the same preposition before
    "but", "while", "whereas" or "yet"; the list after the contrast holds
    only the others. When "each of the three", "all three" or "the three"
    later counts one member more than that list holds, the contrasted thing
    is the missing member and comes first. Without such a count the list
    stays as written (the work may be meant for the others only).""",
)
doc_only(
    "I306", "objects-before-aspects",
    "In 'research A, B and C: flights, hotels and weather' the items are A, B and C: a list after the colon names what to find out about each of the objects listed before it.",
    """A list after a colon is usually the work's items ("research these
    three: A, B, C"). When the verb already has a list of objects right
    before the colon, the list after it names the aspects to look into for
    each object (the columns of the table, not its rows), so the work is
    split by the objects and each item covers all the aspects.""",
)
doc_only(
    "I307", "rate-not-distribution",
    "'cost per serving', 'cost per GB', 'errors per request' are rates: 'per' before a unit of measure hands no work to each item.",
    """"Per" hands work to each item when it names the things ("per
    region", "per env"); after a noun and before a unit of measure (a
    person, a serving, a unit of time, size or traffic: rules/words.toml
    ``[members] rate_units`` and ``[parallel] not_counts``) it divides one
    quantity by another and says nothing about how to split the work.""",
)
doc_only(
    "I309", "member-or-verb",
    "A last member ending in a plural noun ('conference talks, then ...') keeps it, a one-word 'member' with a pronoun object after it ('..., and note anything') is a verb that ends the list, and a bare last word after one-word members of a preposition ('for upload, export, share and delete.') is a member.",
    """Members of a list are alike in form, so a last member longer than the
    others is cut where a word that could be a verb begins ("Flask, Spring
    and Phoenix validate requests"). A plural noun with nothing after it but
    a separator takes no object and is the member's head ("podcasts, blogs
    and conference talks"). The other way round, a single lowercase word after
    "and" followed by "anything", "it" or "them" takes an object: it is the
    next command, and the list ends before it. After a preposition whose
    objects are one-word nouns separated by commas ("the endpoints for
    upload, export, share and delete."), one word after "and" with the end
    of the sentence after it is the last of them, though it is a verb of
    the lexicon: it takes no object, and its fellows are things.""",
)
doc_only(
    "I308", "repeated-preposition-list",
    "'at home, at my parents' and at the campsite', 'by region, by channel and by month' list three things: members each opened by the same preposition are one list.",
    """A writer who repeats the preposition before every member marks where
    each one starts, so the members may be longer than bare names ("at the
    campsite in Brecon", "by store format (small, large)"). The shape reader
    stops at a preposition; this reading takes the run whole, each member
    named by the words after its preposition, when the
    same preposition opens at least three members, or two joined by "and" or
    "or". A list found inside the run with as many members is kept.""",
)
doc_only(
    "I220", "name-with-hyphens",
    "A name written with hyphens ('api-client', 'one-per-user') is one item, whatever the tag of its first part.",
    """Service, package and region names join words with hyphens; the tagger
    tags each part on its own ("api" as a verb, "one" as a number), so a
    list read from tags alone would start halfway through the name. An item
    starts where its glued name starts and takes the word after each glued
    hyphen, slash or dot. (Names with digits are one word already: T007.)""",
)
doc_only(
    "I221", "place-inside-an-item",
    "Inside a comma list, 'the nightly backup on db-3, ...' is one item: a place or object phrase followed by a comma and another item belongs to its item.",
    """An item that is not the list's first may carry a short phrase with
    "on", "in", "from", "for" or "at" when the list goes on after it (a comma,
    then another name): the phrase has nothing else to attach to. On the first
    item the phrase may scope the whole list ("stats from A, B and C"), and on
    the item after "and" the list is closed, so a comma after the phrase starts
    something else ("A, B and C on cost, speed, risk"): neither is taken.""",
)
doc_only(
    "I222", "qualified-item",
    "A short parenthesis right after an item ('Jenkins (old farm)', 'node (package.json)') belongs to the item.",
    """The parenthesis says which one or what it holds; the item's name is
    its head words, and the qualifier goes with it so the step says which
    thing it covers. A parenthesis of more than a few words, or one holding a
    list of its own, is not a qualifier.""",
)
doc_only(
    "I223", "numbered-items",
    "Numbers after a counted noun are the items ('rooms 12, 14 and 15', 'versions 3.1 and 3.2'); a range of numbers ('between 10 and 20', '2 or 3 days') is one quantity.",
    """The noun is said once for all the numbers that follow it, so each
    number names one thing. Numbers without such a noun that end in a unit,
    or follow "between"/"from", measure one amount and are no list; a word
    after the last number ("... and 6 and summarise") is not one of them.""",
)
doc_only(
    "I224", "combined-item",
    "In a list separated by commas or 'vs', parts joined by '+' make one item ('pylint vs mypy+black').",
    """A "+" inside a list that has other separators combines tools into one
    option or stack; only when "+" is the list's sole separator ("A + B + C")
    does it separate items. A spaced slash ("dev / test / live") separates
    items like a comma; arrows ("a -> b -> c") join stages, never items.""",
)

doc_only(
    "I240", "data-by-spaces",
    "File names or web addresses written one after another with only spaces between them ('a1.png a2.png a3.png') are a list, one item each.",
    """People paste the names of their files as they come, without commas:
    "caption each frame: f1.png f2.png f3.png". A file name or an address is
    one word of its own (the front masks it as one name), and two of them
    side by side never make one name, so the space between them separates
    items as a comma would. Only names the front took as data (files,
    addresses, inline code) are split this way; ordinary words side by side
    ("the Oslo office") stay one item.""",
)

doc_only(
    "I241", "items-named-ahead",
    "Work on 'these links', 'these 3 talks' or 'the files below' is done once for each of the things listed after it: after a colon in the same sentence, or one to a line below it.",
    """"Read the reviews at these links and tell me what they complain about:"
    followed by one address per line reads each page, then answers once.
    The pointing words name the work's objects before they are given; the
    items are the list right after a colon later in the same sentence, or
    the lines right after the sentence that hold nothing but file names or
    addresses. A count said with them ("these 3 talks") must match the list.
    Only the step whose words point is split; a step after it that answers
    about all of them ("tell me which one ...") waits for every item. A
    question that chooses among them ("which of these camps is best?
    a.pdf, b.pdf") stays one step, after a step that reads each item.""",
)

doc_only(
    "I242", "counted-heading",
    "In 'two clips, a.mp4 and b.mp4' the items are the files: a first item that counts a plural noun, followed by as many items as it says, names what they are.",
    """People say how many things they have, then name them: "three reports,
    q1.pdf, q2.pdf and q3.pdf". The counted noun is a heading for the list,
    not one more item; it is dropped only when the number matches the items
    after it and they are names (files, addresses, capitalised names), so
    "two engineers, a designer and a tester" keeps all three.""",
)

doc_only(
    "I225", "shared-head",
    "In 'the uptime of web, mail and search' the items are 'web', 'mail' and 'search': the words before 'of' are said once for all of them.",
    """When the first item of a list reads "X of A" and the items after it are
    bare names like A (no determiner, no "of" of their own), X is the thing
    looked at in each of them, not part of the first item's name. With a
    determiner ("a summary of the logs, a chart and a table") the items are
    whole noun phrases and are kept as they are.""",
)

doc_only(
    "I423", "whole-phrase-members",
    "In 'the number of incidents from A, the uptime from B and the open tickets from C' each member is a whole noun phrase: later members opening with an article as the first does share no head with it.",
    """I225 says "the uptime of web, mail and search" once for all three
    when the later members are bare names like the thing after "of". When
    the first member opens with an article and the thing after its "of"
    has none ("the number of incidents"), while every later member opens
    with an article of its own ("the server availability", "our open
    requests"), the members are alike from their articles: each is a
    whole thing to get, and "the number of" is part of the first.""",
)

doc_only(
    "I322", "shared-head-with-article",
    "In 'the opening hours of the library, the pool and the museum' the items are the library, the pool and the museum: when every item takes 'the' like the thing after 'of', the words before 'of' are said once for all.",
    """I225 reads "the uptime of web, mail and search" as three items; with
    articles ("the battery life of the Pixel 8, the iPhone 15 and the Galaxy
    S24") the items are noun phrases, and the first one was kept whole. When
    the thing after "of" and every later item open with "the", the items are
    alike from "of" on, so the head before "of" is shared. A first item
    that makes something new ("a summary of the logs, the chart and the
    table") or a later item without the article keeps its words.""",
)

doc_only(
    "I323", "asked-list-subject",
    "In 'research how Stripe, Shopify's payments team and Adyen handle retries' the last member is 'Adyen': a list right after 'how', 'whether' or 'what' is a subject, and its verb follows the last member.",
    """Members are alike in form, so the last one is cut where a verb begins
    only past the length of the longest member before it (I309). A list
    that a question word opens ("how A, B and C handle ...", "whether X and
    Y support ...") is the subject of that clause, and its verb comes right
    after the last member: a lowercase word of the verb lexicon right after
    a name or a noun ends the member however short it is.""",
)

doc_only(
    "I325", "time-after-last-member",
    "In 'why signups dropped in France, Spain and Italy last week' the last member is 'Italy': a time phrase after it says when, not which.",
    """The shape reader takes the nouns after the last separator as the last
    member, and a time phrase written right after it ("last week", "next
    month", "this sprint", "yesterday") is nouns too. It names when the work
    looks, the same for every member, so the member ends before it. The
    words are rules/words.toml [lists] time_openers, time_nouns and
    time_words.""",
)

doc_only(
    "I327", "plural-heading",
    "In 'PRs #412, #415 and #420' the items are #412, #415 and #420: a plural noun before the first name says what all of them are.",
    """Writers name the kind once before the first member ("the hosts web01,
    web02 and db01", "3 repos api, web and cli"). When the first member is
    a plural noun, with a count or an adjective before it, and then one
    name, code or number, and every other member is one such word, the
    plural noun heads the list and the first member is the name alone.""",
)

doc_only(
    "I328", "called-member",
    "In 'Nando's, The Ivy and a small cafe called Rosie's' the last member is Rosie's: a member described and then named with 'called' or 'named' is the name.",
    """Writers introduce a thing the reader may not know by what it is and
    then its name ("a local gym named Flex", "a cafe called Rosie's"). The
    shape reader stopped at "called", a verb, and kept the description as
    the member; the name is what the work is about and what the other
    members are like, so the member runs on through the name and is named
    by it.""",
)

doc_only(
    "I483", "verb-tagged-modifier-in-member",
    "In 'the council, the landlord and the letting agent' the last member is 'the letting agent': a word tagged as a verb that the tree hangs on the noun just after it is part of the member's name.",
    """Names and descriptions carry participles ("the letting agent", "the
    Protected Workers Act", "the shared drive"). The tagger marks them as
    verbs, and the shape reader ended the member at a verb, leaving "the" as
    a member and the work for it without its name. When the tree itself
    makes that word a modifier (amod or compound) of a noun one or two words
    ahead, with only nouns between, the word describes the noun and the
    member runs on to it; a verb the tree makes a clause ("and the agent
    says ...") has no such relation and still ends the member.""",
)

doc_only(
    "I326", "objects-after-aspects",
    "In 'the crime rates, school ratings and average rents of Hackney, Islington and Camden' the items are the three boroughs: a list after 'of' names the things, the list before it what to find out about each.",
    """The colon-less form of I306: a list of aspects closed by "and", whose
    last member goes on with "of" and a second list ("the price, speed and
    battery life of the Pixel, the iPhone and the Galaxy"). The shape reader
    ran both lists together and then grouped them at the wrong "and". The
    things after "of" are the work's items, one piece of work each; the
    aspects are what each piece looks at.""",
)

doc_only(
    "I250", "owned-item",
    "In 'IKEA, Wayfair and our usual furniture shop' the last item is 'our usual furniture shop': a possessive word opens an item like a determiner.",
    """The tagger tags "our", "my", "your" as pronouns, so a list read from
    noun tags alone stopped before them and lost the last item. Right after
    "and" or "or" such a word opens the item. "its", "their" and "his" are
    left out (they point back to the items before: "the change types and
    their names"), and so is "her", as often a verb's object as an owner.
    When the item after "and" is the subject of a verb of its own ("..., and
    our manager will sign it", "and my daughter wants ..."), the conjunction
    joins a clause and the item is no part of the list, unless the whole list
    is that subject ("what A, B and C are charging").""",
)

doc_only(
    "I252", "version-range-item",
    "In 'notes for flask 2.x -> 3.0, jinja 3.0 -> 3.1' each item carries its version range: an arrow between two versions joins no stages.",
    """An arrow between two steps of work chains them ("design -> code");
    between two version numbers it names an upgrade, part of the thing the
    item is. The layout keeps such an arrow inside its sentence, and the list
    reader keeps it inside its item, so "celery 5.3 -> 5.4" stays one item
    rather than cutting the sentence in two.""",
)

_PERCENTILE = lazyre.compile(r"p\d{2,3}\b")
_NOMINAL = frozenset({"NOUN", "PROPN", "NUM", "X", "SYM"})
_MODIFIER = frozenset({"ADJ", "DET", "NUM", "PROPN", "NOUN", "X"})
_SEPARATORS = frozenset({",", "and", "or", "+", "&", "vs", "vs.", "versus", "v", "v.", ";", "and/or", "plus", "/"})
_ALTERNATIVE = frozenset({"vs", "vs.", "versus", "v", "v.", "or"})
_DETERMINERS = frozenset({"the", "a", "an", "our", "my", "your", "their", "its", "both"})
# I250: the speaker's or the reader's own things; "its", "their" and "his" after "and" point
# back to the items before them ("the change types and their names"), not to one more item.
_POSSESSIVES = frozenset({"our", "my", "your"})
# I309: pronouns that are a verb's object, never the start of a noun phrase's next member
_OBJECTS = frozenset({"anything", "everything", "something", "nothing", "it", "them", "all", "these", "those", "each"})
_WH = frozenset({"what", "how", "whether", "which", "why", "where", "who", "when", "if"})
# Words that close a list of examples rather than name the work's items.
_EXAMPLES = frozenset({"such", "like", "including", "e.g.", "eg", "incl", "incl."})
_MAX_ITEM_WORDS = 5
# I222: the longest parenthesis (in words) read as an item's qualifier ("CircleCI (mobile)");
# a longer one is a remark about the sentence, not part of a name.
_MAX_QUALIFIER = 4
# I221: prepositions that place an item or name its object inside a list ("the backup on db-3").
# I222: the tags of a qualifier's words: a name, a noun phrase, a file; no verb, no clause.
_QUALIFIER_TAGS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "X", "SYM", "DET"})
# "with", "by" and "via" say how an option is set up ("LightGBM with lag features", "OTP by SMS").
_INNER_PREPS = frozenset({"on", "in", "from", "for", "at", "with", "without", "by", "via"})
# I300: prepositions that name where each member of a list comes from ("uptime from the status page")
_SOURCES = frozenset({"from", "via"})
_ARROWS = frozenset({"->", "=>", "→", "⇒", "-->", ">>", "<-", "←"})
_NUMERAL = re.compile(r"^\d+(?:[.,]\d+)*$")  # 42, 2.6, 1,000: not "esx01"
_DATE = lazyre.compile(r"^\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?$")  # 2024-06-01, 12/03, 3.4.2025
_NUMBER = lazyre.compile(r"^(?:\d+|two|three|four|five|six|seven|eight|nine|ten)$")


@dataclass(frozen=True)
class ItemList:
    """Names of parallel things, as character spans, and where the list sits."""

    spans: tuple[tuple[int, int], ...]
    start: int  # first word index in its tree
    end: int  # last word index in its tree
    alternatives: bool
    codes: tuple[str, ...] = ()  # the list readings that shaped it (I220 to I224)

    def names(self, text: str) -> list[tuple[str, tuple[int, int]]]:
        return [(text[s:e], (s, e)) for s, e in self.spans]


# I384: words that count the parts of a text ("One, the print side: ...", "Second thing, ...")
_COUNTING = frozenset({"one", "two", "three", "four", "five", "first", "second", "third", "fourth", "fifth",
                       "firstly", "secondly", "thirdly", "next", "finally", "lastly"})


def _counting_mark(t: Tree, k: int) -> int:
    """I384: where the words after a counting mark at the start of a part begin ("Two, the e-book",
    "Second thing, the roof"), or ``k`` when no such mark starts at ``k``."""
    if t.low(k) not in _COUNTING or (k > 0 and t.low(k - 1) not in (";", ":", "：", ".")):
        return k
    for c in (k + 1, k + 2):
        if c + 1 < len(t) and t.low(c) == ",":
            return c + 1 if c == k + 1 or t.words[k + 1].upos == "NOUN" else k
    return k


def _glued(t: Tree, k: int) -> bool:
    """A hyphen, slash or dot written without spaces between two words ("one-page", "p50/p95")."""
    words = t.words  # (asked of nearly every word the list reader passes: no Tree.__len__ call)
    return 0 < k < len(words) - 1 and words[k].text in ("-", "/", ".", "_", "&") and words[k - 1].end == words[k].start and words[k].end == words[k + 1].start


def _nominal(t: Tree, k: int) -> bool:
    if _glued(t, k):
        return True
    w = t.words[k]
    if w.text in _ARROWS:
        return False  # "a -> b -> c" are stages, not a list of names
    if w.upos in _NOMINAL:
        return True
    # "A and B both replied": a floating "both" after the members is no part of a name
    return w.upos in ("ADJ", "DET") and t.low(k) not in ("each", "every", "all", "both", "any", "some", "no", "this", "these", "that", "those")


# owner words that point back at the thing just named ("the laptops and their owners")
_BACK_OWNERS = frozenset({"their", "its"})


def _and_its(t: Tree, k: int, j: int) -> bool:
    """Word ``j`` is an "and" inside the member that starts at ``k``, before "their"/"its" and a
    noun: "the list of laptops and their owners" is one thing, the owners those of the laptops."""
    # a member that is itself owned ("A, its partners and its parent") lists its owner's things side by side (I301)
    return (j > k and t.low(k) not in _BACK_OWNERS and t.low(j) == "and" and j + 2 < len(t) and t.low(j + 1) in _BACK_OWNERS
            and _nominal(t, j + 2) and t.low(j + 2) not in _SEPARATORS)


def _quantified(t: Tree, j: int) -> bool:
    """"any emails", "all contracts": a quantifier right before a noun, as a determiner would stand
    (not "all of them", not a "both" or "each" standing alone)."""
    return (t.low(j) in ("any", "all") and j + 1 < len(t) and _nominal(t, j + 1)
            and t.low(j + 1) not in _SEPARATORS)


def _verb_modifier(t: Tree, j: int) -> bool:
    """I483: a word tagged as a verb inside a member that the tree itself hangs on a noun
    two words ahead at most, as a modifier ("the letting agent", "the Irish Protected Workers
    Act"): part of the name, not a verb ending the member. A verb the tree makes a clause
    ("the landlord says ...") has no such relation."""
    h = t.head(j)
    return (t.words[j].upos == "VERB" and t.rel(j) in ("amod", "compound") and h is not None and j < h <= j + 2
            and t.words[h].upos in ("NOUN", "PROPN") and all(_nominal(t, x) for x in range(j + 1, h + 1)))


def _may_list(t: Tree) -> bool:
    """Whether the sentence has a word that can part two members: a separator, the first word of
    a joining phrase (I374), or data set off by a space from data (I240)."""
    lows = t.lows()
    if not _SEPARATORS.isdisjoint(lows):
        return True
    firsts = joining_words()
    if firsts is None or not firsts.isdisjoint(lows):
        return True
    return any(_data(t, k) for k in range(len(lows)))


def find_lists(t: Tree) -> list[ItemList]:
    """Every list of two or more short noun phrases in the sentence, left to right."""
    out: list[ItemList] = []
    n = len(t)
    # A list of the shape reader needs a separator word, a phrase that joins like "and" (I374)
    # or two data words side by side (I240): most sentences have none, and the word-by-word
    # reading below would find nothing in them.
    i = 0 if _may_list(t) else n
    while i < n:
        if (mark := _counting_mark(t, i)) > i:
            i = mark  # I384 (planner.parser.assemble): "Two, the e-book: ...": the count marks a part, no member
            continue
        first = i
        if _glued(t, i) and i > 0 and t.low(i - 1) not in _SEPARATORS and (not out or out[-1].end < i - 1):
            first = i - 1  # "api-client": the name starts before its hyphen (I220), whatever the first part's tag
        elif not _nominal(t, i) or t.low(i) in _SEPARATORS:
            i += 1
            continue
        items: list[tuple[int, int]] = []
        seps: list[str] = []
        between: list[list[str]] = []  # the separators after each item
        used: set[str] = {"I220"} if first < i else set()
        heading = -1  # I327: where the list starts when a plural noun heads its first member
        tail = -1  # I325: where the list ends when a time phrase follows its last member
        k = first
        while k < n:
            # one item: up to _MAX_ITEM_WORDS nominal words, "of" allowed inside
            j = k
            plussed = bool(between) and between[-1] == ["+"]
            # "one for security, one for cost"; a percentile the tagger calls a number ("p95 for A, B") counts nothing
            # a date ("2024-06-01 in dev, staging and prod") counts nothing either: it says when, and the
            # phrase after it scopes the list (I325)
            counted = t.low(k) == "one" or (t.words[k].upos == "NUM" and not _PERCENTILE.match(t.low(k))
                                              and not _DATE.match(t.low(k)) and not (k + 1 < n and _glued(t, k + 1)))
            limit = _MAX_ITEM_WORDS + 2
            called = -1  # I328: "a small cafe called Rosie's": where the member's own name starts
            while j < n and j - k < limit and (t.low(j) not in _SEPARATORS or _glued(t, j) or _named_after_det(t, k, j) or _and_its(t, k, j)):
                if j > k and _spaced_data(t, j):
                    break  # "a1.png a2.png": the space between two files separates them (I240)
                if j > k and _unpunctuated(t, j, between, first):
                    break  # "the lobby the pool and the gym": an article after a noun opens the next member (I373)
                if j > k and items and _closing(between) and _article_after_name(t, j):
                    used.add("I464")
                    break  # I464: "for each of A, B and C the invoices should be checked": the article opens the clause
                if _and_its(t, k, j) or (j > k and t.low(j) in _BACK_OWNERS and _and_its(t, k, j - 1)):
                    limit = max(limit, j - k + 3)  # "the laptops and their owners": what belongs to the thing just named is part of it
                elif _nominal(t, j) or (t.low(j) == "of" and j + 1 < n and (_nominal(t, j + 1) or _quantified(t, j + 1))):
                    pass
                elif j > k and t.low(j - 1) == "of" and _quantified(t, j):
                    pass  # "the list of all laptops": "all" after "of" opens the rest of the member
                elif j > k and t.low(j) in ("'s", "’s") and t.words[j - 1].upos in ("PROPN", "NOUN"):
                    pass  # "Anna's notes", "Bob's": a possessive stays with its name
                elif counted and j > k and t.low(j) in ("for", "on", "about", "in") and j + 1 < n and _nominal(t, j + 1):
                    pass
                elif t.words[j].upos != "PUNCT" and ((j > k and _glued(t, j - 1)) or (j + 1 < n and _glued(t, j + 1) and (
                        j == k or (j == k + 1 and t.low(k) in _DETERMINERS)  # "..., and the pay-equity results"
                        or (not _closing(between) and _hyphen_modifier(t, j))))):
                    used.add("I220")  # a part of a hyphenated word ("the on-call log"), whatever its tag
                elif j > k and _routed(t, j, between):
                    used.add("I305")  # "B -> C" between two "vs": a route inside one option
                elif j > k and called < 0 and _called(t, j):
                    called = j + 1  # I328: the member is the name after "called"/"named"
                    limit = j - k + 5
                elif j > k and _version_range(t, j):
                    used.add("I252")  # "celery 5.3 -> 5.4": an arrow between versions is a range inside the item
                elif (j > k and (t.low(j - 1) in _DETERMINERS or (j - 1 == k and _owned(t, k))) and t.words[j].upos == "VERB"
                      and (t.low(j).endswith("ed") or (t.low(j - 1) in _BACK_OWNERS and t.low(j).endswith("ing")))
                      and j + 1 < n and _nominal(t, j + 1) and t.low(j + 1) not in _SEPARATORS):
                    pass  # "a used camera", "the managed service": a participle between a determiner and its noun
                elif j > k and _verb_modifier(t, j):
                    used.add("I483")  # "the letting agent", "the Irish Protected Workers Act": the tree hangs it on a noun ahead
                elif j == k and items and between and _bare_member(t, j, between[-1]):
                    used.add("I467")  # "default, beta, nightly, press": a name the tagger took for an adverb
                elif j == k and items and _quantified(t, j):
                    pass  # "..., and any emails from my boss", "..., all contracts with dates": a determiner opens a later item
                elif j == k and between and _terse_start(t, j, between[-1]):
                    pass  # "Airflow vs Dagster vs plain cron jobs": after "vs" an item starts, whatever the tag
                elif j == k and _possessive(t, j) and (_closing(between) or _after_colon(t, first) or "I373" in used):
                    used.add("I250")  # "our usual furniture shop": the owner's word starts the item
                elif j == k and between and (("," in between[-1] and (_possessive(t, j) or _owned(t, j)) and _list_goes_on(t, j + 1))
                                             or ("I301" in used and _owned(t, j))):
                    used.add("I301")  # "A, our group chat, and B": an owned member in the middle of the list
                elif j == k and between and _graded(t, j):
                    used.add("I302")  # "stern, and very stern": the degree is part of the member
                elif j > k and plussed and j + 1 < n and _plus_ahead(t, j):
                    used.add("I224")  # "A + GH dependabot alerts + C": "+" marks where items end, whatever the tags
                elif j > k and (items or _after_colon(t, first)) and not _closing(between) and _inner_place(t, j):
                    used.add("I221")
                    limit = j - k + 5  # the phrase's own words ("with a Samyang 14mm") add to the name's length
                elif j > k and t.low(j) == "no" and t.low(j - 1) in ("with", "without") and "I221" in used and j + 1 < n and _nominal(t, j + 1):
                    used.add("I677")  # "the staff with no tax IDs": "no" opens the member's own phrase
                else:
                    break
                j += 1
            if j == k:
                break
            qualified = _qualifier(t, j)
            if qualified > j:
                used.add("I222")
            j = qualified
            if k < called < j:
                used.add("I328")
            items.append((called if k < called < j else k, j - 1))
            # separators: ", and", "," "+" "vs", " / "
            s = j
            found: list[str] = []
            while s < n and t.low(s) in _SEPARATORS and not _glued(t, s) and len(found) < 2:
                found.append(t.low(s))
                s += 1
            # I374: "A as well as B", "A and also B", "A, as well as B": one more member
            if (said := joined_alike(t, j)) > 0:
                found, s = ["and"], j + said
                used.add("I374")
            elif found == [","] and (said := joined_alike(t, s)) > 0:
                found, s = [",", "and"], s + said
                used.add("I374")
            if not found and items and (past := _remark_end(t, s, len(items))) > s:
                # I674: "rigid boxes (lovely but £2, heavy), the mailers we use now (40p), and ...":
                # a remark after a member's words, then the list goes on
                ahead: list[str] = []
                r = past
                while r < n and t.low(r) in _SEPARATORS and not _glued(t, r) and len(ahead) < 2:
                    ahead.append(t.low(r))
                    r += 1
                if ahead and r < n and (_item_start(t, r) or _terse_start(t, r, ahead)):
                    found, s = ahead, r
                    used.add("I674")
            if not found and s < n and _spaced_data(t, s):
                found.append(" ")
                used.add("I240")
            elif not found and _unpunctuated(t, s, between, first):
                found.append(" ")
                used.add("I373")
            if found == [","] and items and between and _closing(between) and "I301" in used and t.low(items[-1][0]) in _BACK_OWNERS and (
                    named := _apposed_name(t, s)) > s:
                # I301: "..., and its parent, Harlow Group plc.": the name after the closed list is the owned member's
                items[-1] = (items[-1][0], named - 1)
                used.add("I301")
                k = named
                break
            if found and (kept := _kept_course(t, s, found, len(items))) >= s:
                # I673: "Minitab, InfinityQS and just keep excel": leaving things as they are is one more option
                seps.extend(found)
                between.append(found)
                items.append((s, kept))
                used.add("I673")
                k = kept + 1
                break
            if not found or s >= n or not (_item_start(t, s) or _terse_start(t, s, found) or _graded(t, s)
                                            or _bare_member(t, s, found) or (_owned(t, s) and ((found == [","] and _list_goes_on(t, s + 1)) or "I301" in used))):
                k = j
                break
            seps.extend(found)
            if "/" in found:
                used.add("I224")
            between.append(found)
            k = s
        if "I240" in used:
            # "my passport renewal, a.jpg b.jpg c.jpg": a list written with spaces is one of data only
            while items and between and not (items[0][0] == items[0][1] and _data(t, items[0][0])):
                items.pop(0)
                between.pop(0)
        if "I373" in used and (len(items) < 3 or not _closing(between) or any("," in sep for sep in between)):
            # without commas only a list closed by "and"/"or" shows where its members are
            items, between = [], []
        if len(items) >= 3 and (split := _objects_after_aspects(t, items, between)) is not None:
            items, between = split  # I326: "the rates and rents of A, B and C": the items are A, B and C
            seps = [x for sep in between for x in sep]
            used.add("I326")
        if len(items) >= 2 and not _examples_before(t, items[0][0]):
            items = _comma_groups(items, between)
            unplussed = _unplussed(t, items)
            if unplussed != items or _plus_closes(t, items, between):
                used.add("I389")
            items = unplussed
            combined = _combined(items, between, t)
            numbered = _numbered(t, combined)
            if numbered == combined and len(combined) >= 3 and combined[0][0] > 0 and t.low(combined[0][0] - 1) == "from" and all(
                    a == b and t.words[a].upos == "NUM" for a, b in combined):
                used.add("I462")  # "the reports from 2015, 2018 and 2023": three years, no range
            headed = _shared_head(t, numbered)
            titled = _counted_heading(t, headed)
            amp = combined != items and ["&"] in between  # I414: "Rose & Thorn, Pine Books and Hart & Sons"
            used.update(code for code, changed in (("I224", combined != items and ["+"] in between), ("I414", amp), ("I223", numbered != combined), ("I225", headed != numbered and t.low(headed[0][0]) != "the"),
                                                   ("I322", headed != numbered and t.low(headed[0][0]) == "the"),
                                                   ("I242", titled != headed), ("I423", headed == numbered and _whole_kept(t, numbered))) if changed)
            items = titled
            heading = items[0][0] if items else -1
            if len(items) >= 2 and (unheaded := _plural_heading(t, items)) != items:
                items = unheaded  # I327: "PRs #412, #415 and #420": the plural noun names what they are
                used.add("I327")
            if len(items) >= 2 and (timed := _untimed(t, items[-1])) != items[-1]:
                # I325: "..., Spain and Italy last week": when, not which; the list still ends after
                # the time phrase, so what the sentence does after the list is read as before
                tail = items[-1][1]
                items = [*items[:-1], timed]
                used.add("I325")
            if len(items) >= 3 and _time_first(t, items[0]):
                # I671: "at the same time, A and B": the first "member" says when the work runs
                items = items[1:]
                used.add("I671")
            if len(items) >= 2 and "I673" not in used:
                evened = _even_last(t, items)
                if evened != items and _asked_subject(t, items[0][0]):
                    used.add("I323")
                items = evened
            if len(items) >= 2 and (unshared := unshared_head(t, items)) != items:
                # I371: "the core, cli and wasm crates": the plural noun is said once for all the
                # members; the list still ends after it, as with a time phrase (I325)
                tail = max(tail, items[-1][1])
                items = unshared
                used.add("I371")
            elif len(items) >= 2 and (unshared := unshared_phrase(t, items, _time_nouns())) != items:
                # I381: "the Leeds and Bristol branch managers", "the Q1 and Q2 figures"
                tail = max(tail, items[-1][1])
                items = unshared
                used.add("I381")
            elif len(items) >= 2 and (untailed := unshared_tail(t, items)) != items:
                # I387: "Unit 1, Unit 2 and Unit 3 of Year 11": the phrase is said of every member
                tail = max(tail, items[-1][1])
                items = untailed
                used.add("I387")
            if "I673" in used:
                pass  # the last member is a course of action on purpose: no clause after the list
            elif (len(items) >= 2 and between and ("and" in between[-1] or "or" in between[-1]) and _opens_clause(t, items[0], items[-1])
                    and not _whole_subject(t, items[0])):
                if _possessive(t, items[-1][0]):
                    used.discard("I250")
                items = items[:-1]  # "Call Anna and our manager will follow up": "and" joins two clauses
            elif len(items) >= 3 and between and ("and" in between[-1] or "or" in between[-1]) and _verb_with_object(t, items[-1]):
                items = items[:-1]
                used.add("I309")
            elif len(items) >= 3 and _plural_after_run(t, items[0], items[-1]):
                used.add("I463")  # "the BBC, Reuters and AP feeds": the last member is kept
        if len(items) == 2 and seps and set(seps) == {"/"}:
            items = []  # "A / B" alone is one thing said two ways more often than two items
        if len(items) >= 2 and not _examples_before(t, items[0][0]):
            if (bare := _undescribed(t, items)) != items:
                items = bare  # I385: "Ashby (employment) and Corvid (IP)": the names are Ashby and Corvid
                used.add("I385")
            if (apposed := apposed_last(t, items, between)) != items:
                items = apposed  # I594: "A and a newcomer, B, both quoted": B is the newcomer
                used.add("I594")
            spans = tuple(_strip_det(t, a, b) for a, b in items)
            # I327: the list still starts at its heading ("PRs #412, ..."), which the verb's words reach
            start = heading if "I327" in used and 0 <= heading < items[0][0] else items[0][0]
            end = tail if ("I325" in used or "I371" in used or "I381" in used or "I387" in used) and tail > items[-1][1] else items[-1][1]
            # I355: "in the README, one paragraph" is an object and its spec; K508: "the letter, a.pdf" is one thing
            if not spec_run(t, items, seps) and not file_apposed(t, items, seps):
                out.append(ItemList(spans, start, end, any(x in _ALTERNATIVE for x in seps), tuple(sorted(used))))
            i = items[-1][1] + 1
            if "I674" in used:
                i = _remark_end(t, i, len(items))  # the last member's remark holds no list of its own
        else:
            i = max(i + 1, k if items else i + 1)
    out = _with_enclosed(t, out)
    out = _with_prepositions(t, out)
    for k, end, parts in slashed_names(t):
        # I500: "the Oslo/Bergen/Tromso offices": one word to the model, a list of names
        if not any(lst.start <= k <= lst.end for lst in out):
            out.append(ItemList(parts, k, end, False, ("I500",)))
    if (colon := counted_colon(t)) is not None:
        # I614: "check these three: A, B, and C": the count says how many members the commas part
        members = colon[1]
        lo, hi = members[0][0], members[-1][1]
        inside = [lst for lst in out if lst.start <= hi and lst.end >= lo]
        if not any(len(lst.spans) == len(members) and lst.start >= lo for lst in inside) and not any(t.low(a) == "or" or t.low(a - 1) == "or" for a, _ in members):
            out = [lst for lst in out if lst not in inside]
            out.append(ItemList(tuple(_strip_det(t, a, b) for a, b in members), lo, hi, False, ("I614",)))
    for a, b in spaced_codes(t):
        # I613: "lines B2 B3 B4": codes of one shape with only spaces between are one thing each
        codes = [k for k in range(a, b + 1) if t.low(k) not in ("and", "&")]
        if not any(lst.end > b or len(lst.spans) >= len(codes) for lst in out if lst.start <= b and lst.end >= a):  # a longer list wins
            out = [lst for lst in out if lst.end < a or lst.start > b]
            out.append(ItemList(tuple((t.words[k].start, t.words[k].end) for k in codes), a, b, False, ("I613",)))
    for run in enumerated(t, _verb_led):
        # I251: numbers mark where each item starts; lists read by shape across them are pieces
        lo, hi = run.start, run.items[-1][1]
        out = [lst for lst in out if lst.end < lo or lst.start > hi]
        spans = tuple(_strip_det(t, a, b) for a, b in run.items)
        # numbered things a question offers ("which is better: (a) ..., (b) ...?") are choices
        asked = any(t.low(x) == "?" for x in range(hi + 1, min(hi + 3, len(t))))
        out.append(ItemList(spans, run.items[0][0], hi, run.alternatives or asked, ("I251",)))
    out.sort(key=lambda lst: lst.start)
    return out


# I673: the longest course of leaving things as they are, in words after its verb
_KEPT_WORDS = 6
# I673: words past the verb's own preposition that say what all the options are for
_KEPT_PURPOSE = frozenset({"for", "as", "when"})


def _kept_course(t: Tree, s: int, found: list[str], before: int) -> int:
    """I673: the last word of a member at ``s``, after the separators ``found``, that is the
    course of leaving things as they are ("and just keep excel", "or stay on the old
    release", "or simply do nothing"), or -1. After "and" the course needs its adverb
    ("just", "simply") and two members before it; after "or" or "vs" one member will do."""
    from planner.parser.members import status_quo_words

    verbs, adverbs = status_quo_words()
    n = len(t)
    marked = s < n and t.low(s) in adverbs
    k = s + 1 if marked else s
    choice = any(x in _ALTERNATIVE for x in found)
    if k >= n or not (choice or (marked and before >= 2 and "and" in found and _chooses(t))):
        return -1
    if t.words[k].upos not in ("VERB", "NOUN", "AUX") or (t.lemma(k) not in verbs and t.low(k) not in verbs):
        return -1
    if (t.lemma(k) == "do" or t.low(k) == "do") and (k + 1 >= n or t.low(k + 1) != "nothing"):
        return -1  # "or do the rest by hand" is work; "or do nothing" leaves things be
    j = k + 1
    while j < n and t.words[j].upos != "PUNCT" and t.low(j) not in _SEPARATORS and t.low(j) not in ("then", "but"):
        if j > k + 1 and t.low(j) in _KEPT_PURPOSE:
            break  # "stay on 4.2 for the shop": what the options are for, as with "vs" (I672)
        j += 1
    return j - 1 if j - 1 - k <= _KEPT_WORDS else -1


# I674: the longest remark after a member's words that the list reads past, in words
_REMARK_WORDS = 12
# I674: the subjects of a clause said of the member before it ("the mailers we use now")
_REMARK_SUBJECTS = frozenset({"we", "i", "you", "they", "he", "she"})


def _remark_end(t: Tree, s: int, members: int) -> int:
    """I674: where the words after a remark at word ``s`` start, or ``s`` when none is there:
    a bracket closed within a few words ("(lovely but £2, heavy)") that holds no commands, or a clause about the
    member before it ("we found online", "i already use"), a pronoun and a verb, up to the
    next comma, "and" or "or" outside brackets. After the first of the ``members`` read so
    far only a long bracket counts (a short one is the list reader's own, I222), and a
    clause only after a later member: a list that starts inside a longer phrase ("a cabin
    near the falls we saw, and ...") is no list."""
    n = len(t)
    if s >= n:
        return s
    if t.low(s) == "(":
        close = next((j for j in range(s + 1, min(n, s + _REMARK_WORDS + 2)) if t.low(j) in ("(", ")")), None)
        if close is None or t.low(close) != ")" or close == s + 1:
            return s
        if any(t.words[j].upos == "VERB" and t.low(j - 1) in ("(", ",", "then", "and", ";") for j in range(s + 1, close)):
            return s  # "report A (collect the spend, then compare it)": the bracket holds the member's work
        long = close - s - 1 > _MAX_QUALIFIER or any(t.low(j) == "," for j in range(s + 1, close))
        return close + 1 if members >= 2 or long else s
    if members < 2 or t.low(s) not in _REMARK_SUBJECTS or t.words[s].upos != "PRON":
        return s
    v = s + 2 if s + 2 < n and t.words[s + 1].upos == "ADV" else s + 1
    if v >= n or t.words[v].upos not in ("VERB", "AUX"):
        return s
    j = v + 1
    while j < n and j - s <= _REMARK_WORDS:
        low = t.low(j)
        if low == "(":
            close = next((c for c in range(j + 1, min(n, j + _REMARK_WORDS)) if t.low(c) == ")"), None)
            if close is None:
                return s
            j = close + 1
            continue
        if low in (",", "and", "or"):
            return j
        if low in (".", ";", ":", "?", "!", ")") or t.words[j].upos in ("SCONJ",) or low in _REMARK_SUBJECTS:
            return s  # the clause goes on past the list, or opens another
        j += 1
    return s


def _chooses(t: Tree) -> bool:
    """I673: the sentence asks for a choice ("..., and pick one", "which is best"): a list
    closed by "and" then offers options, not things to work through."""
    from planner.parser.options import option_words

    choosing = option_words().choosing
    return any(t.lemma(k) in choosing or t.low(k) in ("which", "recommend") for k in range(len(t)))


def _with_enclosed(t: Tree, out: list[ItemList]) -> list[ItemList]:
    """I300: an enclosed list of things ("so: A from X, B for C from Y (note), D from Z") read
    whole where the shape reader, cutting at the members' own prepositions and brackets, found
    fewer members: the lists it found inside replaced by the one list."""
    from planner.parser.members import enclosed_members

    lows = t.lows()
    for members in enclosed_members(lows, [w.upos for w in t.words]):
        lo, hi = members[0][0], members[-1][1]
        inside = [lst for lst in out if lst.start <= hi and lst.end >= lo]
        if any(len(lst.spans) >= len(members) for lst in inside) or _examples_before(t, lo):
            continue
        members = [_without_remark(t, a, b) for a, b in members]
        cuts = [next((k for k in range(a + 1, b + 1) if t.low(k) in _SOURCES and t.words[k].upos == "ADP"), None) for a, b in members]
        if all(c is not None for c in cuts):
            # "rainfall from the Met Office, prices from the shop": the member is the thing, the phrase its source
            members = [(a, c - 1) for (a, _), c in zip(members, cuts, strict=True) if c is not None]
        spans = tuple(_strip_det(t, a, b) for a, b in members)
        out = [lst for lst in out if lst not in inside]
        out.append(ItemList(spans, lo, hi, any(t.low(k) == "or" for k in range(lo, hi + 1)), ("I300",)))
    return out


_REPEATED = frozenset({"at", "in", "on", "by", "for", "from", "with", "via", "to"})


def _prep_member(t: Tree, p: int) -> int:
    """I308: the last word of the member the preposition at ``p`` opens ("at my parents' in
    Cardiff", "by store format (a, b)"), or -1: a short noun phrase, an inner place phrase
    and a bracket at its end allowed."""
    k = p + 1
    if k < len(t) and t.low(k) in _POSSESSIVES:
        k += 1
    last = -1
    while k < len(t) and k - p <= _MAX_ITEM_WORDS + 3:
        low = t.low(k)
        if low in ("(",):
            close = next((m for m in range(k + 1, min(k + 12, len(t))) if t.low(m) == ")"), -1)
            if close < 0 or last < 0:
                return last
            return close
        if (_nominal(t, k) and low not in _SEPARATORS) or (low in ("'", "'s", "’s") and last == k - 1):
            last = k
        elif low in ("of", "in", "vs", "vs.", "versus") and last >= 0 and k + 1 < len(t) and _nominal(t, k + 1) and t.low(k + 1) not in _SEPARATORS:
            pass  # "at the campsite in Brecon", "by promo vs regular weeks": one member
        else:
            break
        k += 1
    return last


def _with_prepositions(t: Tree, out: list[ItemList]) -> list[ItemList]:
    """I308: "at home, at my parents' and at the campsite", "by region, by channel and by
    month": members each opened by the same preposition are one list, named with it."""
    n = len(t)
    k = 0
    while k < n:
        prep = t.low(k)
        if prep not in _REPEATED or t.words[k].upos != "ADP":
            k += 1
            continue
        members: list[tuple[int, int]] = []
        closed = False
        p = k
        while True:
            end = _prep_member(t, p)
            if end < 0:
                break
            members.append((p, end))
            s = end + 1
            seps: list[str] = []
            while s < n and t.low(s) in (",", "and", "or") and len(seps) < 2:
                seps.append(t.low(s))
                s += 1
            if not seps or closed or s >= n or t.low(s) != prep:
                break
            closed = "and" in seps or "or" in seps
            p = s
        # a run that opens the sentence ("For A and for B each: ...") scopes it: the stream
        # readers take it from the tree (I205); the tree often hangs the second "for" phrase
        # on the first verb, so a run before the comma or colon that opens the work is a list
        # here too (I400), named after the first preposition for the scope readers to see
        opens = k == 0 and bool(members) and _opens_scope(t, members[-1][1])
        if (k > 0 or opens) and (len(members) >= 3 or (len(members) == 2 and closed)):
            lo, hi = members[0][0], members[-1][1]
            inside = [lst for lst in out if lst.start <= hi and lst.end >= lo]
            # "be like at home, ...": "like" before a preposition compares, it lists no examples
            examples = lo > 0 and (t.low(lo - 1) in ("including", "e.g.", "eg", "incl", "incl.") or (lo > 1 and t.low(lo - 2) == "such"))
            if not any(len(lst.spans) >= len(members) and lst.start >= lo for lst in inside) and not examples:
                # each member is named without its preposition ("home", "the campsite in Brecon"),
                # and the list starts after the first one, so "For A and for B: ..." still scopes
                spans = tuple(_strip_det(t, a + 1, b) for a, b in members)
                out = [lst for lst in out if lst not in inside]
                out.append(ItemList(spans, lo + 1, hi, any(t.low(x) == "or" for x in range(lo, hi + 1)), ("I400",) if opens else ("I308",)))
            k = hi + 1
        else:
            k += 1
    return out


doc_only(
    "I400", "repeated-for-opens-the-scope",
    "A sentence that opens with the same preposition before each thing ('For the Leeds office and for the Bristol office, collect X, then check Y') scopes all its work to each thing: one stream per thing, like 'For A and B:'.",
    """The tree often hangs the second "for" phrase on the first verb, so
    only that verb was distributed and the later stages ran once. A run of
    two or more "for" phrases (closed by "and"/"or") at the start of the
    sentence, followed by a comma, colon or dash (maybe after "each",
    "both" or "separately"), is read as the list the scope readers take
    (I205): every request after it is a stage of each item's stream, up to
    a request that combines them (I390, I401).""",
)


def _opens_scope(t: Tree, end: int) -> bool:
    """I400: the words after a run of "for" phrases that opens the sentence ("For A and for B,
    ...", "For A and for B each: ...") lead into the work: a comma, colon or dash, maybe after
    "each", "both" or "separately"."""
    k = end + 1
    while k < len(t) and t.low(k) in ("each", "both", "separately", "alike"):
        k += 1
    return k < len(t) and t.low(k) in (",", ":", "：", "—", "–", "-")


def _without_remark(t: Tree, a: int, b: int) -> tuple[int, int]:
    """An enclosed list's member without a bracket at its end that is no qualifier of it
    ("laptops (collect the list, then image them)": the work on the member, not its name)."""
    if t.low(b) != ")":
        return (a, b)
    depth = 0
    for k in range(b, a, -1):
        depth += {")": 1, "(": -1}.get(t.low(k), 0)
        if depth == 0:
            return (a, b) if _qualifier(t, k) > k else (a, k - 1)
    return (a, b)


def objects_before_aspects(t: Tree, verb: int, lists: Sequence[ItemList], after: ItemList) -> ItemList | None:
    """I306: the list of the verb's objects that ends at the colon before ``after`` (a naming
    phrase may close its last member: "a farm shop called Rosa's:")."""
    colon = after.start - 1
    if colon < 0 or t.low(colon) not in (":", "："):
        return None
    for lst in lists:
        if not (verb < lst.start and lst.end < colon and colon - lst.end <= 4) or lst.alternatives:
            continue
        gap = range(lst.end + 1, colon)
        if any(t.low(k) in _SEPARATORS or (t.words[k].upos in ("VERB", "AUX") and t.lemma(k) not in ("call", "name")) for k in gap):
            continue
        if not any(t.words[k].upos in ("VERB", "AUX") and k != verb for k in range(verb + 1, lst.start)):
            return lst
    return None


def _verb_led(t: Tree, a: int) -> bool:
    """An item that starts with a verb of work ("rewrite the scorer", "vectorize with numpy") is
    a course of action. A past participle ("cancelled orders") describes a thing, and a word
    tagged as a verb right before a noun ("seat counts") is more often a noun the marks confused."""
    k = a + 1 if t.low(a) in ("just", "only", "simply") and a + 1 < len(t) else a
    if t.words[k].upos not in ("VERB", "AUX"):
        return False
    after = t.words[k + 1].upos if k + 1 < len(t) else ""
    return after in ("DET", "PRON", "ADP", "ADV", "PART", "SCONJ") or (t.lemma(k) in _VERB_LEMMAS() and not t.low(k).endswith("ed"))


def _data(t: Tree, k: int) -> bool:
    """A word the front masked as data (a file name, an address, inline code): one capitalised
    placeholder "Qxxx" as long as what it hides."""
    text = t.words[k].text
    return len(text) >= 2 and text[0] == "Q" and text[1:] == "x" * (len(text) - 1)


def _spaced_data(t: Tree, k: int) -> bool:
    """I240: word ``k`` is data right after data, with only a space between ("a1.png a2.png")."""
    return k > 0 and _data(t, k) and _data(t, k - 1) and t.words[k - 1].end < t.words[k].start


doc_only(
    "I415", "each-of-these-named-next",
    "In 'find out what each of these uses — A, B, C — and ...' the work is done for A, B and C: 'each of these' points at the list said next, after a colon, a spaced dash or a bracket.",
    """"Each of these", "all of these", "both of those" with no list before
    them that fits point ahead, at the names the writer gives right after the
    clause. The list may follow a colon, as for "these links" (I241), or be
    set off by dashes or brackets inside the sentence ("check each of these
    (A, B and C) for ..."); a hyphen written inside a name ("api-gateway")
    opens nothing. The reading applies only when no earlier list took the
    work (I210).""",
)


def data_list(t: Tree) -> list[tuple[int, int]]:
    """The words of a line that holds nothing but data ("https://a.example/x"): their character spans."""
    words = [k for k in range(len(t)) if t.words[k].upos != "PUNCT" or _data(t, k)]
    if not words or not all(_data(t, k) for k in words):
        return []
    return [(t.words[k].start, t.words[k].end) for k in words]


def named_ahead(t: Tree, lo: int, hi: int, number_words: Mapping[str, int]) -> tuple[int, int | None] | None:
    """I241: words ``lo..hi`` point at things listed after them ("these links", "these 3 talks",
    "(links below)"): (the pointing word's index, the count said, if any)."""
    for k in range(max(0, lo), min(hi + 1, len(t))):
        low = t.low(k)
        if low in ("these", "those"):
            count: int | None = None
            j = k + 1
            while j < len(t) and j - k <= 4 and t.words[j].upos in ("NUM", "ADJ", "PROPN", "NOUN"):
                if (said := small_count(t.low(j), number_words)) is not None:
                    count = said
                j += 1
            noun = j - 1
            if noun > k and t.words[noun].upos == "NOUN" and t.lemma(noun) != t.low(noun):
                return k, count  # a plural: "these links", "these 3 YouTube talks"
        if low in ("these", "those") and k >= 2 and t.low(k - 1) == "of" and t.low(k - 2) in _EACH_OF:
            return k, None  # I415: "find out what each of these uses — A, B, C —": the names come next
        if low == "below" and k > 0 and t.words[k - 1].upos == "NOUN" and t.lemma(k - 1) != t.low(k - 1):
            return k, None  # "the links below", "(files below)"
    return None


# I415: the words before "of these" that take each of the things named next, one by one
_EACH_OF = frozenset({"each", "all", "both", "every"})
# I415: the marks that open a list said after the words pointing at it: a colon, a spaced dash, a bracket
_AHEAD_OPENERS = frozenset({":", "：", "—", "–", "--", "-", "("})


def opens_list_ahead(t: Tree, j: int) -> bool:
    """I241, I415: word ``j`` opens the list a pointing phrase names ahead: a colon, a bracket, or a
    dash written apart from the words ("these — A, B, C —"; not the hyphen of "api-gateway")."""
    low = t.low(j)
    if low not in _AHEAD_OPENERS:
        return False
    return low in (":", "：", "(") or not _glued(t, j)


def _item_start(t: Tree, s: int) -> bool:
    """Whether an item can start at word ``s``: a noun phrase, a possessive before one (I250),
    or a hyphenated name (I220)."""
    if s >= len(t):
        return False
    if t.low(s) in ("any", "all"):
        return _quantified(t, s)
    return _nominal(t, s) or _possessive(t, s) or (s + 1 < len(t) and _glued(t, s + 1) and t.words[s].upos != "PUNCT" and t.words[s + 1].text == "-")


def _opens_clause(t: Tree, first: tuple[int, int], last: tuple[int, int]) -> bool:
    """The item ``last`` after "and"/"or" is the subject of a verb right after it ("... and our
    manager will follow up"): the conjunction joins a clause, not one more item."""
    a, b = last
    if b + 1 < len(t) and t.low(b + 1) == "(":
        b = next((k for k in range(b + 2, min(b + 8, len(t))) if t.low(k) == ")"), b)  # "my daughter (12) wants"
    if b + 1 >= len(t) or t.words[b + 1].upos not in ("VERB", "AUX"):
        return False
    if t.words[b + 1].upos == "AUX" and any(t.words[x].upos == "VERB" for x in range(b + 2, min(b + 4, len(t)))):
        return True  # "... and my manager will sign": a modal and its verb, whatever the tree attached
    if t.words[b + 1].upos == "VERB" and t.low(b + 1).endswith("s") and not t.low(b + 1).endswith("ss") and not _comma_run(t, first, (a, b)) and any(
        t.rel(k) == "obj" and t.words[t.words[k].head].upos == "VERB" and t.words[k].head < first[0] for k in range(first[0], first[1] + 1)
    ):
        # "Jo wants a bike and my daughter wants ...": the first item is a verb's object, and a
        # verb that agrees with one thing follows the last: two clauses, each with its own verb
        return True
    return any(t.rel(k) == "nsubj" and t.words[k].head > b and t.words[t.words[k].head].upos in ("VERB", "AUX") for k in range(a, b + 1))


doc_only(
    "I462", "years-from-not-a-range",
    "'the reports from 2015, 2018 and 2023' names three years: numbers after 'from' are a range only when there are two of them.",
    """"between 10 and 20" and "from 10 and 20" (written for "to") are one
    quantity, its two ends. A comma list of three numbers or more after
    "from" cannot be a range: it names things by their year or number,
    and work said for each of them is done once per number.""",
)
doc_only(
    "I463", "plural-after-comma-run",
    "'Monitor the BBC, Reuters and AP feeds': a word in -s after the last of three or more comma-separated members is the noun said of them all, not a verb whose subject the last member would be.",
    """"Jo wants a bike and my daughter wants a doll" joins two clauses, and
    the member after "and" is the second one's subject. That reading needs
    a single object before "and"; when commas run between the first and
    the last member ("A, B and C feeds"), the members are one run of
    things and a following "-s" word the tagger took for a verb is the
    plural noun they share (I371), so the last member stays.""",
)
doc_only(
    "I464", "article-ends-member",
    "'For each of A-1, A-2 and A-3 the invoices should be checked': an article right after a name or number in a later member ends that member; it opens the clause after the list.",
    """A list written before its clause without a comma ("for each of X, Y
    and Z the files should be ...") would run the last member into the
    clause's subject, and the subject's verb would then read the last
    member as a clause of its own and drop it. No noun phrase goes on
    across "the" or "a" after a name or a number, so the member ends
    there.""",
)


doc_only(
    "I467", "bare-word-member",
    "'every branch: default, beta, nightly, press', 'for es, it and ja': a single word between list separators is a member, though the tagger read it as an adverb or a pronoun.",
    """Lower-case names of branches, languages, towns or builds ("nightly",
    "it", "italy") are often tagged as adverbs, pronouns or verbs, and the
    list then stops before them. A single word standing between two
    separators of a list (commas, "and", "or"), or closing it before the
    sentence ends or a question opens ("... and italy can u:"), has no
    other reading than a member. Words that go on the sentence ("then",
    "too", "also", "now") are not members, nor are verbs (a list of
    commands, "fix, verify", stays commands), and a manner adverb in "-ly"
    never closes a list ("A and B, separately").""",
)

_NOT_MEMBERS = frozenset({
    "then", "too", "also", "again", "now", "later", "so", "more", "else", "etc", "soon", "first", "last",
    "next", "finally", "maybe", "please", "pls", "plz", "asap", "instead", "just", "only", "even", "still",
    "all", "both", "each", "either", "neither", "not", "thanks", "thx", "that", "this", "these", "those",
    "what", "which", "who", "how", "why", "when", "where", "there", "here", "i", "we", "you", "u", "they",
    "he", "she", "me", "us", "them", "him", "her", "my", "our",
    "ok", "okay", "lol", "yes", "no", "hi", "hey", "cheers", "thank", "wait", "sorry", "well", "anyway", "actually",
    # indefinites close a list of examples ("(code, sheets, whatever)") or answer a check ("the locks, nothing")
    "whatever", "anything", "everything", "something", "nothing", "others", "whichever", "wherever",
    "someone", "anyone", "everyone", "nobody", "somewhere", "anywhere", "elsewhere", "everywhere", "none",
})
_MEMBER_ENDS = frozenset({",", ".", ";", ":", ")", "and", "or", "!", "?"})


def _bare_member(t: Tree, s: int, found: list[str]) -> bool:
    """I467: word ``s`` after a list separator is a one-word member whatever its tag."""
    if s >= len(t) or not ("," in found or "and" in found or "or" in found):
        return False
    w = t.words[s]
    low = t.low(s)
    # a verb between commas is as often a command of a list of commands ("fix, verify"): not here
    if w.upos not in ("ADV", "PRON") or not w.text.isalpha() or low in _NOT_MEMBERS:
        return False
    nxt = s + 1
    if nxt < len(t) and t.low(nxt) == ",":
        return True  # a middle member: the list goes on after it
    if low.endswith("ly") and len(low) > 5:
        return False  # "A and B, separately", "..., differently": a manner adverb says how, it names nothing
    if nxt >= len(t) or t.low(nxt) in _MEMBER_ENDS:
        return True
    # "... and italy can u: ...": a question opens after the last member
    return t.words[nxt].upos == "AUX" and nxt + 1 < len(t) and t.words[nxt + 1].upos == "PRON"


def _article_after_name(t: Tree, j: int) -> bool:
    """I464: word ``j`` is "the" or "a" right after a name or a number in a later member ("...,
    22/002 and 22/003 the invoices should ..."): no noun phrase goes on across an article, so
    the member has ended and the article opens what follows the list."""
    named = t.words[j - 1].upos in ("PROPN", "NUM") or t.words[j - 1].text[:1].isupper()  # a capital mid-sentence names
    if t.low(j) not in ("the", "a", "an") or not named or t.words[j - 1].end == t.words[j].start:
        return False
    # the article's phrase is a clause's subject: a verb follows it before any mark ("Dave the
    # Diver, ..." is a name with an article inside)
    for x in range(j + 1, min(j + 6, len(t))):
        if t.words[x].upos in ("AUX", "VERB"):
            return True
        if t.words[x].upos == "PUNCT" or t.low(x) in _SEPARATORS:
            return False
    return False


def _plural_after_run(t: Tree, first: tuple[int, int], last: tuple[int, int]) -> bool:
    """I463: an "-s" word the tagger read as a verb follows the last member of a comma run."""
    b = last[1]
    return b + 1 < len(t) and t.words[b + 1].upos == "VERB" and t.low(b + 1).endswith("s") and _comma_run(t, first, last)


def _comma_run(t: Tree, first: tuple[int, int], last: tuple[int, int]) -> bool:
    """I463: commas stand between the first and the last member ("the BBC, Reuters and AP
    feeds"): a run of three or more things, not one object and a second clause's subject,
    so an "-s" word after the last is the noun said of them all, not that subject's verb."""
    return any(t.low(x) == "," for x in range(first[1] + 1, last[0]))


def _after_colon(t: Tree, first: int) -> bool:
    """The list starts right after a colon or an opening parenthesis ("three options: OTP by
    SMS, ...", "(Datadog for web, ...)"): it is the whole
    of what the colon announces, so no phrase on its first item can scope the others, and
    every item is a noun phrase of its own."""
    return first > 0 and t.low(first - 1) in (":", "：", "(")


def _whole_subject(t: Tree, first: tuple[int, int]) -> bool:
    """The whole list is the subject of the verb after it ("what A, B and C are charging"):
    its first item is a subject too, no verb comes before it, or a question word opens the
    clause just before it."""
    a, b = first
    if any(t.rel(k) == "nsubj" for k in range(a, b + 1)):
        return True
    if not any(t.words[k].upos == "VERB" for k in range(a)) and not (a > 0 and t.words[a - 1].upos == "ADP"):
        return True  # no verb or preposition before the list: nothing the first items could be objects of
    return any(t.low(k) in _WH for k in range(max(0, a - 2), a))


def _hyphen_modifier(t: Tree, j: int) -> bool:
    """Word ``j`` opens a hyphenated word that qualifies a noun after it in an item the list
    goes on after ("the on-call log, the wiki and ...", "the remote-write client, ..."): the
    whole word belongs to the item. A hyphenated word with no noun after it ("staging
    re-deploy") may be a verb of its own. (On the item after "and" the repair is held back:
    it lowered the held-out writers' order figures while adding no item there.)"""
    m = j + 2
    while m + 2 < len(t) and _glued(t, m + 1):
        m += 2
    return m + 1 < len(t) and t.words[m].upos != "PUNCT" and t.words[m + 1].upos in ("NOUN", "PROPN") and t.low(m + 1) not in _SEPARATORS


def _terse_start(t: Tree, s: int, seps: list[str]) -> bool:
    """After "vs" or "+" (separators that never join clauses) an item starts at a word the tagger
    took for a verb or an adverb ("vs plain cron jobs", "+ just bumping the pool") when a noun follows."""
    if not any(x in ("vs", "vs.", "versus", "+") for x in seps) or s + 1 >= len(t):
        return False
    return t.words[s].upos in ("VERB", "ADV", "ADJ") and _nominal(t, s + 1) and t.low(s + 1) not in _SEPARATORS


def _owned(t: Tree, k: int) -> bool:
    """I301: "its"/"their" before a noun phrase: a thing of the member named before, listed beside it."""
    return t.low(k) in _BACK_OWNERS and k + 1 < len(t) and t.low(k + 1) not in _SEPARATORS and (
        _nominal(t, k + 1) or (t.words[k + 1].upos == "VERB" and t.low(k + 1).endswith(("ed", "ing"))
                               and k + 2 < len(t) and _nominal(t, k + 2)))  # "its holding company"


def _apposed_name(t: Tree, s: int) -> int:
    """I301: where a proper name from word ``s`` ends when it closes the clause (an appositive
    naming the member before it), or ``s`` when no such name stands there."""
    if s >= len(t) or t.words[s].upos != "PROPN":
        return s
    m = s
    while m < len(t) and m - s < _MAX_ITEM_WORDS and _nominal(t, m) and t.low(m) not in _SEPARATORS:
        m += 1
    if m < len(t) and (t.words[m].upos != "PUNCT" or t.low(m) in (",", "(")):
        return s
    return m


def _list_goes_on(t: Tree, k: int) -> bool:
    """I301: the noun phrase from word ``k`` ends at a separator another member follows
    ("our group chat, and the blog"), not at a verb of its own ("our manager will ...")."""
    m = k
    while m < len(t) and m - k < _MAX_ITEM_WORDS and _nominal(t, m) and t.low(m) not in _SEPARATORS:
        m += 1
    if m == k or m >= len(t) or t.low(m) not in (",", "and", "or"):
        return False
    s = m + 1
    if s < len(t) and t.low(s) in ("and", "or") and t.low(m) == ",":
        s += 1
    return _item_start(t, s) or _owned(t, s)


def _routed(t: Tree, j: int, between: list[list[str]]) -> bool:
    """I305: word ``j`` is an arrow inside an option of a "vs" list: a "vs" before the item and
    another after the name the arrow leads to ("A vs B -> C vs D")."""
    if t.low(j) not in _ARROWS or not between or not any(x in ("vs", "vs.", "versus") for x in between[-1]):
        return False
    m = j + 1
    while m < len(t) and m - j <= _MAX_ITEM_WORDS and _nominal(t, m) and t.low(m) not in _SEPARATORS:
        m += 1
    return m > j + 1 and m < len(t) and t.low(m) in ("vs", "vs.", "versus")


def _graded(t: Tree, k: int) -> bool:
    """I302: word ``k`` is an adverb of degree before an adjective or a noun ("very stern")."""
    from planner.parser.members import degree_words

    return (t.low(k) in degree_words() and k + 1 < len(t) and t.words[k + 1].upos in ("ADJ", "NOUN", "PROPN")
            and t.low(k + 1) not in _SEPARATORS)


_CONTRAST = frozenset({"but", "while", "whereas", "yet"})


def contrasted(t: Tree, lst: ItemList) -> ItemList | None:
    """I304: ``lst`` with the member set against it ("on A but slow on B and C": A first), or None."""
    a = lst.start
    if a < 4 or t.words[a - 1].upos != "ADP":
        return None
    prep = t.low(a - 1)
    for c in range(a - 2, max(0, a - 9), -1):
        if t.low(c) in _CONTRAST:
            break
    else:
        return None
    for q in range(c - 1, max(-1, c - 8), -1):
        if t.low(q) == prep:
            break
        if t.low(q) in _SEPARATORS or t.low(q) in _CONTRAST:
            return None
    else:
        return None
    b = q + 1
    while b < c and t.low(b) in _DETERMINERS:
        b += 1
    e = b
    while e < c and _nominal(t, e) and t.low(e) not in _SEPARATORS:
        e += 1
    if e == b or e - b > _MAX_ITEM_WORDS:
        return None
    if e < c and t.low(e) not in (",",) and t.words[e].upos in _NOMINAL:
        return None
    span = (t.words[b].start, t.words[e - 1].end)
    return ItemList((span, *lst.spans), b, lst.end, lst.alternatives, tuple(sorted({*lst.codes, "I304"})))


def _possessive(t: Tree, k: int) -> bool:
    """I250: "our usual furniture shop": a possessive word right before a noun phrase opens the
    item after "and"/"or"."""
    return t.low(k) in _POSSESSIVES and k + 1 < len(t) and _nominal(t, k + 1) and t.low(k + 1) not in _SEPARATORS


_VERSION = lazyre.compile(r"^v?\d+(?:\.(?:\d+|x))*$")


def _version_range(t: Tree, j: int) -> bool:
    """I252: word ``j`` is an arrow between two version numbers ("2.x -> 3.0"); the front keeps
    such an arrow inside its sentence (a masked "4.x" reads as a short data word here)."""
    if not (0 < j < len(t) - 1 and t.low(j) in _ARROWS):
        return False
    return all(_VERSION.match(t.low(x)) is not None or (_data(t, x) and len(t.low(x)) <= 6) for x in (j - 1, j + 1))


def _plus_ahead(t: Tree, j: int) -> bool:
    """I224: in a list written with "+" only, another "+" follows within an item's length, with no
    clause break before it: the words up to it belong to the item whatever their tags."""
    for m in range(j, min(j + _MAX_ITEM_WORDS, len(t))):
        low = t.low(m)
        if low == "+":
            return True
        if low in _SEPARATORS or low in _ARROWS or t.words[m].upos == "PUNCT" or low in ("then", "to", "into"):
            return False
    return False


def _unpunctuated(t: Tree, s: int, between: list[list[str]], first: int) -> bool:
    """I373: a member of a list written without commas starts at word ``s`` ("the lobby the pool")."""
    return (article_after_noun(t, s) and not _closing(between) and not any("," in sep for sep in between)
            and not after_giving(t, first) and not relative_after(t, s))


def _closing(between: list[list[str]]) -> bool:
    """Whether the item being read closes its list ("..., B and C on ..."): a comma after it
    cannot go on with this list, so a phrase there scopes the list, not the item (I221)."""
    return bool(between) and ("and" in between[-1] or "or" in between[-1])


def _named_after_det(t: Tree, k: int, j: int) -> bool:
    """"the VS Code extension": a word that could separate options is part of a name right after a determiner."""
    return j > k and t.low(j - 1) in _DETERMINERS and t.low(j).isalpha() and t.low(j) not in ("and", "or") and j + 1 < len(t) and _nominal(t, j + 1)


def _inner_place(t: Tree, j: int) -> bool:
    """I221: "the nightly backup on db-3, ...": a place or object phrase inside an
    item that another item follows (a comma, then a noun) belongs to the item."""
    # I677: "the staff with no tax IDs": "no" after "with" or "without" opens the phrase as an article would
    first = j + 2 if j + 2 < len(t) and t.low(j) in ("with", "without") and t.low(j + 1) == "no" else j + 1
    if t.low(j) not in _INNER_PREPS or first >= len(t) or not _nominal(t, first):
        return False
    k = first
    while k < len(t) and k - j <= 3 and (_nominal(t, k) or (k > j + 1 and _glued(t, k - 1))):
        k += 1
    if k < len(t) and t.low(k) == ",":
        k += 1
        if k < len(t) and t.low(k) in ("and", "or"):
            k += 1
        return k < len(t) and (_item_start(t, k) or (t.low(k) == "any" and _nominal(t, k + 1))) and t.low(k) not in _SEPARATORS
    return False


doc_only(
    "I385", "described-members",
    "In 'two new matters: Ashby (employment) and Corvid (IP)' the items are Ashby and Corvid: when every member carries its own short bracket, the brackets describe them and the names are the words before.",
    """A bracket after one member among bare ones tells which thing is meant
    ("Jenkins (old farm)", I222) and stays with its name. When every member
    has one ("SPARKLINE (EU) and TIDEPOOL (US)"), each bracket describes its
    member the way a column of a table would (a field, a region, a
    person's role), and the members are told apart by the names already:
    the items are named without the brackets. Brackets stay when the
    names alone would be the same ("CircleCI (mobile), CircleCI (web)").""",
)


def _undescribed(t: Tree, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """I385: the members of ``items`` without the short bracket each of them ends with, when the
    names before the brackets differ."""
    out: list[tuple[int, int]] = []
    for a, b in items:
        if t.low(b) != ")":
            if b + 1 < len(t) and t.low(b + 1) == "(":
                out.append((a, b))  # "Ostara (banking)": its bracket, not read as a qualifier, follows it
                continue
            return items
        opened = next((k for k in range(b - 1, a, -1) if t.low(k) == "("), None)
        if opened is None or opened <= a or any(t.low(k) in ("(", ")") for k in range(a, opened)):
            return items
        out.append((a, opened - 1))
    names = [" ".join(t.low(k) for k in range(a, b + 1) if t.words[k].upos != "DET") for a, b in out]
    if len(set(names)) < len(names):
        return items
    if all(t.low(b) == ")" and _lettered(t, a, c - 1) and _named_inside(t, c + 1, b - 1) for (a, b), (_, c) in zip(items, [(x, y + 1) for x, y in out], strict=True)):
        # "pilot group A (Finance) and pilot group B (Reno drivers)": letters tell the groups apart
        # and the brackets name them
        return [(c + 1, b - 1) for (_, b), (_, c) in zip(items, [(x, y + 1) for x, y in out], strict=True)]
    return out


def _lettered(t: Tree, a: int, b: int) -> bool:
    """I385: words ``a..b`` are a common noun and a letter or number ("group A", "site 2", "option B")."""
    # "option A (fast)": an option's bracket describes the option, which its letter names
    return (b > a and t.words[b - 1].upos == "NOUN" and t.lemma(b - 1) not in _OPTION_LABELS
            and re.fullmatch(r"[A-Za-z]|\d{1,2}", t.words[b].text) is not None)


_OPTION_LABELS = frozenset({"option", "alternative", "approach", "variant", "plan", "scenario", "version", "candidate"})


def _named_inside(t: Tree, a: int, b: int) -> bool:
    """I385: the bracket's words ``a..b`` hold a noun or a name, not only a quality ("(fast)")."""
    return any(t.words[k].upos in ("NOUN", "PROPN") for k in range(a, b + 1))


def _qualifier(t: Tree, j: int) -> int:
    """I222: "Jenkins (old farm)": a short parenthesis right after an item
    qualifies it and belongs to it; the index after the item, with the parenthesis."""
    if j >= len(t) or t.low(j) != "(":
        return j
    named = False
    for k in range(j + 1, min(j + _MAX_QUALIFIER + 2, len(t))):
        low = t.low(k)
        if low == ")":
            return k + 1 if named else j
        if low in _SEPARATORS or t.words[k].upos not in _QUALIFIER_TAGS:
            return j  # a list of its own, or a clause ("(translate it first)", "(it is slow)")
        named = named or (t.words[k].upos in ("NOUN", "PROPN", "ADJ", "X") and any(c.isalpha() for c in low))
    return j


def _shared_head(t: Tree, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """I225: "the uptime of web, mail and search": the words before "of" in the first item
    are said once for all the items; the first item is what follows "of", when the other
    items are names like it (no "a"/"an" that makes something new, no "of" of their own)."""
    if len(items) < 2:
        return items
    a0, b0 = items[0]
    of = next((m for m in range(a0 + 1, b0) if t.low(m) == "of"), None)
    if of is None:
        return items
    if (t.low(of + 1) in _DETERMINERS or t.words[of + 1].upos == "DET") and not _same_article(t, a0, of, items) and not _names_after_article(t, of, items):
        return items
    for a, b in items[1:]:
        if t.low(a) in ("a", "an") or any(t.low(m) == "of" for m in range(a, b + 1)):
            return items
    if whole_phrases(t, items, of):
        return items  # I423: "the number of incidents from A, the uptime from B": whole phrases, alike from their article
    return [(of + 1, b0), *items[1:]]


def whole_phrases(t: Tree, items: list[tuple[int, int]], of: int) -> bool:
    """I423: the first item opens with an article and its thing after "of" has none, and
    every later item opens with an article: the items are whole noun phrases."""
    return t.low(items[0][0]) in _DETERMINERS and t.low(of + 1) not in _DETERMINERS and all(t.low(a) in _DETERMINERS for a, _ in items[1:])


def _whole_kept(t: Tree, items: list[tuple[int, int]]) -> bool:
    """I423: whether the shared-head reading was turned down because the items are whole phrases."""
    if len(items) < 2:
        return False
    a0, b0 = items[0]
    of = next((m for m in range(a0 + 1, b0) if t.low(m) == "of"), None)
    return of is not None and whole_phrases(t, items, of) and not any(t.low(a) in ("a", "an") for a, _ in items[1:])


def _names_after_article(t: Tree, of: int, items: list[tuple[int, int]]) -> bool:
    """I225: "the minutes of the Jan, Mar and Jun board meetings": "the" after "of" is said once
    for names that follow it, each one word that starts with a capital or a digit."""
    def named(k: int) -> bool:
        text = t.words[k].text
        return text[:1].isupper() or text[:1].isdigit()

    return of + 2 == items[0][1] and named(of + 2) and all(named(a) and t.words[a].upos != "DET" for a, _ in items[1:])


def _same_article(t: Tree, a0: int, of: int, items: list[tuple[int, int]]) -> bool:
    """I322: "the opening hours of the library, the pool and the museum": after "of" the first
    thing takes "the" as every item after it does, so the items are alike from "of" on and the
    words before it are said once for all; a first item that makes something new ("a summary
    of the logs, ...") or an item without the article keeps the first item whole."""
    if t.low(of + 1) != "the" or t.low(a0) in ("a", "an") or of + 2 > items[0][1]:
        return False
    return all(t.low(a) == "the" and b > a for a, b in items[1:])


def _counted_heading(t: Tree, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """I242: "two clips, a.mp4 and b.mp4": a first item that counts a plural noun, followed
    by as many items as it counts, names what the others are; it is not one of them."""
    if len(items) < 3:
        return items
    a, b = items[0]
    words = [t.low(k) for k in range(a, b + 1) if t.low(k) not in _DETERMINERS]
    if len(words) < 2 or t.words[b].upos != "NOUN" or t.lemma(b) == t.low(b):
        return items
    count = small_count(words[0], load_words().number_words)
    # the others must be names ("surf.mp4", "Oslo"): "two engineers, a designer and a tester" are three people
    named = all(t.words[x].upos in ("PROPN", "X", "NUM", "SYM") for x, _ in items[1:])
    return items[1:] if count == len(items) - 1 and named else items


def _numbered(t: Tree, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """I223: "rooms 12, 14 and 15", "versions 3.1 and 3.2": numbers after a counted
    noun are the items, the noun is said once for all; a word after the last number
    ("... and 15 and tidy") is no number and ends the list. A range of numbers
    ("between 10 and 20", "2 or 3 days") is one quantity, not a list."""
    bare = [a == b and _NUMERAL.match(t.words[a].text) is not None for a, b in items]
    a0, b0 = items[0]
    if all(bare[:-1]) and t.words[items[-1][0]].upos == "NUM":
        # I462: "from 2015, 2018 and 2023" names three years; a range has only its two ends
        ranged = a0 > 0 and (t.low(a0 - 1) == "between" or (t.low(a0 - 1) == "from" and len(items) == 2))
        if ranged or not bare[-1]:
            return []  # "between 10 and 20", "2 or 3 days": one quantity
    if not any(bare[1:]):
        return items
    head_noun = b0 > a0 and t.words[b0].upos == "NUM" and t.words[b0 - 1].upos in ("NOUN", "PROPN")
    if not head_noun:
        return items
    out = [(b0, b0)]
    for (a, b), num in zip(items[1:], bare[1:], strict=True):
        if not num:
            break
        out.append((a, b))
    return out if len(out) >= 2 else items


doc_only(
    "I389", "plus-as-and",
    "In 'numbers from Zoom, Slack, Miro + the HR portal' the last member is 'the HR portal': a '+' before an article or a possessive closes a list as 'and' would; a '+' that ends a member is no part of it.",
    """"+" between tools in a list separated otherwise makes one stack
    ("sqlite, nginx + lua, a file store", I224). A stack's parts are bare
    names, though: a "+" followed by "the", "a" or "our" opens a member of
    its own, written the way "and" would open it ("A, B, C + the EAP
    vendor"). And a "+" at the end of a member, before the next command
    ("the Leeds and Hull quiz nights + send the totals"), joins two pieces of
    work, not two words of a name: the member ends before it.""",
)


def _unplussed(t: Tree, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """I389: members without a "+" or "&" at their end ("Hull quiz nights +")."""
    out = []
    for a, b in items:
        while b > a and t.low(b) in ("+", "&"):
            b -= 1
        out.append((a, b))
    return out


def _plus_closes(t: Tree, items: list[tuple[int, int]], between: list[list[str]]) -> bool:
    """I389: a "+" of the list opens a member with an article, or the next command after the list."""
    if len(items) != len(between) + 1 or all(sep == ["+"] for sep in between):
        return False
    return any(sep == ["+"] and (t.low(a) in _DETERMINERS or (n == len(between) - 1 and t.words[a].upos == "VERB"))
               for n, ((a, _), sep) in enumerate(zip(items[1:], between, strict=True)))


# I224, I414: signs that join the parts of one member when the list is separated otherwise
# ("nginx + lua"; "Rose & Thorn, Pine Books and Hart & Sons": a shop's name holds its "&")
_JOINING = (["+"], ["&"])


def _combined(items: list[tuple[int, int]], between: list[list[str]], t: Tree | None = None) -> list[tuple[int, int]]:
    """I224: "sqlite, nginx + lua, a file store", "pylint vs mypy+black": in a list
    whose items are separated otherwise, "+" combines parts into one item (one stack)."""
    if len(items) != len(between) + 1 or not any(sep in _JOINING for sep in between):
        return items
    if all(sep in _JOINING for sep in between):
        return items  # "A + B + C", "A & B": the sign is the list's own separator
    out = [items[0]]
    for n, ((a, b), sep) in enumerate(zip(items[1:], between, strict=True)):
        if t is not None and sep in _JOINING and n == len(between) - 1 and t.words[a].upos == "VERB":
            break  # I389: "..., and the Hull quiz nights + send the totals": the next command, no member
        # I389: "+ the EAP vendor": an article after "+" opens a member of its own
        opens = t is not None and t.low(a) in _DETERMINERS
        out[-1:] = [(out[-1][0], b)] if sep in _JOINING and not opens else [out[-1], (a, b)]
    return out if len(out) >= 2 else items


def _comma_groups(items: list[tuple[int, int]], between: list[list[str]]) -> list[tuple[int, int]]:
    """"structure and entry points, patterns and conventions, dependencies and build system":
    when "and" joins words inside several comma-separated groups, the commas separate the items."""
    bare_ands = sum(1 for sep in between if sep == ["and"])
    commas = sum(1 for sep in between if "," in sep or ";" in sep)
    if bare_ands < 2 or commas < 1 or len(items) != len(between) + 1:
        return items
    if any(a == b == ["and"] for a, b in itertools.pairwise(between)):
        return items  # "A, B and C and ...": two "and" in a row join no pair inside a group
    groups: list[tuple[int, int]] = []
    start = items[0][0]
    for k, sep in enumerate(between):
        if sep != ["and"]:
            groups.append((start, items[k][1]))
            start = items[k + 1][0]
    groups.append((start, items[-1][1]))
    return groups if len(groups) >= 2 else items


def _even_last(t: Tree, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """List items are alike in form: the last item ends where its words stop naming a thing.

    "Flask, Spring and Phoenix validate requests": the items are one word each,
    so the last stops before "validate", a verb mistagged as a noun.
    """
    longest = max(b - a + 1 for a, b in items[:-1])
    a, b = items[-1]
    # I323: "how A, B and C handle retries": the list is the subject of a clause a question word
    # opens, so its verb follows the last member whatever the members' length
    if _asked_subject(t, items[0][0]):
        for k in range(a + 1, b + 1):
            if (t.words[k].text.islower() and (t.words[k - 1].upos in ("PROPN", "NOUN", "NUM", "X") or t.words[k - 1].text[:1].isupper()) and t.lemma(k) in _VERB_LEMMAS()
                    and not _glued(t, k - 1) and not (k + 1 < len(t) and _glued(t, k + 1))):
                return [*items[:-1], (a, k - 1)]
    for k in range(a + longest, b + 1):
        if t.words[k].upos not in ("PROPN",) and t.lemma(k) in _VERB_LEMMAS() and not _noun_for_sure(t, k, a, b) and not _plural_end(t, k, b):
            return [*items[:-1], (a, k - 1)]
    return items


def _plural(t: Tree, k: int) -> bool:
    """A plural noun: "services", or an acronym with a plural "s" ("PRs", "SDKs", "VMs")."""
    text = t.words[k].text
    acronym = len(text) >= 3 and text.endswith("s") and text[:-1].isupper()
    return t.words[k].upos in ("NOUN", "PROPN") and (acronym or (t.words[k].upos == "NOUN" and t.lemma(k) != t.low(k) and t.low(k).endswith("s")))


def _plural_heading(t: Tree, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """I327: "PRs #412, #415 and #420", "the 3 hosts web01, web02 and db01": a plural noun
    (with a count or an adjective before it) heading the first member names what the members
    are when the name after it is alike the other members (names, codes or numbers of one
    word); the first member is the name alone."""
    def named(x: int, y: int) -> int:
        """Where the one name ending at ``y`` starts ("#412" is two words), or -1."""
        start = y - 1 if y > x and t.low(y - 1) == "#" else y
        return start if t.words[y].upos in ("PROPN", "X", "NUM", "SYM") and not _plural(t, y) else -1

    a, b = items[0]
    first = named(a, b)
    if first <= a or not _plural(t, first - 1):
        return items
    if not all(named(x, y) == x for x, y in items[1:]):
        return items
    if any(t.words[k].upos not in ("NUM", "ADJ", "DET", "NOUN") for k in range(a, first - 1)):
        return items
    return [(first, b), *items[1:]]


def _called(t: Tree, j: int) -> bool:
    """I328: word ``j`` is "called" or "named" before a capitalised name ("a cafe called Rosie's")."""
    if t.low(j) not in ("called", "named") or j + 1 >= len(t):
        return False
    m = j + 2 if t.low(j + 1) in ('"', "'", "“", "‘") and j + 2 < len(t) else j + 1
    return t.words[m].text[:1].isupper() and t.words[m].upos in ("PROPN", "NOUN", "X", "ADJ")


def _objects_after_aspects(
    t: Tree, items: list[tuple[int, int]], between: list[list[str]]
) -> tuple[list[tuple[int, int]], list[list[str]]] | None:
    """I326: "the crime rates, school ratings and average rents of Hackney, Islington and
    Camden": a list closed by "and" whose last member goes on with "of" and a list of its own
    names aspects of each of the things after "of"; the things are the items (the rows), the
    aspects what to find out about each (the columns). None when the list is no such pair."""
    if len(between) != len(items) - 1:
        return None
    for m in range(1, len(items) - 1):
        a, b = items[m]
        if not any(x in ("and", "or") for x in between[m - 1]):
            continue
        of = next((k for k in range(a + 1, b) if t.low(k) == "of"), None)
        if of is None or any(t.low(k) == "of" for x, y in items[:m] for k in range(x, y + 1)):
            return None
        return [(of + 1, b), *items[m + 1 :]], between[m:]
    return None


# I382: the quote marks that open a name and the marks that close it
QUOTES = {"'": "'", '"': '"', "‘": "’", "“": "”", "`": "`"}
_QUOTES = QUOTES


def unquoted(name: str) -> str:
    """I382: ``name`` without one pair of quote marks around all of it ("'Budget Basics'")."""
    if len(name) > 2 and name[0] in QUOTES and name[-1] == QUOTES[name[0]] and name[0] not in name[1:-1]:
        return name[1:-1].strip()
    return name
doc_only(
    "I382", "quoted-name",
    "In \"plan two talks: 'Budget Basics' and 'Reading Contracts'\" the items are Budget Basics and Reading Contracts: quote marks around a member set its name apart and are not part of it.",
    """A writer quotes a title to show where it starts and ends; the step
    titles and the item names use the title alone, as the annotations do.
    Only a member wholly inside one pair of marks loses them, so a quoted
    word inside a longer name ("the 'done' column") keeps its marks.""",
)


@cache
def _time_nouns() -> frozenset[str]:
    """I381: time words never name what a list's members are ("Anna and Bob tomorrow")."""
    from planner.parser.members import time_words

    _, nouns, singles = time_words()
    return nouns | singles


def _untimed(t: Tree, item: tuple[int, int]) -> tuple[int, int]:
    """I325: the last member without a time phrase at its end ("Italy last week", "staging
    tonight"); a member that is nothing but the time phrase is kept."""
    from planner.parser.members import time_words

    openers, nouns, singles = time_words()
    a, b = item
    # the time phrase must close the member: "today's deploys", "last week's report" name things
    if t.low(b) in singles and b > a:
        return (a, b - 1)
    if b - 1 > a and t.low(b - 1) in openers and t.lemma(b) in nouns:
        return (a, b - 2)
    return item


def _asked_subject(t: Tree, a: int) -> bool:
    """I323: the list starting at word ``a`` follows a question word that opens a clause ("how",
    "whether", "why", "what"): its members are that clause's subject, so a verb comes after them."""
    return any(t.low(k) in ("how", "whether", "why", "what", "where", "if") for k in range(max(0, a - 2), a)) and not (
        a > 0 and t.words[a - 1].upos in ("ADP", "VERB", "AUX")
    )


def _plural_end(t: Tree, k: int, b: int) -> bool:
    """I309: "podcasts, blogs and conference talks, then ...": a plural noun that ends the last
    member with nothing after it but a separator is the member's head; a verb there would
    take an object ("... and Phoenix validate requests")."""
    nxt = t.low(b + 1) if b + 1 < len(t) else "."
    return k == b and t.words[k].upos == "NOUN" and t.lemma(k) != t.low(k) and nxt in (",", "and", "or", ".", "?", "!", ";", ":", ")")


def _verb_with_object(t: Tree, item: tuple[int, int]) -> bool:
    """I309: the last member is one lowercase word with a pronoun object right after it ("...,
    and note anything that ...", "and fix them"): a verb the conjunction joins, not a member."""
    a, b = item
    if a != b or not t.words[a].text.islower() or t.words[a].upos not in ("NOUN", "VERB") or b + 1 >= len(t):
        return False
    return t.words[b + 1].upos == "PRON" and t.low(b + 1) not in _POSSESSIVES and t.low(b + 1) in _OBJECTS


def _noun_for_sure(t: Tree, k: int, a: int, b: int) -> bool:
    """Word ``k`` of item ``a..b`` is a noun whatever its lemma: part of a hyphenated word
    ("on-call"), a compound of a noun after it in the item ("our print shop"), or the head
    of a determiner, possessive or adjective before it ("our current Oracle setup"): a verb
    takes none of these."""
    if _glued(t, k - 1) or (k + 1 < len(t) and _glued(t, k + 1)):
        return True
    head = k
    if t.rel(k) == "compound" and k < t.words[k].head <= b and t.words[t.words[k].head].upos in ("NOUN", "PROPN"):
        head = t.words[k].head  # "our regular print shop": what "our" and "regular" qualify is the shop
    return any(a <= c < k and t.rel(c) in ("det", "nmod", "amod") and (t.rel(c) != "nmod" or t.words[c].deprel.endswith("poss"))
               for c in t.children(head))


def _VERB_LEMMAS() -> frozenset[str]:
    from planner.parser.words import load_words

    w = load_words()
    return frozenset(w.roles) | w.light


def action_alternatives(t: Tree) -> ItemList | None:
    """I209: courses of action offered with "or" ("keep the cron scheduler or move to a queue?")."""
    for i in range(len(t)):
        if t.words[i].upos != "VERB":
            continue
        others = [c for c in t.children(i, "conj") if t.words[c].upos == "VERB" and any(t.low(x) == "or" for x in t.children(c, "cc"))]
        if not others:
            continue
        heads = [i, *others]
        spans = []
        for h in heads:
            skip = [c for c in t.children(h) if c in heads or t.rel(c) in ("cc", "punct", "nsubj", "aux")]
            idx = t.subtree(h, skip)
            spans.append((t.words[min(idx)].start, t.words[max(idx)].end))
        return ItemList(tuple(spans), min(heads), max(max(t.subtree(h)) for h in heads), True)
    return None


def _examples_before(t: Tree, k: int) -> bool:
    before = t.lows(range(max(0, k - 2), k))
    return bool(set(before) & _EXAMPLES)


def _strip_det(t: Tree, a: int, b: int) -> tuple[int, int]:
    while a < b and t.low(a) in _DETERMINERS and t.low(a + 1) != "(":  # "option A (fast)" keeps its letter
        a += 1
    if a + 1 < b and t.low(a) in _QUOTES and t.low(b) == _QUOTES[t.low(a)] and not any(t.low(k) in _QUOTES for k in range(a + 1, b)):
        a, b = a + 1, b - 1  # I382: "'Budget Basics'" is named Budget Basics
    return (t.words[a].start, t.words[b].end)


doc_only(
    "I416", "each-held-against",
    "'Compare them against the guidance', 'evaluate these against the spec': a plural pronoun held against a standard is work on each of the things it points back to.",
    """Holding several things against one standard (guidance, a spec, a set
    of criteria) is one check per thing: "compare them against the NPPF"
    does not compare the drafts with each other but each draft with the
    standard. A plural pronoun ("them", "these", "those") that is the
    object of a verb that weighs things (the compare role) and is followed
    by "against" reads like "each" (I210):
    it points back to the list that fits, and the work is done once per
    member. "Compare them" alone, "compare them with each other", and a
    check, test or match against something ("match them against the
    orders", one input held against another) are left to the other
    readings.""",
)


def _compares(t: Tree, head: int | None) -> bool:
    """I416: the verb at ``head`` weighs things (the compare role: "compare", "evaluate", "weigh"); a
    check, a test or a match "against" something ("match them against the orders") works on one input."""
    from planner.parser.words import load_words

    return head is not None and head >= 0 and load_words().role_of(t.lemma(head)) == "compare"


doc_only(
    "I671", "time-before-first-member",
    "'Two claims at the same time, A and B': a time phrase under a preposition, right before a list and cut from it by a comma, says when the work runs; it is not the list's first member.",
    """A list read by its commas takes every nominal run between them: "we
    have two audits at the same time, Ridgeway and Carrow" gave three items,
    the first "the same time". When the first run is the object of a
    preposition of time ("at", "in", "by", "around") and ends on a noun of
    time (``[gapping] not_gapped``: time, moment, day, week, ...), with two
    members or more after it, the run is a time phrase and the list starts
    after it, as a time phrase after the last member is cut off (I325).""",
)

_TIME_PREPOSITIONS = frozenset({"at", "in", "by", "around", "during"})


def _time_first(t: Tree, item: tuple[int, int]) -> bool:
    """I671: the run ``item`` is a time phrase under a preposition ("at the same time")."""
    from planner.parser.gapping import load_gap_words

    a, b = item
    return (a > 0 and t.low(a - 1) in _TIME_PREPOSITIONS and t.lemma(b) in load_gap_words().not_gapped
            and t.words[b].upos == "NOUN")


def trigger_at(t: Tree, lo: int, hi: int) -> int | None:
    """Word index of a distributive word among words ``lo..hi`` ("each", "per env", "all three")."""
    for k in range(lo, min(hi + 1, len(t))):
        low = t.low(k)
        nxt = t.low(k + 1) if k + 1 < len(t) else ""
        if low == "each" and reciprocal_at(t, k):
            continue  # I670: "compare each against the other": the items are weighed together
        if low in ("each", "every") and nxt not in ("other", "time", "day", "week", "month", "year", "morning"):
            return k
        if low == "per" and _rate(t, k):
            continue  # I307: "cost per serving", "cost per GB": a rate, no work per item
        if low in ("per", "respectively", "separately", "individually", "independently"):
            return k
        after = t.words[k + 1].upos if k + 1 < len(t) else ""
        if low == "both" and (
            nxt in ("", "and", ",", ".", ";", "then", ":", "of") or after == "ADP"
            or not any(t.low(j) == "and" and not _clause_and(t, k, j) for j in range(k + 1, min(k + 6, len(t))))
        ):
            # "weigh both and ...", "for both", "benchmark both on ...", "both need
            # pagination" (not "both A and B")
            return k
        if low == "all" and _NUMBER.match(nxt):
            return k
        if (low in ("them", "these", "those") and nxt == "against" and t.rel(k) == "obj" and _compares(t, t.head(k))
                and not reciprocal_after(t, k + 1)):  # I670: "them against each other" holds them against no standard
            return k  # I416: "compare them against the guidance": each is held against the standard
    return None


doc_only(
    "I593", "both-things-then-a-command",
    "'price both options and pick one': 'both' with a noun, then 'and' before the next command, points back at the two options; 'both the van and the car' names its two things.",
    """"Both" before "and" usually opens a pair ("both the van and the
    car"), so it points back at no list. When the "and" is followed by a
    verb that opens the next command ("work out the cost of both ways and
    suggest one"), it ends the clause, not a pair: "both options", "both
    ways", "both cases" point back at the two things named before, and the
    work is done once for each, as after "both" alone. So does a comma
    before the "and" ("check both quotes, the terms, and the references"):
    a pair after "both" is never cut by a comma.""",
)


def both_before_clause(t: Tree, k: int) -> bool:
    """I593: "both" at ``k`` points back although an "and" follows it closely."""
    return t.low(k) == "both" and any(t.low(j) == "and" for j in range(k + 1, min(k + 6, len(t))))


def _clause_and(t: Tree, k: int, j: int) -> bool:
    """I593: the "and" at ``j`` joins the next command ("price both options and pick one"),
    not a second thing after "both" at ``k`` ("both the van and the car"): a verb, not a noun,
    follows; or a comma stands before it ("both reports, the prices, and the terms"): a pair
    after "both" is never cut by a comma, so the "and" closes a list of what each one sent."""
    if any(t.low(x) == "," for x in range(k + 1, j)):
        return True
    return j + 1 < len(t) and t.words[j + 1].upos == "VERB" and not t.low(j + 1).endswith(("ing", "ed"))


def rate_at(t: Tree, lo: int, hi: int) -> int | None:
    """I307: the index of a "per" among words ``lo..hi`` read as a rate, not a trigger."""
    return next((k for k in range(lo, min(hi + 1, len(t))) if t.low(k) == "per" and _rate(t, k)), None)


def _rate(t: Tree, k: int) -> bool:
    """I307: "per" at word ``k`` joins a measure to a unit after a noun ("cost per serving")."""
    from planner.parser.members import rate_units
    from planner.parser.words import load_words

    m = k + 1
    if m < len(t) and t.low(m) in ("a", "an"):
        m += 1
    if m >= len(t) or k == 0 or t.words[k - 1].upos not in ("NOUN", "PROPN"):
        return False
    unit = t.lemma(m)
    return any(x in rate_units() or x in load_words().not_counts for x in (unit, t.low(m)))


def lead_list(t: Tree, lists: Sequence[ItemList], first_pred: int) -> ItemList | None:
    """A list before the sentence's first predicate that scopes it ("For A, B and C: ...", "ios + android: ...")."""
    for lst in lists:
        if lst.end < first_pred:
            gap = {t.low(k) for k in range(lst.end + 1, first_pred)}
            if gap & {":", "—", "-", "–", ",", "each", "for"} or (lst.start > 0 and t.low(lst.start - 1) in ("for", "across", "in", "on")):
                return lst
    return None

doc_only(
    "I673", "kept-as-is-member",
    "'Look at Minitab, InfinityQS and just keep the spreadsheet, and pick one': leaving things as they are, said after the list's 'and', 'or' or 'vs', is one more option, not a command of its own.",
    """A list of things to choose among often ends with the choice of
    changing nothing: "..., or stay on the old release", "A vs B or simply
    wait". The list reader stops at a verb, so that member was read as a
    step of its own ("keep the spreadsheet") or as nothing. After "or" or
    "vs", a member that opens with a verb of leaving things be
    (``[lists] status_quo_verbs`` in rules/words.toml: keep, stay, stick,
    wait, leave, ... and "do" only before "nothing"), an adverb such as
    "just" allowed before it, is a member up to the next comma or clause
    edge (six words after the verb at most). After "and" the member needs
    the adverb ("and just keep", ``status_quo_adverbs``), two members before
    it, and a sentence that asks for a choice ("pick", "choose", "which",
    "recommend"): "check the logs, the dashboards and just keep an eye on
    the queue" asks for no choice and stays as it was.""",
)

doc_only(
    "I674", "remark-after-member",
    "'Torn between tote bags (lovely but £3 each), the pencils we already have (20p), and kites': a remark after a member's name, a bracket or a clause said of it, does not end the list.",
    """Writers say something of each thing as they list it: a price or a
    caveat in brackets, commas and all ("(gorgeous but £2, heavy)"), or a
    clause ("the mailers we use now", "a cottage in the dales we found
    online"). The list reader stops at the first word that names nothing,
    so the list ended after its first member. A bracket closed within
    twelve words, or a clause of a pronoun subject (we, I, you, they, he,
    she) and its verb running to the next comma, "and" or "or", is read
    past when a separator and another member follow it; the remark is no
    part of the member's name. After the first member only a long bracket
    (more than four words, or one with a comma: a short one is a
    qualifier, I222) counts, and a clause only after a later member, so a
    list does not start inside a longer phrase ("a cabin near the falls we
    saw, and ..."). A bracket that holds commands, a verb first or after a
    comma or "then" ("the budget report (collect the spend, then compare
    it)"), is the member's work, read as before. A remark after the last
    member holds no list of its own. The options read after "between" and a word of choosing (I470)
    drop such a remark from each member the same way.""",
)

doc_only(
    "I677", "negated-inner-phrase",
    "'Check if it's the driver, the staff with no login cards, or the template': 'with no ...' inside a member says which ones, as 'with a ...' does (I221); the list goes on after it.",
    """A phrase under "with" or "without" inside a member that another
    member follows is part of that member (I221), but "no" is no article
    to the list reader, so "the staff with no login cards" ended the
    list at "with" and the members after it started a list of their own.
    Right after "with" or "without", "no" before a noun opens the phrase
    as an article would, and the member runs on through it.""",
)
