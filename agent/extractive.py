"""The no-LLM answer: the most relevant sentences of the retrieved passages, each cited.

It is the offline default and the fallback when the configured LLM fails. Sentences are quoted
verbatim, so every citation is valid by construction (and still goes through verification).
"""

from __future__ import annotations

from agent.grounding import concept_coverage
from agent.language import split_sentences
from agent.safety import looks_like_injection
from index.search import SearchResult

MAX_SENTENCES = 3
MIN_SENTENCE_CHARS = 8
RELATIVE_CUTOFF = 0.5  # keep sentences scoring at least half the best one


def _sentence_score(sentence: str, concepts: list[dict[str, float]], idf: dict[str, float],
                    rank: int) -> float:
    # earlier passages break ties
    return concept_coverage(concepts, idf, sentence) / (1.0 + 0.1 * rank)


def extractive_answer(
    language: str,
    evidence: list[SearchResult],
    concepts: list[dict[str, float]],
    idf: dict[str, float],
) -> str:
    """Answer text with [n] markers (n = 1-based index into ``evidence``)."""
    candidates: list[tuple[float, int, int, int]] = []  # score, passage, start, end
    for index, hit in enumerate(evidence):
        for start, end in split_sentences(hit.text):
            sentence = hit.text[start:end]
            if (len(sentence) < MIN_SENTENCE_CHARS or sentence.startswith("#")
                    or looks_like_injection(sentence)):
                continue  # too short to inform, a heading, or an instruction planted for an AI
            score = _sentence_score(sentence, concepts, idf, index)
            if score > 0:
                candidates.append((score, index, hit.start + start, hit.start + end))
    if not candidates:
        return ""
    candidates.sort(key=lambda c: -c[0])
    best = candidates[0][0]
    chosen: list[tuple[float, int, int, int]] = []
    for candidate in candidates:
        _, index, start, end = candidate
        if candidate[0] < RELATIVE_CUTOFF * best or len(chosen) == MAX_SENTENCES:
            break
        doc = evidence[index].doc_id
        overlaps = any(
            evidence[i].doc_id == doc and s < end and start < e for _, i, s, e in chosen
        )
        if not overlaps:  # overlapping chunks repeat sentences
            chosen.append(candidate)
    doc_order = {hit.doc_id: i for i, hit in reversed(list(enumerate(evidence)))}
    chosen.sort(key=lambda c: (doc_order[evidence[c[1]].doc_id], c[2]))
    parts = []
    for _, index, start, end in chosen:
        hit = evidence[index]
        sentence = hit.text[start - hit.start : end - hit.start]
        parts.append(_cite(sentence, index + 1, language))
    if language == "en":
        return "According to the documents (quoted in the original Chinese): " + " ".join(parts)
    return "".join(parts)


def _cite(sentence: str, n: int, language: str) -> str:
    if language == "en":
        return f"“{sentence}” [{n}]"
    trimmed = sentence.rstrip("。！？!?；;…")
    ending = sentence[len(trimmed):] or "。"
    return f"{trimmed}[{n}]{ending}"
