"""Features: numbers and flags the selection rules are written against.

Every feature is read from the TaskGraph: structure from its step graph
(computed with networkx), items, counts, streams and loops from its groups,
and cue features from the cue phrases the parser matched. Every feature has a kind (number or true/false) and a one-line meaning,
so rule files are type-checked and ``--explain`` can say what each value is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from planner.advise.conditions import Kind, Value
from planner.config import Config
from planner.parser.cues import CueCategory

if TYPE_CHECKING:
    from planner.parser.model import TaskGraph, TaskStep

# name -> (kind, meaning). Cue categories add `<cue>` (bool) and `<cue>_hits` (num).
BASE_FEATURES: dict[str, tuple[Kind, str]] = {
    "steps": ("num", "steps the parser found"),
    "depth": ("num", "steps on the longest dependency chain"),
    "width": ("num", "largest set of steps that can run at once (largest antichain)"),
    "branches": ("num", "independent parallel branches the text names"),
    "items": ("num", "the most parallel items named: branches, a listed series, or a stated count"),
    "listed": ("num", "items in the longest list of things the text names ('auth, users and admin')"),
    "actions": ("num", "items in the longest list of actions ('scrape, parse, then store')"),
    "stated": ("num", "the count the text states ('three approaches'), 0 if none"),
    "list_gather": ("bool", "the verb in front of the listed things gathers information ('research A, B and C')"),
    "list_make": ("bool", "the verb in front of the listed things builds something ('build A, B and C')"),
    "review_cycle": ("bool", "a made thing is reviewed and then made again (draft, review, revise)"),
    "roots": ("num", "steps with no dependency"),
    "words": ("num", "words in the task"),
    "sentences": ("num", "sentences in the task"),
    "stages": ("num", "distinct lifecycle stages among the steps (find, design, build, test, review)"),
    "gather_share": ("num", "share of steps that gather information"),
    "make_share": ("num", "share of steps that produce an artefact"),
    "judge_share": ("num", "share of steps that judge, compare or decide"),
    "chain": ("bool", "the steps form one simple chain of two or more"),
    "converges": ("bool", "parallel work is joined into one result (a join step or joining words)"),
    "branch_gather": ("bool", "the parallel branches mostly gather information"),
    "branch_make": ("bool", "the parallel branches mostly build things"),
    "multi_stage": ("bool", "each branch has stages of its own (build then test, write then review)"),
    "stream_stages": ("bool", "the text names streams and the stages each goes through ('for each, A, B and C')"),
    "question": ("bool", "the task is a single short question"),
    "sequenced": ("bool", "the parser found sequencing words (then, after, finally)"),
    "parallel_words": ("bool", "the parser found parallel words (each, in parallel, separately)"),
    "parser_iteration": ("bool", "the parser found iteration words"),
    "parser_alternatives": ("bool", "the parser found alternatives words"),
    "parser_exploration": ("bool", "the parser found exploration words"),
    "item_steps": ("num", "the most steps one named item goes through (1: one step per item; 3: 'for each: A, B, C')"),
    "item_make_share": ("num", "share of the per-item steps that produce an artefact (0 when no step belongs to an item)"),
    "fanned_in": ("bool", "some step waits for every parallel branch (a join in the step graph, not just joining words)"),
    "join_combine": ("bool", "the step that joins the parallel branches combines them (summarise, merge, integrate)"),
    "join_judge": ("bool", "the step that joins the parallel branches judges them (compare, decide, review)"),
    "join_make": ("bool", "the step that joins the parallel branches builds something of its own from them"),
    "after_join": ("num", "steps after the join of the parallel branches"),
    "first_gather": ("bool", "every step that starts the work gathers information"),
    "last_kind_make": ("bool", "every step that ends the work produces an artefact"),
    "role_kinds": ("num", "distinct kinds of work among the steps (gather, make, judge, combine)"),
    "versions": ("num", "the most versions or options one step asks for ('write two versions'), 0 if none"),
    "apart": ("bool", "the text says the parallel work is not to be joined ('keep the reports separate')"),
    "bounded_loop": ("bool", "the parser found repeated work with a bound (a number of rounds or a stop condition)"),
}

_LIFECYCLE = {
    "explore": "find",
    "scout": "find",
    "design": "design",
    "implement": "build",
    "draft": "build",
    "test": "test",
    "review": "review",
    "critique": "review",
}

@dataclass(frozen=True)
class Features:
    """Feature values plus what the builders need to shape a plan."""

    values: Mapping[str, Value]
    cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    branch_ids: tuple[str, ...] = ()
    stated_count: int = 0
    counted: str = ""  # what the stated count counts, as written ("mobile apps"), "" if none
    list_items: tuple[str, ...] = ()
    list_stages: tuple[str, ...] = ()  # the verbs each listed item goes through, if the text names them
    list_role: str = ""  # the role of the verb in front of the listed things ("write A, B and C" -> draft)
    grouped: bool = False  # branch_ids come from a parallel group the parser found (not just roots)
    # What the learned pattern model weighs beside the values: the text's lemmas, the
    # parser's readings that fired (their codes) and the steps' verbs.
    lemmas: frozenset[str] = frozenset()
    lemma_pairs: frozenset[str] = frozenset()  # neighbouring lemmas ("each of"): TextFacts.lemma_pairs
    readings: frozenset[str] = frozenset()
    verbs: frozenset[str] = frozenset()

    def __getitem__(self, name: str) -> Value:
        return self.values[name]

    def flag(self, name: str) -> bool:
        return bool(self.values.get(name, False))

    def number(self, name: str) -> float:
        value = self.values.get(name, 0)
        return float(value) if not isinstance(value, str) else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {name: self.values[name] for name in sorted(self.values)}


def feature_kinds(cues: Mapping[str, CueCategory]) -> dict[str, Kind]:
    """Every feature name a selection rule may use, with its kind."""
    kinds: dict[str, Kind] = {name: kind for name, (kind, _) in BASE_FEATURES.items()}
    for name in cues:
        kinds.setdefault(name, "bool")
        kinds.setdefault(f"{name}_hits", "num")
    return kinds


def feature_meanings(cues: Mapping[str, CueCategory]) -> dict[str, str]:
    meanings = {name: meaning for name, (_, meaning) in BASE_FEATURES.items()}
    for name, cat in cues.items():
        meanings.setdefault(name, cat.reason or f"cue words of category '{name}' appear")
        meanings.setdefault(f"{name}_hits", f"how many distinct '{name}' cue phrases appear")
    return meanings


def largest_antichain(graph: nx.DiGraph) -> int:
    """Width of a DAG: the most steps that can run at the same time.

    Exact by Dilworth's theorem (nodes minus a maximum matching in the
    reachability bipartite graph) for plans of ordinary size; for very large
    graphs the widest longest-path layer, a cheap lower bound.
    """
    n = graph.number_of_nodes()
    if n == 0:
        return 0
    if n > 120:
        return _widest_layer(graph)
    closure = nx.transitive_closure_dag(graph)
    bip = nx.Graph()
    left = [("L", u) for u in graph.nodes]
    bip.add_nodes_from(left, bipartite=0)
    bip.add_nodes_from((("R", v) for v in graph.nodes), bipartite=1)
    bip.add_edges_from((("L", u), ("R", v)) for u, v in closure.edges)
    matching = nx.bipartite.hopcroft_karp_matching(bip, top_nodes=left)
    return int(n - len(matching) // 2)


def _widest_layer(graph: nx.DiGraph) -> int:
    depth: dict[Any, int] = {}
    for node in nx.topological_sort(graph):
        depth[node] = 1 + max((depth[p] for p in graph.predecessors(node)), default=-1)
    counts: dict[int, int] = {}
    for d in depth.values():
        counts[d] = counts.get(d, 0) + 1
    return max(counts.values(), default=0)


def _branch_members(tg: TaskGraph) -> tuple[str, ...]:
    """Step ids of the widest parallel group, else the independent root steps."""
    groups = tg.groups
    if groups:
        name = max(sorted(groups), key=lambda g: len(groups[g]))
        if len(groups[name]) >= 2:
            return tuple(groups[name])
    # Without a parallel group, independent starting points are the branches.
    roots = tuple(s.id for s in tg.steps if tg.graph.in_degree(s.id) == 0)
    return roots if len(roots) >= 2 else ()


def _kind(role: str, config: Config) -> str:
    r = config.roles.get(role)
    return r.kind if r is not None else "make"


def _review_cycle(graph: nx.DiGraph, kind_of: Mapping[Any, str]) -> bool:
    """Some made thing is reviewed and the review is then acted on by a reviser.

    Follows dependencies, not text order, so "review and polish" (two steps
    that both work on the implementation) is not a cycle; and the step after
    the review must rework ("revise", "fix", "update"), not hand on ("release").
    """
    if graph.number_of_nodes() > 200:
        return False
    for node in graph.nodes:
        if kind_of.get(node) != "revise":
            continue
        for judge in nx.ancestors(graph, node):
            if kind_of.get(judge) == "judge" and any(
                kind_of.get(a) in ("make", "revise") for a in nx.ancestors(graph, judge)
            ):
                return True
    return False


def _rework_verbs() -> frozenset[str]:
    from planner.parser.words import load_words

    return load_words().rework


def _maker_kind(step: TaskStep, config: Config, rework: frozenset[str]) -> str:
    """"make" for first versions, "revise" for reworking verbs, "other" otherwise."""
    if _kind(step.role, config) != "make":
        return "other"
    verb = step.verb or (step.text.split()[0].lower() if step.text.split() else "")
    return "revise" if verb in rework else "make"


def _join(graph: nx.DiGraph, members: tuple[str, ...]) -> tuple[Any, int]:
    """The first step that waits for every branch in ``members`` and how many steps come after it.

    (None, 0) when the branches never meet in the step graph (fewer than two
    branches, or joining words without a joining step). Bounded like the
    review cycle: very large graphs are not searched.
    """
    if len(members) < 2 or graph.number_of_nodes() > 200:
        return None, 0
    common: set[Any] | None = None
    for m in members:
        below = nx.descendants(graph, m)
        common = below if common is None else common & below
        if not common:
            return None, 0
    assert common is not None
    first = [v for v in common if not any(p in common for p in graph.predecessors(v))]
    join = min(first, key=str)
    return join, len(nx.descendants(graph, join))


def _item_steps(tg: TaskGraph) -> tuple[int, list[TaskStep]]:
    """The most steps one named item goes through, and the steps that belong to an item."""
    per_item: dict[str, int] = {}
    owned = [s for s in tg.steps if s.item]
    for s in owned:
        key = (s.item or "").lower()
        per_item[key] = per_item.get(key, 0) + 1
    staged = max((len(x) for grp in tg.parallel for x in grp.stages), default=0)
    return max(max(per_item.values(), default=0), staged), owned


def compute_features(tg: TaskGraph, config: Config) -> Features:
    """Feature values for one task, all read from the TaskGraph (the parser is the only reader of the text)."""
    g = tg.graph
    steps = list(tg.steps)
    n = len(steps)
    kinds = [_kind(s.role, config) for s in steps]
    depth = (nx.dag_longest_path_length(g) + 1) if n else 0
    members = _branch_members(tg)
    member_set = set(members)
    member_kinds = [_kind(s.role, config) for s in steps if s.id in member_set]
    gather_like = sum(k == "gather" for k in member_kinds)
    make_like = sum(k == "make" for k in member_kinds)
    joins = [node for node in g.nodes if g.in_degree(node) >= 2]
    # A branch is multi-stage when its member leads to further steps before any join.
    staged = sum(1 for m in members if any(g.in_degree(v) == 1 for v in g.successors(m)))
    stages = {_LIFECYCLE[s.role] for s in steps if s.role in _LIFECYCLE}
    signals = tg.signals
    matched = dict(tg.cues)
    named = [grp for grp in tg.parallel if grp.names]
    things = max(named, key=lambda grp: len(grp.names), default=None)
    counted = max((grp for grp in tg.parallel if grp.counted), key=lambda grp: grp.count, default=None)
    streams = next((grp for grp in tg.parallel if grp.kind == "streams"), None)
    count = counted.count if counted is not None else 0
    lead_role = things.role if things is not None else ""
    lead_kind = _kind(lead_role, config) if lead_role else ""
    if lead_role == "test":
        lead_kind = "gather"  # measuring named things ("benchmark A, B and C") gathers facts about them
    rework = _rework_verbs()
    review_kinds = {
        s.id: "judge" if s.role in ("review", "critique") else _maker_kind(s, config, rework) for s in steps
    }
    facts = tg.facts
    branches = len(members)
    stream_stages = streams is not None and len(streams.stages) >= 2 and max((len(x) for x in streams.stages), default=0) >= 2
    join, after = _join(g, members)
    join_kind = _kind(tg.step(join).role, config) if join is not None else ""
    item_steps, owned = _item_steps(tg)
    roots = [s for s in steps if g.in_degree(s.id) == 0]
    sinks = [s for s in steps if g.out_degree(s.id) == 0]
    values: dict[str, Value] = {
        "steps": n,
        "depth": depth,
        "width": largest_antichain(g),
        "branches": branches,
        "items": max(branches, len(things.names) if things else 0, min(count, 1000)),
        "listed": len(things.names) if things else 0,
        "actions": facts.actions,
        "stated": min(count, 1000),
        "review_cycle": _review_cycle(g, review_kinds),
        "list_gather": lead_kind == "gather",
        "list_make": lead_kind == "make",
        "roots": sum(1 for s in steps if g.in_degree(s.id) == 0),
        "words": facts.words,
        "sentences": facts.sentences,
        "stages": len(stages),
        "gather_share": round(kinds.count("gather") / n, 3) if n else 0.0,
        "make_share": round(kinds.count("make") / n, 3) if n else 0.0,
        "judge_share": round(kinds.count("judge") / n, 3) if n else 0.0,
        "chain": tg.shape == "chain",
        "converges": bool(joins) or bool(matched.get("joining")) or bool(signals.get("join")),
        "branch_gather": bool(members) and gather_like >= max(1, make_like) and gather_like * 2 >= len(members),
        "branch_make": bool(members) and make_like > gather_like,
        "multi_stage": (bool(members) and staged * 2 >= len(members) and staged >= 2) or stream_stages,
        "stream_stages": stream_stages,
        "question": facts.question,
        "sequenced": bool(signals.get("sequence")),
        "parallel_words": bool(signals.get("parallel")),
        "parser_iteration": bool(signals.get("iteration")) or bool(tg.loops),
        "parser_alternatives": any(grp.kind == "approaches" for grp in tg.parallel),
        "parser_exploration": bool(signals.get("exploration")),
        "item_steps": item_steps,
        "item_make_share": (
            round(sum(_kind(s.role, config) == "make" for s in owned) / len(owned), 3) if owned else 0.0
        ),
        "fanned_in": join is not None,
        "join_combine": join_kind == "combine",
        "join_judge": join_kind == "judge",
        "join_make": join_kind == "make",
        "after_join": after,
        "first_gather": bool(roots) and all(_kind(s.role, config) == "gather" for s in roots),
        "last_kind_make": bool(sinks) and all(_kind(s.role, config) == "make" for s in sinks),
        "role_kinds": len(set(kinds)),
        "versions": max((c for _, c in facts.versions), default=0),
        "apart": facts.apart,
        "bounded_loop": any(loop.rounds is not None or loop.until for loop in tg.loops),
    }
    for name, found in matched.items():
        values[name] = bool(found)
        values[f"{name}_hits"] = len(found)
    stage_verbs: tuple[str, ...] = ()
    if streams is not None and streams.stages:
        stage_verbs = tuple(tg.step(sid).verb or "" for sid in streams.stages[0])
    return Features(
        values=values,
        cues={k: tuple(v) for k, v in matched.items()},
        branch_ids=tuple(members),
        stated_count=count,
        counted=counted.counted if counted is not None else "",
        list_items=tuple(things.names) if things else (),
        list_stages=stage_verbs,
        list_role=lead_role,
        grouped=bool(members) and any(tg.step(m).group for m in members),
        lemmas=frozenset(facts.lemmas),
        lemma_pairs=frozenset(facts.lemma_pairs),
        readings=frozenset(f.code for f in tg.fired),
        verbs=frozenset(s.verb.lower() for s in steps if s.verb),
    )
