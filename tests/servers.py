"""Helpers that start real servers on 127.0.0.1 for the web and Slack tests."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ui.localservers import (
    MISSING_POSTGRES,
    LocalPostgres,
    free_port,
    postgres_binaries,
    running,
    wait_http,
)

__all__ = ["free_port", "wait_http", "Postgres", "postgres", "landscape_serve",
           "uvicorn_thread", "browser_page"]


@contextmanager
def landscape_serve(data_dir: Path, log: Path, **env: str) -> Iterator[str]:
    """`landscape serve` as a user runs it, in a subprocess; yields its base URL."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LANDSCAPE_")}
    environment.update({"LANDSCAPE_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", **env})
    landscape = Path(sys.executable).parent / "landscape"
    with running([str(landscape), "serve", "--host", "127.0.0.1", "--port", str(port)], log,
                 f"http://127.0.0.1:{port}/healthz", environment):
        yield f"http://127.0.0.1:{port}"


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


class Postgres(LocalPostgres):
    """``ui.localservers.LocalPostgres`` for a test: skipped with the one line that says what
    to install when the server programs are missing (a failure under CI=true)."""

    def __init__(self, folder: Path) -> None:
        import pytest

        if postgres_binaries() is None:
            if os.environ.get("CI") == "true":
                pytest.fail(MISSING_POSTGRES)
            pytest.skip(MISSING_POSTGRES)
        super().__init__(folder)


@contextmanager
def postgres(folder: Path) -> Iterator[Postgres]:
    server = Postgres(folder)
    try:
        yield server
    finally:
        server.close()


def run_cli(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`landscape ARGS` as a user runs it, on ``data_dir``, with only ``env``'s settings."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LANDSCAPE_")}
    environment.update({"LANDSCAPE_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", **env})
    landscape = str(Path(sys.executable).parent / "landscape")
    return subprocess.run([landscape, *args], env=environment, capture_output=True, text=True,
                          timeout=300)
