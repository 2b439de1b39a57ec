-- Each new subscriber gets a random key their links sign. Ids are never reused: an identity column's
-- sequence never hands out a number twice (SQLite needed a high-water table for this).
ALTER TABLE subscribers ADD COLUMN token_key TEXT;

-- Confirmation emails: at most one per address per 15 minutes and three a day, sent from a queue.
ALTER TABLE subscribers ADD COLUMN confirm_sent_at TEXT;
ALTER TABLE subscribers ADD COLUMN confirm_day TEXT;
ALTER TABLE subscribers ADD COLUMN confirm_day_count INTEGER NOT NULL DEFAULT 0;
CREATE TABLE confirmations (
  subscriber_id INTEGER PRIMARY KEY REFERENCES subscribers (id) ON DELETE CASCADE,
  token TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT
);
