import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { loadNewsletter, newsletterJsonSchema, parseNewsletter } from '../../src/config/newsletter.js';
import { resolveSecretKey } from '../../src/config/secret.js';
import { parseSender, PROJECT_ROOT } from '../../src/shared/context.js';
import { tempDir } from '../helpers/context.js';

describe('configuration', () => {
  it('has working defaults for everything', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ DATA_DIR: './data', OUTBOX_DIR: './outbox', PUBLIC_URL: 'http://localhost:3000', MARKET_DATA: 'auto' });
    expect(env.SMTP_URL).toBeUndefined();
    const config = parseNewsletter({});
    expect(config.instruments.map((i) => i.symbol)).toEqual(expect.arrayContaining(['^GSPC', '^RUT', '^IXIC', '^DJI', '^VIX', '^TNX', 'XLF', 'PSCF', 'NVDA']));
    expect(config.instruments.filter((i) => i.group === 'sectors')).toHaveLength(11);
    expect(config.rules.find((r) => r.kind === 'relative' && r.a === '^RUT' && r.b === '^GSPC')).toBeDefined();
    // A section left out gets each of its settings' own defaults (written once, on the setting).
    expect(config.delivery).toEqual({
      connections: 10,
      messagesPerConnection: 100,
      ratePerSecond: 0,
      ratePerHour: 0,
      maxAttempts: 3,
      retryDelaySeconds: 60,
      hardBounceLimit: 2,
      softBouncesCount: false,
      ambiguous: 'skip',
    });
    expect(config.feedback).toEqual({ verp: true, breaker: { maxShare: 0.02, minCount: 10, maxCount: 200 } });
    expect(config.guards).toEqual({ maxDailyMovePct: 25, maxFlatSessions: 10, maxRevisionPct: 10 });
    expect(parseNewsletter({ delivery: { connections: 3 } }).delivery).toMatchObject({ connections: 3, messagesPerConnection: 100 });
  });

  it('names the field of every error', () => {
    expect(() => parseNewsletter({ timeZone: 'Mars/Olympus' })).toThrow(/timeZone: must be an IANA time zone/);
    expect(() => parseNewsletter({ schedule: 'every saturday' })).toThrow(/schedule: must be a cron expression/);
    expect(() => parseNewsletter({ titel: 'x' })).toThrow(/Unrecognized key: "titel"/);
    expect(() => parseNewsletter({ rules: [{ id: 'a', kind: 'leaders', group: 'nope', window: '1W', count: 2 }] })).toThrow(/rules\.0\.group: no instrument has group nope/);
    expect(() => parseNewsletter({ windows: ['1W'], rules: [{ id: 'a', kind: 'move', instrument: '^GSPC', window: '1M', threshold: 1 }] })).toThrow(
      /rules\.0\.window: window 1M is not in windows/,
    );
  });

  it('the schedule: a cron expression (approval auto, built 2 hours ahead) or the object with the review settings', () => {
    expect(parseNewsletter({}).schedule).toEqual({ cron: '0 8 * * 6', approval: 'auto', buildAhead: 7_200_000 });
    expect(parseNewsletter({ schedule: '0 18 * * 5' }).schedule).toEqual({ cron: '0 18 * * 5', approval: 'auto', buildAhead: 7_200_000 });
    expect(parseNewsletter({ schedule: { cron: '0 8 * * 6', approval: 'required', buildAhead: '90m' } }).schedule).toEqual({
      cron: '0 8 * * 6',
      approval: 'required',
      buildAhead: 5_400_000,
    });
    expect(() => parseNewsletter({ schedule: { cron: '0 8 * * 6', approval: 'maybe' } })).toThrow('config is invalid: schedule.approval: must be "auto" or "required"');
    expect(() => parseNewsletter({ schedule: { cron: '0 8 * * 6', buildAhead: '2 hours' } })).toThrow('schedule.buildAhead: must be minutes or hours such as "90m" or "2h"');
    expect(() => parseNewsletter({ schedule: { cron: '0 8 * * 6', buildAhead: '200h' } })).toThrow('schedule.buildAhead: must be less than six days');
    expect(loadEnv({ PUBLISHER_EMAIL: 'ed@example.com' }).PUBLISHER_EMAIL).toBe('ed@example.com');
    expect(() => loadEnv({ PUBLISHER_EMAIL: 'ed' })).toThrow(/PUBLISHER_EMAIL: must be an email address/);
  });

  it('refuses a locale Intl cannot format with, naming the field', () => {
    for (const locale of ['en_US', 'not a locale', 'x'.repeat(20)]) expect(() => parseNewsletter({ locale }), locale).toThrow(/locale: must be a language tag such as en-US/);
    expect(parseNewsletter({ locale: 'en-GB' }).locale).toBe('en-GB');
  });

  it('reads a config file saved with a UTF-8 byte-order mark', () => {
    const file = join(tempDir(), 'marketwrap.config.json');
    writeFileSync(file, `\uFEFF${JSON.stringify({ title: 'Saved on Windows' })}`);
    expect(loadNewsletter(file).title).toBe('Saved on Windows');
  });

  it('ships a JSON Schema that matches the zod schema (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(readFileSync(join(PROJECT_ROOT, 'marketwrap.config.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(newsletterJsonSchema())));
  });

  it('the example config file is valid', () => {
    const example = JSON.parse(readFileSync(join(PROJECT_ROOT, 'marketwrap.config.example.json'), 'utf8'));
    expect(parseNewsletter(example).rules).toHaveLength(6);
  });

  it('generates the secret key once, keeps it private, and prefers SECRET_KEY', () => {
    const dir = tempDir();
    const key = resolveSecretKey(dir, undefined);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(resolveSecretKey(dir, undefined)).toBe(key);
    expect(readFileSync(join(dir, 'secret.key'), 'utf8').trim()).toBe(key);
    expect(resolveSecretKey(dir, 'x'.repeat(40))).toBe('x'.repeat(40));
    expect(() => loadEnv({ SECRET_KEY: 'short' })).toThrow(/SECRET_KEY: must be at least 32 characters/);
  });

  it('reads MAIL_FROM with or without a display name', () => {
    const fallback = { name: 'Wrap', email: 'digest@example.com' };
    expect(parseSender('"Ann Lee" <Ann@Example.com>', fallback)).toEqual({ name: 'Ann Lee', email: 'ann@example.com' });
    expect(parseSender('news@example.org', fallback)).toEqual({ name: 'Wrap', email: 'news@example.org' });
    expect(parseSender(undefined, fallback)).toBe(fallback);
  });
});
