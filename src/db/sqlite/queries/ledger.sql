-- The delivery ledger (see src/db/types.ts for what each operation promises).

-- An edition as a whole: its claim, its state, its completion.

-- name: beginEdition
UPDATE editions SET send_started_at = @now, send_owner = @owner, send_completed_at = NULL
WHERE id = @id AND send_started_at IS NULL AND review <> 'held' AND (@reviewKey IS NULL OR review_key = @reviewKey);

-- name: editionIds
SELECT id FROM editions WHERE id = @weekId OR id LIKE @weekId || '-%';

-- name: editionState
SELECT send_started_at, send_completed_at, send_owner FROM editions WHERE id = ?;

-- name: editionsInProgress
SELECT id FROM editions WHERE send_started_at IS NOT NULL AND send_completed_at IS NULL ORDER BY id;

-- name: completeEdition
UPDATE editions SET send_completed_at = @now, sent_at = COALESCE(sent_at, @now) WHERE id = @id;

-- name: queueAll
INSERT INTO deliveries (edition_id, subscriber_id, status, attempts, queued_at, updated_at)
SELECT @id, id, 'queued', 0, @now, @now FROM subscribers WHERE status = 'confirmed'
ON CONFLICT (edition_id, subscriber_id) DO NOTHING;

-- One edition's rows: claiming, leases, outcomes, what is left.

-- name: claimable
SELECT d.subscriber_id, s.email, s.token_key, s.status AS subscriber_status, d.attempts
FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
WHERE d.edition_id = ? AND d.status = 'queued' AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?)
ORDER BY d.subscriber_id LIMIT ?;

-- name: claim
UPDATE deliveries SET status = 'sending', claimed_by = @owner, claimed_at = @now, attempts = attempts + 1, updated_at = @now
WHERE edition_id = @id AND subscriber_id = @subscriberId AND status = 'queued';

-- name: renew
UPDATE deliveries SET claimed_at = @now WHERE edition_id = @id AND claimed_by = @owner AND status = 'sending';

-- name: released
UPDATE deliveries SET status = 'queued', attempts = MAX(attempts - 1, 0), last_reply = @reply, updated_at = @now, claimed_by = NULL, claimed_at = NULL
WHERE edition_id = @id AND subscriber_id = @subscriberId;

-- name: skipped
UPDATE deliveries SET status = 'skipped', last_reply = @reply, updated_at = @now WHERE edition_id = @id AND subscriber_id = @subscriberId;

-- name: sent
UPDATE deliveries SET status = 'sent', last_reply = @reply, message_id = @messageId, sent_at = @now, updated_at = @now, claimed_by = NULL
WHERE edition_id = @id AND subscriber_id = @subscriberId;

-- name: retry
UPDATE deliveries SET status = 'queued', last_reply = @reply, next_attempt_at = @nextAttemptAt, updated_at = @now, claimed_by = NULL
WHERE edition_id = @id AND subscriber_id = @subscriberId;

-- name: failed
UPDATE deliveries SET status = 'failed', failure = @failure, last_reply = @reply, updated_at = @now, claimed_by = NULL
WHERE edition_id = @id AND subscriber_id = @subscriberId;

-- A hard bounce counts against the subscriber; at the limit a confirmed one becomes bounced.
-- name: bounce
UPDATE subscribers SET hard_bounces = hard_bounces + 1,
  status = CASE WHEN hard_bounces + 1 >= @limit AND status = 'confirmed' THEN 'bounced' ELSE status END,
  status_changed_at = CASE WHEN hard_bounces + 1 >= @limit AND status = 'confirmed' THEN @now ELSE status_changed_at END
WHERE id = @subscriberId;

-- name: inFlight
SELECT d.subscriber_id, s.email, d.claimed_by, d.claimed_at FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
WHERE d.edition_id = ? AND d.status = 'sending' ORDER BY d.subscriber_id;

-- name: requeueTemporary
UPDATE deliveries SET status = 'queued', failure = NULL, next_attempt_at = NULL, attempts = 0, updated_at = @now
WHERE edition_id = @id AND status = 'failed' AND failure = 'temporary';

-- name: nextRetry
SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE edition_id = ? AND status = 'queued';

-- name: counts
SELECT COUNT(*) AS total,
  SUM(status = 'queued') AS queued, SUM(status = 'sending') AS sending, SUM(status = 'sent') AS sent,
  SUM(status = 'skipped') AS skipped,
  SUM(status = 'failed' AND failure = 'temporary') AS failedTemporary,
  SUM(status = 'failed' AND failure = 'permanent') AS failedPermanent,
  SUM(status = 'failed' AND failure = 'ambiguous') AS failedAmbiguous
FROM deliveries WHERE edition_id = ?;

-- name: failures
SELECT s.email, d.failure, d.last_reply FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
WHERE d.edition_id = ? AND d.status = 'failed' ORDER BY d.subscriber_id LIMIT 1000;

-- State shared by the processes on this database (the sending-rate budget).

-- name: sharedState
SELECT state FROM shared_state WHERE name = ?;

-- name: putSharedState
INSERT INTO shared_state (name, state) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET state = excluded.state;
