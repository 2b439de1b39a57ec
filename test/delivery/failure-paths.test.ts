/**
 * Failure paths found under attack: an edition lost between claim and queue, a server-level 5xx that
 * must not bounce the list, rows held by a sender on another host, and a mid-week run. Each reproduces
 * the failure against real parts (SQLite files, smtp-server on loopback).
 */
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { digestExitCode } from '../../src/cli/digest.js';
import { rawSql } from '../helpers/database.js';
import { classify } from '../../src/delivery/index.js';
import { SmtpError } from '../../src/delivery/smtp/connection.js';
import { smtpErrorFromNodemailer } from '../../src/delivery/smtp/from-nodemailer.js';
import { editionIdFor } from '../../src/edition/id.js';
import { tempDir, testContext, testDatabaseEnv } from '../helpers/context.js';
import { runCliAsync } from '../helpers/cli.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let sink: SmtpSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

const send = { allowDemoData: true };
const list = ['a@example.com', 'b@example.com', 'c@example.com'];

/** A context sending over `server` to the three subscribers of `list`. */
async function listOverSmtp(server: SmtpSink) {
  const ctx = testContext({ SMTP_URL: server.url, CONFIG_FILE: config() });
  for (const e of list) await ctx.subscribers.add(e);
  return ctx;
}

function config(): string {
  const file = join(tempDir(), 'marketwrap.config.json');
  writeFileSync(file, JSON.stringify({ delivery: { retryDelaySeconds: 0.05, connections: 2, hardBounceLimit: 1 } }));
  return file;
}

describe('an edition is never lost between claim and queue', () => {
  it('a failure while queueing (a full disk) leaves the edition unclaimed; the next run sends it', async () => {
    sink = await startSmtpSink();
    const ctx = await listOverSmtp(sink);
    // What SQLite says when the disk is full, on the first row queued.
    await rawSql(ctx, {
      sqlite: "CREATE TRIGGER disk_full BEFORE INSERT ON deliveries BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
      postgres: `CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100'; END $$;
                 CREATE TRIGGER disk_full BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION disk_full()`,
    });
    await expect(weeklyDigest.run(ctx, send)).rejects.toThrow(/disk is full|No space left on device/);
    expect((await ctx.ledger.editionState('2026-W47'))?.send_started_at ?? null).toBeNull();
    await rawSql(ctx, { sqlite: 'DROP TRIGGER disk_full', postgres: 'DROP TRIGGER disk_full ON deliveries' });
    const result = await weeklyDigest.run(ctx, send);
    expect(result.delivery).toMatchObject({ total: 3, sent: 3, queued: 0 });
    expect(digestExitCode(result)).toBe(0);
    expect(sink.received).toHaveLength(3);
  });

  it('--resume of an edition claimed with no rows (written by an older version) queues and sends it, never completes it empty', async () => {
    sink = await startSmtpSink();
    const ctx = await listOverSmtp(sink);
    await weeklyDigest.run(ctx, { ...send, dryRun: true }); // saves the edition's files
    expect(await ctx.ledger.beginEdition('2026-W47', 'old:1', new Date())).toBe(true); // claimed, nothing queued
    const resumed = await weeklyDigest.run(ctx, { ...send, resume: true });
    expect(resumed.delivery).toMatchObject({ total: 3, sent: 3 });
    expect(sink.received).toHaveLength(3);
    expect((await ctx.ledger.editionState('2026-W47'))?.send_completed_at).not.toBeNull();
  });
});

describe('a server-level 5xx stops the send instead of bouncing the list', () => {
  it('551 to MAIL FROM: nobody bounced, every row still queued, exit 1 with what to fix; --resume after the fix sends all', async () => {
    let refuse = true;
    sink = await startSmtpSink({
      onMailFrom(_address, _session, callback) {
        if (refuse) return callback(Object.assign(new Error('Sender address rejected: not owned by user'), { responseCode: 553 }));
        callback();
      },
    });
    const ctx = await listOverSmtp(sink);
    for (let run = 0; run < 2; run++) {
      const result = await weeklyDigest.run(ctx, run === 0 ? send : { ...send, resume: true });
      expect(result.delivery).toMatchObject({ sent: 0, failed: 0, queued: 3, stopped: expect.stringMatching(/^553/) });
      expect(digestExitCode(result)).toBe(1);
    }
    for (const e of list) expect((await ctx.store.findSubscriber(e))!.status).toBe('confirmed'); // hardBounceLimit is 1: one bounce would show
    refuse = false;
    const fixed = await weeklyDigest.run(ctx, { ...send, resume: true });
    expect(fixed.delivery).toMatchObject({ sent: 3, queued: 0 });
    expect(digestExitCode(fixed)).toBe(0);
    expect(sink.received).toHaveLength(3);
  });

  it('classifies by stage: RCPT TO and recipient statuses at DATA count against the recipient, the rest is the server', () => {
    const reply = (responseCode: number, command: string, response: string) => classify(new SmtpError(response, 'EPROTOCOL', command, responseCode, response));
    expect(reply(550, 'RCPT TO', '550 5.1.1 No such user').failure).toBe('permanent');
    expect(reply(550, 'DATA', '550 5.1.1 <x@example.com>: Recipient address rejected').failure).toBe('permanent');
    expect(reply(552, 'DATA', '552 5.2.2 Mailbox full').failure).toBe('permanent');
    expect(reply(554, 'DATA', '554 5.7.1 Message rejected as spam').failure).toBe('server');
    for (const command of ['CONN', 'EHLO', 'AUTH PLAIN', 'MAIL FROM']) expect(reply(554, command, '554 5.7.0 Access denied').failure).toBe('server');
    expect(reply(451, 'MAIL FROM', '451 4.3.0 Try later').failure).toBe('temporary');
  });

  it("reads nodemailer's errors (single emails) as the SMTP client's: the same class for the same failure, anything else ambiguous", () => {
    const viaNodemailer = (e: object) => classify(smtpErrorFromNodemailer(Object.assign(new Error('x'), e))).failure;
    expect(viaNodemailer({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, response: '550 5.1.1 No such user' })).toBe('permanent');
    expect(viaNodemailer({ code: 'EMESSAGE', command: 'DATA', responseCode: 451, response: '451 4.3.0 Try later' })).toBe('temporary');
    expect(viaNodemailer({ code: 'ESOCKET' })).toBe('temporary');
    expect(viaNodemailer({ code: 'EDNS' })).toBe('temporary');
    expect(viaNodemailer({ code: 'EAUTH', command: 'API' })).toBe('server');
    expect(viaNodemailer({ code: 'ETIMEDOUT' })).toBe('ambiguous');
    expect(classify(new Error('something else')).failure).toBe('ambiguous');
  });
});

