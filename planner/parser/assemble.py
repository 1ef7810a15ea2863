"""Put the readings together: text -> units -> trees -> predicates -> steps, items, order, loops.

The order of the passes is the data flow, not a priority list: each pass
reads what the passes before it settled and adds one kind of fact.

1. the front (``front.py``): size cap, data masked, layout units;
2. syntax: each unit tagged and parsed (``planner.syntax``);
3. predicates (``clauses.py``): which words ask for work;
4. items (I readings): coordinated objects, counts, headings with lists, streams;
5. order (O readings): markers, subordinate clauses, hand-offs, defaults;
6. loops (L readings) and cues (C readings);
7. ids, roles, the graph.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from planner import lazyre
from planner.parser import clauses as S
from planner.parser.all_done import takes_all_at_once, waits_for_all
from planner.parser.ampersand import ampersand_joined
from planner.parser.apart import apart_span
from planner.parser.apposed import file_apposed_heads
from planner.parser.asides import (
    answer_manner,
    background_gerund,
    conditional_report,
    heading,
    held_for_approval,
    limit_command,
    reminded_content,
    weighed_choice,
)
from planner.parser.asked_all import asked_of_all
from planner.parser.assigned import assigned_party
from planner.parser.chain import bare_stages
from planner.parser.clauses import Pred
from planner.parser.closing import closing_steps, count_named_join
from planner.parser.combining import asks_over_all, combines, load_combining_words, measured_against
from planner.parser.counted_apposed import apposed_ones, counted_apposed
from planner.parser.counted_back import counted_back
from planner.parser.counted_bracket import counted_bracket
from planner.parser.counted_lead import counted_lead
from planner.parser.counted_parts import counted_parts
from planner.parser.counted_run import counted_run
from planner.parser.counts import refused_count
from planner.parser.criteria import measures
from planner.parser.dash_lead import DASHES, dash_lead
from planner.parser.data_flow import (
    drawn_from,
    looks_at_material,
    material_again,
    own_input,
    results_taken,
    same_source,
    takes_all,
)
from planner.parser.described import described
from planner.parser.distribute import (
    QUOTES,
    ItemList,
    action_alternatives,
    both_before_clause,
    contrasted,
    data_list,
    find_lists,
    lead_list,
    named_ahead,
    objects_before_aspects,
    opens_list_ahead,
    rate_at,
    trigger_at,
    unquoted,
)
from planner.parser.each_command import command_on_each, commands_both
from planner.parser.each_round import each_round_step
from planner.parser.each_subject import each_before
from planner.parser.each_then import counted_in_brackets, defined_next, each_then
from planner.parser.fanin import closing_waits, load_fanin_words, one_for_all
from planner.parser.fetched import fetched_from_source
from planner.parser.first_stage import inside_stage_list, opens_stage_list
from planner.parser.for_each_named import (
    going_through_several,
    next_verb,
    remark_before_colon,
    subject_list,
    wished_for_each,
    wished_list,
)
from planner.parser.foreign_recording import foreign_recording
from planner.parser.frame import frame_drafts
from planner.parser.front import Front, read_front
from planner.parser.gapped_another import another_of
from planner.parser.gapping import gapped_commands
from planner.parser.getting import gets_answers, priced_at
from planner.parser.goal_first import improvement_goal
from planner.parser.harsh_manner import harsh_manners
from planner.parser.heard_gist import gist_heard
from planner.parser.kept_form import kept_form
from planner.parser.label_verbs import label_heads
from planner.parser.learned import LinearModel, iter_candidates, load_models, step_features
from planner.parser.lines import (
    bracket_streams,
    clause_umbrellas,
    copied_stages,
    counted_heads,
    drop_drafts,
    first_step_for_each,
    inline_apart_lines,
    line_streams,
    parallel_list_lines,
    parts_after_colon,
    place_streams,
    stream_waits,
)
from planner.parser.listed_asks import listed_messages, question_list, questions_beside
from planner.parser.looked_up import looked_up_condition
from planner.parser.model import Fired, Group, Loop, TaskGraph, TaskStep, TextFacts
from planner.parser.named_after import subject_list_after, subject_list_ahead
from planner.parser.named_lines import named_lines
from planner.parser.needed import fetches_them, needed_before
from planner.parser.needs_doing import needs_doing_step, needs_doing_subject
from planner.parser.nominal_chain import needed_chain
from planner.parser.options import (
    Promise,
    asks_which,
    chooses,
    counted_options,
    counted_things,
    option_words,
    promised_options,
    said_for_each,
    weighs_options,
    with_options,
)
from planner.parser.options_across import as_options, options_across
from planner.parser.options_lines import (
    announces,
    asked_between,
    chosen_after,
    judged_on,
    without_remark,
)
from planner.parser.options_split import split_over_verbs
from planner.parser.options_work import sentence_options
from planner.parser.order_first import goes_first
from planner.parser.order_follow import follow_ups
from planner.parser.ordered_verbs import order_word_stage, series_stage
from planner.parser.ordinal_stages import ordinal_stage
from planner.parser.own_doing import own_doing
from planner.parser.passive import (
    asked_in_passive,
    gapped_passive,
    load_passive_words,
    passive_adjectives,
    passive_conjunct,
    passive_listed,
    passive_request,
    sequenced_passive,
    verb_lemma,
)
from planner.parser.picked_out import picked_out
from planner.parser.picture_looks import looks_on_picture, picture_before_change, wished_picture
from planner.parser.placed import placed_things
from planner.parser.purpose_work import leads_to_purpose, purpose_of_means
from planner.parser.readings import doc_only, reading
from planner.parser.reciprocal import reciprocal_at
from planner.parser.recount import counted_clause_streams
from planner.parser.result_line import result_lines
from planner.parser.rework_order import looks_at_work, reworks
from planner.parser.same_again import is_same_again, role_before, same_again, waits_on_repeated
from planner.parser.scoped import scoped_streams
from planner.parser.series_verbs import series_command
from planner.parser.settings import ParseSettings, load_settings
from planner.parser.sheet_read import sheet_read
from planner.parser.spec_tail import spec_heads
from planner.parser.spoken import spoken_front
from planner.parser.stage_nouns import then_stage
from planner.parser.subjects import subject_streams
from planner.parser.suspects import suspects_in
from planner.parser.taken_out import taken_out
from planner.parser.terse import FETCH_VERB, terse_requests
from planner.parser.thanks import thanks_dropped
from planner.parser.then_parts import then_parts
from planner.parser.then_result import gathered_into
from planner.parser.together import together
from planner.parser.told_last import told_after_chain
from planner.parser.too_after import closed_by_too
from planner.parser.tree import Tree
from planner.parser.turns import (
    answered_turns,
    asks_for_feedback,
    goes_to_reviewer,
    going_over,
    handed_over,
    let_response,
    response_turn,
    says_changes,
    shared_iteration,
    shared_rework,
)
from planner.parser.umbrella import umbrella_drafts
from planner.parser.voiced_picture import voiced_picture
from planner.parser.wh_items import wh_items
from planner.parser.wished_list import (
    laid_out,
    names_material,
    question_parts,
    verbless_wishes,
    wished_forms,
    wished_sentences,
)
from planner.parser.words import Words, has_phrase, holds_any, load_words, one_reading, small_count
from planner.parser.work_heading import drop_lone_headings, work_heading
from planner.parser.workers_counted import counted_workers, sets_workers

RoleClassifier = Callable[[str], "str | None"]
CueFinder = Callable[[str], Mapping[str, tuple[str, ...]]]

_LIFECYCLE = {
    "explore": 0, "scout": 0, "design": 1, "implement": 2, "draft": 2, "test": 3,
    "review": 4, "critique": 4, "compare": 4, "decide": 5, "synthesize": 5, "integrate": 5,
}  # fmt: skip
_GATHER = frozenset({"explore", "scout"})
# I420: how far after its verb a list inside the verb's own object phrase may start (words).
_DEEP_REACH = 20
_JOINING = frozenset({"synthesize", "compare", "decide", "integrate"})
# Readings of the closing step said without a command (closing.py): never one per item.
_CLOSING = frozenset({"S188", "S190", "S454"})
_SLUG_SKIP = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "my", "our", "your", "its", "their", "his", "her", "it", "them", "to", "of", "for", "on", "in", "with", "from", "and", "or", "all", "each", "every", "some", "any", "by", "at", "into", "onto", "up", "out", "me", "us", "one", "until", "as", "via"]
)
# "show-10-most" says less than "show-recent-orders": counts and ranks leave the id
_SLUG_RANKS = frozenset({"most", "least", "top", "bottom", "first", "last", "latest", "new", "newest", "oldest"})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*", re.UNICODE)


@dataclass
class Draft:
    """A step being built: a predicate, or one item or stage of one."""

    pred: Pred
    span: tuple[int, int]
    text: str
    verb: str
    role: str
    obj: str
    codes: list[str]
    item: str | None = None
    item_span: tuple[int, int] | None = None
    group: str | None = None
    stage: int | None = None
    after: set[int] = field(default_factory=set)  # indices of drafts this one waits for
    id: str = ""


# --- predicates ----------------------------------------------------------------


def _blocked(t: Tree, w: Words) -> dict[int, str]:
    """Words inside clauses that say when, whether or what, never what to do, with the reading that says so."""
    out: dict[int, str] = {}
    for i in range(len(t)):
        if t.words[i].upos not in ("VERB", "AUX", "ADJ", "NOUN"):
            continue
        kind, _ = S.clause_kind(t, i, w)
        code = "L401" if kind == "until" else "S106" if S.condition(t, i, w) else "S113" if S.content_clause(t, i, w) else None
        if code in ("S106", "S113") and passive_request(t, i, w):
            code = None  # S185: "it would be appreciated if the counts could be analysed" asks, not supposes
        if code is not None:
            # coordinated verbs the parser hung inside the clause ("figure out where X
            # is computed, then add Y") are work of their own
            keep = [c for c in t.children(i, "conj") if t.words[c].upos == "VERB"]
            for k in t.subtree(i, keep):
                out.setdefault(k, code)
    return out


_HAND_OVER = frozenset({"take", "grab", "use", "consider", "open"})


def _repeats(t: Tree, i: int, w: Words) -> bool:
    """"again", "twice", "three more times" on a verb."""
    for k in t.subtree(i):
        low = t.low(k)
        if low in ("again", "twice", "thrice") or low in w.rounds:
            return True
    return False


def _goes_somewhere(t: Tree, i: int) -> bool:
    """"take the boxes to the depot": a place to take something to makes it an errand."""
    return any({t.low(c) for c in t.children(k, "case")} & {"to", "into", "onto"} for k in t.children(i, "obl"))


def _over_question(t: Tree, i: int) -> list[str]:
    """S258: "decide which to keep" is the choice itself, not a wrapper of "keep"."""
    return ["S258"] if any(S.chooses_over_question(t, i, k) for k in t.children(i, "xcomp", "ccomp", "obj")) else []


def _pred_at(t: Tree, i: int, w: Words) -> Pred | str:
    """The predicate word ``i`` heads if it asks for work, else the code of the reading that says it does not."""
    word = t.words[i]
    phrasal = S.phrasal_work(t, i, w) if word.upos == "VERB" else None
    lemma = phrasal or t.lemma(i)
    if word.upos == "VERB" and sets_workers(t, i, w.number_words):
        return "I514"  # "get two agents to write ...": the job is the step, once per agent
    if word.upos in ("VERB", "AUX", "ADJ") and S.wrapper(t, i, w) is not None:
        return "S102"  # the wrapped verb is read on its own
    if word.upos == "VERB" and S.instrument(t, i, w) is not None:
        return "S111"  # the purpose clause is the work
    noun_verb = S.work_noun(t, i, w)
    if noun_verb is not None:
        return Pred(t, i, noun_verb, "noun", ["S103"], anchor=i)
    if word.upos != "VERB":
        return "none"
    if S.negated(t, i):
        return "S115"
    head = t.head(i)
    if head is not None and t.lemma(head) in w.instrument and S.instrument(t, head, w) == i:
        return Pred(t, i, lemma, "verb", ["S111"], anchor=i)
    if S.looked_for(t, i, w):
        return "S105"
    if S.wish_to_know(t, i, w):
        return Pred(t, i, "find", "verb", ["S107"], anchor=i)
    if phrasal is None and S.state_verb(t, i, w):
        wanted = S.wanted_thing(t, i, w)
        # "I need a chart of signups": a wish of the speaker's own asks for the thing
        if wanted is not None and (not S.is_narrative(t, i) or lemma in w.wish):
            return Pred(t, wanted, "make", "wanted", ["S109"], anchor=i)
        return "S108"
    if not S.asked_verb(t, i, w):
        if S.is_narrative(t, i):
            return "S104"
        # "get me the weather", "give me a summary": a light verb with a wanted object
        return Pred(t, i, lemma, "verb", ["S109"], anchor=i) if S.wanted_thing(t, i, w) is not None else "S101"
    wrapped = head is not None and t.rel(i) in ("xcomp", "ccomp", "advcl") and S.wrapper(t, head, w) == i
    if not wrapped and t.child(i, "nsubj") is None and not t.children(i, "aux") and S.not_command_form(t, i):
        return "S116"  # "pasted below", "as discussed"
    if lemma in w.light or (lemma in w.wish and not S.own_work(t, i, w)):
        obj = t.child(i, "obj")
        if obj is not None and (nv := S.noun_verb(t.lemma(obj), w)) is not None:
            return Pred(t, obj, nv, "noun", ["S103"], anchor=i)
        if obj is not None and t.low(obj) in w.pronouns and lemma in ("do", "repeat", "redo") and _repeats(t, i, w):
            return "L404"  # "do that twice", "do it again" repeats the work before
    return Pred(t, i, lemma, "verb", ["S101", *_over_question(t, i), *S.told_before(t, i)], anchor=i)


def evidence(p: Pred | str, i: int) -> str:
    """The step model's name for what the readings said about candidate ``i``."""
    if isinstance(p, str):
        return "x:" + p
    return p.codes[0] if p.i == i else "via:" + p.codes[0]


@dataclass
class _Runner:
    """The best candidate the step model turned down, kept in case the task has no step at all."""

    prob: float = 0.0
    pred: Pred | None = None


def _refers_back_clause(t: Tree, i: int, w: Words, earlier: set[str]) -> Pred | None:
    """A time clause that repeats work already asked for ("once it is built"), as a predicate that orders only."""
    if t.words[i].upos != "VERB":
        return None
    kind, _ = S.clause_kind(t, i, w)
    if (kind or S.time_mark(t, i, w)) != "after" or not S.refers_back(t, i, earlier):
        return None
    return Pred(t, i, t.lemma(i), "verb", ["S112"], anchor=i)


def _your_timed_work(t: Tree, i: int, w: Words) -> Pred | None:
    """S121: a time clause of the reader's own work ("after you do the upgrade", "before you deploy the build")."""
    if t.words[i].upos != "VERB":
        return None
    marks = {t.low(m) for m in t.children(i, "mark")}
    subj = t.child(i, "nsubj")
    if not marks & {"after", "before", "once", "when"} or subj is None or t.low(subj) not in ("you", "u"):
        return None
    obj = t.child(i, "obj")
    if obj is None or t.low(obj) in w.pronouns:
        return None
    p = _pred_at(t, i, w)
    if not isinstance(p, Pred):
        return None
    p.codes.insert(0, "S121")
    return p


def _first_of(t: Tree, i: int) -> int:
    """The first participle of the chain ``i`` belongs to ("summarised" for "emailed" in "... summarised and emailed")."""
    while t.rel(i) == "conj" and (h := t.head(i)) is not None and S.is_participle(t, h) and t.words[h].upos == "VERB":
        i = h
    return i


def _read_for_sure(t: Tree, i: int, w: Words, asked_before: bool = False, turned_before: bool = False, text: str = "") -> Pred | None:
    """Readings that decide a candidate on their own: the grammar leaves no doubt that it asks for work.

    ``asked_before``: work was asked for in an earlier sentence; ``turned_before``: the
    sentence before said someone's turn (S170, S171 read turns said after the request); ``text``:
    the task's own words, for file names the parse sees masked (S236)."""
    if goes_to_reviewer(t, i, asked_before):
        return Pred(t, i, "review", "verb", ["S473"], anchor=i)  # "..., then it goes to finance"
    if getattr(t.words[i], "retagged", "") == "T148" and t.words[i].upos == "VERB" and not S.negated(t, i):
        return Pred(t, i, "test", "verb", ["S101"], anchor=i)  # T148: "A/B them over the weekend": the letters are the command
    if S.done_to_object(t, i, w) is not None:
        codes = ["S122", "S273"] if S.object_reparsed(t, i) or S.object_reparsed(t, _first_of(t, i)) else ["S122"]
        return Pred(t, i, t.lemma(i), "verb", [*codes, "S441"] if S.done_to_each(t, _first_of(t, i)) else codes, anchor=i)
    if going_through_several(t, i, w):
        return Pred(t, i, "read", "verb", ["S178"], anchor=i)
    if purpose_of_means(t, i, w):
        return Pred(t, i, t.lemma(i), "verb", ["S400"], anchor=i)  # "go through X to find Y, then ..."
    if subject_list(t, i, w) is not None:
        return Pred(t, i, t.lemma(i), "verb", ["S180"], anchor=i)
    # S185-S187 after S180: "A, B and C should each be summarised" is asked once per thing there
    if passive_request(t, i, w):
        return Pred(t, i, verb_lemma(t, i, w), "verb", ["S185"], anchor=i)
    if passive_conjunct(t, i, w):
        return Pred(t, i, verb_lemma(t, i, w), "verb", ["S186"], anchor=i)
    if passive_listed(t, i, w):
        return Pred(t, i, verb_lemma(t, i, w), "verb", ["S470"], anchor=i)  # "..., checked by X, revised, and ..."
    if gapped_passive(t, i, w):
        return Pred(t, i, verb_lemma(t, i, w), "verb", ["S215"], anchor=i)
    if needs_doing_step(t, i, w):
        return Pred(t, i, t.lemma(i), "verb", ["S280"], anchor=i)  # "the invoices need sorting, checking and filing"
    head = t.head(i)
    if sequenced_passive(t, i, w):
        # "it then has to be geocoded": the order words sit on "has", the clause's own verb
        return Pred(t, i, verb_lemma(t, i, w), "verb", ["S216"], anchor=head if head is not None and t.rel(i) == "xcomp" else i)
    if asked_in_passive(t, i, w):
        return Pred(t, i, t.lemma(i), "verb", ["S187"], anchor=i)
    if S.timed_gerund(t, i, w) and not S.negated(t, i):
        return Pred(t, i, t.lemma(i), "verb", ["S124"], anchor=i)
    if S.helped_verb(t, i, w):
        return Pred(t, i, t.lemma(i), "verb", ["S125", *_over_question(t, i)], anchor=i)
    if t.words[i].upos == "VERB" and (subj := t.child(i, "nsubj")) is not None and S.task_frame(t, i, subj) and not S.negated(t, i):
        return Pred(t, i, t.lemma(i), "verb", ["S210"], anchor=i)  # "your task is to prepare ..."
    if counted_workers(t, i, w.number_words) is not None and not S.negated(t, i):
        return Pred(t, i, t.lemma(i), "verb", ["I514"], anchor=i)  # "get three agents to each write one"
    if S.caused_work(t, i, w):
        return Pred(t, i, t.lemma(i), "verb", ["S161"], anchor=i)
    if S.lets_know(t, i, w):
        return Pred(t, i, "tell", "verb", ["S162"], anchor=i)
    if S.turn_taking(t, i, w):
        return Pred(t, i, t.lemma(i), "verb", ["S130"], anchor=i)
    if S.kept_at(t, i, w):
        extra = ["S256"] if t.lemma(i) in w.repeat_verbs else []  # "keep iterating on the banner"
        return Pred(t, i, t.lemma(i), "verb", ["S133", *extra], anchor=t.head(i) or i)
    if same_again(t, i, w):
        return Pred(t, i, t.lemma(i), "verb", ["S195"], anchor=i)
    if order_word_stage(t, i):
        return Pred(t, i, t.lemma(i), "verb", ["S253"], anchor=i)  # "..., then log it in the tab"
    if series_stage(t, i):
        return Pred(t, i, t.lemma(i), "verb", ["S370"], anchor=i)  # "a, b, and flag anyone who ..."
    if ordinal_stage(t, i):
        return Pred(t, i, t.lemma(i), "verb", ["S390"], anchor=i)  # "..., second identify the risks"
    if response_turn(t, i, w, asked_before):
        # S250, S251: the answer said as going over the draft, or as asking for feedback
        extra = ["S250"] if going_over(t, i) else ["S251"] if asks_for_feedback(t, i) else ["S255"] if handed_over(t, i) else []
        if says_changes(t, i):
            extra = ["S472"]  # "I'll say what to cut": the turn is the review
        return Pred(t, i, "review" if extra else t.lemma(i), "verb", ["S170", *extra], anchor=i)
    if (turn := let_response(t, i, w, asked_before)) is not None:
        return Pred(t, turn, t.lemma(turn), "verb", ["S170"], anchor=i)  # "let the coach see it"
    if shared_rework(t, i, w, turned_before):
        return Pred(t, i, t.lemma(i), "verb", ["S171"], anchor=i)
    if shared_iteration(t, i, w, asked_before):
        return Pred(t, i, t.lemma(i), "verb", ["S254"], anchor=i)  # "..., and we'll iterate"
    if each_round_step(t, i, w):
        return Pred(t, i, t.lemma(i), "verb", ["S257"], anchor=i)  # "..., take a photo after each change"
    if series_command(t, i, w):
        return Pred(t, i, t.lemma(i), "verb", ["S101"], anchor=i)  # T027: "..., regrout the tiles, then ..."
    if _said_again(t, i):
        return Pred(t, i, t.lemma(i), "verb", ["S218", "S194"], anchor=i)
    if _taken_as_made(t, i, w):
        return Pred(t, i, t.lemma(i), "verb", ["S373"], anchor=i)  # "take a full backup, then update it"
    if taken_out(t, i, text):
        return Pred(t, i, t.lemma(i), "verb", ["S236"], anchor=i)  # "take a frame from clip.mp4": cut out
    return None


def _taken_as_made(t: Tree, i: int, w: Words) -> bool:
    """S373: "take" with a new thing one makes as its object, in a series with another command."""
    if t.lemma(i) != "take" or t.words[i].upos != "VERB" or S.negated(t, i):
        return False
    obj = t.child(i, "obj")
    # a thing of [made] itself ("a look" names work only said with "take", and "a copy" taken is got)
    if obj is None or not _new_thing(t, obj) or t.lemma(obj) not in w.made or t.lemma(obj) == "copy":
        return False
    return t.rel(i) == "conj" or any(t.words[c].upos == "VERB" for c in t.children(i, "conj", "parataxis"))


def _again_after(t: Tree, i: int) -> int | None:
    """The "again" right after verb ``i`` or its own words ("solve again", "make changes
    again"), wherever the parse hung it, with no punctuation before it."""
    end = max(k for k in t.subtree(i) if t.rel(k) != "punct" or k == i)
    for k in range(i + 1, min(end + 2, len(t))):
        if t.words[k].upos == "PUNCT":
            return None
        if t.low(k) == "again":
            return k
    return None


@reading("S218", "said-again", "'Solve it with a timer, cut questions, solve again': a command said once more with 'again' after it is a step, the repeat of the first.")
def _said_again(t: Tree, i: int) -> bool:
    """A loop written out once ("measure, tweak, measure again", "draft it, get it
    read, make changes again") ends on a command that repeats an earlier one of
    the sentence, with "again" after it. The step model, seeing a verb it has
    already made a step, may read the repeat as the same work said twice; the
    "again" says it is done a second time, after the work between. A bare
    command (no subject, no auxiliary) whose verb is an earlier verb's, with
    "again" right after it or its own words, is a step; "again" before it
    ("again, check the totals") or set off by a comma frames the clause.
    """
    if t.words[i].upos != "VERB" or t.rel(i) not in ("root", "conj", "parataxis", "list"):
        return False
    if t.words[i].text.lower() != t.lemma(i) or t.children(i, "nsubj", "aux") or S.negated(t, i):
        return False
    if not any(t.lemma(k) == t.lemma(i) and t.words[k].upos in ("VERB", "ADJ") for k in range(i)) and getattr(t.words[i], "retagged", "") != "T062":
        return False  # T062 read "pilot again" as a command said again, though the first was tagged a noun
    return _again_after(t, i) is not None


def _chain_participles(t: Tree, out: list[Pred], taken: set[int], w: Words) -> None:
    """S122, O313: participles on one object run in order; a thing wished for that does not
    exist yet ("a haiku ... turned into a recording") is made first."""
    chains: dict[int, list[Pred]] = {}
    for p in out:
        if "S122" in p.codes and p.kind == "verb":
            first = S._first_conjunct(t, p.i) if t.rel(p.i) == "conj" else p.i
            chains.setdefault(first, []).append(p)
    for first, chain in chains.items():
        chain.sort(key=lambda p: p.i)
        found0 = S.done_to_object(t, first, w)
        if found0 is not None:
            # "get it reviewed": the getting is how the review is asked for, no step of its own
            out[:] = [p for p in out if not (p.kind == "verb" and p.anchor == found0[1] and p.i == found0[1])]
        for a, b in itertools.pairwise(chain):
            b.sub, b.governor = "then", a.anchor
        found = S.done_to_object(t, first, w)
        if found is None or chain[0].i != first:
            continue
        obj, _ = found
        new = any(t.low(d) in ("a", "an", "some", "another") for d in t.children(obj, "det"))
        if not new or t.lemma(first) in w.create_verbs or not S.made_thing(t, obj, w):
            continue  # "I need a report written": the writing is the making
        if obj not in taken:
            nv = S.noun_verb(t.lemma(obj), w)
            out.append(Pred(t, obj, nv or "make", "noun" if nv else "wanted", ["S122"], anchor=obj))
            taken.add(obj)
            out.sort(key=lambda p: p.i)
        made = next(p for p in out if p.i == obj)
        chain[0].sub, chain[0].governor = "then", made.anchor


# Verbs that hand a made thing over ("send me a summary", "show me a chart"): their objects are wanted things.
_REQUESTING = frozenset({"give", "send", "show", "bring", "provide", "email", "fetch"})


def _wished_done(t: Tree, p: Pred, w: Words) -> bool:
    """S122 under a wish ("I'd like two things sorted"): a wish like "I need to", for S114."""
    if "S122" not in p.codes or p.kind != "verb":
        return False
    done = S.done_to_object(t, p.i, w)
    return done is not None and t.lemma(done[1]) not in ("get", "have")


def _wanted_things(t: Tree, found: list[Pred], w: Words) -> list[Pred]:
    """S123: every further thing a request asks to be made ("a summary of the minutes and a list of the action items") is a step."""
    taken = {p.i for p in found}
    extra: list[Pred] = []
    for p in found:
        anchor = p.anchor if p.anchor >= 0 else p.i
        if p.kind in ("noun", "wanted"):
            n: int | None = p.i
        elif p.kind == "verb" and (p.verb in _REQUESTING or p.verb in w.light or p.verb in w.wish or p.verb in w.create_verbs or "S107" in p.codes or "S109" in p.codes):
            n = t.child(anchor, "obj")
        else:
            continue
        if n is None or S.negated(t, anchor) or (t.head(n) is not None and S.negated(t, t.head(n) or 0)):
            continue  # "I don't want an analysis or a comparison"
        for c in S.wanted_things(t, n, anchor, w):
            if c in taken:
                continue
            taken.add(c)
            nv = S.noun_verb(t.lemma(c), w)
            extra.append(Pred(t, c, nv or "make", "noun" if nv else "wanted", ["S123"], anchor=c))
    if found:
        # "..., then a shorter version of it": a verbless thing after an order word, wherever
        # the parse hung it, is one more thing the request asks for
        first = min(p.i for p in found)
        for c in range(first + 1, len(t)):
            lo = min(t.subtree(c))
            before = {t.low(lo - 1) if lo > 0 else "", *(t.low(k) for k in t.children(c, "advmod"))}
            if (c in taken or not before & {"then", "finally", "also", "next"} or t.words[c].upos not in ("NOUN", "PROPN")
                    or t.rel(c) in ("obj", "compound", "nmod") or (t.head(c) is not None and t.words[t.head(c) or 0].upos == "ADP")):
                continue
            made = _new_thing(t, c) and S.made_thing(t, c, w)
            # S300: "a cost study first, then a pilot": the order word makes the noun a stage
            staged = not made and before & {"then", "finally", "next"} and then_stage(t, c, _after_thing(t, [*found, *extra], c, w))
            if not (made or staged):
                continue
            taken.add(c)
            nv = S.noun_verb(t.lemma(c), w)
            extra.append(Pred(t, c, nv or "make", "noun" if nv else "wanted", ["S123", "S300"] if staged else ["S123"], anchor=c))
    if not extra:
        return found
    return sorted([*found, *extra], key=lambda p: p.i)


def _after_thing(t: Tree, preds: Sequence[Pred], c: int, w: Words) -> bool:
    """Whether the last step read before word ``c`` asks for a thing (a noun, or a wish or
    light verb with a noun object): "we need a budget, then ..." but not "call the bank, then ..."."""
    before = [p for p in preds if p.i < c]
    if not before:
        return False
    p = max(before, key=lambda q: q.i)
    if p.kind in ("noun", "wanted"):
        return True
    obj = t.child(p.i, "obj")
    return p.kind == "verb" and obj is not None and t.words[obj].upos == "NOUN" and (p.verb in w.light or p.verb in w.wish)


def _new_thing(t: Tree, c: int) -> bool:
    """A noun phrase that brings in a new thing: "a summary", "another draft", "one combined
    slide", "a single table" (a definite "the summary" points at one already there)."""
    if any(t.low(d) in ("a", "an", "another") for d in t.children(c, "det")):
        return True
    return any(t.low(d) == "one" for d in t.children(c, "nummod")) or any(t.low(d) == "single" for d in t.children(c, "amod"))


def _learned_pred(t: Tree, i: int, w: Words, model: LinearModel, runner: _Runner | None = None) -> Pred | str:
    """S100: the step model's verdict on candidate ``i``, the readings being its evidence."""
    p = _pred_at(t, i, w)
    if isinstance(p, str) and t.words[i].upos != "VERB":
        return p  # a noun is work only where a reading says it names work (S103)
    if p == "S102" and S.help_no_step(t, i, w):
        return "S270"  # "then help me fix it": the fixing is the step (S125), not the help
    if isinstance(p, Pred) and "S109" in p.codes and wished_list(t, p.anchor) is not None:
        p.codes.insert(0, "S181")  # "I need: A, B and C": each thing is got
        p.verb = FETCH_VERB  # fetched, not made (as S140 reads "I need the versions for A, B and C")
        return p
    if isinstance(p, Pred) and {"S107", "S109"} & set(p.codes) and wished_for_each(t, p.i, p.anchor, w):
        p.codes.insert(0, "S179")  # "I need the figures from each club: A, B, C": asked per thing
        if t.words[-1].text in (":", "：") and remark_before_colon(t, next_verb(t, p.anchor)):
            p.codes.append("S211")  # "... for each one, they all go out separately:"
        return p
    if isinstance(p, Pred) and p.kind == "wanted" and "S109" in p.codes and S.made_thing(t, p.i, w) and apposed_ones(t, p.i, w.number_words):
        p.codes.insert(0, "I560")  # "I need two logos, a round one and a square one": each version is made
        return p
    if opens_stage_list(t, i) and (isinstance(p, str) or model.probability(step_features(t, i, w, False, evidence(p, i))) < model.threshold):
        # S200: "for each one find the order, draft ..., then log it": the list's first stage
        if isinstance(p, str):
            p = Pred(t, i, S.phrasal_work(t, i, w) or t.lemma(i), "verb", [], anchor=i)
        p.codes.insert(0, "S200")
        return p
    prob = model.probability(step_features(t, i, w, False, evidence(p, i)))
    # a verb of repeating says the work loops ("rerun, repeat"); "keep" alone keeps a result ("keep if faster")
    if prob < model.threshold and isinstance(p, Pred) and (t.lemma(i) == "keep" or t.lemma(i) not in w.repeat_verbs) and inside_stage_list(t, i):
        p.codes.insert(0, "I481")  # "for both: pull the sales, take off refunds, then ...": a stage
        return p
    if prob < model.threshold:
        if isinstance(p, Pred) and assigned_party(t, i):
            p.codes.insert(0, "S430")  # "the north crew clears the drains; the south crew ...": handed work
            return p
        if isinstance(p, Pred) and S.wished_of_reader(t, i, w):
            p.codes.insert(0, "S192")  # "I need someone to figure out the scope": asked of the reader
            return p
        if isinstance(p, Pred) and command_on_each(t, i):
            p.codes.insert(0, "I652")  # "Model overtime cost for both and recommend": work on each option
            return p
        if isinstance(p, Pred) and "S103" in p.codes and work_heading(t, i):
            p.codes.insert(0, "S440")  # "Risk assessments for the trip:" over a list: work on each thing
            return p
        if isinstance(p, Pred) and runner is not None and prob > runner.prob:
            runner.prob, runner.pred = prob, p
        return p if isinstance(p, str) else "S100"
    if isinstance(p, str):
        lemma = t.lemma(i)
        if t.words[i].upos == "VERB":
            p = Pred(t, i, lemma, "verb", [], anchor=i)
        else:
            p = Pred(t, i, S.noun_verb(lemma, w) or lemma, "noun", [], anchor=i)
    p.codes.insert(0, "S100")
    return p


