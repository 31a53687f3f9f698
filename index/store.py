"""Chroma as the source of truth: one collection of chunks (text, vector, metadata) and one of
documents (normalized full text and document metadata, the "document table").

The chunk collection's metadata records the embedding model and dimension, and a ``revision``
that changes on every write, so derived indexes (BM25) know when to catch up.

Which chunk collection is live is named in the document collection's metadata
(``chunks_collection``). ``reindex`` fills a new collection beside the live one and then switches
that one name (a single metadata write), so an interrupted reindex leaves the old store intact
and the next reindex clears what it left behind.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.errors import ModelMismatch, StoreError
from index.settings import Settings

_PAGE = 2000
LIVE_KEY = "chunks_collection"  # docs collection metadata: the name of the live chunks
# Chroma keeps records in a log until its index syncs (every 1,000 by default), and each write
# costs more the longer the log: documents are long, so their log is synced every 64 (ingest of
# seeds + haystack: document rows 9.1 -> 2.9 s), chunks every 256 (9.1 -> 7.8 s). Applies to
# collections created from now on; older ones keep Chroma's defaults.
_DOCS_SYNC = 64
_CHUNKS_SYNC = 256
# How wide the dense search looks (HNSW ef_search). At Chroma's default, 100, it missed true
# neighbours among the 60 a search asks for, and which ones changed from one process to the next
# (seeds + haystack: the 60th of one question differed in 2 of 12 runs); at 400 the same,
# nearer 60 every run, and a search of 10,472 chunks takes as long (2.1 ms).
# Set on every chunk collection, older ones when they are opened.
_SEARCH_EF = 400
_DOC_VECTOR = [1.0]  # the document collection is looked up by id only; Chroma wants a vector


@dataclass
class DocumentRecord:
    """One row of the document table."""

    doc_id: str
    source: str
    path: str
    title: str
    content_hash: str
    n_chunks: int
    outlet: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    format: str = ""
    ingested_at: float = 0.0
    aliases: str = ""  # JSON list of {"url", "outlet"}: every place the same story ran

    def alias_list(self) -> list[dict[str, str]]:
        import json

        try:
            value = json.loads(self.aliases) if self.aliases else []
        except ValueError:
            return []
        return [a for a in value if isinstance(a, dict)] if isinstance(value, list) else []

    def metadata(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "doc_id"}


def chunk_id(doc_id: str, index: int) -> str:
    """The id of a document's ``index``-th chunk (0-based, in reading order)."""
    return f"{doc_id}:{index:05d}"


def chunk_index(cid: str) -> int:
    """The position in its document of the chunk ``cid`` names (``chunk_id``'s inverse);
    ValueError for an id of another form."""
    _, _, index = cid.rpartition(":")
    return int(index)


def date_as_int(date: str) -> int:
    """'2024-12-31' -> 20241231 for Chroma range filters; 0 when unknown."""
    digits = date.replace("-", "")[:8]
    return int(digits) if len(digits) == 8 and digits.isdigit() else 0


