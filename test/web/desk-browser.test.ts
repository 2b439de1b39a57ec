/// <reference lib="dom" />
/**
 * The desk in real chromium against the real server on loopback: sign-in with the admin token and with
 * a link emailed through a loopback SMTP server (once only), approve a draft, search, import, every page
 * refused without a session and every form without its CSRF token, and nothing serious or critical for
 * axe-core in light and dark. Skipped when chromium is missing (not in CI, where it must be there).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Context, createContext } from '../../src/shared/context.js';
import { buildServer } from '../../src/web/server.js';
import { CHROMIUM, launchBrowser, skipBrowser, seriousAxeViolations } from '../helpers/browser.js';
import { FIXED_NOW, OFFLINE_ENV, testDatabaseEnv, tickingClock } from '../helpers/context.js';
import { ADMIN_TOKEN, DESK_PAGES, saveDraft } from '../helpers/desk.js';
import { freePort } from '../helpers/ports.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';

const PUBLISHER = 'publisher@example.com';

describe.skipIf(skipBrowser)(skipBrowser ? `the desk in chromium: skipped, no chromium at ${CHROMIUM} (set CHROMIUM_PATH)` : 'the desk in chromium', () => {
  let browser: Browser;
  let sink: SmtpSink;
  let ctx: Context;
  let app: ReturnType<typeof buildServer>;
  let base: string;
  let draftId: string;
  let dir: string;

  beforeAll(async () => {
    [browser, sink] = await Promise.all([launchBrowser(), startSmtpSink()]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Not testContext: its context and directory go after each test, and this server serves them all.
    dir = mkdtempSync(join(tmpdir(), 'marketwrap-desk-'));
    ctx = createContext({
      env: {
        ...OFFLINE_ENV,
        ...testDatabaseEnv(),
        DATA_DIR: join(dir, 'data'),
        OUTBOX_DIR: join(dir, 'outbox'),
        CONFIG_FILE: join(dir, 'none.json'),
        LOG_LEVEL: 'silent',
        MARKET_DATA: 'demo',
        ADMIN_TOKEN,
        PUBLISHER_EMAIL: PUBLISHER,
        SMTP_URL: sink.url,
        PUBLIC_URL: base,
      },
      clock: tickingClock(FIXED_NOW),
    });
    for (const email of ['ann@example.com', 'anna@example.com', 'bob@example.com']) await ctx.subscribers.add(email);
    draftId = await saveDraft(ctx);
    // Many sign-ins from one address in a few seconds: more than the site's limit allows a person.
    app = buildServer(ctx, { subscribeLimit: { limit: 100, windowMs: 60_000 } });
    await app.listen({ port, host: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await sink?.close();
    await ctx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh browser profile (no cookies), signed in with the admin token through the form. */
  async function signedIn(options: { bypassCSP?: boolean; colorScheme?: 'light' | 'dark' } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    const page = await context.newPage();
    await page.goto(`${base}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/admin`);
    return { context, page };
  }

  it('signs in with the token, then approves the draft with a note and a subject', async () => {
    const { context, page } = await signedIn();
    const cookie = (await context.cookies()).find((c) => c.name === 'marketwrap_desk')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
    expect(await page.locator('h1').textContent()).toBe((await ctx.store.editionReview(draftId))!.subject);
    expect(await page.locator('iframe').evaluateAll((frames) => frames.map((f) => (f as HTMLIFrameElement).width))).toEqual(['375', '600']);
    // The preview really renders inside its frame (the framing rules let the desk, and only it, show it).
    const frame = page.frameLocator('iframe[width="375"]');
    await expect(frame.locator('body').textContent()).resolves.toMatch(/THE WEEK IN NUMBERS|S&P 500/i);
    await page.getByLabel('Subject').fill('My subject for the week');
    await page.getByLabel(/A note above the lede/).fill('CPI comes out on Wednesday.');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${base}/admin/editions/${draftId}`);
    expect(await page.locator('.tag').first().textContent()).toBe('approved');
    expect(await ctx.store.editionReview(draftId)).toMatchObject({ state: 'approved', subject_override: 'My subject for the week', note: 'CPI comes out on Wednesday.' });
    await context.close();
  }, 60_000);

  it('signs in with a link emailed to the publisher, which works once', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/admin/login`);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/sign-in link is on its way/);
    // The publisher also got the draft's review email when it was built: the sign-in link is the other one.
    const signInMails = () => sink.received.filter((m) => m.parsed.subject?.startsWith('Sign in to the desk'));
    await expect.poll(() => signInMails().length, { timeout: 10_000 }).toBe(1);
    const mail = signInMails()[0]!;
    expect(mail.envelopeTo).toEqual([PUBLISHER]);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/admin\/login\/link\?token=[\w.-]+)/.exec(String(mail.parsed.text))![1]!;
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/admin`);
    expect(await page.getByRole('navigation', { name: 'Desk' }).isVisible()).toBe(true);
    // A second use (a forwarded email, a replay) is refused.
    const other = await (await browser.newContext()).newPage();
    await other.goto(link);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await expect(other.getByRole('status').textContent()).resolves.toMatch(/expired or was used already/);
    expect(new URL(other.url()).pathname).toBe('/admin/login/link');
    await context.close();
  }, 60_000);

  it('searches the list and opens a subscriber; imports a CSV after its preview', async () => {
    const { context, page } = await signedIn();
    await page.goto(`${base}/admin/list`);
    await page.getByLabel(/Address/).fill('ann');
    await page.getByRole('button', { name: 'Search' }).click();
    expect(await page.locator('table a').allTextContents()).toEqual(['ann@example.com', 'anna@example.com']);
    await page.getByRole('link', { name: 'anna@example.com' }).click();
    expect(await page.locator('h1').textContent()).toBe('anna@example.com');

    await page.goto(`${base}/admin/import`);
    await page.getByLabel(/Paste a CSV/).fill('email\ncy@example.com\nann@example.com\nnot-an-address\n');
    await page.getByRole('button', { name: 'Preview' }).click();
    expect(await page.locator('.cards div').allTextContents()).toEqual(['1to add, confirmed', '1already on the list', '1refused']);
    expect(await ctx.store.findSubscriber('cy@example.com')).toBeUndefined();
    await page.getByRole('button', { name: 'Import 1 addresses' }).click();
    expect(await page.locator('.cards div').first().textContent()).toBe('1added, confirmed');
    expect(await ctx.store.findSubscriber('cy@example.com')).toMatchObject({ status: 'confirmed', consent_source: 'import' });
    await context.close();
  }, 60_000);

  it('refuses every page without a session, and every form without its CSRF token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const url of DESK_PAGES) {
      await page.goto(`${base}${url}`);
      expect(new URL(page.url()).pathname, url).toBe('/admin/login');
    }
    await context.close();
    const { context: signed } = await signedIn();
    for (const url of ['/admin/import/preview', '/admin/subscribers/1/status', `/admin/editions/${draftId}/hold`]) {
      const res = await signed.request.post(`${base}${url}`, { form: { csv: 'x@example.com', action: 'erase', reason: 'x', csrf: 'not-the-token' } });
      expect(res.status(), url).toBe(403);
    }
    expect(await ctx.store.findSubscriber('ann@example.com')).toBeDefined();
    await signed.close();
  }, 60_000);

  it.each(['light', 'dark'] as const)(
    'axe-core finds nothing serious or critical on any desk page in %s mode',
    async (colorScheme) => {
      // bypassCSP: axe-core goes in as an inline script, which the desk's policy rightly refuses.
      const { context, page } = await signedIn({ bypassCSP: true, colorScheme });
      for (const url of [...DESK_PAGES, '/admin/login']) {
        await page.goto(`${base}${url}`);
        const violations = await seriousAxeViolations(page);
        expect(violations, `${url} ${colorScheme}`).toEqual([]);
      }
      await context.close();
    },
    120_000,
  );
});
