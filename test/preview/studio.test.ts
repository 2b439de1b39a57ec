/** The preview studio: checks that fire on templates written to break them, and the studio in chromium. */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, PROJECT_ROOT, type Context } from '../../src/shared/context.js';
import { checkEmail, sizeBadge } from '../../src/preview/checks.js';
import { renderItem } from '../../src/preview/render.js';
import { buildPreviewServer } from '../../src/preview/server.js';
import { launchBrowser, skipBrowser } from '../helpers/browser.js';
import { OFFLINE_ENV, tempDir, testContext, tickingClock, FIXED_NOW, testDatabaseEnv } from '../helpers/context.js';

/** A context whose templates are a private copy, so tests can edit and break them. */
function studioContext(): { ctx: Context; templates: string; configFile: string } {
  const dir = tempDir();
  const templates = join(dir, 'templates');
  cpSync(join(PROJECT_ROOT, 'templates'), templates, { recursive: true });
  const configFile = join(dir, 'marketwrap.config.json');
  writeFileSync(configFile, '{}');
  const ctx = createContext({
    env: {
      ...OFFLINE_ENV,
      DATA_DIR: join(dir, 'data'),
      ...testDatabaseEnv(),
      OUTBOX_DIR: join(dir, 'outbox'),
      CONFIG_FILE: configFile,
      MARKET_DATA: 'demo',
      LOG_LEVEL: 'silent',
      PUBLIC_URL: 'https://wrap.example',
    },
    templatesDir: templates,
    clock: tickingClock(FIXED_NOW),
  });
  return { ctx, templates, configFile };
}

const edit = (file: string, from: string, to: string) => writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));

