/**
 * The desk's pages on a big list: `tsx bench/desk.ts <n>` seeds n subscribers (a tenth of them gone,
 * and one sent edition with a delivery row each), signs in, and prints the median time of each page
 * over five requests as one JSON line. The pages read summaries and indexes, never a count over the list.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEditionFiles } from '../src/edition/archive.js';
import { buildEdition } from '../src/edition/build.js';
import { createContext } from '../src/shared/context.js';
import { buildServer } from '../src/web/server.js';

const count = Number(process.argv[2] ?? '100000');
const dir = mkdtempSync(join(tmpdir(), 'marketwrap-bench-desk-'));
const ADMIN_TOKEN = 'b'.repeat(32);
let now = new Date('2026-10-01T00:00:00Z');
writeFileSync(join(dir, 'config.json'), '{}');
const ctx = createContext({
  env: {
    DATA_DIR: join(dir, 'data'),
    CONFIG_FILE: join(dir, 'config.json'),
    MARKET_DATA: 'demo',
    LOG_LEVEL: 'silent',
    ADMIN_TOKEN,
    ...(process.env['DATABASE_URL'] ? { DATABASE_URL: process.env['DATABASE_URL'] } : {}),
  },
  clock: () => now,
});

const seedStart = performance.now();
// Joins spread over eight weeks, a tenth leaving: the summary tables the list page reads fill as it goes.
await ctx.store.transaction(async (tx) => {
  for (let i = 0; i < count; i++) {
    const joined = new Date(Date.parse('2026-10-01T00:00:00Z') + Math.floor((i / count) * 56) * 86_400_000);
    const row = await tx.addSubscriber(`reader${i}@bench.example`, 'confirmed', 'import', joined);
    if (i % 10 === 9) await tx.setSubscriberStatus(row.id, 'unsubscribed', new Date(joined.getTime() + 86_400_000));
  }
});
now = new Date('2026-11-21T14:00:00Z');
const built = await buildEdition(ctx, {});
writeEditionFiles(built, ctx.editionsDir);
await ctx.store.saveEdition({ id: built.id, asOf: built.asOf, subject: built.subject, headline: built.commentary.headline, demo: true }, now);
await ctx.ledger.beginAndQueue(built.id, 'bench', now);
await ctx.ledger.completeEdition(built.id, now);
const seedSeconds = (performance.now() - seedStart) / 1000;

const app = buildServer(ctx, { subscribeLimit: { limit: 1000, windowMs: 60_000 } });
const form = await app.inject({ url: '/admin/login' });
const formToken = /name="form_token" value="([^"]+)"/.exec(form.body)![1]!;
const signIn = await app.inject({
  method: 'POST',
  url: '/admin/login',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({ form_token: formToken, token: ADMIN_TOKEN }).toString(),
});
const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
const pages = {
  next: '/admin',
  editions: '/admin/editions',
  list: '/admin/list',
  search: '/admin/list?q=reader99999',
  subscriber: `/admin/subscribers/${Math.ceil(count / 2)}`,
  feedback: '/admin/feedback',
  data: '/admin/data',
};
const medians: Record<string, number> = {};
for (const [name, url] of Object.entries(pages)) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const res = await app.inject({ url, headers: { cookie } });
    times.push(performance.now() - t0);
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
  }
  medians[name] = Number(times.sort((a, b) => a - b)[2]!.toFixed(1));
}
console.log(JSON.stringify({ subscribers: count, seedSeconds: Number(seedSeconds.toFixed(1)), pagesMs: medians }));
await app.close();
await ctx.close();
rmSync(dir, { recursive: true, force: true });
