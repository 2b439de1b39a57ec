/** The store for SQLite (better-sqlite3, synchronous; serial.ts makes it the async interface): queries/*.sql, each prepared once. */
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
  ImportEntry,
  ImportOutcome,
  Store,
  SubscriberRow,
  SubscriberStatus,
} from '../types.js';
import { KEY_COUNT } from '../hits.js';
import type { Db } from './open.js';
import { type SqliteQueries, sqliteQueries } from './queries.js';
import { asAsync, type Sync, type TransactionLock } from './serial.js';
import { deskStore } from './desk.js';
import { prepareNumbered } from './numbered.js';
import { deskWebStore } from './desk-web.js';

/** Subscribers, their status and erasure with a suppression hash. */
function subscriberStore(db: Db, sql: SqliteQueries) {
  const statements = {
    findByEmail: db.prepare<[string], SubscriberRow>(sql.findSubscriber),
    insertSubscriber: db.prepare(sql.addSubscriber),
    importSubscriber: db.prepare(sql.importSubscriber),
    setStatus: db.prepare(sql.setSubscriberStatus),
    list: db.prepare<[], SubscriberRow>(sql.listSubscribers),
    byId: db.prepare<[number], SubscriberRow>(sql.subscriberById),
    confirmed: db.prepare<[], SubscriberRow>(sql.confirmedSubscribers),
    deleteSubscriber: db.prepare(sql.deleteSubscriber),
    deleteDeliveries: db.prepare(sql.deleteSubscriberDeliveries),
    deleteClicks: db.prepare(sql.deleteSubscriberClicks),
    suppress: db.prepare(sql.suppress),
    suppressed: db.prepare<[string], { reason: string }>(sql.suppressionReason),
    leave: prepareNumbered(db, sql.leaveBeforeErasure),
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
    importSubscribers: db.transaction((entries: readonly ImportEntry[], now: Date): ImportOutcome[] =>
      entries.map(({ email, emailHash }) => {
        const reason = statements.suppressed.get(emailHash)?.reason;
        if (reason !== undefined) return { status: 'suppressed', reason };
        const added = statements.importSubscriber.run({ email, status: 'confirmed', source: 'import', now: now.toISOString() }).changes === 1;
        return { status: added ? 'added' : 'duplicate' };
      }),
    ),
    suppressionReason: (emailHash: string) => statements.suppressed.get(emailHash)?.reason,
    suppress: (emailHash: string, reason: string, now: Date) => void statements.suppress.run(emailHash, reason, now.toISOString()),
  };
}

/** Editions as the site lists them, and one delivery row (the ledger owns the rest). */
function editionStore(db: Db, sql: SqliteQueries) {
  const statements = {
    markEditionSent: db.prepare(sql.markEditionSent),
    sentEditions: db.prepare<[], EditionRow>(sql.sentEditions),
    edition: db.prepare<[string], EditionRow>(sql.edition),
    upsertEdition: db.prepare(sql.saveEdition),
    delivery: db.prepare<[string, number], DeliveryRow>(sql.delivery),
    saveSendable: db.prepare(sql.saveSendable),
    sendable: db.prepare<[string], { sendable: string | null }>(sql.sendable),
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
function marketCache(db: Db, sql: SqliteQueries) {
  const statements = {
    upsertClose: db.prepare(sql.saveClose),
    closes: db.prepare<[string, string, string], { date: string; close: number }>(sql.closes),
    lastCloseDate: db.prepare<[string], { date: string | null }>(sql.lastCloseDate),
    cachedSources: db.prepare<[], CachedSource>(sql.cachedSources),
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
function confirmationQueue(db: Db, sql: SqliteQueries) {
  const statements = {
    countConfirmation: db.prepare(sql.countConfirmation),
    queueConfirmation: db.prepare(sql.queueConfirmation),
    dueConfirmations: db.prepare<[string, number], DueConfirmation>(sql.dueConfirmations),
    leaseConfirmation: db.prepare(sql.leaseConfirmation),
    confirmationDone: db.prepare(sql.confirmationDone),
    confirmationRetry: db.prepare(sql.confirmationRetry),
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
function feedbackStore(db: Db, sql: SqliteQueries) {
  const statements = {
    byMessageId: db.prepare<[string], { edition_id: string; subscriber_id: number }>(sql.deliveryByMessageId),
    addEvent: db.prepare(sql.addFeedbackEvent),
    countHardBounce: db.prepare(sql.countHardBounce),
    events: db.prepare<[number], FeedbackEventRow>(sql.feedbackEvents),
    untrusted: db.prepare<[number], FeedbackEventRow>(sql.untrustedFeedback),
    counts: db.prepare<[{ since: string }], FeedbackCounts>(sql.feedbackCounts),
    confirmed: db.prepare<[], { n: number }>(sql.confirmedCount),
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
function hitCounter(db: Db, sql: SqliteQueries) {
  const statements = {
    hits: db.prepare<[string, number, string], { hits: number }>(sql.hits),
    bump: db.prepare(sql.bumpHits),
    prune: db.prepare(sql.pruneHits),
  };
  const bump = (scope: string, windowStart: number, key: string) => (statements.bump.get(scope, windowStart, key) as { hits: number }).hits;
  return {
    hitCount: (scope: string, key: string, windowStart: number) => statements.hits.get(scope, windowStart, key)?.hits ?? 0,
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
  const sql = sqliteQueries();
  const healthCheck = db.prepare(sql.healthCheck);
  const sync: Sync<Omit<Store, 'transaction'>> = {
    healthCheck: () => void healthCheck.get(),
    ...subscriberStore(db, sql),
    ...editionStore(db, sql),
    ...marketCache(db, sql),
    ...confirmationQueue(db, sql),
    ...feedbackStore(db, sql),
    ...hitCounter(db, sql),
    ...deskStore(db, sql),
    ...deskWebStore(db, sql),
  };
  const inTransaction: Store = { ...asAsync<Omit<Store, 'transaction'>>(sync, lock, true), transaction: (work) => work(inTransaction) };
  return { ...asAsync<Omit<Store, 'transaction'>>(sync, lock), transaction: (work) => lock.run(db, () => work(inTransaction)) };
}
