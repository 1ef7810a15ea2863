"""Features: numbers and flags the selection rules are written against.

Structural features come from the parser's step graph (computed with
networkx); cue features come from the advisor's cue lexicon applied to the
text. Every feature has a kind (number or true/false) and a one-line meaning,
so rule files are type-checked and ``--explain`` can say what each value is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from planner import lazyre
from planner.advise.conditions import Kind, Value
from planner.advise.lists import VerbTest, find_lists, lead_verb, verb_checker, verb_role
from planner.advise.streams import read_streams
from planner.config import Config
from planner.parser.cues import CueCategory, tokens

if TYPE_CHECKING:
    from planner.parser.model import TaskGraph

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

_COUNT_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "both": 2,
}  # fmt: skip
# "#482", "v2" and "3.12" name things rather than count them; and a count reaches
# its noun without crossing a preposition ("PR 482 for security issues").
_COUNT_RE = lazyre.compile(
    r"(?<![#.\w])(\d{1,4}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|both)\s+"
    r"(?:of\s+(?:our|the|these|those|my|your|their)\s+)?"  # "3 of our services"
    r"(?:(?!(?:for|of|in|on|at|to|from|with|by|about|into|than|per)\b)[\w-]+\s+){0,2}?([a-z][\w-]*s)\b",
    re.IGNORECASE,
)
_WORD_RE = lazyre.compile(r"\w+", re.UNICODE)
# Verbs too general to say what kind of work a list gets; the rest of the lead decides.
_VAGUE_VERBS = frozenset({"run", "do", "work", "go", "get", "have", "make", "take", "put", "let", "give"})
_MEASURE_RE = lazyre.compile(r"\b(benchmark|measure|profile|load[- ]test|time|score)\w*", re.IGNORECASE)
_SENTENCE_RE = lazyre.compile(r"[.!?]+(?:\s|$)")
# Largest count taken from the text: a "list of 5000 files" is batched anyway.
_COUNT_LIMIT = 10_000


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


def stated_count(text: str, ignore: frozenset[str] = frozenset()) -> int:
    """The largest count of things the text states ("three approaches" -> 3).

    Units ("20 seconds") are in ``ignore`` and do not count.
    """
    return counted_things(text, ignore)[0]


def counted_things(text: str, ignore: frozenset[str] = frozenset()) -> tuple[int, str]:
    """The largest stated count and the words it counts ("our five mobile apps" -> 5, "mobile apps")."""
    best, what = 0, ""
    for m in _COUNT_RE.finditer(text):
        noun = m.group(2).lower()
        # "this", "status", "analysis": a trailing s does not make a plural.
        if noun in ignore or len(noun) <= 3 or noun.endswith(("ss", "us", "sis", "xis")):
            continue
        word = m.group(1).lower()
        n = min(int(word) if word.isdigit() else _COUNT_WORDS.get(word, 0), _COUNT_LIMIT)
        if n > best:
            best, what = n, re.sub(r"^of\s+\S+\s+", "", text[m.end(1) : m.end(2)].strip(), flags=re.IGNORECASE)
    return best, what


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
    groups = getattr(tg, "groups", {}) or {}
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


_VERB_TEST: list[VerbTest] = []


def _verbs() -> VerbTest:
    if not _VERB_TEST:
        _VERB_TEST.append(verb_checker())
    return _VERB_TEST[0]


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


def _action_kinds(items: tuple[str, ...], config: Config, revising: CueCategory | None) -> dict[int, str]:
    kinds: dict[int, str] = {}
    for i, item in enumerate(items):
        verb = lead_verb(item, _verbs())
        role = verb_role(verb) if verb else None
        if role in ("review", "critique"):
            kinds[i] = "judge"
        elif role is not None:
            kinds[i] = _maker_kind(role, item, config, revising)
    return kinds


def _maker_kind(role: str, text: str, config: Config, revising: CueCategory | None) -> str:
    """"make" for first versions, "revise" for reworking words, "other" otherwise."""
    if _kind(role, config) != "make":
        return "other"
    if revising is not None and revising.find(text, limit=1):
        return "revise"
    return "make"


def compute_features(
    tg: TaskGraph,
    text: str,
    cues: Mapping[str, CueCategory],
    config: Config,
    ignore_counts: frozenset[str] = frozenset(),
) -> Features:
    """Feature values for one task: structure from ``tg``, cue words from ``text``."""
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
    staged = 0
    for m in members:
        succ = [v for v in g.successors(m) if g.in_degree(v) == 1]
        if succ:
            staged += 1
    stages = {_LIFECYCLE[s.role] for s in steps if s.role in _LIFECYCLE}
    signals = tg.signals

    toks = tokens(text)
    lower = text.lower()
    matched = {name: cat.find(text, toks=toks, lower=lower) for name, cat in cues.items()}
    count, counted = counted_things(text, ignore_counts)
    listings = find_lists(text, _verbs())
    thing_list = max((lst for lst in listings if not lst.actions), key=lambda lst: len(lst.items), default=None)
    things = thing_list.items if thing_list is not None else ()
    lead = lead_verb(thing_list.lead, _verbs()) if thing_list is not None else None
    lead_role = verb_role(lead) if lead else None
    # Measuring named things ("benchmark A, B and C") is gathering facts about them.
    lead_kind = "gather" if lead_role == "test" else (_kind(lead_role, config) if lead_role else "")
    if lead and lead.lower() in _VAGUE_VERBS:
        lead_kind = ""  # "run the benchmark on A and B": the object says what the work is
    if not lead_kind and thing_list is not None:
        # A light verb ("get familiar with") says nothing; the lead's cue words do.
        lead_text = thing_list.lead
        if ("gathering" in cues and cues["gathering"].find(lead_text, limit=1)) or _MEASURE_RE.search(lead_text):
            lead_kind = "gather"
        elif "building" in cues and cues["building"].find(lead_text, limit=1):
            lead_kind = "make"
    action_lists = [lst for lst in listings if lst.actions]
    actions = max((len(lst.items) for lst in action_lists), default=0)
    # An ordered list of actions is a chain in text order: "write, review, refine".
    listed_cycle = any(_review_cycle(nx.path_graph(len(lst.items), create_using=nx.DiGraph), _action_kinds(lst.items, config, cues.get("revising"))) for lst in action_lists)
    revising = cues.get("revising")
    review_kinds = {
        s.id: "judge" if s.role in ("review", "critique") else _maker_kind(s.role, s.text, config, revising)
        for s in steps
    }
    reading = read_streams(text, _verbs())
    words = len(_WORD_RE.findall(text))
    sentences = max(1, len(_SENTENCE_RE.findall(text.strip() + " ")))
    branches = len(members)

    values: dict[str, Value] = {
        "steps": n,
        "depth": depth,
        "width": largest_antichain(g),
        "branches": branches,
        "items": max(branches, len(things), min(count, 1000)),
        "listed": len(things),
        "actions": actions,
        "stated": min(count, 1000),
        "review_cycle": listed_cycle or _review_cycle(g, review_kinds),
        "list_gather": lead_kind == "gather",
        "list_make": lead_kind == "make",
        "roots": sum(1 for s in steps if g.in_degree(s.id) == 0),
        "words": words,
        "sentences": sentences,
        "stages": len(stages),
        "gather_share": round(kinds.count("gather") / n, 3) if n else 0.0,
        "make_share": round(kinds.count("make") / n, 3) if n else 0.0,
        "judge_share": round(kinds.count("judge") / n, 3) if n else 0.0,
        "chain": tg.shape == "chain",
        "converges": bool(joins) or bool(matched.get("joining")) or bool(signals.get("join")),
        "branch_gather": bool(members) and gather_like >= max(1, make_like) and gather_like * 2 >= len(members),
        "branch_make": bool(members) and make_like > gather_like,
        "multi_stage": bool(members) and staged * 2 >= len(members) and staged >= 2,
        # "for each of the five apps, A, B and C": a stated count names the streams too.
        "stream_stages": reading is not None and (len(reading.labels) >= 2 or count >= 2) and len(reading.stages) >= 2,
        "question": text.rstrip().endswith("?") and words <= 25 and text.count("?") == 1,
        "sequenced": bool(signals.get("sequence")),
        "parallel_words": bool(signals.get("parallel")),
        "parser_iteration": bool(signals.get("iteration")),
        "parser_alternatives": bool(signals.get("alternatives")),
        "parser_exploration": bool(signals.get("exploration")),
    }
    for name, found in matched.items():
        values[name] = bool(found)
        values[f"{name}_hits"] = len(found)
    return Features(
        values=values,
        cues=matched,
        branch_ids=tuple(members),
        stated_count=count,
        counted=counted,
        list_items=tuple(things),
        list_stages=thing_list.stages if thing_list is not None else (),
        list_role=lead_role or "",
        grouped=bool(members) and any(tg.step(m).group for m in members),
    )
