"""A throwaway PostgreSQL cluster for the dbos engine's tests.

Debian's ``postgresql`` package puts ``initdb`` and ``pg_ctl`` under
``/usr/lib/postgresql/<version>/bin`` (``make test`` installs it when
missing). PostgreSQL refuses to run as root, and CI runs as root, so the
cluster belongs to the unprivileged ``nobody`` user then. It lives in a
temporary folder, listens on a free loopback port only, trusts local
connections (nothing else can reach it) and skips fsync (its data is thrown
away). One cluster serves the whole test session; each test gets its own
database. A session killed before its teardown leaves its cluster running;
the next session stops it and the workers that talk to it (``sweep_stale``).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any


def find_bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding initdb and pg_ctl."""
    found = []
    for d in glob.glob("/usr/lib/postgresql/*/bin"):
        if os.access(os.path.join(d, "initdb"), os.X_OK) and os.access(
            os.path.join(d, "pg_ctl"), os.X_OK
        ):
            version = os.path.basename(os.path.dirname(d))
            found.append((int(version) if version.isdigit() else 0, Path(d)))
    return max(found)[1] if found else None


OWNER = "owner"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _talking_to(port: int) -> list[int]:
    """Pids of planner processes (workers, submitters) whose command line names this port."""
    mark = f"127.0.0.1:{port}/".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"planner" in cmdline and mark in cmdline:
            found.append(int(entry.name))
    return found


def sweep_stale(bindir: Path) -> list[Path]:
    """Stop and remove the clusters of test sessions that died before their teardown.

    A cluster whose owning session is gone is stopped (as the user it runs as), the
    planner workers still polling it are killed, and its folder removed. Returns the
    folders removed.
    """
    removed = []
    for root in Path(tempfile.gettempdir()).glob("planner-pg-*"):
        try:
            pid_text, port_text = (root / OWNER).read_text(encoding="utf-8").split()
            owner, port = int(pid_text), int(port_text)
        except (OSError, ValueError):
            continue  # not one of ours, or still being set up
        if _alive(owner):
            continue
        try:
            postmaster = int((root / "data" / "postmaster.pid").read_text(encoding="utf-8").split()[0])
        except (OSError, ValueError, IndexError):
            postmaster = 0
        # Only while the dead session's server still holds the port can no live session's
        # cluster have it, so only then do processes naming the port belong to the dead one.
        if postmaster and _alive(postmaster):
            for pid in _talking_to(port):
                with contextlib.suppress(OSError):
                    os.kill(pid, 9)
        if postmaster:
            st = root.stat()
            user = {"user": st.st_uid, "group": st.st_gid, "extra_groups": []} if os.geteuid() == 0 else {}
            subprocess.run(
                [str(bindir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "-w", "-t", "60", "stop"],
                capture_output=True, check=False, cwd=root, timeout=120, **user,
            )
        shutil.rmtree(root, ignore_errors=True)
        removed.append(root)
    return removed


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="planner-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self._user: dict[str, Any] = {}
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.root, nobody.pw_uid, nobody.pw_gid)
            self._user = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
        self._counter = 0
        # Who owns this cluster, for sweep_stale in a later session if this one is killed.
        (self.root / OWNER).write_text(f"{os.getpid()} {self.port}\n", encoding="utf-8")

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            check=check,
            cwd=self.root,
            timeout=120,
            **self._user,
        )

    def init(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"
        )

    def start(self) -> None:
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-k {self.root}",
                # Throwaway data: durability is not what these tests measure.
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=300",
            ]
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh database for one test; its URL."""
        import psycopg

        self._counter += 1
        name = f"t{os.getpid()}_{self._counter}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def wait_for(predicate: Any, timeout: float, what: str, every: float = 0.05) -> Any:
    """Poll ``predicate`` until it returns something true; fail the test after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)
