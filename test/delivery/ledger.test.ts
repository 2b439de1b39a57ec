import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { isRefusal } from '../../src/shared/errors.js';
import { createContext } from '../../src/shared/context.js';
import { memoryState, tokenBucket } from '../../src/delivery/index.js';
import { OFFLINE_ENV, tempDir, testContext, tickingClock, FIXED_NOW, testDatabaseEnv } from '../helpers/context.js';
import { startDroppingSmtp, type DroppingServer } from '../helpers/flaky-smtp.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let sink: SmtpSink | undefined;
let dropping: DroppingServer | undefined;
afterEach(async () => {
  await sink?.close();
  await dropping?.close();
  sink = undefined;
  dropping = undefined;
});

const send = { allowDemoData: true };

function config(delivery: Record<string, unknown>): string {
  const file = join(tempDir(), 'marketwrap.config.json');
  writeFileSync(file, JSON.stringify({ delivery: { retryDelaySeconds: 0.05, connections: 2, ...delivery } }));
  return file;
}

/** SMTP replies by recipient: "4xx" answers temporary failures `times` times, "5xx" always fails. */
function replies(rules: Record<string, { code: number; times?: number }>) {
  const seen = new Map<string, number>();
  return {
    onRcptTo(address: { address: string }, _session: unknown, callback: (err?: Error | null) => void) {
      const rule = rules[address.address];
      const n = (seen.get(address.address) ?? 0) + 1;
      seen.set(address.address, n);
      if (rule && (rule.times === undefined || n <= rule.times)) {
        return callback(Object.assign(new Error(rule.code >= 500 ? 'No such user here' : 'Greylisted, try later'), { responseCode: rule.code }));
      }
      callback();
    },
  };
}

