"""Incremental, crash-safe ingestion of files into the corpus.

Per document, in this order: old chunks deleted, new chunks upserted (deterministic ids), token
cache filled, and the document row written last as the commit marker. A crash anywhere leaves
a document without its row (or with its old hash), so the next run redoes exactly that document.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.chunking import chunk_text
from index.corpus import Corpus
from index.embeddings import text_key
from index.errors import LandscapeError, LoadError
from index.loaders import SUPPORTED_SUFFIXES, LoadedDocument, load_document
from index.metadata import SIDECAR_SUFFIX, sidecar_paths
from index.observe import INGESTED
from index.store import DocumentRecord, chunk_id, date_as_int
from index.tokenize import tokenize
from index.webdocs import WebDocument

_FLUSH_CHUNKS = 256
log = logging.getLogger("landscape")


@dataclass
class IngestReport:
    """What one ingest run did; ``summary()`` is the line printed at the end."""

    added: int = 0
    updated: int = 0
    skipped: int = 0
    removed: int = 0
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    entity_seconds: float = 0.0  # extracting who/what/figures of the new documents
    failed: list[LoadError] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files in folders of unreadable types

    def summary(self) -> str:
        ignored = ""
        if self.ignored:
            kinds = sorted({Path(p).suffix.lower() or "(none)" for p in self.ignored})
            ignored = f"; {len(self.ignored)} ignored (unsupported: {', '.join(kinds)})"
        return (
            f"{self.added} added, {self.updated} updated, {self.skipped} skipped, "
            f"{self.removed} removed documents; {self.chunks} chunks written, "
            f"{self.embedded} embedded; {len(self.failed)} failed{ignored}; {self.seconds:.1f} s"
        )

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "failed"}
        data["failed"] = [{"path": e.path, "reason": e.reason} for e in self.failed]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IngestReport:
        """A report sent as ``as_dict`` (by the server an ingest went through)."""
        report = cls(**{k: v for k, v in data.items()
                        if k in cls.__dataclass_fields__ and k != "failed"})
        report.failed = [LoadError(f["path"], f["reason"]) for f in data.get("failed", [])]
        return report


def doc_id_for(path: Path) -> str:
    """Stable id from the absolute path: the same file always maps to the same document."""
    return hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]


def display_source(path: Path) -> str:
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(Path.cwd()))
    except ValueError:
        return str(resolved)


def content_hash(path: Path, chunk_size: int, chunk_overlap: int) -> str:
    """Hash of the bytes, any sidecar, and the chunking settings that shape the chunks."""
    digest = hashlib.sha256(path.read_bytes())
    for sidecar in sidecar_paths(path):
        if sidecar.is_file():
            digest.update(sidecar.read_bytes())
    digest.update(f"|{chunk_size}|{chunk_overlap}".encode())
    return digest.hexdigest()


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[LoadError], list[Path]]:
    """Supported files under the given paths (hidden files and sidecars skipped), sorted; the
    paths that do not exist; and the files in folders whose type we cannot read."""
    files: list[Path] = []
    errors: list[LoadError] = []
    ignored: list[Path] = []
    for root in paths:
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    candidate = Path(dirpath) / name
                    if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
                        continue
                    if candidate.suffix.lower() in SUPPORTED_SUFFIXES:
                        files.append(candidate)
                    else:
                        ignored.append(candidate)
        elif root.is_file():
            files.append(root)
        else:
            errors.append(LoadError(root, "no such file or directory"))
    return sorted(dict.fromkeys(files)), errors, ignored


@dataclass
class _Pending:
    record: DocumentRecord
    document: LoadedDocument
    chunk_ids: list[str]
    texts: list[str]
    metadatas: list[dict[str, Any]]


class _Writer:
    """Buffers documents until enough chunks are pending, then embeds them in one batch."""

    def __init__(self, corpus: Corpus, report: IngestReport) -> None:
        self.corpus = corpus
        self.report = report
        self.pending: list[_Pending] = []

    def add(self, item: _Pending) -> None:
        self.pending.append(item)
        if sum(len(p.texts) for p in self.pending) >= _FLUSH_CHUNKS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        store, embedder = self.corpus.store, self.corpus.embedder
        texts = [t for p in self.pending for t in p.texts]
        started = time.perf_counter()
        before = embedder.embedded_total
        vectors = embedder.embed_documents(texts) if texts else np.zeros((0, 1), np.float32)
        self.report.embed_seconds += time.perf_counter() - started
        self.report.embedded += embedder.embedded_total - before
        if not store.dimension:
            store.dimension = int(vectors.shape[1]) if len(texts) else embedder.dimension
        # One write of each kind per batch; document rows last, as the commit marker.
        # Old chunks of these documents go first (an update, or a crash that left chunks
        # without their document row), in one call.
        store.delete_chunks_of_many([p.record.doc_id for p in self.pending])
        metadatas = [m for p in self.pending for m in p.metadatas]
        if texts:
            store.add_chunks([c for p in self.pending for c in p.chunk_ids], texts, vectors,
                             metadatas)
            hashes = [m["text_hash"] for m in metadatas]
            known = self.corpus.bm25.tokens.get_many(hashes)
            fresh = {h: t for h, t in zip(hashes, texts, strict=True) if h not in known}
            self.corpus.bm25.tokens.put((h, tokenize(t)) for h, t in fresh.items())
        store.put_documents([(p.record, p.document.text) for p in self.pending])
        self.report.chunks += len(texts)
        store.bump_revision()
        self.pending.clear()


def _prepare(path: Path, corpus: Corpus, digest: str) -> _Pending:
    settings = corpus.settings
    document = load_document(path, max_bytes=int(settings.max_file_mb * 1_000_000))
    doc_id = doc_id_for(path)
    chunks = chunk_text(document.text, settings.chunk_size, settings.chunk_overlap)
    record = DocumentRecord(
        doc_id=doc_id,
        source=display_source(path),
        path=str(path.resolve()),
        title=document.title,
        content_hash=digest,
        n_chunks=len(chunks),
        outlet=document.outlet,
        author=document.author,
        date=document.date,
        url=document.url,
        format=document.format,
        ingested_at=time.time(),
    )
    return _pending(record, document, chunks)


def _pending(record: DocumentRecord, document: LoadedDocument, chunks: list[Any]) -> _Pending:
    """A document's chunks with their ids and metadata, ready for the writer."""
    metadatas = [
        {
            "doc_id": record.doc_id,
            "chunk_index": c.index,
            "start": c.start,
            "end": c.end,
            "source": record.source,
            "title": record.title,
            "outlet": record.outlet,
            "date": record.date,
            "date_int": date_as_int(record.date),
            "text_hash": text_key(c.text),
        }
        for c in chunks
    ]
    return _Pending(
        record=record,
        document=document,
        chunk_ids=[chunk_id(record.doc_id, c.index) for c in chunks],
        texts=[c.text for c in chunks],
        metadatas=metadatas,
    )


