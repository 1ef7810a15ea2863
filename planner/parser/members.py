"""Members of a list the tagger read as something else (readings I300 to I303).

A list set off by a colon, a bracket or a dash ("three sample files (tiny,
large, nested)", "from three sides: cost, staff time, and waste per
shift") is a run of noun phrases alike in form; the tagger, reading word by
word, may still take one of them for a verb or an interjection ("waste",
"nested", "Sat"), and the shape reader of ``distribute`` then starts or ends
the list one member short, or a step is read for a thing. The repairs here
look at the run as a whole, on the tagger's words and tags before the
sentence is parsed, so the parse itself sees the members as nouns.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from planner import tomlcache
from planner.parser.readings import doc_only

doc_only(
    "I300", "enclosed-list-members",
    "In a list after a colon or inside a bracket or dashes ('three sides: cost, staff time, and waste per shift'), a member the tagger took for a verb is a noun like the others.",
    """A run of three or more comma-separated phrases between a colon, an
    opening bracket or a dash and the end of its phrase, most of which open
    with a noun, a name or an adjective, is a list of things; a member that
    opens with a word tagged as a verb or an interjection ("waste per
    shift", "(tiny, large, nested)", "Nopi Sat, Padella Mon") is one of the
    things, so its first word is re-tagged as a noun before the sentence is
    parsed. A run whose members open with a verb and its object ("fix the
    login, update the docs") or whose phrases hold a pronoun, an auxiliary
    or a subordinating word is a list of commands or clauses and is left
    alone, and so is a run where the verb-led members are as many as the
    others ("todo: fix login bug, update docs, deploy").""",
)
doc_only(
    "I301", "owned-member-mid-list",
    "In 'from the cookbook, our group chat, and the blog' the middle member 'our group chat' is one of the list: a possessive after a comma opens a member when the list goes on after it.",
    """I250 lets "our", "my" or "your" open the member after "and"; in the
    middle of a list, after a comma, a possessive opens a member too when
    that member is followed by another separator and another member, so the
    list keeps its first member instead of restarting after it. A comma
    followed by "our manager will ..." (a clause, no separator after the
    noun) is no member. "its" and "their" do the same for the things of
    the member named before ("Bolt Inc, its two owners and its parent"):
    inside such a member "and its ..." opens the next member rather than
    joining it, and a proper name after a comma closing the list names the
    owned member ("..., and its parent, Corvid plc."). "the laptops and
    their chargers", with no comma before the owner word, stays one
    member.""",
)
doc_only(
    "I302", "graded-member",
    "In 'mild, hot, and very hot' the last member is 'very hot': an adverb of degree opens a member whose other words name a quality or a thing.",
    """Members that differ by degree ("stern, and very stern", "short, and
    extra short") carry an adverb the shape reader took for the end of the
    list. After a separator, a degree adverb from rules/words.toml
    ``[members] degree`` followed by an adjective or a noun starts a
    member.""",
)
doc_only(
    "I303", "question-list-subject",
    "In 'how do Trello, Asana and Jira handle recurring tasks?' the first member is 'Trello' and the verb is 'handle': a list right after a question's 'do' is its subject.",
    """After "how/why/when do" (or "does", "did") the subject comes before
    the verb; when that subject is a comma list of single words, the first
    member, which the tagger may take for the main verb, is a
    noun, and the word after the last member is the verb the question asks
    about, not part of that member.""",
)

doc_only(
    "I305", "arrow-inside-member",
    "An arrow between two options ('A vs B -> C vs D') or inside a bracket ('cycle time (opened -> closed)') is part of a member, not a chain of stages.",
    """Arrows chain stages of work ("design -> build -> test"), and the
    layout cuts a sentence at them. Between two "vs" of one list of options
    the arrow says how one option works (a route: "NAS -> a cloud
    bucket"), and inside a bracket it annotates the thing before it; in
    both places cutting there would split a member and the list it sits
    in, so the arrow stays inside its sentence.""",
)

doc_only(
    "I320", "clause-after-closed-list",
    "In 'read the notes for A, B and C and list the changes' the list is A, B and C: after a list closed by 'and', another 'and' before a word that can be a command opens the next clause.",
    """A list of things ends at its "and" (or "or") and the member after it;
    a second "and" right after that member cannot add one more member to a
    list already closed, so it joins a clause. When the word after it is a
    verb of the lexicon (rules/words.toml [roles], a light verb, or one of
    [lists] clause_verbs) the
    tagger took for a noun ("list", "flag", "note", "rank") and an object
    follows it, that word is the next command and is re-tagged as a verb
    before the sentence is parsed. Two "and"s inside a list of pairs
    ("A and B, C and D") and words that are no command stay as they are.
    An owner's "'s" inside the last member ("and Snowflake's May release")
    is part of that member.""",
)
doc_only(
    "I321", "participle-led-member",
    "In 'find out the weather, opening hours and ticket prices' the middle member is 'opening hours': a participle before a noun inside a comma list of things names a thing.",
    """Members in the middle of a list of things are noun phrases like the
    ones around them; the tagger may read an "-ing" or "-ed" word that opens
    one ("opening hours", "cancelled orders", "missing fields") as a verb
    with its object, and the tree then ends the list before it. When such a
    word follows a comma after a noun and sits before a noun that a
    separator and another member follow, the list goes on through it, so
    it is re-tagged as an adjective. A command after a comma ("..., adding
    the totals") has a determiner or a pronoun after it and is left alone.""",
)

doc_only(
    "I324", "repeated-member-head",
    "In 'crash rates on android 12, android 13 and android 14' every member opens with 'android': a word that opens each member of a list is the same noun every time.",
    """Writers repeat the shared word in each member ("android 12, android 13
    and android 14", "warehouse A, warehouse B"). The tagger reads each
    occurrence on its own and may take one for a verb or an adjective, so
    the list stops or restarts there. When one word opens three or more
    members in a row, each right after a separator (a comma, "and", "or",
    "vs") and followed by a name, a number or a noun, every occurrence takes
    the tag of the one read as a noun or a name.""",
)

doc_only(
    "I329", "name-particle",
    "In 'Casa do Rio, Hotel Infante and Pestana Vintage' the first member is 'Casa do Rio': a small word of another language between two capitalised words of a member is part of the name.",
    """Names of places and firms in other languages hold small lowercase
    words ("do", "da", "de", "van", "von": rules/words.toml [lists]
    name_particles); the tagger reads "do" as the English verb and "da" as a
    noun, and the list then starts at the word after it. Between two
    capitalised words, in a name that separators (a comma, "and", "or", a
    colon or a bracket) open and close, such a word is re-tagged as part of
    the name.""",
)

_OPEN = frozenset({":", "(", "—", "–"})
_STOP = frozenset({".", "?", "!", ";", ":", "—", "–"})
_NOMINAL = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "X", "SYM"})
# tags a word of a member may carry; a pronoun, an auxiliary or a subordinator makes a clause
_MEMBER_TAGS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "X", "SYM", "DET", "ADP", "VERB", "INTJ", "ADV", "PUNCT", "CCONJ"})
_OWNERS = frozenset({"our", "my", "your"})
_MISREAD = frozenset({"VERB", "INTJ"})
# the longest member (words outside brackets) read as one thing; longer is prose
_MAX_MEMBER = 10
_DISTRIBUTIVE = frozenset({"per", "each", "every"})
_WH = frozenset({"how", "why", "when", "where", "what", "which"})


