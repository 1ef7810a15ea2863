"""Turn clauses into steps and dependencies.

The builder walks the clauses in text order and keeps a *frontier*: the steps
the next sequential step depends on. Each clause either extends the chain
(default, or a sequencing cue), joins the open branches (a join cue), sits
beside the previous step (a parallel cue, or two gathering steps in a row), or
expands into a group of parallel steps (an enumeration or a count). Groups can
carry *lanes*: "for each of A, B and C, do X then Y" gives one X -> Y chain per
item. Edges only ever point from an earlier-created step to a later one, so
the graph is acyclic by construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import Any

import networkx as nx

from planner import lazyre, tomlcache
from planner.errors import RuleFileError
from planner.parser.enumerate import Count, Enumeration, Item, find_count, find_enumeration
from planner.parser.flow import (
    SLUG_SKIP,
    mention_phrases,
    mention_words,
    nominals,
    products,
    singular,
    slug,
    worked_on,
    worked_on_all,
)
from planner.parser.kinds import load_kinds
from planner.parser.kinds import phrases as kind_phrases
from planner.parser.kinds import words_of as kinds_words
from planner.parser.lexicon import IRREGULAR_PAST, Lexicon, load_lexicon
from planner.parser.mask import prose_paragraphs
from planner.parser.model import Group, TaskGraph, TaskStep
from planner.parser.order import (
    COMBINE_ROLES,
    GATHER_ROLES,
    JUDGE_ROLES,
    STAGE,
    introduces_list,
    is_goal,
    lifecycle_order,
    lists_that_ask,
    reorder_before_after,
    request_follows,
    title_clause,
    wishes_general_look,
)
from planner.parser.segment import (
    DETERMINERS,
    Clause,
    Sentence,
    Token,
    clauses,
    sentences,
)
from planner.parser.signals import compute_signals, lifecycle_roles

_PARALLEL_LEADS = frozenset(
    {"meanwhile", "at the same time", "in the meantime", "in parallel", "separately",
     "independently", "simultaneously"}
)
# Sequencing adverbs after which a verbless clause reuses the verb before it
# ("then the API on top of it"). Subordinators ("after the editing") are not
# here: what follows them is a condition, not work.
_ELLIPSIS_LEADS = frozenset(
    {"then", "next", "finally", "afterwards", "afterward", "lastly", "subsequently",
     "after that", "and then", "and finally", "only then"}
)
# Openers after which a noun phrase names a wanted result ("I need a summary").
_NEED_OPENERS = frozenset(
    {"i need", "i want", "i would like", "i'd like", "we need", "we want", "i also need", "i also want",
     "i'd also like", "i require", "we require", "i am looking for", "i'm looking for", "we are looking for",
     "we're looking for"}
)
SUBORDINATE = frozenset({"before", "after", "once", "when", "while", "until"})
_FINITE = frozenset(
    {"is", "are", "was", "were", "has", "had", "does", "did", "can", "could", "will", "would",
     "should", "may", "might", "must", "seems", "seem", "happens", "happened", "works", "fails",
     "returns", "gets", "got", "becomes", "became", "isn't", "aren't", "doesn't", "didn't", "won't"}
)
# Words that point back at the task's input rather than at a step's result.
_ORIGINAL = frozenset({"original", "initial", "unmodified", "untouched", "raw", "source", "input", "given", "provided"})
_FILE_NAME = lazyre.compile(r"[\w-]+\.[A-Za-z][A-Za-z0-9]{1,4}")
# The data after a clause's colon: one quoted passage, or the rest of the sentence.
_COLON_DATA = lazyre.compile(r"\s*:\s*('[^']*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”|(?:[^\n.!?]|\.(?=\w))*)")
# A quoted passage in running text (an apostrophe inside a word does not open one).
_QUOTED_PASSAGE = re.compile(r"(?<![\w'])'[^']*'(?![\w])|\"[^\"]*\"|‘[^’]*’|“[^”]*”")
_QUOTE_OPEN = frozenset("'\"‘“")
_ASPECT_VERBS = frozenset({"keep", "continue", "start", "begin", "stop", "finish", "try", "go"})
_SUBJECT_PRONOUNS = frozenset({"i", "we", "you", "he", "she", "they", "it", "i'd", "i'm", "we're", "we'd", "there"})
# Words that stand for the output of the step just before.
_RESULT_WORDS = frozenset(
    {"result", "results", "output", "outputs", "outcome", "answer", "answers", "findings", "response",
     "information", "info", "details", "errors", "mistakes", "issues", "problems"}
)
# Result words that name faults: what a look for faults found, never what a
# reading that reports something else (a sentiment, a topic) found.
_FAULT_WORDS = frozenset({"errors", "mistakes", "issues", "problems"})
_SEQUENCE_LEADS = frozenset(
    {"then", "next", "finally", "afterwards", "afterward", "lastly", "subsequently",
     "after that", "after this", "and then", "and finally", "only then", "at the end",
     "in the end", "eventually", "second", "secondly", "third", "thirdly", "after", "once", "when",
     "following this", "following that", "after which"}
)
# Leads that close per-item lanes: what follows happens once, after all of them.
_CLOSING_LEADS = frozenset({"finally", "lastly", "at the end", "in the end", "and finally", "eventually"})
_EACH_WORDS = frozenset({"each", "respectively"})
_DIFFERENT = frozenset(
    {"different", "separate", "alternative", "alternate", "independent", "competing",
     "distinct", "various", "candidate", "parallel", "possible", "rival"}
)
_STREAM_NOUNS = frozenset(
    {"workstreams", "streams", "tracks", "teams", "pipelines", "lanes", "threads", "squads", "branches"}
)
_JUDGE_WORDS = lazyre.compile(
    r"\b(pick|choose|select|compare|rank|best|fastest|cheapest|clearest|winner|decide|keep the)\b",
    re.IGNORECASE,
)
_EACH_LATER = lazyre.compile(r"\beach\b|\brespectively\b|\bits own\b")
# Bug-report sections that describe the problem rather than ask for work:
# their imperatives ("run the server", "click Save") are how to reproduce it.
_CONTEXT_SECTION = lazyre.compile(
    r"reproduc|expected|actual|environment|version|install|operating system|system info|"
    r"backend|screenshot|traceback|stack trace|output|logs?\b|deps|dependencies|platform|setup"
)
# Leads that tie a step to an earlier one's completion, not just text order.
# "Based on the wall colour, ...": what a step is based on, and the nouns named there.
_BASIS = lazyre.compile(r"\b(?:based on|according to|depending on)\b([^.;:]*)", re.IGNORECASE)
_BASIS_HEAD = lazyre.compile(r"\b(?:the|this|that|those|these|my)\s+(?:[\w-]+\s+)?([\w-]+)")
# Words that may follow "get it reviewed": the arranged work is complete there.
_AFTER_COMPLEMENT = frozenset({"and", "or", "then", "by", "so", "before", "after", "until", "again", "today", "quickly", "asap", "first", "too", "as", "once"})
# Links from a step to what it rests on: "based on the mood of ...", and
# "videos related to the main ideas of ...", whose subject is that finding.
_BASIS_LINKS = frozenset({("based", "on"), ("according", "to"), ("depending", "on"), ("related", "to"), ("relevant", "to")})
# Words before an input a step works with ("using a still from ...").
# Words that end a noun phrase after its head ("the photo that ...", "the memo and ...").
_BREAK_WORDS = frozenset({"that", "which", "and", "or", "if", "whether", "matches", "match"})
_USE_LINKS = frozenset({"using", "with", "between", "from", "combining", "featuring", "and"})
# A thing at a web address: "at https://...", "of the website example.com".
_WEB_PLACE = lazyre.compile(
    r"\b(?:at|from|on|of)\s+['\"(]?(?P<address>(?:https?://|www\.)[^\s'\")]+|[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|co|edu|gov)\b)"
    r"|\b(?:at|from|on|of)\s+(?:the|this|a)\s+(?:website|web\s*site|web\s*page|page|site)\s*:?\s*['\"(]?(?P<site>[\w-]+(?:\.[\w-]+)+)",
    re.IGNORECASE,
)
# "whether A and B belong to the same category": two sides and a class word.
_SAME_CLASS = lazyre.compile(
    r"\b(?:if|whether)\s+(?P<a>[\w' -]+?)\s+and\s+(?P<b>[\w' -]+?)\s+(?:belong|are|fall|share)\s+"
    r"(?:(?:in|to|into|of)\s+)?(?:the\s+)?(?:same|a\s+common)\s+(?:or\s+(?:a\s+)?similar\s+)?"
    r"(?:category|categories|class|genre|type|kind|style|topic)\b",
    re.IGNORECASE,
)
# An address given in a sentence of its own: "The video URL is https://...".
_ADDRESS_STATED = lazyre.compile(
    r"\b(?:the|its|this|that)\s+(?P<noun>[\w-]+)(?:'s)?\s+(?:url|link|web\s*address|address)\s*(?:is|:)\s*['\"(]?"
    r"(?P<address>(?:https?://|www\.)[^\s'\")]+)",
    re.IGNORECASE,
)
# Verbs that take a part out of an input: "based on the extracted keywords",
# with no step having extracted any, names a taking-out the work rests on.
_TAKEN_OUT_BASIS = frozenset({"extract", "transcribe"})
# Something a request brings in: a quoted text, a file name or a number.
_GIVEN_THING = lazyre.compile(r"'[^']{2,}'|\"[^\"]{2,}\"|[\w-]+\.[A-Za-z][A-Za-z0-9]{1,4}\b|\d[\d.,:-]*")
# Openers of a stated wish, and of a request that may repeat it.
_WISH_LEADS = frozenset(
    {"i want to", "i need to", "i would like to", "i'd like to", "we need to", "we want to", "want to", "would like to", "need to",
     # "I need help analysing this sentence. Please identify ...": a call for help that the request spells out
     "i need assistance in", "i need assistance with", "i need help with", "i need help in"}
)
# Leads that add work or place it in time: a request opened by them is no
# repeat of the wish before it.
_ADDS_OR_ORDERS = frozenset(
    {"additionally", "also", "first", "firstly", "then", "next", "finally", "lastly", "afterwards", "after that", "plus"}
)
_ASK_LEADS = frozenset({"please", "help me", "help me with", "can you", "could you", "kindly", "would you"})
# Words between a delivery verb and its object ("show me the result", "provide us with it").
_DELIVER_SKIP = frozenset({"me", "us", "back", "with", "to", "for", "out"})
_PREPOSITIONS = frozenset({"of", "for", "in", "on", "at", "with", "from", "to", "into", "by", "about", "and", "using"})
# Words that end a noun phrase without starting another ("the meeting as a
# message", "the image accordingly"): the noun before them is the head.
_PHRASE_ENDS = frozenset({"as", "like", "than", "between", "so", "because", "since", "while", "or", "but", "accordingly"})
# Kinds of written things (rules/kinds.toml): a passage, or words picked out
# of one ("keywords"); both can sit in a picture and be taken out of it.
_WRITTEN = frozenset({"text", "terms"})
# Determiners that do not pick out a thing already known ("a", "each", "some").
_NOT_DEFINITE = frozenset({"a", "an", "each", "every", "any", "some", "all"})
_MEDIA = frozenset({"image", "audio", "video"})
# A clause opened by these describes a thing named before it ("a video that I want to upload").
_RELATIVE_LEADS = frozenset({"that", "which"})
_CONDITION_LEADS = frozenset({"after", "once", "when", "after that", "after this", "only then", "thereafter"})
# Verbs that make a file or result: "create an output file" after a step only delivers it.
_MAKING = frozenset({"create", "generate", "produce", "make", "export", "write"})
# Verbs that can name where the result goes: "use out.mp4 as the output file".
_NAMING = frozenset({"use", "name", "save", "call"})
# Modifiers that pick the latest version of something ("the final image").
_LATEST = frozenset({"final", "resulting", "latest", "current"})
# Adjectives for what a search turns up ("return related text", "show matching files").
_FOUND_WORDS = frozenset({"related", "relevant", "matching", "similar"})
_OPTION_WORDS = lazyre.compile(r"\b(options?|approaches|alternatives|candidates|choices|ways)\b")
_PARTICLES = frozenset({"up", "down", "out", "off"})
# Words before "to be <participle>" that ask for the work ("needs to be shortened").
_NEED_WORDS = frozenset({"needs", "need", "has", "have", "ought", "wants"})
# Words for a request as a whole: "complete the transaction" redoes the wish.
_TASK_WORDS = frozenset({"task", "operation", "transaction", "request", "job", "process", "procedure"})
# Verbs that do a piece of work named by a task word ("perform these tasks", "go through the steps").
_DOING = frozenset({"perform", "do", "go", "carry", "complete", "execute", "follow", "finish", "proceed"})
# Words that point the reader at an input handed over with the request.
_ATTACHED = frozenset({"attached", "enclosed", "below", "herewith", "above"})
# Words that put one thing inside another ("an image with faces", "a text containing a link").
_CONTAINS = frozenset({"with", "containing", "contains", "including", "includes", "has", "having", "showing", "shows"})
@dataclass(frozen=True)
class Settings:
    max_steps: int
    max_chars: int
    max_group: int
    id_words: int
    id_chars: int
    fallback_role: str
    given_window: int


@cache
def load_settings() -> Settings:
    data: dict[str, Any] = tomlcache.read_builtin("parse.toml", "parser settings").get("parse", {})
    try:
        return Settings(
            max_steps=int(data.get("max_steps", 40)),
            max_chars=int(data.get("max_chars", 100_000)),
            max_group=int(data.get("max_group", 20)),
            id_words=int(data.get("id_words", 2)),
            id_chars=int(data.get("id_chars", 32)),
            fallback_role=str(data.get("fallback_role", "implement")),
            given_window=int(data.get("given_window", 2000)),
        )
    except ValueError as exc:  # a setting that is not a number
        raise RuleFileError(f"cannot read parser settings: {exc}", path="rules/parse.toml") from exc


@dataclass
class _Draft:
    text: str
    span: tuple[int, int]
    verb: str | None
    role: str | None
    cues: list[str]
    words: list[str]  # for the id
    group: str | None = None
    lane: int | None = None
    classify_text: str = ""
    products: frozenset[str] = frozenset()
    touched: frozenset[str] = frozenset()  # nouns of what a changing step worked on
    id: str = ""
    sentence: int = -1  # index of the sentence it came from
    lead: frozenset[str] = frozenset()  # the clause's opener and cue words
    kind: str | None = None  # the kind of thing it makes ("text", "image", ...; rules/kinds.toml)


@dataclass
class _Group:
    id: str
    labels: list[Item]
    tails: list[int | None]  # last step of each lane
    heads: list[int | None]
    before: list[int]  # the frontier when the group started
    sentence: int
    size_only: bool = False  # labels are "stream 1", "stream 2": no names given


@dataclass
class _ListState:
    list_id: int
    kind: str  # "bullet" or "numbered"
    group: _Group | None
    before: list[int]
    tails: list[int | None] = field(default_factory=list)


@dataclass
class _Builder:
    text: str
    lex: Lexicon
    settings: Settings
    classify: Callable[[str], str | None]
    drafts: list[_Draft] = field(default_factory=list)
    edges: set[tuple[int, int]] = field(default_factory=set)
    frontier: list[int] = field(default_factory=list)
    since_join: int = 0  # steps created before this index are already joined
    groups: list[_Group] = field(default_factory=list)
    last_group: _Group | None = None
    lane_group: _Group | None = None
    lane_index: int = 0
    truncated: int = 0
    list_state: _ListState | None = None
    list_asks: dict[int, bool] = field(default_factory=dict)  # list id -> its items are work
    _sentence_parts: list[Clause] = field(default_factory=list)
    _sentence_text: str = ""
    _sentence_each: bool = False
    _reached_through: int | None = None  # the step that changed the input a clause's thing sits in
    fetched: set[str] = field(default_factory=set)  # web addresses stated apart that a step downloads

    # ------------------------------------------------------------ creation

    def _add(self, draft: _Draft, deps: list[int]) -> int | None:
        if len(self.drafts) >= self.settings.max_steps:
            self.truncated += 1
            return None
        idx = len(self.drafts)
        self.drafts.append(draft)
        for d in deps:
            if d < idx:
                self.edges.add((d, idx))
        return idx

    def _sinks_since_join(self) -> list[int]:
        has_out = {u for u, _ in self.edges}
        return [i for i in range(self.since_join, len(self.drafts)) if i not in has_out]

    # ------------------------------------------------------------ clauses

    def sentence(
        self, sent: Sentence, parts: list[Clause], *, goal: bool = False, intro_verb: Clause | None = None
    ) -> None:
        if len(self.drafts) >= self.settings.max_steps:
            # Past the step budget only count what is left; signals still see all the text.
            self.truncated += sum(1 for c in parts if c.verb is not None)
            return
        if sent.list_id is not None:
            self._list_sentence(sent, parts, intro_verb)
            return
        self.list_state = None
        self._sentence_parts = parts
        parts = lifecycle_order(self.lex, reorder_before_after(parts))
        title = title_clause(parts)
        lanes_from = self._lane_start(sent, parts)
        self._sentence_text = " ".join(t.low for t in sent.tokens)
        self._sentence_each = bool(_EACH_LATER.search(self._sentence_text))
        for k, clause in enumerate(parts):
            if len(self.drafts) >= self.settings.max_steps:
                self.truncated += len(parts) - k  # budget spent inside one long sentence
                break
            if k == title and self._sentence_each and self._opens_group(clause):
                # "Rebuild the four dashboards (A, B, C, D): for each of them, ...":
                # a heading that lists what the later work runs for names the lanes.
                labels = Clause(clause.tokens, clause.sentence, clause.connector, clause.lead, None, None, clause.ends_with_colon, clause.body_index)
                self._clause(sent, labels, list_item=False)
                continue
            if k == title or (goal and clause.verb is not None):
                continue
            if lanes_from is not None and k == lanes_from and self.lane_group is None:
                self.lane_group = self.last_group
                self.lane_index = 0
            if self.lane_group is not None:
                started = self.lane_group.heads != [None] * len(self.lane_group.heads)
                if started and (self._is_join(clause) or set(clause.lead) & _CLOSING_LEADS):
                    self.lane_group = None
                else:
                    self._lane_clause(clause)
                    continue
            self._clause(sent, clause, list_item=sent.list_id is not None and sent.first_of_item)
        self.lane_group = None

    def _list_sentence(self, sent: Sentence, parts: list[Clause], intro: Clause | None) -> None:
        """A sentence inside a list item: bullets run side by side, numbers in order."""
        state = self.list_state
        if state is None or state.list_id != sent.list_id:
            group = self._new_group([], sent) if sent.list_kind == "bullet" else None
            state = self.list_state = _ListState(sent.list_id or 0, sent.list_kind or "bullet", group, list(self.frontier))
        if sent.first_of_item:
            state.tails.append(None)
            if state.group is not None:
                state.group.labels.append(Item(sent.start, sent.end, ""))
                state.group.heads.append(None)
                state.group.tails.append(None)
        k = len(state.tails) - 1
        for n, clause in enumerate(parts):
            first = sent.first_of_item and n == 0
            verb, role = clause.verb, self.lex.role_of(clause.verb) if clause.verb else None
            cues = [w for w in clause.lead if w not in {"and", "please", "just", "now"}]
            if first:
                if verb is None and intro is not None and intro.verb is not None:
                    verb, role = intro.verb, self.lex.role_of(intro.verb)
                    cues.append("verb from list intro")
                elif verb is None and not self.list_asks.get(sent.list_id or 0, True):
                    continue  # "- Tested on macOS and Ubuntu": facts, not work
                cues.append("list item")
            elif verb is None and not (set(clause.lead) & _SEQUENCE_LEADS):
                continue  # context inside an item
            draft = self._draft_from_clause(clause, verb, role, cues)
            if first and clause.verb is None and verb is not None:
                draft.words = [verb, *draft.words]
                draft.classify_text = f"{verb} {draft.text}"
            tail = state.tails[k]
            if tail is not None:
                deps = [tail]
            elif state.kind == "numbered":
                deps = [t for t in state.tails[:k] if t is not None][-1:] or list(state.before)
            else:
                deps = list(state.before)
            if state.group is not None:
                draft.group = state.group.id
                draft.lane = k
            idx = self._add(draft, deps)
            if idx is None:
                continue
            state.tails[k] = idx
            if state.group is not None:
                if state.group.heads[k] is None:
                    state.group.heads[k] = idx
                state.group.tails[k] = idx
        live = [t for t in state.tails if t is not None]
        if live:
            self.frontier = live if state.kind == "bullet" else live[-1:]

    def _lane_start(self, sent: Sentence, parts: list[Clause]) -> int | None:
        """Index of the first clause that runs once per item of a group."""
        for k, clause in enumerate(parts):
            lows = [t.low for t in clause.tokens]
            per_item = any(
                w in _EACH_WORDS and not (i + 1 < len(lows) and lows[i + 1] in {"of", "other"})
                for i, w in enumerate(lows)
            ) or "its own" in " ".join(lows) or "their own" in " ".join(lows)
            # "Go through each of the 12 services and list their dependencies":
            # after an "each of" group, "their"/"its" carries the per-item scope on.
            if not per_item and k and clause.connector == "and" and not self._is_join(clause):
                opener = " ".join(t.low for t in parts[k - 1].tokens)
                per_item = ("each of" in opener or "for each" in opener) and bool({"its", "their"} & set(lows))
            if not per_item:
                continue
            # The group may be opened earlier in this sentence or be the last one.
            for g in range(k - 1, max(-1, k - 9), -1):  # a group opens close by
                if self._opens_group(parts[g]):
                    return g + 1
            if self.last_group is not None and self.last_group.sentence >= sent.index - 1:
                return k
        return None

    def _opens_group(self, clause: Clause) -> bool:
        lo = clause.verb_index + 1 if clause.verb_index is not None else 0
        return (
            find_enumeration(self.lex, clause.tokens, lo, allow_pair=True) is not None
            or find_count(clause.tokens, lo) is not None
        )

    def _is_join(self, clause: Clause) -> bool:
        low = " ".join(t.low for t in clause.tokens)
        return bool(self.lex.cues("join", low)) or (
            clause.verb is not None and self.lex.role_of(clause.verb) in COMBINE_ROLES | {"decide", "compare"}
        )

    def _clause(self, sent: Sentence, clause: Clause, *, list_item: bool) -> None:
        clause = self._told(clause) or clause
        toks = clause.tokens
        lows = " ".join(t.low for t in toks)
        causative = self._causative(clause)
        verb = causative[0] if causative else (
            self._finds_whether(clause) or self._used_for(clause) or self._sent_for_review(clause) or clause.verb
        )
        role = self.lex.role_of(verb) if verb else None
        if role in GATHER_ROLES | {"test"} and clause.verb_index is not None and self._asks_which(clause):
            role = "compare"  # "measure which one gives more clicks": the look decides between options
        lead = set(clause.lead)
        cues = [w for w in clause.lead if w not in {"and", "please", "just", "now", ","}]
        if list_item:
            cues.append("list item")
        # "get it reviewed by A and B": the list names who does the work, after
        # "by"; without "by" ("have it reviewed, address the comments, and
        # repeat") the commas start other work and nothing is listed.
        lo = count_lo = clause.verb_index + 1 if clause.verb_index is not None else 0
        if causative is not None:
            # "have two writers each draft it": who is counted comes before the work's verb
            by = causative[1] + 1
            lo = by + 1 if by < len(toks) and toks[by].low == "by" else len(toks)
        # A quoted passage is data ("... while standing ..."), not a cue.
        parallel_here = bool(self.lex.cues("parallel", " ".join(t.low for t in toks if not t.quoted))) or bool(lead & _PARALLEL_LEADS)
        sentence_text = self._sentence_text
        each_later = self._sentence_each
        judged_later = bool(_JUDGE_WORDS.search(self.text, clause.end, clause.end + 400))
        alternatives = clause.connector == "or" and verb is not None

        wants = verb is None and bool(clause.lead) and clause.lead[-1] in _NEED_OPENERS
        enum = find_enumeration(
            self.lex,
            toks,
            clause.body_index if wants else lo,
            allow_pair=verb is None or role in {"compare", "decide"} or parallel_here or each_later,
            whole_first=wants,
        )
        if enum is None and verb in self.lex.deliver:
            at = lo
            while at < len(toks) - 1 and toks[at].low in _DELIVER_SKIP:
                at += 1  # "give me a summary and a chart": the results start after "me"
            pair = find_enumeration(self.lex, toks, at, allow_pair=True)
            enum = pair if pair is not None and self._separate_results(pair) else None
        count = find_count(toks, count_lo)
        if wants:
            # "I need it cleaned, classified and translated": the wanted
            # work comes as participles; a bare verb-looking word there is
            # an adjective or a noun ("the objects present in the photo").
            done = [v for v in self._verbs_in(clause) if self._participle_at(clause, v[1])]
            if len(done) >= 2:
                # "I need it paraphrased, summarized and checked": one step per participle.
                for k, (v, start, _end) in enumerate(done):
                    stop = done[k + 1][1] if k + 1 < len(done) else clause.end
                    piece = tuple(t for t in toks if start <= t.start and t.end <= stop)
                    while len(piece) > 1 and (not piece[-1].is_word or piece[-1].low in {"and", "or"}):
                        piece = piece[:-1]
                    sub = Clause(
                        piece,
                        clause.sentence, clause.connector, clause.lead, 0, v, clause.ends_with_colon, 0,
                    )
                    self._sibling_or_chain(sub, v, self.lex.role_of(v) if v else None, [*cues, "wanted result"], parallel=False)
                return
        if enum is not None and verb is None and enum.conjunction not in {"or", "vs"} and not (
            parallel_here or each_later or (wants and (len(enum.items) >= 3 or self._separate_results(enum) or self._kinds_differ(enum)))
        ):
            enum = None  # a list in a sentence that asks for nothing
        if enum is not None and verb is None and enum.conjunction == "or":
            # "A, B or C" in a statement is just prose; options to weigh come
            # as a question or with a word that asks to choose among them.
            question = sent.tokens[-1].text == "?"
            if not (question or judged_later or bool(self.lex.cues("alternatives", sentence_text) and _OPTION_WORDS.search(sentence_text))):
                enum = None
        if enum is not None and verb is not None:
            # Looking at several things splits naturally into one look per
            # thing; making "milk, eggs and bread" into a list does not.
            gatherish = role in GATHER_ROLES | JUDGE_ROLES | {"test", "synthesize"}
            counted = count is not None and count.value == len(enum.items)
            # "give me a summary and a chart": handing over two results is two pieces of work.
            handed = verb in self.lex.deliver and self._separate_results(enum)
            if not (gatherish or counted or handed or parallel_here or each_later or enum.conjunction in {"or", "vs"}):
                enum = None
            elif "together" in lows.split() and enum.conjunction not in {"or", "vs"}:
                enum = None  # "stitch A and B together": the items are one step's inputs
            elif not (counted or parallel_here or each_later) and self._kinds_in_one_input(clause, enum):
                enum = None  # "find the dates, names and places in this letter": one pass
        if enum is not None:
            self._group_from_items(sent, clause, enum, verb, role, cues, count, wanted=wants)
            return
        if count is not None and count.value >= 2:
            before = " ".join(t.low for t in toks[max(0, count.token - 2) : count.token])
            after = {t.low for t in toks[count.token + 1 : count.token + 4]}
            streams = count.noun.lower() in _STREAM_NOUNS
            triggered = (
                "each of" in before
                or "for each" in before
                or before[-3:] == "all"
                or bool(after & _DIFFERENT)
                or parallel_here
                or streams
                or (verb is not None and judged_later)
            )
            if triggered:
                self._group_from_count(sent, clause, count, verb, role, cues, labels_only=verb is None)
                return
        first_word = toks[_first_content(clause)].low if toks else ""
        elliptic = (
            bool(lead & _ELLIPSIS_LEADS)
            and first_word not in _SUBJECT_PRONOUNS
            and not any(t.low in _FINITE for t in toks)  # "then x is also a root": a statement
        )
        # "I need a transcription of the call": a wanted result is work too.
        deliverable = verb is None and bool(clause.lead) and clause.lead[-1] in _NEED_OPENERS
        if deliverable and enum is None:
            cues.append("wanted result")
        if verb is None and not list_item and not deliverable and self._passive_request(clause, cues):
            return
        if verb is None and lead & {"after", "once", "when"} and self._unasked_condition(clause, cues):
            return
        if verb is None and not elliptic and not list_item and not deliverable and self._asked_for_help(sent, clause):
            return  # "a message asking for help renaming the files and fixing the links"
        if verb is None and not elliptic and not list_item and not deliverable and (named := self._help_with_work(clause)):
            verb, role = named, self.lex.role_of(named)  # "I need help with my homework question": answering it
        if verb is None and not elliptic and not list_item and not deliverable:
            if self._agent_clause(clause):
                verb = self._agent_clause(clause)
            else:
                return  # context: states a fact, asks for nothing
        if deliverable and self._states_a_quality(clause):
            return  # "I want the titles to be short": how a result should be, not another result
        done_to = self._wanted_done(clause) if deliverable else None
        if done_to is not None:
            verb, role = done_to[0], self.lex.role_of(done_to[0])  # "I'd like the clip to be trimmed"
        elif (deliverable or verb in {"need", "want"}) and (doer := self._someone_to_do(clause)) is not None:
            verb, role = doer, self.lex.role_of(doer)  # "I need a robot to mop the kitchen": the mopping
        if self._points_to_attachment(clause, verb):
            return  # "Please find the report attached": hands over an input, asks for no search
        if self._does_the_wanted(sent, clause, verb):
            self.drafts[-1].cues.append("asked again")
            return  # "I need a logo for the shop. Please design it."
        if verb is not None and lead & {"after", "once", "when"} and any(d.verb == verb for d in self.drafts):
            return  # "After applying, book a taxi": refers back to a step, adds none
        if self._bare_condition(clause, lead):
            return  # "After editing, segment the image": the edit is the step before
        if self._restates(clause, verb):
            return  # "Can you help me classify it?" after "classify its content"
        if self._names_the_whole_work(clause, verb):
            self.drafts[-1].cues.append("asked again")
            return  # "Please carry out all of this with your tools"
        if self._asks_again(sent, clause, verb):
            self.drafts[-1].cues.append("asked again")
            return  # "I want to speed up the video. Please adjust the video speed."
        if self._delivers(clause, verb):
            self.drafts[-1].cues.append("result handed back")
            return  # "segment the image and return the segmented image": one step
        if self._suggests_fixes(clause, verb):
            self.drafts[-1].cues.append("suggestions reported")
            return  # "check the text and suggest corrections": what the check reports
        if self._shapes_the_result(clause, verb):
            self.drafts[-1].cues.append("result handed back")
            return  # "extract the text and convert it into a readable format": how it is handed over
        gerund = verb is not None and clause.verb_index is not None and toks[clause.verb_index].low.endswith("ing")
        if gerund and lead & SUBORDINATE and verb is not None and self.lex.verbs.get(verb) == "":
            return  # "before using it in my project": the user's own next move
        if verb in load_kinds().uses_only and lead & _RELATIVE_LEADS and any(w.startswith(("i ", "we ")) for w in lead):
            return  # "a report that I need to send to my boss": what the user will do with it afterwards
        if gerund and lead & SUBORDINATE and not any(c.verb for c in self._sentence_parts if c is not clause):
            return  # "Posting publicly after checking with the team": no request to attach it to
        if alternatives and self.drafts and not self.frontier_is_group():
            self._sibling_or_chain(clause, verb, role, [*cues, "or"], parallel=True)
            return
        before_helpers = len(self.drafts)
        self._fetch_first(clause, verb, cues)
        if verb is not None:
            self._reading_in_basis(clause, cues)
            self._part_taken_out(clause, verb, cues)
            self._sides_read_first(clause, cues)
            read = len(self.drafts)
            self._same_finding_read_first(clause, cues)
            if len(self.drafts) == read:  # sides that are no kind of file ("the logo and the banner")
                self._sides_classified(clause, cues)
            self._part_in_given(clause, verb, cues)
            self._version_made_first(clause, cues)
            self._translated_first(clause, verb, cues)
            if done_to is not None:
                self._wanted_part_of_given(clause, cues)
        # Steps just made for this clause's inputs: the clause works on them.
        needed = list(range(before_helpers, len(self.drafts)))
        prev = self.drafts[-1] if self.drafts else None
        parallel = bool(lead & _PARALLEL_LEADS) or (
            # A step that only inspects its input ("classify the image") leaves
            # that input as it was: the next step, unless it uses what the
            # inspection found or a cue orders it, works beside it on the same input.
            # "detect the faces, then classify the photo": two looks at one input
            # leave it as it was, so "then" only says when the second look runs.
            (
                not (lead & _SEQUENCE_LEADS)
                or (verb in self.lex.inspect and not lead & _CONDITION_LEADS and self._looks_at_given_kind(clause))
                or self._changes_what_look_read(clause, verb, lead)
            )
            and prev is not None
            and prev.verb in self.lex.inspect
            and prev.group is None
            and (
                role in GATHER_ROLES or verb in self.lex.inspect or self._object_is_it(clause)
                # "analyse its sentiment, correct any mistakes": whatever mistakes the same text has
                or (self._object_is_any(clause) and self._reports_finding(prev))
            )
            and not self._hands_off(prev, clause)
            and not self._points_back(clause, plural_only=True)  # "check it and correct them"
            # "have legal review it, and revise it": reworking after a review acts on what it found
            and not (prev.role in JUDGE_ROLES and verb in self.lex.rework)
            # "check whether it works and fix it" fixes what the check found; "analyse its
            # sentiment, fix any typos" fixes typos the sentiment reading did not look for
            and (verb not in self.lex.forms.get("remedies", frozenset()) or (self._object_is_any(clause) and self._reports_finding(prev)))
        )
        # "enhance and classify the photo": a bare verb before "and" shares the
        # next clause's object, so the two run in order on the same thing.
        shares_object = prev is not None and prev.sentence == clause.sentence.index and len(prev.words) == 1
        parallel = parallel and not shares_object
        if parallel and prev is not None and self._object_is_any(clause) and self._reports_finding(prev):
            cues.append("works on what the look read")
        fresh = (
            not parallel
            and not shares_object
            and not (lead & _SEQUENCE_LEADS)
            and prev is not None
            and prev.group is None
            and self._starts_from_input(clause, lead)
            and not self._hands_off(prev, clause)
        )
        self._reached_through = None
        if fresh:
            cues.append("works on the original input")
        elif not parallel and not shares_object and prev is not None and prev.group is None and self._works_on_given(clause, verb, lead, prev):
            fresh = True
            cues.append("works on a given input")
        refs: list[int] = []
        through = self._reached_through
        if not parallel and not fresh and not (lead & _SEQUENCE_LEADS) and prev is not None and prev.group is None:
            # "transcribe the audio, summarize it, and translate the transcription":
            # naming an earlier step's result (not the last one's) takes that
            # result as input instead of following the text order.
            # A definite phrase naming a thing an earlier step made ("sell the
            # printer" after "find the best printer") reads that result too.
            refs = self._referenced(clause) or self._named_makers(clause)
            if len(self.drafts) - 1 in refs or self._points_back(clause) or self._reworked_by(prev, clause):
                refs = []
        elif not parallel and not fresh and not (lead & _CONDITION_LEADS) and prev is not None and prev.group is None:
            # "then translate the summary" after "summarise it, then read it
            # aloud": a cue like "then" or "finally" says when, but the
            # result the clause names says what it works on.
            refs = self._named_makers(clause)
            if self._points_back(clause) or refs == [len(self.drafts) - 1]:
                refs = []
        if not refs and not parallel and not fresh:
            refs = self._both_results(clause)
        if (
            not refs and not parallel and not fresh and not shares_object and prev is not None
            and prev.group is None and not (lead & _CONDITION_LEADS)
        ):
            reader = self._other_kind_source(clause, prev)
            if reader is not None and reader >= 0:
                refs = [reader]
                cues.append("reads an earlier result of its kind")
            elif reader is not None:
                fresh = True
                cues.append("reads a given input of another kind")
        if not refs and through is not None and through != len(self.drafts) - 1:
            refs = [through]  # "the objects" in the edited image: after the edit, beside what followed it
        last = len(self.drafts) - 1
        if (
            not refs and not parallel and not fresh and prev is not None and len(self.frontier) > 1
            and last in self.frontier and prev.verb not in self.lex.inspect
            and self._object_is_it(clause) and not self._is_join(clause)
        ):
            # "Classify its tone, translate it and read it aloud": the last "it"
            # is the translation, the product of the step just before, not
            # everything still open.
            refs = [last]
        if needed and not set(needed) <= set(refs):
            # The clause's own reading of the text may start it from the input
            # or beside the step before; it still needs what was made for it.
            base = refs or ([] if fresh or parallel else [f for f in self.frontier if f not in needed])
            refs = sorted(set(base) | set(needed))
            cues = [c for c in cues if c not in {"works on the original input", "works on a given input"}]
        made = len(self.drafts)
        medium = self._wanted_medium(clause, verb)
        self._sibling_or_chain(clause, verb, role, cues, parallel=parallel, fresh=fresh, inputs=refs)
        if done_to is not None and len(self.drafts) > made:
            self.drafts[-1].touched = done_to[1]
        if medium is not None and len(self.drafts) > made:
            self._add_conversion(clause, medium)

    def _fetch_first(self, clause: Clause, verb: str | None, cues: list[str]) -> None:
        """Fetch what a step works on from a web address, when no step has.

        "Summarise the article at https://example.org/post": the article is
        on a web page, not in hand, so downloading it is a step before the
        summary. A verb that fetches or looks it up itself ("download",
        "find ... on") needs nothing more, nor does an address a step
        already used.
        """
        m = _WEB_PLACE.search(self.text, clause.start, clause.end)
        if m is None:
            self._fetch_stated(clause, verb, cues)
            return
        if verb in self.lex.forms.get("fetching", frozenset()):
            return
        address = m.group("address") or m.group("site") if m is not None else None
        if m is None or address is None or any(address in d.text for d in self.drafts):
            return
        before = re.findall(r"[\w']+", self.text[max(clause.start, m.start() - 40) : m.start()].lower())
        if not before or before[-1] not in self.lex.forms.get("web_content", frozenset()):
            return  # "order a pizza from dominos.com": an errand on the site, nothing to read
        toks = tuple(t for t in clause.tokens if t.start >= m.start() and t.start < m.end())  # a quoted address ends after its quote
        if not toks:
            return
        # What the later step names ("the content", "the article") is what was fetched.
        self._groundwork(
            clause, toks, "download", cues, "fetched from the web first",
            words=["download", before[-1]], products=mention_words(self.text[clause.start : m.end()]),
        )

    def _fetch_stated(self, clause: Clause, verb: str | None, cues: list[str]) -> None:
        """Fetch the thing a step works on when its web address is stated apart.

        "Get the audio track from the clip. The video URL is https://...":
        the video the step takes its part from is online, so downloading it
        is a step before, as if the address stood in the clause itself.
        Only for a thing the clause names after its verb, whose address no
        step has used; a fetching verb whose object is that thing ("download
        the video") fetches it itself, while "get the audio from the video"
        takes a part out of it.
        """
        if clause.verb_index is None:
            return
        lo = max(0, clause.start - self.settings.given_window)
        toks = clause.tokens
        for m in _ADDRESS_STATED.finditer(self.text, lo, min(len(self.text), clause.end + self.settings.given_window)):
            noun = m.group("noun").lower()
            if noun not in self.lex.forms.get("web_content", frozenset()) or clause.start <= m.start() < clause.end:
                continue
            if m.group("address") in self.fetched or any(m.group("address") in d.text for d in self.drafts):
                return
            at = next((i for i in range(clause.verb_index + 1, len(toks)) if toks[i].low == noun), None)
            if at is None:
                continue
            held = any(toks[k].low in {"from", "in", "of", "inside"} for k in range(max(clause.verb_index + 1, at - 4), at))
            if verb in self.lex.forms.get("fetching", frozenset()) and not held:
                return
            self._groundwork(clause, toks[at : at + 1], "download", cues, "fetched from the web first", words=["download", noun], products={noun})
            self.fetched.add(m.group("address"))
            return

    def _reading_in_basis(self, clause: Clause, cues: list[str]) -> None:
        """Make the reading a step is based on, when no step has made it yet.

        "Draw a picture based on the mood of this poem", "plan the week
        according to the tasks detected in my notes": what the work rests on
        is a finding (a mood, detected tasks) that only a reading of the
        input gives, so that reading is a step before it. A basis that is
        the input itself ("based on the following text") or a result a step
        already made adds nothing.
        """
        toks = clause.tokens
        lows = [t.low for t in toks]
        # "linked to sea levels based on the most upbeat review": the
        # first link whose phrase starts with a determiner names the basis.
        start = next(
            (i + 2 for i in range(len(lows) - 2) if (lows[i], lows[i + 1]) in _BASIS_LINKS
             and lows[i + 2] in DETERMINERS and lows[i + 2] not in _NOT_DEFINITE - {"all"}),
            None,
        )
        if start is None:
            return
        end = start + 1
        while end < len(toks) and toks[end].is_word and lows[end] not in {"and", "or", "then", "so", "but"}:
            end += 1
        phrase = lows[start + 1 : min(end, start + 5)]
        found = self._reading_of(phrase)
        if found is None or found[0] == clause.verb:
            return
        reader, named = found
        made = set().union(*(d.products for d in self.drafts)) if self.drafts else set()
        if named in made or any(w in made for w in phrase[:2]):
            return  # a step already made it: an ordinary hand-off
        # "the extracted keywords" say what was taken out but not what from:
        # with no source named, from the user's material, not the step before.
        fresh = reader in _TAKEN_OUT_BASIS and bool(self.drafts) and not set(phrase) & {"of", "from", "in", "within"}
        d = self._groundwork(clause, toks[start + 1 : end], reader, cues, "reading named by its basis", products={named}, fresh=fresh)
        if d is not None:
            d.words = [reader, *(w for w in d.words[1:] if self.lex.base_form(w) != reader)]  # no "answer-answer"

    def _translated_first(self, clause: Clause, verb: str, cues: list[str]) -> None:
        """Translate what a step works on when the user gave it in another language.

        "I have the release notes in German. Post them in English on the
        forum": the notes exist only in German, so putting them into English
        is a step before posting. A step that writes something new ("write
        the reply in French") or translates itself needs nothing more, nor
        does a language the user's material was already in, or material the
        clause quotes itself.
        """
        languages = self.lex.forms.get("languages", frozenset())
        kinds = load_kinds()
        if (
            clause.verb_index is None or not languages or verb in kinds.makes_text | kinds.makes
            or verb in self.lex.forms.get("text_verbs", frozenset()) | self.lex.forms.get("converting", frozenset())
            or any(d.verb == "translate" for d in self.drafts)
        ):
            return
        toks = clause.tokens
        at = next(
            (i for i in range(clause.verb_index + 1, len(toks) - 1)
             if toks[i].low == "in" and toks[i + 1].low in languages and not toks[i + 1].quoted),
            None,
        )
        if at is None or any(t.quoted for t in toks):
            return  # "ask a question in French: '...'": the quoted material is already in it
        wanted = toks[at + 1].low
        # The languages the user's material came in, named outside quoted passages.
        before = _QUOTED_PASSAGE.sub(" ", self.text[max(0, clause.start - self.settings.given_window) : clause.start])
        given = {w for w in re.findall(r"[a-z]+", before.lower()) if w in languages}
        if not given or wanted in given:
            return
        self._groundwork(clause, toks[at : at + 2], "translate", cues, "translated first", words=["translate", "to", wanted], fresh=bool(self.drafts))

    def _part_taken_out(self, clause: Clause, verb: str, cues: list[str]) -> None:
        """Take out the part of a media file that a step works with, if no step has.

        "Make a slideshow using a still from clip.mp4 and my photo": the
        slideshow needs a still image, which sits inside the video; taking it
        out is a step before. Only a part the step uses (after "using",
        "with", "between", ...), not its own object: "transcribe the speech
        from the video" is one step.
        """
        if clause.verb_index is None:
            return
        parts = self.lex.parts
        containers = self.lex.forms.get("containers", frozenset())
        toks = clause.tokens
        lows = [t.low for t in toks]
        for i in range(clause.verb_index + 2, len(lows) - 2):
            if lows[i] not in _USE_LINKS or lows[i + 1] not in DETERMINERS:
                continue
            # "a still image from", "the most stable frame from": the part within a few words.
            for k in range(i + 2, min(i + 6, len(lows) - 1)):
                link = k + 1 + (lows[k + 1] == "image")  # "a still image from"
                if lows[k] in parts and link < len(lows) and lows[link] in {"from", "of", "in"}:
                    after = link + 1
                    holder = next(
                        (j for j in range(after, min(after + 4, len(lows)))
                         if lows[j] in containers or lows[j].strip("'\"").rsplit(".", 1)[-1] in containers),
                        None,
                    )
                    taker = parts[lows[k]]
                    if holder is None or any(d.verb == taker for d in self.drafts):
                        return
                    # Out of the user's own file it waits for no step; out of a step's result, after it.
                    made = any(lows[holder] in d.products for d in self.drafts)
                    self._groundwork(
                        clause, toks[i + 1 : holder + 1], taker, cues, "part taken out first",
                        words=[taker, lows[k]], products={lows[k]}, fresh=bool(self.drafts) and not made,
                    )
                    return
                if lows[k] in _PREPOSITIONS:
                    break

    def _part_in_given(self, clause: Clause, verb: str, cues: list[str]) -> None:
        """Take out a part the user said sits inside a media file, before a step uses it.

        "I have a photo with a poem written on it. Translate the poem": the
        poem is in the picture, not in hand as words, so taking it out of
        the photo is a step before the translation. A verb that takes it out
        itself ("extract the poem") needs nothing more, nor does a part a
        step already took out.
        """
        if clause.verb_index is None or verb in self.lex.parts.values() or verb in load_kinds().takes_out:
            return
        toks = clause.tokens
        lows = [t.low for t in toks]
        heads = self._definite_heads(toks[clause.verb_index + 1 :])
        kinds = load_kinds()
        part = next((h for h in sorted(heads) if h in self.lex.parts or kinds.of_word(h) in _WRITTEN), None)
        if part is None or any(part in d.products for d in self.drafts):
            return
        # What the user said they have: the text before the clause that no step came from.
        words = re.findall(r"[\w'.-]+", self._unclaimed_before(clause).lower())
        containers = self.lex.forms.get("containers", frozenset())
        inside = False
        for i, w in enumerate(words):
            # "an image with some text in it", "a video containing a speech"
            if w.strip(".") in containers or w.rsplit(".", 1)[-1] in containers:
                near = words[i + 1 : i + 8]
                inside = inside or any(c in _CONTAINS and part in near[j + 1 : j + 5] for j, c in enumerate(near))
        if not inside:
            return
        at = lows.index(part, clause.verb_index + 1) if part in lows[clause.verb_index + 1 :] else None
        if at is None or (at and (lows[at - 1] in self.lex.refers_back or self._participle(lows[at - 1]))):
            return  # "the merged audio": a step's result
        taker = self.lex.parts.get(part, "extract")
        self._groundwork(
            clause, toks[at : at + 1], taker, cues, "part of a given file taken out first",
            words=[taker, part], products={part}, fresh=bool(self.drafts),
        )

    def _wanted_part_of_given(self, clause: Clause, cues: list[str]) -> None:
        """Take a wanted part out of the user's file before working on it.

        "I have a video of my talk. I need an audio file with the noise
        reduced": the wanted thing is audio, which the user has only inside
        a video, so taking the audio out is a step before the noise
        reduction. A user who also has a file of that kind, or a step that
        made one, needs nothing more.
        """
        kinds = load_kinds()
        toks = clause.tokens
        lows = [t.low for t in toks]
        head = next((i for i in range(clause.body_index, min(len(lows), clause.body_index + 4)) if lows[i] in self.lex.parts), None)
        if head is None or self.drafts:
            return
        kind = kinds.of_word(lows[head])
        context = re.findall(r"[\w'.-]+", self.text[max(0, clause.start - self.settings.given_window) : clause.start].lower())
        # What the user has: named files ("talk.mp4") and "a video file"-like nouns, not
        # what those files hold ("a video with a speech in it").
        named = [w.strip("'.") for w in context]
        given = {
            kinds.of_word(w)
            for k, w in enumerate(named)
            if "." in w or (k + 1 < len(named) and named[k + 1] in {"file", "files", "clip", "recording"})
        } - {None}
        containers = self.lex.forms.get("containers", frozenset())
        holds = any(w.strip("'.") in containers or w.strip("'.").rsplit(".", 1)[-1] in containers for w in context)
        if kind is None or kind in given or not holds or not given:
            return
        taker = self.lex.parts[lows[head]]
        self._groundwork(clause, toks[head : head + 1], taker, cues, "part of a given file taken out first", words=[taker, lows[head]], products={lows[head]})

    def _version_made_first(self, clause: Clause, cues: list[str]) -> None:
        """Make the changed version of a thing a step uses, when no step has.

        "Make a slideshow using a colorized version of old.jpg": the
        slideshow needs old.jpg colorized, which is work of its own before
        it. Only a version the step uses (after "using", "with", ...), not
        its own product ("write a shortened version of the essay").
        """
        if clause.verb_index is None:
            return
        toks = clause.tokens
        lows = [t.low for t in toks]
        for i in range(clause.verb_index + 1, len(lows) - 4):
            if lows[i] not in _USE_LINKS or lows[i + 1] not in {"a", "an", "the"}:
                continue
            if lows[i + 3] not in {"version", "copy", "edition"} or lows[i + 4] != "of" or not self._participle(lows[i + 2]):
                continue
            maker = self.lex.base_form(lows[i + 2])
            if maker is None or any(d.verb == maker for d in self.drafts):
                return
            end = i + 5
            while end < len(toks) and (toks[end].is_word or toks[end].quoted) and lows[end] not in _PREPOSITIONS | {"and", "or", "that", "which"}:
                end += 1
            self._groundwork(
                clause, toks[i + 5 : end] or toks[i + 2 : i + 4], maker, cues, "version made first",
                products={"version", lows[i + 2]}, fresh=bool(self.drafts),
            )
            return

    def _sides_read_first(self, clause: Clause, cues: list[str]) -> None:
        """Put the user's picture or sound into words before a step compares it.

        "Check whether the voice memo matches the photo": a memo and a photo
        are compared by what they say and show, so transcribing the memo and
        describing the photo are steps of their own, each from the user's
        file, and the comparison joins them. A side that is a step's result
        ("the edited photo", "it") or text is compared as it is, and "to
        match" states a goal ("resize it to match the banner"), not a check.
        """
        if clause.verb_index is None or len(self.drafts) + 2 >= self.settings.max_steps:
            return
        kinds = load_kinds()
        toks = clause.tokens
        lows = [t.low.strip("'\"‘’“”") for t in toks]
        comparing = self.lex.forms.get("comparing", frozenset())
        compares = any(
            (w in comparing and not (i and lows[i - 1] == "to")) or (w == "similar" and i and lows[i - 1] == "how")
            for i, w in enumerate(lows)
        )
        if not compares:
            return
        # Only across kinds: two photos, or two recordings, are compared as they are.
        sides = {kinds.of_word(w) for w in lows[clause.verb_index + 1 :]} - {None}
        if self.drafts and {"it", "them", "this", "that"} & set(lows[clause.verb_index + 1 :]):
            sides.add(self.drafts[-1].kind)  # "compare it with the recording": the last result
        if len(sides - {None}) < 2:
            return
        made = {d.kind for d in self.drafts if d.group is None}
        seen: set[str] = set()
        for i in range(clause.verb_index + 1, len(toks)):
            kind = kinds.of_word(lows[i])
            if kind is None or kind not in kinds.readers or kind in seen or kind in made:
                continue
            seen.add(kind)
            start = i
            while start > clause.verb_index + 1 and start > i - 3 and toks[start - 1].is_word and lows[start - 1] not in _PREPOSITIONS | _BREAK_WORDS:
                start -= 1
            if any(w in self.lex.refers_back or self._participle(w) for w in lows[start:i]):
                continue  # "the edited image": a step's result
            if start >= 2 and lows[start - 1] in {"in", "from", "of", "on"} and kinds.of_word(lows[start - 2]) in _WRITTEN:
                continue  # "the text in the image": words taken out, not a picture described
            end = i + 1
            while end < len(toks) and end < i + 3 and (toks[end].quoted or _FILE_NAME.fullmatch(lows[end]) or kinds.of_word(lows[end]) is None) and toks[end].is_word and lows[end] not in _PREPOSITIONS | _BREAK_WORDS:
                end += 1
            reader = kinds.readers[kind]
            self._groundwork(clause, toks[start:end], reader, cues, "put into words to compare", words=[reader, lows[i]], fresh=bool(self.drafts))

    def _same_finding_read_first(self, clause: Clause, cues: list[str]) -> None:
        """Read each side first when a step asks whether two things share a finding.

        "Tell me whether the poster and the flyer are in the same language",
        "check if the photo and the table belong to the same category": the
        answer compares what a reading of each thing reports (the language,
        the category), so each thing is read by a step of its own, from the
        user's file, and the question joins the two readings. A side that is
        a step's result ("the edited photo") is left to the usual reading.
        """
        if clause.verb_index is None or len(self.drafts) + 2 >= self.settings.max_steps:
            return
        lows = [t.low for t in clause.tokens]
        finding = None
        for i, w in enumerate(lows):
            if w == "same":
                # "the same category", "the same or similar topic"
                near = [x for x in lows[i + 1 : i + 4] if x in self.lex.findings]
                finding = near[0] if near else None
                break
        if finding is None:
            return
        kinds = load_kinds()
        sides: list[int] = []
        stop = lows.index("same")
        for i in range(clause.verb_index + 1, stop):
            if kinds.of_word(lows[i]) is None or (i and (lows[i - 1] in self.lex.refers_back or self._participle(lows[i - 1]))):
                continue
            sides.append(i)
        # Two things joined by "and": "the image and table", "the photo and the chart".
        if len(sides) != 2 or "and" not in lows[sides[0] + 1 : sides[1]]:
            return
        reader = self.lex.findings[finding]
        for i in sides:
            self._groundwork(clause, clause.tokens[i : i + 1], reader, cues, "read to compare a finding", words=[reader, lows[i]], fresh=True)

    def _sides_classified(self, clause: Clause, cues: list[str]) -> None:
        """Classify each side of a same-category question before comparing them.

        "Tell me whether the logo and the banner belong to the same style":
        that is known by classifying each and comparing the two labels, so
        each classification is a step of its own, from the user's input,
        and the question joins them.
        """
        m = _SAME_CLASS.search(self.text, clause.start, clause.end)
        if m is None or len(self.drafts) + 2 >= self.settings.max_steps:
            return
        sides = [tuple(t for t in clause.tokens if m.start(side) <= t.start and t.end <= m.end(side)) for side in ("a", "b")]
        if any(not toks or any(self._participle(t.low) or t.low in _RESULT_WORDS for t in toks) for toks in sides):
            return  # "the edited photo": a step's result, read the usual way
        for toks in sides:
            self._groundwork(
                clause, toks, "classify", cues, "classified to compare",
                words=["classify", *(t.low for t in toks if t.low not in DETERMINERS)][:3], fresh=bool(self.drafts),
            )

    def _reading_of(self, phrase: Sequence[str]) -> tuple[str, str] | None:
        """The reading verb and the finding a basis phrase names, if it names one.

        "sentiment of this text" -> (analyze, sentiment); "objects detected
        in" -> (detect, objects); "depth estimation" -> (estimate, estimation).
        """
        findings = self.lex.findings

        def ends_phrase(k: int) -> bool:
            # "the sentiment of ...", not "the topic 'tides'" (given) nor "the classification scheme" (a thing)
            return k + 1 >= len(phrase) or phrase[k + 1] in _PREPOSITIONS | {"that", "which", "as"}

        if len(phrase) > 2 and phrase[0] in {"most", "least"} and phrase[1] in findings:
            # "the most positive article": picking it needs its sentiment read.
            return findings[phrase[1]], phrase[2]
        if len(phrase) > 1 and phrase[0] in {"main", "key", "central", "overall"}:
            phrase = phrase[1:]  # "the main ideas of ...": the finding is the noun
        head = phrase[0] if phrase else ""
        if head in findings and (ends_phrase(0) or (len(phrase) > 1 and phrase[1].endswith("ed"))):
            # An answer is only found by someone here when the task poses a question.
            if findings[head] != "answer" or "?" in self.text or "question" in self.text.lower():
                return findings[head], head
            return None
        for k, w in enumerate(phrase[:2]):
            if w in _PREPOSITIONS:
                break
            base = self.lex.base_form(w) if self._participle(w) else None
            if base is not None and (base in self.lex.inspect or base in _TAKEN_OUT_BASIS):
                # "the detected objects" names the objects after it; "the objects detected" the one before.
                thing = phrase[1] if k == 0 and len(phrase) > 1 else head
                return base, thing
            if ends_phrase(k):
                for v in sorted(self.lex.inspect):  # "analysis" names "analyse" and "analyze": one answer every run
                    if w in nominals(v) and len(w) > len(v):
                        return v, w  # "the classification", "the depth estimation"
        return None

    def _wanted_medium(self, clause: Clause, verb: str | None) -> tuple[int, int] | None:
        """Where a clause asks for its worded result in another medium, as token indices.

        "Answer my question with a video", "give me the summary in the form
        of audio", "I want an audio response": the work makes words (an
        answer, a summary) and the user wants them as sound or pictures, so
        turning them into that medium is a second step. Returns the
        (first, last + 1) tokens naming the medium, or None. A verb that
        already does the turning ("convert the answer into speech") is one
        step, and "with the video" names an input, not a wanted form.
        """
        forms = self.lex.forms
        media, results = forms.get("media", frozenset()), forms.get("text_results", frozenset())
        if not media or verb in forms.get("converting", frozenset()):
            return None
        toks = clause.tokens
        lows = [t.low for t in toks]
        start = clause.verb_index + 1 if clause.verb_index is not None else clause.body_index
        for i in range(start, len(lows) - 1):
            # "an audio answer", "a spoken summary": a new result ("the audio
            # description" is one the user already has).
            if lows[i] in media and lows[i + 1] in results and not toks[i].quoted:
                before = [w for w in lows[max(start, i - 2) : i] if w in DETERMINERS]
                if before and before[-1] in {"a", "an"}:
                    return i, i + 1
            # "a speech describing the photo", "an audio clip explaining the
            # rules": a voice only reads words it is given, so the describing
            # is written first and then voiced. (A video maker works from a
            # prompt itself: "a video explaining X" stays one step.)
            spoken = forms.get("spoken", frozenset())
            if lows[i] in spoken and not toks[i].quoted:
                j = i + 1 + (lows[i + 1] in forms.get("medium_nouns", frozenset()) and i + 2 < len(lows))
                doing = lows[j]
                base = self.lex.base_form(doing) if doing.endswith("ing") else None
                before = [w for w in lows[max(start, i - 2) : i] if w in DETERMINERS]
                if base in forms.get("text_verbs", frozenset()) and before and before[-1] in {"a", "an"}:
                    return i, j
        makes_words = verb in forms.get("text_verbs", frozenset()) or any(w in results for w in lows[start:])
        if not makes_words:
            return None
        links = sorted((tuple(p.split()) for p in forms.get("links", frozenset())), key=len, reverse=True)
        for i in range(start, len(lows)):
            for link in links:
                if tuple(lows[i : i + len(link)]) != link:
                    continue
                j = i + len(link)
                indefinite = j < len(lows) and lows[j] in {"a", "an"}
                if j < len(lows) and lows[j] in DETERMINERS:
                    if lows[j] not in {"a", "an"} and link[0] != "as":
                        break  # "with the video": an input the work uses
                    j += 1
                after = lows[j + 1] if j + 1 < len(lows) and toks[j + 1].is_word else ""
                names_medium = not after or after in forms.get("medium_nouns", frozenset()) or after in _PREPOSITIONS
                if j < len(lows) and lows[j] in media and not toks[j].quoted and names_medium:
                    if link[0] in {"with", "via", "through"} and not indefinite:
                        break
                    return i, j + (2 if after in forms.get("medium_nouns", frozenset()) else 1)
                break
        return None

    def _add_conversion(self, clause: Clause, medium: tuple[int, int]) -> None:
        """The step that turns the last step's worded result into the wanted medium."""
        last = len(self.drafts) - 1
        toks = clause.tokens[medium[0] : medium[1]]
        noun = next((t.low for t in toks if t.low in self.lex.forms.get("media", frozenset())), toks[-1].low)
        draft = _Draft(
            text=self.text[toks[0].start : toks[-1].end],
            span=(toks[0].start, toks[-1].end),
            verb="convert",
            role=self.lex.role_of("convert"),
            cues=["wanted in another form"],
            words=["convert", "to", noun],
            classify_text=f"convert it to {noun}",
            products=frozenset({noun}),
            sentence=clause.sentence.index,
        )
        idx = self._add(draft, [last])
        if idx is not None:
            self.frontier = [*[f for f in self.frontier if f != last], idx]

    def _groundwork(
        self,
        clause: Clause,
        toks: Sequence[Token],
        verb: str,
        cues: list[str],
        why: str,
        *,
        words: Sequence[str] | None = None,
        products: Iterable[str] = (),
        fresh: bool = False,
    ) -> _Draft | None:
        """Add a step the clause's words imply before it ("download the article
        at https://...", "take the audio out of the clip"): ``toks`` are the
        words it came from, ``why`` the cue that says so, ``words`` its id
        words and ``products`` what the clause may call its result. ``fresh``
        starts it from the user's input instead of after the open steps.
        Returns the new step, or None when the step limit left no room."""
        made = len(self.drafts)
        sub = Clause(tuple(toks), clause.sentence, None, (), None, verb, False, 0)
        self._sibling_or_chain(sub, verb, self.lex.role_of(verb), [*cues, why], parallel=False, fresh=fresh)
        if len(self.drafts) == made:
            return None
        d = self.drafts[-1]
        if words is not None:
            d.words = list(words)
        d.products = d.products | frozenset(products)
        return d

    def _unclaimed_before(self, clause: Clause) -> str:
        """The text before ``clause`` that no step was made from, with the steps'
        own words blanked out (same length, so offsets still match); a window
        keeps this linear in the text length."""
        lo = max(0, clause.start - self.settings.given_window)
        context = list(self.text[lo : clause.start])
        for d in self.drafts:
            a, b = max(d.span[0], lo), min(d.span[1], clause.start)
            if a < b:
                context[a - lo : b - lo] = " " * (b - a)
        return "".join(context)

    def _sent_for_review(self, clause: Clause) -> str | None:
        """"Send the draft to legal for review", "circulate it to the leads for
        comments": handing a piece of work to people for their feedback asks
        them to review it, which is the work; the sending is how."""
        if clause.verb not in self.lex.forms.get("handing", frozenset()) or clause.verb_index is None:
            return None
        lows = [t.low for t in clause.tokens[clause.verb_index + 1 :]]
        for k in range(len(lows) - 1):
            if lows[k] == "for" and lows[k + 1] in self.lex.forms.get("feedback", frozenset()):
                return "review"
        return None

    def _suggests_fixes(self, clause: Clause, verb: str | None) -> bool:
        """"Proofread the letter and suggest corrections", "review the PR and
        propose improvements": a look reports what it found together with how
        to put it right, so suggesting fixes right after it is that look's own
        report, not another step. Making the fixes ("and correct them") is work."""
        if not self.drafts or clause.verb_index is None or verb not in self.lex.forms.get("suggesting", frozenset()):
            return False
        prev = self.drafts[-1]
        if prev.verb not in self.lex.inspect or prev.group is not None or len(self.frontier) != 1:
            return False
        words = [t.low for t in clause.tokens[clause.verb_index + 1 : clause.verb_index + 4] if t.is_word]
        words = [w for w in words if w not in DETERMINERS and w not in {"any", "possible", "some"}]
        return bool(words) and words[0] in self.lex.forms.get("fix_words", frozenset())

    def _asks_which(self, clause: Clause) -> bool:
        """"measure which gives better results", "test which of them is faster": a
        look whose object is a choice among the options before it."""
        i = clause.verb_index
        after = [t.low for t in clause.tokens[i + 1 : i + 4]] if i is not None else []
        return bool(after) and after[0] == "which" and clause.connector is not None

    def _causative(self, clause: Clause) -> tuple[str, int] | None:
        """"get it reviewed by legal", "have the draft checked": the work is the
        participle's verb, done by someone the text names; "get" and "have" only
        arrange it. "I have a photo taken in Paris" states what the user owns.
        Returns the work's verb and the index of the token that names it."""
        i = clause.verb_index
        if clause.verb not in {"get", "have"} or i is None:
            return None
        if i > 0 and clause.tokens[i - 1].low in _SUBJECT_PRONOUNS:
            return None
        for k, t in enumerate(clause.tokens[i + 1 : i + 6]):
            if not t.is_word:
                return None
            base = self.lex.base_form(t.low) if k else None
            if base is None or not self.lex.verbs.get(base):
                continue
            if t.low.endswith(("ed", "en")) and base != t.low:
                nxt = clause.tokens[i + 2 + k] if i + 2 + k < len(clause.tokens) else None
                if nxt is not None and nxt.is_word and nxt.low not in _PREPOSITIONS | _AFTER_COMPLEMENT:
                    return None  # "have a summarized version": the participle describes a noun
                return base, i + 1 + k  # "get it reviewed by legal"
            if k == 1 and clause.tokens[i + 1].low not in DETERMINERS:
                return base, i + 1 + k  # "have it proofread", "have legal review it" (not "have the notes ...")
            rest = clause.tokens[i + 2 + k : i + 3 + k]
            if k <= 3 and rest and rest[0].low in {"it", "them", "this", "that", "the", "a", "an", "our", "my", "their"}:
                return base, i + 1 + k  # "have the editors review it"
            if clause.tokens[i + k].low in DETERMINERS:
                continue  # "have the notes summarized": after an article, "notes" is the thing
            return None
        return None

    def _used_for(self, clause: Clause) -> str | None:
        """"Use the notes to draft a reply": the work is drafting, and what is
        used is its input; "use" only hands it over. Returns the verb after
        "to", or None when no work verb follows ("use it as a template")."""
        i = clause.verb_index
        if clause.verb != "use" or i is None:
            return None
        toks = clause.tokens
        for k in range(i + 1, min(len(toks) - 1, i + 9)):
            if not toks[k].is_word and not toks[k].quoted:
                return None  # a comma or bracket ends the used thing
            if toks[k].low == "to":
                nxt = toks[k + 1].low
                base = self.lex.base_form(nxt)
                return base if base == nxt and self.lex.verbs.get(base) else None
        return None

    def _finds_whether(self, clause: Clause) -> str | None:
        """"Find out whether the quote matches the source": finding whether is a check.

        It looks at its inputs and reports yes or no, leaving them as they
        were, like any other inspection; it searches for nothing.
        """
        if clause.verb != "find" or clause.verb_index is None:
            return None
        after = [t.low for t in clause.tokens[clause.verb_index + 1 : clause.verb_index + 3]]
        if after[:1] in (["if"], ["whether"]) or after in (["out", "if"], ["out", "whether"]):
            return "check"
        return None

    def _told(self, clause: Clause) -> Clause | None:
        """"Tell me the answer to ...": the work is the answering; telling only hands it over.

        When the thing to tell is named by a noun that is also the verb of a
        look ("the answer", "the count", "the estimate"), the clause is read
        from that noun on, as "answer ...": the noun names the step's own
        result, not one an earlier step made.
        """
        k = clause.verb_index
        if clause.verb != "tell" or k is None:
            return None
        after = [t.low for t in clause.tokens[k + 1 : k + 4]]
        if len(after) < 3 or after[0] not in {"me", "us"} or after[1] not in {"the", "an", "a"} or after[2] not in self.lex.inspect:
            return None
        return Clause(clause.tokens[k + 3 :], clause.sentence, clause.connector, clause.lead, 0, after[2], clause.ends_with_colon, 0)

    def _other_kind_source(self, clause: Clause, prev: _Draft) -> int | None:
        """Where a step reads from when it reads a different kind of thing than the step before made.

        "Summarise the notes, then crop the photo": cropping reads a photo and
        the summary is text, so the crop reads the latest step that made an
        image, or else the image the user brought in. Returns that step's
        index, -1 for the user's input, or None when the kinds do not say
        (unknown, the same, a clause that points back or uses the result).
        """
        if prev.verb in self.lex.inspect and set(clause.lead) & _SEQUENCE_LEADS:
            return None  # "classify the photo, then crop it": an ordering cue after a look keeps the order
        if clause.verb_index is None or prev.kind is None or self.lex.verbs.get(clause.verb or "") == "":
            return None  # a light verb ("use example.jpg for ...") says too little about its input
        kinds = load_kinds()
        toks = clause.tokens[clause.verb_index + 1 :]
        wanted = kinds.source(
            clause.verb, toks, inspects=clause.verb in self.lex.inspect, ordered=bool(set(clause.lead) & _SEQUENCE_LEADS)
        )
        if wanted is None or wanted == prev.kind or set(clause.lead) & SUBORDINATE:
            return None
        if any(
            # "a new caption" brings in a new thing; "the new caption" points back.
            (t.low in self.lex.refers_back and not (i and toks[i - 1].low in {"a", "an"})) or self._participle(t.low)
            for i, t in enumerate(toks)
        ):
            return None  # "the edited photo", "it": names a result
        # Quoted passages are data ("answer 'what is in the summarized text?'"), not references.
        plain = {t.low for t in toks if not t.quoted}
        made = prev.products | {p.rsplit(" ", 1)[-1] for p in prev.products}
        if plain & (made | _RESULT_WORDS) or self._referenced(clause):
            return None
        for u in range(len(self.drafts) - 1, -1, -1):
            if self.drafts[u].group is None and self.drafts[u].kind == wanted:
                return u
        # The user's own input: recent text before the clause that no step
        # came from, or a file named in the clause itself.
        words = re.findall(r"[\w.-]+", self._unclaimed_before(clause).lower())
        # "an image with some text": the text is part of the image, not an input of its own.
        given = {kinds.of_word(w) for i, w in enumerate(words) if not set(words[max(0, i - 3) : i]) & _CONTAINS}
        given |= {kinds.of_word(w) for w in kinds_words(toks) if _FILE_NAME.fullmatch(w)}
        # "the footage from the launch" or "my photo": a recording or picture no
        # step made is the user's own. "the table" or "the report" may well be
        # what the step before wrote down, so text and data keep the text order.
        ws = kinds_words(toks)
        determiners = {"my", "our", "your"} if wanted in _WRITTEN | {"data"} else {"the", "this", "that", "my", "our", "your"}
        definite = any(w in determiners and any(kinds.of_word(x) == wanted for x in ws[i + 1 : i + 3]) for i, w in enumerate(ws))
        return -1 if wanted in given or definite else None

    def _referenced(self, clause: Clause) -> list[int]:
        """Earlier steps whose results the clause names, the latest maker of each."""
        text = self.text[clause.start : clause.end]
        mentioned = mention_words(text, results_only=True) | {t.low for t in clause.tokens if t.low.endswith("ed")}
        found: dict[str, int] = {}
        for i in range(len(self.drafts) - 1, -1, -1):
            d = self.drafts[i]
            if d.group is not None:
                continue
            for product in d.products & mentioned:
                found.setdefault(product, i)
        # "the simplified text" names one result: when its whole phrase or its
        # modifier names a step, the bare head ("text") names no other one.
        for phrase in mention_words(text, results_only=True):
            parts = phrase.split()
            named = found.get(phrase, found.get(parts[0])) if len(parts) == 2 else None
            if named is not None and parts[1] in found and found[parts[1]] != named:
                del found[parts[1]]
        return sorted(set(found.values()))

    def _separate_results(self, enum: Enumeration) -> bool:
        """"I need a chart and a short report": two results each brought in by "a"/"an".

        An indefinite article on each item names a thing of its own; "the
        cover and spine" or "salt and pepper" is more often one thing.
        """
        return len(enum.items) == 2 and all(
            self.text[it.start : it.end].lower().split(" ", 1)[0] in {"a", "an"} for it in enum.items
        )

    def _kinds_differ(self, enum: Enumeration) -> bool:
        """"I need some tips and videos about X": two wanted things of different
        kinds (text and video) are two results, each made or found on its own."""
        kinds = load_kinds()
        found = [kinds.of_phrase(re.findall(r"[\w.'-]+", self.text[it.start : it.end].lower())) for it in enum.items]
        return len(found) == 2 and None not in found and found[0] != found[1]

    def _both_results(self, clause: Clause) -> list[int]:
        """"Put both drafts side by side": the two latest steps that made such a thing.

        "both X" / "the two X" after two steps that each made an X joins them,
        even if one came from the other.
        """
        lows = [t.low for t in clause.tokens]
        for i, w in enumerate(lows[:-1]):
            if w == "both" or (w == "two" and i and lows[i - 1] == "the"):
                noun = singular(lows[i + 1])
                things: dict[str, int] = {}  # each thing made -> the maker of its latest version
                versions: list[int] = []  # every maker, latest first
                for u in range(len(self.drafts) - 1, -1, -1):
                    if self.drafts[u].group is not None:
                        continue
                    made = sorted(p for p in self.drafts[u].products if p == noun or p.endswith(" " + noun))
                    if made:
                        versions.append(u)
                        if not any(m in things for m in made):
                            things[made[0]] = u
                # Two different things if there are, else two versions of one ("the draft and its shortened version").
                picked = sorted(things.values())[-2:] if len(things) >= 2 else versions[:2]
                if len(picked) == 2:
                    return sorted(picked)
        return []

    def _bare_condition(self, clause: Clause, lead: set[str]) -> bool:
        """"After editing," / "before attending,": a condition that names no new thing.

        A gerund after a subordinator with nothing after it points at work
        already asked for in other words; it is not a step of its own.
        """
        if not (lead & SUBORDINATE) or clause.verb_index is None or not self.drafts:
            return False
        rest = [t for t in clause.tokens[clause.verb_index + 1 :] if t.is_word]
        return clause.tokens[clause.verb_index].low.endswith("ing") and not rest

    def _named_makers(self, clause: Clause) -> list[int]:
        """Steps whose results the clause's definite noun phrases name, one per phrase.

        Each phrase names one result, read as specifically as the words allow:
        "the translated summary" is the translation's result (its participle),
        not the summary an earlier step wrote; a bare head ("the summary")
        is the latest step that made one.
        """
        found: set[int] = set()
        # Quoted passages are data ("answer 'what colour is the sky?'"), not references.
        words = [t.low for t in clause.tokens if t.is_word and not t.quoted]
        for phrase in mention_phrases(words):
            if phrase[0] in _LATEST:
                found.add(len(self.drafts) - 1)  # "the final image": whatever was made last
                continue
            maker = self._maker_of(phrase)
            if maker is not None:
                found.add(maker)
        return sorted(found)

    def _maker_of(self, phrase: tuple[str, ...]) -> int | None:
        """The latest ungrouped step whose result ``phrase`` names, if any."""
        # The whole phrase first ("the reply" is "a short reply": a product's
        # head counts); then a participle modifier, which names the result of
        # its verb ("the summarised notes" is the summary, whoever wrote it).
        # The head of a two-word phrase alone is no reading: "the stylised
        # image" is not just any image made before.
        readings = [{" ".join(phrase)}]
        if len(phrase) == 2 and (self._participle(phrase[1]) or phrase[1] in IRREGULAR_PAST) and not self._participle(phrase[0]):
            # "the text read aloud", "the clip uploaded": a participle after the noun describes it.
            readings.append({phrase[0]})
        if len(phrase) > 1:
            base = self.lex.base_form(phrase[0]) if self._participle(phrase[0]) else None
            if base is not None:
                readings.append({phrase[0], *nominals(base)})
            elif self._after_head(phrase[1]):
                readings.append({phrase[0]})  # "have the text read aloud": the text is the thing named
        for words in readings:
            for u in range(len(self.drafts) - 1, -1, -1):
                d = self.drafts[u]
                if d.group is None and any(p in words or p.rsplit(" ", 1)[-1] in words for p in d.products):
                    return u
        return None
    def _after_head(self, word: str) -> bool:
        """Whether a word after a noun is a verb form that describes it ("the text read", "the clip trimmed").

        Such a word ends the noun phrase instead of being its head, as in
        "have the text read to me" or "get the report reviewed"; a verb
        that is also a common noun ("the code review") stays the head.
        """
        base = self.lex.base_form(word)
        return base is not None and not word.endswith("ing") and word not in self.lex.nouns_too and base not in self.lex.nouns_too

    def _reworked_by(self, prev: _Draft, clause: Clause) -> bool:
        """Whether the clause names something the step before changed.

        "Convert the text to audio, enhance the audio quality, then classify
        the audio": enhancing changed the audio, so "the audio" afterwards is
        the enhanced one, not the converter's first output. A step that only
        inspects ("check the audio") leaves it as it was and claims nothing.
        """
        if not prev.touched or prev.verb in self.lex.inspect:
            return False
        return bool(prev.touched & mention_words(self.text[clause.start : clause.end]))

    def _points_back(self, clause: Clause, *, plural_only: bool = False) -> bool:
        """A pronoun object ("summarize it") means the last step's result.

        After an inspection, "it" is usually still the input being inspected
        while "them" is what it found; ``plural_only`` asks for the latter.
        """
        if clause.verb_index is None:
            return False
        after = [t.low for t in clause.tokens[clause.verb_index + 1 : clause.verb_index + 3]]
        pronouns = {"them", "these", "those"} if plural_only else {"it", "them", "this", "that", "these", "those"}
        return bool(after) and after[0] in pronouns

    def _starts_from_input(self, clause: Clause, lead: set[str]) -> bool:
        """Whether the clause says it works on the task's own input, not on a result.

        "improve the sound of the original recording", or an extra request
        ("also", "additionally") about a file or quoted text no step has used.
        """
        words = [t.low for t in clause.tokens]
        after_verb = set(words[clause.verb_index + 1 :]) if clause.verb_index is not None else set(words)
        # "compare it with the original": a comparison also needs what was
        # made from the original, so it does not start from the input alone.
        compares = clause.verb is not None and self.lex.role_of(clause.verb) == "compare"
        if not compares and any(w in _ORIGINAL and words[i + 1 : i + 2] != ["by"] for i, w in enumerate(words) if i) and not (
            after_verb & self.lex.refers_back
        ):
            return True  # "the input video", not "combine it with the given image" nor "provided by the lawyer"
        # "also" inside a wish ("I also want to") marks an extra request too.
        if lead & {"also", "additionally", "and also", "plus"} or any("also" in w.split() for w in lead):
            if self._names_a_result(clause):
                return False  # "also add music to this video", "... the extracted still"
            named = {t.low for t in clause.tokens if t.quoted or _FILE_NAME.fullmatch(t.text)}
            named |= self._colon_data(clause)
            # A step that only looked at the file left it as it was.
            used = " ".join(d.text.lower() for d in self.drafts if d.verb not in self.lex.inspect)
            return bool(named) and not any(n in used for n in named)
        return False

    def _colon_data(self, clause: Clause) -> set[str]:
        """The quoted passages and file names in the data a clause's colon introduces.

        "Also answer the question: 'Who wrote it?'": the question after the
        colon is what the step works on, though segmenting set it aside.
        """
        m = _COLON_DATA.match(self.text, clause.end, clause.end + 400)

        if m is None:
            return set()
        data = m.group(1)
        if data[:1] in _QUOTE_OPEN:
            return {data.lower()}
        return {w.lower() for w in _FILE_NAME.findall(data)}

    def _wanted_done(self, clause: Clause) -> tuple[str, frozenset[str]] | None:
        """"I'd like the speed of this clip to be doubled": the work (double)
        and the nouns of what it is done to (speed, clip), or None."""
        lows = [t.low for t in clause.tokens]
        # "a recording that has the hiss removed", "a photo with
        # the faces blurred": the participle at the end is the work wanted.
        last = lows[-1] if lows else ""
        base = self.lex.base_form(last) if self._participle(last) else None
        if base is not None and self.lex.role_of(base) is not None:
            for i in range(1, len(lows) - 2):
                if (lows[i] == "with" or (lows[i] in {"has", "have"} and lows[i - 1] in {"that", "which"})) and lows[i + 1] in {"the", "its", "their", "all"}:
                    return base, worked_on_all(clause.tokens[clause.body_index : len(lows) - 1])
        for i in range(1, len(lows) - 2):
            if lows[i] == "to" and lows[i + 1] == "be":
                word = lows[i + 2]
                base = self.lex.base_form(word) if self._after_be(word) else None
                if base is None or self.lex.role_of(base) is None:
                    return None
                return base, worked_on_all(clause.tokens[clause.body_index : i])
        return None

    def _kinds_in_one_input(self, clause: Clause, enum: Enumeration) -> bool:
        """"Find the dates, names and places in this letter": several kinds
        of thing looked for in one given input is one pass over it, unlike
        "research Stripe, Adyen and Braintree" (one look per subject)."""
        toks = clause.tokens
        after = [t.low for t in toks[enum.last_token : enum.last_token + 3] if t.is_word]
        if len(after) >= 2 and after[0] in {"in", "within", "from"} and after[1] in {"the", "this", "that", "my", "our", "a", "an"}:
            return True
        # "identify named entities such as dates, people and places": examples
        # of the one kind of thing a single pass looks for.
        if clause.verb not in self.lex.kind_finders:
            return False
        first = enum.items[0]
        lead = [t.low for t in toks[max(0, enum.first_token - 2) :] if t.end <= first.end]
        words = " ".join(lead[:-1])  # the first example itself is the last word
        # "classify its tokens, detecting entities such as dates, people and
        # places": examples that start inside an item make the commas before
        # them part of one request, not a list of subjects.
        inner = " ".join(t.low for t in toks[enum.first_token : enum.last_token] if t.start < enum.items[-1].start)
        return any(f" {w} " in f" {words} " or f" {w} " in f" {inner} " for w in ("such as", "e.g", "e.g.", "like", "including"))

    def _states_a_quality(self, clause: Clause) -> bool:
        """"I want the themes to be centred on sailing": a wanted result
        followed by "to be" and a word that is no work verb says how an
        earlier result should turn out. ("I need the text to be translated"
        names work: "translated" is a verb the lexicon knows.)"""
        lows = [t.low for t in clause.tokens]
        for i in range(len(lows) - 2):
            if lows[i] == "to" and lows[i + 1] == "be":
                base = self.lex.base_form(lows[i + 2])
                return base is None or self.lex.role_of(base) is None
        return False

    def _points_to_attachment(self, clause: Clause, verb: str | None) -> bool:
        """"Please find the text attached", "you can find the log below": the
        idiom hands the reader an input; it is not a search."""
        if verb != "find" or clause.verb_index is None:
            return False
        return any(t.low in _ATTACHED for t in clause.tokens[clause.verb_index + 1 :])

    def _asked_for_help(self, sent: Sentence, clause: Clause) -> bool:
        """Steps named as what someone asks help with: "... asking for help X-ing and Y-ing".

        "The client sent a note asking for help renaming the files and
        fixing the links": the statement reports a request, and its gerunds
        are the work asked for, one step each. Returns whether it made any.
        """
        toks = clause.tokens
        lows = [t.low for t in toks]
        at = next(
            (i + 3 for i in range(len(lows) - 3)
             if lows[i] in {"asking", "asks", "asked"} and lows[i + 1] == "for" and lows[i + 2] in {"help", "assistance"}),
            None,
        )
        if at is None:
            return False
        if at < len(lows) and lows[at] in {"with", "in"}:
            at += 1
        starts: list[tuple[int, str]] = []
        for i in range(at, len(lows)):
            base = self.lex.base_form(lows[i]) if lows[i].endswith("ing") else None
            if base is None or self.lex.role_of(base) is None:
                continue
            if i == at or lows[i - 1] in {"and", ","}:
                starts.append((i, base))
        if not starts or starts[0][0] != at:
            return False
        for k, (i, v) in enumerate(starts):
            stop = starts[k + 1][0] if k + 1 < len(starts) else len(toks)
            piece = toks[i:stop]
            while len(piece) > 1 and (not piece[-1].is_word or piece[-1].low in {"and", "or"}):
                piece = piece[:-1]
            sub = Clause(tuple(piece), clause.sentence, clause.connector if k == 0 else "and", (), 0, v, False, 0)
            self._clause(sent, sub, list_item=False)
        return True

    def _does_the_wanted(self, sent: Sentence, clause: Clause, verb: str | None) -> bool:
        """Whether a request does the one result wished for just before.

        "I need a logo for the shop. Please design it.": the wish named a
        result and asked for no work; "it" in the next sentence's request is
        that wished-for result, so a request that makes or finds it says the
        same step as the wish.
        """
        if verb is None or len(self.drafts) != 1 or not (self._points_back(clause) or self._makes_the_wished(clause)):
            return False
        if set(clause.lead) & _ADDS_OR_ORDERS:
            return False  # "But first, fix the typos in it": work before the wish, not the wish
        if verb in self.lex.inspect or self.lex.role_of(verb) in JUDGE_ROLES | COMBINE_ROLES | {"test"}:
            return False  # "check it", "review it": work on the result once it exists
        prev = self.drafts[0]
        if prev.verb is not None or "wanted result" not in prev.cues or prev.sentence != sent.index - 1:
            return False
        prev.verb, prev.role = verb, self.lex.role_of(verb)
        return True

    def _makes_the_wished(self, clause: Clause) -> bool:
        """"I need a shorter version. Please write a summarised version of the text":
        a request whose new result has the head noun of the one result wished for
        just before names that same result."""
        if clause.verb_index is None or clause.verb not in load_kinds().makes:
            return False
        parts = kind_phrases(kinds_words(clause.tokens[clause.verb_index + 1 :]))
        if not parts or parts[0][0] or parts[0][1][0] not in {"a", "an"}:
            return False
        wished = kind_phrases(re.findall(r"[\w'-]+|[,;:.]", self.drafts[0].text.lower()))
        if not wished or wished[0][0] or wished[0][1][-1] != parts[0][1][-1]:
            return False
        # "a report on sales", then "a report on costs": two topics are two results.
        topics = [next((w[-1] for lead, w in ps[1:3] if lead in {"on", "about"}), None) for ps in (wished, parts)]
        return None in topics or topics[0] == topics[1]

    def _passive_request(self, clause: Clause, cues: list[str]) -> bool:
        """Steps asked for in the passive: "a draft that needs to be shortened and proofread".

        "X needs to be / has to be / must be" followed by participles of work
        verbs asks for that work on X, one step per participle, in order.
        Returns whether it made any.
        """
        toks = clause.tokens
        lows = [t.low for t in toks]
        at = next(
            (i + 2 for i in range(1, len(lows) - 2) if lows[i] == "to" and lows[i + 1] == "be" and lows[i - 1] in _NEED_WORDS),
            None,
        )
        if at is None:
            at = next((i + 1 for i in range(1, len(lows) - 1) if lows[i] == "be" and lows[i - 1] == "must"), None)
        if at is None:
            return False
        found: list[tuple[str, int]] = []
        i = at
        while i < len(toks):
            low = lows[i]
            # "sped up and trimmed": a particle belongs to the participle before it.
            if low in {"both", "and", ",", "also", "then"} or (low in _PARTICLES and found and found[-1][1] == i - 1):
                i += 1
                continue
            base = self.lex.base_form(low) if self._after_be(low) else None
            if base is None or self.lex.role_of(base) is None:
                break
            found.append((base, i))
            i += 1
        for k, (v, i) in enumerate(found):
            stop = found[k + 1][1] if k + 1 < len(found) else len(toks)
            piece = toks[i:stop]
            while len(piece) > 1 and (not piece[-1].is_word or piece[-1].low in {"and", "or", "both"}):
                piece = piece[:-1]
            sub = Clause(piece, clause.sentence, clause.connector, clause.lead, 0, v, clause.ends_with_colon, 0)
            self._sibling_or_chain(sub, v, self.lex.role_of(v), [*cues, "asked in the passive"], parallel=False)
        return bool(found)

    def _unasked_condition(self, clause: Clause, cues: list[str]) -> bool:
        """"After the photo is cropped, caption it": the condition names work
        ("cropped") that no step has done yet, so that work comes first.
        Returns whether it made the step.
        """
        lows = [t.low for t in clause.tokens]
        for i in range(1, len(lows) - 1):
            if lows[i] not in {"is", "are", "was", "were", "been"}:
                continue
            word = lows[i + 1]
            base = self.lex.base_form(word) if self._participle(word) else None
            if base is None or self.lex.role_of(base) is None or base in _ASPECT_VERBS:
                return False  # "when the build is finished": waits, names no work
            if any(d.verb == base or word in d.products for d in self.drafts):
                return False  # "once the call is made": a step already does it
            self._sibling_or_chain(clause, base, self.lex.role_of(base), [*cues, "work named by a condition"], parallel=False)
            return True
        return False

    def _names_a_result(self, clause: Clause) -> bool:
        """Whether the clause's object points at something a step made.

        A pointing word ("this video", "the same text") or a participle of a
        known verb ("the extracted frame", "the added music") names a result;
        "the original file" or "a provided script" names the user's input.
        """
        if clause.verb_index is None:
            return False
        for t in clause.tokens[clause.verb_index + 1 :]:
            if t.low in _ORIGINAL:
                continue
            if t.low in self.lex.refers_back or self._participle(t.low):
                return True
        return False

    def _asks_again(self, sent: Sentence, clause: Clause, verb: str | None) -> bool:
        """Whether a one-request sentence repeats the one-request wish before it.

        "I want to speed up the video. Please adjust the video speed for me":
        a wish ("I want to", "I need to") followed by a polite request
        ("please", "help me") about the same thing, each sentence asking for
        one thing, is the same request said twice. A request about something
        new, or about the result ("the summarised text", "it" after a step
        that made something), is a step of its own.
        """
        if verb is None or clause.verb_index is None or len(self.drafts) != 1:
            return False
        prev = self.drafts[0]
        if prev.sentence != sent.index - 1 or not (prev.lead & _WISH_LEADS) or not (set(clause.lead) & _ASK_LEADS):
            return False
        if set(clause.lead) & _ADDS_OR_ORDERS:
            return False  # "Additionally, can you ...": more work, not the wish said again
        if sum(1 for c in self._sentence_parts if c.verb is not None) != 1:
            return False
        # "After I sell the item, please buy insurance": a request put after an
        # event is timed work of its own; a repeat of the wish adds no timing.
        if any(set(c.lead) & {"after", "once", "when", "before", "until"} for c in self._sentence_parts):
            return False
        toks = clause.tokens[clause.verb_index + 1 :]
        if any(t.low in _RESULT_WORDS or self._participle(t.low) for t in self._object_phrase(toks)):
            return False
        earlier = self.text[: clause.start]
        # Quotes may be masked out of the tokens, so read the raw rest of the sentence.
        rest = self.text[clause.start : max(sent.end, clause.end)]
        mine = {t.low for t in toks if t.is_word and t.low not in SLUG_SKIP and len(t.low) > 2}
        if mine & _TASK_WORDS:
            return True  # "I want to transfer $50. Please help me complete the transaction."
        # "I need to make a call to Ann. Please call 555-0100": the wish named
        # the work as a noun ("a call"), so the number is a detail of it.
        named_as_noun = verb in prev.words[1:]
        if not named_as_noun and any(m.group(0) not in earlier for m in _GIVEN_THING.finditer(rest)):
            return False  # brings in something new
        theirs = {w for w in prev.words if w not in SLUG_SKIP and len(w) > 2} | prev.products
        # "Tell me what kind of bird it is. Please classify it.": the
        # wish named the work ("class", "classification") the request's verb does.
        names_the_work = any(len(w) >= 4 and (verb.startswith(w) or w in nominals(verb)) for w in prev.words)
        return bool(mine & theirs) or verb == prev.verb or verb in prev.products or prev.verb in mine or names_the_work

    @staticmethod
    def _object_phrase(toks: Sequence[Token]) -> Sequence[Token]:
        """The words of a verb's object, up to "but"/"while"/"and" or a comma:
        "a shorter version but still keeping the key information" -> a shorter version."""
        for i, t in enumerate(toks):
            if t.low in {"but", "while", "and", "so", "then", ","}:
                return toks[:i]
        return toks

    def _after_be(self, word: str) -> bool:
        """A participle after "be": irregular ones count too ("to be sped up",
        "to be shot"), since "be" leaves no other reading of the word."""
        if word in IRREGULAR_PAST:
            return IRREGULAR_PAST[word] != word and IRREGULAR_PAST[word] in self.lex.verbs
        return self._participle(word)

    def _participle(self, word: str) -> bool:
        """"summarised", "cropped": a past participle of a known verb (not "speed")."""
        if not word.endswith(("ed", "en")):
            return False
        base = self.lex.base_form(word)
        return base is not None and base != word

    def _delivers(self, clause: Clause, verb: str | None) -> bool:
        """Whether the clause only hands the last step's result to the user.

        "Detect the objects and show me the result", "convert the text to
        speech and save it as 'out.wav'": returning, showing or saving what
        a step made is how that step ends, not work of its own. Only for a
        single open step (several would make it a join) and an object that
        is that step's result: a pronoun, a word like "output", or a
        participle ("the segmented image").
        """
        if clause.verb_index is None or not self.drafts:
            return False
        names_output = self._names_output(clause)
        if verb not in self.lex.deliver and not names_output:
            return False
        if self.drafts[-1].group is not None or len(self.frontier) != 1 or self.frontier[0] != len(self.drafts) - 1:
            return False
        if names_output:
            return True
        words = [t for t in clause.tokens[clause.verb_index + 1 :] if t.is_word and t.low not in _DELIVER_SKIP]
        if not words:
            return False
        first = words[0].low
        if first in {"it", "them"}:
            return True
        if first in _FOUND_WORDS and self.drafts[-1].role in GATHER_ROLES:
            return True  # "search for X and return related articles": what the search found
        if first not in DETERMINERS or (first in _NOT_DEFINITE and first not in {"a", "an"}):
            return False
        phrase = [t.low for t in words[1:4]]
        return bool(set(phrase) & _RESULT_WORDS) or (bool(phrase) and phrase[0].endswith("ed") and first not in {"a", "an"})

    def _shapes_the_result(self, clause: Clause, verb: str | None) -> bool:
        """Whether the clause only says how the last result should read, not what it becomes.

        "Extract the text and convert it into a readable format": the target
        is a quality ("readable", "clean", "usable"), not a medium or a file
        type ("into audio", "into a PDF format"), so nothing new is made.
        """
        if not self.drafts or clause.verb_index is None or verb not in self.lex.forms.get("converting", frozenset()):
            return False
        words = [t.low for t in clause.tokens[clause.verb_index + 1 :] if t.is_word]
        if not words or words[0] not in {"it", "them", "this", "that"}:
            return False
        rest = words[1:]
        if not 4 <= len(rest) <= 5 or rest[0] not in {"into", "to", "in"} or rest[1] not in {"a", "an"} or rest[-1] not in {"format", "form"}:
            return False
        kinds, media = load_kinds(), self.lex.forms.get("media", frozenset())
        # "a more readable format": every modifier a quality, none a kind ("an audio form") or file type ("a CSV format").
        return all(kinds.of_word(w) is None and kinds.of_word("x." + w) is None and w not in media for w in rest[2:-1])
    def _names_output(self, clause: Clause) -> bool:
        """"create an output file", "generate the final result": the object is the output itself."""
        assert clause.verb_index is not None
        words = [t.low for t in clause.tokens[clause.verb_index + 1 : clause.verb_index + 5] if t.is_word]
        verb = clause.verb
        if verb in _MAKING and words and words[0] in DETERMINERS and {"output", "result"} & set(words[1:]):
            return True
        # "use out.mp4 as the output file": naming where the result goes
        # ("use the result as a script" consumes it instead).
        rest = " " + " ".join(t.low for t in clause.tokens[clause.verb_index + 1 :])
        return verb in _MAKING | _NAMING and (" as the output" in rest or " as output" in rest)

    def _looks_at_given_kind(self, clause: Clause) -> bool:
        """Whether the clause (with a question it quotes) names a kind of thing the user gave.

        "I have a photo. Detect the faces, then answer 'how many people are in
        the photo?'": the photo is the user's, and no step has made one.
        """
        kinds = load_kinds()
        if clause.verb_index is None or clause.verb_index + 1 >= len(clause.tokens):
            return False
        after = self.text[clause.tokens[clause.verb_index + 1].start : clause.end]
        said = " ".join([after, *self._colon_data(clause)]).lower()
        named = {kinds.of_word(w) for w in re.findall(r"[\w']+", said)} - {None}
        if not named or any(w in self.lex.refers_back or w.endswith("ed") for w in re.findall(r"[\w']+", said)):
            return False
        first = min((d.span[0] for d in self.drafts), default=clause.start)
        given = {kinds.of_word(w) for w in re.findall(r"[\w']+", self.text[:first].lower())} - {None}
        made = {d.kind for d in self.drafts if d.verb not in self.lex.inspect}
        return bool(named & given) and not named & made

    def _changes_what_look_read(self, clause: Clause, verb: str | None, lead: set[str]) -> bool:
        """"Classify the photo, then edit it to make the sky blue": an edit of
        the user's picture, sound or video ("it") that states its own aim ("to
        make the sky blue") needs nothing the look found, so it works on the
        file itself (the look changed nothing); "then" only says when it runs.
        Without an aim of its own ("measure the load time, then optimise it")
        the change acts on what the look found and follows it."""
        if verb is None or verb in self.lex.inspect or lead & _CONDITION_LEADS or not self._object_is_it(clause):
            return False
        kinds = load_kinds()
        if verb in kinds.makes_text | kinds.makes or verb in self.lex.forms.get("converting", frozenset()):
            return False  # "then translate it", "then turn it into audio": a new thing made from it
        if self.lex.role_of(verb) != "implement" or not self.drafts:
            return False
        lows = [t.low for t in clause.tokens[clause.verb_index + 2 :]] if clause.verb_index is not None else []
        aim = any(w == "to" and self.lex.base_form(n) is not None for w, n in pairwise(lows)) or "so that" in " ".join(lows)
        first = min(d.span[0] for d in self.drafts)
        given = {kinds.of_word(w) for w in re.findall(r"[\w.-]+", self.text[:first].lower())}
        return aim and bool(given & _MEDIA)

    def _object_is_it(self, clause: Clause) -> bool:
        """"paraphrase it", "translate its title": a singular pronoun object."""
        if clause.verb_index is None:
            return False
        after = [t.low for t in clause.tokens[clause.verb_index + 1 : clause.verb_index + 2]]
        return bool(after) and after[0] in {"it", "its"}

    def _reports_finding(self, draft: _Draft) -> bool:
        """"analyse its sentiment", "identify the main topics": an inspection that
        names what it reports (a finding in the lexicon), which is no list of faults."""
        return draft.verb in self.lex.inspect and any(w in self.lex.findings for w in draft.words[1:4])

    def _object_is_any(self, clause: Clause) -> bool:
        """"correct any mistakes", "remove any noise": whatever such things the input at hand has."""
        if clause.verb_index is None:
            return False
        after = [t.low for t in clause.tokens[clause.verb_index + 1 : clause.verb_index + 2]]
        return after == ["any"]

    def _works_on_given(self, clause: Clause, verb: str | None, lead: set[str], prev: _Draft) -> bool:
        """Whether the clause works on something the user gave, untouched by any step.

        "I have a photo. Count the faces, then caption the photo": the second
        step names the photo, which the text brought in before any step and
        which no step has made or changed (counting only reads it), so both
        steps read the user's photo side by side. Had the first step been
        "crop the photo", the photo would be its product and the caption
        would follow it.
        """
        if verb is None or clause.verb_index is None or lead & _CONDITION_LEADS:
            return False
        toks = clause.tokens[clause.verb_index + 1 :]
        if any(t.low == "accordingly" for t in toks):
            return False  # "modify the image accordingly": as the step before found or said
        # "the edited photo" names an earlier result; "a summarized version"
        # describes the new one the step makes, so it points nowhere.
        if any(
            t.low in self.lex.refers_back or (t.low.endswith("ed") and not (k and toks[k - 1].low in {"a", "an"}))
            for k, t in enumerate(toks)
        ):
            return False
        if self._hands_off(prev, clause) or self._referenced(clause):
            return False
        produced: set[str] = set()
        for d in self.drafts:
            produced |= d.products
        # What the user brought in: recent text before this clause that no
        # step was made from (a window keeps this linear in the text length).
        lo = max(0, clause.start - self.settings.given_window)
        given_text = self._unclaimed_before(clause)
        mentioned = mention_words(self.text[clause.start : clause.end])
        if mentioned & produced:
            return False
        quoted = {t.text for t in toks if t.quoted or _FILE_NAME.fullmatch(t.text)}
        if quoted:
            return all(q in given_text for q in quoted)
        heads = self._definite_heads(toks)
        given = mention_words(given_text)
        # "download the video" after "extract the video URL": a word of an
        # earlier product phrase is that product's subject, not the raw input.
        product_words = {w for p in produced for w in p.split()}
        if not heads or heads & product_words:
            return False
        # "Mix the voiceover with the music, then sync the audio with the video":
        # "the audio" names the kind of thing the step before just made.
        if prev.kind is not None and prev.verb not in self.lex.inspect and any(load_kinds().of_word(h) == prev.kind for h in heads):
            return False
        # "Based on the wall colour, suggest a style for the room": what the
        # step is based on comes from somewhere; if not from the user, from a step.
        sent_start = clause.sentence.start
        m = _BASIS.search(self.text, sent_start, clause.end)
        if m is not None:
            before_sentence = mention_words(given_text[: max(0, sent_start - lo)])
            if set(_BASIS_HEAD.findall(m.group(1).lower())) - before_sentence:
                return False
        inside = self._inside_changed(heads & given, given_text)
        if inside is not None:
            self._reached_through = inside
            return False
        # "Mix the voiceover with the music, then sync the audio with the
        # video": the video is the user's, but no audio was given; the
        # audio is what the step before made, so the sync reads that too.
        kinds = load_kinds()
        if prev.kind is not None and any(kinds.of_word(h) == prev.kind for h in heads - given):
            return False
        return bool(heads & given)

    def _inside_changed(self, heads: set[str], given_text: str) -> int | None:
        """The step that changed the input the given things sit inside, if any.

        "I have an image with some objects. Edit the image, then estimate the
        depth of the objects": the objects are part of the image, and the
        image was edited, so the estimate reads the edited image. A thing the
        context puts inside an input ("an image with ...", "a text containing
        ...") that a changing step worked on is reached through that step's
        result. So is a thing inside a recording, picture or video that a
        step has read ("the recording contains a list. Analyse the recording
        and summarise the list"): that reading brings it out as words.
        Returns that step's index, or None.
        """
        changer: dict[str, int] = {}  # each changed or read-out noun -> the latest step that did it
        kinds = load_kinds()
        for k, d in enumerate(self.drafts):
            if d.verb is not None and d.verb not in self.lex.inspect and d.group is None:
                changer.update(dict.fromkeys(d.touched, k))
            elif d.verb is not None and d.group is None:
                changer.update(dict.fromkeys((w for w in d.touched if kinds.of_word(w) not in (None, "text")), k))
        if not changer or not heads:
            return None
        words = re.findall(r"[\w']+", given_text.lower())
        for i, w in enumerate(words):
            if w not in changer:
                continue
            # "an image with some objects", "a text containing a URL"
            near = words[i + 1 : i + 10]
            for j, c in enumerate(near):
                if c in _CONTAINS and heads & set(near[j + 1 : j + 6]):
                    return changer[w]
        return None

    def _definite_heads(self, toks: Sequence[Token]) -> set[str]:
        """The nouns of the definite phrases a clause works on or with ("the
        speech from the video" -> speech, video). An indefinite phrase
        ("create an overview text") names something new, so it is left out."""
        heads: set[str] = set()
        words: list[str] = []
        definite = False
        for t in [*toks, None]:
            if t is None or not t.is_word or t.low in _PREPOSITIONS or t.low in DETERMINERS or t.low in _PHRASE_ENDS:
                if words and definite:
                    heads.add(words[-1])
                if t is not None and t.low in DETERMINERS:
                    definite = t.low not in _NOT_DEFINITE
                elif words:
                    definite = False
                words = []
                continue
            words.append(t.low)
        return heads

    def _restates(self, clause: Clause, verb: str | None) -> bool:
        """Whether the clause repeats the request before it instead of adding work."""
        words = [t.low for t in clause.tokens if t.is_word]
        if len(words) >= 2 and words[-2] == "do" and words[-1] in {"this", "that", "it", "so"}:
            return True  # "use the style tool to do this"
        if not self.drafts or verb is None or self.drafts[-1].verb != verb or clause.verb_index is None:
            return False
        rest = [t.low for t in clause.tokens[clause.verb_index + 1 :] if t.is_word]
        return bool(rest) and all(w in {"it", "them", "this", "that", "for", "me", "us", "please"} for w in rest)

    def _names_the_whole_work(self, clause: Clause, verb: str | None) -> bool:
        """Whether the clause asks to do the work already asked, named as a whole.

        "... then create a video. Please perform these tasks with the tools
        you have", "go through the detection, description and creation
        processes": a doing verb whose object is the tasks, steps or
        processes already named (a pointing word before them, or names of
        work already asked) repeats the request. "Perform a cleaning task",
        "run the nightly job" and "follow the steps in the README" bring in
        work of their own.
        """
        if not self.drafts or clause.verb_index is None or verb not in _DOING:
            return False
        words = [t.low for t in clause.tokens[clause.verb_index + 1 :] if t.is_word]
        while words and words[0] in {"through", "out", "with", "all"}:
            words = words[1:]
        if not words or words[0] not in {"the", "these", "those", "this", "that"}:
            return False
        at = next((i for i, w in enumerate(words) if singular(w) in _TASK_WORDS | {"step"}), None)
        if at is None or any(w in _PREPOSITIONS - {"and"} for w in words[1:at]):
            return False
        after = words[at + 1 :]
        if after and after[0] not in {"using", "with", "in", "one", "step", "now", "for"}:
            return False
        if after[:1] in (["in"], ["for"]) and after[1:2] != ["order"] and after[1:2] != ["me"]:
            return False  # "the steps in the README": a source of new work
        if words[0] != "the":
            return True  # "these tasks": pointing back at what was asked
        # "the detection and creation processes": names of work already asked.
        asked = {n for d in self.drafts if d.verb for n in (d.verb, *nominals(d.verb))}
        return any(w in asked for w in words[1:at])

    def frontier_is_group(self) -> bool:
        return len(self.frontier) > 1

    def _help_with_work(self, clause: Clause) -> str | None:
        """"I need help with the translation of this letter", "help me with the
        following question": a noun for a piece of work after "help with"
        asks for that work (translate it, answer it). Returns its verb."""
        if not clause.lead or not (clause.lead[-1].endswith(" with") and ("help" in clause.lead[-1] or "assist" in clause.lead[-1])):
            return None
        questions = self.lex.forms.get("questions", frozenset())
        toks = clause.tokens[_first_content(clause) :]
        for k, t in enumerate(toks[:4]):
            if not t.is_word or t.low in _PREPOSITIONS:
                return None
            # Only the phrase's head: "an image analysis task" asks for help with a task.
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if nxt is not None and nxt.is_word and nxt.low not in _PREPOSITIONS | {"that", "which", "and", "or"}:
                continue
            if t.low in questions:
                return "answer"
            for v, role in self.lex.verbs.items():
                if role and len(t.low) > len(v) and t.low in nominals(v):
                    return v
            return None
        return None

    def _someone_to_do(self, clause: Clause) -> str | None:
        """"I need my car to drive me home", "I'd like the robot to clean the
        floor": a wish for someone or something to do work names that work.
        Returns the verb after "to" when a short noun phrase comes before it."""
        toks = clause.tokens
        start = _first_content(clause)
        for k in range(start + 1, min(len(toks) - 1, start + 5)):
            if not toks[k].is_word:
                return None
            if toks[k].low == "to":
                if toks[k + 1].low == "be":
                    return None  # "the clip to be trimmed": the passive reading above
                # "a tool to first detect the objects": an adverb may come between.
                at = k + 2 if k + 2 < len(toks) and (toks[k + 1].low == "first" or toks[k + 1].low.endswith("ly")) else k + 1
                base = self.lex.base_form(toks[at].low)
                return base if base == toks[at].low and self.lex.verbs.get(base) else None
        return None

    def _agent_clause(self, clause: Clause) -> str | None:
        """A verb after a named worker: "the data team builds the job"."""
        toks = clause.tokens
        for i, t in enumerate(toks[:5]):
            if t.low in _AGENTS and i + 1 < len(toks):
                base = self.lex.base_form(toks[i + 1].low)
                if base is not None:
                    return base
        return None

    def _sibling_or_chain(
        self,
        clause: Clause,
        verb: str | None,
        role: str | None,
        cues: list[str],
        *,
        parallel: bool,
        fresh: bool = False,
        inputs: Sequence[int] = (),
    ) -> None:
        draft = self._draft_from_clause(clause, verb, role, cues)
        if self._is_join(clause) and len(self._sinks_since_join()) > 1:
            deps = self._sinks_since_join()
            draft.cues.append("joins")
            idx = self._add(draft, deps)
            if idx is not None:
                self.since_join = idx
                self.frontier = [idx]
            return
        if inputs:
            for i in inputs:
                draft.cues.append(f"uses output of {self.drafts[i].verb or 'an earlier step'}")
            idx = self._add(draft, list(inputs))
            if idx is not None:
                self.frontier = [*[f for f in self.frontier if f not in inputs], idx]
            return
        if fresh:
            # Starts from the task's input: depends on what the first steps did not.
            idx = self._add(draft, [])
            if idx is not None:
                self.frontier = [*self.frontier, idx]
            return
        if parallel and self.drafts:
            prev = len(self.drafts) - 1
            deps = sorted(u for u, v in self.edges if v == prev)
            if not draft.cues:
                draft.cues.append("same kind of work")
            idx = self._add(draft, deps)
            if idx is not None:
                self.frontier = [*[f for f in self.frontier if f != idx], idx]
            return
        if not draft.cues and self.drafts:
            prev_role = self.drafts[-1].role
            if prev_role and draft.role and STAGE.get(draft.role, 9) > STAGE.get(prev_role, 9):
                draft.cues.append("lifecycle")
            else:
                draft.cues.append("text order")
        idx = self._add(draft, list(self.frontier))
        if idx is not None:
            self.frontier = [idx]

    def _draft_from_clause(
        self, clause: Clause, verb: str | None, role: str | None, cues: list[str]
    ) -> _Draft:
        toks = clause.tokens
        start_tok = clause.verb_index if clause.verb_index is not None else _first_content(clause)
        body = toks[start_tok:]
        text = self.text[body[0].start : body[-1].end] if body else ""
        classify_text = text
        # "keep refining it", "start drafting": the work is the second verb;
        # "need to be replaced": the passive names the work, "replace". Each
        # pass drops one word, so the loop ends.
        while len(body) > 1 and (
            (verb in _ASPECT_VERBS and body[1].low.endswith("ing"))
            or (verb == "be" and self._after_be(body[1].low))
        ):
            inner = self.lex.base_form(body[1].low)
            if inner is None:
                break
            verb, role = inner, self.lex.role_of(inner)
            body = body[1:]
            text = self.text[body[0].start : body[-1].end]
            classify_text = text
        noun_role = None
        if verb is None and body:
            last = self.lex.base_form(body[-1].low)
            noun_role = self.lex.role_of(last) if last else None
        if (
            verb is None
            and self.drafts
            and any(w in _ELLIPSIS_LEADS for w in clause.lead)
            and (noun_role is None or noun_role not in JUDGE_ROLES | COMBINE_ROLES)
            and body
            and body[0].low not in _SUBJECT_PRONOUNS
            and not (clause.lead and clause.lead[-1] in _NEED_OPENERS)  # "finally, I need a summary" names its own result
        ):
            # "then the API on top of it": the verb carries over from the step before.
            verb = self.drafts[-1].verb
            if verb:
                cues = [*cues, "verb carried over"]
                classify_text = f"{verb} {text}"
                role = role or noun_role
        if role is None and verb is None:
            role = noun_role  # "finally a joint design review"
        if role is None and verb is not None and self.lex.verbs.get(verb) == "":
            # "have it reviewed", "get the draft critiqued": the participle names the work.
            for t in body[1:6]:
                base = self.lex.base_form(t.low)
                if base and t.low != base and t.low.endswith(("ed", "en")) and self.lex.role_of(base):
                    role = self.lex.role_of(base)
                    break
        words = [t.low for t in body[1:] if t.is_word] if clause.verb_index is not None else [
            t.low for t in body if t.is_word
        ]
        if verb is not None and clause.verb is not None and verb != clause.verb:
            # "get it reviewed by legal" reads as "review by legal": the verb already says it.
            words = [w for w in words if w not in {"it", "them", "by"} and self.lex.base_form(w) != verb]
        return _Draft(
            text=text,
            span=(body[0].start, body[-1].end) if body else (clause.start, clause.end),
            verb=verb,
            role=role,
            cues=list(cues),
            words=[verb, *words] if verb else words,
            classify_text=classify_text,
            products=products(self.lex, verb, body[1:] if clause.verb_index is not None else body),
            touched=worked_on(body[1:]) if clause.verb_index is not None else frozenset(),
            # An inspection's object is its input, not its output: only "the
            # classified ..." refers back to it.
            sentence=clause.sentence.index,
            lead=frozenset(clause.lead),
            kind=load_kinds().made(
                verb,
                body[1:] if clause.verb_index is not None else body,
                inspects=verb in self.lex.inspect,
                before=self.drafts[-1].kind if self.drafts else None,
            ),
        )

    # ------------------------------------------------------------ groups

    def _new_group(self, labels: list[Item], sent: Sentence) -> _Group:
        g = _Group(
            id=f"g{len(self.groups) + 1}",
            labels=labels,
            tails=[None] * len(labels),
            heads=[None] * len(labels),
            before=list(self.frontier),
            sentence=sent.index,
        )
        self.groups.append(g)
        self.last_group = g
        return g

    def _group_from_items(
        self,
        sent: Sentence,
        clause: Clause,
        enum: Enumeration,
        verb: str | None,
        role: str | None,
        cues: list[str],
        count: Count | None,
        *,
        wanted: bool = False,
    ) -> None:
        """One step per listed item, each doing ``verb`` (the clause's work verb,
        as ``_clause`` read it: "get it reviewed by A and B" reviews)."""
        items = list(enum.items[: self.settings.max_group])
        for k, it in enumerate(items):
            items[k] = Item(it.start, it.end, self.text[it.start : it.end])
        kind_cue = {"or": "alternatives", "vs": "alternatives"}.get(enum.conjunction, "enumeration")
        group = self._new_group(items, sent)
        judge_head = role in {"compare", "decide"}
        # "I need a transcript, a summary and a translation": wanted results are steps.
        labels_only = verb is None and enum.conjunction not in {"or", "vs"} and not wanted
        if labels_only:
            # "For each of the three SDKs (Python, Go, TypeScript), ...": lanes come next.
            self.lane_group = group
            self.lane_index = 0
            return
        item_role = role
        if verb is None or judge_head:
            item_role = None if wanted else "design" if verb is None else "explore"
        for k, it in enumerate(items):
            draft = _Draft(
                text=it.text,
                span=(it.start, it.end),
                verb=None if judge_head else verb,
                role=item_role,
                cues=[*cues, kind_cue],
                words=[w.lower() for w in re.findall(r"\w+", it.text)]
                if judge_head or verb is None
                else [verb, *(w.lower() for w in re.findall(r"\w+", it.text))],
                group=group.id,
                lane=k,
                classify_text=f"{verb or ''} {it.text}".strip(),
            )
            idx = self._add(draft, list(group.before))
            group.heads[k] = group.tails[k] = idx
        self.frontier = [i for i in group.tails if i is not None] or self.frontier
        if judge_head:
            # The comparing clause itself is the step that weighs the items.
            draft = self._draft_from_clause(clause, verb, role, [*cues, "joins"])
            idx = self._add(draft, [i for i in group.tails if i is not None])
            if idx is not None:
                self.frontier = [idx]
                self.since_join = idx
        del count  # an explicit list wins over a number ("four dashboards (EU, US, ...)")

    def _group_from_count(
        self, sent: Sentence, clause: Clause, count: Count, verb: str | None, role: str | None, cues: list[str], *, labels_only: bool
    ) -> None:
        n = min(count.value, self.settings.max_group)
        noun = singular(count.noun)
        labels = [Item(count.start, count.end, f"{noun} {k + 1}") for k in range(n)]
        group = self._new_group(labels, sent)
        if labels_only:
            group.size_only = True
            self.lane_group = group
            self.lane_index = 0
            return
        draft0 = self._draft_from_clause(clause, verb, role, [*cues, f"count {count.value}"])  # "have two writers each draft it": drafting
        for k in range(n):
            draft = _Draft(
                text=draft0.text,
                span=draft0.span,
                verb=draft0.verb,
                role=draft0.role,
                cues=list(draft0.cues),
                words=[*(draft0.words[:1]), noun.lower(), str(k + 1)],
                group=group.id,
                lane=k,
                classify_text=draft0.classify_text,
                products=draft0.products,
            )
            idx = self._add(draft, list(group.before))
            group.heads[k] = group.tails[k] = idx
        self.frontier = [i for i in group.tails if i is not None] or self.frontier

    def _lane_clause(self, clause: Clause) -> None:
        group = self.lane_group
        assert group is not None
        if group.size_only:
            # The group only named its size ("two independent workstreams: ...;
            # ..."): each ";"-separated part fills the next lane.
            if clause.connector == ";" and group.heads[self.lane_index] is not None:
                self.lane_index = min(self.lane_index + 1, len(group.labels) - 1)
            lanes = [self.lane_index]
        else:
            lanes = list(range(len(group.labels)))
        verbs = self._verbs_in(clause) or [(clause.verb, clause.start, clause.end)]
        for verb, _s, _e in verbs:
            role = self.lex.role_of(verb) if verb else None
            for k in lanes:
                label = group.labels[k]
                draft = self._draft_from_clause(clause, verb, role, ["for each"])
                if not group.size_only:
                    label_words = [w.lower() for w in re.findall(r"\w+", label.text)]
                    draft.words = [draft.words[0], *label_words] if draft.words else label_words
                draft.group = group.id
                draft.lane = k
                tail = group.tails[k]
                deps = [tail] if tail is not None else list(group.before)
                idx = self._add(draft, deps)
                if idx is None:
                    continue
                if group.heads[k] is None:
                    group.heads[k] = idx
                group.tails[k] = idx
        self.frontier = [i for i in group.tails if i is not None] or self.frontier

    def _participle_at(self, clause: Clause, start: int) -> bool:
        """Whether the clause's word starting at ``start`` is a past participle ("cleaned", "written")."""
        word = next((t.low for t in clause.tokens if t.start == start), "")
        base = self.lex.base_form(word)
        return base is not None and word != base and not word.endswith("ing")

    def _verbs_in(self, clause: Clause) -> list[tuple[str | None, int, int]]:
        """Verbs anywhere in a per-item clause: "each designed and then built"."""
        out: list[tuple[str | None, int, int]] = []
        toks = clause.tokens
        last_verb_at = -2
        for i, t in enumerate(toks):
            if not t.is_word or t.low in {"each", "one", "needs", "need", "gets", "get"}:
                continue
            prev = toks[i - 1].low if i else ""
            if prev in _NOUN_MARKERS:
                continue
            base = self.lex.base_form(t.low)
            if base is None or self.lex.role_of(base) is None:
                continue
            if t.low != base and not t.low.endswith(("ed", "en", "ing", "t")) and prev not in _AGENTS:
                continue
            if t.low == base and base in self.lex.nouns_too and i != clause.verb_index:
                continue
            if i == last_verb_at + 1:
                continue  # "configuring monitoring": the second word is the object
            last_verb_at = i
            out.append((base, t.start, t.end))
        return out

    def _hands_off(self, earlier: _Draft, clause: Clause) -> bool:
        """Whether ``clause`` uses what ``earlier`` produced."""
        text = self.text[clause.start : clause.end]
        mentioned = mention_words(text)
        # "a unique voiceover" is also "the voiceover" later: a product phrase's head names it too.
        made = earlier.products | {p.rsplit(" ", 1)[-1] for p in earlier.products if " " in p}
        results = _RESULT_WORDS - _FAULT_WORDS if self._reports_finding(earlier) else _RESULT_WORDS
        return bool(made & (mentioned | {t.low for t in clause.tokens if t.low.endswith("ed")})) or bool(
            mentioned & results
        )

    # ------------------------------------------------------------ finish

    def finish(self, signals: dict[str, tuple[str, ...]]) -> TaskGraph:
        if not self.drafts and self.text.strip():
            self._whole_text_step()
        # Data hand-offs: "train the model on the preprocessed data" needs the
        # step that preprocessed it, even if other steps came in between.
        ancestors: list[set[int]] = []
        preds: dict[int, set[int]] = {}
        for u, v in self.edges:
            preds.setdefault(v, set()).add(u)
        for v, draft in enumerate(self.drafts):
            anc: set[int] = set()
            for u in preds.get(v, ()):
                anc |= ancestors[u] | {u}
            words = mention_words(draft.text, results_only=True)
            for u in range(v - 1, -1, -1):
                earlier = self.drafts[u]
                if u in anc or not earlier.products or (earlier.group is not None and earlier.group == draft.group):
                    continue
                if earlier.products & words:
                    self.edges.add((u, v))
                    draft.cues.append(f"uses output of {earlier.verb or 'earlier step'}")
                    anc |= ancestors[u] | {u}
            ancestors.append(anc)
        self._assign_roles()
        self._assign_ids()
        order = sorted(range(len(self.drafts)), key=lambda i: (self.drafts[i].span[0], i))
        steps = tuple(
            TaskStep(
                id=self.drafts[i].id,
                text=self.drafts[i].text,
                span=self.drafts[i].span,
                verb=self.drafts[i].verb,
                role=self.drafts[i].role or self.settings.fallback_role,
                cues=tuple(dict.fromkeys(self.drafts[i].cues)),
                group=self.drafts[i].group,
            )
            for i in order
        )
        graph = nx.DiGraph()
        graph.add_nodes_from(s.id for s in steps)
        graph.add_edges_from((self.drafts[u].id, self.drafts[v].id) for u, v in sorted(self.edges))
        groups = {
            g.id: tuple(self.drafts[h].id for h in g.heads if h is not None)
            for g in self.groups
            if any(h is not None for h in g.heads)
        }
        sig = dict(signals)
        sig["lifecycle"] = lifecycle_roles([s.role for s in steps])
        if self.truncated:
            sig["truncated"] = (
                f"steps read only up to the step or length budget ({self.settings.max_steps} steps, "
                f"{self.settings.max_chars} characters); {self.truncated} more sentences or clauses not read",
            )
        parallel = tuple(
            Group(id=gid, kind="items", names=(), count=len(ids), counted="", verb=None, role="", steps=ids)
            for gid, ids in groups.items()
        )
        return TaskGraph(text=self.text, steps=steps, graph=graph, signals=sig, parallel=parallel)

    def _whole_text_step(self) -> None:
        """No clause asked for anything: the task as a whole is one step."""
        paragraphs = prose_paragraphs(self.text)
        if paragraphs:
            first = paragraphs[0]
            start, end = first[0].start, first[-1].end
            sents = [s for s in sentences(self.text) if s.tokens]
            if sents:
                start, end = sents[0].start, sents[0].end
        else:
            stripped = self.text.strip()
            if not stripped:
                start = end = 0
            else:
                start = len(self.text) - len(self.text.lstrip())
                end = start + min(len(stripped), 200)
        text = self.text[start:end]
        self.drafts.append(
            _Draft(
                text=text,
                span=(start, end),
                verb=None,
                cues=["whole task"],
                # A text that asks for nothing explicitly and reports a problem
                # ("X crashes when ...") starts with finding out why.
                role="scout" if self.lex.cues("exploration", self.text[:5000]) else None,
                words=[w.lower() for w in re.findall(r"\w+", text)[:4]],
                classify_text=text,
            )
        )

    def _assign_roles(self) -> None:
        for d in self.drafts:
            ambiguous = d.verb in self.lex.ambiguous and d.role == self.lex.role_of(d.verb or "")
            if d.role is None or ambiguous:
                guess = self.classify(d.classify_text or d.text)
                if guess is not None:
                    d.role = guess
                    d.cues.append("role from classifier")
                elif d.role is None:
                    d.role = self.settings.fallback_role

    def _assign_ids(self) -> None:
        used: set[str] = set()
        for d in self.drafts:
            base = slug(d.words, self.settings.id_words, self.settings.id_chars, has_verb=d.verb is not None) or "step"
            candidate = base
            n = 2
            while candidate in used:
                candidate = f"{base}-{n}"
                n += 1
            used.add(candidate)
            d.id = candidate


# Words after which a verb-looking word is a noun ("the test", "its design").
_NOUN_MARKERS = DETERMINERS - {"each", "both", "all"}

_AGENTS = frozenset(
    ["team", "agent", "agents", "group", "squad", "crew", "developer", "developers", "engineer", "engineers", "designer", "writer", "editor", "reviewer", "reviewers", "analyst", "analysts", "someone", "worker", "workers"]
)


def _first_content(clause: Clause) -> int:
    """Index of the first token after the clause's lead words."""
    i = clause.body_index
    while i < len(clause.tokens) - 1 and not clause.tokens[i].is_word:
        i += 1
    return i


def build_graph(text: str, classify: Callable[[str], str | None]) -> TaskGraph:
    """Parse ``text`` into a TaskGraph (see ``planner.parser.parse``)."""
    lex = load_lexicon()
    settings = load_settings()
    # Steps come from the first max_chars characters (a prefix keeps every
    # offset valid); signals still come from all the prose.
    sents = sentences(text[: settings.max_chars])
    prose = " \n".join(text[p[0].start : p[-1].end] for p in prose_paragraphs(text))
    builder = _Builder(text=text, lex=lex, settings=settings, classify=classify)
    if len(text) > settings.max_chars:
        builder.truncated += 1
    # Whether "first" appears in a later sentence (for goal sentences), from the
    # end backwards so the whole pass stays linear.
    first_after = [False] * (len(sents) + 1)
    for k in range(len(sents) - 1, -1, -1):
        # "But first, fix the typos": one step put before the wish, which
        # stays work of its own rather than a goal the later text spells out.
        lows = [t.low for t in sents[k].tokens if t.is_word]
        but_first = len(lows) > 1 and lows[0] == "but" and lows[1] == "first"
        first_after[k] = first_after[k + 1] or (not but_first and any(t.low == "first" for t in sents[k].tokens))
    builder.list_asks = lists_that_ask(lex, sents)
    previous: list[Clause] = []
    titles: list[Sentence] = []
    for k, sent in enumerate(sents):
        if sent.title:
            titles.append(sent)  # a heading only counts when the body asks for nothing
            continue
        if sent.section and _CONTEXT_SECTION.search(sent.section):
            continue  # "Steps to reproduce", "Expected behavior": describes the problem, asks nothing
        if len(builder.drafts) >= builder.settings.max_steps:
            builder.truncated += len(sents) - k  # not even split: the budget is spent
            break
        parts = clauses(lex, sent)
        intro: Clause | None = None
        if k and sents[k - 1].tokens[-1].text == ":" and sents[k - 1].list_id is None:
            intro = next((c for c in previous if c.verb is not None), None)
        goal = is_goal(parts, first_after[k + 1]) or introduces_list(sents, k)
        if not goal and k + 1 < len(sents) and wishes_general_look(lex, parts):
            goal = request_follows(clauses(lex, sents[k + 1]))
        builder.sentence(sent, parts, goal=goal, intro_verb=intro)
        previous = parts
    if not builder.drafts:
        for sent in titles:
            builder.sentence(sent, clauses(lex, sent))
    return builder.finish(compute_signals(lex, prose, sents))
