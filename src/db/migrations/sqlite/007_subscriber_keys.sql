-- Ids are never reused: erasing the highest id once let the next signup inherit it, and with it the
-- erased person's links. A high-water mark survives deletes, and each new subscriber gets a random key
-- that their links sign (rows from before keep NULL: their links, already in inboxes, keep working,
-- and their ids can no longer be handed to anyone else).
ALTER TABLE subscribers ADD COLUMN token_key TEXT;
CREATE TABLE subscriber_high_water (high INTEGER NOT NULL);
INSERT INTO subscriber_high_water (high) SELECT COALESCE(MAX(id), 0) FROM subscribers;
CREATE TRIGGER subscribers_high_water AFTER DELETE ON subscribers
BEGIN
  UPDATE subscriber_high_water SET high = MAX(high, OLD.id);
END;

-- Confirmation emails: at most one per address per 15 minutes and three a day, sent from a queue the
-- server works through (with retries), so the form answers at once and the same way for everyone.
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
