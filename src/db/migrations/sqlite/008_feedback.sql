-- Bounces and complaints that arrive after the send (relay webhooks), kept as evidence beside the ledger.
CREATE TABLE feedback_events (
  id INTEGER PRIMARY KEY,
  subscriber_id INTEGER,
  email_hash TEXT NOT NULL,
  edition_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('hard-bounce', 'soft-bounce', 'complaint')),
  source TEXT NOT NULL,
  message_id TEXT,
  detail TEXT,
  received_at TEXT NOT NULL
);
CREATE INDEX feedback_by_subscriber ON feedback_events (subscriber_id);
CREATE INDEX deliveries_by_message_id ON deliveries (message_id);
