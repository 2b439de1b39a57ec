/** The public site over fastify's injector: every route, and hostile input against each. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/web/server.js';
import { issueFormToken } from '../../src/web/security.js';
import { signToken } from '../../src/subscribers/index.js';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { FIXED_NOW, tempDir, testContext } from '../helpers/context.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import type { Context } from '../../src/shared/context.js';

let sink: SmtpSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

async function site(env: Record<string, string> = {}, options: Parameters<typeof buildServer>[1] = { subscribeLimit: { limit: 100, windowMs: 60_000 } }) {
  sink = await startSmtpSink();
  const ctx = testContext({ SMTP_URL: sink.url, ...env });
  const app = buildServer(ctx, { sendNow: () => weeklyDigest.run(ctx, {}), ...options });
  return { ctx, app, sink };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const token = (ctx: Context) => issueFormToken(ctx.secretKey, FIXED_NOW.getTime());
const post = (app: ReturnType<typeof buildServer>, url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:3000', ...headers } });

describe('public site', () => {
  it('home page: a labelled form, security headers, works without JavaScript', async () => {
    const { app } = await site();
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<label for="email">Your email address</label>');
    expect(res.body).toMatch(/<form method="post" action="\/subscribe">/);
    expect(res.body).not.toContain('<script');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('subscribe sends a signed confirmation link; confirming it confirms; the answer never reveals membership', async () => {
    const { app, ctx, sink } = await site();
    const first = await post(app, '/subscribe', { email: ' New@Example.com ', form_token: token(ctx) });
    expect(first.statusCode).toBe(200);
    expect(await ctx.store.findSubscriber('new@example.com')).toMatchObject({ status: 'pending', consent_source: 'form' });
    await app.confirmations.runOnce(); // the queue the server works through
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0]!.parsed;
    expect(mail.subject).toBe('Confirm your subscription to The Weekly Wrap');
    const link = /http:\/\/localhost:3000\/confirm\?token=[\w.-]+/.exec(mail.text ?? '')![0];
    expect(mail.html).toContain(`href="${link.replace('=', '&#x3D;')}"`);
    // The link shows a button (a link scanner's GET confirms nothing); the button confirms.
    const shown = await app.inject(link.replace('http://localhost:3000', ''));
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('<button type="submit">Confirm my subscription</button>');
    expect((await ctx.store.findSubscriber('new@example.com'))!.status).toBe('pending');
    const confirmed = await app.inject({ method: 'POST', url: link.replace('http://localhost:3000', '') });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('You are subscribed');
    expect((await ctx.store.findSubscriber('new@example.com'))!.status).toBe('confirmed');
    // Known address: the same answer, and no email.
    const again = await post(app, '/subscribe', { email: 'new@example.com', form_token: token(ctx) });
    expect(again.body.replace(/form_token[^>]*/g, '')).toBe(first.body.replace(/form_token[^>]*/g, ''));
    await app.confirmations.runOnce();
    expect(sink.received).toHaveLength(1);
  });

  it('a GET never unsubscribes; the RFC 8058 POST does, at once, and answers 200 again and again', async () => {
    const { app, ctx } = await site();
    const sub = await ctx.subscribers.add('ann@example.com');
    const unsub = signToken(ctx.secretKey, 'unsubscribe', sub);
    const page = await app.inject(`/unsubscribe?token=${unsub}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<button type="submit">Unsubscribe</button>');
    expect((await ctx.store.findSubscriber('ann@example.com'))!.status).toBe('confirmed');
    for (let i = 0; i < 2; i++) {
      const res = await app.inject({
        method: 'POST',
        url: `/unsubscribe?token=${unsub}`,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.statusCode).toBe(200);
      expect((await ctx.store.findSubscriber('ann@example.com'))!.status).toBe('unsubscribed');
    }
  });

  it('re-subscribing after leaving goes through confirmation again', async () => {
    const { app, ctx, sink } = await site();
    await ctx.subscribers.add('ann@example.com');
    await ctx.subscribers.remove('ann@example.com');
    await post(app, '/subscribe', { email: 'ann@example.com', form_token: token(ctx) });
    expect((await ctx.store.findSubscriber('ann@example.com'))!.status).toBe('pending');
    await app.confirmations.runOnce();
    expect(sink.received).toHaveLength(1);
  });

  it('forged, expired and wrong-purpose tokens change nothing', async () => {
    const { app, ctx } = await site();
    const pending = await ctx.subscribers.subscribe('p@example.com');
    if (pending.action !== 'confirm') throw new Error('expected a confirmation');
    const id = pending.subscriber;
    const expired = signToken(ctx.secretKey, 'confirm', id, Math.floor(FIXED_NOW.getTime() / 1000) - 1);
    const forged = signToken('another-secret-key-that-is-long-enough', 'confirm', id);
    const wrongPurpose = signToken(ctx.secretKey, 'unsubscribe', id);
    for (const [bad, text] of [
      [expired, 'has expired'],
      [forged, 'not valid'],
      [wrongPurpose, 'not valid'],
      ['garbage', 'not valid'],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: `/confirm?token=${encodeURIComponent(bad)}` });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(text);
    }
    expect((await ctx.store.findSubscriber('p@example.com'))!.status).toBe('pending');
    const confirmToken = signToken(ctx.secretKey, 'confirm', id);
    const res = await app.inject({
      method: 'POST',
      url: `/unsubscribe?token=${confirmToken}`,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(400);
    expect((await ctx.store.findSubscriber('p@example.com'))!.status).toBe('pending');
  });

  it('rejects invalid, oversized and header-injecting addresses, and ignores the honeypot', async () => {
    const { app, ctx, sink } = await site();
    for (const email of [
      'not-an-address',
      `${'a'.repeat(250)}@example.com`,
      'a@example.com\r\nBcc: victim@example.com',
      'x@example.com%0d%0aBcc:y@example.com',
      '<script>alert(1)</script>@example.com',
    ]) {
      const res = await post(app, '/subscribe', { email, form_token: token(ctx) });
      expect(res.statusCode, email).toBe(400);
      expect(res.body).not.toContain('<script>alert');
    }
    const bot = await post(app, '/subscribe', { email: 'bot@example.com', website: 'http://spam.example', form_token: token(ctx) });
    expect(bot.statusCode).toBe(200);
    expect(await ctx.store.findSubscriber('bot@example.com')).toBeUndefined();
    expect(sink.received).toHaveLength(0);
    expect(await ctx.subscribers.list()).toHaveLength(0);
  });

  it('escapes HTML everywhere it shows input', async () => {
    const { app, ctx } = await site();
    const res = await app.inject(`/unsubscribe?token=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(res.body).not.toContain('<script>alert');
    await ctx.store.saveEdition({ id: '2026-W47', asOf: '2026-11-20', subject: 's', headline: '<img src=x onerror=alert(1)>', demo: false }, FIXED_NOW);
    await ctx.store.markEditionSent('2026-W47', FIXED_NOW);
    const archive = await app.inject('/archive');
    expect(archive.body).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(archive.body).not.toContain('<img src=x');
  });

  it('refuses cross-site form posts and posts without a form token', async () => {
    const { app, ctx } = await site();
    const cross = await post(app, '/subscribe', { email: 'a@example.com', form_token: token(ctx) }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(cross.statusCode).toBe(403);
    const noToken = await post(app, '/subscribe', { email: 'a@example.com' });
    expect(noToken.statusCode).toBe(400);
    expect(await ctx.subscribers.list()).toHaveLength(0);
  });

  it('rate limits a burst of subscribe requests per IP', async () => {
    const { app, ctx } = await site({}, { subscribeLimit: { limit: 3, windowMs: 60_000 } });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await post(app, '/subscribe', { email: `u${i}@example.com`, form_token: token(ctx) })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429, 429]);
    expect(await ctx.subscribers.list()).toHaveLength(3);
  });

  it('serves the web version of sent editions and the archive', async () => {
    const { app, ctx } = await site();
    await ctx.subscribers.add('ann@example.com');
    await weeklyDigest.run(ctx, { allowDemoData: true });
    const archive = await app.inject('/archive');
    expect(archive.body).toMatch(/<a href="\/editions\/2026-W47">2026-11-20: /);
    const web = await app.inject('/editions/2026-W47');
    expect(web.statusCode).toBe(200);
    expect(web.body).toContain('The week in numbers');
    expect(web.body).not.toContain('{{');
    expect((await app.inject('/editions/2026-W01')).statusCode).toBe(404);
    expect((await app.inject('/editions/..%2Fsecret')).statusCode).toBe(404);
    expect((await app.inject('/')).body).toContain('Latest edition: <a href="/editions/2026-W47">');
  });

  it('publishes the archive as an Atom feed, linked from every page: headline, lede and link per edition', async () => {
    const { app, ctx } = await site();
    expect((await app.inject('/feed.xml')).body).not.toContain('<entry>');
    await ctx.subscribers.add('ann@example.com');
    const sent = await weeklyDigest.run(ctx, { allowDemoData: true });
    await ctx.store.saveEdition({ id: '2026-W46', asOf: '2026-11-13', subject: 's', headline: 'Stocks & "bonds" <fell>', demo: false }, FIXED_NOW);
    await ctx.store.markEditionSent('2026-W46', new Date('2026-11-14T13:00:00Z'));
    const res = await app.inject('/feed.xml');
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(res.body)).toBe(true);
    const feed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true }).parse(res.body).feed;
    expect(feed.title).toBe(ctx.config.title);
    expect(feed.link.find((l: { rel: string }) => l.rel === 'self').href).toBe('http://localhost:3000/feed.xml');
    const [latest, older] = feed.entry;
    expect(latest).toMatchObject({
      title: sent.subject.replace('[DEMO DATA] ', ''),
      id: 'http://localhost:3000/editions/2026-W47',
      link: { href: 'http://localhost:3000/editions/2026-W47' },
    });
    const saved = JSON.parse(readFileSync(sent.files.json, 'utf8'));
    expect(latest.summary).toBe(saved.lede);
    // Escaped in the XML, whole once parsed; no lede saved, no summary.
    expect(older).toMatchObject({ title: 'Stocks & "bonds" <fell>', updated: '2026-11-14T13:00:00.000Z' });
    expect(older.summary).toBeUndefined();
    expect((await app.inject('/')).body).toContain('<link rel="alternate" type="application/atom+xml"');
    expect((await app.inject('/archive')).body).toContain('href="/feed.xml"');
  });

  it('healthz reports the database and the next run', async () => {
    const { app } = await site({}, { nextRun: () => new Date('2026-11-28T13:00:00Z') });
    const res = await app.inject('/healthz');
    expect(res.json()).toEqual({
      status: 'ok',
      database: 'ok',
      nextRun: '2026-11-28T13:00:00.000Z',
      feedback: { tripped: false, actedLastHour: 0, limit: 10, heldLastDay: 0, untrustedLastDay: 0 },
    });
  });
});

