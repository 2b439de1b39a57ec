-- The web desk's own tables (migration 013) and its reads of a big list: sessions and sign-in links
-- kept as hashes, click counts, a subscriber found by address prefix from the index.

-- Expired sessions and links go whenever a new one is saved.
-- name: pruneAdminTokens
DELETE FROM admin_tokens WHERE expires_at <= ?;

-- name: saveAdminToken
INSERT INTO admin_tokens (hash, kind, csrf, expires_at) VALUES (?, ?, ?, ?);

-- name: adminSession
SELECT csrf FROM admin_tokens WHERE hash = ? AND kind = 'session' AND expires_at > ?;

-- A sign-in link is taken once: deleted as it is used.
-- name: takeAdminToken
DELETE FROM admin_tokens WHERE hash = ? AND kind = ? AND expires_at > ?;

-- Subscriber 0 is the edition's count per link; a person's own row only with tracking.perSubscriber.
-- name: countClick
INSERT INTO link_clicks (edition_id, url, subscriber_id, clicks) VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET clicks = clicks + 1;

-- name: clickCounts
SELECT url, SUM(CASE WHEN subscriber_id = 0 THEN clicks ELSE 0 END) AS clicks, SUM(subscriber_id <> 0) AS people
FROM link_clicks WHERE edition_id = ? GROUP BY url ORDER BY clicks DESC, url;

-- name: searchSubscribers
SELECT * FROM subscribers WHERE email >= ? AND email < ? ORDER BY email LIMIT ?;

-- name: deliveriesOf
SELECT * FROM deliveries WHERE subscriber_id = ? ORDER BY edition_id DESC LIMIT ?;

-- name: lastFetches
SELECT source, MAX(fetched_at) AS fetched_at FROM closes GROUP BY source;

-- name: feedbackLog
SELECT f.id, f.kind, f.trust, f.source, f.edition_id, f.message_id, f.detail, f.received_at, f.action, s.email
FROM feedback_events f LEFT JOIN subscribers s ON s.id = f.subscriber_id WHERE f.id < ? ORDER BY f.id DESC LIMIT ?;
