/** The store's SQL for SQLite (better-sqlite3, synchronous; serial.ts makes it the async interface). */
import type {
  CachedSource,
  ConsentSource,
  DueConfirmation,
  EditionRow,
  DeliveryRow,
  EditionToSave,
  FeedbackEvent,
  FeedbackEventRow,
  FeedbackCounts,
  Store,
  SubscriberRow,
  SubscriberStatus,
} from '../types.js';
import type { Db } from './open.js';
import { asAsync, type Sync, type TransactionLock } from './serial.js';
import { KEY_COUNT } from '../hits.js';
import { FEEDBACK_COLUMNS, FEEDBACK_COUNTS } from '../feedback-sql.js';
import { deskWebStore } from './desk-web.js';
import { LEAVE_BEFORE_ERASURE } from '../desk-sql.js';
import { deskStore, prepareNumbered } from './desk.js';

/** Subscribers, their status and erasure with a suppression hash. */
function subscriberStore(db: Db) {
  const statements = {
    findByEmail: db.prepare<[string], SubscriberRow>('SELECT * FROM subscribers WHERE email = ?'),
    insertSubscriber: db.prepare(
      `INSERT INTO subscribers (id, email, status, consent_source, created_at, status_changed_at, confirmed_at, token_key)
       VALUES ((SELECT MAX(COALESCE((SELECT MAX(id) FROM subscribers), 0), high) + 1 FROM subscriber_high_water),
               @email, @status, @source, @now, @now, CASE WHEN @status = 'confirmed' THEN @now END, lower(hex(randomblob(16))))`,
    ),
    setStatus: db.prepare(
      `UPDATE subscribers SET status = @status, status_changed_at = @now,
         confirmed_at = CASE WHEN @status = 'confirmed' THEN @now ELSE confirmed_at END,
         unsubscribed_at = CASE WHEN @status = 'unsubscribed' THEN @now ELSE unsubscribed_at END
       WHERE id = @id`,
    ),
    list: db.prepare<[], SubscriberRow>('SELECT * FROM subscribers ORDER BY id'),
    byId: db.prepare<[number], SubscriberRow>('SELECT * FROM subscribers WHERE id = ?'),
    confirmed: db.prepare<[], SubscriberRow>("SELECT * FROM subscribers WHERE status = 'confirmed' ORDER BY id"),
    deleteSubscriber: db.prepare('DELETE FROM subscribers WHERE id = ?'),
    deleteDeliveries: db.prepare('DELETE FROM deliveries WHERE subscriber_id = ?'),
    deleteClicks: db.prepare('DELETE FROM link_clicks WHERE subscriber_id = ?'),
    suppress: db.prepare('INSERT OR IGNORE INTO suppressions (email_hash, reason, created_at) VALUES (?, ?, ?)'),
    suppressed: db.prepare<[string], { reason: string }>('SELECT reason FROM suppressions WHERE email_hash = ?'),
    leave: prepareNumbered(db, LEAVE_BEFORE_ERASURE),
  };
  return {
    findSubscriber: (email: string) => statements.findByEmail.get(email),
    addSubscriber(email: string, status: SubscriberStatus, source: ConsentSource, now: Date): SubscriberRow {
      statements.insertSubscriber.run({ email, status, source, now: now.toISOString() });
      return statements.findByEmail.get(email)!;
    },
    setSubscriberStatus(id: number, status: SubscriberStatus, now: Date): void {
      statements.setStatus.run({ id, status, now: now.toISOString() });
    },
    listSubscribers: () => statements.list.all(),
    confirmedSubscribers: () => statements.confirmed.all(),
    subscriberById: (id: number) => statements.byId.get(id),
    /** Erasure: the person's data goes, a hash stays so the address is never mailed again. */
    eraseSubscriber: db.transaction((id: number, emailHash: string, now: Date) => {
      statements.suppress.run(emailHash, 'erased', now.toISOString());
      statements.leave.run(id, now.toISOString());
      statements.deleteDeliveries.run(id);
      statements.deleteClicks.run(id);
      statements.deleteSubscriber.run(id);
    }),
    suppressionReason: (emailHash: string) => statements.suppressed.get(emailHash)?.reason,
    suppress: (emailHash: string, reason: string, now: Date) => void statements.suppress.run(emailHash, reason, now.toISOString()),
  };
}

