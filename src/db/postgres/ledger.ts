/** The delivery ledger's SQL for PostgreSQL: claims skip rows other senders hold (FOR UPDATE SKIP LOCKED). */
import type { ClaimedRow, EditionState, InFlightRow, Ledger, LedgerCounts, Outcome } from '../types.js';
import { type Connection, inTransaction, type Queryable } from './connect.js';
import { COUNT_RESULTS, RESULTS_QUEUED, RESULTS_RECORDED, RESULTS_REQUEUED, tally } from '../desk-sql.js';

const QUEUE_ALL = `INSERT INTO deliveries (edition_id, subscriber_id, status, attempts, queued_at, updated_at)
  SELECT $1, id, 'queued', 0, $2, $2 FROM subscribers WHERE status = 'confirmed'
  ON CONFLICT (edition_id, subscriber_id) DO NOTHING`;

const BEGIN_EDITION = `UPDATE editions SET send_started_at = $3, send_owner = $2, send_completed_at = NULL
  WHERE id = $1 AND send_started_at IS NULL AND review <> 'held'`;

const CLAIM = `WITH due AS (
    SELECT subscriber_id FROM deliveries
    WHERE edition_id = $1 AND status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= $2)
    ORDER BY subscriber_id LIMIT $3 FOR UPDATE SKIP LOCKED),
  claimed AS (
    UPDATE deliveries d SET status = 'sending', claimed_by = $4, claimed_at = $2, attempts = d.attempts + 1, updated_at = $2
    FROM due WHERE d.edition_id = $1 AND d.subscriber_id = due.subscriber_id
    RETURNING d.subscriber_id, d.attempts)
  SELECT c.subscriber_id, s.email, s.token_key, s.status AS subscriber_status, c.attempts
  FROM claimed c JOIN subscribers s ON s.id = c.subscriber_id ORDER BY c.subscriber_id`;

/** The sent outcomes of a batch in one statement (the hot path); the rarer ones row by row. */
const SENT = `UPDATE deliveries d SET status = 'sent', last_reply = u.reply, message_id = u.message_id, sent_at = $2, updated_at = $2, claimed_by = NULL
  FROM unnest($3::int[], $4::text[], $5::text[]) AS u (subscriber_id, reply, message_id)
  WHERE d.edition_id = $1 AND d.subscriber_id = u.subscriber_id`;

const OTHER_OUTCOMES = {
  retry: `UPDATE deliveries SET status = 'queued', last_reply = $3, next_attempt_at = $5, updated_at = $4, claimed_by = NULL
    WHERE edition_id = $1 AND subscriber_id = $2`,
  skipped: `UPDATE deliveries SET status = 'skipped', last_reply = $3, updated_at = $4 WHERE edition_id = $1 AND subscriber_id = $2`,
  released: `UPDATE deliveries SET status = 'queued', attempts = GREATEST(attempts - 1, 0), last_reply = $3, updated_at = $4, claimed_by = NULL, claimed_at = NULL
    WHERE edition_id = $1 AND subscriber_id = $2`,
  failed: `UPDATE deliveries SET status = 'failed', failure = $5, last_reply = $3, updated_at = $4, claimed_by = NULL
    WHERE edition_id = $1 AND subscriber_id = $2`,
  bounce: `UPDATE subscribers SET hard_bounces = hard_bounces + 1,
    status = CASE WHEN hard_bounces + 1 >= $2 AND status = 'confirmed' THEN 'bounced' ELSE status END,
    status_changed_at = CASE WHEN hard_bounces + 1 >= $2 AND status = 'confirmed' THEN $3 ELSE status_changed_at END
    WHERE id = $1`,
};

const COUNTS = `SELECT COUNT(*)::int AS total,
    COUNT(*) FILTER (WHERE status = 'queued')::int AS queued, COUNT(*) FILTER (WHERE status = 'sending')::int AS sending,
    COUNT(*) FILTER (WHERE status = 'sent')::int AS sent, COUNT(*) FILTER (WHERE status = 'skipped')::int AS skipped,
    COUNT(*) FILTER (WHERE status = 'failed' AND failure = 'temporary')::int AS "failedTemporary",
    COUNT(*) FILTER (WHERE status = 'failed' AND failure = 'permanent')::int AS "failedPermanent",
    COUNT(*) FILTER (WHERE status = 'failed' AND failure = 'ambiguous')::int AS "failedAmbiguous"
  FROM deliveries WHERE edition_id = $1`;

async function recordOutcomes(client: Queryable, id: string, outcomes: readonly Outcome[], now: Date, bounceLimit: number): Promise<void> {
  const iso = now.toISOString();
  const sent = outcomes.filter((o) => o.status === 'sent');
  if (sent.length > 0) await client.query(SENT, [id, iso, sent.map((o) => o.subscriberId), sent.map((o) => o.reply), sent.map((o) => o.messageId)]);
  for (const o of outcomes) {
    const base = [id, o.subscriberId, o.reply, iso];
    if (o.status === 'retry') await client.query(OTHER_OUTCOMES.retry, [...base, o.nextAttemptAt]);
    else if (o.status === 'skipped' || o.status === 'released') await client.query(OTHER_OUTCOMES[o.status], base);
    else if (o.status === 'failed') {
      await client.query(OTHER_OUTCOMES.failed, [...base, o.failure]);
      if (o.bounce) await client.query(OTHER_OUTCOMES.bounce, [o.subscriberId, bounceLimit, iso]);
    }
  }
  // Last, so the summary row's lock is held only until the commit: senders of one edition share it.
  await client.query(RESULTS_RECORDED, [id, ...tally(outcomes)]);
}

