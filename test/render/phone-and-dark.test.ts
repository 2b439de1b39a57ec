/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The digest as readers see it, in real chromium, from the narrowest phone to a desktop (320 to 1280
 * px): no word or number broken in the table and figures kept apart, nothing scrolling sideways, chart
 * text at 10 CSS px or more, the market strip on top, the hidden header hidden even as Gmail strips
 * styles, and axe-core finding no serious or critical problem in light or dark mode, for every demo
 * scenario.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEdition } from '../../src/edition/build.js';
import { scenarioNames } from '../../src/market/index.js';
import { personalizer } from '../../src/render/index.js';
import { CHART_TEXT } from '../../src/render/charts.js';
import { launchBrowser, skipBrowser, seriousAxeViolations } from '../helpers/browser.js';
import { testContext } from '../helpers/context.js';

/** The email as a client shows it: recipient filled in, CID charts as the same PNGs. */
async function emailHtml(scenario: string): Promise<string> {
  const ctx = testContext();
  const edition = await buildEdition(ctx, { data: `demo:${scenario}` });
  const pngs = new Map(edition.charts.map((c) => [c.name, c.png.toString('base64')]));
  return personalizer(
    edition.html,
    'html',
  )({ email: 'reader@example.com', unsubscribeUrl: 'https://example.com/unsubscribe?token=t' }).replace(
    /cid:([a-z0-9-]+)@marketwrap/g,
    (_m, name: string) => `data:image/png;base64,${pngs.get(name)}`,
  );
}

async function open(browser: Browser, html: string, width: number, colorScheme: 'light' | 'dark'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme });
  await page.setContent(html, { waitUntil: 'load' });
  return page;
}

