"""Bare words between stage arrows are stages (I330).

Engineers write a pipeline as words joined by arrows: "template -> lint ->
dry-run", "spec -> build -> smoke test". The tagger reads many such words as
nouns ("template", "dry-run"), so no clause reading makes them steps, and a
chain of three stages comes out as one step, or as none. Between arrows a
short part with no verb of its own still names a stage when another part of
the same chain reads a step and the word is work: a verb the role table
knows, a noun that names work ("a review", "the migration"), or a word of
[stage_words] in rules/words.toml (names of stages that are neither:
"template", "dry-run", "canary").

A part that opens with a determiner or a number ("-> one table", "-> a
summary") names a result, not a stage (S141 reads such notes as the step
that joins); a capitalised word ("-> Postgres") names a thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from planner import tomlcache
from planner.errors import RuleFileError
from planner.parser.clauses import Pred, noun_verb
from planner.parser.front import _ARROW_CORE
from planner.parser.readings import doc_only, reading
from planner.parser.tree import Tree
from planner.parser.words import Words

# A stage between arrows is a word or two ("dry run", "smoke test"); longer parts are
# clauses the clause readings have read or rightly left alone.
_MAX_WORDS = 3
# Tags a bare stage word may carry: the tagger reads "template", "lint" or "canary" as any of these.
_STAGE_TAGS = frozenset({"NOUN", "VERB", "ADJ", "X", "PROPN"})


@cache
def _stage_words() -> frozenset[str]:
    table = tomlcache.read_builtin("words.toml", "word classes").get("stage_words", {})
    vals = table.get("words", []) if isinstance(table, dict) else None
    if not isinstance(vals, list) or not all(isinstance(v, str) for v in vals):
        raise RuleFileError("[stage_words] words must be a list of words", path="rules/words.toml")
    return frozenset(v.lower() for v in vals)


def _pieces(trees: Sequence[Tree], text: str) -> list[list[tuple[Tree, int, int]]]:
    """Runs of arrow-joined pieces: (tree, first word, end word) of each part of a chain.

    A tree may hold several parts ("... : template" is the last part of its own
    sentence); a part is the words after the last colon or arrow before it, up
    to the next arrow, or to the sentence's end."""
    chains: list[list[tuple[Tree, int, int]]] = []
    current: list[tuple[Tree, int, int]] = []
    prev: Tree | None = None
    for t in trees:
        if not len(t):
            continue
        gap = text[prev.words[-1].end : t.words[0].start] if prev is not None and prev.words else ""
        if not (prev is not None and _ARROW_CORE.search(gap)):
            if len(current) >= 2:
                chains.append(current)
            current = []
            # the chain's first part: the words after the sentence's last colon (the heading before it
            # names what the chain is for)
            colon = max((k for k in range(len(t)) if t.words[k].text in (":", "：")), default=-1)
            lo = colon + 1
            if len(t) - lo > _MAX_WORDS:
                # "each one goes through layout -> ...": the bare words that end the sentence before the arrow
                lo = len(t)
                while lo > colon + 1 and len(t) - lo < _MAX_WORDS and (t.words[lo - 1].upos in _STAGE_TAGS or t.words[lo - 1].text == "-"):
                    lo -= 1
                if lo > colon + 1 and t.words[lo - 1].upos not in ("ADP", "VERB", "AUX"):
                    lo = len(t)  # only after a verb or preposition ("goes through", "is") do the words start a stage
            current.append((t, lo, len(t)))
        else:
            current.append((t, 0, len(t)))
        prev = t
    if len(current) >= 2:
        chains.append(current)
    return chains


