/**
 * The list's SMTP client against real servers on loopback: smtp-server with STARTTLS, implicit TLS and
 * AUTH; a scripted server that answers each stage as told (refuses, hangs up, never answers); and a
 * whole digest whose sink counts the connections the configured pool opens.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { classify, composeMessage, smtpListTransport, type PreparedMessage } from '../../src/delivery/index.js';
import { selfSignedCertificate } from '../helpers/certificate.js';
import { tempDir, testContext } from '../helpers/context.js';
import { startScriptedSmtp, type Action, type ScriptedSmtp, type Stage } from '../helpers/scripted-smtp.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

const FAST = { greetingMs: 1000, commandMs: 1000, dataMs: 300 };
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const done of cleanup.splice(0)) await done();
});

const message = (to: string): Promise<PreparedMessage> =>
  composeMessage({ from: { name: 'Wrap', email: 'wrap@example.com' }, to, subject: 'Test', text: 'Hello\n.a line that starts with a dot\n', html: '<p>Hello</p>' });

async function sendAll(url: string, recipients: string[], connections = 1) {
  const transport = smtpListTransport(url, { connections, messagesPerConnection: 100 }, FAST);
  cleanup.push(() => transport.close());
  return Promise.allSettled(recipients.map(async (to) => transport.send(await message(to))));
}

async function scripted(script: (stage: Stage, n: number) => Action | undefined): Promise<ScriptedSmtp> {
  const server = await startScriptedSmtp(script);
  cleanup.push(() => server.close());
  return server;
}

describe('the list SMTP client', () => {
  it('pipelines across messages: the next envelope arrives before the previous message is answered', async () => {
    let verdictAt = 0;
    let nextEnvelopeAt = 0;
    const server = await scripted((stage, n) => {
      if (stage === 'END' && n === 1) {
        verdictAt = Date.now() + 200;
        return { delayMs: 200, reply: '250 2.0.0 queued' };
      }
      if (stage === 'MAIL' && n === 2) nextEnvelopeAt = Date.now();
      return undefined;
    });
    const results = await sendAll(server.url, ['a@example.com', 'b@example.com', 'c@example.com']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(nextEnvelopeAt).toBeGreaterThan(0);
    expect(nextEnvelopeAt).toBeLessThan(verdictAt);
    // One connection; each body only after its own 354, so at most one message is past its end of DATA.
    expect(server.log).toHaveLength(1);
    expect(server.log[0]!.filter((l) => /^(MAIL|RCPT|DATA|<end)/.test(l)).map((l) => l.slice(0, 4))).toEqual([
      'MAIL',
      'RCPT',
      'DATA',
      '<end',
      'MAIL',
      'RCPT',
      'DATA',
      '<end',
      'MAIL',
      'RCPT',
      'DATA',
      '<end',
    ]);
    expect(server.accepted).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
  });

  it.each<[string, Stage, number, Action, string, Partial<typeof FAST>?]>([
    ['a 554 greeting stops the send', 'greeting', 1, '554 5.3.2 not accepting mail', 'server'],
    ['a 421 greeting is temporary', 'greeting', 1, '421 4.3.2 busy, try later', 'temporary'],
    ['no greeting within the timeout is temporary (nothing was sent)', 'greeting', 1, 'hang', 'temporary'],
    ['a 5xx to EHLO stops the send', 'EHLO', 1, '554 5.7.1 go away', 'server'],
    ['a 5xx to MAIL FROM stops the send', 'MAIL', 1, '553 5.7.1 sender not allowed', 'server'],
    ['a 4xx to MAIL FROM is temporary', 'MAIL', 1, '451 4.3.0 try later', 'temporary'],
    ['a 5xx to RCPT TO is the recipient bouncing', 'RCPT', 1, '550 5.1.1 no such user', 'permanent'],
    ['a 5xx to DATA stops the send', 'DATA', 1, '554 5.3.0 no thanks', 'server'],
    ['a recipient 5.1.x at the end of DATA is the recipient bouncing', 'END', 1, '550 5.1.1 mailbox unavailable', 'permanent'],
    ['a 5xx at the end of DATA without a recipient status stops the send', 'END', 1, '552 5.3.4 message too big', 'server'],
    ['a 4xx at the end of DATA is temporary', 'END', 1, '451 4.7.1 greylisted', 'temporary'],
    ['a connection closed before the end of DATA is temporary', 'RCPT', 1, 'close', 'temporary'],
    ['a connection closed after the end of DATA is ambiguous', 'END', 1, 'close', 'ambiguous'],
    ['no answer to the end of DATA within the timeout is ambiguous', 'END', 1, 'hang', 'ambiguous'],
  ])('%s', async (_name, stage, n, action, failure) => {
    const server = await scripted((s, i) => (s === stage && i === n ? action : undefined));
    const [result] = await sendAll(server.url, ['reader@example.com']);
    expect(result!.status).toBe('rejected');
    expect(classify((result as PromiseRejectedResult).reason).failure).toBe(failure);
    expect(server.accepted).toEqual([]);
  });

  it('after a refused recipient: RSET, and the next message goes out on the same connection', async () => {
    const server = await scripted((stage, n) =>
      stage === 'RCPT' && n === 1 ? '550 5.1.1 no such user' : stage === 'DATA' && n === 1 ? '554 5.5.1 no valid recipients' : undefined,
    );
    const results = await sendAll(server.url, ['gone@example.com', 'ann@example.com']);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(server.log).toHaveLength(1);
    expect(server.log[0]).toContain('RSET');
    expect(server.accepted).toEqual(['ann@example.com']);
  });

  it('a 421 that closes the connection fails only what was on it; the rest go out on a new connection', async () => {
    const server = await scripted((stage, n) => (stage === 'MAIL' && n === 2 ? { reply: '421 4.7.0 too many messages, closing', close: true } : undefined));
    const results = await sendAll(server.url, ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(classify((results[1] as PromiseRejectedResult).reason).failure).toBe('temporary');
    expect(server.log.length).toBeGreaterThanOrEqual(2);
    expect(server.accepted.sort()).toEqual(['a@example.com', 'c@example.com', 'd@example.com']);
  });

  it('a server without PIPELINING gets one command at a time and every message', async () => {
    const server = await scripted((stage) => (stage === 'EHLO' ? '250-plain\r\n250 8BITMIME' : undefined));
    const results = await sendAll(server.url, ['a@example.com', 'b@example.com']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(server.accepted).toEqual(['a@example.com', 'b@example.com']);
  });
});

describe('TLS and AUTH against smtp-server', () => {
  let tls: { key: Buffer; cert: Buffer };
  beforeAll(() => {
    tls = selfSignedCertificate('localhost');
  });

  async function tlsServer(secure: boolean, authMethods: string[]) {
    const seen: Array<{ to: string; secure: boolean; user: string | undefined; body: string }> = [];
    const server = new SMTPServer({
      secure,
      ...tls,
      authMethods,
      logger: false,
      closeTimeout: 100,
      onAuth(auth, _session, callback) {
        if (auth.username === 'wrap' && auth.password === 's3cret pass') return callback(null, { user: auth.username });
        callback(new Error('535 5.7.8 bad credentials'));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          seen.push({ to: session.envelope.rcptTo[0]!.address, secure: session.secure, user: session.user as string | undefined, body: Buffer.concat(chunks).toString() });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { port: (server.server.address() as AddressInfo).port, seen };
  }

  it.each([['PLAIN'], ['LOGIN']])('STARTTLS, then AUTH %s: delivered encrypted and authenticated, dots intact', async (method) => {
    const server = await tlsServer(false, [method]);
    const [result] = await sendAll(`smtp://wrap:s3cret%20pass@127.0.0.1:${server.port}?verify=false`, ['ann@example.com']);
    expect(result!.status).toBe('fulfilled');
    expect(server.seen).toMatchObject([{ to: 'ann@example.com', secure: true, user: 'wrap' }]);
    expect(server.seen[0]!.body).toContain('\r\n.a line that starts with a dot');
  });

  it('implicit TLS (smtps://)', async () => {
    const server = await tlsServer(true, ['PLAIN']);
    const [result] = await sendAll(`smtps://wrap:s3cret%20pass@127.0.0.1:${server.port}?verify=false`, ['ann@example.com']);
    expect(result!.status).toBe('fulfilled');
    expect(server.seen).toMatchObject([{ secure: true, user: 'wrap' }]);
  });

  it('a certificate that does not verify, wrong credentials, or no STARTTLS when required: the send stops', async () => {
    const server = await tlsServer(false, ['PLAIN']);
    const failures = [];
    for (const url of [`smtp://wrap:s3cret%20pass@127.0.0.1:${server.port}`, `smtp://wrap:wrong@127.0.0.1:${server.port}?verify=false`]) {
      const [result] = await sendAll(url, ['ann@example.com']);
      failures.push(classify((result as PromiseRejectedResult).reason));
    }
    const plain = await scripted(() => undefined);
    const [result] = await sendAll(plain.url.replace('starttls=never', 'starttls=require'), ['ann@example.com']);
    failures.push(classify((result as PromiseRejectedResult).reason));
    expect(failures.map((f) => f.failure)).toEqual(['server', 'server', 'server']);
    expect(failures[0]!.reply).toMatch(/certificate/i);
    expect(failures[1]!.reply).toMatch(/^535/);
    expect(failures[2]!.reply).toMatch(/does not offer STARTTLS/);
    expect(server.seen).toEqual([]);
  });
});

describe('the configured pool reaches the wire', () => {
  let sink: SmtpSink;
  afterEach(async () => sink?.close());

  it.each([1, 4])('delivery.connections = %i: the sink sees that many connections at once, and each subscriber once', async (connections) => {
    sink = await startSmtpSink();
    const config = join(tempDir(), 'marketwrap.config.json');
    writeFileSync(config, JSON.stringify({ delivery: { connections } }));
    const ctx = testContext({ SMTP_URL: sink.url, CONFIG_FILE: config });
    const emails = Array.from({ length: 40 }, (_, i) => `reader${i}@example.com`);
    for (const email of emails) await ctx.subscribers.add(email);
    const result = await weeklyDigest.run(ctx, { allowDemoData: true });
    await ctx.close();
    expect(result.delivery).toMatchObject({ sent: 40, failed: 0 });
    expect(sink.peakConnections()).toBe(connections);
    expect(sink.received.map((r) => r.envelopeTo[0]).sort()).toEqual([...emails].sort());
  });
});
