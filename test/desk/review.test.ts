/**
 * Review before the send, end to end on real parts: the scheduled job's clock (passed in, no waiting),
 * real builds, a real SMTP server on loopback (some addresses refused), the site's real approve/hold
 * routes over HTTP, and the CLI's figures read back against the ledger. SQLite, or PostgreSQL with
 * TEST_DATABASE=postgres.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { deskTick, rebuildDraft, sendReviewed } from '../../jobs/review.js';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { type Context, createContext } from '../../src/shared/context.js';
import { approveEdition, deskStats, holdEdition, listEditions, previewEdition, showEdition } from '../../src/desk/index.js';
import { buildServer } from '../../src/web/server.js';
import { cliDirs, cliEnv, runCli, startCli } from '../helpers/cli.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';
import { templatesTalkingAboutThemselves } from '../helpers/templates.js';

const PUBLISHER = 'publisher@example.com';
/** Saturday 2026-11-21: the send is due at 08:00 New York (13:00Z); 06:30 is within the 2 hours ahead. */
const BEFORE = new Date('2026-11-21T11:30:00Z');
const AFTER = new Date('2026-11-21T13:00:30Z');

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A context whose clock the test moves, a sink that refuses bad@ for good, and the config's schedule. */
async function desk(approval: 'auto' | 'required', options: { templatesDir?: string; buildAhead?: string; publisher?: boolean } = {}) {
  const sink = await startSmtpSink({
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('bad@')) return callback(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }));
      callback();
    },
  });
  const { env } = cliDirs();
  writeFileSync(env.CONFIG_FILE, JSON.stringify({ schedule: { cron: '0 8 * * 6', approval, buildAhead: options.buildAhead ?? '2h' } }));
  const fullEnv = { ...cliEnv(env), SMTP_URL: sink.url, PUBLISHER_EMAIL: options.publisher === false ? '' : PUBLISHER, MARKETWRAP_NOW: '' };
  const clock = { now: BEFORE };
  const ctx = createContext({ env: fullEnv, clock: () => clock.now, templatesDir: options.templatesDir });
  cleanups.push(
    () => sink.close(),
    () => ctx.close(),
  );
  for (const email of ['ann@example.com', 'bob@example.com', 'bad@example.com']) await ctx.subscribers.add(email);
  const tick = () => deskTick(ctx, { allowDemoData: true });
  return { ctx, sink, clock, tick, env: fullEnv };
}

const listMail = (sink: SmtpSink) => sink.received.filter((m) => !m.envelopeTo.includes(PUBLISHER));
const publisherMail = (sink: SmtpSink) => sink.received.filter((m) => m.envelopeTo.includes(PUBLISHER));

/** The review email's two links, as paths the test's server answers. */
function reviewLinks(html: string): { approve: string; hold: string } {
  const link = (action: string) => {
    const href = new RegExp(`href="([^"]+/review/[^"]+/${action}\\?[^"]+)"`).exec(html)?.[1];
    if (!href) throw new Error(`no ${action} link in the review email`);
    const url = new URL(href.replaceAll('&amp;', '&'));
    return `${url.pathname}${url.search}`;
  };
  return { approve: link('approve'), hold: link('hold') };
}

async function site(ctx: Context) {
  const app = buildServer(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => app.close());
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return (path: string, method = 'POST') => fetch(`${base}${path}`, { method }).then(async (r) => ({ status: r.status, body: await r.text() }));
}

