"""Hybrid search: three rankings fused with weighted reciprocal-rank fusion — BM25 over the
query's own jieba tokens, BM25 over its English words bridged into Chinese (a ranking of its own,
so Chinese chunks get a full vote against English ones for an English question), and dense
vectors in Chroma.

The weights follow the query's language (see ``ranker_weights``): an English-only model turns
Chinese into [UNK], so its ranking of a Chinese query is noise.
"""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from index.bridge import BridgeTerms
from index.corpus import Corpus
from index.store import chunk_id, chunk_index, date_as_int
from index.tokenize import has_cjk, tokenize


@dataclass
class SearchFilters:
    """Optional restrictions: a source glob or substring, and an ISO date range."""

    source: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    undated: bool = False  # documents without a known date pass the date range too
    doc_id: str | None = None  # one document, by id (searching within an article)
    doc_ids: frozenset[str] | None = None  # any of these documents (the published pieces)

    def is_empty(self) -> bool:
        return not (self.source or self.date_from or self.date_to or self.doc_id
                    or self.doc_ids is not None)


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


def query_terms(corpus: Corpus, query: str) -> tuple[dict[str, float], BridgeTerms]:
    """The query's own BM25 tokens (with counts), and its bridged Chinese concepts."""
    native = {t: float(c) for t, c in Counter(tokenize(query)).items()}
    sources = corpus.settings.bridge_sources
    bridged = corpus.bridge.translate(query, sources) if sources else BridgeTerms()
    return native, bridged


# a verb's result or direction (用完, 吃光, 攒下): what it says is how the verb ended
_COMPLEMENTS = frozenset("下完光掉到走住满")


def synonym_concepts(corpus: Corpus, native: dict[str, float]
                     ) -> dict[str, dict[tuple[str, ...], float]]:
    """The query's Chinese tokens, each with its corpus synonyms (CC-CEDICT as a pivot) at
    ``SYNONYM_WEIGHT``: a question worded unlike the article (花费 vs 成本) still matches;
    one character too, as jieba leaves a verb or an adjective ("网上攒下来的数据": 攒 ~ 积累;
    宽还是窄: 窄 ~ 狭窄); a verb's complement has the senses of the verb it ends, not its own
    ("快用|完": 用完 ~ 枯竭, where 完 ~ 完成 is no topic)."""
    weight = corpus.settings.synonym_weight
    concepts: dict[str, dict[tuple[str, ...], float]] = {}
    before = ""
    for token in native:
        if not has_cjk(token):
            before = ""
            continue
        alternatives: dict[tuple[str, ...], float] = {(token,): 1.0}
        if weight > 0:
            if token not in _COMPLEMENTS:
                synonyms = corpus.bridge.synonyms(token)
            elif has_cjk(before[-1:]):
                synonyms = corpus.bridge.synonyms(before[-1] + token)
            else:
                synonyms = set()
            alternatives.update({(s,): weight for s in synonyms})
            alternatives.update({(s,): weight for s in _same_count(corpus, token)})
        concepts[token] = alternatives
        before = token
    return concepts


# a number and a measure word, as jieba keeps them together ("两块硬伤", "两个短板", "两大难题")
_MEASURE_WORDS = ("块", "个", "点", "项", "条", "种", "款", "大", "处", "类", "方面")
_COUNTED = re.compile(rf"([两二三四五六七八九十])(?:{'|'.join(_MEASURE_WORDS)})")


def _same_count(corpus: Corpus, token: str) -> set[str]:
    """The same number with another measure word, as the corpus writes it: "哪两块硬伤" asks
    for what an article calls "两个…短板" (a measure word says nothing of what is counted)."""
    counted = _COUNTED.fullmatch(token)
    if counted is None:
        return set()
    number = counted.group(1)
    return {number + measure for measure in _MEASURE_WORDS
            if number + measure != token and number + measure in corpus.bridge.vocabulary}


# how much an English question's own words lose in Chinese chunks, times its Latin share
NATIVE_IN_CHINESE = 0.5
BRIDGED_SYNONYM_SHARE = 0.5  # chosen on the tune half (1.0 cost a false refusal there)
# a multilingual model's dense vote for an English question (1.0 for Chinese): 0.5 and 0.25
# tie on tune, 1.0 lost English recall there (0.84 -> 0.76, the bridge's vote then halved)
CROSS_LINGUAL_DENSE = 0.5


