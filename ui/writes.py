"""Writes sent to the running server: the one writer of an embedded data directory.

``landscape ingest`` and ``landscape reindex`` find the ``serve`` that owns their data directory
(``index.owner``) and post their work to ``/internal/ingest`` or ``/internal/reindex`` with the
token the server left in ``owner.json`` (readable by this user only). The server does the work
with its own corpus, so it sees every change at once, and streams progress back as JSON lines:
``{"total": n}``, ``{"done": k}``…, then ``{"report": {...}}`` or ``{"error": "..."}``.
"""

from __future__ import annotations

import json
import logging
import queue
import secrets
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Header, HTTPException, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from index.errors import LandscapeError, StoreError
from index.ingest import ingest_paths, reindex
from index.owner import OwnerInfo

log = logging.getLogger("landscape")
TOKEN_HEADER = "X-Landscape-Owner-Token"


class ReindexRequest(BaseModel):
    embedding: str = ""  # the CLI's embedder identity: the server refuses another


class SyncRequest(BaseModel):
    names: list[str] = Field(default_factory=list)  # all sources when empty


class RemoveSourceRequest(BaseModel):
    name: str


class IngestRequest(BaseModel):
    paths: list[str] = Field(min_length=1)
    prune: bool = False


class _Progress:
    """The ``progress(total)`` factory of ingest, reporting into a queue."""

    def __init__(self, events: queue.Queue[dict[str, Any] | None]) -> None:
        self.events = events

    def __call__(self, total: int) -> _Progress:
        self.events.put({"total": total})
        return self

    def update(self, n: int) -> None:
        self.events.put({"done": n})

    def close(self) -> None:
        pass


def _run(work: Callable[[_Progress], dict[str, Any]]) -> StreamingResponse:
    events: queue.Queue[dict[str, Any] | None] = queue.Queue()

    def target() -> None:
        try:
            events.put({"report": work(_Progress(events))})
        except LandscapeError as exc:
            events.put({"error": str(exc)})
        except Exception:  # noqa: BLE001 - the CLI gets a sentence, the log the traceback
            log.exception("a write sent to the server failed")
            events.put({"error": "the server failed while writing; see its log"})
        events.put(None)

    threading.Thread(target=target, name="forwarded-write", daemon=True).start()

    def lines() -> Iterator[str]:
        while (event := events.get()) is not None:
            yield json.dumps(event, ensure_ascii=False) + "\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


def build_write_router(services: Any, token: str) -> APIRouter:
    """The endpoints a CLI of the same user on this machine sends its writes to."""
    router = APIRouter(include_in_schema=False)

    def check(request: Request, given: str | None) -> None:
        """The token in owner.json (readable by this user only) is the whole credential: a
        server bound to one address gets the CLI's request from that address, not loopback."""
        if not (token and secrets.compare_digest((given or "").encode(), token.encode())):
            raise HTTPException(status_code=403, detail="writes need the data directory's "
                                "token (DATA_DIR/owner.json)")

    @router.post("/internal/ingest")
    def ingest(body: IngestRequest, request: Request,
               x_landscape_owner_token: str | None = Header(default=None)) -> StreamingResponse:
        check(request, x_landscape_owner_token)
        paths = [Path(p) for p in body.paths]
        return _run(lambda progress: ingest_paths(services.corpus, paths, prune=body.prune,
                                                  progress=progress).as_dict())

    @router.post("/internal/reindex")
    def run_reindex(body: ReindexRequest, request: Request,
                    x_landscape_owner_token: str | None = Header(default=None),
                    ) -> Any:
        check(request, x_landscape_owner_token)
        serving = services.corpus.embedder.identity
        if body.embedding and body.embedding != serving:
            raise HTTPException(status_code=409, detail=(
                f"the server embeds with {serving!r}, this command asks for "
                f"{body.embedding!r}: restart `landscape serve` with the new embedding "
                "settings, then run `landscape reindex`"))
        return _run(lambda progress: {"chunks": reindex(services.corpus, progress=progress)})

    @router.post("/internal/sync")
    def sync(body: SyncRequest, request: Request,
             x_landscape_owner_token: str | None = Header(default=None)) -> StreamingResponse:
        check(request, x_landscape_owner_token)
        return _run(lambda progress: {"results": [r.as_dict() for r in services.sources.sync(
            body.names or None, progress=progress)]})

    @router.post("/internal/sources-remove")
    def remove_source(body: RemoveSourceRequest, request: Request,
                      x_landscape_owner_token: str | None = Header(default=None),
                      ) -> StreamingResponse:
        check(request, x_landscape_owner_token)
        return _run(lambda progress: {"removed": services.sources.remove(body.name)})

    return router


def send(owner: OwnerInfo, action: str, body: dict[str, Any] | None,
         progress: Callable[[int], Any] | None = None) -> dict[str, Any]:
    """Post a write to the owning server and follow its progress; the final report."""
    import httpx

    bar = None
    try:
        with httpx.stream("POST", f"{owner.url}/internal/{action}", json=body or {},
                          headers={TOKEN_HEADER: owner.token}, timeout=None) as response:
            if response.status_code != 200:
                response.read()
                raise StoreError(f"{owner.describe()} refused the {action} "
                                 f"(HTTP {response.status_code}: {response.text[:200]})")
            for line in response.iter_lines():
                if not line.strip():
                    continue
                event = json.loads(line)
                if "total" in event and progress is not None:
                    bar = progress(event["total"])
                elif "done" in event and bar is not None:
                    bar.update(event["done"])
                elif "error" in event:
                    raise StoreError(f"{owner.describe()}: {event['error']}")
                elif "report" in event:
                    return dict(event["report"])
    except httpx.HTTPError as exc:
        raise StoreError(
            f"the data directory is held by {owner.describe()}, which did not answer "
            f"({type(exc).__name__}); wait for it, or stop it and run the command again"
        ) from None
    finally:
        if bar is not None:
            bar.close()
    raise StoreError(f"{owner.describe()} ended the {action} without a report; see its log")
