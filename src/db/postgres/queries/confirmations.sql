-- The confirmation emails the site owes, with the per-address throttle's counters.

-- One statement, so one transaction: the throttle's count and the queued email go together.
-- name: queueConfirmation
WITH counted AS (
  UPDATE subscribers SET confirm_sent_at = $3,
    confirm_day_count = CASE WHEN confirm_day = $4 THEN confirm_day_count + 1 ELSE 1 END, confirm_day = $4
  WHERE id = $1)
INSERT INTO confirmations (subscriber_id, token, attempts, next_attempt_at, network) VALUES ($1, $2, 0, $3, $5)
ON CONFLICT (subscriber_id) DO UPDATE SET token = excluded.token, attempts = 0, next_attempt_at = excluded.next_attempt_at, last_error = NULL,
  network = excluded.network;

-- Fair by network: each network's turn-th email goes before any network's (turn + 1)-th, the
-- networks with the fewest waiting first (a newcomer before a flood's next).
-- name: claimConfirmations
WITH ranked AS (
  SELECT subscriber_id, next_attempt_at, ROW_NUMBER() OVER (PARTITION BY network ORDER BY next_attempt_at, subscriber_id) AS turn,
    COUNT(*) OVER (PARTITION BY network) AS waiting
  FROM confirmations WHERE next_attempt_at <= $1),
due AS (
  SELECT c.subscriber_id FROM confirmations c JOIN ranked r ON r.subscriber_id = c.subscriber_id
  WHERE c.next_attempt_at <= $1 ORDER BY r.turn, r.waiting, r.next_attempt_at, c.subscriber_id LIMIT $2 FOR UPDATE OF c SKIP LOCKED)
UPDATE confirmations c SET next_attempt_at = $3 FROM due, subscribers s
WHERE c.subscriber_id = due.subscriber_id AND s.id = c.subscriber_id
RETURNING c.subscriber_id, s.email, c.token, c.attempts;

-- name: confirmationDone
DELETE FROM confirmations WHERE subscriber_id = $1;

-- name: confirmationRetry
UPDATE confirmations SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE subscriber_id = $1;
