/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The digest as readers see it, in real chromium: at phone widths nothing breaks a word or a number
 * and nothing scrolls sideways, images keep their aspect ratio, and axe-core finds no serious or
 * critical problem in light or dark mode, for every demo scenario.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEdition } from '../../src/build.js';
import { scenarioNames } from '../../src/market/index.js';
import { personalizer } from '../../src/render/index.js';
import { launchBrowser, skipBrowser } from '../helpers/browser.js';
import { testContext } from '../helpers/context.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

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

  it.each([320, 375, 414])(
    'at %i px: no table cell wraps, nothing scrolls sideways, images keep their aspect ratio',
    async (width) => {
      for (const scenario of scenarioNames) {
        const page = await open(browser, html.get(scenario)!, width, 'light');
        const layout = await page.evaluate(() => {
          // A word (or a number) is broken when its characters lie on more than one line.
          const lines = (node: Text, from: number, to: number) => {
            const range = document.createRange();
            range.setStart(node, from);
            range.setEnd(node, to);
            return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
          };
          const broken: string[] = [];
          for (const cell of document.querySelectorAll('.num td, .num th')) {
            if ((cell as HTMLElement).offsetParent === null) continue;
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
              if (node.parentElement!.getBoundingClientRect().width <= 1) continue; // visually hidden, for screen readers
              for (const match of node.data.matchAll(/\S+/g)) if (lines(node, match.index!, match.index! + match[0].length) > 1) broken.push(match[0]);
            }
            // Figures stay on one line whole ("+15.2 pts" included).
            if (cell.tagName === 'TD' && cell.textContent!.trim() && lines(cell.firstChild as Text, 0, (cell.firstChild as Text).data.length) > 1) broken.push(cell.textContent!);
          }
          return {
            scroll: document.documentElement.scrollWidth - window.innerWidth,
            wrapped: broken,
            columns:
              document.querySelectorAll('.num thead th').length - [...document.querySelectorAll('.num thead th')].filter((c) => (c as HTMLElement).offsetParent === null).length,
            images: [...document.querySelectorAll('img')].map((i) => ({ ratio: i.clientWidth / i.clientHeight, natural: i.naturalWidth / i.naturalHeight })),
          };
        });
        expect(layout.scroll, scenario).toBeLessThanOrEqual(0);
        expect(layout.wrapped, scenario).toEqual([]);
        expect(layout.columns, scenario).toBe(4); // name, close, week, YTD
        for (const image of layout.images) expect(Math.abs(image.ratio - image.natural), scenario).toBeLessThan(0.02);
        await page.close();
      }
    },
    120_000,
  );

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
        await page.addScriptTag({ content: AXE });
        const violations = await page.evaluate(async () => {
          const axe = (
            window as unknown as {
              axe: { run(ctx: Document, options: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> };
            }
          ).axe;
          const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
          return result.violations
            .filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map(
              (v) =>
                `${v.id}: ${v.nodes
                  .slice(0, 3)
                  .map((n) => n.target.join(' '))
                  .join(', ')}`,
            );
        });
        expect(violations, `${scenario} ${colorScheme}`).toEqual([]);
        await page.close();
      }
    },
    120_000,
  );
});