/** Editions as the site lists them, and one delivery row (the ledger owns the rest). */
function editionStore(db: Db) {
  const statements = {
    markEditionSent: db.prepare('UPDATE editions SET sent_at = COALESCE(sent_at, ?) WHERE id = ?'),
    sentEditions: db.prepare<[], EditionRow>(
      'SELECT id, as_of, subject, headline, demo, sent_at FROM editions WHERE sent_at IS NOT NULL ORDER BY as_of DESC, sent_at DESC, id DESC',
    ),
    edition: db.prepare<[string], EditionRow>('SELECT id, as_of, subject, headline, demo, sent_at FROM editions WHERE id = ?'),
    upsertEdition: db.prepare(
      `INSERT INTO editions (id, as_of, subject, headline, demo, created_at) VALUES (@id, @asOf, @subject, @headline, @demo, @now)
       ON CONFLICT (id) DO UPDATE SET subject = excluded.subject, headline = excluded.headline, as_of = excluded.as_of, demo = excluded.demo
       WHERE editions.send_started_at IS NULL`,
    ),
    delivery: db.prepare<[string, number], DeliveryRow>('SELECT * FROM deliveries WHERE edition_id = ? AND subscriber_id = ?'),
    // A started edition is what subscribers got: a build that lost the claim to it changes nothing.
    saveSendable: db.prepare('UPDATE editions SET sendable = ? WHERE id = ? AND send_started_at IS NULL'),
    sendable: db.prepare<[string], { sendable: string | null }>('SELECT sendable FROM editions WHERE id = ?'),
  };
  return {
    markEditionSent: (id: string, now: Date) => void statements.markEditionSent.run(now.toISOString(), id),
    sentEditions: () => statements.sentEditions.all(),
    edition: (id: string) => statements.edition.get(id),
    saveEdition(edition: EditionToSave, now: Date): void {
      statements.upsertEdition.run({ ...edition, demo: edition.demo ? 1 : 0, now: now.toISOString() });
    },
    delivery: (editionId: string, subscriberId: number) => statements.delivery.get(editionId, subscriberId),
    saveSendable: (id: string, sendable: string) => void statements.saveSendable.run(sendable, id),
    sendable: (id: string) => statements.sendable.get(id)?.sendable ?? undefined,
  };
}

/** Cached closes per source (yahoo:^GSPC, fred:DGS10, ...). */
function marketCache(db: Db) {
  const statements = {
    upsertClose: db.prepare(
      `INSERT INTO closes (source, date, close, fetched_at) VALUES (@source, @date, @close, @now)
       ON CONFLICT (source, date) DO UPDATE SET close = excluded.close, fetched_at = excluded.fetched_at`,
    ),
    closes: db.prepare<[string, string, string], { date: string; close: number }>('SELECT date, close FROM closes WHERE source = ? AND date BETWEEN ? AND ? ORDER BY date'),
    lastCloseDate: db.prepare<[string], { date: string | null }>('SELECT MAX(date) AS date FROM closes WHERE source = ?'),
    cachedSources: db.prepare<[], CachedSource>('SELECT source, MIN(date) AS first, MAX(date) AS last, COUNT(*) AS count FROM closes GROUP BY source ORDER BY source'),
  };
  return {
    /** Replaces revised closes: providers correct the last few sessions after the fact. */
    saveCloses: db.transaction((source: string, points: ReadonlyArray<{ date: string; close: number }>, now: Date) => {
      for (const p of points) statements.upsertClose.run({ source, ...p, now: now.toISOString() });
    }),
    closes: (source: string, from: string, to: string) => statements.closes.all(source, from, to),
    lastCloseDate: (source: string) => statements.lastCloseDate.get(source)?.date ?? undefined,
    cachedSources: () => statements.cachedSources.all(),
  };
}

