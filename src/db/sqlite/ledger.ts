/** The delivery ledger for SQLite (see types.ts for what each operation promises): queries/ledger.sql, each prepared once. */
import type { ClaimedRow, EditionState, InFlightRow, Ledger, LedgerCounts, Outcome } from '../types.js';
import type { Db } from './open.js';
import { type SqliteQueries, sqliteQueries } from './queries.js';
import { asAsync, type Sync, type TransactionLock } from './serial.js';
import { tally } from '../desk-figures.js';
import { prepareNumbered } from './numbered.js';

/** The ledger's statements, prepared once. */
function ledgerStatements(db: Db, sql: SqliteQueries) {
  return {
    beginEdition: db.prepare(sql.beginEdition),
    editionIds: db.prepare<[{ weekId: string }], { id: string }>(sql.editionIds),
    editionState: db.prepare<[string], EditionState>(sql.editionState),
    editionsInProgress: db.prepare<[], { id: string }>(sql.editionsInProgress),
    completeEdition: db.prepare(sql.completeEdition),
    confirmed: db.prepare<[], { n: number }>(sql.confirmedCount),
    queueAll: db.prepare(sql.queueAll),
    claimable: db.prepare<[string, string, number], ClaimedRow>(sql.claimable),
    claim: db.prepare(sql.claim),
    renew: db.prepare(sql.renew),
    release: db.prepare(sql.released),
    skip: db.prepare(sql.skipped),
    sent: db.prepare(sql.sent),
    retry: db.prepare(sql.retry),
    failed: db.prepare(sql.failed),
    bounce: db.prepare(sql.bounce),
    inFlight: db.prepare<[string], InFlightRow>(sql.inFlight),
    requeueTemporary: db.prepare(sql.requeueTemporary),
    nextRetry: db.prepare<[string], { at: string | null }>(sql.nextRetry),
    counts: db.prepare<[string], LedgerCounts>(sql.counts),
    failures: db.prepare<[string], { email: string; failure: string; last_reply: string | null }>(sql.failures),
    sharedState: db.prepare<[string], { state: string }>(sql.sharedState),
    putSharedState: db.prepare(sql.putSharedState),
    countResults: prepareNumbered(db, sql.countResults),
    resultsQueued: prepareNumbered(db, sql.resultsQueued),
    resultsRecorded: prepareNumbered(db, sql.resultsRecorded),
    resultsRequeued: prepareNumbered(db, sql.resultsRequeued),
  };
}

export function sqliteLedger(db: Db, lock: TransactionLock): Ledger {
  const s = ledgerStatements(db, sqliteQueries());
  const queueAll = (id: string, now: Date) => {
    const queued = s.queueAll.run({ id, now: now.toISOString() }).changes;
    s.resultsQueued.run(id, queued);
    return queued;
  };
  const sync: Sync<Omit<Ledger, 'updateShared'>> = {
    beginEdition: (id: string, owner: string, now: Date) => s.beginEdition.run({ id, owner, now: now.toISOString(), reviewKey: null }).changes === 1,
    editionIds: (weekId: string) => s.editionIds.all({ weekId }).map((r) => r.id),
    editionState: (id: string) => s.editionState.get(id),
    editionsInProgress: () => s.editionsInProgress.all().map((r) => r.id),
    // The desk reads a sent edition's figures from its summary row, copied here once.
    completeEdition: db.transaction((id: string, now: Date) => {
      s.completeEdition.run({ id, now: now.toISOString() });
      s.countResults.run(id, now.toISOString());
    }),
    queueAll: db.transaction((id: string, now: Date) => queueAll(id, now)),
    beginAndQueue: db.transaction((id: string, owner: string, now: Date, reviewKey?: string): number | undefined => {
      if (s.beginEdition.run({ id, owner, now: now.toISOString(), reviewKey: reviewKey ?? null }).changes !== 1) return undefined;
      return queueAll(id, now);
    }),
    confirmedCount: () => s.confirmed.get()!.n,
    renew: (id: string, owner: string, now: Date) => s.renew.run({ id, owner, now: now.toISOString() }).changes,
    claim: db.transaction((id: string, owner: string, limit: number, now: Date): ClaimedRow[] => {
      const iso = now.toISOString();
      const rows = s.claimable.all(id, iso, limit);
      const claimed = rows.filter((row) => s.claim.run({ id, owner, subscriberId: row.subscriber_id, now: iso }).changes === 1);
      // Report the attempt being made, as the row now records it.
      return claimed.map((row) => ({ ...row, attempts: row.attempts + 1 }));
    }),
    record: db.transaction((id: string, outcomes: readonly Outcome[], now: Date, bounceLimit: number) => {
      const iso = now.toISOString();
      for (const o of outcomes) {
        const base = { id, subscriberId: o.subscriberId, reply: o.reply, now: iso };
        if (o.status === 'sent') s.sent.run({ ...base, messageId: o.messageId });
        else if (o.status === 'retry') s.retry.run({ ...base, nextAttemptAt: o.nextAttemptAt });
        else if (o.status === 'skipped') s.skip.run(base);
        else if (o.status === 'released') s.release.run(base);
        else {
          s.failed.run({ ...base, failure: o.failure });
          if (o.bounce) s.bounce.run({ subscriberId: o.subscriberId, limit: bounceLimit, now: iso });
        }
      }
      s.resultsRecorded.run(id, ...tally(outcomes));
    }),
    inFlight: (id: string) => s.inFlight.all(id),
    requeueTemporary: db.transaction((id: string, now: Date) => {
      const requeued = s.requeueTemporary.run({ id, now: now.toISOString() }).changes;
      s.resultsRequeued.run(id, requeued);
      return requeued;
    }),
    nextRetry: (id: string) => s.nextRetry.get(id)?.at ?? undefined,
    counts: (id: string): LedgerCounts => {
      const row = s.counts.get(id)!;
      return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v ?? 0)])) as unknown as LedgerCounts;
    },
    failures: (id: string) => s.failures.all(id),
  };
  return {
    ...asAsync<Omit<Ledger, 'updateShared'>>(sync, lock),
    // A BEGIN IMMEDIATE transaction holds SQLite's write lock: processes sharing the file take turns.
    async updateShared(name, update) {
      await lock.idle();
      return db
        .transaction(() => {
          const next = update(s.sharedState.get(name)?.state);
          s.putSharedState.run(name, next.state);
          return next.result;
        })
        .immediate();
    },
  };
}
