-- The web desk's own tables (migration 013) and its reads of a big list: sessions and sign-in links
-- kept as hashes, click counts, a subscriber found by address prefix from the index.

-- Expired sessions and links go whenever a new one is saved.
-- name: pruneAdminTokens
DELETE FROM admin_tokens WHERE expires_at <= $1;

-- name: saveAdminToken
INSERT INTO admin_tokens (hash, kind, csrf, expires_at) VALUES ($1, $2, $3, $4);

-- name: adminSession
SELECT csrf FROM admin_tokens WHERE hash = $1 AND kind = 'session' AND expires_at > $2;

-- A sign-in link is taken once: deleted as it is used.
-- name: takeAdminToken
DELETE FROM admin_tokens WHERE hash = $1 AND kind = $2 AND expires_at > $3;

-- Subscriber 0 is the edition's count per link; a person's own row only with tracking.perSubscriber.
-- name: countClick
INSERT INTO link_clicks (edition_id, url, subscriber_id, clicks) VALUES ($1, $2, $3, 1)
ON CONFLICT (edition_id, url, subscriber_id) DO UPDATE SET clicks = link_clicks.clicks + 1;

-- name: clickCounts
SELECT url, SUM(CASE WHEN subscriber_id = 0 THEN clicks ELSE 0 END)::int AS clicks, COUNT(*) FILTER (WHERE subscriber_id <> 0)::int AS people
FROM link_clicks WHERE edition_id = $1 GROUP BY url ORDER BY clicks DESC, url;

-- name: searchSubscribers
SELECT * FROM subscribers WHERE lower(email) >= $1 AND lower(email) < $2 ORDER BY lower(email) LIMIT $3;

-- name: deliveriesOf
SELECT * FROM deliveries WHERE subscriber_id = $1 ORDER BY edition_id DESC LIMIT $2;

-- name: lastFetches
SELECT source, MAX(fetched_at) AS fetched_at FROM closes GROUP BY source;

-- name: feedbackLog
SELECT f.id, f.kind, f.trust, f.source, f.edition_id, f.message_id, f.detail, f.received_at, f.action, s.email
FROM feedback_events f LEFT JOIN subscribers s ON s.id = f.subscriber_id WHERE f.id < $1 ORDER BY f.id DESC LIMIT $2;
