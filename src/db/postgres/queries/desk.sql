-- The desk: editions' reviews, the emailed links' single use, and the summary tables the desk reads
-- (migration 012) instead of counting rows per view.

-- The editions with their review, newest first (the archive's order); the state is the publisher's word until the send starts, then the ledger's.
-- name: editionReviews
SELECT id, as_of, subject, headline, demo, sent_at,
  CASE WHEN send_completed_at IS NOT NULL OR sent_at IS NOT NULL THEN 'sent' WHEN send_started_at IS NOT NULL THEN 'sending' ELSE review END AS state,
  note, subject_override, reviewed_by, reviewed_at, held_reason, checks, send_at, review_key, created_at, send_started_at, send_completed_at
FROM editions ORDER BY as_of DESC, COALESCE(sent_at, created_at) DESC, id DESC;

-- name: editionReview
SELECT id, as_of, subject, headline, demo, sent_at,
  CASE WHEN send_completed_at IS NOT NULL OR sent_at IS NOT NULL THEN 'sent' WHEN send_started_at IS NOT NULL THEN 'sending' ELSE review END AS state,
  note, subject_override, reviewed_by, reviewed_at, held_reason, checks, send_at, review_key, created_at, send_started_at, send_completed_at
FROM editions WHERE id = $1;

-- $1 id, $2 review key, $3 checks (JSON), $4 send at, $5 why held (NULL: a draft), $6 now.
-- name: saveDraft
UPDATE editions SET review = CASE WHEN $5::text IS NULL THEN 'draft' ELSE 'held' END, review_key = $2, checks = $3, send_at = $4,
    held_reason = $5, reviewed_by = CASE WHEN $5::text IS NULL THEN NULL ELSE 'checks' END, reviewed_at = CASE WHEN $5::text IS NULL THEN NULL ELSE $6 END
  WHERE id = $1 AND send_started_at IS NULL;

-- $1 id, $2 note, $3 subject, $4 by, $5 now.
-- name: approveEdition
UPDATE editions SET review = 'approved', note = $2, subject_override = $3, reviewed_by = $4, reviewed_at = $5, held_reason = NULL
  WHERE id = $1 AND send_started_at IS NULL;

-- $1 id, $2 why, $3 by, $4 now.
-- name: holdEdition
UPDATE editions SET review = 'held', held_reason = $2, reviewed_by = $3, reviewed_at = $4 WHERE id = $1 AND send_started_at IS NULL;

-- An emailed approve/hold link works once.
-- name: useReviewLink
INSERT INTO review_links_used (edition_id, action, review_key, used_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING;

-- name: subscriberCounts
SELECT status, n FROM subscriber_counts;

-- name: subscriberDays
SELECT day, joins, leaves FROM subscriber_days WHERE day >= $1 ORDER BY day;

-- name: editionResults
SELECT r.edition_id, r.recipients, r.sent, r.failed, r.ambiguous, r.skipped, r.bounced, r.complained, r.unsubscribed, r.counted_at
  FROM edition_results r JOIN editions e ON e.id = r.edition_id ORDER BY e.as_of DESC, COALESCE(e.sent_at, e.created_at) DESC, e.id DESC;

-- A confirmed subscriber's erasure is a leave: moved to 'unsubscribed' first, so the summaries count it ($1 id, $2 now).
-- name: leaveBeforeErasure
UPDATE subscribers SET status = 'unsubscribed', status_changed_at = $2, unsubscribed_at = $2 WHERE id = $1 AND status = 'confirmed';

-- The ledger's figures of edition $1, copied when its send completes at $2 (the reports and unsubscribes after it are kept).
-- name: countResults
INSERT INTO edition_results (edition_id, recipients, sent, failed, ambiguous, skipped, counted_at)
  SELECT $1, COUNT(*), COUNT(*) FILTER (WHERE status = 'sent'), COUNT(*) FILTER (WHERE status = 'failed' AND failure IN ('temporary', 'permanent')),
    COUNT(*) FILTER (WHERE status = 'failed' AND failure = 'ambiguous'), COUNT(*) FILTER (WHERE status = 'skipped'), $2
  FROM deliveries WHERE edition_id = $1
  ON CONFLICT (edition_id) DO UPDATE SET recipients = excluded.recipients, sent = excluded.sent, failed = excluded.failed,
    ambiguous = excluded.ambiguous, skipped = excluded.skipped, counted_at = excluded.counted_at;

-- A sending edition's figures, kept as its rows are recorded (one statement a batch), so the desk never counts rows per view; exact again at completion (countResults). $1 id, $2 rows queued.
-- name: resultsQueued
INSERT INTO edition_results (edition_id, recipients) VALUES ($1, $2)
  ON CONFLICT (edition_id) DO UPDATE SET recipients = edition_results.recipients + excluded.recipients;

-- $1 id, $2 temporary failures queued again.
-- name: resultsRequeued
UPDATE edition_results SET failed = failed - $2 WHERE edition_id = $1;
