"""Grounding checks: how well a chunk supports a claim, how well the corpus covers a question,
and the verification that every citation of an answer is real, verbatim and supported.

Support is lexical over jieba tokens, with English words bridged into Chinese through the
corpus's English bridge, so an English claim can be checked against a Chinese source.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

from agent.language import split_sentences
from agent.safety import drop_injected_sentences
from index.bridge import EnglishBridge
from index.search import SearchResult
from index.tokenize import EN_STOPWORDS, has_cjk, latin_words, squash_spaces, tokenize

_MARKER = re.compile(r"\[(\d{1,3})\]")
_MARKERS_AFTER_END = re.compile(r"([。！？!?；;.])(\s*)((?:\[\d{1,3}\])+)")
_QUOTED = re.compile(r"“([^”]{4,})”|「([^」]{4,})」|\"([^\"]{4,})\"|『([^』]{4,})』")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CONNECTIVES = frozenset(
    "综上所述 总之 总的来说 总体 总体而言 总结 根据 文档 资料 来源 以下 如下 "
    "相关 信息 内容 显示 提到 指出 具体 具体来说 此外 另外 同时 然而 不过 因此 "
    "简而言之 回答 答案 according documents document sources source summary following here "
    "say says said shown show mention mentioned information based answer overall note short "
    "addition however therefore conclusion".split()
)
# A model's way of saying the sources hold no answer (rule 1 of the system prompt).
_DECLINE = re.compile(
    r"(?:documents?|sources?|context)\s+(?:do(?:es)?\s*n[o']t|did\s*n[o']t|does not|do not)\s+"
    r"(?:cover|mention|contain|say|address|provide|answer|include)"
    r"|(?:not|never)\s+(?:covered|mentioned|stated|addressed)\s+(?:in|by)\s+the\s+"
    r"(?:documents?|sources?)"
    r"|(?:文档|资料|来源|材料|文章)[^。！？\n]{0,12}(?:没有|未|并未|没)(?:涉及|提到|提及|包含|说明|覆盖|给出)"
    r"|无法(?:根据|从)[^。！？\n]{0,12}(?:回答|得知|确定)",
    re.IGNORECASE,
)
# Prompt scaffolding a model may echo back: never content.
_SCAFFOLD = re.compile(r"</?sources?\b[^>\n]*>?|<<\s*/?SYS\s*>>|\[/?INST\]|</?s>", re.IGNORECASE)


@dataclass
class Citation:
    """A verified citation: ``quote == document_text[start:end]``."""

    n: int
    doc_id: str
    chunk_id: str
    title: str
    source: str
    outlet: str
    date: str
    quote: str
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Verification:
    """The answer after verification, and what was changed to get there."""

    text: str
    citations: list[Citation]
    dropped_sentences: list[str] = field(default_factory=list)
    kept_claims: int = 0
    reattributed: int = 0
    removed_markers: int = 0

    @property
    def trustworthy(self) -> bool:
        """False when verification had to drop as many claims as it kept."""
        return self.kept_claims > 0 and len(self.dropped_sentences) < self.kept_claims


class SupportScorer:
    """Lexical support of a claim by a passage, bridging English claims into Chinese."""

    def __init__(self, bridge: EnglishBridge) -> None:
        self.bridge = bridge
        self._concepts: dict[str, list[set[tuple[str, ...]]]] = {}

    def concepts(self, text: str) -> list[set[tuple[str, ...]]]:
        """The claim's concepts, each a set of alternative token tuples that would satisfy it."""
        if text not in self._concepts:
            self._concepts[text] = self._find_concepts(text)
        return self._concepts[text]

    def _find_concepts(self, text: str) -> list[set[tuple[str, ...]]]:
        concepts: list[set[tuple[str, ...]]] = []
        seen: set[str] = set()
        for token in tokenize(text):
            if has_cjk(token) and token not in seen:
                seen.add(token)
                concepts.append({(token,)})
        bridged = self.bridge.translate(text, ("glossary", "cedict", "pinyin"))
        for word in latin_words(text):
            if word in seen or word in EN_STOPWORDS or (len(word) < 2 and not word.isdigit()):
                continue
            seen.add(word)
            options: set[tuple[str, ...]] = {(word,)}
            for concept, alternatives in bridged.concepts.items():
                if word in concept.split():
                    options.update(alternatives)
            concepts.append(options)
        return concepts

    def support(self, claim: str, passage: str) -> float:
        """Share of the claim's concepts found in the passage (0–1); numbers must match."""
        concepts = self.concepts(claim)
        if not concepts:
            return 0.0
        tokens = set(tokenize(passage))
        flat = squash_spaces(passage).lower()
        covered = 0
        for options in concepts:
            if any(all(t in tokens or t in flat for t in option) for option in options):
                covered += 1
        score = covered / len(concepts)
        numbers = set(_NUMBER.findall(claim))
        if numbers and not numbers & set(_NUMBER.findall(passage)):
            score *= 0.5  # a figure the source does not contain is a red flag
        return score


