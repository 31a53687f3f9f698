"""An OpenAI-compatible HTTP API on the same server: ``POST /v1/chat/completions`` (streaming
and not, answer plus verified citations in extra fields), ``GET /v1/models``, ``GET /healthz``.
"""

from __future__ import annotations

import json
import logging
import math
import secrets
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel, Field

from agent.pipeline import Answer, Turn
from index.errors import BadQuestion, LandscapeError
from index.observe import RequestLog, in_request, metrics_text, set_request_id
from ui.ratelimit import limiter_for
from ui.services import Services

MODEL_ID = "landscape"
log = logging.getLogger("landscape")
SORRY = "something went wrong on our side while answering; it has been logged, please retry"


class ChatMessage(BaseModel):
    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(str(part.get("text", "")) for part in self.content)
        return self.content or ""


class ChatRequest(BaseModel):
    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    k: int | None = Field(default=None, ge=1, le=20)  # extension: number of sources
    debug: bool = False  # extension: also return the retrieved passages and evidence score


def openai_error(status: int, message: str, kind: str = "invalid_request_error") -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"message": message, "type": kind}})


def _split(messages: list[ChatMessage]) -> tuple[str, list[Turn]]:
    """The last user message is the question; earlier user/assistant turns are the history."""
    last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=-1)
    if last_user < 0:
        raise BadQuestion("no user message in 'messages'")
    history = [
        Turn("user" if m.role == "user" else "assistant", m.text())
        for m in messages[:last_user] if m.role in ("user", "assistant")
    ]
    return messages[last_user].text(), history


def _extras(answer: Answer, debug: bool = False) -> dict[str, Any]:
    extras = {
        "citations": [c.as_dict() for c in answer.citations],
        "refused": answer.refused,
        "related": answer.related,
        "language": answer.language,
        "note": answer.note,
        "backend": answer.backend,
        "timings": answer.timings,
    }
    if debug:
        extras["standalone_question"] = answer.standalone_question
        extras["evidence"] = answer.evidence
        for name, passages in (("retrieved", answer.retrieved), ("searched", answer.searched)):
            extras[name] = [
                {"rank": r.rank, "doc_id": r.doc_id, "source": r.source, "chunk_id": r.chunk_id,
                 "text": r.text}
                for r in passages
            ]
    return extras


def _sources_health(services: Services) -> list[dict[str, Any]] | str:
    """Each synced source's last sync, documents and last error (or why they are unknown)."""
    try:
        return [{k: row[k] for k in ("name", "kind", "last_sync", "last_success", "documents",
                                     "last_error")} for row in services.sources.list_sources()]
    except LandscapeError as exc:
        return f"unavailable: {exc}"


