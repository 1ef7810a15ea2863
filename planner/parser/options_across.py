"""Options the sentence splitter cut apart: labelled one per clause, or a "vs" chain over an arrow.

The front cuts a text at semicolons, stage arrows and ellipses, which is right
for steps and wrong for a few lists of options: "Option one is X; option two
is Y; option three is Z" names three options in three pieces, and "GH secrets
vs OIDC -> Secrets Manager vs Vault" has an arrow inside its second option.
This module reads such runs of pieces as one list; the list is held by the
last piece, and every piece says which of its words are options' words (no
step starts there, I272).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from planner import lazyre, tomlcache
from planner.errors import RuleFileError
from planner.parser.distribute import ItemList
from planner.parser.options import (
    _NUMBERS,
    Options,
    _one_each,
    _span_end,
    _trim,
    _versus,
    option_words,
)
from planner.parser.options_counted import counted_label_runs
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.syntax.tree import Word

doc_only(
    "I281", "labelled-options",
    "'Option one is a new roof; option two is solar panels; option three is a water tank': options labelled in turn are the competing approaches, each running to the next label.",
    """An option noun with a label that counts up ("option one", "option 2",
    "Option B") and "is" or a colon opens each member; the member runs to the
    next label or the end of its clause, whatever its form. The labels may sit
    in one sentence or in pieces of one line cut at semicolons or full stops;
    they must start at one (or "a") and count up by one. Numbers in brackets
    over pieces cut at semicolons ("Candidates: (a) the current way, which
    is ...; (b) ...; (c) ...") are read the same, after an option noun or a
    verb of choosing (in one piece they are I273's). Labelled lines of
    their own are a bulleted list's (I217). Nouns that name options only in a
    choice ("fix 1: ..., fix 2: ...") do not label them.""",
)
doc_only(
    "I516", "ordinal-labelled-options",
    "'The first option is renting a van. The second is paying a courier.': options labelled by ordinals in turn are the competing approaches, as 'option one is' labels are (I281).",
    """"The first option is", "the second one is", "the second is": an ordinal
    after "the" with an option noun (or, after the first, "one" or nothing)
    and "is" or a colon opens each member, in one sentence or in sentences in
    a row; the ordinals must count up from "first". The first label needs its
    option noun, so "The first one is slow. The second is flaky." names no
    options.""",
)
doc_only(
    "I284", "question-before-options",
    "'Which runtime should we default to? Candidates: tokio, smol. Prototype each and compare': a question asked before the sentence that offers its options is answered by the work on them; it is no step of its own.",
    """Like I276, for a question in a sentence of its own ("Which is best?",
    "Parser rewrite: which approach?") with the options named after it, in
    a sentence, a bulleted list, a count and its names or an "or" list, and
    no work said between them; before an "or" list, only a question that
    asks which ("which", a word that compares, or a question of three words
    or fewer) and a list of three or more. Without work on the options after
    it, the question stays.""",
)
doc_only(
    "I282", "options-over-a-cut",
    "'GH secrets vs OIDC -> Secrets Manager vs Vault', 'SELECT ... FOR UPDATE vs optimistic locking', 'two versions of the a -> b migration: one online, one offline': an arrow or an ellipsis inside a list of options is part of it, not the end of a sentence.",
    """The text is cut at stage arrows and ellipses; when the piece after the
    cut goes on with a "vs" chain from its first word, the two pieces are read
    as one stretch and its options as one list (I279), so "OIDC -> Secrets
    Manager" is one option. An arrow after a chain ("A vs B -> write it up")
    is still a stage: the piece after it must carry a "vs" of its own. The
    same holds for a counted noun before the cut and its "one X, one Y"
    members after it (I280).""",
)

doc_only(
    "I413", "named-label-options",
    "'Quote from Hartley: ... / Quote from Dunmore: ...': pieces in a row that open with the same noun, 'from' or 'by' and a name, then a colon, offer the named things; each is named by the name in its label.",
    """A writer who pastes offers, quotes or bids one to a line labels each
    with where it came from ("Offer from Northwind:", "Bid by Acme -"). Two
    or more pieces in a row whose labels have the same noun and a short name
    (at most four words, one of them capitalised) are one list of options
    (the nouns of offers are the offer_nouns class of rules/options.toml),
    named by those names; the words after each label describe it and start
    no step. A section label with no name ("Background:", "Note:") is no
    option, nor a single labelled piece.""",
)

# Labels that count options: number words, digits, letters.
_LETTER_LABELS = "abcdefgh"
_ARROW_OR_ELLIPSIS = lazyre.compile(r"\s*(?:->|=>|→|\.\.\.|…)\s*")


@dataclass(frozen=True)
class Across:
    """A list of options read over pieces ``first..last`` of the text's trees: the words
    each piece gives to options (its position, first word, last word), and the list, whose
    ``start``/``end`` are word indices in the last piece."""

    covers: tuple[tuple[int, int, int], ...]
    items: ItemList
    code: str

    @property
    def last(self) -> int:
        return self.covers[-1][0]


# I516: ordinal labels ("the first option is X. The second is Y.")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_LABEL_VERBS = frozenset({":", "is", "=", "would", "-", "—", "–"})


def _ordinal_label(t: Tree, k: int) -> tuple[int, int] | None:
    """I516: "the first option is", "the second one is", "the second is": (rank, first word of
    the member). The first needs its option noun; a later one may leave it out."""
    w = option_words()
    rank = _ORDINALS.get(t.low(k))
    if rank is None or k == 0 or t.low(k - 1) != "the":
        return None
    j = k + 1
    if j < len(t) and (t.lemma(j) in w.nouns - w.choice_nouns or (rank > 1 and t.low(j) == "one")):
        j += 1
    elif rank == 1:
        return None
    if j + 1 < len(t) and t.low(j) in _LABEL_VERBS:
        if t.low(j) == "would" and t.low(j + 1) == "be":
            j += 1
        return rank, j + 1
    return None


def _label(t: Tree, k: int) -> tuple[int, int] | None:
    """An option label at word ``k`` ("option two is", "Option B:"): (its rank from 1, first word of the member)."""
    w = option_words()
    if (ordinal := _ordinal_label(t, k)) is not None:
        return ordinal
    # only nouns that name options by themselves: "Fix 1: ..., fix 2: ..." may be work all wanted
    if k + 2 >= len(t) or t.lemma(k) not in w.nouns - w.choice_nouns:
        return None
    low = t.low(k + 1)
    rank = 1 if low == "one" else _NUMBERS.get(low) or _rank(low)
    if rank is None:
        return None
    j = k + 2
    if t.low(j) in (":", "is", "=", "would", "-", "—", "–"):
        if t.low(j) == "would" and j + 1 < len(t) and t.low(j + 1) == "be":
            j += 1
        return rank, j + 1
    return None


def _rank(low: str) -> int | None:
    if low.isascii() and low.isdigit() and len(low) <= 2:
        return int(low)
    if len(low) == 1 and low in _LETTER_LABELS:
        return _LETTER_LABELS.index(low) + 1
    return None


def _enumerator(t: Tree, k: int) -> tuple[int, int] | None:
    """A number or letter in brackets at word ``k`` ("(b)", "2)") that opens a piece or follows
    a colon: (its rank from 1, first word of the member)."""
    if k > 0 and t.low(k - 1) not in (":", "："):
        return None
    if k + 2 < len(t) and t.low(k) == "(" and t.low(k + 2) == ")" and (rank := _rank(t.low(k + 1))) is not None:
        return rank, k + 3
    if k + 1 < len(t) and t.low(k + 1) == ")" and (rank := _rank(t.low(k))) is not None:
        return rank, k + 2
    return None


def _announces(t: Tree, before: int) -> bool:
    """An option noun or a verb of choosing before word ``before`` ("Candidates I can think of: (a) ...")."""
    w = option_words()
    # a capitalised plural at a line's start may be tagged a proper noun, lemma and all ("Candidates")
    return any((t.words[j].upos in ("NOUN", "PROPN") and (t.lemma(j) in w.nouns or t.low(j).removesuffix("s") in w.nouns))
               or (t.words[j].upos == "VERB" and t.lemma(j) in w.choosing) for j in range(before))


def _labelled_runs(trees: Sequence[Tree], text: str) -> list[Across]:
    """I281: "Option one is X; option two is Y; ..." in one piece or in pieces in a row."""
    out: list[Across] = []
    at = 0
    while at < len(trees):
        found: list[tuple[int, int, int, int]] = []  # (piece, label word, member start, rank)
        k = at
        while k < len(trees):
            t = trees[k]
            labels = [(k, j, lab[1], lab[0]) for j in range(len(t)) if (j == 0 or t.low(j - 1) in (",", ";", "and", "or", "the", "(", "then"))
                      and (lab := _label(t, j)) is not None]
            if not labels and (not found or found[0][3] < 0):
                # "(a) ...; (b) ...; (c) ...": numbers in brackets over pieces cut at semicolons
                # (ranks kept negative to tell them from option labels)
                labels = [(k, j, lab[1], -lab[0]) for j in range(len(t)) if (lab := _enumerator(t, j)) is not None
                          and (found or _announces(t, j))][:1]
            # a run goes on only into a piece of the same line that opens with a label
            if not labels or (found and (labels[0][1] > 1 or not _joined_in_line(trees[k - 1], t, text))):
                break
            found.extend(labels)
            k += 1
        ranks = [abs(r) for *_, r in found]
        # numbers in brackets in one piece are I273's; here they must run over pieces
        if len(found) >= 2 and ranks == list(range(1, len(found) + 1)) and (found[0][3] > 0 or found[-1][0] > found[0][0]):
            members: list[tuple[int, int, int]] = []  # (piece, first word, last word)
            for n_, (piece, _, start, _r) in enumerate(found):
                t = trees[piece]
                nxt = found[n_ + 1] if n_ + 1 < len(found) else None
                if nxt is not None and nxt[0] == piece:
                    end = nxt[1] - 1
                    while end > start and t.low(end) in (",", ";", "and", "or", "the", "(", "then"):
                        end -= 1
                else:
                    end = _span_end(t, start, enum=True)
                # ", which is ..." after a name is a remark on it ("the current way, which is ...")
                end = next((j - 1 for j in range(start + 1, end) if t.low(j) == "," and t.low(j + 1) in ("which", "where", "who")), end)
                a, b = _trim(t, start, end)
                members.append((piece, a, b))
            by_piece: dict[int, list[tuple[int, int]]] = {}
            for piece, a, b in members:
                by_piece.setdefault(piece, []).append((a, b))
            if all(_fits(trees[p], ms) for p, ms in by_piece.items()):
                last = found[-1][0]
                spans = []
                for piece, a, b in members:
                    t = trees[piece]
                    while a < b and t.low(a) in ("the", "a", "an"):
                        a += 1
                    spans.append((t.words[a].start, t.words[b].end))
                covers = tuple((p, min(j for q, j, *_ in found if q == p), max(b for q, _, b in members if q == p))
                               for p in sorted(by_piece))
                lo = covers[-1][1]
                code = "I516" if any(trees[q].low(j) in _ORDINALS for q, j, *_ in found) else "I281"
                out.append(Across(covers, ItemList(tuple(spans), lo, covers[-1][2], True, (code,)), code))
                at = last + 1
                continue
        at += 1
    return out


_NAME_PREPS = frozenset({"from", "by"})
_LABEL_ENDS = frozenset({":", "：", "-", "—", "–"})
_LABEL_NAME_WORDS = 4


def _named_label(t: Tree) -> tuple[str, int, int] | None:
    """I413: "Offer from Northwind:" opening piece ``t``: (the noun's lemma, first and last word of the name)."""
    # the tagger often takes a line's first word for a verb: the noun is matched by its form
    noun = t.low(0).removesuffix("s")
    if len(t) < 5 or noun not in _offer_nouns() or t.low(1) not in _NAME_PREPS:
        return None
    end = next((j for j in range(2, min(len(t), 3 + _LABEL_NAME_WORDS)) if t.low(j) in _LABEL_ENDS), None)
    if end is None or end < 3 or end + 1 >= len(t):
        return None
    if not any(t.words[j].text[:1].isupper() for j in range(2, end)):
        return None  # "quote from memory: ..." names no one
    return noun, 2, end - 1


@cache
def _offer_nouns() -> frozenset[str]:
    """The ``offer_nouns`` word class of ``rules/options.toml``."""
    value = tomlcache.read_builtin("options.toml", "option words").get("offer_nouns", [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleFileError("offer_nouns must be a list of strings", path="rules/options.toml")
    return frozenset(v.lower() for v in value)


def _named_label_runs(trees: Sequence[Tree], taken: set[int]) -> list[Across]:
    """I413: pieces in a row labelled "<noun> from <Name>:" with the same noun."""
    out: list[Across] = []
    k = 0
    while k < len(trees):
        first = _named_label(trees[k]) if k not in taken else None
        if first is None:
            k += 1
            continue
        run = [(k, first)]
        while (j := run[-1][0] + 1) < len(trees) and j not in taken and (lab := _named_label(trees[j])) is not None and lab[0] == first[0]:
            run.append((j, lab))
        if len(run) >= 2:
            spans = tuple((trees[p].words[a].start, trees[p].words[b].end) for p, (_, a, b) in run)
            covers = tuple((p, 0, len(trees[p]) - 1) for p, _ in run)
            out.append(Across(covers, ItemList(spans, 0, covers[-1][2], True, ("I413",)), "I413"))
        k = run[-1][0] + 1
    return out


def _fits(t: Tree, members: list[tuple[int, int]]) -> bool:
    w = option_words()
    return all(a <= b and b - a + 1 <= w.max_words and any(t.words[k].upos in ("NOUN", "PROPN", "VERB", "ADJ", "NUM", "X")
                                                             for k in range(a, b + 1)) for a, b in members)


def _joined_in_line(a: Tree, b: Tree, text: str) -> bool:
    """Pieces of one line: labelled lines of their own are the line readers' (I217)."""
    gap = text[a.end : b.start]
    return "\n" not in gap and gap.strip() in (";", "")


def _merged(a: Tree, b: Tree, text: str) -> Tree:
    """Pieces ``a`` and ``b`` as one sentence, the text between them as a word of its own."""
    gap = text[a.end : b.start]
    g0 = a.end + (len(gap) - len(gap.lstrip()))
    g1 = b.start - (len(gap) - len(gap.rstrip()))
    words: list[Word] = [Word(w.text, w.start, w.end, w.lemma, w.upos, w.head, w.deprel) for w in a.words]
    if g1 > g0:
        words.append(Word(text[g0:g1], g0, g1, text[g0:g1], "PUNCT", a.root, "punct"))
    shift = len(words)
    words.extend(Word(w.text, w.start, w.end, w.lemma, w.upos, w.head + shift if w.head >= 0 else a.root, w.deprel if w.head >= 0 else "parataxis")
                 for w in b.words)
    return Tree(tuple(words), a.unit)


def _over_cuts(trees: Sequence[Tree], text: str) -> list[Across]:
    """I282: a "vs" chain, or "one X, one Y" after a counted noun, that the splitter cut at an
    arrow or an ellipsis, read over the cut."""
    out: list[Across] = []
    for k in range(1, len(trees)):
        a, b = trees[k - 1], trees[k]
        if not len(a) or not len(b) or any(x.covers[-1][0] >= k - 1 for x in out):
            continue
        gap = text[a.end : b.start]
        # the cut is an arrow between the pieces, or an ellipsis the first piece ends with
        if not (_ARROW_OR_ELLIPSIS.fullmatch(gap) or (not gap.strip() and a.low(len(a) - 1) in ("...", "…"))):
            continue
        joined = _merged(a, b, text)
        shift = len(joined) - len(b)
        own = _versus(b)
        whole: Options | None = None
        if own is not None and own.start == 0:
            # the piece after the cut goes on with a chain from its first word; the chain must run over the cut
            whole = _versus(joined)
            if whole is not None and (whole.start >= len(a) or whole.end < shift):
                whole = None
        if whole is None and _one_each(b) is None and (counted := _one_each(joined)) is not None and counted.start >= shift:
            whole = counted  # "two versions of the `a` -> `b` migration: one online, one offline"
        if whole is None:
            continue
        items = whole.items
        covers = ((k - 1, whole.start, len(a) - 1), (k, 0, whole.end - shift)) if whole.start < len(a) else ((k, whole.start - shift, whole.end - shift),)
        out.append(Across(covers, ItemList(items.spans, covers[-1][1], covers[-1][2], items.alternatives, ("I282",)), "I282"))
    return out


def options_across(trees: Sequence[Tree], text: str) -> list[Across]:
    """The lists of options read over more than one piece of the text (I281, I282, I413), in text order."""
    found = _labelled_runs(trees, text)
    taken = {p for x in found for p, _, _ in x.covers}
    found.extend(x for x in _over_cuts(trees, text) if not taken & {p for p, _, _ in x.covers})
    found.extend(_named_label_runs(trees, {p for x in found for p, _, _ in x.covers}))
    found.extend(Across(covers, ItemList(spans, 0, covers[-1][2], True, ("I651",)), "I651")
                 for covers, spans in counted_label_runs(trees, text, {p for x in found for p, _, _ in x.covers}))
    return sorted(found, key=lambda x: x.covers[0][0])


def as_options(x: Across) -> Options:
    """The list as options of its last piece."""
    _, lo, hi = x.covers[-1]
    return Options(x.items, lo, hi)


