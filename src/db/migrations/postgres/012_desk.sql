-- The publisher's desk. An edition is reviewed before its send: `review` is the publisher's word on it
-- (a draft, approved, or held, with who, when and why), `note` their paragraph above the lede and
-- `subject_override` their subject line; `checks` the findings of its build (a JSON array), `send_at`
-- when the schedule sends it, `review_key` a random value per build that the emailed approve/hold
-- links sign (a rebuild makes the last build's links useless). Its state as a whole (draft, approved,
-- held, sending, sent) is read from `review` and the ledger's send_started_at/send_completed_at.
ALTER TABLE editions ADD COLUMN review TEXT NOT NULL DEFAULT 'draft' CHECK (review IN ('draft', 'approved', 'held'));
ALTER TABLE editions ADD COLUMN note TEXT;
ALTER TABLE editions ADD COLUMN subject_override TEXT;
ALTER TABLE editions ADD COLUMN reviewed_by TEXT;
ALTER TABLE editions ADD COLUMN reviewed_at TEXT;
ALTER TABLE editions ADD COLUMN held_reason TEXT;
ALTER TABLE editions ADD COLUMN checks TEXT;
ALTER TABLE editions ADD COLUMN send_at TEXT;
ALTER TABLE editions ADD COLUMN review_key TEXT;

-- Each emailed link acts once: the (edition, action, build) it signs is recorded when it is used.
CREATE TABLE review_links_used (
  edition_id TEXT NOT NULL,
  action TEXT NOT NULL,
  review_key TEXT NOT NULL,
  used_at TEXT NOT NULL,
  PRIMARY KEY (edition_id, action, review_key)
);

-- Counts kept as they change, so the desk never counts a million rows per page: subscribers by status,
-- joins and leaves per UTC day (the desk sums them into ISO weeks), and each edition's results (the
-- ledger's figures copied when its send completes; reports and unsubscribes after it counted as they come).
CREATE TABLE subscriber_counts (
  status TEXT PRIMARY KEY,
  n INTEGER NOT NULL
);
INSERT INTO subscriber_counts (status, n)
  SELECT s.status, (SELECT COUNT(*) FROM subscribers WHERE status = s.status)
  FROM (VALUES ('pending'), ('confirmed'), ('unsubscribed'), ('bounced'), ('complained')) AS s (status);

CREATE TABLE subscriber_days (
  day TEXT PRIMARY KEY,
  joins INTEGER NOT NULL DEFAULT 0,
  leaves INTEGER NOT NULL DEFAULT 0
);
INSERT INTO subscriber_days (day, joins)
  SELECT substr(confirmed_at, 1, 10), COUNT(*) FROM subscribers WHERE confirmed_at IS NOT NULL GROUP BY 1;
INSERT INTO subscriber_days (day, leaves)
  SELECT substr(status_changed_at, 1, 10), COUNT(*) FROM subscribers
  WHERE confirmed_at IS NOT NULL AND status IN ('unsubscribed', 'bounced', 'complained') GROUP BY 1
  ON CONFLICT (day) DO UPDATE SET leaves = excluded.leaves;

CREATE TABLE edition_results (
  edition_id TEXT PRIMARY KEY,
  recipients INTEGER NOT NULL DEFAULT 0,
  sent INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  ambiguous INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  bounced INTEGER NOT NULL DEFAULT 0,
  complained INTEGER NOT NULL DEFAULT 0,
  unsubscribed INTEGER NOT NULL DEFAULT 0,
  counted_at TEXT
);
CREATE INDEX editions_by_send ON editions (send_started_at);
-- Editions sent before this migration: their figures now, as if their sends had just completed.
INSERT INTO edition_results (edition_id, recipients, sent, failed, ambiguous, skipped, bounced, complained, counted_at)
  SELECT e.id, COUNT(d.subscriber_id), COUNT(*) FILTER (WHERE d.status = 'sent'),
    COUNT(*) FILTER (WHERE d.status = 'failed' AND d.failure IN ('temporary', 'permanent')),
    COUNT(*) FILTER (WHERE d.status = 'failed' AND d.failure = 'ambiguous'), COUNT(*) FILTER (WHERE d.status = 'skipped'),
    (SELECT COUNT(*) FROM feedback_events f WHERE f.edition_id = e.id AND f.kind = 'hard-bounce' AND f.trust <> 'untrusted'),
    (SELECT COUNT(*) FROM feedback_events f WHERE f.edition_id = e.id AND f.kind = 'complaint' AND f.trust <> 'untrusted'),
    e.send_completed_at
  FROM editions e LEFT JOIN deliveries d ON d.edition_id = e.id WHERE e.send_completed_at IS NOT NULL GROUP BY e.id, e.send_completed_at;