def make_client(settings: Settings) -> Any:
    """PersistentClient under the data directory, or HttpClient when a Chroma host is set."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        except Exception as exc:
            raise StoreError(
                f"cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} "
                f"({exc}). Start it (`chroma run --path DIR --port {settings.chroma_port}`) or "
                "unset LANDSCAPE_CHROMA_HOST to use the embedded store."
            ) from None
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def built_with(client: Any, name: str) -> str | None:
    """The embedding identity the live chunks of store ``name`` were built with; None for a
    store not created yet."""
    existing = {c.name for c in client.list_collections()}
    chunks = f"{name}_chunks"
    if f"{name}_docs" in existing:
        chunks = _live_name(client.get_collection(f"{name}_docs", embedding_function=None),
                            chunks)
    if chunks not in existing:
        return None
    meta = client.get_collection(chunks, embedding_function=None).metadata or {}
    found = meta.get("embedding_model")
    return str(found) if found else None


def _live_name(docs: Any, base: str) -> str:
    """The chunk collection a document collection points at (``base`` before any reindex)."""
    return str((docs.metadata or {}).get(LIVE_KEY) or base)


class ChromaStore:
    """Chunks and documents in Chroma, guarded by the embedding-model check."""

    def __init__(
        self,
        client: Any,
        name: str,
        model_name: str,
        dimension: int | None,
        allow_mismatch: bool = False,
    ) -> None:
        self.client = client
        self.allow_mismatch = allow_mismatch
        self.built_with: str | None = None
        self.name = name
        self.model_name = model_name
        self.dimension = dimension
        self.base_chunks_name = f"{name}_chunks"
        self.docs_name = f"{name}_docs"
        self.docs = client.get_or_create_collection(
            self.docs_name, embedding_function=None,
            configuration={"hnsw": {"sync_threshold": _DOCS_SYNC, "batch_size": _DOCS_SYNC}})
        self.chunks_name = self._live_chunks_name()
        self.chunks = self._open_chunks()

    # --- collections -------------------------------------------------------------------------
    def _live_chunks_name(self) -> str:
        """The chunk collection the document collection points at (the base name before any
        reindex)."""
        self.docs = self.client.get_collection(self.docs_name, embedding_function=None)
        return _live_name(self.docs, self.base_chunks_name)

    def _open_chunks(self) -> Any:
        existing = {c.name for c in self.client.list_collections()}
        if self.chunks_name in existing:
            collection = self.client.get_collection(self.chunks_name, embedding_function=None)
            meta = collection.metadata or {}
            built_with = meta.get("embedding_model")
            self.built_with = built_with
            if built_with and built_with != self.model_name and not self.allow_mismatch:
                raise ModelMismatch(
                    f"the store was built with embedding model {built_with!r} "
                    f"(dimension {meta.get('embedding_dim')}), but the settings ask for "
                    f"{self.model_name!r} (LANDSCAPE_EMBEDDING_MODEL, "
                    "LANDSCAPE_EMBEDDING_MAX_TOKENS). Run `landscape reindex` to re-embed the "
                    "store with the new settings, or set them back."
                )
            if self.dimension is None and meta.get("embedding_dim"):
                self.dimension = int(meta["embedding_dim"])
            hnsw = (collection.configuration or {}).get("hnsw") or {}
            if int(hnsw.get("ef_search") or 0) < _SEARCH_EF:
                collection.modify(configuration={"hnsw": {"ef_search": _SEARCH_EF}})
            return collection
        return self._create_chunks(self.chunks_name)

    def _create_chunks(self, name: str) -> Any:
        return self.client.create_collection(
            name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "sync_threshold": _CHUNKS_SYNC,
                                    "batch_size": _CHUNKS_SYNC, "ef_search": _SEARCH_EF}},
            metadata=self._collection_metadata(),
        )

    def _collection_metadata(self) -> dict[str, Any]:
        return {
            "embedding_model": self.model_name,
            "embedding_dim": int(self.dimension or 0),
            "revision": uuid.uuid4().hex,
            "updated_at": time.time(),
        }

    def revision(self) -> str:
        """Changes whenever any process writes; cheap enough to poll. Also refreshes the handle,
        since another process's ``reindex`` switches the live collection."""
        self.chunks_name = self._live_chunks_name()
        self.chunks = self.client.get_collection(self.chunks_name, embedding_function=None)
        return str((self.chunks.metadata or {}).get("revision", ""))

    def bump_revision(self) -> None:
        self.chunks.modify(metadata=self._collection_metadata())

    # --- documents ---------------------------------------------------------------------------
    def document_text(self, doc_id: str) -> str | None:
        got = self.docs.get(ids=[doc_id], include=["documents"])
        return got["documents"][0] if got["ids"] else None

    def documents_text(self, doc_ids: Sequence[str]) -> dict[str, str]:
        got = self.docs.get(ids=list(doc_ids), include=["documents"]) if doc_ids else None
        return dict(zip(got["ids"], got["documents"], strict=True)) if got else {}

    def list_documents(self) -> list[DocumentRecord]:
        return [_record(i, m) for i, m, _ in self._paged(self.docs, ["metadatas"])]

    def put_documents(self, rows: Sequence[tuple[DocumentRecord, str]]) -> None:
        """Written last in an ingest: a document row means its chunks are complete."""
        for i in range(0, len(rows), _PAGE):
            batch = rows[i : i + _PAGE]
            self.docs.upsert(
                ids=[record.doc_id for record, _ in batch],
                embeddings=[_DOC_VECTOR] * len(batch),
                documents=[text for _, text in batch],
                metadatas=[record.metadata() for record, _ in batch],
            )

    def delete_document(self, doc_id: str) -> None:
        self.docs.delete(ids=[doc_id])
        self.delete_chunks_of(doc_id)

    # --- chunks ------------------------------------------------------------------------------
    def delete_chunks_of(self, doc_id: str) -> None:
        self.chunks.delete(where={"doc_id": doc_id})

    def delete_chunks_of_many(self, doc_ids: Sequence[str]) -> None:
        for i in range(0, len(doc_ids), 500):
            self.chunks.delete(where={"doc_id": {"$in": list(doc_ids[i : i + 500])}})

    def add_chunks(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        vectors: np.ndarray,
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        for i in range(0, len(ids), _PAGE):
            self.chunks.upsert(
                ids=list(ids[i : i + _PAGE]),
                embeddings=vectors[i : i + _PAGE],
                documents=list(texts[i : i + _PAGE]),
                metadatas=list(metadatas[i : i + _PAGE]),
            )

    def chunk_containing(self, doc_id: str, start: int, end: int) -> str:
        """The id of the chunk that holds ``document[start:end]`` (the one overlapping it most
        when it straddles two)."""
        got = self.chunks.get(where={"doc_id": doc_id}, include=["metadatas"])
        best, overlap = "", -1
        for cid, meta in zip(got["ids"], got["metadatas"], strict=True):
            a, b = int(meta.get("start", 0)), int(meta.get("end", 0))
            shared = min(b, end) - max(a, start)
            if shared > overlap:
                best, overlap = cid, shared
        return best

    def edge_chunk(self, doc_id: str, last: bool) -> str | None:
        """The id of a document's first chunk, or of its last; None when it has none."""
        got = self.chunks.get(where={"doc_id": doc_id}, include=["metadatas"])
        if not got["ids"]:
            return None
        edge = max if last else min
        return str(edge(zip(got["ids"], got["metadatas"], strict=True),
                        key=lambda row: int(row[1].get("chunk_index", 0)))[0])

    def count_chunks(self) -> int:
        return int(self.chunks.count())

    def iter_chunks(
        self, include_documents: bool = True
    ) -> Iterator[tuple[str, dict[str, Any], str | None]]:
        include = ["metadatas"] + (["documents"] if include_documents else [])
        yield from self._paged(self.chunks, include)

    def get_chunks(self, ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        out: dict[str, tuple[str, dict[str, Any]]] = {}
        for i in range(0, len(ids), _PAGE):
            got = self.chunks.get(ids=list(ids[i : i + _PAGE]), include=["documents", "metadatas"])
            for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                out[cid] = (doc, dict(meta))
        return out

    def query(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None
    ) -> list[tuple[str, float]]:
        """Nearest chunks as (chunk_id, cosine similarity)."""
        total = self.count_chunks()
        if total == 0:
            return []
        got = self.chunks.query(
            query_embeddings=[vector], n_results=min(n, total), where=where, include=["distances"]
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(got["ids"][0], got["distances"][0],
                                                          strict=True)]

    @staticmethod
    def _paged(collection: Any, include: list[str]) -> Iterator[tuple[str, dict[str, Any], Any]]:
        offset = 0
        while True:
            got = collection.get(include=include, limit=_PAGE, offset=offset)
            if not got["ids"]:
                return
            docs = got.get("documents") or [None] * len(got["ids"])
            for cid, meta, doc in zip(got["ids"], got["metadatas"], docs, strict=True):
                yield cid, dict(meta or {}), doc
            offset += len(got["ids"])

    # --- whole-store operations --------------------------------------------------------------
    def recreate_chunks(self, model_name: str, dimension: int) -> Any:
        """A fresh, empty chunk collection for ``reindex``, beside the live one; collections
        an interrupted reindex left behind are removed first (call with the write lock)."""
        self.model_name = model_name
        self.dimension = dimension
        live = self._live_chunks_name()
        for collection in self.client.list_collections():
            name = collection.name
            ours = name == self.base_chunks_name or name.startswith(f"{self.base_chunks_name}-")
            if ours and name != live:
                self.client.delete_collection(name)
        return self._create_chunks(f"{self.base_chunks_name}-{uuid.uuid4().hex[:12]}")

    def swap_in(self, new_collection: Any) -> None:
        """Make ``new_collection`` the live one: one metadata write switches every reader;
        the old collection is deleted only after."""
        new_collection.modify(metadata=self._collection_metadata())
        old = self._live_chunks_name()
        self.docs.modify(metadata={LIVE_KEY: new_collection.name})
        self.chunks_name = new_collection.name
        self.chunks = self.client.get_collection(self.chunks_name, embedding_function=None)
        if old != self.chunks_name:
            self.client.delete_collection(old)


def _record(doc_id: str, meta: dict[str, Any]) -> DocumentRecord:
    fields = DocumentRecord.__dataclass_fields__
    values = {k: v for k, v in meta.items() if k in fields}
    return DocumentRecord(doc_id=doc_id, **values)
