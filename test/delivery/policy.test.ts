/** The send policy as a truth table: each row a situation and what must happen. */
import { describe, expect, it } from 'vitest';
import { decideSend, type SendSituation } from '../../src/delivery/policy.js';

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
