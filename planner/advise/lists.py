"""Find the lists a task names: "auth, users and admin", "(EU, US, APAC)", bullets.

The parser turns enumerations into parallel steps when it recognises them;
this is the advisor's own, simpler reading of the same text, used when the
parser found no parallel group. It separates lists of *things* ("Django, Rails
and Laravel": parallel branches) from lists of *actions* ("scrape the pages,
parse the prices and store them": a sequence of stages).
"""

from __future__ import annotations

import re
from typing import NamedTuple, Protocol

from planner import lazyre

_FENCE_RE = lazyre.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_BULLET_RE = lazyre.compile(r"^\s*(?:[-*•]|\d{1,3}[.)]|[a-z][.)])\s+(\S.*)$")
_CHUNK_RE = lazyre.compile(r"[.!?;:()\[\]\n]+(?:\s|$)|[()\[\]:;\n]")
_CONJ_RE = lazyre.compile(r"\s+(?:and|or|vs\.?|versus|&)\s+(?:then\s+|also\s+|finally\s+)?", re.IGNORECASE)
_WORD_RE = lazyre.compile(r"[\w'’./+#-]+")
_LEADING_NOISE = lazyre.compile(r"^(?:(?:and|or|then|also|finally|the|a|an|in|on|with|for|to|of|from|via|using)\s+)+", re.IGNORECASE)
# "the staging and production databases": two things sharing a plural head noun.
_PAIR_RE = lazyre.compile(
    r"\b(?:the|both|our|its|their|your)\s+(?:the\s+)?(?P<a>[A-Za-z0-9][\w.+#-]*)\s+and\s+(?:the\s+)?"
    r"(?P<b>[A-Za-z0-9][\w.+#-]*)\s+(?P<mod>[a-z][\w-]*\s+)?(?P<head>[a-z][\w-]*s)\b"
)
_INTO_RE = lazyre.compile(r"\binto\b", re.IGNORECASE)
# A part that opens a new clause ends the list: "A, B and C, then wire them up".
_CLAUSE_OPEN_RE = lazyre.compile(
    r"^\s*(?:and\s+|but\s+)?(?:then|afterwards|after that|finally|next|lastly|once|when|each|both|all of them)\b",
    re.IGNORECASE,
)
# "X vs Y vs Z": alternatives named without commas.
_VS_RE = lazyre.compile(r"\s+(?:vs\.?|[Vv]ersus)\s+")  # lower case: "VS Code" is a name
# "A or B or C": three or more options chained without commas (two "or"s needed:
# a single "or" joins too many other things).
_OR_RE = lazyre.compile(r"\s+or\s+")
MAX_THING_WORDS = 5
MAX_ACTION_WORDS = 9
MAX_ITEMS = 500  # longer lists are batched anyway; this only bounds the work


class VerbTest(Protocol):
    def __call__(self, word: str, strict: bool = True, /) -> bool: ...


class Listing(NamedTuple):
    items: tuple[str, ...]
    actions: bool  # items start with (different) verbs: a sequence, not branches
    lead: str = ""  # the sentence's words before the first item ("Understand this codebase:")
    stages: tuple[str, ...] = ()  # each item's own steps, when the text names them ("designs and builds")


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def _strip(item: str) -> str:
    return item.strip(" \t,;:'\"“”‘’").strip()


_STOP_WORDS = frozenset(
    ["and", "or", "then", "to", "for", "with", "from", "into", "so", "that", "which", "is", "are", "was", "were", "be", "get", "gets"]
)
_PREPOSITIONS = frozenset(["in", "on", "at", "of", "by", "via", "using", "between", "about", "over", "under"])
_CONNECTIVES = frozenset(["and", "or", "then", "also", "finally", "next", "afterwards", "lastly"])
_DETERMINERS = frozenset(
    ["the", "a", "an", "it", "them", "this", "that", "these", "those", "its", "their", "our", "my", "your", "each", "all", "every", "both", "any", "some"]
)


def _verb_led(item: str, is_verb: VerbTest, *, lone_ok: bool = True, first: bool = False) -> bool:
    """Does the item start with a verb? Noun-like verbs ("review", "design") count
    when a determiner follows ("design the approach"), or when they stand alone
    and ``lone_ok`` (the last item, or one opened by "then")."""
    words = _words(item)
    connective = False
    while words and words[0].lower() in _CONNECTIVES:
        words, connective = words[1:], True
    if not words:
        return False
    if not first and words[0][:1].isupper():
        return False  # a capitalised word after a comma is a name ("Python, Go and Node")
    if is_verb(words[0], True):
        return True
    if not is_verb(words[0], False):
        # A word the lexicon lacks, followed by an article, is most likely a verb
        # ("compute the totals"): nouns rarely take "the" right after them.
        head = words[0]
        return len(words) > 1 and head.replace("-", "").isalpha() and head.islower() and words[1].lower() in ("the", "a", "an")
    if len(words) == 1:
        return lone_ok or connective
    return words[1].lower() in _DETERMINERS


