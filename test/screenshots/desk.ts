/**
 * The desk's screenshots in docs/screenshots/: its pages at 1280 and 375 px, light and dark, signed in on
 * a server with three sent editions, a draft waiting, a list that grew over twelve weeks, a few bounces
 * and clicks. Not a test: run it by hand after changing the desk, `npx tsx test/screenshots/desk.ts docs/screenshots`,
 * and look at what it wrote.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { createContext } from '../../src/shared/context.js';
import { emailHash } from '../../src/subscribers/index.js';
import { buildServer } from '../../src/web/server.js';
import { launchBrowser } from '../helpers/browser.js';
import { ADMIN_TOKEN, saveDraft } from '../helpers/desk.js';
import { freePort } from '../helpers/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-desk-shots-'));
let now = new Date('2026-09-14T14:00:00Z');
const port = await freePort();
writeFileSync(join(dir, 'config.json'), JSON.stringify({ tracking: { clicks: true, perSubscriber: false } }));
const ctx = createContext({
  env: {
    DATA_DIR: join(dir, 'data'),
    OUTBOX_DIR: join(dir, 'outbox'),
    CONFIG_FILE: join(dir, 'config.json'),
    LOG_LEVEL: 'silent',
    MARKET_DATA: 'demo',
    ADMIN_TOKEN,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    YAHOO_BASE_URL: 'http://127.0.0.1:9',
    FRED_BASE_URL: 'http://127.0.0.1:9/fred',
    ALPHAVANTAGE_BASE_URL: 'http://127.0.0.1:9',
  },
  clock: () => now,
});

// Twelve weeks of a list growing, with some leaving: joins and leaves the chart shows.
let n = 0;
for (let week = 0; week < 12; week++) {
  now = new Date(Date.parse('2026-09-14T14:00:00Z') + week * 7 * 86_400_000);
  for (let i = 0; i < 6 + ((week * 7) % 11); i++) await ctx.subscribers.add(`reader${++n}@example.com`);
  for (let i = 0; i < week % 4; i++) await ctx.subscribers.remove(`reader${n - 2 * i - 1}@example.com`);
  if (week === 9 || week === 10 || week === 11) await weeklyDigest.run(ctx, { allowDemoData: true });
}
for (const email of ['ada@example.org', 'adam@example.org']) await ctx.subscribers.subscribe(email);
const sent = (await ctx.store.sentEditions())[0]!;
for (const [kind, source, email, detail] of [
  ['hard-bounce', 'postmark', 'reader3@example.com', '550 5.1.1 The email account that you tried to reach does not exist.'],
  ['complaint', 'ses', 'reader8@example.com', 'abuse report (feedback-type: abuse) from the mailbox provider'],
  ['soft-bounce', 'mailbox', 'reader12@example.com', '452 4.2.2 Mailbox full'],
] as const) {
  const subscriber = await ctx.store.findSubscriber(email);
  if (kind !== 'soft-bounce') await ctx.store.setSubscriberStatus(subscriber!.id, kind === 'complaint' ? 'complained' : 'bounced', now);
  await ctx.store.addFeedbackEvent(
    {
      subscriberId: subscriber!.id,
      emailHash: emailHash(email),
      editionId: sent.id,
      kind,
      source,
      messageId: null,
      detail,
      trust: 'proven',
      action: kind === 'soft-bounce' ? null : kind === 'complaint' ? 'complained' : 'bounced',
      reportId: null,
    },
    now,
  );
}
for (const [url, clicks] of [
  [`http://127.0.0.1:${port}/editions/${sent.id}`, 41],
  ['https://www.federalreserve.gov/newsevents/calendar.htm', 17],
] as const)
  for (let i = 0; i < clicks; i++) await ctx.store.countClick(sent.id, url, null);
// The closes cache as live data leaves it: one source that stopped updating a fortnight ago.
const sessions = (to: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({ date: new Date(Date.parse(to) - i * 86_400_000).toISOString().slice(0, 10), close: 100 + i })).reverse();
for (const [source, to] of [
  ['yahoo:^GSPC', '2026-12-04'],
  ['yahoo:^RUT', '2026-12-04'],
  ['fred:DGS2', '2026-12-03'],
  ['alphavantage:XLE', '2026-11-20'],
] as const)
  await ctx.store.saveCloses(source, sessions(to, 300), now);
// The next edition, built ahead and waiting for the publisher.
now = new Date('2026-12-05T12:00:00Z');
await saveDraft(ctx, '2026-12-05T14:00:00.000Z');

const app = buildServer(ctx);
await app.listen({ port, host: '127.0.0.1' });
const base = `http://127.0.0.1:${port}`;
const browser = await launchBrowser();
const out = process.argv[2] ?? dir;
const pages = { next: '/admin', editions: '/admin/editions', list: '/admin/list?q=reader1', subscriber: '/admin/subscribers/3', feedback: '/admin/feedback', data: '/admin/data' };
for (const width of [1280, 375])
  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width, height: width === 375 ? 740 : 860 }, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(`${base}/admin/login`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/admin`);
    for (const [name, url] of Object.entries(pages)) {
      await page.goto(`${base}${url}`);
      // The previews load lazily: scroll them into view so the picture shows them.
      if (name === 'next') await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(out, `desk-${name}-${width}-${scheme}.png`), fullPage: name === 'next' && width === 1280 });
    }
    await context.close();
  }
await browser.close();
await app.close();
await ctx.close();
rmSync(dir, { recursive: true, force: true });