describe('admin send', () => {
  const ADMIN_TOKEN = 'a'.repeat(32);

  it('does not exist without ADMIN_TOKEN', async () => {
    const { app } = await site();
    expect((await app.inject({ method: 'POST', url: '/admin/send' })).statusCode).toBe(404);
  });

  it('refuses a missing or wrong token and sends nothing; with the token it runs the job', async () => {
    const { app, ctx, sink } = await site({ ADMIN_TOKEN, MARKET_DATA: 'demo' });
    await ctx.subscribers.add('ann@example.com');
    expect((await app.inject({ method: 'POST', url: '/admin/send' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/admin/send', headers: { authorization: `Bearer ${'b'.repeat(32)}` } })).statusCode).toBe(401);
    expect(sink.received).toHaveLength(0);
    // Demo data over SMTP is refused, and says so.
    const refused = await app.inject({ method: 'POST', url: '/admin/send', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatch(/--allow-demo-data/);
    expect(sink.received).toHaveLength(0);
  });

  it('returns the summary as JSON when it sends', async () => {
    const { app, ctx, sink } = await site({ ADMIN_TOKEN });
    await ctx.subscribers.add('ann@example.com');
    // Outbox delivery of demo data is allowed: drop SMTP for this one.
    const outboxCtx = testContext({ ADMIN_TOKEN });
    await outboxCtx.subscribers.add('ann@example.com');
    const res = await buildServer(outboxCtx, { sendNow: () => weeklyDigest.run(outboxCtx, {}) }).inject({
      method: 'POST',
      url: '/admin/send',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ editionId: '2026-W47', delivery: { sent: 1, failed: 0 } });
    expect(sink.received).toHaveLength(0);
    expect(app).toBeDefined();
  });
});

describe('the site around the editions (issue 25)', () => {
  const parseFeed = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true }).parse(xml).feed;
  const sendRow = async (ctx: Context, id: string, sentAt: string, extra: { demo?: boolean; headline?: string } = {}) => {
    await ctx.store.saveEdition({ id, asOf: '2026-11-27', subject: 's', headline: extra.headline ?? 'Small caps led', demo: extra.demo ?? false }, FIXED_NOW);
    await ctx.store.markEditionSent(id, new Date(sentAt));
  };

  it('a bad address is told in one clean sentence (the CLI keeps its own wording)', async () => {
    const { app, ctx } = await site();
    const res = await post(app, '/subscribe', { email: 'not-an-address', form_token: token(ctx) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<p role="alert">That is not an email address. Please enter one like name@example.com.</p>');
    const long = await post(app, '/subscribe', { email: `${'a'.repeat(250)}@example.com`, form_token: token(ctx) });
    expect(long.body).toContain('That address is longer than 254 characters. Please enter one like name@example.com.');
    expect(res.body + long.body).not.toMatch(/\((is|contains) /);
  });

  it('"You are subscribed" says when the next edition goes out, from the configured schedule and the clock', async () => {
    const dir = tempDir();
    const config = join(dir, 'marketwrap.config.json');
    writeFileSync(config, JSON.stringify({ schedule: '0 18 * * 5', timeZone: 'America/New_York' }));
    sink = await startSmtpSink();
    // Monday 7 December 2026, 9:00 in New York: the next Friday 18:00 there is the 11th.
    const ctx = testContext({ SMTP_URL: sink.url, CONFIG_FILE: config }, new Date('2026-12-07T14:00:00Z'));
    const app = buildServer(ctx);
    const sub = await ctx.subscribers.subscribe('new@example.com');
    if (sub.action !== 'confirm') throw new Error('expected a confirmation');
    const res = await app.inject({ method: 'POST', url: `/confirm?token=${signToken(ctx.secretKey, 'confirm', sub.subscriber)}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Thank you. The next edition goes out Friday, December 11 at 6:00 PM ET.');
  });

  it('the archive tells a second edition of a week from the first; "Latest edition" links the newer', async () => {
    const { app, ctx } = await site();
    // Inserted newest first, so neither insertion order nor the id's sort can pass for the rule.
    await sendRow(ctx, '2026-W48-2', '2026-11-28T20:00:00Z');
    await sendRow(ctx, '2026-W48', '2026-11-28T13:00:00Z');
    await sendRow(ctx, '2026-W47', '2026-11-21T13:00:00Z');
    const lines = [...(await app.inject('/archive')).body.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
    expect(lines).toEqual([
      '2026-11-27: Small caps led (second edition of the week, sent Sat, Nov 28, 3:00 PM ET)',
      '2026-11-27: Small caps led (first edition of the week, sent Sat, Nov 28, 8:00 AM ET)',
      '2026-11-27: Small caps led',
    ]);
    expect((await app.inject('/')).body).toContain('Latest edition: <a href="/editions/2026-W48-2">');
  });

  it('demo editions stay in the archive (readers got them), labelled demo data', async () => {
    const { app, ctx } = await site();
    await sendRow(ctx, '2026-W47', '2026-11-21T13:00:00Z', { demo: true, headline: 'Made-up week' });
    await sendRow(ctx, '2026-W46', '2026-11-14T13:00:00Z', { headline: 'Real week' });
    const archive = (await app.inject('/archive')).body;
    expect(archive).toMatch(/Made-up week<\/a> <span class="tag">demo data<\/span><\/li>/);
    expect(archive).toMatch(/Real week<\/a><\/li>/);
    expect(archive).toContain('built from made-up numbers');
    expect((await app.inject('/')).body).toMatch(/Made-up week<\/a> <span class="tag">demo data<\/span>/);
  });

  it('an empty feed is updated now (RFC 4287 requires the element), not in 1970', async () => {
    const { app } = await site();
    const res = await app.inject('/feed.xml');
    expect(XMLValidator.validate(res.body)).toBe(true);
    const feed = parseFeed(res.body);
    expect(feed.entry).toBeUndefined();
    const updated = Date.parse(feed.updated);
    expect(updated).toBeGreaterThanOrEqual(FIXED_NOW.getTime());
    expect(updated).toBeLessThan(FIXED_NOW.getTime() + 60_000);
  });

  it('about, sample and privacy pages exist and every page links them', async () => {
    const { app } = await site();
    for (const url of ['/', '/archive', '/about', '/privacy']) {
      const body = (await app.inject(url)).body;
      for (const href of ['/about', '/sample', '/privacy']) expect(body, `${url} links ${href}`).toContain(`href="${href}"`);
    }
    const about = (await app.inject('/about')).body;
    expect(about).toContain('<h1>About</h1>');
    expect(about).toContain('The next edition goes out Saturday, November 28 at 8:00 AM ET.');
    const privacy = (await app.inject('/privacy')).body;
    for (const kept of [
      'email address',
      'Where the address came from',
      'when you confirmed',
      'status last changed',
      'For each edition sent to you',
      'spam complaint',
      'one-way hash',
    ])
      expect(privacy).toContain(kept);
    expect(privacy).toContain('<code>marketwrap subscribers erase &lt;your address&gt;</code>');
    expect(privacy).toContain('the link at the foot of every email');
    expect(privacy).toContain('href="mailto:digest@example.com"');
  });

  it('the sample is a labelled demo edition before anything has gone out, then the latest real edition', async () => {
    const { app, ctx } = await site();
    const before = await app.inject('/sample');
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('<strong>A sample.</strong>');
    expect(before.body).toContain('The week in numbers');
    expect(before.body).toContain('src="data:image/png;base64,');
    expect(before.body).not.toContain('{{');
    await sendRow(ctx, '2026-W47', '2026-11-21T13:00:00Z', { demo: true });
    expect((await app.inject('/sample')).statusCode).toBe(200); // a demo edition is no real sample
    await sendRow(ctx, '2026-W46', '2026-11-14T13:00:00Z');
    const after = await app.inject('/sample');
    expect(after.statusCode).toBe(302);
    expect(after.headers.location).toBe('/editions/2026-W46');
  });

  it('every edition page carries the subscribe form, and it works', async () => {
    const { app, ctx, sink } = await site();
    await ctx.subscribers.add('ann@example.com');
    await weeklyDigest.run(ctx, { allowDemoData: true });
    const web = (await app.inject('/editions/2026-W47')).body;
    expect(web).toContain('<form method="post" action="/subscribe">');
    expect(web.indexOf('action="/subscribe"')).toBeGreaterThan(web.indexOf('The week in numbers'));
    const formToken = /name="form_token" value="([^"]+)"/.exec(web)![1]!;
    const res = await post(app, '/subscribe', { email: 'reader@example.com', form_token: formToken });
    expect(res.statusCode).toBe(200);
    await app.confirmations.runOnce();
    expect(sink.received.map((r) => r.envelopeTo[0])).toContain('reader@example.com');
  });
});
