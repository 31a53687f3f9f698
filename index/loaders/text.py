"""Plain text and Markdown, with encoding detection (UTF-8, UTF-8 BOM, GB18030/GBK, others)."""

from __future__ import annotations

import re
from pathlib import Path

from index.errors import LoadError
from index.loaders.base import RawDocument

_MD_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or a high share of control bytes mean this is not a text file."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(sample) // 50)


def decode_bytes(data: bytes, path: Path) -> str:
    """Decode text bytes, trying the encodings Chinese documents really use before guessing."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if looks_binary(data):
        raise LoadError(path, "looks like a binary file, not text (is the extension right?)")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError(path, "could not detect the text encoding")
    return str(best)


def load_text(path: Path) -> RawDocument:
    """A .txt or .md file; a Markdown ``# heading`` becomes the title."""
    text = decode_bytes(path.read_bytes(), path)
    metadata: dict[str, str] = {}
    if path.suffix.lower() in (".md", ".markdown"):
        heading = _MD_HEADING.search(text[:2000])
        if heading:
            metadata["title"] = heading.group(1).strip()
    return RawDocument(text=text, metadata=metadata)
