"""Tag and parse the prose of a task, with one correction the treebank cannot teach.

The syntax model learned English from web text, where commands are rare and
lists of bare verbs ("measure, tweak, measure again") rarer still: it tends
to read a clause-opening verb as a noun ("Review the diff", "bisect, then
fix"). Where a clause opens with a word the verb lexicon knows, in a place a
noun phrase cannot continue (after a colon, an arrow, "then", "please", or a
comma that separates other verb phrases), the word is re-tagged as a verb and
the sentence parsed again with the corrected tags (reading T002).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from planner import lazyre
from planner.parser.command_first import root_commands
from planner.parser.condition_close import close_compared_conditions, close_conditions
from planner.parser.fronted import fronted_phrase
from planner.parser.gapped_passives import gapped_passives
from planner.parser.measure_nouns import measure_noun_tags
from planner.parser.members import member_tags
from planner.parser.needs_doing import needs_doing, needs_doing_arcs, needs_doing_tags
from planner.parser.ordered_verbs import order_word_tags, series_verb_tags
from planner.parser.plus_verbs import plus_joined_verbs
from planner.parser.readings import doc_only
from planner.parser.relative_close import close_relative_clauses
from planner.parser.same_again import retag_do
from planner.parser.sequence_phrase import command_tags, free_commands
from planner.parser.series_verbs import series_arcs, unlisted_series_verbs
from planner.parser.spliced import unsplice
from planner.parser.valued_first import valued_first
from planner.parser.verbless_question import close_verbless_questions
from planner.parser.wh_close import close_question_clauses
from planner.parser.words import Words
from planner.parser.work_rounds import work_rounds, work_rounds_arcs, work_rounds_tags
from planner.parser.workers_counted import workers_each_tags

doc_only(
    "T004", "noun-in-a-list",
    "A word between a comma and 'and' in a list of nouns ('the billing, search and auth services') is a noun.",
    """Web text rarely lists things named by verbs; the tagger reads "search"
    or "review" as a verb even inside a list of nouns. Between a comma after
    a noun and an "and" or comma before another noun, it is one of the things
    listed.""",
)
doc_only(
    "T005", "closed-class-word",
    "A number word before a noun ('into twelve languages') is a number, and 'both', 'either', 'neither' are determiners, whatever the tagger saw.",
    """These are closed classes: "twelve" or "seven" before a noun counts it,
    and "both" is never a verb. The tagger, trained on web text, sometimes
    reads a rarer number as a noun in a compound ("twelve languages") or
    "both" as the verb of a command it did not recognise ("Deploy both the
    API and the worker"), and the count or the command is then lost.""",
)
doc_only(
    "T006", "compound-noun",
    "A bare verb form right after a command's 'the X' ('translate the help center') ends that noun: it is a noun too.",
    """A command's object cannot be followed by a second bare verb with no
    joiner, unless the command lets, makes or has someone do it ("let the
    team decide"). Web text has few such commands, so the tagger reads the
    second word of a compound ("help center", "build cache") as a verb.""",
)
doc_only(
    "T007", "identifier-word",
    "A name written as code ('eu-north-1', 'node-07', 'lib/', 'setup.cfg', 'hotfix/3.1', 'max_retries') is a proper noun, whatever tag the tagger gave it.",
    """The tokenizer keeps such names whole (a hyphenated name with a digit,
    a path or folder, a dotted file name), so the tagger meets a word it never
    saw in web text and guesses from its shape: a number, a symbol, even
    punctuation (a snake_case name is one word already, and as rare). A name is what it is: the word is re-tagged PROPN, so it
    can head a noun phrase and be an item of a list.""",
)
doc_only(
    "T008", "hyphen-compound",
    "The second part of a word joined with a hyphen ('note-taking apps', 'rate-limited calls') before a noun modifies that noun: it is no verb of its own.",
    """The treebank splits hyphenated words into three tokens, and in its text
    such a pair almost always modifies the noun after it (an adjective or
    compound). The tagger still reads a part like "taking" or "limited" as a
    verb, and the parser then opens a clause there, cutting the object short
    ("three note" instead of "three note-taking apps"). When the hyphen is
    written with no space on either side, the first part is no prefix of a
    verb ("re-run", "co-author" stay verbs) and a noun follows, the second part
    is re-tagged as an adjective.""",
)
doc_only(
    "T009", "bare-verb-in-a-verb-list",
    "A lone lexicon verb between commas in a list of commands ('draft it, show it to two users, revise, and repeat') is a command, not a noun.",
    """Web text has few lists of bare commands, so the tagger reads a verb that
    stands alone in its comma segment ("revise", "tweak", "adjust") as a noun
    conjunct of the phrase before it, and the step is lost. Once a comma
    segment has opened with a command after a comma, the list is one of
    verb phrases: a word of the role lexicon that fills a segment on its own
    (a comma, "and", "then", "again", "until" or the sentence's end after it)
    is one more command, and so is one followed only by how it is done
    ("resand based on the photos", "recut per the sketch"). A list whose commands open only at the start of the
    sentence ("check the logs, metrics, traces and alerts") is a list of
    things and stays one.""",
)
doc_only(
    "T003", "to-a-destination",
    "'to' before a word no verb list knows ('translate it to English', 'convert them to text') is a destination, not an infinitive.",
    """The treebank reads "to" + word as an infinitive more often than as a
    preposition; when the word is no verb the lexicon knows and no object
    follows, it is a place, a language or a form.""",
)
doc_only(
    "T002", "command-verb-tag",
    "A clause that opens with a verb the lexicon knows is read as a command even where the tagger saw a noun.",
    """"Review the diff", "bisect, then fix", "rewrite, rebuild, scan": web
    text has few commands, so the tagger reads such verbs as nouns. The word is
    re-tagged VERB when it opens a clause (sentence start, after a colon,
    arrow, semicolon, "then", "please", "and", or a comma between verb
    phrases) and what follows can be its object or the end of the clause;
    the sentence is then parsed again with the corrected tags. A word that
    opens the subject of a "be" ("Survey results for the picnic are in the
    drive": a bare noun after it, then "are" with no clause of its own
    opened between) stays the noun it was tagged.""",
)

doc_only(
    "T036", "spaced-hyphen-dash",
    "A hyphen with a space on both sides ('A and B need the same treatment - pull the data, code it, chart it') is a dash: a clause opens after it, as after '—'.",
    """Keyboards have no dash key, so writers type a hyphen between spaces
    where a dash belongs. After such a hyphen the text opens a new clause,
    often the first command of a list of stages said for the things before
    it; read as a hyphen, the command is taken for a noun ("treatment -
    pull"), and the commands after it, which only follow a command, are
    lost too. A hyphen written between two words with no space ("A-B",
    "3-5", "note-taking") stays a hyphen.""",
)

doc_only(
    "T037", "verbs-listed-after-an-infinitive",
    "'Each office to shortlist, interview and then publish its list': the bare lexicon verbs after an infinitive's verb, each opening a comma segment, are verbs of the same list, not nouns.",
    """A list of stages is often said as what each thing is to do: "each
    school to collect, check and then file the forms", "we need the
    clinics to order, stock and label the kits". The verb after "to" is
    read as a verb, but the tagger reads the bare verbs after it ("check",
    "stock") as nouns, and the stages between the first and the last are
    lost. After an infinitive's verb, a lexicon verb opening the next
    comma segment is read as it is after a command (T002), so the list runs
    on; a list of things after the infinitive's object ("to plan the
    budget, timeline and scope") stays a list of things.""",
)

doc_only(
    "T039", "command-in-a-colon-list",
    "'Both sites need the same done: backup, update Node to 20, then test the pages': a lexicon verb opening a comma segment after a colon, before a segment that opens with a command, is a command, though the segment before it is a bare noun.",
    """T002 reads a lexicon verb after a comma as a command when the
    segment before it opened with one; a stage list after a colon often
    opens with a bare noun of work ("backup", "cleanup"), and the next
    command, followed by a name ("update Node"), is read as a noun
    modifying the name: that stage is lost, and with it the noun stage
    before it, which only counts among commands (I480). Inside a comma list
    opened by a colon, a lexicon verb that opens a segment, when the next
    segment opens with a command, is one of the list's commands; a word
    heading a list of things ("milk, bread and eggs") stays a thing.""",
)

doc_only(
    "T030", "request-to-anyone",
    "'Could someone check A, B and C and report which ones are slow?': a request put to 'someone' or 'anyone' opens its command as 'could you' does, so the commands after it are read as commands.",
    """A polite request names its commands after "could you", "can you",
    "would you"; teams write the same to whoever picks it up: "could
    someone check ...", "can anyone look at ...". The verb after such an
    opening is the first command of the sentence, so a lexicon verb later
    in it after "and" and before "which" or "whether" ("... and report
    which ones we could drop") is the next command, not one more noun of
    the list before it.""",
)

doc_only(
    "T017", "acronym-not-pronoun",
    "A pronoun written all in capitals in a sentence that is not ('ask IT and Legal', 'the US and EU sites') is an acronym, a name.",
    """The tagger folds case, so "IT" (the department) and "US" (the country)
    read as "it" and "us": a list of teams or countries loses that member, or
    the sentence gets a subject it does not have. Writers who shout write the
    whole sentence in capitals; in a sentence with lowercase words, a pronoun
    in capitals is an acronym and is tagged as a proper noun.""",
)

