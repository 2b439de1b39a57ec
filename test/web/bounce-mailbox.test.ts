/**
 * The bounce mailbox, read over IMAP from a real Dovecot server: Gmail- and Outlook-style delivery status
 * notifications and a Yahoo abuse report about real deliveries of a digest, a delay warning and a plain
 * message. Each report is matched by Message-ID to its delivery, acted on once, and kept as evidence.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { feedbackDeps } from '../../src/feedback/apply.js';
import { processBounceMailbox } from '../../src/feedback/mailbox.js';
import { readReport } from '../../src/feedback/reports.js';
import { PROJECT_ROOT } from '../../src/shared/paths.js';
import { type Dovecot, hasDovecot, startDovecot } from '../helpers/dovecot.js';
import { testContext } from '../helpers/context.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';

const sample = (name: string, recipient: string, messageId: string) =>
  readFileSync(join(PROJECT_ROOT, 'test/fixtures/bounces', `${name}.eml`), 'utf8')
    .replaceAll('{{RECIPIENT}}', recipient)
    .replaceAll('{{MESSAGE_ID}}', messageId);

describe('reading reports', () => {
  it.each([
    ['gmail-dsn', 'hard-bounce', '5.1.1 smtp; 550-5.1.1 The email account that you tried to reach does not exist.'],
    ['outlook-dsn', 'hard-bounce', '5.1.10 smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'],
    ['yahoo-arf', 'complaint', 'feedback report: abuse (Yahoo!-Mail-Feedback/2.0)'],
  ])('%s: the recipient, the kind, the Message-ID of the original', async (name, kind, detail) => {
    expect(await readReport(Buffer.from(sample(name, 'ann@example.com', '<2026-W47.abc@example.com>')))).toEqual([
      { kind, email: 'ann@example.com', messageId: '<2026-W47.abc@example.com>', proof: ['<2026-W47.abc@example.com>'], source: 'imap', detail },
    ]);
  });

  it('a delay warning and an ordinary message report nothing', async () => {
    expect(await readReport(Buffer.from(sample('delayed-dsn', 'ann@example.com', '<x@y>')))).toEqual([]);
    expect(await readReport(Buffer.from('From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nunsubscribe me\r\n'))).toEqual([]);
  });
});

describe.skipIf(!hasDovecot)('the bounce mailbox over IMAP (Dovecot; apt-get install dovecot-imapd)', () => {
  let dovecot: Dovecot;
  beforeAll(async () => {
    dovecot = await startDovecot();
  }, 30_000);
  afterAll(() => dovecot?.stop());

  it('records each bounce and complaint once, matched to its delivery, and acts on it', async () => {
    const sink = await startSmtpSink();
    const ctx = testContext({ SMTP_URL: sink.url, BOUNCE_IMAP_URL: dovecot.url });
    for (const email of ['ann@example.com', 'bob@example.com', 'cy@example.com', 'dee@example.com']) await ctx.subscribers.add(email);
    await weeklyDigest.run(ctx, { allowDemoData: true });
    await sink.close();
    const ids = new Map<string, string>();
    for (const email of ['ann@example.com', 'bob@example.com', 'cy@example.com', 'dee@example.com'])
      ids.set(email, (await ctx.store.delivery('2026-W47', (await ctx.store.findSubscriber(email))!.id))!.message_id!);
    const idOf = (email: string) => ids.get(email)!;
    dovecot.deliver('gmail', sample('gmail-dsn', 'ann@example.com', idOf('ann@example.com')));
    dovecot.deliver('outlook', sample('outlook-dsn', 'bob@example.com', idOf('bob@example.com')));
    dovecot.deliver('yahoo', sample('yahoo-arf', 'cy@example.com', idOf('cy@example.com')));
    dovecot.deliver('delay', sample('delayed-dsn', 'dee@example.com', idOf('dee@example.com')));
    dovecot.deliver('plain', 'From: dee@example.com\nTo: bounces@example.com\nSubject: thanks!\n\nGreat newsletter.\n');

    const deps = { ...feedbackDeps(ctx), policy: { ...ctx.config.delivery, hardBounceLimit: 1 } };
    expect(await processBounceMailbox(dovecot.url, deps, ctx.clock)).toEqual({ read: 5, unreadable: 0, recorded: 3, acted: 3, untrusted: 0, held: 0, replays: 0, tripped: false });
    const status = async (email: string) => (await ctx.store.findSubscriber(email))!.status;
    expect(await Promise.all(['ann', 'bob', 'cy', 'dee'].map((n) => status(`${n}@example.com`)))).toEqual(['bounced', 'bounced', 'complained', 'confirmed']);
    expect(await ctx.store.feedbackEvents((await ctx.store.findSubscriber('cy@example.com'))!.id)).toMatchObject([
      { kind: 'complaint', trust: 'proven', source: 'imap', edition_id: '2026-W47', message_id: idOf('cy@example.com') },
    ]);
    // Read messages are marked seen: a second run finds nothing new and counts nothing twice.
    expect(await processBounceMailbox(dovecot.url, deps, ctx.clock)).toMatchObject({ read: 0, recorded: 0 });
    expect((await ctx.store.findSubscriber('ann@example.com'))!.hard_bounces).toBe(1);
  }, 30_000);

  it("a wrong password fails with the server's answer", async () => {
    const ctx = testContext();
    await expect(processBounceMailbox(dovecot.url.replace('secret', 'wrong'), feedbackDeps(ctx), ctx.clock)).rejects.toThrow(
      /^cannot read the bounce mailbox at 127\.0\.0\.1:\d+ \(.+\): check BOUNCE_IMAP_URL$/,
    );
  });
});
