-- Synced sources (web pages, feeds, folders), what each of their items became, and the
-- digest posts already made (one per channel and period, even across restarts).
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    every_s {float} NOT NULL,
    added_at {float} NOT NULL,
    last_sync {float} NOT NULL DEFAULT 0,
    last_success {float} NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS source_items (
    source TEXT NOT NULL,
    item TEXT NOT NULL,
    url TEXT NOT NULL,
    doc_id TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL DEFAULT '',
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    signature TEXT NOT NULL DEFAULT '',
    outlet TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    fetched_at {float} NOT NULL,
    PRIMARY KEY (source, item)
);
CREATE INDEX IF NOT EXISTS source_items_by_doc ON source_items (doc_id);
CREATE TABLE IF NOT EXISTS digest_posts (
    channel TEXT NOT NULL,
    period TEXT NOT NULL,
    posted_at {float} NOT NULL,
    PRIMARY KEY (channel, period)
);
