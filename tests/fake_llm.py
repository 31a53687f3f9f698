"""A real OpenAI-compatible HTTP server on 127.0.0.1 that plays scripted replies.

It speaks ``POST /v1/chat/completions`` (streaming SSE and plain JSON), and can also fail on
purpose: HTTP errors, hangs, streams that break off, malformed chunks, slow tokens.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    text: str
    token_delay: float = 0.0
    token_chars: int = 4


@dataclass
class Fail:
    status: int
    message: str = "scripted failure"


@dataclass
class Hang:
    seconds: float


@dataclass
class Drop:
    """Stream ``text`` then close the connection without finishing the stream."""

    text: str


@dataclass
class Malformed:
    pass


Behaviour = Reply | Fail | Hang | Drop | Malformed


def is_answer_request(body: dict[str, Any]) -> bool:
    return any("<sources>" in str(m.get("content", "")) for m in body.get("messages", []))


def asked(body: dict[str, Any]) -> str:
    """The user's question inside a request (after "Question:" in an answer request)."""
    last = str(body.get("messages", [{}])[-1].get("content", ""))
    return last.rsplit("Question:", 1)[-1].strip()


FAULTS = ("http-500", "http-503", "timeout", "dropped-stream", "malformed-json", "slow-tokens")


class FaultInjector:
    """A router for FakeLLM: each request gets ``good(body)``, except that a share ``rate`` of
    them (chosen by a seeded RNG) gets one of FAULTS instead, the kinds taking turns.
    ``counts`` tallies what was sent.

    ``hang`` is how long a "timeout" stalls; "slow-tokens" streams the good reply with a random
    delay per token of up to ``max_token_delay`` (some finish in time, some do not)."""

    def __init__(self, good: Callable[[dict[str, Any]], Reply], rate: float, seed: int = 7,
                 hang: float = 10.0, max_token_delay: float = 0.3) -> None:
        self.good = good
        self.rate = rate
        self.hang = hang
        self.max_token_delay = max_token_delay
        self.rng = random.Random(seed)
        self.counts: Counter[str] = Counter()

    def __call__(self, body: dict[str, Any]) -> Behaviour:
        reply = self.good(body)
        if self.rng.random() >= self.rate:
            self.counts["ok"] += 1
            return reply
        fault = FAULTS[(sum(self.counts.values()) - self.counts["ok"]) % len(FAULTS)]
        self.counts[fault] += 1
        if fault.startswith("http-"):
            return Fail(int(fault[-3:]))
        if fault == "timeout":
            return Hang(self.hang)
        if fault == "dropped-stream":
            return Drop(reply.text + reply.text[: len(reply.text) // 2])  # breaks in sentence 2
        if fault == "malformed-json":
            return Malformed()
        delay = self.rng.uniform(0.02, self.max_token_delay)
        return Reply(reply.text, token_delay=delay, token_chars=2)


class QuietServer(ThreadingHTTPServer):
    """Clients that gave up (timeouts) leave broken pipes behind: expected, not worth a trace."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeLLM:
    """Answer requests take the next scripted behaviour (the last one repeats); helper requests
    (question rewriting, translation) get ``helper_reply``."""

    def __init__(self, script: list[Behaviour] | None = None, helper_reply: str = "") -> None:
        self.script = list(script or [Reply("")])
        self.helper_reply = helper_reply
        self.requests: list[dict[str, Any]] = []
        self.answer_requests = 0
        self._lock = threading.Lock()
        self.router: Callable[[dict[str, Any]], Behaviour] | None = None
        self.server = QuietServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def next_behaviour(self, body: dict[str, Any]) -> Behaviour:
        with self._lock:
            self.requests.append(body)
            if self.router is not None:
                return self.router(body)
            if not is_answer_request(body):
                return Reply(self.helper_reply)
            index = min(self.answer_requests, len(self.script) - 1)
            self.answer_requests += 1
            return self.script[index]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                behaviour = fake.next_behaviour(body)
                if isinstance(behaviour, Hang):
                    time.sleep(behaviour.seconds)
                    behaviour = Reply("too late")
                if isinstance(behaviour, Fail):
                    payload = json.dumps({"error": {"message": behaviour.message,
                                                    "type": "server_error"}}).encode()
                    self.send_response(behaviour.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if not body.get("stream"):
                    text = behaviour.text if isinstance(behaviour, Reply | Drop) else ""
                    self._json(text, body)
                    return
                self._stream(behaviour, body)

            def _json(self, text: str, body: dict[str, Any]) -> None:
                payload = json.dumps({
                    "id": "chatcmpl-fake", "object": "chat.completion", "created": 0,
                    "model": body.get("model", "fake"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": text}}],
                }).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _event(self, data: str) -> None:
                chunk = f"data: {data}\n\n".encode()
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.flush()

            def _delta(self, text: str, body: dict[str, Any], finish: str | None = None) -> str:
                return json.dumps({
                    "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                    "model": body.get("model", "fake"),
                    "choices": [{"index": 0, "delta": {"content": text} if text else {},
                                 "finish_reason": finish}],
                })

            def _stream(self, behaviour: Behaviour, body: dict[str, Any]) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                if isinstance(behaviour, Malformed):
                    self._event("{this is not json")
                    self.wfile.write(b"0\r\n\r\n")
                    return
                text = behaviour.text if isinstance(behaviour, Reply | Drop) else ""
                size = behaviour.token_chars if isinstance(behaviour, Reply) else 4
                delay = behaviour.token_delay if isinstance(behaviour, Reply) else 0.0
                for i in range(0, len(text), size):
                    if delay:
                        time.sleep(delay)
                    self._event(self._delta(text[i : i + size], body))
                if isinstance(behaviour, Drop):
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self._event(self._delta("", body, finish="stop"))
                self._event("[DONE]")
                self.wfile.write(b"0\r\n\r\n")

        return Handler
