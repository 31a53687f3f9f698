"""Saved conversations in the web chat: kept in the browser (localStorage) for the embedded
default, and in the shared-state database per signed-in user (``LANDSCAPE_UI_AUTH``; one
PostgreSQL for every replica). A Slack thread can be opened in the web chat from the link the
bot adds to its answers ("continue in web", with ``LANDSCAPE_PUBLIC_URL``).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
import uuid
from pathlib import Path
from typing import Any

from agent.pipeline import Turn
from ui.render import inert_markdown
from ui.state import ConversationStore

KEPT_IN_BROWSER = 30
TITLE_CHARS = 60


def slack_conversation_id(secret: str, channel: str, thread_ts: str) -> str:
    """A Slack thread's conversation id: stable, and unguessable without the bot's secret."""
    digest = hashlib.sha256(f"{secret}|{channel}|{thread_ts}".encode()).hexdigest()[:24]
    return f"slack-{digest}"


def as_turns(turns: list[dict[str, str]]) -> list[Turn]:
    return [Turn("user" if t.get("role") == "user" else "assistant", str(t.get("content", "")))
            for t in turns]


def as_chat(turns: list[Turn]) -> list[dict[str, str]]:
    """The chat as the web shows it (answers made inert like every answer it shows)."""
    return [{"role": t.role, "content": t.content if t.role == "user"
             else inert_markdown(t.content)} for t in turns]


class Conversations:
    """Where one visitor's conversations are kept: the database for a signed-in user, else
    the browser's own storage (``saved``: id -> {"title", "turns", "updated"})."""

    def __init__(self, store: ConversationStore) -> None:
        self.store = store

    @staticmethod
    def owner(request: Any) -> str:
        username = getattr(request, "username", None) if request is not None else None
        return f"web:{username}" if username else ""

    def choices(self, saved: dict[str, Any] | None, request: Any) -> list[tuple[str, str]]:
        owner = self.owner(request)
        if owner:
            return [(row["title"], row["id"]) for row in self.store.list(owner)]
        items = sorted((saved or {}).items(), key=lambda kv: -float(kv[1].get("updated", 0)))
        return [(str(value.get("title", "")), key) for key, value in items]

    def remember(self, conversation_id: str, turns: list[Turn], saved: dict[str, Any] | None,
                 request: Any) -> dict[str, Any]:
        """Save the conversation; returns the browser's store (unchanged for a signed-in
        user, whose conversations are in the database)."""
        saved = dict(saved or {})
        if not turns:
            return saved
        title = next((t.content for t in turns if t.role == "user"), "")[:TITLE_CHARS]
        rows = [{"role": t.role, "content": t.content} for t in turns]
        owner = self.owner(request)
        if owner:
            self.store.save(conversation_id, owner, title, rows)
            return saved
        saved[conversation_id] = {"title": title, "turns": rows, "updated": time.time()}
        for stale in sorted(saved, key=lambda k: float(saved[k].get("updated", 0)))[
                :max(0, len(saved) - KEPT_IN_BROWSER)]:
            del saved[stale]
        return saved

    def open(self, conversation_id: str, saved: dict[str, Any] | None,
             request: Any) -> list[Turn] | None:
        """A conversation of this visitor's (or a Slack thread shared by its link)."""
        if conversation_id.startswith("slack-"):
            row = self.store.get(conversation_id, owner="slack")
            return as_turns(row["turns"]) if row else None
        owner = self.owner(request)
        if owner:
            row = self.store.get(conversation_id, owner=owner)
            return as_turns(row["turns"]) if row else None
        value = (saved or {}).get(conversation_id)
        return as_turns(value["turns"]) if value else None


def browser_secret(data_dir: Path) -> str:
    """The key the browser's saved conversations are encrypted with: made once per data
    directory and kept there (readable by this user only), so they survive a restart (Gradio
    would draw a new one at every start, and the browser's copy would become unreadable)."""
    path = data_dir / "browser-state.key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(24)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secret)
    try:
        os.link(tmp, path)  # the first process to start wins; the others read its key
    except FileExistsError:
        secret = path.read_text(encoding="utf-8").strip()
    finally:
        tmp.unlink(missing_ok=True)
    return secret


def new_conversation_id() -> str:
    return uuid.uuid4().hex[:16]


def own_id(conversation_id: str) -> str:
    """The id a reopened conversation goes on under: a Slack thread continued in the web chat
    becomes the visitor's own copy (the shared thread stays as Slack left it)."""
    return new_conversation_id() if conversation_id.startswith("slack-") else conversation_id
