"""The pattern catalog (``rules/patterns.toml``): slugs, names, when to use each."""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from planner.plan.model import PATTERNS
from planner.resources import data_file
from planner.rulefile import expect_keys, read_rule_file


class PatternInfo(NamedTuple):
    slug: str
    name: str
    use_when: str
    why: str
    shape: str
    also_known_as: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "name": self.name,
            "use_when": self.use_when,
            "why": self.why,
            "shape": self.shape,
            "also_known_as": list(self.also_known_as),
        }


@cache
def load_catalog() -> tuple[PatternInfo, ...]:
    """Every pattern in catalog order; the file must cover exactly the known slugs."""
    rt = read_rule_file(data_file("rules", "patterns.toml"))
    entries = rt.data.get("pattern")
    if not isinstance(entries, list):
        raise rt.error("expected [[pattern]] tables", None)
    out: list[PatternInfo] = []
    for i, entry in enumerate(entries):
        table = expect_keys(
            rt,
            entry,
            header="pattern",
            index=i,
            required=("slug", "name", "use_when", "why", "shape"),
            optional=("also_known_as",),
            what=f"pattern #{i + 1}",
        )
        for key in ("slug", "name", "use_when", "why", "shape"):
            if not isinstance(table[key], str) or not table[key].strip():
                raise rt.error(f"pattern #{i + 1}: key '{key}' must be a non-empty string", "pattern", i, key)
        if table["slug"] not in PATTERNS:
            raise rt.error(f"unknown pattern slug '{table['slug']}'", "pattern", i, "slug")
        aka = table.get("also_known_as", [])
        if not isinstance(aka, list) or not all(isinstance(a, str) for a in aka):
            raise rt.error("key 'also_known_as' must be a list of strings", "pattern", i, "also_known_as")
        out.append(
            PatternInfo(table["slug"], table["name"], table["use_when"], table["why"], table["shape"], tuple(aka))
        )
    slugs = [p.slug for p in out]
    missing = [s for s in PATTERNS if s not in slugs]
    if missing or len(set(slugs)) != len(slugs):
        raise rt.error(f"catalog must list each pattern once (missing: {', '.join(missing) or 'none'})")
    return tuple(out)


def pattern_info(slug: str) -> PatternInfo:
    for p in load_catalog():
        if p.slug == slug:
            return p
    raise KeyError(slug)
