"""The extracted landscape, kept beside the Chroma store in one SQLite file per collection:
derived from the stored documents like the BM25 index, updated per document as they change, and
rebuilt from scratch by ``landscape reindex --entities`` (or when the extractor or lexicon change).

Every row keeps its document and the offsets of its quote, so any entry can be cited verbatim.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.entities import (
    EXTRACTOR_VERSION,
    Extraction,
    Extractor,
    sentences,
    word_boundary,
)
from index.lexicon import Lexicon, fold
from index.store import ChromaStore, DocumentRecord

log = logging.getLogger("landscape")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs (doc_id TEXT PRIMARY KEY, stamp TEXT, title TEXT, source TEXT,
    outlet TEXT, date TEXT, url TEXT);
CREATE TABLE IF NOT EXISTS mentions (doc_id TEXT, name TEXT, type TEXT, surface TEXT,
    start INTEGER, "end" INTEGER, quote_start INTEGER, quote_end INTEGER, quote TEXT);
CREATE TABLE IF NOT EXISTS relations (doc_id TEXT, head TEXT, relation TEXT, tail TEXT,
    role TEXT, start INTEGER, "end" INTEGER, quote TEXT);
CREATE TABLE IF NOT EXISTS figures (doc_id TEXT, entity TEXT, metric TEXT, value TEXT,
    unit TEXT, period TEXT, start INTEGER, "end" INTEGER, quote_start INTEGER,
    quote_end INTEGER, quote TEXT);
CREATE TABLE IF NOT EXISTS surfaces (surface TEXT, name TEXT, PRIMARY KEY (surface, name));
CREATE INDEX IF NOT EXISTS mentions_name ON mentions (name);
CREATE INDEX IF NOT EXISTS mentions_doc ON mentions (doc_id);
CREATE INDEX IF NOT EXISTS mentions_type ON mentions (type);
CREATE INDEX IF NOT EXISTS relations_head ON relations (head);
CREATE INDEX IF NOT EXISTS relations_tail ON relations (tail);
CREATE INDEX IF NOT EXISTS relations_doc ON relations (doc_id);
CREATE INDEX IF NOT EXISTS figures_entity ON figures (entity);
CREATE INDEX IF NOT EXISTS figures_doc ON figures (doc_id);
"""


_CAPTION_CHARS = 16  # a "sentence" shorter than this is a caption or a heading ("图源:可灵")


@dataclass
class Quote:
    """A verbatim span of a stored document: ``document[start:end] == text``."""

    doc_id: str
    title: str
    source: str
    outlet: str
    date: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class EntitySummary:
    name: str
    type: str
    aliases: list[str]
    mentions: int
    documents: int
    tags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class EntityCard:
    """Everything the documents say about one entity, each item with its quote."""

    name: str
    type: str
    aliases: list[str]
    tags: list[str]
    makers: list[dict[str, Any]]  # for a product: who makes it
    products: list[dict[str, Any]]  # for an organisation: what it makes
    people: list[dict[str, Any]]  # people and their roles (or, for a person, employers)
    units: list[dict[str, Any]]  # part_of, both ways
    figures: list[dict[str, Any]]
    timeline: list[dict[str, Any]]  # one entry per document, by date

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# a person's name spelled in pinyin: "Li Shaohong", "He Baohong", "Yang Zhi-lin"
_SPELLED_NAME = re.compile(r"(?<![A-Za-z])[A-Z][a-z]{0,7}[ \-][A-Z][a-z]{0,7}(?:-?[a-z]{2,6})?"
                           r"(?![A-Za-z])")


