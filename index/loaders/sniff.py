"""What a file really is, from its first bytes, so a wrong extension gets a specific error
("this .txt is a PDF document; rename it to .pdf") instead of garbage text or a parser crash."""

from __future__ import annotations

from pathlib import Path

from index.errors import LoadError

# (signature, what it is, the extension to use if we can read it)
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF document", ".pdf"),
    (b"PK\x03\x04", "a ZIP archive (Word .docx, Excel .xlsx, …)", ".docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc/.xls/.ppt)", ""),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", ""),
    (b"\xff\xd8\xff", "a JPEG image", ""),
    (b"GIF87a", "a GIF image", ""),
    (b"GIF89a", "a GIF image", ""),
    (b"\x1f\x8b", "a gzip archive", ""),
    (b"Rar!\x1a\x07", "a RAR archive", ""),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", ""),
    (b"\x7fELF", "a program (ELF)", ""),
)
_BINARY_FORMATS = (".pdf", ".docx")  # the rest we read as text
_ADVICE = {
    ".txt": "rename it to .txt",
    ".pdf": "rename it to .pdf",
    ".docx": "rename it to .docx if it is a Word document",
}
_CONVERT = "convert it to text, PDF or Word (.docx) first"


def sniff(head: bytes) -> tuple[str, str] | None:
    """(what the bytes are, the extension to use) for a known binary signature, else None."""
    for signature, kind, suffix in _SIGNATURES:
        if head.startswith(signature):
            return kind, suffix
    if b"%PDF-" in head[:1024]:  # PDFs may carry a few bytes of junk before the header
        return "a PDF document", ".pdf"
    return None


def check_content_matches_suffix(path: Path, head: bytes) -> None:
    """Raise LoadError when the content clearly is not what the extension says."""
    suffix = path.suffix.lower()
    found = sniff(head)
    if suffix in _BINARY_FORMATS:
        if found is not None and found[1] == suffix:
            return
        if found is None:
            if b"\x00" in head or not _decodes_as_text(head):
                return  # unknown bytes: let the format's own parser give its reason
            found = ("plain text", ".txt")
        label = f"a {suffix} file"
    elif found is None:
        return
    else:
        label = f"a {suffix} text file"
    kind, right = found
    raise LoadError(path, f"not {label}: its content is {kind}; {_ADVICE.get(right, _CONVERT)}")


def _decodes_as_text(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # a character cut at the end of the sample
                return True
    return False
