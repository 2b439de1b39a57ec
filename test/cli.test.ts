import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliDirs as dirs, runCli } from './helpers/cli.js';

describe('marketwrap CLI', () => {
  it('digest builds, saves and delivers to the outbox, saying where everything went', () => {
    const { env, dir } = dirs();
    const run = runCli(['digest', '--data', 'demo:risk-off', '--as-of', '2026-11-20'], env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Edition 2026-W47 \(week ending 2026-11-20\) — DEMO DATA/);
    expect(run.stdout).toMatch(/Delivery via outbox .*: 1 sent, 0 failed \(0 temporary, 0 permanent, 0 ambiguous\), 0 skipped/);
    expect(
      readdirSync(join(dir, 'data/editions'))
        .filter((f) => !f.endsWith('.png'))
        .sort(),
    ).toEqual(['2026-W47.html', '2026-W47.json', '2026-W47.mail.html', '2026-W47.mail.txt', '2026-W47.txt']);
    expect(readdirSync(join(dir, 'outbox'))).toHaveLength(1);
  });

  it('MARKETWRAP_NOW sets the clock the week is chosen by, in the CLI and its build child; a bad one is one line', () => {
    const { env } = dirs();
    const run = runCli(['digest', '--dry-run', '--json'], { ...env, MARKETWRAP_NOW: '2031-03-05T12:00:00Z' });
    expect(run.status, run.stderr).toBe(0);
    // A Wednesday: the last completed week ended on Friday, February 28.
    expect(JSON.parse(run.stdout)).toMatchObject({ editionId: '2031-W09' });
    const bad = runCli(['digest', '--dry-run'], { ...env, MARKETWRAP_NOW: 'next tuesday' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^marketwrap: invalid environment: MARKETWRAP_NOW: .*\(see \.env\.example\)$/)]);
  });

  it('data fetch with no network says so per provider, in a dozen lines, and speaks of no edition', () => {
    const { env } = dirs();
    const run = runCli(['data', 'fetch', '--as-of', '2026-11-20'], env);
    expect(run.status).toBe(3);
    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(15);
    expect(lines).toContainEqual(expect.stringMatching(/^note: yahoo: unreachable \(.*ECONNREFUSED\): \d+ symbols not fetched \(.+ and \d+ more\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^note: no closes cached for /));
    expect(run.stdout).not.toMatch(/left out of this edition/);
  });

  it('subscribers add, list --json and remove', () => {
    const { env } = dirs();
    expect(runCli(['subscribers', 'add', 'Ann@Example.com', 'bob@example.com'], env).stdout).toBe('ann@example.com: confirmed\nbob@example.com: confirmed\n');
    expect(runCli(['subscribers', 'remove', 'bob@example.com'], env).status).toBe(0);
    expect(runCli(['subscribers', 'list'], env).stdout).toMatch(/^2 subscribers, 1 confirmed$/m);
    const one = dirs().env;
    runCli(['subscribers', 'add', 'solo@example.com'], one);
    expect(runCli(['subscribers', 'list'], one).stdout).toMatch(/^1 subscriber, 1 confirmed$/m);
    expect(runCli(['subscribers', 'erase', 'nobody@example.com'], env).stdout).toBe('nobody@example.com: not on the list; it will never be added or mailed\n');
    const list = JSON.parse(runCli(['subscribers', 'list', '--json'], env).stdout);
    expect(list.map((s: { email: string; status: string }) => `${s.email}:${s.status}`)).toEqual(['ann@example.com:confirmed', 'bob@example.com:unsubscribed']);
    // What a publisher reads, never the key that signs a subscriber's links or the throttle's counters.
    const exported = JSON.parse(runCli(['subscribers', 'export', '--json'], env).stdout);
    for (const rows of [list, exported]) {
      expect(Object.keys(rows[0]).sort()).toEqual(['confirmed_at', 'consent_source', 'created_at', 'email', 'status', 'status_changed_at', 'unsubscribed_at']);
    }
    const refused = runCli(['subscribers', 'add', 'bob@example.com'], env);
    expect([refused.status, refused.stderr.trim()]).toEqual([2, 'marketwrap: bob@example.com unsubscribed; only they can subscribe again, through the site, and cannot be added']);
  });

  it('digest --to with --json and --dry-run', () => {
    const { env, dir } = dirs();
    const dry = JSON.parse(runCli(['digest', '--dry-run', '--json', '--as-of', '2026-11-20'], env).stdout);
    expect(dry).toMatchObject({ editionId: '2026-W47', note: 'dry run: nothing was sent' });
    expect(existsSync(join(dir, 'outbox'))).toBe(false);
    const sent = JSON.parse(runCli(['digest', '--to', 'a@example.com', '--to', 'b@example.com', '--json', '--as-of', '2026-11-20'], env).stdout);
    expect(sent.delivery).toMatchObject({ sent: 2 });
  });

  const badInputs: Array<[string, string[], RegExp, ((dir: string) => void)?]> = [
    ['an unknown scenario', ['digest', '--data', 'demo:moon'], /unknown demo scenario "moon": choose one of small-cap-rally, risk-off, quiet-week, mega-cap-melt-up/],
    ['a malformed date', ['digest', '--as-of', '2026-13-01'], /--as-of "2026-13-01" is not a real calendar date: use YYYY-MM-DD/],
    ['a word for a date', ['digest', '--as-of', 'tomorrow'], /^marketwrap: --as-of "tomorrow" must be a date as YYYY-MM-DD$/m],
    ['a future date', ['digest', '--as-of', '2098-01-05'], /is after the last completed session/],
    ['a poll of no time', ['worker', '--poll', '0'], /--poll.*give a number of seconds above 0 and at most 3600, such as 5/],
    ['an invalid address', ['digest', '--to', 'not-an-address'], /"not-an-address" is not a valid email address: give an address like name@example.com/],
    ['an invalid subscriber', ['subscribers', 'add', 'x@'], /"x@" is not a valid email address/],
    ['a missing import file', ['subscribers', 'import', '/no/such/list.csv'], /no file \/no\/such\/list\.csv: give the path of a CSV file/],
    [
      'a config file that is not JSON',
      ['digest'],
      /marketwrap\.config\.json is not valid JSON: .*fix the file or delete it/,
      (dir) => writeFileSync(join(dir, 'marketwrap.config.json'), '{ "title": '),
    ],
    [
      'a config file with a bad field',
      ['digest'],
      /marketwrap\.config\.json is invalid: rules\.0\.threshold: Too small/,
      (dir) => writeFileSync(join(dir, 'marketwrap.config.json'), JSON.stringify({ rules: [{ id: 'x', kind: 'move', instrument: '^GSPC', window: '1W', threshold: -1 }] })),
    ],
    [
      'an unknown instrument in a rule',
      ['digest'],
      /rules\.0\.instrument: unknown instrument \^FOO/,
      (dir) => writeFileSync(join(dir, 'marketwrap.config.json'), JSON.stringify({ rules: [{ id: 'x', kind: 'move', instrument: '^FOO', window: '1W', threshold: 1 }] })),
    ],
  ];

  it.each(badInputs)('%s: one line naming the fix, exit code 2, nothing written', (_name, args, message, setup) => {
    const { env, dir } = dirs();
    setup?.(dir);
    const run = runCli(args, env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
    expect(existsSync(join(dir, 'outbox'))).toBe(false);
    expect(existsSync(join(dir, 'data/editions'))).toBe(false);
  });

  it('a bad environment variable names it', () => {
    const { env } = dirs();
    const run = runCli(['digest'], { ...env, SMTP_URL: 'mail.example.com' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
  });

  it('a wrong SMTP_URL option stops digest at start-up: one line, exit 2, nothing built', () => {
    const { dir, env } = dirs();
    const run = runCli(['digest'], { ...env, SMTP_URL: 'smtp://127.0.0.1:2525?starttls=maybe' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'marketwrap: invalid environment: SMTP_URL: ?starttls must be auto, require or never: the options are starttls=auto|require|never and verify=true|false (see .env.example)',
    ]);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    // Every command checks the environment before its first step, the DKIM settings' rule included.
    const partial = runCli(['subscribers', 'list'], { ...env, DKIM_DOMAIN: 'example.com' });
    expect(partial.status).toBe(2);
    expect(partial.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^marketwrap: invalid environment: DKIM_SELECTOR: is not set: DKIM needs DKIM_DOMAIN, DKIM_SELECTOR and/),
    ]);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('reads .env from the working folder when present; a variable already set wins', () => {
    const { dir } = dirs();
    writeFileSync(join(dir, '.env'), '# as in .env.example\nDATA_DIR=./from-dotenv\nOUTBOX_DIR=./outbox-from-dotenv\n');
    expect(runCli(['subscribers', 'add', 'ann@example.com'], {}, dir).status).toBe(0);
    expect(existsSync(join(dir, 'from-dotenv', 'marketwrap.sqlite'))).toBe(true);
    expect(runCli(['subscribers', 'add', 'bob@example.com'], { DATA_DIR: './explicit' }, dir).status).toBe(0);
    expect(existsSync(join(dir, 'explicit', 'marketwrap.sqlite'))).toBe(true);
    expect(runCli(['subscribers', 'list', '--json'], {}, dir).stdout).not.toContain('bob@example.com');
  });

  it('reads the first variable of a .env saved with a UTF-8 byte-order mark', () => {
    const { dir } = dirs();
    writeFileSync(join(dir, '.env'), '\uFEFFDATA_DIR=./bom-data\r\nOUTBOX_DIR=./bom-outbox\r\n');
    const run = runCli(['subscribers', 'add', 'ann@example.com'], {}, dir);
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(dir, 'bom-data', 'marketwrap.sqlite'))).toBe(true);
  });
});
