import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { verifyToken, type TokenSubject } from '../../src/subscribers/index.js';
import { FIXED_NOW, tempDir, testContext } from '../helpers/context.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let sink: SmtpSink | undefined;
/** These tests send demo editions over real SMTP, which needs saying so. */
const demoOverSmtp = { allowDemoData: true };
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

/** Raw header values as sent (mailparser folds List-* headers into one structured object). */
function header(mail: ParsedMail, name: string): string[] {
  return mail.headerLines
    .filter((h) => h.key === name)
    .map((h) =>
      h.line
        .slice(h.line.indexOf(':') + 1)
        .replace(/\r?\n\s+/g, ' ')
        .trim(),
    );
}

function expectDigest(mail: ParsedMail, to: string, secret: string, subscriberOf: (id: number) => TokenSubject | undefined) {
  expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe(to);
  expect(mail.subject).toMatch(/^\[DEMO DATA\] .*(Russell 2000|[Ss]mall caps)/);
  expect(mail.text).toContain('THE WEEK IN NUMBERS');
  expect(mail.text).toContain(to);
  expect(mail.html).toContain('The week in numbers');
  expect(mail.html).toContain(to);
  expect(mail.messageId).toMatch(/^<2026-W47\.[A-Za-z0-9_-]{22}@example\.com>$/);
  expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
  expect(header(mail, 'list-unsubscribe-post')).toEqual(['List-Unsubscribe=One-Click']);
  expect(header(mail, 'list-id')).toEqual(['"The Weekly Wrap" <the-weekly-wrap.example.com>']);
  const unsubscribe = header(mail, 'list-unsubscribe');
  expect(unsubscribe).toHaveLength(1);
  const uris = [...unsubscribe[0]!.matchAll(/<([^>]+)>/g)].map((m) => m[1]!);
  const [https = ''] = uris;
  expect(https).toMatch(/^http:\/\/localhost:3000\/unsubscribe\?token=/);
  expect(uris).toHaveLength(1); // no mailto that nobody reads
  const token = new URL(https).searchParams.get('token')!;
  expect(verifyToken(secret, 'unsubscribe', token, FIXED_NOW, (id) => subscriberOf(id))).toMatchObject({ ok: true });
  expect(mail.html).toContain(https.replace(/&/g, '&amp;'));
  return https;
}

/** A config file with fast retries, so tests of temporary failures do not wait a minute. */
function retryConfig(maxAttempts: number): string {
  const file = join(tempDir(), 'marketwrap.config.json');
  writeFileSync(file, JSON.stringify({ delivery: { maxAttempts, retryDelaySeconds: 0.05, connections: 2 } }));
  return file;
}

describe('delivery', () => {
  it('sends to each confirmed subscriber over real SMTP, once per edition', async () => {
    sink = await startSmtpSink();
    const ctx = testContext({ SMTP_URL: sink.url });
    await ctx.subscribers.add('ann@example.com');
    await ctx.subscribers.add('bob@example.com');
    await ctx.subscribers.add('gone@example.com');
    await ctx.subscribers.remove('gone@example.com');
    const first = await weeklyDigest.run(ctx, demoOverSmtp);
    expect(first.delivery).toMatchObject({ sent: 2, failed: 0, skipped: 0 });
    expect(sink.received.flatMap((r) => r.envelopeTo).sort()).toEqual(['ann@example.com', 'bob@example.com']);
    const people = new Map((await ctx.subscribers.list()).map((s) => [s.id, s]));
    const urls = sink.received.map((r) => expectDigest(r.parsed, r.envelopeTo[0]!, ctx.secretKey, (id) => people.get(id)));
    expect(new Set(urls).size).toBe(2);
    // The same edition again: refused, with what to do; --resume finds nothing owed. Nobody is mailed twice.
    await expect(weeklyDigest.run(ctx, demoOverSmtp)).rejects.toThrow(/edition 2026-W47 was already sent \(2 sent, 0 queued, 0 failed\): use --resume/);
    const resumed = await weeklyDigest.run(ctx, { ...demoOverSmtp, resume: true });
    expect(resumed.delivery).toMatchObject({ sent: 2, queued: 0 });
    expect(sink.received).toHaveLength(2);
  });

  it('writes .eml files to the outbox that parse the same way, one sample copy when the list is empty', async () => {
    const ctx = testContext();
    const result = await weeklyDigest.run(ctx, demoOverSmtp);
    expect(result.note).toMatch(/sample copy went to digest@example.com/);
    const files = readdirSync(ctx.env.OUTBOX_DIR);
    expect(files).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(ctx.env.OUTBOX_DIR, files[0]!)));
    expect(mail.text).toContain('THE WEEK IN NUMBERS');
    expect(header(mail, 'list-unsubscribe-post')).toEqual(['List-Unsubscribe=One-Click']);
    expect(header(mail, 'list-unsubscribe')[0]).toBe('<http://localhost:3000/unsubscribe>');
    expect(mail.messageId).toMatch(/^<2026-W47\./);
  });

  it('sends to --to addresses without touching the ledger', async () => {
    sink = await startSmtpSink();
    const ctx = testContext({ SMTP_URL: sink.url });
    await ctx.subscribers.add('ann@example.com');
    const result = await weeklyDigest.run(ctx, { ...demoOverSmtp, to: ['Test@Example.com'] });
    expect(result.delivery).toMatchObject({ sent: 1 });
    expect(sink.received[0]!.envelopeTo).toEqual(['test@example.com']);
    expect((await weeklyDigest.run(ctx, demoOverSmtp)).delivery).toMatchObject({ sent: 1, skipped: 0, failed: 0 });
  });

  it('records a failure when the SMTP server rejects a recipient, and sends the rest', async () => {
    sink = await startSmtpSink({
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('bounce')) return callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
        callback();
      },
    });
    const ctx = testContext({ SMTP_URL: sink.url });
    await ctx.subscribers.add('bounce@example.com');
    await ctx.subscribers.add('ok@example.com');
    const result = await weeklyDigest.run(ctx, demoOverSmtp);
    expect(result.delivery).toMatchObject({ sent: 1, failed: 1, failures: { permanent: 1 } });
    expect(result.delivery!.failedRecipients).toEqual([{ email: 'bounce@example.com', failure: 'permanent', reply: expect.stringMatching(/^550/) }]);
    expect(await ctx.store.delivery('2026-W47', (await ctx.store.findSubscriber('bounce@example.com'))!.id)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('reports a dead SMTP server as failed deliveries, not a crash, and loses nothing', async () => {
    const ctx = testContext({ SMTP_URL: 'smtp://127.0.0.1:9', CONFIG_FILE: retryConfig(1) });
    await ctx.subscribers.add('ann@example.com');
    const result = await weeklyDigest.run(ctx, demoOverSmtp);
    expect(result.delivery).toMatchObject({ sent: 0, failed: 1, failures: { temporary: 1 } });
    expect(result.delivery!.failedRecipients[0]!.reply).toMatch(/ECONNREFUSED|connect/);
    expect(readdirSync(ctx.editionsDir).sort()).toEqual([
      '2026-W47-small-vs-large.png',
      '2026-W47-week-returns.png',
      '2026-W47.html',
      '2026-W47.json',
      '2026-W47.mail.html',
      '2026-W47.mail.txt',
      '2026-W47.txt',
    ]);
  });
});