def _segments(lows: Sequence[str], a: int, b: int) -> list[tuple[int, int]] | None:
    """Words ``a..b-1`` cut at top-level commas (an "and"/"or" after the last comma dropped):
    the members' first and last index, or None if a bracket is left open."""
    out: list[tuple[int, int]] = []
    depth = 0
    start = a
    for k in range(a, b):
        if lows[k] == "(":
            depth += 1
        elif lows[k] == ")":
            depth -= 1
            if depth < 0:
                return None
        elif lows[k] == "," and depth == 0:
            out.append((start, k - 1))
            start = k + 1
    if depth != 0:
        return None
    out.append((start, b - 1))
    trimmed = []
    for s, e in out:
        while s <= e and lows[s] in ("and", "or"):
            s += 1
        trimmed.append((s, e))
    return trimmed


def _end(lows: Sequence[str], o: int) -> int:
    """Where the run opened at ``o`` stops: its closing bracket, or the end of its phrase."""
    depth = 0
    for k in range(o + 1, len(lows)):
        if lows[k] == "(":
            depth += 1
        elif lows[k] == ")":
            if depth == 0:
                return k if lows[o] == "(" else -1
            depth -= 1
        elif depth == 0 and lows[k] in _STOP:
            return -1 if lows[o] == "(" else k
    return -1 if lows[o] == "(" else len(lows)


