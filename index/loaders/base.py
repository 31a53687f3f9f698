"""What a loader returns, and the one normalization every document goes through."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_TRAILING_SPACE = re.compile(r"[ \t\u3000]+\n")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass
class RawDocument:
    """Text as the format gave it, plus any metadata the format itself carries."""

    text: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class LoadedDocument:
    """A normalized document: chunk offsets and citation quotes index into ``text``."""

    text: str
    title: str
    outlet: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    format: str = "txt"


def normalize_text(text: str) -> str:
    """Canonical text that offsets refer to: NFC, LF line ends, no control chars, tidy blanks.

    Punctuation is kept as written (the seeds mix ASCII and full-width), so quotes stay verbatim.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()
