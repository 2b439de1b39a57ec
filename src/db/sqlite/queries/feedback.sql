-- Bounces and complaints reported after the send: the evidence, and what they change.

-- name: deliveryByMessageId
SELECT edition_id, subscriber_id FROM deliveries WHERE message_id = ? LIMIT 1;

-- name: addFeedbackEvent
INSERT INTO feedback_events (subscriber_id, email_hash, edition_id, kind, source, message_id, detail, received_at, trust, action, report_id)
VALUES (@subscriberId, @emailHash, @editionId, @kind, @source, @messageId, @detail, @now, @trust, @action, @reportId) ON CONFLICT DO NOTHING;

-- name: countHardBounce
UPDATE subscribers SET hard_bounces = hard_bounces + 1 WHERE id = ?;

-- name: feedbackEvents
SELECT kind, trust, source, edition_id, message_id, detail FROM feedback_events WHERE subscriber_id = ? ORDER BY id;

-- The last `limit` untrusted reports, oldest first.
-- name: untrustedFeedback
SELECT kind, trust, source, edition_id, message_id, detail
FROM (SELECT * FROM feedback_events WHERE trust = 'untrusted' ORDER BY id DESC LIMIT ?) ORDER BY id;

-- name: feedbackCounts
SELECT
  (SELECT COUNT(*) FROM feedback_events WHERE received_at >= @since AND action IS NOT NULL) AS acted,
  (SELECT COUNT(*) FROM feedback_events WHERE received_at >= @since AND trust = 'held') AS held,
  (SELECT COUNT(*) FROM feedback_events WHERE received_at >= @since AND trust = 'untrusted') AS untrusted;
