/**
 * Several senders on one PostgreSQL ledger (`marketwrap worker`), as real processes against a real
 * server and a real SMTP sink on loopback: the list is shared without overlap, a worker killed with
 * SIGKILL costs at most its own messages in flight (reported), and the rates hold for all together.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/shared/context.js';
import type { DeliverySummary } from '../../src/delivery/index.js';
import { type RunningCli, runCliAsync, startCli } from '../helpers/cli.js';
import { OFFLINE_ENV, tempDir } from '../helpers/context.js';
import { type CountingSmtp, startCountingSmtp } from '../helpers/counting-smtp.js';
import { hasPostgres, type Postgres, startPostgres } from '../helpers/postgres.js';

let server: Postgres | undefined;
let sink: CountingSmtp | undefined;
const running: RunningCli[] = [];
beforeAll(async () => {
  if (!process.env['TEST_DATABASE_URL'] && hasPostgres) server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());
afterEach(async () => {
  for (const r of running.splice(0)) r.child.kill('SIGKILL');
  await sink?.close();
});

/** A list of `n` subscribers on a fresh schema, and the environment each process gets (its own DATA_DIR). */
async function list(n: number, delivery: object, databaseUrl = process.env['TEST_DATABASE_URL'] ?? server!.url) {
  sink = await startCountingSmtp();
  const dir = tempDir();
  const config = join(dir, 'marketwrap.config.json');
  writeFileSync(config, JSON.stringify({ delivery: { connections: 2, ...delivery } }));
  const shared = {
    ...OFFLINE_ENV,
    DATABASE_URL: `${databaseUrl}?schema=w_${randomBytes(6).toString('hex')}`,
    SMTP_URL: sink.url,
    CONFIG_FILE: config,
    SECRET_KEY: 'k'.repeat(40),
    MARKET_DATA: 'demo',
    LOG_LEVEL: 'silent',
  };
  const envFor = (name: string) => ({ ...shared, DATA_DIR: join(dir, name, 'data'), OUTBOX_DIR: join(dir, name, 'outbox') });
  const ctx = createContext({ env: envFor('publisher') });
  const emails = Array.from({ length: n }, (_, i) => `reader${i}@example.com`);
  await ctx.store.transaction(async (tx) => {
    for (const email of emails) await tx.addSubscriber(email, 'confirmed', 'import', new Date());
  });
  await ctx.close();
  // The publisher builds and queues the edition; the workers, with DATA_DIRs of their own, send it.
  const queued = await runCliAsync(['digest', '--queue-only', '--allow-demo-data', '--json', '--as-of', '2026-11-20'], envFor('publisher'));
  expect(queued.status, queued.stderr).toBe(0);
  expect(JSON.parse(queued.stdout).note).toMatch(new RegExp(`queued for ${n} subscribers`));
  return { emails, envFor, sink };
}

function worker(env: Record<string, string>): RunningCli {
  const run = startCli(['worker', '--once', '--poll', '0.2', '--json'], env);
  running.push(run);
  return run;
}

const passes = (stdout: string): Array<DeliverySummary & { editionId: string }> =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));

