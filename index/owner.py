"""One writer per embedded data directory, across processes.

Embedded Chroma is not process-safe: a process that writes while ``landscape serve`` holds the
same directory leaves the server's vectors stale or worse. So ``serve`` and the CLI's writing
commands (``ingest``, ``reindex``) take ``owner.lock`` for as long as they run, and record who
they are beside it (``owner.json``, readable by this user only). A writing command that finds
the directory owned by a running server sends its work to that server (``OwnerInfo.url`` and
its one-time ``token``); one that finds another writer stops with a message naming it.

With ``LANDSCAPE_CHROMA_HOST`` the Chroma server takes writes from any number of processes, and
none of this applies.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from index.errors import StoreLocked


@dataclass
class OwnerInfo:
    """Who holds a data directory: a ``serve`` (with the URL and token its write endpoint
    accepts) or a CLI command."""

    pid: int
    command: str
    url: str = ""
    token: str = ""
    since: float = 0.0

    def describe(self) -> str:
        where = f" at {self.url}" if self.url else ""
        return f"landscape {self.command} (pid {self.pid}{where})"


class DataDirOwner:
    """The held ``owner.lock`` of one data directory; ``release`` (or process exit) frees it."""

    def __init__(self, handle: IO[str], info: OwnerInfo, info_path: Path) -> None:
        self._handle = handle
        self.info = info
        self._info_path = info_path

    def release(self) -> None:
        if self._handle.closed:
            return
        self._info_path.unlink(missing_ok=True)
        self._handle.close()

    def __enter__(self) -> DataDirOwner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _paths(data_dir: Path) -> tuple[Path, Path]:
    return data_dir / "owner.lock", data_dir / "owner.json"


def current_owner(data_dir: Path) -> OwnerInfo | None:
    """Who holds the directory now, or None when nobody does."""
    lock_path, info_path = _paths(data_dir)
    if not lock_path.exists():
        return None
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            for _ in range(20):  # the holder writes owner.json just after taking the lock
                info = _read_info(info_path)
                if info is not None:
                    return info
                time.sleep(0.1)
            return OwnerInfo(pid=0, command="(unknown command)")
        fcntl.flock(handle, fcntl.LOCK_UN)
    return None


def acquire(data_dir: Path, command: str, url: str = "", wait: float = 0.0) -> DataDirOwner:
    """Take the directory for ``command``; waits up to ``wait`` seconds for a holder to
    finish, then raises StoreLocked naming it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    lock_path, info_path = _paths(data_dir)
    handle = open(lock_path, "a+")  # noqa: SIM115 - held until release()
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = _read_info(info_path)
                handle.close()
                raise StoreLocked(
                    f"{data_dir} is in use by "
                    f"{holder.describe() if holder else 'another landscape process'}; "
                    "wait for it to finish, or stop it"
                ) from None
            time.sleep(0.5)
    info = OwnerInfo(pid=os.getpid(), command=command, url=url,
                     token=secrets.token_urlsafe(32) if url else "", since=time.time())
    tmp = info_path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(asdict(info), out)
    tmp.replace(info_path)
    return DataDirOwner(handle, info, info_path)


def _read_info(path: Path) -> OwnerInfo | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return OwnerInfo(**{k: data[k] for k in ("pid", "command", "url", "token", "since")
                            if k in data})
    except (OSError, ValueError, TypeError):
        return None
