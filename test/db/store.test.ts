/**
 * The store contract: the same tests against SQLite and a real PostgreSQL server (started here when
 * the suite did not start one). What one implementation does, the other must do, to the row.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import BetterSqlite from 'better-sqlite3';
import pg from 'pg';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, dbFile, openDatabase } from '../../src/db/index.js';
import { isFailure } from '../../src/shared/errors.js';
import { migrations } from '../../src/db/migrations.js';
import { sourcePath } from '../../src/shared/paths.js';
import { tempDir } from '../helpers/context.js';
import { hasPostgres, type Postgres, startPostgres } from '../helpers/postgres.js';

const NOW = new Date('2026-11-21T14:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);

let server: Postgres | undefined;
beforeAll(async () => {
  if (!process.env['TEST_DATABASE_URL'] && hasPostgres) server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

const postgresUrl = () => process.env['TEST_DATABASE_URL'] ?? server?.url;
const backends = [
  { name: 'SQLite', open: () => openDatabase({ dataDir: join(tempDir(), 'data') }) },
  { name: 'PostgreSQL', open: () => openDatabase({ databaseUrl: `${postgresUrl()}?schema=c_${randomBytes(6).toString('hex')}`, dataDir: tempDir() }) },
];

it('both stores have the same numbered migrations', () => {
  const versions = (kind: string) => migrations(sourcePath('db', 'migrations', kind)).map((m) => m.name);
  expect(versions('postgres')).toEqual(versions('sqlite'));
});

it.skipIf(!hasPostgres)(
  'a PostgreSQL server lost while working: one line saying how to go on, for plain reads and transactions alike',
  async () => {
    const own = await startPostgres();
    const db = openDatabase({ databaseUrl: `${own.url}?schema=lost`, dataDir: tempDir() });
    try {
      await db.store.addSubscriber('ann@example.com', 'confirmed', 'cli', NOW);
      own.stop();
      for (const attempt of [() => db.store.listSubscribers(), () => db.ledger.record('E1', [], NOW, 1), () => db.ledger.claim('E1', 'a', 10, NOW)]) {
        const error = await attempt().catch((e: unknown) => e);
        expect(isFailure(error, 'POSTGRES_LOST')).toBe(true);
        expect((error as Error).message).toMatch(
          /^lost PostgreSQL at postgres:\/\/marketwrap@127\.0\.0\.1:\d+\/postgres \(.+\): nothing committed is lost; when it is back, run the command again \(a send: `marketwrap digest --resume`\)$/,
        );
      }
    } finally {
      await db.close();
    }
  },
  60_000,
);

/** A list, two editions (one sent) and two reports, as a database held them before migration 012. */
const BEFORE_012 = `
    INSERT INTO subscribers (id, email, status, consent_source, created_at, status_changed_at, confirmed_at) VALUES
      (1, 'ann@example.com', 'confirmed', 'cli', '2026-11-10T09:00:00Z', '2026-11-10T09:00:00Z', '2026-11-10T09:00:00Z'),
      (2, 'bob@example.com', 'unsubscribed', 'form', '2026-11-09T09:00:00Z', '2026-11-18T09:00:00Z', '2026-11-10T10:00:00Z'),
      (3, 'cy@example.com', 'pending', 'form', '2026-11-18T09:00:00Z', '2026-11-18T09:00:00Z', NULL);
    INSERT INTO editions (id, as_of, subject, demo, created_at, send_started_at, send_completed_at, sent_at) VALUES
      ('2026-W46', '2026-11-13', 'S', 0, '2026-11-14T12:00:00Z', '2026-11-14T13:00:00Z', '2026-11-14T13:05:00Z', '2026-11-14T13:05:00Z'),
      ('2026-W47', '2026-11-20', 'T', 0, '2026-11-21T12:00:00Z', NULL, NULL, NULL);
    INSERT INTO deliveries (edition_id, subscriber_id, status, failure, updated_at) VALUES
      ('2026-W46', 1, 'sent', NULL, '2026-11-14T13:01:00Z'), ('2026-W46', 2, 'failed', 'ambiguous', '2026-11-14T13:01:00Z');
    INSERT INTO feedback_events (subscriber_id, email_hash, edition_id, kind, source, received_at, trust) VALUES
      (1, 'h', '2026-W46', 'complaint', 'ses', '2026-11-15T00:00:00Z', 'proven'),
      (NULL, 'x', '2026-W46', 'hard-bounce', 'ses', '2026-11-15T00:00:00Z', 'untrusted');
`;