def _prepare_or_explain(path: Path, corpus: Corpus, digest: str) -> _Pending:
    """``_prepare``, with a parser's unexpected crash turned into this file's one-line error,
    so one odd file never ends the batch."""
    try:
        return _prepare(path, corpus, digest)
    except (LandscapeError, OSError):
        raise
    except Exception as exc:  # noqa: BLE001 - third-party parsers raise anything
        log.warning("reading %s failed", path, exc_info=True)
        raise LoadError(path, f"could not be read ({type(exc).__name__}: {str(exc)[:160]})") \
            from None


ProgressFactory = Callable[[int], Any]


def ingest_paths(
    corpus: Corpus,
    paths: Sequence[Path],
    prune: bool = False,
    progress: ProgressFactory | None = None,
) -> IngestReport:
    """Ingest files and folders; unchanged files cost a hash and nothing else."""
    started = time.perf_counter()
    report = IngestReport()
    files, missing, ignored = collect_files(paths)
    report.failed.extend(missing)
    report.ignored = [str(p) for p in ignored]
    settings = corpus.settings
    with corpus.write_lock():
        known = {r.doc_id: r for r in corpus.store.list_documents()}
        writer = _Writer(corpus, report)
        bar = progress(len(files)) if progress else None
        for path in files:
            try:
                digest = content_hash(path, settings.chunk_size, settings.chunk_overlap)
                previous = known.get(doc_id_for(path))
                if previous is not None and previous.content_hash == digest:
                    report.skipped += 1
                else:
                    writer.add(_prepare_or_explain(path, corpus, digest))
                    if previous is None:
                        report.added += 1
                    else:
                        report.updated += 1
            except LoadError as exc:
                report.failed.append(exc)
            except OSError as exc:
                report.failed.append(LoadError(path, f"cannot read file ({exc.strerror})"))
            except LandscapeError:
                raise
            if bar is not None:
                bar.update(1)
        writer.flush()
        if bar is not None:
            bar.close()
        if prune:
            report.removed = _prune(corpus, paths, known)
        corpus.sync(now=True)
        report.entity_seconds = _extract_entities(corpus)
    report.seconds = time.perf_counter() - started
    for result in ("added", "updated", "skipped"):
        INGESTED.labels(result).inc(getattr(report, result))
    INGESTED.labels("failed").inc(len(report.failed))
    return report