describe('approval "required"', () => {
  it('the scheduled run drafts and mails the publisher; nothing reaches the list until approved; then exactly one message each, with the note and subject', async () => {
    const { ctx, sink, clock, tick, env } = await desk('required');
    expect(await tick()).toEqual(['drafted 2026-W47 for review']);
    const [review] = publisherMail(sink);
    expect(review!.parsed.subject).toMatch(/^For review: /);
    expect(review!.parsed.text).toContain('Edition 2026-W47, for your review. It goes to the list at 2026-11-21T13:00:00.000Z, once you approve it');
    expect(review!.parsed.text).toContain('Every check passed.');
    expect(await tick()).toEqual([]);
    // The send time comes: neither the desk's clock nor the schedule's own run sends it.
    clock.now = AFTER;
    expect(await tick()).toEqual([]);
    await expect(weeklyDigest.run(ctx, { via: 'schedule', allowDemoData: true })).rejects.toThrow(
      'not sending 2026-W47: approval is required and it awaits the publisher; approve it with `marketwrap editions approve 2026-W47`, the link in the review email or the desk',
    );
    expect(listMail(sink)).toHaveLength(0);

    const links = reviewLinks(review!.parsed.html as string);
    const request = await site(ctx);
    expect((await request(links.approve, 'GET')).body).toContain('<button type="submit">Approve 2026-W47</button>');
    expect((await request(links.hold)).status).toBe(200);
    expect(await showEdition(ctx, '2026-W47')).toMatchObject({ state: 'held', reviewedBy: 'link' });
    // Used once, a link is spent; a forged or altered one is refused and changes nothing.
    expect(await request(links.hold)).toMatchObject({ status: 409, body: expect.stringContaining('This link was used already') });
    expect((await request(links.approve.replace(/sig=./, (s) => (s.endsWith('A') ? 'sig=B' : 'sig=A')))).status).toBe(400);
    expect((await request(links.approve.replace('/approve?', '/hold?'))).status).toBe(400);
    expect(await showEdition(ctx, '2026-W47')).toMatchObject({ state: 'held' });
    expect(await tick()).toEqual([]);

    // The command line: bad input is one line (exit 2) and changes nothing; then the note and subject.
    const cli = { ...env, MARKETWRAP_NOW: AFTER.toISOString() };
    expect(runCli(['editions', 'approve', '2026-W47', '--note', 'one\n\ntwo'], cli)).toMatchObject({
      status: 2,
      stderr: 'marketwrap: the note must be one paragraph (no blank lines)\n',
    });
    expect(runCli(['stats', '--weeks', '0'], cli)).toMatchObject({ status: 2, stderr: 'marketwrap: --weeks "0" must be a whole number of weeks from 1 to 520\n' });
    const approved = runCli(['editions', 'approve', '2026-W47', '--note', 'Back from holiday: <CPI> & jobs next week.', '--subject', 'The week, approved'], cli);
    expect(approved.stdout).toContain('2026-W47: approved');
    expect(approved.stdout).toContain('subject:   The week, approved (built: ');
    // The desk's preview: what the list will get, with the note, the subject and the charts inline.
    const preview = (await previewEdition(ctx, '2026-W47'))!;
    expect(preview.subject).toBe('The week, approved');
    expect(preview.html).toContain('Back from holiday: &lt;CPI&gt; &amp; jobs next week.');
    expect(preview.html).toContain('src="data:image/png;base64,');
    expect(preview.html).not.toMatch(/cid:|\{\{(email|unsubscribeUrl)\}\}/);
    expect(await previewEdition(ctx, '2026-W40')).toBeUndefined();
    expect((await request(links.approve)).body).toContain('is approved');
    expect(await tick()).toEqual(['sent 2026-W47: 2 sent, 1 failed']);
    expect(await tick()).toEqual([]);
    await expect(weeklyDigest.run(ctx, { via: 'schedule', allowDemoData: true })).rejects.toThrow(/already sent/);
    const list = listMail(sink);
    expect(list.flatMap((m) => m.envelopeTo).sort()).toEqual(['ann@example.com', 'bob@example.com']);
    for (const mail of list) {
      expect(mail.parsed.subject).toBe('The week, approved');
      const html = mail.parsed.html as string;
      expect(html).toContain('<strong>From the publisher:</strong> Back from holiday: &lt;CPI&gt; &amp; jobs next week.');
      // Below the headline, above the lede and everything after it.
      const note = html.indexOf('From the publisher:');
      expect(note).toBeGreaterThan(html.indexOf('</h1>'));
      expect(note).toBeLessThan(html.indexOf('<h2'));
      expect(mail.parsed.text).toContain('From the publisher: Back from holiday: <CPI> & jobs next week.');
      expect(html).not.toContain('/review/');
    }
    expect(await showEdition(ctx, '2026-W47')).toMatchObject({ state: 'sent', note: 'Back from holiday: <CPI> & jobs next week.', subject: 'The week, approved' });
    // The archive keeps it: the web version shows the note too.
    expect((await request('/editions/2026-W47', 'GET')).body).toContain('<strong>From the publisher:</strong> Back from holiday: &lt;CPI&gt; &amp; jobs next week.');
  }, 60_000);
});