def _outside(lows: Sequence[str], s: int, e: int) -> list[int]:
    depth = 0
    out = []
    for k in range(s, e + 1):
        if lows[k] == "(":
            depth += 1
        elif lows[k] == ")":
            depth -= 1
        elif depth == 0:
            out.append(k)
    return out


def _runs(lows: Sequence[str], tags: Sequence[str]) -> list[tuple[list[tuple[int, int]], list[int]]]:
    """I300: the enclosed lists of things in a sentence: their members (first and last word)
    and the members' words the tagger took for verbs."""
    out: list[tuple[list[tuple[int, int]], list[int]]] = []
    for o in range(len(lows)):
        if lows[o] not in _OPEN:
            continue
        if lows[o] == ":" and any(lows[k] in _DISTRIBUTIVE for k in range(max(0, o - 3), o)):
            # "Per engine: schema map, SQL writer, tests": under a distributive lead-in the
            # members are the work done for each item, read as stages by their verbs
            continue
        b = _end(lows, o)
        if b < 0:
            continue
        members = _segments(lows, o + 1, b)
        if members and len(members) > 3 and _scoping_tail(lows, tags, members[-1]):
            members = members[:-1]  # "A, B, C, and D, all for March": the tail scopes the list, no member
        if members is None or len(members) < 3:
            continue
        misread = _misread(lows, tags, members)
        if misread is not None:
            out.append((members, misread))
    return out


def _scoping_tail(lows: Sequence[str], tags: Sequence[str], member: tuple[int, int]) -> bool:
    """I300: a last segment that is a floating quantifier and a phrase said of all the members
    (", all for March", ", each with its link"), not a member of its own."""
    s, e = member
    return s < e and lows[s] in ("all", "each", "both") and tags[s + 1] == "ADP"


def _misread(lows: Sequence[str], tags: Sequence[str], members: list[tuple[int, int]]) -> list[int] | None:
    """The verb-read words of ``members`` when they are a list of things, else None."""
    nominal = commands = 0
    misread: list[int] = []
    for s, e in members:
        words = _outside(lows, s, e)
        if not words or len(words) > _MAX_MEMBER:
            return None
        if any(tags[k] not in _MEMBER_TAGS or (tags[k] == "PRON" and lows[k] not in _OWNERS) for k in words) or any(
            lows[k] in ("then", "->", "=>", "and", "or") for k in words
        ):
            return None  # a clause, a sequence of stages, or a list of its own
        first = words[0] + 1 if lows[words[0]] in _OWNERS or tags[words[0]] == "DET" else words[0]
        if first > e:
            return None
        if tags[first] in _NOMINAL:
            nominal += 1
            for k in words:
                if k > first and tags[k] in _MISREAD:
                    after = tags[k + 1] if k + 1 <= e else ""
                    if lows[k].endswith(("s", "ing")) or after not in ("", "NOUN", "PROPN", "ADJ", "ADP", "PUNCT"):
                        return None  # "the parser reads input": a clause with its own verb
                    misread.append(k)  # "Nopi Sat", "the signed builds": a word of a name
        elif tags[first] in _MISREAD:
            after = tags[first + 1] if first + 1 <= e else ""
            if after not in ("", "NOUN", "PROPN", "ADJ", "ADP", "PUNCT") or lows[first].endswith("ing"):
                return None  # "fix the login", "rewrite it": a command and its object
            misread.append(first)
            if tags[first] == "INTJ" or lows[first].endswith("ed") or (first + 1 <= e and lows[first + 1] == "-"):
                nominal += 1  # "nested", "mixed-size", "sign-up rate": no command opens with these
            else:
                commands += 1
        elif tags[first] != "ADV":
            return None
        elif len(words) == 1:
            misread.append(first)  # "(numpy, scipy, h5py)": a one-word member is a name, whatever its tag
    preps = [{lows[k] for k in _outside(lows, s, e) if tags[k] == "ADP"} for s, e in members]
    shared = set.intersection(*preps)
    # "A from X, B from Y, C from Z": members alike down to their source phrase are things
    # even when as many open with a verb-read word as with a noun
    if nominal < commands or (nominal == commands and not (shared and nominal >= 2)):
        return None
    return misread


