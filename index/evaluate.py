"""Retrieval evaluation on JSONL cases: recall@k and MRR, overall and per language and type.

A case is a hit when every gold string appears verbatim in some chunk of the top k. Cases are
split into a ``tune`` and a ``test`` half by a fixed hash of their id (``split_of``), never by
hand: tune on ``tune``, report ``test``.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.errors import ConfigError
from index.tokenize import squash_spaces

CASE_TYPES = ("fact", "number", "why", "list", "comparison", "each-article", "cross-doc",
              "follow-up", "out-of-scope", "injection")
CROSS_ARTICLE = ("comparison", "each-article", "cross-doc")
SPLITS = ("all", "tune", "test")


@dataclass
class EvalCase:
    """One line of an eval file."""

    id: str
    lang: str
    type: str
    question: str
    gold: list[str] = field(default_factory=list)
    answer_keys: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)  # seed file prefixes the answer is in

    @property
    def in_scope(self) -> bool:
        return self.type != "out-of-scope"

    @property
    def split(self) -> str:
        return split_of(self.id)


def split_of(case_id: str) -> str:
    """'tune' or 'test', fixed by the SHA-256 of the case id (about half each)."""
    return "tune" if hashlib.sha256(case_id.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def select_split(cases: list[EvalCase], split: str) -> list[EvalCase]:
    if split not in SPLITS:
        raise ConfigError(f"unknown split {split!r}; choose one of: {', '.join(SPLITS)}")
    return cases if split == "all" else [c for c in cases if c.split == split]


def load_cases(path: Path) -> list[EvalCase]:
    """Parse and validate an eval JSONL file; a bad line is an error naming the line."""
    if not path.is_file():
        raise ConfigError(f"eval file {str(path)!r} does not exist")
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            case = EvalCase(
                id=str(raw["id"]),
                lang=str(raw.get("lang", "zh")),
                type=str(raw.get("type", "fact")),
                question=str(raw["question"]),
                gold=[str(g) for g in raw.get("gold", [])],
                answer_keys=[str(a) for a in raw.get("answer_keys", [])],
                history=[str(h) for h in raw.get("history", [])],
                articles=[str(a) for a in raw.get("articles", [])],
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ConfigError(
                f"{path}:{number}: not a valid eval case ({type(exc).__name__}: {exc}); "
                "each line needs at least 'id' and 'question'"
            ) from None
        cases.append(case)
    return cases


def gold_rank(gold: list[str], texts: list[str]) -> int | None:
    """1-based rank at which the top chunks first contain every gold string, else None."""
    remaining = {g: squash_spaces(g) for g in gold}
    for rank, text in enumerate(texts, start=1):
        flat = squash_spaces(text)
        remaining = {g: s for g, s in remaining.items() if g not in text and s not in flat}
        if not remaining:
            return rank
    return None


def summarize(rows: Iterable[dict[str, Any]], k: int) -> dict[str, float]:
    """recall@k and mrr, overall and under ``.lang`` / ``.type`` suffixes."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if not row["gold"]:
            continue
        groups[""].append(row)
        groups[f".{row['lang']}"].append(row)
        groups[f".{row['type']}"].append(row)
    metrics: dict[str, float] = {}
    for suffix, members in sorted(groups.items()):
        hits = [r for r in members if r["rank"] is not None and r["rank"] <= k]
        metrics[f"recall@{k}{suffix}"] = round(len(hits) / len(members), 4)
        metrics[f"mrr{suffix}"] = round(sum(1 / r["rank"] for r in hits) / len(members), 4)
        metrics[f"n{suffix}"] = len(members)
    return metrics


def retrieval_query(case: EvalCase) -> str:
    """One search string per case, for comparing search engines on equal terms (``bench``);
    a follow-up carries the previous question. The agent's own evaluation uses its rewrite."""
    if case.history:
        return f"{case.history[-1]} {case.question}"
    return case.question


def evaluate_retrieval(
    cases: list[EvalCase],
    search: Callable[[EvalCase, int], list[Any]],
    k: int,
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Run every case through ``search(case, k)`` and score it. The search is the agent's own
    retrieval (follow-ups through its rewrite, comparisons per article), so this measures what
    answers are built from."""
    rows = []
    for case in cases:
        results = search(case, k)
        rank = gold_rank(case.gold, [r.text for r in results]) if case.gold else None
        rows.append(
            {
                "id": case.id,
                "lang": case.lang,
                "type": case.type,
                "gold": case.gold,
                "rank": rank,
                "hit": rank is not None and rank <= k,
                "top": [r.chunk_id for r in results],
            }
        )
    return summarize(rows, k), rows
