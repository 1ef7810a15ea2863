"""Invariants of planner.parser on any text, and bad inputs that must not break it."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from planner.parser import TaskGraph, parse
from planner.plan.model import STEP_ID_RE

# Text built from words the parser reacts to, so generated inputs exercise
# clauses, lists, enumerations, counts and cues rather than just noise.
_WORDS = [
    "find", "design", "implement", "review", "then", "first", "finally", "and", "or", ",", ".",
    ";", ":", "each", "of", "the", "three", "two", "services", "in", "parallel", "compare", "A",
    "B", "C", "merge", "until", "it", "passes", "before", "after", "deploying", "-", "(", ")",
    "\n- ", "\n1. ", "\n```\n", "'quoted'", "summarize", "for", "vs", "test", "build", "system",
]
task_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(_WORDS), max_size=60).map(" ".join),
)


def check_invariants(text: str, g: TaskGraph) -> None:
    assert g.text == text
    assert nx.is_directed_acyclic_graph(g.graph)
    ids = [s.id for s in g.steps]
    assert len(ids) == len(set(ids))
    assert set(g.graph.nodes) == set(ids)
    for s in g.steps:
        assert 0 <= s.span[0] <= s.span[1] <= len(text)
        assert STEP_ID_RE.match(s.id), s.id
        assert s.role
    # Steps stand in text order. An item step's span is its item's name and an implied
    # step's (K readings) the material it reads, which may be written after the step it
    # serves ("what does the sign in photo.jpg say": the reading comes first): those are
    # placed by their work, not by where the name stands.
    starts = [s.span[0] for s in g.steps if s.group is None and not any(c.startswith("K") for c in s.cues)]
    assert starts == sorted(starts)
    assert g.shape in {"single", "chain", "dag"}
    assert g.branches >= (1 if g.steps else 0)


@given(task_text)
# "each" pointing back to a list written before an earlier step: its item steps
# once came before that step in the step order (found by this property).
@example('0,=0\rfind."ab each')
@example('COMPARE Then _D aj"And 0')
@example('COMPARE Then cafn 0A and 0')
@example('compare(THEN"DESIGN)0 P 0')
@example('²)0')
def test_invariants_hold_for_any_text(text: str) -> None:
    check_invariants(text, parse(text))


@given(task_text)
def test_parsing_is_deterministic(text: str) -> None:
    a, b = parse(text), parse(text)
    assert a.to_dict() == b.to_dict()
    assert sorted(a.graph.edges) == sorted(b.graph.edges)


BAD_INPUTS = {
    "empty": "",
    "whitespace": " \t\n\r\n  ",
    "punctuation": "?!.,;:-()[]{}...!!!",
    "emoji": "🚀🔥 ship it 🎉 then review 👀",
    "rtl": "قم بمراجعة الكود ثم اختبره",
    "cjk": "我有一篇很长的文章，请你帮助我翻译成英文，并简化内容。",
    "mixed scripts": "Review the 日本語 docs, then write the עברית summary.",
    "code only": "```python\nimport os\nprint(os.listdir('.'))\n```\n",
    "traceback only": 'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nKeyError: 3\n',
    "long single line": "word " * 20_000,
    "long no spaces": "x" * 100_000,
    "control chars": "find\x00 the\x0b bug\x1c then\u2028 fix it",
    "unclosed quote": "Translate 'hello world and then summarize it",
    "unclosed fence": "Fix the bug.\n```\ncode that never ends\nand more",
    "unicode digits": "Run ² of the ¹ checks and ٣ more",
    # Repetitive shapes that once made a stage quadratic (kept moderate in size;
    # bench_parse.py measures time).
    "many colons": "check: " * 5000,
    "many ands": "find and " * 5000,
    "many thens": "then fix it " * 5000,
    "many parens": "(" * 5000 + "fix it" + ")" * 5000,
    "many ors": " or ".join(["option"] * 5000) + "?",
    "many semicolons": "fix it; " * 5000,
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_inputs_never_break(name: str) -> None:
    text = BAD_INPUTS[name]
    g = parse(text)
    check_invariants(text, g)
    if text.strip():
        assert len(g.steps) >= 1


def test_one_megabyte_text_is_bounded() -> None:
    text = "Collect the logs from the server, then summarize them.\n" * 19_000
    assert len(text) > 1_000_000
    g = parse(text)
    check_invariants(text, g)
    assert "truncated" in g.signals
    assert len(g.steps) <= 40


def test_code_only_text_gives_one_step_from_its_text() -> None:
    text = BAD_INPUTS["code only"]
    g = parse(text)
    assert len(g.steps) == 1 and g.shape == "single"


def test_a_step_id_says_its_verb_once() -> None:
    # "file-filing", "sort-sorted": a word that is only the verb's own form adds nothing
    # to the id; a word that merely starts like the verb ("fixtures", "sorter") is kept.
    from planner.parser.assemble import _slug

    assert _slug(["file", "filing"], 3, 40) == "file"
    assert _slug(["sort", "the", "sorted", "files"], 3, 40) == "sort-files"
    assert _slug(["stop", "stopping", "jobs"], 3, 40) == "stop-jobs"
    assert _slug(["sort", "sorter", "settings"], 3, 40) == "sort-sorter-settings"
    assert parse("Fix the fixtures, then rerun the suite.").steps[0].id == "fix-fixtures"


def test_needed_gerunds_work_on_the_wish_subject() -> None:
    # S280: each stage is done to what needs it, and the id and object say so
    g = parse("The invoices need sorting, checking and filing.")
    assert [s.id for s in g.steps] == ["sort-invoices", "check-invoices", "file-invoices"]
    assert {s.object for s in g.steps} == {"The invoices"}


def test_rtl_and_cjk_ids_are_ascii_slugs() -> None:
    for name in ("rtl", "cjk"):
        g = parse(BAD_INPUTS[name])
        assert all(STEP_ID_RE.match(s.id) for s in g.steps)


def test_same_output_whatever_the_hash_seed() -> None:
    # Sets iterate in a different order in every process; the graph must not
    # depend on it ("the sentiment analysis" once named "analyse" or "analyze").
    import json
    import os
    import subprocess
    import sys

    task = "Make a short clip based on the sentiment analysis of the speech in talk.mp4, then review the clip."
    code = f"import json; from planner import parse; print(json.dumps(parse({task!r}).to_dict(), sort_keys=True))"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(outs) == 1 and json.loads(outs.pop())["steps"]


def test_parse_diagram_and_edges_whatever_the_hash_seed() -> None:
    # The graph's edges once came out of the transitive reduction in set order,
    # so the box diagram of a long task differed from run to run. The longest
    # tasks of the corpus have the most edges to get out of order.
    import os
    import subprocess
    import sys
    from pathlib import Path

    corpus = Path(__file__).resolve().parent.parent / "corpus" / "tasks"
    if not corpus.is_dir():
        pytest.skip("corpus/tasks is not in this checkout")
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from planner import parse\n"
        "from planner.cli.parse_view import box_diagram\n"
        "rows = [json.loads(l) for p in sorted(Path(sys.argv[1]).glob('*.jsonl')) for l in p.read_text().splitlines() if l]\n"
        "for r in sorted(rows, key=lambda r: (-len(r['task']), r['id']))[:30]:\n"
        "    g = parse(r['task'])\n"
        "    print(list(g.graph.edges))\n"
        "    print('\\n'.join(box_diagram(g, ascii=True)))\n"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code, str(corpus)],
            env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True,
        ).stdout
        for seed in ("3", "6")
    }
    assert len(outs) == 1
