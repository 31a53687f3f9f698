"""Thumbs up/down (and comments) on answers, from the web chat and Slack, in SQLite.

``export_eval`` turns thumbs-down answers into eval cases, so they become regression tests.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at REAL NOT NULL,
    channel TEXT NOT NULL,
    question TEXT NOT NULL,
    history TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    language TEXT NOT NULL,
    refused INTEGER NOT NULL,
    rating INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
)
"""


class FeedbackStore:
    """One row per rated answer; a later rating or comment on the same answer updates it."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(_SCHEMA)
        self._lock = threading.Lock()

    def record(
        self,
        *,
        channel: str,
        question: str,
        answer: str,
        rating: int,
        history: list[str] | None = None,
        citations: list[dict[str, Any]] | None = None,
        language: str = "zh",
        refused: bool = False,
        comment: str = "",
        feedback_id: int | None = None,
    ) -> int:
        """Store (or update, with ``feedback_id``) a rating of +1 or -1; returns the row id."""
        if rating not in (1, -1):
            raise ValueError("rating must be 1 or -1")
        with self._lock, self._conn:
            if feedback_id is not None:
                self._conn.execute(
                    "UPDATE feedback SET rating=?, comment=? WHERE id=?",
                    (rating, comment, feedback_id),
                )
                return feedback_id
            cursor = self._conn.execute(
                "INSERT INTO feedback (created_at, channel, question, history, answer, citations,"
                " language, refused, rating, comment) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (time.time(), channel, question, json.dumps(history or [], ensure_ascii=False),
                 answer, json.dumps(citations or [], ensure_ascii=False), language,
                 int(refused), rating, comment),
            )
            return int(cursor.lastrowid or 0)

    def rows(self, rating: int | None = None) -> list[dict[str, Any]]:
        query = "SELECT * FROM feedback" + (" WHERE rating=?" if rating is not None else "")
        with self._lock:
            cursor = self._conn.execute(query + " ORDER BY id", () if rating is None else
                                        (rating,))
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def export_eval(self, path: Path) -> int:
        """Write thumbs-down answers as eval JSONL cases; returns how many."""
        cases = []
        for row in self.rows(rating=-1):
            history = json.loads(row["history"])
            cases.append({
                "id": f"feedback-{row['id']}",
                "lang": row["language"],
                "type": "follow-up" if history else "fact",
                "question": row["question"],
                "history": history,
                "gold": [],
                "answer_keys": [],
                "comment": row["comment"],
                "bad_answer": row["answer"],
                "channel": row["channel"],
            })
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8"
        )
        return len(cases)

    def close(self) -> None:
        self._conn.close()
