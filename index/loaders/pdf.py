"""PDF via pypdf: text per page, pages separated by a blank line."""

from __future__ import annotations

import logging
from pathlib import Path

from index.errors import LoadError
from index.loaders.base import RawDocument


def load_pdf(path: Path) -> RawDocument:
    """Extract the text layer; a corrupt or image-only PDF is a LoadError, not a crash."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise LoadError(path, "PDF is encrypted; save an unprotected copy and ingest that")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except LoadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise LoadError(path, f"not a readable PDF, perhaps truncated or damaged "
                        f"({type(exc).__name__}: {exc}); re-export or re-download it") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise LoadError(path, "PDF has no text layer (scanned images?); OCR it first")
    metadata: dict[str, str] = {}
    if info is not None:
        if info.title:
            metadata["title"] = str(info.title)
        if info.author:
            metadata["author"] = str(info.author)
    return RawDocument(text=text, metadata=metadata)