def _preds_of(
    t: Tree,
    w: Words,
    earlier: set[str],
    runner: _Runner | None = None,
    rejected: list[tuple[str, int]] | None = None,
    turned_before: bool = False,
    text: str = "",
) -> list[Pred]:
    """Every predicate of one sentence that asks for work, in word order, with its clause's relation."""
    out: list[Pred] = []
    blocked = _blocked(t, w)
    for k in range(len(t)):
        handed = t.rel(k) in ("xcomp", "ccomp") and (S.caused_work(t, k, w) or S.lets_know(t, k, w))
        if (handed or S.kept_at(t, k, w)) and (h := t.head(k)) is not None:
            blocked.setdefault(h, "S102")  # "keep tweaking it", "have Maria check it": the verb only wraps the work
    taken: set[int] = set()
    model = load_models().steps
    if rejected is not None:
        # one record per clause the readings rule out, at its head
        heads = {i for i, code in blocked.items() if t.head(i) not in blocked or blocked.get(t.head(i) or 0) != code}
        rejected.extend((blocked[i], i) for i in sorted(heads))
    # S185, S186: participles the tagger took for adjectives ("a report is to be prepared")
    harsh = set(harsh_manners(t, w))  # S421: "then be brutal about them": a critique
    for i in sorted({*iter_candidates(t, w), *passive_adjectives(t, w), *harsh}):
        if i in blocked:
            continue
        if i in harsh:
            p: Pred | str = Pred(t, i, "critique", "verb", ["S421"], anchor=i)
        elif model is not None and (back := _refers_back_clause(t, i, w, earlier)) is not None:
            p = back  # S112: "once it is built" only says when; the readings decide it
        elif model is not None and (yours := _your_timed_work(t, i, w)) is not None:
            p = yours  # S121: "after you do the migration, check the app": the migration is work too
        elif kept_form(t, i, w):
            p = "S174"  # "keep it below three minutes": a limit on the result, not work
        elif (said := described(t, i)) is not None:
            p = said  # S155, S156: "you can hardly read it", "it's for a print" describe the input
        elif weighed_choice(t, i):
            p = "S242"  # "the team is split on whether to ship it or make it optional": background
        elif background_gerund(t, i, w):
            p = "S225"  # "the app crashes after updating the driver": when something happened
        elif held_for_approval(t, i, w):
            p = "S226"  # "check with me before cancelling any plan": a limit on the main work
        elif reminded_content(t, i, w):
            p = "S229"  # "remind me at six to call the dentist": what the reminder will say
        elif conditional_report(t, i, w, bool(earlier)):
            p = "S227"  # "if none deliver by Friday, tell me": one outcome of earlier work
        elif leads_to_purpose(t, i, w):
            p = "S401"  # "start from the brief to write the outline": the writing is the step (S400)
        elif (read := _read_for_sure(t, i, w, bool(earlier), turned_before, text)) is not None:
            p = read  # S122, S124, S125: constructions that ask for work whatever the model says
        elif own_doing(t, i, w):
            p = "S157"  # "then I'll read it out at dinner": the speaker's own doing, beside the request
        else:
            p = _pred_at(t, i, w) if model is None else _learned_pred(t, i, w, model, runner)
        if isinstance(p, str):
            if rejected is not None and p != "none":
                rejected.append((p, i))
            continue
        if p.i in taken:
            continue
        taken.add(p.i)
        a = p.anchor
        kind, _ = S.clause_kind(t, a, w)
        if kind is None:
            # a parse that hung the time clause elsewhere still has its subordinator
            kind = S.time_mark(t, a, w)
        if kind is None and S.after_as_then(t, a):
            p.codes.append("O381")
        gov = t.head(a)
        if gov is None and "S124" in p.codes:
            # "Before publishing the notes, check the links": the parse coordinated the main clause
            gov = next((c for c in t.children(a, "conj") if t.words[c].upos == "VERB"), None)
        if kind in ("after", "before", "purpose") and gov is not None:
            p.sub, p.governor = kind, gov
            if kind == "after" and p.kind == "verb" and S.refers_back(t, a, earlier):
                p.refers = True
                p.codes.append("S112")
        out.append(p)
    _chain_participles(t, out, taken, w)
    # S118: "find my booking email and tell me the reference": telling the user is how the find ends;
    # after work on each of several things ("check A, B and C and give me the gist") it merges their results
    if len(out) >= 2:
        from planner.parser.told_in import told_in_language

        kept = [p for k, p in enumerate(out) if not (k > 0 and S.delivers(t, p, w) and not _after_items(t, out[:k], p, w) and not _shown_for_rework(t, out, k, w)
                                                     and not _told_after_each(t, out[:k], p) and not _told_in(p, told_in_language)
                                                     and not _told_last(t, p, k))]
        if rejected is not None:
            rejected.extend(("S118", p.i) for p in out if p not in kept)
        for p in kept:
            if S.sent_to_user(t, p):
                p.codes.append("S177")  # "mail me the scans": an errand, not only the end of the work
        out = kept
    # S117: "take the German manual, translate the safety section": taking hands an input over
    if len(out) >= 2:
        first = out[0]
        handed = (first.kind == "verb" and first.verb in _HAND_OVER and "S236" not in first.codes and (obj := t.child(first.i, "obj")) is not None
                  and S.noun_verb(t.lemma(obj), w) is None and not _goes_somewhere(t, first.i))
        if handed and _gathers_from_several(t, first, w):
            first.codes.append("I376")  # "grab the logs from A, B and C": gathering from each source is work
        elif handed and fetched_from_source(t, first.i):
            first.codes.append("S266")  # "take the list from HR": fetched from a source, a stage of its own
        elif handed and _taken_as_made(t, first.i, w):
            first.codes.append("S373")  # "take a full backup, then update": taking a new copy makes it
        elif handed:
            if rejected is not None:
                rejected.append(("S117", first.i))
            out = out[1:]
    # S114: "Optimise the export: profile it, fix the hot path, measure again"
    if len(out) >= 3:
        colon = next((k for k in range(len(t)) if t.words[k].text in (":", "：")), None)
        if colon is not None:
            lead = [p for p in out if p.i < colon]
            rest = [p for p in out if p.i > colon]
            if len(lead) == 1 and S.goal_then_steps(t, lead[0].i, len(rest)):
                if rejected is not None:
                    rejected.append(("S114", lead[0].i))
                out = rest
    # S420: "Tidy the shed - sort the tins, sweep, then take the scrap to the tip": a dash's lead-in
    if len(out) >= 3 and (lead_in := dash_lead(t, out)) is not None:
        if rejected is not None:
            rejected.append(("S420", lead_in.i))
        out = [p for p in out if p is not lead_in]
        out[0].codes.append("S420")  # the first stage's words start after the dash (_pred_span)
    # a governor is the predicate the clause hangs on: climb past words that are no predicate
    anchors = {p.anchor for p in out}
    for p in out:
        g = p.governor
        while g is not None and g not in anchors:
            g = t.head(g)
        p.governor = g
        if g is None:
            p.sub = None
    return out


doc_only(
    "I376", "gathering-from-several",
    "'Grab the logs from the web, mobile and desktop builds and merge them' gathers from each build: taking things from several sources is work, not an input handed over.",
    """S117 drops a first "take", "grab" or "use" whose object is the input of
    the work after it ("take the manual, translate the safety section"). When
    what is taken comes from several things listed (its objects, or a "from"
    phrase holding a list), each is a fetch of its own that the later work
    waits for, so the verb stays a step and the list its items.""",
)
doc_only(
    "I377", "list-after-a-bare-verb",
    "In 'research what Hetzner, Linode and Vultr each charge' the work is done for each host: a list and its 'each' right after a step's verb belong to that step even where the parse hung them elsewhere.",
    """A question clause after the verb ("what A, B and C each charge") is
    often parsed as a clause of its own, and the step's words then stop at
    the verb, so the "each" inside the clause is not seen as the step's.
    When nothing but the list's opening words lies between the verb and the
    list (no comma, "and", colon or dash), no other step claims those words,
    and "each" or "both" follows the list's last member, the list is the
    step's own and the work is done once per member.""",
)
doc_only(
    "I378", "several-people-asked",
    "'Ask Claude, ChatGPT and Gemini to write a tagline' asks each of the three: several people or teams as the object of a verb of asking are one asking each.",
    """Asking, emailing, calling or chasing someone is a conversation with
    that one person; with several people listed as the object ("ask Priya,
    Tom and the finance team for their figures") each is a piece of work of
    its own that can run beside the others (``ask_verbs`` in
    rules/words.toml). A list after "about" is what is asked and stays one
    asking.""",
)
doc_only(
    "I379", "each-with-its-list-joined",
    "'Revenue for each product line (Bikes, Helmets, Lights) in one table' is one piece of work per line: a distributive phrase that names its own list splits the work even where the result is put in one place.",
    """"In one table", "into one doc" usually say that work is done once for
    everything together. When the same clause says "each X" or "every X"
    and names the Xs right after it (in brackets, after a colon or between
    dashes), the writer has said both: the work is done for each, and the
    results are joined in one place.""",
)
doc_only(
    "I380", "counted-then-named",
    "'Email the 3 shortlisted suppliers: Acme, Birch and Cedar' emails the three named: a count followed by a colon and a list of as many names names the counted things.",
    """A count of units of work ("the 3 suppliers") makes one step per unit,
    numbered when nothing names them. When the same sentence goes on with a
    colon and a list of exactly that many members, they are those units,
    and each step is named by its member.""",
)


doc_only(
    "S373", "taken-as-made",
    "'Take a full backup of the site, then update the plugins': taking a new thing one makes (a backup, a photo, a snapshot) is work, not an input handed over.",
    """S117 drops a first "take" whose object is the input of the work after
    it ("take the manual, translate the safety section"). With an
    indefinite article and a noun that names a thing one makes ([made] in
    rules/words.toml: "a backup", "a photo of the meter", "a snapshot"),
    taking it brings it into being, and the work after it comes later: the
    taking stays a step.""",
)


def _gathers_from_several(t: Tree, p: Pred, w: Words) -> bool:
    """I376: "grab the logs from A, B and C and merge them": taking from several sources is
    work done once per source, not an input handed over."""
    if len(_items_of(t, p, w)) >= 2:
        return True
    words = set(t.subtree(p.i))
    nxt = min((k for k in words if k > p.i and t.rel(k) == "conj" and t.words[k].upos == "VERB"), default=len(t))
    return any(not lst.alternatives and p.i < lst.start and lst.end <= nxt and lst.start in words for lst in find_lists(t))


doc_only(
    "S205", "told-after-each",
    "'Try both on the March schedule and tell me (the timings)': telling after work said of 'both' or 'each' sets their results side by side; it stays a step.",
    """Work said of "both" or "each" is done once per thing it points back to
    (the options or items named before); a telling after it ("and tell me",
    "and tell me the timings") answers for all of them at once, which means
    setting them side by side: a step of its own, as after work on a list
    named in the sentence (S118). A telling that is itself said of each
    ("tell me where each one stands") hands over what the work found for
    each one and is no step (S118).""",
)

_EACH_BACK = frozenset({"both", "each"})
# Words that end what is told and start the next piece of work ("..., then one list").
_NEXT_WORK = frozenset({"then", ";"})


def _told_after_each(t: Tree, earlier: list[Pred], p: Pred) -> bool:
    """S205: a telling after work said of "both" or "each" that tells of them together."""
    told = range(p.i + 1, next((k for k in range(p.i + 1, len(t)) if t.low(k) in _NEXT_WORK), len(t)))
    if any(t.low(k) in _EACH_BACK | {"every"} for k in told):
        return False  # "tell me where each one is at": what the work found for each, handed over (S118)
    lo = min(q.i for q in earlier)
    if any(t.low(k) in _EACH_BACK for k in range(lo, p.i)):
        p.codes.append("S205")
        return True
    return False


def _told_last(t: Tree, p: Pred, stages_before: int) -> bool:
    """S301: "..., enter them in the sheet, and tell me the total": the chain's last stage, a step."""
    if not told_after_chain(t, p, stages_before):
        return False
    p.codes.append("S301")
    return True


def _told_in(p: Pred, told_in_language: Callable[[Pred], bool]) -> bool:
    """S272: "give them to me in Dutch": the telling translates the result, a step."""
    if not told_in_language(p):
        return False
    if "S272" not in p.codes:
        p.codes.append("S272")
    return True


def _after_items(t: Tree, earlier: list[Pred], p: Pred, w: Words) -> bool:
    """Whether work before ``p`` is done for each of several things ("check A, B and C"),
    by the tree or by the list's shape (a parse that broke the list up)."""
    if any(len(_items_of(t, q, w)) >= 2 for q in earlier):
        return True
    lo = min(q.i for q in earlier)
    return any(not lst.alternatives and lo < lst.start and lst.end < p.i for lst in find_lists(t))


def _question_pred(t: Tree, w: Words) -> Pred:
    first = t.low(0)
    verb = "investigate" if first in ("why", "how come") else "answer"
    return Pred(t, t.root, verb, "question", ["S110"])


def _question_preds(t: Tree, w: Words) -> list[Pred]:
    """S126: "where is the pharmacy and when does it close?" asks two things; each is answered."""
    cuts = S.joined_questions(t)
    listed = question_list(t)  # S460: "what's X, is Y, and any Z"
    if not cuts and not listed:
        return [_question_pred(t, w)]
    out: list[Pred] = []
    if listed:
        spans = list(listed)
        for j in cuts:  # "... and when does it close" inside a listed part
            spans = [s for a, b in spans for s in (((a, j), (j + 1, b)) if a < j < b - 1 else ((a, b),))]
    else:
        spans = [(a + (0 if a == 0 else 1), b) for a, b in itertools.pairwise([0, *cuts, len(t)])]  # the "and" joins
    for a, b in spans:
        part = range(a, b)
        head = t.root if t.root in part else next((k for k in part if t.head(k) not in part and t.rel(k) not in ("punct", "cc")), a)
        verb = "investigate" if t.low(a) == "why" else "answer"
        codes = ["S110"] if not out else ["S110", "S460"] if listed else ["S110", "S126"]
        if listed and t.words[head].upos == "VERB" and t.lemma(head) == t.low(head) and t.low(a) == t.low(head):
            verb = t.lemma(head)  # "..., and tell me which is cheaper": a command among the questions
        out.append(Pred(t, head, verb, "question", codes, part=(a, b)))
    return out


# --- the builder ------------------------------------------------------------------


@dataclass
class _State:
    text: str
    front: Front
    words: Words
    settings: ParseSettings
    classify: RoleClassifier | None
    trees: list[Tree] = field(default_factory=list)
    preds: list[Pred] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    loops: list[Loop] = field(default_factory=list)
    fired: list[Fired] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # What the order model asks of one draft, for every earlier draft it is paired with
    # (its hand-off pronoun, the results it names, its topic): worked out once per draft.
    pair_memo: dict[tuple[str, int], Any] = field(default_factory=dict)
    # Words the readings took as counted pieces of work ("four passes" named one by one):
    # no advisor cue may read them as something else.
    counted_work: list[str] = field(default_factory=list)
    # O317: drafts that start a new line of work on an input of their own, each with the
    # first draft of the line it leaves (see _new_line).
    lines: list[tuple[int, int]] = field(default_factory=list)
    # I262: (group, stream, stream it waits for) from "Green: wait for blue, then the same steps"
    waits: list[tuple[str, str, str]] = field(default_factory=list)


def _analyse_unit(front: Front, k: int, w: Words, stop: Callable[[], bool] = lambda: False) -> Iterator[Tree]:
    """The unit's sentences, parsed one at a time (``stop`` ends the reading early)."""
    from planner.parser.grammar import analyse

    unit = front.units[k]
    for words in analyse(front.view, unit.start, unit.end, w, unit.chained):
        if stop():
            return
        yield Tree(tuple(words), k)


def _object_of(t: Tree, i: int) -> int | None:
    for rel in ("obj", "ccomp", "xcomp", "obl", "nmod"):
        for k in t.children(i, rel):
            if t.words[k].upos in ("NOUN", "PROPN", "PRON", "NUM", "X", "ADJ", "VERB"):
                return k
    return None


def _passive_step(p: Pred) -> bool:
    """A step read from a passive request (S185, S186, S215, S216, S280), whose subject is the thing worked on."""
    return bool({"S185", "S186", "S215", "S216", "S280"} & set(p.codes))


def _pred_span(t: Tree, p: Pred, pred_heads: set[int], w: Words) -> tuple[int, int]:
    """The words that ask for the work: the predicate and its own dependents, without other steps."""
    if p.kind == "question" or {"S330", "S331", "S332", "S333", "S453", "S462"} & set(p.codes):
        a, b = p.part or (0, len(t))
        return t.span([k for k in range(a, b) if t.rel(k) != "punct" or a < k < b - 1] or [p.i])
    block = {k for k in pred_heads if k != p.i}
    # leave out clauses that are steps of their own, and framing words at the edges
    for k in t.children(p.i):
        rel = t.rel(k)
        if (
            (rel in ("conj", "parataxis", "list") and t.words[k].upos in ("VERB", "AUX"))
            or (rel == "advcl" and not _asks_what(t, k))
            or (rel == "nsubj" and not _passive_step(p))  # S185: the passive's subject is what is worked on
            or (rel == "cop" and _passive_step(p))  # "is to be prepared": the frame, not the work
            or rel in ("aux", "discourse", "punct", "cc", "mark", "vocative", "expl")
            or (rel == "advmod" and t.low(k) in _ORDER_ADVERBS and not _repeat_after(t, p.i, k))
            or (rel == "case" and "S123" in p.codes)  # "along with a short glossary": the thing, not the link
        ):
            block.add(k)
    idx = t.subtree(p.i, block)
    if "S215" in p.codes and t.rel(p.i) == "acl" and (noun := t.head(p.i)) is not None:
        # "the risks listed": the parse hung the participle on the thing worked on
        idx = [*(k for k in t.subtree(noun, block | {p.i}) if k < p.i), *idx]
    if "S194" not in p.codes and any(t.rel(k) == "advmod" and _repeat_after(t, p.i, k) for k in t.children(p.i)):
        p.codes.append("S194")
    if ("S161" in p.codes or "S162" in p.codes) and (head := t.head(p.i)) is not None:
        # "have the support lead review it": who is had to do the work belongs to the step's words
        agent = S.handed_to(t, p.i)
        idx = [*idx, head, *(t.subtree(agent) if agent is not None else ())]
    # A step's words never reach over another step's verb: where the tree hangs a later
    # word on this verb across a sibling step ("change X, rebuild, check size" with
    # "check size" read as this verb's object), the span stops short of that verb.
    others = [k for k in pred_heads if k != p.i]
    lo = max((k for k in others if k < p.i), default=-1)
    hi = min((k for k in others if k > p.i), default=len(t))
    # A stop condition after the verb ("reword, until nobody objects") is the loop's, not the step's words.
    stop = next((k for k in range(p.i + 1, hi) if _opens_stop(t, k, w)), None)
    if stop is not None:
        hi = stop
    if "S420" in p.codes:
        lo = max(lo, max((k for k in range(p.i) if t.words[k].text in DASHES), default=-1))  # not the lead-in's words
    idx = [k for k in idx if lo < k < hi] or [p.i]
    nxt = max(idx) + 1
    if nxt < hi and t.low(nxt) == "again" and nxt not in idx and t.words[p.i].upos == "VERB":
        # "measure, tweak, measure again" with "again" hung on the first "measure": the
        # word after this step's own words repeats this step (S194)
        idx.append(nxt)
        if "S194" not in p.codes:
            p.codes.append("S194")
    idx = [k for k in idx if t.rel(k) != "punct" or min(idx) < k < max(idx)]
    if not idx:
        idx = [p.i]
    return t.span(idx)


# Verbs that hand a version over to be looked at ("show me", "send us a draft").
_SHOWING = frozenset({"show", "send", "give"})


def _shown_for_rework(t: Tree, out: Sequence[Pred], k: int, w: Words) -> bool:
    """S191: "cut it down, show me, cut again", "draft it, send it to me, refine what I
    push back on": handing the version to the user before reworking it in the same
    sentence is the user's turn to look at it, a step of the loop, not the end of the work."""
    p = out[k]
    if p.kind != "verb" or p.verb not in _SHOWING:
        return False
    earlier = {q.verb for q in out[:k]}
    for q in out[k + 1 :]:
        head = t.head(q.i)
        kept_at = head is not None and t.lemma(head) in w.repeat_verbs  # "keep trimming"
        if q.kind == "verb" and (q.verb in w.rework or q.verb in earlier or kept_at):
            if "S191" not in p.codes:
                p.codes.append("S191")
            return True
    return False


doc_only(
    "S191", "shown-for-rework",
    "'Shorten it, show me, shorten again': showing the version to the user before reworking it is the user's turn to look at it, a step of the loop.",
    """Telling or showing the user a result ends the work before it (S118):
    "find the file and show me". When the same sentence goes on to rework
    the version (a verb of reworking, the first verb said again, or a rework
    kept at), the showing hands over a version to be judged: it is the
    review of the loop, and stays a step.""",
)


def _repeat_after(t: Tree, i: int, k: int) -> bool:
    """S194: "again" after its verb ("measure again", "check it again") tells this step from
    the first one it repeats, so it stays in the step's words; before the verb ("again,
    check ...") it only frames the clause, like "then"."""
    # "tweak, again, until ...": set off by a comma it repeats the loop, not this step
    return k > i and t.low(k) == "again" and not any(t.words[j].upos == "PUNCT" for j in range(i + 1, k))


doc_only(
    "S194", "repeat-in-words",
    "In 'measure, tweak, measure again' the second measuring keeps its 'again': said after its verb, the word tells the repeat from the first step.",
    """Order adverbs ("then", "also", "again") are framing and left out of a
    step's words. "Again" after its verb is different: the text asks for the
    same work a second time, and without the word the two steps read the
    same ("Measure" twice), so a plan could not tell which is which. Before
    its verb ("again, check the totals") it stays framing.""",
)


_WH = frozenset({"how", "what", "why", "where", "which", "whether", "who", "whom", "whose"})


def _opens_stop(t: Tree, k: int, w: Words) -> bool:
    """Word ``k`` opens a stop condition ("until", "till") as a subordinator or after a comma."""
    if not (t.rel(k) in ("mark", "case") or (k > 0 and t.rel(k - 1) == "punct")):
        return False
    return any(
        tuple(t.low(j) for j in range(k, min(k + len(ph), len(t)))) == ph for ph in w.ends
    )


def _asks_what(t: Tree, k: int) -> bool:
    """A clause opened by a wh-word ("sum up how they differ") is what the work is
    about, though the tree may hang it as an adverbial clause."""
    return t.low(min(t.subtree(k))) in _WH


_ORDER_ADVERBS = frozenset({"then", "next", "first", "firstly", "finally", "lastly", "also", "afterwards", "afterward", "later", "please", "now", "just", "additionally", "too", "meanwhile", "separately", "secondly", "thirdly", "subsequently", "eventually", "again"})


def _markers(t: Tree, p: Pred, w: Words) -> set[str]:
    """Order markers that apply to a predicate: the words from its clause's start up to its verb."""
    a = p.anchor if p.anchor >= 0 else p.i
    if "S122" in p.codes and p.sub is None and (done := S.done_to_object(t, a, w)) is not None:
        a = done[1]  # "then I want it reviewed": the wish's clause carries the participle's markers
    near = [k for k in t.children(a) if t.rel(k) in ("advmod", "cc", "obl", "mark", "discourse", "nmod", "nsubj", "aux")]
    lows = t.lows()
    # the words from the start of the clause to the predicate ("and then", "after that", "first of all")
    lo = min([a, *(min(t.subtree(k)) for k in near)])
    window = lows[lo : a + 1]
    return {name for name, phrases in (("next", w.next), ("first", w.first), ("parallel", w.parallel), ("also", w.also)) if holds_any(window, phrases)}


def build_graph(
    text: str,
    classify: RoleClassifier | None = None,
    cues: CueFinder | None = None,
    *,
    words: Words | None = None,
    settings: ParseSettings | None = None,
) -> TaskGraph:
    """Read ``text`` into a TaskGraph (see the module docstring for the passes)."""
    with one_reading():  # rules/parse.toml looked at once per parse, not once per sentence
        st = read_state(text, classify, words=words, settings=settings)
        stream_waits(st)  # I262: after the order passes, which put each stream's first stage first
        first_step_for_each(st)  # I312: after the order passes, which put the items after the step
        parallel_list_lines(st)  # I313: before I260 names the lines
        inline_apart_lines(st)  # I433: the same on one line, cut at semicolons or letters
        named_at = line_streams(st)  # I260: after the order passes found the lines, before K steps move the drafts
        subject_streams(st)  # I542: parts opened by their doers that I260 left as they were
        _add_implied(st)
        place_streams(st, named_at)
        return _finish(st, cues)


def _add_implied(st: _State) -> None:
    """K readings: steps no verb names (a transcript before a question about a recording, ...).

    They come after the order passes so the learned models never see them: an
    implied step takes its place from the step that needs it.
    """
    from planner.parser.implied import implied_pred, implied_steps, load_kinds

    if not st.drafts:
        return
    found = implied_steps(st.front.text, st.trees, st.drafts)
    found += looks_on_picture(st.front.text, st.trees, st.drafts, load_kinds())  # K576
    found += picture_before_change(st.front.text, st.trees, st.drafts, load_kinds())  # K577
    found += gist_heard(st.front.text, st.trees, st.drafts, load_kinds())  # K578
    found += picked_out(st.front.text, st.trees, st.drafts, load_kinds())  # K580
    found += foreign_recording(st.front.text, st.trees, st.drafts, load_kinds())  # K579
    found += voiced_picture(st.front.text, st.trees, st.drafts, load_kinds())  # K583
    found += sheet_read(st.front.text, st.trees, st.drafts, load_kinds())  # K585
    # S228 marks a recording whose speech the step itself works on: a reading, no step
    st.fired.extend(Fired(imp.code, imp.span) for imp in found if imp.code == "S228")
    found = [imp for imp in found if imp.code != "S228"]
    # the same material taken in again for a later step ("what she said ..., and a reply from
    # that": K501 and K536 on one recording) is taken in once; the later step waits for it
    again: list[tuple[int, Any]] = []
    kept: list[Any] = []
    for imp in found:
        same = next((f for f in kept if imp.before and f.before and _same_material(st.front.text, f, imp)), None)
        if same is not None and imp.code not in ("K520", "K538", "K541") and same.at < imp.at:
            again.append((imp.at, same))
            continue
        kept.append(imp)
    found = kept
    room = st.settings.max_steps - len(st.drafts)
    found = found[: max(0, room)]
    if not found:
        return
    before: dict[int, list[Draft]] = {}
    after: dict[int, list[Draft]] = {}
    made: dict[int, Draft] = {}
    for imp in found:
        p = implied_pred(imp)
        text = st.front.text[imp.span[0] : imp.span[1]]
        role = st.words.role_of(imp.verb) or "implement"
        d = Draft(pred=p, span=imp.span, text=text, verb=imp.verb, role=role, obj=text, codes=[imp.code])
        made[id(imp)] = d
        if imp.code in ("K520", "K538", "K541"):
            d.item, d.item_span = text, imp.span  # one file of a list: the step covers that file
        (before if imp.before else after).setdefault(imp.at, []).append(d)
    old = st.drafts
    new: list[Draft] = []
    where: dict[int, int] = {}
    extra: list[tuple[Draft, int, bool]] = []
    for k, d in enumerate(old):
        for e in before.get(k, []):
            extra.append((e, len(new), True))
            new.append(e)
        where[k] = len(new)
        new.append(d)
        for e in after.get(k, []):
            extra.append((e, len(new), False))
            new.append(e)
    for d in old:
        d.after = {where[j] for j in d.after if j in where}
    owner = {id(e): k for k, es in (*before.items(), *after.items()) for e in es}
    last_after: dict[int, int] = {}
    for e, pos, is_before in extra:
        k = where[owner[id(e)]]
        if "K542" in e.codes:
            # a thing asked for beside the draft: it waits for what the draft waits for,
            # and what uses the draft's result uses this one's too
            e.after = set(new[k].after)
            for d in new:
                if d is not e and k in d.after:
                    d.after.add(pos)
        elif is_before:
            if "K526" in e.codes:
                e.after = set(new[k].after)  # a translation of the result the voicing was to take
            if "K579" in e.codes:
                # a recording's words are translated once they are taken out (K501, K509)
                e.after |= {p for x, p, b in extra if b and p < pos and owner[id(x)] == owner[id(e)] and {"K501", "K509", "K580"} & set(x.codes)}
            if "K585" in e.codes:
                # the things asked for beside the step (K542) are made from the figures too
                for x, _, _b in extra:
                    if x is not e and owner[id(x)] == owner[id(e)] and "K542" in x.codes:
                        x.after.add(pos)
            if "K583" in e.codes:
                # a picture's words are read off it before they are translated for the voicing
                for x, _, b in extra:
                    if b and x is not e and owner[id(x)] == owner[id(e)] and x.verb == "translate":
                        x.after.add(pos)
            new[k].after.add(pos)  # the step that needs the material waits for it
        else:
            # "her answers in English, as a voice track": each turn-over takes the one before
            e.after = {last_after.get(k, k)}
            last_after[k] = pos
            for d in new:
                if d is not e and k in d.after and new.index(d) > pos:
                    d.after.add(pos)  # what used the result now gets it in its medium
    for at, imp in again:
        if id(imp) in made:
            new[where[at]].after.add(new.index(made[id(imp)]))
    st.drafts = new
    st.loops = [replace(lp, steps=tuple(str(where[int(x)]) if x.isdecimal() and int(x) in where else x for x in lp.steps)) for lp in st.loops]


def _wished_after(st: _State) -> None:
    """S331, S332 in sentences with no step, after the work the others ask for."""
    if not st.preds:
        return
    asked = {id(p.tree) for p in st.preds}
    by_tree: dict[int, list[Pred]] = {}
    for p in st.preds:
        by_tree.setdefault(id(p.tree), []).append(p)
    for ps in by_tree.values():
        p = ps[0]
        if len(ps) == 1 and p.kind == "question" and p.part is None:
            # S333: "what's the total, and that in euros?": the parts after the question
            extra = question_parts(st.front.text, p, st.words)
            for q in extra:
                q.markers = _markers(q.tree, q, st.words) | {"next"}
            at = st.preds.index(p) + 1
            st.preds[at:at] = extra
    # "Which one reads better? A one-line verdict I can forward.": a verbless wished result
    found = wished_sentences(st.front.text, st.trees, asked, st.words)
    # "..., and need it as a few lines": a thing already named, wished in a form
    found += [q for t in st.trees if id(t) not in asked for q in wished_forms(st.front.text, st.trees, t) if not laid_out(q)]
    for q in found:
        q.markers = _markers(q.tree, q, st.words) | {"next"}  # made from the work before it
    for q in found:  # after the steps of the sentences before it, the others kept in their order
        at = max((n + 1 for n, p in enumerate(st.preds) if p.tree.start <= q.tree.start), default=0)
        st.preds.insert(at, q)


def _same_material(text: str, a: Any, b: Any) -> bool:
    """Two implied steps do the same work on one thing: the same verb on the same words, or
    on a noun and the file set beside it ("my brother's voice note, bro.ogg")."""
    if a.verb != b.verb:
        return False
    (x0, x1), (y0, _) = sorted([a.span, b.span])
    return x0 == y0 or y0 < x1 or not text[x1:y0].strip(" ,()")


def read_state(
    text: str,
    classify: RoleClassifier | None = None,
    *,
    words: Words | None = None,
    settings: ParseSettings | None = None,
    learned_order: bool = True,
) -> _State:
    """Every pass but the last: the drafts with their order (also what training reads)."""
    w = words or load_words()
    cfg = settings or load_settings()
    front = spoken_front(read_front(text, cfg.max_chars), w)  # T011-T016: speech read like writing
    st = _State(text=text, front=front, words=w, settings=cfg, classify=classify)
    st.fired.extend(Fired(code, (s, e)) for code, s, e in front.spoken)
    if front.truncated:
        st.fired.append(Fired("T001", (cfg.max_chars, len(text))))
        st.notes.append(f"The task is {len(text):,} characters long; the parser read the first {cfg.max_chars:,}.")
    _read_predicates(st)
    named_lines(st)  # I632: before the items are read from the lines
    _drop_goal(st)
    _drop_title(st)
    _drop_lead_lines(st)
    _drop_lead_options(st)
    if len(st.preds) > cfg.max_steps:
        # every later pass looks at pairs of steps: bound them before they start
        st.notes.append(f"The text names {len(st.preds)} pieces of work; only the first {cfg.max_steps} became steps.")
        st.preds = st.preds[: cfg.max_steps]
    _read_items(st)
    counted_heads(st)  # I310: before I290 reads the streams' names
    _drop_umbrellas(st)
    clause_umbrellas(st)  # I311
    _drop_frame(st)
    if len(st.drafts) > cfg.max_steps:
        st.notes.append(f"The text names {len(st.drafts)} pieces of work; only the first {cfg.max_steps} became steps.")
        st.drafts = st.drafts[: cfg.max_steps]
        kept = set(range(cfg.max_steps))
        for d in st.drafts:
            d.after &= kept
    _read_order(st)
    model = load_models().order if learned_order else None
    if model is not None:
        _learned_order(st, model)
    split_over_verbs(st)  # I344: after the order, which it corrects for one option's step
    if learned_order:
        # O319-O321: the step that closes work once per item waits for every item. After the
        # order model, and not while training it: the model learns from the state it sees.
        follow_ups(st.drafts, st.front.text, st.words)  # O340: each follow-up of a finding waits for it
        goes_first(st.drafts, st.front.text)  # O341: "X. Do Y first." puts Y before X
        closing_waits(st.drafts)
        waits_on_repeated(st.drafts)  # S195: "do the same for the rest" after the work it repeats
    _read_loops(st)
    _rounds_said_apart(st)  # O400: "..., redo them. Three passes, please."
    return st


# Readings that state an order outright: the order model does not overrule them.
_STATED = frozenset({"O302", "O303", "O310", "O313", "O315", "O344", "O346", "O367", "I205", "K570"})
# Readings that put a step side by side with the one before it (O346 waits for each of them).
_SIDE = frozenset({"O343", "O344", "O345", "O348", "O349"})


def _closure(st: _State) -> set[tuple[int, int]]:
    g = nx.DiGraph()
    g.add_nodes_from(range(len(st.drafts)))
    g.add_edges_from((j, k) for k, d in enumerate(st.drafts) for j in d.after if j != k)
    if not nx.is_directed_acyclic_graph(g):
        return {(j, k) for k, d in enumerate(st.drafts) for j in d.after}
    return {(a, b) for a in g for b in nx.descendants(g, a)}


