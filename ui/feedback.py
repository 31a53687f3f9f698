"""Thumbs up/down (and comments) on answers, from the web chat and Slack, in the shared-state
database.

``export_eval`` turns thumbs-down answers into eval cases, so they become regression tests.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from ui.state import Database


class FeedbackStore:
    """One row per rated answer; a later rating or comment on the same answer updates it.
    Kept in the shared-state database (``ui.state``): SQLite by default, PostgreSQL for
    replicas."""

    def __init__(self, db: Database | Path) -> None:
        self.db = db if isinstance(db, Database) else Database(f"sqlite:///{db}")

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
        with self.db.transaction() as cursor:
            if feedback_id is not None:
                cursor.execute("UPDATE feedback SET rating=?, comment=? WHERE id=?",
                               (rating, comment, feedback_id))
                return feedback_id
            rows = cursor.execute(
                "INSERT INTO feedback (created_at, channel, question, history, answer, citations,"
                " language, refused, rating, comment) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
                (time.time(), channel, question, json.dumps(history or [], ensure_ascii=False),
                 answer, json.dumps(citations or [], ensure_ascii=False), language,
                 int(refused), rating, comment),
            ).rows()
            return int(rows[0]["id"])

    def rows(self, rating: int | None = None) -> list[dict[str, Any]]:
        query = "SELECT * FROM feedback" + (" WHERE rating=?" if rating is not None else "")
        return self.db.query(query + " ORDER BY id", () if rating is None else (rating,))

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
        self.db.close()
