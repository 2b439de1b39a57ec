import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '../../src/subscribers/index.js';
import { FIXED_NOW, testContext } from '../helpers/context.js';

describe('the list', () => {
  it('imports a CSV, reporting accepted, rejected (with reason) and duplicates', () => {
    const ctx = testContext();
    ctx.subscribers.add('old@example.com');
    const report = ctx.subscribers.import('name,email\nAnn,ann@example.com\nBob,not-an-address\nAnn again,ANN@example.com\nOld,old@example.com\nCarl,carl@example.com\n\n');
    expect(report.accepted).toBe(2);
    expect(report.duplicates).toBe(2);
    expect(report.rejected).toEqual([{ line: 3, value: 'not-an-address', reason: 'is not a valid email address: give an address like name@example.com' }]);
    expect(ctx.store.findSubscriber('carl@example.com')).toMatchObject({ status: 'confirmed', consent_source: 'import' });
  });

  it('erases personal data and never mails or re-adds an erased address', () => {
    const ctx = testContext();
    ctx.subscribers.add('gone@example.com');
    ctx.subscribers.erase('Gone@Example.com');
    expect(ctx.store.findSubscriber('gone@example.com')).toBeUndefined();
    expect(ctx.db.prepare("SELECT COUNT(*) AS n FROM subscribers WHERE email LIKE 'gone%'").get()).toEqual({ n: 0 });
    expect(() => ctx.subscribers.add('gone@example.com')).toThrow(/was erased/);
    expect(ctx.subscribers.subscribe('gone@example.com')).toEqual({ action: 'none' });
    expect(ctx.subscribers.import('gone@example.com').rejected).toHaveLength(1);
    expect(ctx.subscribers.recipients()).toEqual([]);
  });

  it('records timestamps of each state change and the consent source', () => {
    const ctx = testContext();
    const outcome = ctx.subscribers.subscribe('p@example.com');
    expect(outcome.action).toBe('confirm');
    const row = ctx.store.findSubscriber('p@example.com')!;
    expect(row).toMatchObject({ status: 'pending', consent_source: 'form', confirmed_at: null });
    expect(Date.parse(row.created_at) - FIXED_NOW.getTime()).toBeLessThan(5000);
    if (outcome.action === 'confirm') expect(ctx.subscribers.confirm(outcome.token)).toMatchObject({ ok: true, newlyConfirmed: true });
    const confirmed = ctx.store.findSubscriber('p@example.com')!;
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.confirmed_at! >= row.created_at).toBe(true);
    expect(ctx.subscribers.recipients().map((r) => r.email)).toEqual(['p@example.com']);
  });

  it('tokens are bound to purpose, subscriber, the subscriber\'s own key and expiry', () => {
    const key = 'k'.repeat(40);
    const people = new Map([[7, { id: 7, token_key: 'a1' }], [8, { id: 8, token_key: 'b2' }]]);
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

  it('never reuses an id, even after erasing the highest one', () => {
    const ctx = testContext();
    ctx.subscribers.add('first@example.com');
    const last = ctx.subscribers.add('last@example.com');
    ctx.subscribers.erase('last@example.com');
    const next = ctx.subscribers.add('next@example.com');
    expect(next.id).toBe(last.id + 1);
    expect(next.token_key).toMatch(/^[0-9a-f]{32}$/);
    expect(next.token_key).not.toBe(last.token_key);
  });
});
