-- Subscribers, their status, erasure with a suppression hash (SQLite: ? in order, or @name).

-- name: healthCheck
SELECT (SELECT COUNT(*) FROM editions) + (SELECT COUNT(*) FROM subscribers);

-- name: findSubscriber
SELECT * FROM subscribers WHERE email = ?;

-- An id above any ever given (subscriber_high_water keeps erased ones'), and a fresh token key.
-- name: addSubscriber
INSERT INTO subscribers (id, email, status, consent_source, created_at, status_changed_at, confirmed_at, token_key)
VALUES ((SELECT MAX(COALESCE((SELECT MAX(id) FROM subscribers), 0), high) + 1 FROM subscriber_high_water),
        @email, @status, @source, @now, @now, CASE WHEN @status = 'confirmed' THEN @now END, lower(hex(randomblob(16))));

-- An import's line: the same insert, an address already there (in any case) skipped without an error.
-- name: importSubscriber
INSERT INTO subscribers (id, email, status, consent_source, created_at, status_changed_at, confirmed_at, token_key)
VALUES ((SELECT MAX(COALESCE((SELECT MAX(id) FROM subscribers), 0), high) + 1 FROM subscriber_high_water),
        @email, @status, @source, @now, @now, CASE WHEN @status = 'confirmed' THEN @now END, lower(hex(randomblob(16))))
ON CONFLICT DO NOTHING;

-- name: setSubscriberStatus
UPDATE subscribers SET status = @status, status_changed_at = @now,
  confirmed_at = CASE WHEN @status = 'confirmed' THEN @now ELSE confirmed_at END,
  unsubscribed_at = CASE WHEN @status = 'unsubscribed' THEN @now ELSE unsubscribed_at END
WHERE id = @id;

-- name: listSubscribers
SELECT * FROM subscribers ORDER BY id;

-- name: subscriberById
SELECT * FROM subscribers WHERE id = ?;

-- name: confirmedSubscribers
SELECT * FROM subscribers WHERE status = 'confirmed' ORDER BY id;

-- name: confirmedCount
SELECT COUNT(*) AS n FROM subscribers WHERE status = 'confirmed';

-- name: deleteSubscriber
DELETE FROM subscribers WHERE id = ?;

-- name: deleteSubscriberDeliveries
DELETE FROM deliveries WHERE subscriber_id = ?;

-- An erased person's clicks go with them (tracking.perSubscriber).
-- name: deleteSubscriberClicks
DELETE FROM link_clicks WHERE subscriber_id = ?;

-- name: suppress
INSERT OR IGNORE INTO suppressions (email_hash, reason, created_at) VALUES (?, ?, ?);

-- name: suppressionReason
SELECT reason FROM suppressions WHERE email_hash = ?;
