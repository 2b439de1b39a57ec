/** The feedback queries both stores share, written once ($1 is the "since" time; SQLite binds it per use). */
export const FEEDBACK_COLUMNS = 'kind, trust, source, edition_id, message_id, detail';

export const FEEDBACK_COUNTS = `SELECT
  (SELECT COUNT(*) FROM feedback_events WHERE received_at >= $1 AND action IS NOT NULL) AS acted,
  (SELECT COUNT(*) FROM feedback_events WHERE received_at >= $1 AND trust = 'held') AS held,
  (SELECT COUNT(*) FROM feedback_events WHERE received_at >= $1 AND trust = 'untrusted') AS untrusted`;
