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

-- A batch of outcomes in one statement, one round trip, atomic without BEGIN/COMMIT: the rows' new states
-- from arrays (one element per outcome: $3 ids, $4 outcome, $5 reply, $6 Message-ID, $7 failure, $8 next
-- attempt, $9 bounce), the hard bounces counted on their subscribers (at the limit $10 a confirmed one
-- becomes bounced), and the batch's tally ($11 sent, $12 failed, $13 ambiguous, $14 skipped) on the
-- edition's results row, whose lock is held for this statement only.
-- name: record
WITH o AS (
  SELECT * FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[])
    AS o (subscriber_id, status, reply, message_id, failure, next_attempt_at, bounce)),
written AS (
  UPDATE deliveries d SET
    status = CASE WHEN o.status IN ('retry', 'released') THEN 'queued' ELSE o.status END,
    last_reply = o.reply, updated_at = $2,
    message_id = CASE WHEN o.status = 'sent' THEN o.message_id ELSE d.message_id END,
    sent_at = CASE WHEN o.status = 'sent' THEN $2 ELSE d.sent_at END,
    failure = CASE WHEN o.status = 'failed' THEN o.failure ELSE d.failure END,
    next_attempt_at = CASE WHEN o.status = 'retry' THEN o.next_attempt_at ELSE d.next_attempt_at END,
    attempts = CASE WHEN o.status = 'released' THEN GREATEST(d.attempts - 1, 0) ELSE d.attempts END,
    claimed_by = CASE WHEN o.status = 'skipped' THEN d.claimed_by END,
    claimed_at = CASE WHEN o.status = 'released' THEN NULL ELSE d.claimed_at END
  FROM o WHERE d.edition_id = $1 AND d.subscriber_id = o.subscriber_id),
results AS (
  UPDATE edition_results SET sent = sent + $11, failed = failed + $12, ambiguous = ambiguous + $13, skipped = skipped + $14
  WHERE edition_id = $1)
UPDATE subscribers SET hard_bounces = hard_bounces + 1,
  status = CASE WHEN hard_bounces + 1 >= $10 AND status = 'confirmed' THEN 'bounced' ELSE status END,
  status_changed_at = CASE WHEN hard_bounces + 1 >= $10 AND status = 'confirmed' THEN $2 ELSE status_changed_at END
WHERE id IN (SELECT subscriber_id FROM o WHERE bounce);

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
