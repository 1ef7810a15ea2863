"""Shared test setup: a bounded hypothesis profile for CI and path helpers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the checkout; tests using it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Parsed-TOML cache entries of a test run go to a temporary folder, not the user's home."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLANNER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """One throwaway PostgreSQL cluster per test session (see tests/pgcluster.py).

    Skips, saying why, only where PostgreSQL is not installed and cannot be:
    ``make test`` installs Debian's postgresql package when it is missing.
    """
    pytest.importorskip("dbos", reason="the dbos extra is not installed")
    from pgcluster import Cluster, find_bindir, sweep_stale

    bindir = find_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL is not installed (no initdb/pg_ctl under /usr/lib/postgresql/*/bin; "
            "'make test' installs Debian's postgresql package where apt-get is available)"
        )
    sweep_stale(bindir)
    cluster = Cluster(bindir)
    try:
        cluster.init()
        cluster.start()
    except Exception as exc:
        cluster.destroy()
        pytest.fail(f"could not start a throwaway PostgreSQL cluster: {exc}; see {cluster.log}")
    try:
        yield cluster
    finally:
        cluster.destroy()