# Pronouns that are also common acronyms: the IT department, the US.
_CAPITAL_PRONOUNS = frozenset({"IT", "US"})

# Words after which a clause starts.
_OPENERS = frozenset({":", ";", "->", "=>", "→", "then", "please", "pls", "plz", "also", "first", "next", "finally", "now", "just", "kindly", "—", "–", "("})
# "could you ...", "can you ...", "would you ...": the modals of a polite request,
# whose verb opens the first command of a list ("could you transcribe it, correct ...").
_POLITE_MODALS = frozenset({"could", "can", "would", "will", "pls", "please"})
# T030: whoever picks up a polite request ("could someone ...", "can anyone ..."): the verb after opens a command.
_ANYONE = frozenset({"someone", "somebody", "anyone", "anybody"})
# Joiners that open a clause only inside a list of verb phrases ("fix it and ship it"),
# never inside a list of things ("billing, search and export services").
_JOINERS = frozenset({",", "and", "&", "+", "or"})
# "sum up", "track down", "write up": a verb and its particle, whatever the tagger saw.
_PARTICLES = frozenset({"up", "out", "down", "off", "over", "back", "through", "together"})
_PHRASAL_NEXT = frozenset({"DET", "PRON", "NOUN", "PROPN", "ADJ", "NUM", "PUNCT", "ADV", "SCONJ", "CCONJ", "ADP"})
# what can follow a verb but not a noun at the end of a list item ("revise, test again")
_OBJECT_STARTS = frozenset({"again", "twice", "the", "a", "an", "it", "them", "this", "that", "these", "those", "my", "our", "your", "all", "each", "every", "up", "out", "down", "to", "with", ".", ",", ";"})
_LIST_JOINERS = frozenset({"vs", "vs.", "versus", ",", "+", "&", "/", "or", "and"})
_OPTION_JOINERS = frozenset({"vs", "vs.", "versus", "/"})
_SUBORDINATORS = frozenset({"before", "after", "once", "when", "if", "while", "until", "as", "since", "unless", "whenever"})
# Tags a command verb's next word may have: its object, a particle, the end.
_FOLLOWERS = frozenset({"DET", "PRON", "NUM", "ADP", "PART", "PROPN", "NOUN", "ADJ", "ADV", "PUNCT", "SCONJ", "CCONJ", "X", "SYM"})
_NOT_AFTER = frozenset({"of", "'s", "is", "are", "was", "were", "has", "have"})
# T007: the shapes the tokenizer keeps whole as one name (planner.syntax.tokenize):
# a hyphenated name with a digit, a path or folder, a dotted file or module name.
_HYPHENATED_NAME = lazyre.compile(r"[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)+")
_PATH_NAME = lazyre.compile(r"[~.]?/?[\w.@+-]+(?:/[\w.@+-]+)*/?")  # with a letter (checked apart)
_SNAKE_NAME = lazyre.compile(r"_*[A-Za-z][A-Za-z0-9]*(?:_+[A-Za-z0-9]+)+_*")
_DOTTED_NAME = lazyre.compile(r"\.?[A-Za-z_][\w.-]*\.[A-Za-z]\w*")
_TAGGED_NAME = lazyre.compile(r"[A-Za-z][\w.-]*:\d[\w.-]*")
_HANDLE = lazyre.compile(r"@[A-Za-z_][\w.]*[A-Za-z0-9_]")  # an account's handle, kept whole by the tokenizer
# Tags a name can keep: the others are the tagger's guess from an unfamiliar shape.
_NAME_TAGS = frozenset({"NOUN", "PROPN", "X"})


@dataclass(frozen=True, init=False)
class GWord:
    text: str
    start: int
    end: int
    lemma: str
    upos: str
    head: int
    deprel: str
    retagged: str = ""  # the reading that corrected the tagger here (T002 to T006), if any

    def __init__(self, text: str, start: int, end: int, lemma: str, upos: str, head: int, deprel: str, retagged: str = "") -> None:
        # Every word of every sentence is made here: filling the instance's dictionary at once
        # costs half of the frozen dataclass's one guarded assignment per field.
        self.__dict__.update(text=text, start=start, end=end, lemma=lemma, upos=upos, head=head, deprel=deprel, retagged=retagged)


# Words that open what is asked of the people listed before them ("ask A, B, and C what they need").
_ASKED_NEXT = frozenset({"what", "which", "whether", "how", "who", "when", "where", "why"})
# The words a list member's noun phrase may hold before its last word ("the Kerala field guide").
_MEMBER_TAGS = frozenset({"DET", "NOUN", "PROPN", "ADJ", "NUM"})


def _verbish(low: str, w: Words) -> bool:
    return w.role_of(low) is not None or low in w.light


def _verb_word(low: str, w: Words) -> bool:
    """A lexicon verb, also written with a verb prefix and a hyphen ("de-dupe", "re-test"),
    whose joined form or stem the lexicon knows (T009, T019)."""
    if low.isalpha():
        return _verbish(low, w)
    prefix, _, stem = low.partition("-")
    if prefix not in _VERB_PREFIXES or not stem.isalpha():
        return False
    return _verbish(prefix + stem, w) or _verbish(stem, w)


def _code_name(form: str) -> bool:
    """Whether a word is a name written as code (T007): "eu-north-1", "lib/", "hotfix/3.1", "setup.cfg"."""
    if len(form) < 3:
        return False
    if form.startswith("@"):
        return _HANDLE.fullmatch(form) is not None  # "@maria", "@the.corner.shop": an account's name
    if "/" in form:
        return form.lower() != "and/or" and any(c.isalpha() for c in form) and _PATH_NAME.fullmatch(form) is not None
    if ":" in form:
        return _TAGGED_NAME.fullmatch(form) is not None  # "python:3.12", "redis:7"
    if "." in form:
        return _DOTTED_NAME.fullmatch(form) is not None
    if "_" in form.strip("_"):
        return _SNAKE_NAME.fullmatch(form) is not None  # "order_items", "max_retries"
    return "-" in form and any(c.isdigit() for c in form) and _HYPHENATED_NAME.fullmatch(form) is not None


def _known_verb(low: str, w: Words) -> bool:
    return low in w.roles or low in w.light or low in w.wish or low in w.state or low in w.instrument or low in w.checking


# Forms of "be" that need a subject before them ("survey results are in the drive").
_BE_FINITE = frozenset({"is", "are", "was", "were", "'re", "'s"})
# Words after which a "be" has a subject of its own: a clause inside the command
# ("check the logs that are old", "find out why builds are slow", "make sure they are").
_OWN_CLAUSE = frozenset({"that", "which", "who", "whose", "where", "when", "why", "how", "what", "whether", "if",
                         "because", "since", "so", "it", "they", "he", "she", "we", "i", "you", "there", "this", "these", "those"})
_STRETCH_ENDS = frozenset({",", ":", ";", ".", "!", "?", "-", "—", "–", "(", "and", "then"})


def _subject_of_be(lows: Sequence[str], tags: Sequence[str], i: int) -> bool:
    """T002 leaves a word as the noun it was tagged when it opens the subject of a "be"
    ("Survey results for the picnic are in the drive", "Test notes are below"): a bare
    noun follows it, and a finite "be" comes later in its stretch with no clause of its own
    opened before it."""
    if i + 1 >= len(lows) or tags[i + 1] not in ("NOUN", "PROPN"):
        return False
    for k in range(i + 1, len(lows)):
        if lows[k] in _STRETCH_ENDS or lows[k] in _OWN_CLAUSE or tags[k] == "VERB":
            return False
        if lows[k] in _BE_FINITE and tags[k] in ("AUX", "VERB"):
            return True
    return False


# T044: what a condition with no verb may hold ("if all ok", "if so", "when ready", "if not").
_SHORT_CONDITION_OPENERS = frozenset({"if", "when", "once", "unless"})
_SHORT_CONDITION_TAGS = frozenset({"ADJ", "ADV", "DET", "INTJ", "PART"})
_OBJECT_OPENERS = frozenset({"DET", "PRON", "PROPN", "NUM"})


def _command_after_short_condition(lows: Sequence[str], out: list[str], why: list[str], w: Words) -> None:
    """T044: "then if all ok inform the users", "if so send it", "when ready email the
    list": a condition of one or two words with no verb ends before the lexicon verb after
    it, which opens the command; the tagger read it as a noun the condition is about.
    Changes ``out`` and ``why`` in place."""
    n = len(lows)
    for i in range(2, n - 1):
        if out[i] in ("VERB", "AUX") or not _verbish(lows[i], w) or out[i + 1] not in _OBJECT_OPENERS:
            continue
        for size in (1, 2):
            k = i - size - 1
            if k < 0 or lows[k] not in _SHORT_CONDITION_OPENERS:
                continue
            if all(out[m] in _SHORT_CONDITION_TAGS for m in range(k + 1, i)) and (k == 0 or lows[k - 1] in _OPENERS or lows[k - 1] in _JOINERS):
                out[i], why[i] = "VERB", "T044"
                break


