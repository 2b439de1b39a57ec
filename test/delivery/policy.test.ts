/** The send policy as a truth table: each row a situation and what must happen. */
import { describe, expect, it } from 'vitest';
import { decideSend, isLoopbackHost, placeholderSettings, type SendSituation, type Terms, termsMismatch } from '../../src/delivery/policy.js';
import type { Failure } from '../../src/delivery/classify.js';
import { failureOutcome, type SendPolicy } from '../../src/delivery/outcomes.js';

const base: SendSituation = {
  request: 'list',
  started: false,
  completed: false,
  dataIssues: 0,
  demo: false,
  overSmtp: true,
  allowDemoData: false,
  confirmed: 10,
  outbox: false,
  smtpLoopback: false,
  placeholders: [],
  findings: 0,
  sendDespiteFindings: false,
};

describe('decideSend', () => {
  it.each<[string, Partial<SendSituation>, ReturnType<typeof decideSend>]>([
    ['a fresh edition to a list', {}, { action: 'queue-and-send' }],
    ['a dry run, whatever else', { request: 'dry-run', started: true, dataIssues: 3, demo: true }, { action: 'dry-run' }],
    ['a list send of an edition that went out', { started: true, completed: true }, { action: 'refuse', because: 'already-sent' }],
    ['a list send of an edition being sent', { started: true }, { action: 'refuse', because: 'in-progress' }],
    ['guard findings on a fresh edition', { dataIssues: 1 }, { action: 'refuse', because: 'data-issues' }],
    ['guard findings do not re-judge a started edition sent to --to', { request: 'adhoc', started: true, dataIssues: 1 }, { action: 'adhoc' }],
    ['copy that failed a check, to the list', { findings: 2 }, { action: 'refuse', because: 'findings' }],
    ['copy that failed a check, sent anyway', { findings: 2, sendDespiteFindings: true }, { action: 'queue-and-send' }],
    ['copy that failed a check, as a test send', { findings: 2, request: 'adhoc' }, { action: 'adhoc' }],
    ['copy that failed a check, as the sample of an empty list', { findings: 2, confirmed: 0, overSmtp: false, outbox: true }, { action: 'sample' }],
    ['demo data over SMTP', { demo: true }, { action: 'refuse', because: 'demo-over-smtp' }],
    ['demo data over SMTP, allowed', { demo: true, allowDemoData: true }, { action: 'queue-and-send' }],
    ['demo data to the outbox', { demo: true, overSmtp: false, outbox: true }, { action: 'queue-and-send' }],
    ['a test send to --to', { request: 'adhoc' }, { action: 'adhoc' }],
    ['demo data to --to over SMTP', { request: 'adhoc', demo: true }, { action: 'refuse', because: 'demo-over-smtp' }],
    ['an empty list over SMTP', { confirmed: 0 }, { action: 'nobody' }],
    ['an empty list to the outbox', { confirmed: 0, overSmtp: false, outbox: true }, { action: 'sample' }],
    ['placeholder settings, a list send to a real server', { placeholders: ['the sender'] }, { action: 'refuse', because: 'placeholders' }],
    ['placeholder settings, a list send to a loopback server', { placeholders: ['the sender'], smtpLoopback: true }, { action: 'queue-and-send' }],
    ['placeholder settings, to the outbox', { placeholders: ['the sender'], overSmtp: false, outbox: true }, { action: 'queue-and-send' }],
    ['placeholder settings, a test send to --to', { placeholders: ['the sender'], request: 'adhoc' }, { action: 'adhoc' }],
  ])('%s', (_name, situation, decision) => {
    expect(decideSend({ ...base, ...situation })).toEqual(decision);
  });
});

describe('placeholder settings', () => {
  const real = { senderEmail: 'wrap@news.example.org', postalAddress: 'Wrap Ltd, 5 Real Road, Leeds', publicUrl: 'https://wrap.example.org' };
  it.each<[string, Partial<typeof real>, RegExp[]]>([
    ['none left', {}, []],
    ['the example sender', { senderEmail: 'digest@example.com' }, [/^the sender is still digest@example\.com \(set MAIL_FROM/]],
    ['the example postal address', { postalAddress: 'Marketwrap, 1 Example Street, New York, NY 10001, USA' }, [/^the postal address is still the example one/]],
    ['an http PUBLIC_URL', { publicUrl: 'http://localhost:3000' }, [/^PUBLIC_URL is http:\/\/localhost:3000, not https/]],
  ])('%s', (_name, settings, expected) => {
    const unset = placeholderSettings({ ...real, ...settings });
    expect(unset).toHaveLength(expected.length);
    for (const [i, pattern] of expected.entries()) expect(unset[i]).toMatch(pattern);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['[::1]', true],
    ['::1', true],
    ['192.0.2.1', false],
    ['smtp.example.com', false],
    ['127.0.0.1.example.com', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host as string)).toBe(loopback);
  });
});

describe('the terms frozen with an edition (termsMismatch)', () => {
  const frozen: Terms = {
    sender: { name: 'Wrap', email: 'wrap@news.example.org' },
    listId: 'wrap.news.example.org',
    messageIdDomain: 'news.example.org',
    keyFingerprint: '0123456789abcdef',
    publicUrl: 'https://wrap.example.org',
    postalAddress: 'Wrap Ltd, 5 Real Road, Leeds',
    demoOverSmtp: false,
  };
  const s = { id: '2026-W47', demo: false, overSmtp: true, smtpLoopback: false, allowDemoData: false };
  it.each<[string, Partial<Terms>, Partial<typeof s>, RegExp | undefined]>([
    ['the same settings', {}, {}, undefined],
    ['another key', { keyFingerprint: 'fedcba9876543210' }, {}, /SECRET_KEY is another key \(fingerprint fedcba9876543210, the edition's links need 0123456789abcdef\)/],
    ['another sender', { sender: { name: 'Old', email: 'old@old.example.net' } }, {}, /the sender is "Old <old@old\.example\.net>", not "Wrap <wrap@news\.example\.org>"/],
    ['another PUBLIC_URL', { publicUrl: 'https://elsewhere.example' }, {}, /PUBLIC_URL is https:\/\/elsewhere\.example, not https:\/\/wrap\.example\.org/],
    ['demo data queued without --allow-demo-data, over SMTP', {}, { demo: true }, /built from demo data and queued without --allow-demo-data/],
    ['demo data, --allow-demo-data given now', {}, { demo: true, allowDemoData: true }, undefined],
    ['demo data to the outbox', {}, { demo: true, overSmtp: false }, undefined],
  ])('%s', (_name, here, situation, expected) => {
    const reason = termsMismatch(frozen, { ...frozen, ...here }, { ...s, ...situation });
    if (expected) expect(reason).toMatch(expected);
    else expect(reason).toBeUndefined();
  });

  it('demo data queued with --allow-demo-data goes over SMTP', () => {
    expect(termsMismatch({ ...frozen, demoOverSmtp: true }, frozen, { ...s, demo: true })).toBeUndefined();
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
