"""BM25 over jieba tokens (bm25s), derived from Chroma and persisted beside the store.

Chroma is the source of truth. This index remembers the Chroma ``revision`` it was built from;
when another process (or a crash) left them apart, ``sync`` rebuilds from Chroma, tokenizing only
chunks whose text it has not seen (tokens are cached by chunk id and text hash).
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.embeddings import text_key
from index.tokenize import TOKENIZER_VERSION, has_cjk, tokenize

CHINESE_SHARE = 0.3  # a chunk is Chinese when this share of its tokens is Chinese
STALE_BUILD_SECONDS = 60  # a build folder older than this is no longer being saved

logging.getLogger("bm25s").setLevel(logging.WARNING)


class TokenCache:
    """sha1(text) -> tokens in SQLite: identical text is tokenized once, and rebuilding the
    index never re-tokenizes text it has seen. Rows of another tokenizer version are ignored."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS text_tokens (hash TEXT PRIMARY KEY, tokens TEXT)"
        )
        self._lock = threading.Lock()

    @staticmethod
    def _key(text_hash: str) -> str:
        return f"{text_hash}|{TOKENIZER_VERSION}"

    def put(self, rows: Iterable[tuple[str, list[str]]]) -> None:
        """(text hash, tokens) pairs."""
        with self._lock, self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO text_tokens VALUES (?, ?)",
                [(self._key(h), "\x1f".join(toks)) for h, toks in rows],
            )

    def get_many(self, hashes: Sequence[str]) -> dict[str, list[str]]:
        """text hash -> tokens, for the hashes already tokenized by this tokenizer."""
        unique = list(dict.fromkeys(hashes))
        out: dict[str, list[str]] = {}
        suffix = len(TOKENIZER_VERSION) + 1
        with self._lock:
            for i in range(0, len(unique), 500):
                batch = [self._key(h) for h in unique[i : i + 500]]
                rows = self._conn.execute(
                    "SELECT hash, tokens FROM text_tokens WHERE hash IN "
                    f"({','.join('?' * len(batch))})",
                    batch,
                ).fetchall()
                out.update({key[:-suffix]: (t.split("\x1f") if t else []) for key, t in rows})
        return out

    def close(self) -> None:
        self._conn.close()


