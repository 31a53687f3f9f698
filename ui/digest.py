"""What the new documents say: a cited digest of a period, for the CLI and a Slack channel.

Documents "of the period" are those published in it (their known date), or, when their date is
unknown, ingested in it. Offline, each document contributes its most informative sentence
(with ``topic``: the sentence of its best passage for the topic; else its lead), quoted
verbatim and cited; documents are listed newest first.

``DigestPoster`` posts the digest to ``LANDSCAPE_DIGEST_CHANNEL`` every
``LANDSCAPE_DIGEST_EVERY``: periods are fixed buckets of that length, and a post is claimed by
a unique insert (channel, period) in the shared database before it is sent, so a restart or a
second replica never posts the same period twice.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from agent.language import split_sentences
from index.corpus import Corpus
from index.search import SearchFilters, hybrid_search
from index.store import DocumentRecord
from index.tokenize import tokenize
from ui.state import Database

log = logging.getLogger("landscape")
MAX_ITEMS = 12
MIN_SENTENCE = 12


@dataclass
class DigestItem:
    n: int
    title: str
    outlet: str
    date: str  # YYYY-MM-DD, or "" when unknown
    source: str
    quote: str  # a verbatim sentence of the document
    summary: str = ""  # with an LLM: its verified sentence(s) on the document, else ""


@dataclass
class Digest:
    date_from: str
    date_to: str
    topic: str
    items: list[DigestItem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"date_from": self.date_from, "date_to": self.date_to, "topic": self.topic,
                "items": [item.__dict__ for item in self.items]}

    def markdown(self) -> str:
        about = f" on “{self.topic}”" if self.topic else ""
        head = f"# Digest{about}: {self.date_from} to {self.date_to}"
        if not self.items:
            return f"{head}\n\nNo new documents in this period."
        lines = [head, "", f"{len(self.items)} new document(s), newest first.", ""]
        for item in self.items:
            said = item.summary or f"“{item.quote}”"
            lines.append(f"- **{_label(item)}**: {said} [{item.n}]")
        lines += ["", "Sources:"]
        lines += [f"[{item.n}] {item.title} — {item.source}" for item in self.items]
        return "\n".join(lines)

    def slack(self) -> str:
        """Slack mrkdwn (no links are built from document text; titles are escaped)."""
        from ui.slack.blocks import escape

        about = f" on “{escape(self.topic)}”" if self.topic else ""
        head = f"*Digest{about}: {self.date_from} to {self.date_to}*"
        if not self.items:
            return f"{head}\nNo new documents in this period."
        lines = [head]
        for item in self.items:
            said = escape(item.summary) if item.summary else f"“{escape(item.quote)}”"
            lines.append(f"• *{escape(_label(item))}*: {said} [{item.n}]")
        lines.append("Sources: " + "; ".join(f"[{i.n}] {escape(i.source)}" for i in self.items))
        return "\n".join(lines)


def _label(item: DigestItem) -> str:
    where = " · ".join(x for x in (item.outlet, item.date or "date unknown") if x)
    return f"{item.title} ({where})"


def _day(record: DocumentRecord) -> str:
    """The document's publication date, or the day it was ingested when that is unknown."""
    if record.date:
        return record.date
    return datetime.fromtimestamp(record.ingested_at).date().isoformat() \
        if record.ingested_at else ""


def build_digest(corpus: Corpus, since_s: float, topic: str = "", today: date | None = None,
                 limit: int = MAX_ITEMS, agent: Any = None) -> Digest:
    """The period's documents, newest first, each with a verbatim sentence; with ``agent``
    (an ``Agent`` with an LLM), also the model's verified summary of each (see
    ``Agent.summarize``; its citation markers are dropped: each line cites its document)."""
    today = today or date.today()
    days = max(1, math.ceil(since_s / 86400))  # "7d": today and the 6 days before it
    start = (today - timedelta(days=days - 1)).isoformat()
    end = today.isoformat()
    records = {r.doc_id: r for r in corpus.store.list_documents()
               if start <= _day(r) <= end}
    digest = Digest(start, end, topic.strip())
    if not records:
        return digest
    chosen: list[tuple[DocumentRecord, str]] = []
    if digest.topic:
        hits = hybrid_search(corpus, digest.topic, k=50, filters=SearchFilters(
            date_from=start, date_to=end, undated=True))
        wanted = set(tokenize(digest.topic))
        seen: set[str] = set()
        for hit in hits:
            if hit.doc_id not in records or hit.doc_id in seen:
                continue
            seen.add(hit.doc_id)
            sentences = [hit.text[s:e].strip() for s, e in split_sentences(hit.text)]
            sentences = [s for s in sentences if len(s) >= MIN_SENTENCE] or [hit.text.strip()]
            best = max(sentences, key=lambda s: len(wanted & set(tokenize(s))))
            chosen.append((records[hit.doc_id], best))
    else:
        for record in records.values():
            if quote := _lead(corpus.store.document_text(record.doc_id) or "", record.title):
                chosen.append((record, quote))
    chosen.sort(key=lambda pair: _day(pair[0]), reverse=True)
    for n, (record, quote) in enumerate(chosen[:limit], start=1):
        digest.items.append(DigestItem(n, record.title, record.outlet, record.date,
                                       record.url or record.source, quote,
                                       _summary(agent, corpus, record)))
    return digest