def _comma_list(chunk: str, is_verb: VerbTest) -> Listing | None:
    parts = chunk.split(",")
    if len(parts) < 2:
        return None
    # ", and C" closes the list: "A, B, and C, all in one tone" has three items.
    closing = next((i for i, p in enumerate(parts) if i >= 2 and re.match(r"^\s*(?:and|or|&)\s+", p, flags=re.IGNORECASE)), None)
    if closing is not None:
        parts = parts[: closing + 1]
    # A list of things stops where a "then"-clause begins; an action list keeps it
    # ("parse the logs, then aggregate them" is a sequence of stages).
    opener = next((i for i, p in enumerate(parts) if i >= 1 and _opens_clause(p, is_verb)), None)
    if opener is None or (opener >= 2 and all(_verb_led(p, is_verb, lone_ok=False) for p in parts[1:opener])):
        return _comma_parts(parts, is_verb)
    whole = _comma_parts(parts, is_verb)
    if whole is not None and whole.actions:
        return whole
    if opener < 2:
        return None  # "A and B in separate streams, each with its own tests": no list here
    if opener == 2 and _CONJ_RE.search(parts[0]):
        return None  # "A and B separately, each with its own review": not a list of three
    if any(_loose_verb_led(p, is_verb) for p in parts[1:opener]):
        return None  # "fetch X, filter out Y, run Z, then plot": steps the lexicon half knows
    return _comma_parts(parts[:opener], is_verb)


def _opens_clause(part: str, is_verb: VerbTest) -> bool:
    """Does this comma part start a new clause ("then wire them", "each with its
    own tests", "and produce one summary") rather than name another item?"""
    if _CLAUSE_OPEN_RE.match(part):
        return True
    return bool(re.match(r"\s*(?:and|or)\s+", part, flags=re.IGNORECASE)) and _verb_led(part, is_verb)


def _loose_verb_led(part: str, is_verb: VerbTest) -> bool:
    """A lower-case verb-like word followed by more words ("run sentiment analysis")."""
    words = _words(part)
    while words and words[0].lower() in _CONNECTIVES:
        words = words[1:]
    if len(words) < 2 or not words[0].islower() or words[0] in _DETERMINERS or words[1].lower() in ("and", "or"):
        return False  # "search and identity docs" coordinates nouns
    # An unknown word followed by an object pronoun or article is a verb too ("sessionize it").
    return is_verb(words[0], False) or words[1].lower() in _DETERMINERS