def _enclosed(lows: Sequence[str], tags: list[str], why: list[str]) -> None:
    """I300: re-tag the verb-read words of the members of an enclosed list of things."""
    for _, misread in _runs(lows, tags):
        for k in misread:
            if why[k] != "I300":
                tags[k], why[k] = ("ADJ" if lows[k].endswith("ed") else "NOUN"), "I300"


def enclosed_members(lows: Sequence[str], tags: Sequence[str]) -> list[list[tuple[int, int]]]:
    """I300: the members of each enclosed list of things in a parsed sentence (word indices)."""
    return [members for members, _ in _runs(lows, tags)]


def _question_subject(lows: Sequence[str], tags: list[str], why: list[str]) -> None:
    """I303: "how do A, B and C <verb>": the list between the inverted "do" and the verb."""
    n = len(lows)
    for d in range(1, n - 4):
        if lows[d] not in ("do", "does", "did") or lows[d - 1] not in _WH:
            continue
        k = d + 1
        firsts = [k]
        last = False
        while not last and k + 2 < n:
            if lows[k + 1] == "," and lows[k + 2] in ("and", "or"):
                k, last = k + 3, True
            elif lows[k + 1] == ",":
                k += 2
            elif lows[k + 1] in ("and", "or"):
                k, last = k + 2, True
            else:
                break
            firsts.append(k)
        if not last or len(firsts) < 3 or k + 1 >= n:
            continue
        if any(tags[m] not in (*_NOMINAL, "VERB") for m in firsts[1:]):
            continue
        if tags[firsts[0]] == "VERB":
            tags[firsts[0]], why[firsts[0]] = "NOUN", "I303"
        if tags[k + 1] in ("NOUN", "ADJ") and lows[k + 1].isalpha():
            tags[k + 1], why[k + 1] = "VERB", "I303"


# tags of the words a member of a list of things is made of (its determiner, its name, its numbers)
_THING = frozenset({"NOUN", "PROPN", "NUM", "X", "SYM", "ADJ", "DET"})
# what follows a command's verb: its object ("list the changes", "flag anything", "rank them")
_OBJECT_TAGS = frozenset({"DET", "PRON", "NOUN", "PROPN", "ADJ", "NUM", "VERB"})
# the longest member (in words) looked back over when finding where a list is closed
_MEMBER_REACH = 6


def _closed_before(lows: Sequence[str], tags: Sequence[str], k: int) -> bool:
    """I320: the "and" at ``k`` follows a list of things already closed by "and"/"or": a member
    of thing words right before it, another "and"/"or" before that member, and a thing word
    before that conjunction."""
    j = k - 1
    while j >= 0 and k - j <= _MEMBER_REACH and (tags[j] in _THING or lows[j] in ("'s", "’s")) and lows[j] not in ("and", "or"):
        j -= 1  # "... and Snowflake's May release and flag ...": an owner's "'s" is inside the member
    if j == k - 1 or j < 1 or lows[j] not in ("and", "or"):
        return False
    before = j - 1
    if lows[before] == ",":
        before -= 1
    if before < 0 or tags[before] not in _THING:
        return False
    # "A and B, C and D": a list of pairs, each "and" inside one member
    return not any(lows[m] == "," for m in range(j + 1, k))


