"""Sources kept in sync: web pages, RSS/Atom feeds and folders, each synced on its own
interval.

State lives in the shared database (``ui.state``; SQLite under the data directory, or
PostgreSQL for replicas): per source its location, interval, last sync, last success, last
error and the feed's ETag / Last-Modified / content hash; per item the URL, the document it
became, a fingerprint (unchanged items are not fetched again), its MinHash signature and its
last error. A sync:

- folder: rescanned like ``landscape ingest --prune`` (unchanged files cost a hash);
- page: fetched with a conditional request; a 304 or the same text is "unchanged";
- feed: fetched conditionally; a 304 or the same bytes means nothing new (no item is fetched);
  else each item whose fingerprint changed is taken from the feed's own full text when it
  carries one, or fetched (robots.txt, per-host delay, limits: ``index.fetch``).

An item that fails gets its one-line reason and is retried next time; the rest go on, and a
failed source never removes what it ingested before. A story already stored from another URL
(MinHash Jaccard ≥ 0.7 on character shingles) is not stored again: its URL and outlet become an
alias of the first document, and answers cite it once.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from index.corpus import Corpus
from index.errors import ConfigError, LandscapeError, StoreLocked
from index.fetch import Fetcher, FetchError, FetchPolicy
from index.ingest import IngestReport, ingest_paths, ingest_web, web_doc_id
from index.settings import Settings
from index.webdocs import (
    DUPLICATE_JACCARD,
    WebDocument,
    looks_like_feed,
    parse_feed,
    parse_page,
    signature,
)
from ui.state import Database

log = logging.getLogger("landscape")
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
MIN_FEED_TEXT = 200  # a feed item's own text shorter than this is a teaser: fetch the page
SCHEDULER_LOCK = 72_616_403  # pg_try_advisory_lock key: one replica runs due syncs at a time


def parse_interval(value: str) -> float:
    """"30m", "6h", "1d", "2w" -> seconds."""
    match = _INTERVAL.match(value or "")
    if not match:
        raise ConfigError(f"interval {value!r} is not like 30m, 6h, 1d or 2w")
    seconds = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if seconds < 60:
        raise ConfigError(f"interval {value!r} is shorter than a minute")
    return seconds


def kind_of(location: str) -> str:
    if location.startswith(("http://", "https://")):
        return "url"  # a page or a feed: decided by what it serves at the first sync
    if Path(location).expanduser().is_dir():
        return "folder"
    raise ConfigError(f"{location!r} is neither an http(s) URL nor a folder")


@dataclass
class SyncResult:
    name: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)  # {"url", "reason"}
    embedded: int = 0
    aliases: int = 0  # items stored as another document's alias (syndicated copies)
    error: str = ""  # the source itself failed (its feed or folder)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def summary(self) -> str:
        text = (f"{self.name}: {self.added} added, {self.updated} updated, {self.unchanged} "
                f"unchanged, {len(self.failed)} failed, {self.embedded} chunks embedded")
        if self.aliases:
            text += f", {self.aliases} syndicated copies kept as aliases"
        if self.error:
            text += f"; source failed: {self.error}"
        return text + f" ({self.seconds:.1f} s)"


class Sources:
    """The registry of synced sources and the sync itself (one at a time per process)."""

    def __init__(self, db: Database, corpus: Corpus, settings: Settings | None = None) -> None:
        self.db = db
        self.corpus = corpus
        self.settings = settings or corpus.settings
        self._sync_lock = threading.Lock()

    # --- registry -------------------------------------------------------------------------------
    def add(self, location: str, every: str = "", name: str = "") -> dict[str, Any]:
        kind = kind_of(location)
        if kind == "folder":
            location = str(Path(location).expanduser().resolve())
        seconds = parse_interval(every or self.settings.sync_every)
        name = name.strip() or _default_name(location)
        if not re.fullmatch(r"[\w.\-]{1,64}", name):
            raise ConfigError(f"source name {name!r}: use letters, digits, '.', '-' or '_'")
        with self.db.transaction() as cursor:
            taken = cursor.execute("SELECT name, location FROM sources WHERE name = ? OR "
                                   "location = ?", (name, location)).rows()
            if taken:
                raise ConfigError(f"a source named {taken[0]['name']!r} already syncs "
                                  f"{taken[0]['location']}")
            cursor.execute("INSERT INTO sources (name, kind, location, every_s, added_at) "
                           "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
                           (name, kind, location, seconds, time.time()))
            if cursor.rowcount != 1:  # added by another process in the meantime
                raise ConfigError(f"a source named {name!r} already exists")
        return self.get(name)

    def get(self, name: str) -> dict[str, Any]:
        rows = self.list_sources(name)
        if not rows:
            known = ", ".join(r["name"] for r in self.list_sources()) or "none yet"
            raise ConfigError(f"no source named {name!r} (sources: {known})")
        return rows[0]

    def list_sources(self, name: str | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE s.name = ?", (name,)) if name else ("", ())
        rows = self.db.query(
            "SELECT s.name, s.kind, s.location, s.every_s, s.added_at, s.last_sync, "
            "s.last_success, s.last_error, COUNT(DISTINCT CASE WHEN i.doc_id <> '' THEN i.doc_id "
            f"END) AS documents FROM sources s LEFT JOIN source_items i ON i.source = s.name "
            f"{where} GROUP BY s.name, s.kind, s.location, s.every_s, s.added_at, s.last_sync, "
            "s.last_success, s.last_error ORDER BY s.name", params)
        for row in rows:
            row["documents"] = int(row["documents"] or 0)
            row["due_at"] = float(row["last_sync"] or 0) + float(row["every_s"])
        return rows

    def remove(self, name: str) -> int:
        """Forget a source; the documents only it brought in are removed (a folder's files
        stay ingested). Returns how many documents were removed."""
        with self._sync_lock:  # not while this process syncs it
            source = self.get(name)
            docs = {r["doc_id"] for r in self.db.query(
                "SELECT doc_id FROM source_items WHERE source = ? AND doc_id <> ''", (name,))}
            shared = {r["doc_id"] for r in self.db.query(
                "SELECT doc_id FROM source_items WHERE source <> ? AND doc_id <> ''", (name,))}
            removed = 0
            if source["kind"] != "folder":  # documents first: a failure here keeps the rows
                removed = ingest_web(self.corpus, [], remove=sorted(docs - shared)).removed
            with self.db.transaction() as cursor:
                cursor.execute("DELETE FROM source_items WHERE source = ?", (name,))
                cursor.execute("DELETE FROM sources WHERE name = ?", (name,))
            self._refresh_aliases(shared & docs)
            return removed

    def run_due(self) -> list[SyncResult]:
        """Sync the sources that are due, if this process leads (one replica at a time)."""
        if not self.due():
            return []
        with self.db.leader(SCHEDULER_LOCK) as leading:
            if not leading:
                return []
            due = self.due()  # another replica may have synced them meanwhile
            return self._sync_all([self.get(n) for n in due], None) if due else []

    def due(self, now: float | None = None) -> list[str]:
        now = time.time() if now is None else now
        return [r["name"] for r in self.list_sources() if r["due_at"] <= now]

    # --- sync ------------------------------------------------------------------------------------
    def sync(self, names: list[str] | None = None,
             progress: Callable[[int], Any] | None = None) -> list[SyncResult]:
        """Sync the named sources (all when none), one after another; never raises for a
        source's own failure (it is in the result and in the source's last error)."""
        targets = [self.get(n) for n in names] if names else self.list_sources()
        with self.db.leader(SCHEDULER_LOCK) as leading:  # one replica syncs at a time
            if not leading:
                raise StoreLocked("another replica is syncing the sources right now; try "
                                  "again in a minute")
            return self._sync_all(targets, progress)

    def _sync_all(self, targets: list[dict[str, Any]],
                  progress: Callable[[int], Any] | None) -> list[SyncResult]:
        results = []
        with self._sync_lock:
            trusted = {urlsplit(s["location"]).hostname or "" for s in self.list_sources()
                       if s["kind"] != "folder"}
            fetcher = Fetcher(FetchPolicy(
                timeout_s=self.settings.fetch_timeout_s,
                max_bytes=int(self.settings.fetch_max_mb * 1_000_000),
                host_delay_s=self.settings.fetch_delay_s,
                private_hosts=self.settings.fetch_private_hosts), trusted_hosts=trusted)
            for source in targets:
                results.append(self._sync_one(source, fetcher, progress))
        return results

    def _sync_one(self, source: dict[str, Any], fetcher: Fetcher,
                  progress: Callable[[int], Any] | None) -> SyncResult:
        started = time.perf_counter()
        result = SyncResult(source["name"])
        try:
            if source["kind"] == "folder":
                self._sync_folder(source, result, progress)
            else:
                self._sync_url(source, fetcher, result, progress)
        except FetchError as exc:
            result.error = str(exc)
        except LandscapeError as exc:
            result.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - one source never stops the others
            log.exception("syncing %s failed", source["name"])
            result.error = f"unexpected error ({type(exc).__name__}); see the server log"
        result.seconds = round(time.perf_counter() - started, 3)
        now = time.time()
        with self.db.transaction() as cursor:
            if result.error:
                cursor.execute("UPDATE sources SET last_sync = ?, last_error = ? WHERE name = ?",
                               (now, result.error, source["name"]))
            else:
                problems = "; ".join(f"{f['url']}: {f['reason']}" for f in result.failed[:3])
                cursor.execute("UPDATE sources SET last_sync = ?, last_success = ?, "
                               "last_error = ? WHERE name = ?",
                               (now, now, problems, source["name"]))
        log.info("sync %s", result.summary())
        return result

    def _sync_folder(self, source: dict[str, Any], result: SyncResult,
                     progress: Callable[[int], Any] | None) -> None:
        folder = Path(source["location"])
        if not folder.is_dir():
            raise ConfigError(f"folder {folder} is gone")
        had = self.db.query("SELECT COUNT(*) AS n FROM source_items WHERE source = ?",
                            (source["name"],))[0]["n"]
        if had and not any(p.is_file() for p in folder.rglob("*")):  # unmounted, not emptied
            raise ConfigError(f"folder {folder} is empty (not mounted?); its {had} documents "
                              "are kept")
        report = ingest_paths(self.corpus, [folder], prune=True, progress=progress)
        result.added, result.updated = report.added, report.updated
        result.unchanged, result.embedded = report.skipped, report.embedded
        result.failed = [{"url": str(f.path), "reason": f.reason} for f in report.failed]
        now = time.time()
        with self.db.transaction() as cursor:  # the folder's documents, for counting
            cursor.execute("DELETE FROM source_items WHERE source = ?", (source["name"],))
            for record in self.corpus.store.list_documents():
                if record.path.startswith(str(folder) + os.sep):
                    cursor.execute(
                        "INSERT INTO source_items (source, item, url, doc_id, fetched_at) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (source["name"], record.path, record.path, record.doc_id, now))

    def _sync_url(self, source: dict[str, Any], fetcher: Fetcher, result: SyncResult,
                  progress: Callable[[int], Any] | None) -> None:
        name = source["name"]
        state = self.db.query("SELECT etag, last_modified, content_hash FROM sources "
                              "WHERE name = ?", (name,))[0]
        items = {r["item"]: r for r in self.db.query(
            "SELECT * FROM source_items WHERE source = ?", (name,))}
        fetched = fetcher.get(source["location"], state["etag"], state["last_modified"])
        import hashlib

        body_hash = hashlib.sha256(fetched.body).hexdigest() if not fetched.not_modified else ""
        if fetched.not_modified or body_hash == state["content_hash"]:
            result.unchanged = sum(1 for r in items.values() if not r["error"])
            retry = [r for r in items.values() if r["error"]]
            if not retry:
                return
            if not fetched.not_modified:
                result.unchanged = 0  # the feed is read again below: counted there
        if not fetched.not_modified:  # what the URL serves decides its kind
            kind = "feed" if looks_like_feed(fetched) else "page"
            if kind != source["kind"]:
                with self.db.transaction() as cursor:
                    cursor.execute("UPDATE sources SET kind = ? WHERE name = ?", (kind, name))
        if not fetched.not_modified and not looks_like_feed(fetched):
            self._sync_page(name, source["location"], fetched, items, result)
        else:
            self._sync_feed(name, fetched, fetcher, items, result, progress)
        if not fetched.not_modified:  # a failed item is retried: the feed is read again
            clean = not result.failed
            with self.db.transaction() as cursor:
                cursor.execute("UPDATE sources SET etag = ?, last_modified = ?, content_hash = ? "
                               "WHERE name = ?", (fetched.etag if clean else "",
                                                  fetched.last_modified if clean else "",
                                                  body_hash if clean else "", name))

    def _sync_page(self, name: str, location: str, fetched: Any,
                   items: dict[str, dict[str, Any]], result: SyncResult) -> None:
        try:
            document = parse_page(fetched)
        except Exception as exc:  # noqa: BLE001 - extractors raise anything on odd pages
            raise FetchError(f"could not be read ({type(exc).__name__})") from None
        self._store(name, [(location, document, "")], items, result)

    def _sync_feed(self, name: str, fetched: Any, fetcher: Fetcher,
                   items: dict[str, dict[str, Any]], result: SyncResult,
                   progress: Callable[[int], Any] | None) -> None:
        if fetched.not_modified:  # only items that failed last time are retried
            entries = []
            for row in items.values():
                if row["error"]:
                    entries.append((row["item"], row["url"], "", "", "", ""))
        else:
            parsed = parse_feed(fetched)
            if not parsed:
                raise FetchError("neither an HTML page nor an RSS/Atom feed with items")
            entries = [(i.key, i.link, i.title, i.date, i.content, i.fingerprint)
                       for i in parsed]
        bar = progress(len(entries)) if progress else None
        todo: list[tuple[str, WebDocument, str]] = []
        for key, link, title, date, content, fingerprint in entries:
            known = items.get(key)
            if known is not None and not known["error"] and known["fingerprint"] == fingerprint:
                result.unchanged += 1
            else:
                try:
                    todo.append((key, self._item_document(fetcher, link, title, date, content),
                                 fingerprint))
                except Exception as exc:  # noqa: BLE001 - one odd item never stops the feed
                    reason = str(exc) if isinstance(exc, FetchError) else \
                        f"could not be read ({type(exc).__name__})"
                    if not isinstance(exc, FetchError):
                        log.warning("reading %s failed", link, exc_info=True)
                    result.failed.append({"url": link, "reason": reason})
                    self._remember_failure(name, key, link, reason)
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        self._store(name, todo, items, result)

    def _item_document(self, fetcher: Fetcher, link: str, title: str, date: str,
                       content: str) -> WebDocument:
        text = ""
        if content:
            from bs4 import BeautifulSoup

            text = BeautifulSoup(content, "html.parser").get_text("\n", strip=True)
        if len(text) >= MIN_FEED_TEXT:
            from index.loaders.base import normalize_text

            return WebDocument(url=link, text=normalize_text(text), title=title, date=date)
        document = parse_page(fetcher.get(link), fallback_title=title)
        document.url = link
        document.title = title or document.title
        document.date = document.date or date
        if not document.text.strip():
            raise FetchError("no text found on the page")
        return document

    def _remember_failure(self, name: str, key: str, url: str, reason: str) -> None:
        with self.db.transaction() as cursor:
            _mark_failed(cursor, name, key, url, reason, time.time())

    def _store(self, name: str, todo: list[tuple[str, WebDocument, str]],
               items: dict[str, dict[str, Any]], result: SyncResult) -> None:
        """Write new and changed documents; a syndicated copy of a story already stored (or
        earlier in this batch) becomes an alias of it instead."""
        known = [(r["doc_id"], r["url"], json.loads(r["signature"]))
                 for r in self.db.query("SELECT doc_id, url, signature FROM source_items "
                                        "WHERE signature <> '' AND doc_id <> ''")]
        matrix = np.array([s for _, _, s in known], dtype=np.uint64) if known \
            else np.zeros((0, 0), dtype=np.uint64)
        write: list[WebDocument] = []
        rows: list[tuple[str, str, str, str, str, str]] = []  # item, url, doc, fp, sig, outlet
        batch: list[tuple[str, list[int]]] = []
        for key, document, fingerprint in todo:
            own = signature(document.text)
            previous_doc = (items.get(key) or {}).get("doc_id", "")
            canonical = self._duplicate_of(document.url, own, known, matrix, batch,
                                           exclude=previous_doc)
            doc_id = canonical or web_doc_id(document.url)
            if canonical:
                result.aliases += 1
            else:
                write.append(document)
                batch.append((doc_id, own))
                previous = items.get(key)
                if previous is not None and previous["doc_id"]:
                    result.updated += 1
                else:
                    result.added += 1
            rows.append((key, document.url, doc_id, fingerprint, json.dumps(own),
                         document.outlet or _host(document.url)))
        report = ingest_web(self.corpus, write) if write else IngestReport()
        result.embedded += report.embedded
        for failure in report.failed:
            result.failed.append({"url": str(failure.path), "reason": failure.reason})
        failed = {str(f.path): f.reason for f in report.failed}
        written = {web_doc_id(d.url) for d in write if d.url not in failed}
        now = time.time()
        previous_docs = {(items.get(key) or {}).get("doc_id", "") for key, *_ in rows} - {""}
        with self.db.transaction() as cursor:
            for key, url, doc_id, fingerprint, sig, outlet in rows:
                canonical_failed = doc_id not in written and any(
                    web_doc_id(u) == doc_id for u in failed)
                if url in failed or canonical_failed:  # retried next sync
                    _mark_failed(cursor, name, key, url,
                                 failed.get(url, "its first copy could not be stored"), now)
                    continue
                cursor.execute(
                    "INSERT INTO source_items (source, item, url, doc_id, fingerprint, "
                    "signature, outlet, error, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?) "
                    "ON CONFLICT (source, item) DO UPDATE SET url = ?, doc_id = ?, "
                    "fingerprint = ?, signature = ?, outlet = ?, error = '', fetched_at = ?",
                    (name, key, url, doc_id, fingerprint, sig, outlet, now,
                     url, doc_id, fingerprint, sig, outlet, now))
        current = {doc_id for _, _, doc_id, _, _, _ in rows}
        # a document an item no longer points to (its link changed, or it became a copy of
        # another story) goes when no item of any source points to it any more
        orphans = [d for d in previous_docs - current if not self.db.query(
            "SELECT 1 AS one FROM source_items WHERE doc_id = ? LIMIT 1", (d,))]
        if orphans:
            ingest_web(self.corpus, [], remove=orphans)
        self._refresh_aliases(current | (previous_docs - set(orphans)))

    @staticmethod
    def _duplicate_of(url: str, own: list[int], known: list[tuple[str, str, Any]],
                      matrix: np.ndarray, batch: list[tuple[str, list[int]]],
                      exclude: str = "") -> str:
        """The stored (or earlier in this batch) document this text copies, or ""; never the
        item's own document (``exclude``: what it pointed to before), whatever its URL."""
        mine = np.array(own, dtype=np.uint64)
        if len(known):
            similar = (matrix == mine).mean(axis=1)
            for index in np.argsort(-similar)[:5]:
                doc_id, other_url, _ = known[index]
                if similar[index] >= DUPLICATE_JACCARD and other_url != url \
                        and doc_id not in (web_doc_id(url), exclude):
                    return str(doc_id)
        for doc_id, other in batch:
            if (np.array(other, dtype=np.uint64) == mine).mean() >= DUPLICATE_JACCARD:
                return doc_id
        return ""

    def _refresh_aliases(self, doc_ids: set[str]) -> None:
        """Each document's aliases: every URL (and outlet) that published it, its own first
        URL included; none when only one did."""
        if not doc_ids:
            return
        store = self.corpus.store
        changed = []
        with self.corpus.write_lock():  # read and rewrite with no other writer in between
            for record in store.list_documents():
                if record.doc_id not in doc_ids:
                    continue
                rows = self.db.query("SELECT DISTINCT url, outlet FROM source_items WHERE "
                                     "doc_id = ? AND error = '' ORDER BY url", (record.doc_id,))
                aliases = [{"url": r["url"], "outlet": r["outlet"]} for r in rows]
                value = json.dumps(aliases, ensure_ascii=False) if len(aliases) > 1 else ""
                if value != record.aliases:
                    record.aliases = value
                    changed.append((record, store.document_text(record.doc_id) or ""))
            if changed:
                store.put_documents(changed)
                store.bump_revision()


