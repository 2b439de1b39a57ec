/** The send policy as a truth table: each row a situation and what must happen. */
import { describe, expect, it } from 'vitest';
import { decideSend, type SendSituation } from '../../src/delivery/policy.js';
import { failureOutcome, type Failure, type SendPolicy } from '../../src/delivery/sender.js';

const base: SendSituation = { request: 'list', started: false, completed: false, dataIssues: 0, demo: false, overSmtp: true, allowDemoData: false, confirmed: 10, outbox: false };

describe('decideSend', () => {
  it.each<[string, Partial<SendSituation>, ReturnType<typeof decideSend>]>([
    ['a fresh edition to a list', {}, { action: 'queue-and-send' }],
    ['a dry run, whatever else', { request: 'dry-run', started: true, dataIssues: 3, demo: true }, { action: 'dry-run' }],
    ['a list send of an edition that went out', { started: true, completed: true }, { action: 'refuse', because: 'already-sent' }],
    ['a list send of an edition being sent', { started: true }, { action: 'refuse', because: 'in-progress' }],
    ['guard findings on a fresh edition', { dataIssues: 1 }, { action: 'refuse', because: 'data-issues' }],
    ['guard findings do not re-judge a started edition sent to --to', { request: 'adhoc', started: true, dataIssues: 1 }, { action: 'adhoc' }],
    ['demo data over SMTP', { demo: true }, { action: 'refuse', because: 'demo-over-smtp' }],
    ['demo data over SMTP, allowed', { demo: true, allowDemoData: true }, { action: 'queue-and-send' }],
    ['demo data to the outbox', { demo: true, overSmtp: false, outbox: true }, { action: 'queue-and-send' }],
    ['a test send to --to', { request: 'adhoc' }, { action: 'adhoc' }],
    ['demo data to --to over SMTP', { request: 'adhoc', demo: true }, { action: 'refuse', because: 'demo-over-smtp' }],
    ['an empty list over SMTP', { confirmed: 0 }, { action: 'nobody' }],
    ['an empty list to the outbox', { confirmed: 0, overSmtp: false, outbox: true }, { action: 'sample' }],
  ])('%s', (_name, situation, decision) => {
    expect(decideSend({ ...base, ...situation })).toEqual(decision);
  });
});

describe('what a failed message becomes (failureOutcome)', () => {
  const policy: SendPolicy = { maxAttempts: 3, retryDelaySeconds: 60, hardBounceLimit: 2, ambiguous: 'skip', inFlight: 20 };
  const now = new Date('2026-11-21T14:00:00Z');
  const row = (attempts: number) => ({ subscriber_id: 7, attempts });
  const later = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

  it.each<[string, Failure, number, Partial<SendPolicy>, object]>([
    ['a server refusal puts the row back untried', 'server', 1, {}, { status: 'released' }],
    ['a first temporary failure retries after the delay', 'temporary', 1, {}, { status: 'retry', nextAttemptAt: later(60) }],
    ['the second waits twice as long', 'temporary', 2, {}, { status: 'retry', nextAttemptAt: later(120) }],
    ['the last attempt fails for good, without a bounce', 'temporary', 3, {}, { status: 'failed', failure: 'temporary', bounce: false }],
    ['a permanent failure is final and bounces', 'permanent', 1, {}, { status: 'failed', failure: 'permanent', bounce: true }],
    ['an ambiguous one is not resent by default', 'ambiguous', 1, {}, { status: 'failed', failure: 'ambiguous', bounce: false }],
    ['an ambiguous one is resent at once when the policy says so', 'ambiguous', 1, { ambiguous: 'resend' }, { status: 'retry', nextAttemptAt: now.toISOString() }],
    ['but not past maxAttempts', 'ambiguous', 3, { ambiguous: 'resend' }, { status: 'failed', failure: 'ambiguous' }],
  ])('%s', (_name, failure, attempts, overrides, expected) => {
    expect(failureOutcome(row(attempts), failure, '451 try later', { ...policy, ...overrides }, now)).toMatchObject({ subscriberId: 7, reply: '451 try later', ...expected });
  });
});
