-- A row in flight is leased, not owned by host:pid: the sender renews claimed_at while it lives, and a
-- row whose lease ran out (the sender died, on this host or another) is an orphan.
ALTER TABLE deliveries ADD COLUMN claimed_at TEXT;
