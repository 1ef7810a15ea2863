"""The order work happens in, when the text does not list it that way.

Role stages (find, design, build, test, review, decide), clause reordering for
"before"/"after" and for gathering that is named after the work it informs,
and the sentences that introduce or summarise rather than ask: titles before
a colon, goal sentences, list intros and lists of facts.
"""

from __future__ import annotations

from planner.parser.flow import SLUG_SKIP, mention_words, products, worked_on
from planner.parser.lexicon import Lexicon
from planner.parser.segment import Clause, Sentence, strip_lead, verb_at

GATHER_ROLES = frozenset({"explore", "scout"})


JUDGE_ROLES = frozenset({"review", "critique", "compare", "decide"})


COMBINE_ROLES = frozenset({"synthesize", "integrate"})


# Lifecycle stage of each role: find -> design -> build -> test -> review -> decide.
STAGE = {
    "explore": 0, "scout": 0, "design": 1, "implement": 2, "draft": 2, "test": 3,
    "review": 4, "critique": 4, "compare": 5, "decide": 5, "synthesize": 5, "integrate": 5,
}


def reorder_before_after(parts: list[Clause]) -> list[Clause]:
    """Put clauses in the order the work happens.

    "Before deploying, run the tests" and "implement it after designing it"
    name the later work first.
    """
    out = list(parts)
    k = 0
    while k + 1 < len(out):
        a, b = out[k], out[k + 1]
        if "before" in a.lead[:2] and a.verb is not None and b.verb is not None and k == 0:
            out[k], out[k + 1] = b, a
            k += 2
            continue
        if "after" in b.lead[:1] and b.verb is not None and a.verb is not None:
            out[k], out[k + 1] = b, a
            k += 2
            continue
        k += 1
    return out


_ORDER_LEADS = frozenset(
    {"then", "next", "finally", "afterwards", "afterward", "lastly", "subsequently", "after that",
     "after this", "and then", "and finally", "only then", "first", "firstly", "second", "before",
     "after", "once", "when", "in the end", "at the end"}
)


def lifecycle_order(lex: Lexicon, parts: list[Clause]) -> list[Clause]:
    """With no ordering word, finding out comes before acting on it.

    "Write the report and research the vendors" is done the other way round:
    in a two-step sentence, a gathering clause that follows a making or
    judging one, with no cue and no reference back to it, moves in front.
    """
    out = list(parts)
    if sum(1 for c in out if c.verb is not None) != 2:
        return out  # a longer list of steps is most often already in the order meant
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if a.verb is None or b.verb is None or set(a.lead) & _ORDER_LEADS or set(b.lead) & _ORDER_LEADS:
            continue
        if any(w in {"also", "additionally"} for lead in b.lead for w in lead.split()):
            continue  # "write the report, and I also want to research X": an extra request, not its groundwork
        if not any(t.is_word for t in a.tokens[(a.verb_index or 0) + 1 :]):
            continue  # "sharpen and classify the photo": one object, in the order given
        role_a, role_b = lex.role_of(a.verb), lex.role_of(b.verb)
        if role_b not in GATHER_ROLES or role_a is None or role_a in GATHER_ROLES:
            continue
        after_verb = [t.low for t in b.tokens[(b.verb_index or 0) + 1 : (b.verb_index or 0) + 2]]
        if after_verb == ["which"]:
            continue  # "build two versions and measure which is faster": the look judges them
        if a.verb_index == len(a.tokens) - 1 and b.connector == "and":
            continue  # "crop and caption the photo": one object, worked on in the order said
        words_b = {t.low for t in b.tokens}
        if words_b & {"it", "them", "its", "their", "this", "that", "these", "those", "result", "results"}:
            continue  # "write the report and check it": the check needs the report
        if products(lex, a.verb, a.tokens[(a.verb_index or 0) + 1 :]) & (mention_words(" ".join(t.text for t in b.tokens)) | words_b):
            continue
        # "Recolour the cars and count the cars": a look at what the first
        # clause changes looks at the changed thing, so the text order holds
        # ("rewrite the intro and research intro styles" looks at styles).
        if a.verb not in lex.inspect and _object_head(b) in worked_on(a.tokens[(a.verb_index or 0) + 1 :]):
            continue
        out[k], out[k + 1] = b, a
    return out


def _object_head(clause: Clause) -> str:
    """The last noun of the phrase after the verb: "detect all cars in the scene" -> cars."""
    head = ""
    for t in clause.tokens[(clause.verb_index or 0) + 1 :]:
        if not t.is_word or t.low in _OBJECT_END:
            break
        if t.low not in SLUG_SKIP:
            head = t.low
    return head


