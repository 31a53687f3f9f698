-- Feedback on answers, Slack event claims, rate-limit buckets.
-- {id}: an auto-increment primary key; {float}: a double-precision number (per dialect).
CREATE TABLE IF NOT EXISTS feedback (
    id {id},
    created_at {float} NOT NULL,
    channel TEXT NOT NULL,
    question TEXT NOT NULL,
    history TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    language TEXT NOT NULL,
    refused INTEGER NOT NULL,
    rating INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS slack_events (
    id TEXT PRIMARY KEY,
    at {float} NOT NULL
);
CREATE TABLE IF NOT EXISTS rate_buckets (
    client TEXT PRIMARY KEY,
    tokens {float} NOT NULL,
    updated_at {float} NOT NULL,
    allowed INTEGER NOT NULL
);
