"""Metadata the text itself carries (title, outlet, author, date) and sidecar overrides."""

from __future__ import annotations

import json
import re
from pathlib import Path

from index.errors import LoadError

_HEAD_CHARS = 600
_OUTLET_PATTERNS = (
    re.compile(r"@\s*([^\s@]{2,20})\s*原创"),
    re.compile(r"(?:来源|来源于|出品)\s*[丨|:：]\s*([^\s丨|]{2,20})"),
    re.compile(r"(?:告诉|向|对)([\u4e00-\u9fff]{2,6})记者"),
)
_AUTHOR = re.compile(r"(?:作者|文)\s*[丨|:：/]\s*([^\s丨|，,]{1,20})")
_DATES = (
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b"),
)
_TITLE_MAX = 40
_SENTENCE_BREAK = re.compile(r"[,，。!！?？;；:：]")
SIDECAR_SUFFIX = ".meta.json"
SIDECAR_KEYS = ("title", "outlet", "author", "date", "url")


def _title_from(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if not line:
            continue
        if len(line) > _TITLE_MAX:
            head = _SENTENCE_BREAK.split(line, maxsplit=1)[0].strip()
            line = head if 4 <= len(head) <= _TITLE_MAX else line[:_TITLE_MAX] + "…"
        return line
    return ""


def _date_from(head: str) -> str:
    for pattern in _DATES:
        match = pattern.search(head)
        if match:
            year, month, day = (int(g) for g in match.groups())
            if 1990 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def extract_metadata(text: str) -> dict[str, str]:
    """Best-effort header metadata; the outlet may also come from "告诉北京商报记者" in the body."""
    head = text[:_HEAD_CHARS]
    found = {"title": _title_from(text), "date": _date_from(head)}
    author = _AUTHOR.search(head)
    if author:
        found["author"] = author.group(1)
    for pattern in _OUTLET_PATTERNS:
        match = pattern.search(text if pattern is _OUTLET_PATTERNS[-1] else head)
        if match:
            found["outlet"] = match.group(1)
            break
    return {k: v for k, v in found.items() if v}


def sidecar_paths(path: Path) -> tuple[Path, Path]:
    """``NAME.meta.json`` next to the file, for both ``a.txt.meta.json`` and ``a.meta.json``."""
    return (
        path.with_name(path.name + SIDECAR_SUFFIX),
        path.with_name(path.stem + SIDECAR_SUFFIX),
    )


def read_sidecar(path: Path) -> dict[str, str]:
    """Overrides from a sidecar JSON object; a malformed sidecar is an error, not ignored."""
    for candidate in sidecar_paths(path):
        if candidate.is_file():
            try:
                data = json.loads(candidate.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise LoadError(candidate, f"sidecar is not valid JSON ({exc})") from None
            if not isinstance(data, dict):
                raise LoadError(candidate, "sidecar must be a JSON object")
            return {k: str(v) for k, v in data.items() if k in SIDECAR_KEYS and v}
    return {}