def pair_features(st: _State, a: int, b: int, closure: set[tuple[int, int]]) -> dict[str, float]:
    """Features of the pair (earlier draft ``a``, later draft ``b``) for the order model."""
    da, db = st.drafts[a], st.drafts[b]
    ta, tb = da.pred.tree, db.pred.tree
    same = ta is tb
    f: dict[str, float] = {}
    gap = b - a
    f["gap=" + str(min(gap, 4))] = 1
    f["same_sentence"] = float(same)
    units = st.front.units
    ua, ub = units[ta.unit], units[tb.unit]
    f["same_unit"] = float(ta.unit == tb.unit)
    f["next_unit"] = float(tb.unit == ta.unit + 1)
    f["chained"] = float(ub.chained and tb.unit == ta.unit + 1)
    f["numbered"] = float(ua.numbered and ub.numbered and ua.list_id == ub.list_id)
    f["rule_edge"] = float(a in db.after)
    f["rule_closure"] = float((a, b) in closure)
    for m in sorted(db.pred.markers):
        f["b_mark=" + m] = 1
    for m in sorted(da.pred.markers):
        f["a_mark=" + m] = 1
    for code in db.codes:
        if code.startswith("O"):
            f["b_code=" + code] = 1
    f["roles=" + da.role + ">" + db.role] = 1
    la, lb = _LIFECYCLE.get(da.role, 2), _LIFECYCLE.get(db.role, 2)
    f["stage=" + ("up" if lb > la else "same" if lb == la else "down")] = 1
    memo = st.pair_memo
    if ("refers", b) not in memo:
        memo["refers", b] = _refers_to_previous(tb, db.pred, st.words)
        memo["names", b] = set(_names_earlier(st, b))
    for k, d in ((a, da), (b, db)):
        if ("topic", k) not in memo:
            memo["topic", k] = _topic(st, d)
    back, plural = memo["refers", b]
    f["b_pronoun"] = float(back)
    f["b_pronoun_plural"] = float(back and plural)
    f["b_names_a"] = float(a in memo["names", b])
    f["topic"] = float(len(memo["topic", a] & memo["topic", b]))
    f["a_group"] = float(da.group is not None)
    f["b_group"] = float(db.group is not None)
    f["same_group"] = float(da.group is not None and da.group == db.group)
    f["a_question"] = float(da.pred.kind == "question")
    f["b_join"] = float(db.role in _JOINING)
    if same:
        between = _between(tb, da.pred, db.pred)
        for x in ("and", ",", "then", ";", "+", "->", ":", "also", "or"):
            if x in between:
                f["between=" + x] = 1
        f["between_len=" + str(min(len(between), 5))] = 1
    last_before_b = b - 1
    f["a_is_previous"] = float(a == last_before_b)
    return f


def _learned_order(st: _State, model: LinearModel) -> None:
    """O300: keep the waits the order model finds, beside those the text states outright."""
    closure = _closure(st)
    decided: list[set[int]] = [set() for _ in st.drafts]
    # Work started "separately" or "meanwhile" begins a new line of work: a later step
    # of that line waits on the earlier line only where the readings say so.
    # ("also" adds work to the same line: "look at the photo, detect X and also read Y").
    fresh = [k for k, d in enumerate(st.drafts) if "O307" in d.codes and "parallel" in d.pred.markers]
    fresh += [k for _, k in st.lines]  # O317: a new line of work on its own input
    for b, db in enumerate(st.drafts):
        stated = {a for a in db.after if any(c in _STATED for c in db.codes)}
        if "O307" in db.codes or "O314" in db.codes or "O316" in db.codes or "O317" in db.codes or "O343" in db.codes or "O345" in db.codes or "O348" in db.codes or "O349" in db.codes or "K571" in db.codes or ("O344" in db.codes and not db.after):
            decided[b] = set(db.after)  # "also", "meanwhile", two errands about different things: no wait
            continue
        keep = set(stated)
        for a in range(b):
            da = st.drafts[a]
            if da.group is not None and da.group == db.group:
                if a in db.after:
                    keep.add(a)  # inside a group the structure decides
                continue
            if a in stated or b in decided[a]:
                continue  # the model never turns round an order the text states ("Y after X-ing")
            if a not in db.after and any(a < c <= b for c in fresh):
                continue
            if model.accepts(pair_features(st, a, b, closure)):
                keep.add(a)
        decided[b] = keep
    for b, db in enumerate(st.drafts):
        if decided[b] != db.after:
            db.codes.append("O300")
        db.after = decided[b]


def _read_predicates(st: _State) -> None:
    """The predicates of every sentence, in order, read until there are enough for the step cap."""
    w = st.words
    earlier: set[str] = set()
    turned = False  # the sentence before said someone's turn in the work (S171)
    runner = _Runner()
    for k in range(len(st.front.units)):
        if len(st.preds) > st.settings.max_steps:
            # more work than a plan may hold: the rest is not analysed (the note says so)
            st.notes.append(f"The text names more than {st.settings.max_steps} pieces of work; only the first {st.settings.max_steps} became steps.")
            break
        for t in _analyse_unit(st.front, k, w, stop=lambda: len(st.preds) > st.settings.max_steps):
            st.trees.append(t)
            for word in t.words:
                code = getattr(word, "retagged", "")
                if code:
                    st.fired.append(Fired(code, (word.start, word.end)))
            rejected: list[tuple[str, int]] = []
            found = _preds_of(t, w, earlier, runner, rejected, turned, st.front.text)
            for code, i in rejected:
                st.fired.append(Fired(code, (t.words[i].start, t.words[i].end)))
            for p in found:
                p.wished = S.under_wish(t, p.anchor if p.anchor >= 0 else p.i, w) or "S125" in p.codes or _wished_done(t, p, w)
            if S.question(t, w, st.front.view) and not _addressed(t, found) and not _imperative_in(t, found):
                if action_alternatives(t) is not None or any(lst.alternatives for lst in find_lists(t)):
                    # the question offers courses of action: the options, not a step (I209)
                    st.fired.append(Fired("I209", (t.start, t.end)))
                    found = []
                else:
                    found = _question_preds(t, w)
            found = another_of(t, gapped_commands(t, _wanted_things(t, found, w), w))
            if not any(p.kind == "question" for p in found):
                found = questions_beside(t, found)  # S461: "what's the forecast, ..., and book a court"
                found = listed_messages(t, found)  # S462: "text Sam I'm late, and book a table"
                found, thanked = thanks_dropped(found)  # S463: "thank you for yesterday"
                st.fired.extend(Fired("S463", (t.words[p.i].start, t.words[p.i].end)) for p in thanked)
                if (looked := looked_up_condition(t, found, st.preds)) is not None:
                    found.insert(0, looked)  # K600: "if it snows tonight, cancel the taxi"
            for p in found:
                p.markers = _markers(t, p, w)
                earlier.add(p.verb)
            turned = any("S130" in p.codes or "S170" in p.codes for p in found)
            st.preds.extend(found)
    _drop_limits(st)
    _drop_answer_manner(st)
    _drop_looks(st)
    # S170: a turn nothing comes back from is no turn; the other readings read its verb
    st.preds = answered_turns(st.preds, st.front.view, w, lambda p: _read_plainly(p, w, runner, st.fired))
    _at_least_one(st, runner)
    st.preds = placed_things(st.front.text, st.trees, st.preds)  # S374, S375: "X needs to be in my calendar"
    # S140/S141: a verbless line of data to get for a list of things, and the note that joins it
    known = {id(p) for p in st.preds}
    _drop_label_heads(st)  # I540: before I330 reads the stages after the labels
    # S440 gives way to S140 on the same line ("inventory: A (x), B (y). one sheet")
    held = [p for p in st.preds if "S440" in p.codes]
    rest = [p for p in st.preds if "S440" not in p.codes] if held else st.preds
    terse = terse_requests(st.trees, rest, st.front.text)
    if held:
        read = {id(p.tree) for p in terse if all(p is not q for q in rest)}
        terse = sorted([*terse, *(p for p in held if id(p.tree) not in read)], key=lambda p: p.tree.words[p.i].start)
    st.preds = bare_stages(st.trees, terse, st.front.text, w)  # I330, I331
    st.preds = needed_chain(st.trees, st.preds, st.front.text, w)  # S372: "needs a check -> a review -> ..."
    st.preds = result_lines(st.trees, st.preds, st.front.text)  # S173: "Comparison chart at the end." after the work
    _drop_answer_form(st)
    st.preds = closing_steps(st.trees, st.preds)  # S188, S190: "..., which one is faster?", "..., pick one"
    for p in st.preds:
        if id(p) not in known:
            p.markers = _markers(p.tree, p, w)
    _wished_after(st)


def _drop_label_heads(st: _State) -> None:
    """I540: steps read at labels that name streams ("audit log: schema -> backfill") are dropped."""
    kept = label_heads(st.trees, st.preds, [bool(t.words) and st.front.units[t.unit].chained for t in st.trees])
    if len(kept) == len(st.preds):
        return
    ids = {id(p) for p in kept}
    for p in st.preds:
        if id(p) not in ids:
            st.fired.append(Fired("I540", (p.tree.words[p.i].start, p.tree.words[p.i].end)))
    st.preds = kept


def _drop_limits(st: _State) -> None:
    """S240: commands that only limit the other work ("use the card ending 42") are no steps,
    wherever they stand in the text, as long as some other work is asked; S243 drops a
    title ("Plan for tomorrow's class: ...") the same way."""
    limits = [p for p in st.preds if p.kind == "verb" and limit_command(p.tree, p.i)]
    titles = [p for p in st.preds if p.kind in ("verb", "noun") and heading(p.tree, p.i)]
    if titles and len(titles) < len(st.preds):
        # S243: "Plan for tomorrow's class: ...": a title, where other work is asked
        st.fired.extend(Fired("S243", (p.tree.words[p.i].start, p.tree.words[p.i].end)) for p in titles)
        st.preds = [p for p in st.preds if all(p is not q for q in titles)]
        limits = [p for p in limits if all(p is not q for q in titles)]
    if not limits or len(limits) == len(st.preds):
        return
    for p in limits:
        st.fired.append(Fired("S240", (p.tree.words[p.i].start, p.tree.words[p.i].end)))
    gone = {id(p) for p in limits}
    st.preds = [p for p in st.preds if id(p) not in gone]


def _drop_looks(st: _State) -> None:
    """S271: a look at the user's material just before a step that works on it is that step's start."""
    from planner.parser.looked_at import looked_first

    looks = looked_first(st.front.text, st.preds, st.trees)
    if not looks:
        return
    st.fired.extend(Fired("S271", (p.tree.words[p.i].start, p.tree.words[p.i].end)) for p in looks)
    gone = {id(p) for p in looks}
    st.preds = [p for p in st.preds if id(p) not in gone]


def _drop_answer_manner(st: _State) -> None:
    """S241: the commands of the sentence right after a question read as a step (S110)
    that only say how to answer it ("... ? explain simply") are that question's step."""
    asked_in = {id(p.tree) for p in st.preds if p.kind == "question"}
    if not asked_in:
        return
    gone: set[int] = set()
    for before, t in itertools.pairwise(st.trees):
        if id(before) not in asked_in:
            continue
        preds = [p for p in st.preds if p.tree is t]
        if preds and all(p.kind == "verb" and answer_manner(t, p.i) for p in preds):
            gone.update(id(p) for p in preds)
            st.fired.extend(Fired("S241", (t.words[p.i].start, t.words[p.i].end)) for p in preds)
    st.preds = [p for p in st.preds if id(p) not in gone]


# A note on the form of an answer is short: "Just need a list.", "A table is fine."
_FORM_WORDS = 6


def _drop_answer_form(st: _State) -> None:
    """S241 for a result line: after a question that is the only work before it, a short line
    wishing for a form ("Just need a list.") says how to answer that question."""
    for k, p in enumerate(st.preds):
        if not {"I391", "S173"} & set(p.codes) or k != 1 or st.preds[0].kind != "question":
            continue
        t, q = p.tree, st.preds[0].tree
        if sum(1 for x in t.words if x.upos != "PUNCT") > _FORM_WORDS or not any(a is q and b is t for a, b in itertools.pairwise(st.trees)):
            continue
        if t.children(p.i, "amod", "compound", "nummod") or any(q.low(x) in ("each", "both", "every") for x in range(len(q))):
            continue  # "How do A and B each handle it? Joint recap please": one result over several answers
        st.fired.append(Fired("S241", (t.words[p.i].start, t.words[p.i].end)))
        st.preds = [q for q in st.preds if q is not p]
        return


def _read_plainly(p: Pred, w: Words, runner: _Runner, fired: list[Fired]) -> Pred | None:
    """Predicate ``p``'s verb read by the step model alone, as if no turn reading had fired (S170)."""
    model = load_models().steps
    if own_doing(p.tree, p.i, w):
        # S157: "then I'll read it out at dinner", with nothing after it, is the speaker's own doing
        fired.append(Fired("S157", (p.tree.words[p.i].start, p.tree.words[p.i].end)))
        return None
    q = _pred_at(p.tree, p.i, w) if model is None else _learned_pred(p.tree, p.i, w, model, runner)
    if isinstance(q, str):
        return None
    q.markers = p.markers
    q.wished = p.wished
    q.sub, q.governor = p.sub, p.governor
    return q


def _at_least_one(st: _State, runner: _Runner) -> None:
    """S119: a task that asks for something has a step: the likeliest predicate the readings found."""
    if st.preds:
        return
    from planner.parser.implied import wished_from_material, wished_over, wished_piece

    # "I want talk.mp4 as study notes": a wish for the user's material made over is work
    # ("I need it in English": S275)
    p = wished_from_material(st.front.text, st.trees, st.words.wish) or wished_over(st.front.text, st.trees, st.words.wish)
    forms = [q for t in st.trees for q in wished_forms(st.front.text, st.trees, t)]
    if forms and (len(forms) >= 2 or p is None):
        # S332: "I'd like it as a bar graph, as a PDF": one step per form, each from the one before
        for n, q in enumerate(forms):
            q.markers = _markers(q.tree, q, st.words) | ({"next"} if n else set())
            st.preds.append(q)
        return
    # the step model found nothing, or nothing it is sure of
    unsure = runner.pred is None or runner.prob < _FLOOR
    # S330 over the step model's own guess only where the text names the user's material
    weak = unsure or names_material(st.front.text, st.trees)
    if p is None and weak and (listed := verbless_wishes(st.front.text, st.trees, st.words)):
        # S330: "a.m4a - what she decided, and a short email from that": one step per part
        for q in listed:
            # S433: "..., spoken": the voicing is made from the part before it
            q.markers = _markers(q.tree, q, st.words) | ({"next"} if "S433" in q.codes else set())
            st.preds.append(q)
        return
    if p is None and unsure:
        p = wished_piece(st.front.text, st.trees, st.words.wish) or wished_picture(st.front.text, st.trees, st.words.wish)  # S276, S376
    p = p or runner.pred
    if p is None or (p is runner.pred and unsure):
        return
    p.codes.insert(0, "S119")
    for q in _wanted_things(p.tree, [p], st.words):
        q.markers = _markers(q.tree, q, st.words)
        st.preds.append(q)


# Below this the step model's best guess is no request at all (a statement, a title).
_FLOOR = 0.02


def _addressed(t: Tree, preds: list[Pred]) -> bool:
    """A question put to the reader ("could you check ...?", "can I get ...?") asks for its verb's work."""
    # "can someone check ...?" asks whoever reads it, like "can you"
    if len(t) >= 2 and t.low(0) in ("can", "could", "may", "would") and (t.low(1) in ("i", "we", "you") or t.low(1) in S._ANYONE):
        return True
    for p in preds:
        subj = t.child(p.i, "nsubj") if p.kind == "verb" else None
        if subj is not None and (t.low(subj) in ("you", "u") or t.low(subj) in S._ANYONE):
            return True
        if "S185" in p.codes:
            return True  # "could the minutes be circulated?": a polite passive asks the reader
    return False


def _drop_umbrellas(st: _State) -> None:
    """I290: a step naming the work a later set of streams spells out is no step of its own."""
    drop = umbrella_drafts(st.drafts)
    if not drop:
        return
    for k in sorted(drop):
        st.fired.append(Fired("I290", st.drafts[k].span))
    drop_drafts(st, drop)


def _drop_frame(st: _State) -> None:
    """S150-S154: greetings, a goal question, a counted announcement and a goal request frame the work; they are no steps."""
    drop = frame_drafts(st.drafts, st.front.view, st.words)
    if not drop:
        return
    for k in sorted(drop):
        st.fired.append(Fired(drop[k], st.drafts[k].span))
    gone = {(st.drafts[k].group, st.drafts[k].item) for k in drop if st.drafts[k].group is not None}
    drop_drafts(st, set(drop))
    # a group's item whose steps all went is no name of the group either
    left = {(d.group, d.item) for d in st.drafts}
    for n, grp in enumerate(st.groups):
        names = tuple(x for x in grp.names if (grp.id, x) not in gone or (grp.id, x) in left)
        if names != grp.names:
            st.groups[n] = replace(grp, names=names, count=len(names) if grp.count == len(grp.names) else grp.count)


def _drop_title(st: _State) -> None:
    """S132: a title line over a body that asks for two or more things names the task, not a step."""
    end = S.title_line(st.text)
    if end is None or not st.preds:
        return
    lead = [p for p in st.preds if p.tree.words[p.i].start < end]
    rest = [p for p in st.preds if p.tree.words[p.i].start >= end and not p.refers]
    if lead and len(rest) >= 2:
        for p in lead:
            st.fired.append(Fired("S132", (p.tree.words[p.i].start, p.tree.words[p.i].end)))
        st.preds = [p for p in st.preds if p.tree.words[p.i].start >= end]


def _drop_lead_lines(st: _State) -> None:
    """S114 over lines: a line that ends with a colon ("Do these in parallel:", "Release
    prep, three tracks:") before lines that ask for two or more things leads in to them."""
    pos = 0
    for line in st.text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        if not line.rstrip().endswith((":", "：")):
            continue
        lead = [p for p in st.preds if a <= p.tree.words[p.i].start < b]
        rest = [p for p in st.preds if p.tree.words[p.i].start > b and not p.refers]
        if lead and len(rest) >= 2:
            for p in lead:
                st.fired.append(Fired("S114", (p.tree.words[p.i].start, p.tree.words[p.i].end)))
            st.preds = [p for p in st.preds if p not in lead]


# Words that set options against each other: "Postmark vs Mailgun" (an "or" list after a
# choice's colon is the choice question's, I276).
_VERSUS = frozenset({"vs", "vs.", "v", "v.", "versus"})


def _drop_lead_options(st: _State) -> None:
    """S244: a sentence whose colon is followed only by options set against each other
    ("Vendor bake-off for email delivery: Postmark vs Mailgun.") leads in to the work on
    them the sentences after it ask for; the words before the colon are no step."""
    if not st.preds:
        return
    t = st.preds[0].tree
    colon = next((k for k in range(len(t)) if t.words[k].text in (":", "：")), None)
    if colon is None:
        return
    after = range(colon + 1, len(t))
    if any(t.words[k].upos in ("VERB", "AUX") for k in after) or not any(t.low(k) in _VERSUS for k in after):
        return
    lead = [p for p in st.preds if p.tree is t and p.i < colon]
    rest = [p for p in st.preds if p.tree is not t and not p.refers]
    if not lead or len(lead) < sum(1 for p in st.preds if p.tree is t) or len(rest) < 2:
        return
    if any(commands_both(t, p.i) for p in lead):
        st.fired.append(Fired("I653", (t.words[lead[0].i].start, t.words[colon - 1].end)))
        return  # "Please test both layouts for a week: A vs B": the test is the work on each
    for p in lead:
        st.fired.append(Fired("S244", (p.tree.words[p.i].start, p.tree.words[p.i].end)))
    st.preds = [p for p in st.preds if all(p is not q for q in lead)]


doc_only(
    "S244", "lead-in-options",
    "'Vendor bake-off for email delivery: Postmark vs Mailgun. Send both ..., pick one.': a sentence that only sets the options against each other after a colon leads in to the work on them; it is no step.",
    """Writers open a comparison with a line that names it and the options:
    "Vendor bake-off for email delivery: Postmark vs Mailgun.", "Lunch spot
    for Friday: the Thai place or the pizzeria." The words before the colon
    may read as a command ("vendor", "plan", "test" are verbs in the
    lexicon), and left in they make one more step starting beside the work
    on the options the next sentences ask for ("send both the same batch,
    compare the bounce rates, pick one"). The first sentence is dropped
    when after its colon come only names set against each other ("vs",
    "versus"; no verb) and two or more requests follow in later
    sentences; options joined by "or" there are a choice's (I276). A colon followed by a list joined by "and" may give the
    objects of the command before it ("audit four repos: A, B, C and D")
    and stays.""",
)


# Readings of someone's turn on a draft, or of the rework after it (S130, S170, S171, S250, S251).
_TURN_CODES = frozenset({"S130", "S170", "S171", "S250", "S251", "S254", "S255"})

doc_only(
    "S252", "drafted-before-turns",
    "'Help me write the reply. I'll show it to the landlord, he'll comment, then you adjust': a wish followed by turns on its work asks for the draft; it is no goal.",
    """S114 reads a first sentence that only wishes ("I need to add
    returns to the model") before two or more requests as the goal those
    requests reach, and drops it. When the later sentences are turns on a
    draft (someone reviews, comments, tries it; the reader reworks it after:
    S130, S170, S171), they answer work that must exist first: the wish's
    own work is that draft, the first step of the loop, and is kept.""",
)


def _drop_goal(st: _State) -> None:
    """S114: a first sentence that only wishes ("I need to add returns to the model") before
    two or more requests states the goal the requests reach."""
    if not st.preds:
        return
    first_tree = st.preds[0].tree
    lead = [p for p in st.preds if p.tree is first_tree]
    rest = [p for p in st.preds if p.tree is not first_tree and not p.refers]
    if len(rest) >= 2 and all(p.wished for p in lead):
        if any(set(p.codes) & _TURN_CODES for p in rest):
            # S252: "help me write the reply. I'll show it to the landlord, he'll comment, you
            # adjust": turns answer a draft, and the draft is the wish's own work, no goal
            for p in lead:
                st.fired.append(Fired("S252", (p.tree.words[p.i].start, p.tree.words[p.i].end)))
            return
        for p in lead:
            st.fired.append(Fired("S114", (p.tree.words[p.i].start, p.tree.words[p.i].end)))
        st.preds = [p for p in st.preds if p.tree is not first_tree]
        return
    goal = improvement_goal(st.preds)  # S176: "Improve the page load. Time it, shrink the photos, ..."
    if goal is not None:
        st.fired.append(Fired("S176", (goal.tree.words[goal.i].start, goal.tree.words[goal.i].end)))
        st.preds = [p for p in st.preds if p is not goal]


def _imperative_in(t: Tree, preds: list[Pred]) -> bool:
    return any(p.kind in ("verb", "noun") and t.child(p.i, "nsubj") is None for p in preds)


# --- items --------------------------------------------------------------------------

doc_only(
    "I201", "coordinated-items",
    "Things joined by 'and', 'or' or commas after a verb that looks into or works on each ('research A, B and C') are parallel items, one step each.",
    """Looking into several things is several looks: "research how Postgres,
    MySQL and SQLite store JSON" is three investigations that can run at once,
    and "translate the FAQ into Korean, Dutch and Polish" three translations.
    The verb must be one that works on each item (rules/words.toml [parallel]
    fan_verbs), or the text must say "each"; otherwise the list is one
    object ("buy milk, eggs and bread" is one errand). Examples after "such
    as", "like" or "including" are not items.""",
)
doc_only(
    "I202", "distributive",
    "'each', 'every', 'separately', 'one per' hand the same work to each item.",
    """"Review each of the three services", "prototype each option",
    "benchmark them separately": the work is done once per item whatever
    the verb.""",
)
doc_only(
    "I203", "counted-work",
    "A number counts parallel work only when it counts units of work ('the five services'), never a time span, an amount, a ranking or an identifier.",
    """"Audit our 4 microservices" is four audits; "show the 10 most recent
    orders" (a ranking), "the last 30 days" (a time span), "5 GB" (an
    amount), "order #4411" and "Python 3.12" (identifiers) count nothing to
    split. Counted items without names get numbered names ("service 1").""",
)
doc_only(
    "I204", "heading-list",
    "A lead-in that ends with a colon and a list of things under it names the items of the lead-in's work.",
    """"Research these three vendors:" followed by bullets naming the vendors
    is three investigations; bullets that are themselves requests are steps of
    their own instead.""",
)
doc_only(
    "I205", "streams",
    "Items and several stages said for each ('for api, worker and cli: design, code, test') make one stream per item, the stages in order.",
    """Each item goes through the same stages on its own: the design, code
    and test of the api follow each other, and run beside those of the worker
    and the cli. Work after the stages that names their results ("then
    integrate them") joins the streams.""",
)
doc_only(
    "I206", "scoped-stages",
    "Stages written under one item's name ('For DPD: retrain, validate, deploy. For Evri: ...') belong to that item's stream.",
    """A sentence or line opened by "For X:" or "X:" scopes its work to X. A
    new scope starts a new stream, so its first stage does not wait for the
    last stage of the stream before.""",
)
doc_only(
    "I230", "addressees",
    "A list that names who a delivery goes to ('email it to both of us: Ann and Bo') is one sending, not one step per person.",
    """Sending, telling or showing something to several people is one action
    with several addressees: the list hangs under the delivering verb's "to"
    phrase or indirect object. Parallel agents each sending the same thing
    would only send it several times.""",
)

_EXAMPLE_MARKS = frozenset({"such", "like", "including", "include", "e.g.", "eg", "e.g", "especially"})


def _conj_items(t: Tree, h: int) -> list[int]:
    """``h`` and the words coordinated with it, in order (nouns, names, numbers)."""
    out = [h]
    stack = [h]
    while stack:
        k = stack.pop()
        for c in t.children(k, "conj"):
            if t.words[c].upos in ("NOUN", "PROPN", "NUM", "X", "ADJ", "SYM") and c not in out:
                out.append(c)
                stack.append(c)
    return sorted(out)


def _is_example(t: Tree, h: int) -> bool:
    lows = {t.low(c) for c in t.children(h, "case", "mark", "fixed")}
    return bool(lows & _EXAMPLE_MARKS)


def _item_span(t: Tree, k: int, siblings: Sequence[int]) -> tuple[int, int]:
    """The words of one item: its subtree without the other items, conjunctions or commas."""
    block = {s for s in siblings if s != k} | set(t.children(k, "cc", "punct"))
    idx = [j for j in t.subtree(k, block) if t.rel(j) not in ("cc", "punct", "case") or j == k]
    # keep determiners out of the name ("the EU" -> "EU")
    idx = [j for j in idx if not (t.rel(j) == "det" and j == min(idx))] or [k]
    return t.span(idx)


def _items_of(t: Tree, p: Pred, w: Words) -> list[int]:
    """Coordinated things the predicate works on (object, or a for/into/in phrase, or a compound)."""
    if p.kind == "question":
        return []
    candidates: list[int] = []
    for rel in ("obj", "obl", "nmod", "xcomp", "ccomp"):
        candidates.extend(t.children(p.i, rel))
    if p.kind == "verb":
        # "Ask Claude, ChatGPT and Gemini to ...": a parse that made the command's object its subject
        candidates.extend(k for k in t.children(p.i, "nsubj") if k > p.i and not t.children(p.i, "aux"))
    if p.kind in ("noun", "wanted"):
        candidates.extend(t.children(p.i, "nmod", "obl", "compound", "amod"))
    best: list[int] = []
    for h in candidates:
        if t.words[h].upos not in ("NOUN", "PROPN", "NUM", "X", "ADJ", "SYM") or _is_example(t, h):
            continue
        found = _conj_items(t, h)
        if len(found) < 2:
            # "the EU, US and APAC dashboards": the list sits on a compound
            for c in t.children(h, "compound", "amod", "nmod", "appos"):
                if not _is_example(t, c):
                    inner = _conj_items(t, c)
                    if len(inner) >= 2:
                        found = inner
                        break
        if len(found) < 2:
            # "three databases: Postgres, MySQL and SQLite"
            for c in t.children(h, "appos", "list"):
                inner = _conj_items(t, c)
                if len(inner) >= 2:
                    found = inner
                    break
        if len(found) > len(best):
            best = found
    return best


def _distributive(t: Tree, p: Pred, w: Words) -> bool:
    lows = {t.low(k) for k in t.subtree(p.i)} | {t.lemma(k) for k in t.subtree(p.i)}
    phrases = {" ".join(ph) for ph in w.parallel}
    text = " ".join(t.low(k) for k in t.subtree(p.i))
    return bool(lows & (w.distributive - {"all"})) or any(ph in text for ph in phrases) or bool(
        re.search(r"\ball (two|three|four|five|six|seven|eight|nine|ten|\d+)\b", text)
    )


def _count_of(t: Tree, p: Pred, w: Words) -> tuple[int, str, int] | None:
    """(count, counted noun, noun index) when the predicate's object counts units of work."""
    for h in t.children(p.i, "obj", "obl", "nmod", "appos"):
        noun = h
        numbers: list[int] = []
        # "each of the five services": the count sits under "services", the object is "each"
        if t.low(h) in ("each", "all", "every") and (inner := t.child(h, "nmod", "obl")) is not None:
            noun = inner
        # "benchmark 3 of our services": the number is the object, the things its "of"
        if t.words[h].upos == "NUM" and (inner := t.child(h, "nmod", "obl")) is not None:
            noun, numbers = inner, [h]
        lemma = t.lemma(noun)
        if t.words[noun].upos not in ("NOUN", "PROPN") or lemma in w.not_counts:
            continue
        if t.rel(noun) == "obl" and t.words[noun].deprel.endswith("tmod"):
            continue
        mods = t.children(noun, "nummod", "amod", "det", "advmod", "compound")
        if any(t.lemma(m) in w.ranks or t.low(m) in w.ranks for m in mods):
            continue  # "the 10 most recent orders", "top 5 accounts"
        # the number may sit on the noun, or on a noun compounded with it ("the 12 service logs")
        holders = [noun, *t.children(noun, "compound")]
        numbers = numbers or [m for x in holders for m in t.children(x, "nummod")]
        for m in numbers:
            value = small_count(t.low(m), w.number_words, figures=3)  # up to three figures: "the 120 service logs"
            if value is None or value < 2:
                continue
            if m + 1 < len(t) and t.words[m + 1].text == "-" and t.words[m].end == t.words[m + 1].start:
                continue  # "the 12-month churn", "a 3-day trial": a number hyphened to a unit measures, it counts nothing
            if any(t.lemma(x) in w.ranks for x in t.children(m, "advmod", "amod")):
                continue
            if lemma not in w.units and not _distributive(t, p, w):
                continue
            return value, t.words[noun].text, noun
    return None


def _expand(
    st: _State, d: Draft, names: Sequence[tuple[str, tuple[int, int] | None]], kind: str, codes: list[str], *, alternatives: bool = False
) -> list[Draft]:
    gid = f"g{len(st.groups) + 1}"
    cap = st.settings.max_group
    every = ampersand_joined(st.front.text, names)  # I414: "Rose & Thorn, Pine Books and ..."
    if len(every) < len(names):
        codes = [*codes, "I414"]
    names = every[:cap]
    if len(every) > cap:
        st.notes.append(f"The text names {len(every)} items for one piece of work; steps were made for the first {cap} (the group keeps every name).")
    out = []
    for name, span in names:
        item = replace(d, span=span or d.span, text=name, item=name, item_span=span, group=gid, codes=[*d.codes, *codes], after=set())
        out.append(replace(item, role=_item_role(st, d, name)))
    st.groups.append(
        Group(id=gid, kind="approaches" if alternatives else "items", names=tuple(n for n, s in every if s is not None),
              count=len(every), counted="", verb=d.verb, role=d.role, steps=())
    )
    return out


def _question_before(asked: list[Draft], options: ItemList, text: str) -> tuple[set[int], set[str], tuple[int, int], str]:
    """I284: the question said before a list of options, dropped when work on the options answers it."""
    return {id(d.pred) for d in asked}, {n for n, _ in options.names(text)}, asked[0].span, "I284"


doc_only(
    "S245", "question-over-worked-items",
    "'Check alpha, beta and gamma. Which protocol does each one allow?': a question about things the work before was already done on is asked once, over all their results, not once more per thing.",
    """A question after work on each of several things often points back at
    them ("which one is cheapest?", "which protocol each one allows"). Read
    like any request that says "each" of a list (I207), it became one more
    step per thing, as many new agents starting beside the ones doing the
    work, each answering alone what the work already finds. When work before
    it was already given out over the same things, the question is one step,
    after them: it weighs or gathers what they found. A question over things
    no work looked at yet ("what's the weather in Cardiff and in Brecon?")
    is still asked once per thing.""",
)


def _names_key(names: Sequence[str]) -> frozenset[str]:
    """A list's names as one key, whatever their case, article and order (S245)."""
    return frozenset(n.lower().removeprefix("the ").strip() for n in names)