/** A database at migration 011 with BEFORE_012 in it, opened (and so migrated) by the store. */
async function databaseBefore012(kind: 'sqlite' | 'postgres'): Promise<Database> {
  const older = (dir: string) => migrations(sourcePath('db', 'migrations', dir)).filter((m) => m.version <= 11);
  if (kind === 'sqlite') {
    const dataDir = join(tempDir(), 'data');
    mkdirSync(dataDir);
    const old = new BetterSqlite(dbFile(dataDir));
    for (const m of older('sqlite')) old.exec(m.sql);
    old.pragma('user_version = 11');
    old.exec(BEFORE_012);
    old.close();
    return openDatabase({ dataDir });
  }
  const schema = `m_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
    await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of older('postgres')) {
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations VALUES ($1, $2, $3)', [m.version, m.name, NOW.toISOString()]);
    }
    await client.query(BEFORE_012);
  } finally {
    await client.end();
  }
  return openDatabase({ databaseUrl: `${postgresUrl()}?schema=${schema}`, dataDir: tempDir() });
}

it.each(['sqlite', 'postgres'] as const)('migration 012 counts what a %s database held before it: the list by status, joins and leaves per day, sent editions', async (kind) => {
  if (kind === 'postgres' && !hasPostgres && !process.env['TEST_DATABASE_URL']) return;
  const db = await databaseBefore012(kind);
  try {
    expect(await db.store.subscriberCounts()).toEqual({ pending: 1, confirmed: 1, unsubscribed: 1, bounced: 0, complained: 0 });
    expect(await db.store.subscriberDays('2026-11-01')).toEqual([
      { day: '2026-11-10', joins: 2, leaves: 0 },
      { day: '2026-11-18', joins: 0, leaves: 1 },
    ]);
    expect(await db.store.editionResults()).toEqual([
      { edition_id: '2026-W46', recipients: 2, sent: 1, failed: 0, ambiguous: 1, skipped: 0, bounced: 0, complained: 1, unsubscribed: 0, counted_at: '2026-11-14T13:05:00Z' },
    ]);
    expect((await db.store.editionReviews()).map((e) => [e.id, e.state])).toEqual([
      ['2026-W47', 'draft'],
      ['2026-W46', 'sent'],
    ]);
  } finally {
    await db.close();
  }
});

describe.each(backends)('$name store', ({ name, open }) => {
  // Debian's postgresql package is what .ci/run installs; without it only SQLite can be checked here.
  const skip = name === 'PostgreSQL' && !hasPostgres && !process.env['TEST_DATABASE_URL'];
  let db: Database;
  beforeEach(() => {
    if (!skip) db = open();
  });
  afterEach(async () => {
    if (!skip) await db.close();
  });

  it.skipIf(skip)('subscribers: one per address whatever its case, ids never reused, a random key each', async () => {
    const { store } = db;
    const ann = await store.addSubscriber('ann@example.com', 'confirmed', 'cli', NOW);
    expect(ann).toMatchObject({ email: 'ann@example.com', status: 'confirmed', consent_source: 'cli', confirmed_at: NOW.toISOString(), hard_bounces: 0, confirm_day_count: 0 });
    expect(ann.token_key).toMatch(/^[0-9a-f]{32}$/);
    expect((await store.findSubscriber('ANN@Example.com'))?.id).toBe(ann.id);
    await expect(store.addSubscriber('Ann@example.com', 'pending', 'form', NOW)).rejects.toThrow();
    const last = await store.addSubscriber('last@example.com', 'pending', 'form', NOW);
    expect(last.confirmed_at).toBeNull();
    await store.eraseSubscriber(last.id, 'hash-of-last', NOW);
    expect(await store.suppressionReason('hash-of-last')).toBe('erased');
    expect((await store.addSubscriber('next@example.com', 'pending', 'form', NOW)).id).toBeGreaterThan(last.id);
    await store.setSubscriberStatus(ann.id, 'unsubscribed', later(1000));
    expect(await store.subscriberById(ann.id)).toMatchObject({ status: 'unsubscribed', unsubscribed_at: later(1000).toISOString() });
    expect((await store.confirmedSubscribers()).map((s) => s.email)).toEqual([]);
  });

  it.skipIf(skip)('an import batch: each address added, a duplicate (on the list, or earlier in the batch, whatever its case) or suppressed, in order', async () => {
    const { store } = db;
    await store.addSubscriber('ann@example.com', 'pending', 'form', NOW);
    await store.suppress('hash-of-gone', 'complained', NOW);
    const entry = (email: string, emailHash = `hash-of-${email}`) => ({ email, emailHash });
    const outcomes = await store.importSubscribers(
      [entry('bob@example.com'), entry('ANN@example.com'), entry('gone@example.com', 'hash-of-gone'), entry('Bob@Example.com'), entry('cy@example.com'), entry('cy@example.com')],
      NOW,
    );
    expect(outcomes).toEqual([
      { status: 'added' },
      { status: 'duplicate' },
      { status: 'suppressed', reason: 'complained' },
      { status: 'duplicate' },
      { status: 'added' },
      { status: 'duplicate' },
    ]);
    expect((await store.listSubscribers()).map((s) => [s.email, s.status, s.consent_source])).toEqual([
      ['ann@example.com', 'pending', 'form'],
      ['bob@example.com', 'confirmed', 'import'],
      ['cy@example.com', 'confirmed', 'import'],
    ]);
    const bob = (await store.findSubscriber('bob@example.com'))!;
    expect(bob).toMatchObject({ confirmed_at: NOW.toISOString() });
    expect(bob.token_key).toMatch(/^[0-9a-f]{32}$/);
  });

  it.skipIf(skip)('a transaction stores all of its work or none of it, and others wait for it', async () => {
    const { store } = db;
    await expect(
      store.transaction(async (tx) => {
        await tx.addSubscriber('rolled@example.com', 'confirmed', 'cli', NOW);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await store.findSubscriber('rolled@example.com')).toBeUndefined();
    // A write from outside, issued while a transaction is open, is not swallowed by its rollback.
    let outside: Promise<unknown> | undefined;
    await expect(
      store.transaction(async (tx) => {
        await tx.addSubscriber('inside@example.com', 'confirmed', 'cli', NOW);
        outside = store.addSubscriber('outside@example.com', 'confirmed', 'cli', NOW);
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    await outside;
    expect(await store.findSubscriber('inside@example.com')).toBeUndefined();
    expect(await store.findSubscriber('outside@example.com')).toBeDefined();
  });

  it.skipIf(skip)('the market cache replaces revised closes and counts what it holds', async () => {
    const { store } = db;
    await store.saveCloses(
      'yahoo:^GSPC',
      [
        { date: '2026-11-19', close: 6600.5 },
        { date: '2026-11-20', close: 6700.25 },
      ],
      NOW,
    );
    await store.saveCloses('yahoo:^GSPC', [{ date: '2026-11-20', close: 6701.75 }], later(1000));
    expect(await store.closes('yahoo:^GSPC', '2026-11-01', '2026-11-30')).toEqual([
      { date: '2026-11-19', close: 6600.5 },
      { date: '2026-11-20', close: 6701.75 },
    ]);
    expect(await store.lastCloseDate('yahoo:^GSPC')).toBe('2026-11-20');
    expect(await store.lastCloseDate('yahoo:^RUT')).toBeUndefined();
    expect(await store.cachedSources()).toEqual([{ source: 'yahoo:^GSPC', first: '2026-11-19', last: '2026-11-20', count: 2 }]);
  });

  it.skipIf(skip)('confirmations are counted against the throttle and claimed by one server at a time', async () => {
    const { store } = db;
    const p = await store.addSubscriber('p@example.com', 'pending', 'form', NOW);
    await store.queueConfirmation(p.id, 'token-1', NOW);
    await store.queueConfirmation(p.id, 'token-2', later(1000));
    expect(await store.subscriberById(p.id)).toMatchObject({ confirm_day: '2026-11-21', confirm_day_count: 2, confirm_sent_at: later(1000).toISOString() });
    const [first, second] = await Promise.all([store.claimConfirmations(later(2000), 10, later(60_000)), store.claimConfirmations(later(2000), 10, later(60_000))]);
    expect([...first!, ...second!]).toEqual([{ subscriber_id: p.id, email: 'p@example.com', token: 'token-2', attempts: 0 }]);
    expect(await store.claimConfirmations(later(30_000), 10, later(90_000))).toEqual([]);
    await store.confirmationRetry(p.id, 'refused', later(61_000));
    expect(await store.claimConfirmations(later(61_000), 10, later(120_000))).toMatchObject([{ attempts: 1 }]);
    await store.confirmationDone(p.id);
    expect(await store.claimConfirmations(later(600_000), 10, later(900_000))).toEqual([]);
  });

  it.skipIf(skip)('hit counts: per key and window, a new window forgets the old, and past the cap newcomers are not counted', async () => {
    const { store } = db;
    expect(await store.countHit('form', '10.0.0.1', 0, 3)).toBe(1);
    expect(await store.countHit('form', '10.0.0.1', 0, 3)).toBe(2);
    expect(await store.countHit('form', '10.0.0.2', 0, 3)).toBe(1);
    expect(await store.countHit('form', '10.0.0.3', 0, 3)).toBe(1);
    // The cap of 3 keys is reached: more clients are neither stored nor given anyone's count.
    for (let i = 0; i < 3; i++) expect(await store.countHit('form', '10.0.0.4', 0, 3)).toBe(0);
    expect(await store.countHit('form', '10.0.0.5', 0, 3)).toBe(0);
    expect(await store.countHit('form', '10.0.0.1', 0, 3)).toBe(3);
    expect(await store.countHit('other', '10.0.0.1', 0, 3)).toBe(1);
    expect(await store.countHit('form', '10.0.0.1', 60_000, 3)).toBe(1);
    // Concurrent newcomers never push a window past its cap.
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.countHit('burst', `k${i}`, 0, 5)));
    const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => store.countHit('burst', `k${i}`, 0, 5)));
    expect(counts.filter((n) => n === 2)).toHaveLength(5);
    expect(counts.filter((n) => n === 0)).toHaveLength(15);
  });

  it.skipIf(skip)('confirmations are claimed fairly by network: a flood from one network waits behind everyone else', async () => {
    const { store } = db;
    for (let i = 0; i < 30; i++) {
      const s = await store.addSubscriber(`flood${i}@example.com`, 'pending', 'form', NOW);
      await store.queueConfirmation(s.id, `t${i}`, later(i), '203.0.113.0/24');
    }
    const late = await store.addSubscriber('late@example.com', 'pending', 'form', NOW);
    await store.queueConfirmation(late.id, 'late', later(100), '198.51.100.0/24');
    const cli = await store.addSubscriber('cli@example.com', 'pending', 'cli', NOW);
    await store.queueConfirmation(cli.id, 'cli', later(200));
    // The two quiet networks' emails first, though queued after the flood's.
    expect((await store.claimConfirmations(later(1000), 2, later(60_000))).map((c) => c.email).sort()).toEqual(['cli@example.com', 'late@example.com']);
    const first = await store.claimConfirmations(later(1000), 3, later(60_000));
    expect(first.map((c) => c.email).sort()).toEqual(['flood0@example.com', 'flood1@example.com', 'flood2@example.com']);
    expect((await store.claimConfirmations(later(1000), 100, later(60_000))).map((c) => c.email)).toHaveLength(27);
  });

  it.skipIf(skip)('the ledger: one claim of the edition, disjoint row claims under concurrency, outcomes and counts', async () => {
    const { store, ledger } = db;
    for (let i = 0; i < 8; i++) await store.addSubscriber(`r${i}@example.com`, 'confirmed', 'cli', NOW);
    await store.saveEdition({ id: 'E1', asOf: '2026-11-20', subject: 'S', headline: 'H', demo: false }, NOW);
    const claims = await Promise.all([ledger.beginAndQueue('E1', 'a', NOW), ledger.beginAndQueue('E1', 'b', NOW)]);
    expect(claims.filter((c) => c === undefined)).toHaveLength(1);
    expect(claims.find((c) => c !== undefined)).toBe(8);
    const [a, b] = await Promise.all([ledger.claim('E1', 'a', 5, NOW), ledger.claim('E1', 'b', 5, NOW)]);
    const ids = [...a!, ...b!].map((r) => r.subscriber_id);
    expect(new Set(ids).size).toBe(8);
    expect(a!.every((r) => r.attempts === 1 && r.subscriber_status === 'confirmed')).toBe(true);
    const [one, two, three, ...rest] = ids;
    await ledger.record(
      'E1',
      [
        { subscriberId: one!, status: 'sent', reply: '250 ok', messageId: '<m1@x>' },
        { subscriberId: two!, status: 'retry', reply: '451 later', nextAttemptAt: later(60_000).toISOString() },
        { subscriberId: three!, status: 'failed', failure: 'permanent', reply: '550 no', bounce: true },
        ...rest.slice(0, 2).map((id) => ({ subscriberId: id, status: 'released' as const, reply: '554 server' })),
      ],
      later(1000),
      1,
    );
    expect(await ledger.counts('E1')).toEqual({ total: 8, queued: 3, sending: 3, sent: 1, skipped: 0, failedTemporary: 0, failedPermanent: 1, failedAmbiguous: 0 });
    expect((await store.subscriberById(three!))?.status).toBe('bounced');
    expect(await store.deliveryByMessageId('<m1@x>')).toEqual({ edition_id: 'E1', subscriber_id: one });
    expect(await ledger.nextRetry('E1')).toBe(later(60_000).toISOString());
    expect(await ledger.renew('E1', 'b', later(2000))).toBe(b!.filter((r) => ![one, two, three, ...rest.slice(0, 2)].includes(r.subscriber_id)).length);
    expect((await ledger.inFlight('E1')).map((r) => r.subscriber_id).sort()).toEqual(rest.slice(2).sort());
    expect(await ledger.failures('E1')).toEqual([{ email: (await store.subscriberById(three!))!.email, failure: 'permanent', last_reply: '550 no' }]);
    expect(await ledger.editionsInProgress()).toEqual(['E1']);
    await ledger.completeEdition('E1', later(3000));
    expect(await ledger.editionsInProgress()).toEqual([]);
    expect((await store.sentEditions()).map((e) => e.id)).toEqual(['E1']);
    expect(await ledger.editionIds('E1')).toEqual(['E1']);
  });

  it.skipIf(skip)('feedback: a relay report id is recorded once; counts by trust and action since a time; the untrusted ones, newest last', async () => {
    const { store } = db;
    const ann = await store.addSubscriber('ann@example.com', 'confirmed', 'cli', NOW);
    await store.addSubscriber('bob@example.com', 'pending', 'form', NOW);
    const event = {
      subscriberId: ann.id,
      emailHash: 'h-ann',
      editionId: 'E1',
      kind: 'complaint',
      source: 'ses',
      messageId: '<m@x>',
      detail: '',
      trust: 'proven' as const,
      action: 'complained',
      reportId: 'sns-1',
    };
    expect(await store.addFeedbackEvent(event, NOW)).toBe(true);
    expect(await store.addFeedbackEvent(event, later(1000))).toBe(false);
    expect(await store.addFeedbackEvent({ ...event, emailHash: 'h-other' }, NOW)).toBe(true);
    const stranger = { ...event, subscriberId: null, editionId: null, trust: 'untrusted' as const, action: null, reportId: null };
    for (const id of ['<1@x>', '<2@x>']) expect(await store.addFeedbackEvent({ ...stranger, messageId: id }, later(60_000))).toBe(true);
    expect(await store.addFeedbackEvent({ ...event, trust: 'held', action: null, reportId: 'sns-2' }, later(60_000))).toBe(true);
    expect(await store.feedbackCounts(NOW)).toEqual({ acted: 2, held: 1, untrusted: 2 });
    expect(await store.feedbackCounts(later(1))).toEqual({ acted: 0, held: 1, untrusted: 2 });
    expect((await store.untrustedFeedback(1)).map((e) => e.message_id)).toEqual(['<2@x>']);
    expect((await store.feedbackEvents(ann.id)).map((e) => e.trust)).toEqual(['proven', 'proven', 'held']);
    expect(await store.confirmedCount()).toBe(1);
  });

  it.skipIf(skip)('a shared state is updated by one caller at a time', async () => {
    const { ledger } = db;
    const bump = () => ledger.updateShared('counter', (state) => ({ state: String(Number(state ?? 0) + 1), result: Number(state ?? 0) + 1 }));
    const results = await Promise.all(Array.from({ length: 20 }, bump));
    expect(results.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it.skipIf(skip)('the edition as senders need it is kept for workers elsewhere', async () => {
    const { store } = db;
    await store.saveEdition({ id: 'E2', asOf: '2026-11-20', subject: 'S', headline: 'H', demo: true }, NOW);
    expect(await store.sendable('E2')).toBeUndefined();
    await store.saveSendable('E2', '{"html":"<p>hi</p>"}');
    expect(await store.sendable('E2')).toBe('{"html":"<p>hi</p>"}');
    expect(await store.edition('E2')).toMatchObject({ id: 'E2', demo: 1, sent_at: null });
  });

  it.skipIf(skip)('a started edition stays as it was sent: a later build of it changes neither its row nor what senders read', async () => {
    const { store, ledger } = db;
    await store.saveEdition({ id: 'E3', asOf: '2026-11-20', subject: 'Sent', headline: 'H', demo: false }, NOW);
    await store.saveSendable('E3', '{"subject":"Sent"}');
    expect(await ledger.beginAndQueue('E3', 'host:1:ab', NOW)).toBeDefined();
    await store.saveEdition({ id: 'E3', asOf: '2026-11-20', subject: 'Rebuilt', headline: 'H2', demo: true }, NOW);
    await store.saveSendable('E3', '{"subject":"Rebuilt"}');
    expect(await store.sendable('E3')).toBe('{"subject":"Sent"}');
    expect(await store.edition('E3')).toMatchObject({ subject: 'Sent', demo: 0 });
  });
  it.skipIf(skip)('the desk: a draft is approved or held until its send starts; a rebuild makes it a draft again; each link acts once', async () => {
    const { store, ledger } = db;
    await store.addSubscriber('ann@example.com', 'confirmed', 'cli', NOW);
    await store.saveEdition({ id: 'D1', asOf: '2026-11-20', subject: 'S', headline: 'H', demo: false }, NOW);
    expect(await store.saveDraft('D1', { reviewKey: 'k1', checks: ['a finding'], sendAt: later(7_200_000).toISOString() }, NOW)).toBe(true);
    expect(await store.editionReview('D1')).toMatchObject({ state: 'draft', review_key: 'k1', checks: '["a finding"]', send_at: later(7_200_000).toISOString(), note: null });
    expect(await store.reviewEdition('D1', { decision: 'held', by: 'desk', reason: 'wait for CPI' }, later(1000))).toBe(true);
    expect(await store.editionReview('D1')).toMatchObject({ state: 'held', held_reason: 'wait for CPI', reviewed_by: 'desk', reviewed_at: later(1000).toISOString() });
    expect(await store.reviewEdition('D1', { decision: 'approved', by: 'cli', note: 'My <note>', subject: 'New subject' }, later(2000))).toBe(true);
    expect(await store.editionReview('D1')).toMatchObject({ state: 'approved', note: 'My <note>', subject_override: 'New subject', held_reason: null, reviewed_by: 'cli' });
    // A rebuild (newer data) is a draft again, its note and subject kept; a failed check holds it at once.
    expect(await store.saveDraft('D1', { reviewKey: 'k2', checks: [], sendAt: null, heldBecause: 'a check failed' }, later(3000))).toBe(true);
    expect(await store.editionReview('D1')).toMatchObject({ state: 'held', held_reason: 'a check failed', reviewed_by: 'checks', review_key: 'k2', note: 'My <note>' });
    expect(await store.useReviewLink('D1', 'approve', 'k2', later(4000))).toBe(true);
    expect(await store.useReviewLink('D1', 'approve', 'k2', later(5000))).toBe(false);
    expect(await store.useReviewLink('D1', 'hold', 'k2', later(5000))).toBe(true);
    expect(await store.reviewEdition('nope', { decision: 'held', by: 'cli', reason: 'x' }, NOW)).toBe(false);
    // A held edition is never claimed, whoever asks; approved, it is.
    expect(await ledger.beginAndQueue('D1', 'a', later(6000))).toBeUndefined();
    expect(await ledger.beginEdition('D1', 'a', later(6000))).toBe(false);
    await store.reviewEdition('D1', { decision: 'approved', by: 'cli', note: null, subject: null }, later(6000));
    expect(await ledger.beginAndQueue('D1', 'a', later(6000))).toBe(1);
    expect(await store.editionReview('D1')).toMatchObject({ state: 'sending' });
    expect(await store.reviewEdition('D1', { decision: 'held', by: 'cli', reason: 'too late' }, later(7000))).toBe(false);
    expect(await store.saveDraft('D1', { reviewKey: 'k3', checks: [], sendAt: null }, later(7000))).toBe(false);
    await ledger.completeEdition('D1', later(8000));
    expect((await store.editionReviews()).map((e) => [e.id, e.state])).toEqual([['D1', 'sent']]);
  });

  it.skipIf(skip)("the desk's summaries follow the list and the ledger without counting them again", async () => {
    const { store, ledger } = db;
    const ann = await store.addSubscriber('ann@example.com', 'confirmed', 'cli', NOW);
    const bob = await store.addSubscriber('bob@example.com', 'pending', 'form', NOW);
    const cy = await store.addSubscriber('cy@example.com', 'confirmed', 'import', NOW);
    await store.setSubscriberStatus(bob.id, 'confirmed', later(86_400_000));
    expect(await store.subscriberCounts()).toEqual({ pending: 0, confirmed: 3, unsubscribed: 0, bounced: 0, complained: 0 });
    await store.saveEdition({ id: 'R1', asOf: '2026-11-20', subject: 'S', headline: 'H', demo: false }, NOW);
    await ledger.beginAndQueue('R1', 'a', later(90_000_000));
    const claimed = await ledger.claim('R1', 'a', 10, later(90_000_000));
    await ledger.record(
      'R1',
      [
        { subscriberId: claimed[0]!.subscriber_id, status: 'sent', reply: '250', messageId: '<1@x>' },
        { subscriberId: claimed[1]!.subscriber_id, status: 'sent', reply: '250', messageId: '<2@x>' },
        { subscriberId: claimed[2]!.subscriber_id, status: 'failed', failure: 'ambiguous', reply: 'lost', bounce: false },
      ],
      later(90_000_000),
      3,
    );
    // While it sends, its figures are kept batch by batch, not counted from its rows.
    expect(await store.editionResults()).toMatchObject([{ edition_id: 'R1', recipients: 3, sent: 2, failed: 0, ambiguous: 1, counted_at: null }]);
    await ledger.completeEdition('R1', later(90_001_000));
    const report = { emailHash: 'h', editionId: 'R1', source: 'ses', messageId: '<1@x>', detail: '', action: null, reportId: null };
    await store.addFeedbackEvent({ ...report, subscriberId: ann.id, kind: 'complaint', trust: 'proven' }, later(91_000_000));
    await store.addFeedbackEvent({ ...report, subscriberId: null, kind: 'hard-bounce', trust: 'untrusted' }, later(91_000_000));
    await store.setSubscriberStatus(ann.id, 'complained', later(91_000_000));
    await store.setSubscriberStatus(bob.id, 'unsubscribed', later(92_000_000));
    await store.eraseSubscriber(cy.id, 'h-cy', later(93_000_000));
    expect(await store.subscriberCounts()).toEqual({ pending: 0, confirmed: 0, unsubscribed: 1, bounced: 0, complained: 1 });
    expect(await store.subscriberDays('2026-11-01')).toEqual([
      { day: '2026-11-21', joins: 2, leaves: 0 },
      { day: '2026-11-22', joins: 1, leaves: 3 },
    ]);
    expect(await store.subscriberDays('2026-11-22')).toHaveLength(1);
    expect(await store.editionResults()).toEqual([
      { edition_id: 'R1', recipients: 3, sent: 2, failed: 0, ambiguous: 1, skipped: 0, bounced: 0, complained: 1, unsubscribed: 2, counted_at: later(90_001_000).toISOString() },
    ]);
  });
  it.skipIf(skip)("a sending edition's figures follow its outcomes and a retry of its temporary failures", async () => {
    const { store, ledger } = db;
    for (const email of ['a@example.com', 'b@example.com']) await store.addSubscriber(email, 'confirmed', 'cli', NOW);
    await store.saveEdition({ id: 'T1', asOf: '2026-11-20', subject: 'S', headline: 'H', demo: false }, NOW);
    await ledger.beginAndQueue('T1', 'a', NOW);
    const rows = await ledger.claim('T1', 'a', 10, NOW);
    await ledger.record(
      'T1',
      rows.map((r) => ({ subscriberId: r.subscriber_id, status: 'failed' as const, failure: 'temporary' as const, reply: '451', bounce: false })),
      NOW,
      3,
    );
    expect(await store.editionResults()).toMatchObject([{ edition_id: 'T1', recipients: 2, failed: 2 }]);
    expect(await ledger.requeueTemporary('T1', later(1000))).toBe(2);
    expect(await store.editionResults()).toMatchObject([{ edition_id: 'T1', recipients: 2, failed: 0, sent: 0 }]);
    expect(await ledger.queueAll('T1', later(1000))).toBe(0);
    expect(await store.editionResults()).toMatchObject([{ recipients: 2 }]);
  });
});