describe('the review settings', () => {
  it('buildAhead: nothing is built earlier than it says; without a draft, "required" drafts at the send time; without PUBLISHER_EMAIL the draft is kept, mailed to nobody', async () => {
    const { ctx, sink, clock, tick } = await desk('required', { buildAhead: '30m', publisher: false });
    expect(await tick()).toEqual([]);
    clock.now = new Date('2026-11-21T12:29:00Z');
    expect(await tick()).toEqual([]);
    clock.now = AFTER;
    const run = await weeklyDigest.run(ctx, { via: 'schedule', allowDemoData: true });
    expect(run.note).toBe(
      'not sending 2026-W47: approval is required and it awaits the publisher; approve it with `marketwrap editions approve 2026-W47`, the link in the review email or the desk',
    );
    expect(sink.received).toHaveLength(0);
    expect(await showEdition(ctx, '2026-W47')).toMatchObject({ state: 'draft', sendAt: AFTER.toISOString(), checks: [] });
    await approveEdition(ctx, '2026-W47', { by: 'cli' });
    expect(await tick()).toEqual(['sent 2026-W47: 2 sent, 1 failed']);
  }, 60_000);

  it('an approval does not overrule the send terms: demo data over SMTP is refused before anything is claimed', async () => {
    const { ctx, sink, clock } = await desk('required');
    expect(await deskTick(ctx)).toEqual(['drafted 2026-W47 for review']);
    expect(await showEdition(ctx, '2026-W47')).toMatchObject({ state: 'draft', checks: ['it was built from demo data, which never goes to the list over SMTP'] });
    await approveEdition(ctx, '2026-W47', { by: 'cli' });
    clock.now = AFTER;
    expect(await deskTick(ctx)).toEqual([expect.stringMatching(/^not sending 2026-W47 over SMTP: it was built from demo data/)]);
    expect(await showEdition(ctx, '2026-W47')).toMatchObject({ state: 'approved' });
    expect(await ctx.ledger.counts('2026-W47')).toMatchObject({ total: 0 });
    expect(listMail(sink)).toHaveLength(0);
  }, 60_000);

  it('buildAhead "30m" drafts half an hour before the send time', async () => {
    const { sink, clock, tick } = await desk('auto', { buildAhead: '30m' });
    clock.now = new Date('2026-11-21T12:31:00Z');
    expect(await tick()).toEqual(['drafted 2026-W47 for review']);
    expect(publisherMail(sink)).toHaveLength(1);
  }, 60_000);
});

