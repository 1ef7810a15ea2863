"""K600: a condition said first, on a fact of the world, is looked up first.

"If it snows tonight, cancel the taxi", "if there's less than £50 in the
account after rent, skip the order": the command depends on a fact that no
step of the text finds (the forecast, the balance, how late a train is).
The assistant has to look it up before it can decide, so the look-up is a
step of its own before the command, and the command waits for it. Said
after a step that finds it ("check the train, and if it's late, text Sam")
the condition is that step's result, and nothing is added; said after the
command ("book it if it's under £60") it is a limit on the command, and
nothing is added either.

The fact is one the services know: the weather, money in an account or an
amount, a journey's timing, a delivery (``[looked_up] facts`` in
``rules/parse.toml``), and it is asked of now: at a moment ("tonight", "on
Saturday"), as a future said outright ("going to"), of a service's own
record ("the forecast", "the account") or against an amount ("over £200")
(``[looked_up] moments``). "If it rains, cancel the picnic" is a rule for
whenever it happens, with nothing to look up now; a condition about the
work itself ("if the tests fail, fix them") names no such fact. Both stay
conditions (S106).
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.clauses import Pred
from planner.parser.readings import doc_only
from planner.parser.tree import Tree
from planner.parser.words import parse_word_sets

doc_only(
    "K600", "condition-looked-up",
    "'If it snows tonight, cancel the taxi': a condition said first on a fact no step finds (the weather, a balance, a delay) is a look-up step before the command.",
    """A sentence that opens with a condition ("if", "unless") on a fact
    of the world the assistant must find out (the weather, money in an
    account or an amount, a journey's timing, a delivery: `[looked_up]
    facts` in `rules/parse.toml`) and then asks for work asks for the
    look-up first: the condition is a step, and the command waits for it.
    The fact must be asked of now: a moment ("tonight"), "going to", a
    service's record ("the forecast") or an amount ("over £200"); "if it
    rains, cancel the picnic" is a standing rule. Not when an earlier
    step already finds something ("check the train,
    and if it's late, text Sam"), not for a condition said after its
    command ("book it if it's under £60"), and not for a condition on the
    work itself ("if the tests fail, fix them").""",
)

_OPEN = frozenset({"if", "unless"})
# words a sentence may open with before its condition ("so if ...", "oh and if ...")
_LEAD = frozenset({"so", "oh", "and", "ok", "okay", "also", "then", "but", "please", "now", "just", ","})
# words that end a condition said without a comma before the command ("... tomorrow just book")
_TRAIL = frozenset({"just", "please", "then", "pls", "so", ","})


def looked_up_condition(t: Tree, found: Sequence[Pred], earlier: Sequence[Pred]) -> Pred | None:
    """K600: the look-up step for a condition that opens the sentence, or None."""
    if not found:
        return None
    a = 0
    while a < len(t) and t.low(a) in _LEAD:
        a += 1
    if a >= len(t) - 2 or t.low(a) not in _OPEN:
        return None
    facts, finding, moments = parse_word_sets("looked_up", "facts", "finding_verbs", "moments")
    if any(p.verb in finding or p.kind == "question" for p in earlier):
        return None
    heads = sorted(k for p in found for k in (p.i, p.anchor) if k > a)
    if not heads or any(0 <= k < a for p in found for k in (p.i, p.anchor)):
        return None
    comma = next((k for k in range(a + 1, heads[0]) if t.low(k) == ","), None)
    b = comma if comma is not None else heads[0]
    while b > a + 1 and t.low(b - 1) in _TRAIL:
        b -= 1
    if b - a < 3 or not any(t.low(k) in facts or t.lemma(k) in facts for k in range(a + 1, b)):
        return None
    if not any(t.words[k].upos in ("VERB", "AUX") for k in range(a + 1, b)):
        return None
    if not any(t.low(k) in moments or t.words[k].upos in ("NUM", "SYM") or t.low(k) in ("£", "$", "€") for k in range(a + 1, b)):
        return None  # "if it rains, cancel the picnic": a rule for whenever it happens, nothing to look up now
    head = t.head(a)
    head = head if head is not None and a < head < b else next(k for k in range(a + 1, b) if t.words[k].upos in ("VERB", "AUX"))
    return Pred(t, head, "check", "question", ["K600"], part=(a, b))