@dataclass(frozen=True)
class Bm25Snapshot:
    """One immutable state of the index: ids, vocabulary, matrices and filter columns built
    together. A search reads the snapshot it started with, however many rebuilds happen
    meanwhile (an upload during a chat never mixes one build's ids with another's scores)."""

    revision: str = ""
    ids: tuple[str, ...] = ()
    doc_ids: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    dates: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))
    chinese: np.ndarray = field(default_factory=lambda: np.array([], dtype=bool))
    vocab: dict[str, int] = field(default_factory=dict)
    retriever: Any = None

    @classmethod
    def from_state(cls, state: dict[str, Any], retriever: Any) -> Bm25Snapshot:
        return cls(
            revision=state["revision"],
            ids=tuple(state["ids"]),
            doc_ids=np.array(state["doc_ids"], dtype=object),
            dates=np.array(state["dates"], dtype=np.int64),
            chinese=np.array(state["chinese"], dtype=bool),
            vocab=dict(retriever.vocab_dict) if retriever is not None else {},
            retriever=retriever,
        )

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, weighted_terms: dict[str, float]) -> np.ndarray:
        """BM25 score of every chunk for a weighted bag of query terms."""
        total = np.zeros(len(self.ids), dtype=np.float32)
        if self.retriever is None:
            return total
        for term, weight in weighted_terms.items():
            if term in self.vocab and weight > 0:
                total += weight * self.retriever.get_scores([term])
        return total

    def concept_scores(self, concepts: dict[str, dict[tuple[str, ...], float]]) -> np.ndarray:
        """Sum over concepts of the best alternative's weighted BM25 score (tokens of one
        alternative add up: 深度 + 搜索 for "deep search").

        A concept is as rare as the chunks holding any of its renderings: each rendering's
        score is rescaled from its own IDF to the concept's, so an English word whose
        dictionary senses include one rare Chinese word ("figure": 图形) does not outweigh a
        name, and a word with many senses counts once."""
        total = np.zeros(len(self.ids), dtype=np.float32)
        if self.retriever is None:
            return total
        cache: dict[str, np.ndarray] = {}

        def score(token: str) -> np.ndarray:
            if token not in cache:
                cache[token] = self.retriever.get_scores([token])
            return cache[token]

        for alternatives in concepts.values():
            usable = {tokens: weight for tokens, weight in alternatives.items()
                      if weight > 0 and all(t in self.vocab for t in tokens)}
            if not usable:
                continue
            holders = np.zeros(len(self.ids), dtype=bool)
            for tokens in usable:
                for t in tokens:
                    holders |= score(t) > 0
            concept_idf = self._idf(int(holders.sum()))
            best = np.zeros(len(self.ids), dtype=np.float32)
            for tokens, weight in usable.items():
                rescaled = sum(
                    score(t) * (concept_idf / max(self._idf(self.document_frequency(t)), 1e-6))
                    for t in tokens
                )
                np.maximum(best, weight * rescaled, out=best)
            total += best
        return total

    def _idf(self, df: int) -> float:
        """bm25s's (Lucene) inverse document frequency."""
        n = len(self.ids)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(
        self,
        weighted_terms: dict[str, float] | None,
        n: int,
        mask: np.ndarray | None = None,
        concepts: dict[str, dict[tuple[str, ...], float]] | None = None,
        scale: np.ndarray | None = None,
    ) -> list[tuple[str, float]]:
        """Top ``n`` chunks with a positive score, optionally restricted by a boolean mask and
        weighted by a factor per chunk (``scale``). Scores plain weighted terms, or concepts
        (see ``concept_scores``)."""
        scores = (
            self.concept_scores(concepts) if concepts is not None
            else self.scores(weighted_terms or {})
        )
        if scale is not None:
            scores = scores * scale
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        positive = int((scores > 0).sum())
        n = min(n, positive)
        if n == 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [(self.ids[i], float(scores[i])) for i in top]

    def mask(self, doc_ids: set[str] | None, date_from: int, date_to: int,
             undated: bool = False) -> np.ndarray | None:
        """Boolean filter over chunks, or None when nothing is filtered; ``undated``: chunks
        of documents without a known date pass the date range."""
        if doc_ids is None and not date_from and not date_to:
            return None
        keep = np.ones(len(self.ids), dtype=bool)
        if doc_ids is not None:
            keep &= np.array([d in doc_ids for d in self.doc_ids], dtype=bool)
        inside = np.ones(len(self.ids), dtype=bool)
        if date_from:
            inside &= self.dates >= date_from
        if date_to:
            inside &= (self.dates <= date_to) & (self.dates > 0)
        return keep & (inside | (self.dates == 0)) if undated else keep & inside

    def documents_containing(self, term: str) -> set[str]:
        """Doc ids of the chunks that contain ``term`` (a whole-document view of the index)."""
        if self.retriever is None or term not in self.vocab:
            return set()
        hits = self.retriever.get_scores([term]) > 0
        return set(self.doc_ids[hits].tolist())

    def common_terms(self, share: float, at_least: int = 5) -> set[str]:
        """Tokens found in more than ``share`` of all chunks (and in more than ``at_least``)."""
        if self.retriever is None:
            return set()
        frequency = np.diff(self.retriever.scores["indptr"])
        limit = max(share * len(self.ids), at_least)
        return {t for t, i in self.vocab.items() if i < len(frequency) and frequency[i] > limit}

    def document_frequency(self, term: str) -> int:
        """How many chunks contain ``term`` (0 when unknown)."""
        if self.retriever is None or term not in self.vocab:
            return 0
        indptr = self.retriever.scores["indptr"]
        token_id = self.vocab[term]
        return int(indptr[token_id + 1] - indptr[token_id])


