/** The store's SQL for PostgreSQL (see types.ts for what each operation promises). */
import { randomBytes } from 'node:crypto';
import { KEY_COUNT } from '../hits.js';
import { FEEDBACK_COLUMNS, FEEDBACK_COUNTS } from '../feedback-sql.js';
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
  Store,
  SubscriberRow,
  SubscriberStatus,
} from '../types.js';
import { type Connection, inTransaction, type Queryable } from './connect.js';
import { deskWebStore } from './desk-web.js';
import { LEAVE_BEFORE_ERASURE } from '../desk-sql.js';
import { deskStore } from './desk.js';

const rows = async <R extends object>(q: Queryable, text: string, values: unknown[] = []) => (await q.query<R & Record<string, unknown>>(text, values)).rows as R[];
const row = async <R extends object>(q: Queryable, text: string, values: unknown[] = []) => (await rows<R>(q, text, values))[0];
const run = async (q: Queryable, text: string, values: unknown[] = []) => void (await q.query(text, values));

const EDITION_COLUMNS = 'id, as_of, subject, headline, demo, sent_at';

function subscriberStore(q: Queryable) {
  return {
    findSubscriber: (email: string) => row<SubscriberRow>(q, 'SELECT * FROM subscribers WHERE lower(email) = lower($1)', [email]),
    addSubscriber: async (email: string, status: SubscriberStatus, source: ConsentSource, now: Date) =>
      (await row<SubscriberRow>(
        q,
        `INSERT INTO subscribers (email, status, consent_source, created_at, status_changed_at, confirmed_at, token_key)
         VALUES ($1, $2, $3, $4, $4, CASE WHEN $2 = 'confirmed' THEN $4 END, $5) RETURNING *`,
        [email, status, source, now.toISOString(), randomBytes(16).toString('hex')],
      ))!,
    setSubscriberStatus: (id: number, status: SubscriberStatus, now: Date) =>
      run(
        q,
        `UPDATE subscribers SET status = $2, status_changed_at = $3,
           confirmed_at = CASE WHEN $2 = 'confirmed' THEN $3 ELSE confirmed_at END,
           unsubscribed_at = CASE WHEN $2 = 'unsubscribed' THEN $3 ELSE unsubscribed_at END
         WHERE id = $1`,
        [id, status, now.toISOString()],
      ),
    listSubscribers: () => rows<SubscriberRow>(q, 'SELECT * FROM subscribers ORDER BY id'),
    confirmedSubscribers: () => rows<SubscriberRow>(q, "SELECT * FROM subscribers WHERE status = 'confirmed' ORDER BY id"),
    subscriberById: (id: number) => row<SubscriberRow>(q, 'SELECT * FROM subscribers WHERE id = $1', [id]),
    suppressionReason: async (emailHash: string) => (await row<{ reason: string }>(q, 'SELECT reason FROM suppressions WHERE email_hash = $1', [emailHash]))?.reason,
    suppress: (emailHash: string, reason: string, now: Date) =>
      run(q, 'INSERT INTO suppressions (email_hash, reason, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [emailHash, reason, now.toISOString()]),
  };
}

function editionStore(q: Queryable) {
  return {
    markEditionSent: (id: string, now: Date) => run(q, 'UPDATE editions SET sent_at = COALESCE(sent_at, $1) WHERE id = $2', [now.toISOString(), id]),
    sentEditions: () => rows<EditionRow>(q, `SELECT ${EDITION_COLUMNS} FROM editions WHERE sent_at IS NOT NULL ORDER BY as_of DESC, sent_at DESC, id DESC`),
    edition: (id: string) => row<EditionRow>(q, `SELECT ${EDITION_COLUMNS} FROM editions WHERE id = $1`, [id]),
    saveEdition: (edition: EditionToSave, now: Date) =>
      run(
        q,
        `INSERT INTO editions (id, as_of, subject, headline, demo, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET subject = excluded.subject, headline = excluded.headline, as_of = excluded.as_of, demo = excluded.demo
         WHERE editions.send_started_at IS NULL`,
        [edition.id, edition.asOf, edition.subject, edition.headline, edition.demo ? 1 : 0, now.toISOString()],
      ),
    // A started edition is what subscribers got: a build that lost the claim to it changes nothing.
    saveSendable: (id: string, sendable: string) => run(q, 'UPDATE editions SET sendable = $1 WHERE id = $2 AND send_started_at IS NULL', [sendable, id]),
    sendable: async (id: string) => (await row<{ sendable: string | null }>(q, 'SELECT sendable FROM editions WHERE id = $1', [id]))?.sendable ?? undefined,
    delivery: (editionId: string, subscriberId: number) => row<DeliveryRow>(q, 'SELECT * FROM deliveries WHERE edition_id = $1 AND subscriber_id = $2', [editionId, subscriberId]),
  };
}

function marketCache(q: Queryable) {
  return {
    saveCloses: (source: string, points: ReadonlyArray<{ date: string; close: number }>, now: Date) =>
      run(
        q,
        `INSERT INTO closes (source, date, close, fetched_at) SELECT $1, d, c, $4 FROM unnest($2::text[], $3::float8[]) AS t (d, c)
         ON CONFLICT (source, date) DO UPDATE SET close = excluded.close, fetched_at = excluded.fetched_at`,
        [source, points.map((p) => p.date), points.map((p) => p.close), now.toISOString()],
      ),
    closes: (source: string, from: string, to: string) =>
      rows<{ date: string; close: number }>(q, 'SELECT date, close FROM closes WHERE source = $1 AND date BETWEEN $2 AND $3 ORDER BY date', [source, from, to]),
    lastCloseDate: async (source: string) => (await row<{ date: string | null }>(q, 'SELECT MAX(date) AS date FROM closes WHERE source = $1', [source]))?.date ?? undefined,
    cachedSources: () => rows<CachedSource>(q, 'SELECT source, MIN(date) AS first, MAX(date) AS last, COUNT(*)::int AS count FROM closes GROUP BY source ORDER BY source'),
  };
}

function confirmationQueue(q: Queryable) {
  return {
    // One statement, so one transaction: the throttle's count and the queued email go together.
    queueConfirmation: (id: number, token: string, now: Date, network = '') =>
      run(
        q,
        `WITH counted AS (
           UPDATE subscribers SET confirm_sent_at = $3,
             confirm_day_count = CASE WHEN confirm_day = $4 THEN confirm_day_count + 1 ELSE 1 END, confirm_day = $4
           WHERE id = $1)
         INSERT INTO confirmations (subscriber_id, token, attempts, next_attempt_at, network) VALUES ($1, $2, 0, $3, $5)
         ON CONFLICT (subscriber_id) DO UPDATE SET token = excluded.token, attempts = 0, next_attempt_at = excluded.next_attempt_at, last_error = NULL,
           network = excluded.network`,
        [id, token, now.toISOString(), now.toISOString().slice(0, 10), network],
      ),
    // Fair by network: each network's turn-th email goes before any network's (turn + 1)-th, the
    // networks with the fewest waiting first (a newcomer before a flood's next).
    claimConfirmations: (now: Date, limit: number, leaseUntil: Date) =>
      rows<DueConfirmation>(
        q,
        `WITH ranked AS (
           SELECT subscriber_id, next_attempt_at, ROW_NUMBER() OVER (PARTITION BY network ORDER BY next_attempt_at, subscriber_id) AS turn,
             COUNT(*) OVER (PARTITION BY network) AS waiting
           FROM confirmations WHERE next_attempt_at <= $1),
         due AS (
           SELECT c.subscriber_id FROM confirmations c JOIN ranked r ON r.subscriber_id = c.subscriber_id
           WHERE c.next_attempt_at <= $1 ORDER BY r.turn, r.waiting, r.next_attempt_at, c.subscriber_id LIMIT $2 FOR UPDATE OF c SKIP LOCKED)
         UPDATE confirmations c SET next_attempt_at = $3 FROM due, subscribers s
         WHERE c.subscriber_id = due.subscriber_id AND s.id = c.subscriber_id
         RETURNING c.subscriber_id, s.email, c.token, c.attempts`,
        [now.toISOString(), limit, leaseUntil.toISOString()],
      ),
    confirmationDone: (id: number) => run(q, 'DELETE FROM confirmations WHERE subscriber_id = $1', [id]),
    confirmationRetry: (id: number, error: string, next: Date) =>
      run(q, 'UPDATE confirmations SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 WHERE subscriber_id = $1', [id, next.toISOString(), error.slice(0, 500)]),
  };
}

function feedbackStore(q: Queryable) {
  return {
    deliveryByMessageId: (messageId: string) =>
      row<{ edition_id: string; subscriber_id: number }>(q, 'SELECT edition_id, subscriber_id FROM deliveries WHERE message_id = $1 LIMIT 1', [messageId]),
    addFeedbackEvent: async (e: FeedbackEvent, now: Date) =>
      (
        await q.query(
          `INSERT INTO feedback_events (subscriber_id, email_hash, edition_id, kind, source, message_id, detail, received_at, trust, action, report_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
          [e.subscriberId, e.emailHash, e.editionId, e.kind, e.source, e.messageId, e.detail, now.toISOString(), e.trust, e.action, e.reportId],
        )
      ).rowCount === 1,
    countHardBounce: (id: number) => run(q, 'UPDATE subscribers SET hard_bounces = hard_bounces + 1 WHERE id = $1', [id]),
    feedbackEvents: (subscriberId: number) => rows<FeedbackEventRow>(q, `SELECT ${FEEDBACK_COLUMNS} FROM feedback_events WHERE subscriber_id = $1 ORDER BY id`, [subscriberId]),
    feedbackCounts: async (since: Date) => {
      const counts = (await row<Record<keyof FeedbackCounts, string>>(q, FEEDBACK_COUNTS, [since.toISOString()]))!;
      // COUNT(*) is a bigint, which pg hands over as a string.
      return { acted: Number(counts.acted), held: Number(counts.held), untrusted: Number(counts.untrusted) };
    },
    untrustedFeedback: (limit: number) =>
      rows<FeedbackEventRow>(q, `SELECT ${FEEDBACK_COLUMNS} FROM (SELECT * FROM feedback_events WHERE trust = 'untrusted' ORDER BY id DESC LIMIT $1) AS recent ORDER BY id`, [
        limit,
      ]),
    confirmedCount: async () => Number((await row<{ n: string }>(q, "SELECT COUNT(*) AS n FROM subscribers WHERE status = 'confirmed'"))!.n),
  };
}

/** The statements that need a transaction, given the client it runs on. */
function transactional(client: Queryable): Pick<Store, 'eraseSubscriber' | 'countHit'> {
  const hits = async (scope: string, windowStart: number, key: string) =>
    (await row<{ hits: number }>(client, 'SELECT hits FROM rate_hits WHERE scope = $1 AND window_start = $2 AND key = $3', [scope, windowStart, key]))?.hits;
  const bump = async (scope: string, windowStart: number, key: string) =>
    (await row<{ hits: number }>(
      client,
      `INSERT INTO rate_hits (scope, window_start, key, hits) VALUES ($1, $2, $3, 1)
       ON CONFLICT (scope, window_start, key) DO UPDATE SET hits = rate_hits.hits + 1 RETURNING hits`,
      [scope, windowStart, key],
    ))!.hits;
  return {
    async eraseSubscriber(id: number, emailHash: string, now: Date) {
      await subscriberStore(client).suppress(emailHash, 'erased', now);
      await run(client, LEAVE_BEFORE_ERASURE, [id, now.toISOString()]);
      await run(client, 'DELETE FROM deliveries WHERE subscriber_id = $1', [id]);
      await run(client, 'DELETE FROM link_clicks WHERE subscriber_id = $1', [id]);
      await run(client, 'DELETE FROM subscribers WHERE id = $1', [id]);
    },
    async countHit(scope: string, key: string, windowStart: number, maxKeys: number) {
      // One scope's new keys are counted one request at a time, so the cap holds under concurrency.
      await run(client, 'SELECT pg_advisory_xact_lock(hashtext($1))', [`rate_hits:${scope}`]);
      if ((await hits(scope, windowStart, key)) !== undefined) return bump(scope, windowStart, key);
      const keys = (await hits(scope, windowStart, KEY_COUNT)) ?? 0;
      if (keys === 0) await run(client, 'DELETE FROM rate_hits WHERE scope = $1 AND window_start < $2', [scope, windowStart]);
      if (keys >= maxKeys) return 0;
      await bump(scope, windowStart, KEY_COUNT);
      return bump(scope, windowStart, key);
    },
  };
}

function storeOn(q: Queryable): Omit<Store, 'transaction' | 'eraseSubscriber' | 'countHit'> {
  return {
    healthCheck: () => run(q, 'SELECT (SELECT COUNT(*) FROM editions) + (SELECT COUNT(*) FROM subscribers)'),
    ...subscriberStore(q),
    ...editionStore(q),
    ...marketCache(q),
    ...confirmationQueue(q),
    ...feedbackStore(q),
    ...deskWebStore(q),
    ...deskStore(q),
  };
}

export function postgresStore(connection: Connection): Store {
  const within = (client: Queryable): Store => {
    const tx: Store = { ...storeOn(client), ...transactional(client), transaction: (work) => work(tx) };
    return tx;
  };
  return {
    ...storeOn(connection),
    eraseSubscriber: (id, emailHash, now) => inTransaction(connection, (client) => within(client).eraseSubscriber(id, emailHash, now)),
    countHit: (scope, key, windowStart, maxKeys) => inTransaction(connection, (client) => within(client).countHit(scope, key, windowStart, maxKeys)),
    transaction: (work) => inTransaction(connection, (client) => work(within(client))),
  };
}
