-- A row in flight is leased: the sender renews claimed_at while it lives.
ALTER TABLE deliveries ADD COLUMN claimed_at TEXT;
