/** The delivery ledger's SQL for SQLite (see types.ts for what each operation promises). */
import type { ClaimedRow, EditionState, InFlightRow, Ledger, LedgerCounts, Outcome } from '../types.js';
import type { Db } from './open.js';
import { asAsync, type Sync, type TransactionLock } from './serial.js';
import { COUNT_RESULTS, RESULTS_QUEUED, RESULTS_RECORDED, RESULTS_REQUEUED, tally } from '../desk-sql.js';
import { prepareNumbered } from './desk.js';

/** The statements about an edition as a whole: its claim, its state, its completion. */
function editionStatements(db: Db) {
  return {
    beginEdition: db.prepare(
      `UPDATE editions SET send_started_at = @now, send_owner = @owner, send_completed_at = NULL
       WHERE id = @id AND send_started_at IS NULL AND review <> 'held'`,
    ),
    editionState: db.prepare<[string], EditionState>('SELECT send_started_at, send_completed_at, send_owner FROM editions WHERE id = ?'),
    completeEdition: db.prepare('UPDATE editions SET send_completed_at = ?, sent_at = COALESCE(sent_at, ?) WHERE id = ?'),
    countResults: prepareNumbered(db, COUNT_RESULTS),
    resultsQueued: prepareNumbered(db, RESULTS_QUEUED),
    resultsRecorded: prepareNumbered(db, RESULTS_RECORDED),
    resultsRequeued: prepareNumbered(db, RESULTS_REQUEUED),
    confirmed: db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM subscribers WHERE status = 'confirmed'"),
    queueAll: db.prepare(
      `INSERT INTO deliveries (edition_id, subscriber_id, status, attempts, queued_at, updated_at)
       SELECT @id, id, 'queued', 0, @now, @now FROM subscribers WHERE status = 'confirmed'
       ON CONFLICT (edition_id, subscriber_id) DO NOTHING`,
    ),
  };
}

/** The statements about one edition's rows: claiming, leases, outcomes, what is left. */
function deliveryStatements(db: Db) {
  return {
    claimable: db.prepare<[string, string, number], ClaimedRow>(
      `SELECT d.subscriber_id, s.email, s.token_key, s.status AS subscriber_status, d.attempts
       FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
       WHERE d.edition_id = ? AND d.status = 'queued' AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?)
       ORDER BY d.subscriber_id LIMIT ?`,
    ),
    claim: db.prepare(
      `UPDATE deliveries SET status = 'sending', claimed_by = @owner, claimed_at = @now, attempts = attempts + 1, updated_at = @now
       WHERE edition_id = @id AND subscriber_id = @subscriberId AND status = 'queued'`,
    ),
    renew: db.prepare(`UPDATE deliveries SET claimed_at = @now WHERE edition_id = @id AND claimed_by = @owner AND status = 'sending'`),
    release: db.prepare(
      `UPDATE deliveries SET status = 'queued', attempts = MAX(attempts - 1, 0), last_reply = @reply, updated_at = @now, claimed_by = NULL, claimed_at = NULL
       WHERE edition_id = @id AND subscriber_id = @subscriberId`,
    ),
    skip: db.prepare(`UPDATE deliveries SET status = 'skipped', last_reply = @reply, updated_at = @now WHERE edition_id = @id AND subscriber_id = @subscriberId`),
    sent: db.prepare(
      `UPDATE deliveries SET status = 'sent', last_reply = @reply, message_id = @messageId, sent_at = @now, updated_at = @now, claimed_by = NULL
       WHERE edition_id = @id AND subscriber_id = @subscriberId`,
    ),
    retry: db.prepare(
      `UPDATE deliveries SET status = 'queued', last_reply = @reply, next_attempt_at = @nextAttemptAt, updated_at = @now, claimed_by = NULL
       WHERE edition_id = @id AND subscriber_id = @subscriberId`,
    ),
    failed: db.prepare(
      `UPDATE deliveries SET status = 'failed', failure = @failure, last_reply = @reply, updated_at = @now, claimed_by = NULL
       WHERE edition_id = @id AND subscriber_id = @subscriberId`,
    ),
    bounce: db.prepare(
      `UPDATE subscribers SET hard_bounces = hard_bounces + 1,
         status = CASE WHEN hard_bounces + 1 >= @limit AND status = 'confirmed' THEN 'bounced' ELSE status END,
         status_changed_at = CASE WHEN hard_bounces + 1 >= @limit AND status = 'confirmed' THEN @now ELSE status_changed_at END
       WHERE id = @subscriberId`,
    ),
    inFlight: db.prepare<[string], InFlightRow>(
      `SELECT d.subscriber_id, s.email, d.claimed_by, d.claimed_at FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
       WHERE d.edition_id = ? AND d.status = 'sending' ORDER BY d.subscriber_id`,
    ),
    requeueTemporary: db.prepare(
      `UPDATE deliveries SET status = 'queued', failure = NULL, next_attempt_at = NULL, attempts = 0, updated_at = ?
       WHERE edition_id = ? AND status = 'failed' AND failure = 'temporary'`,
    ),
    nextRetry: db.prepare<[string], { at: string | null }>("SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE edition_id = ? AND status = 'queued'"),
    counts: db.prepare<[string], LedgerCounts>(
      `SELECT COUNT(*) AS total,
         SUM(status = 'queued') AS queued, SUM(status = 'sending') AS sending, SUM(status = 'sent') AS sent,
         SUM(status = 'skipped') AS skipped,
         SUM(status = 'failed' AND failure = 'temporary') AS failedTemporary,
         SUM(status = 'failed' AND failure = 'permanent') AS failedPermanent,
         SUM(status = 'failed' AND failure = 'ambiguous') AS failedAmbiguous
       FROM deliveries WHERE edition_id = ?`,
    ),
    failures: db.prepare<[string], { email: string; failure: string; last_reply: string | null }>(
      `SELECT s.email, d.failure, d.last_reply FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
       WHERE d.edition_id = ? AND d.status = 'failed' ORDER BY d.subscriber_id LIMIT 1000`,
    ),
  };
}

