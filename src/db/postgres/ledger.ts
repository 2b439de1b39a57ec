/** The delivery ledger for PostgreSQL (its SQL in queries/ledger.sql): claims skip rows other senders hold (FOR UPDATE SKIP LOCKED). */
import type { ClaimedRow, EditionState, InFlightRow, Ledger, LedgerCounts, Outcome } from '../types.js';
import { type Connection, inTransaction, type Queryable } from './connect.js';
import { tally } from '../desk-figures.js';
import { type PostgresQueries, postgresQueries } from './queries.js';

/**
 * The `record` statement's parameters: one array per column of the batch (the rows' new states and the
 * hard bounces), then the batch's tally for the edition's results row, all in one statement.
 */
function recordValues(id: string, outcomes: readonly Outcome[], now: Date, bounceLimit: number): unknown[] {
  const column = <T>(pick: (o: Outcome) => T) => outcomes.map(pick);
  return [
    id,
    now.toISOString(),
    column((o) => o.subscriberId),
    column((o) => o.status),
    column((o) => o.reply),
    column((o) => (o.status === 'sent' ? o.messageId : null)),
    column((o) => (o.status === 'failed' ? o.failure : null)),
    column((o) => (o.status === 'retry' ? o.nextAttemptAt : null)),
    column((o) => o.status === 'failed' && o.bounce),
    bounceLimit,
    ...tally(outcomes),
  ];
}

/** Queues every confirmed subscriber's row and counts them on the edition's results row. */
async function queueAll(client: Queryable, sql: PostgresQueries, id: string, now: Date): Promise<number> {
  const queued = (await client.query(sql.queueAll, [id, now.toISOString()])).rowCount ?? 0;
  await client.query(sql.resultsQueued, [id, queued]);
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
        await client.query(sql.countResults, [id, now.toISOString()]);
      }),
    queueAll: (id, now) => inTransaction(connection, (client) => queueAll(client, sql, id, now)),
    beginAndQueue: (id, owner, now, reviewKey) =>
      inTransaction(connection, async (client) => {
        if ((await client.query(sql.beginEdition, [id, owner, now.toISOString(), reviewKey ?? null])).rowCount !== 1) return undefined;
        return queueAll(client, sql, id, now);
      }),
    confirmedCount: async () => (await q.query<{ n: number }>(sql.confirmedCount)).rows[0]!.n,
    renew: async (id, owner, now) => (await q.query(sql.renew, [id, owner, now.toISOString()])).rowCount ?? 0,
    // The hot path's two statements are prepared once per connection (named).
    claim: async (id, owner, limit, now) =>
      (await q.query<ClaimedRow & Record<string, unknown>>({ name: 'claim', text: sql.claim, values: [id, now.toISOString(), limit, owner] })).rows,
    record: async (id, outcomes, now, bounceLimit) => void (await q.query({ name: 'record', text: sql.record, values: recordValues(id, outcomes, now, bounceLimit) })),
    inFlight: async (id) => (await q.query<InFlightRow & Record<string, unknown>>(sql.inFlight, [id])).rows,
    requeueTemporary: (id, now) =>
      inTransaction(connection, async (client) => {
        const requeued = (await client.query(sql.requeueTemporary, [now.toISOString(), id])).rowCount ?? 0;
        await client.query(sql.resultsRequeued, [id, requeued]);
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
