/**
 * One measured scenario per process (so peak RSS is the scenario's own); prints one JSON line.
 *   render                      per-recipient personalisation of the real digest
 *   seed <n> <dir>              a data folder (or DATABASE_URL) with n confirmed subscribers (the CLI's digest then sends to them)
 *   nodemailer <n> <smtpUrl>    the same message through nodemailer, pool of 10, one sendMail per recipient
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { buildEdition } from '../src/edition/build.js';
import { createContext } from '../src/shared/context.js';
import { messageBytes, messageFactory, rawMessage } from '../src/delivery/index.js';
import { loadDkimKey } from '../src/delivery/dkim.js';

const [scenario = 'render', countArg = '10000', target = ''] = process.argv.slice(2);
const seeding = scenario === 'seed';
const smtpUrl = seeding ? '' : target;
const count = Number(countArg);
const dir = seeding ? target : mkdtempSync(join(tmpdir(), 'marketwrap-bench-'));
const configFile = join(dir, 'marketwrap.config.json');
writeFileSync(configFile, JSON.stringify({ delivery: { connections: Number(process.env['BENCH_CONNECTIONS'] ?? 10), messagesPerConnection: 100_000 } }));
const ctx = createContext({
  env: {
    DATA_DIR: join(dir, 'data'),
    CONFIG_FILE: configFile,
    MARKET_DATA: 'demo',
    LOG_LEVEL: 'silent',
    ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}),
    ...(process.env['DATABASE_URL'] ? { DATABASE_URL: process.env['DATABASE_URL'] } : {}),
  },
  clock: () => new Date('2026-11-21T14:00:00Z'),
});

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
const done = (result: object) => {
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(JSON.stringify({ scenario, ...result, peakRssMb: Math.round(peakRss / 1048576) }));
  void ctx.close();
  if (!seeding) rmSync(dir, { recursive: true, force: true });
};

function addSubscribers(n: number) {
  const now = new Date('2026-01-01T00:00:00Z');
  return ctx.store.transaction(async (tx) => {
    for (let i = 0; i < n; i++) await tx.addSubscriber(`reader${i}@bench.example`, 'confirmed', 'import', now);
  });
}

if (seeding) {
  await addSubscribers(count);
  done({ subscribers: count });
} else if (scenario === 'render') {
  const edition = await buildEdition(ctx, {});
  const build = messageFactory(edition, ctx.sender, new Date(), undefined, ctx.proofKey);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    build({ email: `reader${i}@bench.example`, unsubscribeUrl: `https://wrap.example/unsubscribe?token=${i}.0.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ` });
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const size = messageBytes(build({ email: 'x@bench.example', unsubscribeUrl: 'https://wrap.example/u' }));
  // The same with a DKIM signature (RSA-2048, what every receiver verifies): body hash and signing per message.
  const dkim = loadDkimKey({
    DKIM_DOMAIN: 'bench.example',
    DKIM_SELECTOR: 'bench',
    DKIM_PRIVATE_KEY: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  const signed = messageFactory(edition, ctx.sender, new Date(), dkim, ctx.proofKey);
  const signedTimes = Array.from({ length: Math.min(count, 2000) }, (_, i) => {
    const t0 = process.hrtime.bigint();
    signed({ email: `reader${i}@bench.example`, unsubscribeUrl: `https://wrap.example/unsubscribe?token=${i}` });
    return Number(process.hrtime.bigint() - t0) / 1000;
  }).sort((a, b) => a - b);
  done({
    messages: count,
    medianUs: times[Math.floor(count / 2)],
    p99Us: times[Math.floor(count * 0.99)],
    dkimMedianUs: signedTimes[signedTimes.length >> 1],
    messageBytes: size,
    htmlBytes: Buffer.byteLength(edition.html),
  });
} else if (scenario === 'nodemailer') {
  const edition = await buildEdition(ctx, {});
  // The baseline: the very same prepared message, handed to nodemailer's pool one sendMail at a time.
  const transporter = nodemailer.createTransport({
    pool: true,
    host: new URL(smtpUrl).hostname,
    port: Number(new URL(smtpUrl).port),
    secure: false,
    maxConnections: 10,
    maxMessages: 100_000,
  });
  const build = messageFactory(edition, ctx.sender, new Date(), undefined, ctx.proofKey);
  const started = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const message = build({ email: `reader${i}@bench.example`, unsubscribeUrl: `https://wrap.example/unsubscribe?token=${i}` });
      await transporter.sendMail({ envelope: message.envelope, raw: rawMessage(message) });
      sent++;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  transporter.close();
  done({ messages: sent, seconds: Number(seconds.toFixed(2)), perSecond: Math.round(sent / seconds) });
}
