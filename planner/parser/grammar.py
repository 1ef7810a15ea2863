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

from collections.abc import Sequence
from dataclasses import dataclass

from planner.parser.readings import doc_only
from planner.parser.words import Words

doc_only(
    "T002", "command-verb-tag",
    "A clause that opens with a verb the lexicon knows is read as a command even where the tagger saw a noun.",
    """"Review the diff", "bisect, then fix", "rewrite, rebuild, scan": web
    text has few commands, so the tagger reads such verbs as nouns. The word is
    re-tagged VERB when it opens a clause (sentence start, after a colon,
    arrow, semicolon, "then", "please", "and", or a comma between verb
    phrases) and what follows can be its object or the end of the clause;
    the sentence is then parsed again with the corrected tags.""",
)

# Words after which a clause starts.
_OPENERS = frozenset({":", ";", "->", "=>", "→", "then", "please", "pls", "plz", "also", "first", "next", "finally", "now", "just", "kindly", "—", "–", "("})
# Joiners that open a clause only inside a list of verb phrases ("fix it and ship it"),
# never inside a list of things ("billing, search and export services").
_JOINERS = frozenset({",", "and", "&", "+", "or"})
# Tags a command verb's next word may have: its object, a particle, the end.
_FOLLOWERS = frozenset({"DET", "PRON", "NUM", "ADP", "PART", "PROPN", "NOUN", "ADJ", "ADV", "PUNCT", "SCONJ", "CCONJ", "X", "SYM"})
_NOT_AFTER = frozenset({"of", "'s", "is", "are", "was", "were", "has", "have"})


@dataclass(frozen=True)
class GWord:
    text: str
    start: int
    end: int
    lemma: str
    upos: str
    head: int
    deprel: str


def _verbish(low: str, w: Words) -> bool:
    return low in w.roles or low in w.light or low in ("fix", "bisect", "dig", "track", "pull", "push", "bump", "ship")


def correct_tags(forms: Sequence[str], tags: Sequence[str], w: Words) -> list[str]:
    """The tags with clause-opening lexicon verbs turned into VERB (T002)."""
    out = list(tags)
    lows = [f.lower() for f in forms]
    n = len(forms)
    segment_verb = False  # the previous comma segment opened with a verb
    for i in range(n):
        low = lows[i]
        prev = lows[i - 1] if i else ""
        opens = i == 0 or prev in _OPENERS or (prev in _JOINERS and segment_verb)
        if prev in _JOINERS:
            segment_verb = False
        if opens and out[i] != "VERB" and out[i] != "AUX" and _verbish(low, w):
            nxt_tag = out[i + 1] if i + 1 < n else "PUNCT"
            nxt = lows[i + 1] if i + 1 < n else ""
            if nxt_tag in _FOLLOWERS and nxt not in _NOT_AFTER and not (nxt_tag == "NOUN" and i + 2 < n and out[i + 2] == "VERB"):
                out[i] = "VERB"
        if out[i] == "VERB" and (i == 0 or prev in _OPENERS or prev in _JOINERS):
            segment_verb = True
    return out


def analyse(text: str, start: int, end: int, w: Words) -> list[list[GWord]]:
    """Sentences of ``text[start:end]`` as tagged, lemmatised and parsed words."""
    from planner import syntax
    from planner.syntax.tokenize import split

    out: list[list[GWord]] = []
    for chunk in split(text, start, end):
        forms = [t.text for t in chunk.tokens]
        if not forms:
            continue
        tags = syntax.tag(forms)
        fixed = correct_tags(forms, tags, w)
        arcs = syntax.parse(forms, fixed)
        lemmas = syntax.lemmatise(forms, fixed)
        out.append(
            [
                GWord(tok.text, tok.start, tok.end, lemma, tag, head, rel)
                for tok, tag, lemma, (head, rel) in zip(chunk.tokens, fixed, lemmas, arcs, strict=True)
            ]
        )
    return out
