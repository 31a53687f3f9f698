"""Answer-level evaluation: citation validity, refusal accuracy, false refusals, answer keys,
whether cross-article answers cite every article, and the share of citations that point to the
article the answer is in (distractors stay out).

Reuses the retrieval cases of ``index.evaluate``; every answer is produced by the full agent,
in this process or through the HTTP API.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from agent.pipeline import Agent, Answer
from agent.safety import leaks_system_prompt
from index.evaluate import CROSS_ARTICLE, EvalCase, gold_rank
from index.store import ChromaStore


def citations_valid(answer: Answer, store: ChromaStore) -> bool:
    """Every [n] in the text has a citation and every citation quotes its document verbatim."""
    return citations_match(answer.answer, [c.as_dict() for c in answer.citations],
                           store.document_text)


def citations_match(text: str, citations: list[dict[str, Any]],
                    document_text: Callable[[str], str | None]) -> bool:
    """``citations_valid`` for an answer as the API sends it (citation dicts)."""
    markers = {int(m) for m in re.findall(r"\[(\d{1,3})\]", text)}
    if not markers <= {c["n"] for c in citations}:
        return False
    texts: dict[str, str | None] = {}
    for citation in citations:
        doc_id = citation["doc_id"]
        if doc_id not in texts:
            texts[doc_id] = document_text(doc_id)
        document = texts[doc_id]
        if document is None or document[citation["start"] : citation["end"]] != citation["quote"]:
            return False
    return True


def reveals_system_prompt(answer: Answer) -> bool:
    return leaks_system_prompt(answer.answer)


def key_coverage(case: EvalCase, text: str) -> float | None:
    if not case.answer_keys:
        return None
    lowered = text.lower()
    return sum(1 for key in case.answer_keys if key.lower() in lowered) / len(case.answer_keys)


def is_article(source: str, article: str) -> bool:
    """Whether a document's source names the case's article ("000" → seeds/000_….txt)."""
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    return name == article or name.startswith(f"{article}_") or name.startswith(f"{article}.")


Ask = Callable[[EvalCase], dict[str, Any]]


def agent_asker(agent: Agent) -> Ask:
    """Answers through the agent in this process; a follow-up's earlier question is answered
    first and both turns are passed as history, as a chat client would."""

    def ask(case: EvalCase) -> dict[str, Any]:
        return agent.answer(case.question, agent.history_after(case.history)).as_dict(debug=True)

    return ask


def evaluate_answers(
    cases: list[EvalCase], ask: Ask, k: int, document_text: Callable[[str], str | None]
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Answer every case with ``ask`` (the agent, or the HTTP API) and score the reply as the
    user gets it; metrics overall and per ``.lang`` / ``.type``."""
    rows = []
    known = {a for case in cases for a in case.articles}  # the articles the cases are about
    for case in cases:
        reply = ask(case)
        citations = reply.get("citations", [])
        valid = citations_match(reply["answer"], citations, document_text)
        if case.type == "injection":
            valid = valid and not leaks_system_prompt(reply["answer"])
        retrieved = [r["text"] for r in reply.get("searched") or reply.get("retrieved", [])]
        rank = gold_rank(case.gold, retrieved[:k]) if case.gold else None
        sources = [c.get("source", "") for c in citations]
        rows.append(
            {
                "id": case.id, "lang": case.lang, "type": case.type, "gold": case.gold,
                "rank": rank, "hit": rank is not None and rank <= k,
                "refused": bool(reply.get("refused")), "citation_valid": valid,
                "key_coverage": key_coverage(case, reply["answer"]),
                "evidence": reply.get("evidence"), "answer": reply["answer"],
                "citations": len(citations),
                "article_citations": sum(
                    any(is_article(s, a) for a in known) for s in sources
                ) if case.articles else None,
                "cites_every_article": all(
                    any(is_article(s, a) for s in sources) for a in case.articles
                ) if case.type in CROSS_ARTICLE and case.articles else None,
                "related": len(reply.get("related", [])),
                "total_ms": reply.get("timings", {}).get("total_ms"),
            }
        )
    return answer_metrics(rows), rows


def answer_metrics(rows: list[dict[str, Any]]) -> dict[str, float]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        for suffix in ("", f".{row['lang']}", f".{row['type']}", f".{row['lang']}.{row['type']}"):
            groups[suffix].append(row)
    metrics: dict[str, float] = {}
    for suffix, members in sorted(groups.items()):
        out_of_scope = [r for r in members if r["type"] == "out-of-scope"]
        in_scope = [r for r in members if r["type"] not in ("out-of-scope", "injection")]
        keyed = [r["key_coverage"] for r in in_scope if r["key_coverage"] is not None]
        metrics[f"citation_validity{suffix}"] = round(
            sum(r["citation_valid"] for r in members) / len(members), 4
        )
        if out_of_scope:
            metrics[f"refusal_accuracy{suffix}"] = round(
                sum(r["refused"] for r in out_of_scope) / len(out_of_scope), 4
            )
        if in_scope:
            metrics[f"false_refusal{suffix}"] = round(
                sum(r["refused"] for r in in_scope) / len(in_scope), 4
            )
        if keyed:
            metrics[f"answer_key_coverage{suffix}"] = round(sum(keyed) / len(keyed), 4)
        spanning = [r["cites_every_article"] for r in members
                    if r["cites_every_article"] is not None]
        if spanning:
            metrics[f"cites_every_article{suffix}"] = round(sum(spanning) / len(spanning), 4)
        cited = [r for r in in_scope if r["article_citations"] is not None and r["citations"]]
        if cited:
            metrics[f"article_citation_share{suffix}"] = round(
                sum(r["article_citations"] for r in cited) / sum(r["citations"] for r in cited), 4
            )
    return metrics


def refusal_calibration(rows: list[dict[str, Any]], bins: int = 10) -> dict[str, Any]:
    """Evidence-score distributions of in-scope and out-of-scope cases (a histogram per
    group) and the threshold that best separates them on these rows: the one with the
    highest balanced accuracy, ties going to the lower threshold (fewer false refusals)."""
    answerable = [r["evidence"] for r in rows if r.get("evidence") is not None
                  and r["type"] not in ("out-of-scope", "injection")]
    unanswerable = [r["evidence"] for r in rows
                    if r["type"] == "out-of-scope" and r.get("evidence") is not None]

    def histogram(values: list[float]) -> list[int]:
        counts = [0] * bins
        for value in values:
            counts[min(int(value * bins), bins - 1)] += 1
        return counts

    best = (0.0, 0.0)
    for step in range(101):
        threshold = step / 100
        kept = sum(v >= threshold for v in answerable) / max(len(answerable), 1)
        refused = sum(v < threshold for v in unanswerable) / max(len(unanswerable), 1)
        score = (kept + refused) / 2 if answerable and unanswerable else 0.0
        if score > best[0] + 1e-9:
            best = (score, threshold)
    return {
        "bins": [f"{i / bins:.1f}-{(i + 1) / bins:.1f}" for i in range(bins)],
        "in_scope": histogram(answerable), "out_of_scope": histogram(unanswerable),
        "best_threshold": best[1], "balanced_accuracy": round(best[0], 4),
    }
