/**
 * A reader's whole life on the list, in real headless chromium against the real server: subscribe on
 * the page, confirm from the email that arrived over SMTP, receive the digest, leave with one click
 * (RFC 8058), and be skipped by the next digest.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { createContext } from '../../src/shared/context.js';
import { buildServer } from '../../src/web/server.js';
import { launchBrowser, skipBrowser } from '../helpers/browser.js';
import { OFFLINE_ENV, tempDir, testDatabaseEnv } from '../helpers/context.js';
import { freePort } from '../helpers/ports.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

describe.skipIf(skipBrowser)('subscriber journey in chromium', () => {
  let browser: Browser;
  let sink: SmtpSink;
  beforeAll(async () => {
    browser = await launchBrowser();
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await browser?.close();
    await sink?.close();
  });

  it('subscribe, confirm, receive, one-click unsubscribe, skipped next week', async () => {
    const port = await freePort();
    const dir = tempDir();
    let now = new Date('2026-11-21T14:00:00Z');
    const ctx = createContext({
      env: {
        ...OFFLINE_ENV,
        DATA_DIR: join(dir, 'data'),
        ...testDatabaseEnv(),
        CONFIG_FILE: join(dir, 'none.json'),
        SMTP_URL: sink.url,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        MARKET_DATA: 'demo',
        LOG_LEVEL: 'silent',
      },
      clock: () => now,
    });
    const app = buildServer(ctx);
    await app.listen({ port, host: '127.0.0.1' });
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.getByLabel('Your email address').fill('reader@example.com');
      await page.getByRole('button', { name: 'Subscribe' }).click();
      await expect.poll(() => page.textContent('h1')).toBe('Check your inbox');

      await expect.poll(() => sink.received.length).toBe(1); // sent from the confirmation queue
      const confirmation = sink.received[0]!.parsed;
      expect(sink.received[0]!.envelopeTo).toEqual(['reader@example.com']);
      const confirmUrl = /http:\/\/127\.0\.0\.1:\d+\/confirm\?token=[\w.-]+/.exec(confirmation.text ?? '')![0];
      await page.goto(confirmUrl);
      expect((await ctx.store.findSubscriber('reader@example.com'))!.status).toBe('pending'); // opening the link is not consent
      await page.getByRole('button', { name: 'Confirm my subscription' }).click();
      await expect.poll(() => page.textContent('h1')).toBe('You are subscribed');
      expect((await ctx.store.findSubscriber('reader@example.com'))!.status).toBe('confirmed');
      await ctx.subscribers.add('stayer@example.com');

      const first = await weeklyDigest.run(ctx, { allowDemoData: true });
      expect(first.delivery).toMatchObject({ sent: 2, failed: 0 });
      const digest = sink.received.find((r) => r.envelopeTo[0] === 'reader@example.com' && r.parsed.subject?.includes('DEMO'))!;
      const header = digest.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
      const unsubscribeUrl = /<(http[^>]+)>/.exec(header)![1]!;
      expect(unsubscribeUrl.startsWith(`http://127.0.0.1:${port}/unsubscribe?token=`)).toBe(true);

      // What a mail client does for one-click unsubscribe: a POST with no cookie and no login.
      const response = await fetch(unsubscribeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(response.status).toBe(200);
      expect((await ctx.store.findSubscriber('reader@example.com'))!.status).toBe('unsubscribed');

      // The web version of the edition the reader got opens in the browser too.
      await page.goto(`http://127.0.0.1:${port}/editions/${first.editionId}`);
      expect(await page.textContent('body')).toContain('The week in numbers');

      now = new Date('2026-11-28T14:00:00Z');
      const before = sink.received.length;
      const second = await weeklyDigest.run(ctx, { allowDemoData: true });
      expect(second.editionId).toBe('2026-W48');
      expect(second.delivery).toMatchObject({ sent: 1 });
      expect(sink.received.slice(before).map((r) => r.envelopeTo[0])).toEqual(['stayer@example.com']);
      await page.close();
    } finally {
      await app.close();
      await ctx.close();
    }
  });
});
