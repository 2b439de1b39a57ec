-- Subscribers, editions and the delivery ledger. Times are ISO-8601 UTC strings.
CREATE TABLE subscribers (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed', 'bounced', 'complained')),
  consent_source TEXT NOT NULL CHECK (consent_source IN ('form', 'import', 'cli')),
  created_at TEXT NOT NULL,
  status_changed_at TEXT NOT NULL,
  confirmed_at TEXT,
  unsubscribed_at TEXT
);
CREATE INDEX subscribers_status ON subscribers (status, id);

CREATE TABLE editions (
  id TEXT PRIMARY KEY,
  as_of TEXT NOT NULL,
  subject TEXT NOT NULL,
  demo INTEGER NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE deliveries (
  edition_id TEXT NOT NULL REFERENCES editions (id),
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),
  status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_reply TEXT,
  message_id TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (edition_id, subscriber_id)
);
CREATE INDEX deliveries_status ON deliveries (edition_id, status);
