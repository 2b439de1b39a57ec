/** The desk at /admin over fastify's inject: sign-in, sessions, CSRF, and the list's pages against a real database. */
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../src/web/server.js';
import { findSession, issueSignInToken, LINK_TTL_MS, SESSION_TTL_MS, startSession, useSignInToken } from '../../src/web/admin/session.js';
import { FIXED_NOW, testContext } from '../helpers/context.js';
import { rawSql } from '../helpers/database.js';
import { ADMIN_TOKEN, DESK_PAGES, desk, FORM, field, saveDraft, signIn } from '../helpers/desk.js';

describe('the desk', () => {
  it('signs in with the admin token into a session kept hashed in the database, and signs out', async () => {
    const ctx = testContext({ ADMIN_TOKEN });
    const app = buildServer(ctx);
    expect((await signIn(app, 'b'.repeat(32))).res.statusCode).toBe(401);
    const { res, cookie } = await signIn(app);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin');
    expect(res.headers['set-cookie']).toMatch(/^marketwrap_desk=[\w-]{32}; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const stored = await rawSql(ctx, 'SELECT hash, kind FROM admin_tokens');
    expect(stored).toEqual([{ hash: expect.stringMatching(/^[0-9a-f]{64}$/), kind: 'session' }]);
    expect(JSON.stringify(stored)).not.toContain(cookie.split('=')[1]);
    expect((await app.inject({ url: '/admin/list', headers: { cookie } })).statusCode).toBe(200);
    const csrf = field((await app.inject({ url: '/admin/list', headers: { cookie } })).body, 'csrf');
    const out = await app.inject({ method: 'POST', url: '/admin/logout', headers: { ...FORM, cookie }, payload: `csrf=${csrf}` });
    expect(out.statusCode).toBe(303);
    expect(out.headers['set-cookie']).toMatch(/Max-Age=0/);
    expect((await app.inject({ url: '/admin/list', headers: { cookie } })).statusCode).toBe(303);
  });

  it('sets the cookie Secure behind https as a trusted proxy says, and never on a stranger’s word', async () => {
    for (const [trust, secure] of [
      ['1', true],
      ['', false],
    ] as const) {
      const app = buildServer(testContext({ ADMIN_TOKEN, TRUST_PROXY: trust }));
      const form = await app.inject({ url: '/admin/login' });
      const res = await app.inject({
        method: 'POST',
        url: '/admin/login',
        headers: { ...FORM, 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.1' },
        payload: new URLSearchParams({ form_token: field(form.body, 'form_token'), token: ADMIN_TOKEN }).toString(),
      });
      expect(String(res.headers['set-cookie']).endsWith('; Secure'), `TRUST_PROXY=${trust}`).toBe(secure);
    }
  });

  it('refuses every page without a session, and every form without its CSRF token or from another site', async () => {
    const ctx = testContext({ ADMIN_TOKEN });
    const app = buildServer(ctx);
    await ctx.subscribers.add('ann@example.com');
    for (const url of DESK_PAGES) {
      const res = await app.inject({ url });
      expect([res.statusCode, res.headers.location], url).toEqual([303, '/admin/login']);
      expect((await app.inject({ url, headers: { cookie: `marketwrap_desk=${'x'.repeat(32)}` } })).statusCode, url).toBe(303);
    }
    const d = await desk(app);
    for (const url of DESK_PAGES) expect((await d.get(url)).statusCode, url).toBe(200);
    const posts = ['/admin/subscribers/1/status', '/admin/import/preview', '/admin/import', '/admin/logout'];
    for (const url of posts) {
      expect((await app.inject({ method: 'POST', url, headers: FORM, payload: `csrf=${d.csrf}&action=erase` })).statusCode, url).toBe(401);
      expect((await app.inject({ method: 'POST', url, headers: { ...FORM, cookie: d.cookie }, payload: 'action=erase' })).statusCode, url).toBe(403);
      expect((await app.inject({ method: 'POST', url, headers: { ...FORM, cookie: d.cookie }, payload: `action=erase&csrf=${'y'.repeat(32)}` })).statusCode, url).toBe(403);
      const crossSite = await app.inject({ method: 'POST', url, headers: { ...FORM, cookie: d.cookie, 'sec-fetch-site': 'cross-site' }, payload: `action=erase&csrf=${d.csrf}` });
      expect(crossSite.statusCode, url).toBe(403);
    }
    expect(await ctx.store.findSubscriber('ann@example.com')).toMatchObject({ status: 'confirmed' });
  });

  it('previews an import without writing, then imports the same', async () => {
    const ctx = testContext({ ADMIN_TOKEN });
    const app = buildServer(ctx);
    await ctx.subscribers.add('ann@example.com');
    const d = await desk(app);
    const csv = 'Email Address,Name\nbob@example.com,Bob\nann@example.com,Ann\nnot-an-address,X\nBOB@example.com,Bob again\ncy@example.com,Cy\n';
    const preview = await d.post('/admin/import/preview', { csv });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toMatch(/<b>2<\/b>to add, confirmed/);
    expect(preview.body).toMatch(/<b>2<\/b>already on the list/);
    expect(preview.body).toMatch(/<td class="n">4<\/td><td>not-an-address<\/td>/);
    expect((await ctx.store.listSubscribers()).map((s) => s.email)).toEqual(['ann@example.com']);
    const done = await d.post('/admin/import', { csv: field(preview.body, 'csv').replace(/&#x0A;|&#10;/g, '\n') || csv });
    expect(done.body).toMatch(/<b>2<\/b>added, confirmed/);
    expect((await ctx.store.listSubscribers()).map((s) => [s.email, s.status, s.consent_source])).toEqual([
      ['ann@example.com', 'confirmed', 'cli'],
      ['bob@example.com', 'confirmed', 'import'],
      ['cy@example.com', 'confirmed', 'import'],
    ]);
  });

  it('finds subscribers by the start of their address and changes a status only as the rules allow', async () => {
    const ctx = testContext({ ADMIN_TOKEN });
    const app = buildServer(ctx);
    for (const email of ['ann@example.com', 'anna@example.com', 'bob@example.com']) await ctx.subscribers.add(email);
    const d = await desk(app);
    const found = await d.get('/admin/list?q=ANN');
    expect([...found.body.matchAll(/href="\/admin\/subscribers\/\d+">([^<]+)</g)].map((m) => m[1])).toEqual(['ann@example.com', 'anna@example.com']);
    const ann = (await ctx.store.findSubscriber('ann@example.com'))!;
    expect((await d.post(`/admin/subscribers/${ann.id}/status`, { action: 'unsubscribe' })).statusCode).toBe(303);
    expect(await ctx.store.findSubscriber('ann@example.com')).toMatchObject({ status: 'unsubscribed' });
    // Only the reader can undo their unsubscribe: the desk refuses, and does not offer it.
    expect((await d.post(`/admin/subscribers/${ann.id}/status`, { action: 'confirm' })).statusCode).toBe(409);
    expect((await d.get(`/admin/subscribers/${ann.id}`)).body).not.toContain('value="confirm"');
    expect((await d.post(`/admin/subscribers/${ann.id}/status`, { action: 'erase' })).statusCode).toBe(200);
    expect(await ctx.store.findSubscriber('ann@example.com')).toBeUndefined();
  });

  it('shows the next edition with its checks and previews, approves it with a note and a subject, or holds it, through desk-core', async () => {
    const ctx = testContext({ ADMIN_TOKEN });
    const app = buildServer(ctx);
    const id = await saveDraft(ctx);
    const d = await desk(app);
    const next = await d.get('/admin');
    expect(next.body).toContain('Every check passed.');
    expect(next.body).toMatch(/<iframe title="The email at 375 pixels" src="\/admin\/editions\/2026-W47\/preview" width="375"/);
    expect(next.headers['content-security-policy']).toMatch(/frame-src 'self'/);
    const preview = await d.get(`/admin/editions/${id}/preview`);
    expect([preview.statusCode, preview.headers['x-frame-options']]).toEqual([200, 'SAMEORIGIN']);
    expect(preview.headers['content-security-policy']).toMatch(/frame-ancestors 'self'/);
    // The email as the list gets it, its charts inline (no request back to the desk from the frame).
    expect(preview.body).toMatch(/<img[^>]+src="data:image\/png;base64,/);
    expect(preview.body).toContain('reader@example.com');
    // Every other page still may not be framed.
    expect((await d.get('/admin/list')).headers['x-frame-options']).toBe('DENY');
    expect((await app.inject({ url: `/admin/editions/${id}/preview` })).statusCode).toBe(303);

    const bad = await d.post(`/admin/editions/${id}/approve`, { note: 'one\n\ntwo', subject: '' });
    expect([bad.statusCode, bad.body.includes('the note must be one paragraph (no blank lines)')]).toEqual([400, true]);
    // A build's findings, as desk-core keeps them, are listed.
    await ctx.store.saveDraft(id, { reviewKey: 'rebuilt', checks: ['the lede repeats the headline'], sendAt: '2026-11-23T14:00:00.000Z' }, FIXED_NOW);
    expect((await d.get('/admin')).body).toMatch(/<ul class="bad"><li>the lede repeats the headline<\/li><\/ul>/);
    const held = await d.post(`/admin/editions/${id}/hold`, { reason: 'waiting for the Fed' });
    expect(held.statusCode).toBe(303);
    expect((await d.get(`/admin/editions/${id}`)).body).toContain('Held: waiting for the Fed');
    expect((await d.post(`/admin/editions/${id}/approve`, { note: 'CPI is out on Wednesday.', subject: 'My subject' })).statusCode).toBe(303);
    expect(await ctx.store.editionReview(id)).toMatchObject({ state: 'approved', note: 'CPI is out on Wednesday.', subject_override: 'My subject', reviewed_by: 'desk' });
    const approved = (await d.get(`/admin/editions/${id}/preview`)).body;
    expect(approved).toContain('CPI is out on Wednesday.');
    expect((await d.get('/admin/editions')).body).toMatch(/2026-W47<\/a><\/td><td>approved<\/td><td class="wrap">My subject/);
  });

  it('a sign-in link works once, for 15 minutes, only as signed; a session ends after 12 hours', async () => {
    const ctx = testContext();
    const at = (ms: number) => new Date(FIXED_NOW.getTime() + ms);
    const token = await issueSignInToken(ctx.store, ctx.secretKey, FIXED_NOW);
    expect(await useSignInToken(ctx.store, 'x'.repeat(40), token, FIXED_NOW)).toBe(false);
    const [expires, nonce, mac] = token.split('.');
    expect(await useSignInToken(ctx.store, ctx.secretKey, `${Number(expires) + 3_600_000}.${nonce}.${mac}`, FIXED_NOW)).toBe(false);
    const stale = await issueSignInToken(ctx.store, ctx.secretKey, FIXED_NOW);
    expect(await useSignInToken(ctx.store, ctx.secretKey, stale, at(LINK_TTL_MS))).toBe(false);
    expect(await useSignInToken(ctx.store, ctx.secretKey, token, at(60_000))).toBe(true);
    expect(await useSignInToken(ctx.store, ctx.secretKey, token, at(61_000))).toBe(false);
    const session = await startSession(ctx.store, FIXED_NOW);
    expect(await findSession(ctx.store, session.id, at(SESSION_TTL_MS - 1))).toEqual(session);
    expect(await findSession(ctx.store, session.id, at(SESSION_TTL_MS))).toBeUndefined();
  });

  it('limits sign-in attempts per client as the subscribe form is limited', async () => {
    const app = buildServer(testContext({ ADMIN_TOKEN }), { subscribeLimit: { limit: 3, windowMs: 60_000 } });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await signIn(app, 'wrong'.repeat(8))).res.statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    expect((await signIn(app)).res.statusCode).toBe(429);
  });

  it('shows each report with its evidence and what was done, and each source with its last fetch and a stale one marked', async () => {
    const ctx = testContext({ ADMIN_TOKEN });
    const app = buildServer(ctx);
    const ann = await ctx.subscribers.add('ann@example.com');
    const report = { emailHash: 'h', editionId: '2026-W47', messageId: null, reportId: null } as const;
    await ctx.store.addFeedbackEvent(
      { ...report, subscriberId: ann.id, kind: 'hard-bounce', source: 'postmark', detail: '550 5.1.1 no such user', trust: 'proven', action: 'bounced' },
      FIXED_NOW,
    );
    await ctx.store.addFeedbackEvent({ ...report, subscriberId: null, kind: 'complaint', source: 'ses', detail: 'abuse report', trust: 'untrusted', action: null }, FIXED_NOW);
    await ctx.store.saveCloses('yahoo:^GSPC', [{ date: '2026-11-20', close: 6650 }], FIXED_NOW);
    await ctx.store.saveCloses('fred:DGS2', [{ date: '2026-11-06', close: 3.5 }], new Date('2026-11-07T10:00:00Z'));
    const d = await desk(app);
    const feedback = (await d.get('/admin/feedback')).body;
    expect(feedback).toMatch(
      /<td>hard-bounce<\/td><td>postmark<\/td><td>ann@example.com<\/td><td>2026-W47<\/td><td class="wrap">proven: answers a message we sent<\/td><td>set bounced<\/td><td class="wrap"><small>550 5.1.1 no such user/,
    );
    expect(feedback).toMatch(
      /<td>complaint<\/td><td>ses<\/td><td><span class="muted">not on the list<\/span><\/td><td>2026-W47<\/td><td class="wrap">unproven: kept, never acted on<\/td><td>nothing<\/td>/,
    );
    const data = (await d.get('/admin/data')).body;
    expect(data).toMatch(/<td>fred:DGS2<\/td><td>2026-11-07 10:00 UTC<\/td><td>2026-11-06<\/td><td class="bad">2026-11-06 \(over 7 days old\)<\/td>/);
    expect(data).toMatch(/<td>yahoo:\^GSPC<\/td><td>2026-11-21 14:00 UTC<\/td><td>2026-11-20<\/td><td>2026-11-20<\/td>/);
  });
});
