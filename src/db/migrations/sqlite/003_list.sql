-- The list: erased addresses live on only as a hash, so they are never mailed again; editions record
-- when they went out, for the web archive.
CREATE TABLE suppressions (
  email_hash TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;

ALTER TABLE editions ADD COLUMN sent_at TEXT;
ALTER TABLE editions ADD COLUMN headline TEXT;