describe('studio checks', () => {
  it('the real digest passes every error-level check', async () => {
    const { ctx } = studioContext();
    const result = await renderItem(ctx, { item: 'digest', data: 'demo:small-cap-rally' });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.checks.filter((c) => c.level === 'error')).toEqual([]);
    expect(result.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['size', 'client:gmail.desktop-webmail', 'client:outlook.windows', 'client:apple-mail.macos']));
    expect(result.why!.rules.find((r) => r.id === 'small-caps-vs-large-week')).toMatchObject({ fired: true, rank: 1 });
    expect(result.why!.rules.find((r) => r.id === 'vix-stressed')).toMatchObject({ fired: false, condition: '^VIX at-or-above 30' });
    expect(result.why!.numbers.find((n) => n.symbol === '^RUT')!.changes['1W']).toBe('+6.3%');
    await ctx.close();
  });

  it('client support says what a reader would see, client by client', async () => {
    const { ctx } = studioContext();
    const result = await renderItem(ctx, { item: 'digest', data: 'demo:risk-off' });
    if (!result.ok) throw new Error(result.error.message);
    const outlook = result.checks.find((c) => c.id === 'client:outlook.windows')!.message;
    expect(outlook).toMatch(/^Outlook \(Windows\): a reader may see: .*the phone layout \(fewer table columns, smaller type\) may not apply \(@media\)/);
    expect(outlook).toMatch(/square corners instead of rounded ones \(border-radius\)/);
    // The rest are counted and named briefly, not a wall of property names.
    expect(outlook).toMatch(/\. Small differences in \d+ other features \(([^,)]+, ){5}[^,)]+, \.\.\.\)$/);
    // A client that supports all of it says so.
    const plain = checkEmail('<!doctype html><html><body><p>Hello</p></body></html>', 'https://a.example').find((c) => c.id === 'client:apple-mail.macos')!;
    expect(plain).toMatchObject({ level: 'info', message: 'Apple Mail: a reader sees the email as designed' });
    await ctx.close();
  });

  it('cached live data with nothing cached says what would fill it, not a skeleton email', async () => {
    const { ctx } = studioContext();
    expect(await renderItem(ctx, { item: 'digest', data: 'cache' })).toEqual({
      ok: false,
      error: { message: 'No live data is cached yet: run `marketwrap data fetch` (it needs the network), or pick a demo scenario' },
    });
    await ctx.close();
  });

  it('each check fires on a template written to break it', async () => {
    const { ctx, templates } = studioContext();
    edit(
      join(templates, 'partials/footer.mjml'),
      '<mj-column>',
      `<mj-column>
      <mj-image src="data:image/png;base64,AAAA" />
      <mj-image src="https://wrap.example/chart.svg" alt="chart" width="300px" />
      <mj-text><a href="http://insecure.example/x">insecure</a> \\{{name}}<svg width="1" height="1"></svg></mj-text>`,
    );
    const result = await renderItem(ctx, { item: 'digest', data: 'demo:small-cap-rally' });
    if (!result.ok) throw new Error(result.error.message);
    const ids = result.checks.filter((c) => c.level === 'error').map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['data-uri', 'svg', 'alt', 'link', 'placeholder']));
    expect(result.checks.find((c) => c.id === 'placeholder')!.message).toContain('{{name}}');
    expect(result.checks.find((c) => c.id === 'link')!.message).toContain('http://insecure.example/x');
    await ctx.close();
  });

  it("flags images without dimensions, and sizes by Gmail's clip", () => {
    expect(checkEmail('<img src="https://a.example/x.png" alt="x">', 'https://a.example').map((c) => c.id)).toContain('dimensions');
    expect([sizeBadge(51_199), sizeBadge(51_200), sizeBadge(102_400)]).toEqual(['green', 'amber', 'red']);
    expect(checkEmail(`<p>${'x'.repeat(103_000)}</p>`, 'https://a.example')[0]).toMatchObject({ id: 'size', level: 'error' });
  });

  it('strict MJML errors and template errors come back with file and line', async () => {
    const { ctx, templates, configFile } = studioContext();
    const header = join(templates, 'partials/header.mjml');
    const header0 = readFileSync(header, 'utf8');
    const lineOf = (text: string, source = header0) => source.split('\n').findIndex((l) => l.includes(text)) + 1;
    edit(header, '<mj-column>', '<mj-column>\n<mj-text colour="red">x</mj-text>');
    const mjml = await renderItem(ctx, { item: 'digest', data: 'demo:quiet-week' });
    // At the partial's own file and line (the line after the column opens), not the layout's.
    expect(mjml).toMatchObject({ ok: false, error: { file: header, line: lineOf('<mj-column>') + 1, message: expect.stringMatching(/Attribute colour is illegal/) } });
    writeFileSync(header, header0);
    // A structure MJML's lenient parser would accept: a tag that is not MJML's where </mj-text> belongs, a column never closed.
    edit(header, '{{title}}</mj-text>', '{{title}}<mj-bogus>');
    expect(await renderItem(ctx, { item: 'digest', data: 'demo:quiet-week' })).toMatchObject({
      ok: false,
      error: { file: header, line: lineOf('{{title}}'), message: `${header}:${lineOf('{{title}}')}: <mj-bogus> is not an MJML tag` },
    });
    const unclosed = header0.replace('  </mj-column>\n', '');
    writeFileSync(header, unclosed);
    const [at, opened] = [lineOf('</mj-section>', unclosed), lineOf('<mj-column>')];
    expect(await renderItem(ctx, { item: 'digest', data: 'demo:quiet-week' })).toMatchObject({
      ok: false,
      error: { file: header, line: at, message: `${header}:${at}: </mj-section> found where </mj-column> (opened on line ${opened}) should close first` },
    });
    writeFileSync(header, header0);
    writeFileSync(
      join(templates, 'commentary/move.hbs'),
      readFileSync(join(templates, 'commentary/move.hbs'), 'utf8').replace('{{Name}} {{moved}}', '{{#if Name}}{{Name}} {{moved}}'),
    );
    const hbs = await renderItem(ctx, { item: 'digest', data: 'demo:risk-off' });
    expect(hbs).toMatchObject({ ok: false, error: { file: join(templates, 'commentary/move.hbs'), line: expect.any(Number) } });
    writeFileSync(configFile, '{\n  "title": "x",\n  "b" 3\n}');
    const config = await renderItem(ctx, { item: 'confirm', data: 'demo:risk-off' });
    expect(config).toMatchObject({ ok: false, error: { file: configFile, line: 3 } });
    await ctx.close();
  });
});

