"""A local Slack Web API server: records chat.postMessage, chat.update, conversations.replies
and friends, and keeps the messages so threads can be read back like on Slack."""

from __future__ import annotations

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

BOT_USER = "UBOT"
BOT_ID = "BBOT"


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def __enter__(self) -> FakeSlack:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- helpers for tests ---------------------------------------------------------------------
    def next_ts(self) -> str:
        return f"1700000000.{next(self._counter):06d}"

    def add_user_message(self, channel: str, text: str, thread_ts: str | None = None,
                         user: str = "U1") -> dict[str, Any]:
        ts = self.next_ts()
        message = {"type": "message", "user": user, "text": text, "ts": ts}
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self._lock:
            self.messages.setdefault(channel, []).append(message)
        return message

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [payload for name, payload in self.calls if name == method]

    def message(self, channel: str, ts: str) -> dict[str, Any]:
        with self._lock:
            return next(m for m in self.messages.get(channel, []) if m["ts"] == ts)

    # --- the API ------------------------------------------------------------------------------
    def handle(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.calls.append((method, args))
            if method == "auth.test":
                return {"ok": True, "url": "https://example.slack.com/", "team": "Team",
                        "user": "landscape", "team_id": "T1", "user_id": BOT_USER,
                        "bot_id": BOT_ID}
            if method == "chat.postMessage":
                ts = f"1700000000.{next(self._counter):06d}"
                message = {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "ts": ts,
                           "text": args.get("text", ""), "blocks": _blocks(args)}
                if args.get("thread_ts"):
                    message["thread_ts"] = args["thread_ts"]
                self.messages.setdefault(args["channel"], []).append(message)
                return {"ok": True, "channel": args["channel"], "ts": ts, "message": message}
            if method == "chat.update":
                for message in self.messages.get(args["channel"], []):
                    if message["ts"] == args["ts"]:
                        message["text"] = args.get("text", message["text"])
                        message["blocks"] = _blocks(args) or message.get("blocks")
                        return {"ok": True, "channel": args["channel"], "ts": args["ts"]}
                return {"ok": False, "error": "message_not_found"}
            if method == "conversations.replies":
                thread = args["ts"]
                found = [m for m in self.messages.get(args["channel"], [])
                         if m["ts"] == thread or m.get("thread_ts") == thread]
                return {"ok": True, "messages": sorted(found, key=lambda m: m["ts"]),
                        "has_more": False}
            if method == "chat.postEphemeral":
                return {"ok": True, "message_ts": self.next_ts()}
            return {"ok": False, "error": "unknown_method"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _respond(self, args: dict[str, Any]) -> None:
                method = urlparse(self.path).path.rsplit("/", 1)[-1]
                payload = json.dumps(fake.handle(method, args)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:  # noqa: N802
                self._respond(dict(parse_qsl(urlparse(self.path).query)))

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                if "json" in self.headers.get("Content-Type", ""):
                    args = json.loads(raw or "{}")
                else:
                    args = dict(parse_qsl(raw))
                args.update(dict(parse_qsl(urlparse(self.path).query)))
                self._respond(args)

        return Handler


def _blocks(args: dict[str, Any]) -> list[dict[str, Any]] | None:
    blocks = args.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return blocks