class BM25Index:
    """bm25s scores with per-chunk doc ids and dates kept aside for filtering. Reads go to
    ``snapshot`` (swapped as one object by a rebuild); writes hold the lock."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.tokens = TokenCache(directory / "tokens.sqlite")
        self.snapshot = Bm25Snapshot()
        self._lock = threading.RLock()
        self._load()

    @property
    def revision(self) -> str:
        return self.snapshot.revision

    @property
    def ids(self) -> tuple[str, ...]:
        return self.snapshot.ids

    @property
    def vocab(self) -> dict[str, int]:
        return self.snapshot.vocab

    @property
    def chinese(self) -> np.ndarray:
        return self.snapshot.chinese

    # --- persistence -------------------------------------------------------------------------
    def _state_path(self) -> Path:
        return self.directory / "state.json"

    def _load(self) -> None:
        state_path = self._state_path()
        if not state_path.is_file():
            return
        try:
            state = json.loads(state_path.read_text(encoding="utf-8"))
            if state.get("tokenizer") != TOKENIZER_VERSION:
                return  # built by another tokenizer: the next sync rebuilds it
            retriever = None
            if state["ids"]:
                import bm25s

                folder = self.directory / state.get("bm25s", "bm25s")
                retriever = bm25s.BM25.load(str(folder), show_progress=False)
            self.snapshot = Bm25Snapshot.from_state(state, retriever)
        except Exception:  # noqa: BLE001 - derived data: any damage means rebuild
            # a damaged derived index (a writer killed mid-save, an empty .npy) is simply
            # rebuilt by the next sync
            return

    # --- building ----------------------------------------------------------------------------
    def sync(self, store: Any, force: bool = False) -> bool:
        """Catch up with Chroma if its revision moved; returns True when it rebuilt."""
        with self._lock:
            revision = store.revision()
            if revision == self.revision and not force:
                return False
            ids, doc_ids, dates, hashes = [], [], [], []
            for cid, meta, _ in store.iter_chunks(include_documents=False):
                ids.append(cid)
                doc_ids.append(meta.get("doc_id", ""))
                dates.append(int(meta.get("date_int", 0) or 0))
                hashes.append(str(meta.get("text_hash", "")))
            token_map = self.tokens.get_many(hashes)
            missing = [c for c, h in zip(ids, hashes, strict=True) if h not in token_map]
            if missing:  # text this process has never seen (another writer, an old store)
                fresh = {text_key(text): tokenize(text)
                         for text, _ in store.get_chunks(missing).values()}
                self.tokens.put(fresh.items())
                token_map.update(fresh)
            hashes = [h if h in token_map else "" for h in hashes]
            corpus = [token_map.get(h) or [""] for h in hashes]
            self._build(revision, ids, doc_ids, dates, corpus)
            return True

    def _build(
        self,
        revision: str,
        ids: list[str],
        doc_ids: list[str],
        dates: list[int],
        corpus: list[list[str]],
    ) -> None:
        retriever = None
        chinese: list[bool] = []
        # Each build saves into a folder of its own, named by the state file that is replaced
        # in one step: a reader (or a writer killed mid-save) never pairs one build's state
        # with another's half-written arrays.
        folder = f"bm25s-{uuid.uuid4().hex[:12]}"
        self.directory.mkdir(parents=True, exist_ok=True)
        if ids:
            import bm25s

            chinese = [sum(map(has_cjk, toks)) >= CHINESE_SHARE * len(toks) for toks in corpus]
            retriever = bm25s.BM25()
            retriever.index(corpus, show_progress=False)
            retriever.save(str(self.directory / folder), show_progress=False)
        state = {
            "revision": revision, "ids": ids, "doc_ids": doc_ids, "dates": dates,
            "chinese": chinese, "tokenizer": TOKENIZER_VERSION, "bm25s": folder,
        }
        tmp = self.directory / f"state.{folder}.tmp"
        tmp.write_text(json.dumps(state), encoding="utf-8")
        tmp.replace(self._state_path())
        self.snapshot = Bm25Snapshot.from_state(state, retriever)  # one assignment: atomic
        self._clear_old_builds(keep=folder)

    def _clear_old_builds(self, keep: str) -> None:
        """Remove earlier builds' folders and what killed writers left. Only what has not
        changed for a while: another process may be saving its own build right now (readers
        rebuild too), and one that was loading a removed folder just rebuilds from Chroma."""
        cutoff = time.time() - STALE_BUILD_SECONDS
        for old in [*self.directory.glob("bm25s*"), *self.directory.glob("state.*.tmp")]:
            try:
                if keep in old.name or old.stat().st_mtime > cutoff:
                    continue
                if old.is_dir():
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    old.unlink(missing_ok=True)
            except OSError:
                continue  # another process cleared it first

    # --- querying (each call reads one snapshot) -----------------------------------------------
    def __len__(self) -> int:
        return len(self.snapshot.ids)

    def scores(self, weighted_terms: dict[str, float]) -> np.ndarray:
        return self.snapshot.scores(weighted_terms)

    def search(self, weighted_terms: dict[str, float] | None, n: int,
               mask: np.ndarray | None = None,
               concepts: dict[str, dict[tuple[str, ...], float]] | None = None,
               scale: np.ndarray | None = None,
               ) -> list[tuple[str, float]]:
        return self.snapshot.search(weighted_terms, n, mask, concepts, scale)

    def mask(self, doc_ids: set[str] | None, date_from: int, date_to: int,
             undated: bool = False) -> np.ndarray | None:
        return self.snapshot.mask(doc_ids, date_from, date_to, undated)

    def documents_containing(self, term: str) -> set[str]:
        return self.snapshot.documents_containing(term)

    def common_terms(self, share: float, at_least: int = 5) -> set[str]:
        return self.snapshot.common_terms(share, at_least)

    def document_frequency(self, term: str) -> int:
        return self.snapshot.document_frequency(term)