def _read_items(st: _State) -> None:
    """Turn predicates into drafts; expand parallel items and streams (I readings)."""
    w = st.words
    text = st.front.text
    heads_by_tree: dict[int, set[int]] = {}
    for p in st.preds:
        heads_by_tree.setdefault(id(p.tree), set()).add(p.i)
    by_tree: dict[int, list[Draft]] = {}
    for p in st.preds:
        t = p.tree
        span = _pred_span(t, p, heads_by_tree[id(t)], w)
        obj = _object_of(t, p.i) if p.kind != "question" else None
        if "S122" in p.codes and p.kind == "verb" and (done := S.done_to_object(t, p.i, w)) is not None:
            obj = t.child(p.i, "nsubj") or t.child(p.i, "nsubj:pass") or done[0]  # "want the podcast trimmed"
        elif _passive_step(p) and (subj := t.child(p.i, "nsubj:pass") or t.child(p.i, "nsubj")) is not None and t.low(subj) not in w.pronouns:
            obj = subj  # S185, S186: "the survey data should be collated" works on the data
        elif "S280" in p.codes and (subj := needs_doing_subject(t, p.i)) is not None and t.low(subj) not in w.pronouns:
            obj = subj  # "the invoices need sorting and filing": each gerund works on the invoices
        elif "S160" in p.codes:
            obj = p.i  # "then the website": the gapped phrase is the object of the verb it repeats
        elif "S162" in p.codes:
            obj = S.handed_to(t, p.i)  # "let the team know": whom the step tells
        # "a thumbnail and a banner": the object's words without the other steps' own
        block = heads_by_tree[id(t)] - {p.i, obj}
        if "S160" in p.codes:
            # the words of the phrase from its first own word on: not ", then the website"
            block |= {k for k in t.children(p.i) if k < p.i and (t.rel(k) in ("punct", "cc") or t.low(k) in _ORDER_ADVERBS)}
        obj_text = t.phrase(text, t.subtree(obj, block)) if obj is not None else ""
        d = Draft(pred=p, span=span, text=text[span[0] : span[1]], verb=p.verb, role="", obj=obj_text, codes=list(p.codes))
        d.role = _role(st, d)
        if is_same_again(d.codes):  # S195: "then do the same for the rest" has the repeated work's role
            d.role = role_before(d.span[0], [(e.span[1], e.role) for ds in by_tree.values() for e in ds]) or d.role
        if p.refers:
            st.fired.append(Fired("S112", span))
            continue
        by_tree.setdefault(id(t), []).append(d)
    recent: ItemList | None = None
    recent_tree: Tree | None = None
    history: list[tuple[ItemList, Tree]] = []  # every list named so far, in text order (I210)
    ordered: list[tuple[Draft, tuple[ItemList, Tree] | None, list[ItemList]]] = []
    carry: tuple[ItemList, Tree] | None = None  # streams that go on over an arrow into the next unit
    offered = -2  # the last verbless sentence that named a list
    last_unit = -1
    bullets = _bullet_lists(st, by_tree)
    from_bullets: set[int] = set()
    scope_head: tuple[tuple[ItemList, Tree], int] | None = None  # I492: a scope heading and its unit
    choice_questions: list[tuple[set[int], set[str], tuple[int, int], str]] = []  # I276, I284
    pending_question: list[Draft] = []  # I284: a question said before the sentence that offers its options
    offered_options: list[ItemList] = []
    promised: Promise | None = None  # I277: "three approaches come to mind." names them next
    # I281/I282: options the splitter cut apart, read over their pieces
    across = options_across(st.trees, text)
    covered = {p: (lo, hi) for x in across for p, lo, hi in x.covers}
    held = {x.last: as_options(x) for x in across}
    # I209 is read with the predicates, before this pass: the sentences that offer courses of
    # action, looked up by span instead of scanning every reading for every sentence
    offers_actions = {f.span for f in st.fired if f.code == "I209"}
    for at, t in enumerate(st.trees):
        while bullets and bullets[0][0] < t.unit:
            # I217: "Options:" and a bulleted list before this sentence: a list "each" may point back to
            _, pseudo, head_tree = bullets.pop(0)
            if pending_question and pseudo.alternatives:
                choice_questions.append(_question_before(pending_question, pseudo, text))
            history.append((pseudo, head_tree))
            from_bullets.add(id(pseudo))
            recent, recent_tree, offered = pseudo, head_tree, at - 1
        lists = find_lists(t)
        if not lists and id(t) not in by_tree and (named_run := counted_run(st.trees[at - 1] if at else None, t, st.words.number_words)) is not None:
            lists = [named_run]  # I466: "booked 3 fairs! york (5th), leeds (12th), hull (19th)."
            st.fired.append(Fired("I466", (t.words[named_run.start].start, t.words[named_run.end].end)))
        if history and (said := [lst for lst in lists if said_for_each(t, lst)]):
            # I287: "cost / effort / risk for each": the measures of an earlier list's members
            lists = [lst for lst in lists if lst not in said]
            st.fired.append(Fired("I287", (t.words[said[0].start].start, t.words[said[0].end].end)))
        judged: tuple[ItemList, Tree] | None = None
        judging: set[int] = set()  # the drafts that judge each option on the measures
        each_on = False  # I678: "evaluate each offer on cost and risk": the "each" is the options
        if (offered_pair := next((h for h in reversed(history) if h[0].alternatives and len(h[0].spans) >= 2), None)) is not None and (
                weighed := [lst for lst in lists if not lst.alternatives and measures(t, lst)]):
            # I383: "A, B or C? Check uptime, price and support": what the options are judged on,
            # by work that is not itself the weighing ("compare cost and risk" stays one step)
            judging = {id(d) for d in by_tree.get(id(t), []) if ((d.role not in _JOINING and not weighs_options(d.text, d.role))
                                                                or _each_one_on(t, d, weighed))
                       and any(_word_range(t, d)[0] <= lst.start and lst.end <= _word_range(t, d)[1] for lst in weighed)}
            each_on = any(d.role in _JOINING for d in by_tree.get(id(t), []) if id(d) in judging)
            if each_on:
                st.fired.append(Fired("I678", (t.words[weighed[0].start].start, t.words[weighed[0].end].end)))
            if judging:
                lists = [lst for lst in lists if lst not in weighed]
                judged = offered_pair
                st.fired.append(Fired("I383", (t.words[weighed[0].start].start, t.words[weighed[0].end].end)))
        if at in covered and at not in held:
            lo_, hi_ = covered[at]
            lists = [lst for lst in lists if lst.end < lo_ or lst.start > hi_]
            here_ = by_tree.get(id(t), [])
            if kept_ := [d for d in here_ if not lo_ <= d.pred.i <= hi_]:
                by_tree[id(t)] = kept_
            else:
                by_tree.pop(id(t), None)
        if (opts := (held.get(at) if at in covered else sentence_options(t, text, promised))) is not None:
            # I270-I277: the options of a choice; a verb among them is an option's word, not a step (I272)
            lists = with_options(lists, opts)
            if opts.items.alternatives:
                offered_options.append(opts.items)
            where = (t.words[opts.start].start, t.words[opts.end].end)
            st.fired.append(Fired(opts.items.codes[0], where))
            here = by_tree.get(id(t), [])
            kept = [d for d in here if not opts.start <= d.pred.i <= opts.end]
            if len(kept) < len(here):
                st.fired.append(Fired("I272", where))
            asked = [d for d in kept if d.pred.kind == "question" or (d.pred.i < opts.start and chooses(d.verb))]
            if asked and opts.items.alternatives:
                choice_questions.append(({id(d.pred) for d in asked}, {n for n, _ in opts.items.names(text)}, asked[0].span, "I276"))
            elif pending_question and opts.items.alternatives:
                choice_questions.append(_question_before(pending_question, opts.items, text))
            if kept:
                by_tree[id(t)] = kept
            else:
                by_tree.pop(id(t), None)
        if (pending_question and opts is None and asks_which(pending_question[0].pred.tree)
                and (offer := next((lst for lst in lists if lst.alternatives and len(lst.spans) >= 3), None)) is not None):
            choice_questions.append(_question_before(pending_question, offer, text))  # I284: "Which is best? ... A, B or C"
        promised = promised_options(t) if not lists else None
        if id(t) in by_tree:
            pending_question = [d for d in by_tree[id(t)] if d.pred.kind == "question"]
            if len(pending_question) < len(by_tree[id(t)]):
                pending_question = []  # work said between the question and the options answers it
        acts = action_alternatives(t) if (t.start, t.end) in offers_actions else None
        if acts is not None and not any(lst.alternatives for lst in lists):
            lists = [*lists, acts]
        parts = _parts_for_each(st, t, lists, by_tree.get(id(t), []), history)
        if parts is not None:
            # I216: "A and B, each with its own tests and a benchmark": the parts are stages of each
            target, kept, made = parts
            by_tree[id(t)] = sorted([*kept, *made], key=lambda d: d.pred.i)
            drafts = by_tree[id(t)]
            lo_list = target[0].start if target[1] is t else -1
            plan_parts: list[tuple[ItemList, Tree] | None] = []
            for d in drafts:
                base = target[1] is t and d.pred.i < lo_list and d.span[1] >= t.words[target[0].end].end
                plan_parts.append(target if d in made or base else None)
            ordered.extend((d, plan_parts[k], [lst for lst in lists if lst is not target[0]]) for k, d in enumerate(drafts))
            history.extend((lst, t) for lst in lists)
            recent, recent_tree, carry, last_unit = lists[-1], t, None, t.unit
            continue
        if scope_head is not None and st.front.units[t.unit].under != scope_head[1]:
            scope_head = None  # the lines under the heading have ended
        if at > 0 and _apart_after(st, t, st.trees[at - 1], ordered, history):
            continue  # I493: "Separate for each lab." hands the work before it to each thing
        if id(t) not in by_tree:
            if (head_scope := _heading_scope(st, t, lists, history, by_tree)) is not None:
                scope_head = (head_scope, t.unit)
            if (scope := _arrow_scope(st, at, t, lists)) is not None:
                # I460: "for A and B separately -> draft, proofread, publish": the stages after
                # the arrow are said for each item, as after "for A and B:"
                carry, last_unit = (scope, t), t.unit
                st.fired.append(Fired("I460", (t.words[scope.start].start, t.words[scope.end].end)))
            if lists:
                recent, recent_tree = lists[-1], t
                offered = at  # a verbless sentence of options ("Candidates: A, B or C.")
                history.extend((lst, t) for lst in lists)
                before = [j for j, e in enumerate(ordered) if e[0].pred.tree is st.trees[at - 1]] if at > 0 else []
                if (len(before) == 1 and ordered[before[0]][1] is None and ordered[before[0]][0].role in _GATHER
                        and not ordered[before[0]][2] and _labelled(t, lists[-1]) and all(_namelike(n) for n, _ in lists[-1].names(text))):
                    # I212: "Find out who owns what. Sources: A, B, C." the sources are what the finding reads
                    d0 = ordered[before[0]][0]
                    ordered[before[0]] = (d0, (lists[-1], t), ordered[before[0]][2])
                    d0.codes.append("I212")
            continue
        drafts = by_tree[id(t)]
        plan = _distribution(st, t, drafts, lists, history)
        _counted_joins(st, t, drafts, plan, ordered)  # S450: "..., then print all three on card stock"
        _named_ahead(st, at, t, drafts, plan, lists, by_tree)
        # "..., and release all of them in one go": work on every item at once ends the streams
        cut = next((k for k, d in enumerate(drafts) if plan[k] is not None and _collective(d, st.words) and not _split_anyway(st, d)), None)
        first = next((k for k, x in enumerate(plan) if x is not None), None)
        if first is not None and (weigh := next((k for k, d in enumerate(drafts) if k > first and (x := plan[k]) is not None
                                                 and x[0].alternatives and weighs_options(d.text, d.role)), None)) is not None:
            cut = weigh if cut is None else min(cut, weigh)  # I278: the options are weighed once
            st.fired.append(Fired("I278", drafts[weigh].span))
        if first is not None and (comb := _combining_cut(t, drafts, plan, first)) is not None:
            cut = comb if cut is None else min(cut, comb)  # I390: "... and prepare the final chart" is done once
            if cut == comb:
                drafts[comb].codes.append("I390")
                st.fired.append(Fired("I390", drafts[comb].span))
        if cut is not None:
            plan[cut:] = [None] * (len(plan) - cut)
        for k, d in enumerate(drafts):
            if _CLOSING & set(d.codes):
                plan[k] = None  # S188, S190: the closing step reads every item's result, once
        # I207: a comparison right after a verbless line of options weighs those options
        if (
            recent is not None and recent_tree is not None and all(x is None for x in plan)
            and (offered == at - 1 or (offered == at - 2 and recent.alternatives and asked_between(st.trees[at - 1], by_tree)))
            and (recent.alternatives or (_named(recent, text) and _labelled(recent_tree, recent)))
            and (drafts[0].role == "compare" or (drafts[0].role in _GATHER and _labelled(recent_tree, recent)
                                                 and (not recent.alternatives or _says_them(drafts[0]))))
            and all(lst.start > drafts[0].pred.i for lst in lists)
        ):
            # a list after the comparison's verb names what to compare on, not new items
            plan[0] = (recent, recent_tree) if recent_tree is not None else None
            if offered == at - 2:
                st.fired.append(Fired("I597", drafts[0].span))  # the which-question between is answered by it
            if lists or drafts[0].role != "compare":
                drafts[0].codes.append("I212")
        if (
            recent is not None and recent_tree is not None and offered == at - 1 and all(x is None for x in plan)
            and not recent.alternatives and _named(recent, text) and drafts[0].role in _GATHER
            and needed_before(recent_tree, recent.start) and fetches_them(t, drafts[0].pred.i)
        ):
            # S230: "we need the logs from A, B and C. Can you pull them ...": the need names the
            # sources, and the fetching that points back at them is done once per source
            plan[0] = (recent, recent_tree)
            drafts[0].codes.append("S230")
            st.fired.append(Fired("S230", drafts[0].span))
        if judged is not None and (each_on or all(x is None for x in plan)):
            # I383: the work that judges the options on the measures is done once per option
            # (I678: whatever list "each" was read to point at)
            for k, d in enumerate(drafts):
                if id(d) in judging:
                    plan[k] = judged
        # "api + worker + cli, each: design -> code -> test, then integrate": the stages
        # after the arrows are said for each item too, until a joining step
        if carry is not None and st.front.units[t.unit].chained and t.unit == last_unit + 1:
            for k, d in enumerate(drafts):
                if plan[k] is not None or d.role in _JOINING or "S450" in d.codes:
                    break
                if combines(t, _own_words(t, d), d.verb, scoped=True):
                    d.codes.append("I390")  # "..., then the final combined chart": once, after every stream
                    st.fired.append(Fired("I390", d.span))
                    break
                plan[k] = carry
        if scope_head is not None and all(x is None for x in plan):
            # I492: "For A, B and C:" over lines of work: each line is a stage of every item's stream
            for k, d in enumerate(drafts):
                staged = k > 0 or any(e[1] is scope_head[0] for e in ordered)  # a join needs stages before it
                if "S450" in d.codes or (staged and (_meets_all(st, t, d) or combines(t, _own_words(t, d), d.verb, scoped=True))):
                    scope_head = None  # "- merge the three into one report": once, after every stream
                    break
                plan[k] = scope_head[0]
        ordered.extend((d, plan[k], lists) for k, d in enumerate(drafts))
        carry = plan[-1] if plan and plan[-1] is not None else None
        last_unit = t.unit
        if lists:
            recent, recent_tree = lists[-1], t
            history.extend((lst, t) for lst in lists)
    k = 0
    worked: set[frozenset[str]] = set()  # the names that work was already distributed over (S245)
    while k < len(ordered):
        d, found, lists = ordered[k]
        if found is not None and d.pred.kind == "question" and _names_key([n for n, _ in found[0].names(text)]) in worked:
            # S245: "check alpha, beta and gamma. which protocol does each one allow?": the
            # checks answer it for each; the question is asked once, over all their results
            d.codes.append("S245")
            st.fired.append(Fired("S245", d.span))
            st.drafts.append(d)
            k += 1
            continue
        if found is not None and (k + 1 == len(ordered) or ordered[k + 1][1] is not found) and one_for_all(d):
            d.codes.append("O322")  # "write one bug list for all three": once, from every item
            st.drafts.append(d)
            k += 1
            continue
        if found is None:
            fanned = _fan_out(st, d, lists)
            if len(fanned) >= 2:
                worked.add(_names_key([e.item or "" for e in fanned]))
            nxt = ordered[k + 1][1] if k + 1 < len(ordered) else None
            if not (len(fanned) >= 2 and nxt is not None and not nxt[0].alternatives and d.pred.kind != "question"
                    and _fanned_over(st, fanned, nxt, ordered[k + 1][0])):
                st.drafts.extend(fanned)
                k += 1
                continue
            # I403: "translate it into A and B, each then checked": the fanned-out request is the
            # first stage of the streams the "each" of the next one runs over
            if fanned[0].group is not None:
                st.groups = [g for g in st.groups if g.id != fanned[0].group]
            d.codes.append("I403")
            target = nxt
            run = [d]
            j = k + 1
        else:
            target = found
            run = [d]
            j = k + 1
        while j < len(ordered) and ordered[j][1] is target:
            run.append(ordered[j][0])
            j += 1
        while (j < len(ordered) and run[0].pred.kind != "question" and not target[0].alternatives
               and _same_list_again(ordered[j][1], target, ordered[j][0])):
            # I403: "pull the reviews for A and B, tag each set": "each" points back at the list
            # the request before it was distributed over, so its work is the next stage of it
            ordered[j][0].codes.append("I403")
            run.append(ordered[j][0])
            j += 1
        lst = target[0]
        names = lst.names(text)
        worked.add(_names_key([n for n, _ in names]))
        t = run[0].pred.tree
        lo, hi = _word_range(t, run[0])
        own = target[1] is t and lo < lst.start and lst.end <= hi
        codes = ["I202" if own else "I207"] + (["I208"] if lst.alternatives else []) + (["I217"] if id(lst) in from_bullets else []) + list(lst.codes)
        if len(run) == 1:
            st.drafts.extend(_expand(st, run[0], names, "items", codes, alternatives=lst.alternatives))
        else:
            streams = _make_streams(st, run, names)
            for e in streams:
                e.codes.extend(codes)
            st.drafts.extend(streams)
        k = j
    for asked_ids, choices, where, code in choice_questions:
        # I276: "Which is cheaper: A, B or C? Try each ...": the work on the options answers the question
        if any(d.item in choices and id(d.pred) not in asked_ids for d in st.drafts):
            # I471: a command to choose ("pick a logger between A, B and C") is made, after the work on each
            chosen = [d for d in st.drafts if id(d.pred) in asked_ids and d.pred.kind != "question" and chooses(d.verb)]
            st.drafts = [d for d in st.drafts if id(d.pred) not in asked_ids]
            st.fired.append(Fired(code, where))
            first = min(k for k, d in enumerate(st.drafts) if d.item in choices)
            if chosen and not any(weighs_options(d.text, d.role) for d in st.drafts[first:] if d.item is None):
                for d in chosen:
                    d.codes.append("I471")
                st.drafts.extend(chosen)  # the choice the work is for: after all of it
    for lst in offered_options:
        # options no work was said for ("three ideas: A, B or C. Which is best?") are still the
        # approaches the text weighs: a group of names, for the plan to work each out
        named = tuple(n for n, _ in lst.names(text))
        if not any(d.item in named for d in st.drafts) and not any(g.names == named for g in st.groups):
            st.groups.append(Group(id=f"g{len(st.groups) + 1}", kind="approaches", names=named, count=len(named), counted="",
                                   verb=None, role="", steps=()))
    _heading_lists(st)
    _labelled_streams(st)
    copied_stages(st)
    bracket_streams(st)
    scoped_streams(st)  # I332
    counted_clause_streams(st)  # I333
    if lone := set(drop_lone_headings(st.drafts)):
        # S440: a heading that stays a title (no things of its own to work on) is no step; a
        # group left without steps is not shown (build_graph)
        st.drafts = [d for k, d in enumerate(st.drafts) if k not in lone]


_LINK_OR_FILE = lazyre.compile(r"(?:https?://|www\.)\S+|[\w~./-]+\.[A-Za-z0-9]{2,5}", re.IGNORECASE)


doc_only(
    "I403", "each-again-is-a-stage",
    "A request said right after work distributed over a list, that points back at the same list with 'each' ('pull the reviews for A and B, tag each set', 'translate it into A and B, each one then checked'), is the next stage of each item's stream, not a second fan-out that waits for every item.",
    """The first request is done once per item; "each" in the next request
    refers to the same items, so the second piece of work on an item only
    needs that item's first: the two requests are two stages of one stream
    per item. The requests must be adjacent, the later one must find its
    items in the same list, and it must not combine the results (I390).""",
)


def _fanned_over(st: _State, fanned: list[Draft], nxt: tuple[ItemList, Tree], d: Draft) -> bool:
    """I403: the items ``fanned`` went over are the members of ``nxt``'s list, and ``d`` (the
    next request, whose list it is) says "each"."""
    if d.group is not None or any(x.group != fanned[0].group or x.stage is not None for x in fanned):
        return False
    names = [n for n, _ in nxt[0].names(st.front.text)]
    if [x.item for x in fanned] != names:
        return False
    return _says_each(d)


def _same_list_again(nxt: tuple[ItemList, Tree] | None, target: tuple[ItemList, Tree], d: Draft) -> bool:
    """I403: ``nxt`` is another reference to the list of ``target``, made by an "each" in ``d``."""
    if nxt is None or nxt is target or nxt[0] is not target[0] or d.group is not None:
        return False
    return _says_each(d)


def _caused_range(t: Tree, d: Draft) -> tuple[int, int]:
    """The draft's words, with the object of a causative said before its participle
    (S441: "have each one checked": "each one" is what is checked)."""
    lo, hi = _word_range(t, d)
    if "S441" in d.codes and (q := S.quantified_subject(t, _first_of(t, d.pred.i))) is not None:
        lo = min(lo, min(t.subtree(q)))
    return lo, hi


def _says_each(d: Draft) -> bool:
    """I403: the request's own words say "each" ("every question" quantifies other things)."""
    t = d.pred.tree
    lo, hi = _caused_range(t, d)
    return any(t.low(k) == "each" and not reciprocal_at(t, k) for k in range(lo, hi + 1))  # I670: "each other" is no "each"


def _named_ahead(
    st: _State, at: int, t: Tree, drafts: list[Draft], plan: list[tuple[ItemList, Tree] | None],
    lists: list[ItemList], by_tree: dict[int, list[Draft]],
) -> None:
    """I241: a step that points at things listed after it ("these links", "(files below)")
    is done for each of them: the list after a later colon, or the lines of data below."""
    if any(x is not None for x in plan):
        return
    for k, d in enumerate(drafts):
        lo = _word_range(t, d)[0]
        hi = drafts[k + 1].pred.i - 1 if k + 1 < len(drafts) else len(t) - 1
        pointed = named_ahead(t, lo, hi, st.words.number_words)
        if pointed is None:
            continue
        where, count = pointed
        found: ItemList | None = next(
            (lst for lst in lists if lst.start > where and any(opens_list_ahead(t, j) for j in range(max(where, lst.start - 2), lst.start))),
            None,
        )
        if found is None:
            spans: list[tuple[int, int]] = []
            for nxt in st.trees[at + 1 :]:
                line = data_list(nxt) if id(nxt) not in by_tree else []
                if not line:
                    break
                spans.extend(line)
            # only addresses and file names: lines of inline code ("`make`", "`make test`") are
            # commands, run one after another
            if len(spans) >= 2 and all(_LINK_OR_FILE.fullmatch(st.front.text[a:b]) for a, b in spans):
                found = ItemList(tuple(spans), len(t), len(t), False, ("I241",))
        if found is None or len(found.spans) < 2 or (count is not None and count != len(found.spans)):
            return
        if where >= 2 and t.low(where - 1) == "of" and t.low(where - 2) in ("which", "whichever"):
            # "which of these camps is best? a.pdf, b.pdf": each is looked at, then the question
            # chooses among them: a step per item before the question, which stays one step
            twin = replace(d, verb="read", role=st.words.role_of("read") or d.role, codes=[*d.codes, "I241"], after=set())
            drafts.insert(k, twin)
            plan.insert(k, (found, t))
            return
        plan[k] = (found, t)
        d.codes.append("I241")
        if (where >= 1 and t.low(where - 1) == "of") or not any(t.low(j) in (":", "：") for j in range(max(where, found.start - 2), found.start)):
            d.codes.append("I415")  # "each of these", or a list set off by dashes or a bracket
        return


def _other_class(t: Tree, lst: ItemList, noun: str) -> bool:
    """I562: a plural noun right before the list names its things as other than ``noun``."""
    near = [j for j in range(max(0, lst.start - 4), lst.start) if t.words[j].upos == "NOUN" and t.low(j) != _singular(t.low(j))]
    return bool(near) and all(_singular(t.low(j)) != noun for j in near)


def _named_since(st: _State, lt: Tree, lst: ItemList, t: Tree, at: int, lemma: str) -> bool:
    """I562: the phrase's noun was said after the list and before the phrase (a thing of its own)."""
    first = next((n for n, x in enumerate(st.trees) if x is lt), len(st.trees))
    for x in st.trees[first:]:
        lo = lst.end + 1 if x is lt else 0
        hi = at if x is t else len(x)
        if any(x.lemma(j) == lemma for j in range(lo, hi)):
            return True
        if x is t:
            break
    return False


def _counted_back(
    st: _State, t: Tree, lo: int, hi: int, lists: list[ItemList], history: list[tuple[ItemList, Tree]]
) -> tuple[ItemList, Tree] | None:
    """I562: the latest list said before "the three of them" / "those 4 suppliers" with as many
    members as the count, when no list follows the phrase in its sentence."""
    found = counted_back(t, lo, hi, st.words.number_words, option_words().nouns)
    if found is None:
        return None
    at, count = found
    if any(lst.start > at for lst in lists):
        return None  # a list after the phrase is the phrase's own, or the work's
    earlier = [*history, *((lst, t) for lst in lists if lst.end < at)]
    noun = next((j for j in range(at + 2, min(at + 5, len(t))) if t.words[j].upos == "NOUN"), None)
    for lst, lt in reversed(earlier):
        if noun is not None and _other_class(lt, lst, _singular(t.low(noun))):
            continue  # "Our vendors are A and B. Send these two documents": other things
        if noun is not None and _named_since(st, lt, lst, t, at, t.lemma(noun)):
            return None  # "... on A and B and found two bugs. Fix these two bugs": the bugs, not A and B
        names = [n for n, _ in lst.names(st.front.text)]
        if _counts_the_rest(lt, lst, st.words):
            continue  # "the two entry points, Client and Pool": the list counts itself
        if len(names) == count:
            st.fired.append(Fired("I562", (t.words[at].start, t.words[min(at + 3, len(t) - 1)].end)))
            return (lst, lt)
    return None


def _distribution(
    st: _State, t: Tree, drafts: list[Draft], lists: list[ItemList], history: list[tuple[ItemList, Tree]]
) -> list[tuple[ItemList, Tree] | None]:
    """For each draft of one sentence, the list its work is distributed over, if any (I205, I207, I210)."""
    plan: list[tuple[ItemList, Tree] | None] = [None] * len(drafts)
    if not drafts:
        return plan
    first_pred = min(d.pred.i for d in drafts)
    lead = lead_list(t, lists, first_pred)
    named = _counted_lead(st, t, lead, first_pred) if lead is not None else None
    lead = named or lead
    crossed: list[int] = []
    if lead is not None and (
        _scope_opener(t, lead, st.words, crossed) or trigger_at(t, lead.end + 1, first_pred - 1) is not None
        or _same_work(t, lead, first_pred, st.words) or _goal_list(st, t, lead, drafts)
        or _apart_work(t, lead, first_pred, st.words) or named is not None
    ):
        for x in crossed:
            code = "I461" if x >= 0 else "I465"
            st.fired.append(Fired(code, (t.words[abs(x)].start, t.words[lead.start].start)))
        if _same_work(t, lead, first_pred, st.words):
            st.fired.append(Fired("I211", (t.words[lead.start].start, t.words[first_pred].start)))
        elif _apart_work(t, lead, first_pred, st.words):
            st.fired.append(Fired("I402", (t.words[lead.start].start, t.words[first_pred].start)))
        scoped = (lead, t)
        for k, d in enumerate(drafts):
            if d.pred.i > lead.end:
                if any(plan[:k]) and _meets_all(st, t, d):
                    break  # I430, I431: "..., then add all three to the archive" is done once
                plan[k] = scoped
        return plan
    if lead is not None and _opens_with(st, t, lead, first_pred):
        # I215: "payments, growth, search - dig through their wikis, then propose one policy"
        st.fired.append(Fired("I215", (t.words[lead.start].start, t.words[lead.end].end)))
        scoped = (lead, t)
        for k, d in enumerate(drafts):
            if k > 0 and (d.role in _JOINING or _one_thing(d)):
                break
            if d.pred.i > lead.end:
                plan[k] = scoped
        return plan
    opener = trigger_at(t, 0, first_pred - 1) if lead is None else None
    if opener is not None and (then := each_then(t, opener, first_pred)) is not None:
        # I482: "Each one separately, then give me one table": the scope was said of the work before
        st.fired.append(Fired("I482", (t.words[opener].start, t.words[then].end)))
        for d in drafts:
            d.pred.markers.discard("parallel")  # "separately" was said of the work before "then"
        return plan
    if opener is not None and waits_for_all(t, opener):
        # I430: "Once both are out, update the docs": the count says when the step starts
        st.fired.append(Fired("I430", (t.words[opener].start, t.words[opener].end)))
        drafts[0].codes.append("I430")  # the request the clause opens waits for every item (fanin)
        return plan
    if opener is not None:
        # "For each video: cut out their bit, brighten it" after the videos were named
        target = _referent(st, t, opener, [], history, first_pred)
        noun, count, _, _ = _said_of_items(t, opener, st.words)
        if target is None and lists and noun is None and count in (None, len(lists[0].spans)) and not _lines_below(st, t):
            target = (lists[0], t)  # "For each: clean the photo (bike.jpg, cot.jpg)": named after the work
        if target is not None:
            for k, d in enumerate(drafts):
                if k > 0 and _meets_all(st, t, d):
                    break  # I430, I431: "..., then add all three to the archive" is done once
                if d.role not in _JOINING or k == 0:
                    plan[k] = target
                elif _joins_each(t, d, st.words):
                    break
                else:
                    # I404: "For each language: translate, review, then merge": the scope says
                    # the work is per item, so a joining role alone does not end the streams
                    plan[k] = target
                    d.codes.append("I404")
                    st.fired.append(Fired("I404", d.span))
            return plan
    active: tuple[ItemList, Tree] | None = None
    for k, d in enumerate(drafts):
        lo, hi = _caused_range(t, d)
        # "weigh both": the object may hang elsewhere; "all of them in one go" is no trigger
        trig = None if _collective(d, st.words) else trigger_at(t, lo, max(hi, d.pred.i + 1))
        if trig is None and (rec := next((j for j in range(lo, hi + 1) if reciprocal_at(t, j)), None)) is not None:
            st.fired.append(Fired("I670", (t.words[rec].start, t.words[rec + 1].end)))  # "compare them with each other"
        if trig is None and not _collective(d, st.words) and (each := each_before(t, lo)) is not None:
            st.fired.append(Fired("I432", (t.words[each].start, t.words[lo - 1].end)))  # "..., each one then checked by ..."
            trig = each
        waited = False
        while trig is not None and waits_for_all(t, trig):
            # I430: "once both are out, update the docs": the count says when, not for whom
            st.fired.append(Fired("I430", (t.words[trig].start, t.words[trig].end)))
            waited = True
            trig = trigger_at(t, trig + 1, max(hi, d.pred.i + 1))
        if waited and trig is None:
            d.codes.append("I430")
            active = None
            continue
        if trig is None and _collective(d, st.words):
            trig = _each_with_list(st, t, lo, max(hi, d.pred.i + 1))  # I379
        if (trig is None and (reach := _orphan_reach(t, drafts, k, hi, lists)) is not None and not _collective(d, st.words)
                and (trig := trigger_at(t, reach, reach)) is not None):
            # I377: "research what A, B and C each charge": a parse that hung the clause elsewhere
            st.fired.append(Fired("I377", (t.words[hi + 1].start, t.words[reach].end)))
            hi = reach
        if trig is None and (rate := rate_at(t, lo, max(hi, d.pred.i + 1))) is not None:
            st.fired.append(Fired("I307", (t.words[rate].start, t.words[rate].end)))  # "cost per serving": no trigger
        if trig is not None and _made_from_both(st, t, trig, d):
            if _each_option_made(t, trig, d, history):
                st.fired.append(Fired("I395", (t.words[trig - 1].start, t.words[trig].end)))
            else:
                trig = None
        if (trig is None and not _collective(d, st.words) and d.role not in _JOINING
                and (back := _counted_back(st, t, lo, max(hi, d.pred.i + 1), lists, history)) is not None):
            # I562: "Should we host with A, B or C? Price the three of them": the count points back
            plan[k] = active = back
            d.codes.append("I562")
            continue
        if trig is not None and t.low(trig) in ("them", "these", "those"):
            st.fired.append(Fired("I416", (t.words[trig].start, t.words[trig + 1].end)))  # "compare them against ..."
        if trig is not None:
            # a list after another step's verb is that step's, though this span may reach over it
            own = [lst for lst in lists if lo <= lst.start and lst.end <= hi
                   and not any(o is not d and d.pred.i < o.pred.i < lst.start for o in drafts)]
            target = _referent(st, t, trig, own, [*history, *((lst, t) for lst in lists if lst.end < lo)], hi)
            if target is not None and both_before_clause(t, trig):
                st.fired.append(Fired("I593", (t.words[trig].start, t.words[trig].end)))  # "price both options and pick one"
            if target is not None and _addressees(target[1], target[0], d):
                st.fired.append(Fired("I230", (target[0].spans[0][0], target[0].spans[-1][1])))
                target = None
            if target is not None:
                plan[k] = target
                # the stages said before it, after the list, belong to the same streams
                for j in range(k - 1, -1, -1):
                    if plan[j] is None and target[1] is t and drafts[j].pred.i > target[0].end and drafts[j].group is None:
                        plan[j] = target
                    else:
                        break
                active = target
                continue
        if active is not None and d.role not in _JOINING and "next" not in d.pred.markers and not _collective(d, st.words):
            plan[k] = active  # "prototype each, measure throughput": the measuring continues the streams
        else:
            active = None
    return plan


