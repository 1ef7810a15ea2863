"""A lemmatiser learned from the treebank: exceptions, then suffix rules.

Three tables, all learned by ``planner train syntax`` and stored in the
weights file as sorted string lists (looked up with ``bisect``: nothing to
build at load time):

- exceptions: ``UPOS<TAB>form`` -> lemma, for the forms seen in training
  whose lemma the rules below would get wrong ("went" -> "go", "n't" -> "not",
  "ca" -> "can", "data" -> "data");
- suffix rules: ``UPOS<TAB>suffix`` -> an edit (cut so many characters from
  the end, add a string), learned from every training word with that ending;
  the longest known ending of a word decides ("-ying" -> cut 3 add "y" does
  not apply to "-eying": "surveying" -> "survey"); a rule never cuts more
  than its ending ("-ing" may cut three, "-g" may not), so a word the
  treebank never showed keeps its form ("debug", "plug") instead of losing
  letters to a longer ending's rule;
- known lemmas: ``UPOS<TAB>lemma`` seen in training; when the longest rule
  gives an unknown lemma and a shorter one a known lemma, the known one wins
  ("stabilized": "stabiliz" is unknown, "stabilize" is known).

Lemmas are lower case except for proper nouns (``PROPN``), which keep the
case of the text.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

MAX_SUFFIX = 7
# Tags whose lemma is the form itself (lower-cased), whatever the rules say.
IDENTITY = frozenset({"PUNCT", "SYM", "NUM", "X"})
# A prefix on an irregular form: at least two letters on at least four
# ("re" + "written"; not "c" + "left", not "his" as "h" + "is").
_MIN_PREFIX = 2
_MIN_IRREGULAR = 4
# A prefix counts as one when the treebank shows it on this many verbs that
# are verbs without it too ("re" on dozens; "snap" on none).
_PREFIX_VERBS = 3
_OPEN_TAGS = ("VERB", "NOUN", "ADJ", "ADV", "PROPN")
_MEMO_LIMIT = 100_000  # remembered (form, tag) pairs per model: a few MB at most


def edit_of(form: str, lemma: str) -> str:
    """The edit turning ``form`` into ``lemma`` as "<cut>|<add>" ("running", "run" -> "4|")."""
    p = 0
    limit = min(len(form), len(lemma))
    while p < limit and form[p] == lemma[p]:
        p += 1
    return f"{len(form) - p}|{lemma[p:]}"


def apply_edit(form: str, edit: str) -> str | None:
    cut_text, _, add = edit.partition("|")
    cut = int(cut_text)
    if cut >= len(form) and not add:
        return None
    if cut > len(form):
        return None
    return form[: len(form) - cut] + add


class Lemmatiser:
    """Looks lemmas up in sorted tables (see the module docstring)."""

    def __init__(
        self,
        exception_keys: Sequence[str],
        exception_values: Sequence[str],
        rule_keys: Sequence[str],
        rule_values: Sequence[str],
        known: Sequence[str],
    ) -> None:
        self.exception_keys = exception_keys
        self.exception_values = exception_values
        self.rule_keys = rule_keys
        self.rule_values = rule_values
        self.known = known
        # A text repeats its words: each (form, tag) is looked up once. The
        # answer depends on nothing else, so the memo never goes stale.
        self._memo: dict[tuple[str, str], str] = {}
        self._prefixes: frozenset[str] | None = None

    def lemma(self, form: str, upos: str) -> str:
        key = (form, upos)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()  # a long-lived process reading very many texts
            found = self._memo[key] = self._lemma(form, upos)
        return found

    def _lemma(self, form: str, upos: str) -> str:
        low = form.lower()
        if upos in IDENTITY:
            return low
        found = _find(self.exception_keys, upos + "\t" + low)
        if found >= 0:
            lemma = self.exception_values[found]
        else:
            lemma = self._by_prefix(low, upos) or self._by_rules(low, upos)
        if upos == "PROPN":
            return _recase(form, lemma)
        return lemma

    def _by_prefix(self, low: str, upos: str) -> str | None:
        """A prefix on an irregular form the treebank showed: "rewritten" is "re" +
        "written" -> "rewrite", "understood" -> "understand". Not for a word
        that is a lemma itself under any open tag ("present" is not "pre" + "sent",
        the noun "snapshot" is not "snap" + "shot")."""
        if any(_find(self.known, tag + "\t" + low) >= 0 for tag in (upos, *_OPEN_TAGS)):
            return None
        prefix = upos + "\t"
        for cut in range(_MIN_PREFIX, len(low) - _MIN_IRREGULAR + 1):
            found = _find(self.exception_keys, prefix + low[cut:])
            if found >= 0 and self.exception_values[found] != low[cut:] and low[:cut] in self._verb_prefixes():
                return low[:cut] + self.exception_values[found]
        return None

    def _verb_prefixes(self) -> frozenset[str]:
        """Prefixes the treebank's verbs show on other verbs ("re": "rebuild" and
        "build"; "over": "overwrite" and "write"), at least _PREFIX_VERBS times:
        "snapshot" is no "snap" + "shot". Counted on first need, which only a word
        ending in an irregular form has."""
        if self._prefixes is None:
            start = bisect_left(self.known, "VERB\t")
            end = bisect_left(self.known, "VERB\n", start)  # "\n" sorts right after the tab
            verbs = {k[5:] for k in self.known[start:end]}
            counts: dict[str, int] = {}
            for verb in verbs:
                for cut in range(_MIN_PREFIX, len(verb) - 2):
                    if verb[cut:] in verbs:
                        counts[verb[:cut]] = counts.get(verb[:cut], 0) + 1
            self._prefixes = frozenset(p for p, n in counts.items() if n >= _PREFIX_VERBS)
        return self._prefixes

    def _by_rules(self, low: str, upos: str) -> str:
        first: str | None = None
        prefix = upos + "\t"
        for size in range(min(MAX_SUFFIX, len(low)), -1, -1):
            found = _find(self.rule_keys, prefix + low[len(low) - size :])
            if found < 0:
                continue
            candidate = apply_edit(low, self.rule_values[found])
            if candidate is None:
                continue
            if first is None:
                first = candidate
            if _find(self.known, prefix + candidate) >= 0:
                return candidate
        return first if first is not None else low


def _find(keys: Sequence[str], key: str) -> int:
    i = bisect_left(keys, key)
    return i if i < len(keys) and keys[i] == key else -1


def _recase(form: str, lemma: str) -> str:
    """A proper noun's lemma in the case of its form ("Americans" -> "American")."""
    low = form.lower()
    p = 0
    limit = min(len(low), len(lemma))
    while p < limit and low[p] == lemma[p]:
        p += 1
    return form[:p] + lemma[p:]
