-- Saved conversations: per signed-in web user, and Slack threads opened in the web chat.
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    turns TEXT NOT NULL,
    updated_at {float} NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_owner ON conversations (owner, updated_at);
