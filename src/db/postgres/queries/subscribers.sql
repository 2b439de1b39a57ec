-- Subscribers, their status, erasure with a suppression hash (PostgreSQL: $1, $2, ... in the order the code gives).

-- name: healthCheck
SELECT (SELECT COUNT(*) FROM editions) + (SELECT COUNT(*) FROM subscribers);

-- name: findSubscriber
SELECT * FROM subscribers WHERE lower(email) = lower($1);

-- $5 is a fresh token key.
-- name: addSubscriber
INSERT INTO subscribers (email, status, consent_source, created_at, status_changed_at, confirmed_at, token_key)
VALUES ($1, $2, $3, $4, $4, CASE WHEN $2 = 'confirmed' THEN $4 END, $5) RETURNING *;

-- name: setSubscriberStatus
UPDATE subscribers SET status = $2, status_changed_at = $3,
  confirmed_at = CASE WHEN $2 = 'confirmed' THEN $3 ELSE confirmed_at END,
  unsubscribed_at = CASE WHEN $2 = 'unsubscribed' THEN $3 ELSE unsubscribed_at END
WHERE id = $1;

-- name: listSubscribers
SELECT * FROM subscribers ORDER BY id;

-- name: confirmedSubscribers
SELECT * FROM subscribers WHERE status = 'confirmed' ORDER BY id;

-- name: subscriberById
SELECT * FROM subscribers WHERE id = $1;

-- ::int: COUNT(*) is a bigint, which pg hands over as a string.
-- name: confirmedCount
SELECT COUNT(*)::int AS n FROM subscribers WHERE status = 'confirmed';

-- name: suppressionReason
SELECT reason FROM suppressions WHERE email_hash = $1;

-- name: suppress
INSERT INTO suppressions (email_hash, reason, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING;

-- name: deleteSubscriberDeliveries
DELETE FROM deliveries WHERE subscriber_id = $1;

-- An erased person's clicks go with them (tracking.perSubscriber).
-- name: deleteSubscriberClicks
DELETE FROM link_clicks WHERE subscriber_id = $1;

-- name: deleteSubscriber
DELETE FROM subscribers WHERE id = $1;

-- An import's batch: which of its address hashes ($1) are suppressed, and why.
-- name: suppressionsAmong
SELECT email_hash, reason FROM suppressions WHERE email_hash = ANY($1::text[]);

-- The batch's addresses not suppressed, in file order, with their keys ($2) at $3; an address already
-- there (or twice in the batch) is skipped: the ones returned were added.
-- name: importSubscribers
INSERT INTO subscribers (email, status, consent_source, created_at, status_changed_at, confirmed_at, token_key)
SELECT email, 'confirmed', 'import', $3, $3, $3, token_key FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS i (email, token_key, n)
ORDER BY n ON CONFLICT DO NOTHING RETURNING email;
