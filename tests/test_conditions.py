"""The rule condition language: parsing, type checks, evaluation, and fuzzing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.advise.conditions import MAX_DEPTH, ConditionError, compile_condition, tokenize
from planner.advise.rules import load_rules
from planner.errors import RuleFileError

NAMES = {"width": "num", "depth": "num", "converges": "bool", "iterative": "bool", "role": "str"}
ENV = {"width": 3, "depth": 2, "converges": True, "iterative": False, "role": "review"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("width >= 2 and converges and not iterative", True),
        ("width > 3", False),
        ("width == 3", True),
        ("width != 3 or depth < 3", True),
        ("not (converges or iterative)", False),
        ("width + depth >= 5", True),
        ("width * 2 - depth == 4", True),
        ("width / 0 == 0", True),  # division by a zero feature never crashes
        ("-width < 0", True),
        ('role == "review"', True),
        ("role in ['review', 'compare']", True),
        ("width in [1, 2]", False),
        ("true", True),
        ("false or converges", True),
        ("depth >= 1.5", True),
    ],
)
def test_evaluates(text: str, expected: bool) -> None:
    assert compile_condition(text, NAMES).holds(ENV) is expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("wdth >= 2", "unknown feature 'wdth'"),
        ("width and converges", "'and' joins true/false conditions"),
        ("width", "must be true or false"),
        ("width >= ", "expected a value but found end of condition"),
        ("width >= 2 converges", "unexpected 'converges'"),
        ("(width >= 2", "expected ')'"),
        ("width >= 2 >= 1", "chained comparisons"),
        ("__import__('os')", "unexpected '('"),
        ("__import__", "unknown feature '__import__'"),
        ("width; rm -rf", "unexpected character ';'"),
        ("role == 3", "compares a string with a number"),
        ("not width", "'not' needs a true/false value"),
        ("role in [1, 'a']", "'in' list mixes"),
        ("", "condition is empty"),
        ("width @ 2", "unexpected character '@'"),
    ],
)
def test_rejects_with_clear_message(text: str, message: str) -> None:
    with pytest.raises(ConditionError, match=re.escape(message)):
        compile_condition(text, NAMES)


def test_error_reports_column() -> None:
    with pytest.raises(ConditionError) as info:
        compile_condition("width >= 2 and $", NAMES)
    assert info.value.column == 16


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    with pytest.raises(ConditionError, match="nests deeper"):
        compile_condition("(" * (MAX_DEPTH + 5) + "converges" + ")" * (MAX_DEPTH + 5), NAMES)
    with pytest.raises(ConditionError, match="nests deeper"):
        compile_condition("not " * 100 + "converges", NAMES)
    with pytest.raises(ConditionError, match="more than 100 operators"):
        compile_condition("+".join(["width"] * 150) + " > 1", NAMES)
    assert compile_condition("not not converges", NAMES).holds(ENV)


def test_no_python_evaluation() -> None:
    # Attribute access, calls and subscripts are not part of the language at all.
    for text in ("converges.__class__", "open('x')", "ENV['width']", "lambda: 1", "width if converges else 0"):
        with pytest.raises(ConditionError):
            compile_condition(text, NAMES)


def test_names_lists_features_used() -> None:
    cond = compile_condition("width >= 2 and (converges or not iterative)", NAMES)
    assert cond.names() == {"width", "converges", "iterative"}


@given(st.text(max_size=200))
def test_fuzz_arbitrary_text_never_crashes(text: str) -> None:
    try:
        cond = compile_condition(text, NAMES)
    except ConditionError as exc:
        assert str(exc)
    else:
        assert isinstance(cond.holds(ENV), bool)


_ATOMS = st.sampled_from(["width", "depth", "converges", "iterative", "2", "0", "1.5", "true", "'review'", "role"])
_OPS = st.sampled_from(["and", "or", "not", "==", "!=", "<", ">=", "+", "-", "*", "/", "(", ")", "in", "[", "]", ","])


@given(st.lists(st.one_of(_ATOMS, _OPS), max_size=25))
def test_fuzz_token_soup_never_crashes(parts: list[str]) -> None:
    text = " ".join(parts)
    try:
        cond = compile_condition(text, NAMES)
    except ConditionError:
        return
    assert isinstance(cond.holds(ENV), bool)


@given(st.text(max_size=120))
def test_fuzz_rule_file_gives_located_error(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    folder = tmp_path_factory.mktemp("rules")
    path = folder / "mine.toml"
    body = 'id = "x"\npattern = "pipeline"\nweight = 1\nreason = "r"\n'
    path.write_text(f"[[rule]]\n{body}when = {_toml_string(text)}\n", encoding="utf-8")
    try:
        load_rules((path,))
    except RuleFileError as exc:
        assert exc.path == str(path)
        assert exc.line is not None
        assert str(exc).startswith(f"{path}:{exc.line}: ")
    finally:
        load_rules.cache_clear()


def _toml_string(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(f"\\u{ord(ch) if ord(ch) < 0xD800 else 0xFFFD:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def test_tokenize_positions() -> None:
    toks = tokenize("a >= 10")
    assert [(t.kind, t.text, t.column) for t in toks] == [
        ("name", "a", 1),
        ("op", ">=", 3),
        ("number", "10", 6),
        ("end", "", 8),
    ]


def test_rule_file_unknown_feature_names_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "extra.toml"
    path.write_text(
        '# my rules\n\n[[rule]]\nid = "ok"\npattern = "pipeline"\nwhen = "chain"\nweight = 1\nreason = "r"\n\n'
        '[[rule]]\nid = "bad"\npattern = "pipeline"\nweight = 1\nwhen = "chian and depth >= 2"\nreason = "r"\n',
        encoding="utf-8",
    )
    try:
        with pytest.raises(RuleFileError) as info:
            load_rules((path,))
    finally:
        load_rules.cache_clear()
    assert info.value.line == 14
    assert "rule 'bad': key 'when': unknown feature 'chian'" in str(info.value)
