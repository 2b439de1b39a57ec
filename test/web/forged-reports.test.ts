/**
 * The bounce mailbox as a stranger attacks it, over IMAP against a real Dovecot, after a real send over
 * SMTP: reports that prove nothing change nothing (kept as evidence, counted); a report acts only on the
 * one subscriber its Message-ID or VERP return path names, once; past the circuit breaker's share the
 * reports are kept and not acted on, and /healthz and the summary say so; a poison message is flagged
 * and skipped, and the reports behind it are read.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import type { Context } from '../../src/shared/context.js';
import { feedbackDeps } from '../../src/feedback/apply.js';
import { mailboxSummary, processBounceMailbox, UNREADABLE } from '../../src/feedback/mailbox.js';
import { buildServer } from '../../src/web/server.js';
import { type Dovecot, hasDovecot, startDovecot } from '../helpers/dovecot.js';
import { tempDir, testContext } from '../helpers/context.js';
import { startSmtpSink } from '../helpers/smtp-sink.js';
import { runCli } from '../helpers/cli.js';

let n = 0;
/** An RFC 3464 report from a stranger's server: one failed block per recipient, the original's headers when given. */
function dsn(recipients: string[], proof: { messageId?: string; to?: string } = {}): string {
  const blocks = recipients.map((r) => `Final-Recipient: rfc822; ${r}\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 no such user\n`).join('\n');
  const original = proof.messageId ? `Message-ID: ${proof.messageId}\nTo: ${recipients[0]}\n` : `To: ${recipients[0]}\n`;
  return (
    `From: Mail Delivery System <MAILER-DAEMON@mx.evil.example>\nTo: ${proof.to ?? 'bounces@example.com'}\nSubject: Undelivered Mail\n` +
    `Message-ID: <r${n++}@mx.evil.example>\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n` +
    `--B\nContent-Type: text/plain\n\nfailed\n\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.evil.example\n\n${blocks}\n` +
    `--B\nContent-Type: text/rfc822-headers\n\n${original}\n--B--\n`
  );
}

function arf(recipient: string, messageId: string): string {
  return (
    `From: attacker@evil.example\nTo: bounces@example.com\nSubject: abuse\nMessage-ID: <a${n++}@evil.example>\nMIME-Version: 1.0\n` +
    `Content-Type: multipart/report; report-type=feedback-report; boundary="F"\n\n--F\nContent-Type: text/plain\n\nspam\n\n` +
    `--F\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: evil/1.0\nVersion: 1\nOriginal-Rcpt-To: ${recipient}\n\n` +
    `--F\nContent-Type: message/rfc822\n\nMessage-ID: ${messageId}\nTo: ${recipient}\n\n(body)\n--F--\n`
  );
}

/** The Message-ID as it used to be made: a hash anyone could compute from the public edition id. */
const oldMessageId = (email: string) => `<2026-W47.${createHash('sha256').update(`2026-W47\n${email}`).digest('base64url').slice(0, 22)}@example.com>`;

interface Sent {
  ctx: Context;
  messageId: Map<string, string>;
  returnPath: Map<string, string>;
}

/** A list of `emails`, sent the demo edition over real SMTP: each one's Message-ID and envelope sender as they went out. */
async function sentTo(emails: string[], env: Record<string, string> = {}): Promise<Sent> {
  const sink = await startSmtpSink();
  const ctx = testContext({ SMTP_URL: sink.url, ...env });
  for (const email of emails) await ctx.subscribers.add(email);
  await weeklyDigest.run(ctx, { allowDemoData: true });
  await sink.close();
  const messageId = new Map(sink.received.map((r) => [r.envelopeTo[0]!, r.parsed.messageId!]));
  const returnPath = new Map(sink.received.map((r) => [r.envelopeTo[0]!, r.envelopeFrom]));
  return { ctx, messageId, returnPath };
}

const status = async (ctx: Context, email: string) => {
  const s = (await ctx.store.findSubscriber(email))!;
  return `${s.status}/${s.hard_bounces}`;
};