describe('approval "auto"', () => {
  it('a draft that passes its checks goes at the send time without a word from the publisher', async () => {
    const { sink, clock, tick } = await desk('auto');
    expect(await tick()).toEqual(['drafted 2026-W47 for review']);
    expect(publisherMail(sink)[0]!.parsed.text).toContain('It goes to the list at 2026-11-21T13:00:00.000Z unless you hold it.');
    expect(listMail(sink)).toHaveLength(0);
    clock.now = AFTER;
    expect(await tick()).toEqual(['sent 2026-W47: 2 sent, 1 failed']);
    expect(
      listMail(sink)
        .flatMap((m) => m.envelopeTo)
        .sort(),
    ).toEqual(['ann@example.com', 'bob@example.com']);
  }, 60_000);

  it('a failed check holds the edition and tells the publisher why; approved, it goes once', async () => {
    const { ctx, sink, clock, tick } = await desk('auto', { templatesDir: templatesTalkingAboutThemselves() });
    expect(await tick()).toEqual(['drafted 2026-W47 for review']);
    const [told] = publisherMail(sink);
    expect(told!.parsed.subject).toMatch(/^Held: /);
    expect(told!.parsed.text).toMatch(/Held: its copy failed \d+ checks?: self-reference: .*threshold.*\. Nothing goes to the list unless you approve it\./);
    expect(await showEdition(ctx, '2026-W47')).toMatchObject({ state: 'held', reviewedBy: 'checks' });
    clock.now = AFTER;
    expect(await tick()).toEqual([]);
    await expect(weeklyDigest.run(ctx, { via: 'schedule', allowDemoData: true })).rejects.toThrow(/^not sending 2026-W47: it is held \(its copy failed/);
    expect(listMail(sink)).toHaveLength(0);
    await approveEdition(ctx, '2026-W47', { by: 'cli' });
    expect(await tick()).toEqual(['sent 2026-W47: 2 sent, 1 failed']);
    expect(await tick()).toEqual([]);
    expect(listMail(sink)).toHaveLength(2);
  }, 60_000);
});

describe('a sender that read the review a moment before it changed', () => {
  it('"required": a rebuild after the approval is a new draft, and a sender still holding the approved row sends nothing', async () => {
    const { ctx, sink, clock, tick } = await desk('required');
    expect(await tick()).toEqual(['drafted 2026-W47 for review']);
    await approveEdition(ctx, '2026-W47', { by: 'cli' });
    const seen = (await ctx.store.editionReview('2026-W47'))!;
    // Between the sender's read and its claim the publisher rebuilds it: what goes now is unreviewed.
    await rebuildDraft(ctx, '2026-W47', { allowDemoData: true });
    clock.now = AFTER;
    await expect(sendReviewed(ctx, seen, { allowDemoData: true })).rejects.toThrow(/held, rebuilt or claimed by another sender/);
    expect(listMail(sink)).toHaveLength(0);
    expect(await showEdition(ctx, '2026-W47')).toMatchObject({ state: 'draft' });
  }, 60_000);

  it('a claim refused by a hold leaves no note behind: approved again with another note, the list gets only that one', async () => {
    const { ctx, sink, clock, tick } = await desk('required');
    expect(await tick()).toEqual(['drafted 2026-W47 for review']);
    await approveEdition(ctx, '2026-W47', { note: 'First thoughts.', by: 'cli' });
    const seen = (await ctx.store.editionReview('2026-W47'))!;
    await holdEdition(ctx, '2026-W47', { reason: 'second thoughts', by: 'cli' });
    clock.now = AFTER;
    await expect(sendReviewed(ctx, seen, { allowDemoData: true })).rejects.toThrow(/held, rebuilt or claimed by another sender/);
    await approveEdition(ctx, '2026-W47', { note: 'Second thoughts.', by: 'cli' });
    expect(await tick()).toEqual(['sent 2026-W47: 2 sent, 1 failed']);
    for (const mail of listMail(sink)) {
      expect(mail.parsed.html as string).toContain('Second thoughts.');
      expect(mail.parsed.html as string).not.toContain('First thoughts.');
      expect(mail.parsed.text).not.toContain('First thoughts.');
    }
    expect(listMail(sink)).toHaveLength(2);
  }, 60_000);
});

describe('a send that is not the review', () => {
  it('a held draft keeps what the publisher was shown: a --new-edition send of its week changes nothing of it', async () => {
    const { ctx, sink, clock, tick } = await desk('auto', { templatesDir: templatesTalkingAboutThemselves() });
    expect(await tick()).toEqual(['drafted 2026-W47 for review']);
    const shown = { sendable: await ctx.store.sendable('2026-W47'), review: await showEdition(ctx, '2026-W47') };
    clock.now = AFTER;
    await expect(weeklyDigest.run(ctx, { newEdition: true, allowDemoData: true, sendDespiteChecks: true, data: 'demo' })).rejects.toThrow(
      /new build of 2026-W47: its draft is under review/,
    );
    expect(listMail(sink)).toHaveLength(0);
    expect({ sendable: await ctx.store.sendable('2026-W47'), review: await showEdition(ctx, '2026-W47') }).toEqual(shown);
  }, 60_000);
});

describe('the figures', () => {
  it('editions list --json and stats --json match the ledger after a real send with failures, a complaint and an unsubscribe', async () => {
    const { ctx, clock, tick, env } = await desk('auto');
    await tick();
    clock.now = AFTER;
    await tick();
    const counts = await ctx.ledger.counts('2026-W47');
    expect(counts).toMatchObject({ total: 3, sent: 2, failedPermanent: 1 });
    const ann = (await ctx.store.findSubscriber('ann@example.com'))!;
    const report = { emailHash: 'h', editionId: '2026-W47', source: 'test', messageId: null, detail: '', action: 'complained', reportId: null, trust: 'proven' as const };
    await ctx.store.addFeedbackEvent({ ...report, subscriberId: ann.id, kind: 'complaint' }, AFTER);
    // A report that proves nothing is kept as evidence but counts against no edition.
    await ctx.store.addFeedbackEvent({ ...report, subscriberId: null, kind: 'hard-bounce', trust: 'untrusted', action: null }, AFTER);
    const bob = (await ctx.store.findSubscriber('bob@example.com'))!;
    await ctx.store.addFeedbackEvent({ ...report, subscriberId: bob.id, kind: 'hard-bounce', action: null, emailHash: 'hb' }, AFTER);
    await ctx.store.setSubscriberStatus(ann.id, 'complained', AFTER);
    await ctx.store.setSubscriberStatus(bob.id, 'unsubscribed', new Date('2026-11-23T10:00:00Z'));
    clock.now = new Date('2026-11-24T10:00:00Z');
    const expected = {
      recipients: counts.total,
      sent: counts.sent,
      failed: counts.failedPermanent + counts.failedTemporary,
      ambiguous: counts.failedAmbiguous,
      bounced: 1,
      complained: 1,
      unsubscribed: 1,
      final: true,
    };
    expect((await listEditions(ctx))[0]!.results).toEqual(expected);
    const stats = await deskStats(ctx, { weeks: 2 });
    expect(stats.subscribers).toEqual({ pending: 0, confirmed: 1, unsubscribed: 1, bounced: 0, complained: 1 });
    expect(stats.weeks).toEqual([
      { week: '2026-W47', joins: 3, leaves: 1 },
      { week: '2026-W48', joins: 0, leaves: 1 },
    ]);
    // The CLI reads the same database and says the same.
    const cliEnvNow = { ...env, MARKETWRAP_NOW: '2026-11-24T10:00:00Z' };
    const listed = runCli(['editions', 'list', '--json'], cliEnvNow);
    expect(listed.stderr).toBe('');
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({ id: '2026-W47', state: 'sent', results: expected });
    const cliStats = runCli(['stats', '--json', '--weeks', '2'], cliEnvNow);
    expect(JSON.parse(cliStats.stdout)).toEqual(stats);
  }, 60_000);
});

describe('marketwrap serve', () => {
  it('builds the next edition ahead on its own clock and mails the publisher the draft, held from the list (demo data over SMTP fails a check)', async () => {
    const sink = await startSmtpSink();
    cleanups.push(() => sink.close());
    const { env } = cliDirs();
    writeFileSync(env.CONFIG_FILE, JSON.stringify({ schedule: { cron: '0 8 * * 6', buildAhead: '2h' } }));
    const serve = startCli(['serve', '--grace', '0'], { ...env, SMTP_URL: sink.url, PORT: '0', PUBLISHER_EMAIL: PUBLISHER, MARKETWRAP_NOW: BEFORE.toISOString() });
    try {
      const end = Date.now() + 40_000;
      while (sink.received.length === 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sink.received.map((m) => m.envelopeTo)).toEqual([[PUBLISHER]]);
      const told = sink.received[0]!.parsed;
      expect(told.subject).toMatch(/^Held: /);
      expect(told.text).toContain('Held: it was built from demo data, which never goes to the list over SMTP.');
    } finally {
      serve.child.kill('SIGTERM');
      await serve.done;
    }
  }, 60_000);
});
