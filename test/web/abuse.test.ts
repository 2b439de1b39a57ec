/** Attacks on the public site that used to work, each reproduced against the real server. */
import { get, request } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signToken } from '../../src/subscribers/index.js';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { buildServer } from '../../src/web/server.js';
import { issueFormToken } from '../../src/web/security.js';
import { join } from 'node:path';
import { type Context, createContext } from '../../src/shared/context.js';
import { FIXED_NOW, OFFLINE_ENV, tempDir, testContext, tickingClock, testDatabaseEnv } from '../helpers/context.js';
import { rawSql } from '../helpers/database.js';
import { startCountingSmtp } from '../helpers/counting-smtp.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let sink: SmtpSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

const subscribe = (app: ReturnType<typeof buildServer>, email: string, secret: string, headers: Record<string, string> = {}, issued = FIXED_NOW) =>
  app.inject({
    method: 'POST',
    url: '/subscribe',
    remoteAddress: '203.0.113.7',
    payload: new URLSearchParams({ email, form_token: issueFormToken(secret, issued.getTime()) }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:3000', ...headers },
  });

describe('the subscribe form', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY says which proxy to believe', async () => {
    const ctx = testContext();
    const app = buildServer(ctx, { subscribeLimit: { limit: 3, windowMs: 60_000 } });
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await subscribe(app, `x${i}@example.com`, ctx.secretKey, { 'x-forwarded-for': `198.51.100.${i}` })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429, 429]); // one client, whatever it claims
    const behindProxy = testContext({ TRUST_PROXY: '1' });
    const proxied = buildServer(behindProxy, { subscribeLimit: { limit: 3, windowMs: 60_000 } });
    for (let i = 0; i < 6; i++) expect((await subscribe(proxied, `y${i}@example.com`, behindProxy.secretKey, { 'x-forwarded-for': `198.51.100.${i}` })).statusCode).toBe(200);
    expect(() => testContext({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: must not be "true"/);
  });

  it('two servers behind one proxy on one database share the per-client limit and the per-address throttle', async () => {
    const dir = tempDir();
    const env = {
      ...OFFLINE_ENV,
      DATA_DIR: join(dir, 'data'),
      OUTBOX_DIR: join(dir, 'outbox'),
      ...testDatabaseEnv(),
      CONFIG_FILE: join(dir, 'none.json'),
      SECRET_KEY: 's'.repeat(40),
      LOG_LEVEL: 'silent',
    };
    const [a, b] = [createContext({ env, clock: tickingClock(FIXED_NOW) }), createContext({ env, clock: tickingClock(FIXED_NOW) })];
    try {
      const servers = [a, b].map((ctx) => buildServer(ctx, { subscribeLimit: { limit: 3, windowMs: 60_000 } }));
      const codes = [];
      for (let i = 0; i < 6; i++) codes.push((await subscribe(servers[i % 2]!, `z${i}@example.com`, a.secretKey)).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429, 429]); // one client, whichever server answers
      const other = { remoteAddress: '203.0.113.8' };
      for (const app of servers)
        await app.inject({
          ...other,
          method: 'POST',
          url: '/subscribe',
          payload: new URLSearchParams({ email: 'same@example.com', form_token: issueFormToken(a.secretKey, FIXED_NOW.getTime()) }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:3000' },
        });
      // The same address through both servers within 15 minutes: one confirmation, not two.
      expect(await b.store.findSubscriber('same@example.com')).toMatchObject({ confirm_day_count: 1 });
      for (const app of servers) await app.close();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('sends one confirmation per address per 15 minutes and three a day, with the same answer every time', async () => {
    sink = await startSmtpSink();
    let offset = 0;
    const base = tickingClock(new Date('2026-11-21T01:00:00Z'));
    const now = () => new Date(base().getTime() + offset);
    const dir = tempDir();
    const ctx = createContext({
      env: {
        DATA_DIR: join(dir, 'data'),
        ...testDatabaseEnv(),
        OUTBOX_DIR: join(dir, 'outbox'),
        CONFIG_FILE: join(dir, 'none.json'),
        LOG_LEVEL: 'silent',
        ...OFFLINE_ENV,
        SMTP_URL: sink.url,
      },
      clock: now,
    });
    const app = buildServer(ctx, { subscribeLimit: { limit: 1000, windowMs: 60_000 } });
    const answers = new Set<string>();
    const burst = async (n: number) => {
      for (let i = 0; i < n; i++) answers.add((await subscribe(app, 'victim@example.com', ctx.secretKey, {}, now())).body.replace(/form_token[^>]*/g, ''));
      await app.confirmations.runOnce();
    };
    await burst(20);
    expect(sink.received).toHaveLength(1);
    offset = 16 * 60_000;
    await burst(5);
    offset = 32 * 60_000;
    await burst(5);
    offset = 48 * 60_000;
    await burst(5);
    expect(sink.received).toHaveLength(3); // three a day, however spaced
    expect(answers.size).toBe(1);
    await app.close();
    await ctx.close();
  });

  it('answers at once and the same way when SMTP is down, and the queue delivers once it is back', async () => {
    const ctx = testContext({ SMTP_URL: 'smtp://127.0.0.1:9' });
    const app = buildServer(ctx, { subscribeLimit: { limit: 100, windowMs: 60_000 } });
    await ctx.subscribers.add('member@example.com');
    const known = await subscribe(app, 'member@example.com', ctx.secretKey);
    const unknown = await subscribe(app, 'stranger@example.com', ctx.secretKey);
    expect([known.statusCode, unknown.statusCode]).toEqual([200, 200]);
    expect(known.body.replace(/form_token[^>]*/g, '')).toBe(unknown.body.replace(/form_token[^>]*/g, ''));
    await app.confirmations.runOnce();
    const pending = await rawSql(ctx, 'SELECT attempts, last_error FROM confirmations');
    expect(pending).toEqual([{ attempts: 1, last_error: expect.stringMatching(/ECONNREFUSED|connect/) }]);
  });
});

describe('the subscribe form under a flood of rotating addresses', () => {
  it('10,010 addresses in 40 networks neither lock a newcomer out nor delay their confirmation', async () => {
    const smtp = await startCountingSmtp();
    try {
      const ctx = testContext({ SMTP_URL: smtp.url });
      const app = buildServer(ctx);
      const post = (email: string, remoteAddress: string) =>
        app.inject({
          method: 'POST',
          url: '/subscribe',
          remoteAddress,
          payload: new URLSearchParams({ email, form_token: issueFormToken(ctx.secretKey, FIXED_NOW.getTime()) }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:3000' },
        });
      let accepted = 0;
      for (let i = 0; i < 10_010; i++) {
        const address = `10.0.${Math.floor(i / 254) % 40}.${(i % 254) + 1}`;
        if ((await post(`victim${i}@example.com`, address)).statusCode === 200) accepted++;
      }
      const newcomer = await post('newcomer@example.com', '192.0.2.77');
      expect(newcomer.statusCode).toBe(200);
      // Each network's share (4 x 5) and no more: the flood queued at most 800 confirmations.
      expect(accepted).toBe(40 * 20);
      const asked = Date.now();
      const before = smtp.acceptedAt.length;
      while (!smtp.counts.has('newcomer@example.com') && Date.now() - asked < 20_000) {
        await app.confirmations.runOnce();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const waited = Date.now() - asked;
      expect(smtp.counts.get('newcomer@example.com')).toBe(1);
      // Sent with the next batch (20), not behind the flood's hundreds still waiting; and soon.
      expect(smtp.acceptedAt.length - before).toBeLessThanOrEqual(2 * 20);
      expect(smtp.acceptedAt.length).toBeLessThan(accepted);
      expect(waited).toBeLessThan(6000);
      // The table stays bounded: at most 10,000 clients and their 40 networks, plus each scope's key count.
      const rows = await rawSql(ctx, 'SELECT COUNT(*) AS n FROM rate_hits');
      expect(Number(rows[0]!['n'])).toBeLessThanOrEqual(10_000 + 41 + 2);
      await app.close();
    } finally {
      await smtp.close();
    }
  }, 180_000);

  it('an IPv6 /64 is one client, and its /48 one network', async () => {
    const ctx = testContext();
    const app = buildServer(ctx, { subscribeLimit: { limit: 2, windowMs: 60_000 } });
    let sent = 0;
    const codes = async (addresses: string[]) => {
      const out: number[] = [];
      for (const remoteAddress of addresses) {
        const res = await app.inject({
          method: 'POST',
          url: '/subscribe',
          remoteAddress,
          payload: new URLSearchParams({ email: `v6-${sent++}@example.com`, form_token: issueFormToken(ctx.secretKey, FIXED_NOW.getTime()) }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:3000' },
        });
        out.push(res.statusCode);
      }
      return out;
    };
    expect(await codes(['2001:db8:1:1::1', '2001:db8:1:1:ffff::2', '2001:0db8:0001:0001::3'])).toEqual([200, 200, 429]);
    // Other /64s of the same /48: their own client counts, one network's share (4 x 2 hits, three taken above) in all.
    expect(await codes(Array.from({ length: 8 }, (_, i) => `2001:db8:1:${(i + 2).toString(16)}::1`))).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(await codes(['2001:db8:2::1', '::ffff:198.51.100.9'])).toEqual([200, 200]);
  });
});

describe('links', () => {
  it("an erased person's links never act on whoever signs up next", async () => {
    const ctx = testContext();
    const app = buildServer(ctx);
    const erased = await ctx.subscribers.add('erased@example.com');
    const oldLink = signToken(ctx.secretKey, 'unsubscribe', erased);
    await ctx.subscribers.erase('erased@example.com');
    const next = await ctx.subscribers.add('next@example.com');
    expect(next.id).not.toBe(erased.id);
    // Even were an id to come back, the link signs the old person's key.
    expect(await ctx.subscribers.unsubscribeByToken(signToken(ctx.secretKey, 'unsubscribe', { id: next.id, token_key: erased.token_key }))).toMatchObject({ ok: false });
    const res = await app.inject({ method: 'POST', url: `/unsubscribe?token=${oldLink}` });
    expect(res.statusCode).toBe(400);
    expect((await ctx.store.findSubscriber('next@example.com'))!.status).toBe('confirmed');
  });

  it('one-click unsubscribe accepts multipart/form-data (RFC 8058); a bad token is a plain 400 page', async () => {
    const ctx = testContext();
    const app = buildServer(ctx);
    const ann = await ctx.subscribers.add('ann@example.com');
    const boundary = '----x';
    const res = await app.inject({
      method: 'POST',
      url: `/unsubscribe?token=${signToken(ctx.secretKey, 'unsubscribe', ann)}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    });
    expect(res.statusCode).toBe(200);
    expect((await ctx.store.findSubscriber('ann@example.com'))!.status).toBe('unsubscribed');
    for (const url of ['/unsubscribe?token=a&token=b', `/unsubscribe?token=${'a'.repeat(300)}`, '/confirm?token=a&token=b']) {
      for (const method of ['GET', 'POST'] as const) {
        const bad = await app.inject({ method, url });
        expect(bad.statusCode, `${method} ${url}`).toBe(400);
        expect(bad.body).not.toMatch(/zod|invalid_type|too_big|"path"|Error/);
      }
    }
  });
});

describe('the admin route', () => {
  const ADMIN_TOKEN = 'a'.repeat(32);

  it('authenticates before reading the body, and takes an empty body', async () => {
    const ctx = testContext({ ADMIN_TOKEN });
    const app = buildServer(ctx, { sendNow: () => weeklyDigest.run(ctx, {}) });
    for (const headers of [{ 'content-type': 'application/json' }, { 'content-type': 'text/plain' }, { 'content-type': 'application/xml' }]) {
      const res = await app.inject({ method: 'POST', url: '/admin/send', headers, payload: '{not json' });
      expect(res.statusCode).toBe(401);
    }
    const big = await app.inject({ method: 'POST', url: '/admin/send', headers: { 'content-type': 'application/json' }, payload: 'x'.repeat(100_000) });
    expect(big.statusCode).toBe(401);
    const empty = await app.inject({ method: 'POST', url: '/admin/send', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' } });
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({ editionId: '2026-W47' });
  });

  it('refuses every spelling of an admin path without the token, and never runs the job', async () => {
    let runs = 0;
    const ctx = testContext({ ADMIN_TOKEN });
    const app = buildServer(ctx, {
      sendNow: async () => {
        runs++;
        return { ok: true };
      },
      // Every wrong token counts against the sign-in limit (desk-attack.test.ts): here the spellings are on trial, not the limit.
      subscribeLimit: { limit: 1000, windowMs: 60_000 },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    // Sent byte for byte as written (as curl --path-as-is does): Node's client does not normalise paths.
    const post = (path: string, token?: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const spellings = [
        '/admin/send',
        '/%61dmin/send',
        '/%61%64%6d%69%6e/%73%65%6e%64',
        '/admin/%73end',
        '/%2561dmin/send',
        '//admin/send',
        '/admin//send',
        '/./admin/send',
        '/x/../admin/send',
        '/admin/./send',
        '/ADMIN/send',
        '/Admin/Send',
        '/admin/send/',
        '/admin/send?x=1',
        '/admin/send#x',
        '/admin%2fsend',
        '/%2fadmin/send',
      ];
      for (const path of spellings) expect([401, 404], path).toContain(await post(path));
      for (const path of spellings) expect([401, 404], path).toContain(await post(path, 'b'.repeat(32)));
      expect(runs).toBe(0);
      // The route itself still answers its owner, under its decoded spelling too.
      expect(await post('/admin/send', ADMIN_TOKEN)).toBe(200);
      expect(await post('/%61dmin/send', ADMIN_TOKEN)).toBe(200);
      expect(runs).toBe(2);
    } finally {
      await app.close();
    }
  });
});

describe('slow clients', () => {
  it('a client that trickles its body is cut off by the request timeout', async () => {
    const ctx = testContext();
    const app = buildServer(ctx, { timeouts: { requestTimeout: 400, connectionTimeout: 300 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    try {
      const started = Date.now();
      const closed = await new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write('POST /subscribe HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n');
          const drip = setInterval(() => socket.write('a'), 100);
          socket.on('close', () => clearInterval(drip));
        });
        let data = '';
        socket.on('data', (c) => (data += c.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', () => undefined);
      });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(closed === '' || /^HTTP\/1\.1 408/.test(closed)).toBe(true);
      expect(buildServer(ctx).server.maxConnections).toBe(1000);
    } finally {
      await app.close();
    }
  });

  it('75 new trickling connections a second from rotating addresses never fill the cap: /healthz answers throughout', async () => {
    const { app, port } = await listening(testContext());
    const attackers: Socket[] = [];
    let opened = 0;
    let held = 0;
    let mostHeld = 0;
    const open = () => {
      // 127.0.1.1-254, all loopback: a client rotating addresses, each holding its headers open.
      const socket = connect({ port, host: '127.0.0.1', localAddress: `127.0.1.${(opened++ % 254) + 1}` }, () => {
        held++;
        mostHeld = Math.max(mostHeld, held);
        socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n');
        const drip = setInterval(() => socket.write('X-Pad: 1\r\n'), 1000);
        socket.once('close', () => {
          clearInterval(drip);
          held--;
        });
      });
      socket.on('error', () => undefined);
      attackers.push(socket);
    };
    const health: Array<number | string> = [];
    const flood = setInterval(() => {
      for (let i = 0; i < 15; i++) open();
    }, 200);
    const probe = setInterval(() => void healthz(port).then((status) => health.push(status)), 250);
    try {
      // 18 s at 75 a second: 1,350 connections, past the 1,000 cap had each been held 15 s as before.
      await new Promise((resolve) => setTimeout(resolve, 18_000));
    } finally {
      clearInterval(flood);
      clearInterval(probe);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const socket of attackers) socket.destroy();
    await app.close();
    expect(opened).toBeGreaterThan(1200);
    expect(health.length).toBeGreaterThan(50);
    expect(health.filter((s) => s !== 200)).toEqual([]);
    expect(mostHeld).toBeLessThan(700);
  }, 40_000);

  it('one client holds at most 32 connections; the others are closed at once and the site answers everyone else', async () => {
    const { app, port } = await listening(testContext());
    const sockets = Array.from({ length: 100 }, () => {
      const socket = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.2' }, () => socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n'));
      socket.on('error', () => undefined);
      return socket;
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const closed = sockets.filter((s) => s.destroyed || s.readableEnded).length;
    expect(await healthz(port)).toBe(200);
    for (const socket of sockets) socket.destroy();
    await app.close();
    expect(closed).toBe(100 - 32);
  });

  it('a keep-alive client gets an answer to every request on one socket, never a 503', async () => {
    const { app, port } = await listening(testContext());
    const statuses = await new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n'));
      let buffer = '';
      socket.on('data', (chunk) => {
        buffer += chunk.toString();
        // One whole answer each (headers, then Content-Length bytes); the next request goes as soon as it is in.
        for (let head = buffer.indexOf('\r\n\r\n'); head >= 0; head = buffer.indexOf('\r\n\r\n')) {
          const length = Number(/^content-length: (\d+)/im.exec(buffer.slice(0, head))?.[1] ?? 0);
          if (buffer.length < head + 4 + length) break;
          seen.push(/^HTTP\/1\.1 (\d+)/.exec(buffer)?.[1] ?? '?');
          buffer = buffer.slice(head + 4 + length);
          if (seen.length === 150) return void socket.end(() => resolve(seen));
          socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
        }
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(seen));
    });
    await app.close();
    expect(statuses).toHaveLength(150);
    expect(new Set(statuses)).toEqual(new Set(['200']));
  });
});

/** The site on a free loopback port. */
async function listening(ctx: Context) {
  const app = buildServer(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.server.address() as AddressInfo).port };
}

/** GET /healthz on a fresh connection from 127.0.0.1: the status, or why there was none within 3 s. */
function healthz(port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve(error.message));
  });
}
