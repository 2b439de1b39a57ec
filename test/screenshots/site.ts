/**
 * The site's screenshots in docs/: the home page, an edition page and the privacy page at 375 and
 * 1280 px, light and dark, on a server with demo editions (two of one week). Not a test: run it by hand
 * after changing the site, `npx tsx test/screenshots/site.ts docs`, and look at what it wrote.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../../src/shared/context.js';
import { buildServer } from '../../src/web/server.js';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { launchBrowser } from '../helpers/browser.js';
import { freePort } from '../helpers/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-shots-'));
let now = new Date('2026-11-21T14:00:00Z');
const port = await freePort();
const ctx = createContext({
  env: {
    DATA_DIR: join(dir, 'data'),
    OUTBOX_DIR: join(dir, 'outbox'),
    CONFIG_FILE: join(dir, 'none.json'),
    LOG_LEVEL: 'silent',
    MARKET_DATA: 'demo',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    YAHOO_BASE_URL: 'http://127.0.0.1:9',
    FRED_BASE_URL: 'http://127.0.0.1:9/fred',
    ALPHAVANTAGE_BASE_URL: 'http://127.0.0.1:9',
  },
  clock: () => now,
});
await ctx.subscribers.add('ann@example.com');
await weeklyDigest.run(ctx, { allowDemoData: true });
now = new Date('2026-11-28T14:00:00Z');
await weeklyDigest.run(ctx, { allowDemoData: true });
now = new Date('2026-11-28T20:00:00Z');
// A second edition of the week, as `digest --new-edition` makes one.
await weeklyDigest.run(ctx, { allowDemoData: true, newEdition: true });
now = new Date('2026-12-01T14:00:00Z');
const app = buildServer(ctx);
await app.listen({ port, host: '127.0.0.1' });
const browser = await launchBrowser();
const out = process.argv[2] ?? dir;
const shown = { home: '/', edition: '/editions/2026-W48-2', privacy: '/privacy' };
// One picture per width and scheme: the three pages side by side, each as the first screen shows it.
for (const width of [375, 1280])
  for (const scheme of ['light', 'dark'] as const) {
    const shots: string[] = [];
    for (const url of Object.values(shown)) {
      const page = await browser.newPage({ viewport: { width, height: width === 375 ? 740 : 800 }, colorScheme: scheme });
      await page.goto(`http://127.0.0.1:${port}${url}`);
      shots.push((await page.screenshot()).toString('base64'));
      await page.close();
    }
    const scale = width === 375 ? 1 : 0.5;
    const w = Math.round(width * scale);
    // The wide pages are shown at half size on a 2x sheet, so they stay sharp when zoomed.
    const sheet = await browser.newPage({ viewport: { width: 3 * w + 4 * 16, height: 100 }, colorScheme: scheme, deviceScaleFactor: 1 / scale });
    await sheet.setContent(
      `<body style="margin:0;padding:16px;display:flex;align-items:flex-start;gap:16px;background:${scheme === 'dark' ? '#000' : '#cbd2d9'}">${shots.map((b) => `<img width="${w}" src="data:image/png;base64,${b}" style="display:block;border:1px solid #7b8794">`).join('')}</body>`,
    );
    await sheet.screenshot({ path: join(out, `site-${width}-${scheme}.png`), fullPage: true });
    await sheet.close();
  }
await browser.close();
await app.close();
await ctx.close();
rmSync(dir, { recursive: true, force: true });