doc_only(
    "T044", "command-after-short-condition",
    "In 'then if all ok inform the users by email' the condition 'if all ok' has no verb, and 'inform' opens the command: the tagger had read it as a noun.",
    """A condition of one or two words with no verb ("if all ok", "if so",
    "when ready", "if not") said right before a command leaves the tagger
    reading the command's verb as the noun the condition is about ("all ok
    inform"), and the stage after it is lost. A lexicon verb right after
    such a condition, where the condition opens its clause (the sentence's
    start, an order word, a joiner) and a determiner, a pronoun or a name
    follows the verb, is a verb; T035 then ends the condition before it.""",
)


def _participle_object(lows: Sequence[str], out: Sequence[str], i: int) -> bool:
    """T042: "and propose amended wording", "then send updated invoices": the word after the
    command is a participle modifying its object (a past form before a noun), not a verb."""
    return (
        i + 2 < len(lows) and out[i + 1] == "VERB" and lows[i + 1].endswith("ed")
        and out[i + 2] in ("NOUN", "PROPN", "ADJ")
    )


doc_only(
    "T042", "command-before-participle",
    "In 'track down the clashes and propose amended wording' the lexicon verb after 'and' is a command whose object starts with a participle ('amended wording'), not a noun in a list.",
    """T002 makes a lexicon verb that opens a clause a verb when what follows
    can start its object (a determiner, a noun, an adjective ...). A past
    participle modifying the object ("propose amended wording", "send
    updated invoices", "write revised terms") was taken for a verb of its
    own, and the command for one more noun of the list before it ("the
    clashes and propose"): the two stages were read as one. A past form
    followed by a noun or an adjective counts as the start of the object.""",
)


def _heads_a_noun_list(lows: Sequence[str], i: int, w: Words) -> bool:
    """"structure, conventions, build system", "the billing, search and auth services":
    a bare word followed by a comma or "and" and then no verb is one of a list of things."""
    if i + 2 >= len(lows) or lows[i + 1] not in (",", "and", "or"):
        return False
    if lows[i + 2] in ("the", "a", "an", "then", "it", "them"):
        return False
    # "search and export services": the word after the joiner has no object of its own
    return not _verbish(lows[i + 2], w) or (i + 3 < len(lows) and lows[i + 3] not in _OBJECT_STARTS)


def _after_distributive(lows: Sequence[str], i: int, dashes: frozenset[int] = frozenset()) -> bool:
    """"for every language translate the strings", "in each repo, bump the
    version": a fronted phrase that hands the work to each item ends where
    the command begins."""
    for size in (3, 4):
        j = i - size  # the phrase is lows[j:i], read in place (this runs for nearly every word)
        if j < 0:
            continue
        if lows[j] in ("for", "in", "per", "across") and lows[j + 1] in ("each", "every", "all", "both") and (j == 0 or lows[j - 1] in _OPENERS or lows[j - 1] in _JOINERS or j - 1 in dashes):
            return lows[i - 1] not in ("of", "the")
    return False


doc_only(
    "T105", "participle-ending-a-passive-list",
    "'The lease is to be drafted, checked by a second agent, and amended where it is unclear': a participle closing a list opened by a passive ('be drafted') is one more stage of that list, not a noun.",
    """Formal requests list the stages of the work as passives: "should be
    drafted, scored against the criteria, and strengthened where it falls
    short". The last member, before a clause saying where or when ("where",
    "if", "when"), sits where the last name of a list of things would ("ask
    sales, legal and finance what they need", T004), and was made a noun:
    the stage merged into the one before it. A past participle ("-ed",
    "-en") in that place, in a sentence whose list opened with a participle
    right after a form of "be", is left a verb.""",
)

# T105: forms of "be" before a passive's participle.
_BE_FORMS = frozenset({"be", "is", "are", "was", "were", "been", "being"})


def _passive_list_member(lows: Sequence[str], out: Sequence[str], i: int) -> bool:
    """T105: word ``i`` is a past participle and the sentence before it opened a list of
    participles with a passive ("be drafted, checked ..., and amended")."""
    if not lows[i].endswith(("ed", "en")):
        return False
    for k in range(i - 1, 0, -1):
        if lows[k] in (".", ";", "!", "?"):
            return False
        if out[k] == "VERB" and lows[k].endswith(("ed", "en")) and lows[k - 1] in _BE_FORMS:
            return True
    return False


doc_only(
    "T146", "participle-inside-a-passive-list",
    "'I would like it checked by the head chef, revised, and checked again': a lone past participle between commas, in a list opened by a passive or a causative participle ('want it checked', 'be drafted'), is one more stage, not a noun.",
    """A review loop written as passives lists its stages as participles:
    "the plan is to be drafted, costed by finance, revised, and costed
    again", "I'd like it read by Sam, fixed, and read again". The middle
    stage, a participle alone between two commas, sits where one more name
    of a list of things would ("the billing, search and auth services",
    T004), was made a noun, and the rework became an item of the review
    before it. A past participle of a lexicon verb ("-ed", "-en") alone in
    its segment, in a sentence whose list opened with a participle right
    after a form of "be" or after "want/have/get/need it", stays a verb.
    A participle in a list of plain nouns ("the logs, the archived and the
    live tables") has no such passive before it and is left to T004.""",
)
# T146: verbs that hand their object to someone else's participle ("want it checked").
_CAUSATIVES = frozenset({"want", "have", "get", "need", "like", "had", "got", "wanted", "needs", "wants"})


def _participle_stage(lows: Sequence[str], out: Sequence[str], i: int, w: Words) -> bool:
    """T146: word ``i`` is a lone past participle of a lexicon verb in a list of stages that a
    passive ("be drafted") or a causative ("want it checked") opened earlier in the sentence."""
    low = lows[i]
    if not low.endswith("ed") or lows[i + 1] not in (",", "and"):
        return False
    # the participle's verb: "corrected", "revised", "trimmed"
    if not any(_verb_word(stem, w) for stem in (low[:-2], low[:-1], low[:-3] if low[-3:-2] == low[-4:-3] else "")
               if len(stem) >= 3):
        return False
    for k in range(i - 2, 1, -1):
        if lows[k] in (".", ";", "!", "?"):
            return False
        if out[k] == "VERB" and lows[k].endswith(("ed", "en")) and (
            lows[k - 1] in _BE_FORMS or (lows[k - 1] in ("it", "them", "this") and lows[k - 2] in _CAUSATIVES)
        ):
            return True
    return False


def correct_tags(forms: Sequence[str], tags: Sequence[str], w: Words) -> list[str]:
    """The tags after the corrections below (T002, T003, T004)."""
    return corrections(forms, tags, w)[0]


def spaced_dashes(tokens: Sequence[Any]) -> frozenset[int]:
    """T036: the hyphens that stand between spaces ("treatment - pull"), dashes typed with the hyphen key."""
    return frozenset(
        i
        for i in range(1, len(tokens) - 1)
        if tokens[i].text == "-" and tokens[i - 1].end < tokens[i].start and tokens[i].end < tokens[i + 1].start
    )