class EntityIndex:
    """Reads are plain SQL (fast: no model, no Chroma); ``sync`` catches up with the store."""

    def __init__(self, path: Path, lexicon_loader: Callable[[], Lexicon]) -> None:
        self.path = path
        self._lexicon_loader = lexicon_loader
        self._lock = threading.RLock()
        self._local = threading.local()
        self._checked = 0.0
        # entries an LLM proposes for a text (``agent.entity_llm``); kept only when verbatim
        self.proposer: Callable[[str], list[dict[str, Any]]] | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(_SCHEMA)

    @property
    def lexicon(self) -> Lexicon:
        return self._lexicon_loader()

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        with conn:
            yield conn

    def _meta(self, key: str) -> str:
        with self._db() as db:
            row = db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else ""

    def _stamp(self) -> str:
        # (an LLM's proposals apply from the next extraction on)
        return f"{EXTRACTOR_VERSION}:{self.lexicon.digest}"

    # --- keeping up with the store ----------------------------------------------------------------
    def sync(self, store: ChromaStore, force: bool = False,
             progress: Callable[[int], Any] | None = None, every_s: float = 0.0) -> int:
        """Extract the documents added or changed since the last sync, drop removed ones;
        returns how many documents were (re-)extracted. ``force`` redoes every document.

        ``every_s`` marks a reader catching up: at most that often, offline only (no LLM
        call inside a question), and never waiting: while a writer extracts, readers read
        what is there."""
        if every_s and time.monotonic() - self._checked < every_s and not force:
            return 0
        if not self._lock.acquire(blocking=not every_s):
            return 0
        try:
            return self._sync(store, force, progress, use_llm=not every_s)
        finally:
            self._lock.release()

    def _sync(self, store: ChromaStore, force: bool, progress: Callable[[int], Any] | None,
              use_llm: bool) -> int:
        self._checked = time.monotonic()
        revision = store.revision()
        stamp = self._stamp()
        if not force and revision == self._meta("revision") and stamp == self._meta("stamp"):
            return 0
        records = {r.doc_id: r for r in store.list_documents()}
        with self._db() as db:
            known = dict(db.execute("SELECT doc_id, stamp FROM docs").fetchall())
        wanted = {d: f"{stamp}:{r.content_hash}" for d, r in records.items()}
        todo = [d for d, s in wanted.items() if force or known.get(d) != s]
        gone = [d for d in known if d not in wanted]
        extractor = Extractor(self.lexicon)
        bar = progress(len(todo)) if progress and todo else None
        for i in range(0, len(todo), 50):
            batch = todo[i:i + 50]
            texts = store.documents_text(batch)
            rows = [(records[d], wanted[d], texts.get(d) or "") for d in batch]
            extracted = [(r, s, t, extractor.extract(t, self._proposals(t) if use_llm
                                                     else []))
                         for r, s, t in rows]
            with self._db() as db:
                self._forget(db, batch)
                for record, doc_stamp, text, extraction in extracted:
                    self._write(db, record, doc_stamp, text, extraction)
            if bar is not None:
                bar.update(len(batch))
        if bar is not None:
            bar.close()
        with self._db() as db:
            self._forget(db, gone)
            if gone or todo:  # names only removed documents used no longer resolve
                db.execute("DELETE FROM surfaces WHERE name NOT IN "
                           "(SELECT DISTINCT name FROM mentions)")
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                           [("revision", revision), ("stamp", stamp)])
        return len(todo)

    def _proposals(self, text: str) -> list[dict[str, Any]]:
        if self.proposer is None or not text:
            return []
        try:
            return self.proposer(text)
        except Exception as exc:  # the model is optional here: extraction goes on without it
            log.warning("LLM entity extraction failed; offline extraction only: %s", exc)
            return []

    @staticmethod
    def _forget(db: sqlite3.Connection, doc_ids: Sequence[str]) -> None:
        for table in ("docs", "mentions", "relations", "figures"):
            db.executemany(f"DELETE FROM {table} WHERE doc_id=?", [(d,) for d in doc_ids])

    @staticmethod
    def _write(db: sqlite3.Connection, record: DocumentRecord, stamp: str, text: str,
               extraction: Extraction) -> None:
        db.execute("INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (record.doc_id, stamp, record.title, record.source, record.outlet,
                    record.date, record.url))
        spans = sentences(text)

        def sentence_of(start: int, end: int) -> tuple[int, int]:
            for a, b in spans:
                if a <= start and end <= b:
                    return a, b
            return start, end

        rows = []
        for m in extraction.mentions:
            a, b = sentence_of(m.start, m.end)
            rows.append((record.doc_id, m.name, m.type, m.surface, m.start, m.end, a, b,
                         text[a:b]))
        db.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO relations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       [(record.doc_id, r.head, r.relation, r.tail, r.role, r.start, r.end,
                         text[r.start:r.end]) for r in extraction.relations])
        db.executemany("INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [(record.doc_id, f.entity, f.metric, f.value, f.unit, f.period, f.start,
                         f.end, f.quote_start, f.quote_end, text[f.quote_start:f.quote_end])
                        for f in extraction.figures])
        db.executemany("INSERT OR IGNORE INTO surfaces VALUES (?, ?)",
                       [(fold(s), name) for name, forms in extraction.surfaces.items()
                        for s in (*forms, name)])

    # --- reading ----------------------------------------------------------------------------------
    def resolve(self, name: str) -> str | None:
        """The canonical name for any name or alias the documents or the lexicon use."""
        known = self.lexicon.resolve(name)
        with self._db() as db:
            if known and db.execute("SELECT 1 FROM mentions WHERE name=? LIMIT 1",
                                    (known,)).fetchone():
                return known
            rows = db.execute("SELECT name FROM surfaces WHERE surface=?",
                              (fold(name),)).fetchall()
            prefix = fold(name)
            if not rows and len(prefix) >= 2:  # "Kling" finds "kling ai" when only it is known
                escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                rows = db.execute("SELECT name FROM surfaces WHERE surface LIKE ? ESCAPE '\\' "
                                  "ORDER BY length(surface) LIMIT 1",
                                  (f"{escaped}%",)).fetchall()
        return rows[0][0] if rows else None

    def resolve_exact(self, name: str) -> str | None:
        """Like ``resolve``, without prefix matching: a name exactly as the documents or the
        lexicon write it."""
        known = self.lexicon.resolve(name)
        if known:
            return known
        with self._db() as db:
            row = db.execute("SELECT name FROM surfaces WHERE surface=? LIMIT 1",
                             (fold(name),)).fetchone()
        return row[0] if row else None

    def named_in(self, text: str) -> tuple[list[str], str]:
        """The entities a question names (by any name or alias the lexicon or the documents
        use), and the question without them."""
        about: list[str] = []
        rest = text
        for start, end, _ in sorted(self.lexicon.find(text), key=lambda x: -x[0]):
            if not (word_boundary(text, start) and word_boundary(text, end)):
                continue  # "三星" inside "三星堆"
            name = self.resolve(text[start:end])
            if name is not None:
                about.append(name)
                rest = rest[:start] + " " + rest[end:]
        for word in re.findall(r"[A-Za-z][A-Za-z0-9.\-]{2,}|[\u3400-\u9fff]{2,8}", rest):
            name = self.resolve_exact(word)
            if name is not None and name not in about:
                about.append(name)
                rest = rest.replace(word, " ")
        surfaces, readings = self.surface_tables()
        for run in re.finditer(r"[\u3400-\u9fff]{3,}", rest):  # "李少红的短片多长": a name inside
            text_run, i = run.group(0), 0
            while i < len(text_run) - 1:
                for length in range(min(8, len(text_run) - i), 1, -1):
                    piece = text_run[i:i + length]
                    name = surfaces.get(piece)
                    if name is not None and word_boundary(text_run, i) \
                            and word_boundary(text_run, i + length):
                        if name not in about:
                            about.append(name)
                        rest = rest.replace(piece, " ", 1)
                        i += length - 1
                        break
                i += 1
        for spelled in _SPELLED_NAME.findall(rest):  # "Li Shaohong": the pinyin of 李少红
            parts = re.split(r"[\s\-]+", spelled.lower())
            name = readings.get("".join(parts)) or readings.get(parts[-1] + "".join(parts[:-1]))
            if name is not None and name not in about:  # either order: "Shaohong Li" too
                about.append(name)
                rest = rest.replace(spelled, " ")
        return list(dict.fromkeys(reversed(about))), rest

    def people(self) -> set[str]:
        """The names of the people the documents mention."""
        with self._db() as db:
            return {row[0] for row in db.execute(
                "SELECT DISTINCT name FROM mentions WHERE type='person'")}

    def surface_tables(self) -> tuple[dict[str, str], dict[str, str]]:
        """Chinese surfaces of the documents' entities (two characters or more) → name, and
        the toneless pinyin of the people's Chinese names → name; rebuilt when the store
        changes."""
        with self._db() as db:
            stamp = db.execute("SELECT count(*), max(rowid) FROM surfaces").fetchone()
            cached = getattr(self, "_surfaces_cache", None)
            if cached is not None and cached[0] == stamp:
                return cached[1], cached[2]
            rows = db.execute("SELECT surface, name FROM surfaces").fetchall()
        people = self.people()
        surfaces = {surface: name for surface, name in rows
                    if len(surface) >= 2 and re.fullmatch(r"[\u3400-\u9fff]+", surface)}
        chinese_people = sorted({s for s, n in surfaces.items() if n in people and len(s) <= 4})
        readings: dict[str, str] = {}
        if chinese_people:
            from index.bridge import pinyin_readings

            readings = {reading: surfaces[surface] for surface, reading
                        in pinyin_readings(chinese_people).items() if len(reading) >= 4}
        self._surfaces_cache = (stamp, surfaces, readings)
        return surfaces, readings

    def forms(self, name: str) -> set[str]:
        """Every way the documents and the lexicon write an entity (case-folded)."""
        with self._db() as db:
            found = {row[0] for row in db.execute("SELECT surface FROM surfaces WHERE name=?",
                                                  (name,))}
        entry = self.lexicon.entries.get(name)
        return found | {fold(f) for f in (name, *(entry.aliases if entry else ()))}

    def mentions_in(self, doc_id: str, sentence_start: int) -> list[dict[str, Any]]:
        """The entities named in one sentence of a document."""
        with self._db() as db:
            rows = db.execute("SELECT DISTINCT name, type FROM mentions WHERE doc_id=? AND "
                              "quote_start=?", (doc_id, sentence_start)).fetchall()
        return [{"name": n, "type": t} for n, t in rows]

    def entities(self, kind: str | None = None, doc_ids: set[str] | None = None,
                 limit: int | None = None) -> list[EntitySummary]:
        query = ("SELECT name, type, count(*), count(DISTINCT doc_id) FROM mentions "
                 + ("WHERE type=? " if kind else "") + "GROUP BY name, type "
                 "ORDER BY count(DISTINCT doc_id) DESC, count(*) DESC, name")
        with self._db() as db:
            rows = db.execute(query, (kind,) if kind else ()).fetchall()
            if doc_ids is not None:
                allowed = {n for n, d in db.execute("SELECT DISTINCT name, doc_id FROM mentions")
                           if d in doc_ids}
                rows = [r for r in rows if r[0] in allowed]
            rows = rows[:limit] if limit else rows
            forms: dict[str, set[str]] = {}
            for surface_name, name in db.execute(
                    "SELECT DISTINCT surface, name FROM mentions"):
                forms.setdefault(name, set()).add(surface_name)
        out = []
        for name, kind_, count, docs in rows:
            entry = self.lexicon.entries.get(name)
            aliases = sorted(forms.get(name, set()) - {name}
                             | (set(entry.aliases) if entry else set()))
            out.append(EntitySummary(name, kind_, aliases, count, docs,
                                     list(entry.tags) if entry else []))
        return out

    def _docs(self, db: sqlite3.Connection, doc_ids: set[str]) -> dict[str, tuple[str, ...]]:
        marks = ",".join("?" * len(doc_ids))
        return {row[0]: row[1:] for row in db.execute(
            f"SELECT doc_id, title, source, outlet, date FROM docs WHERE doc_id IN ({marks})",
            tuple(doc_ids))}

    def _quote(self, docs: dict[str, tuple[str, ...]], doc_id: str, start: int, end: int,
               text: str) -> dict[str, Any]:
        title, source, outlet, date = docs.get(doc_id, ("", "", "", ""))
        return Quote(doc_id, title, source, outlet, date, start, end, text).as_dict()

    def card(self, name: str) -> EntityCard | None:
        canonical = self.resolve(name)
        if canonical is None:
            return None
        with self._db() as db:
            mentions = db.execute(
                "SELECT doc_id, type, surface, quote_start, quote_end, quote FROM mentions "
                "WHERE name=? ORDER BY doc_id, start", (canonical,)).fetchall()
            if not mentions:
                return None
            as_head = db.execute("SELECT doc_id, relation, tail, role, start, \"end\", quote "
                                 "FROM relations WHERE head=?", (canonical,)).fetchall()
            as_tail = db.execute("SELECT doc_id, relation, head, role, start, \"end\", quote "
                                 "FROM relations WHERE tail=?", (canonical,)).fetchall()
            figures = db.execute(
                "SELECT doc_id, metric, value, unit, period, quote_start, quote_end, quote "
                "FROM figures WHERE entity=? ORDER BY doc_id, start", (canonical,)).fetchall()
            doc_ids = {m[0] for m in mentions} | {r[0] for r in as_head + as_tail} \
                | {f[0] for f in figures}
            docs = self._docs(db, doc_ids)
            related = tuple({r[2] for r in as_head + as_tail} or {""})
            marks = ",".join("?" * len(related))
            types = dict(db.execute(f"SELECT name, type FROM mentions WHERE name IN ({marks}) "
                                    "GROUP BY name", related).fetchall())
        kind = Counter(m[1] for m in mentions).most_common(1)[0][0]
        entry = self.lexicon.entries.get(canonical)
        aliases = sorted({m[2] for m in mentions} - {canonical}
                         | (set(entry.aliases) if entry else set()))

        def item(row: tuple[Any, ...], **extra: Any) -> dict[str, Any]:
            return {**extra, "citation": self._quote(docs, row[0], row[4], row[5], row[6])}

        makers = [item(r, name=r[2]) for r in as_head if r[1] == "made_by"]
        products = [item(r, name=r[2]) for r in as_tail if r[1] == "made_by"]
        people = [item(r, name=r[2], role=r[3]) for r in as_tail if r[1] == "works_at"]
        people += [item(r, name=r[2] or "", role=r[3]) for r in as_head
                   if r[1] in ("works_at", "role")]
        units = [item(r, name=r[2], relation="part of") for r in as_head if r[1] == "part_of"]
        units += [item(r, name=r[2], relation="includes") for r in as_tail
                  if r[1] == "part_of"]
        figure_items = [{"metric": f[1], "value": f[2], "unit": f[3], "period": f[4],
                         "citation": self._quote(docs, f[0], f[5], f[6], f[7])}
                        for f in figures]
        first: dict[str, Any] = {}
        counts: Counter[str] = Counter()
        for m in mentions:  # a document's first mention in a real sentence, not a caption
            if m[0] not in first or len(first[m[0]][5]) < _CAPTION_CHARS <= len(m[5]):
                first[m[0]] = m
            counts[m[0]] += 1
        timeline: list[dict[str, Any]] = [
                    {"date": docs.get(d, ("", "", "", ""))[3], "mentions": counts[d],
                     "citation": self._quote(docs, d, m[3], m[4], m[5])}
                    for d, m in first.items()]
        timeline.sort(key=lambda t: (t["date"] or "9999", t["citation"]["title"]))
        for group in (makers, products, people, units):
            group.sort(key=lambda x: (x["name"], x["citation"]["doc_id"]))
            for x in group:
                x["type"] = types.get(x["name"], "")
        return EntityCard(canonical, kind, aliases, list(entry.tags) if entry else [],
                          _dedupe(makers), _dedupe(products), _dedupe(people, "role"),
                          _dedupe(units, "relation"), figure_items, timeline)

    def mentions(self, names: Sequence[str] | None = None, doc_ids: set[str] | None = None,
                 kind: str | None = None) -> list[dict[str, Any]]:
        """Mentions of the given entities (or of all, or of one type): each with its sentence
        as ``citation`` and its own offsets as ``at``."""
        columns = "doc_id, name, type, quote_start, quote_end, quote, start, \"end\""
        with self._db() as db:
            if names:
                marks = ",".join("?" * len(names))
                rows = db.execute(f"SELECT {columns} FROM mentions WHERE name IN ({marks}) "
                                  "ORDER BY doc_id, start", tuple(names)).fetchall()
            elif kind:
                rows = db.execute(f"SELECT {columns} FROM mentions WHERE type=? "
                                  "ORDER BY doc_id, start", (kind,)).fetchall()
            else:
                rows = db.execute(f"SELECT {columns} FROM mentions ORDER BY doc_id, start"
                                  ).fetchall()
            if doc_ids is not None:
                rows = [r for r in rows if r[0] in doc_ids]
            docs = self._docs(db, {r[0] for r in rows}) if rows else {}
        return [{"name": r[1], "type": r[2], "at": (r[6], r[7]),
                 "citation": self._quote(docs, r[0], r[3], r[4], r[5])} for r in rows]

    def relations(self, relation: str) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute("SELECT doc_id, head, tail, role, start, \"end\", quote "
                              "FROM relations WHERE relation=?", (relation,)).fetchall()
            docs = self._docs(db, {r[0] for r in rows}) if rows else {}
        return [{"head": r[1], "tail": r[2], "role": r[3],
                 "citation": self._quote(docs, r[0], r[4], r[5], r[6])} for r in rows]

    def holders(self, organisation: str) -> list[tuple[str, str]]:
        """(person, role) of each person the documents name in a role at ``organisation``
        (a canonical name: "月之暗面创始人杨植麟" gives ("杨植麟", "创始人"))."""
        with self._db() as db:
            return list(dict.fromkeys(db.execute(
                "SELECT head, role FROM relations WHERE relation='works_at' AND tail=?",
                (organisation,)).fetchall()))

    def figures(self, entity: str | None = None) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute(
                "SELECT doc_id, entity, metric, value, unit, period, quote_start, quote_end, "
                "quote FROM figures" + (" WHERE entity=?" if entity else "")
                + " ORDER BY doc_id, start", (entity,) if entity else ()).fetchall()
            docs = self._docs(db, {r[0] for r in rows}) if rows else {}
        return [{"entity": r[1], "metric": r[2], "value": r[3], "unit": r[4], "period": r[5],
                 "citation": self._quote(docs, r[0], r[6], r[7], r[8])} for r in rows]

    def document_extraction(self, doc_id: str) -> dict[str, Any]:
        with self._db() as db:
            return {"mentions": db.execute("SELECT name, type, surface, start, \"end\" FROM "
                                           "mentions WHERE doc_id=?", (doc_id,)).fetchall()}

    def stats(self) -> dict[str, int]:
        with self._db() as db:
            return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    for table in ("docs", "mentions", "relations", "figures")}

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def _dedupe(items: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    """One row per name (and role), with every citation kept in ``citations``."""
    kept: dict[tuple[str, ...], dict[str, Any]] = {}
    for x in items:
        key = (x["name"], *(str(x.get(k, "")) for k in keys))
        if key in kept:
            kept[key]["more"].append(x["citation"])
        else:
            kept[key] = {**x, "more": []}
    return list(kept.values())


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)
