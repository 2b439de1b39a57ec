/**
 * One measured scenario per process (so peak RSS is the scenario's own); prints one JSON line.
 *   render                      per-recipient personalisation of the real digest
 *   send <n> <smtpUrl>          marketwrap's send of the digest to n subscribers
 *   nodemailer <n> <smtpUrl>    plain nodemailer, pool of 10, one sendMail per recipient
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { weeklyDigest } from '../jobs/weekly-digest.js';
import { buildEdition } from '../src/build.js';
import { createContext } from '../src/context.js';
import { messageBytes, messageFactory } from '../src/delivery/index.js';
import { personalizer } from '../src/render/index.js';

const [scenario = 'render', countArg = '10000', smtpUrl = ''] = process.argv.slice(2);
const count = Number(countArg);
const dir = mkdtempSync(join(tmpdir(), 'marketwrap-bench-'));
const configFile = join(dir, 'marketwrap.config.json');
writeFileSync(configFile, JSON.stringify({ delivery: { connections: Number(process.env['BENCH_CONNECTIONS'] ?? 10), messagesPerConnection: 100_000 } }));
const ctx = createContext({
  env: { DATA_DIR: join(dir, 'data'), CONFIG_FILE: configFile, MARKET_DATA: 'demo', LOG_LEVEL: 'silent', ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}) },
  clock: () => new Date('2026-11-21T14:00:00Z'),
});

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
const done = (result: object) => {
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(JSON.stringify({ scenario, ...result, peakRssMb: Math.round(peakRss / 1048576) }));
  ctx.close();
  rmSync(dir, { recursive: true, force: true });
};

function addSubscribers(n: number) {
  const insert = ctx.db.prepare("INSERT INTO subscribers (email, status, consent_source, created_at, status_changed_at) VALUES (?, 'confirmed', 'import', ?, ?)");
  ctx.db.transaction(() => {
    for (let i = 0; i < n; i++) insert.run(`reader${i}@bench.example`, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
  })();
}

const edition = await buildEdition(ctx, {});
if (scenario === 'render') {
  const build = messageFactory(edition, ctx.sender);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    build({ email: `reader${i}@bench.example`, unsubscribeUrl: `https://wrap.example/unsubscribe?token=${i}.0.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ` });
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const size = messageBytes(build({ email: 'x@bench.example', unsubscribeUrl: 'https://wrap.example/u' }));
  done({ messages: count, medianUs: times[Math.floor(count / 2)], p99Us: times[Math.floor(count * 0.99)], messageBytes: size, htmlBytes: Buffer.byteLength(edition.html) });
} else if (scenario === 'send') {
  addSubscribers(count);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await weeklyDigest.run(ctx, { allowDemoData: true });
  const seconds = (performance.now() - started) / 1000;
  const sendSeconds = (result.delivery?.durationMs ?? 0) / 1000;
  const used = process.cpuUsage(cpu);
  done({
    messages: result.delivery?.sent, failed: result.delivery?.failed, jobSeconds: Number(seconds.toFixed(2)),
    seconds: Number(sendSeconds.toFixed(2)), perSecond: Math.round((result.delivery?.sent ?? 0) / sendSeconds),
    cpuPercent: Math.round(((used.user + used.system) / 1e6 / seconds) * 100),
  });
} else if (scenario === 'nodemailer') {
  // The naive way, for comparison: every recipient's message composed and encoded from scratch.
  const transporter = nodemailer.createTransport({ pool: true, host: new URL(smtpUrl).hostname, port: Number(new URL(smtpUrl).port), secure: false, maxConnections: 10, maxMessages: 100_000 });
  const html = personalizer(edition.html, 'html');
  const text = personalizer(edition.text, 'text');
  const started = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const fields = { email: `reader${i}@bench.example`, unsubscribeUrl: `https://wrap.example/unsubscribe?token=${i}` };
      await transporter.sendMail({ from: ctx.sender.email, to: fields.email, subject: edition.subject, html: html(fields), text: text(fields) });
      sent++;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  transporter.close();
  done({ messages: sent, seconds: Number(seconds.toFixed(2)), perSecond: Math.round(sent / seconds) });
}
