-- What several senders and several web servers share through the database: the edition as senders
-- need it (for a worker on another machine), named states updated under a lock (the send rate's
-- token buckets), and fixed-window hit counts per client (the subscribe form's rate limit).
ALTER TABLE editions ADD COLUMN sendable TEXT;
CREATE TABLE shared_state (
  name TEXT PRIMARY KEY,
  state TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE rate_hits (
  scope TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  key TEXT NOT NULL,
  hits INTEGER NOT NULL,
  PRIMARY KEY (scope, window_start, key)
) WITHOUT ROWID;