def corrections(
    forms: Sequence[str], tags: Sequence[str], w: Words, dashes: frozenset[int] = frozenset(), chained: bool = False
) -> tuple[list[str], list[str]]:
    """The corrected tags, and for each word the reading that changed its tag ("" if none):
    clause-opening lexicon verbs become VERB (T002), "to" + a word no verb list
    knows is a destination (T003), a word inside a list of nouns is a noun (T004)."""
    out = list(tags)
    why = [""] * len(tags)
    lows = [f.lower() for f in forms]
    n = len(forms)
    # The words each pass below needs somewhere in the sentence: a pass whose word is missing
    # would test every word for nothing. The passes up to T006 change only verbs.
    present = frozenset(lows)
    verbs = "VERB" in out
    comma = verbs and "," in present
    for i in range(2, n - 2) if comma else ():
        # "the billing, search and auth services": a word between a comma and "and"
        # inside a list of nouns is a noun (T004), whatever its verb reading.
        if (
            out[i] == "VERB"
            and lows[i - 1] == ","
            and out[i - 2] in ("NOUN", "PROPN")
            and lows[i + 1] in ("and", "or", ",")
            and (out[i + 2] in ("NOUN", "PROPN", "ADJ", "DET") or _heads_a_noun_list(lows, i, w))
        ):
            if _participle_stage(lows, out, i, w):
                why[i] = "T146"  # "... checked by the head chef, revised, and checked again"
                continue
            out[i], why[i] = "NOUN", "T004"
            # the last item too: "..., search and export services"
            if lows[i + 1] in ("and", "or") and out[i + 2] == "VERB" and i + 3 < n and out[i + 3] in ("NOUN", "PROPN"):
                out[i + 2], why[i + 2] = "NOUN", "T004"
    for i in range(2, n - 1) if comma and not present.isdisjoint(("and", "or")) else ():
        # "..., dependencies and build system": the last item of a list of nouns, a bare
        # noun after it, is a compound ("build system"), not a command
        if (
            out[i] == "VERB"
            and lows[i - 1] in ("and", "or")
            and out[i - 2] in ("NOUN", "PROPN")
            and "," in lows[:i]
            and out[i + 1] in ("NOUN", "PROPN")
            and (i + 2 >= n or out[i + 2] in ("PUNCT", "ADP", "CCONJ"))
            and lows[i + 1] not in _OBJECT_STARTS
        ):
            out[i], why[i] = "NOUN", "T004"
    for i in range(2, n - 2) if comma and not present.isdisjoint(("and", "&")) else ():
        # "ask sales, legal, and finance what they need", "A, B and the field guide each say":
        # the last member of a list of nouns, right before a question word or a distributive
        # "each" and a verb, is a noun (T004): a verb there would have no object
        if out[i] != "VERB":
            continue  # (tested first: the joiner's search below is the costly part)
        joiner = next((k for k in range(i - 1, max(0, i - 5), -1) if lows[k] in ("and", "&") or out[k] not in _MEMBER_TAGS), -1)
        last = joiner > 0 and lows[joiner] in ("and", "&")
        if (
            out[i] == "VERB"
            and last
            and "," in lows[max(0, i - 8):i]
            and any(out[k] in ("NOUN", "PROPN") for k in range(max(0, i - 4), i))
            and (lows[i + 1] in _ASKED_NEXT or (lows[i + 1] in ("each", "both", "all") and out[i + 2] in ("VERB", "AUX")))
            and not _known_verb(lows[i], w)
        ):
            if _passive_list_member(lows, out, i):
                why[i] = "T105"  # "... drafted, checked by a second agent, and amended where it is unclear"
            else:
                out[i], why[i] = "NOUN", "T004"
    for i in range(2, n) if verbs and not present.isdisjoint(("and", "or", ",", "&", "+")) else ():
        # "into Korean, Dutch and Polish": a capitalised word after a joiner that follows a
        # name is another name (T004), whatever its verb reading
        if (
            out[i] == "VERB"
            and forms[i][:1].isupper()
            and lows[i - 1] in ("and", "or", ",", "&", "+")
            and out[i - 2] in ("PROPN", "NOUN")
            and forms[i - 2][:1].isupper()
        ):
            out[i], why[i] = "PROPN", "T004"
    options = verbs and not _OPTION_JOINERS.isdisjoint(present)
    for i in range(1, n - 2) if options else ():
        # "between dev / test / live", "build vs buy": a word before an option joiner
        # and a noun is one of the options listed (T004)
        if (
            out[i] == "VERB"
            and lows[i + 1] in _OPTION_JOINERS
            and out[i + 2] in ("NOUN", "PROPN", "ADJ")
            and out[i - 1] in ("ADP", "DET", "PUNCT")
        ):
            out[i], why[i] = "NOUN", "T004"
        elif (
            out[i] == "VERB"
            and lows[i].endswith(("ed", "ing"))
            and out[i + 1] == "NOUN"
            and lows[i + 2] in _OPTION_JOINERS
            and lows[i - 1] in (":", *_OPTION_JOINERS)
        ):
            out[i], why[i] = "ADJ", "T004"  # ": cached pages vs ...": a participle naming an option
    for i in range(2, n - 1) if options else ():
        # "... vs rolling restart": the same after the joiner
        if out[i] == "VERB" and lows[i].endswith(("ed", "ing")) and lows[i - 1] in _OPTION_JOINERS and out[i + 1] == "NOUN" and out[i - 2] in ("NOUN", "PROPN"):
            out[i], why[i] = "ADJ", "T004"
    if n > 2 and out[0] == "VERB" and forms[0][:1].isupper() and not _known_verb(lows[0], w) and lows[1] in _LIST_JOINERS:
        # "Postgres vs DynamoDB ...": a name heading a list, not a command
        out[0], why[0] = "PROPN", "T004"
    for i in range(3, n) if verbs else ():
        # "translate the help center": the second word of the object's compound (T006)
        if (
            out[i] == "VERB" and out[i - 1] == "NOUN" and lows[i - 2] in ("the", "a", "an", "our", "my", "your", "this", "that")
            and out[i - 3] == "VERB" and (i - 3 == 0 or lows[i - 4] in _OPENERS or lows[i - 4] in _JOINERS)
            and lows[i - 3] not in w.wish and lows[i - 3] not in w.light
            and forms[i].islower() and not lows[i].endswith(("ed", "ing", "en"))
            and (i + 1 >= n or out[i + 1] not in ("DET", "PRON"))
        ):
            out[i], why[i] = "NOUN", "T006"
    counted = not present.isdisjoint(("both", "either", "neither")) or not present.isdisjoint(w.number_words)
    for i in range(n - 1) if counted else ():
        # "into twelve languages": a number word before a noun counts it (T005)
        if lows[i] in w.number_words and out[i] != "NUM" and out[i + 1] in ("NOUN", "PROPN", "ADJ"):
            out[i], why[i] = "NUM", "T005"
        elif lows[i] in ("both", "either", "neither") and out[i] in ("VERB", "AUX", "NOUN", "PROPN"):
            out[i], why[i] = "DET", "T005"
        elif lows[i] in ("both", "either") and out[i] == "CCONJ" and lows[i + 1] in ("and", "or", ",", ".", ";", "?", "!", "then"):
            # "set it up in both and compare": nothing between "both" and "and" to pair, so no
            # "both A and B"; the word stands for the things (the treebank's DET)
            out[i], why[i] = "DET", "T005"
    mixed = any(f[:1].islower() for f in forms)
    for i in range(n) if "PRON" in out else ():
        # "ask IT and Legal", "the US, UK and EU": a pronoun written in capitals in a text
        # that is not shouted is an acronym, a name (T017)
        if mixed and forms[i] in _CAPITAL_PRONOUNS and out[i] == "PRON":
            out[i], why[i] = "PROPN", "T017"
        elif i > 0 and lows[i - 1] == "the" and lows[i] in ("us", "it") and out[i] == "PRON":
            # "ireland, france and the us", "the it team": no pronoun takes an article, so the
            # word is the acronym written in lower case
            out[i], why[i] = "PROPN", "T017"
    for i in range(n):
        # "eu-north-1", "lib/", "setup.cfg": a name written as code (T007)
        if out[i] not in _NAME_TAGS and _code_name(forms[i]):
            out[i], why[i] = "PROPN", "T007"
    for i in range(1, n) if "to" in present else ():
        # "translate it to English", "convert them to text": a destination, not "to" + a verb
        if lows[i - 1] == "to" and out[i] == "VERB" and not _known_verb(lows[i], w):
            nxt = out[i + 1] if i + 1 < n else "PUNCT"
            if nxt not in ("DET", "PRON", "NUM"):
                out[i] = "PROPN" if forms[i][:1].isupper() else "NOUN"
                out[i - 1] = "ADP"
                why[i] = "T003"
    valued_first(lows, out, why)  # I513: "Price both and advise": the pricing verb before its object
    workers_each_tags(lows, out, why, lambda low: _verbish(low, w))  # I514: "three agents each draft one"
    segment_verb = False  # the previous comma segment opened with a verb
    infinitive = False  # ... and that verb was an infinitive's ("each team to shortlist, ...", T037)
    commanded = False  # a command opened a clause earlier in the sentence
    # "Before you deploy, back up the database": the comma after an opening
    # subordinate clause opens the main clause.
    subordinate = bool(lows) and lows[0] in _SUBORDINATORS
    # _after_distributive's phrase ("for each", "in every") somewhere in the sentence
    distributive = not present.isdisjoint(("for", "in", "per", "across")) and not present.isdisjoint(("each", "every", "all", "both"))
    for i in range(n):
        low = lows[i]
        prev = lows[i - 1] if i else ""
        dashed = i - 1 in dashes  # T036: "... the same treatment - pull the data"
        if dashed:
            prev = "—"
        # Only a word not yet a verb or an auxiliary is retagged below: for the others the
        # tests that follow are not made (opens, phrasal and capital are read only there).
        retaggable = out[i] != "VERB" and out[i] != "AUX"
        phrasal = retaggable and i + 1 < n and lows[i + 1] in _PARTICLES and (i + 2 >= n or out[i + 2] in _PHRASAL_NEXT)
        opens = retaggable and (
            i == 0
            or prev in _OPENERS
            or (distributive and _after_distributive(lows, i, dashes))
            or (prev in _JOINERS and (segment_verb or phrasal))
            or (prev == "," and subordinate)
            # "compare the latency across the regions and summarise.": a bare lexicon verb
            # closing a command's sentence after "and" is its last command
            or (prev == "and" and commanded and (i + 1 >= n or lows[i + 1] in (".", "!", ";", "?", "again")))
            # "check the certs for A, B and C and list which ones expire": a bare lexicon verb
            # after "and" that asks which (a noun there would need its article) opens a clause
            or (prev == "and" and commanded and i + 1 < n and lows[i + 1] in ("which", "whichever", "whether"))
        )
        if prev == "," and subordinate:
            subordinate = False
        if prev in _JOINERS:
            segment_verb = False
        elif prev in _OPENERS:
            infinitive = False
        # a capital inside a sentence is a name ("into Thai and Polish", "in Go and Rust"),
        # unless a colon, semicolon or bullet opened the clause
        capital = opens and i > 0 and forms[i][:1].isupper() and prev not in (":", ";", "-", "—", "(")
        if opens and not capital and _verbish(low, w) and not _subject_of_be(lows, out, i):
            bare_verb_before = i >= 2 and prev == "," and out[i - 2] == "VERB" and (i == 2 or lows[i - 3] in _OPENERS or lows[i - 3] in _JOINERS or (infinitive and lows[i - 3] == "to"))
            listed = "T037" if infinitive and prev in _JOINERS and not dashed else "T002"
            nxt_tag = out[i + 1] if i + 1 < n else "PUNCT"
            nxt = lows[i + 1] if i + 1 < n else ""
            if phrasal:
                out[i], out[i + 1] = "VERB", "ADP"  # the particle of a phrasal verb ("sum up")
                why[i] = "T036" if dashed else listed
            elif (
                (nxt_tag in _FOLLOWERS or _participle_object(lows, out, i))
                and nxt not in _NOT_AFTER
                and not (nxt_tag == "NOUN" and i + 2 < n and out[i + 2] == "VERB")
                # after a bare verb and a comma ("rewrite, rebuild, ..."), the list is one of verbs
                and (bare_verb_before or not _heads_a_noun_list(lows, i, w))
            ):
                out[i], why[i] = "VERB", "T036" if dashed else ("T042" if _participle_object(lows, out, i) else listed)
        # "could you transcribe it, correct ...": a polite request opens its command after "you"
        polite = i >= 2 and prev in ("you", "u") and lows[i - 2] in _POLITE_MODALS
        # T030: "could someone check ...": a request to anyone opens its command the same way
        anyone = i >= 2 and prev in _ANYONE and lows[i - 2] in _POLITE_MODALS
        if anyone and out[i] == "VERB":
            why[i] = why[i] or "T030"
            polite = True
        if out[i] == "VERB" and prev == "to" and i >= 2 and lows[i - 2] != "to":
            # T037: "each team to shortlist, interview and then publish": an infinitive's verb
            # opens a list of verbs as a command does, though it is no command itself
            segment_verb = infinitive = True
        elif out[i] == "VERB" and (i == 0 or prev in _OPENERS or prev in _JOINERS or polite):
            segment_verb, infinitive = True, infinitive and prev in _JOINERS
            commanded = commanded or i == 0 or prev in _OPENERS or polite
    command_tags(lows, out, why, lambda low: _verbish(low, w))  # T040: "after that send it"
    _command_after_short_condition(lows, out, why, w)  # T044: "if all ok inform the users"
    order_word_tags(lows, out, why, chained, lambda low: _verbish(low, w))  # T045: "then log it in the tab"; T100: "-> log who replied"
    _bare_verbs_in_verb_lists(lows, out, why, w)
    _said_again(lows, out, why)  # T062: "taste it, tweak, bake again"
    _last_bare_verb(forms, lows, out, why, w)  # T063: "review it with Tom & Ana, revise."
    _bare_verbs_between_commands(lows, out, why, w)
    _commands_with_phrase(lows, out, why, w)  # T101: "..., pilot with three volunteers, fix ..."
    _past_after_object(lows, out, why)  # T107: "run it past two drivers"
    series_verb_tags(lows, out, why)  # T102: "make a list, flag odd licences, and open a ticket"
    _bare_verbs_after_to(lows, out, why, w)
    _commands_in_colon_lists(lows, out, why, w)
    _stages_after_each(lows, out, why, w)  # T046: "each one: clean, map columns, load, validate"
    _rework_after_check(forms, lows, out, why, w)  # T145: "check it against the brief and refine, ..."
    retag_do(lows, out, why)  # T028
    unlisted_series_verbs(forms, out, why)  # T027: "clean the gutters, regrout the tiles, then ..."
    measure_noun_tags(lows, out, why)  # I650: "estimate cost and time for both"
    # I300/I303: members of a list read as verbs, seen from the list as a whole (planner.parser.members)
    return member_tags(forms, out, why)


# What may follow a bare command that fills its comma segment on its own.
_SEGMENT_ENDS = frozenset({",", ".", ";", "!", "?", "and", "&", "then", "again", "until", "till", "—", "–"})
# What may follow it to say how the command is done ("resand based on the photos",
# "recut per the sketch"): a noun in a list has no such phrase of its own.
_HOW_AFTER = frozenset({"based", "according", "per", "using"})


doc_only(
    "T107", "past-after-an-object",
    "'Run it past two drivers from the night shift': 'past' right after an object pronoun is a preposition, whatever a number after it suggests.",
    """"Past" opens an adjective's phrase only after an article or a
    possessive ("the past two weeks", "our past projects"); right after an
    object pronoun ("run it past", "take them past") it is the preposition
    of a route or of a hand-over. The tagger, seeing a number after it,
    reads "the past two ..." without its article: "two drivers" becomes the
    clause's subject, and the step loses the people its review goes to. Only
    "past" right after one of the object pronouns is changed.""",
)

# Object pronouns after which "past" can only be a preposition ("run it past Legal").
_OBJECT_PRONOUNS = frozenset({"it", "them", "this", "that", "these", "those", "him", "her", "me", "us"})


def _past_after_object(lows: Sequence[str], out: list[str], why: list[str]) -> None:
    """T107: "run it past two drivers": "past" after an object pronoun is a preposition."""
    for i in range(2, len(lows) - 1):
        if lows[i] == "past" and out[i] != "ADP" and lows[i - 1] in _OBJECT_PRONOUNS and out[i - 2] == "VERB":
            out[i], why[i] = "ADP", "T107"


def _bare_verbs_in_verb_lists(lows: Sequence[str], out: list[str], why: list[str], w: Words) -> None:
    """T009: "draft it, show it to two users, revise, and repeat": in a list of verb
    phrases (a segment already opened with a verb after a comma), a lexicon verb alone
    in its segment is a verb. Changes ``out`` and ``why`` in place."""
    in_verb_list = False
    n = len(lows)
    for i in range(1, n):
        prev = lows[i - 1]
        after_comma = prev == "," or (prev in ("and", "then") and i >= 2 and lows[i - 2] == ",")
        if lows[i] in (".", ";", "!", "?"):
            in_verb_list = False
        elif after_comma and out[i] == "VERB":
            in_verb_list = True
        elif (
            after_comma
            and out[i] in ("NOUN", "ADJ", "PROPN", "NUM", "ADV")
            and _verb_word(lows[i], w)
            and (
                (in_verb_list and (i + 1 >= n or lows[i + 1] in _SEGMENT_ENDS))
                # a sentence that opened with a command: "paint it, let him look, repaint based on his marks"
                or ((in_verb_list or out[0] == "VERB") and i + 1 < n and lows[i + 1] in _HOW_AFTER)
            )
        ):
            out[i], why[i] = "VERB", "T009"


doc_only(
    "T062", "command-said-again",
    "A bare word with 'again' filling a comma segment after a command ('bake a batch, taste it, tweak, bake again') is the command said again, a verb, whatever the lexicon knows.",
    """A loop written out ends on its first command said once more: "record
    the intro, listen back, trim it, record again", "pilot it with a class,
    fix what confused them, pilot again". The tagger reads a verb it rarely
    saw as one ("bake", "pilot") as a noun, the "again" goes to the verb
    before it, and the repeat is lost in the stage before. "Again" alone
    after a bare word can only say that work is done once more: a noun does
    not take it. So after a comma (or "then", "and then") in a sentence that
    opened with a command or has one after a comma, a word with no article
    of its own followed by "again" and the segment's end is a verb. A name
    ("Maria again"), a pronoun or a word after a determiner is left alone.""",
)
# What may end the segment of a command said again.
_AGAIN_ENDS = frozenset({",", ".", ";", "!", "?", "and", "then", "until", "till", "—", "–"})


def _said_again(lows: Sequence[str], out: list[str], why: list[str]) -> None:
    """T062: "taste it, tweak, bake again": a bare word with "again" alone in its comma segment
    after a command is that command said again (the tagger read it as a noun). In place."""
    n = len(lows)
    commanded = bool(out) and out[0] == "VERB"
    for i in range(1, n - 1):
        prev = lows[i - 1]
        after_comma = prev == "," or (prev in ("and", "then") and i >= 2 and lows[i - 2] == ",")
        if lows[i] in (".", ";", "!", "?"):
            commanded = False
            continue
        if after_comma and out[i] == "VERB":
            commanded = True
            continue
        if not (commanded and after_comma and out[i] in ("NOUN", "ADJ") and lows[i].isalpha()):
            continue
        if lows[i + 1] == "again" and (i + 2 >= n or lows[i + 2] in _AGAIN_ENDS):
            out[i], why[i] = "VERB", "T062"


doc_only(
    "T063", "bare-verb-closing-commands",
    "A lexicon verb the treebank knows only as a verb, alone in the last comma segment of a sentence that opened with a command ('review it with Tom & Ana, revise.'), is one more command.",
    """T009 reads a lone verb as a command once a comma segment has opened
    with one; a sentence of two commands, the second a lone verb ("review
    with the two editors, revise", "run the checks on both servers,
    iterate"), has no such segment before it, and the tagger reads the verb
    as one more member of the names or things before it. A word that the
    verb lexicon lists and the treebank saw only as a verb ("revise",
    "adjust", "iterate", never "test" or "review", which are nouns as
    often) cannot be a member of a list of things: alone in the last
    segment, after a sentence that opened with a command, it is a
    command.""",
)


def _last_bare_verb(forms: Sequence[str], lows: Sequence[str], out: list[str], why: list[str], w: Words) -> None:
    """T063: "review it with Tom & Ana, revise.": a verb-only lexicon word alone in the last comma
    segment of a sentence opened by a command is a command. In place."""
    from planner.parser.series_verbs import _verb_only

    n = len(lows)
    end = n
    while end > 0 and lows[end - 1] in (".", "!", "?"):
        end -= 1
    if end < 3 or not out or out[0] != "VERB":
        return
    i = end - 1
    if lows[i - 1] != "," and not (lows[i - 1] in ("and", "then") and lows[i - 2] == ","):
        return
    if out[i] in ("NOUN", "ADJ", "PROPN", "ADV", "X") and _verb_word(lows[i], w) and _verb_only(forms[i]):
        out[i], why[i] = "VERB", "T063"