def _comma_parts(parts: list[str], is_verb: VerbTest) -> Listing | None:
    oxford = re.match(r"^\s*(?:and|or|&)\s+", parts[-1], flags=re.IGNORECASE)
    last = parts[-1][oxford.end() - 1 :] if oxford else parts[-1]
    # After an Oxford comma (", and X") the conjunction is used up: X is whole.
    conj = None if oxford else _CONJ_RE.search(last)
    middle = [_strip(p) for p in parts[1:-1]]
    # "A and B, C and D, E and F": items that hold a conjunction themselves
    # mean the last part is one item too, not two.
    paired = len(parts) >= 3 and all(_CONJ_RE.search(f" {m} ") for m in middle)
    if paired:
        conj = None
    if conj is not None:
        before, after = _strip(last[: conj.start()]), _strip(last[conj.end() :])
        if before:
            middle.append(before)
    else:
        after = _strip(last)
        if len(parts) < 3 and not oxford:
            return None  # "A, B" without a conjunction is usually two clauses
    if not middle or not after or any(not m for m in middle):
        return None
    # "rate limiting for the API, with tests and docs": a part that opens with a
    # preposition adds to the phrase before it; it names no item of its own.
    if any((_words(m) or [""])[0].lower() in _PREPOSITIONS | {"with", "for", "from", "into", "to"} for m in middle):
        return None
    first_words = _words(parts[0])
    if not first_words:
        return None
    # An action list has a verb at the head of every middle item and of one end;
    # items that open with an article or a possessive are things ("the UK and the US").
    middle_verbs = [_verb_led(m, is_verb, lone_ok=False) for m in middle]
    thing_like = any(_words(m)[0].lower() in _DETERMINERS for m in middle if _words(m))
    # Lone words after a longer first part ("check our docs site, blog, and status
    # page") are things, unless both ends are actions too ("write it, test, and
    # deploy it"); lone words throughout ("redesign, implement, QA each") are steps.
    lone_middle = all(len(_words(m)) == 1 for m in middle) and len(first_words) > 1
    actions = (
        not thing_like
        and (not lone_middle or (_verb_led(parts[0], is_verb, first=True) and _verb_led(after, is_verb)))
        and len(middle) + 2 >= 3
        # one unknown verb is tolerated among several middle items
        and sum(middle_verbs) >= len(middle) - (1 if len(middle) >= 2 else 0)
        and (_verb_led(parts[0], is_verb, first=True) or _verb_led(after, is_verb))
    )
    limit = MAX_ACTION_WORDS if actions else MAX_THING_WORDS
    if any(len(_words(m)) > limit for m in middle):
        return None
    k = max(len(_words(m)) for m in middle)
    after_words = _words(after)
    if not after_words:
        return None  # ", and )": punctuation, no item
    if not actions and conj is not None and len(middle) >= 2 and is_verb(after_words[0], True):
        # "A, B and C and summarize them": the last "and" starts a new clause.
        last_item = middle.pop()
    elif actions:
        last_item = after if len(after_words) <= MAX_ACTION_WORDS else " ".join(after_words[:MAX_ACTION_WORDS])
    else:
        # A thing ends where the sentence goes on: at a verb or a joining word.
        stops = _STOP_WORDS - {"and", "or"} if paired or oxford else _STOP_WORDS
        # Inside "the password reset page" a verb-like word is part of the name;
        # it ends the item only when an object follows ("the logs tell us ...").
        named = after_words[0].lower() in _DETERMINERS

        def ends(i: int, w: str) -> bool:
            if w.lower() in stops:
                return True
            if not is_verb(w, True) or (named and i == 1):
                return False  # right after "an", "email" is the thing itself
            nxt = after_words[i + 1].lower() if i + 1 < len(after_words) else ""
            return not named or nxt in _DETERMINERS or nxt in _STOP_WORDS

        cut = next((i for i, w in enumerate(after_words) if i and ends(i, w)), len(after_words))
        last_item = " ".join(after_words[: min(cut, MAX_THING_WORDS if oxford else k + 1)])
    # An action list starts at the clause's first verb; a list of things takes
    # as many trailing words of the first part as the other items have.
    if (
        not actions
        and 3 <= len(first_words) <= MAX_THING_WORDS + 1
        and first_words[1].lower() in _DETERMINERS
        and is_verb(first_words[0], False)
        and not any(w.lower() in _PREPOSITIONS or w.lower() in _STOP_WORDS for w in first_words[2:])
    ):
        # "Create the login page, the signup page, ...": the verb leads, the things follow.
        first_item, lead = " ".join(first_words[2:]), " ".join(first_words[:2])
    elif actions or len(first_words) <= k + 1:
        first_item, lead = _strip(parts[0]), ""
    else:
        cut = len(first_words) - k
        # "Write a blog post announcing the release, a thread and ...": an -ing word
        # after a noun describes it, so the item starts back at the noun's article.
        ing = cut
        while ing > 1 and first_words[ing - 1].lower() in _DETERMINERS:
            ing -= 1
        ing = ing if first_words[ing].lower().endswith("ing") else ing - 1
        if ing > 1 and first_words[ing].lower().endswith("ing"):
            article = next((i for i in range(ing - 1, 0, -1) if first_words[i].lower() in _DETERMINERS), None)
            if article is not None and not any(w.lower() in _STOP_WORDS for w in first_words[article:ing]):
                cut = article
        first_item, lead = " ".join(first_words[cut:]), " ".join(first_words[:cut])
    items = tuple(_LEADING_NOISE.sub("", i).strip() or i for i in (first_item, *middle, last_item))
    # "A into B, B into C, C into D": a chain of transformations, not a list of things.
    if not actions and sum(bool(_INTO_RE.search(p)) for p in (parts[0], *middle, after)) >= 2:
        return Listing(tuple(_strip(p) for p in (parts[0], *middle, after)), True, "")
    if len(items) < 3 and not actions:
        return None
    return Listing(items[:MAX_ITEMS], actions, lead)