def _stage_word(t: Tree, lo: int, hi: int, text: str, w: Words) -> tuple[int, str] | None:
    """(head word, verb) when ``t[lo:hi]`` is a bare word or two naming a stage of work."""
    idx = [k for k in range(lo, hi) if t.words[k].upos != "PUNCT" or t.words[k].text == "-"]
    if not idx or len(idx) > _MAX_WORDS or idx[0] != lo:
        return None
    if any(t.words[k].upos not in _STAGE_TAGS and t.words[k].text != "-" for k in idx):
        return None  # "one table", "a summary", "Postgres": a result or a thing, not a stage
    said = text[t.words[idx[0]].start : t.words[idx[-1]].end]
    if said[:1].isupper() and not said.isupper() and lo > 0:
        return None
    low = re.sub(r"\s+", " ", said.lower())
    head = max((k for k in idx if t.words[k].text != "-"), key=lambda k: (t.words[k].upos in ("NOUN", "VERB"), k))
    if low in _stage_words():
        return head, low
    for k in (head, idx[0]):
        lemma = t.lemma(k) or t.low(k)
        if w.role_of(lemma) is not None and lemma not in w.not_work_nouns:
            return k, lemma
        if (verb := noun_verb(lemma, w)) is not None:
            return k, verb
    return None


# The longest label before a colon whose comma list may hold stages ("frontend:", "the billing db:").
_LABEL_WORDS = 5


def _label_lists(t: Tree) -> list[list[tuple[Tree, int, int]]]:
    """The comma lists after a short label and its colon ("frontend: template, lint, dry-run"), one per
    label: the sentence's start or the words after each ";" open a label."""
    out: list[list[tuple[Tree, int, int]]] = []
    starts = [0, *(k + 1 for k in range(len(t)) if t.words[k].text == ";")]
    for a, b in zip(starts, [*starts[1:], len(t) + 1], strict=True):
        end = min(b - 1, len(t))
        colon = next((k for k in range(a, min(end, a + _LABEL_WORDS + 1)) if t.words[k].text in (":", "：")), None)
        if colon is None or colon == a:
            continue
        if any(t.words[k].text == "," or t.words[k].upos == "NUM" for k in range(a, colon)) or (
                colon + 1 < len(t) and t.words[colon + 1].text == "("):
            continue  # "Two jobs, no overlap: (a) ...": a lead that counts or marks its parts is no label
        parts: list[tuple[Tree, int, int]] = []
        s = colon + 1
        for k in range(colon + 1, end + 1):
            if k == end or t.words[k].text in (",", ";"):
                if k > s:
                    parts.append((t, s, k))
                s = k + 1
        if len(parts) >= 2:
            out.append(parts)
    return out