def declines(text: str) -> bool:
    """A reply that cites nothing and says the sources do not answer the question."""
    return not _MARKER.search(text) and bool(_DECLINE.search(text))


def evidence_score(query_concepts: list[dict[str, float]], idf: dict[str, float],
                   passages: list[str]) -> float:
    """IDF-weighted share of the question's concepts that the best passage covers (0–1).

    ``query_concepts``: per concept, alternative tokens with weights (a Chinese token alone, or
    an English word with its bridged renderings). Used to decide whether to refuse.
    """
    if not query_concepts or not passages:
        return 0.0
    return max(concept_coverage(query_concepts, idf, passage) for passage in passages)


@lru_cache(maxsize=8192)
def token_set(text: str) -> frozenset[str]:
    """The tokens of a text, remembered: the same passages are scored for many questions."""
    return frozenset(tokenize(text))


def concept_coverage(concepts: list[dict[str, float]], idf: dict[str, float], text: str) -> float:
    """IDF-weighted share of ``concepts`` that ``text`` contains (terms unseen in the corpus
    weigh the most, so a question about something absent scores low)."""
    tokens = token_set(text)
    beginnings = name_beginnings(text)
    unseen = max(idf.values(), default=1.0)
    total = covered = 0.0
    for concept in concepts:
        weight = concept_weight(concept, idf, unseen)
        total += weight
        covered += weight * max((w for t, w in concept.items()
                                 if t in tokens or t in beginnings), default=0.0)
    return covered / total if total else 0.0


PARTIAL_NAME = 5  # letters a Latin word needs to be taken for a name's beginning


@lru_cache(maxsize=8192)
def name_beginnings(text: str) -> frozenset[str]:
    """The beginnings of a text's longer Latin tokens, of ``PARTIAL_NAME`` letters or more: a
    name remembered by its beginning ("一个好像叫什么Pixel……后面还带个数字的": PixelDance1)
    covers the question's word ("open", shorter, does not cover OpenAI)."""
    return frozenset(token[:end] for token in token_set(text) if token.isascii()
                     for end in range(PARTIAL_NAME, len(token)) if token[:end].isalpha())


def concept_weight(concept: dict[str, float], idf: dict[str, float], unseen: float) -> float:
    """How specific a concept is: the IDF of its own token (the first) when the corpus has it;
    else of its commonest rendering (an English word weighs what its Chinese renderings weigh,
    and a word with one rare sense, "figure": 图形, is not taken for a rare concept); terms the
    corpus never uses weigh the most."""
    first = next(iter(concept))
    if idf.get(first, unseen) < unseen:
        return idf[first]
    seen = [idf[t] for t in concept if idf.get(t, unseen) < unseen]
    return min(seen) if seen else unseen


def idf_table(df: dict[str, int], n_chunks: int) -> dict[str, float]:
    """Smoothed inverse document frequency; unseen terms get the largest value."""
    n = max(n_chunks, 1)
    return {t: math.log((n + 1) / (d + 0.5)) for t, d in df.items()}


def best_quote(claim: str, passage: str, scorer: SupportScorer) -> tuple[int, int]:
    """Span of the passage's sentence that best supports the claim (local offsets)."""
    spans = split_sentences(passage) or [(0, len(passage))]
    return max(spans, key=lambda s: (scorer.support(claim, passage[s[0]:s[1]]), -s[0]))


def _is_connective(claim: str, evidence: list[SearchResult]) -> bool:
    """A short sentence whose words are connectives or come from the sources: no "HACKED"."""
    flat = squash_spaces(" ".join(drop_injected_sentences(e.text) for e in evidence)).lower()
    return all(t in _CONNECTIVES or t in flat for t in tokenize(claim))


def _is_substantive(claim: str) -> bool:
    """A sentence that states something (vs. a connective like "综上所述：")."""
    return bool(_NUMBER.search(claim)) or len(tokenize(claim)) >= 4


