/** The store for PostgreSQL (see types.ts for what each operation promises): its SQL is in queries/*.sql. */
import { randomBytes } from 'node:crypto';
import { KEY_COUNT } from '../hits.js';
import type {
  CachedSource,
  ConsentSource,
  DeliveryRow,
  DueConfirmation,
  EditionRow,
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
import { type Connection, inTransaction, type Queryable } from './connect.js';
import { deskWebStore } from './desk-web.js';
import { deskStore } from './desk.js';
import { type PostgresQueries, postgresQueries } from './queries.js';

const rows = async <R extends object>(q: Queryable, text: string, values: unknown[] = []) => (await q.query<R & Record<string, unknown>>(text, values)).rows as R[];
const row = async <R extends object>(q: Queryable, text: string, values: unknown[] = []) => (await rows<R>(q, text, values))[0];
const run = async (q: Queryable, text: string, values: unknown[] = []) => void (await q.query(text, values));

/** Two statements a batch, whatever its size: the suppressions among its hashes, then the insert of the rest. */
async function importBatch(q: Queryable, sql: PostgresQueries, entries: readonly ImportEntry[], now: Date): Promise<ImportOutcome[]> {
  const hashes = entries.map((e) => e.emailHash);
  const suppressed = new Map((await rows<{ email_hash: string; reason: string }>(q, sql.suppressionsAmong, [hashes])).map((r) => [r.email_hash, r.reason]));
  const allowed = entries.filter((e) => !suppressed.has(e.emailHash));
  const tokens = allowed.map(() => randomBytes(16).toString('hex'));
  const inserted = await rows<{ email: string }>(q, sql.importSubscribers, [allowed.map((e) => e.email), tokens, now.toISOString()]);
  // Each address the insert returned is its first occurrence in the batch; any later one is a duplicate.
  const added = new Set(inserted.map((r) => r.email));
  return entries.map((e): ImportOutcome => {
    const reason = suppressed.get(e.emailHash);
    if (reason !== undefined) return { status: 'suppressed', reason };
    return added.delete(e.email) ? { status: 'added' } : { status: 'duplicate' };
  });
}

function subscriberStore(q: Queryable, sql: PostgresQueries) {
  return {
    findSubscriber: (email: string) => row<SubscriberRow>(q, sql.findSubscriber, [email]),
    addSubscriber: async (email: string, status: SubscriberStatus, source: ConsentSource, now: Date) =>
      (await row<SubscriberRow>(q, sql.addSubscriber, [email, status, source, now.toISOString(), randomBytes(16).toString('hex')]))!,
    setSubscriberStatus: (id: number, status: SubscriberStatus, now: Date) => run(q, sql.setSubscriberStatus, [id, status, now.toISOString()]),
    listSubscribers: () => rows<SubscriberRow>(q, sql.listSubscribers),
    confirmedSubscribers: () => rows<SubscriberRow>(q, sql.confirmedSubscribers),
    subscriberById: (id: number) => row<SubscriberRow>(q, sql.subscriberById, [id]),
    importSubscribers: (entries: readonly ImportEntry[], now: Date) => importBatch(q, sql, entries, now),
    suppressionReason: async (emailHash: string) => (await row<{ reason: string }>(q, sql.suppressionReason, [emailHash]))?.reason,
    suppress: (emailHash: string, reason: string, now: Date) => run(q, sql.suppress, [emailHash, reason, now.toISOString()]),
  };
}

function editionStore(q: Queryable, sql: PostgresQueries) {
  return {
    markEditionSent: (id: string, now: Date) => run(q, sql.markEditionSent, [now.toISOString(), id]),
    sentEditions: () => rows<EditionRow>(q, sql.sentEditions),
    edition: (id: string) => row<EditionRow>(q, sql.edition, [id]),
    saveEdition: (edition: EditionToSave, now: Date) =>
      run(q, sql.saveEdition, [edition.id, edition.asOf, edition.subject, edition.headline, edition.demo ? 1 : 0, now.toISOString()]),
    // A started edition is what subscribers got: a build that lost the claim to it changes nothing.
    saveSendable: (id: string, sendable: string) => run(q, sql.saveSendable, [sendable, id]),
    sendable: async (id: string) => (await row<{ sendable: string | null }>(q, sql.sendable, [id]))?.sendable ?? undefined,
    delivery: (editionId: string, subscriberId: number) => row<DeliveryRow>(q, sql.delivery, [editionId, subscriberId]),
  };
}

function marketCache(q: Queryable, sql: PostgresQueries) {
  return {
    saveCloses: (source: string, points: ReadonlyArray<{ date: string; close: number }>, now: Date) =>
      run(q, sql.saveCloses, [source, points.map((p) => p.date), points.map((p) => p.close), now.toISOString()]),
    closes: (source: string, from: string, to: string) => rows<{ date: string; close: number }>(q, sql.closes, [source, from, to]),
    lastCloseDate: async (source: string) => (await row<{ date: string | null }>(q, sql.lastCloseDate, [source]))?.date ?? undefined,
    cachedSources: () => rows<CachedSource>(q, sql.cachedSources),
  };
}

function confirmationQueue(q: Queryable, sql: PostgresQueries) {
  return {
    // One statement, so one transaction: the throttle's count and the queued email go together.
    queueConfirmation: (id: number, token: string, now: Date, network = '') =>
      run(q, sql.queueConfirmation, [id, token, now.toISOString(), now.toISOString().slice(0, 10), network]),
    // Fair by network: each network's turn-th email goes before any network's (turn + 1)-th, the
    // networks with the fewest waiting first (a newcomer before a flood's next).
    claimConfirmations: (now: Date, limit: number, leaseUntil: Date) => rows<DueConfirmation>(q, sql.claimConfirmations, [now.toISOString(), limit, leaseUntil.toISOString()]),
    confirmationDone: (id: number) => run(q, sql.confirmationDone, [id]),
    confirmationRetry: (id: number, error: string, next: Date) => run(q, sql.confirmationRetry, [id, next.toISOString(), error.slice(0, 500)]),
  };
}

function feedbackStore(q: Queryable, sql: PostgresQueries) {
  return {
    deliveryByMessageId: (messageId: string) => row<{ edition_id: string; subscriber_id: number }>(q, sql.deliveryByMessageId, [messageId]),
    addFeedbackEvent: async (e: FeedbackEvent, now: Date) =>
      (await q.query(sql.addFeedbackEvent, [e.subscriberId, e.emailHash, e.editionId, e.kind, e.source, e.messageId, e.detail, now.toISOString(), e.trust, e.action, e.reportId]))
        .rowCount === 1,
    countHardBounce: (id: number) => run(q, sql.countHardBounce, [id]),
    feedbackEvents: (subscriberId: number) => rows<FeedbackEventRow>(q, sql.feedbackEvents, [subscriberId]),
    feedbackCounts: async (since: Date) => (await row<FeedbackCounts>(q, sql.feedbackCounts, [since.toISOString()]))!,
    untrustedFeedback: (limit: number) => rows<FeedbackEventRow>(q, sql.untrustedFeedback, [limit]),
    confirmedCount: async () => (await row<{ n: number }>(q, sql.confirmedCount))!.n,
  };
}

/** The statements that need a transaction, given the client it runs on. */
function transactional(client: Queryable, sql: PostgresQueries): Pick<Store, 'eraseSubscriber' | 'countHit'> {
  const hits = async (scope: string, windowStart: number, key: string) => (await row<{ hits: number }>(client, sql.hits, [scope, windowStart, key]))?.hits;
  const bump = async (scope: string, windowStart: number, key: string) => (await row<{ hits: number }>(client, sql.bumpHits, [scope, windowStart, key]))!.hits;
  return {
    async eraseSubscriber(id: number, emailHash: string, now: Date) {
      await subscriberStore(client, sql).suppress(emailHash, 'erased', now);
      await run(client, sql.leaveBeforeErasure, [id, now.toISOString()]);
      await run(client, sql.deleteSubscriberDeliveries, [id]);
      await run(client, sql.deleteSubscriberClicks, [id]);
      await run(client, sql.deleteSubscriber, [id]);
    },
    async countHit(scope: string, key: string, windowStart: number, maxKeys: number) {
      await run(client, sql.lockHitScope, [`rate_hits:${scope}`]);
      if ((await hits(scope, windowStart, key)) !== undefined) return bump(scope, windowStart, key);
      const keys = (await hits(scope, windowStart, KEY_COUNT)) ?? 0;
      if (keys === 0) await run(client, sql.pruneHits, [scope, windowStart]);
      if (keys >= maxKeys) return 0;
      await bump(scope, windowStart, KEY_COUNT);
      return bump(scope, windowStart, key);
    },
  };
}

function storeOn(q: Queryable, sql: PostgresQueries): Omit<Store, 'transaction' | 'eraseSubscriber' | 'countHit'> {
  return {
    healthCheck: () => run(q, sql.healthCheck),
    ...subscriberStore(q, sql),
    ...editionStore(q, sql),
    ...marketCache(q, sql),
    ...confirmationQueue(q, sql),
    ...feedbackStore(q, sql),
    ...deskStore(q, sql),
    ...deskWebStore(q, sql),
    hitCount: async (scope, key, windowStart) => (await row<{ hits: number }>(q, sql.hits, [scope, windowStart, key]))?.hits ?? 0,
  };
}

export function postgresStore(connection: Connection): Store {
  const sql = postgresQueries();
  const within = (client: Queryable): Store => {
    const tx: Store = { ...storeOn(client, sql), ...transactional(client, sql), transaction: (work) => work(tx) };
    return tx;
  };
  return {
    ...storeOn(connection, sql),
    eraseSubscriber: (id, emailHash, now) => inTransaction(connection, (client) => within(client).eraseSubscriber(id, emailHash, now)),
    countHit: (scope, key, windowStart, maxKeys) => inTransaction(connection, (client) => within(client).countHit(scope, key, windowStart, maxKeys)),
    transaction: (work) => inTransaction(connection, (client) => work(within(client))),
  };
}