@reading("I330", "bare-stage-words", "Bare words between arrows ('template -> lint -> dry-run') or in the comma list after a label ('api: template, lint, dry-run') are stages, whatever their tag, when another part reads a step.")
def chain_stages(trees: Sequence[Tree], preds: Sequence[Pred], text: str, w: Words) -> list[Pred]:
    """The predicates with a step added for every bare stage word of an arrow chain.

    A part of a chain that holds no step and is a word or two of work
    (a verb the role table knows, a noun naming work, or a word of
    [stage_words]) is the stage it names: "template -> lint -> dry-run" is
    three stages, though the tagger reads "template" and "dry-run" as
    nouns. The same holds for the comma list after a short label and its
    colon ("frontend: template, lint, dry-run"). Another part of the chain
    or list must read a step, or every part of a chain of three or more
    must be a stage word, or two labelled lists or more must hold
    nothing but stage words; so a line of names
    joined by arrows ("mysql -> postgres") stays as it is; a part that opens
    with a determiner or number ("-> one table") names a result.
    """
    index = {id(t): n for n, t in enumerate(trees)}
    added: list[Pred] = []
    labelled = [run for t in trees for run in _label_lists(t)]

    def has_step(t: Tree, lo: int, hi: int) -> bool:
        return any(p.tree is t and lo <= p.i < hi for p in preds)

    # "frontend: template, lint, dry-run; backend: template, lint, canary": two labelled lists or more
    # of nothing but stage words are stages, though no word of them reads a step
    staged = [run for run in labelled if all(_stage_word(t, lo, hi, text, w) is not None for t, lo, hi in run)]
    parallel = {id(run) for run in staged} if len(staged) >= 2 else set()
    dropped: set[int] = set()
    for run in staged if parallel else []:
        t, lo, _ = run[0]
        colon = lo - 1
        for p in preds:
            # the label read as a step ("frontend" tagged as a verb): a name, not work
            if p.tree is t and p.i == colon - 1 and (colon == 1 or t.words[colon - 2].text == ";") and w.role_of(p.verb) is None:
                dropped.add(id(p))
    preds = [p for p in preds if id(p) not in dropped]
    for chain in [*_pieces(trees, text), *labelled]:
        # three stage words or more joined by arrows are a chain of stages by themselves
        # ("storyboard -> rough cut -> final cut"); two could be a move from one thing to another
        staged_chain = len(chain) >= 3 and chain not in labelled and all(_stage_word(t, lo, hi, text, w) is not None for t, lo, hi in chain)
        if id(chain) not in parallel and not staged_chain and not any(has_step(t, lo, hi) for t, lo, hi in chain):
            continue
        # I543: in an arrow chain of three parts or more whose other parts all read work, a
        # bare part between them is a stage too, named by its head ("sketch -> model -> rig")
        worked = [has_step(t, lo, hi) or _stage_word(t, lo, hi, text, w) is not None for t, lo, hi in chain]
        placed = chain not in labelled and len(chain) >= 3 and worked.count(False) == 1
        # S371: the first part is a stage too when a label's colon before it names what the chain is for
        # (and no step is read on the label itself: "audit log:" read as work keeps its words)
        labelled_first = placed and not worked[0] and _after_label(*chain[0]) and not has_step(chain[0][0], 0, chain[0][1])
        for n, ((t, lo, hi), work) in enumerate(zip(chain, worked, strict=True)):
            if has_step(t, lo, hi):
                continue
            found = _stage_word(t, lo, hi, text, w)
            code = "I330"
            if found is None and placed and not work and (worked[0] or (n == 0 and labelled_first)):
                found, code = _bare_part(t, lo, hi, text, singular=n == 0), "I543" if n else "S371"
            if found is None:
                continue
            k, verb = found
            added.append(Pred(t, k, verb, "verb", [code], anchor=k))
    if not added:
        return list(preds)
    return sorted([*preds, *added], key=lambda p: (index.get(id(p.tree), -1), p.i))


@reading("I543", "stage-by-its-place", "In an arrow chain of three parts or more whose other parts all read work ('concept sketch -> model -> rig -> test'), a bare noun part of a word or two is a stage too, named by its head.")
def _bare_part(t: Tree, lo: int, hi: int, text: str, singular: bool = False) -> tuple[int, str] | None:
    """(head word, name) of a bare part of an arrow chain: a word or two of lower-case nouns.

    The arrows say every part is a stage; a part that names no work the
    lexicon knows ("rig", "backfill schema") still stands between two
    stages, so when every other part of a chain of three or more reads
    work it is one too. A part with a determiner or number ("-> one
    table"), a capital ("-> Postgres") or more than two words names a
    result or a thing, and the chain's first part is left alone (it may
    name what the chain is for).
    """
    idx = [k for k in range(lo, hi) if t.words[k].upos != "PUNCT" or t.words[k].text == "-"]
    if not idx or len(idx) > 2 or idx[0] != lo:
        return None
    if any(t.words[k].upos not in ("NOUN", "VERB", "ADJ", "PROPN", "X") for k in idx):  # a lone word is tagged as if it opened a sentence
        return None
    said = text[t.words[idx[0]].start : t.words[idx[-1]].end]
    if not said.islower():
        return None
    head = idx[-1]
    if singular and t.low(head) != (t.lemma(head) or t.low(head)):
        return None  # "invoices -> OCR -> ledger": things in a plural are the chain's input (S371)
    return head, t.lemma(head) or t.low(head)


