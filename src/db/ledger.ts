/**
 * The delivery ledger's SQL: one row per (edition, subscriber), `queued -> sending -> sent | failed |
 * skipped`. A row is claimed (status 'sending', claimed_by) in a committed transaction before its
 * message is handed to SMTP, so after any crash a row is either untouched (queued: send it), done, or
 * was in flight (sending: report it, and let the policy decide).
 */
import type { Db } from './open.js';

export interface ClaimedRow {
  subscriber_id: number;
  email: string;
  token_key: string | null;
  subscriber_status: string;
  attempts: number;
}

export type Outcome =
  | { subscriberId: number; status: 'sent'; reply: string; messageId: string }
  | { subscriberId: number; status: 'retry'; reply: string; nextAttemptAt: string }
  | { subscriberId: number; status: 'failed'; failure: 'temporary' | 'permanent' | 'ambiguous'; reply: string; bounce: boolean }
  | { subscriberId: number; status: 'skipped'; reply: string }
  /** Back to the queue as if never tried: the server, not the recipient, refused (a 5xx to MAIL FROM). */
  | { subscriberId: number; status: 'released'; reply: string };

export interface LedgerCounts {
  total: number;
  queued: number;
  sending: number;
  sent: number;
  skipped: number;
  failedTemporary: number;
  failedPermanent: number;
  failedAmbiguous: number;
}

/** The statements about an edition as a whole: its claim, its state, its completion. */
function editionStatements(db: Db) {
  return {
    beginEdition: db.prepare(
      `UPDATE editions SET send_started_at = @now, send_owner = @owner, send_completed_at = NULL
       WHERE id = @id AND send_started_at IS NULL`,
    ),
    editionState: db.prepare<[string], { send_started_at: string | null; send_completed_at: string | null; send_owner: string | null }>(
      'SELECT send_started_at, send_completed_at, send_owner FROM editions WHERE id = ?',
    ),
    completeEdition: db.prepare('UPDATE editions SET send_completed_at = ?, sent_at = COALESCE(sent_at, ?) WHERE id = ?'),
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
    inFlight: db.prepare<[string], { subscriber_id: number; email: string; claimed_by: string | null; claimed_at: string | null }>(
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

export function createLedger(db: Db) {
  const s = { ...editionStatements(db), ...deliveryStatements(db) };
  return {
    /** The edition-level claim: true for exactly one caller, whatever the number of processes. */
    beginEdition: (id: string, owner: string, now: Date) => s.beginEdition.run({ id, owner, now: now.toISOString() }).changes === 1,
    /** Ids taken by editions of a week (2026-W47, 2026-W47-2, ...), for --new-edition. */
    editionIds: (weekId: string) => (db.prepare("SELECT id FROM editions WHERE id = ? OR id LIKE ? || '-%'").all(weekId, weekId) as Array<{ id: string }>).map((r) => r.id),
    editionState: (id: string) => s.editionState.get(id),
    /** Editions whose send started and never finished (the process died): `serve` resumes them. */
    interruptedEditions: () =>
      (db.prepare('SELECT id FROM editions WHERE send_started_at IS NOT NULL AND send_completed_at IS NULL ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id),
    completeEdition: (id: string, now: Date) => void s.completeEdition.run(now.toISOString(), now.toISOString(), id),
    /** One row per confirmed subscriber, in one statement and one transaction, streaming inside SQLite. */
    queueAll: (id: string, now: Date) => s.queueAll.run({ id, now: now.toISOString() }).changes,
    /**
     * Claims the edition and queues its rows in one transaction: a failure while queueing (a full disk,
     * a crash) leaves the edition unclaimed, never claimed with no rows. undefined: claimed by another.
     */
    beginAndQueue: db.transaction((id: string, owner: string, now: Date): number | undefined => {
      if (s.beginEdition.run({ id, owner, now: now.toISOString() }).changes !== 1) return undefined;
      return s.queueAll.run({ id, now: now.toISOString() }).changes;
    }),
    confirmedCount: () => s.confirmed.get()!.n,
    /** Extends the lease on this sender's rows in flight. */
    renew: (id: string, owner: string, now: Date) => s.renew.run({ id, owner, now: now.toISOString() }).changes,
    /** Claims up to `limit` due rows for `owner`, committed before any is sent. */
    claim: db.transaction((id: string, owner: string, limit: number, now: Date): ClaimedRow[] => {
      const iso = now.toISOString();
      const rows = s.claimable.all(id, iso, limit);
      const claimed = rows.filter((row) => s.claim.run({ id, owner, subscriberId: row.subscriber_id, now: iso }).changes === 1);
      // Report the attempt being made, as the row now records it.
      return claimed.map((row) => ({ ...row, attempts: row.attempts + 1 }));
    }),
    /** Writes a batch of outcomes in one transaction. */
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
    }),
    inFlight: (id: string) => s.inFlight.all(id),
    requeueTemporary: (id: string, now: Date) => s.requeueTemporary.run(now.toISOString(), id).changes,
    nextRetry: (id: string) => s.nextRetry.get(id)?.at ?? undefined,
    counts: (id: string): LedgerCounts => {
      const row = s.counts.get(id)!;
      return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v ?? 0)])) as unknown as LedgerCounts;
    },
    failures: (id: string) => s.failures.all(id),
  };
}

export type Ledger = ReturnType<typeof createLedger>;
