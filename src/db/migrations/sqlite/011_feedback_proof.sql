-- A report is acted on only when it proves it answers a message we sent. Every report is still kept as
-- evidence: `trust` says what it proved ('proven'; 'untrusted': no proof, never acted on; 'held': proven,
-- but the circuit breaker stopped acting; 'unchecked': recorded before proof was asked for), `action` the
-- status it set (the breaker counts those). A relay's report id is recorded once: a replay adds nothing.
ALTER TABLE feedback_events ADD COLUMN trust TEXT NOT NULL DEFAULT 'unchecked';
ALTER TABLE feedback_events ADD COLUMN action TEXT;
ALTER TABLE feedback_events ADD COLUMN report_id TEXT;
CREATE UNIQUE INDEX feedback_report_once ON feedback_events (source, report_id, email_hash) WHERE report_id IS NOT NULL;
CREATE INDEX feedback_by_time ON feedback_events (received_at);
