-- Claiming walks queued rows in subscriber order: an index that serves the ORDER BY keeps each claim
-- O(batch) instead of sorting every queued row (quadratic on a large list).
DROP INDEX deliveries_status;
CREATE INDEX deliveries_claim ON deliveries (edition_id, status, subscriber_id);
