"""Is a plan right inside? Score a plan against an annotated corpus row.

A plan can carry the right pattern name and still send agents to the wrong
work. For one annotated row (``planner.parser.corpus``) this checks what a
correct plan must show:

- **items**: every parallel item the row names has a step of its own, whose
  id or title names that item and no sibling item;
- **steps**: every step the row annotates is found in the plan (its words in a
  step's title or objective; an item's step among the steps naming the item);
- **order**: for every annotated dependency ``a -> b`` the plan steps found
  for ``a`` and ``b`` are different steps on one dependency path, ``a`` first
  (a stage merged into the one before it, or stages side by side, fail).

A row is right inside when all three hold. Used by ``benchmarks/right_inside.py``
on the project's corpus and by the builder tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from planner.parser.corpus import GoldRow
from planner.plan.model import Plan, Step

_WORD_RE = re.compile(r"[a-z0-9]+(?:['.+#][a-z0-9]+)*")
# Words that say nothing about which work a step does: joining words, pronouns,
# and the planner's own wording around a title ("objective", "step").
_STOP = frozenset(
    ["a", "an", "the", "and", "or", "of", "to", "for", "in", "on", "at", "by", "with", "from", "into", "onto", "it", "its", "it's", "this", "that", "these", "those", "them", "they", "their", "our", "we", "us", "you", "your", "my", "me", "i", "be", "is", "are", "was", "were", "do", "does", "did", "done", "have", "has", "had", "then", "once", "after", "before", "when", "while", "each", "every", "all", "both", "one", "any", "some", "so", "as", "if", "not", "no", "but", "also", "just", "please", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "there", "here", "what", "which", "who", "how", "why", "up", "out", "over", "about", "via", "per"]
)


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower().replace("-", " ").replace("_", " "))


def content(text: str) -> set[str]:
    """The words of ``text`` that carry meaning, with plural and past endings folded."""
    return {_fold(w) for w in words(text) if w not in _STOP}


def _fold(word: str) -> str:
    for end in ("ing", "ed", "es", "s"):
        if word.endswith(end) and len(word) - len(end) >= 3:
            return word[: -len(end)]
    return word


def item_key(item: str) -> set[str]:
    """The words that name an item in a title: its first two meaningful words."""
    key = [w for w in words(item) if w not in _STOP][:2]
    return {_fold(w) for w in key} or {_fold(w) for w in words(item)[:1]}


def _step_words(step: Step) -> set[str]:
    """The meaningful words of a step's id and title."""
    return content(f"{step.id} {step.title or ''}")


# The articles an item's step leaves out ("ask-us" for "the US"), unless the item is one ("A").
_ARTICLES = frozenset({"a", "an", "the"})
# Words as written, their case kept: "IT" is a name where "it" is a pronoun.
_CASED_RE = re.compile(r"[A-Za-z0-9]+(?:['.+#][A-Za-z0-9]+)*")


def _cased(text: str) -> list[str]:
    return _CASED_RE.findall(text.replace("-", " ").replace("_", " "))


def _bare(said: list[str]) -> list[str]:
    return [w for w in said if w.lower() not in _ARTICLES] or said


def _stop_named(step: Step, item: str) -> bool:
    """An item said only in stop words ("IT", "US", "the US", "A") names a step that gives it
    the way the builders name an item's step, in whole words: an id of a verb and the item
    ("ask-it", "price-us", "rate-a-2"), a title of a verb and the item as written ("Ask
    IT", "Measure A*") or with the item beside a colon ("Search the registers: US", "A*:
    build it"), or a title with the item in its capitals past the first word ("Draft the
    US memo"). Elsewhere such a word is a pronoun or an article ("fold-it-into-the-report",
    "Check it", "Write a summary") and names no item."""
    name = _bare(_cased(item))
    parts = words(step.id)
    if len(parts) > 2 and parts[-1].isdecimal():
        parts = parts[:-1]  # a second step of the same id ("ask-it-2")
    if len(parts) >= 2 and _bare(parts[1:]) == [w.lower() for w in name]:
        return True
    title = step.title or ""
    said = _cased(title)
    if len(said) >= 2 and _bare(said[1:]) == name:
        return True
    if any(c.isupper() for c in item) and any(said[k : k + len(name)] == name for k in range(1, len(said))):
        return True  # "IT", "A" in capitals: a pronoun or an article is so written only first
    return ":" in title and name in (_bare(_cased(title.partition(":")[0])), _bare(_cased(title.rpartition(":")[2])))


