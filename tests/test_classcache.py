"""The dataclass method cache changes nothing but speed (planner.classcache)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from planner import classcache

TASK = "Collect the logs from each region, then summarize the error spikes"
SOURCE = '''
from __future__ import annotations
from dataclasses import dataclass, field

@dataclass(frozen=True)
class Point:
    """A point."""
    x: int
    y: int = 0
    tags: tuple[str, ...] = field(default=())

@dataclass
class Box:
    name: str
    items: list[int] = field(default_factory=list)
'''


def _module(name: str) -> types.ModuleType:
    """SOURCE run as a module called ``name`` (dataclasses read the module from sys.modules)."""
    module = types.ModuleType(name)
    sys.modules[name] = module
    try:
        exec(compile(SOURCE, f"<{name}>", "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    return module


@pytest.fixture
def fresh_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> classcache._Store:
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("PLANNER_NO_CACHE", raising=False)
    store = classcache._Store()
    monkeypatch.setattr(classcache, "_STORE", store)
    monkeypatch.setattr(dataclasses, "exec", classcache._exec, raising=False)
    return store


def test_cached_classes_equal_plain_ones(fresh_store: classcache._Store) -> None:
    cached = _module("planner.fake_values")
    assert fresh_store.added > 0  # planner's classes went through the cache
    again = _module("planner.fake_values")  # the same text: served from the store
    with pytest.MonkeyPatch.context() as mp:
        mp.delattr(dataclasses, "exec")
        plain = _module("somebody.else")
    for name in ("Point", "Box"):
        for method in ("__init__", "__repr__", "__eq__"):
            a, b, c = (getattr(getattr(m, name), method) for m in (cached, again, plain))
            assert a.__code__.co_code == b.__code__.co_code == c.__code__.co_code, (name, method)
    p = cached.Point(1, tags=("a",))
    assert (p, repr(p), hash(p)) == (cached.Point(1, 0, ("a",)), "Point(x=1, y=0, tags=('a',))", hash(cached.Point(1, 0, ("a",))))
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 2  # type: ignore[misc]
    assert dataclasses.replace(p, y=5) == cached.Point(1, 5, ("a",))
    assert cached.Box("b").items == [] and cached.Box("b") is not cached.Box("b")


def test_other_modules_classes_are_not_stored(fresh_store: classcache._Store) -> None:
    module = _module("somebody.else")
    assert module.Point(1) == module.Point(1, 0)
    assert fresh_store.added == 0


def _run(cache: Path, *, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PLANNER_NO_CACHE")}
    env.update({"PLANNER_CACHE_DIR": str(cache), **(extra or {})})
    return subprocess.run(
        [sys.executable, "-m", "planner", "suggest", TASK, "--format", "json"],
        capture_output=True, text=True, check=False, env=env, timeout=120,
    )


def _files(cache: Path) -> list[Path]:
    return sorted(cache.glob("classes-*.marshal"))


def test_a_second_run_reuses_the_file_and_prints_the_same(tmp_path: Path) -> None:
    first = _run(tmp_path)
    assert first.returncode == 0, first.stderr
    (stored,) = _files(tmp_path)
    written = stored.stat().st_mtime_ns
    second = _run(tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert stored.stat().st_mtime_ns == written  # nothing new to compile: not rewritten


def test_a_damaged_file_is_compiled_again(tmp_path: Path) -> None:
    good = _run(tmp_path / "good")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / _files(tmp_path / "good")[0].name).write_bytes(b"\x00not marshal data")
    again = _run(bad)
    assert again.returncode == 0, again.stderr
    assert again.stdout == good.stdout


def test_no_file_without_bytecode_writing_or_with_the_cache_off(tmp_path: Path) -> None:
    assert _run(tmp_path / "a", extra={"PYTHONDONTWRITEBYTECODE": "1"}).returncode == 0
    assert _files(tmp_path / "a") == []
    assert _run(tmp_path / "b", extra={"PLANNER_NO_CACHE": "1"}).returncode == 0
    assert _files(tmp_path / "b") == []
