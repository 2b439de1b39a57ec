-- Claiming walks queued rows in subscriber order: an index that serves the ORDER BY.
DROP INDEX deliveries_status;
CREATE INDEX deliveries_claim ON deliveries (edition_id, status, subscriber_id);
