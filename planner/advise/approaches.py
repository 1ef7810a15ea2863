"""Competitive evaluation when the parse names no options.

``build_competitive`` takes its approaches from the parse's groups when the
text names them. When it does not, this module decides three things from the
TaskGraph's steps (never from the task text):

- **which step is the work on each approach**: a step the text counts
  ("prototype both", "write two versions", "try a couple of designs"), a
  question about the best way with the judging after it ("what's the best way
  to shard the table? weigh the alternatives ..."), or none (the approaches
  then work on the task as a whole);
- **how many approaches**: the count the text gives, else the effort default;
- **how they differ**: parallel agents handed the same prompt converge on the
  same first idea, so when the text neither names nor counts the options each
  approach gets a lens of its own (``[competitive] lenses``) and the plan says
  plainly that the split is the advisor's, not the text's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from planner.advise.build import clean

if TYPE_CHECKING:
    from planner.advise.build import BuildContext, Unit


class Open(NamedTuple):
    """The approaches to make: their labels and objectives, and a note for the rationale."""

    labels: list[str]
    objectives: list[str]
    note: str


def _words(text: str) -> list[str]:
    return [w.strip(",.;:!?()'\"").lower() for w in text.split()]


def _vague_count(sec: dict[str, Any], said: str) -> int | None:
    """"a couple of designs" -> 2: the count a step's object opens with, in words a number does not say."""
    low = " ".join(_words(said))
    for phrase, n in sorted(((str(k), int(v)) for k, v in sec.get("vague_counts", {}).items()), key=lambda kv: -len(kv[0])):
        if low == phrase or low.startswith(f"{phrase} "):
            return n
    return None


def _names_options(sec: dict[str, Any], said: str) -> bool:
    """The words speak of ways or options without listing them ("the best way to shard it")."""
    nouns = {str(x).lower() for x in sec.get("option_nouns", [])}
    return any(w in nouns or w.removesuffix("s") in nouns for w in _words(said))


def work_on_each(ctx: BuildContext, units: list[Unit], sec: dict[str, Any]) -> tuple[Unit | None, int | None]:
    """The step that is the work done once per approach, and the count its words give.

    Only steps the earlier rules left alone reach here (no "both", no counted
    versions, no listed names): a step whose object opens with a vague count
    ("try a couple of designs"), whatever its kind, since its count says the
    work is done several times; else the first step before any judging that
    speaks of ways or options ("what's the best way to shard the table?"),
    whose subject every approach works on."""
    steps = {st.id: st for st in ctx.tg.steps}
    comparing = {str(x).lower() for x in sec.get("compare_verbs", [])}
    judging = [k for k, u in enumerate(units) if ctx.kind(u.role) in ("judge", "combine")]
    for k, u in enumerate(units):
        st = steps.get(u.key)
        if st is None or u.item is not None:
            continue
        n = _vague_count(sec, st.object)
        if n is None:
            continue
        # "compare a few vendors" is the comparison itself, not the work on each;
        # "try a couple of designs, then choose" is the work, the choosing after it.
        if ctx.kind(u.role) in ("judge", "combine") and ((st.verb or "").lower() in comparing or not any(j > k for j in judging)):
            continue
        return u, n
    for k, u in enumerate(units):
        st = steps.get(u.key)
        if k in judging:
            break
        # Only a question ("what's the best way to ...?") with the judging after it: a
        # step that looks into the options is work of its own the text put first.
        asking = {str(x).lower() for x in ctx.section("scout").get("question_words", [])}
        said = clean(st.text).lower() if st is not None else ""
        asked = said.endswith("?") or said.split("'")[0].split(" ")[0] in asking
        if st is not None and asked and u.item is None and not u.deps and judging and _names_options(sec, st.text):
            return u, None
    return None, None


def open_approaches(ctx: BuildContext, n: int, work: str | None, counted: bool) -> Open:
    """Labels and objectives for ``n`` approaches on ``work`` (the text's words for
    the work on each, or None when only the task as a whole says it)."""
    from planner.advise.build import _says, sentence

    sec = ctx.section("competitive")
    lenses = [(str(x.get("title", "")), str(x.get("says", ""))) for x in sec.get("lenses", []) if isinstance(x, dict)]
    if counted or len(lenses) < n:
        labels = [str(x) for x in sec.get("default_approaches", [])][:n]
        objectives = [_says(ctx, "approach", work=work) if work else _says(ctx, "approach_open", n=str(n)) for _ in labels]
        return Open(labels, objectives, "")
    picked = lenses[:n]
    labels = [title for title, _ in picked]
    if work:
        objectives = [_says(ctx, "approach_lens", work=work, lens=says) for _, says in picked]
    else:
        objectives = [sentence(str(sec.get("approach_task", "{lens}")).format(lens=says)) for _, says in picked]
    note = str(sec.get("open_note", "")).format(n=n, lenses=", ".join(t.lower() for t in labels))
    return Open(labels, objectives, note)