def build_router(services: Services) -> APIRouter:
    router = APIRouter()
    settings = services.settings
    limiter = limiter_for(services.feedback.db, settings.rate_limit_per_minute)

    clients = settings.api_clients()

    def authorize(request: Request, authorization: str | None = Header(default=None)) -> str:
        """The client's identity: the name of its API key, or without keys its address (a
        bearer value the client makes up never earns it a bucket of its own)."""
        if not clients:
            return f"address:{request.client.host if request.client else 'unknown'}"
        scheme, _, given = (authorization or "").partition(" ")
        found = ""
        for name, key in clients.items():  # every key compared, in constant time
            if secrets.compare_digest(given.strip().encode(), key.encode()) \
                    and scheme.lower() == "bearer":
                found = name
        if not found:
            raise HTTPException(status_code=401, detail="missing or wrong bearer API key")
        return f"key:{found}"

    @router.get("/healthz")
    def healthz() -> dict[str, Any]:
        return {
            "status": "ok",
            "documents": len(services.corpus.store.list_documents()),
            "chunks": services.corpus.store.count_chunks(),
            "backend": services.agent.backend_name,
            "sources": _sources_health(services),
        }

    @router.get("/metrics")
    def metrics() -> Response:
        """Prometheus text format (no question text, no keys)."""
        return Response(metrics_text(), media_type=CONTENT_TYPE_LATEST)

    @router.get("/v1/models", dependencies=[Depends(authorize)])
    def models() -> dict[str, Any]:
        return {"object": "list",
                "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "you"}]}

    @router.get("/v1/landscape/entities", dependencies=[Depends(authorize)],
                response_model=None)
    def entities(type: str | None = None,  # noqa: A002 - the query parameter's name
                 limit: int = 200) -> dict[str, Any] | JSONResponse:
        """The extracted organisations, products and people (``landscape entities --json``)."""
        if type is not None and type not in ("org", "product", "person"):
            return openai_error(400, f"type {type!r} is not org, product or person")
        rows = services.corpus.entities.entities(type, limit=max(1, min(limit, 1000)))
        return {"entities": [r.as_dict() for r in rows]}

    @router.get("/v1/landscape/entity", dependencies=[Depends(authorize)], response_model=None)
    def entity(name: str) -> dict[str, Any] | JSONResponse:
        """One entity's card (``landscape entity NAME --json``); 404 when no document names it."""
        card = services.corpus.entities.card(name.strip()) if name.strip() else None
        if card is None:
            return openai_error(404, f"no entity named {name!r} in the documents",
                                "not_found_error")
        return card.as_dict()

    @router.post("/v1/chat/completions", response_model=None)
    def chat_completions(body: ChatRequest, request: Request,
                         client: str = Depends(authorize)) -> Any:
        rid = getattr(request.state, "request_id", "-")
        set_request_id(rid)
        record = RequestLog("api", settings.log_questions, client=client)
        try:
            wait = limiter.allow(client)
        except LandscapeError as exc:  # the shared database is down: say so, don't guess
            record.outcome("error")
            return openai_error(503, str(exc), "server_error")
        if wait:
            record.outcome("rate_limited")
            response = openai_error(
                429, f"too many requests; retry in {math.ceil(wait)} s "
                "(LANDSCAPE_RATE_LIMIT_PER_MINUTE)", "rate_limit_error")
            response.headers["Retry-After"] = str(math.ceil(wait))
            return response
        try:
            question, history = _split(body.messages)
            record.question = question
            events = services.agent.stream(question, history, k=body.k)
            first = next(events)  # raises BadQuestion before any byte is sent
        except BadQuestion as exc:
            record.outcome("bad_request")
            return openai_error(400, str(exc))
        except LandscapeError as exc:
            record.outcome("error")
            return openai_error(503, str(exc), "server_error")
        except Exception:  # noqa: BLE001 - a sentence for the client, the traceback in the log
            log.exception("answering through /v1 failed")
            record.outcome("error")
            return openai_error(500, SORRY, "server_error")

        def finished(answer: Answer) -> None:
            record.answered(answer.refused, answer.backend, len(answer.citations))

        completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        created = int(time.time())
        if not body.stream:
            final = first.answer if first.kind == "final" else None
            try:
                for event in events:
                    if event.kind == "final":
                        final = event.answer
            except LandscapeError as exc:
                record.outcome("error")
                return openai_error(503, str(exc), "server_error")
            except Exception:  # noqa: BLE001
                log.exception("answering through /v1 failed")
                record.outcome("error")
                return openai_error(500, SORRY, "server_error")
            if final is None:
                record.outcome("error")
                return openai_error(500, SORRY, "server_error")
            finished(final)
            return {
                "id": completion_id, "object": "chat.completion", "created": created,
                "model": MODEL_ID,
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": final.answer}}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                **_extras(final, body.debug),
            }

        def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
            payload = {
                "id": completion_id, "object": "chat.completion.chunk", "created": created,
                "model": MODEL_ID,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra,
            }
            return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

        def sse() -> Iterator[str]:
            yield chunk({"role": "assistant", "content": ""})
            try:
                for event in in_request(rid, _chain(first, events)):  # read in other threads
                    if event.kind == "token":
                        yield chunk({"content": event.text})
                    elif event.kind == "reset":
                        yield chunk({}, reset=True)
                    elif event.answer is not None:
                        finished(event.answer)
                        yield chunk({}, "stop", answer=event.answer.answer,
                                    **_extras(event.answer, body.debug))
            except LandscapeError as exc:
                record.outcome("error")
                yield chunk({}, "error", error={"message": str(exc)})
            except Exception:  # noqa: BLE001 - the stream ends with an error chunk, not a cut
                log.exception("streaming through /v1 failed")
                record.outcome("error")
                yield chunk({}, "error", error={"message": SORRY})
            yield "data: [DONE]\n\n"

        return StreamingResponse(sse(), media_type="text/event-stream")

    return router


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest
