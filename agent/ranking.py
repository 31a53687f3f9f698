"""Second-stage ranking of the hybrid-search pool for one question.

Hybrid search ranks by term statistics alone. Here each candidate also scores by what the
question asks for: the IDF-weighted share of the question's concepts the passage contains
(``concept_coverage``, the same measure as the refusal score), the share its whole document
contains (``document_coverage``) and the share of the entities the question names that it
names (``names_share``). The weights were chosen on the ``tune`` half of
``tests/data/eval.jsonl`` only (see the README's ablation).

Then the pool is cut: the best ``k`` passages without near-copies, or for a comparison the best
passages of each relevant article, interleaved.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import replace

from agent.answerability import PICK_V
from agent.grounding import concept_coverage, concept_weight, token_set
from agent.question import QuestionShape
from index.corpus import Corpus
from index.search import SearchResult
from index.store import chunk_index
from index.tokenize import has_cjk, without_credits

POOL_SIZE = 50  # hybrid-search candidates re-ranked per question
COVERAGE_WEIGHT = 1.0
DOCUMENT_WEIGHT = 0.5
JOINED = "joins"  # signal of a passage made of two neighbouring chunks: [id, start, end] each
NEAR_COPY = 0.8  # token-set Jaccard above which a passage repeats one already chosen
ARTICLE_RATIO = 0.6  # an article joins a comparison when its best passage scores this share
MAX_ARTICLES = 3
# for "the two articles": how much a document is about the AI industry (1.0 and 2.0 tie on
# tune; at 1.0 a published haystack piece was "the other article" on the fifth probe)
DOMAIN_WEIGHT = 2.0
# for "the two articles": a document naming its outlet or author (0.5 and 1.0 tie on tune;
# 1.0 keeps a code page about an OpenAI client from being "the other article")
PUBLISHED_WEIGHT = 1.0
RECENCY_WEIGHT = 1.0  # "latest": how much the newest dated passage gains over the oldest
FOCUS_RATIO = 0.9  # documents quoted: those covering this share of the best one's coverage
# …and a passage holding the value asked for, of a document covering this share (most of the
# question: not a manual that shares two of its words and has a figure)
HOLDING_RATIO = 0.7
# a passage naming the entities the question names (by any form: Doubao, 豆包): what a
# question about an entity asks is said where the entity is; flat on tune from 0.25 to 2
ENTITY_WEIGHT = 0.5
ARTICLE_WEIGHT = 0.5  # "作者认为…": a bonus for a published piece's passages
# the question's two-word phrases ("深度推理", "deep reasoning" → 深度推理) held together in a
# passage, not 深度学习 … 推理 apart: a bonus by the share of them it holds (0.5 and 1.0 about
# tie on tune; 0.5 kept more citations in the articles on the probes)
PHRASE_WEIGHT = 0.5
# "which one did best" (``QuestionShape.picks``): a passage saying a standing or that one
# is better (显著优于, 已算翘楚, outperforms); on tune and the probes 0.3 found 2 more, 0.6
# and 1.0 three, none lost
PICK_WEIGHT = 0.6
SALIENT_MENTIONS = 3  # times a passage names an entity to be about it (``names_share``)
# within one article, the question's share that the heading over a passage covers (the
# section it is in: "质量的提升是显而易见的" under "视频必争"); of tune's and the probes' 706
# comparisons and each-article questions, 554 found → +4 / −0 at 0.1, +10 / −3 at 0.15,
# +14 / −8 at 0.3, +21 / −10 at 0.6, +30 / −16 at 1.0 (most of the churn the "ai" of "Zhipu
# AI" covering every heading with "AI" in it; without it, at 0.6: +15 / −2)
HEADING_WEIGHT = 0.6
# a model that reads Chinese (multilingual-e5-small): its cosine to the question, scaled to
# 0..1 within the pool; tune recall@5 0.83 -> 0.88 at 1.0 (0.5: 0.86, 2.0: 0.86). An
# English-only model's cosine lowered tune MRR (0.685 -> 0.634), so it gets none
DENSE_WEIGHT = 1.0


class Forms(frozenset[str]):
    """An entity's case-folded forms. A *loose* one is also an ordinary word (字节 is "byte",
    混元 "time immemorial"): it names the entity only in a document that names it otherwise,
    or one of its relatives (``names_elsewhere(doc_ids)``, asked once per document)."""

    loose: frozenset[str]
    names_elsewhere: Callable[[list[str]], dict[str, bool]] | None
    _known: dict[str, bool]

    def __new__(cls, forms: Iterable[str], loose: Iterable[str] = (),
                names_elsewhere: Callable[[list[str]], dict[str, bool]] | None = None) -> Forms:
        made = super().__new__(cls, forms)
        made.loose = frozenset(loose) & made
        made.names_elsewhere = names_elsewhere
        made._known = {}
        return made

    def usable(self, doc_id: str | None) -> frozenset[str]:
        """The forms that name the entity in this document."""
        if not self.loose or doc_id is None or self.names_elsewhere is None:
            return self
        if doc_id not in self._known:
            self.learn([doc_id])
        return self if self._known[doc_id] else self - self.loose

    def learn(self, doc_ids: Iterable[str]) -> None:
        """Ask about these documents at once (the search pool's)."""
        if self.loose and self.names_elsewhere is not None:
            unknown = [d for d in dict.fromkeys(doc_ids) if d not in self._known]
            if unknown:
                self._known.update(self.names_elsewhere(unknown))


def names_share(anchors: Sequence[frozenset[str]], text: str, doc_id: str | None = None,
                graded: bool = False) -> float:
    """The share of the question's named entities (each the set of its case-folded forms,
    ``EntityIndex.forms``) that ``text`` (of the document ``doc_id``) names in any form; an
    image's credit line ("图源:智谱清言") names who made the picture, not a subject.
    ``graded``: an entity named more than once counts more, up to half as much again when
    named ``SALIENT_MENTIONS`` times (among an article's passages that all name it, "What does
    each article say about Zhipu?" is answered by the one about Zhipu)."""
    if not anchors:
        return 0.0
    folded = without_credits(text).casefold()
    total = 0.0
    for forms in anchors:
        usable = forms.usable(doc_id) if isinstance(forms, Forms) else forms
        if not graded:
            total += any(_names(form, folded) for form in usable)
            continue
        times = max((len(re.findall(_form_pattern(form), folded)) for form in usable),
                    default=0)
        if times:
            total += 1 + 0.5 * (min(times, SALIENT_MENTIONS) - 1) / (SALIENT_MENTIONS - 1)
    return total / len(anchors)


def _names(form: str, folded: str) -> bool:
    return re.search(_form_pattern(form), folded) is not None


def _form_pattern(form: str) -> str:
    """A form as ``folded`` text names it (a Latin form as a word of its own, or with its
    version number)."""
    if not form.isascii():
        return re.escape(form)
    if form[-1].isalpha():  # and with its version number ("PixelDance1", "Seaweed2")
        return rf"(?<![a-z0-9]){re.escape(form)}(?![a-z])"
    return rf"(?<![a-z0-9]){re.escape(form)}(?![a-z0-9])"


def rerank(
    pool: list[SearchResult], shape: QuestionShape, concepts: list[dict[str, float]],
    idf: dict[str, float], documents: dict[str, float] | None = None,
    anchors: list[frozenset[str]] | None = None, published: Set[str] | None = None,
    phrases: Sequence[frozenset[str]] = (), dense: float = 0.0, salience: bool = False,
    heading: Callable[[SearchResult], str] | None = None,
) -> list[SearchResult]:
    """The pool ordered by fused rank, concept coverage and, given ``documents``
    (``document_coverage``), how much of the question the passage's whole document covers;
    given ``published`` (a question about what an article or its author says), a bonus for
    passages of published pieces; given ``dense``, its weight times the passage's cosine to
    the question, scaled to 0..1 within the pool; ``salience``: a passage naming the
    question's entities more often is more about them (within one article, where all name
    them: ``names_share(graded=True)``); ``heading``: the heading over a passage (its
    section's, within one article), whose share of the question counts too (at
    ``HEADING_WEIGHT``); for a question picking the best or most
    (``shape.picks``), a bonus for a passage that says a standing or a comparison."""
    if not pool:
        return []
    top = max(hit.score for hit in pool) or 1.0
    cosine = _scaled_cosines(pool) if dense else {}
    # (a heading is short: a concept's two-letter Latin alternative, "ai" of "Zhipu AI",
    # would cover every heading saying "AI视频")
    headed = [{t: w for i, (t, w) in enumerate(c.items()) if i == 0 or has_cjk(t) or len(t) > 2}
              for c in concepts] if heading is not None else []
    scored = []
    for hit in pool:
        value = hit.score / top + dense * cosine.get(hit.chunk_id, 0.0)
        coverage = concept_coverage(concepts, idf, hit.text) if concepts else 0.0
        value += COVERAGE_WEIGHT * coverage
        if heading is not None and concepts:
            value += HEADING_WEIGHT * concept_coverage(headed, idf, heading(hit))
        if documents:
            value += DOCUMENT_WEIGHT * documents.get(hit.doc_id, 0.0)
        if anchors:
            value += ENTITY_WEIGHT * names_share(anchors, hit.text, hit.doc_id, graded=salience)
        if published and hit.doc_id in published:
            value += ARTICLE_WEIGHT
        if phrases:
            value += PHRASE_WEIGHT * sum(any(p in hit.text for p in forms)
                                         for forms in phrases) / len(phrases)
        if shape.picks and PICK_V.search(hit.text):
            value += PICK_WEIGHT
        scored.append((value, hit))
    # rounded: a sum over a set's words differs in its last bits from one process to the
    # next, and equal passages keep the pool's order
    scored.sort(key=lambda pair: -round(pair[0], 9))
    return [replace(hit, rank=rank, score=round(value, 6))
            for rank, (value, hit) in enumerate(scored, start=1)]


def _scaled_cosines(pool: list[SearchResult]) -> dict[str, float]:
    """chunk id -> its dense cosine to the question, min-max scaled over the pool (0 for
    passages the dense side did not return)."""
    found = {hit.chunk_id: float(hit.signals["dense"]["score"]) for hit in pool
             if isinstance(hit.signals.get("dense"), dict)}
    if not found:
        return {}
    low, high = min(found.values()), max(found.values())
    if high <= low:
        return {}
    return {cid: (value - low) / (high - low) for cid, value in found.items()}


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def diverse_top(ranked: list[SearchResult], k: int) -> list[SearchResult]:
    """The best ``k`` passages, skipping any that nearly copies one already chosen (the same
    story in two documents, or two overlapping chunks)."""
    chosen: list[SearchResult] = []
    tokens: list[frozenset[str]] = []
    later: list[SearchResult] = []
    for hit in ranked:
        own = token_set(hit.text)
        if any(_jaccard(own, other) >= NEAR_COPY for other in tokens):
            later.append(hit)
            continue
        chosen.append(hit)
        tokens.append(own)
        if len(chosen) == k:
            break
    chosen += later[: k - len(chosen)]
    return [replace(hit, rank=rank) for rank, hit in enumerate(chosen, start=1)]


def joined_neighbours(ranked: list[SearchResult], k: int) -> list[SearchResult]:
    """The best ``k`` passages, where two consecutive chunks of a document ranked before the
    ``k``-th place are one passage (their overlap once): an answer that runs across a chunk's
    cut stays whole, and the place the second chunk would take goes to the next passage (the
    auto-merging of small chunks into the span they come from)."""
    chosen: list[SearchResult] = []
    for hit in ranked:
        at = next((i for i, kept in enumerate(chosen) if _neighbours(kept, hit)), None)
        if at is not None:
            chosen[at] = _joined(chosen[at], hit)
        elif len(chosen) < k:
            chosen.append(hit)
        else:
            break
    return [replace(hit, rank=rank) for rank, hit in enumerate(chosen, start=1)]


def _neighbours(kept: SearchResult, hit: SearchResult) -> bool:
    """Whether ``hit`` is the chunk before or after ``kept`` (itself one chunk, not two
    joined) in the same document, their spans overlapping or touching."""
    if kept.doc_id != hit.doc_id or JOINED in kept.signals:
        return False
    try:
        apart = abs(chunk_index(kept.chunk_id) - chunk_index(hit.chunk_id))
    except ValueError:  # an id that names no position
        return False
    return apart == 1 and kept.start <= hit.end and hit.start <= kept.end


def _joined(kept: SearchResult, hit: SearchResult) -> SearchResult:
    """One passage of two neighbouring chunks, in reading order (``text == document_text[
    start:end]`` still holds), under the later chunk's id (what follows it follows both)."""
    first, second = sorted((kept, hit), key=lambda h: h.start)
    return replace(kept, chunk_id=second.chunk_id, start=first.start, end=second.end,
                   text=first.text + second.text[first.end - second.start:],
                   signals={**kept.signals, JOINED: [[part.chunk_id, part.start, part.end]
                                                     for part in (first, second)]})


def chunks_of(passages: list[SearchResult]) -> list[SearchResult]:
    """The passages with each joined one (``joined_neighbours``) read as the chunks it joins,
    in reading order: what the refusal checks read, chunk by chunk as retrieved (a figure and
    a name two chunks apart are not one passage's)."""
    chunks: list[SearchResult] = []
    for hit in passages:
        signals = {k: v for k, v in hit.signals.items() if k != JOINED}
        chunks += [replace(hit, chunk_id=cid, start=start, end=end, signals=signals,
                           text=hit.text[start - hit.start : end - hit.start])
                   for cid, start, end in hit.signals.get(JOINED, ())] or [hit]
    return [replace(hit, rank=rank) for rank, hit in enumerate(chunks, start=1)]


def document_coverage(
    corpus: Corpus, concepts: list[dict[str, float]], idf: dict[str, float]
) -> dict[str, float]:
    """IDF-weighted share of the question's concepts each document contains anywhere in its
    text: the parts of a comparison are spread over an article, not packed in one passage."""
    unseen = max(idf.values(), default=1.0)
    weights, holders = [], []
    for concept in concepts:
        weights.append(concept_weight(concept, idf, unseen))
        docs: set[str] = set()
        for token in concept:
            docs |= corpus.bm25.documents_containing(token)
        holders.append(docs)
    total = sum(weights) or 1.0
    coverage: dict[str, float] = {}
    for weight, docs in zip(weights, holders, strict=True):
        for doc in docs:
            coverage[doc] = coverage.get(doc, 0.0) + weight / total
    return coverage


def pick_articles(
    ranked: list[SearchResult], coverage: dict[str, float], both: bool,
    domain: dict[str, float] | None = None, published: Set[str] | None = None,
) -> list[str]:
    """The articles a comparison is about: by whole-document coverage of the question, then by
    their best passage; the top two when the question names two articles (then also by how much
    each is about the domain, ``Corpus.domain_density``: in this product "the articles" are the
    industry pieces, and any ``published`` piece holding some of the question is a candidate
    even when none of its passages reached the search pool), else every article within
    ``ARTICLE_RATIO`` of the best (at most ``MAX_ARTICLES``)."""
    best_passage: dict[str, float] = {}
    for hit in ranked:
        best_passage.setdefault(hit.doc_id, hit.score)
    top = max(best_passage.values(), default=1.0) or 1.0
    candidates = dict(best_passage)
    if both and coverage:  # the articles may hold the question's words below the pool's cut
        most = max(coverage.values())
        candidates.update({doc: 0.0 for doc, value in coverage.items()
                           if value >= most and doc not in candidates})
        if published:  # …and so may any published piece that holds some of them
            candidates.update({doc: 0.0 for doc in published
                               if doc in coverage and doc not in candidates})
    score = {doc: coverage.get(doc, 0.0) + value / top for doc, value in candidates.items()}
    if both and domain:  # "the two articles": staff mean the industry pieces
        score = {doc: value + DOMAIN_WEIGHT * domain.get(doc, 0.0)
                 for doc, value in score.items()}
    if both and published:  # an article is a published piece: it names its outlet or author
        score = {doc: value + (PUBLISHED_WEIGHT if doc in published else 0.0)
                 for doc, value in score.items()}
    docs = sorted(score, key=lambda d: -score[d])
    if not docs:
        return []
    if both:
        return docs[:2]
    return [d for d in docs if score[d] >= ARTICLE_RATIO * score[docs[0]]][:MAX_ARTICLES]


def interleave(per_doc: list[list[SearchResult]], k: int) -> list[SearchResult]:
    """The articles' best passages in turn (A1, B1, A2, B2 …), at least two of each: the
    first round in the articles' order, each later one best re-rank score first, so that
    the last of the ``k`` places goes to the article whose next passage holds more of the
    question (a longer article holds its answer deeper; on tune and the probes'
    comparisons, 359 of 466 found every article's passage against 350). Each article's
    neighbouring chunks among its places are one passage (``joined_neighbours``: 359 → 370)."""
    depth = max(2, math.ceil(k / max(len(per_doc), 1)))
    per_doc = [joined_neighbours(hits, depth) for hits in per_doc]
    chosen: list[SearchResult] = []
    for i in range(depth):
        round_ = [hits[i] for hits in per_doc if i < len(hits)]
        chosen += round_ if i == 0 else sorted(round_, key=lambda hit: -hit.score)
    return [replace(hit, rank=rank) for rank, hit in enumerate(chosen, start=1)]


def focus_documents(
    evidence: list[SearchResult], coverage: dict[str, float], concepts: list[dict[str, float]],
    idf: dict[str, float], anchors: list[frozenset[str]] | None = None,
    published: Set[str] | None = None, holding: Set[str] = frozenset(),
) -> list[SearchResult]:
    """The passages worth quoting: those of the documents that cover the question best, the
    passage that itself covers it best, and those holding the figure asked for (``holding``:
    their chunk ids; "累计生成超6500万个视频" in the review, under a question whose words the
    commentary repeats more) in a document holding most of the question
    (``HOLDING_RATIO``). A passage from a document holding much less of the question is
    a distractor that shares a few words with it: it is not quoted (it stays "related"). Nor
    is one that names none of the entities the question names (``anchors``) when another
    passage names one."""
    best_doc = max((coverage.get(hit.doc_id, 0.0) for hit in evidence), default=0.0)
    own = [concept_coverage(concepts, idf, hit.text) for hit in evidence]
    best_own = max(own, default=0.0)
    kept = [hit for hit, mine in zip(evidence, own, strict=True)
            if (doc := coverage.get(hit.doc_id, 0.0)) >= FOCUS_RATIO * best_doc
            or mine >= best_own or hit.chunk_id in holding and doc >= HOLDING_RATIO * best_doc]
    if anchors:  # the passages naming the question's entities (of two chunks joined, the one
        #          that names them: "清影…3~5分钟" without the 可灵 chunk before it)
        def naming(hit: SearchResult) -> bool:
            return names_share(anchors, hit.text, hit.doc_id) > 0

        def named(hit: SearchResult) -> list[SearchResult]:
            parts = chunks_of([hit])
            some = [part for part in parts if naming(part)]
            return some if 0 < len(some) < len(parts) else [hit]

        kept = [part for hit in kept for part in named(hit)]
        kept = _prefer(kept, evidence, naming)
    if published:  # "作者认为…": the article's passages, not a look-alike's
        kept = _prefer(kept, evidence, lambda hit: hit.doc_id in published)
    return kept


def _prefer(kept: list[SearchResult], evidence: list[SearchResult],
            wanted: Callable[[SearchResult], bool]) -> list[SearchResult]:
    """The kept passages that are ``wanted``; else any retrieved ones that are (even where
    their document holds less of the question's words than a look-alike); else all kept."""
    return ([hit for hit in kept if wanted(hit)] or [hit for hit in evidence if wanted(hit)]
            or kept)


def prefer_recent(ranked: list[SearchResult]) -> list[SearchResult]:
    """For a "latest" question: the pool re-ordered with a bonus growing with the passage's
    publication date (newest dated: ``RECENCY_WEIGHT``; oldest dated and undated: none)."""
    dates = [_day_number(hit.date) for hit in ranked]
    known = [d for d in dates if d]
    if len(set(known)) < 2:
        return ranked
    low, high = min(known), max(known)
    scored = [(hit.score + (RECENCY_WEIGHT * (d - low) / (high - low) if d else 0.0), hit)
              for hit, d in zip(ranked, dates, strict=True)]
    scored.sort(key=lambda pair: -pair[0])
    return [replace(hit, rank=rank, score=round(value, 6))
            for rank, (value, hit) in enumerate(scored, start=1)]


def _day_number(day: str) -> int:
    """Days since year 1 of a YYYY-MM-DD date (0 when unknown): dates an even step apart."""
    from datetime import date

    try:
        return date.fromisoformat(day[:10]).toordinal() if day else 0
    except ValueError:
        return 0


LATEST_RELEVANCE = 0.3  # "latest": sources covering this share of the best one's coverage


def newest_relevant(evidence: list[SearchResult], concepts: list[dict[str, float]],
                    idf: dict[str, float]) -> list[SearchResult]:
    """For a "latest" question: the passages of the newest dated document among those that
    hold the question nearly as well as the best one ([] when none is dated)."""
    own = [concept_coverage(concepts, idf, hit.text) for hit in evidence]
    best = max(own, default=0.0)
    relevant = [hit for hit, mine in zip(evidence, own, strict=True)
                if hit.date and mine >= LATEST_RELEVANCE * best]
    if not relevant:
        return []
    newest = max(_day_number(hit.date) for hit in relevant)
    return [hit for hit in relevant if _day_number(hit.date) == newest]