export function sqliteLedger(db: Db, lock: TransactionLock): Ledger {
  const s = { ...editionStatements(db), ...deliveryStatements(db) };
  const queueAll = (id: string, now: Date) => {
    const queued = s.queueAll.run({ id, now: now.toISOString() }).changes;
    s.resultsQueued.run(id, queued);
    return queued;
  };
  const sync: Sync<Omit<Ledger, 'updateShared'>> = {
    beginEdition: (id: string, owner: string, now: Date) => s.beginEdition.run({ id, owner, now: now.toISOString() }).changes === 1,
    editionIds: (weekId: string) => (db.prepare("SELECT id FROM editions WHERE id = ? OR id LIKE ? || '-%'").all(weekId, weekId) as Array<{ id: string }>).map((r) => r.id),
    editionState: (id: string) => s.editionState.get(id),
    editionsInProgress: () =>
      (db.prepare('SELECT id FROM editions WHERE send_started_at IS NOT NULL AND send_completed_at IS NULL ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id),
    // The desk reads a sent edition's figures from its summary row, copied here once.
    completeEdition: db.transaction((id: string, now: Date) => {
      s.completeEdition.run(now.toISOString(), now.toISOString(), id);
      s.countResults.run(id, now.toISOString());
    }),
    queueAll: db.transaction((id: string, now: Date) => queueAll(id, now)),
    beginAndQueue: db.transaction((id: string, owner: string, now: Date): number | undefined => {
      if (s.beginEdition.run({ id, owner, now: now.toISOString() }).changes !== 1) return undefined;
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
      const requeued = s.requeueTemporary.run(now.toISOString(), id).changes;
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
  const shared = {
    get: db.prepare<[string], { state: string }>('SELECT state FROM shared_state WHERE name = ?'),
    put: db.prepare('INSERT INTO shared_state (name, state) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET state = excluded.state'),
  };
  return {
    ...asAsync<Omit<Ledger, 'updateShared'>>(sync, lock),
    // A BEGIN IMMEDIATE transaction holds SQLite's write lock: processes sharing the file take turns.
    async updateShared(name, update) {
      await lock.idle();
      return db
        .transaction(() => {
          const next = update(shared.get.get(name)?.state);
          shared.put.run(name, next.state);
          return next.result;
        })
        .immediate();
    },
  };
}
