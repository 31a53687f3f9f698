"""The domain lexicon: organisations, products/models and people of the AI industry, with the
names Chinese and English news give them (字节/字节跳动/ByteDance), their maker or employer and a
few tags (startup, bigtech, video ...). It finds mentions in text without a model.

File format (``index/data/lexicon.tsv``, extended with ``LANDSCAPE_LEXICON``):
``name<TAB>type<TAB>aliases<TAB>parent<TAB>tags``, comma-separated lists, ``#`` comments.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from index.errors import ConfigError

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "lexicon.tsv"
ENTITY_TYPES = ("org", "product", "person")

_LATIN_EDGE = re.compile(r"[A-Za-z0-9]")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class LexiconEntry:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    parent: str = ""
    tags: tuple[str, ...] = ()

    @property
    def surfaces(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Lexicon:
    """Entries by canonical name, and every surface form (case-folded) to its entry."""

    entries: dict[str, LexiconEntry] = field(default_factory=dict)
    digest: str = ""  # of the files read: a change re-extracts every document
    surface: dict[str, str] = field(default_factory=dict)
    _first: dict[str, list[int]] = field(default_factory=dict)  # first char -> lengths

    def add(self, entry: LexiconEntry) -> None:
        known = self.entries.get(entry.name)
        if known is not None:  # a user's file extends an entry: aliases and tags add up
            entry = LexiconEntry(
                entry.name, entry.type or known.type,
                tuple(dict.fromkeys(known.aliases + entry.aliases)),
                entry.parent or known.parent, tuple(dict.fromkeys(known.tags + entry.tags)))
        self.entries[entry.name] = entry
        for form in entry.surfaces:
            key = fold(form)
            if len(key) < 2 or (len(key) == 2 and key.isalpha() and key.isascii()):
                continue  # one character, or two Latin letters: would match ordinary text
            self.surface[key] = entry.name
            lengths = self._first.setdefault(key[0], [])
            if len(key) not in lengths:
                lengths.append(len(key))
                lengths.sort(reverse=True)

    def get(self, name: str) -> LexiconEntry | None:
        canonical = self.surface.get(fold(name), name)
        return self.entries.get(canonical)

    def resolve(self, name: str) -> str | None:
        """The canonical name of any surface form, or None."""
        return self.surface.get(fold(name))

    def lineage(self, name: str) -> set[str]:
        """The name and its ancestors (可灵 → 快手), by canonical name."""
        lineage, entry = {name}, self.entries.get(name)
        while entry is not None and entry.parent:
            parent = self.resolve(entry.parent) or entry.parent
            if parent in lineage:
                break
            lineage.add(parent)
            entry = self.entries.get(parent)
        return lineage

    def under(self, names: set[str]) -> set[str]:
        """The entries at any depth below these names, and the names themselves: every
        entry whose ``lineage`` meets them (字节跳动: 火山引擎, and 谭待 of 火山引擎)."""
        return {entry.name for entry in self.entries.values()
                if self.lineage(entry.name) & names} | names

    def find(self, text: str, kinds: tuple[str, ...] = ()) -> Iterator[tuple[int, int, str]]:
        """(start, end, canonical name) of each longest match, left to right (only entries of
        ``kinds`` when given: "腾讯混元" holds the organisation 腾讯). A Latin name must not sit
        inside a longer Latin word (digits may follow: "PixelDance1")."""
        folded = "".join(ch.casefold() if len(ch.casefold()) == 1 else ch for ch in text)
        i, n = 0, len(folded)
        while i < n:
            lengths = self._first.get(folded[i])
            if lengths is None:
                i += 1
                continue
            for length in lengths:
                end = i + length
                if end > n:
                    continue
                name = self.surface.get(folded[i:end])
                if name is None or not _bounded(text, i, end) \
                        or kinds and self.entries[name].type not in kinds:
                    continue
                yield i, end, name
                i = end
                break
            else:
                i += 1


def _bounded(text: str, start: int, end: int) -> bool:
    if text[start].isascii() and text[start].isalnum() and start > 0 \
            and text[start - 1].isascii() and text[start - 1].isalnum():
        return False
    last = text[end - 1]
    return not (last.isascii() and last.isalnum() and end < len(text)
                and text[end].isascii() and text[end].isalpha())


def fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def parse_lexicon(text: str, where: str = "lexicon") -> list[LexiconEntry]:
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        cells += [""] * (5 - len(cells))
        name, kind, aliases, parent, tags = cells[:5]
        if not name or kind not in ENTITY_TYPES:
            raise ConfigError(f"{where}:{number}: expected name<TAB>org|product|person<TAB>"
                             f"aliases<TAB>parent<TAB>tags, got {line!r}")
        entries.append(LexiconEntry(
            name, kind, tuple(a.strip() for a in aliases.split(",") if a.strip()),
            parent, tuple(t.strip() for t in tags.split(",") if t.strip())))
    return entries


@lru_cache(maxsize=4)
def _load(extra: str, stamp: float) -> Lexicon:
    lexicon = Lexicon()
    digest = hashlib.sha256()
    for path in (LEXICON_PATH, Path(extra) if extra else None):
        if path is None:
            continue
        text = path.read_text(encoding="utf-8")
        digest.update(text.encode())
        for entry in parse_lexicon(text, str(path)):
            lexicon.add(entry)
    lexicon.digest = digest.hexdigest()[:16]
    return lexicon


def load_lexicon(extra: Path | None = None) -> Lexicon:
    """The packaged lexicon, extended by ``extra`` (re-read when that file changes)."""
    stamp = extra.stat().st_mtime if extra is not None and extra.is_file() else 0.0
    if extra is not None and not extra.is_file():
        raise ConfigError(f"LANDSCAPE_LEXICON={extra} does not exist; point it at a "
                                "TSV file (name, type, aliases, parent, tags)")
    return _load(str(extra) if extra else "", stamp)