def _extract_entities(corpus: Corpus) -> float:
    """Who/what/figures of the new or changed documents (``index.entities``); seconds taken."""
    started = time.perf_counter()
    corpus.entity_index().sync(corpus.store)
    return time.perf_counter() - started


def _prune(corpus: Corpus, roots: Sequence[Path], known: dict[str, DocumentRecord]) -> int:
    """Remove documents under the given roots whose files no longer exist."""
    resolved_roots = [str(r.resolve()) for r in roots]
    removed = 0
    for record in known.values():
        under = any(record.path == r or record.path.startswith(r + os.sep) for r in resolved_roots)
        if under and not Path(record.path).exists():
            corpus.store.delete_document(record.doc_id)
            removed += 1
    if removed:
        corpus.store.bump_revision()
    return removed


def reindex(corpus: Corpus, progress: ProgressFactory | None = None) -> int:
    """Re-embed every chunk with the configured model into a fresh collection, then swap it in."""
    with corpus.write_lock():
        store, embedder = corpus.store, corpus.embedder
        rows = list(store.iter_chunks(include_documents=True))
        target = store.recreate_chunks(embedder.identity, embedder.dimension)
        bar = progress(len(rows)) if progress else None
        for i in range(0, len(rows), _FLUSH_CHUNKS):
            batch = rows[i : i + _FLUSH_CHUNKS]
            texts = [str(text) for _, _, text in batch]
            vectors = embedder.embed_documents(texts)
            target.upsert(
                ids=[cid for cid, _, _ in batch],
                embeddings=vectors,
                documents=texts,
                metadatas=[meta for _, meta, _ in batch],
            )
            if bar is not None:
                bar.update(len(batch))
        if bar is not None:
            bar.close()
        store.swap_in(target)
        corpus.sync(now=True)
        return len(rows)


def web_doc_id(url: str) -> str:
    """Stable id of a document fetched from ``url``."""
    return hashlib.sha1(f"url:{url}".encode()).hexdigest()[:16]


def _prepare_web(document: WebDocument, corpus: Corpus, digest: str) -> _Pending:
    settings = corpus.settings
    loaded = LoadedDocument(text=document.text, title=document.title or document.url,
                            outlet=document.outlet, author=document.author,
                            date=document.date, url=document.url, format="html")
    doc_id = web_doc_id(document.url)
    chunks = chunk_text(loaded.text, settings.chunk_size, settings.chunk_overlap)
    record = DocumentRecord(
        doc_id=doc_id, source=document.url, path=document.url, title=loaded.title,
        content_hash=digest, n_chunks=len(chunks), outlet=loaded.outlet, author=loaded.author,
        date=loaded.date, url=document.url, format="html", ingested_at=time.time(),
        aliases=json.dumps(document.aliases, ensure_ascii=False) if document.aliases else "",
    )
    return _pending(record, loaded, chunks)


def ingest_web(corpus: Corpus, documents: Sequence[WebDocument],
               remove: Sequence[str] = ()) -> IngestReport:
    """Write fetched documents (one per URL; an unchanged one costs a hash) and remove the
    documents ``remove`` names (doc ids), under the corpus's write lock."""
    started = time.perf_counter()
    report = IngestReport()
    settings = corpus.settings
    with corpus.write_lock():
        known = {r.doc_id: r for r in corpus.store.list_documents()}
        writer = _Writer(corpus, report)
        for document in documents:
            digest = document.content_hash(settings.chunk_size, settings.chunk_overlap)
            previous = known.get(web_doc_id(document.url))
            if previous is not None and previous.content_hash == digest:
                report.skipped += 1
                continue
            if not document.text.strip():
                report.failed.append(LoadError(document.url, "no text found on the page"))
                continue
            writer.add(_prepare_web(document, corpus, digest))
            if previous is None:
                report.added += 1
            else:
                report.updated += 1
        writer.flush()
        for doc_id in remove:
            if doc_id in known:
                corpus.store.delete_document(doc_id)
                report.removed += 1
        if report.removed:
            corpus.store.bump_revision()
        corpus.sync(now=True)
        report.entity_seconds = _extract_entities(corpus)
    report.seconds = time.perf_counter() - started
    for result in ("added", "updated", "skipped"):
        INGESTED.labels(result).inc(getattr(report, result))
    return report
