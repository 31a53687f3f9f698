"""Hybrid search: BM25 over jieba tokens (plus the English bridge) and dense vectors in Chroma,
fused with weighted reciprocal-rank fusion.

The dense side is weighted by how much of the query the embedding model can read: an
English-only model turns Chinese into [UNK], and its ranking of a Chinese query is noise, so
its weight is the squared share of Latin words in the query (1.0 for a multilingual model).
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from index.corpus import Corpus
from index.store import date_as_int
from index.tokenize import has_cjk, tokenize


@dataclass
class SearchFilters:
    """Optional restrictions: a source glob or substring, and an ISO date range."""

    source: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def is_empty(self) -> bool:
        return not (self.source or self.date_from or self.date_to)


@dataclass
class SearchResult:
    """One retrieved chunk; ``text == document_text[start:end]``."""

    rank: int
    score: float
    doc_id: str
    source: str
    title: str
    chunk_id: str
    start: int
    end: int
    text: str
    outlet: str = ""
    date: str = ""
    signals: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def query_terms(corpus: Corpus, query: str) -> tuple[dict[str, float], dict[str, str]]:
    """Weighted BM25 terms: the query's own tokens, plus bridged Chinese terms if it has English."""
    weights: dict[str, float] = {t: float(c) for t, c in Counter(tokenize(query)).items()}
    sources: dict[str, str] = {}
    if corpus.settings.bridge_sources:
        bridged = corpus.bridge.translate(query, corpus.settings.bridge_sources)
        for term, weight in bridged.weights.items():
            if weight > weights.get(term, 0.0):
                weights[term] = weight
                sources[term] = bridged.sources[term]
    return weights, sources


def dense_weight_for(corpus: Corpus, query: str) -> float:
    """How much to trust the dense ranking of this query (0 to 1)."""
    if corpus.embedder.reads_chinese:
        return 1.0
    tokens = tokenize(query)
    if not tokens:
        return 0.0
    latin = sum(1 for t in tokens if not has_cjk(t))
    return (latin / len(tokens)) ** 2


def _matching_doc_ids(corpus: Corpus, pattern: str) -> set[str]:
    wanted = pattern.lower()
    found = set()
    for record in corpus.store.list_documents():
        for value in (record.source, record.path, record.title, record.doc_id):
            text = value.lower()
            name = text.rsplit("/", 1)[-1]
            if wanted in text or fnmatch.fnmatch(text, wanted) or fnmatch.fnmatch(name, wanted):
                found.add(record.doc_id)
                break
    return found


def _chroma_where(doc_ids: set[str] | None, date_from: int, date_to: int) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if doc_ids is not None:
        clauses.append({"doc_id": {"$in": sorted(doc_ids)}})
    if date_from:
        clauses.append({"date_int": {"$gte": date_from}})
    if date_to:
        clauses.append({"date_int": {"$lte": date_to}})
        clauses.append({"date_int": {"$gt": 0}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def hybrid_search(
    corpus: Corpus,
    query: str,
    k: int | None = None,
    filters: SearchFilters | None = None,
) -> list[SearchResult]:
    """Top-k chunks for ``query`` by weighted RRF of BM25 and dense rankings."""
    settings = corpus.settings
    k = k or settings.top_k
    n = max(settings.candidates, k)
    corpus.sync()

    doc_ids: set[str] | None = None
    date_from = date_to = 0
    if filters is not None and not filters.is_empty():
        if filters.source:
            doc_ids = _matching_doc_ids(corpus, filters.source)
            if not doc_ids:
                return []
        date_from = date_as_int(filters.date_from or "")
        date_to = date_as_int(filters.date_to or "")

    terms, bridged = query_terms(corpus, query)
    lexical = corpus.bm25.search(terms, n, corpus.bm25.mask(doc_ids, date_from, date_to))

    dense_weight = dense_weight_for(corpus, query)
    dense: list[tuple[str, float]] = []
    if dense_weight > 0:
        vector = corpus.embedder.embed_query(query)
        dense = [
            (cid, similarity)
            for cid, similarity in corpus.store.query(
                vector, n, _chroma_where(doc_ids, date_from, date_to)
            )
            if similarity >= settings.dense_min_similarity
        ]

    fused: dict[str, float] = {}
    signals: dict[str, dict[str, Any]] = {}
    for name, hits, weight in (("bm25", lexical, 1.0), ("dense", dense, dense_weight)):
        for rank, (cid, raw) in enumerate(hits, start=1):
            fused[cid] = fused.get(cid, 0.0) + weight / (settings.rrf_k + rank)
            signals.setdefault(cid, {})[name] = {"rank": rank, "score": round(raw, 4)}
    top = sorted(fused.items(), key=lambda item: -item[1])[:k]
    rows = corpus.store.get_chunks([cid for cid, _ in top])
    results = []
    for rank, (cid, score) in enumerate(top, start=1):
        if cid not in rows:  # deleted by another process between ranking and fetching
            continue
        text, meta = rows[cid]
        results.append(
            SearchResult(
                rank=rank,
                score=round(score, 6),
                doc_id=str(meta.get("doc_id", "")),
                source=str(meta.get("source", "")),
                title=str(meta.get("title", "")),
                chunk_id=cid,
                start=int(meta.get("start", 0)),
                end=int(meta.get("end", 0)),
                text=text,
                outlet=str(meta.get("outlet", "")),
                date=str(meta.get("date", "")),
                signals={**signals.get(cid, {}), "dense_weight": round(dense_weight, 3),
                         "bridged_terms": len(bridged)},
            )
        )
    return results
