"""Whether a task is high-stakes work, by the words the linter's PL112 reads.

The list lives once, in ``rules/lint.toml`` (``[words] stakes``): the builder
adds a check after a merge of parallel gatherers on exactly the work the
linter would call unverified, so the two never disagree about what is at
stake. Only the rule file is shared; no linter code is imported here.
"""

from __future__ import annotations

import re
from functools import cache

from planner.resources import data_file
from planner.rulefile import read_rule_file


@cache
def _stakes_pattern() -> re.Pattern[str] | None:
    rt = read_rule_file(data_file("rules", "lint.toml"))
    words = rt.data.get("words", {}).get("stakes", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise rt.error("[words] stakes must be a list of strings", None)
    if not words:
        return None
    # Whole words, as the linter matches them ("unsecured" is not "secure").
    return re.compile(r"\b(?:" + "|".join(re.escape(w.lower()) for w in words) + r")\b")


def stakes_word(text: str) -> str | None:
    """The first word in ``text`` that marks the work as high-stakes, or None."""
    pattern = _stakes_pattern()
    m = pattern.search(text.lower()) if pattern is not None else None
    return m.group(0) if m else None