def _vs_list(chunk: str, is_verb: VerbTest, sep: lazyre.LazyPattern[str] = _VS_RE) -> Listing | None:
    """ "microservices vs monolith with modules vs serverless": each side is an item.

    The first item takes the words before the first "vs" back to a verb or a
    joining word; the last one ends where the sentence goes on (a verb or a
    joining word), so "NATS for our event bus" gives "NATS".
    """
    parts = sep.split(chunk)
    if len(parts) < 2 or any(not _words(p) for p in parts):
        return None
    head = _words(parts[0])

    def verb(w: str) -> bool:  # "server-side rendering": an -ing word here names a thing
        return not w.lower().endswith("ing") and is_verb(w, True)

    # The first option starts after the last verb, joining word or preposition
    # ("should the cache live in Redis or ..." -> "Redis").
    cut = max((i + 1 for i, w in enumerate(head) if w.lower() in _STOP_WORDS or w.lower() in _PREPOSITIONS or verb(w)), default=0)
    # The word right before "vs" is always part of an item ("Go vs Rust").
    first = (head[cut:] or head[-1:])[-MAX_THING_WORDS:]
    tail = _words(parts[-1])
    end = next((i for i, w in enumerate(tail) if i and (w.lower() in _STOP_WORDS - {"with"} or verb(w))), len(tail))
    last = tail[: min(end, MAX_THING_WORDS)]
    middle = [_strip(p) for p in parts[1:-1]]
    if not first or not last or any(len(_words(m)) > MAX_THING_WORDS for m in middle):
        return None
    items = tuple(_LEADING_NOISE.sub("", i).strip() or i for i in (" ".join(first), *middle, " ".join(last)))
    return Listing(items[:MAX_ITEMS], False, " ".join(head[: len(head) - len(first)]))


# "one (team) designs and builds X, the other designs and builds Y": each clause
# names a stream by the object after its verbs.
_STREAM_RE = lazyre.compile(
    r"\b(?P<who>one|the other|another|a third|the third|the second|the first|the\s+[\w-]+\s+(?:team|squad|group))"
    r"(?:\s+(?:team|squad|group|agent|person|dev|developer|engineer|of them|half|one))?\s+"
    r"(?P<rest>(?:(?!\b(?:and\s+|,\s*|while\s+)?(?:the other|another|a third|the third|the second"
    r"|the\s+[\w-]+\s+(?:team|squad|group))\b)[^;:.!?\n])+)",
    re.IGNORECASE,
)
_STREAM_END_RE = lazyre.compile(
    r"\s*(?:,|\bwhile\b|\bwhereas\b|\bthen\b|\bbefore\b|\bafter\b|\buntil\b|\bso\b|\band at\b|\band finally\b).*",
    re.IGNORECASE,
)


def _stream_object(rest: str, is_verb: VerbTest) -> tuple[str, tuple[str, ...]]:
    """The thing a stream works on and its verbs: "designs and builds the feature
    store" -> ("feature store", ("designs", "builds")); empty when no verb leads."""
    words = _words(_STREAM_END_RE.sub("", rest))
    if len(words) >= 2 and words[0].lower() in ("with", "using", "via", "as", "on", "in"):
        # "one with a single page, the other with steps": versions named by what they use
        obj = _LEADING_NOISE.sub("", " ".join(words[1:])).strip()
        return " ".join(_words(obj)[:MAX_THING_WORDS]), ()
    k = 0
    while k < len(words) and (is_verb(words[k], False) or (k and words[k].lower() in ("and", "then"))):
        k += 1
    if k == 0 or words[k - 1].lower() in ("and", "then"):
        return "", ()
    obj = _LEADING_NOISE.sub("", " ".join(words[k:])).strip()
    verbs = tuple(w for w in words[:k] if w.lower() not in ("and", "then"))
    return " ".join(_words(obj)[:MAX_THING_WORDS]), verbs


def _stream_list(body: str, is_verb: VerbTest) -> list[tuple[Listing, int, int]]:
    """Streams named "one ..., the other ..." with their text span, per sentence."""
    found: list[tuple[Listing, int, int]] = []
    for sentence in re.finditer(r"[^.!?;\n]+", body):
        items: list[str] = []
        stages: tuple[str, ...] = ()
        start = end = -1
        for m in _STREAM_RE.finditer(sentence.group()):
            who = m.group("who").lower()
            if not items and who not in ("one", "the first") and not who.endswith(("team", "squad", "group")):
                continue
            obj, verbs = _stream_object(m.group("rest"), is_verb)
            if not obj:
                continue
            items.append(obj)
            stages = stages or verbs
            start = m.start() if start < 0 else start
            end = m.end()
        if len(items) >= 2:
            found.append((Listing(tuple(items), False, "", stages), sentence.start() + start, sentence.start() + end))
    return found


def _no_verbs(word: str, strict: bool = True) -> bool:
    return False


