"""Chinese-aware chunking that keeps exact character offsets into the document text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

# Paragraphs, lines, then sentence ends (Chinese and Latin), then clauses, then anything.
CHINESE_SEPARATORS = [
    "\n\n", "\n", "。", "！", "？", "；", "…", "!", "?", ";", ". ", "，", ",", "、", " ", "",
]


@dataclass(frozen=True)
class Chunk:
    """One retrievable span: ``text == document_text[start:end]`` always holds."""

    index: int
    text: str
    start: int
    end: int


def chunk_text(text: str, chunk_size: int, chunk_overlap: int) -> list[Chunk]:
    """Split at sentence ends first, then size with overlap; offsets are verified, not guessed."""
    overlap = min(chunk_overlap, chunk_size // 2)
    splitter = RecursiveCharacterTextSplitter(
        separators=CHINESE_SEPARATORS,
        keep_separator="end",
        chunk_size=chunk_size,
        chunk_overlap=overlap,
        strip_whitespace=True,
    )
    chunks: list[Chunk] = []
    cursor = 0
    for piece in splitter.split_text(text):
        start = text.find(piece, cursor)
        if start < 0:  # the splitter never rewrites text; if it did, fail loudly
            raise ValueError(f"chunk not found verbatim in document: {piece[:40]!r}")
        end = start + len(piece)
        chunks.append(Chunk(index=len(chunks), text=piece, start=start, end=end))
        cursor = start + 1
    return chunks


# a heading: a line of its own, short, with no sentence in it ("AI视频硬伤,遭遇市场冷眼",
# "“数据墙”待解", "## Pricing"); not a picture credit or a byline ("图源:可灵", "作者丨林书")
_HEADING_CHARS = 24  # Chinese; a Latin heading may run to HEADING_LATIN
_HEADING_LATIN = 60
# (nor a line ending as a sentence or a quote does: "A credit costs one yuan.", "“…”")
_NOT_HEADING = re.compile(r"[。！？!?；;：:]|[.…”\"]$|^图源|^图片来源|^来源|丨|@|作者|编辑|记者")
_LINE = re.compile(r"[^\n]+")


def section_headings(text: str) -> list[tuple[int, str]]:
    """(offset, heading) of each heading of a document (its first line too, when that is a
    title rather than the lead's first paragraph): the heading over a passage says what its
    section is about, which the passage's own words may not ("质量的提升是显而易见的" under
    "视频必争")."""
    found = []
    for match in _LINE.finditer(text):
        line = match.group(0).strip().lstrip("#").strip()
        limit = _HEADING_CHARS if re.search(r"[\u3400-\u9fff]", line) else _HEADING_LATIN
        markdown = match.group(0).lstrip().startswith("#")
        if line and (markdown or 2 <= len(line) <= limit and not _NOT_HEADING.search(line)):
            found.append((match.start(), line))
    return found
