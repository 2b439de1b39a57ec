-- What several senders and web servers share: the edition as senders need it, named states updated
-- under a lock (the send rate's token buckets), and fixed-window hit counts (the form's rate limit).
ALTER TABLE editions ADD COLUMN sendable TEXT;
CREATE TABLE shared_state (
  name TEXT PRIMARY KEY,
  state TEXT NOT NULL
);
CREATE TABLE rate_hits (
  scope TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  key TEXT NOT NULL,
  hits INTEGER NOT NULL,
  PRIMARY KEY (scope, window_start, key)
);
