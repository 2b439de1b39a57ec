-- Editions as the site lists them, and one delivery row (the ledger's queries are in ledger.sql).

-- name: markEditionSent
UPDATE editions SET sent_at = COALESCE(sent_at, $1) WHERE id = $2;

-- name: sentEditions
SELECT id, as_of, subject, headline, demo, sent_at FROM editions WHERE sent_at IS NOT NULL ORDER BY as_of DESC, sent_at DESC, id DESC;

-- name: edition
SELECT id, as_of, subject, headline, demo, sent_at FROM editions WHERE id = $1;

-- A started edition is what subscribers got: its subject and headline stay as sent.
-- name: saveEdition
INSERT INTO editions (id, as_of, subject, headline, demo, created_at) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (id) DO UPDATE SET subject = excluded.subject, headline = excluded.headline, as_of = excluded.as_of, demo = excluded.demo
WHERE editions.send_started_at IS NULL;

-- A started edition is what subscribers got: a build that lost the claim to it changes nothing.
-- name: saveSendable
UPDATE editions SET sendable = $1 WHERE id = $2 AND send_started_at IS NULL;

-- name: sendable
SELECT sendable FROM editions WHERE id = $1;

-- name: delivery
SELECT * FROM deliveries WHERE edition_id = $1 AND subscriber_id = $2;