doc_only(
    "I210", "which-list-each-means",
    "'each', 'both', 'all three' with no list of their own refer back to the earlier list that fits: one the words name ('each clinic'), one of the count they say ('both'), one offered as options, else the nearest.",
    """Texts name lists of context as well as the items ("our features are
    postcode, depot and driver id"). "XGBoost or CatBoost? ... Train both"
    trains the two options, not the three features: "both" needs two
    items, "all three" three; "for each clinic" takes the list written
    beside the word "clinics"; otherwise a list offered as options (joined
    by "or"/"vs", or after a colon) before any other, and the nearest
    first. "Each of them" and "each one" point back, so a list after them
    in the same clause ("evaluate each of them against cost, speed and
    risk") names what the work looks at, not the items. "Each" followed by
    its own list ("every branch (Oslo, Bergen)", "each of the A, B and C
    teams") takes that list.""",
)

doc_only(
    "I404", "for-each-scope-runs-on",
    "Under a sentence opened by 'for each X' ('For each language: translate, have it reviewed, then merge'), a request whose role joins (merge, compare, decide) is still a stage of each item's stream, unless its words make it one thing over all of them ('into one', 'everything', 'the final').",
    """"For each" says the work after it is done per item; "then merge"
    merges that item's translation, "then decide" decides for that item.
    Only a result said to be whole (``[combining] whole``: "final",
    "combined"), a phrase that points back at every result (``back``:
    "everything", "into one"), work on all at once (``[parallel]
    collective``) ends the streams there; "then compare them" compares
    what each item holds, as under I401.""",
)


def _joins_each(t: Tree, d: Draft, w: Words) -> bool:
    """I404: under "for each X:", the request ``d`` still makes one thing of every item's result."""
    cw = load_combining_words()
    own = _own_words(t, d)
    lows = t.lows(own)
    return any(x in cw.whole for x in lows) or any(has_phrase(lows, p) for p in cw.back) or _collective(d, w)


def _counted_joins(
    st: _State, t: Tree, drafts: list[Draft], plan: list[tuple[ItemList, Tree] | None],
    ordered: list[tuple[Draft, tuple[ItemList, Tree] | None, list[ItemList]]],
) -> None:
    """S450: a request handed to a list whose object counts every item ("then print all three")
    after work already handed to that list is one step over them all (``plan`` in place)."""
    for k, d in enumerate(drafts):
        x = plan[k]
        if x is None or not (any(p is not None and p[0] is x[0] for p in plan[:k]) or any(e[1] is not None and e[1][0] is x[0] for e in ordered)):
            continue
        lo, hi = _word_range(t, d)
        at = count_named_join(t, lo, max(hi, d.pred.i), d.pred.i, d.role in _JOINING)
        if at is None:
            continue
        plan[k] = None
        st.fired.append(Fired("S450", (t.words[at].start, t.words[at].end)))
        d.codes.extend(c for c in ("S450", "I431") if c not in d.codes)  # I431: it meets every stream (fanin)


def _meets_all(st: _State | None, t: Tree, d: Draft) -> bool:
    """I430, I431: the request ``d`` waits for every item ("once both are live, ...") or takes
    them all at once ("then add all three to the archive"): one step where the streams meet."""
    lo, hi = _word_range(t, d)
    hi = max(hi, d.pred.i)
    at = next((k for k in range(lo, hi + 1) if waits_for_all(t, k)), None)
    code = "I430"
    if at is None:
        at = takes_all_at_once(t, lo, hi, d.pred.i)
        code = "I431"
    if at is None:
        return False
    if st is not None:
        st.fired.append(Fired(code, (t.words[at].start, t.words[at].end)))
    if code not in d.codes:
        d.codes.append(code)
    return True


def _scope_opener(t: Tree, lst: ItemList, w: Words, crossed: list[int] | None = None) -> bool:
    """I205: a word before the list that scopes the work after it to each item ("for A and B:",
    "across A and B", "for the three databases (A, B, C)", "per service (A, B)", "for both the A
    and the B shops"), across the words that name the items' class."""
    j = lst.start - 1
    if j >= 1 and t.words[j].text == "(" and not (t.words[j - 1].upos == "NOUN" and t.lemma(j - 1) != t.low(j - 1)) and not (
        j >= 2 and t.low(j - 2) in ("per", "each", "every")
    ) and _relative_on_class(t, j - 1) is None:
        return False  # "For Grocery (Snowflake, dbt):" qualifies one thing; "for the regions (A, B)" names them
    reach = 8
    rels: list[int] = []
    while j >= 0 and lst.start - j <= reach:
        low = t.low(j)
        if low in w.scope_openers and (low in _PLACE_SCOPES or not any(x < 0 for x in rels)):
            if crossed is not None:
                crossed.extend(rels)
            return True
        if low in ("(", "both", "of", "all", "'", "'s") or t.words[j].upos in ("NUM", "ADJ", "NOUN", "PROPN", "DET", "PART"):
            j -= 1
            continue
        if low in _PLACE_PREPS and j >= 1 and t.words[j - 1].upos in ("NOUN", "PROPN") and not rels:
            # I465: "For CCTV at the main gate, library and hostel:": the list names where the class noun is
            rels.append(-j)
            j -= 1
            continue
        if reach == 8 and (rel := _relative_on_class(t, j)) is not None:
            # I461: "for the 3 flats that still have old boilers (A, B, C)": across the clause on the class noun
            reach, j = 8 + lst.start - rel, rel - 1
            rels.append(rel)
            continue
        return False
    return False


doc_only(
    "I461", "scope-across-relative",
    "'For the 3 flats that still have old boilers (flat 2, flat 5, flat 9), book a survey, ...': a scope word reaches the list that names its class across a relative clause on the class noun.",
    """"For the two clusters (A, B):" scopes the work to each cluster (I205)
    across the words that name the items' class. Writers often say which
    ones they mean with a relative clause on that noun before the names
    ("the shops that still use the old till (Leeds, York)"): the clause
    describes the class and the bracket still names its members. The
    relative pronoun must follow a plural noun, within a few words, with
    no punctuation between; "the report that covers sales (Q1, Q2)" is
    said of one thing and names none.""",
)

_RELATIVES = frozenset({"that", "which", "who", "where", "whose"})
# I465: prepositions of place between a scope's class noun and the places it lists
_PLACE_PREPS = frozenset({"at", "in", "on"})
# I465: only a scope that opens the phrase reaches across it ("for CCTV at A, B and C"); "each
# option's effect on A and B" quantifies the noun before, and A and B are what is looked at
_PLACE_SCOPES = frozenset({"for", "per", "across"})

doc_only(
    "I465", "scope-across-place",
    "'For CCTV at the main gate, library and hostel: survey the spot, fix the camera': the scope reaches a list of places across 'at', 'in' or 'on' after the thing the work is on.",
    """"For the printers at the desk, the office and the store:" names one
    printer per place: the work after the colon is done at each place, as
    in "for the desk, the office and the store:". The preposition must
    follow a noun, only one such phrase is crossed, and the scope word
    must open the phrase ("for", "per", "across"): in "each option's
    effect on A and B" the list is what each option is looked at for.""",
)


def _relative_on_class(t: Tree, j: int) -> int | None:
    """I461: the relative pronoun of a short clause that word ``j`` stands in, said of a plural
    noun right before it ("the 3 flats that still have old boilers"), or None."""
    for r in range(j, max(0, j - 6), -1):
        low = t.low(r)
        if low in _RELATIVES:
            noun = r - 1
            ok = t.words[noun].upos == "NOUN" and t.lemma(noun) != t.low(noun)
            return r if ok else None
        if t.words[r].upos == "PUNCT" or low in (":", ";", "("):
            return None
    return None


doc_only(
    "I211", "same-work-for-each",
    "A list followed by words that say the work is the same for each ('A and B need the same treatment:', 'for both, do the same:') hands the work after the colon to each item.",
    """"orders-api and billing-api need the same fixes: add retries, bump the
    client, rerun the tests" is one stream of three stages per service.
    The list must come before the work, and the words of sameness
    (rules/words.toml [parallel] same_work) between the list and the work.""",
)


doc_only(
    "I214", "goal-over-items",
    "A goal said for several things right before a colon, with the steps after it ('backport the fix to 2.6 and 2.7: cherry-pick, test, tag'), is one stream of those steps per thing.",
    """The goal's own verb is not a step (S114: the steps say how it is
    reached), and its list ends the goal: each item goes through the steps
    on its own. The list must end right at the colon, the goal's verb must
    govern it, and two or more steps must follow.""",
)


doc_only(
    "I215", "list-opens-the-sentence",
    "A sentence that opens with a list of names and a colon or dash before its work ('auth, billing, search - read their runbooks, then write one checklist') does that work for each, up to a step that joins them or makes one thing.",
    """The list is the sentence's topic, like "For auth, billing and
    search:". The items must be names (capitalised, or identifiers) or
    three or more; the work for each stops at a joining step (compare,
    summarise, decide) or at a step that makes one thing ("one checklist")
    for all of them.""",
)


def _opens_with(st: _State, t: Tree, lst: ItemList, first_pred: int) -> bool:
    """I215: the sentence opens with the list and a colon or dash, then its work."""
    gap = [t.words[j].text for j in range(lst.end + 1, first_pred)]
    return lst.start == 0 and len(gap) == 1 and gap[0] in (":", "：", "—", "–", "-") and (
        len(lst.spans) >= 3 or all(_namelike(n) for n, _ in lst.names(st.front.text))
    )


def _one_thing(d: Draft) -> bool:
    """The step makes one thing for all the items ("propose one policy", "a single report")."""
    t = d.pred.tree
    obj = t.child(d.pred.i, "obj")
    return obj is not None and any(t.low(c) in ("one", "single") for c in t.children(obj, "nummod", "det", "amod"))


def _goal_list(st: _State, t: Tree, lst: ItemList, drafts: list[Draft]) -> bool:
    """I214: "backport the fix to A and B: cherry-pick, test, tag"."""
    gap = [t.words[j].text for j in range(lst.end + 1, min(d.pred.i for d in drafts))]
    if not gap or gap[0] not in (":", "：") or len([d for d in drafts if d.pred.i > lst.end]) < 2:
        return False
    if len(lst.spans) < 3 and not all(_namelike(n) for n, _ in lst.names(st.front.text)):
        return False  # "Track one, products:" is a heading, not things to do the steps for
    dropped = {f.span for f in st.fired if f.code == "S114"}
    goal = [j for j in range(lst.start) if t.words[j].upos == "VERB" and lst.start in t.subtree(j) and lst.end in t.subtree(j)
            and (t.words[j].start, t.words[j].end) in dropped]
    if goal and not any(d.pred.i < lst.start for d in drafts):
        st.fired.append(Fired("I214", (t.words[goal[0]].start, t.words[lst.end].end)))
        return True
    return False


doc_only(
    "I402", "apart-before-the-work",
    "A list followed by words that say its members go separately ('A and B are independent:', 'A and B, separately:') hands the work after the colon or dash to each member: one stream per member.",
    """"The gym and the pool are independent: clean the filters, then test
    the water" is one stream of two stages per place, like "for the gym and
    the pool:". The list must come before the work, with a word of
    apartness (rules/words.toml [parallel] apart_scope) and a colon or dash
    between the list and the first request. A later step that combines the
    streams (I390, I401) still joins them.""",
)


doc_only(
    "I460", "scope-before-arrow",
    "'for the shop and the blog separately -> write the copy, add photos, publish': a verbless scope over a list, cut off by an arrow, hands the stages after the arrow to each item.",
    """Writers use an arrow where others put a colon: "for A, B and C ->
    stage, stage, stage" says the same as "For A, B and C: ...". The arrow
    cuts the text into units, so the scope stands alone with no step and
    the list would name nothing. When a unit has no step of its own, ends
    on a list of two or more things (not options) that a scope word opens
    ("for", "per", "across": "for the A and B partners") or that a word of
    apartness or "each"/"both" follows ("A and B separately"), and the next
    unit follows it after an arrow, the steps of that unit are done for
    each item, up to a step that joins them. A list of sources with no
    scope word ("data from A, B and C -> merge -> chart") is one input.""",
)

_ARROW_SCOPE_TAIL = frozenset({"each", "both", "too", "as", "well"})


def _arrow_scope(st: _State, at: int, t: Tree, lists: list[ItemList]) -> ItemList | None:
    """I460: the list of a verbless unit that scopes the arrow-chained unit after it."""
    if at + 1 >= len(st.trees) or not len(t):
        return None
    nxt = st.trees[at + 1]
    if not st.front.units[nxt.unit].chained or nxt.unit != t.unit + 1 or any(x.unit == t.unit for x in st.trees[at + 1 :]):
        return None
    w = st.words
    bare = _bare_scope(t, st.front.text, w)
    lst = lists[-1] if lists else bare
    if lst is None or lst.alternatives or len(lst.spans) < 2:
        return None
    if bare is not None and (len(bare.spans) > len(lst.spans) or bare.end > lst.end):
        lst = bare  # "for oatmeal, charcoal, rose clay and sea salt": the tagger broke the run
    tail = [k for k in range(lst.end + 1, len(t)) if t.words[k].upos != "PUNCT"]
    apart = any(t.low(k) in w.apart_scope or t.low(k) in _ARROW_SCOPE_TAIL for k in tail)
    # after the list: a word of apartness, "each"/"both", or the class noun ("... partners")
    if len(tail) > 3 or any(not (t.low(k) in w.apart_scope or t.low(k) in _ARROW_SCOPE_TAIL or t.words[k].upos == "NOUN") for k in tail):
        return None
    return lst if apart or _scope_opener(t, lst, w) else None


def _bare_scope(t: Tree, text: str, w: Words) -> ItemList | None:
    """I460: the members after the last scope word of a unit with no step ("for etsy and shopify
    separately"), cut at commas and "and" whatever the tagger made of lower-case names: with
    no verb of work in the unit, each short run of words between them is a thing."""
    opener = next((k for k in range(len(t) - 1, -1, -1) if t.low(k) in ("for", "per", "across")), None)
    if opener is None:
        return None
    end = len(t) - 1
    while end > opener and (t.words[end].upos == "PUNCT" or t.low(end) in w.apart_scope or t.low(end) in _ARROW_SCOPE_TAIL):
        end -= 1
    members: list[tuple[int, int]] = []
    a = opener + 1
    for k in range(opener + 1, end + 2):
        if k <= end and t.low(k) not in (",", "and", "&"):
            if t.words[k].upos == "PUNCT" or t.low(k) in ("or", "vs"):
                return None
            continue
        if k > a:
            members.append((a, k - 1))
        a = k + 1
    while members and t.words[members[0][0]].upos == "DET" and members[0][0] < members[0][1]:
        members[0] = (members[0][0] + 1, members[0][1])
    if len(members) < 2 or any(b - a0 >= 4 for a0, b in members):
        return None
    spans = tuple((t.words[a0 + (1 if t.words[a0].upos == "DET" and a0 < b else 0)].start, t.words[b].end) for a0, b in members)
    return ItemList(spans, members[0][0], members[-1][1], False, ("I460",))


def _counted_lead(st: _State, t: Tree, lst: ItemList, first_pred: int) -> ItemList | None:
    """I541: "Two new chapters, A and B: ...": a counted lead names the things the stages are for."""
    named = counted_lead(t, lst, first_pred, st.words)
    if named is not None:
        st.fired.append(Fired("I541", (t.words[0].start, t.words[named.end].end)))
    return named


def _apart_work(t: Tree, lst: ItemList, first_pred: int, w: Words) -> bool:
    """I402: "A and B are independent: ...": apartness between the list and the work."""
    gap = t.lows(range(lst.end + 1, first_pred))
    return bool(set(gap) & w.apart_scope) and any(x in (":", "：", "—", "-", "–") for x in gap)


def _same_work(t: Tree, lst: ItemList, first_pred: int, w: Words) -> bool:
    """I211: "A and B need the same treatment: ...": sameness between the list and the work."""
    gap = t.lows(range(lst.end + 1, first_pred))
    return bool(set(gap) & w.same_work) and any(x in (":", "：", "—", "-", "–") for x in gap)


_BACK_WORDS = frozenset({"them", "these", "those", "one", "ones", "it", "they"})


def _said_of_items(t: Tree, k: int, w: Words) -> tuple[str | None, int | None, bool, int]:
    """What the distributive word at ``k`` says of its items: the noun that names their
    class ("each clinic", "each of the three databases", "per region"), how many there
    are ("both", "all three"), whether it points back ("each of them", "each one"), and
    the word after the phrase (where a list of its own would start)."""
    low = t.low(k)
    count: int | None = 2 if low == "both" else None
    j = k + 1
    if j < len(t) and t.low(j) == "of":
        j += 1
    while j < len(t) and (t.low(j) in ("the", "our", "your", "my", "their", "these", "those", "all")
                          or t.low(j) in w.number_words or t.low(j).isdigit()):
        if (said := small_count(t.low(j), w.number_words)) is not None:
            count = said
        j += 1
    if j < len(t) and t.low(j) in _BACK_WORDS:
        return None, count, True, j + 1
    while j < len(t) and t.words[j].upos == "ADJ":
        j += 1
    if j < len(t) and t.words[j].upos in ("NOUN", "PROPN") and low not in ("separately", "respectively", "individually", "independently"):
        noun = j
        while noun + 1 < len(t) and t.words[noun + 1].upos == "NOUN" and t.rel(noun) == "compound":
            noun += 1
        return _singular(t.low(noun)), count, False, noun + 1
    return None, count, low in ("each", "both", "every", "all"), j


def _referent(
    st: _State, t: Tree, trig: int, own: list[ItemList], earlier: list[tuple[ItemList, Tree]], hi: int,
    lines_are_work: bool = False,
) -> tuple[ItemList, Tree] | None:
    """I210: the list a distributive word hands the work to (``lines_are_work``: the lines under
    ``t`` are stages, I492, so they are not the things, I421)."""
    noun, count, back, after = _said_of_items(t, trig, st.words)
    # "every branch (Oslo, Bergen)", "each of the Oslo, Bergen and Tromso teams": the phrase's own list
    close = [lst for lst in find_lists(t) if trig < lst.start <= after + 1
             and (noun is None or lst.start >= after or all(_namelike(n) for n, _ in lst.names(st.front.text)))]
    attached = [lst for lst in find_lists(t) if lst.start in (after + 1, after + 2) and after > trig + 1
                and t.words[lst.start - 1].text in ("(", ":")]
    if earlier and noun is not None and noun in option_words().nouns:
        # I383: "assess each option (cost, timeline, risk)": the options were named before; the
        # bracket after them lists what to assess each on
        close = [lst for lst in close if not measures(t, lst)]
        attached = [lst for lst in attached if not measures(t, lst)]
    if attached and back and judged_on(t, after, attached[0].start, any(lst.alternatives for lst, _ in earlier)):
        st.fired.append(Fired("I596", (t.words[trig].start, t.words[after].end)))
        close = [lst for lst in close if lst is not attached[0]]
        attached = []  # I596: "evaluate each one with: cost, space, risk": what the options are judged on
    if attached:
        return (attached[0], t)  # "both of us (a@x and b@x)", "each of them: A, B"
    if close and not back:
        return (close[0], t)
    if not lines_are_work and _lines_below(st, t) and not any(lst.end < trig for lst in own):
        # I421: "go through each one and work out ...:" over lines of names: "each" points at them
        st.fired.append(Fired("I421", (t.words[trig].start, t.words[trig].end)))
        return None
    mine = [lst for lst in own if lst.end < trig]
    # "check price and reviews for each": after a preposition the word stands for items named elsewhere
    back = back or (noun is None and trig > 0 and t.words[trig - 1].upos == "ADP" and any(lt is not t for _, lt in earlier))
    if mine and noun is None and not back:
        return (mine[-1], t)  # "benchmark A, B and C separately"
    if own and not back and noun is None:
        return (own[-1], t)
    candidates = [*earlier, *((lst, t) for lst in mine)]
    if count is not None and not any(len(lst.spans) == count for lst, _ in candidates):
        # I304: "fast on A but slow on B and C ... each of the three": the contrasted thing is the third
        candidates = [((contrasted(lt, lst) or lst) if len(lst.spans) == count - 1 else lst, lt) for lst, lt in candidates]
    if not candidates:
        if own and not back:
            return (own[-1], t)
        return _named_next(st, t, trig) if noun is not None and not back else None

    def fits(pair: tuple[ItemList, Tree]) -> tuple[bool, bool, bool, bool]:
        lst, lt = pair
        near = {_singular(lt.low(j)) for j in range(max(0, lst.start - 4), min(len(lt), lst.end + 5))}
        named = noun is not None and noun in near
        names = [n for n, _ in lst.names(st.front.text)]
        if _counts_the_rest(lt, lst, st.words):
            names = names[1:]  # I399: "the two entry points, Client and Pool": the head only counts them
        counted = count is not None and len(names) == count
        offer = lst.alternatives or any(lt.low(j) in (":", "：") for j in range(lst.start))
        return named, counted, offer, all(_namelike(n) for n in names)

    ranked = [(fits(pair), n, pair) for n, pair in enumerate(candidates)]
    best = max(ranked, key=lambda r: (r[0], r[1]))
    if noun is not None and not best[0][0] and not best[0][1] and not best[0][2] and own and not back:
        return (own[-1], t)  # "translate each page into French and German": the work's own list
    if best[2] is not candidates[-1] or len(candidates) > 1:
        st.fired.append(Fired("I210", (t.words[trig].start, t.words[trig].end)))
    if _counts_the_rest(best[2][1], best[2][0], st.words):
        st.fired.append(Fired("I399", best[2][0].spans[0]))  # whether or not other lists were in the running
    return best[2]


doc_only(
    "I421", "each-of-the-lines-below",
    "In 'go through each one and work out the margin:' over lines that name the things, 'each' points at those lines, not at a list said earlier ('this year and last').",
    """"Each", "each one", "each of these" with no list of their own usually
    point back (I210). A sentence that ends in a colon with lines of its
    own under it (bullets, numbers) announces the things it speaks of: the
    lines are the list "each" hands the work to, as they are for a lead-in
    with no "each" (I204). Any list written before, in the same paragraph
    ("I ran five stalls this year and ..."), is background.""",
)

doc_only(
    "I399", "counted-head-of-a-list",
    "'the two entry points, Client and Pool' is a list of two names: a first member whose count is the number of the others only counts them, so the list is judged by the names when 'each' looks back for its list.",
    """A writer often names a plural with its count and then the things
    themselves after a comma. The list reader keeps the plural as a first
    member (I310 drops it later); choosing the list "for each" points back
    to looks at the other members only, so the names are names and the
    count is theirs. The count must be said in the first member's own words
    (a number word or figure before its noun) and equal the number of the
    other members.""",
)


def _counts_the_rest(t: Tree, lst: ItemList, w: Words) -> bool:
    """I399: the list's first member is a plural that counts the other members."""
    if len(lst.spans) < 3:
        return False
    k = lst.start
    while k < len(t) and t.words[k].start < lst.spans[0][1]:
        k += 1
    for j in range(k - 2, max(-1, k - 6), -1):
        low = t.low(j)
        if (n := small_count(low, w.number_words)) is not None:
            return n == len(lst.spans) - 1
        if t.words[j].upos not in ("ADJ", "NOUN", "PROPN", "DET") or low in (",", ";"):
            return False
    return False


doc_only(
    "I212", "sources-line",
    "A verbless line that labels a list ('Sources: A, B, C.', 'Candidates: A, B or C.') hands the gathering or comparing next to it to each item; a list after the comparison's verb names what to compare on.",
    """"Find out which teams own each alert. Sources: the on-call sheet, the
    service catalogue, the paging rules." reads each source; "Options: Kafka
    or NATS. Compare latency, cost and ops effort" weighs the two options on
    three criteria. The line must label its list (a word and a colon before
    it) and the list must name things (names, files, or three or more),
    and the work must be gathering or a comparison: other work next to a
    list of context is not split.""",
)


doc_only(
    "I360", "each-named-next",
    "'check how each team defines X? Marketing, CRM and Finance all ...': the names that open the next sentence are the things 'each team' means.",
    """A distributive phrase with a noun ("each team", "every store") and no
    list before it looks ahead one sentence: when the next sentence opens
    with a list of two or more names (its subject), those are the things the
    work is done for. Only names count (capitalised, or written as
    identifiers), and only a list at the very start of the next sentence of
    the same paragraph: a list later in it is about something else.""",
)


doc_only(
    "I398", "each-listed-next",
    "'What is the water use per building? Gym, library and dorm.': a verbless sentence that is nothing but a list, right after 'each'/'per' and a noun, names the things, capitalised or not.",
    """I360 takes names that open the next sentence; a sentence that holds
    only the list (no verb, nothing after the last member but its stop) can
    be about nothing else, so its members are the things "per building"
    means even when they are common nouns. Only the next sentence of the
    same paragraph counts.""",
)


def _named_next(st: _State, t: Tree, trig: int) -> tuple[ItemList, Tree] | None:
    """I360: the names that open the sentence after ``t``, if it opens with a list of names."""
    for lst in find_lists(t):
        if subject_list_after(t, lst, st.front.text, trig):  # I370: "...; billing and auth paged"
            st.fired.append(Fired("I370", (t.words[lst.start].start, t.words[lst.end].end)))
            return (lst, t)
    k = next((n for n, x in enumerate(st.trees) if x is t), None)
    if k is None or k + 1 >= len(st.trees) or st.trees[k + 1].unit != t.unit:
        return None
    nt = st.trees[k + 1]
    for lst in find_lists(nt):
        names = [n for n, _ in lst.names(st.front.text)]
        if lst.start <= 1 and not lst.alternatives and len(names) >= 2 and all(_namelike(n) for n in names):
            st.fired.append(Fired("I360", (nt.words[lst.start].start, nt.words[min(lst.end, len(nt) - 1)].end)))
            return (lst, nt)
        if lst.start == 0 and lst.end >= len(nt) - 2 and len(names) >= 2 and not any(p.tree is nt for p in st.preds):
            # I398: "... per building? Gym, library, dorm and cafeteria.": a sentence that is only
            # the list names the things, in common nouns too
            st.fired.append(Fired("I398", (nt.words[lst.start].start, nt.words[min(lst.end, len(nt) - 1)].end)))
            return (lst, nt)
        if subject_list_ahead(nt, lst, st.front.text) and not any(p.tree is nt for p in st.preds):
            st.fired.append(Fired("I370", (nt.words[lst.start].start, nt.words[lst.end].end)))  # in common nouns
            return (lst, nt)
        if len(names) >= 2 and defined_next(t, trig, nt, lst) and not any(p.tree is nt for p in st.preds):
            # I486: "... for each store. The stores are Leeds, York and Hull.": the next sentence says which
            st.fired.append(Fired("I486", (nt.words[0].start, nt.words[lst.end].end)))
            return (lst, nt)
    return None


def _namelike(name: str) -> bool:
    """A name rather than a common noun: capitalised, or with digits or the marks of
    identifiers and files ("Q3", "year3.mp4", "billing-api", "auth/")."""
    return name[:1].isupper() or any(c.isdigit() or c in "._-/`@#" for c in name)


def _says_them(d: Draft) -> bool:
    """The step speaks of the things just named ("how do they hold up in rain?")."""
    t = d.pred.tree
    lo, hi = _word_range(t, d)
    return any(t.low(k) in ("they", "them", "these", "those", "their", "each") for k in range(lo, hi + 1))


doc_only(
    "I217", "bulleted-options",
    "Bullets under a lead-in that ends with a colon ('Options:', 'Candidates for the CMS:') are a list that a later 'each', 'both' or comparison points back to.",
    """"Options:" followed by three bullets, then "evaluate each one against
    our load, then recommend one": the evaluation is done once per bullet.
    The lead-in must have no work of its own (else its work takes the
    bullets, I204) and the bullets must not be requests; a lead-in naming
    options or candidates (rules/words.toml [parallel] option_words)
    makes them competing approaches.""",
)


doc_only(
    "I678", "each-option-on-measures",
    "'Offer from A: ... Offer from B: ... Evaluate each offer on cost, risk and effort, then compare them': a weighing verb said of each option is work on each option; the measures after it are what each is weighed on.",
    """A list of measures ("cost, risk and effort", [criteria] of
    rules/words.toml) after options were named says what the options are
    judged on (I383), but a verb that weighs ("evaluate", "assess") was
    taken for the one comparison of all of them, and the measures became
    the items. When the verb's own words say "each" or "every" before the
    measures and with a noun after it ("evaluate each offer on ..."), the
    weighing is done once per option, on those measures; "compare cost and
    risk" with no "each" stays one step.""",
)


def _each_one_on(t: Tree, d: Draft, weighed: list[ItemList]) -> bool:
    """I678: "each offer" or "every quote" between the draft's verb and a list of measures."""
    lo, _ = _word_range(t, d)
    first = min(lst.start for lst in weighed)
    return any(t.low(k) in ("each", "every") and k + 1 < first and t.words[k + 1].upos in ("NOUN", "PROPN")
               for k in range(max(lo, d.pred.i), first))


def _bullet_lists(st: _State, by_tree: dict[int, list[Draft]]) -> list[tuple[int, ItemList, Tree]]:
    """I217: (last bullet's unit, the bullets as a list, the lead-in's sentence) for every verbless lead-in."""
    units = st.front.units
    trees_of: dict[int, list[Tree]] = {}
    for t in st.trees:
        trees_of.setdefault(t.unit, []).append(t)
    members: dict[int, list[int]] = {}
    for k, u in enumerate(units):
        if u.kind == "item" and u.under is not None:
            members.setdefault(u.under, []).append(k)
    out: list[tuple[int, ItemList, Tree]] = []
    text = st.front.text
    for head, items in sorted(members.items()):
        heads = trees_of.get(head, [])
        if len(items) < 2 or not heads or any(id(x) in by_tree for x in heads):
            continue
        head_tree = heads[-1]
        if not any(head_tree.low(j) in (":", "：") for j in range(max(0, len(head_tree) - 2), len(head_tree))):
            continue
        asking = [x for m in items for x in trees_of.get(m, []) if id(x) in by_tree]
        after = [x for x in st.trees if x.unit > max(items)]
        offered = announces(head_tree, len(items)) and chosen_after(after)
        if asking and not offered:
            continue  # bullets that ask for work are steps of their own
        for x in asking:
            # I592: courses of action offered under an option lead-in; their verbs are their words
            st.fired.append(Fired("I592", by_tree.pop(id(x))[0].span))
        spans = []
        for m in items:
            lo, hi = units[m].start, units[m].end
            raw = text[lo:hi]
            stripped = without_remark(raw.strip(" \t.;,"))
            lo += raw.index(stripped) if stripped else 0
            spans.append((lo, lo + len(stripped)))
        # lines that name things (no work of their own) under "Two meters to look at:" and then
        # "for each meter, ..." are things to work on; they are options only when a choice follows
        chosen = bool(asking) or chosen_after(after, strictly=True)
        options = (offered and chosen) or any(head_tree.low(j) in st.words.option_words for j in range(len(head_tree)))
        n = len(head_tree)
        out.append((max(items), ItemList(tuple(spans), n, n, options), head_tree))
    return out


def _labelled(t: Tree, lst: ItemList) -> bool:
    """A list after a label and a colon ("Sources: A, B, C", "Options on the table: A or B")."""
    return any(t.low(j) in (":", "：") for j in range(max(0, lst.start - 2), lst.start))


doc_only(
    "I216", "parts-for-each",
    "'each needs X, Y and Z', 'each with X and Y' after a list of things: X, Y and Z are stages of one stream per thing.",
    """"Add CSV and XML readers; each needs a parser, a fixture set and
    round-trip tests" is one stream per reader (parser, fixtures, tests in
    order); "port the lib to Rust and Go, each with its own test suite and
    a benchmark" puts the port first in each stream. The things listed
    after "each" are the parts of the work, not items: the items are the
    list "each" points back to (I210).""",
)

_PART_VERBS = frozenset({"need", "get", "require", "have", "deserve", "with", "want"})


def _parts_for_each(
    st: _State, t: Tree, lists: list[ItemList], drafts: list[Draft], history: list[tuple[ItemList, Tree]]
) -> tuple[tuple[ItemList, Tree], list[Draft], list[Draft]] | None:
    """I216: the list after "each needs"/"each with" names per-item parts; (items, kept drafts, part drafts)."""
    w = st.words
    for k in range(len(t)):
        if t.low(k) not in ("each", "both", "per"):
            continue
        code = "I216"
        j = k + 1
        while j < len(t) and (t.words[j].upos == "AUX" or t.low(j) in ("will", "should", "must", "then", "one")):
            j += 1
        if (colon := parts_after_colon(t, k)) is not None:
            j, code = colon, "I315"  # "For each language: a sample app, a CI job and a docs link"
        elif t.low(k) == "per" or j >= len(t) or (t.lemma(j) not in _PART_VERBS and t.low(j) not in _PART_VERBS):
            continue  # "per" opens parts only as a heading before a colon
        elif k > 0 and t.words[k - 1].upos == "ADP":
            continue  # "the cost for each with our 12 TB": "each" is not the subject of its parts
        part_list = next((lst for lst in lists if j < lst.start <= j + 4), None)
        chain = then_parts(t, j)  # "each needs a draft, then a review, then a sign-off"
        if chain is not None and (part_list is None or len(chain.spans) > len(part_list.spans)):
            part_list = chain
            lists.append(chain)  # the sentence's lists hold its parts, as when the list reader found them
        if part_list is None or part_list.alternatives:
            continue
        if t.low(j) == "with" and t.low(j + 1) not in ("its", "their", "a", "an", "own"):
            continue  # "each with its own tests and a benchmark", not "each with our data"
        before = [(lst, t) for lst in lists if lst.end < k]
        target: tuple[ItemList, Tree] | None
        if code == "I315":
            # the parts are work ("a sample app"), not names ("each team: Ops, QA"): "each" points back
            # at the things listed last before it
            if all(_namelike(n) for n, _ in part_list.names(st.front.text)) or not (history or before):
                continue
            if any(d.pred.i > j and "S390" in d.pred.codes for d in drafts):
                continue  # S390: "each site: first walk the boundary, second check ...": numbered commands, no parts
            target = [*history, *before][-1]
        else:
            target = _referent(st, t, k, [], [*history, *before], k)
        if target is None or target[0] is part_list:
            return None
        text = st.front.text
        kept = [d for d in drafts if not (part_list.start <= d.pred.i <= part_list.end) and not (k <= d.pred.i < part_list.start)]
        made: list[Draft] = []
        for name, span in part_list.names(text):
            heads = [x for x in range(part_list.start, part_list.end + 1) if span[0] <= t.words[x].start < span[1]]
            if not heads:
                continue
            head = max(heads, key=lambda x: (t.words[x].upos == "NOUN", x))
            # "its own test suite": the word of the part that names work, else the part is made
            verbs = [v for x in sorted(heads, reverse=True) if (v := S.noun_verb(t.lemma(x), w)) is not None]
            verb = verbs[0] if verbs else "make"
            p = Pred(t, head, verb, "noun", [code], anchor=head)
            d = Draft(pred=p, span=span, text=name, verb=verb, role="", obj=name, codes=[code])
            d.role = _role(st, d)
            made.append(d)
        if len(made) < 2:
            return None
        st.fired.append(Fired(code, (t.words[k].start, t.words[part_list.end].end)))
        return target, kept, made
    return None


