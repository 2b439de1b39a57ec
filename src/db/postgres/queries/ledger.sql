-- The delivery ledger (see src/db/types.ts for what each operation promises): claims skip rows other
-- senders hold (FOR UPDATE SKIP LOCKED).

-- name: queueAll
INSERT INTO deliveries (edition_id, subscriber_id, status, attempts, queued_at, updated_at)
SELECT $1, id, 'queued', 0, $2, $2 FROM subscribers WHERE status = 'confirmed'
ON CONFLICT (edition_id, subscriber_id) DO NOTHING;

-- name: beginEdition
UPDATE editions SET send_started_at = $3, send_owner = $2, send_completed_at = NULL
WHERE id = $1 AND send_started_at IS NULL AND review <> 'held' AND ($4::text IS NULL OR review_key = $4);

-- name: editionIds
SELECT id FROM editions WHERE id = $1 OR id LIKE $1 || '-%';

-- name: editionState
SELECT send_started_at, send_completed_at, send_owner FROM editions WHERE id = $1;

-- name: editionsInProgress
SELECT id FROM editions WHERE send_started_at IS NOT NULL AND send_completed_at IS NULL ORDER BY id;

-- name: completeEdition
UPDATE editions SET send_completed_at = $1, sent_at = COALESCE(sent_at, $1) WHERE id = $2;

-- name: renew
UPDATE deliveries SET claimed_at = $3 WHERE edition_id = $1 AND claimed_by = $2 AND status = 'sending';

-- name: claim
WITH due AS (
  SELECT subscriber_id FROM deliveries
  WHERE edition_id = $1 AND status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= $2)
  ORDER BY subscriber_id LIMIT $3 FOR UPDATE SKIP LOCKED),
claimed AS (
  UPDATE deliveries d SET status = 'sending', claimed_by = $4, claimed_at = $2, attempts = d.attempts + 1, updated_at = $2
  FROM due WHERE d.edition_id = $1 AND d.subscriber_id = due.subscriber_id
  RETURNING d.subscriber_id, d.attempts)
SELECT c.subscriber_id, s.email, s.token_key, s.status AS subscriber_status, c.attempts
FROM claimed c JOIN subscribers s ON s.id = c.subscriber_id ORDER BY c.subscriber_id;

-- The sent outcomes of a batch in one statement (the hot path); the rarer ones row by row.
-- name: sent
UPDATE deliveries d SET status = 'sent', last_reply = u.reply, message_id = u.message_id, sent_at = $2, updated_at = $2, claimed_by = NULL
FROM unnest($3::int[], $4::text[], $5::text[]) AS u (subscriber_id, reply, message_id)
WHERE d.edition_id = $1 AND d.subscriber_id = u.subscriber_id;

-- name: retry
UPDATE deliveries SET status = 'queued', last_reply = $3, next_attempt_at = $5, updated_at = $4, claimed_by = NULL
WHERE edition_id = $1 AND subscriber_id = $2;

-- name: skipped
UPDATE deliveries SET status = 'skipped', last_reply = $3, updated_at = $4 WHERE edition_id = $1 AND subscriber_id = $2;

-- name: released
UPDATE deliveries SET status = 'queued', attempts = GREATEST(attempts - 1, 0), last_reply = $3, updated_at = $4, claimed_by = NULL, claimed_at = NULL
WHERE edition_id = $1 AND subscriber_id = $2;

-- name: failed
UPDATE deliveries SET status = 'failed', failure = $5, last_reply = $3, updated_at = $4, claimed_by = NULL
WHERE edition_id = $1 AND subscriber_id = $2;

-- A hard bounce counts against the subscriber; at the limit ($2) a confirmed one becomes bounced.
-- name: bounce
UPDATE subscribers SET hard_bounces = hard_bounces + 1,
  status = CASE WHEN hard_bounces + 1 >= $2 AND status = 'confirmed' THEN 'bounced' ELSE status END,
  status_changed_at = CASE WHEN hard_bounces + 1 >= $2 AND status = 'confirmed' THEN $3 ELSE status_changed_at END
WHERE id = $1;

-- name: inFlight
SELECT d.subscriber_id, s.email, d.claimed_by, d.claimed_at FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
WHERE d.edition_id = $1 AND d.status = 'sending' ORDER BY d.subscriber_id;

-- name: requeueTemporary
UPDATE deliveries SET status = 'queued', failure = NULL, next_attempt_at = NULL, attempts = 0, updated_at = $1
WHERE edition_id = $2 AND status = 'failed' AND failure = 'temporary';

-- name: nextRetry
SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE edition_id = $1 AND status = 'queued';

-- name: counts
SELECT COUNT(*)::int AS total,
  COUNT(*) FILTER (WHERE status = 'queued')::int AS queued, COUNT(*) FILTER (WHERE status = 'sending')::int AS sending,
  COUNT(*) FILTER (WHERE status = 'sent')::int AS sent, COUNT(*) FILTER (WHERE status = 'skipped')::int AS skipped,
  COUNT(*) FILTER (WHERE status = 'failed' AND failure = 'temporary')::int AS "failedTemporary",
  COUNT(*) FILTER (WHERE status = 'failed' AND failure = 'permanent')::int AS "failedPermanent",
  COUNT(*) FILTER (WHERE status = 'failed' AND failure = 'ambiguous')::int AS "failedAmbiguous"
FROM deliveries WHERE edition_id = $1;

-- name: failures
SELECT s.email, d.failure, d.last_reply FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
WHERE d.edition_id = $1 AND d.status = 'failed' ORDER BY d.subscriber_id LIMIT 1000;

-- State shared by the processes on this database (the sending-rate budget), updated under a row lock.

-- name: addSharedState
INSERT INTO shared_state (name, state) VALUES ($1, $2) ON CONFLICT DO NOTHING;

-- name: lockSharedState
SELECT state FROM shared_state WHERE name = $1 FOR UPDATE;

-- name: putSharedState
UPDATE shared_state SET state = $2 WHERE name = $1;
