-- The desk: editions' reviews, the emailed links' single use, and the summary tables the desk reads
-- (migration 012) instead of counting rows per view. Parameters @p1, @p2, ... are bound in order.

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
FROM editions WHERE id = @p1;

-- @p1 id, @p2 review key, @p3 checks (JSON), @p4 send at, @p5 why held (NULL: a draft), @p6 now.
-- name: saveDraft
UPDATE editions SET review = CASE WHEN @p5 IS NULL THEN 'draft' ELSE 'held' END, review_key = @p2, checks = @p3, send_at = @p4,
    held_reason = @p5, reviewed_by = CASE WHEN @p5 IS NULL THEN NULL ELSE 'checks' END, reviewed_at = CASE WHEN @p5 IS NULL THEN NULL ELSE @p6 END
  WHERE id = @p1 AND send_started_at IS NULL;

-- @p1 id, @p2 note, @p3 subject, @p4 by, @p5 now.
-- name: approveEdition
UPDATE editions SET review = 'approved', note = @p2, subject_override = @p3, reviewed_by = @p4, reviewed_at = @p5, held_reason = NULL
  WHERE id = @p1 AND send_started_at IS NULL;

-- @p1 id, @p2 why, @p3 by, @p4 now.
-- name: holdEdition
UPDATE editions SET review = 'held', held_reason = @p2, reviewed_by = @p3, reviewed_at = @p4 WHERE id = @p1 AND send_started_at IS NULL;

-- An emailed approve/hold link works once.
-- name: useReviewLink
INSERT INTO review_links_used (edition_id, action, review_key, used_at) VALUES (@p1, @p2, @p3, @p4) ON CONFLICT DO NOTHING;

-- name: subscriberCounts
SELECT status, n FROM subscriber_counts;

-- name: subscriberDays
SELECT day, joins, leaves FROM subscriber_days WHERE day >= @p1 ORDER BY day;

-- name: editionResults
SELECT r.edition_id, r.recipients, r.sent, r.failed, r.ambiguous, r.skipped, r.bounced, r.complained, r.unsubscribed, r.counted_at
  FROM edition_results r JOIN editions e ON e.id = r.edition_id ORDER BY e.as_of DESC, COALESCE(e.sent_at, e.created_at) DESC, e.id DESC;

-- A confirmed subscriber's erasure is a leave: moved to 'unsubscribed' first, so the summaries count it (@p1 id, @p2 now).
-- name: leaveBeforeErasure
UPDATE subscribers SET status = 'unsubscribed', status_changed_at = @p2, unsubscribed_at = @p2 WHERE id = @p1 AND status = 'confirmed';

-- The ledger's figures of edition @p1, copied when its send completes at @p2 (the reports and unsubscribes after it are kept).
-- name: countResults
INSERT INTO edition_results (edition_id, recipients, sent, failed, ambiguous, skipped, counted_at)
  SELECT @p1, COUNT(*), COUNT(*) FILTER (WHERE status = 'sent'), COUNT(*) FILTER (WHERE status = 'failed' AND failure IN ('temporary', 'permanent')),
    COUNT(*) FILTER (WHERE status = 'failed' AND failure = 'ambiguous'), COUNT(*) FILTER (WHERE status = 'skipped'), @p2
  FROM deliveries WHERE edition_id = @p1
  ON CONFLICT (edition_id) DO UPDATE SET recipients = excluded.recipients, sent = excluded.sent, failed = excluded.failed,
    ambiguous = excluded.ambiguous, skipped = excluded.skipped, counted_at = excluded.counted_at;

-- A sending edition's figures, kept as its rows are recorded (one statement a batch), so the desk never counts rows per view; exact again at completion (countResults). @p1 id, @p2 rows queued.
-- name: resultsQueued
INSERT INTO edition_results (edition_id, recipients) VALUES (@p1, @p2)
  ON CONFLICT (edition_id) DO UPDATE SET recipients = edition_results.recipients + excluded.recipients;

-- @p1 id, then sent, failed, ambiguous and skipped in a batch of outcomes.
-- name: resultsRecorded
UPDATE edition_results SET sent = sent + @p2, failed = failed + @p3, ambiguous = ambiguous + @p4, skipped = skipped + @p5 WHERE edition_id = @p1;

-- @p1 id, @p2 temporary failures queued again.
-- name: resultsRequeued
UPDATE edition_results SET failed = failed - @p2 WHERE edition_id = @p1;