/** The confirmation emails the site owes, with the per-address throttle's counters. */
function confirmationQueue(db: Db) {
  const statements = {
    countConfirmation: db.prepare(
      `UPDATE subscribers SET confirm_sent_at = @now,
         confirm_day_count = CASE WHEN confirm_day = @day THEN confirm_day_count + 1 ELSE 1 END, confirm_day = @day
       WHERE id = @id`,
    ),
    queueConfirmation: db.prepare(
      `INSERT INTO confirmations (subscriber_id, token, attempts, next_attempt_at, network) VALUES (@id, @token, 0, @now, @network)
       ON CONFLICT (subscriber_id) DO UPDATE SET token = excluded.token, attempts = 0, next_attempt_at = excluded.next_attempt_at, last_error = NULL,
         network = excluded.network`,
    ),
    // Fair by network: each network's turn-th email goes before any network's (turn + 1)-th, the
    // networks with the fewest waiting first (a newcomer before a flood's next).
    dueConfirmations: db.prepare<[string, number], DueConfirmation>(
      `SELECT subscriber_id, email, token, attempts FROM (
         SELECT c.subscriber_id, s.email, c.token, c.attempts, c.next_attempt_at,
           ROW_NUMBER() OVER (PARTITION BY c.network ORDER BY c.next_attempt_at, c.subscriber_id) AS turn,
           COUNT(*) OVER (PARTITION BY c.network) AS waiting
         FROM confirmations c JOIN subscribers s ON s.id = c.subscriber_id WHERE c.next_attempt_at <= ?)
       ORDER BY turn, waiting, next_attempt_at, subscriber_id LIMIT ?`,
    ),
    leaseConfirmation: db.prepare('UPDATE confirmations SET next_attempt_at = ? WHERE subscriber_id = ?'),
    confirmationDone: db.prepare('DELETE FROM confirmations WHERE subscriber_id = ?'),
    confirmationRetry: db.prepare('UPDATE confirmations SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error WHERE subscriber_id = @id'),
  };
  return {
    /** Queues a confirmation email and counts it against the address's throttle, in one transaction. */
    queueConfirmation: db.transaction((id: number, token: string, now: Date, network = '') => {
      const iso = now.toISOString();
      statements.countConfirmation.run({ id, now: iso, day: iso.slice(0, 10) });
      statements.queueConfirmation.run({ id, token, now: iso, network });
    }),
    claimConfirmations: db.transaction((now: Date, limit: number, leaseUntil: Date) => {
      const due = statements.dueConfirmations.all(now.toISOString(), limit);
      for (const c of due) statements.leaseConfirmation.run(leaseUntil.toISOString(), c.subscriber_id);
      return due;
    }),
    confirmationDone: (id: number) => void statements.confirmationDone.run(id),
    confirmationRetry: (id: number, error: string, next: Date) => void statements.confirmationRetry.run({ id, error: error.slice(0, 500), next: next.toISOString() }),
  };
}