def _stop_only(item: str) -> bool:
    """The item has words and all are stop words: the title scorer's ``content`` keeps none."""
    said = words(item)
    return bool(said) and all(w in _STOP for w in said)


def _objective(step: Step) -> str:
    first = (step.prompt or "").splitlines()[0] if step.prompt else ""
    return first.split(":", 1)[1] if first.lower().startswith("objective:") else first


def names(step: Step, item: str) -> bool:
    if _stop_only(item):
        return _stop_named(step, item)
    return item_key(item) <= _step_words(step)


@dataclass(frozen=True)
class InsideResult:
    row: str
    items_ok: bool
    steps_ok: bool
    order_ok: bool
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.items_ok and self.steps_ok and self.order_ok


def _own_step(steps: Sequence[Step], item: str, siblings: Sequence[str]) -> Step | None:
    for s in steps:
        if not names(s, item):
            continue
        # A sibling whose key is inside this item's own words ("API" in "API docs") does not count.
        if any(names(s, o) and not item_key(o) <= content(item) for o in siblings if o != item):
            continue
        return s
    return None


def score_plan(row: GoldRow, plan: Plan) -> InsideResult:
    """Check one plan against one annotated row."""
    steps = list(plan.steps)
    problems: list[str] = []
    items = [row.text_of(span) for span in row.items]
    items_ok = True
    for item in items:
        if _own_step(steps, item, items) is None:
            items_ok = False
            problems.append(f"no step of its own for item {item!r}")
    graph = nx.DiGraph()
    graph.add_nodes_from(s.id for s in steps)
    graph.add_edges_from((d, s.id) for s in steps for d in s.depends_on)
    found: dict[str, str] = {}
    steps_ok = True
    for g in row.steps:
        if g.implied:
            continue
        gold_item = row.text_of(g.item) if g.item is not None else None
        match = _find(steps, row.text_of(g.says), gold_item, items)
        if match is None:
            steps_ok = False
            problems.append(f"step {g.id} ({row.text_of(g.says)!r}{f' for {gold_item!r}' if gold_item else ''}) not found")
        else:
            found[g.id] = match.id
    order_ok = True
    for a, b in _direct_needs(row):
        if a not in found or b not in found:
            continue
        pa, pb = found[a], found[b]
        if pa == pb or not nx.has_path(graph, pa, pb):
            order_ok = False
            problems.append(f"{a} -> {b}: plan steps {pa!r} and {pb!r} are not in order on one path")
    return InsideResult(row.id, items_ok, steps_ok, order_ok, tuple(problems))


def _direct_needs(row: GoldRow) -> Iterable[tuple[str, str]]:
    implied = {s.id for s in row.steps if s.implied}
    g = row.graph
    for a, b in g.edges:
        if a not in implied and b not in implied:
            yield a, b


def _find(steps: Sequence[Step], says: str, item: str | None, items: Sequence[str]) -> Step | None:
    """The plan step doing what ``says`` asks (for ``item`` when given)."""
    pool = [s for s in steps if item is None or names(s, item)] or ([] if item else steps)
    if item is None and items:
        # A step for no item in particular is not one of the item steps.
        pool = [s for s in steps if not any(names(s, i) for i in items)] or list(steps)
    want = content(says)
    best: tuple[int, Step] | None = None
    for s in pool:
        have = content(f"{s.id} {s.title or ''} {_objective(s)}")
        overlap = len(want & have)
        if overlap and (best is None or overlap > best[0]):
            best = (overlap, s)
    if best is not None:
        return best[1]
    # One step for the item and nothing in its words: it is that item's step.
    return pool[0] if item is not None and len(pool) == 1 else None


# Patterns whose parallel workers are the items a task names: one gatherer,
# approach or stream per item, all starting at once.
_PARALLEL = frozenset({"fan-out-fan-in", "competitive-evaluation", "parallel-pipelines"})


def names_workers(row: GoldRow) -> bool:
    """Whether the row names its parallel workers: two or more items under a parallel pattern."""
    return row.pattern in _PARALLEL and len(row.items) >= 2


def starts_right(row: GoldRow, plan: Plan) -> bool:
    """The plan starts as many steps at once as the row names parallel workers."""
    return sum(1 for s in plan.steps if not s.depends_on) == len(row.items)

