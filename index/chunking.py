"""Chinese-aware chunking that keeps exact character offsets into the document text."""

from __future__ import annotations

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