def _addressees(t: Tree, lst: ItemList, d: Draft) -> bool:
    """I230: the list names who a delivery goes to ("email it to both of us: Ann
    and Bo"): one sending to all of them, not one agent per person."""
    if _sent_to(t, lst.start, d):
        return True
    # "to both of us (Ann and Bo)": the tree may hang the bracketed names on the verb
    k = lst.start - 1
    return k > 0 and t.words[k].text in ("(", ":") and _sent_to(t, k - 1, d)


def _sent_to(t: Tree, k: int, d: Draft) -> bool:
    """Word ``k`` sits under the delivering verb's "to" phrase or indirect object."""
    if d.verb not in S.DELIVER or d.pred.tree is not t:
        return False
    a = d.pred.anchor if d.pred.anchor >= 0 else d.pred.i
    if a not in t.ancestors(k):
        return False
    # The nearest preposition on the way up decides ("to numbers on three networks" sends
    # to numbers, not to the networks); "of" is passed through ("to both of us").
    for n in [k, *itertools.takewhile(lambda h: h != a, t.ancestors(k))]:
        if t.rel(n) == "iobj":
            return True
        cases = [t.low(c) for c in t.children(n, "case") if t.low(c) != "of"]
        if cases:
            return cases[0] == "to"
    return False


def _collective(d: Draft, w: Words) -> bool:
    """Work said of every item at once ("release all of them in one go", "put all
    three in one doc")."""
    words = tuple(re.findall(r"[a-z']+", d.text.lower()))
    if holds_any(words, w.collective):
        return True
    if w.into.isdisjoint(words):
        return False  # (asked several times of every draft: most have no "into" word to scan from)
    return any(
        words[k] in w.into and words[k + 1 : k + 1 + len(p)] == p and words[k + 1 + len(p) : k + 2 + len(p)] != ("of",)
        for p in w.single
        for k in range(len(words) - len(p))
    )


def _made_from_both(st: _State, t: Tree, k: int, d: Draft) -> bool:
    """"a collage from both", "one report combining both": one thing made out of
    the two (a join, O304), not the same work for each."""
    if t.low(k) != "both" or k == 0 or t.low(k - 1) not in ("from", "using", "combining", "of", "with"):
        return False
    return d.pred.kind in ("noun", "wanted") or d.verb in st.words.create_verbs or d.role in _JOINING


doc_only(
    "I395", "made-of-each-option",
    "'a rough cut of both' after two options offered with 'or' or 'vs' is one thing made for each option, not one thing made from the two.",
    """"a collage from both" joins two things the writer has; two options
    offered as a choice ("the interview or the montage?") compete, so "make a
    rough cut of both" makes one cut per option, to be compared. Only "of
    both" reads so, only when the nearest list of two is a list of
    alternatives, and never for a joining step ("a comparison of both").""",
)


def _each_option_made(t: Tree, k: int, d: Draft, history: list[tuple[ItemList, Tree]]) -> bool:
    """I395: "of both" after two competing options: the thing is made once per option."""
    if t.low(k - 1) != "of" or d.role in _JOINING:
        return False
    pair = next((lst for lst, _ in reversed(history) if len(lst.spans) == 2), None)
    return pair is not None and pair.alternatives


def _split_anyway(st: _State, d: Draft) -> bool:
    """I379: a draft said of every item at once whose own distributive phrase names its list."""
    t = d.pred.tree
    lo, hi = _word_range(t, d)
    return _each_with_list(st, t, lo, max(hi, d.pred.i + 1), fire=False) is not None


def _each_with_list(st: _State, t: Tree, lo: int, hi: int, *, fire: bool = True) -> int | None:
    """I379: "revenue for each product line (A, B, C) in one table": a distributive phrase
    that names its own list splits the work even where the result is joined in one place."""
    for k in range(lo, min(hi + 1, len(t))):
        if t.low(k) not in ("each", "every", "per") or trigger_at(t, k, k) != k:
            continue
        noun, _, back, after = _said_of_items(t, k, st.words)
        if noun is None or back:
            continue
        if any(lst.start == after or (lst.start == after + 1 and t.words[after].text in _LIST_OPENERS) for lst in find_lists(t)):
            if fire:
                st.fired.append(Fired("I379", (t.words[k].start, t.words[after - 1].end)))
            return k
    return None


_LIST_OPENERS = frozenset({"(", ":", "—", "–", "-", "["})


def _orphan_reach(t: Tree, drafts: list[Draft], k: int, hi: int, lists: list[ItemList]) -> int | None:
    """I377: the "each" right after a list that follows draft ``k`` with no separator between them,
    when no draft claims the words up to it (the parse hung the list's clause on nothing of the draft's)."""
    nxt = min((drafts[j].span[0] for j in range(k + 1, len(drafts))), default=t.words[-1].end + 1)
    for lst in lists:
        if lst.start <= hi or t.words[lst.end].end > nxt:
            continue
        gap = range(hi + 1, lst.start)
        if any(t.low(j) in _GAP_BREAKS for j in gap) or any(d.span[0] <= t.words[j].start < d.span[1] for j in gap for d in drafts):
            return None
        # the list's own "each" says the work is done for every member ("A, B and C each charge")
        end = lst.end + 1
        return end if end < len(t) and t.low(end) in ("each", "both") and t.words[end].start < nxt else None
    return None


_GAP_BREAKS = frozenset({",", ";", ":", ".", "and", "then", "but", "or", "—", "-", "(", ")"})


def _own_words(t: Tree, d: Draft) -> list[int]:
    """The words of the draft's own request (its span), or its verb alone."""
    own = [k for k in range(len(t)) if d.span[0] <= t.words[k].start and t.words[k].end <= d.span[1]]
    return own or [d.pred.i]


def _combining_cut(t: Tree, drafts: list[Draft], plan: list[tuple[ItemList, Tree] | None], first: int) -> int | None:
    """I390: the first request after the distributed one ``first`` that combines every
    item's result ("and prepare the final chart", "write one overview", "compile them"),
    where the items stop. A list said before the first request ("for A and B: ...")
    scoped the work to each item: there only a whole result ("the final chart") stops them."""
    found = plan[first]
    if found is None:
        return None
    lst, lt = found
    start = _word_range(t, drafts[first])[0]
    said_each = any(t.low(j) in ("each", "every", "per") for j in range(0, start))
    # "For each of them: ..." scopes what follows; "ask each of them ... and write one" does not
    scoped = (lst.end < drafts[first].pred.i and lst.end < start) if lt is t else said_each
    # I401: a plain list before the work ("For A and B: ...", no "each") lets a request that
    # weighs the items against each other ("then compare them") join the streams
    listed = scoped and not said_each
    for k in range(first + 1, len(drafts)):
        d = drafts[k]
        if plan[k] is not None and d.item is None and combines(t, _own_words(t, d), d.verb, scoped=scoped, listed=listed):
            if measured_against([t.low(j) for j in _own_words(t, d)]):
                d.codes.append("I630")  # "..., compare against the limits": each result on its own
                continue
            if scoped:
                d.codes.append("I401")
            return k
        if plan[k] is not None and d.item is None and not scoped and asks_over_all(t, _own_words(t, d)):
            d.codes.append("I590")  # "..., and say which ones still need it": asked once, of all of them
            return k
        if plan[k] is not None and d.item is None and not scoped and gathered_into(t, _own_words(t, d), load_fanin_words()):
            d.codes.append("I485")  # "..., and put them in a table": one result of every item's
            return k
    return None


def _word_range(t: Tree, d: Draft) -> tuple[int, int]:
    idx = [k for k in range(len(t)) if d.span[0] <= t.words[k].start < d.span[1]]
    return (min(idx), max(idx)) if idx else (d.pred.i, d.pred.i)


def _named(lst: ItemList, text: str) -> bool:
    """Items that are names (capitalised, or data such as file names) or three or more of them:
    looking into each is a piece of work of its own, unlike "the bugs and typos"."""
    names = [n for n, _ in lst.names(text)]
    return len(names) >= 3 or all(n[:1].isupper() or n[:1].isdigit() for n in names)


def _has_bullets(st: _State, unit: int) -> bool:
    return any(u.kind == "item" and u.under == unit for u in st.front.units)


def _lines_below(st: _State, t: Tree) -> bool:
    """I421: sentence ``t`` ends in a colon with lines (bullets, numbers) of its own under it."""
    return bool(len(t)) and t.words[-1].text in (":", "：") and _has_bullets(st, t.unit)


doc_only(
    "I492", "heading-scopes-its-lines",
    "A heading that scopes work to several things and ends in a colon ('For the kitchen, the bathroom and the hall:', 'For each site:') over lines of work (bullets, numbers) makes each line a stage of one stream per thing.",
    """"For A and B: strip, fill, then paint" said on one line is one stream
    per thing (I205); writers say the same with the stages as a list under
    the heading, one line each. The heading has no work of its own, its
    list must follow a scope word ("for", "per", "across") or its "each"
    must point back at a list named before (I210), and the lines must
    hang under it. The lines are the stages in the order written; a line
    that waits for every thing or combines their results ("- merge them
    into one report") is done once, after every stream, and ends them.""",
)


def _heading_scope(
    st: _State, t: Tree, lists: list[ItemList], history: list[tuple[ItemList, Tree]], by_tree: dict[int, list[Draft]]
) -> tuple[ItemList, Tree] | None:
    """I492: the list a verbless heading over lines of work scopes them to, if any."""
    if not _lines_below(st, t):
        return None
    worked = {ds[0].pred.tree.unit for ds in by_tree.values() if ds}
    lines = [k for k, u in enumerate(st.front.units) if u.kind == "item" and u.under == t.unit]
    if len(lines) < 2 or not all(k in worked for k in lines):
        return None  # lines that name things, not work, are the things "each" points at (I421)
    scoped = next((lst for lst in lists if not lst.alternatives and _scope_opener(t, lst, st.words)), None)
    if scoped is not None:
        target: tuple[ItemList, Tree] | None = (scoped, t)
    elif (opener := trigger_at(t, 0, len(t) - 1)) is not None:
        target = _referent(st, t, opener, [], history, len(t) - 1, lines_are_work=True)
    else:
        target = None
    if target is not None:
        st.fired.append(Fired("I492", (t.words[0].start, t.words[-1].end)))
    return target


doc_only(
    "I493", "apart-remark-after-work",
    "A short remark after the work that only says it is done apart for each thing ('Separate for each lab.', 'Do each one separately.') makes the stages of the sentence before it one stream per thing, and is no step itself.",
    """Writers often name the things and the work first ("The attic and the
    cellar: measure the damp, price the repair, then book the builder.")
    and say only afterwards that each thing goes through the work on its
    own. The remark holds a word of apartness (``[parallel] apart_scope``),
    "each" or "both" pointing back at a list (I210), and nothing else but
    the class noun and a few words of its own (``apart_remark``). It
    applies when the sentence right before it said two or more stages
    that no list took yet; their streams run over the list "each" points
    at, and a stage that waits for every thing or takes them all at once
    stays one step after them.""",
)


def _apart_after(
    st: _State, t: Tree, prev: Tree, ordered: list[tuple[Draft, tuple[ItemList, Tree] | None, list[ItemList]]],
    history: list[tuple[ItemList, Tree]],
) -> bool:
    """I493: ``t`` only says the work of ``prev`` is done apart for each thing; the entries of
    ``ordered`` from ``prev`` are handed to that thing's list (in place)."""
    w = st.words
    trig = next((k for k in range(len(t)) if t.low(k) in ("each", "both")), None)
    if trig is None or not any(t.low(k) in w.apart_scope for k in range(len(t))):
        return False
    # the class noun ("for each lab"), whatever the tagger made of it right after "each"
    nouns = [k for k in range(len(t)) if (t.words[k].upos in ("NOUN", "PROPN") or k == trig + 1)
             and t.low(k) not in w.apart_scope and t.low(k) not in w.apart_remark and t.words[k].upos != "PUNCT"]
    if len(nouns) > 1 or any(
        not (t.words[k].upos == "PUNCT" or t.low(k) in w.apart_scope or t.low(k) in w.apart_remark
             or t.low(k) in w.scope_openers or t.low(k) in ("each", "both") or k in nouns)
        for k in range(len(t))
    ):
        return False
    stages = [j for j, e in enumerate(ordered) if e[0].pred.tree is prev]
    if len(stages) < 2:
        return False
    target = _referent(st, t, trig, [], history, len(t) - 1)
    if target is None or target[0].alternatives:
        return False
    if all((x := ordered[j][1]) is not None and x[0].names(st.front.text) == target[0].names(st.front.text) for j in stages):
        # "A and B - strip, sand, paint. Separate for each.": the streams were read already
        st.fired.append(Fired("I493", (t.words[0].start, t.words[-1].end)))
        return True
    if any(ordered[j][1] is not None for j in stages):
        return False
    first = True
    for j in stages:
        d, _, lists = ordered[j]
        if target[1] is prev and d.pred.i < target[0].end:
            continue  # "chem lab and physics lab need ...": the work said before the list is not a stage
        if not first and _meets_all(st, prev, d):
            break
        ordered[j] = (d, target, [lst for lst in lists if lst is not target[0]])
        first = False
    if first:
        return False
    st.fired.append(Fired("I493", (t.words[0].start, t.words[-1].end)))
    return True


doc_only(
    "I420", "list-deep-in-object",
    "In 'check the latest five-year supply positions published by A, B and C' the items are A, B and C: a list of names in the work's own object phrase, however long the phrase before it, is the work's objects.",
    """A list that follows its verb closely ("read the notes for A, B and
    C") is the verb's objects whatever the tree says. Writers also name the
    thing looked at with a long phrase first (adjectives, compounds, a
    participle: "the quarterly supply figures published by ...") and the
    list after it. When the tree puts the list inside the verb's own
    phrase, no other step's verb stands between them and the list closes
    the clause, the list is the work's objects at any distance up to a
    long clause's length. Only names (capitalised, data, or three and
    more) count so far from the verb: "the effect of rain and wind" stays
    one thing.""",
)

doc_only(
    "I397", "asked-of-each-subject",
    "'what did the other 3 depots (A, B, C) do about the rota?': a question that finds something out about each of several named things, named before its verb, is asked of each.",
    """A command names its items after its verb ("find out what A, B and C
    did"); a question puts them in its subject, before the verb it asks
    with. The list must be names (or three or more things), not options
    joined by "or", and no other step's verb may stand between it and the
    question's verb.""",
)


doc_only(
    "I243", "work-on-each-file",
    "Work done to one file at a time ('describe a.jpg and b.jpg', 'transcribe x.mp3 and y.mp3') with a list of the user's files as its object is one step per file.",
    """Describing, captioning, transcribing or restoring a picture or a
    recording is done to that file alone; a list of files after such a
    verb is several pieces of work that can run side by side ("describe
    then.jpg and now.jpg, then write a comparison": two descriptions, then
    the comparison). The verbs are ``file_verbs`` in rules/words.toml; the
    objects must all be file names or addresses. Verbs that make one thing
    of several ("merge a.jpg and b.jpg") are not among them.""",
)


def _counted_ways(st: _State, t: Tree, p: Pred, lists: list[ItemList]) -> ItemList | None:
    """I472: the options named right after the verb's object that counts as many ways or versions."""
    for lst in lists:
        if not lst.alternatives or lst.start <= p.i + 1 or t.low(lst.start - 1) not in (",", ":", "-", "—", "–"):
            continue
        if any(q.tree is t and q is not p and p.i < q.i < lst.start for q in st.preds):
            return None
        said = st.front.text[t.words[p.i].start : t.words[lst.start].start]
        if "I280" in lst.codes and len(lst.spans) in counted_things(said):
            return replace(lst, codes=(*lst.codes, "I512"))  # "two flyers, one bold and one calm": any counted noun
        return lst if counted_options(said) == len(lst.spans) else None
    return None


def _fan_out(st: _State, d: Draft, lists: list[ItemList]) -> list[Draft]:
    """I201/I203: one draft per coordinated object or counted unit, when the verb works on each."""
    w = st.words
    t = d.pred.tree
    text = st.front.text
    p = d.pred
    if d.role in _JOINING and st.drafts and st.drafts[-1].group is not None:
        # "train both, then compare log loss and training time": after work on each
        # option, comparing joins them; its list names what to compare on
        return [d]
    lo, hi = _word_range(t, d)
    if "S180" in p.codes and (named := subject_list(t, p.i, w)) is not None:
        # "the replies from A, B and C should each be summarised": the subject's things are the items
        return _expand(st, d, named.names(text), "items", list(named.codes), alternatives=False)
    if "S181" in p.codes and (wished := wished_list(t, p.anchor)) is not None:
        return _expand(st, d, wished.names(text), "items", ["S181", *wished.codes])  # "I need: A, B and C"
    if (d.role in _GATHER or p.verb in w.fan_verbs) and (asked_each := wh_items(t, p.i)) is not None:
        # I469: "find out what A charges, what B quotes and what C needs": one look per question
        return _expand(st, d, asked_each.names(text), "items", ["I469"], alternatives=False)
    lists = [lst for lst in lists if not _addressees(t, lst, d)]  # I230
    parts = counted_parts(t, p.i, {q.i for q in st.preds if q.tree is t and q is not p}, w.number_words)
    if parts is not None and not any(len(lst.spans) == len(parts) and lst.spans[0][0] == parts[0][0] and lst.spans[-1][1] == parts[-1][1] for lst in lists):
        # I422: "from three angles: by category (A, B, C), by time of day, and by who closed them"
        return _expand(st, d, [(_part_name(text, a, b), (a, b)) for a, b in parts], "items", ["I422"])
    counted_work = p.i if p.kind in ("noun", "wanted") else t.child(p.i, "obj")
    if counted_work is not None and (apposed := counted_apposed(t, counted_work, lists, w.number_words, text)) is not None:
        # I515: "give me two drafts, a short one and a long one": one version per member
        return _expand(st, d, apposed.names(text), "items", list(apposed.codes), alternatives=True)
    if "I560" in p.codes and (ones := apposed_ones(t, p.i, w.number_words)):
        # I560: the list reader cut the members otherwise ("three posters, a bright one, a plain
        # one and a retro one"): the tree's "one" phrases, without their article, are the versions
        spans = [(t.words[min(k for k in t.subtree(o) if k <= o and t.rel(k) not in ("det", "punct", "cc"))].start, t.words[o].end) for o in ones]
        return _expand(st, d, [(text[a:b], (a, b)) for a, b in spans], "items", ["I515"], alternatives=True)
    own = [lst for lst in lists if lo < lst.start and lst.end <= hi and lst.start > p.i]
    colon = [lst for lst in lists if lst.start > p.i and any(t.words[k].text in (":", "：") for k in range(p.i, lst.start))
             and not any(q.i > p.i and q.i < lst.start for q in st.preds if q.tree is t and q is not p)]
    if colon and (p.verb in w.fan_verbs or d.role in _GATHER):
        lst = colon[0]
        if not lst.alternatives and together(t, lst, text, frozenset(w.number_words)) == "I451":
            # "get these off the receipt: the total, the date and the VAT number": one reading
            st.fired.append(Fired("I451", (t.words[lst.start].start, t.words[lst.end].end)))
            return [d]
        before = objects_before_aspects(t, p.i, lists, lst)
        if before is not None:
            # I306: "research A, B and C: flights, hotels and weather": the objects are the items
            return _expand(st, d, before.names(text), "items", ["I306", *before.codes], alternatives=before.alternatives)
        return _expand(st, d, lst.names(text), "items", ["I204", *lst.codes], alternatives=lst.alternatives)
    if not own and p.kind == "question" and d.role in _GATHER:
        # I397: "what did the other 3 depots (A, B, C) do about X?": the things a question asks
        # about may stand before its verb, in its subject
        asked = [lst for lst in lists if lo <= lst.start and lst.end < p.i and not lst.alternatives and _named(lst, text)
                 and not any(q.tree is t and q is not p and lst.start <= q.i <= p.i for q in st.preds)]
        if asked:
            return _expand(st, d, asked[0].names(text), "items", ["I397", *asked[0].codes], alternatives=False)
    deep = False
    if not own:
        # The tree may hang the list on the next verb ("read the postmortems for A, B
        # and C and pull out ..."): a list after the verb, before any other step's verb,
        # is its objects all the same.
        mine = set(t.subtree(p.i))
        own = [lst for lst in lists if lst.start > p.i
               and (lst.start - p.i <= 8 or (lst.start - p.i <= _DEEP_REACH and _deep_list(t, lst, text)
                                             and (lst.start in mine or _one_phrase(t, p.i, lst.start))))
               and not any(p.i < q.i <= lst.end for q in st.preds if q.tree is t and q is not p)
               and _list_ends_clause(t, lst, {q.i for q in st.preds if q.tree is t})]
        deep = bool(own) and own[0].start - p.i > 8  # I420: a long object phrase before its list
    if own and not own[0].alternatives and (why := together(t, own[0], text, frozenset(w.number_words))) is not None:
        # I451/I452: details one reading returns, or a bracketed aside of what the work covers
        st.fired.append(Fired(why, (t.words[own[0].start].start, t.words[own[0].end].end)))
        return [d]
    if d.role not in _JOINING and (ways := _counted_ways(st, t, p, lists)) is not None:
        # I472: "sketch the email two ways, short vs detailed": the ways counted are the options named
        return _expand(st, d, ways.names(text), "items", ["I472", *ways.codes], alternatives=True)
    fans = bool(own) and (p.verb in w.fan_verbs or (d.role in _GATHER and _named(own[0], text)))  # I201 below
    if not fans and d.role not in _JOINING and _count_of(t, p, w) is None and (
            cb := counted_bracket(t, lists, p.i, min((q.i for q in st.preds if q.tree is t and q.i > p.i), default=len(t)),
                                  w.number_words)) is not None:
        # I610: "review the 3 work instructions we changed (A, B, C)": counted, then named in brackets
        drafts = _expand(st, d, cb[2].names(text), "items", ["I610", *cb[2].codes], alternatives=False)
        st.groups[-1] = replace(st.groups[-1], counted=t.words[cb[1]].text, count=cb[0])
        return drafts
    if fans:
        lst = own[0]
        return _expand(st, d, lst.names(text), "items", ["I201", *(["I420"] if deep else []), *lst.codes], alternatives=lst.alternatives)
    if own and not own[0].alternatives and _named(own[0], text) and gets_answers(t, p.i, p.verb, text):
        # I468: "get me quotes for 300 flyers from A, B and C": each named thing answers on its own
        lst = own[0]
        return _expand(st, d, lst.names(text), "items", ["I468", *lst.codes], alternatives=False)
    polar = [lst for lst in lists if lo <= lst.start and lst.end <= hi and not lst.alternatives and _named(lst, text) and asked_of_all(t, lst)]
    if polar:
        # I502: "are the A, B and C branches all open on Sundays?": a yes or no for each (the
        # tree may make a member the question's head, so the list may hold the step's word)
        return _expand(st, d, polar[0].names(text), "items", ["I502", *polar[0].codes], alternatives=False)
    if own and not own[0].alternatives and _named(own[0], text) and priced_at(t, p.i, p.verb, own[0].start):
        # I501: "price the sofa at A, B and C": each place answers with its own price
        return _expand(st, d, own[0].names(text), "items", ["I501", *own[0].codes], alternatives=False)
    if own and p.verb in w.file_verbs and set(own[0].spans) <= set(st.front.data):
        # I243: "describe a.jpg and b.jpg": work on one file at a time, once per file
        lst = own[0]
        return _expand(st, d, lst.names(text), "items", ["I243", *lst.codes], alternatives=False)
    items = _items_of(t, p, w)
    if spec_heads(t, items):
        st.fired.append(Fired("I355", (t.words[min(items)].start, t.words[max(items)].end)))
        items = []  # I355: "a test paper for year 9, 40 marks" is one object and its spec
    elif file_apposed_heads(t, items):
        st.fired.append(Fired("K508", (t.words[min(items)].start, t.words[max(items)].end)))
        items = []  # K508: "the letter from my aunt, aunt.pdf," is one thing and its file
    if any(q.tree is t and q.i in items for q in st.preds if q is not p):
        items = []  # "a summary of the report and a translation of it": the translation is a step of its own (S123)
    if len(items) == 2 and _slashed_pair(t, items[0], items[1]):
        st.fired.append(Fired("I388", (t.words[min(items)].start, t.words[max(items)].end)))
        items = []  # I388: "write the names/descriptions": one thing said two ways, as the list reader has it
    if len(items) >= 2 and p.verb in w.fan_verbs:
        names = [(text[slice(*_item_span(t, k, items))], _item_span(t, k, items)) for k in items]
        return _expand(st, d, names, "items", ["I201"])
    if len(items) >= 2 and p.verb in w.ask_verbs and t.rel(items[0]) in ("obj", "iobj", "nsubj") and t.head(items[0]) == p.i:
        # I378: "ask Claude, ChatGPT and Gemini to ...": several people asked are several askings
        names = [(text[slice(*_item_span(t, k, items))], _item_span(t, k, items)) for k in items]
        return _expand(st, d, names, "items", ["I378"])
    counted = None if "S450" in d.codes else _count_of(t, p, w)  # S450: "all three" counts the items worked on already
    if counted is None and (workers := counted_workers(t, p.i, w.number_words, st.settings.max_group)) is not None:
        # I514: "get three agents to each write a parser": the job once per worker, named by the worker
        base = "person" if t.low(workers[1]) == "people" else _singular(t.low(workers[1]))
        drafts = _expand(st, d, [(f"{base} {j}", None) for j in range(1, workers[0] + 1)], "items", ["I514"])
        st.groups[-1] = replace(st.groups[-1], counted=t.words[workers[1]].text, count=workers[0])
        return drafts
    if counted is not None and _sent_to(t, counted[2], d):
        # I230: "send it to each of the three leads" is one sending
        st.fired.append(Fired("I230", (t.words[counted[2]].start, t.words[counted[2]].end)))
        counted = None
    if counted is not None and _has_bullets(st, t.unit):
        counted = None  # "these three vendors:" followed by their names: the names are the items (I204)
    if counted is not None:
        n, noun, _ = counted
        named = next((lst for lst in colon if lst.alternatives and "I270" in lst.codes and len(lst.spans) == n), None)
        if named is None and (why := refused_count(t, p, n, counted[2], st.settings.max_group)) is not None:
            st.fired.append(Fired(why, (t.words[counted[2]].start, t.words[counted[2]].end)))  # I350-I353
            return [d]
        listed = next((lst for lst in colon if len(lst.spans) == n and lst.start > counted[2]
                       and all(t.words[k].text not in (".", ";") for k in range(counted[2], lst.start))), None)
        if named is None and listed is not None:
            # I380: "email the 3 shortlisted suppliers: A, B, C": the names after the colon are the counted things
            drafts = _expand(st, d, listed.names(text), "items", ["I380", *listed.codes], alternatives=listed.alternatives)
            st.groups[-1] = replace(st.groups[-1], counted=noun, count=n)
            return drafts
        bracketed = None if named is not None else counted_in_brackets(t, lists, counted[2], n)
        if bracketed is not None:
            # I484: "email the three suppliers (A, B and C)": the names in brackets are the counted things
            drafts = _expand(st, d, bracketed.names(text), "items", ["I484", *bracketed.codes], alternatives=False)
            st.groups[-1] = replace(st.groups[-1], counted=noun, count=n)
            return drafts
        if named is not None:
            # "edit the photo two ways: one where you crop him, one where you blur him": the options name the ways
            drafts = _expand(st, d, named.names(text), "items", ["I203", *named.codes], alternatives=True)
            st.groups[-1] = replace(st.groups[-1], counted=noun, count=n)
            return drafts
        singular = _singular(noun)
        names_c: list[tuple[str, tuple[int, int] | None]] = [(f"{singular} {k}", None) for k in range(1, n + 1)]
        drafts = _expand(st, d, names_c, "items", ["I203"])
        st.groups[-1] = replace(st.groups[-1], counted=noun, count=n)
        return drafts
    return [d]


doc_only(
    "I388", "slashed-pair",
    "In 'write the names/descriptions' there is one piece of work: two words joined by a slash alone are one thing said two ways, in the parse as in the list reader.",
    """The list reader already takes "A / B" alone for one thing ("dev /
    test" is a list only with a third member or another separator); the
    parse, though, makes the two words a coordination and the work would
    split into one step per word. Two coordinated objects with nothing but
    a slash between them ("logos/photos", "names/descriptions") stay one
    object of one step.""",
)


def _slashed_pair(t: Tree, x: int, y: int) -> bool:
    """I388: words ``x`` and ``y`` are joined by a slash and nothing else ("names/descriptions")."""
    a, b = min(x, y), max(x, y)
    between = t.lows(range(a + 1, b))
    return between == ["/"]


# I420: the tags of the words of one object phrase between a verb and a list far after it
_PHRASE_TAGS = frozenset({"NOUN", "PROPN", "ADJ", "DET", "ADP", "NUM", "ADV", "PART", "X", "SYM"})


def _one_phrase(t: Tree, verb: int, start: int) -> bool:
    """I420: the words between ``verb`` and a list at ``start`` are one object phrase: nouns and
    their modifiers, prepositions and participles ("the monthly figures reported last winter by"),
    no clause of their own (no other verb form, conjunction or punctuation but a glued hyphen)."""
    for k in range(verb + 1, start):
        tag = t.words[k].upos
        if tag in _PHRASE_TAGS and t.low(k) not in ("that", "which", "who", "where", "when", "whether", "if", "to"):
            continue
        if tag == "PRON" and t.words[k].deprel == "nmod:poss":
            continue  # "our", "their": an owner inside the phrase
        if tag == "VERB" and t.low(k).endswith(("ed", "en")) and t.low(k) != t.lemma(k):
            continue  # "reported", "written": a participle describing the thing
        if tag == "PUNCT" and _glued_mark(t, k):
            continue
        return False
    return True


def _deep_list(t: Tree, lst: ItemList, text: str) -> bool:
    """I420: a list far from its verb may be its objects when it names things: not options
    ("..., add or rewrite answers"), not versions counted out one by one ("one formal, one
    friendly": I280's), and names (capitalised, data, or three and more)."""
    if lst.alternatives or all(n.lower().startswith("one ") for n, _ in lst.names(text)):
        return False
    return _named(lst, text)


def _glued_mark(t: Tree, k: int) -> bool:
    """A hyphen or slash written without spaces inside a word ("five-year", "p50/p95")."""
    return 0 < k < len(t) - 1 and t.words[k].text in ("-", "/") and t.words[k - 1].end == t.words[k].start and t.words[k].end == t.words[k + 1].start


def _part_name(text: str, a: int, b: int) -> str:
    """I422: a part's name without a bracket that lists its own things ("by category (A, B, C)")."""
    part = text[a:b]
    o = part.find("(")
    if o > 0 and "," in part[o:]:
        part = part[:o].rstrip()
    return part


def _list_ends_clause(t: Tree, lst: ItemList, preds: set[int]) -> bool:
    """The list closes its clause: the sentence ends, or punctuation or "and"
    / "then" and the next step's verb follow ("... for A, B and C and pull out")."""
    k = lst.end + 1
    if k >= len(t) or t.words[k].upos == "PUNCT":
        return True
    while k < len(t) and t.low(k) in ("and", "then", "also"):
        k += 1
    return k < len(t) and k > lst.end + 1 and k in preds


def _heading_lists(st: _State) -> None:
    """I204: verbless list items under a lead-in with one step are that step's items.

    A bullet that only names a thing, even a thing named by a work noun ("the
    error budget report"), is an item of the lead-in's work; a bullet with a
    verb of its own is a step. Under a lead-in with a light verb ("do the
    following:"), bullets naming work are the steps.
    """
    units = st.front.units
    text = st.front.text
    by_unit: dict[int, list[int]] = {}
    for k, d in enumerate(st.drafts):
        by_unit.setdefault(d.pred.tree.unit, []).append(k)
    lists: dict[int, list[int]] = {}
    for k, u in enumerate(units):
        if u.kind != "item" or u.under is None:
            continue
        owned = by_unit.get(k, [])
        if not owned or all(st.drafts[j].pred.kind == "noun" for j in owned):
            lists.setdefault(u.under, []).append(k)
    for lead, members in sorted(lists.items(), reverse=True):
        owners = by_unit.get(lead, [])
        if len(owners) != 1 or len(members) < 2:
            continue
        d = st.drafts[owners[0]]
        if d.group is not None:
            continue
        if d.verb in st.words.light and any(by_unit.get(m) for m in members):
            continue  # "do the following: a security review, a cost report": the bullets are the work
        names = [(text[units[m].start : units[m].end].strip(" \t.;,"), (units[m].start, units[m].end)) for m in members]
        expanded = _expand(st, d, names, "items", ["I204"])
        dropped = {j for m in members for j in by_unit.get(m, [])}
        first = owners[0]
        st.drafts = [e for j, e in enumerate(st.drafts[:first]) if j not in dropped] + expanded + [
            e for j, e in enumerate(st.drafts[first + 1 :], first + 1) if j not in dropped
        ]
        by_unit = {}
        for k, e in enumerate(st.drafts):
            by_unit.setdefault(e.pred.tree.unit, []).append(k)


