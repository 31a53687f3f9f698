"""HTML via BeautifulSoup: visible text of the article, title and meta tags."""

from __future__ import annotations

from pathlib import Path

from index.loaders.base import RawDocument
from index.loaders.text import decode_bytes

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg")
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "section", "article")


def _meta(soup: object, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"name": name}) or soup.find(  # type: ignore[attr-defined]
            "meta", attrs={"property": name}
        )
        if tag and tag.get("content"):
            return str(tag["content"]).strip()
    return ""


def load_html(path: Path) -> RawDocument:
    """Body text with one line per block element; ``<title>``/``<h1>`` and meta tags as metadata."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_bytes(path.read_bytes(), path), "html.parser")
    metadata = {
        "author": _meta(soup, "author", "article:author"),
        "outlet": _meta(soup, "og:site_name", "publisher"),
        "date": _meta(soup, "article:published_time", "date", "pubdate")[:10],
        "url": _meta(soup, "og:url"),
    }
    h1 = soup.find("h1")
    if soup.title and soup.title.string:
        metadata["title"] = soup.title.string.strip()
    elif h1:
        metadata["title"] = h1.get_text(" ", strip=True)
    for tag in soup(list(_DROP)):
        tag.decompose()
    root = soup.find("article") or soup.body or soup
    lines = []
    for element in root.find_all(_BLOCKS):
        if element.find(_BLOCKS):
            continue
        line = element.get_text(" ", strip=True)
        if line:
            lines.append(line)
    text = "\n\n".join(lines) if lines else root.get_text("\n", strip=True)
    return RawDocument(text=text, metadata={k: v for k, v in metadata.items() if v})
