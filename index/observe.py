"""What operators see: Prometheus metrics and structured logs with a request id.

Metrics live in one registry per process, served at ``GET /metrics`` by ``landscape serve``
(Prometheus text format): requests by surface and outcome, answer latency, LLM calls, fallbacks
to the extractive answer, refusals and ingested documents.

Logs: ``LANDSCAPE_LOG_FORMAT=json`` writes one JSON object per line; every record carries the
``request_id`` of the API, web or Slack request it belongs to (``X-Request-ID`` when the caller
sends one), through the agent and its LLM calls. Question text is logged only with
``LANDSCAPE_LOG_QUESTIONS=true``.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any, TypeVar

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

T = TypeVar("T")
REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter("landscape_requests", "Questions answered, by surface and outcome "
                   "(answered, refused, bad_request, error, rate_limited)",
                   ["surface", "outcome"], registry=REGISTRY)
LATENCY = Histogram("landscape_answer_seconds", "Time to a final answer, by surface",
                    ["surface"], registry=REGISTRY,
                    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60))
LLM_CALLS = Counter("landscape_llm_calls", "Calls to the language model, by outcome",
                    ["outcome"], registry=REGISTRY)
FALLBACKS = Counter("landscape_fallbacks", "Answers quoted from the documents because the "
                    "model failed or was not verified", ["reason"], registry=REGISTRY)
REFUSALS = Counter("landscape_refusals", "Questions the documents do not cover",
                   registry=REGISTRY)
INGESTED = Counter("landscape_ingested_documents", "Documents through ingest, by result "
                   "(added, updated, skipped, failed)", ["result"], registry=REGISTRY)

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def metrics_text() -> bytes:
    return generate_latest(REGISTRY)


def new_request_id(given: str | None = None) -> str:
    """Start a request: the caller's id when it sends a sane one, else a fresh one."""
    rid = given if given and len(given) <= 64 and given.isprintable() else uuid.uuid4().hex[:16]
    _request_id.set(rid)
    return rid


def request_id() -> str:
    return _request_id.get()


def set_request_id(rid: str) -> None:
    _request_id.set(rid)


def in_request(rid: str, items: Iterator[T]) -> Iterator[T]:
    """``items`` with the request id set again before each one is computed: a generator read
    by a server's worker threads may resume in another thread's context."""
    while True:
        _request_id.set(rid)
        try:
            item = next(items)
        except StopIteration:
            return
        yield item


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and extras."""

    _STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message",
                                                                                "request_id"}

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        data.update({k: v for k, v in record.__dict__.items()
                     if k not in self._STANDARD and not k.startswith("_")})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def configure_logging(log_format: str = "text", level: str = "INFO") -> None:
    """The ``landscape`` loggers to stderr, as text or JSON lines, with request ids."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    logger = logging.getLogger("landscape")
    logger.handlers = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False


class RequestLog:
    """One question on one surface (api, web, slack), timed from its creation: ``outcome``
    counts it and logs one line (the question's text only when allowed)."""

    def __init__(self, surface: str, log_questions: bool, question: str = "",
                 **fields: Any) -> None:
        self.surface = surface
        self.log_questions = log_questions
        self.question = question  # set later where the question is read after the start
        self.fields = fields
        self.started = time.monotonic()

    def outcome(self, outcome: str, **fields: Any) -> None:
        seconds = time.monotonic() - self.started
        REQUESTS.labels(self.surface, outcome).inc()
        if outcome in ("answered", "refused"):
            LATENCY.labels(self.surface).observe(seconds)
        extra: dict[str, Any] = {"surface": self.surface, "outcome": outcome,
                                 "ms": round(seconds * 1000, 1), **self.fields, **fields}
        if self.log_questions:
            extra["question"] = self.question
        logging.getLogger("landscape.requests").info("question %s", outcome, extra=extra)

    def answered(self, refused: bool, backend: str, citations: int) -> None:
        """A final answer: refused or answered, with its backend and citation count."""
        self.outcome("refused" if refused else "answered", backend=backend, citations=citations)