doc_only(
    "T145", "rework-after-a-check",
    "A verb-only lexicon word after 'and' or a comma that ends a command's object ('compare it with the kit rules and refine, twice'; 'measure the load time on the old phones, adjust, until ...') is one more command: the rework after the check.",
    """A loop is often written as a check and a one-word rework: "compare it
    with the brief and refine", "test it on last week's data, adjust,
    until ...". The tagger reads the lone word as one more member of the
    object before it ("the brief and refine"), the rework becomes an item of
    the check, and the loop loses its rework step. A word the verb lexicon
    lists and the treebank knew only as a verb ("refine", "adjust",
    "iterate", never "review" or "test", which are nouns as often) cannot be
    a thing in a list. Right after "and", a comma or ", then" that follows a
    noun, with a comma, "until", "till", "again" or the sentence's end after
    it, in a sentence where a command came earlier, it is a command. A word
    with a noun after it ("the build and deploy steps") or an article, and
    a word the treebank knew as a noun, are left to the other readings.""",
)
# T145: what may end the segment of the rework verb.
_REWORK_ENDS = frozenset({",", ".", ";", "!", "?", "until", "till", "again", "then", "—", "–", ")"})


def _rework_after_check(forms: Sequence[str], lows: Sequence[str], out: list[str], why: list[str], w: Words) -> None:
    """T145: "compare it with the brief and refine, twice": a verb-only lexicon word closing
    a command's object after "and" or a comma is the rework, a command. In place."""
    from planner.parser.series_verbs import _verb_only

    n = len(lows)
    commanded = False
    for i in range(1, n):
        if lows[i] in (".", ";", "!", "?"):
            commanded = False
            continue
        if out[i - 1] == "VERB" or out[0] == "VERB":
            commanded = True
        if out[i] == "VERB" or not commanded or i < 3:
            continue
        prev = lows[i - 1]
        k = i - 2 if prev in ("and", "then") and lows[i - 2] == "," else i - 1
        if lows[k] not in (",", "and", "then") or out[k - 1] not in ("NOUN", "PROPN"):
            continue
        if (i + 1 < n and lows[i + 1] not in _REWORK_ENDS) or out[i] not in ("NOUN", "ADJ", "PROPN", "X"):
            continue
        if _verb_word(lows[i], w) and _verb_only(forms[i]):
            out[i], why[i] = "VERB", "T145"


doc_only(
    "T019", "bare-verb-between-commands",
    "A lone lexicon verb between two commands ('Clean the data, dedupe, load it into the warehouse') is a command: the segments on both sides of it open with verbs.",
    """T009 needs a command opened after a comma before the bare verb, so a
    list of commands that opens at the start of a sentence or after a
    label's colon ("EU: audit cookies, categorise, update the config") could
    leave the bare verb a noun, and the words around it read as a list of
    things. When the segment before the bare word opens with a command (at
    the start of the sentence or after a colon or semicolon) and the
    segment after it opens with one too, the word between them is one more
    command. A list of things after one command ("check the logs, metrics,
    traces and alerts") has no command after its members and stays a list.""",
)


# What joins the bare verbs of a list after "to" ("to draft, review and then post").
_BARE_JOINERS = frozenset({",", "and", "or", "then"})


def _bare_verbs_after_to(lows: Sequence[str], out: list[str], why: list[str], w: Words) -> None:
    """T037: "ask both offices to draft, review and then post the rota": lexicon verbs alone in
    their segments after "to", two or more, before a verb that closes the list, are the
    infinitive's verbs (the tagger reads "to" as a preposition and the verbs as nouns)."""
    n = len(lows)
    for i in range(n - 1):
        if lows[i] != "to":
            continue
        members: list[int] = []
        k = i + 1
        while k + 1 < n and _verb_word(lows[k], w) and out[k] in ("VERB", "NOUN", "ADJ", "PROPN") and lows[k + 1] in _BARE_JOINERS:
            members.append(k)
            k += 1
            while k < n and lows[k] in _BARE_JOINERS:
                k += 1
        if len(members) < 2 or k >= n or out[k] != "VERB" or "," not in lows[i:k]:
            continue
        for m in members:
            if out[m] != "VERB":
                out[m], why[m] = "VERB", "T037"
        out[i] = "PART"


def _commands_in_colon_lists(lows: Sequence[str], out: list[str], why: list[str], w: Words) -> None:
    """T039: "need the same done: backup, update Node to 20, then test the pages": in a comma
    list opened by a colon, a lexicon verb opening a segment before a segment that opens with
    a command is a command, though the segment before it is no command ("backup")."""
    n = len(lows)
    colon = False  # the current run of comma segments opened at a colon
    for i in range(1, n):
        prev = lows[i - 1]
        if prev in (":", "："):
            colon = True
        elif prev in (".", ";", "!", "?"):
            colon = False
        if not colon or prev != "," or out[i] not in ("NOUN", "ADJ", "PROPN") or not _verb_word(lows[i], w):
            continue
        if i + 1 >= n or lows[i + 1] in _NOT_AFTER or lows[i + 1] in (",", "and", "or") or _heads_a_noun_list(lows, i, w):
            continue
        if _verb_word(lows[i + 1], w):
            continue  # "test run on staging", "load test": a noun of two words of work
        k = next((j for j in range(i + 1, n) if lows[j] in (",", ".", ";", ":", "!", "?")), n)
        if _comma_before_command(lows, out, k):
            out[i], why[i] = "VERB", "T039"


doc_only(
    "T046", "stages-after-each-colon",
    "In 'each one: clean, map columns, load to staging, validate' every segment after the colon opens with a verb: a short scope of 'each' or 'per' before a colon over a run of segments that all open with lexicon verbs is a list of commands, the stages of each thing.",
    """Said after the things were named, "each:", "each one:", "for each
    file:" or "per site:" announces the stages every thing goes through.
    Written tersely, the stages are bare verbs and short phrases, and the
    tagger reads the run as nouns ("clean" an adjective, "map columns" a
    compound), so no step is left. When the scope before the colon is at
    most four words and opens with "each", "for each", "for every" or
    "per", and every comma segment after it (up to the sentence's end, two
    or more, "and"/"then" allowed before a segment) opens with a verb of
    the lexicon, each opener is a verb. A list of things ("each: a parser,
    a fixture set and tests") has segments that open with articles, and
    stays a list.""",
)

_EACH_OPENERS = frozenset({"each", "per"})
_SEGMENT_JOINERS = frozenset({",", "and", "then", "->", ">", "→"})


def _stages_after_each(lows: Sequence[str], out: list[str], why: list[str], w: Words) -> None:
    """T046 on the tags (in place)."""
    n = len(lows)
    colon = next((k for k in range(n) if lows[k] in (":", "：")), None)
    if colon is None or colon > 4 or colon < 1:
        return
    j = 1 if lows[0] == "for" else 0
    if lows[j] not in _EACH_OPENERS and not (j == 1 and lows[j] == "every"):
        return
    opens: list[int] = []
    k = colon + 1
    while k < n:
        while k < n and lows[k] in _SEGMENT_JOINERS:
            k += 1
        if k >= n or lows[k] in (".", "!", "?", ";"):
            break
        if not _verb_word(lows[k], w):
            return
        opens.append(k)
        while k < n and lows[k] not in (",", ".", "!", "?", ";", "->", ">", "→"):
            k += 1
    if len(opens) < 2:
        return
    for k in opens:
        if out[k] != "VERB":
            out[k], why[k] = "VERB", "T046"


def _comma_before_command(lows: Sequence[str], out: Sequence[str], k: int) -> bool:
    """Whether word ``k`` is a comma whose next segment opens with a command, after any
    "and"/"then" ("..., then test the pages"): what T019 and T039 need after a bare verb."""
    n = len(lows)
    if k >= n or lows[k] != ",":
        return False
    k += 1
    while k < n and lows[k] in ("and", "then"):
        k += 1
    return k < n and out[k] == "VERB"


def _infinitive_list_arcs(lows: Sequence[str], tags: Sequence[str], arcs: list[tuple[int, str]], why: Sequence[str]) -> list[tuple[int, str]]:
    """T037 in the tree: "want the labs to sample, test and then report": the parser hangs the
    infinitive on the noun before it as a modifier and the verbs after it on the main verb.
    When the noun is the main verb's object, the infinitive is the verb's complement (what
    the labs are wanted to do) and the verbs of its list are its conjuncts. The caller checks
    the result is still a tree."""
    new = list(arcs)
    n = len(lows)
    for i in range(n - 2):
        first = i + 1
        if lows[i] != "to" or tags[i] != "PART" or tags[first] != "VERB" or new[first][1] != "acl":
            continue
        members = [first]
        k = first
        while k + 1 < n and lows[k + 1] in _BARE_JOINERS:
            k += 1
            while k < n and lows[k] in _BARE_JOINERS:
                k += 1
            if k >= n or tags[k] != "VERB":
                break
            members.append(k)
        if len(members) < 3 or not any(why[m] == "T037" for m in members):
            continue
        noun = new[first][0]
        verb, rel = new[noun] if 0 <= noun < n else (-1, "")
        if verb < 0 or tags[verb] != "VERB" or rel.split(":")[0] not in ("obj", "iobj", "ccomp"):
            continue
        new[noun] = (verb, "obj")
        new[first] = (verb, "xcomp")
        for m in members[1:]:
            if new[m][0] == verb:
                new[m] = (first, "conj")
    return new


