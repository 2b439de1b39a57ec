/// <reference lib="dom" />
/**
 * The site's pages as readers see them, in real chromium against the real server: the title once on
 * every page, a Subscribe button that stands out from its card in light and dark mode (WCAG AA: text
 * 4.5:1, the button against the card 3:1), and nothing serious or critical for axe-core.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { type Context, createContext } from '../../src/shared/context.js';
import { signToken } from '../../src/subscribers/index.js';
import { buildServer } from '../../src/web/server.js';
import { launchBrowser, skipBrowser, seriousAxeViolations } from '../helpers/browser.js';
import { FIXED_NOW, OFFLINE_ENV, testDatabaseEnv, tickingClock } from '../helpers/context.js';
import { freePort } from '../helpers/ports.js';

/** The button's text against the button, and the button against the first opaque background behind it. */
function buttonContrast(page: Page): Promise<{ text: number; edge: number }> {
  return page.evaluate(() => {
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const c = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
    };
    const ratio = (a: string, b: string) => {
      const [x, y] = [luminance(rgb(a)), luminance(rgb(b))].sort((m, n) => n - m);
      return (x! + 0.05) / (y! + 0.05);
    };
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Subscribe')!;
    let behind = button.parentElement;
    const opaque = (e: Element) => {
      const c = rgb(getComputedStyle(e).backgroundColor);
      return c.length === 3 || c[3] === 1;
    };
    while (behind && !opaque(behind)) behind = behind.parentElement;
    const card = behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)';
    const style = getComputedStyle(button);
    return { text: ratio(style.color, style.backgroundColor), edge: ratio(style.backgroundColor, card) };
  });
}

describe.skipIf(skipBrowser)('the site in chromium', () => {
  let browser: Browser;
  let ctx: Context;
  let app: ReturnType<typeof buildServer>;
  let base: string;
  let dir: string;
  let pages: Record<string, string>;
  beforeAll(async () => {
    browser = await launchBrowser();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Not testContext: its context and directory go after each test, and these pages serve them all.
    dir = mkdtempSync(join(tmpdir(), 'marketwrap-site-'));
    const env = { DATA_DIR: join(dir, 'data'), OUTBOX_DIR: join(dir, 'outbox'), CONFIG_FILE: join(dir, 'none.json'), LOG_LEVEL: 'silent', MARKET_DATA: 'demo' };
    ctx = createContext({ env: { ...OFFLINE_ENV, ...env, ...testDatabaseEnv(), PUBLIC_URL: base }, clock: tickingClock(FIXED_NOW) });
    await ctx.subscribers.add('ann@example.com');
    const sent = await weeklyDigest.run(ctx, { allowDemoData: true });
    const pending = await ctx.subscribers.subscribe('new@example.com');
    const subject = pending.action === 'confirm' ? pending.subscriber : (await ctx.store.findSubscriber('new@example.com'))!;
    app = buildServer(ctx);
    await app.listen({ port, host: '127.0.0.1' });
    pages = {
      home: '/',
      archive: '/archive',
      about: '/about',
      privacy: '/privacy',
      edition: `/editions/${sent.editionId}`,
      confirm: `/confirm?token=${signToken(ctx.secretKey, 'confirm', subject)}`,
      unsubscribe: `/unsubscribe?token=${signToken(ctx.secretKey, 'unsubscribe', subject)}`,
    };
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (url: string, colorScheme: 'light' | 'dark', width = 375) => {
    // bypassCSP: axe-core goes in as an inline script, which the site's policy rightly refuses.
    const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme, bypassCSP: true });
    await page.goto(`${base}${url}`);
    return page;
  };

  it('the title appears once on every page', async () => {
    for (const [name, url] of Object.entries(pages)) {
      const page = await open(url, 'light');
      // Shown as a title: a visible element whose whole text is the title (a sentence naming it is not one).
      const shown = await page.evaluate(
        (title) =>
          [...document.body.querySelectorAll('*')].filter((e) => e.textContent?.trim() === title && e.children.length === 0 && (e as HTMLElement).offsetParent !== null).length,
        ctx.config.title,
      );
      expect(shown, name).toBe(1);
      await page.close();
    }
  }, 60_000);

  it.each(['light', 'dark'] as const)('the Subscribe button stands out in %s mode (WCAG AA), on the home page and an edition page', async (scheme) => {
    for (const name of ['home', 'edition']) {
      const page = await open(pages[name]!, scheme);
      const contrast = await buttonContrast(page);
      expect(contrast.text, `${name}: button text`).toBeGreaterThanOrEqual(4.5);
      expect(contrast.edge, `${name}: button against its card`).toBeGreaterThanOrEqual(3);
      await page.close();
    }
  });

  it.each(['light', 'dark'] as const)(
    'axe-core finds nothing serious or critical on any page in %s mode',
    async (scheme) => {
      for (const [name, url] of Object.entries(pages)) {
        const page = await open(url, scheme);
        const violations = await seriousAxeViolations(page);
        expect(violations, `${name} ${scheme}`).toEqual([]);
        await page.close();
      }
    },
    120_000,
  );
});