doc_only(
    "I213", "labelled-streams",
    "Work under two or more labels ('UK: rerun, then refresh. Ireland: rerun, convert, refresh', '1. api: design -> build', '(a) docs - draft, review; (b) ...') is one stream per label, each with its own stages in order.",
    """A short name before a colon, dash or arrow at the start of a sentence,
    a line, a numbered or lettered part or a part after a semicolon scopes
    the work after it to that thing, until the next label. With two or
    more labels, one of them over two or more steps, each label is a
    stream: its steps follow each other, and the streams run side by
    side. Labels that head a part of the text ("Context:", "Steps:",
    rules/words.toml [parallel] frame_labels) scope nothing.""",
)

_LABEL_MARKS = frozenset({":", "：", "—", "–", "->", "→", "=>"})

doc_only(
    "I631", "label-over-cut-clause",
    "A label's stream goes on over a clause the reader cut from its sentence ('(1) kitchen: replace the tap and then reseal the sink'): the later command is the label's next stage.",
    """Unpunctuated or lower-case text is cut into clauses before "and
    then", "also" or a command said back to back (T014), so the stage after
    the cut stands in a sentence of its own, without the label that opened
    the part. A clause cut that way, with no label of its own, goes on in
    the stream of the label before it, as the commas and arrows of its
    part do (I213).""",
)

doc_only(
    "I384", "counted-and-glossed-labels",
    "In 'Stream A is the new menu: ...' the stream is 'Stream A', and in 'Two, the e-book: ...' it is 'the e-book': a label glossed with 'is' is named by the words before it, and a counting word before a comma marks the part, not its name.",
    """Writers who split work into parts name them in two more ways than a
    bare label: a label and what it stands for ("Stream B is the new
    website: design it, build it"), where the label before the copula is
    the name the parts are known by; and a count of the parts before the
    name ("One, the print side: ...", "Second thing, the roof repair:
    ..."), where the count says which part and the name after the comma
    may be as long as a bare label's (so it is counted afresh). A count
    said that way is never one of the items of a list ("One, the print
    side" lists nothing). A lone "First," or "Second," orders the work and
    leaves the label's length as it was.""",
)


def _labels_of(st: _State, t: Tree, drafts: set[int]) -> list[tuple[int, str, tuple[int, int]]]:
    """(mark index, name, span) of every label in the sentence ("UK:", "for mobile ->", "(2) `mailer` —")."""
    out: list[tuple[int, str, tuple[int, int]]] = []
    starts = [0, *(k + 1 for k in range(len(t)) if t.words[k].text in (";", ":", "："))]
    for s0 in starts:
        s = s0
        # "(a)", "(2)", "2.", "b)": a list marker before the label
        if s + 2 < len(t) and t.words[s].text == "(" and t.words[s + 2].text == ")" and len(t.words[s + 1].text) <= 2:
            s += 3
        elif s + 1 < len(t) and t.words[s + 1].text in (")", ".") and len(t.words[s].text) <= 2 and t.words[s].text.isalnum():
            s += 2
        opened = s < len(t) and t.low(s) == "for"
        if opened:
            s += 1
        mark = _label_mark(t, s, comma=opened)
        if mark is None and s > s0 and t.low(s - 1) == "for" and 0 < len(t) - s <= 4:
            mark = len(t)  # "...: for backend -> merge ...": the arrow that ends the sentence marks it
        if mark is None or s >= mark or any(k in drafts for k in range(s, mark)):
            continue
        if not any(t.words[k].upos in ("NOUN", "PROPN", "X", "SYM", "NUM", "ADJ") or st.front.text[t.words[k].start] == "`" for k in range(s, mark)) and not (
                mark == s + 1 and st.words.role_of(t.lemma(s)) is None and t.words[s].upos == "VERB"):  # "frontend:" read as a verb
            continue
        end = mark - 1
        if any(t.words[x].text == "(" for x in range(s, mark)):
            end = next(x for x in range(s, mark) if t.words[x].text == "(") - 1  # "Grocery (Snowflake, dbt)"
        commas = [x for x in range(s, end + 1) if t.words[x].text == ","]
        if commas:
            s = commas[-1] + 1  # "Track one, products:", "First, the venue:"
        copula = next((x for x in range(s + 1, min(end, s + 3) + 1) if t.low(x) in ("is", "are") and t.words[x].upos == "AUX"), None)
        if copula is not None:
            end = copula - 1  # I384: "Stream A is the new menu:" names the stream "Stream A"
        while s < end and t.low(s) in ("the", "a", "an", "our", "my", "your", "so", "and", "then", "for"):
            s += 1
        if s > end:
            continue
        while end > s and t.words[end].upos == "PUNCT":
            end -= 1
        span = (t.words[s].start, t.words[end].end)
        name = st.front.text[span[0] : span[1]].strip()
        if name.lower().strip("`*_ ") in st.words.frame_labels or not name:
            continue
        out.append((mark, name, span))
    return out


_PART_NUMBERS = frozenset({"one", "two", "three", "four", "five"})
_PART_ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth", "last"})


def _counts_parts(t: Tree, s: int, comma: int) -> bool:
    """I384: the words before the comma at ``comma`` count the parts of the text ("One,", "Two,",
    "Second thing,", "Track two,"); a lone "First," or "Second," orders the work and keeps the
    name's usual length."""
    if comma == s + 1:
        return t.low(s) in _PART_NUMBERS
    return comma == s + 2 and (
        (t.low(s) in _PART_ORDINALS and t.words[s + 1].upos == "NOUN")
        or (t.words[s].upos == "NOUN" and t.low(s + 1) in _PART_NUMBERS))


def _glossed_or_counted(text: str, span: tuple[int, int]) -> bool:
    """I384: the label at ``span`` is glossed with "is" after it or counted before it ("Two, ...")."""
    after = text[span[1] : span[1] + 5].lower().split()
    before = text[max(0, span[0] - 40) : span[0]].lower()
    counted = _COUNTED_BEFORE.search(before if span[0] > 40 else "\n" + before)
    return bool(after and after[0] in ("is", "are")) or counted is not None


# I384: a count of the parts right before a label's name, at the start of a sentence or part
_COUNTED_BEFORE = lazyre.compile(
    r"(?:[.;:\n(]|^\s*-)\s*(?:one|two|three|four|five|(?:first|second|third|fourth|fifth|last) \w+|\w+ (?:one|two|three|four|five)),\s*(?:the |a |an |our )?$")


def _label_mark(t: Tree, s: int, comma: bool = False) -> int | None:
    """The colon, dash or arrow that ends a label of up to five words from ``s`` (words in brackets not
    counted); after "for" a comma ends it too ("(1) for the web shop, rebuild ...; (2) for the app, ...")."""
    depth = counted = 0
    most = 5
    for k in range(s + 1, min(len(t), s + 16)):
        x = t.words[k].text
        if x == "(":
            depth += 1
        elif x == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            if x in _LABEL_MARKS or (x == "-" and t.words[k - 1].end != t.words[k].start) or (comma and x == ","):
                return k
            if x == "," and most == 5 and _counts_parts(t, s, k):
                # I384: "Second thing, the roof repair:": the name is after the comma, counted afresh
                counted, most = 0, 8
                continue
            if t.low(k) in ("is", "are") and k - s <= 3 and most == 5:
                most = 9  # I384: "Stream A is the new menu:": the name before the copula, its gloss after it
            counted += 1
            if counted >= most:
                return None
    return None


def _labelled_streams(st: _State) -> None:
    """I213: work under two or more labels is one stream per label."""
    drafts = st.drafts
    by_tree: dict[int, set[int]] = {}
    for d in drafts:
        by_tree.setdefault(id(d.pred.tree), set()).add(d.pred.i)
    label_cache: dict[int, list[tuple[int, str, tuple[int, int]]]] = {}
    order = {id(t): k for k, t in enumerate(st.trees)}
    cut_at = {s for code, s, _ in st.front.spoken if code == "T014"}  # clauses cut from a sentence
    carried: set[int] = set()  # I631: drafts whose label was carried over such a cut
    named: list[tuple[str, tuple[int, int]] | None] = []
    def labels(t: Tree) -> list[tuple[int, str, tuple[int, int]]]:
        if id(t) not in label_cache:
            label_cache[id(t)] = _labels_of(st, t, by_tree.get(id(t), set()))
        return label_cache[id(t)]

    for k, d in enumerate(drafts):
        t = d.pred.tree
        at = order[id(t)]
        chained = st.front.units[t.unit].chained
        own = [(name, span) for mark, name, span in labels(t) if mark < d.pred.i]
        got: tuple[str, tuple[int, int]] | None = own[-1] if own else None
        if got is None and at > 0 and chained:
            # "for mobile -> bump version": a label closing the part before the arrow
            tail = [(name, span) for mark, name, span in labels(st.trees[at - 1]) if mark == len(st.trees[at - 1])]
            got = tail[-1] if tail else None
        if got is None and chained:
            # "event log: schema -> migration": the label heads the chain of arrows even when
            # no step of its own part was read (a bare noun before the first arrow)
            head = at
            while head > 0 and st.front.units[st.trees[head].unit].chained and not labels(st.trees[head]):
                head -= 1
            heading = [(name, span) for mark, name, span in labels(st.trees[head]) if mark < len(st.trees[head])]
            if head < at and heading and not any(e.pred.tree in st.trees[head + 1 : at] for e in drafts[:k]) and not any(
                e.pred.tree is st.trees[head] and heading[-1][1][1] <= e.pred.tree.words[e.pred.i].start for e in drafts[:k]
            ):
                got = heading[-1]
        if got is None and k > 0 and named[-1] is not None:
            prev = drafts[k - 1].pred.tree
            # the label goes on over the arrows and commas of its own part
            between = st.trees[order[id(prev)] + 1 : at + 1]
            if prev is t or all(st.front.units[x.unit].chained and not labels(x) for x in between):
                got = named[-1]
            elif between and all(x.words and x.words[0].start in cut_at and not labels(x) for x in between):
                got = named[-1]  # I631: "(1) kitchen: replace the tap and then reseal the sink"
                carried.add(k)
        named.append(got if d.group is None else None)
    k = 0
    while k < len(drafts):
        if named[k] is None:
            k += 1
            continue
        j = k
        while j < len(drafts) and named[j] is not None:
            j += 1
        run = [(x, lab) for x in range(k, j) if (lab := named[x]) is not None]
        names = list(dict.fromkeys(lab[0] for _, lab in run))
        blocks = [[(x, lab) for x, lab in run if lab[0] == n] for n in names]
        contiguous = all([x for x, _ in b] == list(range(b[0][0], b[-1][0] + 1)) for b in blocks)
        if len(names) >= 2 and contiguous and max(len(b) for b in blocks) >= 2:
            gid = f"g{len(st.groups) + 1}"
            for n, b in enumerate(blocks):
                if n:
                    drafts[b[0][0]].codes.append("I206")  # a new label starts a new stream
                for stage, (x, (name, span)) in enumerate(b):
                    d = drafts[x]
                    d.item, d.item_span, d.group, d.stage = name, span, gid, stage
                    d.codes.append("I213")
                    if x in carried:
                        d.codes.append("I631")
                    if stage == 0 and _glossed_or_counted(st.front.text, span):
                        d.codes.append("I384")
            first = drafts[k]
            st.groups.append(Group(id=gid, kind="streams", names=tuple(names), count=len(names), counted="",
                                   verb=first.verb, role=first.role, steps=(), stages=()))
        k = j


def _make_streams(st: _State, stages: list[Draft], names: list[tuple[str, tuple[int, int]]]) -> list[Draft]:
    gid = f"g{len(st.groups) + 1}"
    names = names[: st.settings.max_group]
    out: list[Draft] = []
    firsts: list[int] = []
    stage_ids: list[tuple[int, ...]] = []
    base = len(st.drafts)  # placeholder: real indices are fixed in _read_order
    del base
    for name, span in names:
        chain: list[int] = []
        for k, s in enumerate(stages):
            nd = replace(s, item=name, item_span=span, group=gid, stage=k, codes=[*s.codes, "I205"], after=set())
            out.append(nd)
            chain.append(len(out) - 1)
        firsts.append(chain[0])
        stage_ids.append(tuple(chain))
    st.groups.append(
        Group(id=gid, kind="streams", names=tuple(n for n, _ in names), count=len(names), counted="",
              verb=stages[0].verb, role=stages[0].role, steps=(), stages=())
    )
    return out


def _singular(noun: str) -> str:
    low = noun
    if low.lower().endswith("ies") and len(low) > 4:
        return low[:-3] + "y"
    if low.lower().endswith(("sses", "xes", "ches", "shes")):
        return low[:-2]
    return low[:-1] if low.lower().endswith("s") and not low.lower().endswith("ss") else low


# --- roles -------------------------------------------------------------------------


def _role(st: _State, d: Draft) -> str:
    w = st.words
    role = w.role_of(d.verb)
    if d.pred.kind == "question":
        return "scout" if d.verb == "investigate" else "explore"
    if "S161" in d.codes and role == "explore" and (obj := d.pred.tree.child(d.pred.i, "obj")) is not None \
            and d.pred.tree.low(obj) in w.pronouns:
        return "review"  # "have a native speaker check it": someone had to look at the work is its reviewer
    if (role is None or d.verb in w.ambiguous) and st.classify is not None:
        guess = st.classify(d.text)
        if guess:
            return guess
    return role or st.settings.fallback_role


def _item_role(st: _State, d: Draft, name: str) -> str:
    """The role of one item's share of a piece of work. An ambiguous verb is read with
    the item in place of the words that pointed at the items ("build each one" is
    "build auth routes" for its first item), and one item's share never joins
    several results: a joining guess falls back to the verb's own role."""
    w = st.words
    if d.verb not in w.ambiguous or st.classify is None or d.pred.kind == "question" or "S161" in d.codes or "I560" in d.codes:
        return d.role  # I560: a version of a wished thing is made as the thing is
    guess = st.classify(f"{d.verb} {name}") or d.role
    if guess in _JOINING:
        return w.role_of(d.verb) or st.settings.fallback_role
    return guess


# --- order -------------------------------------------------------------------------

doc_only("O301", "next-marker", "'then', 'after that', 'finally', 'next' put a step after the work before it.",
         """The work before is the step just before, or every member of the
         parallel group just before ("research A, B and C, then compare
         them": the comparison waits for all three).""")
doc_only("O302", "after-clause", "'after X, Y', 'once X, Y', 'Y when X is done' put Y after X.",
         """Non-native and inverted orders included: "after you do the
         migration, check the app" and "check the app after the migration"
         both run the check second.""")
doc_only("O303", "before-clause", "'before X, Y' and 'Y before X' put Y first.",
         """"Before you deploy, back up the database": the backup comes first
         though it is written second.""")
doc_only("O304", "hand-off-pronoun", "A step whose object is 'it', 'them', 'the results' works on the work just before.",
         """"Find the bug, then fix it": fixing needs what the finding found.
         A plural ("them", "these", "all of them") after parallel work takes
         every member of the group.""")
doc_only("O305", "hand-off-by-name", "A step that names an earlier step's result ('the cleaned data', 'the translation', 'the report') works on it.",
         """A participle of an earlier verb ("the stabilized video"), the noun
         of an earlier verb's work ("the summary" after "summarize"), or the
         thing an earlier step made ("the report" after "write a report")
         hands that result over, even across other steps.""")
doc_only("O306", "lifecycle", "With no marker and no hand-off, work later in the lifecycle (find, design, build, test, review, decide) waits for earlier work.",
         """"Find existing patterns, design an approach, implement it": each
         stage needs the one before. Two pieces of gathering are independent,
         and so are two unrelated errands.""")
doc_only("O307", "independent", "'also', 'separately', 'meanwhile', 'in parallel' start work that does not wait for the step before.",
         """"Check the weather in Oslo and also set an alarm for 7" are two
         errands; "meanwhile, draft the announcement" runs beside.""")
doc_only("O308", "join", "A step that combines (summarise, compare, decide, integrate) right after parallel work takes all of it.",
         """"Research A, B and C and summarise the differences": the summary
         reads all three investigations.""")
doc_only("O311", "procedure", "Requests listed with commas in one sentence ('run the suite, fix the worst test, rerun') are done in order.",
         """A comma list of verb phrases is a procedure: each step works on what
         the one before left. Two pieces of gathering in such a list are still
         independent.""")
doc_only("O312", "separate-errands", "Two requests joined by a bare 'and' that share no noun or name ('check the weather and set an alarm') are independent.",
         """Errands about different things need nothing from each other; with a
         thing in common ("find the slow query and index the table it reads")
         the later one follows.""")
doc_only("O313", "participle-chain", "'the podcast trimmed and uploaded to the feed': participles on one thing run in the order given.",
         """Each participle after a wish works on what the one before
         left ("the survey answers cleaned, grouped and charted"); a thing
         wished for that does not exist yet ("a haiku turned into a spoken
         recording") is made first (S122).""")
doc_only("O314", "side-by-side-results", "Things asked for together ('a thumbnail and a banner') with no hand-off between them are made side by side.",
         """Each further thing of one request (S123) that neither points back
         ("a hashtag list for it") nor follows an order word ("then a
         video") needs nothing from the things before it.""")
doc_only("O315", "from-both", "'a collage from both', 'combine the two': a step that names both of two results waits for the two latest.",
         """"Make a thumbnail and a banner, then a collage from both": the
         collage joins the two, even when they are not one group of
         items. A making step with "from both" or "of both" is one piece of
         work on the two, not the same work for each (I207 does not apply).""")
doc_only("O316", "separate-inputs", "Two steps in one sentence that work on different named files ('transcribe interview.mp3 and caption photo.png') are independent.",
         """Each reads its own input and nothing points from one to the other,
         so they run side by side; a later step that names both ("then put
         both on one slide") joins them (O315).""")
doc_only("O317", "separate-lines", "A request that opens on a file of its own, after work on another file ('(a) take flyer.jpg, fix it (b) take song.mp3, cut it'), starts a line of work that does not wait for the first; a later step on 'them' or 'both' joins the lines.",
         """Lists and sentences that each open on their own input ("1. take
         call.mp3, transcribe it 2. take notes.docx, translate it", "First,
         the contract (a.pdf): ... Second, the recording (b.mp3): ...") are
         separate jobs written one after the other, not a procedure: the
         order of the writing is not the order of the work. The file must
         be named before the step's verb and after the step before, with no
         sequence word ("then", "after", "once") between them, and the line
         before must name a different file. A later step in a new sentence
         or list item that works on "them"/"both" or combines waits for the
         last step of every line. A sentence that announces "three quick
         things:" or "two separate jobs:" and lists requests after the colon
         lists errands, not a procedure (O311 does not apply), unless the
         requests share a noun or hand work on.""")
doc_only("O310", "numbered-list", "Numbered list items are done in their order.",
         """"1. back up 2. migrate 3. verify": a numbered list is a procedure.""")


def _frontier(st: _State, k: int) -> list[int]:
    """The work just before draft ``k``: the previous draft, or its whole parallel group."""
    if k == 0:
        return []
    prev = st.drafts[k - 1]
    if prev.group is not None and prev.stage is None:
        return [j for j in range(k) if st.drafts[j].group == prev.group]
    if prev.group is not None and prev.stage is not None:
        # after streams: the last stage of every stream
        members = [j for j in range(k) if st.drafts[j].group == prev.group]
        last = max(st.drafts[j].stage or 0 for j in members)
        return [j for j in members if st.drafts[j].stage == last]
    return [k - 1]


def _refers_to_previous(t: Tree, p: Pred, w: Words) -> tuple[bool, bool]:
    """(points back, plural) for a predicate's object and its phrases."""
    for rel in ("obj", "obl", "nmod", "iobj", "nsubj:pass", "ccomp", "xcomp"):
        for k in t.children(p.i, rel):
            for j in t.subtree(k):
                low = t.low(j)
                if low in w.pronouns and t.words[j].upos in ("PRON", "DET"):
                    plural = low in ("them", "these", "those", "they", "their", "both", "all", "each", "everything")
                    return True, plural
                if t.lemma(j) in w.results and any(t.low(d) in ("the", "this", "that", "these", "those", "your") for d in t.children(j, "det")):
                    return True, t.low(j).endswith("s")
    return False, False


def _says_both(t: Tree, p: Pred, w: Words) -> bool:
    """The predicate's own phrases point back at two results ("from both", "combine the two")."""
    for k in t.subtree(p.i):
        if k == p.i or t.low(k) != "both" or t.head(k) not in (p.i, *t.children(p.i)):
            continue
        # "from both", "both of them", "put both into one slide"; not "both the logs and the
        # metrics" (whatever tag the parse gave "both", the "and" after it tells)
        if not any(t.low(j) in ("and", "&") for j in range(k + 1, min(k + 6, len(t)))):
            return True
    return False


def _names_earlier(st: _State, k: int) -> list[int]:
    """Earlier drafts whose result draft ``k`` names (O305)."""
    d = st.drafts[k]
    t = d.pred.tree
    if d.pred.kind == "question":
        return []
    lows: set[str] = set()
    for rel in ("obj", "obl", "nmod", "iobj"):
        for h in t.children(d.pred.i, rel):
            for j in t.subtree(h):
                lows.add(t.lemma(j))
                lows.add(t.low(j))
    if not lows:
        return []
    found: list[int] = []
    for j in range(k - 1, -1, -1):
        e = st.drafts[j]
        if e.group is not None and e.group == d.group:
            continue
        made = {_participle(e.verb), e.verb + "ed", e.verb + "d"} | set(_nominals(e.verb))
        obj_head = _head_noun(e)
        if (lows & made) or (obj_head and obj_head in lows and obj_head not in st.words.pronouns and e.pred.kind != "question" and _definite_mention(t, d.pred.i, obj_head)):
            found.append(j)
            break
    return found


def _definite_mention(t: Tree, i: int, noun: str) -> bool:
    for h in t.subtree(i):
        if t.lemma(h) == noun or t.low(h) == noun:
            return any(t.low(x) in ("the", "this", "that", "these", "those", "your", "our", "my") for x in t.children(h, "det", "nmod:poss"))
    return False


def _head_noun(d: Draft) -> str:
    t = d.pred.tree
    obj = t.child(d.pred.i, "obj")
    return t.lemma(obj) if obj is not None else ""


def _participle(verb: str) -> str:
    irregular = {"build": "built", "write": "written", "make": "made", "find": "found", "send": "sent", "choose": "chosen", "draw": "drawn", "rewrite": "rewritten", "take": "taken", "run": "run", "set": "set", "cut": "cut", "split": "split", "get": "got", "read": "read"}
    if verb in irregular:
        return irregular[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def _nominals(verb: str) -> list[str]:
    stem = verb[:-1] if verb.endswith("e") else verb
    out = [stem + "ion", stem + "ation", verb + "ment", stem + "ing", verb + "al"]
    if verb.endswith("ize") or verb.endswith("ise"):
        out.append(verb[:-3] + "ization")
        out.append(verb[:-3] + "isation")
    if verb.endswith("y"):
        out.append(verb[:-1] + "ication")
    specials = {"summarize": "summary", "summarise": "summary", "analyse": "analysis", "analyze": "analysis",
                "compare": "comparison", "describe": "description", "translate": "translation", "review": "review",
                "design": "design", "plan": "plan", "draft": "draft", "test": "test", "report": "report",
                "transcribe": "transcript", "write": "text", "outline": "outline", "estimate": "estimate", "list": "list"}
    if verb in specials:
        out.append(specials[verb])
    return out


def _read_order(st: _State) -> None:
    """Edges between drafts: what the text states first (O302, O303, O309), then defaults."""
    drafts = st.drafts
    of_anchor: dict[tuple[int, int], list[int]] = {}
    for k, d in enumerate(drafts):
        of_anchor.setdefault((id(d.pred.tree), d.pred.anchor), []).append(k)
    placed: set[int] = set()  # drafts whose place the text states: no default edge into them
    for q in st.preds:
        if q.sub is None or q.governor is None:
            continue
        t = q.tree
        gov = of_anchor.get((id(t), q.governor), [])
        mine = of_anchor.get((id(t), q.anchor), [])
        if not gov:
            continue
        later = q.anchor > q.governor  # the clause is written after the clause it hangs on
        if q.sub == "after":
            if q.refers:
                first = min(gov)
                same = [j for j in range(first) if drafts[j].verb == q.verb]
                src = same[-1:]
            else:
                src = mine
            if not src:
                continue
            if later and "first" in drafts[gov[0]].pred.markers:
                # "first you make the backup, after you do the migration": a sequence
                for j in mine:
                    drafts[j].after.update(gov)
                    drafts[j].codes.append("O302")
                    placed.add(j)
                continue
            for j in gov:
                drafts[j].after.update(src)
                drafts[j].codes.append("O302")
                placed.add(j)
            if later:
                placed.update(mine)  # "check the app after the migration": the migration goes first
        elif q.sub == "before":
            for j in mine:
                drafts[j].after.update(gov)
                drafts[j].codes.append("O303")
                placed.add(j)
            if not later:
                placed.update(gov)  # "before you deploy, back up": the backup goes first
        elif q.sub == "then":
            for j in mine:
                # each item's stage follows that item's stage before it, when both were handed out per item
                own = [g for g in gov if drafts[j].item is not None and drafts[g].item == drafts[j].item]
                drafts[j].after.update(own or gov)  # O313: the next participle on the same thing; O330: the next gapped thing
                drafts[j].codes.append("O330" if "S160" in drafts[j].codes else "O313")
                placed.add(j)
        elif q.sub == "purpose":
            for j in mine:
                drafts[j].after.update(gov)  # the purpose, when it is work of its own, follows the means
                placed.add(j)
    last_scope: str | None = None
    for k, d in enumerate(drafts):
        _default_order(st, k, d, placed, last_scope)
        last_scope = _scope_name(st, d) or last_scope


def _made_apart(st: _State, k: int) -> bool:
    """O344: draft ``k`` and the one before, in one comma list, each make a thing of their own,
    and the list ends on a step of the same sentence that takes them all."""
    drafts = st.drafts
    d, prev = drafts[k], drafts[k - 1]
    t = d.pred.tree
    if prev.pred.tree is not t or d.group is not None or prev.group is not None or "next" in d.pred.markers:
        return False
    if not _listed(t, prev.pred, d.pred) or not own_input(t, d.pred) or not own_input(t, prev.pred):
        return False
    if _names_earlier(st, k):
        return False  # "..., make a set of cards from the transcript": made from what was made
    for m in range(k + 1, len(drafts)):
        e = drafts[m]
        if e.pred.tree is not t or e.group is not None:
            return False
        if takes_all(t, e.pred):
            return True
        if not own_input(t, e.pred):
            return False
    return False


def _apart_ends(st: _State, k: int) -> list[int]:
    """The drafts made apart (O344) just before draft ``k``, with the first of their list: the
    results a step that takes them all waits for."""
    drafts = st.drafts
    t = drafts[k].pred.tree
    start = k - 1
    while start > 0 and _SIDE & set(drafts[start].codes) and drafts[start - 1].pred.tree is t:
        start -= 1
    run = list(range(start, k))
    if len(run) < 2 or not any(_SIDE & set(drafts[j].codes) for j in run):
        return []
    return [j for j in run if not any(j in drafts[m].after for m in run if m > j)]


def _points_back(st: _State, k: int) -> bool:
    """Draft ``k`` works on a result before it: a pointing word, a result's name, or a stated "then"."""
    d = st.drafts[k]
    t, i = d.pred.tree, d.pred.i
    # the word right after the verb, whatever tag it got ("translate that caption")
    right_after = i + 1 < len(t) and t.low(i + 1) in st.words.pronouns
    return "next" in d.pred.markers or right_after or _refers_to_previous(t, d.pred, st.words)[0] or bool(_names_earlier(st, k))


def _apart_before_join(st: _State, k: int) -> list[int]:
    """K570: the line ends draft ``k`` joins when it takes a counted number of results ("combining
    the two", "all three") after a list of its sentence; the requests that start a line are cut off
    from the one before them (K571). Empty when the list has too few independent requests."""
    drafts = st.drafts
    d = drafts[k]
    t = d.pred.tree
    if d.group is not None or (n := results_taken(t, d.pred)) < 2:
        return []
    # the list is the step's own sentence, or the sentence just before when the step opens its
    # own ("...; then make one card with all three")
    own = k > 0 and drafts[k - 1].pred.tree is not t
    lt = drafts[k - 1].pred.tree if own else t
    start = k
    while start > 0 and drafts[start - 1].pred.tree is lt and drafts[start - 1].group is None:
        start -= 1
    ends, cuts, kept = [k - 1], [], []
    for j in range(k - 1, start, -1):
        if len(ends) == n:
            break
        if j - 1 not in drafts[j].after:
            if not _KEPT_APART & set(drafts[j].codes):
                kept.append(j)  # already a line of its own, which the order model could still tie on
            ends.append(j - 1)
        elif not _points_back(st, j) and drafts[j].after <= {j - 1} | drafts[j - 1].after:
            cuts.append(j)
            ends.append(j - 1)
    if len(ends) < n or k - 1 < start or not (cuts or kept):
        return []  # (lines the readings already keep apart are joined by O315 as before)
    for j in cuts:
        drafts[j].after = set(drafts[start].after)
    for j in cuts + kept:
        drafts[j].codes.append("K571")
    return ends


# Readings after which the order model adds no wait (see _learned_order).
_KEPT_APART = _SIDE | {"O307", "O314", "O316", "O317"}


def _same_material_sibling(st: _State, k: int) -> bool:
    """K572: draft ``k``, marked "also" or "separately", works on what the step before it worked
    on: it points back, repeats that step's verb or only looks at material, with none of its own."""
    d, prev = st.drafts[k], st.drafts[k - 1]
    t = d.pred.tree
    if d.group is not None or prev.stage is not None or prev.pred.tree is not t or not prev.after:
        return False  # (a group's members share their predecessors: "find every title and author")
    if _named_inputs(st, d) or (own_input(t, d.pred) and not drawn_from(t, d.pred)):
        return False  # a new thing of its own, unless a summary drawn from the material
    back = _refers_to_previous(t, d.pred, st.words)[0]
    # "and also describe the clip itself": a definite object may name the user's material again
    definite = any(t.low(x) in _DEFINITE_DETS for o in t.children(d.pred.i, "obj") for x in t.children(o, "det", "nmod:poss"))
    looks = (looks_at_material(t, d.pred) or drawn_from(t, d.pred)) and not definite
    return back or prev.pred.verb == d.pred.verb or looks


_DEFINITE_DETS = frozenset({"the", "this", "that", "my", "our", "your", "his", "her", "their"})


def _default_order(st: _State, k: int, d: Draft, placed: set[int], last_scope: str | None) -> None:
    """The incoming edges of one draft that the text does not state outright."""
    w = st.words
    drafts = st.drafts
    p = d.pred
    t = p.tree
    if d.stage is not None and d.stage > 0:
        # streams: the stages of one item follow each other
        before = next(
            j for j in range(k - 1, -1, -1)
            if drafts[j].group == d.group and drafts[j].item == d.item and drafts[j].stage == d.stage - 1
        )
        d.after.add(before)
        return
    if d.group is not None and k > 0 and drafts[k - 1].group == d.group:
        # siblings of one group (and first stages of streams) share the first member's predecessors
        first = next(j for j in range(k) if drafts[j].group == d.group)
        d.after |= drafts[first].after
        return
    if k in placed or k == 0:
        return
    scope = _scope_name(st, d)
    if scope is not None and last_scope is not None and scope != last_scope:
        d.codes.append("I206")
        return
    front = _frontier(st, k)
    units = st.front.units
    u = units[t.unit]
    pu = units[drafts[k - 1].pred.tree.unit]
    if d.group is None and drafts[k - 1].group is None and _new_line(st, k):
        d.codes.append("O317")
        return
    if st.lines and _joins_lines(st, k):
        d.after.update(_line_ends(st, k))
        d.codes.append("O317")
        return
    if u.numbered and pu.numbered and u.list_id == pu.list_id and t.unit != drafts[k - 1].pred.tree.unit:
        d.after.update(front)  # a numbered list is a procedure: its order is stated
        d.codes.append("O310")
        return
    back, plural = _refers_to_previous(t, p, w)
    named = _names_earlier(st, k)
    prev_draft = drafts[k - 1]
    if prev_draft.group is None and d.group is None and same_source(prev_draft.pred, p):
        # O343: "make three pictures to go with it, and have it read aloud": the same "it"
        d.after.update(prev_draft.after)
        d.codes.append("O343")
        return
    if prev_draft.group is None and d.group is None and material_again(st.front.text, prev_draft.pred, p):
        # O345: "caption beach.jpg and classify it": the user's picture again, not the caption
        d.after.update(prev_draft.after)
        d.codes.append("O345")
        return
    if prev_draft.group is None and d.group is None and "S237" in p.codes and prev_draft.pred.verb == p.verb:
        # O349: "draw a chart of the sales, and another of the costs": made beside the first
        d.after.update(prev_draft.after)
        d.codes.append("O349")
        return
    if (prev_draft.group is None and d.group is None and prev_draft.pred.tree is t and "next" not in p.markers and closed_by_too(t, p)
            and not any(drafts[j].pred.verb == p.verb for j in range(k - 1))):
        # O348: "caption photo.jpg and make a depth map of it too": more work beside the request before;
        # "... and ask for a price; find a florist and ask for a price as well": the same work again
        d.after.update(prev_draft.after)
        d.codes.append("O348")
        return
    if (ends := _apart_ends(st, k)) and (takes_all(t, p) or "next" in p.markers):
        # O344: "..., write a verse for inside, and put them together": every thing made apart;
        # O346: a "then" after work side by side waits for each
        d.after.update(ends)
        d.codes.append("O344" if takes_all(t, p) and any("O344" in drafts[j].codes for j in range(k)) else "O346")
        return
    if _made_apart(st, k):
        d.codes.append("O344")  # O344: made from its own material, before a step that takes them all
        return
    if (ends := _apart_before_join(st, k)):
        # K570: "find the times, get a quote, then draft an email combining the two": two lines meet
        d.after.update(ends)
        d.codes.append("K570")
        return
    if "parallel" in p.markers or "also" in p.markers:
        if named:
            d.after.update(named)
            d.codes.append("O305")
        else:
            if _same_material_sibling(st, k):
                # K572: "..., find the titles in them, and separately write a digest of it": beside that step
                d.after.update(prev_draft.after)
                d.codes.append("K572")
            d.codes.append("O307")
        return
    if len(front) < 2 and _says_both(t, p, w):
        # O315: "then a collage from both": the two latest results, wherever they came from
        ends = [j for j in range(k) if not any(j in drafts[m].after for m in range(j + 1, k))][-2:]
        if len(ends) == 2:
            d.after.update(ends)
            d.codes.append("O315")
            return
    if back:
        d.after.update(front if plural or len(front) > 1 else front[-1:])
        d.codes.append("O304")
        return
    if named:
        d.after.update(named)
        d.codes.append("O305")
        return
    if "S123" in p.codes and "next" not in p.markers:
        d.codes.append("O314")  # "a thumbnail and a banner": made side by side
        return
    prev = drafts[k - 1]
    ends = [j for j in _line_ends(st, k) if drafts[j].pred.tree.unit == t.unit] if st.lines else []
    if d.role in _JOINING and len(ends) > 1:
        # O308 after separate lines in one paragraph (O317): "...; and find a DJ and get a
        # quote too, and then compare the two" weighs every open result, not just the last.
        d.after.update(ends)
        d.codes.append("O308")
        return
    if "next" in p.markers or "first" in prev.pred.markers:
        d.after.update(front)
        d.codes.append("O301")
        return
    if u.chained and prev.pred.tree.unit == t.unit - 1:
        d.after.update(front)
        d.codes.append("O301")
        return
    if d.role in _JOINING and len(front) > 1:
        d.after.update(front)
        d.codes.append("O308")
        return
    same_sentence = prev.pred.tree is t
    if same_sentence and _listed(t, prev.pred, p) and _announces_separate(st, t) and not _shares_topic(st, prev, d):
        st.lines.append((_line_start(st), k))
        d.codes.append("O317")  # "three quick things: order X, reply to Y, check Z": a list of errands
        return
    mine, theirs = _named_inputs(st, d), _named_inputs(st, prev)
    if same_sentence and mine and theirs and not mine & theirs and d.role not in _JOINING:
        d.codes.append("O316")  # "transcribe interview.mp3 and caption photo.png": two inputs, two branches
        return
    if same_sentence and _and_joined(t, prev.pred, p) and not _shares_topic(st, prev, d):
        d.codes.append("O312")  # "check the weather in Oslo and set an alarm": two errands
        return
    if same_sentence and _listed(t, prev.pred, p) and not (d.role in _GATHER and prev.role in _GATHER):
        d.after.update(front)
        d.codes.append("O311")
        return
    if _LIFECYCLE.get(d.role, 2) > _LIFECYCLE.get(prev.role, 2) and not (d.role in _GATHER and prev.role in _GATHER):
        d.after.update(front)
        d.codes.append("O306")
    elif prev.group is None and reworks(p, w) and looks_at_work(prev.pred, prev.role):
        d.after.add(k - 1)  # O367: "run it past HR; make changes": the changes answer that look
        d.codes.append("O367")


# Words that put the work after a new input in sequence with what comes before it.
_SEQUENCE = frozenset({"then", "after", "afterwards", "next", "once", "when", "finally", "using"})


def _files_in(st: _State, lo: int, hi: int) -> list[tuple[int, str]]:
    """(offset, lower-case name) of the user's files named in ``text[lo:hi]``."""
    out = []
    for s, e in st.front.data:
        if lo <= s and e <= hi:
            name = st.front.text[s:e].strip("`'\"").lower()
            if _FILE_NAME.fullmatch(name):
                out.append((s, name))
    return out


def _line_start(st: _State) -> int:
    """The first draft of the current line of work (0 before any O317 split)."""
    return st.lines[-1][1] if st.lines else 0


def _new_line(st: _State, k: int) -> bool:
    """O317: draft ``k`` opens on a file of its own after work on a different file."""
    d, prev = st.drafts[k], st.drafts[k - 1]
    # A "then" of the step's own ("dance.mp4 needs the audio enhanced and then cut") is
    # order inside the new line; only a sequence word before the new file (checked below)
    # ties the line to the work before it.
    if "first" in prev.pred.markers or d.role in _JOINING:
        return False
    verb_at = d.pred.tree.words[d.pred.i].start
    # The new file opens the step's own sentence or list item, or follows a ";" ("...;
    # dance.mp4 needs ..."); a name inside the step before's own words (its bracket,
    # a code identifier such as `vi.fn`) is not a new input.
    units = st.front.units
    gap_lo = prev.span[1]
    semi = st.front.view.rfind(";", gap_lo, verb_at)
    t = d.pred.tree
    own = t is not prev.pred.tree  # a sentence of its own
    if not own and semi < 0:
        return False
    lo = max(gap_lo, units[t.unit].start, t.words[0].start if own else semi + 1)
    fresh = _files_in(st, lo, verb_at)
    start = _line_start(st)
    if not fresh:
        return _semicolon_and(st, k, start)

    line_lo = min(units[st.drafts[start].pred.tree.unit].start, st.drafts[start].span[0])
    before = {n for _, n in _files_in(st, line_lo, prev.span[1])}
    if not before or before & {n for _, n in fresh}:
        return False
    # "then, using template.docx, write the letter": a sequence word before the new file
    gap = st.front.view[lo : fresh[0][0]].lower()
    if _SEQUENCE & set(_WORD.findall(gap)):
        return False
    st.lines.append((start, k))
    return True


_SEMI_AND = lazyre.compile(r";\s*and\s+(?:also\s+)?$", re.IGNORECASE)


# "Three quick things:", "two separate jobs:", "a couple of errands:" just before the requests;
# chat and non-native forms put a few words between the noun and the colon ("three things
# pls:", "2 jobs for today:", "couple of errands, all small:", "two things at same time:").
_ANNOUNCED = lazyre.compile(
    r"\b(two|three|four|five|a few|a couple of|couple of|several|[2-9])\s+(?:(?:quick|small|separate|unrelated|different|independent|little)\s+)?"
    r"(?:things|jobs|tasks|errands|requests)(?:[\s,]+[\w']+){0,3}\s*:\s*$",
    re.IGNORECASE,
)


_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "a couple of": 2, "couple of": 2, **{str(n): n for n in range(2, 10)}}