def _mark_failed(cursor: Any, source: str, item: str, url: str, reason: str,
                 now: float) -> None:
    """Record an item's failure (it is retried next sync; a document it had stays)."""
    cursor.execute(
        "INSERT INTO source_items (source, item, url, error, fetched_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (source, item) DO UPDATE SET error = ?, fetched_at = ?",
        (source, item, url, reason, now, reason, now))


def _default_name(location: str) -> str:
    from urllib.parse import urlsplit

    if location.startswith(("http://", "https://")):
        parts = urlsplit(location)
        base = parts.netloc + parts.path.rstrip("/").replace("/", "-")
    else:
        base = Path(location).name
    return re.sub(r"[^\w.\-]+", "-", base).strip("-")[:64] or "source"


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc


class SyncScheduler:
    """``landscape serve``'s background thread: every ``sync_check_s`` it syncs the sources
    that are due (``Sources.run_due``). Errors are logged; the thread never dies of them."""

    def __init__(self, sources: Sources, every_s: float) -> None:
        self.sources = sources
        self.every_s = every_s
        self.last_run = 0.0
        self.last_results: list[dict[str, Any]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sync-scheduler", daemon=True)

    def start(self) -> SyncScheduler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                results = self.sources.run_due()
                self.last_run = time.time()
                if results:
                    self.last_results = [r.as_dict() for r in results]
            except Exception:  # noqa: BLE001 - the next round tries again
                log.exception("scheduled sync failed")
