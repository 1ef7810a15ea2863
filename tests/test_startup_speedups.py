"""The start-up shortcuts change nothing but speed: regex hints, lazy patterns, the TOML cache."""

from __future__ import annotations

import gc
import json
import re
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner import lazyre, tomlcache
from planner.advise.rules import load_cues
from planner.parser.cues import compile_regex, match_cues
from planner.parser.regexhint import hint, hints
from planner.resources import data_dir
from planner.rulefile import read_rule_file

REPO = Path(__file__).resolve().parent.parent
BUILTIN_CUES = data_dir("rules") / "advisor_cues.toml"
CUE_REGEXES = [
    rx for table in tomllib.loads(BUILTIN_CUES.read_text(encoding="utf-8"))["cues"].values() for rx in table.get("regex", [])
]
# Words taken from the patterns themselves, so generated texts often match them.
PATTERN_WORDS = sorted({w for rx in CUE_REGEXES for w in re.findall(r"[a-z]{2,}", rx)} | {"the", "it", "is", "and", "?", "."})


# -- regexhint -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rx", "expected"),
    [
        (r"\blegacy\s+(code|system)\b", ("legacy",)),  # one word rules out more than two
        (r"\b(is|are)\s+(slow|sluggish)\b", ("slow", "sluggish")),  # the longer alternatives win
        (r"\bfeels?\s+slow", ("feel",)),  # "feels?" only requires "feel"
        (r"(?<!not )\bsince\s+monday", ("monday",)),  # look-behind text is not required
        (r"\b(very\s+)?(big|huge)\b", ("big", "huge")),  # an optional group is not required
        (r"[a-z]+\.(py|js)\b", ("py", "js")),
        (r"\bab{0,3}c\b", None),  # no required literal of two characters
        (r"\bfoo|bar\b", None),  # a top-level alternative requires nothing
        (r"(?i)\bwhy\b", None),  # case-insensitive after all
        (r"\bx\u00e9y", None),  # an escape it does not read gives no hint rather than a wrong one
        (r"\b(ab|\d+)\s+x", None),  # an alternative without a literal start
    ],
)
def test_hint_examples(rx: str, expected: tuple[str, ...] | None) -> None:
    assert hint(rx) == expected


@pytest.mark.parametrize(
    ("rx", "expected"),
    [
        # Every required atom, strongest first; the first is hint()'s.
        (r"\b(do not|don't)\s+(know|understand)\b", (("do not", "don't"), ("know", "understand"))),
        (r"\blegacy\s+(code|system)\b", (("legacy",), ("code", "system"))),
        (r"\b(very\s+)?(big|huge)\s+files?\b", (("file",), ("big", "huge"))),  # optional atoms are not required
        (r"\bfoo|bar\b", ()),
    ],
)
def test_hints_lists_every_required_atom(rx: str, expected: tuple[tuple[str, ...], ...]) -> None:
    assert hints(rx) == expected
    assert hint(rx) == (expected[0] if expected else None)


@given(st.lists(st.sampled_from(PATTERN_WORDS), min_size=1, max_size=12), st.sampled_from(CUE_REGEXES))
def test_every_hint_is_necessary_for_a_match(words: list[str], rx: str) -> None:
    text = " ".join(words)
    pattern, _ = compile_regex(rx)
    if pattern.search(text):
        for alts in hints(rx):
            assert any(part in text for part in alts), (rx, alts, text)


def test_every_builtin_cue_regex_compiles() -> None:
    # Built-in patterns are no longer compiled while loading; this is their check.
    for rx in CUE_REGEXES:
        compile_regex(rx)


@given(st.lists(st.sampled_from(PATTERN_WORDS), min_size=1, max_size=12), st.sampled_from(CUE_REGEXES))
def test_hint_is_necessary_for_a_match(words: list[str], rx: str) -> None:
    text = " ".join(words)
    pattern, _ = compile_regex(rx)
    h = hint(rx)
    if h is not None and pattern.search(text):
        assert any(part in text for part in h), (rx, h, text)


