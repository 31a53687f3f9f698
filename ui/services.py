"""What the web chat, the HTTP API and the Slack bot share in one process."""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.entity_llm import attach_llm_extraction
from agent.pipeline import Agent
from index.corpus import Corpus
from index.errors import LoadError
from index.ingest import IngestReport, ingest_paths
from index.loaders import SUPPORTED_SUFFIXES, load_document
from index.settings import Settings
from ui.feedback import FeedbackStore
from ui.sources import Sources
from ui.state import Database, database_url

log = logging.getLogger("landscape")
_UNSAFE = re.compile(r"[^\w.\-\u3400-\u9fff]+")


def safe_upload_name(name: str) -> str:
    """A file name with no directory part and no odd characters ("../x" -> "x")."""
    base = Path(name.replace("\\", "/")).name.strip().lstrip(".")
    cleaned = _UNSAFE.sub("_", base)[:120]
    return cleaned or "upload"


@dataclass
class Services:
    settings: Settings
    corpus: Corpus
    agent: Agent
    feedback: FeedbackStore
    sources: Sources = None  # type: ignore[assignment]  # built on the feedback database

    def __post_init__(self) -> None:
        if self.sources is None:
            self.sources = Sources(self.feedback.db, self.corpus, self.settings)

    @classmethod
    def open(cls, settings: Settings) -> Services:
        corpus = Corpus(settings)
        agent = Agent(corpus, backend=settings.llm, settings=settings)
        attach_llm_extraction(corpus, settings, agent.backend)  # uploads and syncs ask it too
        return cls(
            settings=settings,
            corpus=corpus,
            agent=agent,
            feedback=FeedbackStore(Database(database_url(settings))),
        )

    @property
    def uploads_dir(self) -> Path:
        return self.settings.data_dir / "uploads"

    def ensure_seeded(self, progress: Callable[[int], Any] | None = None) -> IngestReport | None:
        """On first start with an empty store, ingest the seed articles."""
        if self.corpus.store.list_documents():
            return None
        return ingest_paths(self.corpus, [self.settings.seeds_dir], progress=progress)

    def start_scheduler(self) -> Any:
        """Run due syncs in the background (``LANDSCAPE_SYNC_SCHEDULER``)."""
        from ui.sources import SyncScheduler

        return SyncScheduler(self.sources, self.settings.sync_check_s).start()

    def start_digest(self) -> Any:
        """Post the digest to LANDSCAPE_DIGEST_CHANNEL every LANDSCAPE_DIGEST_EVERY, when the
        Slack bot token and the channel are set; None otherwise."""
        settings = self.settings
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""
        if not (token and settings.digest_channel):
            return None
        from slack_sdk import WebClient

        from ui.digest import DigestPoster
        from ui.sources import parse_interval

        client = WebClient(token=token, base_url=settings.slack_api_url)
        return DigestPoster(self.feedback.db, self.corpus, client, settings.digest_channel,
                            parse_interval(settings.digest_every),
                            check_s=settings.sync_check_s, agent=self.agent).start()

    def warm_up(self, delay: float = 0.0) -> threading.Timer:
        """Load the embedding model, jieba, the English bridge and the entity index before the
        first question, in the background (after ``delay`` seconds, so start-up itself is not
        slowed). Only retrieval and the offline answer run: the configured LLM is asked too
        only when LANDSCAPE_WARMUP_LLM=true (with a paid endpoint, every start would cost a
        call)."""
        agent = self.agent if self.settings.warmup_llm else Agent(
            self.corpus, backend=None, settings=self.settings)

        def run() -> None:
            try:
                _ = self.corpus.entities  # extracts what a store from before it lacks, offline
                agent.answer("warm up: Luma AI")
            except Exception:  # noqa: BLE001 - warming up is best effort
                log.exception("warm-up failed")

        timer = threading.Timer(delay, run)
        timer.name = "warm-up"
        timer.daemon = True
        timer.start()
        return timer

    def store_upload(self, source: Path, original_name: str) -> Path:
        """Copy an uploaded file into the data directory after checking its name, type, size
        and that it can be read: a broken file never replaces an earlier upload of that name."""
        name = safe_upload_name(original_name)
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise LoadError(original_name, f"unsupported file type {suffix or '(none)'!r}; "
                            f"upload one of {', '.join(SUPPORTED_SUFFIXES)}")
        size = source.stat().st_size
        limit = self.settings.upload_max_mb * 1_000_000
        if size > limit:
            raise LoadError(original_name, f"file is {size / 1e6:.1f} MB, over the "
                            f"{self.settings.upload_max_mb:g} MB upload limit "
                            "(LANDSCAPE_UPLOAD_MAX_MB)")
        staging = self.uploads_dir / ".staging"
        staging.mkdir(parents=True, exist_ok=True)
        target = self.uploads_dir / name
        if target.resolve().parent != self.uploads_dir.resolve():
            raise LoadError(original_name, "invalid file name")
        staged = staging / name
        shutil.copyfile(source, staged)
        try:
            load_document(staged, max_bytes=int(limit))
        except LoadError as exc:
            staged.unlink(missing_ok=True)
            raise LoadError(original_name, exc.reason) from None
        os.replace(staged, target)
        return target
