"""Helpers that start real servers on 127.0.0.1 for the web and Slack tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float, proc: subprocess.Popen[Any] | None = None,
              log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-3000:] if log else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} not ready after {timeout} s: "
                       f"{log.read_text()[-3000:] if log else ''}")


@contextmanager
def landscape_serve(data_dir: Path, log: Path, **env: str) -> Iterator[str]:
    """`landscape serve` as a user runs it, in a subprocess; yields its base URL."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LANDSCAPE_")}
    environment.update({"LANDSCAPE_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", **env})
    landscape = Path(sys.executable).parent / "landscape"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(landscape), "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=environment,
        )
        try:
            wait_http(f"http://127.0.0.1:{port}/healthz", 120, proc, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def uvicorn_thread(app: Any, health_path: str = "/healthz",
                   port: int | None = None) -> Iterator[str]:
    """An ASGI app served by uvicorn in a thread of the test process."""
    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_http(f"http://127.0.0.1:{port}{health_path}", 30)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def browser_page(url: str) -> Iterator[Any]:
    """A page of Debian's headless Chromium, driven by Playwright, opened on ``url``."""
    import pytest

    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        message = ("Chromium is missing for the browser tests: apt-get install chromium "
                   "chromium-driver (or run .ci/system-deps)")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update"],
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url, wait_until="load")
            page.wait_for_selector("#question textarea", timeout=30_000)
            yield page
        finally:
            browser.close()


def postgres_binaries() -> Path | None:
    """The folder of Debian's PostgreSQL server programs (initdb, pg_ctl), if installed."""
    import glob
    import shutil

    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


class Postgres:
    """A real PostgreSQL in a temp dir on 127.0.0.1 (``initdb``, ``pg_ctl``), trust auth.
    As root, the server runs as the ``postgres`` user (PostgreSQL refuses to run as root)."""

    def __init__(self, folder: Path) -> None:
        import pytest

        bindir = postgres_binaries()
        if bindir is None:
            message = ("PostgreSQL server binaries are missing: apt-get install postgresql "
                       "(or run .ci/system-deps)")
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        self.bindir = bindir
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # a folder the postgres user can reach (pytest's are 0700)
            import shutil
            import tempfile

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


@contextmanager
def postgres(folder: Path) -> Iterator[Postgres]:
    server = Postgres(folder)
    try:
        yield server
    finally:
        try:
            server.stop()
        except RuntimeError:
            pass  # already stopped by the test
        if server.as_user:
            import shutil

            shutil.rmtree(server.folder, ignore_errors=True)
