"""T027: a word no list knows, opening a segment inside a series of commands, is a command.

Task writers clip and respell their verbs ("regrout the tiles", "repro it on
staging", "enrol the new members", "impl the parser"): words the verb lexicon
does not list and the treebank saw rarely or never, so the tagger guesses a
noun and the stage is lost, or read as part of the stage before it. Inside a
series of comma segments whose neighbours both open with commands ("sand the
shelf, regrout the tiles, then repaint the porch"), the segment's first
word is in a verb's place. It is re-tagged a verb when the treebank knows it
only as a verb, or not at all (a clipped or respelled form), and what follows
it can be its object. A word the treebank knows as a noun ("buy eggs, party
hats, then wrap them") stays a noun: only the lexicon (T002, T019) makes such
a word a command.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Sequence
from functools import cache

from planner.parser import clauses as S
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import Words

doc_only(
    "T027", "unlisted-verb-in-a-command-series",
    "A word no verb list knows ('recalc', 'enrol', 'repro') opening a comma segment between two commands is a command, when the treebank knows it only as a verb or not at all.",
    """Writers clip and respell verbs ("regrout the tiles", "enrol the
    members", "repro it"), and the tagger, which never saw the form, reads
    a noun: the stage is lost. Between a segment that opens with a command
    and a later one that opens with a command, the first word of a segment
    is in a verb's place; it is re-tagged a verb when the treebank knew it
    only as a verb or never saw it, and what follows can be its object or
    the segment's end. A word the treebank saw as a noun ("buy eggs, party
    hats, then wrap them") is left to the lexicon readings (T002, T019).""",
)

doc_only(
    "S201", "unlisted-verb-after-scope",
    "'For each, redraft, get comments, finalise', 'for both: shortlist, interview, then publish': a word no list knows opening the first segment after a stage list's scope is its first command, when the next segment opens with one.",
    """T027 reads a clipped or respelled verb between two commands; the first
    stage of a list said for each item has a command after it only. When the
    segment before is the scope itself ("for each", "for each one", "for
    both") or the segment opens right after a colon, the word in the
    first stage's place is re-tagged a verb on the same terms as T027: the
    treebank knew it only as a verb or never saw it, and what follows can be
    its object or the segment's end.""",
)

# What may follow the first command of a stage list (S201): the segment's end or its object's opening word.
_SEGMENT_ENDS = frozenset({",", ";", "."})
_OBJECT_OPENERS = frozenset({"DET", "PRON", "ADP", "PART", "NUM"})
# The words of a segment that only scopes the stages after it ("for each", "for each one", "for both").
_SCOPE_SEGMENTS = frozenset({("for", "each"), ("for", "each", "one"), ("for", "both"), ("each",), ("each", "one")})

# Where a run of comma segments starts: the sentence, a colon, a semicolon.
_RUN_STARTS = frozenset({":", "：", ";"})
_SENTENCE_ENDS = frozenset({".", "!", "?"})
# Words that may stand between the comma and a segment's command (", then pull", ", and send").
_SEGMENT_OPENERS = frozenset({"and", "then", "&"})
# Tags the guessed word may have had.
_GUESSED = frozenset({"NOUN", "PROPN", "ADJ", "X", "ADV", "NUM"})
# What may follow a command at the start of its segment: its object, a particle, the segment's end.
# Not "and"/"or": a word joined straight to the next one is a member of a list of things.
_AFTER_VERB = frozenset({"DET", "PRON", "NOUN", "PROPN", "NUM", "ADJ", "ADP", "PART", "PUNCT", "ADV"})


@cache
def _known() -> Sequence[str]:
    from planner import syntax

    return syntax.default_model().lemmatiser.known


def _other_senses(low: str) -> bool:
    """Whether the treebank saw the word, as the lemmatiser reads it under that tag, as
    anything but a verb ("laptops" as the noun "laptop", "smaller" as the adjective "small")."""
    from planner import syntax

    lemmatiser = syntax.default_model().lemmatiser
    known = _known()
    for tag in ("NOUN", "PROPN", "ADJ", "ADV"):
        key = f"{tag}\t{lemmatiser.lemma(low, tag)}"
        k = bisect_left(known, key)
        if k < len(known) and known[k] == key:
            return True
    return False


def verb_sense(low: str) -> bool:
    """Whether the treebank saw the word as a verb, under the lemma the lemmatiser gives it as one (T101)."""
    from planner import syntax

    key = f"VERB\t{syntax.default_model().lemmatiser.lemma(low, 'VERB')}"
    known = _known()
    k = bisect_left(known, key)
    return k < len(known) and known[k] == key