describe.skipIf(!hasDovecot)('reports a stranger can write (Dovecot)', () => {
  // One server per test: its Maildir is a temporary folder, cleaned up after each test.
  let dovecot: Dovecot;
  beforeEach(async () => {
    dovecot = await startDovecot();
  }, 30_000);
  afterEach(() => dovecot?.stop());

  it('reports that prove nothing are kept and counted, never acted on; a proven one acts on its one subscriber once', async () => {
    const people = ['ann@example.com', 'bob@example.com', 'cy@example.com', 'dee@example.com'];
    const { ctx, messageId, returnPath } = await sentTo(people);
    expect(returnPath.get('dee@example.com')).toMatch(/^digest\+2026-W47\.\d+\.[0-9a-f]{24}@example\.com$/);
    // The old computable Message-ID, a bare address, a made-up VERP address, an ARF with a made-up Message-ID.
    dovecot.deliver('old-id', dsn(['ann@example.com', 'ann@example.com'], { messageId: oldMessageId('ann@example.com') }));
    dovecot.deliver('bare', dsn(['bob@example.com']));
    const forgedVerp = returnPath.get('cy@example.com')!.replace(/\.[0-9a-f]{24}@/, `.${'0'.repeat(24)}@`);
    dovecot.deliver('verp', dsn(['cy@example.com'], { to: forgedVerp }));
    dovecot.deliver('arf', arf('cy@example.com', '<2026-W47.AAAAAAAAAAAAAAAAAAAAAA@example.com>'));
    // A real bounce to dee's return path (no Message-ID), listing dee twice and ann too: dee is counted once, ann not at all.
    dovecot.deliver('real', dsn(['dee@example.com', 'dee@example.com', 'ann@example.com'], { to: returnPath.get('dee@example.com')! }));

    // One DSN naming 2,000 recipients: kept as evidence of its first 20 only.
    dovecot.deliver('many', dsn(Array.from({ length: 2000 }, (_, i) => `x${i}@example.com`)));

    const run = await processBounceMailbox(dovecot.url, feedbackDeps(ctx), ctx.clock);
    expect(run).toEqual({ read: 6, unreadable: 0, recorded: 28, acted: 0, untrusted: 25, held: 0, replays: 0, tripped: false });
    expect(await Promise.all(people.map((p) => status(ctx, p)))).toEqual(['confirmed/0', 'confirmed/0', 'confirmed/0', 'confirmed/1']);
    expect((await ctx.store.untrustedFeedback(25)).slice(0, 5).map((e) => `${e.kind} ${e.trust} ${e.message_id}`)).toEqual([
      `hard-bounce untrusted ${oldMessageId('ann@example.com')}`,
      `hard-bounce untrusted ${oldMessageId('ann@example.com')}`,
      'hard-bounce untrusted null',
      'hard-bounce untrusted null',
      'complaint untrusted <2026-W47.AAAAAAAAAAAAAAAAAAAAAA@example.com>',
    ]);
    // The real Message-ID proves it just as well: a complaint about cy's own message acts on cy.
    dovecot.deliver('arf-real', arf('someone-else@example.com', messageId.get('cy@example.com')!));
    expect(await processBounceMailbox(dovecot.url, feedbackDeps(ctx), ctx.clock)).toMatchObject({ read: 1, acted: 1, untrusted: 0 });
    expect(await status(ctx, 'cy@example.com')).toBe('complained/0');
    expect(await status(ctx, 'ann@example.com')).toBe('confirmed/0');
  }, 60_000);

  it('past the breaker, proven reports are kept but not acted on, and /healthz and the summary say so', async () => {
    const people = Array.from({ length: 30 }, (_, i) => `p${i}@example.com`);
    const config = join(tempDir(), 'marketwrap.config.json');
    writeFileSync(config, JSON.stringify({ feedback: { breaker: { maxShare: 0.02, minCount: 3, maxCount: 200 } } }));
    const { ctx, messageId } = await sentTo(people, { CONFIG_FILE: config });
    for (const p of people.slice(0, 8)) dovecot.deliver('complaint', arf(p, messageId.get(p)!));

    const run = await processBounceMailbox(dovecot.url, feedbackDeps(ctx), ctx.clock);
    expect(run).toMatchObject({ read: 8, recorded: 8, acted: 3, held: 5, tripped: true });
    expect(mailboxSummary(run)).toMatch(/the circuit breaker stopped acting: 5 proven reports kept but not acted on/);
    expect((await Promise.all(people.slice(0, 8).map((p) => status(ctx, p)))).filter((s) => s === 'complained/0')).toHaveLength(3);
    const app = buildServer(ctx);
    const health = (await app.inject({ method: 'GET', url: '/healthz' })).json();
    await app.close();
    expect(health.feedback).toEqual({ tripped: true, actedLastHour: 3, limit: 3, heldLastDay: 5, untrustedLastDay: 0 });
  }, 60_000);

  it('a poison message (1,100 parts, 2,000 levels, 1.2 MB) is flagged and skipped; the reports behind it are read', async () => {
    const { ctx, messageId } = await sentTo(['ann@example.com']);
    let wide = 'From: x@evil.example\nSubject: wide\nContent-Type: multipart/mixed; boundary="w"\n\n';
    for (let i = 0; i < 1100; i++) wide += `--w\nContent-Type: text/plain\n\n${i}\n`;
    let deep = 'From: x@evil.example\nSubject: deep\n';
    for (let i = 0; i < 2000; i++) deep += `Content-Type: multipart/mixed; boundary="d${i}"\n\n--d${i}\n`;
    dovecot.deliver('wide', `${wide}--w--\n`);
    dovecot.deliver('deep', `${deep}Content-Type: text/plain\n\nx\n`);
    dovecot.deliver('big', `From: x@evil.example\nSubject: big\n\n${'x'.repeat(1000)}\n`.repeat(1200));
    dovecot.deliver('real', dsn(['ann@example.com'], { messageId: messageId.get('ann@example.com')! }));

    // The real command, as cron runs it: exit 0, the poison counted, the report behind it read.
    const env = {
      DATA_DIR: ctx.env.DATA_DIR,
      CONFIG_FILE: ctx.env.CONFIG_FILE,
      BOUNCE_IMAP_URL: dovecot.url,
      ...(ctx.env.DATABASE_URL ? { DATABASE_URL: ctx.env.DATABASE_URL } : {}),
    };
    const cli = runCli(['subscribers', 'bounces'], env);
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/^4 messages read, 1 bounces and complaints recorded: 0 acted on, 0 without proof .*, 3 unreadable \(flagged \$MarketwrapUnreadable\)\n$/);
    expect(await status(ctx, 'ann@example.com')).toBe('confirmed/1');
    // Marked seen, so the next run does not stumble on them again; flagged for someone to look at.
    expect(await processBounceMailbox(dovecot.url, feedbackDeps(ctx), ctx.clock)).toMatchObject({ read: 0, unreadable: 0 });
    const client = new ImapFlow({ host: '127.0.0.1', port: Number(new URL(dovecot.url).port), secure: false, auth: { user: 'bounces', pass: 'secret' }, logger: false });
    await client.connect();
    const lock = await client.getMailboxLock('INBOX');
    const flagged = await client.search({ keyword: UNREADABLE }, { uid: true });
    lock.release();
    await client.logout();
    expect(flagged).toHaveLength(3);
  }, 60_000);
});