def _in_opened_runs(lows: Sequence[str], out: Sequence[str], end: int) -> Iterator[int]:
    """The words before ``end`` inside a run of comma segments that opened with a command
    at the sentence's or a label's start (read lazily: a caller may retag the word it got)."""
    opened = False
    for i in range(end):
        if i == 0 or lows[i - 1] in (":", "：", ";"):
            opened = out[i] == "VERB"
        elif lows[i] in (".", "!", "?"):
            opened = False
        elif opened:
            yield i


def _bare_verbs_between_commands(lows: Sequence[str], out: list[str], why: list[str], w: Words) -> None:
    """T019: a lexicon verb alone in its comma segment, between a segment that opens with a
    command at the sentence's or a label's start and a segment that opens with a command."""
    for i in _in_opened_runs(lows, out, len(lows)):
        if not (lows[i - 1] == "," and out[i] in ("NOUN", "ADJ", "PROPN") and _verb_word(lows[i], w)):
            continue
        if _comma_before_command(lows, out, i + 1):
            out[i], why[i] = "VERB", "T019"


doc_only(
    "T101", "command-with-its-phrase",
    "In 'write the guide for new staff, pilot with three volunteers, fix what tripped them up' the word after the comma is a command: a lexicon verb with no article, followed by a preposition, in a run of comma segments opened by a command, is a verb.",
    """A verb the tagger saw more often as a noun ("pilot", "trial",
    "review", "test") opening a comma segment with only a prepositional
    phrase after it ("pilot with three volunteers", "review with the
    team") is read as one more thing in the noun phrase before the comma,
    and the stage becomes an item of the command before it. In a run of
    comma segments opened by a command at the sentence's (or a label's)
    start, such a word with no article of its own, right after the comma
    (or ", then", ", and") and before a preposition, in a segment with no
    verb of its own that ends the sentence or a comma before another
    command, is a command. A plural ("tests with mocks") or a word after an
    article stays a thing.""",
)
# T101: prepositions that open the phrase of a bare command ("pilot with", "review against").
_COMMAND_PREPOSITIONS = frozenset({"with", "on", "against", "in", "at", "across", "through", "using", "via", "by", "into", "among"})
_SEGMENT_STOPS = frozenset({",", ".", ";", "!", "?", ":"})


def _commands_with_phrase(lows: Sequence[str], out: list[str], why: list[str], w: Words) -> None:
    """T101 on the tags (in place)."""
    from planner.parser.series_verbs import verb_sense

    n = len(lows)
    for i in _in_opened_runs(lows, out, n - 1):
        k = i - 1
        while k > 0 and lows[k] in ("and", "then"):
            k -= 1
        if not (lows[k] == "," and out[i] in ("NOUN", "ADJ", "PROPN") and lows[i + 1] in _COMMAND_PREPOSITIONS):
            continue
        if not lows[i].isalpha() or lows[i].endswith("s") or not (_verb_word(lows[i], w) or verb_sense(lows[i])):
            continue
        j = i + 1
        while j < n and lows[j] not in _SEGMENT_STOPS:
            j += 1
        if any(out[m] in ("VERB", "AUX") for m in range(i + 1, j)):
            continue
        if j >= n or lows[j] in (".", "!", "?", ";") or _comma_before_command(lows, out, j):
            out[i], why[i] = "VERB", "T101"


def analyse(text: str, start: int, end: int, w: Words, chained: bool = False) -> Iterator[list[GWord]]:
    """Sentences of ``text[start:end]`` as tagged, lemmatised and parsed words, one at a time
    (``chained``: the text follows a stage arrow, which opens its first sentence, T100)."""
    from planner.syntax.tokenize import split

    for chunk in split(text, start, end):
        for tokens in _windows(chunk.tokens):
            forms = [t.text for t in tokens]
            if not forms:
                continue
            cut = _dash_clause(tokens, forms)
            if cut is None:
                yield _parse_words(tokens, forms, w, chained)
                chained = False
                continue
            chained = False
            # T031: "... in their contracts — I want to know ...": two sentences joined by a dash
            head = _parse_words(tokens[: cut + 1], forms[: cut + 1], w)
            head[cut] = dataclasses.replace(head[cut], retagged=head[cut].retagged or "T031")
            yield head
            yield _parse_words(tokens[cut + 1 :], forms[cut + 1 :], w)


doc_only(
    "T031", "dash-before-a-clause",
    "In 'survey how A, B and C word their terms — I want to know what is usual' the dash ends one sentence and starts another: a dash followed by a subject and its verb joins two clauses, not two parts of one.",
    """Writers join a second thought to a request with a dash ("... for
    the buddy programme - some sites have one, some don't", "... in their
    contracts — I want to know what's usual"). The parser, reading one
    sentence, hangs the request under the second clause's verb (the
    request's verb becomes a subject or a modifier) and the request is
    lost. A spaced hyphen or a dash followed by a subject pronoun ("I",
    "we", "they", "some", ...) and a verb or auxiliary opens a clause of
    its own: the sentence is read as two, the dash closing the first. A
    dash before a list or a phrase ("- A, B, C -", "- do it for each") is
    left as it is.""",
)

_DASHES = frozenset({"-", "–", "—"})
# T031: words that open a clause as its subject right after a dash.
# T031: a future auxiliary after the subject: the speaker promises a part in the work, not a new thought.
_PROMISES = frozenset({"'ll", "will", "shall", "’ll"})
_DASH_SUBJECTS = frozenset({"i", "we", "they", "he", "she", "it", "some", "most", "none", "many", "few", "nobody", "everyone"})


def _dash_clause(tokens: Sequence[Any], forms: Sequence[str]) -> int | None:
    """T031: the index of a dash that ends one clause before another with its own subject and verb."""
    n = len(forms)
    # Only a dash before a subject word can qualify: test that first, so a sentence with
    # dashes elsewhere (ranges, lists, asides) is not tagged twice.
    dashes = [k for k in range(2, n - 2) if forms[k] in _DASHES and forms[k + 1].lower() in _DASH_SUBJECTS and (
        forms[k] != "-" or (tokens[k].start > tokens[k - 1].end and tokens[k + 1].start > tokens[k].end))]
    if not dashes:
        return None
    from planner import syntax

    tags = syntax.tag(list(forms))
    for k in dashes:
        if forms[k + 1].lower() not in _DASH_SUBJECTS or tags[k + 1] not in ("PRON", "DET"):
            continue
        nxt = k + 2 if tags[k + 2] != "ADV" or k + 3 >= n else k + 3
        if forms[nxt].lower() in _PROMISES:
            continue  # "- I'll tell you what's wrong each time": the speaker's turn in the work, read with it
        if tags[nxt] in ("VERB", "AUX"):
            return k
    return None


# A run-on "sentence" longer than this is read in pieces cut at a comma or a
# conjunction: real requests are far shorter, and the readings look at pairs
# of words inside a sentence, so the bound keeps parsing linear in the text.
MAX_SENTENCE_WORDS = 400
_CUTS = frozenset({",", ";", "and", "then", "or", ":", "-", "—"})