_OBJECT_END = frozenset({"of", "for", "in", "on", "at", "with", "from", "to", "into", "by", "about", "and", "or", "that", "which", "using"})


def title_clause(parts: list[Clause]) -> int | None:
    """"Implement the feature: find ..., design ..., build ...": the first clause names the whole."""
    if (
        len(parts) >= 3
        and parts[0].ends_with_colon
        and parts[0].verb is not None
        and sum(1 for p in parts[1:] if p.verb is not None) >= 2
    ):
        return 0
    return None


_WISH = frozenset(
    {"we need to", "i need to", "i want to", "we want to", "i would like to", "i'd like to",
     "we'd like to", "we would like to", "the goal is to", "your task is to", "the task is to",
     "want to", "would like to", "need to", "wish to"}
)


def is_goal(parts: list[Clause], first_later: bool) -> bool:
    """A sentence that states the goal before a later one spells out the steps.

    "We need to add WebSocket support, but ... Explore it first, then build
    the feature": the first sentence names the work the second one orders.
    """
    steps = [c for c in parts if c.verb is not None]
    return bool(steps) and first_later and all(set(c.lead) & _WISH for c in steps)


def wishes_general_look(lex: Lexicon, parts: list[Clause]) -> bool:
    """A sentence whose one request is a wish for a general look: "I would like to analyze this image".

    Followed by a request that lists the work ("Please estimate the depth,
    then answer ..."), it names the goal of that work, not a step of its
    own. A wish inside a relative clause ("an article which I'd like to
    understand") describes the thing; the general verbs are data
    ([forms] general_looks in rules/lexicon.toml).
    """
    steps = [c for c in parts if c.verb is not None]
    if len(steps) != 1:
        return False
    step = steps[0]
    lead = set(step.lead)
    after = [t.low for t in step.tokens[(step.verb_index or 0) + 1 : (step.verb_index or 0) + 2]]
    # "I want to make sure it has no errors. Please check ...": a wish to be sure is a look too
    looks = step.verb in lex.forms.get("general_looks", frozenset()) or (step.verb == "make" and after == ["sure"])
    return bool(lead & _WISH) and not lead & _RELATIVE and looks


_RELATIVE = frozenset({"which", "that", "who"})
# Openers of a request addressed to the reader ("Please ...", "Can you ...").
_ASKS = frozenset({"please", "kindly", "can you", "could you", "would you", "help me"})


def request_follows(parts: list[Clause]) -> bool:
    """Whether a sentence opens with a request to the reader that asks for work."""
    steps = [c for c in parts if c.verb is not None]
    return bool(steps) and bool(set(steps[0].lead) & _ASKS)


_TASK_NOUNS = frozenset({"tasks", "task", "steps", "todo", "todos", "to-do", "to-dos", "checklist", "actions", "items", "work"})


def lists_that_ask(lex: Lexicon, sents: list[Sentence]) -> dict[int, bool]:
    """Whether each list's verbless items are work: yes when half its items are
    imperatives, when it follows a sentence ending in ":" with a verb or a word
    like "tasks", or when the text has no prose outside lists; a list of facts
    in a bug report ("- Tested on macOS") is none of these."""
    items: dict[int, list[bool]] = {}
    intro: dict[int, bool] = {}
    outside = False
    for k, sent in enumerate(sents):
        if sent.list_id is None:
            outside = outside or not sent.title
            continue
        if sent.first_of_item:
            j = strip_lead(lex, sent.tokens, 0)[0]
            items.setdefault(sent.list_id, []).append(verb_at(lex, sent.tokens, j, initial=True) is not None)
        if sent.list_id not in intro:
            prev = sents[k - 1] if k else None
            intro[sent.list_id] = prev is not None and prev.list_id is None and prev.tokens[-1].text == ":" and (
                any(lex.base_form(t.low) is not None for t in prev.tokens[:4])
                or any(t.low in _TASK_NOUNS for t in prev.tokens)
            )
    return {
        lid: (not outside) or intro.get(lid, False) or 2 * sum(flags) >= len(flags)
        for lid, flags in items.items()
    }


def introduces_list(sents: list[Sentence], k: int) -> bool:
    """A sentence ending in ":" before a list: its items are the steps."""
    if sents[k].list_id is not None or sents[k].tokens[-1].text != ":" or k + 1 >= len(sents):
        return False
    return sents[k + 1].list_id is not None and sents[k + 1].first_of_item