/** Queues every confirmed subscriber's row and counts them on the edition's results row. */
async function queueAll(client: Queryable, id: string, now: Date): Promise<number> {
  const queued = (await client.query(QUEUE_ALL, [id, now.toISOString()])).rowCount ?? 0;
  await client.query(RESULTS_QUEUED, [id, queued]);
  return queued;
}

const ids = async (q: Queryable, text: string, values: unknown[]) => (await q.query<{ id: string }>(text, values)).rows.map((r) => r.id);

export function postgresLedger(connection: Connection): Ledger {
  const q: Queryable = connection;
  return {
    beginEdition: async (id, owner, now) => (await q.query(BEGIN_EDITION, [id, owner, now.toISOString()])).rowCount === 1,
    editionIds: (weekId) => ids(q, "SELECT id FROM editions WHERE id = $1 OR id LIKE $1 || '-%'", [weekId]),
    editionState: async (id) =>
      (await q.query<EditionState & Record<string, unknown>>('SELECT send_started_at, send_completed_at, send_owner FROM editions WHERE id = $1', [id])).rows[0],
    editionsInProgress: () => ids(q, 'SELECT id FROM editions WHERE send_started_at IS NOT NULL AND send_completed_at IS NULL ORDER BY id', []),
    // The desk reads a sent edition's figures from its summary row, copied here once.
    completeEdition: (id, now) =>
      inTransaction(connection, async (client) => {
        await client.query('UPDATE editions SET send_completed_at = $1, sent_at = COALESCE(sent_at, $1) WHERE id = $2', [now.toISOString(), id]);
        await client.query(COUNT_RESULTS, [id, now.toISOString()]);
      }),
    queueAll: (id, now) => inTransaction(connection, (client) => queueAll(client, id, now)),
    beginAndQueue: (id, owner, now) =>
      inTransaction(connection, async (client) => {
        if ((await client.query(BEGIN_EDITION, [id, owner, now.toISOString()])).rowCount !== 1) return undefined;
        return queueAll(client, id, now);
      }),
    confirmedCount: async () => (await q.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM subscribers WHERE status = 'confirmed'")).rows[0]!.n,
    renew: async (id, owner, now) =>
      (await q.query("UPDATE deliveries SET claimed_at = $3 WHERE edition_id = $1 AND claimed_by = $2 AND status = 'sending'", [id, owner, now.toISOString()])).rowCount ?? 0,
    claim: async (id, owner, limit, now) => (await q.query<ClaimedRow & Record<string, unknown>>(CLAIM, [id, now.toISOString(), limit, owner])).rows,
    record: (id, outcomes, now, bounceLimit) => inTransaction(connection, (client) => recordOutcomes(client, id, outcomes, now, bounceLimit)),
    inFlight: async (id) =>
      (
        await q.query<InFlightRow & Record<string, unknown>>(
          `SELECT d.subscriber_id, s.email, d.claimed_by, d.claimed_at FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
           WHERE d.edition_id = $1 AND d.status = 'sending' ORDER BY d.subscriber_id`,
          [id],
        )
      ).rows,
    requeueTemporary: (id, now) =>
      inTransaction(connection, async (client) => {
        const requeued =
          (
            await client.query(
              `UPDATE deliveries SET status = 'queued', failure = NULL, next_attempt_at = NULL, attempts = 0, updated_at = $1
               WHERE edition_id = $2 AND status = 'failed' AND failure = 'temporary'`,
              [now.toISOString(), id],
            )
          ).rowCount ?? 0;
        await client.query(RESULTS_REQUEUED, [id, requeued]);
        return requeued;
      }),
    nextRetry: async (id) =>
      (await q.query<{ at: string | null }>("SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE edition_id = $1 AND status = 'queued'", [id])).rows[0]?.at ?? undefined,
    counts: async (id) => (await q.query<LedgerCounts & Record<string, unknown>>(COUNTS, [id])).rows[0]!,
    failures: async (id) =>
      (
        await q.query<{ email: string; failure: string; last_reply: string | null }>(
          `SELECT s.email, d.failure, d.last_reply FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
           WHERE d.edition_id = $1 AND d.status = 'failed' ORDER BY d.subscriber_id LIMIT 1000`,
          [id],
        )
      ).rows,
    updateShared: (name, update) =>
      inTransaction(connection, async (client) => {
        await client.query('INSERT INTO shared_state (name, state) VALUES ($1, $2) ON CONFLICT DO NOTHING', [name, '']);
        const current = (await client.query<{ state: string }>('SELECT state FROM shared_state WHERE name = $1 FOR UPDATE', [name])).rows[0]!.state;
        const next = update(current === '' ? undefined : current);
        await client.query('UPDATE shared_state SET state = $2 WHERE name = $1', [name, next.state]);
        return next.result;
      }),
  };
}