def _clause_after_list(forms: Sequence[str], lows: Sequence[str], tags: list[str], why: list[str]) -> None:
    """I320: "for A, B and C and list the changes": the word after the second "and" is a command."""
    from planner.parser.words import load_words

    w = load_words()
    for k in range(3, len(lows) - 2):
        i = k + 1
        if lows[k] != "and" or tags[i] not in ("NOUN", "ADJ") or not forms[i].islower() or not forms[i].isalpha():
            continue
        if w.role_of(lows[i]) is None and lows[i] not in w.light and lows[i] not in clause_verbs():
            continue
        if tags[i + 1] not in _OBJECT_TAGS or lows[i + 1] in ("and", "or", "of", "'s", "’s") or not _closed_before(lows, tags, k):
            continue
        tags[i], why[i] = "VERB", "I320"


def _participle_members(lows: Sequence[str], tags: list[str], why: list[str]) -> None:
    """I321: "the weather, opening hours and ticket price": a participle opening a member
    between a comma after a noun and a noun that a separator and another member follow."""
    n = len(lows)
    for i in range(2, n - 3):
        if tags[i] != "VERB" or lows[i - 1] != "," or tags[i - 2] not in ("NOUN", "PROPN") or not lows[i].endswith(("ing", "ed")):
            continue
        m = i + 1
        while m < n and m - i <= 3 and tags[m] in ("NOUN", "PROPN") and lows[m] not in ("and", "or"):
            m += 1
        if m == i + 1 or m + 1 >= n or lows[m] not in (",", "and", "or"):
            continue
        s = m + 1
        if lows[m] == "," and lows[s] in ("and", "or"):
            s += 1
        if (s < n and tags[s] in ("NOUN", "PROPN", "ADJ", "DET", "NUM") and lows[s] not in ("the", "a", "an")) or (
            s + 1 < n and lows[s] in ("the", "a", "an") and tags[s + 1] in ("NOUN", "PROPN", "ADJ")
        ):
            tags[i], why[i] = "ADJ", "I321"


_MEMBER_SEPARATORS = frozenset({",", "and", "or", "vs", "vs.", "versus", "/"})


def _repeated_heads(forms: Sequence[str], lows: Sequence[str], tags: list[str], why: list[str]) -> None:
    """I324: "android 12, android 13 and android 14": one word opening each member is one noun."""
    n = len(lows)
    done: set[int] = set()
    for p in range(n - 1):
        if p in done or not lows[p].isalpha() or tags[p + 1] not in ("NUM", "PROPN", "NOUN", "X"):
            continue
        run = [p]
        k = p
        while True:
            q = next((m for m in range(k + 2, min(k + 6, n - 1)) if lows[m] == lows[p]), -1)
            if q < 0 or lows[q - 1] not in _MEMBER_SEPARATORS or tags[q + 1] not in ("NUM", "PROPN", "NOUN", "X"):
                break
            between = range(k + 1, q - 1)
            if any(tags[m] not in ("NUM", "PROPN", "NOUN", "X", "ADJ") or lows[m] in _MEMBER_SEPARATORS for m in between):
                break
            run.append(q)
            k = q
        done.update(run)
        if len(run) < 3:
            continue  # two ("between RAID 5 and RAID 6") are as often one comparison as two things
        named = [tags[m] for m in run if tags[m] in ("NOUN", "PROPN")]
        if not named or len(named) == len(run):
            continue
        tag = "PROPN" if "PROPN" in named else "NOUN"
        for m in run:
            if tags[m] != tag:
                tags[m], why[m] = tag, "I324"


_NAME_EDGES = frozenset({",", "and", "or", ":", "(", ")", ";", "vs", "vs.", "."})


def _name_particles(forms: Sequence[str], lows: Sequence[str], tags: list[str], why: list[str]) -> None:
    """I329: "Casa do Rio": a particle between two capitalised words of a listed name."""
    n = len(lows)
    particles = name_particles()
    for i in range(1, n - 1):
        if lows[i] not in particles or not forms[i].islower() or not (forms[i - 1][:1].isupper() and forms[i + 1][:1].isupper()):
            continue
        a = i - 1
        while a > 0 and forms[a - 1][:1].isupper() and tags[a - 1] in ("PROPN", "NOUN", "ADJ", "X"):
            a -= 1
        b = i + 1
        while b + 1 < n and forms[b + 1][:1].isupper() and tags[b + 1] in ("PROPN", "NOUN", "ADJ", "X"):
            b += 1
        # the name must be a member: a separator right before it and right after it (or the end)
        if a == 0 or lows[a - 1] not in _NAME_EDGES or (b + 1 < n and lows[b + 1] not in _NAME_EDGES):
            continue
        if tags[i] != "PROPN":
            tags[i], why[i] = "PROPN", "I329"