describe('delivery ledger', () => {
  it('retries 4xx with backoff and then delivers; gives up after maxAttempts', async () => {
    sink = await startSmtpSink(replies({ 'grey@example.com': { code: 451, times: 2 }, 'down@example.com': { code: 421 } }));
    const ctx = testContext({ SMTP_URL: sink.url, CONFIG_FILE: config({ maxAttempts: 3 }) });
    for (const e of ['grey@example.com', 'down@example.com', 'ok@example.com']) await ctx.subscribers.add(e);
    const { delivery } = await weeklyDigest.run(ctx, send);
    expect(delivery).toMatchObject({ sent: 2, failed: 1, failures: { temporary: 1, permanent: 0, ambiguous: 0 }, queued: 0 });
    const grey = await ctx.store.delivery('2026-W47', (await ctx.store.findSubscriber('grey@example.com'))!.id)!;
    expect(grey).toMatchObject({ status: 'sent', attempts: 3 });
    expect(await ctx.store.delivery('2026-W47', (await ctx.store.findSubscriber('down@example.com'))!.id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      last_reply: expect.stringMatching(/^421/),
    });
    expect(sink.received.map((r) => r.envelopeTo[0]).sort()).toEqual(['grey@example.com', 'ok@example.com']);
  });

  it('--retry-failed retries the temporary failures, and only them', async () => {
    sink = await startSmtpSink(replies({ 'later@example.com': { code: 450, times: 1 }, 'gone@example.com': { code: 550 } }));
    const ctx = testContext({ SMTP_URL: sink.url, CONFIG_FILE: config({ maxAttempts: 1 }) });
    for (const e of ['later@example.com', 'gone@example.com', 'ok@example.com']) await ctx.subscribers.add(e);
    expect((await weeklyDigest.run(ctx, send)).delivery).toMatchObject({ sent: 1, failures: { temporary: 1, permanent: 1 } });
    const retried = await weeklyDigest.run(ctx, { ...send, retryFailed: true });
    expect(retried.delivery).toMatchObject({ sent: 2, failures: { temporary: 0, permanent: 1 } });
    const counts = new Map<string, number>();
    for (const r of sink.received) counts.set(r.envelopeTo[0]!, (counts.get(r.envelopeTo[0]!) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ 'ok@example.com': 1, 'later@example.com': 1 });
  });

  it('5xx fails at once; after hardBounceLimit permanent failures the subscriber is bounced', async () => {
    sink = await startSmtpSink(replies({ 'gone@example.com': { code: 550 } }));
    const ctx = testContext({ SMTP_URL: sink.url, CONFIG_FILE: config({ hardBounceLimit: 2 }) });
    await ctx.subscribers.add('gone@example.com');
    await ctx.subscribers.add('ok@example.com');
    const first = await weeklyDigest.run(ctx, send);
    expect(first.delivery).toMatchObject({ failures: { permanent: 1 } });
    expect((await ctx.store.delivery('2026-W47', (await ctx.store.findSubscriber('gone@example.com'))!.id))!.attempts).toBe(1);
    expect((await ctx.store.findSubscriber('gone@example.com'))!.status).toBe('confirmed');
    await weeklyDigest.run(ctx, { ...send, newEdition: true });
    expect((await ctx.store.findSubscriber('gone@example.com'))!.status).toBe('bounced');
    // A third edition does not even try.
    const third = await weeklyDigest.run(ctx, { ...send, newEdition: true });
    expect(third.editionId).toBe('2026-W47-3');
    expect(third.delivery).toMatchObject({ total: 1, sent: 1 });
  });

  it('a connection lost after DATA is ambiguous: recorded, reported, not resent by default', async () => {
    dropping = await startDroppingSmtp();
    const ctx = testContext({ SMTP_URL: dropping.url, CONFIG_FILE: config({ connections: 1 }) });
    await ctx.subscribers.add('maybe@example.com');
    const { delivery } = await weeklyDigest.run(ctx, send);
    expect(delivery).toMatchObject({ sent: 0, failures: { ambiguous: 1 } });
    expect(dropping.received).toBe(1);
    expect(delivery!.failedRecipients[0]).toMatchObject({ email: 'maybe@example.com', failure: 'ambiguous' });
  });

  it('the same edition triggered twice at once (two processes on one database) goes out once', async () => {
    sink = await startSmtpSink();
    const dir = tempDir();
    const env = { ...OFFLINE_ENV, DATA_DIR: join(dir, 'data'), ...testDatabaseEnv(), CONFIG_FILE: config({}), SMTP_URL: sink.url, MARKET_DATA: 'demo', LOG_LEVEL: 'silent' };
    const a = createContext({ env, clock: tickingClock(FIXED_NOW) });
    const b = createContext({ env, clock: tickingClock(FIXED_NOW) });
    try {
      for (let i = 0; i < 30; i++) await a.subscribers.add(`r${i}@example.com`);
      const results = await Promise.allSettled([weeklyDigest.run(a, send), weeklyDigest.run(b, send)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(isRefusal(refused.reason), String(refused.reason)).toBe(true);
      expect(sink.received).toHaveLength(30);
      expect(new Set(sink.received.map((r) => r.envelopeTo[0])).size).toBe(30);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('--new-edition is needed for a second edition of the same week, with its own ids', async () => {
    sink = await startSmtpSink();
    const ctx = testContext({ SMTP_URL: sink.url, CONFIG_FILE: config({}) });
    await ctx.subscribers.add('ann@example.com');
    await weeklyDigest.run(ctx, send);
    await expect(weeklyDigest.run(ctx, send)).rejects.toThrow(/--new-edition/);
    const second = await weeklyDigest.run(ctx, { ...send, newEdition: true });
    expect(second.editionId).toBe('2026-W47-2');
    expect(sink.received.map((r) => r.parsed.messageId)).toEqual([expect.stringMatching(/^<2026-W47\./), expect.stringMatching(/^<2026-W47-2\./)]);
  });

  it('skips a subscriber who left after the send was queued', async () => {
    sink = await startSmtpSink();
    const ctx = testContext({ SMTP_URL: sink.url, CONFIG_FILE: config({}) });
    await ctx.subscribers.add('stay@example.com');
    const leaver = await ctx.subscribers.add('leave@example.com');
    const stop = new AbortController();
    stop.abort(); // queue everything, send nothing
    const interrupted = await weeklyDigest.run(ctx, { ...send, signal: stop.signal });
    expect(interrupted.delivery).toMatchObject({ interrupted: true, queued: 2, sent: 0 });
    await ctx.store.setSubscriberStatus(leaver.id, 'unsubscribed', new Date());
    const resumed = await weeklyDigest.run(ctx, { ...send, resume: true });
    expect(resumed.delivery).toMatchObject({ sent: 1, skipped: 1, queued: 0 });
    expect(sink.received.map((r) => r.envelopeTo[0])).toEqual(['stay@example.com']);
  });
});

describe('rate limit', () => {
  it('counts sends exactly, per second and per hour', async () => {
    let t = 0;
    const waits: number[] = [];
    const bucket = tokenBucket(
      5,
      12,
      memoryState(),
      'test',
      () => t,
      async (ms) => {
        waits.push(ms);
        t += ms;
      },
    );
    const at: number[] = [];
    for (let i = 0; i < 14; i++) {
      await bucket.take();
      at.push(t);
    }
    // 5 at once, then one every 200 ms until the hourly 12 are spent, then one every 300 s.
    expect(at.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(at.slice(5, 12).map((x, i) => x - (i + 1) * 200)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(at[12]).toBeGreaterThanOrEqual(300_000 - 1);
    expect(at[13]! - at[12]!).toBeGreaterThanOrEqual(300_000 - 1);
  });
});