describe.skipIf(skipBrowser)('studio in chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it('switch scenario and width, read the text tab, edit, break and fix a template live', async () => {
    const { ctx, templates } = studioContext();
    const studio = buildPreviewServer(ctx);
    const address = await studio.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(address);
      const frame = page.frameLocator('#frame');
      await expect.poll(() => frame.locator('h1').textContent(), { timeout: 15_000 }).toMatch(/small caps|Russell 2000/i);

      await page.selectOption('#data', 'demo:risk-off');
      await expect.poll(() => page.textContent('#subject'), { timeout: 15_000 }).toMatch(/^\[DEMO DATA\]/);
      await expect.poll(() => frame.locator('body').textContent()).toContain('risk-off');
      await page.getByRole('button', { name: 'Small phone 320' }).click();
      expect(await page.getAttribute('#frame', 'width')).toBe('320');
      await page.getByRole('button', { name: 'Mobile 375' }).click();
      expect(await page.getAttribute('#frame', 'width')).toBe('375');
      await page.getByRole('tab', { name: 'Plain text' }).click();
      expect(await page.textContent('#textview')).toContain('THE WEEK IN NUMBERS');
      await page.getByRole('tab', { name: 'HTML', exact: true }).click();

      edit(join(templates, 'partials/numbers-table.mjml'), 'The week in numbers', 'Numbers of the week');
      await expect.poll(() => frame.locator('body').textContent(), { timeout: 5000 }).toContain('Numbers of the week');

      edit(join(templates, 'partials/numbers-table.mjml'), '{{#each table.rows}}', '{{#each table.rows}}{{#if}}');
      await expect.poll(() => page.getAttribute('#overlay', 'data-open'), { timeout: 5000 }).toBe('true');
      const overlay = await page.textContent('#overlay');
      expect(overlay).toContain(join(templates, 'partials/numbers-table.mjml'));
      expect(overlay).toMatch(/numbers-table\.mjml:\d+/);
      expect(overlay).toMatch(/doesn't match each|Expecting .*got/); // what is wrong, not just where

      edit(join(templates, 'partials/numbers-table.mjml'), '{{#each table.rows}}{{#if}}', '{{#each table.rows}}');
      await expect.poll(() => page.getAttribute('#overlay', 'data-open'), { timeout: 5000 }).toBe('false');
      expect(await frame.locator('body').textContent()).toContain('Numbers of the week');

      // The badge measures the HTML as Gmail does (charts are separate parts); the whole message is shown apart.
      const badge = await page.textContent('#badge');
      const htmlKb = Number(/^HTML ([\d.]+) KB$/.exec(badge ?? '')?.[1]);
      const messageKb = Number(/^message ([\d.]+) KB$/.exec((await page.textContent('#msgsize')) ?? '')?.[1]);
      expect(htmlKb).toBeLessThan(100);
      expect(messageKb).toBeGreaterThan(htmlKb);
      expect(await page.getAttribute('#badge', 'class')).toBe('green');

      // Dark mode applies the email's own prefers-color-scheme: dark rules; then forced dark inverts.
      const cardColour = () =>
        frame
          .locator('.card')
          .first()
          .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(await cardColour()).toBe('rgb(255, 255, 255)');
      await page.locator('#dark').click();
      await expect.poll(cardColour, { timeout: 5000 }).toBe('rgb(22, 32, 43)');
      await page.locator('#dark').click();
      expect(await page.textContent('#dark')).toBe('Forced dark (Gmail app)');
      await page.locator('#dark').click();

      await page.fill('#to', 'tester@example.com');
      await page.getByRole('button', { name: 'Send test' }).click();
      await expect.poll(() => page.textContent('#sent'), { timeout: 10_000 }).toMatch(/^Sent via outbox .*\.eml$/);
      // The status (a long file path) wraps inside the sidebar instead of running past it.
      const overflow = await page
        .locator('#sent')
        .evaluate((el) => ({ scroll: el.scrollWidth, width: el.clientWidth, nav: el.closest('nav')!.getBoundingClientRect().right, right: el.getBoundingClientRect().right }));
      expect(overflow.scroll).toBeLessThanOrEqual(overflow.width);
      expect(overflow.right).toBeLessThanOrEqual(overflow.nav);
      // The real message: charts as CID parts, a List-Unsubscribe header, as `digest --to` sends it.
      const outbox = ctx.env.OUTBOX_DIR;
      const eml = readFileSync(join(outbox, readdirSync(outbox).find((f) => f.endsWith('.eml'))!), 'utf8');
      expect(eml).toMatch(/^Content-ID: <week-returns@marketwrap>/m);
      expect(eml).toMatch(/^List-Unsubscribe: <http/m);
      expect(eml).not.toContain('data:image/png');
      await page.close();
    } finally {
      studio.close();
      await studio.app.close();
      await ctx.close();
    }
  });
});

describe('studio guards', () => {
  it('answers only to localhost and same-origin requests (no DNS rebinding, no cross-site test sends)', async () => {
    const ctx = testContext();
    const studio = buildPreviewServer(ctx);
    try {
      const local = await studio.app.inject({ url: '/api/options', headers: { host: 'localhost:4000' } });
      expect(local.statusCode).toBe(200);
      expect(local.headers['x-content-type-options']).toBe('nosniff');
      expect((await studio.app.inject({ url: '/api/options', headers: { host: 'attacker.example:4000' } })).statusCode).toBe(403);
      const send = (headers: Record<string, string>) =>
        studio.app.inject({
          method: 'POST',
          url: '/api/send-test',
          headers: { host: '127.0.0.1:4000', 'content-type': 'application/json', ...headers },
          payload: { to: 'a@example.com', item: 'digest', data: 'demo' },
        });
      expect((await send({ origin: 'http://attacker.example' })).statusCode).toBe(403);
      expect((await send({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
      expect((await send({ origin: 'http://127.0.0.1:4000' })).statusCode).not.toBe(403);
    } finally {
      studio.close();
      await studio.app.close();
    }
  });
});
