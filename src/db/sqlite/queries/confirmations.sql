-- The confirmation emails the site owes, with the per-address throttle's counters.

-- name: countConfirmation
UPDATE subscribers SET confirm_sent_at = @now,
  confirm_day_count = CASE WHEN confirm_day = @day THEN confirm_day_count + 1 ELSE 1 END, confirm_day = @day
WHERE id = @id;

-- name: queueConfirmation
INSERT INTO confirmations (subscriber_id, token, attempts, next_attempt_at, network) VALUES (@id, @token, 0, @now, @network)
ON CONFLICT (subscriber_id) DO UPDATE SET token = excluded.token, attempts = 0, next_attempt_at = excluded.next_attempt_at, last_error = NULL,
  network = excluded.network;

-- Fair by network: each network's turn-th email goes before any network's (turn + 1)-th, the
-- networks with the fewest waiting first (a newcomer before a flood's next).
-- name: dueConfirmations
SELECT subscriber_id, email, token, attempts FROM (
  SELECT c.subscriber_id, s.email, c.token, c.attempts, c.next_attempt_at,
    ROW_NUMBER() OVER (PARTITION BY c.network ORDER BY c.next_attempt_at, c.subscriber_id) AS turn,
    COUNT(*) OVER (PARTITION BY c.network) AS waiting
  FROM confirmations c JOIN subscribers s ON s.id = c.subscriber_id WHERE c.next_attempt_at <= ?)
ORDER BY turn, waiting, next_attempt_at, subscriber_id LIMIT ?;

-- name: leaseConfirmation
UPDATE confirmations SET next_attempt_at = ? WHERE subscriber_id = ?;

-- name: confirmationDone
DELETE FROM confirmations WHERE subscriber_id = ?;

-- name: confirmationRetry
UPDATE confirmations SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error WHERE subscriber_id = @id;