CREATE FUNCTION subscriber_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE subscriber_counts SET n = n + 1 WHERE status = NEW.status;
  IF NEW.status = 'confirmed' THEN
    INSERT INTO subscriber_days (day, joins) VALUES (substr(NEW.created_at, 1, 10), 1)
      ON CONFLICT (day) DO UPDATE SET joins = subscriber_days.joins + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER subscriber_added AFTER INSERT ON subscribers FOR EACH ROW EXECUTE FUNCTION subscriber_added();

CREATE FUNCTION subscriber_moved() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_sent TEXT;
BEGIN
  UPDATE subscriber_counts SET n = n - 1 WHERE status = OLD.status;
  UPDATE subscriber_counts SET n = n + 1 WHERE status = NEW.status;
  IF 'confirmed' IN (OLD.status, NEW.status) THEN
    INSERT INTO subscriber_days (day, joins, leaves)
      VALUES (substr(NEW.status_changed_at, 1, 10), (NEW.status = 'confirmed')::int, (OLD.status = 'confirmed')::int)
      ON CONFLICT (day) DO UPDATE SET joins = subscriber_days.joins + excluded.joins, leaves = subscriber_days.leaves + excluded.leaves;
  END IF;
  -- An unsubscribe counts against the last edition sent before it.
  IF NEW.status = 'unsubscribed' THEN
    SELECT id INTO last_sent FROM editions WHERE send_started_at IS NOT NULL AND send_started_at <= NEW.status_changed_at
      ORDER BY send_started_at DESC LIMIT 1;
    IF last_sent IS NOT NULL THEN
      INSERT INTO edition_results (edition_id, unsubscribed) VALUES (last_sent, 1)
        ON CONFLICT (edition_id) DO UPDATE SET unsubscribed = edition_results.unsubscribed + 1;
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER subscriber_moved AFTER UPDATE OF status ON subscribers FOR EACH ROW WHEN (OLD.status <> NEW.status) EXECUTE FUNCTION subscriber_moved();

-- Erasure deletes the row (a confirmed subscriber is first moved to 'unsubscribed', which counts the leave).
CREATE FUNCTION subscriber_erased() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE subscriber_counts SET n = n - 1 WHERE status = OLD.status;
  RETURN NULL;
END $$;
CREATE TRIGGER subscriber_erased AFTER DELETE ON subscribers FOR EACH ROW EXECUTE FUNCTION subscriber_erased();

-- A proven bounce or complaint report that names an edition counts against it.
CREATE FUNCTION feedback_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO edition_results (edition_id, bounced, complained)
    VALUES (NEW.edition_id, (NEW.kind = 'hard-bounce')::int, (NEW.kind = 'complaint')::int)
    ON CONFLICT (edition_id) DO UPDATE SET bounced = edition_results.bounced + excluded.bounced, complained = edition_results.complained + excluded.complained;
  RETURN NULL;
END $$;
CREATE TRIGGER feedback_counted AFTER INSERT ON feedback_events FOR EACH ROW
  WHEN (NEW.edition_id IS NOT NULL AND NEW.trust IN ('proven', 'held') AND NEW.kind IN ('hard-bounce', 'complaint'))
  EXECUTE FUNCTION feedback_counted();
