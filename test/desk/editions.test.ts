/**
 * The desk's service functions on the test database (SQLite, or PostgreSQL with TEST_DATABASE=postgres):
 * the review of a draft, refusals in one line, and the figures read from the summaries.
 */
import { describe, expect, it } from 'vitest';
import { approveEdition, deskStats, deskStatsSchema, editionSummarySchema, holdEdition, listEditions, showEdition } from '../../src/desk/index.js';
import { spanStart, weeksFromDays } from '../../src/desk/stats.js';
import { isFailure, isRefusal } from '../../src/shared/errors.js';
import { FIXED_NOW, testContext } from '../helpers/context.js';

const at = (ms: number) => new Date(FIXED_NOW.getTime() + ms);

async function draft(id = '2026-W47') {
  const ctx = testContext();
  await ctx.store.saveEdition({ id, asOf: '2026-11-20', subject: 'Built subject', headline: 'Stocks rose', demo: false }, FIXED_NOW);
  await ctx.store.saveDraft(id, { reviewKey: 'k', checks: ['the lede repeats the headline'], sendAt: at(7_200_000).toISOString() }, FIXED_NOW);
  return ctx;
}

describe('the review of an edition', () => {
  it('approve with a note and a subject, hold with why; undefined keeps, "" removes the note; the built subject resets it', async () => {
    const ctx = await draft();
    const shown = await showEdition(ctx, '2026-W47');
    expect(editionSummarySchema.parse(shown)).toEqual(shown);
    expect(shown).toMatchObject({ state: 'draft', subject: 'Built subject', checks: ['the lede repeats the headline'], sendAt: at(7_200_000).toISOString(), results: null });
    const approved = await approveEdition(ctx, '2026-W47', { note: '  A word from me: <b>CPI</b> next week.  ', subject: 'My subject', by: 'cli' });
    expect(approved).toMatchObject({ state: 'approved', note: 'A word from me: <b>CPI</b> next week.', subject: 'My subject', builtSubject: 'Built subject', reviewedBy: 'cli' });
    expect(await holdEdition(ctx, '2026-W47', { reason: 'waiting for the Fed', by: 'desk' })).toMatchObject({
      state: 'held',
      heldReason: 'waiting for the Fed',
      note: approved.note,
    });
    expect(await approveEdition(ctx, '2026-W47', { by: 'link' })).toMatchObject({ state: 'approved', note: approved.note, subject: 'My subject', heldReason: null });
    expect(await approveEdition(ctx, '2026-W47', { note: '', subject: 'Built subject', by: 'cli' })).toMatchObject({ note: null, subject: 'Built subject' });
    expect((await listEditions(ctx)).map((e) => [e.id, e.state])).toEqual([['2026-W47', 'approved']]);
  });

  it('bad input is one line (exit 2); a started edition is refused (exit 3), its review unchanged', async () => {
    const ctx = await draft();
    const badNote = await approveEdition(ctx, '2026-W47', { note: 'one\n\ntwo', by: 'cli' }).catch((e: unknown) => e);
    expect(isFailure(badNote, 'REVIEW_INPUT_INVALID') && badNote.exitCode).toBe(2);
    expect((badNote as Error).message).toBe('the note must be one paragraph (no blank lines)');
    await expect(approveEdition(ctx, '2026-W47', { subject: 'a\nb', by: 'cli' })).rejects.toThrow('the subject must be one line');
    await expect(approveEdition(ctx, '2026-W47', { note: 'x'.repeat(601), by: 'cli' })).rejects.toThrow('at most 600 characters');
    await expect(holdEdition(ctx, '2026-W47', { reason: ' ', by: 'cli' })).rejects.toThrow('say why it is held');
    await expect(showEdition(ctx, 'W47')).rejects.toThrow('must be an edition id such as 2026-W47');
    await expect(showEdition(ctx, '2026-W46')).rejects.toThrow('no edition 2026-W46: `marketwrap editions list` shows the editions built');
    await ctx.store.addSubscriber('ann@example.com', 'confirmed', 'cli', FIXED_NOW);
    await ctx.ledger.beginAndQueue('2026-W47', 'me', at(1000));
    const refused = await holdEdition(ctx, '2026-W47', { reason: 'stop', by: 'cli' }).catch((e: unknown) => e);
    expect(isRefusal(refused)).toBe(true);
    expect((refused as Error).message).toBe('cannot hold 2026-W47: it is being sent, and a send is never changed once it has begun');
    expect(await showEdition(ctx, '2026-W47')).toMatchObject({ state: 'sending', heldReason: null, results: { recipients: 1, sent: 0, final: false } });
  });
});

describe('the figures', () => {
  it('subscribers by status, joins and leaves per ISO week, each sent edition as the ledger has it', async () => {
    const ctx = await draft();
    const ann = await ctx.store.addSubscriber('ann@example.com', 'confirmed', 'cli', at(-8 * 86_400_000));
    const bob = await ctx.store.addSubscriber('bob@example.com', 'confirmed', 'cli', FIXED_NOW);
    await ctx.store.addSubscriber('cy@example.com', 'pending', 'form', FIXED_NOW);
    await ctx.ledger.beginAndQueue('2026-W47', 'me', at(1000));
    const rows = await ctx.ledger.claim('2026-W47', 'me', 10, at(1000));
    await ctx.ledger.record(
      '2026-W47',
      [
        { subscriberId: rows[0]!.subscriber_id, status: 'sent', reply: '250', messageId: '<a@x>' },
        { subscriberId: rows[1]!.subscriber_id, status: 'failed', failure: 'permanent', reply: '550', bounce: false },
      ],
      at(2000),
      3,
    );
    await ctx.ledger.completeEdition('2026-W47', at(3000));
    await ctx.store.setSubscriberStatus(bob.id, 'unsubscribed', at(4000));
    const stats = await deskStats(ctx, { weeks: 3 });
    expect(deskStatsSchema.parse(stats)).toEqual(stats);
    expect(stats.subscribers).toEqual({ pending: 1, confirmed: 1, unsubscribed: 1, bounced: 0, complained: 0 });
    expect(stats.weeks).toEqual([
      { week: '2026-W45', joins: 0, leaves: 0 },
      { week: '2026-W46', joins: 1, leaves: 0 },
      { week: '2026-W47', joins: 1, leaves: 1 },
    ]);
    expect(stats.editions).toEqual([
      {
        id: '2026-W47',
        subject: 'Built subject',
        sentAt: at(3000).toISOString(),
        state: 'sent',
        results: { recipients: 2, sent: 1, failed: 1, ambiguous: 0, bounced: 0, complained: 0, unsubscribed: 1, final: true },
      },
    ]);
    expect(ann.status).toBe('confirmed');
  });

  it('weeks: every ISO week of the span from its Monday, across a year end', () => {
    expect(spanStart('2026-11-21', 1)).toBe('2026-11-16');
    expect(spanStart('2026-11-16', 2)).toBe('2026-11-09');
    expect(
      weeksFromDays(
        [
          { day: '2027-01-03', joins: 2, leaves: 1 },
          { day: '2026-12-28', joins: 1, leaves: 0 },
          { day: '2026-12-20', joins: 9, leaves: 9 },
        ],
        '2026-12-21',
        '2027-01-05',
      ),
    ).toEqual([
      { week: '2026-W52', joins: 0, leaves: 0 },
      { week: '2026-W53', joins: 3, leaves: 1 },
      { week: '2027-W01', joins: 0, leaves: 0 },
    ]);
  });
});