def _fixture_tasks() -> list[str]:
    tasks = []
    for path in sorted((REPO / "corpus" / "advisor").glob("*.jsonl")):
        tasks += [json.loads(line)["task"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return tasks


def test_hinted_cue_search_finds_what_compiling_everything_finds() -> None:
    cues = load_cues([read_rule_file(BUILTIN_CUES)])
    tasks = _fixture_tasks()
    assert len(tasks) > 300
    skipped = 0
    for task in tasks:
        lower = task.lower()
        for category in cues.values():
            for lazy in category.compiled:
                rx, on_lower = compile_regex(lazy.source)
                found = bool(rx.search(lower if on_lower else task))
                passes = all(any(h in lower for h in alts) for alts in lazy.required)
                assert passes or not found, (lazy.source, task)
                skipped += not passes
    assert skipped > len(tasks) * 10  # most patterns are ruled out without compiling


def test_cue_search_by_token_positions_finds_what_a_token_scan_finds() -> None:
    cues = load_cues([read_rule_file(BUILTIN_CUES)])
    for task in _fixture_tasks():
        assert match_cues(cues, task) == {name: cat.find(task) for name, cat in cues.items()}, task


# -- lazyre ---------------------------------------------------------------------------------


def test_lazy_pattern_compiles_on_first_use_and_behaves_like_re() -> None:
    lazy = lazyre.compile(r"(\w+)@(\w+)", re.IGNORECASE)
    assert lazy._compiled is None
    text = "Mail ann@example or BOB@Host"
    real = re.compile(r"(\w+)@(\w+)", re.IGNORECASE)
    assert lazy.findall(text) == real.findall(text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert lazy.sub(r"\2", text) == real.sub(r"\2", text)
    assert lazy.split(text) == real.split(text)
    assert lazy.search(text, 10) is not None and lazy.match(text) is None and lazy.fullmatch("a@b") is not None
    assert lazy._compiled is not None
    # Compiled once: later calls go straight to the pattern's own methods.
    assert lazy.search.__self__ is lazy._compiled


# -- tomlcache ------------------------------------------------------------------------------


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(folder))
    monkeypatch.delenv("PLANNER_NO_CACHE", raising=False)
    return folder


@pytest.mark.parametrize("name", sorted(p.name for p in data_dir("rules").glob("*.toml")))
def test_cached_data_equals_tomllib_for_every_builtin_file(cache: Path, name: str) -> None:
    text = (data_dir("rules") / name).read_text(encoding="utf-8")
    first = tomlcache.loads(text)
    assert len(list(cache.glob("*.json"))) == 1
    assert tomlcache.loads(text) == first == tomllib.loads(text)


def test_cache_entry_is_read_back_not_reparsed(cache: Path) -> None:
    tomlcache.loads("a = 1\n")
    (entry,) = cache.glob("*.json")
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["data"] = {"a": 2}  # a planted answer proves the second call reads the entry
    entry.write_text(json.dumps(stored), encoding="utf-8")
    assert tomlcache.loads("a = 1\n") == {"a": 2}


@pytest.mark.parametrize("content", ["{not json", '{"text": "b = 1\\n", "data": {"b": 1}}', "[]"])
def test_damaged_or_colliding_entries_are_ignored_and_rewritten(cache: Path, content: str) -> None:
    tomlcache.loads("a = 1\n")
    (entry,) = cache.glob("*.json")
    entry.write_text(content, encoding="utf-8")
    assert tomlcache.loads("a = 1\n") == {"a": 1}
    assert json.loads(entry.read_text(encoding="utf-8"))["data"] == {"a": 1}


def test_values_without_a_json_form_are_parsed_every_time(cache: Path) -> None:
    text = "checked = 2026-11-24\n"
    assert tomlcache.loads(text) == tomllib.loads(text)
    assert not list(cache.glob("*.json"))


def test_cache_can_be_turned_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_NO_CACHE", "1")
    assert tomlcache.loads("a = 1\n") == {"a": 1}
    assert not cache.exists()


def test_unwritable_cache_only_costs_speed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(blocker / "sub"))  # a folder under a file cannot exist
    assert tomlcache.loads("a = 1\n") == {"a": 1}


def test_toml_errors_still_surface(cache: Path) -> None:
    with pytest.raises(tomllib.TOMLDecodeError):
        tomlcache.loads("a = \n")
    assert not list(cache.glob("*.json"))


def test_cache_location_follows_xdg_and_never_the_working_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PLANNER_CACHE_DIR", raising=False)
    monkeypatch.delenv("PLANNER_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert tomlcache.cache_dir() == tmp_path / "xdg" / "planner"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert tomlcache.cache_dir() == tmp_path / "home" / ".cache" / "planner"
    monkeypatch.setenv("HOME", "")
    monkeypatch.setattr("os.path.expanduser", lambda p: p)  # no home folder at all
    assert tomlcache.cache_dir() is None


def test_a_missing_builtin_rule_file_is_a_rule_file_error_naming_what_was_read() -> None:
    from planner.errors import RuleFileError

    with pytest.raises(RuleFileError, match="cannot read the widgets"):
        tomlcache.read_builtin("no-such-file.toml", "the widgets")
    assert "tiers" in tomlcache.read_builtin("tiers.toml", "the tier table")


def test_a_builtin_file_read_again_is_equal_data_of_its_own(cache: Path) -> None:
    # The second read comes from the process's own copy, not the disk cache:
    # equal to the first, and changing one read never shows in the next.
    first = tomlcache.read_builtin("parse.toml", "parser settings")
    assert first == tomllib.loads((data_dir("rules") / "parse.toml").read_text(encoding="utf-8"))
    first.clear()
    second = tomlcache.read_builtin("parse.toml", "parser settings")
    assert second and second == tomlcache.read_builtin("parse.toml", "parser settings")
    assert second is not tomlcache.read_builtin("parse.toml", "parser settings")


# -- shutdown -------------------------------------------------------------------------------


def test_the_program_spares_shutdown_its_collections_a_library_call_does_not(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from planner.cli import main

    before = gc.get_freeze_count()
    try:
        assert main(["parse", "Find the bug, then fix it"]) == 0
        assert gc.get_freeze_count() == before  # called from Python: the caller's collector is left alone
        monkeypatch.setattr(sys, "argv", ["planner", "parse", "Find the bug, then fix it"])
        assert main() == 0
        assert gc.get_freeze_count() > before  # as the program: shutdown's collections skip what is alive now
    finally:
        gc.unfreeze()
    out = capsys.readouterr().out
    half = len(out) // 2
    assert out[:half] == out[half:]  # the same answer either way


# -- parser look-ups kept or indexed for speed -------------------------------------------------

_PHRASE_WORDS = st.sampled_from(["all", "at", "once", "in", "one", "go", "and", "then", "x"])


@given(st.lists(_PHRASE_WORDS, max_size=12), st.lists(st.lists(_PHRASE_WORDS, max_size=3).map(tuple), max_size=6).map(tuple))
def test_holds_any_finds_what_scanning_every_phrase_finds(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> None:
    from planner.parser.words import has_phrase, holds_any

    assert holds_any(words, phrases) == any(has_phrase(words, p) for p in phrases)


def test_one_parse_looks_at_the_parser_settings_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.parser import parse, words

    looks: list[int] = []
    real = words.os.stat

    def counted(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith("parse.toml"):
            looks.append(1)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    parse("Warm up the caches, then check the logs.")
    monkeypatch.setattr(words.os, "stat", counted)
    parse("Check the logs. Then ask the team what failed. Then fix it and tell me.")
    assert len(looks) == 1
    assert not words._held  # the stamp is let go after the parse