def _verb_only(form: str) -> bool:
    """A lower-case word the treebank knows only as a verb, or not at all, in a bare form: a
    capital names something ("Zermatt", "ChatGPT"), and a command has no "-s" ending (an
    unknown word ending in one is a plural noun or a contraction written without its
    apostrophe)."""
    if len(form) < 3 or not form.isalpha() or not form.islower():
        return False
    if form.endswith("s") and not form.endswith("ss"):
        return False
    return not _other_senses(form)


def _segment_starts(lows: Sequence[str], lo: int, hi: int) -> list[int]:
    """The first word of each comma segment of ``lows[lo:hi]`` (past "and"/"then" after the comma)."""
    starts = [lo]
    for k in range(lo, hi):
        if lows[k] == ",":
            j = k + 1
            while j < hi and lows[j] in _SEGMENT_OPENERS:
                j += 1
            if j < hi:
                starts.append(j)
    return starts


def unlisted_series_verbs(forms: Sequence[str], out: list[str], why: list[str]) -> None:
    """T027 over one sentence's tags: changes ``out`` and ``why`` in place."""
    lows = [f.lower() for f in forms]
    n = len(lows)
    lo = 0
    for hi in [*(k for k in range(n) if lows[k] in _RUN_STARTS or lows[k] in _SENTENCE_ENDS), n]:
        starts = _segment_starts(lows, lo, hi)
        for a, b, c in zip(starts, starts[1:], starts[2:], strict=False):
            if out[a] != "VERB" or out[c] != "VERB" or out[b] not in _GUESSED:
                continue
            if not _verb_only(forms[b]) or (b + 1 < n and out[b + 1] not in _AFTER_VERB):
                continue
            out[b], why[b] = "VERB", "T027"
        _first_after_scope(forms, lows, out, why, lo, starts)
        lo = hi + 1


def _first_after_scope(forms: Sequence[str], lows: Sequence[str], out: list[str], why: list[str], lo: int, starts: Sequence[int]) -> None:
    """S201: the first segment after a colon or after a scope segment ("for each, redraft, ...")."""
    n = len(lows)
    for idx, (a, b) in enumerate(itertools.pairwise(starts)):
        if idx == 0:
            scoped = lo > 0 and lows[lo - 1] in (":", "：")
        else:
            seg = tuple(x for x in lows[starts[idx - 1] : a] if x != ",")
            # "— for each, redraft ...": the scope may close a longer segment when "for" opens it
            scoped = seg in _SCOPE_SEGMENTS or any(len(x) >= 2 and x[0] == "for" and seg[-len(x):] == x for x in _SCOPE_SEGMENTS)
        if not scoped or out[b] != "VERB" or out[a] not in _GUESSED or why[a]:
            continue
        # a label is a noun before a dash or a noun ("payroll - ...", "metric naming"); a command
        # ends its segment or takes an object opened by a determiner, pronoun or preposition
        if not _verb_only(forms[a]) or (a + 1 < n and lows[a + 1] not in _SEGMENT_ENDS and out[a + 1] not in _OBJECT_OPENERS):
            continue
        out[a], why[a] = "VERB", "S201"


# Relations the parser gives a verb it saw only as a modifier of the noun after it ("enrol members").
_MODIFIER_RELS = frozenset({"amod", "compound", "nmod", "nsubj", "acl"})
_NOUN_PHRASE = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM"})


def series_arcs(tags: Sequence[str], arcs: list[tuple[int, str]], why: Sequence[str]) -> list[tuple[int, str]]:
    """T027 in the tree: a re-tagged verb the parser still hung on the noun after it as a
    modifier ("enrol members" as one noun phrase) takes that noun as its object, and is
    coordinated with the command of the segment before it. The caller checks the result
    is still a tree."""
    new = list(arcs)
    for b in (k for k, code in enumerate(why) if code == "T027"):
        h, rel = arcs[b]
        if h <= b or rel not in _MODIFIER_RELS or tags[h] not in ("NOUN", "PROPN"):
            continue
        if any(tags[k] not in _NOUN_PHRASE for k in range(b + 1, h)):
            continue
        a = next((k for k in range(b - 1, -1, -1) if tags[k] == "VERB"), None)
        if a is None:
            continue
        new[h] = (b, "obj")
        new[b] = (a, "conj")
    return new


def series_command(t: Tree, i: int, w: Words) -> bool:
    """T027's word where the grammar asks for work: the step model, which never saw the
    clipped form, is not asked again (the series already says it is a command)."""
    return getattr(t.words[i], "retagged", "") in ("T027", "S201") and S.asked_verb(t, i, w)