def find_lists(text: str, is_verb: VerbTest = _no_verbs) -> tuple[Listing, ...]:
    """Every list in ``text`` (bullets and comma lists), code blocks ignored."""
    body = _FENCE_RE.sub("\n", text)
    found: list[Listing] = []
    bullets: list[str] = []
    lead = previous = ""
    for line in [*body.splitlines(), ""]:
        m = _BULLET_RE.match(line)
        if m:
            if not bullets:
                lead = previous
            bullets.append(_strip(m.group(1)))
            continue
        previous = line
        if len(bullets) >= 2:
            verbs = [is_verb(_words(b)[0], False) for b in bullets if _words(b)]
            found.append(Listing(tuple(bullets[:MAX_ITEMS]), sum(verbs) * 2 > len(verbs), lead))
        bullets = []
    for m in _PAIR_RE.finditer(body):
        a, b = m.group("a"), m.group("b")
        head = f"{m.group('mod') or ''}{m.group('head')}"
        if not (is_verb(a, True) or is_verb(b, True)):
            sentence = max(body.rfind(c, 0, m.start()) for c in ".!?\n") + 1
            lead = body[sentence : m.start()].strip()
            if not any(is_verb(w, False) for w in _words(lead)):
                # "The web and mobile teams implement ...": the verb follows the pair.
                lead = " ".join(_words(body[m.end() : m.end() + 80])[:6])
            found.append(Listing((f"{a} {head}", f"{b} {head}"), False, lead))
    streams = _stream_list(body, is_verb) if is_verb is not _no_verbs else []
    found.extend(lst for lst, _, _ in streams)
    start = 0
    for sep in [*_CHUNK_RE.finditer(body), None]:
        end = sep.start() if sep is not None else len(body)
        chunk = body[start:end]
        # Commas between "one ..." and "the other ..." clauses separate streams, not items.
        inside = any(a < end and start < b for _, a, b in streams)
        if not inside and len(chunk) < 50_000 and (chunk.count(",") >= 1 or _VS_RE.search(chunk) or " or " in chunk):
            listing = _comma_list(chunk, is_verb) if "," in chunk else None
            if listing is None and _VS_RE.search(chunk):
                listing = _vs_list(chunk, is_verb)
            elif listing is None and len(_OR_RE.findall(chunk)) >= 2:
                listing = _vs_list(chunk, is_verb, _OR_RE)
            elif listing is None and sep is not None and "?" in sep.group() and len(_OR_RE.findall(chunk)) == 1:
                # "Should the app use Svelte or Vue?": a question offering two options.
                listing = _vs_list(chunk, is_verb, _OR_RE)
            if listing is not None:
                # The lead runs from the sentence start: "Understand this codebase: A, B, C".
                sentence = max(body.rfind(c, 0, start) for c in ".!?\n") + 1
                lead = f"{body[sentence:start]} {listing.lead}".strip()
                found.append(Listing(listing.items, listing.actions, lead, listing.stages))
        if sep is not None:
            start = sep.end()
    return tuple(found)


def lead_verb(lead: str, is_verb: VerbTest) -> str | None:
    """The first verb of a list's lead ("Research how ..." -> "Research")."""
    for word in _words(lead)[:12]:
        if word.lower() in _CONNECTIVES:
            continue
        if is_verb(word, False):
            return word
    return None


def verb_base(word: str) -> str:
    """The base form of a verb ("designs" -> "design"), or the word itself."""
    try:
        from planner.parser.lexicon import load_lexicon

        base = load_lexicon().base_form(word)
    except Exception:  # optional, as in verb_checker
        return word
    return base if base is not None else word


def verb_role(word: str) -> str | None:
    """The role the parser's verb lexicon gives ``word`` ("research" -> "explore")."""
    try:
        from planner.parser.lexicon import load_lexicon

        lex = load_lexicon()
    except Exception:  # optional, as in verb_checker
        return None
    base = lex.base_form(word)
    return lex.role_of(base) if base is not None else None


def verb_checker() -> VerbTest:
    """A word -> "is a verb" test from the parser's verb lexicon, if available.

    ``strict`` also rejects words that are often nouns ("build", "test"), which
    matters inside sentences but not at the start of a bullet.
    """
    try:
        from planner.parser.lexicon import load_lexicon

        lex = load_lexicon()
    except Exception:  # the parser's lexicon is optional here; lists still work without it
        return _no_verbs

    def is_verb(word: str, strict: bool = True) -> bool:
        base = lex.base_form(word)
        if base is None:
            return False
        if not lex.role_of(base):
            return base in lex.verbs  # light verbs ("get feedback", "have it reviewed")
        return not (strict and base in lex.nouns_too)

    return is_verb
