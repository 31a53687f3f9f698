"""Extraction scored against a hand-checked gold list (``tests/data/entities_gold.json``):
precision and recall of entities, relations and figures, with what was missed and what was extra.

Matching: an entity matches when the types agree and a name or alias of one is a name, alias or
surface form of the other (case and spaces ignored; a footnote digit glued to a Latin name,
"PixelDance1", ignored). A relation matches when its kind, head and tail match (a works_at tail
may be the named unit's organisation: "中国信通院" for "中国信通院云计算与大数据研究所"). A
figure matches on its value as written (range dashes unified) and, when the gold names one, its
entity.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.entities import Extraction
from index.errors import ConfigError
from index.lexicon import Lexicon, fold


def _key(name: str) -> str:
    return re.sub(r"(?<=[a-z])\d$", "", fold(name).replace("《", "").replace("》", ""))


def _value(value: str) -> str:
    value = re.sub(r"\s+", "", value).replace("％", "%")
    return re.sub(r"[~～—–\-]", "-", value)


def load_gold(path: Path) -> dict[str, Any]:
    """The gold list, with ``documents``: every document id it names."""
    try:
        gold: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: not a readable gold list ({exc})") from None
    for key in ("entities", "relations", "figures"):
        if not isinstance(gold.get(key), list):
            raise ConfigError(f"{path}: expected a list under {key!r}")
    documents = {d for e in gold["entities"] for d in e.get("documents", [])}
    try:
        documents |= {x["document"] for key in ("relations", "figures") for x in gold[key]}
    except (KeyError, TypeError):
        raise ConfigError(f"{path}: every relation and figure needs a \"document\"") from None
    gold["documents"] = sorted(documents)
    return gold


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    matched_gold: int = 0
    correct_found: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct_found / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "found": self.found, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "missed": self.missed, "extra": self.extra}


def score_extraction(gold: dict[str, Any], extractions: dict[str, Extraction],
                     lexicon: Lexicon) -> dict[str, Score]:
    """``extractions``: document key (as the gold names it) -> what was extracted from it."""
    found: dict[tuple[str, str], set[str]] = {}  # (canonical, type) -> keys
    for extraction in extractions.values():
        for name, kind in extraction.types.items():
            keys = found.setdefault((name, kind), {_key(name)})
            keys.update(_key(s) for s in extraction.surfaces.get(name, ()))
            entry = lexicon.entries.get(name)
            if entry is not None:
                keys.update(_key(a) for a in entry.aliases)
    gold_entities = [(g["name"], g["type"], {_key(g["name"]), *map(_key, g["aliases"])})
                     for g in gold["entities"]]

    def same(gold_keys: set[str], keys: set[str]) -> bool:
        return bool(gold_keys & keys)

    entities = Score(gold=len(gold_entities), found=len(found))
    for name, kind, keys in gold_entities:
        if any(k == kind and same(keys, v) for (_, k), v in found.items()):
            entities.matched_gold += 1
        else:
            entities.missed.append(f"{name} ({kind})")
    for (name, kind), keys in found.items():
        if any(k == kind and same(gk, keys) for _, k, gk in gold_entities):
            entities.correct_found += 1
        else:
            entities.extra.append(f"{name} ({kind})")

    gold_keys = {name: keys for name, _, keys in gold_entities}
    names = {name: keys for (name, _), keys in found.items()}

    def matches(gold_name: str | None, name: str, loose: bool = False) -> bool:
        if not gold_name:
            return not name
        wanted = gold_keys.get(gold_name, {_key(gold_name)})
        have = names.get(name, {_key(name)})
        if same(wanted, have):
            return True
        return loose and any(h and h in w for w in wanted for h in have if len(h) >= 2)

    relations = Score(gold=len(gold["relations"]))
    extracted = _relations(extractions.values())
    relations.found = len(extracted)
    hit: set[int] = set()
    for g in gold["relations"]:
        loose = g["relation"] == "works_at"
        ok = [i for i, (head, kind, tail) in enumerate(extracted) if kind == g["relation"]
              and matches(g["head"], head) and matches(g.get("tail"), tail, loose)]
        if ok:
            relations.matched_gold += 1
            hit.update(ok)
        else:
            relations.missed.append(f"{g['head']} {g['relation']} {g.get('tail') or ''}".strip())
    relations.correct_found = len(hit)
    relations.extra = [f"{h} {k} {t}".strip() for i, (h, k, t) in enumerate(extracted)
                       if i not in hit]

    figures = Score(gold=len(gold["figures"]))
    got = [(f.entity, _value(f.value)) for e in extractions.values() for f in e.figures]
    got = list(dict.fromkeys(got))
    figures.found = len(got)
    hit = set()
    for g in gold["figures"]:
        ok = [i for i, (entity, value) in enumerate(got) if value == _value(g["value"])
              and (g["entity"] is None or matches(g["entity"], entity))]
        if ok:
            figures.matched_gold += 1
            hit.update(ok)
        else:
            figures.missed.append(f"{g['entity'] or '-'}: {g['value']}{g['unit']} {g['metric']}")
    figures.correct_found = len(hit)
    figures.extra = [f"{entity or '-'}: {value}" for i, (entity, value) in enumerate(got)
                     if i not in hit]
    return {"entities": entities, "relations": relations, "figures": figures}


def _relations(extractions: Iterable[Extraction]) -> list[tuple[str, str, str]]:
    seen: dict[tuple[str, str, str], None] = {}
    for extraction in extractions:
        for r in extraction.relations:
            seen.setdefault((r.head, r.relation, r.tail), None)
    return list(seen)