const until = async (condition: () => boolean, timeoutMs: number) => {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out (${sink?.acceptedAt.length} accepted)`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

// Debian's postgresql package, which .ci/run installs, is what these need.
describe.skipIf(!hasPostgres && !process.env['TEST_DATABASE_URL'])('several senders on one PostgreSQL ledger', () => {
  it('three workers send 20,000 messages; one killed mid-send: exactly one each but the reported in-flight ones', async () => {
    const { emails, envFor, sink } = await list(20_000, {});
    const workers = ['one', 'two', 'three'].map((name) => worker(envFor(name)));
    await until(() => sink.acceptedAt.length >= 6000, 120_000);
    workers[1]!.child.kill('SIGKILL');
    const [first, , third] = await Promise.all(workers.map((w) => w.done));
    expect(workers[1]!.child.signalCode).toBe('SIGKILL');
    expect(first!.status, first!.stderr).toBe(1); // 1: some deliveries are ambiguous (the killed worker's in flight)
    expect(third!.status, third!.stderr).toBe(1);
    const survivors = [...passes(first!.stdout), ...passes(third!.stdout)];
    const reported = new Set(survivors.flatMap((p) => p.inFlightAtStart));
    const bound = survivors[0]!.ambiguousBound;
    expect(reported.size).toBeGreaterThan(0);
    expect(reported.size).toBeLessThanOrEqual(bound);
    for (const email of emails) {
      const n = sink.counts.get(email) ?? 0;
      if (reported.has(email)) expect(n, email).toBeLessThanOrEqual(1);
      else expect(n, email).toBe(1);
    }
    const last = survivors.at(-1)!;
    expect(last).toMatchObject({ total: 20_000, queued: 0, sending: 0 });
    expect(last.sent + last.failures.ambiguous).toBe(20_000);
    expect(last.failures.ambiguous).toBe(reported.size);
  }, 240_000);

  it('PostgreSQL lost mid-send: each worker stops with one line; restarted, the send resumes with no duplicate and the rest reported', async () => {
    // A cluster of its own, whatever the suite runs on: this one is crashed and restarted.
    const own = await startPostgres();
    try {
      const { emails, envFor, sink } = await list(8000, { connections: 4 }, own.url);
      const workers = ['one', 'two', 'three', 'four', 'five'].map((name) => worker(envFor(name)));
      await until(() => sink.acceptedAt.length >= 1500, 120_000);
      own.crash();
      for (const { status, stderr } of await Promise.all(workers.map((w) => w.done))) {
        expect(status, stderr).toBe(1);
        expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
        expect(stderr).toMatch(
          /^marketwrap: lost PostgreSQL at postgres:\/\/marketwrap@127\.0\.0\.1:\d+\/postgres \(.+\): nothing committed is lost; when it is back, run the command again/,
        );
      }
      const sentWhileDown = sink.acceptedAt.length;
      expect(sentWhileDown).toBeLessThan(8000);
      own.restart();
      const resumed = await Promise.all(['six', 'seven'].map((name) => worker(envFor(name)).done));
      const passes_ = resumed.flatMap((r) => passes(r.stdout));
      const reported = new Set(passes_.flatMap((p) => p.inFlightAtStart));
      for (const email of emails) {
        const n = sink.counts.get(email) ?? 0;
        if (reported.has(email)) expect(n, email).toBeLessThanOrEqual(1);
        else expect(n, email).toBe(1);
      }
      // Read once both are done (either may have finished last).
      const ctx = createContext({ env: envFor('check') });
      const counts = await ctx.ledger.counts(passes_[0]!.editionId);
      await ctx.close();
      expect(counts).toMatchObject({ total: 8000, queued: 0, sending: 0, failedTemporary: 0, failedPermanent: 0, failedAmbiguous: reported.size, sent: 8000 - reported.size });
    } finally {
      own.stop();
    }
  }, 240_000);

  it('ratePerSecond holds for all workers together, not for each', async () => {
    const { sink, envFor } = await list(600, { ratePerSecond: 100 });
    const workers = ['one', 'two', 'three'].map((name) => worker(envFor(name)));
    const results = await Promise.all(workers.map((w) => w.done));
    for (const r of results) expect(r.status, r.stderr).toBe(0);
    const at = sink.acceptedAt;
    expect(at).toHaveLength(600);
    // A bucket of 100 a second that starts full: 600 take at least 5 s (three separate limits: under 2 s).
    expect(at.at(-1)! - at[0]!).toBeGreaterThan(4500);
    // Tokens go at most the bucket (100) plus one second's refill (100) in any second; seen at the sink,
    // delivery jitter can squeeze a few more into a second, so 10% of slack (three separate limits: 600).
    const busiest = Math.max(...at.map((t, i) => at.slice(i).findIndex((u) => u > t + 1000)).map((n, i) => (n < 0 ? at.length - i : n)));
    expect(busiest).toBeLessThanOrEqual(220);
  }, 120_000);

  it("ratePerHour holds for all workers together: the hour's 150 go, the rest wait", async () => {
    const { sink, envFor } = await list(400, { ratePerHour: 150 });
    const workers = ['one', 'two', 'three'].map((name) => worker(envFor(name)));
    await until(() => sink.acceptedAt.length >= 150, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(sink.acceptedAt).toHaveLength(150);
    for (const w of workers) w.child.kill('SIGTERM');
    const results = await Promise.all(workers.map((w) => w.done));
    // Stopped by the signal with rows still queued: 130 each, and the ledger holds the rest.
    for (const r of results) expect(r.status, r.stderr).toBe(130);
    expect(passes(results.map((r) => r.stdout).join('\n')).at(-1)).toMatchObject({ interrupted: true });
    // The messages they were waiting to send went back to the queue untried.
    const ctx = createContext({ env: envFor('check') });
    expect(await ctx.ledger.counts('2026-W47')).toMatchObject({ sent: 150, queued: 250, sending: 0 });
    await ctx.close();
  }, 120_000);
});