def _windows(tokens: Sequence[Any]) -> list[Sequence[Any]]:
    out: list[Sequence[Any]] = []
    start = 0
    n = len(tokens)
    while n - start > MAX_SENTENCE_WORDS:
        stop = start + MAX_SENTENCE_WORDS
        cut = next((k for k in range(stop, start + MAX_SENTENCE_WORDS // 2, -1) if tokens[k].text.lower() in _CUTS), stop)
        out.append(tokens[start:cut])
        start = cut
    out.append(tokens[start:])
    return out


# Verb prefixes written with a hyphen: "re-run the job" is still a command (T008).
_VERB_PREFIXES = frozenset({"re", "pre", "co", "de", "un", "dis", "mis", "over", "under", "out", "cross", "double", "self", "auto"})


# T148: the words after which two slashed letters open a command.
_COMPOUND_OPENS = frozenset({",", ";", ":", "then", "and", "or", "to", "'ll", "’ll", "ll", "will", "please", "pls", "just", "also", "first", "—", "–", "("})


doc_only(
    "T148", "slashed-letters-verb",
    "'A/B them over the weekend', 'A/B test the two banners': two letters joined by a slash, where a command opens, test two versions: with an object they are the verb, before 'test' its compound.",
    """"A/B" is a verb of its own in product and marketing talk ("A/B it
    against the old one") and a compound before "test" ("A/B test the
    subject lines"). The tokenizer splits it into "A", "/" and "B", and the
    tagger reads an article, a symbol and a noun: the command is lost, and
    the clause folds into the step before it. Two single letters glued to a
    slash, where a command opens (the sentence's start, after a comma,
    "and", "then", a colon or "to"), followed by an object ("it", "them",
    "the ...", "both") are the verb, read as "test"; followed by "test" or
    "testing", they are a compound under that verb. Letters after an
    article or a noun ("plan A/B", "the A/B results") are left alone.""",
)
# T148: what may follow the letters when they are the verb itself.
_SLASH_OBJECTS = frozenset({"it", "them", "this", "that", "these", "those", "the", "both", "each", "all", "our", "my", "your"})


def _slashed_verbs(tokens: Sequence[Any], forms: Sequence[str], tags: list[str], why: list[str]) -> list[tuple[int, int]]:
    """T148: "A/B it", "A/B test it": the letters' first index and the index of the verb they make,
    re-tagged (the verb VERB, the letters NOUN before "test")."""
    found: list[tuple[int, int]] = []
    n = len(forms)
    for a in range(n - 3):
        b = a + 2
        if forms[a + 1] != "/" or tokens[a].end != tokens[a + 1].start or tokens[a + 1].end != tokens[b].start:
            continue
        if not (len(forms[a]) == 1 and len(forms[b]) == 1 and forms[a].isalpha() and forms[b].isalpha()):
            continue
        if a and forms[a - 1].lower() not in _COMPOUND_OPENS:
            continue
        nxt = forms[b + 1].lower()
        if nxt in ("test", "testing", "tests") and (b + 2 >= n or forms[b + 2].lower() not in ("results", "result", "data")):
            tags[a], tags[b], tags[b + 1], why[b + 1] = "NOUN", "NOUN", "VERB", "T148"
            found.append((a, b + 1))
        elif nxt in _SLASH_OBJECTS:
            tags[a], tags[b], why[b] = "NOUN", "VERB", "T148"
            found.append((a, b))
    return found


def _join_slashed_verbs(arcs: list[tuple[int, str]], found: Sequence[tuple[int, int]]) -> list[tuple[int, str]]:
    """T148 in the tree: the verb heads the letters and takes their place in the sentence."""
    for a, v in found:
        letters = [k for k in (a, a + 1, a + 2) if k != v]
        new = list(arcs)
        group = (a, a + 1, a + 2, v)
        outside = next((arcs[k] for k in group if arcs[k][0] not in group), None)
        if outside is not None and arcs[v][0] in group:
            new[v] = outside
        for k, (h, r) in enumerate(arcs):
            if h in letters and k not in (a, a + 1, a + 2, v):
                new[k] = (v, r)
        for k in letters:
            new[k] = (v, "punct" if k == a + 1 else "compound")
        if _acyclic(new):
            arcs = new
    return arcs


def _hyphen_compounds(tokens: Sequence[Any], forms: Sequence[str], tags: list[str], why: list[str]) -> None:
    """T008: "note-taking apps": the part after a hyphen glued to both neighbours, before a noun, is an adjective."""
    for i in range(2, len(forms) - 1):
        if (
            forms[i - 1] == "-"
            and tags[i] in ("VERB", "AUX")
            and tokens[i - 2].end == tokens[i - 1].start
            and tokens[i - 1].end == tokens[i].start
            and forms[i - 2].isalpha()
            and forms[i].isalpha()
            and forms[i - 2].lower() not in _VERB_PREFIXES
            and tags[i + 1] in ("NOUN", "PROPN")
        ):
            tags[i], why[i] = "ADJ", "T008"


def _join_hyphen_compounds(arcs: list[tuple[int, str]], why: Sequence[str]) -> list[tuple[int, str]]:
    """T008 in the tree: "three note-taking apps" is one noun phrase headed by "apps", whose
    first part is a compound and second an adjective, whatever attachment the parser chose.
    The noun takes the first part's place in the sentence and its dependents."""
    for b in (k for k, code in enumerate(why) if code == "T008"):
        a, hy, n = b - 2, b - 1, b + 1
        ha, ra = arcs[a]
        if ha in (hy, b):
            continue
        new = list(arcs)
        for k, (h, r) in enumerate(arcs):
            if h in (a, b) and k not in (a, hy, b, n):
                new[k] = (n, r)  # "three", "the": the whole noun phrase's dependents
        if ha != n:
            new[n] = (ha, ra)
        new[a], new[hy], new[b] = (n, "compound"), (b, "punct"), (n, "amod")
        if _acyclic(new):
            arcs = new
    return arcs


def _acyclic(arcs: Sequence[tuple[int, str]]) -> bool:
    for k in range(len(arcs)):
        seen = 0
        h = arcs[k][0]
        while h >= 0:
            seen += 1
            if seen > len(arcs):
                return False
            h = arcs[h][0]
    return True


def _known_stem(lemma: str, tag: str, w: Words) -> str:
    """"refining" -> "refine", not "refin": the treebank's suffix rules cut the ending of a verb
    they never saw without its silent "e"; the verb lexicon knows the verb."""
    if tag == "VERB" and not _known_verb(lemma, w) and _known_verb(lemma + "e", w):
        return lemma + "e"
    return lemma


doc_only(
    "T103", "spaced-hyphen-parsed-as-dash",
    "'Have it checked for tone - tighten it until it reads well': a spaced hyphen before a verb is parsed as the dash it stands for, so the command after it is one more command of the sentence, not a part of the clause before.",
    """Keyboards have no dash key, so writers type a hyphen between spaces
    where a dash belongs (T036). The treebank's dashes are real dashes: fed a
    bare hyphen, the parser hangs the command after it under the clause
    before ("have it checked ... - tighten it" makes "tighten" a side remark
    of "have"), and the step model, seeing a deep side clause, drops the
    command: a review loop loses its rework. Fed the dash the writer meant,
    the parser reads the command as the next of the sentence's commands. Only
    a hyphen with a space on both sides and a verb right after it is changed;
    "A-B", "3-5", "note-taking", and a spaced hyphen before a noun ("Newsletter
    for Dec - notes") stay as they were.""",
)


def _dashes_for_parser(tokens: Sequence[Any], forms: list[str], tags: Sequence[str], why: list[str]) -> list[str]:
    """T103: the words given to the dependency parser, each spaced hyphen before a verb
    written as the dash it stands for; marks the hyphen in ``why``."""
    dashes = [k for k in spaced_dashes(tokens) if k + 1 < len(forms) and tags[k + 1] == "VERB"]
    if not dashes:
        return forms
    out = list(forms)
    for k in dashes:
        out[k] = "—"
        why[k] = why[k] or "T103"
    return out


def _parse_words(tokens: Sequence[Any], forms: list[str], w: Words, chained: bool = False) -> list[GWord]:
    from planner import syntax

    tags = syntax.tag(forms)
    fixed, why = corrections(forms, tags, w, spaced_dashes(tokens), chained)
    slashed = _slashed_verbs(tokens, forms, fixed, why) if "/" in forms else []
    _hyphen_compounds(tokens, forms, fixed, why)
    doing = needs_doing(forms, fixed, w)
    needs_doing_tags(doing, fixed, why)
    rounds = work_rounds(forms, fixed, w)
    work_rounds_tags(rounds, fixed, why)
    arcs = _join_hyphen_compounds(list(syntax.parse(_dashes_for_parser(tokens, forms, fixed, why), fixed)), why)
    if slashed:
        arcs = _join_slashed_verbs(arcs, slashed)  # T148: "A/B them over the weekend"
    if "T027" in why and _acyclic(joined := series_arcs(fixed, arcs, why)):
        arcs = joined
    if "T037" in why and _acyclic(hung := _infinitive_list_arcs([f.lower() for f in forms], fixed, arcs, why)):
        arcs = hung
    lemmas = [_known_stem(lemma, tag, w) for lemma, tag in zip(syntax.lemmatise(forms, fixed), fixed, strict=True)]
    for a, v in slashed:
        if v == a + 2:
            lemmas[v] = "test"  # T148: "A/B it" tests two versions
    arcs, moved = close_question_clauses(forms, fixed, lemmas, arcs)
    for k in moved:
        why[k] = why[k] or "T010"
    arcs, rooted = fronted_phrase(forms, fixed, arcs)
    if rooted is not None:
        why[rooted] = why[rooted] or "T032"  # "For the Q4 report I need ...": "need" is the main verb
    # Tree repairs in order, each on the arcs the one before left; a word a repair moved
    # shows the repair's code unless an earlier one already marked it.
    repairs: tuple[tuple[Callable[..., tuple[list[tuple[int, str]], list[int]]], str], ...] = (
        (close_relative_clauses, "T033"),
        (close_conditions, "T035"),
        (close_compared_conditions, "T130"),
        (free_commands, "T040"),
        (close_verbless_questions, "T043"),
        (root_commands, "T041"),
        (unsplice, "T034"),
        (plus_joined_verbs, "T053"),
    )
    for repair, code in repairs:
        arcs, moved_by = repair(forms, fixed, lemmas, arcs)
        for k in moved_by:
            why[k] = why[k] or code
    if rounds and _acyclic(headed := work_rounds_arcs(rounds, arcs)[0]):
        arcs = headed  # T061: "2 review passes": the review, counted
    if doing and _acyclic(done := needs_doing_arcs(doing, forms, arcs)[0]):
        arcs = done  # T060: "need sorting, checking and filing"
    listed, gapped = gapped_passives(forms, fixed, lemmas, arcs)
    if gapped and _acyclic(listed):
        arcs = listed
        for k in gapped:
            why[k] = why[k] or "T038"
    return [
        GWord(tok.text, tok.start, tok.end, lemma, tag, head, rel, code)
        for tok, tag, lemma, (head, rel), code in zip(tokens, fixed, lemmas, arcs, why, strict=True)
    ]
