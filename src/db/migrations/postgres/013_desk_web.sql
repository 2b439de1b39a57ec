-- The desk (the web admin): its sessions and single-use sign-in links, kept as hashes (a copy of the
-- database lets nobody in), each with an expiry; a session's CSRF token. Click counts, when
-- tracking.clicks is on: per edition and link (subscriber_id 0), and per person only with
-- tracking.perSubscriber. One subscriber's history reads their deliveries by subscriber.
CREATE TABLE admin_tokens (
  hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('session', 'link')),
  csrf TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE TABLE link_clicks (
  edition_id TEXT NOT NULL,
  url TEXT NOT NULL,
  subscriber_id INTEGER NOT NULL,
  clicks INTEGER NOT NULL,
  PRIMARY KEY (edition_id, url, subscriber_id)
);
-- A person's clicks go with them when they are erased.
CREATE INDEX link_clicks_by_subscriber ON link_clicks (subscriber_id) WHERE subscriber_id <> 0;
CREATE INDEX deliveries_by_subscriber ON deliveries (subscriber_id, edition_id);