_SENTENCE_ENDS = frozenset({".", "!", "?", ";"})


def _bare_last_member(lows: Sequence[str], tags: list[str], why: list[str]) -> None:
    """I309: "the endpoints for upload, export, share and delete.": after a preposition, one-word
    nouns separated by commas and closed by "and"/"or" with one more word and the end of the
    sentence: that word is the last of them, not a command the tagger read from its form."""
    n = len(lows)
    for p in range(n - 5):
        if tags[p] != "ADP":
            continue
        k = p + 1
        members = 0
        while k + 1 < n and tags[k] == "NOUN" and lows[k + 1] == ",":
            members += 1
            k += 2
        if lows[k] in ("and", "or") and lows[k - 1] == ",":
            k += 1  # "upload, export, and delete"
        elif members >= 1 and k + 1 < n and tags[k] == "NOUN" and lows[k + 1] in ("and", "or"):
            members += 1
            k += 2  # "upload, export, share and delete"
        else:
            continue
        if members < 2:
            continue
        if k >= n or tags[k] != "VERB" or not lows[k].isalpha():
            continue
        after = lows[k + 1] if k + 1 < n else "."
        if after in _SENTENCE_ENDS or (after == "," and k + 2 < n and lows[k + 2] == "then"):
            tags[k], why[k] = "NOUN", "I309"


doc_only(
    "I372", "opening-subject-list",
    "In 'north, south and east had big gaps' the first word is a noun like the others: a comma list of single words that opens a sentence and its verb is its subject.",
    """A sentence that opens with single words joined by commas and a last
    "and" or "or", straight before a verb ("billing, search and auth were
    the ones that paged", "algebra, chemistry and history got the most
    complaints"), opens with its subject: a list of things. Written in lower
    case, the first word has no capital to show it is a name, and the tagger
    may read it as an interjection or an adverb ("north", "algebra"); the
    members so read are re-tagged as nouns before the sentence is parsed,
    when three or more members stand before the verb, or two of which one
    the tagger already read as a noun. Words that open sentences as
    commands or asides ("first, second and then ...", "well, ...") are
    left alone: the word after the list must be a verb, not a comma.""",
)

_OPENING_TAGS = frozenset({"INTJ", "ADV"})  # what the tagger makes of a lower-case noun opening a sentence (I372)
_OPENING_LEADS = frozenset({"so", "and", "but", "also", "-", "*", "•"})


def _opening_subject(lows: Sequence[str], tags: list[str], why: list[str]) -> None:
    """I372: "north, south and east had ...": short members opening the sentence before its verb."""
    n = len(lows)
    k = 0
    while k < n and lows[k] in _OPENING_LEADS:
        k += 1
    members: list[int] = []  # the word of each member ("the mall": "mall")
    j = k
    while j < n:
        if lows[j] in _MEMBER_DETS and j + 1 < n:
            j += 1  # "the mall", "our cafe": an article before the member's one word
        members.append(j)
        j += 1
        if j < n and lows[j] == ",":
            j += 1
            if j < n and lows[j] not in ("and", "or"):
                continue
        if j < n and lows[j] in ("and", "or") and len(members) >= 1 and j + 1 < n:
            j += 1
            if lows[j] in _MEMBER_DETS and j + 1 < n:
                j += 1
            members.append(j)
            j += 1
        break
    if len(members) < 2 or j >= n or members[-1] == members[-2]:
        return
    if tags[j] not in ("VERB", "AUX") or not all(lows[m].isalpha() for m in members):
        return
    if any(tags[m] not in ("NOUN", "PROPN", "ADJ", *_OPENING_TAGS) for m in members):
        return
    misread = [m for m in members if tags[m] in _OPENING_TAGS or tags[m] == "ADJ"]
    if not misread or (len(members) < 3 and len(misread) == len(members)):
        return
    for m in misread:
        tags[m], why[m] = "NOUN", "I372"


