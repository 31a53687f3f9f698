"""How an answer names an article: 《title》 with outlet and date, from document metadata.

Titles come from documents anyone can upload, so they lose every markup character before they
appear in a heading or a sentence.
"""

from __future__ import annotations

import re
from typing import Protocol

TITLE_CHARS = 40
_MARKUP = re.compile(r"[\[\]()<>*_`!#|\\]")


class Labelled(Protocol):
    title: str
    outlet: str
    date: str


def safe_title(title: str) -> str:
    """A document title fit for a heading: no markup, at most TITLE_CHARS characters."""
    title = " ".join(_MARKUP.sub(" ", title).split())
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def source_label(hit: Labelled, language: str) -> str:
    """《title》 with outlet and date: how an answer names an article."""
    details = [safe_title(d) for d in (hit.outlet, hit.date) if d]
    if not details:
        return f"《{safe_title(hit.title)}》"
    if language == "en":
        return f"《{safe_title(hit.title)}》 ({', '.join(details)})"
    return f"《{safe_title(hit.title)}》（{'，'.join(details)}）"
