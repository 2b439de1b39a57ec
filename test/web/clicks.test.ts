/**
 * tracking.clicks end to end: a built edition's links are signed redirects on the site, a click redirects
 * and counts (per edition and link; per person only with tracking.perSubscriber), a forged link is refused,
 * and with tracking off nothing is rewritten. Real SMTP on loopback, a real database.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { buildServer } from '../../src/web/server.js';
import { tempDir, testContext } from '../helpers/context.js';
import { ADMIN_TOKEN, desk } from '../helpers/desk.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let sink: SmtpSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

async function sendWith(tracking: { clicks: boolean; perSubscriber: boolean }) {
  sink = await startSmtpSink();
  const config = join(tempDir(), 'marketwrap.config.json');
  writeFileSync(config, JSON.stringify({ tracking }));
  const ctx = testContext({ SMTP_URL: sink.url, CONFIG_FILE: config, ADMIN_TOKEN });
  for (const email of ['ann@example.com', 'bob@example.com']) await ctx.subscribers.add(email);
  await weeklyDigest.run(ctx, { allowDemoData: true });
  const html = (to: string) => String(sink!.received.find((m) => m.envelopeTo[0] === to)!.parsed.html);
  const counted = (body: string) => [...body.matchAll(/href="http:\/\/localhost:3000(\/r\/[^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
  return { ctx, app: buildServer(ctx), html, counted };
}

describe('click counts', () => {
  it('counts each link per edition and never who clicked, unless perSubscriber', async () => {
    const { ctx, app, html, counted } = await sendWith({ clicks: true, perSubscriber: false });
    const links = counted(html('ann@example.com'));
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => l.startsWith('/r/2026-W47/') && !l.includes('who='))).toBe(true);
    // The unsubscribe link is the reader's own, never counted.
    expect(html('ann@example.com')).toMatch(/href="http:\/\/localhost:3000\/unsubscribe\?token=/);
    const target = new URL(links[0]!, 'http://localhost:3000').searchParams.get('u')!;
    for (const _ of [1, 2]) {
      const click = await app.inject({ url: links[0]! });
      expect([click.statusCode, click.headers.location]).toEqual([302, target]);
    }
    expect(await ctx.store.clickCounts('2026-W47')).toEqual([{ url: target, clicks: 2, people: 0 }]);

    const forged = [
      links[0]!.replace(/\/r\/2026-W47\/[\w-]{4}/, '/r/2026-W47/AAAA'),
      links[0]!.replace(/u=[^&]+/, `u=${encodeURIComponent('https://evil.example/')}`),
      links[0]!.replace('2026-W47', '2026-W46'),
    ];
    for (const url of forged) expect((await app.inject({ url })).statusCode, url).toBe(400);
    expect(await ctx.store.clickCounts('2026-W47')).toEqual([{ url: target, clicks: 2, people: 0 }]);
    expect((await app.inject({ url: '/privacy' })).body).toContain('a count only, never who clicked');
    // The desk shows them: the editions page a total, the edition's page each link.
    const d = await desk(app);
    expect((await d.get('/admin/editions')).body).toMatch(/<td class="n"><a href="\/admin\/editions\/2026-W47">2<\/a><\/td>/);
    expect((await d.get('/admin/editions/2026-W47')).body).toContain(`<td class="wrap">${target.replaceAll('&', '&amp;')}</td><td class="n">2</td><td class="n">0</td>`);
  });

  it('with perSubscriber, counts who clicked from their own signed link, forgets them when erased, and says so', async () => {
    const { ctx, app, html, counted } = await sendWith({ clicks: true, perSubscriber: true });
    const [ann, bob] = [counted(html('ann@example.com'))[0]!, counted(html('bob@example.com'))[0]!];
    expect(ann).toMatch(/&who=http:\/\/localhost:3000\/unsubscribe\?token=/);
    for (const url of [ann, ann, bob]) expect((await app.inject({ url })).statusCode).toBe(302);
    // A who= that is not a subscriber's signed link still counts the click, but for nobody.
    expect((await app.inject({ url: ann.replace(/token=[\w.-]+/, 'token=1.0.forged') })).statusCode).toBe(302);
    const target = new URL(ann, 'http://localhost:3000').searchParams.get('u')!;
    expect(await ctx.store.clickCounts('2026-W47')).toEqual([{ url: target, clicks: 4, people: 2 }]);
    await ctx.subscribers.erase('ann@example.com');
    expect(await ctx.store.clickCounts('2026-W47')).toEqual([{ url: target, clicks: 4, people: 1 }]);
    expect((await app.inject({ url: '/privacy' })).body).toContain('and how many times by you');
  });

  it('rewrites nothing by default, and the privacy page says links are not followed', async () => {
    const { app, html, counted } = await sendWith({ clicks: false, perSubscriber: false });
    expect(counted(html('ann@example.com'))).toEqual([]);
    expect((await app.inject({ url: '/privacy' })).body).toContain('Its links are not rewritten');
  });
});
