"""What a reply means for its step: the engine-neutral part of running a step.

Both engines (the local scheduler and the dbos workflows) call the backend
their own way, with their own record, retries and budget; what a reply then
means is decided here, once, so a plan behaves the same on either engine:

* :func:`judge` reads one reply of one round: its ``STATUS`` line for an
  ``until`` step, its JSON against the step's ``output`` contract (a reply
  that breaks it is asked for once more, with the reason; a second one fails
  the step), and whether the step is done or goes on to another round;
* a ``for_each`` step runs once per item under the item's name
  (:func:`item_id`, :func:`item_step`), and its result is the JSON list of
  the items' results (:func:`fan_out_output`).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from planner.plan.contracts import check_reply
from planner.plan.model import Step
from planner.runner.prompt import says_done, strip_status

# Verdicts on one reply.
DONE = "done"  # the step's result: no more rounds
NEXT = "next"  # a round of a repeating step: run the next one with this as its previous
REPAIR = "repair"  # broke the output contract: ask once more, same round, with the reason
FAIL = "fail"  # broke it again: the step fails


@dataclass(frozen=True)
class Verdict:
    kind: str
    # The round's result (JSON rewritten as JSON under a contract, the STATUS line
    # dropped for an until step) for DONE and NEXT; the reason for REPAIR and FAIL.
    text: str


def bound_of(step: Step, until_max_rounds: int) -> int:
    """How many rounds the step may run."""
    return step.max_rounds or (until_max_rounds if step.until else 1)


def judge(step: Step, reply: str, *, round_no: int, bound: int, repairing: bool) -> Verdict:
    """What ``reply`` (round ``round_no`` of at most ``bound``) means for ``step``.

    ``repairing``: this reply answered a request to repair the previous one.
    """
    text = strip_status(reply) if step.until else reply
    if step.output is not None:
        value, why = check_reply(step.output, text)
        if why is not None:
            if not repairing:
                return Verdict(REPAIR, why)
            return Verdict(FAIL, f"the reply does not satisfy the output schema, twice: {why}")
        text = json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    if round_no >= bound or (step.until is not None and says_done(reply)):
        return Verdict(DONE, text)
    return Verdict(NEXT, text)


def repair_warning(step_id: str, why: str) -> str:
    """The warning event's message when a reply breaks the output contract."""
    return f"{step_id}: reply breaks the output schema ({why}); asking again"


def item_id(step_id: str, number: int) -> str:
    """The record's name for one run of a for_each step: ``migrate[3]`` (no step id has '[')."""
    return f"{step_id}[{number}]"


def parse_item_id(name: str) -> tuple[str, int] | None:
    """``migrate[3]`` -> ("migrate", 3); None for a plan step's id."""
    if not name.endswith("]") or "[" not in name:
        return None
    step_id, _, number = name[:-1].rpartition("[")
    return (step_id, int(number)) if number.isdigit() else None


def item_step(step: Step, iid: str) -> Step:
    """The step as one item of its fan-out runs it, under the item's name.

    Built by copying rather than through ``Step(...)``: ``migrate[3]`` is not a
    plan id on purpose (no plan step can take it), so the id rule that guards
    plans built in code does not apply to it.
    """
    one = copy.copy(step)
    object.__setattr__(one, "id", iid)
    object.__setattr__(one, "for_each", None)
    return one


def item_value(text: str, structured: bool) -> Any:
    """An item's result in the step's JSON list: its JSON value under a contract, else its text."""
    if structured:
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


def fan_out_output(results: Sequence[str], structured: bool) -> str:
    """A for_each step's result: its items' results, in item order, as a JSON list."""
    return json.dumps([item_value(t, structured) for t in results], ensure_ascii=False, indent=2) + "\n"


def fan_out_error(errors: dict[int, str], count: int) -> str:
    """A for_each step's error when some of its ``count`` items failed (item number -> error)."""
    first = min(errors)
    return f"{len(errors)} of {count} items failed; item {first}: {errors[first]}"