def _announces_separate(st: _State, t: Tree) -> bool:
    """The sentence opens by announcing several separate things, then lists them."""
    first = min(st.drafts[j].pred.tree.words[st.drafts[j].pred.i].start for j in range(len(st.drafts)) if st.drafts[j].pred.tree is t)
    head = st.front.view[t.words[0].start : first]
    colon = head.rfind(":")
    m = _ANNOUNCED.search(head[: colon + 1]) if colon >= 0 else None
    if m is None:
        return False
    # "Two things: transcribe a.mp3 and translate it, and also take b.mp4, pull out frames":
    # the lines already opened in the sentence ("also", O317) use up the count.
    count = _COUNTS.get(m.group(1).lower(), 99)
    opened = sum(1 for d in st.drafts if d.pred.tree is t and ("O317" in d.codes or "O307" in d.codes))
    return opened < count - 1


def _semicolon_and(st: _State, k: int, start: int) -> bool:
    """O317 without files: "make the card and email it to him; and book a taxi and add it to
    my calendar". A "; and" between two requests of two steps or more each, about
    different things, writes separate jobs side by side (a procedure is written with
    commas, "then" or a list, not "; and")."""
    d, prev = st.drafts[k], st.drafts[k - 1]
    if k - start < 2 or k + 1 >= len(st.drafts):
        return False
    gap = st.front.view[prev.span[1] : d.pred.tree.words[d.pred.i].start]
    if not _SEMI_AND.search(gap) or any(c in gap for c in ".?!\n"):
        return False
    if _refers_to_previous(d.pred.tree, d.pred, st.words)[0] or _names_earlier(st, k):
        return False
    mine = _topic(st, d)
    if any(mine & _topic(st, st.drafts[j]) for j in range(start, k)):
        return False
    st.lines.append((start, k))
    return True


def _line_ends(st: _State, k: int) -> list[int]:
    """The last step of every line of work that ends before draft ``k``."""
    first = st.lines[0][0]
    return [j for j in range(first, k) if not any(j in st.drafts[m].after for m in range(j + 1, k))]


def _joins_lines(st: _State, k: int) -> bool:
    """After separate lines, a step in a new sentence or item that works on 'them'/'both' or combines."""
    d = st.drafts[k]
    t = d.pred.tree
    last = st.drafts[st.lines[-1][1]]
    # a new list item or a new sentence (not a clause after ";" in the last line)
    before = st.front.view[: t.words[0].start].rstrip()
    if t is last.pred.tree or (t.unit == last.pred.tree.unit and before[-1:] not in (".", "?", "!")):
        return False
    back, plural = _refers_to_previous(t, d.pred, st.words)
    # "Then tell me the total": after separate lines, a "then" that opens a new sentence
    # follows all of them, not just the line written last.
    return (back and plural) or _says_both(t, d.pred, st.words) or d.role in _JOINING or "next" in d.pred.markers


_TOPIC_SKIP = frozenset({"it", "them", "this", "that", "the", "a", "an", "my", "our", "your", "me", "us", "for", "to", "of", "in", "on", "and", "with"})


def _named_inputs(st: _State, d: Draft) -> set[str]:
    """The files and addresses a step's own words name ("photo.png", "notes/q3.md"): its inputs."""
    lo, hi = d.span
    names = (st.front.text[s:e].strip("`'\"").lower() for s, e in st.front.data if lo <= s and e <= hi)
    return {n for n in names if _FILE_NAME.fullmatch(n)}


# A file of the user's own ("photo.png", "q3-notes.md"), not a package path or a domain with a path.
_FILE_NAME = lazyre.compile(r"[\w-]+\.[a-z][a-z0-9]{1,4}")


def _topic(st: _State, d: Draft) -> set[str]:
    t = d.pred.tree
    span = set(range(len(t)))
    words = [k for k in span if d.span[0] <= t.words[k].start < d.span[1] and k != d.pred.i]
    return {t.lemma(k) for k in words if t.words[k].upos in ("NOUN", "PROPN", "ADJ", "X") and t.lemma(k) not in _TOPIC_SKIP}


def _shares_topic(st: _State, a: Draft, b: Draft) -> bool:
    """Whether two steps speak of the same things (a noun or name in common)."""
    return bool(_topic(st, a) & _topic(st, b))


def _between(t: Tree, a: Pred, b: Pred) -> list[str]:
    """The words between the end of ``a``'s clause and ``b``'s verb ("and", ", then", ";")."""
    ai = a.anchor if a.anchor >= 0 else a.i
    bi = b.anchor if b.anchor >= 0 else b.i
    lo = max((k for k in t.subtree(ai, [bi]) if k < bi), default=ai)
    return t.lows(range(lo + 1, bi))


def _and_joined(t: Tree, a: Pred, b: Pred) -> bool:
    """The two clauses are joined by a bare "and" (no comma, no "then")."""
    gap = _between(t, a, b)
    return bool(gap) and gap[-1] in ("and", "&") and not any(x in (",", ";", "then", ":") for x in gap)


def _listed(t: Tree, a: Pred, b: Pred) -> bool:
    """The second clause follows the first after a comma, semicolon, colon or plus: a procedure."""
    gap = _between(t, a, b)
    return any(x in (",", ";", ":", "+", "->", "=>") for x in gap)


def _scope_name(st: _State, d: Draft) -> str | None:
    """The item a sentence is scoped to ("For DPD: retrain ..."), if any."""
    t = d.pred.tree
    root = t.root
    for k in [root, *t.children(root, "obl", "nmod", "dep", "parataxis", "vocative")]:
        if min(t.subtree(k)) == 0 and {t.low(c) for c in t.children(k, "case")} & {"for"} and t.words[k].upos in ("NOUN", "PROPN"):
            skip = [c for c in t.children(k) if t.rel(c) in ("case", "punct") or t.words[c].upos in ("VERB", "AUX")]
            inner = t.subtree(k, skip)
            if inner and k != d.pred.i:
                return t.phrase(st.front.text, inner)
    return None


# --- loops -------------------------------------------------------------------------

doc_only("L401", "until", "'until X' on repeatable work makes it a loop that stops when X holds.",
         """"Revise the draft until legal signs off": the revision repeats, and
         its stop condition is legal's sign-off.""")
doc_only("L402", "rounds", "'up to N rounds', 'N iterations', 'twice' bound a loop.",
         """The number bounds the repeating work: "two review rounds", "at
         most 3 passes", "iterate three times". Passes the sentence then names
         one by one ("in four passes: one for security, one for cost, ...")
         are that many pieces of work side by side, not rounds: no loop, and
         no advisor cue reads those words as repetition.""")
doc_only("L403", "review-cycle", "Rework after a review of the same thing, with words of repetition ('again', 'another round', 'iterate'), repeats review and rework.",
         """"Draft it, have Sam review it, revise, and repeat until it's
         clear": the review and the revision are one loop.""")

_UNTIL = re.compile(r"\b(?:until|till|untill|til)\b\s+([^.;!?\n]{1,200})", re.IGNORECASE)
# L402 also reads "a couple of rounds", "3 goes", "two full cycles": counts said in words and chat.
_ROUNDS = re.compile(
    r"\b(?:up to|at most|max(?:imum)?(?: of)?|no more than|for|over)?\s*(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|(?:a\s+)?couple\s+of)\s+(?:more\s+|full\s+|review\s+|feedback\s+|editing\s+)?(rounds?|passes|pass|iterations?|cycles?|times|goes)\b"
    r"|\b(twice|thrice)\b",
    re.IGNORECASE,
)


_AGAIN = lazyre.compile(r"\b(?:again|another (?:round|pass|go)|repeat|iterate|keep (?:going|revising|refining|improving|iterating))\b", re.IGNORECASE)


def _read_loops(st: _State) -> None:
    w = st.words
    text = st.front.view
    for k, d in enumerate(st.drafts):
        t = d.pred.tree
        lo, hi = t.start, t.end
        sentence = text[lo:hi]
        until_m = _UNTIL.search(sentence)
        rounds_m = _ROUNDS.search(sentence)
        is_rework = d.verb in w.rework or d.verb in w.repeat_verbs
        prev = st.drafts[k - 1] if k > 0 else None
        cycle = (
            is_rework and prev is not None and prev.role in ("review", "critique", "test") and _AGAIN.search(sentence) is not None
        )
        if not until_m and not rounds_m and not cycle:
            continue
        # L405: work said after the stop condition ("keep adjusting until it matches, then
        # apply the settings to the rest") comes after the loop: it neither holds the loop
        # nor ends the stop condition's words
        until_at = lo + until_m.start(1) if until_m and not rounds_m and not cycle else None
        if until_at is not None and d.span[0] >= until_at:
            continue
        # the loop sits on the last reworking draft of the sentence
        later = [j for j in range(k + 1, len(st.drafts)) if st.drafts[j].pred.tree is t]
        if until_at is not None:
            later = [j for j in later if st.drafts[j].span[0] < until_at]
        if later:
            continue
        steps = [str(k)]
        if prev is not None and prev.role in ("review", "critique", "test") and is_rework:
            steps = [str(k - 1), str(k)]
        rounds = None
        if rounds_m:
            raw = (rounds_m.group(1) or rounds_m.group(3) or "").lower()
            raw = "couple" if raw.endswith(" of") else raw  # L402: "a couple of rounds"
            rounds = w.times.get(raw) or w.number_words.get(raw) or (int(raw) if raw.isdecimal() else None)
        if rounds and rounds_m and not until_m and not cycle:
            # "in four passes: one for security, one for cost, ...": passes the sentence
            # names one by one are that many pieces of work side by side, not rounds
            sizes = {g.id: len(g.names) for g in st.groups}
            if any(e.group is not None and sizes.get(e.group) == rounds and e.pred.tree is t for e in st.drafts):
                st.counted_work.append(rounds_m.group(0).strip().lower())  # no cue reads them as rounds either
                continue
        until = st.front.text[lo + until_m.start(1) : lo + until_m.end(1)].strip().rstrip(",") if until_m else None
        if until_m is not None and until_at is not None:
            nxt = [e.span[0] for e in st.drafts[k + 1 :] if e.pred.tree is t and until_at <= e.span[0] < lo + until_m.end(1)]
            if nxt:
                cut = st.front.text[until_at : min(nxt)]
                until = _AFTER_LOOP_TAIL.sub("", cut).strip().rstrip(",") or until
                d.codes.append("L405")
        st.loops.append(Loop(steps=tuple(steps), rounds=rounds, until=until))
        d.codes.append("L401" if until_m else "L402" if rounds_m else "L403")


doc_only("O400", "rounds-said-apart",
         "'Draft it, have it critiqued, rewrite. Do that three times.': a sentence of its own that only counts rounds bounds the loop of the work before it.",
         """Writers often set the number of rounds after the loop, in a sentence
         with no work of its own: "Three passes, please.", "Two cycles
         should do.", "Plan for four rounds of this." L402 reads a count inside
         the sentence of the work; this count sits in a sentence no step was
         read from, so no loop was made. When no loop was read, or one with
         no bound ("..., and rewrite again"), such a sentence, after the work and with its count not told as past
         ("we did two rounds last year", "three times already"), bounds a loop
         on the last step before it, with the review before that step when
         the step reworks. A count in a sentence that holds work stays L402's.""")
# O400: words that tell a count as what happened, not as what to do.
_TOLD_COUNT = lazyre.compile(r"\b(?:did|done|had|was|were|tried|took|last|already|ago|before|previous|previously)\b", re.IGNORECASE)


def _rounds_said_apart(st: _State) -> None:
    """O400: "..., redo them. Three passes, please.": a count in a sentence with no step bounds a loop
    on the last step before it, when no loop was read."""
    if len(st.loops) > 1 or (st.loops and st.loops[0].rounds is not None) or not st.drafts:
        return
    text = st.front.view
    spans = [(d.pred.tree.start, d.pred.tree.end) for d in st.drafts]
    for m in _ROUNDS.finditer(text):
        at = m.start()
        if any(a <= at < b for a, b in spans):
            continue
        lo = max(text.rfind(c, 0, at) for c in ".!?\n") + 1
        hi = min((x for x in (text.find(c, m.end()) for c in ".!?\n") if x >= 0), default=len(text))
        if _TOLD_COUNT.search(text[lo:hi]) or hi - lo > 90:
            continue
        before = [k for k, d in enumerate(st.drafts) if d.span[1] <= at]
        if not before:
            continue
        k = before[-1]
        d, prev = st.drafts[k], st.drafts[k - 1] if k > 0 else None
        raw = (m.group(1) or m.group(3) or "").lower()
        raw = "couple" if raw.endswith(" of") else raw
        rounds = st.words.times.get(raw) or st.words.number_words.get(raw) or (int(raw) if raw.isdecimal() else None)
        if not rounds:
            continue
        if st.loops:
            # "..., and rewrite again. Two cycles.": the loop the words of repetition made gets its bound
            st.loops[0] = replace(st.loops[0], rounds=rounds)
            d = st.drafts[int(st.loops[0].steps[-1])]
        else:
            reworks = d.verb in st.words.rework or d.verb in st.words.repeat_verbs
            steps = [str(k - 1), str(k)] if prev is not None and prev.role in ("review", "critique", "test") and reworks else [str(k)]
            st.loops.append(Loop(steps=tuple(steps), rounds=rounds, until=None))
        d.codes.append("O400")
        return


# The joining words between a stop condition and the work after the loop ("..., then", "and then").
_AFTER_LOOP_TAIL = lazyre.compile(r"(?:[,;]?\s*(?:and\s+)?(?:then|after that|afterwards)?\s*)$", re.IGNORECASE)
doc_only("L405", "work-after-the-loop",
         "In 'keep adjusting until it matches, then apply the settings to the rest' the last request comes after the loop: the loop sits on the adjusting, and the stop condition ends before 'then'.",
         """The stop condition of "until" runs to the sentence's end, and the loop
         sits on the sentence's last step. A request after the stop condition
         ("..., then apply the same settings to the other three") is work done
         once the loop ends: the loop goes on the last step before "until", and
         the stop condition's words end where that request begins.""")


# --- finishing ---------------------------------------------------------------------------


# T017: pronouns that are also acronyms ("IT", "US"), kept in an item's step id when written in capitals
_ACRONYM_PRONOUNS = frozenset({"IT", "US"})


def _slug(words: Sequence[str], n_words: int, max_chars: int, digits: bool = False, keep: frozenset[str] = frozenset()) -> str:
    clean = [
        re.sub(r"[^a-z0-9]+", "", unicodedata.normalize("NFKD", x).encode("ascii", "ignore").decode().lower())
        for x in words
    ]
    clean = [x for x in clean if x]
    if not clean:
        return "step"
    head, rest = clean[0], clean[1:]
    # "migrate-migration" says nothing twice: words that share the verb's stem are left out
    content = [
        x for x in rest
        if (x in keep or (x not in _SLUG_SKIP and x not in _SLUG_RANKS)) and (digits or not x.isdigit()) and x != head and not (len(head) >= 5 and x[:5] == head[:5])
        and not _inflects(x, head)
    ][:n_words]
    return "-".join([head, *content])[:max_chars].strip("-") or "step"


# Endings that make a short verb's own forms ("file" -> "filing", "sort" -> "sorted",
# "fix" -> "fixes", "stop" -> "stopping"): a step id says its verb once.
_INFLECTIONS = ("ing", "ed", "es", "s", "d")


def _inflects(word: str, verb: str) -> bool:
    """Whether ``word`` is ``verb`` with an inflection ending ("filing" of "file", "stopped" of "stop")."""
    stem = verb[:-1] if verb.endswith("e") else verb
    for base in (stem, verb + verb[-1:]):
        if word.startswith(base) and word[len(base):] in _INFLECTIONS:
            return True
    return False


def _ids(st: _State) -> None:
    seen: dict[str, int] = {}
    cfg = st.settings
    for d in st.drafts:
        if d.item is not None:
            words = [d.verb, *_WORD.findall(d.item)]
        elif "S123" in d.codes or (d.pred.kind == "wanted" and "S122" in d.codes):
            words = [d.verb, *_WORD.findall(d.text)]  # "make-word-cloud": the thing made names the step
        elif _passive_step(d.pred):
            # "thereafter it should be redrafted": the passive's frame names nothing
            said = [x for x in _WORD.findall(d.obj or d.text) if x.lower() not in load_passive_words().frame]
            words = [d.verb, *said[: cfg.id_words + 3]]
        else:
            words = [d.verb, *_WORD.findall(d.obj or d.text)[: cfg.id_words + 3]]
            if d.obj and _WORD.findall(d.obj) and _WORD.findall(d.obj)[0].lower() in st.words.pronouns:
                # "want its intro trimmed": the object's own words, its pronoun left out
                words = [d.verb, *_WORD.findall(d.obj)[1:]] if "S122" in d.codes else [d.verb, *_WORD.findall(d.text)[1:]]
        # an item's numbers name it ("INC-882", "sprint 41"); elsewhere they are versions or amounts
        # an item written in capitals ("IT", "US", T017) is a name, though its letters spell a skipped word,
        # and so is an item with no other words ("the us")
        named = [x.lower() for x in _WORD.findall(d.item)] if d.item is not None else []
        keep = frozenset(x.lower() for x in _WORD.findall(d.item or "") if x in _ACRONYM_PRONOUNS)
        if named and all(x in _SLUG_SKIP for x in named):
            keep = frozenset(named)
        base = _slug(words, cfg.id_words, cfg.id_chars, digits=d.item is not None, keep=keep)
        n = seen.get(base, 0) + 1
        seen[base] = n
        d.id = base if n == 1 else f"{base}-{n}"[: cfg.id_chars + 3]


def _facts(st: _State, steps: Sequence[TaskStep] = (), apart: bool = False, suspects: tuple[str, ...] = ()) -> TextFacts:
    prose = " ".join(st.front.text[u.start : u.end] for u in st.front.units)
    words = len(_WORD.findall(prose))
    sentences = max(1, len(st.trees)) if prose.strip() else 0
    question = prose.rstrip().endswith("?") and prose.count("?") == 1 and words <= 25
    per_tree: dict[int, int] = {}
    for p in st.preds:
        per_tree[id(p.tree)] = per_tree.get(id(p.tree), 0) + 1
    actions = max(per_tree.values(), default=0)
    lemmas = sorted({t.lemma(i) for t in st.trees for i in range(len(t)) if t.lemma(i).isalpha()})
    pairs: set[str] = set()
    for t in st.trees:
        seq = [lemma for lemma in (t.lemma(i) for i in range(len(t))) if lemma.isalpha()]
        pairs.update(f"{a} {b}" for a, b in itertools.pairwise(seq))
    return TextFacts(chars=len(st.front.text), words=words, sentences=sentences, question=question,
                     truncated=st.front.truncated, actions=actions if actions >= 2 else 0,
                     lemmas=tuple(lemmas), lemma_pairs=tuple(sorted(pairs)), apart=apart, suspects=suspects,
                     versions=tuple((s.id, n) for s in steps if (n := counted_options(s.text)) is not None))


def _unquoted(st: _State) -> None:
    """I382: an item written in quote marks is named without them, in its steps and its group."""
    for d in st.drafts:
        if d.item is not None and (bare := unquoted(d.item)) != d.item:
            d.item = bare
            d.codes.append("I382")
    st.groups = [replace(g, names=tuple(unquoted(n) for n in g.names)) if any(n[:1] in QUOTES for n in g.names) else g for g in st.groups]


def _finish(st: _State, cues: CueFinder | None) -> TaskGraph:
    _unquoted(st)
    _ids(st)
    index = {k: d.id for k, d in enumerate(st.drafts)}
    if not st.drafts and st.text.strip():
        return _whole_text(st, cues)
    # An item step stands where its item is named, unless "each" points back to a list
    # written before an earlier step ("Regions: A, B. Check the config. Then snapshot
    # each."): then it stands at its own words, so the steps stay in text order.
    spans: list[tuple[int, int]] = []
    for d in st.drafts:
        at = d.item_span or d.span
        if d.item_span is not None and spans and at[0] < spans[-1][0]:
            verb = d.pred.tree.words[d.pred.i]
            if verb.start >= spans[-1][0]:
                at = (verb.start, verb.end)
        spans.append(at)
    steps = tuple(
        TaskStep(
            id=d.id, text=d.item if d.item is not None else d.text, span=spans[k], verb=d.verb,
            role=d.role, cues=tuple(dict.fromkeys(d.codes)), group=d.group, object=d.obj, item=d.item, stage=d.stage,
        )
        for k, d in enumerate(st.drafts)
    )
    g = nx.DiGraph()
    g.add_nodes_from(s.id for s in steps)
    for k, d in enumerate(st.drafts):
        for j in sorted(d.after):
            if j in index and j != k:
                g.add_edge(index[j], d.id)
    # the graph must stay acyclic whatever the readings said: drop back edges by text order
    pos = {d.id: k for k, d in enumerate(st.drafts)}
    for u, v in list(g.edges):
        if pos[u] > pos[v] and not nx.is_directed_acyclic_graph(g):
            g.remove_edge(u, v)
    while not nx.is_directed_acyclic_graph(g):
        cycle = nx.find_cycle(g)
        g.remove_edge(*max(cycle, key=lambda e: pos[e[0]]))
    if g.number_of_edges():
        # one edge per direct need: a wait implied by two others adds nothing
        reduced = nx.transitive_reduction(g)
        # the reduction walks sets of step ids: put its edges back in step order, so
        # every consumer (the diagram first) sees them in the same order on every run
        g = nx.DiGraph()
        g.add_nodes_from(d.id for d in st.drafts)
        g.add_edges_from(sorted(reduced.edges, key=lambda e: (pos[e[1]], pos[e[0]])))
    groups = []
    for grp in st.groups:
        members = tuple(d.id for d in st.drafts if d.group == grp.id and (d.stage in (None, 0)))
        # options no work was said for are named without steps (no verb: see _read_items)
        if not members and not (grp.kind == "approaches" and grp.names and grp.verb is None):
            continue
        stages: tuple[tuple[str, ...], ...] = ()
        if grp.kind == "streams":
            stages = tuple(
                tuple(d.id for d in st.drafts if d.group == grp.id and d.item == name)
                for name in grp.names
            )
        groups.append(replace(grp, steps=members, stages=stages))
    loops = []
    for lp in st.loops:
        ids = tuple(index[int(x)] for x in lp.steps if x.isdecimal() and int(x) in index)
        if ids:
            loops.append(replace(lp, steps=ids))
    for d in st.drafts:
        for c in dict.fromkeys(d.codes):
            st.fired.append(Fired(c, d.span, d.id))
    prose = "\n".join(st.front.view[u.start : u.end] for u in st.front.units)
    found_cues = dict(cues(prose)) if cues is not None else {}
    # Words read as counted pieces of work ("four passes" named one by one) are no cue.
    if st.counted_work:
        found_cues = {
            cat: tuple(p for p in phrases if not any(p.lower() in c for c in st.counted_work))
            for cat, phrases in found_cues.items()
        }
    signals = _signals(st, steps, g, loops)
    apart = apart_span(st.trees, st.words) if st.groups else None  # O318: only parallel work is kept apart
    if apart is not None:
        st.fired.append(Fired("O318", apart))
    suspected = suspects_in(st.trees, st.words, st.front.text)  # C200
    if suspected is not None:
        st.fired.append(Fired("C200", suspected[0]))
    return TaskGraph(
        text=st.text, steps=steps, graph=g, signals=signals, parallel=tuple(groups), loops=tuple(loops),
        cues=found_cues, facts=_facts(st, steps, apart is not None, suspected[1] if suspected else ()),
        fired=tuple(st.fired), notes=tuple(st.notes),
    )


def _whole_text(st: _State, cues: CueFinder | None) -> TaskGraph:
    """S199: one step for a text in which nothing reads as work."""
    text = st.front.text
    units = st.front.units
    if units:
        # the prose only: a bug report's title, never its code or traceback
        first = units[0]
        lo, hi = first.start, first.end
        prose = " ".join(text[u.start : u.end] for u in units)
    else:
        lo = len(text) - len(text.lstrip())
        hi = max(len(text.rstrip()), lo)
        prose = text[lo:hi]
    span = (lo, hi)
    role = (st.classify(prose) if st.classify is not None else None) or st.settings.fallback_role
    step = TaskStep(id="task", text=" ".join(prose.split())[:200], span=span, verb=None, role=role, cues=("S199",))
    g = nx.DiGraph()
    g.add_node(step.id)
    st.notes.append("Nothing in the text reads as a request for work; it is read as one step.")
    st.fired.append(Fired("S199", span, step.id))
    prose = "\n".join(st.front.view[u.start : u.end] for u in st.front.units)
    from planner.parser.model import SIGNAL_CATEGORIES

    return TaskGraph(
        text=st.text, steps=(step,), graph=g, signals={c: () for c in SIGNAL_CATEGORIES},
        # options named with no work said on them stay named (I270-I289, I340-I343): groups of no steps
        parallel=tuple(grp for grp in st.groups if not grp.steps),
        cues=dict(cues(prose)) if cues is not None else {}, facts=_facts(st), fired=tuple(st.fired), notes=tuple(st.notes),
    )


def _signals(st: _State, steps: tuple[TaskStep, ...], g: nx.DiGraph, loops: list[Loop]) -> dict[str, tuple[str, ...]]:
    from planner.parser.model import SIGNAL_CATEGORIES

    out: dict[str, tuple[str, ...]] = {c: () for c in SIGNAL_CATEGORIES}
    codes = [c for s in steps for c in s.cues]
    if any(c in ("O301", "O302", "O303", "O310") for c in codes):
        out["sequence"] = ("then",)
    if any(c in ("I201", "I202", "I203", "I204", "I205", "O307") for c in codes):
        out["parallel"] = tuple(dict.fromkeys(g.kind for g in st.groups)) or ("independent",)
    if any(g.in_degree(v) >= 2 for v in g):
        out["join"] = ("join",)
    if loops:
        out["iteration"] = ("loop",)
        out["stop_condition"] = tuple(lp.until for lp in loops if lp.until)
    out["count"] = tuple(str(grp.count) for grp in st.groups if grp.counted)
    if st.front.truncated or any("only the first" in n for n in st.notes):
        out["truncated"] = tuple(n for n in st.notes if "first" in n)
    roles = [s.role for s in steps]
    stages = [(_LIFECYCLE.get(r, -1), r) for r in roles]
    if len({s for s, _ in stages}) >= 2 and all(a[0] <= b[0] for a, b in itertools.pairwise(stages)):
        out["lifecycle"] = tuple(dict.fromkeys(r for _, r in stages))
    return out


doc_only("S119", "at-least-one-step", "A task in which the step model accepts nothing gets its likeliest request as its one step.",
         """Short requests wrapped in politeness ("I'd like you to translate
         the notes", "we need to migrate the table") sit near the model's
         threshold; a task asks for something, so the strongest candidate
         the readings found becomes its step (never one the readings give no
         evidence for).""")
doc_only("S121", "your-timed-work", "A time clause of the reader's own work with a thing to work on ('after you do the migration', 'before you deploy the build') is a step.",
         """"After you do the migration, check the app" asks for the
         migration too, and orders it first; "after the build is done" or
         "once it is built" only says when (S112).""")
doc_only("T001", "size-cap", "Only the first max_chars characters (rules/parse.toml) are read.",
         """A pasted log or document is not a task description; reading a
         bounded prefix keeps parsing time bounded.""")
doc_only("S199", "no-work", "When nothing reads as work, the whole text is one step.",
         """Only code, only punctuation, or a statement with no request: one
         agent reads it, rather than the parser inventing branches.""")