/** Bounces and complaints reported after the send: the evidence, and what they change. */
function feedbackStore(db: Db) {
  const statements = {
    byMessageId: db.prepare<[string], { edition_id: string; subscriber_id: number }>('SELECT edition_id, subscriber_id FROM deliveries WHERE message_id = ? LIMIT 1'),
    addEvent: db.prepare(
      `INSERT INTO feedback_events (subscriber_id, email_hash, edition_id, kind, source, message_id, detail, received_at, trust, action, report_id)
       VALUES (@subscriberId, @emailHash, @editionId, @kind, @source, @messageId, @detail, @now, @trust, @action, @reportId) ON CONFLICT DO NOTHING`,
    ),
    countHardBounce: db.prepare('UPDATE subscribers SET hard_bounces = hard_bounces + 1 WHERE id = ?'),
    events: db.prepare<[number], FeedbackEventRow>(`SELECT ${FEEDBACK_COLUMNS} FROM feedback_events WHERE subscriber_id = ? ORDER BY id`),
    untrusted: db.prepare<[number], FeedbackEventRow>(
      `SELECT ${FEEDBACK_COLUMNS} FROM (SELECT * FROM feedback_events WHERE trust = 'untrusted' ORDER BY id DESC LIMIT ?) ORDER BY id`,
    ),
    counts: db.prepare<[{ since: string }], FeedbackCounts>(FEEDBACK_COUNTS.replaceAll('$1', '@since')),
    confirmed: db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM subscribers WHERE status = 'confirmed'"),
  };
  return {
    deliveryByMessageId: (messageId: string) => statements.byMessageId.get(messageId),
    addFeedbackEvent: (event: FeedbackEvent, now: Date): boolean => statements.addEvent.run({ ...event, now: now.toISOString() }).changes === 1,
    countHardBounce: (id: number) => void statements.countHardBounce.run(id),
    feedbackEvents: (subscriberId: number) => statements.events.all(subscriberId),
    feedbackCounts: (since: Date) => statements.counts.get({ since: since.toISOString() })!,
    untrustedFeedback: (limit: number) => statements.untrusted.all(limit),
    confirmedCount: () => statements.confirmed.get()!.n,
  };
}

/** Fixed-window hit counts per scope and key, at most `maxKeys` keys a window (past that, new keys are not counted). */
function hitCounter(db: Db) {
  const statements = {
    hits: db.prepare<[string, number, string], { hits: number }>('SELECT hits FROM rate_hits WHERE scope = ? AND window_start = ? AND key = ?'),
    bump: db.prepare(
      `INSERT INTO rate_hits (scope, window_start, key, hits) VALUES (?, ?, ?, 1)
       ON CONFLICT (scope, window_start, key) DO UPDATE SET hits = hits + 1 RETURNING hits`,
    ),
    prune: db.prepare('DELETE FROM rate_hits WHERE scope = ? AND window_start < ?'),
  };
  const bump = (scope: string, windowStart: number, key: string) => (statements.bump.get(scope, windowStart, key) as { hits: number }).hits;
  return {
    countHit: db.transaction((scope: string, key: string, windowStart: number, maxKeys: number): number => {
      if (statements.hits.get(scope, windowStart, key)) return bump(scope, windowStart, key);
      const keys = statements.hits.get(scope, windowStart, KEY_COUNT)?.hits ?? 0;
      if (keys === 0) statements.prune.run(scope, windowStart);
      if (keys >= maxKeys) return 0;
      bump(scope, windowStart, KEY_COUNT);
      return bump(scope, windowStart, key);
    }),
  };
}

export function sqliteStore(db: Db, lock: TransactionLock): Store {
  const sync: Sync<Omit<Store, 'transaction'>> = {
    healthCheck: () => void db.prepare('SELECT (SELECT COUNT(*) FROM editions) + (SELECT COUNT(*) FROM subscribers)').get(),
    ...subscriberStore(db),
    ...editionStore(db),
    ...marketCache(db),
    ...confirmationQueue(db),
    ...feedbackStore(db),
    ...hitCounter(db),
    ...deskWebStore(db),
    ...deskStore(db),
  };
  const inTransaction: Store = { ...asAsync<Omit<Store, 'transaction'>>(sync, lock, true), transaction: (work) => work(inTransaction) };
  return { ...asAsync<Omit<Store, 'transaction'>>(sync, lock), transaction: (work) => lock.run(db, () => work(inTransaction)) };
}