def _with_synonyms(corpus: Corpus, concepts: dict[str, dict[tuple[str, ...], float]]
                   ) -> dict[str, dict[tuple[str, ...], float]]:
    """Bridged concepts widened by the CC-CEDICT synonyms of their one-word renderings, at
    ``synonym_weight`` × ``BRIDGED_SYNONYM_SHARE`` of the rendering's weight ("images" → 图像
    → 图片): a synonym of a translation is one step further from the question than a
    synonym of its own word."""
    weight = corpus.settings.synonym_weight
    if weight <= 0:
        return concepts
    widened = {}
    for concept, options in concepts.items():
        wide = dict(options)
        for tokens, value in options.items():
            if len(tokens) == 1 and len(tokens[0]) > 1 and has_cjk(tokens[0]):
                for synonym in corpus.bridge.synonyms(tokens[0]):
                    wide[(synonym,)] = max(wide.get((synonym,), 0.0),
                                           value * weight * BRIDGED_SYNONYM_SHARE)
        widened[concept] = wide
    return widened


def latin_share(query: str) -> float:
    """Share of the query's word tokens that are Latin words (numbers count for neither)."""
    tokens = [t for t in tokenize(query) if not t.replace(".", "").isdigit()]
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if not has_cjk(t)) / len(tokens)


def ranker_weights(corpus: Corpus, query: str) -> tuple[float, float]:
    """(bridge, dense) weights in the fusion; the native BM25 ranking always weighs 1.

    An English-only model reads only the Latin part of a query, so the dense weight is the
    squared Latin share. The bridged query stands for the question in Chinese: it weighs as much
    as the query is English, plus the dense vote it cannot get from an English-only model (kept
    with a multilingual model too: its English-to-Chinese match is weaker than the bridge).
    """
    share = latin_share(query)
    if corpus.embedder.reads_chinese:  # a multilingual model: full vote in Chinese, half in
        # English, where its cross-lingual match is weaker than the bridge (chosen on tune)
        return share * (1.0 + share**2), 1.0 - share * (1.0 - CROSS_LINGUAL_DENSE)
    return share * (1.0 + share**2), share**2


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