def verify_answer(
    text: str, evidence: list[SearchResult], scorer: SupportScorer, threshold: float
) -> Verification:
    """Keep only what the evidence supports; renumber citations; attach verbatim quotes.

    - a marker [n] must name a passage that was given (1..len(evidence)) and that supports the
      sentence; otherwise the sentence is re-attributed to the passage that supports it best,
      or dropped when none does;
    - a quoted span must be verbatim in its cited passage (else in another given passage);
    - a substantive sentence without any marker must be supported by some passage.
    """
    text = _SCAFFOLD.sub(" ", text)
    text = _MARKERS_AFTER_END.sub(lambda m: m.group(3) + m.group(1), text)
    result = Verification(text="", citations=[])
    renumber: dict[int, int] = {}
    claims_for: dict[int, list[str]] = {}
    pieces: list[str] = []
    cursor = 0
    for start, end in split_sentences(text):
        pieces.append(text[cursor:start])
        cursor = end
        sentence = text[start:end]
        claim = _MARKER.sub("", sentence).strip()
        cited = [int(m) for m in _MARKER.findall(sentence)]
        if not re.search(r"[\w\u3400-\u9fff]", claim):
            continue  # punctuation or markup only
        if claim.endswith(("?", "？")):
            result.dropped_sentences.append(sentence)  # a question restated is no answer
            continue
        kept = _check_sentence(claim, cited, evidence, scorer, threshold, result)
        if kept is None:
            result.dropped_sentences.append(sentence)
            continue
        if kept:
            result.kept_claims += 1
        new_markers = []
        for index in kept:
            if index not in renumber:
                renumber[index] = len(renumber) + 1
            claims_for.setdefault(index, []).append(claim)
            new_markers.append(f"[{renumber[index]}]")
        pieces.append(_place_markers(_MARKER.sub("", sentence).rstrip(), "".join(new_markers)))
    pieces.append(text[cursor:])
    joined = re.sub(r"[ \t]{2,}", " ", "".join(pieces))
    result.text = re.sub(r"\n{3,}", "\n\n", joined).strip()
    for index, n in sorted(renumber.items(), key=lambda kv: kv[1]):
        hit = evidence[index]
        local_start, local_end = best_quote(" ".join(claims_for[index]), hit.text, scorer)
        result.citations.append(
            Citation(
                n=n, doc_id=hit.doc_id, chunk_id=hit.chunk_id, title=hit.title,
                source=hit.source, outlet=hit.outlet, date=hit.date,
                quote=hit.text[local_start:local_end],
                start=hit.start + local_start, end=hit.start + local_end,
            )
        )
    return result


def _place_markers(sentence: str, markers: str) -> str:
    """Markers go before the sentence's final punctuation: "…了[1]。"."""
    if not markers:
        return sentence
    match = re.search(r"[。！？!?；;.…]+[”’」』\"')）]*$", sentence)
    if match:
        return sentence[: match.start()] + markers + sentence[match.start():]
    return sentence + markers


def _check_sentence(
    claim: str,
    cited: list[int],
    evidence: list[SearchResult],
    scorer: SupportScorer,
    threshold: float,
    result: Verification,
) -> list[int] | None:
    """Indexes (0-based) of the passages that back this sentence, or None to drop it."""
    quotes = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(claim)]
    quotes = [q for q in quotes if has_cjk(q) or len(q.split()) >= 3]

    def backs(index: int) -> bool:
        passage = evidence[index].text
        if any(squash_spaces(q) not in squash_spaces(passage) for q in quotes):
            return False
        return scorer.support(claim, passage) >= threshold

    kept: list[int] = []
    for n in dict.fromkeys(cited):
        index = n - 1
        if 0 <= index < len(evidence) and backs(index):
            kept.append(index)
        else:
            result.removed_markers += 1
    if kept:
        return kept
    if not cited and not _is_substantive(claim) and not quotes:
        # a connective ("综上所述：") needs no source, but may say nothing new either
        return [] if _is_connective(claim, evidence) else None
    scored = [(scorer.support(claim, e.text), i) for i, e in enumerate(evidence) if backs(i)]
    if scored:
        _, best = max(scored)
        if cited:
            result.reattributed += 1
        return [best]
    return None


def _shift_markers(text: str, offset: int) -> str:
    return _MARKER.sub(lambda m: f"[{int(m.group(1)) + offset}]", text)


def join_sections(sections: list[tuple[str, Verification]]) -> Verification:
    """Verified answers about separate articles as one answer, one section per article under a
    heading (made from document metadata, never from model text); citations renumbered in
    order."""
    joined = Verification(text="", citations=[])
    parts: list[str] = []
    for heading, part in sections:
        if not part.citations:
            continue
        offset = len(joined.citations)
        parts.append(f"**{heading}**\n\n{_shift_markers(part.text, offset)}")
        joined.citations += [replace(c, n=c.n + offset) for c in part.citations]
        joined.dropped_sentences += part.dropped_sentences
        joined.kept_claims += part.kept_claims
        joined.reattributed += part.reattributed
        joined.removed_markers += part.removed_markers
    joined.text = "\n\n".join(parts)
    return joined
