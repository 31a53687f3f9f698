"""Turn a file into normalized text plus metadata, one small module per format.

``load_document`` is the only entry point; it picks the loader by extension and raises
``LoadError`` with a one-line reason for anything it cannot read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from index.errors import LoadError, UnsupportedFile
from index.loaders.base import LoadedDocument, RawDocument, normalize_text
from index.loaders.sniff import check_content_matches_suffix
from index.metadata import extract_metadata, read_sidecar

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".docx", ".html", ".htm")

__all__ = ["SUPPORTED_SUFFIXES", "LoadedDocument", "load_document", "normalize_text"]


def _loader_for(suffix: str) -> Callable[[Path], RawDocument]:
    if suffix in (".txt", ".md", ".markdown"):
        from index.loaders.text import load_text

        return load_text
    if suffix == ".pdf":
        from index.loaders.pdf import load_pdf

        return load_pdf
    if suffix == ".docx":
        from index.loaders.docx import load_docx

        return load_docx
    if suffix in (".html", ".htm"):
        from index.loaders.html import load_html

        return load_html
    raise KeyError(suffix)


def load_document(path: Path, max_bytes: int | None = None) -> LoadedDocument:
    """Read one file into a LoadedDocument; raises LoadError with a specific, one-line reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFile(
            path, f"unsupported file type {suffix or '(none)'!r}; use one of "
            + ", ".join(SUPPORTED_SUFFIXES)
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(path, f"cannot read file ({exc.strerror})") from None
    if size == 0:
        raise LoadError(path, "file is empty")
    if max_bytes is not None and size > max_bytes:
        raise LoadError(
            path, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
            "(LANDSCAPE_MAX_FILE_MB)"
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise LoadError(path, f"cannot read file ({exc.strerror})") from None
    check_content_matches_suffix(path, head)
    raw = _loader_for(suffix)(path)
    text = normalize_text(raw.text)
    if not text.strip():
        raise LoadError(path, "no text could be extracted from the file")
    found = extract_metadata(text)
    meta = {**found, **{k: v for k, v in raw.metadata.items() if v}}
    meta.update(read_sidecar(path))
    return LoadedDocument(
        text=text,
        title=str(meta.get("title") or path.stem),
        outlet=str(meta.get("outlet") or ""),
        author=str(meta.get("author") or ""),
        date=str(meta.get("date") or ""),
        url=str(meta.get("url") or ""),
        format=suffix.lstrip("."),
    )