def _chroma_where(doc_ids: set[str] | None, date_from: int, date_to: int,
                  undated: bool = False) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if doc_ids is not None:
        clauses.append({"doc_id": {"$in": sorted(doc_ids)}})
    dated: list[dict[str, Any]] = []
    if date_from:
        dated.append({"date_int": {"$gte": date_from}})
    if date_to:
        dated.append({"date_int": {"$lte": date_to}})
        dated.append({"date_int": {"$gt": 0}})
    if dated and undated:
        inside = dated[0] if len(dated) == 1 else {"$and": dated}
        clauses.append({"$or": [inside, {"date_int": 0}]})
    else:
        clauses += dated
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def hybrid_search(
    corpus: Corpus,
    query: str,
    k: int | None = None,
    filters: SearchFilters | None = None,
    dense: bool = True,
) -> list[SearchResult]:
    """Top-k chunks for ``query`` by weighted RRF of BM25 and dense rankings (``dense``:
    whether the dense side votes)."""
    settings = corpus.settings
    k = k or settings.top_k
    n = max(settings.candidates, k)
    corpus.sync()

    doc_ids: set[str] | None = None
    date_from = date_to = 0
    undated = bool(filters and filters.undated)
    if filters is not None and not filters.is_empty():
        if filters.source:
            doc_ids = _matching_doc_ids(corpus, filters.source)
            if not doc_ids:
                return []
        if filters.doc_id:
            doc_ids = {filters.doc_id} if doc_ids is None else doc_ids & {filters.doc_id}
        if filters.doc_ids is not None:
            doc_ids = set(filters.doc_ids) if doc_ids is None else doc_ids & filters.doc_ids
            if not doc_ids:
                return []
        date_from = date_as_int(filters.date_from or "")
        date_to = date_as_int(filters.date_to or "")

    native, bridged = query_terms(corpus, query)
    bm25 = corpus.bm25.snapshot  # one build for the whole search, whatever ingest does meanwhile
    mask = bm25.mask(doc_ids, date_from, date_to, undated)
    # A hit must match a distinctive term: chunks sharing only "AI" with the question are noise.
    informative = corpus.informative(native)
    present = {t: w for t, w in informative.items() if t in bm25.vocab}
    lexical: list[tuple[str, float]] = []
    if present or not informative or (any(map(has_cjk, informative)) and not corpus.informative(
            {t: w for t, w in native.items() if t in bm25.vocab})):
        # (when every distinctive Chinese word is one the documents never use, "快见底", the
        # words they do use still rank: the refusal weighs what is missing; an English
        # question's unknown words are the bridge's to render)
        native_mask = mask
        # (within one document, a comparison's per-article search, every word of the question
        # ranks: its words the whole corpus uses too much, 训练数据, are what the article says
        # there, and a single character left, 完 of 用完, would rule out every other passage)
        if present and len(present) < len(native) and not (filters and filters.doc_id):
            native_mask = bm25.scores(present) > 0
            native_mask = native_mask if mask is None else native_mask & mask
        # an English question reaches a Chinese passage through the bridge: its own words in
        # Chinese text are mostly code and identifiers there (search_engine_chat, top_k)
        share = latin_share(query)
        scale = (np.where(bm25.chinese, 1.0 - NATIVE_IN_CHINESE * share, 1.0)
                 if share and len(bm25.chinese) == len(bm25) else None)
        lexical = bm25.search(native, n, native_mask, scale=scale)
    translated: list[tuple[str, float]] = []
    if bridged.concepts:  # the question rendered in Chinese ranks the Chinese chunks
        chinese = bm25.chinese if mask is None else bm25.chinese & mask
        translated = bm25.search(None, n, chinese, concepts=_with_synonyms(corpus,
                                                                           bridged.concepts))

    expanded: list[tuple[str, float]] = []
    synonyms = synonym_concepts(corpus, informative)
    if any(len(alternatives) > 1 for alternatives in synonyms.values()):
        expanded = bm25.search(None, n, mask, concepts=synonyms)

    bridge_weight, dense_weight = ranker_weights(corpus, query)
    nearest: list[tuple[str, float]] = []
    if dense and dense_weight > 0:
        vector = corpus.embedder.embed_query(query)
        nearest = [
            (cid, similarity)
            for cid, similarity in corpus.store.query(
                vector, n, _chroma_where(doc_ids, date_from, date_to, undated)
            )
            if similarity >= settings.dense_min_similarity
        ]

    fused: dict[str, float] = {}
    signals: dict[str, dict[str, Any]] = {}
    rankers = (
        ("bm25", lexical, 1.0),
        ("bridge", translated, bridge_weight),
        ("synonyms", expanded, settings.synonym_weight),
        ("dense", nearest, dense_weight),
    )
    for name, hits, weight in rankers:
        for rank, (cid, raw) in enumerate(hits, start=1):
            fused[cid] = fused.get(cid, 0.0) + weight / (settings.rrf_k + rank)
            signals.setdefault(cid, {})[name] = {"rank": rank, "score": round(raw, 4)}
    top = sorted(fused.items(), key=lambda item: -round(item[1], 12))[:k]  # ties: in order
    rows = corpus.store.get_chunks([cid for cid, _ in top])
    return [_result(rank, score, cid, *rows[cid],
                    {**signals.get(cid, {}), "dense_weight": round(dense_weight, 3)})
            for rank, (cid, score) in enumerate(top, start=1)
            if cid in rows]  # (one deleted by another process between ranking and fetching)


def _result(rank: int, score: float, cid: str, text: str, meta: dict[str, Any],
            signals: dict[str, Any]) -> SearchResult:
    return SearchResult(
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
        signals=signals,
    )


def next_passage(corpus: Corpus, hit: SearchResult) -> SearchResult | None:
    """The passage that follows ``hit`` in its document; None after its last (or for a
    passage whose id names no position)."""
    try:
        cid = chunk_id(hit.doc_id, chunk_index(hit.chunk_id) + 1)
    except ValueError:
        return None
    rows = corpus.store.get_chunks([cid])
    if cid not in rows:
        return None
    return _result(hit.rank + 1, 0.0, cid, *rows[cid], {"follows": hit.chunk_id})


def edge_passage(corpus: Corpus, doc_id: str, last: bool) -> SearchResult | None:
    """A document's first passage (its title, lead or summary) or its last (how it ends),
    for a question that asks for that part of an article; None when it has no passage."""
    cid = corpus.store.edge_chunk(doc_id, last)
    rows = corpus.store.get_chunks([cid]) if cid else {}
    if cid is None or cid not in rows:
        return None
    return _result(1, 0.0, cid, *rows[cid], {"part": "end" if last else "lead"})
