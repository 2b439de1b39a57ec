/**
 * Crash recovery for real: a child process sends an edition to an SMTP server on loopback that
 * counts messages per recipient, and is killed (SIGKILL, or SIGTERM for a clean stop) part-way.
 * `digest --resume` then completes it: nobody gets two, everybody not reported gets exactly one.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext, PROJECT_ROOT } from '../../src/shared/context.js';
import { runCliAsync } from '../helpers/cli.js';
import { FIXED_NOW, OFFLINE_ENV, tempDir, testDatabaseEnv } from '../helpers/context.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

const SUBSCRIBERS = 200;
let sink: SmtpSink | undefined;
afterEach(async () => sink?.close());

async function setup() {
  const dir = tempDir();
  const configFile = join(dir, 'marketwrap.config.json');
  writeFileSync(configFile, JSON.stringify({ delivery: { connections: 4, retryDelaySeconds: 0.05 } }));
  const counts = new Map<string, number>();
  let onMessage: (total: number) => void = () => undefined;
  let total = 0;
  sink = await startSmtpSink({
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) counts.set(r.address, (counts.get(r.address) ?? 0) + 1);
        onMessage(++total);
        // A little latency, as a real server has, so the kill lands with messages in flight.
        setTimeout(() => callback(), 2);
      });
    },
  });
  const env = {
    ...OFFLINE_ENV,
    DATA_DIR: join(dir, 'data'),
    ...testDatabaseEnv(),
    CONFIG_FILE: configFile,
    SMTP_URL: sink.url,
    MARKET_DATA: 'demo',
    LOG_LEVEL: 'silent',
    MARKETWRAP_NOW: FIXED_NOW.toISOString(),
  };
  const ctx = createContext({ env });
  for (let i = 0; i < SUBSCRIBERS; i++) await ctx.subscribers.add(`reader${String(i).padStart(3, '0')}@example.com`);
  const emails = (await ctx.subscribers.recipients()).map((r) => r.email);
  await ctx.close();
  return { env, counts, emails, setOnMessage: (f: (total: number) => void) => (onMessage = f) };
}

function sendAndStop(env: Record<string, string>, setOnMessage: (f: (total: number) => void) => void, stopAt: number, signal: NodeJS.Signals) {
  return new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin/marketwrap.js'), 'digest', '--allow-demo-data'], { env: { PATH: process.env['PATH'] ?? '', ...env } });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    setOnMessage((total) => {
      if (total === stopAt) child.kill(signal);
    });
    child.on('exit', (code) => resolve({ code, stdout }));
  });
}

describe('crash recovery', () => {
  it.each([1, 60, 150])('kill -9 after %i messages, then --resume: exactly one message each, in-flight reported', async (killAt) => {
    const { env, counts, emails, setOnMessage } = await setup();
    const killed = await sendAndStop(env, setOnMessage, killAt, 'SIGKILL');
    expect(killed.code).toBeNull(); // died by the signal, no chance to tidy up
    const before = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(before).toBeGreaterThanOrEqual(killAt);
    expect(before).toBeLessThan(SUBSCRIBERS);
    setOnMessage(() => undefined);

    const resumed = await runCliAsync(['digest', '--resume', '--allow-demo-data', '--json'], env);
    const summary = JSON.parse(resumed.stdout).delivery;
    const reported = new Set<string>(summary.inFlightAtStart);
    // Exit 1 says some deliveries failed: the ambiguous ones, reported by name.
    expect(resumed.status, resumed.stderr).toBe(reported.size > 0 ? 1 : 0);
    expect(reported.size).toBeLessThanOrEqual(summary.ambiguousBound); // the in-flight window plus one unwritten batch
    expect(summary.ambiguousBound).toBe(2 * 2 * 4); // 2 x connections in flight, and a batch no larger
    for (const email of emails) {
      const n = counts.get(email) ?? 0;
      if (reported.has(email)) expect(n, email).toBeLessThanOrEqual(1);
      else expect(n, email).toBe(1);
    }
    expect(summary.queued).toBe(0);
    expect(summary.failures.ambiguous).toBe(reported.size);
  });

  it('SIGTERM stops taking rows, lets in-flight messages finish, and --resume completes the rest', async () => {
    const { env, counts, emails, setOnMessage } = await setup();
    const stopped = await sendAndStop(env, setOnMessage, 40, 'SIGTERM');
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/Interrupted: \d+ left queued; continue with `marketwrap digest --resume`/);
    setOnMessage(() => undefined);
    const resumed = await runCliAsync(['digest', '--resume', '--allow-demo-data', '--json'], env);
    const summary = JSON.parse(resumed.stdout).delivery;
    expect(summary.inFlightAtStart).toEqual([]);
    for (const email of emails) expect(counts.get(email), email).toBe(1);
  });
});