_MEMBER_DETS = frozenset({"the", "our", "my", "your", "their"})


def member_tags(forms: Sequence[str], tags: Sequence[str], why: Sequence[str]) -> tuple[list[str], list[str]]:
    """The tags and the readings behind them after the list repairs I300 and I303."""
    lows = [f.lower() for f in forms]
    out, codes = list(tags), list(why)
    _enclosed(lows, out, codes)
    _question_subject(lows, out, codes)
    _participle_members(lows, out, codes)
    _repeated_heads(forms, lows, out, codes)
    _name_particles(forms, lows, out, codes)
    _bare_last_member(lows, out, codes)
    _clause_after_list(forms, lows, out, codes)
    _opening_subject(lows, out, codes)
    return out, codes


@cache
def clause_verbs() -> frozenset[str]:
    """I320: nouns as often as verbs that open a command after a closed list (rules/words.toml [lists])."""
    table = tomlcache.read_builtin("words.toml", "word classes").get("lists", {})
    return frozenset(str(x) for x in table.get("clause_verbs", ()))


@cache
def time_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """I325: the words of a time phrase after a list's last member (rules/words.toml [lists]):
    the openers ("last"), the units they open ("week") and the single words ("yesterday")."""
    table = tomlcache.read_builtin("words.toml", "word classes").get("lists", {})
    def words(key: str) -> frozenset[str]:
        return frozenset(str(x) for x in table.get(key, ()))

    return words("time_openers"), words("time_nouns"), words("time_words")


@cache
def name_particles() -> frozenset[str]:
    """I329: small words inside names in other languages (rules/words.toml [lists])."""
    table = tomlcache.read_builtin("words.toml", "word classes").get("lists", {})
    return frozenset(str(x) for x in table.get("name_particles", ()))


@cache
def status_quo_words() -> tuple[frozenset[str], frozenset[str]]:
    """I673: the verbs of leaving things as they are and the adverbs that mark them (rules/words.toml [lists])."""
    table = tomlcache.read_builtin("words.toml", "word classes").get("lists", {})
    return frozenset(str(x) for x in table.get("status_quo_verbs", ())), frozenset(str(x) for x in table.get("status_quo_adverbs", ()))


@cache
def degree_words() -> frozenset[str]:
    """I302: the adverbs of degree that open a graded member (rules/words.toml [members])."""
    table = tomlcache.read_builtin("words.toml", "word classes").get("members", {})
    return frozenset(str(x) for x in table.get("degree", ()))


_VS = ((" vs ", " vs. ", " versus "))
_ENDS = (". ", "? ", "! ", ": ", "; ", "\n")


def kept_arrow(view: str, start: int, end: int, a: int, b: int) -> bool:
    """I305: the arrow at ``view[a:b]`` (in a unit ``start..end``) sits inside a member."""
    before = view[start:a]
    cut = max(before.rfind(x) for x in _ENDS) + 1
    if before.count("(", cut) > before.count(")", cut) and ")" in view[b:end]:
        # "(opened -> closed -> shipped)": a note on the member before the bracket; a note that
        # also lists things ("(mostly A -> B and the mocks)") is cut as before, lest its list be
        # read as the work's items
        note = view[before.rfind("(") + 1 : b + view[b:end].find(")")].lower()
        return not any(x in f" {note} " for x in (",", " and ", " or "))
    after = view[b:end]
    stop = min([i for i in (after.find(x) for x in (*_ENDS, "->", "=>", "→")) if i >= 0] or [len(after)])
    low_before, low_after = before[cut:].lower(), " " + after[:stop].lower() + " "
    last_vs = max(low_before.rfind(x) for x in _VS)
    return last_vs >= 0 and not any(x in low_before[last_vs:] for x in (",", "->", "=>", "→")) and any(x in low_after for x in _VS)


@cache
def rate_units() -> frozenset[str]:
    """I307: units a rate is counted in besides the measures of [parallel] not_counts."""
    table = tomlcache.read_builtin("words.toml", "word classes").get("members", {})
    return frozenset(str(x) for x in table.get("rate_units", ()))