describe.skipIf(skipBrowser)('the digest on phones and in dark mode', () => {
  let browser: Browser;
  const html = new Map<string, string>();
  beforeAll(async () => {
    browser = await launchBrowser();
    for (const scenario of scenarioNames) html.set(scenario, await emailHtml(scenario));
  }, 120_000);
  afterAll(async () => browser?.close());

  /** The columns each width shows: name, close, week and YTD on a phone; the month from 481 px, 3 months from 561, the year from 640. */
  const COLUMNS: Record<number, number> = { 320: 4, 375: 4, 414: 4, 600: 6, 1280: 7 };

  it.each(Object.keys(COLUMNS).map(Number))(
    'at %i px: no word broken in a table cell, figures apart, nothing scrolls sideways, images keep their aspect ratio',
    async (width) => {
      for (const scenario of scenarioNames) {
        const page = await open(browser, html.get(scenario)!, width, 'light');
        const layout = await page.evaluate(() => {
          const rects = (node: Text, from: number, to: number) => {
            const range = document.createRange();
            range.setStart(node, from);
            range.setEnd(node, to);
            return [...range.getClientRects()].filter((r) => r.width > 0);
          };
          // A word (or a number) is broken when its characters lie on more than one line.
          const lines = (node: Text, from: number, to: number) => new Set(rects(node, from, to).map((r) => Math.round(r.top))).size;
          const broken: string[] = [];
          const tooClose: string[] = [];
          for (const row of document.querySelectorAll('.num tr')) {
            let previous: { right: number; text: string } | undefined;
            for (const cell of row.querySelectorAll('td, th')) {
              if ((cell as HTMLElement).offsetParent === null) continue;
              const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
              for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
                if (node.parentElement!.getBoundingClientRect().height < 1) continue; // the hidden header, for screen readers
                for (const match of node.data.matchAll(/\S+/g)) if (lines(node, match.index!, match.index! + match[0].length) > 1) broken.push(match[0]);
              }
              const text = cell.firstChild instanceof Text ? cell.firstChild : undefined;
              if (!text?.data.trim()) continue;
              // Figures stay on one line whole ("+15.2 pts" included), and 6 px or more from the one before.
              if (cell.tagName === 'TD' && lines(text, 0, text.data.length) > 1) broken.push(text.data);
              const box = rects(text, 0, text.data.length);
              const left = Math.min(...box.map((r) => r.left));
              if (previous && left - previous.right < 6) tooClose.push(`${previous.text} ${text.data}`);
              previous = { right: Math.max(...box.map((r) => r.right)), text: text.data };
            }
          }
          return {
            scroll: document.documentElement.scrollWidth - window.innerWidth,
            wrapped: broken,
            tooClose,
            columns: [...document.querySelectorAll('.num thead th')].filter((c) => (c as HTMLElement).offsetParent !== null).length,
            images: [...document.querySelectorAll('img')].map((i) => ({ ratio: i.clientWidth / i.clientHeight, natural: i.naturalWidth / i.naturalHeight })),
          };
        });
        expect(layout.scroll, scenario).toBeLessThanOrEqual(0);
        expect(layout.wrapped, scenario).toEqual([]);
        expect(layout.tooClose, scenario).toEqual([]);
        expect(layout.columns, scenario).toBe(COLUMNS[width]);
        for (const image of layout.images) expect(Math.abs(image.ratio - image.natural), scenario).toBeLessThan(0.02);
        await page.close();
      }
    },
    120_000,
  );

  it.each(Object.keys(COLUMNS).map(Number))(
    'at %i px: chart text at 10 CSS px or more, the market strip at the top with its five figures whole',
    async (width) => {
      for (const scenario of scenarioNames) {
        const page = await open(browser, html.get(scenario)!, width, 'light');
        const seen = await page.evaluate(() => {
          const strip = document.querySelector('ul.market');
          const tiles = strip ? [...strip.querySelectorAll('li')] : [];
          const headline = document.querySelector('h1')!.getBoundingClientRect().top;
          return {
            // The PNGs are drawn at twice their stated size (naturalWidth / 2).
            charts: [...document.querySelectorAll('img')].map((i) => i.clientWidth / (i.naturalWidth / 2)),
            strip: tiles.map((t) => [...t.children].map((line) => line.textContent)),
            stripAbove: tiles.every((t) => t.getBoundingClientRect().bottom < headline),
            // Each line of a tile on one line: its height is at most three lines of text.
            stripWhole: tiles.every((t) => [...t.children].every((line) => line.getClientRects().length === 1 && line.getBoundingClientRect().height < 26)),
            stripInside: tiles.every((t) => t.getBoundingClientRect().right <= window.innerWidth),
          };
        });
        expect(seen.charts.length, scenario).toBe(2);
        for (const scale of seen.charts) expect(CHART_TEXT * scale, scenario).toBeGreaterThanOrEqual(10);
        expect(
          seen.strip.map((t) => t[0]),
          scenario,
        ).toEqual(['S&P 500', 'Nasdaq', 'Russell 2000', '10-year', 'VIX']);
        for (const tile of seen.strip) expect(tile[1], scenario).toMatch(/^[\d,.]+%?$/);
        expect(seen.stripAbove && seen.stripWhole && seen.stripInside, scenario).toBe(true);
        await page.close();
      }
    },
    120_000,
  );

  it.each(Object.keys(COLUMNS).map(Number))("at %i px: the name column's header stays hidden once Gmail strips position and clip", async (width) => {
    // Gmail drops these properties (caniemail: css-position, css-clip); what hides the header must not need them.
    const gmail = html.get('risk-off')!.replace(/(position|clip)\s*:[^;"}]*;?/g, '');
    const page = await open(browser, gmail, width, 'light');
    const header = await page.evaluate(() => {
      const th = document.querySelector('.num thead th')!;
      const range = document.createRange();
      range.selectNodeContents(th);
      const area = [...range.getClientRects()].reduce((sum, r) => sum + r.width * r.height, 0);
      return { text: th.textContent, area, first: th.getBoundingClientRect().height };
    });
    expect(header.text).toBe('Instrument'); // still there for screen readers
    expect(header.area).toBeLessThan(1);
    await page.close();
  });

  it('keeps every column on a wide screen', async () => {
    const page = await open(browser, html.get('small-cap-rally')!, 800, 'light');
    expect(await page.evaluate(() => [...document.querySelectorAll('.num thead th')].filter((c) => (c as HTMLElement).offsetParent !== null).length)).toBe(7);
    await page.close();
  });

  it.each(['light', 'dark'] as const)(
    'axe-core finds nothing serious or critical in %s mode',
    async (colorScheme) => {
      for (const scenario of scenarioNames) {
        const page = await open(browser, html.get(scenario)!, 375, colorScheme);
        const violations = await seriousAxeViolations(page);
        expect(violations, `${scenario} ${colorScheme}`).toEqual([]);
        await page.close();
      }
    },
    120_000,
  );
});