def _summary(agent: Any, corpus: Corpus, record: DocumentRecord) -> str:
    """The model's verified sentence(s) on one document (its first passages), or ""."""
    if agent is None or getattr(agent, "model", None) is None:
        return ""
    import re

    from agent.language import detect_language

    hits = hybrid_search(corpus, record.title or record.source, k=3,
                         filters=SearchFilters(doc_id=record.doc_id))
    verified = agent.summarize(hits, detect_language(record.title or ""))
    if verified is None:
        return ""
    return re.sub(r"\s*\[\d+\]", "", verified.text).strip()


def _lead(text: str, title: str) -> str:
    """The document's first informative sentence (not a byline; not its title, unless the
    title is all there is)."""
    sentences = [text[s:e].strip() for s, e in split_sentences(text)]
    informative = [s for s in sentences if len(s) >= MIN_SENTENCE
                   and not s.startswith(("作者", "编辑", "来源", "#"))]
    body = [s for s in informative if s != title.strip()]
    return (body or informative or [""])[0]


def period_of(now: float, every_s: float) -> tuple[str, float]:
    """The fixed bucket ``now`` falls in: its label (UTC, the same on every replica whatever
    its time zone) and its start (seconds since the epoch)."""
    start = (now // every_s) * every_s
    return datetime.fromtimestamp(start, tz=UTC).strftime("%Y-%m-%dT%H:%MZ"), start


class DigestPoster:
    """Posts the digest of each period once to a Slack channel (see the module doc)."""

    def __init__(self, db: Database, corpus: Corpus, client: Any, channel: str,
                 every_s: float, check_s: float = 60.0, agent: Any = None) -> None:
        self.db, self.corpus, self.client, self.agent = db, corpus, client, agent
        self.channel, self.every_s, self.check_s = channel, every_s, check_s
        self._stop = threading.Event()

    def post_if_due(self, now: float | None = None) -> bool:
        """Claim this period for the channel and post its digest; False when already done."""
        now = time.time() if now is None else now
        label, _ = period_of(now, self.every_s)
        if self.db.query("SELECT 1 AS one FROM digest_posts WHERE channel = ? AND period = ?",
                         (self.channel, label)):
            return False  # posted already (the claim below decides a race)
        # built before the claim: a failure here leaves the period to the next round
        digest = build_digest(self.corpus, self.every_s, today=date.fromtimestamp(now),
                              agent=self.agent)
        with self.db.transaction() as cursor:
            claimed = cursor.execute(
                "INSERT INTO digest_posts (channel, period, posted_at) VALUES (?, ?, ?) "
                "ON CONFLICT (channel, period) DO NOTHING", (self.channel, label, now)
            ).rowcount == 1
        if not claimed:
            return False
        try:
            self.client.chat_postMessage(channel=self.channel, text=digest.slack(),
                                         unfurl_links=False, unfurl_media=False)
        except Exception:
            with self.db.transaction() as cursor:  # not posted: the next round tries again
                cursor.execute("DELETE FROM digest_posts WHERE channel = ? AND period = ?",
                               (self.channel, label))
            raise
        return True

    def start(self) -> DigestPoster:
        def loop() -> None:
            while True:
                try:
                    self.post_if_due()
                except Exception:  # noqa: BLE001 - logged; the next round tries again
                    log.exception("posting the digest to %s failed", self.channel)
                if self._stop.wait(self.check_s):
                    return

        threading.Thread(target=loop, name="digest-poster", daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()
