"""Documents from the web: a page's main text and metadata, a feed's items, and near-duplicate
detection for syndicated stories.

- Pages: trafilatura extracts the main text (no menus, footers, comments), title, author, site
  name and published date; htmldate looks for a date where trafilatura found none. A date is
  kept only when the page states one (never the fetch date).
- Feeds (RSS, Atom): feedparser gives each item's link, title, published date, and its full
  content when the feed carries it.
- Near-duplicates: the same story syndicated by several outlets (common in Chinese media)
  differs in its byline, headline and a sentence or two. A MinHash of 5-character shingles of
  the normalized text estimates Jaccard similarity; at ``DUPLICATE_JACCARD`` or above two texts
  are one story.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from index.fetch import Fetched
from index.loaders.base import normalize_text

SHINGLE = 5
PERMUTATIONS = 64
DUPLICATE_JACCARD = 0.7
_SPACE_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass
class WebDocument:
    url: str
    text: str
    title: str = ""
    author: str = ""
    date: str = ""  # YYYY-MM-DD, or "" when the page does not say
    outlet: str = ""
    aliases: list[dict[str, str]] = field(default_factory=list)

    def content_hash(self, chunk_size: int, chunk_overlap: int) -> str:
        digest = hashlib.sha256()
        for part in (self.text, self.title, self.author, self.date, self.outlet,
                     repr(self.aliases), f"{chunk_size}|{chunk_overlap}"):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        return digest.hexdigest()


@dataclass
class FeedItem:
    link: str
    key: str  # the item's id (or its link): what identifies it across syncs
    title: str
    date: str
    content: str  # the feed's own full text of the item, when it carries one
    fingerprint: str  # changes when the item changes in the feed


def _iso_date(value: Any) -> str:
    """YYYY-MM-DD from what extractors return (a string or a time tuple); "" otherwise."""
    if value is None:
        return ""
    if hasattr(value, "tm_year"):
        return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    return "-".join(match.groups()) if match else ""


def parse_page(fetched: Fetched, fallback_title: str = "") -> WebDocument:
    """The main text and metadata of an HTML page (or the text of a plain-text one)."""
    html = fetched.text()
    if "html" not in fetched.content_type.lower() and not html.lstrip()[:1] == "<":
        text = normalize_text(html)
        return WebDocument(url=fetched.url, text=text, title=fallback_title or text[:60])
    import trafilatura

    extracted = trafilatura.bare_extraction(html, url=fetched.url, with_metadata=True,
                                            include_comments=False, favor_recall=True)
    data: dict[str, Any] = {}
    if extracted is not None:
        data = extracted if isinstance(extracted, dict) else extracted.as_dict()
    text = normalize_text(str(data.get("text") or ""))
    date = _iso_date(data.get("date"))
    if not date:
        try:
            from htmldate import find_date

            date = _iso_date(find_date(html, extensive_search=False, original_date=True))
        except Exception:  # noqa: BLE001 - a date is optional; a parser error is not fatal
            date = ""
    return WebDocument(
        url=fetched.url, text=text,
        title=str(data.get("title") or fallback_title or "").strip(),
        author=str(data.get("author") or "").strip(), date=date,
        outlet=str(data.get("sitename") or "").strip(),
    )


def parse_feed(fetched: Fetched) -> list[FeedItem]:
    """The items of an RSS or Atom feed; [] when the body is not a feed."""
    import feedparser

    parsed = feedparser.parse(fetched.body)
    items = []
    for entry in parsed.entries:
        link = str(entry.get("link") or "").strip()
        if not link:
            continue
        content = ""
        if entry.get("content"):
            content = str(entry.content[0].get("value") or "")
        date = _iso_date(entry.get("published_parsed") or entry.get("updated_parsed"))
        title = str(entry.get("title") or "")
        fingerprint = hashlib.sha256("\x00".join(
            [link, title, date, str(entry.get("updated") or ""), content,
             str(entry.get("summary") or "")]).encode("utf-8")).hexdigest()
        items.append(FeedItem(link=link, key=str(entry.get("id") or link), title=title,
                              date=date, content=content, fingerprint=fingerprint))
    return items


def looks_like_feed(fetched: Fetched) -> bool:
    head = fetched.body[:2048].lstrip().lower()
    kind = fetched.content_type.lower()
    return ("xml" in kind or "rss" in kind or "atom" in kind
            or head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head)


def signature(text: str) -> list[int]:
    """MinHash of the text's character shingles (punctuation and spaces ignored)."""
    from datasketch import MinHash

    flat = _SPACE_PUNCT.sub("", text.lower())
    shingles = {flat[i : i + SHINGLE] for i in range(max(1, len(flat) - SHINGLE + 1))}
    minhash = MinHash(num_perm=PERMUTATIONS, seed=7)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return [int(v) for v in minhash.hashvalues]


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)
