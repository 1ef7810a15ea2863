"""Annotated task descriptions: the project's own corpus format, checked and turned into gold graphs.

A corpus row (see ``corpus/README.md``) is a task text with the steps a careful
planner would read from it: each step names the words that ask for it
(``says``, an exact substring of the task), the parallel item it covers
(``item``), its role and the steps it must wait for (``after``). This module
validates rows (one located error per problem) and gives each row's gold step
graph, so the parser can be scored on steps, order and items, not only on a
shape label.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from planner.errors import InputError
from planner.plan.model import PATTERNS

ROLES = frozenset(
    {
        "explore", "scout", "design", "implement", "draft", "test",
        "review", "critique", "compare", "decide", "synthesize", "integrate",
    }
)  # fmt: skip
_ROW_KEYS = frozenset({"id", "writer", "domain", "task", "pattern", "ok", "steps", "items", "loop", "note"})
_STEP_KEYS = frozenset({"id", "says", "item", "role", "after", "implied"})


@dataclass(frozen=True)
class GoldStep:
    id: str
    says: tuple[int, int]  # character span of the words asking for the work
    item: tuple[int, int] | None  # character span of the item's name, if the step covers one item
    role: str
    after: tuple[str, ...]
    implied: bool


@dataclass(frozen=True)
class GoldRow:
    id: str
    writer: str
    domain: str
    task: str
    pattern: str
    ok: tuple[str, ...]
    steps: tuple[GoldStep, ...]
    items: tuple[tuple[int, int], ...]
    rounds: int | None
    looped: tuple[str, ...]
    count: int | None  # "count: N" from the note: parallel work counted but not named

    @property
    def graph(self) -> nx.DiGraph:
        """The gold step graph, transitively reduced (an edge is a direct need)."""
        g = nx.DiGraph()
        g.add_nodes_from(s.id for s in self.steps)
        g.add_edges_from((a, s.id) for s in self.steps for a in s.after)
        return nx.transitive_reduction(g) if g.number_of_edges() else g

    @property
    def shape(self) -> str:
        return graph_shape(self.graph)

    @property
    def branches(self) -> int:
        """How many parallel workers the text names (items, else a stated count, else 1)."""
        if len(self.items) >= 2:
            return len(self.items)
        return self.count if self.count and self.count >= 2 else 1

    def text_of(self, span: tuple[int, int]) -> str:
        return self.task[span[0] : span[1]]


def graph_shape(g: nx.DiGraph) -> str:
    """``single`` (one step or none), ``chain`` (one simple path) or ``dag``."""
    n = g.number_of_nodes()
    if n <= 1:
        return "single"
    if g.number_of_edges() == n - 1 and all(g.in_degree(v) <= 1 and g.out_degree(v) <= 1 for v in g):
        return "chain"
    return "dag"


def _locate(task: str, needle: str, after: int, where: str) -> tuple[int, int]:
    """Span of ``needle`` in ``task``: the first occurrence at or after ``after``, else the first."""
    if not needle:
        raise InputError(f"{where}: empty text")
    at = task.find(needle, after)
    if at < 0:
        at = task.find(needle)
    if at < 0:
        raise InputError(f"{where}: {needle!r} is not a substring of the task")
    return at, at + len(needle)


def _count_from_note(note: object) -> int | None:
    if not isinstance(note, str):
        return None
    low = note.lower()
    at = low.find("count:")
    if at < 0:
        return None
    digits = ""
    for ch in low[at + 6 :].lstrip():
        if not ch.isdigit():
            break
        digits += ch
    return int(digits) if digits and len(digits) <= 6 else None


def read_row(raw: Mapping[str, Any], where: str) -> GoldRow:
    """Check one annotated row and return it with spans resolved."""
    unknown = set(raw) - _ROW_KEYS
    if unknown:
        raise InputError(f"{where}: unknown keys {sorted(unknown)}")
    task = raw.get("task")
    if not isinstance(task, str) or not task.strip():
        raise InputError(f"{where}: 'task' must be a non-empty string")
    row_id = str(raw.get("id", where))
    where = f"{where} ({row_id})"
    pattern = raw.get("pattern")
    if pattern not in PATTERNS:
        raise InputError(f"{where}: unknown pattern {pattern!r}")
    ok = raw.get("ok") or []
    if not isinstance(ok, list) or any(p not in PATTERNS for p in ok):
        raise InputError(f"{where}: 'ok' must list pattern slugs")
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise InputError(f"{where}: 'steps' must be a non-empty list")
    steps: list[GoldStep] = []
    seen: set[str] = set()
    cursor = 0
    for k, s in enumerate(raw_steps):
        sw = f"{where} step {k + 1}"
        if not isinstance(s, dict):
            raise InputError(f"{sw}: must be an object")
        if set(s) - _STEP_KEYS:
            raise InputError(f"{sw}: unknown keys {sorted(set(s) - _STEP_KEYS)}")
        sid = s.get("id")
        if not isinstance(sid, str) or not sid or sid in seen:
            raise InputError(f"{sw}: missing or repeated id {sid!r}")
        says = s.get("says")
        if not isinstance(says, str):
            raise InputError(f"{sw}: 'says' must be a string")
        says_span = _locate(task, says, cursor, sw)
        item = s.get("item")
        item_span = None
        if item is not None:
            if not isinstance(item, str):
                raise InputError(f"{sw}: 'item' must be a string or null")
            item_span = _locate(task, item, 0, sw)
        role = s.get("role")
        if role not in ROLES:
            raise InputError(f"{sw}: unknown role {role!r}")
        after = s.get("after") or []
        if not isinstance(after, list) or any(a not in seen for a in after):
            raise InputError(f"{sw}: 'after' must name earlier steps, got {after!r}")
        steps.append(GoldStep(sid, says_span, item_span, str(role), tuple(after), bool(s.get("implied"))))
        seen.add(sid)
        cursor = says_span[0]
    items = raw.get("items") or []
    if not isinstance(items, list) or any(not isinstance(i, str) for i in items):
        raise InputError(f"{where}: 'items' must be a list of strings")
    item_spans = tuple(_locate(task, i, 0, f"{where} item") for i in items)
    loop = raw.get("loop")
    rounds: int | None = None
    looped: tuple[str, ...] = ()
    if loop is not None:
        if not isinstance(loop, dict) or not isinstance(loop.get("steps"), list):
            raise InputError(f"{where}: 'loop' must be null or an object with 'steps'")
        looped = tuple(str(x) for x in loop["steps"])
        if any(x not in seen for x in looped):
            raise InputError(f"{where}: 'loop' names unknown steps {looped!r}")
        r = loop.get("rounds")
        if r is not None and (not isinstance(r, int) or isinstance(r, bool) or r < 1):
            raise InputError(f"{where}: loop 'rounds' must be a positive integer or null")
        rounds = r
    return GoldRow(
        id=row_id,
        writer=str(raw.get("writer") or row_id.split("-")[0]),
        domain=str(raw.get("domain") or ""),
        task=task,
        pattern=str(pattern),
        ok=tuple(ok),
        steps=tuple(steps),
        items=item_spans,
        rounds=rounds,
        looped=looped,
        count=_count_from_note(raw.get("note")),
    )


def is_annotated(raw: Mapping[str, Any]) -> bool:
    """Whether a JSON row is in the corpus format (it has annotated steps)."""
    return isinstance(raw.get("steps"), list)


def read_corpus(path: Path) -> list[GoldRow]:
    """Every row of one corpus file; the first problem is a located ``InputError``."""
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except ValueError as exc:
            raise InputError(f"{path}:{n}: not JSON ({exc})") from None
        if not isinstance(raw, dict):
            raise InputError(f"{path}:{n}: a row must be a JSON object")
        rows.append(read_row(raw, f"{path}:{n}"))
    return rows


def read_corpora(paths: Iterable[Path]) -> list[GoldRow]:
    out: list[GoldRow] = []
    for p in paths:
        out.extend(read_corpus(p))
    return out


def by_writer(rows: Sequence[GoldRow]) -> dict[str, list[GoldRow]]:
    groups: dict[str, list[GoldRow]] = {}
    for r in rows:
        groups.setdefault(r.writer, []).append(r)
    return dict(sorted(groups.items()))


def is_annotated_file(path: Path) -> bool:
    """Whether a JSONL file holds annotated tasks (its first row has ``steps``)."""
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    return isinstance(row, dict) and is_annotated(row)
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    return False
