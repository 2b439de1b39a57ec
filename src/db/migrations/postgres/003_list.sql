-- Erased addresses live on only as a hash; editions record when they went out.
CREATE TABLE suppressions (
  email_hash TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL
);

ALTER TABLE editions ADD COLUMN sent_at TEXT;
ALTER TABLE editions ADD COLUMN headline TEXT;