describe('rows in flight are leased, not owned by host and pid', () => {
  async function claimAll(ctx: ReturnType<typeof testContext>, owner: string, claimedAt: Date) {
    await ctx.ledger.beginAndQueue('2026-W47', owner, claimedAt);
    await ctx.ledger.claim('2026-W47', owner, 10, claimedAt);
  }

  it('a sender on another host with a current lease keeps its rows: reported, exit 1, nothing sent twice', async () => {
    sink = await startSmtpSink();
    const ctx = await listOverSmtp(sink);
    await weeklyDigest.run(ctx, { ...send, dryRun: true });
    await claimAll(ctx, 'other-host:1:cafe', ctx.clock());
    const result = await weeklyDigest.run(ctx, { ...send, resume: true });
    expect(result.delivery).toMatchObject({ sent: 0, sending: 3, inFlightAtStart: [] });
    expect(digestExitCode(result)).toBe(1);
    expect(sink.received).toHaveLength(0);
  });

  it('after a restart on a new host (the lease ran out), the rows are orphans: reported and completed, exit 1 for the ambiguous ones', async () => {
    sink = await startSmtpSink();
    const ctx = await listOverSmtp(sink);
    await weeklyDigest.run(ctx, { ...send, dryRun: true });
    await claimAll(ctx, 'old-container:1:beef', new Date(ctx.clock().getTime() - 5 * 60_000));
    const result = await weeklyDigest.run(ctx, { ...send, resume: true });
    expect(result.delivery).toMatchObject({ sending: 0, failures: { ambiguous: 3 }, queued: 0 });
    expect(result.delivery!.inFlightAtStart.sort()).toEqual(list);
    expect((await ctx.ledger.editionState('2026-W47'))?.send_completed_at).not.toBeNull();
    expect(digestExitCode(result)).toBe(1);
  });
});

describe('a mid-week run', () => {
  it('on a Tuesday sends the week that ended on Friday, under its own id, and says so the second time', async () => {
    sink = await startSmtpSink();
    const tuesday = new Date('2026-11-24T15:00:00Z');
    const ctx = testContext({ SMTP_URL: sink.url, CONFIG_FILE: config() }, tuesday);
    await ctx.subscribers.add('a@example.com');
    const first = await weeklyDigest.run(ctx, send);
    expect(first).toMatchObject({ editionId: '2026-W47', asOf: '2026-11-20' });
    await expect(weeklyDigest.run(ctx, send)).rejects.toThrow(/edition 2026-W47 was already sent/);
  });

  it('a week-to-date special needs --as-of, gets its own id, and does not take the week from the scheduler', async () => {
    sink = await startSmtpSink();
    const wednesday = new Date('2026-11-25T23:00:00Z');
    const ctx = testContext({ SMTP_URL: sink.url, CONFIG_FILE: config() }, wednesday);
    await ctx.subscribers.add('a@example.com');
    const special = await weeklyDigest.run(ctx, { ...send, asOf: '2026-11-24' });
    expect(special).toMatchObject({ editionId: '2026-W48-tue', asOf: '2026-11-24' });
    // Saturday's scheduled run decides by the completed week, which has not gone out.
    expect(await weeklyDigest.ranSince(ctx, new Date('2026-11-28T13:00:00Z'))).toBe(false);
    expect(editionIdFor('2026-11-27')).toBe('2026-W48');
    expect(editionIdFor('2026-04-02')).toBe('2026-W14'); // Thursday before Good Friday: the whole week
  });
});

describe('servers that cannot listen', () => {
  it('serve and preview on a port in use exit 2 with one line, instead of idling with the schedule armed', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = String((blocker.address() as AddressInfo).port);
    try {
      const dir = tempDir();
      const env = { DATA_DIR: join(dir, 'data'), ...testDatabaseEnv(), OUTBOX_DIR: join(dir, 'outbox'), HOST: '127.0.0.1', PORT: port };
      const serve = await runCliAsync(['serve'], env);
      expect(serve.status).toBe(2);
      expect(serve.stderr.trim()).toBe(`marketwrap: cannot listen on 127.0.0.1:${port} (EADDRINUSE): choose a free port with PORT`);
      const preview = await runCliAsync(['preview', '--port', port], env);
      expect(preview.status).toBe(2);
      expect(preview.stderr).toContain('choose a free port with --port');
      const grace = await runCliAsync(['serve', '--grace', 'abc'], env);
      expect(grace.status).toBe(2);
      expect(grace.stderr).toContain('--grace "abc" is not a number of hours');
    } finally {
      blocker.close();
    }
  }, 60_000);
});
