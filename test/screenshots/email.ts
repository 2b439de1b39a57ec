/**
 * The email's screenshots in docs/: the demo small-cap-rally edition (week ending 2026-11-20) at 375 and
 * 600 px, light and dark (prefers-color-scheme), whole page. Not a test: run it by hand after changing the
 * email or its words, `npx tsx test/screenshots/email.ts docs`, and look at what it wrote.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEdition } from '../../src/edition/build.js';
import { createContext } from '../../src/shared/context.js';
import { personalizer, pointChartsAt } from '../../src/render/index.js';
import { launchBrowser } from '../helpers/browser.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-email-shots-'));
const ctx = createContext({
  env: { DATA_DIR: join(dir, 'data'), OUTBOX_DIR: join(dir, 'outbox'), CONFIG_FILE: join(dir, 'none.json'), LOG_LEVEL: 'silent', MARKET_DATA: 'demo' },
  clock: () => new Date('2026-11-23T12:00:00Z'),
});
const edition = await buildEdition(ctx, { asOf: '2026-11-20', data: 'demo:small-cap-rally' });
const pngs = new Map(edition.charts.map((c) => [c.name, c.png.toString('base64')]));
// As a reader gets it: recipient parts filled, the charts inline (a file page cannot resolve cid: links).
const html = pointChartsAt(personalizer(edition.html, 'html')({ email: 'reader@example.com', unsubscribeUrl: 'https://example.com/unsubscribe' }), (name) =>
  pngs.has(name) ? `data:image/png;base64,${pngs.get(name)}` : undefined,
);
const file = join(dir, 'email.html');
writeFileSync(file, html);
const browser = await launchBrowser();
const out = process.argv[2] ?? dir;
for (const width of [375, 600])
  for (const scheme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme: scheme });
    await page.goto(`file://${file}`);
    await page.screenshot({ path: join(out, `email-${width}-${scheme}.png`), fullPage: true });
    await page.close();
  }
await browser.close();
await ctx.close();
rmSync(dir, { recursive: true, force: true });
console.log(`wrote email-{375,600}-{light,dark}.png to ${out}`);
