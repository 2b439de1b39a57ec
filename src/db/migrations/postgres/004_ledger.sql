-- The delivery ledger in full: why a row failed, when it may be retried, which process holds it, and
-- the edition-level claim that makes an edition go out once, whoever triggers it.
ALTER TABLE deliveries ADD COLUMN failure TEXT CHECK (failure IN ('temporary', 'permanent', 'ambiguous'));
ALTER TABLE deliveries ADD COLUMN next_attempt_at TEXT;
ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
ALTER TABLE deliveries ADD COLUMN queued_at TEXT;
ALTER TABLE deliveries ADD COLUMN sent_at TEXT;

ALTER TABLE editions ADD COLUMN send_started_at TEXT;
ALTER TABLE editions ADD COLUMN send_completed_at TEXT;
ALTER TABLE editions ADD COLUMN send_owner TEXT;

ALTER TABLE subscribers ADD COLUMN hard_bounces INTEGER NOT NULL DEFAULT 0;
