"""The opened corpus: settings, embedder, Chroma store, BM25 index and English bridge together.

Open it once per process and share it; every piece loads lazily and is safe across threads.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.bm25 import BM25Index
from index.bridge import EnglishBridge, load_glossary
from index.chunking import section_headings
from index.embeddings import INT8, Embedder, EmbeddingCache
from index.entity_store import EntityIndex
from index.errors import StoreLocked
from index.lexicon import load_lexicon
from index.settings import Settings
from index.store import ChromaStore, built_with, make_client
from index.tokenize import has_cjk

if TYPE_CHECKING:
    from index.search import SearchResult

_SYNC_EVERY_S = 2.0
COMMON_TERM_SHARE = 0.05  # a Latin word in more chunks than this is not a name worth keeping


def runs_int8(settings: Settings, client: Any = None) -> bool:
    """Whether the embedding model runs with int8 weights: always for ``onnx-int8``; for
    ``auto`` (the default) when the store in ``client`` is new or was built that way, so a
    store embedded at full precision keeps working without a reindex (no client: a new
    store)."""
    if settings.embedding_runtime == "auto":
        built = built_with(client, settings.collection) if client is not None else None
        return built is None or built.endswith(INT8)
    return settings.embedding_runtime == "onnx-int8"


def make_embedder(settings: Settings, cache: EmbeddingCache | None,
                  client: Any = None) -> Embedder:
    """The embedder the settings ask for; ``client``: the Chroma client holding the store,
    read by ``auto``."""
    return Embedder(
        settings.embedding_model,
        device=settings.embedding_device,
        batch_size=settings.embedding_batch_size,
        cache=cache,
        max_tokens=settings.embedding_max_tokens,
        onnx_dir=settings.data_dir / "models" if settings.embedding_runtime != "torch" else None,
        quantized=runs_int8(settings, client),
    )


class Corpus:
    """Everything retrieval and ingestion need, opened from one Settings object."""

    def __init__(
        self,
        settings: Settings,
        allow_model_mismatch: bool = False,
        embedder: Embedder | None = None,
    ) -> None:
        """``embedder`` lets several corpora in one process share one loaded model."""
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.client = make_client(settings)
        self.embedder = embedder or make_embedder(
            settings, EmbeddingCache(settings.data_dir / "embedding-cache.sqlite"), self.client)
        self.store = ChromaStore(
            self.client,
            settings.collection,
            self.embedder.identity,
            dimension=None,
            allow_mismatch=allow_model_mismatch,
        )
        self.bm25 = BM25Index(settings.data_dir / "bm25" / settings.collection)
        self._bridge: EnglishBridge | None = None
        self._entities: EntityIndex | None = None
        self.common_terms: set[str] = set()
        self._bridge_revision = ""
        self._density: dict[str, float] = {}
        self._density_revision = ""
        self._headings: dict[str, list[tuple[int, str]]] = {}
        self._headings_revision = ""
        self._published: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
        self._publishers_revision: str | None = None  # read at the first call
        self._last_sync = 0.0
        self._lock = threading.Lock()
        self._derived_lock = threading.Lock()
        self._write_mutex = threading.Lock()
        self._writer: int | None = None  # the thread inside write_lock

    def sync(self, now: bool = False) -> None:
        """Bring the BM25 index up to Chroma's revision; checks at most every few seconds
        unless ``now``."""
        if not now and time.monotonic() - self._last_sync < _SYNC_EVERY_S:
            return
        with self._lock:
            self.bm25.sync(self.store)
            self._last_sync = time.monotonic()

    @property
    def entities(self) -> EntityIndex:
        """The extracted landscape (entities, relations, figures), caught up with the store
        (at most every few seconds)."""
        index = self.entity_index()
        index.sync(self.store, every_s=_SYNC_EVERY_S)
        return index

    def entity_index(self) -> EntityIndex:
        """The entity index as it is (``entities`` also catches it up)."""
        if self._entities is None:
            with self._lock:
                if self._entities is None:
                    settings = self.settings
                    self._entities = EntityIndex(
                        settings.data_dir / "entities" / f"{settings.collection}.sqlite",
                        lambda: load_lexicon(settings.lexicon))
        return self._entities

    def _refresh_derived(self) -> None:
        snapshot = self.bm25.snapshot
        if self._bridge is not None and self._bridge_revision == snapshot.revision:
            return
        with self._derived_lock:  # one rebuild, from one snapshot, however many threads ask
            if self._bridge is None or self._bridge_revision != snapshot.revision:
                common = snapshot.common_terms(COMMON_TERM_SHARE)
                glossary = load_glossary(self.settings.glossary)
                names = self.entity_index().surface_tables()[0]
                self._bridge = EnglishBridge(snapshot.vocab, glossary, common, names)
                self.common_terms = common
                self._bridge_revision = snapshot.revision

    @property
    def bridge(self) -> EnglishBridge:
        """The English bridge over the current vocabulary (rebuilt when the index changes)."""
        self._refresh_derived()
        assert self._bridge is not None
        return self._bridge

    def domain_density(self) -> dict[str, float]:
        """Per document, the share of the glossary's Chinese terms (AI companies, products,
        people, industry terms) it mentions, relative to the document that mentions most: how
        much a document is about this product's domain (industry news vs. anything else)."""
        snapshot = self.bm25.snapshot
        if self._density_revision != snapshot.revision:
            counts: Counter[str] = Counter()
            terms = {t for chinese in load_glossary(self.settings.glossary).values()
                     for t in chinese if has_cjk(t) and t in snapshot.vocab}
            for term in terms:
                counts.update(snapshot.documents_containing(term))
            top = max(counts.values(), default=1)
            self._density = {doc: n / top for doc, n in counts.items()}
            self._density_revision = snapshot.revision
        return self._density

    def heading_over(self, hit: SearchResult) -> str:
        """The heading of the section a passage is in (the last one before its end), or the
        document's title over its lead (``section_headings``)."""
        revision = self.bm25.snapshot.revision
        if self._headings_revision != revision:
            self._headings, self._headings_revision = {}, revision
        found = self._headings.get(hit.doc_id)
        if found is None:
            found = section_headings(self.store.document_text(hit.doc_id) or "")
            self._headings[hit.doc_id] = found
        return next((text for at, text in reversed(found) if at < hit.end), hit.title)

    def published_documents(self) -> frozenset[str]:
        """Documents that name their outlet or author: published pieces (articles), as
        opposed to manuals, READMEs and notes."""
        return self._publishers()[0]

    def outlets(self) -> frozenset[str]:
        """The outlets the documents were published by, case-folded (北京商报, 科技新知)."""
        return self._publishers()[1]

    def _publishers(self) -> tuple[frozenset[str], frozenset[str]]:
        """(published pieces, their outlets), read from the document table once per index
        revision."""
        revision = self.bm25.snapshot.revision
        if self._publishers_revision != revision:
            records = self.store.list_documents()
            self._published = (frozenset(r.doc_id for r in records if r.outlet or r.author),
                               frozenset(r.outlet.casefold() for r in records if r.outlet))
            self._publishers_revision = revision
        return self._published

    def informative(self, terms: dict[str, float]) -> dict[str, float]:
        """The terms that are not in more than COMMON_TERM_SHARE of all chunks."""
        self._refresh_derived()
        return {t: w for t, w in terms.items() if t not in self.common_terms}

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Single writer per data directory. Writers in this process (uploads, ingests sent
        by the CLI to the server) take turns; a writer in another process fails fast."""
        if self._writer == threading.get_ident():
            raise StoreLocked(f"{self.settings.data_dir} is already being written by this "
                              "thread (only one ingest or reindex at a time per data directory)")
        with self._write_mutex:
            self._writer = threading.get_ident()
            try:
                with self._file_lock():
                    yield
            finally:
                self._writer = None

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        path = Path(self.settings.data_dir) / "write.lock"
        handle = open(path, "a+")  # noqa: SIM115 - held for the duration of the block
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise StoreLocked(
                    f"{self.settings.data_dir} is being written by {holder}; wait for it to "
                    "finish (only one ingest or reindex at a time per data directory)"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"landscape pid {os.getpid()}")
            handle.flush()
            if self._interrupted_marker.exists():
                self._repair()
            self._interrupted_marker.touch()
            yield
            self._interrupted_marker.unlink(missing_ok=True)  # only after a clean finish
        finally:
            handle.close()

    @property
    def _interrupted_marker(self) -> Path:
        return Path(self.settings.data_dir) / "write.unfinished"

    def recover_if_interrupted(self) -> bool:
        """Repair after a writer that died (kill -9, power loss); False if one is running."""
        if not self._interrupted_marker.exists():
            return True
        try:
            with self.write_lock():
                pass
        except StoreLocked:
            return False
        return True

    def _repair(self) -> int:
        """Drop documents whose chunks do not match their row (and chunks with no row), so the
        next ingest redoes exactly those; returns how many documents were dropped."""
        rows = {r.doc_id: r.n_chunks for r in self.store.list_documents()}
        counts = Counter(
            str(meta.get("doc_id", "")) for _, meta, _ in self.store.iter_chunks(False)
        )
        broken = {d for d, n in counts.items() if rows.get(d) != n}
        broken |= {d for d, n in rows.items() if counts.get(d, 0) != n}
        for doc_id in broken:
            self.store.delete_document(doc_id)
        if broken:
            self.store.bump_revision()
        self.sync(now=True)
        return len(broken)