doc_only(
    "S371", "labelled-chain-first-stage",
    "In 'audit log: schema -> migration -> backfill' the first part is a stage too: after a label's colon, which names what the chain is for, a bare singular noun first in an arrow chain whose other parts all read work is the chain's first stage.",
    """I543 leaves a chain's first part alone, since it may name what the
    chain works on ("invoices -> OCR -> ledger"). When a short label and its
    colon come right before the chain ("audit log: schema -> migration ->
    backfill"), the label names the stream and the first part has no such
    job: a word or two of lower-case nouns, the last one singular, with
    every other part of a chain of three or more reading work, is the first
    stage, named by its head. A plural stays a thing.""",
)


def _after_label(t: Tree, lo: int, hi: int) -> bool:
    """Whether the part ``t[lo:hi]`` follows a label's colon ("audit log: schema -> ...")."""
    return 1 < lo < len(t) and t.words[lo - 1].text in (":", "：")


# Words that open a part of a bracket without being its work ("then", "and then", "finally").
_PART_OPENERS = frozenset({"then", "and", "after", "that", "finally", "first", "next", "last", "lastly"})
# Marks between the parts of a bracket of stages.
_PART_MARKS = frozenset({",", ";", "->", "→", "=>", "⇒"})


def _parts(t: Tree, lo: int, hi: int) -> list[tuple[int, int]]:
    """The parts of the bracket ``t[lo:hi]``, cut at commas, semicolons, arrows and "then"."""
    out: list[tuple[int, int]] = []
    s = lo
    for k in range(lo, hi):
        cut = t.words[k].text in _PART_MARKS or (t.low(k) == "then" and k > s)
        if cut:
            if k > s:
                out.append((s, k))
            s = k if t.low(k) == "then" else k + 1
    if hi > s:
        out.append((s, hi))
    return out


def _work_word(t: Tree, lo: int, hi: int, text: str, w: Words) -> tuple[int, str] | None:
    """The word naming the work of a bracket part: its first word when that is a stage
    ("draft", "dry-run"), else a verb of the part ("the editor reviews it", "ink it")."""
    while lo < hi and t.low(lo) in _PART_OPENERS:
        lo += 1
    if lo >= hi:
        return None
    if (found := _stage_word(t, lo, hi, text, w)) is not None:
        return found
    for k in range(lo, hi):
        lemma = t.lemma(k) or t.low(k)
        if w.role_of(lemma) is None or lemma in w.not_work_nouns:
            continue
        # the part's first word ("print the flyers"), a word read as a verb, or a verb after its
        # doer ("the SRE agent reviews"): the tagger often reads that last one as a plural noun
        if k == lo or t.words[k].upos == "VERB" or (t.words[k - 1].upos in ("NOUN", "PROPN") and t.low(k).endswith("s")):
            return k, lemma
    return None


@reading("I331", "bracketed-stage-words", "Things each followed by a bracket of short stages ('the runbook (draft, then the SRE agent reviews) and the guide (draft, review)') have those stages read as steps, whatever the tagger made of them; I261 makes them streams.")
def bracket_stages(trees: Sequence[Tree], preds: Sequence[Pred], text: str, w: Words) -> list[Pred]:
    """The predicates with a step for every part of a bracket of stages that holds none.

    Where two brackets or more of one sentence each follow a name and
    hold nothing but short parts of work cut by commas, arrows or "then"
    ("(sketch, then ink it)", "(draft, then the editor reviews)"), every
    part is a stage: its first word when that names work, else its verb,
    even where the tagger read it as a noun ("reviews") or as a modifier
    of the name ("draft"). One bracket must hold two parts or more; a
    bracket with a part that names no work ("(Snowflake, dbt)", "(due
    Friday)") is no bracket of stages and adds nothing.
    """
    from planner.parser.lines import _name_before

    index = {id(t): n for n, t in enumerate(trees)}
    added: list[Pred] = []
    for t in trees:
        found: list[list[tuple[int, str]]] = []
        for lo, hi in t.brackets():
            if _name_before(text, t, lo) is None:
                continue
            words: list[tuple[int, str]] = []
            for a, b in _parts(t, lo + 1, hi):
                have = [p for p in preds if p.tree is t and a <= p.i < b]
                got = (have[0].i, "") if have else _work_word(t, a, b, text, w)
                if got is None:
                    words = []
                    break
                words.append(got)
            if words:
                found.append(words)
        if len(found) < 2 or max(len(x) for x in found) < 2:
            continue
        for words in found:
            added.extend(Pred(t, k, verb, "verb", ["I331"], anchor=k) for k, verb in words if verb)
    if not added:
        return list(preds)
    return sorted([*preds, *added], key=lambda p: (index.get(id(p.tree), -1), p.i))


