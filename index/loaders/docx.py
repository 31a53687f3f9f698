"""Word .docx via python-docx: paragraphs and table cells in document order."""

from __future__ import annotations

import zipfile
from pathlib import Path

from index.errors import LoadError
from index.loaders.base import RawDocument


def load_docx(path: Path) -> RawDocument:
    """Paragraph text joined by newlines; the core properties or first heading give the title."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(path, f"not a readable .docx file ({type(exc).__name__})") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    metadata: dict[str, str] = {}
    props = document.core_properties
    if props.title:
        metadata["title"] = props.title
    else:
        for paragraph in document.paragraphs:
            if paragraph.style is not None and str(paragraph.style.name).startswith(
                ("Heading", "Title")
            ) and paragraph.text.strip():
                metadata["title"] = paragraph.text.strip()
                break
    if props.author:
        metadata["author"] = props.author
    if props.created:
        metadata["date"] = props.created.date().isoformat()
    return RawDocument(text="\n".join(lines), metadata=metadata)
