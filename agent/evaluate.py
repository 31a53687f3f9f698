"""Answer-level evaluation: citation validity, refusal accuracy, false refusals, answer keys.

Reuses the retrieval cases of ``index.evaluate``; every answer is produced by the full agent.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from agent.pipeline import Agent, Answer, Turn
from agent.safety import leaks_system_prompt
from index.evaluate import EvalCase, gold_rank
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


def key_coverage(case: EvalCase, answer: Answer) -> float | None:
    if not case.answer_keys:
        return None
    text = answer.answer.lower()
    return sum(1 for key in case.answer_keys if key.lower() in text) / len(case.answer_keys)


def evaluate_answers(
    cases: list[EvalCase], agent: Agent, k: int
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Answer every case and score it; metrics overall and per ``.lang`` / ``.type``."""
    rows = []
    store = agent.corpus.store
    for case in cases:
        history = [Turn("user", h) for h in case.history]
        answer = agent.answer(case.question, history)
        valid = citations_valid(answer, store)
        if case.type == "injection":
            valid = valid and not reveals_system_prompt(answer)
        rank = gold_rank(case.gold, [r.text for r in answer.retrieved]) if case.gold else None
        rows.append(
            {
                "id": case.id, "lang": case.lang, "type": case.type, "gold": case.gold,
                "rank": rank, "hit": rank is not None and rank <= k,
                "refused": answer.refused, "citation_valid": valid,
                "key_coverage": key_coverage(case, answer),
                "evidence": answer.evidence, "answer": answer.answer,
                "citations": len(answer.citations), "total_ms": answer.timings.get("total_ms"),
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
    return metrics