# The particle of a phrasal verb written as one noun with it ("backup", "cleanup", "rollout").
_PARTICLES = frozenset({"up", "out", "over", "off", "down", "back"})
# Words that open a comma segment of a command list before its command (", then patch", ", and reboot").
_SEGMENT_OPENERS = frozenset({"then", "and", "finally", "next", "also"})


def _opens_with_step(t: Tree, lo: int, hi: int, steps: set[int]) -> bool:
    k = lo
    while k < hi and t.low(k) in _SEGMENT_OPENERS:
        k += 1
    return k in steps


@reading("I480", "bare-stage-word-in-a-command-list", "In the comma list after a colon whose other segments each open with a command ('both sites need the same: backup, patch the server, then reboot it'), a segment that is a bare word of work is a stage too, whatever its tag.")
def listed_stage_words(trees: Sequence[Tree], preds: Sequence[Pred], text: str, w: Words) -> list[Pred]:
    """The predicates with a step for a bare stage word among commands after a colon.

    Stages said for several things are often a list after a colon in which
    one stage is a single word that is also a noun: "backup", "cleanup",
    "review", "sketch". The tagger reads it as a noun, no clause reading
    makes it a step, and each stream loses that stage. I330 reads such
    words after a short label; after a longer lead ("the shop and the blog
    need the same thing done:") the list is one of stages when every
    other segment opens with a command, and there are two such segments
    or more. A list of things after a colon ("three files: setup, config
    and the readme") has segments that open with no command and adds
    nothing; a word that names no work ("milk", "config") adds nothing.
    """
    index = {id(t): n for n, t in enumerate(trees)}
    added: list[Pred] = []
    for t in trees:
        steps = {p.i for p in preds if p.tree is t}
        for colon in (k for k in range(1, len(t)) if t.words[k].text in (":", "：")):
            end = next((k for k in range(colon + 1, len(t)) if t.words[k].text in (":", "：", ";", ".", "!", "?")), len(t))
            parts: list[tuple[int, int]] = []
            s = colon + 1
            for k in range(colon + 1, end + 1):
                if k == end or t.words[k].text == ",":
                    if k > s:
                        parts.append((s, k))
                    s = k + 1
            commands = [part for part in parts if _opens_with_step(t, *part, steps)]
            if len(commands) < 2 or len(commands) == len(parts):
                continue
            bare = [(a, b) for a, b in parts if (a, b) not in commands]
            found = [_stage_word(t, a, b, text, w) for a, b in bare]
            if any(f is None for f in found) or any(any(k in steps for k in range(a, b)) for a, b in bare):
                continue
            for k, verb in (f for f in found if f is not None):
                # "backup" read as "back": the step keeps the word that names it
                said = t.low(k) if t.low(k).startswith(verb) and t.low(k) != verb and t.low(k)[len(verb):] in _PARTICLES else verb
                added.append(Pred(t, k, said, "verb", ["I480"], anchor=k))
    if not added:
        return list(preds)
    return sorted([*preds, *added], key=lambda p: (index.get(id(p.tree), -1), p.i))


def bare_stages(trees: Sequence[Tree], preds: Sequence[Pred], text: str, w: Words) -> list[Pred]:
    """I330, I331 and I480: stages the clause readings left unread, between arrows, in brackets and in command lists."""
    return listed_stage_words(trees, bracket_stages(trees, chain_stages(trees, preds, text, w), text, w), text, w)
