/// <reference lib="dom" />
/**
 * The copies a publisher opens: the saved reader's copy and email show their charts opened from disk,
 * and a sample or test send of an edition the site does not serve yet has no "View in browser" link
 * that would lead to "Not found".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { readSavedEdition } from '../../src/edition/archive.js';
import { buildEdition } from '../../src/edition/build.js';
import { pointChartsAt } from '../../src/render/index.js';
import { launchBrowser, skipBrowser } from '../helpers/browser.js';
import { FIXED_NOW, testContext } from '../helpers/context.js';

describe.skipIf(skipBrowser)('the saved copies, opened from disk', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => browser?.close());

  it('<id>.html and <id>.mail.html show every chart from the PNGs beside them; a resumed send gets its Content-IDs back', async () => {
    const ctx = testContext();
    const result = await weeklyDigest.run(ctx, { dryRun: true });
    for (const file of [result.files.webHtml, result.files.html]) {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const images = await page.evaluate(() => [...document.querySelectorAll('img')].map((i) => ({ src: i.getAttribute('src'), loaded: i.naturalWidth > 0 })));
      expect(images, file).toHaveLength(2);
      for (const image of images) expect(image, file).toMatchObject({ src: expect.stringMatching(/^2026-W47-[a-z-]+\.png#chart=/), loaded: true });
      await page.close();
    }
    const saved = readSavedEdition(ctx.editionsDir, '2026-W47');
    const built = await buildEdition(ctx, {});
    expect(saved.html).toBe(built.html);
    expect(saved.html).toContain('src="cid:week-returns@marketwrap"');
    // The site serves the saved reader's copy with its charts at /editions/<id>/<name>.png.
    expect(pointChartsAt(readFileSync(result.files.webHtml, 'utf8'), (name) => `/editions/2026-W47/${name}.png`)).toContain('src="/editions/2026-W47/week-returns.png"');
  });
});

describe('"View in browser"', () => {
  const seen = new Set<string>();
  /** The one message the outbox did not hold before (file names are random). */
  const outboxMail = async (dir: string) => {
    const fresh = readdirSync(dir).filter((f) => !seen.has(f));
    expect(fresh).toHaveLength(1);
    seen.add(fresh[0]!);
    return simpleParser(readFileSync(join(dir, fresh[0]!)));
  };

  it('a sample of an edition not yet sent goes without it; once the edition went to the list, a test send has it', async () => {
    const ctx = testContext();
    expect((await weeklyDigest.run(ctx)).note).toMatch(/sample copy/);
    const sample = await outboxMail(ctx.env.OUTBOX_DIR);
    expect(sample.html).not.toContain('View in browser');
    expect(sample.text).not.toContain('View in browser');
    expect(sample.html).toContain('Edition 2026-W47');
    // The list's own copy, as saved for the sender, keeps it.
    expect(readFileSync(join(ctx.editionsDir, '2026-W47.mail.html'), 'utf8')).toContain('>View in browser</a>');

    await ctx.store.markEditionSent('2026-W47', FIXED_NOW);
    await weeklyDigest.run(ctx, { to: ['test@example.com'] });
    const test = await outboxMail(ctx.env.OUTBOX_DIR);
    expect(test.html).toContain('href="http://localhost:3000/editions/2026-W47"');
    expect(test.text).toContain('View in browser: http://localhost:3000/editions/2026-W47');
  });
});
