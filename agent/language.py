"""Which language a question is in, and sentence splitting that keeps offsets."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
# A sentence ends at Chinese or Latin terminal punctuation (with closing quotes) or a line break.
_SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』\"')）]*|(?<=[a-z0-9%)\]])\.(?=\s|$)|\n+")


def detect_language(text: str) -> str:
    """'zh' when Chinese characters carry the text, else 'en'."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk and cjk * 3 >= latin else "en"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of ``text``, terminators included, blanks skipped."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        _append(text, start, end, spans)
        start = end
    _append(text, start, len(text), spans)
    return spans


def _append(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
