/** The delivery ledger for PostgreSQL (its SQL in queries/ledger.sql): claims skip rows other senders hold (FOR UPDATE SKIP LOCKED). */
import type { ClaimedRow, EditionState, InFlightRow, Ledger, LedgerCounts, Outcome } from '../types.js';
import { type Connection, inTransaction, type Queryable } from './connect.js';
import { COUNT_RESULTS, RESULTS_QUEUED, RESULTS_RECORDED, RESULTS_REQUEUED, tally } from '../desk-sql.js';
import { type PostgresQueries, postgresQueries } from './queries.js';

/** The sent outcomes of a batch in one statement (the hot path); the rarer ones row by row. */
async function recordOutcomes(client: Queryable, sql: PostgresQueries, id: string, outcomes: readonly Outcome[], now: Date, bounceLimit: number): Promise<void> {
  const iso = now.toISOString();
  const sent = outcomes.filter((o) => o.status === 'sent');
  if (sent.length > 0) await client.query(sql.sent, [id, iso, sent.map((o) => o.subscriberId), sent.map((o) => o.reply), sent.map((o) => o.messageId)]);
  for (const o of outcomes) {
    const base = [id, o.subscriberId, o.reply, iso];
    if (o.status === 'retry') await client.query(sql.retry, [...base, o.nextAttemptAt]);
    else if (o.status === 'skipped' || o.status === 'released') await client.query(o.status === 'skipped' ? sql.skipped : sql.released, base);
    else if (o.status === 'failed') {
      await client.query(sql.failed, [...base, o.failure]);
      if (o.bounce) await client.query(sql.bounce, [o.subscriberId, bounceLimit, iso]);
    }
  }
  // Last, so the summary row's lock is held only until the commit: senders of one edition share it.
  await client.query(RESULTS_RECORDED, [id, ...tally(outcomes)]);
}

/** Queues every confirmed subscriber's row and counts them on the edition's results row. */
async function queueAll(client: Queryable, sql: PostgresQueries, id: string, now: Date): Promise<number> {
  const queued = (await client.query(sql.queueAll, [id, now.toISOString()])).rowCount ?? 0;
  await client.query(RESULTS_QUEUED, [id, queued]);
  return queued;
}

const ids = async (q: Queryable, text: string, values: unknown[]) => (await q.query<{ id: string }>(text, values)).rows.map((r) => r.id);

export function postgresLedger(connection: Connection): Ledger {
  const q: Queryable = connection;
  const sql = postgresQueries();
  return {
    beginEdition: async (id, owner, now) => (await q.query(sql.beginEdition, [id, owner, now.toISOString(), null])).rowCount === 1,
    editionIds: (weekId) => ids(q, sql.editionIds, [weekId]),
    editionState: async (id) => (await q.query<EditionState & Record<string, unknown>>(sql.editionState, [id])).rows[0],
    editionsInProgress: () => ids(q, sql.editionsInProgress, []),
    // The desk reads a sent edition's figures from its summary row, copied here once.
    completeEdition: (id, now) =>
      inTransaction(connection, async (client) => {
        await client.query(sql.completeEdition, [now.toISOString(), id]);
        await client.query(COUNT_RESULTS, [id, now.toISOString()]);
      }),
    queueAll: (id, now) => inTransaction(connection, (client) => queueAll(client, sql, id, now)),
    beginAndQueue: (id, owner, now, reviewKey) =>
      inTransaction(connection, async (client) => {
        if ((await client.query(sql.beginEdition, [id, owner, now.toISOString(), reviewKey ?? null])).rowCount !== 1) return undefined;
        return queueAll(client, sql, id, now);
      }),
    confirmedCount: async () => (await q.query<{ n: number }>(sql.confirmedCount)).rows[0]!.n,
    renew: async (id, owner, now) => (await q.query(sql.renew, [id, owner, now.toISOString()])).rowCount ?? 0,
    claim: async (id, owner, limit, now) => (await q.query<ClaimedRow & Record<string, unknown>>(sql.claim, [id, now.toISOString(), limit, owner])).rows,
    record: (id, outcomes, now, bounceLimit) => inTransaction(connection, (client) => recordOutcomes(client, sql, id, outcomes, now, bounceLimit)),
    inFlight: async (id) => (await q.query<InFlightRow & Record<string, unknown>>(sql.inFlight, [id])).rows,
    requeueTemporary: (id, now) =>
      inTransaction(connection, async (client) => {
        const requeued = (await client.query(sql.requeueTemporary, [now.toISOString(), id])).rowCount ?? 0;
        await client.query(RESULTS_REQUEUED, [id, requeued]);
        return requeued;
      }),
    nextRetry: async (id) => (await q.query<{ at: string | null }>(sql.nextRetry, [id])).rows[0]?.at ?? undefined,
    counts: async (id) => (await q.query<LedgerCounts & Record<string, unknown>>(sql.counts, [id])).rows[0]!,
    failures: async (id) => (await q.query<{ email: string; failure: string; last_reply: string | null }>(sql.failures, [id])).rows,
    updateShared: (name, update) =>
      inTransaction(connection, async (client) => {
        await client.query(sql.addSharedState, [name, '']);
        const current = (await client.query<{ state: string }>(sql.lockSharedState, [name])).rows[0]!.state;
        const next = update(current === '' ? undefined : current);
        await client.query(sql.putSharedState, [name, next.state]);
        return next.result;
      }),
  };
}
