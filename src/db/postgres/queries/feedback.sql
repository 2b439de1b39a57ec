-- Bounces and complaints reported after the send: the evidence, and what they change.

-- name: deliveryByMessageId
SELECT edition_id, subscriber_id FROM deliveries WHERE message_id = $1 LIMIT 1;

-- name: addFeedbackEvent
INSERT INTO feedback_events (subscriber_id, email_hash, edition_id, kind, source, message_id, detail, received_at, trust, action, report_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING;

-- name: countHardBounce
UPDATE subscribers SET hard_bounces = hard_bounces + 1 WHERE id = $1;

-- name: feedbackEvents
SELECT kind, trust, source, edition_id, message_id, detail FROM feedback_events WHERE subscriber_id = $1 ORDER BY id;

-- The last $1 untrusted reports, oldest first.
-- name: untrustedFeedback
SELECT kind, trust, source, edition_id, message_id, detail
FROM (SELECT * FROM feedback_events WHERE trust = 'untrusted' ORDER BY id DESC LIMIT $1) AS recent ORDER BY id;

-- ::int: COUNT(*) is a bigint, which pg hands over as a string.
-- name: feedbackCounts
SELECT
  (SELECT COUNT(*) FROM feedback_events WHERE received_at >= $1 AND action IS NOT NULL)::int AS acted,
  (SELECT COUNT(*) FROM feedback_events WHERE received_at >= $1 AND trust = 'held')::int AS held,
  (SELECT COUNT(*) FROM feedback_events WHERE received_at >= $1 AND trust = 'untrusted')::int AS untrusted;
