"""Throw-away PostgreSQL and Chroma servers on 127.0.0.1, for the benchmark's replica scenario
and the tests: ``initdb`` in a temp dir with trust auth, ``chroma run`` on a free port.

As root, PostgreSQL runs as the ``postgres`` user (it refuses to run as root), in a folder
that user can reach.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.errors import ConfigError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_binaries() -> Path | None:
    """The folder of Debian's PostgreSQL server programs (initdb, pg_ctl), if installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


MISSING_POSTGRES = ("PostgreSQL server binaries are missing: apt-get install postgresql "
                    "(or run .ci/system-deps)")


class LocalPostgres:
    """A real PostgreSQL in a temp dir on 127.0.0.1, trust auth, user ``landscape``."""

    def __init__(self, folder: Path) -> None:
        bindir = postgres_binaries()
        if bindir is None:
            raise ConfigError(MISSING_POSTGRES)
        self.bindir = bindir
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # a folder the postgres user can reach (pytest's are 0700)
            folder = Path(tempfile.mkdtemp(prefix="landscape-pg-", dir="/tmp"))
            shutil.chown(folder, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.data = folder / "pgdata"
        self._run("initdb", "-D", str(self.data), "-U", "landscape", "--auth=trust",
                  "-E", "UTF8", "--locale=C")
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql://landscape@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run([*self.as_user, str(self.bindir / program), *args],
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stderr[-1500:]}")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.folder / "postgres.log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def close(self) -> None:
        try:
            self.stop()
        except RuntimeError:
            pass  # already stopped
        if self.as_user:
            shutil.rmtree(self.folder, ignore_errors=True)


def wait_http(url: str, timeout: float, proc: subprocess.Popen[bytes] | None = None,
              log: Path | None = None, every: float = 0.3) -> None:
    """Until ``url`` answers (checked every ``every`` s); an exited ``proc`` or the timeout
    raises with the tail of ``log``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-3000:] if log else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(every)
    raise RuntimeError(f"{url} not ready after {timeout} s: "
                       f"{log.read_text()[-3000:] if log else ''}")


@contextmanager
def running(args: list[str], log: Path, health: str, env: dict[str, str] | None = None,
            timeout: float = 120) -> Iterator[subprocess.Popen[bytes]]:
    """A server process, output to ``log``, yielded once ``health`` answers; stopped after
    (unless it already died, killed by a test)."""
    with log.open("w") as out:
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_http(health, timeout, proc, log)
            yield proc
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


@contextmanager
def chroma_server(folder: Path, log: Path) -> Iterator[int]:
    """``chroma run`` on a free port of 127.0.0.1, ready; yields the port, stops it after."""
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    with running([chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port",
                  str(port)], log, f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=60):
        yield port
