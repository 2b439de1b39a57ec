import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAddresses } from '../../src/subscribers/csv-import.js';
import { emailHash, signToken, verifyToken } from '../../src/subscribers/index.js';
import { FIXED_NOW, tempDir, testContext } from '../helpers/context.js';
import { rawSql } from '../helpers/database.js';

/** A CSV file with these contents, streamed as the CLI streams it. */
const csv = (contents: string | Buffer) => {
  const file = join(tempDir(), 'list.csv');
  writeFileSync(file, contents);
  return readAddresses(file);
};

describe('the list', () => {
  it('imports a CSV, reporting accepted, rejected (with reason) and duplicates', async () => {
    const ctx = testContext();
    await ctx.subscribers.add('old@example.com');
    const report = await ctx.subscribers.import(
      csv('name,email\nAnn,ann@example.com\nBob,not-an-address\nAnn again,ANN@example.com\nOld,old@example.com\nCarl,carl@example.com\n\n'),
    );
    expect(report.accepted).toBe(2);
    expect(report.duplicates).toBe(2);
    expect(report.rejected).toEqual([{ line: 3, value: 'not-an-address', reason: 'is not a valid email address: give an address like name@example.com' }]);
    expect(await ctx.store.findSubscriber('carl@example.com')).toMatchObject({ status: 'confirmed', consent_source: 'import' });
  });

  it('reads real exports: quotes with commas, semicolons, a BOM, Mailchimp\'s "Email Address" column', async () => {
    const ctx = testContext();
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const mailchimp = await ctx.subscribers.import(
      csv(Buffer.concat([bom, Buffer.from('"First Name";"Email Address";"Notes"\r\n"Smith, Ann";"ann@example.com";"likes ""rates"""\r\n"Bob";"bob@example.com";""\r\n')])),
    );
    expect(mailchimp).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const plain = await ctx.subscribers.import(csv('carl@example.com\ndora@example.com\n'));
    expect(plain.accepted).toBe(2);
    await expect(ctx.subscribers.import(readAddresses(join(tempDir(), 'missing.csv')))).rejects.toThrow(/^no file .*missing\.csv: give the path of a CSV file$/);
  });

  it('erases personal data and never mails or re-adds an erased address', async () => {
    const ctx = testContext();
    await ctx.subscribers.add('gone@example.com');
    await ctx.subscribers.erase('Gone@Example.com');
    expect(await ctx.store.findSubscriber('gone@example.com')).toBeUndefined();
    expect(await rawSql(ctx, "SELECT CAST(COUNT(*) AS INTEGER) AS n FROM subscribers WHERE email LIKE 'gone%'")).toEqual([{ n: 0 }]);
    await expect(ctx.subscribers.add('gone@example.com')).rejects.toThrow(/was erased/);
    expect(await ctx.subscribers.subscribe('gone@example.com')).toEqual({ action: 'none' });
    expect((await ctx.subscribers.import(csv('gone@example.com'))).rejected).toHaveLength(1);
    expect(await ctx.subscribers.recipients()).toEqual([]);
  });

  it('only the reader undoes a one-click unsubscribe; a complaint or a bounce is named as such', async () => {
    const ctx = testContext();
    const ann = await ctx.subscribers.add('ann@example.com');
    const token = signToken(ctx.secretKey, 'unsubscribe', ann, Math.floor(FIXED_NOW.getTime() / 1000) + 86_400);
    expect((await ctx.subscribers.unsubscribeByToken(token)).ok).toBe(true);
    await expect(ctx.subscribers.add('Ann@example.com')).rejects.toThrow(/^ann@example\.com unsubscribed; only they can subscribe again, through the site, and cannot be added$/);
    await expect(ctx.subscribers.addAll(['new@example.com', 'ann@example.com'])).rejects.toThrow(/unsubscribed.*nothing was added$/);
    expect((await ctx.store.findSubscriber('ann@example.com'))?.status).toBe('unsubscribed');
    expect(await ctx.store.findSubscriber('new@example.com')).toBeUndefined();
    // The reader may come back through the form, with confirmation.
    expect((await ctx.subscribers.subscribe('ann@example.com')).action).toBe('confirm');
    const bob = await ctx.subscribers.add('bob@example.com');
    await ctx.store.setSubscriberStatus(bob.id, 'complained', FIXED_NOW);
    await ctx.store.suppress(emailHash('bob@example.com'), 'complained', FIXED_NOW);
    await expect(ctx.subscribers.add('bob@example.com')).rejects.toThrow(/^bob@example\.com reported the newsletter as spam, and cannot be added$/);
    expect((await ctx.subscribers.import(csv('bob@example.com'))).rejected).toEqual([{ line: 1, value: 'bob@example.com', reason: 'reported the newsletter as spam' }]);
  });

  it('records timestamps of each state change and the consent source', async () => {
    const ctx = testContext();
    const outcome = await ctx.subscribers.subscribe('p@example.com');
    expect(outcome.action).toBe('confirm');
    const row = (await ctx.store.findSubscriber('p@example.com'))!;
    expect(row).toMatchObject({ status: 'pending', consent_source: 'form', confirmed_at: null });
    expect(Date.parse(row.created_at) - FIXED_NOW.getTime()).toBeLessThan(5000);
    if (outcome.action === 'confirm') expect(await ctx.subscribers.confirm(outcome.token)).toMatchObject({ ok: true, newlyConfirmed: true });
    const confirmed = (await ctx.store.findSubscriber('p@example.com'))!;
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.confirmed_at! >= row.created_at).toBe(true);
    expect((await ctx.subscribers.recipients()).map((r) => r.email)).toEqual(['p@example.com']);
  });

  it("tokens are bound to purpose, subscriber, the subscriber's own key and expiry", () => {
    const key = 'k'.repeat(40);
    const people = new Map([
      [7, { id: 7, token_key: 'a1' }],
      [8, { id: 8, token_key: 'b2' }],
    ]);
    const subjectOf = (id: number) => people.get(id);
    const token = signToken(key, 'confirm', people.get(7)!, 2_000_000_000);
    expect(verifyToken(key, 'confirm', token, FIXED_NOW, subjectOf)).toEqual({ ok: true, subscriberId: 7 });
    expect(verifyToken(key, 'unsubscribe', token, FIXED_NOW, subjectOf)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyToken(key, 'confirm', token.replace(/^7\./, '8.'), FIXED_NOW, subjectOf)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyToken(key, 'confirm', token, new Date(2_000_000_001_000), subjectOf)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyToken(key, 'confirm', 'x', FIXED_NOW, subjectOf)).toEqual({ ok: false, reason: 'malformed' });
    // Someone else now holding id 7 (another key) cannot use the old person's link.
    expect(verifyToken(key, 'confirm', token, FIXED_NOW, () => ({ id: 7, token_key: 'c3' }))).toEqual({ ok: false, reason: 'forged' });
    expect(verifyToken(key, 'confirm', token, FIXED_NOW, () => undefined)).toEqual({ ok: false, reason: 'forged' });
  });

  it('never reuses an id, even after erasing the highest one', async () => {
    const ctx = testContext();
    await ctx.subscribers.add('first@example.com');
    const last = await ctx.subscribers.add('last@example.com');
    await ctx.subscribers.erase('last@example.com');
    const next = await ctx.subscribers.add('next@example.com');
    expect(next.id).toBe(last.id + 1);
    expect(next.token_key).toMatch(/^[0-9a-f]{32}$/);
    expect(next.token_key).not.toBe(last.token_key);
  });
});
